/*
 * Stale versions (issue 8 item 7).  A dossier read before BEGIN may be
 * stale by the time the write transaction holds the lock: another session
 * edited, acted or added an item in between.  And a screen shows a
 * dossier minutes before its user saves or signs.  Every write over a
 * dossier checks, inside its transaction, that the nominee is still the
 * version core read and the version the caller showed (its seq, the
 * *_seen() functions; nominee_unchanged), so a stale read is refused with
 * CORE_ESTALE and the database is left exactly as it was, instead of
 * overwriting the newer version or signing one nobody saw.
 *
 * Two handles on one data directory play the two sides: `screen` read
 * the dossier (the version it shows), `other` (the CLI, another clerk)
 * changes it, then `screen` writes over what it showed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/core_int.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"

static char dir[512];

static void
make_dir(void)
{
	char err[256];

	snprintf(dir, sizeof(dir), "%s/data", test_tmpdir());
	if (core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
}

/* A nominee of 平城区中心医院, complete for the pledge, in draft. */
static int64_t
complete_nominee(struct core *c, int n)
{
	struct core_nominee_new nn = {"李明", "男", "1975-03-02", "主任医师",
				      NULL};
	char idn[19];
	int64_t id = 0;

	fixture_id_number("19750302", n, idn);
	CHECK_INT(core_nominee_add(c, &nn, &id, NULL), 0);
	CHECK_INT(fixture_complete(c, id, idn), 0);
	return id;
}

/* The nominee's seq as a screen would show it (core_nominee_get). */
static uint64_t
shown_seq(struct core *c, int64_t id)
{
	static struct core_dossier d;

	CHECK_INT(core_nominee_get(c, id, &d), 0);
	return d.n.seq;
}

/* The first column of the first row of sql over c's database. */
static long long
q(struct core *c, const char *sql, int64_t id)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "%s: %s", sql,
			  sqlite3_errmsg(c->db));
		return -1;
	}
	if (sqlite3_bind_parameter_count(st) > 0) {
		sqlite3_bind_int64(st, 1, id);
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		v = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return v;
}

/* What a refused write must leave as it was. */
struct snap {
	long long entries, seq, version, applicant, items, materials;
	long long scores, declared, digest_len;
	char state[32];
	char digest[65];
};

static void
snap_take(struct core *c, int64_t id, struct snap *s)
{
	sqlite3_stmt *st = NULL;

	memset(s, 0, sizeof(*s));
	s->entries = q(c, "SELECT count(*) FROM log_entry", 0);
	s->seq = q(c, "SELECT seq FROM nominee WHERE id = ?1", id);
	s->version = q(c, "SELECT version FROM nominee WHERE id = ?1", id);
	s->applicant = q(c,
			 "SELECT COALESCE(applicant_user, 0) FROM nominee "
			 "WHERE id = ?1",
			 id);
	s->items = q(c, "SELECT count(*) FROM nominee_item WHERE nominee_id "
			"= ?1",
		     id);
	s->materials = q(c,
			 "SELECT count(*) FROM nominee_material WHERE "
			 "nominee_id = ?1",
			 id);
	s->scores = q(c, "SELECT count(*) FROM panel_score WHERE nominee_id = "
			 "?1",
		      id);
	s->declared = q(c,
			"SELECT count(*) FROM panel_assignment WHERE "
			"nominee_id = ?1 AND status <> 'assigned'",
			id);
	if (sqlite3_prepare_v2(c->db,
			       "SELECT state, hex(digest) FROM nominee WHERE "
			       "id = ?1",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(s->state, sizeof(s->state), "%s",
				 (const char *)sqlite3_column_text(st, 0));
			snprintf(s->digest, sizeof(s->digest), "%s",
				 (const char *)sqlite3_column_text(st, 1));
		}
	}
	sqlite3_finalize(st);
}

#define CHECK_UNCHANGED(c, id, before)                                      \
	do {                                                                \
		struct snap after_;                                         \
		snap_take((c), (id), &after_);                              \
		CHECK_INT(after_.entries, (before)->entries);               \
		CHECK_INT(after_.seq, (before)->seq);                       \
		CHECK_INT(after_.version, (before)->version);               \
		CHECK_INT(after_.applicant, (before)->applicant);           \
		CHECK_INT(after_.items, (before)->items);                   \
		CHECK_INT(after_.materials, (before)->materials);           \
		CHECK_INT(after_.scores, (before)->scores);                 \
		CHECK_INT(after_.declared, (before)->declared);             \
		CHECK_STR(after_.state, (before)->state);                   \
		CHECK_STR(after_.digest, (before)->digest);                 \
	} while (0)

