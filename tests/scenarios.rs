//! Scenario workspaces written in the test, each a known misconfiguration
//! from the spec's catalogue, with the verdict it must get.

mod common;

use common::Ws;
use reachlint::model::{ClientKind, Component, Egress, Fact, SubnetSet};
use reachlint::outcome::Report;
use reachlint::verify::{FlowResult, TargetKind, Verdict};

fn rdws(name: &str, network: &str) -> String {
    format!("name: {name}\ntype: Request-Driven Web Service\nimage:\n  build: Dockerfile\n  port: 8080\ncpu: 1024\nmemory: 2048\n{network}")
}

fn flow<'a>(r: &'a Report, svc: &str, kind: TargetKind) -> &'a FlowResult {
    r.envs[0]
        .flows
        .iter()
        .find(|f| f.flow.service == svc && f.flow.kind() == kind)
        .unwrap_or_else(|| panic!("no {kind:?} flow for {svc}"))
}

const ADDON: &str = "Parameters:
  App: {Type: String}
  Env: {Type: String}
  Name: {Type: String}
  ServiceSecurityGroupId: {Type: String}
Resources:
  dbSubnets:
    Type: AWS::RDS::DBSubnetGroup
    Properties:
      DBSubnetGroupDescription: private
      SubnetIds: !Split [',', !ImportValue {'Fn::Sub': '${App}-${Env}-PrivateSubnets'}]
  dbSG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      VpcId: !ImportValue {'Fn::Sub': '${App}-${Env}-VpcId'}
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref ServiceSecurityGroupId}
  db:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      DBSubnetGroupName: !Ref dbSubnets
      VpcSecurityGroupIds: [!Ref dbSG]
";

#[test]
fn explicit_subnets_without_any_private_workload_have_no_nat() {
    // Catalogue items 6 and S3: explicit subnet ids never create NAT
    // gateways; the literal ids range over the managed VPC's subnets.
    let ws = Ws::new("explicit").file(
        "api/manifest.yml",
        &rdws(
            "api",
            "network:\n  vpc:\n    placement:\n      subnets: [subnet-0aa, subnet-0bb]\n",
        ),
    );
    let r = ws.check();
    let net = flow(&r, "api", TargetKind::Internet);
    assert_eq!(net.verdict, Verdict::Unreachable, "{:?}", net.blockers);
    let codes: Vec<&str> = net.blockers.iter().map(|b| b.code.as_str()).collect();
    assert!(
        codes.contains(&"IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"),
        "{codes:?}"
    );
    assert!(codes.contains(&"NO_ROUTE_TO_DESTINATION"), "{codes:?}");
    assert_eq!(net.placements_checked, 4);
    // informational: a warning, not an error
    assert_eq!(r.exit_code(false), 0);
    assert!(r.diagnostics.iter().any(|d| d.rule.code() == "RL402"));
    assert_eq!(r.exit_code(true), 1);
}

#[test]
fn another_private_workload_makes_the_answer_depend_on_the_subnets() {
    let ws = Ws::new("explicit-nat")
        .file(
            "api/manifest.yml",
            &rdws(
                "api",
                "network:\n  vpc:\n    placement:\n      subnets: [subnet-0aa]\n",
            ),
        )
        .file(
            "worker/manifest.yml",
            &rdws("worker", "network:\n  vpc:\n    placement: private\n"),
        );
    let r = ws.check();
    let net = flow(&r, "api", TargetKind::Internet);
    // private subnets now route through NAT, public ones do not: which one
    // subnet-0aa is decides it
    assert_eq!(net.verdict, Verdict::Unknown);
    assert!(
        net.missing.iter().any(|m| m.text.contains("subnet-0aa")),
        "{:?}",
        net.missing
    );
    assert_eq!(
        flow(&r, "worker", TargetKind::Internet).verdict,
        Verdict::Reachable
    );
}

