/*
 * merkle: the RFC 6962 / RFC 9162 Merkle tree over log entries
 * (audit-log.md 2.5): leaf and node hashes, the right frontier (compact
 * range) used to keep the root as entries are appended, proof generation
 * from a leaf-hash callback, and proof verification.
 *
 * Generation follows the recursive definitions of RFC 6962 section 2.1
 * (MTH, PATH, SUBPROOF); each leaf is read at most once per call, so a
 * proof costs O(n) leaf reads and O(log n) stack.  Verification follows
 * RFC 9162 sections 2.1.3.2 and 2.1.4.2 step by step, because those are
 * the procedures other tools and auditors implement; any looseness here
 * (accepting a proof one hash too long or too short) lets a log show two
 * histories.
 */
#include <assert.h>
#include <string.h>

#include <sodium.h>

#include "keys/keys.h"

/* A proof never needs more hashes than the tree has levels. */
#define PROOF_MAX 64

void
merkle_leaf_hash(const void *data, size_t len, uint8_t out[32])
{
	static const uint8_t prefix = 0x00;
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, &prefix, 1);
	if (len > 0) {
		crypto_hash_sha256_update(&st, data, len);
	}
	crypto_hash_sha256_final(&st, out);
}

void
merkle_node_hash(const uint8_t l[32], const uint8_t r[32], uint8_t out[32])
{
	uint8_t buf[65];

	/* l, r and out may alias: hash from a copy. */
	buf[0] = 0x01;
	memcpy(buf + 1, l, 32);
	memcpy(buf + 33, r, 32);
	crypto_hash_sha256(out, buf, sizeof(buf));
}

static void
merkle_empty_root(uint8_t out[32])
{
	crypto_hash_sha256(out, NULL, 0);
}

/* ---- the right frontier ---- */

static uint8_t
popcount64(uint64_t v)
{
	uint8_t n = 0;

	while (v) {
		v &= v - 1;
		n++;
	}
	return n;
}

void
merkle_frontier_init(struct merkle_frontier *f)
{
	memset(f, 0, sizeof(*f));
}

void
merkle_frontier_append(struct merkle_frontier *f, const uint8_t leaf[32])
{
	uint8_t h[32];
	uint64_t s = f->size;

	assert(f->n == popcount64(f->size));
	/* 2^64 - 1 leaves is the most the u64 size can describe. */
	if (f->size == UINT64_MAX) {
		return;
	}
	memcpy(h, leaf, 32);
	/*
	 * Each trailing one bit of the old size is a complete subtree as
	 * large as what we hold: merge it in, like a binary carry.
	 */
	while (s & 1) {
		merkle_node_hash(f->h[f->n - 1], h, h);
		f->n--;
		s >>= 1;
	}
	memcpy(f->h[f->n], h, 32);
	f->n++;
	f->size++;
}

void
merkle_frontier_root(const struct merkle_frontier *f, uint8_t out[32])
{
	uint8_t h[32];

	assert(f->n == popcount64(f->size));
	if (f->n == 0) {
		merkle_empty_root(out);
		return;
	}
	/* RFC 6962 splits at the largest power of two: fold right to left. */
	memcpy(h, f->h[f->n - 1], 32);
	for (size_t i = f->n - 1; i-- > 0;) {
		merkle_node_hash(f->h[i], h, h);
	}
	memcpy(out, h, 32);
}

size_t
merkle_frontier_size(const struct merkle_frontier *f)
{
	return 8 + 32 * (size_t)f->n;
}

void
merkle_frontier_save(const struct merkle_frontier *f, uint8_t *out)
{
	assert(f->n == popcount64(f->size));
	for (int i = 0; i < 8; i++) {
		out[i] = (uint8_t)(f->size >> (56 - 8 * i));
	}
	memcpy(out + 8, f->h, 32 * (size_t)f->n);
}

