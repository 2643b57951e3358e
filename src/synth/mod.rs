//! What Copilot creates from the manifests, as CloudFormation resources that
//! remember the manifest line they came from: the environment stack's
//! network, the Request-Driven Web Service stack, and the addon wiring.

pub mod addons;
pub mod patches;

use crate::base::origin::Origin;
use crate::base::source::Span;
use crate::base::unknown::{Fact, Missing};
use crate::cfn::{Exports, ResRef, Resource, StackId, VKind, Value};
use crate::manifest::{EnvManifest, Placement, SgSpec, Workload};

const ENV_STACK: &StackId = &StackId::Environment;

/// The environment stack as Copilot renders it.
#[derive(Debug, Clone)]
pub struct EnvStack {
    pub resources: Vec<Resource>,
    pub exports: Exports,
    /// True for a Copilot-managed VPC (the closed world for unknown subnets).
    pub managed_vpc: bool,
    /// False when the environment's manifest is missing: its exports are
    /// then not all known.
    pub exports_complete: bool,
    /// Exports of Copilot's stacks that exist only under a condition
    /// ([`conditional_exports`]); empty while the exports are not all known.
    pub conditional: Vec<(String, crate::cfn::ExportCondition)>,
}

/// A workload that makes Copilot create NAT gateways (`placement: private`).
#[derive(Debug, Clone)]
pub struct NatCause {
    pub workload: String,
    pub span: Span,
}

fn r(
    stack: &StackId,
    logical: &str,
    rtype: &str,
    props: Vec<(&str, Value)>,
    span: Option<Span>,
    because: &str,
) -> Resource {
    Resource {
        stack: stack.clone(),
        logical: logical.into(),
        rtype: rtype.into(),
        props: Value::map(props, span),
        origin: Origin::synthesized(span, because),
        undecided: None,
    }
}

fn s(v: &str, span: Option<Span>) -> Value {
    Value::str(v, span)
}

fn res(logical: &str, span: Option<Span>) -> Value {
    Value::res(ENV_STACK, logical, span)
}

/// Renders the environment stack's network.
pub fn environment(app: &str, m: &EnvManifest, nat: &[NatCause]) -> EnvStack {
    let env = &m.name;
    let mut e = EnvRender {
        m,
        sp: Some(m.span),
        prefix: crate::manifest::CopilotStack::environment(app, env).export_prefix(),
        because: format!("Copilot creates it in environment `{env}`"),
        out: Vec::new(),
        exports: Exports::new(),
    };
    if let Some(missing) = &m.missing {
        // Nothing is known of this environment's network: every export a
        // workload imports names the missing manifest.
        for k in [
            "VpcId",
            "PublicSubnets",
            "PrivateSubnets",
            "EnvironmentSecurityGroup",
            "PrivateRouteTableIDs",
            "PublicRouteTableID",
            "InternetGatewayID",
        ] {
            e.exports
                .insert(e.ex(k), Value::missing(missing.clone(), e.sp));
        }
        return EnvStack {
            resources: e.out,
            exports: e.exports,
            managed_vpc: false,
            exports_complete: false,
            conditional: Vec::new(),
        };
    }
    match &m.vpc_id {
        Some((id, idspan)) => e.imported_vpc(id, *idspan),
        None => e.managed_vpc(nat),
    }
    e.environment_group(app, env);
    // Exported by every environment stack; their values do not shape the
    // network, so they stay symbolic.
    for k in [
        "ServiceDiscoveryNamespaceID",
        "ClusterId",
        "EnvironmentManagerRoleARN",
        "CFNExecutionRoleARN",
    ] {
        let name = e.ex(k);
        let v = Value::unknown(
            format!("the value of export {name} (not network-relevant)"),
            e.sp,
        );
        e.exports.insert(name, v);
    }
    EnvStack {
        resources: e.out,
        exports: e.exports,
        managed_vpc: m.vpc_id.is_none(),
        exports_complete: true,
        conditional: Vec::new(),
    }
}

/// A subnet as the environment renders it: CIDR, zone if given, where.
type SubnetPlan = (String, Option<String>, Option<Span>);

/// The environment stack being rendered.
struct EnvRender<'a> {
    m: &'a EnvManifest,
    /// The manifest's `name`: what synthesized resources point at.
    sp: Option<Span>,
    /// `<app>-<env>-`, the prefix of the stack's exports.
    prefix: String,
    because: String,
    out: Vec<Resource>,
    exports: Exports,
}

