//! The CloudFormation representation layer: the network model from
//! CloudFormation resources (the synthesized Copilot stacks plus evaluated
//! addon templates, or plain templates). Every element keeps the origin of
//! the resource or property it came from.

use std::collections::HashMap;

use crate::cfn::{ResRef, Resource, StackId, VKind, Value};
use crate::model::*;

/// Builds the network from every resource of one environment.
pub struct Builder<'a> {
    resources: &'a [Resource],
    index: HashMap<ResRef, usize>,
    net: Network,
    vpc_of: HashMap<ResRef, VpcId>,
    subnet_of: HashMap<ResRef, SubnetId>,
    rt_of: HashMap<ResRef, RouteTableId>,
    acl_of: HashMap<ResRef, AclId>,
    sg_of: HashMap<ResRef, SgId>,
    gw_of: HashMap<ResRef, GatewayId>,
    closed_ref: Option<ResRef>,
    closed: Option<VpcId>,
}

fn origin(r: &Resource) -> Origin {
    r.origin.clone()
}

/// The origin of a property value: its own span, in the resource's kind of
/// source.
fn vorigin(v: &Value, owner: &Resource) -> Origin {
    owner.origin.at(v.span)
}

/// A port number, when the value is one (not `traffic-port`, not unknown).
fn port_of(v: &Value) -> Option<u16> {
    v.as_str()?.trim().parse().ok().filter(|p| *p > 0)
}

/// Which part of the deployment a stack belongs to.
pub fn owner_of(stack: &StackId) -> Owner {
    match stack {
        StackId::Environment | StackId::EnvironmentAddons => Owner::Environment,
        StackId::Workload(w) | StackId::WorkloadAddons(w) => Owner::Workload(w.clone()),
        StackId::Template(_) => Owner::Other,
    }
}

impl<'a> Builder<'a> {
    pub fn new(resources: &'a [Resource]) -> Builder<'a> {
        let index = resources
            .iter()
            .enumerate()
            .map(|(i, r)| (r.rref(), i))
            .collect();
        Builder {
            resources,
            index,
            net: Network::default(),
            vpc_of: HashMap::new(),
            subnet_of: HashMap::new(),
            rt_of: HashMap::new(),
            acl_of: HashMap::new(),
            sg_of: HashMap::new(),
            gw_of: HashMap::new(),
            closed_ref: None,
            closed: None,
        }
    }

    /// The VPC whose every subnet is known (a Copilot-managed VPC): a
    /// subnet set unknown offline but tied to it by its security groups
    /// ranges over its subnets (DECISIONS.md, closed world).
    pub fn closed_world(mut self, vpc: Option<ResRef>) -> Builder<'a> {
        self.closed_ref = vpc;
        self
    }

    /// The VPC a list of security groups lives in, when all are known and
    /// agree.
    fn sgs_vpc(&self, sgs: &[SgId], unknown: &[Missing]) -> Option<VpcId> {
        if !unknown.is_empty() || sgs.is_empty() {
            return None;
        }
        let first = self.net.sgs[sgs[0].0].vpc?;
        sgs.iter()
            .all(|g| self.net.sgs[g.0].vpc == Some(first))
            .then_some(first)
    }

    fn of_type(&self, t: &'static str) -> impl Iterator<Item = &'a Resource> + use<'a> {
        self.resources.iter().filter(move |r| r.rtype == t)
    }

    /// The model element a value refers to, through one of the id maps.
    fn resolve<T: Copy>(&self, v: Option<&Value>, map: &HashMap<ResRef, T>) -> Option<T> {
        let r = self.target(v?)?;
        map.get(&r.rref()).copied()
    }

