/*
 * The dated items, the materials checklist and the accountability trail
 * over a real SSH session.
 *
 * A clerk opens a nominee, adds a work item (a detail of two lines) and
 * a research item dated seven years before the deadline, which the list
 * flags as outside the 5-year window; a bad date is refused with the
 * field named; two materials are recorded, one with its originals
 * sighted.  The database holds the items, the materials and one audited
 * dossier version each.
 *
 * Signed acts are taken with the CLI (pledge, the unit's review, the
 * county's evaluation, then the auditor's veto), and the auditor opens
 * the trail over SSH: the signers in log order, the verifiers of the
 * vetoed version marked "!!" and bold, the others not.  A clerk of
 * another county reaches neither the items nor the trail.  After a log
 * key rotation the earlier entries still verify against the key of their
 * time.
 *
 * The database is read only after the server logged the session's
 * "disconnect" (the UI process has exited and closed it).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/lib/desk.h"
#include "tests/lib/runner.h"
#include "tests/lib/vt.h"

static struct desk dk;

#define CTRL_S "\x13"

/* `nomdesk --data DIR args...` with input on its stdin (passphrases);
 * its exit status, or -1. */
static int
cli_in(const char *input, const char *const *args)
{
	const char *bin = sshclient_nomdesk_bin();
	const char *v[48];
	size_t n = 0;
	int fd[2], st = 0;
	pid_t pid;

	if (!bin || pipe(fd) != 0) {
		return -1;
	}
	v[n++] = bin;
	v[n++] = "--data";
	v[n++] = dk.data;
	while (*args && n < 47) {
		v[n++] = *args++;
	}
	v[n] = NULL;
	if ((pid = fork()) < 0) {
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(fd[0], 0);
		dup2(null, 1);
		close(fd[0]);
		close(fd[1]);
		execv(bin, (char *const *)v);
		_exit(127);
	}
	close(fd[0]);
	if (write(fd[1], input, strlen(input)) < 0) {
		st = -1;
	}
	close(fd[1]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) {
		return -1;
	}
	return WEXITSTATUS(st);
}

static void
add_nominee(void)
{
	const char *add[] = {"nominee", "add", "--as", "pc_clerk", "--name",
			     "李明", "--gender", "男", "--birth-date",
			     "1975-03-02", "--title", "主任医师", NULL};

	desk_cli_ok_at(&dk, add, NULL, 0, __FILE__, __LINE__);
}

/* The screen row showing text, or -1. */
static int
row_of(struct sshclient *c, const char *text)
{
	char buf[8192];

	sshclient_screen_dump(c, buf, sizeof(buf));
	return vt_find(sshclient_vt(c), text);
}

static bool
row_has(struct sshclient *c, int row, const char *text)
{
	char buf[1024];

	if (row < 0) {
		return false;
	}
	sshclient_screen_row(c, row, buf, sizeof(buf));
	return strstr(buf, text) != NULL;
}

