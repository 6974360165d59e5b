//! RFC 9162 (Certificate Transparency 2.0, section 2.1) Merkle tree hashing and proofs, over
//! leaf hashes, with no IO.
//!
//! - leaf hash: `SHA-256(0x00 || entry)`; node hash: `SHA-256(0x01 || left || right)`;
//! - `MTH(D[n])` splits at `k`, the largest power of two smaller than `n`; `MTH({})` is
//!   `SHA-256("")`;
//! - inclusion proofs (`PATH`, 2.1.3) and consistency proofs (`PROOF`/`SUBPROOF`, 2.1.4) are
//!   generated from any source of subtree hashes ([`Subtrees`]), and verified with the
//!   algorithms of 2.1.3.2 and 2.1.4.2.
//!
//! [`Frontier`] is the compact range `[0, n)`: the roots of the perfect subtrees whose sizes are
//! the set bits of `n`, enough to append a leaf and compute the root in O(log n).

use sha2::{Digest, Sha256};

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// `SHA-256(0x00 || entry)`.
pub fn leaf_hash(entry: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(entry);
    h.finalize().into()
}

/// `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the empty tree, `SHA-256("")`.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// The largest power of two strictly smaller than `n` (`n >= 2`).
fn split(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

/// `MTH` of a list of leaf hashes.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = split(n as u64) as usize;
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// A source of subtree hashes: `MTH(D[start : start + size])` for the ranges proofs need
/// (`size >= 1`). Proof generation asks only for ranges whose start is a multiple of the
/// largest power of two not exceeding their size, so a store can answer perfect, aligned ranges
/// from a node cache and split the rest.
pub trait Subtrees {
    type Error;
    fn subtree(&mut self, start: u64, size: u64) -> Result<Hash, Self::Error>;
}

/// Subtree hashes computed from leaf hashes in memory.
impl Subtrees for &[Hash] {
    type Error = std::convert::Infallible;
    fn subtree(&mut self, start: u64, size: u64) -> Result<Hash, Self::Error> {
        Ok(root(&self[start as usize..(start + size) as usize]))
    }
}

/// The inclusion proof `PATH(index, D[0:size])` (RFC 9162 2.1.3.1), leaf to root. Needs
/// `index < size`.
pub fn inclusion_path<S: Subtrees>(
    index: u64,
    size: u64,
    src: &mut S,
) -> Result<Vec<Hash>, S::Error> {
    assert!(
        index < size,
        "inclusion_path: index {index} not below size {size}"
    );
    let mut path = Vec::new();
    path_rec(index, 0, size, src, &mut path)?;
    Ok(path)
}

fn path_rec<S: Subtrees>(
    m: u64,
    start: u64,
    n: u64,
    src: &mut S,
    out: &mut Vec<Hash>,
) -> Result<(), S::Error> {
    if n <= 1 {
        return Ok(());
    }
    let k = split(n);
    if m < k {
        path_rec(m, start, k, src, out)?;
        out.push(src.subtree(start + k, n - k)?);
    } else {
        path_rec(m - k, start + k, n - k, src, out)?;
        out.push(src.subtree(start, k)?);
    }
    Ok(())
}

/// The consistency proof `PROOF(m, D[0:n])` (RFC 9162 2.1.4.1). Empty when `m == 0` or
/// `m == n`. Needs `m <= n`.
pub fn consistency_path<S: Subtrees>(m: u64, n: u64, src: &mut S) -> Result<Vec<Hash>, S::Error> {
    assert!(m <= n, "consistency_path: {m} > {n}");
    let mut path = Vec::new();
    if m > 0 && m < n {
        subproof(m, 0, n, true, src, &mut path)?;
    }
    Ok(path)
}

fn subproof<S: Subtrees>(
    m: u64,
    start: u64,
    n: u64,
    whole: bool,
    src: &mut S,
    out: &mut Vec<Hash>,
) -> Result<(), S::Error> {
    if m == n {
        if !whole {
            out.push(src.subtree(start, n)?);
        }
        return Ok(());
    }
    let k = split(n);
    if m <= k {
        subproof(m, start, k, whole, src, out)?;
        out.push(src.subtree(start + k, n - k)?);
    } else {
        subproof(m - k, start + k, n - k, false, src, out)?;
        out.push(src.subtree(start, k)?);
    }
    Ok(())
}

/// Why a proof did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("leaf index {index} is not below tree size {size}")]
    IndexOutOfRange { index: u64, size: u64 },
    #[error("tree size {first} is larger than tree size {second}")]
    SizesDecrease { first: u64, second: u64 },
    #[error("proof has {got} hashes, the tree shape needs {want}")]
    WrongLength { got: usize, want: usize },
    #[error("proof does not lead to the expected root")]
    RootMismatch,
}

