//! # medchain-merkle
//!
//! The Merkle tree medchain uses to anchor a batch of records with one hash
//! (`Records::anchor_batch`), and the proofs that show one record belongs to a batch.
//!
//! The scheme is RFC 9162 (Certificate Transparency v2) §2.1, with BLAKE2b-256 as the hash.
//! Leaves and inner nodes are domain-separated by a prefix byte, so no inner node can pass for
//! a leaf (the second-preimage attack on Merkle trees), and an odd node is never duplicated (so
//! two different batches cannot share a root, unlike Bitcoin's tree):
//!
//! ```text
//! leaf  = blake2_256(0x00 ‖ content_hash)          content_hash: the record's 32-byte hash
//! node  = blake2_256(0x01 ‖ left ‖ right)
//! MTH([d])       = leaf(d)
//! MTH(D[0..n])   = node(MTH(D[0..k]), MTH(D[k..n]))   k: the largest power of two < n
//! ```
//!
//! A proof for leaf `index` of a batch of `count` leaves is the RFC's audit path: the sibling
//! hashes from the leaf up to the root. [`verify`] is RFC 9162 §2.1.3.2 and needs only the
//! root, the count (both on chain), the record's content hash, its index and the path.
//!
//! `no_std` (with `alloc`): the runtime and light clients can use it as they are.

#![cfg_attr(not(feature = "std"), no_std)]
// Checked arithmetic in the chain's code (tests may overflow on purpose): docs/development.md.
#![cfg_attr(not(test), warn(clippy::arithmetic_side_effects))]

extern crate alloc;

use alloc::vec::Vec;

/// A 32-byte hash.
pub type Hash = [u8; 32];

/// The prefix of a leaf's preimage.
pub const LEAF_PREFIX: u8 = 0x00;
/// The prefix of an inner node's preimage.
pub const NODE_PREFIX: u8 = 0x01;

/// A leaf: `blake2_256(0x00 ‖ content_hash)`.
pub fn leaf_hash(content_hash: &Hash) -> Hash {
	let mut preimage = [0u8; 33];
	preimage[0] = LEAF_PREFIX;
	preimage[1..].copy_from_slice(content_hash);
	sp_crypto_hashing::blake2_256(&preimage)
}

/// An inner node: `blake2_256(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
	let mut preimage = [0u8; 65];
	preimage[0] = NODE_PREFIX;
	preimage[1..33].copy_from_slice(left);
	preimage[33..].copy_from_slice(right);
	sp_crypto_hashing::blake2_256(&preimage)
}

/// The largest power of two below `n` (`n` ≥ 2).
fn split(n: usize) -> usize {
	let mut k = 1;
	while k << 1 < n {
		k <<= 1;
	}
	k
}

/// MTH of leaves already hashed.
fn subtree_root(leaves: &[Hash]) -> Hash {
	match leaves {
		[leaf] => *leaf,
		_ => {
			let k = split(leaves.len());
			node_hash(&subtree_root(&leaves[..k]), &subtree_root(&leaves[k..]))
		},
	}
}

/// The root of the batch whose records have these content hashes, in this order; `None` for
/// an empty batch (there is nothing to anchor).
///
/// O(n) hashes.
pub fn root(content_hashes: &[Hash]) -> Option<Hash> {
	if content_hashes.is_empty() {
		return None;
	}
	let leaves: Vec<Hash> = content_hashes.iter().map(leaf_hash).collect();
	Some(subtree_root(&leaves))
}

/// The proof (audit path, leaf to root) that record `index` belongs to the batch of these
/// content hashes; `None` if `index` is out of range.
///
/// O(n) hashes; the proof has ⌈log₂ n⌉ hashes at most.
pub fn proof(content_hashes: &[Hash], index: usize) -> Option<Vec<Hash>> {
	if index >= content_hashes.len() {
		return None;
	}
	let leaves: Vec<Hash> = content_hashes.iter().map(leaf_hash).collect();
	let mut path = Vec::new();
	audit_path(&leaves, index, &mut path);
	Some(path)
}

