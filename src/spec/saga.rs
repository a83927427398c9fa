//! Validation of sagas: their owner, start event and correlation field, and for every step
//! what it does, how it ends and how it is undone.

use std::collections::BTreeSet;

use crate::diagnostics::Code;

use super::model::*;
use super::names::Case;
use super::raw::*;
use super::validate::Validator;

impl Validator<'_, '_> {
    pub(crate) fn saga(&mut self, name: &At<String>, raw: &RawSaga) -> Saga {
        self.name(name, Case::Snake, "saga name");
        let owner = match &raw.owner {
            Some(owner) => {
                self.domain_ref(owner);
                self.located(owner)
            }
            None => Located::new(String::new(), self.loc(name)),
        };
        let starts_on = match &raw.starts_on {
            Some(event) => {
                if self.event_ref(event)
                    && let Some(field) = &raw.correlate_by
                {
                    self.field_ref(field, &event.value, "correlate_by");
                }
                self.located(event)
            }
            None => Located::new(String::new(), self.loc(name)),
        };
        let correlate_by = match &raw.correlate_by {
            Some(field) => self.located(field),
            None => Located::new(String::new(), self.loc(name)),
        };
        let raw_steps = raw.steps.as_deref().unwrap_or_default();
        if raw.steps.is_some() && raw_steps.is_empty() {
            self.error(
                Code::InvalidSagaStep,
                name,
                format!("saga `{}` has no steps", name.value),
                Some("a saga needs at least one step: `{ name, invoke, compensate }`".to_string()),
            );
        }
        let mut step_names = BTreeSet::new();
        let steps = raw_steps
            .iter()
            .filter_map(|step| self.step(&name.value, step, &mut step_names))
            .collect();
        Saga {
            name: name.value.clone(),
            location: self.loc(name),
            description: raw.description.as_ref().map(|d| d.value.clone()),
            owner,
            starts_on,
            correlate_by,
            steps,
            on_success: raw
                .on_success
                .as_ref()
                .and_then(|o| self.outcome(o, "on_success")),
            on_failure: raw
                .on_failure
                .as_ref()
                .and_then(|o| self.outcome(o, "on_failure")),
            timeout: raw
                .timeout
                .as_ref()
                .and_then(|t| self.timeout(t))
                .unwrap_or(DEFAULT_SAGA_TIMEOUT),
        }
    }

    fn timeout(&mut self, at: &At<String>) -> Option<std::time::Duration> {
        let parsed = parse_duration(&at.value);
        if parsed.is_none() {
            self.error(
                Code::WrongType,
                at,
                format!("`timeout: {}` is not a duration", at.value),
                Some("write a positive number and a unit: `500ms`, `30s`, `5m`, `2h`".to_owned()),
            );
        }
        parsed
    }

    fn step(
        &mut self,
        saga: &str,
        raw: &RawSagaStep,
        seen: &mut BTreeSet<String>,
    ) -> Option<SagaStep> {
        let name = raw.name.as_ref()?;
        self.name(name, Case::Snake, "step name");
        if !seen.insert(name.value.clone()) {
            self.error(
                Code::DuplicateName,
                name,
                format!("saga `{saga}` has two steps named `{}`", name.value),
                Some("give every step its own name".to_string()),
            );
        }
        let action = match (&raw.invoke, &raw.r#await) {
            (Some(invoke), None) => self.command_ref(invoke, "invoke").map(StepAction::Invoke),
            (None, Some(event)) => self
                .event_ref(event)
                .then(|| StepAction::Await(self.located(event))),
            (Some(_), Some(event)) => {
                self.error(
                    Code::InvalidSagaStep,
                    event,
                    format!(
                        "step `{}` both invokes a command and awaits an event",
                        name.value
                    ),
                    Some("split it into two steps".to_string()),
                );
                None
            }
            (None, None) => {
                self.error(
                    Code::InvalidSagaStep,
                    name,
                    format!(
                        "step `{}` neither invokes a command nor awaits an event",
                        name.value
                    ),
                    Some("add `invoke: domain.Command` or `await: Event`".to_string()),
                );
                None
            }
        };
        let event = |this: &mut Self, at: &Option<At<String>>| {
            at.as_ref()
                .filter(|e| this.event_ref(e))
                .map(|e| this.located(e))
        };
        let success_on = event(self, &raw.success_on);
        let failure_on = event(self, &raw.failure_on);
        let compensate = raw
            .compensate
            .as_ref()
            .and_then(|c| self.command_ref(c, "compensate"));
        let pivot = raw.pivot.as_ref().is_some_and(|p| p.value);
        let invokes = raw.invoke.is_some();
        if invokes && raw.compensate.is_none() && !pivot {
            self.error(
                Code::UncompensatedSagaStep,
                name,
                format!("step `{}` of saga `{saga}` has no compensation", name.value),
                Some("add `compensate: domain.Command` that undoes it, or mark it `pivot: true` if it is the point of no return".to_string()),
            );
        }
        Some(SagaStep {
            name: name.value.clone(),
            location: self.loc(name),
            action: action?,
            success_on,
            failure_on,
            compensate,
            pivot,
        })
    }

    /// `on_success` / `on_failure`: `domain.Command` runs a command, a bare name publishes
    /// an event.
    fn outcome(&mut self, at: &At<String>, role: &str) -> Option<SagaOutcome> {
        if at.value.contains('.') {
            return self.command_ref(at, role).map(SagaOutcome::Command);
        }
        self.event_ref(at)
            .then(|| SagaOutcome::Event(self.located(at)))
    }
}

/// `500ms`, `30s`, `5m`, `2h` → a positive duration; anything else → `None`.
pub(crate) fn parse_duration(text: &str) -> Option<std::time::Duration> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = text.split_at(split);
    let n: u64 = number.parse().ok().filter(|&n| n > 0)?;
    let millis = match unit.trim() {
        "ms" => n,
        "s" => n.checked_mul(1_000)?,
        "m" | "min" => n.checked_mul(60_000)?,
        "h" => n.checked_mul(3_600_000)?,
        _ => return None,
    };
    Some(std::time::Duration::from_millis(millis))
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations_take_a_positive_number_and_a_unit() {
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("30s"), Some(Duration::from_secs(30)));
        assert_eq!(parse_duration(" 5m "), Some(Duration::from_secs(300)));
        assert_eq!(parse_duration("2h"), Some(Duration::from_secs(7_200)));
        for bad in [
            "",
            "30",
            "s",
            "0s",
            "-5s",
            "1.5s",
            "3d",
            "99999999999999999999h",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
