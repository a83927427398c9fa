//! The decision side of a service: one outcome enum per command (the events it may decide),
//! the `Decide` trait the user implements in `src/commands.rs`, and the `Service` that runs a
//! command: replays the state from the event store, decides, appends with optimistic
//! concurrency, publishes.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::ServiceModule;
use crate::generate::GenError;
use crate::generate::names::{cloud_type, ident};
use crate::generate::spec_view::{command_method, outcomes};
use crate::spec::Command;

/// `<Command>Outcome` for every command of the domain.
pub(super) fn command_items(s: &ServiceModule<'_>) -> Result<Vec<TokenStream>, GenError> {
    s.domain
        .commands
        .values()
        .map(|command| outcome_enum(s, command))
        .collect()
}

fn outcome_enum(s: &ServiceModule<'_>, command: &Command) -> Result<TokenStream, GenError> {
    let events_enum = &s.events_enum;
    let outcome = ident(&format!("{}Outcome", command.name), Some(&command.location))?;
    let variants: Vec<Ident> = outcomes(command)
        .iter()
        .map(|e| ident(e, Some(&command.location)))
        .collect::<Result<_, _>>()?;
    let types: Vec<String> = outcomes(command)
        .iter()
        .filter_map(|e| s.spec.events.get(*e))
        .map(|e| cloud_type(s.system, &e.from.value, &e.name, e.version))
        .collect();
    let outcome_doc = format!(
        " What `{}` decided: one of the events it may emit.",
        command.name
    );
    Ok(quote! {
        #[doc = #outcome_doc]
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #outcome { #(#variants(events::#variants),)* }
        impl #outcome {
            /// The CloudEvents types this command may emit.
            pub const TYPES: &'static [&'static str] = &[#(#types),*];
            /// The CloudEvents type of the decided event.
            pub fn event_type(&self) -> &'static str {
                match *self { #(Self::#variants(_) => <events::#variants as events::Event>::TYPE,)* }
            }
            /// The decided event as one of the domain's events.
            pub fn into_event(self) -> #events_enum {
                match self { #(Self::#variants(e) => #events_enum::#variants(e),)* }
            }
        }
    })
}

/// The command's struct, outcome enum and method names.
struct CommandNames {
    name: Ident,
    outcome: Ident,
    method: Ident,
}

fn command_names(command: &Command) -> Result<CommandNames, GenError> {
    Ok(CommandNames {
        name: ident(&command.name, Some(&command.location))?,
        outcome: ident(&format!("{}Outcome", command.name), Some(&command.location))?,
        method: ident(&command_method(command), Some(&command.location))?,
    })
}

/// `Decide`: the state the service replays, `apply` (when it has events) and one method per
/// command, without default bodies.
pub(super) fn decide_trait(s: &ServiceModule<'_>) -> Result<TokenStream, GenError> {
    let events_enum = &s.events_enum;
    let mut methods = Vec::new();
    for command in s.domain.commands.values() {
        let CommandNames {
            name,
            outcome,
            method,
        } = command_names(command)?;
        let doc = format!(" Decides `{}` against the current state.", command.name);
        methods.push(quote! {
            #[doc = #doc]
            fn #method(&self, state: &Self::State, command: #name) -> #outcome;
        });
    }
    let apply = if s.has_events {
        quote! {
            /// Folds one of the domain's events into the state (replayed before each command).
            fn apply(state: &mut Self::State, event: &#events_enum);
        }
    } else {
        quote!()
    };
    Ok(quote! {
        /// The decisions of the service, implemented in `src/commands.rs` (yours). A new
        /// command in the spec adds a method here, without a default body.
        pub trait Decide: Send + Sync + 'static {
            /// What the service knows, rebuilt from its own events before each command.
            type State: Default + Send;
            #apply
            #(#methods)*
        }
    })
}

/// `ServiceError` and `Service`: one method per command, the state replay, and `record`.
pub(super) fn service(s: &ServiceModule<'_>) -> Result<TokenStream, GenError> {
    let events_enum = &s.events_enum;
    let mut methods = Vec::new();
    for command in s.domain.commands.values() {
        let CommandNames {
            name,
            outcome,
            method,
        } = command_names(command)?;
        let doc = format!(
            " Runs `{}`: replays the state, decides, stores and publishes the event.",
            command.name
        );
        methods.push(quote! {
            #[doc = #doc]
            pub async fn #method(&self, command: #name) -> Result<#outcome, ServiceError> {
                let (state, version) = self.state().await?;
                let outcome = self.decide.#method(&state, command);
                self.record(version, outcome.clone().into_event(), None).await?;
                Ok(outcome)
            }
        });
    }
    let replay = if s.has_events {
        quote! {
            for stored in &stored {
                let event = #events_enum::decode(stored.envelope.event_type(), stored.envelope.data())?;
                D::apply(&mut state, &event);
            }
        }
    } else {
        quote!()
    };
    let record = if s.domain.commands.is_empty() {
        quote!()
    } else {
        quote! {
            /// Stores and publishes `event`; with a `parent` (a request), the event carries its
            /// correlation id and names it as the cause.
            async fn record(&self, version: u64, event: #events_enum, parent: Option<&Envelope>) -> Result<Envelope, ServiceError> {
                let envelope = event.to_envelope(parent);
                self.store.append(STREAM, ExpectedVersion::Exact(version), vec![envelope.clone()]).await?;
                self.publisher.publish(envelope.clone()).await?;
                Ok(envelope)
            }
        }
    };
    let error = service_error();
    Ok(quote! {
        #error

        /// Runs commands: replays the state from the event store, asks `Decide`, appends the
        /// decided event with optimistic concurrency, then publishes it.
        pub struct Service<D, S, P> {
            decide: D,
            store: S,
            publisher: P,
        }

        impl<D: Decide, S: EventStore, P: Publisher> Service<D, S, P> {
            pub fn new(decide: D, store: S, publisher: P) -> Self {
                Self { decide, store, publisher }
            }

            /// The state rebuilt from every stored event, and the stream version it is at.
            pub async fn state(&self) -> Result<(D::State, u64), ServiceError> {
                let stored = self.store.read_stream(STREAM, 0).await?;
                #[allow(unused_mut)]
                let mut state = D::State::default();
                #replay
                Ok((state, stored.last().map_or(0, |s| s.version)))
            }

            #(#methods)*

            #record
        }
    })
}

fn service_error() -> TokenStream {
    quote! {
        /// Why a command could not run.
        #[derive(Debug)]
        pub enum ServiceError {
            Store(StoreError),
            Bus(BusError),
            Decode(events::DecodeError),
        }

        impl std::fmt::Display for ServiceError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Self::Store(e) => write!(f, "{e}"),
                    Self::Bus(e) => write!(f, "{e}"),
                    Self::Decode(e) => write!(f, "{e}"),
                }
            }
        }

        impl std::error::Error for ServiceError {}

        impl From<StoreError> for ServiceError {
            fn from(e: StoreError) -> Self { Self::Store(e) }
        }
        impl From<BusError> for ServiceError {
            fn from(e: BusError) -> Self { Self::Bus(e) }
        }
        impl From<events::DecodeError> for ServiceError {
            fn from(e: events::DecodeError) -> Self { Self::Decode(e) }
        }
    }
}
