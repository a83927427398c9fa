#!/usr/bin/env python3
"""Recall of fissure's module edges against rust-analyzer's, as printed by cargo-modules.

    scripts/recall.py PROJECT [--fissure BIN] [--cargo-modules BIN] [--cache DIR] [--json]

For every lib and bin target of every workspace package of PROJECT, runs

    cargo-modules dependencies --manifest-path <package>/Cargo.toml -p <package> \
        (--lib | --bin NAME) --no-sysroot --layout none

(externs are kept so edges into sibling workspace crates count; edges into crates outside
the workspace are dropped here) and `fissure analyze PROJECT --format json`, maps both to
module-level edges `from module -> to module` (self-edges dropped) and prints:

  recall     = |RA & F| / |RA|  (the issue's target: >= 0.9)
  precision  = |RA & F| / |F|, over the edges leaving the modules RA covers; a lower bound,
               since cargo-modules only records imports, signatures and field types while
               fissure also follows function bodies. `precision (use/type/impl/bound)` counts
               only fissure edges that hold one of those kinds.

and the missed edges, each with the item-level edge rust-analyzer reported and the first line
of the source module that names the target item.

What rust-analyzer's edges are (cargo-modules 0.27 `graph/builder.rs`): a module uses every
item in its scope (imports, globs) that it does not define; a fn uses the types of its
parameters and return type; a struct/enum/union the types of its fields; a type alias its
aliased type; a method (owned by its self type) its signature types.

Mapping: an RA node's module is found through `owns` edges from the crate root (a method
is owned by its self type, so it maps to the type's module). A target outside the analysed
crate (another workspace crate) maps to the longest prefix of its path that is a module RA
found in that crate. RA names a crate by its lib or bin name; fissure by its unique target
name (a bin named like the lib gets `_bin`); both are matched through the root file.

cargo-modules output is cached per target in --cache (default /tmp/fissure-recall/<name>);
delete it to rerun. RUSTUP_TOOLCHAIN defaults to `stable` so a project's
rust-toolchain.toml does not make rustup fetch another toolchain.
"""

import argparse
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

NODE = re.compile(r'^\s*"([^"]+)" \[label=.*// "([^"]+)" node$')
EDGE = re.compile(r'^\s*"([^"]+)" -> "([^"]+)" \[.*// "(uses|owns)" edge$')
LIB_KINDS = {"lib", "rlib", "dylib", "proc-macro", "staticlib", "cdylib"}


def run(cmd, cwd=None, env=None):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)


def metadata(project, env):
    out = run(["cargo", "metadata", "--no-deps", "--format-version", "1"], cwd=project, env=env)
    if out.returncode != 0:
        sys.exit(f"cargo metadata failed in {project}:\n{out.stderr}")
    meta = json.loads(out.stdout)
    members = set(meta["workspace_members"])
    targets = []
    for pkg in meta["packages"]:
        if pkg["id"] not in members:
            continue
        for t in pkg["targets"]:
            kinds = set(t["kind"])
            if kinds & LIB_KINDS:
                kind = "lib"
            elif "bin" in kinds:
                kind = "bin"
            else:
                continue  # tests, examples, benches, build scripts: fissure skips them too
            targets.append(
                {
                    "package": pkg["name"],
                    "manifest": pkg["manifest_path"],
                    "kind": kind,
                    "name": t["name"],
                    "crate": t["name"].replace("-", "_"),
                    "src_path": os.path.realpath(t["src_path"]),
                }
            )
    return meta["workspace_root"], targets


def cargo_modules_dot(cm, target, cache, env):
    key = f"{target['package']}.{target['kind']}.{target['name']}.dot"
    path = os.path.join(cache, key)
    if os.path.exists(path):
        with open(path) as f:
            return f.read(), None
    cmd = [cm, "dependencies", "--manifest-path", target["manifest"], "-p", target["package"]]
    cmd += ["--lib"] if target["kind"] == "lib" else ["--bin", target["name"]]
    cmd += ["--no-sysroot", "--layout", "none"]
    print(f"  cargo-modules {target['package']} {target['kind']} {target['name']} ...", file=sys.stderr)
    out = run(cmd, env=env)
    if out.returncode != 0 or "digraph" not in out.stdout:
        return None, out.stderr.strip().splitlines()[-3:]
    os.makedirs(cache, exist_ok=True)
    with open(path, "w") as f:
        f.write(out.stdout)
    return out.stdout, None


def parse_dot(text):
    kinds, uses, owner = {}, [], {}
    for line in text.splitlines():
        m = EDGE.match(line)
        if m:
            src, dst, kind = m.groups()
            if kind == "uses":
                uses.append((src, dst))
            else:
                owner.setdefault(dst, src)
            continue
        m = NODE.match(line)
        if m:
            kinds[m.group(1)] = m.group(2)
    return kinds, uses, owner


def local_modules(kinds, owner, root):
    """Module of every node reachable from the crate root through `owns` edges."""
    children = defaultdict(list)
    for child, parent in owner.items():
        children[parent].append(child)
    module_of = {root: root}
    stack = [root]
    while stack:
        node = stack.pop()
        for child in children[node]:
            if child in module_of:
                continue
            module_of[child] = child if kinds.get(child) in ("mod", "crate") else module_of[node]
            stack.append(child)
    return module_of


def longest_module_prefix(path, modules):
    parts = path.split("::")
    for n in range(len(parts), 0, -1):
        candidate = "::".join(parts[:n])
        if candidate in modules:
            return candidate
    return None


