/*
 * Rounds as data: the built-in Datong 2020 definition as `nomdesk init`
 * loads it, the strict loader (each refusal names the JSON path and the
 * rule), immutability and authorization of a load, and the check that
 * reports exactly the notice's own arithmetic inconsistencies.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/lib/runner.h"

static char dir[512];

static void
make_dir(int demo)
{
	char err[256];

	snprintf(dir, sizeof(dir), "%s/data", test_tmpdir());
	if (core_init_dir(dir, demo, NULL, NULL, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
}

static struct core *
open_as(const char *login)
{
	struct core *c = NULL;
	char err[256];

	if (core_open(&c, dir, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "open: %s", err);
		exit(1);
	}
	if (login && core_act_as(c, login) != 0) {
		test_fail(__FILE__, __LINE__, "act as %s", login);
		exit(1);
	}
	if (!login)
		core_act_as_system(c, "test");
	return c;
}

static long long
count(const char *sql)
{
	char path[600];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long n = -1;

	snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
	        SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static const char *
datong(size_t *len)
{
	const char *j = core_round_builtin("datong-2020", len);

	if (!j) {
		test_fail(__FILE__, __LINE__, "no built-in datong-2020");
		exit(1);
	}
	return j;
}

static struct core_round *
parse_datong(void)
{
	struct core_round *r = NULL;
	char err[512];
	size_t len;
	const char *j = datong(&len);

	if (core_round_parse(j, len, &r, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "parse: %s", err);
		exit(1);
	}
	return r;
}

/* base with the first occurrence of from replaced by to; caller frees. */
static char *
edit_in(const char *base, const char *from, const char *to)
{
	const char *at = strstr(base, from);
	char *out;

	if (!at) {
		test_fail(__FILE__, __LINE__, "'%s' not in the definition",
		          from);
		return NULL;
	}
	out = malloc(strlen(base) + strlen(to) + 1);
	if (!out)
		exit(1);
	memcpy(out, base, (size_t)(at - base));
	strcpy(out + (at - base), to);
	strcat(out, at + strlen(from));
	return out;
}

/* The built-in Datong text, edited; caller frees. */
static char *
edit(const char *from, const char *to)
{
	size_t len;

	return edit_in(datong(&len), from, to);
}

static const struct core_quota_node *
node(const struct core_round *r, const char *code)
{
	for (size_t i = 0; i < r->n_nodes; i++)
		if (strcmp(r->nodes[i].code, code) == 0)
			return &r->nodes[i];
	test_fail(__FILE__, __LINE__, "no node %s", code);
	exit(1);
}

