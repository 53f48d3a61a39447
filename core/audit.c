/*
 * The append-only log: every mutation appends one entry (canonical bytes,
 * keys/stmt.c) as a leaf of an RFC 6962 tree; tx_commit() signs the
 * checkpoint.  The stored frontier makes each append O(log n).
 *
 * Every entry carries the log key's signature, the server's attestation
 * of who was logged in.  A legally meaningful act (audit_act.sign) adds
 * the actor's own signature from their unlocked key, and statement field
 * 6 names that key; key management adds the signatures of the keys it
 * registers (proof of possession) or retires.  Each personal signature
 * is verified before the entry is written (audit-log.md 2.6 step 2).
 */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/core_int.h"

int
audit_load(struct core *c)
{
	sqlite3_stmt *st = NULL;
	int r;

	if ((r = db_row(c, &st, "SELECT value FROM meta WHERE key = 'origin'",
	                NULL)) < 0) {
		return r;
	}
	if (r == 1) {
		db_copy(c->origin, sizeof(c->origin), st, 0);
	}
	sqlite3_finalize(st);
	if (c->origin[0] == '\0') {
		return core_err(c, CORE_ECORRUPT, NULL,
				"the log has no origin (meta.origin)");
	}
	return 0;
}

static int
load_frontier(struct core *c, struct merkle_frontier *f)
{
	sqlite3_stmt *st = NULL;
	int r;

	merkle_frontier_init(f);
	if ((r = db_row(c, &st, "SELECT frontier FROM log_state WHERE id = 1",
	                NULL)) < 0) {
		return r;
	}
	if (r == 1 &&
	    merkle_frontier_load(f, sqlite3_column_blob(st, 0),
	                         (size_t)sqlite3_column_bytes(st, 0)) != 0) {
		r = core_err(c, CORE_ECORRUPT, NULL,
			     "the stored log frontier is malformed");
	} else {
		r = 0;
	}
	sqlite3_finalize(st);
	return r;
}

int
audit_tree_head(struct core *c, uint64_t *size, uint8_t root[32])
{
	struct merkle_frontier f;
	int r;

	if ((r = load_frontier(c, &f)) != 0) {
		return r;
	}
	*size = f.size;
	merkle_frontier_root(&f, root);
	return 0;
}

/* Adds k's signature over the statement, checked before it is used. */
static int
add_personal_sig(struct core *c, struct entry *e, const struct userkey *k,
		 const struct enc_buf *sb)
{
	struct entry_sig *sig;
	uint8_t pk[KEYS_PK_LEN];

	if (!k || e->n_sigs >= ENTRY_MAX_SIGS) {
		return core_err(c, CORE_EINTERNAL, NULL,
				"no signing key for a signed act");
	}
	sig = &e->sigs[e->n_sigs];
	sig->alg = 1;
	userkey_key_id(k, sig->key_id);
	userkey_public(k, pk);
	if (userkey_sign(k, sb->p, sb->len, sig->sig) != 0 ||
	    keys_verify(pk, sb->p, sb->len, sig->sig) != 0) {
		return core_err(c, CORE_EINTERNAL, NULL,
				"the signing key did not produce a valid "
				"signature");
	}
	e->n_sigs++;
	return 0;
}

static int
store_frontier(struct core *c, const struct merkle_frontier *f)
{
	uint8_t blob[8 + 64 * 32];

	merkle_frontier_save(f, blob);
	return db_exec(c,
	               "INSERT INTO log_state (id, frontier) VALUES "
	               "(1, ?1) ON CONFLICT(id) DO UPDATE SET "
	               "frontier = excluded.frontier",
	               "b", (const void *)blob, merkle_frontier_size(f));
}

static void
fill_statement(struct core *c, const struct audit_act *a, uint64_t size,
	       const uint8_t root[32], struct stmt *s)
{
	memset(s, 0, sizeof(*s));
	s->suite = 2;
	snprintf(s->origin, sizeof(s->origin), "%s", c->origin);
	s->act = a->act;
	if (c->has_actor) {
		snprintf(s->actor, sizeof(s->actor), "%s", c->actor.login);
		s->actor_role = (uint8_t)c->actor.role;
		snprintf(s->unit, sizeof(s->unit), "%s", c->actor.unit);
	} else {
		snprintf(s->actor, sizeof(s->actor), "system");
		s->actor_role = 0xff;
	}
	if (a->key_id) {
		memcpy(s->actor_key_id, a->key_id, KEYS_HASH_LEN);
	} else if (a->sign && c->ukey) {
		userkey_key_id(c->ukey, s->actor_key_id);
	} else {
		memcpy(s->actor_key_id, c->logkey_id, KEYS_HASH_LEN);
	}
	snprintf(s->subject, sizeof(s->subject), "%s",
		 a->subject ? a->subject : "");
	s->version = a->version;
	if (a->prev_digest) {
		memcpy(s->prev_digest, a->prev_digest, 32);
	}
	if (a->digest) {
		memcpy(s->digest, a->digest, 32);
	}
	s->decision = a->decision;
	snprintf(s->reason, sizeof(s->reason), "%s",
		 a->reason ? a->reason : "");
	s->n_attach = a->n_attach;
	for (uint16_t i = 0; i < a->n_attach && i < STMT_MAX_ATTACH; i++) {
		memcpy(s->attach[i], a->attach[i], 32);
	}
	s->client_time = core_now_ms(c);
	/* suite 2: the transaction's start, the size of the checkpoint that
	 * ended the one before (the verifier requires it to be stored) */
	if (c->tx_entries == 0) {
		c->tx_seen_size = size;
		memcpy(c->tx_seen_root, root, 32);
	}
	s->seen_size = c->tx_seen_size;
	memcpy(s->seen_root, c->tx_seen_root, 32);
	randombytes_buf(s->nonce, sizeof(s->nonce));
}

