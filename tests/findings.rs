//! Findings that were wrong or missing: an undefined variable is a warning
//! naming the first one written (an error under --strict, silent when the
//! configuration declares it); a missing `.workspace` is a warning that
//! does not stop the flows; a stack importing its own export; reference
//! cycles.

mod common;

use common::Ws;
use reachlint::app::check;
use reachlint::base::{RuleId, Severity};
use reachlint::door::Options;

const IMG: &str = "image:\n  build: Dockerfile\n  port: 8080\n";

#[test]
fn undefined_variables_are_warnings_naming_the_first() {
    let ws = Ws::new("vars").file(
        "api/manifest.yml",
        &format!("name: api\ntype: Backend Service\n{IMG}variables:\n  URL: ${{ZED_HOST}}:${{ALPHA_PORT}}\n"),
    );
    let r = ws.check();
    let d: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == RuleId::UndefinedVariable)
        .collect();
    assert_eq!(d.len(), 1, "one finding per value");
    assert_eq!(d[0].severity, Severity::Warning);
    assert!(
        d[0].message
            .starts_with("environment variable `ZED_HOST` (and `ALPHA_PORT`)"),
        "{}",
        d[0].message
    );
    assert!(d[0].message.contains("must be set when deploying"));
    assert_eq!(r.exit_code(false), 0);
    // --strict: an error
    let strict = check(&Options {
        path: ws.root.clone(),
        strict: true,
        ..Options::default()
    })
    .unwrap();
    assert!(strict
        .diagnostics
        .iter()
        .any(|d| d.rule == RuleId::UndefinedVariable && d.severity == Severity::Error));
    // declared in the configuration: not reported
    let declared = check(&Options {
        path: ws.root.clone(),
        variables: vec!["ZED_HOST".into(), "ALPHA_PORT".into()],
        ..Options::default()
    })
    .unwrap();
    assert!(!declared
        .diagnostics
        .iter()
        .any(|d| d.rule == RuleId::UndefinedVariable));
}

#[test]
fn a_missing_workspace_file_is_a_warning_and_flows_are_still_proved() {
    let ws = Ws::new("nows").file(
        "api/manifest.yml",
        &format!("name: api\ntype: Backend Service\n{IMG}"),
    );
    std::fs::remove_file(ws.root.join("copilot/.workspace")).unwrap();
    let r = ws.check();
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule == RuleId::MissingWorkspace)
        .expect("RL201");
    assert_eq!(d.severity, Severity::Warning);
    // at the first manifest's first line, a file an annotation can attach to
    let reachlint::base::Location::Span(at) = d.location else {
        panic!("RL201 at {:?}", d.location)
    };
    assert!(r
        .sources
        .file(at.file)
        .path
        .ends_with("copilot/api/manifest.yml"));
    assert_eq!(r.sources.start(at).line, 1);
    assert!(
        !r.envs.is_empty() && !r.envs[0].flows.is_empty(),
        "flows are proved"
    );
    assert_eq!(r.exit_code(false), 0);
}

const ADDON_HEAD: &str = "Parameters:\n  App: {Type: String}\n  Env: {Type: String}\n  Name: {Type: String}\nResources:\n";

#[test]
fn a_stack_importing_its_own_export_is_told_to_use_the_value() {
    let ws = Ws::new("selfimport")
        .file("api/manifest.yml", &format!("name: api\ntype: Backend Service\n{IMG}"))
        .file(
            "api/addons/sg.yml",
            &format!("{ADDON_HEAD}  CacheSG:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: cache\n      VpcId: {{'Fn::ImportValue': !Sub '${{App}}-${{Env}}-VpcId'}}\n  Ingress:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      GroupId: {{'Fn::ImportValue': !Sub '${{App}}-${{Env}}-CacheSG'}}\n      IpProtocol: tcp\n      FromPort: 6379\n      ToPort: 6379\n      CidrIp: 10.0.0.0/16\nOutputs:\n  CacheSG:\n    Value: !Ref CacheSG\n    Export:\n      Name: !Sub '${{App}}-${{Env}}-CacheSG'\n"),
        );
    let r = ws.check();
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule == RuleId::MissingExport)
        .expect("RL304");
    assert!(
        d.message.contains("which it exports itself"),
        "{}",
        d.message
    );
    assert!(d.help.as_deref().unwrap().contains("`!Ref CacheSG`"));
}

