//! The outbox relay: publishes committed outbox rows in order and marks them sent only after
//! the broker confirmed them.

use std::time::Duration;

use tokio_postgres::Client;

use super::{Tables, backend, connect, parse};
use crate::bus::Publisher;
use crate::store::StoreError;

/// Publishes the outbox of one service. Run one per service (several are safe: rows are
/// locked with `SKIP LOCKED`, each row goes out through one relay at a time).
pub struct OutboxRelay<P> {
    client: Client,
    tables: Tables,
    publisher: P,
    batch: i64,
}

impl<P: Publisher> OutboxRelay<P> {
    /// A relay on its own connection, so publishing never holds the store's connection.
    pub async fn connect(conninfo: &str, tables: Tables, publisher: P) -> Result<Self, StoreError> {
        Ok(Self {
            client: connect(conninfo).await?,
            tables,
            publisher,
            batch: 500,
        })
    }

    /// Publishes up to one batch of unsent rows; returns how many went out. The rows stay
    /// locked (and unsent) until the broker confirmed them all; a crash before the commit
    /// leaves them unsent for the next relay.
    pub async fn relay_once(&mut self) -> Result<usize, StoreError> {
        let outbox = self.tables.outbox.clone();
        let tx = self.client.transaction().await.map_err(backend)?;
        let rows = tx
            .query(
                &format!(
                    "SELECT position, envelope::text FROM {outbox} WHERE sent_at IS NULL \
                     ORDER BY position LIMIT $1 FOR UPDATE SKIP LOCKED"
                ),
                &[&self.batch],
            )
            .await
            .map_err(backend)?;
        if rows.is_empty() {
            return Ok(0);
        }
        let positions: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
        let envelopes = rows
            .iter()
            .map(|r| parse(r.get(1)))
            .collect::<Result<Vec<_>, _>>()?;
        self.publisher
            .publish_all(envelopes)
            .await
            .map_err(|e| StoreError::Backend(format!("outbox publish: {e}")))?;
        tx.execute(
            &format!("UPDATE {outbox} SET sent_at = now() WHERE position = ANY($1)"),
            &[&positions],
        )
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(positions.len())
    }

    /// Relays forever, polling every `idle` when the outbox is empty and backing off after
    /// errors (broker or database down).
    pub async fn run(mut self, idle: Duration) {
        let mut backoff = idle;
        loop {
            match self.relay_once().await {
                Ok(0) => tokio::time::sleep(idle).await,
                Ok(_) => backoff = idle,
                Err(_) => {
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                }
            }
        }
    }

    /// Rows not yet confirmed by the broker.
    pub async fn unsent(&self) -> Result<i64, StoreError> {
        let row = self
            .client
            .query_one(
                &format!(
                    "SELECT count(*) FROM {} WHERE sent_at IS NULL",
                    self.tables.outbox
                ),
                &[],
            )
            .await
            .map_err(backend)?;
        Ok(row.get(0))
    }
}