    fn target(&self, v: &Value) -> Option<&'a Resource> {
        let rr = v.resource()?;
        self.index.get(rr).map(|i| &self.resources[*i])
    }

    pub fn build(self) -> Network {
        self.build_indexed().0
    }

    /// The network, and which model element each CloudFormation resource
    /// became (for a door that resolves references into the model).
    pub fn build_indexed(mut self) -> (Network, Index) {
        self.vpcs();
        self.closed = self
            .closed_ref
            .as_ref()
            .and_then(|r| self.vpc_of.get(r).copied());
        for v in &mut self.net.vpcs {
            v.fully_known = false;
        }
        if let Some(c) = self.closed {
            self.net.vpcs[c.0].fully_known = true;
        }
        self.gateways_and_tables();
        self.subnets();
        self.routes_and_associations();
        self.acls();
        self.security_groups();
        self.databases();
        self.caches();
        self.endpoints();
        self.load_balancers();
        self.file_systems();
        self.workloads();
        let index = Index {
            file_systems: self
                .of_type("AWS::EFS::FileSystem")
                .enumerate()
                .map(|(i, r)| (r.rref(), i))
                .collect(),
            sgs: self.sg_of.clone(),
            db_secrets: self.db_secrets(),
            dbs: self
                .of_type("AWS::RDS::DBCluster")
                .chain(self.of_type("AWS::RDS::DBInstance"))
                .filter_map(|r| {
                    let i = self
                        .net
                        .databases
                        .iter()
                        .position(|d| d.name == r.logical && d.owner == owner_of(&r.stack))?;
                    Some((r.rref(), DbId(i)))
                })
                .collect(),
        };
        (self.net, index)
    }

    /// Secrets that hold a database's credentials: a `SecretTargetAttachment`
    /// to the cluster, or the cluster's master user or password resolved
    /// from the secret.
    fn db_secrets(&self) -> HashMap<ResRef, DbId> {
        let mut out = HashMap::new();
        let db_of = |rr: &ResRef| {
            self.net
                .databases
                .iter()
                .position(|d| d.name == rr.logical && d.owner == owner_of(&rr.stack))
                .map(DbId)
        };
        for r in self.of_type("AWS::SecretsManager::SecretTargetAttachment") {
            let (Some(secret), Some(target)) = (
                r.prop("SecretId").and_then(Value::resource),
                r.prop("TargetId").and_then(Value::resource),
            ) else {
                continue;
            };
            if let Some(db) = db_of(target) {
                out.insert(secret.clone(), db);
            }
        }
        for r in self
            .of_type("AWS::RDS::DBCluster")
            .chain(self.of_type("AWS::RDS::DBInstance"))
        {
            let Some(db) = db_of(&r.rref()) else { continue };
            for k in ["MasterUsername", "MasterUserPassword"] {
                let mut refs = Vec::new();
                if let Some(v) = r.prop(k) {
                    collect_refs(v, &mut refs);
                }
                for rr in refs {
                    let is_secret = self
                        .index
                        .get(&rr)
                        .is_some_and(|i| self.resources[*i].rtype == "AWS::SecretsManager::Secret");
                    if is_secret {
                        out.entry(rr).or_insert(db);
                    }
                }
            }
        }
        out
    }

    fn vpcs(&mut self) {
        for r in self.of_type("AWS::EC2::VPC") {
            let cidr = r
                .prop("CidrBlock")
                .and_then(Value::as_str)
                .and_then(|c| c.parse().ok());
            let id = VpcId(self.net.vpcs.len());
            let rt = RouteTableId(self.net.route_tables.len());
            let mut routes = Vec::new();
            if let Some(c) = cidr {
                routes.push(Route {
                    dest: c,
                    target: RouteTarget::Local,
                    origin: origin(r)
                        .because("every VPC route table has the local route for the VPC CIDR"),
                });
            }
            // An address that cannot be read never drops the local route:
            // the table is undecided.
            let incomplete = cidr.is_none().then(|| cidr_unknown(r));
            self.net.route_tables.push(RouteTable {
                name: format!("{} main route table", r.logical),
                vpc: Some(id),
                routes,
                incomplete,
                origin: origin(r).because(
                    "the VPC's main route table (AWS creates it with the local route only)",
                ),
            });
            let acl = AclId(self.net.acls.len());
            self.net.acls.push(default_acl(
                &format!("{} default network ACL", r.logical),
                id,
                origin(r),
            ));
            self.net.vpcs.push(Vpc {
                name: r.logical.clone(),
                cidr,
                main_route_table: rt,
                default_acl: acl,
                fully_known: true,
                origin: origin(r),
            });
            self.vpc_of.insert(r.rref(), id);
        }
    }

    fn vpc_ref(&self, v: Option<&Value>) -> Option<VpcId> {
        self.resolve(v, &self.vpc_of)
    }

    fn gateways_and_tables(&mut self) {
        for r in self.of_type("AWS::EC2::InternetGateway") {
            let vpc = self
                .of_type("AWS::EC2::VPCGatewayAttachment")
                .find(|a| a.prop("InternetGatewayId").and_then(|v| v.resource()) == Some(&r.rref()))
                .and_then(|a| self.vpc_ref(a.prop("VpcId")));
            let id = GatewayId(self.net.gateways.len());
            self.net.gateways.push(Gateway {
                name: r.logical.clone(),
                kind: GatewayKind::Internet { vpc },
                origin: origin(r),
            });
            self.gw_of.insert(r.rref(), id);
        }
        for r in self.of_type("AWS::EC2::RouteTable") {
            let vpc = self.vpc_ref(r.prop("VpcId"));
            let mut routes = Vec::new();
            if let Some(c) = vpc.and_then(|v| self.net.vpcs[v.0].cidr) {
                routes.push(Route {
                    dest: c,
                    target: RouteTarget::Local,
                    origin: origin(r)
                        .because("every VPC route table has the local route for the VPC CIDR"),
                });
            }
            let id = RouteTableId(self.net.route_tables.len());
            let incomplete = match vpc {
                Some(v) if self.net.vpcs[v.0].cidr.is_none() => {
                    let vr = self.of_type("AWS::EC2::VPC").nth(v.0);
                    vr.map(cidr_unknown)
                }
                _ => None,
            };
            self.net.route_tables.push(RouteTable {
                name: r.logical.clone(),
                vpc,
                routes,
                incomplete,
                origin: origin(r),
            });
            self.rt_of.insert(r.rref(), id);
        }
    }

    /// Resolves a list of subnet values.
    /// Resolves a list of subnets; `home` is the VPC the owner's security
    /// groups live in (the closed world applies only there).
    /// `owner`: the resource the list belongs to (an unset list is its
    /// fact, at its line).
    fn subnet_set(
        &self,
        v: Option<&Value>,
        what: &str,
        home: Option<VpcId>,
        owner: &Resource,
    ) -> SubnetSet {
        let managed = home.filter(|h| Some(*h) == self.closed);
        let Some(v) = v else {
            return SubnetSet::Unknown {
                what: Missing::other(format!("{what} of {}: not set", owner.logical))
                    .with_origin(origin(owner)),
                within: managed,
            };
        };
        let items: Vec<&Value> = match &v.kind {
            VKind::List(l) => l.iter().collect(),
            VKind::Joined(_, l) => l.iter().collect(),
            VKind::Unknown(w) => {
                return SubnetSet::Unknown {
                    what: w.clone(),
                    within: managed,
                }
            }
            _ => vec![v],
        };
        let mut out = Vec::new();
        for it in items {
            match self.resolve(Some(it), &self.subnet_of) {
                Some(s) => out.push(s),
                None => {
                    let what = match &it.kind {
                        VKind::Str(s) => Missing::new(
                            Fact::Subnet(s.clone()),
                            format!("subnet {s} (a literal id; its VPC, AZ and routes are not in the workspace)"),
                        )
                        .with_origin(Origin::file(it.span)),
                        VKind::Unknown(w) => w.clone(),
                        _ => Missing::other(format!("subnet {}", it.describe()))
                            .with_origin(Origin::file(it.span)),
                    };
                    return SubnetSet::Unknown {
                        what,
                        within: managed,
                    };
                }
            }
        }
        SubnetSet::Known(out)
    }

    fn subnets(&mut self) {
        for r in self.of_type("AWS::EC2::Subnet") {
            let az = match r.prop("AvailabilityZone").map(|v| &v.kind) {
                Some(VKind::Az(i)) => Az::Index(*i),
                Some(VKind::Str(s)) => Az::Name(s.clone()),
                _ => Az::Unknown,
            };
            let id = SubnetId(self.net.subnets.len());
            self.net.subnets.push(Subnet {
                name: r.logical.clone(),
                vpc: self.vpc_ref(r.prop("VpcId")),
                cidr: r
                    .prop("CidrBlock")
                    .and_then(Value::as_str)
                    .and_then(|c| c.parse().ok()),
                az,
                route_table: None,
                acl: None,
                map_public_ip: matches!(
                    r.prop("MapPublicIpOnLaunch").and_then(Value::as_bool),
                    Some(Ok(true))
                ),
                origin: origin(r),
                rt_origin: None,
            });
            self.subnet_of.insert(r.rref(), id);
        }
    }

    fn routes_and_associations(&mut self) {
        for r in self.of_type("AWS::EC2::NatGateway") {
            let subnet = self.resolve(r.prop("SubnetId"), &self.subnet_of);
            let public = r.prop("ConnectivityType").and_then(Value::as_str) != Some("private");
            let id = GatewayId(self.net.gateways.len());
            self.net.gateways.push(Gateway {
                name: r.logical.clone(),
                kind: GatewayKind::Nat { subnet, public },
                origin: origin(r),
            });
            self.gw_of.insert(r.rref(), id);
        }
        for r in self.of_type("AWS::EC2::Route") {
            let Some(rt) = self.resolve(r.prop("RouteTableId"), &self.rt_of) else {
                // A route into a table we cannot identify may be in any of
                // them (never silently dropped).
                let what = Missing::other(format!(
                    "route {} into table {}",
                    r.logical,
                    r.prop("RouteTableId")
                        .map(Value::describe)
                        .unwrap_or_default()
                ))
                .with_origin(origin(r));
                for t in &mut self.net.route_tables {
                    t.incomplete.get_or_insert_with(|| what.clone());
                }
                continue;
            };
            let dest: Cidr = match r.prop("DestinationCidrBlock") {
                None => continue, // an IPv6 or prefix-list route: never an IPv4 match
                Some(v) => match v.as_str().and_then(|c| c.parse().ok()) {
                    Some(c) => c,
                    None => {
                        // which addresses it captures is unknown: every
                        // decision of this table is undecided
                        self.net.route_tables[rt.0].incomplete = Some(
                            Missing::other(format!(
                                "the destination of route {} ({})",
                                r.logical,
                                v.describe()
                            ))
                            .with_origin(vorigin(v, r)),
                        );
                        continue;
                    }
                },
            };
            let gw = |k: &str| self.resolve(r.prop(k), &self.gw_of);
            // By what the target is, not by the property naming it.
            let by_kind = |g: GatewayId| match self.net.gateways[g.0].kind {
                GatewayKind::Internet { .. } => RouteTarget::Igw(g),
                GatewayKind::Nat { .. } => RouteTarget::Nat(g),
            };
            let target = if let Some(c) = &r.undecided {
                RouteTarget::Other(format!("route {} that may not exist ({c})", r.logical))
            } else if let Some(g) = gw("GatewayId").or_else(|| gw("NatGatewayId")) {
                by_kind(g)
            } else {
                let what = [
                    "GatewayId",
                    "NatGatewayId",
                    "TransitGatewayId",
                    "VpcPeeringConnectionId",
                    "NetworkInterfaceId",
                    "VpcEndpointId",
                ]
                .iter()
                .find_map(|k| r.prop(k).map(|v| format!("{k} {}", v.describe())))
                .unwrap_or_else(|| "a target reachlint does not model".into());
                RouteTarget::Other(what)
            };
            self.net.route_tables[rt.0].routes.push(Route {
                dest,
                target,
                origin: origin(r),
            });
        }
        for r in self.of_type("AWS::EC2::SubnetRouteTableAssociation") {
            let s = self.resolve(r.prop("SubnetId"), &self.subnet_of);
            let t = self.resolve(r.prop("RouteTableId"), &self.rt_of);
            let Some(s) = s else { continue };
            // An association to a table not known, or one that may not
            // exist: the subnet's routing is undecided.
            let doubt = association_doubt(r, t.is_some(), "RouteTableId", "route table");
            let t = match doubt {
                Some(why) => {
                    let id = RouteTableId(self.net.route_tables.len());
                    self.net.route_tables.push(RouteTable {
                        name: format!("{} (undecided)", r.logical),
                        vpc: self.net.subnets[s.0].vpc,
                        routes: vec![],
                        incomplete: Some(why),
                        origin: origin(r),
                    });
                    id
                }
                None => t.unwrap_or(RouteTableId(0)),
            };
            self.net.subnets[s.0].route_table = Some(t);
            self.net.subnets[s.0].rt_origin = Some(origin(r));
        }
    }

    fn acls(&mut self) {
        for r in self.of_type("AWS::EC2::NetworkAcl") {
            let id = AclId(self.net.acls.len());
            self.net.acls.push(NetworkAcl {
                name: r.logical.clone(),
                vpc: self.vpc_ref(r.prop("VpcId")),
                entries: Vec::new(),
                origin: origin(r),
            });
            self.acl_of.insert(r.rref(), id);
        }
        for r in self.of_type("AWS::EC2::NetworkAclEntry") {
            let Some(acl) = self.resolve(r.prop("NetworkAclId"), &self.acl_of) else {
                continue;
            };
            if r.prop("Ipv6CidrBlock").is_some() && r.prop("CidrBlock").is_none() {
                continue; // an IPv6 entry never matches IPv4 packets
            }
            // Every field must be known; an unknown one makes the entry (and
            // so the ACL from its position on) undecided, never "match all".
            let mut unknown: Vec<String> = Vec::new();
            let mut known = |key: &str, dflt: Option<&str>| -> Option<String> {
                match r.prop(key).map(|v| &v.kind) {
                    Some(VKind::Str(s)) => Some(s.clone()),
                    None => dflt.map(str::to_string),
                    Some(_) => {
                        unknown.push(format!("{key} of network ACL entry {}", r.logical));
                        None
                    }
                }
            };
            let num = known("RuleNumber", None).and_then(|s| s.parse::<u32>().ok());
            let proto = known("Protocol", Some("-1")).and_then(|p| Proto::parse(&p));
            let cidr = known("CidrBlock", Some("0.0.0.0/0")).and_then(|c| c.parse::<Cidr>().ok());
            let action = known("RuleAction", None);
            // `Egress` as CloudFormation reads a boolean (absent: false);
            // anything else leaves the direction undecided.
            let egress = match r.prop("Egress") {
                None => Some(false),
                Some(v) => match v.as_bool() {
                    Some(Ok(b)) => Some(b),
                    Some(Err(_)) => {
                        unknown.push(format!(
                            "Egress of network ACL entry {} (not a boolean)",
                            r.logical
                        ));
                        None
                    }
                    None => {
                        unknown.push(format!("Egress of network ACL entry {}", r.logical));
                        None
                    }
                },
            };
            let ports = match r.prop("PortRange") {
                Some(pr) => {
                    let f = pr
                        .get("From")
                        .and_then(Value::as_str)
                        .and_then(|s| s.parse::<u16>().ok());
                    let t = pr
                        .get("To")
                        .and_then(Value::as_str)
                        .and_then(|s| s.parse::<u16>().ok());
                    match (f, t) {
                        (Some(a), Some(b)) => Some((a, b)),
                        _ => {
                            unknown.push(format!("PortRange of network ACL entry {}", r.logical));
                            None
                        }
                    }
                }
                None => Some((0, 65535)),
            };
            if let Some(c) = &r.undecided {
                unknown.push(format!("whether {} exists ({c})", r.logical));
            }
            let unknown = (!unknown.is_empty())
                .then(|| Missing::other(unknown.join(", ")).with_origin(origin(r)));
            let directions: Vec<bool> = match egress {
                Some(e) => vec![e],
                None => vec![false, true],
            };
            for egress in directions {
                self.net.acls[acl.0].entries.push(AclEntry {
                    number: num.unwrap_or(0),
                    egress,
                    proto: proto.unwrap_or(Proto::All),
                    ports: ports.unwrap_or((0, 65535)),
                    cidr: cidr.unwrap_or(Cidr::ANY),
                    action: if action.as_deref() == Some("allow") {
                        Action::Allow
                    } else {
                        Action::Deny
                    },
                    origin: origin(r),
                    unknown: unknown.clone(),
                });
            }
        }
        for acl in &mut self.net.acls {
            acl.entries.sort_by_key(|e| (e.egress, e.number));
        }
        for r in self.of_type("AWS::EC2::SubnetNetworkAclAssociation") {
            let s = self.resolve(r.prop("SubnetId"), &self.subnet_of);
            let a = self.resolve(r.prop("NetworkAclId"), &self.acl_of);
            let Some(s) = s else { continue };
            let doubt = association_doubt(r, a.is_some(), "NetworkAclId", "network ACL");
            let a = match doubt {
                Some(why) => {
                    // an ACL whose every decision is undecided
                    let undecided = |egress| {
                        AclEntry::everything(egress, Action::Deny, origin(r), Some(why.clone()))
                    };
                    let id = AclId(self.net.acls.len());
                    self.net.acls.push(NetworkAcl {
                        name: format!("{} (undecided)", r.logical),
                        vpc: self.net.subnets[s.0].vpc,
                        entries: vec![undecided(false), undecided(true)],
                        origin: origin(r),
                    });
                    id
                }
                None => a.unwrap_or(AclId(0)),
            };
            self.net.subnets[s.0].acl = Some(a);
        }
    }

    fn sg_peer(&self, v: &Value) -> Peer {
        if let Some(s) = self.resolve(Some(v), &self.sg_of) {
            return Peer::Sg(s);
        }
        match &v.kind {
            VKind::Unknown(w) => Peer::Unknown(w.clone()),
            VKind::Str(s) => Peer::Unknown(
                Missing::new(
                    Fact::OpaqueSecurityGroup(s.clone()),
                    format!("security group {s} (not in the workspace)"),
                )
                .with_origin(Origin::file(v.span)),
            ),
            _ => Peer::Unknown(
                Missing::other(format!("security group {}", v.describe()))
                    .with_origin(Origin::file(v.span)),
            ),
        }
    }

    /// One rule; None for an IPv6-only rule (it never matches IPv4).
    fn rule(&self, v: &Value, egress: bool, owner: &Resource) -> Option<SgRule> {
        let o = vorigin(v, owner);
        let ipv4_peer = [
            "CidrIp",
            "SourceSecurityGroupId",
            "DestinationSecurityGroupId",
            "SourcePrefixListId",
            "DestinationPrefixListId",
            "SourceSecurityGroupName",
        ];
        if v.get("CidrIpv6").is_some() && !ipv4_peer.iter().any(|k| v.get(k).is_some()) {
            return None;
        }
        // A protocol or port unknown offline makes the whole rule undecided.
        let mut fields_unknown: Vec<String> = Vec::new();
        for k in ["IpProtocol", "FromPort", "ToPort"] {
            if let Some(x) = v.get(k) {
                if x.as_str().is_none() {
                    fields_unknown.push(format!("{k} {}", x.describe()));
                }
            }
        }
        let proto_s = v.get("IpProtocol").and_then(Value::as_str).unwrap_or("-1");
        let proto = Proto::parse(proto_s).unwrap_or(Proto::All);
        let port = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<i64>().ok())
        };
        let ports = match (proto, port("FromPort"), port("ToPort")) {
            (Proto::All, _, _) => (0, 65535),
            (_, Some(a), Some(b)) if a < 0 || b < 0 => (0, 65535),
            (_, Some(a), Some(b)) => (a.clamp(0, 65535) as u16, b.clamp(0, 65535) as u16),
            (_, Some(a), None) => (a.clamp(0, 65535) as u16, a.clamp(0, 65535) as u16),
            _ => (0, 65535),
        };
        let (cidr_k, sg_k) = if egress {
            ("CidrIp", "DestinationSecurityGroupId")
        } else {
            ("CidrIp", "SourceSecurityGroupId")
        };
        let peer = if let Some(c) = v.get(cidr_k) {
            match c.as_str().and_then(|s| s.parse().ok()) {
                Some(c) => Peer::Cidr(c),
                None => Peer::Unknown(Missing::other(format!("CIDR {}", c.describe()))),
            }
        } else if let Some(g) = v.get(sg_k) {
            self.sg_peer(g)
        } else if let Some(p) = v.get(if egress {
            "DestinationPrefixListId"
        } else {
            "SourcePrefixListId"
        }) {
            Peer::Unknown(Missing::other(format!("prefix list {}", p.describe())))
        } else {
            Peer::Unknown(Missing::other("a rule without a peer"))
        };
        let peer = if fields_unknown.is_empty() {
            peer
        } else {
            Peer::Unknown(Missing::other(fields_unknown.join(", ")))
        };
        let ports = if fields_unknown.is_empty() {
            ports
        } else {
            (0, 65535)
        };
        let proto = if fields_unknown.is_empty() {
            proto
        } else {
            Proto::All
        };
        let port_txt = if proto == Proto::All {
            "all ports".to_string()
        } else if ports.0 == ports.1 {
            format!("port {}", ports.0)
        } else {
            format!("ports {}-{}", ports.0, ports.1)
        };
        let peer_txt = match &peer {
            Peer::Cidr(c) => c.to_string(),
            Peer::Sg(s) => self.net.sgs[s.0].name.clone(),
            Peer::Unknown(w) => format!("<{w}>"),
        };
        let unknown_origin = match &peer {
            Peer::Unknown(_) => [
                v.get(cidr_k),
                v.get(sg_k),
                v.get("IpProtocol"),
                v.get("FromPort"),
                v.get("ToPort"),
            ]
            .into_iter()
            .flatten()
            .find_map(|x| x.span)
            .map(|span| Origin::file(Some(span))),
            _ => None,
        };
        let text = format!(
            "{} {} {} {}",
            if egress { "egress" } else { "ingress" },
            proto,
            port_txt,
            if egress {
                format!("to {peer_txt}")
            } else {
                format!("from {peer_txt}")
            }
        );
        Some(SgRule {
            proto,
            ports,
            peer,
            origin: o,
            unknown_origin,
            text,
        })
    }

    fn security_groups(&mut self) {
        // first pass: ids, so rules may reference any group
        for r in self.of_type("AWS::EC2::SecurityGroup") {
            let id = SgId(self.net.sgs.len());
            self.net.sgs.push(SecurityGroup {
                name: r.logical.clone(),
                vpc: self.vpc_ref(r.prop("VpcId")),
                ingress: Vec::new(),
                egress: Vec::new(),
                opaque: None,
                origin: origin(r),
            });
            self.sg_of.insert(r.rref(), id);
        }
        for r in self.of_type("AWS::EC2::SecurityGroup") {
            let id = self.sg_of[&r.rref()];
            // A rule list unknown offline (e.g. `!If` on an undecided
            // condition) is one undecided rule, never "no rules".
            let undecided = |v: &Value, dir: &str| SgRule {
                proto: Proto::All,
                ports: (0, 65535),
                peer: Peer::Unknown(
                    Missing::other(format!(
                        "the {dir} rules of {} ({})",
                        r.logical,
                        v.describe()
                    ))
                    .with_origin(vorigin(v, r)),
                ),
                origin: vorigin(v, r),
                unknown_origin: None,
                text: format!("{dir} rules unknown offline"),
            };
            let rules = |v: Option<&Value>, egress: bool| -> Vec<SgRule> {
                match v {
                    None => vec![],
                    Some(l) => match l.as_list() {
                        Some(items) => items
                            .iter()
                            .filter_map(|x| self.rule(x, egress, r))
                            .collect(),
                        None => vec![undecided(l, if egress { "egress" } else { "ingress" })],
                    },
                }
            };
            let ingress: Vec<SgRule> = rules(r.prop("SecurityGroupIngress"), false);
            // An empty egress list specifies no rule: AWS keeps the default.
            let egress_given = r
                .prop("SecurityGroupEgress")
                .filter(|l| l.as_list().is_none_or(|items| !items.is_empty()));
            let egress: Vec<SgRule> = match egress_given {
                Some(l) => rules(Some(l), true),
                None => vec![SgRule {
                    proto: Proto::All,
                    ports: (0, 65535),
                    peer: Peer::Cidr(Cidr::ANY),
                    origin: origin(r).because("a security group without SecurityGroupEgress keeps the default rule allowing all outbound traffic"),
                    unknown_origin: None,
                    text: "egress all to 0.0.0.0/0 (default rule)".into(),
                }],
            };
            self.net.sgs[id.0].ingress.extend(ingress);
            self.net.sgs[id.0].egress.extend(egress);
        }
        for (t, egress) in [
            ("AWS::EC2::SecurityGroupIngress", false),
            ("AWS::EC2::SecurityGroupEgress", true),
        ] {
            for r in self.of_type(t) {
                let Some(g) = self.resolve(r.prop("GroupId"), &self.sg_of) else {
                    continue;
                };
                let Some(rule) = self.rule(&r.props, egress, r) else {
                    continue;
                };
                let mut rule = SgRule {
                    origin: origin(r),
                    ..rule
                };
                if let Some(c) = &r.undecided {
                    // the rule may or may not exist
                    rule.peer = Peer::Unknown(
                        c.reworded(|c| format!("whether {} exists ({c})", r.logical)),
                    );
                    rule.unknown_origin = Some(origin(r));
                }
                if egress {
                    // A standalone egress rule on a group with the default
                    // rule replaces nothing in CloudFormation; keep both.
                    self.net.sgs[g.0].egress.push(rule);
                } else {
                    self.net.sgs[g.0].ingress.push(rule);
                }
            }
        }
    }

    fn sg_list(&self, v: Option<&Value>) -> (Vec<SgId>, Vec<Missing>) {
        let mut ids = Vec::new();
        let mut unknown = Vec::new();
        let items: Vec<&Value> = match v.map(|v| &v.kind) {
            Some(VKind::List(l)) | Some(VKind::Joined(_, l)) => l.iter().collect(),
            Some(_) => v.into_iter().collect(),
            None => vec![],
        };
        for it in items {
            match self.sg_peer(it) {
                Peer::Sg(s) => ids.push(s),
                Peer::Unknown(w) => unknown.push(w),
                Peer::Cidr(_) => {}
            }
        }
        (ids, unknown)
    }

    /// Aurora clusters, and RDS DB instances that are no member of a
    /// cluster (a member is its cluster's, not a second target).
    fn databases(&mut self) {
        for r in self.of_type("AWS::RDS::DBCluster") {
            let members: Vec<&Resource> = self
                .of_type("AWS::RDS::DBInstance")
                .filter(|i| {
                    i.prop("DBClusterIdentifier").and_then(|v| v.resource()) == Some(&r.rref())
                })
                .collect();
            let db = self.database(r, "VpcSecurityGroupIds", &members);
            self.net.databases.push(db);
        }
        for r in self.of_type("AWS::RDS::DBInstance") {
            if r.prop("DBClusterIdentifier").is_some() {
                continue;
            }
            let db = self.database(r, "VPCSecurityGroups", &[r]);
            self.net.databases.push(db);
        }
    }

    /// ElastiCache: replication groups (but one built on an existing
    /// cluster, which is that cluster), cache clusters and serverless caches, each a data store with its engine's
    /// port (Redis and Valkey 6379, Memcached 11211) unless `Port` says
    /// otherwise. A cache naming no security group has the VPC's default
    /// group, whose rules are not in the files.
    fn caches(&mut self) {
        let kinds: [(&str, &str, Option<&str>); 3] = [
            (
                "AWS::ElastiCache::ReplicationGroup",
                "SecurityGroupIds",
                Some("redis"),
            ),
            (
                "AWS::ElastiCache::CacheCluster",
                "VpcSecurityGroupIds",
                None,
            ),
            (
                "AWS::ElastiCache::ServerlessCache",
                "SecurityGroupIds",
                None,
            ),
        ];
        for (rtype, sg_key, default_engine) in kinds {
            // a replication group built on an existing cluster
            // (`PrimaryClusterId`) is that cluster's network, modelled once
            let found: Vec<Database> = self
                .of_type(rtype)
                .filter(|r| r.prop("PrimaryClusterId").is_none())
                .map(|r| self.cache(r, sg_key, default_engine))
                .collect();
            self.net.databases.extend(found);
        }
    }

    fn cache(&self, r: &Resource, sg_key: &str, default_engine: Option<&str>) -> Database {
        let engine = engine_of(r, default_engine).map(|e| e.to_ascii_lowercase());
        let (port, port_origin, port_unknown) = data_store_port(r, engine.as_deref());
        let (sgs, mut unknown_sgs) = self.sg_list(r.prop(sg_key));
        if r.prop(sg_key).is_none() {
            unknown_sgs.push(default_sg(r));
        }
        let home = self.sgs_vpc(&sgs, &unknown_sgs);
        let subnets = match (r.prop("SubnetIds"), r.prop("CacheSubnetGroupName")) {
            (Some(ids), _) => self.subnet_set(Some(ids), "cache subnets", home, r),
            (None, Some(g)) => match self.target(g) {
                Some(g) => self.subnet_set(g.prop("SubnetIds"), "cache subnet group", home, g),
                None => SubnetSet::Unknown {
                    what: Missing::other(format!("the cache subnet group of {}", r.logical))
                        .with_origin(vorigin(g, r)),
                    within: None,
                },
            },
            // no subnet group: the default VPC's subnets
            (None, None) => SubnetSet::Unknown {
                what: Missing::other(format!(
                    "the subnets of {} (it names no subnet group, so the default VPC's)",
                    r.logical
                ))
                .with_origin(origin(r)),
                within: None,
            },
        };
        Database {
            name: r.logical.clone(),
            owner: owner_of(&r.stack),
            engine: engine.unwrap_or_default(),
            port,
            port_origin,
            port_unknown,
            subnets,
            sgs,
            unknown_sgs,
            serverless_v1: false,
            publicly_accessible: false,
            publicly_accessible_surely: false,
            writer_az: None,
            origin: origin(r),
        }
    }

    /// A cluster or a standalone instance; `instances` decide public
    /// accessibility and the pinned AZ.
    fn database(&self, r: &Resource, sg_key: &str, instances: &[&Resource]) -> Database {
        let engine = r
            .prop("Engine")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let (port, port_origin, port_unknown) = data_store_port(r, engine_of(r, None).as_deref());
        let (sgs, unknown_sgs) = self.sg_list(r.prop(sg_key));
        let home = self.sgs_vpc(&sgs, &unknown_sgs);
        let subnets = match r.prop("DBSubnetGroupName").and_then(|v| self.target(v)) {
            Some(g) => self.subnet_set(g.prop("SubnetIds"), "DB subnet group", home, g),
            None => SubnetSet::Unknown {
                what: Missing::other(format!("DB subnet group of {}", r.logical))
                    .with_origin(origin(r)),
                within: None,
            },
        };
        Database {
            name: r.logical.clone(),
            owner: owner_of(&r.stack),
            engine,
            port,
            port_origin,
            port_unknown,
            subnets,
            sgs,
            unknown_sgs,
            serverless_v1: r.prop("EngineMode").and_then(Value::as_str) == Some("serverless"),
            publicly_accessible: instances.iter().any(|i| {
                match i.prop("PubliclyAccessible").map(Value::as_bool) {
                    Some(Some(Ok(b))) => b,
                    // unknown offline, or no boolean: it may be
                    Some(_) => true,
                    None => false,
                }
            }),
            publicly_accessible_surely: instances.iter().any(|i| {
                matches!(
                    i.prop("PubliclyAccessible").and_then(Value::as_bool),
                    Some(Ok(true))
                )
            }),
            writer_az: instances.iter().find_map(|i| {
                match i.prop("AvailabilityZone").map(|v| &v.kind) {
                    Some(VKind::Az(n)) => Some(Az::Index(*n)),
                    Some(VKind::Str(s)) => Some(Az::Name(s.clone())),
                    _ => None,
                }
            }),
            origin: origin(r),
        }
    }

    fn endpoints(&mut self) {
        for r in self.of_type("AWS::EC2::VPCEndpoint") {
            // CloudFormation's default type is Gateway.
            match r.prop("VpcEndpointType").map(|v| &v.kind) {
                Some(VKind::Str(t)) if t == "Interface" => {}
                None => {
                    self.gateway_endpoint(r);
                    continue;
                }
                Some(VKind::Str(t)) if t == "Gateway" => {
                    self.gateway_endpoint(r);
                    continue;
                }
                _ => continue,
            }
            // The service is the part of the name after the region, known
            // even when the region is not.
            let service = match r.prop("ServiceName").map(|v| &v.kind) {
                Some(VKind::Str(s)) | Some(VKind::Pattern(s)) => {
                    Some(AwsService::from_endpoint_service(s))
                }
                _ => None,
            };
            let (sgs, mut unknown_sgs) = self.sg_list(r.prop("SecurityGroupIds"));
            if r.prop("SecurityGroupIds").is_none() {
                unknown_sgs.push(default_sg(r));
            }
            let private_dns = match (r.prop("PrivateDnsEnabled"), &r.undecided) {
                (_, Some(_)) => None, // it may not exist at all
                (None, _) => Some(false),
                (Some(v), _) => match v.as_bool() {
                    Some(Ok(b)) => Some(b),
                    _ => None, // unknown offline, or no boolean
                },
            };
            let home = self.sgs_vpc(&sgs, &unknown_sgs);
            let subnets = self.subnet_set(r.prop("SubnetIds"), "endpoint subnets", home, r);
            // Its VPC: as written, else that of its subnets or groups.
            let vpc = self
                .vpc_ref(r.prop("VpcId"))
                .or_else(|| match &subnets {
                    SubnetSet::Known(l) => l.first().and_then(|s| self.net.subnets[s.0].vpc),
                    SubnetSet::Unknown { .. } => None,
                })
                .or(home);
            self.net.endpoints.push(Endpoint {
                name: r.logical.clone(),
                service,
                vpc,
                subnets,
                sgs,
                unknown_sgs,
                private_dns,
                private_dns_origin: r
                    .prop("PrivateDnsEnabled")
                    .map_or_else(|| origin(r), |v| vorigin(v, r)),
                origin: origin(r),
            });
        }
    }

    /// EFS file systems and their mount targets (one per subnet).
    fn file_systems(&mut self) {
        for r in self.of_type("AWS::EFS::FileSystem") {
            let mut subnets = Vec::new();
            let mut sgs: Vec<SgId> = Vec::new();
            let mut unknown_sgs = Vec::new();
            let mut unknown_subnet = None;
            for m in self
                .of_type("AWS::EFS::MountTarget")
                .filter(|m| m.prop("FileSystemId").and_then(|v| v.resource()) == Some(&r.rref()))
            {
                match self.resolve(m.prop("SubnetId"), &self.subnet_of) {
                    Some(sub) => subnets.push(sub),
                    None => {
                        unknown_subnet.get_or_insert_with(|| {
                            Missing::other(format!("the subnet of mount target {}", m.logical))
                                .with_origin(origin(m))
                        });
                    }
                }
                let (g, u) = self.sg_list(m.prop("SecurityGroups"));
                for x in g {
                    if !sgs.contains(&x) {
                        sgs.push(x);
                    }
                }
                unknown_sgs.extend(u);
            }
            let subnets = match unknown_subnet {
                Some(what) => SubnetSet::Unknown { what, within: None },
                None => SubnetSet::Known(subnets),
            };
            self.net.file_systems.push(FileSystem {
                name: r.logical.clone(),
                subnets,
                sgs,
                unknown_sgs,
                origin: origin(r),
            });
        }
    }

    /// Elastic Load Balancing v2 load balancers: where their nodes sit.
    fn load_balancers(&mut self) {
        for r in self.of_type("AWS::ElasticLoadBalancingV2::LoadBalancer") {
            let (sgs, mut unknown) = self.sg_list(r.prop("SecurityGroups"));
            let subnets = self.subnet_set(
                r.prop("Subnets"),
                "load balancer subnets",
                self.sgs_vpc(&sgs, &unknown),
                r,
            );
            // the default type is application; an unknown type is not network
            let network = r.prop("Type").and_then(Value::as_str) == Some("network");
            // an application load balancer naming no group has the VPC's
            // default one; a network load balancer has none
            if r.prop("SecurityGroups").is_none() && !network {
                unknown.push(default_sg(r));
            }
            // the default scheme is internet-facing
            let (internet_facing, scheme_unknown) = match r.prop("Scheme") {
                None => (true, None),
                Some(v) => match v.as_str() {
                    Some(s) => (s == "internet-facing", None),
                    None => (
                        false,
                        Some(
                            Missing::other(format!(
                                "whether load balancer {} is internet-facing (its Scheme is {})",
                                r.logical,
                                v.describe()
                            ))
                            .with_origin(vorigin(v, r)),
                        ),
                    ),
                },
            };
            let listeners = self.listeners_of(r);
            self.net.load_balancers.push(LoadBalancer {
                name: r.logical.clone(),
                internet_facing,
                scheme_unknown,
                subnets,
                sgs,
                unknown_sgs: unknown,
                network,
                listeners,
                owner: owner_of(&r.stack),
                origin: origin(r),
            });
        }
    }

    /// The listeners (`AWS::ElasticLoadBalancingV2::Listener`) of load
    /// balancer `lb`: a listener whose port is unknown offline is left out.
    fn listeners_of(&self, lb: &Resource) -> Vec<Listener> {
        let mut out = Vec::new();
        for l in self.of_type("AWS::ElasticLoadBalancingV2::Listener") {
            let on = l.prop("LoadBalancerArn").and_then(|v| self.target(v));
            if on.is_none_or(|x| x.rref() != lb.rref()) {
                continue;
            }
            let Some(port) = l.prop("Port").and_then(port_of) else {
                continue;
            };
            out.push(Listener {
                port,
                protocol: l
                    .prop("Protocol")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                origin: l.prop("Port").map_or_else(|| origin(l), |v| vorigin(v, l)),
            });
        }
        out.sort_by_key(|l| l.port);
        out.dedup_by_key(|l| l.port);
        out
    }

    /// The load balancers an ECS service's tasks are registered with: each
    /// `LoadBalancers` item names a target group, and a listener forwards to
    /// it (its default action, or a listener rule's). A target group no
    /// listener of the network forwards to adds nothing.
    fn lb_targets(&self, service: &Resource) -> Vec<LbTarget> {
        let lbs: Vec<ResRef> = self
            .of_type("AWS::ElasticLoadBalancingV2::LoadBalancer")
            .map(Resource::rref)
            .collect();
        let mut out: Vec<LbTarget> = Vec::new();
        let items = service
            .prop("LoadBalancers")
            .and_then(Value::as_list)
            .unwrap_or(&[]);
        for item in items {
            let Some(tg) = item.get("TargetGroupArn").and_then(|v| self.target(v)) else {
                continue;
            };
            let port_value = item.get("ContainerPort").or_else(|| tg.prop("Port"));
            let Some(port) = port_value.and_then(port_of) else {
                continue;
            };
            let port_origin = port_value.map_or_else(|| origin(service), |v| vorigin(v, service));
            let health_check = tg.prop("HealthCheckPort").and_then(|v| {
                let p = port_of(v)?;
                (p != port).then(|| (p, vorigin(v, tg)))
            });
            for lb in self.forwarders(tg) {
                let Some(i) = lbs.iter().position(|x| *x == lb) else {
                    continue;
                };
                if !out.iter().any(|t| t.lb == i && t.port == port) {
                    out.push(LbTarget {
                        lb: i,
                        port,
                        origin: port_origin.clone(),
                        health_check: health_check.clone(),
                    });
                }
            }
        }
        out
    }

    /// The load balancers whose listeners forward to target group `tg`.
    fn forwarders(&self, tg: &Resource) -> Vec<ResRef> {
        let forwards = |actions: Option<&Value>| {
            actions
                .and_then(Value::as_list)
                .unwrap_or(&[])
                .iter()
                .any(|a| {
                    let direct = a.get("TargetGroupArn");
                    let weighted = a
                        .get("ForwardConfig")
                        .and_then(|f| f.get("TargetGroups"))
                        .and_then(Value::as_list)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|t| t.get("TargetGroupArn"));
                    direct
                        .into_iter()
                        .chain(weighted)
                        .any(|v| self.target(v).is_some_and(|t| t.rref() == tg.rref()))
                })
        };
        let mut listeners: Vec<&Resource> = self
            .of_type("AWS::ElasticLoadBalancingV2::Listener")
            .filter(|l| forwards(l.prop("DefaultActions")))
            .collect();
        for rule in self.of_type("AWS::ElasticLoadBalancingV2::ListenerRule") {
            if forwards(rule.prop("Actions")) {
                listeners.extend(rule.prop("ListenerArn").and_then(|v| self.target(v)));
            }
        }
        let mut out: Vec<ResRef> = listeners
            .iter()
            .filter_map(|l| l.prop("LoadBalancerArn").and_then(|v| self.target(v)))
            .map(Resource::rref)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// A gateway endpoint (S3, DynamoDB): the route tables it adds its
    /// prefix-list route to.
    fn gateway_endpoint(&mut self, r: &Resource) {
        let service = match r.prop("ServiceName").map(|v| &v.kind) {
            Some(VKind::Str(s)) | Some(VKind::Pattern(s)) => {
                Some(AwsService::from_endpoint_service(s))
            }
            _ => None,
        };
        let mut route_tables = Vec::new();
        let mut unknown = r.undecided.clone();
        let items: Vec<&Value> = match r.prop("RouteTableIds").map(|v| &v.kind) {
            Some(VKind::List(l)) => l.iter().collect(),
            Some(VKind::Joined(_, l)) => l.iter().collect(),
            Some(_) => r.prop("RouteTableIds").into_iter().collect(),
            None => vec![],
        };
        for it in items {
            match self.resolve(Some(it), &self.rt_of) {
                Some(t) => route_tables.push(t),
                None => {
                    unknown.get_or_insert_with(|| {
                        Missing::other(format!(
                            "route table {} of gateway endpoint {}",
                            it.describe(),
                            r.logical
                        ))
                        .with_origin(vorigin(it, r))
                    });
                }
            }
        }
        let vpc = self.vpc_ref(r.prop("VpcId"));
        self.net.gateway_endpoints.push(GatewayEndpoint {
            name: r.logical.clone(),
            service,
            vpc,
            route_tables,
            unknown_tables: unknown,
            origin: origin(r),
        });
    }

    /// App Runner services: the VPC connector's ENIs, or App Runner's
    /// managed egress.
    fn workloads(&mut self) {
        for r in self.of_type("AWS::AppRunner::Service") {
            let eg = r
                .prop("NetworkConfiguration")
                .and_then(|n| n.get("EgressConfiguration"));
            let etype = eg
                .and_then(|e| e.get("EgressType"))
                .and_then(Value::as_str)
                .unwrap_or("DEFAULT");
            let egress = if etype == "VPC" {
                let conn = eg
                    .and_then(|e| e.get("VpcConnectorArn"))
                    .and_then(|v| match &v.kind {
                        VKind::Attr(rr, _) | VKind::Res(rr) => {
                            self.index.get(rr).map(|i| &self.resources[*i])
                        }
                        _ => None,
                    });
                Egress::Enis(match conn {
                    Some(c) => {
                        let (sgs, mut unknown_sgs) = self.sg_list(c.prop("SecurityGroups"));
                        if c.prop("SecurityGroups").is_none() {
                            unknown_sgs.push(default_sg(c));
                        }
                        Enis {
                            component: Component::VpcConnector,
                            name: c.logical.clone(),
                            subnets: self.subnet_set(
                                c.prop("Subnets"),
                                "VPC connector subnets",
                                self.sgs_vpc(&sgs, &unknown_sgs),
                                c,
                            ),
                            sgs,
                            unknown_sgs,
                            public_ip: false,
                            client: ClientKind::AppRunnerConnector,
                            origin: origin(c),
                        }
                    }
                    None => Enis {
                        component: Component::VpcConnector,
                        name: "VpcConnector".into(),
                        subnets: SubnetSet::Unknown {
                            what: Missing::other("the VPC connector").with_origin(origin(r)),
                            within: None,
                        },
                        sgs: vec![],
                        unknown_sgs: vec![Missing::other("the VPC connector's security groups")
                            .with_origin(origin(r))],
                        public_ip: false,
                        client: ClientKind::AppRunnerConnector,
                        origin: origin(r),
                    },
                })
            } else {
                Egress::Managed(app_runner_managed_egress(
                    eg.map(|e| vorigin(e, r)).unwrap_or_else(|| origin(r)),
                ))
            };
            let name = r
                .prop("ServiceName")
                .and_then(Value::as_str)
                .unwrap_or(&r.logical)
                .to_string();
            self.net.workloads.push(Workload {
                name,
                kind: WorkloadKind::AppRunner,
                egress,
                fallback: None,
                api_uses: Vec::new(),
                needs_internet: None,
                db_refs: Vec::new(),
                fs_uses: Vec::new(),
                lb_targets: Vec::new(),
                peer_uses: Vec::new(),
                origin: origin(r),
            });
        }
        self.ecs_workloads();
    }

    /// ECS services (`AWS::ECS::Service`) and tasks an EventBridge rule
    /// runs (`AWS::Events::Rule` with `EcsParameters`): awsvpc ENIs.
    fn ecs_workloads(&mut self) {
        for r in self.of_type("AWS::ECS::Service") {
            let cfg = r
                .prop("NetworkConfiguration")
                .and_then(|n| n.get("AwsvpcConfiguration"));
            let task = r.prop("TaskDefinition");
            let name = r
                .prop("ServiceName")
                .and_then(Value::as_str)
                .unwrap_or(&r.logical)
                .to_string();
            let mut w = self.ecs_workload(r, name, cfg, task, WorkloadKind::EcsService);
            w.lb_targets = self.lb_targets(r);
            self.net.workloads.push(w);
        }
        // Copilot's Scheduled Job: a state machine whose RunTask network
        // configuration comes in through `DefinitionSubstitutions`.
        for r in self.of_type("AWS::StepFunctions::StateMachine") {
            let Some(subs) = r.prop("DefinitionSubstitutions") else {
                continue;
            };
            if subs.get("Subnets").is_none() {
                continue;
            }
            let cfg = Value::map(
                vec![
                    (
                        "Subnets",
                        subs.get("Subnets")
                            .cloned()
                            .unwrap_or_else(|| Value::unknown("Subnets", None)),
                    ),
                    (
                        "SecurityGroups",
                        subs.get("SecurityGroups")
                            .cloned()
                            .unwrap_or_else(|| Value::unknown("SecurityGroups", None)),
                    ),
                    (
                        "AssignPublicIp",
                        subs.get("AssignPublicIp")
                            .cloned()
                            .unwrap_or_else(|| Value::unknown("AssignPublicIp", None)),
                    ),
                ],
                subs.span,
            );
            let name = r
                .prop("StateMachineName")
                .and_then(Value::as_str)
                .unwrap_or(&r.logical)
                .to_string();
            let task = subs.get("TaskDefinition");
            let w = self.ecs_workload(r, name, Some(&cfg), task, WorkloadKind::EcsScheduledTask);
            self.net.workloads.push(w);
        }
        for r in self.of_type("AWS::Events::Rule") {
            for t in r.prop("Targets").and_then(Value::as_list).unwrap_or(&[]) {
                let Some(ecs) = t.get("EcsParameters") else {
                    continue;
                };
                let cfg = ecs
                    .get("NetworkConfiguration")
                    .and_then(|n| n.get("AwsVpcConfiguration"));
                let name = r
                    .prop("Name")
                    .and_then(Value::as_str)
                    .unwrap_or(&r.logical)
                    .to_string();
                let task = ecs.get("TaskDefinitionArn");
                let w = self.ecs_workload(r, name, cfg, task, WorkloadKind::EcsScheduledTask);
                self.net.workloads.push(w);
            }
        }
    }

    fn ecs_workload(
        &self,
        r: &Resource,
        name: String,
        cfg: Option<&Value>,
        task: Option<&Value>,
        kind: WorkloadKind,
    ) -> Workload {
        let sgs_value = cfg.and_then(|c| c.get("SecurityGroups"));
        let (sgs, mut unknown_sgs) = self.sg_list(sgs_value);
        if sgs_value.is_none_or(|l| l.as_list().is_some_and(<[Value]>::is_empty)) {
            unknown_sgs.push(default_sg(r));
        }
        let subnets = self.subnet_set(
            cfg.and_then(|c| c.get("Subnets")),
            "task subnets",
            self.sgs_vpc(&sgs, &unknown_sgs),
            r,
        );
        let public_ip = cfg
            .and_then(|c| c.get("AssignPublicIp"))
            .and_then(Value::as_str)
            == Some("ENABLED");
        let windows = task
            .and_then(|t| self.target(t))
            .and_then(|t| t.prop("RuntimePlatform"))
            .and_then(|p| p.get("OperatingSystemFamily"))
            .and_then(Value::as_str)
            .is_some_and(|f| f.starts_with("WINDOWS"));
        Workload {
            name,
            kind,
            egress: Egress::Enis(Enis {
                component: Component::EcsTask,
                name: r.logical.clone(),
                subnets,
                sgs,
                unknown_sgs,
                public_ip,
                client: if windows {
                    ClientKind::FargateWindows
                } else {
                    ClientKind::FargateLinux
                },
                origin: cfg.map(|c| vorigin(c, r)).unwrap_or_else(|| origin(r)),
            }),
            fallback: None,
            api_uses: Vec::new(),
            needs_internet: None,
            db_refs: Vec::new(),
            fs_uses: Vec::new(),
            lb_targets: Vec::new(),
            peer_uses: Vec::new(),
            origin: origin(r),
        }
    }
}

