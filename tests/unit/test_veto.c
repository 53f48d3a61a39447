/*
 * The one-vote veto (一票否决) end to end: a pledge, verifications at two
 * levels, an objection during the notice, the investigation, the veto
 * and the trail naming the verifiers; a confirmed leader's veto revoking
 * the confirmation; the two-signature policy; the dishonesty register
 * refusing the same person in a later round.  NOMDESK_KDF=interactive.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"

static int64_t now_ms;

static int64_t
test_clock(void *ctx)
{
	(void)ctx;
	return now_ms;
}

#define T0 1604282400000LL /* 2020-11-02 10:00 +08:00 */
#define DAY 86400000LL

static char dir[512];

static const char *const signers[] = {"pc_clerk", "pingcheng_hr", "city_hr",
				      "auditor"};

static void
pass_of(const char *login, char out[64])
{
	snprintf(out, 64, "签名口令 of %s", login);
}

static struct core *
open_core(void)
{
	struct core *c = NULL;
	char err[256];

	if (core_open(&c, dir, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "open: %s", err);
		exit(1);
	}
	core_set_clock(c, test_clock, NULL);
	return c;
}

static struct core *
as(const char *login)
{
	struct core *c = open_core();

	if (core_act_as(c, login) != 0) {
		test_fail(__FILE__, __LINE__, "act as %s", login);
		exit(1);
	}
	return c;
}

static struct core *
console(void)
{
	struct core *c = open_core();

	core_act_as_system(c, "root");
	return c;
}

