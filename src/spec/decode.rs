//! YAML tree -> `RawSpec`. Checks the shape only (known keys, value kinds, duplicate keys)
//! and goes on after every error, so one bad domain never hides the others.

use crate::diagnostics::{Code, Diagnostic, Level, Location};

use super::names::did_you_mean;
use super::raw::*;
use super::yaml::{Node, Pos, Value};

pub(crate) struct Decoder<'a> {
    file: &'a str,
    source: &'a str,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// The entries of one YAML mapping whose keys have all been checked.
struct Object<'n> {
    entries: Vec<(At<String>, &'n Node)>,
}

impl<'n> Object<'n> {
    /// The value of `key`; a key with nothing after it (`key:`) counts as absent.
    fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.value == key)
            .map(|(_, node)| *node)
            .filter(|node| node.value != Value::Null)
    }

    /// Where `key` is written (the start of the file when it is absent).
    fn key_pos(&self, key: &str) -> Pos {
        self.entries
            .iter()
            .find(|(k, _)| k.value == key)
            .map(|(k, _)| k.pos)
            .unwrap_or_default()
    }
}

impl<'a> Decoder<'a> {
    pub(crate) fn new(file: &'a str, source: &'a str) -> Self {
        Decoder {
            file,
            source,
            diagnostics: Vec::new(),
        }
    }

    pub(crate) fn location(&self, pos: Pos) -> Location {
        Location {
            file: self.file.into(),
            line: pos.line.max(1),
            column: pos.column.max(1),
        }
    }

    fn report(&mut self, code: Code, pos: Pos, message: String, help: Option<String>) {
        let mut diagnostic = Diagnostic::error(code, message).at(self.location(pos));
        diagnostic.help = help;
        self.diagnostics.push(diagnostic);
    }

    fn wrong_type(&mut self, node: &Node, expected: &str, what: &str) {
        let help = match (&node.value, expected) {
            (Value::Str(_), "an integer") => Some("write the number without quotes".to_string()),
            (Value::Map(_), "a string") => Some(
                "YAML reads `a: b` and a trailing `:` as a mapping: put the value in quotes"
                    .to_string(),
            ),
            (Value::Str(_) | Value::Map(_), "a list") => {
                Some("write a list: `[a, b]`, or one `- item` per line".to_string())
            }
            _ => None,
        };
        self.report(
            Code::WrongType,
            node.pos,
            format!("{what} must be {expected}, found {}", node.value.kind()),
            help,
        );
    }

    pub(crate) fn spec(&mut self, root: &Node) -> RawSpec {
        if root.value == Value::Null {
            self.report(
                Code::WrongType,
                Pos {
                    line: 1,
                    column: 1,
                    ..Pos::default()
                },
                "the spec is empty".to_string(),
                Some("start it with `version: 1` and `system: <name>`".to_string()),
            );
            return RawSpec::default();
        }
        let Some(object) = self.object(root, "the spec", keys::SPEC) else {
            return RawSpec::default();
        };
        let spec = RawSpec {
            version: object.get("version").and_then(|n| self.int(n, "`version`")),
            system: object
                .get("system")
                .and_then(|n| self.string(n, "`system`")),
            shared: self.strings(object.get("shared"), "`shared`"),
            unassigned: object.get("unassigned").and_then(|n| {
                self.keyword(
                    n,
                    "`unassigned`",
                    &[
                        ("error", RawUnassigned::Error),
                        ("warn", RawUnassigned::Warn),
                        ("ignore", RawUnassigned::Ignore),
                    ],
                )
            }),
            lints: RawLints(self.named(object.get("lints"), "`lints`", Self::lint)),
            domains: self.named(object.get("domains"), "`domains`", Self::domain),
            events: self.named(object.get("events"), "`events`", Self::event),
            types: self.named(object.get("types"), "`types`", Self::value_type),
            sagas: self.named(object.get("sagas"), "`sagas`", Self::saga),
        };
        for (key, required) in [
            ("version", spec.version.is_none()),
            ("system", spec.system.is_none()),
        ] {
            if required && object.get(key).is_none() {
                let help = match key {
                    "version" => "add `version: 1` at the top of the file",
                    _ => "add `system: <name>`, the snake_case name of the system",
                };
                self.missing(root.pos, key, "the spec", help);
            }
        }
        spec
    }