/// App Runner's default egress (`EgressType: DEFAULT`): from App Runner's
/// own network, never inside the user's VPC.
pub fn app_runner_managed_egress(origin: Origin) -> ManagedEgress {
    ManagedEgress {
        provider: "App Runner".into(),
        hop: Component::AppRunnerDefaultEgress,
        owner: Component::AppRunnerService,
        detail: "App Runner's managed egress (EgressType DEFAULT): traffic leaves from App Runner's own network, not from the environment's VPC".into(),
        lacks: "the service has no VPC connector".into(),
        origin,
    }
}

/// Which model element a CloudFormation resource became.
#[derive(Debug, Default)]
pub struct Index {
    /// EFS file systems, by their index in `Network::file_systems`.
    pub file_systems: HashMap<ResRef, usize>,
    pub sgs: HashMap<ResRef, SgId>,
    /// Secrets holding a database's credentials.
    pub db_secrets: HashMap<ResRef, DbId>,
    /// Clusters and instances (a member instance: its cluster).
    pub dbs: HashMap<ResRef, DbId>,
}

/// Every resource a value refers to.
fn collect_refs(v: &Value, out: &mut Vec<ResRef>) {
    match &v.kind {
        VKind::Res(r) | VKind::Attr(r, _) => out.push(r.clone()),
        VKind::List(l) | VKind::Joined(_, l) => l.iter().for_each(|x| collect_refs(x, out)),
        VKind::Map(m) => m.iter().for_each(|(_, x)| collect_refs(x, out)),
        _ => {}
    }
}

