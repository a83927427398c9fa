//! The top-level modules of a `common` crate that build on the workspace's domain code.
//!
//! Rule 1 of the kernel (`cluster::kernel`) reads a crate whose name ends in `common` as
//! infrastructure: for a crate of helpers below every other crate it is (`atuin_common::string`,
//! `::time`). But a workspace layered by technology also has `common` crates *above* its
//! domain code, shared by the crates on top (garage's `garage_api_common`, used by its S3, K2V
//! and admin APIs): a module there that refers to another crate's domain items is a slice of
//! that domain seen from the API layer (`garage_api_common::signature` checks a request's
//! signature against the access key stored in `garage_model::key_table`), not plumbing.
//! Plumbing does not depend on business types; helpers refer to other helpers.

use std::collections::BTreeSet;

use crate::analysis::Analysis;
use crate::cluster::KernelRules;
use crate::cluster::kernel::infrastructure_by_name;
use crate::syntax::RefKind;

use super::input::Built;

/// The last word of a crate that holds what several crates share.
const COMMON: &str = "common";

/// `crate::module` of each top-level module of a `common` crate one of whose items refers,
/// by a resolved path (not a method name guessed among same-named methods), to an item of
/// another crate that rule 1 leaves to the clustering.
pub fn domain_common_modules(analysis: &Analysis, built: &Built) -> BTreeSet<String> {
    let nodes = &built.input.nodes;
    let named = infrastructure_by_name(nodes, &KernelRules::default());
    let graph = &analysis.graph.items;
    let mut found = BTreeSet::new();
    for edge in graph.edge_indices() {
        let Some((a, b)) = graph.edge_endpoints(edge) else {
            continue;
        };
        let (Some(&from), Some(&to)) = (built.node_of.get(&graph[a]), built.node_of.get(&graph[b]))
        else {
            continue;
        };
        let resolved = (graph[edge].kinds.keys()).any(|&kind| kind != RefKind::MethodGuess);
        let (from_module, to_module) = (&nodes[from as usize].module, &nodes[to as usize].module);
        if resolved && named[to as usize].is_none() && crate_of(from_module) != crate_of(to_module)
        {
            found.extend(common_top_module(from_module));
        }
    }
    found
}

/// `crate::module` of a module's top-level module when its crate's name ends in `common`.
fn common_top_module(module: &str) -> Option<String> {
    let mut path = module.split("::");
    let krate = path.next()?;
    let top = path.next()?;
    (krate.rsplit('_').next() == Some(COMMON)).then(|| format!("{krate}::{top}"))
}

fn crate_of(module: &str) -> &str {
    module.split("::").next().unwrap_or(module)
}

#[cfg(test)]
mod tests {
    use super::{common_top_module, domain_common_modules};
    use crate::suggest::LayerWeights;
    use crate::suggest::input::build;
    use crate::test_support::AnalyzeOptions;
    use crate::test_support::annotations::analyze_fixture;

    /// A `common` crate between a model crate and the APIs: `signature` checks a request
    /// against the model's access key, `encoding` and `clock` are helpers (`clock` calls a
    /// `util` crate, which is infrastructure by name).
    const API_COMMON: &str = r#"
//- /util/src/lib.rs crate:shop_util
pub fn now_msec() -> u64 { 0 }
//- /model/src/lib.rs crate:shop_model
pub struct AccessKey { pub secret: String }
//- /api_common/src/lib.rs crate:shop_api_common deps:shop_model,shop_util
pub mod signature;
pub mod encoding;
pub mod clock;
//- /api_common/src/signature.rs
use shop_model::AccessKey;
pub fn verify(key: &AccessKey, sig: &str) -> bool { key.secret == sig }
//- /api_common/src/encoding.rs
pub fn uri_encode(text: &str) -> String { text.to_owned() }
//- /api_common/src/clock.rs
pub fn stamp() -> u64 { shop_util::now_msec() }
"#;

    #[test]
    fn a_common_module_referring_to_domain_code_of_another_crate_is_found() {
        let analysis = analyze_fixture(API_COMMON, AnalyzeOptions::default());
        let built = build(&analysis, &LayerWeights::default(), None);
        let found = domain_common_modules(&analysis, &built);
        assert!(
            found.contains("shop_api_common::signature"),
            "refers to the model's key: {found:?}"
        );
        assert!(
            !found.contains("shop_api_common::encoding"),
            "refers to nothing"
        );
        assert!(
            !found.contains("shop_api_common::clock"),
            "refers to infrastructure only"
        );
    }

    #[test]
    fn only_modules_of_common_crates_have_a_common_top_module() {
        assert_eq!(
            common_top_module("shop_api_common::signature::payload").as_deref(),
            Some("shop_api_common::signature")
        );
        assert_eq!(common_top_module("shop_api_common"), None);
        assert_eq!(common_top_module("shop_api::signature"), None);
    }
}
