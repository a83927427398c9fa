//! Names on a Kafka cluster: one topic per publishing domain, and per subscription a
//! consumer group, a retry topic and a dead-letter topic.

use crate::bus::BusError;

/// The topic of an event: its system and domain (`hotel.users` for
/// `hotel.users.UserRegistered.v1`). One topic per publishing domain keeps the events of one key
/// in order across their types (Kafka orders a partition, not a set of topics); subscribers
/// skip the types they do not read.
pub fn event_topic(event_type: &str) -> Result<String, BusError> {
    let legal = event_type.len() <= 249
        && event_type
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    let mut segments = event_type.split('.');
    match (segments.next(), segments.next(), segments.next()) {
        (Some(system), Some(domain), Some(_))
            if legal && !system.is_empty() && !domain.is_empty() =>
        {
            Ok(format!("{system}.{domain}"))
        }
        _ => Err(BusError::Transport(format!(
            "event type `{event_type}` is not of the form `<system>.<domain>.<Event>.v<n>` \
             (letters, digits, `.`, `_`, `-`)"
        ))),
    }
}

/// The consumer group of a subscription: `<system>.<subscription>`, the system written once.
pub fn group_id(system: &str, subscription: &str) -> String {
    super::qualified(system, subscription)
}

/// Where a subscription parks its failed events until their retry delay passed. Outside the
/// system's prefix, so an `ALL_TYPES` subscription does not read other subscriptions' retries.
pub fn retry_topic(system: &str, subscription: &str) -> String {
    format!(
        "retry.{system}.{}",
        sanitize(super::local(system, subscription))
    )
}

/// Where a subscription's dead letters go.
pub fn dead_letter_topic(system: &str, subscription: &str) -> String {
    format!(
        "dlq.{system}.{}",
        sanitize(super::local(system, subscription))
    )
}

fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}
