//! Runs a saga on a bus: applies each delivered event to its instance, publishes what the
//! transition asks for, saves the instance; sweeps timeouts; resumes open instances after a
//! restart.
//!
//! Order of effects: publish, then save. A crash in between re-applies the event on
//! redelivery and publishes the same messages again with the same ids (an id is derived from
//! the saga, the key, the action and the attempt), which the consumers' dedup drops. Saving
//! first would lose the messages: the redelivered event would be seen as a duplicate.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use uuid::Uuid;

use super::{SagaAction, SagaContext, SagaDef, SagaInstance, SagaStore};
use crate::bus::{Publisher, Subscription};
use crate::envelope::Envelope;
use crate::handler::{Handler, HandlerError};
use crate::store::StoreError;

/// The saga specifics the generator writes: the definition, and the message that carries
/// out each action (built by the user's code).
pub trait SagaFlow: Send + Sync + 'static {
    fn definition(&self) -> &'static SagaDef;

    /// The command request (or outcome event) for `action`; `None` sends nothing (an
    /// awaited step, a saga without `on_success`).
    fn message(&self, action: SagaAction, saga: SagaContext<'_>) -> Option<Envelope>;
}

/// Wall-clock milliseconds that follow tokio's clock, so tests with paused time control
/// timeouts while deadlines stay comparable across restarts.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    wall_ms: i64,
    origin: tokio::time::Instant,
}

impl Clock {
    pub fn new() -> Self {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Self {
            wall_ms: i64::try_from(wall.as_millis()).unwrap_or(i64::MAX),
            origin: tokio::time::Instant::now(),
        }
    }

    pub fn now_ms(&self) -> i64 {
        let elapsed = i64::try_from(self.origin.elapsed().as_millis()).unwrap_or(i64::MAX);
        self.wall_ms.saturating_add(elapsed)
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::new()
    }
}

/// One saga's engine: subscribe it (it is a [`Handler`]) with [`SagaEngine::subscription`].
pub struct SagaEngine<F, S, P> {
    flow: F,
    store: S,
    publisher: P,
    clock: Clock,
    // One event at a time per engine: replies of one instance never race each other here;
    // across processes the store's version check does that job.
    gate: tokio::sync::Mutex<()>,
}

fn transient(e: impl std::fmt::Display) -> HandlerError {
    HandlerError::transient(e.to_string())
}

impl<F: SagaFlow, S: SagaStore, P: Publisher> SagaEngine<F, S, P> {
    pub fn new(flow: F, store: S, publisher: P) -> Self {
        Self {
            flow,
            store,
            publisher,
            clock: Clock::new(),
            gate: tokio::sync::Mutex::new(()),
        }
    }

    pub fn definition(&self) -> &'static SagaDef {
        self.flow.definition()
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    pub fn flow(&self) -> &F {
        &self.flow
    }

    /// The subscription for this engine: the start event and every reply.
    pub fn subscription(&self) -> Subscription {
        let def = self.definition();
        Subscription::new(
            crate::naming::saga_subscription(def.name),
            def.subscribed_types(),
        )
    }

    /// The instance keyed `key`.
    pub async fn instance(&self, key: &str) -> Result<Option<SagaInstance>, StoreError> {
        self.store.load(self.definition().name, key).await
    }

    /// Applies one event; `Ok(false)` when it changed nothing (a duplicate, a late or
    /// unrelated reply, a second start of a running saga).
    ///
    /// An older version of a listened event is upcast first; one that does not upcast is a
    /// permanent error (it will not upcast on redelivery either).
    pub async fn apply(&self, envelope: &Envelope) -> Result<bool, HandlerError> {
        let def = self.definition();
        let upcast = def.upcast(envelope)?;
        let envelope = upcast.as_ref().unwrap_or(envelope);
        let _turn = self.gate.lock().await;
        let now = self.clock.now_ms();
        if envelope.event_type() == def.starts_on {
            let Some((mut instance, actions)) = def.start(envelope, now) else {
                return Err(HandlerError::permanent(format!(
                    "saga {}: the start event has no `{}`",
                    def.name, def.correlate_by
                )));
            };
            if self
                .store
                .load(def.name, &instance.key)
                .await
                .map_err(transient)?
                .is_some()
            {
                return Ok(false);
            }
            self.send(&instance, &actions, Some(envelope.id())).await?;
            instance.version = 1;
            self.store.save(&instance).await.map_err(transient)?;
            return Ok(true);
        }
        let Some(mut instance) = self.find(envelope).await? else {
            return Ok(false);
        };
        let Some(actions) = def.react(&mut instance, envelope, now) else {
            return Ok(false);
        };
        self.send(&instance, &actions, Some(envelope.id())).await?;
        instance.version += 1;
        self.store.save(&instance).await.map_err(transient)?;
        Ok(true)
    }

