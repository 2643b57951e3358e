//! Misconfigurations from the catalogue in ../shared/spec/aws-network-semantics.md
//! (section 5) and the verdicts they must get, written as addon templates on
//! top of a private App Runner service with an Aurora cluster.

mod common;

use common::Ws;
use reachlint::outcome::Report;
use reachlint::verify::{FlowResult, TargetKind, Verdict};

const MANIFEST: &str = "name: api\ntype: Request-Driven Web Service\nimage:\n  build: Dockerfile\n  port: 8080\nnetwork:\n  vpc:\n    placement: private\n";

/// The Aurora addon; `subnets` is the DB subnet group's SubnetIds.
fn db(subnets: &str, extra: &str) -> String {
    format!(
        "Outputs:
  dbSecretOut:
    Value: !Ref dbSecret
Parameters:
  App: {{Type: String}}
  Env: {{Type: String}}
  Name: {{Type: String}}
  ServiceSecurityGroupId: {{Type: String}}
Resources:
  dbSecret:
    Type: AWS::SecretsManager::Secret
  dbSubnets:
    Type: AWS::RDS::DBSubnetGroup
    Properties:
      DBSubnetGroupDescription: db
      SubnetIds: {subnets}
  dbSG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      VpcId: {{'Fn::ImportValue': !Sub '${{App}}-${{Env}}-VpcId'}}
      SecurityGroupIngress:
        - {{IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref ServiceSecurityGroupId}}
  db:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      Port: 5432
      DBSubnetGroupName: !Ref dbSubnets
      VpcSecurityGroupIds: [!Ref dbSG]
{extra}"
    )
}

const PRIVATE: &str = "!Split [',', {'Fn::ImportValue': !Sub '${App}-${Env}-PrivateSubnets'}]";

/// Two subnets of the DB's own, with an ACL whose entries are given.
fn db_subnets_with_acl(entries: &str) -> String {
    format!(
        "  DbSubA:
    Type: AWS::EC2::Subnet
    Properties: {{VpcId: {{'Fn::ImportValue': !Sub '${{App}}-${{Env}}-VpcId'}}, CidrBlock: 10.0.10.0/24}}
  DbSubB:
    Type: AWS::EC2::Subnet
    Properties: {{VpcId: {{'Fn::ImportValue': !Sub '${{App}}-${{Env}}-VpcId'}}, CidrBlock: 10.0.11.0/24}}
  DbAcl:
    Type: AWS::EC2::NetworkAcl
    Properties: {{VpcId: {{'Fn::ImportValue': !Sub '${{App}}-${{Env}}-VpcId'}}}}
  AssocA:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties: {{SubnetId: !Ref DbSubA, NetworkAclId: !Ref DbAcl}}
  AssocB:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties: {{SubnetId: !Ref DbSubB, NetworkAclId: !Ref DbAcl}}
{entries}"
    )
}

fn acl_entry(name: &str, egress: bool, from: u16, to: u16, cidr: &str) -> String {
    format!(
        "  {name}:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {{NetworkAclId: !Ref DbAcl, RuleNumber: 100, Protocol: 6, RuleAction: allow, Egress: {egress}, CidrBlock: {cidr}, PortRange: {{From: {from}, To: {to}}}}}
"
    )
}

const PARAMS: &str =
    "Parameters:\n  ServiceSecurityGroupId: !GetAtt ServiceSecurityGroup.GroupId\n";

/// The private service with `addon` (and more files), checked.
fn workspace(name: &str, addon: &str, extra_files: &[(&str, &str)]) -> (Ws, Report) {
    let ws = Ws::new(name)
        .file("api/manifest.yml", MANIFEST)
        .file("api/addons/db.yml", addon)
        .file("api/addons/addons.parameters.yml", PARAMS);
    for (rel, text) in extra_files {
        ws.write(rel, text);
    }
    let r = ws.check();
    (ws, r)
}

fn flow(r: &Report, kind: TargetKind) -> &FlowResult {
    r.envs[0]
        .flows
        .iter()
        .find(|f| f.flow.kind() == kind)
        .expect("flow")
}

fn codes(f: &FlowResult) -> Vec<&str> {
    f.blockers.iter().map(|b| b.code.as_str()).collect()
}

#[test]
fn s11_db_subnet_acl_without_inbound_5432_is_unreachable() {
    let acl = db_subnets_with_acl(&acl_entry("Out", true, 1024, 65535, "10.0.0.0/16"));
    let (_w, r) = workspace("s11", &db("[!Ref DbSubA, !Ref DbSubB]", &acl), &[]);
    let f = flow(&r, TargetKind::Database);
    assert_eq!(f.verdict, Verdict::Unreachable);
    assert!(
        codes(f).contains(&"SUBNET_ACL_RESTRICTION"),
        "{:?}",
        f.blockers
    );
}