static void
test_round__datong_definition(void)
{
	struct core_round *r = parse_datong();
	const struct core_quota_node *q;
	static const char *const counties[] = {
	    "140212", "140213", "140214", "140215", "140221",
	    "140222", "140223", "140224", "140225", "140226"};

	CHECK_STR(r->code, "datong-2020");
	CHECK_INT(r->year, 2020);
	CHECK_INT(r->batch, 7);
	CHECK_INT(r->target, 44);
	CHECK_STR(r->receiver, "1402-hrss");
	CHECK_STR(r->deadline, "2020-12-15T23:59:59+08:00");
	/* 2020-12-15T15:59:59Z, to the end of that second */
	CHECK_INT(r->deadline_ms, 1608047999999LL);
	CHECK_INT(r->age_limit, 50);
	CHECK_INT(r->age_inclusive, 1);
	CHECK_INT(r->age_relaxable, 1);
	CHECK_STR(r->age_ref_date, "2020-12-15");
	CHECK_INT(r->title_min, CORE_TITLE_DEPUTY);
	CHECK_INT(r->title_counts, CORE_TITLE_COUNTS_APPOINTMENT);
	CHECK_INT(r->window_years, 5);
	CHECK_STR(r->window_ref_date, "2020-12-15");
	CHECK(r->exclude_province && r->exclude_city);
	CHECK_INT(r->stated_parts, 3);

	CHECK_INT(r->n_conditions, 9);
	for (size_t i = 0; i < r->n_conditions; i++) {
		int judged = i + 1 == 5 || i + 1 == 8 || i + 1 == 9;

		CHECK_INT(r->conditions[i].no, (int)i + 1);
		CHECK_INT(r->conditions[i].evidence,
		          judged ? CORE_EVIDENCE_JUDGEMENT
		                 : CORE_EVIDENCE_DOCUMENTARY);
		CHECK(*r->conditions[i].zh && *r->conditions[i].en);
	}
	CHECK(strstr(r->conditions[0].zh, "二等奖以上") != NULL);

	CHECK_INT(r->n_categories, 5);
	CHECK_STR(core_round_category_find(r, "基层专项")->key, "grassroots");
	CHECK_STR(core_round_category_find(r, "非公专项")->key, "nonpublic");
	CHECK_STR(core_round_category_find(r, "开发区专项")->key, "etdz");
	CHECK_STR(core_round_category_find(r, "综合")->key, "general");
	CHECK_STR(core_round_category_find(r, "另行推荐")->key, "exceptional");
	CHECK(core_round_category_find(r, "grassroots")->relax ==
	      (CORE_RELAX_TITLE | CORE_RELAX_AGE | CORE_RELAX_CONDITIONS));
	CHECK(core_round_category_find(r, "nonpublic")->relax ==
	      (CORE_RELAX_TITLE | CORE_RELAX_AGE | CORE_RELAX_CONDITIONS));
	CHECK_INT(core_round_category_find(r, "etdz")->relax, 0);
	CHECK_INT(core_round_category_find(r, "general")->relax, 0);
	CHECK(core_round_category_find(r, "奖励") == NULL);

	/* the tree exactly as the notice states it */
	CHECK_INT(r->n_nodes, 26);
	q = node(r, "grassroots");
	CHECK_INT(q->limit, 10);
	CHECK_INT(q->n_children, 10);
	CHECK_INT(q->reserved, -1);
	for (size_t i = 0; i < 10; i++) {
		char code[64];

		snprintf(code, sizeof(code), "grassroots.%s", counties[i]);
		q = node(r, code);
		CHECK_INT(q->limit, 1);
		CHECK_INT(q->n_holders, 1);
		CHECK_STR(q->holders[0], counties[i]);
		CHECK_STR(q->category, "grassroots");
	}
	q = node(r, "nonpublic");
	CHECK_INT(q->limit, 5);
	CHECK_INT(q->n_children, 3);
	q = node(r, "nonpublic.county_hr");
	CHECK_INT(q->limit, -1);
	CHECK_INT(q->uncapped, 0);
	CHECK_INT(q->n_holders, 10);
	CHECK_STR(q->channel, "county_hr");
	CHECK_STR(node(r, "nonpublic.acfic")->holders[0], "chan-acfic");
	CHECK_STR(node(r, "nonpublic.miit")->holders[0], "dept-ind");
	q = node(r, "etdz");
	CHECK_INT(q->limit, 6);
	CHECK_STR(q->holders[0], "etdz");
	CHECK_INT(node(r, "general")->limit, 117);
	CHECK_INT(node(r, "general.city")->limit, 70);
	CHECK_INT(node(r, "general.city.edu")->limit, 20);
	CHECK_INT(node(r, "general.city.health")->limit, 20);
	CHECK_INT(node(r, "general.city.afw")->limit, 12);
	CHECK_INT(node(r, "general.city.ind")->limit, 10);
	CHECK_INT(node(r, "general.city.soc")->limit, 20);
	CHECK_STR(node(r, "general.city.soc")->holders[0], "dept-soc");
	CHECK_INT(node(r, "general.stationed")->limit, 25);
	CHECK_STR(node(r, "general.stationed")->holders[0], "stationed");
	q = node(r, "general.county");
	CHECK(q->uncapped && q->limit == -1 && q->n_holders == 10 &&
	      !q->justification);
	CHECK_STR(q->category, "general");
	q = node(r, "general.exceptional");
	CHECK(q->uncapped && q->any_holder && q->justification);
	CHECK_STR(q->category, "exceptional");

	CHECK_INT(r->n_materials, 4);
	CHECK_INT(r->materials[0].copies, 2);
	CHECK_INT(r->materials[1].copies, 5);
	CHECK_INT(r->materials[1].electronic, 1);
	CHECK_INT(r->materials[2].originals, 1);
	CHECK_STR(r->materials[3].key, "pledge");
	CHECK_INT(r->materials[3].copies, -1);
	CHECK_INT(r->materials[3].required, 1);

	CHECK_INT(r->n_notices, 3);
	CHECK_STR(r->notices[2].tier, "city");
	CHECK_INT(r->notices[2].days, 5);
	CHECK_STR(r->notices[2].day_type, "working");
	CHECK_INT(r->notices[0].days, -1);
	CHECK_STR(r->notices[0].day_type, "");
	CHECK_INT(strlen(r->sha256_hex), 64);
	core_round_free(r);
}

