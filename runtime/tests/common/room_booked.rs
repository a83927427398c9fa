//! The version 2 `RoomBooked` of the upcasting tests, implementing `Event` the way a generated
//! events crate does for a spec with
//! `upcast: { renamed: { guest_name: guest }, defaults: { currency: "EUR" } }`.

use fissure_runtime::contract::{DecodeError, Event};
use fissure_runtime::serde_json::Value;
use serde::{Deserialize, Serialize};

/// Version 2: `guest_name` became `guest`, and `currency` is new (version 1 bookings were
/// all in euros).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomBooked {
    pub booking: String,
    pub guest: String,
    pub nights: u32,
    pub currency: String,
}

pub const V1: &str = "hotel.reservations.RoomBooked.v1";

impl Event for RoomBooked {
    const DOMAIN: &'static str = "reservations";
    const NAME: &'static str = "RoomBooked";
    const VERSION: u32 = 2;
    const TYPE: &'static str = "hotel.reservations.RoomBooked.v2";
    const SOURCE: &'static str = "hotel/reservations";
    const PREVIOUS_TYPES: &'static [&'static str] = &[V1];

    fn partition_key(&self) -> Option<String> {
        Some(self.booking.clone())
    }

    fn upcast(from: u32, data: Value) -> Result<Value, DecodeError> {
        match from {
            1 => fissure_runtime::upcast::renamed_and_defaulted(
                V1,
                data,
                &[("guest_name", "guest")],
                &[("currency", "\"EUR\"")],
            ),
            _ => Err(DecodeError::UnknownType(format!(
                "hotel.reservations.RoomBooked.v{from}"
            ))),
        }
    }
}
