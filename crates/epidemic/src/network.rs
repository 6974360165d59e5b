//! Subpopulations and the mobility network between them, and Brockmann & Helbing's
//! effective distance with shortest-path trees.
//!
//! Mobility is a *flux model with symmetric counts*: each link carries `w` travellers a
//! day from a to b and the same `w` from b to a, and travellers stay where they land. Every
//! subpopulation then sends and receives the same number of people each day, so its size
//! never changes (a naive matrix of per-capita travel rates, r_ij != r_ji N_j / N_i, drains
//! some subpopulations into others; the tests show it). Asymmetric data (OpenFlights route
//! counts, a passenger matrix) are made symmetric with [`Mobility::symmetrized`], which
//! averages the two directions.
//!
//! Effective distance (D. Brockmann & D. Helbing 2013, "The hidden geometry of complex,
//! network-driven contagion phenomena", Science 342:1337): with P_mn the fraction of the
//! travellers leaving n that go to m, d_mn = 1 - ln P_mn >= 1 along a link n -> m, and the
//! effective distance from an origin is the length of the shortest path in these weights
//! ([`EffectiveNetwork::tree`], Dijkstra). Critiques worth reading before leaning on it:
//! Iannelli et al. 2017 (PRE 95:012313) and Jamieson-Lane & Blasius 2020 (PRE 102:042301).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::EpidemicError;

/// Undirected links with daily travellers each way, and each node's links.
#[derive(Debug, Clone, PartialEq)]
pub struct Mobility {
    n: usize,
    /// (a, b, w) with a < b: w travellers a day a -> b and w b -> a.
    links: Vec<(usize, usize, f64)>,
}

impl Mobility {
    /// `n` subpopulations with no travel.
    pub fn isolated(n: usize) -> Mobility {
        Mobility {
            n,
            links: Vec::new(),
        }
    }

    /// Links given once each: `(a, b, w)` means w travellers a day each way. A pair given
    /// twice is summed.
    pub fn from_links(n: usize, links: &[(usize, usize, f64)]) -> Result<Mobility, EpidemicError> {
        let mut dense = std::collections::BTreeMap::new();
        for &(a, b, w) in links {
            check_flow(n, a, b, w)?;
            if w > 0.0 {
                *dense.entry((a.min(b), a.max(b))).or_insert(0.0) += w;
            }
        }
        Ok(Mobility {
            n,
            links: dense.into_iter().map(|((a, b), w)| (a, b, w)).collect(),
        })
    }

    /// From a square matrix of daily travellers `m[i][j]` (i -> j) that must be symmetric
    /// (to a relative 1e-9); the diagonal is ignored.
    pub fn from_symmetric_matrix(m: &[Vec<f64>]) -> Result<Mobility, EpidemicError> {
        Self::from_matrix(m, false)
    }

    /// From any square matrix of daily travellers, averaging the two directions:
    /// w_ab = (m_ab + m_ba) / 2. The diagonal is ignored.
    pub fn symmetrized(m: &[Vec<f64>]) -> Result<Mobility, EpidemicError> {
        Self::from_matrix(m, true)
    }

    fn from_matrix(m: &[Vec<f64>], average: bool) -> Result<Mobility, EpidemicError> {
        let n = m.len();
        for row in m {
            if row.len() != n {
                return Err(EpidemicError::LengthMismatch {
                    what: "travel matrix row",
                    got: row.len(),
                    expected: n,
                });
            }
        }
        let mut links = Vec::new();
        for (a, row) in m.iter().enumerate() {
            for (b, col) in m.iter().enumerate().skip(a + 1) {
                let (f, g) = (row[b], col[a]);
                check_flow(n, a, b, f)?;
                check_flow(n, b, a, g)?;
                let w = if average {
                    0.5 * (f + g)
                } else {
                    if (f - g).abs() > 1e-9 * f.abs().max(g.abs()) {
                        return Err(EpidemicError::Asymmetric {
                            from: a,
                            to: b,
                            forward: f,
                            backward: g,
                        });
                    }
                    f
                };
                if w > 0.0 {
                    links.push((a, b, w));
                }
            }
        }
        Ok(Mobility { n, links })
    }