/// Why a subnet association is undecided: it may not exist, or what it
/// associates is not known.
fn association_doubt(r: &Resource, found: bool, key: &str, what: &str) -> Option<Missing> {
    match &r.undecided {
        Some(c) => Some(c.reworded(|c| format!("whether {} exists ({c})", r.logical))),
        None if !found => Some(
            Missing::other(format!(
                "the {what} {} associated by {}",
                r.prop(key).map(Value::describe).unwrap_or_default(),
                r.logical
            ))
            .with_origin(origin(r)),
        ),
        None => None,
    }
}

/// The CIDR of a VPC that is not known, or cannot be read.
fn cidr_unknown(vpc: &Resource) -> Missing {
    let shown = vpc
        .prop("CidrBlock")
        .map(Value::describe)
        .unwrap_or_default();
    Missing::other(format!(
        "the CIDR of VPC {} ({shown}), and so its local route",
        vpc.logical
    ))
    .with_origin(
        vpc.prop("CidrBlock")
            .map_or_else(|| origin(vpc), |v| vorigin(v, vpc)),
    )
}

/// A data store's `Engine`, else the kind's default one.
fn engine_of(r: &Resource, default: Option<&str>) -> Option<String> {
    r.prop("Engine")
        .and_then(Value::as_str)
        .or(default)
        .map(str::to_string)
}

