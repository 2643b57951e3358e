#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL208.md"))]

use crate::base::{Diagnostic, RuleId, Span};
use crate::load::yaml::{Node, NodeKind};
use crate::manifest::{Workload, BACKEND, JOB, LBWS, RDWS, WORKER};

pub const RULE: RuleId = RuleId::CopilotRejects;

fn push(out: &mut Vec<Diagnostic>, span: Span, msg: String, help: &str) {
    out.push(Diagnostic::at(RULE, span, msg).help(help));
}

fn str_of(n: &Node) -> Option<&str> {
    n.as_str().filter(|_| n.as_scalar().is_some())
}

fn is_true(n: Option<&Node>) -> bool {
    n.and_then(Node::as_scalar).and_then(|s| s.as_bool()) == Some(true)
}

/// What Copilot refuses in a YAML patch file (`internal/pkg/override/patch.go`:
/// the list shape, the three operations, `value` for `add` and `replace`).
pub fn patch(r: &crate::synth::patches::Refusal) -> Diagnostic {
    use crate::synth::patches::Refusal;
    match r {
        Refusal::NotAList(span) => Diagnostic::at(
            RULE,
            *span,
            "`cfn.patches.yml` is not a list of patches: Copilot refuses the overrides",
        )
        .help("write a YAML list of `- op: add|remove|replace`, `path: /...`, `value: ...`"),
        Refusal::Operation(span, op) => Diagnostic::at(
            RULE,
            *span,
            format!("unsupported patch operation `{op}`: Copilot supports only `add`, `remove` and `replace`, and refuses the overrides"),
        )
        .help("use `add`, `remove` or `replace` (a move is a `remove` and an `add`)"),
        Refusal::NoValue(span, op) => Diagnostic::at(
            RULE,
            *span,
            format!("a `{}` patch without `value`: Copilot refuses the overrides (\"value required\")", op.as_str()),
        )
        .help("add the `value` to set"),
    }
}

/// The environment manifest's validations (`validate_env.go`).
pub fn check_environment(doc: &Node, out: &mut Vec<Diagnostic>) {
    env_http_rules(doc, out);
    let Some(vpc) = doc.path(&["network", "vpc"]) else {
        if let Some(subs) = doc.path(&["http", "private", "subnets"]) {
            push(
                out,
                subs.span,
                "`http.private.subnets` is only allowed with an imported VPC (`network.vpc.id`)".into(),
                "remove it: with a VPC Copilot creates, the internal load balancer uses its private subnets",
            );
        }
        return;
    };
    let id = vpc.entry("id").filter(|e| !e.value.is_null());
    let cidr = vpc.entry("cidr").filter(|e| !e.value.is_null());
    if let (Some(i), Some(_)) = (id, cidr) {
        push(
            out,
            i.key.span,
            "`network.vpc.id` and `network.vpc.cidr` are exclusive: Copilot refuses the environment manifest".into(),
            "import a VPC with `id` (and the subnets' ids), or let Copilot create one with `cidr`; not both",
        );
    }
    let lists = [
        ("public", vpc.path(&["subnets", "public"])),
        ("private", vpc.path(&["subnets", "private"])),
    ];
    let mut total = 0;
    for (kind, list) in &lists {
        let Some(items) = list.and_then(Node::as_seq) else {
            continue;
        };
        total += items.len();
        for it in items {
            let has = |k: &str| it.get(k).is_some_and(|v| !v.is_null());
            if has("id") && (has("cidr") || has("az")) {
                push(
                    out,
                    it.span,
                    format!("a {kind} subnet gives `id` together with `cidr` or `az`: Copilot refuses the environment manifest"),
                    "an imported subnet takes only its `id`; a subnet Copilot creates takes `cidr` (and `az`)",
                );
            }
            if id.is_some() && !has("id") {
                push(
                    out,
                    it.span,
                    format!("the VPC is imported, so every {kind} subnet needs its `id`"),
                    "give the id of the subnet in the imported VPC (`subnet-...`)",
                );
            }
            if id.is_none() && cidr.is_some() && !has("cidr") {
                push(
                    out,
                    it.span,
                    format!("the VPC has a `cidr`, so every {kind} subnet needs its `cidr`"),
                    "give each subnet a block inside the VPC's CIDR",
                );
            }
        }
        if id.is_some() && items.len() == 1 {
            push(
                out,
                list.map_or(vpc.span, |l| l.span),
                format!("an imported VPC needs two or more {kind} subnets, or none"),
                "add a second subnet in another Availability Zone",
            );
        }
    }
    if let Some(i) = id {
        if total == 0 {
            push(
                out,
                i.key.span,
                "an imported VPC needs at least one subnet under `network.vpc.subnets`".into(),
                "list the imported subnets' ids under `subnets.public` and/or `subnets.private`",
            );
        }
    }
    if id.is_none() && cidr.is_some() {
        managed_zones(vpc, out);
    }
    security_group_rules(vpc, out);
    if let Some(subs) = doc.path(&["http", "private", "subnets"]) {
        if id.is_none() {
            push(
                out,
                subs.span,
                "`http.private.subnets` is only allowed with an imported VPC (`network.vpc.id`)".into(),
                "remove it: with a VPC Copilot creates, the internal load balancer uses its private subnets",
            );
        } else {
            let imported: Vec<&str> = lists
                .iter()
                .filter_map(|(_, l)| l.and_then(Node::as_seq))
                .flatten()
                .filter_map(|it| it.get("id").and_then(str_of))
                .collect();
            for s in subs.as_seq().unwrap_or(&[]) {
                if let Some(v) = str_of(s) {
                    if !imported.contains(&v) {
                        push(
                            out,
                            s.span,
                            format!("`{v}` in `http.private.subnets` is not one of the imported subnets"),
                            "list only subnets given under `network.vpc.subnets`",
                        );
                    }
                }
            }
        }
    }
}

