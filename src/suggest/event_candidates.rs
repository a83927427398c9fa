//! Event candidates: calls from one suggested domain into a state-changing function of
//! another, named as past-tense facts owned by the callee's domain, with fields from the
//! callee's parameters and the calling domains as subscribers.

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::Analysis;
use crate::codebase::ModuleId;
use crate::resolve::{ItemId, Reference, Target};
use crate::syntax::{FnSig, ItemKind, Owner, Receiver, RefKind, TableAccess};

use super::input::{Built, TableUse};

/// One field of a candidate event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventField {
    pub name: String,
    /// A spec field type (`String`, `Uuid`, `Option<i64>`...).
    pub ty: String,
    /// Set when the Rust type had no spec equivalent and `ty` is a stand-in.
    pub note: Option<String>,
}

/// A domain event that would replace direct calls into another domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventCandidate {
    /// PascalCase past-tense fact, e.g. `OrderCancelled`.
    pub name: String,
    /// The callee's domain, which would publish it.
    pub owner: String,
    /// The function called: `shop::orders::Order::cancel`, `shop::users::register_user`.
    pub callee: String,
    /// Why the callee counts as state-changing.
    pub reason: &'static str,
    pub fields: Vec<EventField>,
    /// Calling domains, sorted.
    pub subscribers: Vec<String>,
    /// Every call site as `(file, line)`, sorted.
    pub call_sites: Vec<(String, u32)>,
}

/// Verbs whose functions change state.
const STATE_VERBS: &[&str] = &[
    "accept",
    "activate",
    "add",
    "allocate",
    "apply",
    "approve",
    "archive",
    "assign",
    "book",
    "cancel",
    "charge",
    "checkout",
    "close",
    "commit",
    "complete",
    "confirm",
    "create",
    "deactivate",
    "decline",
    "delete",
    "deliver",
    "deposit",
    "disable",
    "dispatch",
    "enable",
    "enqueue",
    "follow",
    "insert",
    "invite",
    "issue",
    "join",
    "leave",
    "lock",
    "login",
    "logout",
    "mark",
    "open",
    "pay",
    "place",
    "post",
    "publish",
    "purchase",
    "record",
    "redeem",
    "refund",
    "register",
    "reject",
    "release",
    "remove",
    "rename",
    "reserve",
    "reset",
    "restore",
    "revoke",
    "save",
    "schedule",
    "send",
    "set",
    "ship",
    "sign",
    "store",
    "submit",
    "subscribe",
    "transfer",
    "unfollow",
    "unlock",
    "unsubscribe",
    "update",
    "upsert",
    "withdraw",
    "write",
];

/// Irregular or doubled past tenses.
const IRREGULAR: &[(&str, &str)] = &[
    ("begin", "begun"),
    ("build", "built"),
    ("buy", "bought"),
    ("cancel", "cancelled"),
    ("choose", "chosen"),
    ("commit", "committed"),
    ("do", "done"),
    ("find", "found"),
    ("forget", "forgotten"),
    ("get", "got"),
    ("give", "given"),
    ("hold", "held"),
    ("issue", "issued"),
    ("keep", "kept"),
    ("label", "labelled"),
    ("lay", "laid"),
    ("leave", "left"),
    ("lock", "locked"),
    ("log", "logged"),
    ("login", "logged_in"),
    ("logout", "logged_out"),
    ("make", "made"),
    ("pay", "paid"),
    ("plan", "planned"),
    ("put", "put"),
    ("read", "read"),
    ("refer", "referred"),
    ("reset", "reset"),
    ("rewrite", "rewritten"),
    ("run", "run"),
    ("sell", "sold"),
    ("send", "sent"),
    ("set", "set"),
    ("ship", "shipped"),
    ("sign", "signed"),
    ("stop", "stopped"),
    ("submit", "submitted"),
    ("take", "taken"),
    ("tag", "tagged"),
    ("transfer", "transferred"),
    ("upset", "upset"),
    ("withdraw", "withdrawn"),
    ("write", "written"),
];

