/*
 * The workflow table through core/: a nomination from draft to
 * confirmation, returns, rejections, objections, deadlines, scope, and
 * the dossier rules (an edit voids the pledge; an edit behind the log is
 * caught on read).  Signed actions need the actor's unlocked key (issue
 * #4): the helpers enroll the signing accounts and unlock per act, at
 * Argon2id's "interactive" cost (NOMDESK_KDF=interactive).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
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
#define DAY 86400000LL

static char dir[512];

static const char *const signers[] = {"pc_clerk", "pingcheng_hr", "city_hr",
				      "auditor"};

static void
pass_of(const char *login, char out[64])
{
	snprintf(out, 64, "签名口令 of %s", login);
}

static void
make_dir(void)
{
	struct core *c = NULL;
	char err[256], pw[64];

	setenv("NOMDESK_KDF", "interactive", 1);
	snprintf(dir, sizeof(dir), "%s/data", test_tmpdir());
	if (core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
	now_ms = T0;
	if (core_open(&c, dir, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "open: %s", err);
		exit(1);
	}
	core_act_as_system(c, "root");
	for (size_t i = 0; i < sizeof(signers) / sizeof(signers[0]); i++) {
		pass_of(signers[i], pw);
		if (core_key_enroll(c, signers[i], pw, NULL) != 0)
			test_fail(__FILE__, __LINE__, "enroll %s: %s",
				  signers[i], core_errmsg(c));
	}
	core_close(c);
}

/* Unlocks c's actor's key (for the session) if they have one. */
static void
unlock(struct core *c)
{
	char pw[64];

	if (!core_key_enrolled(c, NULL))
		return;
	pass_of(core_actor(c)->login, pw);
	if (core_key_unlock(c, pw, 1) != 0)
		test_fail(__FILE__, __LINE__, "unlock: %s", core_errmsg(c));
}

/* core_act, with the scan a paper pledge needs. */
static int
do_act(struct core *c, int64_t id, const char *action, const char *why)
{
	static const char scan[] = "scan of the signed pledge form";
	struct core_act_opts o = {0};
	uint8_t d[1][32];

	if (strcmp(action, "pledge_paper") == 0) {
		if (core_doc_store(c, scan, sizeof(scan) - 1, d[0]) != 0)
			return -100;
		o.attach = (const uint8_t(*)[32])d;
		o.n_attach = 1;
	}
	return core_act_ex(c, id, action, why, &o, NULL);
}

