//! The saga store chosen at run time: `FISSURE_SAGA_STORE` unset keeps saga state in memory
//! (lost with the process); a PostgreSQL connection string keeps it in `<system>_sagas`, so a
//! restarted process resumes every open saga. [`SagaStore`] is not object safe (its methods
//! return `impl Future`), hence an enum rather than a `Box<dyn _>`.

use uuid::Uuid;

use super::{MemorySagaStore, SagaInstance, SagaStore};
use crate::store::StoreError;

/// The environment variable naming the saga store.
pub const SAGA_STORE_ENV: &str = "FISSURE_SAGA_STORE";

/// Where saga state lives, as chosen by [`AnySagaStore::from_env`].
#[derive(Clone)]
pub enum AnySagaStore {
    Memory(MemorySagaStore),
    #[cfg(feature = "postgres")]
    Postgres(crate::postgres::PgSagaStore),
}

/// What a `FISSURE_SAGA_STORE` value asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SagaStoreKind {
    Memory,
    /// A libpq connection string: `postgres://...`, `postgresql://...` or `host=... ...`.
    Postgres(String),
}

impl SagaStoreKind {
    pub fn parse(value: Option<&str>) -> Result<Self, StoreError> {
        match value.map(str::trim) {
            None | Some("") | Some("memory") => Ok(Self::Memory),
            Some(v)
                if v.starts_with("postgres://")
                    || v.starts_with("postgresql://")
                    || v.contains("host=")
                    || v.contains("dbname=") =>
            {
                Ok(Self::Postgres(v.to_owned()))
            }
            Some(v) => Err(StoreError::Backend(format!(
                "{SAGA_STORE_ENV}=`{v}`: expected `memory` or a PostgreSQL connection string"
            ))),
        }
    }
}

impl AnySagaStore {
    /// The store `FISSURE_SAGA_STORE` names; `system` prefixes the PostgreSQL table.
    pub async fn from_env(system: &str) -> Result<Self, StoreError> {
        let value = std::env::var(SAGA_STORE_ENV).ok();
        Self::open(SagaStoreKind::parse(value.as_deref())?, system).await
    }

    pub async fn open(kind: SagaStoreKind, system: &str) -> Result<Self, StoreError> {
        match kind {
            SagaStoreKind::Memory => Ok(Self::Memory(MemorySagaStore::new())),
            #[cfg(feature = "postgres")]
            SagaStoreKind::Postgres(conninfo) => Ok(Self::Postgres(
                crate::postgres::PgSagaStore::connect(&conninfo, system).await?,
            )),
            #[cfg(not(feature = "postgres"))]
            SagaStoreKind::Postgres(_) => {
                let _ = system;
                Err(StoreError::Backend(format!(
                    "{SAGA_STORE_ENV} names PostgreSQL, but this build has no `postgres` feature"
                )))
            }
        }
    }
}

impl SagaStore for AnySagaStore {
    async fn load(&self, saga: &str, key: &str) -> Result<Option<SagaInstance>, StoreError> {
        match self {
            Self::Memory(s) => s.load(saga, key).await,
            #[cfg(feature = "postgres")]
            Self::Postgres(s) => s.load(saga, key).await,
        }
    }

    async fn find_by_correlation(
        &self,
        saga: &str,
        correlation_id: Uuid,
    ) -> Result<Vec<SagaInstance>, StoreError> {
        match self {
            Self::Memory(s) => s.find_by_correlation(saga, correlation_id).await,
            #[cfg(feature = "postgres")]
            Self::Postgres(s) => s.find_by_correlation(saga, correlation_id).await,
        }
    }

    async fn save(&self, instance: &SagaInstance) -> Result<(), StoreError> {
        match self {
            Self::Memory(s) => s.save(instance).await,
            #[cfg(feature = "postgres")]
            Self::Postgres(s) => s.save(instance).await,
        }
    }

    async fn open(&self, saga: &str) -> Result<Vec<SagaInstance>, StoreError> {
        match self {
            Self::Memory(s) => s.open(saga).await,
            #[cfg(feature = "postgres")]
            Self::Postgres(s) => s.open(saga).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_or_memory_keeps_saga_state_in_memory() {
        assert_eq!(SagaStoreKind::parse(None).unwrap(), SagaStoreKind::Memory);
        assert_eq!(
            SagaStoreKind::parse(Some(" memory ")).unwrap(),
            SagaStoreKind::Memory
        );
    }

    #[test]
    fn connection_strings_name_postgres_and_anything_else_is_refused() {
        for v in [
            "postgres://u@h/db",
            "postgresql://h/db",
            "host=127.0.0.1 dbname=test",
        ] {
            assert_eq!(
                SagaStoreKind::parse(Some(v)).unwrap(),
                SagaStoreKind::Postgres(v.to_owned())
            );
        }
        let err = SagaStoreKind::parse(Some("redis://h")).unwrap_err();
        assert!(err.to_string().contains("FISSURE_SAGA_STORE"), "{err}");
    }
}
