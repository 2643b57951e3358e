//! Synthesis parity: where the corpus holds CloudFormation that Copilot itself
//! rendered, the network we synthesize from the manifests must be the same
//! network the rendered template describes (both go through the same model
//! builder; the comparison is on the model).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use reachlint::base::source::SourceMap;
use reachlint::cfn::{evaluate_template, EvalInput, Exports, Resource, StackId, Template, Value};
use reachlint::load::{read_yaml, WorkloadDir, YamlFile};
use reachlint::manifest::{self, EnvManifest};
use reachlint::model::{Egress, Enis, Network, RouteTarget, SubnetSet};
use reachlint::repr::cfn::Builder;
use reachlint::synth::{self, NatCause};

/// Copilot's rendered test data in ../shared; a missing corpus skips the
/// test on a developer's machine but fails it under `CI=true`.
fn testdata() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/copilot-cli/internal/pkg/deploy/cloudformation/stack/testdata");
    if !p.is_dir() && std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but the corpus is missing at {}", p.display());
    }
    p.is_dir().then_some(p)
}

/// Copilot's environment template rendered from the default manifest.
fn basic_environment_template(td: &Path) -> YamlFile {
    let mut sm = SourceMap::new();
    let mut diags = Vec::new();
    let file = read_yaml(
        &td.join("environments/template-with-basic-manifest.yml"),
        &mut sm,
        &mut diags,
    );
    assert!(diags.is_empty(), "{diags:?}");
    file
}

/// Evaluates a rendered template with every parameter at its default,
/// except those given.
fn evaluate(
    file: &YamlFile,
    stack: &StackId,
    set: &[(&str, &str)],
    exports: &Exports,
) -> Vec<Resource> {
    let doc = file.doc.as_ref().expect("rendered template parses");
    let mut params = HashMap::new();
    for e in doc
        .get("Parameters")
        .and_then(|p| p.as_map())
        .unwrap_or(&[])
    {
        let d = e
            .value
            .get("Default")
            .and_then(|d| d.as_str())
            .unwrap_or("");
        params.insert(e.key_str().to_string(), Value::str(d, None));
    }
    for (k, v) in set {
        params.insert(k.to_string(), Value::str(*v, None));
    }
    let mut diags = Vec::new();
    let (res, _) = evaluate_template(
        &Template { doc },
        EvalInput {
            params: std::borrow::Cow::Owned(params),
            env: Some("test"),
            ..EvalInput::alone(stack, exports)
        },
        &mut diags,
    );
    res
}

fn default_env(name: &str) -> EnvManifest {
    let nowhere = reachlint::base::source::Span::new(reachlint::base::source::FileId(0), 0, 0);
    EnvManifest::default_config(name, nowhere)
}

