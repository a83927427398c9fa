//! The files of a service the user owns, created once with a working starting implementation
//! and never overwritten: `src/lib.rs`, `src/handlers.rs`, `src/commands.rs`, `src/sagas.rs`
//! (when the service runs sagas) and a test of the starting handlers.
//!
//! They are tera templates (`templates/service.*.tera`), laid out the way rustfmt lays them
//! out because the user runs `cargo fmt` on them (`templates/rustfmt.tera`: imports, and
//! signatures wrapped past 100 columns); prettyplease's layout is only kept in the
//! `generated` modules, which rustfmt skips. This module builds what the templates see. Every
//! name in it is a validated identifier (checked by `ident`).

use serde::Serialize;

use super::names::{domain_enum, ident, saga_module, service_crate};
use super::saga::{builders, plan};
use super::spec_view::{command_method, handler_methods, own_events, owned_sagas};
use super::templates::Templates;
use super::{GenError, GeneratedFile, user};
use crate::spec::{Command, Domain, Event, Spec};

pub fn files(
    templates: &Templates,
    spec: &Spec,
    domain: &Domain,
    dir: &str,
) -> Result<Vec<GeneratedFile>, GenError> {
    let name = checked(&domain.name)?;
    let runs_sagas = !owned_sagas(spec, domain).is_empty();
    let lib = LibView {
        name,
        description: domain
            .description
            .iter()
            .flat_map(|d| d.lines().map(str::trim_end))
            .collect(),
        runs_sagas,
    };
    let mut files = vec![
        user(
            format!("{dir}/src/lib.rs"),
            templates.render("service.lib.rs", &lib)?,
        ),
        user(
            format!("{dir}/src/handlers.rs"),
            templates.render("service.handlers.rs", &handlers_view(spec, domain)?)?,
        ),
        user(
            format!("{dir}/src/commands.rs"),
            templates.render("service.commands.rs", &commands_view(spec, domain)?)?,
        ),
        user(
            format!("{dir}/tests/handlers.rs"),
            templates.render("service.tests.handlers.rs", &test_view(spec, domain)?)?,
        ),
    ];
    if runs_sagas {
        files.push(user(
            format!("{dir}/src/sagas.rs"),
            templates.render("service.sagas.rs", &sagas_view(spec, domain)?)?,
        ));
    }
    Ok(files)
}

/// Checks a name is an identifier before it is spliced into text.
fn checked(name: &str) -> Result<&str, GenError> {
    ident(name, None).map(|_| name)
}

/// Names sorted and without duplicates, as rustfmt orders a `use` group's names.
fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort_unstable();
    names.dedup();
    names
}

/// `use path::{names}`, rendered by `rust_use`.
#[derive(Serialize)]
struct Import {
    path: String,
    names: Vec<String>,
}

impl Import {
    fn new(path: &str, names: &[&str]) -> Self {
        Self {
            path: path.to_owned(),
            names: sorted(names.iter().map(|n| (*n).to_owned()).collect()),
        }
    }

    /// The line rustfmt sorts a group of imports by.
    fn line(&self) -> String {
        match self.names.as_slice() {
            [one] => format!("use {}::{one};", self.path),
            names => format!("use {}::{{{}}};", self.path, names.join(", ")),
        }
    }
}

#[derive(Serialize)]
struct LibView<'a> {
    name: &'a str,
    description: Vec<&'a str>,
    runs_sagas: bool,
}

#[derive(Serialize)]
struct HandlersView<'a> {
    name: &'a str,
    /// `Event` and the events handled, for `use events::{..}`.
    events: Vec<String>,
    methods: Vec<MethodView>,
}

/// A handler method and the event it takes.
#[derive(Serialize)]
struct MethodView {
    method: String,
    event: String,
}

fn methods(spec: &Spec, domain: &Domain) -> Result<Vec<MethodView>, GenError> {
    handler_methods(spec, domain)
        .into_iter()
        .map(|m| {
            Ok(MethodView {
                event: checked(&m.event.name)?.to_owned(),
                method: checked(&m.method)?.to_owned(),
            })
        })
        .collect()
}

fn handlers_view<'a>(spec: &Spec, domain: &'a Domain) -> Result<HandlersView<'a>, GenError> {
    let methods = methods(spec, domain)?;
    let mut events = vec!["Event".to_owned()];
    events.extend(methods.iter().map(|m| m.event.clone()));
    Ok(HandlersView {
        name: checked(&domain.name)?,
        events: sorted(events),
        methods,
    })
}

#[derive(Serialize)]
struct CommandsView<'a> {
    name: &'a str,
    /// `<Domain>Events` when the domain publishes events (`apply` folds them).
    events_enum: Option<String>,
    /// The events the starting decisions emit and the domain's enum, for `use events::{..}`.
    events: Vec<String>,
    /// `Decide` and every command and outcome, for `use crate::generated::{..}`.
    generated: Vec<String>,
    commands: Vec<CommandView>,
}

