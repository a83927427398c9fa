//! `RawSpec` -> `Spec`: the meaning of the spec. Names, references, field types, saga
//! compensations and module ownership are checked here; every problem becomes a diagnostic
//! at the line it was written on, and checking goes on after each one.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Code, Diagnostic, Location};

use super::decode::Decoder;
use super::fields::parse_field_type;
use super::model::*;
use super::names::{Case, case_problem, did_you_mean, past_tense_suggestion, to_case};
use super::raw::*;

pub(crate) struct Validator<'d, 'a> {
    pub(crate) decoder: &'d mut Decoder<'a>,
    domain_names: BTreeSet<String>,
    event_names: BTreeSet<String>,
    type_names: BTreeSet<String>,
    /// Commands by domain, for `domain.Command` references.
    commands: BTreeMap<String, BTreeSet<String>>,
    /// Field names by event, for `key` and `correlate_by`.
    event_fields: BTreeMap<String, Vec<String>>,
}

impl<'d, 'a> Validator<'d, 'a> {
    pub(crate) fn new(decoder: &'d mut Decoder<'a>, raw: &RawSpec) -> Self {
        Validator {
            domain_names: raw.domains.names().collect(),
            event_names: raw.events.names().collect(),
            type_names: raw.types.names().collect(),
            commands: raw
                .domains
                .0
                .iter()
                .map(|(name, domain)| (name.value.clone(), domain.commands.names().collect()))
                .collect(),
            event_fields: raw
                .events
                .0
                .iter()
                .map(|(name, event)| (name.value.clone(), event.fields.names().collect()))
                .collect(),
            decoder,
        }
    }

    pub(crate) fn loc<T>(&self, at: &At<T>) -> Location {
        self.decoder.location(at.pos)
    }

