//! Whatever the input, every stage answers (a value or a diagnostic) and
//! never panics: random YAML-like text through the parser, manifest
//! interpolation and merge, template evaluation, and the whole pipeline.

mod common;

use common::Ws;
use proptest::prelude::*;
use reachlint::base::source::FileId;
use reachlint::cfn::{evaluate_template, EvalInput, Exports, StackId, Template};
use reachlint::load::yaml::{parse, to_json, Limits};
use reachlint::manifest::{interpolate, merge};

const TOKENS: &[&str] = &[
    "a:",
    "b: ",
    " ",
    "  ",
    "\n",
    "\n  ",
    "- ",
    "!Ref ",
    "!GetAtt ",
    "x.y",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "*a",
    "<<: ",
    "'",
    "\"",
    "${X}",
    "Fn::Sub: ",
    "Ref: ",
    "Resources:",
    "Type: ",
    "Properties:",
    "AWS::EC2::SecurityGroup",
    "AWS::RDS::DBCluster",
    "!Split ",
    "!Select ",
    "!If ",
    "!Equals ",
    "!Join ",
    "!ImportValue ",
    "!FindInMap ",
    "!GetAZs ",
    "0",
    "5432",
    "#c",
    "|",
    "---",
    "~",
    "Parameters:",
    "Conditions:",
    "Mappings:",
    "Outputs:",
    "Value: ",
    "Condition: ",
    "network:",
    "vpc:",
    "placement: ",
    "private",
    "environments:",
    "test:",
    "SecurityGroupIngress:",
    "FromPort: ",
    "SourceSecurityGroupId: ",
    "\t",
    "é",
    "? ",
    "!!str ",
    "%YAML 1.2\n",
];

fn doc() -> impl Strategy<Value = String> {
    prop::collection::vec(0..TOKENS.len(), 0..80)
        .prop_map(|v| v.into_iter().map(|i| TOKENS[i]).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn stages_never_panic(text in doc()) {
        let Ok(node) = parse(&text, FileId(0), Limits::default()) else { return Ok(()); };
        let _ = to_json(&node);
        let lookup = |_: &str| None;
        let vars = interpolate::Vars { app: "app", env: "test", lookup: &lookup };
        let (n2, _) = interpolate::interpolate(&node, &vars);
        let _ = merge::apply_env(&n2, &node);
        let mut diags = Vec::new();
        let exports = Exports::new();
        let _ = evaluate_template(
            &Template { doc: &node },
            EvalInput {
                env: Some("test"),
                export_prefix: Some("app-test-".into()),
                ..EvalInput::alone(&StackId::Template("t".into()), &exports)
            },
            &mut diags,
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn pipeline_never_panics(
        manifest in doc(),
        addon in doc(),
        params in doc(),
        comment in "[ -~]{0,40}",
        wtype in prop::sample::select(vec![
            "Request-Driven Web Service",
            "Load Balanced Web Service",
            "Backend Service",
            "Worker Service",
            "Scheduled Job",
            "Static Site",
        ]),
    ) {
        let m = format!("name: svc\ntype: {wtype}\nimage:\n  build: D\n  port: 80\nnetwork:\n  vpc:\n    placement: private\n# reachlint: {comment}\n{manifest}");
        let ws = Ws::new("robust")
            .file("svc/manifest.yml", &m)
            .file("svc/addons/a.yml", &addon)
            .file("svc/addons/addons.parameters.yml", &params);
        let r = reachlint::app::check(&reachlint::door::Options { path: ws.root.clone(), ..Default::default() });
        if let Ok(mut r) = r {
            let gate = reachlint::policy::Gate { inline: true, ..Default::default() };
            reachlint::policy::apply(&mut r, &gate);
            let all = std::slice::from_ref(&r);
            let _ = reachlint::report::json::render(&r);
            let _ = reachlint::report::human::render(&r, false);
            let _ = reachlint::report::sarif::render_all(all);
            let _ = reachlint::report::github::render_all(all);
            let _ = reachlint::report::markdown::render_all(all);
            let _ = reachlint::policy::baseline::render(all);
        }
    }
}
