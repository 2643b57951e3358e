//! The rule registry: every diagnostic names one of these ids, and every id
//! has its page in `rules/RLnnn.md`.
//!
//! Checks run where the facts they need are computed (the loader for YAML and
//! input limits, `manifest` for schema and Copilot rules, `cfn` for template
//! evaluation); the reachability rules (4xx) live in `crate::rules`.

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
        }
    };
}

rules! {
    YamlSyntax = "RL101", "yaml-syntax", Error;
    UnknownKey = "RL102", "unknown-key", Warning;
    InvalidValue = "RL103", "invalid-value", Error;
    NameMismatch = "RL104", "name-mismatch", Error;
    MissingField = "RL105", "missing-field", Error;
    MissingWorkspace = "RL201", "missing-workspace", Error;
    AddonParameterMissingResource = "RL202", "addon-parameter-missing-resource", Error;
    UndefinedVariable = "RL203", "undefined-variable", Error;
    OverridesUnverifiable = "RL204", "overrides-unverifiable", Note;
    UnknownWorkloadType = "RL205", "unknown-workload-type", Error;
    NullEnvironmentOverride = "RL206", "null-environment-override", Error;
    AddonParameterWithoutValue = "RL301", "addon-parameter-without-value", Error;
    UndeclaredAddonParameter = "RL302", "undeclared-addon-parameter", Error;
    UnresolvedReference = "RL303", "unresolved-reference", Error;
    MissingExport = "RL304", "missing-export", Error;
    UnevaluableExpression = "RL305", "unevaluable-expression", Warning;
    NeededFlowBlocked = "RL401", "needed-flow-blocked", Error;
    InformationalFlowBlocked = "RL402", "informational-flow-blocked", Warning;
    FlowUnknown = "RL403", "flow-unknown", Note;
    InputLimit = "RL901", "input-limit", Error;
    UnreadableFile = "RL902", "unreadable-file", Error;
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
