/*
 * Proofs a third party can check without the database: the inclusion
 * proof of one entry in the latest checkpoint (`audit prove`, checked by
 * core_proof_check with nothing but the log key), the consistency proof
 * a witness needs (`audit witness-request`), and the latest checkpoint
 * for paper.  Formats: docs/audit-notes.md.
 *
 * The host builds proofs from the stored leaf hashes, so each proof is
 * first checked against the signed checkpoint here: a log whose stored
 * leaves no longer give the signed root is refused (run audit verify)
 * rather than handed out with a proof that fails elsewhere.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"

#define PROOF_MAGIC "nomdesk-inclusion-proof v1\n"

int
log_leaves_load(struct core *c, uint8_t **leaves, uint64_t *n)
{
	sqlite3_stmt *st = NULL;
	uint8_t *v = NULL;
	size_t cap = 0;
	uint64_t i = 0;
	int r, rc;

	*leaves = NULL;
	*n = 0;
	if ((r = db_query(c, &st,
	                  "SELECT seq, leaf FROM log_entry ORDER BY seq",
	                  NULL)) != 0) {
		return r;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int64(st, 0) != (int64_t)i ||
		    sqlite3_column_bytes(st, 1) != 32) {
			r = core_err(c, CORE_ECORRUPT, NULL,
				     _("the log is damaged at entry %" PRIu64
				       " (run `nomdesk audit verify`)"),
				     i);
			goto fail;
		}
		if (i >= cap) {
			size_t ncap = cap ? cap * 2 : 1024;
			uint8_t *p = realloc(v, ncap * 32);

			if (!p) {
				r = core_err(c, CORE_EINTERNAL, NULL,
					     "out of memory");
				goto fail;
			}
			v = p;
			cap = ncap;
		}
		memcpy(v + i * 32, sqlite3_column_blob(st, 1), 32);
		i++;
	}
	if (rc != SQLITE_DONE) {
		r = core_err_sql(c, rc);
		goto fail;
	}
	sqlite3_finalize(st);
	*leaves = v;
	*n = i;
	return 0;
fail:
	sqlite3_finalize(st);
	free(v);
	return r;
}

int
log_checkpoint_latest(struct core *c, char **note, uint64_t *size,
		      uint8_t root[32])
{
	sqlite3_stmt *st = NULL;
	uint64_t got;
	char err[128];
	int r;

	*note = NULL;
	*size = 0;
	if ((r = db_row(c, &st,
	                "SELECT size, note FROM log_checkpoint ORDER BY "
	                "size DESC LIMIT 1",
	                NULL)) < 0) {
		return r;
	}
	if (r == 0) {
		return core_err(c, CORE_ENOENT, NULL,
				_("the log has no checkpoint"));
	}
	*size = (uint64_t)sqlite3_column_int64(st, 0);
	*note = strdup(db_text(st, 1));
	sqlite3_finalize(st);
	if (!*note) {
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	/* Our own key must have signed it, with the size of its row. */
	{
		uint8_t pk[32];

		signer_public(c->logkey, pk);
		if (note_checkpoint_verify(*note, c->origin, pk, &got, root,
					   err, sizeof(err)) != 0 ||
		    got != *size) {
			free(*note);
			*note = NULL;
			return core_err(c, CORE_ECORRUPT, NULL,
					_("the latest checkpoint does not "
					  "verify (run `nomdesk audit "
					  "verify`)"));
		}
	}
	return 0;
}

struct leaves {
	const uint8_t *v;
	uint64_t n;
};

static int
leaf_at(void *ctx, uint64_t i, uint8_t out[32])
{
	const struct leaves *l = ctx;

	if (i >= l->n) {
		return -1;
	}
	memcpy(out, l->v + i * 32, 32);
	return 0;
}

/* A growable text buffer for the outputs below. */
static void
put(struct enc_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
put(struct enc_buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		b->err = 1;
	} else {
		enc_raw(b, tmp, (size_t)n);
}
}

static void
put_b64(struct enc_buf *b, const uint8_t *p, size_t n)
{
	size_t cap = (n + 2) / 3 * 4 + 1;
	char *t = malloc(cap);

	if (!t || keys_b64_encode(p, n, t, cap) < 0) {
		b->err = 1;
	} else {
		enc_raw(b, t, strlen(t));
	}
	free(t);
}

