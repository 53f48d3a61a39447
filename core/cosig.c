/*
 * cosig: the witness keys registered here and the cosignatures witnesses
 * bring back (audit-log.md 2.6 witness_cosig, 2.12; docs/audit-notes.md).
 *
 * A cosignature (C2SP tlog-cosignature v1) authenticates itself: it is a
 * witness's Ed25519 signature over a checkpoint body that this log signed.
 * It is kept only if that body is byte for byte a stored checkpoint's and
 * the line verifies against a registered witness key, and keeping it is
 * not a log entry: an entry would need a new checkpoint, which the
 * witnesses would have to cosign in turn (docs/SECURITY.md).  Registering
 * a witness key is an audited act (ACT_WITNESS_KEY).  The registry only
 * decides what the host keeps and tells auditors who the witnesses were;
 * an auditor judges cosignatures with the keys they bring (cosig_verify.c).
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"

#define MAX_LINES 100
#define NOTE_MAX 65536

static int
wname_ok(const char *s, size_t n)
{
	if (n == 0 || n >= WITNESS_NAME_MAX) {
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f ||
		    s[i] == '+') {
			return 0;
		}
	}
	return 1;
}

int
cosig_vkey_parse(const char *vkey, char name[WITNESS_NAME_MAX],
		 uint8_t pk[KEYS_PK_LEN])
{
	const char *p1, *p2;
	uint8_t raw[40], hash[4];
	char hex[9];
	size_t n;

	if (!vkey || !(p1 = strchr(vkey, '+')) || !(p2 = strchr(p1 + 1, '+'))) {
		return -1;
	}
	n = (size_t)(p1 - vkey);
	if (!wname_ok(vkey, n) || p2 - p1 - 1 != 8 ||
	    strspn(p1 + 1, "0123456789abcdef") < 8 || strlen(p2 + 1) != 44 ||
	    keys_b64_decode(p2 + 1, raw, sizeof(raw)) != 1 + KEYS_PK_LEN ||
	    raw[0] != NOTE_TYPE_COSIG) {
		return -1;
	}
	memcpy(name, vkey, n);
	name[n] = '\0';
	note_key_hash(name, NOTE_TYPE_COSIG, raw + 1, hash);
	sodium_bin2hex(hex, sizeof(hex), hash, 4);
	if (memcmp(hex, p1 + 1, 8) != 0) {
		return -1;
	}
	memcpy(pk, raw + 1, KEYS_PK_LEN);
	return 0;
}

void
cosig_vkey_format(const char *name, const uint8_t pk[KEYS_PK_LEN], char *out,
		  size_t outsz)
{
	uint8_t raw[1 + KEYS_PK_LEN], hash[4];
	char hex[9], b64[64];

	raw[0] = NOTE_TYPE_COSIG;
	memcpy(raw + 1, pk, KEYS_PK_LEN);
	note_key_hash(name, NOTE_TYPE_COSIG, pk, hash);
	sodium_bin2hex(hex, sizeof(hex), hash, 4);
	keys_b64_encode(raw, sizeof(raw), b64, sizeof(b64));
	snprintf(out, outsz, "%s+%s+%s", name, hex, b64);
}

/* ---- the registry ---- */

static int
may_register(struct core *c)
{
	if (c->is_system || (c->has_actor &&
			     (c->actor.role == CORE_ROLE_CITY_HR ||
			      c->actor.role == CORE_ROLE_ADMIN))) {
		return 0;
	}
	return core_err(c, CORE_EPERM, NULL,
			_("only city HR or an administrator may register a "
			  "witness key"));
}

int
core_witness_key_add(struct core *c, const char *vkey,
		     struct core_receipt *rc)
{
	char name[WITNESS_NAME_MAX], canon[160], subj[72], reason[200];
	uint8_t pk[KEYS_PK_LEN];
	sqlite3_stmt *st = NULL;
	struct audit_act a;
	uint64_t seq = 0;
	int r, rc2;