impl EnvRender<'_> {
    fn ex(&self, k: &str) -> String {
        format!("{}{k}", self.prefix)
    }

    /// An imported VPC: its literal ids; routing is unknown to Copilot.
    fn imported_vpc(&mut self, id: &str, idspan: Span) {
        let idspan = &idspan;
        // Imported VPC: literal ids, routing unknown to Copilot.
        self.exports.insert(self.ex("VpcId"), s(id, Some(*idspan)));
        let join = |l: &[crate::manifest::SubnetSpec]| {
            Value::new(
                VKind::Joined(
                    ",".into(),
                    l.iter()
                        .map(|x| s(x.id.as_deref().unwrap_or(""), Some(x.span)))
                        .collect(),
                ),
                None,
            )
        };
        if !self.m.public_subnets.is_empty() {
            self.exports
                .insert(self.ex("PublicSubnets"), join(&self.m.public_subnets));
        }
        if !self.m.private_subnets.is_empty() {
            self.exports
                .insert(self.ex("PrivateSubnets"), join(&self.m.private_subnets));
        }
    }

    /// Copilot's own VPC: the VPC, its internet gateway and public route
    /// table, the subnets, and NAT gateways when a workload is private.
    fn managed_vpc(&mut self, nat: &[NatCause]) {
        let vpc_cidr = self.m.vpc_cidr.as_ref().map(|c| c.0.clone());
        let custom = vpc_cidr.is_some();
        let (vpc_cidr, vspan) = match &self.m.vpc_cidr {
            Some((c, s)) => (c.clone(), Some(*s)),
            None => ("10.0.0.0/16".to_string(), self.sp),
        };
        let default_pub = [("10.0.0.0/24", None), ("10.0.1.0/24", None)];
        let default_priv = [("10.0.2.0/24", None), ("10.0.3.0/24", None)];
        let list = |l: &[crate::manifest::SubnetSpec],
                    d: &[(&str, Option<String>); 2]|
         -> Vec<(String, Option<String>, Option<Span>)> {
            if custom {
                l.iter()
                    .map(|x| {
                        (
                            x.cidr.clone().unwrap_or_default(),
                            x.az.clone(),
                            Some(x.span),
                        )
                    })
                    .collect()
            } else {
                d.iter()
                    .map(|(c, a)| (c.to_string(), a.clone(), self.sp))
                    .collect()
            }
        };
        let mut publics = list(&self.m.public_subnets, &default_pub);
        let mut privates = list(&self.m.private_subnets, &default_priv);
        publics.sort_by(|a, b| a.1.cmp(&b.1));
        privates.sort_by(|a, b| a.1.cmp(&b.1));
        self.vpc_and_gateway(&vpc_cidr, vspan);
        let (pub_ids, priv_ids) = self.subnets(&publics, &privates);
        if let Some(cause) = nat.first() {
            self.nat_gateways(cause, priv_ids.len().min(pub_ids.len()));
        }
        self.exports.insert(self.ex("VpcId"), res("VPC", vspan));
        self.exports.insert(
            self.ex("PublicSubnets"),
            Value::new(VKind::Joined(",".into(), pub_ids), self.sp),
        );
        self.exports.insert(
            self.ex("PrivateSubnets"),
            Value::new(VKind::Joined(",".into(), priv_ids), self.sp),
        );
        self.exports.insert(
            self.ex("InternetGatewayID"),
            res("InternetGateway", self.sp),
        );
        self.exports.insert(
            self.ex("PublicRouteTableID"),
            res("PublicRouteTable", self.sp),
        );
    }

    /// The VPC, its internet gateway, and the public route table's default
    /// route through it.
    fn vpc_and_gateway(&mut self, vpc_cidr: &str, vspan: Option<Span>) {
        self.out.push(r(
            ENV_STACK,
            "VPC",
            "AWS::EC2::VPC",
            vec![
                ("CidrBlock", s(vpc_cidr, vspan)),
                ("EnableDnsSupport", s("true", self.sp)),
                ("EnableDnsHostnames", s("true", self.sp)),
            ],
            vspan,
            &self.because,
        ));
        self.out.push(r(
            ENV_STACK,
            "InternetGateway",
            "AWS::EC2::InternetGateway",
            vec![],
            self.sp,
            &self.because,
        ));
        self.out.push(r(
            ENV_STACK,
            "InternetGatewayAttachment",
            "AWS::EC2::VPCGatewayAttachment",
            vec![
                ("VpcId", res("VPC", self.sp)),
                ("InternetGatewayId", res("InternetGateway", self.sp)),
            ],
            self.sp,
            &self.because,
        ));
        self.out.push(r(
            ENV_STACK,
            "PublicRouteTable",
            "AWS::EC2::RouteTable",
            vec![("VpcId", res("VPC", self.sp))],
            self.sp,
            &self.because,
        ));
        self.out.push(r(
            ENV_STACK,
            "DefaultPublicRoute",
            "AWS::EC2::Route",
            vec![
                ("RouteTableId", res("PublicRouteTable", self.sp)),
                ("DestinationCidrBlock", s("0.0.0.0/0", self.sp)),
                ("GatewayId", res("InternetGateway", self.sp)),
            ],
            self.sp,
            &self.because,
        ));
    }

    /// The public subnets (each associated with the public route table)
    /// and the private ones; Copilot reads the private list at the public
    /// list's indexes. Returns references to both.
    fn subnets(
        &mut self,
        publics: &[SubnetPlan],
        privates: &[SubnetPlan],
    ) -> (Vec<Value>, Vec<Value>) {
        let mut pub_ids = Vec::new();
        for (i, spec) in publics.iter().enumerate() {
            let n = format!("PublicSubnet{}", i + 1);
            pub_ids.push(self.subnet(&n, i, spec, true));
            self.out.push(r(
                ENV_STACK,
                &format!("{n}RouteTableAssociation"),
                "AWS::EC2::SubnetRouteTableAssociation",
                vec![
                    ("SubnetId", res(&n, spec.2)),
                    ("RouteTableId", res("PublicRouteTable", spec.2)),
                ],
                spec.2,
                &self.because,
            ));
        }
        let priv_ids = privates
            .iter()
            .take(publics.len())
            .enumerate()
            .map(|(i, spec)| self.subnet(&format!("PrivateSubnet{}", i + 1), i, spec, false))
            .collect();
        (pub_ids, priv_ids)
    }

    fn subnet(
        &mut self,
        name: &str,
        i: usize,
        (cidr, a, span): &SubnetPlan,
        public: bool,
    ) -> Value {
        let az = match a {
            Some(z) => s(z, *span),
            None => Value::new(VKind::Az(i), *span),
        };
        self.out.push(r(
            ENV_STACK,
            name,
            "AWS::EC2::Subnet",
            vec![
                ("VpcId", res("VPC", *span)),
                ("CidrBlock", s(cidr, *span)),
                ("AvailabilityZone", az),
                (
                    "MapPublicIpOnLaunch",
                    s(if public { "true" } else { "false" }, *span),
                ),
            ],
            *span,
            &self.because,
        ));
        res(name, *span)
    }

    /// A NAT gateway in each of the first `n` public subnets, and a route
    /// table per private subnet that routes through it.
    fn nat_gateways(&mut self, cause: &NatCause, n: usize) {
        let nsp = Some(cause.span);
        let because = format!(
            "Copilot creates NAT gateways because workload `{}` sets `placement: private`",
            cause.workload
        );
        let mut rts = Vec::new();
        for i in 1..=n {
            self.out.push(r(
                ENV_STACK,
                &format!("NatGateway{i}Attachment"),
                "AWS::EC2::EIP",
                vec![("Domain", s("vpc", nsp))],
                nsp,
                &because,
            ));
            self.out.push(r(
                ENV_STACK,
                &format!("NatGateway{i}"),
                "AWS::EC2::NatGateway",
                vec![
                    (
                        "AllocationId",
                        Value::new(
                            VKind::Attr(
                                ResRef {
                                    stack: ENV_STACK.clone(),
                                    logical: format!("NatGateway{i}Attachment"),
                                },
                                "AllocationId".into(),
                            ),
                            nsp,
                        ),
                    ),
                    ("SubnetId", res(&format!("PublicSubnet{i}"), nsp)),
                ],
                nsp,
                &because,
            ));
            self.out.push(r(
                ENV_STACK,
                &format!("PrivateRouteTable{i}"),
                "AWS::EC2::RouteTable",
                vec![("VpcId", res("VPC", nsp))],
                nsp,
                &because,
            ));
            self.out.push(r(
                ENV_STACK,
                &format!("PrivateRoute{i}"),
                "AWS::EC2::Route",
                vec![
                    ("RouteTableId", res(&format!("PrivateRouteTable{i}"), nsp)),
                    ("DestinationCidrBlock", s("0.0.0.0/0", nsp)),
                    ("NatGatewayId", res(&format!("NatGateway{i}"), nsp)),
                ],
                nsp,
                &because,
            ));
            self.out.push(r(
                ENV_STACK,
                &format!("PrivateRouteTable{i}Association"),
                "AWS::EC2::SubnetRouteTableAssociation",
                vec![
                    ("SubnetId", res(&format!("PrivateSubnet{i}"), nsp)),
                    ("RouteTableId", res(&format!("PrivateRouteTable{i}"), nsp)),
                ],
                nsp,
                &because,
            ));
            rts.push(res(&format!("PrivateRouteTable{i}"), nsp));
        }
        self.exports.insert(
            self.ex("PrivateRouteTableIDs"),
            Value::new(VKind::Joined(",".into(), rts), nsp),
        );
    }

    /// The environment security group, with the manifest's rules, and its
    /// ingress from itself.
    fn environment_group(&mut self, app: &str, env: &str) {
        // The environment security group.
        let vpc_ref = self
            .exports
            .get(&self.ex("VpcId"))
            .cloned()
            .unwrap_or_else(|| Value::unknown("VPC id", self.sp));
        let rule = |x: &crate::manifest::SgRuleSpec| {
            let (from, to) = match x.ports.split_once('-') {
                Some((a, b)) => (a.trim().to_string(), b.trim().to_string()),
                None => (x.ports.clone(), x.ports.clone()),
            };
            Value::map(
                vec![
                    ("IpProtocol", s(&x.protocol, Some(x.span))),
                    ("FromPort", s(&from, Some(x.span))),
                    ("ToPort", s(&to, Some(x.span))),
                    ("CidrIp", s(&x.cidr, Some(x.span))),
                ],
                Some(x.span),
            )
        };
        let mut props = vec![
            ("VpcId", vpc_ref),
            (
                "GroupDescription",
                s(&format!("{app}-{env}EnvironmentSecurityGroup"), self.sp),
            ),
        ];
        if !self.m.sg_ingress.is_empty() {
            props.push((
                "SecurityGroupIngress",
                Value::list(self.m.sg_ingress.iter().map(rule).collect(), self.sp),
            ));
        }
        if !self.m.sg_egress.is_empty() {
            props.push((
                "SecurityGroupEgress",
                Value::list(self.m.sg_egress.iter().map(rule).collect(), self.sp),
            ));
        }
        self.out.push(r(
            ENV_STACK,
            "EnvironmentSecurityGroup",
            "AWS::EC2::SecurityGroup",
            props,
            self.sp,
            &self.because,
        ));
        self.out.push(r(
            ENV_STACK,
            "EnvironmentSecurityGroupIngressFromSelf",
            "AWS::EC2::SecurityGroupIngress",
            vec![
                ("GroupId", res("EnvironmentSecurityGroup", self.sp)),
                ("IpProtocol", s("-1", self.sp)),
                (
                    "SourceSecurityGroupId",
                    res("EnvironmentSecurityGroup", self.sp),
                ),
            ],
            self.sp,
            &self.because,
        ));
        self.exports.insert(
            self.ex("EnvironmentSecurityGroup"),
            res("EnvironmentSecurityGroup", self.sp),
        );
    }
}

