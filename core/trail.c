/*
 * The accountability trail of one nominee (谁查验、谁负责): every act on
 * the nominee in log order, read from the log's own bytes, each with its
 * signer, role, unit, the dossier version and digest it covers, and how
 * its signatures stand against the key registry replayed from the log
 * at that act's own sequence number (audit-log.md 2.13).
 *
 * Definitions:
 * - an act attests when it is a pledge (electronic or paper) or a
 *   verification, review or investigation outcome that passes (decision
 *   1); it vouches for the digest it names;
 * - it is voided when that digest is not the nominee's current one (the
 *   dossier was edited since: the new version needs a new attestation);
 * - the falsified version is the one a veto names (the digest in the
 *   veto's statement); the verifiers are the attesting acts over it whose
 *   signature is not invalid.
 * Only the nominee's own acts ("nominee:N") make the trail: a panel's
 * acts ("panel:P/nominee:N") are read through core_audit_log and the
 * panel screens.  Each entry still passes log_entry_visible()
 * (core/authz_log.c), the one rule every reader of the log applies.
 * Nothing here writes.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"

struct trail_row {
	struct core_trail_item it;
	uint8_t digest[32];
};

static int
attests(const struct stmt *s)
{
	if (s->act == ACT_PLEDGE || s->act == ACT_PLEDGE_PAPER) {
		return 1;
	}
	return s->decision == 1 &&
	       (s->act == ACT_VERIFICATION || s->act == ACT_REVIEW ||
		s->act == ACT_TRANSITION);
}

/* The workflow action a reason starts with ("unit_review: ..."). */
static void
action_of(const char *reason, char *out, size_t outsz)
{
	char a[32];
	size_t n = strcspn(reason, ":");

	out[0] = '\0';
	if (n == 0 || n >= sizeof(a)) {
		return;
	}
	memcpy(a, reason, n);
	a[n] = '\0';
	if (wf_action_known(a)) {
		snprintf(out, outsz, "%s", a);
}
}

static void
judge(struct core *c, const struct vreg *reg, const struct entry *e,
      const struct stmt *s, struct core_trail_item *it)
{
	uint8_t logpk[KEYS_PK_LEN], logid[KEYS_HASH_LEN];
	int personal = 0, by_actor = 0;

	const struct vkey *lk = vreg_log_at(reg, e->seq);

	/* The key in force at this entry: after a rotation c->logkey is
	 * the new one, and every earlier entry was signed by an older. */
	if (lk) {
		memcpy(logpk, lk->pk, KEYS_PK_LEN);
		memcpy(logid, lk->id, KEYS_HASH_LEN);
	} else {
		signer_public(c->logkey, logpk);
		memcpy(logid, c->logkey_id, KEYS_HASH_LEN);
	}
	it->sig = CORE_SIG_UNSIGNED;
	if (e->n_sigs < 1 ||
	    memcmp(e->sigs[0].key_id, logid, KEYS_HASH_LEN) != 0 ||
	    keys_verify(logpk, e->stmt, e->stmt_len, e->sigs[0].sig) != 0) {
		it->sig = CORE_SIG_INVALID;
		snprintf(it->sig_detail, sizeof(it->sig_detail),
			 "log signature does not verify");
		return;
	}
	for (uint8_t i = 1; i < e->n_sigs; i++) {
		const struct vkey *k =
			vreg_user_key(reg, s->actor, e->sigs[i].key_id, e->seq);

		personal++;
		if (!k) {
			it->sig = CORE_SIG_INVALID;
			snprintf(it->sig_detail, sizeof(it->sig_detail),
				 "key not registered to %.32s at entry %llu",
				 s->actor, (unsigned long long)e->seq);
			return;
		}
		if (keys_verify(k->pk, e->stmt, e->stmt_len,
				e->sigs[i].sig) != 0) {
			it->sig = CORE_SIG_INVALID;
			snprintf(it->sig_detail, sizeof(it->sig_detail),
				 "signature does not verify");
			return;
		}
		if (memcmp(k->id, s->actor_key_id, KEYS_HASH_LEN) == 0) {
			by_actor = 1;
		}
	}
	if (!personal) {
		return;
	}
	if (!by_actor) {
		it->sig = CORE_SIG_INVALID;
		snprintf(it->sig_detail, sizeof(it->sig_detail),
			 "statement names another key");
		return;
	}
	it->sig = CORE_SIG_VALID;
}

static void
actor_name(struct core *c, const char *login, char *out, size_t outsz)
{
	sqlite3_stmt *st = NULL;

	out[0] = '\0';
	if (db_row(c, &st, "SELECT name FROM user WHERE login = ?1", "t",
	           login) == 1) {
		db_copy(out, outsz, st, 0);
	}
	sqlite3_finalize(st);
}

