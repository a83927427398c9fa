//! The CloudEvents 1.0 envelope every event travels in, and its JSON structured format.
//!
//! Attributes: `id` (UUID v7, so ids sort by creation time), `source`, `type`, `specversion`
//! ("1.0"), `time` (RFC 3339, UTC), `subject` (the partition key: events with the same subject
//! are handled in order), `datacontenttype` ("application/json"), `data`, and the extensions
//! `correlationid` (the id of the first event of a flow) and `causationid` (the id of the event
//! whose handling produced this one).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use uuid::Uuid;

use crate::subject::Subject;
use crate::time::Timestamp;

/// The CloudEvents spec version this envelope implements.
pub const SPEC_VERSION: &str = "1.0";
/// The only data content type the runtime produces and accepts (plus `+json` suffixes).
pub const DATA_CONTENT_TYPE: &str = "application/json";

/// One event with its CloudEvents attributes.
///
/// Fields are private so that invariants hold (a correlation id is always present, extension
/// names are valid); read them with the accessors, build with [`Envelope::new`] or
/// [`Envelope::caused_by`] and the `with_*` methods.
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope {
    id: Uuid,
    // `Cow<'static, str>` because generated code passes string literals for source and type:
    // no allocation per event on the publish hot path.
    source: Cow<'static, str>,
    event_type: Cow<'static, str>,
    time: Timestamp,
    subject: Subject,
    data: Value,
    correlation_id: Uuid,
    causation_id: Option<Uuid>,
    extensions: BTreeMap<String, Value>,
}

/// Why an envelope could not be built or decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvelopeError {
    /// `specversion` is not "1.0".
    UnsupportedSpecVersion(String),
    /// `datacontenttype` is not JSON, or the event carries `data_base64`.
    UnsupportedContentType(String),
    /// An extension name is not lower-case ASCII letters and digits, or names a core attribute.
    InvalidExtensionName(String),
}

impl fmt::Display for EnvelopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnsupportedSpecVersion(v) => {
                write!(
                    f,
                    "unsupported CloudEvents specversion `{v}` (expected `{SPEC_VERSION}`)"
                )
            }
            Self::UnsupportedContentType(t) => {
                write!(
                    f,
                    "unsupported datacontenttype `{t}` (expected `{DATA_CONTENT_TYPE}`)"
                )
            }
            Self::InvalidExtensionName(n) => write!(
                f,
                "invalid CloudEvents extension name `{n}`: lower-case letters and digits only, \
                 not a core attribute"
            ),
        }
    }
}

impl std::error::Error for EnvelopeError {}

// `dataschema` is not listed: the runtime does not model it, so a foreign event keeps it as an
// ordinary attribute and it round-trips.
const CORE_ATTRIBUTES: [&str; 11] = [
    "id",
    "source",
    "type",
    "specversion",
    "time",
    "subject",
    "datacontenttype",
    "data",
    "data_base64",
    "correlationid",
    "causationid",
];

impl Envelope {
    /// A new event that starts a flow: fresh UUID v7 id, time now, and the correlation id set
    /// to its own id.
    pub fn new(
        source: impl Into<Cow<'static, str>>,
        event_type: impl Into<Cow<'static, str>>,
        data: Value,
    ) -> Self {
        // One clock read for both the id's timestamp and `time`.
        let since_epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let id = crate::ids::new_v7_at(since_epoch);
        Self {
            id,
            source: source.into(),
            event_type: event_type.into(),
            time: Timestamp::from_unix(since_epoch.as_secs() as i64, since_epoch.subsec_nanos()),
            subject: Subject::Absent,
            data,
            correlation_id: id,
            causation_id: None,
            extensions: BTreeMap::new(),
        }
    }

    /// A new event produced while handling `parent`: same correlation id, causation id set to
    /// the parent's id. The subject is not inherited (the new event has its own key).
    pub fn caused_by(
        parent: &Envelope,
        source: impl Into<Cow<'static, str>>,
        event_type: impl Into<Cow<'static, str>>,
        data: Value,
    ) -> Self {
        let mut e = Self::new(source, event_type, data);
        e.correlation_id = parent.correlation_id;
        e.causation_id = Some(parent.id);
        e
    }

    /// Sets the subject, the partition key that orders events within a subscription.
    pub fn with_subject(mut self, subject: impl AsRef<str>) -> Self {
        self.subject = Subject::new(subject.as_ref());
        self
    }

    /// Replaces the id; a root event's correlation id follows it so it stays self-correlated.
    pub fn with_id(mut self, id: Uuid) -> Self {
        if self.causation_id.is_none() && self.correlation_id == self.id {
            self.correlation_id = id;
        }
        self.id = id;
        self
    }

    /// Replaces the time (tests and replays use fixed times).
    pub fn with_time(mut self, time: Timestamp) -> Self {
        self.time = time;
        self
    }

    /// Adds a CloudEvents extension attribute.
    pub fn with_extension(mut self, name: &str, value: Value) -> Result<Self, EnvelopeError> {
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && !CORE_ATTRIBUTES.contains(&name);
        if !valid {
            return Err(EnvelopeError::InvalidExtensionName(name.to_owned()));
        }
        self.extensions.insert(name.to_owned(), value);
        Ok(self)
    }

    pub fn id(&self) -> Uuid {
        self.id
    }
    pub fn source(&self) -> &str {
        &self.source
    }
    /// The CloudEvents `type`, e.g. `hotel.users.UserRegistered.v1`.
    pub fn event_type(&self) -> &str {
        &self.event_type
    }
    pub fn time(&self) -> Timestamp {
        self.time
    }
    /// The partition key, if any.
    pub fn subject(&self) -> Option<&str> {
        self.subject.as_str()
    }