/// The workloads of an environment whose deployment makes Copilot add to
/// its stacks: its environment controller's parameters (`ALBWorkloads`,
/// `InternalALBWorkloads`, `NATWorkloads`, `EFSWorkloads`,
/// `AppRunnerPrivateWorkloads`), and the workloads' own stacks.
#[derive(Debug, Default, Clone)]
pub struct Creators {
    pub public_alb: Vec<String>,
    pub internal_alb: Vec<String>,
    pub nat: Vec<String>,
    pub efs: Vec<String>,
    pub apprunner_endpoint: Vec<String>,
    /// Exports of the workloads' stacks: (workload, export suffix).
    pub workload_exports: Vec<(String, &'static str)>,
}

/// The application's domain, which only `copilot app init --domain` sets.
const APP_DOMAIN: &str =
    "the application has a domain (set by `copilot app init --domain`, not in the files)";

/// Every export of Copilot's stacks in environment `m.name` that exists
/// only under a condition, with the condition (from Copilot's environment
/// and workload templates: `CreateALB`, `CreateInternalALB`,
/// `ExportHTTPSListener`, `CreateNATGateways`, `CreateEFS`, `DelegateDNS`,
/// `CreateAppRunnerVPCEndpoint`), and a symbolic value for each that some
/// workload of the workspace may create. Their values do not shape the
/// network; where they do (the NAT route tables) the environment stack
/// holds the value already.
pub fn conditional_exports(
    app: &str,
    m: &EnvManifest,
    by: &Creators,
) -> (Exports, Vec<(String, crate::cfn::ExportCondition)>) {
    use crate::cfn::ExportCondition;
    let env = &m.name;
    let mut conds: Vec<(String, ExportCondition)> = Vec::new();
    let mut add = |k: &str, what: &str, creators: Option<&Vec<String>>, unseen: Option<&str>| {
        conds.push((
            crate::manifest::CopilotStack::environment(app, env).export(k),
            ExportCondition {
                what: what.to_string(),
                creators: creators.cloned(),
                unseen: unseen.map(str::to_string),
            },
        ));
    };
    let alb = "a Load Balanced Web Service that uses the environment's Application Load Balancer is deployed to the environment";
    for k in [
        "PublicLoadBalancerDNS",
        "PublicLoadBalancerFullName",
        "CanonicalHostedZoneID",
        "HTTPListenerArn",
        "DefaultHTTPTargetGroup",
    ] {
        add(k, alb, Some(&by.public_alb), None);
    }
    let https = "the environment's public load balancer has an HTTPS listener (a Load Balanced Web Service that uses it is deployed, and `http.public.certificates` or the application's domain gives it a certificate)";
    add(
        "HTTPSListenerArn",
        https,
        Some(&by.public_alb),
        (!m.public_certs).then_some(APP_DOMAIN),
    );
    if m.cdn {
        add("CloudFrontDomainName", alb, Some(&by.public_alb), None);
    }
    let internal = "a Backend Service with `http` is deployed to the environment";
    for k in [
        "InternalLoadBalancerDNS",
        "InternalLoadBalancerFullName",
        "InternalLoadBalancerCanonicalHostedZoneID",
        "InternalHTTPListenerArn",
        "InternalLoadBalancerSecurityGroup",
    ] {
        add(k, internal, Some(&by.internal_alb), None);
    }
    if m.private_certs {
        add(
            "InternalHTTPSListenerArn",
            internal,
            Some(&by.internal_alb),
            None,
        );
    } else {
        for k in [
            "InternalWorkloadsHostedZoneID",
            "InternalWorkloadsHostedZoneName",
        ] {
            add(k, internal, Some(&by.internal_alb), None);
        }
    }
    add(
        "FilesystemID",
        "a workload with a Copilot-managed EFS volume (`storage.volumes.<name>.efs: true`) is deployed to the environment",
        Some(&by.efs),
        None,
    );
    if !m.public_certs {
        for k in ["HostedZone", "SubDomain"] {
            add(k, "the application has a domain", None, Some(APP_DOMAIN));
        }
    }
    if m.vpc_id.is_none() && m.missing.is_none() {
        add(
            "PrivateRouteTableIDs",
            "a workload with `network.vpc.placement: private` is deployed to the environment (Copilot then creates its NAT gateways)",
            Some(&by.nat),
            None,
        );
        add(
            "AppRunnerVpcEndpointId",
            "a private Request-Driven Web Service without its own endpoint is deployed to the environment",
            Some(&by.apprunner_endpoint),
            None,
        );
    }
    for (w, k) in &by.workload_exports {
        let what = format!("the `{w}` stack is deployed (Copilot's `{w}` stack exports it)");
        add(&format!("{w}-{k}"), &what, Some(&vec![w.clone()]), None);
    }
    let mut exports = Exports::new();
    for (name, c) in &conds {
        if c.creators.as_ref().is_none_or(|l| !l.is_empty()) && c.unseen.is_none() {
            let v = Value::unknown(
                format!("the value of export {name} (not network-relevant)"),
                None,
            );
            exports.insert(name.clone(), v);
        }
    }
    (exports, conds)
}

/// The load balancers Copilot adds to the environment stack (spec 3.4): the
/// public ALB in the public subnets for a Load Balanced Web Service, the
/// internal ALB in the private subnets for a Backend Service with `http`,
/// each with its security groups, its listeners (HTTP on 80, HTTPS on 443
/// where the manifest gives certificates) and its rules with the
/// environment group. The public groups admit whom `http.public.ingress`
/// names (CloudFront's prefix list, source blocks), else any address.
pub fn load_balancers(
    env_stack: &EnvStack,
    app: &str,
    m: &EnvManifest,
    public: bool,
    internal: bool,
    cause: Option<Span>,
) -> Vec<Resource> {
    let ex = |k: &str| env_export(&env_stack.exports, app, &m.name, k, cause);
    let env = EnvLbs { ex: &ex, cause };
    let mut out = Vec::new();
    if public {
        env.public(m, &mut out);
    }
    if internal {
        env.internal(m, &mut out);
    }
    out
}

/// A tcp rule on one port from `peer`.
fn tcp(port: u16, peer: (&str, Value), sp: Option<Span>) -> Value {
    let p = port.to_string();
    Value::map(
        vec![
            ("IpProtocol", s("tcp", sp)),
            ("FromPort", s(&p, sp)),
            ("ToPort", s(&p, sp)),
            peer,
        ],
        sp,
    )
}

/// A group of the environment stack: its logical id, description and
/// inline ingress.
type Group<'a> = (&'a str, &'a str, Vec<Value>);

/// What the environment stack's load balancers are built from: its exports
/// (as a workload stack imports them) and the manifest line that causes
/// them.
struct EnvLbs<'a> {
    ex: &'a dyn Fn(&str) -> Value,
    cause: Option<Span>,
}

