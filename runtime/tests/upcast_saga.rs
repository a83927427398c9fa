//! A saga during an upgrade: its start event and a step's reply arrive as version 1, from
//! producers not yet upgraded, while the saga's step table names version 2. The two version 2
//! events below implement `Event` as a generated events crate does for a spec with
//! `upcast: { renamed, defaults }`; the saga lists them in `versions` as the generated
//! `DEFINITION` does. The saga must start and advance on the version 1 events, and see the
//! upcast values: in its stored start event and reply, and in the requests it builds.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::room_booked::{RoomBooked, V1 as BOOKED_V1};
use fissure_runtime::contract::{DecodeError, Event};
use fissure_runtime::saga::{
    EventVersions, MemorySagaStore, Participants, SagaAction, SagaContext, SagaDef, SagaEngine,
    SagaFlow, SagaStatus, Script, ScriptedReply, StepDef,
};
use fissure_runtime::serde_json::{Value, json};
use fissure_runtime::upcast::renamed_and_defaulted;
use fissure_runtime::{Envelope, MemoryBus, Publisher, Transport};
use serde::{Deserialize, Serialize};

const CAPTURED_V1: &str = "hotel.billing.PaymentCaptured.v1";

/// Version 2: version 1 called the receipt `receipt_no`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct PaymentCaptured {
    booking: String,
    receipt: String,
}

impl Event for PaymentCaptured {
    const DOMAIN: &'static str = "billing";
    const NAME: &'static str = "PaymentCaptured";
    const VERSION: u32 = 2;
    const TYPE: &'static str = "hotel.billing.PaymentCaptured.v2";
    const SOURCE: &'static str = "hotel/billing";
    const PREVIOUS_TYPES: &'static [&'static str] = &[CAPTURED_V1];

    fn partition_key(&self) -> Option<String> {
        Some(self.booking.clone())
    }

    fn upcast(from: u32, data: Value) -> Result<Value, DecodeError> {
        assert_eq!(from, 1, "PaymentCaptured has one older version");
        renamed_and_defaulted(CAPTURED_V1, data, &[("receipt_no", "receipt")], &[])
    }
}

static DEF: SagaDef = SagaDef {
    name: "checkin",
    starts_on: RoomBooked::TYPE,
    correlate_by: "booking",
    steps: &[
        StepDef {
            name: "pay",
            invokes: true,
            success_on: &[PaymentCaptured::TYPE],
            failure_on: &["hotel.billing.PaymentDeclined.v1"],
            compensation: None,
            pivot: false,
        },
        StepDef {
            name: "welcome",
            invokes: true,
            success_on: &["hotel.frontdesk.GuestWelcomed.v1"],
            failure_on: &[],
            compensation: None,
            pivot: false,
        },
    ],
    step_timeout: Duration::from_secs(30),
    max_attempts: 3,
    versions: &[
        EventVersions::of::<RoomBooked>(),
        EventVersions::of::<PaymentCaptured>(),
    ],
};

/// The requests carry what the builders read from the saga: the start event's guest and
/// currency for `pay`, the reply's receipt for `welcome`, decoded as the version 2 structs.
struct Flow;

impl SagaFlow for Flow {
    fn definition(&self) -> &'static SagaDef {
        &DEF
    }

    fn message(&self, action: SagaAction, saga: SagaContext<'_>) -> Option<Envelope> {
        let booked = saga.started::<RoomBooked>()?;
        let (request, data) = match action {
            SagaAction::Invoke(0) => (
                "hotel.billing.CapturePayment.request",
                json!({ "booking": booked.booking, "guest": booked.guest, "currency": booked.currency }),
            ),
            SagaAction::Invoke(_) => {
                let paid = saga.reply::<PaymentCaptured>("pay")?;
                (
                    "hotel.frontdesk.WelcomeGuest.request",
                    json!({ "booking": booked.booking, "receipt": paid.receipt }),
                )
            }
            _ => return None,
        };
        Some(Envelope::new("hotel/frontdesk", request, data))
    }
}

/// Billing still at version 1 answers with the version 1 type and field names; nobody
/// stands in for the front desk, so the saga waits at `welcome` and its requests can be read.
fn scripts() -> Vec<Script> {
    vec![Script {
        request_type: "hotel.billing.CapturePayment.request",
        success: Some(ScriptedReply {
            event_type: CAPTURED_V1,
            source: "hotel/billing",
            data: json!({ "booking": "?", "receipt_no": "R-77" }),
        }),
        failure: None,
    }]
}

struct World {
    bus: MemoryBus,
    engine: Arc<SagaEngine<Flow, MemorySagaStore, MemoryBus>>,
    participants: Participants<MemoryBus>,
}

async fn world() -> World {
    let bus = MemoryBus::new();
    let engine = Arc::new(SagaEngine::new(Flow, MemorySagaStore::new(), bus.clone()));
    bus.subscribe(engine.subscription(), Arc::clone(&engine))
        .await
        .unwrap();
    let participants = Participants::new(bus.clone(), "booking", scripts());
    bus.subscribe(participants.subscription(), participants.clone())
        .await
        .unwrap();
    World {
        bus,
        engine,
        participants,
    }
}