static struct core *
as(const char *login)
{
	return fixture_open_as(dir, login, test_clock);
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

static void
act_ok(const char *login, int64_t id, const char *action, const char *why)
{
	struct core *c = as(login);
	int r;

	unlock(c);
	r = do_act(c, id, action, why);

	if (r != 0)
		test_fail(__FILE__, __LINE__, "%s by %s: %s", action, login,
			  core_errmsg(c));
	core_close(c);
}

static int
act_err(const char *login, int64_t id, const char *action, const char *why)
{
	struct core *c = as(login);
	int r;

	unlock(c);
	r = do_act(c, id, action, why);

	core_close(c);
	return r;
}

/* The expert panel's pass, which screen and committee_review require. */
static void
evaluate(int64_t id, int city)
{
	struct core *owner = as(city ? "city_hr" : "pingcheng_hr"), *expert = as("expert_zhou");

	if (fixture_panel_pass(owner, expert, id, city) != 0)
		test_fail(__FILE__, __LINE__, "panel: %s / %s",
			  core_errmsg(owner), core_errmsg(expert));
	core_close(owner);
	core_close(expert);
}

static void
state_is(int64_t id, const char *want)
{
	struct core *c = as("city_hr");
	struct core_dossier *d = calloc(1, sizeof(*d));

	CHECK_INT(core_nominee_get(c, id, d), 0);
	CHECK_STR(d->n.state, want);
	free(d);
	core_close(c);
}

static void
test_workflow__draft_to_confirmed(void)
{
	int64_t id;

	make_dir();
	id = complete_nominee();
	act_ok("pc_clerk", id, "pledge_paper", NULL);
	act_ok("pc_clerk", id, "unit_review", NULL);
	act_ok("pc_clerk", id, "submit", NULL);
	state_is(id, "submitted");
	/* another county cannot touch it, nor can the clerk review it */
	CHECK_INT(act_err("yungang_hr", id, "screen", NULL), CORE_ENOENT);
	CHECK_INT(act_err("pc_clerk", id, "screen", NULL), CORE_EPERM);
	evaluate(id, 0);
	act_ok("pingcheng_hr", id, "screen", NULL);
	act_ok("pingcheng_hr", id, "open_local_notice", NULL);
	CHECK_INT(act_err("pingcheng_hr", id, "report", NULL), CORE_ESTATE);
	/* 5 days after the opening day: still open on the 5th */
	now_ms += 5 * DAY;
	CHECK_INT(act_err("pingcheng_hr", id, "report", NULL), CORE_ESTATE);
	now_ms += 1 * DAY;
	act_ok("pingcheng_hr", id, "report", NULL);
	CHECK_INT(act_err("pingcheng_hr", id, "hr_check", NULL), CORE_EPERM);
	act_ok("city_hr", id, "hr_check", NULL);
	evaluate(id, 1);
	act_ok("city_hr", id, "committee_review", NULL);
	act_ok("city_hr", id, "hr_approve", NULL);
	CHECK_INT(act_err("city_hr", id, "gov_approve", NULL), CORE_EINVAL);
	act_ok("city_hr", id, "gov_approve", "同政函〔2020〕123号");
	act_ok("city_hr", id, "open_public_notice", NULL);
	CHECK_INT(act_err("city_hr", id, "confirm", NULL), CORE_ESTATE);
	/* opened Sun 2020-11-08: 5 working days end on Fri 11-13 */
	now_ms += 5 * DAY;
	CHECK_INT(act_err("city_hr", id, "confirm", NULL), CORE_ESTATE);
	now_ms += 1 * DAY;
	act_ok("city_hr", id, "confirm", NULL);
	state_is(id, "confirmed");
	CHECK_INT(act_err("city_hr", id, "confirm", NULL), CORE_ESTATE);
}

static void
test_workflow__return_needs_reason_and_reopens_editing(void)
{
	struct core *c;
	struct core_field_value v = {"specialty", "心血管内科"};
	int64_t id;

	make_dir();
	id = complete_nominee();
	act_ok("pc_clerk", id, "pledge_paper", NULL);
	act_ok("pc_clerk", id, "unit_review", NULL);
	act_ok("pc_clerk", id, "submit", NULL);
	c = as("pc_clerk");
	CHECK_INT(core_nominee_edit(c, id, &v, 1, NULL), CORE_ESTATE);
	core_close(c);
	CHECK_INT(act_err("pingcheng_hr", id, "return", NULL), CORE_EINVAL);
	CHECK_INT(act_err("pingcheng_hr", id, "return", ""), CORE_EINVAL);
	act_ok("pingcheng_hr", id, "return", "缺少获奖证书复印件");
	state_is(id, "returned");
	c = as("pc_clerk");
	CHECK_INT(core_nominee_edit(c, id, &v, 1, NULL), 0);
	core_close(c);
	act_ok("pc_clerk", id, "pledge_paper", NULL);
	act_ok("pc_clerk", id, "unit_review", NULL);
	act_ok("pc_clerk", id, "submit", NULL);
	act_ok("pingcheng_hr", id, "reject", "不符合选拔条件");
	state_is(id, "rejected");
	CHECK_INT(act_err("pingcheng_hr", id, "screen", NULL), CORE_ESTATE);
}

/* The panel judged the dossier as it was: after a return and an edit,
 * its pass no longer carries the nominee; a new evaluation does. */
static void
test_workflow__panel_pass_goes_stale_after_an_edit(void)
{
	struct core_field_value v = {"specialty", "心血管内科"};
	struct core *c, *owner, *expert;
	int64_t id;

	make_dir();
	id = complete_nominee();
	act_ok("pc_clerk", id, "pledge_paper", NULL);
	act_ok("pc_clerk", id, "unit_review", NULL);
	act_ok("pc_clerk", id, "submit", NULL);
	evaluate(id, 0);
	act_ok("pingcheng_hr", id, "return", "补充获奖证书");
	c = as("pc_clerk");
	CHECK_INT(core_nominee_edit(c, id, &v, 1, NULL), 0);
	core_close(c);
	act_ok("pc_clerk", id, "pledge_paper", NULL);
	act_ok("pc_clerk", id, "unit_review", NULL);
	act_ok("pc_clerk", id, "submit", NULL);
	c = as("pingcheng_hr");
	unlock(c);
	CHECK_INT(do_act(c, id, "screen", NULL), CORE_ESTATE);
	CHECK(strstr(core_errmsg(c), "edited") != NULL);
	core_close(c);
	state_is(id, "submitted");
	owner = as("pingcheng_hr");
	expert = as("expert_zhou");
	CHECK_INT(fixture_panel_pass_in(owner, expert, id, 0, "复评组"), 0);
	core_close(owner);
	core_close(expert);
	act_ok("pingcheng_hr", id, "screen", NULL);
	state_is(id, "screened");
}

static void
test_workflow__objection_blocks_until_cleared(void)
{
	int64_t id;

	make_dir();
	id = complete_nominee();
	act_ok("pc_clerk", id, "pledge_paper", NULL);
	act_ok("pc_clerk", id, "unit_review", NULL);
	act_ok("pc_clerk", id, "submit", NULL);
	evaluate(id, 0);
	act_ok("pingcheng_hr", id, "screen", NULL);
	act_ok("pingcheng_hr", id, "open_local_notice", NULL);
	CHECK_INT(act_err("auditor", id, "object", NULL), CORE_EINVAL);
	act_ok("auditor", id, "object", "实名反映：论文存在抄袭");
	state_is(id, "under_investigation");
	now_ms += 6 * DAY;
	CHECK_INT(act_err("pingcheng_hr", id, "report", NULL), CORE_ESTATE);
	act_ok("auditor", id, "clear", "经核查，反映不实");
	state_is(id, "local_notice");
	act_ok("pingcheng_hr", id, "report", NULL);
	state_is(id, "reported");
}

static void
test_workflow__late_report_needs_extension(void)
{
	struct core *c;
	int64_t id;

	make_dir();
	id = complete_nominee();
	act_ok("pc_clerk", id, "pledge_paper", NULL);
	act_ok("pc_clerk", id, "unit_review", NULL);
	act_ok("pc_clerk", id, "submit", NULL);
	evaluate(id, 0);
	act_ok("pingcheng_hr", id, "screen", NULL);
	act_ok("pingcheng_hr", id, "open_local_notice", NULL);
	now_ms = 1608134400000LL; /* 2020-12-17 00:00 +08:00 */
	CHECK_INT(act_err("pingcheng_hr", id, "report", NULL), CORE_ESTATE);
	c = as("pingcheng_hr");
	CHECK_INT(core_deadline_extend(c, "140213", "2020-12-20", "停电",
				       NULL),
		  CORE_EPERM);
	core_close(c);
	c = as("city_hr");
	CHECK_INT(core_deadline_extend(c, "140213", "2020-12-10", "x", NULL),
		  CORE_EINVAL);
	CHECK_INT(core_deadline_extend(c, "140213", "2020-12-20",
				       "平城区停电两天，经局长批准延期", NULL),
		  0);
	core_close(c);
	act_ok("pingcheng_hr", id, "report", NULL);
}

static void
test_workflow__edit_after_pledge_voids_it(void)
{
	struct core *c;
	struct core_field_value v = {"phone", "0352-1234567"};
	int64_t id;

	make_dir();
	id = complete_nominee();
	act_ok("pc_clerk", id, "pledge_paper", NULL);
	state_is(id, "pledged");
	c = as("pc_clerk");
	CHECK_INT(core_nominee_edit(c, id, &v, 1, NULL), 0);
	core_close(c);
	state_is(id, "draft");
	CHECK_INT(act_err("pc_clerk", id, "unit_review", NULL), CORE_ESTATE);
}

static void
test_workflow__incomplete_dossier_cannot_be_pledged(void)
{
	struct core *c = NULL;
	struct core_nominee_new n = {"王芳", "女", "1980-01-01", "副教授",
				     NULL};
	int64_t id;

	make_dir();
	c = as("pc_clerk");
	unlock(c);
	CHECK_INT(core_nominee_add(c, &n, &id, NULL), 0);
	CHECK_INT(do_act(c, id, "pledge_paper", NULL), CORE_ESTATE);
	CHECK_STR(core_errfield(c), "id_number");
	core_close(c);
}

static void
test_workflow__edit_behind_the_log_is_caught(void)
{
	char path[600];
	sqlite3 *db = NULL;
	struct core *c;
	struct core_dossier *d = calloc(1, sizeof(*d));
	int64_t id;

	make_dir();
	id = complete_nominee();
	snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "UPDATE nominee SET title = '院长'", NULL,
			   NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	c = as("pc_clerk");
	CHECK_INT(core_nominee_get(c, id, d), CORE_ECORRUPT);
	core_close(c);
	free(d);
}

static void
test_workflow__id_number_masked_and_reveal_audited(void)
{
	struct core *c;
	struct core_dossier *d = calloc(1, sizeof(*d));
	char full[24], idn[19];
	int64_t id;

	make_dir();
	id = complete_nominee();
	fixture_id_number("19750302", 123, idn);
	c = as("pingcheng_hr");
	CHECK_INT(core_nominee_get(c, id, d), 0);
	CHECK(strstr(d->id_number, "**********") != NULL);
	CHECK(strcmp(d->id_number, idn) != 0);
	CHECK_INT(core_nominee_reveal_id(c, id, full), 0);
	CHECK_STR(full, idn);
	core_close(c);
	c = as("yungang_hr");
	CHECK_INT(core_nominee_reveal_id(c, id, full), CORE_ENOENT);
	core_close(c);
	free(d);
}

static void
test_workflow__unit_review_checks_eligibility(void)
{
	struct core *c;
	struct core_field_value prior = {"prior_leader", "市级"};
	struct core_field_value none = {"prior_leader", "无"};
	struct core_field_value old = {"birth_date", "1965-05-01"};
	int64_t id;

	make_dir();
	id = complete_nominee();
	c = as("pc_clerk");
	unlock(c);
	CHECK_INT(core_nominee_edit(c, id, &prior, 1, NULL), 0);
	CHECK_INT(do_act(c, id, "pledge_paper", NULL), 0);
	CHECK_INT(core_act(c, id, "unit_review", NULL, NULL), CORE_ESTATE);
	CHECK(strstr(core_errmsg(c), "X1") != NULL);
	/* an override cannot lift a hard rule */
	CHECK_INT(core_act(c, id, "unit_review", "特别优秀", NULL),
		  CORE_ESTATE);
	CHECK_INT(core_nominee_edit(c, id, &none, 1, NULL), 0);
	CHECK_INT(core_nominee_edit(c, id, &old, 1, NULL), 0);
	CHECK_INT(do_act(c, id, "pledge_paper", NULL), 0);
	/* 55 at the reference date: a soft rule, passed only with reasons */
	CHECK_INT(core_act(c, id, "unit_review", NULL, NULL), CORE_ESTATE);
	CHECK_STR(core_errfield(c), "reason");
	CHECK(strstr(core_errmsg(c), "H2") != NULL);
	CHECK_INT(core_act(c, id, "unit_review",
			   "特别优秀：主持国家级重点项目两项", NULL),
		  0);
	core_close(c);
	state_is(id, "unit_reviewed");
}

static int64_t
to_local_notice(const char *category)
{
	struct core *c;
	struct core_field_value v = {"quota_category", category};
	int64_t id = complete_nominee();

	c = as("pc_clerk");
	CHECK_INT(core_nominee_edit(c, id, &v, 1, NULL), 0);
	core_close(c);
	act_ok("pc_clerk", id, "pledge_paper", NULL);
	act_ok("pc_clerk", id, "unit_review", NULL);
	act_ok("pc_clerk", id, "submit", NULL);
	evaluate(id, 0);
	act_ok("pingcheng_hr", id, "screen", NULL);
	act_ok("pingcheng_hr", id, "open_local_notice", NULL);
	return id;
}

static void
test_workflow__report_checks_quota(void)
{
	struct core *c;
	int64_t a, b;

	make_dir();
	a = to_local_notice("基层专项");
	b = to_local_notice("基层专项");
	now_ms += 7 * DAY;
	act_ok("pingcheng_hr", a, "report", NULL);
	c = as("pingcheng_hr");
	unlock(c);
	CHECK_INT(core_act(c, b, "report", NULL, NULL), CORE_EQUOTA);
	/* the message names holder, category, limit and count */
	CHECK(strstr(core_errmsg(c), "140213") != NULL ||
	      strstr(core_errmsg(c), "平城区") != NULL);
	CHECK(strstr(core_errmsg(c), "基层专项") != NULL);
	CHECK(strstr(core_errmsg(c), "1") != NULL);
	core_close(c);
	state_is(b, "local_notice");
}

static const struct test_case tests_workflow[] = {
	{"workflow__report_checks_quota", test_workflow__report_checks_quota},
	{"workflow__unit_review_checks_eligibility",
	 test_workflow__unit_review_checks_eligibility},
	{"workflow__draft_to_confirmed", test_workflow__draft_to_confirmed},
	{"workflow__return_needs_reason_and_reopens_editing",
	 test_workflow__return_needs_reason_and_reopens_editing},
	{"workflow__panel_pass_goes_stale_after_an_edit",
	 test_workflow__panel_pass_goes_stale_after_an_edit},
	{"workflow__objection_blocks_until_cleared",
	 test_workflow__objection_blocks_until_cleared},
	{"workflow__late_report_needs_extension",
	 test_workflow__late_report_needs_extension},
	{"workflow__edit_after_pledge_voids_it",
	 test_workflow__edit_after_pledge_voids_it},
	{"workflow__incomplete_dossier_cannot_be_pledged",
	 test_workflow__incomplete_dossier_cannot_be_pledged},
	{"workflow__edit_behind_the_log_is_caught",
	 test_workflow__edit_behind_the_log_is_caught},
	{"workflow__id_number_masked_and_reveal_audited",
	 test_workflow__id_number_masked_and_reveal_audited},
	{NULL, NULL},
};
TEST_REGISTER(tests_workflow)
