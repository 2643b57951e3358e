//! Realistic misspellings and indentation slips, one or two per workload
//! type, the environment manifest and addon templates: each is caught at
//! the key, and the help names what was meant.

mod common;

use common::Ws;

const IMG: &str = "image:\n  build: Dockerfile\n  port: 8080\n";

/// (what, file under copilot/, text, rule, the suggestion the help must name)
fn cases() -> Vec<(
    &'static str,
    &'static str,
    String,
    &'static str,
    &'static str,
)> {
    let lbws = |body: &str| format!("name: web\ntype: Load Balanced Web Service\n{IMG}{body}");
    let backend = |body: &str| format!("name: api\ntype: Backend Service\n{IMG}{body}");
    let worker = |body: &str| {
        format!("name: jobs\ntype: Worker Service\nimage:\n  build: Dockerfile\n{body}")
    };
    let job = |body: &str| {
        format!("name: nightly\ntype: Scheduled Job\nimage:\n  build: Dockerfile\n{body}")
    };
    let rdws = |body: &str| format!("name: front\ntype: Request-Driven Web Service\n{IMG}{body}");
    let env = |body: &str| format!("name: test\ntype: Environment\n{body}");
    let addon = |body: &str| {
        format!("Parameters:\n  App: {{Type: String}}\n  Env: {{Type: String}}\n  Name: {{Type: String}}\nResources:\n  CacheSG:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: cache\n      VpcId: {{'Fn::ImportValue': !Sub '${{App}}-${{Env}}-VpcId'}}\nOutputs:\n{body}")
    };
    vec![
        ("RDWS placement typo", "front/manifest.yml", rdws("network:\n  vpc:\n    palcement: private\n"), "RL102", "network.vpc.placement"),
        ("RDWS observability typo", "front/manifest.yml", rdws("observabilty:\n  tracing: awsxray\n"), "RL102", "observability"),
        ("LBWS healthcheck typo", "web/manifest.yml", lbws("http:\n  path: '/'\n  healthceck: /health\n"), "RL102", "http.healthcheck"),
        ("LBWS top-level http typo", "web/manifest.yml", lbws("htpp:\n  path: '/'\n"), "RL102", "http"),
        ("LBWS storage volumes typo", "web/manifest.yml", lbws("http:\n  path: '/'\nstorage:\n  volums:\n    data:\n      path: /data\n"), "RL102", "storage.volumes"),
        ("Backend groups one level too high", "api/manifest.yml", backend("network:\n  security_groups: [sg-0123456789abcdef0]\n"), "RL102", "network.vpc.security_groups"),
        ("Backend variables typo", "api/manifest.yml", backend("variabels:\n  LOG_LEVEL: info\n"), "RL102", "variables"),
        ("Backend secret singular", "api/manifest.yml", backend("secret:\n  DB: /app/db\n"), "RL102", "secrets"),
        ("Backend image port typo", "api/manifest.yml", "name: api\ntype: Backend Service\nimage:\n  build: Dockerfile\n  prot: 8080\n".to_string(), "RL102", "image.port"),
        ("Worker topics singular", "jobs/manifest.yml", worker("subscribe:\n  topic:\n    - name: orders\n      service: api\n"), "RL102", "subscribe.topics"),
        ("Worker placement directly under network", "jobs/manifest.yml", worker("network:\n  placement: private\n"), "RL102", "network.vpc.placement"),
        ("Job schedule typo", "nightly/manifest.yml", job("on:\n  schedle: '@daily'\n"), "RL102", "on.schedule"),
        ("Job schedule at the top level", "nightly/manifest.yml", job("on:\n  schedule: '@daily'\nretires: 3\n"), "RL102", "retries"),
        ("Environment subnets singular", "environments/test/manifest.yml", env("network:\n  vpc:\n    cidr: 10.0.0.0/16\n    subnet:\n      public:\n        - cidr: 10.0.0.0/24\n"), "RL102", "network.vpc.subnets"),
        ("Environment certificates singular", "environments/test/manifest.yml", env("http:\n  public:\n    certificate: [arn:aws:acm:us-east-1:123456789012:certificate/1]\n"), "RL102", "http.public.certificates"),
        ("Environment cdn typo", "environments/test/manifest.yml", env("cnd: true\n"), "RL102", "cdn"),
        ("Manifest from_cfn export typo", "api/manifest.yml", backend("network:\n  vpc:\n    security_groups:\n      - from_cfn: app-test-EnvironmentSecurityGrop\n"), "RL304", "app-test-EnvironmentSecurityGroup"),
        ("Addon !Reff", "api/addons/cache.yml", addon("  CacheSG:\n    Value: !Reff CacheSG\n"), "RL306", "!Ref"),
        ("Addon GetAtt attribute typo", "api/addons/cache.yml", addon("  CacheSGId:\n    Value: !GetAtt CacheSG.GroupIdd\n"), "RL307", "CacheSG.GroupId"),
        ("Addon Ref target typo", "api/addons/cache.yml", addon("  CacheSG:\n    Value: !Ref CachSG\n"), "RL303", "CacheSG"),
        ("Addon export typo", "api/addons/cache.yml", addon("  Vpc:\n    Value: !ImportValue {'Fn::Sub': '${App}-${Env}-VpcID'}\n"), "RL304", "app-test-VpcId"),
    ]
}

#[test]
fn misspellings_are_caught_with_the_right_suggestion() {
    let cases = cases();
    assert!(cases.len() >= 15);
    let mut failures = Vec::new();
    for (i, (what, file, text, rule, want)) in cases.iter().enumerate() {
        let ws = Ws::new(&format!("typo{i}"));
        if *file != "api/manifest.yml" {
            ws.write(
                "api/manifest.yml",
                format!("name: api\ntype: Backend Service\n{IMG}"),
            );
        }
        ws.write(file, text);
        let r = ws.check();
        let hit = r.diagnostics.iter().find(|d| {
            d.rule.code() == *rule
                && d.help
                    .as_deref()
                    .is_some_and(|h| h.contains(&format!("`{want}")))
        });
        if hit.is_none() {
            let seen: Vec<String> = r
                .diagnostics
                .iter()
                .map(|d| {
                    format!(
                        "{} {} | {}",
                        d.rule,
                        d.message,
                        d.help.as_deref().unwrap_or("")
                    )
                })
                .collect();
            failures.push(format!(
                "{what}: no {rule} suggesting `{want}`; saw {seen:#?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
