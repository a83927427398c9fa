//! Why the fixtures' kernel modules are kernel: the garage has an aggregator, infrastructure
//! by name, an entry point and a module that follows its submodules; the shop adds hubs and
//! composition roots; the hotel's spec declares some of its kernel.

use std::collections::BTreeMap;

use crate::suggest::{self, KernelWhy, SuggestOptions, kernel_why};

use super::drafts::{fixture, hotel_pinned};

#[test]
fn the_garage_kernel_says_why_each_module_is_there() {
    let s = suggest::suggest(&fixture("garage"), &SuggestOptions::default());
    let got: Vec<(&str, String)> = (s.kernel.iter())
        .map(|k| (k.module.as_str(), k.why.to_string()))
        .collect();
    let expected = [
        (
            "garage",
            "aggregator: no subject of its own, its submodules sit in 2 domains",
        ),
        (
            "garage::kernel",
            "no items of its own; its 2 submodules are in the kernel",
        ),
        ("garage::kernel::ids", "infrastructure name `kernel`"),
        ("garage::kernel::money", "infrastructure name `kernel`"),
        ("garage_bin", "entry point `fn main`"),
    ];
    let expected: Vec<(&str, String)> = (expected.iter())
        .map(|(m, why)| (*m, (*why).to_owned()))
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn the_shop_kernel_gives_each_module_its_most_common_item_reason() {
    let s = suggest::suggest(&fixture("shop"), &SuggestOptions::default());
    let ids: BTreeMap<&str, &str> = (s.kernel.iter())
        .map(|k| (k.module.as_str(), k.why.id()))
        .collect();
    let expected = [
        ("seed", "entry-point"),
        ("shop::common", "infrastructure-name"),
        ("shop_kernel::db", "infrastructure-name"),
        ("shop_kernel::money", "infrastructure-name"),
    ];
    for (module, id) in expected {
        assert_eq!(ids.get(module), Some(&id), "{module} in {ids:#?}");
    }
    let db = s.kernel.iter().find(|k| k.module == "shop_kernel::db");
    let Some(KernelWhy::Items { reasons, items }) = db.map(|k| &k.why) else {
        panic!("shop_kernel::db is kernel by its items: {db:?}");
    };
    assert_eq!(reasons.iter().map(|r| r.items).sum::<usize>(), *items);
}

#[test]
fn a_module_with_two_item_reasons_lists_both_with_their_counts() {
    let s = suggest::suggest(&fixture("hotel"), &SuggestOptions::default());
    let bin = s.kernel.iter().find(|k| k.module == "hotel_bin");
    let Some(KernelWhy::Items { reasons, items: 2 }) = bin.map(|k| &k.why) else {
        panic!("the hotel's binary is kernel by its two items: {bin:?}");
    };
    let kinds: Vec<(&str, usize)> = (reasons.iter())
        .map(|r| (kernel_why::id(&r.reason), r.items))
        .collect();
    assert_eq!(kinds, [("composition-root", 1), ("entry-point", 1)]);
    assert!(
        (bin.map(|k| k.why.to_string()).unwrap_or_default())
            .ends_with("(1 of 2 items); entry point `fn main` (1 of 2 items)")
    );
}

#[test]
fn pinning_says_which_kernel_modules_the_spec_declares() {
    let (s, _) = hotel_pinned();
    let why: BTreeMap<&str, &KernelWhy> = (s.kernel.iter())
        .map(|k| (k.module.as_str(), &k.why))
        .collect();
    for declared in ["hotel", "hotel::db", "hotel::util", "hotel::util::money"] {
        assert_eq!(why.get(declared), Some(&&KernelWhy::Declared), "{declared}");
    }
    let undeclared: Vec<&&str> = (why.iter())
        .filter(|(_, w)| ***w != KernelWhy::Declared)
        .map(|(m, _)| m)
        .collect();
    assert!(
        undeclared.iter().all(|m| !m.starts_with("hotel::")),
        "only the unassigned binary keeps the suggestion's reason: {undeclared:?}"
    );
}
