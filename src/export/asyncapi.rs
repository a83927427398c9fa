//! The AsyncAPI 3.0 document of a spec on one broker.
//!
//! Channels are where messages travel, named as the runtime names them: on NATS one subject
//! per event type, on RabbitMQ one routing key per event type on the system's exchange plus
//! one queue per subscription, on Kafka one topic per publishing domain. Operations: `send`
//! for the owner of each event, `receive` for each subscriber (and each saga awaiting it),
//! and for every command a saga runs a `send` by the saga's owner and a `receive` by the
//! command's domain on its request channel. AsyncAPI ids allow `[A-Za-z0-9_-]` only, so
//! dotted names become ids with `_`; the address keeps the real name.

use std::collections::{BTreeMap, BTreeSet};

use fissure_runtime::naming;
use serde_json::{Map, Value, json};

use super::messages::{self, event_message, request_message};
use super::{Broker, bindings};
use crate::generate::saga::plan;
use crate::generate::spec_view::saga_commands;
use crate::spec::{Spec, Subscription};

/// The AsyncAPI 3.0 document of `spec`'s events, sagas' requests and subscribers on `broker`.
pub fn asyncapi(spec: &Spec, broker: Broker) -> Value {
    let mut doc = Document::new(spec, broker);
    doc.events();
    doc.requests();
    doc.sagas();
    doc.into_json()
}

/// An operation before its channel is known: its id, `send` or `receive`, the domain doing
/// it (its tag) and what it does.
struct Op<'s> {
    id: String,
    action: &'static str,
    domain: &'s str,
    summary: String,
}

impl<'s> Op<'s> {
    fn new(id: String, action: &'static str, domain: &'s str, summary: String) -> Self {
        Op {
            id,
            action,
            domain,
            summary,
        }
    }
}

struct Channel {
    address: String,
    messages: BTreeSet<String>,
    bindings: Value,
}

struct Document<'a> {
    spec: &'a Spec,
    broker: Broker,
    channels: BTreeMap<String, Channel>,
    operations: BTreeMap<String, Value>,
    messages: BTreeMap<String, Value>,
}

/// An AsyncAPI id for a dotted name.
fn id(name: &str) -> String {
    name.replace('.', "_")
}

impl<'a> Document<'a> {
    fn new(spec: &'a Spec, broker: Broker) -> Self {
        Document {
            spec,
            broker,
            channels: BTreeMap::new(),
            operations: BTreeMap::new(),
            messages: BTreeMap::new(),
        }
    }

