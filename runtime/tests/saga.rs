//! The saga engine on the in-memory bus with scripted participants: the happy path, a
//! failure compensated in reverse order, timeouts (paused tokio time), duplicate and late
//! replies, a restart in the middle, retries after the pivot, and stable message ids.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use fissure_runtime::saga::{
    MemorySagaStore, Participants, SagaAction, SagaContext, SagaDef, SagaEngine, SagaFlow,
    SagaStatus, SagaStore, Script, ScriptedReply, StepDef,
};
use fissure_runtime::{BusError, Envelope, MemoryBus, Publisher, Transport};
use serde_json::json;

const DEF: SagaDef = SagaDef {
    name: "fulfilment",
    starts_on: "t.OrderPlaced",
    correlate_by: "order_id",
    steps: &[
        StepDef {
            name: "reserve",
            invokes: true,
            success_on: &["t.StockReserved"],
            failure_on: &["t.StockShort"],
            compensation: Some(&["t.StockReleased"]),
            pivot: false,
        },
        StepDef {
            name: "invoice",
            invokes: true,
            success_on: &["t.InvoiceIssued"],
            failure_on: &[],
            compensation: Some(&["t.InvoiceVoided"]),
            pivot: false,
        },
        StepDef {
            name: "pay",
            invokes: true,
            success_on: &["t.PaymentCaptured"],
            failure_on: &["t.PaymentDeclined"],
            compensation: None,
            pivot: true,
        },
        StepDef {
            name: "ship",
            invokes: true,
            success_on: &["t.Shipped"],
            failure_on: &["t.ShipmentFailed"],
            compensation: None,
            pivot: false,
        },
    ],
    step_timeout: Duration::from_secs(30),
    max_attempts: 3,
    versions: &[],
};

struct Flow;

fn request(kind: &str) -> &'static str {
    match kind {
        "reserve" => "t.Reserve",
        "invoice" => "t.Invoice",
        "pay" => "t.Pay",
        "ship" => "t.Ship",
        "undo reserve" => "t.Release",
        "undo invoice" => "t.Void",
        "success" => "t.Done",
        _ => "t.Cancel",
    }
}

impl SagaFlow for Flow {
    fn definition(&self) -> &'static SagaDef {
        &DEF
    }

    fn message(&self, action: SagaAction, saga: SagaContext<'_>) -> Option<Envelope> {
        let kind = match action {
            SagaAction::Invoke(n) => DEF.steps[n].name.to_owned(),
            SagaAction::Compensate(n) => format!("undo {}", DEF.steps[n].name),
            SagaAction::Succeed => "success".to_owned(),
            SagaAction::Fail => "failure".to_owned(),
        };
        let data = json!({ "order_id": saga.key(), "why": saga.failure() });
        Some(Envelope::new("t/orders", request(&kind), data))
    }
}

fn reply(event_type: &'static str, extra: serde_json::Value) -> Option<ScriptedReply> {
    let mut data = json!({ "order_id": "?" });
    if let (Some(d), Some(e)) = (data.as_object_mut(), extra.as_object()) {
        d.extend(e.clone());
    }
    Some(ScriptedReply {
        event_type,
        source: "t/other",
        data,
    })
}

fn scripts() -> Vec<Script> {
    let s = |request_type, success, failure| Script {
        request_type,
        success,
        failure,
    };
    vec![
        s(
            "t.Reserve",
            reply("t.StockReserved", json!({})),
            reply("t.StockShort", json!({})),
        ),
        s(
            "t.Invoice",
            reply("t.InvoiceIssued", json!({ "invoice_id": "inv-7" })),
            None,
        ),
        s(
            "t.Pay",
            reply("t.PaymentCaptured", json!({})),
            reply("t.PaymentDeclined", json!({})),
        ),
        s(
            "t.Ship",
            reply("t.Shipped", json!({})),
            reply("t.ShipmentFailed", json!({})),
        ),
        s("t.Release", reply("t.StockReleased", json!({})), None),
        s("t.Void", reply("t.InvoiceVoided", json!({})), None),
        s("t.Done", None, None),
        s("t.Cancel", None, None),
    ]
}

type Engine<P> = SagaEngine<Flow, MemorySagaStore, P>;

struct World {
    bus: MemoryBus,
    engine: Arc<Engine<MemoryBus>>,
    participants: Participants<MemoryBus>,
    store: MemorySagaStore,
}

async fn world(store: MemorySagaStore) -> World {
    let bus = MemoryBus::new();
    let engine = Arc::new(SagaEngine::new(Flow, store.clone(), bus.clone()));
    bus.subscribe(engine.subscription(), Arc::clone(&engine))
        .await
        .unwrap();
    let participants = Participants::new(bus.clone(), "order_id", scripts());
    bus.subscribe(participants.subscription(), participants.clone())
        .await
        .unwrap();
    World {
        bus,
        engine,
        participants,
        store,
    }
}

