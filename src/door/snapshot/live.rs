//! Live mode (`--features live`): the Describe calls the snapshot door
//! reads, made with the AWS SDK for Rust (read-only: Describe, List and Get
//! only), their results written in the AWS CLI's JSON shape. `--live`
//! feeds them to the snapshot door in memory; `reachlint snapshot` writes
//! them to a directory, so an incident ticket can carry them.
//!
//! The standard credential chain (environment, profiles, SSO, instance
//! metadata), `--profile`, `--region`, `--endpoint-url`; paginated;
//! standard retries (3 attempts) and a timeout per call. A call the
//! credentials may not make, or that fails otherwise, is reported (RL906;
//! its facts stay unknown, naming the permission or the error); missing or
//! expired credentials stop the run (exit 2).

use std::time::Duration;

use serde_json::{json, Value};

/// How to reach the account.
#[derive(Debug, Clone, Default)]
pub struct LiveOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// The stacks to read resources of: the environment's and each
    /// workload's (`<app>-<env>`, `<app>-<env>-<svc>`).
    pub stacks: Vec<String>,
}

/// One call's output in the AWS CLI's shape, under the file name the
/// snapshot command writes it to; or why the call failed.
pub struct Fetched {
    pub files: Vec<(String, Value)>,
    /// Calls that failed for want of a permission (the call, the error).
    pub denied: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error(
        "no AWS credentials found (environment, shared profile, SSO or instance metadata): {0}"
    )]
    NoCredentials(String),
    #[error("the AWS credentials have expired: {0} (refresh them, e.g. `aws sso login`)")]
    Expired(String),
    #[error("cannot start the AWS client runtime: {0}")]
    Runtime(String),
}

fn tags<'a>(it: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>)>) -> Value {
    Value::Array(
        it.into_iter()
            .map(|(k, v)| json!({"Key": k.unwrap_or(""), "Value": v.unwrap_or("")}))
            .collect(),
    )
}

/// What a failed call means: stop (credentials), or a denied call.
fn classify(
    call: &str,
    code: Option<&str>,
    message: String,
) -> Result<(String, String), LiveError> {
    match code {
        Some(
            "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" | "TokenRefreshRequired",
        ) => Err(LiveError::Expired(message)),
        Some(
            "AccessDenied"
            | "AccessDeniedException"
            | "UnauthorizedOperation"
            | "UnauthorizedAccess"
            | "AuthorizationError",
        ) => Ok((
            call.to_string(),
            format!("access denied: add `{call}` to the policy ({message})"),
        )),
        Some("InvalidClientTokenId" | "UnrecognizedClientException" | "AuthFailure") => {
            Err(LiveError::NoCredentials(message))
        }
        _ if message.contains("credentials") || message.contains("Credentials") => {
            Err(LiveError::NoCredentials(message))
        }
        // any other failure (the service not offered there, a server
        // error): the run goes on, and the call's facts stay unknown
        _ => {
            let short: String = message.chars().take(240).collect();
            Ok((call.to_string(), format!("the call failed: {short}")))
        }
    }
}

macro_rules! sdk_try {
    ($call:expr, $res:expr, $denied:expr) => {
        match $res {
            Ok(v) => Some(v),
            Err(e) => {
                use aws_sdk_ec2::error::ProvideErrorMetadata;
                let code = e.code().map(str::to_string);
                let message = aws_sdk_ec2::error::DisplayErrorContext(&e).to_string();
                let (call, why) = classify($call, code.as_deref(), message)?;
                $denied.push((call, why));
                None
            }
        }
    };
}

/// The page size to ask for (`REACHLINT_PAGE_SIZE`, for tests: a small
/// size makes a server split its answers into pages, and every paginator
/// must follow them); unset, each service's default.
fn page_size() -> Option<i32> {
    std::env::var("REACHLINT_PAGE_SIZE")
        .ok()
        .and_then(|v| v.parse::<i32>().ok())
        .filter(|n| *n > 0)
}

/// Every item of every page of a paginated call.
macro_rules! all_pages {
    ($req:expr) => {
        $req.into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
    };
}

/// Every page of a paginated call whose pages do not name their items.
macro_rules! every_page {
    ($req:expr) => {
        $req.into_paginator()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
    };
}

/// Reads everything the snapshot door reads, for the given stacks.
pub fn fetch(opts: &LiveOptions) -> Result<Fetched, LiveError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| LiveError::Runtime(e.to_string()))?;
    rt.block_on(fetch_async(opts))
}

