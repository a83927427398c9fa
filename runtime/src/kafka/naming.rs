//! Kafka settings and names: the URL's bootstrap servers and options, one topic per event type,
//! the retry and dead-letter topics and the consumer group of a subscription, and the topics a
//! subscription reads.

use crate::bus::{ALL_TYPES, BusError};
use crate::envelope::Envelope;

/// What `kafka://host:port[,host:port…][?system=…&partitions=…&replication=…&create_topics=…
/// &session_timeout_ms=…]` says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KafkaSettings {
    /// librdkafka's `bootstrap.servers`.
    pub bootstrap: String,
    /// The system of `ALL_TYPES` subscriptions.
    pub system: Option<String>,
    /// Partitions of the topics this bus creates.
    pub partitions: i32,
    /// Replication factor of the topics this bus creates.
    pub replication: i32,
    /// Whether this bus creates the topics it uses (`create_topics=false` when an operator
    /// creates them, or the cluster creates them on first use).
    pub create_topics: bool,
    /// The consumers' `session.timeout.ms`: how long the group waits for a member that stopped
    /// answering (a crashed process) before its partitions go to the others. `None` keeps
    /// librdkafka's 45 s; a broker accepts values within its `group.min/max.session.timeout.ms`.
    pub session_timeout_ms: Option<u32>,
}

impl KafkaSettings {
    pub fn parse(url: &str) -> Result<Self, BusError> {
        let rest = url
            .trim()
            .split_once("://")
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("kafka"))
            .map(|(_, rest)| rest)
            .ok_or_else(|| BusError::Transport(format!("`{url}` is not a kafka:// URL")))?;
        let (hosts, query) = rest.split_once('?').unwrap_or((rest, ""));
        let bootstrap = hosts.trim_end_matches('/').to_owned();
        if bootstrap.is_empty() || bootstrap.split(',').any(|h| !h.contains(':')) {
            return Err(BusError::Transport(format!(
                "`{url}` needs its brokers as host:port[,host:port…]"
            )));
        }
        let mut settings = Self {
            bootstrap,
            system: None,
            partitions: 6,
            replication: 1,
            create_topics: true,
            session_timeout_ms: None,
        };
        let count = |name: &str, v: &str| {
            v.parse::<i32>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| BusError::Transport(format!("invalid {name} `{v}` in `{url}`")))
        };
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("system", v)) => settings.system = Some(v.to_owned()),
                Some(("partitions", v)) => settings.partitions = count("partitions", v)?,
                Some(("replication", v)) => settings.replication = count("replication", v)?,
                Some(("session_timeout_ms", v)) => {
                    let ms = v.parse::<u32>().ok().filter(|ms| *ms >= 3).ok_or_else(|| {
                        BusError::Transport(format!("invalid session_timeout_ms `{v}` in `{url}`"))
                    })?;
                    settings.session_timeout_ms = Some(ms);
                }
                Some(("create_topics", v)) => {
                    settings.create_topics = v.parse().map_err(|_| {
                        BusError::Transport(format!("invalid create_topics `{v}` in `{url}`"))
                    })?;
                }
                _ => {
                    return Err(BusError::Transport(format!(
                        "unknown Kafka URL parameter `{pair}` (expected system=, partitions=, \
                         replication=, create_topics= or session_timeout_ms=)"
                    )));
                }
            }
        }
        Ok(settings)
    }
}

pub use crate::naming::kafka::event_topic;

fn system_of(event_type: &str) -> Result<&str, BusError> {
    event_topic(event_type)?;
    Ok(event_type.split('.').next().unwrap_or_default())
}

/// The record key: the event's subject (its partition key), or its id when it has none, so
/// one key always lands on one partition and keeps its order.
pub fn record_key(envelope: &Envelope) -> String {
    envelope
        .subject()
        .map_or_else(|| envelope.id().to_string(), str::to_owned)
}

pub use crate::naming::kafka::{dead_letter_topic, group_id, retry_topic};

/// The topics one subscription reads: the domain topics of its event types (or every topic
/// of its system for `ALL_TYPES`) and its retry topic; and the types it handles there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Topics {
    pub(crate) system: String,
    pub(crate) exact: Vec<String>,
    pub(crate) types: Vec<String>,
    pub(crate) all: bool,
    pub(crate) retry: String,
}

impl Topics {
    pub(crate) fn of(
        subscription: &str,
        types: &[String],
        default_system: Option<&str>,
    ) -> Result<Self, BusError> {
        let mut system: Option<&str> = None;
        let mut exact = Vec::new();
        let mut all = false;
        for t in types {
            let s = if t == ALL_TYPES {
                all = true;
                default_system.ok_or_else(|| {
                    BusError::Transport(
                        "a subscription to all types on Kafka needs the system: add \
                         `?system=<name>` to the Kafka URL"
                            .to_owned(),
                    )
                })?
            } else {
                let topic = event_topic(t)?;
                if !exact.contains(&topic) {
                    exact.push(topic);
                }
                system_of(t)?
            };
            if system.is_some_and(|prev| prev != s) {
                return Err(BusError::Transport(format!(
                    "subscription `{subscription}` mixes types of several systems"
                )));
            }
            system = Some(s);
        }
        let system = system.ok_or_else(|| {
            BusError::Transport("a subscription needs at least one type".to_owned())
        })?;
        if all {
            exact.clear();
        }
        Ok(Self {
            retry: retry_topic(system, subscription),
            system: system.to_owned(),
            exact,
            types: types.to_vec(),
            all,
        })
    }