fn placed(order: &str) -> Envelope {
    Envelope::new("t/orders", "t.OrderPlaced", json!({ "order_id": order })).with_subject(order)
}

impl World {
    async fn run(&self, order: &str) {
        self.bus.publish(placed(order)).await.unwrap();
        self.bus.drain().await;
    }

    async fn status(&self, order: &str) -> SagaStatus {
        self.engine.instance(order).await.unwrap().unwrap().status
    }
}

#[tokio::test(start_paused = true)]
async fn the_happy_path_invokes_every_step_then_succeeds() {
    let w = world(MemorySagaStore::new()).await;
    w.run("o-1").await;
    assert_eq!(w.status("o-1").await, SagaStatus::Completed);
    assert_eq!(
        w.participants.received(),
        ["t.Reserve", "t.Invoice", "t.Pay", "t.Ship", "t.Done"]
    );
    let instance = w.engine.instance("o-1").await.unwrap().unwrap();
    let ctx = SagaContext::new(&instance);
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct VoidInvoice {
        invoice_id: String,
        order_id: String,
        reason: String,
    }
    let example = VoidInvoice {
        invoice_id: "x".into(),
        order_id: "y".into(),
        reason: "r".into(),
    };
    // Ids flow from the start event and the replies into the next commands.
    assert_eq!(
        ctx.fill(example),
        VoidInvoice {
            invoice_id: "inv-7".into(),
            order_id: "o-1".into(),
            reason: "r".into()
        }
    );
}

#[tokio::test(start_paused = true)]
async fn a_failure_before_the_pivot_compensates_the_completed_steps_in_reverse_order() {
    let w = world(MemorySagaStore::new()).await;
    w.participants.fail("t.Pay");
    w.run("o-2").await;
    assert_eq!(w.status("o-2").await, SagaStatus::Failed);
    assert_eq!(
        w.participants.received(),
        [
            "t.Reserve",
            "t.Invoice",
            "t.Pay",
            "t.Void",
            "t.Release",
            "t.Cancel"
        ]
    );
    let instance = w.engine.instance("o-2").await.unwrap().unwrap();
    assert_eq!(
        instance.failure.as_deref(),
        Some("pay failed: PaymentDeclined")
    );
}

#[tokio::test(start_paused = true)]
async fn a_first_step_failure_has_nothing_to_compensate() {
    let w = world(MemorySagaStore::new()).await;
    w.participants.fail("t.Reserve");
    w.run("o-3").await;
    assert_eq!(w.status("o-3").await, SagaStatus::Failed);
    assert_eq!(w.participants.received(), ["t.Reserve", "t.Cancel"]);
}

#[tokio::test(start_paused = true)]
async fn a_step_without_reply_times_out_and_is_compensated() {
    let w = world(MemorySagaStore::new()).await;
    w.participants.silence("t.Invoice");
    w.run("o-4").await;
    assert_eq!(w.status("o-4").await, SagaStatus::Running { step: 1 });
    assert_eq!(w.engine.expire_due().await.unwrap(), 0, "not due yet");
    tokio::time::advance(DEF.step_timeout + Duration::from_millis(1)).await;
    assert_eq!(w.engine.expire_due().await.unwrap(), 1);
    w.bus.drain().await;
    assert_eq!(w.status("o-4").await, SagaStatus::Failed);
    assert_eq!(
        w.participants.received(),
        ["t.Reserve", "t.Invoice", "t.Release", "t.Cancel"]
    );
}

#[tokio::test(start_paused = true)]
async fn the_late_success_of_a_timed_out_step_is_compensated_once() {
    let w = world(MemorySagaStore::new()).await;
    w.participants.silence("t.Invoice");
    w.run("o-10").await;
    tokio::time::advance(DEF.step_timeout + Duration::from_millis(1)).await;
    w.engine.expire_due().await.unwrap();
    w.bus.drain().await;
    assert_eq!(w.status("o-10").await, SagaStatus::Failed);
    let late = Envelope::new("t/other", "t.InvoiceIssued", json!({ "order_id": "o-10" }));
    assert!(w.engine.apply(&late).await.unwrap());
    w.bus.drain().await;
    let again = Envelope::new("t/other", "t.InvoiceIssued", json!({ "order_id": "o-10" }));
    assert!(!w.engine.apply(&again).await.unwrap(), "undone once only");
    w.bus.drain().await;
    assert_eq!(
        w.participants.received(),
        ["t.Reserve", "t.Invoice", "t.Release", "t.Cancel", "t.Void"]
    );
    assert_eq!(w.status("o-10").await, SagaStatus::Failed);
}

