/*
 * core/ through its public API on a real data directory: init, users,
 * nominees, authorization by unit, validation messages, and the rule that
 * every mutation and its audit entry commit together or not at all.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/core.h"
#include "core/schema.h"
#include "tests/lib/runner.h"

struct demo {
	char pw[16][32];
	char login[16][33];
	int n;
};

static void
collect(void *ctx, const char *login, const char *role, const char *unit,
	const char *password, const char *name)
{
	struct demo *d = ctx;

	(void)name;
	(void)role;
	(void)unit;
	snprintf(d->login[d->n], sizeof(d->login[0]), "%s", login);
	snprintf(d->pw[d->n], sizeof(d->pw[0]), "%s", password);
	d->n++;
}

static const char *
demo_dir(struct demo *d)
{
	static char dir[512];
	char err[256];

	snprintf(dir, sizeof(dir), "%s/data", test_tmpdir());
	memset(d, 0, sizeof(*d));
	if (core_init_dir(dir, 1, collect, d, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
	return dir;
}

static struct core *
open_as(const char *dir, const char *login)
{
	struct core *c = NULL;
	char err[256];

	if (core_open(&c, dir, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "open: %s", err);
		exit(1);
	}
	if (login && core_act_as(c, login) != 0) {
		test_fail(__FILE__, __LINE__, "act as %s: %s", login,
			  core_errmsg(c));
		exit(1);
	}
	return c;
}

static long long
count(const char *dir, const char *sql)
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

static int
count_cb(void *ctx, const struct core_nominee *n)
{
	(void)n;
	(*(int *)ctx)++;
	return 0;
}

static int
visible(struct core *c)
{
	int n = 0;

	CHECK_INT(core_nominee_list(c, count_cb, &n), 0);
	return n;
}

static const struct core_nominee_new good = {
	.name = "李明",
	.gender = "男",
	.birth_date = "1975-03-02",
	.title = "主任医师",
};

static void
test_core__init_layout(void)
{
	struct demo d;
	const char *dir = demo_dir(&d);
	char p[600], err[256];
	struct stat sb;

	CHECK(stat(dir, &sb) == 0 && (sb.st_mode & 0777) == 0700);
	snprintf(p, sizeof(p), "%s/keys/log.key", dir);
	CHECK(stat(p, &sb) == 0 && (sb.st_mode & 077) == 0);
	CHECK(d.n >= 8);
	{
		int want = 0;

		for (size_t i = 0; i < schema_n_migrations; i++)
			if (schema_migrations[i].version > want)
				want = schema_migrations[i].version;
		CHECK_INT(count(dir, "PRAGMA user_version"), want);
	}
	CHECK_INT(count(dir, "SELECT count(*) FROM unit WHERE kind='county'"),
		  10);
	/* every demo user and unit is an audited act; entry 0 names the key */
	CHECK_INT(count(dir, "SELECT count(*) FROM log_entry WHERE act=120 "
			     "AND subject LIKE 'user:%'"),
		  count(dir, "SELECT count(*) FROM user"));
	CHECK_INT(count(dir, "SELECT count(*) FROM log_entry WHERE act=120 "
			     "AND subject LIKE 'unit:%'"),
		  count(dir, "SELECT count(*) FROM unit WHERE kind='employer'"));
	CHECK_INT(count(dir, "SELECT act FROM log_entry WHERE seq = 0"), 110);
	CHECK_INT(count(dir, "SELECT max(size) FROM log_checkpoint"),
		  count(dir, "SELECT count(*) FROM log_entry"));
	/* init refuses an existing directory */
	CHECK_INT(core_init_dir(dir, 0, NULL, NULL, err, sizeof(err)),
		  CORE_EEXIST);
}

