/*
 * The authorization matrix (security.md 4d, run 1): tests/authz/matrix.csv
 * is the specification as data (role, action, scope, state, expected);
 * this file replays every row through core/ and compares.
 *
 * One template data directory holds a nominee for every (placement,
 * state, variant) a row needs, driven there through the real workflow and
 * the real panels (tests/authz/README.md describes it).  Each row runs on
 * the template's data as the row's user:
 *   allow        the call succeeds (for a list: the nominee is in it);
 *   deny         refused (not permitted / not in this state / already
 *                done) and the database is unchanged;
 *   deny-hidden  CORE_ENOENT with exactly the message a missing object
 *                gets (for a list or statistics: the nominee is absent),
 *                and the database is unchanged.
 * "Unchanged" is a hash of every table (the append-only log by its last
 * row); no denial writes a record today, so none is excluded.
 *
 * A completeness check fails when an action of core's workflow table
 * (core_action_list) or of the harness has no row for some role, so the
 * matrix stays complete as the table grows.
 *
 * tests/authz/known.csv lists rows where core is known to differ from the
 * specification, with the answer it gives and the bug: they are printed,
 * not failed, until fixed; an entry that no longer differs fails, so the
 * list cannot go stale.
 *
 * Signed acts (issue #4) need the actor's unlocked key: each user acts
 * through one handle of a pool, unlocked once (NOMDESK_KDF=interactive);
 * a row that changed the database is undone by copying the template's
 * database back with SQLite's backup API under the open handles.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"

/* 2020-11-02 (Monday) 10:00 +08:00; the matrix runs 16 days later,
 * after every notice and before the 15 December deadline. */
#define T0 1604282400000LL
#define DAY 86400000LL
#define REASON "matrix: 同政函〔2020〕1号"
#define MISSING_ID 999999
#define MISSING_PANEL "no-such-panel"

static int64_t now_ms;

static int64_t
test_clock(void *ctx)
{
	(void)ctx;
	return now_ms;
}

/* ---- the fixture ---- */

enum place { A1, A2, B1, D1, AP, N_PLACE };

static const struct {
	const char *unit, *clerk, *holder_hr, *panel, *scorer;
} places[N_PLACE] = {
    /* 平城区中心医院: the reference nominee */
    {"140213-e001", "pc_clerk", "pingcheng_hr", "pc-panel", "mx_x"},
    /* 平城区第一中学: same county, another employer */
    {"140213-e002", "mx_clerk_a2", "pingcheng_hr", "pc-panel", "mx_x"},
    /* 云冈区: another county */
    {"140214-e001", "yg_clerk", "yungang_hr", "yg-panel", "mx_z"},
    /* 市卫健委: a department's unit */
    {"dept-health-e001", "mx_clerk_d1", "health_dept", "health-panel", "mx_x"},
    /* 平城区中心医院 again, linked to the applicant's own account */
    {"140213-e001", "pc_clerk", "pingcheng_hr", "pc-panel", "mx_x"},
};

static const char *const states[] = {
    "draft",
    "pledged",
    "unit_reviewed",
    "submitted",
    "returned",
    "screened",
    "local_notice",
    "under_investigation",
    "reported",
    "hr_checked",
    "committee_reviewed",
    "hr_approved",
    "gov_approved",
    "public_notice",
    "veto_pending",
    "vetoed",
};
#define N_STATES (sizeof(states) / sizeof(states[0]))

enum variant { V_DEFAULT, V_PASSED, V_FRESH, N_VARIANTS };

static int64_t fixture[N_PLACE][N_STATES][N_VARIANTS];
static char tpl[600], work[600];
static int id_seq;

/* Users who sign acts (issue #4) and the passphrase of each. */
static const char *const signers[] = {
    "pc_clerk",     "mx_clerk_a2", "yg_clerk",     "mx_clerk_d1",
    "pingcheng_hr", "yungang_hr",  "health_dept",  "city_hr",
    "mx_city2",     "auditor",     "applicant_wu", "mx_x",
    "mx_y",         "mx_z",        "mx_w",         "mx_v",
    "expert_zhou",  "mx_u",        NULL,
};

static void
pass_of(const char *login, char out[64])
{
	snprintf(out, 64, "签名口令 of %s", login);
}

static int
state_index(const char *s)
{
	for (size_t i = 0; i < N_STATES; i++)
		if (strcmp(states[i], s) == 0)
			return (int)i;
	return -1;
}

static void
fatal_core(struct core *c, int r, const char *what)
{
	test_fail(__FILE__, __LINE__, "fixture: %s: %d %s", what, r,
	          c ? core_errmsg(c) : "");
	exit(1);
}

static void
must(struct core *c, int r, const char *what)
{
	if (r != 0)
		fatal_core(c, r, what);
}

/* ---- a pool of handles, one per user, each unlocked once ---- */

static struct {
	char login[40];
	struct core *c;
} pool[48];
static size_t n_pool;
static const char *pool_dir;

static struct core *
H(const char *login)
{
	struct core *c = NULL;
	char err[256], pw[64];

	for (size_t i = 0; i < n_pool; i++)
		if (strcmp(pool[i].login, login) == 0)
			return pool[i].c;
	if (n_pool == sizeof(pool) / sizeof(pool[0]) ||
	    core_open(&c, pool_dir, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "open as %s", login);
		exit(1);
	}
	core_set_clock(c, test_clock, NULL);
	must(c, core_act_as(c, login), login);
	if (core_key_enrolled(c, NULL) == 1) {
		pass_of(login, pw);
		must(c, core_key_unlock(c, pw, 1), "unlock");
	}
	snprintf(pool[n_pool].login, sizeof(pool[n_pool].login), "%s", login);
	pool[n_pool++].c = c;
	return c;
}

static void
pool_close(void)
{
	for (size_t i = 0; i < n_pool; i++)
		core_close(pool[i].c);
	n_pool = 0;
}

/* core_act with what an act needs besides its reason: the scan of a paper
 * pledge, the evidence of a veto (issue #4). */
static int
act_on(struct core *c, int64_t id, const char *action)
{
	static const char scan[] = "scan of the signed pledge form";
	static const char evidence[] = "matrix: 核查报告";
	struct core_act_opts o = {0};
	uint8_t d[1][32];
	int r;

	if (strcmp(action, "pledge_paper") == 0 ||
	    strcmp(action, "veto") == 0) {
		const char *doc = action[0] == 'p' ? scan : evidence;

		if ((r = core_doc_store(c, doc, strlen(doc), d[0])) != 0)
			return r;
		o.attach = (const uint8_t(*)[32])d;
		o.n_attach = 1;
	}
	return core_act_ex(c, id, action, REASON, &o, NULL);
}

