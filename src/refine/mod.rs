//! The refinement engine: DRAFT's explore → analyze → rewrite loop, diversity-promoting
//! exploration, tool-adaptive termination, evidence, the rewrite gate, events and checkpoints.

pub mod events;

pub use events::{Event, Phase, TerminationReason};
