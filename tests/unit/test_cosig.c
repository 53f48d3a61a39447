/*
 * Witness cosignatures kept by the host and judged by the auditor with
 * the auditor's own witness keys (audit-log.md 2.10, 2.12), and the log
 * key: checked at every open, rotatable (2.13).  Every case looks at
 * what is stored (SQLite, read-only) or at what the verifier names.
 */
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
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

#define T0 1604282400000LL
#define WA "witness.pingcheng.example/1"
#define WB "witness.discipline.example/1"

static char dir[512], wa[512], wb[512];

static struct core *
open_as(const char *login)
{
	return fixture_open_as(dir, login, test_clock);
}

static void
add_nominee(const char *name)
{
	struct core *c = open_as("pc_clerk");
	struct core_nominee_new n = {name, "女", "1978-05-06", "教授", NULL};
	int64_t id;

	now_ms += 60000;
	CHECK_INT(core_nominee_add(c, &n, &id, NULL), 0);
	core_close(c);
}

static int64_t
db_int(const char *sql)
{
	char path[600];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
		    SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void
db_exec(const char *sql)
{
	char path[600], *err = NULL;
	sqlite3 *db = NULL;

	snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
	CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		test_fail(__FILE__, __LINE__, "%s: %s", sql, err);
	sqlite3_free(err);
	sqlite3_close(db);
}

static void
verify_opts(struct core_verify_opts *o, const char *bundle)
{
	memset(o, 0, sizeof(*o));
	o->data_dir = bundle ? NULL : dir;
	o->bundle = bundle;
}

/* The log's origin and entry-0 key, as the auditor reads them. */
static void
log_identity(char origin[128], uint8_t key[32])
{
	struct core_verify_opts o;
	struct core_verify_report rep;

	verify_opts(&o, NULL);
	CHECK_INT(core_audit_verify(&o, &rep), 0);
	snprintf(origin, 128, "%s", rep.origin);
	memcpy(key, rep.log_key, 32);
	core_verify_report_release(&rep);
}

/* A demo data dir and two witnesses that trust its log, under name. */
static void
setup_in(const char *name)
{
	char err[256], origin[128];
	uint8_t key[32];

	snprintf(dir, sizeof(dir), "%s/%s", test_tmpdir(), name);
	snprintf(wa, sizeof(wa), "%s/%s-wa", test_tmpdir(), name);
	snprintf(wb, sizeof(wb), "%s/%s-wb", test_tmpdir(), name);
	if (core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
	now_ms = T0;
	log_identity(origin, key);
	CHECK_INT(core_witness_init(wa, WA, err, sizeof(err)), 0);
	CHECK_INT(core_witness_init(wb, WB, err, sizeof(err)), 0);
	CHECK_INT(core_witness_add_log(wa, origin, key, err, sizeof(err)), 0);
	CHECK_INT(core_witness_add_log(wb, origin, key, err, sizeof(err)), 0);
}

static void
setup(void)
{
	setup_in("data");
}

static void
vkey_of(const char *w, char vkey[256])
{
	char name[128], err[256];

	CHECK_INT(core_witness_info(w, name, sizeof(name), vkey, 256, err,
				    sizeof(err)),
		  0);
}

static int
register_key(const char *w, const char *login)
{
	struct core *c = open_as(login);
	char vkey[256];
	int r;

	vkey_of(w, vkey);
	r = core_witness_key_add(c, vkey, NULL);
	core_close(c);
	return r;
}

/*
 * Witness w cosigns the latest checkpoint (holding since) and returns
 * the whole cosigned checkpoint as it stores it (malloc'd).
 */
static char *
witness_cosigns(const char *w, uint64_t since)
{
	struct core_witness_result res;
	struct core *c = open_as(NULL);
	char *req = NULL, err[1024], *state;
	size_t len = 0;
	FILE *f;

	CHECK_INT(core_audit_witness_request(c, since, &req, &len), 0);
	core_close(c);
	if (core_witness_cosign(w, req, len, now_ms / 1000, &res, err,
				sizeof(err)) != 0)
		test_fail(__FILE__, __LINE__, "cosign: %s", err);
	free(req);
	state = calloc(1, 65536);
	f = fopen(res.state, "rb");
	CHECK(f != NULL);
	if (f) {
		CHECK(fread(state, 1, 65535, f) > 0);
		fclose(f);
	}
	return state;
}

static int
submit(const char *note, size_t *n)
{
	struct core *c = open_as("pingcheng_hr");
	int r;

	*n = 99;
	r = core_cosig_submit(c, note, strlen(note), n);
	if (r != 0)
		printf("# submit: %s\n", core_errmsg(c));
	core_close(c);
	return r;
}

static int64_t
n_cosigs(void)
{
	return db_int("SELECT count(*) FROM witness_cosig");
}

/* The witness's line: the last line of its stored checkpoint. */
static char *
last_line(char *note)
{
	char *end = note + strlen(note) - 1, *p = end;

	while (p > note && p[-1] != '\n')
		p--;
	return p;
}

static void
test_cosig__submit_stores_once(void)
{
	size_t n;
	char *note;

	setup();
	add_nominee("张三");
	CHECK_INT(register_key(wa, "city_hr"), 0);
	note = witness_cosigns(wa, 0);
	CHECK_INT(submit(note, &n), 0);
	CHECK_INT(n, 1);
	CHECK_INT(n_cosigs(), 1);
	/* Stored against the checkpoint and the key it verified with. */
	CHECK_INT(db_int("SELECT count(*) FROM witness_cosig w JOIN "
			 "witness_key k ON k.id = w.witness WHERE k.name = '" WA
			 "' AND w.size = (SELECT max(size) FROM "
			 "log_checkpoint) AND w.time = 1604282460"),
		  1);
	/* The same again: nothing new. */
	CHECK_INT(submit(note, &n), 0);
	CHECK_INT(n, 0);
	CHECK_INT(n_cosigs(), 1);
	/* Not a log entry: the log did not grow with the submission. */
	CHECK_INT(db_int("SELECT count(*) FROM log_entry") ==
			  db_int("SELECT max(size) FROM log_checkpoint"),
		  1);
	free(note);
}

static void
test_cosig__unregistered_witness_refused(void)
{
	size_t n;
	char *note;

	setup();
	CHECK_INT(register_key(wb, "admin"), 0);
	note = witness_cosigns(wa, 0); /* A is not registered, B is */
	CHECK_INT(submit(note, &n), CORE_EAUTH);
	CHECK_INT(n, 0);
	CHECK_INT(n_cosigs(), 0);
	free(note);
}

static void
test_cosig__tampered_line_refused(void)
{
	size_t n;
	char *note, *line, *b64;

	setup();
	CHECK_INT(register_key(wa, "city_hr"), 0);
	note = witness_cosigns(wa, 0);
	line = last_line(note);
	b64 = strrchr(line, ' ') + 1;
	/* One base64 digit of the signature, another digit: decodes, but
	 * the signature no longer verifies. */
	b64[40] = b64[40] == 'A' ? 'B' : 'A';
	CHECK_INT(submit(note, &n), CORE_EAUTH);
	/* The timestamp changed instead. */
	b64[40] = b64[40] == 'A' ? 'B' : 'A';
	b64[8] = b64[8] == 'A' ? 'B' : 'A';
	CHECK_INT(submit(note, &n), CORE_EAUTH);
	CHECK_INT(n_cosigs(), 0);
	free(note);
}

static void
test_cosig__unknown_checkpoint_refused(void)
{
	size_t n;
	char *note, *p, *other;

	setup();
	CHECK_INT(register_key(wa, "city_hr"), 0);
	note = witness_cosigns(wa, 0);
	/* The root line changed: no stored checkpoint has that body. */
	other = strdup(note);
	p = strchr(strchr(other, '\n') + 1, '\n') + 1;
	p[0] = p[0] == 'A' ? 'B' : 'A';
	CHECK_INT(submit(other, &n), CORE_ENOENT);
	free(other);
	/* A size the log never signed. */
	{
		char *nl = strchr(note, '\n') + 1, buf[16];
		size_t digits = strcspn(nl, "\n");

		other = malloc(strlen(note) + 8);
		snprintf(buf, sizeof(buf), "%d", 999);
		sprintf(other, "%.*s%s%s", (int)(nl - note), note, buf,
			nl + digits);
		CHECK_INT(submit(other, &n), CORE_ENOENT);
		free(other);
	}
	/* No cosignature at all: just the log's own checkpoint. */
	{
		struct core *c = open_as(NULL);
		char *cp = NULL;
		uint64_t size;

		CHECK_INT(core_audit_checkpoint(c, &cp, &size), 0);
		core_close(c);
		CHECK_INT(submit(cp, &n), CORE_EINVAL);
		free(cp);
	}
	CHECK_INT(n_cosigs(), 0);
	free(note);
}

static void
test_cosig__witness_key_registry(void)
{
	struct core_verify_opts o;
	struct core_verify_report rep;
	struct core *c;
	char vkey[256], bad[256];

	setup();
	vkey_of(wa, vkey);
	/* Who may. */
	CHECK_INT(register_key(wa, "pc_clerk"), CORE_EPERM);
	CHECK_INT(register_key(wa, "auditor"), CORE_EPERM);
	/* What is a key: a changed hash or key is refused. */
	c = open_as("admin");
	snprintf(bad, sizeof(bad), "%s", vkey);
	bad[strlen(WA) + 1] = bad[strlen(WA) + 1] == '0' ? '1' : '0';
	CHECK_INT(core_witness_key_add(c, bad, NULL), CORE_EINVAL);
	CHECK_STR(core_errfield(c), "vkey");
	CHECK_INT(core_witness_key_add(c, "nonsense", NULL), CORE_EINVAL);
	core_close(c);
	CHECK_INT(db_int("SELECT count(*) FROM witness_key"), 0);
	CHECK_INT(register_key(wa, "city_hr"), 0);
	CHECK_INT(register_key(wa, "admin"), CORE_EEXIST);
	/* The act is in the log, in the same transaction as the row. */
	CHECK_INT(db_int("SELECT count(*) FROM log_entry WHERE act = 111 AND "
			 "subject = 'witness:" WA "' AND actor = 'city_hr'"),
		  1);
	CHECK_INT(db_int("SELECT count(*) FROM witness_key k JOIN log_entry "
			 "e ON e.seq = k.seq WHERE e.act = 111"),
		  1);
	/* The verifier replays it. */
	verify_opts(&o, NULL);
	CHECK_INT(core_audit_verify(&o, &rep), 0);
	CHECK(rep.n_by_act[111] == 1);
	core_verify_report_release(&rep);
}

/* A log with one checkpoint cosigned by A (registered) exported. */
static void
cosigned_bundle(char *bundle, size_t sz)
{
	struct core_receipt rc;
	struct core *c;
	size_t n;
	char *note;

	setup();
	add_nominee("张三");
	CHECK_INT(register_key(wa, "city_hr"), 0);
	CHECK_INT(register_key(wb, "city_hr"), 0);
	note = witness_cosigns(wa, 0);
	CHECK_INT(submit(note, &n), 0);
	free(note);
	snprintf(bundle, sz, "%s/log.bundle", test_tmpdir());
	c = open_as("auditor");
	CHECK_INT(core_audit_export(c, bundle, &rc), 0);
	core_close(c);
}

static int
verify_keys(const char *bundle, const char *k1, const char *k2, int quorum,
	    struct core_verify_report *rep)
{
	const char *keys[2] = {k1, k2};
	struct core_verify_opts o;

	verify_opts(&o, bundle);
	o.witness_keys = keys;
	o.n_witness_keys = k2 ? 2 : k1 ? 1 : 0;
	o.quorum = quorum;
	return core_audit_verify(&o, rep);
}

static void
test_cosig__verify_with_auditors_keys(void)
{
	struct core_verify_report rep;
	char bundle[600], ka[256], kb[256], kother[256], wc[600], err[256];

	cosigned_bundle(bundle, sizeof(bundle));
	vkey_of(wa, ka);
	vkey_of(wb, kb);
	/* Quorum 1 with A's key: passes, and says who cosigned. */
	CHECK_INT(verify_keys(bundle, ka, NULL, 1, &rep), 0);
	CHECK_INT(rep.n_cosigs, 1);
	CHECK_INT(rep.n_cosigned, 1);
	CHECK_INT(rep.n_quorum, 1);
	CHECK_INT(rep.n_cosigners, 1);
	if (rep.n_cosigners == 1) {
		CHECK_STR(rep.cosigners[0].name, WA);
		CHECK_INT(rep.cosigners[0].trusted, 1);
		CHECK_INT(rep.cosigners[0].last_size, rep.cosigned_size);
	}
	core_verify_report_release(&rep);
	/* The same from the data directory. */
	CHECK_INT(verify_keys(NULL, ka, NULL, 0, &rep), 0);
	CHECK_INT(rep.n_quorum, 1);
	core_verify_report_release(&rep);
	/* Without keys: checked against the registry, counted, no rule. */
	CHECK_INT(verify_keys(bundle, NULL, NULL, 0, &rep), 0);
	CHECK_INT(rep.n_cosigs, 1);
	CHECK_INT(rep.n_cosigners, 1);
	CHECK(rep.n_cosigners == 1 && !rep.cosigners[0].trusted);
	core_verify_report_release(&rep);
	/* Quorum 2 when only A cosigned: the rule and the size named. */
	CHECK_INT(verify_keys(bundle, ka, kb, 2, &rep), CORE_ECORRUPT);
	CHECK_STR(rep.rule, "quorum");
	{
		char want[64];

		snprintf(want, sizeof(want), "(size %llu)",
			 (unsigned long long)rep.cosigned_size);
		CHECK(rep.cosigned_size > 0 && strstr(rep.message, want));
	}
	core_verify_report_release(&rep);
	CHECK_INT(verify_keys(bundle, ka, NULL, 2, &rep), CORE_ECORRUPT);
	CHECK_STR(rep.rule, "quorum");
	core_verify_report_release(&rep);
	/* B's key only (registered, never cosigned): no quorum. */
	CHECK_INT(verify_keys(bundle, kb, NULL, 1, &rep), CORE_ECORRUPT);
	CHECK_STR(rep.rule, "quorum");
	core_verify_report_release(&rep);
	/* A key under A's name that is not A's: not counted. */
	snprintf(wc, sizeof(wc), "%s/wc", test_tmpdir());
	CHECK_INT(core_witness_init(wc, WA, err, sizeof(err)), 0);
	vkey_of(wc, kother);
	CHECK_INT(verify_keys(bundle, kother, NULL, 1, &rep), CORE_ECORRUPT);
	CHECK_STR(rep.rule, "quorum");
	core_verify_report_release(&rep);
	/* A malformed key is an input error, not a verdict. */
	CHECK_INT(verify_keys(bundle, "not+a+key", NULL, 1, &rep),
		  CORE_EINVAL);
	CHECK_STR(rep.rule, "input");
	core_verify_report_release(&rep);
}

/* The quorum is counted on the newest cosigned checkpoint only: a
 * witness that cosigned an older one does not count there. */
static void
test_cosig__quorum_on_newest_cosigned(void)
{
	struct core_verify_report rep;
	char ka[256], kb[256], *note;
	int64_t s1;
	size_t n;

	setup();
	add_nominee("张三");
	CHECK_INT(register_key(wa, "city_hr"), 0);
	CHECK_INT(register_key(wb, "city_hr"), 0);
	vkey_of(wa, ka);
	vkey_of(wb, kb);
	s1 = db_int("SELECT max(size) FROM log_checkpoint");
	note = witness_cosigns(wa, 0);
	CHECK_INT(submit(note, &n), 0);
	free(note);
	add_nominee("李四");
	note = witness_cosigns(wb, 0);
	CHECK_INT(submit(note, &n), 0);
	free(note);
	CHECK_INT(verify_keys(NULL, ka, NULL, 1, &rep), CORE_ECORRUPT);
	CHECK_STR(rep.rule, "quorum");
	CHECK(rep.cosigned_size > (uint64_t)s1);
	CHECK_INT(rep.n_cosigned, 2);
	core_verify_report_release(&rep);
	CHECK_INT(verify_keys(NULL, ka, kb, 1, &rep), 0);
	CHECK_INT(rep.n_quorum, 1);
	CHECK_INT(rep.n_cosigners, 2);
	core_verify_report_release(&rep);
	CHECK_INT(verify_keys(NULL, ka, kb, 2, &rep), CORE_ECORRUPT);
	CHECK_STR(rep.rule, "quorum");
	core_verify_report_release(&rep);
	/* A catches up: both on the newest. */
	note = witness_cosigns(wa, (uint64_t)s1);
	CHECK_INT(submit(note, &n), 0);
	free(note);
	CHECK_INT(verify_keys(NULL, ka, kb, 2, &rep), 0);
	CHECK_INT(rep.n_quorum, 2);
	core_verify_report_release(&rep);
}

/* Offset of the first cosignature record's line in a bundle. */
static long
cosig_record(const uint8_t *p, size_t n)
{
	const uint8_t *hdr = (const uint8_t *)strstr((const char *)p, "\n\n");
	size_t off = (size_t)(hdr - p) + 2;

	while (off + 5 <= n) {
		size_t len = (size_t)p[off + 1] << 24 | (size_t)p[off + 2] << 16 |
			     (size_t)p[off + 3] << 8 | p[off + 4];

		if (p[off] == 'S')
			return (long)(off + 5 + 8);
		off += 5 + len;
	}
	return -1;
}

static void
test_cosig__tampered_cosignature_fails(void)
{
	struct core_verify_report rep;
	char bundle[600], ka[256], copy[700];
	uint8_t *buf = malloc(1 << 20);
	size_t n;
	long at;
	FILE *f;

	cosigned_bundle(bundle, sizeof(bundle));
	vkey_of(wa, ka);
	f = fopen(bundle, "rb");
	n = fread(buf, 1, 1 << 20, f);
	fclose(f);
	CHECK(memcmp(buf, "nomdesk-audit-bundle v2\n", 24) == 0);
	CHECK(strstr((char *)buf, "\ncosignatures 1\n") != NULL);
	at = cosig_record(buf, n);
	CHECK(at > 0);
	/* A digit of the signature: the cosignature does not verify. */
	{
		char *line = (char *)buf + at, *b64 = memchr(line, ' ', 8);

		b64 = (char *)memchr(b64 + 1, ' ', 200) + 1;
		b64[50] = b64[50] == 'A' ? 'B' : 'A';
	}
	snprintf(copy, sizeof(copy), "%s/tampered.bundle", test_tmpdir());
	f = fopen(copy, "wb");
	fwrite(buf, 1, n, f);
	fclose(f);
	CHECK_INT(verify_keys(copy, ka, NULL, 1, &rep), CORE_ECORRUPT);
	CHECK_STR(rep.rule, "cosignature");
	core_verify_report_release(&rep);
	/* Even without the auditor's keys: a bad one is never skipped. */
	CHECK_INT(verify_keys(copy, NULL, NULL, 0, &rep), CORE_ECORRUPT);
	CHECK_STR(rep.rule, "cosignature");
	core_verify_report_release(&rep);
	/* In the database, as a DBA would. */
	db_exec("DROP TRIGGER witness_cosig_no_update;"
		"UPDATE witness_cosig SET line = substr(line, 1, 60) || "
		"CASE substr(line, 61, 1) WHEN 'A' THEN 'B' ELSE 'A' END || "
		"substr(line, 62)");
	CHECK_INT(verify_keys(NULL, ka, NULL, 1, &rep), CORE_ECORRUPT);
	CHECK_STR(rep.rule, "cosignature");
	core_verify_report_release(&rep);
	free(buf);
}

/* The bundle at from as version 1 wrote it (no cosignatures line, no
 * witness registry record); 'S' records kept if keep_s. */
static void
as_v1(const char *from, const char *to, int keep_s)
{
	uint8_t *in = malloc(1 << 20), *out = malloc(1 << 20);
	size_t n, off, o = 0;
	char *cs, *end;
	FILE *f = fopen(from, "rb");

	n = fread(in, 1, 1 << 20, f);
	fclose(f);
	end = strstr((char *)in, "\n\n");
	cs = strstr((char *)in, "cosignatures ");
	CHECK(cs && end && cs < end);
	memcpy(out, in, (size_t)(cs - (char *)in));
	o = (size_t)(cs - (char *)in);
	out[22] = '1'; /* "nomdesk-audit-bundle v1" */
	off = (size_t)(end - (char *)in) + 1;
	out[o++] = '\n';
	off++;
	while (off + 5 <= n) {
		size_t len = (size_t)in[off + 1] << 24 | (size_t)in[off + 2] << 16 |
			     (size_t)in[off + 3] << 8 | in[off + 4];

		if (in[off] != 'W' && (keep_s || in[off] != 'S')) {
			memcpy(out + o, in + off, 5 + len);
			o += 5 + len;
		}
		off += 5 + len;
	}
	f = fopen(to, "wb");
	fwrite(out, 1, o, f);
	fclose(f);
	free(in);
	free(out);
}

static void
test_cosig__v1_bundle_still_read(void)
{
	struct core_verify_report rep;
	char bundle[600], v1[700];

	cosigned_bundle(bundle, sizeof(bundle));
	snprintf(v1, sizeof(v1), "%s/v1.bundle", test_tmpdir());
	as_v1(bundle, v1, 0);
	/* The witness key act is in the entries; its registry record is
	 * not (v1 had none), and no cosignature. */
	CHECK_INT(verify_keys(v1, NULL, NULL, 0, &rep), 0);
	CHECK_INT(rep.n_cosigs, 0);
	core_verify_report_release(&rep);
	/* A v1 bundle cannot carry cosignature records. */
	snprintf(v1, sizeof(v1), "%s/v1s.bundle", test_tmpdir());
	as_v1(bundle, v1, 1);
	CHECK_INT(verify_keys(v1, NULL, NULL, 0, &rep), CORE_ECORRUPT);
	CHECK_STR(rep.rule, "bundle");
	core_verify_report_release(&rep);
}

/* ---- the log key ---- */

static void
key_path(char *out, size_t sz, const char *name)
{
	snprintf(out, sz, "%s/keys/%s", dir, name);
}

static void
test_audit_logkey__swapped_key_file_refused(void)
{
	char path[700], err[512];
	struct core *c = NULL;

	setup();
	key_path(path, sizeof(path), "log.key");
	CHECK_INT(unlink(path), 0);
	CHECK_INT(signer_generate_file(path, err, sizeof(err)), 0);
	CHECK_INT(core_open(&c, dir, err, sizeof(err)), CORE_ECORRUPT);
	CHECK(c == NULL);
	CHECK(strstr(err, "refusing the log key file") != NULL);
	CHECK(strstr(err, "entry 0") != NULL);
	/* Nothing was signed with it. */
	CHECK_INT(db_int("SELECT count(*) FROM log_entry") ==
			  db_int("SELECT max(size) FROM log_checkpoint"),
		  1);
	CHECK_INT(unlink(path), 0);
	CHECK_INT(core_open(&c, dir, err, sizeof(err)), CORE_EIO);
}

/* The signature lines of the checkpoint at size. */
static int
sig_lines_at(int64_t size)
{
	char sql[160];

	snprintf(sql, sizeof(sql),
		 "SELECT length(note) - length(replace(note, char(10), '')) - 4 "
		 "FROM log_checkpoint WHERE size = %lld",
		 (long long)size);
	return (int)db_int(sql);
}

static int
expect_rule(const char *bundle, const char *rule, int64_t seq)
{
	struct core_verify_opts o;
	struct core_verify_report rep;
	int r;

	verify_opts(&o, bundle);
	r = core_audit_verify(&o, &rep);
	if (rule && (r != CORE_ECORRUPT || strcmp(rep.rule, rule) != 0 ||
		     rep.seq != seq))
		test_fail(__FILE__, __LINE__,
			  "verify: r=%d rule=%s seq=%lld: %s; want %s at %lld",
			  r, rep.rule, (long long)rep.seq, rep.message, rule,
			  (long long)seq);
	if (!rule && r != 0)
		test_fail(__FILE__, __LINE__, "verify: %s at %lld: %s",
			  rep.rule, (long long)rep.seq, rep.message);
	core_verify_report_release(&rep);
	return r;
}

/* Rotates as admin; the entry of the announcement. */
static int64_t
rotate(void)
{
	struct core_receipt rc;
	struct core *c = open_as("admin");
	char retired[4200];

	now_ms += 60000;
	CHECK_INT(core_audit_rotate_log_key(c, &rc, retired, sizeof(retired)),
		  0);
	core_close(c);
	CHECK(strstr(retired, "/keys/log.key.retired-") != NULL);
	CHECK_INT(access(retired, F_OK), 0);
	return (int64_t)rc.seq;
}

/* Enrolments the old log key signed stay valid after a rotation: the
 * user signs with the key enrolled before (key rotation is a signed act
 * judged against the registry). */
static void
test_audit_logkey__keys_enrolled_before_rotation_still_sign(void)
{
	struct core *c;

	setenv("NOMDESK_KDF", "interactive", 1);
	setup();
	c = open_as("pc_clerk");
	CHECK_INT(core_key_enroll(c, "pc_clerk", "before rotation 1", NULL),
		  0);
	core_close(c);
	(void)rotate();
	c = open_as("pc_clerk");
	if (core_key_rotate(c, "pc_clerk", "before rotation 1",
			    "after rotation 22", NULL) != 0)
		test_fail(__FILE__, __LINE__, "key rotate: %s",
			  core_errmsg(c));
	core_close(c);
	expect_rule(NULL, NULL, 0);
}

static void
test_audit_logkey__rotation_verifies(void)
{
	struct core_verify_opts o;
	struct core_verify_report rep;
	uint8_t before[32], after[32];
	char origin[128], bundle[600], held[700], *note;
	const char *wit[1] = {held};
	struct core_receipt rc;
	struct core *c, *stale;
	int64_t r, n, s1;
	size_t k;
	FILE *f;

	setup();
	add_nominee("张三");
	log_identity(origin, before);
	/* A witness holds the log before the rotation. */
	CHECK_INT(register_key(wa, "city_hr"), 0);
	s1 = db_int("SELECT max(size) FROM log_checkpoint");
	note = witness_cosigns(wa, 0);
	snprintf(held, sizeof(held), "%s/held.checkpoint", test_tmpdir());
	f = fopen(held, "wb");
	fputs(note, f);
	fclose(f);
	free(note);
	/* Who may. */
	c = open_as("city_hr");
	CHECK_INT(core_audit_rotate_log_key(c, NULL, NULL, 0), CORE_EPERM);
	core_close(c);
	stale = open_as("pc_clerk"); /* a session opened before */
	r = rotate();
	CHECK_INT(db_int("SELECT act FROM log_entry ORDER BY seq DESC LIMIT "
			 "1"),
		  110);
	/* The checkpoint covering the announcement: both keys. */
	CHECK_INT(sig_lines_at(r + 1), 2);
	add_nominee("李四"); /* a new session: the new key */
	CHECK_INT(sig_lines_at(r + 2), 1);
	/* The session from before may no longer sign anything. */
	{
		struct core_nominee_new nn = {"王五", "男", "1970-01-02", "教授",
					      NULL};
		int64_t id;

		n = db_int("SELECT count(*) FROM log_entry");
		CHECK_INT(core_nominee_add(stale, &nn, &id, NULL),
			  CORE_ESTATE);
		CHECK(strstr(core_errmsg(stale), "log in again") != NULL);
		CHECK_INT(db_int("SELECT count(*) FROM log_entry"), n);
		core_close(stale);
	}
	/* core_open accepts the new key file (and only it). */
	c = open_as(NULL);
	core_close(c);
	expect_rule(NULL, NULL, 0);
	verify_opts(&o, NULL);
	CHECK_INT(core_audit_verify(&o, &rep), 0);
	CHECK_INT(rep.n_log_keys, 2);
	CHECK(memcmp(rep.log_key, before, 32) == 0);
	memcpy(after, rep.log_key_now, 32);
	CHECK(memcmp(after, before, 32) != 0);
	core_verify_report_release(&rep);
	/* The auditor may bring either key; a third is refused. */
	o.log_key = after;
	CHECK_INT(core_audit_verify(&o, &rep), 0);
	core_verify_report_release(&rep);
	o.log_key = before;
	CHECK_INT(core_audit_verify(&o, &rep), 0);
	core_verify_report_release(&rep);
	/* The bundle too. */
	snprintf(bundle, sizeof(bundle), "%s/rot.bundle", test_tmpdir());
	c = open_as("auditor");
	CHECK_INT(core_audit_export(c, bundle, &rc), 0);
	core_close(c);
	expect_rule(bundle, NULL, 0);
	/* What the witness held from before: the old key's checkpoint,
	 * consistent with the log. */
	verify_opts(&o, NULL);
	o.witness = wit;
	o.n_witness = 1;
	CHECK_INT(core_audit_verify(&o, &rep), 0);
	CHECK_INT(rep.n_witnesses, 1);
	core_verify_report_release(&rep);
	/* The witness follows the log once it trusts the new key too;
	 * its cosignatures still go in. */
	{
		char err[256];

		CHECK_INT(core_witness_add_log(wa, origin, after, err,
					       sizeof(err)),
			  0);
		add_nominee("赵六");
		note = witness_cosigns(wa, (uint64_t)s1);
		CHECK_INT(submit(note, &k), 0);
		CHECK_INT(k, 1);
		free(note);
	}
	expect_rule(NULL, NULL, 0);
}

/* Replaces the checkpoint at size with one signed by key file alone. */
static void
resign_checkpoint(int64_t size, const char *keyfile)
{
	struct signer *s = NULL;
	char err[256], origin[128], note[1024], sql[1400];
	uint8_t key[32], root[32];
	int64_t r;

	CHECK_INT(signer_load_file(&s, keyfile, err, sizeof(err)), 0);
	log_identity(origin, key);
	{
		/* The root the stored note names. */
		char path[600];
		sqlite3 *db = NULL;
		sqlite3_stmt *st = NULL;
		const char *p;
		char r64[64];

		snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
		sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
		sqlite3_prepare_v2(db,
				   "SELECT note FROM log_checkpoint WHERE "
				   "size = ?1",
				   -1, &st, NULL);
		sqlite3_bind_int64(st, 1, size);
		CHECK_INT(sqlite3_step(st), SQLITE_ROW);
		p = (const char *)sqlite3_column_text(st, 0);
		p = strchr(strchr(p, '\n') + 1, '\n') + 1;
		snprintf(r64, sizeof(r64), "%.*s", (int)strcspn(p, "\n"), p);
		CHECK_INT(keys_b64_decode(r64, root, 32), 32);
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	CHECK_INT(note_checkpoint_sign(s, origin, (uint64_t)size, root, note,
				       sizeof(note)),
		  0);
	signer_free(s);
	r = snprintf(sql, sizeof(sql),
		     "DROP TRIGGER IF EXISTS log_checkpoint_no_update;"
		     "UPDATE log_checkpoint SET note = '%s' WHERE size = %lld",
		     note, (long long)size);
	CHECK(r > 0 && (size_t)r < sizeof(sql));
	db_exec(sql);
}

static void
test_audit_logkey__old_key_after_switch_fails(void)
{
	char old[700];
	int64_t r;

	setup();
	add_nominee("张三");
	r = rotate();
	add_nominee("李四");
	expect_rule(NULL, NULL, 0);
	snprintf(old, sizeof(old), "%s/keys/log.key.retired-%lld", dir,
		 (long long)r);
	/* The switch checkpoint with the old key's signature only. */
	resign_checkpoint(r + 1, old);
	expect_rule(NULL, "checkpoint", r);
	/* The next one signed by the retired key instead of the new. */
	setup_in("data2");
	add_nominee("张三");
	r = rotate();
	add_nominee("李四");
	snprintf(old, sizeof(old), "%s/keys/log.key.retired-%lld", dir,
		 (long long)r);
	resign_checkpoint(r + 2, old);
	expect_rule(NULL, "checkpoint", r + 1);
	/* Two lines at the switch, but the second not by the old key. */
	setup_in("data3");
	add_nominee("张三");
	r = rotate();
	{
		char newk[700], other[700], err[256];
		struct signer *s = NULL;
		char *note = malloc(2048), sql[2400];
		char origin[128];
		uint8_t key[32];

		log_identity(origin, key);
		snprintf(newk, sizeof(newk), "%s/keys/log.key", dir);
		snprintf(other, sizeof(other), "%s/other.key", test_tmpdir());
		CHECK_INT(signer_generate_file(other, err, sizeof(err)), 0);
		resign_checkpoint(r + 1, newk);
		{
			/* the re-signed note, then a line by a stranger */
			char path[600];
			sqlite3 *db = NULL;
			sqlite3_stmt *st = NULL;

			snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
			sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
			sqlite3_prepare_v2(db,
					   "SELECT note FROM log_checkpoint "
					   "WHERE size = ?1",
					   -1, &st, NULL);
			sqlite3_bind_int64(st, 1, r + 1);
			CHECK_INT(sqlite3_step(st), SQLITE_ROW);
			snprintf(note, 2048, "%s", sqlite3_column_text(st, 0));
			sqlite3_finalize(st);
			sqlite3_close(db);
		}
		CHECK_INT(signer_load_file(&s, other, err, sizeof(err)), 0);
		CHECK_INT(note_sign_append(s, origin, note, 2048), 0);
		signer_free(s);
		snprintf(sql, sizeof(sql),
			 "UPDATE log_checkpoint SET note = '%s' WHERE size = "
			 "%lld",
			 note, (long long)(r + 1));
		db_exec(sql);
		free(note);
		expect_rule(NULL, "checkpoint", r);
	}
}

static void
test_audit_logkey__interrupted_rotation_finished_at_open(void)
{
	char key[700], fresh[700], old[800], err[256];
	struct core *c = NULL;
	int64_t r;

	setup();
	r = rotate();
	/* As if the process died after COMMIT, before the renames. */
	key_path(key, sizeof(key), "log.key");
	key_path(fresh, sizeof(fresh), "log.key.new");
	snprintf(old, sizeof(old), "%s.retired-%lld", key, (long long)r);
	CHECK_INT(rename(key, fresh), 0);
	CHECK_INT(rename(old, key), 0);
	CHECK_INT(core_open(&c, dir, err, sizeof(err)), 0);
	core_close(c);
	CHECK_INT(access(fresh, F_OK), -1);
	CHECK_INT(access(old, F_OK), 0);
	add_nominee("张三");
	expect_rule(NULL, NULL, 0);
	/* A leftover new key the log never announced is not taken. */
	CHECK_INT(signer_generate_file(fresh, err, sizeof(err)), 0);
	c = NULL;
	CHECK_INT(core_open(&c, dir, err, sizeof(err)), 0);
	core_close(c);
	CHECK_INT(access(fresh, F_OK), 0);
	/* The next rotation replaces it. */
	rotate();
	add_nominee("李四");
	expect_rule(NULL, NULL, 0);
}

static const struct test_case tests_cosig[] = {
	{"cosig__submit_stores_once", test_cosig__submit_stores_once},
	{"cosig__unregistered_witness_refused",
	 test_cosig__unregistered_witness_refused},
	{"cosig__tampered_line_refused", test_cosig__tampered_line_refused},
	{"cosig__unknown_checkpoint_refused",
	 test_cosig__unknown_checkpoint_refused},
	{"cosig__witness_key_registry", test_cosig__witness_key_registry},
	{"cosig__verify_with_auditors_keys",
	 test_cosig__verify_with_auditors_keys},
	{"cosig__tampered_cosignature_fails",
	 test_cosig__tampered_cosignature_fails},
	{"cosig__v1_bundle_still_read", test_cosig__v1_bundle_still_read},
	{"cosig__quorum_on_newest_cosigned",
	 test_cosig__quorum_on_newest_cosigned},
	{"audit_logkey__swapped_key_file_refused",
	 test_audit_logkey__swapped_key_file_refused},
	{"audit_logkey__keys_enrolled_before_rotation_still_sign",
	 test_audit_logkey__keys_enrolled_before_rotation_still_sign},
	{"audit_logkey__rotation_verifies",
	 test_audit_logkey__rotation_verifies},
	{"audit_logkey__old_key_after_switch_fails",
	 test_audit_logkey__old_key_after_switch_fails},
	{"audit_logkey__interrupted_rotation_finished_at_open",
	 test_audit_logkey__interrupted_rotation_finished_at_open},
	{NULL, NULL},
};
TEST_REGISTER(tests_cosig)
