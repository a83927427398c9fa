//! Domain suggestion on the bundled fixtures: the draft spec validates and is byte-identical
//! across runs, event candidates carry call sites, `--spec` pins declared domains, and the
//! scores against the fixtures' labels do not regress.

use std::path::{Path, PathBuf};

use crate::eval::Truth;
use crate::suggest::{self, SuggestOptions, draft_spec, evaluate};
use crate::test_support::{Analysis, AnalyzeOptions, analyze};

pub(super) fn fixture(name: &str) -> Analysis {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    analyze(&path, AnalyzeOptions::default()).expect("fixture analyses")
}

fn truth(name: &str) -> Truth {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
        .join("truth.yaml");
    Truth::parse(&std::fs::read_to_string(path).expect("truth file")).expect("valid truth")
}

fn errors(text: &str) -> Vec<String> {
    let (spec, diagnostics) = crate::spec::load("draft.yaml", text);
    let mut out: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.severity == crate::diagnostics::Severity::Error)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    if spec.is_none() {
        out.push("no spec".to_owned());
    }
    out
}

#[test]
fn draft_spec_validates_and_is_byte_identical_across_runs() {
    for name in ["hotel", "shop"] {
        let a = fixture(name);
        let s = suggest::suggest(&a, &SuggestOptions::default());
        let text = draft_spec::draft_spec(name, &s);
        assert_eq!(errors(&text), Vec::<String>::new(), "{name}:\n{text}");
        assert!(text.contains("domains:\n"), "{text}");
        let again = draft_spec::draft_spec(
            name,
            &suggest::suggest(&fixture(name), &SuggestOptions::default()),
        );
        assert_eq!(text, again, "{name}: same input and seed, same bytes");
    }
}

#[test]
fn another_seed_still_gives_a_valid_draft() {
    let a = fixture("hotel");
    let options = SuggestOptions {
        seed: 42,
        ..SuggestOptions::default()
    };
    let text = draft_spec::draft_spec("hotel", &suggest::suggest(&a, &options));
    assert_eq!(errors(&text), Vec::<String>::new(), "{text}");
}

#[test]
fn hotel_event_candidates_are_past_tense_facts_with_call_sites() {
    let a = fixture("hotel");
    let s = suggest::suggest(&a, &SuggestOptions::default());
    assert!(!s.events.is_empty(), "the hotel calls across domains");
    for e in &s.events {
        assert!(!e.call_sites.is_empty(), "{}", e.name);
        assert!(!e.subscribers.contains(&e.owner), "{}", e.name);
        assert!(
            e.call_sites
                .iter()
                .all(|(file, line)| file.ends_with(".rs") && *line > 0),
            "{:?}",
            e.call_sites
        );
    }
    let names: Vec<&str> = s.events.iter().map(|e| e.name.as_str()).collect();
    assert!(
        names
            .iter()
            .any(|n| n.ends_with("ed") || n.ends_with("Sent") || n.ends_with("Paid")),
        "{names:?}"
    );
    // Every crossing joins two different suggested domains.
    assert!(s.crossings.iter().all(|c| c.from_domain != c.to_domain));
}

#[test]
fn every_module_is_placed_and_kernel_modules_have_no_domain() {
    let a = fixture("shop");
    let s = suggest::suggest(&a, &SuggestOptions::default());
    assert_eq!(s.modules.len(), a.codebase.modules.len());
    for k in &s.kernel {
        assert_eq!(s.modules[&k.module].domain, None, "{}", k.module);
    }
    let listed: usize = s.domains.iter().map(|d| d.modules.len()).sum();
    assert_eq!(listed + s.kernel.len(), s.modules.len());
}

/// The hotel fixture's suggestion pinned to its spec, with the spec.
pub(super) fn hotel_pinned() -> (suggest::DomainSuggestion, crate::spec::Spec) {
    let a = fixture("hotel");
    let mut s = suggest::suggest(&a, &SuggestOptions::default());
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hotel/fissure.yaml"),
    )
    .expect("hotel spec");
    let (spec, _) = crate::spec::load("fissure.yaml", &text);
    let spec = spec.expect("hotel spec loads");
    let crates: Vec<&str> = (a.codebase.crates.iter())
        .map(|c| c.target.name.as_str())
        .collect();
    suggest::pin::pin(&mut s, &spec, &crates);
    (s, spec)
}

#[test]
fn pinning_the_hotel_spec_keeps_the_declared_domain_names() {
    let (s, spec) = hotel_pinned();
    for declared in spec.domains.keys() {
        assert!(
            s.domains.iter().any(|d| &d.name == declared),
            "{declared} kept"
        );
    }
    for d in &s.disagreements {
        assert_ne!(d.declared, d.suggested);
    }
    for e in &s.events {
        assert!(s.domains.iter().any(|d| d.name == e.owner), "{}", e.owner);
    }
}

/// Scores measured under the strict convention (`fissure::eval::score`: shared modules count,
/// the kernel is their answer); CI fails if they drop by more than the tolerance. Raise them
/// when the suggestion improves. The shop's was 100.0 / 1.000 while its kernel crate was left
/// out of the score; scored, its modules came out as four domains of their own (72.1 / 0.449)
/// until a crate named after infrastructure (`shop_kernel`) became kernel as a whole.
const MEASURED: &[(&str, f64, f64)] = &[("hotel", 95.8, 0.910), ("shop", 81.4, 0.621)];
const TOLERANCE_MOJO: f64 = 3.0;
const TOLERANCE_ARI: f64 = 0.05;

#[test]
fn fixture_scores_do_not_regress() {
    for &(name, mojo, ari) in MEASURED {
        let a = fixture(name);
        let s = suggest::suggest(&a, &SuggestOptions::default());
        let e = evaluate::evaluate(&a, &s, &truth(name));
        assert_eq!(e.suggestion.unplaced, 0, "{name}");
        assert!(
            e.suggestion.mojo_fm >= mojo - TOLERANCE_MOJO,
            "{name}: MoJoFM {:.1} fell below {mojo}",
            e.suggestion.mojo_fm
        );
        assert!(
            e.suggestion.ari >= ari - TOLERANCE_ARI,
            "{name}: ARI {:.3} fell below {ari}",
            e.suggestion.ari
        );
        assert!(
            e.suggestion.mojo_fm > e.louvain_use.mojo_fm,
            "{name}: beats Louvain on use edges"
        );
    }
}