    fn missing(&mut self, owner: Pos, key: &str, what: &str, help: &str) {
        self.report(
            Code::MissingKey,
            owner,
            format!("{what} has no `{key}`"),
            Some(help.to_string()),
        );
    }

    fn domain(&mut self, node: &Node, name: &At<String>) -> Option<RawDomain> {
        let what = format!("domain `{}`", name.value);
        // A body of the wrong kind still declares the name, so references to it are not
        // reported a second time.
        let Some(object) = self.object(node, &what, keys::DOMAIN) else {
            return Some(Default::default());
        };
        Some(RawDomain {
            description: object
                .get("description")
                .and_then(|n| self.string(n, "`description`")),
            modules: self.strings(object.get("modules"), "`modules`"),
            public: self.strings(object.get("public"), "`public`"),
            depends_on: self.strings(object.get("depends_on"), "`depends_on`"),
            tables: self.strings(object.get("tables"), "`tables`"),
            subscribes: self.list(object.get("subscribes"), "`subscribes`", Self::subscription),
            commands: self.named(object.get("commands"), "`commands`", Self::command),
        })
    }

    /// `code: level`, or `code: { level, exceptions }`. The code itself is checked by the
    /// validator, which knows the check codes and their former names.
    fn lint(&mut self, node: &Node, name: &At<String>) -> Option<RawLint> {
        if !matches!(node.value, Value::Map(_)) {
            return self.level(node, "a lint level").map(RawLint::Level);
        }
        let what = format!("lint `{}`", name.value);
        let object = self.object(node, &what, keys::LINT)?;
        Some(RawLint::Detailed(RawLintDetail {
            level: object.get("level").and_then(|n| self.level(n, "`level`")),
            exceptions: self.list(object.get("exceptions"), "`exceptions`", Self::exception),
        }))
    }

    fn level(&mut self, node: &Node, what: &str) -> Option<At<Level>> {
        self.keyword(
            node,
            what,
            &[
                ("deny", Level::Deny),
                ("warn", Level::Warn),
                ("allow", Level::Allow),
            ],
        )
    }

    fn exception(&mut self, node: &Node) -> Option<RawException> {
        let object = self.object(node, "an exception", keys::EXCEPTION)?;
        let exception = RawException {
            r#in: object.get("in").and_then(|n| self.string(n, "`in`")),
            to: object.get("to").and_then(|n| self.string(n, "`to`")),
            reason: object
                .get("reason")
                .and_then(|n| self.string(n, "`reason`")),
        };
        if object.get("in").is_none() {
            self.missing(
                node.pos,
                "in",
                "this exception",
                "say where the finding is allowed: `in: crate::reports::**`",
            );
        }
        Some(exception)
    }

    fn subscription(&mut self, node: &Node) -> Option<RawSubscription> {
        if let Value::Map(_) = node.value {
            let object = self.object(node, "a subscription", keys::SUBSCRIPTION)?;
            let event = object.get("event").and_then(|n| self.string(n, "`event`"));
            if object.get("event").is_none() {
                self.missing(
                    node.pos,
                    "event",
                    "this subscription",
                    "name the event: `event: UserRegistered`",
                );
            }
            return Some(RawSubscription::Detailed(RawSubscriptionDetail {
                event,
                handler: object
                    .get("handler")
                    .and_then(|n| self.string(n, "`handler`")),
                mode: object.get("mode").and_then(|n| {
                    self.keyword(
                        n,
                        "`mode`",
                        &[
                            ("reaction", RawMode::Reaction),
                            ("projection", RawMode::Projection),
                        ],
                    )
                }),
            }));
        }
        self.string(node, "a subscription")
            .map(RawSubscription::Event)
    }

    fn command(&mut self, node: &Node, name: &At<String>) -> Option<RawCommand> {
        let what = format!("command `{}`", name.value);
        // A body of the wrong kind still declares the name, so references to it are not
        // reported a second time.
        let Some(object) = self.object(node, &what, keys::COMMAND) else {
            return Some(Default::default());
        };
        Some(RawCommand {
            description: object
                .get("description")
                .and_then(|n| self.string(n, "`description`")),
            fields: self.named(object.get("fields"), "`fields`", Self::field),
            emits: self.strings(object.get("emits"), "`emits`"),
            rejects_with: self.strings(object.get("rejects_with"), "`rejects_with`"),
        })
    }

