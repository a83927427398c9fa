//! The vocabulary layer: items that use the same domain words (`invoice`, `guest`, `refund`)
//! are linked, weighted by TF-IDF cosine similarity.
//!
//! Identifiers are split on `_`, `::`, case changes (with acronyms: `HTTPServer` → `http`,
//! `server`) and letter/digit boundaries; programming noise (`new`, `get`, `impl`, `error`...)
//! is dropped. Each node is then linked to its `k` most similar nodes. Similarities are computed
//! through an inverted index, and terms carried by too many nodes are skipped: they say little
//! about domains and would make the index quadratic.

use rayon::prelude::*;

use super::input::{Layer, NodeInfo};

/// Words too common in Rust code to say anything about a domain. Sorted, for binary search.
pub const STOP_WORDS: &[&str] = &[
    "add",
    "all",
    "any",
    "arc",
    "as",
    "async",
    "await",
    "bool",
    "box",
    "buf",
    "build",
    "builder",
    "by",
    "clone",
    "cmp",
    "config",
    "context",
    "crate",
    "create",
    "ctx",
    "data",
    "de",
    "debug",
    "default",
    "delete",
    "deref",
    "deserialize",
    "display",
    "do",
    "drop",
    "dyn",
    "else",
    "enum",
    "eq",
    "err",
    "error",
    "f32",
    "f64",
    "false",
    "fmt",
    "fn",
    "for",
    "from",
    "get",
    "handle",
    "handler",
    "hash",
    "i32",
    "i64",
    "id",
    "if",
    "impl",
    "in",
    "info",
    "init",
    "inner",
    "into",
    "is",
    "item",
    "iter",
    "key",
    "len",
    "let",
    "list",
    "map",
    "mod",
    "mut",
    "new",
    "none",
    "of",
    "ok",
    "on",
    "opt",
    "option",
    "ord",
    "partial",
    "pub",
    "ref",
    "remove",
    "req",
    "request",
    "res",
    "response",
    "result",
    "run",
    "self",
    "ser",
    "serialize",
    "set",
    "some",
    "str",
    "string",
    "struct",
    "super",
    "sync",
    "test",
    "tests",
    "the",
    "to",
    "trait",
    "true",
    "try",
    "type",
    "u32",
    "u64",
    "u8",
    "unwrap",
    "update",
    "use",
    "usize",
    "util",
    "utils",
    "val",
    "value",
    "vec",
    "where",
    "with",
];

/// Suggested weight of the vocabulary layer relative to a reference layer of weight 1. On the
/// dev set (module-level graphs, see `cluster-bench eval`) vocabulary at 1.0 scored 10 to 25
/// MoJoFM points above structure alone; 0.5 and 2.0 were close behind.
pub const DEFAULT_VOCABULARY_WEIGHT: f64 = 1.0;

/// Parameters of the vocabulary layer.
#[derive(Debug, Clone, PartialEq)]
pub struct VocabConfig {
    /// Each node is linked to at most this many most similar nodes.
    pub k: usize,
    /// Similarities below this cosine are not edges.
    pub min_similarity: f64,
    /// Terms present in more than this fraction of the nodes are skipped...
    pub max_df_fraction: f64,
    /// ...and so are terms present in more than this many nodes, which bounds the cost of the
    /// inverted index to `terms * max_df_count²` on large graphs.
    pub max_df_count: usize,
}

impl Default for VocabConfig {
    fn default() -> Self {
        VocabConfig {
            k: 5,
            min_similarity: 0.2,
            max_df_fraction: 0.25,
            max_df_count: 400,
        }
    }
}

/// Splits an identifier into lowercase words: `HTTPServer2_config` → `http`, `server`,
/// `config`. Pure digit runs and single letters are dropped; stop words are kept (see
/// [`domain_words`] for the filtered form).
pub fn split_identifier(identifier: &str) -> Vec<String> {
    let mut words = Vec::new();
    for chunk in identifier.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = chunk.chars().collect();
        let mut start = 0;
        for i in 1..=chars.len() {
            if i == chars.len() || is_boundary(&chars, i) {
                let word: String = chars[start..i]
                    .iter()
                    .flat_map(|c| c.to_lowercase())
                    .collect();
                if word.chars().count() > 1 && !word.chars().all(|c| c.is_ascii_digit()) {
                    words.push(word);
                }
                start = i;
            }
        }
    }
    words
}

/// Whether a word starts at `chars[i]`.
fn is_boundary(chars: &[char], i: usize) -> bool {
    let (prev, cur) = (chars[i - 1], chars[i]);
    if prev.is_numeric() != cur.is_numeric() {
        return true;
    }
    if prev.is_lowercase() && cur.is_uppercase() {
        return true;
    }
    // The last capital of an acronym starts the next word: `HTTPServer` → `HTTP` + `Server`.
    prev.is_uppercase()
        && cur.is_uppercase()
        && chars.get(i + 1).is_some_and(|next| next.is_lowercase())
}

/// Whether `word` (lowercase) is programming noise rather than domain vocabulary.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// The domain words of a list of identifiers: split, stop words removed, order kept.
pub fn domain_words(identifiers: &[String]) -> Vec<String> {
    identifiers
        .iter()
        .flat_map(|ident| split_identifier(ident))
        .filter(|w| !is_stop_word(w))
        .collect()
}