/* Hands the buffer's bytes over as a NUL-terminated string. */
static int
take(struct core *c, struct enc_buf *b, char **out, size_t *len)
{
	enc_u8(b, 0);
	if (b->err) {
		enc_release(b);
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	*out = (char *)b->p;
	if (len) {
		*len = b->len - 1;
	}
	b->p = NULL; /* transferred */
	enc_release(b);
	return 0;
}

/* Leaves and checkpoint, with the leaves checked against its root. */
static int
load_checked(struct core *c, uint8_t **leaves, uint64_t *n, char **note,
	     uint64_t *size, uint8_t root[32])
{
	struct leaves l;
	uint8_t calc[32];
	int r;

	*leaves = NULL;
	*note = NULL;
	if ((r = log_checkpoint_latest(c, note, size, root)) != 0 ||
	    (r = log_leaves_load(c, leaves, n)) != 0) {
		goto fail;
	}
	l.v = *leaves;
	l.n = *n;
	if (*size > *n || merkle_root(*size, leaf_at, &l, calc) != 0 ||
	    memcmp(calc, root, 32) != 0) {
		r = core_err(c, CORE_ECORRUPT, NULL,
			     _("the stored log does not give the root of its "
			       "latest checkpoint (run `nomdesk audit "
			       "verify`)"));
		goto fail;
	}
	return 0;
fail:
	free(*leaves);
	free(*note);
	*leaves = NULL;
	*note = NULL;
	return r;
}

int
core_audit_prove(struct core *c, uint64_t seq, char **out, size_t *len)
{
	uint8_t *leaves = NULL, root[32], leaf[32];
	uint8_t (*path)[32] = NULL;
	struct leaves l;
	struct enc_buf b;
	sqlite3_stmt *st = NULL;
	uint64_t n, size;
	size_t n_path = 0;
	char *note = NULL;
	int r;

	*out = NULL;
	if (len) {
		*len = 0;
	}
	enc_init(&b);
	core_err_clear(c);
	if ((r = load_checked(c, &leaves, &n, &note, &size, root)) != 0) {
		goto out;
	}
	if (seq >= size) {
		r = core_err(c, CORE_ENOENT, NULL,
			     _("entry %" PRIu64 " is not in the latest "
			       "checkpoint (size %" PRIu64 ")"),
			     seq, size);
		goto out;
	}
	if ((r = db_query(c, &st, "SELECT entry FROM log_entry WHERE seq = ?1",
	                  "i", (int64_t)seq)) != 0) {
		goto out;
	}
	if (sqlite3_step(st) != SQLITE_ROW) {
		r = core_err(c, CORE_ECORRUPT, NULL,
			     _("the log is damaged at entry %" PRIu64
			       " (run `nomdesk audit verify`)"),
			     seq);
		goto out;
	}
	merkle_leaf_hash(sqlite3_column_blob(st, 0),
			 (size_t)sqlite3_column_bytes(st, 0), leaf);
	l.v = leaves;
	l.n = n;
	if (!(path = malloc(64 * 32))) {
		r = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
		goto out;
	}
	if (memcmp(leaf, leaves + seq * 32, 32) != 0 ||
	    merkle_inclusion_proof(seq, size, leaf_at, &l, path, &n_path) !=
		    0 ||
	    merkle_inclusion_verify(seq, size, leaf,
				    (const uint8_t(*)[32])path, n_path,
				    root) != 0) {
		r = core_err(c, CORE_ECORRUPT, NULL,
			     _("the log is damaged at entry %" PRIu64
			       " (run `nomdesk audit verify`)"),
			     seq);
		goto out;
	}
	put(&b, "%sindex %" PRIu64 "\nsize %" PRIu64 "\nentry ", PROOF_MAGIC,
	    seq, size);
	put_b64(&b, sqlite3_column_blob(st, 0),
		(size_t)sqlite3_column_bytes(st, 0));
	put(&b, "\nleaf ");
	put_b64(&b, leaf, 32);
	put(&b, "\npath %zu\n", n_path);
	for (size_t i = 0; i < n_path; i++) {
		put_b64(&b, path[i], 32);
		put(&b, "\n");
	}
	put(&b, "checkpoint\n");
	enc_raw(&b, note, strlen(note));
	r = take(c, &b, out, len);
out:
	sqlite3_finalize(st);
	enc_release(&b);
	free(path);
	free(leaves);
	free(note);
	return r;
}

/* ---- checking a proof ---- */

struct lines {
	const char *p, *end;
};

/* The next line (without LF) into *s and *n; -1 at the end or without LF. */
static int
next_line(struct lines *l, const char **s, size_t *n)
{
	const char *nl;

	if (l->p >= l->end ||
	    !(nl = memchr(l->p, '\n', (size_t)(l->end - l->p)))) {
		return -1;
	}
	*s = l->p;
	*n = (size_t)(nl - l->p);
	l->p = nl + 1;
	return 0;
}

/* "key value" with value copied (NUL-terminated, malloc'd). */
static char *
keyed(struct lines *l, const char *key)
{
	const char *s;
	size_t n, kl = strlen(key);
	char *v;

	if (next_line(l, &s, &n) != 0 || n <= kl + 1 ||
	    strncmp(s, key, kl) != 0 || s[kl] != ' ') {
		return NULL;
	}
	if (!(v = malloc(n - kl))) {
		return NULL;
	}
	memcpy(v, s + kl + 1, n - kl - 1);
	v[n - kl - 1] = '\0';
	return v;
}

static int
parse_dec(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 20 || (n > 1 && s[0] == '0')) {
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - d) / 10) {
			return -1;
		}
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int
perr(char *err, size_t errlen, int r, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return r;
}

