//! Co-change evidence (`analyze --git`): which commits count, the pair strength, the off
//! switch for thin histories, and that the evidence moves items together.

use std::path::Path;

use crate::history::History;
use crate::suggest::cochange::{CoChangeRules, co_change};
use crate::suggest::{self, SuggestOptions};
use crate::test_support::{Analysis, AnalyzeOptions, analyze};

fn hotel() -> Analysis {
    analyze(Path::new("fixtures/hotel"), AnalyzeOptions::default()).expect("hotel analyses")
}

fn commits(n: usize, files: &[&str]) -> Vec<Vec<String>> {
    vec![files.iter().map(|f| (*f).to_owned()).collect(); n]
}

fn module_path(a: &Analysis, id: crate::codebase::ModuleId) -> &str {
    &a.codebase.module(id).path
}

#[test]
fn files_changed_together_make_a_pair_with_cosine_strength() {
    let a = hotel();
    let mut history = commits(20, &["src/billing/refunds.rs", "src/users/profile.rs"]);
    // Refunds also changes alone 5 times: strength 20 / sqrt(25 * 20).
    history.extend(commits(5, &["src/billing/refunds.rs"]));
    let c = co_change(
        &History { commits: history },
        &a.codebase,
        &CoChangeRules::default(),
    );
    assert_eq!(c.off, None);
    assert_eq!(c.commits_used, 20);
    let pairs: Vec<(&str, &str, f64)> = c
        .pairs
        .iter()
        .map(|&(x, y, s)| (module_path(&a, x), module_path(&a, y), s))
        .collect();
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    let (x, y, s) = pairs[0];
    let mut names = [x, y];
    names.sort();
    assert_eq!(names, ["hotel::billing::refunds", "hotel::users::profile"]);
    assert!((s - 20.0 / (25.0f64 * 20.0).sqrt()).abs() < 1e-9, "{s}");
}

#[test]
fn thin_histories_huge_commits_and_unknown_files_do_not_count() {
    let a = hotel();
    let all: Vec<String> = a.codebase.files.iter().map(|f| f.display.clone()).collect();
    let mut history = vec![all; 50]; // reformatting commits: every file at once
    history.extend(commits(30, &["README.md", "src/users/profile.rs"]));
    history.extend(commits(
        19,
        &["src/billing/refunds.rs", "src/users/profile.rs"],
    ));
    let c = co_change(
        &History { commits: history },
        &a.codebase,
        &CoChangeRules::default(),
    );
    assert_eq!(c.commits_used, 19);
    assert!(c.pairs.is_empty());
    let off = c.off.expect("off below 20 usable commits");
    assert!(off.contains("19 commits"), "{off}");
}

#[test]
fn co_change_pulls_modules_into_one_domain() {
    let a = hotel();
    let domain_of = |s: &suggest::DomainSuggestion, m: &str| s.modules[m].domain;
    let plain = suggest::suggest(&a, &SuggestOptions::default());
    let (x, y) = ("hotel::billing::refunds", "hotel::users::profile");
    assert_ne!(domain_of(&plain, x), domain_of(&plain, y));
    let history = History {
        commits: commits(40, &["src/billing/refunds.rs", "src/users/profile.rs"]),
    };
    let options = SuggestOptions {
        co_change: Some(co_change(&history, &a.codebase, &CoChangeRules::default())),
        weights: suggest::LayerWeights {
            history: 20.0,
            ..Default::default()
        },
        ..SuggestOptions::default()
    };
    let together = suggest::suggest(&a, &options);
    assert_eq!(domain_of(&together, x), domain_of(&together, y));
}
