//! Upcasting end to end: events written by version 1 of a service, read by version 2. The
//! version 2 event below implements `Event` the way a generated events crate does for a spec
//! with `upcast: { renamed: { guest_name: guest }, defaults: { currency: "EUR" } }`. A store
//! holding version 1 events is replayed by the version 2 code (in memory, and on PostgreSQL
//! with `FISSURE_POSTGRES_URL` and the `postgres` feature), and a version 1 event published on
//! NATS (`FISSURE_NATS_URL`, `nats` feature) reaches a version 2 subscriber as the version 2
//! struct.

mod common;

use std::collections::BTreeMap;

use common::room_booked::{RoomBooked, V1};
use fissure_runtime::contract::Event;
use fissure_runtime::serde_json::json;
use fissure_runtime::{Envelope, EventStore, ExpectedVersion, MemoryEventStore, StoredEvent};

/// An event as version 1 of the service published it: the old type, the old field names.
fn v1_booked(booking: &str, guest: &str, nights: u32) -> Envelope {
    Envelope::new(
        RoomBooked::SOURCE,
        V1,
        json!({ "booking": booking, "guest_name": guest, "nights": nights }),
    )
    .with_subject(booking)
}

fn v2_booked(booking: &str, guest: &str, currency: &str) -> RoomBooked {
    RoomBooked {
        booking: booking.to_owned(),
        guest: guest.to_owned(),
        nights: 1,
        currency: currency.to_owned(),
    }
}

/// The state version 2 of the service folds from its stream: bookings by id.
fn replay(stored: &[StoredEvent]) -> BTreeMap<String, RoomBooked> {
    stored
        .iter()
        .map(|s| {
            let event = RoomBooked::from_envelope(&s.envelope).expect("every version decodes");
            (event.booking.clone(), event)
        })
        .collect()
}

/// Two version 1 bookings, then one the upgraded service wrote.
fn history() -> Vec<Envelope> {
    vec![
        v1_booked("b-1", "Ada", 3),
        v1_booked("b-2", "Bo", 2),
        v2_booked("b-3", "Cy", "CHF").to_envelope(None),
    ]
}

fn assert_version_2_state(state: &BTreeMap<String, RoomBooked>) {
    let expected = BTreeMap::from([
        (
            "b-1".to_owned(),
            RoomBooked {
                nights: 3,
                ..v2_booked("b-1", "Ada", "EUR")
            },
        ),
        (
            "b-2".to_owned(),
            RoomBooked {
                nights: 2,
                ..v2_booked("b-2", "Bo", "EUR")
            },
        ),
        ("b-3".to_owned(), v2_booked("b-3", "Cy", "CHF")),
    ]);
    assert_eq!(state, &expected);
}

#[tokio::test]
async fn a_memory_store_of_version_1_events_replays_into_version_2_state() {
    let store = MemoryEventStore::new();
    store
        .append("hotel.reservations", ExpectedVersion::NoStream, history())
        .await
        .unwrap();
    let stored = store.read_stream("hotel.reservations", 0).await.unwrap();
    // The store keeps what was written: upcasting happens on read, never in place.
    assert_eq!(stored[0].envelope.event_type(), V1);
    assert_eq!(stored[0].envelope.data()["guest_name"], json!("Ada"));
    assert_version_2_state(&replay(&stored));
}

#[test]
fn a_version_1_event_that_does_not_fit_is_an_error_not_a_panic() {
    let broken = Envelope::new(RoomBooked::SOURCE, V1, json!({ "booking": "b-9" }));
    let err = RoomBooked::from_envelope(&broken).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("event data does not decode: missing field `guest`"),
        "{err}"
    );
    let not_an_object = Envelope::new(RoomBooked::SOURCE, V1, json!("b-9"));
    assert_eq!(
        RoomBooked::from_envelope(&not_an_object)
            .unwrap_err()
            .to_string(),
        "cannot upcast `hotel.reservations.RoomBooked.v1`: the data is a string, not an object"
    );
}

