//! Every rule, one module each, grouped by family: [`schema`] (RL1xx),
//! [`copilot`] (RL2xx), [`cfn`] (RL3xx), [`reachability`] (RL4xx),
//! [`deploy`] (RL5xx), [`drift`] (RL6xx), [`limits`] (RL9xx). A rule's module owns its id
//! (`RULE`), its words (message and help) and its page: the module's doc
//! comment *is* `rules/RLnnn.md`, included, so the two cannot drift. The
//! registry of ids, names and default levels is on the ground floor
//! ([`crate::base::rule`]) because every stage names them.
//!
//! Two kinds of rule module (`tests/architecture.rs` holds them to it):
//! - *leaf* rules stand on `base` alone: the stage that finds the fact
//!   (the loader, `manifest`, `cfn`, `synth::addons`, `policy`) calls the
//!   rule's constructor with it, typed (`missing_field::Missing::ImagePort`);
//! - *reading* rules take what the stages computed (the merged manifests,
//!   the evaluated resources, the network model, the proved flows) and are
//!   called by the front door after the stages ran: RL208-RL211, RL4xx,
//!   RL5xx.
//!
//! No stage writes a finding's words itself (a test checks that no module
//! outside `rules` builds a `Diagnostic`). [`data`] loads the dated AWS
//! facts the deploy blockers check against.

pub mod cfn;
pub mod copilot;
pub mod data;
pub mod deploy;
pub mod drift;
pub mod limits;
pub mod reachability;
pub mod schema;

/// The stack an addon's parameters are evaluated in, as a finding's words:
/// "the `api` stack", or "the environment stack of `dev`" (its
/// environment a slot).
fn addon_owner(w: crate::base::diag::Words, workload: Option<&str>) -> crate::base::diag::Words {
    match workload {
        Some(name) => w.text(format!("the `{name}` stack")),
        None => w.text("the environment stack of ").env_names(),
    }
}
