/*
 * The offline auditor against a database administrator (audit-log.md
 * 2.11): each tampering is done the way a DBA would (plain SQL, triggers
 * dropped first) and must be detected with the right entry named.  Plus
 * the inclusion proof round trip, the bundle (verifies, holds no personal
 * data, any flipped byte fails) and the scope of `audit log`.
 */
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "core/core_int.h" /* core_open_readonly: the verifier's open */
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

/* 2020-11-02 10:00 +08:00 */
#define T0 1604282400000LL

static char dir[512];

static void
make_dir_at(const char *d)
{
	char err[256];

	if (core_init_dir(d, 1, NULL, NULL, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
	now_ms = T0;
}

static struct core *
open_as(const char *d, const char *login)
{
	struct core *c = NULL;
	char err[256];

	if (core_open(&c, d, err, sizeof(err)) != 0 ||
	    (login && core_act_as(c, login) != 0)) {
		test_fail(__FILE__, __LINE__, "open as %s: %s",
			  login ? login : "system", err);
		exit(1);
	}
	core_set_clock(c, test_clock, NULL);
	return c;
}

/* A nominee by pc_clerk, edited twice, its ID number shown once. */
static int64_t
nominee_with_history(const char *d, const char *name)
{
	struct core *c = open_as(d, "pc_clerk");
	struct core_nominee_new n = {name, "男", "1975-03-02", "主任医师", NULL};
	struct core_field_value v1 = {"specialty", "心血管内科"};
	struct core_field_value v2 = {"phone", "13900001234"};
	char idn[24];
	int64_t id = 0;

	CHECK_INT(core_nominee_add(c, &n, &id, NULL), 0);
	now_ms += 60000;
	CHECK_INT(core_nominee_edit(c, id, &v1, 1, NULL), 0);
	now_ms += 60000;
	CHECK_INT(core_nominee_edit(c, id, &v2, 1, NULL), 0);
	CHECK_INT(core_nominee_reveal_id(c, id, idn), 0);
	core_close(c);
	return id;
}

static void
scenario_in(const char *name)
{
	snprintf(dir, sizeof(dir), "%s/%s", test_tmpdir(), name);
	make_dir_at(dir);
	nominee_with_history(dir, "李明");
	nominee_with_history(dir, "王芳");
}

static void
scenario(void)
{
	scenario_in("data");
}

static int
verify(const char *d, const char *bundle, const char *const *wit,
       size_t n_wit, struct core_verify_report *rep)
{
	struct core_verify_opts o = {0};

	o.data_dir = bundle ? NULL : d;
	o.bundle = bundle;
	o.witness = wit;
	o.n_witness = n_wit;
	return core_audit_verify(&o, rep);
}

/* Expects a failure naming entry seq under rule. */
static void
expect_fail(const char *file, int line, const char *d, const char *bundle,
	    const char *const *wit, size_t n_wit, int64_t seq,
	    const char *rule)
{
	struct core_verify_report rep;
	int r = verify(d, bundle, wit, n_wit, &rep);

	if (r != CORE_ECORRUPT || rep.seq != seq || strcmp(rep.rule, rule))
		test_fail(file, line,
			  "verify: r=%d seq=%lld rule=%s (%s); want seq=%lld "
			  "rule=%s",
			  r, (long long)rep.seq, rep.rule, rep.message,
			  (long long)seq, rule);
	core_verify_report_release(&rep);
}
#define EXPECT_FAIL(seq, rule)                                            \
	expect_fail(__FILE__, __LINE__, dir, NULL, NULL, 0, seq, rule)

static void
expect_ok(const char *file, int line, const char *d, const char *bundle,
	  const char *const *wit, size_t n_wit)
{
	struct core_verify_report rep;
	int r = verify(d, bundle, wit, n_wit, &rep);

	if (r != 0 || !rep.ok)
		test_fail(file, line, "verify: r=%d seq=%lld rule=%s: %s", r,
			  (long long)rep.seq, rep.rule, rep.message);
	core_verify_report_release(&rep);
}
#define EXPECT_OK() expect_ok(__FILE__, __LINE__, dir, NULL, NULL, 0)

/* ---- the DBA's tools: plain SQL on the file ---- */

static sqlite3 *
dba_open(const char *d)
{
	char path[600];
	sqlite3 *db = NULL;

	snprintf(path, sizeof(path), "%s/nomdesk.db", d);
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "open %s", path);
		exit(1);
	}
	return db;
}

static void
dba_exec(const char *d, const char *sql)
{
	sqlite3 *db = dba_open(d);
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		test_fail(__FILE__, __LINE__, "%s: %s", sql, err);
	sqlite3_free(err);
	sqlite3_close(db);
}

/* "As a DBA would": the tripwires go first. */
static void
dba_drop_triggers(const char *d)
{
	dba_exec(d, "DROP TRIGGER log_entry_no_update;"
		    "DROP TRIGGER log_entry_no_delete;"
		    "DROP TRIGGER log_checkpoint_no_update;"
		    "DROP TRIGGER log_checkpoint_no_delete;");
}

