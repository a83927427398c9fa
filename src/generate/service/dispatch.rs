//! The `Dispatcher` of a service that subscribes to events: it decodes each delivery, calls
//! the `Handle` method of its type and publishes what the handler emitted; and `subscribe`,
//! which puts it on a bus.

use proc_macro2::TokenStream;
use quote::quote;

use super::ServiceModule;
use crate::generate::GenError;
use crate::generate::names::{cloud_type, ident, previous_types};

/// Nothing for a service without subscriptions.
pub(super) fn items(s: &ServiceModule<'_>) -> Result<TokenStream, GenError> {
    if s.methods.is_empty() {
        return Ok(quote!());
    }
    let mut arms = Vec::new();
    for m in &s.methods {
        let method = ident(&m.method, None)?;
        let event = ident(&m.event.name, Some(&m.event.location))?;
        let t = cloud_type(
            s.system,
            &m.event.from.value,
            &m.event.name,
            m.event.version,
        );
        let method_name = &m.method;
        // Producers still at an older version publish under its type: upcast on receipt.
        let older = previous_types(s.system, m.event);
        arms.push(quote! {
            #t #(| #older)* => {
                let event = <events::#event as events::Event>::from_envelope(envelope)?;
                self.handlers.#method(&event, &mut out)?;
                #method_name
            }
        });
    }
    let mut subscribed_types: Vec<String> = s
        .methods
        .iter()
        .flat_map(|m| {
            let current = cloud_type(
                s.system,
                &m.event.from.value,
                &m.event.name,
                m.event.version,
            );
            std::iter::once(current).chain(previous_types(s.system, m.event))
        })
        .collect();
    subscribed_types.sort();
    subscribed_types.dedup();
    let dispatcher = dispatcher(&arms);
    let handler_impl = handler_impl();
    Ok(quote! {
        /// The CloudEvents types this service subscribes to, older versions that upcast included.
        pub const SUBSCRIBED_TYPES: &[&str] = &[#(#subscribed_types),*];

        #dispatcher

        #handler_impl
    })
}

/// `Dispatcher`: `arms` map each subscribed type to its `Handle` method.
fn dispatcher(arms: &[TokenStream]) -> TokenStream {
    quote! {
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
                    #(#arms)*
                    other => return Err(HandlerError::permanent(format!("{SUBSCRIPTION} does not handle `{other}`"))),
                };
                self.handled.lock().unwrap_or_else(PoisonError::into_inner).push(method);
                Ok(out.into_envelopes())
            }
        }
    }
}

/// `Handler for Dispatcher` and `subscribe`: the dispatcher on a bus.
fn handler_impl() -> TokenStream {
    quote! {
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
}