static void
test_round__init_loads_reference(void)
{
	struct core *c;
	struct core_round *r = NULL;
	char sql[256];

	make_dir(0);
	c = open_as(NULL);
	CHECK_INT(core_round_get(c, NULL, &r), 0);
	CHECK_STR(r ? r->code : "", "datong-2020");
	/* one audited act, carrying the definition's digest */
	CHECK_INT(count("SELECT count(*) FROM log_entry WHERE act = 120 AND "
	                "subject = 'round:datong-2020'"),
	          1);
	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM round WHERE current = 1 AND "
	         "config_sha256 = '%s' AND seq = (SELECT seq FROM log_entry "
	         "WHERE subject = 'round:datong-2020')",
	         r ? r->sha256_hex : "");
	CHECK_INT(count(sql), 1);
	CHECK_INT(count("SELECT count(*) FROM round"), 1);
	CHECK_INT(count("SELECT count(*) FROM quota_node"), 26);
	CHECK_INT(count("SELECT qlimit FROM quota_node WHERE code = "
	                "'general.city'"),
	          70);
	CHECK_INT(count("SELECT sum(qlimit) FROM quota_node WHERE parent = "
	                "'general.city'"),
	          82);
	CHECK_INT(count("SELECT count(*) FROM quota_node WHERE qlimit IS "
	                "NULL AND uncapped = 1"),
	          2);
	CHECK_INT(count("SELECT count(*) FROM quota_holder WHERE node = "
	                "'general.county'"),
	          10);
	CHECK_INT(count("SELECT count(*) FROM round_condition WHERE "
	                "evidence = 'judgement'"),
	          3);
	CHECK_INT(count("SELECT copies FROM round_material WHERE key = "
	                "'technical_report'"),
	          5);
	CHECK_INT(count("SELECT days FROM round_notice WHERE tier = 'city'"),
	          5);
	CHECK_INT(count("SELECT age_limit FROM round"), 50);
	core_round_free(r);
	core_close(c);
}