int
audit_append(struct core *c, const struct audit_act *a, uint64_t *seq_out)
{
	struct merkle_frontier f;
	struct enc_buf sb, eb;
	struct stmt *s = NULL;
	struct entry e;
	uint8_t root[32], leaf[32];
	int r = CORE_EINTERNAL;

	enc_init(&sb);
	enc_init(&eb);
	if (!c->in_tx) {
		r = core_err(c, CORE_EINTERNAL, NULL,
			     "audit entry outside a transaction");
		goto out;
	}
	if ((r = load_frontier(c, &f)) != 0) {
		goto out;
	}
	merkle_frontier_root(&f, root);
	s = sodium_malloc(sizeof(*s)); /* large; not secret, but off-stack */
	if (!s) {
		r = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
		goto out;
	}
	fill_statement(c, a, f.size, root, s);
	if (stmt_encode(s, &sb) != 0) {
		r = core_err(c, CORE_EINVAL, "reason",
			     "text cannot be recorded (invalid characters)");
		goto out;
	}
	memset(&e, 0, sizeof(e));
	e.seq = f.size;
	e.server_time = core_now_ms(c);
	e.stmt = sb.p;
	e.stmt_len = sb.len;
	e.n_sigs = 1;
	e.sigs[0].alg = 1;
	memcpy(e.sigs[0].key_id, c->logkey_id, KEYS_HASH_LEN);
	if ((r = logkey_recall(c)) != 0) {
		goto out;
	}
	if (signer_sign(c->logkey, sb.p, sb.len, e.sigs[0].sig) != 0) {
		r = core_err(c, CORE_EINTERNAL, NULL, "cannot sign entry");
		goto out;
	}
	if (a->sign && (r = add_personal_sig(c, &e, c->ukey, &sb)) != 0) {
		goto out;
	}
	for (size_t i = 0; i < 2; i++) {
		if (a->cosign[i] &&
		    (r = add_personal_sig(c, &e, a->cosign[i], &sb)) != 0) {
			goto out;
		}
	}
	if (entry_encode(&e, &eb) != 0) {
		r = core_err(c, CORE_EINTERNAL, NULL, "cannot encode entry");
		goto out;
	}
	/* Nothing the server writes may fail the audit: a key act is
	 * replayed by the auditor's rules before it is stored. */
	if ((a->act == ACT_KEY_ENROLL || a->act == ACT_KEY_ROTATE ||
	     a->act == ACT_KEY_REVOKE || a->act == ACT_LOG_KEY) &&
	    (r = keyreg_admit(c, &e, s)) != 0) {
		goto out;
	}
	merkle_leaf_hash(eb.p, eb.len, leaf);
	if ((r = db_exec(c,
	                 "INSERT INTO log_entry (seq, entry, leaf, act, "
	                 "actor, subject, time_ms) VALUES "
	                 "(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	                 "ibbdtti", (int64_t)e.seq, (const void *)eb.p, eb.len,
	                 (const void *)leaf, (size_t)32, (int)a->act, s->actor,
	                 s->subject, (int64_t)e.server_time)) != 0) {
		goto out;
	}
	merkle_frontier_append(&f, leaf);
	if ((r = store_frontier(c, &f)) != 0) {
		goto out;
	}
	c->tx_entries++;
	if (seq_out) {
		*seq_out = e.seq;
	}
	r = 0;
out:
	sodium_free(s);
	enc_release(&eb);
	enc_release(&sb);
	return r;
}

int
audit_record(struct core *c, uint16_t act, uint64_t *seq, const char *reason,
             const char *subject_fmt, ...)
{
	struct audit_act a;
	char subj[sizeof(((struct stmt *)0)->subject)];
	va_list ap;

	va_start(ap, subject_fmt);
	vsnprintf(subj, sizeof(subj), subject_fmt, ap);
	va_end(ap);
	memset(&a, 0, sizeof(a));
	a.act = act;
	a.subject = subj;
	a.reason = reason;
	return audit_append(c, &a, seq);
}
