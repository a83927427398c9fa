#!/usr/bin/env python3
"""Recall and precision of fissure's module edges against rust-analyzer's name resolution.

    scripts/recall.py PROJECT [--fissure BIN] [--rust-analyzer BIN] [--cache DIR] [--json]

Runs `rust-analyzer scip PROJECT` (the rust-analyzer that rustup ships: `rustup component
add rust-analyzer`) and `fissure analyze PROJECT --format json`. SCIP lists every name
occurrence in the workspace's files with the symbol rust-analyzer resolved it to, method
calls and field accesses resolved through type inference included, and names inside macro
calls it could expand (it builds build scripts and proc macros first, with `cargo check
--compile-time-deps`). A reference edge `A -> B` is an occurrence in module A of a symbol
defined in module B != A, both modules fissure found. Left out: local variables, and a
module named as a path prefix (`billing` in `billing::Invoice`); a module that a `use`
imports (`use crate::users;`, `pub use login::*;`) is an edge into it, as in fissure.

Modules are located by file (fissure's `file`); inline `mod x { .. }` blocks by a brace scan
of the file. Occurrences in inline modules fissure does not have (cfg(test): rust-analyzer resolves test
code, fissure leaves it out) are dropped, and so are files that are no fissure module.
Items with no definition occurrence (made by a macro: diesel's `table!`) are placed by the
module path their symbol spells.

  recall     = |RA & F| / |RA|
  precision  = |RA & F| / |F|, over fissure's edges leaving files rust-analyzer indexed

and every missed edge with the symbol and the line of its first occurrence, and every
fissure edge rust-analyzer does not have with fissure's kinds and example.

rust-analyzer needs `cargo metadata` to work in PROJECT and writes `target/` there: run it on
a copy of fetched code. The SCIP index is cached in --cache (default
/tmp/fissure-recall/<name>.scip); delete it to rerun. RUSTUP_TOOLCHAIN defaults to `stable`
so a project's rust-toolchain.toml does not make rustup fetch another toolchain.
"""

import argparse
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict

def run(cmd, env=None):
    return subprocess.run(cmd, env=env, capture_output=True, text=True)


# --- SCIP (protobuf) reading: just the fields used here -------------------------------------


def varint(b, i):
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, i


def fields(b):
    i = 0
    while i < len(b):
        key, i = varint(b, i)
        f, w = key >> 3, key & 7
        if w == 0:
            v, i = varint(b, i)
        elif w == 2:
            n, i = varint(b, i)
            v = b[i : i + n]
            i += n
        elif w == 1:
            v, i = b[i : i + 8], i + 8
        elif w == 5:
            v, i = b[i : i + 4], i + 4
        else:
            raise ValueError(f"wire type {w}")
        yield f, w, v


def scip_occurrences(data):
    """Yields (relative_path, line, start and end column, symbol, is_definition)."""
    for f, _, doc in fields(data):
        if f != 2:  # Index.documents
            continue
        path, occs = None, []
        for g, _, v in fields(doc):
            if g == 1:
                path = bytes(v).decode()
            elif g == 2:
                occs.append(v)
        for occ in occs:
            rng, symbol, roles = [], "", 0
            for h, w, v in fields(occ):
                if h == 1:
                    if w == 2:
                        j = 0
                        while j < len(v):
                            x, j = varint(v, j)
                            rng.append(x)
                    else:
                        rng.append(v)
                elif h == 2:
                    symbol = bytes(v).decode()
                elif h == 3:
                    roles = v
            if symbol and not symbol.startswith("local ") and rng:
                yield path, rng[0], rng[1], rng[-1], symbol, bool(roles & 1)


# --- where an occurrence is: file module or inline module ------------------------------------


def inline_modules(text):
    """(name chain, first line, last line) of every `mod x { .. }` block, 0-based lines.

    A small lexer skips comments, strings, raw strings and char literals so their braces do
    not count."""
    out, stack, line, i, n = [], [], 0, 0, len(text)
    pending = None  # name of a `mod x` whose `{` comes next
    depth = 0
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += text.count("\n", i, j)
            i = j
            continue
        elif c == '"' or (c in "rb" and re.match(r'(br|r|b)#*"', text[i : i + 4]) and not text[i - 1 : i].isalnum()):
            m = re.match(r'(b?r)(#*)"', text[i:])
            if m:
                end = '"' + m.group(2)
                j = text.find(end, i + m.end())
                j = n if j < 0 else j + len(end)
            else:
                j = i + (2 if c == "b" else 1)
                while j < n and text[j] != '"':
                    j += 2 if text[j] == "\\" else 1
                j += 1
            line += text.count("\n", i, j)
            i = j
            continue
        elif c == "'":
            m = re.match(r"'(\\.[^']*|[^\\'])'", text[i:])
            if m:
                i += m.end()
                continue
        elif c == "{":
            depth += 1
            if pending is not None:
                stack.append((pending, line, depth))
                pending = None
        elif c == "}":
            if stack and stack[-1][2] == depth:
                name, start, _ = stack.pop()
                out.append(([s[0] for s in stack] + [name], start, line))
            depth -= 1
        elif c == ";":
            pending = None
        elif c == "m" and not text[i - 1 : i].isalnum() and text[i - 1 : i] != "_":
            m = re.match(r"mod\s+(?:r#)?([A-Za-z_][A-Za-z0-9_]*)\s*(?=[{;])", text[i:])
            if m:
                pending = m.group(1)
                line += text.count("\n", i, i + m.end())
                i += m.end()
                continue
        i += 1
    return out


