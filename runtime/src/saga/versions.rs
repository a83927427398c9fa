//! Older versions of the events a saga listens to. During an upgrade, producers still at an
//! older version publish under its type (`...PaymentCaptured.v1` while the saga waits for
//! `.v2`); the saga must start and advance on them all the same. [`SagaDef::upcast`] turns
//! such an event into its current version before any matching, through the event's own
//! upcast path ([`Event::decode`]), so the step table, the stored replies and the user's
//! builders only ever see current types and current data.

use serde_json::Value;

use super::SagaDef;
use crate::contract::{DecodeError, Event};
use crate::envelope::Envelope;

/// An event the saga listens to, with the older types that still decode into it.
#[derive(Clone, Copy, Debug)]
pub struct EventVersions {
    /// The current CloudEvents type (the one in the step table).
    pub current: &'static str,
    /// The older types, oldest first.
    pub previous: &'static [&'static str],
    /// The data of one of `previous` as the data of `current`.
    pub upcast: fn(&str, &Value) -> Result<Value, DecodeError>,
}

impl EventVersions {
    /// The versions of `E`, from its `TYPE`, `PREVIOUS_TYPES` and `upcast`.
    pub const fn of<E: Event>() -> Self {
        Self {
            current: E::TYPE,
            previous: E::PREVIOUS_TYPES,
            upcast: current_data::<E>,
        }
    }
}

/// Decodes through `E`'s upcast steps into the current struct, then back to JSON: the upcast
/// data is checked against the current fields, exactly as a handler of `E` would see it.
fn current_data<E: Event>(event_type: &str, data: &Value) -> Result<Value, DecodeError> {
    let event = E::decode(event_type, data)?;
    serde_json::to_value(event).map_err(DecodeError::Data)
}

impl SagaDef {
    /// The older types the saga also subscribes to: those of every listened event it lists in
    /// `versions`.
    pub(super) fn previous_types(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.versions
            .iter()
            .flat_map(|v| v.previous.iter().copied())
    }

    /// `envelope` as its current version when it is an older one (same id, correlation and
    /// cause; the current type and upcast data); `None` when it already is current or is no
    /// older version of a listened event. An upcast that fails is a [`DecodeError`].
    pub fn upcast(&self, envelope: &Envelope) -> Result<Option<Envelope>, DecodeError> {
        let event_type = envelope.event_type();
        let Some(versions) = self
            .versions
            .iter()
            .find(|v| v.previous.contains(&event_type))
        else {
            return Ok(None);
        };
        let data = (versions.upcast)(event_type, envelope.data())?;
        let mut parts = envelope.clone().into_parts();
        parts.event_type = versions.current.to_owned();
        parts.data = data;
        Envelope::from_parts(parts)
            .map(Some)
            .map_err(|e| DecodeError::Upcast {
                event_type: event_type.to_owned(),
                reason: e.to_string(),
            })
    }
}
