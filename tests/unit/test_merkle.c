/*
 * Unit tests for keys/merkle.c: known answers from RFC 6962's test tree
 * (as published with transparency-dev/merkle), frontier against recursive
 * root, every inclusion and consistency proof of small trees, and the
 * transparency-dev style corruptions every verifier must refuse.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "keys/keys.h"
#include "tests/lib/runner.h"

/* Leaf hashes served to merkle_* through the callback. */
struct leaves {
	uint8_t (*h)[32];
	uint64_t n;
	uint64_t reads;
	uint64_t fail_at; /* index whose read fails; UINT64_MAX for none */
};

static int
leaf_cb(void *ctx, uint64_t i, uint8_t out[32])
{
	struct leaves *l = ctx;

	l->reads++;
	if (i >= l->n || i == l->fail_at) {
		return -1;
	}
	memcpy(out, l->h[i], 32);
	return 0;
}

static void
hex2bin(const char *hex, uint8_t *out, size_t n)
{
	size_t got = 0;

	if (sodium_hex2bin(out, n, hex, strlen(hex), NULL, &got, NULL) != 0 ||
	    got != n) {
		test_fail(__FILE__, __LINE__, "bad hex in test: %s", hex);
	}
}

/* The eight leaf inputs of the RFC 6962 reference test tree. */
static const char *const rfc_leaf_hex[8] = {
	"",
	"00",
	"10",
	"2021",
	"3031",
	"40414243",
	"5051525354555657",
	"606162636465666768696a6b6c6d6e6f",
};

