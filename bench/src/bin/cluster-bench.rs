//! Benchmark harness of the domain-suggestion step: builds a synthetic item graph (default
//! 50,000 nodes in 100 planted domains, references plus vocabulary), times each stage and
//! prints the figures with the recovery scores. Run with
//! `cargo run --release --bin cluster-bench -- [nodes] [domains]`, or
//! `cluster-bench eval TRUTH GRAPH` to score a module-level graph (see [`eval`]).

use std::time::Instant;

use fissure::cluster::{
    ClusterInput, Clusterer, DEFAULT_SEED, DEFAULT_VOCABULARY_WEIGHT, KernelReason, Layer,
    LeidenClusterer, NodeInfo, SuggestConfig, VocabConfig, domain_names, module_domains, suggest,
    vocabulary_layer,
};
use fissure::eval::{
    Score, Truth, adjusted_rand_index, best_module_tree_cut, louvain_use_baseline,
    module_tree_baseline, mojo_fm, score, suggestion_assignment,
};

/// SplitMix64: a tiny deterministic generator, so every run measures the same graph.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Each node refers to 6 nodes of its own domain and, with probability 1/4, to one node of
/// another; 1% of the nodes are infrastructure used from everywhere. Words: 3 of its domain's
/// 12-word vocabulary, 2 of a 300-word vocabulary shared by all, and noise.
fn synthetic(nodes: usize, domains: usize) -> (ClusterInput, Vec<u32>) {
    let mut rng = Rng(7);
    let size = nodes / domains;
    let domain_of = |i: usize| (i / size).min(domains - 1) as u32;
    let mut infos = Vec::with_capacity(nodes);
    let mut truth = Vec::with_capacity(nodes);
    for i in 0..nodes {
        let d = domain_of(i);
        let infra = i % 100 == 99;
        let module = if infra {
            format!("app::util::m{}", i % 7)
        } else {
            format!("app::d{d}::m{}", i % 5)
        };
        let mut words = vec![format!("Item{i}"), "new".to_owned(), "get_id".to_owned()];
        for _ in 0..3 {
            words.push(letters(u64::from(d) * 12 + rng.below(12)));
        }
        for _ in 0..2 {
            words.push(format!("Common{}", letters(rng.below(300))));
        }
        infos.push(NodeInfo {
            id: format!("{module}::Item{i}"),
            module,
            words,
        });
        truth.push(d);
    }
    let mut edges = Vec::with_capacity(nodes * 8);
    for i in 0..nodes {
        let d = domain_of(i) as usize;
        let start = d * size;
        let len = if d == domains - 1 {
            nodes - start
        } else {
            size
        };
        for _ in 0..6 {
            let j = start + rng.below(len as u64) as usize;
            edges.push((i as u32, j as u32, 1.0));
        }
        if rng.below(4) == 0 {
            edges.push((i as u32, rng.below(nodes as u64) as u32, 1.0));
        }
        if i % 10 == 0 {
            let hub = (rng.below((nodes / 100) as u64) * 100 + 99).min(nodes as u64 - 1);
            edges.push((i as u32, hub as u32, 1.0));
        }
    }
    let input = ClusterInput {
        nodes: infos,
        layers: vec![Layer::directed("references", 1.0, edges)],
    };
    (input, truth)
}

/// A lowercase word naming `n` (`word` splitting drops digits, so numbers will not do).
fn letters(mut n: u64) -> String {
    let mut word = String::from("w");
    loop {
        word.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            return word;
        }
    }
}

fn seconds(start: Instant) -> f64 {
    start.elapsed().as_secs_f64()
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [mode, truth, graph] = args.as_slice()
        && mode == "eval"
    {
        return match eval(truth, graph) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                std::process::ExitCode::from(2)
            }
        };
    }
    let mut args = args.into_iter();
    let nodes: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let domains: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let threads = rayon::current_num_threads();
    println!("cluster-bench: {nodes} nodes, {domains} planted domains, {threads} threads");

    let t = Instant::now();
    let (mut input, truth) = synthetic(nodes, domains);
    println!("  generate graph            {:>8.3} s", seconds(t));

    let t = Instant::now();
    let vocabulary = vocabulary_layer(
        &input.nodes,
        DEFAULT_VOCABULARY_WEIGHT,
        &VocabConfig::default(),
    );
    println!(
        "  vocabulary layer          {:>8.3} s  ({} edges)",
        seconds(t),
        vocabulary.edges.len()
    );
    input.layers.push(vocabulary);

    let t = Instant::now();
    let graph = input.combine();
    println!(
        "  combine layers            {:>8.3} s  ({} edges)",
        seconds(t),
        graph.edge_count()
    );

    let t = Instant::now();
    let single = LeidenClusterer.cluster(&graph, 1.0, 1);
    println!(
        "  one Leiden run            {:>8.3} s  ({} communities)",
        seconds(t),
        fissure::cluster::community_count(&single)
    );

    let t = Instant::now();
    let s = suggest(&input, &LeidenClusterer, &SuggestConfig::default());
    let elapsed = seconds(t);
    report("suggest (10-run consensus)", elapsed, &s, &truth);

    let t = Instant::now();
    let config = SuggestConfig {
        target_domains: Some(domains),
        ..SuggestConfig::default()
    };
    let s = suggest(&input, &LeidenClusterer, &config);
    report("suggest --domains N", seconds(t), &s, &truth);
    std::process::ExitCode::SUCCESS
}

