/*
 * Panel secrecy in every reader of the log (issue #8 item 8): the audit
 * log, a nominee's history and its trail show a panel's acts only as the
 * panel screens do.  The unit (its clerk, the applicant) never sees an
 * expert's sheet, declaration or recusal; an expert sees the other
 * sheets for a nominee only after submitting their own, and never the
 * other experts' declarations or recusals; a recused or conflicted
 * expert sees nothing of the nominee; the panel's owner, city HR and the
 * auditor see it all.
 *
 * The scenario: nominee N of 平城区中心医院, submitted to 平城区, whose
 * panel (quorum 2) has four members: s_own (N's own employer: recused
 * automatically), s_con (declares a conflict, with a reason), s_a
 * (declares and scores, with an opinion) and s_b (declares; scores only
 * where a test says so).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/core_int.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"

/* 2020-11-02 10:00 +08:00 */
#define T0 1604282400000LL

#define OPINION_A "甲专家意见：创新不足 SECRET-A"
#define CONFLICT "合著论文 SECRET-CONFLICT"
#define PANEL "保密组"

static int64_t
test_clock(void *ctx)
{
	(void)ctx;
	return T0;
}

static char dir[600];
static int n_dirs;

static struct {
	char login[40];
	struct core *c;
} pool[24];
static size_t n_pool;

/* login's own handle on the current data directory, its key unlocked. */
static struct core *
H(const char *login)
{
	struct core *c;

	for (size_t i = 0; i < n_pool; i++) {
		if (strcmp(pool[i].login, login) == 0) {
			return pool[i].c;
		}
	}
	if (n_pool == sizeof(pool) / sizeof(pool[0])) {
		test_fail(__FILE__, __LINE__, "too many handles");
		exit(1);
	}
	c = fixture_open_as(dir, login, test_clock);
	if (fixture_unlock(c) != 0) {
		test_fail(__FILE__, __LINE__, "unlock %s: %s", login,
		          core_errmsg(c));
		exit(1);
	}
	snprintf(pool[n_pool].login, sizeof(pool[n_pool].login), "%s", login);
	pool[n_pool++].c = c;
	return c;
}

static void
teardown(void)
{
	for (size_t i = 0; i < n_pool; i++) {
		core_close(pool[i].c);
	}
	n_pool = 0;
}

static void
must(struct core *c, int r, const char *what)
{
	if (r != 0) {
		test_fail(__FILE__, __LINE__, "%s: %s", what, core_errmsg(c));
		exit(1);
	}
}

static void
act(const char *login, int64_t id, const char *action)
{
	static const char scan[] = "scan of the signed pledge form";
	struct core *c = H(login);
	struct core_act_opts o = {0};
	uint8_t d[1][32];

	if (strcmp(action, "pledge_paper") == 0) {
		must(c, core_doc_store(c, scan, sizeof(scan) - 1, d[0]),
		     "store the scan");
		o.attach = (const uint8_t(*)[32])d;
		o.n_attach = 1;
	}
	must(c, core_act_ex(c, id, action, "同政函〔2020〕8号", &o, NULL),
	     action);
}

static void
score(const char *expert, int64_t id, const char *opinion)
{
	static const struct core_score s[] = {
	    {"academic", "31"}, {"innovation", "22"}, {"contribution", "17"}};
	struct core *c = H(expert);

	must(c, core_panel_score(c, NULL, id, s, 3, opinion, NULL), expert);
}

