//! Unit tests of the suggestion on the bundled fixtures: draft specs, event candidates,
//! pinning, scores against the fixtures' labels, and co-change evidence.

mod cochange;
mod drafts;
mod files;