/// A starting decision: accept the command with the first event it may emit, copying the
/// command's fields of the same name and type.
#[derive(Serialize)]
struct CommandView {
    method: String,
    name: String,
    outcome: String,
    event: String,
    /// `command`, or `_command` when no field is copied.
    arg: &'static str,
    copies: Vec<String>,
    /// Whether the event has fields the command lacks (`..Event::example()`).
    fills_rest: bool,
}

fn commands_view<'a>(spec: &Spec, domain: &'a Domain) -> Result<CommandsView<'a>, GenError> {
    let has_events = !own_events(spec, domain).is_empty();
    let events_enum = domain_enum(&domain.name);
    let mut generated = vec!["Decide".to_owned()];
    let mut commands = Vec::new();
    for command in domain.commands.values() {
        let name = checked(&command.name)?;
        generated.push(name.to_owned());
        generated.push(format!("{name}Outcome"));
        let first = command
            .emits
            .first()
            .and_then(|e| spec.events.get(&e.value));
        if let Some(first) = first {
            commands.push(command_view(command, first)?);
        }
    }
    let mut events: Vec<String> = commands.iter().map(|c| c.event.clone()).collect();
    events.push(events_enum.clone());
    Ok(CommandsView {
        name: checked(&domain.name)?,
        events_enum: has_events.then_some(events_enum),
        events: sorted(events),
        generated: sorted(generated),
        commands,
    })
}

fn command_view(command: &Command, first: &Event) -> Result<CommandView, GenError> {
    let copies: Vec<String> = first
        .fields
        .iter()
        .filter(|f| {
            command
                .fields
                .iter()
                .any(|c| c.name == f.name && c.ty == f.ty)
        })
        .map(|f| checked(&f.name).map(str::to_owned))
        .collect::<Result<_, _>>()?;
    Ok(CommandView {
        method: checked(&command_method(command))?.to_owned(),
        name: command.name.clone(),
        outcome: format!("{}Outcome", command.name),
        event: checked(&first.name)?.to_owned(),
        arg: if copies.is_empty() {
            "_command"
        } else {
            "command"
        },
        fills_rest: copies.len() < first.fields.len(),
        copies,
    })
}

#[derive(Serialize)]
struct TestView<'a> {
    name: &'a str,
    krate: String,
    /// The first handler, which the test calls; none for a service without subscriptions.
    first: Option<MethodView>,
    imports: Vec<Import>,
}

fn test_view<'a>(spec: &Spec, domain: &'a Domain) -> Result<TestView<'a>, GenError> {
    let krate = service_crate(&domain.name);
    checked(&krate)?;
    let first = methods(spec, domain)?.into_iter().next();
    let mut imports = Vec::new();
    if let Some(first) = &first {
        imports = vec![
            Import::new("events", &["Event", &first.event]),
            Import::new("fissure_runtime", &["Envelope"]),
            Import::new("fissure_runtime::serde_json", &["json"]),
            Import::new(&krate, &["Emitter", "Handle", "Handlers"]),
        ];
        imports.sort_by_key(Import::line);
    }
    Ok(TestView {
        name: checked(&domain.name)?,
        krate,
        first,
        imports,
    })
}

#[derive(Serialize)]
struct SagasView<'a> {
    name: &'a str,
    /// Full paths of the commands and events the builders return, and `SagaContext`.
    uses: Vec<String>,
    /// The saga modules, for `use crate::generated::{..}`.
    modules: Vec<String>,
    sagas: Vec<SagaView>,
}

/// One `impl <saga>_saga::Steps for Sagas`.
#[derive(Serialize)]
struct SagaView {
    module: String,
    builders: Vec<BuilderView>,
}

/// A `Steps` method and the command or event it returns.
#[derive(Serialize)]
struct BuilderView {
    method: String,
    ty: String,
}

fn sagas_view<'a>(spec: &Spec, domain: &'a Domain) -> Result<SagasView<'a>, GenError> {
    let mut uses = vec!["fissure_runtime::saga::SagaContext".to_owned()];
    let mut sagas = Vec::new();
    for saga in owned_sagas(spec, domain) {
        let module = saga_module(&saga.name);
        checked(&module)?;
        let mut builder_views = Vec::new();
        for (method, _, returns) in builders(&plan(spec, saga)?) {
            let ty = match returns.split_once('.') {
                Some((d, c)) => {
                    uses.push(format!(
                        "events::commands::{}::{}",
                        checked(d)?,
                        checked(c)?
                    ));
                    c.to_owned()
                }
                None => {
                    uses.push(format!("events::{}", checked(&returns)?));
                    returns
                }
            };
            builder_views.push(BuilderView {
                method: checked(&method)?.to_owned(),
                ty,
            });
        }
        sagas.push(SagaView {
            module,
            builders: builder_views,
        });
    }
    // Sorted as rustfmt sorts the `use` lines.
    uses.sort_by_key(|path| format!("use {path};"));
    uses.dedup();
    Ok(SagasView {
        name: checked(&domain.name)?,
        modules: sorted(sagas.iter().map(|s| s.module.clone()).collect()),
        uses,
        sagas,
    })
}
