//! Every name the buses use, in one place: CloudEvents types, subscriptions, and per broker
//! the subjects, streams, exchanges, queues, topics and consumer groups they become. Pure
//! functions, compiled without any broker feature, so the transports and fissure's AsyncAPI
//! exporter (`fissure export asyncapi`) read the same rules.

pub mod kafka;
pub mod nats;
pub mod rabbitmq;

/// The prefix of the CloudEvents attributes in message headers (binary content mode):
/// `ce-id`, `ce-type`, ...
pub const HEADER_PREFIX: &str = "ce-";

/// The CloudEvents type of an event: `<system>.<domain>.<Event>.v<version>`.
pub fn event_type(system: &str, domain: &str, event: &str, version: u32) -> String {
    format!("{system}.{domain}.{event}.v{version}")
}

/// The CloudEvents type of a request to run a command: `<system>.<domain>.<Command>.request`.
pub fn request_type(system: &str, domain: &str, command: &str) -> String {
    format!("{system}.{domain}.{command}.request")
}

/// The CloudEvents `source` of a domain's events: `<system>/<domain>`.
pub fn event_source(system: &str, domain: &str) -> String {
    format!("{system}/{domain}")
}

/// The subscription of a domain's service (every event it handles), and its event-store
/// stream: `<system>.<domain>`.
pub fn service_subscription(system: &str, domain: &str) -> String {
    format!("{system}.{domain}")
}

/// The subscription through which a domain's service receives command requests.
pub fn request_subscription(system: &str, domain: &str) -> String {
    format!("{system}.{domain}.requests")
}

/// The subscription of a saga's engine: its start event and every reply.
pub fn saga_subscription(saga: &str) -> String {
    format!("saga.{saga}")
}

/// A subscription's name with the system in front exactly once: generated services already
/// name theirs `<system>.<domain>`, hand-written ones often just `billing`.
pub fn qualified(system: &str, subscription: &str) -> String {
    format!("{system}.{}", local(system, subscription))
}

/// A subscription's name without its system prefix.
pub fn local<'a>(system: &str, subscription: &'a str) -> &'a str {
    subscription
        .strip_prefix(system)
        .and_then(|rest| rest.strip_prefix('.'))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(subscription)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names a generated `hotel` workspace puts on each broker for the billing
    /// service's subscription, pinned: an exporter and a running service must agree, and
    /// the system must appear once (the queue was once `hotel.hotel.billing`).
    #[test]
    fn the_names_of_one_subscription_on_every_broker() {
        let sub = service_subscription("hotel", "billing");
        assert_eq!(sub, "hotel.billing");
        assert_eq!(rabbitmq::exchange("hotel"), "hotel");
        assert_eq!(rabbitmq::queue("hotel", &sub), "hotel.billing");
        assert_eq!(rabbitmq::queue("hotel", "billing"), "hotel.billing");
        assert_eq!(
            rabbitmq::dead_letter_queue("hotel.billing"),
            "hotel.billing.dlq"
        );
        assert_eq!(kafka::group_id("hotel", &sub), "hotel.billing");
        assert_eq!(kafka::retry_topic("hotel", &sub), "retry.hotel.billing");
        assert_eq!(kafka::dead_letter_topic("hotel", &sub), "dlq.hotel.billing");
        assert_eq!(nats::consumer_name(&sub), "hotel_billing");
        assert_eq!(nats::stream_name("hotel"), "hotel");
        let t = event_type("hotel", "users", "UserRegistered", 1);
        assert_eq!(t, "hotel.users.UserRegistered.v1");
        assert_eq!(nats::subject(&t), t);
        assert_eq!(rabbitmq::routing_key(&t), t);
        assert_eq!(kafka::event_topic(&t).unwrap(), "hotel.users");
        let requests = request_subscription("hotel", "billing");
        assert_eq!(
            rabbitmq::queue("hotel", &requests),
            "hotel.billing.requests"
        );
        assert_eq!(
            request_type("hotel", "billing", "CapturePayment"),
            "hotel.billing.CapturePayment.request"
        );
        assert_eq!(
            rabbitmq::queue("hotel", &saga_subscription("booking")),
            "hotel.saga.booking"
        );
        // A system that is only a prefix of the name is not stripped.
        assert_eq!(local("hotel", "hotels.x"), "hotels.x");
        assert_eq!(local("hotel", "hotel."), "hotel.");
    }
}
