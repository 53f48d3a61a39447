/*
 * What panels decide: the score sheets (shown to an expert only after
 * their own), each nominee's result by the panel's rule and quorum, the
 * committee's ranked list against the round's target, and the workflow
 * precondition panel_check_result().
 *
 * Arithmetic is in integers: totals in tenths; the mean rule compares
 * sum >= threshold * n exactly, so no rounding decides a result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"

/* States in which a nominee is still in the running at the city. */
static int
in_running(const char *state)
{
	int s = core_state_parse(state);

	/* from the city's initial review up the ladder */
	return (s >= CORE_ST_HR_CHECKED && s <= CORE_ST_CONFIRMED) ||
	       s == CORE_ST_UNDER_INVESTIGATION;
}

int
panel_nominee_result(struct core *c, const struct core_panel *p, int64_t id,
                     struct core_panel_result *out)
{
	sqlite3_stmt *st = NULL;
	int64_t sum = 0;
	int r;

	memset(out, 0, sizeof(*out));
	out->nominee_id = id;
	out->quorum = p->quorum;
	if ((r = db_query(c, &st,
	                  "SELECT n.name, n.unit, u.name, n.state FROM "
	                  "nominee n JOIN unit u ON u.code = n.unit WHERE "
	                  "n.id = ?1",
	                  "i", id)) != 0) {
		return r;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		db_copy(out->name, sizeof(out->name), st, 0);
		db_copy(out->unit, sizeof(out->unit), st, 1);
		db_copy(out->unit_name, sizeof(out->unit_name), st, 2);
		db_copy(out->state, sizeof(out->state), st, 3);
	}
	sqlite3_finalize(st);
	if ((r = db_query(c, &st,
	                  "SELECT coalesce(sum(status IN ('assigned', "
	                  "'declared', 'scored')), 0), coalesce(sum(status "
	                  "IN ('recused', 'conflict')), 0), "
	                  "coalesce(sum(status = 'scored'), 0), "
	                  "coalesce(sum(CASE WHEN status = 'scored' THEN "
	                  "total_x10 ELSE 0 END), 0), coalesce(sum(status = "
	                  "'scored' AND total_x10 >= ?3), 0) FROM "
	                  "panel_assignment WHERE panel_id = ?1 AND "
	                  "nominee_id = ?2",
	                  "iid", (int64_t)p->id, id, (int)p->threshold_x10)) !=
	    0) {
		return r;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->n_assigned = sqlite3_column_int(st, 0);
		out->n_recused = sqlite3_column_int(st, 1);
		out->n_submitted = sqlite3_column_int(st, 2);
		sum = sqlite3_column_int64(st, 3);
		out->yes = sqlite3_column_int(st, 4);
	}
	sqlite3_finalize(st);
	if (out->n_submitted > 0) {
		out->mean_x100 =
		    (sum * 10 + out->n_submitted / 2) / out->n_submitted;
	}
	if (out->n_submitted < p->quorum) {
		out->outcome = CORE_PANEL_PENDING;
	} else if (p->rule == CORE_PANEL_MAJORITY) {
		out->outcome = 2 * out->yes > out->n_submitted
		                   ? CORE_PANEL_PASSED
		                   : CORE_PANEL_FAILED;
	} else {
		out->outcome =
		    sum >= (int64_t)p->threshold_x10 * out->n_submitted
		        ? CORE_PANEL_PASSED
		        : CORE_PANEL_FAILED;
	}
	return 0;
}

