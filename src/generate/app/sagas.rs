//! The app side of sagas: one engine per saga on the app's bus (saga store chosen by
//! `FISSURE_SAGA_STORE`: memory by default, PostgreSQL with the `postgres` feature; resumed on
//! start, timeouts swept every second), and the demo's two runs of each saga —
//! the success case on the real services, and a failure case against scripted participants
//! where one step's service answers with its failure event.

use proc_macro2::TokenStream;
use quote::quote;

use crate::generate::GenError;
use crate::generate::names::{ident, saga_module, service_crate};
use crate::generate::saga::{OutcomePlan, SagaPlan, command_path, plan};
use crate::spec::{FieldType, Spec};

/// What sagas add to the app: `App` fields, lines of `App::start`, field inits, the demo's
/// saga runs and the imports they need.
#[derive(Default)]
pub struct AppSagas {
    pub fields: Vec<TokenStream>,
    pub lets: Vec<TokenStream>,
    pub inits: Vec<TokenStream>,
    pub demo: TokenStream,
    pub imports: TokenStream,
}

pub fn wiring(spec: &Spec) -> Result<AppSagas, GenError> {
    if spec.sagas.is_empty() {
        return Ok(AppSagas::default());
    }
    let mut out = AppSagas::default();
    let mut demo = Vec::new();
    let system = spec.system.value.as_str();
    for (n, saga) in spec.sagas.values().enumerate() {
        let p = plan(spec, saga)?;
        let krate = ident(&service_crate(&saga.owner.value), None)?;
        let module = ident(&saga_module(&saga.name), Some(&saga.location))?;
        let field = module.clone();
        out.fields.push(quote!(pub #field: Arc<SagaEngine<#krate::#module::Flow<#krate::Sagas>, AnySagaStore, T>>));
        out.lets.push(quote! {
            let #field = Arc::new(#krate::#module::engine(#krate::Sagas::default(), AnySagaStore::from_env(#system).await?, bus.clone()));
            bus.subscribe(#field.subscription().with_retry(retry.clone()), Arc::clone(&#field)).await?;
            #field.resume().await?;
            timeouts.push(SagaEngine::spawn_timeouts(Arc::clone(&#field), Duration::from_secs(1)));
        });
        out.inits.push(quote!(#field));
        demo.push(demo_runs(&p, n, &krate, &module)?);
    }
    out.lets.insert(0, quote!(let mut timeouts = Vec::new();));
    out.fields
        .push(quote!(pub timeouts: Vec<tokio::task::JoinHandle<()>>));
    out.inits.push(quote!(timeouts));
    out.imports = quote! {
        use std::time::Duration;

        use events::Event as _;
        use fissure_runtime::saga::{AnySagaStore, MemorySagaStore, Participants, SagaEngine, SagaInstance};
        use fissure_runtime::{MemoryBus, Publisher};

        /// Prints what a saga instance went through.
        fn print_saga(instance: Option<SagaInstance>) {
            match instance {
                Some(instance) => {
                    for line in &instance.history {
                        println!("  {line}");
                    }
                    println!("  => {:?}", instance.status);
                }
                None => println!("  (the saga did not start)"),
            }
        }
    };
    out.demo = quote!(#(#demo)*);
    Ok(out)
}

/// The step a demo makes fail: the last one before (or at) the pivot that has a failure
/// event, so the most compensations run.
fn failing_step(p: &SagaPlan<'_>) -> Option<usize> {
    let last = p
        .steps
        .iter()
        .position(|s| s.pivot)
        .unwrap_or(p.steps.len().saturating_sub(1));
    (0..=last).rev().find(|&n| {
        p.steps
            .get(n)
            .is_some_and(|s| s.invoke.is_some() && !s.failure.is_empty())
    })
}

fn demo_runs(
    p: &SagaPlan<'_>,
    n: usize,
    krate: &proc_macro2::Ident,
    module: &proc_macro2::Ident,
) -> Result<TokenStream, GenError> {
    let saga = p.saga;
    let name = &saga.name;
    let correlate_by = &saga.correlate_by.value;
    let start = ident(&p.start.name, Some(&p.start.location))?;
    let fresh = fresh_key(p, n)?;
    let title = format!("saga {name}, success case (the services answer):");
    let success = quote! {
        println!(#title);
        let mut start = events::#start::example();
        #fresh
        let key = fissure_runtime::saga::key_of(&fissure_runtime::serde_json::to_value(&start)?, #correlate_by).unwrap_or_default();
        app.bus.publish(start.to_envelope(None)).await?;
        app.bus.drain().await;
        print_saga(app.#module.instance(&key).await?);
    };
    let Some(failing) = failing_step(p) else {
        return Ok(success);
    };
    let step = &p.steps[failing];
    let Some(invoked) = &step.invoke else {
        return Ok(success);
    };
    let command = command_path(invoked)?;
    let outcome = match &p.on_failure {
        Some(OutcomePlan::Command(i)) => format!(", then {}", i.command.name),
        Some(OutcomePlan::Event(e)) => format!(", then {}", e.name),
        None => String::new(),
    };
    let title = format!(
        "saga {name}, failure case ({} answers {} with {}; scripted participants{outcome}):",
        invoked.domain,
        invoked.command.name,
        step.failure
            .first()
            .map_or("a failure", |e| e.name.as_str())
    );
    Ok(quote! {
        #success
        {
            println!(#title);
            let bus = MemoryBus::new();
            let engine = Arc::new(#krate::#module::engine(#krate::Sagas::default(), MemorySagaStore::new(), bus.clone()));
            bus.subscribe(engine.subscription(), Arc::clone(&engine)).await?;
            let participants = Participants::new(bus.clone(), #correlate_by, #krate::#module::scripts());
            bus.subscribe(participants.subscription(), participants.clone()).await?;
            participants.fail(<#command as events::Command>::TYPE);
            let start = events::#start::example();
            let key = fissure_runtime::saga::key_of(&fissure_runtime::serde_json::to_value(&start)?, #correlate_by).unwrap_or_default();
            bus.publish(start.to_envelope(None)).await?;
            bus.drain().await;
            print_saga(engine.instance(&key).await?);
            bus.shutdown().await;
        }
    })
}

/// Sets the start event's correlation field to a value of its own, so the demo's run is not
/// mistaken for a saga the demo's commands started.
fn fresh_key(p: &SagaPlan<'_>, n: usize) -> Result<TokenStream, GenError> {
    let saga = p.saga;
    let correlate_by = &saga.correlate_by.value;
    let field = ident(correlate_by, Some(&saga.correlate_by.location))?;
    let ty = p
        .start
        .fields
        .iter()
        .find(|f| &f.name == correlate_by)
        .map(|f| &f.ty);
    Ok(match ty {
        Some(FieldType::Uuid) => {
            let value = proc_macro2::Literal::u128_unsuffixed(
                0x5a6a_0000_0000_4000_8000_0000_0000_0000 + n as u128,
            );
            quote!(start.#field = fissure_runtime::uuid::Uuid::from_u128(#value);)
        }
        Some(FieldType::String) => {
            let value = format!("demo-{}", saga.name);
            quote!(start.#field = #value.to_owned();)
        }
        _ => quote!(),
    })
}