/// The environment security group's rules: each needs `ip_protocol`,
/// `cidr` and `ports`, and `ports` is a port or a range `from-to`
/// (validate_env.go).
fn security_group_rules(vpc: &Node, out: &mut Vec<Diagnostic>) {
    for dir in ["ingress", "egress"] {
        let Some(rules) = vpc.path(&["security_group", dir]).and_then(Node::as_seq) else {
            continue;
        };
        for r in rules {
            for k in ["ip_protocol", "cidr", "ports"] {
                if r.get(k).is_none_or(Node::is_null) {
                    push(
                        out,
                        r.span,
                        format!("an environment security group {dir} rule without `{k}`: Copilot refuses the environment manifest"),
                        if k == "ports" {
                            "add `ports: 443` or a range `ports: 0-65535`; Copilot requires it even for `ip_protocol: -1`"
                        } else {
                            "every rule needs `ip_protocol`, `ports` and `cidr`"
                        },
                    );
                }
            }
            if let Some(p) = r.get("ports").and_then(Node::as_scalar) {
                // validate_env.go: an unquoted integer (any, `-1` included)
                // is a port; a string must be a range `from-to`
                let ok = match p.value.split_once('-') {
                    _ if p.plain && p.value.parse::<i64>().is_ok() => true,
                    Some((a, b)) => match (a.parse::<u32>(), b.parse::<u32>()) {
                        (Ok(a), Ok(b)) => a <= b,
                        _ => false,
                    },
                    None => false,
                };
                if !ok && !p.value.contains("${") {
                    if let Some(n) = r.get("ports") {
                        push(
                            out,
                            n.span,
                            format!("`ports: {}` is neither a port nor a range `from-to` with from <= to", p.value),
                            "write `ports: 443` or `ports: 8000-8080`",
                        );
                    }
                }
            }
        }
    }
}

fn is_arn(s: &str) -> bool {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    parts.len() == 6 && parts[0] == "arn" && !parts[2].is_empty() && !parts[5].is_empty()
}

/// The environment's load balancer and CDN settings.
fn env_http_rules(doc: &Node, out: &mut Vec<Diagnostic>) {
    let public = doc.path(&["http", "public"]);
    let private = doc.path(&["http", "private"]);
    if let Some(p) = public {
        if let (Some(i), Some(_)) = (p.entry("ingress"), p.path(&["security_groups", "ingress"])) {
            push(out, i.key.span, "`http.public.ingress` and the deprecated `http.public.security_groups.ingress` are exclusive: Copilot refuses the environment manifest".into(), "keep `ingress` and remove `security_groups.ingress`");
        }
        let cdn_on = match doc.get("cdn") {
            Some(c) => c.as_scalar().and_then(|s| s.as_bool()) != Some(false),
            None => false,
        };
        if let Some(c) = p.path(&["ingress", "cdn"]).filter(|c| is_true(Some(c))) {
            if !cdn_on {
                push(out, c.span, "`http.public.ingress.cdn: true` needs the CDN enabled (`cdn: true`): Copilot refuses the environment manifest".into(), "add `cdn: true`, or remove the ingress restriction");
            }
        }
        // validate_env.go refuses `security_groups.ingress.from_vpc` on the
        // public side; `ingress.vpc` is no field there (Copilot ignores it)
        if let Some(v) = p.path(&["security_groups", "ingress", "from_vpc"]) {
            push(out, v.span, "ingress from the VPC is a setting of the internal load balancer (`http.private`), not the public one: Copilot refuses the environment manifest".into(), "move it under `http.private.ingress`");
        }
    }
    if let Some(p) = private {
        // validate_env.go refuses `security_groups.ingress.restrict_to` with
        // `cdn` or `source_ips` on the internal side; `ingress.cdn` is no
        // field there (Copilot ignores it)
        if let Some(v) = p
            .path(&["security_groups", "ingress", "restrict_to"])
            .filter(|r| r.get("cdn").is_some() || r.get("source_ips").is_some())
        {
            push(out, v.span, "a CDN restriction is a setting of the public load balancer (`http.public`), not the internal one: Copilot refuses the environment manifest".into(), "move it under `http.public.ingress`");
        }
    }
    for side in [public, private].into_iter().flatten() {
        for c in side
            .get("certificates")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
        {
            if let Some(v) = str_of(c).filter(|v| !is_arn(v) && !v.contains("${")) {
                push(out, c.span, format!("certificate `{v}` is not an ARN: Copilot refuses the environment manifest"), "give the certificate's ARN (`arn:aws:acm:<region>:<account>:certificate/<id>`)");
            }
        }
    }
    if let Some(cert) = doc
        .path(&["cdn", "certificate"])
        .and_then(|n| str_of(n).map(|v| (v, n.span)))
    {
        let region = cert.0.split(':').nth(3).unwrap_or("");
        if is_arn(cert.0) && region != "us-east-1" {
            push(out, cert.1, format!("the CDN's certificate is in `{region}`; CloudFront takes certificates from us-east-1 only: Copilot refuses the environment manifest"), "import or request the certificate in us-east-1 and give that ARN");
        }
    }
}