#[test]
fn an_addon_may_import_what_another_workloads_addons_export() {
    // `db`'s addons export their group; `api`'s addons open it to the
    // environment's tasks: CloudFormation resolves the import once `db` is
    // deployed, so it is no missing export
    let sg = |name: &str| {
        format!("  {name}:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: {name}\n      VpcId: {{'Fn::ImportValue': !Sub '${{App}}-${{Env}}-VpcId'}}\n")
    };
    let ws = Ws::new("crossimport")
        .file("db/manifest.yml", &format!("name: db\ntype: Backend Service\n{IMG}"))
        .file(
            "db/addons/sg.yml",
            &format!("{ADDON_HEAD}{}Outputs:\n  DbGroup:\n    Value: !Ref DbGroup\n    Export:\n      Name: !Sub '${{App}}-${{Env}}-DbGroupId'\n", sg("DbGroup")),
        )
        .file("api/manifest.yml", &format!("name: api\ntype: Backend Service\n{IMG}"))
        .file(
            "api/addons/ingress.yml",
            &format!("{ADDON_HEAD}  IntoDb:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      GroupId: {{'Fn::ImportValue': !Sub '${{App}}-${{Env}}-DbGroupId'}}\n      IpProtocol: tcp\n      FromPort: 5432\n      ToPort: 5432\n      SourceSecurityGroupId: {{'Fn::ImportValue': !Sub '${{App}}-${{Env}}-EnvironmentSecurityGroup'}}\n"),
        );
    let r = ws.check();
    let rl304: Vec<&String> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == RuleId::MissingExport)
        .map(|d| &d.message)
        .collect();
    assert!(rl304.is_empty(), "{rl304:?}");
    // and the rule lands on db's group
    let net = &r.envs[0].network;
    let db = net
        .sgs
        .iter()
        .find(|g| g.name == "DbGroup")
        .expect("db's group");
    assert_eq!(db.ingress.len(), 1, "{:?}", db.ingress);
    assert_eq!(db.ingress[0].ports, (5432, 5432));
    // a name nobody exports is still missing
    ws.write(
        "api/addons/ingress.yml",
        format!("{ADDON_HEAD}  IntoDb:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      GroupId: {{'Fn::ImportValue': !Sub '${{App}}-${{Env}}-DbGroupID'}}\n      IpProtocol: tcp\n      FromPort: 5432\n      ToPort: 5432\n      CidrIp: 10.0.0.0/16\n"),
    );
    let r = ws.check();
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule == RuleId::MissingExport)
        .expect("RL304 for a name nobody exports");
    assert!(
        d.help.as_deref().unwrap().contains("app-test-DbGroupId"),
        "{:?}",
        d.help
    );
}

#[test]
fn reference_cycles_are_errors_naming_the_circle() {
    let ws = Ws::new("cycle")
        .file("api/manifest.yml", &format!("name: api\ntype: Backend Service\n{IMG}"))
        .file(
            "api/addons/sg.yml",
            &format!("{ADDON_HEAD}  A:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Sub 'peer of ${{B}}'\n  B:\n    Type: AWS::EC2::SecurityGroup\n    DependsOn: C\n    Properties:\n      GroupDescription: b\n  C:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !GetAtt A.GroupId\n  D:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !GetAtt A.GroupId\n"),
        );
    let r = ws.check();
    let cycles: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == RuleId::ReferenceCycle)
        .collect();
    assert_eq!(cycles.len(), 1, "one circle, reported once");
    assert!(
        cycles[0].message.contains("A -> B -> C -> A"),
        "{}",
        cycles[0].message
    );
    assert_eq!(cycles[0].severity, Severity::Error);
}

