/*
 * Rounds as data: dates, title levels and the storage of a round
 * definition.  The strict reader is round_json.c (with round_jp.c and
 * round_quota.c), the check of the notice's own arithmetic round_check.c.
 *
 * Invariants: a definition is refused whole or accepted whole, and every
 * refusal names the JSON path and the rule.  A loaded round is stored
 * twice in one audited transaction: its canonical text (the log entry's
 * digest is its SHA-256, so what was signed is what runs) and the
 * round_* and quota_* tables, a projection for SQL.  Neither changes
 * afterwards (schema triggers); a new reading is a new round.  The quota
 * figures are kept exactly as the notice states them: nothing here
 * derives, corrects or sums a figure into the data; core_round_check()
 * only reports.
 */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core_int.h"
#include "core/i18n.h"
#include "core/utf8.h"

/* ---- dates ---- */

static int
days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
		return 29;
	}
	return d[m - 1];
}

int
round_date_parse(const char *s, int *y, int *m, int *d)
{
	size_t n = s ? strlen(s) : 0;

	if ((n != 10 && n != 7) || strspn(s, "0123456789-") != n ||
	    s[4] != '-' || (n == 10 && s[7] != '-')) {
		return -1;
	}
	*y = atoi(s);
	*m = atoi(s + 5);
	*d = n == 10 ? atoi(s + 8) : 0;
	if (*y < 1900 || *y > 2200 || *m < 1 || *m > 12) {
		return -1;
	}
	if (n == 10 && (*d < 1 || *d > days_in(*y, *m))) {
		return -1;
	}
	return 0;
}

/* Days in the month of a parsed date (for month-precision dates). */
int
round_days_in_month(int y, int m)
{
	return days_in(y, m);
}

/*
 * "YYYY-MM-DDTHH:MM:SS" then "Z" or "+HH:MM"/"-HH:MM": the zone is
 * required (a deadline without one is the time-zone confusion of
 * domain.md 5).  *ms is the instant; date gets the local date as written.
 */
const struct core_round_category *
core_round_category_find(const struct core_round *r, const char *key_or_name)
{
	if (!r || !key_or_name) {
		return NULL;
	}
	for (size_t i = 0; i < r->n_categories; i++) {
		if (strcmp(r->categories[i].key, key_or_name) == 0 ||
		    strcmp(r->categories[i].name_zh, key_or_name) == 0) {
			return &r->categories[i];
		}
	}
	return NULL;
}

static const struct {
	const char *name;
	enum core_title_level level;
} title_levels[] = {
    {"正高级", CORE_TITLE_FULL}, {"正高", CORE_TITLE_FULL},
    {"full", CORE_TITLE_FULL},   {"副高级", CORE_TITLE_DEPUTY},
    {"副高", CORE_TITLE_DEPUTY}, {"deputy", CORE_TITLE_DEPUTY},
    {"中级", CORE_TITLE_MIDDLE}, {"middle", CORE_TITLE_MIDDLE},
    {"初级", CORE_TITLE_JUNIOR}, {"junior", CORE_TITLE_JUNIOR},
    {"无", CORE_TITLE_NONE},     {"none", CORE_TITLE_NONE},
};

int
core_title_level_parse(const char *s, enum core_title_level *out)
{
	for (size_t i = 0;
	     s && i < sizeof(title_levels) / sizeof(title_levels[0]); i++) {
		if (strcmp(s, title_levels[i].name) == 0) {
			*out = title_levels[i].level;
			return 0;
		}
	}
	return CORE_EINVAL;
}

const char *
core_title_level_name(enum core_title_level l)
{
	switch (l) {
	case CORE_TITLE_FULL:
		return "正高级";
	case CORE_TITLE_DEPUTY:
		return "副高级";
	case CORE_TITLE_MIDDLE:
		return "中级";
	case CORE_TITLE_JUNIOR:
		return "初级";
	case CORE_TITLE_NONE:
		return "无";
	}
	return NULL;
}