#[test]
fn env_override_removes_the_connector_in_one_environment() {
    let ws = Ws::new("override")
        .file("environments/prod/manifest.yml", "name: prod\ntype: Environment\n")
        .file(
            "api/manifest.yml",
            &rdws("api", "network:\n  vpc:\n    placement: private\nenvironments:\n  prod:\n    network:\n      vpc:\n        placement:\n          subnets: [subnet-1]\n"),
        )
        .file("api/addons/db.yml", ADDON)
        .file("api/addons/addons.parameters.yml", "Parameters:\n  ServiceSecurityGroupId: !GetAtt ServiceSecurityGroup.GroupId\n");
    let r = ws.check();
    let by_env = |e: &str| r.envs.iter().find(|x| x.env == e).unwrap();
    let db = |e: &str| {
        by_env(e)
            .flows
            .iter()
            .find(|f| f.flow.kind() == TargetKind::Database)
            .unwrap()
            .verdict
    };
    assert_eq!(db("test"), Verdict::Reachable);
    // prod: the connector sits in subnet-1, some subnet of the VPC; the DB
    // admits the service group from any of them
    assert_eq!(db("prod"), Verdict::Reachable);
    let prod_net = by_env("prod")
        .flows
        .iter()
        .find(|f| f.flow.kind() == TargetKind::Internet)
        .unwrap();
    assert_eq!(
        prod_net.verdict,
        Verdict::Unreachable,
        "no workload is `private` in prod: no NAT"
    );
}

#[test]
fn env_security_group_egress_alone_does_not_block_the_connector() {
    // The connector carries ServiceSecurityGroup (allow-all egress) too.
    let ws = Ws::new("env-egress")
        .file(
            "environments/test/manifest.yml",
            "name: test\ntype: Environment\nnetwork:\n  vpc:\n    security_group:\n      egress:\n        - ip_protocol: tcp\n          ports: 443\n          cidr: 0.0.0.0/0\n",
        )
        .file("api/manifest.yml", &rdws("api", "network:\n  vpc:\n    placement: private\n"))
        .file("api/addons/db.yml", ADDON)
        .file("api/addons/addons.parameters.yml", "Parameters:\n  ServiceSecurityGroupId: !GetAtt ServiceSecurityGroup.GroupId\n");
    let r = ws.check();
    assert_eq!(
        flow(&r, "api", TargetKind::Database).verdict,
        Verdict::Reachable
    );
}

#[test]
fn imported_vpc_is_unknown_not_guessed() {
    let ws = Ws::new("imported")
        .file(
            "environments/test/manifest.yml",
            "name: test\ntype: Environment\nnetwork:\n  vpc:\n    id: vpc-123\n    subnets:\n      private:\n        - id: subnet-a\n        - id: subnet-b\n",
        )
        .file("api/manifest.yml", &rdws("api", "network:\n  vpc:\n    placement: private\n"))
        .file("api/addons/db.yml", ADDON)
        .file("api/addons/addons.parameters.yml", "Parameters:\n  ServiceSecurityGroupId: !GetAtt ServiceSecurityGroup.GroupId\n");
    let r = ws.check();
    for kind in [TargetKind::Database, TargetKind::Internet] {
        let f = flow(&r, "api", kind);
        assert_eq!(f.verdict, Verdict::Unknown, "{kind:?}");
        assert!(
            f.missing.iter().any(|m| m.text.contains("subnet-a")),
            "{:?}",
            f.missing
        );
    }
    assert_eq!(
        r.exit_code(false),
        0,
        "unknown verdicts exit 0 without --strict"
    );
    assert_eq!(r.exit_code(true), 1);
}

#[test]
fn undefined_variable_and_unknown_key_are_reported() {
    let ws = Ws::new("vars").file(
        "api/manifest.yml",
        &rdws("api", "network:\n  security_groups: [sg-1]\n  vpc:\n    placement: private\nvariables:\n  TAG: ${REACHLINT_SURELY_UNSET_VAR}\n"),
    );
    let r = ws.check();
    let rules: Vec<&str> = r.diagnostics.iter().map(|d| d.rule.code()).collect();
    assert!(rules.contains(&"RL203"), "{rules:?}");
    assert!(rules.contains(&"RL102"), "{rules:?}");
}

#[test]
fn addon_in_two_files_resolves_across_them() {
    let (a, b) = ADDON.split_at(ADDON.find("  db:\n").unwrap());
    let b = format!("Resources:\n{b}");
    let ws = Ws::new("two-files")
        .file(
            "api/manifest.yml",
            &rdws("api", "network:\n  vpc:\n    placement: private\n"),
        )
        .file("api/addons/a.yml", a)
        .file("api/addons/b.yml", &b)
        .file(
            "api/addons/addons.parameters.yml",
            "Parameters:\n  ServiceSecurityGroupId: !GetAtt ServiceSecurityGroup.GroupId\n",
        );
    let r = ws.check();
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(
        flow(&r, "api", TargetKind::Database).verdict,
        Verdict::Reachable
    );
}