static void
test_round__load_is_admin_only_and_immutable(void)
{
	struct core *c, *clerk;
	struct core_round *r = NULL;
	struct core_receipt rc;
	long long before;
	size_t len;
	const char *j;
	char *other;

	make_dir(1);
	j = datong(&len);
	clerk = open_as("pc_clerk");
	before = count("SELECT count(*) FROM log_entry");
	CHECK_INT(core_round_load(clerk, j, len, 0, NULL), CORE_EPERM);
	c = open_as(NULL);
	/* a loaded round never changes */
	CHECK_INT(core_round_load(c, j, len, 0, NULL), CORE_EEXIST);
	CHECK(strstr(core_errmsg(c), "datong-2020") != NULL);
	CHECK_INT(count("SELECT count(*) FROM log_entry"), before);
	/* and the database refuses a direct change too */
	{
		char path[600];
		sqlite3 *db = NULL;

		snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
		CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
		CHECK(sqlite3_exec(db,
		                   "UPDATE quota_node SET qlimit = 82 "
		                   "WHERE code = 'general.city'",
		                   NULL, NULL, NULL) != SQLITE_OK);
		CHECK(sqlite3_exec(db, "UPDATE round SET target = 45", NULL,
		                   NULL, NULL) != SQLITE_OK);
		sqlite3_close(db);
	}
	/* a new round is a new file: loaded beside, not current */
	other =
	    edit("\"code\": \"datong-2020\"", "\"code\": \"datong-2020-b\"");
	CHECK_INT(core_round_load(c, other, strlen(other), 0, &rc), 0);
	CHECK_INT(rc.seq, before);
	CHECK_INT(count("SELECT count(*) FROM round"), 2);
	CHECK_INT(count("SELECT count(*) FROM quota_node"), 52);
	CHECK_INT(core_round_get(c, NULL, &r), 0);
	CHECK_STR(r ? r->code : "", "datong-2020");
	core_round_free(r);
	CHECK_INT(core_round_get(c, "datong-2020-b", &r), 0);
	core_round_free(r);
	CHECK_INT(core_round_get(c, "nowhere", &r), CORE_ENOENT);
	CHECK(r == NULL);
	free(other);
	/* holders must be units */
	{
		char *t = edit("\"dept-soc\"", "\"dept-arts\"");

		other = edit_in(t, "\"code\": \"datong-2020\"",
		                "\"code\": \"datong-2020-c\"");
		free(t);
	}
	CHECK_INT(core_round_load(c, other, strlen(other), 0, NULL),
	          CORE_EINVAL);
	CHECK(strstr(core_errmsg(c), "$.quotas.parts[3].children[0]."
	                             "children[4].holders[0]") != NULL);
	CHECK(strstr(core_errmsg(c), "dept-arts") != NULL);
	CHECK_INT(count("SELECT count(*) FROM round"), 2);
	free(other);
	core_close(c);
	core_close(clerk);
}