static void
act(const char *login, int64_t id, const char *action)
{
	struct core *c = H(login);
	char what[128];

	snprintf(what, sizeof(what), "%s nominee %lld by %s", action,
	         (long long)id, login);
	must(c, act_on(c, id, action), what);
}

static void
sql(const char *path, const char *stmt)
{
	sqlite3 *db = NULL;
	char *err = NULL;

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, stmt, NULL, NULL, &err) != SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "%s: %s", stmt,
		          err ? err : "open");
		exit(1);
	}
	sqlite3_close(db);
}

/* A valid GB 11643 number, distinct per nominee. */
static void
id_number(char out[19])
{
	static const int w[17] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
	                          3, 7, 9,  10, 5, 8, 4, 2};
	int sum = 0;

	snprintf(out, 19, "14021319750302%03d", ++id_seq % 1000);
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

static int64_t
new_nominee(enum place p)
{
	struct core_nominee_new n = {"张三", "男", "1975-03-02", "主任医师",
	                             places[p].unit};
	struct core *c = H(places[p].clerk);
	char idn[19];
	int64_t id = 0;

	id_number(idn);
	must(c, core_nominee_add(c, &n, &id, NULL), "nominee add");
	must(c, fixture_complete(c, id, idn), "nominee edit");
	if (p == AP)
		must(c, core_nominee_set_applicant(c, id, "applicant_wu", NULL),
		     "link the applicant");
	return id;
}

static void
declare(const char *expert, int64_t id, const char *conflict)
{
	struct core *c = H(expert);

	must(c, core_panel_declare(c, NULL, id, conflict, NULL), "declare");
}

static void
score(const char *expert, int64_t id)
{
	static const struct core_score s[] = {
	    {"academic", "35"}, {"innovation", "25"}, {"contribution", "25"}};
	struct core *c = H(expert);

	must(c, core_panel_score(c, NULL, id, s, 3, "matrix", NULL), "score");
}

/* A1 and AP have a second expert, mx_u, whose sheet is in as soon as
 * the nominee is assigned: the readers of the log must keep it from
 * the scorer until the scorer's own is in (issue #8 item 8). */
static void
second_sheet(enum place p, int64_t id)
{
	if (p != A1 && p != AP) {
		return;
	}
	declare("mx_u", id, NULL);
	score("mx_u", id);
}

/* The county/department panel: assign; for A1 one member declares a
 * conflict (mx_w, of A1's own unit, is recused automatically); the
 * scorer declares and, when the evaluation is over, scores. */
static void
local_panel(enum place p, int64_t id, int scored)
{
	struct core *c = H(places[p].holder_hr);

	must(c, core_panel_assign(c, places[p].panel, id, NULL, NULL, NULL),
	     "assign local");
	if (p == A1)
		declare("mx_z", id, "matrix: co-author");
	second_sheet(p, id);
	declare(places[p].scorer, id, NULL);
	if (scored)
		score(places[p].scorer, id);
}

static void
city_panel(enum place p, int64_t id, int scored)
{
	struct core *c = H("city_hr");

	must(c, core_panel_assign(c, "city-panel", id, NULL, NULL, NULL),
	     "assign city");
	second_sheet(p, id);
	declare(places[p].scorer, id, NULL);
	if (scored)
		score(places[p].scorer, id);
}

static int
rank(const char *state)
{
	static const char *const order[] = {
	    "draft",       "pledged",      "unit_reviewed",
	    "submitted",   "screened",     "local_notice",
	    "reported",    "hr_checked",   "committee_reviewed",
	    "hr_approved", "gov_approved", "public_notice"};

	if (strcmp(state, "returned") == 0)
		return 3; /* returned from submitted */
	if (strcmp(state, "under_investigation") == 0)
		return 5; /* objection during the local notice */
	if (strncmp(state, "veto", 4) == 0)
		return 3; /* vetoed while submitted */
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (strcmp(order[i], state) == 0)
			return (int)i;
	return -1;
}

/* Phase 1 (at T0): entry to the local notice. */
static int64_t
phase1(enum place p, const char *state, enum variant v)
{
	int64_t id = new_nominee(p);
	int k = rank(state);

	if (k >= 1)
		act(places[p].clerk, id, "pledge_paper");
	if (k >= 2)
		act(places[p].clerk, id, "unit_review");
	if (k >= 3)
		act(places[p].clerk, id, "submit");
	if (strcmp(state, "returned") == 0) {
		act(places[p].holder_hr, id, "return");
		return id;
	}
	if (k >= 3 && !(k == 3 && v == V_FRESH))
		local_panel(p, id, k > 3 || v == V_PASSED);
	if (strncmp(state, "veto", 4) == 0) {
		/* the first signature of a two-signature veto ... */
		act("mx_city2", id, "veto");
		if (strcmp(state, "vetoed") == 0) /* ... and the second */
			act("auditor", id, "veto_countersign");
		return id;
	}
	if (k >= 4)
		act(places[p].holder_hr, id, "screen");
	if (k >= 5)
		act(places[p].holder_hr, id, "open_local_notice");
	if (strcmp(state, "under_investigation") == 0)
		act("auditor", id, "object");
	return id;
}

/* Phase 2 (7 days later): from the report on. */
static void
phase2(enum place p, int64_t id, const char *state, enum variant v)
{
	int k = rank(state);

	if (k < 6 || strcmp(state, "under_investigation") == 0)
		return;
	act(places[p].holder_hr, id, "report");
	if (k >= 7)
		act("city_hr", id, "hr_check");
	if (k >= 7 && !(k == 7 && v == V_FRESH))
		city_panel(p, id, k > 7 || v == V_PASSED);
	if (k >= 8)
		act("city_hr", id, "committee_review");
	if (k >= 9)
		act("city_hr", id, "hr_approve");
	if (k >= 10)
		act("city_hr", id, "gov_approve");
	if (k >= 11)
		act("city_hr", id, "open_public_notice");
}

static void
make_panel(const char *owner, const char *name, enum core_panel_level level,
           const char *const *members)
{
	struct core_panel_new p = {name, level, CORE_PANEL_MEAN, NULL, NULL, 1};
	struct core *c = H(owner);

	must(c, core_panel_create(c, &p, NULL, NULL), name);
	for (; *members; members++)
		must(c, core_panel_add_member(c, name, *members, NULL),
		     *members);
}

static int
variant_used(const char *state, enum variant v)
{
	if (v == V_DEFAULT)
		return 1;
	return strcmp(state, "submitted") == 0 ||
	       strcmp(state, "hr_checked") == 0;
}