	core_err_clear(c);
	if ((r = may_register(c)) != 0) {
		return r;
	}
	if (cosig_vkey_parse(vkey, name, pk) != 0) {
		return core_err(c, CORE_EINVAL, "vkey",
				_("vkey: not a witness key (NAME+HASH+BASE64, "
				  "as `nomdesk witness init` prints it)"));
	}
	cosig_vkey_format(name, pk, canon, sizeof(canon));
	snprintf(subj, sizeof(subj), "witness:%s", name);
	snprintf(reason, sizeof(reason), "witness key %s", canon);
	if ((r = tx_begin(c)) != 0) {
		return r;
	}
	memset(&a, 0, sizeof(a));
	a.act = ACT_WITNESS_KEY;
	a.subject = subj;
	a.reason = reason;
	if ((r = audit_append(c, &a, &seq)) != 0) {
		goto fail;
	}
	if ((r = db_prepare(c, &st,
			    "INSERT INTO witness_key (name, pk, vkey, "
			    "added_by, added_ms, seq) VALUES "
			    "(?1, ?2, ?3, ?4, ?5, ?6)")) != 0) {
		goto fail;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, pk, KEYS_PK_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, canon, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->has_actor ? c->actor.login : "system", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, core_now_ms(c));
	sqlite3_bind_int64(st, 6, (sqlite3_int64)seq);
	rc2 = sqlite3_step(st);
	sqlite3_finalize(st);
	if ((rc2 & 0xff) == SQLITE_CONSTRAINT) {
		r = core_err(c, CORE_EEXIST, "vkey",
			     _("vkey: the witness key of '%s' is registered "
			       "already"),
			     name);
		goto fail;
	}
	if (rc2 != SQLITE_DONE) {
		r = core_err_sql(c, rc2);
		goto fail;
	}
	return tx_commit(c, rc);
fail:
	tx_rollback(c);
	return r;
}

