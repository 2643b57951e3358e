//! The app: runs a question (`check`, `explain`, `snapshot`) through the
//! front doors. It is the one room that hands the verifier to the doors
//! (as a [`door::Prover`]), so no door imports `verify`; `main` and the
//! tests call it.

use crate::door::{self, CheckError, Options, Prover};
use crate::model::flow::Flow;
use crate::model::proof::FlowResult;
use crate::model::{Network, StandIn};
use crate::outcome::Report;

/// The verifier, as the doors see it.
pub struct Verifier;

impl Prover for Verifier {
    fn prove(&self, net: &Network, flows: &[Flow], stand_ins: &[StandIn]) -> Vec<FlowResult> {
        crate::verify::analyze_with_stand_ins(net, flows, stand_ins)
    }
}

/// Checks what the options point at (one report per workspace).
pub fn check_many(opts: &Options) -> Result<Vec<Report>, CheckError> {
    door::check_many(opts, &Verifier)
}

/// Checks what `opts.path` points at (one report).
pub fn check(opts: &Options) -> Result<Report, CheckError> {
    door::check(opts, &Verifier)
}

/// The one path from a door's networks to a report, proved by the
/// verifier (a door made elsewhere, such as a test's, ends here).
pub fn report(networks: door::Networks) -> Report {
    door::report(networks, &Verifier)
}