static void
add_user(struct core *sys, const char *login, enum core_role role,
         const char *unit)
{
	struct core_user_new u = {login, login, role, unit, "en"};

	must(sys, core_user_add(sys, &u, NULL), login);
}

static void
build_template(void)
{
	static const char *const local[] = {"mx_x", "mx_y", "mx_z",
	                                    "mx_w", "mx_u", NULL};
	static const char *const yg[] = {"mx_z", NULL};
	static const char *const health[] = {"mx_x", NULL};
	struct core *sys = NULL;
	char err[256], path[700], pw[64];

	snprintf(tpl, sizeof(tpl), "%s/tpl", test_tmpdir());
	snprintf(work, sizeof(work), "%s/work", test_tmpdir());
	if (core_init_dir(tpl, 1, NULL, NULL, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/nomdesk.db", tpl);
	sql(path, "INSERT INTO unit (code, name, kind, parent) VALUES "
	          "('dept-edu-e001', '大同市第一中学（测试）', 'employer', "
	          "'dept-edu')");
	if (core_open(&sys, tpl, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "open: %s", err);
		exit(1);
	}
	now_ms = T0;
	core_set_clock(sys, test_clock, NULL);
	must(sys, core_act_as_system(sys, "matrix"), "system");
	add_user(sys, "mx_clerk_a2", CORE_ROLE_UNIT_CLERK, "140213-e002");
	add_user(sys, "mx_clerk_d1", CORE_ROLE_UNIT_CLERK, "dept-health-e001");
	add_user(sys, "mx_city2", CORE_ROLE_CITY_HR, "1402-hrss");
	add_user(sys, "mx_app2", CORE_ROLE_APPLICANT, "140213-e001");
	add_user(sys, "mx_app_a2", CORE_ROLE_APPLICANT, "140213-e002");
	add_user(sys, "mx_app_b1", CORE_ROLE_APPLICANT, "140214-e001");
	add_user(sys, "mx_app_d1", CORE_ROLE_APPLICANT, "dept-health-e001");
	add_user(sys, "mx_x", CORE_ROLE_EXPERT, "140214-e001");
	add_user(sys, "mx_y", CORE_ROLE_EXPERT, "dept-health-e001");
	add_user(sys, "mx_z", CORE_ROLE_EXPERT, "dept-edu-e001");
	add_user(sys, "mx_w", CORE_ROLE_EXPERT, "140213-e001");
	add_user(sys, "mx_v", CORE_ROLE_EXPERT, "140214-e001");
	add_user(sys, "mx_u", CORE_ROLE_EXPERT, "140214-e001");
	for (const char *const *s = signers; *s; s++) {
		pass_of(*s, pw);
		must(sys, core_key_enroll(sys, *s, pw, NULL), *s);
	}
	/* two signatures, so a veto can be pending (veto_countersign) */
	must(sys, core_veto_policy_set(sys, 2, NULL), "veto policy");
	core_close(sys);

	pool_dir = tpl;
	make_panel("pingcheng_hr", "pc-panel", CORE_PANEL_LOCAL, local);
	make_panel("yungang_hr", "yg-panel", CORE_PANEL_LOCAL, yg);
	make_panel("health_dept", "health-panel", CORE_PANEL_LOCAL, health);
	make_panel("city_hr", "city-panel", CORE_PANEL_CITY, local);
	for (int p = 0; p < N_PLACE; p++)
		for (size_t s = 0; s < N_STATES; s++)
			for (int v = 0; v < N_VARIANTS; v++)
				if (variant_used(states[s], v))
					fixture[p][s][v] =
					    phase1(p, states[s], v);
	now_ms = T0 + 7 * DAY;
	for (int p = 0; p < N_PLACE; p++)
		for (size_t s = 0; s < N_STATES; s++)
			for (int v = 0; v < N_VARIANTS; v++)
				if (fixture[p][s][v])
					phase2(p, fixture[p][s][v], states[s],
					       v);
	pool_close();
	now_ms = T0 + 16 * DAY;
}

/* ---- the working copy: made once, restored by the backup API ---- */

static int
copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out;
	ssize_t n;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, mode & 07777);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	close(in);
	close(out);
	return n < 0 ? -1 : 0;
}

static int
copy_tree(const char *from, const char *to)
{
	DIR *d;
	struct dirent *e;
	struct stat sb;
	char a[1024], b[1024];
	int r = 0;

	if (stat(from, &sb) != 0 || mkdir(to, sb.st_mode & 07777) != 0)
		return -1;
	if (!(d = opendir(from)))
		return -1;
	while (r == 0 && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(a, sizeof(a), "%s/%s", from, e->d_name);
		snprintf(b, sizeof(b), "%s/%s", to, e->d_name);
		if (lstat(a, &sb) != 0)
			r = -1;
		else if (S_ISDIR(sb.st_mode))
			r = copy_tree(a, b);
		else if (S_ISREG(sb.st_mode))
			r = copy_file(a, b, sb.st_mode);
	}
	closedir(d);
	return r;
}

/* The template (read) and the working copy (restored, hashed). */
static sqlite3 *tdb, *wdb;

static void
open_copies(void)
{
	char path[700];

	if (copy_tree(tpl, work) != 0) {
		test_fail(__FILE__, __LINE__, "cannot copy the template");
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/nomdesk.db", tpl);
	if (sqlite3_open_v2(path, &tdb, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "%s", sqlite3_errmsg(tdb));
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/nomdesk.db", work);
	if (sqlite3_open_v2(path, &wdb, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "%s", sqlite3_errmsg(wdb));
		exit(1);
	}
	sqlite3_busy_timeout(wdb, 5000);
}

static void
close_copies(void)
{
	sqlite3_close(tdb);
	sqlite3_close(wdb);
	tdb = wdb = NULL;
}

/* The working database back to the template's content. */
static void
restore(void)
{
	sqlite3_backup *b = sqlite3_backup_init(wdb, "main", tdb, "main");

	if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE ||
	    sqlite3_backup_finish(b) != SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "restore: %s",
		          sqlite3_errmsg(wdb));
		exit(1);
	}
}

static void
hash_value(crypto_generichash_state *h, sqlite3_stmt *st, int col)
{
	unsigned char t = (unsigned char)sqlite3_column_type(st, col);
	const void *p = sqlite3_column_blob(st, col);
	uint32_t n = (uint32_t)sqlite3_column_bytes(st, col);

	crypto_generichash_update(h, &t, 1);
	crypto_generichash_update(h, (const unsigned char *)&n, sizeof(n));
	if (p && n)
		crypto_generichash_update(h, p, n);
}