/// Verifies an inclusion proof (RFC 9162 2.1.3.2).
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    path: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf;
    for p in path {
        if s == 0 {
            return Err(ProofError::WrongLength {
                got: path.len(),
                want: inclusion_len(index, size),
            });
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::WrongLength {
            got: path.len(),
            want: inclusion_len(index, size),
        });
    }
    if r != *root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// The length of `PATH(index, D[size])`.
fn inclusion_len(index: u64, size: u64) -> usize {
    let (mut m, mut n, mut len) = (index, size, 0);
    while n > 1 {
        let k = split(n);
        if m < k {
            n = k;
        } else {
            m -= k;
            n -= k;
        }
        len += 1;
    }
    len
}

/// Verifies a consistency proof between a tree of `first` leaves with root `first_root` and a
/// tree of `second` leaves with root `second_root` (RFC 9162 2.1.4.2): the larger tree extends
/// the smaller one.
pub fn verify_consistency(
    first: u64,
    second: u64,
    first_root: &Hash,
    second_root: &Hash,
    path: &[Hash],
) -> Result<(), ProofError> {
    if first > second {
        return Err(ProofError::SizesDecrease { first, second });
    }
    if first == second {
        if !path.is_empty() {
            return Err(ProofError::WrongLength {
                got: path.len(),
                want: 0,
            });
        }
        return if first_root == second_root {
            Ok(())
        } else {
            Err(ProofError::RootMismatch)
        };
    }
    if first == 0 {
        // Every tree extends the empty tree; the proof is empty.
        return if path.is_empty() {
            Ok(())
        } else {
            Err(ProofError::WrongLength {
                got: path.len(),
                want: 0,
            })
        };
    }
    let mut nodes: Vec<Hash> = Vec::with_capacity(path.len() + 1);
    if first.is_power_of_two() {
        nodes.push(*first_root);
    }
    nodes.extend_from_slice(path);
    let Some((seed, rest)) = nodes.split_first() else {
        return Err(ProofError::WrongLength { got: 0, want: 1 });
    };
    let (mut f, mut s) = (first - 1, second - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (*seed, *seed);
    for c in rest {
        if s == 0 {
            return Err(ProofError::WrongLength {
                got: path.len(),
                want: path.len() - 1,
            });
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::WrongLength {
            got: path.len(),
            want: path.len() + 1,
        });
    }
    if fr != *first_root || sr != *second_root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// A perfect subtree completed by [`Frontier::push`]: level 0 is a leaf; the node at `level`,
/// `index` covers leaves `[index << level, (index + 1) << level)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    pub level: u32,
    pub index: u64,
    pub hash: Hash,
}

/// The compact range `[0, size)`: one perfect subtree root per set bit of `size`, largest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    roots: Vec<Hash>,
}

impl Frontier {
    pub fn new() -> Self {
        Frontier::default()
    }

    /// The frontier of a tree of `size` leaves from its perfect subtree roots, largest first
    /// (the nodes at [`Frontier::positions`]). `None` if the count is wrong.
    pub fn from_roots(size: u64, roots: Vec<Hash>) -> Option<Self> {
        (roots.len() == size.count_ones() as usize).then_some(Frontier { size, roots })
    }