/// The past participle of `verb` (lowercase): irregular forms from a table, else the regular
/// rules (`create` → `created`, `apply` → `applied`, `add` → `added`).
pub fn past_tense(verb: &str) -> String {
    if let Some((_, past)) = IRREGULAR.iter().find(|(v, _)| *v == verb) {
        return (*past).to_owned();
    }
    if verb.ends_with('e') {
        return format!("{verb}d");
    }
    let chars: Vec<char> = verb.chars().collect();
    let vowel = |c: char| "aeiou".contains(c);
    if let [.., before, 'y'] = chars.as_slice()
        && !vowel(*before)
    {
        return format!("{}ied", &verb[..verb.len() - 1]);
    }
    format!("{verb}ed")
}

fn words(name: &str) -> Vec<String> {
    crate::cluster::split_identifier(name)
}

fn pascal(words: &[String]) -> String {
    words
        .iter()
        .flat_map(|w| w.split('_'))
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or_else(String::new, |f| {
                f.to_ascii_uppercase().to_string() + c.as_str()
            })
        })
        .collect()
}

/// Type names that say what role a type plays, not what it is about: a method of
/// `users::Service` is about users. Sorted, for binary search.
const ROLE_TYPES: &[&str] = &[
    "Data",
    "Handler",
    "Impl",
    "Inner",
    "Manager",
    "Repo",
    "Repository",
    "Service",
    "State",
    "Store",
];

/// `users` → `user`, `categories` → `category`, `boxes` → `box`: a module or table named
/// after a collection names one of its elements. Only the regular plurals; a word not ending
/// in a plural `s` stays as it is (`status`, `address`, `analysis`, `alias`).
pub fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies").filter(|s| s.len() >= 2) {
        return format!("{stem}y");
    }
    if ["sses", "ches", "shes", "xes"]
        .iter()
        .any(|e| word.ends_with(e))
    {
        return word[..word.len() - 2].to_owned();
    }
    let keeps_s = ["ss", "us", "is", "as"].iter().any(|e| word.ends_with(e));
    match word.strip_suffix('s') {
        Some(stem) if stem.len() >= 3 && !keeps_s => stem.to_owned(),
        _ => word.to_owned(),
    }
}

/// The event name of a call to `fn_name` (on `self_type` for methods): the verb moves to the
/// end in the past tense, the object comes first (`register_user` → `UserRegistered`,
/// `Order::cancel` → `OrderCancelled`, `cancel_order` on `Order` → `OrderCancelled`); a
/// bare verb takes the name of the callee's module (`outbox::enqueue` → `OutboxEnqueued`),
/// and so does a method of a role type (`users::Service::create` → `UserCreated`).
pub fn event_name(fn_name: &str, self_type: Option<&str>, module: Option<&str>) -> String {
    let w = words(fn_name);
    let (verb, mut object) = match w.split_first() {
        Some((v, rest)) => (v.clone(), rest.to_vec()),
        None => (String::from("change"), Vec::new()),
    };
    let self_type = match (self_type, module) {
        (Some(ty), Some(m)) if ROLE_TYPES.binary_search(&ty).is_ok() => Some(singular(m)),
        (ty, _) => ty.map(str::to_owned),
    };
    if let Some(ty) = self_type {
        let type_words = words(&ty);
        if !object.iter().any(|o| type_words.contains(o)) {
            let mut all = type_words;
            all.extend(object);
            object = all;
        }
    }
    if object.is_empty() {
        object.push(module.unwrap_or("state").to_owned());
    }
    format!("{}{}", pascal(&object), pascal(&[past_tense(&verb)]))
}

/// Parameter types that carry infrastructure (connections, pools, framework extractors), not
/// facts: they never become event fields.
const CONTEXT_TYPES: &[&str] = &[
    "Client",
    "Conn",
    "Connection",
    "Context",
    "Data<",
    "Db",
    "Executor",
    "Pool",
    "Request",
    "Session",
    "State<",
    "Transaction",
    "Tx",
];

