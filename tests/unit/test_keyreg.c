/*
 * One key registry for the server and the auditor (issue #9 item 4).
 *
 * The server decides who may sign now from the key registry it replays
 * out of the log; the auditor judges every signature against the same
 * registry replayed from the log or a bundle.  A sequence of registry
 * statements that one accepts and the other refuses is a disagreement
 * about who may sign.  Each case below forges what host root can (an
 * entry in the real format, signed by the log key unless the case says
 * otherwise, with its checkpoint) and asks both: the verifier
 * (core_audit_verify) and the server (unlocking a key, which checks the
 * key against the registry).  They must agree: a registry the verifier
 * refuses at entry N is one the server will not sign on, and it says
 * entry N.
 *
 * And what the server writes itself must verify: when its key table
 * disagrees with the log, a key act the verifier would refuse is refused
 * when it is written, with the field and the rule.
 */
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/core_int.h"
#include "keys/keys.h"
#include "tests/lib/runner.h"

static char dir[512];

static struct core *
open_as(const char *login)
{
	struct core *c = NULL;
	char err[256];

	if (core_open(&c, dir, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "open: %s", err);
		exit(1);
	}
	if (login) {
		if (core_act_as(c, login) != 0) {
			test_fail(__FILE__, __LINE__, "act as %s: %s", login,
				  core_errmsg(c));
			exit(1);
		}
	} else {
		core_act_as_system(c, "root");
	}
	return c;
}

static void
pass_of(const char *login, char out[64])
{
	snprintf(out, 64, "签名口令 of %s", login);
}

/* A data dir (named name) where pc_clerk and pingcheng_hr have keys. */
static void
scenario(const char *name)
{
	static const char *const signers[] = {"pc_clerk", "pingcheng_hr"};
	struct core *c;
	char pw[64], err[256];

	setenv("NOMDESK_KDF", "interactive", 1);
	snprintf(dir, sizeof(dir), "%s/%s", test_tmpdir(), name);
	if (core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
	c = open_as(NULL);
	for (size_t i = 0; i < 2; i++) {
		pass_of(signers[i], pw);
		if (core_key_enroll(c, signers[i], pw, NULL) != 0)
			test_fail(__FILE__, __LINE__, "enroll %s: %s",
				  signers[i], core_errmsg(c));
	}
	core_close(c);
}

static sqlite3 *
dba_open(void)
{
	char path[600];
	sqlite3 *db = NULL;

	snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "open %s", path);
		exit(1);
	}
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static void
dba_exec(const char *sql)
{
	sqlite3 *db = dba_open();
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		test_fail(__FILE__, __LINE__, "%s: %s", sql, err);
	sqlite3_free(err);
	sqlite3_close(db);
}

