//! The spec as written: the shape of `fissure.yaml`, every value with its position, before
//! any meaning is checked. The JSON Schema (`fissure schema`) is derived from these types,
//! and `decode` fills them, so the schema and the loader describe one format. A unit test
//! checks that the keys the decoder accepts are exactly the schema's properties.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use super::yaml::Pos;
use crate::diagnostics::{Code, Level};

/// A value and where it was written; in the JSON Schema it is just the value.
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T: JsonSchema> JsonSchema for At<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<T>()
    }
}

/// A YAML mapping from names to `V`, in file order, first occurrence of each key only
/// (duplicates are reported while decoding).
#[derive(Debug, Clone, PartialEq)]
pub struct NamedMap<V>(pub Vec<(At<String>, V)>);

impl<V> Default for NamedMap<V> {
    fn default() -> Self {
        NamedMap(Vec::new())
    }
}

impl<V> NamedMap<V> {
    pub fn names(&self) -> impl Iterator<Item = String> + '_ {
        self.0.iter().map(|(name, _)| name.value.clone())
    }
}

impl<V: JsonSchema> JsonSchema for NamedMap<V> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        format!("Map_of_{}", V::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let values = generator.subschema_for::<V>();
        json_schema!({ "type": "object", "additionalProperties": values })
    }
}

/// fissure.yaml: the domains of a monolith and the domain events between them.
#[derive(Debug, Clone, Default, PartialEq, JsonSchema)]
#[schemars(title = "fissure.yaml", deny_unknown_fields)]
pub struct RawSpec {
    /// Version of the spec format. `1` is the only version.
    #[schemars(required, range(min = 1))]
    pub version: Option<At<i64>>,
    /// Name of the system (snake_case): names the generated workspace and the CloudEvents
    /// `source` of its events.
    #[schemars(required)]
    pub system: Option<At<String>>,
    /// Module patterns of the shared kernel that every domain may use
    /// (`crate::util`, `shop::db::**`).
    #[schemars(default)]
    pub shared: Vec<At<String>>,
    /// What to do about modules that no domain claims: `error`, `warn` (default) or `ignore`.
    /// The same as `lints: { unassigned-module: deny | warn | allow }`.
    pub unassigned: Option<At<RawUnassigned>>,
    /// The level of each `fissure check` finding (`deny`, `warn`, `allow`) and the places
    /// where one is allowed (`exceptions`), by code: `boundary-violation: warn`.
    #[schemars(default)]
    pub lints: RawLints,
    /// Domains by snake_case name.
    #[schemars(default)]
    pub domains: NamedMap<RawDomain>,
    /// Domain events by PascalCase name, in the past tense (`UserRegistered`).
    #[schemars(default)]
    pub events: NamedMap<RawEvent>,
    /// Named value objects (PascalCase) usable as field types.
    #[schemars(default)]
    pub types: NamedMap<RawValueType>,
    /// Multi-step flows across domains, with their compensations, by snake_case name.
    #[schemars(default)]
    pub sagas: NamedMap<RawSaga>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(rename = "Unassigned")]
pub enum RawUnassigned {
    Error,
    Warn,
    Ignore,
}

/// The `lints` table: check codes (or their former names) to a level or a detailed lint.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawLints(pub NamedMap<RawLint>);

impl JsonSchema for RawLints {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Lints".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let lint = generator.subschema_for::<RawLint>();
        let names: Vec<&str> = Code::CHECK
            .iter()
            .flat_map(|c| std::iter::once(c.as_str()).chain(c.former_name()))
            .collect();
        json_schema!({
            "type": "object",
            "propertyNames": { "enum": names },
            "additionalProperties": lint,
        })
    }
}

/// `deny`, `warn` or `allow`.
impl JsonSchema for Level {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Level".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "enum": Level::NAMES })
    }
}

#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "Lint")]
pub enum RawLint {
    /// `deny` (the finding fails the run), `warn` (reported) or `allow` (dropped).
    Level(At<Level>),
    Detailed(RawLintDetail),
}

#[derive(Debug, Clone, Default, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "LintDetail")]
pub struct RawLintDetail {
    /// `deny`, `warn` or `allow`; the code's default when absent.
    pub level: Option<At<Level>>,
    /// Places where the finding is allowed. One that matches nothing is itself reported
    /// (`unmatched-exception`).
    #[schemars(default)]
    pub exceptions: Vec<RawException>,
}

