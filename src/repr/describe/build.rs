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
                private_dns_origin: e.origin.clone(),
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