static void
make_dir(void)
{
	struct core *c;
	char err[256], pw[64];

	setenv("NOMDESK_KDF", "interactive", 1);
	snprintf(dir, sizeof(dir), "%s/data", test_tmpdir());
	if (core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
	now_ms = T0;
	c = console();
	for (size_t i = 0; i < sizeof(signers) / sizeof(signers[0]); i++) {
		pass_of(signers[i], pw);
		if (core_key_enroll(c, signers[i], pw, NULL) != 0)
			test_fail(__FILE__, __LINE__, "enroll %s: %s",
				  signers[i], core_errmsg(c));
	}
	core_close(c);
}

static int64_t
complete_nominee(const char *ymd)
{
	struct core *c = as("pc_clerk");
	struct core_nominee_new n = {"李明", "男", "1975-03-02", "主任医师",
				     NULL};
	char idn[19], birth[11];
	int64_t id = 0;

	snprintf(birth, sizeof(birth), "%.4s-%.2s-%.2s", ymd, ymd + 4,
		 ymd + 6);
	n.birth_date = birth;
	fixture_id_number(ymd, 123, idn);
	CHECK_INT(core_nominee_add(c, &n, &id, NULL), 0);
	CHECK_INT(fixture_complete(c, id, idn), 0);
	core_close(c);
	return id;
}

/* One act by login, unlocking its key for this act if it is signed;
 * pledge_paper gets a scan, a veto an evidence file. */
static int
act(const char *login, int64_t id, const char *action, const char *why)
{
	struct core *c = as(login);
	struct core_act_opts o = {0};
	uint8_t d[1][32];
	char pw[64], doc[128];
	int r;

	if (strcmp(action, "pledge_paper") == 0 ||
	    strcmp(action, "veto") == 0) {
		snprintf(doc, sizeof(doc), "%s for nominee %lld: scan",
			 action, (long long)id);
		CHECK_INT(core_doc_store(c, doc, strlen(doc), d[0]), 0);
		o.attach = (const uint8_t(*)[32])d;
		o.n_attach = 1;
	}
	if (core_action_signed(action)) {
		pass_of(login, pw);
		if ((r = core_key_unlock(c, pw, 0)) != 0) {
			core_close(c);
			return r;
		}
	}
	r = core_act_ex(c, id, action, why, &o, NULL);
	core_close(c);
	return r;
}

static void
act_ok(const char *login, int64_t id, const char *action, const char *why)
{
	int r = act(login, id, action, why);

	if (r != 0)
		test_fail(__FILE__, __LINE__, "%s by %s: %s", action, login,
			  core_strerror(r));
}

/* The expert panel's pass, which screen and committee_review require. */
static void
evaluate(int64_t id, int city)
{
	struct core *owner = as(city ? "city_hr" : "pingcheng_hr"), *expert = as("expert_zhou");

	if (fixture_panel_pass(owner, expert, id, city) != 0)
		test_fail(__FILE__, __LINE__, "panel: %s / %s",
			  core_errmsg(owner), core_errmsg(expert));
	core_close(owner);
	core_close(expert);
}

static void
state_is(int64_t id, const char *want)
{
	struct core *c = as("city_hr");
	struct core_dossier *d = calloc(1, sizeof(*d));

	CHECK_INT(core_nominee_get(c, id, d), 0);
	CHECK_STR(d->n.state, want);
	free(d);
	core_close(c);
}

static void
trail_get(const char *login, int64_t id, struct fixture_trail *tr)
{
	struct core *c = as(login);

	CHECK_INT(fixture_trail_get(c, id, tr), 0);
	core_close(c);
}

static int
verifier(const struct fixture_trail *tr, const char *actor)
{
	for (size_t i = 0; i < tr->n; i++)
		if (tr->it[i].verifier && strcmp(tr->it[i].actor, actor) == 0)
			return 1;
	return 0;
}

/* Draft to the city's public notice. */
static void
to_public_notice(int64_t id)
{
	act_ok("pc_clerk", id, "pledge_paper", NULL);
	act_ok("pc_clerk", id, "unit_review", NULL); /* 查验, level 1 */
	act_ok("pc_clerk", id, "submit", NULL);
	evaluate(id, 0);
	act_ok("pingcheng_hr", id, "screen", NULL);
	act_ok("pingcheng_hr", id, "open_local_notice", NULL);
	now_ms += 6 * DAY;
	act_ok("pingcheng_hr", id, "report", NULL);
	act_ok("city_hr", id, "hr_check", NULL); /* 初审, level 2 */
	evaluate(id, 1);
	act_ok("city_hr", id, "committee_review", NULL);
	act_ok("city_hr", id, "hr_approve", NULL);
	act_ok("city_hr", id, "gov_approve", "同政函〔2020〕123号");
	act_ok("city_hr", id, "open_public_notice", NULL);
}

static void
test_veto__end_to_end(void)
{
	struct fixture_trail tr;
	const struct core_trail_item *v;
	int64_t id;

	make_dir();
	id = complete_nominee("19750302");
	to_public_notice(id);
	/* an objection during the notice opens the investigation */
	act_ok("auditor", id, "object", "实名反映：获奖证书系伪造");
	state_is(id, "under_investigation");
	/* the veto: reason and evidence required, the veto roles only */
	CHECK_INT(act("auditor", id, "veto", NULL), CORE_EINVAL);
	CHECK_INT(act("pingcheng_hr", id, "veto", "x"), CORE_EPERM);
	act_ok("auditor", id, "veto",
	       "经调查核实，获奖证书系伪造，实行一票否决");
	state_is(id, "vetoed");
	/* terminal within the round */
	CHECK_INT(act("auditor", id, "clear", "x"), CORE_ESTATE);
	CHECK_INT(act("city_hr", id, "veto", "again"), CORE_ESTATE);
	CHECK_INT(act("city_hr", id, "confirm", NULL), CORE_ESTATE);
	/* an appeal is its own signed act; the veto stands */
	act_ok("city_hr", id, "appeal", "申诉理由不成立，维持否决");
	state_is(id, "vetoed");

	trail_get("auditor", id, &tr);
	CHECK(tr.h.vetoed);
	CHECK_STR(tr.h.state, "vetoed");
	/* both levels of verification answer for the falsified version */
	CHECK(verifier(&tr, "pc_clerk"));
	CHECK(verifier(&tr, "city_hr"));
	CHECK(verifier(&tr, "pingcheng_hr"));
	CHECK(!verifier(&tr, "auditor"));
	CHECK(fixture_trail_find(&tr, "unit_review", 0) &&
	      fixture_trail_find(&tr, "unit_review", 0)->verifier &&
	      fixture_trail_find(&tr, "unit_review", 0)->sig == CORE_SIG_VALID);
	CHECK(fixture_trail_find(&tr, "hr_check", 0) &&
	      fixture_trail_find(&tr, "hr_check", 0)->verifier &&
	      fixture_trail_find(&tr, "hr_check", 0)->sig == CORE_SIG_VALID);
	CHECK(fixture_trail_find(&tr, "pledge_paper", 0) &&
	      fixture_trail_find(&tr, "pledge_paper", 0)->verifier);
	/* procedural steps vouch for nothing */
	CHECK(fixture_trail_find(&tr, "submit", 0) &&
	      !fixture_trail_find(&tr, "submit", 0)->verifier &&
	      fixture_trail_find(&tr, "submit", 0)->sig == CORE_SIG_UNSIGNED);
	CHECK(fixture_trail_find(&tr, "object", 0) &&
	      !fixture_trail_find(&tr, "object", 0)->verifier);
	v = fixture_trail_find(&tr, "veto", 0);
	CHECK(v && v->act == 8 && v->decision == 4 &&
	      v->sig == CORE_SIG_VALID && v->n_attach == 1);
	CHECK(v && strcmp(v->digest_hex, tr.h.veto_digest_hex) == 0);
	CHECK(tr.h.n_verifiers >= 6);
	free(tr.it);
}

static void
test_veto__revokes_a_confirmed_leader(void)
{
	struct fixture_trail tr;
	int64_t id;

	make_dir();
	id = complete_nominee("19750302");
	to_public_notice(id);
	now_ms += 6 * DAY;
	act_ok("city_hr", id, "confirm", NULL);
	state_is(id, "confirmed");
	act_ok("city_hr", id, "veto", "确认后发现论文抄袭");
	state_is(id, "vetoed");
	trail_get("auditor", id, &tr);
	/* the confirmation is revoked, recorded, not erased */
	CHECK(fixture_trail_find(&tr, "confirm", 0) != NULL);
	CHECK(fixture_trail_find(&tr, "veto", 0) &&
	      strstr(fixture_trail_find(&tr, "veto", 0)->reason,
		     "confirmation revoked") != NULL);
	CHECK(verifier(&tr, "city_hr"));
	free(tr.it);
}

static void
test_veto__two_signature_policy(void)
{
	struct core *c;
	struct fixture_trail tr;
	int64_t id, id2;
	char idn[19];

	make_dir();
	c = as("pc_clerk");
	CHECK_INT(core_veto_policy_set(c, 2, NULL), CORE_EPERM);
	core_close(c);
	c = console();
	CHECK_INT(core_veto_policy_set(c, 3, NULL), CORE_EINVAL);
	CHECK_INT(core_veto_policy_set(c, 2, NULL), 0);
	CHECK_INT(core_veto_policy_get(c), 2);
	core_close(c);
	id = complete_nominee("19750302");
	act_ok("pc_clerk", id, "pledge_paper", NULL);
	act_ok("auditor", id, "veto", "承诺书签名非本人");
	state_is(id, "pledged"); /* not yet: one signature of two */
	trail_get("city_hr", id, &tr);
	CHECK(!tr.h.vetoed);
	CHECK_INT(tr.h.n_verifiers, 0);
	free(tr.it);
	/* the pending veto blocks the nomination */
	CHECK_INT(act("pc_clerk", id, "unit_review", NULL), CORE_ESTATE);
	CHECK_INT(act("city_hr", id, "veto", "x"), CORE_ESTATE);
	CHECK_INT(act("auditor", id, "veto_countersign", NULL), CORE_EPERM);
	act_ok("city_hr", id, "veto_countersign", "同意否决");
	state_is(id, "vetoed");
	trail_get("auditor", id, &tr);
	CHECK(tr.h.vetoed);
	CHECK(verifier(&tr, "pc_clerk"));
	free(tr.it);
	c = as("city_hr");
	fixture_id_number("19750302", 123, idn);
	CHECK_INT(core_veto_register_check(c, idn), CORE_EPERM);
	core_close(c);

	/* a pending veto can be cancelled instead; nothing is listed */
	id2 = complete_nominee("19800101");
	act_ok("pc_clerk", id2, "pledge_paper", NULL);
	act_ok("city_hr", id2, "veto", "疑似材料不实");
	CHECK_INT(act("auditor", id2, "veto_cancel", NULL), CORE_EINVAL);
	act_ok("auditor", id2, "veto_cancel", "经核实材料属实，撤销");
	state_is(id2, "pledged");
	act_ok("pc_clerk", id2, "unit_review", NULL);
	c = as("city_hr");
	fixture_id_number("19800101", 123, idn);
	CHECK_INT(core_veto_register_check(c, idn), 0);
	core_close(c);
}

/* A second round: the built-in definition under another code. */
static void
load_next_round(void)
{
	struct core *c = console();
	size_t len = 0;
	const char *src = core_round_builtin("datong-2020", &len);
	char *json, *p;

	CHECK(src != NULL);
	if (!src) {
		core_close(c);
		return;
	}
	json = malloc(len + 1);
	memcpy(json, src, len);
	json[len] = '\0';
	p = strstr(json, "\"datong-2020\"");
	CHECK(p != NULL);
	if (p)
		memcpy(p, "\"datong-2022\"", 13);
	if (core_round_load(c, json, len, 1, NULL) != 0)
		test_fail(__FILE__, __LINE__, "round load: %s",
			  core_errmsg(c));
	free(json);
	core_close(c);
}

static void
test_veto__register_refuses_next_round(void)
{
	struct core *c;
	char idn[19], other[19];
	int64_t id, again;

	make_dir();
	id = complete_nominee("19750302");
	act_ok("pc_clerk", id, "pledge_paper", NULL);
	act_ok("city_hr", id, "veto", "伪造学历证书");
	state_is(id, "vetoed");
	fixture_id_number("19750302", 123, idn);
	fixture_id_number("19800101", 123, other);

	load_next_round();
	now_ms += 400 * DAY;
	again = complete_nominee("19800101");
	/* refused at entry to the new round: the ID number cannot be set */
	c = as("pc_clerk");
	CHECK_INT(core_veto_register_check(c, idn), CORE_EPERM);
	CHECK(strstr(core_errmsg(c), "datong-2020") != NULL);
	CHECK_STR(core_errfield(c), "id_number");
	CHECK_INT(core_veto_register_check(c, other), 0);
	{
		struct core_field_value v = {"id_number", idn};

		CHECK_INT(core_nominee_edit(c, again, &v, 1, NULL),
			  CORE_EPERM);
		CHECK_STR(core_errfield(c), "id_number");
		core_close(c);
		/* a granted appeal lifts the listing (the veto stands) */
		act_ok("auditor", id, "appeal_grant",
		       "复核认定证书真实，撤销失信记录");
		state_is(id, "vetoed");
		c = as("pc_clerk");
		CHECK_INT(core_nominee_edit(c, again, &v, 1, NULL), 0);
		core_close(c);
	}
	act_ok("pc_clerk", again, "pledge_paper", NULL);
	state_is(again, "pledged");
}

static void
test_veto__register_expires(void)
{
	struct core *c;
	char idn[19];
	int64_t id;

	make_dir();
	id = complete_nominee("19750302");
	act_ok("city_hr", id, "veto", "伪造学历证书");
	fixture_id_number("19750302", 123, idn);
	c = as("pc_clerk");
	now_ms += 1095 * DAY;
	CHECK_INT(core_veto_register_check(c, idn), CORE_EPERM);
	now_ms += 2 * DAY;
	CHECK_INT(core_veto_register_check(c, idn), 0);
	core_close(c);
}

/* The policy fails closed: when its row cannot be read, a veto needs
 * two signatures, never one. */
static void
test_veto__unreadable_policy_needs_two(void)
{
	struct core *c;

	make_dir();
	c = console();
	CHECK_INT(core_veto_policy_get(c), 1); /* the default */
	fixture_db_exec(dir, "ALTER TABLE meta RENAME TO meta_gone");
	CHECK_INT(core_veto_policy_get(c), 2);
	fixture_db_exec(dir, "ALTER TABLE meta_gone RENAME TO meta");
	CHECK_INT(core_veto_policy_get(c), 1);
	core_close(c);
}

static const struct test_case tests_veto[] = {
	{"veto__unreadable_policy_needs_two",
	 test_veto__unreadable_policy_needs_two},
	{"veto__end_to_end", test_veto__end_to_end},
	{"veto__revokes_a_confirmed_leader",
	 test_veto__revokes_a_confirmed_leader},
	{"veto__two_signature_policy", test_veto__two_signature_policy},
	{"veto__register_refuses_next_round",
	 test_veto__register_refuses_next_round},
	{"veto__register_expires", test_veto__register_expires},
	{NULL, NULL},
};
TEST_REGISTER(tests_veto)