/// Builds the vocabulary layer named `vocabulary`: each node linked to its `k` most similar
/// nodes by cosine of TF-IDF vectors (`tf = 1 + ln(count)`, `idf = ln(N / df)`), similarities
/// below `min_similarity` dropped. An edge found from both ends appears once.
///
/// Among equally similar candidates (identical vectors are common: every sea-orm entity's
/// `Model`, every yew component's `Msg`), the node's nearest in the module tree wins (the
/// longest common module path), then the lowest node index, so which of the tied nodes get
/// linked follows the code's own grouping instead of the order items were read in.
pub fn vocabulary_layer(nodes: &[NodeInfo], weight: f64, config: &VocabConfig) -> Layer {
    let segments: Vec<Vec<&str>> = (nodes.iter())
        .map(|n| n.module.split("::").collect())
        .collect();
    let vectors = tfidf_vectors(nodes, config);
    let term_count = vectors
        .iter()
        .flat_map(|v| v.iter().map(|&(t, _)| t as usize + 1))
        .max()
        .unwrap_or(0);
    let mut postings: Vec<Vec<(u32, f64)>> = vec![Vec::new(); term_count];
    for (node, vector) in vectors.iter().enumerate() {
        for &(term, w) in vector {
            postings[term as usize].push((node as u32, w));
        }
    }
    let n = nodes.len();
    let neighbours: Vec<Vec<(u32, f64)>> = (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0.0f64; n], Vec::<u32>::new()),
            |(scores, touched), node| {
                for &(term, w) in &vectors[node] {
                    for &(other, w_other) in &postings[term as usize] {
                        if other as usize == node {
                            continue;
                        }
                        if scores[other as usize] == 0.0 {
                            touched.push(other);
                        }
                        scores[other as usize] += w * w_other;
                    }
                }
                let mut best: Vec<(u32, f64)> = touched
                    .iter()
                    .map(|&o| (o, scores[o as usize]))
                    .filter(|&(_, s)| s >= config.min_similarity)
                    .collect();
                for &o in touched.iter() {
                    scores[o as usize] = 0.0;
                }
                touched.clear();
                // A total order (score, then nearness in the module tree, then index), so the
                // selection is deterministic. Scores are compared rounded, so that cosines
                // equal but for floating-point noise count as ties.
                let near = |other: u32| common_prefix(&segments[node], &segments[other as usize]);
                let order = |a: &(u32, f64), b: &(u32, f64)| {
                    (rounded(b.1).cmp(&rounded(a.1)))
                        .then_with(|| near(b.0).cmp(&near(a.0)))
                        .then(a.0.cmp(&b.0))
                };
                if best.len() > config.k && config.k > 0 {
                    best.select_nth_unstable_by(config.k - 1, order);
                }
                best.truncate(config.k);
                best.sort_by(order);
                best
            },
        )
        .collect();
    let mut edges: Vec<(u32, u32, f64)> = neighbours
        .iter()
        .enumerate()
        .flat_map(|(a, list)| {
            list.iter()
                .map(move |&(b, s)| ((a as u32).min(b), (a as u32).max(b), s))
        })
        .collect();
    edges.sort_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)).then(x.2.total_cmp(&y.2)));
    edges.dedup_by(|later, earlier| later.0 == earlier.0 && later.1 == earlier.1);
    Layer::undirected("vocabulary", weight, edges)
}

/// A cosine rounded to 9 decimals, the precision at which two similarities are told apart.
fn rounded(score: f64) -> i64 {
    (score * 1e9).round() as i64
}

/// How many leading path segments two modules share (`a::b::c`, `a::b::d` → 2).
fn common_prefix(a: &[&str], b: &[&str]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// L2-normalised TF-IDF vectors over interned terms, each sorted by term id. Terms are
/// interned in sorted order so ids, and hence floating-point sums, do not depend on hashing.
fn tfidf_vectors(nodes: &[NodeInfo], config: &VocabConfig) -> Vec<Vec<(u32, f64)>> {
    let per_node: Vec<Vec<(String, u32)>> = nodes
        .par_iter()
        .map(|node| {
            let mut words = domain_words(&node.words);
            words.sort_unstable();
            let mut counted: Vec<(String, u32)> = Vec::new();
            for word in words {
                match counted.last_mut() {
                    Some((last, count)) if *last == word => *count += 1,
                    _ => counted.push((word, 1)),
                }
            }
            counted
        })
        .collect();
    let mut vocabulary: Vec<&str> = per_node
        .iter()
        .flat_map(|counted| counted.iter().map(|(w, _)| w.as_str()))
        .collect();
    vocabulary.sort_unstable();
    let mut df: Vec<(&str, usize)> = Vec::new();
    for word in vocabulary {
        match df.last_mut() {
            Some((last, count)) if *last == word => *count += 1,
            _ => df.push((word, 1)),
        }
    }
    let n = nodes.len() as f64;
    let max_df = ((config.max_df_fraction * n).floor() as usize).min(config.max_df_count);
    per_node
        .par_iter()
        .map(|counted| {
            let mut vector: Vec<(u32, f64)> = counted
                .iter()
                .filter_map(|(word, count)| {
                    let term = df.binary_search_by(|(w, _)| (*w).cmp(word.as_str())).ok()?;
                    let freq = df[term].1;
                    // A term in one node links nothing; a term in most nodes links everything.
                    if freq < 2 || freq > max_df {
                        return None;
                    }
                    let tf = 1.0 + f64::from(*count).ln();
                    let idf = (n / freq as f64).ln();
                    Some((term as u32, tf * idf))
                })
                .collect();
            let norm = vector.iter().map(|&(_, w)| w * w).sum::<f64>().sqrt();
            if norm > 0.0 {
                for entry in &mut vector {
                    entry.1 /= norm;
                }
            }
            vector
        })
        .collect()
}
