/*
 * One output contract for every CLI listing, through the real binary:
 * --format text|csv|json on unit list, quota, stats, round show|check,
 * panel list|result|scores and nominee item list.  JSON is parsed with
 * json-c (valid, an array of objects, the stable keys, numbers as
 * numbers, flags as booleans); CSV starts with the byte order mark and
 * its header row; a bad format is refused with one line naming the
 * allowed values and a non-zero exit; a stored string carrying ESC or a
 * bidi override never comes out raw.
 *
 * The data: `init --demo`, then one nominee with one dated item and a
 * local panel, made through core in this process (no server is needed).
 */
#include <json-c/json.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/lib/desk.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"

static struct desk dk;

/* 2020-11-02 10:00 +08:00 */
static int64_t
test_clock(void *ctx)
{
	(void)ctx;
	return 1604282400000LL;
}

static void
setup(void)
{
	struct sshclient_cmd res;
	const char *init[] = {"--data", dk.data, "init", "--demo", NULL};
	struct core_nominee_new n = {"李明", "男", "1975-03-02", "主任医师",
	                             NULL};
	struct core_item it;
	struct core_panel_new p = {
	    "组一", CORE_PANEL_LOCAL, CORE_PANEL_MEAN, NULL, NULL, 0};
	struct core *c;
	int64_t id = 0;

	memset(&dk, 0, sizeof(dk));
	snprintf(dk.data, sizeof(dk.data), "%s/data", test_tmpdir());
	if (sshclient_cli(&res, 60000, init) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", res.err);
		exit(1);
	}
	sshclient_cmd_release(&res);
	c = fixture_open_as(dk.data, "pc_clerk", test_clock);
	CHECK_INT(core_nominee_add(c, &n, &id, NULL), 0);
	CHECK_INT(id, 1);
	memset(&it, 0, sizeof(it));
	snprintf(it.kind, sizeof(it.kind), "work");
	snprintf(it.date_from, sizeof(it.date_from), "2010-01");
	snprintf(it.title, sizeof(it.title), "市第一人民医院 主任医师");
	if (core_item_add(c, 1, &it, NULL) != 0) {
		test_fail(__FILE__, __LINE__, "item: %s", core_errmsg(c));
	}
	core_close(c);
	c = fixture_open_as(dk.data, "pingcheng_hr", test_clock);
	if (core_panel_create(c, &p, NULL, NULL) != 0) {
		test_fail(__FILE__, __LINE__, "panel: %s", core_errmsg(c));
	}
	core_close(c);
}

/* Runs `nomdesk --data DIR args...`; the exit status, output in res. */
#define RUN(res, ...)                                                          \
	desk_cli(&dk, (res), (const char *const[]){__VA_ARGS__, NULL})

/* stdout parsed as JSON (NULL, and a failure, if it is not). */
static json_object *
parse_json(const struct sshclient_cmd *res, const char *what)
{
	json_object *o = res->out ? json_tokener_parse(res->out) : NULL;

	if (!o) {
		test_fail(__FILE__, __LINE__, "%s: not JSON: %s", what,
		          res->out ? res->out : "(none)");
	}
	return o;
}

static const char *
str_of(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string)) {
		return NULL;
	}
	return json_object_get_string(v);
}

/* The value of key if it is an integer, else -999. */
static long long
int_of(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int)) {
		return -999;
	}
	return json_object_get_int64(v);
}

/* The type of key's value (json_type_null if missing too). */
static json_type
type_of(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v)) {
		return (json_type)-1;
	}
	return json_object_get_type(v);
}

/* The first element of array a whose key is value, or NULL. */
static json_object *
find(json_object *a, const char *key, const char *value)
{
	size_t i;

	if (!a || !json_object_is_type(a, json_type_array)) {
		return NULL;
	}
	for (i = 0; i < json_object_array_length(a); i++) {
		json_object *e = json_object_array_get_idx(a, i);
		const char *s = str_of(e, key);

		if (s && strcmp(s, value) == 0) {
			return e;
		}
	}
	return NULL;
}

