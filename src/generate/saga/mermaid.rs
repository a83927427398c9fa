//! The Mermaid `sequenceDiagram` of a saga for the workspace README: the happy path, and at
//! each step that can fail the compensations it triggers.

use super::{OutcomePlan, SagaPlan, pivot};
use crate::spec::Event;

/// Lines of a Mermaid `sequenceDiagram` of the saga (without the fence).
pub fn mermaid(p: &SagaPlan<'_>) -> Vec<String> {
    let owner = &p.saga.owner.value;
    let mut lines = vec!["sequenceDiagram".to_owned()];
    let mut participants = vec![owner.as_str()];
    for s in &p.steps {
        let invoked = s.invoke.iter().chain(s.compensation.iter().map(|(i, _)| i));
        for i in invoked {
            if !participants.contains(&i.domain) {
                participants.push(i.domain);
            }
        }
    }
    for d in &participants {
        lines.push(format!("    participant {d}"));
    }
    lines.push(format!(
        "    Note over {owner}: {} starts it, keyed by {}",
        p.start.name, p.saga.correlate_by.value
    ));
    let pivot = pivot(p);
    for (n, s) in p.steps.iter().enumerate() {
        let from = match &s.invoke {
            Some(i) => {
                lines.push(format!("    {owner}->>{}: {}", i.domain, i.command.name));
                i.domain
            }
            None => {
                lines.push(format!("    Note over {owner}: awaits step {}", s.name));
                owner.as_str()
            }
        };
        let ok = names(&s.success);
        let after_pivot = pivot.is_some_and(|v| n > v);
        if after_pivot || (s.failure.is_empty() && s.invoke.is_none()) {
            lines.push(format!("    {from}-->>{owner}: {ok}"));
            continue;
        }
        let ko = if s.failure.is_empty() {
            "timeout".to_owned()
        } else {
            format!("{} or timeout", names(&s.failure))
        };
        lines.push(format!("    alt {ok}"));
        lines.push(format!("        {from}-->>{owner}: {ok}"));
        lines.push(format!("    else {ko}"));
        for c in p.steps[..n].iter().rev() {
            if let Some((i, _)) = &c.compensation {
                lines.push(format!(
                    "        {owner}->>{}: {} (undo {})",
                    i.domain, i.command.name, c.name
                ));
            }
        }
        lines.extend(outcome_line(owner, &p.on_failure, "        "));
        lines.push("    end".to_owned());
    }
    lines.extend(outcome_line(owner, &p.on_success, "    "));
    lines
}

fn names(list: &[&Event]) -> String {
    if list.is_empty() {
        return "reply".to_owned();
    }
    list.iter()
        .map(|e| e.name.as_str())
        .collect::<Vec<_>>()
        .join(" / ")
}

fn outcome_line(owner: &str, o: &Option<OutcomePlan<'_>>, indent: &str) -> Option<String> {
    Some(match o.as_ref()? {
        OutcomePlan::Command(i) => format!("{indent}{owner}->>{}: {}", i.domain, i.command.name),
        OutcomePlan::Event(e) => format!("{indent}Note over {owner}: publishes {}", e.name),
    })
}
