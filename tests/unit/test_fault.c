/*
 * Write errors and a full disk at every write and sync of an act (shared
 * security.md 4b level 3), through the test VFS of tests/lib/faultvfs.c.
 * For each act (nominee add, an edit, a workflow act, a signed act with
 * its scan in DIR/docs/) the test first counts the xWrite and xSync calls
 * the act makes, then runs it again and again with the Nth write failing
 * with SQLITE_IOERR_WRITE or SQLITE_FULL, or the Nth sync with
 * SQLITE_IOERR_FSYNC, once or from then on, for N = 1 up to the count.
 * After each run, with the fault cleared and through the plain unix VFS:
 *
 *   - an act that failed returned CORE_EIO with the message of its cause
 *     (the disk is full / an I/O error), never SQLite's words;
 *   - nothing is half-written: every table's content is exactly what it
 *     was (so the nominee rows and the log's size too), PRAGMA
 *     integrity_check is ok and core_audit_verify passes;
 *   - an act the fault did not stop (it hit I/O after COMMIT, such as an
 *     automatic checkpoint) is wholly there;
 *   - the same session's next try succeeds.
 *
 * With a persistent fault the session is also closed while the disk is
 * still failing, as a clerk who gives up would, and the directory is
 * checked after reopening.  Documents (core_doc_store) are written
 * outside SQLite: a write past RLIMIT_FSIZE fails there and must leave
 * no file behind.
 */
#include <dirent.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/core.h"
#include "tests/lib/faultvfs.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"

static int64_t
fault_clock(void *ctx)
{
	(void)ctx;
	return 1604282400000LL; /* 2020-11-02 10:00 +08:00 */
}

/*
 * Where the data directories go: a private directory in /dev/shm when
 * there is one.  The faults come from the VFS, not from the disk, and a
 * tmpfs makes the hundreds of fsyncs of the sweep free; removed at exit.
 */
static char shm_dir[64];

static void
rm_shm_dir(void)
{
	char cmd[128];

	if (shm_dir[0] && !getenv("NOMDESK_KEEP_TMP")) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", shm_dir);
		if (system(cmd) != 0) {
			fprintf(stderr, "could not remove %s\n", shm_dir);
		}
	}
}

static const char *
fault_tmpdir(void)
{
	if (!shm_dir[0]) {
		snprintf(shm_dir, sizeof(shm_dir),
			 "/dev/shm/nomdesk-fault.XXXXXX");
		if (!mkdtemp(shm_dir)) {
			shm_dir[0] = '\0';
			return test_tmpdir();
		}
		atexit(rm_shm_dir);
	}
	return shm_dir;
}

/* ---- what the data directory holds ---- */

struct snap {
	uint8_t digest[32]; /* every table's rows */
	long long nominees, entries;
	int integrity_ok;
};

static void
hash_table(sqlite3 *db, const char *table, crypto_generichash_state *h)
{
	sqlite3_stmt *st = NULL;
	char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", table);

	crypto_generichash_update(h, (const uint8_t *)table,
				  strlen(table) + 1);
	if (sql && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int i = 0; i < sqlite3_column_count(st); i++) {
				uint8_t t = (uint8_t)sqlite3_column_type(st, i);
				const void *b = sqlite3_column_blob(st, i);
				int n = sqlite3_column_bytes(st, i);

				crypto_generichash_update(h, &t, 1);
				if (b && n > 0) {
					crypto_generichash_update(
					    h, b, (unsigned long long)n);
				}
			}
		}
	}
	sqlite3_finalize(st);
	sqlite3_free(sql);
}

static long long
count_of(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return n;
}

/* Reads dir's database through the plain unix VFS, as a new process
 * would; the digest of every table and PRAGMA integrity_check only when
 * full (the counts always). */
static struct snap
snap_take(const char *dir, int full)
{
	struct snap s;
	crypto_generichash_state h;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char path[600];

	memset(&s, 0, sizeof(s));
	s.nominees = s.entries = -1;
	snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
	crypto_generichash_init(&h, NULL, 0, sizeof(s.digest));
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, "unix") !=
	    SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "open %s: %s", path,
			  sqlite3_errmsg(db));
		sqlite3_close(db);
		return s;
	}
	if (full &&
	    sqlite3_prepare_v2(db,
			       "SELECT name FROM sqlite_schema WHERE type = "
			       "'table' AND name NOT LIKE 'sqlite_%' "
			       "ORDER BY name",
			       -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			hash_table(db, (const char *)sqlite3_column_text(st, 0),
				   &h);
		}
	}
	sqlite3_finalize(st);
	crypto_generichash_final(&h, s.digest, sizeof(s.digest));
	s.nominees = count_of(db, "SELECT count(*) FROM nominee");
	s.entries = count_of(db, "SELECT count(*) FROM log_entry");
	st = NULL;
	s.integrity_ok = !full; /* checked with the digest */
	if (full &&
	    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) ==
		SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		s.integrity_ok =
		    strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return s;
}

