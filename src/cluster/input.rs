//! The abstract input of clustering: nodes with their module and vocabulary, and weighted
//! edge layers that are combined by weight into one undirected [`WeightedGraph`].
//!
//! The analyzer converts its item graph into a [`ClusterInput`]; nothing here knows about
//! syntax or resolution, so clustering can be tested on synthetic graphs.

/// One clusterable item (a type with its impls, a free function, a trait).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeInfo {
    /// Full item path, e.g. `shop::orders::Order`.
    pub id: String,
    /// Path of the module that defines the item, e.g. `shop::orders`.
    pub module: String,
    /// Identifiers the item is made of (its name, field, method and parameter names...).
    /// Raw identifiers are fine: the vocabulary layer splits and filters them.
    pub words: Vec<String>,
}

/// One evidence layer: edges of one kind, scaled by `weight` when layers are combined.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// Stable name of the layer (`references`, `tables`, `vocabulary`, `co-change`...).
    pub name: String,
    /// Factor applied to every edge weight of this layer in the combined graph.
    pub weight: f64,
    /// `(a, b, w)` edges between node indices. For a layer with `directed == true` the order
    /// means "a refers to b"; clustering ignores the direction, shared-kernel detection uses it.
    pub edges: Vec<(u32, u32, f64)>,
    /// Whether the edge order carries a referrer → referee meaning (see `edges`).
    pub directed: bool,
}

impl Layer {
    /// An undirected layer.
    pub fn undirected(name: impl Into<String>, weight: f64, edges: Vec<(u32, u32, f64)>) -> Self {
        Layer {
            name: name.into(),
            weight,
            edges,
            directed: false,
        }
    }

    /// A directed layer whose edges read "a refers to b".
    pub fn directed(name: impl Into<String>, weight: f64, edges: Vec<(u32, u32, f64)>) -> Self {
        Layer {
            name: name.into(),
            weight,
            edges,
            directed: true,
        }
    }
}

/// Everything clustering needs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClusterInput {
    /// The nodes; their index in this vector is their id in every layer.
    pub nodes: Vec<NodeInfo>,
    /// The evidence layers.
    pub layers: Vec<Layer>,
}

impl ClusterInput {
    /// Combines all layers into one undirected graph: the weight of `{a, b}` is the sum over
    /// layers of `layer.weight * w`. Self loops, edges to unknown nodes and non-finite or
    /// non-positive weights are dropped, since none of them can say two items belong together.
    pub fn combine(&self) -> WeightedGraph {
        let mut weighted: Vec<(u32, u32, f64)> = Vec::new();
        for layer in &self.layers {
            weighted.extend(
                layer
                    .edges
                    .iter()
                    .map(|&(a, b, w)| (a, b, w * layer.weight)),
            );
        }
        WeightedGraph::from_edges(self.nodes.len(), weighted)
    }

    /// Edges of the directed layers as `(referrer, referee)` pairs, sorted and deduplicated.
    pub fn directed_pairs(&self) -> Vec<(u32, u32)> {
        let n = self.nodes.len() as u32;
        let mut pairs: Vec<(u32, u32)> = self
            .layers
            .iter()
            .filter(|layer| layer.directed)
            .flat_map(|layer| layer.edges.iter())
            .filter(|&&(a, b, w)| a != b && a < n && b < n && w.is_finite() && w > 0.0)
            .map(|&(a, b, _)| (a, b))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }
}

/// An undirected graph with positive finite weights, stored as sorted adjacency lists.
///
/// Invariants: no self loops, each undirected edge appears in both endpoints' lists, lists are
/// sorted by neighbour, and weights are finite and `> 0`.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightedGraph {
    adjacency: Vec<Vec<(u32, f64)>>,
}

impl WeightedGraph {
    /// Builds a graph of `node_count` nodes; parallel edges are summed in a fixed order so the
    /// result does not depend on the order of `edges` beyond the sort.
    pub fn from_edges(node_count: usize, edges: Vec<(u32, u32, f64)>) -> Self {
        let mut canonical: Vec<(u32, u32, f64)> = edges
            .into_iter()
            .filter(|&(a, b, w)| {
                a != b && (a as usize) < node_count && (b as usize) < node_count && w.is_finite()
            })
            .map(|(a, b, w)| (a.min(b), a.max(b), w))
            .filter(|&(_, _, w)| w > 0.0)
            .collect();
        canonical.sort_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)).then(x.2.total_cmp(&y.2)));
        let mut adjacency: Vec<Vec<(u32, f64)>> = vec![Vec::new(); node_count];
        let mut i = 0;
        while i < canonical.len() {
            let (a, b, mut w) = canonical[i];
            i += 1;
            while i < canonical.len() && canonical[i].0 == a && canonical[i].1 == b {
                w += canonical[i].2;
                i += 1;
            }
            if w.is_finite() {
                adjacency[a as usize].push((b, w));
                adjacency[b as usize].push((a, w));
            }
        }
        for list in &mut adjacency {
            list.sort_by_key(|&(n, _)| n);
        }
        WeightedGraph { adjacency }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.adjacency.len()
    }

    /// Number of undirected edges.
    pub fn edge_count(&self) -> usize {
        self.adjacency.iter().map(Vec::len).sum::<usize>() / 2
    }

    /// Neighbours of `node` with edge weights, sorted by neighbour.
    pub fn neighbors(&self, node: u32) -> &[(u32, f64)] {
        &self.adjacency[node as usize]
    }

    /// Every undirected edge once, as `(a, b, w)` with `a < b`, sorted.
    pub fn edges(&self) -> impl Iterator<Item = (u32, u32, f64)> + '_ {
        self.adjacency.iter().enumerate().flat_map(|(a, list)| {
            list.iter()
                .filter(move |&&(b, _)| (a as u32) < b)
                .map(move |&(b, w)| (a as u32, b, w))
        })
    }

    /// Sum of the weights of the edges at `node`.
    pub fn strength(&self, node: u32) -> f64 {
        self.adjacency[node as usize].iter().map(|&(_, w)| w).sum()
    }

    /// The same graph with every edge touching a node where `removed[node]` dropped.
    /// Node indices are kept, so removed nodes become isolated.
    pub fn without(&self, removed: &[bool]) -> WeightedGraph {
        let is_removed = |n: u32| removed.get(n as usize).copied().unwrap_or(false);
        let adjacency = self
            .adjacency
            .iter()
            .enumerate()
            .map(|(a, list)| {
                if is_removed(a as u32) {
                    Vec::new()
                } else {
                    list.iter()
                        .copied()
                        .filter(|&(b, _)| !is_removed(b))
                        .collect()
                }
            })
            .collect();
        WeightedGraph { adjacency }
    }
}
