//! A domain's generated module (`services/<domain>/src/generated.rs`): its commands and their
//! outcomes, the `Decide` trait (decisions + state replay) and the `Handle` trait (one method
//! per subscribed event, no default body), the dispatcher that decodes deliveries and
//! publishes what handlers emit (stamped with the handled event's correlation and causation),
//! the service that runs commands against an event store, and given/when/then tests.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::GenError;
use super::names::{cloud_type, domain_enum, ident, snake};
use super::types::{doc_attrs, example_body, struct_fields};
use crate::spec::{Command, Domain, Event, Spec};

/// One method of the `Handle` trait: its name and the event it handles.
pub struct HandlerMethod<'a> {
    pub method: String,
    pub event: &'a Event,
}

/// The handler methods of `domain`, in subscription order. A handler name the spec gives to
/// several subscriptions becomes one method per event (`<handler>_<event>`): a method takes
/// one event type.
pub fn handler_methods<'a>(spec: &'a Spec, domain: &Domain) -> Vec<HandlerMethod<'a>> {
    domain
        .subscribes
        .iter()
        .filter_map(|s| {
            let event = spec.events.get(&s.event.value)?;
            let shared = domain
                .subscribes
                .iter()
                .filter(|o| o.handler.value == s.handler.value)
                .count()
                > 1;
            let method = if shared {
                format!("{}_{}", s.handler.value, snake(&event.name))
            } else {
                s.handler.value.clone()
            };
            Some(HandlerMethod { method, event })
        })
        .collect()
}

/// The events `domain` publishes.
pub fn own_events<'a>(spec: &'a Spec, domain: &Domain) -> Vec<&'a Event> {
    spec.events
        .values()
        .filter(|e| e.from.value == domain.name)
        .collect()
}

/// The outcomes of a command: what it emits, then what it rejects with.
pub fn outcomes(command: &Command) -> Vec<&str> {
    command
        .emits
        .iter()
        .chain(&command.rejects_with)
        .map(|e| e.value.as_str())
        .collect()
}

pub fn command_method(command: &Command) -> String {
    snake(&command.name)
}

