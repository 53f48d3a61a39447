/*
 * Quota accounting over the Datong 2020 tree: which leaf applies to a
 * holder and category, which states hold a slot, refusals that name the
 * holder, the category, the limit and the count (at a leaf, at a parent
 * figure and in a shared pool), the uncapped paths and the justification
 * the exceptional one requires, usage rows and the round target.
 *
 * Nominations are placed with SQL in the state under test: the workflow
 * that moves them there has its own tests.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/lib/runner.h"

static char dir[512];
static sqlite3 *db;

static struct core *
setup(void)
{
	struct core *c = NULL;
	char err[256], path[600];

	snprintf(dir, sizeof(dir), "%s/data", test_tmpdir());
	if (core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) != 0 ||
	    core_open(&c, dir, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
	core_act_as_system(c, "test");
	snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "sqlite3_open");
		exit(1);
	}
	sqlite3_busy_timeout(db, 5000);
	return c;
}

static void
teardown(struct core *c)
{
	sqlite3_close(db);
	db = NULL;
	core_close(c);
}

/* n nominations of holder under category, in state; returns the last id. */
static long long
put(int n, const char *holder, const char *category, const char *state,
    const char *resume)
{
	sqlite3_stmt *st = NULL;
	long long id = 0;

	if (sqlite3_prepare_v2(
	        db,
	        "INSERT INTO nominee (round_id, unit, name, gender, "
	        "birth_date, title, salt, digest, created_ms, seq, state, "
	        "holder, quota_category, resume_state) VALUES ((SELECT id "
	        "FROM round WHERE current = 1), ?1, '测试', '男', "
	        "'1975-01-01', '教授', zeroblob(32), zeroblob(32), 0, 0, "
	        "?2, ?1, ?3, ?4)",
	        -1, &st, NULL) != SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "%s", sqlite3_errmsg(db));
		exit(1);
	}
	for (int i = 0; i < n; i++) {
		sqlite3_bind_text(st, 1, holder, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, category, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, resume ? resume : "", -1,
		                  SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			test_fail(__FILE__, __LINE__, "%s", sqlite3_errmsg(db));
			exit(1);
		}
		sqlite3_reset(st);
		id = sqlite3_last_insert_rowid(db);
	}
	sqlite3_finalize(st);
	return id;
}

static void
want_msg(struct core *c, const char *const *parts)
{
	for (; *parts; parts++)
		if (!strstr(core_errmsg(c), *parts))
			test_fail(__FILE__, __LINE__, "\"%s\" lacks \"%s\"",
			          core_errmsg(c), *parts);
}

static void
test_quota__leaf_for_holder_and_category(void)
{
	struct core *c = setup();
	struct core_quota_status q;

	CHECK_INT(core_quota_get(c, "140213", "基层专项", &q), 0);
	CHECK_STR(q.node, "grassroots.140213");
	CHECK_STR(q.category, "grassroots");
	CHECK_INT(q.limit, 1);
	CHECK_INT(q.uncapped, 0);
	CHECK_INT(q.count, 0);
	CHECK_INT(core_quota_get(c, "dept-edu", "general", &q), 0);
	CHECK_STR(q.node, "general.city.edu");
	CHECK_INT(q.limit, 20);
	CHECK_INT(core_quota_get(c, "dept-ind", "综合", &q), 0);
	CHECK_STR(q.node, "general.city.ind");
	CHECK_INT(core_quota_get(c, "dept-ind", "非公专项", &q), 0);
	CHECK_STR(q.node, "nonpublic.miit");
	CHECK_INT(q.limit, -1); /* a share of the pool of 5 */
	CHECK_INT(core_quota_get(c, "140214", "非公专项", &q), 0);
	CHECK_STR(q.node, "nonpublic.county_hr");
	CHECK_INT(core_quota_get(c, "140213", "综合", &q), 0);
	CHECK_STR(q.node, "general.county");
	CHECK(q.uncapped && !q.justification);
	CHECK_INT(core_quota_get(c, "etdz", "另行推荐", &q), 0);
	CHECK_STR(q.node, "general.exceptional");
	CHECK(q.uncapped && q.justification);
	CHECK_INT(core_quota_get(c, "stationed", "综合", &q), 0);
	CHECK_INT(q.limit, 25);
	/* the zone is not a 县区: no grassroots quota (I-5) */
	CHECK_INT(core_quota_get(c, "etdz", "基层专项", &q), CORE_ENOENT);
	CHECK_INT(core_quota_get(c, "140213", "奖励", &q), CORE_EINVAL);
	CHECK_STR(core_errfield(c), "quota_category");
	teardown(c);
}