fn report(label: &str, elapsed: f64, s: &fissure::cluster::Suggestion, truth: &[u32]) {
    let placed: Vec<usize> = (0..truth.len())
        .filter(|&i| s.domain[i].is_some())
        .collect();
    let found: Vec<u32> = placed.iter().filter_map(|&i| s.domain[i]).collect();
    let expected: Vec<u32> = placed.iter().map(|&i| truth[i]).collect();
    let count = |f: fn(&KernelReason) -> bool| s.kernel.iter().flatten().filter(|k| f(k)).count();
    let kernel = format!(
        "{} named + {} hubs + {} roots + {} attached",
        count(|k| matches!(k, KernelReason::InfrastructureName { .. })),
        count(|k| matches!(k, KernelReason::Hub { .. })),
        count(|k| matches!(k, KernelReason::CompositionRoot { .. })),
        count(|k| matches!(k, KernelReason::KernelNeighbours { .. })),
    );
    let mean_confidence = s.confidence.iter().sum::<f64>() / s.confidence.len().max(1) as f64;
    println!(
        "  {label:<26}{elapsed:>8.3} s  ({} domains at γ={:.3}, {kernel} kernel, mean confidence {:.3}, MoJoFM {:.1}, ARI {:.3})",
        s.domain_count,
        s.resolution,
        mean_confidence,
        mojo_fm(&found, &expected),
        adjusted_rand_index(&found, &expected)
    );
}

/// `cluster-bench eval TRUTH GRAPH`: scores the suggestion on a module-level graph against a
/// truth file, next to the two baselines. GRAPH is tab-separated, one record per line:
/// `node<TAB>module<TAB>space-separated identifiers` and `edge<TAB>from<TAB>to<TAB>weight`,
/// module paths relative to the crate root as in the truth file.
fn eval(truth_path: &str, graph_path: &str) -> Result<(), String> {
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"));
    let truth = Truth::parse(&read(truth_path)?).map_err(|e| format!("{truth_path}:{e}"))?;
    let text = read(graph_path)?;
    let mut modules: Vec<(String, Vec<String>)> = Vec::new();
    let mut raw_edges: Vec<(String, String, f64)> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["node", module, words] => modules.push((
                (*module).to_owned(),
                words.split_whitespace().map(str::to_owned).collect(),
            )),
            ["edge", from, to, weight] => {
                let w = weight
                    .parse()
                    .map_err(|_| format!("{graph_path}:{}: bad weight `{weight}`", number + 1))?;
                raw_edges.push(((*from).to_owned(), (*to).to_owned(), w));
            }
            [] | [""] => {}
            _ => return Err(format!("{graph_path}:{}: unrecognised record", number + 1)),
        }
    }
    modules.sort();
    modules.dedup_by(|a, b| a.0 == b.0);
    let index = |m: &str| modules.binary_search_by(|(n, _)| n.as_str().cmp(m)).ok();
    let edges: Vec<(u32, u32, f64)> = raw_edges
        .iter()
        .filter_map(|(a, b, w)| Some((index(a)? as u32, index(b)? as u32, *w)))
        .collect();
    let nodes: Vec<NodeInfo> = modules
        .iter()
        .map(|(m, words)| NodeInfo {
            id: m.clone(),
            module: format!("crate::{m}"),
            words: words.clone(),
        })
        .collect();
    let use_edges: Vec<(String, String)> = raw_edges
        .iter()
        .map(|(a, b, _)| (a.clone(), b.clone()))
        .collect();
    let names: Vec<String> = modules.iter().map(|(m, _)| m.clone()).collect();
    let (depth, tree) = best_module_tree_cut(&truth.modules, score);
    let louvain = score(
        &louvain_use_baseline(&names, &use_edges, DEFAULT_SEED),
        &truth.modules,
    );
    println!(
        "{truth_path}: {} modules in graph, {} edges",
        names.len(),
        edges.len()
    );
    let top_level = module_tree_baseline(truth.modules.keys().map(String::as_str), 1);
    print_score(
        "module tree (top level)",
        &score(&top_level, &truth.modules),
    );
    print_score(&format!("module tree (best cut: {depth})"), &tree);
    print_score("louvain on use edges", &louvain);
    let knob = |name: &str, default: f64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let config = SuggestConfig {
        resolution: knob("FISSURE_RESOLUTION", 1.0),
        ..SuggestConfig::default()
    };
    let vocabulary = knob("FISSURE_VOCABULARY_WEIGHT", DEFAULT_VOCABULARY_WEIGHT);
    for (label, vocabulary_weight) in [
        ("suggest: structure", 0.0),
        ("suggest: + vocabulary", vocabulary),
    ] {
        let mut input = ClusterInput {
            nodes: nodes.clone(),
            layers: vec![Layer::directed("references", 1.0, edges.clone())],
        };
        if vocabulary_weight > 0.0 {
            let layer = vocabulary_layer(&input.nodes, vocabulary_weight, &VocabConfig::default());
            input.layers.push(layer);
        }
        let s = suggest(&input, &LeidenClusterer, &config);
        let assignment = suggestion_assignment(&module_domains(&input, &s), "crate");
        let kernel = s.kernel.iter().flatten().count();
        print_score(
            &format!("{label} ({} domains, {kernel} kernel)", s.domain_count),
            &score(&assignment, &truth.modules),
        );
        if std::env::var_os("FISSURE_SHOW").is_some() {
            println!("    names: {:?}", domain_names(&input, &s));
            for (module, label) in &assignment {
                let expected = truth.modules.get(module).map_or("-", String::as_str);
                println!("    {label:<10} {expected:<16} {module}");
            }
        }
    }
    Ok(())
}

fn print_score(label: &str, s: &Score) {
    println!(
        "  {label:<44} MoJoFM {:>5.1}  ARI {:>6.3}  ({} scored, {} unplaced)",
        s.mojo_fm, s.ari, s.scored, s.unplaced
    );
}