/* core_audit_verify of dir; 1 when the log verifies. */
static int
verifies(const char *dir)
{
	struct core_verify_opts o;
	struct core_verify_report rep;
	int r;

	memset(&o, 0, sizeof(o));
	memset(&rep, 0, sizeof(rep));
	o.data_dir = dir;
	r = core_audit_verify(&o, &rep);
	if (r != 0 || !rep.ok) {
		test_fail(__FILE__, __LINE__, "audit verify %s: %s (%s)", dir,
			  rep.message, rep.rule);
		r = -1;
	}
	core_verify_report_release(&rep);
	return r == 0;
}

/* Files in dir/docs whose name starts with ".incoming" (half-stored). */
static int
incoming_files(const char *dir)
{
	char path[600];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "%s/docs", dir);
	if (!(d = opendir(path))) {
		return 0;
	}
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, ".incoming", 9) == 0) {
			n++;
		}
	}
	closedir(d);
	return n;
}

/* ---- the acts ---- */

struct bench {
	char dir[512];
	struct core *c; /* pc_clerk, through faultvfs, key unlocked */
	int64_t edit_id;  /* the nominee the edit changes */
	int64_t subject;  /* the nominee prepared for the next act */
	uint8_t scan[32]; /* the stored scan the pledge names */
	int turn;         /* makes every try's values differ */
	int n_people;
	int keyed; /* the session unlocks the key (signed acts, or their
	            * preparation) */
};

struct act {
	const char *name;
	/* Gets b->subject ready (no fault armed); 0 or core's error. */
	int (*prep)(struct bench *b);
	/* The act under test; 0 or core's error. */
	int (*run)(struct bench *b);
	/* Entries one successful run appends. */
	int entries;
	/* Nominees one successful run adds. */
	int nominees;
	/* The act is signed: the session unlocks the clerk's key (an
	 * Argon2id derivation, so a reopened session costs more). */
	int signed_act;
	/* core_audit_verify after every refusal, not only after those
	 * that closed the session and at the end (a longer log costs
	 * more). */
	int verify_each;
};

static int
new_nominee(struct bench *b, int complete, int64_t *id)
{
	struct core_nominee_new n = {"李明", "男", "1975-03-02", "主任医师",
				     NULL};
	char idn[19];
	int r;

	if ((r = core_nominee_add(b->c, &n, id, NULL)) != 0) {
		return r;
	}
	if (complete) {
		/* one nomination per person: each call is another person */
		fixture_id_number("19750302", b->n_people++, idn);
		r = fixture_complete(b->c, *id, idn);
	}
	return r;
}

static int
pledge(struct bench *b, int64_t id)
{
	struct core_act_opts o = {0};
	uint8_t d[1][32];

	memcpy(d[0], b->scan, 32);
	o.attach = (const uint8_t(*)[32])d;
	o.n_attach = 1;
	return core_act_ex(b->c, id, "pledge_paper", NULL, &o, NULL);
}

static int
prep_none(struct bench *b)
{
	(void)b;
	return 0;
}

static int
run_add(struct bench *b)
{
	struct core_nominee_new n = {"王芳", "女", "1976-05-17", "主任医师",
				     NULL};
	int64_t id = 0;

	return core_nominee_add(b->c, &n, &id, NULL);
}

static int
run_edit(struct bench *b)
{
	struct core_field_value v[1];
	char phone[16];

	snprintf(phone, sizeof(phone), "139%08d", ++b->turn);
	v[0] = (struct core_field_value){"phone", phone};
	return core_nominee_edit(b->c, b->edit_id, v, 1, NULL);
}

static int
prep_submit(struct bench *b)
{
	int r;

	if ((r = new_nominee(b, 1, &b->subject)) != 0 ||
	    (r = pledge(b, b->subject)) != 0) {
		return r;
	}
	return core_act(b->c, b->subject, "unit_review", NULL, NULL);
}

