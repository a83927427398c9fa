//! Exports of the spec for the rest of an organisation: `asyncapi` builds the AsyncAPI 3.0
//! document of the system's events on one broker. Pure: `Spec -> serde_json::Value`; the
//! names come from the runtime's `naming` (what the services use), the payload schemas from
//! the events crate's type mapping (`generate::types::json_schema`).

mod asyncapi;
mod bindings;
mod messages;

pub use asyncapi::asyncapi;

/// The broker an export describes: its channel names and bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Broker {
    Nats,
    Rabbitmq,
    Kafka,
}

impl Broker {
    pub const ALL: [Broker; 3] = [Broker::Nats, Broker::Rabbitmq, Broker::Kafka];

    /// The name AsyncAPI gives the protocol, also the key of its bindings.
    pub fn protocol(self) -> &'static str {
        match self {
            Broker::Nats => "nats",
            Broker::Rabbitmq => "amqp",
            Broker::Kafka => "kafka",
        }
    }

    /// The name on fissure's command line (`--bus`).
    pub fn name(self) -> &'static str {
        match self {
            Broker::Nats => "nats",
            Broker::Rabbitmq => "rabbitmq",
            Broker::Kafka => "kafka",
        }
    }
}