    fn event(&mut self, node: &Node, name: &At<String>) -> Option<RawEvent> {
        let what = format!("event `{}`", name.value);
        // A body of the wrong kind still declares the name, so references to it are not
        // reported a second time.
        let Some(object) = self.object(node, &what, keys::EVENT) else {
            return Some(Default::default());
        };
        let event = RawEvent {
            from: object.get("from").and_then(|n| self.string(n, "`from`")),
            version: object.get("version").and_then(|n| self.int(n, "`version`")),
            key: object.get("key").and_then(|n| self.string(n, "`key`")),
            description: object
                .get("description")
                .and_then(|n| self.string(n, "`description`")),
            fields: self.named(object.get("fields"), "`fields`", Self::field),
            upcast: object
                .get("upcast")
                .and_then(|n| self.upcast(n, object.key_pos("upcast"))),
        };
        if object.get("from").is_none() {
            self.missing(
                name.pos,
                "from",
                &what,
                "name the one domain that publishes it: `from: <domain>`",
            );
        }
        Some(event)
    }

    fn upcast(&mut self, node: &Node, pos: Pos) -> Option<RawUpcast> {
        let object = self.object(node, "`upcast`", keys::UPCAST)?;
        Some(RawUpcast {
            pos,
            renamed: self.named(object.get("renamed"), "`renamed`", |this, n, name| {
                this.string(n, &format!("the new name of `{}`", name.value))
            }),
            defaults: self.named(object.get("defaults"), "`defaults`", |this, n, _| {
                this.json(n)
            }),
            function: object
                .get("function")
                .and_then(|n| self.bool(n, "`function`")),
        })
    }