static void
test_round__loader_rejects_with_path(void)
{
	static const struct {
		const char *from, *to, *path, *rule;
	} cases[] = {
	    {"\"nomdesk-round/1\"", "\"nomdesk-round/2\"", "$.format",
	     "nomdesk-round/1"},
	    {"\"year\": 2020,", "\"year\": 2020, \"extra\": 1,", "$.extra",
	     "unknown key"},
	    {"\"target\": 44", "\"target\": \"44\"", "$.target", "integer"},
	    {"\"target\": 44", "\"target\": 0", "$.target", "from 1"},
	    {"\"limit\": 70,", "\"limit\": -1,",
	     "$.quotas.parts[3].children[0].limit", "from 0"},
	    {"\"limit\": 6,", "\"limit\": 6.5,", "$.quotas.parts[2].limit",
	     "integer"},
	    {"\"uncapped\": true,", "\"uncapped\": true, \"limit\": 3,",
	     "$.quotas.parts[3].children[2].limit", "uncapped"},
	    {"\"category\": \"exceptional\",", "\"category\": \"special\",",
	     "$.quotas.parts[3].children[3].category", "special"},
	    {"\"code\": \"grassroots.140213\"",
	     "\"code\": \"grassroots.140212\"",
	     "$.quotas.parts[0].children[1].code", "already"},
	    {"\"holders\": [\"dept-ind\"]", "\"holders\": [\"chan-acfic\"]",
	     "$.quotas.parts[1].children[2].holders[0]", "chan-acfic"},
	    {"\"holders\": [\"etdz\"],", "", "$.quotas.parts[2].holders",
	     "any_holder"},
	    {"\"limit\": 1, \"holders\": [\"140212\"]",
	     "\"limit\": 1, \"holders\": [\"140212\", \"140212\"]",
	     "$.quotas.parts[0].children[0].holders[1]", "repeats"},
	    {"\"2020-12-15T23:59:59+08:00\"", "\"2020-12-15T23:59:59\"",
	     "$.deadlines.city.at", "zone"},
	    {"\"2020-12-15T23:59:59+08:00\"", "\"2020-12-32T23:59:59+08:00\"",
	     "$.deadlines.city.at", "zone"},
	    {"\"inclusive\": true,", "", "$.age.inclusive", "required"},
	    {"\"reference_date\": null,\n    \"relaxable\"",
	     "\"reference_date\": \"2020/12/15\",\n    \"relaxable\"",
	     "$.age.reference_date", "YYYY-MM-DD"},
	    {"{\"no\": 2,", "{\"no\": 3,", "$.conditions[1].no", "order"},
	    {"\"evidence\": \"judgement\"", "\"evidence\": \"opinion\"",
	     "$.conditions[4].evidence", "documentary"},
	    {"\"min_level\": \"副高\"", "\"min_level\": \"教授\"",
	     "$.title_rule.min_level", "副高"},
	    {"\"counts\": \"appointment\"", "\"counts\": \"post\"",
	     "$.title_rule.counts", "appointment"},
	    {"\"relax\": [\"title\", \"age\", \"conditions\"]",
	     "\"relax\": [\"title\", \"salary\"]", "$.categories[0].relax[1]",
	     "title"},
	    {"\"key\": \"etdz\"", "\"key\": \"grassroots\"", "$.categories[2]",
	     "repeats"},
	    {"\"days\": 5", "\"days\": 0", "$.notices.city.days", "from 1"},
	    {"\"day_type\": \"working\"", "\"day_type\": \"weekdays\"",
	     "$.notices.city.day_type", "working"},
	    {"\"node\": \"general.city\"", "\"node\": \"general.cty\"",
	     "$.readings[1].node", "general.cty"},
	    {"\"prior_leader\": [\"省级\", \"市级\"]",
	     "\"prior_leader\": [\"省级\", \"省级\"]",
	     "$.exclusion.prior_leader[1]", "at most once"},
	    {"\"zh\": \"基层专项名额\"", "\"zh\": \"基层\\u202e专项名额\"",
	     "$.quotas.parts[0].name.zh", "U+202E"},
	    {"\"copies\": 5,", "\"copies\": 5, \"copies2\": 1,",
	     "$.materials[1].copies2", "unknown key"},
	    {"\"stated_parts\": 3,", "\"stated_parts\": 3,,", "$:", "JSON"},
	    {"\"batch\": 7,", "\"batch\": 7, // seventh\n", "$:", "JSON"},
	};
	struct core_round *r = NULL;
	char err[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *j = edit(cases[i].from, cases[i].to);
		int rv;

		if (!j)
			continue;
		rv = core_round_parse(j, strlen(j), &r, err, sizeof(err));
		if (rv != CORE_EINVAL || r != NULL ||
		    strncmp(err, cases[i].path, strlen(cases[i].path)) != 0 ||
		    strstr(err, cases[i].rule) == NULL)
			test_fail(__FILE__, __LINE__,
			          "case %zu: rv %d, err \"%s\", want \"%s\" "
			          "with \"%s\"",
			          i, rv, err, cases[i].path, cases[i].rule);
		core_round_free(r);
		r = NULL;
		free(j);
	}
	CHECK_INT(core_round_parse("", 0, &r, err, sizeof(err)), CORE_EINVAL);
	CHECK_INT(core_round_parse("[]", 2, &r, err, sizeof(err)), CORE_EINVAL);
	CHECK(strstr(err, "$: must be an object") != NULL);
	CHECK_INT(core_round_parse("{} {}", 5, &r, err, sizeof(err)),
	          CORE_EINVAL);
	CHECK(r == NULL);
}

