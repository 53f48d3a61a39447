/*
 * The one-vote veto (一票否决, domain.md 1.9) and the dishonesty register.
 *
 * A veto is a signed act of city HR or the auditor/discipline officer,
 * with a reason and evidence digests, from any state of the nominee (a
 * confirmed leader included: the confirmation is revoked by the veto's
 * entry, never erased).  Under the two-signature policy (meta
 * veto_signatures = 2) the first `veto` is pending and blocks every other
 * action until a different person countersigns (`veto_countersign`, the
 * veto takes effect) or cancels it (`veto_cancel`).  `vetoed` is terminal
 * within the round: an appeal is its own signed act (`appeal`: dismissed,
 * the veto stands; `appeal_grant`: granted, the register entry is lifted)
 * and neither leaves `vetoed` (no round policy allows it yet).
 *
 * The veto names the dossier version it judged (the falsified version):
 * the digest in its statement.  Everyone who attested to that digest is
 * listed in the accountability trail (core/trail.c).
 *
 * When a veto takes effect the person goes on the register by a salted
 * hash of the normalized ID number (SHA-256(meta.veto_salt || "\n" ||
 * number)), for 3 years (1,096 days) unless lifted on appeal; every later
 * round checks it at entry.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/core_int.h"
#include "core/i18n.h"

#define REGISTER_MS (1096LL * 24 * 3600 * 1000)

int
veto_policy(struct core *c)
{
	sqlite3_stmt *st = NULL;
	int n = 1, r;

	r = db_row(c, &st,
		   "SELECT value FROM meta WHERE key = 'veto_signatures'",
		   NULL);
	if (r < 0) {
		/* unreadable: fail closed, a veto waits for its second
		 * signature rather than taking effect on one */
		n = 2;
	} else if (r == 1 && strcmp(db_text(st, 0), "2") == 0) {
		n = 2;
	}
	sqlite3_finalize(st);
	return n;
}

int
core_veto_policy_get(struct core *c)
{
	return veto_policy(c);
}

int
core_veto_policy_set(struct core *c, int signatures, struct core_receipt *rc)
{
	char why[64];
	int r;

	core_err_clear(c);
	if ((r = authz_admin(c)) != 0) {
		return r;
	}
	if (signatures != 1 && signatures != 2) {
		return core_err(c, CORE_EINVAL, "signatures",
				_("veto policy: 1 or 2 signatures"));
	}
	if ((r = tx_begin(c)) != 0) {
		return r;
	}
	if ((r = db_exec(c,
	                 "INSERT INTO meta (key, value) VALUES "
	                 "('veto_signatures', ?1) ON CONFLICT(key) DO "
	                 "UPDATE SET value = excluded.value",
	                 "t", signatures == 2 ? "2" : "1")) != 0) {
		goto fail;
	}
	snprintf(why, sizeof(why), "veto_signatures = %d", signatures);
	if ((r = audit_record(c, ACT_ADMIN, NULL, why, "policy:veto")) != 0) {
		goto fail;
	}
	return tx_commit(c, rc);
fail:
	tx_rollback(c);
	return r;
}

/* SHA-256(salt || "\n" || normalized number): spaces dropped, x -> X. */
static int
id_hash(struct core *c, const char *id_number, uint8_t out[32])
{
	crypto_hash_sha256_state h;
	uint8_t salt[32];
	char norm[32];
	size_t n = 0, got = 0;
	sqlite3_stmt *st = NULL;
	int ok = 0;

	for (const char *p = id_number; *p && n + 1 < sizeof(norm); p++) {
		if (*p == ' ' || *p == '\t') {
			continue;
		}
		norm[n++] = *p == 'x' ? 'X' : *p;
	}
	norm[n] = '\0';
	if (db_row(c, &st, "SELECT value FROM meta WHERE key = 'veto_salt'",
	           NULL) == 1 &&
	    sodium_hex2bin(salt, sizeof(salt), db_text(st, 0),
	                   strlen(db_text(st, 0)), NULL, &got, NULL) == 0 &&
	    got == sizeof(salt)) {
		ok = 1;
	}
	sqlite3_finalize(st);
	if (!ok) {
		return core_err(c, CORE_ECORRUPT, NULL,
				"the register's salt (meta.veto_salt) is "
				"missing");
	}
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, salt, sizeof(salt));
	crypto_hash_sha256_update(&h, (const uint8_t *)"\n", 1);
	crypto_hash_sha256_update(&h, (const uint8_t *)norm, n);
	crypto_hash_sha256_final(&h, out);
	return 0;
}

