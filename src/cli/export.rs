//! `fissure export asyncapi`: prints the AsyncAPI 3.0 document of the spec's events on one
//! broker; exit 0, or 2 when the spec cannot be read or is invalid.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};

use crate::app::{self, ExportConfig};
use crate::export::Broker;

use super::progress::Spinner;
use super::{Stop, to_stdout};

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub format: ExportFormat,
}

#[derive(Debug, Subcommand)]
pub enum ExportFormat {
    /// The events, their owners and subscribers as an AsyncAPI 3.0 document (JSON).
    Asyncapi(AsyncapiArgs),
}

#[derive(Debug, Args)]
pub struct AsyncapiArgs {
    /// The spec to export.
    #[arg(long, default_value = "fissure.yaml")]
    pub spec: PathBuf,
    /// The broker whose channel names and bindings the document gives.
    #[arg(long, value_enum, default_value_t = BusArg::Nats)]
    pub bus: BusArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BusArg {
    Nats,
    Rabbitmq,
    Kafka,
}

pub fn run(args: &ExportArgs) -> Result<ExitCode, Stop> {
    let ExportFormat::Asyncapi(args) = &args.format;
    let config = ExportConfig {
        spec: args.spec.clone(),
        broker: match args.bus {
            BusArg::Nats => Broker::Nats,
            BusArg::Rabbitmq => Broker::Rabbitmq,
            BusArg::Kafka => Broker::Kafka,
        },
    };
    let outcome = app::export_asyncapi(&config, &mut Spinner::start()).map_err(Stop::Failed)?;
    to_stdout(|out| out.write_all(outcome.document.as_bytes()))?;
    Ok(ExitCode::SUCCESS)
}
