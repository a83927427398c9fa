//! UTC timestamps with RFC 3339 text form, the `time` attribute of the envelope.
//!
//! Kept in-crate (a civil-date conversion and a strict parser) so the runtime does not pull a
//! date library into every generated workspace for one attribute.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in time, UTC, with nanosecond precision, since the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    secs: i64,
    nanos: u32,
}

/// Why a text is not an RFC 3339 timestamp.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimestampError(String);

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid RFC 3339 timestamp: {}", self.0)
    }
}

impl std::error::Error for TimestampError {}

impl Timestamp {
    /// The current system time.
    pub fn now() -> Self {
        Self::from(SystemTime::now())
    }

    /// Seconds and nanoseconds since the Unix epoch; `nanos` above 999,999,999 is clamped.
    pub fn from_unix(secs: i64, nanos: u32) -> Self {
        Self {
            secs,
            nanos: nanos.min(999_999_999),
        }
    }

    /// Whole seconds since the Unix epoch (negative before 1970).
    pub fn unix_seconds(self) -> i64 {
        self.secs
    }

    /// The sub-second part in nanoseconds.
    pub fn subsec_nanos(self) -> u32 {
        self.nanos
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; lower-case `t`/`z` are accepted as
    /// RFC 3339 allows.
    pub fn parse_rfc3339(text: &str) -> Result<Self, TimestampError> {
        let err = || TimestampError(text.to_owned());
        let b = text.as_bytes();
        if b.len() < 20 {
            return Err(err());
        }
        let num = |range: std::ops::Range<usize>| -> Result<i64, TimestampError> {
            let digits = &b[range];
            if digits.iter().all(u8::is_ascii_digit) {
                Ok(digits
                    .iter()
                    .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0')))
            } else {
                Err(err())
            }
        };
        let sep_ok = b[4] == b'-'
            && b[7] == b'-'
            && matches!(b[10], b'T' | b't' | b' ')
            && b[13] == b':'
            && b[16] == b':';
        if !sep_ok {
            return Err(err());
        }
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return Err(err());
        }
        let mut i = 19;
        let mut nanos: u32 = 0;
        if b[i] == b'.' {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                if i - start < 9 {
                    nanos = nanos * 10 + u32::from(b[i] - b'0');
                }
                i += 1;
            }
            let taken = i - start;
            if taken == 0 {
                return Err(err());
            }
            for _ in taken..9 {
                nanos *= 10;
            }
        }
        let offset_secs = match &b[i..] {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                let hh = num(i + 1..i + 3)?;
                let mm = num(i + 4..i + 6)?;
                if hh > 23 || mm > 59 {
                    return Err(err());
                }
                let off = hh * 3600 + mm * 60;
                if *sign == b'+' { off } else { -off }
            }
            _ => return Err(err()),
        };
        // A leap second is folded into the next second: SystemTime cannot represent it.
        let secs = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
            - offset_secs;
        Ok(Self { secs, nanos })
    }
}

impl From<SystemTime> for Timestamp {
    fn from(t: SystemTime) -> Self {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => Self {
                secs: d.as_secs() as i64,
                nanos: d.subsec_nanos(),
            },
            Err(before) => {
                let d = before.duration();
                let (secs, nanos) = (-(d.as_secs() as i64), d.subsec_nanos());
                if nanos == 0 {
                    Self { secs, nanos }
                } else {
                    Self {
                        secs: secs - 1,
                        nanos: 1_000_000_000 - nanos,
                    }
                }
            }
        }
    }
}

impl From<Timestamp> for SystemTime {
    fn from(t: Timestamp) -> Self {
        if t.secs >= 0 {
            UNIX_EPOCH + Duration::new(t.secs as u64, t.nanos)
        } else {
            UNIX_EPOCH - Duration::from_secs(t.secs.unsigned_abs())
                + Duration::from_nanos(u64::from(t.nanos))
        }
    }
}

/// RFC 3339 in UTC with `Z`; the fraction is printed with 3, 6 or 9 digits, whichever keeps
/// every non-zero digit, and omitted when zero.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.secs.div_euclid(86_400);
        let rem = self.secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            rem / 3600,
            rem / 60 % 60,
            rem % 60
        )?;
        let n = self.nanos;
        if n == 0 {
        } else if n.is_multiple_of(1_000_000) {
            write!(f, ".{:03}", n / 1_000_000)?;
        } else if n.is_multiple_of(1_000) {
            write!(f, ".{:06}", n / 1_000)?;
        } else {
            write!(f, ".{n:09}")?;
        }
        f.write_str("Z")
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::parse_rfc3339(&text).map_err(serde::de::Error::custom)
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(
            Timestamp::from_unix(0, 0).to_string(),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(
            Timestamp::from_unix(951_782_400, 5_000_000).to_string(),
            "2000-02-29T00:00:00.005Z"
        );
        assert_eq!(
            Timestamp::from_unix(-1, 0).to_string(),
            "1969-12-31T23:59:59Z"
        );
        assert_eq!(
            Timestamp::from_unix(1_700_000_000, 123_456_789).to_string(),
            "2023-11-14T22:13:20.123456789Z"
        );
        assert_eq!(
            Timestamp::from_unix(1_700_000_000, 123_456_000).to_string(),
            "2023-11-14T22:13:20.123456Z"
        );
    }

    #[test]
    fn parses_offsets_and_fractions() {
        let t = Timestamp::parse_rfc3339("2023-11-14T23:13:20.5+01:00").unwrap();
        assert_eq!(t, Timestamp::from_unix(1_700_000_000, 500_000_000));
        let t = Timestamp::parse_rfc3339("1969-12-31t23:59:59z").unwrap();
        assert_eq!(t, Timestamp::from_unix(-1, 0));
        let t = Timestamp::parse_rfc3339("2023-11-14T22:13:20.1234567891Z").unwrap();
        assert_eq!(t.subsec_nanos(), 123_456_789);
    }

    #[test]
    fn rejects_malformed_text() {
        for bad in [
            "2023-11-14",
            "2023-13-14T22:13:20Z",
            "2023-02-29T22:13:20Z",
            "2023-11-14T22:13:20",
            "2023-11-14T22:13:20.Z",
            "2023-11-14T22:13:20+0100",
            "2023-11-14T24:00:00Z",
            "2023-11-1xT22:13:20Z",
        ] {
            assert!(Timestamp::parse_rfc3339(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn round_trips_through_text_and_system_time() {
        for (s, n) in [
            (1_764_000_000, 1),
            (-86_401, 999_999_999),
            (253_402_300_799, 0),
        ] {
            let t = Timestamp::from_unix(s, n);
            assert_eq!(Timestamp::parse_rfc3339(&t.to_string()).unwrap(), t);
            assert_eq!(Timestamp::from(SystemTime::from(t)), t);
        }
    }
}