static int64_t
dba_int(const char *sql)
{
	sqlite3 *db = dba_open();
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* The sealed record of login's key in state (malloc'd), unlocked. */
static struct userkey *
key_of(const char *login, const char *state)
{
	struct userkey *k = NULL;
	sqlite3 *db = dba_open();
	sqlite3_stmt *st = NULL;
	char pw[64], err[256];

	pass_of(login, pw);
	sqlite3_prepare_v2(db,
			   "SELECT k.record FROM user_key k JOIN user u ON "
			   "u.id = k.user_id WHERE u.login = ?1 AND k.state "
			   "= ?2",
			   -1, &st, NULL);
	sqlite3_bind_text(st, 1, login, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_ROW ||
	    userkey_unlock(sqlite3_column_blob(st, 0),
			   (size_t)sqlite3_column_bytes(st, 0), pw, &k, err,
			   sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "no %s key of %s", state, login);
		exit(1);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return k;
}

/* A key nobody registered (sealed for login). */
static struct userkey *
fresh_key(const char *login)
{
	struct userkey_params prm;
	struct userkey *k = NULL;
	struct enc_buf rec;
	char err[256];

	CHECK_INT(userkey_params_named("interactive", &prm), 0);
	enc_init(&rec);
	CHECK_INT(userkey_create(login, "a passphrase", &prm, &rec, &k, err,
				 sizeof(err)),
		  0);
	enc_release(&rec);
	return k;
}

/* "ed25519 <base64>" of k, as core/signing.c writes it. */
static void
pk_reason(const struct userkey *k, char *out, size_t outsz)
{
	uint8_t pk[32];
	char b64[64];

	userkey_public(k, pk);
	keys_b64_encode(pk, 32, b64, sizeof(b64));
	snprintf(out, outsz, "ed25519 %s", b64);
}

/* What host root forges: one entry and the checkpoint covering it. */
struct forged {
	uint16_t act;
	const char *actor;   /* "system" for the console */
	const char *subject; /* "user:LOGIN" */
	const char *reason;
	const struct userkey *actor_key; /* field 6; NULL: the log key */
	int no_log_sig;                  /* leave the log key's out */
	const struct userkey *sig[2];    /* personal signatures */
};

/* Appends f as the next entry; its seq. */
static int64_t
forge(const struct forged *f)
{
	struct signer *log = NULL;
	struct stmt *s = calloc(1, sizeof(*s)), *s0 = calloc(1, sizeof(*s0));
	struct merkle_frontier mf;
	struct entry e, e0;
	struct enc_buf sb, eb;
	uint8_t root[32], leaf[32], blob[8 + 64 * 32];
	char path[700], err[256], note[1024];
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	int64_t n;

	snprintf(path, sizeof(path), "%s/keys/log.key", dir);
	CHECK_INT(signer_load_file(&log, path, err, sizeof(err)), 0);
	db = dba_open();
	/* The origin as entry 0 says it; the tree as the database has it. */
	sqlite3_prepare_v2(db, "SELECT entry FROM log_entry WHERE seq = 0",
			   -1, &st, NULL);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	CHECK_INT(entry_parse(sqlite3_column_blob(st, 0),
			      (size_t)sqlite3_column_bytes(st, 0), &e0),
		  0);
	CHECK_INT(stmt_parse(e0.stmt, e0.stmt_len, s0), 0);
	sqlite3_finalize(st);
	sqlite3_prepare_v2(db, "SELECT frontier FROM log_state", -1, &st,
			   NULL);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	memset(&mf, 0, sizeof(mf));
	CHECK_INT(merkle_frontier_load(&mf, sqlite3_column_blob(st, 0),
				       (size_t)sqlite3_column_bytes(st, 0)),
		  0);
	sqlite3_finalize(st);
	n = (int64_t)mf.size;
	merkle_frontier_root(&mf, root);

	s->suite = 1;
	snprintf(s->origin, sizeof(s->origin), "%s", s0->origin);
	s->act = f->act;
	snprintf(s->actor, sizeof(s->actor), "%s", f->actor);
	s->actor_role = strcmp(f->actor, "system") == 0 ? 0xff : 1;
	snprintf(s->subject, sizeof(s->subject), "%s", f->subject);
	snprintf(s->reason, sizeof(s->reason), "%s", f->reason);
	if (f->actor_key)
		userkey_key_id(f->actor_key, s->actor_key_id);
	else
		signer_key_id(log, s->actor_key_id);
	s->client_time = 1604282400000LL;
	s->seen_size = (uint64_t)n;
	memcpy(s->seen_root, root, 32);
	randombytes_buf(s->nonce, 16);
	enc_init(&sb);
	enc_init(&eb);
	CHECK_INT(stmt_encode(s, &sb), 0);
	memset(&e, 0, sizeof(e));
	e.seq = (uint64_t)n;
	e.server_time = s->client_time;
	e.stmt = sb.p;
	e.stmt_len = sb.len;
	if (!f->no_log_sig) {
		e.sigs[e.n_sigs].alg = 1;
		signer_key_id(log, e.sigs[e.n_sigs].key_id);
		CHECK_INT(signer_sign(log, sb.p, sb.len,
				      e.sigs[e.n_sigs].sig),
			  0);
		e.n_sigs++;
	}
	for (size_t i = 0; i < 2 && f->sig[i]; i++) {
		e.sigs[e.n_sigs].alg = 1;
		userkey_key_id(f->sig[i], e.sigs[e.n_sigs].key_id);
		CHECK_INT(userkey_sign(f->sig[i], sb.p, sb.len,
				       e.sigs[e.n_sigs].sig),
			  0);
		e.n_sigs++;
	}
	CHECK_INT(entry_encode(&e, &eb), 0);
	merkle_leaf_hash(eb.p, eb.len, leaf);
	merkle_frontier_append(&mf, leaf);
	merkle_frontier_root(&mf, root);
	merkle_frontier_save(&mf, blob);
	CHECK_INT(note_checkpoint_sign(log, s0->origin, (uint64_t)n + 1, root,
				       note, sizeof(note)),
		  0);

	sqlite3_prepare_v2(db,
			   "INSERT INTO log_entry (seq, entry, leaf, act, "
			   "actor, subject, time_ms) VALUES (?1, ?2, ?3, ?4, "
			   "?5, ?6, ?7)",
			   -1, &st, NULL);
	sqlite3_bind_int64(st, 1, n);
	sqlite3_bind_blob(st, 2, eb.p, (int)eb.len, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 3, leaf, 32, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 4, f->act);
	sqlite3_bind_text(st, 5, f->actor, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, f->subject, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 7, e.server_time);
	CHECK_INT(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_prepare_v2(db, "UPDATE log_state SET frontier = ?1", -1, &st,
			   NULL);
	sqlite3_bind_blob(st, 1, blob, (int)merkle_frontier_size(&mf),
			  SQLITE_TRANSIENT);
	CHECK_INT(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_prepare_v2(db,
			   "INSERT INTO log_checkpoint (size, note) VALUES "
			   "(?1, ?2)",
			   -1, &st, NULL);
	sqlite3_bind_int64(st, 1, n + 1);
	sqlite3_bind_text(st, 2, note, -1, SQLITE_TRANSIENT);
	CHECK_INT(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
	enc_release(&sb);
	enc_release(&eb);
	signer_free(log);
	free(s);
	free(s0);
	return n;
}

/* The verifier refuses the log at entry seq under rule. */
static void
expect_verify_fails(const char *file, int line, const char *what,
		    int64_t seq, const char *rule)
{
	struct core_verify_opts o = {0};
	struct core_verify_report rep;
	int r;

	o.data_dir = dir;
	r = core_audit_verify(&o, &rep);
	if (r != CORE_ECORRUPT || rep.seq != seq || strcmp(rep.rule, rule))
		test_fail(file, line,
			  "%s: verify: r=%d seq=%lld rule=%s (%s); want "
			  "seq=%lld rule=%s",
			  what, r, (long long)rep.seq, rep.rule, rep.message,
			  (long long)seq, rule);
	core_verify_report_release(&rep);
}

/* The verifier accepts the log. */
static void
expect_verify_ok(const char *file, int line)
{
	struct core_verify_opts o = {0};
	struct core_verify_report rep;
	int r;

	o.data_dir = dir;
	r = core_audit_verify(&o, &rep);
	if (r != 0 || !rep.ok)
		test_fail(file, line, "verify: r=%d seq=%lld rule=%s: %s", r,
			  (long long)rep.seq, rep.rule, rep.message);
	core_verify_report_release(&rep);
}

/* The server will not let login's key sign, naming entry seq. */
static void
expect_server_refuses(const char *file, int line, const char *what,
		      const char *login, int64_t seq)
{
	struct core *c = open_as(login);
	char pw[64], want[48];
	int r;

	pass_of(login, pw);
	r = core_key_unlock(c, pw, 1);
	snprintf(want, sizeof(want), "entry %lld", (long long)seq);
	if (r != CORE_ECORRUPT || !strstr(core_errmsg(c), want))
		test_fail(file, line,
			  "%s: %s's key unlocked (r=%d: %s); the registry "
			  "the verifier refuses at entry %lld must stop it",
			  what, login, r, core_errmsg(c), (long long)seq);
	core_close(c);
}

/* One disagreement: what host root appends, where the verifier stops. */
struct kcase {
	const char *name;
	void (*run)(int64_t *seq, const char **rule);
};

/* D1: a rotation without the old key's signature.  The server ignored
 * it and kept the old key valid; the verifier refuses the log. */
static void
case_rotate_without_old(int64_t *seq, const char **rule)
{
	struct userkey *nk = fresh_key("pc_clerk");
	char reason[96];
	struct forged f = {ACT_KEY_ROTATE, "pc_clerk", "user:pc_clerk",
			   reason, nk, 0, {nk, NULL}};

	pk_reason(nk, reason, sizeof(reason));
	*seq = forge(&f);
	*rule = "key";
	userkey_free(nk);
}

/* D2: an enrolment over a valid key (it would be a rotation). */
static void
case_enroll_over_active(int64_t *seq, const char **rule)
{
	struct userkey *nk = fresh_key("pc_clerk");
	char reason[96];
	struct forged f = {ACT_KEY_ENROLL, "system", "user:pc_clerk", reason,
			   nk, 0, {nk, NULL}};

	pk_reason(nk, reason, sizeof(reason));
	*seq = forge(&f);
	*rule = "registry";
	userkey_free(nk);
}

/* D3: someone else enrols a key for a person. */
static void
case_enroll_by_another(int64_t *seq, const char **rule)
{
	struct userkey *nk = fresh_key("city_hr");
	char reason[96];
	struct forged f = {ACT_KEY_ENROLL, "pingcheng_hr", "user:city_hr",
			   reason, nk, 0, {nk, NULL}};

	pk_reason(nk, reason, sizeof(reason));
	*seq = forge(&f);
	*rule = "registry";
	userkey_free(nk);
}

/* D4: field 6 does not name the key registered. */
static void
case_enroll_names_other_key(int64_t *seq, const char **rule)
{
	struct userkey *nk = fresh_key("city_hr");
	char reason[96];
	struct forged f = {ACT_KEY_ENROLL, "system", "user:city_hr", reason,
			   NULL, 0, {nk, NULL}};

	pk_reason(nk, reason, sizeof(reason));
	*seq = forge(&f);
	*rule = "registry";
	userkey_free(nk);
}

/* D5: a key act whose subject names nobody. */
static void
case_enroll_no_user(int64_t *seq, const char **rule)
{
	struct userkey *nk = fresh_key("city_hr");
	char reason[96];
	struct forged f = {ACT_KEY_ENROLL, "system", "user:", reason, NULL,
			   0, {NULL, NULL}};

	pk_reason(nk, reason, sizeof(reason));
	*seq = forge(&f);
	*rule = "registry";
	userkey_free(nk);
}

/* D6: an enrolment the log key did not sign. */
static void
case_enroll_without_log(int64_t *seq, const char **rule)
{
	struct userkey *nk = fresh_key("city_hr");
	char reason[96];
	struct forged f = {ACT_KEY_ENROLL, "system", "user:city_hr", reason,
			   nk, 1, {nk, NULL}};

	pk_reason(nk, reason, sizeof(reason));
	*seq = forge(&f);
	*rule = "key";
	userkey_free(nk);
}

/* D7: one key registered to two people (pc_clerk's, for city_hr). */
static void
case_key_registered_twice(int64_t *seq, const char **rule)
{
	struct userkey *k = key_of("pc_clerk", "active");
	char reason[96];
	struct forged f = {ACT_KEY_ENROLL, "system", "user:city_hr", reason,
			   k, 0, {k, NULL}};

	pk_reason(k, reason, sizeof(reason));
	*seq = forge(&f);
	*rule = "key";
	userkey_free(k);
}

/* D8: a revocation carrying a signature by a key nobody registered. */
static void
case_revoke_unknown_sig(int64_t *seq, const char **rule)
{
	struct userkey *x = fresh_key("pc_clerk");
	struct forged f = {ACT_KEY_REVOKE, "system", "user:pingcheng_hr",
			   "revoked: left post", NULL, 0, {x, NULL}};

	*seq = forge(&f);
	*rule = "key";
	userkey_free(x);
}

/* D9: a revocation naming its actor's key, which did not sign it. */
static void
case_revoke_actor_unsigned(int64_t *seq, const char **rule)
{
	struct userkey *k = key_of("pc_clerk", "active");
	struct forged f = {ACT_KEY_REVOKE, "pc_clerk", "user:pingcheng_hr",
			   "revoked: left post", k, 0, {NULL, NULL}};

	*seq = forge(&f);
	*rule = "actor-key";
	userkey_free(k);
}

/* D10: a revocation of a person with no valid key. */
static void
case_revoke_nothing(int64_t *seq, const char **rule)
{
	struct core *c = open_as(NULL);
	struct forged f = {ACT_KEY_REVOKE, "system", "user:pingcheng_hr",
			   "revoked: left post", NULL, 0, {NULL, NULL}};

	CHECK_INT(core_key_revoke(c, "pingcheng_hr", "left post", NULL), 0);
	core_close(c);
	*seq = forge(&f);
	*rule = "registry";
}

static const struct kcase kcases[] = {
	{"rotation without the old key", case_rotate_without_old},
	{"enrolment over a valid key", case_enroll_over_active},
	{"enrolment by another person", case_enroll_by_another},
	{"enrolment naming another key", case_enroll_names_other_key},
	{"key act about nobody", case_enroll_no_user},
	{"enrolment without the log key", case_enroll_without_log},
	{"key registered twice", case_key_registered_twice},
	{"revocation with an unknown signature", case_revoke_unknown_sig},
	{"revocation its actor did not sign", case_revoke_actor_unsigned},
	{"revocation of no key", case_revoke_nothing},
};

static void
test_keyreg__server_refuses_what_verifier_refuses(void)
{
	for (size_t i = 0; i < sizeof(kcases) / sizeof(kcases[0]); i++) {
		char name[64];
		const char *rule = NULL;
		int64_t seq = -1;

		snprintf(name, sizeof(name), "keyreg%zu", i);
		scenario(name);
		kcases[i].run(&seq, &rule);
		expect_verify_fails(__FILE__, __LINE__, kcases[i].name, seq,
				    rule);
		/* pc_clerk's key is not the one most cases are about: the
		 * auditor accepts nothing after the entry, so neither may
		 * the server. */
		expect_server_refuses(__FILE__, __LINE__, kcases[i].name,
				      "pc_clerk", seq);
	}
}

/* The registry read by its index columns: a revocation whose subject
 * column was changed (and its key row made active again) was invisible
 * to a server replaying one person's entries by that column. */
static void
test_keyreg__index_column_hides_nothing(void)
{
	struct core *c;
	int64_t seq;

	scenario("keyreg_index");
	c = open_as(NULL);
	CHECK_INT(core_key_revoke(c, "pingcheng_hr", "left post", NULL), 0);
	core_close(c);
	seq = dba_int("SELECT max(seq) FROM log_entry WHERE act = 102");
	dba_exec("DROP TRIGGER log_entry_no_update;"
		 "UPDATE log_entry SET subject = 'user:nobody' WHERE act = "
		 "102;"
		 "UPDATE user_key SET state = 'active', ended_seq = -1 WHERE "
		 "state = 'revoked'");
	expect_verify_fails(__FILE__, __LINE__, "index", seq, "index");
	expect_server_refuses(__FILE__, __LINE__, "index", "pingcheng_hr",
			      seq);
}

/* A clean history (enrol, rotate, revoke, enrol again): both agree that
 * the current keys sign and the retired ones do not. */
static void
test_keyreg__clean_history_agrees(void)
{
	struct core *c;
	char pw[64];

	scenario("keyreg_clean");
	c = open_as("pc_clerk");
	pass_of("pc_clerk", pw);
	CHECK_INT(core_key_rotate(c, "pc_clerk", pw, "新口令 of pc_clerk", NULL),
		  0);
	CHECK(core_key_unlock(c, pw, 1) != 0);
	CHECK_INT(core_key_unlock(c, "新口令 of pc_clerk", 1), 0);
	core_close(c);
	c = open_as(NULL);
	CHECK_INT(core_key_revoke(c, "pingcheng_hr", "left post", NULL), 0);
	pass_of("pingcheng_hr", pw);
	CHECK_INT(core_key_enroll(c, "pingcheng_hr", pw, NULL), 0);
	core_close(c);
	c = open_as("pingcheng_hr");
	CHECK_INT(core_key_unlock(c, pw, 1), 0);
	core_close(c);
	expect_verify_ok(__FILE__, __LINE__);
}

/*
 * What the server writes must verify.  Its key table decides whether a
 * person has a key when it enrols or revokes; when a DBA made the table
 * disagree with the log, the act the table allows is one the registry
 * refuses, and writing it would put an entry in the log that fails the
 * audit.  Refused at write time, with the field and the rule; the log
 * gets no entry, and the audit names the DBA's edit, not the server.
 */
static void
test_keyreg__write_refused_when_table_disagrees(void)
{
	struct core *c;
	char pw[64];
	int64_t size;
	int r;

	/* The active row deleted: the table says "no key", the log says
	 * pingcheng_hr has one, so an enrolment is one too many. */
	scenario("keyreg_w1");
	dba_exec("DELETE FROM user_key WHERE user_id = (SELECT id FROM user "
		 "WHERE login = 'pingcheng_hr')");
	size = dba_int("SELECT count(*) FROM log_entry");
	c = open_as(NULL);
	pass_of("pingcheng_hr", pw);
	r = core_key_enroll(c, "pingcheng_hr", pw, NULL);
	CHECK_INT(r, CORE_ESTATE);
	CHECK_STR(core_errfield(c), "login");
	CHECK(strstr(core_errmsg(c), "already has a valid key") != NULL);
	CHECK(strstr(core_errmsg(c), "rule 'registry'") != NULL);
	core_close(c);
	CHECK_INT(dba_int("SELECT count(*) FROM log_entry"), size);
	expect_verify_fails(__FILE__, __LINE__, "enrol",
			    dba_int("SELECT min(seq) FROM log_entry WHERE "
				    "act = 100 AND subject = "
				    "'user:pingcheng_hr'"),
			    "key-row");

	/* A revoked row made active again: the table says "a key", the
	 * log says none, so a revocation revokes nothing. */
	scenario("keyreg_w2");
	c = open_as(NULL);
	CHECK_INT(core_key_revoke(c, "pingcheng_hr", "left post", NULL), 0);
	core_close(c);
	dba_exec("UPDATE user_key SET state = 'active', ended_seq = -1 WHERE "
		 "state = 'revoked'");
	size = dba_int("SELECT count(*) FROM log_entry");
	c = open_as(NULL);
	r = core_key_revoke(c, "pingcheng_hr", "again", NULL);
	CHECK_INT(r, CORE_ESTATE);
	CHECK_STR(core_errfield(c), "login");
	CHECK(strstr(core_errmsg(c), "has no key to revoke") != NULL);
	CHECK(strstr(core_errmsg(c), "rule 'registry'") != NULL);
	core_close(c);
	CHECK_INT(dba_int("SELECT count(*) FROM log_entry"), size);
	expect_verify_fails(__FILE__, __LINE__, "revoke",
			    dba_int("SELECT min(seq) FROM log_entry WHERE "
				    "act = 100 AND subject = "
				    "'user:pingcheng_hr'"),
			    "key-row");
}

static const struct test_case tests_keyreg[] = {
	{"keyreg__server_refuses_what_verifier_refuses",
	 test_keyreg__server_refuses_what_verifier_refuses},
	{"keyreg__index_column_hides_nothing",
	 test_keyreg__index_column_hides_nothing},
	{"keyreg__clean_history_agrees", test_keyreg__clean_history_agrees},
	{"keyreg__write_refused_when_table_disagrees",
	 test_keyreg__write_refused_when_table_disagrees},
	{NULL, NULL},
};
TEST_REGISTER(tests_keyreg)