    /// Number of subpopulations.
    pub fn len(&self) -> usize {
        self.n
    }
    /// True when there are no subpopulations.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }
    /// The links `(a, b, w)`, a < b, w travellers a day each way.
    pub fn links(&self) -> &[(usize, usize, f64)] {
        &self.links
    }
    /// Daily travellers leaving each subpopulation (= arriving, by symmetry).
    pub fn outflow(&self) -> Vec<f64> {
        let mut out = vec![0.0; self.n];
        for &(a, b, w) in &self.links {
            out[a] += w;
            out[b] += w;
        }
        out
    }
    /// Index of the link between `a` and `b`, if any.
    pub fn link(&self, a: usize, b: usize) -> Option<usize> {
        let key = (a.min(b), a.max(b));
        self.links
            .binary_search_by(|&(x, y, _)| (x, y).cmp(&key))
            .ok()
    }
    /// The effective-distance network of these flows (P_mn = w_mn / outflow_n).
    pub fn effective_network(&self) -> EffectiveNetwork {
        let mut flows = Vec::with_capacity(2 * self.links.len());
        for &(a, b, w) in &self.links {
            flows.push((a, b, w));
            flows.push((b, a, w));
        }
        EffectiveNetwork::from_flows(self.n, &flows).expect("links were validated")
    }
}

fn check_flow(n: usize, from: usize, to: usize, value: f64) -> Result<(), EpidemicError> {
    let reason = if from >= n || to >= n {
        "index out of range"
    } else if !value.is_finite() || value < 0.0 {
        "flows must be finite and non-negative"
    } else if from == to {
        "a link must join two different subpopulations"
    } else {
        return Ok(());
    };
    Err(EpidemicError::BadFlow {
        from,
        to,
        value,
        reason,
    })
}

/// Named subpopulations with populations and the mobility between them.
#[derive(Debug, Clone, PartialEq)]
pub struct Metapop {
    names: Vec<String>,
    population: Vec<u64>,
    mobility: Mobility,
}

impl Metapop {
    /// Validate: one name and a positive population per subpopulation, names unique, and
    /// no subpopulation sending more people a day than it has (each route rounded up, as
    /// the stochastic model moves whole people).
    pub fn new(
        names: Vec<String>,
        population: Vec<u64>,
        mobility: Mobility,
    ) -> Result<Metapop, EpidemicError> {
        let n = names.len();
        if population.len() != n {
            return Err(EpidemicError::LengthMismatch {
                what: "populations",
                got: population.len(),
                expected: n,
            });
        }
        if mobility.len() != n {
            return Err(EpidemicError::LengthMismatch {
                what: "mobility network",
                got: mobility.len(),
                expected: n,
            });
        }
        for (i, name) in names.iter().enumerate() {
            if name.is_empty() || names[..i].contains(name) {
                return Err(EpidemicError::BadSubpopName(name.clone()));
            }
            if population[i] == 0 {
                return Err(EpidemicError::EmptyPopulation { name: name.clone() });
            }
        }
        let mut out = vec![0.0; n];
        for &(a, b, w) in mobility.links() {
            if w > 1e9 {
                return Err(EpidemicError::BadFlow {
                    from: a,
                    to: b,
                    value: w,
                    reason: "more than 1e9 travellers a day on one link",
                });
            }
            out[a] += w.ceil();
            out[b] += w.ceil();
        }
        for i in 0..n {
            if out[i] > population[i] as f64 {
                return Err(EpidemicError::TooMuchTravel {
                    name: names[i].clone(),
                    outflow: out[i],
                    population: population[i],
                });
            }
        }
        Ok(Metapop {
            names,
            population,
            mobility,
        })
    }

    /// One well-mixed population (`--network none`).
    pub fn single(name: &str, population: u64) -> Result<Metapop, EpidemicError> {
        Metapop::new(
            vec![name.to_string()],
            vec![population],
            Mobility::isolated(1),
        )
    }