/// A VPC Copilot creates with a custom `cidr`: the public and private
/// subnets must cover the same zones, one subnet of each per zone.
fn managed_zones(vpc: &Node, out: &mut Vec<Diagnostic>) {
    // every subnet of the kind, with its zone if given: Copilot counts the
    // CIDRs of all of them against the zones (validateManagedVPC)
    let zones = |kind: &str| -> Vec<(Option<String>, String)> {
        vpc.path(&["subnets", kind])
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .map(|it| {
                let az = it.get("az").and_then(str_of).map(str::to_string);
                let cidr = it.get("cidr").and_then(str_of).unwrap_or("").to_string();
                (az, cidr)
            })
            .collect()
    };
    let (public, private) = (zones("public"), zones("private"));
    if public.iter().chain(&private).all(|(az, _)| az.is_none()) {
        return;
    }
    let set = |l: &[(Option<String>, String)]| {
        let mut z: Vec<String> = l.iter().filter_map(|(a, _)| a.clone()).collect();
        z.sort();
        z.dedup();
        z
    };
    let (pz, vz) = (set(&public), set(&private));
    let at = vpc.path(&["subnets"]).map_or(vpc.span, |s| s.span);
    if pz != vz {
        push(
            out,
            at,
            format!(
                "the public subnets' zones ({}) differ from the private subnets' ({}): Copilot refuses the environment manifest",
                pz.join(", "),
                vz.join(", ")
            ),
            "give one public and one private subnet in each zone",
        );
        return;
    }
    let distinct = |l: &[(Option<String>, String)]| {
        let mut c: Vec<&String> = l.iter().map(|(_, c)| c).collect();
        c.sort();
        c.dedup();
        c.len()
    };
    if pz.len() < 2 || distinct(&public) != pz.len() || distinct(&private) != vz.len() {
        push(
            out,
            at,
            format!(
                "with zones given, Copilot needs two or more of them and one public and one private subnet CIDR per zone (zones: {})",
                pz.join(", ")
            ),
            "list one public and one private subnet for each of at least two zones",
        );
    }
}

/// The workload with only the top-level fields its type has (None: all
/// of them are, or reachlint does not type it).
fn own_fields(wl: &Workload) -> Option<Workload> {
    let parts = crate::manifest::schema::body(wl.wtype)?;
    let entries = wl.doc.as_map()?;
    let own = |k: &str| {
        crate::manifest::schema::WORKLOAD_TOP.contains(&k)
            || parts.iter().any(|p| p.iter().any(|(name, _)| *name == k))
    };
    if entries.iter().all(|e| own(e.key_str())) {
        return None;
    }
    let mut w = wl.clone();
    w.doc.kind = NodeKind::Map(
        entries
            .iter()
            .filter(|e| own(e.key_str()))
            .cloned()
            .collect(),
    );
    Some(w)
}

/// `http` and `nlb` as Copilot's LoadBalancedWebServiceConfig and
/// RoutingRule validation read them: a Load Balanced Web Service needs
/// `http` (`false` only beside an `nlb`), and an `http` map needs a `path`.
fn http_rules(wl: &Workload, out: &mut Vec<Diagnostic>) {
    let doc = &wl.doc;
    let t = wl.wtype;
    let http = doc.entry("http");
    if t == LBWS {
        match http.map(|e| &e.value) {
            // Copilot's LoadBalancedWebServiceConfig.validate: "http" must
            // be specified, also beside an `nlb` (which then needs
            // `http: false`)
            None if doc.get("nlb").is_none() => push(
                out,
                wl.type_span,
                "a Load Balanced Web Service needs `http` (or `nlb`): Copilot refuses the manifest"
                    .into(),
                "add `http: {path: '/'}`, or `nlb: {port: 80/tcp}`",
            ),
            None => push(
                out,
                wl.type_span,
                "a Load Balanced Web Service with only an `nlb` still needs `http`: Copilot refuses the manifest (\"http\" must be specified)".into(),
                "add `http: false` to use the Network Load Balancer alone, or `http: {path: '/'}` for both",
            ),
            Some(v)
                if v.as_scalar().and_then(|s| s.as_bool()) == Some(false)
                    && doc.get("nlb").is_none() =>
            {
                push(
                    out,
                    v.span,
                    "`http: false` needs an `nlb`: Copilot refuses the manifest".into(),
                    "add `nlb: {port: 80/tcp}`, or turn `http` back on",
                )
            }
            _ => {}
        }
    }
    if t == LBWS || t == BACKEND {
        if let Some(e) = http {
            if matches!(e.value.kind, NodeKind::Map(_)) && e.value.get("path").is_none() {
                push(
                    out,
                    e.key.span,
                    format!("`http` needs a `path` on a {t}: Copilot refuses the manifest"),
                    "add `path: '/'` (the listener rule's path)",
                );
            }
        }
    }
}