pub fn file(spec: &Spec, domain: &Domain) -> Result<TokenStream, GenError> {
    let system = &spec.system.value;
    let dname = &domain.name;
    let stream = format!("{system}.{dname}");
    let events_enum = ident(&domain_enum(dname), None)?;
    let ev = quote!(events::);
    let has_events = !own_events(spec, domain).is_empty();
    let methods = handler_methods(spec, domain);

    let mut command_items = Vec::new();
    let mut decide_methods = Vec::new();
    let mut service_methods = Vec::new();
    let mut tests = Vec::new();
    for command in domain.commands.values() {
        let name = ident(&command.name, Some(&command.location))?;
        let outcome = ident(&format!("{}Outcome", command.name), Some(&command.location))?;
        let method = ident(&command_method(command), Some(&command.location))?;
        let doc = doc_attrs(command.description.as_deref());
        let fields = struct_fields(&command.fields, &ev)?;
        let example = example_body(&command.fields, &ev)?;
        let variants: Vec<Ident> = outcomes(command)
            .iter()
            .map(|e| ident(e, Some(&command.location)))
            .collect::<Result<_, _>>()?;
        let types: Vec<String> = outcomes(command)
            .iter()
            .filter_map(|e| spec.events.get(*e))
            .map(|e| cloud_type(system, &e.from.value, &e.name, e.version))
            .collect();
        let outcome_doc = format!(
            " What `{}` decided: one of the events it may emit.",
            command.name
        );
        let _ = (doc, fields, example);
        command_items.push(quote! {
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
        });
        let decide_doc = format!(" Decides `{}` against the current state.", command.name);
        decide_methods.push(quote! {
            #[doc = #decide_doc]
            fn #method(&self, state: &Self::State, command: #name) -> #outcome;
        });
        let run_doc = format!(
            " Runs `{}`: replays the state, decides, stores and publishes the event.",
            command.name
        );
        service_methods.push(quote! {
            #[doc = #run_doc]
            pub async fn #method(&self, command: #name) -> Result<#outcome, ServiceError> {
                let (state, version) = self.state().await?;
                let outcome = self.decide.#method(&state, command);
                self.record(version, outcome.clone().into_event(), None).await?;
                Ok(outcome)
            }
        });
        let test_name = ident(
            &format!(
                "{}_emits_one_of_its_events_and_stores_it",
                command_method(command)
            ),
            None,
        )?;
        tests.push(quote! {
            #[tokio::test]
            async fn #test_name() {
                // Given a service with no history,
                let store = MemoryEventStore::new();
                let bus = MemoryBus::new();
                let service = Service::new(crate::Commands::default(), store.clone(), bus.clone());
                // when the command runs,
                let outcome = service.#method(#name::example()).await.expect("the command runs");
                // then it decided one of its declared events, stored it and counts it in the state.
                assert!(#outcome::TYPES.contains(&outcome.event_type()));
                let stored = store.read_stream(STREAM, 0).await.expect("the stream reads");
                assert_eq!(stored.len(), 1);
                assert_eq!(stored[0].envelope.event_type(), outcome.event_type());
                let (_, version) = service.state().await.expect("the state replays");
                assert_eq!(version, 1);
            }
        });
    }

    let mut handle_methods = Vec::new();
    let mut dispatch_arms = Vec::new();
    for m in &methods {
        let method = ident(&m.method, None)?;
        let event = ident(&m.event.name, Some(&m.event.location))?;
        let t = cloud_type(system, &m.event.from.value, &m.event.name, m.event.version);
        let doc = format!(
            " Handles `{}` (from `{}`).",
            m.event.name, m.event.from.value
        );
        let method_name = &m.method;
        handle_methods.push(quote! {
            #[doc = #doc]
            fn #method(&self, event: &events::#event, out: &mut Emitter<'_>) -> Result<(), HandlerError>;
        });
        dispatch_arms.push(quote! {
            #t => {
                let event: events::#event = envelope.decode()?;
                self.handlers.#method(&event, &mut out)?;
                #method_name
            }
        });
    }
    let subscribed_types: Vec<String> = {
        let mut t: Vec<String> = methods
            .iter()
            .map(|m| cloud_type(system, &m.event.from.value, &m.event.name, m.event.version))
            .collect();
        t.sort();
        t.dedup();
        t
    };

    let replay = if has_events {
        quote! {
            for stored in &stored {
                let event = #events_enum::decode(stored.envelope.event_type(), stored.envelope.data())?;
                D::apply(&mut state, &event);
            }
        }
    } else {
        quote!()
    };
    let apply = if has_events {
        quote! {
            /// Folds one of the domain's events into the state (replayed before each command).
            fn apply(state: &mut Self::State, event: &#events_enum);
        }
    } else {
        quote!()
    };
    let record = if domain.commands.is_empty() {
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
    let dispatcher = if methods.is_empty() {
        quote!()
    } else {
        quote! {
            /// The CloudEvents types this service subscribes to.
            pub const SUBSCRIBED_TYPES: &[&str] = &[#(#subscribed_types),*];

            /// Decodes each delivery, calls its `Handle` method and publishes what it emitted.
            pub struct Dispatcher<H, P> {
                handlers: Arc<H>,
                publisher: P,
                handled: Arc<Mutex<Vec<&'static str>>>,
            }

            impl<H, P: Clone> Clone for Dispatcher<H, P> {
                fn clone(&self) -> Self {
                    Self { handlers: Arc::clone(&self.handlers), publisher: self.publisher.clone(), handled: Arc::clone(&self.handled) }
                }
            }

            impl<H: Handle, P: Publisher + Clone + 'static> Dispatcher<H, P> {
                pub fn new(handlers: Arc<H>, publisher: P) -> Self {
                    Self { handlers, publisher, handled: Arc::default() }
                }

                /// The subscription of this service: every type it handles.
                pub fn subscription(retry: RetryPolicy) -> Subscription {
                    Subscription::new(SUBSCRIPTION, SUBSCRIBED_TYPES.iter().copied()).with_retry(retry)
                }

                /// The handler methods that completed, in order (one entry per handled event).
                pub fn handled(&self) -> Vec<&'static str> {
                    self.handled.lock().unwrap_or_else(PoisonError::into_inner).clone()
                }

                fn dispatch(&self, envelope: &Envelope) -> Result<Vec<Envelope>, HandlerError> {
                    let mut out = Emitter::new(envelope);
                    let method = match envelope.event_type() {
                        #(#dispatch_arms)*
                        other => return Err(HandlerError::permanent(format!("{SUBSCRIPTION} does not handle `{other}`"))),
                    };
                    self.handled.lock().unwrap_or_else(PoisonError::into_inner).push(method);
                    Ok(out.into_envelopes())
                }
            }

            impl<H: Handle, P: Publisher + Clone + 'static> Handler for Dispatcher<H, P> {
                fn handle(&self, envelope: &Envelope) -> impl Future<Output = Result<(), HandlerError>> + Send {
                    let emitted = self.dispatch(envelope);
                    let publisher = self.publisher.clone();
                    async move {
                        let emitted = emitted?;
                        if emitted.is_empty() {
                            return Ok(());
                        }
                        publisher.publish_all(emitted).await.map_err(|e| HandlerError::transient(e.to_string()))
                    }
                }
            }

            /// Subscribes `handlers` to this service's events on `bus`; events they emit are
            /// published on the same bus.
            pub async fn subscribe<H: Handle, T: Transport + Clone + 'static>(
                bus: &T,
                handlers: Arc<H>,
                retry: RetryPolicy,
            ) -> Result<Dispatcher<H, T>, BusError> {
                let dispatcher = Dispatcher::new(handlers, bus.clone());
                bus.subscribe(Dispatcher::<H, T>::subscription(retry), dispatcher.clone()).await?;
                Ok(dispatcher)
            }
        }
    };
    let requests = requests(spec, domain)?;
    let serves_requests = !requests.is_empty();
    let sagas = super::saga::owned(spec, domain)
        .into_iter()
        .map(|saga| super::saga::module(spec, &super::saga::plan(spec, saga)?))
        .collect::<Result<Vec<_>, GenError>>()?;
    let commands_import = if domain.commands.is_empty() {
        quote!()
    } else {
        let module = ident(&domain.name, Some(&domain.location))?;
        quote!(pub use events::commands::#module::*;)
    };
    let sync_imports = if methods.is_empty() && !serves_requests {
        quote!()
    } else if methods.is_empty() {
        quote!(
            use std::sync::Arc;
        )
    } else {
        quote!(
            use std::sync::{Arc, Mutex, PoisonError};
        )
    };
    let runtime_imports = if methods.is_empty() && !serves_requests {
        quote!(
            use fissure_runtime::{BusError, Envelope, EventStore, Publisher, StoreError};
        )
    } else {
        quote!(
            use fissure_runtime::{
                BusError, Envelope, EventStore, Handler, HandlerError, Publisher, RetryPolicy,
                StoreError, Subscription, Transport,
            };
        )
    };
    let events_import = if has_events {
        quote!(use events::#events_enum;)
    } else {
        quote!()
    };
    let expected_version = if domain.commands.is_empty() {
        quote!()
    } else {
        quote!(
            use fissure_runtime::ExpectedVersion;
        )
    };
    let test_module = if tests.is_empty() {
        quote!()
    } else {
        quote! {
            #[cfg(test)]
            mod tests {
                use fissure_runtime::{EventStore, MemoryBus, MemoryEventStore};

                use super::*;

                #(#tests)*
            }
        }
    };
    let emit = if has_events {
        quote! {
            /// Publishes one of this domain's events once the handler succeeds.
            pub fn emit(&mut self, event: impl Into<#events_enum>) {
                self.emitted.push(event.into().to_envelope(Some(self.parent)));
            }
        }
    } else {
        quote!()
    };
    let module_doc = format!(
        " The generated part of the `{dname}` service: commands, handler trait, dispatcher, service."
    );
    Ok(quote! {
        #![doc = #module_doc]
        #![allow(dead_code)]
        // `Commands` is the user's type: a unit struct at first, maybe not later.
        #![allow(clippy::default_constructed_unit_structs)]

        #sync_imports

        #events_import
        #runtime_imports
        #expected_version

        /// The domain this service implements.
        pub const DOMAIN: &str = #dname;
        /// The event-store stream of this service's events.
        pub const STREAM: &str = #stream;
        /// The name of this service's subscription (and of its dead-letter queue).
        pub const SUBSCRIPTION: &str = #stream;

        #commands_import

        #(#command_items)*

        /// The decisions of the service, implemented in `src/commands.rs` (yours). A new
        /// command in the spec adds a method here, without a default body.
        pub trait Decide: Send + Sync + 'static {
            /// What the service knows, rebuilt from its own events before each command.
            type State: Default + Send;
            #apply
            #(#decide_methods)*
        }

        /// The event handlers of the service, implemented in `src/handlers.rs` (yours): one
        /// method per subscribed event, no default body, so a new subscription in the spec is
        /// a compile error naming the method still to write.
        pub trait Handle: Send + Sync + 'static {
            #(#handle_methods)*
        }

        /// Collects the events a handler emits, stamped with the correlation id of the event
        /// being handled and with that event as their cause.
        pub struct Emitter<'a> {
            parent: &'a Envelope,
            emitted: Vec<Envelope>,
        }

        impl<'a> Emitter<'a> {
            pub fn new(parent: &'a Envelope) -> Self {
                Self { parent, emitted: Vec::new() }
            }
            /// The event being handled.
            pub fn parent(&self) -> &Envelope {
                self.parent
            }
            #emit
            pub fn into_envelopes(self) -> Vec<Envelope> {
                self.emitted
            }
        }

        #dispatcher

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

            #(#service_methods)*

            #record
        }

        #requests

        #(#sagas)*

        #test_module
    })
}

