//! The bus runtime crate, embedded at compile time from `runtime/` and copied
//! verbatim into every generated workspace. `RUNTIME_FILES` must list every file of that
//! folder: a test enumerates the folder and fails when a file is missing here.

/// `(path relative to runtime, content)`, sorted by path.
pub const RUNTIME_FILES: &[(&str, &str)] = &[
    ("Cargo.toml", include_str!("../../runtime/Cargo.toml")),
    ("README.md", include_str!("../../runtime/README.md")),
    (
        "benches/brokers.rs",
        include_str!("../../runtime/benches/brokers.rs"),
    ),
    (
        "benches/throughput.rs",
        include_str!("../../runtime/benches/throughput.rs"),
    ),
    ("src/binary.rs", include_str!("../../runtime/src/binary.rs")),
    ("src/bus.rs", include_str!("../../runtime/src/bus.rs")),
    (
        "src/consumer.rs",
        include_str!("../../runtime/src/consumer.rs"),
    ),
    (
        "src/contract.rs",
        include_str!("../../runtime/src/contract.rs"),
    ),
    ("src/dedup.rs", include_str!("../../runtime/src/dedup.rs")),
    (
        "src/envelope.rs",
        include_str!("../../runtime/src/envelope.rs"),
    ),
    (
        "src/handler.rs",
        include_str!("../../runtime/src/handler.rs"),
    ),
    ("src/hash.rs", include_str!("../../runtime/src/hash.rs")),
    ("src/ids.rs", include_str!("../../runtime/src/ids.rs")),
    (
        "src/kafka/consume.rs",
        include_str!("../../runtime/src/kafka/consume.rs"),
    ),
    (
        "src/kafka/mod.rs",
        include_str!("../../runtime/src/kafka/mod.rs"),
    ),
    (
        "src/kafka/naming.rs",
        include_str!("../../runtime/src/kafka/naming.rs"),
    ),
    (
        "src/kafka/offsets.rs",
        include_str!("../../runtime/src/kafka/offsets.rs"),
    ),
    ("src/lanes.rs", include_str!("../../runtime/src/lanes.rs")),
    ("src/lib.rs", include_str!("../../runtime/src/lib.rs")),
    (
        "src/memory/lane.rs",
        include_str!("../../runtime/src/memory/lane.rs"),
    ),
    (
        "src/memory/mod.rs",
        include_str!("../../runtime/src/memory/mod.rs"),
    ),
    (
        "src/memory/queue.rs",
        include_str!("../../runtime/src/memory/queue.rs"),
    ),
    (
        "src/memory/tracker.rs",
        include_str!("../../runtime/src/memory/tracker.rs"),
    ),
    (
        "src/naming/kafka.rs",
        include_str!("../../runtime/src/naming/kafka.rs"),
    ),
    (
        "src/naming/mod.rs",
        include_str!("../../runtime/src/naming/mod.rs"),
    ),
    (
        "src/naming/nats.rs",
        include_str!("../../runtime/src/naming/nats.rs"),
    ),
    (
        "src/naming/rabbitmq.rs",
        include_str!("../../runtime/src/naming/rabbitmq.rs"),
    ),
    (
        "src/nats/mod.rs",
        include_str!("../../runtime/src/nats/mod.rs"),
    ),
    (
        "src/nats/naming.rs",
        include_str!("../../runtime/src/nats/naming.rs"),
    ),
    (
        "src/postgres/mod.rs",
        include_str!("../../runtime/src/postgres/mod.rs"),
    ),
    (
        "src/postgres/outbox.rs",
        include_str!("../../runtime/src/postgres/outbox.rs"),
    ),
    (
        "src/postgres/saga.rs",
        include_str!("../../runtime/src/postgres/saga.rs"),
    ),
    (
        "src/rabbitmq/consume.rs",
        include_str!("../../runtime/src/rabbitmq/consume.rs"),
    ),
    (
        "src/rabbitmq/mod.rs",
        include_str!("../../runtime/src/rabbitmq/mod.rs"),
    ),
    (
        "src/rabbitmq/topology.rs",
        include_str!("../../runtime/src/rabbitmq/topology.rs"),
    ),
    ("src/retry.rs", include_str!("../../runtime/src/retry.rs")),
    (
        "src/saga/choice.rs",
        include_str!("../../runtime/src/saga/choice.rs"),
    ),
    (
        "src/saga/context.rs",
        include_str!("../../runtime/src/saga/context.rs"),
    ),
    (
        "src/saga/engine.rs",
        include_str!("../../runtime/src/saga/engine.rs"),
    ),
    (
        "src/saga/mod.rs",
        include_str!("../../runtime/src/saga/mod.rs"),
    ),
    (
        "src/saga/scripted.rs",
        include_str!("../../runtime/src/saga/scripted.rs"),
    ),
    (
        "src/saga/store.rs",
        include_str!("../../runtime/src/saga/store.rs"),
    ),
    (
        "src/saga/versions.rs",
        include_str!("../../runtime/src/saga/versions.rs"),
    ),
    ("src/select.rs", include_str!("../../runtime/src/select.rs")),
    ("src/store.rs", include_str!("../../runtime/src/store.rs")),
    (
        "src/subject.rs",
        include_str!("../../runtime/src/subject.rs"),
    ),
    ("src/time.rs", include_str!("../../runtime/src/time.rs")),
    ("src/upcast.rs", include_str!("../../runtime/src/upcast.rs")),
    (
        "tests/common/crash.rs",
        include_str!("../../runtime/tests/common/crash.rs"),
    ),
    (
        "tests/common/inbox.rs",
        include_str!("../../runtime/tests/common/inbox.rs"),
    ),
    (
        "tests/common/mod.rs",
        include_str!("../../runtime/tests/common/mod.rs"),
    ),
    (
        "tests/common/proxy.rs",
        include_str!("../../runtime/tests/common/proxy.rs"),
    ),
    (
        "tests/common/room_booked.rs",
        include_str!("../../runtime/tests/common/room_booked.rs"),
    ),
    (
        "tests/common/scenarios.rs",
        include_str!("../../runtime/tests/common/scenarios.rs"),
    ),
    (
        "tests/envelope.rs",
        include_str!("../../runtime/tests/envelope.rs"),
    ),
    (
        "tests/kafka.rs",
        include_str!("../../runtime/tests/kafka.rs"),
    ),
    (
        "tests/memory_bus.rs",
        include_str!("../../runtime/tests/memory_bus.rs"),
    ),
    ("tests/nats.rs", include_str!("../../runtime/tests/nats.rs")),
    (
        "tests/postgres.rs",
        include_str!("../../runtime/tests/postgres.rs"),
    ),
    (
        "tests/rabbitmq.rs",
        include_str!("../../runtime/tests/rabbitmq.rs"),
    ),
    ("tests/saga.rs", include_str!("../../runtime/tests/saga.rs")),
    (
        "tests/saga_store.rs",
        include_str!("../../runtime/tests/saga_store.rs"),
    ),
    (
        "tests/store.rs",
        include_str!("../../runtime/tests/store.rs"),
    ),
    (
        "tests/upcast.rs",
        include_str!("../../runtime/tests/upcast.rs"),
    ),
    (
        "tests/upcast_function.rs",
        include_str!("../../runtime/tests/upcast_function.rs"),
    ),
    (
        "tests/upcast_saga.rs",
        include_str!("../../runtime/tests/upcast_saga.rs"),
    ),
];

#[cfg(test)]
mod tests {
    use std::path::Path;

    use walkdir::WalkDir;

    use super::RUNTIME_FILES;

    #[test]
    fn the_embedded_list_is_every_file_of_templates_runtime() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime");
        let mut on_disk: Vec<String> = WalkDir::new(&root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                e.path()
                    .strip_prefix(&root)
                    .ok()
                    .map(|p| p.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/"))
            })
            .filter(|p| !p.starts_with("target/"))
            .collect();
        on_disk.sort();
        let embedded: Vec<String> = RUNTIME_FILES
            .iter()
            .map(|(p, _)| (*p).to_string())
            .collect();
        assert_eq!(
            embedded, on_disk,
            "list every file of runtime in src/generate/runtime.rs"
        );
    }
}
