//! Provenance: where each fact of the model came from. Explanations, code
//! frames and JSON locations are built from these, never reconstructed by
//! searching text afterwards.

use std::path::PathBuf;

use super::source::Span;

/// What produced a fact.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Source {
    /// Nothing in the inputs (an AWS default with no line to point at).
    #[default]
    Nowhere,
    /// Written at this span of a file the tool read.
    File(Span),
    /// Created by synthesis (what Copilot would render), because of the
    /// manifest line at `cause`.
    Synthesized { cause: Option<Span> },
    /// A deployed resource, by ARN or id (live mode).
    Resource { arn: String },
    /// A record of a saved Describe snapshot.
    Snapshot(Box<SnapshotRecord>),
}

/// Where a record sits in a saved Describe snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotRecord {
    pub file: PathBuf,
    /// JSON pointer to the record inside the file.
    pub pointer: String,
    /// The resource's id or ARN.
    pub id: String,
    /// The call whose output it is (`ec2:DescribeSecurityGroups`).
    pub call: String,
}

/// Where a model element came from, and why it exists.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    pub source: Source,
    /// Why it exists ("Copilot creates NAT gateways because ...").
    pub because: Option<String>,
}

impl Origin {
    /// Written in a file (when the span is known).
    pub fn file(span: Option<Span>) -> Origin {
        Origin {
            source: span.map_or(Source::Nowhere, Source::File),
            because: None,
        }
    }

    /// Synthesized because of the line at `cause`.
    pub fn synthesized(cause: Option<Span>, because: impl Into<String>) -> Origin {
        Origin {
            source: Source::Synthesized { cause },
            because: Some(because.into()),
        }
    }

    /// The same source, with the reason it exists.
    pub fn because(mut self, why: impl Into<String>) -> Origin {
        self.because = Some(why.into());
        self
    }

    /// The same kind of source at another span (a property of a resource):
    /// a synthesized resource's properties are synthesized too.
    pub fn at(&self, span: Option<Span>) -> Origin {
        let source = match (&self.source, span) {
            (Source::Synthesized { cause }, s) => Source::Synthesized {
                cause: s.or(*cause),
            },
            (_, Some(s)) => Source::File(s),
            (other, None) => other.clone(),
        };
        Origin {
            source,
            because: self.because.clone(),
        }
    }

    /// The span to point at: the text itself, or the line that caused it.
    /// The snapshot record a deployed fact came from.
    pub fn record(&self) -> Option<&SnapshotRecord> {
        match &self.source {
            Source::Snapshot(r) => Some(r),
            _ => None,
        }
    }

    pub fn span(&self) -> Option<Span> {
        match &self.source {
            Source::File(s) => Some(*s),
            Source::Synthesized { cause } => *cause,
            Source::Nowhere | Source::Resource { .. } | Source::Snapshot(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::FileId;

    #[test]
    fn spans_of_every_source() {
        let s = Span::new(FileId(0), 3, 7);
        assert_eq!(Origin::file(Some(s)).span(), Some(s));
        assert_eq!(Origin::file(None).span(), None);
        let syn = Origin::synthesized(Some(s), "Copilot creates it");
        assert_eq!(syn.span(), Some(s));
        let t = Span::new(FileId(0), 9, 11);
        assert_eq!(
            syn.at(Some(t)).source,
            Source::Synthesized { cause: Some(t) }
        );
        assert_eq!(syn.at(None).span(), Some(s));
        let live = Origin {
            source: Source::Resource {
                arn: "arn:aws:ec2:eu-west-1:1:security-group/sg-1".into(),
            },
            because: None,
        };
        assert_eq!(live.span(), None);
    }
}
