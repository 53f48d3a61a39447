/*
 * Personal signing keys and signed acts through core/ (issue #4):
 * enrolment, unlocking and its rate limit, per-act and session modes,
 * entries carrying the actor's signature besides the log's, rotation and
 * revocation, a swapped key record, the applicant's own pledge and the
 * trail marking a pledge voided by a later edit.  Argon2id runs at the
 * "interactive" floor (NOMDESK_KDF=interactive) to keep this fast.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "core/core.h"
#include "core/core_int.h" /* the forged-entry test plays a patched host */
#include "keys/keys.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"

static int64_t now_ms;

static int64_t
test_clock(void *ctx)
{
	(void)ctx;
	return now_ms;
}

#define T0 1604282400000LL /* 2020-11-02 10:00 +08:00 */
#define MIN 60000LL

static char dir[512];

static void
make_dir(void)
{
	char err[256];

	setenv("NOMDESK_KDF", "interactive", 1);
	snprintf(dir, sizeof(dir), "%s/data", test_tmpdir());
	if (core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
	now_ms = T0;
}

static struct core *
open_core(void)
{
	struct core *c = NULL;
	char err[256];

	if (core_open(&c, dir, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "open: %s", err);
		exit(1);
	}
	core_set_clock(c, test_clock, NULL);
	return c;
}

static struct core *
as(const char *login)
{
	struct core *c = open_core();

	if (core_act_as(c, login) != 0) {
		test_fail(__FILE__, __LINE__, "act as %s", login);
		exit(1);
	}
	return c;
}

static struct core *
console(void)
{
	struct core *c = open_core();

	core_act_as_system(c, "root");
	return c;
}

static void
pass_of(const char *login, char out[64])
{
	snprintf(out, 64, "签名口令 of %s", login);
}

static void
enroll(const char *login)
{
	struct core *c = console();
	char pw[64];

	pass_of(login, pw);
	if (core_key_enroll(c, login, pw, NULL) != 0)
		test_fail(__FILE__, __LINE__, "enroll %s: %s", login,
			  core_errmsg(c));
	core_close(c);
}

static void
unlock(struct core *c, const char *login, int session)
{
	char pw[64];

	pass_of(login, pw);
	if (core_key_unlock(c, pw, session) != 0)
		test_fail(__FILE__, __LINE__, "unlock %s: %s", login,
			  core_errmsg(c));
}

static int n_people;

static int64_t
complete_nominee(void)
{
	struct core *c = as("pc_clerk");
	struct core_nominee_new n = {"李明", "男", "1975-03-02", "主任医师",
				     NULL};
	char idn[19];
	int64_t id = 0;

	/* one nomination per person: each call is another person */
	fixture_id_number("19750302", 123 + n_people++, idn);
	CHECK_INT(core_nominee_add(c, &n, &id, NULL), 0);
	CHECK_INT(fixture_complete(c, id, idn), 0);
	core_close(c);
	return id;
}

/* The paper pledge with its scan, in handle c (key already unlocked). */
static int
pledge_paper(struct core *c, int64_t id, struct core_receipt *rc,
	     uint8_t scan[32])
{
	static const char png[] = "\x89PNG scan of the signed 承诺书";
	struct core_act_opts o = {0};
	uint8_t d[1][32];
	int r;

	if ((r = core_doc_store(c, png, sizeof(png) - 1, d[0])) != 0)
		return r;
	if (scan)
		memcpy(scan, d[0], 32);
	o.attach = (const uint8_t(*)[32])d;
	o.n_attach = 1;
	return core_act_ex(c, id, "pledge_paper", NULL, &o, rc);
}

/* The stored entry seq, parsed (entry borrows buf). */
static int
load_entry(uint64_t seq, uint8_t *buf, size_t bufsz, size_t *len,
	   struct entry *e, struct stmt *s)
{
	char path[600];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int r = -1;

	snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT entry FROM log_entry WHERE seq = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (size_t)sqlite3_column_bytes(st, 0) <= bufsz) {
		*len = (size_t)sqlite3_column_bytes(st, 0);
		memcpy(buf, sqlite3_column_blob(st, 0), *len);
		if (entry_parse(buf, *len, e) == 0 &&
		    stmt_parse(e->stmt, e->stmt_len, s) == 0)
			r = 0;
	}
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return r;
}

