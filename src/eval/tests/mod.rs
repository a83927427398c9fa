//! Unit tests of scoring: MoJo, MoJoFM and ARI on hand-computed cases, the baselines, and
//! the dev-set truth files against their published figures.

mod baselines;
mod bench_truth;
mod mojo;
