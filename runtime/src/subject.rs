//! The envelope's subject (partition key), stored inline when short.
//!
//! Keys are usually ids (a UUID is 36 bytes) or short names. Keeping them inside the envelope
//! saves the one allocation per event that remained on the publish path, and its free on the
//! consumer's thread (a cross-thread free is the costliest kind for the system allocator).

const INLINE: usize = 38;

#[derive(Clone, PartialEq, Eq, Default)]
pub(crate) enum Subject {
    #[default]
    Absent,
    Inline {
        len: u8,
        bytes: [u8; INLINE],
    },
    Heap(Box<str>),
}

impl Subject {
    pub(crate) fn new(s: &str) -> Self {
        if s.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Self::Inline {
                len: s.len() as u8,
                bytes,
            }
        } else {
            Self::Heap(s.into())
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Self::Absent => None,
            // Only ever filled from a `&str`, so always valid UTF-8; the check is a few ns.
            Self::Inline { len, bytes } => std::str::from_utf8(&bytes[..usize::from(*len)]).ok(),
            Self::Heap(s) => Some(s),
        }
    }

    /// The key's bytes, for hashing without a UTF-8 check.
    pub(crate) fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Self::Absent => None,
            Self::Inline { len, bytes } => Some(&bytes[..usize::from(*len)]),
            Self::Heap(s) => Some(s.as_bytes()),
        }
    }
}

impl std::fmt::Debug for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_keys_inline_long_keys_on_the_heap_both_read_back() {
        let uuid = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
        let long = "k".repeat(INLINE + 1);
        assert!(matches!(Subject::new(uuid), Subject::Inline { .. }));
        assert!(matches!(Subject::new(&long), Subject::Heap(_)));
        for s in ["", "é-ключ", uuid, long.as_str()] {
            let subject = Subject::new(s);
            assert_eq!(subject.as_str(), Some(s));
            assert_eq!(subject.as_bytes(), Some(s.as_bytes()));
        }
        assert_eq!(Subject::Absent.as_str(), None);
        assert_ne!(Subject::new("a"), Subject::new("a\0"));
    }
}