static void
test_quota__refusal_names_holder_category_limit_and_count(void)
{
	static const char *const want[] = {"平城区",   "140213",
	                                   "基层专项", "grassroots.140213",
	                                   "allows 1", "1 are already reported",
	                                   NULL};
	struct core *c = setup();
	struct core_quota_status q;
	long long id;

	/* a draft or a nomination still with the county holds no slot */
	put(1, "140213", "基层专项", "draft", NULL);
	put(1, "140213", "基层专项", "local_notice", NULL);
	CHECK_INT(core_quota_check(c, "140213", "基层专项", NULL, 0), 0);
	id = put(1, "140213", "基层专项", "reported", NULL);
	CHECK_INT(core_quota_get(c, "140213", "grassroots", &q), 0);
	CHECK_INT(q.count, 1);
	CHECK_INT(core_quota_check(c, "140213", "基层专项", NULL, 0),
	          CORE_EQUOTA);
	want_msg(c, want);
	CHECK_STR(core_errfield(c), "quota_category");
	/* the nomination being reported again does not count itself */
	CHECK_INT(core_quota_check(c, "140213", "基层专项", NULL, id), 0);
	/* the other counties are untouched */
	CHECK_INT(core_quota_check(c, "140214", "基层专项", NULL, 0), 0);
	/* a holder with no quota in the category is refused, named */
	CHECK_INT(core_quota_check(c, "dept-edu", "基层专项", NULL, 0),
	          CORE_EQUOTA);
	CHECK(strstr(core_errmsg(c), "dept-edu") != NULL &&
	      strstr(core_errmsg(c), "基层专项") != NULL);
	teardown(c);
}

static void
test_quota__states_that_hold_a_slot(void)
{
	static const struct {
		const char *state, *resume;
		int holds;
	} cases[] = {
	    {"draft", NULL, 0},
	    {"submitted", NULL, 0},
	    {"screened", NULL, 0},
	    {"local_notice", NULL, 0},
	    {"returned", NULL, 0},
	    {"rejected", NULL, 0},
	    {"withdrawn", NULL, 0},
	    {"under_investigation", "local_notice", 0},
	    {"reported", NULL, 1},
	    {"hr_checked", NULL, 1},
	    {"committee_reviewed", NULL, 1},
	    {"hr_approved", NULL, 1},
	    {"gov_approved", NULL, 1},
	    {"public_notice", NULL, 1},
	    {"confirmed", NULL, 1},
	    {"under_investigation", "public_notice", 1},
	};
	struct core *c = setup();
	struct core_quota_status q;
	int want = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		put(1, "stationed", "综合", cases[i].state, cases[i].resume);
		want += cases[i].holds;
		CHECK_INT(core_quota_get(c, "stationed", "综合", &q), 0);
		if (q.count != want)
			test_fail(__FILE__, __LINE__, "%s: count %lld, want %d",
			          cases[i].state, (long long)q.count, want);
	}
	teardown(c);
}

