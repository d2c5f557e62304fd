//! The refinement engine end to end over scripted transcripts: the whole loop, resume after a
//! kill at every step, the rewrite gate, diversity, termination, budgets, concurrency, bad
//! inputs, prompts and the response cache. Deterministic: a scripted model and tools and a
//! virtual clock.

#[path = "refine_engine/support.rs"]
mod support;

#[path = "refine_engine/whole_loop.rs"]
mod whole_loop;

#[path = "refine_engine/gate_rules.rs"]
mod gate_rules;

#[path = "refine_engine/loop_control.rs"]
mod loop_control;

#[path = "refine_engine/runs.rs"]
mod runs;

#[path = "refine_engine/bad_inputs.rs"]
mod bad_inputs;

#[path = "refine_engine/prompts.rs"]
mod prompts;

#[path = "refine_engine/schema_repair.rs"]
mod schema_repair;

#[path = "refine_engine/tampered_state.rs"]
mod tampered_state;

// The run state's JSON, read through flat structs.
#[path = "refine_engine/state_json.rs"]
mod state_json;

#[path = "refine_engine/live_safety.rs"]
mod live_safety;

#[path = "refine_engine/verification.rs"]
mod verification;

#[path = "refine_engine/never_worse.rs"]
mod never_worse;

#[path = "refine_engine/embedders.rs"]
mod embedders;