static void
test_e2e__cli_formats_json(void)
{
	struct sshclient_cmd res;
	json_object *a, *e;

	setup();

	CHECK_INT(RUN(&res, "unit", "list", "--format", "json"), 0);
	a = parse_json(&res, "unit list");
	CHECK((e = find(a, "code", "140213")) != NULL);
	CHECK_STR(str_of(e, "name"), "平城区");
	CHECK_STR(str_of(e, "kind"), "county");
	CHECK_STR(str_of(e, "parent"), "1402");
	json_object_put(a);
	sshclient_cmd_release(&res);

	CHECK_INT(
	    RUN(&res, "quota", "--as", "pingcheng_hr", "--format", "json"), 0);
	a = parse_json(&res, "quota");
	CHECK((e = find(a, "node", "grassroots.140213")) != NULL);
	CHECK_STR(str_of(e, "holder"), "140213");
	CHECK_STR(str_of(e, "holder_name"), "平城区");
	CHECK_STR(str_of(e, "category"), "grassroots");
	CHECK_INT(int_of(e, "limit"), 1);
	CHECK_INT(int_of(e, "count"), 0);
	CHECK(type_of(e, "uncapped") == json_type_boolean);
	CHECK(type_of(e, "per_holder") == json_type_boolean);
	/* uncapped: no figure (null), and the flag says why */
	CHECK((e = find(a, "node", "general.exceptional")) != NULL);
	CHECK(type_of(e, "limit") == json_type_null);
	CHECK(e &&
	      json_object_get_boolean(json_object_object_get(e, "uncapped")));
	json_object_put(a);
	sshclient_cmd_release(&res);

	CHECK_INT(
	    RUN(&res, "stats", "--as", "pingcheng_hr", "--format", "json"), 0);
	a = parse_json(&res, "stats");
	CHECK((e = find(a, "key", "140213-e001")) != NULL);
	CHECK_STR(str_of(e, "dimension"), "unit");
	CHECK_INT(int_of(e, "count"), 1);
	CHECK((e = find(a, "key", "draft")) != NULL);
	CHECK_STR(str_of(e, "dimension"), "state");
	CHECK((e = find(a, "dimension", "total")) != NULL);
	CHECK_INT(int_of(e, "count"), 1);
	json_object_put(a);
	sshclient_cmd_release(&res);

	/* findings exit 1 unless --warn-only; the JSON is whole either way */
	CHECK_INT(RUN(&res, "round", "check", "--format", "json"), 1);
	a = parse_json(&res, "round check");
	CHECK((e = find(a, "issue", "I-2")) != NULL);
	CHECK_STR(str_of(e, "node"), "general.city");
	CHECK_INT(int_of(e, "stated"), 70);
	CHECK_INT(int_of(e, "sum"), 82);
	json_object_put(a);
	sshclient_cmd_release(&res);

	CHECK_INT(RUN(&res, "round", "show", "--format", "json"), 0);
	a = parse_json(&res, "round show");
	CHECK(a && json_object_is_type(a, json_type_object));
	CHECK_INT(int_of(a, "target"), 44);
	CHECK_STR(str_of(a, "code"), "datong-2020");
	json_object_put(a);
	sshclient_cmd_release(&res);

	CHECK_INT(RUN(&res, "nominee", "item", "list", "1", "--as", "pc_clerk",
	              "--format", "json"),
	          0);
	a = parse_json(&res, "item list");
	CHECK((e = find(a, "kind", "work")) != NULL);
	CHECK_STR(str_of(e, "title"), "市第一人民医院 主任医师");
	CHECK_STR(str_of(e, "from"), "2010-01");
	CHECK(int_of(e, "id") > 0);
	CHECK(type_of(e, "outside_window") == json_type_boolean);
	json_object_put(a);
	sshclient_cmd_release(&res);

	CHECK_INT(RUN(&res, "panel", "list", "--as", "pingcheng_hr", "--format",
	              "json"),
	          0);
	a = parse_json(&res, "panel list");
	CHECK((e = find(a, "name", "组一")) != NULL);
	CHECK_STR(str_of(e, "level"), "local");
	CHECK_STR(str_of(e, "owner"), "140213");
	CHECK_INT(int_of(e, "quorum"), 3);
	json_object_put(a);
	sshclient_cmd_release(&res);

	/* nothing assigned yet: an empty array, still JSON */
	CHECK_INT(RUN(&res, "panel", "result", "组一", "--as", "pingcheng_hr",
	              "--format", "json"),
	          0);
	a = parse_json(&res, "panel result");
	CHECK(a && json_object_is_type(a, json_type_array) &&
	      json_object_array_length(a) == 0);
	json_object_put(a);
	sshclient_cmd_release(&res);
}

/* stdout starts with the byte order mark and this header line. */
static void
check_csv(const struct sshclient_cmd *res, const char *header, const char *row,
          int line)
{
	size_t hl = strlen(header);

	if (!res->out || strncmp(res->out, "\xEF\xBB\xBF", 3) != 0 ||
	    strncmp(res->out + 3, header, hl) != 0 ||
	    strncmp(res->out + 3 + hl, "\r\n", 2) != 0) {
		test_fail(__FILE__, line, "CSV header is not %s: %.200s",
		          header, res->out ? res->out : "(none)");
	}
	if (row && (!res->out || !strstr(res->out, row))) {
		test_fail(__FILE__, line, "no CSV row %s", row);
	}
}