/// A data store's port: its `Port` property, else its engine's default;
/// never guessed when either is unknown offline.
fn data_store_port(r: &Resource, engine: Option<&str>) -> (u16, Origin, Option<Missing>) {
    if let Some(p) = r.prop("Port") {
        return match p.as_str().and_then(|s| s.parse::<u16>().ok()) {
            Some(n) => (n, vorigin(p, r), None),
            None => (
                0,
                vorigin(p, r),
                Some(
                    Missing::other(format!("the Port of {} ({})", r.logical, p.describe()))
                        .with_origin(vorigin(p, r)),
                ),
            ),
        };
    }
    match engine.map(|e| (e, super::default_port(e))) {
        Some((e, Some(n))) => (
            n,
            origin(r).because(format!("no Port property: the {e} default")),
            None,
        ),
        known => (
            0,
            origin(r),
            Some(
                Missing::other(match known {
                    Some((e, None)) => format!(
                        "the port of {}: no Port property and no known default for engine {e}",
                        r.logical
                    ),
                    _ => format!("the engine of {} and so its default port", r.logical),
                })
                .with_origin(origin(r)),
            ),
        ),
    }
}

/// A resource that names no security group gets the VPC's default one,
/// whose rules are not in the inputs.
fn default_sg(r: &Resource) -> Missing {
    Missing::new(
        Fact::OpaqueSecurityGroup("default".into()),
        "the VPC's default security group (not in the workspace)",
    )
    .with_origin(origin(r))
}