/// A booking as version 1 of the reservations service published it.
fn booked_v1(booking: &str, data: Value) -> Envelope {
    Envelope::new(RoomBooked::SOURCE, BOOKED_V1, data).with_subject(booking)
}

#[test]
fn the_saga_subscribes_to_the_older_versions_of_what_it_listens_to() {
    assert_eq!(
        DEF.subscribed_types(),
        [
            RoomBooked::TYPE,
            PaymentCaptured::TYPE,
            "hotel.billing.PaymentDeclined.v1",
            "hotel.frontdesk.GuestWelcomed.v1",
            BOOKED_V1,
            CAPTURED_V1,
        ]
    );
}

#[test]
fn an_older_event_becomes_its_current_version_and_others_stay_as_they_are() {
    let old = booked_v1(
        "b-1",
        json!({ "booking": "b-1", "guest_name": "Ada", "nights": 2 }),
    );
    let current = DEF.upcast(&old).unwrap().expect("version 1 is upcast");
    assert_eq!(current.event_type(), RoomBooked::TYPE);
    assert_eq!(
        current.data(),
        &json!({ "booking": "b-1", "guest": "Ada", "nights": 2, "currency": "EUR" })
    );
    // The same delivery, only newer: its id (dedup), flow and key are kept.
    assert_eq!(current.id(), old.id());
    assert_eq!(current.correlation_id(), old.correlation_id());
    assert_eq!(current.subject(), Some("b-1"));
    let v2 = Envelope::new(RoomBooked::SOURCE, RoomBooked::TYPE, json!({}));
    assert!(DEF.upcast(&v2).unwrap().is_none());
    let other = Envelope::new(
        "hotel/frontdesk",
        "hotel.frontdesk.GuestWelcomed.v1",
        json!(1),
    );
    assert!(DEF.upcast(&other).unwrap().is_none());
}

#[tokio::test]
async fn version_1_events_start_and_advance_the_saga_with_upcast_values() {
    let w = world().await;
    let data = json!({ "booking": "b-1", "guest_name": "Ada", "nights": 2 });
    w.bus.publish(booked_v1("b-1", data)).await.unwrap();
    w.bus.drain().await;

    let instance = w.engine.instance("b-1").await.unwrap().expect("started");
    // Past `pay`, on the version 1 reply; waiting for the front desk.
    assert_eq!(instance.status, SagaStatus::Running { step: 1 });
    assert_eq!(
        instance.started,
        json!({ "booking": "b-1", "guest": "Ada", "nights": 2, "currency": "EUR" })
    );
    assert_eq!(instance.replies.len(), 1);
    assert_eq!(instance.replies[0].event_type, PaymentCaptured::TYPE);
    assert_eq!(
        instance.replies[0].data,
        json!({ "booking": "b-1", "receipt": "R-77" })
    );
    assert_eq!(
        instance.history,
        [
            "started by RoomBooked",
            "invoke pay",
            "pay succeeded: PaymentCaptured",
            "invoke welcome"
        ]
    );
    // Billing was asked once: the version 1 reply was not taken for an unrelated event.
    assert_eq!(
        w.participants.received(),
        ["hotel.billing.CapturePayment.request"]
    );
}

/// The requests the saga sent, as the bus delivered them to a recorder.
#[tokio::test]
async fn the_builders_read_the_upcast_start_event_and_reply() {
    let w = world().await;
    let sent = Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = Arc::clone(&sent);
    let recorder = fissure_runtime::sync_handler(move |e: &Envelope| {
        record.lock().unwrap().push(e.data().clone());
        Ok(())
    });
    let requests = fissure_runtime::Subscription::new(
        "recorder",
        [
            "hotel.billing.CapturePayment.request",
            "hotel.frontdesk.WelcomeGuest.request",
        ],
    );
    w.bus.subscribe(requests, recorder).await.unwrap();
    let data = json!({ "booking": "b-2", "guest_name": "Bo", "nights": 1 });
    w.bus.publish(booked_v1("b-2", data)).await.unwrap();
    w.bus.drain().await;
    assert_eq!(
        *sent.lock().unwrap(),
        [
            json!({ "booking": "b-2", "guest": "Bo", "currency": "EUR" }),
            json!({ "booking": "b-2", "receipt": "R-77" }),
        ]
    );
}

#[tokio::test]
async fn a_version_1_event_that_does_not_upcast_is_a_permanent_error_and_starts_nothing() {
    let w = world().await;
    // Not an object: the rename step refuses it.
    let err = w
        .engine
        .apply(&booked_v1("b-3", json!(["b-3", "Cy"])))
        .await
        .unwrap_err();
    assert!(err.is_permanent(), "{err:?}");
    assert_eq!(
        err.message(),
        "cannot decode event: cannot upcast `hotel.reservations.RoomBooked.v1`: \
         the data is an array, not an object"
    );
    // An object that upcasts to data the version 2 struct rejects (no guest at all).
    let err = w
        .engine
        .apply(&booked_v1("b-3", json!({ "booking": "b-3" })))
        .await
        .unwrap_err();
    assert!(
        err.message()
            .starts_with("cannot decode event: event data does not decode: missing field `guest`"),
        "{}",
        err.message()
    );
    assert!(w.engine.instance("b-3").await.unwrap().is_none());
}
