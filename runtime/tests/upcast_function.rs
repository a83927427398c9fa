//! A `function: true` upcast: the step the spec cannot describe is code (the user's function in
//! `events/src/upcasts.rs`, called for every older version). Here version 1 carried the amount
//! in integer cents, version 2 as a `Decimal` string (a conversion, written by hand), and
//! version 3 renamed `payer` to `guest` and added `currency` (the declared step, which the
//! function delegates to `renamed_and_defaulted`). A version 1 event decodes into version 3
//! through both steps, and a function that fails is a `DecodeError`, never a panic: the event
//! is dead-lettered, and its subscriber carries on.

use std::sync::{Arc, Mutex};

use fissure_runtime::contract::{Decimal, DecodeError, Event};
use fissure_runtime::serde_json::{Value, json};
use fissure_runtime::upcast::renamed_and_defaulted;
use fissure_runtime::{Envelope, HandlerError, MemoryBus, Publisher, Subscription, Transport};
use serde::{Deserialize, Serialize};

const V1: &str = "hotel.billing.PaymentCaptured.v1";
const V2: &str = "hotel.billing.PaymentCaptured.v2";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct PaymentCaptured {
    booking: String,
    guest: String,
    amount: Decimal,
    currency: String,
}

impl Event for PaymentCaptured {
    const DOMAIN: &'static str = "billing";
    const NAME: &'static str = "PaymentCaptured";
    const VERSION: u32 = 3;
    const TYPE: &'static str = "hotel.billing.PaymentCaptured.v3";
    const SOURCE: &'static str = "hotel/billing";
    const PREVIOUS_TYPES: &'static [&'static str] = &[V1, V2];

    fn partition_key(&self) -> Option<String> {
        Some(self.booking.clone())
    }

    // What the generated impl does for `upcast: { function: true }`.
    fn upcast(from: u32, data: Value) -> Result<Value, DecodeError> {
        payment_captured(from, data)
    }
}

/// The user's function, as it would stand in `events/src/upcasts.rs`.
fn payment_captured(from: u32, data: Value) -> Result<Value, DecodeError> {
    match from {
        1 => cents_to_amount(data),
        2 => renamed_and_defaulted(V2, data, &[("payer", "guest")], &[("currency", "\"EUR\"")]),
        _ => Err(DecodeError::Upcast {
            event_type: format!("hotel.billing.PaymentCaptured.v{from}"),
            reason: "no step from this version".to_owned(),
        }),
    }
}

/// `amount_cents: 1250` becomes `amount: "12.50"`; anything but an integer is refused.
fn cents_to_amount(mut data: Value) -> Result<Value, DecodeError> {
    let refuse = |reason: String| DecodeError::Upcast {
        event_type: V1.to_owned(),
        reason,
    };
    let cents = match data.get_mut("amount_cents").map(Value::take) {
        Some(Value::Number(n)) => n.as_i64().ok_or_else(|| {
            refuse(format!(
                "`amount_cents` is {n}, not a whole number of cents"
            ))
        })?,
        Some(other) => return Err(refuse(format!("`amount_cents` is {other}, not a number"))),
        None => return Err(refuse("`amount_cents` is missing".to_owned())),
    };
    let fields = data
        .as_object_mut()
        .ok_or_else(|| refuse("the data is not an object".to_owned()))?;
    fields.remove("amount_cents");
    let sign = if cents < 0 { "-" } else { "" };
    let (whole, part) = (cents.unsigned_abs() / 100, cents.unsigned_abs() % 100);
    fields.insert(
        "amount".to_owned(),
        json!(format!("{sign}{whole}.{part:02}")),
    );
    Ok(data)
}

fn v1(booking: &str, data: Value) -> Envelope {
    Envelope::new(PaymentCaptured::SOURCE, V1, data).with_subject(booking)
}

