//! The rules, grouping, policy and baseline on small in-memory codebases.

use super::*;
use crate::diagnostics::{Level, Severity};
use crate::spec::ModuleOwner;
use crate::test_support::analyze_in_memory as analyze;

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

fn findings_of(code: &str, spec: &Spec) -> Vec<Diagnostic> {
    let (cb, res) = analyze(code);
    check(spec, &cb, &res).1
}

fn run(yaml: &str) -> Vec<Diagnostic> {
    findings_of(CODE, &spec(yaml))
}

/// (code, source, target) of each finding.
fn keys(findings: &[Diagnostic]) -> Vec<(&str, &str, &str)> {
    findings
        .iter()
        .map(|d| {
            let s = d.subject.as_deref().expect("a subject");
            (d.code.as_str(), s.source.as_str(), s.target.as_str())
        })
        .collect()
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
    let (cb, _) = analyze(CODE);
    let spec = spec(SPEC);
    let map = assign::assign(&spec, &cb);
    let owner = |p: &str| map.owners[cb.modules.iter().position(|m| m.path == p).unwrap()];
    assert_eq!(
        owner("app::orders::internal"),
        ModuleOwner::Domain("orders")
    );
    assert_eq!(owner("app::util"), ModuleOwner::Shared);
    assert_eq!(owner("app::stray"), ModuleOwner::Unassigned);
}

#[test]
fn only_public_items_of_a_declared_dependency_may_be_named() {
    let v = run(SPEC);
    assert_eq!(
        keys(&v),
        vec![
            (
                "boundary-violation",
                "app::billing::bill",
                "app::orders::internal::secret"
            ),
            (
                "kernel-depends-on-domain",
                "app::util::log",
                "app::billing::bill"
            ),
            ("unassigned-module", "app::stray", "app::stray"),
        ]
    );
    assert_eq!(v[0].severity, Severity::Error);
    assert_eq!(v[2].severity, Severity::Warning, "unassigned: warn");
    // The spec line that draws the boundary is a secondary label.
    let secondary: Vec<&str> = v[0]
        .labels
        .iter()
        .filter(|l| !l.primary)
        .map(|l| l.message.as_str())
        .collect();
    assert_eq!(secondary, vec!["`orders` does not list it in `public`"]);
}

#[test]
fn without_depends_on_even_public_items_are_off_limits() {
    let v = run(&SPEC
        .replace("    depends_on: [orders]\n", "")
        .replace("unassigned: warn", "unassigned: ignore"));
    let boundary: Vec<&str> = keys(&v)
        .into_iter()
        .filter(|k| k.0 == "boundary-violation")
        .map(|k| k.2)
        .collect();
    assert_eq!(
        boundary,
        vec!["app::orders::api::place", "app::orders::internal::secret"]
    );
    let help = v[0].help.as_deref().unwrap();
    assert!(help.contains("depends_on: [orders]"), "{help}");
    assert!(v.iter().all(|d| d.code != Code::UnassignedModule));
}

#[test]
fn used_dependencies_in_both_directions_are_a_cycle_between_domains() {
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
    let v = findings_of(code, &spec(yaml));
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].code, Code::CycleBetweenDomains);
    assert_eq!(v[0].subject.as_ref().unwrap().target, "a -> b, b -> a");
    // The other direction is shown where the code uses it.
    let other = v[0].labels.iter().find(|l| !l.primary).unwrap();
    assert_eq!(other.message, "`b` uses `a` here");
    assert_eq!((other.location.line, other.location.column), (2, 26));
}

/// Each finding's code, the item it comes from and the kind of its subject.
fn code_source_kind(v: &[Diagnostic]) -> Vec<(&str, &str, &str)> {
    v.iter()
        .map(|d| {
            let s = d.subject.as_deref().unwrap();
            (d.code.as_str(), s.source.as_str(), s.kind)
        })
        .collect()
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
    let v = findings_of(code, &spec(yaml));
    assert_eq!(
        code_source_kind(&v),
        vec![
            ("foreign-table-access", "app::orders::peek", "sql"),
            ("foreign-table-access", "app::orders::diesel", "table-path"),
        ]
    );
    // In SQL the caret goes under the table's name, not the whole string.
    assert_eq!(v[0].labels[0].focus.as_deref(), Some("invoices"));
}

#[test]
fn sea_orm_entity_paths_into_another_domains_table_are_foreign_accesses() {
    let code = "//- /src/lib.rs crate:app
pub mod entity {
    pub mod invoices {
        #[derive(Clone, DeriveEntityModel)]
        #[sea_orm(table_name = \"invoices\")]
        pub struct Model { pub id: i32 }
    }
}
pub mod billing { pub fn total() { crate::entity::invoices::Entity::find(); } }
pub mod orders {
    pub fn peek() { crate::entity::invoices::Entity::find(); }
    pub fn drop_all() { crate::entity::invoices::Entity::delete_many(); }
}
";
    let yaml = "version: 1
system: app
shared: [crate::entity, crate::entity::invoices]
domains:
  billing: { modules: [crate::billing], tables: [invoices] }
  orders: { modules: [crate::orders] }
";
    let v = findings_of(code, &spec(yaml));
    assert_eq!(
        code_source_kind(&v),
        vec![
            ("foreign-table-access", "app::orders::peek", "table-path"),
            (
                "foreign-table-access",
                "app::orders::drop_all",
                "table-path"
            ),
        ]
    );
    assert!(v[0].message.contains("(sea-orm read)"), "{}", v[0].message);
    assert!(v[1].message.contains("(sea-orm write)"), "{}", v[1].message);
}