#[test]
fn s12_replies_admitted_on_linux_ephemeral_ports_only_is_unknown() {
    let acl = db_subnets_with_acl(&format!(
        "{}{}",
        acl_entry("In", false, 5432, 5432, "10.0.0.0/16"),
        acl_entry("Out", true, 32768, 65535, "10.0.0.0/16")
    ));
    let (_w, r) = workspace("s12", &db("[!Ref DbSubA, !Ref DbSubB]", &acl), &[]);
    let f = flow(&r, TargetKind::Database);
    assert_eq!(f.verdict, Verdict::Unknown);
    assert!(codes(f).contains(&"PARTIAL_MATCH"), "{:?}", f.blockers);
}

/// The catalogue lists S13 as unreachable, but DECISIONS.md (the newer
/// word) makes an ACL that admits part of a client's ephemeral range
/// `unknown`: a client on source port 5432 would get its reply.
#[test]
fn s13_replies_admitted_only_on_the_db_port_is_unknown_with_the_gap_named() {
    let acl = db_subnets_with_acl(&format!(
        "{}{}",
        acl_entry("In", false, 5432, 5432, "10.0.0.0/16"),
        acl_entry("Out", true, 5432, 5432, "10.0.0.0/16")
    ));
    let (_w, r) = workspace("s13", &db("[!Ref DbSubA, !Ref DbSubB]", &acl), &[]);
    let f = flow(&r, TargetKind::Database);
    assert_eq!(f.verdict, Verdict::Unknown);
    assert!(r.diagnostics.iter().any(|d| d.rule.code() == "RL403"));
    assert!(codes(f).contains(&"PARTIAL_MATCH"), "{:?}", f.blockers);
    assert!(
        f.blockers[0].reason.contains("1024-65535"),
        "{}",
        f.blockers[0].reason
    );
}

const ENDPOINT: &str = "Resources:
  EpSG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: endpoint
      VpcId: {'Fn::ImportValue': !Sub '${App}-${Env}-VpcId'}
      SecurityGroupIngress: INGRESS
  SmEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcEndpointType: Interface
      ServiceName: !Sub com.amazonaws.${AWS::Region}.secretsmanager
      VpcId: {'Fn::ImportValue': !Sub '${App}-${Env}-VpcId'}
      SubnetIds: !Split [',', {'Fn::ImportValue': !Sub '${App}-${Env}-PrivateSubnets'}]
      PrivateDnsEnabled: true
      SecurityGroupIds: [!Ref EpSG]
";

#[test]
fn s19_secrets_manager_endpoint_without_ingress_blocks_the_sdk_call() {
    // the region is unknown offline; the endpoint's service is still known
    let ep = ENDPOINT.replace("INGRESS", "[]");
    let (_w, r) = workspace("s19", &db(PRIVATE, ""), &[("api/addons/ep.yml", &ep)]);
    let f = flow(&r, TargetKind::AwsService);
    assert_eq!(f.verdict, Verdict::Unreachable, "{:?}", f.missing);
    assert!(codes(f).contains(&"ENI_SG_RULES_MISMATCH"));
    // with ingress 443 from the service's group: through the endpoint
    let ep = ENDPOINT.replace(
        "INGRESS",
        "[{IpProtocol: tcp, FromPort: 443, ToPort: 443, SourceSecurityGroupId: !Ref ServiceSecurityGroupId}]",
    );
    let ep = ep.replace(
        "Resources:",
        "Parameters:\n  ServiceSecurityGroupId: {Type: String}\nResources:",
    );
    let (_w, r) = workspace("s19ok", &db(PRIVATE, ""), &[("api/addons/ep.yml", &ep)]);
    let f = flow(&r, TargetKind::AwsService);
    assert_eq!(
        f.verdict,
        Verdict::Reachable,
        "{:?} {:?}",
        f.blockers,
        f.missing
    );
    assert!(f
        .path
        .iter()
        .any(|h| h.component.as_str() == "vpc-endpoint"));
}