/* A fresh data directory with the scenario; returns N. */
static int64_t
scenario(void)
{
	static const char *const members[] = {"s_own", "s_con", "s_a", "s_b",
	                                      NULL};
	struct core_panel_new p = {
	    PANEL, CORE_PANEL_LOCAL, CORE_PANEL_MEAN, NULL, NULL, 2};
	struct core_nominee_new n = {"钱七", "女", "1977-06-05", "主任医师",
	                             "140213-e001"};
	struct core *sys = NULL;
	char err[256], idn[19];
	int64_t id = 0;

	setenv("NOMDESK_KDF", "interactive", 1);
	snprintf(dir, sizeof(dir), "%s/secrecy-%d", test_tmpdir(), ++n_dirs);
	if (core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) != 0 ||
	    core_open(&sys, dir, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
	core_set_clock(sys, test_clock, NULL);
	must(sys, core_act_as_system(sys, "test"), "system");
	{
		static const struct {
			const char *login, *unit;
		} experts[] = {
		    {"s_own", "140213-e001"}, /* N's own employer */
		    {"s_con", "140213-e002"},
		    {"s_a", "140214-e001"},
		    {"s_b", "dept-health-e001"},
		};

		for (size_t i = 0; i < sizeof(experts) / sizeof(experts[0]);
		     i++) {
			struct core_user_new u = {
			    experts[i].login, experts[i].login,
			    CORE_ROLE_EXPERT, experts[i].unit, "en"};

			must(sys, core_user_add(sys, &u, NULL),
			     experts[i].login);
		}
	}
	core_close(sys);

	fixture_id_number("19770605", n_dirs, idn);
	must(H("pc_clerk"), core_nominee_add(H("pc_clerk"), &n, &id, NULL),
	     "nominee add");
	must(H("pc_clerk"), fixture_complete(H("pc_clerk"), id, idn),
	     "complete");
	must(
	    H("pc_clerk"),
	    core_nominee_set_applicant(H("pc_clerk"), id, "applicant_wu", NULL),
	    "link the applicant");
	act("pc_clerk", id, "pledge_paper");
	act("pc_clerk", id, "unit_review");
	act("pc_clerk", id, "submit");
	must(H("pingcheng_hr"),
	     core_panel_create(H("pingcheng_hr"), &p, NULL, NULL), "panel");
	for (const char *const *m = members; *m; m++) {
		must(H("pingcheng_hr"),
		     core_panel_add_member(H("pingcheng_hr"), PANEL, *m, NULL),
		     *m);
	}
	must(H("pingcheng_hr"),
	     core_panel_assign(H("pingcheng_hr"), PANEL, id, NULL, NULL, NULL),
	     "assign");
	must(H("s_con"),
	     core_panel_declare(H("s_con"), NULL, id, CONFLICT, NULL),
	     "conflict");
	must(H("s_a"), core_panel_declare(H("s_a"), NULL, id, NULL, NULL),
	     "declare s_a");
	must(H("s_b"), core_panel_declare(H("s_b"), NULL, id, NULL, NULL),
	     "declare s_b");
	score("s_a", id, OPINION_A);
	return id;
}

/* What one read of the log showed. */
struct seen {
	int n;         /* entries */
	int nominee;   /* entries about "nominee:N" itself */
	int panel;     /* entries with a "panel:" subject */
	int sheet_a;   /* s_a's sheet: "score by s_a" */
	int opinion_a; /* s_a's opinion text anywhere */
	int sheet_b;   /* s_b's sheet */
	int decl_b;    /* s_b's own declaration */
	int conflict;  /* s_con's conflict or its reason */
	int recusal;   /* s_own's recusal */
};

static void
tally(struct seen *s, const char *subject, const char *actor,
      const char *reason)
{
	s->n++;
	s->nominee += strncmp(subject, "nominee:", 8) == 0;
	s->panel += strncmp(subject, "panel:", 6) == 0;
	s->sheet_a += strncmp(reason, "score by s_a:", 13) == 0;
	s->opinion_a += strstr(reason, "SECRET-A") != NULL;
	s->sheet_b += strncmp(reason, "score by s_b:", 13) == 0;
	s->decl_b += strcmp(actor, "s_b") == 0 &&
	             strncmp(reason, "no-conflict declaration ", 24) == 0;
	s->conflict += strstr(reason, "SECRET-CONFLICT") != NULL ||
	               strcmp(actor, "s_con") == 0;
	s->recusal += strncmp(reason, "recused s_own", 13) == 0;
}

static int
on_log(void *ctx, const struct core_audit_item *it)
{
	tally(ctx, it->subject, it->actor, it->reason);
	return 0;
}

static int
on_history(void *ctx, const struct core_history_item *h)
{
	/* a history item names no subject: every one is the nominee's */
	tally(ctx, "nominee:", h->actor, h->reason);
	return 0;
}

static int
on_trail(void *ctx, const struct core_trail_item *t)
{
	tally(ctx, "nominee:", t->actor, t->reason);
	return 0;
}

/* The audit log about nominee id as login reads it. */
static struct seen
log_as(const char *login, int64_t id)
{
	struct seen s = {0};
	struct core *c = H(login);

	CHECK_INT(core_audit_log(c, id, NULL, on_log, &s), 0);
	return s;
}

/* The unit's clerk sees the nominee's own acts and nothing of its panel:
 * no sheet, no opinion, no declaration, no recusal (today's
 * core_audit_log took "panel:P/nominee:N" for "nominee:N"). */
static void
test_log_secrecy__unit_clerk_sees_no_panel_act(void)
{
	int64_t id = scenario();
	struct seen s = log_as("pc_clerk", id);

	CHECK(s.nominee > 0); /* the reader does show the clerk's acts */
	CHECK_INT(s.panel, 0);
	CHECK_INT(s.sheet_a, 0);
	CHECK_INT(s.opinion_a, 0);
	CHECK_INT(s.conflict, 0);
	CHECK_INT(s.recusal, 0);
	/* nor by asking for the expert's acts */
	{
		struct seen t = {0};

		CHECK_INT(core_audit_log(H("pc_clerk"), 0, "s_a", on_log, &t),
		          0);
		CHECK_INT(t.n, 0);
	}
	teardown();
}

/* A second expert who has declared but not scored sees their own acts
 * and not the first expert's sheet or opinion; once their own sheet is
 * in, they see the other sheets, never another expert's conflict or
 * recusal. */
static void
test_log_secrecy__second_expert_sees_sheets_only_after_own(void)
{
	int64_t id = scenario();
	struct seen s = log_as("s_b", id);

	CHECK_INT(s.decl_b, 1); /* their own declaration */
	CHECK_INT(s.sheet_a, 0);
	CHECK_INT(s.opinion_a, 0);
	CHECK_INT(s.conflict, 0);
	CHECK_INT(s.recusal, 0);
	{
		struct seen t = {0};

		CHECK_INT(core_audit_log(H("s_b"), 0, "s_a", on_log, &t), 0);
		CHECK_INT(t.sheet_a, 0);
		CHECK_INT(t.opinion_a, 0);
	}

	score("s_b", id, NULL);
	s = log_as("s_b", id);
	CHECK_INT(s.sheet_b, 1);
	CHECK_INT(s.sheet_a, 1); /* as `panel scores` now shows it */
	CHECK_INT(s.opinion_a, 1);
	CHECK_INT(s.conflict, 0);
	CHECK_INT(s.recusal, 0);
	/* and the first expert, scored, sees the second's sheet */
	s = log_as("s_a", id);
	CHECK_INT(s.sheet_b, 1);
	CHECK_INT(s.decl_b, 0);
	teardown();
}

/* Recused and conflicted experts see nothing of the nominee; another
 * county's HR and the applicant see none of the panel. */
static void
test_log_secrecy__recused_and_outsiders_see_nothing(void)
{
	int64_t id = scenario();
	struct seen s;

	s = log_as("s_own", id);
	CHECK_INT(s.n, 0);
	s = log_as("s_con", id);
	CHECK_INT(s.n, 0); /* not even their own conflict: as `declare` */
	s = log_as("yungang_hr", id);
	CHECK_INT(s.n, 0);
	s = log_as("applicant_wu", id);
	CHECK(s.nominee > 0); /* their own dossier's acts */
	CHECK_INT(s.panel, 0);
	CHECK_INT(s.opinion_a, 0);
	s = log_as("admin", id);
	CHECK_INT(s.n, 0);
	teardown();
}

/* The panel's owner, city HR and the auditor see every panel act, as
 * `panel scores` and `panel assign` show them. */
static void
test_log_secrecy__owner_city_and_auditor_see_the_panel(void)
{
	static const char *const who[] = {"pingcheng_hr", "city_hr", "auditor"};
	int64_t id = scenario();

	for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		struct seen s = log_as(who[i], id);

		CHECK_INT(s.sheet_a, 1);
		CHECK_INT(s.opinion_a, 1);
		CHECK_INT(s.decl_b, 1);
		CHECK(s.conflict >= 1);
		CHECK_INT(s.recusal, 1);
	}
	/* the owner's own panel-level acts (created, members added) */
	{
		struct seen s = {0};

		CHECK_INT(core_audit_log(H("pingcheng_hr"), 0, "pingcheng_hr",
		                         on_log, &s),
		          0);
		CHECK(s.panel >= 1 + 4 + 4);
	}
	teardown();
}

