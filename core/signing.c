/*
 * Personal signing keys (issue #4, audit-log.md 2.8 Mode S and 2.13):
 * enrolment, unlocking, rotation and revocation, and feeding the key
 * registry (core/vreg.c) the log's key entries.
 *
 * Invariants:
 * - keys/ holds every secret; core keeps only an opaque struct userkey
 *   pointer (c->ukey) for the actor who unlocked it, and wipes it after
 *   the next signed act (per-act mode), on core_key_lock() and (through
 *   core_key_lock) on core_close().
 * - The registry is the log: enrolment (ACT_KEY_ENROLL) and rotation
 *   (ACT_KEY_ROTATE) entries carry the public key ("ed25519 <base64>" as
 *   the reason, the key id as statement field 6) and the new key's own
 *   signature (proof of possession); rotation also the old key's;
 *   revocation (ACT_KEY_REVOKE) ends the subject's one active key.
 *   user_key is an index of it holding the sealed records; before a key
 *   signs, core checks it against the registry replayed by the
 *   auditor's rules (core/vreg.c, keyreg_load), so a swapped record or a
 *   re-activated row is refused, and a registry the auditor refuses lets
 *   nobody sign.  Every key act is replayed the same way before it is
 *   written (keyreg_admit), so the server writes none the auditor
 *   refuses.
 * - Failed unlocks count per person (user_key_unlock): 5 in a row lock
 *   unlocking for 15 minutes; every failure is an ACT_SESSION entry.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "core/core_int.h"
#include "core/i18n.h"

#define UNLOCK_TRIES 5
#define UNLOCK_LOCK_MS (15 * 60 * 1000LL)
#define DOC_MAX (256u << 20)

/* The wording of the integrity pledge, version 1: its SHA-256 is an
 * attachment of every pledge, so what was pledged is fixed. */
static const char pledge_v1[] =
	"评审材料真实性承诺书（v1）\n"
	"本人郑重承诺：本人所提交的学术技术带头人选拔推荐申报表及全部评审材料"
	"（含学历学位、专业技术职务、业绩成果、获奖证书及其他证明材料）真实、"
	"准确、完整，无弄虚作假。如有不实，本人自愿接受\u201c一票否决\u201d，"
	"并承担由此产生的一切责任。";

const char *
core_pledge_text(void)
{
	return pledge_v1;
}

void
pledge_text_digest(uint8_t out[32])
{
	crypto_hash_sha256(out, (const uint8_t *)pledge_v1,
			   sizeof(pledge_v1) - 1);
}

/* ---- documents, content-addressed under DATA/docs ---- */

static void
doc_path(struct core *c, const uint8_t digest[32], char *out, size_t outsz)
{
	char hex[65];

	sodium_bin2hex(hex, sizeof(hex), digest, 32);
	snprintf(out, outsz, "%s/docs/%s", c->dir, hex);
}

static int
hash_file(const char *path, uint8_t out[32])
{
	crypto_hash_sha256_state st;
	uint8_t buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0) {
		return -1;
	}
	crypto_hash_sha256_init(&st);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			close(fd);
			return -1;
		}
		crypto_hash_sha256_update(&st, buf, (size_t)n);
	}
	close(fd);
	crypto_hash_sha256_final(&st, out);
	return 0;
}

int
doc_check(struct core *c, const uint8_t digest[32])
{
	char path[PATH_MAX + 80], hex[17];
	uint8_t got[32];

	doc_path(c, digest, path, sizeof(path));
	if (hash_file(path, got) != 0 || sodium_memcmp(got, digest, 32) != 0) {
		sodium_bin2hex(hex, sizeof(hex), digest, 8);
		return core_err(c, CORE_ENOENT, "attachment",
				_("document %s… is not in the document store "
				  "(store the file with the act)"),
				hex);
	}
	return 0;
}

