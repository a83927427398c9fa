//! Names on a RabbitMQ server: a topic exchange per system with the event type as routing
//! key, a quorum queue per subscription, a dead-letter exchange and queues, delay queues.

/// The topic exchange of a system's events.
pub fn exchange(system: &str) -> String {
    system.to_owned()
}

/// The routing key of an event: its CloudEvents type.
pub fn routing_key(event_type: &str) -> String {
    event_type.to_owned()
}

/// The queue of a subscription: `<system>.<subscription>`, the system written once.
pub fn queue(system: &str, subscription: &str) -> String {
    super::qualified(system, subscription)
}

/// The exchange dead letters of `system`'s queues go through.
pub fn dead_letter_exchange(system: &str) -> String {
    format!("{system}.dlx")
}

/// The queue holding the dead letters of `queue`.
pub fn dead_letter_queue(queue: &str) -> String {
    format!("{queue}.dlq")
}

/// The delay queue of `queue` for `delay_ms`: messages wait there for their TTL, then the
/// server dead-letters them back to `queue` through the default exchange.
pub fn delay_queue(queue: &str, delay_ms: u64) -> String {
    format!("{queue}.retry.{delay_ms}")
}