const ENV_DB: &str = "Parameters:
  App: {Type: String}
  Env: {Type: String}
  VPCID: {Type: String}
  PrivateSubnets: {Type: String}
Resources:
  envdbSubnetGroup:
    Type: AWS::RDS::DBSubnetGroup
    Properties:
      DBSubnetGroupDescription: private
      SubnetIds: !Split [',', !Ref PrivateSubnets]
  envdbDBClusterSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: cluster
      VpcId: !Ref VPCID
  envdbDBCluster:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      Port: 5432
      DBSubnetGroupName: !Ref envdbSubnetGroup
      VpcSecurityGroupIds: [!Ref envdbDBClusterSecurityGroup]
Outputs:
  envdbSecurityGroup:
    Value: !Ref envdbDBClusterSecurityGroup
    Export:
      Name: !Sub ${App}-${Env}-envdbDBClusterSecurityGroup
";

fn ingress_addon(port: u16) -> String {
    format!(
        "Parameters:
  App: {{Type: String}}
  Env: {{Type: String}}
  Name: {{Type: String}}
  ServiceSecurityGroupId: {{Type: String}}
Resources:
  envdbClusterSecurityGroupIngressFromWorkload:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: {{'Fn::ImportValue': !Sub '${{App}}-${{Env}}-envdbDBClusterSecurityGroup'}}
      IpProtocol: tcp
      FromPort: {port}
      ToPort: {port}
      SourceSecurityGroupId: !Ref ServiceSecurityGroupId
"
    )
}

fn env_db_workspace(name: &str, port: u16) -> Ws {
    Ws::new(name)
        .file("environments/addons/envdb.yml", ENV_DB)
        .file(
            "environments/addons/addons.parameters.yml",
            "Parameters:\n  VPCID: !Ref VPC\n  PrivateSubnets: !Join [',', [!Ref PrivateSubnet1, !Ref PrivateSubnet2]]\n",
        )
        .file("api/manifest.yml", &rdws("api", "network:\n  vpc:\n    placement: private\n"))
        .file("api/addons/envdb-ingress.yml", &ingress_addon(port))
        .file("api/addons/addons.parameters.yml", "Parameters:\n  ServiceSecurityGroupId: !GetAtt ServiceSecurityGroup.GroupId\n")
}

#[test]
fn environment_level_database_admitted_by_an_ingress_addon() {
    let ws = env_db_workspace("envdb", 5432);
    let r = ws.check();
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let db = flow(&r, "api", TargetKind::Database);
    assert_eq!(db.flow.target_name(), Some("envdbDBCluster"));
    assert!(db.flow.reason.contains("admits"), "{}", db.flow.reason);
    assert_eq!(db.verdict, Verdict::Reachable);
}

#[test]
fn ingress_addon_written_for_mysql_blocks_a_postgres_cluster() {
    // `copilot storage init --add-ingress-from` without --engine writes 3306.
    let ws = env_db_workspace("envdb-3306", 3306);
    let r = ws.check();
    let db = flow(&r, "api", TargetKind::Database);
    assert_eq!(db.verdict, Verdict::Unreachable);
    assert_eq!(db.flow.port, 5432);
    // the advice is kept beside the fact, and joined where it is read
    assert!(
        db.blockers[0]
            .advice
            .as_deref()
            .is_some_and(|a| a.contains("set FromPort and ToPort to 5432")),
        "{:?}",
        db.blockers
    );
    assert!(!db.blockers[0].reason.contains("set FromPort"));
    assert!(db.blockers[0]
        .text()
        .contains("set FromPort and ToPort to 5432"));
    assert!(r.diagnostics.iter().any(|d| d.rule.code() == "RL401"));
}