static int
write_all(int fd, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t k = write(fd, p, len);

		if (k < 0 && errno == EINTR) {
			continue;
		}
		if (k <= 0) {
			return -1;
		}
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

int
core_doc_store(struct core *c, const void *data, size_t len,
	       uint8_t digest[32])
{
	char path[PATH_MAX + 80], tmp[PATH_MAX + 80], dir[PATH_MAX + 16];
	int fd = -1, r = CORE_EIO;

	core_err_clear(c);
	if (!c->has_actor && !c->is_system) {
		return core_err(c, CORE_EPERM, NULL,
				_("log in as a user to store a document"));
	}
	if (len == 0 || len > DOC_MAX) {
		return core_err(c, CORE_EINVAL, "attachment",
				_("document: must be 1 byte to 256 MiB"));
	}
	crypto_hash_sha256(digest, data, len);
	doc_path(c, digest, path, sizeof(path));
	if (doc_check(c, digest) == 0) {
		core_err_clear(c);
		return 0; /* content-addressed: already there */
	}
	core_err_clear(c);
	snprintf(dir, sizeof(dir), "%s/docs", c->dir);
	(void)mkdir(dir, 0700);
	snprintf(tmp, sizeof(tmp), "%s/.incoming-XXXXXX", dir);
	if ((fd = mkstemp(tmp)) < 0) {
		goto io;
	}
	if (fchmod(fd, 0600) != 0 || write_all(fd, data, len) != 0 ||
	    fsync(fd) != 0) {
		goto io;
	}
	if (close(fd) != 0) {
		fd = -1;
		goto io;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		goto io;
	}
	tmp[0] = '\0';
	if ((fd = open(dir, O_RDONLY | O_CLOEXEC)) >= 0) {
		(void)fsync(fd);
		close(fd);
		fd = -1;
	}
	return 0;
io:
	r = core_err_file(c, errno, "attachment", _("the document"));
	if (fd >= 0) {
		close(fd);
	}
	if (tmp[0]) {
		unlink(tmp);
	}
	return r;
}

/* ---- the registry, replayed from the log by core/vreg.c ---- */

/* 1 if the index columns of row st (act, actor, subject, time_ms from
 * column 2) say what the entry's bytes say. */
static int
index_matches(sqlite3_stmt *st, const struct entry *e, const struct stmt *s)
{
	const char *actor = (const char *)sqlite3_column_text(st, 3);
	const char *subject = (const char *)sqlite3_column_text(st, 4);

	return sqlite3_column_int(st, 2) == s->act && actor &&
	       strcmp(actor, s->actor) == 0 && subject &&
	       strcmp(subject, s->subject) == 0 &&
	       sqlite3_column_int64(st, 5) == e->server_time;
}

int
keyreg_load(struct core *c, struct vreg *reg)
{
	const char *rule = NULL;
	char why[320];
	struct stmt *s = NULL;
	struct entry e;
	sqlite3_stmt *st = NULL;
	uint64_t seq;
	int r, rc;

	vreg_init(reg);
	if (!(s = malloc(sizeof(*s)))) {
		r = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
		goto out;
	}
	/* The act column finds the rows (replaying every entry on each
	 * signature would not scale); the bytes decide, and the verifier
	 * checks every entry's columns against its bytes. */
	if ((r = db_prepare(c, &st,
			    "SELECT seq, entry, act, actor, subject, time_ms "
			    "FROM log_entry WHERE act IN (100, 101, 102, 110) "
			    "ORDER BY seq")) != 0) {
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		seq = (uint64_t)sqlite3_column_int64(st, 0);
		if (entry_parse(sqlite3_column_blob(st, 1),
				(size_t)sqlite3_column_bytes(st, 1), &e) != 0 ||
		    stmt_parse(e.stmt, e.stmt_len, s) != 0) {
			rule = "parse";
			snprintf(why, sizeof(why),
				 _("entry %" PRIu64 " does not parse as a "
				   "canonical entry"),
				 seq);
			break;
		}
		if (e.seq != seq) {
			rule = "sequence";
			snprintf(why, sizeof(why),
				 _("entry %" PRIu64 ": its bytes say it is "
				   "entry %" PRIu64 " (moved, reordered, or a "
				   "neighbour removed)"),
				 seq, e.seq);
			break;
		}
		if (!index_matches(st, &e, s)) {
			rule = "index";
			snprintf(why, sizeof(why),
				 _("entry %" PRIu64 ": the index columns "
				   "(act, actor, subject, time) differ from "
				   "its bytes"),
				 seq);
			break;
		}
		if ((rc = vreg_replay(reg, &e, s, &rule, why, sizeof(why))) <
		    0) {
			r = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
			goto out;
		}
		if (rc > 0) {
			break;
		}
		rule = NULL;
	}
	if (rule) {
		/* The auditor stops at this entry: nothing after it is
		 * attested, so no key may sign on this registry. */
		r = core_err(c, CORE_ECORRUPT, NULL,
			     _("the key registry in the log breaks the rule "
			       "'%s': %s; no key signs until an auditor has "
			       "looked (`nomdesk audit verify`)"),
			     rule, why);
		goto out;
	}
	if (rc != SQLITE_DONE) {
		r = core_err_sql(c, rc);
		goto out;
	}
	r = 0;
out:
	sqlite3_finalize(st);
	free(s);
	if (r != 0 && r != CORE_ECORRUPT) {
		vreg_release(reg);
	}
	return r;
}

int
keyreg_admit(struct core *c, const struct entry *e, const struct stmt *s)
{
	struct vreg reg;
	const char *rule = NULL;
	char why[320];
	int r, rc;

	if ((r = keyreg_load(c, &reg)) != 0) {
		goto out;
	}
	if ((rc = vreg_replay(&reg, e, s, &rule, why, sizeof(why))) < 0) {
		r = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
		goto out;
	}
	if (rc > 0) {
		/* The host's tables let this act through where the log
		 * does not (a key row edited behind core's back): written,
		 * it would fail the audit. */
		r = core_err(c, CORE_ESTATE,
			     s->act == ACT_LOG_KEY ? "log key" : "login",
			     _("the key registry refuses this act (rule "
			       "'%s'): %s"),
			     rule, why);
		goto out;
	}
	r = 0;
out:
	vreg_release(&reg);
	return r;
}

/* ---- the key table and the unlock counter ---- */

struct key_row {
	uint8_t id[KEYS_HASH_LEN];
	uint8_t pk[KEYS_PK_LEN];
	uint8_t rec[USERKEY_RECORD_MAX];
	size_t rec_len;
	int64_t enrolled_seq;
};

struct target {
	int64_t id;
	char login[CORE_LOGIN_SIZE];
};

static int
find_user(struct core *c, const char *login, struct target *t)
{
	sqlite3_stmt *st = NULL;
	int r;

	memset(t, 0, sizeof(*t));
	if (!login || valid_login(c, "login", login) != 0) {
		return core_err(c, CORE_ENOENT, "login",
				_("login: no user '%s'"), login ? login : "");
	}
	if ((r = db_prepare(c, &st, "SELECT id, login FROM user WHERE "
				    "login = ?1")) != 0) {
		return r;
	}
	sqlite3_bind_text(st, 1, login, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		t->id = sqlite3_column_int64(st, 0);
		db_copy(t->login, sizeof(t->login), st, 1);
	}
	sqlite3_finalize(st);
	if (!t->id) {
		return core_err(c, CORE_ENOENT, "login",
				_("login: no user '%s'"), login);
	}
	return 0;
}

/* The user whose key a call is about: the actor, or LOGIN for the
 * console operator (the person types their passphrase there). */
static int
resolve_target(struct core *c, const char *login, struct target *t)
{
	if (!c->is_system) {
		if (!c->has_actor) {
			return core_err(c, CORE_EPERM, NULL,
					_("log in as a user to manage a "
					  "signing key"));
		}
		if (login && *login && strcmp(login, c->actor.login) != 0) {
			return core_err(c, CORE_EPERM, "login",
					_("only %s themself or the console "
					  "operator may do this to %s's "
					  "signing key"),
					login, login);
		}
		login = c->actor.login;
	}
	return find_user(c, login, t);
}

/* The active key of user uid: 0, CORE_ENOENT (none) or an error. */
static int
active_key(struct core *c, int64_t uid, struct key_row *k)
{
	sqlite3_stmt *st = NULL;
	int r;

	memset(k, 0, sizeof(*k));
	if ((r = db_prepare(c, &st,
			    "SELECT key_id, public_key, record, enrolled_seq "
			    "FROM user_key WHERE user_id = ?1 AND state = "
			    "'active'")) != 0) {
		return r;
	}
	sqlite3_bind_int64(st, 1, uid);
	r = CORE_ENOENT;
	if (sqlite3_step(st) == SQLITE_ROW) {
		r = CORE_ECORRUPT;
		if (sqlite3_column_bytes(st, 0) == KEYS_HASH_LEN &&
		    sqlite3_column_bytes(st, 1) == KEYS_PK_LEN &&
		    sqlite3_column_bytes(st, 2) > 0 &&
		    sqlite3_column_bytes(st, 2) <= USERKEY_RECORD_MAX) {
			memcpy(k->id, sqlite3_column_blob(st, 0), 32);
			memcpy(k->pk, sqlite3_column_blob(st, 1), 32);
			k->rec_len = (size_t)sqlite3_column_bytes(st, 2);
			memcpy(k->rec, sqlite3_column_blob(st, 2), k->rec_len);
			k->enrolled_seq = sqlite3_column_int64(st, 3);
			r = 0;
		}
	}
	sqlite3_finalize(st);
	if (r == CORE_ECORRUPT) {
		return core_err(c, r, NULL,
				_("the signing key record is damaged; tell "
				  "the auditor"));
	}
	return r;
}

static int
exec_done(struct core *c, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : core_err_sql(c, rc);
}

/* Audits an unlock event for t in its own transaction: fail_delta +1
 * counts a failure (lock locks), -1 resets the counter. */
static int
note_unlock(struct core *c, const struct target *t, const char *what,
	    int fail_delta, int lock, const uint8_t *new_record,
	    size_t new_len)
{
	char subj[64];
	sqlite3_stmt *st = NULL;
	struct audit_act a;
	int r;

	if ((r = tx_begin(c)) != 0) {
		return r;
	}
	if (fail_delta != 0) {
		if ((r = db_prepare(
			     c, &st,
			     fail_delta > 0
				     /* a lock that ran out starts the count
				      * again */
				     ? "INSERT INTO user_key_unlock (user_id, "
				       "failed, locked_until) VALUES (?1, 1, "
				       "CASE WHEN ?2 THEN ?3 ELSE 0 END) ON "
				       "CONFLICT(user_id) DO UPDATE SET failed "
				       "= CASE WHEN locked_until != 0 AND "
				       "locked_until <= ?4 THEN 1 ELSE failed + "
				       "1 END, locked_until = CASE WHEN ?2 THEN "
				       "?3 WHEN locked_until <= ?4 THEN 0 ELSE "
				       "locked_until END"
				     : "UPDATE user_key_unlock SET failed = 0, "
				       "locked_until = 0 WHERE user_id = ?1"))
		    != 0) {
			goto fail;
		}
		sqlite3_bind_int64(st, 1, t->id);
		sqlite3_bind_int(st, 2, lock);
		sqlite3_bind_int64(st, 3, core_now_ms(c) + UNLOCK_LOCK_MS);
		sqlite3_bind_int64(st, 4, core_now_ms(c));
		if ((r = exec_done(c, st)) != 0) {
			goto fail;
		}
	}
	if (new_record) {
		if ((r = db_prepare(c, &st,
				    "UPDATE user_key SET record = ?1 WHERE "
				    "user_id = ?2 AND state = 'active'")) != 0) {
			goto fail;
		}
		sqlite3_bind_blob(st, 1, new_record, (int)new_len,
				  SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, t->id);
		if ((r = exec_done(c, st)) != 0) {
			goto fail;
		}
	}
	snprintf(subj, sizeof(subj), "user:%s", t->login);
	memset(&a, 0, sizeof(a));
	a.act = ACT_SESSION;
	a.subject = subj;
	a.reason = what;
	if ((r = audit_append(c, &a, NULL)) != 0) {
		goto fail;
	}
	return tx_commit(c, NULL);
fail:
	tx_rollback(c);
	return r;
}

static void
fmt_local_time(int64_t ms, char *out, size_t outsz)
{
	time_t t = (time_t)(ms / 1000) + 8 * 3600; /* Beijing time */
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, outsz, "%Y-%m-%d %H:%M", &tm);
}