/* The refusal says what happened and what to do, naming the nominee. */
static void
check_stale_msg(struct core *c, int64_t id)
{
	char want[64];

	snprintf(want, sizeof(want), "nominee %lld", (long long)id);
	CHECK(strstr(core_errmsg(c), want) != NULL);
	CHECK(strstr(core_errmsg(c), "changed by someone else since you "
				     "opened it; reload") != NULL);
}

static void
test_stale__write_after_another_session_is_refused(void)
{
	struct core_nominee_new n = {"李明", "男", "1975-03-02", "主任医师",
				     NULL};
	struct core_field_value v = {"education", "研究生"};
	static struct core_dossier d;
	struct core *a, *b;
	uint8_t salt[32];
	int64_t id = 0;

	make_dir();
	a = fixture_open_as(dir, "pc_clerk", NULL);
	b = fixture_open_as(dir, "pc_clerk", NULL);
	CHECK_INT(core_nominee_add(a, &n, &id, NULL), 0);

	/* a reads; nothing changed yet: the check passes */
	CHECK_INT(nominee_load(a, id, &d, salt, 1), 0);
	CHECK_INT(tx_begin(a), 0);
	CHECK_INT(nominee_unchanged(a, &d, 0), 0);
	CHECK_INT(nominee_unchanged(a, &d, d.n.seq), 0);
	tx_rollback(a);

	/* b writes in between; a's read is now stale and refused, naming
	 * the nominee */
	CHECK_INT(core_nominee_edit(b, id, &v, 1, NULL), 0);
	CHECK_INT(tx_begin(a), 0);
	CHECK_INT(nominee_unchanged(a, &d, 0), CORE_ESTALE);
	check_stale_msg(a, id);
	tx_rollback(a);

	/* a fresh read is fine again, but not with the old version shown */
	{
		uint64_t old = d.n.seq;

		CHECK_INT(nominee_load(a, id, &d, salt, 1), 0);
		CHECK_INT(tx_begin(a), 0);
		CHECK_INT(nominee_unchanged(a, &d, 0), 0);
		CHECK_INT(nominee_unchanged(a, &d, old), CORE_ESTALE);
		CHECK_INT(nominee_unchanged(a, &d, d.n.seq), 0);
		tx_rollback(a);
	}
	core_close(a);
	core_close(b);
}

/*
 * The version token: seq moves to the new log entry on every change of a
 * nominee (edits, items, materials, the applicant link, workflow acts,
 * signed or not), so it names one version and never comes back; the
 * experts' acts on a panel do not change the dossier and do not move it
 * (one expert's sheet never makes another's stale).
 */
static void
test_stale__every_change_moves_seq(void)
{
	struct core_field_value v = {"education", "研究生"};
	struct core_item it = {0};
	struct core *clerk, *hr, *expert;
	struct core_panel_new p = {"组一", CORE_PANEL_LOCAL, CORE_PANEL_MEAN,
				   "merit:10", "6", 1};
	struct core_score sc = {"merit", "10"};
	uint64_t s0, s;
	int64_t id;

	make_dir();
	clerk = fixture_open_as(dir, "pc_clerk", NULL);
	hr = fixture_open_as(dir, "pingcheng_hr", NULL);
	expert = fixture_open_as(dir, "expert_zhou", NULL);
	CHECK_INT(fixture_unlock(clerk), 0);
	CHECK_INT(fixture_unlock(expert), 0);
	id = complete_nominee(clerk, 1);
	s0 = shown_seq(clerk, id);

#define MOVES(call)                                                         \
	do {                                                                \
		CHECK_INT((call), 0);                                       \
		s = shown_seq(clerk, id);                                   \
		CHECK(s > s0);                                              \
		CHECK_INT((long long)s,                                     \
			  q(clerk, "SELECT max(seq) FROM log_entry", 0));   \
		s0 = s;                                                     \
	} while (0)

	MOVES(core_nominee_edit(clerk, id, &v, 1, NULL));
	snprintf(it.kind, sizeof(it.kind), "work");
	snprintf(it.date_from, sizeof(it.date_from), "2001-07");
	snprintf(it.title, sizeof(it.title), "平城区中心医院 主治医师");
	MOVES(core_item_add(clerk, id, &it, NULL));
	MOVES(core_material_set(clerk, id, "registration_form", 2, 0, NULL));
	MOVES(core_nominee_set_applicant(clerk, id, "applicant_wu", NULL));
	MOVES(core_act(clerk, id, "pledge_paper", "纸质原件存本单位人事科",
		       NULL));
	MOVES(core_act(clerk, id, "unit_review", NULL, NULL));
	MOVES(core_act(clerk, id, "submit", NULL, NULL));
#undef MOVES

	/* the panel's acts are not changes of the dossier */
	CHECK_INT(core_panel_create(hr, &p, NULL, NULL), 0);
	CHECK_INT(core_panel_add_member(hr, "组一", "expert_zhou", NULL), 0);
	CHECK_INT(core_panel_assign(hr, "组一", id, NULL, NULL, NULL), 0);
	CHECK_INT(core_panel_declare_seen(expert, "组一", id, s0, NULL, NULL),
		  0);
	CHECK_INT(core_panel_score_seen(expert, "组一", id, s0, &sc, 1, NULL,
					NULL),
		  0);
	CHECK_INT((long long)shown_seq(clerk, id), (long long)s0);
	core_close(expert);
	core_close(hr);
	core_close(clerk);
}

