//! Renderers: human (miette code frames) and JSON (version 1).

pub mod human;
pub mod json;
