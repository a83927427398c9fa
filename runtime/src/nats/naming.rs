//! Names on the NATS server: streams per system, durable consumers per subscription, and the
//! subject filters of a subscription.

use crate::bus::{ALL_TYPES, BusError};

/// The system an event type belongs to: its first dot-separated segment.
pub(crate) fn system_of(event_type: &str) -> Result<&str, BusError> {
    let valid = !event_type.is_empty()
        && event_type
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'*' && b != b'>')
        && !event_type.split('.').any(str::is_empty);
    match event_type.split_once('.') {
        Some((system, _)) if valid => Ok(system),
        _ => Err(BusError::Transport(format!(
            "event type `{event_type}` is not a NATS subject of the form `<system>.<domain>.<Event>.v<n>`"
        ))),
    }
}

pub use crate::naming::nats::{consumer_name, dlq_stream_name, stream_name};

/// The system and subject filters of a subscription: one stream per consumer, so every type
/// must belong to the same system; `ALL_TYPES` needs the system from the URL.
pub(crate) fn filters(
    types: &[String],
    default_system: Option<&str>,
) -> Result<(String, Vec<String>), BusError> {
    let mut system: Option<&str> = None;
    let mut filters = Vec::new();
    for t in types {
        let (s, filter) = if t == ALL_TYPES {
            let s = default_system.ok_or_else(|| {
                BusError::Transport(
                    "a subscription to all types on NATS needs the system: add \
                     `?system=<name>` to the NATS URL"
                        .to_owned(),
                )
            })?;
            (s, format!("{s}.>"))
        } else {
            (system_of(t)?, t.clone())
        };
        if system.is_some_and(|prev| prev != s) {
            return Err(BusError::Transport(format!(
                "a NATS subscription reads one system's stream; types of `{}` and `{s}` are mixed",
                system.unwrap_or_default()
            )));
        }
        system = Some(s);
        filters.push(filter);
    }
    let system = system
        .ok_or_else(|| BusError::Transport("a subscription needs at least one type".to_owned()))?;
    if filters.iter().any(|f| f.ends_with(".>")) {
        filters = vec![format!("{system}.>")];
    }
    Ok((system.to_owned(), filters))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_map_to_one_system_and_subject_filters() {
        let types = vec!["hotel.users.A.v1".to_owned(), "hotel.rooms.B.v2".to_owned()];
        let (s, f) = filters(&types, None).unwrap();
        assert_eq!(s, "hotel");
        assert_eq!(f, types);
        let mixed = vec!["hotel.users.A.v1".to_owned(), "shop.cart.C.v1".to_owned()];
        assert!(filters(&mixed, None).is_err());
        assert!(filters(&[ALL_TYPES.to_owned()], None).is_err());
        let (_, f) = filters(&[ALL_TYPES.to_owned()], Some("hotel")).unwrap();
        assert_eq!(f, ["hotel.>"]);
        assert!(system_of("bad type").is_err() && system_of("a..b").is_err());
        assert_eq!(consumer_name("billing.on-user"), "billing_on-user");
    }
}