/// Allows a finding where it occurs: in code matching `in`, naming what matches `to`.
#[derive(Debug, Clone, Default, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "LintException")]
pub struct RawException {
    /// A module pattern matching the module or item that holds the code
    /// (`shop::reports::**`).
    #[schemars(required)]
    pub r#in: Option<At<String>>,
    /// What it names: an item or module pattern, or for `foreign-table-access` a table name.
    pub to: Option<At<String>>,
    /// Why the exception is there, for the people who read the spec.
    pub reason: Option<At<String>>,
}

/// A domain: the modules it owns, what it exposes, and the events it listens to.
#[derive(Debug, Clone, Default, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "Domain")]
pub struct RawDomain {
    pub description: Option<At<String>>,
    /// Module patterns: `crate::a::b` exact, `crate::a::*` children, `crate::a::**` all
    /// descendants; `crate` means each analysed crate's root, or name a crate instead.
    #[schemars(default)]
    pub modules: Vec<At<String>>,
    /// Item or module patterns other domains may name directly.
    #[schemars(default)]
    pub public: Vec<At<String>>,
    /// Domains whose public items this one may still use directly.
    #[schemars(default)]
    pub depends_on: Vec<At<String>>,
    /// Database tables this domain owns.
    #[schemars(default)]
    pub tables: Vec<At<String>>,
    /// Events this domain handles: a name, or `{ event, handler, mode }`.
    #[schemars(default)]
    pub subscribes: Vec<RawSubscription>,
    /// Commands this domain accepts, by PascalCase name.
    #[schemars(default)]
    pub commands: NamedMap<RawCommand>,
}

#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "Subscription")]
pub enum RawSubscription {
    /// The event's name; the handler is `on_<event>` and the mode `reaction`.
    Event(At<String>),
    Detailed(RawSubscriptionDetail),
}

#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "SubscriptionDetail")]
pub struct RawSubscriptionDetail {
    /// The event's name.
    #[schemars(required)]
    pub event: Option<At<String>>,
    /// The handler method's name (snake_case); several events may share one handler.
    pub handler: Option<At<String>>,
    /// `reaction` (default: acts on the event) or `projection` (updates a read model).
    pub mode: Option<At<RawMode>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(rename = "Mode")]
pub enum RawMode {
    Reaction,
    Projection,
}

/// A command a domain accepts, the events it emits and those that reject it.
#[derive(Debug, Clone, Default, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "Command")]
pub struct RawCommand {
    pub description: Option<At<String>>,
    /// Field name -> type, or `{ type, optional, description }`.
    #[schemars(default)]
    pub fields: NamedMap<RawField>,
    /// Events the command publishes when it succeeds.
    #[schemars(default)]
    pub emits: Vec<At<String>>,
    /// Events the command publishes when it is refused.
    #[schemars(default)]
    pub rejects_with: Vec<At<String>>,
}

/// A domain event: an immutable fact, published by exactly one domain.
#[derive(Debug, Clone, Default, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "Event")]
pub struct RawEvent {
    /// The one domain that publishes it.
    #[schemars(required)]
    pub from: Option<At<String>>,
    /// Version of the event's schema (≥ 1, default 1).
    #[schemars(range(min = 1))]
    pub version: Option<At<i64>>,
    /// The field that orders and partitions it.
    pub key: Option<At<String>>,
    pub description: Option<At<String>>,
    /// Field name -> type, or `{ type, optional, description }`.
    #[schemars(default)]
    pub fields: NamedMap<RawField>,
    /// How the data of the previous version becomes this version's, so events already
    /// stored or in flight still decode: `{ renamed, defaults }`, or `{ function: true }`.
    pub upcast: Option<RawUpcast>,
}

/// How an older version of an event becomes the current one.
#[derive(Debug, Clone, Default, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "Upcast")]
pub struct RawUpcast {
    /// Where the `upcast` key is written.
    #[schemars(skip)]
    pub pos: Pos,
    /// Field of the previous version -> the current field it became (`guest_name: guest`).
    #[schemars(default)]
    pub renamed: NamedMap<At<String>>,
    /// Current field -> the value events of the previous version get (`currency: EUR`),
    /// written as the field's JSON value.
    #[schemars(default)]
    pub defaults: NamedMap<At<serde_json::Value>>,
    /// `true`: a function you write in `events/src/upcasts.rs` (created once, never
    /// overwritten) turns each older version into the next; for what renames and defaults
    /// cannot say. Not together with `renamed` or `defaults`.
    pub function: Option<At<bool>>,
}

