/*
 * Golden screens of the review ladder (tests/golden/review/), over the
 * real SSH path: the nominee list as each reviewing role sees it (a
 * draft, a submitted, a returned and a withdrawn nominee, so several
 * state labels show), the dossier as the county reviewer and as city
 * HR, the county reviewer's actions menu and its help, the confirm
 * screen of an act that needs a reason (two lines typed), the signing
 * screen both as a key enrolment and as the passphrase alone, the
 * result of a signed act, the auditor's trail of a nominee with several
 * signed acts, and the refusal of another county's nominee by number.
 *
 * Then the information screens of the home menu as the county HR and
 * city HR: quota usage (o, also its own rows and its help), the round
 * (r, also its three jumps) and the counts (s), every page of each.
 * All data is prepared with the CLI; the signed acts of the clerk take
 * the passphrase on stdin.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tests/lib/desk.h"
#include "tests/lib/fixture.h"
#include "tests/lib/golden.h"
#include "tests/lib/runner.h"

#define CTRL_S "\x13"
#define CLERK_PASS "clerk passphrase 7\n"
#define COUNTY_PASS "county passphrase 8"

static struct desk dk;

/* One nominee of 平城区中心医院, complete enough for the pledge. */
static void
add_complete(const char *name, int id, int seq)
{
	char idn[19], num[12];

	snprintf(num, sizeof(num), "%d", id);
	fixture_id_number("19760504", seq, idn);
	DESK_CLI(&dk, "nominee", "add", "--as", "pc_clerk", "--name", name,
		 "--gender", "男", "--birth-date", "1976-05-04", "--title",
		 "主任医师");
	DESK_CLI(&dk, "nominee", "edit", num, "--as", "pc_clerk",
		 "--id-number", idn, "--title-level", "正高级", "--channel",
		 "单位推荐", "--quota-category", "综合", "--condition",
		 "4=市级重点项目负责人", "--prior-leader", "无");
}

/* The clerk's signed pledge and first review, then the submission. */
static void
submit(int id)
{
	char num[12];
	const char *const pledge[] = {"act", num, "pledge_paper", "--as",
				      "pc_clerk", "--reason",
				      "纸质原件存本单位人事科",
				      "--passphrase-stdin", NULL};
	const char *const review[] = {"act", num, "unit_review", "--as",
				      "pc_clerk", "--passphrase-stdin", NULL};

	snprintf(num, sizeof(num), "%d", id);
	CHECK_INT(desk_cli_stdin(&dk, CLERK_PASS, pledge), 0);
	CHECK_INT(desk_cli_stdin(&dk, CLERK_PASS, review), 0);
	DESK_CLI(&dk, "act", num, "submit", "--as", "pc_clerk");
}

/*
 * 1 李明 a draft; 2 王五 and 3 赵六 submitted to 平城区 (the county
 * reviewer has no key yet); 4 周八 of 云冈区; 5 孙七 of the health
 * department; 6 钱七 withdrawn by the unit.
 */
static void
setup(void)
{
	const char *const key[] = {"user", "key", "init", "pc_clerk",
				   "--passphrase-stdin", NULL};

	setenv("NOMDESK_KDF", "interactive", 1); /* signing in seconds */
	desk_start(&dk);
	DESK_CLI(&dk, "nominee", "add", "--as", "pc_clerk", "--name", "李明",
		 "--gender", "男", "--birth-date", "1975-03-02", "--title",
		 "主任医师");
	add_complete("王五", 2, 7);
	add_complete("赵六", 3, 8);
	CHECK_INT(desk_cli_stdin(&dk, CLERK_PASS CLERK_PASS, key), 0);
	submit(2);
	submit(3);
	DESK_CLI(&dk, "nominee", "add", "--as", "yg_clerk", "--name", "周八",
		 "--gender", "男", "--birth-date", "1970-01-01", "--title",
		 "高级工程师");
	DESK_CLI(&dk, "nominee", "add", "--as", "health_dept", "--name",
		 "孙七", "--gender", "女", "--birth-date", "1978-01-01",
		 "--title", "主任护师", "--unit", "dept-health-e001");
	DESK_CLI(&dk, "nominee", "add", "--as", "pc_clerk", "--name", "钱七",
		 "--gender", "女", "--birth-date", "1980-08-08", "--title",
		 "副主任医师");
	DESK_CLI(&dk, "act", "6", "withdraw", "--as", "pc_clerk", "--reason",
		 "本人申请放弃");
}