int
core_panel_result(struct core *c, const char *panel,
                  int (*cb)(void *ctx, const struct core_panel_result *r),
                  void *ctx)
{
	struct core_panel *p = NULL;
	struct core_panel_result res;
	sqlite3_stmt *st = NULL;
	int64_t *ids = NULL, *grown;
	size_t n = 0, cap = 0;
	int r;

	core_err_clear(c);
	if (!(p = malloc(sizeof(*p)))) {
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	if ((r = panel_load(c, panel, p)) != 0) {
		goto out;
	}
	if (!panel_visible(c, p)) {
		r = core_err(c, CORE_ENOENT, "panel", _("no panel '%s'"),
		             panel);
		goto out;
	}
	if (c->actor.role == CORE_ROLE_EXPERT) {
		r = core_err(c, CORE_EPERM, NULL,
		             _("experts see the scores of a nominee after "
		               "submitting their own, never a panel's "
		               "results"));
		goto out;
	}
	if ((r = db_query(c, &st,
	                  "SELECT DISTINCT nominee_id FROM panel_assignment "
	                  "WHERE panel_id = ?1 ORDER BY nominee_id",
	                  "i", (int64_t)p->id)) != 0) {
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			if (!(grown = realloc(ids, cap * sizeof(*ids)))) {
				r = core_err(c, CORE_EINTERNAL, NULL,
				             "out of memory");
				goto out;
			}
			ids = grown;
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	for (size_t i = 0; i < n; i++) {
		if ((r = panel_nominee_result(c, p, ids[i], &res)) != 0 ||
		    (r = cb(ctx, &res)) != 0) {
			break;
		}
	}
out:
	sqlite3_finalize(st);
	free(ids);
	free(p);
	return r;
}

/* Per-criterion scores of one sheet, in the panel's order. */
static void
sheet_scores(struct core *c, const struct core_panel *p, int64_t id,
             int64_t expert_id, struct core_panel_sheet *s)
{
	sqlite3_stmt *st = NULL;

	s->n_scores = p->n_criteria;
	memset(s->score_x10, 0, sizeof(s->score_x10));
	if (db_query(c, &st,
	             "SELECT criterion, score_x10 FROM panel_score WHERE "
	             "panel_id = ?1 AND nominee_id = ?2 AND expert_id = ?3",
	             "iii", (int64_t)p->id, id, expert_id) != 0) {
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (size_t k = 0; k < p->n_criteria; k++) {
			if (strcmp(p->criteria[k].name, db_text(st, 0)) == 0) {
				s->score_x10[k] = sqlite3_column_int(st, 1);
			}
		}
	}
	sqlite3_finalize(st);
}

static int
own_status(struct core *c, int64_t panel_id, int64_t id, char *out,
           size_t outsz)
{
	sqlite3_stmt *st = NULL;
	int r;

	out[0] = '\0';
	if ((r = db_query(c, &st,
	                  "SELECT status FROM panel_assignment WHERE "
	                  "panel_id = ?1 AND nominee_id = ?2 AND expert_id = "
	                  "?3",
	                  "iii", panel_id, id, c->actor.id)) != 0) {
		return r;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		db_copy(out, outsz, st, 0);
	}
	sqlite3_finalize(st);
	return 0;
}

int
core_panel_scores(struct core *c, const char *panel, int64_t id,
                  int (*cb)(void *ctx, const struct core_panel_sheet *s),
                  void *ctx)
{
	struct core_panel *p = NULL;
	struct core_dossier *d = NULL;
	struct core_panel_sheet s;
	sqlite3_stmt *st = NULL;
	uint8_t salt[32];
	char status[16];
	int r;

	core_err_clear(c);
	p = malloc(sizeof(*p));
	d = malloc(sizeof(*d));
	if (!p || !d) {
		r = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
		goto out;
	}
	if ((r = panel_load(c, panel, p)) != 0) {
		goto out;
	}
	if (!panel_visible(c, p)) {
		r = core_err(c, CORE_ENOENT, "panel", _("no panel '%s'"),
		             panel);
		goto out;
	}
	if (c->actor.role == CORE_ROLE_EXPERT) {
		if ((r = own_status(c, p->id, id, status, sizeof(status))) != 0) {
			goto out;
		}
		if (status[0] == '\0' || strcmp(status, "recused") == 0) {
			r = core_err(c, CORE_ENOENT, NULL, _("no nominee %lld"),
			             (long long)id);
			goto out;
		}
		if (strcmp(status, "scored") != 0) {
			r = core_err(c, CORE_EPERM, NULL,
			             _("submit your own scores for nominee "
			               "%lld first"),
			             (long long)id);
			goto out;
		}
	} else if ((r = nominee_load(c, id, d, salt, 1)) != 0) {
		goto out;
	}
	if ((r = db_query(c, &st,
	                  "SELECT a.expert_id, u.login, u.name, a.total_x10, "
	                  "a.opinion, a.scored_ms FROM panel_assignment a "
	                  "JOIN user u ON u.id = a.expert_id WHERE "
	                  "a.panel_id = ?1 AND a.nominee_id = ?2 AND "
	                  "a.status = 'scored' ORDER BY a.scored_ms, "
	                  "u.login",
	                  "ii", (int64_t)p->id, id)) != 0) {
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		memset(&s, 0, sizeof(s));
		s.expert = db_text(st, 1);
		s.expert_name = db_text(st, 2);
		s.total_x10 = sqlite3_column_int(st, 3);
		s.opinion = db_text(st, 4);
		s.submitted_ms = sqlite3_column_int64(st, 5);
		sheet_scores(c, p, id, sqlite3_column_int64(st, 0), &s);
		if ((r = cb(ctx, &s)) != 0) {
			break;
		}
	}
out:
	sqlite3_finalize(st);
	free(d);
	free(p);
	return r;
}

struct ranked {
	struct core_recommend_row row;
};

static int
cmp_ranked(const void *a, const void *b)
{
	const struct core_panel_result *x = &((const struct ranked *)a)->row.r;
	const struct core_panel_result *y = &((const struct ranked *)b)->row.r;

	if (x->mean_x100 != y->mean_x100) {
		return x->mean_x100 > y->mean_x100 ? -1 : 1;
	}
	if (x->yes != y->yes) {
		return x->yes > y->yes ? -1 : 1;
	}
	return x->nominee_id < y->nominee_id ? -1
	                                     : x->nominee_id > y->nominee_id;
}

static int
same_result(const struct core_panel_result *x,
            const struct core_panel_result *y)
{
	return x->mean_x100 == y->mean_x100 && x->yes == y->yes;
}

int
core_panel_recommend(struct core *c,
                     int (*cb)(void *ctx, const struct core_recommend_row *row),
                     void *ctx, int *target_out, size_t *n_rec_out)
{
	struct core_round *round = NULL;
	struct core_panel *p = NULL;
	struct ranked *list = NULL, *grown;
	sqlite3_stmt *st = NULL;
	size_t n = 0, cap = 0, n_rec = 0;
	char ref[32];
	int r, target;

	core_err_clear(c);
	if (target_out) {
		*target_out = 0;
	}
	if (n_rec_out) {
		*n_rec_out = 0;
	}
	if (!c->has_actor || (c->actor.role != CORE_ROLE_CITY_HR &&
	                      c->actor.role != CORE_ROLE_AUDITOR)) {
		return core_err(c, CORE_EPERM, NULL,
		                _("only city HR and the auditor see the "
		                  "committee's ranked list"));
	}
	if ((r = core_round_get(c, NULL, &round)) != 0) {
		return r;
	}
	target = round->target;
	core_round_free(round);
	if (!(p = malloc(sizeof(*p)))) {
		r = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
		goto out;
	}
	/* Each nominee's latest city committee evaluation. */
	if ((r = db_query(c, &st,
	                  "SELECT a.nominee_id, max(a.panel_id) FROM "
	                  "panel_assignment a JOIN panel p ON p.id = "
	                  "a.panel_id WHERE p.level = 'city' AND p.round_id "
	                  "= ?1 GROUP BY a.nominee_id ORDER BY "
	                  "a.nominee_id",
	                  "i", (int64_t)db_current_round(c))) != 0) {
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct core_recommend_row *row;

		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			if (!(grown = realloc(list, cap * sizeof(*list)))) {
				r = core_err(c, CORE_EINTERNAL, NULL,
				             "out of memory");
				goto out;
			}
			list = grown;
		}
		row = &list[n].row;
		memset(row, 0, sizeof(*row));
		snprintf(ref, sizeof(ref), "%lld",
		         (long long)sqlite3_column_int64(st, 1));
		if ((r = panel_load(c, ref, p)) != 0 ||
		    (r = panel_nominee_result(c, p, sqlite3_column_int64(st, 0),
		                              &row->r)) != 0) {
			goto out;
		}
		if (row->r.outcome != CORE_PANEL_PASSED ||
		    !in_running(row->r.state)) {
			continue;
		}
		snprintf(row->panel, sizeof(row->panel), "%s", p->name);
		n++;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (n > 1) {
		qsort(list, n, sizeof(*list), cmp_ranked);
	}
	/* Competition ranking; a tie group is recommended whole or not at
	 * all, so the list never exceeds the target. */
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;

		while (j < n && same_result(&list[j].row.r, &list[i].row.r)) {
			j++;
		}
		for (size_t k = i; k < j; k++) {
			list[k].row.rank = (int)i + 1;
			list[k].row.recommended = j <= (size_t)target;
			list[k].row.tie =
			    i < (size_t)target && j > (size_t)target;
		}
		if (j <= (size_t)target) {
			n_rec = j;
		}
		i = j;
	}
	if ((r = core_quota_check_target(c, n_rec)) != 0) {
		goto out;
	}
	if (target_out) {
		*target_out = target;
	}
	if (n_rec_out) {
		*n_rec_out = n_rec;
	}
	for (size_t i = 0; cb && i < n; i++) {
		if ((r = cb(ctx, &list[i].row)) != 0) {
			break;
		}
	}
out:
	sqlite3_finalize(st);
	free(list);
	free(p);
	return r;
}

/*
 * The experts judged the dossier as it was when they scored: an edit
 * after any counted sheet (a return for correction, say) means the
 * version going forward is not the one the panel passed, and it must be
 * evaluated again (by a new panel: sheets are final).
 */
static int
scored_current(struct core *c, const struct core_panel *p, int64_t id)
{
	sqlite3_stmt *st = NULL;
	char subj[48];
	int64_t edited = 0, stale = 0;
	int r;

	snprintf(subj, sizeof(subj), "nominee:%lld", (long long)id);
	if ((r = db_query(c, &st,
	                  "SELECT (SELECT COALESCE(max(seq), 0) FROM "
	                  "log_entry WHERE subject = ?1 AND act IN (?2, "
	                  "?3)), (SELECT count(*) FROM panel_assignment "
	                  "WHERE panel_id = ?4 AND nominee_id = ?5 AND "
	                  "status = 'scored' AND seq < (SELECT "
	                  "COALESCE(max(seq), 0) FROM log_entry WHERE "
	                  "subject = ?1 AND act IN (?2, ?3)))",
	                  "tddii", subj, (int)ACT_DOSSIER_EDITED,
	                  (int)ACT_MATERIAL, (int64_t)p->id, id)) != 0) {
		return r;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		edited = sqlite3_column_int64(st, 0);
		stale = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (stale > 0) {
		return core_err(c, CORE_ESTATE, NULL,
		                _("nominee %lld's dossier was edited (entry "
		                  "%lld) after panel '%s' scored it: assign it "
		                  "to a panel again"),
		                (long long)id, (long long)edited, p->name);
	}
	return 0;
}

int
panel_check_result(struct core *c, int64_t id, const char *stage)
{
	struct core_panel *p = NULL;
	struct core_panel_result res;
	sqlite3_stmt *st = NULL;
	const char *level;
	int64_t panel_id = 0;
	int r;

	if (stage && strcmp(stage, "local") == 0) {
		level = "local";
	} else if (stage && strcmp(stage, "city") == 0) {
		level = "city";
	} else {
		return core_err(c, CORE_EINTERNAL, NULL,
		                "panel_check_result: unknown stage '%s'",
		                stage ? stage : "");
	}
	if ((r = db_query(c, &st,
	                  "SELECT max(a.panel_id) FROM panel_assignment a "
	                  "JOIN panel p ON p.id = a.panel_id JOIN nominee n "
	                  "ON n.id = a.nominee_id WHERE a.nominee_id = ?1 "
	                  "AND p.level = ?2 AND p.round_id = n.round_id",
	                  "it", id, level)) != 0) {
		return r;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		panel_id = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (panel_id == 0) {
		return core_err(c, CORE_ESTATE, NULL,
		                strcmp(level, "city") == 0
		                    ? _("nominee %lld has not been "
		                        "evaluated by the city committee "
		                        "(assign it to the committee first)")
		                    : _("nominee %lld has not been "
		                        "evaluated by a county/department "
		                        "expert panel (assign it to a panel "
		                        "first)"),
		                (long long)id);
	}
	if (!(p = malloc(sizeof(*p)))) {
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	/* The nominee's round may not be the current one: read directly. */
	if ((r = db_query(c, &st,
	                  "SELECT name, rule, threshold_x10, quorum FROM "
	                  "panel WHERE id = ?1",
	                  "i", panel_id)) != 0) {
		goto out;
	}
	memset(p, 0, sizeof(*p));
	p->id = panel_id;
	if (sqlite3_step(st) == SQLITE_ROW) {
		db_copy(p->name, sizeof(p->name), st, 0);
		p->rule = strcmp(db_text(st, 1), "majority") == 0
		              ? CORE_PANEL_MAJORITY
		              : CORE_PANEL_MEAN;
		p->threshold_x10 = sqlite3_column_int(st, 2);
		p->quorum = sqlite3_column_int(st, 3);
	}
	sqlite3_finalize(st);
	if ((r = panel_nominee_result(c, p, id, &res)) != 0) {
		goto out;
	}
	switch (res.outcome) {
	case CORE_PANEL_PASSED:
		r = scored_current(c, p, id);
		break;
	case CORE_PANEL_PENDING:
		r = core_err(c, CORE_ESTATE, NULL,
		             _("panel '%s' has %d of the %d score sheets its "
		               "quorum needs for nominee %lld"),
		             p->name, res.n_submitted, res.quorum,
		             (long long)id);
		break;
	default:
		if (p->rule == CORE_PANEL_MAJORITY) {
			r = core_err(c, CORE_ESTATE, NULL,
			             _("panel '%s' did not pass nominee %lld "
			               "(%d of %d experts at or above "
			               "%d.%d)"),
			             p->name, (long long)id, res.yes,
			             res.n_submitted, p->threshold_x10 / 10,
			             p->threshold_x10 % 10);
		} else {
			r = core_err(c, CORE_ESTATE, NULL,
			             _("panel '%s' did not pass nominee %lld "
			               "(mean %lld.%02lld below %d.%d)"),
			             p->name, (long long)id,
			             (long long)(res.mean_x100 / 100),
			             (long long)(res.mean_x100 % 100),
			             p->threshold_x10 / 10,
			             p->threshold_x10 % 10);
		}
		break;
	}
out:
	free(p);
	return r;
}
