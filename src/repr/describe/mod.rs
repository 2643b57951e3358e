//! The Describe representation layer: typed records of the AWS CLI's JSON
//! output (`aws ec2 describe-security-groups --output json`, ...), each
//! file recognised by its top-level key, converted into the network model
//! (Batfish's `representation/aws` -> datamodel split). A key that is not
//! present makes the facts it would supply unknown, naming the Describe
//! call (`ec2:DescribeRouteTables`); a present empty list means none exist.
//! Keys and records this layer does not read are reported, never dropped
//! silently.
//!
//! Here: the kinds of output, the `Snapshot` of every record with its
//! origin, and what the front door hands over (`LiveWorkload`);
//! `records`: the typed records; `build`: one VPC into the model.

mod build;
mod records;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::base::origin::{Origin, SnapshotRecord, Source};
use crate::base::unknown::{Fact, Missing};
use crate::model::{ClientKind, Component, WorkloadKind};

pub use build::{build, Built};
pub use records::*;

/// One kind of Describe output, by its top-level key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Vpcs,
    Subnets,
    RouteTables,
    SecurityGroups,
    SecurityGroupRules,
    NetworkAcls,
    NatGateways,
    InternetGateways,
    VpcEndpoints,
    DbClusters,
    DbInstances,
    DbSubnetGroups,
    VpcConnectors,
    AppRunnerServices,
    StackResources,
    Exports,
    EcsServices,
    EcsTasks,
    NetworkInterfaces,
    StateMachines,
    MountTargets,
    TaskDefinitions,
    LoadBalancers,
    Listeners,
    TargetGroups,
}

impl Kind {
    /// The Describe (or List, Get) call whose output this is.
    pub fn call(self) -> &'static str {
        match self {
            Kind::Vpcs => "ec2:DescribeVpcs",
            Kind::Subnets => "ec2:DescribeSubnets",
            Kind::RouteTables => "ec2:DescribeRouteTables",
            Kind::SecurityGroups => "ec2:DescribeSecurityGroups",
            Kind::SecurityGroupRules => "ec2:DescribeSecurityGroupRules",
            Kind::NetworkAcls => "ec2:DescribeNetworkAcls",
            Kind::NatGateways => "ec2:DescribeNatGateways",
            Kind::InternetGateways => "ec2:DescribeInternetGateways",
            Kind::VpcEndpoints => "ec2:DescribeVpcEndpoints",
            Kind::DbClusters => "rds:DescribeDBClusters",
            Kind::DbInstances => "rds:DescribeDBInstances",
            Kind::DbSubnetGroups => "rds:DescribeDBSubnetGroups",
            Kind::VpcConnectors => "apprunner:DescribeVpcConnector",
            Kind::AppRunnerServices => "apprunner:DescribeService",
            Kind::StackResources => "cloudformation:DescribeStackResources",
            Kind::Exports => "cloudformation:ListExports",
            Kind::EcsServices => "ecs:DescribeServices",
            Kind::EcsTasks => "ecs:DescribeTasks",
            Kind::NetworkInterfaces => "ec2:DescribeNetworkInterfaces",
            Kind::StateMachines => "states:DescribeStateMachine",
            Kind::MountTargets => "elasticfilesystem:DescribeMountTargets",
            Kind::TaskDefinitions => "ecs:DescribeTaskDefinition",
            Kind::LoadBalancers => "elasticloadbalancing:DescribeLoadBalancers",
            Kind::Listeners => "elasticloadbalancing:DescribeListeners",
            Kind::TargetGroups => "elasticloadbalancing:DescribeTargetGroups",
        }
    }

    /// The key(s) a file holds it under; `single`: one object, not a list.
    fn of_key(key: &str) -> Option<(Kind, bool)> {
        Some(match key {
            "Vpcs" => (Kind::Vpcs, false),
            "Subnets" => (Kind::Subnets, false),
            "RouteTables" => (Kind::RouteTables, false),
            "SecurityGroups" => (Kind::SecurityGroups, false),
            "SecurityGroupRules" => (Kind::SecurityGroupRules, false),
            "NetworkAcls" => (Kind::NetworkAcls, false),
            "NatGateways" => (Kind::NatGateways, false),
            "InternetGateways" => (Kind::InternetGateways, false),
            "VpcEndpoints" => (Kind::VpcEndpoints, false),
            "DBClusters" => (Kind::DbClusters, false),
            "DBInstances" => (Kind::DbInstances, false),
            "DBSubnetGroups" => (Kind::DbSubnetGroups, false),
            "VpcConnectors" => (Kind::VpcConnectors, false),
            "VpcConnector" => (Kind::VpcConnectors, true),
            "Service" => (Kind::AppRunnerServices, true),
            "StackResources" | "StackResourceSummaries" => (Kind::StackResources, false),
            "Exports" => (Kind::Exports, false),
            "services" => (Kind::EcsServices, false),
            "tasks" => (Kind::EcsTasks, false),
            "NetworkInterfaces" => (Kind::NetworkInterfaces, false),
            "MountTargets" => (Kind::MountTargets, false),
            "taskDefinition" => (Kind::TaskDefinitions, true),
            "LoadBalancers" => (Kind::LoadBalancers, false),
            "Listeners" => (Kind::Listeners, false),
            "TargetGroups" => (Kind::TargetGroups, false),
            _ => return None,
        })
    }
}