int
merkle_frontier_load(struct merkle_frontier *f, const uint8_t *p, size_t len)
{
	uint64_t size = 0;
	uint8_t n;

	merkle_frontier_init(f);
	if (!p || len < 8) {
		return -1;
	}
	for (int i = 0; i < 8; i++) {
		size = (size << 8) | p[i];
	}
	/* The hash count is implied by the size; anything else is corrupt. */
	n = popcount64(size);
	if (len != 8 + 32 * (size_t)n) {
		return -1;
	}
	f->size = size;
	f->n = n;
	memcpy(f->h, p + 8, 32 * (size_t)n);
	return 0;
}

/* ---- proofs from a leaf callback ---- */

/* The largest power of two strictly below n (n >= 2): RFC 6962's k. */
static uint64_t
split_point(uint64_t n)
{
	uint64_t k = 1;

	while (k <= (n - 1) >> 1) {
		k <<= 1;
	}
	return k;
}

/* MTH(D[lo : lo+n]), n >= 1. */
static int
mth(uint64_t lo, uint64_t n, merkle_leaf_fn leaf, void *ctx, uint8_t out[32])
{
	uint8_t l[32], r[32];
	uint64_t k;

	if (n == 1) {
		return leaf(ctx, lo, out) == 0 ? 0 : -1;
	}
	k = split_point(n);
	if (mth(lo, k, leaf, ctx, l) < 0 || mth(lo + k, n - k, leaf, ctx, r) < 0) {
		return -1;
	}
	merkle_node_hash(l, r, out);
	return 0;
}

/* Appends MTH(D[lo : lo+n]) to the proof, refusing past PROOF_MAX. */
static int
proof_push(uint64_t lo, uint64_t n, merkle_leaf_fn leaf, void *ctx,
	   uint8_t path[][32], size_t *n_path)
{
	if (*n_path >= PROOF_MAX) {
		return -1;
	}
	if (mth(lo, n, leaf, ctx, path[*n_path]) < 0) {
		return -1;
	}
	(*n_path)++;
	return 0;
}

int
merkle_root(uint64_t size, merkle_leaf_fn leaf, void *ctx, uint8_t out[32])
{
	if (size == 0) {
		merkle_empty_root(out);
		return 0;
	}
	return mth(0, size, leaf, ctx, out);
}

/* PATH(m, D[lo : lo+n]), deepest sibling first. */
static int
incl_path(uint64_t m, uint64_t lo, uint64_t n, merkle_leaf_fn leaf,
	  void *ctx, uint8_t path[][32], size_t *n_path)
{
	uint64_t k;

	if (n == 1) {
		return 0;
	}
	k = split_point(n);
	if (m < k) {
		if (incl_path(m, lo, k, leaf, ctx, path, n_path) < 0) {
			return -1;
		}
		return proof_push(lo + k, n - k, leaf, ctx, path, n_path);
	}
	if (incl_path(m - k, lo + k, n - k, leaf, ctx, path, n_path) < 0) {
		return -1;
	}
	return proof_push(lo, k, leaf, ctx, path, n_path);
}

int
merkle_inclusion_proof(uint64_t index, uint64_t size, merkle_leaf_fn leaf,
		       void *ctx, uint8_t path[][32], size_t *n_path)
{
	*n_path = 0;
	if (index >= size) {
		return -1;
	}
	if (incl_path(index, 0, size, leaf, ctx, path, n_path) < 0) {
		*n_path = 0;
		return -1;
	}
	return 0;
}