static int
run_submit(struct bench *b)
{
	return core_act(b->c, b->subject, "submit", NULL, NULL);
}

static int
prep_pledge(struct bench *b)
{
	return new_nominee(b, 1, &b->subject);
}

static int
run_pledge(struct bench *b)
{
	return pledge(b, b->subject);
}

static const struct act acts[] = {
    {"nominee add", prep_none, run_add, 1, 1, 0, 1},
    {"nominee edit", prep_none, run_edit, 1, 0, 0, 1},
    {"submit (workflow)", prep_submit, run_submit, 1, 0, 1, 0},
    {"pledge_paper (signed)", prep_pledge, run_pledge, 1, 0, 1, 0},
};

/* ---- the faults ---- */

struct fault {
	const char *name;
	enum faultvfs_op op;
	int err;
	const char *says; /* what the message must say */
};

static const struct fault faults[] = {
    {"write EIO", FAULTVFS_WRITE, SQLITE_IOERR_WRITE, "I/O error"},
    {"write ENOSPC", FAULTVFS_WRITE, SQLITE_FULL, "disk is full"},
    {"fsync EIO", FAULTVFS_SYNC, SQLITE_IOERR_FSYNC, "I/O error"},
};

static struct core *
open_clerk(struct bench *b)
{
	struct core *c;

	/* the handle opens its database through the shim; every other
	 * connection of the test uses the plain unix VFS */
	if (faultvfs_install() != SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "faultvfs_install");
		exit(1);
	}
	c = fixture_open_as(b->dir, "pc_clerk", fault_clock);
	faultvfs_uninstall();
	if (b->keyed && fixture_unlock(c) != 0) {
		test_fail(__FILE__, __LINE__, "unlock: %s", core_errmsg(c));
	}
	return c;
}

static void
bench_init(struct bench *b, const char *name, int keyed)
{
	static const char scan[] = "\x89PNG scan of the signed 承诺书";
	char err[256];

	static char tmpl[600];
	char cmd[1400];

	memset(b, 0, sizeof(*b));
	b->keyed = keyed;
	/* one demo directory, copied: init hashes every demo password */
	if (!tmpl[0]) {
		snprintf(tmpl, sizeof(tmpl), "%s/template", fault_tmpdir());
		if (core_init_dir(tmpl, 1, NULL, NULL, err, sizeof(err)) != 0) {
			test_fail(__FILE__, __LINE__, "init: %s", err);
			exit(1);
		}
	}
	snprintf(b->dir, sizeof(b->dir), "%s/%s", fault_tmpdir(), name);
	snprintf(cmd, sizeof(cmd), "cp -a '%s' '%s'", tmpl, b->dir);
	if (system(cmd) != 0) {
		test_fail(__FILE__, __LINE__, "%s failed", cmd);
		exit(1);
	}
	b->c = open_clerk(b);
	CHECK_INT(new_nominee(b, 0, &b->edit_id), 0);
	CHECK_INT(core_doc_store(b->c, scan, sizeof(scan) - 1, b->scan), 0);
}

struct tally {
	int points, stopped;
	int unknown;  /* refusals that said the act may still appear */
	int appeared; /* ... and it did, after the session was reopened */
};

static struct tally *tally_now;

/* One raw SQLite phrase must never reach a user. */
static int
sqlite_words(const char *msg)
{
	return strstr(msg, sqlite3_errstr(SQLITE_IOERR)) ||
	       strstr(msg, sqlite3_errstr(SQLITE_FULL)) ||
	       strstr(msg, "internal error");
}

/*
 * One try of act a with fault f at I/O n (persist: from then on).  Returns
 * 1 when the fault stopped the act, 0 when the act went through.
 */