/// A value object usable as a field type.
#[derive(Debug, Clone, Default, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "ValueType")]
pub struct RawValueType {
    pub description: Option<At<String>>,
    /// Field name -> type, or `{ type, optional, description }`.
    #[schemars(default)]
    pub fields: NamedMap<RawField>,
}

#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "Field")]
pub enum RawField {
    /// `bool`, `i32`, `i64`, `u32`, `u64`, `f64`, `String`, `Uuid`, `DateTime`, `Date`,
    /// `Decimal`, `Option<T>`, `Vec<T>` or a name from `types`.
    Type(At<String>),
    Detailed(RawFieldDetail),
}

#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "FieldDetail")]
pub struct RawFieldDetail {
    /// The field's type, as in the short form.
    #[schemars(required)]
    pub r#type: Option<At<String>>,
    /// `true` makes the type `Option<type>`.
    pub optional: Option<At<bool>>,
    pub description: Option<At<String>>,
}

/// A multi-step flow across domains, run by its owner, compensated on failure.
#[derive(Debug, Clone, Default, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "Saga")]
pub struct RawSaga {
    pub description: Option<At<String>>,
    /// The domain whose service runs the saga.
    #[schemars(required)]
    pub owner: Option<At<String>>,
    /// The event that starts an instance of the saga.
    #[schemars(required)]
    pub starts_on: Option<At<String>>,
    /// The field of `starts_on` that identifies the instance in every reply.
    #[schemars(required)]
    pub correlate_by: Option<At<String>>,
    /// The steps, in order.
    #[schemars(required)]
    pub steps: Option<Vec<RawSagaStep>>,
    /// When every step succeeded: a command (`domain.Command`) or an event to publish.
    pub on_success: Option<At<String>>,
    /// When a step failed and the compensations ran: a command or an event.
    pub on_failure: Option<At<String>>,
    /// How long a step or a compensation waits for its reply before it counts as failed:
    /// `500ms`, `30s`, `5m`, `2h` (default `30s`).
    pub timeout: Option<At<String>>,
}

/// One step: invoke a command (or await an event), and how to undo it.
#[derive(Debug, Clone, Default, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "SagaStep")]
pub struct RawSagaStep {
    /// The step's name (snake_case).
    #[schemars(required)]
    pub name: Option<At<String>>,
    /// The command this step sends: `domain.Command`.
    pub invoke: Option<At<String>>,
    /// Instead of `invoke`: the event this step waits for.
    pub r#await: Option<At<String>>,
    /// The event that means the step succeeded.
    pub success_on: Option<At<String>>,
    /// The event that means the step failed.
    pub failure_on: Option<At<String>>,
    /// The command that undoes this step when a later one fails: `domain.Command`.
    pub compensate: Option<At<String>>,
    /// Marks the point of no return: the step needs no compensation.
    pub pivot: Option<At<bool>>,
}

/// The keys each object accepts, in the order the docs list them. The decoder reports any
/// other key; `tests::decoder_keys_match_the_schema` keeps these equal to the schema.
pub mod keys {
    pub const SPEC: &[&str] = &[
        "version",
        "system",
        "shared",
        "unassigned",
        "lints",
        "domains",
        "events",
        "types",
        "sagas",
    ];
    pub const DOMAIN: &[&str] = &[
        "description",
        "modules",
        "public",
        "depends_on",
        "tables",
        "subscribes",
        "commands",
    ];
    pub const LINT: &[&str] = &["level", "exceptions"];
    pub const EXCEPTION: &[&str] = &["in", "to", "reason"];
    pub const SUBSCRIPTION: &[&str] = &["event", "handler", "mode"];
    pub const COMMAND: &[&str] = &["description", "fields", "emits", "rejects_with"];
    pub const EVENT: &[&str] = &["from", "version", "key", "description", "fields", "upcast"];
    pub const UPCAST: &[&str] = &["renamed", "defaults", "function"];
    pub const VALUE_TYPE: &[&str] = &["description", "fields"];
    pub const FIELD: &[&str] = &["type", "optional", "description"];
    pub const SAGA: &[&str] = &[
        "description",
        "owner",
        "starts_on",
        "correlate_by",
        "steps",
        "on_success",
        "on_failure",
        "timeout",
    ];
    pub const STEP: &[&str] = &[
        "name",
        "invoke",
        "await",
        "success_on",
        "failure_on",
        "compensate",
        "pivot",
    ];
}
