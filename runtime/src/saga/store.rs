//! Where saga instances live between events: the [`SagaStore`] trait and the in-memory store
//! (the PostgreSQL one is `postgres::PgSagaStore`). Saves are optimistic: an instance saved
//! from a stale version is refused with [`StoreError::Conflict`], and the event that caused
//! it is redelivered and applied to the fresh copy.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use uuid::Uuid;

use super::SagaInstance;
use crate::store::{ExpectedVersion, StoreError};

pub trait SagaStore: Send + Sync + 'static {
    /// The instance of `saga` keyed `key`, ended or not.
    fn load(
        &self,
        saga: &str,
        key: &str,
    ) -> impl Future<Output = Result<Option<SagaInstance>, StoreError>> + Send;

    /// The open instances of `saga` started by a flow of this correlation id.
    fn find_by_correlation(
        &self,
        saga: &str,
        correlation_id: Uuid,
    ) -> impl Future<Output = Result<Vec<SagaInstance>, StoreError>> + Send;

    /// Stores `instance` at `instance.version`, which must be one more than the stored
    /// version (1 for a new instance).
    fn save(&self, instance: &SagaInstance) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Every open instance of `saga` (resumed after a restart, swept for timeouts).
    fn open(
        &self,
        saga: &str,
    ) -> impl Future<Output = Result<Vec<SagaInstance>, StoreError>> + Send;
}

/// Saga instances in process memory. Clones share the instances (a "restarted" engine in a
/// test sees what the previous one saved).
#[derive(Clone, Default)]
pub struct MemorySagaStore {
    instances: Arc<Mutex<BTreeMap<(String, String), SagaInstance>>>,
}

impl MemorySagaStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn instances(&self) -> std::sync::MutexGuard<'_, BTreeMap<(String, String), SagaInstance>> {
        // Every write replaces a whole instance; a poisoned lock still holds whole ones.
        self.instances
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// The conflict a store reports when `instance` was saved from a stale version.
pub(crate) fn conflict(instance: &SagaInstance, actual: u64) -> StoreError {
    StoreError::Conflict {
        stream: format!("saga {} {}", instance.saga, instance.key),
        expected: ExpectedVersion::Exact(instance.version.saturating_sub(1)),
        actual,
    }
}

impl SagaStore for MemorySagaStore {
    async fn load(&self, saga: &str, key: &str) -> Result<Option<SagaInstance>, StoreError> {
        Ok(self
            .instances()
            .get(&(saga.to_owned(), key.to_owned()))
            .cloned())
    }

    async fn find_by_correlation(
        &self,
        saga: &str,
        correlation_id: Uuid,
    ) -> Result<Vec<SagaInstance>, StoreError> {
        Ok(self
            .instances()
            .values()
            .filter(|i| i.saga == saga && i.correlation_id == correlation_id && i.status.is_open())
            .cloned()
            .collect())
    }

    async fn save(&self, instance: &SagaInstance) -> Result<(), StoreError> {
        let mut instances = self.instances();
        let id = (instance.saga.clone(), instance.key.clone());
        let actual = instances.get(&id).map_or(0, |i| i.version);
        if actual + 1 != instance.version {
            return Err(conflict(instance, actual));
        }
        instances.insert(id, instance.clone());
        Ok(())
    }

    async fn open(&self, saga: &str) -> Result<Vec<SagaInstance>, StoreError> {
        Ok(self
            .instances()
            .values()
            .filter(|i| i.saga == saga && i.status.is_open())
            .cloned()
            .collect())
    }
}
