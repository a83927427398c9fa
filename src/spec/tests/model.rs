//! The validated model that `check` and `generate` consume, as loaded from a good spec:
//! typed fields in declaration order, defaults filled in, references resolved, locations kept.

use std::path::Path;

use crate::diagnostics::{Code, Level};
use crate::spec::{
    FieldType, ModuleOwner, PatternKind, SagaOutcome, Spec, StepAction, SubscriptionMode, load,
};

fn library() -> Spec {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/specs/good/fissure.library.yaml");
    let text = std::fs::read_to_string(path).expect("fixture");
    let (spec, diagnostics) = load("fissure.library.yaml", &text);
    assert_eq!(diagnostics, []);
    spec.expect("valid spec")
}

#[test]
fn top_level_settings() {
    let spec = library();
    assert_eq!(spec.version, 1);
    assert_eq!(spec.system.value, "library");
    assert_eq!(
        (spec.system.location.line, spec.system.location.column),
        (3, 9)
    );
    // `unassigned: error` is the level of the `unassigned-module` finding.
    assert_eq!(spec.lints.level(Code::UnassignedModule), Level::Deny);
    let shared: Vec<&str> = spec.shared.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(shared, ["crate::util", "crate::db::**"]);
    assert_eq!(spec.shared[1].kind, PatternKind::Descendants);
    assert_eq!(
        spec.domains.keys().collect::<Vec<_>>(),
        ["catalogue", "fines", "loans", "members"]
    );
}

#[test]
fn subscriptions_get_default_handlers_and_modes() {
    let spec = library();
    let loans = &spec.domains["loans"];
    let subscriptions: Vec<(&str, &str, SubscriptionMode)> = loans
        .subscribes
        .iter()
        .map(|s| (s.event.value.as_str(), s.handler.value.as_str(), s.mode))
        .collect();
    assert_eq!(
        subscriptions,
        [
            (
                "MemberSuspended",
                "on_member_suspended",
                SubscriptionMode::Reaction
            ),
            ("CopyHeld", "activate_loan", SubscriptionMode::Reaction),
            ("CopyUnavailable", "drop_loan", SubscriptionMode::Reaction),
            (
                "MemberEnrolled",
                "borrower_directory",
                SubscriptionMode::Projection
            ),
        ]
    );
    let depends: Vec<&str> = loans.depends_on.iter().map(|d| d.value.as_str()).collect();
    assert_eq!(depends, ["members", "catalogue"]);
    assert_eq!(
        loans.commands["OpenLoan"].description.as_deref(),
        Some("A member asks to borrow a copy.")
    );
}

#[test]
fn events_have_typed_fields_in_declaration_order() {
    let spec = library();
    let suspended = &spec.events["MemberSuspended"];
    assert_eq!(suspended.from.value, "members");
    assert_eq!(suspended.version, 2);
    assert_eq!(
        suspended.key.as_ref().map(|k| k.value.as_str()),
        Some("member_id")
    );
    let fields: Vec<(&str, String)> = suspended
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.ty.to_string()))
        .collect();
    assert_eq!(
        fields,
        [
            ("member_id", "Uuid".into()),
            ("reason", "String".into()),
            ("until", "Option<Date>".into())
        ]
    );
    assert_eq!(
        suspended.fields[2].description.as_deref(),
        Some("open-ended when absent")
    );
    assert_eq!(
        spec.events["MemberReinstated"].version, 1,
        "version defaults to 1"
    );

    let fine = &spec.events["FineCharged"];
    let types: Vec<&FieldType> = fine.fields.iter().map(|f| &f.ty).collect();
    assert_eq!(
        types,
        [
            &FieldType::Uuid,
            &FieldType::Uuid,
            &FieldType::Named("Money".into()),
            &FieldType::Vec(Box::new(FieldType::Named("Money".into()))),
            &FieldType::Bool,
            &FieldType::F64,
            &FieldType::Option(Box::new(FieldType::String)),
            &FieldType::I32,
            &FieldType::U64,
        ]
    );
    assert_eq!(spec.types["Money"].fields.len(), 2);
}

