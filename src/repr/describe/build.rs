//! One VPC of a snapshot converted into the network model.

use std::collections::HashMap;

use super::*;
use crate::model::net::Cidr;
use crate::model::*;

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
    pub task_placements: Vec<StandIn>,
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

/// Converts the snapshot's records of `vpc_id` into the model: the route
/// tables and ACLs first (the VPC points at its main table and default
/// ACL), then the subnets, gateways, routes, groups, endpoints, file
/// systems, databases and workloads.
pub fn build(snap: &Snapshot, vpc_id: &str, workloads: &[LiveWorkload]) -> Built {
    let mut c = Conv {
        snap,
        vpc_id,
        net: Network::default(),
        vid: VpcId(0),
        rt_of: HashMap::new(),
        acl_of: HashMap::new(),
        subnet_of: HashMap::new(),
        gw_of: HashMap::new(),
        sg_of: HashMap::new(),
        sgs_missing: snap.lacks(Kind::SecurityGroups, "the security groups"),
    };
    let main_rt = c.route_tables();
    let default_acl = c.acls();
    c.vpc(main_rt, default_acl);
    c.subnets();
    c.gateways();
    c.routes();
    c.security_groups();
    c.endpoints();
    let fs_by_id = c.file_systems();
    let db_by_id = c.databases();
    c.load_balancers();
    c.workloads(workloads);
    let task_placements = c.task_placements(workloads);
    Built {
        network: c.net,
        db_by_id,
        fs_by_id,
        task_placements,
    }
}

/// The conversion of one VPC: the network so far, and the model ids of the
/// records by their AWS ids.
struct Conv<'a> {
    snap: &'a Snapshot,
    vpc_id: &'a str,
    net: Network,
    vid: VpcId,
    rt_of: HashMap<String, RouteTableId>,
    acl_of: HashMap<String, AclId>,
    subnet_of: HashMap<String, SubnetId>,
    gw_of: HashMap<String, GatewayId>,
    sg_of: HashMap<String, SgId>,
    /// The snapshot has no security groups: what a group's rules wait on.
    sgs_missing: Option<Missing>,
}

