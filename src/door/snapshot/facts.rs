//! What the deployed workloads say they need, stated as door-neutral facts
//! for `evidence::task`: an ECS task definition's images, log driver,
//! secrets, registry credentials, env files, EFS volumes and the variables
//! that hand it a queue, topics or a secret; an App Runner service's
//! variables that hand it a secret.

use crate::base::unknown::{Fact, Missing};
use crate::evidence::task::{
    Handed, HandedSecret, Image, LogDriver, Registry, Secret, SecretStore, TaskFacts,
};
use crate::model::Origin;
use crate::repr::describe::{AppRunnerServiceRec, Kind, Rec, Snapshot, TaskDefinitionRec};

/// The task definition a workload runs: the one its service names, else
/// the newest revision of its family (Copilot names the family after the
/// workload's stack, `<app>-<env>-<name>`).
pub fn task_definition<'a>(
    snap: &'a Snapshot,
    named: Option<&str>,
    family: &str,
) -> Result<&'a Rec<TaskDefinitionRec>, Missing> {
    if let Some(arn) = named {
        if let Some(t) = snap
            .task_definitions
            .iter()
            .find(|t| t.value.task_definition_arn == arn)
        {
            return Ok(t);
        }
    }
    snap.task_definitions
        .iter()
        .filter(|t| t.value.family == family)
        .max_by_key(|t| t.value.revision())
        .ok_or_else(|| {
            let which = named.unwrap_or(family);
            Missing::new(
                Fact::Describe(Kind::TaskDefinitions.call().into()),
                format!(
                    "the task definition {which} (save `aws ecs describe-task-definition --task-definition {which}`)"
                ),
            )
        })
}

/// Where a secret's `valueFrom` keeps it: a Secrets Manager ARN, else SSM
/// Parameter Store (an ARN or a parameter name).
fn store_of(value_from: &str) -> SecretStore {
    if is_secrets_manager_arn(value_from) {
        SecretStore::SecretsManager
    } else {
        SecretStore::Ssm
    }
}

fn is_secrets_manager_arn(v: &str) -> bool {
    v.starts_with("arn:") && v.split(':').nth(2) == Some("secretsmanager")
}

/// An SQS queue URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`).
fn is_queue_url(v: &str) -> bool {
    v.strip_prefix("https://")
        .and_then(|rest| rest.split('/').next())
        .is_some_and(|host| host.starts_with("sqs.") && host.contains(".amazonaws.com"))
}

fn names_topic(v: &str) -> bool {
    v.contains("arn:aws:sns:") || v.contains("arn:aws-cn:sns:") || v.contains("arn:aws-us-gov:sns:")
}

/// The facts one ECS task definition states.
pub fn ecs(td: &Rec<TaskDefinitionRec>) -> TaskFacts {
    let at = || td.origin.clone();
    let mut f = TaskFacts::default();
    for c in &td.value.container_definitions {
        f.images.push(Image {
            registry: Registry::of_image(&c.image),
            origin: at(),
        });
        if f.log.is_none()
            && c.log_configuration
                .as_ref()
                .is_some_and(|l| l.log_driver == "awslogs")
        {
            f.log = Some(LogDriver::AwsLogs(at()));
        }
        for s in &c.secrets {
            f.secrets.push(Secret {
                name: s.name.clone(),
                store: store_of(&s.value_from),
                origin: at(),
            });
        }
        if let Some(r) = &c.repository_credentials {
            if is_secrets_manager_arn(&r.credentials_parameter) {
                f.registry_credentials.get_or_insert_with(at);
            }
        }
        f.env_files.extend(c.environment_files.iter().map(|_| at()));
        for v in &c.environment {
            if f.queue.is_none() && is_queue_url(&v.value) {
                f.queue = Some(Handed {
                    who: format!("the task (variable {} names an SQS queue)", v.name),
                    origin: at(),
                });
            }
            if f.topics.is_none() && names_topic(&v.value) {
                f.topics = Some(Handed {
                    who: format!("the task (variable {} names SNS topics)", v.name),
                    origin: at(),
                });
            }
            if is_secrets_manager_arn(&v.value) {
                f.handed_secrets.push(handed(&v.name, &v.value, at()));
            }
        }
    }
    f
}

fn handed(var: &str, arn: &str, origin: Origin) -> HandedSecret {
    HandedSecret {
        secret: arn.to_string(),
        how: format!("in variable {var}"),
        origin,
    }
}

/// The facts an App Runner service states: App Runner pulls the image and
/// reads `RuntimeEnvironmentSecrets` itself, outside the VPC connector; a
/// variable holding a Secrets Manager ARN is read by the application.
pub fn apprunner(svc: &Rec<AppRunnerServiceRec>) -> TaskFacts {
    let vars = svc
        .value
        .source_configuration
        .as_ref()
        .and_then(|s| s.image_repository.as_ref())
        .and_then(|r| r.image_configuration.as_ref())
        .map(|c| &c.runtime_environment_variables);
    TaskFacts {
        handed_secrets: vars
            .into_iter()
            .flatten()
            .filter(|(_, v)| is_secrets_manager_arn(v))
            .map(|(k, v)| handed(k, v, svc.origin.clone()))
            .collect(),
        ..Default::default()
    }
}

/// The EFS file systems a task definition's volumes mount, by id.
pub fn efs_volumes(td: &TaskDefinitionRec) -> Vec<(String, String)> {
    td.volumes
        .iter()
        .filter_map(|v| {
            v.efs_volume_configuration
                .as_ref()
                .map(|e| (v.name.clone(), e.file_system_id.clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_name_what_the_task_calls() {
        assert!(is_queue_url(
            "https://sqs.eu-west-1.amazonaws.com/123456789012/shop-test-worker-EventsQueue"
        ));
        assert!(!is_queue_url("https://example.com/sqs.x"));
        assert!(names_topic(
            r#"{"orders":"arn:aws:sns:eu-west-1:123456789012:shop-test-api-orders"}"#
        ));
        assert_eq!(
            store_of("arn:aws:secretsmanager:eu-west-1:1:secret:db-AbC"),
            SecretStore::SecretsManager
        );
        assert_eq!(store_of("/copilot/shop/test/secrets/KEY"), SecretStore::Ssm);
        assert_eq!(
            store_of("arn:aws:ssm:eu-west-1:1:parameter/x"),
            SecretStore::Ssm
        );
    }
}
