/*
 * The eligibility engine over the Datong 2020 round: age at each boundary
 * (turning 50 and turning 51 the day before, on and after the reference
 * date), month-precision birth dates, both readings of 以下, each title
 * level and kind, prior leaders, the relaxed categories, overrides with
 * and without a justification, and the JSON shape.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/lib/runner.h"

static struct core_round *
datong(void)
{
	struct core_round *r = NULL;
	char err[512];
	size_t len;
	const char *j = core_round_builtin("datong-2020", &len);

	if (!j || core_round_parse(j, len, &r, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "parse: %s", j ? err : "none");
		exit(1);
	}
	return r;
}

static const struct core_elig_claim claim4[] = {{4, "市级重点项目主要完成人"}};

/* A dossier that passes every rule, to vary one field at a time. */
static struct core_elig_input
base(void)
{
	struct core_elig_input in = {
	    .birth_date = "1975-03-02",
	    .title_level = CORE_TITLE_DEPUTY,
	    .title_kind = CORE_TITLE_KIND_APPOINTMENT,
	    .title_date = "2015-09-01",
	    .category = "综合",
	    .claims = claim4,
	    .n_claims = 1,
	    .prior_leader = CORE_PRIOR_NONE,
	};
	return in;
}

static const struct core_elig_rule *
rule(const struct core_elig_result *res, const char *id)
{
	for (size_t i = 0; i < res->n_rules; i++)
		if (strcmp(res->rules[i].rule, id) == 0)
			return &res->rules[i];
	test_fail(__FILE__, __LINE__, "no rule %s", id);
	exit(1);
}

static struct core_elig_result
eval(const struct core_round *r, const struct core_elig_input *in)
{
	struct core_elig_result res;

	if (core_elig_evaluate(r, in, &res) != 0) {
		test_fail(__FILE__, __LINE__, "evaluate: %s", res.errmsg);
		exit(1);
	}
	return res;
}

static void
test_elig__eligible_dossier_names_its_parameters(void)
{
	struct core_round *r = datong();
	struct core_elig_input in = base();
	struct core_elig_result res = eval(r, &in);

	CHECK_INT(res.verdict, CORE_ELIG_ELIGIBLE);
	CHECK_INT(res.n_rules, 4);
	CHECK_STR(res.rules[0].rule, "X1");
	CHECK_STR(res.rules[1].rule, "H1");
	CHECK_STR(res.rules[2].rule, "H2");
	CHECK_STR(res.rules[3].rule, "H4");
	for (size_t i = 0; i < res.n_rules; i++)
		CHECK_INT(res.rules[i].result, CORE_RULE_PASS);
	/* the verdict shows its parameters: date, inclusivity, limit */
	CHECK(strstr(rule(&res, "H2")->detail, "2020-12-15") != NULL);
	CHECK(strstr(rule(&res, "H2")->detail, "inclusive") != NULL);
	CHECK(strstr(rule(&res, "H2")->detail, "age <= 50") != NULL);
	CHECK(strstr(rule(&res, "H2")->detail, "age 45") != NULL);
	CHECK(strstr(rule(&res, "H1")->detail, "副高级") != NULL);
	CHECK(strstr(rule(&res, "H1")->detail, "聘任") != NULL);
	CHECK(strstr(rule(&res, "H4")->detail, "4 (documentary, evidence "
	                                       "recorded)") != NULL);
	core_round_free(r);
}

/* Reference date 2020-12-15, 50周岁以下 read as <= 50. */
static void
test_elig__age_boundaries(void)
{
	static const struct {
		const char *born;
		int age;
		enum core_rule_result result;
		enum core_elig_verdict verdict;
	} cases[] = {
	    /* turning 50 the day before, on and after the date */
	    {"1970-12-14", 50, CORE_RULE_PASS, CORE_ELIG_ELIGIBLE},
	    {"1970-12-15", 50, CORE_RULE_PASS, CORE_ELIG_ELIGIBLE},
	    {"1970-12-16", 49, CORE_RULE_PASS, CORE_ELIG_ELIGIBLE},
	    /* turning 51 the day before, on and after the date */
	    {"1969-12-14", 51, CORE_RULE_SOFT_FAIL, CORE_ELIG_OVERRIDE_NEEDED},
	    {"1969-12-15", 51, CORE_RULE_SOFT_FAIL, CORE_ELIG_OVERRIDE_NEEDED},
	    {"1969-12-16", 50, CORE_RULE_PASS, CORE_ELIG_ELIGIBLE},
	};
	struct core_round *r = datong();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct core_elig_input in = base();
		struct core_elig_result res;
		char want[32];

		in.birth_date = cases[i].born;
		res = eval(r, &in);
		snprintf(want, sizeof(want), "age %d ", cases[i].age);
		CHECK_INT(rule(&res, "H2")->result, cases[i].result);
		CHECK_INT(res.verdict, cases[i].verdict);
		if (!strstr(rule(&res, "H2")->detail, want))
			test_fail(__FILE__, __LINE__, "%s: \"%s\"",
			          cases[i].born, rule(&res, "H2")->detail);
	}
	core_round_free(r);
}

