//! The network model: one set of types for every front door (CloudFormation
//! resources now, Describe data later). `verify` sees only these; each
//! representation layer (`crate::repr`) builds them. Imports no input
//! format: only the ground floor ([`crate::base`]).

pub mod flow;
pub mod graph;
pub mod net;
pub mod proof;

pub use crate::base::origin::{Origin, Source};
pub use crate::base::unknown::{Fact, Missing};
pub use net::Cidr;

/// The part of the deployment that declares an element (its stack, or the
/// Copilot tags of a deployed resource).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Owner {
    /// The environment (its stack, or its addons).
    Environment,
    /// One workload (its stack, or its addons).
    Workload(String),
    /// Neither, or not known.
    Other,
}

impl std::fmt::Display for Owner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Owner::Environment => f.write_str("env"),
            Owner::Workload(w) => write!(f, "workload:{w}"),
            Owner::Other => f.write_str("other"),
        }
    }
}

macro_rules! ids {
    ($($name:ident),*) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub usize);
    )*};
}
ids!(VpcId, SubnetId, RouteTableId, AclId, SgId, GatewayId, DbId);

#[derive(Debug, Clone)]
pub struct Vpc {
    /// Stable id (logical id or the literal AWS id).
    pub name: String,
    pub cidr: Option<Cidr>,
    pub main_route_table: RouteTableId,
    pub default_acl: AclId,
    /// A VPC whose every subnet and route is known (Copilot-managed).
    pub fully_known: bool,
    pub origin: Origin,
}

/// An availability zone: by index into the region's list, or by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Az {
    Index(usize),
    Name(String),
    Unknown,
}