/// The root of the batch and every record's proof, in one pass: O(n) hashes (each inner node
/// once), O(n log n) hashes written out. `None` for an empty batch. What a batch of 100 000
/// documents needs: [`proof`] per record would rebuild the tree each time.
pub fn root_and_proofs(content_hashes: &[Hash]) -> Option<(Hash, Vec<Vec<Hash>>)> {
	if content_hashes.is_empty() {
		return None;
	}
	let leaves: Vec<Hash> = content_hashes.iter().map(leaf_hash).collect();
	let mut paths = alloc::vec![Vec::new(); leaves.len()];
	let root = fill(&leaves, &mut paths);
	Some((root, paths))
}

/// MTH of `leaves`, pushing onto each leaf's path the siblings above it, deepest first.
fn fill(leaves: &[Hash], paths: &mut [Vec<Hash>]) -> Hash {
	match leaves {
		[leaf] => *leaf,
		_ => {
			let k = split(leaves.len());
			let (left_paths, right_paths) = paths.split_at_mut(k);
			let left = fill(&leaves[..k], left_paths);
			let right = fill(&leaves[k..], right_paths);
			for path in left_paths {
				path.push(right);
			}
			for path in right_paths {
				path.push(left);
			}
			node_hash(&left, &right)
		},
	}
}

/// RFC 9162 PATH(m, D[n]), appended leaf-first.
fn audit_path(leaves: &[Hash], m: usize, path: &mut Vec<Hash>) {
	if leaves.len() <= 1 {
		return;
	}
	let k = split(leaves.len());
	if m < k {
		audit_path(&leaves[..k], m, path);
		path.push(subtree_root(&leaves[k..]));
	} else {
		audit_path(&leaves[k..], m.saturating_sub(k), path);
		path.push(subtree_root(&leaves[..k]));
	}
}

/// Whether `proof` shows that the record with `content_hash` is leaf `index` of the batch of
/// `count` records whose root is `root` (RFC 9162 §2.1.3.2). Take `root` and `count` from the
/// chain's batch anchor, never from whoever presents the proof.
///
/// O(proof length) hashes.
pub fn verify(root: &Hash, content_hash: &Hash, index: u64, count: u64, proof: &[Hash]) -> bool {
	if index >= count {
		return false;
	}
	let mut f = index;
	let mut s = count.saturating_sub(1);
	let mut r = leaf_hash(content_hash);
	for p in proof {
		if s == 0 {
			return false;
		}
		if f & 1 == 1 || f == s {
			r = node_hash(p, &r);
			if f & 1 == 0 {
				while f & 1 == 0 && f != 0 {
					f >>= 1;
					s >>= 1;
				}
			}
		} else {
			r = node_hash(&r, p);
		}
		f >>= 1;
		s >>= 1;
	}
	s == 0 && r == *root
}

#[cfg(test)]
mod tests {
	use super::*;

	fn content(i: usize) -> Hash {
		sp_crypto_hashing::blake2_256(&(i as u64).to_le_bytes())
	}

	fn batch(n: usize) -> Vec<Hash> {
		(0..n).map(content).collect()
	}

	#[test]
	fn small_trees_have_the_rfc_shape() {
		let d = batch(5);
		let l: Vec<Hash> = d.iter().map(leaf_hash).collect();
		assert_eq!(root(&d[..1]), Some(l[0]));
		assert_eq!(root(&d[..2]), Some(node_hash(&l[0], &l[1])));
		// Three leaves: the odd one is promoted, not duplicated.
		assert_eq!(root(&d[..3]), Some(node_hash(&node_hash(&l[0], &l[1]), &l[2])));
		assert_eq!(
			root(&d[..5]),
			Some(node_hash(&node_hash(&node_hash(&l[0], &l[1]), &node_hash(&l[2], &l[3])), &l[4]))
		);
		assert_eq!(root(&[]), None);
	}

