/*
 * The home menu's read-only screens over a real SSH session: quota usage
 * (o), the round (r) and counts (s).  A nominee of 平城区 is added and
 * edited with the CLI, then taken to "reported" (the report holds a
 * quota slot) through core with a test clock: the local notice runs five
 * days, which the CLI cannot wait for.  The county HR then sees its
 * quota rows with the slot counted, the round's target, deadline and the
 * notice's own inconsistencies, and the state counts; an English user
 * sees the same screens in English; an expert is refused the counts by
 * core.
 */
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/lib/desk.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"
#include "tests/lib/vt.h"

static struct desk dk;
static int64_t now_ms;

/* 2020-11-02 10:00 +08:00, within the round's report window */
#define T0 1604282400000LL
#define DAY 86400000LL

static int64_t
test_clock(void *ctx)
{
	(void)ctx;
	return now_ms;
}

static void
pass_of(const char *login, char out[64])
{
	snprintf(out, 64, "signing words of %s", login);
}

static void
act(const char *login, int64_t id, const char *action)
{
	static const char scan[] = "scan of the signed pledge form";
	struct core *c = fixture_open_as(dk.data, login, test_clock);
	struct core_act_opts o = {0};
	uint8_t d[1][32];
	char pw[64];

	pass_of(login, pw);
	if (core_key_enrolled(c, NULL) && core_key_unlock(c, pw, 1) != 0) {
		test_fail(__FILE__, __LINE__, "unlock %s: %s", login,
		          core_errmsg(c));
	}
	if (strcmp(action, "pledge_paper") == 0) {
		CHECK_INT(core_doc_store(c, scan, sizeof(scan) - 1, d[0]), 0);
		o.attach = (const uint8_t(*)[32])d;
		o.n_attach = 1;
	}
	if (core_act_ex(c, id, action, NULL, &o, NULL) != 0) {
		test_fail(__FILE__, __LINE__, "%s by %s: %s", action, login,
		          core_errmsg(c));
	}
	core_close(c);
}

/* A 基层专项 nominee of 平城区, reported to the city. */
static void
report_one(void)
{
	const char *add[] = {
	    "nominee", "add",      "--as", "pc_clerk",     "--name",
	    "李明",    "--gender", "男",   "--birth-date", "1975-03-02",
	    "--title", "主任医师", NULL};
	char idn[19];
	const char *edit[] = {
	    "nominee",   "edit",          "1",
	    "--as",      "pc_clerk",      "--id-number",
	    idn,         "--title-level", "正高级",
	    "--channel", "单位推荐",      "--quota-category",
	    "基层专项",  "--condition",   "4=市级重点项目负责人",
	    "--prior-leader", "无", NULL};
	static const char *const signers[] = {"pc_clerk", "pingcheng_hr"};
	struct sshclient_cmd res;
	struct core *c, *owner, *expert;
	char pw[64];

	fixture_id_number("19750302", 123, idn);
	CHECK_INT(desk_cli(&dk, &res, add), 0);
	sshclient_cmd_release(&res);
	if (desk_cli(&dk, &res, edit) != 0) {
		test_fail(__FILE__, __LINE__, "edit: %s", res.err);
	}
	sshclient_cmd_release(&res);

	setenv("NOMDESK_KDF", "interactive", 1);
	now_ms = T0;
	c = fixture_open_as(dk.data, NULL, test_clock);
	core_act_as_system(c, "root");
	for (size_t i = 0; i < sizeof(signers) / sizeof(signers[0]); i++) {
		pass_of(signers[i], pw);
		if (core_key_enroll(c, signers[i], pw, NULL) != 0) {
			test_fail(__FILE__, __LINE__, "enroll %s: %s",
			          signers[i], core_errmsg(c));
		}
	}
	core_close(c);
	act("pc_clerk", 1, "pledge_paper");
	act("pc_clerk", 1, "unit_review");
	act("pc_clerk", 1, "submit");
	owner = fixture_open_as(dk.data, "pingcheng_hr", test_clock);
	expert = fixture_open_as(dk.data, "expert_zhou", test_clock);
	if (fixture_panel_pass(owner, expert, 1, 0) != 0) {
		test_fail(__FILE__, __LINE__, "panel: %s / %s",
		          core_errmsg(owner), core_errmsg(expert));
	}
	core_close(owner);
	core_close(expert);
	act("pingcheng_hr", 1, "screen");
	act("pingcheng_hr", 1, "open_local_notice");
	now_ms += 6 * DAY;
	act("pingcheng_hr", 1, "report");
	CHECK_INT(desk_db_count(&dk,
	                        "SELECT count(*) FROM nominee WHERE id = 1 "
	                        "AND state = 'reported' AND holder = "
	                        "'140213' AND quota_category IN "
	                        "('grassroots', '基层专项')"),
	          1);
}