impl std::fmt::Display for Az {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Az::Index(i) => write!(f, "az[{i}]"),
            Az::Name(n) => f.write_str(n),
            Az::Unknown => f.write_str("unknown AZ"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Subnet {
    pub name: String,
    pub vpc: Option<VpcId>,
    pub cidr: Option<Cidr>,
    pub az: Az,
    /// Explicit association; None means the VPC's main table.
    pub route_table: Option<RouteTableId>,
    /// Explicit ACL; None means the VPC's default ACL.
    pub acl: Option<AclId>,
    pub map_public_ip: bool,
    pub origin: Origin,
    /// The association that gives the route table (for explanations).
    pub rt_origin: Option<Origin>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteTarget {
    Local,
    Igw(GatewayId),
    Nat(GatewayId),
    /// A target the model does not know (peering, TGW, an id we cannot
    /// resolve): traffic may go there, but where it ends is unknown.
    Other(String),
    Blackhole,
}

#[derive(Debug, Clone)]
pub struct Route {
    pub dest: Cidr,
    pub target: RouteTarget,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct RouteTable {
    pub name: String,
    pub vpc: Option<VpcId>,
    pub routes: Vec<Route>,
    /// The routes are not all known (imported VPC, an undecided route).
    pub incomplete: Option<Missing>,
    pub origin: Origin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Proto {
    All,
    Num(u8),
}

impl Proto {
    pub const TCP: Proto = Proto::Num(6);
    pub const UDP: Proto = Proto::Num(17);

    pub fn parse(s: &str) -> Option<Proto> {
        match s.to_ascii_lowercase().as_str() {
            "-1" | "all" => Some(Proto::All),
            "tcp" | "6" => Some(Proto::TCP),
            "udp" | "17" => Some(Proto::UDP),
            "icmp" | "1" => Some(Proto::Num(1)),
            "icmpv6" | "58" => Some(Proto::Num(58)),
            other => other.parse::<u8>().ok().map(Proto::Num),
        }
    }
}

impl std::fmt::Display for Proto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Proto::All => f.write_str("all"),
            Proto::Num(6) => f.write_str("tcp"),
            Proto::Num(17) => f.write_str("udp"),
            Proto::Num(1) => f.write_str("icmp"),
            Proto::Num(n) => write!(f, "proto {n}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Peer {
    Cidr(Cidr),
    Sg(SgId),
    /// A peer not known offline.
    Unknown(Missing),
}

#[derive(Debug, Clone)]
pub struct SgRule {
    pub proto: Proto,
    /// Inclusive port range (ignored for protocols without ports).
    pub ports: (u16, u16),
    pub peer: Peer,
    pub origin: Origin,
    /// Where the unknown peer comes from (e.g. a parameter without value).
    pub unknown_origin: Option<Origin>,
    /// Text of the rule for explanations.
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct SecurityGroup {
    pub name: String,
    pub vpc: Option<VpcId>,
    pub ingress: Vec<SgRule>,
    pub egress: Vec<SgRule>,
    /// The rules are not all known (an external group id).
    pub opaque: Option<Missing>,
    pub origin: Origin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Allow,
    Deny,
}

#[derive(Debug, Clone)]
pub struct AclEntry {
    pub number: u32,
    pub egress: bool,
    pub proto: Proto,
    pub ports: (u16, u16),
    pub cidr: Cidr,
    pub action: Action,
    pub origin: Origin,
    /// A field of the entry is unknown offline (it then decides nothing
    /// for sure from its position on).
    pub unknown: Option<Missing>,
}

impl AclEntry {
    /// An entry matching every packet in one direction.
    pub fn everything(
        egress: bool,
        action: Action,
        origin: Origin,
        unknown: Option<Missing>,
    ) -> AclEntry {
        AclEntry {
            number: if unknown.is_some() { 0 } else { 100 },
            egress,
            proto: Proto::All,
            ports: (0, 65535),
            cidr: Cidr::ANY,
            action,
            origin,
            unknown,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NetworkAcl {
    pub name: String,
    pub vpc: Option<VpcId>,
    pub entries: Vec<AclEntry>,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatewayKind {
    Internet {
        vpc: Option<VpcId>,
    },
    Nat {
        subnet: Option<SubnetId>,
        public: bool,
    },
}

#[derive(Debug, Clone)]
pub struct Gateway {
    pub name: String,
    pub kind: GatewayKind,
    pub origin: Origin,
}

/// A set of subnets an ENI may sit in.
#[derive(Debug, Clone, PartialEq)]
pub enum SubnetSet {
    Known(Vec<SubnetId>),
    /// Unknown offline. `within` is the closed world when the VPC is
    /// fully known.
    Unknown {
        what: Missing,
        within: Option<VpcId>,
    },
}

#[derive(Debug, Clone)]
pub struct Database {
    pub name: String,
    pub owner: Owner,
    pub engine: String,
    /// The port clients connect to (0 when unknown, see `port_unknown`).
    pub port: u16,
    pub port_origin: Origin,
    pub port_unknown: Option<Missing>,
    pub subnets: SubnetSet,
    pub sgs: Vec<SgId>,
    /// Security groups whose rules are not in the inputs.
    pub unknown_sgs: Vec<Missing>,
    pub serverless_v1: bool,
    /// An instance of the cluster is (or, unknown offline, may be) publicly
    /// accessible.
    pub publicly_accessible: bool,
    /// An instance is surely publicly accessible (`PubliclyAccessible` true).
    pub publicly_accessible_surely: bool,
    /// The AZ a template pins the writer instance to, if any.
    pub writer_az: Option<Az>,
    pub origin: Origin,
}

/// What kind of compute a workload runs on: decides which managed parts
/// it has and how its clients pick source ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WorkloadKind {
    /// An App Runner service (Copilot's Request-Driven Web Service).
    AppRunner,
    /// A long-running ECS service on Fargate.
    EcsService,
    /// An ECS task started on a schedule.
    EcsScheduledTask,
}

/// The kind of element a hop or blocker is about (printed by name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Component {
    VpcConnector,
    EcsTask,
    AppRunnerService,
    AppRunnerDefaultEgress,
    SecurityGroup,
    NetworkAcl,
    RouteTable,
    NatGateway,
    InternetGateway,
    Internet,
    VpcEndpoint,
    Database,
    AwsService,
    FileSystem,
    LoadBalancer,
}

impl Component {
    pub fn as_str(self) -> &'static str {
        match self {
            Component::VpcConnector => "vpc-connector",
            Component::EcsTask => "ecs-task",
            Component::AppRunnerService => "apprunner-service",
            Component::AppRunnerDefaultEgress => "apprunner-default-egress",
            Component::SecurityGroup => "security-group",
            Component::NetworkAcl => "network-acl",
            Component::RouteTable => "route-table",
            Component::NatGateway => "nat-gateway",
            Component::InternetGateway => "internet-gateway",
            Component::Internet => "internet",
            Component::VpcEndpoint => "vpc-endpoint",
            Component::Database => "database",
            Component::AwsService => "aws-service",
            Component::FileSystem => "file-system",
            Component::LoadBalancer => "load-balancer",
        }
    }
}

impl std::fmt::Display for Component {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// Who opens the connection: decides the ephemeral source ports
/// (DECISIONS.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientKind {
    /// App Runner VPC connector ENIs: 1024-65535.
    AppRunnerConnector,
    /// Fargate Linux tasks: 32768-60999.
    FargateLinux,
    /// Windows tasks: 49152-65535.
    FargateWindows,
    /// NAT gateways (the translated source): 1024-65535.
    NatGateway,
    /// A load balancer's nodes: 1024-65535.
    LoadBalancer,
    /// Clients outside the VPC, of any operating system: 1024-65535.
    Outside,
}

impl ClientKind {
    /// The inclusive range of source ports the client picks from.
    pub fn ephemeral(self) -> (u16, u16) {
        match self {
            ClientKind::AppRunnerConnector
            | ClientKind::NatGateway
            | ClientKind::LoadBalancer
            | ClientKind::Outside => (1024, 65535),
            ClientKind::FargateLinux => (32768, 60999),
            ClientKind::FargateWindows => (49152, 65535),
        }
    }
}

/// Network interfaces a workload sends from (VPC connector, ECS task).
#[derive(Debug, Clone)]
pub struct Enis {
    pub component: Component,
    pub name: String,
    pub subnets: SubnetSet,
    pub sgs: Vec<SgId>,
    /// Security groups whose rules are not in the inputs.
    pub unknown_sgs: Vec<Missing>,
    pub public_ip: bool,
    pub client: ClientKind,
    pub origin: Origin,
}

/// Egress the provider manages outside every VPC of the user (App
/// Runner's default egress): its addresses are public and not known
/// offline, and it never enters the VPC.
#[derive(Debug, Clone)]
pub struct ManagedEgress {
    /// Whose network the packets leave from ("App Runner").
    pub provider: String,
    /// The pseudo-hop that starts every path.
    pub hop: Component,
    /// The element a blocker about this egress names.
    pub owner: Component,
    /// The pseudo-hop's text.
    pub detail: String,
    /// What the workload lacks to reach inside a VPC ("the service has no
    /// VPC connector").
    pub lacks: String,
    pub origin: Origin,
}

/// How a workload sends packets.
#[derive(Debug, Clone)]
pub enum Egress {
    /// Managed egress outside any VPC of the user.
    Managed(ManagedEgress),
    /// ENIs in subnets with security groups.
    Enis(Enis),
}

/// An AWS API a workload calls, by its endpoint service name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AwsService {
    SecretsManager,
    EcrApi,
    EcrDkr,
    S3,
    Logs,
    Ssm,
    Sqs,
    Sns,
    /// Any other endpoint service, by its short name.
    Other(String),
}

impl AwsService {
    /// The endpoint service's short name (`secretsmanager`, `ecr.api`).
    pub fn name(&self) -> &str {
        match self {
            AwsService::SecretsManager => "secretsmanager",
            AwsService::EcrApi => "ecr.api",
            AwsService::EcrDkr => "ecr.dkr",
            AwsService::S3 => "s3",
            AwsService::Logs => "logs",
            AwsService::Ssm => "ssm",
            AwsService::Sqs => "sqs",
            AwsService::Sns => "sns",
            AwsService::Other(n) => n,
        }
    }

    /// By short name.
    pub fn from_name(n: &str) -> AwsService {
        match n {
            "secretsmanager" => AwsService::SecretsManager,
            "ecr.api" => AwsService::EcrApi,
            "ecr.dkr" => AwsService::EcrDkr,
            "s3" => AwsService::S3,
            "logs" => AwsService::Logs,
            "ssm" => AwsService::Ssm,
            "sqs" => AwsService::Sqs,
            "sns" => AwsService::Sns,
            other => AwsService::Other(other.to_string()),
        }
    }

    /// From an endpoint's full service name
    /// (`com.amazonaws.<region>.ecr.api`): the part after the region.
    pub fn from_endpoint_service(full: &str) -> AwsService {
        let parts: Vec<&str> = full.split('.').collect();
        match parts.as_slice() {
            ["com", "amazonaws", _region, rest @ ..] if !rest.is_empty() => {
                AwsService::from_name(&rest.join("."))
            }
            _ => AwsService::from_name(parts.last().copied().unwrap_or(full)),
        }
    }
}

impl std::fmt::Display for AwsService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a workload needs a destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Purpose {
    /// The task cannot start without it (image, logs, secrets, env file).
    TaskStart,
    /// The application calls it.
    Application,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::TaskStart => "task-start",
            Purpose::Application => "application",
        }
    }
}

/// Evidence that a workload needs a public address itself.
#[derive(Debug, Clone)]
pub struct InternetUse {
    pub reason: String,
    pub purpose: Purpose,
    pub origin: Origin,
}

/// Evidence that a workload calls an AWS API itself.
#[derive(Debug, Clone)]
pub struct ApiUse {
    pub service: AwsService,
    pub reason: String,
    pub purpose: Purpose,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct Workload {
    pub name: String,
    pub kind: WorkloadKind,
    pub egress: Egress,
    /// The ENIs may not exist at all (a subnet lookup that matches nothing
    /// makes Copilot render no connector): then this managed egress
    /// applies. The missing fact says what decides.
    pub fallback: Option<(Missing, ManagedEgress)>,
    pub api_uses: Vec<ApiUse>,
    /// Evidence that the workload needs the internet itself (an image from
    /// a public registry): the internet flow is then needed.
    pub needs_internet: Option<InternetUse>,
    /// Databases the workload references (it imports their secret or
    /// their workload security group): needed whether or not a rule admits
    /// it.
    pub db_refs: Vec<DbRef>,
    /// EFS volumes its tasks mount when they start.
    pub fs_uses: Vec<FsUse>,
    /// The load balancers that forward to its tasks (a target group the
    /// service registers its tasks in), each on the target port.
    pub lb_targets: Vec<LbTarget>,
    /// Other workloads it calls (it names them by a name that resolves to
    /// their tasks): needed.
    pub peer_uses: Vec<PeerUse>,
    pub origin: Origin,
}

/// Evidence that a workload calls another workload's tasks on a port.
#[derive(Debug, Clone)]
pub struct PeerUse {
    /// The server, by index among the network's workloads.
    pub workload: usize,
    pub port: u16,
    pub reason: String,
    /// Where the client names it.
    pub origin: Origin,
}

/// A load balancer forwards to a workload's tasks through a target group:
/// requests arrive on the target port and health checks on the health-check
/// port (the target port unless the target group names another).
#[derive(Debug, Clone)]
pub struct LbTarget {
    pub lb: usize,
    pub port: u16,
    /// Where the target port is decided (the manifest's `image.port`,
    /// `http.target_port`, a template's `ContainerPort`).
    pub origin: Origin,
    /// A health-check port other than the target port, and where it is set.
    pub health_check: Option<(u16, Origin)>,
}

/// A load balancer's listener: the port its nodes accept connections on.
#[derive(Debug, Clone)]
pub struct Listener {
    pub port: u16,
    pub protocol: String,
    pub origin: Origin,
}

/// A workload that stands for one running task of another (a task whose
/// ENI its workload's configuration does not describe): the workload's
/// flows are proved from the task's ENI too and counted in its verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandIn {
    pub workload: usize,
    pub stand_in: usize,
    pub task: String,
}

/// Evidence that a workload uses a database.
#[derive(Debug, Clone)]
pub struct DbRef {
    pub db: DbId,
    pub reason: String,
    pub origin: Origin,
}

/// An interface VPC endpoint (private DNS decides whether it captures the
/// service's traffic).
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub name: String,
    /// The AWS service, None when unknown offline.
    pub service: Option<AwsService>,
    pub vpc: Option<VpcId>,
    pub subnets: SubnetSet,
    pub sgs: Vec<SgId>,
    /// Security groups whose rules are not in the inputs.
    pub unknown_sgs: Vec<Missing>,
    /// Private DNS: None when unknown offline.
    pub private_dns: Option<bool>,
    /// Where private DNS is decided: its `PrivateDnsEnabled`, else the
    /// endpoint (the default is off).
    pub private_dns_origin: Origin,
    pub origin: Origin,
}

/// A gateway VPC endpoint (S3, DynamoDB): the route tables whose subnets
/// reach the service through it, with no ENI and no NAT.
#[derive(Debug, Clone)]
pub struct GatewayEndpoint {
    pub name: String,
    pub service: Option<AwsService>,
    pub vpc: Option<VpcId>,
    pub route_tables: Vec<RouteTableId>,
    /// Some of its route tables (or whether it exists) are unknown offline.
    pub unknown_tables: Option<Missing>,
    pub origin: Origin,
}

/// An EFS file system: its mount targets' subnets and groups (NFS,
/// tcp/2049).
#[derive(Debug, Clone)]
pub struct FileSystem {
    pub name: String,
    pub subnets: SubnetSet,
    pub sgs: Vec<SgId>,
    pub unknown_sgs: Vec<Missing>,
    pub origin: Origin,
}

/// A task's EFS volume: the file system, or why it is not known.
#[derive(Debug, Clone)]
pub struct FsUse {
    pub fs: Result<usize, Missing>,
    pub reason: String,
    pub origin: Origin,
}

/// An application or network load balancer: its nodes' subnets and groups.
#[derive(Debug, Clone)]
pub struct LoadBalancer {
    pub name: String,
    pub internet_facing: bool,
    /// Whether it is internet-facing is unknown offline (its scheme), and why.
    pub scheme_unknown: Option<Missing>,
    pub subnets: SubnetSet,
    pub sgs: Vec<SgId>,
    /// Groups whose rules are not in the inputs (a parameter, an import,
    /// the VPC's default group of an application load balancer naming none).
    pub unknown_sgs: Vec<Missing>,
    /// A network load balancer: without groups, none filters its traffic.
    pub network: bool,
    pub listeners: Vec<Listener>,
    /// The stack that creates it.
    pub owner: Owner,
    pub origin: Origin,
}

#[derive(Debug, Clone, Default)]
pub struct Network {
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub route_tables: Vec<RouteTable>,
    pub acls: Vec<NetworkAcl>,
    pub sgs: Vec<SecurityGroup>,
    pub gateways: Vec<Gateway>,
    pub databases: Vec<Database>,
    pub workloads: Vec<Workload>,
    pub endpoints: Vec<Endpoint>,
    pub gateway_endpoints: Vec<GatewayEndpoint>,
    pub load_balancers: Vec<LoadBalancer>,
    pub file_systems: Vec<FileSystem>,
}

impl Network {
    pub fn subnet(&self, id: SubnetId) -> &Subnet {
        &self.subnets[id.0]
    }
    pub fn sg(&self, id: SgId) -> &SecurityGroup {
        &self.sgs[id.0]
    }
    pub fn rt(&self, id: RouteTableId) -> &RouteTable {
        &self.route_tables[id.0]
    }
    pub fn acl(&self, id: AclId) -> &NetworkAcl {
        &self.acls[id.0]
    }
    pub fn gw(&self, id: GatewayId) -> &Gateway {
        &self.gateways[id.0]
    }

    /// The route table a subnet uses, and whether it is the main table.
    pub fn route_table_of(&self, s: SubnetId) -> Option<(RouteTableId, bool)> {
        let sub = self.subnet(s);
        match sub.route_table {
            Some(rt) => Some((rt, false)),
            None => sub.vpc.map(|v| (self.vpcs[v.0].main_route_table, true)),
        }
    }

    /// The ACL a subnet uses.
    pub fn acl_of(&self, s: SubnetId) -> Option<AclId> {
        let sub = self.subnet(s);
        sub.acl
            .or_else(|| sub.vpc.map(|v| self.vpcs[v.0].default_acl))
    }

    /// Every subnet of a VPC.
    pub fn subnets_of(&self, vpc: VpcId) -> Vec<SubnetId> {
        (0..self.subnets.len())
            .map(SubnetId)
            .filter(|s| self.subnet(*s).vpc == Some(vpc))
            .collect()
    }
}
