#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL214.md"))]

use crate::base::diag::{Location, Words};
use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::ServiceConnectNameUnresolved;

/// Why a short name does not resolve for the client's tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unresolved {
    /// The server's alias, but the client is no Service Connect client.
    NotAClient,
    /// The server's name, but the server registers no such alias.
    NotAServer,
}

/// A client's variable that names a server by a short name.
#[derive(Debug, Clone)]
pub struct Naming<'a> {
    pub client: &'a str,
    /// The variable, and where its value is.
    pub var: &'a str,
    pub span: Span,
    /// The name as written.
    pub host: &'a str,
    pub server: &'a str,
    /// The application (the server's service discovery name is
    /// `<server>.<env>.<app>.local`).
    pub app: &'a str,
}

/// The short name `n` does not resolve for the client's tasks (`why`) in
/// `env`.
pub fn diagnostic(env: &str, n: &Naming, why: Unresolved) -> Diagnostic {
    let (client, server, host) = (n.client, n.server, n.host);
    let (what, fix) = match why {
        Unresolved::NotAClient => (
            format!("the Service Connect alias of `{server}`, but `{client}` has no `network.connect`: only Service Connect clients resolve aliases"),
            format!("add `network.connect: true` to `{client}`"),
        ),
        Unresolved::NotAServer => (
            format!("the name of `{server}`, which registers no Service Connect alias `{host}`: the name resolves nowhere"),
            format!("turn on `network.connect` in `{server}` and `{client}`"),
        ),
    };
    Diagnostic::worded(
        RULE,
        Location::Span(n.span),
        env,
        Words::new()
            .text(format!(
                "`{client}`'s variable {} names `{host}`, {what}, in ",
                n.var
            ))
            .environments()
            .text(format!(
                "; the call to `{server}` fails when its address is looked up"
            )),
        Some(
            Words::new()
                .text(format!(
                    "{fix}, or call it by its service discovery name `{server}."
                ))
                .env_name()
                .text(format!(".{}.local`", n.app)),
        ),
    )
}
