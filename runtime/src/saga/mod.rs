//! Sagas: business transactions that span services, run as persisted state machines.
//!
//! A [`SagaDef`] (generated from the spec) lists the steps; a [`SagaInstance`] is one run of
//! it, keyed by the `correlate_by` field of the start event. The transitions here are pure
//! (`start`, `react`, `expire` return the [`SagaAction`]s to carry out) so every rule is unit
//! tested without a bus; [`SagaEngine`] persists instances in a [`SagaStore`] and publishes.
//!
//! Rules: a step's success moves to the next step (the last one completes the saga and runs
//! `on_success`); a failure or a timeout before the pivot compensates the completed steps in
//! reverse order, one at a time (each compensation waits for its reply, retried on timeout),
//! then runs `on_failure`; after the pivot a failed step is retried instead. Events already
//! seen, events the current state does not wait for, and events for ended sagas change
//! nothing, so duplicate and late replies are harmless — except the late success of a step
//! that timed out, whose compensation is then sent (its effect happened after all).
//!
//! An older version of a listened event (a producer not yet upgraded) counts as its current
//! version: the engine upcasts it first ([`SagaDef::upcast`], see `versions`).

mod choice;
mod context;
mod engine;
mod scripted;
mod store;
mod versions;

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::envelope::Envelope;

pub use choice::{AnySagaStore, SAGA_STORE_ENV, SagaStoreKind};
pub use context::SagaContext;
pub use engine::{Clock, SagaEngine, SagaFlow};
pub use scripted::{Participants, Script, ScriptedReply};
#[cfg(feature = "postgres")]
pub(crate) use store::conflict as store_conflict;
pub use store::{MemorySagaStore, SagaStore};
pub use versions::EventVersions;

/// The flow of one saga, as declared in the spec.
#[derive(Debug)]
pub struct SagaDef {
    pub name: &'static str,
    /// The CloudEvents type that starts an instance.
    pub starts_on: &'static str,
    /// The field of the start event whose value keys the instance.
    pub correlate_by: &'static str,
    pub steps: &'static [StepDef],
    /// How long a step or a compensation may wait for its reply.
    pub step_timeout: Duration,
    /// Sends of one request before it is given up (a compensation, or a step after the pivot).
    pub max_attempts: u32,
    /// The listened events that have older versions: those are accepted too, upcast to the
    /// current one before they are matched.
    pub versions: &'static [EventVersions],
}

#[derive(Debug)]
pub struct StepDef {
    pub name: &'static str,
    /// `false` for a step that only awaits an event.
    pub invokes: bool,
    pub success_on: &'static [&'static str],
    pub failure_on: &'static [&'static str],
    /// The reply types of the step's compensation command, when it has one (empty: the
    /// compensation is sent and not waited for).
    pub compensation: Option<&'static [&'static str]>,
    pub pivot: bool,
}

/// Where an instance is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SagaStatus {
    /// Waiting for the reply of step `step`.
    Running {
        step: usize,
    },
    /// Waiting for the reply of the compensation of step `step`.
    Compensating {
        step: usize,
    },
    Completed,
    Failed,
}

impl SagaStatus {
    pub fn is_open(self) -> bool {
        matches!(self, Self::Running { .. } | Self::Compensating { .. })
    }
}

/// What the engine must send after a transition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SagaAction {
    /// The request of step `n`.
    Invoke(usize),
    /// The compensation of step `n`.
    Compensate(usize),
    /// `on_success`.
    Succeed,
    /// `on_failure`.
    Fail,
}

/// The reply that completed a step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub step: String,
    pub event_type: String,
    pub data: Value,
}

/// One run of a saga: everything needed to carry on after a restart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SagaInstance {
    pub saga: String,
    pub key: String,
    /// The correlation id of the start event; requests carry it and replies bring it back.
    pub correlation_id: Uuid,
    #[serde(flatten)]
    pub status: SagaStatus,
    /// Sends of the current request so far (1 after the first send).
    pub attempt: u32,
    /// When the current wait times out, in milliseconds since the Unix epoch.
    pub deadline_ms: Option<i64>,
    /// The start event's data.
    pub started: Value,
    /// Replies of the completed steps, in step order.
    pub replies: Vec<Reply>,
    /// Why the saga is compensating or failed.
    pub failure: Option<String>,
    /// The step that timed out, while its late success would still need undoing.
    #[serde(default)]
    pub timed_out: Option<usize>,
    /// Ids of the events that changed this instance (duplicates are ignored).
    pub seen: Vec<Uuid>,
    /// What happened, one line per transition, for logs, demos and tests.
    pub history: Vec<String>,
    /// Stored version: 1 after the first save; a store refuses a save from a stale version.
    pub version: u64,
}