/* The exclusive reading moves the whole cohort (I-10). */
static void
test_elig__age_exclusive_reading_and_reference_date(void)
{
	struct core_round *r = datong();
	struct core_elig_input in = base();
	struct core_elig_result res;

	r->age_inclusive = 0;
	in.birth_date = "1970-12-15"; /* exactly 50 */
	res = eval(r, &in);
	CHECK_INT(rule(&res, "H2")->result, CORE_RULE_SOFT_FAIL);
	CHECK(strstr(rule(&res, "H2")->detail, "exclusive: age < 50") != NULL);
	in.birth_date = "1970-12-16";
	res = eval(r, &in);
	CHECK_INT(rule(&res, "H2")->result, CORE_RULE_PASS);

	/* another reference date is another parameter, shown */
	r->age_inclusive = 1;
	snprintf(r->age_ref_date, sizeof(r->age_ref_date), "2020-01-01");
	in.birth_date = "1969-12-15";
	res = eval(r, &in);
	CHECK_INT(rule(&res, "H2")->result, CORE_RULE_PASS);
	CHECK(strstr(rule(&res, "H2")->detail, "2020-01-01") != NULL);

	/* 29 February: the birthday of a common year is 1 March */
	snprintf(r->age_ref_date, sizeof(r->age_ref_date), "2022-02-28");
	r->age_limit = 49;
	in.birth_date = "1972-02-29";
	res = eval(r, &in);
	CHECK(strstr(rule(&res, "H2")->detail, "age 49 ") != NULL);
	CHECK_INT(rule(&res, "H2")->result, CORE_RULE_PASS);
	snprintf(r->age_ref_date, sizeof(r->age_ref_date), "2022-03-01");
	res = eval(r, &in);
	CHECK(strstr(rule(&res, "H2")->detail, "age 50 ") != NULL);
	CHECK_INT(rule(&res, "H2")->result, CORE_RULE_SOFT_FAIL);

	/* a round that does not let age be relaxed fails it hard */
	snprintf(r->age_ref_date, sizeof(r->age_ref_date), "2020-12-15");
	r->age_limit = 50;
	r->age_relaxable = 0;
	in.birth_date = "1969-12-15";
	res = eval(r, &in);
	CHECK_INT(rule(&res, "H2")->result, CORE_RULE_FAIL);
	CHECK_INT(res.verdict, CORE_ELIG_INELIGIBLE);
	/* ... unless its category relaxes age */
	in.category = "grassroots";
	res = eval(r, &in);
	CHECK_INT(rule(&res, "H2")->result, CORE_RULE_SOFT_FAIL);
	core_round_free(r);
}