#[test]
fn the_same_item_naming_the_same_target_again_is_one_finding_with_every_place() {
    let code = "//- /src/lib.rs crate:app
pub mod orders { pub fn secret() {} }
pub mod billing {
    pub fn bill() {
        crate::orders::secret();
        crate::orders::secret();
        crate::orders::secret();
    }
    pub fn other() { crate::orders::secret(); }
}
";
    let yaml = "version: 1
system: app
domains:
  orders: { modules: [crate::orders] }
  billing: { modules: [crate::billing], depends_on: [orders] }
";
    let v = findings_of(code, &spec(yaml));
    assert_eq!(
        keys(&v),
        vec![
            (
                "boundary-violation",
                "app::billing::bill",
                "app::orders::secret"
            ),
            (
                "boundary-violation",
                "app::billing::other",
                "app::orders::secret"
            ),
        ]
    );
    let lines: Vec<u32> = v[0].occurrences().iter().map(|l| l.line).collect();
    assert_eq!(lines, vec![4, 5, 6], "every place, in source order");
    assert_eq!(v[0].location.as_ref().unwrap().line, 4);
    assert_eq!(v[1].occurrences().len(), 1);
    let secondary = v[0].labels.iter().filter(|l| !l.primary).count();
    assert_eq!(secondary, 1, "the spec line once, not once per place");
}

#[test]
fn lints_set_the_level_of_each_code_and_former_names_still_work() {
    let yaml = format!(
        "{SPEC}lints:\n  boundary-violation: warn\n  kernel: allow\n",
        SPEC = SPEC.replace("unassigned: warn\n", "")
    );
    let v = run(&yaml);
    let levels: Vec<(&str, Severity)> = v.iter().map(|d| (d.code.as_str(), d.severity)).collect();
    assert_eq!(
        levels,
        vec![
            ("boundary-violation", Severity::Warning),
            ("unassigned-module", Severity::Warning),
        ],
        "kernel (the former name of kernel-depends-on-domain) is allowed, so dropped"
    );
}

#[test]
fn the_command_line_beats_the_spec_and_may_not_contradict_itself() {
    let mut spec = spec(&format!("{SPEC}lints:\n  boundary-violation: allow\n"));
    policy::set_from_command_line(
        &mut spec.lints,
        &[Code::BoundaryViolation],
        &[],
        &[Code::KernelDependsOnDomain, Code::UnassignedModule],
    )
    .unwrap();
    let v = findings_of(CODE, &spec);
    assert_eq!(keys(&v).len(), 1);
    assert_eq!(
        (v[0].code, v[0].severity),
        (Code::BoundaryViolation, Severity::Error)
    );
    let err = policy::set_from_command_line(
        &mut spec.lints,
        &[Code::BoundaryViolation],
        &[],
        &[Code::BoundaryViolation],
    )
    .unwrap_err();
    assert!(err.contains("contradict"), "{err}");
    assert_eq!(spec.lints.level(Code::CycleBetweenDomains), Level::Deny);
}

#[test]
fn exceptions_allow_findings_where_they_say_and_unmatched_ones_are_reported() {
    let yaml = format!(
        "{SPEC}lints:
  boundary-violation:
    exceptions:
      - {{ in: crate::billing, to: crate::orders::internal::*, reason: until the API exists }}
      - {{ in: crate::stray }}
  kernel-depends-on-domain:
    level: warn
    exceptions:
      - {{ in: crate::util::**, to: crate::orders::** }}
"
    );
    let v = run(&yaml);
    let found: Vec<(&str, Severity, u32)> = v
        .iter()
        .map(|d| {
            (
                d.code.as_str(),
                d.severity,
                d.location.as_ref().unwrap().line,
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("kernel-depends-on-domain", Severity::Warning, 3),
            ("unassigned-module", Severity::Warning, 1),
            ("unmatched-exception", Severity::Warning, 16),
            ("unmatched-exception", Severity::Warning, 20),
        ],
        "the billing exception matched; the stray and util ones match nothing"
    );
    let unmatched = &v[2];
    assert_eq!(
        unmatched.message,
        "no `boundary-violation` finding in `crate::stray` matches this exception"
    );
    assert!(
        unmatched.subject.is_none(),
        "about the spec: no baseline key"
    );
    assert_eq!(unmatched.location.as_ref().unwrap().column, 15);
}

#[test]
fn baselines_key_on_items_and_only_shrink_in_ci() {
    let v = run(SPEC);
    let all = baseline::Baseline::from_findings(&v);
    let text = all.render();
    assert!(
        text.contains("\"rule\": \"boundary\""),
        "baselines keep the v1 rule ids: {text}"
    );
    assert_eq!(baseline::Baseline::parse(&text).unwrap(), all, "round trip");
    let renamed = text.replace("\"boundary\"", "\"boundary-violation\"");
    assert_eq!(
        baseline::Baseline::parse(&renamed).unwrap(),
        all,
        "a code's new name reads as its rule id"
    );
    let key = |d: &Diagnostic| baseline::Key::of(d).unwrap();
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
    old.keys.remove(&key(&v[0]));
    let c = baseline::compare(&v, &old, |p| p != "app::billing::removed");
    assert_eq!(c.new, vec![0]);
    assert_eq!(c.known, vec![1, 2]);
    assert_eq!(c.stale, vec![gone]);
    assert_eq!(c.fixed.len(), 1);
    let (ci, refused) = baseline::updated(&old, &v, true);
    assert_eq!(refused, vec![key(&v[0])]);
    assert!(ci.keys.len() < old.keys.len() && !ci.keys.contains(&key(&v[0])));
    let (local, refused) = baseline::updated(&old, &v, false);
    assert!(refused.is_empty());
    assert_eq!(local, all);
    assert!(baseline::Baseline::parse("{\"schema_version\": 2, \"violations\": []}").is_err());
}