/// Maps a Rust parameter type to a spec field type; `None` for context parameters.
pub fn field_type(rust: &str) -> Option<(String, Option<String>)> {
    let t = rust
        .trim()
        .trim_start_matches('&')
        .trim_start_matches("'_")
        .trim_start_matches("mut")
        .trim();
    if t.starts_with("impl") || t.starts_with("dyn") || CONTEXT_TYPES.iter().any(|c| t.contains(c))
    {
        return None;
    }
    let last = |p: &str| p.rsplit("::").next().unwrap_or(p).to_owned();
    if let Some(inner) = generic(t, "Option") {
        return field_type(inner).map(|(ty, note)| (format!("Option<{ty}>"), note));
    }
    if let Some(inner) = generic(t, "Vec").or_else(|| {
        t.strip_prefix('[')
            .and_then(|r| r.strip_suffix(']'))
            .filter(|r| !r.contains(';'))
    }) {
        return field_type(inner).map(|(ty, note)| (format!("Vec<{ty}>"), note));
    }
    let base = last(t.split('<').next().unwrap_or(t));
    let mapped = match base.as_str() {
        "str" | "String" | "Cow" => "String",
        "bool" => "bool",
        "i8" | "i16" | "i32" | "u8" | "u16" => "i32",
        "i64" | "isize" | "i128" => "i64",
        "u32" => "u32",
        "u64" | "usize" | "u128" => "u64",
        "f32" | "f64" => "f64",
        "Uuid" => "Uuid",
        "DateTime" | "NaiveDateTime" | "SystemTime" | "OffsetDateTime" | "PrimitiveDateTime" => {
            "DateTime"
        }
        "NaiveDate" | "Date" => "Date",
        "Decimal" | "BigDecimal" => "Decimal",
        name if name.ends_with("Id") && name.len() > 2 => "Uuid",
        _ => {
            return Some((
                "String".to_owned(),
                Some(format!("`{t}` has no spec type; model it under `types:`")),
            ));
        }
    };
    Some((mapped.to_owned(), None))
}

fn generic<'a>(t: &'a str, wrapper: &str) -> Option<&'a str> {
    let rest = t.strip_prefix(wrapper).or_else(|| {
        t.rsplit_once("::")
            .filter(|(_, last)| last.starts_with(wrapper))
            .and_then(|(_, last)| last.strip_prefix(wrapper))
    })?;
    rest.trim().strip_prefix('<')?.strip_suffix('>')
}

fn fields(sig: &FnSig) -> Vec<EventField> {
    let mut out: Vec<EventField> = Vec::new();
    for (name, ty) in &sig.params {
        let name = name.trim_start_matches("mut ").trim_start_matches('_');
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let name = name.to_ascii_lowercase();
        if out.iter().any(|f| f.name == name) {
            continue;
        }
        if let Some((ty, note)) = field_type(ty) {
            out.push(EventField { name, ty, note });
        }
    }
    out
}

/// Why a callee changes state, if it does.
fn state_change(fn_name: &str, sig: Option<&FnSig>, writes_table: bool) -> Option<&'static str> {
    if sig.is_some_and(|s| s.receiver == Some(Receiver::RefMut)) {
        return Some("takes &mut self");
    }
    if writes_table {
        return Some("writes a table");
    }
    let first = words(fn_name).into_iter().next()?;
    STATE_VERBS
        .binary_search(&first.as_str())
        .is_ok()
        .then_some("named like a state change")
}

/// Builds the event candidates of a suggestion, given the domain of each node (kernel hubs
/// counting as their module's domain, see `super::item_domains`): every call from one domain
/// into a state-changing function of another, grouped by callee, then named.
pub fn candidates(
    analysis: &Analysis,
    built: &Built,
    domain_of: &[Option<u32>],
    names: &[String],
    tables: &BTreeMap<String, TableUse>,
) -> Vec<EventCandidate> {
    let index = CallIndex::new(analysis, tables);
    let mut by_callee: BTreeMap<String, Acc> = BTreeMap::new();
    for r in &analysis.resolution.refs {
        let Some(call) = index.state_change_across(r, built, domain_of) else {
            continue;
        };
        let entry = by_callee.entry(call.callee_path).or_insert(call.first);
        entry.subscribers.insert(call.caller);
        entry.sites.insert(call.site);
    }
    name_events(by_callee, names)
}

/// An event candidate being gathered: one state-changing callee and who calls it.
struct Acc {
    owner: u32,
    reason: &'static str,
    fields: Vec<EventField>,
    name: String,
    subscribers: BTreeSet<u32>,
    sites: BTreeSet<(String, u32)>,
}