static void
test_stale__edit_over_an_older_version_is_refused(void)
{
	struct core_field_value mine = {"specialty", "心血管介入"};
	struct core_field_value theirs = {"specialty", "心内科"};
	struct core *screen, *other;
	struct snap before;
	uint64_t shown;
	int64_t id;

	make_dir();
	screen = fixture_open_as(dir, "pc_clerk", NULL);
	other = fixture_open_as(dir, "pc_clerk", NULL);
	id = complete_nominee(screen, 1);
	shown = shown_seq(screen, id);

	/* the version shown is the current one: saved */
	CHECK_INT(core_nominee_edit_seen(screen, id, shown, &mine, 1, NULL), 0);
	shown = shown_seq(screen, id);

	/* someone else changes it while the form is open: the form's save
	 * is refused and theirs survives */
	CHECK_INT(core_nominee_edit(other, id, &theirs, 1, NULL), 0);
	snap_take(screen, id, &before);
	CHECK_INT(core_nominee_edit_seen(screen, id, shown, &mine, 1, NULL),
		  CORE_ESTALE);
	check_stale_msg(screen, id);
	CHECK_UNCHANGED(screen, id, &before);
	{
		static struct core_dossier d;

		CHECK_INT(core_nominee_get(screen, id, &d), 0);
		CHECK_STR(d.specialty, "心内科");
		/* reloaded: the new version saves */
		CHECK_INT(core_nominee_edit_seen(screen, id, d.n.seq, &mine, 1,
						 NULL),
			  0);
		CHECK_INT(core_nominee_get(screen, id, &d), 0);
		CHECK_STR(d.specialty, "心血管介入");
	}

	/* no longer editable and shown stale: the stale answer, not a
	 * refusal about a state the screen never showed */
	shown = shown_seq(screen, id);
	CHECK_INT(fixture_unlock(other), 0);
	CHECK_INT(core_act(other, id, "pledge_paper", "纸质原件存人事科", NULL),
		  0);
	CHECK_INT(core_act(other, id, "unit_review", NULL, NULL), 0);
	snap_take(screen, id, &before);
	CHECK_INT(core_nominee_edit_seen(screen, id, shown, &theirs, 1, NULL),
		  CORE_ESTALE);
	CHECK_UNCHANGED(screen, id, &before);
	/* with the version it now is, the state's own refusal */
	CHECK_INT(core_nominee_edit_seen(screen, id, shown_seq(screen, id),
					 &theirs, 1, NULL),
		  CORE_ESTATE);
	core_close(screen);
	core_close(other);
}

static void
test_stale__items_materials_applicant_over_an_older_version(void)
{
	struct core_field_value theirs = {"phone", "0352-1234567"};
	struct core_item it = {0};
	struct core *screen, *other;
	struct snap before;
	uint64_t shown;
	int64_t id;

	make_dir();
	screen = fixture_open_as(dir, "pc_clerk", NULL);
	other = fixture_open_as(dir, "pc_clerk", NULL);
	id = complete_nominee(screen, 1);
	snprintf(it.kind, sizeof(it.kind), "research");
	snprintf(it.date_from, sizeof(it.date_from), "2018-03");
	snprintf(it.title, sizeof(it.title), "市级重点项目");

	shown = shown_seq(screen, id);
	CHECK_INT(core_nominee_edit(other, id, &theirs, 1, NULL), 0);
	snap_take(screen, id, &before);
	CHECK_INT(core_item_add_seen(screen, id, shown, &it, NULL), CORE_ESTALE);
	check_stale_msg(screen, id);
	CHECK_UNCHANGED(screen, id, &before);
	CHECK_INT(core_material_set_seen(screen, id, shown, "certificates", 1,
					 1, NULL),
		  CORE_ESTALE);
	check_stale_msg(screen, id);
	CHECK_UNCHANGED(screen, id, &before);
	CHECK_INT(core_nominee_set_applicant_seen(screen, id, shown,
						  "applicant_wu", NULL),
		  CORE_ESTALE);
	check_stale_msg(screen, id);
	CHECK_UNCHANGED(screen, id, &before);

	/* each with the version shown now */
	shown = shown_seq(screen, id);
	CHECK_INT(core_item_add_seen(screen, id, shown, &it, NULL), 0);
	shown = shown_seq(screen, id);
	CHECK_INT(core_material_set_seen(screen, id, shown, "certificates", 1,
					 1, NULL),
		  0);
	shown = shown_seq(screen, id);
	CHECK_INT(core_nominee_set_applicant_seen(screen, id, shown,
						  "applicant_wu", NULL),
		  0);
	/* seq 0: the one-shot callers' "current version" */
	CHECK_INT(core_material_set(screen, id, "pledge", 1, 0, NULL), 0);
	core_close(screen);
	core_close(other);
}