/* A birth date known only to the month is never silently passed. */
static void
test_elig__month_precision(void)
{
	struct core_round *r = datong();
	struct core_elig_input in = base();
	struct core_elig_result res;

	in.birth_date = "1969-12"; /* 1969-12-15 is 51, 1969-12-16 is 50 */
	res = eval(r, &in);
	CHECK_INT(rule(&res, "H2")->result, CORE_RULE_SOFT_FAIL);
	CHECK(strstr(rule(&res, "H2")->detail, "needs check") != NULL);
	CHECK(strstr(rule(&res, "H2")->detail, "50 or 51") != NULL);
	CHECK_INT(res.verdict, CORE_ELIG_OVERRIDE_NEEDED);

	in.birth_date = "1970-12"; /* 49 or 50: within either way */
	res = eval(r, &in);
	CHECK_INT(rule(&res, "H2")->result, CORE_RULE_PASS);
	CHECK(strstr(rule(&res, "H2")->detail, "day not known") != NULL);

	in.birth_date = "1969-11"; /* 51 either way: over, not unknown */
	res = eval(r, &in);
	CHECK_INT(rule(&res, "H2")->result, CORE_RULE_SOFT_FAIL);
	CHECK(strstr(rule(&res, "H2")->detail, "needs check") == NULL);
	CHECK(strstr(rule(&res, "H2")->detail, "over the limit") != NULL);

	in.birth_date = "1970-01";
	res = eval(r, &in);
	CHECK_INT(rule(&res, "H2")->result, CORE_RULE_PASS);

	/* under "< 50" the boundary month is a year later */
	r->age_inclusive = 0;
	in.birth_date = "1970-12";
	res = eval(r, &in);
	CHECK(strstr(rule(&res, "H2")->detail, "needs check") != NULL);
	in.birth_date = "1969-12";
	res = eval(r, &in);
	CHECK(strstr(rule(&res, "H2")->detail, "needs check") == NULL);
	CHECK_INT(rule(&res, "H2")->result, CORE_RULE_SOFT_FAIL);
	core_round_free(r);
}

static void
test_elig__title_levels_and_kinds(void)
{
	static const struct {
		enum core_title_level level;
		const char *category;
		enum core_rule_result result;
		enum core_elig_verdict verdict;
	} cases[] = {
	    {CORE_TITLE_FULL, "综合", CORE_RULE_PASS, CORE_ELIG_ELIGIBLE},
	    {CORE_TITLE_DEPUTY, "综合", CORE_RULE_PASS, CORE_ELIG_ELIGIBLE},
	    {CORE_TITLE_MIDDLE, "综合", CORE_RULE_FAIL, CORE_ELIG_INELIGIBLE},
	    {CORE_TITLE_JUNIOR, "综合", CORE_RULE_FAIL, CORE_ELIG_INELIGIBLE},
	    {CORE_TITLE_NONE, "综合", CORE_RULE_FAIL, CORE_ELIG_INELIGIBLE},
	    {CORE_TITLE_MIDDLE, "开发区专项", CORE_RULE_FAIL,
	     CORE_ELIG_INELIGIBLE},
	    {CORE_TITLE_MIDDLE, "另行推荐", CORE_RULE_FAIL,
	     CORE_ELIG_INELIGIBLE},
	    {CORE_TITLE_MIDDLE, "", CORE_RULE_FAIL, CORE_ELIG_INELIGIBLE},
	    /* the relaxed categories: 选拔条件可适当放宽 */
	    {CORE_TITLE_MIDDLE, "基层专项", CORE_RULE_SOFT_FAIL,
	     CORE_ELIG_OVERRIDE_NEEDED},
	    {CORE_TITLE_JUNIOR, "非公专项", CORE_RULE_SOFT_FAIL,
	     CORE_ELIG_OVERRIDE_NEEDED},
	    {CORE_TITLE_NONE, "grassroots", CORE_RULE_SOFT_FAIL,
	     CORE_ELIG_OVERRIDE_NEEDED},
	};
	struct core_round *r = datong();
	struct core_elig_input in = base();
	struct core_elig_result res;
	enum core_title_level lv;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		in = base();
		in.title_level = cases[i].level;
		in.category = cases[i].category;
		res = eval(r, &in);
		if (rule(&res, "H1")->result != cases[i].result ||
		    res.verdict != cases[i].verdict)
			test_fail(
			    __FILE__, __LINE__, "case %zu: %s %s", i,
			    core_rule_result_name(rule(&res, "H1")->result),
			    rule(&res, "H1")->detail);
	}
	in = base();
	in.title_level = CORE_TITLE_MIDDLE;
	res = eval(r, &in);
	CHECK(strstr(rule(&res, "H1")->detail, "中级 is below the minimum "
	                                       "副高级") != NULL);
	in.category = "基层专项";
	res = eval(r, &in);
	CHECK(strstr(rule(&res, "H1")->detail, "基层专项 may relax") != NULL);

	/* the round counts the appointment (I-11) */
	in = base();
	in.title_kind = CORE_TITLE_KIND_QUALIFICATION;
	res = eval(r, &in);
	CHECK_INT(rule(&res, "H1")->result, CORE_RULE_FAIL);
	in.title_kind = CORE_TITLE_KIND_UNKNOWN;
	res = eval(r, &in);
	CHECK_INT(rule(&res, "H1")->result, CORE_RULE_SOFT_FAIL);
	CHECK(strstr(rule(&res, "H1")->detail, "needs check") != NULL);
	r->title_counts = CORE_TITLE_COUNTS_EITHER;
	in.title_kind = CORE_TITLE_KIND_QUALIFICATION;
	res = eval(r, &in);
	CHECK_INT(rule(&res, "H1")->result, CORE_RULE_PASS);
	/* appointed after the reference date: not held at that date */
	in = base();
	in.title_date = "2020-12-16";
	res = eval(r, &in);
	CHECK_INT(rule(&res, "H1")->result, CORE_RULE_FAIL);
	in.title_date = "2020-12-15";
	res = eval(r, &in);
	CHECK_INT(rule(&res, "H1")->result, CORE_RULE_PASS);

	CHECK_INT(core_title_level_parse("正高", &lv), 0);
	CHECK_INT(lv, CORE_TITLE_FULL);
	CHECK_INT(core_title_level_parse("副高级", &lv), 0);
	CHECK_INT(lv, CORE_TITLE_DEPUTY);
	CHECK_INT(core_title_level_parse("中级", &lv), 0);
	CHECK_INT(lv, CORE_TITLE_MIDDLE);
	CHECK_INT(core_title_level_parse("初级", &lv), 0);
	CHECK_INT(lv, CORE_TITLE_JUNIOR);
	CHECK_INT(core_title_level_parse("无", &lv), 0);
	CHECK_INT(lv, CORE_TITLE_NONE);
	CHECK_INT(core_title_level_parse("教授", &lv), CORE_EINVAL);
	core_round_free(r);
}