/// A workload manifest's validations (`validate.go`), on the manifest as
/// merged for one environment.
pub fn check_workload(wl: &Workload, out: &mut Vec<Diagnostic>) {
    // Copilot validates each type's own fields: a Static Site's are not
    // the network's, and a key the type does not have (`nlb` on a Backend
    // Service, `subscribe` on a web service) is ignored (RL102), never
    // validated
    if wl.wtype == crate::manifest::STATIC_SITE {
        return;
    }
    let typed = own_fields(wl);
    let wl = typed.as_ref().unwrap_or(wl);
    let doc = &wl.doc;
    let t = wl.wtype;
    http_rules(wl, out);
    let connect = doc.path(&["network", "connect"]);
    if let Some(alias) = connect.and_then(|c| c.get("alias")) {
        if t == WORKER {
            push(
                out,
                alias.span,
                "a Worker Service cannot have a Service Connect `alias`: Copilot refuses the manifest".into(),
                "remove `network.connect.alias` (a worker receives no requests)",
            );
        } else if t == BACKEND
            && doc.path(&["image", "port"]).is_none()
            && doc.path(&["http", "target_container"]).is_none()
        {
            push(
                out,
                alias.span,
                "a Service Connect `alias` needs `image.port` on a Backend Service: Copilot refuses the manifest".into(),
                "add `image.port`, or remove the alias",
            );
        }
    }
    if t == RDWS {
        if let Some(p) = doc.entry("platform") {
            push(
                out,
                p.key.span,
                "a Request-Driven Web Service rejects any explicit `platform` (Copilot's check refuses even linux/amd64)".into(),
                "remove `platform`: App Runner builds on linux/x86_64",
            );
        }
        if let Some(loc) = doc
            .path(&["image", "location"])
            .and_then(|n| str_of(n).map(|s| (s, n.span)))
        {
            let ecr = is_ecr(loc.0);
            if !ecr && !loc.0.starts_with("public.ecr.aws/") && !loc.0.contains("${") {
                push(
                    out,
                    loc.1,
                    format!("App Runner pulls images only from Amazon ECR or ECR Public, not `{}`", loc.0),
                    "push the image to ECR (or ECR Public) and give that location, or use `image.build`",
                );
            }
        }
    }
    if t != RDWS && wl.windows {
        if is_true(doc.path(&["storage", "readonly_fs"])) {
            if let Some(n) = doc.path(&["storage", "readonly_fs"]) {
                push(
                    out,
                    n.span,
                    "Windows tasks cannot have `storage.readonly_fs`: Copilot refuses the manifest"
                        .into(),
                    "remove it, or run on Linux",
                );
            }
        }
        if let Some(vols) = doc.path(&["storage", "volumes"]).and_then(Node::as_map) {
            for v in vols.iter().filter(|v| v.value.get("efs").is_some()) {
                push(
                    out,
                    v.key.span,
                    "Windows tasks cannot mount EFS volumes: Copilot refuses the manifest".into(),
                    "remove the volume, or run on Linux",
                );
            }
        }
        // validate.go refuses it for the Load Balanced Web and Backend
        // Services only
        if let Some(c) = connect
            .filter(|c| c.as_scalar().and_then(|s| s.as_bool()) != Some(false))
            .filter(|_| t == LBWS || t == BACKEND)
        {
            push(out, c.span, "Windows tasks cannot use Service Connect (`network.connect`): Copilot refuses the manifest".into(), "remove `network.connect`, or run on Linux");
        }
    }
    if t != RDWS {
        let arm = doc.get("platform").and_then(str_of).is_some_and(|p| {
            p.to_ascii_lowercase().ends_with("/arm") || p.to_ascii_lowercase().ends_with("/arm64")
        });
        if arm {
            if let Some(s) = doc.path(&["count", "spot"]) {
                push(
                    out,
                    s.span,
                    "ARM tasks cannot run on Fargate Spot: Copilot refuses the manifest".into(),
                    "remove `count.spot`, or use an x86_64 platform",
                );
            }
        }
        if let Some(f) = doc.get("env_file") {
            if let Some(v) = str_of(f).filter(|v| !v.ends_with(".env") && !v.contains("${")) {
                push(
                    out,
                    f.span,
                    format!("`env_file: {v}` must end in `.env`: Copilot refuses the manifest"),
                    "rename the file to end in `.env`",
                );
            }
        }
        if let Some(e) = doc.path(&["storage", "ephemeral"]) {
            if let Some(n) = e.as_scalar().and_then(|s| s.as_int()) {
                if !(20..=200).contains(&n) {
                    push(out, e.span, format!("`storage.ephemeral: {n}` is outside 20-200 GiB: Copilot refuses the manifest"), "choose a size from 20 to 200 (GiB)");
                }
            }
        }
    }
    if t == JOB && doc.path(&["on", "schedule"]).is_none_or(Node::is_null) {
        push(
            out,
            wl.type_span,
            "a Scheduled Job needs `on.schedule`: Copilot refuses the manifest".into(),
            "add `on: {schedule: '@daily'}` (a cron expression or `@every 1h`)",
        );
    }
    value_rules(wl, out);
    count_rules(wl, out);
    container_rules(wl, out);
    exposed_ports(wl, out);
    listener_rules(wl, out);
    messaging_rules(wl, out);
    storage_rules(wl, out);
    for (i, cidr) in doc
        .path(&["http", "allowed_source_ips"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        if let Some(v) = str_of(cidr) {
            // validate.go parses it with Go's net.ParseCIDR: IPv6 too
            let ipv6 = v.split_once('/').is_some_and(|(a, n)| {
                a.parse::<std::net::Ipv6Addr>().is_ok() && n.parse::<u8>().is_ok_and(|n| n <= 128)
            });
            if v.parse::<crate::model::net::Cidr>().is_err() && !ipv6 && !v.contains("${") {
                push(out, cidr.span, format!("`http.allowed_source_ips[{i}]` (`{v}`) is not a CIDR block: Copilot refuses the manifest"), "write an address block such as `10.24.34.0/23`");
            }
        }
    }
}

/// `N` or `N/proto` (a number, or its text) as a port and an upper-case
/// protocol (`default` when none is written).
fn port_of(n: &Node, default: &str) -> Option<(u16, String)> {
    let text = n.as_str()?;
    let (num, proto) = match text.split_once('/') {
        Some((a, b)) => (a, b.to_ascii_uppercase()),
        None => (text, default.to_string()),
    };
    Some((num.trim().parse::<u16>().ok()?, proto))
}

/// (port, container, protocol) of what a task's containers expose.
type Exposed = Vec<(u16, String, String)>;

/// Records that `container` exposes `port` with `proto`, or reports the
/// clash (false) with what another container (or protocol) has.
fn expose(
    exposed: &mut Exposed,
    out: &mut Vec<Diagnostic>,
    (port, proto): (u16, String),
    container: &str,
    span: Span,
) -> bool {
    match exposed.iter().find(|(p, _, _)| *p == port) {
        None => {
            exposed.push((port, container.to_string(), proto));
            true
        }
        Some((_, c, _)) if c != container => {
            push(out, span, format!("containers `{container}` and `{c}` both expose port {port}: Copilot refuses the manifest"), "the containers of a task share one network: give each its own port");
            false
        }
        Some((_, c, pr)) if *pr != proto => {
            push(out, span, format!("container `{c}` exposes port {port} with both {pr} and {proto}: Copilot refuses the manifest"), "expose the port with one protocol");
            false
        }
        Some(_) => true,
    }
}

/// Every port the task's containers expose, as Copilot collects them
/// (sidecars, then the load balancers' target ports, then the main
/// container's): a port exposed by two containers, or by one container
/// with two protocols, is refused. In awsvpc mode the containers of a task
/// share one network namespace, so two of them cannot listen on one port.
fn exposed_ports(wl: &Workload, out: &mut Vec<Diagnostic>) {
    let doc = &wl.doc;
    if wl.is_rdws() {
        return;
    }
    // port -> (container, protocol)
    let mut exposed: Exposed = Vec::new();
    let owner = |exposed: &Exposed, port: u16| -> Option<String> {
        exposed
            .iter()
            .find(|(p, _, _)| *p == port)
            .map(|(_, c, _)| c.clone())
    };
    for sc in doc.get("sidecars").and_then(Node::as_map).unwrap_or(&[]) {
        if let Some(p) = sc.value.get("port") {
            if let Some((port, proto)) = port_of(p, "TCP") {
                if !expose(&mut exposed, out, (port, proto), sc.key_str(), p.span) {
                    return;
                }
            }
        }
    }
    // the ALB's rules: the main one and the additional ones
    let http = doc.get("http");
    let mut rules: Vec<&Node> = http.into_iter().collect();
    rules.extend(
        http.and_then(|h| h.get("additional_rules"))
            .and_then(Node::as_seq)
            .unwrap_or(&[]),
    );
    for r in &rules {
        let Some(tp) = r.get("target_port") else {
            continue;
        };
        let Some((port, _)) = port_of(tp, "TCP") else {
            continue;
        };
        let container = r
            .get("target_container")
            .and_then(str_of)
            .map(str::to_string)
            .or_else(|| owner(&exposed, port))
            .unwrap_or_else(|| wl.name.clone());
        if !expose(&mut exposed, out, (port, "TCP".into()), &container, tp.span) {
            return;
        }
    }
    // the NLB's listeners
    let nlb = doc.get("nlb");
    let mut listeners: Vec<&Node> = nlb.into_iter().collect();
    listeners.extend(
        nlb.and_then(|n| n.get("additional_listeners"))
            .and_then(Node::as_seq)
            .unwrap_or(&[]),
    );
    for l in &listeners {
        let Some((listen, proto)) = l.get("port").and_then(|p| port_of(p, "TCP")) else {
            continue;
        };
        let (port, span) = match l.get("target_port") {
            Some(tp) => match port_of(tp, "TCP") {
                Some((p, _)) => (p, tp.span),
                None => continue,
            },
            None => (listen, l.get("port").map_or(l.span, |p| p.span)),
        };
        // a TLS listener terminates TLS: the container gets TCP
        let proto = if proto == "TLS" {
            "TCP".to_string()
        } else {
            proto
        };
        let container = l
            .get("target_container")
            .and_then(str_of)
            .map(str::to_string)
            .or_else(|| owner(&exposed, port))
            .unwrap_or_else(|| wl.name.clone());
        if !expose(&mut exposed, out, (port, proto), &container, span) {
            return;
        }
    }
    // the main container takes the protocol already exposed on its port
    if let Some(p) = doc.path(&["image", "port"]) {
        if let Some((port, _)) = port_of(p, "TCP") {
            let proto = exposed
                .iter()
                .find(|(q, _, _)| *q == port)
                .map_or("TCP".to_string(), |(_, _, pr)| pr.clone());
            if !expose(&mut exposed, out, (port, proto), &wl.name, p.span) {
                return;
            }
        }
    }
    // a health check port must be one a container exposes over TCP (or
    // none); an NLB listener's defaults to its `target_port`, then its
    // `port` (Copilot's NetworkLoadBalancerListener.HealthCheckPort), so a
    // UDP listener without `healthcheck.port` is refused too
    let mut checks: Vec<&Node> = Vec::new();
    for r in &rules {
        checks.extend(r.path(&["healthcheck", "port"]));
    }
    for l in &listeners {
        checks.extend(
            l.path(&["healthcheck", "port"])
                .or_else(|| l.get("target_port"))
                .or_else(|| l.get("port")),
        );
    }
    for hc in checks {
        let Some((port, _)) = port_of(hc, "TCP") else {
            continue;
        };
        if let Some((_, c, proto)) = exposed.iter().find(|(p, _, _)| *p == port) {
            if proto != "TCP" {
                push(out, hc.span, format!("the health check goes to port {port}, which container `{c}` exposes over {proto}: health checks need TCP, so Copilot refuses the manifest"), "point the health check at a TCP port the container serves");
                return;
            }
        }
    }
}

/// The ALB listener rules' limits: a rule matches on at most five
/// condition values, so its aliases and allowed source addresses together
/// must stay under five; only the main rule takes a health check grace
/// period, and not with the NLB's.
fn listener_rules(wl: &Workload, out: &mut Vec<Diagnostic>) {
    let doc = &wl.doc;
    let Some(http) = doc.get("http").filter(|h| h.as_map().is_some()) else {
        return;
    };
    let mut rules: Vec<(String, &Node)> = vec![("http".into(), http)];
    for (i, r) in http
        .get("additional_rules")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        rules.push((format!("http.additional_rules[{i}]"), r));
    }
    for (at, r) in &rules {
        let aliases = match r.get("alias") {
            Some(a) => match a.as_seq() {
                Some(list) => list.len(),
                None if a.is_null() => 0,
                None => 1,
            },
            None => 0,
        };
        let ips = r
            .get("allowed_source_ips")
            .and_then(Node::as_seq)
            .map_or(0, <[Node]>::len);
        if aliases + ips >= 5 {
            push(out, r.get("alias").or_else(|| r.get("allowed_source_ips")).map_or(r.span, |n| n.span), format!("`{at}` has {aliases} aliases and {ips} allowed source addresses: a listener rule takes at most five condition values (its path is one), so Copilot refuses the manifest"), "split the aliases or addresses over `additional_rules` with the same path");
        }
    }
    // validate.go checks the additional rules' grace period for the Load
    // Balanced Web Service only (a Backend Service ignores it)
    for (at, r) in rules.iter().skip(1).filter(|_| wl.wtype == LBWS) {
        if let Some(g) = r.path(&["healthcheck", "grace_period"]) {
            push(
                out,
                g.span,
                format!("`{at}.healthcheck.grace_period`: only the main rule (`http.healthcheck`) takes a grace period, so Copilot refuses the manifest"),
                "move `grace_period` to `http.healthcheck` (it applies to the whole service)",
            );
        }
    }
    if let (Some(g), Some(_)) = (
        http.path(&["healthcheck", "grace_period"]),
        doc.path(&["nlb", "healthcheck", "grace_period"]),
    ) {
        push(
            out,
            g.span,
            "`http.healthcheck.grace_period` and `nlb.healthcheck.grace_period` are both set: the service has one grace period, so Copilot refuses the manifest".into(),
            "keep one of them",
        );
    }
}

