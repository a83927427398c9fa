//! Saga instances on PostgreSQL: one row per instance in `<prefix>_sagas`, the instance as
//! JSON next to the columns the engine queries (open or not, correlation id) and the version
//! that makes saves optimistic, so two processes running the same saga never overwrite each
//! other's progress: the loser's event is redelivered and applied to the fresh row.

use std::sync::Arc;

use tokio::sync::Mutex;
use tokio_postgres::Client;
use uuid::Uuid;

use super::{Tables, backend, connect};
use crate::saga::{SagaInstance, SagaStore};
use crate::store::StoreError;

/// The saga store on PostgreSQL. Clones share one connection.
#[derive(Clone)]
pub struct PgSagaStore {
    client: Arc<Mutex<Client>>,
    table: String,
}

fn decode(json: &str) -> Result<SagaInstance, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Backend(format!("stored saga: {e}")))
}

impl PgSagaStore {
    /// Connects, and creates `<prefix>_sagas` when missing.
    pub async fn connect(conninfo: &str, prefix: &str) -> Result<Self, StoreError> {
        let client = Arc::new(Mutex::new(connect(conninfo).await?));
        Self::with_client(client, prefix).await
    }

    /// Uses an existing connection (a service's event store's, say).
    pub async fn with_client(client: Arc<Mutex<Client>>, prefix: &str) -> Result<Self, StoreError> {
        Tables::new(prefix)?;
        let store = Self {
            client,
            table: format!("{prefix}_sagas"),
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let t = &self.table;
        self.client
            .lock()
            .await
            .batch_execute(&format!(
                "CREATE TABLE IF NOT EXISTS {t} (
                    saga text NOT NULL,
                    key text NOT NULL,
                    correlation_id uuid NOT NULL,
                    open boolean NOT NULL,
                    version bigint NOT NULL,
                    instance jsonb NOT NULL,
                    PRIMARY KEY (saga, key));
                 CREATE INDEX IF NOT EXISTS {t}_open ON {t} (saga, correlation_id) WHERE open;"
            ))
            .await
            .map_err(backend)
    }

    /// Drops the table (tests).
    pub async fn drop_table(&self) -> Result<(), StoreError> {
        self.client
            .lock()
            .await
            .batch_execute(&format!("DROP TABLE IF EXISTS {}", self.table))
            .await
            .map_err(backend)
    }

    async fn select(
        &self,
        condition: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<Vec<SagaInstance>, StoreError> {
        let client = self.client.lock().await;
        let rows = client
            .query(
                &format!(
                    "SELECT instance::text FROM {} WHERE {condition} ORDER BY key",
                    self.table
                ),
                params,
            )
            .await
            .map_err(backend)?;
        rows.iter().map(|r| decode(r.get(0))).collect()
    }
}

impl SagaStore for PgSagaStore {
    async fn load(&self, saga: &str, key: &str) -> Result<Option<SagaInstance>, StoreError> {
        Ok(self
            .select("saga = $1 AND key = $2", &[&saga, &key])
            .await?
            .pop())
    }

    async fn find_by_correlation(
        &self,
        saga: &str,
        correlation_id: Uuid,
    ) -> Result<Vec<SagaInstance>, StoreError> {
        self.select(
            "saga = $1 AND correlation_id = $2 AND open",
            &[&saga, &correlation_id],
        )
        .await
    }

    async fn save(&self, instance: &SagaInstance) -> Result<(), StoreError> {
        let json = serde_json::to_string(instance)
            .map_err(|e| StoreError::Backend(format!("saga instance: {e}")))?;
        let version = i64::try_from(instance.version)
            .map_err(|_| StoreError::Backend("saga version overflows".to_owned()))?;
        let open = instance.status.is_open();
        let client = self.client.lock().await;
        let t = &self.table;
        let written = if version == 1 {
            client
                .execute(
                    &format!(
                        "INSERT INTO {t} (saga, key, correlation_id, open, version, instance) \
                         VALUES ($1, $2, $3, $4, 1, $5::text::jsonb) ON CONFLICT DO NOTHING"
                    ),
                    &[
                        &instance.saga,
                        &instance.key,
                        &instance.correlation_id,
                        &open,
                        &json,
                    ],
                )
                .await
        } else {
            client
                .execute(
                    &format!(
                        "UPDATE {t} SET open = $3, version = $4::bigint, \
                         instance = $5::text::jsonb \
                         WHERE saga = $1 AND key = $2 AND version = $4::bigint - 1"
                    ),
                    &[&instance.saga, &instance.key, &open, &version, &json],
                )
                .await
        }
        .map_err(backend)?;
        if written == 0 {
            let row = client
                .query_opt(
                    &format!("SELECT version FROM {t} WHERE saga = $1 AND key = $2"),
                    &[&instance.saga, &instance.key],
                )
                .await
                .map_err(backend)?;
            let actual = row.map_or(0, |r| r.get::<_, i64>(0) as u64);
            return Err(crate::saga::store_conflict(instance, actual));
        }
        Ok(())
    }

    async fn open(&self, saga: &str) -> Result<Vec<SagaInstance>, StoreError> {
        self.select("saga = $1 AND open", &[&saga]).await
    }
}