#[test]
fn s24_database_in_another_vpc_is_not_assumed_to_be_in_this_one() {
    let addon = db("!Split [',', !ImportValue shared-DefaultVpcSubnets]", "").replace(
        "VpcId: {'Fn::ImportValue': !Sub '${App}-${Env}-VpcId'}",
        "VpcId: !ImportValue shared-DefaultVpcId",
    );
    let (_w, r) = workspace("s24", &addon, &[]);
    let f = flow(&r, TargetKind::Database);
    assert_ne!(f.verdict, Verdict::Reachable);
    assert!(
        f.missing
            .iter()
            .any(|m| m.text.contains("shared-DefaultVpcSubnets")),
        "{:?}",
        f.missing
    );
}

#[test]
fn unknown_acl_cidr_and_unknown_port_are_never_match_all() {
    let acl = db_subnets_with_acl(&format!(
        "{}{}",
        acl_entry("In", false, 5432, 5432, "!ImportValue shared-ClientCidr"),
        acl_entry("Out", true, 1024, 65535, "10.0.0.0/16")
    ));
    let (_w, r) = workspace("unkcidr", &db("[!Ref DbSubA, !Ref DbSubB]", &acl), &[]);
    let f = flow(&r, TargetKind::Database);
    assert_eq!(f.verdict, Verdict::Unknown);
    assert!(
        f.missing.iter().any(|m| m.text.contains("CidrBlock")),
        "{:?}",
        f.missing
    );

    let addon = db(PRIVATE, "").replace(
        "      Port: 5432\n",
        "      Port: !ImportValue shared-DbPort\n",
    );
    let (_w, r) = workspace("unkport", &addon, &[]);
    let f = flow(&r, TargetKind::Database);
    assert_eq!(f.verdict, Verdict::Unknown);
    assert!(f.missing[0].text.contains("Port"), "{:?}", f.missing);

    let addon = db(PRIVATE, "").replace(
        "FromPort: 5432, ToPort: 5432",
        "FromPort: !ImportValue shared-P, ToPort: !ImportValue shared-P",
    );
    let (_w, r) = workspace("unksgport", &addon, &[]);
    assert_eq!(flow(&r, TargetKind::Database).verdict, Verdict::Unknown);
}

#[test]
fn an_ingress_rule_under_an_undecided_condition_is_unknown() {
    let addon = db(PRIVATE, "  Open:\n    Type: AWS::EC2::SecurityGroupIngress\n    Condition: AllowApp\n    Properties: {GroupId: !Ref dbSG, IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref ServiceSecurityGroupId}\n")
        .replace("        - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref ServiceSecurityGroupId}\n", "        []\n")
        .replace("      SecurityGroupIngress:\n        []\n", "      SecurityGroupIngress: []\n")
        .replace("Resources:", "Conditions:\n  AllowApp: !Equals [!ImportValue shared-Flag, 'yes']\nResources:");
    let (_w, r) = workspace("cond", &addon, &[]);
    let f = flow(&r, TargetKind::Database);
    assert_eq!(f.verdict, Verdict::Unknown, "{:?}", f.blockers);
    assert!(
        f.missing.iter().any(|m| m.text.contains("AllowApp")),
        "{:?}",
        f.missing
    );
}

#[test]
fn an_empty_db_subnet_group_is_unreachable() {
    let (_w, r) = workspace("empty", &db("[]", ""), &[]);
    let f = flow(&r, TargetKind::Database);
    assert_eq!(f.verdict, Verdict::Unreachable);
    assert_eq!(codes(f), vec!["NO_DESTINATION_ENI"]);
}

#[test]
fn from_tags_may_mean_no_connector_at_all() {
    let m = MANIFEST.replace(
        "placement: private",
        "placement:\n      subnets:\n        from_tags:\n          tier: app",
    );
    let ws = Ws::new("ft")
        .file("api/manifest.yml", &m)
        .file("api/addons/db.yml", &db(PRIVATE, ""))
        .file("api/addons/addons.parameters.yml", PARAMS);
    let r = ws.check();
    let f = flow(&r, TargetKind::Database);
    assert_eq!(f.verdict, Verdict::Unknown);
    assert!(
        f.missing.iter().any(|m| m.text.contains("from_tags")),
        "{:?}",
        f.missing
    );
}

/// A workspace whose service has no `network` block (App Runner's default
/// egress).
fn no_connector(name: &str, addon: &str) -> (Ws, Report) {
    let ws = Ws::new(name)
        .file(
            "api/manifest.yml",
            &MANIFEST.replace("network:\n  vpc:\n    placement: private\n", ""),
        )
        .file("api/addons/db.yml", addon)
        .file(
            "api/addons/addons.parameters.yml",
            "Parameters:\n  ServiceSecurityGroupId: sg-0123\n",
        );
    let r = ws.check();
    (ws, r)
}

