//! The files of a service the user owns, created once with a working starting implementation
//! and never overwritten: `src/lib.rs`, `src/handlers.rs`, `src/commands.rs` and a test of the
//! starting handlers.
//!
//! They are written as text, laid out the way `rustfmt` lays them out (imports sorted and
//! grouped, signatures wrapped past 100 columns), because the user runs `cargo fmt` on them;
//! prettyplease's layout is only kept in the `generated` modules, which rustfmt skips.
//! Every name in them is a validated identifier (checked by `ident`).

use super::names::{domain_enum, ident, saga_module as module_name, service_crate};
use super::saga::{builders, plan};
use super::spec_view::{command_method, handler_methods, own_events, owned_sagas as owned};
use super::templates::Templates;
use super::{GenError, GeneratedFile, user};
use crate::spec::{Domain, Spec};

const MAX_WIDTH: usize = 100;

pub fn files(
    _templates: &Templates,
    spec: &Spec,
    domain: &Domain,
    dir: &str,
) -> Result<Vec<GeneratedFile>, GenError> {
    let runs_sagas = !owned(spec, domain).is_empty();
    let mut files = vec![
        user(format!("{dir}/src/lib.rs"), lib_rs(domain, runs_sagas)),
        user(format!("{dir}/src/handlers.rs"), handlers_rs(spec, domain)?),
        user(format!("{dir}/src/commands.rs"), commands_rs(spec, domain)?),
        user(
            format!("{dir}/tests/handlers.rs"),
            handlers_test(spec, domain)?,
        ),
    ];
    if runs_sagas {
        files.push(user(format!("{dir}/src/sagas.rs"), sagas_rs(spec, domain)?));
    }
    Ok(files)
}

/// Checks every name is an identifier before it is spliced into text.
fn checked(name: &str) -> Result<&str, GenError> {
    ident(name, None).map(|_| name)
}

fn module_doc(lines: &[&str]) -> String {
    lines
        .iter()
        .map(|l| {
            if l.is_empty() {
                "//!\n".to_string()
            } else {
                format!("//! {l}\n")
            }
        })
        .collect()
}

/// `use path::{a, b};` as rustfmt writes it: names sorted on one line when it fits,
/// otherwise one `use` per name (rustfmt keeps those as they are).
fn use_line(path: &str, names: &[&str]) -> String {
    let mut names: Vec<&str> = names.to_vec();
    names.sort_unstable();
    names.dedup();
    match names.as_slice() {
        [] => String::new(),
        [one] => format!("use {path}::{one};\n"),
        _ => {
            let line = format!("use {path}::{{{}}};\n", names.join(", "));
            if line.len() - 1 <= MAX_WIDTH {
                return line;
            }
            names
                .iter()
                .map(|name| format!("use {path}::{name};\n"))
                .collect()
        }
    }
}

