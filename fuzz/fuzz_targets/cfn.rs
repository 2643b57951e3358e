//! An addon template evaluated (`cfn::evaluate_template` on its own), then
//! as Copilot's addons are, through `synth::addons::evaluate`: once as the
//! environment's addons and once as the addons of a fixed Load Balanced
//! Web Service `svc` placed in private subnets, with the environment
//! stack's exports (so `!ImportValue` and the workload's groups resolve).
//! The resources of both go through the CloudFormation representation
//! layer into one model, and the verifier proves the derived flows (the
//! databases the addons create are the workload's).
//!
//! Input: the template, optionally a NUL byte and `addons.parameters.yml`.

#![no_main]

mod common;

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use reachlint::base::source::{FileId, SourceMap, Span};
use reachlint::cfn::{evaluate_template, EvalInput, Exports, ResRef, StackId, Template};
use reachlint::load::yaml::{self, Limits, Node};
use reachlint::load::{AddonsDir, WorkloadDir, YamlFile};
use reachlint::manifest::{self, EnvManifest, Placement};
use reachlint::repr::cfn::Builder;
use reachlint::synth::{self, addons, Creators, NatCause};

const APP: &str = "app";
const ENV: &str = "test";
const WORKLOAD: &str = "name: svc
type: Load Balanced Web Service
image:
  build: Dockerfile
  port: 8080
http:
  path: '/'
network:
  vpc:
    placement: private
";

fn yaml_file(sources: &mut SourceMap, path: &str, text: &str) -> YamlFile {
    let id = sources.add(PathBuf::from(path), text.to_string());
    let doc = yaml::parse(&sources.file(id).text, id, Limits::default()).ok();
    YamlFile {
        path: PathBuf::from(path),
        file: doc.is_some().then_some(id),
        doc,
    }
}

/// The template on its own (a plain CloudFormation stack), into a model.
fn alone(doc: &Node) {
    let mut diags = Vec::new();
    let (resources, _outputs) = evaluate_template(
        &Template { doc },
        EvalInput::alone(&StackId::Template("template.yml".into()), &Exports::new()),
        &mut diags,
    );
    let net = Builder::new(&resources).build();
    let flows = reachlint::verify::derive_flows(&net);
    let _ = reachlint::verify::analyze(&net, &flows);
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(3, '\0');
    let template = parts.next().unwrap_or("");
    let params = parts.next();
    let mut sources = SourceMap::new();
    let mut diags = Vec::new();

    let env_tpl = yaml_file(
        &mut sources,
        "/fuzz/copilot/environments/addons/t.yml",
        template,
    );
    let Some(doc) = env_tpl.doc.clone() else {
        return;
    };
    alone(&doc);

    // the fixed workload, merged for the environment
    let wfile = yaml_file(&mut sources, "/fuzz/copilot/svc/manifest.yml", WORKLOAD);
    let wd = WorkloadDir {
        name: "svc".into(),
        manifest: wfile,
        addons: None,
        overrides: None,
        patches: None,
    };
    let (w, _) = manifest::workload_for_env(&wd, APP, ENV, &common::lookup)
        .expect("the fixed manifest decodes");
    let nat = match w.placement {
        Placement::Private(span) => vec![NatCause {
            workload: "svc".into(),
            span,
        }],
        _ => vec![],
    };
    let em = EnvManifest::default_config(ENV, Span::new(FileId(0), 0, 0));
    let mut env_stack = synth::environment(APP, &em, &nat);
    let by = Creators {
        public_alb: vec!["svc".into()],
        nat: vec!["svc".into()],
        ..Creators::default()
    };
    let (exports, conditional) = synth::conditional_exports(APP, &em, &by);
    for (k, v) in exports {
        env_stack.exports.entry(k).or_insert(v);
    }
    env_stack.conditional = conditional;
    let mut resources = env_stack.resources.clone();
    resources.extend(synth::load_balancers(
        &env_stack, APP, &em, true, false, None,
    ));

    // the environment's addons: their exports join the environment's
    let env_params = params.map(|p| {
        yaml_file(
            &mut sources,
            "/fuzz/copilot/environments/addons/addons.parameters.yml",
            p,
        )
    });
    let env_dir = AddonsDir {
        templates: vec![env_tpl],
        parameters: env_params,
    };
    let env_out = addons::evaluate(
        &env_dir,
        &addons::AddonsInput {
            app: APP,
            env: ENV,
            workload: None,
            workload_resources: &resources,
            exports: &env_stack.exports,
            region: Some("us-east-1"),
            exports_complete: env_stack.exports_complete,
            unseen: &[],
            conditional: &env_stack.conditional,
        },
        &mut diags,
    );
    resources.extend(env_out.resources);
    for (k, v) in env_out.exports {
        env_stack.exports.entry(k).or_insert(v);
    }

    // the workload's addons
    let mut wres = synth::ecs(APP, ENV, &w, &env_stack.exports);
    let w_tpl = yaml_file(&mut sources, "/fuzz/copilot/svc/addons/t.yml", template);
    let w_params = params.map(|p| {
        yaml_file(
            &mut sources,
            "/fuzz/copilot/svc/addons/addons.parameters.yml",
            p,
        )
    });
    let w_dir = AddonsDir {
        templates: vec![w_tpl],
        parameters: w_params,
    };
    let out = addons::evaluate(
        &w_dir,
        &addons::AddonsInput {
            app: APP,
            env: ENV,
            workload: Some("svc"),
            workload_resources: &wres,
            exports: &env_stack.exports,
            region: Some("us-east-1"),
            exports_complete: env_stack.exports_complete,
            unseen: &[],
            conditional: &env_stack.conditional,
        },
        &mut diags,
    );
    synth::attach_addon_sgs(&mut wres, &out.sg_outputs);
    for (name, _) in &out.outputs {
        let _ = addons::to_snake_case(name);
    }
    resources.extend(out.resources);
    resources.extend(wres);

    let closed = env_stack.managed_vpc.then(|| ResRef {
        stack: StackId::Environment,
        logical: "VPC".to_string(),
    });
    let net = Builder::new(&resources).closed_world(closed).build();
    let flows = reachlint::verify::derive_flows(&net);
    let _ = reachlint::verify::analyze(&net, &flows);
    for d in &diags {
        if let reachlint::base::diag::Location::Span(s) = d.location {
            let _ = sources.start(s);
        }
    }
});