/* ---- storage ---- */

static int
exec1(struct core *c, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : core_err_sql(c, rc);
}

static int
unit_exists(struct core *c, const char *code)
{
	sqlite3_stmt *st = NULL;
	int found = 0;

	found = db_row(c, &st, "SELECT 1 FROM unit WHERE code = ?1", "t",
	               code) == 1;
	sqlite3_finalize(st);
	return found;
}

static int
check_units(struct core *c, const struct core_round *r)
{
	if (!unit_exists(c, r->receiver)) {
		return core_err(c, CORE_EINVAL, "round",
		                _("$.receiver: no unit with code '%s' (see "
		                  "`nomdesk unit list`)"),
		                r->receiver);
	}
	for (size_t i = 0; i < r->n_nodes; i++) {
		for (size_t j = 0; j < r->nodes[i].n_holders; j++) {
			if (!unit_exists(c, r->nodes[i].holders[j])) {
				return core_err(
				    c, CORE_EINVAL, "round",
				    _("%s.holders[%zu]: no unit with code "
				      "'%s' (see `nomdesk unit list`)"),
				    r->nodes[i].path, j,
				    r->nodes[i].holders[j]);
			}
		}
	}
	return 0;
}

static int
store_round_row(struct core *c, const struct core_round *r, int64_t *id)
{
	sqlite3_stmt *st = NULL;
	int r2, rc;

	*id = 0;
	if ((r2 = db_prepare(c, &st,
	                     "SELECT id, config IS NOT NULL, "
	                     "COALESCE(config_sha256, '') FROM round "
	                     "WHERE code = ?1")) != 0) {
		return r2;
	}
	sqlite3_bind_text(st, 1, r->code, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		if (sqlite3_column_int(st, 1)) {
			r2 = core_err(c, CORE_EEXIST, "round",
			              _("round '%s' is already loaded (sha256 "
			                "%.16s...); a loaded round never "
			                "changes: a new reading is a new round "
			                "file with a new code"),
			              r->code, db_text(st, 2));
			sqlite3_finalize(st);
			return r2;
		}
	}
	sqlite3_finalize(st);
	if (*id == 0) {
		if ((r2 = db_prepare(c, &st,
		                     "INSERT INTO round (code, year, batch, "
		                     "title, target, deadline) VALUES "
		                     "(?1, 0, 0, '', 0, '')")) != 0) {
			return r2;
		}
		sqlite3_bind_text(st, 1, r->code, -1, SQLITE_STATIC);
		if ((r2 = exec1(c, st)) != 0) {
			return r2;
		}
		*id = sqlite3_last_insert_rowid(c->db);
	}
	if ((r2 = db_prepare(
	         c, &st,
	         "UPDATE round SET year = ?2, batch = ?3, title = ?4, "
	         "target = ?5, deadline = ?6, config = ?7, "
	         "config_sha256 = ?8, title_en = ?9, age_limit = ?10, "
	         "age_inclusive = ?11, age_ref_date = ?12, "
	         "title_min_level = ?13, title_counts = ?14, "
	         "window_years = ?15, window_ref_date = ?16, "
	         "receiver = ?17 WHERE id = ?1")) != 0) {
		return r2;
	}
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_int(st, 2, r->year);
	sqlite3_bind_int(st, 3, r->batch);
	sqlite3_bind_text(st, 4, r->title_zh, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, r->target);
	sqlite3_bind_text(st, 6, r->deadline, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->json, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, r->sha256_hex, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, r->title_en, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 10, r->age_limit);
	sqlite3_bind_int(st, 11, r->age_inclusive);
	sqlite3_bind_text(st, 12, r->age_ref_date, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, core_title_level_name(r->title_min), -1,
	                  SQLITE_STATIC);
	sqlite3_bind_text(st, 14,
	                  r->title_counts == CORE_TITLE_COUNTS_APPOINTMENT
	                      ? "appointment"
	                  : r->title_counts == CORE_TITLE_COUNTS_QUALIFICATION
	                      ? "qualification"
	                      : "either",
	                  -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 15, r->window_years);
	sqlite3_bind_text(st, 16, r->window_ref_date, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 17, r->receiver, -1, SQLITE_STATIC);
	return exec1(c, st);
}