static const char *const rfc_root_hex[8] = {
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

static void
rfc_leaves(struct leaves *l, uint8_t h[8][32])
{
	for (int i = 0; i < 8; i++) {
		uint8_t data[16];
		size_t n = strlen(rfc_leaf_hex[i]) / 2;

		if (n) {
			hex2bin(rfc_leaf_hex[i], data, n);
		}
		merkle_leaf_hash(data, n, h[i]);
	}
	l->h = h;
	l->n = 8;
	l->reads = 0;
	l->fail_at = UINT64_MAX;
}

/* n leaves whose data is the big-endian index; caller frees l->h. */
static void
gen_leaves(struct leaves *l, uint64_t n)
{
	l->h = malloc((size_t)(n ? n : 1) * 32);
	if (!l->h) {
		abort();
	}
	for (uint64_t i = 0; i < n; i++) {
		uint8_t d[8];

		for (int k = 0; k < 8; k++) {
			d[k] = (uint8_t)(i >> (56 - 8 * k));
		}
		merkle_leaf_hash(d, sizeof(d), l->h[i]);
	}
	l->n = n;
	l->reads = 0;
	l->fail_at = UINT64_MAX;
}

/* ---- hashes and roots ---- */

static void
test_merkle__hashes(void)
{
	uint8_t h[32], want[32], l[32], r[32], buf[65];

	/* leaf = SHA-256(0x00 || data) */
	merkle_leaf_hash("", 0, h);
	hex2bin("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
		want, 32);
	CHECK(memcmp(h, want, 32) == 0);

	/* node = SHA-256(0x01 || l || r), also when out aliases an input */
	memset(l, 0xaa, 32);
	memset(r, 0xbb, 32);
	buf[0] = 1;
	memcpy(buf + 1, l, 32);
	memcpy(buf + 33, r, 32);
	crypto_hash_sha256(want, buf, sizeof(buf));
	merkle_node_hash(l, r, h);
	CHECK(memcmp(h, want, 32) == 0);
	merkle_node_hash(l, r, l);
	CHECK(memcmp(l, want, 32) == 0);
}

static void
test_merkle__empty_root(void)
{
	struct merkle_frontier f;
	struct leaves l;
	uint8_t want[32], got[32];

	hex2bin("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		want, 32);
	gen_leaves(&l, 0);
	CHECK_INT(merkle_root(0, leaf_cb, &l, got), 0);
	CHECK(memcmp(got, want, 32) == 0);
	CHECK_INT(l.reads, 0);
	merkle_frontier_init(&f);
	merkle_frontier_root(&f, got);
	CHECK(memcmp(got, want, 32) == 0);
	free(l.h);
}

static void
test_merkle__rfc6962_roots(void)
{
	uint8_t h[8][32], root[32], want[32];
	struct leaves l;
	struct merkle_frontier f;

	rfc_leaves(&l, h);
	merkle_frontier_init(&f);
	for (uint64_t n = 1; n <= 8; n++) {
		hex2bin(rfc_root_hex[n - 1], want, 32);
		CHECK_INT(merkle_root(n, leaf_cb, &l, root), 0);
		if (memcmp(root, want, 32) != 0) {
			test_fail(__FILE__, __LINE__, "root of size %d", (int)n);
		}
		merkle_frontier_append(&f, h[n - 1]);
		merkle_frontier_root(&f, root);
		if (memcmp(root, want, 32) != 0) {
			test_fail(__FILE__, __LINE__, "frontier root of size %d",
				  (int)n);
		}
	}
}

/* ---- the frontier ---- */

static int
popcount(uint64_t v)
{
	int n = 0;

	for (; v; v &= v - 1) {
		n++;
	}
	return n;
}

static void
check_frontier_sizes(const uint64_t *sizes, size_t n_sizes)
{
	struct leaves l;
	struct merkle_frontier f;
	uint64_t max = 0, done = 0;
	uint8_t a[32], b[32];

	for (size_t i = 0; i < n_sizes; i++) {
		max = sizes[i] > max ? sizes[i] : max;
	}
	gen_leaves(&l, max);
	merkle_frontier_init(&f);
	for (size_t i = 0; i < n_sizes; i++) {
		while (done < sizes[i]) {
			merkle_frontier_append(&f, l.h[done++]);
		}
		CHECK(f.size == sizes[i]);
		CHECK_INT(f.n, popcount(sizes[i]));
		merkle_frontier_root(&f, a);
		CHECK_INT(merkle_root(sizes[i], leaf_cb, &l, b), 0);
		if (memcmp(a, b, 32) != 0) {
			test_fail(__FILE__, __LINE__, "size %llu",
				  (unsigned long long)sizes[i]);
		}
	}
	free(l.h);
}

static void
test_merkle__frontier_matches_root_0_to_70(void)
{
	uint64_t sizes[71];

	for (uint64_t i = 0; i <= 70; i++) {
		sizes[i] = i;
	}
	check_frontier_sizes(sizes, 71);
}

static void
test_merkle__frontier_matches_root_powers_of_two(void)
{
	uint64_t sizes[40];
	size_t n = 0;

	for (uint64_t p = 2; p <= 4096; p *= 2) {
		sizes[n++] = p - 1;
		sizes[n++] = p;
		sizes[n++] = p + 1;
	}
	check_frontier_sizes(sizes, n);
}

static void
test_merkle__frontier_largest_subtree_first(void)
{
	struct leaves l;
	struct merkle_frontier f;
	uint8_t want[32];

	/* Size 7 = 4 + 2 + 1: h[0] = MTH(0..3), h[1] = MTH(4..5), h[2] = 6. */
	gen_leaves(&l, 7);
	merkle_frontier_init(&f);
	for (int i = 0; i < 7; i++) {
		merkle_frontier_append(&f, l.h[i]);
	}
	CHECK_INT(f.n, 3);
	CHECK_INT(merkle_root(4, leaf_cb, &l, want), 0);
	CHECK(memcmp(f.h[0], want, 32) == 0);
	merkle_node_hash(l.h[4], l.h[5], want);
	CHECK(memcmp(f.h[1], want, 32) == 0);
	CHECK(memcmp(f.h[2], l.h[6], 32) == 0);
	free(l.h);
}

static void
test_merkle__frontier_save_load(void)
{
	struct leaves l;
	struct merkle_frontier f, g;
	uint8_t buf[8 + 64 * 32], a[32], b[32];
	size_t n;

	gen_leaves(&l, 45);
	merkle_frontier_init(&f);
	for (uint64_t size = 0; size <= 45; size++) {
		n = merkle_frontier_size(&f);
		CHECK_INT(n, 8 + 32 * popcount(size));
		merkle_frontier_save(&f, buf);
		CHECK_INT(buf[7], size); /* u64 big-endian */
		CHECK_INT(merkle_frontier_load(&g, buf, n), 0);
		CHECK(g.size == f.size && g.n == f.n);
		merkle_frontier_root(&f, a);
		merkle_frontier_root(&g, b);
		CHECK(memcmp(a, b, 32) == 0);
		/* A loaded frontier keeps growing like the original. */
		if (size < 45) {
			merkle_frontier_append(&g, l.h[size]);
			merkle_frontier_append(&f, l.h[size]);
			merkle_frontier_root(&f, a);
			merkle_frontier_root(&g, b);
			CHECK(memcmp(a, b, 32) == 0);
		}
	}
	/* 45 = 32 + 8 + 4 + 1: exactly 8 + 4 * 32 bytes. */
	n = merkle_frontier_size(&f);
	CHECK_INT(n, 8 + 4 * 32);
	merkle_frontier_save(&f, buf);
	CHECK_INT(merkle_frontier_load(&g, buf, n - 1), -1);
	CHECK_INT(merkle_frontier_load(&g, buf, n + 1), -1);
	CHECK_INT(merkle_frontier_load(&g, buf, n - 32), -1);
	CHECK_INT(merkle_frontier_load(&g, buf, 7), -1);
	CHECK_INT(merkle_frontier_load(&g, NULL, 0), -1);
	CHECK(g.size == 0 && g.n == 0); /* a failed load leaves it empty */
	buf[7] = 47; /* five bits: the length no longer fits */
	CHECK_INT(merkle_frontier_load(&g, buf, n), -1);
	buf[7] = 0;
	CHECK_INT(merkle_frontier_load(&g, buf, 8), 0); /* empty tree */
	merkle_frontier_root(&g, a);
	CHECK_INT(merkle_root(0, leaf_cb, &l, b), 0);
	CHECK(memcmp(a, b, 32) == 0);
	free(l.h);
}

static void
test_merkle__frontier_at_64_subtrees(void)
{
	struct merkle_frontier f;
	uint8_t buf[8 + 64 * 32], leaf[32], root[32];

	/* Size 2^64 - 2 has 63 bits set; one more leaf makes 64. */
	memset(buf, 0xff, 8);
	buf[7] = 0xfe;
	for (int i = 0; i < 63; i++) {
		memset(buf + 8 + 32 * i, i, 32);
	}
	CHECK_INT(merkle_frontier_load(&f, buf, 8 + 63 * 32), 0);
	CHECK_INT(f.n, 63);
	memset(leaf, 0x77, 32);
	merkle_frontier_append(&f, leaf);
	CHECK(f.size == UINT64_MAX);
	CHECK_INT(f.n, 64);
	CHECK(memcmp(f.h[63], leaf, 32) == 0);
	merkle_frontier_root(&f, root);
	CHECK_INT(merkle_frontier_size(&f), 8 + 64 * 32);
	/* Full: a further append changes nothing. */
	merkle_frontier_append(&f, leaf);
	CHECK(f.size == UINT64_MAX);
	CHECK_INT(f.n, 64);
}

/* ---- inclusion proofs ---- */

struct incl_vec {
	uint64_t index, size;
	int n;
	const char *hex[3];
};

/* From transparency-dev/merkle proof/verify_test.go (0-based index). */
static const struct incl_vec incl_vecs[] = {
	{0, 8, 3,
	 {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
	{5, 8, 3,
	 {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
	{2, 3, 1,
	 {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
	{1, 5, 3,
	 {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
	{0, 1, 0, {NULL}},
};

static void
test_merkle__rfc6962_inclusion_vectors(void)
{
	uint8_t h[8][32], path[64][32], want[3][32], root[32];
	struct leaves l;
	size_t n;

	rfc_leaves(&l, h);
	for (size_t v = 0; v < sizeof(incl_vecs) / sizeof(incl_vecs[0]); v++) {
		const struct incl_vec *t = &incl_vecs[v];

		for (int k = 0; k < t->n; k++) {
			hex2bin(t->hex[k], want[k], 32);
		}
		CHECK_INT(merkle_inclusion_proof(t->index, t->size, leaf_cb, &l,
						 path, &n),
			  0);
		CHECK_INT(n, t->n);
		if (n == (size_t)t->n &&
		    memcmp(path, want, 32 * (size_t)t->n) != 0) {
			test_fail(__FILE__, __LINE__, "proof %zu differs", v);
		}
		hex2bin(rfc_root_hex[t->size - 1], root, 32);
		CHECK_INT(merkle_inclusion_verify(t->index, t->size, h[t->index],
						  (const uint8_t(*)[32])want,
						  (size_t)t->n, root),
			  0);
	}
}

/*
 * The transparency-dev corruptions of a good inclusion proof; every one
 * must fail.  Returns the number that wrongly verified.
 */
static int
inclusion_corruptions(uint64_t index, uint64_t size, const uint8_t leaf[32],
		      const uint8_t path[][32], size_t n, const uint8_t root[32])
{
	uint8_t p[66][32], some[32], empty_root[32], wrong_leaf[32];
	int bad = 0;

#define PROBE(i, s, lf, pp, nn, rt, what)                                  \
	do {                                                               \
		if (merkle_inclusion_verify((i), (s), (lf),                 \
					    (const uint8_t(*)[32])(pp), (nn), \
					    (rt)) == 0) {                  \
			test_fail(__FILE__, __LINE__,                      \
				  "index %llu size %llu: accepted %s",     \
				  (unsigned long long)index,               \
				  (unsigned long long)size, what);         \
			bad++;                                             \
		}                                                          \
	} while (0)

	memset(some, 0xab, 32);
	crypto_hash_sha256(empty_root, NULL, 0);
	merkle_leaf_hash("WrongLeaf", 9, wrong_leaf);
	memcpy(p, path, 32 * n);

	PROBE(index - 1, size, leaf, p, n, root, "index - 1");
	PROBE(index + 1, size, leaf, p, n, root, "index + 1");
	PROBE(index ^ 2, size, leaf, p, n, root, "index ^ 2");
	PROBE(index, size * 2, leaf, p, n, root, "size * 2");
	PROBE(index, size / 2, leaf, p, n, root, "size / 2");
	PROBE(index, size, wrong_leaf, p, n, root, "wrong leaf");
	PROBE(index, size, leaf, p, n, empty_root, "empty root");
	PROBE(index, size, leaf, p, n, some, "random root");
	PROBE(size, size, leaf, p, n, root, "index == size");
	PROBE(size + 5, size, leaf, p, n, root, "index > size");

	/* garbage after */
	memset(p[n], 0, 32);
	PROBE(index, size, leaf, p, n + 1, root, "trailing garbage");
	memcpy(p[n], root, 32);
	PROBE(index, size, leaf, p, n + 1, root, "trailing root");
	memcpy(p[n], leaf, 32);
	PROBE(index, size, leaf, p, n + 1, root, "trailing leaf");
	/* A hash past the top, with the root it would lead to: only the
	 * level count can tell this from a proof in a taller tree. */
	{
		uint8_t taller[32];

		memcpy(p[n], some, 32);
		merkle_node_hash(some, root, taller);
		PROBE(index, size, leaf, p, n + 1, taller, "hash past the root");
	}

	/* garbage before */
	memset(p[0], 0, 32);
	memcpy(p[1], path, 32 * n);
	PROBE(index, size, leaf, p, n + 1, root, "preceding garbage");
	memcpy(p[0], root, 32);
	PROBE(index, size, leaf, p, n + 1, root, "preceding root");
	memcpy(p, path, 32 * n);

	for (size_t i = 0; i < n; i++) {
		for (int bit = 0; bit < 8; bit += 3) {
			p[i][0] ^= (uint8_t)(1u << bit);
			PROBE(index, size, leaf, p, n, root, "flipped bit");
			p[i][0] ^= (uint8_t)(1u << bit);
		}
		p[i][31] ^= 0x80;
		PROBE(index, size, leaf, p, n, root, "flipped last bit");
		p[i][31] ^= 0x80;
	}
	if (n > 0) {
		PROBE(index, size, leaf, p, n - 1, root, "removed last");
		memcpy(p, path + 1, 32 * (n - 1));
		PROBE(index, size, leaf, p, n - 1, root, "removed first");
		memcpy(p, path, 32 * n);
	}
	if (n > 1) {
		/* proof[0], some, proof[1:] */
		memcpy(p[0], path[0], 32);
		memcpy(p[1], some, 32);
		memcpy(p[2], path[1], 32 * (n - 1));
		PROBE(index, size, leaf, p, n + 1, root, "inserted component");
		/* two neighbours swapped */
		memcpy(p, path, 32 * n);
		memcpy(p[0], path[1], 32);
		memcpy(p[1], path[0], 32);
		PROBE(index, size, leaf, p, n, root, "swapped components");
	}
#undef PROBE
	return bad;
}

static int
ceil_log2(uint64_t n)
{
	int k = 0;

	while ((1ULL << k) < n) {
		k++;
	}
	return k;
}

static void
test_merkle__inclusion_all_pairs(void)
{
	struct leaves l;
	uint8_t path[64][32], root[32];
	size_t n;

	gen_leaves(&l, 40);
	for (uint64_t size = 1; size <= 40; size++) {
		CHECK_INT(merkle_root(size, leaf_cb, &l, root), 0);
		for (uint64_t i = 0; i < size; i++) {
			l.reads = 0;
			CHECK_INT(merkle_inclusion_proof(i, size, leaf_cb, &l,
							 path, &n),
				  0);
			/* linear, not quadratic: each leaf at most once */
			CHECK(l.reads <= size);
			CHECK(n <= (size_t)ceil_log2(size));
			if (merkle_inclusion_verify(i, size, l.h[i],
						    (const uint8_t(*)[32])path,
						    n, root) != 0) {
				test_fail(__FILE__, __LINE__,
					  "good proof %llu/%llu refused",
					  (unsigned long long)i,
					  (unsigned long long)size);
			}
			inclusion_corruptions(i, size, l.h[i],
					      (const uint8_t(*)[32])path, n,
					      root);
		}
	}
	free(l.h);
}

static void
test_merkle__inclusion_edge_cases(void)
{
	struct leaves l;
	uint8_t path[64][32], root[32], leaf[32];
	size_t n = 99;

	gen_leaves(&l, 4);
	/* index >= size, including the empty tree */
	CHECK_INT(merkle_inclusion_proof(0, 0, leaf_cb, &l, path, &n), -1);
	CHECK_INT(n, 0);
	CHECK_INT(merkle_inclusion_proof(4, 4, leaf_cb, &l, path, &n), -1);
	crypto_hash_sha256(root, NULL, 0);
	CHECK_INT(merkle_inclusion_verify(0, 0, l.h[0], NULL, 0, root), -1);
	CHECK_INT(merkle_inclusion_verify(1, 0, l.h[0], NULL, 0, root), -1);
	CHECK_INT(merkle_inclusion_verify(2, 1, l.h[0], NULL, 0, l.h[0]), -1);

	/* size 1: empty proof, root is the leaf hash */
	CHECK_INT(merkle_inclusion_proof(0, 1, leaf_cb, &l, path, &n), 0);
	CHECK_INT(n, 0);
	CHECK_INT(merkle_inclusion_verify(0, 1, l.h[0], NULL, 0, l.h[0]), 0);
	CHECK_INT(merkle_inclusion_verify(0, 1, l.h[0], NULL, 0, l.h[1]), -1);
	memcpy(path[0], l.h[1], 32);
	CHECK_INT(merkle_inclusion_verify(0, 1, l.h[0],
					  (const uint8_t(*)[32])path, 1,
					  l.h[0]),
		  -1);

	/* a failing leaf read fails the call */
	l.fail_at = 3;
	CHECK_INT(merkle_inclusion_proof(0, 4, leaf_cb, &l, path, &n), -1);
	CHECK_INT(n, 0);
	CHECK_INT(merkle_root(4, leaf_cb, &l, root), -1);
	CHECK_INT(merkle_consistency_proof(2, 4, leaf_cb, &l, path, &n), -1);

	/* huge sizes: no overflow, no crash, just a refusal */
	memset(leaf, 1, 32);
	memset(path, 2, sizeof(path));
	CHECK_INT(merkle_inclusion_verify(UINT64_MAX - 1, UINT64_MAX, leaf,
					  (const uint8_t(*)[32])path, 64, root),
		  -1);
	CHECK_INT(merkle_inclusion_verify(0, UINT64_MAX, leaf,
					  (const uint8_t(*)[32])path, 65, root),
		  -1);
	free(l.h);
}

/* ---- consistency proofs ---- */

struct cons_vec {
	uint64_t m, n;
	int len;
	const char *hex[3];
};

static const struct cons_vec cons_vecs[] = {
	{1, 1, 0, {NULL}},
	{1, 8, 3,
	 {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
	{6, 8, 3,
	 {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
	{2, 5, 2,
	 {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
	{6, 7, 3,
	 {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	  "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
	  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
};

static void
test_merkle__rfc6962_consistency_vectors(void)
{
	uint8_t h[8][32], path[64][32], want[3][32], r1[32], r2[32];
	struct leaves l;
	size_t n;

	rfc_leaves(&l, h);
	for (size_t v = 0; v < sizeof(cons_vecs) / sizeof(cons_vecs[0]); v++) {
		const struct cons_vec *t = &cons_vecs[v];

		for (int k = 0; k < t->len; k++) {
			hex2bin(t->hex[k], want[k], 32);
		}
		CHECK_INT(merkle_consistency_proof(t->m, t->n, leaf_cb, &l,
						   path, &n),
			  0);
		CHECK_INT(n, t->len);
		if (n == (size_t)t->len &&
		    memcmp(path, want, 32 * (size_t)t->len) != 0) {
			test_fail(__FILE__, __LINE__, "proof %zu differs", v);
		}
		hex2bin(rfc_root_hex[t->m - 1], r1, 32);
		hex2bin(rfc_root_hex[t->n - 1], r2, 32);
		CHECK_INT(merkle_consistency_verify(t->m, t->n, r1, r2,
						    (const uint8_t(*)[32])want,
						    (size_t)t->len),
			  0);
	}
}

static int
consistency_corruptions(uint64_t m, uint64_t n, const uint8_t r1[32],
			const uint8_t r2[32], const uint8_t path[][32],
			size_t len)
{
	uint8_t p[68][32], some[32], wrong[32];
	int bad = 0;

#define PROBE(mm, nn, a, b, pp, ll, what)                                  \
	do {                                                               \
		if (merkle_consistency_verify((mm), (nn), (a), (b),         \
					      (const uint8_t(*)[32])(pp),   \
					      (ll)) == 0) {                 \
			test_fail(__FILE__, __LINE__,                      \
				  "m %llu n %llu: accepted %s",            \
				  (unsigned long long)m,                   \
				  (unsigned long long)n, what);            \
			bad++;                                             \
		}                                                          \
	} while (0)

	memset(some, 0xab, 32);
	memset(wrong, 0x57, 32);
	memcpy(p, path, 32 * len);

	PROBE(m - 1, n, r1, r2, p, len, "m - 1");
	PROBE(m + 1, n, r1, r2, p, len, "m + 1");
	PROBE(m ^ 2, n, r1, r2, p, len, "m ^ 2");
	PROBE(m, n * 2, r1, r2, p, len, "n * 2");
	PROBE(m, n / 2, r1, r2, p, len, "n / 2");
	PROBE(m, n, wrong, r2, p, len, "wrong root1");
	PROBE(m, n, r1, wrong, p, len, "wrong root2");
	PROBE(m, n, r2, r1, p, len, "swapped roots");
	PROBE(m, n, r1, r2, p, 0, "empty proof");
	PROBE(n, m, r1, r2, p, len, "m > n");
	PROBE(0, n, r1, r2, p, len, "m = 0");

	memset(p[len], 0, 32);
	PROBE(m, n, r1, r2, p, len + 1, "trailing garbage");
	memcpy(p[len], r1, 32);
	PROBE(m, n, r1, r2, p, len + 1, "trailing root1");
	memcpy(p[len], r2, 32);
	PROBE(m, n, r1, r2, p, len + 1, "trailing root2");

	memcpy(p[1], path, 32 * len);
	memset(p[0], 0, 32);
	PROBE(m, n, r1, r2, p, len + 1, "preceding garbage");
	memcpy(p[0], r1, 32);
	PROBE(m, n, r1, r2, p, len + 1, "preceding root1");
	memcpy(p[0], r2, 32);
	PROBE(m, n, r1, r2, p, len + 1, "preceding root2");
	memcpy(p[0], path[0], 32);
	PROBE(m, n, r1, r2, p, len + 1, "preceding proof[0]");
	memcpy(p, path, 32 * len);

	PROBE(m, n, r1, r2, p, len - 1, "truncated proof");
	memcpy(p, path + 1, 32 * (len - 1));
	PROBE(m, n, r1, r2, p, len - 1, "removed first");
	memcpy(p, path, 32 * len);
	if (len > 1) {
		memcpy(p[0], path[0], 32);
		memcpy(p[1], some, 32);
		memcpy(p[2], path[1], 32 * (len - 1));
		PROBE(m, n, r1, r2, p, len + 1, "inserted component");
		memcpy(p, path, 32 * len);
	}
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit += 4) {
			p[i][0] ^= (uint8_t)(1u << bit);
			PROBE(m, n, r1, r2, p, len, "flipped bit");
			p[i][0] ^= (uint8_t)(1u << bit);
		}
		p[i][31] ^= 0x01;
		PROBE(m, n, r1, r2, p, len, "flipped last bit");
		p[i][31] ^= 0x01;
	}
#undef PROBE
	return bad;
}

static void
test_merkle__consistency_all_pairs(void)
{
	struct leaves l;
	uint8_t path[64][32], roots[41][32];
	size_t len;

	gen_leaves(&l, 40);
	for (uint64_t n = 1; n <= 40; n++) {
		CHECK_INT(merkle_root(n, leaf_cb, &l, roots[n]), 0);
	}
	for (uint64_t n = 1; n <= 40; n++) {
		for (uint64_t m = 1; m <= n; m++) {
			l.reads = 0;
			CHECK_INT(merkle_consistency_proof(m, n, leaf_cb, &l,
							   path, &len),
				  0);
			CHECK(l.reads <= n);
			CHECK(len <= (size_t)ceil_log2(n) + 1);
			if (m == n) {
				CHECK_INT(len, 0);
			} else {
				CHECK(len > 0);
			}
			if (merkle_consistency_verify(m, n, roots[m], roots[n],
						      (const uint8_t(*)[32])path,
						      len) != 0) {
				test_fail(__FILE__, __LINE__,
					  "good proof %llu->%llu refused",
					  (unsigned long long)m,
					  (unsigned long long)n);
			}
			if (len > 0) {
				consistency_corruptions(
					m, n, roots[m], roots[n],
					(const uint8_t(*)[32])path, len);
			}
		}
	}
	free(l.h);
}

static void
test_merkle__consistency_edge_cases(void)
{
	struct leaves l;
	uint8_t path[64][32], r[9][32], empty[32];
	size_t n = 99;

	gen_leaves(&l, 8);
	for (uint64_t k = 1; k <= 8; k++) {
		CHECK_INT(merkle_root(k, leaf_cb, &l, r[k]), 0);
	}
	crypto_hash_sha256(empty, NULL, 0);
	/* 0 < m <= n */
	CHECK_INT(merkle_consistency_proof(0, 4, leaf_cb, &l, path, &n), -1);
	CHECK_INT(n, 0);
	CHECK_INT(merkle_consistency_proof(5, 4, leaf_cb, &l, path, &n), -1);
	CHECK_INT(merkle_consistency_verify(0, 4, empty, r[4], NULL, 0), -1);
	CHECK_INT(merkle_consistency_verify(0, 0, empty, empty, NULL, 0), -1);
	CHECK_INT(merkle_consistency_verify(5, 4, r[5], r[4], NULL, 0), -1);

	/* m == n: empty proof and equal roots, nothing else */
	CHECK_INT(merkle_consistency_proof(4, 4, leaf_cb, &l, path, &n), 0);
	CHECK_INT(n, 0);
	CHECK_INT(merkle_consistency_verify(4, 4, r[4], r[4], NULL, 0), 0);
	CHECK_INT(merkle_consistency_verify(4, 4, r[4], r[5], NULL, 0), -1);
	memcpy(path[0], r[4], 32);
	CHECK_INT(merkle_consistency_verify(4, 4, r[4], r[4],
					    (const uint8_t(*)[32])path, 1),
		  -1);
	/* m < n: an empty proof proves nothing */
	CHECK_INT(merkle_consistency_verify(4, 8, r[4], r[8], NULL, 0), -1);
	CHECK_INT(merkle_consistency_verify(1, 2, r[1], r[2], NULL, 0), -1);

	/* m a power of two: its root is left out of the proof */
	CHECK_INT(merkle_consistency_proof(4, 8, leaf_cb, &l, path, &n), 0);
	CHECK_INT(n, 1);
	CHECK_INT(merkle_consistency_verify(4, 8, r[4], r[8],
					    (const uint8_t(*)[32])path, n),
		  0);
	/* ...and giving it anyway is one hash too many */
	memcpy(path[1], path[0], 32);
	memcpy(path[0], r[4], 32);
	CHECK_INT(merkle_consistency_verify(4, 8, r[4], r[8],
					    (const uint8_t(*)[32])path, 2),
		  -1);
	free(l.h);
}

static void
test_merkle__proofs_read_each_leaf_once(void)
{
	struct leaves l;
	uint8_t path[64][32], root[32];
	size_t n;

	gen_leaves(&l, 4100);
	l.reads = 0;
	CHECK_INT(merkle_root(4100, leaf_cb, &l, root), 0);
	CHECK_INT(l.reads, 4100);
	l.reads = 0;
	CHECK_INT(merkle_inclusion_proof(4099, 4100, leaf_cb, &l, path, &n), 0);
	CHECK(l.reads <= 4100);
	CHECK(merkle_inclusion_verify(4099, 4100, l.h[4099],
				      (const uint8_t(*)[32])path, n,
				      root) == 0);
	l.reads = 0;
	CHECK_INT(merkle_consistency_proof(1025, 4100, leaf_cb, &l, path, &n),
		  0);
	CHECK(l.reads <= 4100);
	free(l.h);
}

static const struct test_case tests_merkle[] = {
	{"merkle__hashes", test_merkle__hashes},
	{"merkle__empty_root", test_merkle__empty_root},
	{"merkle__rfc6962_roots", test_merkle__rfc6962_roots},
	{"merkle__frontier_matches_root_0_to_70",
	 test_merkle__frontier_matches_root_0_to_70},
	{"merkle__frontier_matches_root_powers_of_two",
	 test_merkle__frontier_matches_root_powers_of_two},
	{"merkle__frontier_largest_subtree_first",
	 test_merkle__frontier_largest_subtree_first},
	{"merkle__frontier_save_load", test_merkle__frontier_save_load},
	{"merkle__frontier_at_64_subtrees",
	 test_merkle__frontier_at_64_subtrees},
	{"merkle__rfc6962_inclusion_vectors",
	 test_merkle__rfc6962_inclusion_vectors},
	{"merkle__inclusion_all_pairs", test_merkle__inclusion_all_pairs},
	{"merkle__inclusion_edge_cases", test_merkle__inclusion_edge_cases},
	{"merkle__rfc6962_consistency_vectors",
	 test_merkle__rfc6962_consistency_vectors},
	{"merkle__consistency_all_pairs", test_merkle__consistency_all_pairs},
	{"merkle__consistency_edge_cases",
	 test_merkle__consistency_edge_cases},
	{"merkle__proofs_read_each_leaf_once",
	 test_merkle__proofs_read_each_leaf_once},
	{NULL, NULL},
};
TEST_REGISTER(tests_merkle)
