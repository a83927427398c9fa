//! Shared-kernel detection: infrastructure that every domain uses is set apart instead of
//! being forced into one domain (where it would also glue unrelated domains together).
//!
//! Two explicit rules, applied in this order:
//!
//! 1. **Infrastructure name.** A node whose module path has a segment, after the first
//!    (the crate), equal to one of [`KernelRules::infra_segments`] (`config`, `error`, `db`,
//!    `pool`, `util`, `telemetry`, `startup`, ...) is kernel. Whole segments only:
//!    `shop::db::Pool` is kernel, `shop::dashboard` is not.
//! 2. **Hub.** Over the directed layers ("a refers to b"), let `fan_in(v)` be the number of
//!    distinct nodes referring to `v` and `spread(v)` the number of distinct communities those
//!    referrers sit in (kernel referrers excluded). `v` is kernel when
//!    `fan_in(v) >= max(min_fan_in, P)`, where `P` is the `percentile` (nearest rank) of
//!    `fan_in` over the nodes with `fan_in > 0`, and `spread(v) >= min_spread`.

use super::input::NodeInfo;

/// Why a node is in the shared kernel.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum KernelReason {
    /// Rule 1: its module path has this infrastructure segment.
    InfrastructureName {
        /// The matching segment.
        segment: String,
    },
    /// Rule 2: many referrers, spread over many communities.
    Hub {
        /// Distinct referrers.
        fan_in: usize,
        /// Distinct communities of the referrers.
        spread: usize,
    },
}

/// The thresholds of the two rules.
#[derive(Debug, Clone, PartialEq)]
pub struct KernelRules {
    /// Module path segments that mark infrastructure (lowercase, compared exactly).
    pub infra_segments: Vec<String>,
    /// Rule 2: minimum number of referrer communities.
    pub min_spread: usize,
    /// Rule 2: percentile (0..=1) of the fan-in distribution a hub must reach.
    pub percentile: f64,
    /// Rule 2: absolute floor on the fan-in, so tiny graphs do not crown hubs of 1.
    pub min_fan_in: usize,
}

/// The default infrastructure segments, sorted.
pub const INFRA_SEGMENTS: &[&str] = &[
    "common",
    "config",
    "configuration",
    "database",
    "db",
    "error",
    "errors",
    "infra",
    "infrastructure",
    "logging",
    "pool",
    "prelude",
    "settings",
    "startup",
    "telemetry",
    "tracing",
    "util",
    "utils",
];

impl Default for KernelRules {
    fn default() -> Self {
        KernelRules {
            infra_segments: INFRA_SEGMENTS.iter().map(|s| (*s).to_owned()).collect(),
            min_spread: 3,
            percentile: 0.95,
            min_fan_in: 4,
        }
    }
}

/// Rule 1 for every node.
pub fn infrastructure_by_name(
    nodes: &[NodeInfo],
    rules: &KernelRules,
) -> Vec<Option<KernelReason>> {
    nodes
        .iter()
        .map(|node| {
            node.module
                .split("::")
                .skip(1)
                .find(|segment| rules.infra_segments.iter().any(|s| s == segment))
                .map(|segment| KernelReason::InfrastructureName {
                    segment: segment.to_owned(),
                })
        })
        .collect()
}

/// Rule 2 for every node, given `(referrer, referee)` pairs (sorted, deduplicated, as from
/// `ClusterInput::directed_pairs`), a community per node, and the nodes already in the kernel
/// (whose references do not count and who are not re-examined).
pub fn hubs(
    pairs: &[(u32, u32)],
    labels: &[u32],
    already_kernel: &[bool],
    rules: &KernelRules,
) -> Vec<Option<KernelReason>> {
    let n = labels.len();
    let is_kernel = |v: u32| already_kernel.get(v as usize).copied().unwrap_or(false);
    let mut referrers: Vec<Vec<u32>> = vec![Vec::new(); n];
    for &(from, to) in pairs {
        if (from as usize) < n && (to as usize) < n && !is_kernel(from) && !is_kernel(to) {
            referrers[to as usize].push(from);
        }
    }
    let fan_in: Vec<usize> = referrers.iter().map(Vec::len).collect();
    let mut positive: Vec<usize> = fan_in.iter().copied().filter(|&f| f > 0).collect();
    positive.sort_unstable();
    let threshold = if positive.is_empty() {
        usize::MAX
    } else {
        let p = rules.percentile.clamp(0.0, 1.0);
        let rank = ((p * positive.len() as f64).ceil() as usize).clamp(1, positive.len());
        positive[rank - 1].max(rules.min_fan_in)
    };
    referrers
        .iter()
        .map(|from| {
            if from.len() < threshold {
                return None;
            }
            let mut communities: Vec<u32> = from.iter().map(|&f| labels[f as usize]).collect();
            communities.sort_unstable();
            communities.dedup();
            (communities.len() >= rules.min_spread).then_some(KernelReason::Hub {
                fan_in: from.len(),
                spread: communities.len(),
            })
        })
        .collect()
}
