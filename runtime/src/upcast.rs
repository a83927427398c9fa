//! Upcasting: the events of an older version, already stored or still in flight, decoded into
//! the current struct. An event lists the CloudEvents types of its older versions
//! ([`Event::PREVIOUS_TYPES`]) and turns the data of version `n` into version `n + 1`
//! ([`Event::upcast`]); [`decode`] runs those steps, oldest first, on the JSON before serde
//! sees it, so a version 1 payload becomes a version 3 struct through 1 -> 2 -> 3. The steps
//! work on JSON, not on old structs: the old versions need no Rust type of their own.
//!
//! [`renamed_and_defaulted`] is the step a spec's `upcast: { renamed, defaults }` generates.

use serde_json::{Map, Value};

use crate::contract::{DecodeError, Event};

/// The version in a CloudEvents type: `3` for `hotel.users.UserRegistered.v3`.
pub fn version_of(event_type: &str) -> Option<u32> {
    let (_, last) = event_type.rsplit_once('.')?;
    let digits = last.strip_prefix('v')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// `event_type` with its version replaced: `with_version("s.d.E.v3", 1)` is `s.d.E.v1`.
pub fn with_version(event_type: &str, version: u32) -> String {
    let base = match version_of(event_type) {
        Some(_) => event_type
            .rsplit_once('.')
            .map_or(event_type, |(base, _)| base),
        None => event_type,
    };
    format!("{base}.v{version}")
}

/// Decodes `data` of type `event_type` into `E`: its current type directly, one of its
/// [`Event::PREVIOUS_TYPES`] through every upcast step from that version to the current one.
pub fn decode<E: Event>(event_type: &str, data: &Value) -> Result<E, DecodeError> {
    if event_type == E::TYPE {
        return E::deserialize(data).map_err(DecodeError::Data);
    }
    if !E::PREVIOUS_TYPES.contains(&event_type) {
        return Err(DecodeError::UnknownType(event_type.to_owned()));
    }
    let from = match version_of(event_type) {
        Some(v) if v < E::VERSION => v,
        _ => {
            return Err(DecodeError::Upcast {
                event_type: event_type.to_owned(),
                reason: format!(
                    "listed as an older version of `{}`, whose version is {}",
                    E::TYPE,
                    E::VERSION
                ),
            });
        }
    };
    let mut data = data.clone();
    for version in from..E::VERSION {
        data = E::upcast(version, data)?;
    }
    E::deserialize(&data).map_err(DecodeError::Data)
}

/// One declarative upcast step: every `(old, new)` of `renamed` moves the field `old` to `new`
/// (when `new` is not already there), then every `(field, json)` of `defaults` sets an absent
/// field to the JSON literal. `event_type` names the data in errors. Data that is not a JSON
/// object, or a default that is not JSON, is a [`DecodeError::Upcast`].
pub fn renamed_and_defaulted(
    event_type: &str,
    data: Value,
    renamed: &[(&str, &str)],
    defaults: &[(&str, &str)],
) -> Result<Value, DecodeError> {
    let error = |reason: String| DecodeError::Upcast {
        event_type: event_type.to_owned(),
        reason,
    };
    let Value::Object(mut fields) = data else {
        return Err(error(format!("the data is {}, not an object", kind(&data))));
    };
    for (old, new) in renamed {
        rename(&mut fields, old, new);
    }
    for (field, json) in defaults {
        if !fields.contains_key(*field) {
            let value = serde_json::from_str(json)
                .map_err(|e| error(format!("the default of `{field}` is not JSON: {e}")))?;
            fields.insert((*field).to_owned(), value);
        }
    }
    Ok(Value::Object(fields))
}

fn rename(fields: &mut Map<String, Value>, old: &str, new: &str) {
    if let Some(value) = fields.remove(old)
        && !fields.contains_key(new)
    {
        fields.insert(new.to_owned(), value);
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    use super::*;
    use crate::envelope::Envelope;

    /// Version 3 of a booking. Version 1 called the guest `guest_name`; version 2 added
    /// `currency` (bookings before it were in euros); version 3 split `nights` out of a
    /// `stay` object, which takes a hand-written step.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct RoomBooked {
        guest: String,
        nights: u32,
        currency: String,
    }

    impl Event for RoomBooked {
        const DOMAIN: &'static str = "reservations";
        const NAME: &'static str = "RoomBooked";
        const VERSION: u32 = 3;
        const TYPE: &'static str = "hotel.reservations.RoomBooked.v3";
        const SOURCE: &'static str = "hotel/reservations";
        const PREVIOUS_TYPES: &'static [&'static str] = &[
            "hotel.reservations.RoomBooked.v1",
            "hotel.reservations.RoomBooked.v2",
        ];

        fn partition_key(&self) -> Option<String> {
            None
        }

        fn upcast(from: u32, data: Value) -> Result<Value, DecodeError> {
            match from {
                1 => renamed_and_defaulted(
                    "hotel.reservations.RoomBooked.v1",
                    data,
                    &[("guest_name", "guest")],
                    &[("currency", "\"EUR\"")],
                ),
                2 => {
                    let mut data = data;
                    let nights = data["stay"]["nights"].take();
                    data["nights"] = nights;
                    Ok(data)
                }
                _ => Err(DecodeError::Upcast {
                    event_type: format!("hotel.reservations.RoomBooked.v{from}"),
                    reason: "no step from this version".to_owned(),
                }),
            }
        }
    }

    fn v1() -> Value {
        json!({ "guest_name": "Ada", "stay": { "nights": 3 } })
    }

    #[test]
    fn the_version_is_the_last_segment_of_the_type() {
        assert_eq!(version_of("hotel.users.UserRegistered.v3"), Some(3));
        assert_eq!(version_of("hotel.users.UserRegistered.v12"), Some(12));
        for bad in ["hotel.users.X.request", "v1", "a.v", "a.v1x", "a.v-1"] {
            assert_eq!(version_of(bad), None, "{bad}");
        }
        assert_eq!(with_version("s.d.E.v3", 1), "s.d.E.v1");
    }

    #[test]
    fn a_version_1_payload_goes_through_every_step_to_the_current_struct() {
        let booked = RoomBooked::decode("hotel.reservations.RoomBooked.v1", &v1()).unwrap();
        assert_eq!(
            booked,
            RoomBooked {
                guest: "Ada".to_owned(),
                nights: 3,
                currency: "EUR".to_owned(),
            }
        );
        // Version 2 already has `guest` and its own currency: only the last step runs.
        let v2 = json!({ "guest": "Bo", "currency": "CHF", "stay": { "nights": 1 } });
        let booked = RoomBooked::decode("hotel.reservations.RoomBooked.v2", &v2).unwrap();
        assert_eq!(
            (booked.guest.as_str(), booked.currency.as_str()),
            ("Bo", "CHF")
        );
        assert_eq!(booked.nights, 1);
    }

    #[test]
    fn the_current_version_decodes_without_upcasting_and_round_trips() {
        let current = RoomBooked {
            guest: "Cy".to_owned(),
            nights: 2,
            currency: "USD".to_owned(),
        };
        let envelope = current.to_envelope(None);
        assert_eq!(RoomBooked::from_envelope(&envelope).unwrap(), current);
        let old = Envelope::new(RoomBooked::SOURCE, "hotel.reservations.RoomBooked.v1", v1());
        assert_eq!(RoomBooked::from_envelope(&old).unwrap().guest, "Ada");
        let types: Vec<&str> = RoomBooked::accepted_types().collect();
        assert_eq!(
            types,
            [
                "hotel.reservations.RoomBooked.v3",
                "hotel.reservations.RoomBooked.v1",
                "hotel.reservations.RoomBooked.v2"
            ]
        );
    }

    #[test]
    fn a_version_the_event_does_not_list_is_a_decode_error() {
        let unknown = RoomBooked::decode("hotel.reservations.RoomBooked.v4", &v1());
        assert!(
            matches!(&unknown, Err(DecodeError::UnknownType(t)) if t.ends_with(".v4")),
            "{unknown:?}"
        );
        // An event without older versions knows none: the default `upcast` says so.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        struct Plain {
            n: u32,
        }
        impl Event for Plain {
            const DOMAIN: &'static str = "d";
            const NAME: &'static str = "Plain";
            const VERSION: u32 = 2;
            const TYPE: &'static str = "s.d.Plain.v2";
            const SOURCE: &'static str = "s/d";
            const PREVIOUS_TYPES: &'static [&'static str] = &["s.d.Plain.v1", "s.d.Plain.v7"];
            fn partition_key(&self) -> Option<String> {
                None
            }
        }
        let no_step = Plain::decode("s.d.Plain.v1", &json!({ "n": 1 })).unwrap_err();
        assert_eq!(
            no_step.to_string(),
            "cannot upcast `s.d.Plain.v1`: `Plain` has no upcast from version 1"
        );
        let newer = Plain::decode("s.d.Plain.v7", &json!({ "n": 1 })).unwrap_err();
        assert_eq!(
            newer.to_string(),
            "cannot upcast `s.d.Plain.v7`: listed as an older version of `s.d.Plain.v2`, \
             whose version is 2"
        );
    }

    #[test]
    fn a_rename_never_overwrites_and_a_default_only_fills_what_is_absent() {
        let data = json!({ "old": 1, "new": 2, "kept": null });
        let out = renamed_and_defaulted(
            "t",
            data,
            &[("old", "new"), ("missing", "other")],
            &[("kept", "5"), ("added", "[1, {\"a\": true}]")],
        )
        .unwrap();
        assert_eq!(
            out,
            json!({ "new": 2, "kept": null, "added": [1, { "a": true }] })
        );
    }

    #[test]
    fn data_that_is_not_an_object_or_a_default_that_is_not_json_is_an_error() {
        let err = renamed_and_defaulted("s.d.E.v1", json!([1]), &[], &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot upcast `s.d.E.v1`: the data is an array, not an object"
        );
        let err = renamed_and_defaulted("s.d.E.v1", json!({}), &[], &[("x", "EUR")]).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot upcast `s.d.E.v1`: the default of `x` is not JSON"),
            "{err}"
        );
        // A step that produced the wrong shape fails in serde, as data of the current type.
        let wrong = RoomBooked::decode(
            "hotel.reservations.RoomBooked.v2",
            &json!({ "guest": 1, "currency": "EUR", "stay": { "nights": 1 } }),
        );
        assert!(matches!(wrong, Err(DecodeError::Data(_))), "{wrong:?}");
    }
}
