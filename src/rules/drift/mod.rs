//! Drift (RL6xx): where the account differs from what the files imply,
//! between the network synthesized from the workspace and the network a
//! Describe snapshot shows. Each rule is one module whose doc comment is its
//! page. Elements are matched by `compare::matching` (through the stacks'
//! resources the door knows: the logical id a file gives, the physical id
//! the account has; without them, security groups by the logical id in
//! their generated names and subnets by their CIDR block). What cannot be
//! matched is not compared (never guessed). No rule here reads an input
//! format.

pub mod acl;
pub mod database_port;
pub mod placement;
pub mod route;
pub mod rule_added;
pub mod rule_removed;

use crate::base::{Diagnostic, Span};
use crate::compare::Matching;
use crate::model::{Network, Peer, Proto, SecurityGroup, SgId, SgRule};

/// What the drift rules compare: one environment's two networks, and which
/// of their elements are the same thing (`compare::matching`).
pub struct Context<'a> {
    pub env: &'a str,
    pub files: &'a Network,
    pub live: &'a Network,
    pub matching: &'a Matching,
    /// Where a finding about the environment as a whole points (its
    /// manifest), for elements Copilot synthesizes without a line.
    pub env_span: Option<Span>,
}

/// Every drift finding of one environment.
pub fn check(cx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    rule_removed::check(cx, &mut out);
    rule_added::check(cx, &mut out);
    route::check(cx, &mut out);
    acl::check(cx, &mut out);
    placement::check(cx, &mut out);
    database_port::check(cx, &mut out);
    for d in &mut out {
        d.env = Some(cx.env.to_string());
    }
    out
}

/// A rule in comparable form: direction, protocol, ports, peer (a CIDR, or
/// a live group).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub egress: bool,
    pub proto: Proto,
    pub ports: (u16, u16),
    pub peer: String,
}

impl Key {
    pub fn text(&self) -> String {
        let dir = if self.egress { "egress" } else { "ingress" };
        let ports = match self.proto {
            Proto::All => String::new(),
            _ if self.ports == (0, 65535) => String::new(),
            _ if self.ports.0 == self.ports.1 => format!("/{}", self.ports.0),
            _ => format!("/{}-{}", self.ports.0, self.ports.1),
        };
        let toward = if self.egress { "to" } else { "from" };
        format!("{dir} {}{ports} {toward} {}", self.proto, self.peer)
    }
}

/// The comparable rules of a group; `sg_name` says how a peer group is
/// named (its live id). Rules with an unknown peer are left out.
pub fn keys<'a>(
    g: &'a SecurityGroup,
    sg_name: &dyn Fn(SgId) -> Option<String>,
) -> Vec<(Key, &'a SgRule)> {
    let mut out = Vec::new();
    for (egress, rules) in [(false, &g.ingress), (true, &g.egress)] {
        for r in rules {
            let peer = match &r.peer {
                Peer::Cidr(c) => c.to_string(),
                Peer::Sg(id) => match sg_name(*id) {
                    Some(n) => n,
                    None => continue,
                },
                Peer::Unknown(_) => continue,
            };
            let ports = if r.proto == Proto::All {
                (0, 65535)
            } else {
                r.ports
            };
            out.push((
                Key {
                    egress,
                    proto: r.proto,
                    ports,
                    peer,
                },
                r,
            ));
        }
    }
    out
}

/// Where a finding about a file's element points: its span, else the
/// line that caused it.
pub fn file_span(o: &crate::base::Origin) -> Option<Span> {
    o.span()
}

impl Context<'_> {
    /// `o`'s span, else the environment manifest.
    pub fn span_of(&self, o: &crate::base::Origin) -> Option<Span> {
        o.span().or(self.env_span)
    }
}