static void
test_elig__prior_leaders(void)
{
	struct core_round *r = datong();
	struct core_elig_input in = base();
	struct core_elig_result res;
	enum core_prior_leader p;

	in.prior_leader = CORE_PRIOR_PROVINCE;
	res = eval(r, &in);
	CHECK_INT(rule(&res, "X1")->result, CORE_RULE_FAIL);
	CHECK_INT(res.verdict, CORE_ELIG_INELIGIBLE);
	CHECK(strstr(rule(&res, "X1")->detail, "省级") != NULL);
	in.prior_leader = CORE_PRIOR_CITY;
	res = eval(r, &in);
	CHECK_INT(rule(&res, "X1")->result, CORE_RULE_FAIL);
	CHECK(strstr(rule(&res, "X1")->detail, "市级") != NULL);
	/* no override and no relaxed category lifts the exclusion */
	in.justification = "特别优秀";
	in.category = "基层专项";
	res = eval(r, &in);
	CHECK_INT(rule(&res, "X1")->result, CORE_RULE_FAIL);
	CHECK_INT(res.verdict, CORE_ELIG_INELIGIBLE);
	/* not recorded is not "无" */
	in = base();
	in.prior_leader = CORE_PRIOR_UNKNOWN;
	res = eval(r, &in);
	CHECK_INT(rule(&res, "X1")->result, CORE_RULE_SOFT_FAIL);
	CHECK(strstr(rule(&res, "X1")->detail, "needs check") != NULL);

	CHECK_INT(core_prior_leader_parse("无", &p), 0);
	CHECK_INT(p, CORE_PRIOR_NONE);
	CHECK_INT(core_prior_leader_parse("省级", &p), 0);
	CHECK_INT(p, CORE_PRIOR_PROVINCE);
	CHECK_INT(core_prior_leader_parse("市级", &p), 0);
	CHECK_INT(p, CORE_PRIOR_CITY);
	CHECK_INT(core_prior_leader_parse("县级", &p), CORE_EINVAL);
	core_round_free(r);
}

