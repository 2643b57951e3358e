//! Workspace discovery and reading: finds the `copilot/` folder a path belongs
//! to, reads `.workspace`, every environment and workload manifest and every
//! addon folder into span-preserving YAML trees.

pub mod yaml;

use std::path::{Path, PathBuf};

use crate::base::diag::Diagnostic;
use crate::base::guard;
#[cfg(test)]
use crate::base::rule::RuleId;
use crate::base::source::{FileId, SourceMap, Span};
use crate::rules::copilot::{ignored_file, missing_workspace};
use crate::rules::limits::{input_limit, unreadable_file};
use crate::rules::schema::yaml_syntax;
use yaml::{Limits, Node, YamlErrorKind};

/// Largest file reachlint reads.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// A YAML file that was read; `doc` is None when it could not be parsed
/// (a diagnostic says why).
#[derive(Debug)]
pub struct YamlFile {
    pub path: PathBuf,
    pub file: Option<FileId>,
    pub doc: Option<Node>,
}

#[derive(Debug)]
pub struct EnvDir {
    /// Directory name under `copilot/environments/`.
    pub name: String,
    pub manifest: YamlFile,
}

#[derive(Debug)]
pub struct AddonsDir {
    /// Template files, sorted by name.
    pub templates: Vec<YamlFile>,
    pub parameters: Option<YamlFile>,
}

#[derive(Debug)]
pub struct WorkloadDir {
    /// Directory name under `copilot/`.
    pub name: String,
    pub manifest: YamlFile,
    pub addons: Option<AddonsDir>,
    pub overrides: Option<PathBuf>,
    /// `overrides/cfn.patches.yml`, the YAML patches Copilot applies to the
    /// rendered stack (it wins over a CDK app beside it).
    pub patches: Option<YamlFile>,
}

/// Everything read from one workspace.
#[derive(Debug)]
pub struct Workspace {
    /// The `copilot/` folder.
    pub copilot_dir: PathBuf,
    pub application: Option<(String, Span)>,
    pub envs: Vec<EnvDir>,
    pub workloads: Vec<WorkloadDir>,
    pub env_addons: Option<AddonsDir>,
    pub env_overrides: Option<PathBuf>,
    /// `environments/overrides/cfn.patches.yml`.
    pub env_patches: Option<YamlFile>,
}

/// The tool cannot run on this path (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("path not found: {0}")]
    NotFound(PathBuf),
    #[error("no Copilot workspace (a `copilot/` folder) at or above {0}")]
    NoWorkspace(PathBuf),
}

/// Finds the `copilot/` folder that `path` belongs to: `path` may be the
/// project root holding `copilot/`, the `copilot/` folder, or any file or
/// folder inside it.
pub fn find_copilot_dir(path: &Path) -> Result<PathBuf, LoadError> {
    let abs = absolute(path);
    if !abs.exists() {
        return Err(LoadError::NotFound(path.to_path_buf()));
    }
    if abs.is_dir()
        && abs.join("copilot").is_dir()
        && abs.file_name().is_none_or(|n| n != "copilot")
    {
        return Ok(abs.join("copilot"));
    }
    for anc in abs.ancestors() {
        if anc.file_name().is_some_and(|n| n == "copilot") && anc.is_dir() {
            return Ok(anc.to_path_buf());
        }
    }
    Err(LoadError::NoWorkspace(path.to_path_buf()))
}

/// `path` made absolute (against the working directory) and normalized.
pub fn absolute(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    normalize(&abs)
}

/// An absolute path without `.` and `..` components.
pub fn normalize(p: &Path) -> PathBuf {
    crate::base::source::normalize(p)
}

/// Files one workspace may hold (manifests, addon templates, patches).
pub const MAX_WORKSPACE_FILES: usize = 5_000;
/// Bytes one workspace may hold in all.
pub const MAX_WORKSPACE_BYTES: u64 = 64 * 1024 * 1024;

/// Reading one workspace: inside its fence, under its budgets.
struct Loader<'a> {
    fence: guard::Fence,
    sources: &'a mut SourceMap,
    diags: &'a mut Vec<Diagnostic>,
    files: usize,
    bytes: u64,
    /// The budget that stopped reading, reported once.
    spent: bool,
}

