/*
 * Dated dossier items and the materials checklist: validated, scoped,
 * each a new audited version, research older than the report window
 * flagged, and an addition after the pledge voids it.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"

static char dir[512];

static struct core *
as(const char *login)
{
	return fixture_open_as(dir, login, NULL);
}

static int64_t
setup(void)
{
	struct core_nominee_new n = {"李明", "男", "1975-03-02", "主任医师",
				     NULL};
	struct core *c;
	char err[256];
	int64_t id = 0;

	snprintf(dir, sizeof(dir), "%s/data", test_tmpdir());
	if (core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
	c = as("pc_clerk");
	CHECK_INT(core_nominee_add(c, &n, &id, NULL), 0);
	core_close(c);
	return id;
}

static int
collect(void *ctx, const struct core_item *it)
{
	struct core_item *out = ctx;

	for (int i = 0; i < 8; i++) {
		if (out[i].id == 0) {
			out[i] = *it;
			break;
		}
	}
	return 0;
}

static void
test_items__add_list_window_and_scope(void)
{
	static struct core_item in[3], got[8];
	struct core_receipt rc;
	struct core *c;
	int64_t id = setup();

	snprintf(in[0].kind, sizeof(in[0].kind), "research");
	snprintf(in[0].date_from, sizeof(in[0].date_from), "2013-05");
	snprintf(in[0].title, sizeof(in[0].title), "早年论文");
	snprintf(in[1].kind, sizeof(in[1].kind), "performance");
	snprintf(in[1].date_from, sizeof(in[1].date_from), "2019-03-01");
	snprintf(in[1].date_to, sizeof(in[1].date_to), "2020-06-30");
	snprintf(in[1].title, sizeof(in[1].title), "市级重点项目");
	snprintf(in[2].kind, sizeof(in[2].kind), "work");
	snprintf(in[2].date_from, sizeof(in[2].date_from), "1998-07");
	snprintf(in[2].title, sizeof(in[2].title), "平城区中心医院");
	c = as("pc_clerk");
	for (int i = 0; i < 3; i++)
		CHECK_INT(core_item_add(c, id, &in[i], &rc), 0);
	CHECK_INT(core_item_list(c, id, collect, got), 0);
	core_close(c);
	/* by kind, then date: performance, research, work */
	CHECK_STR(got[0].kind, "performance");
	CHECK_INT(got[0].outside_window, 0);
	CHECK_STR(got[1].kind, "research");
	CHECK_INT(got[1].outside_window, 1); /* before 2015-12-15 */
	CHECK_STR(got[2].kind, "work");
	CHECK_INT(got[2].outside_window, 0); /* work history is not judged */

	c = as("yungang_hr");
	memset(got, 0, sizeof(got));
	CHECK_INT(core_item_list(c, id, collect, got), CORE_ENOENT);
	CHECK_INT(core_item_add(c, id, &in[0], NULL), CORE_ENOENT);
	core_close(c);
}

static void
test_items__bad_input_names_field(void)
{
	struct core_item it;
	struct core *c;
	int64_t id = setup();

	c = as("pc_clerk");
	memset(&it, 0, sizeof(it));
	snprintf(it.kind, sizeof(it.kind), "hobby");
	CHECK_INT(core_item_add(c, id, &it, NULL), CORE_EINVAL);
	CHECK_STR(core_errfield(c), "kind");
	snprintf(it.kind, sizeof(it.kind), "research");
	snprintf(it.date_from, sizeof(it.date_from), "2019-13");
	CHECK_INT(core_item_add(c, id, &it, NULL), CORE_EINVAL);
	CHECK_STR(core_errfield(c), "date_from");
	snprintf(it.date_from, sizeof(it.date_from), "2019-03-01");
	snprintf(it.date_to, sizeof(it.date_to), "2018-01-01");
	CHECK_INT(core_item_add(c, id, &it, NULL), CORE_EINVAL);
	CHECK_STR(core_errfield(c), "date_to");
	it.date_to[0] = '\0';
	snprintf(it.title, sizeof(it.title), "论文\xe2\x80\xae");
	CHECK_INT(core_item_add(c, id, &it, NULL), CORE_EINVAL);
	CHECK_STR(core_errfield(c), "title");
	CHECK_INT(core_material_set(c, id, "bogus", 1, 0, NULL), CORE_EINVAL);
	CHECK_INT(core_material_set(c, id, "pledge", 100, 0, NULL),
		  CORE_EINVAL);
	core_close(c);
}

