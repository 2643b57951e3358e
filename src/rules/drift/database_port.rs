#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL605.md"))]

use super::Context;
use crate::base::{Diagnostic, RuleId};

pub const RULE: RuleId = RuleId::DriftDatabasePort;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (i, db) in cx.files.databases.iter().enumerate() {
        let Some(live) = cx
            .matching
            .databases
            .get(&crate::model::DbId(i))
            .and_then(|l| cx.live.databases.get(l.0))
        else {
            continue;
        };
        if db.port_unknown.is_some() || live.port_unknown.is_some() || db.port == live.port {
            continue;
        }
        let Some(span) = db.port_origin.span().or_else(|| cx.span_of(&db.origin)) else {
            continue;
        };
        out.push(
            Diagnostic::at(
                RULE,
                span,
                format!(
                    "database `{}` should listen on {}, but {} listens on {} in the account",
                    db.name, db.port, live.name, live.port
                ),
            )
            .help("the clients and the security group rules follow the template's port: deploy again, or change the template to the port in use"),
        );
    }
}
