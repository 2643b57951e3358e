//! A workload manifest through the manifest layer, as the Copilot door
//! reads it: the file-level rules (`lint_workload`), then for `test` and
//! every environment its `environments:` block names, interpolation and
//! the override merge (`workload_for_env`), the required fields, and every
//! accessor that walks the merged document (`nlb_listeners`, `alb_rules`,
//! `variable_values`, `service_connect`, ...). The same text is also
//! decoded as an environment manifest (`env_manifest`). Then Copilot's
//! stacks for the pair (the environment's, its load balancers and file
//! system, the workload's) go through the CloudFormation representation
//! layer into the model, and the verifier proves the derived flows.

#![no_main]

mod common;

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use reachlint::base::source::{FileId, SourceMap, Span};
use reachlint::cfn::{ResRef, StackId};
use reachlint::load::yaml::{self, Limits, Node};
use reachlint::load::{EnvDir, WorkloadDir, YamlFile};
use reachlint::manifest::{self, EfsVolume, EnvManifest, Placement, Workload};
use reachlint::repr::cfn::Builder;
use reachlint::synth::{self, Creators, NatCause};

const APP: &str = "app";

/// A name a directory could have.
fn dir_name(n: &Node) -> Option<&str> {
    let s = n.as_str()?;
    (!s.is_empty() && s.len() <= 255 && s != "." && s != ".." && !s.contains(['/', '\0']))
        .then_some(s)
}

fn yaml_file(path: &str, id: FileId, doc: &Node) -> YamlFile {
    YamlFile {
        path: PathBuf::from(path),
        file: Some(id),
        doc: Some(doc.clone()),
    }
}

/// Every accessor of the merged workload.
fn accessors(w: &Workload) {
    let _ = w.is_rdws();
    let _ = w.service_connect();
    let _ = w.exposed_port();
    let _ = w.variable_values();
    let _ = w.nlb_listeners();
    let _ = w.alb_rules();
    let _ = w.creates_public_alb();
    let _ = w.creates_internal_alb();
    let _ = w.creates_apprunner_endpoint();
}

/// Copilot's stacks for one workload in one environment, into the model,
/// and the flows the model's evidence implies, proved.
fn prove(w: &Workload, em: &EnvManifest) {
    let nat: Vec<NatCause> = match w.placement {
        Placement::Private(span) => vec![NatCause {
            workload: w.name.clone(),
            span,
        }],
        _ => vec![],
    };
    let mut env_stack = synth::environment(APP, em, &nat);
    let managed_efs = w.efs.iter().find_map(|v| match v {
        EfsVolume::Managed(_, sp) => Some(*sp),
        _ => None,
    });
    if env_stack.exports_complete {
        let names = |b: bool| if b { vec![w.name.clone()] } else { vec![] };
        let by = Creators {
            public_alb: names(w.creates_public_alb()),
            internal_alb: names(w.creates_internal_alb()),
            nat: nat.iter().map(|c| c.workload.clone()).collect(),
            efs: names(managed_efs.is_some()),
            apprunner_endpoint: names(w.creates_apprunner_endpoint()),
            workload_exports: vec![],
        };
        let (exports, conditional) = synth::conditional_exports(APP, em, &by);
        for (k, v) in exports {
            env_stack.exports.entry(k).or_insert(v);
        }
        env_stack.conditional = conditional;
    }
    let mut resources = env_stack.resources.clone();
    resources.extend(synth::load_balancers(
        &env_stack,
        APP,
        em,
        w.creates_public_alb(),
        w.creates_internal_alb(),
        Some(w.type_span),
    ));
    if let Some(sp) = managed_efs {
        resources.extend(synth::managed_efs(&env_stack, APP, &em.name, Some(sp)));
    }
    if w.is_rdws() {
        resources.extend(synth::rdws(APP, &em.name, w, &env_stack.exports));
    } else if w.wtype != manifest::STATIC_SITE {
        resources.extend(synth::ecs(APP, &em.name, w, &env_stack.exports));
    }
    let closed = env_stack.managed_vpc.then(|| ResRef {
        stack: StackId::Environment,
        logical: "VPC".to_string(),
    });
    let net = Builder::new(&resources).closed_world(closed).build();
    let flows = reachlint::verify::derive_flows(&net);
    let _ = reachlint::verify::analyze(&net, &flows);
}

fuzz_target!(|data: &[u8]| {
    // the loader refuses text that is not UTF-8 or holds NUL bytes
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.contains('\0') {
        return;
    }
    let mut sources = SourceMap::new();
    let id = sources.add(
        PathBuf::from("/fuzz/copilot/svc/manifest.yml"),
        text.to_string(),
    );
    let Ok(doc) = yaml::parse(&sources.file(id).text, id, Limits::default()) else {
        return;
    };
    let start = Span::new(id, 0, 0);
    let mut diags = Vec::new();

    // the text as an environment manifest
    let env_name = doc
        .get("name")
        .and_then(dir_name)
        .unwrap_or("test")
        .to_string();
    let env_dir = EnvDir {
        name: env_name.clone(),
        manifest: yaml_file("/fuzz/copilot/environments/test/manifest.yml", id, &doc),
    };
    let decoded_env = manifest::env_manifest(&env_dir, APP, &common::lookup, &mut diags);
    if let Some(em) = &decoded_env {
        let stack = synth::environment(APP, em, &[]);
        let mut resources = stack.resources.clone();
        resources.extend(synth::load_balancers(&stack, APP, em, true, true, None));
        let net = Builder::new(&resources).build();
        let flows = reachlint::verify::derive_flows(&net);
        let _ = reachlint::verify::analyze(&net, &flows);
    }

    // the text as a workload manifest
    let name = doc
        .get("name")
        .and_then(dir_name)
        .unwrap_or("svc")
        .to_string();
    let wd = WorkloadDir {
        name,
        manifest: yaml_file("/fuzz/copilot/svc/manifest.yml", id, &doc),
        addons: None,
        overrides: None,
        patches: None,
    };
    manifest::lint_workload(&wd, true, &mut diags);
    let mut envs = vec!["test".to_string()];
    for (e, _) in manifest::envs_named_only_by_workloads(std::slice::from_ref(&wd), &[]) {
        if !envs.contains(&e) {
            envs.push(e);
        }
    }
    envs.truncate(4);
    for env in &envs {
        let Some((w, undefined)) = manifest::workload_for_env(&wd, APP, env, &common::lookup)
        else {
            continue;
        };
        manifest::undefined_diags(&undefined, &mut diags);
        manifest::check_required(&w.doc, w.wtype, id, Some(env), &mut diags);
        accessors(&w);
        let em = match &decoded_env {
            Some(m) if m.name == *env => m.clone(),
            _ => EnvManifest::default_config(env, start),
        };
        prove(&w, &em);
    }
    // where each finding points
    for d in &diags {
        if let reachlint::base::diag::Location::Span(s) = d.location {
            let _ = sources.start(s);
        }
    }
});
