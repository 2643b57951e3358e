//! The span-preserving YAML loader (`load::yaml::parse`) on any text: it
//! returns a tree or an error, never panics, every span it gives lies
//! inside the text, and no mapping holds a key twice. Also with small
//! budgets, so the depth and node limits (and alias expansion against
//! them) are reached by small inputs.

#![no_main]

mod common;

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use reachlint::base::source::{FileId, SourceMap, Span};
use reachlint::load::yaml::{parse, to_json, Limits, Node};

fn in_text(sources: &SourceMap, id: FileId, span: Span) {
    let len = sources.file(id).text.len();
    assert_eq!(span.file, id, "a span names another file");
    assert!(
        span.start <= span.end && span.end as usize <= len,
        "span {}..{} outside the text of {len} bytes",
        span.start,
        span.end
    );
    let _ = sources.start(span);
    let _ = sources.end(span);
}

fn read(sources: &SourceMap, id: FileId, doc: &Node) {
    common::walk(doc, |n| {
        in_text(sources, id, n.span);
        let _ = n.kind_name();
        let _ = n.is_null();
        let _ = n.as_bool();
        if let Some(s) = n.as_scalar() {
            let _ = s.as_int();
            let _ = s.as_bool();
        }
        // duplicate keys are errors, and a merged key never repeats one
        if let Some(entries) = n.as_map() {
            let mut seen = std::collections::HashSet::new();
            for k in entries.iter().filter_map(|e| e.key.as_str()) {
                assert!(seen.insert(k), "key `{k}` twice in one mapping");
            }
        }
    });
    let _ = to_json(doc);
    let _ = doc.path(&["Resources", "Type"]);
    let _ = doc.path(&["network", "vpc", "placement"]);
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let mut sources = SourceMap::new();
    let id = sources.add(PathBuf::from("/fuzz/input.yml"), text);
    let small = Limits {
        max_depth: 8,
        max_nodes: 64,
    };
    for limits in [Limits::default(), small] {
        match parse(&sources.file(id).text, id, limits) {
            Ok(doc) => read(&sources, id, &doc),
            Err(e) => in_text(&sources, id, e.span),
        }
    }
});