    /// The instance a reply belongs to: the open one by the correlation id the request carried
    /// (the `correlate_by` field decides between several), else the one that field keys.
    async fn find(&self, envelope: &Envelope) -> Result<Option<SagaInstance>, HandlerError> {
        let def = self.definition();
        let field = super::key_of(envelope.data(), def.correlate_by);
        let mut by_flow = self
            .store
            .find_by_correlation(def.name, envelope.correlation_id())
            .await
            .map_err(transient)?;
        if by_flow.len() > 1 {
            by_flow.retain(|i| Some(&i.key) == field.as_ref());
        }
        if by_flow.len() == 1 {
            return Ok(by_flow.pop());
        }
        let Some(key) = field else {
            return Ok(None);
        };
        // Ended instances too: the late success of a timed-out step still needs undoing.
        self.store.load(def.name, &key).await.map_err(transient)
    }

    /// Applies the timeouts that are due; returns how many instances moved.
    pub async fn expire_due(&self) -> Result<usize, HandlerError> {
        let _turn = self.gate.lock().await;
        let def = self.definition();
        let now = self.clock.now_ms();
        let mut moved = 0;
        for mut instance in self.store.open(def.name).await.map_err(transient)? {
            let Some(actions) = def.expire(&mut instance, now) else {
                continue;
            };
            self.send(&instance, &actions, None).await?;
            instance.version += 1;
            self.store.save(&instance).await.map_err(transient)?;
            moved += 1;
        }
        Ok(moved)
    }

    /// After a restart: sends again what every open instance waits for (same ids, so a
    /// request that did go out is dropped as a duplicate). Deadlines were saved and keep
    /// running. Returns the number of open instances.
    pub async fn resume(&self) -> Result<usize, HandlerError> {
        let _turn = self.gate.lock().await;
        let def = self.definition();
        let open = self.store.open(def.name).await.map_err(transient)?;
        for instance in &open {
            if let Some(action) = def.pending(instance) {
                self.send(instance, &[action], None).await?;
            }
        }
        Ok(open.len())
    }

    /// Sweeps timeouts every `every` until the task is aborted.
    pub fn spawn_timeouts(engine: Arc<Self>, every: Duration) -> tokio::task::JoinHandle<()>
    where
        P: 'static,
    {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                // A failed sweep (store down) is tried again at the next tick.
                let _ = engine.expire_due().await;
            }
        })
    }

    async fn send(
        &self,
        instance: &SagaInstance,
        actions: &[SagaAction],
        cause: Option<Uuid>,
    ) -> Result<(), HandlerError> {
        for &action in actions {
            let Some(message) = self.flow.message(action, SagaContext::new(instance)) else {
                continue;
            };
            let message = stamp(message, instance, action, cause)?;
            self.publisher.publish(message).await.map_err(transient)?;
        }
        Ok(())
    }
}

/// Gives a message its stable id, the saga's correlation id, its cause, and the saga key as
/// subject when it has none (requests of one saga stay in order).
fn stamp(
    message: Envelope,
    instance: &SagaInstance,
    action: SagaAction,
    cause: Option<Uuid>,
) -> Result<Envelope, HandlerError> {
    let mut parts = message.into_parts();
    parts.id = message_id(instance, action);
    parts.correlation_id = instance.correlation_id;
    parts.causation_id = cause;
    if parts.subject.is_none() {
        parts.subject = Some(instance.key.clone());
    }
    Envelope::from_parts(parts).map_err(|e| HandlerError::permanent(e.to_string()))
}

/// The same id for the same send: saga, key, action and attempt.
pub(crate) fn message_id(instance: &SagaInstance, action: SagaAction) -> Uuid {
    let text = format!(
        "{}\u{0}{}\u{0}{action:?}\u{0}{}",
        instance.saga, instance.key, instance.attempt
    );
    let high = crate::hash::key_hash(text.as_bytes());
    let low = crate::hash::key_hash(format!("{text}\u{0}low").as_bytes());
    let bytes = ((u128::from(high) << 64) | u128::from(low)).to_be_bytes();
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

impl<F: SagaFlow, S: SagaStore, P: Publisher + 'static> Handler for SagaEngine<F, S, P> {
    async fn handle(&self, envelope: &Envelope) -> Result<(), HandlerError> {
        self.apply(envelope).await.map(|_| ())
    }
}
