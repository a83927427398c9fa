//! A saga that waits for an event with older versions lists it in its `DEFINITION`'s
//! `versions`, so the engine accepts (and upcasts) what producers not yet upgraded publish;
//! events without older versions are not listed, and the saga's tests apply the previous
//! version of such a reply. The runtime's `tests/upcast_saga.rs` proves the engine's side.

use crate::support::{Case, fixture};

/// The hotel spec with `PaymentCaptured` (the `payment` step's success) at version 2,
/// version 1 having called `card_last4` `last4`.
fn hotel_with_payment_captured_v2() -> String {
    let text = std::fs::read_to_string(fixture("hotel/fissure.yaml")).expect("hotel spec");
    let v1 = "  PaymentCaptured:\n    from: billing\n    version: 1\n";
    assert!(
        text.contains(v1),
        "the fixture still has PaymentCaptured at version 1"
    );
    let fields = "amount: Money, card_last4: String }\n";
    text.replace(
        v1,
        "  PaymentCaptured:\n    from: billing\n    version: 2\n",
    )
    .replacen(
        fields,
        &format!("{fields}    upcast:\n      renamed: {{ last4: card_last4 }}\n"),
        1,
    )
}

#[test]
fn a_saga_lists_the_listened_events_that_have_older_versions() {
    let run = Case::new()
        .spec(&hotel_with_payment_captured_v2())
        .args(["generate", "--spec", "fissure.yaml", "--out", "ws"])
        .run();
    let generated = run.read("ws/services/reservations/src/generated.rs");
    let listed: Vec<&str> = generated
        .match_indices("EventVersions::of::<")
        .map(|(at, _)| {
            let rest = &generated[at..];
            &rest[..rest.find('>').map_or(rest.len(), |end| end + 1)]
        })
        .collect();
    assert_eq!(listed, ["EventVersions::of::<events::PaymentCaptured>"]);
    // The saga's generated tests apply version 1 of the `payment` step's reply.
    let tests: Vec<&str> = generated
        .lines()
        .filter_map(|l| l.trim().strip_prefix("async fn a_version_"))
        .collect();
    assert_eq!(tests, ["1_payment_captured_advances_step_payment() {"]);
}
