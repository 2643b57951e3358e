#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL605.md"))]

use super::Context;
use crate::base::{Diagnostic, RuleId};

pub const RULE: RuleId = RuleId::DriftDatabasePort;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for db in &cx.files.databases {
        let rtype = "AWS::RDS::DBCluster";
        let id = cx
            .physical(&db.name, rtype)
            .or_else(|| cx.physical(&db.name, "AWS::RDS::DBInstance"));
        let Some(id) = id else { continue };
        let Some(live) = cx.live.databases.iter().find(|d| d.name == id) else {
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