class Locator:
    """Maps (file, line) to fissure module paths."""

    def __init__(self, root, modules):
        self.files = defaultdict(list)  # file -> [module path] (one file can be in two crates)
        inline = set()
        for m in modules:
            if m["inline"]:
                inline.add(m["path"])
            else:
                self.files[m["file"]].append(m["path"])
        self.blocks = {}  # file -> [(chain, start, end)]
        for file in self.files:
            try:
                with open(os.path.join(root, file), encoding="utf-8") as fh:
                    self.blocks[file] = inline_modules(fh.read())
            except OSError:
                self.blocks[file] = []
        self.inline = inline

    def modules(self, file, line):
        """Module paths holding this line; [] when it is in a block fissure leaves out."""
        best = None
        for chain, start, end in self.blocks.get(file, []):
            if start <= line <= end and (best is None or len(chain) > len(best)):
                best = chain
        out = []
        for base in self.files.get(file, []):
            path = base if best is None else base + "::" + "::".join(best)
            if best is None or path in self.inline:
                out.append(path)
        return out


def is_module_symbol(symbol):
    # `rust-analyzer cargo pkg 1.0 a/b/` is a module, `.../crate/` the crate root.
    return symbol.endswith("/")


def imports_module(text, start, end):
    """Whether the module named just before column `end` is what a `use` imports: the leaf of
    a use tree (`use crate::users;`, `{self, ..}`) or a glob (`pub use login::*;`). fissure
    counts those as edges into the module; a module named as a path prefix is not an edge,
    nor is `mod x;` (rust-analyzer reports its name as a reference, not a definition)."""
    if re.search(r"\bmod\s+(r#)?$", text[:start]):
        return False
    return re.match(r"\s*(::\s*\*|;|,|\}|as\b)", text[end:]) is not None


def symbol_module(symbol, crates, modules):
    """The module a workspace symbol lives in, read from the symbol: for module symbols and
    for items a macro generates (`diesel::table!`'s `comments::table`), which have no
    definition occurrence. `rust-analyzer cargo <package> <version> a/b/Item#` names the
    module path. [] for symbols of crates outside the workspace."""
    parts = symbol.split(" ", 4)
    if len(parts) < 5 or parts[2].replace("-", "_") not in crates:
        return []
    path = [parts[2].replace("-", "_")] + [p for p in parts[4].split("/")[:-1] if p != "crate"]
    if is_module_symbol(symbol):
        full = "::".join(path)
        return [full] if full in modules else []
    for n in range(len(path), 0, -1):
        if "::".join(path[:n]) in modules:
            return ["::".join(path[:n])]
    return []


def symbol_class(symbol):
    """What kind of name an occurrence is, from its SCIP descriptor: fields and methods
    (`Type#field.`, `impl#[Type]m().`, `Trait#m().`) need the receiver's type, which fissure
    only guesses; the rest are paths fissure should resolve."""
    last = symbol.rsplit("/", 1)[-1]
    if last.endswith(")."):
        return "method" if "#" in last or last.startswith("impl") else "fn"
    if "#" in last and last.endswith(".") and not last.endswith("#"):
        return "field"
    if last.endswith("!"):
        return "macro"
    if last.endswith("/"):
        return "module"
    return "type" if last.endswith("#") else "value"


