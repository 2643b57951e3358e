//! Full check of the seed fixture (load, manifests, addon evaluation,
//! synthesis, model, every flow over every placement, JSON rendering).
//! Run by hand: `cargo bench`; CI only compiles it.

use criterion::{criterion_group, criterion_main, Criterion};
use reachlint::door::{check, Options};
use std::hint::black_box;
use std::path::PathBuf;

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
}

criterion_group!(benches, full_check);
criterion_main!(benches);
