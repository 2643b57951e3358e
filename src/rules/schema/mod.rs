//! YAML and manifest schema (RL1xx). Each rule is one module whose doc
//! comment is its page; the loader and `manifest` find the facts (a parse
//! error, a key the schema lacks, a bad value, a missing field) and build
//! the finding with the rule's constructor, which owns its words.

pub mod invalid_value;
pub mod missing_field;
pub mod name_mismatch;
pub mod unknown_key;
pub mod yaml_syntax;
