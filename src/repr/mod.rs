//! Representation layers: each front door's typed input records, converted
//! into the one network model ([`crate::model`]). `cfn` converts
//! CloudFormation resources (synthesized Copilot stacks, evaluated addons,
//! plain templates); a Describe-snapshot layer converts EC2, RDS and App
//! Runner records into the same types. Input that a layer does not
//! recognise becomes a missing fact, never silence.

pub mod cfn;
pub mod describe;

/// The port an RDS engine listens on when the resource names none, for
/// both layers (a template without `Port`, a record without its port).
pub fn default_port(engine: &str) -> Option<u16> {
    match engine {
        "aurora-postgresql" | "postgres" => Some(5432),
        "aurora-mysql" | "aurora" | "mysql" | "mariadb" => Some(3306),
        e if e.starts_with("sqlserver") => Some(1433),
        e if e.starts_with("oracle") => Some(1521),
        "db2-se" | "db2-ae" => Some(50000),
        "redis" | "valkey" => Some(6379),
        "memcached" => Some(11211),
        _ => None,
    }
}