int
veto_register_check(struct core *c, const char *id_number)
{
	uint8_t h[32];
	char until[16], round[CORE_CODE_SIZE];
	sqlite3_stmt *st = NULL;
	int64_t seq = -1, expires = 0;
	int r;

	if (!id_number || !*id_number) {
		return 0;
	}
	if ((r = id_hash(c, id_number, h)) != 0) {
		return r;
	}
	if ((r = db_query(c, &st,
	                  "SELECT r.seq, r.expires_ms, COALESCE(ro.code, "
	                  "'?') FROM veto_register r LEFT JOIN round ro ON "
	                  "ro.id = r.round_id WHERE r.id_hash = ?1 AND "
	                  "r.lifted_seq = -1 AND r.expires_ms > ?2 ORDER BY "
	                  "r.expires_ms DESC LIMIT 1",
	                  "bi", h, (size_t)32, (int64_t)core_now_ms(c))) != 0) {
		return r;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		seq = sqlite3_column_int64(st, 0);
		expires = sqlite3_column_int64(st, 1);
		db_copy(round, sizeof(round), st, 2);
	}
	sqlite3_finalize(st);
	if (seq < 0) {
		return 0;
	}
	{
		time_t t = (time_t)(expires / 1000) + 8 * 3600;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(until, sizeof(until), "%Y-%m-%d", &tm);
	}
	return core_err(c, CORE_EPERM, "id_number",
			_("ID number: this person is on the dishonesty "
			  "register (one-vote veto in round %s, log entry "
			  "#%lld) until %s"),
			round, (long long)seq, until);
}

int
core_veto_register_check(struct core *c, const char *id_number)
{
	core_err_clear(c);
	if (!c->has_actor && !c->is_system) {
		return core_err(c, CORE_EPERM, NULL,
				_("log in as a user to check the register"));
	}
	return veto_register_check(c, id_number);
}

int64_t
veto_pending(struct core *c, int64_t nominee_id, int64_t *first_by)
{
	sqlite3_stmt *st = NULL;
	int64_t id = 0;

	if (first_by) {
		*first_by = 0;
	}
	if (db_row(c, &st,
	           "SELECT id, first_by FROM veto WHERE nominee_id = ?1 "
	           "AND state = 'pending'",
	           "i", nominee_id) == 1) {
		id = sqlite3_column_int64(st, 0);
		if (first_by) {
			*first_by = sqlite3_column_int64(st, 1);
		}
	}
	sqlite3_finalize(st);
	return id;
}