/*
 * Unlocks t's active key with pass: the rate limit, the AEAD, and the
 * check against the registry replayed from the log.  Every failure is
 * audited.  *out is the key (caller frees with userkey_free).
 */
static int
unlock_active(struct core *c, const struct target *t, const char *pass,
	      struct userkey **out)
{
	struct key_row *k = NULL;
	struct userkey *uk = NULL;
	struct userkey_record rec;
	struct userkey_params want;
	struct enc_buf re;
	struct vreg reg;
	const struct vkey *logged;
	sqlite3_stmt *st = NULL;
	uint8_t pk[KEYS_PK_LEN], id[KEYS_HASH_LEN];
	char err[160], what[160], when[32];
	int64_t locked_until = 0;
	int failed = 0, r, u;

	*out = NULL;
	vreg_init(&reg);
	enc_init(&re);
	if (!(k = malloc(sizeof(*k)))) {
		r = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
		goto out;
	}
	if ((r = active_key(c, t->id, k)) != 0) {
		if (r == CORE_ENOENT) {
			r = core_err(c, CORE_ENOENT, NULL,
				     _("%s has no signing key: create one "
				       "with `nomdesk user key init %s`"),
				     t->login, t->login);
		}
		goto out;
	}
	if ((r = db_prepare(c, &st,
			    "SELECT failed, locked_until FROM user_key_unlock "
			    "WHERE user_id = ?1")) != 0) {
		goto out;
	}
	sqlite3_bind_int64(st, 1, t->id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		failed = sqlite3_column_int(st, 0);
		locked_until = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (locked_until > core_now_ms(c)) {
		(void)note_unlock(c, t,
				  "signing key unlock failed (locked after "
				  "too many wrong passphrases)",
				  0, 0, NULL, 0);
		fmt_local_time(locked_until, when, sizeof(when));
		r = core_err(c, CORE_EAUTH, "passphrase",
			     _("signing key locked after too many wrong "
			       "passphrases; try again after %s"),
			     when);
		goto out;
	}
	if (locked_until != 0) {
		failed = 0; /* the lock ran out: counting starts again */
	}
	u = userkey_unlock(k->rec, k->rec_len, pass, &uk, err, sizeof(err));
	if (u == USERKEY_EOPEN) {
		int lock = failed + 1 >= UNLOCK_TRIES;

		snprintf(what, sizeof(what),
			 "signing key unlock failed (wrong passphrase, %d of "
			 "%d)%s",
			 failed + 1, UNLOCK_TRIES,
			 lock ? "; locked for 15 minutes" : "");
		(void)note_unlock(c, t, what, 1, lock, NULL, 0);
		r = core_err(c, CORE_EAUTH, "passphrase",
			     lock ? _("wrong signing passphrase; the key is "
				      "locked for 15 minutes")
				  : _("wrong signing passphrase"));
		goto out;
	}
	if (u != 0) {
		(void)note_unlock(c, t,
				  "signing key unlock failed (damaged key "
				  "record)",
				  0, 0, NULL, 0);
		r = core_err(c, u == USERKEY_EMALFORMED ? CORE_ECORRUPT
						       : CORE_EINTERNAL,
			     NULL,
			     _("cannot unlock the signing key: %s; tell the "
			       "auditor"),
			     err);
		goto out;
	}
	/* The record opened: is it the key the log registered for t? */
	userkey_public(uk, pk);
	userkey_key_id(uk, id);
	if ((r = keyreg_load(c, &reg)) != 0) {
		goto out;
	}
	logged = vreg_user_key(&reg, t->login, id, UINT64_MAX);
	if (!logged || sodium_memcmp(logged->pk, pk, KEYS_PK_LEN) != 0 ||
	    sodium_memcmp(k->id, id, KEYS_HASH_LEN) != 0 ||
	    strcmp(userkey_user(uk), t->login) != 0) {
		(void)note_unlock(c, t,
				  "signing key unlock refused (key record "
				  "does not match the key registered in the "
				  "log)",
				  0, 0, NULL, 0);
		r = core_err(c, CORE_ECORRUPT, NULL,
			     _("the signing key record of %s does not match "
			       "the key registered in the log; it may have "
			       "been swapped: tell the auditor"),
			     t->login);
		goto out;
	}
	/* Stored parameters below this host's setting: seal again. */
	if (userkey_record_parse(k->rec, k->rec_len, &rec) == 0 &&
	    userkey_params_env(&want, NULL, 0) == 0 &&
	    userkey_params_weaker(&rec.params, &want) &&
	    userkey_reseal(k->rec, k->rec_len, pass, NULL, &want, &re, err,
			   sizeof(err)) == 0) {
		snprintf(what, sizeof(what),
			 "signing key sealed again with stronger parameters "
			 "(Argon2id %llu passes, %llu MiB)",
			 (unsigned long long)want.opslimit,
			 (unsigned long long)(want.memlimit >> 20));
		if ((r = note_unlock(c, t, what, failed ? -1 : 0, 0, re.p,
				     re.len)) != 0) {
			goto out;
		}
	} else if (failed > 0) {
		snprintf(what, sizeof(what),
			 "signing key unlocked after %d failed attempts",
			 failed);
		if ((r = note_unlock(c, t, what, -1, 0, NULL, 0)) != 0) {
			goto out;
		}
	}
	*out = uk;
	uk = NULL; /* transferred */
	r = 0;
out:
	vreg_release(&reg);
	userkey_free(uk);
	enc_release(&re);
	free(k);
	return r;
}

/* ---- the public API ---- */

static int
check_passphrase(struct core *c, const char *pass)
{
	size_t n = pass ? strlen(pass) : 0;

	if (n < USERKEY_PASS_MIN || n > USERKEY_PASS_MAX) {
		return core_err(c, CORE_EINVAL, "passphrase",
				_("signing passphrase: must be 8 to 1024 "
				  "bytes"));
	}
	return 0;
}

static int
kdf_params(struct core *c, struct userkey_params *p)
{
	char err[160];

	if (userkey_params_env(p, err, sizeof(err)) != 0) {
		return core_err(c, CORE_EINVAL, "NOMDESK_KDF", "%s", err);
	}
	return 0;
}

static int
insert_key(struct core *c, const struct target *t, const struct userkey *uk,
	   const struct enc_buf *rec, uint64_t seq)
{
	uint8_t pk[KEYS_PK_LEN], id[KEYS_HASH_LEN];
	sqlite3_stmt *st = NULL;
	int r;

	userkey_public(uk, pk);
	userkey_key_id(uk, id);
	if ((r = db_prepare(c, &st,
			    "INSERT INTO user_key (key_id, user_id, "
			    "public_key, record, state, enrolled_seq, "
			    "created_ms) VALUES (?1, ?2, ?3, ?4, 'active', ?5, "
			    "?6)")) != 0) {
		return r;
	}
	sqlite3_bind_blob(st, 1, id, 32, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, t->id);
	sqlite3_bind_blob(st, 3, pk, 32, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 4, rec->p, (int)rec->len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)seq);
	sqlite3_bind_int64(st, 6, core_now_ms(c));
	return exec_done(c, st);
}

