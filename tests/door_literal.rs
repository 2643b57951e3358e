//! A front door made in a test: a few lines that build one network from a
//! literal, with the facts a door states, go through the same path to a
//! report (`app::report`, `door::report` with the verifier) and its JSON as every door's networks.

use reachlint::door::{Advice, Advisor, DoorNetwork, Networks};
use reachlint::evidence::task::{add_to, needs, Image, LogDriver, Registry, TaskFacts};
use reachlint::model::net::Cidr;
use reachlint::model::*;
use reachlint::outcome::NetworkSource;
use reachlint::verify::{Blocker, Flow};

struct Words;

impl Advisor for Words {
    fn advise(&self, _: &Network, _: &Flow, _: &Blocker) -> Option<Advice> {
        Some(Advice::text("give the subnet a route to a NAT gateway"))
    }
}

/// One private subnet with only the local route, one ECS task in it.
fn literal() -> Network {
    let mut net = Network::default();
    net.route_tables.push(RouteTable {
        name: "Main".into(),
        vpc: Some(VpcId(0)),
        routes: vec![Route {
            dest: Cidr::new(10 << 24, 16),
            target: RouteTarget::Local,
            origin: Origin::default(),
        }],
        incomplete: None,
        origin: Origin::default(),
    });
    net.acls.push(NetworkAcl {
        name: "Default".into(),
        vpc: Some(VpcId(0)),
        entries: vec![
            AclEntry::everything(false, Action::Allow, Origin::default(), None),
            AclEntry::everything(true, Action::Allow, Origin::default(), None),
        ],
        origin: Origin::default(),
    });
    net.vpcs.push(Vpc {
        name: "Vpc".into(),
        cidr: "10.0.0.0/16".parse().ok(),
        main_route_table: RouteTableId(0),
        default_acl: AclId(0),
        fully_known: true,
        origin: Origin::default(),
    });
    net.subnets.push(Subnet {
        name: "Private".into(),
        vpc: Some(VpcId(0)),
        cidr: "10.0.1.0/24".parse().ok(),
        az: Az::Index(0),
        route_table: None,
        acl: None,
        map_public_ip: false,
        origin: Origin::default(),
        rt_origin: None,
    });
    net.sgs.push(SecurityGroup {
        name: "TaskSg".into(),
        vpc: Some(VpcId(0)),
        ingress: vec![],
        egress: vec![SgRule {
            proto: Proto::All,
            ports: (0, 65535),
            peer: Peer::Cidr(Cidr::ANY),
            origin: Origin::default(),
            unknown_origin: None,
            text: "egress all".into(),
        }],
        opaque: None,
        origin: Origin::default(),
    });
    net.workloads.push(Workload {
        name: "api".into(),
        kind: WorkloadKind::EcsService,
        egress: Egress::Enis(Enis {
            component: Component::EcsTask,
            name: "api tasks".into(),
            subnets: SubnetSet::Known(vec![SubnetId(0)]),
            sgs: vec![SgId(0)],
            unknown_sgs: vec![],
            public_ip: false,
            client: ClientKind::FargateLinux,
            origin: Origin::default(),
        }),
        fallback: None,
        api_uses: vec![],
        needs_internet: None,
        db_refs: vec![],
        fs_uses: vec![],
        lb_targets: Vec::new(),
        peer_uses: Vec::new(),
        origin: Origin::default(),
    });
    net
}

#[test]
fn a_door_built_from_a_literal_reaches_a_report() {
    let mut network = literal();
    // the door states what the task pulls and where it logs
    let facts = TaskFacts {
        images: vec![Image {
            registry: Registry::of_image("public.ecr.aws/nginx/nginx:1"),
            origin: Origin::default(),
        }],
        log: Some(LogDriver::AwsLogs(Origin::default())),
        ..Default::default()
    };
    add_to(&mut network.workloads[0], needs(&facts));
    let report = reachlint::app::report(Networks {
        root: "literal".into(),
        sources: Default::default(),
        declared: vec![],
        config: None,
        diagnostics: vec![],
        envs: vec![DoorNetwork {
            env: "test".into(),
            network,
            stand_ins: vec![],
            source: NetworkSource::Snapshot,
            advisor: Box::new(Words),
            explain_args: "literal".into(),
            assumptions: vec![],
        }],
        unchecked: vec![],
    });
    // needed: the internet (public image) and CloudWatch Logs; both fail
    // for want of a route, so the run fails
    assert_eq!(report.exit_code(false), 1);
    assert_eq!(report.failed_needed(), 2);
    let json: serde_json::Value =
        serde_json::from_str(&reachlint::report::json::render(&report)).unwrap();
    let flows = json["reachability"].as_array().unwrap();
    let needed: Vec<&str> = flows
        .iter()
        .filter(|f| f["needed"] == true)
        .map(|f| f["target"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(needed, ["aws-service", "internet"], "{json:#}");
    assert!(
        json.to_string()
            .contains("give the subnet a route to a NAT gateway"),
        "the door's advisor words the remedy: {json:#}"
    );
    let rules: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"RL401"), "{rules:?}");
}