fn default_acl(name: &str, vpc: VpcId, o: Origin) -> NetworkAcl {
    let origin = o.because("the VPC's default network ACL allows all traffic in both directions");
    NetworkAcl {
        name: name.to_string(),
        vpc: Some(vpc),
        entries: vec![
            AclEntry::everything(false, Action::Allow, origin.clone(), None),
            AclEntry::everything(true, Action::Allow, origin.clone(), None),
        ],
        origin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::Value;
    use crate::model::graph;

    fn stack() -> StackId {
        StackId::Template("s".into())
    }

    fn res(logical: &str, rtype: &str, props: Vec<(&str, Value)>) -> Resource {
        Resource {
            stack: stack(),
            logical: logical.into(),
            rtype: rtype.into(),
            props: Value::map(props, None),
            origin: Origin::default(),
            undecided: None,
        }
    }

    fn r(l: &str) -> Value {
        Value::res(&stack(), l, None)
    }

    fn s(v: &str) -> Value {
        Value::str(v, None)
    }

    #[test]
    fn builds_routing_acls_groups_and_databases() {
        let resources = vec![
            res("V", "AWS::EC2::VPC", vec![("CidrBlock", s("10.1.0.0/16"))]),
            res(
                "A",
                "AWS::EC2::Subnet",
                vec![
                    ("VpcId", r("V")),
                    ("CidrBlock", s("10.1.1.0/24")),
                    ("AvailabilityZone", s("eu-west-1a")),
                ],
            ),
            res(
                "B",
                "AWS::EC2::Subnet",
                vec![("VpcId", r("V")), ("CidrBlock", s("10.1.2.0/24"))],
            ),
            res("T", "AWS::EC2::RouteTable", vec![("VpcId", r("V"))]),
            res(
                "Assoc",
                "AWS::EC2::SubnetRouteTableAssociation",
                vec![("SubnetId", r("A")), ("RouteTableId", r("T"))],
            ),
            res(
                "Pcx",
                "AWS::EC2::Route",
                vec![
                    ("RouteTableId", r("T")),
                    ("DestinationCidrBlock", s("172.16.0.0/12")),
                    ("VpcPeeringConnectionId", s("pcx-1")),
                ],
            ),
            res("Acl", "AWS::EC2::NetworkAcl", vec![("VpcId", r("V"))]),
            res(
                "AclIn",
                "AWS::EC2::NetworkAclEntry",
                vec![
                    ("NetworkAclId", r("Acl")),
                    ("RuleNumber", s("100")),
                    ("Protocol", s("6")),
                    ("RuleAction", s("allow")),
                    ("CidrBlock", s("10.1.0.0/16")),
                    (
                        "PortRange",
                        Value::map(vec![("From", s("5432")), ("To", s("5432"))], None),
                    ),
                ],
            ),
            res(
                "AclAssoc",
                "AWS::EC2::SubnetNetworkAclAssociation",
                vec![("SubnetId", r("B")), ("NetworkAclId", r("Acl"))],
            ),
            res(
                "G1",
                "AWS::EC2::SecurityGroup",
                vec![
                    ("VpcId", r("V")),
                    (
                        "SecurityGroupEgress",
                        Value::list(
                            vec![Value::map(
                                vec![
                                    ("IpProtocol", s("tcp")),
                                    ("FromPort", s("443")),
                                    ("ToPort", s("443")),
                                    ("CidrIp", s("0.0.0.0/0")),
                                ],
                                None,
                            )],
                            None,
                        ),
                    ),
                ],
            ),
            res("G2", "AWS::EC2::SecurityGroup", vec![("VpcId", r("V"))]),
            res(
                "In",
                "AWS::EC2::SecurityGroupIngress",
                vec![
                    ("GroupId", r("G2")),
                    ("IpProtocol", s("tcp")),
                    ("FromPort", s("3306")),
                    ("ToPort", s("3306")),
                    ("SourceSecurityGroupId", r("G1")),
                ],
            ),
            res(
                "Ext",
                "AWS::EC2::SecurityGroupIngress",
                vec![
                    ("GroupId", r("G2")),
                    ("IpProtocol", s("tcp")),
                    ("FromPort", s("3306")),
                    ("ToPort", s("3306")),
                    ("SourceSecurityGroupId", s("sg-0abc")),
                ],
            ),
            res(
                "Grp",
                "AWS::RDS::DBSubnetGroup",
                vec![("SubnetIds", Value::list(vec![r("A"), r("B")], None))],
            ),
            res(
                "Db",
                "AWS::RDS::DBCluster",
                vec![
                    ("Engine", s("aurora-mysql")),
                    ("DBSubnetGroupName", r("Grp")),
                    ("VpcSecurityGroupIds", Value::list(vec![r("G2")], None)),
                ],
            ),
        ];
        let n = Builder::new(&resources).build();
        assert_eq!(n.vpcs.len(), 1);
        let a = SubnetId(0);
        let b = SubnetId(1);
        assert_eq!(n.subnet(a).az, Az::Name("eu-west-1a".into()));
        assert_eq!(n.subnet(b).az, Az::Unknown);
        // A uses T (local + peering), B the main table (local only)
        let (ta, main_a) = n.route_table_of(a).unwrap();
        assert!(!main_a);
        assert_eq!(n.rt(ta).routes.len(), 2);
        assert!(matches!(&n.rt(ta).routes[1].target, RouteTarget::Other(w) if w.contains("pcx-1")));
        let (tb, main_b) = n.route_table_of(b).unwrap();
        assert!(main_b);
        assert_eq!(n.rt(tb).routes.len(), 1);
        // ACLs: B has the custom one, A the VPC default
        assert_eq!(n.acl(n.acl_of(b).unwrap()).name, "Acl");
        assert_eq!(n.acl_of(a), Some(n.vpcs[0].default_acl));
        // groups: explicit egress replaces the default; standalone ingress
        let g1 = &n.sgs[0];
        assert_eq!(g1.egress.len(), 1);
        assert_eq!(g1.egress[0].ports, (443, 443));
        let g2 = &n.sgs[1];
        assert_eq!(g2.egress.len(), 1, "default allow-all egress");
        assert_eq!(g2.ingress.len(), 2);
        assert_eq!(g2.ingress[0].peer, Peer::Sg(SgId(0)));
        assert!(matches!(&g2.ingress[1].peer, Peer::Unknown(w) if w.text.contains("sg-0abc")));
        // the database: engine default port, ENIs over its group's subnets
        let db = &n.databases[0];
        assert_eq!(db.port, 3306);
        assert_eq!(db.subnets, SubnetSet::Known(vec![a, b]));
        assert_eq!(db.sgs, vec![SgId(1)]);
        // the resource graph sees the same structure
        let g = graph::ResourceGraph::build(&n);
        use graph::{Element, Relation};
        assert_eq!(
            g.targets(Element::Subnet(a), Relation::UsesRouteTable),
            vec![Element::RouteTable(ta)]
        );
        assert_eq!(
            g.targets(Element::Sg(SgId(1)), Relation::AdmitsFrom),
            vec![Element::Sg(SgId(0))]
        );
        let mut occ = g.occupants(b);
        occ.sort_by_key(|e| format!("{e:?}"));
        assert_eq!(occ, vec![Element::Database(0)]);
    }
}

#[cfg(test)]
mod boolean_tests {
    use super::*;
    use crate::load::yaml::{parse, Limits};

    fn build(yaml: &str) -> Network {
        let doc = parse(yaml, crate::base::source::FileId(0), Limits::default()).expect("yaml");
        let mut diags = Vec::new();
        let (resources, _) = crate::cfn::evaluate_template(
            &crate::cfn::Template { doc: &doc },
            crate::cfn::EvalInput::alone(
                &StackId::Template("t".into()),
                &crate::cfn::Exports::new(),
            ),
            &mut diags,
        );
        Builder::new(&resources).build()
    }

    /// A service's target groups reach load balancers through a listener
    /// rule's forward action and a listener's default action (weighted
    /// too); a target group no listener forwards to adds nothing; the
    /// health-check port is kept where it differs (`traffic-port`: none).
    #[test]
    fn a_service_is_a_target_of_the_load_balancers_whose_listeners_forward_to_it() {
        let n = build(
            "Resources:
  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref V, CidrBlock: 10.0.1.0/24}}
  G: {Type: AWS::EC2::SecurityGroup, Properties: {VpcId: !Ref V, GroupDescription: g}}
  Alb: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: {Subnets: [!Ref S], SecurityGroups: [!Ref G]}}
  Nlb: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: {Type: network, Scheme: internal, Subnets: [!Ref S]}}
  Http: {Type: AWS::ElasticLoadBalancingV2::Listener, Properties: {LoadBalancerArn: !Ref Alb, Port: 80, Protocol: HTTP, DefaultActions: [{Type: fixed-response}]}}
  Tcp: {Type: AWS::ElasticLoadBalancingV2::Listener, Properties: {LoadBalancerArn: !Ref Nlb, Port: 7000, Protocol: TCP, DefaultActions: [{Type: forward, ForwardConfig: {TargetGroups: [{TargetGroupArn: !Ref Tg2}]}}]}}
  Rule: {Type: AWS::ElasticLoadBalancingV2::ListenerRule, Properties: {ListenerArn: !Ref Http, Priority: 1, Actions: [{Type: forward, TargetGroupArn: !Ref Tg1}]}}
  Tg1: {Type: AWS::ElasticLoadBalancingV2::TargetGroup, Properties: {Port: 8080, HealthCheckPort: '8081', TargetType: ip}}
  Tg2: {Type: AWS::ElasticLoadBalancingV2::TargetGroup, Properties: {Port: 7000, HealthCheckPort: traffic-port, TargetType: ip}}
  Tg3: {Type: AWS::ElasticLoadBalancingV2::TargetGroup, Properties: {Port: 9000, TargetType: ip}}
  Svc:
    Type: AWS::ECS::Service
    Properties:
      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [!Ref S], SecurityGroups: [!Ref G]}}
      LoadBalancers:
        - {ContainerName: app, ContainerPort: 8080, TargetGroupArn: !Ref Tg1}
        - {ContainerName: app, ContainerPort: 7000, TargetGroupArn: !Ref Tg2}
        - {ContainerName: app, ContainerPort: 9000, TargetGroupArn: !Ref Tg3}