static void
test_e2e__tui_items_clerk_items_and_materials(void)
{
	struct sshclient *c;

	desk_start(&dk);
	add_nominee();
	c = desk_login(&dk, "pc_clerk", NULL);
	desk_open_nominee(c, "李明", 1);

	/* w: the dated items, none yet */
	sshclient_type(c, "w");
	desk_see(c, "尚无带日期条目");
	desk_see(c, "2015-12-15 至 2020-12-15");

	/* a work item with a detail of two lines */
	sshclient_type(c, "a");
	desk_see(c, "为编号 1 李明 新增带日期条目");
	sshclient_type(c, "1"); /* 工作经历 */
	desk_see(c, "[1 工作经历]");
	sshclient_key(c, SSHCLIENT_TAB);
	sshclient_type(c, "2010/7"); /* tidied to 2010-07 */
	desk_tabs(c, 2);             /* to: empty, ongoing */
	sshclient_type(c, "大同市第一人民医院 心内科主任");
	sshclient_key(c, SSHCLIENT_TAB);
	sshclient_type(c, "负责心内科临床");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "带教研究生");
	sshclient_type(c, CTRL_S);
	desk_see(c, "已保存为档案第 2 版");
	desk_see(c, "2010-07");
	desk_see(c, "带教研究生");

	/* research seven years before the deadline: kept, but flagged */
	sshclient_type(c, "a");
	desk_see(c, "新增带日期条目。");
	sshclient_type(c, "2"); /* 学术研究 */
	sshclient_key(c, SSHCLIENT_TAB);
	sshclient_type(c, "201312");
	desk_tabs(c, 2);
	sshclient_type(c, "心力衰竭早期诊断研究");
	sshclient_type(c, CTRL_S);
	desk_see(c, "已保存为档案第 3 版");
	desk_see(c, "超出近5年");
	desk_see(c, "超出申报期限（早于 2015-12-15）");
	CHECK(row_has(c, row_of(c, "心力衰竭早期诊断研究"), "超出近5年"));
	CHECK(!row_has(c, row_of(c, "大同市第一人民医院"), "超出近5年"));

	/* a bad date: core refuses it, naming the field as the form does */
	sshclient_type(c, "a");
	desk_see(c, "新增带日期条目。");
	sshclient_type(c, "3");
	sshclient_key(c, SSHCLIENT_TAB);
	sshclient_type(c, "2019-13-01");
	desk_tabs(c, 2);
	sshclient_type(c, "市级先进工作者");
	sshclient_type(c, CTRL_S);
	desk_see(c, "起始：2019-13-01 不是有效的日期");
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "再按 Esc 放弃修改");
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "超出近5年");
	CHECK(sshclient_wait_no_text(c, "市级先进工作者", 500));

	/* m: the checklist; the registration form's two copies, then the
	 * certificates with their originals sighted and returned */
	sshclient_type(c, "q");
	desk_see(c, "工作单位");
	sshclient_type(c, "m");
	desk_see(c, "报送材料清单");
	desk_see(c, "候选人情况登记表");
	desk_see(c, "未收");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "登记：");
	sshclient_key(c, SSHCLIENT_ENTER); /* the 2 copies asked for */
	desk_see(c, "已登记");
	CHECK(row_has(c, row_of(c, "候选人情况登记表》"), "2 份"));
	CHECK(row_has(c, row_of(c, "候选人情况登记表》"), "齐全"));
	sshclient_type(c, "jjj");
	desk_see(c, "原件和复印件");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "已由您查验并退还");
	sshclient_key(c, SSHCLIENT_TAB);
	sshclient_type(c, " ");
	desk_see(c, "[x]");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "；原件已查验并退还");
	CHECK(row_has(c, row_of(c, "证书、成果"), "已查验并退还"));

	/* the unit's own clerk reads the trail too: the four edits */
	sshclient_type(c, "q");
	desk_see(c, "工作单位");
	sshclient_type(c, "t");
	desk_see(c, "责任追溯");
	desk_see(c, "共 5 项行为");
	desk_hang_up(&dk, c);

	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM nominee_item WHERE "
				     "nominee_id = 1 AND kind = 'work' AND "
				     "date_from = '2010-07' AND date_to = '' AND "
				     "title = '大同市第一人民医院 心内科主任' "
				     "AND detail = '负责心内科临床' || char(10) "
				     "|| '带教研究生'"),
		  1);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM nominee_item WHERE "
				     "nominee_id = 1 AND kind = 'research' AND "
				     "date_from = '2013-12'"),
		  1);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM nominee_item"), 2);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM nominee_material "
				     "WHERE nominee_id = 1 AND kind = "
				     "'registration_form' AND copies = 2 AND "
				     "original_sighted = 0"),
		  1);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM nominee_material "
				     "WHERE nominee_id = 1 AND kind = "
				     "'certificates' AND copies = 1 AND "
				     "original_sighted = 1"),
		  1);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM nominee_material"),
		  2);
	/* each change one audited version, naming who saw the originals */
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM log_entry WHERE act "
				     "= 2 AND actor = 'pc_clerk' AND subject = "
				     "'nominee:1'"),
		  4);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM log_entry WHERE "
				     "subject = 'nominee:1' AND instr(entry, "
				     "CAST('material certificates copies=1, "
				     "original sighted and returned' AS BLOB)) "
				     "> 0"),
		  1);
	CHECK_INT(desk_db_count(&dk, "SELECT version FROM nominee WHERE id = 1"),
		  5);
	desk_stop(&dk);
}

