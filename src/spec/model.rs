//! The validated spec: what `check` and `generate` consume. Every name in it is a valid
//! identifier of the right case, every reference points at something that exists, and every
//! element keeps the `Location` it was written at so later stages can report against it.

use std::collections::BTreeMap;
use std::fmt;

use crate::diagnostics::{Code, Level, Location};

pub use super::pattern::{ModulePattern, PatternKind, PatternRoot, Specificity};

pub type DomainName = String;
pub type EventName = String;
pub type CommandName = String;
pub type TypeName = String;
pub type SagaName = String;

/// The only spec format version this build understands.
pub const SUPPORTED_VERSION: u32 = 1;

/// A value and where the user wrote it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Located<T> {
    pub value: T,
    pub location: Location,
}

impl<T> Located<T> {
    pub fn new(value: T, location: Location) -> Self {
        Located { value, location }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    pub version: u32,
    /// Names the generated workspace and the CloudEvents `source`.
    pub system: Located<String>,
    /// Module patterns of the shared kernel, which every domain may use.
    pub shared: Vec<ModulePattern>,
    /// The level of each check finding, and where one is allowed (`lints`, `unassigned`).
    pub lints: Lints,
    pub domains: BTreeMap<DomainName, Domain>,
    pub events: BTreeMap<EventName, Event>,
    /// Named value objects usable as field types.
    pub types: BTreeMap<TypeName, ValueType>,
    pub sagas: BTreeMap<SagaName, Saga>,
}

/// Who owns a module, by the spec's patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleOwner<'a> {
    Domain(&'a str),
    /// The shared kernel: every domain may use it.
    Shared,
    /// No pattern matches; the `unassigned` policy says what that means.
    Unassigned,
}

impl Spec {
    /// The owner of `module_path` (`shop::orders::service`): the most specific matching
    /// pattern wins. Equal specificities are rejected by validation (`module-claimed-twice`);
    /// should one remain, a domain beats the shared kernel (naming a module in a domain is the
    /// more deliberate statement), and the first domain by name beats the others.
    pub fn owner_of(&self, module_path: &str, crate_names: &[&str]) -> ModuleOwner<'_> {
        let shared = self
            .shared
            .iter()
            .filter_map(|p| p.matches(module_path, crate_names))
            .max()
            .map(|s| (s, ModuleOwner::Shared));
        let domains = self.domains.values().flat_map(|domain| {
            domain
                .modules
                .iter()
                .filter_map(|p| p.matches(module_path, crate_names))
                .map(|s| (s, ModuleOwner::Domain(&domain.name)))
        });
        let mut best: Option<(Specificity, ModuleOwner<'_>)> = None;
        for (specificity, owner) in domains.chain(shared) {
            if best.is_none_or(|(b, _)| specificity > b) {
                best = Some((specificity, owner));
            }
        }
        best.map_or(ModuleOwner::Unassigned, |(_, owner)| owner)
    }
}

/// The spec's policy for `fissure check` findings: a level per code (from `lints`, and
/// `unassigned` for `unassigned-module`) and exceptions. The command line's `--deny`,
/// `--warn` and `--allow` are set on top ([`Lints::set`]); `check` applies the result in one
/// place.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lints {
    pub levels: BTreeMap<Code, LevelSetting>,
    pub exceptions: Vec<Exception>,
}

impl Lints {
    /// The level findings of `code` get: the last one set, else the code's default.
    pub fn level(&self, code: Code) -> Level {
        self.levels
            .get(&code)
            .map_or(code.default_level(), |s| s.level)
    }

