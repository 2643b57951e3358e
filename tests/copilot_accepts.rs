//! RL208 says "Copilot refuses the manifest" only where Copilot's own
//! validation does (internal/pkg/manifest/validate.go, validate_env.go,
//! internal/pkg/override/patch.go). Each case here is one Copilot accepts
//! and reachlint once refused: it must raise no RL208 (a key the type does
//! not have is RL102's, not RL208's).

mod common;
use common::Ws;

fn rl208(ws: &Ws) -> Vec<String> {
    ws.check()
        .diagnostics
        .iter()
        .filter(|d| d.rule.code() == "RL208")
        .map(|d| d.message.clone())
        .collect()
}

const LBWS: &str = "name: web\ntype: Load Balanced Web Service\nimage:\n  location: nginx\n  port: 80\nhttp:\n  path: '/'\n";

#[test]
fn fields_other_types_or_sides_do_not_have_are_ignored_not_refused() {
    let cases: &[(&str, &str, &str)] = &[
        // `http.public.ingress.vpc` and `http.private.ingress.cdn` are no
        // fields (env.go): Copilot ignores them
        (
            "public-ingress-vpc",
            "environments/test/manifest.yml",
            "name: test\ntype: Environment\nhttp:\n  public:\n    ingress:\n      vpc: true\n",
        ),
        (
            "private-ingress-cdn",
            "environments/test/manifest.yml",
            "name: test\ntype: Environment\nhttp:\n  private:\n    ingress:\n      cdn: true\n",
        ),
        // `nlb` is no Backend Service field
        (
            "backend-nlb",
            "api/manifest.yml",
            "name: api\ntype: Backend Service\nimage:\n  location: nginx\n  port: 80\nnlb:\n  port: not-a-port\n",
        ),
        // a Static Site is validated for its own fields only
        (
            "static-site",
            "site/manifest.yml",
            "name: site\ntype: Static Site\nhttp:\n  version: http9\n",
        ),
    ];
    for (name, file, text) in cases {
        let ws = Ws::new(&format!("accepts-{name}")).file(file, text);
        assert_eq!(rl208(&ws), Vec::<String>::new(), "{name}");
    }
}

#[test]
fn values_copilot_accepts_are_not_refused() {
    let cases: &[(&str, &str, &str)] = &[
        // net.ParseCIDR takes IPv6
        (
            "ipv6-source",
            "web/manifest.yml",
            "name: web\ntype: Load Balanced Web Service\nimage:\n  location: nginx\n  port: 80\nhttp:\n  path: '/'\n  allowed_source_ips: ['2001:db8::/32']\n",
        ),
        // `observability` is validated for the Request-Driven Web Service only
        (
            "tracing",
            "web/manifest.yml",
            &format!("{LBWS}observability:\n  tracing: jaeger\n"),
        ),
        // a secret's empty from_cfn is not validated
        (
            "secret-from-cfn",
            "web/manifest.yml",
            &format!("{LBWS}secrets:\n  DB:\n    from_cfn: ''\n"),
        ),
        // an alias on a Backend Service that targets a sidecar's port
        (
            "backend-alias-target-container",
            "api/manifest.yml",
            "name: api\ntype: Backend Service\nimage:\n  location: nginx\nhttp:\n  path: '/'\n  target_container: proxy\nsidecars:\n  proxy:\n    image: envoy\n    port: 8080\nnetwork:\n  connect:\n    alias: api\n",
        ),
        // Service Connect on Windows is refused for web and backend services only
        (
            "windows-worker-connect",
            "work/manifest.yml",
            "name: work\ntype: Worker Service\nimage:\n  location: mcr.microsoft.com/windows/servercore\nplatform: windows/x86_64\ncpu: 1024\nmemory: 2048\nnetwork:\n  connect: true\n",
        ),
        // the additional rules' grace period is checked on web services only
        (
            "backend-rule-grace",
            "api/manifest.yml",
            "name: api\ntype: Backend Service\nimage:\n  location: nginx\n  port: 80\nhttp:\n  path: '/'\n  additional_rules:\n    - path: /admin\n      healthcheck:\n        path: /\n        grace_period: 30s\n",
        ),
        // an unquoted integer is a port (`-1`: all) for an environment rule
        (
            "env-ports-all",
            "environments/test/manifest.yml",
            "name: test\ntype: Environment\nnetwork:\n  vpc:\n    security_group:\n      ingress:\n        - ip_protocol: -1\n          ports: -1\n          cidr: 10.0.0.0/16\n",
        ),
        // an empty patch file holds no patch
        (
            "empty-patches",
            "web/overrides/cfn.patches.yml",
            "# no patches yet\n",
        ),
    ];
    for (name, file, text) in cases {
        // beside a web service, unless the case is in its manifest
        let ws = Ws::new(&format!("accepts-{name}"))
            .file("web/manifest.yml", LBWS)
            .file(file, text);
        assert_eq!(rl208(&ws), Vec::<String>::new(), "{name}");
    }
}