/* Every act of the trail test, each signed one with its passphrase. */
static void
take_acts(void)
{
	char scan[600], ev[600];
	FILE *f;

	snprintf(scan, sizeof(scan), "%s/scan.txt", test_tmpdir());
	snprintf(ev, sizeof(ev), "%s/evidence.txt", test_tmpdir());
	if ((f = fopen(scan, "w"))) {
		fputs("承诺书扫描件\n", f);
		fclose(f);
	}
	if ((f = fopen(ev, "w"))) {
		fputs("获奖证书核查函\n", f);
		fclose(f);
	}
	{
		const char *edit[] = {"nominee", "edit", "1", "--as", "pc_clerk",
				      "--id-number", "14021319750302123X",
				      "--title-level", "正高级", "--channel",
				      "单位推荐", "--quota-category", "综合",
				      "--condition", "4=市级重点项目负责人",
				      "--prior-leader", "无", NULL};
		const char *k1[] = {"user", "key", "init", "pc_clerk",
				    "--passphrase-stdin", NULL};
		const char *k2[] = {"user", "key", "init", "pingcheng_hr",
				    "--passphrase-stdin", NULL};
		const char *k3[] = {"user", "key", "init", "auditor",
				    "--passphrase-stdin", NULL};
		const char *pledge[] = {"act", "1", "pledge_paper", "--as",
					"pc_clerk", "--scan", scan,
					"--passphrase-stdin", NULL};
		const char *review[] = {"act", "1", "unit_review", "--as",
					"pc_clerk", "--passphrase-stdin", NULL};
		const char *submit[] = {"act", "1", "submit", "--as", "pc_clerk",
					NULL};
		const char *panel[] = {"panel", "create", "组一", "--level",
				       "local", "--as", "pingcheng_hr",
				       "--criteria", "merit:10", "--threshold",
				       "6", "--quorum", "1", NULL};
		const char *member[] = {"panel", "add-member", "组一",
					"expert_zhou", "--as", "pingcheng_hr",
					NULL};
		const char *assign[] = {"assign", "1", "--panel", "组一", "--as",
					"pingcheng_hr", NULL};
		const char *k4[] = {"user", "key", "init", "expert_zhou",
				    "--passphrase-stdin", NULL};
		const char *declare[] = {"declare", "1", "--as", "expert_zhou",
					 "--passphrase-stdin", NULL};
		const char *score[] = {"score", "1", "--as", "expert_zhou",
				       "--criterion", "merit=10", NULL};
		const char *screen[] = {"act", "1", "screen", "--as",
					"pingcheng_hr", "--passphrase-stdin",
					NULL};
		const char *veto[] = {"act", "1", "veto", "--as", "auditor",
				      "--reason", "获奖证书系伪造", "--evidence",
				      ev, "--passphrase-stdin", NULL};

		desk_cli_ok_at(&dk, edit, NULL, 0, __FILE__, __LINE__);
		CHECK_INT(cli_in("pw clerk 1\npw clerk 1\n", k1), 0);
		CHECK_INT(cli_in("pw county 2\npw county 2\n", k2), 0);
		CHECK_INT(cli_in("pw audit 3\npw audit 3\n", k3), 0);
		CHECK_INT(cli_in("pw clerk 1\n", pledge), 0);
		CHECK_INT(cli_in("pw clerk 1\n", review), 0);
		desk_cli_ok_at(&dk, submit, NULL, 0, __FILE__, __LINE__);
		desk_cli_ok_at(&dk, panel, NULL, 0, __FILE__, __LINE__);
		desk_cli_ok_at(&dk, member, NULL, 0, __FILE__, __LINE__);
		desk_cli_ok_at(&dk, assign, NULL, 0, __FILE__, __LINE__);
		CHECK_INT(cli_in("pw expert 4\npw expert 4\n", k4), 0);
		CHECK_INT(cli_in("pw expert 4\n", declare), 0);
		desk_cli_ok_at(&dk, score, NULL, 0, __FILE__, __LINE__);
		CHECK_INT(cli_in("pw county 2\n", screen), 0);
		CHECK_INT(cli_in("pw audit 3\n", veto), 0);
	}
}

