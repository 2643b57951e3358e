//! The one way reachlint reads a file from disk: only a regular file, never
//! through a symbolic link that leaves the repository, and never more than
//! a budget, counted while reading (a device or a sparse file reports a
//! size in its metadata that says nothing).
//!
//! Invariant: no other module opens an input file; each caller turns a
//! [`Refused`] into its own finding or message, which names the path and
//! never the content.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The folder reading stays inside: the git top level above a path (a
/// folder holding `.git`), else a folder the caller names.
#[derive(Debug, Clone)]
pub struct Fence {
    /// Canonical (links resolved).
    root: PathBuf,
}

impl Fence {
    /// The git top level at or above `start`, else `fallback`.
    pub fn around(start: &Path, fallback: &Path) -> Fence {
        let start = canonical(start);
        let root = start
            .ancestors()
            .find(|a| a.join(".git").symlink_metadata().is_ok())
            .map_or_else(|| canonical(fallback), Path::to_path_buf);
        Fence { root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether `path`, links resolved, lies inside the fence.
    pub fn holds(&self, path: &Path) -> bool {
        std::fs::canonicalize(path).is_ok_and(|c| c.starts_with(&self.root))
    }
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    })
}

/// Why a file was not read.
#[derive(Debug)]
pub enum Refused {
    /// A symbolic link (the path or a folder on it) resolving outside the
    /// fence.
    LinkOutside {
        root: PathBuf,
    },
    /// Not a regular file: `kind` names what it is.
    NotAFile {
        kind: &'static str,
    },
    /// More than `limit` bytes were there to read.
    TooBig {
        limit: u64,
    },
    Io(std::io::Error),
}

impl Refused {
    /// The change that lets reachlint read the file.
    pub fn fix(&self) -> &'static str {
        match self {
            Refused::LinkOutside { .. } => {
                "keep the file inside the repository (copy it instead of linking to it)"
            }
            Refused::NotAFile { .. } => "replace it with a regular file, or remove it",
            Refused::TooBig { .. } => "split the file, or check a smaller part of the repository",
            Refused::Io(_) => "fix the permissions, or remove the file",
        }
    }
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::LinkOutside { root } => write!(
                f,
                "it is a symbolic link (or lies below one) that leads outside {}; it is not read",
                root.display()
            ),
            Refused::NotAFile { kind } => {
                write!(f, "it is {kind}, not a regular file; it is not read")
            }
            Refused::TooBig { limit } => {
                write!(
                    f,
                    "it holds more than {limit} bytes, the limit; it is not read"
                )
            }
            Refused::Io(e) => write!(f, "cannot read it: {e}"),
        }
    }
}

/// What a path is when it is not a regular file (links followed), or None
/// for a regular file or a path that does not exist.
pub fn odd_kind(path: &Path) -> Option<&'static str> {
    let ft = std::fs::metadata(path).ok()?.file_type();
    kind_name(&ft)
}

fn kind_name(ft: &std::fs::FileType) -> Option<&'static str> {
    if ft.is_file() {
        return None;
    }
    if ft.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if ft.is_socket() {
            return Some("a socket");
        }
        if ft.is_char_device() || ft.is_block_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
}

/// Whether anything is at `path` (a dangling link counts).
pub fn present(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

/// The bytes of the regular file at `path`: inside `fence` when one is
/// given, at most `limit` bytes.
pub fn read(path: &Path, fence: Option<&Fence>, limit: u64) -> Result<Vec<u8>, Refused> {
    if let Some(f) = fence {
        // a path that does not resolve falls through to the I/O error
        if std::fs::canonicalize(path).is_ok() && !f.holds(path) {
            return Err(Refused::LinkOutside {
                root: f.root.clone(),
            });
        }
    }
    let meta = std::fs::metadata(path).map_err(Refused::Io)?;
    if let Some(kind) = kind_name(&meta.file_type()) {
        return Err(Refused::NotAFile { kind });
    }
    let file = std::fs::File::open(path).map_err(Refused::Io)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Refused::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Refused::TooBig { limit });
    }
    Ok(bytes)
}

/// The same as UTF-8 text (an invalid byte is an I/O error of kind
/// `InvalidData`).
pub fn read_text(path: &Path, fence: Option<&Fence>, limit: u64) -> Result<String, Refused> {
    let bytes = read(path, fence, limit)?;
    String::from_utf8(bytes).map_err(|e| {
        Refused::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not UTF-8 text (at byte {})", e.utf8_error().valid_up_to()),
        ))
    })
}

/// One entry of a folder: its name when it is UTF-8, else the name
/// written lossily (and `utf8` false).
#[derive(Debug)]
pub struct Entry {
    pub name: String,
    pub utf8: bool,
    pub path: PathBuf,
    /// A folder (links followed).
    pub dir: bool,
    /// A symbolic link that leads nowhere (its target is missing, or the
    /// links loop).
    pub broken: bool,
}

/// Every entry of `dir`, sorted by name; an error when the folder cannot
/// be listed.
pub fn entries(dir: &Path) -> std::io::Result<Vec<Entry>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let os = e.file_name();
        let (name, utf8) = match os.to_str() {
            Some(s) => (s.to_string(), true),
            None => (os.to_string_lossy().into_owned(), false),
        };
        let path = e.path();
        let dir = path.is_dir();
        let broken = path
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
            && std::fs::metadata(&path).is_err();
        out.push(Entry {
            name,
            utf8,
            path,
            dir,
            broken,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("reachlint-guard-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("repo/.git")).expect("scratch");
        d
    }

    #[test]
    fn a_link_out_of_the_repository_is_refused_and_one_inside_is_read() {
        let d = scratch("link");
        std::fs::write(d.join("secret.txt"), "token").expect("write");
        std::fs::write(d.join("repo/shared.yml"), "a: 1").expect("write");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(d.join("secret.txt"), d.join("repo/out.yml")).expect("link");
            std::os::unix::fs::symlink(d.join("repo/shared.yml"), d.join("repo/in.yml"))
                .expect("link");
            let fence = Fence::around(&d.join("repo"), &d.join("repo"));
            assert!(matches!(
                read(&d.join("repo/out.yml"), Some(&fence), 100),
                Err(Refused::LinkOutside { .. })
            ));
            assert_eq!(
                read(&d.join("repo/in.yml"), Some(&fence), 100).expect("inside"),
                b"a: 1"
            );
        }
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_device_or_fifo_is_never_opened_and_the_budget_is_counted() {
        #[cfg(unix)]
        assert!(matches!(
            read(Path::new("/dev/zero"), None, 100),
            Err(Refused::NotAFile { kind: "a device" })
        ));
        let d = scratch("budget");
        std::fs::write(d.join("repo/big.yml"), "x".repeat(101)).expect("write");
        assert!(matches!(
            read(&d.join("repo/big.yml"), None, 100),
            Err(Refused::TooBig { limit: 100 })
        ));
        assert_eq!(
            read(&d.join("repo/big.yml"), None, 101)
                .map(|b| b.len())
                .ok(),
            Some(101)
        );
        let _ = std::fs::remove_dir_all(&d);
    }
}
