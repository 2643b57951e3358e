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

/// The environment manifest's validations (`validate_env.go`).
pub fn check_environment(doc: &Node, out: &mut Vec<Diagnostic>) {
    let Some(vpc) = doc.path(&["network", "vpc"]) else {
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
                let ok = match p.value.split_once('-') {
                    Some((a, b)) => match (a.parse::<u32>(), b.parse::<u32>()) {
                        (Ok(a), Ok(b)) => a <= b,
                        _ => false,
                    },
                    None => p.value.parse::<u32>().is_ok(),
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

/// A VPC Copilot creates with a custom `cidr`: the public and private
/// subnets must cover the same zones, one subnet of each per zone.
fn managed_zones(vpc: &Node, out: &mut Vec<Diagnostic>) {
    let zones = |kind: &str| -> Vec<(String, String)> {
        vpc.path(&["subnets", kind])
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(|it| {
                let az = it.get("az").and_then(str_of)?.to_string();
                let cidr = it.get("cidr").and_then(str_of).unwrap_or("").to_string();
                Some((az, cidr))
            })
            .collect()
    };
    let (public, private) = (zones("public"), zones("private"));
    if public.is_empty() && private.is_empty() {
        return;
    }
    let set = |l: &[(String, String)]| {
        let mut z: Vec<String> = l.iter().map(|(a, _)| a.clone()).collect();
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
    let distinct = |l: &[(String, String)]| {
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

/// A workload manifest's validations (`validate.go`), on the manifest as
/// merged for one environment.
pub fn check_workload(wl: &Workload, out: &mut Vec<Diagnostic>) {
    let doc = &wl.doc;
    let t = wl.wtype.as_str();
    let http = doc.entry("http");
    if t == LBWS {
        match http.map(|e| &e.value) {
            None if doc.get("nlb").is_none() => push(
                out,
                wl.type_span,
                "a Load Balanced Web Service needs `http` (or `nlb`): Copilot refuses the manifest"
                    .into(),
                "add `http: {path: '/'}`, or `nlb: {port: 80/tcp}`",
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
    let connect = doc.path(&["network", "connect"]);
    if let Some(alias) = connect.and_then(|c| c.get("alias")) {
        if t == WORKER {
            push(
                out,
                alias.span,
                "a Worker Service cannot have a Service Connect `alias`: Copilot refuses the manifest".into(),
                "remove `network.connect.alias` (a worker receives no requests)",
            );
        } else if t == BACKEND && doc.path(&["image", "port"]).is_none() {
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
        if let Some(c) = connect.filter(|c| c.as_scalar().and_then(|s| s.as_bool()) != Some(false))
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
    for (i, cidr) in doc
        .path(&["http", "allowed_source_ips"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        if let Some(v) = str_of(cidr) {
            if v.parse::<crate::model::net::Cidr>().is_err() && !v.contains("${") {
                push(out, cidr.span, format!("`http.allowed_source_ips[{i}]` (`{v}`) is not a CIDR block: Copilot refuses the manifest"), "write an address block such as `10.24.34.0/23`");
            }
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
