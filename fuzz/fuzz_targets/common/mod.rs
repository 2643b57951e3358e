//! Shared by the fuzz targets: the bundle format (several files in one
//! input), a scratch directory of the process's own, and a tree walk.
//!
//! A bundle is sections separated by NUL bytes; a section's first line is a
//! relative path (`copilot/api/manifest.yml`), the rest is the file's text.
//! Real inputs never hold NUL (the loader refuses such a file), so the
//! separator takes nothing away from what a file may contain.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use reachlint::load::yaml::{Node, NodeKind};

/// At most this many files per bundle, and path components per file.
pub const MAX_FILES: usize = 24;
const MAX_COMPONENTS: usize = 8;
const MAX_PATH_BYTES: usize = 200;

/// The sections of a bundle whose path is acceptable, in order; a path
/// given twice keeps its last text. The files' bytes are as given (a file
/// need not be UTF-8: the loader reports those that are not).
pub fn bundle(data: &[u8]) -> Vec<(PathBuf, &[u8])> {
    let mut out: Vec<(PathBuf, &[u8])> = Vec::new();
    for section in data.split(|b| *b == 0) {
        let (head, body) = match section.iter().position(|b| *b == b'\n') {
            Some(i) => (&section[..i], &section[i + 1..]),
            None => (section, &section[section.len()..]),
        };
        let Some(path) = std::str::from_utf8(head)
            .ok()
            .and_then(|h| relative_path(h.trim_end_matches('\r')))
        else {
            continue;
        };
        out.retain(|(p, _)| *p != path);
        out.push((path, body));
        if out.len() == MAX_FILES {
            break;
        }
    }
    out
}

/// A relative path that stays inside the directory it is joined to:
/// `/`-separated parts of `[A-Za-z0-9._-]`, none empty, `.` or `..`.
pub fn relative_path(s: &str) -> Option<PathBuf> {
    if s.is_empty() || s.len() > MAX_PATH_BYTES {
        return None;
    }
    let parts: Vec<&str> = s.split('/').collect();
    if parts.len() > MAX_COMPONENTS {
        return None;
    }
    let ok = |p: &&str| {
        !p.is_empty()
            && *p != "."
            && *p != ".."
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    };
    parts.iter().all(ok).then(|| parts.iter().collect())
}

/// A directory of this process's own under the system's temporary
/// directory (`$TMPDIR/reachlint-fuzz-<pid>`): emptied before each input,
/// removed after it, and on a panic.
pub struct Scratch {
    root: PathBuf,
}

impl Scratch {
    /// The process's directory; a panic removes it before libFuzzer's own
    /// panic hook reports the input and aborts.
    pub fn new() -> Scratch {
        let root = std::env::temp_dir().join(format!("reachlint-fuzz-{}", std::process::id()));
        let on_panic = root.clone();
        let reporter = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = std::fs::remove_dir_all(&on_panic);
            reporter(info);
        }));
        Scratch { root }
    }

    /// The directory, empty.
    pub fn fresh(&self) -> &Path {
        self.clear();
        std::fs::create_dir_all(&self.root).expect("create the scratch directory");
        &self.root
    }

    /// Writes each file of a bundle under the directory (a file whose
    /// folder cannot be made, because a file of that name is in the way,
    /// is left out); returns the paths written.
    pub fn write(&self, files: &[(PathBuf, &[u8])]) -> Vec<PathBuf> {
        let mut written = Vec::new();
        for (rel, text) in files {
            let p = self.root.join(rel);
            assert!(p.starts_with(&self.root) && rel.is_relative());
            if let Some(dir) = p.parent() {
                if std::fs::create_dir_all(dir).is_err() {
                    continue;
                }
            }
            if std::fs::write(&p, text).is_ok() {
                written.push(p);
            }
        }
        written
    }

    /// Removes the directory and everything in it.
    pub fn clear(&self) {
        if self.root.exists() {
            std::fs::remove_dir_all(&self.root).expect("remove the scratch directory");
        }
    }
}

/// Every node of a tree, without recursion (the tree may be deep).
pub fn walk(root: &Node, mut f: impl FnMut(&Node)) {
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        f(n);
        match &n.kind {
            NodeKind::Scalar(_) => {}
            NodeKind::Seq(items) => stack.extend(items.iter()),
            NodeKind::Map(entries) => {
                for e in entries {
                    stack.push(&e.key);
                    stack.push(&e.value);
                }
            }
        }
    }
}

/// A `${NAME}` lookup standing for the process environment at deploy time:
/// a few names are set, to values of the kinds manifests interpolate.
pub fn lookup(name: &str) -> Option<String> {
    match name {
        "PORT" => Some("8080".into()),
        "CIDR" => Some("10.1.0.0/16".into()),
        "SUBNET" => Some("subnet-0123456789abcdef0".into()),
        "PLACEMENT" => Some("private".into()),
        "EMPTY" => Some(String::new()),
        n if n.starts_with("DEPLOY") => Some(format!("${{{n}}}")),
        _ => None,
    }
}