static void
relax_words(unsigned relax, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s%s%s", relax & CORE_RELAX_TITLE ? "title " : "",
	         relax & CORE_RELAX_AGE ? "age " : "",
	         relax & CORE_RELAX_CONDITIONS ? "conditions " : "");
	if (*out) {
		out[strlen(out) - 1] = '\0';
}
}

static int
store_tables(struct core *c, const struct core_round *r, int64_t id)
{
	sqlite3_stmt *st = NULL;
	char relax[64];
	int rv;

	for (size_t i = 0; i < r->n_categories; i++) {
		const struct core_round_category *k = &r->categories[i];

		if ((rv =
		         db_prepare(c, &st,
		                    "INSERT INTO round_category (round_id, "
		                    "key, ord, name_zh, name_en, relax) VALUES "
		                    "(?1, ?2, ?3, ?4, ?5, ?6)")) != 0) {
			return rv;
		}
		relax_words(k->relax, relax, sizeof(relax));
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, k->key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
		sqlite3_bind_text(st, 4, k->name_zh, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, k->name_en, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, relax, -1, SQLITE_STATIC);
		if ((rv = exec1(c, st)) != 0) {
			return rv;
		}
	}
	for (size_t i = 0; i < r->n_conditions; i++) {
		const struct core_round_condition *cd = &r->conditions[i];

		if ((rv = db_query(c, &st,
		                   "INSERT INTO round_condition (round_id, "
		                   "no, text_zh, text_en, evidence) VALUES "
		                   "(?1, ?2, ?3, ?4, ?5)",
		                   "idttt", id, (int)cd->no, cd->zh, cd->en,
		                   cd->evidence == CORE_EVIDENCE_DOCUMENTARY
		                       ? "documentary"
		                       : "judgement")) != 0) {
			return rv;
		}
		if ((rv = exec1(c, st)) != 0) {
			return rv;
		}
	}
	for (size_t i = 0; i < r->n_notices; i++) {
		const struct core_round_notice *n = &r->notices[i];

		if ((rv = db_query(c, &st,
		                   "INSERT INTO round_notice (round_id, "
		                   "tier, days, day_type) VALUES "
		                   "(?1, ?2, ?3, ?4)",
		                   "it", id, n->tier)) != 0) {
			return rv;
		}
		if (n->days >= 0) {
			sqlite3_bind_int(st, 3, n->days);
		}
		sqlite3_bind_text(st, 4, n->day_type, -1, SQLITE_STATIC);
		if ((rv = exec1(c, st)) != 0) {
			return rv;
		}
	}
	for (size_t i = 0; i < r->n_materials; i++) {
		const struct core_round_material *m = &r->materials[i];

		if ((rv = db_query(c, &st,
		                   "INSERT INTO round_material (round_id, "
		                   "key, ord, name_zh, name_en, copies, "
		                   "electronic, originals, required) VALUES "
		                   "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		                   "ititt", id, m->key, (int64_t)i, m->name_zh,
		                   m->name_en)) != 0) {
			return rv;
		}
		if (m->copies >= 0) {
			sqlite3_bind_int(st, 6, m->copies);
		}
		sqlite3_bind_int(st, 7, m->electronic);
		sqlite3_bind_int(st, 8, m->originals);
		sqlite3_bind_int(st, 9, m->required);
		if ((rv = exec1(c, st)) != 0) {
			return rv;
		}
	}
	for (size_t i = 0; i < r->n_nodes; i++) {
		const struct core_quota_node *q = &r->nodes[i];

		if ((rv = db_query(
		         c, &st,
		         "INSERT INTO quota_node (round_id, code, parent, "
		         "ord, category, name_zh, name_en, qlimit, "
		         "uncapped, reserved, enforce, justification, "
		         "any_holder, channel) VALUES (?1, ?2, ?3, ?4, "
		         "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
		         "it", id, q->code)) != 0) {
			return rv;
		}
		if (q->parent >= 0) {
			sqlite3_bind_text(st, 3, r->nodes[q->parent].code, -1,
			                  SQLITE_STATIC);
		}
		sqlite3_bind_int64(st, 4, (sqlite3_int64)i);
		sqlite3_bind_text(st, 5, q->category, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, q->name_zh, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, q->name_en, -1, SQLITE_STATIC);
		if (q->limit >= 0) {
			sqlite3_bind_int64(st, 8, q->limit);
		}
		sqlite3_bind_int(st, 9, q->uncapped);
		if (q->reserved >= 0) {
			sqlite3_bind_int(st, 10, q->reserved);
		}
		sqlite3_bind_int(st, 11, q->enforce);
		sqlite3_bind_int(st, 12, q->justification);
		sqlite3_bind_int(st, 13, q->any_holder);
		sqlite3_bind_text(st, 14, q->channel, -1, SQLITE_STATIC);
		if ((rv = exec1(c, st)) != 0) {
			return rv;
		}
		for (size_t j = 0; j < q->n_holders; j++) {
			if ((rv = db_query(c, &st,
			                   "INSERT INTO quota_holder "
			                   "(round_id, node, unit) VALUES "
			                   "(?1, ?2, ?3)",
			                   "itt", id, q->code,
			                   q->holders[j])) != 0) {
				return rv;
			}
			if ((rv = exec1(c, st)) != 0) {
				return rv;
			}
		}
	}
	return 0;
}

