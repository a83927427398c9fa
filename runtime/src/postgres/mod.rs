//! Durable state on PostgreSQL (cargo feature `postgres`, client tokio-postgres).
//!
//! - [`PgEventStore`]: events per aggregate stream with optimistic concurrency (a unique
//!   `(stream, version)` key; a lost race is [`StoreError::Conflict`]), read back in order to
//!   rebuild state on start.
//! - Transactional outbox: [`PgEventStore::append_in`] writes the events and their outbox
//!   rows inside the caller's transaction, next to the service's own state change, so both
//!   commit or neither does. [`OutboxRelay`] publishes unsent rows and marks them sent only
//!   after the broker confirmed; a crash in between republishes with the same event id (the
//!   broker's dedup window and the consumers' inbox absorb it).
//! - [`PgInbox`]: a consumer records the event id in the same transaction as its writes, so a
//!   redelivery after a restart finds the id and skips the handler's effects.
//!
//! - [`PgSagaStore`]: saga instances, saved optimistically, reloaded after a restart.
//!
//! Tables are named `<prefix>_events`, `<prefix>_outbox`, `<prefix>_inbox` and
//! `<prefix>_sagas`.

mod outbox;
mod saga;

use std::sync::Arc;

use tokio::sync::Mutex;
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, NoTls, Transaction};

use crate::envelope::Envelope;
use crate::handler::HandlerError;
use crate::store::{EventStore, ExpectedVersion, StoreError, StoredEvent};
pub use outbox::OutboxRelay;
pub use saga::PgSagaStore;

/// The client crate, for tests and services that write their own state.
pub use tokio_postgres;

/// Opens a connection (libpq key/value or URL form) and drives it on a background task.
pub async fn connect(conninfo: &str) -> Result<Client, StoreError> {
    let (client, connection) = tokio_postgres::connect(conninfo, NoTls)
        .await
        .map_err(|e| StoreError::Backend(format!("cannot connect to PostgreSQL: {e}")))?;
    tokio::spawn(connection);
    Ok(client)
}

fn backend(e: tokio_postgres::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// Table names derived from a prefix of letters, digits and `_`.
#[derive(Clone, Debug)]
pub struct Tables {
    pub events: String,
    pub outbox: String,
    pub inbox: String,
}

impl Tables {
    pub fn new(prefix: &str) -> Result<Self, StoreError> {
        let ok = !prefix.is_empty()
            && prefix
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !prefix.as_bytes()[0].is_ascii_digit();
        if !ok {
            return Err(StoreError::Backend(format!(
                "table prefix `{prefix}`: letters, digits and `_` only, not starting with a digit"
            )));
        }
        Ok(Self {
            events: format!("{prefix}_events"),
            outbox: format!("{prefix}_outbox"),
            inbox: format!("{prefix}_inbox"),
        })
    }

    /// Creates the tables when they do not exist.
    pub async fn migrate(&self, client: &Client) -> Result<(), StoreError> {
        let Self {
            events,
            outbox,
            inbox,
        } = self;
        client
            .batch_execute(&format!(
                "CREATE TABLE IF NOT EXISTS {events} (
                    position bigserial PRIMARY KEY,
                    stream text NOT NULL,
                    version bigint NOT NULL,
                    event_id uuid NOT NULL UNIQUE,
                    event_type text NOT NULL,
                    envelope jsonb NOT NULL,
                    UNIQUE (stream, version));
                 CREATE TABLE IF NOT EXISTS {outbox} (
                    position bigserial PRIMARY KEY,
                    event_id uuid NOT NULL,
                    envelope jsonb NOT NULL,
                    sent_at timestamptz);
                 CREATE INDEX IF NOT EXISTS {outbox}_unsent ON {outbox} (position)
                    WHERE sent_at IS NULL;
                 CREATE TABLE IF NOT EXISTS {inbox} (
                    subscription text NOT NULL,
                    event_id uuid NOT NULL,
                    handled_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (subscription, event_id));"
            ))
            .await
            .map_err(backend)
    }

    /// Drops the tables (tests).
    pub async fn drop_all(&self, client: &Client) -> Result<(), StoreError> {
        client
            .batch_execute(&format!(
                "DROP TABLE IF EXISTS {}, {}, {}",
                self.events, self.outbox, self.inbox
            ))
            .await
            .map_err(backend)
    }
}

/// The event store on PostgreSQL. Clones share one connection.
#[derive(Clone)]
pub struct PgEventStore {
    client: Arc<Mutex<Client>>,
    tables: Tables,
}

impl PgEventStore {
    /// Connects, and creates the tables of `prefix` when missing.
    pub async fn connect(conninfo: &str, prefix: &str) -> Result<Self, StoreError> {
        let tables = Tables::new(prefix)?;
        let client = connect(conninfo).await?;
        tables.migrate(&client).await?;
        Ok(Self {
            client: Arc::new(Mutex::new(client)),
            tables,
        })
    }

    pub fn tables(&self) -> &Tables {
        &self.tables
    }

    /// The connection, for a service that writes its state in the same transaction as its
    /// events (`client.lock().await.transaction()`, then [`PgEventStore::append_in`]).
    pub fn client(&self) -> &Arc<Mutex<Client>> {
        &self.client
    }