    /// Any YAML value as JSON (a default of an upcast). Mapping keys are text; an integer
    /// beyond 64 bits is reported.
    fn json(&mut self, node: &Node) -> Option<At<serde_json::Value>> {
        use serde_json::Value as Json;
        let value = match &node.value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(n) => match (i64::try_from(*n), u64::try_from(*n)) {
                (Ok(n), _) => Json::from(n),
                (_, Ok(n)) => Json::from(n),
                _ => {
                    self.wrong_type(node, "a 64-bit integer", "a default");
                    return None;
                }
            },
            Value::Float(x) => serde_json::Number::from_f64(*x).map_or(Json::Null, Json::Number),
            Value::Str(s) => Json::String(s.clone()),
            Value::Seq(items) => Json::Array(
                items
                    .iter()
                    .map(|item| self.json(item).map(|at| at.value))
                    .collect::<Option<_>>()?,
            ),
            Value::Map(_) => {
                let entries = self.mapping(node, "a default")?;
                let mut map = serde_json::Map::new();
                for (key, value) in entries {
                    map.insert(key.value, self.json(value)?.value);
                }
                Json::Object(map)
            }
        };
        Some(At {
            value,
            pos: node.pos,
        })
    }

    fn value_type(&mut self, node: &Node, name: &At<String>) -> Option<RawValueType> {
        let what = format!("type `{}`", name.value);
        // A body of the wrong kind still declares the name, so references to it are not
        // reported a second time.
        let Some(object) = self.object(node, &what, keys::VALUE_TYPE) else {
            return Some(Default::default());
        };
        Some(RawValueType {
            description: object
                .get("description")
                .and_then(|n| self.string(n, "`description`")),
            fields: self.named(object.get("fields"), "`fields`", Self::field),
        })
    }

    fn field(&mut self, node: &Node, name: &At<String>) -> Option<RawField> {
        if let Value::Map(_) = node.value {
            let what = format!("field `{}`", name.value);
            let object = self.object(node, &what, keys::FIELD)?;
            let ty = object.get("type").and_then(|n| self.string(n, "`type`"));
            if object.get("type").is_none() {
                self.missing(name.pos, "type", &what, "give its type: `type: String`");
            }
            return Some(RawField::Detailed(RawFieldDetail {
                r#type: ty,
                optional: object
                    .get("optional")
                    .and_then(|n| self.bool(n, "`optional`")),
                description: object
                    .get("description")
                    .and_then(|n| self.string(n, "`description`")),
            }));
        }
        self.string(node, &format!("the type of field `{}`", name.value))
            .map(RawField::Type)
    }

    fn saga(&mut self, node: &Node, name: &At<String>) -> Option<RawSaga> {
        let what = format!("saga `{}`", name.value);
        // A body of the wrong kind still declares the name, so references to it are not
        // reported a second time.
        let Some(object) = self.object(node, &what, keys::SAGA) else {
            return Some(Default::default());
        };
        let steps = object
            .get("steps")
            .map(|n| self.list(Some(n), "`steps`", Self::step));
        let saga = RawSaga {
            description: object
                .get("description")
                .and_then(|n| self.string(n, "`description`")),
            owner: object.get("owner").and_then(|n| self.string(n, "`owner`")),
            starts_on: object
                .get("starts_on")
                .and_then(|n| self.string(n, "`starts_on`")),
            correlate_by: object
                .get("correlate_by")
                .and_then(|n| self.string(n, "`correlate_by`")),
            steps,
            on_success: object
                .get("on_success")
                .and_then(|n| self.string(n, "`on_success`")),
            on_failure: object
                .get("on_failure")
                .and_then(|n| self.string(n, "`on_failure`")),
            timeout: object
                .get("timeout")
                .and_then(|n| self.string(n, "`timeout`")),
        };
        for (key, help) in [
            ("owner", "name the domain that runs it: `owner: <domain>`"),
            (
                "starts_on",
                "name the event that starts it: `starts_on: <Event>`",
            ),
            (
                "correlate_by",
                "name the field that identifies one run: `correlate_by: <field>`",
            ),
            (
                "steps",
                "list its steps: `steps: [{ name, invoke, compensate }]`",
            ),
        ] {
            if object.get(key).is_none() {
                self.missing(name.pos, key, &what, help);
            }
        }
        Some(saga)
    }

    fn step(&mut self, node: &Node) -> Option<RawSagaStep> {
        let object = self.object(node, "a saga step", keys::STEP)?;
        let step = RawSagaStep {
            name: object.get("name").and_then(|n| self.string(n, "`name`")),
            invoke: object
                .get("invoke")
                .and_then(|n| self.string(n, "`invoke`")),
            r#await: object.get("await").and_then(|n| self.string(n, "`await`")),
            success_on: object
                .get("success_on")
                .and_then(|n| self.string(n, "`success_on`")),
            failure_on: object
                .get("failure_on")
                .and_then(|n| self.string(n, "`failure_on`")),
            compensate: object
                .get("compensate")
                .and_then(|n| self.string(n, "`compensate`")),
            pivot: object.get("pivot").and_then(|n| self.bool(n, "`pivot`")),
        };
        if object.get("name").is_none() {
            self.missing(
                node.pos,
                "name",
                "this saga step",
                "name it: `name: <step>`",
            );
        }
        Some(step)
    }

    /// A mapping whose keys are all among `known`; unknown keys are reported with the
    /// closest known one, duplicates with where the first one is.
    fn object<'n>(&mut self, node: &'n Node, what: &str, known: &[&str]) -> Option<Object<'n>> {
        let entries = self.mapping(node, what)?;
        let mut kept = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            if known.contains(&key.value.as_str()) {
                kept.push((key, value));
                continue;
            }
            let help = match did_you_mean(&key.value, known.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                // `{ description: a, b }` parses as a key `b`: the comma ended the value.
                None if value.value == Value::Null && key.value.contains(' ') => {
                    "a comma inside `{ }` starts a new key: put the text before it in quotes"
                        .to_string()
                }
                None => format!("expected one of: {}", known.join(", ")),
            };
            self.report(
                Code::UnknownKey,
                key.pos,
                format!("unknown key `{}` in {what}", key.value),
                Some(help),
            );
        }
        Some(Object { entries: kept })
    }

    /// A mapping's entries with their keys as text; `null` (a key with nothing after it)
    /// is an empty mapping.
    fn mapping<'n>(&mut self, node: &'n Node, what: &str) -> Option<Vec<(At<String>, &'n Node)>> {
        let entries = match &node.value {
            Value::Map(entries) => entries,
            Value::Null => return Some(Vec::new()),
            _ => {
                self.wrong_type(node, "a mapping", what);
                return None;
            }
        };
        let mut out: Vec<(At<String>, &'n Node)> = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            let Some(text) = key.scalar_text(self.source) else {
                self.wrong_type(key, "a name", &format!("a key in {what}"));
                continue;
            };
            if let Some((first, _)) = out.iter().find(|(k, _)| k.value == text) {
                let first_line = first.pos.line;
                self.report(
                    Code::DuplicateName,
                    key.pos,
                    format!("`{text}` is defined twice in {what}"),
                    Some(format!(
                        "the first `{text}` is at line {first_line}; merge or rename them"
                    )),
                );
                continue;
            }
            out.push((
                At {
                    value: text,
                    pos: key.pos,
                },
                value,
            ));
        }
        Some(out)
    }

    fn named<V>(
        &mut self,
        node: Option<&Node>,
        what: &str,
        decode: impl Fn(&mut Self, &Node, &At<String>) -> Option<V>,
    ) -> NamedMap<V> {
        let Some(node) = node else {
            return NamedMap::default();
        };
        let Some(entries) = self.mapping(node, what) else {
            return NamedMap::default();
        };
        NamedMap(
            entries
                .into_iter()
                .filter_map(|(name, value)| decode(self, value, &name).map(|v| (name, v)))
                .collect(),
        )
    }

    fn list<V>(
        &mut self,
        node: Option<&Node>,
        what: &str,
        decode: impl Fn(&mut Self, &Node) -> Option<V>,
    ) -> Vec<V> {
        match node.map(|n| (n, &n.value)) {
            None | Some((_, Value::Null)) => Vec::new(),
            Some((_, Value::Seq(items))) => {
                items.iter().filter_map(|item| decode(self, item)).collect()
            }
            Some((node, _)) => {
                self.wrong_type(node, "a list", what);
                Vec::new()
            }
        }
    }

    fn strings(&mut self, node: Option<&Node>, what: &str) -> Vec<At<String>> {
        let item_what = format!("an entry of {what}");
        self.list(node, what, |this, item| this.string(item, &item_what))
    }

    fn string(&mut self, node: &Node, what: &str) -> Option<At<String>> {
        match node.value {
            Value::Str(_) | Value::Bool(_) | Value::Int(_) | Value::Float(_) => {
                let text = node.scalar_text(self.source)?;
                Some(At {
                    value: text,
                    pos: node.pos,
                })
            }
            _ => {
                self.wrong_type(node, "a string", what);
                None
            }
        }
    }

    fn int(&mut self, node: &Node, what: &str) -> Option<At<i64>> {
        match node.value {
            Value::Int(n) => match i64::try_from(n) {
                Ok(value) => Some(At {
                    value,
                    pos: node.pos,
                }),
                Err(_) => {
                    self.wrong_type(node, "a small integer", what);
                    None
                }
            },
            _ => {
                self.wrong_type(node, "an integer", what);
                None
            }
        }
    }

    fn bool(&mut self, node: &Node, what: &str) -> Option<At<bool>> {
        match node.value {
            Value::Bool(value) => Some(At {
                value,
                pos: node.pos,
            }),
            _ => {
                self.wrong_type(node, "`true` or `false`", what);
                None
            }
        }
    }

    /// A string that must be one of a few words (`mode: reaction`).
    fn keyword<K: Copy>(
        &mut self,
        node: &Node,
        what: &str,
        choices: &[(&str, K)],
    ) -> Option<At<K>> {
        let text = self.string(node, what)?;
        if let Some((_, value)) = choices.iter().find(|(word, _)| *word == text.value) {
            return Some(At {
                value: *value,
                pos: text.pos,
            });
        }
        let words: Vec<&str> = choices.iter().map(|(word, _)| *word).collect();
        let help = match did_you_mean(&text.value, words.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("use one of: {}", words.join(", ")),
        };
        self.report(
            Code::WrongType,
            text.pos,
            format!("`{}` is not a valid {what}", text.value),
            Some(help),
        );
        None
    }
}