/* Exactly the notice's inconsistencies, each naming node, figure, sum. */
static void
test_round__check_finds_the_notice_inconsistencies(void)
{
	static const struct {
		const char *issue, *kind, *node;
		long long stated, sum;
		const char *text;
	} want[] = {
	    {"I-1", "parts", "", 3, 4, "3 parts, 4 are listed"},
	    {"I-3", "breakdown", "general", 117, 95,
	     "stated 117, its parts add up to 95 (市直 70 + 驻同单位 25)"},
	    {"I-3", "itemised", "general", 117, 107,
	     "stated 117, its itemised breakdown adds up to 107 (市直 82 + "
	     "驻同单位 25)"},
	    {"I-2", "breakdown", "general.city", 70, 82,
	     "stated 70, its parts add up to 82 (教育系统 20 + 卫生系统 20 "
	     "+ 农林水系统 12 + 工业系统 10 + 社科系统 20)"},
	    {"I-4", "total", "", 44, 138,
	     "target 44 seats; the quotas add up to 138 as stated, 128 "
	     "itemised, 116 by the stated sub-totals (3.14, 2.91, 2.64 per "
	     "seat), plus 2 uncapped paths; reserved seats: not stated for "
	     "4 of 4 parts"},
	};
	struct core_round *r = parse_datong();
	struct core_round_finding *f = NULL;
	size_t n = 0;

	CHECK_INT(core_round_check(r, &f, &n), 0);
	CHECK_INT(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n && i < sizeof(want) / sizeof(want[0]); i++) {
		CHECK_STR(f[i].issue, want[i].issue);
		CHECK_STR(f[i].kind, want[i].kind);
		CHECK_STR(f[i].node, want[i].node);
		CHECK_INT(f[i].stated, want[i].stated);
		CHECK_INT(f[i].sum, want[i].sum);
		if (!strstr(f[i].message, want[i].text))
			test_fail(__FILE__, __LINE__, "finding %zu: \"%s\"", i,
			          f[i].message);
	}
	free(f);
	/* never fixed: the stored figures are still the stated ones */
	CHECK_INT(node(r, "general.city")->limit, 70);
	CHECK_INT(node(r, "general")->limit, 117);
	core_round_free(r);
}

static const char consistent[] =
    "{\"format\": \"nomdesk-round/1\", \"code\": \"t-1\", \"year\": 2021,"
    " \"batch\": 1, \"title\": {\"zh\": \"测试\", \"en\": \"test\"},"
    " \"target\": 4, \"receiver\": \"1402-hrss\","
    " \"deadlines\": {\"city\": {\"at\": \"2021-06-30T17:00:00Z\"}},"
    " \"notices\": {\"county\": {\"days\": 7, \"day_type\": \"calendar\"},"
    "  \"department\": {\"days\": 7, \"day_type\": \"calendar\"},"
    "  \"city\": {\"days\": 5, \"day_type\": \"working\"}},"
    " \"age\": {\"limit\": 45, \"inclusive\": false,"
    "  \"reference_date\": \"2021-01-01\"},"
    " \"title_rule\": {\"min_level\": \"正高\", \"counts\": \"either\"},"
    " \"report_window\": {\"years\": 3},"
    " \"exclusion\": {\"prior_leader\": []},"
    " \"conditions\": [{\"no\": 1, \"zh\": \"甲\", \"en\": \"a\","
    "  \"evidence\": \"documentary\"}],"
    " \"categories\": [{\"key\": \"a\", \"zh\": \"甲类\", \"en\": \"A\","
    "  \"relax\": []}, {\"key\": \"b\", \"zh\": \"乙类\", \"en\": \"B\","
    "  \"relax\": [\"age\"]}],"
    " \"quotas\": {\"stated_parts\": 2, \"parts\": ["
    "  {\"code\": \"a\", \"category\": \"a\","
    "   \"name\": {\"zh\": \"甲\", \"en\": \"A\"}, \"limit\": 3,"
    "   \"reserved_seats\": false, \"children\": ["
    "    {\"code\": \"a.1\", \"name\": {\"zh\": \"甲一\", \"en\": \"A1\"},"
    "     \"limit\": 2, \"holders\": [\"140212\"]},"
    "    {\"code\": \"a.2\", \"name\": {\"zh\": \"甲二\", \"en\": \"A2\"},"
    "     \"limit\": 1, \"holders\": [\"140213\"]}]},"
    "  {\"code\": \"b\", \"category\": \"b\","
    "   \"name\": {\"zh\": \"乙\", \"en\": \"B\"}, \"limit\": 2,"
    "   \"reserved_seats\": true, \"children\": ["
    "    {\"code\": \"b.x\", \"name\": {\"zh\": \"乙x\", \"en\": \"Bx\"},"
    "     \"holders\": [\"140212\", \"140213\"]},"
    "    {\"code\": \"b.y\", \"name\": {\"zh\": \"乙y\", \"en\": \"By\"},"
    "     \"limit\": 1, \"holders\": [\"etdz\"]}]}]},"
    " \"materials\": []}\n";