int
core_round_load(struct core *c, const char *json, size_t len, int make_current,
                struct core_receipt *rc)
{
	struct core_round *r = NULL;
	struct audit_act a;
	char err[512], subj[80], reason[256];
	uint8_t digest[32];
	sqlite3_stmt *st = NULL;
	int64_t id;
	uint64_t seq = 0;
	int rv;

	core_err_clear(c);
	if ((rv = authz_admin(c)) != 0) {
		return core_err(c, rv, NULL,
		                _("only an administrator may load a round"));
	}
	if ((rv = core_round_parse(json, len, &r, err, sizeof(err))) != 0) {
		return core_err(c, rv, "round", "%s", err);
	}
	if ((rv = check_units(c, r)) != 0) {
		goto out;
	}
	if ((rv = tx_begin(c)) != 0) {
		goto out;
	}
	if ((rv = store_round_row(c, r, &id)) != 0 ||
	    (rv = store_tables(c, r, id)) != 0) {
		goto fail;
	}
	if (make_current || db_current_round(c) == 0) {
		if ((rv = db_query(c, &st,
		                   "UPDATE round SET current = (id = ?1)", "i",
		                   id)) != 0) {
			goto fail;
		}
		if ((rv = exec1(c, st)) != 0) {
			goto fail;
		}
	}
	sodium_hex2bin(digest, sizeof(digest), r->sha256_hex, 64, NULL, NULL,
	               NULL);
	snprintf(subj, sizeof(subj), "round:%s", r->code);
	snprintf(reason, sizeof(reason), "round loaded: %s sha256 %s%s",
	         r->code, r->sha256_hex, make_current ? " (current)" : "");
	memset(&a, 0, sizeof(a));
	a.act = ACT_ADMIN;
	a.subject = subj;
	a.version = 1;
	a.digest = digest;
	a.reason = reason;
	if ((rv = audit_append(c, &a, &seq)) != 0) {
		goto fail;
	}
	if ((rv = db_query(c, &st, "UPDATE round SET seq = ?1 WHERE id = ?2",
	                   "ii", (int64_t)seq, id)) != 0) {
		goto fail;
	}
	if ((rv = exec1(c, st)) != 0) {
		goto fail;
	}
	if ((rv = tx_commit(c, rc)) != 0) {
		goto out;
	}
	if (rc) {
		rc->seq = seq;
	}
	rv = 0;
	goto out;
fail:
	tx_rollback(c);
out:
	core_round_free(r);
	return rv;
}

