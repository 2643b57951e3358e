//! Rules that read the facts the stages computed and emit findings. The
//! registry of every rule id lives on the ground floor ([`crate::base::rule`]);
//! [`copilot`] (RL208-RL211) and [`deploy`] (RL5xx) hold one module per
//! rule, whose doc comment is the rule's page; [`data`] loads the dated AWS
//! facts the deploy blockers check against; the reachability rules (4xx)
//! live in [`reachability`], which turns failed flows into diagnostics
//! located at their main blocker. The older rules (RL1xx, most of RL2xx and
//! RL3xx, RL9xx) are still raised where their facts are computed (`load`,
//! `manifest`, `cfn`, `synth::addons`).

pub mod copilot;
pub mod data;
pub mod deploy;
pub mod reachability;