/* 市直 70 binds even when each system is within its own figure (I-2). */
static void
test_quota__parent_figure_binds(void)
{
	static const char *const edu[] = {"教育系统",  "general.city.edu",
	                                  "allows 20", "20 are already",
	                                  "dept-edu",  "综合",
	                                  NULL};
	static const char *const city[] = {"general.city", "市直",
	                                   "allows 70",    "70 are already",
	                                   "dept-soc",     NULL};
	struct core *c = setup();

	put(20, "dept-edu", "综合", "reported", NULL);
	CHECK_INT(core_quota_check(c, "dept-edu", "综合", NULL, 0),
	          CORE_EQUOTA);
	want_msg(c, edu);
	put(20, "dept-health", "综合", "hr_checked", NULL);
	put(12, "dept-afw", "综合", "reported", NULL);
	put(10, "dept-ind", "综合", "reported", NULL);
	put(7, "dept-soc", "综合", "reported", NULL);
	CHECK_INT(core_quota_check(c, "dept-soc", "综合", NULL, 0), 0);
	put(1, "dept-soc", "综合", "reported", NULL);
	/* 社科 has 8 of 20, but 市直 has 70 of 70 */
	CHECK_INT(core_quota_check(c, "dept-soc", "综合", NULL, 0),
	          CORE_EQUOTA);
	want_msg(c, city);
	/* the county extras are uncapped: 综合 117 is not theirs */
	put(40, "140213", "综合", "reported", NULL);
	CHECK_INT(core_quota_check(c, "140213", "综合", NULL, 0), 0);
	/* stationed units: 25 of their own, unaffected by 市直 */
	CHECK_INT(core_quota_check(c, "stationed", "综合", NULL, 0), 0);
	teardown(c);
}

/* Three channels share the non-public pool of 5 (I-6). */
static void
test_quota__shared_pool(void)
{
	static const char *const want[] = {"nonpublic",     "allows 5",
	                                   "5 are already", "dept-ind",
	                                   "非公专项",      NULL};
	struct core *c = setup();
	struct core_quota_status q;

	put(2, "140214", "nonpublic", "reported", NULL);
	put(1, "140215", "非公专项", "reported", NULL);
	put(1, "chan-acfic", "非公专项", "reported", NULL);
	CHECK_INT(core_quota_check(c, "dept-ind", "非公专项", NULL, 0), 0);
	put(1, "dept-ind", "非公专项", "public_notice", NULL);
	CHECK_INT(core_quota_check(c, "dept-ind", "非公专项", NULL, 0),
	          CORE_EQUOTA);
	want_msg(c, want);
	CHECK_INT(core_quota_check(c, "140221", "非公专项", NULL, 0),
	          CORE_EQUOTA);
	CHECK_INT(core_quota_get(c, "140214", "非公专项", &q), 0);
	CHECK_INT(q.count, 2);      /* this holder */
	CHECK_INT(q.leaf_count, 3); /* the county channel */
	teardown(c);
}

static void
test_quota__uncapped_paths_and_justification(void)
{
	struct core *c = setup();

	put(30, "etdz", "另行推荐", "reported", NULL);
	CHECK_INT(core_quota_check(c, "etdz", "另行推荐", NULL, 0),
	          CORE_EINVAL);
	CHECK_STR(core_errfield(c), "justification");
	CHECK(strstr(core_errmsg(c), "不限名额另行推荐") != NULL);
	CHECK_INT(core_quota_check(c, "etdz", "另行推荐", " \n", 0),
	          CORE_EINVAL);
	CHECK_INT(core_quota_check(c, "etdz", "exceptional",
	                           "主持完成重大技术革新，获省科技进步一等奖",
	                           0),
	          0);
	/* any holder may use it */
	CHECK_INT(core_quota_check(c, "dept-health", "另行推荐", "重大贡献", 0),
	          0);
	/* the county extras need no justification and have no figure */
	put(25, "140226", "综合", "confirmed", NULL);
	CHECK_INT(core_quota_check(c, "140226", "综合", NULL, 0), 0);
	/* the zone's own 6 still bind */
	put(6, "etdz", "开发区专项", "reported", NULL);
	CHECK_INT(core_quota_check(c, "etdz", "开发区专项", NULL, 0),
	          CORE_EQUOTA);
	CHECK(strstr(core_errmsg(c), "allows 6") != NULL);
	teardown(c);
}