impl Loader<'_> {
    fn yaml(&mut self, path: &Path) -> YamlFile {
        let empty = YamlFile {
            path: path.to_path_buf(),
            file: None,
            doc: None,
        };
        if self.files >= MAX_WORKSPACE_FILES || self.bytes > MAX_WORKSPACE_BYTES {
            if !self.spent {
                self.spent = true;
                self.diags.push(input_limit::workspace_budget(
                    path,
                    MAX_WORKSPACE_FILES,
                    MAX_WORKSPACE_BYTES,
                ));
            }
            return empty;
        }
        self.files += 1;
        match guard::read(path, Some(&self.fence), MAX_FILE_BYTES) {
            Ok(bytes) => {
                self.bytes += bytes.len() as u64;
                parse_yaml(path, bytes, self.sources, self.diags)
            }
            Err(why) => {
                self.diags.push(refused(path, &why));
                empty
            }
        }
    }

    /// The sorted sub-folders of `dir` (and whether each name is UTF-8); a
    /// folder that cannot be listed, or an entry whose name is not UTF-8, is
    /// a finding (such a folder is still listed by its lossy name, so its
    /// workloads are named unchecked).
    fn subdirs(&mut self, dir: &Path) -> Vec<(String, bool)> {
        let entries = match guard::entries(dir) {
            Ok(e) => e,
            Err(e) => {
                if guard::present(dir) {
                    self.diags.push(unreadable_file::folder(dir, &e));
                }
                return vec![];
            }
        };
        let mut out = Vec::new();
        for e in entries {
            if e.broken {
                self.diags.push(unreadable_file::refused(
                    &e.path,
                    "it is a symbolic link that leads nowhere (its target is missing, or the links loop); it is not read".to_string(),
                    "point the link at a folder inside the repository, or remove it",
                ));
                continue;
            }
            if !e.utf8 {
                self.diags.push(unreadable_file::odd_name(&e.path));
                if e.dir {
                    out.push((e.name, false));
                }
                continue;
            }
            if e.dir {
                out.push((e.name, true));
            }
        }
        out
    }
}

/// A file refused by the guard as a finding that names it.
fn refused(path: &Path, why: &guard::Refused) -> Diagnostic {
    match why {
        guard::Refused::TooBig { limit } => input_limit::over(path, *limit),
        other => unreadable_file::refused(path, other.to_string(), other.fix()),
    }
}

