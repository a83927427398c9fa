//! Diagnostics are data: a stable code, a severity, a location and words, and for `check`
//! findings labels and a subject. Stages return them; only `report` turns them into text
//! (rustc-style), JSON, SARIF or GitHub annotations.

use std::fmt;
use std::path::PathBuf;

/// How bad a finding is. Errors fail the command; warnings and notes do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A position in a file the user can open: 1-based line, 1-based column (in characters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub file: PathBuf,
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// Stable, kebab-case identifiers of every finding fissure can report, named after what was
/// found. Users write them in baselines, `--deny` flags, the spec's `lints` and CI filters:
/// a renamed code keeps its old name as [`Code::former_name`], accepted everywhere.
/// `docs/diagnostics.md` has one heading per code (a test keeps them in step).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A source file that could not be parsed; it is skipped and the analysis goes on.
    ParseError,
    /// A source file that could not be read (missing, not UTF-8, too large, a symlink loop).
    UnreadableFile,
    /// A source file nested deeper than the parser's budget; it is skipped like a file that
    /// does not parse.
    LimitExceeded,
    /// A `mod` declaration whose file does not exist.
    MissingModuleFile,
    /// A Cargo.toml that could not be read or understood.
    BadManifest,
    /// The spec is not valid YAML.
    SpecSyntaxError,
    /// A key the spec format does not have (often a typo).
    UnknownKey,
    /// A required key of the spec is absent.
    MissingKey,
    /// A spec value of the wrong kind (a string where a list is expected, an unknown keyword).
    WrongType,
    /// A name of the wrong case, or a Rust keyword.
    InvalidName,
    /// A name defined twice (duplicate YAML keys, a type named like an event).
    DuplicateName,
    /// A reference to a domain the spec does not declare.
    UnknownDomain,
    /// A reference to an event the spec does not declare.
    UnknownEvent,
    /// A `domain.Command` reference to a command that does not exist.
    UnknownCommand,
    /// An event `key` or saga `correlate_by` that is not a field of its event.
    UnknownField,
    /// A field type outside the spec's closed set and its `types`.
    UnknownFieldType,
    /// A module pattern that cannot be parsed.
    InvalidModulePattern,
    /// A domain subscribing to an event it publishes itself.
    SelfSubscription,
    /// An event named like an order (`RegisterUser`) instead of a fact (`UserRegistered`).
    CommandLikeEventName,
    /// A saga step with neither a compensation nor `pivot: true`.
    UncompensatedSagaStep,
    /// A saga step that does not invoke exactly one command or await one event, or a saga without steps.
    InvalidSagaStep,
    /// One module pattern claimed by two owners at the same specificity.
    ModuleClaimedTwice,
    /// A spec `version` this build cannot read.
    UnsupportedSpecVersion,
    /// An event `version` below 1.
    InvalidEventVersion,
    /// A module pattern that matches no module of the source (`--source`).
    UnmatchedModulePattern,
    /// A `public` entry naming no item or module of the source (`--source`).
    UnknownPublicItem,
    /// A command emitting an event that another domain publishes.
    ForeignEventEmitted,
    /// A value type that contains itself, which no struct can.
    RecursiveType,
    /// An event's `upcast` that cannot work: on version 1, a rename or default that does not
    /// fit the event's fields, `function` together with `renamed` or `defaults`.
    InvalidUpcast,
    /// check: code of one domain names a non-public item of another, or without `depends_on`.
    BoundaryViolation,
    /// check: code of one domain touches a table another domain owns.
    ForeignTableAccess,
    /// check: the shared kernel names an item of a domain.
    KernelDependsOnDomain,
    /// check: a module no domain or shared pattern claims.
    UnassignedModule,
    /// check: domains whose allowed, used dependencies form a cycle.
    CycleBetweenDomains,
    /// check: an exception of the spec's `lints` that no finding matched.
    UnmatchedException,
    /// check: code of one domain builds an event another domain owns.
    ForeignEventConstructed,
    /// check: code of one domain reads an event it does not subscribe to.
    UndeclaredSubscription,
    /// A baseline file that cannot be read or understood.
    BadBaseline,
    /// split: the code of a domain names an item that stays in the monolith.
    ReferenceIntoMonolith,
    /// split: domains whose code names each other's items, so neither can move first.
    DomainCycleBlocksSplit,
    /// split: the code of a domain names an item of a domain that cannot be extracted.
    DependsOnBlockedDomain,
    /// split: an impl the orphan rule forbids once its trait and type live in other crates.
    OrphanImplAfterSplit,
    /// split: a `macro_rules!` used across the boundary of an extracted crate.
    MonolithMacroUsed,
    /// split: a `pub(in path)` whose path leaves the extracted crate.
    RestrictedVisibilityOutside,
    /// split: a `crate::`/`super::`/`self::` path fissure could not resolve, so cannot rewrite.
    UnresolvedPathInDomain,
    /// split: a module that cannot move as a file tree (inline, nested in another owner's
    /// module, in another crate than the monolith's).
    UnmovableModule,
    /// diff: a field of an event was removed.
    EventFieldRemoved,
    /// diff: a field of an event was renamed (one field of a type gone, one of the same type added).
    EventFieldRenamed,
    /// diff: a field of an event changed its type.
    EventFieldTypeChanged,
    /// diff: an event gained a field that is not optional.
    RequiredEventFieldAdded,
    /// diff: the partition key of an event changed.
    EventKeyChanged,
    /// diff: an event is published by another domain (its type changes).
    EventOwnerChanged,
    /// diff: an event someone subscribes to was removed.
    SubscribedEventRemoved,
    /// diff: the version of an event changed.
    EventVersionChanged,
    /// diff: a new event (compatible).
    EventAdded,
    /// diff: an event gained an optional field (compatible).
    OptionalEventFieldAdded,
    /// diff: a domain started subscribing to an event (compatible).
    SubscriberAdded,
    /// diff: a domain stopped subscribing to an event (compatible).
    SubscriberRemoved,
    /// diff: an event nobody subscribed to was removed (compatible).
    UnsubscribedEventRemoved,
    /// diff: an event's `upcast` does not cover a change, so stored events of the previous
    /// version do not decode.
    UpcastIncomplete,
}