static void
test_core__nominee_add_is_audited(void)
{
	struct demo d;
	const char *dir = demo_dir(&d);
	struct core *c = open_as(dir, "pc_clerk");
	long long before = count(dir, "SELECT count(*) FROM log_entry");
	struct core_receipt rc;
	int64_t id = 0;

	CHECK_INT(core_nominee_add(c, &good, &id, &rc), 0);
	CHECK(id > 0);
	CHECK_INT(count(dir, "SELECT count(*) FROM log_entry"), before + 1);
	CHECK_INT(rc.seq, before);
	CHECK_INT(rc.tree_size, before + 1);
	CHECK_INT(count(dir, "SELECT seq FROM nominee"), rc.seq);
	CHECK_INT(count(dir, "SELECT count(*) FROM log_entry WHERE act=1 AND "
			     "subject='nominee:1' AND actor='pc_clerk'"),
		  1);
	CHECK_INT(count(dir, "SELECT count(*) FROM log_checkpoint WHERE "
			     "size = (SELECT count(*) FROM log_entry)"),
		  1);
	core_close(c);
}

static void
test_core__bad_input_names_field_and_writes_nothing(void)
{
	static const struct {
		struct core_nominee_new n;
		const char *field;
	} cases[] = {
		{{"", "男", "1975-03-02", "教授", NULL}, "name"},
		{{"李\xe2\x80\xae明", "男", "1975-03-02", "教授", NULL}, "name"},
		{{"李\x1b[2J明", "男", "1975-03-02", "教授", NULL}, "name"},
		/* "M" and "1975/02/03" are tidied into 男 and 1975-02-03
		 * (test_tidy.c); what no spelling makes valid is refused */
		{{"李明", "X", "1975-03-02", "教授", NULL}, "gender"},
		{{"李明", "女", "1975-02-30", "教授", NULL}, "birth_date"},
		{{"李明", "女", "1975/02/30", "教授", NULL}, "birth_date"},
		{{"李明", "女", "2999-01-01", "教授", NULL}, "birth_date"},
		{{"李明", "女", "1975-02-03", "", NULL}, "title"},
	};
	struct demo d;
	const char *dir = demo_dir(&d);
	struct core *c = open_as(dir, "pc_clerk");
	long long before = count(dir, "SELECT count(*) FROM log_entry");

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = core_nominee_add(c, &cases[i].n, NULL, NULL);

		CHECK_INT(r, CORE_EINVAL);
		CHECK_STR(core_errfield(c), cases[i].field);
		CHECK(strlen(core_errmsg(c)) > 0);
	}
	CHECK_INT(count(dir, "SELECT count(*) FROM nominee"), 0);
	CHECK_INT(count(dir, "SELECT count(*) FROM log_entry"), before);
	core_close(c);
}

static void
test_core__scope_by_county(void)
{
	struct demo d;
	const char *dir = demo_dir(&d);
	struct core *clerk = open_as(dir, "pc_clerk");
	struct core *pc = open_as(dir, "pingcheng_hr");
	struct core *yg = open_as(dir, "yungang_hr");
	struct core *ygc = open_as(dir, "yg_clerk");
	struct core *city = open_as(dir, "city_hr");
	struct core *aud = open_as(dir, "auditor");
	struct core *adm = open_as(dir, "admin");
	struct core *exp = open_as(dir, "expert_zhou");
	struct core_nominee_new other = good;

	CHECK_INT(core_nominee_add(clerk, &good, NULL, NULL), 0);
	CHECK_INT(visible(clerk), 1);
	CHECK_INT(visible(pc), 1);
	CHECK_INT(visible(city), 1);
	CHECK_INT(visible(aud), 1);
	CHECK_INT(visible(yg), 0);
	CHECK_INT(visible(ygc), 0);
	CHECK_INT(visible(adm), 0);
	CHECK_INT(visible(exp), 0);

	/* nominating into another county's unit is refused in core */
	other.unit = "140213-e001";
	CHECK_INT(core_nominee_add(yg, &other, NULL, NULL), CORE_EPERM);
	CHECK_INT(core_nominee_add(ygc, &other, NULL, NULL), CORE_EPERM);
	CHECK_INT(core_nominee_add(aud, &good, NULL, NULL), CORE_EPERM);
	CHECK_INT(core_nominee_add(adm, &good, NULL, NULL), CORE_EPERM);
	/* county HR may nominate for a unit under it */
	CHECK_INT(core_nominee_add(pc, &other, NULL, NULL), 0);
	CHECK_INT(visible(clerk), 2);
	CHECK_INT(visible(yg), 0);
	CHECK_INT(count(dir, "SELECT count(*) FROM nominee"), 2);

	core_close(clerk);
	core_close(pc);
	core_close(yg);
	core_close(ygc);
	core_close(city);
	core_close(aud);
	core_close(adm);
	core_close(exp);
}