#[test]
fn a_version_1_payment_goes_through_the_function_then_the_declared_step() {
    let data = json!({ "booking": "b-1", "payer": "Ada", "amount_cents": 1250 });
    let captured = PaymentCaptured::decode(V1, &data).unwrap();
    assert_eq!(
        captured,
        PaymentCaptured {
            booking: "b-1".to_owned(),
            guest: "Ada".to_owned(),
            amount: Decimal::new("12.50"),
            currency: "EUR".to_owned(),
        }
    );
    // Small and negative amounts keep their two decimals.
    for (cents, text) in [(5, "0.05"), (-1999, "-19.99"), (100, "1.00")] {
        let data = json!({ "booking": "b", "payer": "Bo", "amount_cents": cents });
        let captured = PaymentCaptured::decode(V1, &data).unwrap();
        assert_eq!(captured.amount.as_str(), text, "{cents} cents");
    }
    // Version 2 already has the amount as text: only the declared step runs.
    let v2 = json!({ "booking": "b-2", "payer": "Cy", "amount": "7.10", "currency": "CHF" });
    let captured = PaymentCaptured::decode(V2, &v2).unwrap();
    assert_eq!(
        (captured.guest.as_str(), captured.amount.as_str()),
        ("Cy", "7.10")
    );
    assert_eq!(captured.currency, "CHF");
}

#[test]
fn a_function_that_refuses_the_data_is_a_decode_error() {
    let half_cent = json!({ "booking": "b", "payer": "Ada", "amount_cents": 12.5 });
    let err = PaymentCaptured::decode(V1, &half_cent).unwrap_err();
    assert!(matches!(err, DecodeError::Upcast { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "cannot upcast `hotel.billing.PaymentCaptured.v1`: `amount_cents` is 12.5, not a whole \
         number of cents"
    );
    let missing = json!({ "booking": "b", "payer": "Ada" });
    let err = PaymentCaptured::decode(V1, &missing).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot upcast `hotel.billing.PaymentCaptured.v1`: `amount_cents` is missing"
    );
    // The function passed, the declared step too, but no payer was there to rename: serde
    // refuses the version 3 data.
    let no_payer = json!({ "booking": "b", "amount_cents": 1 });
    let err = PaymentCaptured::decode(V1, &no_payer).unwrap_err();
    assert!(matches!(err, DecodeError::Data(_)), "{err:?}");
    assert!(err.to_string().contains("missing field `guest`"), "{err}");
}

/// On a bus, the failing event is dead-lettered with the function's reason (decode errors
/// are permanent: no retry), and the good events around it are handled.
#[tokio::test]
async fn a_failing_function_dead_letters_the_event_and_the_subscriber_carries_on() {
    let bus = MemoryBus::new();
    let handled = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&handled);
    let handler = fissure_runtime::sync_handler(move |e: &Envelope| {
        let payment = PaymentCaptured::from_envelope(e)?;
        record.lock().unwrap().push(payment.amount.0);
        Ok::<(), HandlerError>(())
    });
    let types = PaymentCaptured::accepted_types();
    bus.subscribe(Subscription::new("hotel.frontdesk", types), handler)
        .await
        .unwrap();
    for (booking, cents) in [
        ("b-1", json!(1250)),
        ("b-2", json!("12")),
        ("b-3", json!(99)),
    ] {
        let data = json!({ "booking": booking, "payer": "Ada", "amount_cents": cents });
        bus.publish(v1(booking, data)).await.unwrap();
    }
    bus.drain().await;
    // Keys run in lanes of their own: the order across bookings is not fixed.
    let mut amounts = handled.lock().unwrap().clone();
    amounts.sort();
    assert_eq!(amounts, ["0.99", "12.50"]);
    let dead = bus.dead_letters("hotel.frontdesk").await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].envelope.subject(), Some("b-2"));
    assert_eq!(dead[0].attempts, 1, "a decode error is not retried");
    assert_eq!(
        dead[0].reason,
        "permanent handler error: cannot decode event: cannot upcast \
         `hotel.billing.PaymentCaptured.v1`: \
         `amount_cents` is \"12\", not a number"
    );
}
