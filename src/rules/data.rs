//! The AWS facts the deploy-blocker rules (RL5xx) check against, loaded at
//! run time from the data files in `data/` (built into the binary) or from
//! a newer copy (`--data-dir`). Every file says where its facts came from
//! (`source`) and the day they were checked (`checked`); a file without
//! either is refused. `--as-of` sets the day date-dependent findings assume.

use crate::base::Date;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The data files, by name, as built into the binary.
pub const FILES: &[(&str, &str)] = &[
    (
        RDS_FILE,
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/rds-engine-versions.json"
        )),
    ),
    (
        SIZES_FILE,
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/compute-sizes.json"
        )),
    ),
    (
        DATED_FILE,
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/dated-facts.json"
        )),
    ),
];

const RDS_FILE: &str = "rds-engine-versions.json";
const SIZES_FILE: &str = "compute-sizes.json";
const DATED_FILE: &str = "dated-facts.json";

/// Largest data file read from `--data-dir`.
pub const MAX_DATA_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{}: {why}", path.display())]
    Read { path: PathBuf, why: String },
    #[error("data file {name}: {why}")]
    Invalid { name: String, why: String },
}

/// Where a data file's facts came from.
#[derive(Debug, Clone, Deserialize)]
pub struct Provenance {
    pub source: String,
    pub checked: String,
}

/// What RDS lists for one engine of one resource type.
#[derive(Debug, Clone, Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct EngineVersions {
    /// Borrowed from the file's text (about 1,700 versions: no allocation
    /// each, which halves the cost of reading the file on every run).
    pub listed: Vec<&'static str>,
    #[serde(default)]
    pub not_offered: Vec<&'static str>,
    /// Majors whose every offered minor is an RDS Extended Support release.
    #[serde(default)]
    pub extended_support_only: Vec<&'static str>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
struct RdsFile {
    source: String,
    checked: String,
    resources: BTreeMap<&'static str, BTreeMap<&'static str, EngineVersions>>,
}

/// A memory size list or an arithmetic range, in MiB.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Memory {
    List(Vec<u32>),
    Range { from: u32, to: u32, step: u32 },
}