const PLATFORMS: &[&str] = &[
    "linux/amd64",
    "linux/x86_64",
    "linux/arm",
    "linux/arm64",
    "windows/amd64",
    "windows/x86_64",
];

/// Values Copilot checks against its lists: the platform, the HTTP
/// version, the tracing vendor, task definition overrides, aliases.
fn value_rules(wl: &Workload, out: &mut Vec<Diagnostic>) {
    let doc = &wl.doc;
    if !wl.is_rdws() {
        if let Some(p) = doc
            .get("platform")
            .and_then(|n| str_of(n).map(|v| (v, n.span)))
        {
            if !PLATFORMS.contains(&p.0.to_ascii_lowercase().as_str()) && !p.0.contains("${") {
                push(out, p.1, format!("platform `{}` is none of {}: Copilot refuses the manifest", p.0, PLATFORMS.join(", ")), "write e.g. `platform: linux/arm64`, or the map form `{osfamily, architecture}`");
            }
        }
    }
    if let Some(v) = doc
        .path(&["http", "version"])
        .and_then(|n| str_of(n).map(|v| (v, n.span)))
    {
        if !["grpc", "http1", "http2"].contains(&v.0.to_ascii_lowercase().as_str())
            && !v.0.contains("${")
        {
            push(out, v.1, format!("`http.version: {}` is none of gRPC, HTTP1, HTTP2: Copilot refuses the manifest", v.0), "write `version: grpc`, `http1` or `http2`");
        }
    }
    // validate.go checks `observability` for the Request-Driven Web
    // Service only; the other types act on `awsxray` and ignore the rest
    if let Some(v) = doc
        .path(&["observability", "tracing"])
        .filter(|_| wl.wtype == RDWS)
        .and_then(|n| str_of(n).map(|v| (v, n.span)))
    {
        if !v.0.eq_ignore_ascii_case("awsxray") && !v.0.contains("${") {
            push(
                out,
                v.1,
                format!(
                    "`observability.tracing: {}`: Copilot traces with `awsxray` only",
                    v.0
                ),
                "write `tracing: awsxray`",
            );
        }
    }
    for o in doc
        .get("taskdef_overrides")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
    {
        if let Some(p) = o.get("path").and_then(|n| str_of(n).map(|v| (v, n.span))) {
            let name = p.0.starts_with("ContainerDefinitions[") && p.0.ends_with("].Name");
            if p.0 == "Family" || name {
                push(
                    out,
                    p.1,
                    format!(
                        "`taskdef_overrides` may not change `{}`: Copilot refuses the manifest",
                        p.0
                    ),
                    "Copilot names the task family and containers itself; override other fields",
                );
            }
        }
    }
    if let Some(h) = doc.path(&["http", "hosted_zone"]) {
        if doc.path(&["http", "alias"]).is_none() {
            push(
                out,
                h.span,
                "`http.hosted_zone` needs `http.alias`: Copilot refuses the manifest".into(),
                "add the `alias` the hosted zone serves",
            );
        }
    }
}

