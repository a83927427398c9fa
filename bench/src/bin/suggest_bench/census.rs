//! `suggest-bench domains --truths DIR --sources DIR`: every suggested domain of every labelled
//! project at the shipped options with its place in the domain graph (users, uses, references
//! in and out, to and from the kernel), its data (tables touched, owned) and the label most of
//! its items carry: to tell infrastructure that came out as a domain from a business domain.

use std::collections::{BTreeMap, BTreeSet};

use fissure::cluster::split_identifier;
use fissure::suggest::evaluate::LabelKeys;
use fissure::suggest::subjects::module_subjects;
use fissure::suggest::{SuggestOptions, cluster, singular};

pub fn domains(args: &[String]) -> Result<(), String> {
    let parsed = super::parse(args)?;
    let projects = super::load(&parsed)?;
    println!(
        "project\tdomain\titems\tmodules\tsubj\ttouch\towned\tusers\tuses\tin\tout\tinner\tk_in\tk_out\tlabel\tshare\tlabels\tusers_named\tuses_named\ttw\tmtw\ttraits"
    );
    for p in &projects {
        let cb = &p.analysis.codebase;
        let keys = LabelKeys::new(cb, &p.truth);
        let reference = keys.reference(cb, &p.truth);
        let key_of: BTreeMap<&str, &str> = (cb.modules.iter().zip(&keys.keys))
            .map(|(m, k)| (m.path.as_str(), k.as_str()))
            .collect();
        let c = cluster(&p.analysis, &SuggestOptions::default());
        let s = &c.suggestion;
        let input = &c.built.input;
        let n = s.domain_count;
        let subjects = module_subjects(input.nodes.iter().map(|n| n.module.as_str()));
        let mut items = vec![0usize; n];
        let mut modules = vec![BTreeSet::new(); n];
        let mut labels: Vec<BTreeMap<String, usize>> = vec![BTreeMap::new(); n];
        for (i, node) in input.nodes.iter().enumerate() {
            let Some(d) = s.domain[i] else { continue };
            let d = d as usize;
            items[d] += 1;
            modules[d].insert(node.module.as_str());
            let label = (key_of.get(node.module.as_str()))
                .and_then(|k| reference.get(*k))
                .map_or("-", String::as_str);
            *labels[d].entry(label.to_owned()).or_default() += 1;
        }
        let mut touch = vec![BTreeSet::new(); n];
        let mut owned = vec![0usize; n];
        for (table, usage) in &c.built.tables {
            let nodes = (usage.writers.keys())
                .chain(usage.readers.keys())
                .chain(usage.definers.keys());
            for &node in nodes {
                if let Some(d) = s.domain[node as usize] {
                    touch[d as usize].insert(table.as_str());
                }
            }
            if let Some(d) = usage.owner(&s.domain) {
                owned[d as usize] += 1;
            }
        }
        let mut users = vec![BTreeSet::new(); n];
        let mut uses = vec![BTreeSet::new(); n];
        let (mut r_in, mut r_out, mut inner, mut k_in, mut k_out) = (
            vec![0usize; n],
            vec![0usize; n],
            vec![0usize; n],
            vec![0usize; n],
            vec![0usize; n],
        );
        for (from, to) in input.directed_pairs() {
            match (s.domain[from as usize], s.domain[to as usize]) {
                (Some(a), Some(b)) if a == b => inner[a as usize] += 1,
                (Some(a), Some(b)) => {
                    users[b as usize].insert(a);
                    uses[a as usize].insert(b);
                    r_out[a as usize] += 1;
                    r_in[b as usize] += 1;
                }
                (Some(a), None) => k_out[a as usize] += 1,
                (None, Some(b)) => k_in[b as usize] += 1,
                (None, None) => {}
            }
        }
        let (tw, mtw, traits) = table_words_and_traits(&p.analysis, &c);
        for d in 0..n {
            let mut ls: Vec<(&String, &usize)> = labels[d].iter().collect();
            ls.sort_by(|a, b| b.1.cmp(a.1));
            let share = *ls[0].1 as f64 / items[d].max(1) as f64;
            let with_subject = (modules[d].iter())
                .filter(|m| subjects.contains_key(**m))
                .count();
            let all: Vec<String> = ls.iter().map(|(l, k)| format!("{l}:{k}")).collect();
            let name = |x: &u32| c.names[*x as usize].clone();
            let users_named: Vec<String> = users[d].iter().map(name).collect();
            let uses_named: Vec<String> = uses[d].iter().map(name).collect();
            println!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.2}\t{}\t{}\t{}\t{:.2}\t{:.2}\t{}",
                p.name,
                c.names[d],
                items[d],
                modules[d].len(),
                with_subject,
                touch[d].len(),
                owned[d],
                users[d].len(),
                uses[d].len(),
                r_in[d],
                r_out[d],
                inner[d],
                k_in[d],
                k_out[d],
                ls[0].0,
                share,
                all.join(","),
                users_named.join(","),
                uses_named.join(","),
                tw[d] as f64 / items[d].max(1) as f64,
                mtw[d].len() as f64 / modules[d].len().max(1) as f64,
                traits[d],
            );
        }
    }
    Ok(())
}

/// Per domain: items naming a table word, modules whose path names one, and traits.
fn table_words_and_traits<'a>(
    analysis: &fissure::analysis::Analysis,
    c: &'a fissure::suggest::Clustered,
) -> (Vec<usize>, Vec<BTreeSet<&'a str>>, Vec<usize>) {
    let (s, input) = (&c.suggestion, &c.built.input);
    let n = s.domain_count;
    let words = table_word_set(c.built.tables.keys().map(String::as_str));
    let mut tw = vec![0usize; n];
    let mut traits = vec![0usize; n];
    let mut mtw: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); n];
    for (i, node) in input.nodes.iter().enumerate() {
        let Some(d) = s.domain[i] else { continue };
        let d = d as usize;
        let item = analysis.resolution.item(c.built.items[i]);
        if matches!(item.kind, fissure::syntax::ItemKind::Trait) {
            traits[d] += 1;
        }
        if (node.words.iter().flat_map(|w| split_identifier(w)))
            .any(|w| words.contains(&singular(&w)))
        {
            tw[d] += 1;
        }
        let segs = node.module.split("::").flat_map(|seg| seg.split('_'));
        if segs.map(singular).any(|w| words.contains(&w)) {
            mtw[d].insert(node.module.as_str());
        }
    }
    (tw, mtw, traits)
}

/// The singular `_`-separated words of the table names, three letters or more.
fn table_word_set<'a>(tables: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    tables
        .flat_map(|t| t.rsplit('.').next().unwrap_or(t).split('_'))
        .filter(|w| w.len() >= 3)
        .map(|w| singular(&w.to_ascii_lowercase()))
        .collect()
}
