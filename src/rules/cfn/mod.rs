//! CloudFormation evaluation (RL3xx). Each rule is one module whose doc
//! comment is its page; `cfn` (evaluation) and `synth::addons` (Copilot's
//! parameter rules) find the facts and build the finding with the rule's
//! constructor.

pub mod addon_parameter_without_value;
pub mod missing_export;
pub mod reference_cycle;
pub mod undeclared_addon_parameter;
pub mod unevaluable_expression;
pub mod unknown_attribute;
pub mod unknown_function;
pub mod unresolved_reference;