/*
 * A workflow act over a version nobody showed: refused before anything
 * is signed, the state and the log as they were.  Also when the change
 * moved the state (an edit voids the pledge): the stale answer, not
 * "unit_review: nominee N is draft".
 */
static void
test_stale__act_over_an_older_version_signs_nothing(void)
{
	struct core_field_value theirs = {"specialty", "心内科"};
	struct core *screen, *other;
	struct snap before;
	uint64_t shown;
	int64_t id;

	make_dir();
	screen = fixture_open_as(dir, "pc_clerk", NULL);
	other = fixture_open_as(dir, "pc_clerk", NULL);
	CHECK_INT(fixture_unlock(screen), 0);
	id = complete_nominee(screen, 1);

	/* a signed act: the pledge recorded over an older version */
	shown = shown_seq(screen, id);
	CHECK_INT(core_nominee_edit(other, id, &theirs, 1, NULL), 0);
	snap_take(screen, id, &before);
	CHECK_INT(core_act_seen(screen, id, shown, "pledge_paper",
				"纸质原件存人事科", NULL, NULL),
		  CORE_ESTALE);
	check_stale_msg(screen, id);
	CHECK_UNCHANGED(screen, id, &before);
	CHECK_INT(q(screen,
		    "SELECT count(*) FROM log_entry WHERE act = 7 AND "
		    "subject = 'nominee:' || ?1",
		    id),
		  0);

	/* with the version shown now it is taken */
	shown = shown_seq(screen, id);
	CHECK_INT(core_act_seen(screen, id, shown, "pledge_paper",
				"纸质原件存人事科", NULL, NULL),
		  0);

	/* pledged on the screen; an edit elsewhere voids the pledge (back
	 * to draft): the first review is refused as stale */
	shown = shown_seq(screen, id);
	theirs.value = "心内科 介入";
	CHECK_INT(core_nominee_edit(other, id, &theirs, 1, NULL), 0);
	snap_take(screen, id, &before);
	CHECK_STR(before.state, "draft");
	CHECK_INT(core_act_seen(screen, id, shown, "unit_review", NULL, NULL,
				NULL),
		  CORE_ESTALE);
	check_stale_msg(screen, id);
	CHECK_UNCHANGED(screen, id, &before);
	CHECK_INT(q(screen,
		    "SELECT count(*) FROM log_entry WHERE act = 5 AND "
		    "subject = 'nominee:' || ?1",
		    id),
		  0);
	/* with the current version, the state's own answer */
	CHECK_INT(core_act_seen(screen, id, shown_seq(screen, id),
				"unit_review", NULL, NULL, NULL),
		  CORE_ESTATE);

	/* an unsigned act with a reason: the same */
	shown = shown_seq(screen, id);
	theirs.value = "心内科";
	CHECK_INT(core_nominee_edit(other, id, &theirs, 1, NULL), 0);
	snap_take(screen, id, &before);
	CHECK_INT(core_act_seen(screen, id, shown, "withdraw", "单位决定撤回",
				NULL, NULL),
		  CORE_ESTALE);
	CHECK_UNCHANGED(screen, id, &before);
	core_close(screen);
	core_close(other);
}

/* The expert's version: the seq their assignment list showed. */
static int
take_seq(void *ctx, const struct core_panel_assignment *a)
{
	*(uint64_t *)ctx = a->seq;
	return 0;
}

static uint64_t
listed_seq(struct core *expert)
{
	uint64_t seq = 0;

	CHECK_INT(core_panel_assignments(expert, take_seq, &seq), 0);
	return seq;
}

/* The county returns the nomination, the unit corrects and submits it
 * again: a new version of the dossier with the panel. */
