//! The typed records of the AWS CLI's Describe output, one struct per
//! shape (serde, the CLI's own key names), and what a record says beyond
//! its fields (a task's subnet, a state machine's RunTask network).

use serde::Deserialize;

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
    pub source_configuration: Option<AppRunnerSource>,
}

/// Where an App Runner service's image comes from, and what it is handed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AppRunnerSource {
    pub image_repository: Option<AppRunnerImageRepository>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AppRunnerImageRepository {
    pub image_identifier: String,
    /// `ECR` or `ECR_PUBLIC`.
    pub image_repository_type: String,
    pub image_configuration: Option<AppRunnerImageConfiguration>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AppRunnerImageConfiguration {
    pub runtime_environment_variables: std::collections::BTreeMap<String, String>,
    pub runtime_environment_secrets: std::collections::BTreeMap<String, String>,
}

/// `ecs describe-task-definition`: what a task pulls, logs to and reads
/// when it starts. The ARN and the containers' names and images are
/// required: a record without them is refused, never read as empty.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskDefinitionRec {
    pub task_definition_arn: String,
    pub family: String,
    pub container_definitions: Vec<ContainerDefinition>,
    #[serde(default)]
    pub volumes: Vec<TaskVolume>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerDefinition {
    pub name: String,
    pub image: String,
    #[serde(default)]
    pub log_configuration: Option<LogConfiguration>,
    #[serde(default)]
    pub secrets: Vec<ContainerSecret>,
    #[serde(default)]
    pub repository_credentials: Option<RepositoryCredentials>,
    #[serde(default)]
    pub environment_files: Vec<EnvironmentFile>,
    #[serde(default)]
    pub environment: Vec<KeyValue>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogConfiguration {
    pub log_driver: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerSecret {
    pub name: String,
    pub value_from: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RepositoryCredentials {
    pub credentials_parameter: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentFile {
    pub value: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyValue {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskVolume {
    pub name: String,
    #[serde(default)]
    pub efs_volume_configuration: Option<EfsVolumeConfiguration>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EfsVolumeConfiguration {
    pub file_system_id: String,
}

impl TaskDefinitionRec {
    /// The revision, from the ARN's tail (`family:3`).
    pub fn revision(&self) -> u64 {
        self.task_definition_arn
            .rsplit_once(':')
            .and_then(|(_, r)| r.parse().ok())
            .unwrap_or(0)
    }
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
    /// The task definition (ARN with revision) the service runs.
    pub task_definition: Option<String>,
    pub network_configuration: Option<EcsNetworkConfiguration>,
    pub platform_family: Option<String>,
    /// The target groups the service registers its tasks with.
    pub load_balancers: Vec<EcsLoadBalancer>,
}

/// One `loadBalancers` item of an ECS service: a target group (an
/// application or network load balancer's) and the container port.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EcsLoadBalancer {
    pub target_group_arn: Option<String>,
    pub container_name: Option<String>,
    pub container_port: Option<u16>,
}

/// `elbv2 describe-load-balancers`: where a load balancer's nodes sit.
/// The ARN, VPC and zones are required (refused when missing, never read
/// as none); `SecurityGroups` is absent on a network load balancer
/// without groups.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoadBalancerRec {
    pub load_balancer_arn: String,
    #[serde(default)]
    pub load_balancer_name: String,
    #[serde(default)]
    pub scheme: Option<String>,
    #[serde(default, rename = "Type")]
    pub lb_type: Option<String>,
    pub vpc_id: String,
    pub availability_zones: Vec<LbZone>,
    #[serde(default)]
    pub security_groups: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LbZone {
    pub subnet_id: String,
    #[serde(default)]
    pub zone_name: String,
}

/// `elbv2 describe-listeners`: the port a load balancer accepts on.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListenerRec {
    pub listener_arn: String,
    pub load_balancer_arn: String,
    pub port: u16,
    #[serde(default)]
    pub protocol: String,
}

/// `elbv2 describe-target-groups`: the load balancers that forward to a
/// target group, and where it checks health (`traffic-port`: the target's
/// own port).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetGroupRec {
    pub target_group_arn: String,
    #[serde(default)]
    pub port: Option<u16>,
    #[serde(default)]
    pub health_check_port: Option<String>,
    #[serde(default)]
    pub protocol: Option<String>,
    pub load_balancer_arns: Vec<String>,
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