static void
pk_reason(const struct userkey *uk, char *out, size_t outsz)
{
	uint8_t pk[KEYS_PK_LEN];
	char b64[64];

	userkey_public(uk, pk);
	keys_b64_encode(pk, KEYS_PK_LEN, b64, sizeof(b64));
	snprintf(out, outsz, "ed25519 %s", b64);
}

int
core_key_enroll(struct core *c, const char *login, const char *passphrase,
		struct core_receipt *rc)
{
	struct userkey_params prm;
	struct userkey *uk = NULL;
	struct enc_buf rec;
	struct key_row *k = NULL;
	struct target t;
	struct audit_act a;
	uint8_t id[KEYS_HASH_LEN];
	char subj[64], reason[96], err[160];
	uint64_t seq = 0;
	int r;

	core_err_clear(c);
	enc_init(&rec);
	if ((r = resolve_target(c, login, &t)) != 0 ||
	    (r = check_passphrase(c, passphrase)) != 0 ||
	    (r = kdf_params(c, &prm)) != 0) {
		goto out;
	}
	if (!(k = malloc(sizeof(*k)))) {
		r = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
		goto out;
	}
	if ((r = active_key(c, t.id, k)) != CORE_ENOENT) {
		if (r == 0) {
			r = core_err(c, CORE_EEXIST, "login",
				     _("%s already has a signing key (rotate "
				       "it with `nomdesk user key rotate %s`)"),
				     t.login, t.login);
		}
		goto out;
	}
	if (userkey_create(t.login, passphrase, &prm, &rec, &uk, err,
			   sizeof(err)) != 0) {
		r = core_err(c, CORE_EINTERNAL, NULL,
			     _("cannot create the signing key: %s"), err);
		goto out;
	}
	userkey_key_id(uk, id);
	pk_reason(uk, reason, sizeof(reason));
	snprintf(subj, sizeof(subj), "user:%s", t.login);
	if ((r = tx_begin(c)) != 0) {
		goto out;
	}
	memset(&a, 0, sizeof(a));
	a.act = ACT_KEY_ENROLL;
	a.subject = subj;
	a.reason = reason;
	a.key_id = id;
	a.cosign[0] = uk; /* proof of possession */
	if ((r = audit_append(c, &a, &seq)) != 0 ||
	    (r = insert_key(c, &t, uk, &rec, seq)) != 0) {
		tx_rollback(c);
		goto out;
	}
	if ((r = tx_commit(c, rc)) != 0) {
		goto out;
	}
	if (rc) {
		rc->seq = seq;
	}
out:
	userkey_free(uk);
	enc_release(&rec);
	free(k);
	return r;
}