static void
test_core__user_add_validation(void)
{
	struct demo d;
	const char *dir = demo_dir(&d);
	struct core *c = open_as(dir, NULL);
	struct core_user_new u = {"new_clerk", "黄河", CORE_ROLE_UNIT_CLERK,
				  "140213-e002", NULL};
	struct core_user_new bad = u;

	core_act_as_system(c, "root");
	CHECK_INT(core_user_add(c, &u, "s3cret-pass"), 0);
	CHECK_INT(core_user_add(c, &u, "s3cret-pass"), CORE_EEXIST);
	bad.login = "Bad Login";
	CHECK_INT(core_user_add(c, &bad, NULL), CORE_EINVAL);
	CHECK_STR(core_errfield(c), "login");
	bad = u;
	bad.login = "x2";
	bad.unit = "nowhere";
	CHECK_INT(core_user_add(c, &bad, NULL), CORE_EINVAL);
	CHECK_STR(core_errfield(c), "unit");
	/* a county clerk is not an administrator */
	CHECK_INT(core_act_as(c, "pc_clerk"), 0);
	bad = u;
	bad.login = "x3";
	CHECK_INT(core_user_add(c, &bad, NULL), CORE_EPERM);
	core_close(c);
}

static void
test_core__unit_add(void)
{
	struct demo d;
	const char *dir = demo_dir(&d);
	struct core *c = open_as(dir, "pc_clerk");
	struct core_unit u = {"140213-e101", "平城区示范学校", "employer",
			      "140213"};
	struct core_unit bad = u;
	long long before = count(dir, "SELECT count(*) FROM log_entry");

	CHECK_INT(core_unit_add(c, &u), CORE_EPERM);
	core_act_as_system(c, "root");
	snprintf(bad.parent, sizeof(bad.parent), "nowhere");
	CHECK_INT(core_unit_add(c, &bad), CORE_EINVAL);
	CHECK_STR(core_errfield(c), "parent");
	bad = u;
	snprintf(bad.code, sizeof(bad.code), "Bad Code");
	CHECK_INT(core_unit_add(c, &bad), CORE_EINVAL);
	CHECK_STR(core_errfield(c), "code");
	bad = u;
	snprintf(bad.kind, sizeof(bad.kind), "city");
	CHECK_INT(core_unit_add(c, &bad), CORE_EINVAL);
	CHECK_INT(count(dir, "SELECT count(*) FROM log_entry"), before);
	CHECK_INT(core_unit_add(c, &u), 0);
	CHECK_INT(core_unit_add(c, &u), CORE_EEXIST);
	CHECK_INT(count(dir, "SELECT count(*) FROM log_entry WHERE subject = "
			     "'unit:140213-e101'"),
		  1);
	/* the new unit is under 平城区: its HR may nominate for it */
	CHECK_INT(core_act_as(c, "pingcheng_hr"), 0);
	{
		struct core_nominee_new n = good;

		n.unit = "140213-e101";
		CHECK_INT(core_nominee_add(c, &n, NULL, NULL), 0);
		CHECK_INT(core_act_as(c, "yungang_hr"), 0);
		CHECK_INT(core_nominee_add(c, &n, NULL, NULL), CORE_EPERM);
	}
	core_close(c);
}

static const struct test_case tests_core[] = {
	{"core__unit_add", test_core__unit_add},
	{"core__init_layout", test_core__init_layout},
	{"core__nominee_add_is_audited", test_core__nominee_add_is_audited},
	{"core__bad_input_names_field_and_writes_nothing",
	 test_core__bad_input_names_field_and_writes_nothing},
	{"core__scope_by_county", test_core__scope_by_county},
	{"core__user_add_validation", test_core__user_add_validation},
	{NULL, NULL},
};
TEST_REGISTER(tests_core)