impl Code {
    pub const ALL: &'static [Code] = &[
        Code::ParseError,
        Code::UnreadableFile,
        Code::LimitExceeded,
        Code::MissingModuleFile,
        Code::BadManifest,
        Code::SpecSyntaxError,
        Code::UnknownKey,
        Code::MissingKey,
        Code::WrongType,
        Code::InvalidName,
        Code::DuplicateName,
        Code::UnknownDomain,
        Code::UnknownEvent,
        Code::UnknownCommand,
        Code::UnknownField,
        Code::UnknownFieldType,
        Code::InvalidModulePattern,
        Code::SelfSubscription,
        Code::CommandLikeEventName,
        Code::UncompensatedSagaStep,
        Code::InvalidSagaStep,
        Code::ModuleClaimedTwice,
        Code::UnsupportedSpecVersion,
        Code::InvalidEventVersion,
        Code::UnmatchedModulePattern,
        Code::UnknownPublicItem,
        Code::ForeignEventEmitted,
        Code::RecursiveType,
        Code::InvalidUpcast,
        Code::BoundaryViolation,
        Code::ForeignTableAccess,
        Code::KernelDependsOnDomain,
        Code::UnassignedModule,
        Code::CycleBetweenDomains,
        Code::UnmatchedException,
        Code::ForeignEventConstructed,
        Code::UndeclaredSubscription,
        Code::BadBaseline,
        Code::ReferenceIntoMonolith,
        Code::DomainCycleBlocksSplit,
        Code::DependsOnBlockedDomain,
        Code::OrphanImplAfterSplit,
        Code::MonolithMacroUsed,
        Code::RestrictedVisibilityOutside,
        Code::UnresolvedPathInDomain,
        Code::UnmovableModule,
        Code::EventFieldRemoved,
        Code::EventFieldRenamed,
        Code::EventFieldTypeChanged,
        Code::RequiredEventFieldAdded,
        Code::EventKeyChanged,
        Code::EventOwnerChanged,
        Code::SubscribedEventRemoved,
        Code::EventVersionChanged,
        Code::EventAdded,
        Code::OptionalEventFieldAdded,
        Code::SubscriberAdded,
        Code::SubscriberRemoved,
        Code::UnsubscribedEventRemoved,
        Code::UpcastIncomplete,
    ];

    /// The findings of `fissure check`, in the order reports list them: the codes whose
    /// level `--deny`/`--warn`/`--allow` and the spec's `lints` set.
    pub const CHECK: &'static [Code] =
        Code::run_of_all(Code::BoundaryViolation, Code::UndeclaredSubscription);

    /// The codes of [`Code::ALL`] from `first` to `last`, both included. The groups of codes
    /// (check's, the spec loader's) are runs of it, so each code is listed once; a code that
    /// is not in `ALL`, or a `last` before `first`, fails the build.
    pub const fn run_of_all(first: Code, last: Code) -> &'static [Code] {
        let (start, end) = (Code::index_in_all(first), Code::index_in_all(last) + 1);
        Code::ALL.split_at(end).0.split_at(start).1
    }

    const fn index_in_all(code: Code) -> usize {
        let mut i = 0;
        while Code::ALL[i] as usize != code as usize {
            i += 1;
        }
        i
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Code::ParseError => "parse-error",
            Code::UnreadableFile => "unreadable-file",
            Code::LimitExceeded => "limit-exceeded",
            Code::MissingModuleFile => "missing-module-file",
            Code::BadManifest => "bad-manifest",
            Code::SpecSyntaxError => "spec-syntax-error",
            Code::UnknownKey => "unknown-key",
            Code::MissingKey => "missing-key",
            Code::WrongType => "wrong-type",
            Code::InvalidName => "invalid-name",
            Code::DuplicateName => "duplicate-name",
            Code::UnknownDomain => "unknown-domain",
            Code::UnknownEvent => "unknown-event",
            Code::UnknownCommand => "unknown-command",
            Code::UnknownField => "unknown-field",
            Code::UnknownFieldType => "unknown-field-type",
            Code::InvalidModulePattern => "invalid-module-pattern",
            Code::SelfSubscription => "self-subscription",
            Code::CommandLikeEventName => "command-like-event-name",
            Code::UncompensatedSagaStep => "uncompensated-saga-step",
            Code::InvalidSagaStep => "invalid-saga-step",
            Code::ModuleClaimedTwice => "module-claimed-twice",
            Code::UnsupportedSpecVersion => "unsupported-spec-version",
            Code::InvalidEventVersion => "invalid-event-version",
            Code::UnmatchedModulePattern => "unmatched-module-pattern",
            Code::UnknownPublicItem => "unknown-public-item",
            Code::ForeignEventEmitted => "foreign-event-emitted",
            Code::RecursiveType => "recursive-type",
            Code::InvalidUpcast => "invalid-upcast",
            Code::BoundaryViolation => "boundary-violation",
            Code::ForeignTableAccess => "foreign-table-access",
            Code::KernelDependsOnDomain => "kernel-depends-on-domain",
            Code::UnassignedModule => "unassigned-module",
            Code::CycleBetweenDomains => "cycle-between-domains",
            Code::UnmatchedException => "unmatched-exception",
            Code::ForeignEventConstructed => "foreign-event-constructed",
            Code::UndeclaredSubscription => "undeclared-subscription",
            Code::BadBaseline => "bad-baseline",
            Code::ReferenceIntoMonolith => "reference-into-monolith",
            Code::DomainCycleBlocksSplit => "domain-cycle-blocks-split",
            Code::DependsOnBlockedDomain => "depends-on-blocked-domain",
            Code::OrphanImplAfterSplit => "orphan-impl-after-split",
            Code::MonolithMacroUsed => "monolith-macro-used",
            Code::RestrictedVisibilityOutside => "restricted-visibility-outside",
            Code::UnresolvedPathInDomain => "unresolved-path-in-domain",
            Code::UnmovableModule => "unmovable-module",
            Code::EventFieldRemoved => "event-field-removed",
            Code::EventFieldRenamed => "event-field-renamed",
            Code::EventFieldTypeChanged => "event-field-type-changed",
            Code::RequiredEventFieldAdded => "required-event-field-added",
            Code::EventKeyChanged => "event-key-changed",
            Code::EventOwnerChanged => "event-owner-changed",
            Code::SubscribedEventRemoved => "subscribed-event-removed",
            Code::EventVersionChanged => "event-version-changed",
            Code::EventAdded => "event-added",
            Code::OptionalEventFieldAdded => "optional-event-field-added",
            Code::SubscriberAdded => "subscriber-added",
            Code::SubscriberRemoved => "subscriber-removed",
            Code::UnsubscribedEventRemoved => "unsubscribed-event-removed",
            Code::UpcastIncomplete => "upcast-incomplete",
        }
    }

    /// The name the code had before findings were named after what they find. It stays
    /// accepted wherever a user writes a code (`--deny`, `lints`, baselines), and it is the
    /// rule id of the version-1 wire formats (see [`Code::rule_id`]).
    pub fn former_name(self) -> Option<&'static str> {
        match self {
            Code::BoundaryViolation => Some("boundary"),
            Code::ForeignTableAccess => Some("table"),
            Code::KernelDependsOnDomain => Some("kernel"),
            Code::UnassignedModule => Some("unassigned"),
            Code::CycleBetweenDomains => Some("domain-cycle"),
            _ => None,
        }
    }

    /// The stable rule id written where machines keep it: `rule` in `check --format json`,
    /// SARIF `ruleId` and fingerprints, baseline files. It is the former name when the code
    /// has one, so baselines, code-scanning alerts and CI filters made before the rename keep
    /// matching; SARIF's `name` and every human output use [`Code::as_str`].
    pub fn rule_id(self) -> &'static str {
        self.former_name().unwrap_or(self.as_str())
    }

    /// The code a user wrote: its name or its former name.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == name || c.former_name() == Some(name))
    }

    /// The level a check finding has unless the spec or the command line sets one.
    pub fn default_level(self) -> Level {
        match self {
            Code::UnassignedModule | Code::UnmatchedException => Level::Warn,
            _ => Level::Deny,
        }
    }
}