static int
count_entries(const char *reason_like)
{
	char path[600];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	struct stmt *s = malloc(sizeof(*s));
	struct entry e;
	int n = 0;

	snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
	if (s && sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
			 SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT entry FROM log_entry ORDER BY seq",
			       -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			if (entry_parse(sqlite3_column_blob(st, 0),
					(size_t)sqlite3_column_bytes(st, 0),
					&e) == 0 &&
			    stmt_parse(e.stmt, e.stmt_len, s) == 0 &&
			    strstr(s->reason, reason_like))
				n++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(s);
	return n;
}

static int
exec_sql(const char *sql)
{
	char path[600];
	sqlite3 *db = NULL;
	int rc;

	snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

/* XORs byte off of login's stored key record with x (a DBA's edit). */
static int
flip_record_byte(const char *login, size_t off, uint8_t x)
{
	char path[600];
	uint8_t rec[USERKEY_RECORD_MAX];
	size_t len = 0;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int r = -1;

	snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "SELECT k.record FROM user_key k JOIN user u ON "
			       "u.id = k.user_id WHERE u.login = ?1 AND "
			       "k.state = 'active'",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (size_t)sqlite3_column_bytes(st, 0) <= sizeof(rec)) {
		len = (size_t)sqlite3_column_bytes(st, 0);
		memcpy(rec, sqlite3_column_blob(st, 0), len);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (off >= len)
		goto out;
	rec[off] ^= x;
	if (sqlite3_prepare_v2(db,
			       "UPDATE user_key SET record = ?1 WHERE state = "
			       "'active' AND user_id = (SELECT id FROM user "
			       "WHERE login = ?2)",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_blob(st, 1, rec, (int)len, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, login, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_DONE)
		r = 0;
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return r;
}

/* ---- the trail, collected ---- */

static void
trail_get(const char *login, int64_t id, struct fixture_trail *tr)
{
	struct core *c = as(login);

	CHECK_INT(fixture_trail_get(c, id, tr), 0);
	core_close(c);
}

/* ---- tests ---- */

static void
test_sign__enroll_unlock_lock(void)
{
	struct core *c;
	struct core_key_info ki;
	uint8_t buf[70000], pk[32], id[32];
	struct stmt *s = malloc(sizeof(*s));
	struct core_receipt rc;
	struct entry e;
	size_t len;
	int unlocked = -1;
	char pw[64];

	make_dir();
	c = console();
	pass_of("pc_clerk", pw);
	CHECK_INT(core_key_enroll(c, "pc_clerk", "short", NULL), CORE_EINVAL);
	CHECK_INT(core_key_enroll(c, "nobody", pw, NULL), CORE_ENOENT);
	CHECK_INT(core_key_enroll(c, "pc_clerk", pw, &rc), 0);
	CHECK_INT(core_key_enroll(c, "pc_clerk", pw, NULL), CORE_EEXIST);
	core_close(c);

	/* the enrolment entry: log key + the new key (proof of possession) */
	CHECK(s != NULL);
	CHECK_INT(load_entry(rc.seq, buf, sizeof(buf), &len, &e, s), 0);
	CHECK_INT(s->act, ACT_KEY_ENROLL);
	CHECK_STR(s->subject, "user:pc_clerk");
	CHECK_STR(s->actor, "system");
	CHECK_INT(e.n_sigs, 2);
	CHECK(strncmp(s->reason, "ed25519 ", 8) == 0);
	CHECK_INT(keys_b64_decode(s->reason + 8, pk, sizeof(pk)), 32);
	keys_key_id(1, pk, id);
	CHECK(memcmp(id, s->actor_key_id, 32) == 0);
	CHECK(memcmp(e.sigs[1].key_id, id, 32) == 0);
	CHECK_INT(keys_verify(pk, e.stmt, e.stmt_len, e.sigs[1].sig), 0);

	c = as("pc_clerk");
	CHECK_INT(core_key_enrolled(c, &unlocked), 1);
	CHECK_INT(unlocked, 0);
	CHECK_INT(core_key_unlock(c, "wrong passphrase", 1), CORE_EAUTH);
	CHECK_INT(core_key_enrolled(c, &unlocked), 1);
	CHECK_INT(unlocked, 0);
	unlock(c, "pc_clerk", 1);
	CHECK_INT(core_key_enrolled(c, &unlocked), 1);
	CHECK_INT(unlocked, 1);
	CHECK_INT(core_key_info(c, NULL, &ki), 0);
	CHECK_INT(ki.enrolled, 1);
	CHECK_INT(ki.unlocked, 1);
	CHECK_INT(ki.opslimit, 2);
	CHECK_INT(ki.enrolled_seq, rc.seq);
	core_key_lock(c);
	CHECK_INT(core_key_enrolled(c, &unlocked), 1);
	CHECK_INT(unlocked, 0);
	/* another person's key: not by a user, only at the console */
	CHECK_INT(core_key_enroll(c, "city_hr", pw, NULL), CORE_EPERM);
	CHECK_INT(core_key_info(c, "city_hr", &ki), CORE_EPERM);
	core_close(c);

	/* self-enrolment, and switching actors never carries a key over */
	c = as("city_hr");
	CHECK_INT(core_key_enrolled(c, NULL), 0);
	pass_of("city_hr", pw);
	CHECK_INT(core_key_enroll(c, NULL, pw, NULL), 0);
	unlock(c, "city_hr", 1);
	CHECK_INT(core_act_as(c, "auditor"), 0);
	CHECK_INT(core_key_enrolled(c, &unlocked), 0);
	CHECK_INT(unlocked, 0);
	CHECK_INT(core_act(c, 1, "veto", "x", NULL) != 0, 1);
	core_close(c);
	free(s);
}

static void
test_sign__wrong_passphrase_rate_limit(void)
{
	struct core *c;
	char pw[64];

	make_dir();
	enroll("pc_clerk");
	c = as("pc_clerk");
	for (int i = 0; i < 5; i++)
		CHECK_INT(core_key_unlock(c, "not my passphrase", 0),
			  CORE_EAUTH);
	CHECK(strstr(core_errmsg(c), "15") != NULL); /* locked: said so */
	/* now even the right passphrase is refused, without a KDF run */
	pass_of("pc_clerk", pw);
	CHECK_INT(core_key_unlock(c, pw, 0), CORE_EAUTH);
	CHECK_INT(count_entries("signing key unlock failed"), 6);
	now_ms += 16 * MIN;
	/* the lock ran out: one more wrong passphrase does not lock again */
	CHECK_INT(core_key_unlock(c, "not my passphrase", 0), CORE_EAUTH);
	CHECK(strstr(core_errmsg(c), "15") == NULL);
	CHECK_INT(count_entries("wrong passphrase, 1 of 5"), 2);
	CHECK_INT(core_key_unlock(c, pw, 0), 0);
	CHECK_INT(count_entries("unlocked after 1 failed attempts"), 1);
	core_close(c);
	c = as("pc_clerk");
	CHECK_INT(core_key_unlock(c, pw, 0), 0);
	CHECK_INT(count_entries("unlocked after"), 1); /* nothing to reset */
	core_close(c);
}

static void
test_sign__signed_act_has_two_signatures(void)
{
	struct core *c;
	struct signer *lk = NULL;
	struct core_key_info ki;
	struct core_receipt rc;
	uint8_t buf[70000], lpk[32], upk[32], scan[32], text[32], lid[32];
	struct stmt *s = malloc(sizeof(*s));
	struct entry e;
	char path[600], err[200], hex[65];
	size_t len;
	int64_t id;

	make_dir();
	enroll("pc_clerk");
	id = complete_nominee();
	c = as("pc_clerk");
	unlock(c, "pc_clerk", 0);
	CHECK_INT(pledge_paper(c, id, &rc, scan), 0);
	CHECK_INT(core_key_info(c, NULL, &ki), 0);
	core_close(c);

	snprintf(path, sizeof(path), "%s/keys/log.key", dir);
	CHECK_INT(signer_load_file(&lk, path, err, sizeof(err)), 0);
	if (!lk || !s)
		return;
	signer_public(lk, lpk);
	signer_key_id(lk, lid);
	CHECK_INT(keys_b64_decode(ki.public_b64, upk, sizeof(upk)), 32);
	CHECK_INT(load_entry(rc.seq, buf, sizeof(buf), &len, &e, s), 0);
	CHECK_INT(s->act, ACT_PLEDGE_PAPER);
	CHECK_INT(e.n_sigs, 2);
	CHECK(memcmp(e.sigs[0].key_id, lid, 32) == 0);
	CHECK_INT(keys_verify(lpk, e.stmt, e.stmt_len, e.sigs[0].sig), 0);
	CHECK_INT(keys_verify(upk, e.stmt, e.stmt_len, e.sigs[1].sig), 0);
	sodium_bin2hex(hex, sizeof(hex), e.sigs[1].key_id, 32);
	CHECK_STR(hex, ki.key_id_hex);
	/* field 6 names the person's key, not the log's */
	CHECK(memcmp(s->actor_key_id, e.sigs[1].key_id, 32) == 0);
	CHECK_STR(s->actor, "pc_clerk");
	/* the scan and the pledge wording are attachments */
	CHECK_INT(s->n_attach, 2);
	CHECK(memcmp(s->attach[0], scan, 32) == 0);
	crypto_hash_sha256(text, (const uint8_t *)core_pledge_text(),
			   strlen(core_pledge_text()));
	CHECK(memcmp(s->attach[1], text, 32) == 0);
	/* the act names the tree it was made over (fields 18-19) */
	CHECK_INT(s->seen_size, rc.seq);
	/* a workflow act changes nothing: same version, previous zeros */
	{
		static const uint8_t zero[32];

		CHECK(memcmp(s->prev_digest, zero, 32) == 0);
		CHECK(memcmp(s->digest, zero, 32) != 0);
	}
	/* the document is stored content-addressed */
	sodium_bin2hex(hex, sizeof(hex), scan, 32);
	snprintf(path, sizeof(path), "%s/docs/%s", dir, hex);
	CHECK(access(path, R_OK) == 0);
	signer_free(lk);
	free(s);
}

static void
test_sign__unsigned_action_refused_without_key(void)
{
	struct core *c;
	int64_t id;

	make_dir();
	id = complete_nominee();
	c = as("pc_clerk");
	CHECK_INT(core_action_signed("pledge_paper"), 1);
	CHECK_INT(core_action_signed("unit_review"), 1);
	CHECK_INT(core_action_signed("veto"), 1);
	CHECK_INT(core_action_signed("submit"), 0);
	CHECK_INT(core_action_signed("open_local_notice"), 0);
	CHECK_INT(core_action_signed("nonsense"), 0);
	/* no key at all */
	CHECK_INT(pledge_paper(c, id, NULL, NULL), CORE_EAUTH);
	CHECK(strstr(core_errmsg(c), "签名密钥") != NULL);
	core_close(c);
	enroll("pc_clerk");
	/* a key, but locked */
	c = as("pc_clerk");
	CHECK_INT(pledge_paper(c, id, NULL, NULL), CORE_EAUTH);
	/* without a scan, or a word on where the paper form is kept, the
	 * paper pledge is refused before signing */
	unlock(c, "pc_clerk", 1);
	CHECK_INT(core_act(c, id, "pledge_paper", NULL, NULL), CORE_EINVAL);
	CHECK_STR(core_errfield(c), "reason");
	CHECK_INT(core_act(c, id, "pledge_paper", "纸质原件存本单位人事科", NULL),
		  0);
	core_close(c);
}

static void
test_sign__per_act_mode_wipes_after_one_act(void)
{
	struct core *c;
	int unlocked = -1;
	int64_t id;

	make_dir();
	enroll("pc_clerk");
	id = complete_nominee();
	c = as("pc_clerk");
	unlock(c, "pc_clerk", 0);
	CHECK_INT(pledge_paper(c, id, NULL, NULL), 0);
	CHECK_INT(core_key_enrolled(c, &unlocked), 1);
	CHECK_INT(unlocked, 0);
	CHECK_INT(core_act(c, id, "unit_review", NULL, NULL), CORE_EAUTH);
	/* a failed signed act uses up the unlock too */
	unlock(c, "pc_clerk", 0);
	CHECK_INT(core_act(c, id, "screen", NULL, NULL), CORE_EPERM);
	CHECK_INT(core_key_enrolled(c, &unlocked), 1);
	CHECK_INT(unlocked, 0);
	/* session mode: until locked */
	unlock(c, "pc_clerk", 1);
	CHECK_INT(core_act(c, id, "unit_review", NULL, NULL), 0);
	CHECK_INT(core_act(c, id, "submit", NULL, NULL), 0);
	CHECK_INT(core_key_enrolled(c, &unlocked), 1);
	CHECK_INT(unlocked, 1);
	core_key_lock(c);
	CHECK_INT(core_key_enrolled(c, &unlocked), 1);
	CHECK_INT(unlocked, 0);
	core_close(c);
}

static void
test_sign__rotation_and_revocation(void)
{
	struct core *c, *held;
	struct fixture_trail tr;
	struct core_key_info before, after;
	char oldpw[64], newpw[] = "新的签名口令 2021";
	int64_t id;

	make_dir();
	enroll("pc_clerk");
	pass_of("pc_clerk", oldpw);
	id = complete_nominee();
	c = as("pc_clerk");
	unlock(c, "pc_clerk", 0);
	CHECK_INT(pledge_paper(c, id, NULL, NULL), 0);
	CHECK_INT(core_key_info(c, NULL, &before), 0);
	core_close(c);
	/* a session that unlocked the old key before the rotation */
	held = as("pc_clerk");
	unlock(held, "pc_clerk", 1);

	c = console();
	CHECK_INT(core_key_rotate(c, "pc_clerk", "wrong old passphrase",
				  newpw, NULL),
		  CORE_EAUTH);
	CHECK_INT(core_key_rotate(c, "pc_clerk", oldpw, newpw, NULL), 0);
	CHECK_INT(core_key_info(c, "pc_clerk", &after), 0);
	CHECK(strcmp(before.key_id_hex, after.key_id_hex) != 0);
	core_close(c);

	/* the old key, still unlocked elsewhere, is refused */
	CHECK_INT(core_act(held, id, "unit_review", NULL, NULL), CORE_EAUTH);
	CHECK(strstr(core_errmsg(held), "rotated or revoked") != NULL ||
	      strstr(core_errmsg(held), "轮换") != NULL);
	core_close(held);
	c = as("pc_clerk");
	CHECK_INT(core_key_unlock(c, oldpw, 0), CORE_EAUTH);
	CHECK_INT(core_key_unlock(c, newpw, 1), 0);
	CHECK_INT(core_act(c, id, "unit_review", NULL, NULL), 0);
	core_close(c);

	/* revocation by the console operator */
	held = as("pc_clerk");
	CHECK_INT(core_key_unlock(held, newpw, 1), 0);
	c = console();
	CHECK_INT(core_key_revoke(c, "pc_clerk", "", NULL), CORE_EINVAL);
	CHECK_INT(core_key_revoke(c, "pc_clerk", "调离岗位", NULL), 0);
	CHECK_INT(core_key_revoke(c, "pc_clerk", "again", NULL), CORE_ENOENT);
	core_close(c);
	CHECK_INT(core_act(held, id, "submit", NULL, NULL), 0); /* unsigned */
	CHECK_INT(core_act(held, id, "withdraw", "x", NULL), 0);
	core_close(held);
	c = as("pc_clerk");
	CHECK_INT(core_key_unlock(c, newpw, 0), CORE_ENOENT);
	core_close(c);

	/* every signature judged against the key valid at its own entry */
	trail_get("auditor", id, &tr);
	CHECK(fixture_trail_find(&tr, "pledge_paper", 0) != NULL &&
	      fixture_trail_find(&tr, "pledge_paper", 0)->sig == CORE_SIG_VALID);
	CHECK(fixture_trail_find(&tr, "unit_review", 0) != NULL &&
	      fixture_trail_find(&tr, "unit_review", 0)->sig == CORE_SIG_VALID);
	CHECK(fixture_trail_find(&tr, "submit", 0) != NULL &&
	      fixture_trail_find(&tr, "submit", 0)->sig == CORE_SIG_UNSIGNED);
	free(tr.it);
}

static void
test_sign__swapped_key_record(void)
{
	struct core *c;
	struct fixture_trail tr;
	struct userkey *theirs = NULL;
	char pw[64], err[160];
	uint8_t rec[USERKEY_RECORD_MAX];
	size_t rec_len = 0;
	int64_t id;

	make_dir();
	enroll("pc_clerk");
	enroll("yg_clerk");
	id = complete_nominee();
	/* a DBA (colluding with yg_clerk) puts yg_clerk's record in
	 * pc_clerk's row */
	CHECK_INT(exec_sql("UPDATE user_key SET record = (SELECT k.record "
			   "FROM user_key k JOIN user u ON u.id = k.user_id "
			   "WHERE u.login = 'yg_clerk') WHERE user_id = "
			   "(SELECT id FROM user WHERE login = 'pc_clerk')"),
		  0);
	c = as("pc_clerk");
	pass_of("pc_clerk", pw);
	CHECK_INT(core_key_unlock(c, pw, 0), CORE_EAUTH);
	/* with the accomplice's passphrase the record opens, but it is not
	 * the key the log registered for pc_clerk */
	pass_of("yg_clerk", pw);
	CHECK_INT(core_key_unlock(c, pw, 0), CORE_ECORRUPT);
	CHECK(strstr(core_errmsg(c), "pc_clerk") != NULL);
	core_close(c);
	/* the header of the record is bound too: one byte of the user id
	 * ("yg_clerk" -> "xg_clerk") and it no longer opens */
	CHECK_INT(flip_record_byte("yg_clerk", 21, 'y' ^ 'x'), 0);
	c = as("yg_clerk");
	pass_of("yg_clerk", pw);
	CHECK_INT(core_key_unlock(c, pw, 0), CORE_EAUTH);
	CHECK_INT(flip_record_byte("yg_clerk", 21, 'y' ^ 'x'), 0);
	unlock(c, "yg_clerk", 0);
	core_close(c);

	/* a patched host signs as pc_clerk with yg_clerk's key anyway */
	{
		char path[600];
		sqlite3 *db = NULL;
		sqlite3_stmt *st = NULL;

		snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
		CHECK(sqlite3_open(path, &db) == SQLITE_OK);
		CHECK(sqlite3_prepare_v2(db,
					 "SELECT k.record FROM user_key k JOIN "
					 "user u ON u.id = k.user_id WHERE "
					 "u.login = 'yg_clerk'",
					 -1, &st, NULL) == SQLITE_OK);
		if (sqlite3_step(st) == SQLITE_ROW) {
			rec_len = (size_t)sqlite3_column_bytes(st, 0);
			memcpy(rec, sqlite3_column_blob(st, 0), rec_len);
		}
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	pass_of("yg_clerk", pw);
	CHECK_INT(userkey_unlock(rec, rec_len, pw, &theirs, err, sizeof(err)),
		  0);
	c = as("pc_clerk");
	c->ukey = theirs; /* what the patch does */
	c->ukey_owner = c->actor.id;
	c->ukey_session = 1;
	/* the unpatched check refuses it */
	CHECK_INT(pledge_paper(c, id, NULL, NULL), CORE_EAUTH);
	CHECK(c->ukey == NULL); /* and wiped it */
	CHECK_INT(userkey_unlock(rec, rec_len, pw, &theirs, err, sizeof(err)),
		  0);
	c->ukey = theirs;
	c->ukey_owner = c->actor.id;
	c->ukey_session = 1;
	{
		struct audit_act a;
		uint64_t seq = 0;

		memset(&a, 0, sizeof(a));
		a.act = ACT_VERIFICATION;
		a.subject = "nominee:1";
		a.version = 2;
		a.decision = 1;
		a.reason = "unit_review";
		a.sign = 1;
		CHECK_INT(tx_begin(c), 0);
		CHECK_INT(audit_append(c, &a, &seq), 0);
		CHECK_INT(tx_commit(c, NULL), 0);
	}
	core_close(c);
	/* the auditor sees it */
	CHECK_INT(id, 1);
	trail_get("auditor", id, &tr);
	CHECK(fixture_trail_find(&tr, "unit_review", 0) != NULL);
	if (fixture_trail_find(&tr, "unit_review", 0)) {
		CHECK_INT(fixture_trail_find(&tr, "unit_review", 0)->sig,
			  CORE_SIG_INVALID);
		CHECK(strstr(fixture_trail_find(&tr, "unit_review", 0)->sig_detail,
			     "not registered to pc_clerk") != NULL);
	}
	free(tr.it);
}

static void
test_sign__edit_after_pledge_voids_it(void)
{
	struct core *c;
	struct fixture_trail tr;
	struct core_field_value v = {"phone", "0352-1234567"};
	const struct core_trail_item *p0, *p1;
	int64_t id;

	make_dir();
	enroll("pc_clerk");
	id = complete_nominee();
	c = as("pc_clerk");
	unlock(c, "pc_clerk", 1);
	CHECK_INT(pledge_paper(c, id, NULL, NULL), 0);
	trail_get("pc_clerk", id, &tr);
	p0 = fixture_trail_find(&tr, "pledge_paper", 0);
	CHECK(p0 && p0->attests && p0->current && !p0->voided &&
	      p0->sig == CORE_SIG_VALID);
	free(tr.it);

	CHECK_INT(core_nominee_edit(c, id, &v, 1, NULL), 0);
	trail_get("pc_clerk", id, &tr);
	p0 = fixture_trail_find(&tr, "pledge_paper", 0);
	CHECK(p0 && p0->attests && !p0->current && p0->voided);
	CHECK_STR(tr.h.state, "draft");
	free(tr.it);

	/* the new version needs, and gets, a new pledge */
	CHECK_INT(core_act(c, id, "unit_review", NULL, NULL), CORE_ESTATE);
	CHECK_INT(pledge_paper(c, id, NULL, NULL), 0);
	trail_get("pc_clerk", id, &tr);
	p0 = fixture_trail_find(&tr, "pledge_paper", 0);
	p1 = fixture_trail_find(&tr, "pledge_paper", 1);
	CHECK(p0 && p0->voided);
	CHECK(p1 && p1->current && !p1->voided);
	CHECK(p0 && p1 && p1->version == p0->version + 1);
	CHECK(p0 && p1 && strcmp(p0->digest_hex, p1->digest_hex) != 0);
	free(tr.it);
	core_close(c);
}

static int
has_action(void *ctx, const char *action, const char *label,
	   int needs_reason)
{
	(void)label;
	(void)needs_reason;
	if (strcmp(action, "pledge") == 0)
		*(int *)ctx = 1;
	return 0;
}

static void
test_sign__applicant_signs_own_pledge(void)
{
	int offered = 0;
	struct core *c;
	struct fixture_trail tr;
	const struct core_trail_item *p;
	int64_t id, other;

	make_dir();
	enroll("applicant_wu");
	id = complete_nominee();
	other = complete_nominee();
	c = as("applicant_wu");
	unlock(c, "applicant_wu", 1);
	CHECK_INT(core_act(c, id, "pledge", NULL, NULL), CORE_ENOENT);
	core_close(c);
	/* an applicant account of another unit is somebody else */
	{
		struct core_user_new u = {"app_yg", "王某", CORE_ROLE_APPLICANT,
					  "140214-e001", NULL};

		c = console();
		CHECK_INT(core_user_add(c, &u, NULL), 0);
		core_close(c);
	}
	c = as("pc_clerk");
	CHECK_INT(core_nominee_set_applicant(c, id, "pc_clerk", NULL),
		  CORE_EINVAL);
	CHECK_INT(core_nominee_set_applicant(c, id, "app_yg", NULL),
		  CORE_EINVAL);
	CHECK_STR(core_errfield(c), "applicant");
	CHECK_INT(core_nominee_set_applicant(c, id, "applicant_wu", NULL), 0);
	core_close(c);
	c = as("applicant_wu");
	CHECK_INT(core_actions_available(c, other, has_action, &offered),
		  CORE_ENOENT);
	CHECK_INT(core_actions_available(c, id, has_action, &offered), 0);
	CHECK_INT(offered, 1);
	CHECK_INT(core_act(c, other, "pledge", NULL, NULL), CORE_ENOENT);
	core_key_lock(c);
	CHECK_INT(core_act(c, id, "pledge", NULL, NULL), CORE_EAUTH);
	unlock(c, "applicant_wu", 0);
	CHECK_INT(core_act(c, id, "pledge", NULL, NULL), 0);
	core_close(c);
	trail_get("city_hr", id, &tr);
	p = fixture_trail_find(&tr, "pledge", 0);
	CHECK(p && p->sig == CORE_SIG_VALID && p->attests && p->current);
	CHECK(p && p->act == ACT_PLEDGE && p->role == CORE_ROLE_APPLICANT);
	CHECK(p && p->n_attach == 1); /* the pledge wording */
	CHECK_STR(tr.h.state, "pledged");
	free(tr.it);
}

static void
test_sign__weak_record_sealed_again_on_unlock(void)
{
	struct core *c;
	struct core_key_info ki;
	char pw[64];

	make_dir();
	enroll("auditor"); /* interactive */
	setenv("NOMDESK_KDF", "moderate", 1);
	c = as("auditor");
	pass_of("auditor", pw);
	CHECK_INT(core_key_unlock(c, pw, 0), 0);
	CHECK_INT(core_key_info(c, NULL, &ki), 0);
	CHECK_INT(ki.opslimit, 3);
	CHECK_INT(ki.memlimit, 256ULL << 20);
	core_key_lock(c);
	setenv("NOMDESK_KDF", "interactive", 1);
	CHECK_INT(core_key_unlock(c, pw, 0), 0); /* the stored cost holds */
	core_close(c);
	CHECK_INT(count_entries("sealed again with stronger parameters"), 1);
	setenv("NOMDESK_KDF", "bogus", 1);
	c = console();
	CHECK_INT(core_key_enroll(c, "city_hr", pw, NULL), CORE_EINVAL);
	CHECK_STR(core_errfield(c), "NOMDESK_KDF");
	core_close(c);
}

static const struct test_case tests_sign[] = {
	{"sign__enroll_unlock_lock", test_sign__enroll_unlock_lock},
	{"sign__wrong_passphrase_rate_limit",
	 test_sign__wrong_passphrase_rate_limit},
	{"sign__signed_act_has_two_signatures",
	 test_sign__signed_act_has_two_signatures},
	{"sign__unsigned_action_refused_without_key",
	 test_sign__unsigned_action_refused_without_key},
	{"sign__per_act_mode_wipes_after_one_act",
	 test_sign__per_act_mode_wipes_after_one_act},
	{"sign__rotation_and_revocation", test_sign__rotation_and_revocation},
	{"sign__swapped_key_record", test_sign__swapped_key_record},
	{"sign__edit_after_pledge_voids_it",
	 test_sign__edit_after_pledge_voids_it},
	{"sign__applicant_signs_own_pledge",
	 test_sign__applicant_signs_own_pledge},
	{"sign__weak_record_sealed_again_on_unlock",
	 test_sign__weak_record_sealed_again_on_unlock},
	{NULL, NULL},
};
TEST_REGISTER(tests_sign)