static int
is(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

int
veto_offered(struct core *c, const char *action, const struct core_dossier *d)
{
	int64_t first_by = 0;
	int pending = veto_pending(c, d->n.id, &first_by) != 0;

	if (is(action, "veto_countersign")) {
		return pending && first_by != c->actor.id;
	}
	if (is(action, "veto_cancel")) {
		return pending;
	}
	return !pending;
}

int
veto_prepare(struct core *c, const char *action, const struct core_dossier *d,
	     const char **to)
{
	int64_t first_by = 0, pending = veto_pending(c, d->n.id, &first_by);
	sqlite3_stmt *st = NULL;
	int same = 0;

	if (is(action, "veto")) {
		if (pending) {
			return core_err(c, CORE_ESTATE, NULL,
					_("nominee %lld: a veto already "
					  "awaits its second signature "
					  "(veto_countersign)"),
					(long long)d->n.id);
		}
		*to = veto_policy(c) == 2 ? d->n.state
					   : core_state_code(CORE_ST_VETOED);
		return 0;
	}
	if (is(action, "veto_countersign") || is(action, "veto_cancel")) {
		if (!pending) {
			return core_err(c, CORE_ESTATE, NULL,
					_("nominee %lld has no veto awaiting "
					  "a second signature"),
					(long long)d->n.id);
		}
		if (is(action, "veto_cancel")) {
			*to = d->n.state;
			return 0;
		}
		if (first_by == c->actor.id) {
			return core_err(c, CORE_EPERM, NULL,
					_("the second signature of a veto "
					  "must be another person's"));
		}
		same =
		    db_row(c, &st, "SELECT digest = ?2 FROM veto WHERE id = ?1",
		           "ib", pending, d->digest, (size_t)32) == 1 &&
		    sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (!same) {
			return core_err(c, CORE_ESTATE, NULL,
					_("nominee %lld: the dossier changed "
					  "since the first signature; cancel "
					  "and veto again"),
					(long long)d->n.id);
		}
		*to = core_state_code(CORE_ST_VETOED);
		return 0;
	}
	if (pending) {
		return core_err(c, CORE_ESTATE, NULL,
				_("nominee %lld: a veto awaits its second "
				  "signature; only veto_countersign or "
				  "veto_cancel may follow"),
				(long long)d->n.id);
	}
	return 0;
}

/* The veto takes effect at entry seq: objections closed, register. */
static int
take_effect(struct core *c, const struct core_dossier *d, uint64_t seq)
{
	uint8_t h[32];
	int r;

	if ((r = db_exec(c,
	                 "UPDATE objection SET outcome = 'vetoed', "
	                 "closed_ms = ?1 WHERE nominee_id = ?2 AND outcome "
	                 "= ''",
	                 "ii", (int64_t)core_now_ms(c), (int64_t)d->n.id)) !=
	    0) {
		return r;
	}
	/* A draft without an ID number cannot be listed; the veto stands
	 * in the log and the trail all the same. */
	if (!d->id_number[0] || strchr(d->id_number, '*')) {
		return 0;
	}
	if ((r = id_hash(c, d->id_number, h)) != 0) {
		return r;
	}
	return db_exec(
	    c,
	    "INSERT INTO veto_register (id_hash, round_id, "
	    "nominee_id, seq, listed_ms, expires_ms) SELECT "
	    "?1, round_id, id, ?2, ?3, ?4 FROM nominee WHERE "
	    "id = ?5",
	    "biiii", h, (size_t)32, (int64_t)seq, (int64_t)core_now_ms(c),
	    (int64_t)(core_now_ms(c) + REGISTER_MS), (int64_t)d->n.id);
}

int
veto_apply(struct core *c, const char *action, const struct core_dossier *d,
	   const char *reason, const uint8_t (*attach)[32], size_t n_attach,
	   uint64_t seq)
{
	int64_t pending, vid;
	int effective, r;

	if (is(action, "veto")) {
		effective = veto_policy(c) == 1;
		if ((r = db_exec(
		         c,
		         "INSERT INTO veto (nominee_id, round_id, state, "
		         "prior_state, version, digest, reason, first_by, "
		         "first_seq, created_ms) SELECT id, round_id, ?2, "
		         "?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM nominee WHERE "
		         "id = ?1",
		         "ittibtiii", (int64_t)d->n.id,
		         effective ? "effective" : "pending", d->n.state,
		         (int64_t)d->n.version, d->digest, (size_t)32, reason,
		         c->actor.id, (int64_t)seq, (int64_t)core_now_ms(c))) !=
		    0) {
			return r;
		}
		vid = sqlite3_last_insert_rowid(c->db);
		for (size_t i = 0; i < n_attach; i++) {
			if ((r = db_exec(c,
			                 "INSERT OR IGNORE INTO veto_evidence "
			                 "(veto_id, sha256) VALUES (?1, "
			                 "?2)",
			                 "ib", vid, attach[i], (size_t)32)) !=
			    0) {
				return r;
			}
		}
		return effective ? take_effect(c, d, seq) : 0;
	}
	if (is(action, "veto_countersign") || is(action, "veto_cancel")) {
		pending = veto_pending(c, d->n.id, NULL);
		effective = is(action, "veto_countersign");
		if ((r = db_exec(c,
		                 "UPDATE veto SET state = ?2, second_by = "
		                 "?3, second_seq = ?4 WHERE id = ?1",
		                 "itii", pending,
		                 effective ? "effective" : "cancelled",
		                 c->actor.id, (int64_t)seq)) != 0) {
			return r;
		}
		return effective ? take_effect(c, d, seq) : 0;
	}
	if (is(action, "appeal") || is(action, "appeal_grant")) {
		int grant = is(action, "appeal_grant");

		if ((r = db_exec(c,
		                 "UPDATE veto SET appeal = ?2, appeal_seq = "
		                 "?3 WHERE nominee_id = ?1 AND state = "
		                 "'effective'",
		                 "iti", (int64_t)d->n.id,
		                 grant ? "granted" : "dismissed",
		                 (int64_t)seq)) != 0 ||
		    !grant) {
			return r;
		}
		return db_exec(c,
		               "UPDATE veto_register SET lifted_seq = ?2 "
		               "WHERE nominee_id = ?1 AND lifted_seq = "
		               "-1",
		               "ii", (int64_t)d->n.id, (int64_t)seq);
	}
	return 0;
}
