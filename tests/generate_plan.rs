//! The generated tree of each fixture spec, snapshotted (one listing per fixture: every
//! file's path and owner, and the full content of everything but the verbatim runtime), plus
//! determinism and the inertness of hostile spec text.

use fissure::generate::{self, GeneratedFile, Owner, RUNTIME_FILES};
use fissure::spec;

fn load(path: &str) -> spec::Spec {
    let text = std::fs::read_to_string(path).expect("fixture spec reads");
    let (spec, diagnostics) = spec::load(path, &text);
    spec.unwrap_or_else(|| panic!("{path} is valid: {diagnostics:?}"))
}

fn listing(files: &[GeneratedFile]) -> String {
    let mut out = String::new();
    for f in files {
        let owner = match f.owner {
            Owner::Generated => "generated",
            Owner::User => "user",
        };
        if f.path.starts_with("runtime/") {
            out.push_str(&format!(
                "==> {} ({owner}, verbatim copy of runtime)\n",
                f.path
            ));
        } else {
            out.push_str(&format!("==> {} ({owner})\n{}\n", f.path, f.content));
        }
    }
    out
}

#[test]
fn hotel_workspace() {
    let files = generate::plan(&load("fixtures/hotel/fissure.yaml")).expect("hotel generates");
    insta::assert_snapshot!(listing(&files));
}

#[test]
fn shop_workspace() {
    let files = generate::plan(&load("fixtures/shop/fissure.yaml")).expect("shop generates");
    insta::assert_snapshot!(listing(&files));
}

#[test]
fn regeneration_is_byte_identical_and_sorted() {
    let spec = load("fixtures/shop/fissure.yaml");
    let first = generate::plan(&spec).expect("generates");
    let second = generate::plan(&spec).expect("generates");
    assert_eq!(first, second);
    let paths: Vec<&str> = first.iter().map(|f| f.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted);
}

#[test]
fn the_runtime_is_copied_verbatim() {
    let files = generate::plan(&load("fixtures/hotel/fissure.yaml")).expect("generates");
    for (path, content) in RUNTIME_FILES {
        let copy = files
            .iter()
            .find(|f| f.path == format!("runtime/{path}"))
            .expect("copied");
        assert_eq!(copy.content, *content, "runtime/{path}");
        assert_eq!(copy.owner, Owner::Generated);
    }
}

#[test]
fn generated_rust_starts_with_the_header_and_user_files_do_not() {
    let files = generate::plan(&load("fixtures/hotel/fissure.yaml")).expect("generates");
    for f in files
        .iter()
        .filter(|f| f.path.ends_with(".rs") && !f.path.starts_with("runtime/"))
    {
        match f.owner {
            Owner::Generated => assert!(f.content.starts_with(generate::HEADER), "{}", f.path),
            Owner::User => assert!(!f.content.contains("@generated"), "{}", f.path),
        }
    }
}

/// Names of every function and module the generated code defines.
#[derive(Default)]
struct FnNames(Vec<String>);

impl<'ast> syn::visit::Visit<'ast> for FnNames {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.0.push(f.sig.ident.to_string());
        syn::visit::visit_item_fn(self, f);
    }
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        self.0.push(m.ident.to_string());
        syn::visit::visit_item_mod(self, m);
    }
}

const HOSTILE: &str = r#"version: 1
system: evil
domains:
  alpha:
    description: "ends a comment */ then \"quotes\" and\nfn injected() { std::process::exit(1) }"
    commands:
      DoThing:
        description: "*/ panic!(\"boom\"); /*"
        fields: { note: String }
        emits: [ThingDone]
  beta:
    subscribes: [ThingDone]
events:
  ThingDone:
    from: alpha
    version: 1
    key: note
    description: "\"); } fn evil() { /* \n #[doc = \"x\"]"
    fields:
      note: { type: String, description: "*/ }\n} mod x {" }
"#;

#[test]
fn hostile_text_stays_in_doc_attributes_and_literals() {
    let (spec, diagnostics) = spec::load("hostile.yaml", HOSTILE);
    let spec = spec.unwrap_or_else(|| panic!("the hostile spec is valid: {diagnostics:?}"));
    let files = generate::plan(&spec).expect("generates");
    for f in files
        .iter()
        .filter(|f| f.path.ends_with(".rs") && !f.path.starts_with("runtime/"))
    {
        // Every generated file parses, and no injected item appears as code.
        let parsed =
            syn::parse_file(&f.content).unwrap_or_else(|e| panic!("{} parses: {e}", f.path));
        let mut names = FnNames::default();
        syn::visit::Visit::visit_file(&mut names, &parsed);
        for injected in ["injected", "evil", "x"] {
            assert!(
                !names.0.iter().any(|n| n == injected),
                "{}: fn {injected} became code",
                f.path
            );
        }
    }
    let events = files
        .iter()
        .find(|f| f.path == "events/src/generated.rs")
        .expect("events");
    assert!(
        events.content.contains("/// \"); } fn evil() { /*"),
        "{}",
        events.content
    );
}

#[test]
fn names_that_are_not_identifiers_never_reach_code() {
    for (bad, what) in [
        ("domains:\n  type:\n    description: x\n", "keyword domain"),
        (
            "domains:\n  \"../up\":\n    description: x\n",
            "path domain",
        ),
    ] {
        let yaml = format!("version: 1\nsystem: s\n{bad}");
        let (spec, diagnostics) = spec::load("bad.yaml", &yaml);
        assert!(
            spec.is_none(),
            "{what} is rejected by validation: {diagnostics:?}"
        );
    }
}
