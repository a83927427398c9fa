//! The parts of an event contract that do not depend on the spec: the [`Event`] and
//! [`Command`] traits every generated event and command implements, the string-backed
//! [`Date`] and [`Decimal`] field types, and [`DecodeError`]. A generated events crate
//! re-exports them (`events::Event`, `events::Date`, ...) next to its own types, so they are
//! compiled and tested once, here, rather than in every generated workspace.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::envelope::Envelope;

/// A calendar date, `YYYY-MM-DD` (ISO 8601), kept as the text it was sent as.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Date(pub String);

impl Date {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A decimal number kept as its exact text (`"12.50"`): no float rounding on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Decimal(pub String);

impl Decimal {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A domain event: an immutable fact, versioned, with its place on the bus.
pub trait Event:
    Serialize + DeserializeOwned + Clone + fmt::Debug + PartialEq + Send + Sync + 'static
{
    /// The domain that publishes it.
    const DOMAIN: &'static str;
    const NAME: &'static str;
    const VERSION: u32;
    /// The CloudEvents type: `<system>.<domain>.<Event>.v<version>`.
    const TYPE: &'static str;
    /// The CloudEvents source: `<system>/<domain>`.
    const SOURCE: &'static str;

    /// The CloudEvents types of the older versions that still decode into this struct
    /// (through [`Event::upcast`]); empty for an event that never changed.
    const PREVIOUS_TYPES: &'static [&'static str] = &[];

    /// The ordering and partition key (the envelope's subject), if the event has one.
    fn partition_key(&self) -> Option<String>;

    /// Turns the data of version `from` into the data of version `from + 1`. [`Event::decode`]
    /// calls it once per step, oldest first, for data of one of the `PREVIOUS_TYPES`. The
    /// default knows no older version.
    fn upcast(from: u32, data: Value) -> Result<Value, DecodeError> {
        let _ = data;
        Err(DecodeError::Upcast {
            event_type: crate::upcast::with_version(Self::TYPE, from),
            reason: format!("`{}` has no upcast from version {from}", Self::NAME),
        })
    }

    /// Decodes data of `event_type`: this version as it is, an older one upcast step by step
    /// (see [`crate::upcast`]); any other type is [`DecodeError::UnknownType`].
    fn decode(event_type: &str, data: &Value) -> Result<Self, DecodeError> {
        crate::upcast::decode(event_type, data)
    }

    /// Decodes the event an envelope carries, whichever of its versions it is.
    fn from_envelope(envelope: &Envelope) -> Result<Self, DecodeError> {
        Self::decode(envelope.event_type(), envelope.data())
    }

    /// Every type this struct decodes: the current one, then the older ones. A subscription
    /// to these receives the events producers still at an older version publish.
    fn accepted_types() -> impl Iterator<Item = &'static str> {
        std::iter::once(Self::TYPE).chain(Self::PREVIOUS_TYPES.iter().copied())
    }

    /// The envelope of this event. With a `parent` (the event being handled), the new
    /// envelope carries its correlation id and names it as the cause.
    fn to_envelope(&self, parent: Option<&Envelope>) -> Envelope {
        let data = serde_json::to_value(self).unwrap_or_default();
        let envelope = match parent {
            Some(parent) => Envelope::caused_by(parent, Self::SOURCE, Self::TYPE, data),
            None => Envelope::new(Self::SOURCE, Self::TYPE, data),
        };
        match self.partition_key() {
            Some(key) => envelope.with_subject(key),
            None => envelope,
        }
    }
}