#[test]
fn sagas_resolve_commands_and_events() {
    let spec = library();
    let saga = &spec.sagas["borrowing"];
    assert_eq!(saga.owner.value, "loans");
    assert_eq!(saga.starts_on.value, "LoanOpened");
    assert_eq!(saga.correlate_by.value, "loan_id");
    let hold = &saga.steps[0];
    let StepAction::Invoke(command) = &hold.action else {
        panic!("hold_copy invokes a command")
    };
    assert_eq!(
        (command.domain.as_str(), command.command.as_str()),
        ("catalogue", "HoldCopy")
    );
    assert_eq!(
        hold.compensate.as_ref().map(|c| c.command.as_str()),
        Some("ReleaseCopy")
    );
    assert_eq!(
        hold.failure_on.as_ref().map(|e| e.value.as_str()),
        Some("CopyUnavailable")
    );
    assert!(!hold.pivot);
    assert!(matches!(&saga.steps[1].action, StepAction::Await(e) if e.value == "LoanClosed"));
    assert!(matches!(&saga.on_failure, Some(SagaOutcome::Command(c)) if c.command == "CancelLoan"));
    assert_eq!(saga.on_success, None);
    assert_eq!(saga.timeout, std::time::Duration::from_secs(120));
}

#[test]
fn module_patterns_assign_modules_to_the_most_specific_domain() {
    let spec = library();
    let owner = |module: &str| -> Option<&str> {
        spec.domains
            .values()
            .flat_map(|d| d.modules.iter().map(move |p| (d.name.as_str(), p)))
            .filter_map(|(name, p)| p.matches(module, &["library"]).map(|s| (s, name)))
            .max()
            .map(|(_, name)| name)
    };
    assert_eq!(owner("library::loans::overdue"), Some("loans"));
    assert_eq!(owner("library::catalogue::search"), Some("catalogue"));
    assert_eq!(
        owner("library::catalogue::search::index"),
        None,
        "`*` is one level only"
    );
    assert_eq!(owner("library::fines"), Some("fines"));
    assert_eq!(owner("other_crate::fines"), None);
}

#[test]
fn owner_of_follows_the_most_specific_pattern_across_domains_and_the_kernel() {
    let text = "version: 1\nsystem: shop\nshared: [crate::util::**]\ndomains:\n  orders: { modules: [crate::**] }\n  billing: { modules: [shop::billing, shop::util::money] }\n";
    let (spec, diagnostics) = load("f.yaml", text);
    assert_eq!(diagnostics, []);
    let spec = spec.expect("valid");
    let crates = ["shop"];
    assert_eq!(
        spec.owner_of("shop::orders::db", &crates),
        ModuleOwner::Domain("orders")
    );
    assert_eq!(
        spec.owner_of("shop::billing", &crates),
        ModuleOwner::Domain("billing")
    );
    assert_eq!(
        spec.owner_of("shop::util::time", &crates),
        ModuleOwner::Shared
    );
    assert_eq!(
        spec.owner_of("shop::util::money", &crates),
        ModuleOwner::Domain("billing")
    );
    assert_eq!(spec.owner_of("shop", &crates), ModuleOwner::Unassigned);
    assert_eq!(spec.owner_of("serde::de", &crates), ModuleOwner::Unassigned);
}

#[test]
fn a_saga_timeout_defaults_to_30_s_and_must_be_a_duration() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/specs/good/fissure.library.yaml"),
    )
    .expect("fixture");
    let (spec, _) = load("x.yaml", &text.replace("    timeout: 2m\n", ""));
    assert_eq!(
        spec.expect("valid").sagas["borrowing"].timeout,
        crate::spec::DEFAULT_SAGA_TIMEOUT
    );
    let bad = text.replace("timeout: 2m", "timeout: soon");
    let (spec, diagnostics) = load("x.yaml", &bad);
    assert!(spec.is_none());
    let line = bad
        .lines()
        .position(|l| l.contains("timeout: soon"))
        .unwrap()
        + 1;
    let found: Vec<(String, u32, u32)> = diagnostics
        .iter()
        .map(|d| {
            let l = d.location.as_ref().expect("located");
            (d.code.as_str().to_owned(), l.line, l.column)
        })
        .collect();
    assert_eq!(found, [("wrong-type".to_owned(), line as u32, 14)]);
}
