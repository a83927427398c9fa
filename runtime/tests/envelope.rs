//! The envelope's CloudEvents JSON structured format and its causation helpers.

use fissure_runtime::{Envelope, Timestamp};
use serde_json::{Value, json};
use uuid::Uuid;

fn sample() -> Envelope {
    Envelope::new(
        "hotel/users",
        "hotel.users.UserRegistered.v1",
        json!({"user_id": "u-1", "n": 3}),
    )
    .with_subject("u-1")
    .with_id(Uuid::parse_str("01936a8e-5f3c-7cc0-8a1b-2c3d4e5f6a7b").unwrap())
    .with_time(Timestamp::from_unix(1_700_000_000, 250_000_000))
}

#[test]
fn serialises_with_cloudevents_attribute_names() {
    let v: Value = serde_json::from_str(&sample().to_json()).unwrap();
    assert_eq!(
        v,
        json!({
            "specversion": "1.0",
            "id": "01936a8e-5f3c-7cc0-8a1b-2c3d4e5f6a7b",
            "source": "hotel/users",
            "type": "hotel.users.UserRegistered.v1",
            "subject": "u-1",
            "time": "2023-11-14T22:13:20.250Z",
            "datacontenttype": "application/json",
            "data": {"user_id": "u-1", "n": 3},
            "correlationid": "01936a8e-5f3c-7cc0-8a1b-2c3d4e5f6a7b",
        })
    );
}

#[test]
fn round_trips_through_json() {
    let parent = sample();
    let child = Envelope::caused_by(
        &parent,
        "hotel/billing",
        "hotel.billing.InvoiceIssued.v1",
        json!([1, 2]),
    )
    .with_subject("inv-9")
    .with_extension("traceparent", json!("00-abc-def-01"))
    .unwrap();
    for e in [parent, child] {
        let back = Envelope::from_json(&e.to_json()).unwrap();
        assert_eq!(back, e);
    }
}

#[test]
fn new_ids_are_uuid_v7_and_self_correlated() {
    let a = Envelope::new("s", "t", Value::Null);
    let b = Envelope::new("s", "t", Value::Null);
    assert_eq!(a.id().get_version_num(), 7);
    assert!(a.id() < b.id(), "v7 ids sort by creation");
    assert_eq!(a.correlation_id(), a.id());
    assert_eq!(a.causation_id(), None);
    assert!(a.subject().is_none());
}

#[test]
fn caused_by_carries_correlation_and_sets_causation() {
    let root = sample();
    let child = Envelope::caused_by(&root, "b", "t2", Value::Null);
    let grandchild = Envelope::caused_by(&child, "c", "t3", Value::Null);
    assert_eq!(child.causation_id(), Some(root.id()));
    assert_eq!(grandchild.causation_id(), Some(child.id()));
    assert_eq!(grandchild.correlation_id(), root.id());
    assert_ne!(grandchild.id(), child.id());
    assert!(child.subject().is_none(), "the key is not inherited");
}

#[test]
fn decodes_data_into_typed_events() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Registered {
        user_id: String,
        n: u32,
    }
    let e = sample();
    assert_eq!(
        e.decode::<Registered>().unwrap(),
        Registered {
            user_id: "u-1".into(),
            n: 3
        }
    );
    assert!(e.decode::<Vec<u8>>().is_err());
}

#[test]
fn accepts_foreign_events_without_our_extensions() {
    let text = r#"{"specversion":"1.0","id":"01936a8e-5f3c-7cc0-8a1b-2c3d4e5f6a7b","source":"x",
        "type":"y","time":"2023-11-14T23:13:20+01:00","datacontenttype":"application/cloudevents+json; charset=utf-8",
        "comexampleextension":5,"dataschema":"https://example.com/s.json"}"#;
    let e = Envelope::from_json(text).unwrap();
    assert_eq!(e.correlation_id(), e.id());
    assert_eq!(e.data(), &Value::Null);
    assert_eq!(e.time(), Timestamp::from_unix(1_700_000_000, 0));
    assert_eq!(e.extension("comexampleextension"), Some(&json!(5)));
    let again = Envelope::from_parts(e.clone().into_parts()).unwrap();
    assert_eq!(again, e);
    assert!(
        again
            .to_json()
            .contains(r#""dataschema":"https://example.com/s.json""#)
    );
}

#[test]
fn rejects_what_it_cannot_carry() {
    let base = json!({"specversion":"1.0","id":"01936a8e-5f3c-7cc0-8a1b-2c3d4e5f6a7b",
        "source":"x","type":"y","time":"2023-11-14T22:13:20Z"});
    let with = |k: &str, v: Value| {
        let mut o = base.clone();
        o[k] = v;
        Envelope::from_json(&o.to_string()).unwrap_err().to_string()
    };
    assert!(with("specversion", json!("0.3")).contains("specversion `0.3`"));
    assert!(with("datacontenttype", json!("text/xml")).contains("datacontenttype `text/xml`"));
    assert!(with("data_base64", json!("AAEC")).contains("data_base64"));
    assert!(with("time", json!("yesterday")).contains("RFC 3339"));
    assert!(
        Envelope::new("s", "t", Value::Null)
            .with_extension("Bad-Name", json!(1))
            .is_err()
    );
    assert!(
        Envelope::new("s", "t", Value::Null)
            .with_extension("subject", json!(1))
            .is_err()
    );
}

#[test]
fn splits_into_parts_and_back() {
    let parent = sample();
    let e = Envelope::caused_by(&parent, "b", "t2", json!({"k": 1}))
        .with_subject("key-1")
        .with_extension("traceparent", json!("00-1"))
        .unwrap();
    let parts = e.clone().into_parts();
    assert_eq!(parts.subject.as_deref(), Some("key-1"));
    assert_eq!(parts.causation_id, Some(parent.id()));
    assert_eq!(Envelope::from_parts(parts.clone()).unwrap(), e);
    let mut bad = parts;
    bad.extensions.insert("Not-Valid".into(), json!(1));
    assert!(Envelope::from_parts(bad).is_err());
}