impl Conv<'_> {
    /// The VPC's route tables (their routes come later); returns its main
    /// one, unknown when the snapshot has none.
    fn route_tables(&mut self) -> RouteTableId {
        let (snap, vpc_id) = (self.snap, self.vpc_id);
        let mut main_rt = None;
        let rts_missing = snap.lacks(Kind::RouteTables, &format!("the route tables of {vpc_id}"));
        for rt in snap
            .route_tables
            .iter()
            .filter(|r| r.value.vpc_id == vpc_id)
        {
            let id = RouteTableId(self.net.route_tables.len());
            if rt.value.associations.iter().any(|a| a.main) {
                main_rt = Some(id);
            }
            self.rt_of.insert(rt.value.route_table_id.clone(), id);
            self.net.route_tables.push(RouteTable {
                name: rt.value.route_table_id.clone(),
                vpc: Some(self.vid),
                routes: vec![],
                incomplete: None,
                origin: rt.origin.clone(),
            });
        }
        let main_rt = main_rt.unwrap_or_else(|| {
            let id = RouteTableId(self.net.route_tables.len());
            self.net.route_tables.push(RouteTable {
                name: format!("main route table of {vpc_id}"),
                vpc: Some(self.vid),
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

        main_rt
    }

    /// The VPC's network ACLs; returns its default one.
    fn acls(&mut self) -> AclId {
        let (snap, vpc_id) = (self.snap, self.vpc_id);
        let mut default_acl = None;
        for a in snap.acls.iter().filter(|a| a.value.vpc_id == vpc_id) {
            let id = AclId(self.net.acls.len());
            if a.value.is_default {
                default_acl = Some(id);
            }
            self.acl_of.insert(a.value.network_acl_id.clone(), id);
            let entries: Vec<AclEntry> = a
                .value
                .entries
                .iter()
                .filter(|e| e.ipv6_cidr_block.is_none())
                .filter_map(|e| {
                    let cidr: Cidr = e.cidr_block.as_deref()?.parse().ok()?;
                    let proto = proto_of(&e.protocol);
                    let ports = match (&e.port_range, proto) {
                        (Some(p), Proto::TCP | Proto::UDP) => {
                            ports(proto, Some(p.from), Some(p.to))
                        }
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
            self.net.acls.push(NetworkAcl {
                name: a.value.network_acl_id.clone(),
                vpc: Some(self.vid),
                entries,
                origin: a.origin.clone(),
            });
        }
        let default_acl = default_acl.unwrap_or_else(|| {
            let id = AclId(self.net.acls.len());
            let m = snap
                .lacks(Kind::NetworkAcls, &format!("the network ACLs of {vpc_id}"))
                .unwrap_or_else(|| {
                    Missing::new(
                        Fact::Describe(Kind::NetworkAcls.call().into()),
                        format!("the default network ACL of {vpc_id} (not in the snapshot)"),
                    )
                });
            self.net.acls.push(NetworkAcl {
                name: format!("default network ACL of {vpc_id}"),
                vpc: Some(self.vid),
                entries: vec![
                    AclEntry::everything(false, Action::Allow, Origin::default(), Some(m.clone())),
                    AclEntry::everything(true, Action::Allow, Origin::default(), Some(m)),
                ],
                origin: Origin::default(),
            });
            id
        });

        default_acl
    }

    fn vpc(&mut self, main_rt: RouteTableId, default_acl: AclId) {
        let vpc_id = self.vpc_id;
        let vpc_rec = self.snap.vpcs.iter().find(|v| v.value.vpc_id == vpc_id);
        self.net.vpcs.push(Vpc {
            name: vpc_id.to_string(),
            cidr: vpc_rec.and_then(|v| v.value.cidr_block.parse().ok()),
            main_route_table: main_rt,
            default_acl,
            fully_known: false,
            origin: vpc_rec.map(|v| v.origin.clone()).unwrap_or_default(),
        });
    }

    /// The subnets, with their tables and ACLs.
    fn subnets(&mut self) {
        let (snap, vpc_id) = (self.snap, self.vpc_id);
        // subnets, their tables and ACLs
        for s in snap.subnets.iter().filter(|s| s.value.vpc_id == vpc_id) {
            let id = SubnetId(self.net.subnets.len());
            self.subnet_of.insert(s.value.subnet_id.clone(), id);
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
            self.net.subnets.push(Subnet {
                name: s.value.subnet_id.clone(),
                vpc: Some(self.vid),
                cidr: s.value.cidr_block.parse().ok(),
                az: if s.value.availability_zone.is_empty() {
                    Az::Unknown
                } else {
                    Az::Name(s.value.availability_zone.clone())
                },
                route_table: rt.and_then(|r| self.rt_of.get(&r.value.route_table_id).copied()),
                acl: acl.and_then(|a| self.acl_of.get(&a.value.network_acl_id).copied()),
                map_public_ip: s.value.map_public_ip_on_launch,
                origin: s.origin.clone(),
                rt_origin: rt.map(|r| r.origin.clone()),
            });
        }
    }

    /// Internet gateways attached to the VPC, and its available NAT
    /// gateways.
    fn gateways(&mut self) {
        let (snap, vpc_id) = (self.snap, self.vpc_id);
        // gateways
        for g in &snap.igws {
            if g.value
                .attachments
                .iter()
                .any(|a| a.vpc_id == vpc_id && (a.state == "available" || a.state == "attached"))
            {
                self.gw_of.insert(
                    g.value.internet_gateway_id.clone(),
                    GatewayId(self.net.gateways.len()),
                );
                self.net.gateways.push(Gateway {
                    name: g.value.internet_gateway_id.clone(),
                    kind: GatewayKind::Internet {
                        vpc: Some(self.vid),
                    },
                    origin: g.origin.clone(),
                });
            }
        }
        for n in snap
            .nat_gateways
            .iter()
            .filter(|n| n.value.vpc_id == vpc_id && n.value.state == "available")
        {
            self.gw_of.insert(
                n.value.nat_gateway_id.clone(),
                GatewayId(self.net.gateways.len()),
            );
            self.net.gateways.push(Gateway {
                name: n.value.nat_gateway_id.clone(),
                kind: GatewayKind::Nat {
                    subnet: self.subnet_of.get(&n.value.subnet_id).copied(),
                    public: n.value.connectivity_type.as_deref() != Some("private"),
                },
                origin: n.origin.clone(),
            });
        }
    }

    fn routes(&mut self) {
        let (snap, vpc_id) = (self.snap, self.vpc_id);
        // routes
        for rt in snap
            .route_tables
            .iter()
            .filter(|r| r.value.vpc_id == vpc_id)
        {
            let Some(&id) = self.rt_of.get(&rt.value.route_table_id) else {
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
                            Fact::RouteTarget(
                                r.destination_prefix_list_id.clone().unwrap_or_default(),
                            ),
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
                    match self.gw_of.get(g) {
                        Some(id) => RouteTarget::Igw(*id),
                        None => RouteTarget::Other(g.to_string()),
                    }
                } else if let Some(n) = r.nat_gateway_id.as_deref() {
                    match self.gw_of.get(n) {
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
            self.net.route_tables[id.0].routes = routes;
            self.net.route_tables[id.0].incomplete = incomplete;
        }
    }

    /// The VPC's security groups and their rules (the rules of
    /// `SecurityGroupRules` win when present).
    fn security_groups(&mut self) {
        let (snap, vpc_id) = (self.snap, self.vpc_id);
        // security groups (the rules of `SecurityGroupRules` win when present)
        for g in snap
            .security_groups
            .iter()
            .filter(|g| g.value.vpc_id == vpc_id)
        {
            self.sg_of
                .insert(g.value.group_id.clone(), SgId(self.net.sgs.len()));
            self.net.sgs.push(SecurityGroup {
                name: g.value.group_id.clone(),
                vpc: Some(self.vid),
                ingress: vec![],
                egress: vec![],
                opaque: None,
                origin: g.origin.clone(),
            });
        }

        if snap.present.contains(&Kind::SecurityGroupRules) {
            self.rules_from_rule_records();
        } else {
            self.rules_from_permissions();
        }
    }

    /// A rule's peer: a CIDR, a group (unknown when not in the VPC), or a
    /// prefix list whose CIDRs are not read.
    fn peer(&self, cidr: Option<&str>, group: Option<&str>, prefix: Option<&str>) -> Option<Peer> {
        if let Some(c) = cidr {
            return c.parse().ok().map(Peer::Cidr);
        }
        if let Some(g) = group {
            return Some(match self.sg_of.get(g) {
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
    }

    /// A rule's peers: one per CIDR of a prefix list whose entries the
    /// snapshot has, else its one peer.
    fn peers_of(&self, cidr: Option<&str>, group: Option<&str>, prefix: Option<&str>) -> Vec<Peer> {
        match prefix.and_then(|p| self.snap.prefix_lists.get(p)) {
            Some(cidrs) => cidrs
                .iter()
                .filter_map(|c| c.parse().ok().map(Peer::Cidr))
                .collect(),
            None => self.peer(cidr, group, prefix).into_iter().collect(),
        }
    }

    fn push_rule(&mut self, gid: SgId, egress: bool, rule: SgRule) {
        if egress {
            self.net.sgs[gid.0].egress.push(rule);
        } else {
            self.net.sgs[gid.0].ingress.push(rule);
        }
    }

    /// Rules from `SecurityGroupRules` records.
    fn rules_from_rule_records(&mut self) {
        let snap = self.snap;
        for r in &snap.sg_rules {
            let Some(&gid) = self.sg_of.get(&r.value.group_id) else {
                continue;
            };
            if r.value.cidr_ipv6.is_some() {
                continue;
            }
            let proto = proto_of(&r.value.ip_protocol);
            let peers = self.peers_of(
                r.value.cidr_ipv4.as_deref(),
                r.value
                    .referenced_group_info
                    .as_ref()
                    .map(|g| g.group_id.as_str()),
                r.value.prefix_list_id.as_deref(),
            );
            for p in peers {
                let rule = SgRule {
                    proto,
                    ports: ports(proto, r.value.from_port, r.value.to_port),
                    peer: p,
                    origin: r.origin.clone(),
                    unknown_origin: None,
                    text: r.value.security_group_rule_id.clone(),
                };
                self.push_rule(gid, r.value.is_egress, rule);
            }
        }
    }

    /// Rules from the groups' own `IpPermissions` (when the snapshot has no
    /// `SecurityGroupRules`).
    fn rules_from_permissions(&mut self) {
        let (snap, vpc_id) = (self.snap, self.vpc_id);
        for g in snap
            .security_groups
            .iter()
            .filter(|g| g.value.vpc_id == vpc_id)
        {
            let gid = self.sg_of[&g.value.group_id];
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
                            .filter_map(|r| self.peer(Some(&r.cidr_ip), None, None)),
                    );
                    peers.extend(
                        p.user_id_group_pairs
                            .iter()
                            .filter_map(|r| self.peer(None, Some(&r.group_id), None)),
                    );
                    peers.extend(
                        p.prefix_list_ids
                            .iter()
                            .flat_map(|r| self.peers_of(None, None, Some(&r.prefix_list_id))),
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
                        self.push_rule(gid, egress, rule);
                    }
                }
            }
        }
    }

    /// The known groups among `ids`, and what is missing of the others.
    fn sg_list(&self, ids: &[String]) -> (Vec<SgId>, Vec<Missing>) {
        let mut known = Vec::new();
        let mut unknown = Vec::new();
        for id in ids {
            match self.sg_of.get(id) {
                Some(g) => known.push(*g),
                None => unknown.push(match &self.sgs_missing {
                    Some(m) => m.reworded(|t| format!("the rules of security group {id}: {t}")),
                    None => Missing::new(
                        Fact::OpaqueSecurityGroup(id.clone()),
                        format!("security group {id} (not in the snapshot's VPC)"),
                    ),
                }),
            }
        }
        (known, unknown)
    }

    /// The subnets `ids` of `what`: unknown as soon as one is not in the
    /// VPC.
    fn subnet_set(&self, ids: &[String], what: &str) -> SubnetSet {
        let mut out = Vec::new();
        for id in ids {
            match self.subnet_of.get(id) {
                Some(s) => out.push(*s),
                None => {
                    return SubnetSet::Unknown {
                        what: self
                            .snap
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
    }

    /// Gateway endpoints (by their route tables) and interface endpoints.
    fn endpoints(&mut self) {
        let (snap, vpc_id) = (self.snap, self.vpc_id);
        // endpoints
        for e in snap.endpoints.iter().filter(|e| e.value.vpc_id == vpc_id) {
            let service = Some(AwsService::from_endpoint_service(&e.value.service_name));
            if e.value.vpc_endpoint_type.eq_ignore_ascii_case("gateway") {
                self.net.gateway_endpoints.push(GatewayEndpoint {
                    name: e.value.vpc_endpoint_id.clone(),
                    service,
                    vpc: Some(self.vid),
                    route_tables: e
                        .value
                        .route_table_ids
                        .iter()
                        .filter_map(|r| self.rt_of.get(r).copied())
                        .collect(),
                    unknown_tables: None,
                    origin: e.origin.clone(),
                });
            } else if e.value.vpc_endpoint_type.eq_ignore_ascii_case("interface") {
                let ids: Vec<String> = e.value.groups.iter().map(|g| g.group_id.clone()).collect();
                let (sgs, unknown_sgs) = self.sg_list(&ids);
                self.net.endpoints.push(crate::model::Endpoint {
                    name: e.value.vpc_endpoint_id.clone(),
                    service,
                    vpc: Some(self.vid),
                    subnets: self.subnet_set(&e.value.subnet_ids, &e.value.vpc_endpoint_id),
                    sgs,
                    unknown_sgs,
                    private_dns: Some(e.value.private_dns_enabled),
                    private_dns_origin: e.origin.clone(),
                    origin: e.origin.clone(),
                });
            }
        }
    }

    /// File systems with a mount target in the VPC's subnets; a mount
    /// target's groups are its ENI's. Returns each one's index by its id.
    fn file_systems(&mut self) -> HashMap<String, usize> {
        let snap = self.snap;
        // file systems: their mount targets in the VPC's subnets; a mount
        // target's groups are its ENI's
        let mut fs_by_id: HashMap<String, usize> = HashMap::new();
        let mut fs_ids: Vec<&str> = snap
            .mount_targets
            .iter()
            .filter(|m| self.subnet_of.contains_key(&m.value.subnet_id))
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
                .filter(|m| {
                    m.value.file_system_id == fs && self.subnet_of.contains_key(&m.value.subnet_id)
                })
                .collect();
            let subnets: Vec<SubnetId> = targets
                .iter()
                .map(|m| self.subnet_of[&m.value.subnet_id])
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
            let (sgs, mut unknown_sgs) = self.sg_list(&group_ids);
            unknown_sgs.extend(unknown);
            fs_by_id.insert(fs.to_string(), self.net.file_systems.len());
            self.net.file_systems.push(crate::model::FileSystem {
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

        fs_by_id
    }

    /// Databases: clusters (their members decide public access), then
    /// instances outside a cluster. Returns each one's id by its
    /// identifier.
    fn databases(&mut self) -> HashMap<String, DbId> {
        let mut db_by_id = HashMap::new();
        self.clusters(&mut db_by_id);
        self.instances(&mut db_by_id);
        db_by_id
    }

    /// The subnets of DB subnet group `name`.
    fn group_subnets(&self, name: &str) -> SubnetSet {
        let snap = self.snap;
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
                self.subnet_set(&ids, &format!("DB subnet group {name}"))
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
    }

    /// DB clusters with a group in the VPC.
    fn clusters(&mut self, db_by_id: &mut HashMap<String, DbId>) {
        let snap = self.snap;
        for c in &snap.db_clusters {
            let ids: Vec<String> = c
                .value
                .vpc_security_groups
                .iter()
                .map(|g| g.vpc_security_group_id.clone())
                .collect();
            if !ids.iter().any(|i| self.sg_of.contains_key(i))
                && snap.present.contains(&Kind::SecurityGroups)
            {
                // a cluster of another VPC
                continue;
            }
            let (sgs, unknown_sgs) = self.sg_list(&ids);
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
                .or_else(|| crate::repr::default_port(&c.value.engine));
            db_by_id.insert(
                c.value.db_cluster_identifier.clone(),
                DbId(self.net.databases.len()),
            );
            self.net.databases.push(Database {
                name: c.value.db_cluster_identifier.clone(),
                owner: Owner::Other,
                engine: c.value.engine.clone(),
                port: port.unwrap_or(0),
                port_origin: c.origin.clone(),
                port_unknown: port.is_none().then(|| {
                    Missing::other(format!("the port of {}", c.value.db_cluster_identifier))
                }),
                subnets: self.group_subnets(&c.value.db_subnet_group),
                sgs,
                unknown_sgs,
                serverless_v1: c.value.engine_mode.as_deref() == Some("serverless"),
                publicly_accessible: members.iter().any(|m| m.value.publicly_accessible),
                publicly_accessible_surely: members.iter().any(|m| m.value.publicly_accessible),
                writer_az: None,
                origin: c.origin.clone(),
            });
        }
    }

    /// DB instances outside a cluster, in the VPC.
    fn instances(&mut self, db_by_id: &mut HashMap<String, DbId>) {
        let (snap, vpc_id) = (self.snap, self.vpc_id);
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
            let (sgs, unknown_sgs) = self.sg_list(&ids);
            let port = i
                .value
                .endpoint
                .as_ref()
                .and_then(|e| e.port)
                .and_then(|p| u16::try_from(p).ok())
                .or_else(|| crate::repr::default_port(&i.value.engine));
            let subnets = match &i.value.db_subnet_group {
                Some(g) => {
                    let ids: Vec<String> = g
                        .subnets
                        .iter()
                        .map(|s| s.subnet_identifier.clone())
                        .collect();
                    self.subnet_set(&ids, &format!("DB subnet group {}", g.db_subnet_group_name))
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
                DbId(self.net.databases.len()),
            );
            self.net.databases.push(Database {
                name: i.value.db_instance_identifier.clone(),
                owner: Owner::Other,
                engine: i.value.engine.clone(),
                port: port.unwrap_or(0),
                port_origin: i.origin.clone(),
                port_unknown: port.is_none().then(|| {
                    Missing::other(format!("the port of {}", i.value.db_instance_identifier))
                }),
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
    }

    /// The workloads, by the egress the door read for each.
    fn workloads(&mut self, workloads: &[LiveWorkload]) {
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
                    let (known, unknown) = self.sg_list(sgs);
                    Egress::Enis(Enis {
                        component: *component,
                        name: w.name.clone(),
                        subnets: self.subnet_set(subnets, &w.name),
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
            self.net.workloads.push(Workload {
                name: w.name.clone(),
                kind: w.kind,
                egress,
                fallback: None,
                api_uses: vec![],
                needs_internet: None,
                db_refs: vec![],
                fs_uses: vec![],
                lb_targets: self.lb_targets(&w.targets),
                peer_uses: vec![],
                origin: w.origin.clone(),
            });
        }
    }

    /// The VPC's load balancers (`elbv2 describe-load-balancers`), each
    /// named by its stack's logical id where the snapshot has the stack's
    /// resources (so the files' names find it), else by its own name, with
    /// its listeners.
    fn load_balancers(&mut self) {
        let snap = self.snap;
        let in_vpc: Vec<&Rec<LoadBalancerRec>> = snap
            .load_balancers
            .iter()
            .filter(|r| r.value.vpc_id == self.vpc_id)
            .collect();
        let logical = |lb: &LoadBalancerRec| {
            snap.stack_resources
                .iter()
                .find(|s| s.value.physical_resource_id == lb.load_balancer_arn)
                .map(|s| s.value.logical_resource_id.clone())
        };
        for r in &in_vpc {
            let lb = &r.value;
            // a logical id another load balancer of the VPC shares (two
            // environments in one imported VPC) names neither
            let name = logical(lb)
                .filter(|l| {
                    in_vpc
                        .iter()
                        .filter(|o| logical(&o.value).as_ref() == Some(l))
                        .count()
                        == 1
                })
                .unwrap_or_else(|| lb.load_balancer_name.clone());
            let network = lb.lb_type.as_deref() == Some("network");
            let (sgs, unknown_sgs) = self.sg_list(lb.security_groups.as_deref().unwrap_or(&[]));
            let subnet_ids: Vec<String> = lb
                .availability_zones
                .iter()
                .map(|z| z.subnet_id.clone())
                .collect();
            let listeners = match snap.lacks(Kind::Listeners, "the listeners") {
                // without the listeners, no port is known to listen
                Some(_) => vec![],
                None => snap
                    .listeners
                    .iter()
                    .filter(|l| l.value.load_balancer_arn == lb.load_balancer_arn)
                    .map(|l| Listener {
                        port: l.value.port,
                        protocol: l.value.protocol.clone(),
                        origin: l.origin.clone(),
                    })
                    .collect(),
            };
            self.net.load_balancers.push(LoadBalancer {
                subnets: self.subnet_set(&subnet_ids, &name),
                name,
                internet_facing: lb.scheme.as_deref() != Some("internal"),
                scheme_unknown: None,
                sgs,
                unknown_sgs,
                network,
                listeners,
                owner: Owner::Other,
                origin: r.origin.clone(),
            });
        }
    }

    /// The load balancers that forward to a service's target groups
    /// (a target group names its load balancers), on the container port,
    /// and the target group's own health-check port.
    fn lb_targets(&self, targets: &[(String, u16, Origin)]) -> Vec<LbTarget> {
        let snap = self.snap;
        let mut out: Vec<LbTarget> = Vec::new();
        for (arn, port, origin) in targets {
            // flows are TCP: a UDP target group gets none
            let Some(tg) = snap
                .target_groups
                .iter()
                .find(|t| t.value.target_group_arn == *arn)
                .filter(|t| t.value.protocol.as_deref() != Some("UDP"))
            else {
                continue;
            };
            let health_check = tg
                .value
                .health_check_port
                .as_deref()
                .and_then(|p| p.parse::<u16>().ok())
                .filter(|p| p != port)
                .map(|p| (p, tg.origin.clone()));
            for lb_arn in &tg.value.load_balancer_arns {
                let Some(i) = snap
                    .load_balancers
                    .iter()
                    .filter(|r| r.value.vpc_id == self.vpc_id)
                    .position(|r| r.value.load_balancer_arn == *lb_arn)
                else {
                    continue;
                };
                if !out.iter().any(|t| t.lb == i && t.port == *port) {
                    out.push(LbTarget {
                        lb: i,
                        port: *port,
                        origin: origin.clone(),
                        health_check: health_check.clone(),
                    });
                }
            }
        }
        out
    }

    /// Each task placement is a workload of its own, after the workloads
    /// (so theirs keep their indices): (workload, its stand-in, task).
    fn task_placements(&mut self, workloads: &[LiveWorkload]) -> Vec<StandIn> {
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
                    Ok(s) => self.subnet_set(std::slice::from_ref(s), &name),
                    Err(m) => SubnetSet::Unknown {
                        what: m.clone(),
                        within: None,
                    },
                };
                let (sgs, unknown_sgs) = match &t.sgs {
                    Ok(ids) => self.sg_list(ids),
                    Err(m) => (vec![], vec![m.clone()]),
                };
                task_placements.push(StandIn {
                    workload: wi,
                    stand_in: self.net.workloads.len(),
                    task: t.task.clone(),
                });
                self.net.workloads.push(Workload {
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
                    lb_targets: Vec::new(),
                    peer_uses: Vec::new(),
                    origin: t.origin.clone(),
                });
            }
        }
        task_placements
    }
}