",
        );
        let alb = n
            .load_balancers
            .iter()
            .position(|l| l.name == "Alb")
            .unwrap();
        let nlb = n
            .load_balancers
            .iter()
            .position(|l| l.name == "Nlb")
            .unwrap();
        assert_eq!(n.load_balancers[alb].listeners[0].port, 80);
        assert_eq!(n.load_balancers[nlb].listeners[0].port, 7000);
        assert!(n.load_balancers[nlb].network && !n.load_balancers[nlb].internet_facing);
        let t: Vec<(usize, u16, Option<u16>)> = n.workloads[0]
            .lb_targets
            .iter()
            .map(|t| (t.lb, t.port, t.health_check.as_ref().map(|h| h.0)))
            .collect();
        assert_eq!(t, vec![(alb, 8080, Some(8081)), (nlb, 7000, None)]);
    }

    #[test]
    fn booleans_in_every_spelling_cloudformation_accepts() {
        let n = build(
            "Resources:
  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref V, CidrBlock: 10.0.1.0/24, MapPublicIpOnLaunch: 'TRUE'}}
  Acl: {Type: AWS::EC2::NetworkAcl, Properties: {VpcId: !Ref V}}
  Out: {Type: AWS::EC2::NetworkAclEntry, Properties: {NetworkAclId: !Ref Acl, RuleNumber: 90, Protocol: -1, RuleAction: deny, Egress: True, CidrBlock: 0.0.0.0/0}}
  In: {Type: AWS::EC2::NetworkAclEntry, Properties: {NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: -1, RuleAction: allow, Egress: no, CidrBlock: 0.0.0.0/0}}
  Odd: {Type: AWS::EC2::NetworkAclEntry, Properties: {NetworkAclId: !Ref Acl, RuleNumber: 110, Protocol: -1, RuleAction: allow, Egress: sometimes, CidrBlock: 0.0.0.0/0}}
  E1: {Type: AWS::EC2::VPCEndpoint, Properties: {VpcEndpointType: Interface, VpcId: !Ref V, ServiceName: com.amazonaws.eu-west-1.secretsmanager, PrivateDnsEnabled: True}}
  E2: {Type: AWS::EC2::VPCEndpoint, Properties: {VpcEndpointType: Interface, VpcId: !Ref V, ServiceName: com.amazonaws.eu-west-1.logs, PrivateDnsEnabled: 'false'}}
",
        );
        assert!(n.subnets[0].map_public_ip);
        let acl = n.acls.iter().find(|a| a.name == "Acl").unwrap();
        let out: Vec<_> = acl.entries.iter().filter(|e| e.egress).collect();
        let inn: Vec<_> = acl.entries.iter().filter(|e| !e.egress).collect();
        assert!(out
            .iter()
            .any(|e| e.number == 90 && e.action == Action::Deny));
        assert!(inn
            .iter()
            .any(|e| e.number == 100 && e.action == Action::Allow));
        assert!(
            !inn.iter().any(|e| e.number == 90),
            "Egress: True is outbound"
        );
        // no boolean: both directions, undecided
        let odd: Vec<_> = acl.entries.iter().filter(|e| e.number == 110).collect();
        assert_eq!(odd.len(), 2);
        assert!(odd.iter().all(|e| e.unknown.is_some()));
        assert_eq!(n.endpoints[0].private_dns, Some(true));
        assert_eq!(n.endpoints[1].private_dns, Some(false));
    }
}