    pub(crate) fn located(&self, at: &At<String>) -> Located<String> {
        Located::new(at.value.clone(), self.loc(at))
    }

    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.decoder.diagnostics.push(diagnostic);
    }

    pub(crate) fn error<T>(
        &mut self,
        code: Code,
        at: &At<T>,
        message: String,
        help: Option<String>,
    ) {
        let mut diagnostic = Diagnostic::error(code, message).at(self.loc(at));
        diagnostic.help = help;
        self.push(diagnostic);
    }

    pub(crate) fn spec(&mut self, raw: &RawSpec) -> Spec {
        let version = match &raw.version {
            Some(v) if v.value == i64::from(SUPPORTED_VERSION) => SUPPORTED_VERSION,
            Some(v) => {
                self.error(
                    Code::UnsupportedSpecVersion,
                    v,
                    format!("spec version {} is not supported", v.value),
                    Some(format!("this fissure reads `version: {SUPPORTED_VERSION}`")),
                );
                SUPPORTED_VERSION
            }
            None => SUPPORTED_VERSION,
        };
        let system = match &raw.system {
            Some(system) => {
                self.name(system, Case::Snake, "system name");
                self.located(system)
            }
            None => Located::new(String::new(), self.decoder.location(Default::default())),
        };
        let shared = self.patterns(&raw.shared);
        let lints = self.lints(raw);
        let types: BTreeMap<_, _> = raw
            .types
            .0
            .iter()
            .map(|(name, ty)| (name.value.clone(), self.value_type(name, ty)))
            .collect();
        let mut events: BTreeMap<_, _> = raw
            .events
            .0
            .iter()
            .map(|(name, event)| (name.value.clone(), self.event(name, event)))
            .collect();
        for (name, event) in &raw.events.0 {
            let (Some(upcast), Some(built)) = (&event.upcast, events.get(&name.value)) else {
                continue;
            };
            let upcast = self.upcast(upcast, built, &types);
            if let Some(built) = events.get_mut(&name.value) {
                built.upcast = upcast;
            }
        }
        let domains: BTreeMap<_, _> = raw
            .domains
            .0
            .iter()
            .map(|(name, domain)| (name.value.clone(), self.domain(name, domain, &raw.events)))
            .collect();
        self.claims(&shared, &domains);
        self.foreign_emits(&domains, &events);
        self.recursive_types(&types);
        let sagas = raw
            .sagas
            .0
            .iter()
            .map(|(name, saga)| (name.value.clone(), self.saga(name, saga)))
            .collect();
        Spec {
            version,
            system,
            shared,
            lints,
            domains,
            events,
            types,
            sagas,
        }
    }

    /// Reports a name of the wrong case or a keyword.
    pub(crate) fn name(&mut self, name: &At<String>, case: Case, what: &str) {
        if let Some(problem) = case_problem(&name.value, case) {
            let fixed = to_case(&name.value, case);
            let help = if fixed.is_empty() || case_problem(&fixed, case).is_some() {
                format!(
                    "a {what} must be a {} Rust identifier that is not a keyword",
                    case.describe()
                )
            } else {
                format!("write it `{fixed}`")
            };
            self.error(
                Code::InvalidName,
                name,
                format!("invalid {what}: {problem}"),
                Some(help),
            );
        }
    }

    fn patterns(&mut self, raw: &[At<String>]) -> Vec<ModulePattern> {
        raw.iter().filter_map(|text| self.pattern(text)).collect()
    }

    /// A module pattern; a malformed one is reported.
    pub(crate) fn pattern(&mut self, text: &At<String>) -> Option<ModulePattern> {
        match ModulePattern::parse(&text.value, self.loc(text)) {
            Ok(pattern) => Some(pattern),
            Err(why) => {
                self.error(
                    Code::InvalidModulePattern,
                    text,
                    format!("invalid module pattern: {why}"),
                    Some("write `crate::a::b` (exact), `crate::a::*` (children) or `crate::a::**` (descendants)".to_string()),
                );
                None
            }
        }
    }

    /// `at` must name one of `known`; reports `code` with the closest name otherwise.
    pub(crate) fn reference(
        &mut self,
        at: &At<String>,
        known: &BTreeSet<String>,
        code: Code,
        kind: &str,
    ) -> bool {
        if known.contains(&at.value) {
            return true;
        }
        let help = match did_you_mean(&at.value, known.iter().map(String::as_str)) {
            Some(close) => format!("did you mean `{close}`?"),
            None if known.is_empty() => format!("no {kind} is declared"),
            None => format!(
                "declared {kind}s: {}",
                known
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        self.error(
            code,
            at,
            format!("unknown {kind} `{}`", at.value),
            Some(help),
        );
        false
    }

    pub(crate) fn domain_ref(&mut self, at: &At<String>) -> bool {
        let known = self.domain_names.clone();
        self.reference(at, &known, Code::UnknownDomain, "domain")
    }

    pub(crate) fn event_ref(&mut self, at: &At<String>) -> bool {
        let known = self.event_names.clone();
        self.reference(at, &known, Code::UnknownEvent, "event")
    }

    /// The events of `list` that exist; the others are reported.
    fn existing_events(&mut self, list: &[At<String>]) -> Vec<Located<EventName>> {
        let mut events = Vec::new();
        for event in list {
            if self.event_ref(event) {
                events.push(self.located(event));
            }
        }
        events
    }

    /// `key` or `correlate_by`: must be a field of `event` (when that event exists).
    pub(crate) fn field_ref(&mut self, at: &At<String>, event: &str, role: &str) {
        let Some(fields) = self.event_fields.get(event) else {
            return;
        };
        if fields.contains(&at.value) {
            return;
        }
        let help = match did_you_mean(&at.value, fields.iter().map(String::as_str)) {
            Some(close) => format!("did you mean `{close}`?"),
            None if fields.is_empty() => format!(
                "`{event}` has no fields; declare `{}` under its `fields`",
                at.value
            ),
            None => format!("fields of `{event}`: {}", fields.join(", ")),
        };
        self.error(
            Code::UnknownField,
            at,
            format!("{role} `{}` is not a field of event `{event}`", at.value),
            Some(help),
        );
    }

    /// `domain.Command`, checked against the declared domains and their commands.
    pub(crate) fn command_ref(&mut self, at: &At<String>, role: &str) -> Option<CommandRef> {
        let Some((domain, command)) = at.value.split_once('.') else {
            self.error(
                Code::UnknownCommand,
                at,
                format!("{role} `{}` does not name a command", at.value),
                Some("write `domain.Command`, e.g. `billing.RefundPayment`".to_string()),
            );
            return None;
        };
        let domain_at = At {
            value: domain.to_string(),
            pos: at.pos,
        };
        if !self.domain_ref(&domain_at) {
            return None;
        }
        let known = self.commands.get(domain).cloned().unwrap_or_default();
        if !known.contains(command) {
            let help = match did_you_mean(command, known.iter().map(String::as_str)) {
                Some(close) => format!("did you mean `{domain}.{close}`?"),
                None => format!("declare it under `domains.{domain}.commands`"),
            };
            self.error(
                Code::UnknownCommand,
                at,
                format!("domain `{domain}` has no command `{command}`"),
                Some(help),
            );
            return None;
        }
        Some(CommandRef {
            domain: domain.to_string(),
            command: command.to_string(),
            location: self.loc(at),
        })
    }

    fn value_type(&mut self, name: &At<String>, raw: &RawValueType) -> ValueType {
        self.name(name, Case::Pascal, "type name");
        if FieldType::SCALARS.contains(&name.value.as_str())
            || ["Option", "Vec"].contains(&name.value.as_str())
        {
            self.error(
                Code::InvalidName,
                name,
                format!(
                    "invalid type name: `{}` is a built-in field type",
                    name.value
                ),
                Some("give the value object a name of its own".to_string()),
            );
        }
        if self.event_names.contains(&name.value) {
            self.error(
                Code::DuplicateName,
                name,
                format!("`{}` names both a type and an event", name.value),
                Some(
                    "events and types become structs of one crate: rename one of them".to_string(),
                ),
            );
        }
        ValueType {
            name: name.value.clone(),
            location: self.loc(name),
            description: raw.description.as_ref().map(|d| d.value.clone()),
            fields: self.fields(&raw.fields),
        }
    }

    pub(crate) fn fields(&mut self, raw: &NamedMap<RawField>) -> Vec<Field> {
        let mut fields = Vec::new();
        for (name, field) in &raw.0 {
            self.name(name, Case::Snake, "field name");
            let (text, optional, description) = match field {
                RawField::Type(text) => (Some(text), false, None),
                RawField::Detailed(detail) => (
                    detail.r#type.as_ref(),
                    detail.optional.as_ref().is_some_and(|o| o.value),
                    detail.description.as_ref().map(|d| d.value.clone()),
                ),
            };
            let Some(text) = text else { continue };
            let ty = match parse_field_type(&text.value, &self.type_names) {
                Ok(ty) => ty,
                Err((message, fixed)) => {
                    let help = match fixed {
                        Some(fixed) => format!("did you mean `{fixed}`?"),
                        None => "use bool, i32, i64, u32, u64, f64, String, Uuid, DateTime, Date, Decimal, Option<T>, Vec<T> or a name from `types`".to_string(),
                    };
                    self.error(Code::UnknownFieldType, text, message, Some(help));
                    continue;
                }
            };
            let ty = match ty {
                FieldType::Option(_) => ty,
                _ if optional => FieldType::Option(Box::new(ty)),
                _ => ty,
            };
            fields.push(Field {
                name: name.value.clone(),
                location: self.loc(name),
                ty,
                description,
            });
        }
        fields
    }

    fn event(&mut self, name: &At<String>, raw: &RawEvent) -> Event {
        self.name(name, Case::Pascal, "event name");
        if case_problem(&name.value, Case::Pascal).is_none()
            && let Some(past) = past_tense_suggestion(&name.value)
        {
            let diagnostic = Diagnostic::warning(
                Code::CommandLikeEventName,
                format!("event `{}` reads like a command", name.value),
            )
            .at(self.loc(name))
            .with_help(format!(
                "events are facts in the past tense: consider `{past}`; keep `{}` as the name of the command that emits it",
                name.value
            ));
            self.push(diagnostic);
        }
        let from = match &raw.from {
            Some(from) => {
                self.domain_ref(from);
                self.located(from)
            }
            None => Located::new(String::new(), self.loc(name)),
        };
        let version = match &raw.version {
            Some(v) if v.value >= 1 => u32::try_from(v.value).unwrap_or(u32::MAX),
            Some(v) => {
                self.error(
                    Code::InvalidEventVersion,
                    v,
                    format!("event version {} is not allowed", v.value),
                    Some("event versions start at 1 and only go up".to_string()),
                );
                1
            }
            None => 1,
        };
        if let Some(key) = &raw.key {
            self.field_ref(key, &name.value, "key");
        }
        Event {
            name: name.value.clone(),
            location: self.loc(name),
            from,
            version,
            key: raw.key.as_ref().map(|k| self.located(k)),
            description: raw.description.as_ref().map(|d| d.value.clone()),
            fields: self.fields(&raw.fields),
            upcast: None,
        }
    }

    fn domain(
        &mut self,
        name: &At<String>,
        raw: &RawDomain,
        events: &NamedMap<RawEvent>,
    ) -> Domain {
        self.name(name, Case::Snake, "domain name");
        let mut depends_on = Vec::new();
        for dependency in &raw.depends_on {
            if self.domain_ref(dependency) {
                depends_on.push(self.located(dependency));
            }
        }
        let mut subscribes: Vec<Subscription> = Vec::new();
        for raw_subscription in &raw.subscribes {
            let (event, handler, mode) = match raw_subscription {
                RawSubscription::Event(event) => (Some(event), None, None),
                RawSubscription::Detailed(detail) => (
                    detail.event.as_ref(),
                    detail.handler.as_ref(),
                    detail.mode.as_ref(),
                ),
            };
            let Some(event) = event else { continue };
            if !self.event_ref(event) {
                continue;
            }
            let publisher = events
                .0
                .iter()
                .find(|(n, _)| n.value == event.value)
                .and_then(|(_, e)| e.from.as_ref());
            if publisher.is_some_and(|p| p.value == name.value) {
                self.error(
                    Code::SelfSubscription,
                    event,
                    format!(
                        "domain `{}` subscribes to its own event `{}`",
                        name.value, event.value
                    ),
                    Some(
                        "a domain reacts to its own facts in-process; remove this subscription"
                            .to_string(),
                    ),
                );
                continue;
            }
            if let Some(handler) = handler {
                self.name(handler, Case::Snake, "handler name");
            }
            let handler = match handler {
                Some(handler) => self.located(handler),
                None => Located::new(
                    format!("on_{}", to_case(&event.value, Case::Snake)),
                    self.loc(event),
                ),
            };
            if subscribes
                .iter()
                .any(|s| s.event.value == event.value && s.handler.value == handler.value)
            {
                self.error(
                    Code::DuplicateName,
                    event,
                    format!(
                        "domain `{}` subscribes to `{}` twice with handler `{}`",
                        name.value, event.value, handler.value
                    ),
                    Some("remove the second subscription".to_string()),
                );
                continue;
            }
            subscribes.push(Subscription {
                event: self.located(event),
                handler,
                mode: match mode.map(|m| m.value) {
                    Some(RawMode::Projection) => SubscriptionMode::Projection,
                    Some(RawMode::Reaction) | None => SubscriptionMode::Reaction,
                },
            });
        }
        let commands = raw
            .commands
            .0
            .iter()
            .map(|(command_name, command)| {
                (
                    command_name.value.clone(),
                    self.command(command_name, command),
                )
            })
            .collect();
        Domain {
            name: name.value.clone(),
            location: self.loc(name),
            description: raw.description.as_ref().map(|d| d.value.clone()),
            modules: self.patterns(&raw.modules),
            public: self.patterns(&raw.public),
            depends_on,
            tables: raw.tables.iter().map(|t| self.located(t)).collect(),
            subscribes,
            commands,
        }
    }

    fn command(&mut self, name: &At<String>, raw: &RawCommand) -> Command {
        self.name(name, Case::Pascal, "command name");
        let emits = self.existing_events(&raw.emits);
        let rejects_with = self.existing_events(&raw.rejects_with);
        Command {
            name: name.value.clone(),
            location: self.loc(name),
            description: raw.description.as_ref().map(|d| d.value.clone()),
            fields: self.fields(&raw.fields),
            emits,
            rejects_with,
        }
    }
}
