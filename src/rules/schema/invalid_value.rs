#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL103.md"))]

use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::InvalidValue;

/// What is wrong with the value.
pub enum Invalid<'a> {
    /// `placement` of a Request-Driven Web Service other than `private`.
    RdwsPlacement(&'a str),
    /// `placement` of an ECS workload other than `public`/`private`.
    EcsPlacement(&'a str),
    /// An item of `placement.subnets` that is no subnet id.
    SubnetNotId,
    /// `security_groups.deny_default` that is no boolean.
    DenyDefault,
    /// A `security_groups` item that is neither an id nor `from_cfn`.
    SecurityGroup,
    /// An integer field (`image.port`, `cpu`, `memory`) out of range or quoted.
    Uint {
        name: &'a str,
        max: i64,
        shown: &'a str,
    },
    /// An environment manifest whose `type` is not `Environment`.
    EnvironmentType,
    /// A CloudFormation boolean property that is no boolean.
    NotBoolean {
        key: &'a str,
        logical: &'a str,
        rtype: &'a str,
        bad: &'a str,
    },
}

pub fn diagnostic(span: Span, what: Invalid) -> Diagnostic {
    let (msg, help) = match what {
        Invalid::RdwsPlacement(s) => (
            format!("placement \"{s}\" is not supported for Request-Driven Web Service"),
            "use `placement: private`, or `placement: {subnets: [...]}`; remove `network` for App Runner's default egress".to_string(),
        ),
        Invalid::EcsPlacement(s) => (
            format!("placement \"{s}\" must be `public` or `private` (case-sensitive)"),
            "use `placement: public`, `placement: private`, or `placement: {subnets: [...]}`".to_string(),
        ),
        Invalid::SubnetNotId => (
            "a subnet in `placement.subnets` must be a subnet id".to_string(),
            "write the ids as strings, e.g. `subnets: [subnet-0123456789abcdef0]`".to_string(),
        ),
        Invalid::DenyDefault => (
            "`security_groups.deny_default` must be `true` or `false`".to_string(),
            "write `deny_default: true` to drop the environment security group".to_string(),
        ),
        Invalid::SecurityGroup => (
            "a security group is a group id or `{from_cfn: <export name>}` with a non-empty name".to_string(),
            "write `- sg-0123456789abcdef0` or `- from_cfn: <export name>`".to_string(),
        ),
        Invalid::Uint { name, max, shown } => (
            format!("`{name}` must be an unquoted integer between 0 and {max}, not `{shown}`"),
            format!("write `{name}: <number>` without quotes"),
        ),
        Invalid::EnvironmentType => (
            "an environment manifest must have `type: Environment`".to_string(),
            "set `type: Environment`".to_string(),
        ),
        Invalid::NotBoolean { key, logical, rtype, bad } => (
            format!("`{key}` of {logical} ({rtype}) is `{bad}`, which is no boolean: CloudFormation rejects the template"),
            "write `true` or `false`".to_string(),
        ),
    };
    Diagnostic::at(RULE, span, msg).help(help)
}
