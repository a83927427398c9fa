//! Names and declarations on the RabbitMQ server: a topic exchange per system, a durable
//! quorum queue per subscription, a dead-letter exchange and queues, and delay queues for
//! retries. Declarations are idempotent, so the supervisor re-runs them after a reconnect.

use lapin::options::{ExchangeDeclareOptions, QueueBindOptions, QueueDeclareOptions};
use lapin::types::{AMQPValue, FieldTable, LongString, ShortString};
use lapin::{Channel, ExchangeKind};

use crate::bus::{ALL_TYPES, BusError};

/// A subscription's place on the server.
#[derive(Clone, Debug)]
pub(crate) struct SubTopology {
    pub(crate) system: String,
    pub(crate) queue: String,
    pub(crate) routing_keys: Vec<String>,
    pub(crate) delivery_limit: u32,
}

pub(crate) use crate::naming::rabbitmq::{
    dead_letter_exchange, dead_letter_queue, delay_queue, exchange,
};

/// Rounds a retry delay to two significant digits so that jittered delays share a few delay
/// queues instead of creating one per message.
pub(crate) fn bucket_ms(delay_ms: u64) -> u64 {
    let mut scale = 1;
    while delay_ms / scale >= 100 {
        scale *= 10;
    }
    (delay_ms / scale).max(1) * scale
}

pub(crate) fn system_of(event_type: &str) -> Result<&str, BusError> {
    match event_type.split_once('.') {
        Some((system, rest)) if !system.is_empty() && !rest.is_empty() => Ok(system),
        _ => Err(BusError::Transport(format!(
            "event type `{event_type}` is not of the form `<system>.<domain>.<Event>.v<n>`"
        ))),
    }
}

/// Where a subscription's queue sits and what it is bound to.
pub(crate) fn subscription(
    name: &str,
    types: &[String],
    default_system: Option<&str>,
    delivery_limit: u32,
) -> Result<SubTopology, BusError> {
    let mut system: Option<String> = None;
    let mut keys = Vec::new();
    for t in types {
        let (s, key) = if t == ALL_TYPES {
            let s = default_system.ok_or_else(|| {
                BusError::Transport(
                    "a subscription to all types on RabbitMQ needs the system: add \
                     `?system=<name>` to the AMQP URL"
                        .to_owned(),
                )
            })?;
            (s.to_owned(), "#".to_owned())
        } else {
            (system_of(t)?.to_owned(), t.clone())
        };
        if system.as_ref().is_some_and(|prev| *prev != s) {
            return Err(BusError::Transport(format!(
                "subscription `{name}` mixes types of several systems"
            )));
        }
        system = Some(s);
        keys.push(key);
    }
    let system = system
        .ok_or_else(|| BusError::Transport("a subscription needs at least one type".to_owned()))?;
    Ok(SubTopology {
        queue: crate::naming::rabbitmq::queue(&system, name),
        system,
        routing_keys: keys,
        delivery_limit,
    })
}

fn args(pairs: &[(&str, AMQPValue)]) -> FieldTable {
    let mut t = FieldTable::default();
    for (k, v) in pairs {
        t.insert(ShortString::from(*k), v.clone());
    }
    t
}

fn text(s: &str) -> AMQPValue {
    AMQPValue::LongString(LongString::from(s.to_owned()))
}

pub(crate) async fn declare_system(ch: &Channel, system: &str) -> Result<(), BusError> {
    let durable = ExchangeDeclareOptions {
        durable: true,
        ..Default::default()
    };
    super::bounded(
        "declare exchange",
        ch.exchange_declare(
            exchange(system).into(),
            ExchangeKind::Topic,
            durable,
            FieldTable::default(),
        ),
    )
    .await?;
    super::bounded(
        "declare dead-letter exchange",
        ch.exchange_declare(
            dead_letter_exchange(system).into(),
            ExchangeKind::Direct,
            durable,
            FieldTable::default(),
        ),
    )
    .await
}

pub(crate) async fn declare_subscription(ch: &Channel, t: &SubTopology) -> Result<(), BusError> {
    declare_system(ch, &t.system).await?;
    let durable = QueueDeclareOptions {
        durable: true,
        ..Default::default()
    };
    let dlx = dead_letter_exchange(&t.system);
    super::bounded(
        "declare queue",
        ch.queue_declare(
            t.queue.clone().into(),
            durable,
            args(&[
                ("x-queue-type", text("quorum")),
                // One consumer at a time keeps per-key order across instances of a service.
                ("x-single-active-consumer", AMQPValue::Boolean(true)),
                ("x-dead-letter-exchange", text(&dlx)),
                ("x-dead-letter-routing-key", text(&t.queue)),
                // The server's limit stops crash loops; the consumer dead-letters earlier itself.
                (
                    "x-delivery-limit",
                    AMQPValue::LongInt(i32::try_from(t.delivery_limit).unwrap_or(i32::MAX)),
                ),
            ]),
        ),
    )
    .await?;
    for key in &t.routing_keys {
        super::bounded(
            "bind queue",
            ch.queue_bind(
                t.queue.clone().into(),
                exchange(&t.system).into(),
                key.clone().into(),
                QueueBindOptions::default(),
                FieldTable::default(),
            ),
        )
        .await?;
    }
    let dlq = dead_letter_queue(&t.queue);
    super::bounded(
        "declare dead-letter queue",
        ch.queue_declare(
            dlq.clone().into(),
            durable,
            args(&[("x-queue-type", text("quorum"))]),
        ),
    )
    .await?;
    super::bounded(
        "bind dead-letter queue",
        ch.queue_bind(
            dlq.into(),
            dlx.into(),
            t.queue.clone().into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        ),
    )
    .await
}

pub(crate) async fn declare_delay_queue(
    ch: &Channel,
    queue: &str,
    delay_ms: u64,
) -> Result<String, BusError> {
    let name = delay_queue(queue, delay_ms);
    let ttl = i64::try_from(delay_ms).unwrap_or(i64::MAX);
    super::bounded(
        "declare delay queue",
        ch.queue_declare(
            name.clone().into(),
            QueueDeclareOptions {
                durable: true,
                ..Default::default()
            },
            args(&[
                ("x-message-ttl", AMQPValue::LongLongInt(ttl)),
                ("x-dead-letter-exchange", text("")),
                ("x-dead-letter-routing-key", text(queue)),
                // Unused delay queues go away by themselves.
                ("x-expires", AMQPValue::LongLongInt(ttl + 600_000)),
            ]),
        ),
    )
    .await?;
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queues_and_buckets() {
        let t = subscription("billing.on-user", &["hotel.users.A.v1".to_owned()], None, 6).unwrap();
        assert_eq!(t.queue, "hotel.billing.on-user");
        assert_eq!(t.routing_keys, ["hotel.users.A.v1"]);
        assert!(subscription("x", &[ALL_TYPES.to_owned()], None, 1).is_err());
        let all = subscription("x", &[ALL_TYPES.to_owned()], Some("hotel"), 1).unwrap();
        assert_eq!(all.routing_keys, ["#"]);
        assert_eq!(
            [
                bucket_ms(0),
                bucket_ms(57),
                bucket_ms(137),
                bucket_ms(1_234)
            ],
            [1, 57, 130, 1_200]
        );
    }
}
