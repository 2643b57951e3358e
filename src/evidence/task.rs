//! What a task needs before its application runs, and the AWS APIs the
//! application calls, derived from door-neutral facts a front door states:
//! the images and their registries, the log driver, the secrets and their
//! stores, the registry credentials, the environment files, and what the
//! workload is handed (a queue to poll, topics to publish to, a secret to
//! read with the SDK).
//!
//! The Copilot door states these facts from the manifests; the snapshot
//! door from the deployed task definitions and App Runner services. The
//! flows follow from here alone (DECISIONS.md): an image from ECR needs the
//! ECR API, the registry and S3; one from a public registry the internet;
//! the awslogs driver CloudWatch Logs; a secret its store; an env file S3.

use crate::model::{ApiUse, AwsService, InternetUse, Origin, Purpose};

/// Where an image is pulled from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registry {
    /// A private ECR repository; `built_by` names the tool that builds and
    /// pushes it to the application's repository, when one does.
    Ecr { built_by: Option<String> },
    /// A public registry (Docker Hub, ECR Public, ...): the internet.
    Public,
}

impl Registry {
    /// The registry of an image reference: a private ECR repository's
    /// host is `<account>.dkr.ecr.<region>.amazonaws.com[.cn]`; any other
    /// is reached at a public address.
    pub fn of_image(image: &str) -> Registry {
        let host = image.split('/').next().unwrap_or("");
        let parts: Vec<&str> = host.split('.').collect();
        let ecr = parts.len() >= 6
            && parts[0].len() == 12
            && parts[0].chars().all(|c| c.is_ascii_digit())
            && parts[1] == "dkr"
            && parts[2] == "ecr"
            && parts[4] == "amazonaws";
        if ecr {
            Registry::Ecr { built_by: None }
        } else {
            Registry::Public
        }
    }
}

/// An image a task pulls when it starts.
#[derive(Debug, Clone)]
pub struct Image {
    pub registry: Registry,
    pub origin: Origin,
}

/// Where a task's logs go.
#[derive(Debug, Clone)]
pub enum LogDriver {
    /// `awslogs`: CloudWatch Logs, before the task starts.
    AwsLogs(Origin),
    /// FireLens through a Fluent Bit image from ECR Public (pulled over the
    /// internet when the door knows the image only as Copilot's default).
    FireLensPublicImage(Origin),
}

/// Where a secret is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretStore {
    SecretsManager,
    Ssm,
}

impl SecretStore {
    /// The API that answers for the store.
    pub fn service(self) -> AwsService {
        match self {
            SecretStore::SecretsManager => AwsService::SecretsManager,
            SecretStore::Ssm => AwsService::Ssm,
        }
    }
}

/// A secret the task reads when it starts.
#[derive(Debug, Clone)]
pub struct Secret {
    pub name: String,
    pub store: SecretStore,
    pub origin: Origin,
}

/// A Secrets Manager secret handed to the application (as a variable),
/// which reads it with the AWS SDK through its own egress.
#[derive(Debug, Clone)]
pub struct HandedSecret {
    pub secret: String,
    /// How it is handed, in the door's words ("from addon output X (as X
    /// and X_ARN)", "in variable DB_SECRET").
    pub how: String,
    pub origin: Origin,
}

/// Something the application is given to call: its reason names who.
#[derive(Debug, Clone)]
pub struct Handed {
    /// The subject of the sentence ("a Worker Service", "the task").
    pub who: String,
    pub origin: Origin,
}

/// What one workload's task definition (or service) says, door-neutral.
#[derive(Debug, Clone, Default)]
pub struct TaskFacts {
    pub images: Vec<Image>,
    pub log: Option<LogDriver>,
    pub secrets: Vec<Secret>,
    /// Secrets Manager secrets read at start that the door cannot list one
    /// by one (an addon's secret outputs).
    pub more_secrets: Option<Origin>,
    pub registry_credentials: Option<Origin>,
    pub env_files: Vec<Origin>,
    /// The SQS queue the workload polls.
    pub queue: Option<Handed>,
    /// The SNS topics the workload publishes to.
    pub topics: Option<Handed>,
    pub handed_secrets: Vec<HandedSecret>,
}

/// A flow a task needs, with its evidence.
#[derive(Debug, Clone)]
pub enum TaskNeed {
    Api(ApiUse),
    Internet(InternetUse),
}

fn api(service: AwsService, purpose: Purpose, reason: String, origin: &Origin) -> TaskNeed {
    TaskNeed::Api(ApiUse {
        service,
        reason,
        purpose,
        origin: origin.clone(),
    })
}