static int64_t
dba_int(const char *d, const char *sql)
{
	sqlite3 *db = dba_open(d);
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* The bytes of entry seq (malloc'd). */
static uint8_t *
dba_entry(const char *d, int64_t seq, size_t *len)
{
	sqlite3 *db = dba_open(d);
	sqlite3_stmt *st = NULL;
	uint8_t *p = NULL;

	*len = 0;
	if (sqlite3_prepare_v2(db, "SELECT entry FROM log_entry WHERE seq = ?",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, seq);
		if (sqlite3_step(st) == SQLITE_ROW) {
			*len = (size_t)sqlite3_column_bytes(st, 0);
			p = malloc(*len);
			memcpy(p, sqlite3_column_blob(st, 0), *len);
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (!p) {
		test_fail(__FILE__, __LINE__, "no entry %lld", (long long)seq);
		exit(1);
	}
	return p;
}

/* Writes entry seq's bytes (and, if leaf_too, a matching leaf). */
static void
dba_set_entry(const char *d, int64_t seq, const uint8_t *p, size_t len,
	      int leaf_too)
{
	sqlite3 *db = dba_open(d);
	sqlite3_stmt *st = NULL;
	uint8_t leaf[32];

	merkle_leaf_hash(p, len, leaf);
	if (sqlite3_prepare_v2(db,
			       leaf_too ? "UPDATE log_entry SET entry = ?1, "
					  "leaf = ?3 WHERE seq = ?2"
					: "UPDATE log_entry SET entry = ?1 "
					  "WHERE seq = ?2",
			       -1, &st, NULL) != SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "%s", sqlite3_errmsg(db));
		exit(1);
	}
	sqlite3_bind_blob(st, 1, p, (int)len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, seq);
	if (leaf_too)
		sqlite3_bind_blob(st, 3, leaf, 32, SQLITE_TRANSIENT);
	CHECK_INT(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* The first entry of an act type (a nominee edit sits mid-log). */
static int64_t
first_of(const char *d, int act)
{
	char sql[128];

	snprintf(sql, sizeof(sql),
		 "SELECT min(seq) FROM log_entry WHERE act = %d", act);
	return dba_int(d, sql);
}

/* Re-encodes entry bytes with another seq (what a DBA can do: the
 * signatures cover the statement only). */
static uint8_t *
reseq(const uint8_t *p, size_t len, uint64_t seq, size_t *out_len)
{
	struct entry e;
	struct enc_buf b;

	CHECK_INT(entry_parse(p, len, &e), 0);
	e.seq = seq;
	enc_init(&b);
	CHECK_INT(entry_encode(&e, &b), 0);
	*out_len = b.len;
	return b.p; /* the caller frees (enc_buf memory is malloc'd) */
}

/* ---- tests ---- */

static void
test_audit_verify__clean_log_verifies(void)
{
	struct core_verify_report rep;

	scenario();
	CHECK_INT(verify(dir, NULL, NULL, 0, &rep), 0);
	CHECK(rep.ok);
	CHECK_INT(rep.seq, -1);
	CHECK_INT(rep.size, dba_int(dir, "SELECT count(*) FROM log_entry"));
	CHECK_INT(rep.n_checkpoints,
		  dba_int(dir, "SELECT count(*) FROM log_checkpoint"));
	CHECK_INT(rep.n_nominees, 2);
	CHECK_INT(rep.n_by_act[ACT_NOMINEE_CREATED], 2);
	CHECK_INT(rep.n_by_act[ACT_DOSSIER_EDITED], 4);
	CHECK_INT(rep.n_by_act[ACT_LOG_KEY], 1);
	CHECK(rep.n_signatures >= rep.size);
	CHECK(rep.n_actors >= 2);
	core_verify_report_release(&rep);
}

static void
test_audit_verify__edited_entry_named(void)
{
	uint8_t *p;
	size_t len;
	int64_t k;

	scenario();
	k = first_of(dir, ACT_DOSSIER_EDITED);
	CHECK(k > 0);
	dba_drop_triggers(dir);
	p = dba_entry(dir, k, &len);
	/* One byte of the statement (inside the digest), leaf untouched. */
	p[len - 140] ^= 0x01;
	dba_set_entry(dir, k, p, len, 0);
	EXPECT_FAIL(k, "leaf");
	/* A DBA who also fixes the leaf meets the signature. */
	dba_set_entry(dir, k, p, len, 1);
	EXPECT_FAIL(k, "signature");
	free(p);
}

static void
test_audit_verify__edited_unsigned_field_caught_by_root(void)
{
	struct entry e;
	struct enc_buf b;
	uint8_t *p;
	size_t len;
	int64_t k;

	scenario();
	k = first_of(dir, ACT_DOSSIER_EDITED);
	dba_drop_triggers(dir);
	p = dba_entry(dir, k, &len);
	/* The server time is not signed by anyone; the tree binds it. */
	CHECK_INT(entry_parse(p, len, &e), 0);
	e.server_time -= 3600000;
	enc_init(&b);
	CHECK_INT(entry_encode(&e, &b), 0);
	dba_set_entry(dir, k, b.p, b.len, 1);
	dba_exec(dir, "UPDATE log_entry SET time_ms = time_ms - 3600000 "
		      "WHERE seq = (SELECT min(seq) FROM log_entry WHERE "
		      "act = 2)");
	EXPECT_FAIL(k, "root");
	enc_release(&b);
	free(p);
}

static void
test_audit_verify__deleted_entry_named(void)
{
	char sql[128];
	int64_t k;

	scenario();
	k = first_of(dir, ACT_DOSSIER_EDITED);
	dba_drop_triggers(dir);
	snprintf(sql, sizeof(sql), "DELETE FROM log_entry WHERE seq = %lld",
		 (long long)k);
	dba_exec(dir, sql);
	EXPECT_FAIL(k, "sequence");
}

static void
test_audit_verify__inserted_entry_named(void)
{
	uint8_t *p, *q;
	size_t len, qlen;
	char sql[256];
	int64_t k, n;
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	uint8_t leaf[32];

	scenario();
	k = first_of(dir, ACT_DOSSIER_EDITED);
	dba_drop_triggers(dir);
	/* Make room at k, then put a replay of entry k-1 there, re-encoded
	 * with seq k and a correct leaf: every signature still verifies. */
	snprintf(sql, sizeof(sql),
		 "UPDATE log_entry SET seq = -seq - 1 WHERE seq >= %lld;"
		 "UPDATE log_entry SET seq = -seq WHERE seq < 0;",
		 (long long)k);
	dba_exec(dir, sql);
	p = dba_entry(dir, k - 1, &len);
	q = reseq(p, len, (uint64_t)k, &qlen);
	merkle_leaf_hash(q, qlen, leaf);
	db = dba_open(dir);
	CHECK_INT(sqlite3_prepare_v2(db,
				     "INSERT INTO log_entry (seq, entry, leaf, "
				     "act, actor, subject, time_ms) SELECT ?1, "
				     "?2, ?3, act, actor, subject, time_ms "
				     "FROM log_entry WHERE seq = ?1 - 1",
				     -1, &st, NULL),
		  SQLITE_OK);
	sqlite3_bind_int64(st, 1, k);
	sqlite3_bind_blob(st, 2, q, (int)qlen, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 3, leaf, 32, SQLITE_TRANSIENT);
	CHECK_INT(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
	EXPECT_FAIL(k, "replay");
	free(p);
	free(q);

	/* At the end instead: a forged act signed by a key the DBA made. */
	{
		struct stmt *s = calloc(1, sizeof(*s));
		struct entry e;
		struct enc_buf sb, eb;
		uint8_t pk[32], sk[64];

		snprintf(dir, sizeof(dir), "%s/data2", test_tmpdir());
		make_dir_at(dir);
		nominee_with_history(dir, "李明");
		dba_drop_triggers(dir);
		n = dba_int(dir, "SELECT count(*) FROM log_entry");
		p = dba_entry(dir, n - 1, &len);
		CHECK_INT(entry_parse(p, len, &e), 0);
		CHECK_INT(stmt_parse(e.stmt, e.stmt_len, s), 0);
		crypto_sign_keypair(pk, sk);
		s->act = ACT_VETO;
		randombytes_buf(s->nonce, 16);
		enc_init(&sb);
		enc_init(&eb);
		CHECK_INT(stmt_encode(s, &sb), 0);
		e.seq = (uint64_t)n;
		e.stmt = sb.p;
		e.stmt_len = sb.len;
		e.n_sigs = 1;
		keys_key_id(1, pk, e.sigs[0].key_id);
		memcpy(s->actor_key_id, e.sigs[0].key_id, 32);
		crypto_sign_detached(e.sigs[0].sig, NULL, sb.p, sb.len, sk);
		CHECK_INT(entry_encode(&e, &eb), 0);
		merkle_leaf_hash(eb.p, eb.len, leaf);
		db = dba_open(dir);
		sqlite3_prepare_v2(db,
				   "INSERT INTO log_entry (seq, entry, leaf, "
				   "act, actor, subject, time_ms) VALUES (?1, "
				   "?2, ?3, 8, ?4, ?5, ?6)",
				   -1, &st, NULL);
		sqlite3_bind_int64(st, 1, n);
		sqlite3_bind_blob(st, 2, eb.p, (int)eb.len, SQLITE_TRANSIENT);
		sqlite3_bind_blob(st, 3, leaf, 32, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, s->actor, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 5, s->subject, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 6, e.server_time);
		CHECK_INT(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
		sqlite3_close(db);
		EXPECT_FAIL(n, "key");
		enc_release(&sb);
		enc_release(&eb);
		free(s);
		free(p);
	}
}

static void
test_audit_verify__reordered_entries_named(void)
{
	char sql[256];
	int64_t k;

	scenario();
	k = first_of(dir, ACT_DOSSIER_EDITED);
	dba_drop_triggers(dir);
	/* Swap the rows' contents (entry, leaf, index columns). */
	snprintf(sql, sizeof(sql),
		 "UPDATE log_entry SET seq = -1 WHERE seq = %lld;"
		 "UPDATE log_entry SET seq = %lld WHERE seq = %lld;"
		 "UPDATE log_entry SET seq = %lld WHERE seq = -1;",
		 (long long)k, (long long)k, (long long)k + 1,
		 (long long)k + 1);
	dba_exec(dir, sql);
	EXPECT_FAIL(k, "sequence");
}

static void
test_audit_verify__stored_leaf_only_named(void)
{
	char sql[128];
	int64_t k;

	scenario();
	k = first_of(dir, ACT_VIEW);
	dba_drop_triggers(dir);
	snprintf(sql, sizeof(sql),
		 "UPDATE log_entry SET leaf = randomblob(32) WHERE seq = %lld",
		 (long long)k);
	dba_exec(dir, sql);
	EXPECT_FAIL(k, "leaf");
}

static void
test_audit_verify__index_column_named(void)
{
	char sql[128];
	int64_t k;

	scenario();
	k = first_of(dir, ACT_VIEW);
	dba_drop_triggers(dir);
	snprintf(sql, sizeof(sql),
		 "UPDATE log_entry SET actor = 'city_hr' WHERE seq = %lld",
		 (long long)k);
	dba_exec(dir, sql);
	EXPECT_FAIL(k, "index");
}

static void
test_audit_verify__nominee_row_behind_log_named(void)
{
	int64_t last;

	scenario();
	/* The last version of nominee 1 is its second edit. */
	last = dba_int(dir, "SELECT max(seq) FROM log_entry WHERE subject = "
			    "'nominee:1' AND act = 2");
	CHECK_INT(dba_int(dir, "SELECT seq FROM nominee WHERE id = 1"), last);
	dba_exec(dir, "UPDATE nominee SET name = '李鸣' WHERE id = 1");
	EXPECT_FAIL(last, "domain");

	/* Rolling the row back to an older version is named the same way. */
	scenario_in("data2");
	dba_exec(dir, "UPDATE nominee SET version = 2 WHERE id = 2");
	last = dba_int(dir, "SELECT max(seq) FROM log_entry WHERE subject = "
			    "'nominee:2' AND act = 2");
	EXPECT_FAIL(last, "domain");
}

static void
test_audit_verify__swapped_log_key_named(void)
{
	char path[600], err[256];
	struct core *c;
	int64_t n;

	scenario();
	n = dba_int(dir, "SELECT count(*) FROM log_entry");
	/* The DBA replaces the log key file: the host refuses to open with
	 * it, so the foreign key never signs (core/logkey.c). */
	snprintf(path, sizeof(path), "%s/keys/log.key", dir);
	CHECK_INT(unlink(path), 0);
	CHECK_INT(signer_generate_file(path, err, sizeof(err)), 0);
	c = NULL;
	CHECK_INT(core_open(&c, dir, err, sizeof(err)), CORE_ECORRUPT);
	CHECK(c == NULL);
	CHECK(strstr(err, "refusing the log key file") != NULL);
	CHECK_INT(dba_int(dir, "SELECT count(*) FROM log_entry"), n);
	EXPECT_OK();
	/* Had an older host signed with it anyway, the auditor would name
	 * the first such entry: an entry signed by a key the log never
	 * announced. */
	{
		struct signer *k = NULL;
		uint8_t *e = NULL, sig[64];
		struct entry pe;
		struct enc_buf b;
		size_t len;

		CHECK_INT(signer_load_file(&k, path, err, sizeof(err)), 0);
		e = dba_entry(dir, n - 1, &len);
		CHECK_INT(entry_parse(e, len, &pe), 0);
		CHECK_INT(signer_sign(k, pe.stmt, pe.stmt_len, sig), 0);
		signer_key_id(k, pe.sigs[0].key_id);
		memcpy(pe.sigs[0].sig, sig, 64);
		enc_init(&b);
		CHECK_INT(entry_encode(&pe, &b), 0);
		dba_drop_triggers(dir);
		dba_set_entry(dir, n - 1, b.p, b.len, 1);
		enc_release(&b);
		free(e);
		signer_free(k);
		EXPECT_FAIL(n - 1, "key");
	}
}

/* Copies the live database with SQLite's backup API (WAL included). */
static void
backup_db(const char *d, const char *to)
{
	sqlite3 *src = dba_open(d), *dst = NULL;
	sqlite3_backup *b;

	CHECK_INT(sqlite3_open(to, &dst), SQLITE_OK);
	b = sqlite3_backup_init(dst, "main", src, "main");
	CHECK(b != NULL);
	CHECK_INT(sqlite3_backup_step(b, -1), SQLITE_DONE);
	sqlite3_backup_finish(b);
	sqlite3_close(dst);
	sqlite3_close(src);
}

static void
restore_db(const char *d, const char *from)
{
	char path[600], cmd[3000];

	snprintf(path, sizeof(path), "%s/nomdesk.db", d);
	snprintf(cmd, sizeof(cmd), "rm -f '%s-wal' '%s-shm' && cp '%s' '%s'",
		 path, path, from, path);
	CHECK_INT(system(cmd), 0);
}

/* The witness cosigns the data dir's latest checkpoint. */
static int
witness_sees(const char *wdir, const char *d, uint64_t since)
{
	struct core_witness_result res;
	struct core *c = open_as(d, NULL);
	char *req = NULL, err[512];
	size_t len = 0;
	int r;

	CHECK_INT(core_audit_witness_request(c, since, &req, &len), 0);
	core_close(c);
	r = core_witness_cosign(wdir, req, len, now_ms / 1000, &res, err,
				sizeof(err));
	free(req);
	return r;
}

static void
witness_setup(const char *wdir, const char *d)
{
	struct core_verify_report rep;
	char err[256];

	CHECK_INT(verify(d, NULL, NULL, 0, &rep), 0);
	CHECK_INT(core_witness_init(wdir, "witness.pingcheng.example/1", err,
				    sizeof(err)),
		  0);
	CHECK_INT(core_witness_add_log(wdir, rep.origin, rep.log_key, err,
				       sizeof(err)),
		  0);
	core_verify_report_release(&rep);
}

/* n more acts on nominee 1: edits, or audited views (which change no
 * row, so cutting them away leaves the tables consistent). */
static void
more_acts(const char *d, int n, int views)
{
	struct core *c = open_as(d, "pc_clerk");
	char val[32], idn[24];

	for (int i = 0; i < n; i++) {
		struct core_field_value v = {"specialty", val};

		snprintf(val, sizeof(val), "专业方向%d", i);
		now_ms += 60000;
		if (views)
			CHECK_INT(core_nominee_reveal_id(c, 1, idn), 0);
		else
			CHECK_INT(core_nominee_edit(c, 1, &v, 1, NULL), 0);
	}
	core_close(c);
}

static void
test_audit_verify__truncation_caught_by_witness(void)
{
	char wdir[600], state[4200], sql[256];
	const char *wit[1] = {state};
	struct core_verify_report rep;
	int64_t m, n;

	scenario();
	snprintf(wdir, sizeof(wdir), "%s/witness", test_tmpdir());
	witness_setup(wdir, dir);
	CHECK_INT(witness_sees(wdir, dir, 0), 0);
	m = dba_int(dir, "SELECT count(*) FROM log_entry");
	more_acts(dir, 3, 1);
	CHECK_INT(witness_sees(wdir, dir, (uint64_t)m), 0);
	n = dba_int(dir, "SELECT count(*) FROM log_entry");
	CHECK(n > m);
	CHECK_INT(verify(dir, NULL, NULL, 0, &rep), 0);
	core_witness_state_path(wdir, rep.origin, state, sizeof(state));
	core_verify_report_release(&rep);
	expect_ok(__FILE__, __LINE__, dir, NULL, wit, 1);

	/* The DBA cuts the tail (entries, checkpoints, the frontier) so
	 * that the database agrees with itself. */
	dba_drop_triggers(dir);
	snprintf(sql, sizeof(sql),
		 "DELETE FROM log_entry WHERE seq >= %lld;"
		 "DELETE FROM log_checkpoint WHERE size > %lld;",
		 (long long)m, (long long)m);
	dba_exec(dir, sql);
	{
		/* The frontier of the log as it now ends. */
		sqlite3 *db = dba_open(dir);
		sqlite3_stmt *st = NULL;
		struct merkle_frontier f;
		uint8_t blob[8 + 64 * 32];

		merkle_frontier_init(&f);
		sqlite3_prepare_v2(db, "SELECT leaf FROM log_entry ORDER BY seq",
				   -1, &st, NULL);
		while (sqlite3_step(st) == SQLITE_ROW)
			merkle_frontier_append(&f, sqlite3_column_blob(st, 0));
		sqlite3_finalize(st);
		merkle_frontier_save(&f, blob);
		sqlite3_prepare_v2(db, "UPDATE log_state SET frontier = ?1", -1,
				   &st, NULL);
		sqlite3_bind_blob(st, 1, blob, (int)merkle_frontier_size(&f),
				  SQLITE_TRANSIENT);
		CHECK_INT(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	/* The database alone cannot tell (audit-log.md 2.11) ... */
	EXPECT_OK();
	/* ... the witness can, and the first missing entry is named. */
	expect_fail(__FILE__, __LINE__, dir, NULL, wit, 1, m, "truncated");
}

static void
test_audit_verify__old_backup_caught_by_witness(void)
{
	char wdir[600], state[4200], copy[600], evid[1400];
	const char *wit[1] = {state};
	struct core_verify_report rep;
	int64_t m, n;

	scenario();
	snprintf(wdir, sizeof(wdir), "%s/witness", test_tmpdir());
	snprintf(copy, sizeof(copy), "%s/backup.db", test_tmpdir());
	witness_setup(wdir, dir);
	backup_db(dir, copy); /* early copy */
	m = dba_int(dir, "SELECT count(*) FROM log_entry");
	more_acts(dir, 2, 0);
	CHECK_INT(witness_sees(wdir, dir, 0), 0);
	n = dba_int(dir, "SELECT count(*) FROM log_entry");
	CHECK_INT(verify(dir, NULL, NULL, 0, &rep), 0);
	core_witness_state_path(wdir, rep.origin, state, sizeof(state));
	core_verify_report_release(&rep);

	restore_db(dir, copy);
	/* The restored database is consistent on its own ... */
	EXPECT_OK();
	/* ... but not with what the witness saw. */
	expect_fail(__FILE__, __LINE__, dir, NULL, wit, 1, m, "truncated");

	/* The host carries on past the witness's size on the old history:
	 * the witness refuses and keeps both signed checkpoints. */
	more_acts(dir, (int)(n - m) + 1, 0);
	CHECK_INT(witness_sees(wdir, dir, (uint64_t)n), CORE_ECORRUPT);
	snprintf(evid, sizeof(evid), "ls %s/evidence/*-held-*.checkpoint "
				     "%s/evidence/*-offered-*.checkpoint "
				     ">/dev/null",
		 wdir, wdir);
	CHECK_INT(system(evid), 0);
	/* And the auditor holding the witness's checkpoint sees the fork.
	 * Nothing from outside vouches for any size before the witness's,
	 * so the first entry that can differ is 0 (with a checkpoint or a
	 * cosignature from before the restore, it would be m: see
	 * fork_named_at_first_rewritten_entry). */
	expect_fail(__FILE__, __LINE__, dir, NULL, wit, 1, 0, "fork");
}

static void
test_audit_verify__witness_smaller_consistent(void)
{
	char wdir[600], state[4200];
	const char *wit[1] = {state};
	struct core_verify_report rep;

	scenario();
	snprintf(wdir, sizeof(wdir), "%s/witness", test_tmpdir());
	witness_setup(wdir, dir);
	CHECK_INT(witness_sees(wdir, dir, 0), 0);
	more_acts(dir, 5, 0);
	CHECK_INT(verify(dir, NULL, NULL, 0, &rep), 0);
	core_witness_state_path(wdir, rep.origin, state, sizeof(state));
	core_verify_report_release(&rep);
	CHECK_INT(verify(dir, NULL, wit, 1, &rep), 0);
	CHECK_INT(rep.n_witnesses, 1);
	core_verify_report_release(&rep);
}

static void
test_audit_verify__wrong_log_key_refused(void)
{
	struct core_verify_opts o = {0};
	struct core_verify_report rep;
	uint8_t key[32];

	scenario();
	randombytes_buf(key, 32);
	o.data_dir = dir;
	o.log_key = key;
	CHECK_INT(core_audit_verify(&o, &rep), CORE_ECORRUPT);
	CHECK_INT(rep.seq, 0);
	CHECK_STR(rep.rule, "genesis");
	core_verify_report_release(&rep);
}

static void
test_audit_verify__inclusion_proof_round_trip(void)
{
	struct core_verify_report rep;
	struct core_proof_info info;
	struct core *c;
	char *text = NULL, err[256];
	size_t len = 0;
	int64_t k, n;

	scenario();
	CHECK_INT(verify(dir, NULL, NULL, 0, &rep), 0);
	n = dba_int(dir, "SELECT count(*) FROM log_entry");
	k = first_of(dir, ACT_DOSSIER_EDITED);
	c = open_as(dir, NULL);
	for (int64_t seq = 0; seq < n; seq += (seq < 3 ? 1 : 5)) {
		CHECK_INT(core_audit_prove(c, (uint64_t)seq, &text, &len), 0);
		CHECK_INT(core_proof_check(text, len, rep.log_key, &info, err,
					   sizeof(err)),
			  0);
		CHECK_INT(info.index, seq);
		CHECK_INT(info.size, n);
		CHECK_INT(info.n_sigs_checked, 1);
		free(text);
	}
	CHECK_INT(core_audit_prove(c, (uint64_t)n, &text, &len), CORE_ENOENT);
	CHECK_INT(core_audit_prove(c, (uint64_t)k, &text, &len), 0);
	core_close(c);
	CHECK_INT(core_proof_check(text, len, rep.log_key, &info, err,
				   sizeof(err)),
		  0);
	CHECK_STR(info.subject, "nominee:1");
	/* Wrong key; any changed byte of the proof. */
	{
		uint8_t other[32];

		randombytes_buf(other, 32);
		CHECK(core_proof_check(text, len, other, &info, err,
				       sizeof(err)) != 0);
	}
	for (size_t i = 0; i < len; i++) {
		char *m = malloc(len);
		char c0;

		memcpy(m, text, len);
		c0 = m[i];
		/* Change the character within its class, so the mutation is
		 * not just a parse error. */
		m[i] = (c0 >= 'A' && c0 <= 'Y') ? c0 + 1 : (c0 == 'Z' ? 'A' : c0 ^ 1);
		if (core_proof_check(m, len, rep.log_key, &info, err,
				     sizeof(err)) == 0)
			test_fail(__FILE__, __LINE__,
				  "proof accepted with byte %zu changed", i);
		/* libsodium reads bytes >= 0x80 as '/' */
		if (c0 == '/') {
			m[i] = (char)0xAF;
			if (core_proof_check(m, len, rep.log_key, &info, err,
					     sizeof(err)) == 0)
				test_fail(__FILE__, __LINE__,
					  "proof accepted with '/' at %zu as "
					  "0xAF",
					  i);
		}
		free(m);
	}
	free(text);
	core_verify_report_release(&rep);
}

static const uint8_t *
find_bytes(const uint8_t *p, size_t n, const void *needle, size_t k)
{
	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (memcmp(p + i, needle, k) == 0)
			return p + i;
	return NULL;
}

static int
file_contains(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	static char buf[1 << 20];
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	return find_bytes((const uint8_t *)buf, n, needle, strlen(needle)) != NULL;
}

static void
test_audit_verify__bundle_verifies_without_personal_data(void)
{
	char bundle[600];
	struct core *c;
	struct core_receipt rc;
	struct core_verify_report rep;

	scenario();
	snprintf(bundle, sizeof(bundle), "%s/log.bundle", test_tmpdir());
	c = open_as(dir, "pc_clerk");
	CHECK_INT(core_audit_export(c, bundle, &rc), CORE_EPERM);
	core_close(c);
	c = open_as(dir, "auditor");
	CHECK_INT(core_audit_export(c, bundle, &rc), 0);
	CHECK_INT(core_audit_export(c, bundle, &rc), CORE_EIO); /* exists */
	core_close(c);
	CHECK_INT(verify(NULL, bundle, NULL, 0, &rep), 0);
	CHECK(rep.ok);
	/* The bundle holds its own export record. */
	CHECK_INT(rep.n_by_act[ACT_VIEW], 3);
	core_verify_report_release(&rep);
	/* Names, the ID number, the birth date, the phone: never. */
	CHECK_INT(file_contains(bundle, "李明"), 0);
	CHECK_INT(file_contains(bundle, "王芳"), 0);
	CHECK_INT(file_contains(bundle, "13900001234"), 0);
	CHECK_INT(file_contains(bundle, "1975-03-02"), 0);
	CHECK_INT(file_contains(bundle, "心血管内科"), 0);
	CHECK_INT(file_contains(bundle, "nominee:1"), 1);
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p;

	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc(*len);
	CHECK_INT(fread(p, 1, *len, f), *len);
	fclose(f);
	return p;
}

static void
spit(const char *path, const uint8_t *p, size_t len)
{
	FILE *f = fopen(path, "wb");

	CHECK_INT(fwrite(p, 1, len, f), len);
	fclose(f);
}

static void
test_audit_verify__mutated_bundle_fails(void)
{
	char bundle[600], mut[600];
	struct core *c;
	struct core_verify_report rep;
	uint8_t *p;
	size_t len, hdr, tried = 0;

	scenario();
	snprintf(bundle, sizeof(bundle), "%s/log.bundle", test_tmpdir());
	snprintf(mut, sizeof(mut), "%s/mut.bundle", test_tmpdir());
	c = open_as(dir, NULL);
	CHECK_INT(core_audit_export(c, bundle, NULL), CORE_EPERM);
	core_act_as_system(c, NULL); /* the console operator */
	CHECK_INT(core_audit_export(c, bundle, NULL), 0);
	core_close(c);
	p = slurp(bundle, &len);
	hdr = (size_t)(find_bytes(p, len, "\n\n", 2) - p) + 2;
	/* Every byte of the header, of the key registry and the end, and
	 * a stride through entries and checkpoints (each record's framing
	 * included by the stride's phase). */
	for (size_t i = 0; i < len; i++) {
		if (!(i < hdr || i + 400 > len || i % 7 == 0))
			continue;
		p[i] ^= (uint8_t)(1u << (i % 8));
		spit(mut, p, len);
		p[i] ^= (uint8_t)(1u << (i % 8));
		if (verify(NULL, mut, NULL, 0, &rep) == 0)
			test_fail(__FILE__, __LINE__,
				  "bundle accepted with byte %zu flipped", i);
		core_verify_report_release(&rep);
		tried++;
	}
	CHECK(tried > 500);
	/* libsodium 1.0.18 decodes any byte >= 0x80 as '/': every '/' of
	 * the file (base64 of keys, roots and signatures) set to 0xAF. */
	for (size_t i = 0; i < len; i++) {
		if (p[i] != '/')
			continue;
		p[i] = 0xAF;
		spit(mut, p, len);
		p[i] = '/';
		if (verify(NULL, mut, NULL, 0, &rep) == 0)
			test_fail(__FILE__, __LINE__,
				  "bundle accepted with '/' at %zu as 0xAF", i);
		core_verify_report_release(&rep);
	}
	/* Truncated anywhere, or with a byte appended. */
	spit(mut, p, len - 1);
	CHECK_INT(verify(NULL, mut, NULL, 0, &rep), CORE_ECORRUPT);
	core_verify_report_release(&rep);
	spit(mut, p, len / 2);
	CHECK_INT(verify(NULL, mut, NULL, 0, &rep), CORE_ECORRUPT);
	core_verify_report_release(&rep);
	{
		uint8_t *q = malloc(len + 1);

		memcpy(q, p, len);
		q[len] = '\n';
		spit(mut, q, len + 1);
		CHECK_INT(verify(NULL, mut, NULL, 0, &rep), CORE_ECORRUPT);
		core_verify_report_release(&rep);
		free(q);
	}
	/* The untouched copy still verifies. */
	spit(mut, p, len);
	CHECK_INT(verify(NULL, mut, NULL, 0, &rep), 0);
	core_verify_report_release(&rep);
	free(p);
}

struct seen {
	int n, about_other, about_users;
};

static int
collect(void *ctx, const struct core_audit_item *it)
{
	struct seen *s = ctx;

	s->n++;
	if (strncmp(it->subject, "user:", 5) == 0)
		s->about_users++;
	if (strcmp(it->subject, "nominee:1") != 0 &&
	    strncmp(it->subject, "nominee:", 8) == 0)
		s->about_other++;
	return 0;
}

static void
test_audit_verify__log_listing_is_scoped(void)
{
	struct core *c;
	struct core_nominee_new n = {"赵六", "女", "1980-01-01", "主任医师",
				     NULL};
	struct seen s;
	int64_t id;

	scenario();
	c = open_as(dir, "yg_clerk");
	CHECK_INT(core_nominee_add(c, &n, &id, NULL), 0);
	memset(&s, 0, sizeof(s));
	CHECK_INT(core_audit_log(c, 0, NULL, collect, &s), 0);
	CHECK_INT(s.n, 1); /* only its own county's nominee */
	CHECK_INT(s.about_users, 0);
	core_close(c);

	c = open_as(dir, "auditor");
	memset(&s, 0, sizeof(s));
	CHECK_INT(core_audit_log(c, 0, NULL, collect, &s), 0);
	CHECK_INT(s.n, dba_int(dir, "SELECT count(*) FROM log_entry"));
	CHECK(s.about_users > 0);
	memset(&s, 0, sizeof(s));
	CHECK_INT(core_audit_log(c, 1, NULL, collect, &s), 0);
	CHECK_INT(s.n, 4);
	CHECK_INT(s.about_other, 0);
	memset(&s, 0, sizeof(s));
	CHECK_INT(core_audit_log(c, 0, "yg_clerk", collect, &s), 0);
	CHECK_INT(s.n, 1);
	core_close(c);

	c = open_as(dir, "pc_clerk");
	memset(&s, 0, sizeof(s));
	CHECK_INT(core_audit_log(c, 0, NULL, collect, &s), 0);
	CHECK_INT(s.n, 8); /* its two nominees, four entries each */
	core_close(c);
}

static void
test_audit_verify__checkpoint_fingerprint(void)
{
	struct core *c;
	char *note = NULL, fp[24], fp2[24];
	uint64_t size = 0;

	scenario();
	c = open_as(dir, NULL);
	CHECK_INT(core_audit_checkpoint(c, &note, &size), 0);
	core_close(c);
	CHECK_INT(size, dba_int(dir, "SELECT count(*) FROM log_entry"));
	core_checkpoint_fingerprint(note, fp);
	CHECK_INT(strlen(fp), 19);
	CHECK(fp[4] == '-' && fp[9] == '-' && fp[14] == '-');
	/* The signature lines do not enter it; the body does. */
	{
		char *cut = strstr(note, "\n\n");

		cut[2] = '\0';
		core_checkpoint_fingerprint(note, fp2);
		CHECK_STR(fp, fp2);
		note[0] ^= 1;
		core_checkpoint_fingerprint(note, fp2);
		CHECK(strcmp(fp, fp2) != 0);
	}
	free(note);
}


/* ---- personal signatures (issue #4 keys) ---- */

static void
pass_of(const char *login, char out[64])
{
	snprintf(out, 64, "签名口令 of %s", login);
}

/* The data dir with signing keys for pc_clerk and pingcheng_hr. */
static void
scenario_keys_in(const char *name)
{
	static const char *const signers[] = {"pc_clerk", "pingcheng_hr"};
	struct core *c;
	char pw[64];

	setenv("NOMDESK_KDF", "interactive", 1);
	snprintf(dir, sizeof(dir), "%s/%s", test_tmpdir(), name);
	make_dir_at(dir);
	c = open_as(dir, NULL);
	core_act_as_system(c, "root");
	for (size_t i = 0; i < 2; i++) {
		pass_of(signers[i], pw);
		if (core_key_enroll(c, signers[i], pw, NULL) != 0)
			test_fail(__FILE__, __LINE__, "enroll %s: %s",
				  signers[i], core_errmsg(c));
	}
	core_close(c);
}

static void
scenario_keys(void)
{
	scenario_keys_in("keys");
}

static int64_t
complete_nominee(void)
{
	struct core *c = open_as(dir, "pc_clerk");
	struct core_nominee_new n = {"李明", "男", "1975-03-02", "主任医师",
				     NULL};
	char idn[19];
	int64_t id = 0;

	fixture_id_number("19750302", 123, idn);
	CHECK_INT(core_nominee_add(c, &n, &id, NULL), 0);
	CHECK_INT(fixture_complete(c, id, idn), 0);
	core_close(c);
	return id;
}

/* login takes action on id with its unlocked key. */
static void
signed_act(const char *login, int64_t id, const char *action)
{
	static const char scan[] = "scan of the signed pledge form";
	struct core *c = open_as(dir, login);
	struct core_act_opts o = {0};
	uint8_t d[1][32];
	char pw[64];

	pass_of(login, pw);
	CHECK_INT(core_key_unlock(c, pw, 1), 0);
	if (strcmp(action, "pledge_paper") == 0) {
		CHECK_INT(core_doc_store(c, scan, sizeof(scan) - 1, d[0]), 0);
		o.attach = (const uint8_t(*)[32])d;
		o.n_attach = 1;
	}
	if (core_act_ex(c, id, action, NULL, &o, NULL) != 0)
		test_fail(__FILE__, __LINE__, "%s by %s: %s", action, login,
			  core_errmsg(c));
	core_close(c);
}

/* The expert panel's pass, which screen and committee_review require. */
static void
evaluate(int64_t id, int city)
{
	struct core *owner = open_as(dir, city ? "city_hr" : "pingcheng_hr"), *expert = open_as(dir, "expert_zhou");

	if (fixture_panel_pass(owner, expert, id, city) != 0)
		test_fail(__FILE__, __LINE__, "panel: %s / %s",
			  core_errmsg(owner), core_errmsg(expert));
	core_close(owner);
	core_close(expert);
}

static void
test_audit_verify__personal_signatures_verify(void)
{
	struct core_verify_report rep;
	struct core *c;
	char pw[64], pw2[64];
	int64_t id;

	scenario_keys();
	id = complete_nominee();
	signed_act("pc_clerk", id, "pledge_paper");
	/* A rotation, then signed acts by the new key. */
	c = open_as(dir, "pc_clerk");
	pass_of("pc_clerk", pw);
	snprintf(pw2, sizeof(pw2), "新的签名口令 of pc_clerk");
	CHECK_INT(core_key_rotate(c, "pc_clerk", pw, pw2, NULL), 0);
	CHECK_INT(core_key_unlock(c, pw2, 1), 0);
	CHECK_INT(core_act(c, id, "unit_review", NULL, NULL), 0);
	CHECK_INT(core_act(c, id, "submit", NULL, NULL), 0);
	core_close(c);
	evaluate(id, 0);
	signed_act("pingcheng_hr", id, "screen");
	/* A revocation by the console operator. */
	c = open_as(dir, NULL);
	core_act_as_system(c, "root");
	CHECK_INT(core_key_revoke(c, "pingcheng_hr", "left post", NULL), 0);
	core_close(c);

	CHECK_INT(verify(dir, NULL, NULL, 0, &rep), 0);
	if (!rep.ok)
		printf("# %s: %s\n", rep.rule, rep.message);
	/* log, pc_clerk x2, pingcheng_hr, the panel's expert */
	CHECK_INT(rep.n_keys, 5);
	CHECK_INT(rep.n_by_act[ACT_KEY_ENROLL], 3);
	CHECK_INT(rep.n_by_act[ACT_KEY_ROTATE], 1);
	CHECK_INT(rep.n_by_act[ACT_KEY_REVOKE], 1);
	/* pledge, review, screen and the expert's no-conflict declaration:
	 * log + actor; enrolments: log + new key; the rotation: log + old
	 * + new. */
	CHECK_INT(rep.n_signatures, rep.size + 4 + 3 + 2);
	core_verify_report_release(&rep);
}

/* What host root can do with the log key: append an entry it builds,
 * signed by the log key and by k (a personal key), with its checkpoint.
 * Returns its seq. */
static int64_t
host_root_append(const char *login, uint16_t act, const char *subject,
		 const struct userkey *k)
{
	struct core_verify_report rep;
	struct signer *log = NULL;
	struct stmt *s = calloc(1, sizeof(*s));
	struct merkle_frontier f;
	struct entry e;
	struct enc_buf sb, eb;
	uint8_t root[32], leaf[32], blob[8 + 64 * 32];
	char path[700], err[256], note[1024];
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	int64_t n;

	snprintf(path, sizeof(path), "%s/keys/log.key", dir);
	CHECK_INT(signer_load_file(&log, path, err, sizeof(err)), 0);
	/* The size and origin as the database has them (the auditor may
	 * already object to the database: a swapped key row). */
	verify(dir, NULL, NULL, 0, &rep);
	n = dba_int(dir, "SELECT count(*) FROM log_entry");
	memset(&f, 0, sizeof(f));
	db = dba_open(dir);
	sqlite3_prepare_v2(db, "SELECT frontier FROM log_state", -1, &st,
			   NULL);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	CHECK_INT(merkle_frontier_load(&f, sqlite3_column_blob(st, 0),
				       (size_t)sqlite3_column_bytes(st, 0)),
		  0);
	sqlite3_finalize(st);
	merkle_frontier_root(&f, root);

	s->suite = 1;
	snprintf(s->origin, sizeof(s->origin), "%s", rep.origin);
	s->act = act;
	snprintf(s->actor, sizeof(s->actor), "%s", login);
	s->actor_role = 1;
	snprintf(s->unit, sizeof(s->unit), "140213-e001");
	snprintf(s->subject, sizeof(s->subject), "%s", subject);
	userkey_key_id(k, s->actor_key_id);
	s->client_time = now_ms;
	s->seen_size = (uint64_t)n;
	memcpy(s->seen_root, root, 32);
	randombytes_buf(s->nonce, 16);
	enc_init(&sb);
	enc_init(&eb);
	CHECK_INT(stmt_encode(s, &sb), 0);
	memset(&e, 0, sizeof(e));
	e.seq = (uint64_t)n;
	e.server_time = now_ms;
	e.stmt = sb.p;
	e.stmt_len = sb.len;
	e.n_sigs = 2;
	e.sigs[0].alg = e.sigs[1].alg = 1;
	signer_key_id(log, e.sigs[0].key_id);
	CHECK_INT(signer_sign(log, sb.p, sb.len, e.sigs[0].sig), 0);
	userkey_key_id(k, e.sigs[1].key_id);
	CHECK_INT(userkey_sign(k, sb.p, sb.len, e.sigs[1].sig), 0);
	CHECK_INT(entry_encode(&e, &eb), 0);
	merkle_leaf_hash(eb.p, eb.len, leaf);
	merkle_frontier_append(&f, leaf);
	merkle_frontier_root(&f, root);
	merkle_frontier_save(&f, blob);
	CHECK_INT(note_checkpoint_sign(log, rep.origin, (uint64_t)n + 1, root,
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
	sqlite3_bind_int(st, 4, act);
	sqlite3_bind_text(st, 5, login, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, subject, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 7, now_ms);
	CHECK_INT(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_prepare_v2(db, "UPDATE log_state SET frontier = ?1", -1, &st,
			   NULL);
	sqlite3_bind_blob(st, 1, blob, (int)merkle_frontier_size(&f),
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
	core_verify_report_release(&rep);
	signer_free(log);
	free(s);
	return n;
}

/* The sealed record of login's key in the given state (malloc'd). */
static uint8_t *
key_record(const char *login, const char *state, size_t *len)
{
	sqlite3 *db = dba_open(dir);
	sqlite3_stmt *st = NULL;
	uint8_t *p = NULL;

	sqlite3_prepare_v2(db,
			   "SELECT k.record FROM user_key k JOIN user u ON "
			   "u.id = k.user_id WHERE u.login = ?1 AND k.state "
			   "= ?2",
			   -1, &st, NULL);
	sqlite3_bind_text(st, 1, login, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*len = (size_t)sqlite3_column_bytes(st, 0);
		p = malloc(*len);
		memcpy(p, sqlite3_column_blob(st, 0), *len);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return p;
}

static void
test_audit_verify__swapped_user_key_named(void)
{
	struct userkey_params prm;
	struct userkey *k = NULL;
	struct enc_buf rec;
	struct core *c;
	char err[256];
	uint8_t pk[32], id[32];
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	int64_t nid, n;

	scenario_keys();
	nid = complete_nominee();
	signed_act("pc_clerk", nid, "pledge_paper");
	EXPECT_OK();
	/* The DBA swaps pc_clerk's key record (id, public key, sealed seed)
	 * for a key whose passphrase the DBA chose. */
	CHECK_INT(userkey_params_named("interactive", &prm), 0);
	enc_init(&rec);
	CHECK_INT(userkey_create("pc_clerk", "dba passphrase", &prm, &rec, &k,
				 err, sizeof(err)),
		  0);
	userkey_public(k, pk);
	userkey_key_id(k, id);
	db = dba_open(dir);
	sqlite3_prepare_v2(db,
			   "UPDATE user_key SET key_id = ?1, public_key = ?2, "
			   "record = ?3 WHERE state = 'active' AND user_id = "
			   "(SELECT id FROM user WHERE login = 'pc_clerk')",
			   -1, &st, NULL);
	sqlite3_bind_blob(st, 1, id, 32, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 2, pk, 32, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 3, rec.p, (int)rec.len, SQLITE_TRANSIENT);
	CHECK_INT(sqlite3_step(st), SQLITE_DONE);
	CHECK_INT(sqlite3_changes(db), 1);
	sqlite3_finalize(st);
	sqlite3_close(db);
	/* nomdesk itself will not sign with it (the registry is the log) ... */
	c = open_as(dir, "pc_clerk");
	CHECK(core_key_unlock(c, "dba passphrase", 1) != 0);
	core_close(c);
	/* ... and an entry signed with it anyway (host root with the log
	 * key) fails against the logged key, named by the auditor. */
	n = host_root_append("pc_clerk", ACT_ADMIN, "user:pc_clerk", k);
	EXPECT_FAIL(n, "key");
	userkey_free(k);
	enc_release(&rec);
}

static void
test_audit_verify__revoked_key_signature_named(void)
{
	struct userkey *k = NULL;
	struct core *c;
	char pw[64], err[256];
	uint8_t *rec;
	size_t len = 0;
	int64_t n;

	scenario_keys();
	c = open_as(dir, NULL);
	core_act_as_system(c, "root");
	CHECK_INT(core_key_revoke(c, "pingcheng_hr", "suspected compromise",
				  NULL),
		  0);
	core_close(c);
	EXPECT_OK();
	/* Someone who captured the passphrase signs after the revocation:
	 * the signature is valid, the key is not, at this seq. */
	rec = key_record("pingcheng_hr", "revoked", &len);
	CHECK(rec != NULL);
	pass_of("pingcheng_hr", pw);
	CHECK_INT(userkey_unlock(rec, len, pw, &k, err, sizeof(err)), 0);
	n = host_root_append("pingcheng_hr", ACT_ADMIN, "user:pingcheng_hr",
			     k);
	EXPECT_FAIL(n, "key");
	userkey_free(k);
	free(rec);
}


/* ---- issue #8 item 9: the rest of what verify claims to catch ---- */

/* The entry that registered login's key in the given state. */
static int64_t
key_seq(const char *login, const char *state)
{
	char sql[256];

	snprintf(sql, sizeof(sql),
		 "SELECT k.enrolled_seq FROM user_key k JOIN user u ON u.id = "
		 "k.user_id WHERE u.login = '%s' AND k.state = '%s'",
		 login, state);
	return dba_int(dir, sql);
}

static void
test_audit_verify__swapped_key_rows_named(void)
{
	struct core *c;
	int64_t a, b;

	/* Two people's key rows swapped: each person's key is now the
	 * other's in the table the host signs from. */
	scenario_keys_in("keys1");
	a = key_seq("pc_clerk", "active");
	b = key_seq("pingcheng_hr", "active");
	CHECK(a > 0 && b > a);
	EXPECT_OK();
	dba_exec(dir, "UPDATE user_key SET user_id = -1 WHERE user_id = "
		      "(SELECT id FROM user WHERE login = 'pc_clerk');"
		      "UPDATE user_key SET user_id = (SELECT id FROM user "
		      "WHERE login = 'pc_clerk') WHERE user_id = (SELECT id "
		      "FROM user WHERE login = 'pingcheng_hr');"
		      "UPDATE user_key SET user_id = (SELECT id FROM user "
		      "WHERE login = 'pingcheng_hr') WHERE user_id = -1;");
	CHECK_INT(key_seq("pingcheng_hr", "active"), a);
	/* The first key in log order whose row is wrong. */
	EXPECT_FAIL(a, "key-row");

	/* Only the sealed records swapped: each row keeps its key. */
	scenario_keys_in("keys2");
	a = key_seq("pc_clerk", "active");
	dba_exec(dir, "CREATE TEMP TABLE r AS SELECT user_id, record FROM "
		      "user_key WHERE state = 'active';"
		      "UPDATE user_key SET record = (SELECT record FROM r "
		      "WHERE r.user_id != user_key.user_id) WHERE state = "
		      "'active';");
	EXPECT_FAIL(a, "key-row");

	/* A revoked key made active again. */
	scenario_keys_in("keys3");
	b = key_seq("pingcheng_hr", "active");
	c = open_as(dir, NULL);
	core_act_as_system(c, "root");
	CHECK_INT(core_key_revoke(c, "pingcheng_hr", "left post", NULL), 0);
	core_close(c);
	EXPECT_OK();
	dba_exec(dir, "UPDATE user_key SET state = 'active', ended_seq = -1 "
		      "WHERE state = 'revoked'");
	EXPECT_FAIL(b, "key-row");
}

static void expect_message(const char *file, int line, const char *want);

static void
test_audit_verify__deleted_checkpoint_named(void)
{
	struct core_user_new u = {"pc_clerk2", "赵敏二", CORE_ROLE_UNIT_CLERK,
				  "140213-e001", NULL};
	char wdir[600], state[4200], sql[160], bundle[600];
	const char *wit[1] = {state};
	struct core_verify_report rep;
	struct core *c;
	int64_t k, m;

	/* The console adds a user between the clerk's acts; the DBA deletes
	 * the checkpoint that ended the console's transaction. */
	scenario();
	c = open_as(dir, NULL);
	core_act_as_system(c, "root");
	CHECK_INT(core_user_add(c, &u, "a password for pc_clerk2"), 0);
	core_close(c);
	k = dba_int(dir, "SELECT max(seq) FROM log_entry");
	more_acts(dir, 2, 1);
	EXPECT_OK();
	dba_drop_triggers(dir);
	snprintf(sql, sizeof(sql),
		 "DELETE FROM log_checkpoint WHERE size = %lld", (long long)k + 1);
	dba_exec(dir, sql);
	EXPECT_FAIL(k, "checkpoint");
	/* A bundle exported afterwards is judged the same way. */
	snprintf(bundle, sizeof(bundle), "%s/after.bundle", test_tmpdir());
	c = open_as(dir, NULL);
	core_act_as_system(c, "root");
	CHECK_INT(core_audit_export(c, bundle, NULL), 0);
	core_close(c);
	expect_fail(__FILE__, __LINE__, dir, bundle, NULL, 0, k, "checkpoint");

	/* Between two of one clerk's transactions only someone who holds
	 * that checkpoint can tell: here a witness. */
	scenario_in("data2");
	snprintf(wdir, sizeof(wdir), "%s/witness", test_tmpdir());
	witness_setup(wdir, dir);
	m = dba_int(dir, "SELECT count(*) FROM log_entry");
	CHECK_INT(witness_sees(wdir, dir, 0), 0);
	CHECK_INT(verify(dir, NULL, NULL, 0, &rep), 0);
	core_witness_state_path(wdir, rep.origin, state, sizeof(state));
	core_verify_report_release(&rep);
	more_acts(dir, 2, 1);
	expect_ok(__FILE__, __LINE__, dir, NULL, wit, 1);
	dba_drop_triggers(dir);
	snprintf(sql, sizeof(sql),
		 "DELETE FROM log_checkpoint WHERE size = %lld", (long long)m);
	dba_exec(dir, sql);
	expect_fail(__FILE__, __LINE__, dir, NULL, wit, 1, m - 1,
		    "checkpoint");

	/* Since statements name their transaction's start (suite 2), the
	 * log itself tells: the same clerk's two views, the checkpoint
	 * between them deleted, no witness. */
	scenario_in("data3");
	m = dba_int(dir, "SELECT count(*) FROM log_entry");
	more_acts(dir, 2, 1);
	EXPECT_OK();
	dba_drop_triggers(dir);
	snprintf(sql, sizeof(sql),
		 "DELETE FROM log_checkpoint WHERE size = %lld",
		 (long long)m + 1);
	dba_exec(dir, sql);
	EXPECT_FAIL(m, "checkpoint");
	expect_message(__FILE__, __LINE__, "began its transaction there");
}

/* Expects verify of dir to fail with a message containing want. */
static void
expect_message(const char *file, int line, const char *want)
{
	struct core_verify_report rep;

	verify(dir, NULL, NULL, 0, &rep);
	if (!strstr(rep.message, want))
		test_fail(file, line, "message \"%s\" lacks \"%s\"",
			  rep.message, want);
	core_verify_report_release(&rep);
}

static void
test_audit_verify__naive_truncation_located(void)
{
	char sql[200], want[96];
	int64_t m, n;

	/* The newest entries and their checkpoints are deleted; the stored
	 * frontier still says how long the log was. */
	scenario();
	m = dba_int(dir, "SELECT count(*) FROM log_entry");
	more_acts(dir, 3, 1);
	n = dba_int(dir, "SELECT count(*) FROM log_entry");
	dba_drop_triggers(dir);
	snprintf(sql, sizeof(sql),
		 "DELETE FROM log_entry WHERE seq >= %lld;"
		 "DELETE FROM log_checkpoint WHERE size > %lld;",
		 (long long)m, (long long)m);
	dba_exec(dir, sql);
	EXPECT_FAIL(m, "truncated");
	snprintf(want, sizeof(want), "truncated after entry %lld",
		 (long long)m - 1);
	expect_message(__FILE__, __LINE__, want);
	snprintf(want, sizeof(want), "frontier says it had %lld entries",
		 (long long)n);
	expect_message(__FILE__, __LINE__, want);

	/* Entries only, cut inside the checkpoints: the newest checkpoint
	 * says how long the log was. */
	scenario_in("data2");
	m = dba_int(dir, "SELECT count(*) FROM log_entry");
	more_acts(dir, 3, 1);
	n = dba_int(dir, "SELECT count(*) FROM log_entry");
	dba_drop_triggers(dir);
	snprintf(sql, sizeof(sql), "DELETE FROM log_entry WHERE seq >= %lld",
		 (long long)m + 1);
	dba_exec(dir, sql);
	EXPECT_FAIL(m + 1, "truncated");
	snprintf(want, sizeof(want), "signed at size %lld", (long long)n);
	expect_message(__FILE__, __LINE__, want);
}

static void
test_audit_verify__fork_named_at_first_rewritten_entry(void)
{
	char wdir[600], state[4200], kept[700], copy[600], name[128];
	char vkey[256], err[256], cmd[9000], *note;
	const char *wit[1] = {state}, *both[2] = {state, kept};
	struct core_verify_report rep;
	struct core *c;
	size_t n_stored = 0;
	int64_t m, n;
	FILE *f;

	scenario();
	snprintf(wdir, sizeof(wdir), "%s/witness", test_tmpdir());
	snprintf(copy, sizeof(copy), "%s/backup.db", test_tmpdir());
	snprintf(kept, sizeof(kept), "%s/kept.checkpoint", test_tmpdir());
	witness_setup(wdir, dir);
	/* The host registers the witness; the witness cosigns the log at m
	 * and the host stores the cosignature. */
	CHECK_INT(core_witness_info(wdir, name, sizeof(name), vkey,
				    sizeof(vkey), err, sizeof(err)),
		  0);
	c = open_as(dir, NULL);
	core_act_as_system(c, "root");
	CHECK_INT(core_witness_key_add(c, vkey, NULL), 0);
	core_close(c);
	m = dba_int(dir, "SELECT count(*) FROM log_entry");
	CHECK_INT(witness_sees(wdir, dir, 0), 0);
	CHECK_INT(verify(dir, NULL, NULL, 0, &rep), 0);
	core_witness_state_path(wdir, rep.origin, state, sizeof(state));
	core_verify_report_release(&rep);
	/* The auditor also keeps that checkpoint (a receipt, a printout). */
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", state, kept);
	CHECK_INT(system(cmd), 0);
	note = calloc(1, 65536);
	f = fopen(state, "rb");
	CHECK(f != NULL && fread(note, 1, 65535, f) > 0);
	fclose(f);
	c = open_as(dir, NULL);
	core_act_as_system(c, "root");
	CHECK_INT(core_cosig_submit(c, note, strlen(note), &n_stored), 0);
	CHECK_INT((int64_t)n_stored, 1);
	core_close(c);
	free(note);

	/* The DBA's backup at m; the log grows, the witness sees n. */
	backup_db(dir, copy);
	more_acts(dir, 2, 0);
	n = dba_int(dir, "SELECT count(*) FROM log_entry");
	CHECK_INT(witness_sees(wdir, dir, (uint64_t)m), 0);
	/* The backup is restored and the host carries on: entries m.. are
	 * not the ones the witness saw. */
	restore_db(dir, copy);
	more_acts(dir, (int)(n - m) + 1, 0);
	/* The witness's tree at n is not ours; the cosignature stored at m
	 * says the tree up to m is the one it saw: m is the first entry
	 * rewritten (before: named at n - 1, the witness's size). */
	expect_fail(__FILE__, __LINE__, dir, NULL, wit, 1, m, "fork");

	/* Without the stored cosignature: nothing vouches for a size before
	 * n ... */
	dba_exec(dir, "DROP TRIGGER witness_cosig_no_delete;"
		      "DELETE FROM witness_cosig;");
	expect_fail(__FILE__, __LINE__, dir, NULL, wit, 1, 0, "fork");
	/* ... until the checkpoint the auditor kept at m is brought too. */
	expect_fail(__FILE__, __LINE__, dir, NULL, both, 2, m, "fork");
}

/* Names, sizes, modes, times and contents of everything under d
 * (malloc'd): to show that nothing there changed. */
static char *
tree_state(const char *d)
{
	char cmd[1400], *buf = calloc(1, 1 << 16);
	size_t n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && find . -exec stat -c '%%n %%s %%a %%y %%z' {} + "
		 "| sort && find . -type f -exec sha256sum {} + | sort",
		 d);
	p = popen(cmd, "r");
	CHECK(p != NULL);
	if (p) {
		n = fread(buf, 1, (1 << 16) - 1, p);
		CHECK_INT(pclose(p), 0);
	}
	buf[n] = '\0';
	return buf;
}

/* Verifies the read-only copy d: OK, size entries, nothing changed. */
static void
expect_ok_untouched(const char *file, int line, const char *d, int64_t size)
{
	struct core_verify_report rep;
	char *before = tree_state(d), *after;
	int r = verify(d, NULL, NULL, 0, &rep);

	if (r != 0 || (int64_t)rep.size != size)
		test_fail(file, line,
			  "verify: r=%d size=%lld (want %lld) %s: %s", r,
			  (long long)rep.size, (long long)size, rep.rule,
			  rep.message);
	core_verify_report_release(&rep);
	after = tree_state(d);
	if (strcmp(before, after) != 0)
		test_fail(file, line, "verify changed the copy:\n%s\n---\n%s",
			  before, after);
	free(before);
	free(after);
}

static void
test_audit_verify__read_only_copy_verifies(void)
{
	char copy[600], copy2[600], snaps[600], cmd[2000], path[700];
	char err[512], idn[24];
	struct core *c;
	struct stat sb;
	int64_t id, n;

	scenario_keys();
	id = complete_nominee();
	signed_act("pc_clerk", id, "pledge_paper");
	n = dba_int(dir, "SELECT count(*) FROM log_entry");
	snprintf(snaps, sizeof(snaps), "%s/snapshots", test_tmpdir());
	CHECK_INT(mkdir(snaps, 0700), 0);
	setenv("TMPDIR", snaps, 1);

	/* The auditor's evidence copy, taken with the host stopped, on
	 * read-only media (here: no write bit anywhere; root, as CI runs
	 * the tests, is not stopped by that, so the open must not try). */
	snprintf(copy, sizeof(copy), "%s/evidence", test_tmpdir());
	snprintf(cmd, sizeof(cmd), "cp -a '%s' '%s' && chmod -R a-w '%s'", dir,
		 copy, copy);
	CHECK_INT(system(cmd), 0);
	expect_ok_untouched(__FILE__, __LINE__, copy, n);
	snprintf(path, sizeof(path), "%s/nomdesk.db-shm", copy);
	CHECK(stat(path, &sb) != 0);
	/* The open: read-only, immutable (no -wal, -shm or locks), and
	 * SQLite itself refuses a write. */
	c = NULL;
	CHECK_INT(core_open_readonly(&c, copy, err, sizeof(err)), 0);
	if (c) {
		CHECK_INT(sqlite3_db_readonly(c->db, "main"), 1);
		CHECK(sqlite3_uri_boolean(sqlite3_db_filename(c->db, "main"),
					  "immutable", 0));
		CHECK(sqlite3_exec(c->db, "DELETE FROM log_checkpoint", NULL,
				   NULL, NULL) != SQLITE_OK);
		core_close(c);
	}
	/* A live directory is opened read-only too, sharing the WAL. */
	c = NULL;
	CHECK_INT(core_open_readonly(&c, dir, err, sizeof(err)), 0);
	if (c) {
		CHECK_INT(sqlite3_db_readonly(c->db, "main"), 1);
		CHECK(!sqlite3_uri_boolean(sqlite3_db_filename(c->db, "main"),
					   "immutable", 0));
		core_close(c);
	}

	/* A copy taken while the host ran: the last act is only in the
	 * -wal, which immutable=1 alone would not read. */
	snprintf(copy2, sizeof(copy2), "%s/evidence2", test_tmpdir());
	c = open_as(dir, "pc_clerk");
	CHECK_INT(core_nominee_reveal_id(c, id, idn), 0);
	snprintf(cmd, sizeof(cmd), "cp -a '%s' '%s' && chmod -R a-w '%s'", dir,
		 copy2, copy2);
	CHECK_INT(system(cmd), 0);
	core_close(c);
	snprintf(path, sizeof(path), "%s/nomdesk.db-wal", copy2);
	CHECK(stat(path, &sb) == 0 && sb.st_size > 0);
	expect_ok_untouched(__FILE__, __LINE__, copy2, n + 1);
	/* The private snapshot it read is gone. */
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A '%s')\"", snaps);
	CHECK_INT(system(cmd), 0);

	snprintf(cmd, sizeof(cmd), "chmod -R u+w '%s' '%s'", copy, copy2);
	CHECK_INT(system(cmd), 0);
}

static void
test_audit_verify__first_failure_whatever_the_threads(void)
{
	static const char *const threads[] = {"1", "2", "4"};
	char sql[160];
	uint8_t *p;
	size_t len;
	int64_t k;

	scenario();
	k = first_of(dir, ACT_DOSSIER_EDITED);
	dba_drop_triggers(dir);
	/* A forged signature at k (found late, in a batch) and a bad index
	 * column at k + 2 (found at once): k is the first failure. */
	p = dba_entry(dir, k, &len);
	p[len - 140] ^= 0x01;
	dba_set_entry(dir, k, p, len, 1);
	snprintf(sql, sizeof(sql),
		 "UPDATE log_entry SET actor = 'x' WHERE seq = %lld",
		 (long long)k + 2);
	dba_exec(dir, sql);
	for (size_t i = 0; i < 3; i++) {
		setenv("NOMDESK_VERIFY_THREADS", threads[i], 1);
		EXPECT_FAIL(k, "signature");
	}
	free(p);
}

static const struct test_case tests_audit_verify[] = {
	{"audit_verify__clean_log_verifies",
	 test_audit_verify__clean_log_verifies},
	{"audit_verify__edited_entry_named",
	 test_audit_verify__edited_entry_named},
	{"audit_verify__edited_unsigned_field_caught_by_root",
	 test_audit_verify__edited_unsigned_field_caught_by_root},
	{"audit_verify__deleted_entry_named",
	 test_audit_verify__deleted_entry_named},
	{"audit_verify__inserted_entry_named",
	 test_audit_verify__inserted_entry_named},
	{"audit_verify__reordered_entries_named",
	 test_audit_verify__reordered_entries_named},
	{"audit_verify__first_failure_whatever_the_threads",
	 test_audit_verify__first_failure_whatever_the_threads},
	{"audit_verify__stored_leaf_only_named",
	 test_audit_verify__stored_leaf_only_named},
	{"audit_verify__index_column_named",
	 test_audit_verify__index_column_named},
	{"audit_verify__nominee_row_behind_log_named",
	 test_audit_verify__nominee_row_behind_log_named},
	{"audit_verify__swapped_log_key_named",
	 test_audit_verify__swapped_log_key_named},
	{"audit_verify__truncation_caught_by_witness",
	 test_audit_verify__truncation_caught_by_witness},
	{"audit_verify__old_backup_caught_by_witness",
	 test_audit_verify__old_backup_caught_by_witness},
	{"audit_verify__witness_smaller_consistent",
	 test_audit_verify__witness_smaller_consistent},
	{"audit_verify__wrong_log_key_refused",
	 test_audit_verify__wrong_log_key_refused},
	{"audit_verify__inclusion_proof_round_trip",
	 test_audit_verify__inclusion_proof_round_trip},
	{"audit_verify__bundle_verifies_without_personal_data",
	 test_audit_verify__bundle_verifies_without_personal_data},
	{"audit_verify__mutated_bundle_fails",
	 test_audit_verify__mutated_bundle_fails},
	{"audit_verify__log_listing_is_scoped",
	 test_audit_verify__log_listing_is_scoped},
	{"audit_verify__checkpoint_fingerprint",
	 test_audit_verify__checkpoint_fingerprint},
	{"audit_verify__personal_signatures_verify",
	 test_audit_verify__personal_signatures_verify},
	{"audit_verify__swapped_user_key_named",
	 test_audit_verify__swapped_user_key_named},
	{"audit_verify__revoked_key_signature_named",
	 test_audit_verify__revoked_key_signature_named},
	{"audit_verify__swapped_key_rows_named",
	 test_audit_verify__swapped_key_rows_named},
	{"audit_verify__deleted_checkpoint_named",
	 test_audit_verify__deleted_checkpoint_named},
	{"audit_verify__naive_truncation_located",
	 test_audit_verify__naive_truncation_located},
	{"audit_verify__fork_named_at_first_rewritten_entry",
	 test_audit_verify__fork_named_at_first_rewritten_entry},
	{"audit_verify__read_only_copy_verifies",
	 test_audit_verify__read_only_copy_verifies},
	{NULL, NULL},
};
TEST_REGISTER(tests_audit_verify)
