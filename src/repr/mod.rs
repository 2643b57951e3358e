//! Representation layers: each front door's typed input records, converted
//! into the one network model ([`crate::model`]). `cfn` converts
//! CloudFormation resources (synthesized Copilot stacks, evaluated addons,
//! plain templates); a Describe-snapshot layer converts EC2, RDS and App
//! Runner records into the same types. Input that a layer does not
//! recognise becomes a missing fact, never silence.

pub mod cfn;
pub mod describe;
