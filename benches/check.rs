//! Full checks, in process (load, manifests, addon evaluation, synthesis,
//! model, every flow over every placement, JSON rendering): the seed
//! fixtures, and a generated workspace of 100 workloads of every type over
//! 5 environments. Run by hand: `cargo bench`; CI only compiles it.

use criterion::{criterion_group, criterion_main, Criterion};
use reachlint::app::check;
use reachlint::door::Options;
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn full_check(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for fixture in ["apprunner-vpc", "apprunner-vpc-v2"] {
        let opts = Options {
            path: root.join("fixtures").join(fixture),
            ..Options::default()
        };
        c.bench_function(&format!("check {fixture} (json)"), |b| {
            b.iter(|| {
                let r = check(black_box(&opts)).expect("fixture checks");
                black_box(reachlint::report::json::render(&r))
            })
        });
    }
    let ws = generated_workspace(100, 5);
    let opts = Options {
        path: ws.clone(),
        ..Options::default()
    };
    let mut g = c.benchmark_group("scale");
    g.sample_size(10);
    g.bench_function("check 100 workloads x 5 environments (json)", |b| {
        b.iter(|| {
            let r = check(black_box(&opts)).expect("generated workspace checks");
            black_box(reachlint::report::json::render(&r))
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(ws);
}

/// A workspace of `n` workloads cycling through every network-attached
/// type and placement, every fifth with an Aurora addon, over `envs`
/// environments with the default configuration.
fn generated_workspace(n: usize, envs: usize) -> PathBuf {
    let root = std::env::temp_dir().join(format!("reachlint-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let write = |rel: &str, text: &str| {
        let p = root.join("copilot").join(rel);
        std::fs::create_dir_all(p.parent().unwrap_or(Path::new("."))).expect("dirs");
        std::fs::write(p, text).expect("write");
    };
    write(".workspace", "application: bench\n");
    for e in 0..envs {
        write(
            &format!("environments/env{e}/manifest.yml"),
            &format!("name: env{e}\ntype: Environment\n"),
        );
    }
    let addon = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/ecs-lbws-aurora/copilot/web/addons/webDb.yml"),
    )
    .expect("fixture addon");
    for i in 0..n {
        let name = format!("svc{i}");
        let body = match i % 5 {
            0 => "type: Load Balanced Web Service\nhttp:\n  path: /\nimage:\n  build: Dockerfile\n  port: 8080\n".to_string(),
            1 => "type: Backend Service\nimage:\n  build: Dockerfile\n  port: 8080\nnetwork:\n  vpc:\n    placement: private\n".to_string(),
            2 => "type: Worker Service\nimage:\n  location: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/w:1\nnetwork:\n  vpc:\n    placement: private\n".to_string(),
            3 => "type: Scheduled Job\nimage:\n  build: Dockerfile\non:\n  schedule: '@daily'\n".to_string(),
            _ => "type: Request-Driven Web Service\nimage:\n  build: Dockerfile\n  port: 8080\nnetwork:\n  vpc:\n    placement: private\n".to_string(),
        };
        write(
            &format!("{name}/manifest.yml"),
            &format!("name: {name}\n{body}"),
        );
        if i % 5 == 1 {
            write(
                &format!("{name}/addons/db.yml"),
                &addon.replace("webDb", &format!("svc{i}Db")),
            );
        }
    }
    root
}

criterion_group!(benches, full_check);
criterion_main!(benches);