    /// What to pass to `subscribe`: topic names, and a regex (librdkafka's `^` prefix) for
    /// every topic of the system, which also picks up topics created later.
    pub(crate) fn patterns(&self) -> Vec<String> {
        let mut out = if self.all {
            vec![format!("^{}\\.[^.]+$", self.system.replace('.', "\\."))]
        } else {
            self.exact.clone()
        };
        out.push(self.retry.clone());
        out
    }

    /// Whether the subscription handles events of `event_type` (its topics carry others).
    pub(crate) fn wants(&self, event_type: &str) -> bool {
        self.all || self.types.iter().any(|t| t == event_type)
    }

    /// Whether the subscription reads `topic`.
    pub(crate) fn reads(&self, topic: &str) -> bool {
        topic == self.retry
            || if self.all {
                topic
                    .strip_prefix(self.system.as_str())
                    .and_then(|rest| rest.strip_prefix('.'))
                    .is_some_and(|domain| !domain.is_empty() && !domain.contains('.'))
            } else {
                self.exact.iter().any(|t| t == topic)
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn urls_give_brokers_and_options_and_refuse_the_rest() {
        let s = KafkaSettings::parse("kafka://a:9092,b:9092/?system=hotel&partitions=3").unwrap();
        assert_eq!(s.bootstrap, "a:9092,b:9092");
        assert_eq!(s.system.as_deref(), Some("hotel"));
        assert_eq!((s.partitions, s.replication), (3, 1));
        assert!(s.create_topics);
        assert_eq!(s.session_timeout_ms, None);
        let s = KafkaSettings::parse(
            "KAFKA://127.0.0.1:9092?replication=3&create_topics=false&session_timeout_ms=6000",
        )
        .unwrap();
        assert_eq!((s.bootstrap.as_str(), s.replication), ("127.0.0.1:9092", 3));
        assert!(!s.create_topics);
        assert_eq!(s.session_timeout_ms, Some(6000));
        for bad in [
            "kafka://",
            "kafka://nohost",
            "kafka://h:1?partitions=0",
            "kafka://h:1?acks=0",
            "kafka://h:1?create_topics=maybe",
            "kafka://h:1?session_timeout_ms=soon",
            "nats://h:1",
        ] {
            assert!(KafkaSettings::parse(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn topics_groups_retry_and_dead_letter_names() {
        assert_eq!(
            event_topic("hotel.users.UserRegistered.v1").unwrap(),
            "hotel.users"
        );
        for bad in ["hotel users.A.v1", "nosystem", "hotel.users", "hotel..A.v1"] {
            assert!(event_topic(bad).is_err(), "{bad}");
        }
        assert_eq!(
            group_id("hotel", "billing.on-user"),
            "hotel.billing.on-user"
        );
        assert_eq!(
            retry_topic("hotel", "billing on/user"),
            "retry.hotel.billing_on_user"
        );
        assert_eq!(
            dead_letter_topic("hotel", "billing.on-user"),
            "dlq.hotel.billing.on-user"
        );
    }

    #[test]
    fn a_subscription_reads_its_domains_or_its_whole_system_and_its_retries() {
        let types = vec![
            "hotel.users.A.v1".to_owned(),
            "hotel.rooms.B.v1".to_owned(),
            "hotel.rooms.C.v1".to_owned(),
        ];
        let t = Topics::of("billing.x", &types, None).unwrap();
        assert_eq!(
            t.patterns(),
            ["hotel.users", "hotel.rooms", "retry.hotel.billing.x"]
        );
        assert!(t.reads("hotel.rooms") && t.reads("retry.hotel.billing.x"));
        assert!(!t.reads("hotel.billing"));
        assert!(t.wants("hotel.rooms.C.v1") && !t.wants("hotel.rooms.D.v1"));
        let mixed = vec!["hotel.users.A.v1".to_owned(), "shop.cart.C.v1".to_owned()];
        assert!(Topics::of("x", &mixed, None).is_err());
        assert!(Topics::of("x", &[ALL_TYPES.to_owned()], None).is_err());
        let all = Topics::of("tap", &[ALL_TYPES.to_owned()], Some("hotel")).unwrap();
        assert_eq!(all.patterns(), ["^hotel\\.[^.]+$", "retry.hotel.tap"]);
        assert!(all.reads("hotel.rooms") && all.wants("hotel.rooms.D.v1"));
        assert!(!all.reads("hotels.rooms") && !all.reads("dlq.hotel.tap"));
        assert!(!all.reads("hotel.rooms.extra"));
    }

    #[test]
    fn the_key_is_the_subject_or_else_the_id() {
        let e = Envelope::new("t/a", "t.a.A.v1", json!({}));
        assert_eq!(record_key(&e), e.id().to_string());
        assert_eq!(record_key(&e.with_subject("room-7")), "room-7");
    }
}