/// What the policy makes of a check finding, as in clippy and cargo-deny: `deny` fails the
/// run, `warn` reports it, `allow` drops it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

impl Level {
    pub const NAMES: &'static [&'static str] = &["allow", "warn", "deny"];

    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "allow" => Some(Level::Allow),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    /// The severity a finding at this level is reported with; `None` drops it.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Allow => None,
            Level::Warn => Some(Severity::Warning),
            Level::Deny => Some(Severity::Error),
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One place a diagnostic points at, with what to say there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub location: Location,
    /// Printed under the span (`call`, `sql`, "`orders` owns this table").
    pub message: String,
    /// A primary label is where the finding is (each one is an occurrence: fixing the
    /// finding means changing every one); a secondary label explains it (the spec line that
    /// draws the boundary).
    pub primary: bool,
    /// A word to underline inside the token at `location` instead of the whole token (the
    /// table's name inside an SQL string).
    pub focus: Option<String>,
}

impl Label {
    pub fn primary(location: Location, message: impl Into<String>) -> Self {
        Label {
            location,
            message: message.into(),
            primary: true,
            focus: None,
        }
    }

    pub fn secondary(location: Location, message: impl Into<String>) -> Self {
        Label {
            primary: false,
            ..Label::primary(location, message)
        }
    }
}