/// Reads the whole workspace.
pub fn load_workspace(
    copilot_dir: &Path,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Workspace {
    let mut ws = Workspace {
        copilot_dir: copilot_dir.to_path_buf(),
        application: None,
        envs: Vec::new(),
        workloads: Vec::new(),
        env_addons: None,
        env_overrides: None,
        env_patches: None,
    };
    let mut ld = Loader {
        fence: guard::Fence::around(copilot_dir, copilot_dir.parent().unwrap_or(copilot_dir)),
        sources,
        diags,
        files: 0,
        bytes: 0,
        spent: false,
    };

    let wsfile = copilot_dir.join(".workspace");
    if guard::present(&wsfile) {
        let f = ld.yaml(&wsfile);
        match f.doc.as_ref().and_then(|d| d.get("application")) {
            Some(n) if n.as_str().is_some_and(|s| !s.is_empty()) => {
                ws.application = n.as_str().map(|s| (s.to_string(), n.span));
            }
            _ => {
                if let Some(id) = f.file {
                    if f.doc.is_some() {
                        ld.diags
                            .push(missing_workspace::no_application(Span::new(id, 0, 0)));
                    }
                }
            }
        }
    }
    let no_wsfile = !guard::present(&wsfile);

    let envs_dir = copilot_dir.join("environments");
    for (name, utf8) in ld.subdirs(&envs_dir) {
        if name == "addons" || name == "overrides" {
            continue;
        }
        let m = envs_dir.join(&name).join("manifest.yml");
        if !utf8 {
            // named (lossily), its workloads unchecked there; its finding
            // is above
            ws.envs.push(EnvDir {
                manifest: YamlFile {
                    path: m,
                    file: None,
                    doc: None,
                },
                name,
            });
            continue;
        }
        if guard::present(&m) {
            ws.envs.push(EnvDir {
                manifest: ld.yaml(&m),
                name,
            });
        }
    }
    if envs_dir.join("addons").is_dir() {
        ws.env_addons = Some(read_addons(&mut ld, &envs_dir.join("addons")));
    }
    if envs_dir.join("overrides").is_dir() {
        ws.env_overrides = Some(envs_dir.join("overrides"));
        ws.env_patches = read_patches(&mut ld, &envs_dir.join("overrides"));
    }

    for path in ignored_files(copilot_dir) {
        ld.diags.push(ignored_file::diagnostic(
            &path,
            path.strip_prefix(copilot_dir).unwrap_or(&path),
            why_ignored(copilot_dir, &path),
        ));
    }

    for (name, utf8) in ld.subdirs(copilot_dir) {
        if name == "environments" || name == "pipelines" || name.starts_with('.') {
            continue;
        }
        let dir = copilot_dir.join(&name);
        let m = dir.join("manifest.yml");
        // a name that is not UTF-8 (its finding is above) or a folder that
        // cannot be listed: named (lossily) and left unchecked
        let unlisted = match std::fs::read_dir(&dir) {
            Err(e) if utf8 => {
                ld.diags.push(unreadable_file::folder(&dir, &e));
                true
            }
            _ => !utf8,
        };
        if unlisted {
            ws.workloads.push(WorkloadDir {
                name,
                manifest: YamlFile {
                    path: m,
                    file: None,
                    doc: None,
                },
                addons: None,
                overrides: None,
                patches: None,
            });
            continue;
        }
        if !guard::present(&m) {
            continue;
        }
        let manifest = ld.yaml(&m);
        let addons = dir
            .join("addons")
            .is_dir()
            .then(|| read_addons(&mut ld, &dir.join("addons")));
        let overrides = dir
            .join("overrides")
            .is_dir()
            .then(|| dir.join("overrides"));
        let patches = read_patches(&mut ld, &dir.join("overrides"));
        ws.workloads.push(WorkloadDir {
            name,
            manifest,
            addons,
            overrides,
            patches,
        });
    }
    if no_wsfile {
        // at the first manifest (a workload's, else an environment's)
        let first = ws
            .workloads
            .iter()
            .map(|w| &w.manifest)
            .chain(ws.envs.iter().map(|e| &e.manifest))
            .find_map(|m| m.file)
            .map(|id| Span::new(id, 0, 0));
        ld.diags
            .push(missing_workspace::no_file(copilot_dir, first));
    }
    ws
}

/// Manifests and addon templates where Copilot never looks: a
/// `manifest.yml` directly in `copilot/` or nested deeper than a workload
/// or environment folder, a `manifest.yaml` (Copilot reads only `.yml`),
/// and YAML in a folder below `addons/`. Walks at most 6 levels deep.
pub fn ignored_files(copilot_dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![(copilot_dir.to_path_buf(), Vec::<String>::new())];
    while let Some((dir, rel)) = stack.pop() {
        if rel.len() > 6 {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let path = e.path();
            let mut parts = rel.clone();
            parts.push(name.clone());
            if path.is_dir() {
                let skip = name.starts_with('.')
                    || matches!(parts.first().map(String::as_str), Some("pipelines"))
                    || name == "overrides";
                if !skip && !path.is_symlink() {
                    stack.push((path, parts));
                }
                continue;
            }
            if is_ignored(&parts) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// `parts`: the path below `copilot/`, file name last.
fn is_ignored(parts: &[String]) -> bool {
    let p: Vec<&str> = parts.iter().map(String::as_str).collect();
    let yaml = |n: &str| n.ends_with(".yml") || n.ends_with(".yaml");
    match p.as_slice() {
        ["manifest.yml" | "manifest.yaml"] => true,
        ["environments", "manifest.yml" | "manifest.yaml"] => true,
        ["environments", _, "manifest.yml"] => false,
        ["environments", _, "manifest.yaml"] => true,
        [_, "manifest.yaml"] => true,
        [.., "addons", _, f] if yaml(f) => true,
        [first, .., "manifest.yml" | "manifest.yaml"]
            if p.len() > 2 && *first != "environments" =>
        {
            !p.contains(&"addons")
        }
        ["environments", _, _, .., "manifest.yml" | "manifest.yaml"] => !p.contains(&"addons"),
        _ => false,
    }
}

fn why_ignored(copilot_dir: &Path, path: &Path) -> &'static str {
    let rel: Vec<String> = path
        .strip_prefix(copilot_dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    let below_addons = rel
        .iter()
        .position(|d| d == "addons")
        .is_some_and(|i| i + 2 < rel.len());
    let name = rel.last().map(String::as_str).unwrap_or("");
    if below_addons {
        "Copilot reads only the files directly in an addons/ folder"
    } else if name == "manifest.yaml" {
        "Copilot reads `manifest.yml`, never `manifest.yaml`"
    } else if rel.len() == 1 || (rel.len() == 2 && rel[0] == "environments") {
        "it is not inside a workload or environment folder"
    } else {
        "it is nested deeper than a workload or environment folder"
    }
}

fn read_addons(ld: &mut Loader, dir: &Path) -> AddonsDir {
    let mut names = Vec::new();
    match guard::entries(dir) {
        Ok(entries) => {
            for e in entries {
                if !e.utf8 {
                    ld.diags.push(unreadable_file::odd_name(&e.path));
                } else if !e.dir {
                    names.push(e.name);
                }
            }
        }
        Err(e) => ld.diags.push(unreadable_file::folder(dir, &e)),
    }
    let mut templates = Vec::new();
    let mut parameters = None;
    for n in names {
        let p = dir.join(&n);
        if n == "addons.parameters.yml" || n == "addons.parameters.yaml" {
            if parameters.is_none() {
                parameters = Some(ld.yaml(&p));
            }
        } else if n.ends_with(".yml") || n.ends_with(".yaml") {
            templates.push(ld.yaml(&p));
        }
    }
    AddonsDir {
        templates,
        parameters,
    }
}

/// `cfn.patches.yml` of an `overrides/` folder, when there is one.
fn read_patches(ld: &mut Loader, dir: &Path) -> Option<YamlFile> {
    let p = dir.join("cfn.patches.yml");
    guard::present(&p).then(|| ld.yaml(&p))
}

/// Reads and parses one YAML file under the per-file budget (no fence: the
/// caller named the file).
pub fn read_yaml(path: &Path, sources: &mut SourceMap, diags: &mut Vec<Diagnostic>) -> YamlFile {
    match guard::read(path, None, MAX_FILE_BYTES) {
        Ok(bytes) => parse_yaml(path, bytes, sources, diags),
        Err(why) => {
            diags.push(refused(path, &why));
            YamlFile {
                path: path.to_path_buf(),
                file: None,
                doc: None,
            }
        }
    }
}

/// Parses the bytes read from `path`.
fn parse_yaml(
    path: &Path,
    bytes: Vec<u8>,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> YamlFile {
    let mut out = YamlFile {
        path: path.to_path_buf(),
        file: None,
        doc: None,
    };
    // Binary or non-UTF-8: point at the first offending byte (the text is
    // kept, lossily, only to locate it).
    let bad = match std::str::from_utf8(&bytes) {
        Err(e) => Some((e.valid_up_to(), "file is not valid UTF-8 text")),
        Ok(t) => t
            .find('\0')
            .map(|i| (i, "file holds binary data (NUL bytes), not YAML text")),
    };
    if let Some((at, what)) = bad {
        let lossy = String::from_utf8_lossy(&bytes[..at]).into_owned();
        let id = sources.add(path.to_path_buf(), lossy);
        diags.push(unreadable_file::not_text(Span::new(id, at, at), what, at));
        return out;
    }
    let text = String::from_utf8(bytes).unwrap_or_default();
    let id = sources.add(path.to_path_buf(), text);
    out.file = Some(id);
    match yaml::parse(&sources.file(id).text, id, Limits::default()) {
        Ok(doc) => out.doc = Some(doc),
        Err(e) => {
            diags.push(match e.kind {
                YamlErrorKind::Syntax => yaml_syntax::diagnostic(e.span, e.message),
                YamlErrorKind::Limit => input_limit::parser(e.span, e.message),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn files_copilot_never_reads() {
        let ign = |p: &str| is_ignored(&p.split('/').map(str::to_string).collect::<Vec<_>>());
        for p in [
            "manifest.yml",
            "environments/manifest.yml",
            "environments/test/manifest.yaml",
            "api/manifest.yaml",
            "api/v2/manifest.yml",
            "api/addons/db/aurora.yml",
            "environments/addons/sub/x.yml",
            "environments/test/old/manifest.yml",
        ] {
            assert!(ign(p), "{p} is ignored by Copilot");
        }
        for p in [
            "api/manifest.yml",
            "environments/test/manifest.yml",
            "api/addons/aurora.yml",
            "api/addons/addons.parameters.yml",
            "environments/addons/db.yml",
            "api/Dockerfile",
        ] {
            assert!(!ign(p), "{p} is read by Copilot");
        }
    }

    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("reachlint-load-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("copilot/svc/addons")).unwrap();
        std::fs::create_dir_all(d.join("copilot/environments/test")).unwrap();
        d
    }

    #[test]
    fn finds_copilot_dir_from_root_inside_and_itself() {
        let d = tmp("find");
        let c = d.join("copilot");
        assert_eq!(find_copilot_dir(&d).unwrap(), c);
        assert_eq!(find_copilot_dir(&c).unwrap(), c);
        assert_eq!(find_copilot_dir(&c.join("svc/addons")).unwrap(), c);
        assert!(matches!(
            find_copilot_dir(&d.join("nope")),
            Err(LoadError::NotFound(_))
        ));
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn reads_workspace_and_reports_bad_files() {
        let d = tmp("read");
        let c = d.join("copilot");
        std::fs::write(c.join("svc/manifest.yml"), "name: svc\ntype: [\n").unwrap();
        std::fs::write(c.join("svc/addons/bin.yml"), b"a\0b").unwrap();
        std::fs::write(c.join("environments/test/manifest.yml"), "name: test\n").unwrap();
        let mut sm = SourceMap::new();
        let mut diags = Vec::new();
        let ws = load_workspace(&c, &mut sm, &mut diags);
        assert_eq!(ws.envs.len(), 1);
        assert_eq!(ws.workloads.len(), 1);
        let rules: Vec<_> = diags.iter().map(|d| d.rule).collect();
        assert!(rules.contains(&RuleId::MissingWorkspace));
        assert!(rules.contains(&RuleId::YamlSyntax));
        assert!(rules.contains(&RuleId::UnreadableFile));
        let _ = std::fs::remove_dir_all(&d);
    }
}