/* A digest of every table of the working database; the append-only log
 * tables (their triggers refuse updates and deletes) by their last row. */
static void
db_hash(unsigned char out[32])
{
	crypto_generichash_state h;
	sqlite3_stmt *tables = NULL, *st = NULL;
	char q[256];

	crypto_generichash_init(&h, NULL, 0, 32);
	if (sqlite3_exec(wdb, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(wdb,
	                       "SELECT name FROM sqlite_master WHERE type = "
	                       "'table' AND name NOT LIKE 'sqlite_%' ORDER BY "
	                       "name",
	                       -1, &tables, NULL) != SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "hash: %s", sqlite3_errmsg(wdb));
		exit(1);
	}
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(tables, 0);

		crypto_generichash_update(&h, (const unsigned char *)t,
		                          strlen(t) + 1);
		if (strcmp(t, "log_entry") == 0 ||
		    strcmp(t, "log_checkpoint") == 0)
			snprintf(q, sizeof(q), "SELECT max(rowid) FROM \"%s\"",
			         t);
		else
			snprintf(q, sizeof(q),
			         "SELECT * FROM \"%s\" ORDER BY rowid", t);
		if (sqlite3_prepare_v2(wdb, q, -1, &st, NULL) != SQLITE_OK) {
			/* a WITHOUT ROWID table */
			snprintf(q, sizeof(q), "SELECT * FROM \"%s\"", t);
			if (sqlite3_prepare_v2(wdb, q, -1, &st, NULL) !=
			    SQLITE_OK) {
				test_fail(__FILE__, __LINE__, "hash %s", t);
				exit(1);
			}
		}
		while (sqlite3_step(st) == SQLITE_ROW)
			for (int i = 0; i < sqlite3_column_count(st); i++)
				hash_value(&h, st, i);
		sqlite3_finalize(st);
	}
	sqlite3_finalize(tables);
	sqlite3_exec(wdb, "COMMIT", NULL, NULL, NULL);
	crypto_generichash_final(&h, out, 32);
}

/* ---- the CSVs ---- */

struct row {
	int line;
	char role[16], action[32], scope[24], state[24], expected[32];
	char note[200]; /* known.csv only */
	int seen;
};

/* tests/authz/NAME: $NOMDESK_AUTHZ_DIR, else beside this source file
 * (__FILE__ is relative to where make ran, where the tests run). */
static const char *
authz_path(const char *name)
{
	static char path[1024];
	const char *env = getenv("NOMDESK_AUTHZ_DIR");
	const char *slash = strrchr(__FILE__, '/');

	if (env && *env)
		snprintf(path, sizeof(path), "%s/%s", env, name);
	else
		snprintf(path, sizeof(path), "%.*s/../authz/%s",
		         slash ? (int)(slash - __FILE__) : 1,
		         slash ? __FILE__ : ".", name);
	return path;
}

/* Reads role,action,scope,state,X[,note] rows after header. */
static struct row *
read_rows(const char *name, const char *header, size_t *n)
{
	const char *path = authz_path(name);
	FILE *f = fopen(path, "r");
	struct row *rows = NULL, *grown;
	size_t cap = 0;
	char line[512];
	int ln = 0;

	*n = 0;
	if (!f) {
		test_fail(__FILE__, __LINE__, "cannot open %s: %s", path,
		          strerror(errno));
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		struct row r = {0};
		char *fld[6] = {0}, *p = line;
		int k = 0;

		ln++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		if (ln == 1) {
			if (strcmp(line, header) != 0)
				test_fail(__FILE__, __LINE__,
				          "%s: header must be '%s'", name,
				          header);
			continue;
		}
		/* five fields; a sixth (the note) takes the rest */
		while (k < 6) {
			fld[k++] = p;
			if (k == 6 || !(p = strchr(p, ',')))
				break;
			*p++ = '\0';
		}
		if (k < 5) {
			test_fail(__FILE__, __LINE__, "%s:%d: needs 5 fields",
			          name, ln);
			continue;
		}
		r.line = ln;
		snprintf(r.role, sizeof(r.role), "%.*s",
		         (int)sizeof(r.role) - 1, fld[0]);
		snprintf(r.action, sizeof(r.action), "%.*s",
		         (int)sizeof(r.action) - 1, fld[1]);
		snprintf(r.scope, sizeof(r.scope), "%.*s",
		         (int)sizeof(r.scope) - 1, fld[2]);
		snprintf(r.state, sizeof(r.state), "%.*s",
		         (int)sizeof(r.state) - 1, fld[3]);
		snprintf(r.expected, sizeof(r.expected), "%.*s",
		         (int)sizeof(r.expected) - 1, fld[4]);
		snprintf(r.note, sizeof(r.note), "%.*s",
		         (int)sizeof(r.note) - 1, fld[5] ? fld[5] : "");
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			if (!(grown = realloc(rows, cap * sizeof(*rows)))) {
				fclose(f);
				free(rows);
				return NULL;
			}
			rows = grown;
		}
		rows[(*n)++] = r;
	}
	fclose(f);
	return rows;
}

static struct row *
find_known(struct row *known, size_t n, const struct row *r)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(known[i].role, r->role) == 0 &&
		    strcmp(known[i].action, r->action) == 0 &&
		    strcmp(known[i].scope, r->scope) == 0 &&
		    strcmp(known[i].state, r->state) == 0)
			return &known[i];
	return NULL;
}

/* ---- the entry points, by action name ---- */

/* Actions the harness can call besides core's workflow table. */
static const char *const harness_actions[] = {
    "list",
    "get",
    "history",
    "actions",
    "audit_trail",
    "reveal_id",
    "stats",
    "edit",
    "add",
    "set_applicant",
    "deadline_extend",
    "user_add",
    "round_load",
    "unit_list",
    "quota_usage",
    "panel_create_local",
    "panel_create_city",
    "recommend",
    "assignments",
    "panel_get",
    "panel_list",
    "panel_add_member",
    "panel_result",
    "assign_local",
    "assign_city",
    "declare",
    "declare_conflict",
    "score",
    "panel_scores",
    "audit_log_sheet",
    "audit_log_recusal",
    "history_sheet",
    "audit_trail_sheet",
    NULL,
};

struct wf_names {
	char names[64][32];
	size_t n;
};

static int
collect_action(void *ctx, const char *action, const char *label,
               int needs_reason)
{
	struct wf_names *w = ctx;

	(void)label;
	(void)needs_reason;
	if (w->n < 64)
		snprintf(w->names[w->n++], sizeof(w->names[0]), "%s", action);
	return 0;
}

