//! The resource graph over a [`Network`]: which element contains, uses or
//! routes to which. Used for explanations ("what does this subnet depend
//! on") and for the model's own consistency checks.

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use std::collections::HashMap;

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Element {
    Vpc(VpcId),
    Subnet(SubnetId),
    RouteTable(RouteTableId),
    Acl(AclId),
    Sg(SgId),
    Gateway(GatewayId),
    Database(usize),
    Workload(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    InVpc,
    UsesRouteTable,
    UsesAcl,
    RoutesTo,
    SitsIn,
    HasSecurityGroup,
    /// An ingress rule of the group admits members of the target group.
    AdmitsFrom,
    /// An egress rule of the group allows traffic to the target group.
    SendsTo,
}

pub struct ResourceGraph {
    pub graph: DiGraph<Element, Relation>,
    index: HashMap<Element, NodeIndex>,
}

impl ResourceGraph {
    pub fn build(net: &Network) -> ResourceGraph {
        let mut g = ResourceGraph {
            graph: DiGraph::new(),
            index: HashMap::new(),
        };
        for i in 0..net.vpcs.len() {
            g.node(Element::Vpc(VpcId(i)));
        }
        for (i, s) in net.subnets.iter().enumerate() {
            let e = Element::Subnet(SubnetId(i));
            if let Some(v) = s.vpc {
                g.edge(e, Element::Vpc(v), Relation::InVpc);
            }
            if let Some((rt, _)) = net.route_table_of(SubnetId(i)) {
                g.edge(e, Element::RouteTable(rt), Relation::UsesRouteTable);
            }
            if let Some(a) = net.acl_of(SubnetId(i)) {
                g.edge(e, Element::Acl(a), Relation::UsesAcl);
            }
        }
        for (i, rt) in net.route_tables.iter().enumerate() {
            for r in &rt.routes {
                if let RouteTarget::Igw(gw) | RouteTarget::Nat(gw) = r.target {
                    g.edge(
                        Element::RouteTable(RouteTableId(i)),
                        Element::Gateway(gw),
                        Relation::RoutesTo,
                    );
                }
            }
        }
        for (i, gw) in net.gateways.iter().enumerate() {
            match gw.kind {
                GatewayKind::Nat {
                    subnet: Some(s), ..
                } => g.edge(
                    Element::Gateway(GatewayId(i)),
                    Element::Subnet(s),
                    Relation::SitsIn,
                ),
                GatewayKind::Internet { vpc: Some(v) } => g.edge(
                    Element::Gateway(GatewayId(i)),
                    Element::Vpc(v),
                    Relation::InVpc,
                ),
                _ => {}
            }
        }
        for (i, sg) in net.sgs.iter().enumerate() {
            for (rules, rel) in [
                (&sg.ingress, Relation::AdmitsFrom),
                (&sg.egress, Relation::SendsTo),
            ] {
                for r in rules {
                    if let Peer::Sg(p) = r.peer {
                        g.edge(Element::Sg(SgId(i)), Element::Sg(p), rel);
                    }
                }
            }
        }
        for (i, d) in net.databases.iter().enumerate() {
            for s in &d.sgs {
                g.edge(
                    Element::Database(i),
                    Element::Sg(*s),
                    Relation::HasSecurityGroup,
                );
            }
            if let SubnetSet::Known(l) = &d.subnets {
                for s in l {
                    g.edge(Element::Database(i), Element::Subnet(*s), Relation::SitsIn);
                }
            }
        }
        for (i, w) in net.workloads.iter().enumerate() {
            if let Egress::Enis(Enis { subnets, sgs, .. }) = &w.egress {
                for s in sgs {
                    g.edge(
                        Element::Workload(i),
                        Element::Sg(*s),
                        Relation::HasSecurityGroup,
                    );
                }
                if let SubnetSet::Known(l) = subnets {
                    for s in l {
                        g.edge(Element::Workload(i), Element::Subnet(*s), Relation::SitsIn);
                    }
                }
            } else {
                g.node(Element::Workload(i));
            }
        }
        g
    }

    fn node(&mut self, e: Element) -> NodeIndex {
        if let Some(i) = self.index.get(&e) {
            return *i;
        }
        let i = self.graph.add_node(e);
        self.index.insert(e, i);
        i
    }

    fn edge(&mut self, a: Element, b: Element, r: Relation) {
        let (x, y) = (self.node(a), self.node(b));
        self.graph.add_edge(x, y, r);
    }

    /// Elements `e` points at with relation `r`.
    pub fn targets(&self, e: Element, r: Relation) -> Vec<Element> {
        let Some(i) = self.index.get(&e) else {
            return vec![];
        };
        let mut out: Vec<Element> = self
            .graph
            .edges(*i)
            .filter(|x| *x.weight() == r)
            .map(|x| self.graph[x.target()])
            .collect();
        out.reverse();
        out
    }

    /// Workloads and databases that sit in a subnet.
    pub fn occupants(&self, s: SubnetId) -> Vec<Element> {
        let Some(i) = self.index.get(&Element::Subnet(s)) else {
            return vec![];
        };
        self.graph
            .edges_directed(*i, petgraph::Direction::Incoming)
            .filter(|x| *x.weight() == Relation::SitsIn)
            .map(|x| self.graph[x.source()])
            .collect()
    }
}
