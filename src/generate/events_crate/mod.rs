//! The events crate (`events/src/generated.rs`): the system's value types and events
//! ([`structs`]), one enum per domain and `AnyEvent`, which decode any event from its
//! CloudEvents type ([`enums`]), the commands sagas send ([`commands`]), and how older
//! versions of events decode into the current ones ([`upcasts`]). What does not
//! depend on the spec (`Event`, `Command`, `Date`, `Decimal`, `DecodeError`) is the runtime's
//! `fissure_runtime::contract`, re-exported.

mod commands;
mod enums;
mod structs;
mod upcasts;

pub use upcasts::{UpcastFunction, user_functions};

use proc_macro2::TokenStream;
use quote::quote;

use super::GenError;
use super::names::cloud_type;
use crate::spec::Spec;

pub fn file(spec: &Spec) -> Result<TokenStream, GenError> {
    let system = &spec.system.value;
    let mut all_types: Vec<String> = spec
        .events
        .values()
        .map(|e| cloud_type(system, &e.from.value, &e.name, e.version))
        .collect();
    all_types.sort();
    let mut items = structs::value_types(spec)?;
    for event in spec.events.values() {
        items.push(structs::event_struct(system, event)?);
    }
    for domain in spec.domains.keys() {
        items.push(enums::domain_enum(spec, domain)?);
    }
    let commands = commands::modules(spec)?;
    let any_event = enums::any_event(spec)?;
    let upcast_tests = upcasts::tests(spec)?;
    Ok(quote! {
        //! The event contract of the system: value types, events, one enum per domain, and
        //! the registry that decodes any event from its CloudEvents type.

        use fissure_runtime::{Envelope, serde_json};
        pub use fissure_runtime::contract::{Command, Date, Decimal, DecodeError, Event};
        use serde::{Deserialize, Serialize};

        /// The system name: the first part of every event type and source.
        pub const SYSTEM: &str = #system;

        /// Every CloudEvents type of the system, sorted.
        pub const EVENT_TYPES: &[&str] = &[#(#all_types),*];

        #(#items)*

        #commands

        #any_event

        #upcast_tests
    })
}