static int
is_workflow(const char *action)
{
	static struct wf_names w;

	if (w.n == 0)
		core_action_list(collect_action, &w);
	for (size_t i = 0; i < w.n; i++)
		if (strcmp(w.names[i], action) == 0)
			return 1;
	return 0;
}

static const char *
actor_of(const struct row *r)
{
	static const struct {
		const char *role, *login;
	} fixed[] = {
	    {"applicant", "applicant_wu"},
	    {"unit_clerk", "pc_clerk"},
	    {"county_hr", "pingcheng_hr"},
	    {"department", "health_dept"},
	    {"city_hr", "city_hr"},
	    {"auditor", "auditor"},
	    {"admin", "admin"},
	};
	static const struct {
		const char *scope, *login;
	} experts[] = {
	    {"assigned", "mx_x"},
	    {"assigned_undeclared", "mx_y"},
	    {"conflicted", "mx_z"},
	    {"own_unit", "mx_w"},
	    {"unassigned", "mx_v"},
	    {"scored", "mx_x"},
	    {"member_panel", "mx_x"},
	    {"other_panel", "mx_x"},
	    {"-", "mx_x"},
	};

	if (strcmp(r->role, "expert") == 0) {
		for (size_t i = 0; i < sizeof(experts) / sizeof(experts[0]);
		     i++)
			if (strcmp(experts[i].scope, r->scope) == 0)
				return experts[i].login;
		return NULL;
	}
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strcmp(fixed[i].role, r->role) == 0)
			return fixed[i].login;
	return NULL;
}

static int
place_of(const struct row *r)
{
	const char *s = r->scope;

	if (strcmp(r->role, "expert") == 0)
		return A1;
	if (strcmp(s, "own_record") == 0)
		return AP;
	if (strcmp(r->role, "department") == 0)
		return strcmp(s, "own_unit") == 0 ? D1 : A1;
	if (strcmp(s, "own_unit") == 0 || strcmp(s, "city_wide") == 0)
		return A1;
	if (strcmp(s, "same_county") == 0)
		return A2;
	if (strcmp(s, "other_county") == 0)
		return B1;
	if (strcmp(s, "other_dept") == 0)
		return D1;
	return -1;
}

static enum variant
variant_of(const struct row *r)
{
	if (strcmp(r->action, "screen") == 0 ||
	    strcmp(r->action, "committee_review") == 0 ||
	    strcmp(r->scope, "scored") == 0)
		return V_PASSED;
	if (strncmp(r->action, "assign_", 7) == 0)
		return V_FRESH;
	return V_DEFAULT;
}

/* The readers of the log checked for another expert's panel acts
 * (issue #8 item 8), on the panel evaluating the nominee now. */
static int
is_reader(const char *a)
{
	return strcmp(a, "audit_log_sheet") == 0 ||
	       strcmp(a, "audit_log_recusal") == 0 ||
	       strcmp(a, "history_sheet") == 0 ||
	       strcmp(a, "audit_trail_sheet") == 0;
}

/* The panel a panel-level row is about. */
static const char *
panel_of(const struct row *r, int place)
{
	const char *role = r->role, *s = r->scope;

	if (strcmp(r->action, "assign_city") == 0)
		return "city-panel";
	if (strcmp(r->action, "assign_local") == 0) {
		if (strcmp(role, "county_hr") == 0)
			return "pc-panel";
		if (strcmp(role, "department") == 0)
			return "health-panel";
		return "pc-panel";
	}
	if (strcmp(r->action, "panel_scores") == 0 || is_reader(r->action))
		return strcmp(r->state, "hr_checked") == 0
		           ? "city-panel"
		           : places[place].panel;
	if (strcmp(s, "city_panel") == 0)
		return "city-panel";
	if (strcmp(s, "member_panel") == 0)
		return "pc-panel";
	if (strcmp(s, "own_panel") == 0)
		return strcmp(role, "department") == 0 ? "health-panel"
		                                       : "pc-panel";
	if (strcmp(s, "other_panel") == 0)
		return strcmp(role, "county_hr") == 0 ||
		               strcmp(role, "expert") == 0
		           ? "yg-panel"
		           : "pc-panel";
	return NULL;
}

struct found {
	int64_t id;
	const char *unit, *panel;
	int hit;
};

static int
find_nominee(void *ctx, const struct core_nominee *n)
{
	struct found *f = ctx;

	if (n->id == f->id)
		f->hit = 1;
	return 0;
}

static int
find_unit(void *ctx, const struct core_stats_row *s)
{
	struct found *f = ctx;

	if (strcmp(s->dimension, "unit") == 0 && strcmp(s->key, f->unit) == 0 &&
	    s->count > 0)
		f->hit = 1;
	return 0;
}

static int
find_panel(void *ctx, const struct core_panel *p)
{
	struct found *f = ctx;

	if (strcmp(p->name, f->panel) == 0)
		f->hit = 1;
	return 0;
}

static int
noop_history(void *ctx, const struct core_history_item *h)
{
	(void)ctx;
	(void)h;
	return 0;
}

static int
noop_trail_head(void *ctx, const struct core_trail_head *h)
{
	(void)ctx;
	(void)h;
	return 0;
}

static int
noop_trail(void *ctx, const struct core_trail_item *t)
{
	(void)ctx;
	(void)t;
	return 0;
}

static int
noop_action(void *ctx, const char *a, const char *l, int n)
{
	(void)ctx;
	(void)a;
	(void)l;
	(void)n;
	return 0;
}

static int
noop_unit(void *ctx, const struct core_unit *u)
{
	(void)ctx;
	(void)u;
	return 0;
}

static int
noop_quota(void *ctx, const struct core_quota_usage *u)
{
	(void)ctx;
	(void)u;
	return 0;
}

static int
noop_result(void *ctx, const struct core_panel_result *r)
{
	(void)ctx;
	(void)r;
	return 0;
}

static int
noop_recommend(void *ctx, const struct core_recommend_row *r)
{
	(void)ctx;
	(void)r;
	return 0;
}

static int
noop_assignment(void *ctx, const struct core_panel_assignment *a)
{
	(void)ctx;
	(void)a;
	return 0;
}

static int
noop_sheet(void *ctx, const struct core_panel_sheet *s)
{
	(void)ctx;
	(void)s;
	return 0;
}

/* What a reader of the log showed of another expert's panel acts. */
struct panel_seen {
	const char *me;     /* the reader's login */
	char subject[64];   /* "panel:P/nominee:N" of the row's panel */
	int sheet, recusal; /* another expert's sheet / conflict, recusal */
};