/// The flows the facts imply, each with the sentence that says why.
pub fn needs(f: &TaskFacts) -> Vec<TaskNeed> {
    let ts = Purpose::TaskStart;
    let mut out = Vec::new();
    for img in &f.images {
        match &img.registry {
            Registry::Ecr { built_by } => {
                let what = match built_by {
                    Some(tool) => format!(
                        "the image {tool} builds and pushes to the application's ECR repository"
                    ),
                    None => "its image from a private ECR repository".to_string(),
                };
                for (svc, part) in [
                    (AwsService::EcrApi, "the ECR API (authorization)"),
                    (AwsService::EcrDkr, "the ECR registry (the manifest)"),
                    (AwsService::S3, "S3 (the image layers)"),
                ] {
                    out.push(api(
                        svc,
                        ts,
                        format!("the task pulls {what}: it needs {part} to start"),
                        &img.origin,
                    ));
                }
            }
            Registry::Public => out.push(TaskNeed::Internet(InternetUse {
                reason: "the task pulls its image from a public registry: it needs the internet to start".into(),
                purpose: ts,
                origin: img.origin.clone(),
            })),
        }
    }
    match &f.log {
        Some(LogDriver::AwsLogs(o)) => out.push(api(
            AwsService::Logs,
            ts,
            "the awslogs driver (Copilot's default) sends the task's logs to CloudWatch Logs; the task does not start without it".into(),
            o,
        )),
        Some(LogDriver::FireLensPublicImage(o)) => out.push(TaskNeed::Internet(InternetUse {
            reason: "`logging` (FireLens) pulls the Fluent Bit image from ECR Public: the task needs the internet to start".into(),
            purpose: ts,
            origin: o.clone(),
        })),
        None => {}
    }
    for sec in &f.secrets {
        let svc = sec.store.service();
        out.push(api(
            svc.clone(),
            ts,
            format!(
                "the task reads secret `{}` from {} when it starts",
                sec.name, svc
            ),
            &sec.origin,
        ));
    }
    if let Some(o) = &f.more_secrets {
        out.push(api(
            AwsService::SecretsManager,
            ts,
            "the task reads the Secrets Manager secrets its addons output when it starts".into(),
            o,
        ));
    }
    if let Some(o) = &f.registry_credentials {
        out.push(api(
            AwsService::SecretsManager,
            ts,
            "the task reads its registry credentials (`image.credentials`) from Secrets Manager when it starts".into(),
            o,
        ));
    }
    for o in &f.env_files {
        out.push(api(
            AwsService::S3,
            ts,
            "the task reads its `env_file` from S3 when it starts".into(),
            o,
        ));
    }
    if let Some(q) = &f.queue {
        out.push(api(
            AwsService::Sqs,
            Purpose::Application,
            format!("{} polls its SQS queue", q.who),
            &q.origin,
        ));
    }
    if let Some(t) = &f.topics {
        out.push(api(
            AwsService::Sns,
            Purpose::Application,
            format!("{} publishes to its SNS topics", t.who),
            &t.origin,
        ));
    }
    for h in &f.handed_secrets {
        out.push(api(
            AwsService::SecretsManager,
            Purpose::Application,
            format!(
                "the service receives the Secrets Manager secret {} {}, and reads it with the AWS SDK through its own egress",
                h.secret, h.how
            ),
            &h.origin,
        ));
    }
    out
}

/// Adds the needs to a workload's evidence: one use per (API, purpose),
/// the first evidence of the internet.
pub fn add_to(w: &mut crate::model::Workload, needs: Vec<TaskNeed>) {
    for need in needs {
        match need {
            TaskNeed::Api(u) => {
                let dup = w
                    .api_uses
                    .iter()
                    .any(|x| x.service == u.service && x.purpose == u.purpose);
                if !dup {
                    w.api_uses.push(u);
                }
            }
            TaskNeed::Internet(u) => {
                w.needs_internet.get_or_insert(u);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_fact_implies_its_flows() {
        let o = Origin::default();
        let f = TaskFacts {
            images: vec![
                Image {
                    registry: Registry::Ecr { built_by: None },
                    origin: o.clone(),
                },
                Image {
                    registry: Registry::Public,
                    origin: o.clone(),
                },
            ],
            log: Some(LogDriver::AwsLogs(o.clone())),
            secrets: vec![Secret {
                name: "DB".into(),
                store: SecretStore::Ssm,
                origin: o.clone(),
            }],
            env_files: vec![o.clone()],
            queue: Some(Handed {
                who: "the task".into(),
                origin: o.clone(),
            }),
            ..Default::default()
        };
        let apis: Vec<AwsService> = needs(&f)
            .into_iter()
            .filter_map(|n| match n {
                TaskNeed::Api(u) => Some(u.service),
                TaskNeed::Internet(_) => None,
            })
            .collect();
        assert_eq!(
            apis,
            [
                AwsService::EcrApi,
                AwsService::EcrDkr,
                AwsService::S3,
                AwsService::Logs,
                AwsService::Ssm,
                AwsService::S3,
                AwsService::Sqs
            ]
        );
        assert!(needs(&f).iter().any(|n| matches!(n, TaskNeed::Internet(_))));
    }
}
