/* Shared fixtures of the unit tests (tests/lib/fixture.h). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"

int
fixture_panel_pass(struct core *owner, struct core *expert, int64_t id,
		   int city)
{
	return fixture_panel_pass_in(owner, expert, id, city,
				     city ? "评委会" : "组一");
}

int
fixture_panel_pass_in(struct core *owner, struct core *expert, int64_t id,
		      int city, const char *name)
{
	struct core_panel_new p = {name,
				   city ? CORE_PANEL_CITY : CORE_PANEL_LOCAL,
				   CORE_PANEL_MEAN, "merit:10", "6", 1};
	struct core_score s = {"merit", "10"};
	int r;

	r = core_panel_create(owner, &p, NULL, NULL);
	if (r != 0 && r != CORE_EEXIST)
		return r;
	if (r == 0 &&
	    (r = core_panel_add_member(owner, name, "expert_zhou", NULL)) != 0)
		return r;
	if ((r = core_panel_assign(owner, name, id, NULL, NULL, NULL)) != 0 ||
	    (r = fixture_unlock(expert)) != 0 ||
	    (r = core_panel_declare(expert, name, id, NULL, NULL)) != 0 ||
	    (r = core_panel_score(expert, name, id, &s, 1, NULL, NULL)) != 0)
		return r;
	return 0;
}

void
fixture_id_number(const char *ymd, int seq, char out[19])
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6,
				  3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;

	snprintf(out, 19, "140213%.8s%03d", ymd, seq % 1000);
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

struct core *
fixture_open_as(const char *dir, const char *login,
		int64_t (*clock)(void *ctx))
{
	struct core *c = NULL;
	char err[256];

	if (core_open(&c, dir, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "open %s: %s", dir, err);
		exit(1);
	}
	if (login && core_act_as(c, login) != 0) {
		test_fail(__FILE__, __LINE__, "act as %s: %s", login,
			  core_errmsg(c));
		exit(1);
	}
	if (clock)
		core_set_clock(c, clock, NULL);
	return c;
}

static void
demo_account(void *ctx, const char *login, const char *role,
	     const char *unit, const char *password, const char *name)
{
	struct fixture_demo *d = ctx;

	(void)role;
	(void)unit;
	(void)name;
	if (d->n < 32) {
		snprintf(d->login[d->n], sizeof(d->login[0]), "%s", login);
		snprintf(d->password[d->n], sizeof(d->password[0]), "%s",
			 password);
		d->n++;
	}
}

void
fixture_demo(struct fixture_demo *d)
{
	char err[256];

	memset(d, 0, sizeof(*d));
	snprintf(d->dir, sizeof(d->dir), "%s/data", test_tmpdir());
	if (core_init_dir(d->dir, 1, demo_account, d, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
}

const char *
fixture_demo_password(const struct fixture_demo *d, const char *login)
{
	for (int i = 0; i < d->n; i++) {
		if (strcmp(d->login[i], login) == 0) {
			return d->password[i];
		}
	}
	return "";
}

long long
fixture_db_count(const char *dir, const char *sql)
{
	char path[600];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long n = -1;

	snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
		    SQLITE_OK &&
	    sqlite3_busy_timeout(db, 10000) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

void
fixture_db_exec(const char *dir, const char *sql)
{
	char path[600];
	sqlite3 *db = NULL;

	snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "sql: %s", sqlite3_errmsg(db));
	}
	sqlite3_close(db);
}

int
fixture_complete(struct core *c, int64_t id, const char *idn)
{
	struct core_field_value v[6];

	v[0] = (struct core_field_value){"id_number", idn};
	v[1] = (struct core_field_value){"title_level", "正高级"};
	v[2] = (struct core_field_value){"channel", "单位推荐"};
	v[3] = (struct core_field_value){"quota_category", "综合"};
	v[4] = (struct core_field_value){"prior_leader", "无"};
	v[5] = (struct core_field_value){"condition.4", "市级重点项目负责人"};
	return core_nominee_edit(c, id, v, 6, NULL);
}

int
fixture_unlock(struct core *c)
{
	const struct core_user *u = core_actor(c);
	char pw[96];
	int unlocked = 0, r;

	if (!u)
		return CORE_EPERM;
	setenv("NOMDESK_KDF", "interactive", 0);
	snprintf(pw, sizeof(pw), "fixture 口令 of %s", u->login);
	if ((r = core_key_enrolled(c, &unlocked)) < 0)
		return r;
	if (r == 0 && (r = core_key_enroll(c, u->login, pw, NULL)) != 0)
		return r;
	return unlocked ? 0 : core_key_unlock(c, pw, 1);
}

static int
trail_head(void *ctx, const struct core_trail_head *h)
{
	((struct fixture_trail *)ctx)->h = *h;
	return 0;
}

static int
trail_item(void *ctx, const struct core_trail_item *t)
{
	struct fixture_trail *tr = ctx;
	struct core_trail_item *p = realloc(tr->it, (tr->n + 1) * sizeof(*p));

	if (!p)
		return -1;
	tr->it = p;
	tr->it[tr->n++] = *t;
	return 0;
}

int
fixture_trail_get(struct core *c, int64_t id, struct fixture_trail *tr)
{
	memset(tr, 0, sizeof(*tr));
	return core_audit_trail(c, id, trail_head, trail_item, tr);
}

const struct core_trail_item *
fixture_trail_find(const struct fixture_trail *tr, const char *action,
		   int nth)
{
	for (size_t i = 0; i < tr->n; i++)
		if (strcmp(tr->it[i].action, action) == 0 && nth-- == 0)
			return &tr->it[i];
	return NULL;
}
