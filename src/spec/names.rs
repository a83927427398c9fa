//! Rules about names in the spec: the case each kind of name must have, Rust keywords
//! (names become Rust identifiers in generated code), "did you mean" suggestions, and the
//! past-tense heuristic that spots events named like commands.

/// The identifier case a kind of name must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `snake_case`: domains, fields, sagas, steps, handlers, the system.
    Snake,
    /// `PascalCase`: events, commands, value types.
    Pascal,
}

impl Case {
    pub fn describe(self) -> &'static str {
        match self {
            Case::Snake => "snake_case",
            Case::Pascal => "PascalCase",
        }
    }
}

/// Every Rust keyword (strict, reserved and edition 2018+), which cannot name a module,
/// field or type in generated code.
const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

pub fn is_keyword(name: &str) -> bool {
    RUST_KEYWORDS.contains(&name)
}

/// Why `name` is not a valid name of `case`, or `None` when it is.
pub fn case_problem(name: &str, case: Case) -> Option<String> {
    if name.is_empty() {
        return Some("a name cannot be empty".to_string());
    }
    if is_keyword(name) {
        return Some(format!("`{name}` is a Rust keyword"));
    }
    let first = name.chars().next()?;
    let ok = match case {
        Case::Snake => {
            (first.is_ascii_lowercase() || first == '_' && name.len() > 1)
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && !name.contains("__")
        }
        Case::Pascal => {
            first.is_ascii_uppercase()
                && name.chars().all(|c| c.is_ascii_alphanumeric())
                && !name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        }
    };
    (!ok).then(|| format!("`{name}` is not {}", case.describe()))
}