int
core_proof_check(const char *text, size_t len, const uint8_t log_key[32],
		 struct core_proof_info *info, char *err, size_t errlen)
{
	struct lines l = {text, text + len};
	char *v_index = NULL, *v_size = NULL, *v_entry = NULL, *v_leaf = NULL,
	     *v_path = NULL, *note = NULL;
	uint8_t *ebytes = NULL, leaf[32], calc[32], kid[32];
	uint8_t path[64][32];
	uint64_t n_path = 0, nsize;
	struct stmt *s = NULL;
	struct entry e;
	const char *ln;
	size_t n, ml = strlen(PROOF_MAGIC);
	int r = CORE_EINVAL, elen;

	memset(info, 0, sizeof(*info));
	if (sodium_init() < 0) {
		return perr(err, errlen, CORE_EINTERNAL, "libsodium");
	}
	if (len < ml || memcmp(text, PROOF_MAGIC, ml) != 0 ||
	    memchr(text, '\0', len)) {
		r = perr(err, errlen, CORE_EINVAL,
			 _("not a nomdesk inclusion proof (v1)"));
		goto out;
	}
	l.p += ml;
	if (!(v_index = keyed(&l, "index")) || !(v_size = keyed(&l, "size")) ||
	    !(v_entry = keyed(&l, "entry")) || !(v_leaf = keyed(&l, "leaf")) ||
	    !(v_path = keyed(&l, "path")) ||
	    parse_dec(v_index, &info->index) != 0 ||
	    parse_dec(v_size, &info->size) != 0 || parse_dec(v_path, &n_path) != 0 ||
	    n_path > 64) {
		r = perr(err, errlen, CORE_EINVAL, _("malformed proof"));
		goto out;
	}
	for (uint64_t i = 0; i < n_path; i++) {
		char h[48];

		if (next_line(&l, &ln, &n) != 0 || n != 44) {
			r = perr(err, errlen, CORE_EINVAL, _("malformed proof"));
			goto out;
		}
		memcpy(h, ln, n);
		h[n] = '\0';
		if (!b64_chars_ok(h, n) ||
		    keys_b64_decode(h, path[i], 32) != 32) {
			r = perr(err, errlen, CORE_EINVAL, _("malformed proof"));
			goto out;
		}
	}
	if (next_line(&l, &ln, &n) != 0 || n != 10 ||
	    memcmp(ln, "checkpoint", 10) != 0) {
		r = perr(err, errlen, CORE_EINVAL, _("malformed proof"));
		goto out;
	}
	/* The rest, to the end, is the signed checkpoint. */
	n = (size_t)(l.end - l.p);
	if (!(note = malloc(n + 1)) ||
	    !(ebytes = malloc(strlen(v_entry))) || !(s = malloc(sizeof(*s)))) {
		r = perr(err, errlen, CORE_EINTERNAL, "out of memory");
		goto out;
	}
	memcpy(note, l.p, n);
	note[n] = '\0';
	{
		/* The origin is the note's first line. */
		const char *nl = strchr(note, '\n');

		if (!nl || (size_t)(nl - note) >= sizeof(info->origin)) {
			r = perr(err, errlen, CORE_EINVAL,
				 _("malformed checkpoint"));
			goto out;
		}
		memcpy(info->origin, note, (size_t)(nl - note));
		info->origin[nl - note] = '\0';
	}
	if (note_checkpoint_verify(note, info->origin, log_key, &nsize,
				   info->root, err, errlen) != 0) {
		r = CORE_ECORRUPT;
		goto out;
	}
	if (nsize != info->size) {
		r = perr(err, errlen, CORE_ECORRUPT,
			 _("the proof's size is not the checkpoint's"));
		goto out;
	}
	elen = b64_chars_ok(v_entry, strlen(v_entry))
		       ? keys_b64_decode(v_entry, ebytes, strlen(v_entry))
		       : -1;
	if (elen <= 0 || entry_parse(ebytes, (size_t)elen, &e) != 0 ||
	    stmt_parse(e.stmt, e.stmt_len, s) != 0) {
		r = perr(err, errlen, CORE_ECORRUPT,
			 _("the entry does not parse as a canonical entry"));
		goto out;
	}
	merkle_leaf_hash(ebytes, (size_t)elen, leaf);
	if (strlen(v_leaf) != 44 || !b64_chars_ok(v_leaf, 44) ||
	    keys_b64_decode(v_leaf, calc, 32) != 32 ||
	    memcmp(calc, leaf, 32) != 0) {
		r = perr(err, errlen, CORE_ECORRUPT,
			 _("the leaf hash is not the hash of the entry"));
		goto out;
	}
	if (e.seq != info->index || strcmp(s->origin, info->origin) != 0) {
		r = perr(err, errlen, CORE_ECORRUPT,
			 _("the entry is not entry INDEX of this log"));
		goto out;
	}
	if (merkle_inclusion_verify(info->index, info->size, leaf,
				    (const uint8_t(*)[32])path,
				    (size_t)n_path, info->root) != 0) {
		r = perr(err, errlen, CORE_ECORRUPT,
			 _("the inclusion path does not lead to the "
			   "checkpoint's root"));
		goto out;
	}
	keys_key_id(1, log_key, kid);
	info->n_sigs = e.n_sigs;
	for (int i = 0; i < e.n_sigs; i++) {
		if (memcmp(e.sigs[i].key_id, kid, 32) != 0) {
			continue;
		}
		if (keys_verify(log_key, e.stmt, e.stmt_len, e.sigs[i].sig) !=
		    0) {
			r = perr(err, errlen, CORE_ECORRUPT,
				 _("the entry's signature by the log key does "
				   "not verify"));
			goto out;
		}
		info->n_sigs_checked++;
	}
	info->act = s->act;
	snprintf(info->actor, sizeof(info->actor), "%s", s->actor);
	snprintf(info->subject, sizeof(info->subject), "%s", s->subject);
	r = 0;
out:
	free(v_index);
	free(v_size);
	free(v_entry);
	free(v_leaf);
	free(v_path);
	free(note);
	free(ebytes);
	free(s);
	return r;
}

