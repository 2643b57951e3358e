//! Copilot semantics (RL2xx) that read the merged manifests, the proved
//! flows and the environment: what Copilot refuses before deploy (RL208),
//! and what it does silently instead of what the files seem to say
//! (RL209-RL211). Each rule is one module whose doc comment is its page.

pub mod copilot_rejects;
pub mod deny_default_drops_ingress;
pub mod imported_vpc_missing_subnets;
pub mod nat_from_another_workload;