impl EnvLbs<'_> {
    /// A load balancer in `subnets` (an export) with its groups and
    /// listeners (logical id, port, protocol).
    fn lb(
        &self,
        out: &mut Vec<Resource>,
        (name, scheme, subnets): (&str, &str, &str),
        groups: Vec<Group<'_>>,
        listeners: Vec<(&str, u16, &str)>,
        because: &str,
    ) {
        let cause = self.cause;
        let subnets = match (self.ex)(subnets).kind {
            VKind::Joined(_, parts) => Value::list(parts, cause),
            other => Value::new(other, cause),
        };
        let mut refs = Vec::new();
        for (sg, description, ingress) in groups {
            let mut props = vec![
                ("VpcId", (self.ex)("VpcId")),
                ("GroupDescription", s(description, cause)),
            ];
            if !ingress.is_empty() {
                props.push(("SecurityGroupIngress", Value::list(ingress, cause)));
            }
            out.push(r(
                ENV_STACK,
                sg,
                "AWS::EC2::SecurityGroup",
                props,
                cause,
                because,
            ));
            refs.push(res(sg, cause));
        }
        out.push(r(
            ENV_STACK,
            name,
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            vec![
                ("Scheme", s(scheme, cause)),
                ("Subnets", subnets),
                ("SecurityGroups", Value::list(refs, cause)),
            ],
            cause,
            because,
        ));
        for (listener, port, protocol) in listeners {
            out.push(r(
                ENV_STACK,
                listener,
                "AWS::ElasticLoadBalancingV2::Listener",
                vec![
                    ("LoadBalancerArn", res(name, cause)),
                    ("Port", s(&port.to_string(), cause)),
                    ("Protocol", s(protocol, cause)),
                ],
                cause,
                because,
            ));
        }
    }

    /// `group` admits every protocol from `from`.
    fn all_from(&self, rule: &str, group: &str, from: Value, because: &str) -> Resource {
        r(
            ENV_STACK,
            rule,
            "AWS::EC2::SecurityGroupIngress",
            vec![
                ("GroupId", ex_or_res(group, self.ex)),
                ("IpProtocol", s("-1", self.cause)),
                ("SourceSecurityGroupId", from),
            ],
            self.cause,
            because,
        )
    }

    /// The public load balancer: its groups admit `http.public.ingress`
    /// (CloudFront's prefix list, whose members are unknown offline, and
    /// source blocks) or any address, on 80 and, with certificates, 443.
    fn public(&self, m: &EnvManifest, out: &mut Vec<Resource>) {
        let cause = self.cause;
        let because = "Copilot creates the public load balancer because a Load Balanced Web Service is deployed in the environment";
        let admitted = |port: u16| -> Vec<Value> {
            let i = &m.public_ingress;
            if !i.restricted() {
                return vec![tcp(port, ("CidrIp", s("0.0.0.0/0", cause)), cause)];
            }
            let mut rules = Vec::new();
            if let Some(sp) = i.cdn {
                let list = Value::unknown(
                    "the members of CloudFront's origin-facing managed prefix list (Copilot looks its id up in the region at deploy time)",
                    Some(sp),
                );
                rules.push(tcp(port, ("SourcePrefixListId", list), Some(sp)));
            }
            for (ip, sp) in &i.source_ips {
                rules.push(tcp(port, ("CidrIp", s(ip, Some(*sp))), Some(*sp)));
            }
            rules
        };
        let mut groups = vec![(
            "PublicHTTPLoadBalancerSecurityGroup",
            "HTTP access to the public facing load balancer",
            admitted(80),
        )];
        let mut listeners = vec![("HTTPListener", 80, "HTTP")];
        if m.public_certs {
            groups.push((
                "PublicHTTPSLoadBalancerSecurityGroup",
                "HTTPS access to the public facing load balancer",
                admitted(443),
            ));
            listeners.push(("HTTPSListener", 443, "HTTPS"));
        }
        let names: Vec<&str> = groups.iter().map(|g| g.0).collect();
        self.lb(
            out,
            ("PublicLoadBalancer", "internet-facing", "PublicSubnets"),
            groups,
            listeners,
            because,
        );
        for (sg, rule) in names.into_iter().zip([
            "EnvironmentHTTPSecurityGroupIngressFromPublicALB",
            "EnvironmentHTTPSSecurityGroupIngressFromPublicALB",
        ]) {
            out.push(self.all_from(rule, "EnvironmentSecurityGroup", res(sg, cause), because));
        }
    }

    /// The internal load balancer: it and the environment group admit each
    /// other; `http.private.ingress.vpc: true` admits tcp/80 (and 443)
    /// from any address (the template's description says "within the
    /// VPC", its rule says 0.0.0.0/0).
    fn internal(&self, m: &EnvManifest, out: &mut Vec<Resource>) {
        let cause = self.cause;
        let because = "Copilot creates the internal load balancer because a Backend Service with `http` is deployed in the environment";
        let mut listeners = vec![("InternalHTTPListener", 80, "HTTP")];
        let mut ports = vec![80];
        if m.private_certs {
            listeners.push(("InternalHTTPSListener", 443, "HTTPS"));
            ports.push(443);
        }
        self.lb(
            out,
            ("InternalLoadBalancer", "internal", "PrivateSubnets"),
            vec![(
                "InternalLoadBalancerSecurityGroup",
                "Access to the internal load balancer",
                vec![],
            )],
            listeners,
            because,
        );
        out.push(self.all_from(
            "EnvironmentSecurityGroupIngressFromInternalALB",
            "EnvironmentSecurityGroup",
            res("InternalLoadBalancerSecurityGroup", cause),
            because,
        ));
        out.push(self.all_from(
            "InternalALBIngressFromEnvironmentSecurityGroup",
            "InternalLoadBalancerSecurityGroup",
            (self.ex)("EnvironmentSecurityGroup"),
            because,
        ));
        let Some(sp) = m.private_vpc_ingress else {
            return;
        };
        for (port, rule) in ports.into_iter().zip([
            "InternalLoadBalancerSecurityGroupIngressFromHttp",
            "InternalLoadBalancerSecurityGroupIngressFromHttps",
        ]) {
            let p = port.to_string();
            let at = Some(sp);
            out.push(r(
                ENV_STACK,
                rule,
                "AWS::EC2::SecurityGroupIngress",
                vec![
                    ("GroupId", res("InternalLoadBalancerSecurityGroup", at)),
                    ("IpProtocol", s("tcp", at)),
                    ("FromPort", s(&p, at)),
                    ("ToPort", s(&p, at)),
                    ("CidrIp", s("0.0.0.0/0", at)),
                ],
                at,
                because,
            ));
        }
    }
}

