//! What the user's command builders see of a saga: the start event, the replies of the
//! completed steps, why it fails, and `fill`, which builds a command from them.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{SagaInstance, replies_by_step};

/// A read-only view of one saga instance.
#[derive(Clone, Copy, Debug)]
pub struct SagaContext<'a> {
    instance: &'a SagaInstance,
}

impl<'a> SagaContext<'a> {
    pub fn new(instance: &'a SagaInstance) -> Self {
        Self { instance }
    }

    pub fn instance(&self) -> &'a SagaInstance {
        self.instance
    }

    /// The value of the `correlate_by` field that keys this instance.
    pub fn key(&self) -> &'a str {
        &self.instance.key
    }

    /// Why the saga fails (`payment failed: PaymentDeclined`, `invoice timed out`).
    pub fn failure(&self) -> Option<&'a str> {
        self.instance.failure.as_deref()
    }

    /// The start event, decoded.
    pub fn started<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_value(self.instance.started.clone()).ok()
    }

    /// The reply that completed `step`, decoded (`None` if the step has not completed or
    /// its reply is another type).
    pub fn reply<T: DeserializeOwned>(&self, step: &str) -> Option<T> {
        let reply = replies_by_step(self.instance).get(step).copied()?;
        serde_json::from_value(reply.data.clone()).ok()
    }

    /// `example` with every field that the start event or a step's reply also has (same
    /// name, a value of a fitting type) taken from there, the latest reply winning. The
    /// starting implementation of every command builder: ids flow from step to step.
    pub fn fill<C: Serialize + DeserializeOwned>(&self, example: C) -> C {
        let Ok(Value::Object(mut fields)) = serde_json::to_value(&example) else {
            return example;
        };
        let sources = std::iter::once(&self.instance.started)
            .chain(self.instance.replies.iter().map(|r| &r.data));
        for source in sources {
            let Value::Object(source) = source else {
                continue;
            };
            for (name, value) in fields.iter_mut() {
                if let Some(v) = source.get(name)
                    && same_shape(value, v)
                {
                    *value = v.clone();
                }
            }
        }
        serde_json::from_value(Value::Object(fields)).unwrap_or(example)
    }
}

/// Whether `candidate` may replace `current` (same JSON kind, so a decode is likely to work).
fn same_shape(current: &Value, candidate: &Value) -> bool {
    matches!(
        (current, candidate),
        (Value::String(_), Value::String(_))
            | (Value::Number(_), Value::Number(_))
            | (Value::Bool(_), Value::Bool(_))
            | (Value::Array(_), Value::Array(_))
            | (Value::Object(_), Value::Object(_))
            | (Value::Null, _)
    )
}