	#[test]
	fn leaves_and_nodes_are_domain_separated() {
		let (a, b) = (content(1), content(2));
		let mut concatenated = [0u8; 64];
		concatenated[..32].copy_from_slice(&a);
		concatenated[32..].copy_from_slice(&b);
		// A plain blake2 of the pair, or a leaf, is never the node of the pair.
		assert_ne!(node_hash(&a, &b), sp_crypto_hashing::blake2_256(&concatenated));
		assert_ne!(leaf_hash(&a), sp_crypto_hashing::blake2_256(&a));
		// A one-leaf batch's root is not its content hash.
		assert_ne!(root(&[a]), Some(a));
	}

	#[test]
	fn every_leaf_of_odd_and_even_batches_verifies() {
		for n in 1..=33 {
			let d = batch(n);
			let r = root(&d).unwrap();
			for i in 0..n {
				let path = proof(&d, i).unwrap();
				assert!(path.len() <= 6, "n={n} i={i}: path of {}", path.len());
				assert!(verify(&r, &d[i], i as u64, n as u64, &path), "n={n} i={i}");
			}
		}
	}

	#[test]
	fn a_wrong_leaf_index_count_root_or_path_does_not_verify() {
		for n in [2usize, 3, 4, 7, 8, 13] {
			let d = batch(n);
			let r = root(&d).unwrap();
			for i in 0..n {
				let path = proof(&d, i).unwrap();
				let (index, count) = (i as u64, n as u64);
				// Another record's hash, or one flipped bit of this one.
				assert!(!verify(&r, &content(1_000), index, count, &path));
				let mut flipped = d[i];
				flipped[31] ^= 1;
				assert!(!verify(&r, &flipped, index, count, &path));
				// Another position.
				for j in (0..n).filter(|j| *j != i) {
					assert!(!verify(&r, &d[i], j as u64, count, &path), "n={n} i={i} as {j}");
				}
				assert!(!verify(&r, &d[i], count, count, &path));
				// Another root, or a path with a hash changed, dropped or added. (The count is
				// not a secret to guess: verifiers take it from the chain with the root. A path
				// can fit two sizes, e.g. leaf 0 of 3 and of 4 leaves, because a sibling may
				// be a leaf or a subtree's root.)
				assert!(!verify(
					&root(&d[..n - 1]).unwrap_or_default(),
					&d[i],
					index,
					count,
					&path
				));
				let mut changed = path.clone();
				changed[0][0] ^= 1;
				assert!(!verify(&r, &d[i], index, count, &changed));
				assert!(!verify(&r, &d[i], index, count, &path[..path.len() - 1]));
				let mut longer = path.clone();
				longer.push(r);
				assert!(!verify(&r, &d[i], index, count, &longer));
			}
		}
	}

	#[test]
	fn a_leaf_cannot_pose_as_an_inner_node() {
		// An inner node's hash presented as a record's content hash does not verify as a
		// one-level-shorter proof.
		let d = batch(4);
		let r = root(&d).unwrap();
		let l: Vec<Hash> = d.iter().map(leaf_hash).collect();
		let left = node_hash(&l[0], &l[1]);
		let right = node_hash(&l[2], &l[3]);
		assert!(!verify(&r, &left, 0, 2, &[right]));
	}

	#[test]
	fn every_proof_of_one_pass_is_the_proof_of_its_leaf() {
		for n in 1..=40 {
			let d = batch(n);
			let (r, paths) = root_and_proofs(&d).unwrap();
			assert_eq!(Some(r), root(&d));
			for (i, path) in paths.iter().enumerate() {
				assert_eq!(Some(path.clone()), proof(&d, i), "n={n} i={i}");
			}
		}
		assert_eq!(root_and_proofs(&[]), None);
	}

	#[test]
	fn out_of_range_proofs_are_refused() {
		assert_eq!(proof(&batch(3), 3), None);
		assert_eq!(proof(&[], 0), None);
		assert!(!verify(&[0; 32], &content(0), 0, 0, &[]));
	}
}
