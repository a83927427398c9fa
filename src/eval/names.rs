//! Whether suggested domains carry names a team would keep: a suggested domain's name matches
//! when it shares a word, or an inflection of one, with the labelled domain it overlaps most.

use std::collections::BTreeMap;

use super::{Assignment, KERNEL, SHARED};

/// How many suggested domains are named like the labelled domain they overlap most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NameMatch {
    pub matched: usize,
    /// Suggested domains with at least one labelled module (the kernel is not a domain).
    pub domains: usize,
}

impl NameMatch {
    /// The matched share in percent (100 when nothing was suggested).
    pub fn percent(&self) -> f64 {
        if self.domains == 0 {
            return 100.0;
        }
        self.matched as f64 * 100.0 / self.domains as f64
    }
}

/// Counts, over the suggested domains of `suggestion` that hold labelled modules, those whose
/// name matches the label they share most modules with (ties: the alphabetically first). A
/// domain overlapping `shared` most never matches: it is infrastructure named as a capability.
pub fn name_match(suggestion: &Assignment, reference: &Assignment) -> NameMatch {
    let mut overlap: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for (module, label) in reference {
        if let Some(domain) = suggestion.get(module).filter(|d| *d != KERNEL) {
            *overlap
                .entry(domain.as_str())
                .or_default()
                .entry(label.as_str())
                .or_default() += 1;
        }
    }
    let mut result = NameMatch::default();
    for (domain, labels) in &overlap {
        result.domains += 1;
        let best = labels
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(label, _)| *label);
        if best.is_some_and(|label| label != SHARED && same_word(domain, label)) {
            result.matched += 1;
        }
    }
    result
}

/// Two names share a word up to inflection (`orders` ~ `order`, `billing` ~ `bill`,
/// `categories` ~ `category`). Words under three letters count only as a whole name (`ai` ~
/// `ai`, `ai` ~ `ai_chat`): inside a compound they are mostly noise (`db_user` and `db_admin`
/// are not one domain), but a team that calls its domain `ai` means it.
pub fn same_word(a: &str, b: &str) -> bool {
    let stems = |name: &str| -> Vec<String> {
        (name.split(|c: char| !c.is_ascii_alphanumeric()))
            .filter(|w| !w.is_empty())
            .map(|w| stem(&w.to_ascii_lowercase()))
            .collect()
    };
    let (left, right) = (stems(a), stems(b));
    let counts = |w: &String, whole: &[String]| w.len() >= 3 || whole.len() == 1;
    left.iter()
        .any(|w| right.contains(w) && (counts(w, &left) || counts(w, &right)))
}

/// A crude English stem: plural and verb endings off (`ies` → `y`).
fn stem(word: &str) -> String {
    if let Some(base) = word.strip_suffix("ies") {
        return format!("{base}y");
    }
    for suffix in ["sses", "shes", "ches", "xes"] {
        if word.ends_with(suffix) {
            return word[..word.len() - 2].to_owned();
        }
    }
    for suffix in ["ing", "ed", "s"] {
        if let Some(base) = word.strip_suffix(suffix)
            && base.len() >= 3
            && !word.ends_with("ss")
        {
            return base.to_owned();
        }
    }
    word.to_owned()
}

#[cfg(test)]
mod tests {
    use super::same_word;

    #[test]
    fn short_words_match_only_as_whole_names() {
        assert!(same_word("ai", "ai"));
        assert!(
            same_word("ai", "ai_chat"),
            "the whole name `ai` on one side"
        );
        assert!(same_word("AI", "ai"));
        assert!(
            !same_word("db_user", "db_admin"),
            "short noise inside compounds"
        );
        assert!(!same_word("ai_chat", "ai_tools"));
        assert!(!same_word("id", "ids"));
        assert!(
            same_word("user_db", "users"),
            "long words still match in compounds"
        );
    }
}