/// Describe output this version recognises but does not use yet, and why
/// (reported, so nothing is dropped silently).
const KNOWN_UNUSED: &[(&str, &str)] = &[
    ("PrefixLists", "ec2:DescribeManagedPrefixLists output is recognised but holds no CIDRs; save each list's entries (`aws ec2 get-managed-prefix-list-entries --prefix-list-id pl-... > pl-....json`)"),
];

/// Keys of Describe output that carry no facts (pagination, metadata).
const METADATA_KEYS: &[&str] = &[
    "NextToken",
    "Marker",
    "ResponseMetadata",
    "failures",
    "nextToken",
    // `describe-task-definition --include TAGS`: the definition's tags
    "tags",
];

/// A record and where it sits in the snapshot.
#[derive(Debug, Clone)]
pub struct Rec<T> {
    pub value: T,
    pub origin: Origin,
}

/// Something in the snapshot this layer does not read (Batfish's habit:
/// reported, never silently dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    pub file: PathBuf,
    /// The key, or the record's JSON pointer.
    pub what: String,
    pub why: String,
}

/// Every record of a snapshot directory.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// The kinds some file supplied (a kind absent here is unknown).
    pub present: BTreeSet<Kind>,
    pub vpcs: Vec<Rec<VpcRec>>,
    pub subnets: Vec<Rec<SubnetRec>>,
    pub route_tables: Vec<Rec<RouteTableRec>>,
    pub security_groups: Vec<Rec<SecurityGroupRec>>,
    pub sg_rules: Vec<Rec<SgRuleRec>>,
    pub acls: Vec<Rec<NetworkAclRec>>,
    pub nat_gateways: Vec<Rec<NatGatewayRec>>,
    pub igws: Vec<Rec<InternetGatewayRec>>,
    pub endpoints: Vec<Rec<VpcEndpointRec>>,
    pub db_clusters: Vec<Rec<DbClusterRec>>,
    pub db_instances: Vec<Rec<DbInstanceRec>>,
    pub db_subnet_groups: Vec<Rec<DbSubnetGroupRec>>,
    pub connectors: Vec<Rec<VpcConnectorRec>>,
    pub apprunner_services: Vec<Rec<AppRunnerServiceRec>>,
    pub stack_resources: Vec<Rec<StackResourceRec>>,
    pub exports: Vec<Rec<ExportRec>>,
    pub ecs_services: Vec<Rec<EcsServiceRec>>,
    pub ecs_tasks: Vec<Rec<EcsTaskRec>>,
    pub enis: Vec<Rec<NetworkInterfaceRec>>,
    pub state_machines: Vec<Rec<StateMachineRec>>,
    pub mount_targets: Vec<Rec<MountTargetRec>>,
    pub task_definitions: Vec<Rec<TaskDefinitionRec>>,
    pub load_balancers: Vec<Rec<LoadBalancerRec>>,
    pub listeners: Vec<Rec<ListenerRec>>,
    pub target_groups: Vec<Rec<TargetGroupRec>>,
    /// A managed prefix list's CIDRs (`get-managed-prefix-list-entries`,
    /// the list named by its file: `pl-0123....json`).
    pub prefix_lists: std::collections::BTreeMap<String, Vec<String>>,
    pub unread: Vec<Unread>,
}

fn origin(file: &Path, pointer: String, id: &str, kind: Kind) -> Origin {
    Origin {
        source: Source::Snapshot(Box::new(SnapshotRecord {
            file: file.to_path_buf(),
            pointer,
            id: id.to_string(),
            call: kind.call().to_string(),
        })),
        because: None,
    }
}

