//! Evidence: why a flow is needed. Today it holds the declared flows of
//! `.reachlint.toml`, typed once (`declared`); the needs a front door
//! derives from its input move here as doors state them as facts.

pub mod declared;
