//! The source map: every file reachlint read, and positions inside it.

use std::path::{Path, PathBuf};

/// Index of a file in the [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one source file (end exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end.max(start) as u32,
        }
    }
}

/// A 1-based line/column position; columns count characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

#[derive(Debug)]
pub struct SourceFile {
    /// Absolute (or as given) path on disk.
    pub path: PathBuf,
    /// Path as shown to users: relative to the working directory when under it.
    pub display: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: String) -> SourceFile {
        let mut line_starts = vec![0];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i + 1),
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    line_starts.push(i + 1);
                }
                _ => {}
            }
            i += 1;
        }
        SourceFile {
            path,
            display,
            text,
            line_starts,
        }
    }

    /// Position of a byte offset (clamped to the text and to a char boundary).
    pub fn position(&self, byte: usize) -> Position {
        let mut byte = byte.min(self.text.len());
        while byte > 0 && !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line_idx = match self.line_starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts[line_idx];
        let column = self.text[start..byte].chars().count() + 1;
        Position {
            line: line_idx as u32 + 1,
            column: column as u32,
        }
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: u32) -> &str {
        let idx = (line as usize).saturating_sub(1);
        let Some(&start) = self.line_starts.get(idx) else {
            return "";
        };
        let end = self
            .line_starts
            .get(idx + 1)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// A path without `.` and `..` components (lexically: links are not
/// resolved).
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// All files read in one run.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    cwd: Option<PathBuf>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap {
            files: Vec::new(),
            cwd: std::env::current_dir().ok(),
        }
    }

    /// Adds a file; `path` should be absolute.
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        let display = self.display_path(&path);
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile::new(path, display, text));
        id
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// Every file read, with its id.
    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn display(&self, id: FileId) -> &str {
        &self.file(id).display
    }

    pub fn start(&self, span: Span) -> Position {
        self.file(span.file).position(span.start as usize)
    }

    pub fn end(&self, span: Span) -> Position {
        self.file(span.file).position(span.end as usize)
    }

    /// `file:line` for a span, the way explanations print it.
    pub fn locate(&self, span: Span) -> String {
        let p = self.start(span);
        format!("{}:{}", self.display(span.file), p.line)
    }

    /// A path relative to its repository, the same from any working
    /// directory (fingerprints key on it): relative to the git top level
    /// above it, else to the folder holding its `copilot/`, else as shown.
    pub fn repo_path(&self, path: &Path) -> String {
        let abs = match (&self.cwd, path.is_absolute()) {
            (Some(cwd), false) => cwd.join(path),
            _ => path.to_path_buf(),
        };
        let norm = normalize(&abs);
        let root = norm
            .ancestors()
            .skip(1)
            .find(|a| a.join(".git").symlink_metadata().is_ok())
            .or_else(|| {
                norm.ancestors()
                    .find(|a| a.file_name().is_some_and(|n| n == "copilot"))
                    .and_then(Path::parent)
            });
        match root.and_then(|r| norm.strip_prefix(r).ok()) {
            Some(rel) => rel.to_string_lossy().replace('\\', "/"),
            None => self.display_path(path),
        }
    }

    /// A path as shown to users: relative to the working directory when
    /// under it, `/` separators.
    pub fn display_path(&self, path: &Path) -> String {
        let shown = match &self.cwd {
            Some(cwd) => path.strip_prefix(cwd).unwrap_or(path),
            None => path,
        };
        let s = shown.to_string_lossy().replace('\\', "/");
        if s.is_empty() {
            ".".to_string()
        } else {
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_chars() {
        let f = SourceFile::new("x".into(), "x".into(), "ab\nçd: e\r\nz".into());
        assert_eq!(f.position(0), Position { line: 1, column: 1 });
        assert_eq!(f.position(3), Position { line: 2, column: 1 });
        // 'd' follows a two-byte char
        assert_eq!(f.position(5), Position { line: 2, column: 2 });
        assert_eq!(f.position(11), Position { line: 3, column: 1 });
        assert_eq!(f.line_text(2), "çd: e");
        assert_eq!(f.position(999).line, 3);
    }
}
