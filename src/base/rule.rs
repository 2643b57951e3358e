//! The rule registry: every diagnostic names one of these ids (its name and
//! default level are here, on the ground floor, because every stage names
//! them), and every id has its page in `rules/RLnnn.md`.
//!
//! Each rule's words (message, help) and its page as doc comment live in
//! its own module under `crate::rules` (grouped by family); stages find
//! the facts and call the rule's constructor, or the front door runs the
//! rules that read what the stages computed.

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

macro_rules! rules {
    ($( $id:ident = $code:literal, $slug:literal, $sev:ident ;)*) => {
        /// A rule id (`RLnnn`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId { $( $id, )* }

        impl RuleId {
            pub const ALL: &'static [RuleId] = &[ $( RuleId::$id, )* ];

            pub fn code(self) -> &'static str {
                match self { $( RuleId::$id => $code, )* }
            }

            pub fn slug(self) -> &'static str {
                match self { $( RuleId::$id => $slug, )* }
            }

            pub fn severity(self) -> Severity {
                match self { $( RuleId::$id => Severity::$sev, )* }
            }

            /// The rule's page (`rules/RLnnn.md`), built into the binary.
            pub fn page(self) -> &'static str {
                match self {
                    $( RuleId::$id => include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/", $code, ".md")), )*
                }
            }
        }
    };
}

impl RuleId {
    /// By its code (`RL401`), any case.
    pub fn from_code(code: &str) -> Option<RuleId> {
        RuleId::ALL
            .iter()
            .copied()
            .find(|r| r.code().eq_ignore_ascii_case(code))
    }

    /// The family, by the hundreds digit (DECISIONS.md).
    pub fn family(self) -> &'static str {
        match self.code().as_bytes().get(2) {
            Some(b'1') => "YAML and manifest schema",
            Some(b'2') => "Copilot semantics",
            Some(b'3') => "CloudFormation evaluation",
            Some(b'4') => "reachability",
            Some(b'5') => "deploy blockers",
            Some(b'6') => "drift",
            _ => "input limits and tool notes",
        }
    }

    /// The paragraph under the page's "What it finds", on one line.
    pub fn description(self) -> String {
        let page = self.page();
        let body = page
            .split("## What it finds")
            .nth(1)
            .unwrap_or("")
            .split("\n## ")
            .next()
            .unwrap_or("");
        body.split("\n\n")
            .map(str::trim)
            .find(|p| !p.is_empty())
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// One line: the rule's row in `rules/README.md`, else the first
    /// sentence of [`RuleId::description`].
    pub fn summary(self) -> String {
        let index = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/README.md"));
        let row = format!("| [{}]", self.code());
        if let Some(line) = index.lines().find(|l| l.starts_with(&row)) {
            if let Some(last) = line.trim_end_matches('|').rsplit('|').next() {
                return last.trim().to_string();
            }
        }
        let d = self.description();
        match d.find(". ") {
            Some(i) => d[..=i].to_string(),
            None => d,
        }
    }
}

