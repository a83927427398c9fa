//! Names in generated code. Every name comes from a validated spec identifier; this module
//! turns them into token identifiers (refusing anything that is not one, keywords included,
//! instead of panicking), derives the names generated code uses (enums, crates, CloudEvents
//! types, saga modules), and rejects specs whose names would clash with the names the
//! generator itself introduces.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span};

use super::GenError;
use crate::diagnostics::Location;
use crate::spec::Spec;
use crate::syntax::print::is_identifier;

/// Names the events crate defines next to the spec's events and types.
const EVENTS_CRATE_NAMES: &[&str] = &[
    "Event",
    "AnyEvent",
    "Command",
    "DecodeError",
    "Date",
    "Decimal",
    "commands",
];

/// Names each service's generated module defines next to its commands.
const SERVICE_NAMES: &[&str] = &[
    "Decide",
    "Handle",
    "Emitter",
    "Dispatcher",
    "Service",
    "ServiceError",
    "Commands",
    "Handlers",
    "State",
];

/// A Rust identifier for `name`, or an error when it is not one (a keyword, a path, text).
pub fn ident(name: &str, location: Option<&Location>) -> Result<Ident, GenError> {
    if is_identifier(name) {
        Ok(Ident::new(name, Span::call_site()))
    } else {
        Err(GenError {
            message: format!("`{name}` is not a Rust identifier; generated code needs one"),
            location: location.cloned(),
        })
    }
}

/// `UserRegistered` -> `user_registered`.
pub fn snake(pascal: &str) -> String {
    let mut out = String::new();
    for (i, c) in pascal.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `order_lines` -> `OrderLines`.
pub fn pascal(snake: &str) -> String {
    snake
        .split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect()
}

/// The enum of a domain's events in the events crate: `users` -> `UsersEvents`.
pub fn domain_enum(domain: &str) -> String {
    format!("{}Events", pascal(domain))
}

/// The library name of a domain's service crate.
pub fn service_crate(domain: &str) -> String {
    format!("{domain}_service")
}

/// The CloudEvents type of an event: `<system>.<domain>.<Event>.v<version>`.
pub fn cloud_type(system: &str, domain: &str, event: &str, version: u32) -> String {
    fissure_runtime::naming::event_type(system, domain, event, version)
}

/// The CloudEvents types of the older versions of `event` that decode into it: the previous
/// version for a declared upcast, every older one for an upcast function, none without.
pub fn previous_types(system: &str, event: &crate::spec::Event) -> Vec<String> {
    use crate::spec::UpcastRule;
    let oldest = match event.upcast.as_ref().map(|u| &u.rule) {
        None => return Vec::new(),
        Some(UpcastRule::Declared { .. }) => event.version.saturating_sub(1).max(1),
        Some(UpcastRule::Function) => 1,
    };
    (oldest..event.version)
        .map(|v| cloud_type(system, &event.from.value, &event.name, v))
        .collect()
}

/// The CloudEvents type of a request to run a command: `<system>.<domain>.<Command>.request`.
pub fn request_type(system: &str, domain: &str, command: &str) -> String {
    fissure_runtime::naming::request_type(system, domain, command)
}

/// `booking` -> `booking_saga`, the module of a saga in its owner's generated code.
pub fn saga_module(saga: &str) -> String {
    format!("{saga}_saga")
}

/// Refuses specs whose event, type or command names would clash with generated names, or
/// with each other once placed in the same module.
pub fn check_clashes(spec: &Spec) -> Result<(), GenError> {
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for name in EVENTS_CRATE_NAMES {
        taken.insert(
            (*name).to_string(),
            "a name the events crate defines".to_string(),
        );
    }
    for domain in spec.domains.keys() {
        taken.insert(
            domain_enum(domain),
            format!("the event enum of domain `{domain}`"),
        );
    }
    let mut claim = |name: &str, what: &str, location: &Location| -> Result<(), GenError> {
        match taken.get(name) {
            Some(other) => Err(GenError {
                message: format!("{what} `{name}` clashes with {other}; rename it"),
                location: Some(location.clone()),
            }),
            None => {
                taken.insert(name.to_string(), format!("{what} `{name}`"));
                Ok(())
            }
        }
    };
    for event in spec.events.values() {
        claim(&event.name, "event", &event.location)?;
    }
    for ty in spec.types.values() {
        claim(&ty.name, "type", &ty.location)?;
    }
    for domain in spec.domains.values() {
        let mut local: BTreeMap<String, ()> = SERVICE_NAMES
            .iter()
            .map(|n| ((*n).to_string(), ()))
            .collect();
        for command in domain.commands.values() {
            for name in [command.name.clone(), format!("{}Outcome", command.name)] {
                if taken.contains_key(&name) || local.insert(name.clone(), ()).is_some() {
                    return Err(GenError {
                        message: format!(
                            "command `{}` of domain `{}` needs the name `{name}`, which is already taken; rename it",
                            command.name, domain.name
                        ),
                        location: Some(command.location.clone()),
                    });
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_convert_both_ways() {
        assert_eq!(snake("UserRegistered"), "user_registered");
        assert_eq!(pascal("order_lines"), "OrderLines");
        assert_eq!(domain_enum("users"), "UsersEvents");
    }

    #[test]
    fn keywords_and_paths_are_not_identifiers() {
        assert!(ident("type", None).is_err());
        assert!(ident("../x", None).is_err());
        assert!(ident("a*/b", None).is_err());
        assert_eq!(
            ident("user_id", None).map(|i| i.to_string()),
            Ok("user_id".to_string())
        );
    }
}