/*
 * The words of the screen row that holds all of the given texts, split
 * at runs of spaces, into w (up to max); 0 if no row holds them.
 */
static size_t
row_words(struct sshclient *c, const char *a, const char *b, char w[][64],
          size_t max)
{
	char row[1024];

	for (int y = 1; y < 24; y++) {
		size_t n = 0;
		char *p, *save = NULL;

		sshclient_screen_row(c, y, row, sizeof(row));
		if (!strstr(row, a) || (b && !strstr(row, b))) {
			continue;
		}
		for (p = strtok_r(row, " ", &save); p && n < max;
		     p = strtok_r(NULL, " ", &save)) {
			snprintf(w[n++], 64, "%s", p);
		}
		return n;
	}
	return 0;
}

static bool
ends_with(char w[][64], size_t k, const char *const *want, size_t n)
{
	if (k < n) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(w[k - n + i], want[i]) != 0) {
			return false;
		}
	}
	return true;
}

/*
 * Waits until the row holding a and b ends with the words want[0..n)
 * (the screen may still be arriving); false on timeout.
 */
static bool
row_ends(struct sshclient *c, const char *a, const char *b,
         const char *const *want, size_t n)
{
	int64_t deadline = sshclient_now_ms() + DESK_T_SCREEN;
	char w[32][64];

	for (;;) {
		size_t k = row_words(c, a, b, w, 32);

		if (ends_with(w, k, want, n)) {
			return true;
		}
		if (sshclient_now_ms() >= deadline || !sshclient_pump(c, 50)) {
			return false;
		}
	}
}

static void
test_e2e__tui_info_county_hr(void)
{
	static const char *const mine[] = {"1", "1", "0", "已满"};
	static const char *const other[] = {"1", "0", "1"};
	static const char *const reported[] = {"1"};
	struct sshclient *c;
	char dump[8192];

	desk_start(&dk);
	report_one();

	c = desk_login(&dk, "pingcheng_hr", NULL);
	sshclient_type(c, "o");
	desk_see(c, "名额使用情况");
	desk_see(c, "基层专项名额");
	/* 平城区's grassroots slot: limit 1, used 1, left 0, full; 云冈区's
	 * untouched */
	CHECK(row_ends(c, "平城区", "已满", mine, 4));
	CHECK(row_ends(c, "云冈区", NULL, other, 3));
	/* its own rows only: the grassroots, non-public and county paths */
	sshclient_type(c, "m");
	desk_see(c, "仅显示本单位的行");
	CHECK(row_ends(c, "平城区", "已满", mine, 4));
	desk_see(c, "各县区另行申报");
	CHECK(sshclient_wait_no_text(c, "云冈区", 2000));
	sshclient_screen_dump(c, dump, sizeof(dump));
	printf("# quota, own rows:\n%s", dump);

	/* the round: target, deadline, the notice's inconsistencies */
	sshclient_type(c, "q");
	desk_see(c, "按单位、类别、状态统计");
	sshclient_type(c, "r");
	desk_see(c, "拟选拔名额");
	desk_see(c, "44 名");
	desk_see(c, "2020-12-15 23:59:59");
	sshclient_type(c, "i");
	desk_see(c, "通知本身的不一致之处");
	desk_see(c, "不作任何更正");
	desk_see(c, "I-2");
	desk_see(c, "通知为 70 名，其分项合计 82 名");
	sshclient_type(c, "c");
	desk_see(c, "选拔条件（符合 1-9 中任一项）");
	desk_see(c, "承担市级以上重点项目建设");

	/* the counts: one nominee, reported */
	sshclient_type(c, "q");
	sshclient_type(c, "s");
	desk_see(c, "您可查看的本批次被推荐人：1 名");
	desk_see(c, "按状态");
	desk_see(c, "已上报市局");
	CHECK(row_ends(c, "已上报市局", NULL, reported, 1));
	sshclient_type(c, "?");
	desk_see(c, "返回首页");
	desk_hang_up(&dk, c);

	/* an expert gets no aggregates: core says so, the screen shows it */
	c = desk_login(&dk, "expert_zhou", NULL);
	sshclient_type(c, "s");
	desk_see(c, "无权查看统计");
	CHECK(sshclient_wait_no_text(c, "按状态", 500));
	desk_hang_up(&dk, c);
	desk_stop(&dk);
}

