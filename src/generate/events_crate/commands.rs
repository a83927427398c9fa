//! `commands::<domain>`: one struct per command of each domain that has commands, with
//! example data and its `Command` impl (the request type sagas send).

use proc_macro2::TokenStream;
use quote::quote;

use crate::generate::GenError;
use crate::generate::names::{ident, request_type};
use crate::generate::types::{data_struct, doc_attrs, example_body, struct_fields};
use crate::spec::{Command, Domain, Spec};

/// Nothing when no domain has commands.
pub(super) fn modules(spec: &Spec) -> Result<TokenStream, GenError> {
    let modules = spec
        .domains
        .values()
        .filter(|d| !d.commands.is_empty())
        .map(|domain| module(&spec.system.value, domain))
        .collect::<Result<Vec<_>, GenError>>()?;
    if modules.is_empty() {
        return Ok(quote!());
    }
    Ok(quote! {
        /// The commands of every domain, one module per domain.
        pub mod commands {
            #(#modules)*
        }
    })
}

fn module(system: &str, domain: &Domain) -> Result<TokenStream, GenError> {
    let module = ident(&domain.name, Some(&domain.location))?;
    let module_doc = format!(" The commands of the `{}` domain.", domain.name);
    let items = domain
        .commands
        .values()
        .map(|command| command_struct(system, &domain.name, command))
        .collect::<Result<Vec<_>, GenError>>()?;
    Ok(quote! {
        #[doc = #module_doc]
        pub mod #module {
            use serde::{Deserialize, Serialize};

            use crate::Command;

            #(#items)*
        }
    })
}

fn command_struct(system: &str, domain: &str, command: &Command) -> Result<TokenStream, GenError> {
    let prefix = quote!(crate::);
    let name = ident(&command.name, Some(&command.location))?;
    let doc = doc_attrs(command.description.as_deref());
    let fields = struct_fields(&command.fields, &prefix)?;
    let example = example_body(&command.fields, &prefix)?;
    let command_name = &command.name;
    let t = request_type(system, domain, &command.name);
    let data = data_struct(
        &name,
        &fields,
        &example,
        "A command with example data, for tests and demos.",
    );
    Ok(quote! {
        #doc
        #data
        impl Command for #name {
            const DOMAIN: &'static str = #domain;
            const NAME: &'static str = #command_name;
            const TYPE: &'static str = #t;
        }
    })
}