/// The environment's managed EFS file system (Condition CreateEFS, spec
/// 3.4): a file system, its security group admitting the environment
/// group, and a mount target in every private subnet.
pub fn managed_efs(
    env_stack: &EnvStack,
    app: &str,
    env: &str,
    cause: Option<Span>,
) -> Vec<Resource> {
    let because = "Copilot creates the environment's file system because a workload mounts a managed EFS volume";
    let ex = |k: &str| env_export(&env_stack.exports, app, env, k, cause);
    let mut out = vec![
        r(
            ENV_STACK,
            "FileSystem",
            "AWS::EFS::FileSystem",
            vec![("Encrypted", s("true", cause))],
            cause,
            because,
        ),
        r(
            ENV_STACK,
            "EFSSecurityGroup",
            "AWS::EC2::SecurityGroup",
            vec![
                ("VpcId", ex("VpcId")),
                (
                    "GroupDescription",
                    s(&format!("{app}-{env}EFSSecurityGroup"), cause),
                ),
            ],
            cause,
            because,
        ),
        r(
            ENV_STACK,
            "EFSSecurityGroupIngressFromEnvironment",
            "AWS::EC2::SecurityGroupIngress",
            vec![
                ("GroupId", res("EFSSecurityGroup", cause)),
                ("IpProtocol", s("-1", cause)),
                ("SourceSecurityGroupId", ex("EnvironmentSecurityGroup")),
            ],
            cause,
            because,
        ),
    ];
    let subnets = match ex("PrivateSubnets").kind {
        VKind::Joined(_, parts) => parts,
        _ => vec![Value::unknown(
            "the private subnets of the environment",
            cause,
        )],
    };
    for (i, sub) in subnets.into_iter().enumerate() {
        out.push(r(
            ENV_STACK,
            &format!("MountTarget{}", i + 1),
            "AWS::EFS::MountTarget",
            vec![
                ("FileSystemId", res("FileSystem", cause)),
                ("SubnetId", sub),
                (
                    "SecurityGroups",
                    Value::list(vec![res("EFSSecurityGroup", cause)], cause),
                ),
            ],
            cause,
            because,
        ));
    }
    out
}

/// A group of the environment stack by logical id (the environment group
/// through its export, so an imported one stays what it is).
fn ex_or_res(group: &str, ex: &dyn Fn(&str) -> Value) -> Value {
    if group == "EnvironmentSecurityGroup" {
        ex(group)
    } else {
        res(group, None)
    }
}

