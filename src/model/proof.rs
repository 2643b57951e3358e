//! What a proof says: the verdict over every placement, the witness path,
//! every blocker (with its code and remedy) and the facts unknown offline.

use super::flow::Flow;
use super::*;

macro_rules! blocker_codes {
    ($( $id:ident = $code:literal, )*) => {
        /// Why a hop blocks, by Reachability Analyzer's explanation codes
        /// where one fits (`rules/codes.md` lists each).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum BlockerCode { $( $id, )* }

        impl BlockerCode {
            pub const ALL: &'static [BlockerCode] = &[ $( BlockerCode::$id, )* ];

            pub fn as_str(self) -> &'static str {
                match self { $( BlockerCode::$id => $code, )* }
            }
        }
    };
}

blocker_codes! {
    EniSgRulesMismatch = "ENI_SG_RULES_MISMATCH",
    SubnetAclRestriction = "SUBNET_ACL_RESTRICTION",
    NoRouteToDestination = "NO_ROUTE_TO_DESTINATION",
    IgwPublicIpAssociationForEgress = "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
    IgwPublicIpAssociationForIngress = "IGW_PUBLIC_IP_ASSOCIATION_FOR_INGRESS",
    DisconnectedVpcs = "DISCONNECTED_VPCS",
    NoVpcConnector = "NO_VPC_CONNECTOR",
    UnknownFact = "UNKNOWN_FACT",
    PartialMatch = "PARTIAL_MATCH",
    NoPath = "NO_PATH",
    NoDestinationEni = "NO_DESTINATION_ENI",
    NoSourceEni = "NO_SOURCE_ENI",
    EndpointPrivateDnsDisabled = "ENDPOINT_PRIVATE_DNS_DISABLED",
}

impl std::fmt::Display for BlockerCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What would remove a blocker, in model terms. The verifier never words
/// it for an input format: the front door that knows the input (a manifest
/// key, a template property) adds the advice to the blocker's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remedy {
    /// Give the workload ENIs in the VPC (its egress is managed outside).
    AttachToVpc,
    /// The ENIs have no public IP: send from subnets routed through a NAT
    /// gateway.
    RouteThroughNat,
    /// A rule of the destination's group names the workload's group on
    /// other ports: set its port range to the port.
    SetRulePort { port: u16 },
    /// No rule admits the source: add one for the port from its group.
    AddIngressFromWorkload { port: u16 },
    /// No group of the destination admits the source, and `group`, which
    /// the destination does not carry, does: the destination's groups
    /// decide.
    AttachAdmittingGroup { group: String, port: u16 },
    /// A rule of the destination's group admits `group` on the port, and
    /// the workload does not carry `group`: the workload's groups decide.
    CarryAdmittedGroup { group: String, port: u16 },
    /// No egress rule of the source's groups allows the port: `group` is
    /// the group whose rules are written out.
    AllowEgress { group: String, port: u16 },
    /// An interface endpoint of the service has private DNS off: turn it
    /// on, and the service's name resolves to the endpoint.
    EnablePrivateDns,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hop {
    pub component: Component,
    pub id: String,
    pub detail: String,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Blocker {
    pub code: BlockerCode,
    pub component: Component,
    pub id: String,
    /// What blocks: the fact, never the advice.
    pub reason: String,
    pub remedy: Option<Remedy>,
    /// The remedy in the words of the input a door read (`: add ...`),
    /// kept beside the fact; [`Blocker::text`] joins them for reading.
    pub advice: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Reachable,
    Unreachable,
    Partial,
    Unknown,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Reachable => "reachable",
            Verdict::Unreachable => "unreachable",
            Verdict::Partial => "partial",
            Verdict::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlacementName {
    pub source_subnet: String,
    pub destination_subnet: Option<String>,
}

#[derive(Debug, Clone)]
pub struct FlowResult {
    pub flow: Flow,
    pub verdict: Verdict,
    pub path: Vec<Hop>,
    pub blockers: Vec<Blocker>,
    pub missing: Vec<Missing>,
    pub placements_checked: usize,
    pub failing: Vec<PlacementName>,
    /// A concrete packet that does not get through (unreachable, partial).
    pub counterexample: Option<String>,
    /// Its finding was suppressed or ignored (why): the flow no longer
    /// counts toward the exit code or the summary.
    pub suppressed: Option<String>,
    /// What the verdict rests on that the files do not say (the
    /// network's assumptions): a failure under one is never an error.
    pub assumptions: Vec<crate::base::Assumption>,
}

impl FlowResult {
    /// The flow's expectation fails: a flow to reach is refused (from
    /// every placement or some), a flow that must never get through
    /// (isolation) gets through.
    pub fn fails(&self) -> bool {
        if self.flow.isolation {
            matches!(self.verdict, Verdict::Reachable | Verdict::Partial)
        } else {
            matches!(self.verdict, Verdict::Unreachable | Verdict::Partial)
        }
    }

    /// How the report names what is expected of the flow.
    pub fn expectation(&self) -> &'static str {
        match (self.flow.isolation, self.flow.needed) {
            (true, _) => "isolation",
            (false, true) => "needed",
            (false, false) => "informational",
        }
    }
}

impl Blocker {
    /// What blocks and, when a door worded it, what to change.
    pub fn text(&self) -> String {
        match &self.advice {
            Some(a) => format!("{}{a}", self.reason),
            None => self.reason.clone(),
        }
    }
}