static void
resubmit(struct core *hr, struct core *clerk, int64_t id, const char *what)
{
	struct core_field_value v = {"specialty", what};

	CHECK_INT(core_act(hr, id, "return", "补充材料", NULL), 0);
	CHECK_INT(core_nominee_edit(clerk, id, &v, 1, NULL), 0);
	CHECK_INT(core_act(clerk, id, "pledge_paper", "纸质原件存人事科", NULL),
		  0);
	CHECK_INT(core_act(clerk, id, "unit_review", NULL, NULL), 0);
	CHECK_INT(core_act(clerk, id, "submit", NULL, NULL), 0);
}

/*
 * A declaration or a score sheet over a dossier the expert did not see:
 * the expert's list showed a version; the nomination went back, was
 * corrected and came back while the expert had it open.  Refused, nothing
 * signed or scored; with the version listed now, taken.
 */
static void
test_stale__panel_declaration_and_sheet_over_an_older_version(void)
{
	struct core_panel_new p = {"组一", CORE_PANEL_LOCAL, CORE_PANEL_MEAN,
				   "merit:10", "6", 1};
	struct core_score sc = {"merit", "8"};
	struct core *clerk, *hr, *expert;
	struct snap before;
	uint64_t shown;
	int64_t id;

	make_dir();
	clerk = fixture_open_as(dir, "pc_clerk", NULL);
	hr = fixture_open_as(dir, "pingcheng_hr", NULL);
	expert = fixture_open_as(dir, "expert_zhou", NULL);
	CHECK_INT(fixture_unlock(clerk), 0);
	CHECK_INT(fixture_unlock(hr), 0);
	CHECK_INT(fixture_unlock(expert), 0);
	id = complete_nominee(clerk, 1);
	CHECK_INT(core_act(clerk, id, "pledge_paper", "纸质原件存人事科", NULL),
		  0);
	CHECK_INT(core_act(clerk, id, "unit_review", NULL, NULL), 0);
	CHECK_INT(core_act(clerk, id, "submit", NULL, NULL), 0);
	CHECK_INT(core_panel_create(hr, &p, NULL, NULL), 0);
	CHECK_INT(core_panel_add_member(hr, "组一", "expert_zhou", NULL), 0);
	CHECK_INT(core_panel_assign(hr, "组一", id, NULL, NULL, NULL), 0);

	/* the declaration */
	shown = listed_seq(expert);
	CHECK_INT((long long)shown, (long long)shown_seq(clerk, id));
	resubmit(hr, clerk, id, "心内科");
	snap_take(expert, id, &before);
	CHECK_INT(core_panel_declare_seen(expert, "组一", id, shown, NULL, NULL),
		  CORE_ESTALE);
	check_stale_msg(expert, id);
	CHECK_UNCHANGED(expert, id, &before);
	CHECK_INT(fixture_unlock(expert), 0);
	CHECK_INT(core_panel_declare_seen(expert, "组一", id,
					  listed_seq(expert), NULL, NULL),
		  0);

	/* the score sheet */
	shown = listed_seq(expert);
	resubmit(hr, clerk, id, "心血管内科");
	snap_take(expert, id, &before);
	CHECK_INT(core_panel_score_seen(expert, "组一", id, shown, &sc, 1,
					"材料扎实", NULL),
		  CORE_ESTALE);
	check_stale_msg(expert, id);
	CHECK_UNCHANGED(expert, id, &before);
	CHECK_INT(core_panel_score_seen(expert, "组一", id, listed_seq(expert),
					&sc, 1, "材料扎实", NULL),
		  0);
	CHECK_INT(q(expert,
		    "SELECT count(*) FROM panel_score WHERE nominee_id = ?1",
		    id),
		  1);
	core_close(expert);
	core_close(hr);
	core_close(clerk);
}

static const struct test_case tests_stale[] = {
	{"stale__write_after_another_session_is_refused",
	 test_stale__write_after_another_session_is_refused},
	{"stale__every_change_moves_seq", test_stale__every_change_moves_seq},
	{"stale__edit_over_an_older_version_is_refused",
	 test_stale__edit_over_an_older_version_is_refused},
	{"stale__items_materials_applicant_over_an_older_version",
	 test_stale__items_materials_applicant_over_an_older_version},
	{"stale__act_over_an_older_version_signs_nothing",
	 test_stale__act_over_an_older_version_signs_nothing},
	{"stale__panel_declaration_and_sheet_over_an_older_version",
	 test_stale__panel_declaration_and_sheet_over_an_older_version},
	{NULL, NULL},
};
TEST_REGISTER(tests_stale)