/// The value of the environment export `<app>-<env>-<k>` as a workload
/// stack imports it (at `span`), or the missing import.
fn env_export(exports: &Exports, app: &str, env: &str, k: &str, span: Option<Span>) -> Value {
    let name = crate::manifest::CopilotStack::environment(app, env).export(k);
    match exports.get(&name) {
        Some(v) => Value { span, ..v.clone() },
        None => Value::missing(
            Missing::new(Fact::Import(name.clone()), format!("export {name}")),
            span,
        ),
    }
}

/// The subnets a placement gives, as Copilot renders them, the span that
/// decides it, and whether the ENIs get a public IP. None: no VPC
/// placement (an RDWS without `network`). ECS workloads default to public.
fn placement_subnets(
    w: &Workload,
    ex: &dyn Fn(&str, Option<Span>) -> Value,
    ecs: bool,
) -> Option<(Value, Option<Span>, bool)> {
    let split = |k: &str, sp: Span| {
        let v = ex(k, Some(sp));
        match v.kind {
            VKind::Joined(_, parts) => Value::list(parts, Some(sp)),
            VKind::Str(ref st) => {
                Value::list(st.split(',').map(|x| s(x, Some(sp))).collect(), Some(sp))
            }
            _ => v,
        }
    };
    Some(match &w.placement {
        Placement::Private(sp) => (split("PrivateSubnets", *sp), Some(*sp), false),
        Placement::Public(sp) if ecs => (split("PublicSubnets", *sp), Some(*sp), true),
        Placement::Absent if ecs => (split("PublicSubnets", w.type_span), Some(w.type_span), true),
        Placement::Subnets(ids, sp) => (
            Value::list(
                ids.iter().map(|(i, isp)| s(i, Some(*isp))).collect(),
                Some(*sp),
            ),
            Some(*sp),
            false,
        ),
        Placement::FromTags(sp) => (
            Value::missing(
                Missing::new(
                    Fact::SubnetLookup,
                    "subnets selected by `from_tags` (resolved by an EC2 lookup at deploy time)",
                ),
                Some(*sp),
            ),
            Some(*sp),
            false,
        ),
        Placement::Absent | Placement::Public(_) => return None,
    })
}

/// An ECS workload's stack (Load Balanced Web Service, Backend Service,
/// Worker Service: an `AWS::ECS::Service`; Scheduled Job: an EventBridge
/// rule that runs the task): awsvpc ENIs in the placement's subnets, a
/// public IP only for `public`, and the security groups of spec 5.2 (the
/// addon outputs are added by [`attach_addon_sgs`]).
pub fn ecs(app: &str, env: &str, w: &Workload, exports: &Exports) -> Vec<Resource> {
    let stack = StackId::Workload(w.name.clone());
    let ex = |k: &str, span: Option<Span>| env_export(exports, app, env, k, span);
    let job = w.wtype == crate::manifest::JOB;
    let Some((subnets, pspan, public)) = placement_subnets(w, &ex, true) else {
        return vec![];
    };
    let msp = Some(w.type_span);
    let mut sgs = Vec::new();
    if w.security_groups.deny_default.is_none() || job {
        sgs.push(ex("EnvironmentSecurityGroup", pspan.or(msp)));
    }
    for g in &w.security_groups.groups {
        sgs.push(match g {
            SgSpec::Id(id, sp) => s(id, Some(*sp)),
            SgSpec::FromCfn(name, sp) => exports
                .get(name)
                .cloned()
                .map(|v| Value {
                    span: Some(*sp),
                    ..v
                })
                .unwrap_or_else(|| {
                    Value::missing(
                        Missing::new(
                            Fact::Import(name.clone()),
                            format!("export {name} (from a stack outside the workspace)"),
                        ),
                        Some(*sp),
                    )
                }),
        });
    }
    let because = format!(
        "Copilot runs the {} `{}` as Fargate tasks with awsvpc ENIs",
        w.wtype, w.name
    );
    let awsvpc = |assign_key: &str, sgs: Vec<Value>| {
        Value::map(
            vec![
                (
                    assign_key,
                    s(if public { "ENABLED" } else { "DISABLED" }, pspan),
                ),
                ("Subnets", subnets.clone()),
                ("SecurityGroups", Value::list(sgs, pspan.or(msp))),
            ],
            pspan,
        )
    };
    let family = if w.windows {
        "WINDOWS_SERVER_2019_CORE"
    } else {
        "LINUX"
    };
    let mut out = vec![r(
        &stack,
        "TaskDefinition",
        "AWS::ECS::TaskDefinition",
        vec![
            ("NetworkMode", s("awsvpc", msp)),
            (
                "RuntimePlatform",
                Value::map(vec![("OperatingSystemFamily", s(family, msp))], msp),
            ),
        ],
        msp,
        &because,
    )];
    let task = Value::res(&stack, "TaskDefinition", msp);
    if job {
        out.push(r(
            &stack,
            "Rule",
            "AWS::Events::Rule",
            vec![
                ("Name", s(&w.name, msp)),
                (
                    "Targets",
                    Value::list(
                        vec![Value::map(
                            vec![
                                ("Id", s(&w.name, msp)),
                                (
                                    "EcsParameters",
                                    Value::map(
                                        vec![
                                            ("LaunchType", s("FARGATE", msp)),
                                            ("TaskDefinitionArn", task),
                                            (
                                                "NetworkConfiguration",
                                                Value::map(
                                                    vec![(
                                                        "AwsVpcConfiguration",
                                                        awsvpc("AssignPublicIp", sgs),
                                                    )],
                                                    pspan,
                                                ),
                                            ),
                                        ],
                                        msp,
                                    ),
                                ),
                            ],
                            msp,
                        )],
                        msp,
                    ),
                ),
            ],
            msp,
            &because,
        ));
    } else {
        let mut props = vec![
            ("ServiceName", s(&w.name, msp)),
            ("LaunchType", s("FARGATE", msp)),
            ("TaskDefinition", task),
            (
                "NetworkConfiguration",
                Value::map(
                    vec![("AwsvpcConfiguration", awsvpc("AssignPublicIp", sgs))],
                    pspan,
                ),
            ),
        ];
        let mut targets = alb_targets(&stack, w, &mut out);
        targets.extend(nlb_targets(&stack, w, &ex, &mut out));
        if !targets.is_empty() {
            props.push(("LoadBalancers", Value::list(targets, msp)));
        }
        out.push(r(
            &stack,
            "Service",
            "AWS::ECS::Service",
            props,
            msp,
            &because,
        ));
    }
    out
}