#[cfg(feature = "postgres")]
#[tokio::test]
async fn a_postgres_store_of_version_1_events_replays_into_version_2_state_after_a_restart() {
    use fissure_runtime::postgres::PgEventStore;

    let Some(url) = common::postgres_url() else {
        return;
    };
    let prefix = common::unique("t");
    // Version 1 of the service wrote the first two events; the upgraded one the third.
    let before = PgEventStore::connect(&url, &prefix).await.unwrap();
    let mut events = history();
    let upgraded_write = events.pop().unwrap();
    before
        .append("hotel.reservations", ExpectedVersion::NoStream, events)
        .await
        .unwrap();
    drop(before);
    let after = PgEventStore::connect(&url, &prefix).await.unwrap();
    after
        .append(
            "hotel.reservations",
            ExpectedVersion::Exact(2),
            vec![upgraded_write],
        )
        .await
        .unwrap();
    let stored = after.read_stream("hotel.reservations", 0).await.unwrap();
    assert_eq!(stored[1].envelope.event_type(), V1);
    assert_version_2_state(&replay(&stored));
    after
        .tables()
        .drop_all(&*after.client().lock().await)
        .await
        .unwrap();
}

#[cfg(feature = "nats")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_1_event_published_on_nats_reaches_the_version_2_subscriber() {
    use std::sync::{Arc, Mutex};

    use fissure_runtime::nats::{NatsBus, dlq_stream_name, stream_name};
    use fissure_runtime::{Publisher, Subscription, Transport, sync_handler};

    let Some(url) = common::nats_url() else {
        return;
    };
    // A system of its own: the stream is fresh and deleted at the end.
    let system = common::unique("t");
    let v1_type = V1.replacen("hotel", &system, 1);
    let v2_type = RoomBooked::TYPE.replacen("hotel", &system, 1);
    let bus = NatsBus::connect(&url).await.unwrap();
    let got = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&got);
    // The subscriber names both versions, as a generated v2 service's subscription does.
    let subscription = Subscription::new("billing.upcast", [v2_type.clone(), v1_type.clone()]);
    bus.subscribe(
        subscription,
        sync_handler(move |e| {
            // The test's own system prefix stands in for `hotel`.
            let event_type = e.event_type().replacen(&system_of(e), "hotel", 1);
            let event = RoomBooked::decode(&event_type, e.data())?;
            seen.lock().unwrap().push(event);
            Ok(())
        }),
    )
    .await
    .unwrap();
    let old = Envelope::new(
        format!("{system}/reservations"),
        v1_type,
        json!({ "booking": "b-1", "guest_name": "Ada", "nights": 3 }),
    )
    .with_subject("b-1");
    let new = Envelope::new(
        format!("{system}/reservations"),
        v2_type,
        fissure_runtime::serde_json::to_value(v2_booked("b-2", "Bo", "CHF")).unwrap(),
    )
    .with_subject("b-2");
    bus.publish(old).await.unwrap();
    bus.publish(new).await.unwrap();
    common::within("upcast over NATS", bus.drain()).await;
    // Two types are two subjects: NATS orders each subject, not the pair, so compare by key.
    let mut got = got.lock().unwrap().clone();
    got.sort_by(|a, b| a.booking.cmp(&b.booking));
    assert_eq!(
        got,
        vec![
            RoomBooked {
                nights: 3,
                ..v2_booked("b-1", "Ada", "EUR")
            },
            v2_booked("b-2", "Bo", "CHF"),
        ]
    );
    bus.shutdown().await;
    for s in [stream_name(&system), dlq_stream_name(&system)] {
        let _ = bus.jetstream().delete_stream(&s).await;
    }
}

/// The system of an event type: its first segment.
#[cfg(feature = "nats")]
fn system_of(e: &Envelope) -> String {
    e.event_type()
        .split('.')
        .next()
        .unwrap_or_default()
        .to_owned()
}
