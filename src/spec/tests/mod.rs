//! Unit tests of the spec loader on whole files: the good specs' model, one broken spec per
//! rule (snapshots of the rendered diagnostics), the JSON schema, the docs of every code, and
//! hostile input (proptest, with its recorded regressions replayed).

mod broken;
mod docs;
mod fuzz;
mod model;
mod schema;
