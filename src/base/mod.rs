//! The ground floor: what every stage shares and nothing else. Spans and the
//! source map, where a fact came from ([`Origin`]), facts unknown offline
//! ([`Missing`]), the rule registry and diagnostics, and the one way an
//! input file is read from disk ([`guard`]). Imports no other module of the
//! crate.

pub mod assume;
pub mod date;
pub mod diag;
pub mod guard;
pub mod origin;
pub mod rule;
pub mod source;
pub mod suggest;
pub mod unknown;

pub use assume::{Assumption, AssumptionCode};
pub use date::Date;
pub use diag::{Diagnostic, Location, Severity};
pub use origin::{Origin, Source};
pub use rule::RuleId;
pub use source::{FileId, Span};
pub use unknown::{Fact, Missing};