impl Memory {
    pub fn contains(&self, mib: u32) -> bool {
        match self {
            Memory::List(l) => l.contains(&mib),
            Memory::Range { from, to, step } => {
                (*from..=*to).contains(&mib) && *step > 0 && (mib - from) % step == 0
            }
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Memory::List(l) => l.iter().map(u32::to_string).collect::<Vec<_>>().join(", "),
            Memory::Range { from, to, step } => format!("{from} to {to} in steps of {step}"),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Size {
    pub cpu: u32,
    pub memory: Memory,
    #[serde(default)]
    pub os: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct SizesFile {
    #[serde(flatten)]
    provenance: Provenance,
    fargate: Vec<Size>,
    apprunner: Vec<Size>,
}

#[derive(Debug, Clone, Deserialize)]
struct DatedFile {
    #[serde(flatten)]
    provenance: Provenance,
    aurora_serverless_v1_end: String,
}

/// Whether RDS still has an engine version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionStatus {
    Offered,
    /// Offered only as RDS Extended Support releases: created only for a
    /// resource enrolled in Extended Support (RDS's default).
    ExtendedSupportOnly,
    /// Listed, but not offered for new clusters or instances.
    NotOffered,
    NotListed,
}

/// Every fact the deploy-blocker rules need, and the day they assume.
#[derive(Debug, Clone)]
pub struct Data {
    rds: BTreeMap<&'static str, BTreeMap<&'static str, EngineVersions>>,
    pub rds_provenance: Provenance,
    pub fargate: Vec<Size>,
    pub apprunner: Vec<Size>,
    pub sizes_provenance: Provenance,
    pub serverless_v1_end: Date,
    pub dated_provenance: Provenance,
    /// The day date-dependent findings are true on: `--as-of`, else the
    /// `checked` date of the engine-version file in use, so a finding's
    /// words change only when the data or the files do, never with the
    /// calendar.
    pub as_of: Date,
}

impl Default for Data {
    fn default() -> Data {
        Data::builtin()
    }
}

impl Data {
    /// The built-in data, as of the day it was checked.
    pub fn builtin() -> Data {
        match Data::load(None, None) {
            Ok(d) => d,
            // the built-in files are checked by tests; never reached
            Err(e) => unreachable!("built-in data: {e}"),
        }
    }

    /// Each file from `dir` when it has one, else the built-in copy.
    pub fn load(dir: Option<&Path>, as_of: Option<Date>) -> Result<Data, DataError> {
        // the built-in text, or a newer copy kept for the process's life
        // (the engine versions borrow from it)
        let text = |name: &str| -> Result<&'static str, DataError> {
            if let Some(d) = dir {
                let p = d.join(name);
                if crate::base::guard::present(&p) {
                    return crate::base::guard::read_text(&p, None, MAX_DATA_BYTES)
                        .map(|t| &*Box::leak(t.into_boxed_str()))
                        .map_err(|why| DataError::Read {
                            path: p,
                            why: why.to_string(),
                        });
                }
            }
            Ok(FILES
                .iter()
                .find(|(n, _)| *n == name)
                .map_or("", |(_, t)| *t))
        };
        let rds: RdsFile =
            serde_json::from_str(text(RDS_FILE)?).map_err(|e| DataError::Invalid {
                name: RDS_FILE.into(),
                why: e.to_string(),
            })?;
        let rds_provenance = Provenance {
            source: rds.source,
            checked: rds.checked,
        };
        let sizes: SizesFile = parse(SIZES_FILE, text(SIZES_FILE)?)?;
        let dated: DatedFile = parse(DATED_FILE, text(DATED_FILE)?)?;
        let end =
            Date::parse(&dated.aurora_serverless_v1_end).ok_or_else(|| DataError::Invalid {
                name: DATED_FILE.into(),
                why: "`aurora_serverless_v1_end` is not a date YYYY-MM-DD".into(),
            })?;
        for p in [&rds_provenance, &sizes.provenance, &dated.provenance] {
            check_provenance(p)?;
        }
        let checked = Date::parse(&rds_provenance.checked).ok_or_else(|| DataError::Invalid {
            name: RDS_FILE.into(),
            why: "`checked` is not a date YYYY-MM-DD".into(),
        })?;
        Ok(Data {
            rds: rds.resources,
            rds_provenance,
            fargate: sizes.fargate,
            apprunner: sizes.apprunner,
            sizes_provenance: sizes.provenance,
            serverless_v1_end: end,
            dated_provenance: dated.provenance,
            as_of: as_of.unwrap_or(checked),
        })
    }

    /// The versions RDS has for an engine of a resource type (`None`: the
    /// data does not cover the engine).
    pub fn engine(&self, rtype: &str, engine: &str) -> Option<&EngineVersions> {
        self.rds
            .get(rtype)?
            .get(engine.to_ascii_lowercase().as_str())
    }

    pub fn version_status(
        &self,
        rtype: &str,
        engine: &str,
        version: &str,
    ) -> Option<VersionStatus> {
        let e = self.engine(rtype, engine)?;
        let status = self.listed_status(e, engine, version);
        Some(
            if status == VersionStatus::Offered
                && e.extended_support_only
                    .contains(&major(engine, version).as_str())
            {
                VersionStatus::ExtendedSupportOnly
            } else {
                status
            },
        )
    }

    /// Whether RDS lists and offers `version`, Extended Support aside.
    fn listed_status(&self, e: &EngineVersions, engine: &str, version: &str) -> VersionStatus {
        // A major version alone (`16`, `8.0`): RDS creates its default
        // minor of that major, so it can be created while some minor of it
        // is still offered, whatever RDS says of the bare major.
        if major(engine, version) == version {
            let minors: Vec<&str> = e
                .listed
                .iter()
                .copied()
                .filter(|v| *v != version && major(engine, v) == version)
                .collect();
            if !minors.is_empty() {
                return if minors.iter().any(|v| !e.not_offered.contains(v)) {
                    VersionStatus::Offered
                } else {
                    VersionStatus::NotOffered
                };
            }
        }
        if !e.listed.contains(&version) {
            VersionStatus::NotListed
        } else if e.not_offered.contains(&version) {
            VersionStatus::NotOffered
        } else {
            VersionStatus::Offered
        }
    }

    /// A version RDS offers today to move to: the newest of the same major
    /// version when there is one (the parameter group family stays), else
    /// the newest RDS offers (a major version upgrade either way; the
    /// newest also supports Serverless v2, which old majors do not).
    pub fn replacement(&self, rtype: &str, engine: &str, version: &str) -> Option<String> {
        let e = self.engine(rtype, engine)?;
        let engine = engine.to_ascii_lowercase();
        let mut offered: Vec<&str> = e
            .listed
            .iter()
            .copied()
            .filter(|v| !e.not_offered.contains(v))
            // a bare major (`16`) or a special flavour is not a version to name
            .filter(|v| v.contains('.') && !v.contains('-'))
            .filter(|v| major(&engine, v) != *v)
            .collect();
        offered.sort_by_key(|v| version_key(v));
        let mine = major(&engine, version);
        let same = offered
            .iter()
            .rev()
            .find(|v| major(&engine, v) == mine)
            .map(|v| v.to_string());
        same.or_else(|| offered.last().map(|v| v.to_string()))
    }

    /// The supported Fargate memory sizes for a task cpu, for an OS family.
    pub fn fargate_size(&self, cpu: u32, windows: bool) -> Option<&Size> {
        let os = if windows { "windows" } else { "linux" };
        self.fargate
            .iter()
            .find(|s| s.cpu == cpu && s.os.iter().any(|o| o == os))
    }
}

fn parse<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> Result<T, DataError> {
    serde_json::from_str(text).map_err(|e| DataError::Invalid {
        name: name.into(),
        why: e.to_string(),
    })
}

fn check_provenance(p: &Provenance) -> Result<(), DataError> {
    if p.source.trim().is_empty() {
        return Err(DataError::Invalid {
            name: "a data file".into(),
            why: "`source` is empty".into(),
        });
    }
    if Date::parse(&p.checked).is_none() {
        return Err(DataError::Invalid {
            name: "a data file".into(),
            why: format!("`checked` ({}) is not a date YYYY-MM-DD", p.checked),
        });
    }
    Ok(())
}

/// The major version: `14` of `14.4`, `9.6` of `9.6.22`, `8.0` of
/// `8.0.mysql_aurora.3.02.0`, `10.11` of MariaDB's `10.11.6`.
pub fn major(engine: &str, version: &str) -> String {
    let parts: Vec<&str> = version.split('.').collect();
    let two = || parts.iter().take(2).copied().collect::<Vec<_>>().join(".");
    let first_num = parts.first().and_then(|p| p.parse::<u32>().ok());
    if engine.contains("postgres") {
        match first_num {
            Some(n) if n >= 10 => parts[0].to_string(),
            _ => two(),
        }
    } else {
        two()
    }
}

/// The parameter group family of an engine's major version
/// (`aurora-postgresql14`, `aurora-mysql8.0`, `postgres16`).
pub fn family(engine: &str, version: &str) -> String {
    format!("{}{}", engine.to_ascii_lowercase(), major(engine, version))
}

/// Sort key: numbers compare as numbers, words as words.
fn version_key(v: &str) -> Vec<(u32, String)> {
    v.split(['.', '-'])
        .map(|p| match p.parse::<u32>() {
            Ok(n) => (n, String::new()),
            Err(_) => (u32::MAX, p.to_string()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_file_says_where_its_facts_came_from_and_when() {
        for (name, text) in FILES {
            let v: serde_json::Value = serde_json::from_str(text).expect(name);
            let source = v.get("source").and_then(|s| s.as_str()).unwrap_or("");
            assert!(!source.trim().is_empty(), "{name} has no source");
            let checked = v.get("checked").and_then(|s| s.as_str()).unwrap_or("");
            assert!(Date::parse(checked).is_some(), "{name} has no checked date");
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let on_disk = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(on_disk, FILES.len(), "a file in data/ is not loaded");
    }

    #[test]
    fn a_data_file_without_source_or_date_is_refused() {
        let dir = std::env::temp_dir().join(format!("reachlint-data-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(DATED_FILE),
            r#"{"source": "", "checked": "2026-12-01", "aurora_serverless_v1_end": "2025-03-31"}"#,
        )
        .unwrap();
        assert!(Data::load(Some(&dir), None).is_err());
        std::fs::write(
            dir.join(DATED_FILE),
            r#"{"source": "docs", "aurora_serverless_v1_end": "2025-03-31"}"#,
        )
        .unwrap();
        assert!(Data::load(Some(&dir), None).is_err());
        std::fs::write(
            dir.join(DATED_FILE),
            r#"{"source": "docs", "checked": "2027-01-01", "aurora_serverless_v1_end": "2025-03-31"}"#,
        )
        .unwrap();
        assert!(Data::load(Some(&dir), None).is_ok());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn findings_are_as_of_the_engine_file_checked_date_unless_told() {
        let d = Data::builtin();
        assert_eq!(Some(d.as_of), Date::parse(&d.rds_provenance.checked));
        let day = Date::parse("2030-02-03");
        assert_eq!(Data::load(None, day).unwrap().as_of, day.unwrap());
    }

    #[test]
    fn engine_versions_and_their_replacements() {
        let d = Data::builtin();
        let c = "AWS::RDS::DBCluster";
        assert_eq!(
            d.version_status(c, "aurora-postgresql", "10.12"),
            Some(VersionStatus::NotListed)
        );
        assert_eq!(
            d.version_status(c, "aurora-postgresql", "14.4"),
            Some(VersionStatus::NotOffered)
        );
        assert_eq!(
            d.version_status(c, "aurora-mysql", "8.0.mysql_aurora.3.02.0"),
            Some(VersionStatus::NotOffered)
        );
        assert_eq!(d.version_status(c, "no-such-engine", "1"), None);
        // a major alone is RDS's default minor of it at create time
        assert_eq!(
            d.version_status(c, "aurora-postgresql", "16"),
            Some(VersionStatus::Offered)
        );
        assert_eq!(
            d.version_status(c, "aurora-postgresql", "10"),
            Some(VersionStatus::NotOffered)
        );
        let i = "AWS::RDS::DBInstance";
        assert_eq!(
            d.version_status(i, "postgres", "16"),
            Some(VersionStatus::Offered)
        );
        assert_eq!(
            d.version_status(i, "mysql", "8.0"),
            Some(VersionStatus::Offered)
        );
        // postgres 11 and mysql 5.7 are offered only as Extended Support
        // releases; Aurora's are not told apart by name
        assert_eq!(
            d.version_status(i, "postgres", "11"),
            Some(VersionStatus::ExtendedSupportOnly)
        );
        assert_eq!(
            d.version_status(i, "mysql", "5.7"),
            Some(VersionStatus::ExtendedSupportOnly)
        );
        let r = d.replacement(c, "aurora-postgresql", "14.4").unwrap();
        assert!(r.starts_with("14."), "{r}");
        assert_eq!(
            d.version_status(c, "aurora-postgresql", &r),
            Some(VersionStatus::Offered)
        );
        let r = d.replacement(c, "aurora-postgresql", "10.12").unwrap();
        assert!(version_key(&r) > version_key("10.99"), "{r}");
        assert_eq!(family("aurora-postgresql", "14.4"), "aurora-postgresql14");
        assert_eq!(
            family("aurora-mysql", "8.0.mysql_aurora.3.02.0"),
            "aurora-mysql8.0"
        );
        assert_eq!(major("postgres", "9.6.22"), "9.6");
    }

    #[test]
    fn compute_sizes() {
        let d = Data::builtin();
        assert!(d.fargate_size(256, false).unwrap().memory.contains(512));
        assert!(!d.fargate_size(256, false).unwrap().memory.contains(4096));
        assert!(d.fargate_size(256, true).is_none());
        assert!(d.fargate_size(8192, false).unwrap().memory.contains(20480));
        assert!(!d.fargate_size(8192, false).unwrap().memory.contains(17408));
        assert!(d
            .apprunner
            .iter()
            .any(|s| s.cpu == 1024 && s.memory.contains(3072)));
    }
}