const char *
core_round_builtin(const char *code, size_t *len)
{
	for (size_t i = 0; i < round_n_builtins; i++) {
		if (code && strcmp(round_builtins[i].code, code) == 0) {
			if (len) {
				*len = round_builtins[i].len;
			}
			return round_builtins[i].json;
		}
	}
	return NULL;
}

int
core_round_load_builtin(struct core *c, const char *code, int make_current,
                        struct core_receipt *rc)
{
	size_t len = 0;
	const char *json = core_round_builtin(code, &len);

	core_err_clear(c);
	if (!json) {
		return core_err(c, CORE_ENOENT, "round",
		                _("no built-in round '%s'"), code ? code : "");
	}
	return core_round_load(c, json, len, make_current, rc);
}

int
round_load_reference(struct core *c)
{
	sqlite3_stmt *st = NULL;
	char code[CORE_CODE_SIZE] = "";
	int rv;

	if ((rv = db_row(c, &st,
	                 "SELECT code FROM round WHERE current = 1 AND "
	                 "config IS NULL",
	                 NULL)) < 0) {
		return rv;
	}
	if (rv == 1) {
		db_copy(code, sizeof(code), st, 0);
	}
	sqlite3_finalize(st);
	if (code[0] == '\0') {
		return 0; /* no reference round waiting for its definition */
	}
	return core_round_load_builtin(c, code, 1, NULL);
}

int
core_round_get(struct core *c, const char *code, struct core_round **out)
{
	sqlite3_stmt *st = NULL;
	char err[512], name[CORE_CODE_SIZE] = "";
	int rv, rc, has = 0;

	*out = NULL;
	core_err_clear(c);
	if ((rv = db_prepare(c, &st,
	                     code ? "SELECT code, config, config_sha256 FROM "
	                            "round WHERE code = ?1"
	                          : "SELECT code, config, config_sha256 FROM "
	                            "round WHERE current = 1")) != 0) {
		return rv;
	}
	if (code) {
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	}
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		db_copy(name, sizeof(name), st, 0);
		has = sqlite3_column_type(st, 1) != SQLITE_NULL;
	} else if (rc != SQLITE_DONE) {
		rv = core_err_sql(c, rc);
		sqlite3_finalize(st);
		return rv;
	}
	if (!name[0]) {
		rv = code ? core_err(c, CORE_ENOENT, "round",
		                     _("no round '%s'"), code)
		          : core_err(c, CORE_ENOENT, "round",
		                     _("no round is current"));
	} else if (!has) {
		rv = core_err(c, CORE_ENOENT, "round",
		              _("round '%s' has no definition loaded (see "
		                "`nomdesk round load`)"),
		              name);
	} else {
		const char *json = db_text(st, 1);

		rv =
		    core_round_parse(json, strlen(json), out, err, sizeof(err));
		if (rv == CORE_EINVAL ||
		    (rv == 0 && strcmp((*out)->sha256_hex, db_text(st, 2)))) {
			core_round_free(*out);
			*out = NULL;
			rv = core_err(c, CORE_ECORRUPT, "round",
			              _("the stored definition of round '%s' "
			                "fails its check"),
			              name);
		} else if (rv != 0) {
			rv = core_err(c, rv, NULL, "out of memory");
		}
	}
	sqlite3_finalize(st);
	return rv;
}
