//! Facts unknown offline, as values. A CloudFormation value, a model element
//! or a verdict that depends on something reachlint cannot know from the
//! files carries a [`Missing`]: which kind of fact ([`Fact`]), the sentence
//! that says so, and where it came from. A later front door (a Describe
//! snapshot, a configuration value) can fill exactly those facts.

use std::fmt;

use super::origin::Origin;

/// Which fact is missing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fact {
    /// A template parameter that has no value.
    Parameter(String),
    /// An `Fn::ImportValue` whose export no stack of the inputs provides.
    Import(String),
    /// A pseudo parameter (`AWS::Region`, `AWS::AccountId`).
    Pseudo(String),
    /// A `Condition` that cannot be decided offline.
    Condition(String),
    /// Subnets chosen at deploy time (a `from_tags` lookup).
    SubnetLookup,
    /// A subnet named by an id that is not in the inputs.
    Subnet(String),
    /// A security group whose rules are not in the inputs.
    OpaqueSecurityGroup(String),
    /// An EFS file system named by an id that is not in the inputs.
    FileSystem(String),
    /// The addresses of a managed egress (App Runner's), not published.
    ManagedEgressAddresses,
    /// Where a route target (peering, transit gateway, ...) leads.
    RouteTarget(String),
    /// An environment named by workloads whose manifest is missing.
    EnvironmentManifest(String),
    /// What a Describe (List, Get) call would tell, not in the snapshot:
    /// the call (`ec2:DescribeRouteTables`).
    Describe(String),
    /// Anything else; the text says what.
    Other,
}

/// A fact unknown offline: what it is, the sentence reported, its origin.
#[derive(Debug, Clone)]
pub struct Missing {
    pub fact: Fact,
    pub text: String,
    pub origin: Origin,
}

impl Missing {
    pub fn new(fact: Fact, text: impl Into<String>) -> Missing {
        Missing {
            fact,
            text: text.into(),
            origin: Origin::default(),
        }
    }

    /// A fact of no particular kind; the text says what.
    pub fn other(text: impl Into<String>) -> Missing {
        Missing::new(Fact::Other, text)
    }

    pub fn with_origin(mut self, origin: Origin) -> Missing {
        self.origin = origin;
        self
    }

    /// The same fact, said in context ("<fact> (in an ingress rule of X)").
    pub fn reworded(&self, text: impl FnOnce(&str) -> String) -> Missing {
        Missing {
            fact: self.fact.clone(),
            text: text(&self.text),
            origin: self.origin.clone(),
        }
    }
}

/// Two reports of the same fact in the same words are one: the origin is
/// where it was noticed, not part of what is missing.
impl PartialEq for Missing {
    fn eq(&self, other: &Missing) -> bool {
        self.fact == other.fact && self.text == other.text
    }
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Eq for Missing {}