static void
test_e2e__tui_info_english(void)
{
	struct sshclient *c;

	desk_start(&dk);
	c = desk_login(&dk, "yg_clerk", NULL);
	sshclient_type(c, "o");
	desk_see(c, "Quota usage");
	desk_see(c, "Limit");
	desk_see(c, "Used");
	desk_see(c, "Left");
	desk_see(c, "grassroots sp");
	sshclient_type(c, "m"); /* 云冈区's rows: the unit's county */
	desk_see(c, "Showing your unit's rows only");
	desk_see(c, "云冈区");
	sshclient_type(c, "q");
	sshclient_type(c, "r");
	desk_see(c, "Seats to fill");
	desk_see(c, "44 seats");
	desk_see(c, "Report deadline");
	desk_see(c, "2020-12-15");
	sshclient_type(c, "i");
	desk_see(c, "The notice's own inconsistencies");
	desk_see(c, "general.city (市直): stated 70, its parts add up to");
	sshclient_type(c, "c");
	desk_see(c, "principal academic or technical leader");
	sshclient_type(c, "q");
	sshclient_type(c, "s");
	desk_see(c, "Nominees of the current round you may see: 0");
	desk_see(c, "By state");
	desk_hang_up(&dk, c);
	desk_stop(&dk);
}

/*
 * A round in which 平城区's grassroots figure is 0 and does not bind
 * (enforce false: a reading the round file may record), made current,
 * so a report goes through and the row is over its limit.
 */
static void
load_round_over(void)
{
	const char *text;
	json_object *r, *parts, *kids, *leaf = NULL;
	char path[600];
	const char *load[] = {"round", "load", path, "--current", NULL};
	struct sshclient_cmd res;
	size_t len, i;

	text = core_round_builtin("datong-2020", &len);
	CHECK(text != NULL);
	r = json_tokener_parse(text);
	json_object_object_add(r, "code", json_object_new_string("t-over"));
	parts = json_object_object_get(json_object_object_get(r, "quotas"),
	                               "parts");
	kids = json_object_object_get(json_object_array_get_idx(parts, 0),
	                              "children");
	for (i = 0; i < json_object_array_length(kids); i++) {
		json_object *k = json_object_array_get_idx(kids, i);

		if (strcmp(json_object_get_string(
		               json_object_object_get(k, "code")),
		           "grassroots.140213") == 0) {
			leaf = k;
		}
	}
	CHECK(leaf != NULL);
	json_object_object_add(leaf, "limit", json_object_new_int(0));
	json_object_object_add(leaf, "enforce", json_object_new_boolean(0));
	snprintf(path, sizeof(path), "%s/over.json", test_tmpdir());
	CHECK_INT(json_object_to_file(path, r), 0);
	json_object_put(r);
	if (desk_cli(&dk, &res, load) != 0) {
		test_fail(__FILE__, __LINE__, "round load: %s", res.err);
	}
	sshclient_cmd_release(&res);
}

/* A row over its limit: highlighted (bold, not colour alone), marked
 * '!', and its note says by how much. */
static void
test_e2e__tui_info_over_limit_marked(void)
{
	static const char *const over[] = {"0", "1",   "0",     "超额",
	                                   "1", "名;", "不强制"};
	struct sshclient *c;
	struct vt *vt;
	int y;

	desk_start(&dk);
	load_round_over();
	report_one();
	c = desk_login(&dk, "pingcheng_hr", NULL);
	sshclient_type(c, "o");
	desk_see(c, "批次 t-over");
	desk_see(c, "超额 1 名");
	CHECK(row_ends(c, "平城区", "超额", over, 7));
	vt = sshclient_vt(c);
	y = vt_find(vt, "超额");
	CHECK(y > 0);
	if (y > 0) {
		char row[512];

		sshclient_screen_row(c, y, row, sizeof(row));
		CHECK(strncmp(row, "  !", 3) == 0);
		CHECK(vt_attrs(vt, y, 2) & VT_BOLD);
		CHECK(vt_attrs(vt, y, 10) & VT_BOLD);
		/* the row below is not over: not bold */
		CHECK(!(vt_attrs(vt, y + 1, 10) & VT_BOLD));
	}
	desk_hang_up(&dk, c);
	desk_stop(&dk);
}

static const struct test_case tests_tui_info[] = {
    {"e2e__tui_info_county_hr", test_e2e__tui_info_county_hr},
    {"e2e__tui_info_english", test_e2e__tui_info_english},
    {"e2e__tui_info_over_limit_marked", test_e2e__tui_info_over_limit_marked},
    {NULL, NULL},
};
TEST_REGISTER(tests_tui_info)
