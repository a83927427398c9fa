//! Renderers: turn results into text for people or JSON for machines, one file per
//! format. Nothing else in fissure formats output.

pub mod analysis;
pub mod check;
pub mod diagnostic;
pub mod html;
pub mod split;
