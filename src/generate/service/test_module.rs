//! Generates the `mod tests` of a service: per command, given a service with no history,
//! when the command runs, then it decided one of its declared events, stored it and counts
//! it in the replayed state.

use proc_macro2::TokenStream;
use quote::quote;

use super::ServiceModule;
use crate::generate::GenError;
use crate::generate::names::ident;
use crate::generate::spec_view::command_method;

/// Nothing for a service without commands.
pub(super) fn tests(s: &ServiceModule<'_>) -> Result<TokenStream, GenError> {
    let mut tests = Vec::new();
    for command in s.domain.commands.values() {
        let name = ident(&command.name, Some(&command.location))?;
        let outcome = ident(&format!("{}Outcome", command.name), Some(&command.location))?;
        let method = ident(&command_method(command), Some(&command.location))?;
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
    if tests.is_empty() {
        return Ok(quote!());
    }
    Ok(quote! {
        #[cfg(test)]
        mod tests {
            use fissure_runtime::{EventStore, MemoryBus, MemoryEventStore};

            use super::*;

            #(#tests)*
        }
    })
}
