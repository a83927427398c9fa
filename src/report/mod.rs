//! Renderers: turn results into text for people or JSON for machines. Nothing else in
//! fissure formats output.

pub mod diagnostic;
