//! The PostgreSQL saga store against a real server (`FISSURE_POSTGRES_URL`): optimistic saves,
//! the queries the engine runs, and a saga that a new process (a new connection, a new engine)
//! resumes and finishes. Each test uses its own table and drops it at the end.
#![cfg(feature = "postgres")]

mod common;

use std::sync::Arc;
use std::time::Duration;

use fissure_runtime::postgres::PgSagaStore;
use fissure_runtime::saga::{
    AnySagaStore, Participants, SagaAction, SagaContext, SagaDef, SagaEngine, SagaFlow, SagaStatus,
    SagaStore, SagaStoreKind, Script, ScriptedReply, StepDef,
};
use fissure_runtime::{Envelope, MemoryBus, Publisher, StoreError, Transport};
use serde_json::json;

static DEF: SagaDef = SagaDef {
    name: "booking",
    starts_on: "t.Requested",
    correlate_by: "booking_id",
    steps: &[
        StepDef {
            name: "invoice",
            invokes: true,
            success_on: &["t.Invoiced"],
            failure_on: &[],
            compensation: Some(&["t.Voided"]),
            pivot: false,
        },
        StepDef {
            name: "pay",
            invokes: true,
            success_on: &["t.Paid"],
            failure_on: &["t.Declined"],
            compensation: None,
            pivot: true,
        },
    ],
    step_timeout: Duration::from_secs(30),
    max_attempts: 3,
    versions: &[],
};

struct Flow;

impl SagaFlow for Flow {
    fn definition(&self) -> &'static SagaDef {
        &DEF
    }

    fn message(&self, action: SagaAction, saga: SagaContext<'_>) -> Option<Envelope> {
        let t = match action {
            SagaAction::Invoke(0) => "t.Invoice",
            SagaAction::Invoke(_) => "t.Pay",
            SagaAction::Compensate(_) => "t.Void",
            SagaAction::Succeed => "t.Confirm",
            SagaAction::Fail => "t.Cancel",
        };
        Some(Envelope::new(
            "t/bookings",
            t,
            json!({ "booking_id": saga.key() }),
        ))
    }
}

fn scripts() -> Vec<Script> {
    let reply = |event_type| {
        Some(ScriptedReply {
            event_type,
            source: "t/billing",
            data: json!({ "booking_id": "?" }),
        })
    };
    vec![
        Script {
            request_type: "t.Invoice",
            success: reply("t.Invoiced"),
            failure: None,
        },
        Script {
            request_type: "t.Pay",
            success: reply("t.Paid"),
            failure: reply("t.Declined"),
        },
        Script {
            request_type: "t.Void",
            success: reply("t.Voided"),
            failure: None,
        },
        Script {
            request_type: "t.Confirm",
            success: None,
            failure: None,
        },
        Script {
            request_type: "t.Cancel",
            success: None,
            failure: None,
        },
    ]
}

async fn store(url: &str, prefix: &str) -> PgSagaStore {
    PgSagaStore::connect(url, prefix)
        .await
        .expect("connects and migrates")
}

fn requested(id: &str) -> Envelope {
    Envelope::new("t/bookings", "t.Requested", json!({ "booking_id": id }))
}