/// A group of `use` lines, sorted as rustfmt sorts a group.
fn use_group(lines: &[String]) -> String {
    let mut lines: Vec<&str> = lines.iter().flat_map(|l| l.lines()).collect();
    lines.sort_unstable();
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// A method signature at 4 spaces of indent, wrapped one parameter a line past 100 columns.
fn signature(name: &str, params: &[String], ret: &str) -> String {
    let line = format!("    fn {name}({}) -> {ret} {{\n", params.join(", "));
    if line.len() - 1 <= MAX_WIDTH {
        return line;
    }
    let mut out = format!("    fn {name}(\n");
    for p in params {
        out.push_str(&format!("        {p},\n"));
    }
    out.push_str(&format!("    ) -> {ret} {{\n"));
    out
}

fn lib_rs(domain: &Domain, runs_sagas: bool) -> String {
    let mut doc = format!("//! The `{}` service.\n", domain.name);
    if let Some(description) = &domain.description {
        doc.push_str("//!\n");
        for line in description.lines() {
            let line = line.trim_end();
            doc.push_str(&if line.is_empty() {
                "//!\n".to_string()
            } else {
                format!("//! {line}\n")
            });
        }
    }
    let (sagas_mod, sagas_use) = if runs_sagas {
        ("mod sagas;\n", "pub use sagas::Sagas;\n")
    } else {
        ("", "")
    };
    format!(
        "{doc}//!
//! This file is yours: fissure created it once and never overwrites it. `generated` is
//! rewritten on every `fissure generate`.

mod commands;
#[rustfmt::skip]
pub mod generated;
mod handlers;
{sagas_mod}
pub use commands::{{Commands, State}};
pub use generated::*;
pub use handlers::Handlers;
{sagas_use}"
    )
}

/// The business parts of the sagas `domain` runs: one `Steps` impl per saga.
fn sagas_rs(spec: &Spec, domain: &Domain) -> Result<String, GenError> {
    let mut out = module_doc(&[
        &format!(
            "The business parts of the sagas the `{}` service runs: which command each step",
            checked(&domain.name)?
        ),
        "sends, with which data. The flow (order, replies, compensations, timeouts) is generated.",
        "",
        "This file is yours: fissure created it once and never overwrites it.",
    ]);
    out.push('\n');
    let mut uses: Vec<String> = Vec::new();
    let mut modules = Vec::new();
    let mut impls = String::new();
    for saga in owned(spec, domain) {
        let plan = plan(spec, saga)?;
        let module = module_name(&saga.name);
        checked(&module)?;
        modules.push(module.clone());
        impls.push_str(&format!("\nimpl {module}::Steps for Sagas {{\n"));
        for (i, (method, _, returns)) in builders(&plan).into_iter().enumerate() {
            let ty = match returns.split_once('.') {
                Some((d, c)) => {
                    uses.push(use_line(
                        &format!("events::commands::{}", checked(d)?),
                        &[checked(c)?],
                    ));
                    c.to_string()
                }
                None => {
                    uses.push(use_line("events", &[checked(&returns)?]));
                    returns.clone()
                }
            };
            if i > 0 {
                impls.push('\n');
            }
            impls.push_str(&signature(
                checked(&method)?,
                &["&self".into(), "saga: SagaContext<'_>".into()],
                &ty,
            ));
            impls.push_str(&format!("        saga.fill({ty}::example())\n    }}\n"));
        }
        impls.push_str("}\n");
    }
    uses.push(use_line("fissure_runtime::saga", &["SagaContext"]));
    uses.sort();
    uses.dedup();
    out.push_str(&use_group(&uses));
    out.push('\n');
    let modules: Vec<&str> = modules.iter().map(String::as_str).collect();
    out.push_str(&use_line("crate::generated", &modules));
    out.push_str(
        "
/// The sagas' business parts. This starting version fills each command from the start event
/// and the replies so far (fields of the same name), the rest from example data; replace the
/// bodies with the real choices.
#[derive(Debug, Default)]
pub struct Sagas;
",
    );
    out.push_str(&impls);
    Ok(out)
}

fn handlers_rs(spec: &Spec, domain: &Domain) -> Result<String, GenError> {
    let methods = handler_methods(spec, domain);
    let mut out = module_doc(&[
        &format!(
            "The event handlers of the `{}` service.",
            checked(&domain.name)?
        ),
        "",
        "This file is yours: fissure created it once and never overwrites it.",
    ]);
    out.push('\n');
    out.push_str(&use_line("std::sync", &["Mutex", "PoisonError"]));
    out.push('\n');
    if methods.is_empty() {
        out.push_str(&use_line("crate::generated", &["Handle"]));
    } else {
        let mut events = vec!["Event"];
        for m in &methods {
            events.push(checked(&m.event.name)?);
        }
        out.push_str(&use_group(&[
            use_line("events", &events),
            use_line("fissure_runtime", &["HandlerError"]),
        ]));
        out.push('\n');
        out.push_str(&use_line("crate::generated", &["Emitter", "Handle"]));
    }
    out.push_str(
        "
/// The service's event handlers. This starting version records what it handled; replace the
/// bodies with the service's reactions and projections.
#[derive(Debug, Default)]
pub struct Handlers {
    seen: Mutex<Vec<String>>,
}

impl Handlers {
    /// What was handled so far, as `method key` lines.
    pub fn seen(&self) -> Vec<String> {
        let seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        seen.clone()
    }
",
    );
    if !methods.is_empty() {
        out.push_str(
            "
    fn record(&self, method: &str, key: Option<String>) {
        let line = format!(\"{method} {}\", key.unwrap_or_default());
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        seen.push(line);
    }
",
        );
    }
    out.push_str("}\n\n");
    if methods.is_empty() {
        out.push_str("impl Handle for Handlers {}\n");
        return Ok(out);
    }
    out.push_str("impl Handle for Handlers {\n");
    for (i, m) in methods.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let method = checked(&m.method)?;
        let event = checked(&m.event.name)?;
        out.push_str(&signature(
            method,
            &[
                "&self".into(),
                format!("event: &{event}"),
                "_out: &mut Emitter<'_>".into(),
            ],
            "Result<(), HandlerError>",
        ));
        out.push_str("        let key = event.partition_key();\n");
        out.push_str(&format!(
            "        self.record(\"{method}\", key);\n        Ok(())\n    }}\n"
        ));
    }
    out.push_str("}\n");
    Ok(out)
}

fn commands_rs(spec: &Spec, domain: &Domain) -> Result<String, GenError> {
    let events_enum = domain_enum(&domain.name);
    let has_events = !own_events(spec, domain).is_empty();
    let mut event_names: Vec<&str> = Vec::new();
    let mut generated_names: Vec<String> = vec!["Decide".to_string()];
    let mut bodies = Vec::new();
    for command in domain.commands.values() {
        let name = checked(&command.name)?;
        let outcome = format!("{name}Outcome");
        let method = command_method(command);
        checked(&method)?;
        generated_names.push(name.to_string());
        generated_names.push(outcome.clone());
        let Some(first) = command
            .emits
            .first()
            .and_then(|e| spec.events.get(&e.value))
        else {
            continue;
        };
        let event = checked(&first.name)?;
        event_names.push(event);
        let copies: Vec<&str> = first
            .fields
            .iter()
            .filter(|f| {
                command
                    .fields
                    .iter()
                    .any(|c| c.name == f.name && c.ty == f.ty)
            })
            .map(|f| checked(&f.name))
            .collect::<Result<_, _>>()?;
        let command_arg = if copies.is_empty() {
            "_command"
        } else {
            "command"
        };
        let mut body = signature(
            &method,
            &[
                "&self".into(),
                "_state: &State".into(),
                format!("{command_arg}: {name}"),
            ],
            &outcome,
        );
        if copies.is_empty() {
            body.push_str(&format!("        {outcome}::{event}({event}::example())\n"));
        } else {
            body.push_str(&format!("        {outcome}::{event}({event} {{\n"));
            for f in &copies {
                body.push_str(&format!("            {f}: command.{f},\n"));
            }
            if copies.len() < first.fields.len() {
                body.push_str(&format!("            ..{event}::example()\n"));
            }
            body.push_str("        })\n");
        }
        body.push_str("    }\n");
        bodies.push(body);
    }
    let mut out = module_doc(&[
        &format!(
            "The decisions of the `{}` service and the state they read.",
            checked(&domain.name)?
        ),
        "",
        "This file is yours: fissure created it once and never overwrites it.",
    ]);
    out.push('\n');
    out.push_str(&use_line("std::collections", &["BTreeMap"]));
    out.push('\n');
    if has_events {
        let mut names = event_names.clone();
        names.push(&events_enum);
        out.push_str(&use_line("events", &names));
        out.push('\n');
    }
    let generated: Vec<&str> = generated_names.iter().map(String::as_str).collect();
    out.push_str(&use_line("crate::generated", &generated));
    out.push_str(
        "
/// What the service knows, rebuilt from its events before each command. This starting
/// version counts them by type; keep here what the decisions need.
#[derive(Debug, Default)]
pub struct State {
    pub applied: BTreeMap<&'static str, u64>,
}

/// The service's decisions. This starting version accepts every command with the first
/// event it may emit; replace the bodies with the business rules.
#[derive(Debug, Default)]
pub struct Commands;

impl Decide for Commands {
    type State = State;
",
    );
    if has_events {
        out.push_str(&format!(
            "
    fn apply(state: &mut State, event: &{events_enum}) {{
        *state.applied.entry(event.event_type()).or_default() += 1;
    }}
"
        ));
    }
    for body in bodies {
        out.push('\n');
        out.push_str(&body);
    }
    out.push_str("}\n");
    Ok(out)
}

fn handlers_test(spec: &Spec, domain: &Domain) -> Result<String, GenError> {
    let krate = service_crate(&domain.name);
    checked(&krate)?;
    let methods = handler_methods(spec, domain);
    let Some(first) = methods.first() else {
        let mut out = module_doc(&[&format!("Tests of the `{}` service.", domain.name)]);
        out.push('\n');
        out.push_str(&use_line(&krate, &["Handlers", "State"]));
        out.push_str(
            "
#[test]
fn the_service_starts_with_nothing_handled_or_applied() {
    assert!(Handlers::default().seen().is_empty());
    assert!(State::default().applied.is_empty());
}
",
        );
        return Ok(out);
    };
    let method = checked(&first.method)?;
    let event = checked(&first.event.name)?;
    let mut out = module_doc(&[&format!(
        "Tests of the `{}` service's handlers.",
        domain.name
    )]);
    out.push('\n');
    out.push_str(&use_group(&[
        use_line("events", &["Event", event]),
        use_line("fissure_runtime", &["Envelope"]),
        use_line("fissure_runtime::serde_json", &["json"]),
        use_line(&krate, &["Emitter", "Handle", "Handlers"]),
    ]));
    out.push_str(&format!(
        "
#[test]
fn a_handled_event_is_recorded_with_its_key() {{
    let handlers = Handlers::default();
    let event = {event}::example();
    let parent = Envelope::new(\"test\", {event}::TYPE, json!({{}}));
    let mut out = Emitter::new(&parent);
    let handled = handlers.{method}(&event, &mut out);
    assert!(handled.is_ok(), \"the starting handler succeeds\");
    let key = event.partition_key().unwrap_or_default();
    let expected = format!(\"{method} {{key}}\");
    assert_eq!(handlers.seen(), vec![expected]);
    assert!(out.into_envelopes().is_empty());
}}
"
    ));
    Ok(out)
}