/// What Copilot does refuse still is.
#[test]
fn what_copilot_refuses_still_is() {
    let ws = Ws::new("refuses-quoted-port").file(
        "environments/test/manifest.yml",
        "name: test\ntype: Environment\nnetwork:\n  vpc:\n    security_group:\n      ingress:\n        - ip_protocol: tcp\n          ports: 'eighty'\n          cidr: 10.0.0.0/16\n",
    );
    assert_eq!(rl208(&ws).len(), 1);
    let ws = Ws::new("refuses-patch-op")
        .file("web/manifest.yml", LBWS)
        .file(
            "web/overrides/cfn.patches.yml",
            "- op: copy\n  from: /a\n  path: /b\n",
        );
    assert_eq!(rl208(&ws).len(), 1, "{:?}", rl208(&ws));
    let ws = Ws::new("refuses-tracing-rdws").file(
        "app/manifest.yml",
        "name: app\ntype: Request-Driven Web Service\nimage:\n  location: public.ecr.aws/nginx/nginx\n  port: 80\nobservability:\n  tracing: jaeger\n",
    );
    assert_eq!(rl208(&ws).len(), 1, "{:?}", rl208(&ws));
}

/// Issue 17: RL208 misses, each a check of Copilot's validation.
#[test]
fn what_copilot_refuses_and_reachlint_once_missed() {
    // LoadBalancedWebServiceConfig.validate: "http" must be specified, also
    // beside an nlb (an NLB alone needs `http: false`)
    let ws = Ws::new("refuses-nlb-without-http").file(
        "web/manifest.yml",
        "name: web\ntype: Load Balanced Web Service\nimage:\n  location: public.ecr.aws/nginx/nginx\n  port: 80\nnlb:\n  port: 80/tcp\n",
    );
    let found = rl208(&ws);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("still needs `http`"), "{found:?}");
    let ws = Ws::new("accepts-nlb-with-http-false").file(
        "web/manifest.yml",
        "name: web\ntype: Load Balanced Web Service\nimage:\n  location: public.ecr.aws/nginx/nginx\n  port: 80\nhttp: false\nnlb:\n  port: 80/tcp\n",
    );
    assert_eq!(rl208(&ws), Vec::<String>::new());
    // isValidSubSvcName: lower-case letters, digits and hyphens; no dots
    let ws = Ws::new("refuses-dotted-service").file(
        "jobs/manifest.yml",
        "name: jobs\ntype: Worker Service\nimage:\n  location: public.ecr.aws/nginx/nginx\nsubscribe:\n  topics:\n    - name: orders\n      service: api.v2\n",
    );
    assert_eq!(rl208(&ws).len(), 1, "{:?}", rl208(&ws));
    // validateManagedVPC: the CIDRs of every subnet, with a zone or not,
    // count against the zones
    let ws = Ws::new("refuses-zone-count").file(
        "environments/test/manifest.yml",
        "name: test\ntype: Environment\nnetwork:\n  vpc:\n    cidr: 10.0.0.0/16\n    subnets:\n      public:\n        - cidr: 10.0.0.0/24\n          az: eu-west-1a\n        - cidr: 10.0.1.0/24\n          az: eu-west-1b\n        - cidr: 10.0.4.0/24\n      private:\n        - cidr: 10.0.2.0/24\n          az: eu-west-1a\n        - cidr: 10.0.3.0/24\n          az: eu-west-1b\n",
    );
    assert_eq!(rl208(&ws).len(), 1, "{:?}", rl208(&ws));
    // validateHealthCheckPorts: an NLB listener's health check goes to its
    // port when no healthcheck.port is given; over UDP that is refused
    let ws = Ws::new("refuses-udp-default-health-check").file(
        "dns/manifest.yml",
        "name: dns\ntype: Load Balanced Web Service\nimage:\n  location: public.ecr.aws/nginx/nginx\n  port: 80\nhttp: false\nnlb:\n  port: 53/udp\n",
    );
    let found = rl208(&ws);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("over UDP"), "{found:?}");
}