#[tokio::test]
async fn saves_are_optimistic_and_queries_find_open_instances() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let prefix = common::unique("s");
    let store = store(&url, &prefix).await;
    let start = requested("b-1");
    let (mut instance, actions) = DEF.start(&start, 0).expect("has a key");
    assert_eq!(actions, [SagaAction::Invoke(0)]);
    instance.version = 1;
    store.save(&instance).await.unwrap();
    // A second first save (another process started the same saga) loses.
    assert!(matches!(
        store.save(&instance).await,
        Err(StoreError::Conflict { actual: 1, .. })
    ));
    assert_eq!(
        store.load("booking", "b-1").await.unwrap(),
        Some(instance.clone())
    );
    assert_eq!(
        store
            .find_by_correlation("booking", start.correlation_id())
            .await
            .unwrap(),
        [instance.clone()]
    );

    let invoiced = Envelope::caused_by(&start, "t/billing", "t.Invoiced", json!({}));
    let mut moved = instance.clone();
    DEF.react(&mut moved, &invoiced, 1).expect("awaited");
    moved.version = 2;
    store.save(&moved).await.unwrap();
    // A writer that loaded version 1 and moved it too is refused.
    let mut stale = instance.clone();
    stale.version = 2;
    stale.history.push("stale".into());
    assert!(matches!(
        store.save(&stale).await,
        Err(StoreError::Conflict { actual: 2, .. })
    ));
    assert_eq!(
        store.load("booking", "b-1").await.unwrap().unwrap().status,
        SagaStatus::Running { step: 1 }
    );
    assert_eq!(store.open("booking").await.unwrap().len(), 1);

    let paid = Envelope::caused_by(&start, "t/billing", "t.Paid", json!({}));
    DEF.react(&mut moved, &paid, 2).expect("awaited");
    moved.version = 3;
    store.save(&moved).await.unwrap();
    assert!(
        store.open("booking").await.unwrap().is_empty(),
        "a completed saga is not open"
    );
    assert!(
        store
            .find_by_correlation("booking", start.correlation_id())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.load("booking", "b-1").await.unwrap().unwrap().status,
        SagaStatus::Completed
    );
    store.drop_table().await.unwrap();
}

#[tokio::test]
async fn a_new_process_resumes_the_open_saga_from_postgres() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let prefix = common::unique("s");
    // The first process: payment never answers, then the process stops.
    {
        let bus = MemoryBus::new();
        let engine = Arc::new(SagaEngine::new(
            Flow,
            store(&url, &prefix).await,
            bus.clone(),
        ));
        bus.subscribe(engine.subscription(), Arc::clone(&engine))
            .await
            .unwrap();
        let participants = Participants::new(bus.clone(), "booking_id", scripts());
        participants.silence("t.Pay");
        bus.subscribe(participants.subscription(), participants.clone())
            .await
            .unwrap();
        bus.publish(requested("b-2")).await.unwrap();
        bus.drain().await;
        assert_eq!(participants.received(), ["t.Invoice", "t.Pay"]);
        bus.shutdown().await;
    }
    // The second process: a new connection, a new engine, payment answers now.
    let bus = MemoryBus::new();
    let store = store(&url, &prefix).await;
    let engine = Arc::new(SagaEngine::new(Flow, store.clone(), bus.clone()));
    bus.subscribe(engine.subscription(), Arc::clone(&engine))
        .await
        .unwrap();
    let participants = Participants::new(bus.clone(), "booking_id", scripts());
    bus.subscribe(participants.subscription(), participants.clone())
        .await
        .unwrap();
    assert_eq!(engine.resume().await.unwrap(), 1);
    bus.drain().await;
    assert_eq!(participants.received(), ["t.Pay", "t.Confirm"]);
    let done = store.load("booking", "b-2").await.unwrap().unwrap();
    assert_eq!(done.status, SagaStatus::Completed);
    assert_eq!(done.replies.len(), 2);
    store.drop_table().await.unwrap();
}

/// What the generated app does with `FISSURE_SAGA_STORE=<conninfo>`: the run-time choice opens
/// the PostgreSQL store, and a second process opening it the same way sees the saved saga.
#[tokio::test]
async fn a_connection_string_in_the_environment_value_chooses_postgres() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let prefix = common::unique("s");
    let open = || async {
        let kind = SagaStoreKind::parse(Some(&url)).expect("a connection string");
        AnySagaStore::open(kind, &prefix).await.expect("opens")
    };
    let first = open().await;
    assert!(matches!(first, AnySagaStore::Postgres(_)));
    let (mut instance, _) = DEF.start(&requested("b-9"), 0).expect("has a key");
    instance.version = 1;
    first.save(&instance).await.unwrap();
    let second = open().await;
    assert_eq!(second.load("booking", "b-9").await.unwrap(), Some(instance));
    assert_eq!(second.open("booking").await.unwrap().len(), 1);
    if let AnySagaStore::Postgres(pg) = second {
        pg.drop_table().await.unwrap();
    }
}
