/*
 * The offline auditor (audit-log.md 2.10): one pass over the log in seq
 * order, from a data directory's database (opened read-only) or from a
 * bundle (core/bundle.c), checking
 *
 *   - each entry: strict parse, seq = index, the leaf hash (and, in a
 *     database, the stored leaf and the index columns), the origin;
 *   - the tree: every stored checkpoint's signature (by the log key in
 *     force at its size; the first checkpoint after a log key rotation
 *     by the old key and the new) and its root against the root
 *     recomputed at its size; no entry past the newest one;
 *   - the key registry (vreg_*): every signature by a key valid at the
 *     entry's seq, owned by the actor, the statement's actor key among
 *     them, proofs of possession for new keys;
 *   - the workflow: per nominee, versions rise by one and each previous
 *     digest is the last logged digest; each statement's seen size/root
 *     is the tree at that size; no statement twice (nonce);
 *   - one transaction, one checkpoint: the entries between two
 *     checkpoints are one actor's (a write transaction is one session's),
 *     so a removed checkpoint between two actors' acts is found; and a
 *     suite-2 statement names its transaction's start as its seen size,
 *     where the checkpoint ending the transaction before must be stored,
 *     so a removed one is found between one actor's transactions too;
 *   - then the witnesses' cosignatures (core/cosig_verify.c: each must
 *     verify, the newest cosigned checkpoint needs the quorum of the
 *     auditor's witness keys), witness checkpoints (a fork is named at
 *     the first entry after the newest size that a witness file or a
 *     stored cosignature confirms; a checkpoint a witness holds must
 *     still be stored), and in a database where the log was cut (a
 *     checkpoint or the stored frontier past the last entry), the
 *     frontier, the user_key rows (core/verify_keys.c) and the nominee
 *     rows against the replayed state.
 *
 * A data directory is opened with core_open_readonly() (core/db_ro.c),
 * which never writes there: an auditor's evidence copy may be read-only.
 *
 * The first failure stops the pass and is what is reported, so the entry
 * named is the first in log order that breaks a rule.  Signature checks
 * (entries' and checkpoints') are queued and run in batches on all CPUs
 * (NOMDESK_VERIFY_THREADS caps them); a batch is run before anything is
 * reported, and its first failure in queue order wins over a later one
 * found directly, so the report is the one a sequential pass gives.
 * Memory: the tree
 * frontier is O(log n); the roots at every size (32 bytes per entry: for
 * seen roots and witnesses), the nonces (16 bytes per entry) and a record
 * per nominee and per actor are O(n).
 */
#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_int.h"
#include "core/i18n.h"

/* ---- small maps ---- */