    /// The subject's bytes (hashing keys without a UTF-8 check).
    pub(crate) fn subject_bytes(&self) -> Option<&[u8]> {
        self.subject.as_bytes()
    }
    pub fn data(&self) -> &Value {
        &self.data
    }
    /// Decodes the data into an event type.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(&self.data)
    }
    pub fn correlation_id(&self) -> Uuid {
        self.correlation_id
    }
    pub fn causation_id(&self) -> Option<Uuid> {
        self.causation_id
    }
    pub fn extension(&self, name: &str) -> Option<&Value> {
        self.extensions.get(name)
    }

    /// Every extension attribute, by name.
    pub fn extensions(&self) -> &BTreeMap<String, Value> {
        &self.extensions
    }

    /// The CloudEvents JSON structured form.
    pub fn to_json(&self) -> String {
        // Serializing a tree of strings, UUIDs and an owned `Value` into a String cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parses the CloudEvents JSON structured form.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// Every attribute of an envelope as plain public fields: for transports that carry attributes
/// outside the JSON body (CloudEvents binary mode: NATS/AMQP headers, Kafka record headers)
/// and for stores that keep them in columns.
#[derive(Clone, Debug, PartialEq)]
pub struct EnvelopeParts {
    pub id: Uuid,
    pub source: String,
    pub event_type: String,
    pub time: Timestamp,
    pub subject: Option<String>,
    pub data: Value,
    pub correlation_id: Uuid,
    pub causation_id: Option<Uuid>,
    pub extensions: BTreeMap<String, Value>,
}

impl Envelope {
    /// Splits the envelope into its attributes.
    pub fn into_parts(self) -> EnvelopeParts {
        EnvelopeParts {
            id: self.id,
            source: self.source.into_owned(),
            event_type: self.event_type.into_owned(),
            time: self.time,
            subject: self.subject.as_str().map(str::to_owned),
            data: self.data,
            correlation_id: self.correlation_id,
            causation_id: self.causation_id,
            extensions: self.extensions,
        }
    }

    /// Rebuilds an envelope read back from a transport or a store; extension names are
    /// checked as in [`Envelope::with_extension`].
    pub fn from_parts(parts: EnvelopeParts) -> Result<Self, EnvelopeError> {
        let mut e = Self {
            id: parts.id,
            source: Cow::Owned(parts.source),
            event_type: Cow::Owned(parts.event_type),
            time: parts.time,
            subject: parts
                .subject
                .as_deref()
                .map_or(Subject::Absent, Subject::new),
            data: parts.data,
            correlation_id: parts.correlation_id,
            causation_id: parts.causation_id,
            extensions: BTreeMap::new(),
        };
        for (name, value) in parts.extensions {
            e = e.with_extension(&name, value)?;
        }
        Ok(e)
    }
}

#[derive(Serialize)]
struct WireOut<'a> {
    specversion: &'static str,
    id: Uuid,
    source: &'a str,
    #[serde(rename = "type")]
    event_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
    time: Timestamp,
    datacontenttype: &'static str,
    data: &'a Value,
    correlationid: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    causationid: Option<Uuid>,
    #[serde(flatten)]
    extensions: &'a BTreeMap<String, Value>,
}

#[derive(Deserialize)]
struct WireIn {
    specversion: String,
    id: Uuid,
    source: String,
    #[serde(rename = "type")]
    event_type: String,
    #[serde(default)]
    subject: Option<String>,
    time: Timestamp,
    #[serde(default)]
    datacontenttype: Option<String>,
    #[serde(default)]
    data: Value,
    #[serde(default)]
    data_base64: Option<String>,
    #[serde(default)]
    correlationid: Option<Uuid>,
    #[serde(default)]
    causationid: Option<Uuid>,
    #[serde(flatten)]
    extensions: BTreeMap<String, Value>,
}

impl Serialize for Envelope {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        WireOut {
            specversion: SPEC_VERSION,
            id: self.id,
            source: &self.source,
            event_type: &self.event_type,
            subject: self.subject.as_str(),
            time: self.time,
            datacontenttype: DATA_CONTENT_TYPE,
            data: &self.data,
            correlationid: self.correlation_id,
            causationid: self.causation_id,
            extensions: &self.extensions,
        }
        .serialize(s)
    }
}

fn is_json_content_type(t: &str) -> bool {
    let media = t
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    media == DATA_CONTENT_TYPE || (media.starts_with("application/") && media.ends_with("+json"))
}

impl<'de> Deserialize<'de> for Envelope {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let w = WireIn::deserialize(d)?;
        if w.specversion != SPEC_VERSION {
            return Err(D::Error::custom(EnvelopeError::UnsupportedSpecVersion(
                w.specversion,
            )));
        }
        if w.data_base64.is_some() {
            return Err(D::Error::custom(EnvelopeError::UnsupportedContentType(
                "data_base64".to_owned(),
            )));
        }
        if let Some(t) = w.datacontenttype.filter(|t| !is_json_content_type(t)) {
            return Err(D::Error::custom(EnvelopeError::UnsupportedContentType(t)));
        }
        Ok(Self {
            id: w.id,
            source: Cow::Owned(w.source),
            event_type: Cow::Owned(w.event_type),
            time: w.time,
            subject: w.subject.as_deref().map_or(Subject::Absent, Subject::new),
            data: w.data,
            correlation_id: w.correlationid.unwrap_or(w.id),
            causation_id: w.causationid,
            extensions: w.extensions,
        })
    }
}