/// A target group of IP targets on `port`, checking health on its own
/// port where one is set; returns a reference to it.
fn target_group(
    (stack, name): (&StackId, &str),
    (port, psp): (u16, Span),
    health: Option<(u16, Span)>,
    because: &str,
    out: &mut Vec<Resource>,
) -> Value {
    let at = Some(psp);
    let mut tg = vec![
        ("Port", s(&port.to_string(), at)),
        ("TargetType", s("ip", at)),
    ];
    if let Some((hp, hsp)) = health {
        tg.push(("HealthCheckPort", s(&hp.to_string(), Some(hsp))));
    }
    out.push(r(
        stack,
        name,
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        tg,
        at,
        because,
    ));
    Value::res(stack, name, at)
}

/// A listener's (or listener rule's) actions: forward to `tg`.
fn forward(tg: &Value, at: Option<Span>) -> Value {
    Value::list(
        vec![Value::map(
            vec![("Type", s("forward", at)), ("TargetGroupArn", tg.clone())],
            at,
        )],
        at,
    )
}

/// A Load Balanced Web Service's own network load balancer (spec 5.3,
/// Copilot's `nlb.yml`): internet-facing in the public subnets, its group
/// admitting every address on each listener's port (TLS as TCP), the
/// environment group admitting it, and per listener a target group on the
/// target port. Returns the service's `LoadBalancers` items.
fn nlb_targets(
    stack: &StackId,
    w: &Workload,
    ex: &dyn Fn(&str, Option<Span>) -> Value,
    out: &mut Vec<Resource>,
) -> Vec<Value> {
    let listeners = w.nlb_listeners();
    let Some(first) = listeners.first() else {
        return vec![];
    };
    let cause = Some(first.port.1);
    let because = format!(
        "Copilot creates a network load balancer for `{}` because its manifest sets `nlb`",
        w.name
    );
    let sg = "NetworkLoadBalancerSecurityGroup";
    let lb = "PublicNetworkLoadBalancerV2";
    let ingress: Vec<Value> = listeners
        .iter()
        .map(|l| {
            let proto = if l.protocol == "udp" { "udp" } else { "tcp" };
            let p = l.port.0.to_string();
            let at = Some(l.port.1);
            Value::map(
                vec![
                    ("IpProtocol", s(proto, at)),
                    ("FromPort", s(&p, at)),
                    ("ToPort", s(&p, at)),
                    ("CidrIp", s("0.0.0.0/0", at)),
                ],
                at,
            )
        })
        .collect();
    out.push(r(
        stack,
        sg,
        "AWS::EC2::SecurityGroup",
        vec![
            ("VpcId", ex("VpcId", cause)),
            ("SecurityGroupIngress", Value::list(ingress, cause)),
        ],
        cause,
        &because,
    ));
    let subnets = match ex("PublicSubnets", cause).kind {
        VKind::Joined(_, parts) => Value::list(parts, cause),
        other => Value::new(other, cause),
    };
    out.push(r(
        stack,
        lb,
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        vec![
            ("Scheme", s("internet-facing", cause)),
            ("Type", s("network", cause)),
            ("Subnets", subnets),
            (
                "SecurityGroups",
                Value::list(vec![Value::res(stack, sg, cause)], cause),
            ),
        ],
        cause,
        &because,
    ));
    out.push(r(
        stack,
        "EnvironmentSecurityGroupIngressFromNetworkLoadBalancerSecurityGroup",
        "AWS::EC2::SecurityGroupIngress",
        vec![
            ("GroupId", ex("EnvironmentSecurityGroup", cause)),
            ("IpProtocol", s("-1", cause)),
            ("SourceSecurityGroupId", Value::res(stack, sg, cause)),
        ],
        cause,
        &because,
    ));
    let mut items = Vec::new();
    for (i, l) in listeners.iter().enumerate() {
        let n = if i == 0 { String::new() } else { i.to_string() };
        let at = Some(l.target_port.1);
        let tg_ref = target_group(
            (stack, &format!("NetworkLoadBalancerTargetGroup{n}")),
            l.target_port,
            l.health_port,
            &because,
            out,
        );
        let lat = Some(l.port.1);
        let protocol = l.protocol.to_ascii_uppercase();
        out.push(r(
            stack,
            &format!("NLBListener{n}"),
            "AWS::ElasticLoadBalancingV2::Listener",
            vec![
                ("LoadBalancerArn", Value::res(stack, lb, lat)),
                ("Port", s(&l.port.0.to_string(), lat)),
                ("Protocol", s(&protocol, lat)),
                ("DefaultActions", forward(&tg_ref, lat)),
            ],
            lat,
            &because,
        ));
        // flows are TCP: a UDP listener's target gets none
        if l.protocol != "udp" {
            items.push(Value::map(
                vec![
                    ("ContainerPort", s(&l.target_port.0.to_string(), at)),
                    ("TargetGroupArn", tg_ref),
                ],
                at,
            ));
        }
    }
    items
}

/// A service behind the environment's application load balancer (spec
/// 5.3, Copilot's `alb.yml` and `http-listener.yml`): for each routing
/// rule a target group on the rule's target port (and health-check port),
/// and a listener rule on the environment's HTTP listener forwarding to
/// it. Returns the service's `LoadBalancers` items.
fn alb_targets(stack: &StackId, w: &Workload, out: &mut Vec<Resource>) -> Vec<Value> {
    let listener = if w.creates_internal_alb() {
        "InternalHTTPListener"
    } else {
        "HTTPListener"
    };
    let because = format!(
        "Copilot registers the tasks of `{}` with the load balancer through a target group for each routing rule",
        w.name
    );
    let mut items = Vec::new();
    for (i, rule) in w.alb_rules().iter().enumerate() {
        let n = if i == 0 { String::new() } else { i.to_string() };
        let (port, psp) = rule.target_port;
        let at = Some(psp);
        let tg_ref = target_group(
            (stack, &format!("TargetGroup{n}")),
            rule.target_port,
            rule.health_port,
            &because,
            out,
        );
        out.push(r(
            stack,
            &format!("HTTPListenerRule{n}"),
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            vec![
                ("ListenerArn", res(listener, at)),
                ("Actions", forward(&tg_ref, at)),
            ],
            at,
            &because,
        ));
        items.push(Value::map(
            vec![
                ("ContainerPort", s(&port.to_string(), at)),
                ("TargetGroupArn", tg_ref),
            ],
            at,
        ));
    }
    items
}