    /// The (level, index) of each perfect subtree in the frontier of `size`, largest first.
    pub fn positions(size: u64) -> Vec<(u32, u64)> {
        (0..64u32)
            .rev()
            .filter(|l| size >> l & 1 == 1)
            .map(|l| (l, (size >> l) - 1))
            .collect()
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends a leaf hash; returns every perfect subtree it completed, the leaf first.
    pub fn push(&mut self, leaf: Hash) -> Vec<Node> {
        let mut done = vec![Node {
            level: 0,
            index: self.size,
            hash: leaf,
        }];
        let mut h = leaf;
        let mut n = self.size;
        let mut level = 0;
        while n & 1 == 1 {
            let left = self.roots.pop().expect("a root per set bit");
            h = node_hash(&left, &h);
            n >>= 1;
            level += 1;
            done.push(Node {
                level,
                index: (self.size + 1) / (1 << level) - 1,
                hash: h,
            });
        }
        self.roots.push(h);
        self.size += 1;
        done
    }

    /// `MTH` of the leaves pushed so far.
    pub fn root(&self) -> Hash {
        let mut it = self.roots.iter().rev();
        match it.next() {
            None => empty_root(),
            Some(last) => it.fold(*last, |acc, left| node_hash(left, &acc)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // Test vectors from transparency-dev/merkle, proof/verify_test.go (commit 02194e9a), which
    // carries the RFC 6962 reference vectors of the certificate-transparency project: eight
    // leaves, the roots of the trees of sizes 1..=8, and inclusion and consistency proofs.
    // RFC 9162 hashes trees exactly as RFC 6962 does.
    const LEAVES: [&str; 8] = [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ];
    const ROOTS: [&str; 8] = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];
    /// (leaf index, tree size, path). The Go table numbers leaves from 1.
    const INCLUSION: [(u64, u64, &[&str]); 5] = [
        (0, 1, &[]),
        (
            0,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            5,
            8,
            &[
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (
            2,
            3,
            &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
        ),
        (
            1,
            5,
            &[
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
    ];
    /// (first size, second size, path).
    const CONSISTENCY: [(u64, u64, &[&str]); 5] = [
        (1, 1, &[]),
        (
            1,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            6,
            8,
            &[
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (
            2,
            5,
            &[
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
        (
            6,
            7,
            &[
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
    ];

    fn h(s: &str) -> Hash {
        hex::decode(s).unwrap().try_into().unwrap()
    }

    fn leaves() -> Vec<Hash> {
        LEAVES
            .iter()
            .map(|l| leaf_hash(&hex::decode(l).unwrap()))
            .collect()
    }

    #[test]
    fn roots_match_the_reference_vectors() {
        let leaves = leaves();
        let mut f = Frontier::new();
        for (n, want) in ROOTS.iter().enumerate() {
            assert_eq!(hex::encode(root(&leaves[..=n])), *want, "size {}", n + 1);
            f.push(leaves[n]);
            assert_eq!(hex::encode(f.root()), *want, "frontier, size {}", n + 1);
        }
        assert_eq!(
            hex::encode(empty_root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn inclusion_proofs_match_the_reference_vectors() {
        let leaves = leaves();
        for (index, size, want) in INCLUSION {
            let want: Vec<Hash> = want.iter().map(|s| h(s)).collect();
            let got = inclusion_path(index, size, &mut &leaves[..]).unwrap();
            assert_eq!(got, want, "index {index} size {size}");
            let r = h(ROOTS[size as usize - 1]);
            verify_inclusion(index, size, &leaves[index as usize], &want, &r).unwrap();
        }
    }

    #[test]
    fn consistency_proofs_match_the_reference_vectors() {
        let leaves = leaves();
        for (m, n, want) in CONSISTENCY {
            let want: Vec<Hash> = want.iter().map(|s| h(s)).collect();
            assert_eq!(
                consistency_path(m, n, &mut &leaves[..]).unwrap(),
                want,
                "{m} -> {n}"
            );
            let (r1, r2) = (h(ROOTS[m as usize - 1]), h(ROOTS[n as usize - 1]));
            verify_consistency(m, n, &r1, &r2, &want).unwrap();
            if !want.is_empty() {
                assert!(
                    verify_consistency(m, n, &r2, &r1, &want).is_err(),
                    "swapped roots {m} -> {n}"
                );
                assert!(
                    verify_consistency(m, n, &r1, &r2, &want[..want.len() - 1]).is_err(),
                    "truncated {m} -> {n}"
                );
                assert!(
                    verify_consistency(m, n, &r1, &r2, &[]).is_err(),
                    "empty {m} -> {n}"
                );
            }
        }
    }

    /// The edge cases of the Go suite's TestVerifyConsistency, same table.
    #[test]
    fn consistency_edge_cases() {
        let (a, b, e) = ([1u8; 32], [2u8; 32], empty_root());
        let check = |m, n, r1: &Hash, r2: &Hash, p: &[Hash], ok: bool| {
            assert_eq!(
                verify_consistency(m, n, r1, r2, p).is_ok(),
                ok,
                "{m} {n} {p:?}"
            );
        };
        check(0, 0, &a, &b, &[], false);
        check(1, 1, &a, &b, &[], false);
        check(0, 0, &a, &a, &[], true);
        check(0, 1, &a, &b, &[], true);
        check(1, 1, &b, &b, &[], true);
        check(1, 0, &a, &b, &[], false);
        check(2, 1, &a, &b, &[], false);
        check(1, 2, &a, &b, &[], false);
        check(0, 0, &e, &e, &[e], false);
        check(0, 1, &e, &e, &[e], false);
        check(1, 1, &e, &e, &[e], false);
    }

    #[test]
    fn inclusion_edge_cases() {
        let x = leaf_hash(b"data");
        assert!(verify_inclusion(0, 1, &x, &[], &x).is_ok());
        assert!(verify_inclusion(0, 1, &x, &[], &[0; 32]).is_err());
        assert!(verify_inclusion(0, 0, &x, &[], &x).is_err());
        assert!(verify_inclusion(1, 1, &x, &[], &x).is_err());
        assert!(verify_inclusion(0, 1, &x, &[x], &x).is_err());
    }

    #[test]
    fn frontier_positions_and_nodes() {
        assert_eq!(Frontier::positions(6), vec![(2, 0), (1, 2)]);
        assert_eq!(Frontier::positions(7), vec![(2, 0), (1, 2), (0, 6)]);
        assert!(Frontier::positions(0).is_empty());
        let leaves = leaves();
        let mut f = Frontier::new();
        f.push(leaves[0]);
        f.push(leaves[1]);
        f.push(leaves[2]);
        let done = f.push(leaves[3]);
        let levels: Vec<(u32, u64)> = done.iter().map(|n| (n.level, n.index)).collect();
        assert_eq!(levels, vec![(0, 3), (1, 1), (2, 0)]);
        assert_eq!(done[2].hash, h(ROOTS[3]));
        assert_eq!(done[1].hash, root(&leaves[2..4]));
    }

    fn tree(n: usize) -> Vec<Hash> {
        (0..n)
            .map(|i| leaf_hash(&(i as u64).to_be_bytes()))
            .collect()
    }

    proptest! {
        #[test]
        fn every_leaf_proves_and_a_flipped_byte_fails(n in 1usize..200, pick in any::<prop::sample::Index>(), byte in 0usize..32) {
            let leaves = tree(n);
            let r = root(&leaves);
            for i in 0..n as u64 {
                let p = inclusion_path(i, n as u64, &mut &leaves[..]).unwrap();
                prop_assert_eq!(p.len(), inclusion_len(i, n as u64));
                prop_assert!(verify_inclusion(i, n as u64, &leaves[i as usize], &p, &r).is_ok());
            }
            let i = pick.index(n) as u64;
            let mut p = inclusion_path(i, n as u64, &mut &leaves[..]).unwrap();
            let mut leaf = leaves[i as usize];
            leaf[byte] ^= 1;
            prop_assert!(verify_inclusion(i, n as u64, &leaf, &p, &r).is_err());
            if !p.is_empty() {
                let k = byte % p.len();
                p[k][byte] ^= 0x80;
                prop_assert!(verify_inclusion(i, n as u64, &leaves[i as usize], &p, &r).is_err());
            }
            if n > 1 {
                let other = (i + 1) % n as u64;
                let p = inclusion_path(i, n as u64, &mut &leaves[..]).unwrap();
                prop_assert!(verify_inclusion(other, n as u64, &leaves[i as usize], &p, &r).is_err());
            }
        }

        #[test]
        fn consistency_between_any_sizes(n in 1u64..150, m_pick in any::<prop::sample::Index>(), byte in 0usize..32) {
            let leaves = tree(n as usize);
            let m = m_pick.index(n as usize + 1) as u64;
            let (r1, r2) = (root(&leaves[..m as usize]), root(&leaves));
            let mut p = consistency_path(m, n, &mut &leaves[..]).unwrap();
            prop_assert!(verify_consistency(m, n, &r1, &r2, &p).is_ok());
            if !p.is_empty() {
                let k = byte % p.len();
                p[k][byte] ^= 1;
                prop_assert!(verify_consistency(m, n, &r1, &r2, &p).is_err());
            }
            if 0 < m && m < n {
                // A tree that differs in any one leaf below m is not consistent with the first.
                let mut forked = leaves.clone();
                forked[byte % m as usize][0] ^= 1;
                let p = consistency_path(m, n, &mut &forked[..]).unwrap();
                prop_assert!(verify_consistency(m, n, &r1, &root(&forked), &p).is_err());
            }
        }

        #[test]
        fn frontier_root_equals_mth(n in 0usize..300) {
            let leaves = tree(n);
            let mut f = Frontier::new();
            for l in &leaves {
                f.push(*l);
            }
            prop_assert_eq!(f.root(), root(&leaves));
            prop_assert_eq!(f.size(), n as u64);
        }
    }
}