/// One call from one domain into a state-changing function of another.
struct CrossCall {
    callee_path: String,
    caller: u32,
    site: (String, u32),
    /// The candidate as this call describes it, used when it is the callee's first.
    first: Acc,
}

/// What a call site needs looked up: the method named at each call position, method
/// signatures, and which nodes and free functions write tables.
struct CallIndex<'a> {
    analysis: &'a Analysis,
    /// The method name behind each `Type::method(..)` path call and `value.method(..)` call.
    called: BTreeMap<(ModuleId, u32, u32), String>,
    methods: BTreeMap<(ItemId, &'a str), &'a FnSig>,
    writers: BTreeSet<u32>,
    free_fn_writers: BTreeSet<ItemId>,
}

impl<'a> CallIndex<'a> {
    fn new(analysis: &'a Analysis, tables: &BTreeMap<String, TableUse>) -> Self {
        let (cb, res) = (&analysis.codebase, &analysis.resolution);
        let mut called: BTreeMap<(ModuleId, u32, u32), String> = BTreeMap::new();
        for (m, module) in cb.modules.iter().enumerate() {
            let mid = ModuleId(m as u32);
            for r in &module.facts.refs {
                if r.kind == RefKind::Call
                    && let Some(last) = r.path.segments.last()
                {
                    called.insert((mid, r.pos.line, r.pos.column), last.clone());
                }
            }
            for call in &module.facts.method_calls {
                called.insert((mid, call.pos.line, call.pos.column), call.name.clone());
            }
        }
        let mut methods: BTreeMap<(ItemId, &str), &FnSig> = BTreeMap::new();
        for m in &res.methods {
            methods
                .entry((m.self_item, m.name.as_str()))
                .or_insert(&m.sig);
        }
        let writers: BTreeSet<u32> = tables
            .values()
            .flat_map(|t| t.writers.keys().copied())
            .collect();
        let free_fn_writers = (cb.modules.iter().enumerate())
            .flat_map(|(m, module)| {
                (module.facts.tables.iter()).filter_map(move |t| match t.owner {
                    Owner::Item(i) if t.access == TableAccess::Write => {
                        Some(res.item_of(ModuleId(m as u32), i))
                    }
                    _ => None,
                })
            })
            .collect();
        CallIndex {
            analysis,
            called,
            methods,
            writers,
            free_fn_writers,
        }
    }

    /// `r` as a call from one domain into a state-changing function of another, if it is one.
    fn state_change_across(
        &self,
        r: &Reference,
        built: &Built,
        domain_of: &[Option<u32>],
    ) -> Option<CrossCall> {
        let (cb, res) = (&self.analysis.codebase, &self.analysis.resolution);
        if !matches!(r.kind, RefKind::Call | RefKind::MethodGuess) {
            return None;
        }
        let (Some(from), Target::Item(to)) = (r.from_item, r.target) else {
            return None;
        };
        let (&a, &b) = (built.node_of.get(&from)?, built.node_of.get(&to)?);
        let (caller, callee) = (domain_of[a as usize]?, domain_of[b as usize]?);
        if caller == callee {
            return None;
        }
        let target = res.item(to);
        let (fn_name, sig, self_type, writes) = if target.kind == ItemKind::Fn {
            let writes = self.free_fn_writers.contains(&to);
            (target.name.clone(), target.sig.as_ref(), None, writes)
        } else {
            let name = self
                .called
                .get(&(r.from_module, r.pos.line, r.pos.column))?;
            if name == &target.name {
                return None;
            }
            let sig = self.methods.get(&(to, name.as_str())).copied();
            (name.clone(), sig, Some(target.name.as_str()), false)
        };
        // A type that writes tables changes state only through methods named so or taking
        // `&mut self`; a constructor call is not a fact.
        let writes = writes || (self_type.is_none() && self.writers.contains(&b));
        let reason = state_change(&fn_name, sig, writes)?;
        let module = cb.module(target.module).name.as_str();
        Some(CrossCall {
            callee_path: match self_type {
                Some(_) => format!("{}::{fn_name}", target.path),
                None => target.path.clone(),
            },
            caller,
            site: (cb.file(r.file).display.clone(), r.pos.line),
            first: Acc {
                owner: callee,
                reason,
                fields: sig.map(fields).unwrap_or_default(),
                name: event_name(&fn_name, self_type, Some(module)),
                subscribers: BTreeSet::new(),
                sites: BTreeSet::new(),
            },
        })
    }
}