/// What a `check` finding is about beyond where it is: the code that reaches out and what
/// it reaches. The code, `source` and `target` identify the finding across edits (the
/// baseline key); lines never do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub from_domain: Option<String>,
    pub to_domain: Option<String>,
    /// The module holding the code.
    pub module: String,
    /// The item holding the code (the module for module-level code).
    pub source: String,
    /// The item named, `table <name>`, the module itself for `unassigned-module`, or the
    /// edges of a cycle.
    pub target: String,
    /// The reference's kind at the first occurrence (`call`, `type`, ...), `sql`,
    /// `table-path` or `module`.
    pub kind: &'static str,
}

/// A finding of any command: a stable code, a severity, a message, where it is, and how to
/// fix it. `check` adds labels (every occurrence, and the spec lines that explain it) and a
/// [`Subject`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// Where it is: the start of the first primary label when there are labels.
    pub location: Option<Location>,
    /// The spans to show. Without any, renderers point at `location` alone.
    pub labels: Vec<Label>,
    /// How to fix it, in one line.
    pub help: Option<String>,
    /// Boxed: most diagnostics have none, and `Result<_, Diagnostic>` stays small.
    pub subject: Option<Box<Subject>>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            location: None,
            labels: Vec::new(),
            help: None,
            subject: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a label; the first primary one also sets `location`.
    pub fn with_label(mut self, label: Label) -> Self {
        if label.primary && !self.labels.iter().any(|l| l.primary) {
            self.location = Some(label.location.clone());
        }
        self.labels.push(label);
        self
    }

    pub fn with_subject(mut self, subject: Subject) -> Self {
        self.subject = Some(Box::new(subject));
        self
    }

    /// The places the finding occurs: its primary labels, or `location` alone.
    pub fn occurrences(&self) -> Vec<&Location> {
        let primary: Vec<&Location> = self
            .labels
            .iter()
            .filter(|l| l.primary)
            .map(|l| &l.location)
            .collect();
        if primary.is_empty() {
            self.location.iter().collect()
        } else {
            primary
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/diagnostics.md has exactly one `### code` heading per code, and no heading for a
    /// code that does not exist (a renamed code must not leave its old section behind).
    #[test]
    fn the_docs_have_one_heading_per_code() {
        let docs = include_str!("../docs/diagnostics.md");
        let mut headings: Vec<&str> = docs
            .lines()
            .filter_map(|l| l.strip_prefix("### "))
            .collect();
        headings.sort_unstable();
        let mut codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        codes.sort_unstable();
        assert_eq!(headings, codes);
    }

    #[test]
    fn former_names_are_accepted_and_stay_the_wire_rule_ids() {
        for (former, code) in [
            ("boundary", Code::BoundaryViolation),
            ("table", Code::ForeignTableAccess),
            ("kernel", Code::KernelDependsOnDomain),
            ("unassigned", Code::UnassignedModule),
            ("domain-cycle", Code::CycleBetweenDomains),
        ] {
            assert_eq!(Code::from_name(former), Some(code));
            assert_eq!(Code::from_name(code.as_str()), Some(code));
            assert_eq!(code.rule_id(), former);
        }
        assert_eq!(
            Code::UnmatchedException.rule_id(),
            "unmatched-exception",
            "a code without a former name is its own rule id"
        );
        let mut names: Vec<&str> = Code::ALL
            .iter()
            .flat_map(|c| std::iter::once(c.as_str()).chain(c.former_name()))
            .collect();
        let all = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all, "a former name is taken by another code");
        assert!(Code::CHECK.iter().all(|c| Code::ALL.contains(c)));
    }

    #[test]
    fn the_groups_of_codes_are_runs_of_all() {
        let names = |codes: &[Code]| codes.iter().map(|c| c.as_str()).collect::<Vec<_>>();
        assert_eq!(
            names(Code::CHECK),
            [
                "boundary-violation",
                "foreign-table-access",
                "kernel-depends-on-domain",
                "unassigned-module",
                "cycle-between-domains",
                "unmatched-exception",
                "foreign-event-constructed",
                "undeclared-subscription",
            ]
        );
        assert_eq!(crate::spec::CODES.len(), 24);
        assert_eq!(crate::spec::CODES.first(), Some(&Code::SpecSyntaxError));
        assert_eq!(crate::spec::CODES.last(), Some(&Code::InvalidUpcast));
        assert_eq!(
            Code::run_of_all(Code::ParseError, Code::ParseError),
            [Code::ParseError]
        );
    }

    #[test]
    fn a_diagnostic_stays_small_enough_to_be_an_error_value() {
        // clippy's `result_large_err` starts at 128 bytes; stages return `Result<_, Diagnostic>`.
        assert!(std::mem::size_of::<Diagnostic>() <= 128);
    }
}