/// The routing facts of every subnet: (name, cidr, az, public ip, routes).
fn subnet_facts(n: &Network) -> Vec<(String, String, String, bool, Vec<String>)> {
    let mut v: Vec<_> = (0..n.subnets.len())
        .map(|i| {
            let s = &n.subnets[i];
            let mut routes: Vec<String> = n
                .route_table_of(reachlint::model::SubnetId(i))
                .map(|(rt, _)| {
                    n.rt(rt)
                        .routes
                        .iter()
                        .map(|r| {
                            let t = match &r.target {
                                RouteTarget::Local => "local".to_string(),
                                RouteTarget::Igw(g) | RouteTarget::Nat(g) => n.gw(*g).name.clone(),
                                other => format!("{other:?}"),
                            };
                            format!("{} -> {t}", r.dest)
                        })
                        .collect()
                })
                .unwrap_or_default();
            routes.sort();
            (
                s.name.clone(),
                s.cidr.map(|c| c.to_string()).unwrap_or_default(),
                s.az.to_string(),
                s.map_public_ip,
                routes,
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn environment_network_matches_copilots_rendered_template() {
    let Some(td) = testdata() else {
        eprintln!("corpus not present; skipped");
        return;
    };
    let file = basic_environment_template(&td);
    for (nat, cause) in [
        ("", vec![]),
        (
            "svc",
            vec![NatCause {
                workload: "svc".into(),
                span: reachlint::base::source::Span::new(reachlint::base::source::FileId(0), 0, 0),
            }],
        ),
    ] {
        let rendered = evaluate(
            &file,
            &StackId::Environment,
            &[
                ("AppName", "demo"),
                ("EnvironmentName", "test"),
                ("NATWorkloads", nat),
            ],
            &Exports::new(),
        );
        let ours = synth::environment("demo", &default_env("test"), &cause);
        let a = Builder::new(&rendered).build();
        let b = Builder::new(&ours.resources).build();
        assert_eq!(subnet_facts(&a), subnet_facts(&b), "NATWorkloads={nat:?}");
        assert_eq!(a.vpcs.len(), 1);
        assert_eq!(a.vpcs[0].cidr, b.vpcs[0].cidr);
        let env_sg = |n: &Network| {
            let sg = n
                .sgs
                .iter()
                .find(|s| s.name == "EnvironmentSecurityGroup")
                .expect("env SG");
            (
                sg.egress.len(),
                sg.ingress
                    .iter()
                    .map(|r| r.text.clone())
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(env_sg(&a), env_sg(&b), "EnvironmentSecurityGroup rules");
        let nats = |n: &Network| {
            n.gateways
                .iter()
                .filter(|g| matches!(g.kind, reachlint::model::GatewayKind::Nat { .. }))
                .count()
        };
        assert_eq!(nats(&a), nats(&b));
        assert_eq!(nats(&a), if nat.is_empty() { 0 } else { 2 });
    }
}

#[test]
fn rdws_connector_matches_copilots_rendered_stacks() {
    let Some(td) = testdata() else {
        eprintln!("corpus not present; skipped");
        return;
    };
    let mut sm = SourceMap::new();
    let mut diags = Vec::new();
    let manifest = read_yaml(&td.join("workloads/rdws-manifest.yml"), &mut sm, &mut diags);
    let wdir = WorkloadDir {
        name: "frontend".into(),
        manifest,
        addons: None,
        overrides: None,
        patches: None,
    };
    for (env, rendered_file) in [
        ("test", "workloads/rdws-test.stack.yml"),
        ("prod", "workloads/rdws-prod.stack.yml"),
    ] {
        let (wl, _) =
            manifest::workload_for_env(&wdir, "my-app", env, &|_| None).expect("manifest decodes");
        let nat: Vec<NatCause> = match wl.placement {
            manifest::Placement::Private(span) => vec![NatCause {
                workload: "frontend".into(),
                span,
            }],
            _ => vec![],
        };
        let env_stack = synth::environment("my-app", &default_env(env), &nat);
        let ours = synth::rdws("my-app", env, &wl, &env_stack.exports);
        let file = read_yaml(&td.join(rendered_file), &mut sm, &mut diags);
        let rendered = evaluate(
            &file,
            &StackId::Workload("frontend".into()),
            &[
                ("AppName", "my-app"),
                ("EnvName", env),
                ("WorkloadName", "frontend"),
            ],
            &env_stack.exports,
        );
        let egress = |extra: &[Resource]| {
            let mut all = env_stack.resources.clone();
            all.extend_from_slice(extra);
            let n = Builder::new(&all).build();
            let w = n.workloads.first().expect("App Runner service");
            match &w.egress {
                Egress::Enis(Enis { subnets, sgs, .. }) => {
                    let subnets = match subnets {
                        SubnetSet::Known(l) => l
                            .iter()
                            .map(|s| n.subnet(*s).name.clone())
                            .collect::<Vec<_>>(),
                        SubnetSet::Unknown { what, .. } => vec![format!("unknown: {what}")],
                    };
                    (
                        subnets,
                        sgs.iter()
                            .map(|g| n.sg(*g).name.clone())
                            .collect::<Vec<_>>(),
                    )
                }
                Egress::Managed(_) => (vec!["DEFAULT".into()], vec![]),
            }
        };
        let want = egress(&rendered);
        let got = egress(&ours);
        assert_eq!(got, want, "env {env}");
        if env == "test" {
            assert_eq!(got.0, vec!["PrivateSubnet1", "PrivateSubnet2"]);
            assert_eq!(
                got.1,
                vec!["ServiceSecurityGroup", "EnvironmentSecurityGroup"]
            );
        }
    }
}

/// The task ENIs of an ECS workload: subnet names, known group names, the
/// number of groups not in the workspace, the public IP, the client kind.
type TaskNet = (Vec<String>, Vec<String>, usize, bool, String);

fn task_net(n: &Network, name: &str) -> TaskNet {
    let w = n
        .workloads
        .iter()
        .find(|w| w.name == name)
        .unwrap_or_else(|| {
            panic!(
                "workload {name}: {:?}",
                n.workloads.iter().map(|w| &w.name).collect::<Vec<_>>()
            )
        });
    match &w.egress {
        Egress::Enis(e) => (
            match &e.subnets {
                SubnetSet::Known(l) => l.iter().map(|s| n.subnet(*s).name.clone()).collect(),
                SubnetSet::Unknown { what, .. } => vec![format!("unknown: {what}")],
            },
            e.sgs.iter().map(|g| n.sg(*g).name.clone()).collect(),
            e.unknown_sgs.len(),
            e.public_ip,
            format!("{:?}", e.client),
        ),
        Egress::Managed(_) => panic!("an ECS workload has ENIs"),
    }
}

#[test]
fn ecs_task_networks_match_copilots_rendered_stacks() {
    let Some(td) = testdata() else {
        eprintln!("corpus not present; skipped");
        return;
    };
    let mut sm = SourceMap::new();
    let mut diags = Vec::new();
    // (manifest, rendered stack, workload name as rendered)
    for (manifest_file, stack_file, name) in [
        (
            "workloads/svc-manifest.yml",
            "workloads/svc-test.stack.yml",
            "fe",
        ),
        (
            "workloads/worker-manifest.yml",
            "workloads/worker-test.stack.yml",
            "testsvc",
        ),
        (
            "workloads/windows-svc-manifest.yml",
            "workloads/windows-svc-test.stack.yml",
            "windows-fe",
        ),
        (
            "workloads/job-manifest.yml",
            "workloads/job-test.stack.yml",
            "mailer",
        ),
    ] {
        let manifest = read_yaml(&td.join(manifest_file), &mut sm, &mut diags);
        let wdir = WorkloadDir {
            name: name.into(),
            manifest,
            addons: None,
            overrides: None,
            patches: None,
        };
        let (wl, _) = manifest::workload_for_env(&wdir, "my-app", "test", &|_| None)
            .expect("manifest decodes");
        let nat: Vec<NatCause> = match wl.placement {
            manifest::Placement::Private(span) => vec![NatCause {
                workload: name.into(),
                span,
            }],
            _ => vec![],
        };
        let env_stack = synth::environment("my-app", &default_env("test"), &nat);
        let ours = synth::ecs("my-app", "test", &wl, &env_stack.exports);
        let file = read_yaml(&td.join(stack_file), &mut sm, &mut diags);
        let rendered = evaluate(
            &file,
            &StackId::Workload(name.into()),
            &[
                ("AppName", "my-app"),
                ("EnvName", "test"),
                ("WorkloadName", name),
            ],
            &env_stack.exports,
        );
        let net = |extra: &[Resource]| {
            let mut all = env_stack.resources.clone();
            all.extend_from_slice(extra);
            Builder::new(&all).build()
        };
        // Copilot's rendered stack names the service by a parameter.
        let rendered_net = net(&rendered);
        let rendered_name = rendered_net
            .workloads
            .first()
            .map(|w| w.name.clone())
            .expect("the rendered ECS service");
        let want = task_net(&rendered_net, &rendered_name);
        let got = task_net(&net(&ours), &wl.name);
        assert_eq!(got, want, "{manifest_file}");
    }
}

/// The managed file system keeps Copilot's logical ids (`FileSystem`,
/// `MountTarget<n>`, `EFSSecurityGroup`): drift and the snapshot door find
/// the deployed resources by them in the stacks' resources.
#[test]
fn managed_file_system_matches_copilots_rendered_template() {
    let Some(td) = testdata() else {
        eprintln!("corpus not present; skipped");
        return;
    };
    let file = basic_environment_template(&td);
    let rendered = evaluate(
        &file,
        &StackId::Environment,
        &[
            ("AppName", "demo"),
            ("EnvironmentName", "test"),
            ("EFSWorkloads", "svc"),
        ],
        &Exports::new(),
    );
    let env = synth::environment("demo", &default_env("test"), &[]);
    let ours = synth::managed_efs(&env, "demo", "test", None);
    let efs = |rs: &[Resource]| {
        let mut v: Vec<(String, String)> = rs
            .iter()
            .filter(|r| {
                r.rtype.starts_with("AWS::EFS::")
                    || (r.logical.starts_with("EFS") && r.rtype.starts_with("AWS::EC2::"))
            })
            .map(|r| (r.logical.clone(), r.rtype.clone()))
            .collect();
        v.sort();
        v
    };
    let want = efs(&rendered);
    assert!(
        want.iter().any(|(l, _)| l == "FileSystem"),
        "the rendered template has its file system: {want:?}"
    );
    assert_eq!(efs(&ours), want);
    let a = Builder::new(&rendered).build();
    let mut all = env.resources.clone();
    all.extend(ours);
    let b = Builder::new(&all).build();
    let fs = |n: &Network| {
        n.file_systems
            .iter()
            .map(|f| {
                let subnets = match &f.subnets {
                    SubnetSet::Known(s) => s.iter().map(|s| n.subnet(*s).name.clone()).collect(),
                    _ => vec![],
                };
                let sgs: Vec<String> = f.sgs.iter().map(|g| n.sgs[g.0].name.clone()).collect();
                (f.name.clone(), subnets, sgs)
            })
            .collect::<Vec<(String, Vec<String>, Vec<String>)>>()
    };
    assert_eq!(fs(&a).len(), 1, "{:?}", fs(&a));
    assert_eq!(fs(&a), fs(&b));
}