int
core_audit_trail(struct core *c, int64_t id,
		 int (*head)(void *ctx, const struct core_trail_head *h),
		 int (*item)(void *ctx, const struct core_trail_item *t),
		 void *ctx)
{
	struct core_dossier *d = NULL;
	struct core_trail_head h;
	struct trail_row *rows = NULL;
	struct vreg reg;
	struct log_scope ls;
	struct stmt *s = NULL;
	struct entry e;
	sqlite3_stmt *st = NULL;
	uint8_t salt[32], cur[32], veto[32] = {0};
	size_t n = 0, cap = 0;
	char subj[48];
	int r, have_veto = 0;

	core_err_clear(c);
	vreg_init(&reg);
	memset(&h, 0, sizeof(h));
	memset(cur, 0, sizeof(cur));
	if (!(d = malloc(sizeof(*d))) || !(s = malloc(sizeof(*s)))) {
		r = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
		goto out;
	}
	/* A dossier that fails verify-on-read is exactly when the trail is
	 * needed: shown all the same. */
	if ((r = nominee_load(c, id, d, salt, 1)) != 0 && r != CORE_ECORRUPT) {
		goto out;
	}
	core_err_clear(c);
	/* A registry the auditor refuses part of still shows what it
	 * accepts: signatures by keys after the break show as invalid. */
	if ((r = keyreg_load(c, &reg)) != 0 && r != CORE_ECORRUPT) {
		goto out;
	}
	core_err_clear(c);
	log_scope_init(&ls);
	snprintf(subj, sizeof(subj), "nominee:%lld", (long long)id);
	if ((r = db_query(c, &st,
	                  "SELECT seq, entry FROM log_entry WHERE subject = "
	                  "?1 ORDER BY seq",
	                  "t", subj)) != 0) {
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct core_trail_item *it;

		if (entry_parse(sqlite3_column_blob(st, 1),
				(size_t)sqlite3_column_bytes(st, 1), &e) != 0 ||
		    stmt_parse(e.stmt, e.stmt_len, s) != 0 ||
		    strcmp(s->subject, subj) != 0 ||
		    e.seq != (uint64_t)sqlite3_column_int64(st, 0)) {
			r = core_err(c, CORE_ECORRUPT, NULL,
				     _("log entry %lld does not parse"),
				     (long long)sqlite3_column_int64(st, 0));
			goto out;
		}
		if (!log_entry_visible(c, &ls, s)) {
			continue;
		}
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 32;
			struct trail_row *p = realloc(rows, nc * sizeof(*p));

			if (!p) {
				r = core_err(c, CORE_EINTERNAL, NULL,
					     "out of memory");
				goto out;
			}
			rows = p;
			cap = nc;
		}
		memset(&rows[n], 0, sizeof(rows[n]));
		it = &rows[n].it;
		memcpy(rows[n].digest, s->digest, 32);
		it->seq = e.seq;
		it->time_ms = e.server_time;
		snprintf(it->actor, sizeof(it->actor), "%s", s->actor);
		actor_name(c, s->actor, it->actor_name, sizeof(it->actor_name));
		it->role = s->actor_role == 0xff ? -1 : s->actor_role;
		snprintf(it->unit, sizeof(it->unit), "%s", s->unit);
		it->act = s->act;
		it->decision = s->decision;
		action_of(s->reason, it->action, sizeof(it->action));
		it->version = s->version;
		sodium_bin2hex(it->digest_hex, sizeof(it->digest_hex),
			       s->digest, 32);
		sodium_bin2hex(it->key_id_hex, sizeof(it->key_id_hex),
			       s->actor_key_id, 8);
		snprintf(it->reason, sizeof(it->reason), "%s", s->reason);
		it->n_attach = s->n_attach;
		for (uint16_t i = 0; i < s->n_attach && i < 16; i++) {
			sodium_bin2hex(it->attach_hex[i],
				       sizeof(it->attach_hex[i]), s->attach[i],
				       32);
		}
		judge(c, &reg, &e, s, it);
		it->attests = attests(s);
		memcpy(cur, s->digest, 32);
		h.version = s->version;
		if (s->act == ACT_VETO && s->decision == 4) {
			memcpy(veto, s->digest, 32);
			h.veto_version = s->version;
			have_veto = 1;
		}
		n++;
	}
	sqlite3_finalize(st);
	st = NULL;

	h.id = id;
	snprintf(h.name, sizeof(h.name), "%s", d->n.name);
	snprintf(h.state, sizeof(h.state), "%s", d->n.state);
	sodium_bin2hex(h.digest_hex, sizeof(h.digest_hex), cur, 32);
	/* Under the two-signature policy a pending veto names a version
	 * too, but nobody is answerable until it takes effect. */
	h.vetoed = have_veto && core_state_parse(d->n.state) == CORE_ST_VETOED;
	if (h.vetoed) {
		sodium_bin2hex(h.veto_digest_hex, sizeof(h.veto_digest_hex),
			       veto, 32);
	}
	for (size_t i = 0; i < n; i++) {
		struct core_trail_item *it = &rows[i].it;

		it->current = memcmp(rows[i].digest, cur, 32) == 0;
		it->voided = it->attests && !it->current;
		it->verifier = h.vetoed && it->attests &&
			       it->sig != CORE_SIG_INVALID &&
			       memcmp(rows[i].digest, veto, 32) == 0;
		h.n_verifiers += (size_t)it->verifier;
	}
	r = 0;
	if (head && (r = head(ctx, &h)) != 0) {
		goto out;
	}
	for (size_t i = 0; i < n && item; i++) {
		if ((r = item(ctx, &rows[i].it)) != 0) {
			goto out;
		}
	}
out:
	sqlite3_finalize(st);
	vreg_release(&reg);
	free(rows);
	free(s);
	free(d);
	return r;
}
