//! reachlint: lint AWS Copilot workspaces and prove or refute the network
//! flows their services need, offline.
//!
//! Data flows one way: `load -> manifest / cfn -> synth -> repr -> model ->
//! verify -> rules -> policy -> report`. A front door ([`door`]) runs the stages for
//! one kind of input and ends in the one entry [`verify::analyze`]; the
//! ground floor ([`base`]) is shared by every stage. ARCHITECTURE.md is the
//! map.

pub mod app;
pub mod base;
pub mod cfn;
pub mod compare;
pub mod door;
pub mod evidence;
pub mod load;
pub mod manifest;
pub mod model;
pub mod outcome;
pub mod policy;
pub mod report;
pub mod repr;
pub mod rules;
pub mod synth;
pub mod verify;
