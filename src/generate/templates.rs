//! The non-Rust files of the workspace (Cargo manifests, README, .gitignore) and the two
//! tiny crate roots, rendered from the tera templates in `templates/*.tera`.

use serde::Serialize;
use tera::{Context, Tera};

use super::names::{cloud_type, service_crate};
use super::service::{handler_methods, own_events};
use super::{GenError, GeneratedFile, generated};
use crate::spec::Spec;

const TEMPLATES: &[(&str, &str)] = &[
    (
        "workspace.Cargo.toml",
        include_str!("../../templates/workspace.Cargo.toml.tera"),
    ),
    (
        "events.Cargo.toml",
        include_str!("../../templates/events.Cargo.toml.tera"),
    ),
    (
        "events.lib.rs",
        include_str!("../../templates/events.lib.rs.tera"),
    ),
    (
        "service.Cargo.toml",
        include_str!("../../templates/service.Cargo.toml.tera"),
    ),
    (
        "app.Cargo.toml",
        include_str!("../../templates/app.Cargo.toml.tera"),
    ),
    (
        "app.main.rs",
        include_str!("../../templates/app.main.rs.tera"),
    ),
    ("README.md", include_str!("../../templates/README.md.tera")),
    ("gitignore", include_str!("../../templates/gitignore.tera")),
];

/// What the templates see of the spec (a view built here, so templates never reach into
/// the spec model).
#[derive(Serialize)]
struct View {
    system: String,
    domains: Vec<DomainView>,
    events: Vec<EventView>,
    sagas: Vec<SagaView>,
}

#[derive(Serialize)]
struct SagaView {
    name: String,
    owner: String,
    description: Option<String>,
    starts_on: String,
    correlate_by: String,
    /// The Mermaid `sequenceDiagram`, one line each.
    diagram: Vec<String>,
}

#[derive(Serialize)]
struct DomainView {
    name: String,
    #[serde(rename = "crate")]
    krate: String,
    description: Option<String>,
    commands: Vec<String>,
    publishes: Vec<String>,
    handles: Vec<HandleView>,
}

#[derive(Serialize)]
struct HandleView {
    event: String,
    method: String,
}

#[derive(Serialize)]
struct EventView {
    #[serde(rename = "type")]
    event_type: String,
    key: Option<String>,
    subscribers: Vec<String>,
}

fn view(spec: &Spec) -> Result<View, GenError> {
    let system = spec.system.value.clone();
    let domains = spec
        .domains
        .values()
        .map(|d| DomainView {
            name: d.name.clone(),
            krate: service_crate(&d.name),
            description: d.description.clone(),
            commands: d.commands.keys().cloned().collect(),
            publishes: own_events(spec, d).iter().map(|e| e.name.clone()).collect(),
            handles: handler_methods(spec, d)
                .into_iter()
                .map(|m| HandleView {
                    event: m.event.name.clone(),
                    method: m.method,
                })
                .collect(),
        })
        .collect();
    let events = spec
        .events
        .values()
        .map(|e| EventView {
            event_type: cloud_type(&system, &e.from.value, &e.name, e.version),
            key: e.key.as_ref().map(|k| k.value.clone()),
            subscribers: spec
                .domains
                .values()
                .filter(|d| d.subscribes.iter().any(|s| s.event.value == e.name))
                .map(|d| d.name.clone())
                .collect(),
        })
        .collect();
    let sagas = spec
        .sagas
        .values()
        .map(|saga| {
            Ok(SagaView {
                name: saga.name.clone(),
                owner: saga.owner.value.clone(),
                description: saga.description.clone(),
                starts_on: saga.starts_on.value.clone(),
                correlate_by: saga.correlate_by.value.clone(),
                diagram: super::saga::mermaid(&super::saga::plan(spec, saga)?),
            })
        })
        .collect::<Result<Vec<_>, GenError>>()?;
    Ok(View {
        system,
        domains,
        events,
        sagas,
    })
}

fn engine() -> Result<Tera, GenError> {
    let mut tera = Tera::new();
    tera.autoescape_on(Vec::<&str>::new());
    tera.add_raw_templates(TEMPLATES.iter().copied())
        .map_err(template_error)?;
    Ok(tera)
}

fn template_error(e: tera::Error) -> GenError {
    GenError {
        message: format!("internal error: template: {e}"),
        location: None,
    }
}

pub fn files(spec: &Spec) -> Result<Vec<GeneratedFile>, GenError> {
    let tera = engine()?;
    let view = view(spec)?;
    let context = Context::from_serialize(&view).map_err(template_error)?;
    let render = |name: &str, ctx: &Context| tera.render(name, ctx).map_err(template_error);
    let mut files = vec![
        generated("Cargo.toml", render("workspace.Cargo.toml", &context)?),
        generated("README.md", render("README.md", &context)?),
        generated(".gitignore", render("gitignore", &context)?),
        generated("events/Cargo.toml", render("events.Cargo.toml", &context)?),
        generated("events/src/lib.rs", render("events.lib.rs", &context)?),
        generated("app/Cargo.toml", render("app.Cargo.toml", &context)?),
        generated("app/src/main.rs", render("app.main.rs", &context)?),
    ];
    for d in &view.domains {
        let mut ctx = Context::from_serialize(d).map_err(template_error)?;
        ctx.insert("system", &view.system);
        files.push(generated(
            format!("services/{}/Cargo.toml", d.name),
            render("service.Cargo.toml", &ctx)?,
        ));
    }
    Ok(files)
}
