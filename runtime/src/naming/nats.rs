//! Names on a NATS server: a JetStream stream per system (and one for its dead letters),
//! the event type as the subject, a durable consumer per subscription.

/// The subject an event is published on: its CloudEvents type.
pub fn subject(event_type: &str) -> String {
    event_type.to_owned()
}

/// The stream holding the events of `system`.
pub fn stream_name(system: &str) -> String {
    sanitize(system)
}

/// The stream holding the dead letters of `system`'s subscriptions.
pub fn dlq_stream_name(system: &str) -> String {
    format!("{}_dlq", sanitize(system))
}

/// The durable consumer of a subscription (dots and other characters NATS refuses in names
/// become `_`).
pub fn consumer_name(subscription: &str) -> String {
    sanitize(subscription)
}

fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