/* From the nominee's screen: the actions menu, the return (an act
 * that needs a reason), and a reason of two lines. */
static void
return_with_reason(struct sshclient *c)
{
	sshclient_type(c, "x");
	desk_see(c, "退回修改");
	sshclient_type(c, "2");
	desk_see(c, "操作：退回修改");
	sshclient_type(c, "证书复印件不清晰");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "请补交原件扫描件");
	desk_see(c, "请补交原件扫描件");
}

/*
 * The county reviewer, without a key: the dossier and actions of 赵六,
 * the return of 王五 enrolling a key on the way, then the return of
 * 赵六 asking for the passphrase alone (left with Esc), and 周八 of
 * 云冈区 by number.
 */
static void
county_reviewer_acts(void)
{
	struct sshclient *c = desk_login(&dk, "pingcheng_hr", NULL);

	desk_open_nominee(c, "赵六", 3);
	desk_see(c, "编号 3  赵六");
	golden_check(c, "review/detail-pingcheng_hr-80x24", NULL);
	sshclient_type(c, "x");
	desk_see(c, "登记专家评估结果");
	golden_check(c, "review/act-pingcheng_hr-80x24", NULL);
	sshclient_type(c, "?");
	desk_see(c, "按键说明：操作");
	golden_check(c, "review/act-help-pingcheng_hr-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "登记专家评估结果");
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "编号 3  赵六");

	sshclient_type(c, "q");
	desk_see(c, "被推荐人名单");
	sshclient_type(c, "g");
	desk_see(c, "被推荐人编号");
	sshclient_type(c, "2");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "编号 2  王五");
	return_with_reason(c);
	golden_check(c, "review/confirm-reason-pingcheng_hr-80x24", NULL);
	sshclient_type(c, CTRL_S);
	desk_see(c, "您还没有签名密钥");
	golden_check(c, "review/sign-enrol-pingcheng_hr-80x24", NULL);
	sshclient_type(c, COUNTY_PASS);
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, COUNTY_PASS);
	sshclient_key(c, SSHCLIENT_ENTER);
	/* both typed: the focus on the scope, the last row */
	desk_see(c, "> 有效范围");
	golden_check(c, "review/sign-enrol-typed-pingcheng_hr-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ENTER); /* this act only */
	if (!sshclient_wait_text(c, "已完成：退回修改", DESK_T_SIGN)) {
		desk_see(c, "已完成：退回修改");
	}
	golden_check(c, "review/result-pingcheng_hr-80x24", NULL);

	sshclient_type(c, "q");
	desk_see(c, "被推荐人名单");
	sshclient_type(c, "g");
	desk_see(c, "被推荐人编号");
	sshclient_type(c, "3");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "编号 3  赵六");
	return_with_reason(c);
	sshclient_type(c, CTRL_S);
	/* the confirm screen names the passphrase too: this text not */
	desk_see(c, "此操作将以您的个人密钥签名");
	golden_check(c, "review/sign-pingcheng_hr-80x24", NULL);
	sshclient_type(c, "wrong passphrase");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_key(c, SSHCLIENT_ENTER);
	if (!sshclient_wait_text(c, "签名口令错误", DESK_T_SIGN)) {
		desk_see(c, "签名口令错误");
	}
	golden_check(c, "review/sign-wrong-pingcheng_hr-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "请补交原件扫描件");
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "登记专家评估结果");
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "编号 3  赵六");
	sshclient_type(c, "q");
	desk_see(c, "被推荐人名单");
	golden_check(c, "review/list-pingcheng_hr-80x24", NULL);
	sshclient_type(c, "g");
	desk_see(c, "被推荐人编号");
	sshclient_type(c, "4");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "没有被推荐人 4");
	golden_check(c, "review/goto-other-county-pingcheng_hr-80x24", NULL);
	desk_hang_up(&dk, c);
}

