//! One file, one domain on the shop fixture, whose files hold inline modules (`money_fmt` and
//! `api` in the crate root, `billing::tax::eu` with its nested `reverse_charge`, the kernel's
//! `error::checks` and `query::sql_types::dsl`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::suggest::{self, SuggestOptions, input};
use crate::test_support::{AnalyzeOptions, analyze};

#[test]
fn shop_items_of_one_file_share_a_domain() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/shop");
    let a = analyze(&path, AnalyzeOptions::default()).expect("fixture analyses");
    let c = suggest::cluster(&a, &SuggestOptions::default());
    let files = input::files_of(&a, &c.built.items);
    let mut per_file: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    let mut inline_nodes = 0;
    for (node, at) in files.iter().enumerate() {
        inline_nodes += usize::from(at.inline);
        if let Some(d) = c.suggestion.domain[node] {
            per_file.entry(at.file).or_default().insert(d);
        }
    }
    assert!(inline_nodes >= 4, "the fixture keeps its inline modules");
    let with_inline: BTreeSet<u32> = files.iter().filter(|f| f.inline).map(|f| f.file).collect();
    for file in with_inline {
        let domains = per_file.get(&file).cloned().unwrap_or_default();
        assert!(
            domains.len() <= 1,
            "{}: {domains:?}",
            a.codebase.modules[file as usize].path
        );
    }
}
