//! Evidence: why a flow is needed. Doors state door-neutral facts and this
//! room derives the flows from them: what a task needs to start and the
//! APIs it is handed (`task`), the databases and secrets it references
//! (`references`), and the declared flows of `.reachlint.toml`,
//! typed once (`declared`).

pub mod declared;
pub mod references;
pub mod task;