const SCALING: &[&str] = &[
    "cpu_percentage",
    "memory_percentage",
    "requests",
    "response_time",
    "queue_delay",
];

/// `count` (ECS types): a number, or autoscaling with its range.
fn count_rules(wl: &Workload, out: &mut Vec<Diagnostic>) {
    let t = wl.wtype;
    if t == RDWS {
        return;
    }
    let Some(count) = wl.doc.get("count") else {
        return;
    };
    if !matches!(count.kind, NodeKind::Map(_)) {
        return;
    }
    if t == JOB {
        push(out, count.span, "a Scheduled Job's `count` is a number; it has no autoscaling: Copilot refuses the manifest".into(), "write `count: 1` (or remove it)");
        return;
    }
    let scaling: Vec<&str> = SCALING
        .iter()
        .copied()
        .filter(|k| count.get(k).is_some())
        .collect();
    let range = count.get("range");
    if let (Some(spot), true) = (count.get("spot"), range.is_some() || !scaling.is_empty()) {
        push(
            out,
            spot.span,
            "`count.spot` cannot be combined with autoscaling: Copilot refuses the manifest".into(),
            "use `range: {min, max, spot_from}` to scale onto Spot, or a plain `spot: N`",
        );
    }
    if range.is_some() && scaling.is_empty() {
        if let Some(r) = range {
            push(out, r.span, "`count.range` needs a scaling metric (`cpu_percentage`, `memory_percentage`, `requests`, `response_time` or `queue_delay`): Copilot refuses the manifest".into(), "add e.g. `cpu_percentage: 70`");
        }
    }
    if range.is_none() {
        if let Some(k) = scaling.first() {
            if let Some(n) = count.get(k) {
                push(
                    out,
                    n.span,
                    format!("`count.{k}` needs `count.range`: Copilot refuses the manifest"),
                    "add `range: 1-10` (the task counts to scale between)",
                );
            }
        }
    }
    for k in ["cpu_percentage", "memory_percentage"] {
        if let Some(n) = count.get(k) {
            if let Some(v) = n.as_scalar().and_then(|s| s.as_int()) {
                if !(0..=100).contains(&v) {
                    push(out, n.span, format!("`count.{k}: {v}` is not a percentage (0-100): Copilot refuses the manifest"), "choose a value from 0 to 100");
                }
            }
        }
    }
    let not_for: &[&str] = match t {
        LBWS | BACKEND => &["queue_delay"],
        WORKER => &["requests", "response_time"],
        _ => &[],
    };
    for k in not_for {
        if let Some(n) = count.get(k) {
            push(
                out,
                n.span,
                format!("a {t} cannot scale on `count.{k}`: Copilot refuses the manifest"),
                if *k == "queue_delay" {
                    "scale on `cpu_percentage`, `requests` or `response_time`"
                } else {
                    "scale a Worker Service on `queue_delay` or `cpu_percentage`"
                },
            );
        }
    }
    if t == BACKEND && wl.doc.get("http").is_none() {
        for k in ["requests", "response_time"] {
            if let Some(n) = count.get(k) {
                push(out, n.span, format!("`count.{k}` needs `http` on a Backend Service: Copilot refuses the manifest"), "scale on `cpu_percentage`, or put the service behind the internal load balancer with `http`");
            }
        }
    }
}

