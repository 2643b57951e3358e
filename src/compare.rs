//! Compare: two networks' flows matched by the names that stay the same
//! across them ([`FlowKey`]: where the flow starts, the workload, the
//! target's kind and name, the port), never by position. The files'
//! network and the deployed one (side-by-side `explain`), a pull request's
//! base and head, a Copilot workspace and its CloudFormation rewrite: each
//! pair is the same question asked of both.
//!
//! Which deployed database or file system a name stands for is the door's
//! to say (the snapshot door maps logical ids to physical ones through the
//! stacks' resources); here the names already agree.

use crate::verify::{FlowKey, FlowResult};

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
    use crate::model::Purpose;
    use crate::verify::{Flow, Target, Verdict};

    fn result(service: &str, target: Target, port: u16) -> FlowResult {
        FlowResult {
            flow: Flow {
                workload: 0,
                service: service.into(),
                target,
                port,
                needed: true,
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