    /// Subpopulation names.
    pub fn names(&self) -> &[String] {
        &self.names
    }
    /// Populations.
    pub fn population(&self) -> &[u64] {
        &self.population
    }
    /// The mobility network.
    pub fn mobility(&self) -> &Mobility {
        &self.mobility
    }
    /// Number of subpopulations.
    pub fn len(&self) -> usize {
        self.names.len()
    }
    /// True when there are no subpopulations.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
    /// Index of a subpopulation by name.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }
}

/// A directed network weighted by effective distance d_mn = 1 - ln P_mn.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectiveNetwork {
    /// out[n] = [(m, d_mn)]
    out: Vec<Vec<(usize, f64)>>,
}

impl EffectiveNetwork {
    /// From directed flows `(n, m, F_mn)` (travellers n -> m, any time unit); P_mn is
    /// F_mn over all flow leaving n. Repeated pairs are summed; zero flows are no link.
    pub fn from_flows(
        nodes: usize,
        flows: &[(usize, usize, f64)],
    ) -> Result<EffectiveNetwork, EpidemicError> {
        let mut total = vec![0.0; nodes];
        let mut agg = std::collections::BTreeMap::new();
        for &(a, b, f) in flows {
            check_flow(nodes, a, b, f)?;
            if f > 0.0 {
                total[a] += f;
                *agg.entry((a, b)).or_insert(0.0) += f;
            }
        }
        let mut out = vec![Vec::new(); nodes];
        for ((a, b), f) in agg {
            out[a].push((b, 1.0 - (f / total[a]).ln()));
        }
        Ok(EffectiveNetwork { out })
    }

    /// The effective length of the direct link n -> m, if there is one.
    pub fn link(&self, n: usize, m: usize) -> Option<f64> {
        self.out
            .get(n)?
            .iter()
            .find(|&&(x, _)| x == m)
            .map(|&(_, d)| d)
    }

    /// Shortest-path tree from `origin` (Dijkstra).
    pub fn tree(&self, origin: usize) -> Result<PathTree, EpidemicError> {
        let n = self.out.len();
        if origin >= n {
            return Err(EpidemicError::IndexOutOfRange { index: origin, n });
        }
        let mut dist = vec![f64::INFINITY; n];
        let mut parent = vec![None; n];
        let mut heap = BinaryHeap::new();
        dist[origin] = 0.0;
        heap.push(Item(0.0, origin));
        while let Some(Item(d, u)) = heap.pop() {
            if d > dist[u] {
                continue;
            }
            for &(v, w) in &self.out[u] {
                let nd = d + w;
                if nd < dist[v] {
                    dist[v] = nd;
                    parent[v] = Some(u);
                    heap.push(Item(nd, v));
                }
            }
        }
        Ok(PathTree {
            origin,
            dist,
            parent,
        })
    }
}

/// Min-heap entry ordered by distance, then node (deterministic ties).
#[derive(PartialEq)]
struct Item(f64, usize);
impl Eq for Item {}
impl PartialOrd for Item {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Item {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}

/// Shortest effective distances and paths from one origin.
#[derive(Debug, Clone, PartialEq)]
pub struct PathTree {
    origin: usize,
    dist: Vec<f64>,
    parent: Vec<Option<usize>>,
}

impl PathTree {
    /// The origin.
    pub fn origin(&self) -> usize {
        self.origin
    }
    /// Effective distance to `m`; `None` when unreachable.
    pub fn distance(&self, m: usize) -> Option<f64> {
        self.dist.get(m).copied().filter(|d| d.is_finite())
    }
    /// The node before `m` on its shortest path (`None` for the origin and unreachable
    /// nodes).
    pub fn parent(&self, m: usize) -> Option<usize> {
        self.parent.get(m).copied().flatten()
    }
    /// The shortest path origin ..= m; `None` when unreachable.
    pub fn path(&self, m: usize) -> Option<Vec<usize>> {
        self.distance(m)?;
        let mut path = vec![m];
        let mut cur = m;
        while let Some(p) = self.parent[cur] {
            path.push(p);
            cur = p;
        }
        path.reverse();
        Some(path)
    }
}
