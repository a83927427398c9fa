//! CloudEvents binary mode: the envelope's attributes as message headers and its data as the
//! body, shared by the broker transports (NATS and AMQP headers, Kafka record headers).
//!
//! Headers are `ce-<attribute>`; the body is the JSON `data`. An extension whose value is not
//! a string travels as JSON text and is parsed back; a string extension that itself parses as
//! a non-string JSON value (`"true"`, `"42"`) comes back as that value.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;
use uuid::Uuid;

use crate::envelope::{DATA_CONTENT_TYPE, Envelope, EnvelopeParts, SPEC_VERSION};
use crate::time::Timestamp;

pub(crate) const PREFIX: &str = crate::naming::HEADER_PREFIX;

/// The headers and body of `envelope` in binary mode.
pub(crate) fn encode(envelope: &Envelope) -> (Vec<(String, String)>, Vec<u8>) {
    let mut h = vec![
        (format!("{PREFIX}specversion"), SPEC_VERSION.to_owned()),
        (format!("{PREFIX}id"), envelope.id().to_string()),
        (format!("{PREFIX}source"), envelope.source().to_owned()),
        (format!("{PREFIX}type"), envelope.event_type().to_owned()),
        (format!("{PREFIX}time"), envelope.time().to_string()),
        (
            format!("{PREFIX}correlationid"),
            envelope.correlation_id().to_string(),
        ),
        ("content-type".to_owned(), DATA_CONTENT_TYPE.to_owned()),
    ];
    if let Some(s) = envelope.subject() {
        h.push((format!("{PREFIX}subject"), s.to_owned()));
    }
    if let Some(c) = envelope.causation_id() {
        h.push((format!("{PREFIX}causationid"), c.to_string()));
    }
    for (name, value) in envelope.extensions() {
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        h.push((format!("{PREFIX}{name}"), text));
    }
    // Serializing an owned `Value` cannot fail.
    let body = serde_json::to_vec(envelope.data()).unwrap_or_default();
    (h, body)
}

/// Rebuilds an envelope from binary-mode headers (names compared case-insensitively) and body.
pub(crate) fn decode<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    body: &[u8],
) -> Result<Envelope, String> {
    // Borrowed names and values: this runs once per delivered event, and the names are
    // lower-case already unless another producer wrote them.
    let mut attrs: BTreeMap<Cow<'a, str>, &'a str> = BTreeMap::new();
    for (name, value) in headers {
        let Some(attr) = name
            .get(..PREFIX.len())
            .filter(|p| p.eq_ignore_ascii_case(PREFIX))
            .map(|_| &name[PREFIX.len()..])
        else {
            continue;
        };
        let attr = if attr.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(attr.to_ascii_lowercase())
        } else {
            Cow::Borrowed(attr)
        };
        attrs.insert(attr, value);
    }
    let mut take = |name: &str| attrs.remove(name).map(str::to_owned);
    let spec = take("specversion").ok_or("missing ce-specversion header")?;
    if spec != SPEC_VERSION {
        return Err(format!("unsupported CloudEvents specversion `{spec}`"));
    }
    let uuid = |v: String, what: &str| {
        Uuid::parse_str(&v).map_err(|e| format!("invalid ce-{what} `{v}`: {e}"))
    };
    let id = uuid(take("id").ok_or("missing ce-id header")?, "id")?;
    let source = take("source").ok_or("missing ce-source header")?;
    let event_type = take("type").ok_or("missing ce-type header")?;
    let time = match take("time") {
        Some(t) => Timestamp::parse_rfc3339(&t).map_err(|e| format!("invalid ce-time: {e}"))?,
        None => Timestamp::now(),
    };
    let subject = take("subject");
    let correlation_id = match take("correlationid") {
        Some(c) => uuid(c, "correlationid")?,
        None => id,
    };
    let causation_id = take("causationid")
        .map(|c| uuid(c, "causationid"))
        .transpose()?;
    let data: Value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(body).map_err(|e| format!("event data is not JSON: {e}"))?
    };
    let extensions = attrs
        .into_iter()
        .map(|(name, text)| {
            let value = match serde_json::from_str::<Value>(text) {
                Ok(v) if !v.is_string() => v,
                _ => Value::String(text.to_owned()),
            };
            (name.into_owned(), value)
        })
        .collect();
    Envelope::from_parts(EnvelopeParts {
        id,
        source,
        event_type,
        time,
        subject,
        data,
        correlation_id,
        causation_id,
        extensions,
    })
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_attribute_survives_headers_and_body() {
        let parent = Envelope::new("t/users", "t.users.A.v1", json!({}));
        let e = Envelope::caused_by(&parent, "t/billing", "t.billing.B.v1", json!({"n": 1}))
            .with_subject("key-1")
            .with_extension("tenant", json!("acme"))
            .unwrap()
            .with_extension("priority", json!(3))
            .unwrap();
        let (h, body) = encode(&e);
        let back = decode(h.iter().map(|(k, v)| (k.as_str(), v.as_str())), &body).unwrap();
        assert_eq!(back, e);
        assert_eq!(back.correlation_id(), parent.id());
        assert_eq!(back.causation_id(), Some(parent.id()));
    }

    #[test]
    fn missing_or_foreign_attributes_are_refused_by_name() {
        let err = decode([("ce-specversion", "1.0")], b"{}").unwrap_err();
        assert!(err.contains("ce-id"), "{err}");
        let err = decode([("ce-specversion", "0.3")], b"{}").unwrap_err();
        assert!(err.contains("0.3"), "{err}");
    }
}