/// Appends the workload addons' security-group outputs to the ECS tasks'
/// groups (spec 5.2, rule 3).
pub fn attach_addon_sgs(resources: &mut [Resource], sg_outputs: &[Value]) {
    if sg_outputs.is_empty() {
        return;
    }
    for r in resources.iter_mut() {
        let path: &[&str] = match r.rtype.as_str() {
            "AWS::ECS::Service" => &["NetworkConfiguration", "AwsvpcConfiguration"],
            _ => continue,
        };
        if let Some(list) = props_list_mut(&mut r.props, path, "SecurityGroups") {
            list.extend(sg_outputs.iter().cloned());
        }
    }
    for r in resources
        .iter_mut()
        .filter(|r| r.rtype == "AWS::Events::Rule")
    {
        let VKind::Map(m) = &mut r.props.kind else {
            continue;
        };
        let Some((_, targets)) = m.iter_mut().find(|(k, _)| k == "Targets") else {
            continue;
        };
        let VKind::List(items) = &mut targets.kind else {
            continue;
        };
        for t in items {
            if let Some(list) = props_list_mut(
                t,
                &[
                    "EcsParameters",
                    "NetworkConfiguration",
                    "AwsVpcConfiguration",
                ],
                "SecurityGroups",
            ) {
                list.extend(sg_outputs.iter().cloned());
            }
        }
    }
}

/// The list at `path.key` inside a map value.
fn props_list_mut<'a>(v: &'a mut Value, path: &[&str], key: &str) -> Option<&'a mut Vec<Value>> {
    let mut cur = v;
    for p in path.iter().chain(std::iter::once(&key)) {
        let VKind::Map(m) = &mut cur.kind else {
            return None;
        };
        cur = &mut m.iter_mut().find(|(k, _)| k == p)?.1;
    }
    match &mut cur.kind {
        VKind::List(l) => Some(l),
        _ => None,
    }
}

/// The Request-Driven Web Service stack: its security group and VPC
/// connector when the merged manifest places it in the VPC, and the
/// App Runner service with its egress type.
pub fn rdws(app: &str, env: &str, w: &Workload, exports: &Exports) -> Vec<Resource> {
    let stack = StackId::Workload(w.name.clone());
    let ex = |k: &str, span: Option<Span>| env_export(exports, app, env, k, span);
    let wres = |l: &str, span: Option<Span>| Value::res(&stack, l, span);
    let mut out = Vec::new();
    let (subnets, pspan) = match placement_subnets(w, &ex, false) {
        Some((v, sp, _)) => (Some(v), sp),
        None => (None, None),
    };
    let egress = if let Some(subnets) = subnets {
        let because = "Copilot creates it because the manifest sets `network.vpc.placement`";
        out.push(r(
            &stack,
            "ServiceSecurityGroup",
            "AWS::EC2::SecurityGroup",
            vec![
                ("VpcId", ex("VpcId", pspan)),
                (
                    "GroupDescription",
                    s(&format!("{app}-{env}{}", w.name), pspan),
                ),
            ],
            pspan,
            because,
        ));
        out.push(r(
            &stack,
            "EnvironmentSecurityGroupIngressFromServiceSecurityGroup",
            "AWS::EC2::SecurityGroupIngress",
            vec![
                ("GroupId", ex("EnvironmentSecurityGroup", pspan)),
                ("IpProtocol", s("-1", pspan)),
                ("SourceSecurityGroupId", wres("ServiceSecurityGroup", pspan)),
            ],
            pspan,
            because,
        ));
        out.push(r(
            &stack,
            "VpcConnector",
            "AWS::AppRunner::VpcConnector",
            vec![
                ("Subnets", subnets),
                (
                    "SecurityGroups",
                    Value::list(
                        vec![
                            wres("ServiceSecurityGroup", pspan),
                            ex("EnvironmentSecurityGroup", pspan),
                        ],
                        pspan,
                    ),
                ),
            ],
            pspan,
            because,
        ));
        Value::map(
            vec![
                ("EgressType", s("VPC", pspan)),
                (
                    "VpcConnectorArn",
                    Value::new(
                        VKind::Attr(
                            ResRef {
                                stack: stack.clone(),
                                logical: "VpcConnector".into(),
                            },
                            "VpcConnectorArn".into(),
                        ),
                        pspan,
                    ),
                ),
            ],
            pspan,
        )
        // Copilot renders no connector when a `from_tags` lookup finds
        // nothing; the Copilot front door adds that world to the model.
    } else {
        let sp = w.network_span.or(Some(w.type_span));
        Value::map(vec![("EgressType", s("DEFAULT", sp))], sp)
    };
    let msp = Some(w.type_span);
    out.push(r(
        &stack,
        "Service",
        "AWS::AppRunner::Service",
        vec![
            (
                "NetworkConfiguration",
                Value::map(vec![("EgressConfiguration", egress)], msp),
            ),
            ("ServiceName", s(&w.name, msp)),
        ],
        msp,
        "Copilot creates the App Runner service for the Request-Driven Web Service",
    ));
    out.push(r(
        &stack,
        "InstanceRole",
        "AWS::IAM::Role",
        vec![],
        msp,
        "Copilot creates the App Runner instance role",
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::FileId;

    fn env_manifest() -> EnvManifest {
        EnvManifest::default_config("test", Span::new(FileId(0), 0, 1))
    }

    #[test]
    fn default_env_has_nat_only_when_a_workload_is_private() {
        let e = environment("app", &env_manifest(), &[]);
        assert!(!e
            .resources
            .iter()
            .any(|r| r.rtype == "AWS::EC2::NatGateway"));
        assert_eq!(
            e.resources
                .iter()
                .filter(|r| r.rtype == "AWS::EC2::Subnet")
                .count(),
            4
        );
        let cause = NatCause {
            workload: "svc".into(),
            span: Span::new(FileId(1), 5, 9),
        };
        let e = environment("app", &env_manifest(), &[cause]);
        let nats: Vec<_> = e
            .resources
            .iter()
            .filter(|r| r.rtype == "AWS::EC2::NatGateway")
            .collect();
        assert_eq!(nats.len(), 2);
        assert_eq!(nats[0].origin.span().unwrap().file, FileId(1));
        assert!(e.exports.contains_key("app-test-PrivateRouteTableIDs"));
        let priv_subnets = e.exports.get("app-test-PrivateSubnets").unwrap();
        assert!(matches!(&priv_subnets.kind, VKind::Joined(_, p) if p.len() == 2));
    }
}
