//! Which position a consumer group may commit. Kafka keeps one position per partition, but the
//! records of one partition finish out of order (different keys run on different lanes, a
//! retry waits for its delay), so the position only moves past records that are all settled:
//! a crash redelivers every record that was not.

use std::collections::{BTreeSet, HashMap};

type Tp = (String, i32);

#[derive(Default)]
pub(crate) struct Offsets {
    partitions: HashMap<Tp, Partition>,
}

#[derive(Default)]
struct Partition {
    pending: BTreeSet<i64>,
    /// One past the highest offset received.
    next: i64,
    /// The last position sent in a commit, and the last the broker confirmed.
    sent: i64,
    committed: i64,
}

impl Partition {
    fn position(&self) -> i64 {
        self.pending.first().copied().unwrap_or(self.next)
    }
}

impl Offsets {
    /// A record arrived and is not settled yet.
    pub(crate) fn received(&mut self, topic: &str, partition: i32, offset: i64) {
        let p = self
            .partitions
            .entry((topic.to_owned(), partition))
            .or_default();
        p.pending.insert(offset);
        p.next = p.next.max(offset + 1);
    }

    /// A record is settled (handled, retried elsewhere or dead-lettered).
    pub(crate) fn settled(&mut self, topic: &str, partition: i32, offset: i64) {
        if let Some(p) = self.partitions.get_mut(&(topic.to_owned(), partition)) {
            p.pending.remove(&offset);
        }
    }

    /// Positions that moved past what was last sent: the next commit. Marks them sent.
    pub(crate) fn take_commits(&mut self) -> Vec<(String, i32, i64)> {
        let mut out = Vec::new();
        for ((topic, partition), p) in &mut self.partitions {
            let position = p.position();
            if position > p.sent {
                p.sent = position;
                out.push((topic.clone(), *partition, position));
            }
        }
        out.sort();
        out
    }

    /// The answer to a commit of `commits` (from [`Offsets::take_commits`]): a confirmed
    /// position is done with, a failed one is sent again by the next `take_commits`.
    pub(crate) fn answered(&mut self, commits: &[(String, i32, i64)], ok: bool) {
        for (topic, partition, offset) in commits {
            let Some(p) = self.partitions.get_mut(&(topic.clone(), *partition)) else {
                continue; // Revoked meanwhile: the partition's next owner commits it.
            };
            if ok {
                p.committed = p.committed.max(*offset);
            } else if p.sent <= *offset {
                p.sent = p.committed;
            }
        }
    }

    /// Records received and not settled, in every partition.
    pub(crate) fn pending(&self) -> usize {
        self.partitions.values().map(|p| p.pending.len()).sum()
    }

    /// The partition went to another consumer of the group: whatever of it is still running
    /// here will also be delivered there.
    pub(crate) fn revoke(&mut self, topic: &str, partition: i32) {
        self.partitions.remove(&(topic.to_owned(), partition));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_position_stops_at_the_oldest_unsettled_record() {
        let mut o = Offsets::default();
        for offset in 0..5 {
            o.received("t", 0, offset);
        }
        o.received("t", 1, 7);
        o.settled("t", 0, 1);
        o.settled("t", 0, 2);
        assert_eq!(
            o.take_commits(),
            [("t".into(), 1, 7)],
            "offset 0 still runs"
        );
        o.settled("t", 0, 0);
        assert_eq!(o.take_commits(), [("t".into(), 0, 3)]);
        assert_eq!(o.take_commits(), [], "nothing moved since the last commit");
        o.settled("t", 0, 4);
        o.settled("t", 0, 3);
        o.settled("t", 1, 7);
        assert_eq!(o.pending(), 0);
        assert_eq!(o.take_commits(), [("t".into(), 0, 5), ("t".into(), 1, 8)]);
        o.answered(&[("t".into(), 0, 5)], true);
        o.answered(&[("t".into(), 0, 3)], false);
        assert_eq!(
            o.take_commits(),
            [],
            "a late failure of an older commit changes nothing"
        );
    }

    #[test]
    fn a_failed_commit_is_sent_again_and_a_revoked_partition_is_forgotten() {
        let mut o = Offsets::default();
        o.received("t", 0, 0);
        o.settled("t", 0, 0);
        assert_eq!(o.take_commits(), [("t".into(), 0, 1)]);
        o.answered(&[("t".into(), 0, 1)], false);
        assert_eq!(o.take_commits(), [("t".into(), 0, 1)]);
        o.received("t", 2, 9);
        o.revoke("t", 2);
        o.settled("t", 2, 9);
        assert_eq!(o.pending(), 0);
    }

    #[test]
    fn a_commit_the_client_refused_is_sent_again() {
        let mut o = Offsets::default();
        o.received("t", 0, 4);
        o.settled("t", 0, 4);
        let refused = o.take_commits();
        assert_eq!(refused, [("t".into(), 0, 5)]);
        assert_eq!(o.take_commits(), [], "marked sent");
        o.answered(&refused, false);
        assert_eq!(o.take_commits(), [("t".into(), 0, 5)]);
    }
}