/// The gathered candidates with their final names. Two callees with one name
/// (`User::update`, `update_user`) become `UserUpdated` and `UserUpdated2`: the user renames
/// one, the spec stays valid meanwhile.
fn name_events(by_callee: BTreeMap<String, Acc>, names: &[String]) -> Vec<EventCandidate> {
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    by_callee
        .into_iter()
        .map(|(callee, acc)| {
            let n = used.entry(acc.name.clone()).or_default();
            *n += 1;
            let name = if *n == 1 {
                acc.name
            } else {
                format!("{}{}", acc.name, n)
            };
            EventCandidate {
                name,
                owner: names[acc.owner as usize].clone(),
                callee,
                reason: acc.reason,
                fields: acc.fields,
                subscribers: (acc.subscribers.iter())
                    .map(|&d| names[d as usize].clone())
                    .collect(),
                call_sites: acc.sites.into_iter().collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_tenses() {
        for (verb, past) in [
            ("create", "created"),
            ("send", "sent"),
            ("pay", "paid"),
            ("ship", "shipped"),
            ("cancel", "cancelled"),
            ("apply", "applied"),
            ("add", "added"),
            ("register", "registered"),
            ("play", "played"),
        ] {
            assert_eq!(past_tense(verb), past, "{verb}");
        }
    }

    #[test]
    fn event_names() {
        assert_eq!(event_name("register_user", None, None), "UserRegistered");
        assert_eq!(event_name("cancel", Some("Order"), None), "OrderCancelled");
        assert_eq!(
            event_name("cancel_order", Some("Order"), None),
            "OrderCancelled"
        );
        assert_eq!(event_name("send_email", None, None), "EmailSent");
        assert_eq!(event_name("pay", Some("Invoice"), None), "InvoicePaid");
        assert_eq!(event_name("login", None, None), "StateLoggedIn");
        assert_eq!(
            event_name("enqueue", None, Some("outbox")),
            "OutboxEnqueued"
        );
        assert_eq!(
            event_name("create", Some("Service"), Some("users")),
            "UserCreated"
        );
        assert_eq!(
            event_name("set_public", Some("Service"), Some("directory")),
            "DirectoryPublicSet"
        );
        assert_eq!(
            event_name("update", Some("Data"), Some("account_data")),
            "AccountDataUpdated"
        );
        assert_eq!(
            event_name("add", Some("Service"), Some("alias")),
            "AliasAdded",
            "a singular module keeps its `s`"
        );
        assert_eq!(
            event_name("save", Some("Repository"), Some("categories")),
            "CategorySaved"
        );
        assert_eq!(
            event_name("update", Some("Store"), Some("addresses")),
            "AddressUpdated"
        );
        assert_eq!(
            event_name("set", Some("Service"), Some("status")),
            "StatusSet"
        );
        assert_eq!(
            event_name("cancel", Some("Order"), Some("orders")),
            "OrderCancelled"
        );
    }

    #[test]
    fn role_types_are_sorted_for_binary_search() {
        assert!(ROLE_TYPES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn field_types() {
        let t = |s: &str| field_type(s).map(|(t, _)| t);
        assert_eq!(t("&str").as_deref(), Some("String"));
        assert_eq!(t("Option<String>").as_deref(), Some("Option<String>"));
        assert_eq!(t("Vec<OrderId>").as_deref(), Some("Vec<Uuid>"));
        assert_eq!(t("&[u64]").as_deref(), Some("Vec<u64>"));
        assert_eq!(t("&PgPool"), None);
        assert_eq!(t("&mut PgConnection"), None);
        assert_eq!(t("chrono::NaiveDate").as_deref(), Some("Date"));
        let (ty, note) = field_type("Address").expect("a value type");
        assert_eq!(ty, "String");
        assert!(note.is_some());
    }

    #[test]
    fn state_verbs_are_sorted_for_binary_search() {
        assert!(STATE_VERBS.windows(2).all(|w| w[0] < w[1]));
    }
}