#[test]
fn no_connector_and_a_public_database_is_decided_where_it_is_knowable() {
    // Knowable means decided: App Runner without a connector reaches a
    // publicly accessible database open to every public address in subnets
    // that route to an internet gateway; in subnets without such a route
    // nothing outside reaches it; a database that may be public stays
    // unknown.
    let public_db = ADDON.replace(
        "      VpcSecurityGroupIds: [!Ref dbSG]\n",
        "      VpcSecurityGroupIds: [!Ref dbSG]\n  dbWriter:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBClusterIdentifier: !Ref db\n      PubliclyAccessible: true\n  dbOpen:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      GroupId: !Ref dbSG\n      IpProtocol: tcp\n      FromPort: 5432\n      ToPort: 5432\n      CidrIp: 0.0.0.0/0\n",
    );
    let params = "Parameters:\n  ServiceSecurityGroupId: sg-12345\n";
    let case = |name: &str, addon: &str| {
        let ws = Ws::new(name)
            .file("api/manifest.yml", &rdws("api", ""))
            .file("api/addons/db.yml", addon)
            .file("api/addons/addons.parameters.yml", params);
        let r = ws.check();
        let db = flow(&r, "api", TargetKind::Database);
        (db.verdict, db.clone())
    };
    let (v, db) = case("public-db-private-subnets", &public_db);
    assert_eq!(v, Verdict::Unreachable, "{:?}", db.blockers);
    assert!(
        db.blockers[0]
            .reason
            .contains("no route to an internet gateway"),
        "{:?}",
        db.blockers
    );
    let in_public = public_db.replace("-PrivateSubnets", "-PublicSubnets");
    let (v, db) = case("public-db-public-subnets", &in_public);
    assert_eq!(v, Verdict::Reachable, "{:?} {:?}", db.blockers, db.missing);
    assert_eq!(db.path[0].component.as_str(), "apprunner-default-egress");
    let maybe = in_public.replace(
        "PubliclyAccessible: true",
        "PubliclyAccessible: !Ref AWS::NoValue",
    );
    let (v, db) = case(
        "maybe-public-db",
        &maybe.replace("!Ref AWS::NoValue", "{'Fn::ImportValue': unknown-flag}"),
    );
    assert_eq!(v, Verdict::Unknown, "{:?}", db.blockers);
    assert!(db.missing[0].text.contains("App Runner"));
    // without the open rule: unreachable
    let (v, db) = case("private-db", ADDON);
    assert_eq!(v, Verdict::Unreachable);
    assert_eq!(db.blockers[0].code.as_str(), "NO_VPC_CONNECTOR");
}

#[test]
fn a_workload_named_env_does_not_own_the_environment_addons() {
    // Ownership is typed (environment addons vs. the addons of a workload
    // called `env`), not a comparison of stack names: the environment's
    // database admits nobody, so `env` has no database flow.
    let ws = Ws::new("named-env")
        .file("environments/addons/envdb.yml", ENV_DB)
        .file(
            "environments/addons/addons.parameters.yml",
            "Parameters:\n  VPCID: !Ref VPC\n  PrivateSubnets: !Join [',', [!Ref PrivateSubnet1, !Ref PrivateSubnet2]]\n",
        )
        .file("env/manifest.yml", &rdws("env", "network:\n  vpc:\n    placement: private\n"));
    let r = ws.check();
    assert!(
        !r.envs[0]
            .flows
            .iter()
            .any(|f| f.flow.kind() == TargetKind::Database && !f.flow.isolation),
        "{:?}",
        r.envs[0]
            .flows
            .iter()
            .map(|f| f.flow.target_text())
            .collect::<Vec<_>>()
    );
    // its own addon database is its own
    let ws = ws.file("env/addons/db.yml", ADDON).file(
        "env/addons/addons.parameters.yml",
        "Parameters:\n  ServiceSecurityGroupId: !GetAtt ServiceSecurityGroup.GroupId\n",
    );
    let r = ws.check();
    let db = flow(&r, "env", TargetKind::Database);
    assert_eq!(db.flow.target_name(), Some("db"));
    assert!(
        db.flow.reason.contains("addons create"),
        "{}",
        db.flow.reason
    );
    assert_eq!(db.verdict, Verdict::Reachable, "{:?}", db.blockers);
}

