//! Scripted participants: stand-ins for the services a saga invokes, answering each request
//! with its success event, its failure event, or nothing. The generated saga tests and the
//! demo's failure case use them, so a saga is tested without the other services' crates.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value;

use crate::bus::{Publisher, Subscription};
use crate::envelope::Envelope;
use crate::handler::{Handler, HandlerError};

/// An event a participant answers with: example data, with the saga's key put in the
/// `correlate_by` field when the event has one.
#[derive(Clone, Debug)]
pub struct ScriptedReply {
    pub event_type: &'static str,
    pub source: &'static str,
    pub data: Value,
}

/// How a request type is answered.
#[derive(Clone, Debug)]
pub struct Script {
    pub request_type: &'static str,
    pub success: Option<ScriptedReply>,
    pub failure: Option<ScriptedReply>,
}

struct Inner<P> {
    publisher: P,
    correlate_by: String,
    scripts: Vec<Script>,
    failing: Mutex<BTreeSet<String>>,
    silent: Mutex<BTreeSet<String>>,
    received: Mutex<Vec<String>>,
}

/// Answers saga requests on a bus. Clones share the script and the record.
pub struct Participants<P> {
    inner: Arc<Inner<P>>,
}

impl<P> Clone for Participants<P> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<P: Publisher + 'static> Participants<P> {
    pub fn new(publisher: P, correlate_by: &str, scripts: Vec<Script>) -> Self {
        Self {
            inner: Arc::new(Inner {
                publisher,
                correlate_by: correlate_by.to_owned(),
                scripts,
                failing: Mutex::default(),
                silent: Mutex::default(),
                received: Mutex::default(),
            }),
        }
    }

    /// The subscription: every scripted request type, one lane (requests answered in order).
    pub fn subscription(&self) -> Subscription {
        let types: Vec<&str> = self.inner.scripts.iter().map(|s| s.request_type).collect();
        Subscription::new("saga.participants", types).with_lanes(1)
    }

    /// Answers `request_type` with its failure event from now on (nothing if it has none).
    pub fn fail(&self, request_type: &str) {
        locked(&self.inner.failing).insert(request_type.to_owned());
    }

    /// Leaves `request_type` unanswered from now on (the saga times out).
    pub fn silence(&self, request_type: &str) {
        locked(&self.inner.silent).insert(request_type.to_owned());
    }

    /// The request types received, in order.
    pub fn received(&self) -> Vec<String> {
        locked(&self.inner.received).clone()
    }

    /// The answer to `request` under the current script.
    pub fn answer(&self, request: &Envelope) -> Option<Envelope> {
        let request_type = request.event_type();
        if locked(&self.inner.silent).contains(request_type) {
            return None;
        }
        let script = self
            .inner
            .scripts
            .iter()
            .find(|s| s.request_type == request_type)?;
        let reply = if locked(&self.inner.failing).contains(request_type) {
            script.failure.as_ref()?
        } else {
            script.success.as_ref()?
        };
        let mut data = reply.data.clone();
        if let (Value::Object(fields), Some(key)) = (&mut data, request.subject())
            && let Some(field) = fields.get_mut(&self.inner.correlate_by)
        {
            *field = Value::String(key.to_owned());
        }
        let envelope = Envelope::caused_by(request, reply.source, reply.event_type, data);
        Some(match request.subject() {
            Some(key) => envelope.with_subject(key),
            None => envelope,
        })
    }
}

impl<P: Publisher + 'static> Handler for Participants<P> {
    async fn handle(&self, envelope: &Envelope) -> Result<(), HandlerError> {
        locked(&self.inner.received).push(envelope.event_type().to_owned());
        let Some(reply) = self.answer(envelope) else {
            return Ok(());
        };
        self.inner
            .publisher
            .publish(reply)
            .await
            .map_err(|e| HandlerError::transient(e.to_string()))
    }
}