/// Sidecars, `depends_on`, the load balancers' target container and ports.
fn container_rules(wl: &Workload, out: &mut Vec<Diagnostic>) {
    let doc = &wl.doc;
    if wl.is_rdws() {
        return;
    }
    let sidecars = doc.get("sidecars").and_then(Node::as_map).unwrap_or(&[]);
    for sc in sidecars {
        if let Some(p) = sc
            .value
            .get("port")
            .and_then(|n| str_of(n).map(|v| (v, n.span)))
        {
            let ok = match p.0.split_once('/') {
                Some((n, proto)) => {
                    n.parse::<u16>().is_ok()
                        && ["tcp", "udp"].contains(&proto.to_ascii_lowercase().as_str())
                }
                None => p.0.parse::<u16>().is_ok(),
            };
            if !ok && !p.0.contains("${") {
                push(out, p.1, format!("sidecar `{}` has `port: {}`; a sidecar port is `N`, `N/tcp` or `N/udp`: Copilot refuses the manifest", sc.key_str(), p.0), "write e.g. `port: 2000/udp`");
            }
        }
    }
    // essential containers: the main one, and every sidecar not `essential: false`
    let essential = |name: &str| -> Option<bool> {
        if name == wl.name {
            return Some(true);
        }
        let sc = sidecars.iter().find(|s| s.key_str() == name)?;
        Some(
            sc.value
                .get("essential")
                .and_then(Node::as_scalar)
                .and_then(|s| s.as_bool())
                != Some(false),
        )
    };
    let mut depends: Vec<&Node> = doc.path(&["image", "depends_on"]).into_iter().collect();
    depends.extend(sidecars.iter().filter_map(|s| s.value.get("depends_on")));
    for dep in depends {
        for e in dep.as_map().unwrap_or(&[]) {
            let Some(status) = str_of(&e.value) else {
                continue;
            };
            let st = status.to_ascii_lowercase();
            if !["start", "complete", "success", "healthy"].contains(&st.as_str()) {
                push(out, e.value.span, format!("`depends_on` status `{status}` is none of start, complete, success, healthy: Copilot refuses the manifest"), "use `start`, `complete`, `success` or `healthy`");
            } else if essential(e.key_str()) == Some(true) && (st == "complete" || st == "success")
            {
                push(out, e.value.span, format!("`{}` is an essential container, so it can only be depended on with `start` or `healthy`: Copilot refuses the manifest", e.key_str()), "use `start` or `healthy`, or mark the sidecar `essential: false`");
            }
        }
    }
    let target = doc
        .path(&["http", "target_container"])
        .or_else(|| doc.path(&["nlb", "target_container"]));
    if let Some(tc) = target.and_then(|n| str_of(n).map(|v| (v, n.span))) {
        let main = tc.0 == wl.name && doc.path(&["image", "port"]).is_some();
        let sidecar = sidecars
            .iter()
            .any(|s| s.key_str() == tc.0 && s.value.get("port").is_some());
        if !main && !sidecar && !tc.0.contains("${") {
            push(out, tc.1, format!("target container `{}` is neither the main container with a port nor a sidecar with a port: Copilot refuses the manifest", tc.0), "name the service itself (with `image.port`) or a sidecar that has a `port`");
        }
    }
    if let Some(p) = doc
        .path(&["nlb", "port"])
        .and_then(|n| str_of(n).map(|v| (v, n.span)))
    {
        let ok = match p.0.split_once('/') {
            Some((n, proto)) => {
                n.parse::<u16>().is_ok()
                    && ["tcp", "udp", "tls"].contains(&proto.to_ascii_lowercase().as_str())
            }
            None => p.0.parse::<u16>().is_ok(),
        };
        if !ok && !p.0.contains("${") {
            push(out, p.1, format!("`nlb.port: {}` is not `N`, `N/tcp`, `N/udp` or `N/tls`: Copilot refuses the manifest", p.0), "write e.g. `port: 443/tls`");
        }
    } else if let Some(n) = doc
        .get("nlb")
        .filter(|n| matches!(n.kind, NodeKind::Map(_)))
    {
        push(
            out,
            n.span,
            "`nlb` needs a `port`: Copilot refuses the manifest".into(),
            "add `port: 80/tcp`",
        );
    }
}