/// Why an event could not be decoded.
#[derive(Debug)]
pub enum DecodeError {
    /// No event of the system has this type.
    UnknownType(String),
    /// The data does not match the event's fields.
    Data(serde_json::Error),
    /// The data of an older version could not be turned into the current one.
    Upcast { event_type: String, reason: String },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownType(t) => write!(f, "unknown event type `{t}`"),
            Self::Data(e) => write!(f, "event data does not decode: {e}"),
            Self::Upcast { event_type, reason } => {
                write!(f, "cannot upcast `{event_type}`: {reason}")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// An event that does not decode will not decode on the next attempt either.
impl From<DecodeError> for crate::handler::HandlerError {
    fn from(e: DecodeError) -> Self {
        Self::permanent(format!("cannot decode event: {e}"))
    }
}

/// A command of a domain, as data: a saga asks the domain to run it by sending it as a
/// request on the bus.
pub trait Command:
    Serialize + DeserializeOwned + Clone + fmt::Debug + PartialEq + Send + Sync + 'static
{
    /// The domain that runs it.
    const DOMAIN: &'static str;
    const NAME: &'static str;
    /// The CloudEvents type of a request to run it: `<system>.<domain>.<Command>.request`.
    const TYPE: &'static str;

    /// The request envelope, sent by `source`.
    fn to_envelope(&self, source: &'static str) -> Envelope {
        Envelope::new(
            source,
            Self::TYPE,
            serde_json::to_value(self).unwrap_or_default(),
        )
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use uuid::Uuid;

    use super::*;

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct RoomBooked {
        room: String,
        nights: u32,
        day: Date,
        price: Decimal,
    }

    impl Event for RoomBooked {
        const DOMAIN: &'static str = "reservations";
        const NAME: &'static str = "RoomBooked";
        const VERSION: u32 = 2;
        const TYPE: &'static str = "hotel.reservations.RoomBooked.v2";
        const SOURCE: &'static str = "hotel/reservations";

        fn partition_key(&self) -> Option<String> {
            Some(self.room.clone())
        }
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct Unkeyed;

    impl Event for Unkeyed {
        const DOMAIN: &'static str = "d";
        const NAME: &'static str = "Unkeyed";
        const VERSION: u32 = 1;
        const TYPE: &'static str = "s.d.Unkeyed.v1";
        const SOURCE: &'static str = "s/d";

        fn partition_key(&self) -> Option<String> {
            None
        }
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct BookRoom {
        room: String,
    }

    impl Command for BookRoom {
        const DOMAIN: &'static str = "reservations";
        const NAME: &'static str = "BookRoom";
        const TYPE: &'static str = "hotel.reservations.BookRoom.request";
    }

    fn booked() -> RoomBooked {
        RoomBooked {
            room: "12".to_owned(),
            nights: 3,
            day: Date::new("2026-05-01"),
            price: Decimal::new("12.50"),
        }
    }

    #[test]
    fn dates_and_decimals_travel_as_their_exact_text() {
        let data = serde_json::to_value(booked()).expect("serializes");
        assert_eq!(data["day"], json!("2026-05-01"));
        assert_eq!(data["price"], json!("12.50"));
        assert_eq!(Decimal::new("12.50").to_string(), "12.50");
        assert_eq!(Date::new("2026-05-01").as_str(), "2026-05-01");
        let back: RoomBooked = serde_json::from_value(data).expect("deserializes");
        assert_eq!(back, booked());
    }

    #[test]
    fn an_event_envelope_carries_its_type_source_key_and_data() {
        let envelope = booked().to_envelope(None);
        assert_eq!(envelope.event_type(), RoomBooked::TYPE);
        assert_eq!(envelope.source(), RoomBooked::SOURCE);
        assert_eq!(envelope.subject(), Some("12"));
        assert_eq!(envelope.causation_id(), None);
        assert_eq!(envelope.decode::<RoomBooked>().expect("decodes"), booked());
        assert_eq!(Unkeyed.to_envelope(None).subject(), None);
    }

    #[test]
    fn an_event_caused_by_another_keeps_the_flow_and_names_its_cause() {
        let parent = Envelope::new("test", "s.d.Started.v1", json!({}));
        let child = booked().to_envelope(Some(&parent));
        assert_eq!(child.correlation_id(), parent.correlation_id());
        assert_eq!(child.causation_id(), Some(parent.id()));
        assert_ne!(child.id(), parent.id());
    }

    #[test]
    fn a_command_request_is_sent_by_the_given_source() {
        let request = BookRoom {
            room: "7".to_owned(),
        }
        .to_envelope("hotel/billing");
        assert_eq!(request.event_type(), BookRoom::TYPE);
        assert_eq!(request.source(), "hotel/billing");
        assert_eq!(request.data(), &json!({ "room": "7" }));
        assert_ne!(request.id(), Uuid::nil());
    }

    #[test]
    fn decode_errors_say_what_went_wrong() {
        let unknown = DecodeError::UnknownType("s.d.Nope.v1".to_owned());
        assert_eq!(unknown.to_string(), "unknown event type `s.d.Nope.v1`");
        let bad = serde_json::from_value::<RoomBooked>(json!({ "room": 1 }))
            .expect_err("a number is not a room");
        assert!(
            DecodeError::Data(bad)
                .to_string()
                .starts_with("event data does not decode: ")
        );
    }
}