int
core_witness_key_list(struct core *c,
		      int (*cb)(void *ctx, const struct core_witness_key *k),
		      void *ctx)
{
	struct core_witness_key k;
	sqlite3_stmt *st = NULL;
	int r, rc;

	core_err_clear(c);
	if (!c->has_actor && !c->is_system) {
		return core_err(c, CORE_EPERM, NULL,
				_("log in as a user to list witness keys"));
	}
	if ((r = db_prepare(c, &st,
			    "SELECT k.name, k.vkey, k.added_by, k.added_ms, "
			    "k.seq, count(w.line), coalesce(max(w.size), 0) "
			    "FROM witness_key k LEFT JOIN witness_cosig w ON "
			    "w.witness = k.id GROUP BY k.id ORDER BY k.id")) !=
	    0) {
		return r;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&k, 0, sizeof(k));
		db_copy(k.name, sizeof(k.name), st, 0);
		db_copy(k.vkey, sizeof(k.vkey), st, 1);
		db_copy(k.added_by, sizeof(k.added_by), st, 2);
		k.added_ms = sqlite3_column_int64(st, 3);
		k.seq = (uint64_t)sqlite3_column_int64(st, 4);
		k.n_cosigs = (uint64_t)sqlite3_column_int64(st, 5);
		k.last_size = (uint64_t)sqlite3_column_int64(st, 6);
		if ((r = cb(ctx, &k)) != 0) {
			sqlite3_finalize(st);
			return r;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : core_err_sql(c, rc);
}

/* ---- submitting cosignatures ---- */

struct pending {
	int64_t witness; /* witness_key.id */
	uint64_t time;
	const char *line; /* into the submitted note, no LF */
	size_t len;
};

/* 1 if line (len bytes, no LF) is a whole line of the block. */
static int
line_in(const char *block, size_t blen, const char *line, size_t len)
{
	const char *p = block, *end = block + blen, *nl;

	for (; p < end; p = nl + 1) {
		if (!(nl = memchr(p, '\n', (size_t)(end - p)))) {
			nl = end;
		}
		if ((size_t)(nl - p) == len && memcmp(p, line, len) == 0) {
			return 1;
		}
	}
	return 0;
}

/* Decimal, no sign, no leading zero. */
static int
parse_size(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;

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

/*
 * The checkpoint the note's body names, which must be stored with that
 * very body: *stored (malloc'd) and *size.  CORE_ENOENT otherwise.
 */
static int
stored_checkpoint(struct core *c, const char *note, size_t body_len,
		  char **stored, uint64_t *size)
{
	const char *nl1, *nl2;
	sqlite3_stmt *st = NULL;
	size_t ol = strlen(c->origin), sb, so;
	int found, r;

	*stored = NULL;
	nl1 = memchr(note, '\n', body_len);
	if (!nl1 || (size_t)(nl1 - note) != ol || memcmp(note, c->origin, ol)) {
		return core_err(c, CORE_ENOENT, NULL,
				_("the checkpoint is not one of this log's "
				  "(its origin differs)"));
	}
	nl2 = memchr(nl1 + 1, '\n', body_len - (size_t)(nl1 + 1 - note));
	if (!nl2 || parse_size(nl1 + 1, (size_t)(nl2 - nl1 - 1), size) != 0) {
		return core_err(c, CORE_EINVAL, NULL,
				_("malformed checkpoint: bad tree size"));
	}
	if ((r = db_prepare(c, &st, "SELECT note FROM log_checkpoint WHERE "
				   "size = ?1")) != 0) {
		return r;
	}
	sqlite3_bind_int64(st, 1, (sqlite3_int64)*size);
	found = sqlite3_step(st) == SQLITE_ROW;
	if (found && !(*stored = strdup(db_text(st, 0)))) {
		sqlite3_finalize(st);
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	sqlite3_finalize(st);
	if (!found) {
		return core_err(c, CORE_ENOENT, NULL,
				_("this log has no checkpoint at size %" PRIu64),
				*size);
	}
	if (note_split(*stored, strlen(*stored), &sb, &so) != 0 ||
	    sb != body_len || memcmp(*stored, note, sb) != 0) {
		free(*stored);
		*stored = NULL;
		return core_err(c, CORE_ENOENT, NULL,
				_("the checkpoint at size %" PRIu64 " is not "
				  "the one this log signed (its root differs)"),
				*size);
	}
	return 0;
}

/* Finds the registered key a cosignature line claims and checks it. */
static int
check_line(struct core *c, const char *body, size_t body_len, uint64_t size,
	   const char *line, size_t len, struct pending *p)
{
	char name[NOTE_NAME_MAX];
	uint8_t raw[128], hash[4];
	sqlite3_stmt *st = NULL;
	size_t rawlen;
	int known = 0, ok = 0, r;

	if (note_sig_line_parse(line, len, name, sizeof(name), raw, sizeof(raw),
				&rawlen) != 0) {
		return core_err(c, CORE_EINVAL, NULL,
				_("malformed signature line in the "
				  "checkpoint"));
	}
	if (rawlen != NOTE_COSIG_LEN) {
		return core_err(c, CORE_EAUTH, NULL,
				_("the signature by '%s' is not a witness "
				  "cosignature (cosignature/v1)"),
				name);
	}
	if ((r = db_prepare(c, &st,
			    "SELECT id, pk FROM witness_key WHERE name = ?1 "
			    "ORDER BY id")) != 0) {
		return r;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	while (!ok && sqlite3_step(st) == SQLITE_ROW) {
		const uint8_t *pk = sqlite3_column_blob(st, 1);

		if (sqlite3_column_bytes(st, 1) != KEYS_PK_LEN) {
			continue;
		}
		note_key_hash(name, NOTE_TYPE_COSIG, pk, hash);
		if (memcmp(hash, raw, 4) != 0) {
			continue;
		}
		known = 1;
		if (note_cosig_verify(body, body_len, name, pk, raw, rawlen,
				      &p->time) == 0 &&
		    p->time <= (uint64_t)INT64_MAX) {
			ok = 1;
			p->witness = sqlite3_column_int64(st, 0);
		}
	}
	sqlite3_finalize(st);
	if (!known) {
		return core_err(c, CORE_EAUTH, NULL,
				_("a cosignature by '%s', whose key is not "
				  "registered here (`nomdesk audit witness-key "
				  "add`)"),
				name);
	}
	if (!ok) {
		return core_err(c, CORE_EAUTH, NULL,
				_("the cosignature by '%s' does not verify over "
				  "the checkpoint at size %" PRIu64),
				name, size);
	}
	p->line = line;
	p->len = len;
	return 0;
}

static int
store(struct core *c, uint64_t size, const struct pending *p, size_t n,
      size_t *n_stored)
{
	sqlite3_stmt *st = NULL;
	int r = 0, rc;

	rc = sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		return core_err_sql(c, rc);
	}
	rc = SQLITE_DONE;
	if ((r = db_prepare(c, &st,
			    "INSERT OR IGNORE INTO witness_cosig (size, "
			    "witness, time, line, submitted_by, stored_ms) "
			    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")) != 0) {
		goto out;
	}
	for (size_t i = 0; i < n && rc == SQLITE_DONE; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, (sqlite3_int64)size);
		sqlite3_bind_int64(st, 2, p[i].witness);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)p[i].time);
		sqlite3_bind_text(st, 4, p[i].line, (int)p[i].len,
				  SQLITE_STATIC);
		sqlite3_bind_text(st, 5,
				  c->has_actor ? c->actor.login : "system", -1,
				  SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, core_now_ms(c));
		if ((rc = sqlite3_step(st)) == SQLITE_DONE) {
			*n_stored += (size_t)sqlite3_changes(c->db);
		}
	}
	if (rc != SQLITE_DONE) {
		r = core_err_sql(c, rc);
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	rc = sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		r = core_err_sql(c, rc);
	}
out:
	sqlite3_finalize(st);
	if (r != 0) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		*n_stored = 0;
	}
	return r;
}

int
core_cosig_submit(struct core *c, const char *note, size_t len,
		  size_t *n_stored)
{
	struct pending *pend = NULL;
	const char *p, *end, *nl;
	char *stored = NULL;
	size_t body_len, sigs_off, sb, so, n = 0, n_lines = 0;
	uint64_t size = 0;
	int r;

	*n_stored = 0;
	core_err_clear(c);
	if (!c->has_actor && !c->is_system) {
		return core_err(c, CORE_EPERM, NULL,
				_("log in as a user to submit cosignatures"));
	}
	if (c->in_tx) {
		return core_err(c, CORE_EINTERNAL, NULL, "nested transaction");
	}
	if (!note || len == 0 || len > NOTE_MAX || memchr(note, '\0', len) ||
	    note_split(note, len, &body_len, &sigs_off) != 0) {
		return core_err(c, CORE_EINVAL, NULL,
				_("not a cosigned checkpoint (the checkpoint, a "
				  "blank line, signature lines)"));
	}
	if ((r = stored_checkpoint(c, note, body_len, &stored, &size)) != 0) {
		goto out;
	}
	note_split(stored, strlen(stored), &sb, &so);
	if (!(pend = calloc(MAX_LINES, sizeof(*pend)))) {
		r = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
		goto out;
	}
	end = note + len;
	for (p = note + sigs_off; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p)); /* ends in LF */
		if (++n_lines > MAX_LINES) {
			r = core_err(c, CORE_EINVAL, NULL,
				     _("too many signature lines"));
			goto out;
		}
		/* The log's own signature lines, as stored. */
		if (line_in(stored + so, strlen(stored + so), p,
			    (size_t)(nl - p))) {
			continue;
		}
		if ((r = check_line(c, note, body_len, size, p,
				    (size_t)(nl - p), &pend[n])) != 0) {
			goto out;
		}
		n++;
	}
	if (n == 0) {
		r = core_err(c, CORE_EINVAL, NULL,
			     _("the checkpoint carries no witness "
			       "cosignature"));
		goto out;
	}
	r = store(c, size, pend, n, n_stored);
out:
	free(pend);
	free(stored);
	return r;
}