fn topic_name_ok(n: &str) -> bool {
    !n.is_empty()
        && n.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn service_name_ok(n: &str) -> bool {
    let b = n.as_bytes();
    b.first().is_some_and(u8::is_ascii_lowercase)
        && b.len() > 1
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && !n.contains("--")
        && !n.ends_with('-')
}

/// `publish` and `subscribe` names, `from_cfn` names of variables and secrets.
fn messaging_rules(wl: &Workload, out: &mut Vec<Diagnostic>) {
    let doc = &wl.doc;
    for t in doc
        .path(&["publish", "topics"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
    {
        match t.get("name") {
            Some(n) => {
                if let Some(v) = str_of(n).filter(|v| !topic_name_ok(v) && !v.contains("${")) {
                    push(out, n.span, format!("topic name `{v}` may only hold letters, digits, `_` and `-`: Copilot refuses the manifest"), "rename the topic");
                }
            }
            None => push(
                out,
                t.span,
                "a published topic needs a `name`: Copilot refuses the manifest".into(),
                "add `name: <topic>`",
            ),
        }
    }
    for t in doc
        .path(&["subscribe", "topics"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
    {
        if t.get("name").is_none() {
            push(
                out,
                t.span,
                "a subscribed topic needs a `name`: Copilot refuses the manifest".into(),
                "add `name: <topic>` (as the publisher names it)",
            );
        }
        match t.get("service") {
            Some(n) => {
                if let Some(v) = str_of(n).filter(|v| !service_name_ok(v) && !v.contains("${")) {
                    push(out, n.span, format!("`service: {v}` is not a service name (lower-case letters, digits and single `-`, starting with a letter): Copilot refuses the manifest"), "name the publishing service as its manifest does");
                }
            }
            None => push(out, t.span, "a subscribed topic needs the `service` that publishes it: Copilot refuses the manifest".into(), "add `service: <publisher>`"),
        }
    }
    // validate.go refuses an empty `from_cfn` for a variable; for a secret
    // it checks nothing
    for block in ["variables"] {
        for e in doc.get(block).and_then(Node::as_map).unwrap_or(&[]) {
            if let Some(f) = e.value.get("from_cfn") {
                if str_of(f).is_none_or(str::is_empty) {
                    push(out, f.span, format!("`{block}.{}.from_cfn` needs an export name: Copilot refuses the manifest", e.key_str()), "write the name of the CloudFormation export to import");
                }
            }
        }
    }
}

/// `storage.volumes`: a path, and the managed file system's options.
fn storage_rules(wl: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(vols) = wl.doc.path(&["storage", "volumes"]).and_then(Node::as_map) else {
        return;
    };
    let mut managed = 0;
    for v in vols {
        let name = v.key_str();
        match v
            .value
            .get("path")
            .and_then(|n| str_of(n).map(|p| (p, n.span)))
        {
            None => push(
                out,
                v.key.span,
                format!("volume `{name}` needs a `path`: Copilot refuses the manifest"),
                "add `path: /mnt/data` (where the container mounts it)",
            ),
            Some((p, sp)) => {
                if !p
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._/".contains(&b))
                {
                    push(out, sp, format!("volume path `{p}` may only hold letters, digits and `-._/`: Copilot refuses the manifest"), "choose a plain path");
                }
            }
        }
        if is_true(v.value.get("efs")) {
            managed += 1;
        }
        let Some(efs) = v
            .value
            .get("efs")
            .filter(|e| matches!(e.kind, NodeKind::Map(_)))
        else {
            continue;
        };
        let uid = efs.get("uid");
        let gid = efs.get("gid");
        if uid.is_some() || gid.is_some() {
            managed += 1;
            for k in ["id", "root_dir", "auth"] {
                if let Some(n) = efs.get(k) {
                    push(out, n.span, format!("volume `{name}`: `uid`/`gid` (a file system Copilot manages) cannot go with `{k}`: Copilot refuses the manifest"), "drop `uid`/`gid` to mount your own file system, or drop `id`, `root_dir` and `auth`");
                }
            }
            if uid.is_some() != gid.is_some() {
                push(
                    out,
                    efs.span,
                    format!(
                        "volume `{name}` needs both `uid` and `gid`: Copilot refuses the manifest"
                    ),
                    "give both",
                );
            }
            if let Some(u) = uid.filter(|u| u.as_scalar().and_then(|s| s.as_int()) == Some(0)) {
                push(out, u.span, format!("volume `{name}`: `uid: 0` (root) is not allowed: Copilot refuses the manifest"), "use a non-root user id");
            }
        }
    }
    if managed > 1 {
        if let Some(v) = wl.doc.path(&["storage", "volumes"]) {
            push(out, v.span, "at most one volume may use the file system Copilot manages (`efs: true` or `uid`/`gid`): Copilot refuses the manifest".into(), "mount the managed file system once, with several paths below it if needed");
        }
    }
}

fn is_ecr(loc: &str) -> bool {
    let mut parts = loc.split('.');
    let account = parts.next().unwrap_or("");
    account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && parts.next() == Some("dkr")
        && parts.next() == Some("ecr")
}
