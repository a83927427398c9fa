//! The declared event a finding's help suggests instead of reaching into another domain:
//! the event of that domain whose name shares a word stem with the item or table reached
//! (`reserve` ↔ `StockReserved`, `orders` ↔ `OrderPlaced`).

use crate::spec::Spec;

/// Lowercase words of an identifier, split on `_` and case changes.
pub fn words(ident: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in ident.chars() {
        if c == '_' || c == '-' || c == ' ' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A crude stem: enough to meet `reserve`/`reserved`, `order`/`orders`, `ship`/`shipped`.
fn stem(word: &str) -> &str {
    for suffix in ["ing", "ed", "es", "s", "d", "e"] {
        if let Some(s) = word.strip_suffix(suffix)
            && s.len() >= 3
        {
            return stem_double(s);
        }
    }
    word
}

/// `shipp` → `ship`, `cancell` → `cancel`.
fn stem_double(s: &str) -> &str {
    let b = s.as_bytes();
    if b.len() >= 4 && b[b.len() - 1] == b[b.len() - 2] {
        &s[..s.len() - 1]
    } else {
        s
    }
}

fn same_stem(a: &str, b: &str) -> bool {
    let (a, b) = (stem(a), stem(b));
    a.len() >= 3
        && b.len() >= 3
        && (a == b || (a.len() >= 4 && b.starts_with(a)) || (b.len() >= 4 && a.starts_with(b)))
}

/// The declared event of `domain` that best fits a reference to `name`, if any shares a
/// word stem with it.
pub fn replacement_event(spec: &Spec, domain: &str, name: &str) -> Option<String> {
    let events = spec.events.values().filter(|e| e.from.value == domain);
    best_fit(events.map(|e| e.name.as_str()), name)
}

/// The event name among `events` sharing the most word stems with `name`, if any shares one.
pub fn best_fit<'a>(events: impl Iterator<Item = &'a str>, name: &str) -> Option<String> {
    let wanted = words(name);
    events
        .filter_map(|e| {
            let score = words(e)
                .iter()
                .filter(|w| wanted.iter().any(|x| same_stem(x, w)))
                .count();
            (score > 0).then_some((score, e.to_string()))
        })
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_case_and_underscores() {
        assert_eq!(words("pick_warehouse"), vec!["pick", "warehouse"]);
        assert_eq!(words("StockReserved"), vec!["stock", "reserved"]);
        assert_eq!(words("order_lines"), vec!["order", "lines"]);
    }

    #[test]
    fn stems_meet_across_tense_and_number() {
        assert!(same_stem("reserve", "reserved"));
        assert!(same_stem("orders", "order"));
        assert!(same_stem("ship", "shipped"));
        assert!(same_stem("cancel", "cancelled"));
        assert!(!same_stem("pick", "placed"));
        assert!(!same_stem("id", "ids"));
    }
}
