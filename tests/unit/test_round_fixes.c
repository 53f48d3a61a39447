/*
 * Regressions found by driving the Datong 2020 round end to end through
 * the command line (tests/e2e/test_round_cli.c), each pinned here through
 * core/ directly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"

static char dir[512];

static void
make_dir(void)
{
	char err[256];

	snprintf(dir, sizeof(dir), "%s/data", test_tmpdir());
	if (core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
}

/*
 * A deadline extension is looked up by the nomination's holder only, so
 * one granted to an employing unit, the bureau or the city was recorded,
 * reported as granted, and never let a report in.  Only units that
 * report to the city (the kinds a holder can be) may get one.
 */
static void
test_round_fixes__deadline_extends_only_holders(void)
{
	static const char *const not_holders[] = {"140213-e001", "1402-hrss",
	                                          "1402"};
	static const char *const holders[] = {"140213", "dept-health", "etdz",
	                                      "chan-acfic", "stationed"};
	struct core *c;

	make_dir();
	c = fixture_open_as(dir, "city_hr", NULL);
	for (size_t i = 0; i < sizeof(not_holders) / sizeof(not_holders[0]);
	     i++) {
		CHECK_INT(core_deadline_extend(c, not_holders[i], "2020-12-20",
		                               "停电两天，经局长批准", NULL),
		          CORE_EINVAL);
		CHECK_STR(core_errfield(c), "unit");
		CHECK(strstr(core_errmsg(c), not_holders[i]) != NULL);
	}
	CHECK_INT(
	    core_deadline_extend(c, "no-such-unit", "2020-12-20", "x", NULL),
	    CORE_EINVAL);
	for (size_t i = 0; i < sizeof(holders) / sizeof(holders[0]); i++) {
		CHECK_INT(core_deadline_extend(c, holders[i], "2020-12-20",
		                               "停电两天，经局长批准", NULL),
		          0);
	}
	core_close(c);
}

/* ---- the committee's recommended list against the round's target ---- */

static int64_t now_ms;

static int64_t
test_clock(void *ctx)
{
	(void)ctx;
	return now_ms;
}

#define DAY 86400000LL

static const char *const signers[] = {"pc_clerk", "pingcheng_hr", "city_hr"};

static struct core *
as(const char *login)
{
	struct core *c = fixture_open_as(dir, login, test_clock);
	char pw[64];

	snprintf(pw, sizeof(pw), "签名口令 of %s", login);
	for (size_t i = 0; i < sizeof(signers) / sizeof(signers[0]); i++) {
		if (strcmp(signers[i], login) == 0 &&
		    core_key_unlock(c, pw, 1) != 0) {
			test_fail(__FILE__, __LINE__, "unlock %s: %s", login,
			          core_errmsg(c));
		}
	}
	return c;
}

/* The built-in Datong round again as the current round, target 1. */
static void
load_round_of_one(void)
{
	struct core *c = fixture_open_as(dir, NULL, test_clock);
	const char *b;
	char *json, *p;
	size_t len;
	char pw[64];

	core_act_as_system(c, "root");
	for (size_t i = 0; i < sizeof(signers) / sizeof(signers[0]); i++) {
		snprintf(pw, sizeof(pw), "签名口令 of %s", signers[i]);
		CHECK_INT(core_key_enroll(c, signers[i], pw, NULL), 0);
	}
	b = core_round_builtin("datong-2020", &len);
	if (!b || !(json = malloc(len + 1))) {
		test_fail(__FILE__, __LINE__, "no built-in round");
		exit(1);
	}
	memcpy(json, b, len);
	json[len] = '\0';
	/* same length: "datong-2020" -> "target-one1", 44 -> " 1" */
	if ((p = strstr(json, "\"datong-2020\"")) != NULL) {
		memcpy(p + 1, "target-one1", 11);
	}
	if ((p = strstr(json, "\"target\": 44")) != NULL) {
		memcpy(p + 10, " 1", 2);
	}
	CHECK_INT(core_round_load(c, json, len, 1, NULL), 0);
	free(json);
	core_close(c);
}

/* A nominee of 平城区中心医院 taken to the city's initial review, with
 * the city committee's pass. */
static int64_t
to_hr_checked(int seq)
{
	static const char scan[] = "scan of the signed pledge form";
	struct core_nominee_new n = {"李明", "男", "1975-03-02", "主任医师",
	                             NULL};
	struct core *clerk = as("pc_clerk"), *county, *city, *expert;
	struct core_act_opts o = {0};
	uint8_t d[1][32];
	char idn[19];
	int64_t id = 0;

	fixture_id_number("19750302", seq, idn);
	CHECK_INT(core_nominee_add(clerk, &n, &id, NULL), 0);
	CHECK_INT(fixture_complete(clerk, id, idn), 0);
	CHECK_INT(core_doc_store(clerk, scan, sizeof(scan) - 1, d[0]), 0);
	o.attach = (const uint8_t(*)[32])d;
	o.n_attach = 1;
	CHECK_INT(core_act_ex(clerk, id, "pledge_paper", NULL, &o, NULL), 0);
	CHECK_INT(core_act(clerk, id, "unit_review", NULL, NULL), 0);
	CHECK_INT(core_act(clerk, id, "submit", NULL, NULL), 0);
	core_close(clerk);
	county = as("pingcheng_hr");
	expert = as("expert_zhou");
	CHECK_INT(fixture_panel_pass(county, expert, id, 0), 0);
	CHECK_INT(core_act(county, id, "screen", NULL, NULL), 0);
	CHECK_INT(core_act(county, id, "open_local_notice", NULL, NULL), 0);
	now_ms += 7 * DAY;
	CHECK_INT(core_act(county, id, "report", NULL, NULL), 0);
	core_close(county);
	city = as("city_hr");
	CHECK_INT(core_act(city, id, "hr_check", NULL, NULL), 0);
	CHECK_INT(fixture_panel_pass(city, expert, id, 1), 0);
	core_close(city);
	core_close(expert);
	return id;
}