rules! {
    YamlSyntax = "RL101", "yaml-syntax", Error;
    UnknownKey = "RL102", "unknown-key", Warning;
    InvalidValue = "RL103", "invalid-value", Error;
    NameMismatch = "RL104", "name-mismatch", Error;
    MissingField = "RL105", "missing-field", Error;
    MissingWorkspace = "RL201", "missing-workspace", Warning;
    AddonParameterMissingResource = "RL202", "addon-parameter-missing-resource", Error;
    UndefinedVariable = "RL203", "undefined-variable", Warning;
    OverridesUnverifiable = "RL204", "overrides-unverifiable", Note;
    UnknownWorkloadType = "RL205", "unknown-workload-type", Error;
    NullEnvironmentOverride = "RL206", "null-environment-override", Error;
    IgnoredFile = "RL207", "ignored-file", Warning;
    CopilotRejects = "RL208", "copilot-rejects", Error;
    NatFromAnotherWorkload = "RL209", "nat-from-another-workload", Warning;
    DenyDefaultDropsIngress = "RL210", "deny-default-drops-ingress", Warning;
    ImportedVpcMissingSubnets = "RL211", "imported-vpc-missing-subnets", Error;
    SecurityGroupOutputNotAttached = "RL212", "security-group-output-not-attached", Warning;
    AssumedEnvironment = "RL213", "assumed-environment", Note;
    ServiceConnectNameUnresolved = "RL214", "service-connect-name-unresolved", Warning;
    NlbTargetPortNotDeclared = "RL215", "nlb-target-port-not-declared", Warning;
    AddonParameterWithoutValue = "RL301", "addon-parameter-without-value", Error;
    UndeclaredAddonParameter = "RL302", "undeclared-addon-parameter", Error;
    UnresolvedReference = "RL303", "unresolved-reference", Error;
    MissingExport = "RL304", "missing-export", Error;
    UnevaluableExpression = "RL305", "unevaluable-expression", Warning;
    UnknownFunction = "RL306", "unknown-function", Error;
    UnknownAttribute = "RL307", "unknown-attribute", Error;
    ReferenceCycle = "RL308", "reference-cycle", Error;
    NeededFlowBlocked = "RL401", "needed-flow-blocked", Error;
    InformationalFlowBlocked = "RL402", "informational-flow-blocked", Warning;
    FlowUnknown = "RL403", "flow-unknown", Note;
    ForbiddenFlowReachable = "RL404", "forbidden-flow-reachable", Error;
    DeclaredFlowUnmatched = "RL405", "declared-flow-unmatched", Warning;
    DatastoreNotModelled = "RL406", "datastore-not-modelled", Note;
    DataStoreExposed = "RL407", "data-store-exposed", Error;
    TaskExposed = "RL408", "task-exposed", Warning;
    EngineVersionNotListed = "RL501", "engine-version-not-listed", Error;
    EngineVersionNotOffered = "RL502", "engine-version-not-offered", Warning;
    AuroraServerlessV1 = "RL503", "aurora-serverless-v1", Error;
    AppRunnerInstanceSize = "RL504", "apprunner-instance-size", Error;
    FargateTaskSize = "RL505", "fargate-task-size", Error;
    DbSubnetGroupSingleAz = "RL506", "db-subnet-group-single-az", Error;
    DbZoneOutsideSubnetGroup = "RL507", "db-zone-outside-subnet-group", Error;
    SubnetOutsideVpc = "RL508", "subnet-outside-vpc", Error;
    OverlappingSubnets = "RL509", "overlapping-subnets", Error;
    DriftRuleRemoved = "RL601", "drift-rule-removed", Warning;
    DriftRuleAdded = "RL602", "drift-rule-added", Warning;
    DriftRoute = "RL603", "drift-route", Warning;
    DriftPlacement = "RL604", "drift-placement", Warning;
    DriftDatabasePort = "RL605", "drift-database-port", Warning;
    DriftAcl = "RL606", "drift-acl", Warning;
    InputLimit = "RL901", "input-limit", Error;
    UnreadableFile = "RL902", "unreadable-file", Error;
    BadSuppression = "RL903", "bad-suppression", Warning;
    ExpiredSuppression = "RL904", "expired-suppression", Warning;
    SkippedPath = "RL905", "skipped-path", Note;
    SnapshotUnread = "RL906", "snapshot-unread", Warning;
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_its_page() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        for r in RuleId::ALL {
            let page = dir.join(format!("{}.md", r.code()));
            assert!(page.is_file(), "missing {}", page.display());
        }
        assert!(dir.join("codes.md").is_file());
    }

    #[test]
    fn every_page_describes_its_rule() {
        for r in RuleId::ALL {
            let page = r.page();
            assert!(
                page.starts_with(&format!("# {}: {}", r.code(), r.slug())),
                "{} page title",
                r.code()
            );
            assert!(
                !r.description().is_empty(),
                "{} has no description",
                r.code()
            );
            assert!(!r.summary().is_empty() && !r.summary().contains('|'));
            assert_eq!(RuleId::from_code(&r.code().to_lowercase()), Some(*r));
        }
    }

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for r in RuleId::ALL {
            let c = r.code();
            assert!(
                c.len() == 5 && c.starts_with("RL") && c[2..].chars().all(|d| d.is_ascii_digit())
            );
            assert!(seen.insert(c));
        }
    }
}