async fn fetch_async(opts: &LiveOptions) -> Result<Fetched, LiveError> {
    let conf = sdk_config(opts).await;
    let mut r = Reader {
        page: page_size(),
        files: Vec::new(),
        denied: Vec::new(),
        enis: Vec::new(),
        task_definitions: Vec::new(),
    };
    let ec2 = aws_sdk_ec2::Client::new(&conf);
    r.vpcs_subnets_routes(&ec2).await?;
    r.security_groups(&ec2).await?;
    r.acls_gateways_endpoints(&ec2).await?;
    r.databases(&aws_sdk_rds::Client::new(&conf)).await?;
    r.stack_resources(&aws_sdk_cloudformation::Client::new(&conf), &opts.stacks)
        .await?;
    r.ecs(&aws_sdk_ecs::Client::new(&conf)).await?;
    r.apprunner(&aws_sdk_apprunner::Client::new(&conf)).await?;
    r.file_systems(&aws_sdk_efs::Client::new(&conf)).await?;
    r.load_balancers(&aws_sdk_elasticloadbalancingv2::Client::new(&conf))
        .await?;
    r.state_machines(&aws_sdk_sfn::Client::new(&conf), &opts.stacks)
        .await?;
    r.task_definitions(&aws_sdk_ecs::Client::new(&conf), &opts.stacks)
        .await?;
    r.interfaces(&ec2).await?;
    Ok(Fetched {
        files: r.files,
        denied: r.denied,
    })
}

/// The SDK configuration: the profile, region and endpoint asked for,
/// three attempts and bounded timeouts.
async fn sdk_config(opts: &LiveOptions) -> aws_config::SdkConfig {
    use aws_config::retry::RetryConfig;
    use aws_config::timeout::TimeoutConfig;
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(3))
        .timeout_config(
            TimeoutConfig::builder()
                .operation_attempt_timeout(Duration::from_secs(20))
                .operation_timeout(Duration::from_secs(60))
                .build(),
        );
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = &opts.region {
        loader = loader.region(aws_config::Region::new(r.clone()));
    }
    if let Some(u) = &opts.endpoint_url {
        loader = loader.endpoint_url(u);
    }
    loader.load().await
}

/// What the Describe calls read so far: the snapshot's files, the calls
/// that were denied or failed, and the ENIs to read at the end.
struct Reader {
    page: Option<i32>,
    files: Vec<(String, Value)>,
    denied: Vec<(String, String)>,
    enis: Vec<String>,
    /// The task definitions the services and state machines run.
    task_definitions: Vec<String>,
}