#[test]
fn missing_facts_are_typed_values_with_their_kind() {
    // A parameter without a value and a `from_tags` lookup each reach the
    // verdict as the kind of fact a later front door can fill.
    let ws = Ws::new("typed-facts")
        .file(
            "api/manifest.yml",
            &rdws("api", "network:\n  vpc:\n    placement: private\n"),
        )
        .file("api/addons/db.yml", ADDON);
    let r = ws.check();
    let db = flow(&r, "api", TargetKind::Database);
    assert_eq!(db.verdict, Verdict::Unknown);
    assert!(
        db.missing
            .iter()
            .any(|m| m.fact == Fact::Parameter("ServiceSecurityGroupId".into())),
        "{:?}",
        db.missing
    );
    let ws = Ws::new("typed-lookup").file(
        "api/manifest.yml",
        &rdws(
            "api",
            "network:\n  vpc:\n    placement:\n      subnets:\n        from_tags:\n          Name: app-private\n",
        ),
    );
    let r = ws.check();
    let net = &r.envs[0].network;
    let w = &net.workloads[0];
    let (why, managed) = w.fallback.as_ref().expect("the no-connector world");
    assert_eq!(why.fact, Fact::SubnetLookup);
    assert!(why.origin.span().is_some());
    assert_eq!(managed.hop, Component::AppRunnerDefaultEgress);
    match &w.egress {
        Egress::Enis(e) => {
            assert_eq!(e.client, ClientKind::AppRunnerConnector);
            assert!(
                matches!(&e.subnets, SubnetSet::Unknown { what, .. } if what.fact == Fact::SubnetLookup)
            );
        }
        Egress::Managed(_) => panic!("a from_tags placement has a connector"),
    }
}

#[test]
fn ecs_manifests_are_checked_like_app_runner_ones() {
    // The RL102 page's Backend example, and the values that decide an ECS
    // network.
    let ws = Ws::new("ecs-lint").file(
        "api/manifest.yml",
        "name: api\ntype: Backend Service\nimage: {build: Dockerfile, port: 8080}\ncpu: '256'\nnetwork:\n  security_groups:\n    - sg-0123456789abcdef0\n  vpc:\n    placement: Private\n    security_groups: {deny_default: maybe, groups: [{from_cfn: ''}]}\nenvironments:\n  test:\n    netwrk: {}\n",
    );
    let r = ws.check();
    let found: Vec<(String, String)> = r
        .diagnostics
        .iter()
        .map(|d| (d.rule.code().to_string(), d.message.clone()))
        .collect();
    let has = |rule: &str, text: &str| found.iter().any(|(r, m)| r == rule && m.contains(text));
    assert!(has("RL102", "network.security_groups"), "{found:?}");
    assert!(has("RL102", "environments.test.netwrk"), "{found:?}");
    assert!(has("RL103", "placement \"Private\""), "{found:?}");
    assert!(has("RL103", "deny_default"), "{found:?}");
    assert!(has("RL103", "from_cfn"), "{found:?}");
    assert!(has("RL103", "`cpu`"), "{found:?}");
    // the same manifest, fixed, raises nothing
    let ws = Ws::new("ecs-lint-fixed").file(
        "api/manifest.yml",
        "name: api\ntype: Backend Service\nimage: {build: Dockerfile, port: 8080}\ncpu: 256\nnetwork:\n  vpc:\n    placement: private\n    security_groups:\n      - sg-0123456789abcdef0\n",
    );
    assert!(ws.check().diagnostics.is_empty());
}

#[test]
fn fargate_replies_use_fargate_ports() {
    // An ACL on the private subnets that admits replies only on Fargate's
    // ephemeral ports (32768-60999): the ECS task starts; the App Runner
    // connector beside it picks ports from 1024-65535, so its answer
    // depends on the port it uses.
    let acl = "Parameters:\n  App: {Type: String}\n  Env: {Type: String}\n  Name: {Type: String}\nResources:\n  Acl:\n    Type: AWS::EC2::NetworkAcl\n    Properties:\n      VpcId: { 'Fn::ImportValue': !Sub '${App}-${Env}-VpcId' }\n  In:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: 6, RuleAction: allow, Egress: false, CidrBlock: 0.0.0.0/0, PortRange: {From: 32768, To: 60999}}\n  Out:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: -1, RuleAction: allow, Egress: true, CidrBlock: 0.0.0.0/0}\n  A1:\n    Type: AWS::EC2::SubnetNetworkAclAssociation\n    Properties: {NetworkAclId: !Ref Acl, SubnetId: !Select [0, !Split [',', { 'Fn::ImportValue': !Sub '${App}-${Env}-PrivateSubnets' }]]}\n  A2:\n    Type: AWS::EC2::SubnetNetworkAclAssociation\n    Properties: {NetworkAclId: !Ref Acl, SubnetId: !Select [1, !Split [',', { 'Fn::ImportValue': !Sub '${App}-${Env}-PrivateSubnets' }]]}\n";
    let ws = Ws::new("fargate-ports")
        .file(
            "tasks/manifest.yml",
            "name: tasks\ntype: Backend Service\nimage: {build: Dockerfile}\nnetwork:\n  vpc:\n    placement: private\n",
        )
        .file("tasks/addons/acl.yml", acl)
        .file(
            "web/manifest.yml",
            &rdws("web", "network:\n  vpc:\n    placement: private\n"),
        );
    let r = ws.check();
    let task = flow(&r, "tasks", TargetKind::Internet);
    assert_eq!(task.verdict, Verdict::Reachable, "{:?}", task.blockers);
    let web = flow(&r, "web", TargetKind::Internet);
    assert_eq!(web.verdict, Verdict::Unknown, "{:?}", web.blockers);
    assert!(web
        .blockers
        .iter()
        .any(|b| b.code.as_str() == "PARTIAL_MATCH" && b.reason.contains("1024-65535")));
}