static void
test_elig__conditions_and_relaxed_categories(void)
{
	static const struct core_elig_claim judged[] = {{8, NULL}, {8, ""}};
	struct core_round *r = datong();
	struct core_elig_input in = base();
	struct core_elig_result res;

	in.n_claims = 0;
	in.claims = NULL;
	res = eval(r, &in);
	CHECK_INT(rule(&res, "H4")->result, CORE_RULE_FAIL);
	CHECK_INT(res.verdict, CORE_ELIG_INELIGIBLE);
	in.category = "开发区专项"; /* relaxation not stated */
	res = eval(r, &in);
	CHECK_INT(rule(&res, "H4")->result, CORE_RULE_FAIL);
	in.category = "基层专项";
	res = eval(r, &in);
	CHECK_INT(rule(&res, "H4")->result, CORE_RULE_SOFT_FAIL);
	CHECK_INT(res.verdict, CORE_ELIG_OVERRIDE_NEEDED);
	in.category = "nonpublic";
	res = eval(r, &in);
	CHECK_INT(rule(&res, "H4")->result, CORE_RULE_SOFT_FAIL);
	/* a judgement condition without evidence is named as such */
	in = base();
	in.claims = judged;
	in.n_claims = 2;
	res = eval(r, &in);
	CHECK_INT(rule(&res, "H4")->result, CORE_RULE_PASS);
	CHECK(strstr(rule(&res, "H4")->detail, "8 (expert judgement, no "
	                                       "evidence recorded)") != NULL);
	core_round_free(r);
}

static void
test_elig__override_needs_a_justification(void)
{
	struct core_round *r = datong();
	struct core_elig_input in = base();
	struct core_elig_result res;

	in.birth_date = "1966-05-01"; /* 54 */
	in.justification = "   ";
	res = eval(r, &in);
	CHECK_INT(res.verdict, CORE_ELIG_OVERRIDE_NEEDED);
	CHECK_INT(rule(&res, "H2")->result, CORE_RULE_SOFT_FAIL);
	CHECK_INT(rule(&res, "H2")->overridden, 0);
	CHECK(strstr(rule(&res, "H2")->detail, "needs a recorded "
	                                       "justification") != NULL);

	in.justification = "国家科技进步二等奖主要完成人，特别优秀";
	res = eval(r, &in);
	CHECK_INT(res.verdict, CORE_ELIG_ELIGIBLE);
	CHECK_INT(rule(&res, "H2")->result, CORE_RULE_PASS);
	CHECK_INT(rule(&res, "H2")->overridden, 1);
	CHECK(strstr(rule(&res, "H2")->detail, "passed by override: "
	                                       "国家科技进步二等奖") != NULL);
	CHECK_INT(rule(&res, "H1")->overridden, 0);

	/* relaxed category, middle title, no condition, over age, month
	 * boundary: all soft, all passed by one recorded justification */
	in = base();
	in.category = "基层专项";
	in.title_level = CORE_TITLE_MIDDLE;
	in.birth_date = "1969-12";
	in.n_claims = 0;
	in.claims = NULL;
	res = eval(r, &in);
	CHECK_INT(res.verdict, CORE_ELIG_OVERRIDE_NEEDED);
	in.justification = "县域基层一线，材料经县人社局核实";
	res = eval(r, &in);
	CHECK_INT(res.verdict, CORE_ELIG_ELIGIBLE);
	CHECK(rule(&res, "H1")->overridden && rule(&res, "H2")->overridden &&
	      rule(&res, "H4")->overridden);
	/* the same dossier in the general category stays ineligible */
	in.category = "综合";
	res = eval(r, &in);
	CHECK_INT(res.verdict, CORE_ELIG_INELIGIBLE);
	CHECK_INT(rule(&res, "H1")->result, CORE_RULE_FAIL);
	core_round_free(r);
}

static void
test_elig__bad_input_is_refused(void)
{
	static const struct core_elig_claim ten[] = {{10, "x"}};
	struct core_round *r = datong();
	struct core_elig_input in = base();
	struct core_elig_result res;

	in.birth_date = "1970/12/15";
	CHECK_INT(core_elig_evaluate(r, &in, &res), CORE_EINVAL);
	CHECK_STR(res.errfield, "birth_date");
	in.birth_date = "1970-02-30";
	CHECK_INT(core_elig_evaluate(r, &in, &res), CORE_EINVAL);
	in.birth_date = "2021-01-01"; /* after the reference date */
	CHECK_INT(core_elig_evaluate(r, &in, &res), CORE_EINVAL);
	in = base();
	in.category = "特殊";
	CHECK_INT(core_elig_evaluate(r, &in, &res), CORE_EINVAL);
	CHECK_STR(res.errfield, "quota_category");
	in = base();
	in.claims = ten;
	CHECK_INT(core_elig_evaluate(r, &in, &res), CORE_EINVAL);
	CHECK_STR(res.errfield, "conditions");
	in = base();
	in.title_date = "2015-09";
	CHECK_INT(core_elig_evaluate(r, &in, &res), CORE_EINVAL);
	CHECK_STR(res.errfield, "title_date");
	in = base();
	in.justification = "特别\x1b[2J优秀";
	CHECK_INT(core_elig_evaluate(r, &in, &res), CORE_EINVAL);
	CHECK_STR(res.errfield, "justification");
	core_round_free(r);
}

