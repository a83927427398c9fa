//! The request side of a service: the commands sagas send as request events
//! (`<system>.<domain>.<Command>.request`), run by the service, whose decided event is
//! published as caused by the request (so the saga recognises the reply).

use proc_macro2::TokenStream;
use quote::quote;

use super::ServiceModule;
use crate::generate::GenError;
use crate::generate::names::{ident, request_type};
use crate::generate::spec_view::{command_method, requested_commands};

/// Nothing for a service no saga sends requests to.
pub(super) fn items(s: &ServiceModule<'_>) -> Result<TokenStream, GenError> {
    let requested = requested_commands(s.spec, s.domain);
    if requested.is_empty() {
        return Ok(quote!());
    }
    let subscription = fissure_runtime::naming::request_subscription(s.system, &s.domain.name);
    let mut types = Vec::new();
    let mut arms = Vec::new();
    for command in &requested {
        let name = ident(&command.name, Some(&command.location))?;
        let method = ident(&command_method(command), Some(&command.location))?;
        let t = request_type(s.system, &s.domain.name, &command.name);
        types.push(t.clone());
        arms.push(quote! {
            #t => {
                let command: #name = request.decode().map_err(|e| HandlerError::permanent(e.to_string()))?;
                self.decide.#method(&state, command).into_event()
            }
        });
    }
    let serve = serve_requests();
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

        #serve
    })
}

/// `Requests` (the handler) and `serve_requests` (its subscription on a bus).
fn serve_requests() -> TokenStream {
    quote! {
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
    }
}