static void
test_round__check_consistent_round_is_clean(void)
{
	struct core_round *r = NULL;
	struct core_round_finding *f = NULL;
	char err[512], *bad;
	size_t n = 9;

	CHECK_INT(core_round_parse(consistent, strlen(consistent), &r, err,
	                           sizeof(err)),
	          0);
	if (!r) {
		test_fail(__FILE__, __LINE__, "parse: %s", err);
		return;
	}
	CHECK_STR(r->age_ref_date, "2021-01-01");
	CHECK_STR(r->window_ref_date, "2021-06-30");
	CHECK_INT(r->deadline_ms, 1625072400999LL);
	CHECK_INT(r->exclude_city, 0);
	CHECK_INT(core_round_check(r, &f, &n), 0);
	CHECK_INT(n, 0);
	CHECK(f == NULL);
	core_round_free(r);

	/* sub-caps of a shared pool above the pool; a reserved-seat total
	 * above the target; neither is fixed, both are reported */
	bad = strdup(consistent);
	if (!bad)
		exit(1);
	memcpy(strstr(bad, "\"limit\": 1, \"holders\": [\"etdz\"]") + 9, "3",
	       1);
	memcpy(strstr(bad, "\"target\": 4") + 10, "1", 1);
	CHECK_INT(core_round_parse(bad, strlen(bad), &r, err, sizeof(err)), 0);
	CHECK_INT(core_round_check(r, &f, &n), 0);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_STR(f[0].kind, "breakdown");
		CHECK_STR(f[0].node, "b");
		CHECK_INT(f[0].sum, 3);
		CHECK(strstr(f[0].message, "shared pool") != NULL);
		CHECK_STR(f[1].kind, "total");
		CHECK_STR(f[1].issue, "");
		CHECK(strstr(f[1].message, "reserved seats: 2") != NULL);
	}
	free(f);
	core_round_free(r);
	free(bad);
}

static const struct test_case tests_round[] = {
    {"round__datong_definition", test_round__datong_definition},
    {"round__init_loads_reference", test_round__init_loads_reference},
    {"round__load_is_admin_only_and_immutable",
     test_round__load_is_admin_only_and_immutable},
    {"round__loader_rejects_with_path", test_round__loader_rejects_with_path},
    {"round__check_finds_the_notice_inconsistencies",
     test_round__check_finds_the_notice_inconsistencies},
    {"round__check_consistent_round_is_clean",
     test_round__check_consistent_round_is_clean},
    {NULL, NULL},
};
TEST_REGISTER(tests_round)