/* From the home screen, nominee id by number (the list first). */
static void
go_to(struct sshclient *c, const char *list_text, int id, const char *see)
{
	desk_open_nominee(c, list_text, id);
	desk_see(c, see);
}

/*
 * The common masks and, first, the trail's short date before its time
 * of day ("12-08 21:14"): the day of the run.
 */
static const char *const *
trail_masks(void)
{
	static const char *m[8] = {"[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}"};

	for (size_t i = 0; golden_masks_common[i] != NULL && i + 2 < 8;
	     i++) {
		m[i + 1] = golden_masks_common[i];
	}
	return m;
}

/* The readers above the county: their lists, a dossier, the trail. */
static void
readers_look(void)
{
	const char *const *tm = trail_masks();
	struct sshclient *c;

	c = desk_login(&dk, "health_dept", NULL);
	sshclient_type(c, "l");
	desk_see(c, "孙七");
	golden_check(c, "review/list-health_dept-80x24", NULL);
	desk_hang_up(&dk, c);

	c = desk_login(&dk, "city_hr", NULL);
	sshclient_type(c, "l");
	desk_see(c, "周八");
	golden_check(c, "review/list-city_hr-80x24", NULL);
	sshclient_type(c, "q");
	go_to(c, "周八", 2, "编号 2  王五");
	golden_check(c, "review/detail-city_hr-80x24", NULL);
	/* the second page: the history, the return and its reason */
	sshclient_key(c, SSHCLIENT_PGDN);
	desk_see(c, "请补交原件扫描件");
	golden_check(c, "review/detail-p2-city_hr-80x24", NULL);
	desk_hang_up(&dk, c);

	c = desk_login_size(&dk, "city_hr", NULL, 120, 40);
	sshclient_type(c, "l");
	desk_see(c, "周八");
	golden_check(c, "review/list-city_hr-120x40", NULL);
	sshclient_type(c, "q");
	go_to(c, "周八", 2, "编号 2  王五");
	golden_check(c, "review/detail-city_hr-120x40", NULL);
	desk_hang_up(&dk, c);

	c = desk_login(&dk, "auditor", NULL);
	sshclient_type(c, "l");
	desk_see(c, "周八");
	golden_check(c, "review/list-auditor-80x24", NULL);
	sshclient_type(c, "q");
	go_to(c, "周八", 2, "编号 2  王五");
	sshclient_type(c, "t");
	desk_see(c, "责任追溯");
	golden_check(c, "review/trail-auditor-80x24", tm);
	/* the return in full: its reason of two lines, the table gone */
	sshclient_type(c, "G");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "请补交原件扫描件");
	CHECK(sshclient_wait_no_text(c, "签名人 行为", DESK_T_SCREEN));
	golden_check(c, "review/trail-full-auditor-80x24", tm);
	desk_hang_up(&dk, c);

	c = desk_login_size(&dk, "auditor", NULL, 120, 40);
	go_to(c, "周八", 2, "编号 2  王五");
	sshclient_type(c, "t");
	desk_see(c, "责任追溯");
	golden_check(c, "review/trail-auditor-120x40", tm);
	desk_hang_up(&dk, c);
}

static void
test_e2e__golden_review_ladder(void)
{
	setup();
	county_reviewer_acts();
	readers_look();
	desk_stop(&dk);
}

/*
 * From the home screen, the info screen of key, page by page: page i
 * waits for sees[i] (text no earlier page shows), is pinned as
 * "review/BASE-pI" (or "review/BASE" when there is one page), and
 * PgDn goes on; q back home.
 */
static void
pages(struct sshclient *c, const char *key, const char *base,
      const char *const *sees, const char *const *masks)
{
	char name[128];
	size_t n = 0;

	while (sees[n] != NULL) {
		n++;
	}
	sshclient_type(c, key);
	for (size_t i = 0; i < n; i++) {
		if (i > 0) {
			sshclient_key(c, SSHCLIENT_PGDN);
		}
		desk_see(c, sees[i]);
		if (n == 1) {
			snprintf(name, sizeof(name), "review/%s", base);
		} else {
			snprintf(name, sizeof(name), "review/%s-p%zu", base,
				 i + 1);
		}
		golden_check(c, name, masks);
	}
	sshclient_type(c, "q");
	desk_see(c, "按单位、类别、状态统计");
}

