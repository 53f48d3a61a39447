/*
 * Statistics (issue #3 item 9, `nomdesk stats`): counts of the current
 * round's nominees by employing unit, quota category and workflow state,
 * within exactly the scope of core_nominee_list (authz_sql_scope), so a
 * count never tells more than the list would.  Experts and applicants get
 * no aggregates (conflicted data must not leak through totals, domain.md
 * 5), admins no dossier data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"

struct tally {
	char key[CORE_CODE_SIZE];
	char label[CORE_NAME_SIZE];
	int64_t count;
};

static int
stats_allowed(const struct core *c)
{
	if (!c->has_actor) {
		return 0;
	}
	switch (c->actor.role) {
	case CORE_ROLE_UNIT_CLERK:
	case CORE_ROLE_COUNTY_HR:
	case CORE_ROLE_DEPARTMENT:
	case CORE_ROLE_CITY_HR:
	case CORE_ROLE_AUDITOR:
		return 1;
	default:
		return 0;
	}
}

/* Runs one GROUP BY over the scoped nominees: column 0 key, 1 label,
 * 2 count. */
static int
group(struct core *c, const char *scope, const char *select, const char *by,
      struct tally **out, size_t *n)
{
	char sql[2048];
	sqlite3_stmt *st = NULL;
	struct tally *t = NULL, *grown;
	size_t cap = 0;
	int r, rc;

	*out = NULL;
	*n = 0;
	snprintf(sql, sizeof(sql),
	         "SELECT %s, count(*) FROM nominee n JOIN unit u ON u.code = "
	         "n.unit WHERE n.round_id = ?8 AND (%s) GROUP BY %s ORDER BY "
	         "1",
	         select, scope, by);
	/* Bound by hand: the scope decides whether ?9 (the actor's unit)
	 * is in the statement at all, and the helpers bind from ?1. */
	if ((r = db_prepare(c, &st, sql)) != 0) {
		return r;
	}
	sqlite3_bind_int64(st, 8, db_current_round(c));
	if (sqlite3_bind_parameter_index(st, "?9")) {
		sqlite3_bind_text(st, 9, c->actor.unit, -1, SQLITE_STATIC);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if (!(grown = realloc(t, cap * sizeof(*t)))) {
				r = core_err(c, CORE_EINTERNAL, NULL,
				             "out of memory");
				break;
			}
			t = grown;
		}
		db_copy(t[*n].key, sizeof(t[*n].key), st, 0);
		db_copy(t[*n].label, sizeof(t[*n].label), st, 1);
		t[*n].count = sqlite3_column_int64(st, 2);
		(*n)++;
	}
	if (r == 0 && rc != SQLITE_DONE) {
		r = core_err_sql(c, rc);
	}
	sqlite3_finalize(st);
	if (r != 0) {
		free(t);
		*n = 0;
		return r;
	}
	*out = t;
	return 0;
}

static int
emit(int (*cb)(void *, const struct core_stats_row *), void *ctx,
     const char *dim, const char *key, const char *label, int64_t count)
{
	struct core_stats_row row = {dim, key, label, count};

	return cb(ctx, &row);
}

/* Categories as stored (key or Chinese name) merged by the round's key. */
static int
emit_categories(struct core *c, struct tally *t, size_t n,
                int (*cb)(void *, const struct core_stats_row *), void *ctx)
{
	struct core_round *round = NULL;
	int r = 0;

	(void)core_round_get(c, NULL, &round);
	for (size_t i = 0; i < n; i++) {
		const struct core_round_category *k =
		    round && t[i].key[0]
		        ? core_round_category_find(round, t[i].key)
		        : NULL;

		if (k) {
			snprintf(t[i].key, sizeof(t[i].key), "%s", k->key);
			snprintf(t[i].label, sizeof(t[i].label), "%s",
			         k->name_zh);
		} else if (!t[i].key[0]) {
			snprintf(t[i].label, sizeof(t[i].label), "%s",
			         _("(none chosen)"));
		}
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		int64_t sum = t[i].count;

		if (t[i].count < 0) {
			continue; /* merged into an earlier row */
		}
		for (size_t j = i + 1; j < n; j++) {
			if (t[j].count >= 0 &&
			    strcmp(t[j].key, t[i].key) == 0) {
				sum += t[j].count;
				t[j].count = -1;
			}
		}
		r = emit(cb, ctx, "category", t[i].key, t[i].label, sum);
	}
	core_round_free(round);
	return r;
}

int
core_stats(struct core *c,
           int (*cb)(void *ctx, const struct core_stats_row *row), void *ctx)
{
	struct tally *t = NULL;
	char scope[1024];
	size_t n = 0;
	int64_t total = 0;
	int r;

	core_err_clear(c);
	if (!stats_allowed(c)) {
		return core_err(
		    c, CORE_EPERM, NULL, _("role %s gets no statistics"),
		    c->has_actor ? core_role_name(c->actor.role) : "?");
	}
	if ((r = authz_sql_scope(c, scope, sizeof(scope))) != 0) {
		return core_err(c, r, NULL, _("not permitted"));
	}

	if ((r = group(c, scope, "n.unit, u.name", "n.unit", &t, &n)) != 0) {
		return r;
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		total += t[i].count;
		r = emit(cb, ctx, "unit", t[i].key, t[i].label, t[i].count);
	}
	free(t);
	if (r != 0) {
		return r;
	}

	if ((r = group(c, scope, "n.quota_category, n.quota_category",
	               "n.quota_category", &t, &n)) != 0) {
		return r;
	}
	r = emit_categories(c, t, n, cb, ctx);
	free(t);
	if (r != 0) {
		return r;
	}

	if ((r = group(c, scope, "n.state, n.state", "n.state", &t, &n)) != 0) {
		return r;
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		r = emit(cb, ctx, "state", t[i].key, core_state_label(t[i].key),
		         t[i].count);
	}
	free(t);
	if (r != 0) {
		return r;
	}
	return emit(cb, ctx, "total", "", _("total"), total);
}
