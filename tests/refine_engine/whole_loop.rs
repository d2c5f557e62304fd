//! The whole loop over the weather scenario, and resume after a kill at every step.

use crate::support::*;
use tooldraft::refine::{Event, TerminationReason};

const WEATHER: &str = include_str!("../fixtures/refine/weather.json");

#[test]
fn the_whole_loop_refines_the_weather_tool() {
    let s = scenario(WEATHER);
    let rig = Rig::from_scenario(&s);
    let (out, events) = rig.run(&s.doc, None);
    assert_eq!(rig.model.remaining(), 0, "every scripted reply was used");
    let r = &out.report;
    let by_id = |id: &str| r.operations.iter().find(|o| o.id == id).unwrap();

    let f = by_id("getForecast");
    assert!(matches!(f.termination, Some(TerminationReason::Converged { .. })), "{:?}", f.termination);
    assert_eq!(f.trails.len(), 2);
    assert_eq!(f.facts.statuses, vec![200, 400]);
    let a = by_id("getAlerts");
    assert!(matches!(a.termination, Some(TerminationReason::MaxEpisodes { episodes: 3 })), "{:?}", a.termination);
    assert!(!a.revisions[1].revision.accepted, "the rewrite naming severity_level is rejected");
    assert!(a.revisions[1].revision.reason.as_deref().unwrap().contains("severity_level"));
    assert_eq!(a.queries[1].rejected.len(), 1, "one diversity retry in episode 2");
    let p = by_id("ping");
    assert!(matches!(p.termination, Some(TerminationReason::Converged { .. })));

    assert_eq!(count(&events, |e| matches!(e, Event::DiversityRetry { .. })), 1);
    assert_eq!(count(&events, |e| matches!(e, Event::ArgumentsRejected { .. })), 1);
    assert_eq!(count(&events, |e| matches!(e, Event::RevisionRejected { .. })), 1);
    assert!(matches!(events.first(), Some(Event::RunStarted { .. })));
    assert!(matches!(events.last(), Some(Event::RunFinished { cancelled: false })));

    let forecast = out.doc.operation("getForecast").unwrap();
    assert!(forecast.description.contains("1 to 7"));
    assert!(forecast.examples.iter().any(|e| e.verified));
    assert!(forecast.response_schema.is_some());
    assert_eq!(forecast.history.len(), 3);
    assert_eq!(out.doc.tools[0].description, s.model["weather/summarizer"][0]["description"].as_str().unwrap());
    assert_eq!(r.totals.model_calls, rig.model.calls.get());
    assert_eq!(r.totals.tool_calls, rig.tools.calls.get());
    assert_eq!(r.totals.embedding_calls, 0);

    insta::assert_json_snapshot!("weather_refined_doc", out.doc);
    insta::assert_json_snapshot!("weather_report", out.report);
}

#[test]
fn a_run_killed_after_any_step_resumes_without_losing_or_repeating_one() {
    let s = scenario(WEATHER);
    let full = Rig::from_scenario(&s);
    let (expected, _) = full.run(&s.doc, None);
    let (model_calls, tool_calls) = (full.model.calls.get(), full.tools.calls.get());
    let steps = expected.state.step;
    assert!(steps > 40, "a run of {steps} steps");
    for k in 1..=steps {
        let rig = Rig::from_scenario(&s);
        let saved = rig.run_until(&s.doc, None, k).unwrap_or_else(|| panic!("no checkpoint {k}"));
        assert_eq!(saved.step, k);
        // The saved state survives serialisation, as a real checkpoint would.
        let saved: tooldraft::refine::RunState = serde_json::from_str(&serde_json::to_string(&saved).unwrap()).unwrap();
        let (resumed, _) = rig.run(&s.doc, Some(saved));
        assert_eq!(rig.model.calls.get(), model_calls, "model calls after a kill at step {k}");
        assert_eq!(rig.tools.calls.get(), tool_calls, "tool calls after a kill at step {k}");
        same_json(&resumed.report, &expected.report, &format!("report after a kill at step {k}"));
        same_json(&resumed.doc, &expected.doc, &format!("document after a kill at step {k}"));
        same_json(&resumed.state, &expected.state, &format!("state after a kill at step {k}"));
    }
}