/* ---- witness request, checkpoint for paper ---- */

int
core_audit_witness_request(struct core *c, uint64_t since, char **out,
			   size_t *len)
{
	uint8_t *leaves = NULL, root[32];
	uint8_t (*path)[32] = NULL;
	struct leaves l;
	struct enc_buf b;
	uint64_t n, size;
	size_t n_path = 0;
	char *note = NULL;
	int r;

	*out = NULL;
	if (len) {
		*len = 0;
	}
	enc_init(&b);
	core_err_clear(c);
	if ((r = load_checked(c, &leaves, &n, &note, &size, root)) != 0) {
		goto out;
	}
	if (since > size) {
		r = core_err(c, CORE_EINVAL, "since",
			     _("the witness's size %" PRIu64 " is past the "
			       "latest checkpoint (size %" PRIu64 ")"),
			     since, size);
		goto out;
	}
	if (!(path = malloc(64 * 32))) {
		r = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
		goto out;
	}
	l.v = leaves;
	l.n = n;
	if (since > 0 && since < size &&
	    merkle_consistency_proof(since, size, leaf_at, &l, path,
				     &n_path) != 0) {
		r = core_err(c, CORE_EINTERNAL, NULL, "consistency proof");
		goto out;
	}
	put(&b, "old %" PRIu64 "\n", since);
	for (size_t i = 0; i < n_path; i++) {
		put_b64(&b, path[i], 32);
		put(&b, "\n");
	}
	put(&b, "\n");
	enc_raw(&b, note, strlen(note));
	r = take(c, &b, out, len);
out:
	enc_release(&b);
	free(path);
	free(leaves);
	free(note);
	return r;
}

int
core_audit_checkpoint(struct core *c, char **note, uint64_t *size)
{
	uint8_t root[32];

	core_err_clear(c);
	return log_checkpoint_latest(c, note, size, root);
}

void
core_checkpoint_fingerprint(const char *note, char out[24])
{
	static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	const char *p = note;
	uint8_t h[32];
	uint64_t bits = 0;
	int nbits = 0, k = 0;

	/* The body: the first three lines with their LFs. */
	for (int i = 0; i < 3 && p && *p; i++) {
		p = strchr(p, '\n');
		if (p) {
			p++;
		}
	}
	crypto_hash_sha256(h, (const uint8_t *)note,
			   p ? (size_t)(p - note) : strlen(note));
	/* 80 bits = 16 base32 characters, in groups of four. */
	for (int i = 0; i < 10; i++) {
		bits = bits << 8 | h[i];
		nbits += 8;
		while (nbits >= 5) {
			if (k > 0 && k % 5 == 4) {
				out[k++] = '-';
			}
			out[k++] = b32[(bits >> (nbits - 5)) & 31];
			nbits -= 5;
		}
	}
	out[k] = '\0';
}