/* SUBPROOF(m, D[lo : lo+n], b). */
static int
subproof(uint64_t m, uint64_t lo, uint64_t n, int b, merkle_leaf_fn leaf,
	 void *ctx, uint8_t path[][32], size_t *n_path)
{
	uint64_t k;

	if (m == n) {
		/* The old tree is this very subtree: the verifier knows it. */
		if (b) {
			return 0;
		}
		return proof_push(lo, n, leaf, ctx, path, n_path);
	}
	k = split_point(n);
	if (m <= k) {
		if (subproof(m, lo, k, b, leaf, ctx, path, n_path) < 0) {
			return -1;
		}
		return proof_push(lo + k, n - k, leaf, ctx, path, n_path);
	}
	if (subproof(m - k, lo + k, n - k, 0, leaf, ctx, path, n_path) < 0) {
		return -1;
	}
	return proof_push(lo, k, leaf, ctx, path, n_path);
}

int
merkle_consistency_proof(uint64_t m, uint64_t n, merkle_leaf_fn leaf,
			 void *ctx, uint8_t path[][32], size_t *n_path)
{
	*n_path = 0;
	if (m == 0 || m > n) {
		return -1;
	}
	if (subproof(m, 0, n, 1, leaf, ctx, path, n_path) < 0) {
		*n_path = 0;
		return -1;
	}
	return 0;
}

/* ---- verification, RFC 9162 ---- */

int
merkle_inclusion_verify(uint64_t index, uint64_t size, const uint8_t leaf[32],
			const uint8_t path[][32], size_t n_path,
			const uint8_t root[32])
{
	uint8_t r[32];
	uint64_t fn, sn;

	/* 2.1.3.2 step 1. */
	if (index >= size || n_path > PROOF_MAX) {
		return -1;
	}
	fn = index;
	sn = size - 1;
	memcpy(r, leaf, 32);
	for (size_t i = 0; i < n_path; i++) {
		/* A hash past the root: the proof is too long. */
		if (sn == 0) {
			return -1;
		}
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(path[i], r, r);
			/* Skip levels where our node had no right sibling. */
			if (!(fn & 1)) {
				while (!(fn & 1) && fn != 0) {
					fn >>= 1;
					sn >>= 1;
				}
			}
		} else {
			merkle_node_hash(r, path[i], r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	/* sn != 0: the proof stopped short of the root. */
	if (sn != 0 || memcmp(r, root, 32) != 0) {
		return -1;
	}
	return 0;
}

int
merkle_consistency_verify(uint64_t m, uint64_t n, const uint8_t root_m[32],
			  const uint8_t root_n[32], const uint8_t path[][32],
			  size_t n_path)
{
	uint8_t fr[32], sr[32];
	uint64_t fn, sn;
	size_t i;

	if (m == 0 || m > n || n_path > PROOF_MAX) {
		return -1;
	}
	if (m == n) {
		/* Same tree: nothing to prove, and nothing may be offered. */
		if (n_path != 0 || memcmp(root_m, root_n, 32) != 0) {
			return -1;
		}
		return 0;
	}
	/* 2.1.4.2 step 1. */
	if (n_path == 0) {
		return -1;
	}
	/*
	 * Step 2: when m is a power of two the old tree is a complete subtree
	 * of the new one and the proof leaves out its hash (root_m); rather
	 * than copying the path to prepend it, start from root_m.
	 */
	if ((m & (m - 1)) == 0) {
		memcpy(fr, root_m, 32);
		i = 0;
	} else {
		memcpy(fr, path[0], 32);
		i = 1;
	}
	memcpy(sr, fr, 32);
	/* Steps 3 and 4. */
	fn = m - 1;
	sn = n - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	/* Step 6. */
	for (; i < n_path; i++) {
		if (sn == 0) {
			return -1;
		}
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(path[i], fr, fr);
			merkle_node_hash(path[i], sr, sr);
			if (!(fn & 1)) {
				while (!(fn & 1) && fn != 0) {
					fn >>= 1;
					sn >>= 1;
				}
			}
		} else {
			merkle_node_hash(sr, path[i], sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	/* Step 7. */
	if (sn != 0 || memcmp(fr, root_m, 32) != 0 ||
	    memcmp(sr, root_n, 32) != 0) {
		return -1;
	}
	return 0;
}
