use super::*;
use crate::resolve::tests::analyze;

const CODE: &str = "//- /src/lib.rs crate:app
pub mod orders { pub mod api { pub fn place() {} } pub mod internal { pub fn secret() {} } }
pub mod billing { pub fn bill() { crate::orders::api::place(); crate::orders::internal::secret(); } }
pub mod util { pub fn log() { crate::billing::bill(); } }
pub mod stray { pub fn lost() {} }
";

fn spec(yaml: &str) -> Spec {
    let (spec, diagnostics) = crate::spec::load("fissure.yaml", yaml);
    spec.unwrap_or_else(|| panic!("{diagnostics:#?}"))
}

fn run(yaml: &str) -> (DomainMap, Vec<Violation>, Codebase) {
    let (cb, res) = analyze(CODE);
    let (map, v) = check(&spec(yaml), &cb, &res);
    (map, v, cb)
}

const SPEC: &str = "version: 1
system: app
shared: [crate::util]
unassigned: warn
domains:
  orders:
    modules: [crate::orders, crate::orders::**]
    public: [crate::orders::api]
  billing:
    modules: [crate::billing]
    depends_on: [orders]
";

#[test]
fn the_most_specific_pattern_owns_a_module() {
    let (map, _, cb) = run(SPEC);
    let owner = |p: &str| map.owners[cb.modules.iter().position(|m| m.path == p).unwrap()].clone();
    assert_eq!(
        owner("app::orders::internal"),
        Owner::Domain("orders".into())
    );
    assert_eq!(owner("app::util"), Owner::Shared);
    assert_eq!(owner("app::stray"), Owner::Unassigned);
}

#[test]
fn only_public_items_of_a_declared_dependency_may_be_named() {
    let (_, v, _) = run(SPEC);
    let rules: Vec<(&str, &str, &str)> = v
        .iter()
        .map(|v| (v.rule.id(), v.source.as_str(), v.target.as_str()))
        .collect();
    assert_eq!(
        rules,
        vec![
            (
                "boundary",
                "app::billing::bill",
                "app::orders::internal::secret"
            ),
            ("kernel", "app::util::log", "app::billing::bill"),
            ("unassigned", "app::stray", "app::stray"),
        ]
    );
    assert_eq!(v[2].severity, Severity::Warning, "unassigned: warn");
}

#[test]
fn without_depends_on_even_public_items_are_off_limits() {
    let (_, v, _) = run(&SPEC
        .replace("    depends_on: [orders]\n", "")
        .replace("unassigned: warn", "unassigned: ignore"));
    let boundary: Vec<&str> = v
        .iter()
        .filter(|v| v.rule == Rule::Boundary)
        .map(|v| v.target.as_str())
        .collect();
    assert_eq!(
        boundary,
        vec!["app::orders::api::place", "app::orders::internal::secret"]
    );
    assert!(v[0].help.contains("depends_on: [orders]"), "{}", v[0].help);
    assert!(v.iter().all(|v| v.rule != Rule::Unassigned));
}

#[test]
fn used_dependencies_in_both_directions_are_a_domain_cycle() {
    let code = "//- /src/lib.rs crate:app
pub mod a { pub fn f() { crate::b::g(); } }
pub mod b { pub fn g() { crate::a::f(); } }
";
    let yaml = "version: 1
system: app
domains:
  a: { modules: [crate::a], public: [crate::a::*], depends_on: [b] }
  b: { modules: [crate::b], public: [crate::b::*], depends_on: [a] }
";
    let (cb, res) = analyze(code);
    let (_, v) = check(&spec(yaml), &cb, &res);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].rule, Rule::DomainCycle);
    assert_eq!(v[0].target, "a -> b, b -> a");
}

#[test]
fn tables_of_another_domain_are_off_limits_to_sql_and_diesel_paths() {
    let code = "//- /src/lib.rs crate:app
pub mod schema { table! { invoices (id) { id -> Int4, } } }
pub mod billing { pub fn total(db: &Db) { db.query(\"SELECT sum(x) FROM invoices\"); } }
pub mod orders {
    pub fn peek(db: &Db) { db.query(\"SELECT * FROM invoices JOIN orders ON 1 = 1\"); }
    pub fn diesel() { let _ = crate::schema::invoices::table; }
}
";
    let yaml = "version: 1
system: app
shared: [crate::schema]
domains:
  billing: { modules: [crate::billing], tables: [invoices] }
  orders: { modules: [crate::orders], tables: [orders] }
";
    let (cb, res) = analyze(code);
    let (_, v) = check(&spec(yaml), &cb, &res);
    let tables: Vec<(&str, &str, &str)> = v
        .iter()
        .map(|v| (v.rule.id(), v.source.as_str(), v.edge_kind))
        .collect();
    assert_eq!(
        tables,
        vec![
            ("table", "app::orders::peek", "sql"),
            ("table", "app::orders::diesel", "table-path"),
        ]
    );
}

#[test]
fn baselines_key_on_items_and_only_shrink_in_ci() {
    let (_, v, _) = run(SPEC);
    let all = baseline::Baseline::from_violations(&v);
    let text = all.render();
    assert_eq!(baseline::Baseline::parse(&text).unwrap(), all, "round trip");
    let mut old = all.clone();
    let gone = baseline::Key {
        rule: "boundary".into(),
        source: "app::billing::removed".into(),
        target: "app::orders::internal::secret".into(),
    };
    old.keys.insert(gone.clone());
    let fixed = baseline::Key {
        source: "app::billing::bill".into(),
        ..gone.clone()
    };
    old.keys.insert(baseline::Key {
        target: "app::orders::api::place".into(),
        ..fixed
    });
    old.keys.remove(&v[0].key());
    let c = baseline::compare(&v, &old, |p| p != "app::billing::removed");
    assert_eq!(c.new, vec![0]);
    assert_eq!(c.known, vec![1, 2]);
    assert_eq!(c.stale, vec![gone]);
    assert_eq!(c.fixed.len(), 1);
    let (ci, refused) = baseline::updated(&old, &v, true);
    assert_eq!(refused, vec![v[0].key()]);
    assert!(ci.keys.len() < old.keys.len() && !ci.keys.contains(&v[0].key()));
    let (local, refused) = baseline::updated(&old, &v, false);
    assert!(refused.is_empty());
    assert_eq!(local, all);
    assert!(baseline::Baseline::parse("{\"schema_version\": 2, \"violations\": []}").is_err());
}