#[test]
fn files_copilot_never_reads_are_reported() {
    let ws = Ws::new("ignored")
        .file("manifest.yml", "name: stray\ntype: Backend Service\n")
        .file(
            "api/manifest.yml",
            "name: api\ntype: Backend Service\nimage: {build: Dockerfile}\n",
        )
        .file("api/addons/db/aurora.yml", "Resources: {}\n");
    let r = ws.check();
    let ignored: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule.code() == "RL207")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(ignored.len(), 2, "{ignored:?}");
    assert!(ignored.iter().any(|m| m.contains("addons/ folder")));
    assert!(ignored
        .iter()
        .any(|m| m.contains("not inside a workload or environment folder")));
}

#[test]
fn the_parameters_file_sees_the_parent_stacks_parameters() {
    // `!Ref EnvName` resolves in the workload stack; `!Ref Env` does not
    // exist there and is an error suggesting EnvName.
    let addon = "Parameters:\n  App: {Type: String}\n  Env: {Type: String}\n  Name: {Type: String}\n  DeployEnv: {Type: String}\nResources:\n  T:\n    Type: AWS::SNS::Topic\n";
    let ws = Ws::new("parent-params")
        .file(
            "api/manifest.yml",
            "name: api\ntype: Backend Service\nimage: {build: Dockerfile}\n",
        )
        .file("api/addons/topic.yml", addon)
        .file(
            "api/addons/addons.parameters.yml",
            "Parameters:\n  DeployEnv: !Ref EnvName\n",
        );
    let r = ws.check();
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    ws.write(
        "api/addons/addons.parameters.yml",
        "Parameters:\n  DeployEnv: !Ref Env\n",
    );
    let r = ws.check();
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule.code() == "RL202")
        .expect("an error at the reference");
    assert!(d.help.as_deref().unwrap_or("").contains("EnvName"), "{d:?}");
}

#[test]
fn environment_manifests_are_interpolated_and_an_unreadable_cidr_is_undecided() {
    // `cidr: ${VPC_CIDR}` with the variable set gives the VPC its range;
    // unset, it is reported and every path depending on the local route is
    // unknown, never unreachable.
    let env = "name: test\ntype: Environment\nnetwork:\n  vpc:\n    cidr: ${VPC_CIDR}\n    subnets:\n      public:\n        - cidr: 10.1.0.0/24\n        - cidr: 10.1.1.0/24\n      private:\n        - cidr: 10.1.2.0/24\n        - cidr: 10.1.3.0/24\n";
    let ws = Ws::new("env-interp")
        .file("environments/test/manifest.yml", env)
        .file(
            "api/manifest.yml",
            &rdws("api", "network:\n  vpc:\n    placement: private\n"),
        );
    let r = reachlint::app::check(&reachlint::door::Options {
        path: ws.root.clone(),
        variables: vec!["VPC_CIDR".into()],
        ..Default::default()
    })
    .expect("check runs");
    // declared as set at deploy time: no RL203, and its value is unknown
    assert!(!r.diagnostics.iter().any(|d| d.rule.code() == "RL203"));
    let net = flow(&r, "api", TargetKind::Internet);
    assert_eq!(net.verdict, Verdict::Unknown, "{:?}", net.blockers);
    assert!(
        net.missing.iter().any(|m| m.text.contains("CIDR of VPC")),
        "{:?}",
        net.missing
    );
    // the same with the variable set in the environment
    std::env::set_var("VPC_CIDR", "10.1.0.0/16");
    let r = ws.check();
    std::env::remove_var("VPC_CIDR");
    let net = flow(&r, "api", TargetKind::Internet);
    assert_eq!(net.verdict, Verdict::Reachable, "{:?}", net.blockers);
    assert_eq!(
        r.envs[0].network.vpcs[0]
            .cidr
            .map(|c| c.to_string())
            .as_deref(),
        Some("10.1.0.0/16")
    );
}