/* A panel entry's reason as core words it: "score by LOGIN: ...",
 * "conflict declared by LOGIN: ...", "recused LOGIN: ...". */
static void
panel_tally(struct panel_seen *ps, const char *actor, const char *reason)
{
	size_t n = strlen(ps->me);

	if (strncmp(reason, "score by ", 9) == 0 &&
	    strcmp(actor, ps->me) != 0) {
		ps->sheet = 1;
	}
	if (strncmp(reason, "conflict declared by ", 21) == 0 &&
	    strcmp(actor, ps->me) != 0) {
		ps->recusal = 1;
	}
	if (strncmp(reason, "recused ", 8) == 0 &&
	    !(strncmp(reason + 8, ps->me, n) == 0 && reason[8 + n] == ':')) {
		ps->recusal = 1;
	}
}

static int
seen_log(void *ctx, const struct core_audit_item *it)
{
	struct panel_seen *ps = ctx;

	if (strcmp(it->subject, ps->subject) == 0) {
		panel_tally(ps, it->actor, it->reason);
	}
	return 0;
}

static int
seen_history(void *ctx, const struct core_history_item *h)
{
	panel_tally(ctx, h->actor, h->reason);
	return 0;
}

static int
seen_trail(void *ctx, const struct core_trail_item *t)
{
	panel_tally(ctx, t->actor, t->reason);
	return 0;
}

/* The template's id of panel name (0 if none). */
static int64_t
panel_id(const char *name)
{
	sqlite3_stmt *st = NULL;
	int64_t id = 0;

	if (sqlite3_prepare_v2(tdb, "SELECT id FROM panel WHERE name = ?1", -1,
	                       &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name ? name : "", -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			id = sqlite3_column_int64(st, 0);
		}
	}
	sqlite3_finalize(st);
	return id;
}

/* The readers of the log as the row's actor: *listed 1 if the reader
 * showed another expert's sheet (or conflict/recusal for
 * audit_log_recusal) of the row's panel, 0 if not; left -1 on an error
 * (a hidden nominee). */
static int
call_reader(struct core *c, const char *a, int64_t id, const char *panel,
            int *listed)
{
	struct panel_seen ps = {0};
	int rc;

	ps.me = core_actor(c) ? core_actor(c)->login : "";
	snprintf(ps.subject, sizeof(ps.subject), "panel:%lld/nominee:%lld",
	         (long long)panel_id(panel), (long long)id);
	if (strncmp(a, "audit_log_", 10) == 0) {
		rc = core_audit_log(c, id, NULL, seen_log, &ps);
	} else if (strcmp(a, "history_sheet") == 0) {
		rc = core_nominee_history(c, id, seen_history, &ps);
	} else {
		rc = core_audit_trail(c, id, NULL, seen_trail, &ps);
	}
	if (rc == 0) {
		int recusal = strcmp(a, "audit_log_recusal") == 0;

		*listed = recusal ? ps.recusal : ps.sheet;
	}
	return rc;
}

/* An applicant account of the place's unit (one may link only those). */
static const char *
app_of(int place)
{
	switch (place) {
	case A2:
		return "mx_app_a2";
	case B1:
		return "mx_app_b1";
	case D1:
		return "mx_app_d1";
	default:
		return "mx_app2";
	}
}

static char *round_json;
static size_t round_len;
static int serial;

/* A second round definition: the built-in one under another code. */
static void
make_round_json(void)
{
	size_t len = 0;
	const char *j = core_round_builtin("datong-2020", &len);
	const char *at = j ? strstr(j, "\"datong-2020\"") : NULL;

	if (!at) {
		test_fail(__FILE__, __LINE__, "no built-in round");
		exit(1);
	}
	round_json = malloc(len + 16);
	memcpy(round_json, j, (size_t)(at - j));
	round_len = (size_t)(at - j);
	memcpy(round_json + round_len, "\"matrix-2021\"", 13);
	round_len += 13;
	memcpy(round_json + round_len, at + 13, len - (size_t)(at - j) - 13);
	round_len += len - (size_t)(at - j) - 13;
	round_json[round_len] = '\0';
}

/*
 * Calls the row's entry point on nominee id / panel (id MISSING_ID or
 * panel MISSING_PANEL ask about a missing object).  *listed is set for
 * list-like calls (-1 for the others).
 */