/// The request side of a service: runs the commands sagas send as requests.
fn requests(spec: &Spec, domain: &Domain) -> Result<TokenStream, GenError> {
    let requested = super::saga::requested(spec, domain);
    if requested.is_empty() {
        return Ok(quote!());
    }
    let system = &spec.system.value;
    let subscription = format!("{system}.{}.requests", domain.name);
    let mut types = Vec::new();
    let mut arms = Vec::new();
    for command in &requested {
        let name = ident(&command.name, Some(&command.location))?;
        let method = ident(&command_method(command), Some(&command.location))?;
        let t = super::saga::request_type(system, &domain.name, &command.name);
        types.push(t.clone());
        arms.push(quote! {
            #t => {
                let command: #name = request.decode().map_err(|e| HandlerError::permanent(e.to_string()))?;
                self.decide.#method(&state, command).into_event()
            }
        });
    }
    Ok(quote! {
        /// The CloudEvents types of the command requests this service runs (sagas send them).
        pub const REQUEST_TYPES: &[&str] = &[#(#types),*];
        /// The subscription that receives them.
        pub const REQUEST_SUBSCRIPTION: &str = #subscription;

        impl<D: Decide, S: EventStore, P: Publisher> Service<D, S, P> {
            /// Runs a command request: decides, stores, and publishes the decided event as
            /// caused by the request (so the saga that sent it recognises the reply). A lost
            /// optimistic-concurrency race is transient: the bus redelivers the request.
            pub async fn run_request(&self, request: &Envelope) -> Result<&'static str, HandlerError> {
                let (state, version) = self.state().await.map_err(|e| HandlerError::transient(e.to_string()))?;
                let event = match request.event_type() {
                    #(#arms)*
                    other => return Err(HandlerError::permanent(format!("{REQUEST_SUBSCRIPTION} does not run `{other}`"))),
                };
                let decided = event.event_type();
                self.record(version, event, Some(request)).await.map_err(|e| HandlerError::transient(e.to_string()))?;
                Ok(decided)
            }
        }

        /// Delivers command requests to a shared service.
        pub struct Requests<D, S, P>(pub Arc<Service<D, S, P>>);

        impl<D: Decide, S: EventStore + 'static, P: Publisher + 'static> Handler for Requests<D, S, P> {
            async fn handle(&self, request: &Envelope) -> Result<(), HandlerError> {
                self.0.run_request(request).await.map(|_| ())
            }
        }

        /// Subscribes `service` to its command requests on `bus`.
        pub async fn serve_requests<D: Decide, S: EventStore + 'static, T: Transport + Clone + 'static>(
            bus: &T,
            service: Arc<Service<D, S, T>>,
            retry: RetryPolicy,
        ) -> Result<(), BusError> {
            let subscription = Subscription::new(REQUEST_SUBSCRIPTION, REQUEST_TYPES.iter().copied()).with_retry(retry);
            bus.subscribe(subscription, Requests(service)).await
        }
    })
}
