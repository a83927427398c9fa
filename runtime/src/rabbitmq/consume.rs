//! Publishing, subscribing and settling on RabbitMQ (see the parent module for the mapping).

use super::*;

impl Publisher for RabbitBus {
    async fn publish(&self, envelope: Envelope) -> Result<(), BusError> {
        self.publish_all(vec![envelope]).await
    }

    /// Sends every event, then waits for the confirms (pipelined); any that failed is
    /// retried one by one.
    async fn publish_all(&self, envelopes: Vec<Envelope>) -> Result<(), BusError> {
        if self.inner.closed.load(Ordering::SeqCst) {
            return Err(BusError::Closed);
        }
        let live = self.live().await?;
        let mut sent = Vec::with_capacity(envelopes.len());
        for e in &envelopes {
            let system = topology::system_of(e.event_type())?;
            self.ensure_system(&live.publish, system).await?;
            let (props, body) = properties(e, &[]);
            let confirm = bounded(
                "publish",
                live.publish.basic_publish(
                    topology::exchange(system).into(),
                    e.event_type().into(),
                    BasicPublishOptions::default(),
                    &body,
                    props.clone(),
                ),
            )
            .await;
            sent.push((
                confirm,
                system.to_owned(),
                e.event_type().to_owned(),
                props,
                body,
            ));
        }
        for (confirmation, system, key, props, body) in sent {
            let confirmed = match confirmation {
                Ok(c) => confirm(c).await,
                Err(e) => Err(e.to_string()),
            };
            if confirmed.is_err() {
                self.publish_raw(&topology::exchange(&system), &key, props, &body)
                    .await?;
            }
        }
        Ok(())
    }
}

impl Transport for RabbitBus {
    async fn subscribe<H: Handler>(
        &self,
        subscription: Subscription,
        handler: H,
    ) -> Result<(), BusError> {
        if self.inner.closed.load(Ordering::SeqCst) {
            return Err(BusError::Closed);
        }
        if lock(&self.inner.subs).contains_key(subscription.name()) {
            return Err(BusError::DuplicateSubscription(
                subscription.name().to_owned(),
            ));
        }
        let retry = subscription.retry().clone();
        let topology = topology::subscription(
            subscription.name(),
            subscription.types(),
            self.inner.system.as_deref(),
            retry.max_attempts + 1,
        )?;
        let live = self.live().await?;
        topology::declare_subscription(&live.publish, &topology).await?;
        lock(&self.inner.systems).insert(topology.system.clone());
        let dedup = subscription
            .dedup
            .clone()
            .unwrap_or_else(|| Arc::new(MemoryDedup::default()));
        let consumer = Arc::new(Consumer::new(handler, dedup, retry));
        let lanes: Arc<Lanes<RabbitDelivery>> =
            Arc::new(Lanes::start(subscription.lanes(), consumer));
        let delay_queues = Arc::new(Mutex::new(BTreeSet::new()));
        let retries = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let ctx = Arc::new(SettleContext {
            retries: Arc::clone(&retries),
            bus: Arc::downgrade(&self.inner),
            queue: topology.queue.clone(),
            dlx: topology::dead_letter_exchange(&topology.system),
            delay_queues: Arc::clone(&delay_queues),
        });
        let start: Starter = {
            let lanes = Arc::clone(&lanes);
            let queue = topology.queue.clone();
            Arc::new(move |ch: Channel| {
                tokio::spawn(pump(
                    ch,
                    queue.clone(),
                    Arc::clone(&lanes),
                    Arc::clone(&ctx),
                ))
            })
        };
        let ch = bounded("open channel", live.connection.create_channel()).await?;
        let pump = start(ch);
        let (l1, l2) = (Arc::clone(&lanes), lanes);
        lock(&self.inner.subs).insert(
            subscription.name().to_owned(),
            Sub {
                topology,
                start,
                inflight: Box::new(move || l1.inflight() + retries.load(Ordering::SeqCst)),
                abort: Box::new(move || l2.abort()),
                pump: Some(pump),
                delay_queues,
            },
        );
        Ok(())
    }

    async fn dead_letters(&self, subscription: &str) -> Result<Vec<DeadLetter>, BusError> {
        let queue = lock(&self.inner.subs)
            .get(subscription)
            .map(|s| s.topology.queue.clone())
            .ok_or_else(|| BusError::UnknownSubscription(subscription.to_owned()))?;
        let ch = self.channel().await?;
        let mut out = Vec::new();
        // Read without acking; closing the channel puts every message back.
        while let Some(m) = bounded(
            "basic.get",
            ch.basic_get(
                topology::dead_letter_queue(&queue).into(),
                BasicGetOptions::default(),
            ),
        )
        .await?
        {
            let (envelope, headers) = read(&m.delivery.properties, &m.delivery.data);
            out.push(DeadLetter {
                subscription: subscription.to_owned(),
                envelope: envelope.map_err(BusError::Transport)?,
                attempts: headers
                    .get(ATTEMPTS)
                    .and_then(|a| a.parse().ok())
                    .unwrap_or(0),
                reason: headers.get(REASON).cloned().unwrap_or_default(),
                dead_lettered_at: Timestamp::now(),
            });
        }
        let _ = bounded("channel.close", ch.close(200, "read dead letters".into())).await;
        Ok(out)
    }

    /// Polls until the queues of this bus's subscriptions and their delay queues are empty
    /// and no lane holds a delivery, three times in a row (prefetched messages travel between
    /// the server and the lanes).
    async fn drain(&self) {
        let mut quiet = 0;
        while quiet < 3 {
            tokio::time::sleep(Duration::from_millis(30)).await;
            if self.is_idle().await {
                quiet += 1;
            } else {
                quiet = 0;
            }
        }
    }