static int
call(struct core *c, const struct row *r, int place, int64_t id,
     const char *panel, int *listed)
{
	static const struct core_score sheet[] = {
	    {"academic", "30"}, {"innovation", "20"}, {"contribution", "20"}};
	const char *a = r->action;
	struct found f = {id, places[place < 0 ? 0 : place].unit, panel, 0};
	char buf[24];
	int rc;

	*listed = -1;
	if (is_workflow(a))
		return act_on(c, id, a);
	if (strcmp(a, "list") == 0) {
		rc = core_nominee_list(c, find_nominee, &f);
		*listed = f.hit;
		return rc;
	}
	if (strcmp(a, "stats") == 0) {
		rc = core_stats(c, find_unit, &f);
		*listed = f.hit;
		return rc;
	}
	if (strcmp(a, "panel_list") == 0) {
		rc = core_panel_list(c, find_panel, &f);
		*listed = f.hit;
		return rc;
	}
	if (strcmp(a, "get") == 0) {
		struct core_dossier *d = calloc(1, sizeof(*d));

		rc = core_nominee_get(c, id, d);
		free(d);
		return rc;
	}
	if (strcmp(a, "history") == 0)
		return core_nominee_history(c, id, noop_history, NULL);
	if (strcmp(a, "audit_trail") == 0)
		return core_audit_trail(c, id, noop_trail_head, noop_trail,
		                        NULL);
	if (strcmp(a, "actions") == 0)
		return core_actions_available(c, id, noop_action, NULL);
	if (strcmp(a, "reveal_id") == 0)
		return core_nominee_reveal_id(c, id, buf);
	if (strcmp(a, "edit") == 0) {
		struct core_field_value v = {"specialty", "矩阵测试"};

		return core_nominee_edit(c, id, &v, 1, NULL);
	}
	if (strcmp(a, "set_applicant") == 0)
		return core_nominee_set_applicant(c, id, app_of(place), NULL);
	if (strcmp(a, "add") == 0) {
		struct core_nominee_new n = {"李四", "女", "1980-01-01", "教授",
		                             place < 0 ? "140213-e001"
		                                       : places[place].unit};
		int64_t nid;

		return core_nominee_add(c, &n, &nid, NULL);
	}
	if (strcmp(a, "deadline_extend") == 0)
		return core_deadline_extend(c, "140213", "2020-12-20", "matrix",
		                            NULL);
	if (strcmp(a, "user_add") == 0) {
		char login[32];
		struct core_user_new u = {login, "矩阵", CORE_ROLE_UNIT_CLERK,
		                          "140213-e001", NULL};

		snprintf(login, sizeof(login), "mx_new_%d", ++serial);
		return core_user_add(c, &u, NULL);
	}
	if (strcmp(a, "round_load") == 0)
		return core_round_load(c, round_json, round_len, 0, NULL);
	if (strcmp(a, "unit_list") == 0)
		return core_unit_list(c, noop_unit, NULL);
	if (strcmp(a, "quota_usage") == 0)
		return core_quota_usage(c, noop_quota, NULL);
	if (strcmp(a, "panel_create_local") == 0 ||
	    strcmp(a, "panel_create_city") == 0) {
		struct core_panel_new p = {
		    a[13] == 'l' ? "mx-new-local" : "mx-new-city",
		    a[13] == 'l' ? CORE_PANEL_LOCAL : CORE_PANEL_CITY,
		    CORE_PANEL_MEAN,
		    NULL,
		    NULL,
		    0};

		return core_panel_create(c, &p, NULL, NULL);
	}
	if (strcmp(a, "recommend") == 0)
		return core_panel_recommend(c, noop_recommend, NULL, NULL,
		                            NULL);
	if (strcmp(a, "assignments") == 0)
		return core_panel_assignments(c, noop_assignment, NULL);
	if (strcmp(a, "panel_get") == 0) {
		struct core_panel *p = malloc(sizeof(*p));

		rc = core_panel_get(c, panel, p);
		free(p);
		return rc;
	}
	if (strcmp(a, "panel_add_member") == 0)
		return core_panel_add_member(c, panel, "mx_v", NULL);
	if (strcmp(a, "panel_result") == 0)
		return core_panel_result(c, panel, noop_result, NULL);
	if (strncmp(a, "assign_", 7) == 0)
		return core_panel_assign(c, panel, id, NULL, NULL, NULL);
	if (strcmp(a, "declare") == 0)
		return core_panel_declare(c, NULL, id, NULL, NULL);
	if (strcmp(a, "declare_conflict") == 0)
		return core_panel_declare(c, NULL, id, "matrix: relative",
		                          NULL);
	if (strcmp(a, "score") == 0)
		return core_panel_score(c, NULL, id, sheet, 3, "matrix", NULL);
	if (strcmp(a, "panel_scores") == 0)
		return core_panel_scores(c, panel, id, noop_sheet, NULL);
	if (is_reader(a)) {
		return call_reader(c, a, id, panel, listed);
	}
	return CORE_EINTERNAL - 1000; /* unknown to the harness */
}

static int
takes_nominee(const char *a)
{
	static const char *const names[] = {
	    "get",          "history", "audit_trail",      "actions",
	    "reveal_id",    "edit",    "set_applicant",    "assign_local",
	    "assign_city",  "declare", "declare_conflict", "score",
	    "panel_scores", NULL};

	if (is_workflow(a) || is_reader(a))
		return 1;
	for (const char *const *n = names; *n; n++)
		if (strcmp(*n, a) == 0)
			return 1;
	return 0;
}

static int
takes_panel(const char *a)
{
	return strcmp(a, "panel_get") == 0 ||
	       strcmp(a, "panel_add_member") == 0 ||
	       strcmp(a, "panel_result") == 0 ||
	       strncmp(a, "assign_", 7) == 0 || strcmp(a, "panel_scores") == 0;
}

static const char *
classify(int rc, int listed)
{
	if (rc == 0)
		return listed == 0 ? "deny-hidden" : "allow";
	switch (rc) {
	case CORE_ENOENT:
		return "deny-hidden";
	case CORE_EPERM:
	case CORE_ESTATE:
	case CORE_EEXIST:
		return "deny";
	default:
		return "error";
	}
}

/* s with every occurrence of from replaced by to (static buffer). */
static const char *
replace(const char *s, const char *from, const char *to)
{
	static char out[1024];
	size_t o = 0, fl = strlen(from), tl = strlen(to);

	while (*s && o + tl + 1 < sizeof(out)) {
		if (fl && strncmp(s, from, fl) == 0) {
			memcpy(out + o, to, tl);
			o += tl;
			s += fl;
		} else {
			out[o++] = *s++;
		}
	}
	out[o] = '\0';
	return out;
}

struct tally {
	size_t rows, allow, deny, hidden, mismatches, known;
};

/* Runs one row; returns what core answered ("allow", "deny", ...) in
 * got, and whether the database changed. */
static void
run_row(const struct row *r, char got[64], char msg[1024], int *changed,
        int64_t *id_out)
{
	const char *login = actor_of(r), *panel;
	int place = place_of(r), s, listed, rc;
	unsigned char before[32], after[32];
	struct core *c;
	int64_t id = 0;

	*changed = 0;
	*id_out = 0;
	msg[0] = '\0';
	if (takes_nominee(r->action) || strcmp(r->action, "list") == 0 ||
	    strcmp(r->action, "stats") == 0) {
		s = state_index(r->state);
		if (place < 0 || s < 0 ||
		    !(id = fixture[place][s][variant_of(r)])) {
			snprintf(got, 64, "no fixture");
			return;
		}
	}
	if (!login) {
		snprintf(got, 64, "no actor");
		return;
	}
	*id_out = id;
	panel = panel_of(r, place < 0 ? A1 : place);
	c = H(login);
	db_hash(before);
	rc = call(c, r, place, id, panel, &listed);
	snprintf(msg, 1024, "%s", core_errmsg(c));
	snprintf(got, 64, "%s", classify(rc, listed));
	if (strcmp(got, "error") == 0)
		snprintf(got, 64, "error %d", rc);
	if (strcmp(got, "deny-hidden") == 0 && listed < 0) {
		/* The same answer as for a missing object. */
		char want[1024];
		int same = 0, l2;

		if (takes_nominee(r->action)) {
			char idtxt[24];

			snprintf(idtxt, sizeof(idtxt), "%lld", (long long)id);
			if (call(c, r, place, MISSING_ID, panel, &l2) ==
			    CORE_ENOENT) {
				snprintf(
				    want, sizeof(want), "%s",
				    replace(core_errmsg(c), "999999", idtxt));
				same |= strcmp(want, msg) == 0;
			}
		}
		if (!same && takes_panel(r->action) && panel) {
			if (call(c, r, place, id, MISSING_PANEL, &l2) ==
			    CORE_ENOENT) {
				snprintf(want, sizeof(want), "%s",
				         replace(core_errmsg(c), MISSING_PANEL,
				                 panel));
				same |= strcmp(want, msg) == 0;
			}
		}
		if (!same)
			snprintf(got, 64, "deny-hidden(other message)");
	}
	db_hash(after);
	*changed = memcmp(before, after, 32) != 0;
}

