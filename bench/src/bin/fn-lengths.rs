//! fn-lengths: the longest functions of a source tree, for the "no function over ~80 lines"
//! rule. Counts every `fn` with a body (free, inherent, trait impl, trait default, nested)
//! from its `fn` keyword to its closing brace, doc comments and attributes left out.
//!
//!     cargo run --release -p fissure-bench --bin fn-lengths -- src [--top 10] [--over 80]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use syn::visit::{self, Visit};
use walkdir::WalkDir;

#[derive(Debug, Parser)]
#[command(name = "fn-lengths", about = "The longest functions below a folder")]
struct Args {
    /// Folders or files to read (every `.rs` file below, outside `target/` and hidden folders).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// How many to list.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Also count the functions longer than this many lines.
    #[arg(long, default_value_t = 80)]
    over: usize,
}

/// One function: its length in lines, where it starts and its name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Function {
    lines: usize,
    file: String,
    line: usize,
    name: String,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut all = Vec::new();
    for root in &args.paths {
        for file in rust_files(root) {
            let text = match std::fs::read_to_string(&file) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: cannot read {}: {e}", file.display());
                    return ExitCode::from(2);
                }
            };
            match functions(&text, &file.display().to_string()) {
                Ok(found) => all.extend(found),
                Err(e) => eprintln!("warning: {} does not parse: {e}", file.display()),
            }
        }
    }
    all.sort_by(|a, b| b.lines.cmp(&a.lines).then_with(|| a.cmp(b)));
    for f in all.iter().take(args.top) {
        println!("{:>5}  {}:{}  {}", f.lines, f.file, f.line, f.name);
    }
    let over = all.iter().filter(|f| f.lines > args.over).count();
    println!("{} functions, {over} over {} lines", all.len(), args.over);
    ExitCode::SUCCESS
}

fn rust_files(root: &Path) -> Vec<PathBuf> {
    WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('.') || name == "target")
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| e.into_path())
        .collect()
}

/// Every function with a body in `text`.
fn functions(text: &str, file: &str) -> syn::Result<Vec<Function>> {
    let parsed = syn::parse_file(text)?;
    let mut collector = Collector {
        file,
        found: Vec::new(),
    };
    collector.visit_file(&parsed);
    proc_macro2::extra::invalidate_current_thread_spans();
    Ok(collector.found)
}

struct Collector<'a> {
    file: &'a str,
    found: Vec<Function>,
}

impl Collector<'_> {
    fn add(&mut self, sig: &syn::Signature, block: &syn::Block) {
        let start = sig.fn_token.span.start().line;
        let end = block.brace_token.span.close().end().line;
        self.found.push(Function {
            lines: end + 1 - start,
            file: self.file.to_string(),
            line: start,
            name: sig.ident.to_string(),
        });
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.add(&f.sig, &f.block);
        visit::visit_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.add(&f.sig, &f.block);
        visit::visit_impl_item_fn(self, f);
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if let Some(block) = &f.default {
            self.add(&f.sig, block);
        }
        visit::visit_trait_item_fn(self, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_from_the_fn_keyword_to_the_closing_brace_of_every_kind_of_function() {
        let text = "/// doc\n#[inline]\nfn free() {\n    let x = 1;\n}\n\
                    struct S;\nimpl S {\n    fn method(&self) {}\n}\n\
                    trait T {\n    fn required(&self);\n    fn provided(&self) {\n        fn nested() {}\n    }\n}\n";
        let found = functions(text, "a.rs").unwrap();
        let summary: Vec<(&str, usize, usize)> = (found.iter())
            .map(|f| (f.name.as_str(), f.line, f.lines))
            .collect();
        assert_eq!(
            summary,
            [
                ("free", 3, 3),
                ("method", 8, 1),
                ("provided", 12, 3),
                ("nested", 13, 1)
            ]
        );
    }
}