    async fn shutdown(&self) {
        self.drain().await;
        self.abort().await;
    }
}

impl RabbitBus {
    async fn is_idle(&self) -> bool {
        let (queues, inflight) = {
            let subs = lock(&self.inner.subs);
            let mut queues = Vec::new();
            let mut inflight = 0;
            for s in subs.values() {
                inflight += (s.inflight)();
                queues.push(s.topology.queue.clone());
                queues.extend(lock(&s.delay_queues).iter().cloned());
            }
            (queues, inflight)
        };
        if inflight > 0 {
            return false;
        }
        let Ok(ch) = self.channel().await else {
            return false;
        };
        let passive = QueueDeclareOptions {
            passive: true,
            ..Default::default()
        };
        let mut idle = true;
        for q in queues {
            match bounded(
                "queue.declare",
                ch.queue_declare(q.into(), passive, FieldTable::default()),
            )
            .await
            {
                Ok(info) if info.message_count() == 0 => {}
                _ => {
                    idle = false;
                    break;
                }
            }
        }
        let _ = bounded("channel.close", ch.close(200, "drain".into())).await;
        idle
    }
}

/// Consumes one queue on one channel until the channel or connection dies (the supervisor
/// then starts a new pump on the new connection).
async fn pump(
    ch: Channel,
    queue: String,
    lanes: Arc<Lanes<RabbitDelivery>>,
    ctx: Arc<SettleContext>,
) {
    if bounded(
        "basic.qos",
        ch.basic_qos(PREFETCH, BasicQosOptions::default()),
    )
    .await
    .is_err()
    {
        return;
    }
    let Ok(mut consumer) = bounded(
        "basic.consume",
        ch.basic_consume(
            queue.into(),
            ShortString::from(""),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        ),
    )
    .await
    else {
        return;
    };
    while let Some(Ok(delivery)) = consumer.next().await {
        let (envelope, headers) = read(&delivery.properties, &delivery.data);
        let ours: u32 = headers
            .get(ATTEMPT)
            .and_then(|a| a.parse().ok())
            .unwrap_or(1);
        // Redeliveries of a message that was never settled (a consumer that died).
        let unsettled: u32 = headers
            .get("x-delivery-count")
            .and_then(|a| a.parse().ok())
            .unwrap_or(0);
        let attempt = ours.saturating_add(unsettled);
        if ours > 1 {
            let _ = ctx
                .retries
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
        }
        match envelope {
            Ok(envelope) => lanes.dispatch(
                envelope,
                RabbitDelivery {
                    acker: delivery.acker,
                    channel: ch.clone(),
                    attempt,
                    ctx: Arc::clone(&ctx),
                },
            ),
            Err(_) => {
                // Unreadable: the queue's dead-letter exchange keeps it as it came.
                let _ = delivery
                    .acker
                    .nack(BasicNackOptions {
                        requeue: false,
                        ..Default::default()
                    })
                    .await;
            }
        }
    }
}

struct SettleContext {
    /// Retries this bus scheduled that have not come back yet: a message moving from its
    /// delay queue back to the queue is in neither for a moment, and `drain` must wait.
    retries: Arc<std::sync::atomic::AtomicUsize>,
    bus: std::sync::Weak<Inner>,
    queue: String,
    dlx: String,
    delay_queues: Arc<Mutex<BTreeSet<String>>>,
}

struct RabbitDelivery {
    acker: lapin::Acker,
    channel: Channel,
    attempt: u32,
    ctx: Arc<SettleContext>,
}

impl RabbitDelivery {
    async fn forward(
        &self,
        envelope: &Envelope,
        disposition: &Disposition,
    ) -> Result<(), BusError> {
        let inner = self.ctx.bus.upgrade().ok_or(BusError::Closed)?;
        let bus = RabbitBus { inner };
        match disposition {
            Disposition::Retry(delay) => {
                let ms = topology::bucket_ms(u64::try_from(delay.as_millis()).unwrap_or(u64::MAX));
                let ch = bus.live().await?.publish;
                let name = topology::declare_delay_queue(&ch, &self.ctx.queue, ms).await?;
                lock(&self.ctx.delay_queues).insert(name.clone());
                let (props, body) =
                    properties(envelope, &[(ATTEMPT, (self.attempt + 1).to_string())]);
                bus.publish_raw("", &name, props, &body).await?;
                self.ctx.retries.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }
            Disposition::DeadLetter(reason) => {
                let (props, body) = properties(
                    envelope,
                    &[
                        (REASON, reason.clone()),
                        (ATTEMPTS, self.attempt.to_string()),
                    ],
                );
                bus.publish_raw(&self.ctx.dlx, &self.ctx.queue, props, &body)
                    .await
            }
            Disposition::Ack | Disposition::Duplicate => Ok(()),
        }
    }
}

impl Delivery for RabbitDelivery {
    fn attempt(&self) -> u32 {
        self.attempt
    }

    async fn settle(self, envelope: Envelope, disposition: Disposition) {
        // The copy (delay queue or dead letters) is confirmed before the original is acked:
        // a crash in between duplicates the event (dedup absorbs it), never loses it.
        match self.forward(&envelope, &disposition).await {
            // On a channel that died the broker has requeued the delivery already, and lapin's
            // ack future would never resolve.
            _ if !self.channel.status().connected() => {}
            Ok(()) => {
                let _ = bounded_by(
                    SETTLE_STEP,
                    "basic.ack",
                    self.acker.ack(BasicAckOptions::default()),
                )
                .await;
            }
            Err(_) => {
                let _ = bounded_by(
                    SETTLE_STEP,
                    "basic.nack",
                    self.acker.nack(BasicNackOptions {
                        requeue: true,
                        ..Default::default()
                    }),
                )
                .await;
            }
        }
    }
}
