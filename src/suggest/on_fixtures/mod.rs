//! Unit tests of the suggestion on the bundled fixtures: draft specs, event candidates,
//! pinning, scores against the fixtures' labels, co-change evidence, and why each kernel module
//! is kernel.

mod cochange;
mod drafts;
mod files;
mod kernel_reasons;