    /// Appends `events` to `stream` and to the outbox inside `tx`: they commit with whatever
    /// else `tx` writes (the service's state), or not at all.
    pub async fn append_in(
        &self,
        tx: &Transaction<'_>,
        stream: &str,
        expected: ExpectedVersion,
        events: Vec<Envelope>,
    ) -> Result<u64, StoreError> {
        let Tables {
            events: t, outbox, ..
        } = &self.tables;
        let row = tx
            .query_one(
                &format!("SELECT coalesce(max(version), 0) FROM {t} WHERE stream = $1"),
                &[&stream],
            )
            .await
            .map_err(backend)?;
        let actual = row.get::<_, i64>(0) as u64;
        let conflict = || StoreError::Conflict {
            stream: stream.to_owned(),
            expected,
            actual,
        };
        let admits = match expected {
            ExpectedVersion::Any => true,
            ExpectedVersion::NoStream => actual == 0,
            ExpectedVersion::Exact(v) => v == actual,
        };
        if !admits {
            return Err(conflict());
        }
        let insert_event = tx
            .prepare(&format!(
                "INSERT INTO {t} (stream, version, event_id, event_type, envelope) \
                 VALUES ($1, $2, $3, $4, $5::text::jsonb)"
            ))
            .await
            .map_err(backend)?;
        let insert_outbox = tx
            .prepare(&format!(
                "INSERT INTO {outbox} (event_id, envelope) VALUES ($1, $2::text::jsonb)"
            ))
            .await
            .map_err(backend)?;
        let mut version = actual;
        for e in &events {
            version += 1;
            let json = e.to_json();
            let v = version as i64;
            let inserted = tx
                .execute(
                    &insert_event,
                    &[&stream, &v, &e.id(), &e.event_type(), &json],
                )
                .await;
            match inserted {
                Ok(_) => {}
                // Another writer took this version between our read and our insert.
                Err(err) if err.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                    return Err(conflict());
                }
                Err(err) => return Err(backend(err)),
            }
            tx.execute(&insert_outbox, &[&e.id(), &json])
                .await
                .map_err(backend)?;
        }
        Ok(version)
    }

    /// Every stored event after global position `after`, in commit order (projections
    /// rebuilding on start): `(position, event)`.
    pub async fn read_all(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, StoredEvent)>, StoreError> {
        let client = self.client.lock().await;
        let rows = client
            .query(
                &format!(
                    "SELECT position, stream, version, envelope::text FROM {} \
                     WHERE position > $1 ORDER BY position LIMIT $2",
                    self.tables.events
                ),
                &[&after, &limit],
            )
            .await
            .map_err(backend)?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.get(0),
                    StoredEvent {
                        stream: r.get(1),
                        version: r.get::<_, i64>(2) as u64,
                        envelope: parse(r.get(3))?,
                    },
                ))
            })
            .collect()
    }
}

fn parse(json: &str) -> Result<Envelope, StoreError> {
    Envelope::from_json(json).map_err(|e| StoreError::Backend(format!("stored event: {e}")))
}

impl EventStore for PgEventStore {
    async fn append(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: Vec<Envelope>,
    ) -> Result<u64, StoreError> {
        let mut client = self.client.lock().await;
        let tx = client.transaction().await.map_err(backend)?;
        let version = self.append_in(&tx, stream, expected, events).await?;
        match tx.commit().await {
            Ok(()) => Ok(version),
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => Err(StoreError::Conflict {
                stream: stream.to_owned(),
                expected,
                actual: version,
            }),
            Err(e) => Err(backend(e)),
        }
    }

    async fn read_stream(&self, stream: &str, after: u64) -> Result<Vec<StoredEvent>, StoreError> {
        let client = self.client.lock().await;
        let after = after as i64;
        let rows = client
            .query(
                &format!(
                    "SELECT version, envelope::text FROM {} WHERE stream = $1 AND version > $2 \
                     ORDER BY version",
                    self.tables.events
                ),
                &[&stream, &after],
            )
            .await
            .map_err(backend)?;
        rows.iter()
            .map(|r| {
                Ok(StoredEvent {
                    stream: stream.to_owned(),
                    version: r.get::<_, i64>(0) as u64,
                    envelope: parse(r.get(1))?,
                })
            })
            .collect()
    }

    async fn stream_version(&self, stream: &str) -> Result<u64, StoreError> {
        let client = self.client.lock().await;
        let row = client
            .query_one(
                &format!(
                    "SELECT coalesce(max(version), 0) FROM {} WHERE stream = $1",
                    self.tables.events
                ),
                &[&stream],
            )
            .await
            .map_err(backend)?;
        Ok(row.get::<_, i64>(0) as u64)
    }
}

/// Idempotent consumers across restarts: the handled ids of each subscription, written in the
/// handler's own transaction.
#[derive(Clone, Debug)]
pub struct PgInbox {
    table: String,
    subscription: String,
}

impl PgInbox {
    pub fn new(tables: &Tables, subscription: impl Into<String>) -> Self {
        Self {
            table: tables.inbox.clone(),
            subscription: subscription.into(),
        }
    }

    /// Opens the handler's transaction with the event recorded in it, or `None` when the
    /// event was handled before (then the handler acks without doing anything). The handler
    /// writes its effects in the transaction and commits; if it fails or the process dies
    /// before the commit, neither the effects nor the id are kept and the redelivery runs
    /// it again. A concurrent delivery of the same event waits on the row and then sees it.
    pub async fn begin<'c>(
        &self,
        client: &'c mut Client,
        envelope: &Envelope,
    ) -> Result<Option<Transaction<'c>>, HandlerError> {
        let transient = |e: tokio_postgres::Error| HandlerError::transient(e.to_string());
        let tx = client.transaction().await.map_err(transient)?;
        let inserted = tx
            .execute(
                &format!(
                    "INSERT INTO {} (subscription, event_id) VALUES ($1, $2) \
                     ON CONFLICT DO NOTHING",
                    self.table
                ),
                &[&self.subscription, &envelope.id()],
            )
            .await
            .map_err(transient)?;
        if inserted == 0 {
            tx.rollback().await.map_err(transient)?;
            return Ok(None);
        }
        Ok(Some(tx))
    }
}
