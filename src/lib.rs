//! reachlint: lint AWS Copilot workspaces and prove or refute the network
//! flows their services need, offline.
//!
//! Data flows one way: `load -> manifest / cfn -> synth -> model -> verify
//! -> rules -> report`; [`pipeline::check`] runs it.

pub mod base;
pub mod cfn;
pub mod load;
pub mod manifest;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod repr;
pub mod rules;
pub mod synth;
pub mod verify;