static void
test_e2e__tui_items_trail_marks_verifiers(void)
{
	const char *trail[] = {"audit", "trail", "1", "--as", "yg_clerk", NULL};
	const char *items[] = {"nominee", "item", "list", "1", "--as",
			       "yg_clerk", NULL};
	const char *rotate[] = {"audit", "rotate-log-key", NULL};
	const char *trail_auditor[] = {"audit", "trail", "1", "--as", "auditor",
				       NULL};
	struct sshclient_cmd res;
	struct sshclient *c;
	int pledge, review, submit, screen, veto;

	/* Argon2id at its floor: these keys guard nothing */
	setenv("NOMDESK_KDF", "interactive", 1);
	signal(SIGPIPE, SIG_IGN);
	desk_start(&dk);
	add_nominee();
	take_acts();

	c = desk_login(&dk, "auditor", NULL);
	desk_open_nominee(c, "李明", 1);
	sshclient_type(c, "t");
	desk_see(c, "责任追溯");
	desk_see(c, "已一票否决（第 2 版");
	desk_see(c, "为其作证的 3 项行为以 !! 标出");
	desk_see(c, "被否决版本的查验人");
	/* the signers in log order */
	pledge = row_of(c, "登记纸质承诺书");
	review = row_of(c, "单位首审");
	submit = row_of(c, "报送县（区）或主管部门");
	screen = row_of(c, "登记专家评估结果");
	veto = row_of(c, "因失信实行一票否决");
	CHECK(pledge > 0 && pledge < review && review < submit &&
	      submit < screen && screen < veto);
	CHECK(row_has(c, pledge, "赵敏") && row_has(c, review, "赵敏") &&
	      row_has(c, submit, "赵敏"));
	CHECK(row_has(c, screen, "张建华"));
	CHECK(row_has(c, veto, "李建国"));
	/* the verifiers of the vetoed version: marked and bold */
	CHECK(row_has(c, pledge, "!!") && row_has(c, review, "!!") &&
	      row_has(c, screen, "!!"));
	CHECK(!row_has(c, submit, "!!") && !row_has(c, veto, "!!"));
	CHECK(vt_attrs(sshclient_vt(c), screen, 4) & VT_BOLD);
	CHECK(!(vt_attrs(sshclient_vt(c), submit, 4) & VT_BOLD));
	/* signatures: the verifications signed, the submission not */
	CHECK(row_has(c, review, "有效") && row_has(c, veto, "有效"));
	CHECK(!row_has(c, submit, "有效"));
	/* n, N: the verifiers, each with why it answers below the table */
	sshclient_type(c, "n");
	desk_see(c, "赵敏 (pc_clerk)");
	desk_see(c, "曾为被否决的版本作证");
	sshclient_type(c, "GN");
	desk_see(c, "张建华 (pingcheng_hr)");
	desk_see(c, "曾为被否决的版本作证");
	/* the veto in full: its reason and evidence */
	sshclient_type(c, "G");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "获奖证书系伪造");
	desk_see(c, "附件：");
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "被否决版本的查验人");
	sshclient_type(c, "q");
	desk_see(c, "工作单位");
	desk_hang_up(&dk, c);

	/* another county's clerk: not by number, and core refuses both */
	c = desk_login(&dk, "yg_clerk", NULL);
	sshclient_type(c, "l");
	desk_see(c, "No nominees yet");
	sshclient_type(c, "g");
	desk_see(c, "Nominee number");
	sshclient_type(c, "1");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "no nominee 1");
	CHECK(sshclient_wait_no_text(c, "Accountability", 200));
	desk_hang_up(&dk, c);
	CHECK(desk_cli(&dk, &res, trail) != 0);
	CHECK(res.err && strstr(res.err, "no nominee 1"));
	sshclient_cmd_release(&res);
	CHECK(desk_cli(&dk, &res, items) != 0);
	CHECK(res.err && strstr(res.err, "no nominee 1"));
	sshclient_cmd_release(&res);

	/* after a log key rotation every earlier entry is still judged by
	 * the key in force when it was written, not found invalid */
	desk_cli_ok_at(&dk, rotate, NULL, 0, __FILE__, __LINE__);
	CHECK_INT(desk_cli(&dk, &res, trail_auditor), 0);
	CHECK(res.out && strstr(res.out, "submit  v2"));
	CHECK(res.out && !strstr(res.out, "log signature does not verify"));
	CHECK(res.out && strstr(res.out, "nominee created  v1 ") &&
	      strstr(strstr(res.out, "nominee created  v1 "),
		     "sig unsigned-by-person"));
	sshclient_cmd_release(&res);
	desk_stop(&dk);
}

static const struct test_case tests_tui_items[] = {
	{"e2e__tui_items_clerk_items_and_materials",
	 test_e2e__tui_items_clerk_items_and_materials},
	{"e2e__tui_items_trail_marks_verifiers",
	 test_e2e__tui_items_trail_marks_verifiers},
	{NULL, NULL},
};
TEST_REGISTER(tests_tui_items)

