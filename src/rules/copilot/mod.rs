//! Copilot semantics (RL2xx). Each rule is one module whose doc comment is
//! its page. RL201-RL207 are leaf rules the loader, `manifest` and
//! `synth::addons` call with the facts they find (RL212 too, from the
//! addons' outputs the door reads); RL208-RL211 read the
//! merged manifests, the environment and the proved flows: what Copilot
//! refuses before deploy (RL208), and what it does silently instead of what
//! the files seem to say (RL209-RL211).

pub mod addon_parameter_missing_resource;
pub mod assumed_environment;
pub mod copilot_rejects;
pub mod deny_default_drops_ingress;
pub mod ignored_file;
pub mod imported_vpc_missing_subnets;
pub mod missing_workspace;
pub mod nat_from_another_workload;
pub mod nlb_target_port_not_declared;
pub mod null_environment_override;
pub mod overrides_unverifiable;
pub mod service_connect_name_unresolved;
pub mod sg_output_not_attached;
pub mod undefined_variable;
pub mod unknown_workload_type;