/*
 * design.md: committee_reviewed means "recommended list <= round
 * target".  Only `panel recommend` held the list to it; committee_review
 * took every nominee the committee passed, so city HR could record more
 * recommendations than the round has seats.
 */
static void
test_round_fixes__committee_review_keeps_the_target(void)
{
	struct core *city;
	int64_t a, b;

	setenv("NOMDESK_KDF", "interactive", 1);
	make_dir();
	now_ms = 1604282400000LL; /* 2020-11-02 10:00 +08:00 */
	load_round_of_one();
	a = to_hr_checked(201);
	b = to_hr_checked(202);
	city = as("city_hr");
	CHECK_INT(core_act(city, a, "committee_review", NULL, NULL), 0);
	CHECK_INT(core_act(city, b, "committee_review", NULL, NULL),
	          CORE_EQUOTA);
	CHECK(strstr(core_errmsg(city), "more than the 1 seats") != NULL);
	CHECK(strstr(core_errmsg(city), "target-one1") != NULL);
	/* a recommendation that falls frees its seat */
	CHECK_INT(core_act(city, a, "reject", "材料不实", NULL), 0);
	CHECK_INT(core_act(city, b, "committee_review", NULL, NULL), 0);
	core_close(city);
}

/*
 * The prior-leader column defaulted to 无, so a dossier nobody filled in
 * passed X1 ("not already a leader") silently.  Unstated is now
 * unrecorded: eligibility says it needs checking, and the pledge waits
 * until the clerk states it.
 */
static void
test_round_fixes__prior_leader_is_never_assumed(void)
{
	struct core_nominee_new n = {"李明", "男", "1975-03-02", "主任医师",
	                             NULL};
	struct core_field_value v[5], pl = {"prior_leader", "无"};
	static struct core_dossier d;
	static struct core_elig_result res;
	struct core *c;
	char idn[19];
	int64_t id = 0;
	int x1 = -1;

	make_dir();
	c = fixture_open_as(dir, "pc_clerk", NULL);
	CHECK_INT(core_nominee_add(c, &n, &id, NULL), 0);
	CHECK_INT(core_nominee_get(c, id, &d), 0);
	CHECK_STR(d.prior_leader, "");
	fixture_id_number("19750302", 7, idn);
	v[0] = (struct core_field_value){"id_number", idn};
	v[1] = (struct core_field_value){"title_level", "正高级"};
	v[2] = (struct core_field_value){"channel", "单位推荐"};
	v[3] = (struct core_field_value){"quota_category", "综合"};
	v[4] = (struct core_field_value){"condition.4", "市级重点项目负责人"};
	CHECK_INT(core_nominee_edit(c, id, v, 5, NULL), 0);
	CHECK_INT(core_nominee_check(c, id, NULL, &res), 0);
	for (size_t i = 0; i < res.n_rules; i++)
		if (strcmp(res.rules[i].rule, "X1") == 0)
			x1 = (int)res.rules[i].result;
	CHECK_INT(x1, CORE_RULE_SOFT_FAIL);
	CHECK(res.verdict != CORE_ELIG_ELIGIBLE);
	/* the pledge names the missing field */
	setenv("NOMDESK_KDF", "interactive", 1);
	CHECK_INT(core_key_enroll(c, "pc_clerk", "口令 for the pledge", NULL),
		  0);
	CHECK_INT(core_key_unlock(c, "口令 for the pledge", 1), 0);
	CHECK_INT(core_act(c, id, "pledge_paper", "纸质原件存本单位人事科",
			   NULL),
		  CORE_ESTATE);
	CHECK_STR(core_errfield(c), "prior_leader");
	/* stated, it passes */
	CHECK_INT(core_nominee_edit(c, id, &pl, 1, NULL), 0);
	CHECK_INT(core_nominee_check(c, id, NULL, &res), 0);
	for (size_t i = 0; i < res.n_rules; i++)
		if (strcmp(res.rules[i].rule, "X1") == 0)
			x1 = (int)res.rules[i].result;
	CHECK_INT(x1, CORE_RULE_PASS);
	core_close(c);
}

static const struct test_case tests_round_fixes[] = {
    {"round_fixes__deadline_extends_only_holders",
     test_round_fixes__deadline_extends_only_holders},
    {"round_fixes__committee_review_keeps_the_target",
     test_round_fixes__committee_review_keeps_the_target},
    {"round_fixes__prior_leader_is_never_assumed",
     test_round_fixes__prior_leader_is_never_assumed},
    {NULL, NULL},
};
TEST_REGISTER(tests_round_fixes)