/// Copilot's own test manifests (which its validation accepts) raise none
/// of the rules that say Copilot or AWS would refuse them.
#[test]
fn copilots_own_test_manifests_raise_no_refusal() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/copilot-cli/internal/pkg");
    if !corpus.is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but the corpus is missing"
        );
        return;
    }
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for dir in [
        "manifest/testdata",
        "deploy/cloudformation/stack/testdata/workloads",
    ] {
        for e in std::fs::read_dir(corpus.join(dir)).unwrap().flatten() {
            let p = e.path();
            let n = p.file_name().unwrap().to_string_lossy().to_string();
            if n.ends_with(".yml") && !n.contains("pipeline") && !n.ends_with(".stack.yml") {
                files.push(p);
            }
        }
    }
    assert!(files.len() >= 15, "{files:?}");
    let refusing = |r: &RuleId| {
        matches!(
            r,
            RuleId::CopilotRejects | RuleId::ImportedVpcMissingSubnets
        ) || r.code().starts_with("RL5")
    };
    // true findings in test data Copilot only unmarshals, never validates:
    // (file, rule, why)
    let pinned: &[(&str, &str, &str)] = &[
        (
            "environment-adjust-vpc-private-subnets.yml",
            "RL208",
            "`[mock-subnet-id-3 mock-subnet-id-4]` lacks a comma: one string, not an imported subnet",
        ),
        (
            "environment-import-vpc.yml",
            "RL208",
            "`certificates: [mock-cert-1, mock-cert-2]` are not ARNs, which Copilot's validation requires",
        ),
        (
            "environment-adjust-vpc.yml",
            "RL208",
            "`certificates: [mock-cert-1, mock-cert-2]` are not ARNs, which Copilot's validation requires",
        ),
        (
            "worker-svc-subscribe.yml",
            "RL208",
            "`service: service4TestTopic` has upper-case letters, which a service name cannot",
        ),
        (
            "worker-svc-with-default-fifo-queue.yml",
            "RL208",
            "`service: service4TestTopic` has upper-case letters, which a service name cannot",
        ),
    ];
    let mut bad = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let text = std::fs::read_to_string(f).unwrap();
        let name = text
            .lines()
            .find_map(|l| l.strip_prefix("name:"))
            .map(|n| n.trim().trim_matches(['"', '\'']).to_string())
            .unwrap_or_else(|| "svc".into());
        let ws = Ws::new(&format!("corpus-manifest-{i}"));
        if text.contains("type: Environment") {
            ws.write(&format!("environments/{name}/manifest.yml"), &text);
        } else {
            ws.write(&format!("{name}/manifest.yml"), &text);
        }
        for d in ws.check().diagnostics.iter().filter(|d| refusing(&d.rule)) {
            let known = pinned
                .iter()
                .any(|(file, rule, _)| f.ends_with(file) && d.rule.code() == *rule);
            if !known {
                bad.push(format!("{}: {} {}", f.display(), d.rule, d.message));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn copilot_refusals_by_case() {
    let cases: &[(&str, &str, &str)] = &[
        ("environments/test/manifest.yml", "name: test\ntype: Environment\nnetwork:\n  vpc:\n    id: vpc-1\n    cidr: 10.0.0.0/16\n    subnets:\n      public: [{id: subnet-1}, {id: subnet-2}]\n", "exclusive"),
        ("environments/test/manifest.yml", "name: test\ntype: Environment\nnetwork:\n  vpc:\n    id: vpc-1\n    subnets:\n      public: [{id: subnet-1}]\n", "two or more public subnets"),
        ("environments/test/manifest.yml", "name: test\ntype: Environment\nnetwork:\n  vpc:\n    cidr: 10.0.0.0/16\n    subnets:\n      public:\n        - {cidr: 10.0.0.0/24, az: us-east-1a}\n        - {cidr: 10.0.1.0/24, az: us-east-1b}\n      private:\n        - {cidr: 10.0.2.0/24, az: us-east-1a}\n        - {cidr: 10.0.3.0/24, az: us-east-1c}\n", "differ from the private"),
        ("environments/test/manifest.yml", "name: test\ntype: Environment\nnetwork:\n  vpc:\n    security_group:\n      egress:\n        - {ip_protocol: tcp, ports: 90-80, cidr: 0.0.0.0/0}\n", "from <= to"),
        ("web/manifest.yml", "name: web\ntype: Load Balanced Web Service\nimage:\n  build: Dockerfile\n  port: 80\nhttp: false\n", "needs an `nlb`"),
        ("web/manifest.yml", "name: web\ntype: Load Balanced Web Service\nimage:\n  build: Dockerfile\n  port: 80\nhttp:\n  healthcheck: /\n", "needs a `path`"),
        ("jobs/manifest.yml", "name: jobs\ntype: Worker Service\nimage:\n  build: Dockerfile\nnetwork:\n  connect:\n    alias: jobs\n", "Worker Service cannot have"),
        ("front/manifest.yml", "name: front\ntype: Request-Driven Web Service\nimage:\n  location: nginx:latest\n  port: 80\n", "only from Amazon ECR"),
        ("front/manifest.yml", "name: front\ntype: Request-Driven Web Service\nimage:\n  build: Dockerfile\n  port: 80\nplatform: linux/amd64\n", "rejects any explicit `platform`"),
        ("api/manifest.yml", "name: api\ntype: Backend Service\nimage:\n  build: Dockerfile\nplatform: windows/x86_64\ncpu: 1024\nmemory: 2048\nstorage:\n  readonly_fs: true\n", "Windows tasks cannot have"),
        ("api/manifest.yml", "name: api\ntype: Backend Service\nimage:\n  build: Dockerfile\nenv_file: vars.txt\n", "must end in `.env`"),
        ("nightly/manifest.yml", "name: nightly\ntype: Scheduled Job\nimage:\n  build: Dockerfile\n", "needs `on.schedule`"),
        ("api/manifest.yml", "name: api\ntype: Backend Service\nimage:\n  build: Dockerfile\ncount:\n  cpu_percentage: 70\n", "needs `count.range`"),
        ("api/manifest.yml", "name: api\ntype: Backend Service\nimage:\n  build: Dockerfile\ncount:\n  range: 1-4\n  spot: 2\n  cpu_percentage: 170\n", "not a percentage"),
        ("jobs/manifest.yml", "name: jobs\ntype: Worker Service\nimage:\n  build: Dockerfile\ncount:\n  range: 1-4\n  requests: 100\n", "cannot scale on `count.requests`"),
        ("api/manifest.yml", "name: api\ntype: Backend Service\nimage:\n  build: Dockerfile\n  depends_on:\n    envoy: finished\nsidecars:\n  envoy:\n    image: envoyproxy/envoy\n    port: 9901/sctp\n", "none of start"),
        ("api/manifest.yml", "name: api\ntype: Backend Service\nimage:\n  build: Dockerfile\n  depends_on:\n    envoy: complete\nsidecars:\n  envoy:\n    image: envoyproxy/envoy\n", "essential container"),
        ("api/manifest.yml", "name: api\ntype: Backend Service\nimage:\n  build: Dockerfile\nsidecars:\n  envoy:\n    image: envoyproxy/envoy\n    port: 9901/sctp\n", "a sidecar port is"),
        ("web/manifest.yml", "name: web\ntype: Load Balanced Web Service\nimage:\n  build: Dockerfile\n  port: 80\nhttp:\n  path: '/'\n  target_container: nginx\n", "target container `nginx`"),
        ("web/manifest.yml", "name: web\ntype: Load Balanced Web Service\nimage:\n  build: Dockerfile\n  port: 80\nhttp: false\nnlb:\n  port: 80/http\n", "`nlb.port: 80/http`"),
        ("jobs/manifest.yml", "name: jobs\ntype: Worker Service\nimage:\n  build: Dockerfile\nsubscribe:\n  topics:\n    - name: orders\n", "needs the `service`"),
        ("api/manifest.yml", "name: api\ntype: Backend Service\nimage:\n  build: Dockerfile\npublish:\n  topics:\n    - name: order.created\n", "topic name `order.created`"),
        ("api/manifest.yml", "name: api\ntype: Backend Service\nimage:\n  build: Dockerfile\nstorage:\n  volumes:\n    data:\n      efs:\n        uid: 0\n        gid: 1000\n        id: fs-1\n      path: /data\n", "cannot go with `id`"),
        ("api/manifest.yml", "name: api\ntype: Backend Service\nimage:\n  build: Dockerfile\nvariables:\n  DB:\n    from_cfn: ''\n", "needs an export name"),
        ("environments/test/manifest.yml", "name: test\ntype: Environment\nhttp:\n  public:\n    ingress:\n      cdn: true\n", "needs the CDN enabled"),
        ("environments/test/manifest.yml", "name: test\ntype: Environment\nhttp:\n  public:\n    certificates: [my-cert]\n", "is not an ARN"),
        ("environments/test/manifest.yml", "name: test\ntype: Environment\ncdn:\n  certificate: arn:aws:acm:eu-west-1:123456789012:certificate/1\n", "us-east-1 only"),
        ("api/manifest.yml", "name: api\ntype: Backend Service\nimage:\n  build: Dockerfile\nplatform: linux/riscv\n", "platform `linux/riscv`"),
        ("web/manifest.yml", "name: web\ntype: Load Balanced Web Service\nimage:\n  build: Dockerfile\n  port: 80\nhttp:\n  path: '/'\n  version: http3\n", "none of gRPC"),
        ("api/manifest.yml", "name: api\ntype: Backend Service\nimage:\n  build: Dockerfile\ntaskdef_overrides:\n  - path: Family\n    value: other\n", "may not change `Family`"),
        ("api/manifest.yml", "name: api\ntype: Backend Service\nimage:\n  build: Dockerfile\n  port: 80\nsidecars:\n  nginx:\n    image: nginx\n    port: 80\n", "containers `api` and `nginx` both expose port 80"),
        ("web/manifest.yml", "name: web\ntype: Load Balanced Web Service\nimage:\n  build: Dockerfile\n  port: 80\nhttp: false\nsidecars:\n  dns:\n    image: coredns\n    port: 53/udp\nnlb:\n  port: 53/tcp\n  target_container: dns\n", "exposes port 53 with both UDP and TCP"),
        ("web/manifest.yml", "name: web\ntype: Load Balanced Web Service\nimage:\n  build: Dockerfile\n  port: 80\nhttp:\n  path: '/'\n  alias: [a.example.com, b.example.com, c.example.com, d.example.com]\n  allowed_source_ips: [10.0.0.0/8]\n", "at most five condition values"),
        ("web/manifest.yml", "name: web\ntype: Load Balanced Web Service\nimage:\n  build: Dockerfile\n  port: 80\nhttp:\n  path: '/'\n  additional_rules:\n    - path: admin\n      healthcheck:\n        path: /\n        grace_period: 60s\n", "only the main rule"),
        ("web/manifest.yml", "name: web\ntype: Load Balanced Web Service\nimage:\n  build: Dockerfile\n  port: 80\nhttp:\n  path: '/'\n  healthcheck:\n    path: /\n    grace_period: 60s\nnlb:\n  port: 443/tls\n  healthcheck:\n    grace_period: 30s\n", "are both set"),
        ("web/manifest.yml", "name: web\ntype: Load Balanced Web Service\nimage:\n  build: Dockerfile\n  port: 80\nhttp: false\nsidecars:\n  dns:\n    image: coredns\n    port: 53/udp\nnlb:\n  port: 53/udp\n  target_container: dns\n  healthcheck:\n    port: 53\n", "health checks need TCP"),
    ];
    for (i, (file, text, want)) in cases.iter().enumerate() {
        let ws = Ws::new(&format!("refuse-{i}")).file(file, text);
        let r = ws.check();
        assert!(
            r.diagnostics
                .iter()
                .any(|d| d.rule == RuleId::CopilotRejects && d.message.contains(want)),
            "{file}: no RL208 saying `{want}`: {:#?}",
            r.diagnostics
                .iter()
                .map(|d| format!("{} {}", d.rule, d.message))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn placements_the_imported_vpc_has_no_subnets_for() {
    let env = "name: test\ntype: Environment\nnetwork:\n  vpc:\n    id: vpc-0123456789abcdef0\n    subnets:\n      private: [{id: subnet-0ccc3333}, {id: subnet-0ddd4444}]\n";
    // an ECS service's default placement is public
    let ws = Ws::new("imported-public")
        .file("environments/test/manifest.yml", env)
        .file(
            "api/manifest.yml",
            &format!("name: api\ntype: Backend Service\n{IMG}"),
        );
    let r = ws.check();
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule == RuleId::ImportedVpcMissingSubnets)
        .expect("RL211");
    assert!(d.message.contains("PublicSubnets"), "{}", d.message);
    // an App Runner service without a connector needs no subnet at all
    let ws = Ws::new("imported-rdws")
        .file("environments/test/manifest.yml", env)
        .file(
            "front/manifest.yml",
            &format!("name: front\ntype: Request-Driven Web Service\n{IMG}"),
        );
    assert!(!ws
        .check()
        .diagnostics
        .iter()
        .any(|d| d.rule == RuleId::ImportedVpcMissingSubnets));
}

/// Copilot creates NAT gateways only in a VPC it manages: in an imported
/// VPC, a private workload beside one on explicit subnets is no RL209.
#[test]
fn no_nat_warning_in_an_imported_vpc() {
    let private = "name: api\ntype: Backend Service\nimage:\n  build: Dockerfile\n  port: 8080\nnetwork:\n  vpc:\n    placement: private\n";
    let explicit = "name: jobs\ntype: Backend Service\nimage:\n  build: Dockerfile\n  port: 8080\nnetwork:\n  vpc:\n    placement:\n      subnets: [subnet-0ccc3333]\n";
    let managed = Ws::new("nat-managed")
        .file("api/manifest.yml", private)
        .file("jobs/manifest.yml", explicit);
    assert!(managed
        .check()
        .diagnostics
        .iter()
        .any(|d| d.rule == RuleId::NatFromAnotherWorkload));
    let imported = Ws::new("nat-imported")
        .file(
            "environments/test/manifest.yml",
            "name: test\ntype: Environment\nnetwork:\n  vpc:\n    id: vpc-0123456789abcdef0\n    subnets:\n      public: [{id: subnet-0aaa1111}, {id: subnet-0bbb2222}]\n      private: [{id: subnet-0ccc3333}, {id: subnet-0ddd4444}]\n",
        )
        .file("api/manifest.yml", private)
        .file("jobs/manifest.yml", explicit);
    assert!(!imported
        .check()
        .diagnostics
        .iter()
        .any(|d| d.rule == RuleId::NatFromAnotherWorkload));
}

#[test]
fn ports_one_container_exposes_for_several_listeners_stay_silent() {
    let cases = [
        // the ALB's target port is the main container's own
        "name: web\ntype: Load Balanced Web Service\nimage:\n  build: Dockerfile\n  port: 8080\nhttp:\n  path: '/'\n  target_port: 8080\n",
        // a sidecar behind the ALB, and the main container on another port
        "name: web\ntype: Load Balanced Web Service\nimage:\n  build: Dockerfile\n  port: 8080\nhttp:\n  path: '/'\n  target_container: envoy\n  target_port: 9901\nsidecars:\n  envoy:\n    image: envoyproxy/envoy\n    port: 9901\n",
        // a TLS listener gives the main container TCP on its port
        "name: web\ntype: Load Balanced Web Service\nimage:\n  build: Dockerfile\n  port: 443\nhttp: false\nnlb:\n  port: 443/tls\n",
        // a UDP listener whose health check goes to a TCP port of the main container
        "name: web\ntype: Load Balanced Web Service\nimage:\n  build: Dockerfile\n  port: 80\nhttp: false\nsidecars:\n  dns:\n    image: coredns\n    port: 53/udp\nnlb:\n  port: 53/udp\n  target_container: dns\n  healthcheck:\n    port: 80\n",
        // four condition values on one rule, and a grace period on the main rule only
        "name: web\ntype: Load Balanced Web Service\nimage:\n  build: Dockerfile\n  port: 80\nhttp:\n  path: '/'\n  alias: [a.example.com, b.example.com, c.example.com]\n  allowed_source_ips: [10.0.0.0/8]\n  healthcheck:\n    path: /\n    grace_period: 60s\n",
    ];
    for (i, text) in cases.iter().enumerate() {
        let ws = Ws::new(&format!("ports-ok-{i}")).file("web/manifest.yml", text);
        let r = ws.check();
        let found: Vec<String> = r
            .diagnostics
            .iter()
            .filter(|d| d.rule == RuleId::CopilotRejects)
            .map(|d| d.message.clone())
            .collect();
        assert!(found.is_empty(), "case {i}: {found:?}");
    }
}