int
core_key_rotate(struct core *c, const char *login, const char *old_pass,
		const char *new_pass, struct core_receipt *rc)
{
	struct userkey_params prm;
	struct userkey *old = NULL, *nk = NULL;
	struct enc_buf rec;
	struct target t;
	struct audit_act a;
	sqlite3_stmt *st = NULL;
	uint8_t old_id[KEYS_HASH_LEN], id[KEYS_HASH_LEN];
	char subj[64], reason[96], err[160];
	uint64_t seq = 0;
	int r;

	core_err_clear(c);
	enc_init(&rec);
	if ((r = resolve_target(c, login, &t)) != 0 ||
	    (r = check_passphrase(c, new_pass)) != 0 ||
	    (r = kdf_params(c, &prm)) != 0) {
		goto out;
	}
	if ((r = unlock_active(c, &t, old_pass, &old)) != 0) {
		goto out;
	}
	if (userkey_create(t.login, new_pass, &prm, &rec, &nk, err,
			   sizeof(err)) != 0) {
		r = core_err(c, CORE_EINTERNAL, NULL,
			     _("cannot create the signing key: %s"), err);
		goto out;
	}
	userkey_key_id(old, old_id);
	userkey_key_id(nk, id);
	pk_reason(nk, reason, sizeof(reason));
	snprintf(subj, sizeof(subj), "user:%s", t.login);
	if ((r = tx_begin(c)) != 0) {
		goto out;
	}
	memset(&a, 0, sizeof(a));
	a.act = ACT_KEY_ROTATE;
	a.subject = subj;
	a.reason = reason;
	a.key_id = id;
	a.cosign[0] = old;
	a.cosign[1] = nk;
	if ((r = audit_append(c, &a, &seq)) != 0) {
		goto fail;
	}
	if ((r = db_prepare(c, &st,
			    "UPDATE user_key SET state = 'rotated', "
			    "ended_seq = ?1 WHERE key_id = ?2 AND state = "
			    "'active'")) != 0) {
		goto fail;
	}
	sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	sqlite3_bind_blob(st, 2, old_id, 32, SQLITE_TRANSIENT);
	if ((r = exec_done(c, st)) != 0) {
		goto fail;
	}
	if (sqlite3_changes(c->db) != 1) {
		/* revoked or rotated by another session meanwhile */
		r = core_err(c, CORE_ESTATE, NULL,
			     _("%s has no active signing key"), t.login);
		goto fail;
	}
	if ((r = insert_key(c, &t, nk, &rec, seq)) != 0) {
		goto fail;
	}
	if ((r = tx_commit(c, rc)) != 0) {
		goto out;
	}
	if (rc) {
		rc->seq = seq;
	}
	/* An unlocked copy of the old key must not sign again. */
	if (c->ukey && c->ukey_owner == t.id) {
		core_key_lock(c);
	}
	goto out;
fail:
	tx_rollback(c);
out:
	userkey_free(nk);
	userkey_free(old);
	enc_release(&rec);
	return r;
}