    fn system(&self) -> &'a str {
        &self.spec.system.value
    }

    /// Every event: the owner's `send`, each subscriber's `receive`.
    fn events(&mut self) {
        let spec = self.spec;
        for event in spec.events.values() {
            let message = event_message(event);
            let owner = &event.from.value;
            let ce_type = naming::event_type(self.system(), owner, &event.name, event.version);
            self.messages
                .insert(message.clone(), messages::event(spec, event, self.broker));
            let channel = self.publish_channel(&message, &ce_type);
            let summary = format!("`{owner}` publishes `{}`.", event.name);
            self.operation(
                Op::new(format!("{owner}_sends_{message}"), "send", owner, summary),
                &channel,
                &message,
                json!({}),
            );
            for domain in spec.domains.values() {
                let Some(s) = domain
                    .subscribes
                    .iter()
                    .find(|s| s.event.value == event.name)
                else {
                    continue;
                };
                let subscription = naming::service_subscription(self.system(), &domain.name);
                let summary = subscribed(&domain.name, s);
                self.receive(
                    Op::new(
                        format!("{}_receives_{message}", domain.name),
                        "receive",
                        &domain.name,
                        summary,
                    ),
                    &subscription,
                    &message,
                    &ce_type,
                );
            }
        }
    }

    /// Every command a saga runs: the saga owner's `send`, the command's domain's `receive`.
    fn requests(&mut self) {
        let spec = self.spec;
        let mut sent = BTreeSet::new();
        for saga in spec.sagas.values() {
            for r in saga_commands(saga) {
                sent.insert((
                    saga.owner.value.as_str(),
                    r.domain.as_str(),
                    r.command.as_str(),
                ));
            }
        }
        let mut served = BTreeSet::new();
        for (owner, domain, command_name) in sent {
            let Some(command) = spec
                .domains
                .get(domain)
                .and_then(|d| d.commands.get(command_name))
            else {
                continue;
            };
            let message = request_message(domain, command);
            let ce_type = naming::request_type(self.system(), domain, command_name);
            self.messages.insert(
                message.clone(),
                messages::request(spec, domain, command, self.broker),
            );
            let channel = self.publish_channel(&message, &ce_type);
            let summary = format!("A saga of `{owner}` asks `{domain}` to run `{command_name}`.");
            self.operation(
                Op::new(
                    format!("{owner}_requests_{message}"),
                    "send",
                    owner,
                    summary,
                ),
                &channel,
                &message,
                json!({}),
            );
            if served.insert(message.clone()) {
                let subscription = naming::request_subscription(self.system(), domain);
                let summary = format!("`{domain}` runs `{command_name}` when a saga asks.");
                self.receive(
                    Op::new(
                        format!("{domain}_runs_{message}"),
                        "receive",
                        domain,
                        summary,
                    ),
                    &subscription,
                    &message,
                    &ce_type,
                );
            }
        }
    }

    /// Every saga's engine: a `receive` of its start event and of every reply it awaits.
    fn sagas(&mut self) {
        let spec = self.spec;
        for saga in spec.sagas.values() {
            let Ok(p) = plan(spec, saga) else { continue };
            let mut awaited: BTreeSet<&str> = BTreeSet::from([p.start.name.as_str()]);
            for step in &p.steps {
                let compensation = step.compensation.iter().flat_map(|(_, events)| events);
                for e in step.success.iter().chain(&step.failure).chain(compensation) {
                    awaited.insert(&e.name);
                }
            }
            let subscription = naming::saga_subscription(&saga.name);
            let owner = &saga.owner.value;
            for name in awaited {
                let Some(event) = spec.events.get(name) else {
                    continue;
                };
                let ce_type =
                    naming::event_type(self.system(), &event.from.value, name, event.version);
                let summary = format!(
                    "The saga `{}` (run by `{owner}`) awaits `{name}`.",
                    saga.name
                );
                self.receive(
                    Op::new(
                        format!("saga_{}_receives_{name}", saga.name),
                        "receive",
                        owner,
                        summary,
                    ),
                    &subscription,
                    name,
                    &ce_type,
                );
            }
        }
    }

    /// The channel `message` (of CloudEvents type `ce_type`) is published on.
    fn publish_channel(&mut self, message: &str, ce_type: &str) -> String {
        let (channel, address) = match self.broker {
            Broker::Nats => (message.to_owned(), naming::nats::subject(ce_type)),
            Broker::Rabbitmq => (message.to_owned(), naming::rabbitmq::routing_key(ce_type)),
            // Event types are checked by the spec's validation; a type Kafka refuses would
            // fail the services too, so it keeps the type as its address here.
            Broker::Kafka => {
                let topic =
                    naming::kafka::event_topic(ce_type).unwrap_or_else(|_| ce_type.to_owned());
                (id(&topic), topic)
            }
        };
        let bindings = bindings::publish_channel(self.broker, self.system(), &address);
        self.add_to_channel(channel, address, bindings, message)
    }

    /// The channel `subscription` reads `message` from: its queue on RabbitMQ, else where it
    /// is published.
    fn receive_channel(&mut self, subscription: &str, message: &str, ce_type: &str) -> String {
        if self.broker != Broker::Rabbitmq {
            return self.publish_channel(message, ce_type);
        }
        let queue = naming::rabbitmq::queue(self.system(), subscription);
        let bindings = bindings::queue_channel(&queue);
        self.add_to_channel(id(&queue), queue, bindings, message)
    }

    fn add_to_channel(
        &mut self,
        channel: String,
        address: String,
        bindings: Value,
        message: &str,
    ) -> String {
        let entry = self.channels.entry(channel.clone()).or_insert(Channel {
            address,
            messages: BTreeSet::new(),
            bindings,
        });
        entry.messages.insert(message.to_owned());
        channel
    }

    fn receive(&mut self, op: Op<'_>, subscription: &str, message: &str, ce_type: &str) {
        let channel = self.receive_channel(subscription, message, ce_type);
        let bindings = bindings::receive(self.broker, self.system(), subscription);
        self.operation(op, &channel, message, bindings);
    }

    fn operation(&mut self, op: Op<'_>, channel: &str, message: &str, bindings: Value) {
        let mut operation = json!({
            "action": op.action,
            "channel": { "$ref": format!("#/channels/{channel}") },
            "summary": op.summary,
            "messages": [{ "$ref": format!("#/channels/{channel}/messages/{message}") }],
            "tags": [{ "name": op.domain }],
        });
        if bindings.as_object().is_some_and(|b| !b.is_empty()) {
            operation["bindings"] = bindings;
        }
        self.operations.insert(op.id, operation);
    }

    fn into_json(self) -> Value {
        let channels: Map<String, Value> = (self.channels.into_iter())
            .map(|(name, c)| {
                let messages: Map<String, Value> = (c.messages.iter())
                    .map(|m| {
                        (
                            m.clone(),
                            json!({ "$ref": format!("#/components/messages/{m}") }),
                        )
                    })
                    .collect();
                let mut channel = json!({ "address": c.address, "messages": messages });
                if c.bindings.as_object().is_some_and(|b| !b.is_empty()) {
                    channel["bindings"] = c.bindings;
                }
                (name, channel)
            })
            .collect();
        let messages: Map<String, Value> = self.messages.into_iter().collect();
        let operations: Map<String, Value> = self.operations.into_iter().collect();
        json!({
            "asyncapi": "3.0.0",
            "info": info(self.spec, self.broker),
            "defaultContentType": "application/json",
            "channels": channels,
            "operations": operations,
            "components": { "messages": messages, "schemas": messages::schemas(self.spec) },
        })
    }
}

/// What a subscriber does with an event, for its `receive` operation.
fn subscribed(domain: &str, s: &Subscription) -> String {
    let mode = match s.mode {
        crate::spec::SubscriptionMode::Reaction => "reacts to",
        crate::spec::SubscriptionMode::Projection => "projects",
    };
    format!(
        "`{domain}` {mode} `{}` (handler `{}`).",
        s.event.value, s.handler.value
    )
}

/// The document's `info`: the system, its domains as tags with their descriptions.
fn info(spec: &Spec, broker: Broker) -> Value {
    let tags: Vec<Value> = (spec.domains.values())
        .map(|d| match &d.description {
            Some(text) => json!({ "name": d.name, "description": text }),
            None => json!({ "name": d.name }),
        })
        .collect();
    json!({
        "title": format!("{} events", spec.system.value),
        "version": format!("{}.0.0", spec.version),
        "description": format!(
            "The domain events of `{}` on {}, exported by fissure from its spec: one `send` \
             per owner, one `receive` per subscriber. Messages are CloudEvents 1.0 in binary \
             content mode (attributes as `ce-` headers, the data as the JSON body).",
            spec.system.value,
            broker.name()
        ),
        "tags": tags,
    })
}
