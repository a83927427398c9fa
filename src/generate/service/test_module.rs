//! Generates the `mod tests` of a service: per command, given a service with no history,
//! when the command runs, then it decided one of its declared events, stored it and counts
//! it in the replayed state; and for events whose older version upcasts, given the previous
//! version's example, the publisher replays it from its store and each subscriber handles it.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::ServiceModule;
use crate::generate::GenError;
use crate::generate::names::{cloud_type, ident, snake};
use crate::generate::spec_view::{command_method, own_events};
use crate::spec::{Event, UpcastRule};

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
    let upcasts = upcast_tests(s)?;
    if tests.is_empty() && upcasts.is_empty() {
        return Ok(quote!());
    }
    let replays = upcasts.iter().any(|t| t.replays);
    let mut imports = vec!["MemoryBus"];
    if !tests.is_empty() || replays {
        imports.extend(["EventStore", "MemoryEventStore"]);
    }
    if replays {
        imports.push("ExpectedVersion");
    }
    imports.sort_unstable();
    let imports: Vec<Ident> = imports
        .into_iter()
        .map(|i| Ident::new(i, Span::call_site()))
        .collect();
    let upcasts = upcasts.into_iter().map(|t| t.test);
    Ok(quote! {
        #[cfg(test)]
        mod tests {
            use fissure_runtime::{#(#imports),*};

            use super::*;

            #(#tests)*
            #(#upcasts)*
        }
    })
}

struct UpcastTest {
    test: TokenStream,
    /// Whether it replays the store (else it dispatches a delivery).
    replays: bool,
}

/// For each event with a declared upcast (see `events_crate::upcasts`): the service that
/// publishes it replays a stored event of the previous version, and each handler of it
/// handles a delivery of the previous version.
fn upcast_tests(s: &ServiceModule<'_>) -> Result<Vec<UpcastTest>, GenError> {
    let declared = |e: &Event| {
        matches!(
            e.upcast.as_ref().map(|u| &u.rule),
            Some(UpcastRule::Declared { .. })
        )
    };
    let old_type = |e: &Event| cloud_type(s.system, &e.from.value, &e.name, e.version - 1);
    let mut out = Vec::new();
    for event in own_events(s.spec, s.domain)
        .into_iter()
        .filter(|e| declared(e))
    {
        let name = ident(&event.name, Some(&event.location))?;
        let old = old_type(event);
        let test = ident(
            &format!(
                "a_stored_{}_of_version_{}_replays",
                snake(&event.name),
                event.version - 1
            ),
            None,
        )?;
        out.push(UpcastTest {
            replays: true,
            test: quote! {
                #[tokio::test]
                async fn #test() {
                    let store = MemoryEventStore::new();
                    let old = Envelope::new("test", #old, events::#name::previous_example());
                    store.append(STREAM, ExpectedVersion::NoStream, vec![old]).await.expect("appends");
                    let service = Service::new(crate::Commands::default(), store, MemoryBus::new());
                    let (_, version) = service.state().await.expect("the previous version replays");
                    assert_eq!(version, 1);
                }
            },
        });
    }
    for m in s.methods.iter().filter(|m| declared(m.event)) {
        let name = ident(&m.event.name, Some(&m.event.location))?;
        let old = old_type(m.event);
        let method = &m.method;
        let test = ident(
            &format!(
                "{method}_handles_{}_of_version_{}",
                snake(&m.event.name),
                m.event.version - 1
            ),
            None,
        )?;
        out.push(UpcastTest {
            replays: false,
            test: quote! {
                #[tokio::test]
                async fn #test() {
                    assert!(SUBSCRIBED_TYPES.contains(&#old));
                    let dispatcher = Dispatcher::new(Arc::new(crate::Handlers::default()), MemoryBus::new());
                    let old = Envelope::new("test", #old, events::#name::previous_example());
                    dispatcher.handle(&old).await.expect("the previous version is handled");
                    assert_eq!(dispatcher.handled(), vec![#method]);
                }
            },
        });
    }
    Ok(out)
}
