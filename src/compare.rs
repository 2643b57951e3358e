//! Compare: two networks' flows matched by the names that stay the same
//! across them ([`FlowKey`]: where the flow starts, the workload, the
//! target's kind and name, the port), never by position. The files'
//! network and the deployed one (side-by-side `explain`), a pull request's
//! base and head, a Copilot workspace and its CloudFormation rewrite: each
//! pair is the same question asked of both.
//!
//! The elements of two networks of one environment are matched here too
//! ([`matching`]): by the physical id a door knows for a logical id (the
//! snapshot door reads its stacks' resources, [`Ids`]), else a group by the
//! logical id in its generated name and a subnet by its CIDR block. What
//! cannot be matched is left out, never guessed. Drift compares what is
//! matched.

use std::collections::HashMap;

use crate::model::flow::FlowKey;
use crate::model::proof::FlowResult;
use crate::model::{DbId, Network, SgId, Subnet, SubnetId};

/// What a door knows about which element of the other network a logical
/// id became.
pub trait Ids {
    /// The physical id of the one resource of type `rtype` with this
    /// logical id in the environment's stacks.
    fn physical(&self, logical: &str, rtype: &str) -> Option<String>;
    /// The one security group whose generated name carries the logical id.
    fn group_named(&self, logical: &str) -> Option<String>;
}

/// The elements of two networks that are the same thing: the left
/// network's (the files') to the right's (the deployed one's).
#[derive(Debug, Clone, Default)]
pub struct Matching {
    pub sgs: HashMap<SgId, SgId>,
    pub subnets: HashMap<SubnetId, SubnetId>,
    pub databases: HashMap<DbId, DbId>,
}

/// Matches security groups, subnets and databases of `left` (named by
/// logical ids) with those of `right` (named by physical ids).
pub fn matching(left: &Network, right: &Network, ids: &dyn Ids) -> Matching {
    let sgs_by_name: HashMap<&str, SgId> = right
        .sgs
        .iter()
        .enumerate()
        .map(|(i, g)| (g.name.as_str(), SgId(i)))
        .collect();
    let sgs = left
        .sgs
        .iter()
        .enumerate()
        .filter_map(|(i, g)| {
            let id = ids
                .physical(&g.name, "AWS::EC2::SecurityGroup")
                .or_else(|| ids.group_named(&g.name))?;
            Some((SgId(i), *sgs_by_name.get(id.as_str())?))
        })
        .collect();
    let subnets_by_name: HashMap<&str, SubnetId> = right
        .subnets
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), SubnetId(i)))
        .collect();
    let subnets = left
        .subnets
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let by_id = ids
                .physical(&s.name, "AWS::EC2::Subnet")
                .and_then(|id| subnets_by_name.get(id.as_str()).copied());
            Some((SubnetId(i), by_id.or_else(|| subnet_by_cidr(right, s))?))
        })
        .collect();
    let databases = left
        .databases
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let id = ids
                .physical(&d.name, "AWS::RDS::DBCluster")
                .or_else(|| ids.physical(&d.name, "AWS::RDS::DBInstance"))?;
            let j = right.databases.iter().position(|r| r.name == id)?;
            Some((DbId(i), DbId(j)))
        })
        .collect();
    Matching {
        sgs,
        subnets,
        databases,
    }
}

/// The subnet of `net` with `s`'s CIDR block, when exactly one has it (the
/// subnets of one VPC never overlap, so an equal block is the same subnet).
fn subnet_by_cidr(net: &Network, s: &Subnet) -> Option<SubnetId> {
    let cidr = s.cidr?;
    let mut hits = net
        .subnets
        .iter()
        .enumerate()
        .filter(|(_, l)| l.cidr == Some(cidr))
        .map(|(i, _)| SubnetId(i));
    match (hits.next(), hits.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// One flow of either network, or of both.
#[derive(Debug, Clone, Copy)]
pub enum Pair<'a> {
    Both(&'a FlowResult, &'a FlowResult),
    OnlyLeft(&'a FlowResult),
    OnlyRight(&'a FlowResult),
}

/// Pairs `left`'s flows with `right`'s: the same key, else the same
/// endpoints on another port (a deployed database listening elsewhere),
/// each flow used once. Left's order, then right's unmatched flows.
pub fn pair<'a>(left: &[&'a FlowResult], right: &[&'a FlowResult]) -> Vec<Pair<'a>> {
    let keys: Vec<FlowKey> = right.iter().map(|r| r.flow.key()).collect();
    let mut used = vec![false; right.len()];
    let mut out = Vec::new();
    for l in left {
        let k = l.flow.key();
        let hit = (0..right.len())
            .find(|&i| !used[i] && keys[i] == k)
            .or_else(|| (0..right.len()).find(|&i| !used[i] && keys[i].same_endpoints(&k)));
        match hit {
            Some(i) => {
                used[i] = true;
                out.push(Pair::Both(l, right[i]));
            }
            None => out.push(Pair::OnlyLeft(l)),
        }
    }
    out.extend(
        right
            .iter()
            .zip(&used)
            .filter(|(_, u)| !**u)
            .map(|(r, _)| Pair::OnlyRight(r)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::flow::{Flow, Target};
    use crate::model::proof::Verdict;
    use crate::model::Purpose;

    fn result(service: &str, target: Target, port: u16) -> FlowResult {
        FlowResult {
            flow: Flow {
                source: crate::model::flow::Source::Workload(0),
                service: service.into(),
                target,
                port,
                needed: true,
                isolation: false,
                reason: String::new(),
                needed_for: vec![Purpose::Application],
            },
            verdict: Verdict::Reachable,
            placements_checked: 1,
            failing: vec![],
            path: vec![],
            blockers: vec![],
            missing: vec![],
            counterexample: None,
            suppressed: None,
            assumptions: vec![],
        }
    }

    #[test]
    fn flows_pair_by_name_not_by_position() {
        let db = |port| {
            result(
                "api",
                Target::Database {
                    db: crate::model::DbId(0),
                    name: "AppDb".into(),
                    engine: "aurora-postgresql".into(),
                },
                port,
            )
        };
        let (a, b, c) = (
            result("api", Target::Internet, 443),
            db(5432),
            result("worker", Target::Internet, 443),
        );
        // the deployed database listens on 3306; the order differs; the
        // worker is not deployed and a job is only deployed
        let (d, e) = (db(3306), result("job", Target::Internet, 443));
        let f = result("api", Target::Internet, 443);
        let pairs = pair(&[&a, &b, &c], &[&e, &d, &f]);
        let text: Vec<String> = pairs
            .iter()
            .map(|p| match p {
                Pair::Both(l, r) => format!("{}:{}={}", l.flow.service, l.flow.port, r.flow.port),
                Pair::OnlyLeft(l) => format!("{}:{}<", l.flow.service, l.flow.port),
                Pair::OnlyRight(r) => format!("{}:{}>", r.flow.service, r.flow.port),
            })
            .collect();
        assert_eq!(
            text,
            ["api:443=443", "api:5432=3306", "worker:443<", "job:443>"]
        );
    }
}