class SourceLines:
    def __init__(self, root):
        self.root, self.files = root, {}

    def get(self, file, line):
        if file not in self.files:
            try:
                with open(os.path.join(self.root, file), encoding="utf-8") as fh:
                    self.files[file] = fh.read().split("\n")
            except OSError:
                self.files[file] = []
        text = self.files[file]
        return text[line] if line < len(text) else ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("project")
    ap.add_argument("--fissure", default=os.environ.get("FISSURE", "fissure"))
    ap.add_argument("--rust-analyzer", default=os.environ.get("RUST_ANALYZER", "rust-analyzer"))
    ap.add_argument("--cache")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--show", type=int, default=100, help="missed and extra edges to list")
    args = ap.parse_args()

    project = os.path.realpath(args.project)
    name = os.path.basename(project)
    scip = args.cache or os.path.join("/tmp/fissure-recall", name + ".scip")
    env = dict(os.environ)
    env.setdefault("RUSTUP_TOOLCHAIN", "stable")

    if not os.path.exists(scip):
        os.makedirs(os.path.dirname(scip), exist_ok=True)
        print(f"rust-analyzer scip {project} ...", file=sys.stderr)
        out = run([args.rust_analyzer, "scip", project, "--output", scip], env)
        if out.returncode != 0 or not os.path.exists(scip):
            sys.exit(f"rust-analyzer scip failed:\n{out.stderr[-2000:]}")
    with open(scip, "rb") as fh:
        data = fh.read()

    fj = run([args.fissure, "analyze", project, "--format", "json"])
    if fj.returncode != 0:
        sys.exit(f"fissure analyze failed:\n{fj.stderr}")
    report = json.loads(fj.stdout)
    loc = Locator(project, report["modules"])

    crates = {c["name"] for c in report["crates"]}
    modules = {m["path"] for m in report["modules"]}
    lines = SourceLines(project)
    defs, refs, indexed = {}, [], set()
    for path, line, start, end, symbol, is_def in scip_occurrences(data):
        indexed.add(path)
        if is_def:
            if not is_module_symbol(symbol):
                defs.setdefault(symbol, (path, line))
        elif not is_module_symbol(symbol) or imports_module(lines.get(path, line), start, end):
            refs.append((path, line, symbol))

    ra_edges = {}  # (from, to) -> (file, line, symbol)
    for path, line, symbol in refs:
        if symbol in defs:
            tos = loc.modules(*defs[symbol])
        else:
            tos = symbol_module(symbol, crates, modules)
        for a in loc.modules(path, line):
            # A file in two crates (lib and bin both `mod x;`): pair it with the same crate.
            same = [b for b in tos if b.split("::")[0] == a.split("::")[0]]
            for b in same or tos[:1]:
                if a != b:
                    ra_edges.setdefault((a, b), (path, line, symbol))

    covered = {p for f in indexed for p in loc.files.get(f, [])}
    covered |= {p for p in loc.inline if any(p.startswith(c + "::") for c in covered)}
    f_edges = {(e["from"], e["to"]): e for e in report["edges"] if e["from"] in covered}

    ra, fs = set(ra_edges), set(f_edges)
    found = ra & fs
    recall = len(found) / len(ra) if ra else 1.0
    precision = len(found) / len(fs) if fs else 1.0
    missed = [
        {"from": a, "to": b, "symbol": ra_edges[(a, b)][2].split(" ", 4)[-1],
         "class": symbol_class(ra_edges[(a, b)][2]),
         "where": f"{ra_edges[(a, b)][0]}:{ra_edges[(a, b)][1] + 1}: "
         + lines.get(*ra_edges[(a, b)][:2]).strip()[:110]}
        for a, b in sorted(ra - fs)
    ]
    extra = []
    for a, b in sorted(fs - ra):
        e = f_edges[(a, b)]
        ex = e["examples"][0] if e["examples"] else {}
        extra.append({"from": a, "to": b, "kinds": e["kinds"],
                      "where": f"{ex.get('file')}:{ex.get('line')}: {ex.get('to_item')} ({ex.get('kind')})"})

    result = {
        "project": name,
        "files_indexed_by_ra": len(indexed),
        "ra_edges": len(ra),
        "fissure_edges": len(fs),
        "found": len(found),
        "recall": recall,
        "precision": precision,
        "missed_by_class": dict(Counter(r["class"] for r in missed).most_common()),
        "extra_by_kinds": dict(Counter("+".join(sorted(r["kinds"])) for r in extra).most_common()),
        "missed": missed,
        "extra": extra,
    }
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
        return
    print(f"{name}: {len(indexed)} files indexed by rust-analyzer")
    print(f"rust-analyzer module edges: {len(ra)}; fissure: {len(fs)}")
    print(f"recall    {recall:.3f}  ({len(found)}/{len(ra)})")
    print(f"precision {precision:.3f}  ({len(found)}/{len(fs)})")
    print(f"missed by class: {result['missed_by_class']}")
    print(f"fissure only, by kinds: {result['extra_by_kinds']}")
    for title, rows in (("missed", missed), ("fissure only", extra)):
        if rows:
            print(f"{title} ({len(rows)}):")
            for r in rows[: args.show]:
                detail = f"{r['class']}: {r['symbol']}" if "symbol" in r else r["kinds"]
                print(f"  {r['from']} -> {r['to']}   [{detail}]\n      {r['where']}")


if __name__ == "__main__":
    main()