/* The round shows no time of this run: its deadline stays unmasked. */
static const char *const no_masks[] = {NULL};

static const char *const quota_80[] = {
	"下方还有 31 行", "下方还有 12 行", "不限名额另行推荐", NULL};
static const char *const stats_pc[] = {"已撤回   1", NULL};
static const char *const stats_city[] = {"dept-health-e001", NULL};

/* The county HR: quota (all, then its own rows), the round's first
 * page and its three jumps, the counts, and the quota screen's help. */
static void
county_info(void)
{
	static const char *const round_p1[] = {"下方还有 166 行", NULL};
	struct sshclient *c = desk_login(&dk, "pingcheng_hr", NULL);

	pages(c, "o", "quota-pingcheng_hr-80x24", quota_80, NULL);
	sshclient_type(c, "o");
	desk_see(c, "下方还有 31 行");
	sshclient_type(c, "m");
	desk_see(c, "仅显示本单位的行");
	golden_check(c, "review/quota-mine-pingcheng_hr-80x24", NULL);
	sshclient_type(c, "?");
	desk_see(c, "按键说明");
	golden_check(c, "review/quota-help-pingcheng_hr-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "仅显示本单位的行");
	sshclient_type(c, "q");
	desk_see(c, "按单位、类别、状态统计");

	pages(c, "r", "round-pingcheng_hr-80x24", round_p1, no_masks);
	sshclient_type(c, "r");
	desk_see(c, "下方还有 166 行");
	sshclient_type(c, "c");
	desk_see(c, "选拔条件（符合 1-9 中任一项）");
	golden_check(c, "review/round-conditions-pingcheng_hr-80x24",
		     no_masks);
	sshclient_type(c, "o");
	desk_see(c, "名额及推荐单位（按通知所列）");
	golden_check(c, "review/round-quotas-pingcheng_hr-80x24", no_masks);
	sshclient_type(c, "i");
	desk_see(c, "通知本身的不一致之处");
	golden_check(c, "review/round-findings-pingcheng_hr-80x24",
		     no_masks);
	sshclient_type(c, "q");
	desk_see(c, "按单位、类别、状态统计");

	pages(c, "s", "stats-pingcheng_hr-80x24", stats_pc, NULL);
	desk_hang_up(&dk, c);
}

/* City HR: every page of the three screens, at both sizes. */
static void
city_info(void)
{
	static const char *const round_80[] = {
		"下方还有 166 行", "下方还有 147 行", "下方还有 128 行",
		"下方还有 109 行", "下方还有 90 行",  "下方还有 71 行",
		"下方还有 52 行",  "下方还有 33 行",  "下方还有 14 行",
		"five years back from", NULL};
	static const char *const quota_120[] = {
		"下方还有 15 行", "另行推荐：须说明理由", NULL};
	static const char *const round_120[] = {
		"下方还有 116 行", "下方还有 81 行", "下方还有 46 行",
		"下方还有 11 行",  "five years back from", NULL};
	struct sshclient *c = desk_login(&dk, "city_hr", NULL);

	pages(c, "o", "quota-city_hr-80x24", quota_80, NULL);
	pages(c, "r", "round-city_hr-80x24", round_80, no_masks);
	pages(c, "s", "stats-city_hr-80x24", stats_city, NULL);
	desk_hang_up(&dk, c);
	c = desk_login_size(&dk, "city_hr", NULL, 120, 40);
	pages(c, "o", "quota-city_hr-120x40", quota_120, NULL);
	pages(c, "r", "round-city_hr-120x40", round_120, no_masks);
	pages(c, "s", "stats-city_hr-120x40", stats_city, NULL);
	desk_hang_up(&dk, c);
}

static void
test_e2e__golden_review_info(void)
{
	setup();
	county_info();
	city_info();
	desk_stop(&dk);
}

static const struct test_case tests_golden_review[] = {
	{"e2e__golden_review_ladder", test_e2e__golden_review_ladder},
	{"e2e__golden_review_info", test_e2e__golden_review_info},
	{NULL, NULL},
};
TEST_REGISTER(tests_golden_review)