static void
test_e2e__cli_formats_csv(void)
{
	struct sshclient_cmd res;

	setup();
	CHECK_INT(RUN(&res, "unit", "list", "--format", "csv"), 0);
	check_csv(&res, "\"code\",\"name\",\"kind\",\"parent\"",
	          "\"140213\",\"平城区\",\"county\",\"1402\"\r\n", __LINE__);
	sshclient_cmd_release(&res);

	CHECK_INT(RUN(&res, "quota", "--format", "csv"), 0);
	check_csv(&res,
	          "\"node\",\"category\",\"category_name\",\"name\","
	          "\"holder\",\"holder_name\",\"per_holder\",\"limit\","
	          "\"uncapped\",\"count\"",
	          "\"grassroots.140213\",\"grassroots\",\"基层专项\","
	          "\"平城区\",\"140213\",\"平城区\",\"0\",\"1\",\"0\",\"0\""
	          "\r\n",
	          __LINE__);
	sshclient_cmd_release(&res);

	CHECK_INT(RUN(&res, "stats", "--as", "pingcheng_hr", "--format", "csv"),
	          0);
	check_csv(&res, "\"dimension\",\"key\",\"label\",\"count\"",
	          "\"state\",\"draft\",", __LINE__);
	sshclient_cmd_release(&res);

	CHECK_INT(RUN(&res, "round", "check", "--format", "csv", "--warn-only"),
	          0);
	check_csv(
	    &res, "\"issue\",\"kind\",\"node\",\"stated\",\"sum\",\"message\"",
	    "\"I-2\",\"breakdown\",\"general.city\",\"70\",\"82\",", __LINE__);
	sshclient_cmd_release(&res);

	CHECK_INT(RUN(&res, "nominee", "item", "list", "1", "--as", "pc_clerk",
	              "--format", "csv"),
	          0);
	check_csv(&res,
	          "\"id\",\"kind\",\"from\",\"to\",\"title\",\"detail\","
	          "\"outside_window\"",
	          ",\"work\",\"2010-01\",\"\",\"市第一人民医院 主任医师\"",
	          __LINE__);
	sshclient_cmd_release(&res);

	CHECK_INT(RUN(&res, "panel", "list", "--as", "pingcheng_hr", "--format",
	              "csv"),
	          0);
	check_csv(&res,
	          "\"id\",\"name\",\"level\",\"owner\",\"rule\","
	          "\"threshold\",\"quorum\",\"members\",\"criteria\"",
	          ",\"组一\",\"local\",\"140213\",\"mean\",", __LINE__);
	sshclient_cmd_release(&res);

	/* no rows: the header alone */
	CHECK_INT(RUN(&res, "panel", "result", "组一", "--as", "pingcheng_hr",
	              "--format", "csv"),
	          0);
	check_csv(&res,
	          "\"nominee\",\"name\",\"unit\",\"state\",\"assigned\","
	          "\"recused\",\"scored\",\"mean\",\"yes\",\"outcome\"",
	          NULL, __LINE__);
	CHECK(res.out && strlen(res.out) == 3 + strlen("\"nominee\",\"name\","
	                                               "\"unit\",\"state\","
	                                               "\"assigned\","
	                                               "\"recused\",\"scored\","
	                                               "\"mean\",\"yes\","
	                                               "\"outcome\"\r\n"));
	sshclient_cmd_release(&res);
}

/* Refused: non-zero, nothing on stdout, one line naming the values. */
static void
check_refused(const struct sshclient_cmd *res, int status, const char *values,
              int line)
{
	const char *nl = res->err ? strchr(res->err, '\n') : NULL;

	if (status == 0 || (res->out && res->out[0])) {
		test_fail(__FILE__, line, "bad format accepted: %d %s", status,
		          res->out ? res->out : "");
	}
	if (!res->err || !strstr(res->err, values) ||
	    !strstr(res->err, "--format") || !nl || nl[1] != '\0') {
		test_fail(__FILE__, line, "want one line naming %s, got: %s",
		          values, res->err ? res->err : "(none)");
	}
}