static void
test_items__material_is_a_new_version(void)
{
	struct core_dossier *d = calloc(1, sizeof(*d));
	struct core *c;
	int64_t id = setup();
	uint32_t v0;

	c = as("pc_clerk");
	CHECK_INT(core_nominee_get(c, id, d), 0);
	v0 = d->n.version;
	CHECK_INT(core_material_set(c, id, "technical_report", 5, 1, NULL), 0);
	CHECK_INT(core_nominee_get(c, id, d), 0);
	CHECK_INT(d->n.version, v0 + 1);
	/* the clerk of another county cannot record it */
	core_close(c);
	c = as("yg_clerk");
	CHECK_INT(core_material_set(c, id, "pledge", 1, 0, NULL), CORE_ENOENT);
	core_close(c);
	free(d);
}

static int
collect_mat(void *ctx, const struct core_material *m)
{
	struct core_material *out = ctx;

	for (int i = 0; i < 8; i++) {
		if (out[i].kind[0] == '\0') {
			out[i] = *m;
			break;
		}
	}
	return 0;
}

static void
test_items__materials_read_back_and_month_window(void)
{
	static struct core_material got[8];
	static struct core_item it, items[8];
	struct core *c;
	int64_t id = setup();

	c = as("pc_clerk");
	CHECK_INT(core_material_set(c, id, "certificates", 3, 1, NULL), 0);
	CHECK_INT(core_material_set(c, id, "registration_form", 1, 0, NULL),
		  0);
	CHECK_INT(core_material_set(c, id, "registration_form", 2, 0, NULL),
		  0);
	CHECK_INT(core_material_list(c, id, collect_mat, got), 0);
	/* the checklist's order, the last record of each, and who */
	CHECK_STR(got[0].kind, "registration_form");
	CHECK_INT(got[0].copies, 2);
	CHECK_INT(got[0].original_sighted, 0);
	CHECK_STR(got[0].by, "pc_clerk");
	CHECK(got[0].seq > 0 && got[0].at_ms > 0);
	CHECK_STR(got[1].kind, "certificates");
	CHECK_INT(got[1].copies, 3);
	CHECK_INT(got[1].original_sighted, 1);
	CHECK(got[1].seq < got[0].seq);
	CHECK(got[2].kind[0] == '\0');

	/* research ending in the cutoff's month (window from 2015-12-15)
	 * overlaps the window; a month earlier does not */
	snprintf(it.kind, sizeof(it.kind), "research");
	snprintf(it.date_from, sizeof(it.date_from), "2014-01");
	snprintf(it.date_to, sizeof(it.date_to), "2015-12");
	snprintf(it.title, sizeof(it.title), "跨入窗口的课题");
	CHECK_INT(core_item_add(c, id, &it, NULL), 0);
	snprintf(it.date_to, sizeof(it.date_to), "2015-11");
	snprintf(it.title, sizeof(it.title), "窗口之前的课题");
	CHECK_INT(core_item_add(c, id, &it, NULL), 0);
	CHECK_INT(core_item_list(c, id, collect, items), 0);
	for (int i = 0; i < 2; i++)
		CHECK_INT(items[i].outside_window,
			  strcmp(items[i].date_to, "2015-11") == 0);
	core_close(c);

	/* another county's clerk reads nothing of it */
	c = as("yg_clerk");
	memset(got, 0, sizeof(got));
	CHECK_INT(core_material_list(c, id, collect_mat, got), CORE_ENOENT);
	CHECK(got[0].kind[0] == '\0');
	core_close(c);
}

static const struct test_case tests_items[] = {
	{"items__add_list_window_and_scope",
	 test_items__add_list_window_and_scope},
	{"items__bad_input_names_field", test_items__bad_input_names_field},
	{"items__material_is_a_new_version",
	 test_items__material_is_a_new_version},
	{"items__materials_read_back_and_month_window",
	 test_items__materials_read_back_and_month_window},
	{NULL, NULL},
};
TEST_REGISTER(tests_items)