/// The value of `field` in `data` as an instance key: a string as is, other values as JSON.
pub fn key_of(data: &Value, field: &str) -> Option<String> {
    match data.get(field)? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

impl SagaDef {
    /// Every type the saga listens to: the start event and every reply, then the older
    /// versions of those that have some.
    pub fn subscribed_types(&self) -> Vec<&'static str> {
        let mut types = vec![self.starts_on];
        for step in self.steps {
            types.extend(step.success_on);
            types.extend(step.failure_on);
            types.extend(step.compensation.unwrap_or_default());
        }
        types.extend(self.previous_types());
        let mut seen = std::collections::BTreeSet::new();
        types.retain(|t| seen.insert(*t));
        types
    }

    /// A new instance for a start event, and its first actions; `None` when the event has no
    /// correlation value.
    pub fn start(
        &self,
        envelope: &Envelope,
        now_ms: i64,
    ) -> Option<(SagaInstance, Vec<SagaAction>)> {
        let key = key_of(envelope.data(), self.correlate_by)?;
        let mut instance = SagaInstance {
            saga: self.name.to_owned(),
            key,
            correlation_id: envelope.correlation_id(),
            status: SagaStatus::Running { step: 0 },
            attempt: 0,
            deadline_ms: None,
            started: envelope.data().clone(),
            replies: Vec::new(),
            failure: None,
            timed_out: None,
            seen: vec![envelope.id()],
            history: vec![format!("started by {}", short(envelope.event_type()))],
            version: 0,
        };
        let actions = self.enter(&mut instance, 0, now_ms);
        Some((instance, actions))
    }

    /// Applies a reply. `None` when it changes nothing: already seen, not awaited in the
    /// current state, or the saga has ended.
    pub fn react(
        &self,
        instance: &mut SagaInstance,
        envelope: &Envelope,
        now_ms: i64,
    ) -> Option<Vec<SagaAction>> {
        if instance.seen.contains(&envelope.id()) {
            return None;
        }
        let event_type = envelope.event_type();
        let actions = match instance.status {
            SagaStatus::Running { step } => {
                let def = &self.steps[step];
                if def.success_on.contains(&event_type) {
                    instance.replies.push(Reply {
                        step: def.name.to_owned(),
                        event_type: event_type.to_owned(),
                        data: envelope.data().clone(),
                    });
                    instance
                        .history
                        .push(format!("{} succeeded: {}", def.name, short(event_type)));
                    if step + 1 < self.steps.len() {
                        self.enter(instance, step + 1, now_ms)
                    } else {
                        self.end(instance, SagaStatus::Completed)
                    }
                } else if def.failure_on.contains(&event_type) {
                    let why = format!("{} failed: {}", def.name, short(event_type));
                    self.fail_step(instance, step, why, now_ms)
                } else {
                    return None;
                }
            }
            _ if self.late_success(instance, event_type) => {
                let step = instance.timed_out.take()?;
                instance.history.push(format!(
                    "{} succeeded after its timeout: {}",
                    self.steps[step].name,
                    short(event_type)
                ));
                instance
                    .history
                    .push(format!("compensate {}", self.steps[step].name));
                vec![SagaAction::Compensate(step)]
            }
            SagaStatus::Compensating { step } => {
                let replies = self.steps[step].compensation.unwrap_or_default();
                if !replies.contains(&event_type) {
                    return None;
                }
                instance.history.push(format!(
                    "{} compensated: {}",
                    self.steps[step].name,
                    short(event_type)
                ));
                self.compensate_below(instance, step, now_ms)
            }
            SagaStatus::Completed | SagaStatus::Failed => return None,
        };
        instance.seen.push(envelope.id());
        Some(actions)
    }

    /// Applies a timeout when the instance's deadline has passed; `None` otherwise.
    pub fn expire(&self, instance: &mut SagaInstance, now_ms: i64) -> Option<Vec<SagaAction>> {
        if instance.deadline_ms.is_none_or(|d| d > now_ms) {
            return None;
        }
        Some(match instance.status {
            SagaStatus::Running { step } => {
                let why = format!("{} timed out", self.steps[step].name);
                if self.steps[step].compensation.is_some() {
                    instance.timed_out = Some(step);
                }
                self.fail_step(instance, step, why, now_ms)
            }
            SagaStatus::Compensating { step } => {
                let name = self.steps[step].name;
                if instance.attempt < self.max_attempts {
                    instance.history.push(format!("compensate {name} again"));
                    self.arm(instance, now_ms, instance.attempt + 1);
                    vec![SagaAction::Compensate(step)]
                } else {
                    instance
                        .history
                        .push(format!("compensation of {name} gave no reply; moving on"));
                    self.compensate_below(instance, step, now_ms)
                }
            }
            SagaStatus::Completed | SagaStatus::Failed => return None,
        })
    }

    /// Whether `event_type` is the success of a step that timed out and has a compensation:
    /// its effect happened after all, and is undone (sent once, not waited for).
    fn late_success(&self, instance: &SagaInstance, event_type: &str) -> bool {
        let compensating_or_failed = matches!(
            instance.status,
            SagaStatus::Compensating { .. } | SagaStatus::Failed
        );
        compensating_or_failed
            && instance
                .timed_out
                .is_some_and(|n| self.steps[n].success_on.contains(&event_type))
    }

    /// The action that re-sends what an open instance waits for (after a restart).
    pub fn pending(&self, instance: &SagaInstance) -> Option<SagaAction> {
        match instance.status {
            SagaStatus::Running { step } if self.steps[step].invokes => {
                Some(SagaAction::Invoke(step))
            }
            SagaStatus::Compensating { step } => Some(SagaAction::Compensate(step)),
            _ => None,
        }
    }

    fn arm(&self, instance: &mut SagaInstance, now_ms: i64, attempt: u32) {
        instance.attempt = attempt;
        let timeout = i64::try_from(self.step_timeout.as_millis()).unwrap_or(i64::MAX);
        instance.deadline_ms = Some(now_ms.saturating_add(timeout));
    }

    fn enter(&self, instance: &mut SagaInstance, step: usize, now_ms: i64) -> Vec<SagaAction> {
        instance.status = SagaStatus::Running { step };
        self.arm(instance, now_ms, 1);
        let def = &self.steps[step];
        if def.invokes {
            instance.history.push(format!("invoke {}", def.name));
            vec![SagaAction::Invoke(step)]
        } else {
            instance.history.push(format!("await {}", def.name));
            Vec::new()
        }
    }

    fn fail_step(
        &self,
        instance: &mut SagaInstance,
        step: usize,
        why: String,
        now_ms: i64,
    ) -> Vec<SagaAction> {
        instance.history.push(why.clone());
        let past_pivot = self.steps[..step].iter().any(|s| s.pivot);
        if past_pivot {
            // The point of no return is behind: the step must eventually happen.
            if instance.attempt < self.max_attempts && self.steps[step].invokes {
                instance
                    .history
                    .push(format!("retry {}", self.steps[step].name));
                self.arm(instance, now_ms, instance.attempt + 1);
                return vec![SagaAction::Invoke(step)];
            }
            instance.failure = Some(why);
            return self.end(instance, SagaStatus::Failed);
        }
        instance.failure = Some(why);
        self.compensate_below(instance, step, now_ms)
    }

    /// Compensates the nearest completed step below `step` that has a compensation, or ends
    /// the saga as failed when none is left.
    fn compensate_below(
        &self,
        instance: &mut SagaInstance,
        step: usize,
        now_ms: i64,
    ) -> Vec<SagaAction> {
        let mut actions = Vec::new();
        let mut below = step;
        while let Some(j) = (0..below)
            .rev()
            .find(|&j| self.steps[j].compensation.is_some())
        {
            instance
                .history
                .push(format!("compensate {}", self.steps[j].name));
            actions.push(SagaAction::Compensate(j));
            if self.steps[j].compensation.is_some_and(|r| !r.is_empty()) {
                instance.status = SagaStatus::Compensating { step: j };
                self.arm(instance, now_ms, 1);
                return actions;
            }
            // Nothing to wait for: carry on with the next one down.
            below = j;
        }
        actions.extend(self.end(instance, SagaStatus::Failed));
        actions
    }

    fn end(&self, instance: &mut SagaInstance, status: SagaStatus) -> Vec<SagaAction> {
        instance.status = status;
        instance.deadline_ms = None;
        instance.attempt = 0;
        if status == SagaStatus::Completed {
            instance.history.push("completed".to_owned());
            vec![SagaAction::Succeed]
        } else {
            instance.history.push("failed".to_owned());
            vec![SagaAction::Fail]
        }
    }
}

/// `hotel.billing.PaymentDeclined.v1` -> `PaymentDeclined`, for history lines.
fn short(event_type: &str) -> &str {
    let mut parts = event_type.rsplit('.');
    let last = parts.next().unwrap_or(event_type);
    if last.starts_with('v') {
        parts.next().unwrap_or(event_type)
    } else {
        last
    }
}

/// Replies by step, for the context given to the user's command builders.
pub(crate) fn replies_by_step(instance: &SagaInstance) -> BTreeMap<&str, &Reply> {
    instance
        .replies
        .iter()
        .map(|r| (r.step.as_str(), r))
        .collect()
}