static void
test_e2e__cli_formats_bad_format_refused(void)
{
	static const char all[] = "must be text, csv or json, not 'xml'";
	struct sshclient_cmd res;
	int st;

	setup();
	st = RUN(&res, "unit", "list", "--format", "xml");
	check_refused(&res, st, all, __LINE__);
	sshclient_cmd_release(&res);
	st = RUN(&res, "quota", "--format", "xml");
	check_refused(&res, st, all, __LINE__);
	sshclient_cmd_release(&res);
	st = RUN(&res, "stats", "--as", "pingcheng_hr", "--format", "xml");
	check_refused(&res, st, all, __LINE__);
	sshclient_cmd_release(&res);
	st = RUN(&res, "round", "check", "--format", "xml");
	check_refused(&res, st, all, __LINE__);
	sshclient_cmd_release(&res);
	st = RUN(&res, "nominee", "item", "list", "1", "--as", "pc_clerk",
	         "--format", "xml");
	check_refused(&res, st, all, __LINE__);
	sshclient_cmd_release(&res);
	st = RUN(&res, "panel", "list", "--as", "pingcheng_hr", "--format",
	         "xml");
	check_refused(&res, st, all, __LINE__);
	sshclient_cmd_release(&res);
	st = RUN(&res, "panel", "scores", "组一", "1", "--as", "pingcheng_hr",
	         "--format", "xml");
	check_refused(&res, st, all, __LINE__);
	sshclient_cmd_release(&res);
	/* a round is a document: text or JSON, and the line says why */
	st = RUN(&res, "round", "show", "--format", "csv");
	check_refused(&res, st, "must be text or json, not 'csv'", __LINE__);
	CHECK(res.err && strstr(res.err, "nested document") != NULL);
	sshclient_cmd_release(&res);
	st = RUN(&res, "round", "show", "--format", "xml");
	check_refused(&res, st, "must be text or json, not 'xml'", __LINE__);
	sshclient_cmd_release(&res);
}

/* Writes names no core path would accept, as a tampered or legacy
 * database could hold them. */
static void
tamper(void)
{
	char path[600];
	sqlite3 *db = NULL;
	char *err = NULL;

	snprintf(path, sizeof(path), "%s/nomdesk.db", dk.data);
	CHECK_INT(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
	          SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_exec(db,
	                 "UPDATE unit SET name = '平城' || char(27) || "
	                 "'[2J区' || char(8238) || 'evil' WHERE code = "
	                 "'140213';"
	                 "UPDATE unit SET name = '医院' || char(27) || "
	                 "']0;title' || char(7) WHERE code = '140213-e001';",
	                 NULL, NULL, &err) != SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "tamper: %s", err);
	}
	sqlite3_free(err);
	sqlite3_close(db);
}

/* No ESC, BEL or U+202E byte sequence in s; the placeholders instead. */
static void
check_clean(const char *s, const char *what, int line)
{
	if (!s || strchr(s, 0x1b) || strchr(s, 0x07) ||
	    strstr(s, "\xE2\x80\xAE")) {
		test_fail(__FILE__, line, "%s: raw control in output", what);
	}
	if (s && !strstr(s, "<U+001B>")) {
		test_fail(__FILE__, line, "%s: no <U+001B> placeholder", what);
	}
}

static void
test_e2e__cli_formats_stored_controls_not_raw(void)
{
	struct sshclient_cmd res;
	json_object *a, *e;
	const char *name;

	setup();
	tamper();
	CHECK_INT(RUN(&res, "unit", "list"), 0);
	check_clean(res.out, "unit list", __LINE__);
	CHECK(res.out && strstr(res.out, "<U+202E>") != NULL);
	sshclient_cmd_release(&res);
	CHECK_INT(RUN(&res, "unit", "list", "--format", "csv"), 0);
	check_clean(res.out, "unit list csv", __LINE__);
	sshclient_cmd_release(&res);
	CHECK_INT(RUN(&res, "quota"), 0);
	check_clean(res.out, "quota", __LINE__);
	sshclient_cmd_release(&res);
	CHECK_INT(RUN(&res, "stats", "--as", "pingcheng_hr"), 0);
	check_clean(res.out, "stats", __LINE__);
	CHECK(res.out && strstr(res.out, "<U+0007>") != NULL);
	sshclient_cmd_release(&res);
	CHECK_INT(
	    RUN(&res, "stats", "--as", "pingcheng_hr", "--format", "json"), 0);
	check_clean(res.out, "stats json", __LINE__);
	sshclient_cmd_release(&res);
	/* JSON: valid, and the parsed value holds no control either */
	CHECK_INT(RUN(&res, "unit", "list", "--format", "json"), 0);
	a = parse_json(&res, "unit list");
	e = find(a, "code", "140213");
	name = e ? str_of(e, "name") : NULL;
	CHECK(name && !strchr(name, 0x1b) && strstr(name, "<U+001B>") &&
	      strstr(name, "<U+202E>"));
	json_object_put(a);
	sshclient_cmd_release(&res);
}

static const struct test_case tests_cli_formats[] = {
    {"e2e__cli_formats_json", test_e2e__cli_formats_json},
    {"e2e__cli_formats_csv", test_e2e__cli_formats_csv},
    {"e2e__cli_formats_bad_format_refused",
     test_e2e__cli_formats_bad_format_refused},
    {"e2e__cli_formats_stored_controls_not_raw",
     test_e2e__cli_formats_stored_controls_not_raw},
    {NULL, NULL},
};
TEST_REGISTER(tests_cli_formats)
