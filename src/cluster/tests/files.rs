//! One file, one domain: inline modules placed with the file that holds them.

use crate::cluster::{FileOf, KernelReason, Suggestion, keep_files_whole};

fn suggestion(domain: Vec<Option<u32>>, kernel: Vec<Option<KernelReason>>) -> Suggestion {
    let n = domain.len();
    let domain_count = domain.iter().flatten().max().map_or(0, |&m| m as usize + 1);
    Suggestion {
        domain,
        confidence: vec![1.0; n],
        kernel,
        resolution: 1.0,
        domain_count,
    }
}

const fn at(file: u32, inline: bool) -> FileOf {
    FileOf { file, inline }
}

#[test]
fn an_inline_module_clustered_apart_joins_its_file() {
    // File 0: two items of its own in domain 0, an inline `mod v08` of one item in domain 1.
    // File 1: a module of its own in domain 1, no inline module.
    let mut s = suggestion(vec![Some(0), Some(0), Some(1), Some(1)], vec![None; 4]);
    let files = [at(0, false), at(0, false), at(0, true), at(1, false)];
    assert_eq!(keep_files_whole(&mut s, &files), 1);
    assert_eq!(s.domain, vec![Some(0), Some(0), Some(0), Some(1)]);
    assert_eq!(s.domain_count, 2);
}

#[test]
fn the_whole_file_votes_and_emptied_domains_are_renumbered() {
    // File 0 has one item of its own (domain 0) and three in inline modules (domain 1): the
    // file goes where most of it is, its own item too; domain 0 empties, so domain 1 becomes 0
    // and file 1 (domain 2) becomes 1.
    let mut s = suggestion(
        vec![Some(0), Some(1), Some(1), Some(1), Some(2)],
        vec![None; 5],
    );
    let files = [
        at(0, false),
        at(0, true),
        at(0, true),
        at(0, true),
        at(1, false),
    ];
    assert_eq!(keep_files_whole(&mut s, &files), 1);
    assert_eq!(s.domain, vec![Some(0), Some(0), Some(0), Some(0), Some(1)]);
    assert_eq!(s.domain_count, 2);
}

#[test]
fn files_without_inline_modules_may_stay_split() {
    // A file module whose items fell into two domains is a split candidate, not a file the
    // rule touches: module placement already goes by its majority.
    let mut s = suggestion(vec![Some(0), Some(0), Some(1)], vec![None; 3]);
    let files = [at(0, false), at(0, false), at(0, false)];
    assert_eq!(keep_files_whole(&mut s, &files), 0);
    assert_eq!(s.domain, vec![Some(0), Some(0), Some(1)]);
}

#[test]
fn hubs_do_not_vote_and_the_kernel_stays_a_rule() {
    let hub = Some(KernelReason::Hub {
        fan_in: 9,
        spread: 4,
    });
    let named = Some(KernelReason::InfrastructureName {
        segment: "util".into(),
    });
    // File 0: two hubs (kernel, no vote), one own item in domain 0, one inline item in
    // domain 1: the tie between the voters goes to the lowest domain, 0.
    // File 1: two items kernel by name and one inline item in domain 1: the file votes
    // kernel, and a vote cannot make a node kernel, so it stays.
    let mut s = suggestion(
        vec![None, None, Some(0), Some(1), None, None, Some(1)],
        vec![hub.clone(), hub, None, None, named.clone(), named, None],
    );
    let files = [
        at(0, false),
        at(0, false),
        at(0, false),
        at(0, true),
        at(1, false),
        at(1, false),
        at(1, true),
    ];
    assert_eq!(keep_files_whole(&mut s, &files), 1);
    assert_eq!(
        s.domain,
        vec![None, None, Some(0), Some(0), None, None, Some(1)]
    );
    assert!(s.kernel[0].is_some() && s.kernel[2].is_none());
}