/// `name` rewritten in `case`, for the help line (`Guest-Accounts` -> `guest_accounts`).
pub fn to_case(name: &str, case: Case) -> String {
    let words = split_words(name);
    match case {
        Case::Snake => words
            .iter()
            .map(|w| w.to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join("_"),
        Case::Pascal => words.iter().map(|w| capitalize(w)).collect(),
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => {
            first.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase()
        }
        None => String::new(),
    }
}

/// Splits `RegisterUser`, `register_user`, `register-user` or `HTTPServer` into words.
pub fn split_words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let starts_word = c.is_ascii_uppercase()
            && !current.is_empty()
            && (chars[i - 1].is_ascii_lowercase()
                || chars[i - 1].is_ascii_digit()
                || chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase()));
        if starts_word {
            words.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// The candidate closest to `wrong`, when it is close enough to be a likely typo.
/// Case-insensitive equality wins outright (`string` -> `String`).
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    let limit = (wrong.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == wrong {
            continue;
        }
        let distance = if candidate.to_lowercase() == wrong_lower {
            0
        } else {
            levenshtein(&wrong_lower, &candidate.to_lowercase())
        };
        if distance <= limit && best.is_none_or(|(d, c)| (distance, candidate) < (d, c)) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Verbs that, leading a PascalCase name, make it read as an order rather than a fact.
/// Words that are as often nouns at the head of event names (`Order`, `Review`, `Return`,
/// `Check`) are left out on purpose: `OrderPlaced` must not be flagged.
const IMPERATIVE_VERBS: &[&str] = &[
    "accept",
    "activate",
    "add",
    "allocate",
    "apply",
    "approve",
    "archive",
    "assign",
    "attach",
    "authorize",
    "authorise",
    "ban",
    "block",
    "buy",
    "calculate",
    "cancel",
    "capture",
    "change",
    "charge",
    "close",
    "complete",
    "confirm",
    "create",
    "deactivate",
    "decline",
    "delete",
    "deliver",
    "deposit",
    "detach",
    "disable",
    "dispatch",
    "enable",
    "enqueue",
    "fail",
    "finish",
    "generate",
    "grant",
    "import",
    "invite",
    "issue",
    "lock",
    "make",
    "mark",
    "move",
    "notify",
    "open",
    "pay",
    "place",
    "process",
    "publish",
    "purchase",
    "refund",
    "register",
    "reject",
    "release",
    "remove",
    "rename",
    "renew",
    "reserve",
    "reset",
    "restore",
    "resume",
    "revoke",
    "schedule",
    "sell",
    "send",
    "set",
    "ship",
    "sign",
    "start",
    "stop",
    "submit",
    "subscribe",
    "suspend",
    "transfer",
    "unblock",
    "unlock",
    "unsubscribe",
    "update",
    "upload",
    "validate",
    "verify",
    "void",
    "withdraw",
];

/// Irregular past participles among the verbs above and their usual companions.
const IRREGULAR: &[(&str, &str)] = &[
    ("buy", "Bought"),
    ("make", "Made"),
    ("pay", "Paid"),
    ("reset", "Reset"),
    ("sell", "Sold"),
    ("send", "Sent"),
    ("set", "Set"),
    ("withdraw", "Withdrawn"),
];

/// Verbs whose final consonant doubles (`ship` -> `Shipped`, `cancel` -> `Cancelled`, the
/// spelling the fixtures use).
const DOUBLING: &[&str] = &[
    "ban", "cancel", "ship", "stop", "submit", "transfer", "plan", "drop", "tag", "label",
];

fn past_participle(verb: &str) -> String {
    if let Some((_, past)) = IRREGULAR.iter().find(|(v, _)| *v == verb) {
        return (*past).to_string();
    }
    let base = capitalize(verb);
    if DOUBLING.contains(&verb) {
        let last = base.chars().last().unwrap_or_default();
        return format!("{base}{last}ed");
    }
    if base.ends_with('e') {
        return format!("{base}d");
    }
    let mut chars = base.chars().rev();
    if let (Some('y'), Some(before)) = (chars.next(), chars.next())
        && !"aeiou".contains(before)
    {
        return format!("{}ied", &base[..base.len() - 1]);
    }
    format!("{base}ed")
}

fn reads_as_past(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    lower.ends_with("ed")
        || IRREGULAR
            .iter()
            .any(|(_, past)| past.eq_ignore_ascii_case(&lower))
        || [
            "done", "sent", "paid", "sold", "made", "built", "lost", "won", "given", "taken",
        ]
        .contains(&lower.as_str())
}

/// For an event named like a command (`RegisterUser`), the past-tense name to use instead
/// (`UserRegistered`); `None` when the name already reads as a fact.
pub fn past_tense_suggestion(event_name: &str) -> Option<String> {
    let words = split_words(event_name);
    let (first, rest) = words.split_first()?;
    let verb = first.to_ascii_lowercase();
    if !IMPERATIVE_VERBS.contains(&verb.as_str()) {
        return None;
    }
    if rest.last().is_some_and(|w| reads_as_past(w)) {
        return None;
    }
    let subject: String = rest.iter().map(|w| capitalize_keep(w)).collect();
    Some(format!("{subject}{}", past_participle(&verb)))
}

/// Capitalises the first letter and keeps the rest as written (`ID` stays `ID`).
fn capitalize_keep(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_like_names_get_a_past_tense_suggestion() {
        let cases = [
            ("RegisterUser", "UserRegistered"),
            ("CreateOrder", "OrderCreated"),
            ("PayInvoice", "InvoicePaid"),
            ("SendEmail", "EmailSent"),
            ("ShipOrder", "OrderShipped"),
            ("CancelBooking", "BookingCancelled"),
            ("PlaceOrder", "OrderPlaced"),
            ("ReserveStock", "StockReserved"),
            ("VerifyEmail", "EmailVerified"),
            ("ApplyDiscountCode", "DiscountCodeApplied"),
        ];
        for (command, event) in cases {
            assert_eq!(
                past_tense_suggestion(command).as_deref(),
                Some(event),
                "{command}"
            );
        }
    }

    #[test]
    fn fact_names_are_left_alone() {
        for name in [
            "UserRegistered",
            "OrderPlaced",
            "PaymentDeclined",
            "InvoicePaid",
            "RefundIssued",
            "EmailSent",
            "CancelRequested",
            "StockReservationFailed",
        ] {
            assert_eq!(past_tense_suggestion(name), None, "{name}");
        }
    }

    #[test]
    fn cases_are_checked() {
        assert_eq!(case_problem("users", Case::Snake), None);
        assert_eq!(case_problem("order_lines2", Case::Snake), None);
        assert!(case_problem("Users", Case::Snake).is_some());
        assert!(case_problem("user-accounts", Case::Snake).is_some());
        assert!(
            case_problem("type", Case::Snake)
                .unwrap()
                .contains("keyword")
        );
        assert_eq!(case_problem("UserRegistered", Case::Pascal), None);
        assert!(case_problem("userRegistered", Case::Pascal).is_some());
        assert!(case_problem("User_Registered", Case::Pascal).is_some());
        assert!(
            case_problem("Self", Case::Pascal)
                .unwrap()
                .contains("keyword")
        );
        assert!(case_problem("", Case::Pascal).is_some());
    }

    #[test]
    fn names_convert_between_cases() {
        assert_eq!(to_case("Guest-Accounts", Case::Snake), "guest_accounts");
        assert_eq!(to_case("userRegistered", Case::Pascal), "UserRegistered");
        assert_eq!(to_case("user_registered", Case::Pascal), "UserRegistered");
        assert_eq!(
            split_words("HTTPServerStarted"),
            ["HTTP", "Server", "Started"]
        );
    }

    #[test]
    fn suggestions_pick_the_closest_candidate() {
        let keys = ["modules", "public", "depends_on", "description"];
        assert_eq!(did_you_mean("modlues", keys), Some("modules"));
        assert_eq!(did_you_mean("depends-on", keys), Some("depends_on"));
        assert_eq!(did_you_mean("colour", keys), None);
        assert_eq!(did_you_mean("string", ["String", "Uuid"]), Some("String"));
    }
}