    /// Sets a level from the command line; it beats the spec's.
    pub fn set(&mut self, code: Code, level: Level) {
        self.levels.insert(
            code,
            LevelSetting {
                level,
                set_at: None,
            },
        );
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelSetting {
    pub level: Level,
    /// The spec line that set it; `None` for the command line.
    pub set_at: Option<Location>,
}

/// A place where findings of one code are allowed, as the spec's `lints` writes it. One that
/// matches no finding is reported (`unmatched-exception`), like cargo-deny's unmatched skips.
#[derive(Debug, Clone, PartialEq)]
pub struct Exception {
    pub code: Code,
    pub location: Location,
    /// Where the code is: matched against the item holding it and against its module.
    pub within: ModulePattern,
    /// What the code names; any target when absent.
    pub to: Option<ExceptionTarget>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExceptionTarget {
    /// An item or module pattern (`shop::orders::**`).
    Item(ModulePattern),
    /// A table name, for `foreign-table-access`.
    Table(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Domain {
    pub name: DomainName,
    pub location: Location,
    pub description: Option<String>,
    pub modules: Vec<ModulePattern>,
    /// Items and modules other domains may name directly.
    pub public: Vec<ModulePattern>,
    /// Domains whose public items this one may still use directly.
    pub depends_on: Vec<Located<DomainName>>,
    /// Database tables this domain owns.
    pub tables: Vec<Located<String>>,
    pub subscribes: Vec<Subscription>,
    pub commands: BTreeMap<CommandName, Command>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    pub event: Located<EventName>,
    /// The handler method's name; `on_<event in snake_case>` when the spec gives none.
    pub handler: Located<String>,
    pub mode: SubscriptionMode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SubscriptionMode {
    /// The handler does something in response (sends a command, calls a service).
    #[default]
    Reaction,
    /// The handler only updates a local read model.
    Projection,
}

impl SubscriptionMode {
    pub const NAMES: &'static [&'static str] = &["reaction", "projection"];

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "reaction" => Some(SubscriptionMode::Reaction),
            "projection" => Some(SubscriptionMode::Projection),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    pub name: CommandName,
    pub location: Location,
    pub description: Option<String>,
    pub fields: Vec<Field>,
    pub emits: Vec<Located<EventName>>,
    pub rejects_with: Vec<Located<EventName>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub name: EventName,
    pub location: Location,
    /// The one domain that publishes it.
    pub from: Located<DomainName>,
    pub version: u32,
    /// The field that orders and partitions it.
    pub key: Option<Located<String>>,
    pub description: Option<String>,
    /// In declaration order, which generated structs keep.
    pub fields: Vec<Field>,
    /// How older versions become this one; `None` when they do not decode into it.
    pub upcast: Option<Upcast>,
}

/// How the data of older versions of an event becomes the current version's (`upcast:`).
#[derive(Debug, Clone, PartialEq)]
pub struct Upcast {
    /// Where `upcast:` is written.
    pub location: Location,
    pub rule: UpcastRule,
}

#[derive(Debug, Clone, PartialEq)]
pub enum UpcastRule {
    /// From the previous version only: fields renamed, then absent fields set.
    Declared {
        renamed: Vec<Renamed>,
        defaults: Vec<FieldDefault>,
    },
    /// A function the user writes in the events crate, one step per older version.
    Function,
}

/// A field of the previous version (`from`) that the current version calls `to`.
#[derive(Debug, Clone, PartialEq)]
pub struct Renamed {
    pub from: Located<String>,
    pub to: Located<String>,
}

/// The value a field gets in events of the previous version, which lack it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDefault {
    pub field: Located<String>,
    pub value: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValueType {
    pub name: TypeName,
    pub location: Location,
    pub description: Option<String>,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub location: Location,
    /// `optional: true` is already folded in as `Option<..>`.
    pub ty: FieldType,
    pub description: Option<String>,
}

/// The closed set of field types of the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldType {
    Bool,
    I32,
    I64,
    U32,
    U64,
    F64,
    String,
    Uuid,
    DateTime,
    Date,
    Decimal,
    Option(Box<FieldType>),
    Vec(Box<FieldType>),
    /// A value object declared under `types:`.
    Named(TypeName),
}

impl FieldType {
    /// The built-in scalar type names as written in the spec.
    pub const SCALARS: &'static [&'static str] = &[
        "bool", "i32", "i64", "u32", "u64", "f64", "String", "Uuid", "DateTime", "Date", "Decimal",
    ];

    pub fn scalar(name: &str) -> Option<FieldType> {
        Some(match name {
            "bool" => FieldType::Bool,
            "i32" => FieldType::I32,
            "i64" => FieldType::I64,
            "u32" => FieldType::U32,
            "u64" => FieldType::U64,
            "f64" => FieldType::F64,
            "String" => FieldType::String,
            "Uuid" => FieldType::Uuid,
            "DateTime" => FieldType::DateTime,
            "Date" => FieldType::Date,
            "Decimal" => FieldType::Decimal,
            _ => return None,
        })
    }

    /// The named value types this type mentions, outermost first.
    pub fn named(&self) -> Option<&str> {
        match self {
            FieldType::Option(inner) | FieldType::Vec(inner) => inner.named(),
            FieldType::Named(name) => Some(name),
            _ => None,
        }
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldType::Bool => f.write_str("bool"),
            FieldType::I32 => f.write_str("i32"),
            FieldType::I64 => f.write_str("i64"),
            FieldType::U32 => f.write_str("u32"),
            FieldType::U64 => f.write_str("u64"),
            FieldType::F64 => f.write_str("f64"),
            FieldType::String => f.write_str("String"),
            FieldType::Uuid => f.write_str("Uuid"),
            FieldType::DateTime => f.write_str("DateTime"),
            FieldType::Date => f.write_str("Date"),
            FieldType::Decimal => f.write_str("Decimal"),
            FieldType::Option(inner) => write!(f, "Option<{inner}>"),
            FieldType::Vec(inner) => write!(f, "Vec<{inner}>"),
            FieldType::Named(name) => f.write_str(name),
        }
    }
}

/// `domain.Command`: a command of a domain, as sagas name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRef {
    pub domain: DomainName,
    pub command: CommandName,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Saga {
    pub name: SagaName,
    pub location: Location,
    pub description: Option<String>,
    /// The domain whose service runs the saga.
    pub owner: Located<DomainName>,
    pub starts_on: Located<EventName>,
    /// The field of `starts_on` that ties the replies of every step to one saga instance.
    pub correlate_by: Located<String>,
    pub steps: Vec<SagaStep>,
    pub on_success: Option<SagaOutcome>,
    pub on_failure: Option<SagaOutcome>,
    /// How long a step or a compensation waits for its reply.
    pub timeout: std::time::Duration,
}

/// A saga step's wait when the spec does not say.
pub const DEFAULT_SAGA_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq)]
pub struct SagaStep {
    pub name: String,
    pub location: Location,
    pub action: StepAction,
    pub success_on: Option<Located<EventName>>,
    pub failure_on: Option<Located<EventName>>,
    /// Undoes the step when a later step fails.
    pub compensate: Option<CommandRef>,
    /// The point of no return: once it succeeds, later steps are retried, not compensated.
    pub pivot: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StepAction {
    Invoke(CommandRef),
    Await(Located<EventName>),
}

/// What a saga does when it ends: run a command or publish an event.
#[derive(Debug, Clone, PartialEq)]
pub enum SagaOutcome {
    Command(CommandRef),
    Event(Located<EventName>),
}
