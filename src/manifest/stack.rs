//! Copilot's stack names, in one place: `<app>-<env>` for an environment,
//! `<app>-<env>-<workload>` for a workload, `<stack>-AddonsStack` for the
//! nested stack of addons, and `<stack>-<Name>` for each export (Copilot's
//! templates name them `!Sub ${AWS::StackName}-<Name>`).

/// One stack Copilot deploys for an application in an environment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CopilotStack {
    pub app: String,
    pub env: String,
    /// The workload whose stack it is; None for the environment's.
    pub workload: Option<String>,
}

impl CopilotStack {
    pub fn environment(app: &str, env: &str) -> CopilotStack {
        CopilotStack {
            app: app.to_string(),
            env: env.to_string(),
            workload: None,
        }
    }

    pub fn workload(app: &str, env: &str, name: &str) -> CopilotStack {
        CopilotStack {
            app: app.to_string(),
            env: env.to_string(),
            workload: Some(name.to_string()),
        }
    }

    /// The CloudFormation stack name.
    pub fn name(&self) -> String {
        match &self.workload {
            Some(w) => format!("{}-{}-{w}", self.app, self.env),
            None => format!("{}-{}", self.app, self.env),
        }
    }

    /// The prefix of the stack's exports, `<stack name>-`. The
    /// environment's is also the namespace of everything the environment's
    /// stacks export.
    pub fn export_prefix(&self) -> String {
        format!("{}-", self.name())
    }

    /// The stack's export `name`.
    pub fn export(&self, name: &str) -> String {
        format!("{}-{name}", self.name())
    }

    /// The nested stack that holds the stack's addons.
    pub fn addons(&self) -> String {
        format!("{}-AddonsStack", self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_copilot_gives_them() {
        let e = CopilotStack::environment("shop", "test");
        assert_eq!(e.name(), "shop-test");
        assert_eq!(e.export("VpcId"), "shop-test-VpcId");
        assert_eq!(e.addons(), "shop-test-AddonsStack");
        let w = CopilotStack::workload("shop", "test", "api");
        assert_eq!(w.name(), "shop-test-api");
        assert_eq!(w.export_prefix(), "shop-test-api-");
        assert_eq!(w.addons(), "shop-test-api-AddonsStack");
    }
}