static int
one_try(struct bench *b, const struct act *a, const struct fault *f, int n,
	int persist, int close_broken)
{
	struct snap before, after;
	char msg[1024];
	int r, hit, stopped = 0;

	if ((r = a->prep(b)) != 0) {
		test_fail(__FILE__, __LINE__, "%s: prepare: %s", a->name,
			  core_errmsg(b->c));
		return 0;
	}
	before = snap_take(b->dir, 1);
	faultvfs_arm(f->op, n, f->err, persist);
	r = a->run(b);
	hit = faultvfs_failed() > 0;
	snprintf(msg, sizeof(msg), "%s", core_errmsg(b->c));
	if (close_broken && r != 0) {
		/* the session ends while the disk still fails */
		core_close(b->c);
		b->c = NULL;
	}
	faultvfs_clear();
	if (!b->c) {
		b->c = open_clerk(b);
	}
	after = snap_take(b->dir, 1);
	if (!after.integrity_ok) {
		test_fail(__FILE__, __LINE__, "%s, %s at %d%s: integrity_check",
			  a->name, f->name, n, persist ? "+" : "");
	}
	if (r != 0) {
		int unknown = strstr(msg, "may still appear") != NULL;
		int same = memcmp(before.digest, after.digest, 32) == 0 &&
			   before.nominees == after.nominees &&
			   before.entries == after.entries;
		int whole = after.entries == before.entries + a->entries &&
			    after.nominees == before.nominees + a->nominees;

		stopped = 1;
		if (tally_now) {
			tally_now->unknown += unknown;
			tally_now->appeared += unknown && !same;
		}
		if (!hit) {
			test_fail(__FILE__, __LINE__,
				  "%s, %s at %d: failed without a fault: %s",
				  a->name, f->name, n, msg);
		}
		/* "nothing was changed", or, only when a sync failed and
		 * the disk still fails, "may still appear" */
		if (r != CORE_EIO || !strstr(msg, f->says) ||
		    sqlite_words(msg) ||
		    (!strstr(msg, "nothing was changed") &&
		     !(unknown && f->op == FAULTVFS_SYNC && persist))) {
			test_fail(__FILE__, __LINE__,
				  "%s, %s at %d%s: returned %d \"%s\"", a->name,
				  f->name, n, persist ? "+" : "", r, msg);
		}
		if (!same && !(unknown && whole)) {
			test_fail(__FILE__, __LINE__,
				  "%s, %s at %d%s%s: changed after a refusal "
				  "(nominees %lld -> %lld, entries %lld -> "
				  "%lld): %s",
				  a->name, f->name, n, persist ? "+" : "",
				  close_broken ? " (closed)" : "",
				  before.nominees, after.nominees,
				  before.entries, after.entries, msg);
		}
		if ((a->verify_each || close_broken) && !verifies(b->dir)) {
			test_fail(__FILE__, __LINE__,
				  "%s, %s at %d%s: the log fails to verify",
				  a->name, f->name, n, persist ? "+" : "");
		}
		if (!same) {
			/* the unconfirmed act is there whole: as the message
			 * says, the clerk checks and does not repeat it */
			r = 0;
		} else if ((r = a->run(b)) != 0) {
			/* the fault is gone: the session's next try goes
			 * through */
			test_fail(__FILE__, __LINE__,
				  "%s, %s at %d%s: retry after the fault: %s",
				  a->name, f->name, n, persist ? "+" : "",
				  core_errmsg(b->c));
		}
		after = snap_take(b->dir, 0);
	}
	if (!after.integrity_ok) {
		test_fail(__FILE__, __LINE__, "%s: integrity_check after retry",
			  a->name);
	}
	return stopped;
}

/* Every fault at every write or sync of act a; counts into t. */
static void
sweep(const struct act *a, const char *dirname, struct tally *t)
{
	struct bench b;
	int io[2];

	tally_now = t;
	bench_init(&b, dirname, a->signed_act);
	/* how many writes and syncs one run makes */
	CHECK_INT(a->prep(&b), 0);
	faultvfs_arm(FAULTVFS_WRITE, 0, SQLITE_OK, 0);
	CHECK_INT(a->run(&b), 0);
	io[FAULTVFS_WRITE] = faultvfs_count(FAULTVFS_WRITE);
	io[FAULTVFS_SYNC] = faultvfs_count(FAULTVFS_SYNC);
	faultvfs_clear();
	CHECK(io[FAULTVFS_WRITE] > 0 && io[FAULTVFS_SYNC] > 0);
	printf("# %s: %d writes, %d syncs per run\n", a->name,
	       io[FAULTVFS_WRITE], io[FAULTVFS_SYNC]);
	for (size_t k = 0; k < sizeof(faults) / sizeof(faults[0]); k++) {
		const struct fault *f = &faults[k];

		for (int persist = 0; persist <= 1; persist++) {
			for (int n = 1; n <= io[f->op]; n++) {
				/* a session that ends while the disk still
				 * fails: at every point where reopening is
				 * cheap, at every sync where it is not */
				int close_broken =
				    persist &&
				    (!a->signed_act || f->op == FAULTVFS_SYNC);

				t->points++;
				t->stopped += one_try(&b, a, f, n, persist,
						      close_broken);
			}
		}
	}
	CHECK(verifies(b.dir));
	core_close(b.c);
}