#[test]
fn public_database_without_connector_depends_on_unknown_rules() {
    let public = "  dbWriter:\n    Type: AWS::RDS::DBInstance\n    Properties: {DBClusterIdentifier: !Ref db, PubliclyAccessible: true}\n  dbOpen:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties: {GroupId: !Ref dbSG, IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: !ImportValue office-cidr}\n";
    // in public subnets its rules decide, and one is unknown offline
    let in_public = PRIVATE.replace("PrivateSubnets", "PublicSubnets");
    let (_w, r) = no_connector("pub-unk", &db(&in_public, public));
    assert_eq!(flow(&r, TargetKind::Database).verdict, Verdict::Unknown);
    // in private subnets nothing outside reaches it, whatever its rules
    // (knowable means decided)
    let (_w, r) = no_connector("pub-private", &db(PRIVATE, public));
    assert_eq!(flow(&r, TargetKind::Database).verdict, Verdict::Unreachable);
    // the same database, private: out of reach, whatever its rules
    let private = public.replace("PubliclyAccessible: true", "PubliclyAccessible: false");
    let (_w, r) = no_connector("pub-no", &db(PRIVATE, &private));
    assert_eq!(flow(&r, TargetKind::Database).verdict, Verdict::Unreachable);
}

#[test]
fn unknown_route_destination_and_unknown_acl_association_are_unknown() {
    let route = "  Extra:\n    Type: AWS::EC2::Route\n    Properties: {RouteTableId: !ImportValue shared-rt, DestinationCidrBlock: 0.0.0.0/0, GatewayId: igw-1}\n";
    let (_w, r) = workspace("rt-unk", &db(PRIVATE, route), &[]);
    assert_eq!(flow(&r, TargetKind::Internet).verdict, Verdict::Unknown);
    let assoc = "  Assoc:\n    Type: AWS::EC2::SubnetNetworkAclAssociation\n    Properties: {SubnetId: !Select [0, !Split [',', {'Fn::ImportValue': !Sub '${App}-${Env}-PrivateSubnets'}]], NetworkAclId: !ImportValue corp-acl}\n";
    let (_w, r) = workspace("acl-unk", &db(PRIVATE, assoc), &[]);
    let f = flow(&r, TargetKind::Database);
    assert_eq!(f.verdict, Verdict::Unknown);
    assert!(
        f.missing.iter().any(|m| m.text.contains("corp-acl")),
        "{:?}",
        f.missing
    );
}

#[test]
fn one_denied_reply_port_is_unknown_not_unreachable() {
    let acl = db_subnets_with_acl(&format!(
        "{}{}  Deny:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties: {{NetworkAclId: !Ref DbAcl, RuleNumber: 90, Protocol: 6, RuleAction: deny, Egress: true, CidrBlock: 10.0.0.0/16, PortRange: {{From: 50000, To: 50000}}}}\n",
        acl_entry("In", false, 5432, 5432, "10.0.0.0/16"),
        acl_entry("Out", true, 1024, 65535, "10.0.0.0/16")
    ));
    let (_w, r) = workspace("deny-one", &db("[!Ref DbSubA, !Ref DbSubB]", &acl), &[]);
    assert_eq!(flow(&r, TargetKind::Database).verdict, Verdict::Unknown);
}

#[test]
fn endpoint_vpc_comes_from_its_subnets_and_undecided_endpoints_are_unknown() {
    // no VpcId: the endpoint still sits in the environment's VPC
    let ep = ENDPOINT.replace("INGRESS", "[]").replace(
        "      VpcId: {'Fn::ImportValue': !Sub '${App}-${Env}-VpcId'}\n      SubnetIds",
        "      SubnetIds",
    );
    let (_w, r) = workspace("ep-novpc", &db(PRIVATE, ""), &[("api/addons/ep.yml", &ep)]);
    assert_eq!(
        flow(&r, TargetKind::AwsService).verdict,
        Verdict::Unreachable
    );
    // an endpoint that may not exist: through it or through the NAT gateway
    let ep = ENDPOINT
        .replace("INGRESS", "[]")
        .replace(
            "    Type: AWS::EC2::VPCEndpoint\n",
            "    Type: AWS::EC2::VPCEndpoint\n    Condition: WithEndpoint\n",
        )
        .replace(
            "Resources:",
            "Conditions:\n  WithEndpoint: !Equals [!ImportValue shared-flag, 'yes']\nResources:",
        );
    let (_w, r) = workspace("ep-cond", &db(PRIVATE, ""), &[("api/addons/ep.yml", &ep)]);
    assert_eq!(flow(&r, TargetKind::AwsService).verdict, Verdict::Unknown);
}