/* Open addressing keyed by a string in the first 64 bytes of a record. */
struct smap {
	uint8_t *slots;
	size_t rec, cap, n;
};

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (uint8_t)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static int
smap_grow(struct smap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	uint8_t *slots = calloc(cap, m->rec);

	if (!slots) {
		return -1;
	}
	for (size_t i = 0; i < m->cap; i++) {
		const uint8_t *r = m->slots + i * m->rec;
		size_t j;

		if (r[0] == '\0') {
			continue;
		}
		for (j = fnv1a((const char *)r) & (cap - 1);
		     slots[j * m->rec] != '\0'; j = (j + 1) & (cap - 1)) {
			;
		}
		memcpy(slots + j * m->rec, r, m->rec);
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

/* The record for key (at most 63 bytes, not empty); NULL if absent and
 * !create, or out of memory. */
static void *
smap_get(struct smap *m, const char *key, int create)
{
	size_t j;

	if (!*key || strlen(key) > 63) {
		return NULL;
	}
	if (m->cap) {
		for (j = fnv1a(key) & (m->cap - 1);
		     m->slots[j * m->rec] != '\0'; j = (j + 1) & (m->cap - 1)) {
			if (strcmp((char *)m->slots + j * m->rec, key) == 0) {
				return m->slots + j * m->rec;
			}
		}
	}
	if (!create) {
		return NULL;
	}
	if ((m->n + 1) * 2 > m->cap && smap_grow(m) != 0) {
		return NULL;
	}
	for (j = fnv1a(key) & (m->cap - 1); m->slots[j * m->rec] != '\0';
	     j = (j + 1) & (m->cap - 1)) {
		;
	}
	memcpy(m->slots + j * m->rec, key, strlen(key) + 1);
	m->n++;
	return m->slots + j * m->rec;
}

/* A set of 16-byte nonces; the all-zero nonce is tracked apart. */
struct nset {
	uint8_t (*v)[16];
	size_t cap, n;
	int zero;
};

static int
nset_grow(struct nset *s)
{
	static const uint8_t z[16];
	size_t cap = s->cap ? s->cap * 2 : 1024;
	uint8_t (*v)[16] = calloc(cap, 16);

	if (!v) {
		return -1;
	}
	for (size_t i = 0; i < s->cap; i++) {
		uint64_t h;
		size_t j;

		if (memcmp(s->v[i], z, 16) == 0) {
			continue;
		}
		memcpy(&h, s->v[i], 8);
		for (j = h & (cap - 1); memcmp(v[j], z, 16) != 0;
		     j = (j + 1) & (cap - 1)) {
			;
		}
		memcpy(v[j], s->v[i], 16);
	}
	free(s->v);
	s->v = v;
	s->cap = cap;
	return 0;
}

/* 1 if the nonce was there already, 0 if added, -1 out of memory. */
static int
nset_add(struct nset *s, const uint8_t nonce[16])
{
	static const uint8_t z[16];
	uint64_t h;
	size_t j;

	if (memcmp(nonce, z, 16) == 0) {
		if (s->zero) {
			return 1;
		}
		s->zero = 1;
		return 0;
	}
	if ((s->n + 1) * 2 > s->cap && nset_grow(s) != 0) {
		return -1;
	}
	memcpy(&h, nonce, 8);
	for (j = h & (s->cap - 1); memcmp(s->v[j], z, 16) != 0;
	     j = (j + 1) & (s->cap - 1)) {
		if (memcmp(s->v[j], nonce, 16) == 0) {
			return 1;
		}
	}
	memcpy(s->v[j], nonce, 16);
	s->n++;
	return 0;
}

/* ---- the verifier ---- */

struct nomrec {
	char subject[64];
	uint32_t version;
	uint8_t digest[32];
	uint64_t change_seq; /* the entry of the current version */
	uint64_t last_seq;   /* the last entry about it */
	int row_seen;
};

struct actrec {
	char actor[64];
	uint64_t n;
};

struct witness {
	char path[512];
	char *text;
	uint64_t size;    /* the size its checkpoint names (once verified) */
	uint8_t root[32]; /* and its root */
};

/* A checkpoint a stored cosignature vouches for, and one witness that
 * cosigned it (evidence from outside the host, for locating a fork). */
struct cosigned {
	uint64_t size;
	char name[64];
};

/* What a database row says besides the entry bytes. */
struct dbcols {
	int64_t seq;
	const uint8_t *leaf;
	size_t leaf_len;
	int64_t act;
	const char *actor;
	const char *subject;
	int64_t time_ms;
};

/* A deferred signature check: an entry's signature or a checkpoint. */
enum { JOB_SIG, JOB_CP };

struct vjob {
	uint8_t kind;
	uint8_t failed; /* JOB_CP: 1 signature/parse, 2 size, 3 root */
	uint8_t old_key; /* JOB_CP: the retired key's signature at a switch */
	int sig_index;  /* JOB_SIG: 1-based */
	uint64_t seq;   /* JOB_SIG: the entry; JOB_CP: the size */
	uint64_t last_cp;
	uint8_t pk[32];
	uint8_t sig[64];
	uint8_t key_id[8];
	uint8_t root[32]; /* JOB_CP: the root recomputed at its size */
	size_t off, len;  /* the message or note (NUL-terminated) */
	char err[96];
};

#define BATCH_JOBS 8192
#define MAX_THREADS 8

struct vbatch {
	struct vjob *jobs;
	size_t n;
	uint8_t *arena;
	size_t alen, acap;
	const char *origin;
	int threads;
};

struct verifier {
	struct core_verify_report *rep;
	struct vbatch batch;
	int have_anchor;
	int anchor_seen; /* the anchor is entry 0's key or a rotation's */
	uint8_t anchor[32];
	char origin[128];     /* from meta or the bundle header, then entry 0 */
	uint8_t hdr_key[32];  /* the bundle header's log key */
	int have_hdr_key;

	struct merkle_frontier f;
	uint8_t (*roots)[32]; /* roots[k] = root at size k, k <= f.size */
	size_t roots_cap;
	uint8_t (*leaves)[32]; /* kept only for witness proofs */
	size_t leaves_cap;
	int keep_leaves;

	uint64_t last_cp;   /* size of the last checkpoint checked */
	uint64_t n_cp;
	uint8_t *cp_bits;   /* bit k: a checkpoint at size k was stored */
	size_t cp_bits_len;
	/* The actor of the entries since the last checkpoint: one write
	 * transaction, one session, one checkpoint (core/db.c). */
	char step_actor[64];
	struct cosigned *cs; /* sizes with a valid stored cosignature */
	size_t n_cs, cs_cap;

	struct vreg reg;
	const struct entry *cur; /* the entry check_sigs is on */
	struct smap noms;   /* struct nomrec */
	struct smap actors; /* struct actrec */
	struct nset nonces;
	struct stmt *s;     /* scratch, large */

	struct witness *wit;
	size_t n_wit;

	struct vwit *vw;      /* cosignatures, witness registry, quorum */
	int rot_pending;      /* a log key rotation awaits its checkpoint */
	uint64_t rot_seq;
	uint8_t rot_old_pk[32];
};

static int
threads_wanted(void)
{
	const char *e = getenv("NOMDESK_VERIFY_THREADS");
	long n = e && *e ? strtol(e, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

static int
vfail(struct verifier *v, int64_t seq, const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
vfail(struct verifier *v, int64_t seq, const char *rule, const char *fmt, ...)
{
	va_list ap;

	v->rep->ok = 0;
	v->rep->seq = seq;
	snprintf(v->rep->rule, sizeof(v->rep->rule), "%s", rule);
	va_start(ap, fmt);
	vsnprintf(v->rep->message, sizeof(v->rep->message), fmt, ap);
	va_end(ap);
	return CORE_ECORRUPT;
}

/* An input problem (file missing, not a database): not a rule. */
static int
vio(struct verifier *v, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
vio(struct verifier *v, int err, const char *fmt, ...)
{
	va_list ap;

	v->rep->ok = 0;
	v->rep->seq = -1;
	snprintf(v->rep->rule, sizeof(v->rep->rule), "input");
	va_start(ap, fmt);
	vsnprintf(v->rep->message, sizeof(v->rep->message), fmt, ap);
	va_end(ap);
	return err;
}

static int
roots_push(struct verifier *v, const uint8_t root[32])
{
	size_t k = (size_t)v->f.size; /* the size this root is for */

	if (k >= v->roots_cap) {
		size_t cap = v->roots_cap ? v->roots_cap * 2 : 1024;
		void *p = realloc(v->roots, cap * 32);

		if (!p) {
			return -1;
		}
		v->roots = p;
		v->roots_cap = cap;
	}
	memcpy(v->roots[k], root, 32);
	return 0;
}

static int
leaves_push(struct verifier *v, uint64_t i, const uint8_t leaf[32])
{
	if (i >= v->leaves_cap) {
		size_t cap = v->leaves_cap ? v->leaves_cap * 2 : 1024;
		void *p = realloc(v->leaves, cap * 32);

		if (!p) {
			return -1;
		}
		v->leaves = p;
		v->leaves_cap = cap;
	}
	memcpy(v->leaves[i], leaf, 32);
	return 0;
}

/* Remembers that the log stored a checkpoint at size. */
static int
cp_mark(struct verifier *v, uint64_t size)
{
	size_t byte = (size_t)(size / 8);

	if (byte >= v->cp_bits_len) {
		size_t len = v->cp_bits_len ? v->cp_bits_len * 2 : 1024;
		uint8_t *p;

		while (len <= byte) {
			len *= 2;
		}
		if (!(p = realloc(v->cp_bits, len))) {
			return -1;
		}
		memset(p + v->cp_bits_len, 0, len - v->cp_bits_len);
		v->cp_bits = p;
		v->cp_bits_len = len;
	}
	v->cp_bits[byte] |= (uint8_t)(1u << (size % 8));
	return 0;
}

static int
cp_stored(const struct verifier *v, uint64_t size)
{
	size_t byte = (size_t)(size / 8);

	return byte < v->cp_bits_len &&
	       (v->cp_bits[byte] & (1u << (size % 8))) != 0;
}

/*
 * Remembers that a stored cosignature of the checkpoint at size verified
 * (sizes come in rising order); the witness's name is read from the line
 * "— NAME BASE64".
 */
static int
cosigned_add(struct verifier *v, uint64_t size, const char *line, size_t len)
{
	struct cosigned *c;
	const char *sp, *end = line + len, *nm;

	if (v->n_cs && v->cs[v->n_cs - 1].size == size) {
		return 0;
	}
	if (v->n_cs == v->cs_cap) {
		size_t cap = v->cs_cap ? v->cs_cap * 2 : 64;
		void *p = realloc(v->cs, cap * sizeof(*v->cs));

		if (!p) {
			return -1;
		}
		v->cs = p;
		v->cs_cap = cap;
	}
	c = &v->cs[v->n_cs++];
	c->size = size;
	c->name[0] = '\0';
	sp = memchr(line, ' ', len);
	nm = sp ? sp + 1 : end;
	sp = nm < end ? memchr(nm, ' ', (size_t)(end - nm)) : NULL;
	if (sp && sp - nm < (ptrdiff_t)sizeof(c->name)) {
		memcpy(c->name, nm, (size_t)(sp - nm));
		c->name[sp - nm] = '\0';
	}
	return 0;
}

static int
verifier_init(struct verifier *v, const struct core_verify_opts *o,
	      struct core_verify_report *rep)
{
	uint8_t empty[32];

	memset(v, 0, sizeof(*v));
	v->rep = rep;
	if (o->log_key) {
		v->have_anchor = 1;
		memcpy(v->anchor, o->log_key, 32);
	}
	merkle_frontier_init(&v->f);
	vreg_init(&v->reg);
	v->noms.rec = sizeof(struct nomrec);
	v->actors.rec = sizeof(struct actrec);
	v->keep_leaves = o->n_witness > 0;
	v->batch.threads = threads_wanted();
	v->batch.origin = v->origin;
	if (!(v->batch.jobs = calloc(BATCH_JOBS, sizeof(*v->batch.jobs)))) {
		return vio(v, CORE_EINTERNAL, "out of memory");
	}
	if (!(v->s = malloc(sizeof(*v->s)))) {
		return vio(v, CORE_EINTERNAL, "out of memory");
	}
	{
		char why[320];

		if (vwit_new(&v->vw, o->witness_keys, o->n_witness_keys,
			     o->quorum, why, sizeof(why)) != 0) {
			return vio(v, CORE_EINVAL, "%s", why);
		}
	}
	merkle_frontier_root(&v->f, empty);
	if (roots_push(v, empty) != 0) {
		return vio(v, CORE_EINTERNAL, "out of memory");
	}
	return 0;
}

static void
verifier_release(struct verifier *v)
{
	for (size_t i = 0; i < v->n_wit; i++) {
		free(v->wit[i].text);
	}
	free(v->wit);
	free(v->roots);
	free(v->leaves);
	free(v->cp_bits);
	free(v->cs);
	free(v->noms.slots);
	free(v->actors.slots);
	free(v->nonces.v);
	free(v->s);
	free(v->batch.jobs);
	free(v->batch.arena);
	vreg_release(&v->reg);
	vwit_free(v->vw);
}

/* ---- the signature batch ---- */

struct chunk {
	struct vbatch *b;
	size_t from, to;
};

static void *
run_chunk(void *arg)
{
	const struct chunk *ch = arg;
	struct vbatch *b = ch->b;

	for (size_t i = ch->from; i < ch->to; i++) {
		struct vjob *j = &b->jobs[i];
		const uint8_t *m = b->arena + j->off;
		uint64_t got;
		uint8_t root[32];

		if (j->kind == JOB_SIG) {
			j->failed = keys_verify(j->pk, m, j->len, j->sig) != 0;
		} else if (note_checkpoint_verify((const char *)m, b->origin,
						  j->pk, &got, root, j->err,
						  sizeof(j->err)) != 0) {
			j->failed = 1;
		} else if (got != j->seq) {
			j->failed = 2;
		} else if (memcmp(root, j->root, 32) != 0) {
			j->failed = 3;
		}
	}
	return NULL;
}

/* Runs the queued checks; reports the first failure in queue order. */
static int
vflush(struct verifier *v)
{
	struct vbatch *b = &v->batch;
	struct chunk ch[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	int started[MAX_THREADS] = {0};
	size_t n = b->n;
	int t = b->threads;

	if (n == 0) {
		return 0;
	}
	if ((size_t)t > n / 64 + 1) {
		t = (int)(n / 64) + 1;
	}
	for (int i = 0; i < t; i++) {
		ch[i].b = b;
		ch[i].from = n * (size_t)i / (size_t)t;
		ch[i].to = n * (size_t)(i + 1) / (size_t)t;
	}
	for (int i = 1; i < t; i++) {
		started[i] = pthread_create(&tid[i], NULL, run_chunk, &ch[i]) ==
			     0;
	}
	run_chunk(&ch[0]);
	for (int i = 1; i < t; i++) {
		if (started[i]) {
			pthread_join(tid[i], NULL);
		} else {
			run_chunk(&ch[i]);
		}
	}
	b->n = 0;
	b->alen = 0;
	for (size_t i = 0; i < n; i++) {
		const struct vjob *j = &b->jobs[i];
		char idhex[17];

		if (!j->failed) {
			continue;
		}
		if (j->kind == JOB_SIG) {
			sodium_bin2hex(idhex, sizeof(idhex), j->key_id, 8);
			return vfail(v, (int64_t)j->seq, "signature",
				     _("entry %" PRIu64 ": signature %d (key "
				       "%s) does not verify: the statement "
				       "was changed or the signature forged"),
				     j->seq, j->sig_index, idhex);
		}
		if (j->failed == 1 && j->old_key) {
			return vfail(v, (int64_t)j->seq - 1, "checkpoint",
				     _("the checkpoint at size %" PRIu64
				       ", the first after a log key "
				       "rotation, must be signed by the "
				       "retired key too: %s"),
				     j->seq, j->err);
		}
		if (j->failed == 1) {
			return vfail(v, (int64_t)j->seq - 1, "checkpoint",
				     _("the checkpoint at size %" PRIu64
				       " does not verify with the log key: "
				       "%s"),
				     j->seq, j->err);
		}
		if (j->failed == 2) {
			return vfail(v, (int64_t)j->seq - 1, "checkpoint",
				     _("the checkpoint at size %" PRIu64
				       " is not in canonical form (one "
				       "signature, its own size)"),
				     j->seq);
		}
		return vfail(v, (int64_t)j->last_cp, "root",
			     _("the tree at size %" PRIu64 " is not the one "
			       "the log signed: entries %" PRIu64 "..%" PRIu64
			       " were changed"),
			     j->seq, j->last_cp, j->seq - 1);
	}
	return 0;
}

/* A job with len bytes of p (plus a NUL) in the arena; NULL if out of
 * memory.  The caller fills the rest. */
static struct vjob *
vqueue(struct verifier *v, int kind, const void *p, size_t len)
{
	struct vbatch *b = &v->batch;
	struct vjob *j;

	if (b->alen + len + 1 > b->acap) {
		size_t cap = b->acap ? b->acap : 1 << 20;
		uint8_t *a;

		while (cap < b->alen + len + 1) {
			cap *= 2;
		}
		if (!(a = realloc(b->arena, cap))) {
			return NULL;
		}
		b->arena = a;
		b->acap = cap;
	}
	j = &b->jobs[b->n++];
	memset(j, 0, sizeof(*j));
	j->kind = (uint8_t)kind;
	j->off = b->alen;
	j->len = len;
	memcpy(b->arena + b->alen, p, len);
	b->arena[b->alen + len] = 0;
	b->alen += len + 1;
	return j;
}

/* Makes room for one more job: runs a full batch first. */
static int
vroom(struct verifier *v)
{
	if (v->batch.n < BATCH_JOBS) {
		return 0;
	}
	return vflush(v);
}

/* vreg_check_sigs' signature check: queued for the batch. */
static int
queue_sig(void *ctx, uint64_t seq, int index, const uint8_t pk[32],
	  const struct entry_sig *g)
{
	struct verifier *v = ctx;
	const struct entry *e = v->cur;
	struct vjob *j;
	int r;

	if ((r = vroom(v)) != 0) {
		return r;
	}
	if (!(j = vqueue(v, JOB_SIG, e->stmt, e->stmt_len))) {
		return vio(v, CORE_EINTERNAL, "out of memory");
	}
	j->seq = seq;
	j->sig_index = index;
	memcpy(j->pk, pk, 32);
	memcpy(j->sig, g->sig, 64);
	memcpy(j->key_id, g->key_id, 8);
	v->rep->n_signatures++;
	return 0;
}

/* The checks of one entry's signatures against the registry at seq: the
 * registry's own rules (core/vreg.c), the ones the server obeys too. */
static int
check_sigs(struct verifier *v, uint64_t seq, const struct entry *e,
	   const struct stmt *s)
{
	const char *rule = "key";
	char why[320];
	int r;

	v->cur = e;
	r = vreg_check_sigs(&v->reg, seq, e, s, queue_sig, v, &rule, why,
			    sizeof(why));
	v->cur = NULL;
	if (r == 1) {
		return vfail(v, (int64_t)seq, rule, "%s", why);
	}
	return r;
}

/* Dossier versions and digests of one nominee (audit-log.md 2.10 step 3). */
static int
check_workflow(struct verifier *v, uint64_t seq, const struct stmt *s)
{
	static const uint8_t zero[32];
	struct nomrec *n;
	int created;

	if (strncmp(s->subject, "nominee:", 8) != 0) {
		return 0;
	}
	created = smap_get(&v->noms, s->subject, 0) == NULL;
	if (!(n = smap_get(&v->noms, s->subject, 1))) {
		return vio(v, CORE_EINTERNAL, "out of memory");
	}
	if (created) {
		if (s->act != ACT_NOMINEE_CREATED || s->version != 1 ||
		    memcmp(s->prev_digest, zero, 32) != 0) {
			return vfail(v, (int64_t)seq, "version",
				     _("entry %" PRIu64 ": the first entry "
				       "about %s must create it at version 1"),
				     seq, s->subject);
		}
	} else if (s->act == ACT_NOMINEE_CREATED) {
		return vfail(v, (int64_t)seq, "version",
			     _("entry %" PRIu64 ": %s is created a second "
			       "time (first at entry %" PRIu64 ")"),
			     seq, s->subject, n->last_seq);
	} else if (s->version == n->version + 1) {
		if (memcmp(s->prev_digest, n->digest, 32) != 0) {
			return vfail(v, (int64_t)seq, "prev-digest",
				     _("entry %" PRIu64 ": the previous digest "
				       "of %s is not the one logged at entry "
				       "%" PRIu64 " (version %u)"),
				     seq, s->subject, n->change_seq,
				     n->version);
		}
	} else if (s->version == n->version) {
		/* An act that changes nothing (an audited view) names the
		 * current version and digest. */
		if (memcmp(s->prev_digest, zero, 32) != 0 ||
		    memcmp(s->digest, n->digest, 32) != 0) {
			return vfail(v, (int64_t)seq, "digest",
				     _("entry %" PRIu64 ": names version %u of "
				       "%s with a digest other than the one "
				       "logged at entry %" PRIu64),
				     seq, s->version, s->subject,
				     n->change_seq);
		}
		n->last_seq = seq;
		return 0;
	} else {
		return vfail(v, (int64_t)seq, "version",
			     _("entry %" PRIu64 ": %s goes from version %u "
			       "to %u (versions rise by one)"),
			     seq, s->subject, n->version, s->version);
	}
	n->version = s->version;
	memcpy(n->digest, s->digest, 32);
	n->change_seq = seq;
	n->last_seq = seq;
	return 0;
}

static int
count_actor(struct verifier *v, const char *actor)
{
	struct actrec *a = smap_get(&v->actors, actor[0] ? actor : "-", 1);

	if (!a) {
		return vio(v, CORE_EINTERNAL, "out of memory");
	}
	a->n++;
	return 0;
}

/*
 * A log key rotation (audit-log.md 2.13), one at a time: the checkpoint
 * that covers it must carry the retired key's signature and the new
 * key's (v_checkpoint).  Who may rotate, and to which key, is the
 * registry's rule (vreg_apply); the checkpoints are the verifier's, as
 * only it reads them.
 */
static int
log_rotation(struct verifier *v, uint64_t seq, const struct stmt *s)
{
	uint8_t pk[32];
	char owner[8];

	if (vreg_new_key(s, owner, sizeof(owner), pk) != 0 ||
	    !v->reg.have_log) {
		return 0; /* vreg_apply names what is wrong */
	}
	if (v->rot_pending) {
		return vfail(v, (int64_t)seq, "registry",
			     _("entry %" PRIu64 ": a second log key rotation "
			       "before a checkpoint covered the one at entry "
			       "%" PRIu64),
			     seq, v->rot_seq);
	}
	memcpy(v->rot_old_pk, v->reg.keys[v->reg.log].pk, 32);
	v->rot_pending = 1;
	v->rot_seq = seq;
	if (v->have_anchor && memcmp(pk, v->anchor, 32) == 0) {
		v->anchor_seen = 1;
	}
	return 0;
}

static int
v_entry(struct verifier *v, const uint8_t *p, size_t len,
	const struct dbcols *cols)
{
	struct stmt *s = v->s;
	uint64_t seq = v->f.size;
	uint8_t leaf[32], root[32];
	char why[256];
	struct entry e;
	int r;

	if (cols && cols->seq != (int64_t)seq) {
		return vfail(v, (int64_t)seq, "sequence",
			     _("entry %" PRIu64 " is missing (the next stored "
			       "entry is %" PRId64 ")"),
			     seq, cols->seq);
	}
	if (!p || len > 65535 || entry_parse(p, len, &e) != 0 ||
	    stmt_parse(e.stmt, e.stmt_len, s) != 0) {
		return vfail(v, (int64_t)seq, "parse",
			     _("entry %" PRIu64 " does not parse as a "
			       "canonical entry"),
			     seq);
	}
	if (e.seq != seq) {
		return vfail(v, (int64_t)seq, "sequence",
			     _("entry %" PRIu64 ": its bytes say it is entry "
			       "%" PRIu64 " (moved, reordered, or a neighbour "
			       "removed)"),
			     seq, e.seq);
	}
	/* Every write transaction ends with its checkpoint (tx_commit) and
	 * is one session's, so one actor's: entries by two actors with no
	 * checkpoint between them lost the checkpoint that separated them
	 * (docs/audit-notes.md, rule checkpoint). */
	if (seq > v->last_cp && strcmp(s->actor, v->step_actor) != 0) {
		return vfail(v, (int64_t)seq - 1, "checkpoint",
			     _("no checkpoint at size %" PRIu64 ": entries "
			       "%" PRIu64 "..%" PRIu64 " are %s's and entry "
			       "%" PRIu64 " is %s's, so they were two "
			       "transactions and the checkpoint that ended the "
			       "first was removed"),
			     seq, v->last_cp, seq - 1, v->step_actor, seq,
			     s->actor);
	}
	if (seq == v->last_cp) {
		snprintf(v->step_actor, sizeof(v->step_actor), "%s",
			 s->actor);
	}
	merkle_leaf_hash(p, len, leaf);
	if (cols) {
		if (!cols->leaf || cols->leaf_len != 32 ||
		    memcmp(cols->leaf, leaf, 32) != 0) {
			return vfail(v, (int64_t)seq, "leaf",
				     _("entry %" PRIu64 ": the stored leaf hash "
				       "is not the hash of its bytes"),
				     seq);
		}
		if (cols->act != s->act || strcmp(cols->actor, s->actor) ||
		    strcmp(cols->subject, s->subject) ||
		    cols->time_ms != e.server_time) {
			return vfail(v, (int64_t)seq, "index",
				     _("entry %" PRIu64 ": the index columns "
				       "(act, actor, subject, time) differ "
				       "from its bytes"),
				     seq);
		}
	}
	if (seq == 0) {
		uint8_t pk[32];
		char owner[8];

		if (s->act != ACT_LOG_KEY ||
		    vreg_new_key(s, owner, sizeof(owner), pk) != 0) {
			return vfail(v, 0, "genesis",
				     _("entry 0 must announce the log key "
				       "(\"log key ed25519 <base64>\")"));
		}
		/* The auditor may hold entry 0's key or one it rotated
		 * to; which is known at the end (v_finish). */
		if (v->have_anchor && memcmp(pk, v->anchor, 32) == 0) {
			v->anchor_seen = 1;
		}
		if (v->have_hdr_key && memcmp(pk, v->hdr_key, 32) != 0) {
			return vfail(v, 0, "bundle",
				     _("the bundle's log key is not the one "
				       "entry 0 announces"));
		}
		memcpy(v->rep->log_key, pk, 32);
		if (!v->origin[0]) {
			snprintf(v->origin, sizeof(v->origin), "%s",
				 s->origin);
		}
	}
	if (strcmp(s->origin, v->origin) != 0) {
		return vfail(v, (int64_t)seq, "origin",
			     _("entry %" PRIu64 " belongs to another log "
			       "(origin differs)"),
			     seq);
	}
	if ((r = check_sigs(v, seq, &e, s)) != 0) {
		return r;
	}
	if ((r = nset_add(&v->nonces, s->nonce)) != 0) {
		return r < 0 ? vio(v, CORE_EINTERNAL, "out of memory")
			     : vfail(v, (int64_t)seq, "replay",
				     _("entry %" PRIu64 ": its statement "
				       "(nonce) was logged before: a replayed "
				       "act"),
				     seq);
	}
	if (s->seen_size > seq ||
	    memcmp(v->roots[s->seen_size], s->seen_root, 32) != 0) {
		return vfail(v, (int64_t)seq, "seen",
			     _("entry %" PRIu64 ": the tree its signer saw "
			       "(size %" PRIu64 ") is not this log's tree at "
			       "that size"),
			     seq, s->seen_size);
	}
	/* Suite 2 names the transaction's start as the seen size: the size
	 * at which the checkpoint ending the transaction before was stored.
	 * A larger one means that checkpoint was removed (also between two
	 * transactions of the same actor, which the rule above cannot
	 * see); a smaller one, that a checkpoint came in the middle of a
	 * transaction. */
	if (s->suite >= 2 && s->seen_size > v->last_cp) {
		return vfail(v, (int64_t)s->seen_size - 1, "checkpoint",
			     _("no checkpoint at size %" PRIu64 ": entry "
			       "%" PRIu64 " began its transaction there, "
			       "after the checkpoint that ended the one "
			       "before, which the log no longer has"),
			     s->seen_size, seq);
	}
	if (s->suite >= 2 && s->seen_size < v->last_cp) {
		return vfail(v, (int64_t)seq, "seen",
			     _("entry %" PRIu64 " says its transaction began "
			       "at size %" PRIu64 ", but the log has a "
			       "checkpoint at size %" PRIu64 " in between"),
			     seq, s->seen_size, v->last_cp);
	}
	if (s->act == ACT_LOG_KEY && seq > 0 &&
	    (r = log_rotation(v, seq, s)) != 0) {
		return r;
	}
	/* rot_pending is set: a rotation vreg_apply refuses stops here. */
	if (vreg_apply(&v->reg, seq, s, why, sizeof(why)) != 0 ||
	    vwit_apply(v->vw, seq, s, why, sizeof(why)) != 0) {
		return vfail(v, (int64_t)seq, "registry",
			     _("entry %" PRIu64 ": %s"), seq, why);
	}
	if ((r = check_workflow(v, seq, s)) != 0) {
		return r;
	}
	if ((r = count_actor(v, s->actor)) != 0) {
		return r;
	}
	if (s->act < 256) {
		v->rep->n_by_act[s->act]++;
	}
	if (v->keep_leaves && leaves_push(v, seq, leaf) != 0) {
		return vio(v, CORE_EINTERNAL, "out of memory");
	}
	merkle_frontier_append(&v->f, leaf);
	merkle_frontier_root(&v->f, root);
	if (roots_push(v, root) != 0) {
		return vio(v, CORE_EINTERNAL, "out of memory");
	}
	return 0;
}

/* 1 if the note has exactly want signature lines (after the last blank
 * line), each with its base64 spelled with the alphabet only, so that no
 * byte of it goes unchecked. */
static int
sig_lines_ok(const char *note, size_t len, int want)
{
	size_t body_len, off;
	const char *p, *end = note + len, *nl, *sp;
	int n = 0;

	if (note_split(note, len, &body_len, &off) != 0) {
		return 0;
	}
	for (p = note + off; p < end; p = nl + 1, n++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		sp = memchr(p, ' ', (size_t)(nl - p));
		sp = sp ? memchr(sp + 1, ' ', (size_t)(nl - sp - 1)) : NULL;
		if (!sp || !b64_chars_ok(sp + 1, (size_t)(nl - sp - 1))) {
			return 0;
		}
	}
	return n == want;
}

static int
v_checkpoint(struct verifier *v, uint64_t size, const char *note, size_t len)
{
	const struct vkey *lk;
	struct vjob *j;
	int64_t last = size ? (int64_t)size - 1 : 0;
	int r;

	if (size == 0 || size != v->f.size) {
		return vfail(v, last, "checkpoint",
			     _("a checkpoint at size %" PRIu64 " is out of "
			       "place (after entry %" PRIu64 ")"),
			     size, v->f.size);
	}
	if (v->n_cp && size <= v->last_cp) {
		return vfail(v, last, "checkpoint",
			     _("checkpoint sizes must rise (%" PRIu64
			       " after %" PRIu64 ")"),
			     size, v->last_cp);
	}
	if (!v->reg.have_log) {
		return vfail(v, last, "checkpoint", _("no log key"));
	}
	lk = &v->reg.keys[v->reg.log];
	if (strlen(note) != len) {
		return vfail(v, last, "checkpoint",
			     _("the checkpoint at size %" PRIu64 " does not "
			       "verify with the log key: %s"),
			     size, "NUL byte");
	}
	if (v->rot_pending && !sig_lines_ok(note, len, 2)) {
		return vfail(v, last, "checkpoint",
			     _("the checkpoint at size %" PRIu64 ", the first "
			       "after the log key rotation at entry %" PRIu64
			       ", must carry exactly two signatures (the "
			       "retired key's and the new key's)"),
			     size, v->rot_seq);
	}
	if (!v->rot_pending && !sig_lines_ok(note, len, 1)) {
		return vfail(v, last, "checkpoint",
			     _("the checkpoint at size %" PRIu64 " is not in "
			       "canonical form (one signature, its own "
			       "size)"),
			     size);
	}
	/* Signature, size and root: checked with the batch; at a switch
	 * once with each key. */
	for (int k = 0; k < 1 + v->rot_pending; k++) {
		if ((r = vroom(v)) != 0) {
			return r;
		}
		if (!(j = vqueue(v, JOB_CP, note, len))) {
			return vio(v, CORE_EINTERNAL, "out of memory");
		}
		j->seq = size;
		j->last_cp = v->last_cp;
		j->old_key = (uint8_t)k;
		memcpy(j->pk, k ? v->rot_old_pk : lk->pk, 32);
		memcpy(j->root, v->roots[size], 32);
	}
	v->rot_pending = 0;
	v->last_cp = size;
	v->n_cp++;
	if (cp_mark(v, size) != 0) {
		return vio(v, CORE_EINTERNAL, "out of memory");
	}
	if (vwit_checkpoint(v->vw, size, note, len) != 0) {
		return vio(v, CORE_EINTERNAL, "out of memory");
	}
	return 0;
}

/* 1 if log key k may sign the checkpoint of size n: the key in force
 * after entry n - 1, or the one retired there (the switch checkpoint
 * carries both). */
static int
log_key_signs(const struct vkey *k, uint64_t n)
{
	return n > 0 && strcmp(k->owner, "log") == 0 && k->from <= n - 1 &&
	       (k->until == UINT64_MAX || n - 1 <= k->until);
}

static int
leaf_cb(void *ctx, uint64_t i, uint8_t out[32])
{
	struct verifier *v = ctx;

	if (i >= v->f.size) {
		return -1;
	}
	memcpy(out, v->leaves[i], 32);
	return 0;
}

/*
 * The newest size below `below` at which something from outside the host
 * saw the log's tree as it is: a witness file whose root is ours at its
 * size, or a stored cosignature that verified.  0 if none; *who names it.
 */
static uint64_t
confirmed_below(const struct verifier *v, uint64_t below, const char **who)
{
	uint64_t best = 0;

	*who = NULL;
	for (size_t i = 0; i < v->n_wit; i++) {
		const struct witness *w = &v->wit[i];

		if (w->size < below && w->size > best &&
		    memcmp(v->roots[w->size], w->root, 32) == 0) {
			best = w->size;
			*who = w->path;
		}
	}
	for (size_t i = v->n_cs; i-- > 0;) {
		if (v->cs[i].size < below) {
			if (v->cs[i].size > best) {
				best = v->cs[i].size;
				*who = v->cs[i].name;
			}
			break;
		}
	}
	return best;
}

/*
 * The witnesses' checkpoints (docs/audit-notes.md, "audit verify
 * --witness"): each must verify; the smallest size at which one differs
 * from our tree is a fork, named at the first entry after the newest size
 * that outside evidence confirms (the first entry that can have been
 * rewritten); then a checkpoint a witness holds must still be stored; then
 * a larger size than ours is a truncation.
 */
static int
check_witnesses(struct verifier *v)
{
	const struct vkey *lk = &v->reg.keys[v->reg.log];
	uint64_t n = v->f.size, bad = UINT64_MAX, good, big = 0;
	size_t bad_i = 0;
	const char *who;
	char err2[128];

	for (size_t i = 0; i < v->n_wit; i++) {
		struct witness *w = &v->wit[i];
		char err[128];
		int ok;

		ok = note_checkpoint_verify(w->text, v->origin, lk->pk,
					    &w->size, w->root, err,
					    sizeof(err)) == 0;
		/* Held from before a rotation: the key of its size. */
		for (size_t k = v->reg.n; !ok && k-- > 0;) {
			ok = k != v->reg.log &&
			     strcmp(v->reg.keys[k].owner, "log") == 0 &&
			     note_checkpoint_verify(w->text, v->origin,
						    v->reg.keys[k].pk, &w->size,
						    w->root, err2,
						    sizeof(err2)) == 0 &&
			     log_key_signs(&v->reg.keys[k], w->size);
		}
		if (!ok) {
			return vfail(v, -1, "witness",
				     _("witness checkpoint %s does not verify "
				       "with the log key: %s"),
				     w->path, err);
		}
		if (w->size <= n && w->size < bad &&
		    memcmp(v->roots[w->size], w->root, 32) != 0) {
			bad = w->size;
			bad_i = i;
		}
		if (w->size > big) {
			big = w->size;
		}
	}
	if (bad != UINT64_MAX) {
		good = confirmed_below(v, bad, &who);
		if (!who) {
			return vfail(v, 0, "fork",
				     _("the log's tree at size %" PRIu64
				       " differs from the checkpoint witness "
				       "%s holds, and nothing you brought "
				       "confirms an earlier size: history was "
				       "rewritten from an entry in "
				       "0..%" PRIu64),
				     bad, v->wit[bad_i].path,
				     bad ? bad - 1 : 0);
		}
		return vfail(v, (int64_t)good, "fork",
			     _("the log's tree at size %" PRIu64 " differs "
			       "from the checkpoint witness %s holds, but its "
			       "tree at size %" PRIu64 " is the one %s saw: "
			       "history was rewritten from entry %" PRIu64
			       " on (the first entry that can differ)"),
			     bad, v->wit[bad_i].path, good, who, good);
	}
	for (size_t i = 0; i < v->n_wit; i++) {
		const struct witness *w = &v->wit[i];

		if (w->size > 0 && w->size <= n && !cp_stored(v, w->size)) {
			return vfail(v, (int64_t)w->size - 1, "checkpoint",
				     _("witness %s holds the log's checkpoint "
				       "at size %" PRIu64 ", which the log no "
				       "longer has: it was removed"),
				     w->path, w->size);
		}
	}
	if (big > n) {
		return vfail(v, (int64_t)n, "truncated",
			     _("a witness holds the log at size %" PRIu64
			       " but it has %" PRIu64 " entries: "
			       "entries %" PRIu64 "..%" PRIu64 " were "
			       "removed (truncation or an old backup)"),
			     big, n, n, big - 1);
	}
	for (size_t i = 0; i < v->n_wit; i++) {
		const struct witness *w = &v->wit[i];
		uint8_t (*path)[32] = NULL;
		size_t n_path = 0;
		int ok;

		/* Our own proof from the witness's size to ours: a check of
		 * the tree code, as the witness would run it. */
		if (w->size > 0 && w->size < n) {
			if (!(path = malloc(64 * 32))) {
				return vio(v, CORE_EINTERNAL, "out of memory");
			}
			ok = merkle_consistency_proof(w->size, n, leaf_cb, v,
						      path, &n_path) == 0 &&
			     merkle_consistency_verify(
				     w->size, n, w->root, v->roots[n],
				     (const uint8_t(*)[32])path, n_path) == 0;
			free(path);
			if (!ok) {
				return vfail(v, (int64_t)w->size, "fork",
					     _("no consistency proof from the "
					       "witness's size %" PRIu64
					       " to %" PRIu64),
					     w->size, n);
			}
		}
		v->rep->n_witnesses++;
	}
	return 0;
}

static int
load_witnesses(struct verifier *v, const struct core_verify_opts *o)
{
	if (!o->n_witness) {
		return 0;
	}
	if (!(v->wit = calloc(o->n_witness, sizeof(*v->wit)))) {
		return vio(v, CORE_EINTERNAL, "out of memory");
	}
	for (size_t i = 0; i < o->n_witness; i++) {
		FILE *f = fopen(o->witness[i], "rb");
		char *buf;
		size_t n;

		snprintf(v->wit[i].path, sizeof(v->wit[i].path), "%s",
			 o->witness[i]);
		v->n_wit = i + 1;
		if (!f) {
			return vio(v, CORE_EIO,
				   _("cannot read witness file '%s'"),
				   o->witness[i]);
		}
		buf = malloc(65537);
		n = buf ? fread(buf, 1, 65536, f) : 0;
		fclose(f);
		if (!buf) {
			return vio(v, CORE_EINTERNAL, "out of memory");
		}
		buf[n] = '\0';
		v->wit[i].text = buf;
		if (n == 65536 || strlen(buf) != n) {
			return vio(v, CORE_EINVAL,
				   _("witness file '%s' is not a checkpoint"),
				   o->witness[i]);
		}
	}
	return 0;
}

/* The end of the stream: coverage, witnesses. */
static int
v_finish(struct verifier *v)
{
	int r;

	/* Everything queued is earlier than what follows. */
	if ((r = vflush(v)) != 0) {
		return r;
	}
	if (v->f.size == 0) {
		return vfail(v, 0, "genesis", _("the log is empty"));
	}
	if (v->last_cp < v->f.size) {
		return vfail(v, (int64_t)v->last_cp, "uncovered",
			     _("entries %" PRIu64 "..%" PRIu64 " are not "
			       "covered by any signed checkpoint"),
			     v->last_cp, v->f.size - 1);
	}
	if (v->have_anchor && !v->anchor_seen) {
		return vfail(v, 0, "genesis",
			     _("the log key you brought is neither the one "
			       "entry 0 announces nor one the log rotated "
			       "to"));
	}
	{
		const char *rule;
		uint64_t size;
		char why[512];

		if (vwit_finish(v->vw, v->rep, &rule, &size, why,
				sizeof(why)) != 0) {
			return vfail(v, -1, rule, "%s", why);
		}
	}
	return check_witnesses(v);
}

/* ---- sources ---- */

/* 1 if log entry seq is about subject (by its checked index column). */
static int
entry_about(struct core *c, int64_t seq, const char *subject)
{
	sqlite3_stmt *st = NULL;
	int ok = 0;

	if (db_prepare(c, &st,
		       "SELECT subject FROM log_entry WHERE seq = ?1") == 0) {
		sqlite3_bind_int64(st, 1, seq);
		ok = sqlite3_step(st) == SQLITE_ROW &&
		     strcmp(db_text(st, 0), subject) == 0;
	}
	sqlite3_finalize(st);
	return ok;
}

/* The cosignatures stored for the checkpoint at size (the cursor sw is
 * ordered by size); one for a size without a checkpoint is a failure. */
static int
db_cosigs(struct verifier *v, sqlite3_stmt *sw, int *have_w, uint64_t size)
{
	char why[320];

	while (*have_w && sqlite3_column_int64(sw, 0) <= (int64_t)size) {
		uint64_t at = (uint64_t)sqlite3_column_int64(sw, 0);

		if (at != size) {
			return vfail(v, -1, "cosignature",
				     _("a stored cosignature names size %" PRIu64
				       ", where the log has no checkpoint"),
				     at);
		}
		if (vwit_cosig(v->vw, at, db_text(sw, 1),
			       (size_t)sqlite3_column_bytes(sw, 1), why,
			       sizeof(why)) != 0) {
			return vfail(v, -1, "cosignature", "%s", why);
		}
		if (cosigned_add(v, at, db_text(sw, 1),
				 (size_t)sqlite3_column_bytes(sw, 1)) != 0) {
			return vio(v, CORE_EINTERNAL, "out of memory");
		}
		*have_w = sqlite3_step(sw) == SQLITE_ROW;
	}
	return 0;
}

/* 1 if the database has table name (older schemas lack newer ones; the
 * verifier opens read-only and never migrates). */
static int
db_has_table(struct core *c, const char *name)
{
	sqlite3_stmt *st = NULL;
	int ok = 0;

	if (db_prepare(c, &st,
		       "SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
		       "name = ?1") == 0) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return ok;
}

/*
 * A truncated database: the entries stop at M but the database itself
 * says the log was longer: a checkpoint it signed at a larger size, or
 * the stored frontier (the tree after the last append) of a larger tree.
 * Names the first missing entry (M) and where the log was cut.
 */
static int
db_truncation(struct verifier *v, struct core *c)
{
	sqlite3_stmt *st = NULL;
	struct merkle_frontier fr;
	uint64_t m = v->f.size, cp = 0, fsz = 0;

	if (db_prepare(c, &st, "SELECT max(size) FROM log_checkpoint") == 0 &&
	    sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_int64(st, 0) > 0) {
		cp = (uint64_t)sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (db_prepare(c, &st, "SELECT frontier FROM log_state WHERE id = 1") ==
		    0 &&
	    sqlite3_step(st) == SQLITE_ROW &&
	    merkle_frontier_load(&fr, sqlite3_column_blob(st, 0),
				 (size_t)sqlite3_column_bytes(st, 0)) == 0) {
		fsz = fr.size;
	}
	sqlite3_finalize(st);
	if (cp <= m && fsz <= m) {
		return 0;
	}
	if (cp >= fsz && m == 0) {
		return vfail(v, 0, "truncated",
			     _("every entry of the log was removed, but the "
			       "checkpoint it signed at size %" PRIu64
			       " is still there"),
			     cp);
	}
	if (cp >= fsz) {
		return vfail(v, (int64_t)m, "truncated",
			     _("the log was truncated after entry %" PRIu64
			       ": the checkpoint it signed at size %" PRIu64
			       " is still there, so entries %" PRIu64
			       "..%" PRIu64 " are missing"),
			     m - 1, cp, m, cp - 1);
	}
	if (m == 0) {
		return vfail(v, 0, "truncated",
			     _("every entry of the log was removed, but the "
			       "stored frontier says it had %" PRIu64
			       " entries"),
			     fsz);
	}
	return vfail(v, (int64_t)m, "truncated",
		     _("the log was truncated after entry %" PRIu64 ": the "
		       "stored frontier says it had %" PRIu64 " entries, so "
		       "entries %" PRIu64 "..%" PRIu64 " are missing"),
		     m - 1, fsz, m, fsz - 1);
}

static int
verify_db(struct verifier *v, const char *dir)
{
	struct core *c = NULL;
	sqlite3_stmt *se = NULL, *sc = NULL, *st = NULL, *sw = NULL;
	char err[PATH_MAX + 256];
	int r, have_cp, have_w = 0, rc;

	/* Read-only, never writing in dir: also an auditor's evidence copy
	 * on read-only media (core/db_ro.c). */
	if ((r = core_open_readonly(&c, dir, err, sizeof(err))) != 0) {
		r = vio(v, r, _("cannot read the database in '%s': %s"), dir,
			err);
		goto out;
	}
	if (sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    db_prepare(c, &st,
		       "SELECT value FROM meta WHERE key = 'origin'") != 0) {
		r = vio(v, CORE_EIO, _("cannot read the database in '%s'"),
			dir);
		goto out;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		db_copy(v->origin, sizeof(v->origin), st, 0);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (db_prepare(c, &se,
		       "SELECT seq, entry, leaf, act, actor, subject, time_ms "
		       "FROM log_entry ORDER BY seq") != 0 ||
	    db_prepare(c, &sc,
		       "SELECT size, note FROM log_checkpoint ORDER BY "
		       "size") != 0) {
		r = vio(v, CORE_EIO, _("cannot read the log in '%s'"), dir);
		goto out;
	}
	if (db_has_table(c, "witness_cosig")) {
		if (db_prepare(c, &sw,
			       "SELECT size, line FROM witness_cosig ORDER BY "
			       "size, rowid") != 0) {
			r = vio(v, CORE_EIO, _("cannot read the log in '%s'"),
				dir);
			goto out;
		}
		have_w = sqlite3_step(sw) == SQLITE_ROW;
	}
	have_cp = sqlite3_step(sc) == SQLITE_ROW;
	while ((rc = sqlite3_step(se)) == SQLITE_ROW) {
		struct dbcols cols = {
			.seq = sqlite3_column_int64(se, 0),
			.leaf = sqlite3_column_blob(se, 2),
			.leaf_len = (size_t)sqlite3_column_bytes(se, 2),
			.act = sqlite3_column_int64(se, 3),
			.actor = db_text(se, 4),
			.subject = db_text(se, 5),
			.time_ms = sqlite3_column_int64(se, 6),
		};

		if ((r = v_entry(v, sqlite3_column_blob(se, 1),
				 (size_t)sqlite3_column_bytes(se, 1),
				 &cols)) != 0) {
			goto out;
		}
		while (have_cp &&
		       sqlite3_column_int64(sc, 0) <= (int64_t)v->f.size) {
			uint64_t size = (uint64_t)sqlite3_column_int64(sc, 0);

			if ((r = v_checkpoint(
				     v, size, db_text(sc, 1),
				     (size_t)sqlite3_column_bytes(sc, 1))) != 0 ||
			    (r = db_cosigs(v, sw, &have_w, size)) != 0) {
				goto out;
			}
			have_cp = sqlite3_step(sc) == SQLITE_ROW;
		}
	}
	if (rc != SQLITE_DONE) {
		r = vio(v, CORE_EIO, _("cannot read the log in '%s'"), dir);
		goto out;
	}
	/* Where the log was cut, if the database says it was longer. */
	if ((r = db_truncation(v, c)) != 0) {
		goto out;
	}
	if ((r = db_cosigs(v, sw, &have_w, UINT64_MAX - 1)) != 0) {
		goto out;
	}
	if ((r = v_finish(v)) != 0) {
		goto out;
	}

	/* The stored frontier is the replayed one. */
	{
		uint8_t blob[8 + 64 * 32];
		size_t n = merkle_frontier_size(&v->f);

		merkle_frontier_save(&v->f, blob);
		if (db_prepare(c, &st,
			       "SELECT frontier FROM log_state WHERE id = 1") !=
			    0 ||
		    sqlite3_step(st) != SQLITE_ROW ||
		    (size_t)sqlite3_column_bytes(st, 0) != n ||
		    memcmp(sqlite3_column_blob(st, 0), blob, n) != 0) {
			r = vfail(v, -1, "frontier",
				  _("the stored tree frontier is not the one "
				    "the log's entries give"));
			goto out;
		}
		sqlite3_finalize(st);
		st = NULL;
	}

	/* Every personal key's row is the one the log registered. */
	if (db_has_table(c, "user_key")) {
		int64_t kseq = -1;

		rc = vkeyrows_check(c, &v->reg, &kseq, err, sizeof(err));
		if (rc > 0) {
			r = vfail(v, kseq, "key-row", "%s", err);
			goto out;
		}
		if (rc < 0) {
			r = vio(v, CORE_EIO, _("cannot read the log in '%s'"),
				dir);
			goto out;
		}
	}

	/* Every nominee row is the last logged state of that nominee. */
	if (db_prepare(c, &st,
		       "SELECT id, version, digest, seq, salt FROM nominee "
		       "ORDER BY id") != 0) {
		r = vio(v, CORE_EIO, _("cannot read the log in '%s'"), dir);
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		int64_t version = sqlite3_column_int64(st, 1);
		const void *dg = sqlite3_column_blob(st, 2);
		int dglen = sqlite3_column_bytes(st, 2);
		int64_t rseq = sqlite3_column_int64(st, 3);
		uint8_t salt[32] = {0}, calc[32];
		char subj[48];
		struct nomrec *n;

		snprintf(subj, sizeof(subj), "nominee:%lld", (long long)id);
		if (!(n = smap_get(&v->noms, subj, 0))) {
			r = vfail(v, -1, "domain",
				  _("nominee %lld has a row but no entry in "
				    "the log"),
				  (long long)id);
			goto out;
		}
		n->row_seen = 1;
		/* The row's seq is the entry that last changed it: at or
		 * after its version's entry, about this nominee (the index
		 * columns were checked against the bytes above). */
		if (version != n->version || dglen != 32 ||
		    memcmp(dg, n->digest, 32) != 0 ||
		    rseq < (int64_t)n->change_seq ||
		    rseq > (int64_t)n->last_seq ||
		    !entry_about(c, rseq, subj)) {
			r = vfail(v, (int64_t)n->change_seq, "domain",
				  _("nominee %lld: the row (version %lld, "
				    "entry %lld) is not what the log last "
				    "recorded (entry %" PRIu64 ", version %u)"),
				  (long long)id, (long long)version,
				  (long long)rseq, n->change_seq, n->version);
			goto out;
		}
		if (sqlite3_column_bytes(st, 4) == 32) {
			memcpy(salt, sqlite3_column_blob(st, 4), 32);
		}
		if (dossier_compute(c, id, (uint32_t)version, salt, calc) !=
			    0 ||
		    memcmp(calc, n->digest, 32) != 0) {
			r = vfail(v, (int64_t)n->change_seq, "domain",
				  _("nominee %lld: the stored dossier does not "
				    "match the digest logged at entry %" PRIu64
				    " (changed behind the log)"),
				  (long long)id, n->change_seq);
			goto out;
		}
	}
	for (size_t i = 0; i < v->noms.cap; i++) {
		struct nomrec *n =
			(struct nomrec *)(v->noms.slots + i * v->noms.rec);

		if (n->subject[0] && !n->row_seen) {
			r = vfail(v, (int64_t)n->last_seq, "domain",
				  _("%s is in the log (last at entry %" PRIu64
				    ") but its row is missing"),
				  n->subject, n->last_seq);
			goto out;
		}
	}
	r = 0;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(se);
	sqlite3_finalize(sc);
	sqlite3_finalize(sw);
	if (c && c->db) {
		sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
	}
	core_close(c);
	return r;
}

static int
verify_bundle(struct verifier *v, const char *path)
{
	struct bundle_reader *b = NULL;
	struct bundle_header h;
	struct enc_buf kb;
	const uint8_t *p;
	size_t len;
	uint64_t n_cosigs = 0;
	char err[320];
	int type, r, have_keys = 0, have_wit = 0;

	enc_init(&kb);
	if ((r = bundle_open(&b, path, &h, err, sizeof(err))) != 0) {
		r = r == -2 ? vio(v, CORE_EIO, _("bundle '%s': %s"), path, err)
			    : vfail(v, -1, "bundle", _("bundle '%s': %s"), path,
				    err);
		goto out;
	}
	snprintf(v->origin, sizeof(v->origin), "%s", h.origin);
	memcpy(v->hdr_key, h.log_key, 32);
	v->have_hdr_key = 1;
	for (;;) {
		if (bundle_next(b, &type, &p, &len, err, sizeof(err)) != 0) {
			r = vfail(v, (int64_t)v->f.size, "bundle",
				  _("bundle '%s' at byte %" PRIu64 ": %s"),
				  path, bundle_offset(b), err);
			goto out;
		}
		if (type == BUNDLE_END) {
			break;
		}
		if (type == BUNDLE_WITNESSES && have_keys && !have_wit) {
			have_wit = 1;
			kb.len = 0;
			vwit_format(v->vw, &kb);
			if (kb.err || kb.len != len ||
			    (len && memcmp(kb.p, p, len) != 0)) {
				r = vfail(v, -1, "registry",
					  _("the bundle's witness registry is "
					    "not the one its entries define"));
				goto out;
			}
			continue;
		}
		if (have_keys) {
			r = vfail(v, (int64_t)v->f.size, "bundle",
				  _("bundle '%s': records after the key "
				    "registry"),
				  path);
			goto out;
		}
		if (type == BUNDLE_ENTRY) {
			if ((r = v_entry(v, p, len, NULL)) != 0) {
				goto out;
			}
		} else if (type == BUNDLE_CHECKPOINT) {
			char *note = malloc(len + 1);
			uint64_t size = 0;
			const char *nl;

			if (!note) {
				r = vio(v, CORE_EINTERNAL, "out of memory");
				goto out;
			}
			memcpy(note, p, len);
			note[len] = '\0';
			/* The size the note claims decides its place. */
			nl = memchr(note, '\n', len);
			if (nl) {
				size = strtoull(nl + 1, NULL, 10);
			}
			r = v_checkpoint(v, size, note, len);
			free(note);
			if (r != 0) {
				goto out;
			}
		} else if (type == BUNDLE_COSIG) {
			uint64_t size = 0;

			for (int i = 0; i < 8; i++) {
				size = size << 8 | p[i];
			}
			n_cosigs++;
			if (vwit_cosig(v->vw, size, (const char *)p + 8,
				       len - 8, err, sizeof(err)) != 0) {
				r = vfail(v, -1, "cosignature", "%s", err);
				goto out;
			}
			if (cosigned_add(v, size, (const char *)p + 8,
					 len - 8) != 0) {
				r = vio(v, CORE_EINTERNAL, "out of memory");
				goto out;
			}
		} else {
			have_keys = 1;
			if ((r = v_finish(v)) != 0) {
				goto out;
			}
			vreg_format(&v->reg, &kb);
			if (kb.err || kb.len != len ||
			    (len && memcmp(kb.p, p, len) != 0)) {
				r = vfail(v, -1, "registry",
					  _("the bundle's key registry is not "
					    "the one its entries define"));
				goto out;
			}
		}
	}
	if (!have_keys || (h.version >= 2 && !have_wit)) {
		r = vfail(v, -1, "bundle",
			  _("bundle '%s': no key registry"), path);
		goto out;
	}
	if (h.n_cosigs != n_cosigs) {
		r = vfail(v, -1, "bundle",
			  _("bundle '%s': its header counts %" PRIu64
			    " cosignatures, it holds %" PRIu64),
			  path, h.n_cosigs, n_cosigs);
		goto out;
	}
	if (h.n_entries != v->f.size || h.n_checkpoints != v->n_cp) {
		r = vfail(v, -1, "bundle",
			  _("bundle '%s': its header counts %" PRIu64
			    " entries and %" PRIu64 " checkpoints, it holds "
			    "%" PRIu64 " and %" PRIu64),
			  path, h.n_entries, h.n_checkpoints, v->f.size,
			  v->n_cp);
		goto out;
	}
	r = 0;
out:
	enc_release(&kb);
	bundle_close(b);
	return r;
}

static int
cmp_actor(const void *a, const void *b)
{
	return strcmp(((const struct core_verify_actor *)a)->actor,
		      ((const struct core_verify_actor *)b)->actor);
}

static void
fill_report(struct verifier *v)
{
	struct core_verify_report *rep = v->rep;
	size_t k = 0;

	if (!v->roots) {
		return;
	}
	snprintf(rep->origin, sizeof(rep->origin), "%s", v->origin);
	rep->size = v->f.size;
	memcpy(rep->root, v->roots[v->f.size], 32);
	rep->n_checkpoints = v->n_cp;
	rep->n_keys = v->reg.n;
	for (size_t i = 0; i < v->reg.n; i++) {
		rep->n_log_keys += strcmp(v->reg.keys[i].owner, "log") == 0;
	}
	if (v->reg.have_log) {
		memcpy(rep->log_key_now, v->reg.keys[v->reg.log].pk, 32);
	}
	rep->n_nominees = v->noms.n;
	if (!v->actors.n ||
	    !(rep->actors = calloc(v->actors.n, sizeof(*rep->actors)))) {
		return;
	}
	for (size_t i = 0; i < v->actors.cap; i++) {
		const struct actrec *a =
			(const struct actrec *)(v->actors.slots +
						i * v->actors.rec);

		if (!a->actor[0] || k >= v->actors.n) {
			continue;
		}
		snprintf(rep->actors[k].actor, sizeof(rep->actors[k].actor),
			 "%s", a->actor);
		rep->actors[k++].n = a->n;
	}
	rep->n_actors = k;
	qsort(rep->actors, k, sizeof(*rep->actors), cmp_actor);
}

int
core_audit_verify(const struct core_verify_opts *o,
		  struct core_verify_report *rep)
{
	struct verifier v;
	int r;

	memset(rep, 0, sizeof(*rep));
	rep->seq = -1;
	if (sodium_init() < 0) {
		return CORE_EINTERNAL;
	}
	if ((r = verifier_init(&v, o, rep)) != 0 ||
	    (r = load_witnesses(&v, o)) != 0) {
		goto out;
	}
	if (o->bundle) {
		r = verify_bundle(&v, o->bundle);
	} else if (o->data_dir) {
		r = verify_db(&v, o->data_dir);
	} else {
		r = vio(&v, CORE_EINVAL, "nothing to verify");
	}
	/* A failure found directly: a queued check that fails came first. */
	if (r == CORE_ECORRUPT && vflush(&v) != 0) {
		r = CORE_ECORRUPT;
	}
out:
	fill_report(&v);
	rep->ok = r == 0;
	if (r == 0) {
		rep->seq = -1;
		rep->rule[0] = '\0';
		rep->message[0] = '\0';
	}
	verifier_release(&v);
	return r;
}

void
core_verify_report_release(struct core_verify_report *rep)
{
	if (!rep) {
		return;
	}
	free(rep->actors);
	rep->actors = NULL;
	rep->n_actors = 0;
	free(rep->cosigners);
	rep->cosigners = NULL;
	rep->n_cosigners = 0;
}
