//! The broker bindings of an AsyncAPI export (the `bindings` objects of the AsyncAPI
//! bindings repository: nats 0.1.0, amqp 0.3.0, kafka 0.5.0), from the runtime's names.

use fissure_runtime::naming;
use serde_json::{Value, json};

use super::Broker;

/// The bindings of a message of `ce_type`; `key` is the event's partition key field.
pub(super) fn message(broker: Broker, ce_type: &str, key: Option<&str>) -> Value {
    match broker {
        Broker::Nats => json!({}),
        Broker::Rabbitmq => json!({ "amqp": {
            "messageType": ce_type,
            "bindingVersion": "0.3.0",
        } }),
        Broker::Kafka => {
            let about = match key {
                Some(key) => format!("The event's `{key}`, so one key keeps its order."),
                None => "The event's id: no key field, so no order across events.".to_owned(),
            };
            json!({ "kafka": {
                "key": { "type": "string", "description": about },
                "bindingVersion": "0.5.0",
            } })
        }
    }
}

/// The bindings of the channel a message of `ce_type` is published on.
pub(super) fn publish_channel(broker: Broker, system: &str, address: &str) -> Value {
    match broker {
        Broker::Nats => json!({}),
        Broker::Rabbitmq => json!({ "amqp": {
            "is": "routingKey",
            "exchange": {
                "name": naming::rabbitmq::exchange(system),
                "type": "topic",
                "durable": true,
                "autoDelete": false,
                "vhost": "/",
            },
            "bindingVersion": "0.3.0",
        } }),
        Broker::Kafka => json!({ "kafka": { "topic": address, "bindingVersion": "0.5.0" } }),
    }
}

/// The bindings of a subscription's queue (RabbitMQ only).
pub(super) fn queue_channel(queue: &str) -> Value {
    json!({ "amqp": {
        "is": "queue",
        "queue": {
            "name": queue,
            "durable": true,
            "exclusive": false,
            "autoDelete": false,
            "vhost": "/",
        },
        "bindingVersion": "0.3.0",
    } })
}

/// The bindings of a `receive` operation of `subscription`: the durable consumer on NATS
/// (instances of one service share it like a queue group), the consumer group on Kafka.
pub(super) fn receive(broker: Broker, system: &str, subscription: &str) -> Value {
    match broker {
        Broker::Nats => json!({ "nats": {
            "queue": naming::nats::consumer_name(subscription),
            "bindingVersion": "0.1.0",
        } }),
        Broker::Rabbitmq => json!({}),
        Broker::Kafka => json!({ "kafka": {
            "groupId": { "type": "string", "enum": [naming::kafka::group_id(system, subscription)] },
            "bindingVersion": "0.5.0",
        } }),
    }
}