#[tokio::test(start_paused = true)]
async fn an_unanswered_compensation_is_sent_again_then_given_up() {
    let w = world(MemorySagaStore::new()).await;
    w.participants.fail("t.Pay");
    w.participants.silence("t.Void");
    w.run("o-5").await;
    assert_eq!(w.status("o-5").await, SagaStatus::Compensating { step: 1 });
    for _ in 0..DEF.max_attempts {
        tokio::time::advance(DEF.step_timeout + Duration::from_millis(1)).await;
        w.engine.expire_due().await.unwrap();
        w.bus.drain().await;
    }
    assert_eq!(w.status("o-5").await, SagaStatus::Failed);
    let voids = w
        .participants
        .received()
        .iter()
        .filter(|t| *t == "t.Void")
        .count();
    assert_eq!(voids, 3, "first send and two resends");
    assert_eq!(
        w.participants.received().last().map(String::as_str),
        Some("t.Cancel")
    );
}

#[tokio::test(start_paused = true)]
async fn duplicate_and_late_replies_change_nothing() {
    let w = world(MemorySagaStore::new()).await;
    w.participants.silence("t.Invoice");
    w.run("o-6").await;
    let instance = w.engine.instance("o-6").await.unwrap().unwrap();
    let reserved = Envelope::caused_by(
        &placed("o-6"),
        "t/other",
        "t.StockReserved",
        json!({ "order_id": "o-6" }),
    );
    // A late reply: the step it answers is done (a new id, so not a duplicate).
    assert!(!w.engine.apply(&reserved).await.unwrap());
    let issued = Envelope::new("t/other", "t.InvoiceIssued", json!({ "order_id": "o-6" }));
    assert!(w.engine.apply(&issued).await.unwrap());
    let after_first = w.engine.instance("o-6").await.unwrap().unwrap();
    assert_eq!(after_first.status, SagaStatus::Running { step: 2 });
    // The same reply again (a redelivery): nothing moves.
    assert!(!w.engine.apply(&issued).await.unwrap());
    assert_eq!(
        w.engine.instance("o-6").await.unwrap().unwrap(),
        after_first
    );
    assert!(after_first.version > instance.version);
    // A second start of the same order is not a second saga.
    assert!(!w.engine.apply(&placed("o-6")).await.unwrap());
}

#[tokio::test(start_paused = true)]
async fn a_restarted_engine_resumes_the_open_saga_from_the_store() {
    let store = MemorySagaStore::new();
    let first = world(store.clone()).await;
    first.participants.silence("t.Pay");
    first.run("o-7").await;
    assert_eq!(first.status("o-7").await, SagaStatus::Running { step: 2 });
    first.bus.shutdown().await;
    drop(first);

    let second = world(store).await;
    assert_eq!(second.engine.resume().await.unwrap(), 1);
    second.bus.drain().await;
    assert_eq!(second.status("o-7").await, SagaStatus::Completed);
    // Only what was pending is sent again; the completed steps are not.
    assert_eq!(
        second.participants.received(),
        ["t.Pay", "t.Ship", "t.Done"]
    );
    assert_eq!(second.store.open("fulfilment").await.unwrap().len(), 0);
}

#[tokio::test(start_paused = true)]
async fn after_the_pivot_a_failed_step_is_retried_not_compensated() {
    let w = world(MemorySagaStore::new()).await;
    w.participants.fail("t.Ship");
    w.run("o-8").await;
    assert_eq!(w.status("o-8").await, SagaStatus::Failed);
    let received = w.participants.received();
    assert_eq!(received.iter().filter(|t| *t == "t.Ship").count(), 3);
    assert!(
        !received.iter().any(|t| t == "t.Void" || t == "t.Release"),
        "{received:?}"
    );
}

/// Records what is published, duplicates included (no bus dedup in the way).
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<Envelope>>>);

impl Publisher for Recorder {
    async fn publish(&self, envelope: Envelope) -> Result<(), BusError> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(envelope);
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn a_resent_request_keeps_its_id_so_consumers_drop_it() {
    let recorder = Recorder::default();
    let engine = SagaEngine::new(Flow, MemorySagaStore::new(), recorder.clone());
    let start = placed("o-9");
    assert!(engine.apply(&start).await.unwrap());
    engine.resume().await.unwrap();
    let sent = recorder.0.lock().unwrap().clone();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].id(), sent[1].id());
    assert_eq!(sent[0].event_type(), "t.Reserve");
    assert_eq!(sent[0].correlation_id(), start.correlation_id());
    assert_eq!(sent[0].causation_id(), Some(start.id()));
    assert_eq!(sent[0].subject(), Some("o-9"));
}