struct rows {
	int n, n_unmatched;
	long long grassroots, city, county_140213, exceptional_etdz,
	    county_total, general;
};

static int
collect(void *ctx, const struct core_quota_usage *u)
{
	struct rows *r = ctx;

	r->n++;
	if (!*u->node) {
		r->n_unmatched++;
		return 0;
	}
	if (strcmp(u->node, "grassroots") == 0 && !*u->holder)
		r->grassroots = u->count;
	if (strcmp(u->node, "general.city") == 0) {
		r->city = u->count;
		CHECK_INT(u->limit, 70);
	}
	if (strcmp(u->node, "general") == 0) {
		r->general = u->count;
		CHECK_INT(u->limit, 117);
	}
	if (strcmp(u->node, "general.county") == 0 && !*u->holder) {
		r->county_total = u->count;
		CHECK(u->uncapped);
	}
	if (strcmp(u->node, "general.county") == 0 &&
	    strcmp(u->holder, "140213") == 0) {
		r->county_140213 = u->count;
		CHECK_STR(u->holder_name, "平城区");
		CHECK_INT(u->limit, -1);
	}
	if (strcmp(u->node, "general.exceptional") == 0 &&
	    strcmp(u->holder, "etdz") == 0)
		r->exceptional_etdz = u->count;
	return 0;
}

static void
test_quota__usage_rows(void)
{
	struct core *c = setup();
	struct rows r = {0};

	put(1, "140213", "基层专项", "reported", NULL);
	put(1, "140214", "grassroots", "reported", NULL);
	put(3, "dept-edu", "综合", "reported", NULL);
	put(2, "140213", "综合", "reported", NULL);
	put(1, "140214", "综合", "reported", NULL);
	put(2, "etdz", "另行推荐", "reported", NULL);
	put(1, "dept-edu", "奖励", "reported", NULL); /* no such category */
	CHECK_INT(core_quota_usage(c, collect, &r), 0);
	CHECK_INT(r.grassroots, 2);
	CHECK_INT(r.city, 3);
	CHECK_INT(r.general, 3); /* uncapped paths count for no figure */
	CHECK_INT(r.county_total, 3);
	CHECK_INT(r.county_140213, 2);
	CHECK_INT(r.exceptional_etdz, 2);
	CHECK_INT(r.n_unmatched, 1);
	/* 26 nodes + 10 county extras + 10 non-public county channels +
	 * 1 exceptional holder + 1 unmatched */
	CHECK_INT(r.n, 48);
	teardown(c);
}

static void
test_quota__recommended_list_against_target(void)
{
	struct core *c = setup();

	CHECK_INT(core_quota_check_target(c, 44), 0);
	CHECK_INT(core_quota_check_target(c, 45), CORE_EQUOTA);
	CHECK(strstr(core_errmsg(c), "45") && strstr(core_errmsg(c), "44"));
	teardown(c);
}

static const struct test_case tests_quota[] = {
    {"quota__leaf_for_holder_and_category",
     test_quota__leaf_for_holder_and_category},
    {"quota__refusal_names_holder_category_limit_and_count",
     test_quota__refusal_names_holder_category_limit_and_count},
    {"quota__states_that_hold_a_slot", test_quota__states_that_hold_a_slot},
    {"quota__parent_figure_binds", test_quota__parent_figure_binds},
    {"quota__shared_pool", test_quota__shared_pool},
    {"quota__uncapped_paths_and_justification",
     test_quota__uncapped_paths_and_justification},
    {"quota__usage_rows", test_quota__usage_rows},
    {"quota__recommended_list_against_target",
     test_quota__recommended_list_against_target},
    {NULL, NULL},
};
TEST_REGISTER(tests_quota)