def rename(path, old, new):
    return new + path[len(old):]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("project")
    ap.add_argument("--fissure", default=os.environ.get("FISSURE", "fissure"))
    ap.add_argument("--cargo-modules", default=os.environ.get("CARGO_MODULES", "cargo-modules"))
    ap.add_argument("--cache")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--show", type=int, default=100, help="missed edges to list")
    args = ap.parse_args()

    project = os.path.realpath(args.project)
    name = os.path.basename(project)
    cache = args.cache or os.path.join("/tmp/fissure-recall", name)
    env = dict(os.environ)
    env.setdefault("RUSTUP_TOOLCHAIN", "stable")

    root, targets = metadata(project, env)

    fj = run([args.fissure, "analyze", project, "--format", "json"])
    if fj.returncode != 0:
        sys.exit(f"fissure analyze failed:\n{fj.stderr}")
    report = json.loads(fj.stdout)
    fissure_root = report.get("root", project)
    by_root = {}
    for c in report["crates"]:
        by_root[os.path.realpath(os.path.join(project, c["root_file"]))] = c["name"]
    module_files = {m["path"]: m["file"] for m in report["modules"]}

    # Pass 1: cargo-modules per target; RA's module set per crate.
    runs, failed = [], []
    for t in targets:
        fname = by_root.get(t["src_path"])
        if fname is None:
            failed.append((t, ["fissure found no crate with this root file"]))
            continue
        dot, err = cargo_modules_dot(args.cargo_modules, t, cache, env)
        if dot is None:
            failed.append((t, err))
            continue
        kinds, uses, owner = parse_dot(dot)
        module_of = local_modules(kinds, owner, t["crate"])
        runs.append((t, fname, kinds, uses, module_of))
    # Lib crates other targets can reach: RA name -> (fissure name, RA module paths).
    libs = {}
    for t, fname, kinds, uses, module_of in runs:
        if t["kind"] == "lib":
            mods = {m for n, m in module_of.items() if n == m}
            libs[t["crate"]] = (fname, mods)

    # Pass 2: RA module edges, in fissure's names.
    ra_edges = {}  # (from, to) -> example (src item, dst item)
    covered_modules = set()
    for t, fname, kinds, uses, module_of in runs:
        for n, m in module_of.items():
            if n == m:
                covered_modules.add(rename(m, t["crate"], fname))
        for src, dst in uses:
            if src not in module_of:
                continue
            from_mod = rename(module_of[src], t["crate"], fname)
            if dst in module_of:
                to_mod = rename(module_of[dst], t["crate"], fname)
            else:
                krate = dst.split("::")[0]
                if krate not in libs:
                    continue  # a crate outside the workspace
                lib_name, mods = libs[krate]
                prefix = longest_module_prefix(dst, mods)
                if prefix is None:
                    continue
                to_mod = rename(prefix, krate, lib_name)
            if from_mod != to_mod:
                ra_edges.setdefault((from_mod, to_mod), (src, dst))

    f_edges, f_strict = {}, set()
    for e in report["edges"]:
        if e["from"] not in covered_modules:
            continue
        key = (e["from"], e["to"])
        f_edges[key] = e
        if set(e["kinds"]) & {"use", "type", "impl", "bound"}:
            f_strict.add(key)

    ra = set(ra_edges)
    found = ra & set(f_edges)
    missed = sorted(ra - set(f_edges))
    recall = len(found) / len(ra) if ra else 1.0
    precision = len(found) / len(f_edges) if f_edges else 1.0
    strict_precision = len(ra & f_strict) / len(f_strict) if f_strict else 1.0

    missed_rows = []
    for a, b in missed:
        src_item, dst_item = ra_edges[(a, b)]
        file = module_files.get(a)
        where = f"{file}" if file else "?"
        leaf = dst_item.split("::")[-1]
        if file:
            try:
                with open(os.path.join(fissure_root, file), encoding="utf-8") as fh:
                    for i, line in enumerate(fh, 1):
                        if re.search(r"\b" + re.escape(leaf) + r"\b", line):
                            where = f"{file}:{i}: {line.strip()[:100]}"
                            break
            except OSError:
                pass
        missed_rows.append({"from": a, "to": b, "ra_from_item": src_item, "ra_to_item": dst_item, "where": where})

    result = {
        "project": name,
        "targets": len(targets),
        "targets_analysed_by_ra": len(runs),
        "ra_failures": [
            {"package": t["package"], "kind": t["kind"], "name": t["name"], "error": err} for t, err in failed
        ],
        "ra_edges": len(ra),
        "fissure_edges": len(f_edges),
        "fissure_edges_use_type_impl_bound": len(f_strict),
        "found": len(found),
        "recall": recall,
        "precision": precision,
        "precision_use_type_impl_bound": strict_precision,
        "missed": missed_rows,
    }
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
        return
    print(f"{name}: {len(runs)}/{len(targets)} targets analysed by rust-analyzer")
    for t, err in failed:
        print(f"  cargo-modules failed on {t['package']} {t['kind']} {t['name']}: {' | '.join(err or [])}")
    print(f"rust-analyzer module edges: {len(ra)}; fissure: {len(f_edges)} ({len(f_strict)} with use/type/impl/bound)")
    print(f"recall    {recall:.3f}  ({len(found)}/{len(ra)})")
    print(f"precision {precision:.3f}  (use/type/impl/bound only: {strict_precision:.3f})")
    if missed_rows:
        print(f"missed ({len(missed_rows)}):")
        for r in missed_rows[: args.show]:
            print(f"  {r['from']} -> {r['to']}   [RA: {r['ra_from_item']} -> {r['ra_to_item']}]")
            print(f"      {r['where']}")


if __name__ == "__main__":
    main()