const ENV_AURORA: &str =
    include_str!("../fixtures/ecs-env-aurora/copilot/environments/addons/ordersDb.yml");
const ENV_AURORA_PARAMS: &str =
    include_str!("../fixtures/ecs-env-aurora/copilot/environments/addons/addons.parameters.yml");

#[test]
fn a_second_service_with_the_secret_but_no_ingress_is_a_failing_needed_flow() {
    // The classic incident: `reports` is handed the database secret and
    // never gets the group the cluster admits.
    let ws = Ws::new("second-service")
        .file("environments/addons/ordersDb.yml", ENV_AURORA)
        .file("environments/addons/addons.parameters.yml", ENV_AURORA_PARAMS)
        .file(
            "reports/manifest.yml",
            "name: reports\ntype: Backend Service\nimage: {build: Dockerfile}\nnetwork:\n  vpc:\n    placement: private\nsecrets:\n  DB_SECRET:\n    from_cfn: ${COPILOT_APPLICATION_NAME}-${COPILOT_ENVIRONMENT_NAME}-ordersDbAuroraSecret\n",
        );
    let r = ws.check();
    let db = flow(&r, "reports", TargetKind::Database);
    assert!(db.flow.needed);
    assert!(
        db.flow.reason.contains("imports the secret"),
        "{}",
        db.flow.reason
    );
    assert_eq!(db.verdict, Verdict::Unreachable);
    assert!(r.diagnostics.iter().any(|d| d.rule.code() == "RL401"));
}

#[test]
fn rds_instances_are_databases_and_their_endpoint_is_evidence() {
    // A standalone PostgreSQL instance whose group opens 3306; the service
    // receives its endpoint through an environment export.
    let addon = "Parameters:\n  App: {Type: String}\n  Env: {Type: String}\n  VPCID: {Type: String}\n  PrivateSubnets: {Type: String}\nResources:\n  DbSubnets:\n    Type: AWS::RDS::DBSubnetGroup\n    Properties:\n      DBSubnetGroupDescription: private\n      SubnetIds: !Split [',', !Ref PrivateSubnets]\n  ClientSG:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: clients, VpcId: !Ref VPCID}\n  DbSG:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db\n      VpcId: !Ref VPCID\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 3306, ToPort: 3306, SourceSecurityGroupId: !Ref ClientSG}\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      DBInstanceClass: db.t4g.micro\n      DBSubnetGroupName: !Ref DbSubnets\n      VPCSecurityGroups: [!Ref DbSG]\nOutputs:\n  DbHost:\n    Value: !GetAtt Db.Endpoint.Address\n    Export: {Name: !Sub '${App}-${Env}-DbHost'}\n";
    let ws = Ws::new("rds-instance")
        .file("environments/addons/db.yml", addon)
        .file("environments/addons/addons.parameters.yml", ENV_AURORA_PARAMS)
        .file(
            "api/manifest.yml",
            "name: api\ntype: Backend Service\nimage: {build: Dockerfile}\nnetwork:\n  vpc:\n    placement: private\nvariables:\n  DB_HOST:\n    from_cfn: ${COPILOT_APPLICATION_NAME}-${COPILOT_ENVIRONMENT_NAME}-DbHost\n",
        );
    let r = ws.check();
    let db = flow(&r, "api", TargetKind::Database);
    assert_eq!(db.flow.port, 5432, "the postgres default");
    assert!(db.flow.reason.contains("endpoint"), "{}", db.flow.reason);
    assert_eq!(db.verdict, Verdict::Unreachable);
}

#[test]
fn a_data_store_reachlint_does_not_model_gets_a_note() {
    let addon = "Parameters:\n  App: {Type: String}\n  Env: {Type: String}\n  Name: {Type: String}\nResources:\n  Graph:\n    Type: AWS::Neptune::DBCluster\n    Properties:\n      DBClusterIdentifier: graph\n";
    let ws = Ws::new("graph-note")
        .file(
            "api/manifest.yml",
            "name: api\ntype: Backend Service\nimage: {build: Dockerfile}\n",
        )
        .file("api/addons/graph.yml", addon);
    let r = ws.check();
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.rule.code() == "RL406" && d.message.contains("Graph")),
        "{:?}",
        r.diagnostics
    );
}
