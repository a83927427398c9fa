//! The messages of an AsyncAPI export: one per event and one per command request, each with
//! its CloudEvents attributes as headers (binary content mode, as the runtime's transports
//! send them) and its payload's JSON Schema; and the value types as shared schemas.

use fissure_runtime::naming::{self, HEADER_PREFIX};
use serde_json::{Map, Value, json};

use super::Broker;
use super::bindings;
use crate::generate::types::object_schema;
use crate::spec::{Command, Event, Spec};

/// Where value types live in the document.
pub(super) const SCHEMAS: &str = "#/components/schemas/";

/// The message id of an event: its name.
pub(super) fn event_message(event: &Event) -> String {
    event.name.clone()
}

/// The message id of a request to run `command` of `domain`.
pub(super) fn request_message(domain: &str, command: &Command) -> String {
    format!("{domain}_{}_request", command.name)
}

/// The message of `event`: CloudEvents headers, the event's fields as payload.
pub(super) fn event(spec: &Spec, event: &Event, broker: Broker) -> Value {
    let system = &spec.system.value;
    let domain = &event.from.value;
    let ce_type = naming::event_type(system, domain, &event.name, event.version);
    let source = json!({ "const": naming::event_source(system, domain) });
    let key = event.key.as_ref().map(|k| k.value.as_str());
    let mut message = json!({
        "name": event.name,
        "title": format!("{} (version {})", event.name, event.version),
        "summary": format!("`{ce_type}`, published by `{domain}`."),
        "contentType": "application/json",
        "correlationId": { "location": format!("$message.header#/{HEADER_PREFIX}correlationid") },
        "headers": headers(&ce_type, source, key),
        "payload": object_schema(&event.fields, SCHEMAS),
        "bindings": bindings::message(broker, &ce_type, key),
    });
    if let Some(text) = &event.description {
        message["description"] = text.clone().into();
    }
    message
}

/// The message a saga sends to have `command` of `domain` run.
pub(super) fn request(spec: &Spec, domain: &str, command: &Command, broker: Broker) -> Value {
    let ce_type = naming::request_type(&spec.system.value, domain, &command.name);
    let replies: Vec<String> = (command.emits.iter().chain(&command.rejects_with))
        .map(|e| format!("`{}`", e.value))
        .collect();
    let mut message = json!({
        "name": request_message(domain, command),
        "title": format!("Run {}.{}", domain, command.name),
        "summary": format!(
            "`{ce_type}`: a saga asks `{domain}` to run `{}`; the reply is {}.",
            command.name,
            replies.join(" or ")
        ),
        "contentType": "application/json",
        "correlationId": { "location": format!("$message.header#/{HEADER_PREFIX}correlationid") },
        "headers": headers(&ce_type, json!({ "type": "string" }), None),
        "payload": object_schema(&command.fields, SCHEMAS),
        "bindings": bindings::message(broker, &ce_type, None),
    });
    if let Some(text) = &command.description {
        message["description"] = text.clone().into();
    }
    message
}

/// The CloudEvents attributes of a message of `ce_type` as the schema of its headers.
fn headers(ce_type: &str, source: Value, key: Option<&str>) -> Value {
    let uuid = json!({ "type": "string", "format": "uuid" });
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut attribute = |name: &str, schema: Value, needed: bool| {
        let header = format!("{HEADER_PREFIX}{name}");
        if needed {
            required.push(Value::from(header.clone()));
        }
        properties.insert(header, schema);
    };
    attribute("specversion", json!({ "const": "1.0" }), true);
    attribute("id", uuid.clone(), true);
    attribute("source", source, true);
    attribute("type", json!({ "const": ce_type }), true);
    attribute(
        "time",
        json!({ "type": "string", "format": "date-time" }),
        true,
    );
    attribute("correlationid", uuid.clone(), true);
    attribute("causationid", uuid, false);
    if let Some(key) = key {
        let text = format!("The partition key: the event's `{key}`.");
        attribute(
            "subject",
            json!({ "type": "string", "description": text }),
            true,
        );
    }
    properties.insert(
        "content-type".to_owned(),
        json!({ "const": "application/json" }),
    );
    required.push("content-type".into());
    json!({ "type": "object", "properties": properties, "required": required })
}

/// The spec's value types, referenced by the payloads.
pub(super) fn schemas(spec: &Spec) -> Map<String, Value> {
    spec.types
        .values()
        .map(|ty| {
            let mut schema = object_schema(&ty.fields, SCHEMAS);
            if let Some(text) = &ty.description {
                schema["description"] = text.clone().into();
            }
            (ty.name.clone(), schema)
        })
        .collect()
}