static void
run_rows(const struct row *rows, size_t n, struct row *known, size_t n_known,
         struct tally *t)
{
	char got[64], msg[1024];
	int changed, dirty = 0;
	int64_t id;

	pool_dir = work;
	open_copies();
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		struct row *k;
		int deny = strncmp(r->expected, "deny", 4) == 0;

		t->rows++;
		if (strcmp(r->expected, "allow") == 0)
			t->allow++;
		else if (strcmp(r->expected, "deny") == 0)
			t->deny++;
		else
			t->hidden++;
		if (dirty) {
			restore();
			dirty = 0;
		}
		run_row(r, got, msg, &changed, &id);
		dirty = changed;
		if (changed && deny && strcmp(got, "allow") != 0) {
			test_fail(__FILE__, __LINE__,
			          "matrix.csv:%d: %s %s %s %s: refused (%s) "
			          "but the database changed",
			          r->line, r->role, r->action, r->scope,
			          r->state, msg);
			t->mismatches++;
			continue;
		}
		k = find_known(known, n_known, r);
		if (k)
			k->seen = 1;
		if (strcmp(got, r->expected) == 0) {
			if (k)
				test_fail(
				    __FILE__, __LINE__,
				    "known.csv:%d: %s %s %s %s now answers "
				    "as specified (%s): remove the entry",
				    k->line, r->role, r->action, r->scope,
				    r->state, got);
			continue;
		}
		if (k && strcmp(k->expected, got) == 0) {
			char bug[16];

			snprintf(bug, sizeof(bug), "%.*s",
			         (int)strcspn(k->note, " "), k->note);
			printf(
			    "# known %s: matrix.csv:%d %s,%s,%s,%s: expected "
			    "%s, got %s\n",
			    bug, r->line, r->role, r->action, r->scope,
			    r->state, r->expected, got);
			t->known++;
			continue;
		}
		test_fail(__FILE__, __LINE__,
		          "matrix.csv:%d: %s,%s,%s,%s (as %s, nominee %lld): "
		          "expected %s, got %s (%s)",
		          r->line, r->role, r->action, r->scope, r->state,
		          actor_of(r) ? actor_of(r) : "?", (long long)id,
		          r->expected, got, msg);
		t->mismatches++;
	}
	for (size_t i = 0; i < n_known; i++)
		if (!known[i].seen)
			test_fail(__FILE__, __LINE__,
			          "known.csv:%d: no such row in matrix.csv",
			          known[i].line);
	pool_close();
	close_copies();
}

#define MATRIX_HEADER "role,action,scope,state,expected"
#define KNOWN_HEADER "role,action,scope,state,got,note"

static void
test_authz_matrix__every_row(void)
{
	struct tally t = {0};
	struct row *rows, *known;
	size_t n, n_known;

	setenv("NOMDESK_KDF", "interactive", 1);
	if (!(rows = read_rows("matrix.csv", MATRIX_HEADER, &n)))
		return;
	if (!(known = read_rows("known.csv", KNOWN_HEADER, &n_known)) &&
	    n_known) {
		free(rows);
		return;
	}
	make_round_json();
	build_template();
	run_rows(rows, n, known, n_known, &t);
	printf("# authz matrix: %zu rows (%zu allow, %zu deny, %zu "
	       "deny-hidden): %zu as specified, %zu known differences, %zu "
	       "mismatches\n",
	       t.rows, t.allow, t.deny, t.hidden,
	       t.rows - t.known - t.mismatches, t.known, t.mismatches);
	CHECK(t.rows > 0);
	free(known);
	free(rows);
	free(round_json);
}

static int
has_row(const struct row *rows, size_t n, const char *role, const char *action)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].action, action) == 0 &&
		    (!role || strcmp(rows[i].role, role) == 0))
			return 1;
	return 0;
}

static void
test_authz_matrix__is_complete(void)
{
	static const char *const roles[] = {
	    "applicant", "unit_clerk", "county_hr", "department",
	    "expert",    "city_hr",    "auditor",   "admin"};
	struct wf_names w = {0};
	struct row *rows;
	size_t n;

	if (!(rows = read_rows("matrix.csv", MATRIX_HEADER, &n)))
		return;
	core_action_list(collect_action, &w);
	CHECK(w.n > 0);
	/* every action of core's workflow table and of the harness, for
	 * every role */
	for (size_t i = 0; i < w.n; i++)
		for (size_t k = 0; k < sizeof(roles) / sizeof(roles[0]); k++)
			if (!has_row(rows, n, roles[k], w.names[i]))
				test_fail(__FILE__, __LINE__,
				          "matrix.csv has no row for workflow "
				          "action '%s' and role %s",
				          w.names[i], roles[k]);
	for (const char *const *a = harness_actions; *a; a++)
		for (size_t k = 0; k < sizeof(roles) / sizeof(roles[0]); k++)
			if (!has_row(rows, n, roles[k], *a))
				test_fail(__FILE__, __LINE__,
				          "matrix.csv has no row for '%s' and "
				          "role %s",
				          *a, roles[k]);
	/* and nothing the harness cannot call */
	for (size_t i = 0; i < n; i++) {
		int known = is_workflow(rows[i].action);

		for (const char *const *a = harness_actions; *a && !known; a++)
			known = strcmp(*a, rows[i].action) == 0;
		if (!known)
			test_fail(__FILE__, __LINE__,
			          "matrix.csv:%d: unknown action '%s'",
			          rows[i].line, rows[i].action);
		if (strcmp(rows[i].expected, "allow") != 0 &&
		    strcmp(rows[i].expected, "deny") != 0 &&
		    strcmp(rows[i].expected, "deny-hidden") != 0)
			test_fail(__FILE__, __LINE__,
			          "matrix.csv:%d: expected must be allow, "
			          "deny or deny-hidden",
			          rows[i].line);
	}
	free(rows);
}

static const struct test_case tests_authz_matrix[] = {
    {"authz_matrix__is_complete", test_authz_matrix__is_complete},
    {"authz_matrix__every_row", test_authz_matrix__every_row},
    {NULL, NULL},
};
TEST_REGISTER(tests_authz_matrix)
