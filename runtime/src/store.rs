//! Event store: the events of each aggregate (a stream), appended with optimistic concurrency
//! and read back to rebuild state.
//!
//! A writer states the version it based its decision on; if another writer appended in
//! between, the append fails with [`StoreError::Conflict`] and the writer reloads and retries.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use crate::envelope::Envelope;

/// The version an append expects the stream to be at. Version = number of events in the
/// stream (0 for a stream that does not exist).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpectedVersion {
    /// Append whatever the current version (no concurrency check).
    Any,
    /// The stream must not exist yet (creating an aggregate).
    NoStream,
    /// The stream must be at exactly this version.
    Exact(u64),
}

impl ExpectedVersion {
    fn admits(self, actual: u64) -> bool {
        match self {
            Self::Any => true,
            Self::NoStream => actual == 0,
            Self::Exact(v) => v == actual,
        }
    }
}

/// An event as stored: its stream and its 1-based position in it.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredEvent {
    pub stream: String,
    pub version: u64,
    pub envelope: Envelope,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// Another writer appended first.
    Conflict {
        stream: String,
        expected: ExpectedVersion,
        actual: u64,
    },
    /// The backing store failed.
    Backend(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Conflict {
                stream,
                expected,
                actual,
            } => write!(
                f,
                "concurrency conflict on stream `{stream}`: expected {expected:?}, \
                 stream is at version {actual}"
            ),
            Self::Backend(msg) => write!(f, "event store error: {msg}"),
        }
    }
}

impl std::error::Error for StoreError {}

pub trait EventStore: Send + Sync {
    /// Appends `events` to `stream` atomically if it is at `expected`; returns the new version.
    fn append(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: Vec<Envelope>,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// The events of `stream` with version greater than `after`, in order (`after = 0` reads
    /// the whole stream; an unknown stream is empty).
    fn read_stream(
        &self,
        stream: &str,
        after: u64,
    ) -> impl Future<Output = Result<Vec<StoredEvent>, StoreError>> + Send;

    /// The current version of `stream` (0 when it does not exist).
    fn stream_version(&self, stream: &str) -> impl Future<Output = Result<u64, StoreError>> + Send;
}

/// Event store in process memory. Clones share the same streams.
#[derive(Clone, Default)]
pub struct MemoryEventStore {
    streams: Arc<Mutex<HashMap<String, Vec<Envelope>>>>,
}

impl MemoryEventStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn streams(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Envelope>>> {
        // Appends are all-or-nothing `extend`s; a poisoned lock still holds whole streams.
        self.streams.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl EventStore for MemoryEventStore {
    async fn append(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: Vec<Envelope>,
    ) -> Result<u64, StoreError> {
        let mut streams = self.streams();
        let actual = streams.get(stream).map_or(0, |s| s.len() as u64);
        if !expected.admits(actual) {
            return Err(StoreError::Conflict {
                stream: stream.to_owned(),
                expected,
                actual,
            });
        }
        if events.is_empty() {
            return Ok(actual);
        }
        let s = streams.entry(stream.to_owned()).or_default();
        s.extend(events);
        Ok(s.len() as u64)
    }

    async fn read_stream(&self, stream: &str, after: u64) -> Result<Vec<StoredEvent>, StoreError> {
        let streams = self.streams();
        let Some(events) = streams.get(stream) else {
            return Ok(Vec::new());
        };
        let skip = usize::try_from(after).unwrap_or(usize::MAX);
        Ok(events
            .iter()
            .enumerate()
            .skip(skip)
            .map(|(i, e)| StoredEvent {
                stream: stream.to_owned(),
                version: i as u64 + 1,
                envelope: e.clone(),
            })
            .collect())
    }

    async fn stream_version(&self, stream: &str) -> Result<u64, StoreError> {
        Ok(self.streams().get(stream).map_or(0, |s| s.len() as u64))
    }
}