static void
test_fault__every_write_and_sync_of_an_act(void)
{
	struct tally t[sizeof(acts) / sizeof(acts[0])];

	memset(t, 0, sizeof(t));
	for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		char name[32];

		snprintf(name, sizeof(name), "act%zu", i);
		sweep(&acts[i], name, &t[i]);
		printf("# %s: %d fault points, %d stopped the act (%d "
		       "unconfirmed, %d of them appeared on reopening)\n",
		       acts[i].name, t[i].points, t[i].stopped, t[i].unknown,
		       t[i].appeared);
		CHECK(t[i].stopped > 0);
	}
}

/*
 * A sync that fails once at COMMIT, then the process dies before anything
 * else is written (as a killed session would): the transaction's frames
 * must not be replayed when the server starts again (core/db.c
 * commit_failed empties the WAL of them).
 */
static void
test_fault__fsync_error_then_crash_leaves_nothing(void)
{
	struct bench b;
	struct snap before, after;
	pid_t pid;
	int st = 0;

	bench_init(&b, "crash", 0);
	core_close(b.c);
	b.c = NULL;
	before = snap_take(b.dir, 1);
	fflush(NULL);
	if ((pid = fork()) == 0) {
		struct core_nominee_new n = {"王芳", "女", "1976-05-17",
					     "主任医师", NULL};
		struct core *c = open_clerk(&b);
		int64_t id = 0;
		int r;

		/* one act first: the sync that fails is then a commit's,
		 * not the one of a new WAL's header */
		if (core_nominee_add(c, &n, &id, NULL) != 0) {
			_exit(2);
		}
		faultvfs_arm(FAULTVFS_SYNC, 1, SQLITE_IOERR_FSYNC, 0);
		r = core_nominee_add(c, &n, &id, NULL);
		/* dies here: no close, no checkpoint of its own */
		_exit(r == CORE_EIO && faultvfs_failed() == 1 &&
			      strstr(core_errmsg(c), "nothing was changed")
			  ? 0
			  : 1);
	}
	CHECK(pid > 0);
	while (pid > 0 && waitpid(pid, &st, 0) < 0) {
		continue;
	}
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* the server starts again: the first connection recovers the WAL */
	b.c = open_clerk(&b);
	after = snap_take(b.dir, 1);
	CHECK(after.integrity_ok);
	/* the first act, not the second */
	CHECK_INT(after.nominees, before.nominees + 1);
	CHECK_INT(after.entries, before.entries + 1);
	CHECK(verifies(b.dir));
	core_close(b.c);
}

/* A document that cannot be written whole leaves nothing in docs/. */
static void
test_fault__document_store_leaves_no_half_file(void)
{
	struct bench b;
	struct rlimit old, lim;
	uint8_t d[32];
	size_t len = 256 * 1024;
	char *doc = malloc(len);
	int r;

	bench_init(&b, "docs", 0);
	CHECK(doc != NULL);
	if (!doc) {
		core_close(b.c);
		return;
	}
	randombytes_buf(doc, len);
	CHECK_INT(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 64 * 1024; /* a write past 64 KiB fails: EFBIG */
	signal(SIGXFSZ, SIG_IGN);
	CHECK_INT(setrlimit(RLIMIT_FSIZE, &lim), 0);
	r = core_doc_store(b.c, doc, len, d);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, SIG_DFL);
	CHECK_INT(r, CORE_EIO);
	CHECK(strstr(core_errmsg(b.c), "could not save the document") &&
	      strstr(core_errmsg(b.c), "nothing was stored"));
	CHECK_INT(incoming_files(b.dir), 0);
	/* nothing at its name either: the store still lacks it */
	CHECK_INT(core_doc_store(b.c, doc, len, d), 0);
	CHECK_INT(incoming_files(b.dir), 0);
	free(doc);
	core_close(b.c);
}

static const struct test_case tests_fault[] = {
    {"fault__every_write_and_sync_of_an_act",
     test_fault__every_write_and_sync_of_an_act},
    {"fault__fsync_error_then_crash_leaves_nothing",
     test_fault__fsync_error_then_crash_leaves_nothing},
    {"fault__document_store_leaves_no_half_file",
     test_fault__document_store_leaves_no_half_file},
    {NULL, NULL},
};
TEST_REGISTER(tests_fault)
