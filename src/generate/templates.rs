//! The tera templates in `templates/`: the non-Rust files of the workspace (Cargo manifests,
//! README, .gitignore), the two tiny crate roots, and the user's starting files
//! ([`super::skeleton`] builds their views). Templates see views built here, never the spec
//! model itself.

use serde::Serialize;
use tera::{Context, Tera};

use super::events_crate::{UpcastFunction, user_functions};
use super::names::{cloud_type, service_crate};
use super::saga::{mermaid, plan};
use super::spec_view::{handler_methods, own_events};
use super::{GenError, GeneratedFile, generated, user};
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
        "events.upcasts.rs",
        include_str!("../../templates/events.upcasts.rs.tera"),
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
    // The user's starting files and the rustfmt layout they follow.
    ("rustfmt", include_str!("../../templates/rustfmt.tera")),
    (
        "service.lib.rs",
        include_str!("../../templates/service.lib.rs.tera"),
    ),
    (
        "service.handlers.rs",
        include_str!("../../templates/service.handlers.rs.tera"),
    ),
    (
        "service.commands.rs",
        include_str!("../../templates/service.commands.rs.tera"),
    ),
    (
        "service.sagas.rs",
        include_str!("../../templates/service.sagas.rs.tera"),
    ),
    (
        "service.tests.handlers.rs",
        include_str!("../../templates/service.tests.handlers.rs.tera"),
    ),
];

/// What the templates see of the spec (a view built here, so templates never reach into
/// the spec model).
#[derive(Serialize)]
struct View {
    system: String,
    domains: Vec<DomainView>,
    events: Vec<EventView>,
    sagas: Vec<SagaView>,
    /// The events whose older versions the user's `events/src/upcasts.rs` upcasts.
    upcast_functions: Vec<UpcastFunction>,
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
                diagram: mermaid(&plan(spec, saga)?),
            })
        })
        .collect::<Result<Vec<_>, GenError>>()?;
    Ok(View {
        system,
        domains,
        events,
        sagas,
        upcast_functions: user_functions(spec),
    })
}

/// The template engine with every template of `templates/` loaded.
pub struct Templates {
    tera: Tera,
}

impl Templates {
    pub fn new() -> Result<Self, GenError> {
        let mut tera = Tera::new();
        tera.autoescape_on(Vec::<&str>::new());
        tera.add_raw_templates(TEMPLATES.iter().copied())
            .map_err(template_error)?;
        Ok(Self { tera })
    }

    /// Renders template `name` with the fields of `view`.
    pub fn render(&self, name: &str, view: &impl Serialize) -> Result<String, GenError> {
        let context = Context::from_serialize(view).map_err(template_error)?;
        self.tera.render(name, &context).map_err(template_error)
    }

    /// The workspace's manifests, README, .gitignore, the two crate roots, and the user's
    /// upcast functions when the spec asks for them.
    pub fn workspace_files(&self, spec: &Spec) -> Result<Vec<GeneratedFile>, GenError> {
        let view = view(spec)?;
        let mut files = Vec::new();
        for (path, template) in [
            ("Cargo.toml", "workspace.Cargo.toml"),
            ("README.md", "README.md"),
            (".gitignore", "gitignore"),
            ("events/Cargo.toml", "events.Cargo.toml"),
            ("events/src/lib.rs", "events.lib.rs"),
            ("app/Cargo.toml", "app.Cargo.toml"),
            ("app/src/main.rs", "app.main.rs"),
        ] {
            files.push(generated(path, self.render(template, &view)?));
        }
        if !view.upcast_functions.is_empty() {
            files.push(user(
                "events/src/upcasts.rs",
                self.render("events.upcasts.rs", &view)?,
            ));
        }
        for d in &view.domains {
            let service = ServiceManifestView {
                system: &view.system,
                domain: d,
            };
            files.push(generated(
                format!("services/{}/Cargo.toml", d.name),
                self.render("service.Cargo.toml", &service)?,
            ));
        }
        Ok(files)
    }
}

/// A service's manifest sees its domain's fields and the system.
#[derive(Serialize)]
struct ServiceManifestView<'a> {
    system: &'a str,
    #[serde(flatten)]
    domain: &'a DomainView,
}

fn template_error(e: tera::Error) -> GenError {
    GenError {
        message: format!("internal error: template: {e}"),
        location: None,
    }
}