impl Reader {
    /// The VPCs, their subnets and route tables.
    async fn vpcs_subnets_routes(&mut self, ec2: &aws_sdk_ec2::Client) -> Result<(), LiveError> {
        if let Some(v) = sdk_try!(
            "ec2:DescribeVpcs",
            all_pages!(ec2.describe_vpcs().set_max_results(self.page)),
            self.denied
        ) {
            let out: Vec<Value> = v
                .iter()
                .map(|x| {
                    json!({
                        "VpcId": x.vpc_id(),
                        "CidrBlock": x.cidr_block(),
                        "Tags": tags(x.tags().iter().map(|t| (t.key(), t.value()))),
                    })
                })
                .collect();
            self.files
                .push(("vpcs.json".into(), json!({ "Vpcs": out })));
        }
        if let Some(v) = sdk_try!(
            "ec2:DescribeSubnets",
            all_pages!(ec2.describe_subnets().set_max_results(self.page)),
            self.denied
        ) {
            let out: Vec<Value> = v
                .iter()
                .map(|x| {
                    json!({
                        "SubnetId": x.subnet_id(),
                        "VpcId": x.vpc_id(),
                        "CidrBlock": x.cidr_block(),
                        "AvailabilityZone": x.availability_zone(),
                        "MapPublicIpOnLaunch": x.map_public_ip_on_launch().unwrap_or(false),
                        "Tags": tags(x.tags().iter().map(|t| (t.key(), t.value()))),
                    })
                })
                .collect();
            self.files
                .push(("subnets.json".into(), json!({ "Subnets": out })));
        }
        if let Some(v) = sdk_try!(
            "ec2:DescribeRouteTables",
            all_pages!(ec2.describe_route_tables().set_max_results(self.page)),
            self.denied
        ) {
            let out: Vec<Value> = v
                .iter()
                .map(|x| {
                    json!({
                        "RouteTableId": x.route_table_id(),
                        "VpcId": x.vpc_id(),
                        "Associations": x.associations().iter().map(|a| json!({
                            "Main": a.main().unwrap_or(false),
                            "SubnetId": a.subnet_id(),
                        })).collect::<Vec<_>>(),
                        "Routes": x.routes().iter().map(|r| json!({
                            "DestinationCidrBlock": r.destination_cidr_block(),
                            "DestinationPrefixListId": r.destination_prefix_list_id(),
                            "GatewayId": r.gateway_id(),
                            "NatGatewayId": r.nat_gateway_id(),
                            "TransitGatewayId": r.transit_gateway_id(),
                            "VpcPeeringConnectionId": r.vpc_peering_connection_id(),
                            "NetworkInterfaceId": r.network_interface_id(),
                            "InstanceId": r.instance_id(),
                            "State": r.state().map(|s| s.as_str()),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            self.files
                .push(("route-tables.json".into(), json!({ "RouteTables": out })));
        }
        Ok(())
    }

    /// The security groups, their rules, and the entries of the prefix lists they name.
    async fn security_groups(&mut self, ec2: &aws_sdk_ec2::Client) -> Result<(), LiveError> {
        if let Some(v) = sdk_try!(
            "ec2:DescribeSecurityGroups",
            all_pages!(ec2.describe_security_groups().set_max_results(self.page)),
            self.denied
        ) {
            let perm = |p: &aws_sdk_ec2::types::IpPermission| {
                json!({
                    "IpProtocol": p.ip_protocol(),
                    "FromPort": p.from_port(),
                    "ToPort": p.to_port(),
                    "IpRanges": p.ip_ranges().iter().map(|r| json!({"CidrIp": r.cidr_ip()})).collect::<Vec<_>>(),
                    "UserIdGroupPairs": p.user_id_group_pairs().iter().map(|g| json!({"GroupId": g.group_id()})).collect::<Vec<_>>(),
                    "PrefixListIds": p.prefix_list_ids().iter().map(|g| json!({"PrefixListId": g.prefix_list_id()})).collect::<Vec<_>>(),
                })
            };
            let out: Vec<Value> = v
                .iter()
                .map(|x| {
                    json!({
                        "GroupId": x.group_id(),
                        "GroupName": x.group_name(),
                        "VpcId": x.vpc_id(),
                        "IpPermissions": x.ip_permissions().iter().map(perm).collect::<Vec<_>>(),
                        "IpPermissionsEgress": x.ip_permissions_egress().iter().map(perm).collect::<Vec<_>>(),
                    })
                })
                .collect();
            self.files.push((
                "security-groups.json".into(),
                json!({ "SecurityGroups": out }),
            ));
            // the entries of every managed prefix list a rule names
            let mut lists: Vec<&str> = v
                .iter()
                .flat_map(|g| g.ip_permissions().iter().chain(g.ip_permissions_egress()))
                .flat_map(|p| {
                    p.prefix_list_ids()
                        .iter()
                        .filter_map(|l| l.prefix_list_id())
                })
                .collect();
            lists.sort_unstable();
            lists.dedup();
            for pl in lists {
                if let Some(entries) = sdk_try!(
                    "ec2:GetManagedPrefixListEntries",
                    all_pages!(ec2
                        .get_managed_prefix_list_entries()
                        .prefix_list_id(pl)
                        .set_max_results(self.page)),
                    self.denied
                ) {
                    let out: Vec<Value> = entries
                        .iter()
                        .map(|e| json!({"Cidr": e.cidr(), "Description": e.description()}))
                        .collect();
                    self.files
                        .push((format!("{pl}.json"), json!({ "Entries": out })));
                }
            }
        }
        Ok(())
    }

    /// Network ACLs, NAT and internet gateways, VPC endpoints.
    async fn acls_gateways_endpoints(
        &mut self,
        ec2: &aws_sdk_ec2::Client,
    ) -> Result<(), LiveError> {
        if let Some(v) = sdk_try!(
            "ec2:DescribeNetworkAcls",
            all_pages!(ec2.describe_network_acls().set_max_results(self.page)),
            self.denied
        ) {
            let out: Vec<Value> = v
                .iter()
                .map(|x| {
                    json!({
                        "NetworkAclId": x.network_acl_id(),
                        "VpcId": x.vpc_id(),
                        "IsDefault": x.is_default().unwrap_or(false),
                        "Associations": x.associations().iter().map(|a| json!({"SubnetId": a.subnet_id()})).collect::<Vec<_>>(),
                        "Entries": x.entries().iter().map(|e| json!({
                            "RuleNumber": e.rule_number(),
                            "Protocol": e.protocol(),
                            "RuleAction": e.rule_action().map(|a| a.as_str()),
                            "Egress": e.egress().unwrap_or(false),
                            "CidrBlock": e.cidr_block(),
                            "Ipv6CidrBlock": e.ipv6_cidr_block(),
                            "PortRange": e.port_range().map(|p| json!({"From": p.from(), "To": p.to()})),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            self.files
                .push(("network-acls.json".into(), json!({ "NetworkAcls": out })));
        }
        if let Some(v) = sdk_try!(
            "ec2:DescribeNatGateways",
            all_pages!(ec2.describe_nat_gateways().set_max_results(self.page)),
            self.denied
        ) {
            let out: Vec<Value> = v
                .iter()
                .map(|x| {
                    json!({
                        "NatGatewayId": x.nat_gateway_id(),
                        "SubnetId": x.subnet_id(),
                        "VpcId": x.vpc_id(),
                        "State": x.state().map(|s| s.as_str()),
                        "ConnectivityType": x.connectivity_type().map(|s| s.as_str()),
                    })
                })
                .collect();
            self.files
                .push(("nat-gateways.json".into(), json!({ "NatGateways": out })));
        }
        if let Some(v) = sdk_try!(
            "ec2:DescribeInternetGateways",
            all_pages!(ec2.describe_internet_gateways().set_max_results(self.page)),
            self.denied
        ) {
            let out: Vec<Value> = v
                .iter()
                .map(|x| {
                    json!({
                        "InternetGatewayId": x.internet_gateway_id(),
                        "Attachments": x.attachments().iter().map(|a| json!({
                            "VpcId": a.vpc_id(),
                            "State": a.state().map(|s| s.as_str()),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            self.files.push((
                "internet-gateways.json".into(),
                json!({ "InternetGateways": out }),
            ));
        }
        if let Some(v) = sdk_try!(
            "ec2:DescribeVpcEndpoints",
            all_pages!(ec2.describe_vpc_endpoints().set_max_results(self.page)),
            self.denied
        ) {
            let out: Vec<Value> = v
                .iter()
                .map(|x| {
                    json!({
                        "VpcEndpointId": x.vpc_endpoint_id(),
                        "VpcEndpointType": x.vpc_endpoint_type().map(|s| s.as_str()),
                        "VpcId": x.vpc_id(),
                        "ServiceName": x.service_name(),
                        "SubnetIds": x.subnet_ids(),
                        "Groups": x.groups().iter().map(|g| json!({"GroupId": g.group_id()})).collect::<Vec<_>>(),
                        "PrivateDnsEnabled": x.private_dns_enabled().unwrap_or(false),
                        "RouteTableIds": x.route_table_ids(),
                    })
                })
                .collect();
            self.files
                .push(("vpc-endpoints.json".into(), json!({ "VpcEndpoints": out })));
        }
        Ok(())
    }

    /// RDS clusters, instances and DB subnet groups.
    async fn databases(&mut self, rds: &aws_sdk_rds::Client) -> Result<(), LiveError> {
        if let Some(v) = sdk_try!(
            "rds:DescribeDBClusters",
            all_pages!(rds.describe_db_clusters().set_max_records(self.page)),
            self.denied
        ) {
            let out: Vec<Value> = v
                .iter()
                .map(|x| {
                    json!({
                        "DBClusterIdentifier": x.db_cluster_identifier(),
                        "Engine": x.engine(),
                        "EngineVersion": x.engine_version(),
                        "EngineMode": x.engine_mode(),
                        "Port": x.port(),
                        "DBSubnetGroup": x.db_subnet_group(),
                        "VpcSecurityGroups": x.vpc_security_groups().iter().map(|g| json!({"VpcSecurityGroupId": g.vpc_security_group_id()})).collect::<Vec<_>>(),
                    })
                })
                .collect();
            self.files
                .push(("db-clusters.json".into(), json!({ "DBClusters": out })));
        }
        if let Some(v) = sdk_try!(
            "rds:DescribeDBInstances",
            all_pages!(rds.describe_db_instances().set_max_records(self.page)),
            self.denied
        ) {
            let out: Vec<Value> = v
                .iter()
                .map(|x| {
                    json!({
                        "DBInstanceIdentifier": x.db_instance_identifier(),
                        "DBClusterIdentifier": x.db_cluster_identifier(),
                        "Engine": x.engine(),
                        "EngineVersion": x.engine_version(),
                        "Endpoint": x.endpoint().map(|e| json!({"Port": e.port()})),
                        "DBSubnetGroup": x.db_subnet_group().map(|g| json!({
                            "DBSubnetGroupName": g.db_subnet_group_name(),
                            "VpcId": g.vpc_id(),
                            "Subnets": g.subnets().iter().map(|s| json!({"SubnetIdentifier": s.subnet_identifier()})).collect::<Vec<_>>(),
                        })),
                        "VpcSecurityGroups": x.vpc_security_groups().iter().map(|g| json!({"VpcSecurityGroupId": g.vpc_security_group_id()})).collect::<Vec<_>>(),
                        "PubliclyAccessible": x.publicly_accessible().unwrap_or(false),
                    })
                })
                .collect();
            self.files
                .push(("db-instances.json".into(), json!({ "DBInstances": out })));
        }
        if let Some(v) = sdk_try!(
            "rds:DescribeDBSubnetGroups",
            all_pages!(rds.describe_db_subnet_groups().set_max_records(self.page)),
            self.denied
        ) {
            let out: Vec<Value> = v
                .iter()
                .map(|g| {
                    json!({
                        "DBSubnetGroupName": g.db_subnet_group_name(),
                        "VpcId": g.vpc_id(),
                        "Subnets": g.subnets().iter().map(|s| json!({"SubnetIdentifier": s.subnet_identifier()})).collect::<Vec<_>>(),
                    })
                })
                .collect();
            self.files.push((
                "db-subnet-groups.json".into(),
                json!({ "DBSubnetGroups": out }),
            ));
        }
        Ok(())
    }

    /// The resources of the stacks Copilot names, and of the nested stacks
    /// (addons) they hold.
    async fn stack_resources(
        &mut self,
        cfn: &aws_sdk_cloudformation::Client,
        stacks: &[String],
    ) -> Result<(), LiveError> {
        let mut resources = Vec::new();
        let mut queue: Vec<String> = stacks.to_vec();
        let mut seen = std::collections::BTreeSet::new();
        const MAX_STACKS: usize = 200;
        while let Some(stack) = queue.pop() {
            if seen.contains(&stack) {
                continue;
            }
            if seen.len() == MAX_STACKS {
                self.denied.push((
                    "cloudformation:ListStackResources".into(),
                    format!("more than {MAX_STACKS} stacks and nested stacks; the resources of {stack} and the rest were not read"),
                ));
                break;
            }
            seen.insert(stack.clone());
            // ListStackResources pages through every resource (DescribeStackResources
            // stops at 100)
            let res = all_pages!(cfn.list_stack_resources().stack_name(&stack));
            let out = match res {
                Ok(o) => o,
                Err(e) => {
                    use aws_sdk_cloudformation::error::ProvideErrorMetadata;
                    let code = e.code().map(str::to_string);
                    let message =
                        aws_sdk_cloudformation::error::DisplayErrorContext(&e).to_string();
                    // a stack that does not exist (the workload is not deployed here)
                    if code.as_deref() == Some("ValidationError") {
                        continue;
                    }
                    let (call, why) = classify(
                        "cloudformation:ListStackResources",
                        code.as_deref(),
                        message,
                    )?;
                    self.denied.push((call, why));
                    continue;
                }
            };
            for r in &out {
                if r.resource_type() == Some("AWS::CloudFormation::Stack") {
                    if let Some(p) = r.physical_resource_id() {
                        // the nested stack's name, from its id (arn:...:stack/<name>/<uuid>)
                        let name = p.split('/').nth(1).unwrap_or(p);
                        queue.push(name.to_string());
                    }
                }
                resources.push(json!({
                    "StackName": stack,
                    "LogicalResourceId": r.logical_resource_id(),
                    "PhysicalResourceId": r.physical_resource_id(),
                    "ResourceType": r.resource_type(),
                }));
            }
        }
        self.files.push((
            "stack-resources.json".into(),
            json!({ "StackResources": resources }),
        ));
        Ok(())
    }

    /// ECS services of every cluster and their tasks (whose ENIs are read
    /// at the end, with the mount targets').
    async fn ecs(&mut self, ecs: &aws_sdk_ecs::Client) -> Result<(), LiveError> {
        if let Some(clusters) = sdk_try!(
            "ecs:ListClusters",
            all_pages!(ecs.list_clusters().set_max_results(self.page)),
            self.denied
        ) {
            let mut services = Vec::new();
            for c in &clusters {
                let Some(arns) = sdk_try!(
                    "ecs:ListServices",
                    all_pages!(ecs.list_services().cluster(c).set_max_results(self.page)),
                    self.denied
                ) else {
                    continue;
                };
                for chunk in arns.chunks(10) {
                    let Some(out) = sdk_try!(
                        "ecs:DescribeServices",
                        ecs.describe_services()
                            .cluster(c)
                            .set_services(Some(chunk.to_vec()))
                            .send()
                            .await,
                        self.denied
                    ) else {
                        continue;
                    };
                    for s in out.services() {
                        let net = s
                            .network_configuration()
                            .and_then(|n| n.awsvpc_configuration());
                        if let Some(td) = s.task_definition() {
                            self.task_definitions.push(td.to_string());
                        }
                        services.push(json!({
                            "serviceName": s.service_name(),
                            "serviceArn": s.service_arn(),
                            "taskDefinition": s.task_definition(),
                            "platformFamily": s.platform_family(),
                            "networkConfiguration": net.map(|n| json!({"awsvpcConfiguration": {
                                "subnets": n.subnets(),
                                "securityGroups": n.security_groups(),
                                "assignPublicIp": n.assign_public_ip().map(|a| a.as_str()),
                            }})),
                            "loadBalancers": s.load_balancers().iter().map(|l| json!({
                                "targetGroupArn": l.target_group_arn(),
                                "containerName": l.container_name(),
                                "containerPort": l.container_port(),
                            })).collect::<Vec<_>>(),
                        }));
                    }
                }
            }
            self.files
                .push(("ecs-services.json".into(), json!({ "services": services })));
            // the running tasks of every cluster: where each one's ENI is
            let mut tasks = Vec::new();
            for c in &clusters {
                let Some(arns) = sdk_try!(
                    "ecs:ListTasks",
                    all_pages!(ecs.list_tasks().cluster(c).set_max_results(self.page)),
                    self.denied
                ) else {
                    continue;
                };
                for chunk in arns.chunks(100) {
                    let Some(out) = sdk_try!(
                        "ecs:DescribeTasks",
                        ecs.describe_tasks()
                            .cluster(c)
                            .set_tasks(Some(chunk.to_vec()))
                            .send()
                            .await,
                        self.denied
                    ) else {
                        continue;
                    };
                    for t in out.tasks() {
                        for a in t.attachments() {
                            if let Some(eni) = a
                                .details()
                                .iter()
                                .find(|d| d.name() == Some("networkInterfaceId"))
                                .and_then(|d| d.value())
                            {
                                self.enis.push(eni.to_string());
                            }
                        }
                        tasks.push(json!({
                            "taskArn": t.task_arn(),
                            "group": t.group(),
                            "taskDefinitionArn": t.task_definition_arn(),
                            "lastStatus": t.last_status(),
                            "platformFamily": t.platform_family(),
                            "attachments": t.attachments().iter().map(|a| json!({
                                "type": a.r#type(),
                                "status": a.status(),
                                "details": a.details().iter().map(|d| json!({
                                    "name": d.name(),
                                    "value": d.value(),
                                })).collect::<Vec<_>>(),
                            })).collect::<Vec<_>>(),
                        }));
                    }
                }
            }
            self.files
                .push(("ecs-tasks.json".into(), json!({ "tasks": tasks })));
        }
        Ok(())
    }

    /// App Runner services and VPC connectors.
    async fn apprunner(&mut self, ar: &aws_sdk_apprunner::Client) -> Result<(), LiveError> {
        if let Some(list) = sdk_try!(
            "apprunner:ListServices",
            every_page!(ar.list_services().set_max_results(self.page)),
            self.denied
        ) {
            let list: Vec<_> = list
                .iter()
                .flat_map(|p| p.service_summary_list().iter())
                .collect();
            for (i, s) in list.iter().enumerate() {
                let Some(arn) = s.service_arn() else { continue };
                let Some(out) = sdk_try!(
                    "apprunner:DescribeService",
                    ar.describe_service().service_arn(arn).send().await,
                    self.denied
                ) else {
                    continue;
                };
                if let Some(svc) = out.service() {
                    let egress = svc
                        .network_configuration()
                        .and_then(|n| n.egress_configuration());
                    let image = svc
                        .source_configuration()
                        .and_then(|s| s.image_repository());
                    self.files.push((
                        format!("apprunner-service-{i}.json"),
                        json!({"Service": {
                            "ServiceName": svc.service_name(),
                            "ServiceArn": svc.service_arn(),
                            "SourceConfiguration": image.map(|r| json!({"ImageRepository": {
                                "ImageIdentifier": r.image_identifier(),
                                "ImageRepositoryType": r.image_repository_type().as_str(),
                                "ImageConfiguration": {
                                    "RuntimeEnvironmentVariables": r
                                        .image_configuration()
                                        .and_then(|c| c.runtime_environment_variables()),
                                },
                            }})),
                            "NetworkConfiguration": {"EgressConfiguration": {
                                "EgressType": egress.and_then(|e| e.egress_type()).map(|t| t.as_str()),
                                "VpcConnectorArn": egress.and_then(|e| e.vpc_connector_arn()),
                            }},
                        }}),
                    ));
                }
            }
        }
        if let Some(list) = sdk_try!(
            "apprunner:ListVpcConnectors",
            ar.list_vpc_connectors()
                .set_max_results(self.page)
                .into_paginator()
                .send()
                .collect::<Result<Vec<_>, _>>()
                .await,
            self.denied
        ) {
            let out: Vec<Value> = list
                .iter()
                .flat_map(|p| p.vpc_connectors().iter())
                .map(|c| {
                    json!({
                        "VpcConnectorName": c.vpc_connector_name(),
                        "VpcConnectorArn": c.vpc_connector_arn(),
                        "Subnets": c.subnets(),
                        "SecurityGroups": c.security_groups(),
                    })
                })
                .collect();
            self.files.push((
                "apprunner-vpc-connectors.json".into(),
                json!({ "VpcConnectors": out }),
            ));
        }
        Ok(())
    }

    /// Every file system's mount targets (the call takes one file system;
    /// their groups are their ENIs').
    async fn file_systems(&mut self, efs: &aws_sdk_efs::Client) -> Result<(), LiveError> {
        if let Some(list) = sdk_try!(
            "elasticfilesystem:DescribeFileSystems",
            all_pages!(efs.describe_file_systems().set_max_items(self.page)),
            self.denied
        ) {
            const MAX_FILE_SYSTEMS: usize = 500;
            if list.len() > MAX_FILE_SYSTEMS {
                self.denied.push((
                    "elasticfilesystem:DescribeMountTargets".into(),
                    format!(
                        "the account has {} file systems; the mount targets of the first {MAX_FILE_SYSTEMS} were read (save the others' with `aws efs describe-mount-targets`)",
                        list.len()
                    ),
                ));
            }
            for fs in list.iter().take(MAX_FILE_SYSTEMS) {
                let id = fs.file_system_id();
                let Some(targets) = sdk_try!(
                    "elasticfilesystem:DescribeMountTargets",
                    all_pages!(efs
                        .describe_mount_targets()
                        .file_system_id(id)
                        .set_max_items(self.page)),
                    self.denied
                ) else {
                    continue;
                };
                self.enis.extend(
                    targets
                        .iter()
                        .filter_map(|t| t.network_interface_id().map(str::to_string)),
                );
                let out: Vec<Value> = targets
                    .iter()
                    .map(|t| {
                        json!({
                            "MountTargetId": t.mount_target_id(),
                            "FileSystemId": t.file_system_id(),
                            "SubnetId": t.subnet_id(),
                            "VpcId": t.vpc_id(),
                            "NetworkInterfaceId": t.network_interface_id(),
                            "LifeCycleState": t.life_cycle_state().as_str(),
                        })
                    })
                    .collect();
                self.files.push((
                    format!("efs-mount-targets-{id}.json"),
                    json!({ "MountTargets": out }),
                ));
            }
        }
        Ok(())
    }

    /// The load balancers, their listeners (the call takes one load
    /// balancer) and the target groups, which name the load balancers
    /// that forward to them.
    async fn load_balancers(
        &mut self,
        elb: &aws_sdk_elasticloadbalancingv2::Client,
    ) -> Result<(), LiveError> {
        let pages = sdk_try!(
            "elasticloadbalancing:DescribeLoadBalancers",
            every_page!(elb.describe_load_balancers().set_page_size(self.page)),
            self.denied
        );
        let Some(pages) = pages else {
            return Ok(());
        };
        let mut lbs = Vec::new();
        let mut listeners = Vec::new();
        for lb in pages.iter().flat_map(|p| p.load_balancers()) {
            let arn = lb.load_balancer_arn().unwrap_or_default();
            lbs.push(json!({
                "LoadBalancerArn": arn,
                "LoadBalancerName": lb.load_balancer_name(),
                "Scheme": lb.scheme().map(|x| x.as_str()),
                "Type": lb.r#type().map(|x| x.as_str()),
                "VpcId": lb.vpc_id(),
                "AvailabilityZones": lb.availability_zones().iter().map(|z| json!({
                    "ZoneName": z.zone_name(),
                    "SubnetId": z.subnet_id(),
                })).collect::<Vec<_>>(),
                // a network load balancer without groups has none
                "SecurityGroups": (!lb.security_groups().is_empty()).then(|| lb.security_groups()),
            }));
            let Some(pages) = sdk_try!(
                "elasticloadbalancing:DescribeListeners",
                every_page!(elb
                    .describe_listeners()
                    .load_balancer_arn(arn)
                    .set_page_size(self.page)),
                self.denied
            ) else {
                continue;
            };
            for l in pages.iter().flat_map(|p| p.listeners()) {
                listeners.push(json!({
                    "ListenerArn": l.listener_arn(),
                    "LoadBalancerArn": l.load_balancer_arn(),
                    "Port": l.port(),
                    "Protocol": l.protocol().map(|x| x.as_str()),
                }));
            }
        }
        self.files.push((
            "load-balancers.json".into(),
            json!({ "LoadBalancers": lbs }),
        ));
        self.files
            .push(("listeners.json".into(), json!({ "Listeners": listeners })));
        if let Some(pages) = sdk_try!(
            "elasticloadbalancing:DescribeTargetGroups",
            every_page!(elb.describe_target_groups().set_page_size(self.page)),
            self.denied
        ) {
            let groups: Vec<Value> = pages
                .iter()
                .flat_map(|p| p.target_groups())
                .map(|t| {
                    json!({
                        "TargetGroupArn": t.target_group_arn(),
                        "Port": t.port(),
                        "HealthCheckPort": t.health_check_port(),
                        "Protocol": t.protocol().map(|x| x.as_str()),
                        "LoadBalancerArns": t.load_balancer_arns(),
                    })
                })
                .collect();
            self.files.push((
                "target-groups.json".into(),
                json!({ "TargetGroups": groups }),
            ));
        }
        Ok(())
    }

    /// The state machines of the stacks (a Scheduled Job's is named after
    /// its stack, `<app>-<env>-<job>`).
    async fn state_machines(
        &mut self,
        sfn: &aws_sdk_sfn::Client,
        stacks: &[String],
    ) -> Result<(), LiveError> {
        if let Some(list) = sdk_try!(
            "states:ListStateMachines",
            all_pages!(sfn.list_state_machines().set_max_results(self.page)),
            self.denied
        ) {
            for m in list.iter().filter(|m| stacks.iter().any(|s| s == m.name())) {
                let Some(out) = sdk_try!(
                    "states:DescribeStateMachine",
                    sfn.describe_state_machine()
                        .state_machine_arn(m.state_machine_arn())
                        .send()
                        .await,
                    self.denied
                ) else {
                    continue;
                };
                self.task_definitions
                    .extend(run_task_definitions(out.definition()));
                self.files.push((
                    format!("state-machine-{}.json", out.name()),
                    json!({
                        "stateMachineArn": out.state_machine_arn(),
                        "name": out.name(),
                        "definition": out.definition(),
                    }),
                ));
            }
        }
        Ok(())
    }

    /// The task definitions of the stacks' services and state machines
    /// (what each task pulls, logs to and reads when it starts), one file
    /// each in `ecs describe-task-definition`'s shape.
    async fn task_definitions(
        &mut self,
        ecs: &aws_sdk_ecs::Client,
        stacks: &[String],
    ) -> Result<(), LiveError> {
        const MAX_TASK_DEFINITIONS: usize = 200;
        let mut arns = std::mem::take(&mut self.task_definitions);
        // Copilot names a workload's family after its stack
        arns.retain(|a| {
            let family = a.rsplit('/').next().unwrap_or(a);
            let family = family.rsplit_once(':').map_or(family, |(f, _)| f);
            stacks.is_empty() || stacks.iter().any(|s| s == family)
        });
        arns.sort_unstable();
        arns.dedup();
        for (i, arn) in arns.iter().take(MAX_TASK_DEFINITIONS).enumerate() {
            let Some(out) = sdk_try!(
                "ecs:DescribeTaskDefinition",
                ecs.describe_task_definition()
                    .task_definition(arn)
                    .send()
                    .await,
                self.denied
            ) else {
                continue;
            };
            let Some(td) = out.task_definition() else {
                continue;
            };
            self.files.push((
                format!("task-definition-{i}.json"),
                json!({"taskDefinition": {
                    "taskDefinitionArn": td.task_definition_arn(),
                    "family": td.family(),
                    "containerDefinitions": td.container_definitions().iter().map(|c| json!({
                        "name": c.name(),
                        "image": c.image(),
                        "logConfiguration": c.log_configuration().map(|l| json!({
                            "logDriver": l.log_driver().as_str(),
                        })),
                        "secrets": c.secrets().iter().map(|x| json!({
                            "name": x.name(),
                            "valueFrom": x.value_from(),
                        })).collect::<Vec<_>>(),
                        "repositoryCredentials": c.repository_credentials().map(|r| json!({
                            "credentialsParameter": r.credentials_parameter(),
                        })),
                        "environmentFiles": c.environment_files().iter().map(|f| json!({
                            "value": f.value(),
                        })).collect::<Vec<_>>(),
                        "environment": c.environment().iter().map(|e| json!({
                            "name": e.name(),
                            "value": e.value(),
                        })).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                    "volumes": td.volumes().iter().map(|v| json!({
                        "name": v.name(),
                        "efsVolumeConfiguration": v.efs_volume_configuration().map(|e| json!({
                            "fileSystemId": e.file_system_id(),
                        })),
                    })).collect::<Vec<_>>(),
                }}),
            ));
        }
        Ok(())
    }

    /// The ENIs of the tasks and mount targets: their groups and public
    /// addresses.
    async fn interfaces(&mut self, ec2: &aws_sdk_ec2::Client) -> Result<(), LiveError> {
        self.enis.sort_unstable();
        self.enis.dedup();
        let mut interfaces = Vec::new();
        for chunk in self.enis.chunks(200) {
            let Some(v) = sdk_try!(
                "ec2:DescribeNetworkInterfaces",
                all_pages!(ec2
                    .describe_network_interfaces()
                    .filters(
                        aws_sdk_ec2::types::Filter::builder()
                            .name("network-interface-id")
                            .set_values(Some(chunk.to_vec()))
                            .build(),
                    )
                    .set_max_results(self.page)),
                self.denied
            ) else {
                continue;
            };
            interfaces.extend(v.iter().map(|n| {
                json!({
                    "NetworkInterfaceId": n.network_interface_id(),
                    "SubnetId": n.subnet_id(),
                    "VpcId": n.vpc_id(),
                    "Groups": n.groups().iter().map(|g| json!({"GroupId": g.group_id()})).collect::<Vec<_>>(),
                    "Association": n.association().map(|a| json!({"PublicIp": a.public_ip()})),
                })
            }));
        }
        self.files.push((
            "network-interfaces.json".into(),
            json!({ "NetworkInterfaces": interfaces }),
        ));
        Ok(())
    }
}

/// The task definitions a state machine's definition runs (its ECS
/// RunTask states' `TaskDefinition`).
fn run_task_definitions(definition: &str) -> Vec<String> {
    let Ok(v) = serde_json::from_str::<Value>(definition) else {
        return vec![];
    };
    let mut out = Vec::new();
    let mut stack = vec![&v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(o) => {
                if let Some(Value::String(td)) = o.get("TaskDefinition") {
                    out.push(td.clone());
                }
                stack.extend(o.values());
            }
            Value::Array(a) => stack.extend(a.iter()),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_classified() {
        let denied = classify(
            "ec2:DescribeVpcs",
            Some("UnauthorizedOperation"),
            "no".into(),
        )
        .unwrap();
        assert!(denied.1.contains("add `ec2:DescribeVpcs` to the policy"));
        assert!(matches!(
            classify("rds:DescribeDBClusters", Some("ExpiredToken"), "old".into()),
            Err(LiveError::Expired(_))
        ));
        assert!(matches!(
            classify("ec2:DescribeVpcs", Some("AuthFailure"), "bad key".into()),
            Err(LiveError::NoCredentials(_))
        ));
        let other = classify("apprunner:ListServices", None, "500".into()).unwrap();
        assert!(other.1.starts_with("the call failed"));
    }
}
