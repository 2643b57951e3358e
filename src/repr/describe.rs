//! The Describe representation layer: typed records of the AWS CLI's JSON
//! output (`aws ec2 describe-security-groups --output json`, ...), each
//! file recognised by its top-level key, converted into the network model
//! (Batfish's `representation/aws` -> datamodel split). A key that is not
//! present makes the facts it would supply unknown, naming the Describe
//! call (`ec2:DescribeRouteTables`); a present empty list means none exist.
//! Keys and records this layer does not read are reported, never dropped
//! silently.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::base::origin::{Origin, SnapshotRecord, Source};
use crate::base::unknown::{Fact, Missing};
use crate::model::net::Cidr;
use crate::model::*;

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
            _ => return None,
        })
    }
}

/// Describe output this version recognises but does not use yet, and why
/// (reported, so nothing is dropped silently).
const KNOWN_UNUSED: &[(&str, &str)] = &[
    ("PrefixLists", "ec2:DescribeManagedPrefixLists output is recognised but holds no CIDRs; save each list's entries (`aws ec2 get-managed-prefix-list-entries --prefix-list-id pl-... > pl-....json`)"),
    ("taskDefinition", "ecs:DescribeTaskDefinition output is recognised; it holds no network facts the model needs"),
];

/// Keys of Describe output that carry no facts (pagination, metadata).
const METADATA_KEYS: &[&str] = &[
    "NextToken",
    "Marker",
    "ResponseMetadata",
    "failures",
    "nextToken",
];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VpcRec {
    pub vpc_id: String,
    pub cidr_block: String,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SubnetRec {
    pub subnet_id: String,
    pub vpc_id: String,
    pub cidr_block: String,
    pub availability_zone: String,
    pub map_public_ip_on_launch: bool,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Association {
    pub subnet_id: Option<String>,
    pub main: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RouteRec {
    pub destination_cidr_block: Option<String>,
    pub destination_ipv6_cidr_block: Option<String>,
    pub destination_prefix_list_id: Option<String>,
    pub gateway_id: Option<String>,
    pub nat_gateway_id: Option<String>,
    pub transit_gateway_id: Option<String>,
    pub vpc_peering_connection_id: Option<String>,
    pub network_interface_id: Option<String>,
    pub instance_id: Option<String>,
    pub state: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RouteTableRec {
    pub route_table_id: String,
    pub vpc_id: String,
    pub associations: Vec<Association>,
    pub routes: Vec<RouteRec>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct IpRange {
    pub cidr_ip: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GroupPair {
    pub group_id: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PrefixListId {
    pub prefix_list_id: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Permission {
    pub ip_protocol: String,
    pub from_port: Option<i64>,
    pub to_port: Option<i64>,
    pub ip_ranges: Vec<IpRange>,
    pub user_id_group_pairs: Vec<GroupPair>,
    pub prefix_list_ids: Vec<PrefixListId>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SecurityGroupRec {
    pub group_id: String,
    pub group_name: String,
    pub vpc_id: String,
    pub ip_permissions: Vec<Permission>,
    pub ip_permissions_egress: Vec<Permission>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ReferencedGroup {
    pub group_id: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SgRuleRec {
    pub security_group_rule_id: String,
    pub group_id: String,
    pub is_egress: bool,
    pub ip_protocol: String,
    pub from_port: Option<i64>,
    pub to_port: Option<i64>,
    pub cidr_ipv4: Option<String>,
    pub cidr_ipv6: Option<String>,
    pub prefix_list_id: Option<String>,
    pub referenced_group_info: Option<ReferencedGroup>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PortRange {
    pub from: i64,
    pub to: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AclEntryRec {
    pub rule_number: i64,
    pub protocol: String,
    pub rule_action: String,
    pub egress: bool,
    pub cidr_block: Option<String>,
    pub ipv6_cidr_block: Option<String>,
    pub port_range: Option<PortRange>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AclAssociation {
    pub subnet_id: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NetworkAclRec {
    pub network_acl_id: String,
    pub vpc_id: String,
    pub is_default: bool,
    pub entries: Vec<AclEntryRec>,
    pub associations: Vec<AclAssociation>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NatGatewayRec {
    pub nat_gateway_id: String,
    pub subnet_id: String,
    pub vpc_id: String,
    pub state: String,
    pub connectivity_type: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Attachment {
    pub vpc_id: String,
    pub state: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InternetGatewayRec {
    pub internet_gateway_id: String,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct EndpointGroup {
    pub group_id: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VpcEndpointRec {
    pub vpc_endpoint_id: String,
    pub vpc_endpoint_type: String,
    pub vpc_id: String,
    pub service_name: String,
    pub subnet_ids: Vec<String>,
    pub groups: Vec<EndpointGroup>,
    pub private_dns_enabled: bool,
    pub route_table_ids: Vec<String>,
    pub state: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VpcSecurityGroup {
    pub vpc_security_group_id: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DbClusterRec {
    #[serde(rename = "DBClusterIdentifier")]
    pub db_cluster_identifier: String,
    pub engine: String,
    pub engine_version: String,
    pub engine_mode: Option<String>,
    pub port: Option<i64>,
    #[serde(rename = "DBSubnetGroup")]
    pub db_subnet_group: String,
    pub vpc_security_groups: Vec<VpcSecurityGroup>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DbSubnet {
    pub subnet_identifier: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DbSubnetGroupRec {
    #[serde(rename = "DBSubnetGroupName")]
    pub db_subnet_group_name: String,
    pub vpc_id: String,
    pub subnets: Vec<DbSubnet>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DbEndpoint {
    pub port: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DbInstanceRec {
    #[serde(rename = "DBInstanceIdentifier")]
    pub db_instance_identifier: String,
    #[serde(rename = "DBClusterIdentifier")]
    pub db_cluster_identifier: Option<String>,
    pub engine: String,
    pub engine_version: String,
    pub endpoint: Option<DbEndpoint>,
    #[serde(rename = "DBSubnetGroup")]
    pub db_subnet_group: Option<DbSubnetGroupRec>,
    pub vpc_security_groups: Vec<VpcSecurityGroup>,
    pub publicly_accessible: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VpcConnectorRec {
    pub vpc_connector_arn: String,
    pub vpc_connector_name: String,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub status: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct EgressConfiguration {
    pub egress_type: String,
    pub vpc_connector_arn: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NetworkConfiguration {
    pub egress_configuration: EgressConfiguration,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AppRunnerServiceRec {
    pub service_name: String,
    pub service_arn: String,
    pub network_configuration: NetworkConfiguration,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct StackResourceRec {
    pub stack_name: Option<String>,
    pub logical_resource_id: String,
    pub physical_resource_id: String,
    pub resource_type: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ExportRec {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AwsvpcConfiguration {
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub assign_public_ip: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EcsNetworkConfiguration {
    pub awsvpc_configuration: AwsvpcConfiguration,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EcsServiceRec {
    pub service_name: String,
    pub service_arn: String,
    pub network_configuration: Option<EcsNetworkConfiguration>,
    pub platform_family: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AttachmentDetail {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TaskAttachment {
    #[serde(rename = "type")]
    pub kind: String,
    pub status: Option<String>,
    pub details: Vec<AttachmentDetail>,
}

/// `ecs describe-tasks`: where a task runs (its ENI's subnet), and which
/// service or task definition it belongs to.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EcsTaskRec {
    pub task_arn: String,
    pub group: Option<String>,
    pub task_definition_arn: String,
    pub last_status: String,
    pub attachments: Vec<TaskAttachment>,
    pub platform_family: Option<String>,
}

impl EcsTaskRec {
    fn detail(&self, name: &str) -> Option<&str> {
        self.attachments
            .iter()
            .filter(|a| a.kind == "ElasticNetworkInterface" || a.kind == "eni")
            .flat_map(|a| a.details.iter())
            .find(|d| d.name == name)
            .map(|d| d.value.as_str())
    }

    /// The subnet of the task's ENI.
    pub fn subnet(&self) -> Option<&str> {
        self.detail("subnetId")
    }

    /// The id of the task's ENI.
    pub fn eni(&self) -> Option<&str> {
        self.detail("networkInterfaceId")
    }

    /// Whether the task is (about to be) running: stopped tasks are
    /// listed for a while after they end.
    pub fn running(&self) -> bool {
        !matches!(
            self.last_status.as_str(),
            "DEACTIVATING" | "STOPPING" | "DEPROVISIONING" | "STOPPED" | "DELETED"
        )
    }

    /// The family of its task definition (`.../task-definition/<family>:<rev>`).
    pub fn family(&self) -> Option<&str> {
        let tail = self.task_definition_arn.rsplit('/').next()?;
        Some(tail.rsplit_once(':').map_or(tail, |(f, _)| f))
    }

    /// The short id (the ARN's last segment).
    pub fn id(&self) -> &str {
        self.task_arn.rsplit('/').next().unwrap_or(&self.task_arn)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct EniGroup {
    pub group_id: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct EniAssociation {
    pub public_ip: Option<String>,
}

/// `ec2 describe-network-interfaces`: the groups of an ENI (a task's, a
/// mount target's).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NetworkInterfaceRec {
    pub network_interface_id: String,
    pub subnet_id: String,
    pub vpc_id: String,
    pub groups: Vec<EniGroup>,
    pub association: Option<EniAssociation>,
}

/// `stepfunctions describe-state-machine`: a Scheduled Job's state
/// machine, whose definition holds the task's network configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StateMachineRec {
    pub state_machine_arn: String,
    pub name: String,
    pub definition: String,
}

/// The awsvpc configuration a state machine's ECS RunTask state passes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunTaskNetwork {
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub assign_public_ip: bool,
}

impl StateMachineRec {
    /// The network configuration of its ECS RunTask states: one, or why
    /// there is none (not JSON, no RunTask state, several that differ).
    pub fn run_task_network(&self) -> Result<RunTaskNetwork, String> {
        let def: serde_json::Value = serde_json::from_str(&self.definition)
            .map_err(|e| format!("its definition is not JSON: {e}"))?;
        let mut found: Vec<RunTaskNetwork> = Vec::new();
        // states nest (Parallel branches, Map iterators): walk every object
        let mut stack = vec![&def];
        let mut seen = 0usize;
        while let Some(v) = stack.pop() {
            seen += 1;
            if seen > 100_000 {
                return Err("its definition is too large".into());
            }
            match v {
                serde_json::Value::Object(o) => {
                    let is_run_task = o
                        .get("Resource")
                        .and_then(|r| r.as_str())
                        .is_some_and(|r| r.contains(":ecs:runTask"));
                    if is_run_task {
                        let c = o
                            .get("Parameters")
                            .and_then(|p| p.get("NetworkConfiguration"))
                            .and_then(|n| n.get("AwsvpcConfiguration"));
                        let list = |k: &str| -> Vec<String> {
                            c.and_then(|c| c.get(k))
                                .and_then(|l| l.as_array())
                                .map(|l| {
                                    l.iter()
                                        .filter_map(|x| x.as_str().map(str::to_string))
                                        .collect()
                                })
                                .unwrap_or_default()
                        };
                        let net = RunTaskNetwork {
                            subnets: list("Subnets"),
                            security_groups: list("SecurityGroups"),
                            assign_public_ip: c
                                .and_then(|c| c.get("AssignPublicIp"))
                                .and_then(|a| a.as_str())
                                .is_some_and(|a| a.eq_ignore_ascii_case("ENABLED")),
                        };
                        if c.is_none() || net.subnets.is_empty() {
                            return Err("its ECS RunTask state has no awsvpc subnets (the values may come from the execution's input)".into());
                        }
                        if !found.contains(&net) {
                            found.push(net);
                        }
                    }
                    stack.extend(o.values());
                }
                serde_json::Value::Array(a) => stack.extend(a.iter()),
                _ => {}
            }
        }
        match found.len() {
            0 => Err("its definition runs no ECS task".into()),
            1 => Ok(found.remove(0)),
            n => Err(format!(
                "its definition runs ECS tasks with {n} different network configurations"
            )),
        }
    }
}

/// `efs describe-mount-targets`: where a file system is reachable (its
/// groups are its ENI's).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct MountTargetRec {
    pub mount_target_id: String,
    pub file_system_id: String,
    pub subnet_id: String,
    pub vpc_id: Option<String>,
    pub network_interface_id: Option<String>,
    pub life_cycle_state: Option<String>,
}

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
    pub origin: Origin,
}

/// The network of one VPC of the snapshot, with the given workloads.
pub struct Built {
    pub network: Network,
    /// Database by its physical identifier.
    pub db_by_id: HashMap<String, DbId>,
    /// File system (index into `network.file_systems`) by its id.
    pub fs_by_id: HashMap<String, usize>,
    /// (workload, the workload standing for one of its tasks, the task):
    /// a running task whose ENI its workload's configuration does not
    /// describe, proved as a placement of its own.
    pub task_placements: Vec<(usize, usize, String)>,
}

fn proto_of(s: &str) -> Proto {
    Proto::parse(s).unwrap_or(Proto::All)
}

fn ports(proto: Proto, from: Option<i64>, to: Option<i64>) -> (u16, u16) {
    match (proto, from, to) {
        (Proto::All, _, _) => (0, 65535),
        (_, Some(f), Some(t)) if f >= 0 && t >= 0 => (f.min(65535) as u16, t.min(65535) as u16),
        _ => (0, 65535),
    }
}

/// Converts the snapshot's records of `vpc_id` into the model.
pub fn build(snap: &Snapshot, vpc_id: &str, workloads: &[LiveWorkload]) -> Built {
    let mut net = Network::default();
    let vpc_rec = snap.vpcs.iter().find(|v| v.value.vpc_id == vpc_id);
    // Route tables and ACLs are created first: the VPC points at its main
    // table and default ACL.
    let vid = VpcId(0);
    let mut rt_of: HashMap<String, RouteTableId> = HashMap::new();
    let mut main_rt = None;
    let rts_missing = snap.lacks(Kind::RouteTables, &format!("the route tables of {vpc_id}"));
    for rt in snap
        .route_tables
        .iter()
        .filter(|r| r.value.vpc_id == vpc_id)
    {
        let id = RouteTableId(net.route_tables.len());
        if rt.value.associations.iter().any(|a| a.main) {
            main_rt = Some(id);
        }
        rt_of.insert(rt.value.route_table_id.clone(), id);
        net.route_tables.push(RouteTable {
            name: rt.value.route_table_id.clone(),
            vpc: Some(vid),
            routes: vec![],
            incomplete: None,
            origin: rt.origin.clone(),
        });
    }
    let main_rt = main_rt.unwrap_or_else(|| {
        let id = RouteTableId(net.route_tables.len());
        net.route_tables.push(RouteTable {
            name: format!("main route table of {vpc_id}"),
            vpc: Some(vid),
            routes: vec![],
            incomplete: Some(rts_missing.clone().unwrap_or_else(|| {
                Missing::new(
                    Fact::Describe(Kind::RouteTables.call().into()),
                    format!("the main route table of {vpc_id} (not in the snapshot)"),
                )
            })),
            origin: Origin::default(),
        });
        id
    });
    let mut acl_of: HashMap<String, AclId> = HashMap::new();
    let mut default_acl = None;
    for a in snap.acls.iter().filter(|a| a.value.vpc_id == vpc_id) {
        let id = AclId(net.acls.len());
        if a.value.is_default {
            default_acl = Some(id);
        }
        acl_of.insert(a.value.network_acl_id.clone(), id);
        let entries: Vec<AclEntry> = a
            .value
            .entries
            .iter()
            .filter(|e| e.ipv6_cidr_block.is_none())
            .filter_map(|e| {
                let cidr: Cidr = e.cidr_block.as_deref()?.parse().ok()?;
                let proto = proto_of(&e.protocol);
                let ports = match (&e.port_range, proto) {
                    (Some(p), Proto::TCP | Proto::UDP) => ports(proto, Some(p.from), Some(p.to)),
                    _ => (0, 65535),
                };
                Some(AclEntry {
                    number: e.rule_number.clamp(0, u32::MAX as i64) as u32,
                    egress: e.egress,
                    proto,
                    ports,
                    cidr,
                    action: if e.rule_action.eq_ignore_ascii_case("allow") {
                        Action::Allow
                    } else {
                        Action::Deny
                    },
                    origin: a.origin.clone(),
                    unknown: None,
                })
            })
            .collect();
        // evaluated in rule-number order, whatever order the output lists
        let mut entries: Vec<AclEntry> = entries;
        entries.sort_by_key(|e| (e.egress, e.number));
        net.acls.push(NetworkAcl {
            name: a.value.network_acl_id.clone(),
            vpc: Some(vid),
            entries,
            origin: a.origin.clone(),
        });
    }
    let default_acl = default_acl.unwrap_or_else(|| {
        let id = AclId(net.acls.len());
        let m = snap
            .lacks(Kind::NetworkAcls, &format!("the network ACLs of {vpc_id}"))
            .unwrap_or_else(|| {
                Missing::new(
                    Fact::Describe(Kind::NetworkAcls.call().into()),
                    format!("the default network ACL of {vpc_id} (not in the snapshot)"),
                )
            });
        net.acls.push(NetworkAcl {
            name: format!("default network ACL of {vpc_id}"),
            vpc: Some(vid),
            entries: vec![
                AclEntry::everything(false, Action::Allow, Origin::default(), Some(m.clone())),
                AclEntry::everything(true, Action::Allow, Origin::default(), Some(m)),
            ],
            origin: Origin::default(),
        });
        id
    });
    net.vpcs.push(Vpc {
        name: vpc_id.to_string(),
        cidr: vpc_rec.and_then(|v| v.value.cidr_block.parse().ok()),
        main_route_table: main_rt,
        default_acl,
        fully_known: false,
        origin: vpc_rec.map(|v| v.origin.clone()).unwrap_or_default(),
    });
    // subnets, their tables and ACLs
    let mut subnet_of: HashMap<String, SubnetId> = HashMap::new();
    for s in snap.subnets.iter().filter(|s| s.value.vpc_id == vpc_id) {
        let id = SubnetId(net.subnets.len());
        subnet_of.insert(s.value.subnet_id.clone(), id);
        let rt = snap.route_tables.iter().find(|r| {
            r.value
                .associations
                .iter()
                .any(|a| a.subnet_id.as_deref() == Some(s.value.subnet_id.as_str()))
        });
        let acl = snap.acls.iter().find(|a| {
            a.value
                .associations
                .iter()
                .any(|x| x.subnet_id == s.value.subnet_id)
        });
        net.subnets.push(Subnet {
            name: s.value.subnet_id.clone(),
            vpc: Some(vid),
            cidr: s.value.cidr_block.parse().ok(),
            az: if s.value.availability_zone.is_empty() {
                Az::Unknown
            } else {
                Az::Name(s.value.availability_zone.clone())
            },
            route_table: rt.and_then(|r| rt_of.get(&r.value.route_table_id).copied()),
            acl: acl.and_then(|a| acl_of.get(&a.value.network_acl_id).copied()),
            map_public_ip: s.value.map_public_ip_on_launch,
            origin: s.origin.clone(),
            rt_origin: rt.map(|r| r.origin.clone()),
        });
    }
    // gateways
    let mut gw_of: HashMap<String, GatewayId> = HashMap::new();
    for g in &snap.igws {
        if g.value
            .attachments
            .iter()
            .any(|a| a.vpc_id == vpc_id && (a.state == "available" || a.state == "attached"))
        {
            gw_of.insert(
                g.value.internet_gateway_id.clone(),
                GatewayId(net.gateways.len()),
            );
            net.gateways.push(Gateway {
                name: g.value.internet_gateway_id.clone(),
                kind: GatewayKind::Internet { vpc: Some(vid) },
                origin: g.origin.clone(),
            });
        }
    }
    for n in snap
        .nat_gateways
        .iter()
        .filter(|n| n.value.vpc_id == vpc_id && n.value.state == "available")
    {
        gw_of.insert(
            n.value.nat_gateway_id.clone(),
            GatewayId(net.gateways.len()),
        );
        net.gateways.push(Gateway {
            name: n.value.nat_gateway_id.clone(),
            kind: GatewayKind::Nat {
                subnet: subnet_of.get(&n.value.subnet_id).copied(),
                public: n.value.connectivity_type.as_deref() != Some("private"),
            },
            origin: n.origin.clone(),
        });
    }
    // routes
    for rt in snap
        .route_tables
        .iter()
        .filter(|r| r.value.vpc_id == vpc_id)
    {
        let Some(&id) = rt_of.get(&rt.value.route_table_id) else {
            continue;
        };
        let mut routes = Vec::new();
        let mut incomplete = None;
        for r in &rt.value.routes {
            // a gateway endpoint's route (S3, DynamoDB: its service's prefix
            // list to `vpce-...`) is the endpoint's association with the
            // table, which the endpoint (`RouteTableIds`) models
            if r.destination_prefix_list_id.is_some()
                && r.gateway_id.as_deref().is_some_and(|g| {
                    g.starts_with("vpce-")
                        && snap.endpoints.iter().any(|e| {
                            e.value.vpc_endpoint_id == g
                                && e.value.route_table_ids.contains(&rt.value.route_table_id)
                        })
                })
            {
                continue;
            }
            // a managed prefix list whose entries the snapshot has: a route
            // per CIDR
            let listed: Vec<Cidr> = r
                .destination_prefix_list_id
                .as_deref()
                .and_then(|p| snap.prefix_lists.get(p))
                .map(|cidrs| cidrs.iter().filter_map(|c| c.parse().ok()).collect())
                .unwrap_or_default();
            let dests: Vec<Cidr> = match r
                .destination_cidr_block
                .as_deref()
                .and_then(|c| c.parse::<Cidr>().ok())
            {
                Some(d) => vec![d],
                None => listed,
            };
            if dests.is_empty() {
                if r.destination_prefix_list_id.is_some() {
                    incomplete = Some(Missing::new(
                        Fact::RouteTarget(r.destination_prefix_list_id.clone().unwrap_or_default()),
                        format!(
                            "a route of {} to prefix list {} (its CIDRs are not read)",
                            rt.value.route_table_id,
                            r.destination_prefix_list_id.clone().unwrap_or_default()
                        ),
                    ));
                }
                continue;
            }
            let target = if r.state.as_deref() == Some("blackhole") {
                RouteTarget::Blackhole
            } else if r.gateway_id.as_deref() == Some("local") {
                RouteTarget::Local
            } else if let Some(g) = r.gateway_id.as_deref().filter(|g| g.starts_with("igw-")) {
                match gw_of.get(g) {
                    Some(id) => RouteTarget::Igw(*id),
                    None => RouteTarget::Other(g.to_string()),
                }
            } else if let Some(n) = r.nat_gateway_id.as_deref() {
                match gw_of.get(n) {
                    Some(id) => RouteTarget::Nat(*id),
                    None if snap.present.contains(&Kind::NatGateways) => RouteTarget::Blackhole,
                    None => RouteTarget::Other(n.to_string()),
                }
            } else {
                let other = r
                    .gateway_id
                    .clone()
                    .or_else(|| r.transit_gateway_id.clone())
                    .or_else(|| r.vpc_peering_connection_id.clone())
                    .or_else(|| r.network_interface_id.clone())
                    .or_else(|| r.instance_id.clone())
                    .unwrap_or_else(|| "an unknown target".into());
                RouteTarget::Other(other)
            };
            for dest in dests {
                routes.push(Route {
                    dest,
                    target: target.clone(),
                    origin: rt.origin.clone(),
                });
            }
        }
        net.route_tables[id.0].routes = routes;
        net.route_tables[id.0].incomplete = incomplete;
    }
    // security groups (the rules of `SecurityGroupRules` win when present)
    let mut sg_of: HashMap<String, SgId> = HashMap::new();
    for g in snap
        .security_groups
        .iter()
        .filter(|g| g.value.vpc_id == vpc_id)
    {
        sg_of.insert(g.value.group_id.clone(), SgId(net.sgs.len()));
        net.sgs.push(SecurityGroup {
            name: g.value.group_id.clone(),
            vpc: Some(vid),
            ingress: vec![],
            egress: vec![],
            opaque: None,
            origin: g.origin.clone(),
        });
    }
    let peer = |cidr: Option<&str>,
                group: Option<&str>,
                prefix: Option<&str>,
                sg_of: &HashMap<String, SgId>|
     -> Option<Peer> {
        if let Some(c) = cidr {
            return c.parse().ok().map(Peer::Cidr);
        }
        if let Some(g) = group {
            return Some(match sg_of.get(g) {
                Some(id) => Peer::Sg(*id),
                None => Peer::Unknown(Missing::new(
                    Fact::OpaqueSecurityGroup(g.to_string()),
                    format!("security group {g} (not in the snapshot's VPC)"),
                )),
            });
        }
        prefix.map(|p| {
            Peer::Unknown(Missing::new(
                Fact::Describe("ec2:GetManagedPrefixListEntries".into()),
                format!("the CIDRs of prefix list {p}"),
            ))
        })
    };
    // a prefix list whose entries the snapshot has: one peer per CIDR
    let peers_of = |cidr: Option<&str>,
                    group: Option<&str>,
                    prefix: Option<&str>,
                    sg_of: &HashMap<String, SgId>|
     -> Vec<Peer> {
        match prefix.and_then(|p| snap.prefix_lists.get(p)) {
            Some(cidrs) => cidrs
                .iter()
                .filter_map(|c| c.parse().ok().map(Peer::Cidr))
                .collect(),
            None => peer(cidr, group, prefix, sg_of).into_iter().collect(),
        }
    };
    if snap.present.contains(&Kind::SecurityGroupRules) {
        for r in &snap.sg_rules {
            let Some(&gid) = sg_of.get(&r.value.group_id) else {
                continue;
            };
            if r.value.cidr_ipv6.is_some() {
                continue;
            }
            let proto = proto_of(&r.value.ip_protocol);
            for p in peers_of(
                r.value.cidr_ipv4.as_deref(),
                r.value
                    .referenced_group_info
                    .as_ref()
                    .map(|g| g.group_id.as_str()),
                r.value.prefix_list_id.as_deref(),
                &sg_of,
            ) {
                let rule = SgRule {
                    proto,
                    ports: ports(proto, r.value.from_port, r.value.to_port),
                    peer: p,
                    origin: r.origin.clone(),
                    unknown_origin: None,
                    text: r.value.security_group_rule_id.clone(),
                };
                if r.value.is_egress {
                    net.sgs[gid.0].egress.push(rule);
                } else {
                    net.sgs[gid.0].ingress.push(rule);
                }
            }
        }
    } else {
        for g in snap
            .security_groups
            .iter()
            .filter(|g| g.value.vpc_id == vpc_id)
        {
            let gid = sg_of[&g.value.group_id];
            for (egress, perms) in [
                (false, &g.value.ip_permissions),
                (true, &g.value.ip_permissions_egress),
            ] {
                for (i, p) in perms.iter().enumerate() {
                    let proto = proto_of(&p.ip_protocol);
                    let ports = ports(proto, p.from_port, p.to_port);
                    let mut peers: Vec<Peer> = Vec::new();
                    peers.extend(
                        p.ip_ranges
                            .iter()
                            .filter_map(|r| peer(Some(&r.cidr_ip), None, None, &sg_of)),
                    );
                    peers.extend(
                        p.user_id_group_pairs
                            .iter()
                            .filter_map(|r| peer(None, Some(&r.group_id), None, &sg_of)),
                    );
                    peers.extend(
                        p.prefix_list_ids
                            .iter()
                            .flat_map(|r| peers_of(None, None, Some(&r.prefix_list_id), &sg_of)),
                    );
                    for pe in peers {
                        let rule = SgRule {
                            proto,
                            ports,
                            peer: pe,
                            origin: g.origin.clone(),
                            unknown_origin: None,
                            text: format!(
                                "{} {} rule {i}",
                                g.value.group_id,
                                if egress { "egress" } else { "ingress" }
                            ),
                        };
                        if egress {
                            net.sgs[gid.0].egress.push(rule);
                        } else {
                            net.sgs[gid.0].ingress.push(rule);
                        }
                    }
                }
            }
        }
    }
    let sgs_missing = snap.lacks(Kind::SecurityGroups, "the security groups");
    let sg_list = |ids: &[String]| -> (Vec<SgId>, Vec<Missing>) {
        let mut known = Vec::new();
        let mut unknown = Vec::new();
        for id in ids {
            match sg_of.get(id) {
                Some(g) => known.push(*g),
                None => unknown.push(match &sgs_missing {
                    Some(m) => m.reworded(|t| format!("the rules of security group {id}: {t}")),
                    None => Missing::new(
                        Fact::OpaqueSecurityGroup(id.clone()),
                        format!("security group {id} (not in the snapshot's VPC)"),
                    ),
                }),
            }
        }
        (known, unknown)
    };
    let subnet_set = |ids: &[String], what: &str| -> SubnetSet {
        let mut out = Vec::new();
        for id in ids {
            match subnet_of.get(id) {
                Some(s) => out.push(*s),
                None => {
                    return SubnetSet::Unknown {
                        what: snap
                            .lacks(Kind::Subnets, &format!("subnet {id} of {what}"))
                            .unwrap_or_else(|| {
                                Missing::new(
                                    Fact::Subnet(id.clone()),
                                    format!("subnet {id} of {what} (not in the snapshot's VPC)"),
                                )
                            }),
                        within: None,
                    }
                }
            }
        }
        SubnetSet::Known(out)
    };
    // endpoints
    for e in snap.endpoints.iter().filter(|e| e.value.vpc_id == vpc_id) {
        let service = Some(AwsService::from_endpoint_service(&e.value.service_name));
        if e.value.vpc_endpoint_type.eq_ignore_ascii_case("gateway") {
            net.gateway_endpoints.push(GatewayEndpoint {
                name: e.value.vpc_endpoint_id.clone(),
                service,
                vpc: Some(vid),
                route_tables: e
                    .value
                    .route_table_ids
                    .iter()
                    .filter_map(|r| rt_of.get(r).copied())
                    .collect(),
                unknown_tables: None,
                origin: e.origin.clone(),
            });
        } else if e.value.vpc_endpoint_type.eq_ignore_ascii_case("interface") {
            let ids: Vec<String> = e.value.groups.iter().map(|g| g.group_id.clone()).collect();
            let (sgs, unknown_sgs) = sg_list(&ids);
            net.endpoints.push(crate::model::Endpoint {
                name: e.value.vpc_endpoint_id.clone(),
                service,
                vpc: Some(vid),
                subnets: subnet_set(&e.value.subnet_ids, &e.value.vpc_endpoint_id),
                sgs,
                unknown_sgs,
                private_dns: Some(e.value.private_dns_enabled),
                origin: e.origin.clone(),
            });
        }
    }
    // file systems: their mount targets in the VPC's subnets; a mount
    // target's groups are its ENI's
    let mut fs_by_id: HashMap<String, usize> = HashMap::new();
    let mut fs_ids: Vec<&str> = snap
        .mount_targets
        .iter()
        .filter(|m| subnet_of.contains_key(&m.value.subnet_id))
        .filter(|m| {
            !matches!(
                m.value.life_cycle_state.as_deref(),
                Some("deleting" | "deleted" | "error")
            )
        })
        .map(|m| m.value.file_system_id.as_str())
        .collect();
    fs_ids.sort_unstable();
    fs_ids.dedup();
    for fs in fs_ids {
        let targets: Vec<&Rec<MountTargetRec>> = snap
            .mount_targets
            .iter()
            .filter(|m| m.value.file_system_id == fs && subnet_of.contains_key(&m.value.subnet_id))
            .collect();
        let subnets: Vec<SubnetId> = targets
            .iter()
            .map(|m| subnet_of[&m.value.subnet_id])
            .collect();
        let mut group_ids: Vec<String> = Vec::new();
        let mut unknown = Vec::new();
        for m in &targets {
            let eni = m
                .value
                .network_interface_id
                .as_deref()
                .and_then(|e| snap.enis.iter().find(|n| n.value.network_interface_id == e));
            match eni {
                Some(e) => {
                    for g in &e.value.groups {
                        if !group_ids.contains(&g.group_id) {
                            group_ids.push(g.group_id.clone());
                        }
                    }
                }
                None => unknown.push(
                    snap.lacks(
                        Kind::NetworkInterfaces,
                        &format!("the security groups of mount target {}", m.value.mount_target_id),
                    )
                    .unwrap_or_else(|| {
                        Missing::other(format!(
                            "the security groups of mount target {} (its ENI is not in the snapshot)",
                            m.value.mount_target_id
                        ))
                    }),
                ),
            }
        }
        let (sgs, mut unknown_sgs) = sg_list(&group_ids);
        unknown_sgs.extend(unknown);
        fs_by_id.insert(fs.to_string(), net.file_systems.len());
        net.file_systems.push(crate::model::FileSystem {
            name: fs.to_string(),
            subnets: SubnetSet::Known(subnets),
            sgs,
            unknown_sgs,
            origin: targets
                .first()
                .map(|m| m.origin.clone())
                .unwrap_or_default(),
        });
    }
    // databases: clusters (their members decide public access), then
    // instances outside a cluster
    let mut db_by_id = HashMap::new();
    let group_subnets = |name: &str| -> SubnetSet {
        match snap
            .db_subnet_groups
            .iter()
            .find(|g| g.value.db_subnet_group_name == name)
        {
            Some(g) => {
                let ids: Vec<String> = g
                    .value
                    .subnets
                    .iter()
                    .map(|s| s.subnet_identifier.clone())
                    .collect();
                subnet_set(&ids, &format!("DB subnet group {name}"))
            }
            None => SubnetSet::Unknown {
                what: snap
                    .lacks(
                        Kind::DbSubnetGroups,
                        &format!("the subnets of DB subnet group {name}"),
                    )
                    .unwrap_or_else(|| {
                        Missing::other(format!("DB subnet group {name} (not in the snapshot)"))
                    }),
                within: None,
            },
        }
    };
    let default_port = |engine: &str| -> Option<u16> {
        match engine {
            "aurora-postgresql" | "postgres" => Some(5432),
            "aurora-mysql" | "aurora" | "mysql" | "mariadb" => Some(3306),
            e if e.starts_with("sqlserver") => Some(1433),
            e if e.starts_with("oracle") => Some(1521),
            _ => None,
        }
    };
    for c in &snap.db_clusters {
        let ids: Vec<String> = c
            .value
            .vpc_security_groups
            .iter()
            .map(|g| g.vpc_security_group_id.clone())
            .collect();
        if !ids.iter().any(|i| sg_of.contains_key(i))
            && snap.present.contains(&Kind::SecurityGroups)
        {
            // a cluster of another VPC
            continue;
        }
        let (sgs, unknown_sgs) = sg_list(&ids);
        let members: Vec<&Rec<DbInstanceRec>> = snap
            .db_instances
            .iter()
            .filter(|i| {
                i.value.db_cluster_identifier.as_deref()
                    == Some(c.value.db_cluster_identifier.as_str())
            })
            .collect();
        let port = c
            .value
            .port
            .and_then(|p| u16::try_from(p).ok())
            .or_else(|| default_port(&c.value.engine));
        db_by_id.insert(
            c.value.db_cluster_identifier.clone(),
            DbId(net.databases.len()),
        );
        net.databases.push(Database {
            name: c.value.db_cluster_identifier.clone(),
            owner: Owner::Other,
            engine: c.value.engine.clone(),
            port: port.unwrap_or(0),
            port_origin: c.origin.clone(),
            port_unknown: port
                .is_none()
                .then(|| Missing::other(format!("the port of {}", c.value.db_cluster_identifier))),
            subnets: group_subnets(&c.value.db_subnet_group),
            sgs,
            unknown_sgs,
            serverless_v1: c.value.engine_mode.as_deref() == Some("serverless"),
            publicly_accessible: members.iter().any(|m| m.value.publicly_accessible),
            publicly_accessible_surely: members.iter().any(|m| m.value.publicly_accessible),
            writer_az: None,
            origin: c.origin.clone(),
        });
    }
    for i in snap
        .db_instances
        .iter()
        .filter(|i| i.value.db_cluster_identifier.is_none())
    {
        let ids: Vec<String> = i
            .value
            .vpc_security_groups
            .iter()
            .map(|g| g.vpc_security_group_id.clone())
            .collect();
        if i.value
            .db_subnet_group
            .as_ref()
            .is_some_and(|g| g.vpc_id != vpc_id)
        {
            continue;
        }
        let (sgs, unknown_sgs) = sg_list(&ids);
        let port = i
            .value
            .endpoint
            .as_ref()
            .and_then(|e| e.port)
            .and_then(|p| u16::try_from(p).ok())
            .or_else(|| default_port(&i.value.engine));
        let subnets = match &i.value.db_subnet_group {
            Some(g) => {
                let ids: Vec<String> = g
                    .subnets
                    .iter()
                    .map(|s| s.subnet_identifier.clone())
                    .collect();
                subnet_set(&ids, &format!("DB subnet group {}", g.db_subnet_group_name))
            }
            None => SubnetSet::Unknown {
                what: Missing::other(format!(
                    "the DB subnet group of {}",
                    i.value.db_instance_identifier
                )),
                within: None,
            },
        };
        db_by_id.insert(
            i.value.db_instance_identifier.clone(),
            DbId(net.databases.len()),
        );
        net.databases.push(Database {
            name: i.value.db_instance_identifier.clone(),
            owner: Owner::Other,
            engine: i.value.engine.clone(),
            port: port.unwrap_or(0),
            port_origin: i.origin.clone(),
            port_unknown: port
                .is_none()
                .then(|| Missing::other(format!("the port of {}", i.value.db_instance_identifier))),
            subnets,
            sgs,
            unknown_sgs,
            serverless_v1: false,
            publicly_accessible: i.value.publicly_accessible,
            publicly_accessible_surely: i.value.publicly_accessible,
            writer_az: None,
            origin: i.origin.clone(),
        });
    }
    // workloads
    for w in workloads {
        let egress = match &w.egress {
            LiveEgress::Managed => Egress::Managed(ManagedEgress {
                provider: "App Runner".into(),
                hop: Component::AppRunnerDefaultEgress,
                owner: Component::AppRunnerService,
                detail:
                    "App Runner's default egress: its own NAT, outside every VPC of the account"
                        .into(),
                lacks: "the service has no VPC connector (egress type DEFAULT)".into(),
                origin: w.origin.clone(),
            }),
            LiveEgress::Enis {
                component,
                subnets,
                sgs,
                public_ip,
                client,
                tasks: _,
            } => {
                let (known, unknown) = sg_list(sgs);
                Egress::Enis(Enis {
                    component: *component,
                    name: w.name.clone(),
                    subnets: subnet_set(subnets, &w.name),
                    sgs: known,
                    unknown_sgs: unknown,
                    public_ip: *public_ip,
                    client: *client,
                    origin: w.origin.clone(),
                })
            }
            LiveEgress::Unknown(m) => Egress::Enis(Enis {
                component: if w.kind == WorkloadKind::AppRunner {
                    Component::VpcConnector
                } else {
                    Component::EcsTask
                },
                name: w.name.clone(),
                subnets: SubnetSet::Unknown {
                    what: m.clone(),
                    within: None,
                },
                sgs: vec![],
                unknown_sgs: vec![m.clone()],
                public_ip: false,
                client: if w.kind == WorkloadKind::AppRunner {
                    ClientKind::AppRunnerConnector
                } else {
                    ClientKind::FargateLinux
                },
                origin: w.origin.clone(),
            }),
        };
        net.workloads.push(Workload {
            name: w.name.clone(),
            kind: w.kind,
            egress,
            fallback: None,
            api_uses: vec![],
            needs_internet: None,
            db_refs: vec![],
            fs_uses: vec![],
            origin: w.origin.clone(),
        });
    }
    // each task placement is a workload of its own, after the workloads
    // (so theirs keep their indices)
    let mut task_placements = Vec::new();
    for (wi, w) in workloads.iter().enumerate() {
        let LiveEgress::Enis {
            component,
            client,
            tasks,
            ..
        } = &w.egress
        else {
            continue;
        };
        for t in tasks {
            let name = format!("{} (task {})", w.name, t.task);
            let subnets = match &t.subnet {
                Ok(s) => subnet_set(std::slice::from_ref(s), &name),
                Err(m) => SubnetSet::Unknown {
                    what: m.clone(),
                    within: None,
                },
            };
            let (sgs, unknown_sgs) = match &t.sgs {
                Ok(ids) => sg_list(ids),
                Err(m) => (vec![], vec![m.clone()]),
            };
            task_placements.push((wi, net.workloads.len(), t.task.clone()));
            net.workloads.push(Workload {
                name: name.clone(),
                kind: w.kind,
                egress: Egress::Enis(Enis {
                    component: *component,
                    name,
                    subnets,
                    sgs,
                    unknown_sgs,
                    public_ip: t.public_ip,
                    client: *client,
                    origin: t.origin.clone(),
                }),
                fallback: None,
                api_uses: vec![],
                needs_internet: None,
                db_refs: vec![],
                fs_uses: vec![],
                origin: t.origin.clone(),
            });
        }
    }
    Built {
        network: net,
        db_by_id,
        fs_by_id,
        task_placements,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine(definition: &str) -> StateMachineRec {
        StateMachineRec {
            state_machine_arn: "arn:aws:states:eu-west-1:1:stateMachine:a-b-job".into(),
            name: "a-b-job".into(),
            definition: definition.into(),
        }
    }

    #[test]
    fn a_state_machine_gives_its_run_task_network() {
        let m = machine(
            r#"{"StartAt": "Run", "States": {"Run": {"Type": "Task",
                "Resource": "arn:aws:states:::ecs:runTask.sync",
                "Parameters": {"NetworkConfiguration": {"AwsvpcConfiguration": {
                    "Subnets": ["subnet-1", "subnet-2"], "AssignPublicIp": "ENABLED",
                    "SecurityGroups": ["sg-1"]}}}, "End": true}}}"#,
        );
        assert_eq!(
            m.run_task_network(),
            Ok(RunTaskNetwork {
                subnets: vec!["subnet-1".into(), "subnet-2".into()],
                security_groups: vec!["sg-1".into()],
                assign_public_ip: true,
            })
        );
        // nested in a Parallel branch too
        let nested = machine(
            r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [
                {"StartAt": "Run", "States": {"Run": {"Type": "Task",
                "Resource": "arn:aws:states:::ecs:runTask",
                "Parameters": {"NetworkConfiguration": {"AwsvpcConfiguration": {
                    "Subnets": ["subnet-9"], "SecurityGroups": []}}}, "End": true}}}],
                "End": true}}}"#,
        );
        let n = nested.run_task_network().unwrap();
        assert_eq!(n.subnets, vec!["subnet-9".to_string()]);
        assert!(!n.assign_public_ip);
    }

    #[test]
    fn a_state_machine_without_a_task_network_says_why() {
        assert!(machine("not json")
            .run_task_network()
            .unwrap_err()
            .contains("not JSON"));
        assert!(machine(r#"{"States": {}}"#)
            .run_task_network()
            .unwrap_err()
            .contains("runs no ECS task"));
        let from_input = machine(
            r#"{"States": {"Run": {"Resource": "arn:aws:states:::ecs:runTask",
                "Parameters": {"NetworkConfiguration.$": "$.net"}}}}"#,
        );
        assert!(from_input
            .run_task_network()
            .unwrap_err()
            .contains("no awsvpc subnets"));
        let two = machine(
            r#"{"States": {
                "A": {"Resource": "arn:aws:states:::ecs:runTask", "Parameters": {"NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": ["s-1"]}}}},
                "B": {"Resource": "arn:aws:states:::ecs:runTask", "Parameters": {"NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": ["s-2"]}}}}}}"#,
        );
        assert!(two
            .run_task_network()
            .unwrap_err()
            .contains("2 different network configurations"));
    }

    #[test]
    fn a_task_names_its_family_subnet_and_eni() {
        let t: EcsTaskRec = serde_json::from_value(serde_json::json!({
            "taskArn": "arn:aws:ecs:eu-west-1:1:task/c/abc123",
            "taskDefinitionArn": "arn:aws:ecs:eu-west-1:1:task-definition/shop-test-report:7",
            "lastStatus": "RUNNING",
            "attachments": [{"type": "ElasticNetworkInterface", "details": [
                {"name": "subnetId", "value": "subnet-1"},
                {"name": "networkInterfaceId", "value": "eni-1"}]}]
        }))
        .unwrap();
        assert_eq!(t.family(), Some("shop-test-report"));
        assert_eq!(t.subnet(), Some("subnet-1"));
        assert_eq!(t.eni(), Some("eni-1"));
        assert_eq!(t.id(), "abc123");
        assert!(t.running());
        let stopped = EcsTaskRec {
            last_status: "STOPPED".into(),
            ..t
        };
        assert!(!stopped.running());
    }
}