impl Snapshot {
    /// Adds one file's records (`text` is its JSON). Not JSON, or not an
    /// object: the whole file is unread.
    pub fn add_file(&mut self, file: &Path, text: &str) {
        let v: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                self.unread.push(Unread {
                    file: file.to_path_buf(),
                    what: "the file".into(),
                    why: format!("not JSON: {e}"),
                });
                return;
            }
        };
        let Some(obj) = v.as_object() else {
            self.unread.push(Unread {
                file: file.to_path_buf(),
                what: "the file".into(),
                why: "not a JSON object of Describe output".into(),
            });
            return;
        };
        // `stepfunctions describe-state-machine` prints one object with no
        // list key: the file is one record
        if obj.contains_key("stateMachineArn") && obj.contains_key("definition") {
            self.present.insert(Kind::StateMachines);
            self.add_record(file, Kind::StateMachines, String::new(), &v);
            return;
        }
        // Both present: the newer `SecurityGroupRules` wins over the rules
        // inside `SecurityGroups` (which still supply the groups).
        for (key, value) in obj {
            if METADATA_KEYS.contains(&key.as_str()) {
                continue;
            }
            if key == "Entries" {
                self.add_prefix_list(file, value);
                continue;
            }
            let Some((kind, single)) = Kind::of_key(key) else {
                let why = KNOWN_UNUSED
                    .iter()
                    .find(|(k, _)| k == key)
                    .map_or("not a Describe output reachlint reads", |(_, why)| why);
                self.unread.push(Unread {
                    file: file.to_path_buf(),
                    what: format!("/{key}"),
                    why: why.into(),
                });
                continue;
            };
            self.present.insert(kind);
            let items: Vec<(String, &serde_json::Value)> = if single {
                vec![(format!("/{key}"), value)]
            } else {
                match value.as_array() {
                    Some(a) => a
                        .iter()
                        .enumerate()
                        .map(|(i, x)| (format!("/{key}/{i}"), x))
                        .collect(),
                    None => {
                        self.unread.push(Unread {
                            file: file.to_path_buf(),
                            what: format!("/{key}"),
                            why: "expected a list".into(),
                        });
                        continue;
                    }
                }
            };
            for (pointer, item) in items {
                self.add_record(file, kind, pointer, item);
            }
        }
    }

    /// `get-managed-prefix-list-entries` output: its entries do not name
    /// their list, so the file's name must (`pl-...`).
    fn add_prefix_list(&mut self, file: &Path, value: &serde_json::Value) {
        let name = file.file_stem().and_then(|n| n.to_str()).unwrap_or("");
        let id = name.find("pl-").map(|i| {
            name[i..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
        });
        let (Some(id), Some(items)) = (id, value.as_array()) else {
            self.unread.push(Unread {
                file: file.to_path_buf(),
                what: "/Entries".into(),
                why: "prefix list entries, but the file's name does not say which list (name it after the list, `pl-0123456789abcdef0.json`)".into(),
            });
            return;
        };
        let cidrs = items
            .iter()
            .filter_map(|e| e.get("Cidr").and_then(|c| c.as_str()).map(str::to_string))
            .collect();
        self.prefix_lists.insert(id, cidrs);
    }

    fn add_record(&mut self, file: &Path, kind: Kind, pointer: String, item: &serde_json::Value) {
        macro_rules! push {
            ($list:ident, $t:ty, $id:expr) => {{
                match serde_json::from_value::<$t>(item.clone()) {
                    Ok(value) => {
                        let id: String = $id(&value);
                        let o = origin(file, pointer, &id, kind);
                        self.$list.push(Rec { value, origin: o });
                    }
                    Err(e) => self.unread.push(Unread {
                        file: file.to_path_buf(),
                        what: pointer,
                        why: format!("not a {} record: {e}", kind.call()),
                    }),
                }
            }};
        }
        match kind {
            Kind::Vpcs => push!(vpcs, VpcRec, |v: &VpcRec| v.vpc_id.clone()),
            Kind::Subnets => push!(subnets, SubnetRec, |v: &SubnetRec| v.subnet_id.clone()),
            Kind::RouteTables => push!(route_tables, RouteTableRec, |v: &RouteTableRec| v
                .route_table_id
                .clone()),
            Kind::SecurityGroups => {
                push!(security_groups, SecurityGroupRec, |v: &SecurityGroupRec| v
                    .group_id
                    .clone())
            }
            Kind::SecurityGroupRules => push!(sg_rules, SgRuleRec, |v: &SgRuleRec| v
                .security_group_rule_id
                .clone()),
            Kind::NetworkAcls => push!(acls, NetworkAclRec, |v: &NetworkAclRec| v
                .network_acl_id
                .clone()),
            Kind::NatGateways => push!(nat_gateways, NatGatewayRec, |v: &NatGatewayRec| v
                .nat_gateway_id
                .clone()),
            Kind::InternetGateways => push!(igws, InternetGatewayRec, |v: &InternetGatewayRec| v
                .internet_gateway_id
                .clone()),
            Kind::VpcEndpoints => push!(endpoints, VpcEndpointRec, |v: &VpcEndpointRec| v
                .vpc_endpoint_id
                .clone()),
            Kind::DbClusters => push!(db_clusters, DbClusterRec, |v: &DbClusterRec| v
                .db_cluster_identifier
                .clone()),
            Kind::DbInstances => push!(db_instances, DbInstanceRec, |v: &DbInstanceRec| v
                .db_instance_identifier
                .clone()),
            Kind::DbSubnetGroups => push!(
                db_subnet_groups,
                DbSubnetGroupRec,
                |v: &DbSubnetGroupRec| v.db_subnet_group_name.clone()
            ),
            Kind::VpcConnectors => push!(connectors, VpcConnectorRec, |v: &VpcConnectorRec| v
                .vpc_connector_arn
                .clone()),
            Kind::AppRunnerServices => push!(
                apprunner_services,
                AppRunnerServiceRec,
                |v: &AppRunnerServiceRec| v.service_arn.clone()
            ),
            Kind::StackResources => {
                push!(stack_resources, StackResourceRec, |v: &StackResourceRec| v
                    .physical_resource_id
                    .clone())
            }
            Kind::Exports => push!(exports, ExportRec, |v: &ExportRec| v.name.clone()),
            Kind::EcsServices => push!(ecs_services, EcsServiceRec, |v: &EcsServiceRec| v
                .service_arn
                .clone()),
            Kind::EcsTasks => push!(ecs_tasks, EcsTaskRec, |v: &EcsTaskRec| v.task_arn.clone()),
            Kind::NetworkInterfaces => {
                push!(enis, NetworkInterfaceRec, |v: &NetworkInterfaceRec| v
                    .network_interface_id
                    .clone())
            }
            Kind::StateMachines => push!(state_machines, StateMachineRec, |v: &StateMachineRec| v
                .state_machine_arn
                .clone()),
            Kind::MountTargets => push!(mount_targets, MountTargetRec, |v: &MountTargetRec| v
                .mount_target_id
                .clone()),
            Kind::TaskDefinitions => push!(
                task_definitions,
                TaskDefinitionRec,
                |v: &TaskDefinitionRec| v.task_definition_arn.clone()
            ),
            Kind::LoadBalancers => push!(load_balancers, LoadBalancerRec, |v: &LoadBalancerRec| v
                .load_balancer_arn
                .clone()),
            Kind::Listeners => push!(listeners, ListenerRec, |v: &ListenerRec| v
                .listener_arn
                .clone()),
            Kind::TargetGroups => push!(target_groups, TargetGroupRec, |v: &TargetGroupRec| v
                .target_group_arn
                .clone()),
        }
    }

    /// Records that appear in several files (pages of one call, or the
    /// same call saved twice) are kept once, by id.
    pub fn dedup(&mut self) {
        fn by<T, K: Ord>(v: &mut Vec<Rec<T>>, key: impl Fn(&T) -> K) {
            let mut seen = BTreeSet::new();
            v.retain(|r| seen.insert(key(&r.value)));
        }
        by(&mut self.vpcs, |r| r.vpc_id.clone());
        by(&mut self.subnets, |r| r.subnet_id.clone());
        by(&mut self.route_tables, |r| r.route_table_id.clone());
        by(&mut self.security_groups, |r| r.group_id.clone());
        by(&mut self.sg_rules, |r| r.security_group_rule_id.clone());
        by(&mut self.acls, |r| r.network_acl_id.clone());
        by(&mut self.nat_gateways, |r| r.nat_gateway_id.clone());
        by(&mut self.igws, |r| r.internet_gateway_id.clone());
        by(&mut self.endpoints, |r| r.vpc_endpoint_id.clone());
        by(&mut self.db_clusters, |r| r.db_cluster_identifier.clone());
        by(&mut self.db_instances, |r| r.db_instance_identifier.clone());
        by(&mut self.db_subnet_groups, |r| {
            r.db_subnet_group_name.clone()
        });
        by(&mut self.connectors, |r| r.vpc_connector_arn.clone());
        by(&mut self.apprunner_services, |r| r.service_arn.clone());
        by(&mut self.stack_resources, |r| {
            (
                r.stack_name.clone(),
                r.logical_resource_id.clone(),
                r.physical_resource_id.clone(),
            )
        });
        by(&mut self.exports, |r| r.name.clone());
        by(&mut self.ecs_services, |r| r.service_arn.clone());
        by(&mut self.ecs_tasks, |r| r.task_arn.clone());
        by(&mut self.enis, |r| r.network_interface_id.clone());
        by(&mut self.state_machines, |r| r.state_machine_arn.clone());
        by(&mut self.mount_targets, |r| r.mount_target_id.clone());
        by(&mut self.task_definitions, |r| {
            r.task_definition_arn.clone()
        });
        by(&mut self.load_balancers, |r| r.load_balancer_arn.clone());
        by(&mut self.listeners, |r| r.listener_arn.clone());
        by(&mut self.target_groups, |r| r.target_group_arn.clone());
    }

    /// The physical id of `logical` in a stack whose name is `stack` or
    /// starts with `stack-` (a nested stack, such as `<app>-<env>-<svc>-AddonsStack-...`).
    pub fn physical(&self, stack: &str, logical: &str) -> Option<&str> {
        self.stack_resources
            .iter()
            .filter(|r| r.value.logical_resource_id == logical)
            .find(|r| {
                r.value
                    .stack_name
                    .as_deref()
                    .is_some_and(|s| s == stack || s.starts_with(&format!("{stack}-")))
            })
            .map(|r| r.value.physical_resource_id.as_str())
    }

    /// The one group whose name holds `logical` (the names CloudFormation
    /// generates do: `<stack>-<LogicalId>-<suffix>`), for a snapshot
    /// without the stacks' resources; none when several or none do.
    pub fn group_named(&self, logical: &str) -> Option<&str> {
        let mut hits = self
            .security_groups
            .iter()
            .filter(|g| g.value.group_name.contains(logical))
            .map(|g| g.value.group_id.as_str());
        match (hits.next(), hits.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }

    /// Whether the snapshot holds `kind`; if not, the fact it would supply.
    pub fn lacks(&self, kind: Kind, what: &str) -> Option<Missing> {
        (!self.present.contains(&kind)).then(|| {
            Missing::new(
                Fact::Describe(kind.call().to_string()),
                format!("{what} (the snapshot has no {} output)", kind.call()),
            )
        })
    }
}

/// A workload of the snapshot, as the front door found it: App Runner's
/// managed egress, or ENIs in subnets with groups (by id).
#[derive(Debug, Clone)]
pub enum LiveEgress {
    Managed,
    Enis {
        component: Component,
        subnets: Vec<String>,
        sgs: Vec<String>,
        public_ip: bool,
        client: ClientKind,
        /// Running tasks whose ENI the configuration does not describe
        /// (other groups, another public address, or not known): each is a
        /// placement of its own.
        tasks: Vec<TaskPlacement>,
    },
    /// The workload's compute is not in the snapshot.
    Unknown(Missing),
}

/// One running task's ENI, where it differs from its workload's
/// configuration.
#[derive(Debug, Clone)]
pub struct TaskPlacement {
    /// The task's short id.
    pub task: String,
    pub subnet: Result<String, Missing>,
    pub sgs: Result<Vec<String>, Missing>,
    pub public_ip: bool,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct LiveWorkload {
    pub name: String,
    pub kind: WorkloadKind,
    pub egress: LiveEgress,
    /// The target groups its service registers its tasks with (ARN, the
    /// container port), and where the service record says so.
    pub targets: Vec<(String, u16, Origin)>,
    pub origin: Origin,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A load balancer record without its zones, or a target group without
    /// its load balancers, is refused (reported), never read as having
    /// none; a network load balancer without `SecurityGroups` has none.
    #[test]
    fn a_load_balancer_record_missing_a_field_is_refused_not_read_as_empty() {
        let mut s = Snapshot::default();
        let f = Path::new("lb.json");
        s.add_file(
            f,
            r#"{"LoadBalancers": [
                {"LoadBalancerArn": "arn:lb/a", "VpcId": "vpc-1"},
                {"LoadBalancerArn": "arn:lb/b", "VpcId": "vpc-1", "Type": "network",
                 "AvailabilityZones": [{"SubnetId": "subnet-1", "ZoneName": "eu-west-1a"}]}
            ],
            "TargetGroups": [{"TargetGroupArn": "arn:tg/a", "Port": 80}]}"#,
        );
        let unread: Vec<&str> = s.unread.iter().map(|u| u.what.as_str()).collect();
        assert_eq!(unread, vec!["/LoadBalancers/0", "/TargetGroups/0"]);
        assert_eq!(s.load_balancers.len(), 1);
        assert_eq!(s.load_balancers[0].value.security_groups, None);
        assert!(s.present.contains(&Kind::TargetGroups));
    }
}
