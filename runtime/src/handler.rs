//! What a subscriber runs for each event: the `Handler` trait, its error, and adapters that
//! turn closures into handlers.

use std::fmt;
use std::future::{Future, ready};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::envelope::Envelope;

/// Handles one event. `Ok` acknowledges it; an error asks for redelivery (transient) or sends
/// it straight to the dead-letter queue (permanent).
///
/// Handlers must be idempotent in their effects or rely on the consumer's dedup store: the bus
/// delivers at least once.
pub trait Handler: Send + Sync + 'static {
    fn handle(&self, envelope: &Envelope) -> impl Future<Output = Result<(), HandlerError>> + Send;
}

/// One service value can serve several subscriptions: subscribe clones of an `Arc`.
impl<H: Handler> Handler for std::sync::Arc<H> {
    fn handle(&self, envelope: &Envelope) -> impl Future<Output = Result<(), HandlerError>> + Send {
        (**self).handle(envelope)
    }
}

/// A failed handling. Transient errors are retried with backoff; permanent ones (an event that
/// can never succeed, such as undecodable data) are dead-lettered at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandlerError {
    message: String,
    permanent: bool,
}

impl HandlerError {
    /// A failure that may succeed on a later attempt (a timeout, a lock, a down dependency).
    pub fn transient(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            permanent: false,
        }
    }

    /// A failure that no retry can fix; the event goes to the dead-letter queue now.
    pub fn permanent(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            permanent: true,
        }
    }

    pub fn is_permanent(&self) -> bool {
        self.permanent
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.permanent {
            "permanent"
        } else {
            "transient"
        };
        write!(f, "{kind} handler error: {}", self.message)
    }
}

impl std::error::Error for HandlerError {}

/// Undecodable data will not decode on the next attempt either.
impl From<serde_json::Error> for HandlerError {
    fn from(e: serde_json::Error) -> Self {
        Self::permanent(format!("cannot decode event data: {e}"))
    }
}

/// A handler from an async closure. The closure gets the envelope by reference and must copy
/// what its future needs (the future may not borrow the envelope).
pub fn handler_fn<F, Fut>(f: F) -> FnHandler<F>
where
    F: Fn(&Envelope) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), HandlerError>> + Send,
{
    FnHandler(f)
}

/// A handler from a synchronous closure: the cheapest kind, for in-memory projections.
pub fn sync_handler<F>(f: F) -> SyncHandler<F>
where
    F: Fn(&Envelope) -> Result<(), HandlerError> + Send + Sync + 'static,
{
    SyncHandler(f)
}

/// See [`handler_fn`].
pub struct FnHandler<F>(F);

impl<F, Fut> Handler for FnHandler<F>
where
    F: Fn(&Envelope) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), HandlerError>> + Send,
{
    fn handle(&self, envelope: &Envelope) -> impl Future<Output = Result<(), HandlerError>> + Send {
        (self.0)(envelope)
    }
}

/// See [`sync_handler`].
pub struct SyncHandler<F>(F);

impl<F> Handler for SyncHandler<F>
where
    F: Fn(&Envelope) -> Result<(), HandlerError> + Send + Sync + 'static,
{
    fn handle(&self, envelope: &Envelope) -> impl Future<Output = Result<(), HandlerError>> + Send {
        ready((self.0)(envelope))
    }
}

/// Runs a pinned handler future and turns a panic into a transient error, so that one bad
/// event cannot kill a worker lane (which would stall every key on it). Takes `Pin<&mut F>` so
/// the caller pins on its stack with `std::pin::pin!`: no allocation, no unsafe projection.
pub(crate) struct CatchPanic<'a, F>(pub(crate) Pin<&'a mut F>);

impl<F: Future<Output = Result<(), HandlerError>>> Future for CatchPanic<'_, F> {
    type Output = Result<(), HandlerError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.0.as_mut();
        match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(p) => p,
            Err(panic) => Poll::Ready(Err(panicked(panic.as_ref()))),
        }
    }
}

/// The error a panicking handler turns into.
pub(crate) fn panicked(payload: &(dyn std::any::Any + Send)) -> HandlerError {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic payload".to_owned());
    HandlerError::transient(format!("handler panicked: {what}"))
}