int
core_key_revoke(struct core *c, const char *login, const char *reason,
		struct core_receipt *rc)
{
	struct key_row *k = NULL;
	struct target t;
	struct audit_act a;
	sqlite3_stmt *st = NULL;
	char subj[64], why[4200];
	uint64_t seq = 0;
	int self, r;

	core_err_clear(c);
	if (!login) {
		return core_err(c, CORE_EINVAL, "login", _("login: missing"));
	}
	self = c->has_actor && strcmp(login, c->actor.login) == 0;
	if (!self && (r = authz_admin(c)) != 0) {
		return core_err(c, CORE_EPERM, NULL,
				_("only an administrator or the key's owner "
				  "may revoke a signing key"));
	}
	if ((r = find_user(c, login, &t)) != 0) {
		return r;
	}
	if ((r = valid_text(c, "reason", reason, 4000, 1)) != 0) {
		return r;
	}
	if (!(k = malloc(sizeof(*k)))) {
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	if ((r = active_key(c, t.id, k)) != 0) {
		if (r == CORE_ENOENT) {
			r = core_err(c, CORE_ENOENT, "login",
				     _("%s has no active signing key"),
				     t.login);
		}
		goto out;
	}
	snprintf(subj, sizeof(subj), "user:%s", t.login);
	snprintf(why, sizeof(why), "revoked: %s", reason);
	if ((r = tx_begin(c)) != 0) {
		goto out;
	}
	memset(&a, 0, sizeof(a));
	a.act = ACT_KEY_REVOKE;
	a.subject = subj;
	a.reason = why;
	/* The administrator answers with their own key when it is open;
	 * field 6 names the signer (the log key otherwise).  A person has
	 * one active key, so the subject names the key revoked. */
	a.sign = c->has_actor && c->ukey && c->ukey_owner == c->actor.id;
	if (a.sign && signing_check_active(c) != 0) {
		core_err_clear(c); /* a stale key of theirs: log key only */
		a.sign = 0;
	}
	if ((r = audit_append(c, &a, &seq)) != 0) {
		goto fail;
	}
	if ((r = db_prepare(c, &st,
			    "UPDATE user_key SET state = 'revoked', "
			    "ended_seq = ?1 WHERE key_id = ?2")) != 0) {
		goto fail;
	}
	sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	sqlite3_bind_blob(st, 2, k->id, 32, SQLITE_TRANSIENT);
	if ((r = exec_done(c, st)) != 0) {
		goto fail;
	}
	if ((r = tx_commit(c, rc)) != 0) {
		goto out;
	}
	if (rc) {
		rc->seq = seq;
	}
	if (c->ukey && c->ukey_owner == t.id) {
		core_key_lock(c);
	}
	goto out;
fail:
	tx_rollback(c);
out:
	free(k);
	return r;
}

int
core_key_unlock(struct core *c, const char *passphrase, int for_session)
{
	struct userkey *uk = NULL;
	struct target t;
	int r;

	core_err_clear(c);
	core_key_lock(c);
	if (!c->has_actor) {
		return core_err(c, CORE_EPERM, NULL,
				_("log in as a user to unlock a signing key"));
	}
	t.id = c->actor.id;
	snprintf(t.login, sizeof(t.login), "%s", c->actor.login);
	if ((r = unlock_active(c, &t, passphrase, &uk)) != 0) {
		return r;
	}
	c->ukey = uk;
	c->ukey_owner = c->actor.id;
	c->ukey_session = for_session ? 1 : 0;
	return 0;
}

void
core_key_lock(struct core *c)
{
	if (!c) {
		return;
	}
	userkey_free(c->ukey);
	c->ukey = NULL;
	c->ukey_owner = 0;
	c->ukey_session = 0;
}

int
core_key_enrolled(struct core *c, int *unlocked)
{
	struct key_row *k;
	int on = 0;

	if (unlocked) {
		*unlocked = 0;
	}
	if (!c->has_actor || !(k = malloc(sizeof(*k)))) {
		return 0;
	}
	on = active_key(c, c->actor.id, k) == 0;
	free(k);
	if (unlocked) {
		*unlocked = on && c->ukey && c->ukey_owner == c->actor.id;
	}
	return on;
}

int
core_key_info(struct core *c, const char *login, struct core_key_info *out)
{
	struct key_row *k = NULL;
	struct userkey_record rec;
	sqlite3_stmt *st = NULL;
	struct target t;
	int r;

	core_err_clear(c);
	memset(out, 0, sizeof(*out));
	if (c->has_actor && login && strcmp(login, c->actor.login) != 0 &&
	    c->actor.role != CORE_ROLE_ADMIN &&
	    c->actor.role != CORE_ROLE_AUDITOR) {
		return core_err(c, CORE_EPERM, NULL,
				_("only an administrator or an auditor may "
				  "look at another person's key"));
	}
	if ((r = find_user(c, login && *login
				     ? login
				     : (c->has_actor ? c->actor.login : NULL),
			   &t)) != 0) {
		return r;
	}
	if (!(k = malloc(sizeof(*k)))) {
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	if ((r = active_key(c, t.id, k)) == 0) {
		out->enrolled = 1;
		sodium_bin2hex(out->key_id_hex, sizeof(out->key_id_hex), k->id,
			       32);
		keys_b64_encode(k->pk, 32, out->public_b64,
				sizeof(out->public_b64));
		out->enrolled_seq = (uint64_t)k->enrolled_seq;
		if (userkey_record_parse(k->rec, k->rec_len, &rec) == 0) {
			out->opslimit = rec.params.opslimit;
			out->memlimit = rec.params.memlimit;
		}
	} else if (r != CORE_ENOENT) {
		goto out;
	}
	if ((r = db_prepare(c, &st,
			    "SELECT failed, locked_until FROM user_key_unlock "
			    "WHERE user_id = ?1")) != 0) {
		goto out;
	}
	sqlite3_bind_int64(st, 1, t.id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->failed = sqlite3_column_int(st, 0);
		out->locked_until_ms = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	out->unlocked = c->ukey && c->ukey_owner == t.id;
	r = 0;
out:
	free(k);
	return r;
}

/* ---- signed acts ---- */

int
signing_ready(struct core *c)
{
	if (!c->has_actor) {
		return core_err(c, CORE_EPERM, NULL,
				_("log in as a user to sign"));
	}
	if (!c->ukey || c->ukey_owner != c->actor.id) {
		core_key_lock(c); /* never another person's key */
		return core_err(c, CORE_EAUTH, "passphrase",
				_("unlock your signing key (签名密钥) first"));
	}
	return 0;
}

int
signing_check_active(struct core *c)
{
	struct vreg reg;
	uint8_t id[KEYS_HASH_LEN];
	int r, ok;

	if ((r = signing_ready(c)) != 0) {
		return r;
	}
	userkey_key_id(c->ukey, id);
	if ((r = keyreg_load(c, &reg)) != 0) {
		vreg_release(&reg);
		return r;
	}
	ok = vreg_user_key(&reg, c->actor.login, id, UINT64_MAX) != NULL;
	vreg_release(&reg);
	if (!ok) {
		core_key_lock(c);
		return core_err(c, CORE_EAUTH, "passphrase",
				_("your signing key was rotated or revoked; "
				  "unlock the current one"));
	}
	return 0;
}

void
signing_after_act(struct core *c)
{
	if (c->ukey && !c->ukey_session) {
		core_key_lock(c);
}
}

/* ---- the applicant's own account ---- */

int
core_nominee_set_applicant_seen(struct core *c, int64_t id,
				uint64_t seen_seq, const char *login,
				struct core_receipt *rc)
{
	struct core_dossier *d = NULL;
	uint8_t salt[32];
	char subj[48], why[128];
	sqlite3_stmt *st = NULL;
	struct audit_act a;
	int64_t uid = 0;
	uint64_t seq = 0;
	int r, same_unit = 0;

	core_err_clear(c);
	if (!(d = malloc(sizeof(*d)))) {
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	if ((r = nominee_load(c, id, d, salt, 1)) != 0 ||
	    (r = authz_nominee_write(c, d)) != 0) {
		goto out;
	}
	/* Linking an account is the employing unit's (or city HR's) act:
	 * the unit answers for who the applicant is. */
	if (c->actor.role != CORE_ROLE_UNIT_CLERK &&
	    c->actor.role != CORE_ROLE_CITY_HR) {
		r = core_err(c, CORE_EPERM, NULL,
			     _("role %s may not change nominee %lld"),
			     core_role_name(c->actor.role), (long long)id);
		goto out;
	}
	if (!login || valid_login(c, "applicant", login) != 0) {
		r = core_err(c, CORE_EINVAL, "applicant",
			     _("applicant: no user '%s'"), login ? login : "");
		goto out;
	}
	if ((r = db_prepare(c, &st,
			    "SELECT id, unit = ?2 FROM user WHERE login = ?1 "
			    "AND role = 'applicant'")) != 0) {
		goto out;
	}
	sqlite3_bind_text(st, 1, login, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, d->n.unit, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		uid = sqlite3_column_int64(st, 0);
		same_unit = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	if (!uid) {
		r = core_err(c, CORE_EINVAL, "applicant",
			     _("applicant: '%s' is not an applicant account"),
			     login);
		goto out;
	}
	/* the applicant signs as the nominee: their account must be one
	 * of the nominee's employing unit, never another unit's person */
	if (!same_unit) {
		r = core_err(c, CORE_EINVAL, "applicant",
			     _("applicant: '%s' is not an account of the "
			       "nominee's unit %s"),
			     login, d->n.unit);
		goto out;
	}
	if ((r = tx_begin(c)) != 0) {
		goto out;
	}
	if ((r = nominee_unchanged(c, d, seen_seq)) != 0) {
		goto fail;
	}
	snprintf(subj, sizeof(subj), "nominee:%lld", (long long)id);
	snprintf(why, sizeof(why), "applicant account %s linked", login);
	memset(&a, 0, sizeof(a));
	a.act = ACT_ADMIN;
	a.subject = subj;
	a.version = d->n.version;
	a.digest = d->digest;
	a.reason = why;
	if ((r = audit_append(c, &a, &seq)) != 0) {
		goto fail;
	}
	if ((r = db_prepare(c, &st,
			    "UPDATE nominee SET applicant_user = ?1, seq = ?2 "
			    "WHERE id = ?3")) != 0) {
		goto fail;
	}
	sqlite3_bind_int64(st, 1, uid);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	sqlite3_bind_int64(st, 3, id);
	if ((r = exec_done(c, st)) != 0) {
		goto fail;
	}
	if ((r = tx_commit(c, rc)) == 0 && rc) {
		rc->seq = seq;
	}
	goto out;
fail:
	tx_rollback(c);
out:
	free(d);
	return r;
}

int
core_nominee_set_applicant(struct core *c, int64_t id, const char *login,
			   struct core_receipt *rc)
{
	return core_nominee_set_applicant_seen(c, id, 0, login, rc);
}
