/*
 * Expert evaluation through core/: panels, automatic recusal by unit and
 * by declared conflict, the declaration that opens a dossier, score
 * sheets kept from other experts until one's own is in, results by mean
 * threshold and by majority with a quorum, the committee's ranked list
 * within the round's target, statistics within scope, and the audit
 * entry of every act.
 */
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/core.h"
#include "core/core_int.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"

/* 2020-11-02 10:00 +08:00 */
#define T0 1604282400000LL
#define DAY 86400000LL

static int64_t now_ms;
static char dir[512];
static struct core *C;
static int id_seq;

static int64_t
test_clock(void *ctx)
{
	(void)ctx;
	return now_ms;
}

static void
raw_exec(const char *stmt)
{
	char path[600];
	sqlite3 *db = NULL;

	snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, stmt, NULL, NULL, NULL) != SQLITE_OK)
		test_fail(__FILE__, __LINE__, "%s: %s", stmt,
		          sqlite3_errmsg(db));
	sqlite3_close(db);
}

static int64_t
db_int(const char *query)
{
	char path[600];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
	if (sqlite3_open(path, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, query, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else
		test_fail(__FILE__, __LINE__, "%s: %s", query,
		          sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static int64_t
log_size(void)
{
	return db_int("SELECT count(*) FROM log_entry");
}

/* Users who sign acts (issue #4): one handle each, unlocked once. */
static const char *const signers[] = {
    "pc_clerk",     "clerk_a2",    "clerk_d1", "yg_clerk",
    "pingcheng_hr", "health_dept", "city_hr",  "e_own",
    "e_sub",        "e_b",         "e_c",      "e_d",
    "e_h",          "expert_zhou", NULL};

static void
pass_of(const char *login, char out[64])
{
	snprintf(out, 64, "签名口令 of %s", login);
}

static struct {
	char login[40];
	struct core *c;
} pool[32];
static size_t n_pool;

/* Acts as login from now on: C is that user's own handle. */
static void
as(const char *login)
{
	char err[256], pw[64];

	for (size_t i = 0; i < n_pool; i++)
		if (strcmp(pool[i].login, login) == 0) {
			C = pool[i].c;
			return;
		}
	C = NULL;
	if (n_pool == sizeof(pool) / sizeof(pool[0]) ||
	    core_open(&C, dir, err, sizeof(err)) != 0 ||
	    core_act_as(C, login) != 0) {
		test_fail(__FILE__, __LINE__, "act as %s", login);
		exit(1);
	}
	core_set_clock(C, test_clock, NULL);
	if (core_key_enrolled(C, NULL) == 1) {
		pass_of(login, pw);
		if (core_key_unlock(C, pw, 1) != 0)
			test_fail(__FILE__, __LINE__, "unlock %s: %s", login,
			          core_errmsg(C));
	}
	snprintf(pool[n_pool].login, sizeof(pool[n_pool].login), "%s", login);
	pool[n_pool++].c = C;
}

static void
add_user(struct core *sys, const char *login, enum core_role role,
         const char *unit)
{
	struct core_user_new u = {login, login, role, unit, "en"};

	CHECK_INT(core_user_add(sys, &u, NULL), 0);
}

/*
 * A data directory with the demo accounts, a ward under the demo
 * hospital (same employer), a school under the education department, and
 * experts:
 *   e_own  平城区中心医院 (the nominees' own unit)
 *   e_sub  its cardiology ward (same employer)
 *   e_b    云冈区 company (another county)
 *   e_c    平城区第一中学 (same county, another employer)
 *   e_d    the education department's school
 *   e_h    the city's First People's Hospital
 */
static void
setup(void)
{
	struct core *sys = NULL;
	char err[256], pw[64];

	setenv("NOMDESK_KDF", "interactive", 1);
	snprintf(dir, sizeof(dir), "%s/data", test_tmpdir());
	if (core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
	raw_exec("INSERT INTO unit (code, name, kind, parent) VALUES "
	        "('140213-e001-icu', '心内科', 'employer', '140213-e001'), "
	        "('dept-edu-e001', '大同一中', 'employer', 'dept-edu')");
	if (core_open(&sys, dir, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "open: %s", err);
		exit(1);
	}
	now_ms = T0;
	core_set_clock(sys, test_clock, NULL);
	CHECK_INT(core_act_as_system(sys, "test"), 0);
	add_user(sys, "e_own", CORE_ROLE_EXPERT, "140213-e001");
	add_user(sys, "e_sub", CORE_ROLE_EXPERT, "140213-e001-icu");
	add_user(sys, "e_b", CORE_ROLE_EXPERT, "140214-e001");
	add_user(sys, "e_c", CORE_ROLE_EXPERT, "140213-e002");
	add_user(sys, "e_d", CORE_ROLE_EXPERT, "dept-edu-e001");
	add_user(sys, "e_h", CORE_ROLE_EXPERT, "dept-health-e001");
	add_user(sys, "clerk_a2", CORE_ROLE_UNIT_CLERK, "140213-e002");
	add_user(sys, "clerk_d1", CORE_ROLE_UNIT_CLERK, "dept-health-e001");
	for (const char *const *k = signers; *k; k++) {
		pass_of(*k, pw);
		if (core_key_enroll(sys, *k, pw, NULL) != 0)
			test_fail(__FILE__, __LINE__, "enroll %s: %s", *k,
			          core_errmsg(sys));
	}
	core_close(sys);
}

static void
teardown(void)
{
	for (size_t i = 0; i < n_pool; i++)
		core_close(pool[i].c);
	n_pool = 0;
	C = NULL;
}

/* core_act with the scan a paper pledge needs (issue #4). */
static int
act_on(struct core *c, int64_t id, const char *action)
{
	static const char scan[] = "scan of the signed pledge form";
	struct core_act_opts o = {0};
	uint8_t d[1][32];
	int r;

	if (strcmp(action, "pledge_paper") == 0) {
		if ((r = core_doc_store(c, scan, sizeof(scan) - 1, d[0])) != 0)
			return r;
		o.attach = (const uint8_t(*)[32])d;
		o.n_attach = 1;
	}
	return core_act_ex(c, id, action, "同政函〔2020〕7号", &o, NULL);
}

static void
act_ok(const char *login, int64_t id, const char *action)
{
	int r;

	as(login);
	if ((r = act_on(C, id, action)) != 0)
		test_fail(__FILE__, __LINE__, "%s by %s: %s", action, login,
		          core_errmsg(C));
}

static int64_t
nominee_at(const char *clerk, const char *unit)
{
	static const int w[17] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
	                          3, 7, 9,  10, 5, 8, 4, 2};
	struct core_nominee_new n = {"王五", "男", "1976-05-04", "主任医师",
	                             unit};
	char idn[19];
	int64_t id = 0;
	int sum = 0;

	snprintf(idn, sizeof(idn), "14021319760504%03d", ++id_seq % 1000);
	for (int i = 0; i < 17; i++)
		sum += (idn[i] - '0') * w[i];
	idn[17] = "10X98765432"[sum % 11];
	idn[18] = '\0';
	as(clerk);
	CHECK_INT(core_nominee_add(C, &n, &id, NULL), 0);
	CHECK_INT(fixture_complete(C, id, idn), 0);
	return id;
}

/* A nominee of 平城区中心医院, submitted to 平城区. */
static int64_t
submitted(void)
{
	int64_t id = nominee_at("pc_clerk", "140213-e001");

	act_ok("pc_clerk", id, "pledge_paper");
	act_ok("pc_clerk", id, "unit_review");
	act_ok("pc_clerk", id, "submit");
	return id;
}

static int64_t
make_panel(const char *owner, const char *name, enum core_panel_level level,
           enum core_panel_rule rule, int quorum, const char *const *members)
{
	struct core_panel_new p = {name, level, rule, NULL, NULL, quorum};
	int64_t id = 0;

	as(owner);
	CHECK_INT(core_panel_create(C, &p, &id, NULL), 0);
	for (; members && *members; members++)
		CHECK_INT(core_panel_add_member(C, name, *members, NULL), 0);
	return id;
}

static int
assign(const char *owner, const char *panel, int64_t id)
{
	as(owner);
	return core_panel_assign(C, panel, id, NULL, NULL, NULL);
}

static int
declare(const char *expert, int64_t id, const char *conflict)
{
	as(expert);
	return core_panel_declare(C, NULL, id, conflict, NULL);
}

/* Scores a/i/c as given ("35", "25", "20"). */
static int
score3(const char *expert, int64_t id, const char *a, const char *i,
       const char *k)
{
	struct core_score s[3] = {
	    {"academic", a}, {"innovation", i}, {"contribution", k}};

	as(expert);
	return core_panel_score(C, NULL, id, s, 3, "意见：材料翔实", NULL);
}

/* A total as three scores within the default sheet (40/30/30). */
static int
score_total(const char *expert, int64_t id, int total_x10)
{
	char a[16], i[16], k[16];
	int x = total_x10 > 400 ? 400 : total_x10;
	int y = total_x10 - x > 300 ? 300 : total_x10 - x;
	int z = total_x10 - x - y;

	snprintf(a, sizeof(a), "%d.%d", x / 10, x % 10);
	snprintf(i, sizeof(i), "%d.%d", y / 10, y % 10);
	snprintf(k, sizeof(k), "%d.%d", z / 10, z % 10);
	return score3(expert, id, a, i, k);
}

static int
get_dossier(const char *login, int64_t id)
{
	struct core_dossier *d = calloc(1, sizeof(*d));
	int r;

	as(login);
	r = core_nominee_get(C, id, d);
	free(d);
	return r;
}

struct items {
	char text[8][160];
	int n;
};

static int
collect_item(void *ctx, const struct core_panel_assign_item *it)
{
	struct items *x = ctx;

	if (x->n < 8)
		snprintf(x->text[x->n++], sizeof(x->text[0]), "%s %s%s %s",
		         it->expert, it->already ? "already " : "",
		         it->recused ? "recused" : "assigned", it->reason);
	return 0;
}

static int
has_item(const struct items *x, const char *prefix)
{
	for (int i = 0; i < x->n; i++)
		if (strncmp(x->text[i], prefix, strlen(prefix)) == 0)
			return 1;
	return 0;
}

static int
count_log(void *ctx, const struct core_audit_item *it)
{
	int *n = ctx;

	*n += strstr(it->subject, "nominee:") != NULL;
	return 0;
}

static int
declaration_sigs(void *ctx, const struct core_audit_item *it)
{
	int *n = ctx;

	if (it->act == 6 && strncmp(it->subject, "panel:", 6) == 0)
		*n = it->n_sigs;
	return 0;
}

/* 回避承诺 is the expert's own signed act: refused with the key locked,
 * and the entry carries two signatures (the log's and the expert's). */
static void
test_panel__declaration_is_signed(void)
{
	static const char *const m[] = {"e_b", "e_c", NULL};
	int64_t id;
	int n_sigs = 0;

	setup();
	id = submitted();
	make_panel("pingcheng_hr", "签名组", CORE_PANEL_LOCAL, CORE_PANEL_MEAN,
	           1, m);
	CHECK_INT(assign("pingcheng_hr", "签名组", id), 0);
	as("e_b");
	core_key_lock(C);
	CHECK_INT(core_panel_declare(C, NULL, id, NULL, NULL), CORE_EAUTH);
	CHECK_STR(core_errfield(C), "passphrase");
	{
		char pw[64];

		pass_of("e_b", pw);
		CHECK_INT(core_key_unlock(C, pw, 1), 0);
	}
	CHECK_INT(core_panel_declare(C, NULL, id, NULL, NULL), 0);
	as("auditor");
	CHECK_INT(core_audit_log(C, id, "e_b", declaration_sigs, &n_sigs), 0);
	CHECK_INT(n_sigs, 2);
	teardown();
}

static void
test_panel__recusal_by_unit_and_employer(void)
{
	static const char *const m[] = {"e_own", "e_sub", "e_b", "e_c", NULL};
	struct items it = {0};
	char missing[256];
	int64_t id, before;

	setup();
	id = submitted();
	make_panel("pingcheng_hr", "平城区评审组", CORE_PANEL_LOCAL,
	           CORE_PANEL_MEAN, 2, m);
	before = log_size();
	as("pingcheng_hr");
	CHECK_INT(
	    core_panel_assign(C, "平城区评审组", id, collect_item, &it, NULL),
	    0);
	CHECK_INT(it.n, 4);
	CHECK(has_item(&it, "e_own recused own unit 140213-e001"));
	CHECK(has_item(&it, "e_sub recused same employer 140213-e001"));
	CHECK(has_item(&it, "e_b assigned"));
	CHECK(has_item(&it, "e_c assigned")); /* same county is no conflict */
	/* one audited act per member, recusals included */
	CHECK_INT(log_size(), before + 4);
	CHECK_INT(db_int("SELECT count(*) FROM log_entry WHERE subject LIKE "
	                 "'panel:%/nominee:%'"),
	          4);
	CHECK_INT(db_int("SELECT count(*) FROM panel_assignment WHERE "
	                 "status = 'recused'"),
	          2);
	/* the panel's acts on the nominee are in its log, for those who
	 * may see the nominee and for nobody else */
	{
		int n_log = 0;

		as("pingcheng_hr");
		CHECK_INT(core_audit_log(C, id, NULL, count_log, &n_log), 0);
		CHECK(n_log >= 4 + 1); /* created, ..., four assignments */
		n_log = 0;
		CHECK_INT(core_audit_log(C, 0, "pingcheng_hr", count_log,
		                         &n_log),
		          0);
		CHECK(n_log >= 4);
		n_log = 0;
		as("yungang_hr");
		CHECK_INT(core_audit_log(C, 0, "pingcheng_hr", count_log,
		                         &n_log),
		          0);
		CHECK_INT(n_log, 0);
	}

	/* a recused expert is told nothing: the answer for a missing one */
	as("e_own");
	CHECK_INT(core_panel_declare(C, NULL, 999999, NULL, NULL), CORE_ENOENT);
	snprintf(missing, sizeof(missing), "%s", core_errmsg(C));
	CHECK_INT(core_panel_declare(C, NULL, id, NULL, NULL), CORE_ENOENT);
	{
		char want[256];

		snprintf(want, sizeof(want), "no nominee %lld", (long long)id);
		CHECK_STR(core_errmsg(C), want);
		CHECK(strstr(missing, "999999") != NULL);
	}
	CHECK_INT(score_total("e_own", id, 800), CORE_ENOENT);
	CHECK_INT(get_dossier("e_own", id), CORE_ENOENT);
	CHECK_INT(get_dossier("e_sub", id), CORE_ENOENT);

	/* assigning again changes nothing; a new member is added on the
	 * next assignment, the others stay as they are */
	before = log_size();
	CHECK_INT(assign("pingcheng_hr", "平城区评审组", id), CORE_EEXIST);
	CHECK_INT(log_size(), before);
	CHECK_INT(core_panel_add_member(C, "平城区评审组", "e_d", NULL), 0);
	memset(&it, 0, sizeof(it));
	CHECK_INT(
	    core_panel_assign(C, "平城区评审组", id, collect_item, &it, NULL),
	    0);
	CHECK(has_item(&it, "e_d assigned"));
	CHECK(has_item(&it, "e_own already recused"));
	CHECK_INT(log_size(), before + 2); /* add-member, assign e_d */
	teardown();
}

static int
count_nominee(void *ctx, const struct core_nominee *n)
{
	(void)n;
	(*(int *)ctx)++;
	return 0;
}

static void
test_panel__declaration_opens_only_the_assigned_dossier(void)
{
	static const char *const m[] = {"e_b", "e_c", NULL};
	struct core_field_value v = {"specialty", "心内科"};
	char full[24];
	int64_t a, b;
	int n = 0;

	setup();
	a = submitted();
	b = submitted();
	make_panel("pingcheng_hr", "组一", CORE_PANEL_LOCAL, CORE_PANEL_MEAN, 1,
	           m);
	CHECK_INT(assign("pingcheng_hr", "组一", a), 0);

	/* assigned but undeclared: the dossier stays closed */
	CHECK_INT(get_dossier("e_b", a), CORE_ENOENT);
	CHECK_INT(core_nominee_list(C, count_nominee, &n), 0);
	CHECK_INT(n, 0);
	CHECK_INT(score_total("e_b", a, 800), CORE_EPERM);
	CHECK(strstr(core_errmsg(C), "declaration") != NULL);

	CHECK_INT(declare("e_b", a, NULL), 0);
	CHECK_INT(declare("e_b", a, NULL), CORE_EEXIST);
	CHECK_INT(get_dossier("e_b", a), 0);
	n = 0;
	CHECK_INT(core_nominee_list(C, count_nominee, &n), 0);
	CHECK_INT(n, 1);
	/* never an unassigned one, never the full ID, never a change */
	CHECK_INT(get_dossier("e_b", b), CORE_ENOENT);
	as("e_b");
	CHECK_INT(core_nominee_reveal_id(C, a, full), CORE_EPERM);
	CHECK_INT(core_nominee_edit(C, a, &v, 1, NULL), CORE_EPERM);
	CHECK_INT(core_act(C, a, "screen", NULL, NULL), CORE_EPERM);
	CHECK_INT(core_stats(C, NULL, NULL), CORE_EPERM);
	/* the expert list shows the assignment, with the name needed to
	 * judge a conflict */
	teardown();
}

static void
test_panel__declared_conflict_recuses_on_every_panel(void)
{
	static const char *const m[] = {"e_b", "e_c", "e_d", NULL};
	static const char *const city[] = {"e_b", "e_d", NULL};
	struct items it = {0};
	int64_t id;

	setup();
	id = submitted();
	make_panel("pingcheng_hr", "组一", CORE_PANEL_LOCAL, CORE_PANEL_MEAN, 1,
	           m);
	CHECK_INT(assign("pingcheng_hr", "组一", id), 0);
	/* a conflict needs its reason */
	CHECK_INT(declare("e_b", id, "   "), CORE_EINVAL);
	CHECK_INT(declare("e_b", id, "申报人是我的博士导师"), 0);
	CHECK_INT(get_dossier("e_b", id), CORE_ENOENT);
	CHECK_INT(score_total("e_b", id, 800), CORE_EPERM);
	CHECK_INT(declare("e_b", id, NULL), CORE_EEXIST);
	/* a conflict found after the declaration, before scoring, closes
	 * the dossier again */
	CHECK_INT(declare("e_c", id, NULL), 0);
	CHECK_INT(get_dossier("e_c", id), 0);
	CHECK_INT(declare("e_c", id, "近三年合作发表论文"), 0);
	CHECK_INT(get_dossier("e_c", id), CORE_ENOENT);
	/* after scoring it is too late: the sheet is final */
	CHECK_INT(declare("e_d", id, NULL), 0);
	CHECK_INT(score_total("e_d", id, 800), 0);
	CHECK_INT(declare("e_d", id, "忘了说"), CORE_ESTATE);

	/* through the local stage to the city */
	act_ok("pingcheng_hr", id, "screen");
	act_ok("pingcheng_hr", id, "open_local_notice");
	now_ms += 7 * DAY;
	act_ok("pingcheng_hr", id, "report");
	act_ok("city_hr", id, "hr_check");
	make_panel("city_hr", "市评审委员会", CORE_PANEL_CITY, CORE_PANEL_MEAN,
	           1, city);
	as("city_hr");
	CHECK_INT(
	    core_panel_assign(C, "市评审委员会", id, collect_item, &it, NULL),
	    0);
	CHECK(has_item(&it, "e_b recused declared conflict: 申报人是我的"));
	CHECK(has_item(&it, "e_d assigned"));
	CHECK_INT(declare("e_b", id, NULL), CORE_ESTATE); /* not on the city */
	teardown();
}

struct sheets {
	int n;
	int total[8];
};

static int
count_sheet(void *ctx, const struct core_panel_sheet *s)
{
	struct sheets *x = ctx;

	if (x->n < 8)
		x->total[x->n++] = s->total_x10;
	return 0;
}

static int
noop_result(void *ctx, const struct core_panel_result *r)
{
	(void)ctx;
	(void)r;
	return 0;
}

static void
test_panel__scores_hidden_until_own_submitted(void)
{
	static const char *const m[] = {"e_b", "e_c", NULL};
	struct sheets sh = {0};
	int64_t id, before;

	setup();
	id = submitted();
	make_panel("pingcheng_hr", "组一", CORE_PANEL_LOCAL, CORE_PANEL_MEAN, 2,
	           m);
	CHECK_INT(assign("pingcheng_hr", "组一", id), 0);
	CHECK_INT(declare("e_b", id, NULL), 0);
	CHECK_INT(declare("e_c", id, NULL), 0);

	/* a bad sheet is refused whole, and nothing is written */
	before = log_size();
	CHECK_INT(score3("e_b", id, "35", "25", NULL), CORE_EINVAL);
	CHECK_INT(score3("e_b", id, "41", "25", "20"), CORE_EINVAL);
	CHECK_INT(score3("e_b", id, "35.25", "25", "20"), CORE_EINVAL);
	CHECK_INT(score3("e_b", id, "-1", "25", "20"), CORE_EINVAL);
	{
		struct core_score s[4] = {{"academic", "30"},
		                          {"innovation", "20"},
		                          {"contribution", "20"},
		                          {"charisma", "5"}};

		as("e_b");
		CHECK_INT(core_panel_score(C, NULL, id, s, 4, NULL, NULL),
		          CORE_EINVAL);
		CHECK_STR(core_errfield(C), "criterion");
		s[3] = s[0];
		CHECK_INT(core_panel_score(C, NULL, id, s, 4, NULL, NULL),
		          CORE_EINVAL);
	}
	CHECK_INT(log_size(), before);
	CHECK_INT(db_int("SELECT count(*) FROM panel_score"), 0);

	CHECK_INT(score3("e_b", id, "35.5", "25", "20"), 0);
	CHECK_INT(score3("e_b", id, "35.5", "25", "20"), CORE_EEXIST);
	/* e_c has not scored: no sheets, no results */
	as("e_c");
	CHECK_INT(core_panel_scores(C, "组一", id, count_sheet, &sh),
	          CORE_EPERM);
	CHECK_INT(sh.n, 0);
	CHECK_INT(core_panel_result(C, "组一", noop_result, NULL), CORE_EPERM);
	/* e_b sees what is in: their own sheet */
	as("e_b");
	CHECK_INT(core_panel_scores(C, "组一", id, count_sheet, &sh), 0);
	CHECK_INT(sh.n, 1);
	CHECK_INT(sh.total[0], 805);
	CHECK_INT(core_panel_result(C, "组一", noop_result, NULL), CORE_EPERM);
	CHECK_INT(score3("e_c", id, "30", "20", "20"), 0);
	memset(&sh, 0, sizeof(sh));
	as("e_c");
	CHECK_INT(core_panel_scores(C, "组一", id, count_sheet, &sh), 0);
	CHECK_INT(sh.n, 2);
	/* an expert off the panel does not even see it; the owner, city HR
	 * and the auditor see the sheets; another county and the clerk do
	 * not */
	as("e_d");
	CHECK_INT(core_panel_scores(C, "组一", id, count_sheet, &sh),
	          CORE_ENOENT);
	CHECK_STR(core_errmsg(C), "no panel '组一'");
	as("pingcheng_hr");
	CHECK_INT(core_panel_scores(C, "组一", id, count_sheet, &sh), 0);
	as("city_hr");
	CHECK_INT(core_panel_scores(C, "组一", id, count_sheet, &sh), 0);
	as("auditor");
	CHECK_INT(core_panel_scores(C, "组一", id, count_sheet, &sh), 0);
	as("yungang_hr");
	CHECK_INT(core_panel_scores(C, "组一", id, count_sheet, &sh),
	          CORE_ENOENT);
	as("pc_clerk");
	CHECK_INT(core_panel_scores(C, "组一", id, count_sheet, &sh),
	          CORE_ENOENT);
	teardown();
}

struct results {
	int n;
	struct core_panel_result r[8];
};

static int
collect_result(void *ctx, const struct core_panel_result *r)
{
	struct results *x = ctx;

	if (x->n < 8)
		x->r[x->n++] = *r;
	return 0;
}

static const struct core_panel_result *
result_of(const struct results *x, int64_t id)
{
	for (int i = 0; i < x->n; i++)
		if (x->r[i].nominee_id == id)
			return &x->r[i];
	return NULL;
}

static void
test_panel__result_by_mean_threshold_with_quorum(void)
{
	static const char *const m[] = {"e_b", "e_c", "e_d", NULL};
	struct results res = {0};
	const struct core_panel_result *r;
	int64_t a, b, c;

	setup();
	a = submitted();
	b = submitted();
	c = submitted();
	make_panel("pingcheng_hr", "组一", CORE_PANEL_LOCAL, CORE_PANEL_MEAN, 3,
	           m);
	for (int64_t id = a; id <= c; id++) {
		CHECK_INT(assign("pingcheng_hr", "组一", id), 0);
		CHECK_INT(declare("e_b", id, NULL), 0);
		CHECK_INT(declare("e_c", id, NULL), 0);
		CHECK_INT(declare("e_d", id, NULL), 0);
	}
	CHECK_INT(panel_check_result(C, a, "local"), CORE_ESTATE);
	CHECK_INT(score_total("e_b", a, 700), 0);
	CHECK_INT(score_total("e_c", a, 500), 0);
	/* two sheets of a quorum of three: pending */
	CHECK_INT(panel_check_result(C, a, "local"), CORE_ESTATE);
	CHECK(strstr(core_errmsg(C), "2 of the 3") != NULL);
	CHECK_INT(score_total("e_d", a, 600), 0);
	/* mean 60.00, exactly the pass mark (60% of 100): passed */
	CHECK_INT(panel_check_result(C, a, "local"), 0);
	/* b: 60, 59.9, 60 -> 59.97: failed by a tenth */
	CHECK_INT(score_total("e_b", b, 600), 0);
	CHECK_INT(score_total("e_c", b, 599), 0);
	CHECK_INT(score_total("e_d", b, 600), 0);
	CHECK_INT(panel_check_result(C, b, "local"), CORE_ESTATE);
	CHECK(strstr(core_errmsg(C), "59.97") != NULL);
	/* the city stage has its own panel */
	CHECK_INT(panel_check_result(C, a, "city"), CORE_ESTATE);
	CHECK(strstr(core_errmsg(C), "city committee") != NULL);

	as("pingcheng_hr");
	CHECK_INT(core_panel_result(C, "组一", collect_result, &res), 0);
	CHECK_INT(res.n, 3);
	if ((r = result_of(&res, a))) {
		CHECK_INT(r->outcome, CORE_PANEL_PASSED);
		CHECK_INT(r->mean_x100, 6000);
		CHECK_INT(r->n_submitted, 3);
		CHECK_INT(r->yes, 2);
	}
	if ((r = result_of(&res, b))) {
		CHECK_INT(r->outcome, CORE_PANEL_FAILED);
		CHECK_INT(r->mean_x100, 5997);
	}
	if ((r = result_of(&res, c))) {
		CHECK_INT(r->outcome, CORE_PANEL_PENDING);
		CHECK_INT(r->n_assigned, 3);
	}
	/* who may read the results */
	as("yungang_hr");
	CHECK_INT(core_panel_result(C, "组一", noop_result, NULL), CORE_ENOENT);
	as("city_hr");
	CHECK_INT(core_panel_result(C, "组一", noop_result, NULL), 0);
	as("e_b");
	CHECK_INT(core_panel_result(C, "组一", noop_result, NULL), CORE_EPERM);
	teardown();
}

static void
test_panel__result_by_majority_with_quorum(void)
{
	static const char *const m[] = {"e_b", "e_c", "e_d", "e_h", NULL};
	struct core_panel p;
	int64_t a, b, c, d;

	setup();
	a = submitted();
	b = submitted();
	c = submitted();
	d = submitted();
	make_panel("pingcheng_hr", "投票组", CORE_PANEL_LOCAL,
	           CORE_PANEL_MAJORITY, 3, m);
	as("pingcheng_hr");
	CHECK_INT(core_panel_get(C, "投票组", &p), 0);
	CHECK_INT(p.rule, CORE_PANEL_MAJORITY);
	CHECK_INT(p.threshold_x10, 600);
	CHECK_INT(p.quorum, 3);
	CHECK_INT(p.n_members, 4);
	for (int64_t id = a; id <= d; id++) {
		CHECK_INT(assign("pingcheng_hr", "投票组", id), 0);
		CHECK_INT(declare("e_b", id, NULL), 0);
		CHECK_INT(declare("e_c", id, NULL), 0);
		CHECK_INT(declare("e_d", id, NULL), 0);
		CHECK_INT(declare("e_h", id, NULL), 0);
	}
	/* a: 70 50 65 -> 2 of 3 in favour: passed, though the mean is
	 * 61.67 either way */
	CHECK_INT(score_total("e_b", a, 700), 0);
	CHECK_INT(score_total("e_c", a, 500), 0);
	CHECK_INT(score_total("e_d", a, 650), 0);
	CHECK_INT(panel_check_result(C, a, "local"), 0);
	/* c: 90 55 55 -> the mean 66.67 would pass, but only 1 of 3 is
	 * in favour: failed (the rule is the vote, not the mean) */
	CHECK_INT(score_total("e_b", c, 900), 0);
	CHECK_INT(score_total("e_c", c, 550), 0);
	CHECK_INT(score_total("e_d", c, 550), 0);
	CHECK_INT(panel_check_result(C, c, "local"), CORE_ESTATE);
	CHECK(strstr(core_errmsg(C), "1 of 3") != NULL);
	/* b: two in favour, quorum three not reached: pending */
	CHECK_INT(score_total("e_b", b, 900), 0);
	CHECK_INT(score_total("e_c", b, 900), 0);
	CHECK_INT(panel_check_result(C, b, "local"), CORE_ESTATE);
	CHECK(strstr(core_errmsg(C), "quorum") != NULL);
	/* d: 2 of 4 is not more than half */
	CHECK_INT(score_total("e_b", d, 700), 0);
	CHECK_INT(score_total("e_c", d, 700), 0);
	CHECK_INT(score_total("e_d", d, 500), 0);
	CHECK_INT(score_total("e_h", d, 500), 0);
	CHECK_INT(panel_check_result(C, d, "local"), CORE_ESTATE);
	teardown();
}

/* Drives a submitted nominee of 平城区 through a one-expert county panel
 * to the city's initial review. */
static void
to_hr_checked(int64_t id, const char *panel)
{
	CHECK_INT(assign("pingcheng_hr", panel, id), 0);
	CHECK_INT(declare("e_d", id, NULL), 0);
	CHECK_INT(score_total("e_d", id, 800), 0);
	act_ok("pingcheng_hr", id, "screen");
	act_ok("pingcheng_hr", id, "open_local_notice");
}

/* The city committee panel scores id (e_b alone, quorum 1); a nominee
 * on two city panels at once needs the panel named. */
static void
city_score(const char *panel, int64_t id, int total_x10)
{
	char v[3][16];
	int x = total_x10 > 400 ? 400 : total_x10;
	int y = total_x10 - x > 300 ? 300 : total_x10 - x;
	int z = total_x10 - x - y;
	struct core_score s[3] = {
	    {"academic", v[0]}, {"innovation", v[1]}, {"contribution", v[2]}};

	snprintf(v[0], sizeof(v[0]), "%d.%d", x / 10, x % 10);
	snprintf(v[1], sizeof(v[1]), "%d.%d", y / 10, y % 10);
	snprintf(v[2], sizeof(v[2]), "%d.%d", z / 10, z % 10);
	CHECK_INT(assign("city_hr", panel, id), 0);
	as("e_b");
	CHECK_INT(core_panel_declare(C, panel, id, NULL, NULL), 0);
	CHECK_INT(core_panel_score(C, panel, id, s, 3, NULL, NULL), 0);
}

struct ranked {
	int n;
	struct core_recommend_row row[16];
};

static int
collect_row(void *ctx, const struct core_recommend_row *row)
{
	struct ranked *x = ctx;

	if (x->n < 16)
		x->row[x->n++] = *row;
	return 0;
}

static void
test_panel__ranked_list_within_target(void)
{
	static const char *const local[] = {"e_d", NULL};
	static const char *const city[] = {"e_b", NULL};
	static const int totals[] = {900, 850, 800, 800, 700, 500, 950};
	struct ranked rk = {0};
	const char *code_at;
	char *json;
	size_t len = 0, n_rec = 0;
	int64_t ids[7];
	int target = 0;
	const char *builtin = core_round_builtin("datong-2020", &len);

	setup();
	/* a round of the same notice with 3 seats (a new data file) */
	CHECK(builtin != NULL);
	json = malloc(len + 64);
	code_at = strstr(builtin, "\"target\": 44");
	CHECK(code_at != NULL);
	if (!json || !code_at)
		return;
	memcpy(json, builtin, (size_t)(code_at - builtin));
	snprintf(json + (code_at - builtin),
	         len + 64 - (size_t)(code_at - builtin), "\"target\": 3%s",
	         code_at + strlen("\"target\": 44"));
	{
		char *code = strstr(json, "\"datong-2020\"");

		CHECK(code != NULL);
		if (code)
			memcpy(code, "\"datong-2021\"", 13);
	}
	as("admin");
	CHECK_INT(core_round_load(C, json, strlen(json), 1, NULL), 0);
	free(json);

	make_panel("pingcheng_hr", "组一", CORE_PANEL_LOCAL, CORE_PANEL_MEAN, 1,
	           local);
	for (int i = 0; i < 7; i++) {
		ids[i] = submitted();
		to_hr_checked(ids[i], "组一");
	}
	now_ms += 7 * DAY;
	for (int i = 0; i < 7; i++) {
		act_ok("pingcheng_hr", ids[i], "report");
		act_ok("city_hr", ids[i], "hr_check");
	}
	make_panel("city_hr", "市评审委员会", CORE_PANEL_CITY, CORE_PANEL_MEAN,
	           1, city);
	for (int i = 0; i < 7; i++)
		city_score("市评审委员会", ids[i], totals[i]);
	/* the best of them is rejected by city HR: out of the running */
	act_ok("city_hr", ids[6], "reject");

	as("pingcheng_hr");
	CHECK_INT(core_panel_recommend(C, collect_row, &rk, NULL, NULL),
	          CORE_EPERM);
	as("city_hr");
	CHECK_INT(core_panel_recommend(C, collect_row, &rk, &target, &n_rec),
	          0);
	CHECK_INT(target, 3);
	/* 90 85 80 80 70 (50 failed, 95 rejected): the two 80s tie across
	 * the third seat, so the committee decides: 2 recommended */
	CHECK_INT(rk.n, 5);
	CHECK_INT(n_rec, 2);
	CHECK(n_rec <= (size_t)target);
	CHECK_INT(core_quota_check_target(C, n_rec), 0);
	if (rk.n == 5) {
		CHECK_INT(rk.row[0].r.nominee_id, ids[0]);
		CHECK_INT(rk.row[0].rank, 1);
		CHECK_INT(rk.row[0].recommended, 1);
		CHECK_INT(rk.row[1].rank, 2);
		CHECK_INT(rk.row[1].recommended, 1);
		CHECK_INT(rk.row[2].rank, 3);
		CHECK_INT(rk.row[3].rank, 3);
		CHECK_INT(rk.row[2].recommended, 0);
		CHECK_INT(rk.row[2].tie, 1);
		CHECK_INT(rk.row[3].tie, 1);
		CHECK_INT(rk.row[4].rank, 5);
		CHECK_INT(rk.row[4].recommended, 0);
		CHECK_INT(rk.row[4].tie, 0);
	}
	/* a second committee sitting re-scores one of the tied: its latest
	 * result counts, and exactly three are recommended */
	make_panel("city_hr", "复议组", CORE_PANEL_CITY, CORE_PANEL_MEAN, 1,
	           city);
	city_score("复议组", ids[3], 820);
	memset(&rk, 0, sizeof(rk));
	as("auditor");
	CHECK_INT(core_panel_recommend(C, collect_row, &rk, &target, &n_rec),
	          0);
	CHECK_INT(n_rec, 3);
	CHECK_INT(rk.n, 5);
	if (rk.n == 5) {
		CHECK_INT(rk.row[2].r.nominee_id, ids[3]);
		CHECK_INT(rk.row[2].recommended, 1);
		CHECK_INT(rk.row[3].recommended, 0);
		CHECK_INT(rk.row[3].tie, 0);
	}
	/* committee_review's precondition on the city committee */
	CHECK_INT(panel_check_result(C, ids[5], "city"), CORE_ESTATE);
	CHECK_INT(panel_check_result(C, ids[0], "city"), 0);
	teardown();
}

static void
test_panel__every_act_is_audited(void)
{
	static const char *const m[] = {"e_b", "e_c", "e_own", NULL};
	struct core_panel_new bad = {"组二",
	                             CORE_PANEL_LOCAL,
	                             CORE_PANEL_MEAN,
	                             "academic:40,academic:20",
	                             NULL,
	                             1};
	int64_t id, pid, before;

	setup();
	id = submitted();
	before = log_size();
	pid = make_panel("pingcheng_hr", "组一", CORE_PANEL_LOCAL,
	                 CORE_PANEL_MEAN, 1, m);
	/* create + 3 members */
	CHECK_INT(log_size(), before + 4);
	CHECK_INT(db_int("SELECT count(*) FROM log_entry WHERE subject = "
	                 "'panel:1' AND act = 120"),
	          4);
	CHECK_INT(db_int("SELECT p.seq = min(e.seq) FROM panel p, log_entry e "
	                 "WHERE e.subject = 'panel:1'"),
	          1);
	CHECK_INT(pid, 1);
	before = log_size();
	CHECK_INT(assign("pingcheng_hr", "组一", id), 0);
	CHECK_INT(log_size(), before + 3); /* 2 assigned, 1 recused */
	CHECK_INT(declare("e_b", id, NULL), 0);
	CHECK_INT(log_size(), before + 4);
	CHECK_INT(db_int("SELECT act FROM log_entry ORDER BY seq DESC LIMIT 1"),
	          6); /* the no-conflict declaration is a pledge */
	CHECK_INT(declare("e_c", id, "同一课题组"), 0);
	CHECK_INT(log_size(), before + 5);
	CHECK_INT(score_total("e_b", id, 777), 0);
	CHECK_INT(log_size(), before + 6);
	CHECK_INT(db_int("SELECT act FROM log_entry ORDER BY seq DESC LIMIT 1"),
	          4); /* a review act */
	/* every row names the entry that made it */
	CHECK_INT(db_int("SELECT count(*) FROM panel_assignment a WHERE "
	                 "NOT EXISTS (SELECT 1 FROM log_entry e WHERE e.seq = "
	                 "a.seq AND e.subject = 'panel:1/nominee:' || "
	                 "a.nominee_id)"),
	          0);
	CHECK_INT(db_int("SELECT count(*) FROM expert_conflict x JOIN "
	                 "log_entry e ON e.seq = x.seq"),
	          1);
	/* refusals write nothing */
	before = log_size();
	as("pingcheng_hr");
	CHECK_INT(core_panel_create(C, &bad, NULL, NULL), CORE_EINVAL);
	as("pc_clerk");
	bad.criteria = NULL;
	CHECK_INT(core_panel_create(C, &bad, NULL, NULL), CORE_EPERM);
	CHECK_INT(core_panel_add_member(C, "组一", "e_d", NULL), CORE_ENOENT);
	CHECK_INT(score_total("e_c", id, 700), CORE_EPERM);
	CHECK_INT(score_total("e_b", id, 700), CORE_EEXIST);
	CHECK_INT(log_size(), before);
	teardown();
}

static void
test_panel__create_and_assign_rules(void)
{
	static const char *const m[] = {"e_b", NULL};
	struct core_panel_new p = {"自定义组",
	                           CORE_PANEL_LOCAL,
	                           CORE_PANEL_MEAN,
	                           "论文:50,项目:50",
	                           "75",
	                           2};
	struct core_panel got;
	int64_t draft, sub, d1;

	setup();
	as("pingcheng_hr");
	CHECK_INT(core_panel_create(C, &p, NULL, NULL), 0);
	CHECK_INT(core_panel_get(C, "自定义组", &got), 0);
	CHECK_INT(got.n_criteria, 2);
	CHECK_STR(got.criteria[0].name, "论文");
	CHECK_INT(got.threshold_x10, 750);
	CHECK_STR(got.owner_unit, "140213");
	CHECK_INT(core_panel_create(C, &p, NULL, NULL), CORE_EEXIST);
	p.name = "2020";
	CHECK_INT(core_panel_create(C, &p, NULL, NULL), CORE_EINVAL);
	p.name = "组三";
	p.threshold = "100.5";
	CHECK_INT(core_panel_create(C, &p, NULL, NULL), CORE_EINVAL);
	CHECK_STR(core_errfield(C), "threshold");
	p.threshold = NULL;
	p.criteria = "论文";
	CHECK_INT(core_panel_create(C, &p, NULL, NULL), CORE_EINVAL);
	p.criteria = NULL;
	p.quorum = 100;
	CHECK_INT(core_panel_create(C, &p, NULL, NULL), CORE_EINVAL);
	p.quorum = 0;
	p.level = CORE_PANEL_CITY;
	CHECK_INT(core_panel_create(C, &p, NULL, NULL), CORE_EPERM);
	as("city_hr");
	p.level = CORE_PANEL_LOCAL;
	CHECK_INT(core_panel_create(C, &p, NULL, NULL), CORE_EPERM);

	/* members are experts; only the owner changes them */
	as("pingcheng_hr");
	CHECK_INT(core_panel_add_member(C, "自定义组", "pc_clerk", NULL),
	          CORE_EINVAL);
	CHECK_INT(core_panel_add_member(C, "自定义组", "nobody", NULL),
	          CORE_EINVAL);
	CHECK_INT(core_panel_add_member(C, "自定义组", "e_b", NULL), 0);
	CHECK_INT(core_panel_add_member(C, "自定义组", "e_b", NULL),
	          CORE_EEXIST);
	as("city_hr"); /* sees every panel, changes none of the local ones */
	CHECK_INT(core_panel_add_member(C, "自定义组", "e_c", NULL),
	          CORE_EPERM);
	as("yungang_hr");
	CHECK_INT(core_panel_add_member(C, "自定义组", "e_c", NULL),
	          CORE_ENOENT);

	/* what a panel may be assigned */
	draft = nominee_at("pc_clerk", "140213-e001");
	sub = submitted();
	d1 = nominee_at("clerk_d1", "dept-health-e001");
	act_ok("clerk_d1", d1, "pledge_paper");
	act_ok("clerk_d1", d1, "unit_review");
	act_ok("clerk_d1", d1, "submit");
	CHECK_INT(assign("pingcheng_hr", "自定义组", draft), CORE_ESTATE);
	CHECK_INT(assign("pingcheng_hr", "自定义组", d1), CORE_ENOENT);
	CHECK_INT(assign("city_hr", "自定义组", sub), CORE_EPERM);
	make_panel("pingcheng_hr", "空组", CORE_PANEL_LOCAL, CORE_PANEL_MEAN, 1,
	           NULL);
	CHECK_INT(assign("pingcheng_hr", "空组", sub), CORE_ESTATE);
	make_panel("city_hr", "市评审委员会", CORE_PANEL_CITY, CORE_PANEL_MEAN,
	           1, m);
	CHECK_INT(assign("city_hr", "市评审委员会", sub), CORE_ESTATE);
	CHECK_INT(assign("pingcheng_hr", "市评审委员会", sub), CORE_ENOENT);
	/* the department's own panel takes its own nominations */
	make_panel("health_dept", "卫健委评审组", CORE_PANEL_LOCAL,
	           CORE_PANEL_MEAN, 1, m);
	CHECK_INT(assign("health_dept", "卫健委评审组", d1), 0);
	CHECK_INT(assign("health_dept", "卫健委评审组", sub), CORE_ENOENT);
	teardown();
}

struct stat_hits {
	int64_t total, unit_a1, general, submitted;
};

static int
collect_stat(void *ctx, const struct core_stats_row *s)
{
	struct stat_hits *h = ctx;

	if (strcmp(s->dimension, "total") == 0)
		h->total = s->count;
	else if (strcmp(s->dimension, "unit") == 0 &&
	         strcmp(s->key, "140213-e001") == 0)
		h->unit_a1 = s->count;
	else if (strcmp(s->dimension, "category") == 0 &&
	         strcmp(s->key, "general") == 0)
		h->general = s->count;
	else if (strcmp(s->dimension, "state") == 0 &&
	         strcmp(s->key, "submitted") == 0)
		h->submitted = s->count;
	return 0;
}

static struct stat_hits
stats_as(const char *login, int *rc)
{
	struct stat_hits h = {0};

	as(login);
	*rc = core_stats(C, collect_stat, &h);
	return h;
}

static void
test_stats__counts_within_scope(void)
{
	struct stat_hits h;
	int rc;

	setup();
	(void)submitted();
	(void)nominee_at("pc_clerk", "140213-e001");
	(void)nominee_at("clerk_a2", "140213-e002");
	(void)nominee_at("yg_clerk", "140214-e001");
	(void)nominee_at("clerk_d1", "dept-health-e001");

	h = stats_as("pc_clerk", &rc);
	CHECK_INT(rc, 0);
	CHECK_INT(h.total, 2);
	CHECK_INT(h.unit_a1, 2);
	CHECK_INT(h.general, 2);
	CHECK_INT(h.submitted, 1);
	h = stats_as("pingcheng_hr", &rc);
	CHECK_INT(h.total, 3);
	h = stats_as("yungang_hr", &rc);
	CHECK_INT(h.total, 1);
	CHECK_INT(h.unit_a1, 0);
	h = stats_as("health_dept", &rc);
	CHECK_INT(h.total, 1);
	h = stats_as("city_hr", &rc);
	CHECK_INT(h.total, 5);
	CHECK_INT(h.general, 5);
	h = stats_as("auditor", &rc);
	CHECK_INT(rc, 0);
	CHECK_INT(h.total, 5);
	(void)stats_as("e_b", &rc);
	CHECK_INT(rc, CORE_EPERM);
	(void)stats_as("applicant_wu", &rc);
	CHECK_INT(rc, CORE_EPERM);
	(void)stats_as("admin", &rc);
	CHECK_INT(rc, CORE_EPERM);
	teardown();
}

/* The CLI over the same core: exit status and one line on refusal. */
static int
run_cli(const char *args, char *out, size_t outsz)
{
	const char *bin = getenv("NOMDESK_BIN");
	char cmd[2048];
	FILE *p;
	size_t n;
	int st;

	snprintf(cmd, sizeof(cmd), "LANG=C '%s' --data '%s' %s 2>&1", bin, dir,
	         args);
	if (!(p = popen(cmd, "r")))
		return -1;
	n = fread(out, 1, outsz - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
test_panel__cli(void)
{
	char out[8192];
	int64_t id;

	if (!getenv("NOMDESK_BIN")) {
		printf("# NOMDESK_BIN not set: CLI part skipped\n");
		return;
	}
	setup();
	id = submitted();
	teardown();
	CHECK_INT(run_cli("panel create 组一 --level local --as pingcheng_hr "
	                  "--quorum 1",
	                  out, sizeof(out)),
	          0);
	CHECK_INT(run_cli("panel create 组一 --level local --as pc_clerk", out,
	                  sizeof(out)),
	          1);
	CHECK(strncmp(out, "nomdesk: ", 9) == 0 &&
	      strchr(out, '\n') == out + strlen(out) - 1);
	CHECK_INT(run_cli("panel add-member 组一 e_own --as pingcheng_hr", out,
	                  sizeof(out)),
	          0);
	CHECK_INT(run_cli("panel add-member 组一 e_b --as pingcheng_hr", out,
	                  sizeof(out)),
	          0);
	{
		char args[1024];

		snprintf(args, sizeof(args),
		         "assign %lld --panel 组一 --as "
		         "pingcheng_hr",
		         (long long)id);
		CHECK_INT(run_cli(args, out, sizeof(out)), 0);
		CHECK(strstr(out, "e_own") && strstr(out, "recused") &&
		      strstr(out, "own unit 140213-e001"));
		snprintf(args, sizeof(args),
		         "score %lld --as e_b --criterion "
		         "academic=30",
		         (long long)id);
		CHECK_INT(run_cli(args, out, sizeof(out)), 1);
		CHECK(strstr(out, "declaration") != NULL);
		/* the declaration is signed: without the passphrase, no */
		snprintf(args, sizeof(args),
		         "declare %lld --as e_b --passphrase-stdin "
		         "</dev/null",
		         (long long)id);
		CHECK_INT(run_cli(args, out, sizeof(out)), 1);
		CHECK(strstr(out, "passphrase") != NULL);
		{
			char pw[64], path[600];
			FILE *f;

			pass_of("e_b", pw);
			snprintf(path, sizeof(path), "%s/e_b.pass",
			         test_tmpdir());
			f = fopen(path, "w");
			CHECK(f != NULL);
			if (f) {
				fprintf(f, "%s\n", pw);
				fclose(f);
			}
			snprintf(args, sizeof(args),
			         "declare %lld --as e_b --passphrase-stdin "
			         "<'%s'",
			         (long long)id, path);
		}
		CHECK_INT(run_cli(args, out, sizeof(out)), 0);
		snprintf(args, sizeof(args),
		         "score %lld --as e_b --criterion academic=30 "
		         "--criterion innovation=25 --criterion "
		         "contribution=20 --opinion 好",
		         (long long)id);
		CHECK_INT(run_cli(args, out, sizeof(out)), 0);
	}
	CHECK_INT(run_cli("panel result 组一 --as pingcheng_hr --format csv",
	                  out, sizeof(out)),
	          0);
	CHECK(strncmp(out, "\xEF\xBB\xBF\"nominee\",", 13) == 0);
	CHECK(strstr(out, "\"passed\"") != NULL);
	CHECK_INT(run_cli("panel result 组一 --as e_b", out, sizeof(out)), 1);
	CHECK_INT(
	    run_cli("stats --as pingcheng_hr --format json", out, sizeof(out)),
	    0);
	CHECK(strstr(out, "\"dimension\":\"total\"") && strstr(out, "\"count\":1"));
	CHECK_INT(run_cli("stats --as e_b", out, sizeof(out)), 1);
	CHECK_INT(run_cli("panel recommend --as city_hr", out, sizeof(out)), 0);
}

static const struct test_case tests_panel[] = {
    {"panel__declaration_is_signed", test_panel__declaration_is_signed},
    {"panel__recusal_by_unit_and_employer",
     test_panel__recusal_by_unit_and_employer},
    {"panel__declaration_opens_only_the_assigned_dossier",
     test_panel__declaration_opens_only_the_assigned_dossier},
    {"panel__declared_conflict_recuses_on_every_panel",
     test_panel__declared_conflict_recuses_on_every_panel},
    {"panel__scores_hidden_until_own_submitted",
     test_panel__scores_hidden_until_own_submitted},
    {"panel__result_by_mean_threshold_with_quorum",
     test_panel__result_by_mean_threshold_with_quorum},
    {"panel__result_by_majority_with_quorum",
     test_panel__result_by_majority_with_quorum},
    {"panel__ranked_list_within_target", test_panel__ranked_list_within_target},
    {"panel__every_act_is_audited", test_panel__every_act_is_audited},
    {"panel__create_and_assign_rules", test_panel__create_and_assign_rules},
    {"stats__counts_within_scope", test_stats__counts_within_scope},
    {"panel__cli", test_panel__cli},
    {NULL, NULL},
};
TEST_REGISTER(tests_panel)