/* A nominee's history and its trail are the dossier's own acts: no
 * panel act appears there, to anyone. */
static void
test_log_secrecy__history_and_trail_hold_no_panel_act(void)
{
	static const char *const who[] = {"pc_clerk", "pingcheng_hr", "city_hr",
	                                  "s_a", "s_b"};
	int64_t id = scenario();

	for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		struct core *c = H(who[i]);
		struct seen h = {0}, t = {0};

		CHECK_INT(core_nominee_history(c, id, on_history, &h), 0);
		CHECK(h.n > 0);
		CHECK_INT(h.sheet_a + h.opinion_a + h.decl_b + h.conflict +
		              h.recusal,
		          0);
		CHECK_INT(core_audit_trail(c, id, NULL, on_trail, &t), 0);
		CHECK_INT(t.n, h.n);
		CHECK_INT(t.sheet_a + t.opinion_a + t.decl_b + t.conflict +
		              t.recusal,
		          0);
	}
	/* the conflicted expert: the answer for a missing nominee */
	CHECK_INT(core_nominee_history(H("s_con"), id, on_history, NULL),
	          CORE_ENOENT);
	teardown();
}

/* The subjects the rule reads, strictly. */
static void
test_log_secrecy__subject_parse(void)
{
	static const struct {
		const char *subject;
		enum log_subject_kind kind;
		int64_t panel, nominee;
	} cases[] = {
	    {"nominee:12", LOG_SUBJECT_NOMINEE, 0, 12},
	    {"panel:3", LOG_SUBJECT_PANEL, 3, 0},
	    {"panel:3/nominee:12", LOG_SUBJECT_PANEL_NOMINEE, 3, 12},
	    {"panel:3/nominee:12/nominee:13", LOG_SUBJECT_OTHER, 0, 0},
	    {"panel:x/nominee:12", LOG_SUBJECT_OTHER, 0, 0},
	    {"panel:3/nominee:", LOG_SUBJECT_OTHER, 0, 0},
	    {"panel:03/nominee:12", LOG_SUBJECT_OTHER, 0, 0},
	    {"nominee:-1", LOG_SUBJECT_OTHER, 0, 0},
	    {"nominee:12 ", LOG_SUBJECT_OTHER, 0, 0},
	    {"user:pc_clerk/nominee:12", LOG_SUBJECT_OTHER, 0, 0},
	    {"log", LOG_SUBJECT_OTHER, 0, 0},
	    {"", LOG_SUBJECT_OTHER, 0, 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t p = -1, n = -1;

		CHECK_INT(log_subject_parse(cases[i].subject, &p, &n),
		          cases[i].kind);
		CHECK_INT(p, cases[i].panel);
		CHECK_INT(n, cases[i].nominee);
	}
}

static const struct test_case tests_log_secrecy[] = {
    {"log_secrecy__unit_clerk_sees_no_panel_act",
     test_log_secrecy__unit_clerk_sees_no_panel_act},
    {"log_secrecy__second_expert_sees_sheets_only_after_own",
     test_log_secrecy__second_expert_sees_sheets_only_after_own},
    {"log_secrecy__recused_and_outsiders_see_nothing",
     test_log_secrecy__recused_and_outsiders_see_nothing},
    {"log_secrecy__owner_city_and_auditor_see_the_panel",
     test_log_secrecy__owner_city_and_auditor_see_the_panel},
    {"log_secrecy__history_and_trail_hold_no_panel_act",
     test_log_secrecy__history_and_trail_hold_no_panel_act},
    {"log_secrecy__subject_parse", test_log_secrecy__subject_parse},
    {NULL, NULL},
};
TEST_REGISTER(tests_log_secrecy)