static void
test_elig__json_shape(void)
{
	struct core_round *r = datong();
	struct core_elig_input in = base();
	struct core_elig_result res;
	json_object *root, *v, *rules;
	char *s;

	in.birth_date = "1969-12-15";
	res = eval(r, &in);
	s = core_elig_json(&res, 0);
	CHECK(s != NULL);
	root = s ? json_tokener_parse(s) : NULL;
	CHECK(root != NULL);
	CHECK(json_object_object_get_ex(root, "verdict", &v));
	CHECK_STR(json_object_get_string(v), "override_needed");
	CHECK(json_object_object_get_ex(root, "rules", &rules));
	CHECK_INT(json_object_array_length(rules), 4);
	CHECK_INT(json_object_object_length(root), 2);
	for (size_t i = 0; i < json_object_array_length(rules); i++) {
		json_object *o = json_object_array_get_idx(rules, i), *x;
		const char *res_s;

		CHECK_INT(json_object_object_length(o), 3);
		CHECK(json_object_object_get_ex(o, "rule", &x));
		CHECK(json_object_object_get_ex(o, "detail", &x));
		CHECK(json_object_object_get_ex(o, "result", &x));
		res_s = json_object_get_string(x);
		CHECK(strcmp(res_s, "pass") == 0 ||
		      strcmp(res_s, "soft_fail") == 0);
	}
	v = json_object_array_get_idx(rules, 2);
	json_object_object_get_ex(v, "result", &v);
	CHECK_STR(json_object_get_string(v), "soft_fail");
	json_object_put(root);
	free(s);
	core_round_free(r);
}

/* The same engine against the database's current round. */
static void
test_elig__check_uses_the_current_round(void)
{
	struct core_elig_input in = base();
	struct core_elig_result res;
	struct core *c = NULL;
	char dir[512], err[256];

	snprintf(dir, sizeof(dir), "%s/data", test_tmpdir());
	CHECK_INT(core_init_dir(dir, 0, NULL, NULL, err, sizeof(err)), 0);
	CHECK_INT(core_open(&c, dir, err, sizeof(err)), 0);
	if (!c)
		return;
	in.birth_date = "1970-12-15";
	CHECK_INT(core_elig_check(c, &in, &res), 0);
	CHECK_INT(res.verdict, CORE_ELIG_ELIGIBLE);
	in.category = "奖励";
	CHECK_INT(core_elig_check(c, &in, &res), CORE_EINVAL);
	CHECK_STR(core_errfield(c), "quota_category");
	core_close(c);
}

static const struct test_case tests_elig[] = {
    {"elig__eligible_dossier_names_its_parameters",
     test_elig__eligible_dossier_names_its_parameters},
    {"elig__age_boundaries", test_elig__age_boundaries},
    {"elig__age_exclusive_reading_and_reference_date",
     test_elig__age_exclusive_reading_and_reference_date},
    {"elig__month_precision", test_elig__month_precision},
    {"elig__title_levels_and_kinds", test_elig__title_levels_and_kinds},
    {"elig__prior_leaders", test_elig__prior_leaders},
    {"elig__conditions_and_relaxed_categories",
     test_elig__conditions_and_relaxed_categories},
    {"elig__override_needs_a_justification",
     test_elig__override_needs_a_justification},
    {"elig__bad_input_is_refused", test_elig__bad_input_is_refused},
    {"elig__json_shape", test_elig__json_shape},
    {"elig__check_uses_the_current_round",
     test_elig__check_uses_the_current_round},
    {NULL, NULL},
};
TEST_REGISTER(tests_elig)
