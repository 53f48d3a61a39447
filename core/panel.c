/*
 * Expert evaluation (issue #3 item 7): panels, members, assignment with
 * automatic recusal (回避), the experts' declarations and score sheets.
 *
 * Invariants:
 * - a panel belongs to one round and one owner: a local panel to the
 *   county/department unit of the user who created it, the city
 *   committee to city HR;
 * - an expert is never assigned (status other than 'recused') a nominee
 *   whose employing unit is the expert's unit or has the same employer
 *   (the topmost 'employer' unit above each), nor one they declared a
 *   conflict with; the recusal is itself a recorded row and log entry;
 * - an expert opens a dossier only after signing the no-conflict
 *   declaration (core/authz_expert.c), scores only after it, and a sheet
 *   once submitted is final;
 * - every mutation is one transaction with its audit entry.
 *
 * Results, the ranked list and the workflow precondition are in
 * core/panel_result.c; statistics in core/panel_stats.c.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"
#include "core/utf8.h"

/* The default score sheet (I-16: the notice names none).  Labels are the
 * Chinese names shown to experts; the names are what they type. */
static const struct {
	const char *name, *label;
	int max_x10;
} default_sheet[] = {
    {"academic", "学术水平", 400},     /* 学术水平与学科影响 */
    {"innovation", "创新能力", 300},   /* 创新与组织协调能力 */
    {"contribution", "业绩贡献", 300}, /* 近5年业绩与社会经济效益 */
};

#define DEFAULT_QUORUM 3

const char *
core_panel_level_name(enum core_panel_level l)
{
	return l == CORE_PANEL_CITY ? "city" : "local";
}

const char *
core_panel_rule_name(enum core_panel_rule r)
{
	return r == CORE_PANEL_MAJORITY ? "majority" : "mean";
}

const char *
core_panel_outcome_name(enum core_panel_outcome o)
{
	switch (o) {
	case CORE_PANEL_PASSED:
		return "passed";
	case CORE_PANEL_FAILED:
		return "failed";
	default:
		return "pending";
	}
}

int
core_panel_level_parse(const char *s, enum core_panel_level *out)
{
	if (s && strcmp(s, "local") == 0) {
		*out = CORE_PANEL_LOCAL;
	} else if (s && strcmp(s, "city") == 0) {
		*out = CORE_PANEL_CITY;
	} else {
		return CORE_EINVAL;
	}
	return 0;
}

int
core_panel_rule_parse(const char *s, enum core_panel_rule *out)
{
	if (s && strcmp(s, "mean") == 0) {
		*out = CORE_PANEL_MEAN;
	} else if (s && strcmp(s, "majority") == 0) {
		*out = CORE_PANEL_MAJORITY;
	} else {
		return CORE_EINVAL;
	}
	return 0;
}

int
panel_parse_x10(const char *s)
{
	long v = 0;
	int digits = 0;

	if (!s || !*s) {
		return -1;
	}
	for (; *s >= '0' && *s <= '9'; s++) {
		if (++digits > 5) {
			return -1;
		}
		v = v * 10 + (*s - '0');
	}
	if (digits == 0) {
		return -1;
	}
	v *= 10;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9') {
			return -1;
		}
		v += *s++ - '0';
	}
	return *s == '\0' ? (int)v : -1;
}

/* Text input: normalized copy in out, checked (one line or several). */
static int
check_text(struct core *c, const char *field, const char *label, const char *in,
           char *out, size_t outsz, size_t max_cols, int multiline)
{
	char why[160];

	if (!in || utf8_normalize(in, out, outsz) != 0) {
		return core_err(c, CORE_EINVAL, field,
		                _("%s: is not valid UTF-8 text or is too long"),
		                label);
	}
	if (out[strspn(out, " \n")] == '\0') {
		return core_err(c, CORE_EINVAL, field, _("%s: is required"),
		                label);
	}
	if (utf8_check(out, multiline ? UTF8_MULTI : UTF8_LINE, 0, why,
	               sizeof(why)) != 0) {
		return core_err(c, CORE_EINVAL, field, _("%s: %s"), label, why);
	}
	if (utf8_width(out) > max_cols) {
		return core_err(c, CORE_EINVAL, field,
		                _("%s: at most %zu columns (a Chinese "
		                  "character takes 2)"),
		                label, max_cols);
	}
	return 0;
}

static int
all_digits(const char *s)
{
	if (!*s) {
		return 0;
	}
	for (; *s; s++) {
		if (*s < '0' || *s > '9') {
			return 0;
		}
	}
	return 1;
}

static int
panel_missing(struct core *c, const char *ref)
{
	return core_err(c, CORE_ENOENT, "panel", _("no panel '%s'"),
	                ref ? ref : "");
}

/* The same answer as nominee_load gives for a missing nominee. */
static int
nominee_missing(struct core *c, int64_t id)
{
	return core_err(c, CORE_ENOENT, NULL, _("no nominee %lld"),
	                (long long)id);
}

static int
load_criteria(struct core *c, struct core_panel *p)
{
	sqlite3_stmt *st = NULL;
	int r;

	p->n_criteria = 0;
	if ((r = db_query(c, &st,
	                  "SELECT name, label, max_x10 FROM panel_criterion "
	                  "WHERE panel_id = ?1 ORDER BY pos",
	                  "i", (int64_t)p->id)) != 0) {
		return r;
	}
	while (sqlite3_step(st) == SQLITE_ROW &&
	       p->n_criteria < CORE_PANEL_MAX_CRITERIA) {
		struct core_panel_criterion *k = &p->criteria[p->n_criteria++];

		db_copy(k->name, sizeof(k->name), st, 0);
		db_copy(k->label, sizeof(k->label), st, 1);
		k->max_x10 = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	return 0;
}

static void
row_to_panel(sqlite3_stmt *st, struct core_panel *p)
{
	memset(p, 0, sizeof(*p));
	p->id = sqlite3_column_int64(st, 0);
	db_copy(p->name, sizeof(p->name), st, 1);
	p->level = strcmp(db_text(st, 2), "city") == 0 ? CORE_PANEL_CITY
	                                               : CORE_PANEL_LOCAL;
	db_copy(p->owner_unit, sizeof(p->owner_unit), st, 3);
	db_copy(p->owner_name, sizeof(p->owner_name), st, 4);
	p->rule = strcmp(db_text(st, 5), "majority") == 0 ? CORE_PANEL_MAJORITY
	                                                  : CORE_PANEL_MEAN;
	p->threshold_x10 = sqlite3_column_int(st, 6);
	p->quorum = sqlite3_column_int(st, 7);
	p->n_members = sqlite3_column_int(st, 8);
}

#define PANEL_COLS                                                             \
	"SELECT p.id, p.name, p.level, p.owner_unit, u.name, p.rule, "         \
	"p.threshold_x10, p.quorum, (SELECT count(*) FROM panel_member m "     \
	"WHERE m.panel_id = p.id) FROM panel p JOIN unit u ON u.code = "       \
	"p.owner_unit "

int
panel_load(struct core *c, const char *ref, struct core_panel *p)
{
	sqlite3_stmt *st = NULL;
	int r, found;

	memset(p, 0, sizeof(*p));
	if (!ref || !*ref) {
		return panel_missing(c, ref);
	}
	if ((r = db_query(c, &st,
	                  PANEL_COLS "WHERE p.round_id = ?1 AND "
	                             "(p.name = ?2 OR p.id = ?3)",
	                  "iti", (int64_t)db_current_round(c), ref,
	                  (int64_t)(all_digits(ref) ? atoll(ref) : -1))) != 0) {
		return r;
	}
	found = sqlite3_step(st) == SQLITE_ROW;
	if (found) {
		row_to_panel(st, p);
	}
	sqlite3_finalize(st);
	if (!found) {
		return panel_missing(c, ref);
	}
	return load_criteria(c, p);
}

int
panel_is_member(struct core *c, int64_t panel_id, int64_t user_id)
{
	sqlite3_stmt *st = NULL;
	int found = 0;

	if (db_query(c, &st,
	             "SELECT 1 FROM panel_member WHERE panel_id = ?1 AND "
	             "expert_id = ?2",
	             "ii", panel_id, user_id) != 0) {
		return 0;
	}
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

int
panel_is_owner(struct core *c, const struct core_panel *p)
{
	enum core_role role = c->actor.role;

	if (!c->has_actor) {
		return 0;
	}
	if (p->level == CORE_PANEL_CITY) {
		return role == CORE_ROLE_CITY_HR;
	}
	return (role == CORE_ROLE_COUNTY_HR || role == CORE_ROLE_DEPARTMENT) &&
	       authz_unit_under(c, p->owner_unit, c->actor.unit);
}

int
panel_visible(struct core *c, const struct core_panel *p)
{
	if (!c->has_actor) {
		return 0;
	}
	switch (c->actor.role) {
	case CORE_ROLE_CITY_HR:
	case CORE_ROLE_AUDITOR:
		return 1;
	case CORE_ROLE_EXPERT:
		return panel_is_member(c, p->id, c->actor.id);
	default:
		return panel_is_owner(c, p);
	}
}

/* Loads ref if the actor may see it; else the missing answer. */
static int
panel_find(struct core *c, const char *ref, struct core_panel *p)
{
	int r;

	if ((r = panel_load(c, ref, p)) != 0) {
		return r;
	}
	if (!panel_visible(c, p)) {
		memset(p, 0, sizeof(*p));
		return panel_missing(c, ref);
	}
	return 0;
}

int
core_panel_get(struct core *c, const char *panel, struct core_panel *out)
{
	core_err_clear(c);
	return panel_find(c, panel, out);
}

int
core_panel_list(struct core *c,
                int (*cb)(void *ctx, const struct core_panel *p), void *ctx)
{
	struct core_panel *p = NULL;
	sqlite3_stmt *st = NULL;
	int r;

	core_err_clear(c);
	if (!c->has_actor) {
		return core_err(c, CORE_EPERM, NULL,
		                _("log in as a user to see panels"));
	}
	if (!(p = malloc(sizeof(*p)))) {
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	if ((r = db_query(c, &st,
	                  PANEL_COLS "WHERE p.round_id = ?1 ORDER BY p.id", "i",
	                  (int64_t)db_current_round(c))) != 0) {
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		row_to_panel(st, p);
		if (!panel_visible(c, p)) {
			continue;
		}
		if ((r = load_criteria(c, p)) != 0 || (r = cb(ctx, p)) != 0) {
			break;
		}
	}
out:
	sqlite3_finalize(st);
	free(p);
	return r;
}

/* "academic:40,innovation:30" (NULL: the default sheet) into p. */
static int
parse_sheet(struct core *c, const char *spec, struct core_panel *p)
{
	char buf[1024], *save = NULL, *tok;
	int total = 0;

	p->n_criteria = 0;
	if (!spec || !*spec) {
		for (size_t i = 0;
		     i < sizeof(default_sheet) / sizeof(default_sheet[0]);
		     i++) {
			struct core_panel_criterion *k =
			    &p->criteria[p->n_criteria++];

			snprintf(k->name, sizeof(k->name), "%s",
			         default_sheet[i].name);
			snprintf(k->label, sizeof(k->label), "%s",
			         default_sheet[i].label);
			k->max_x10 = default_sheet[i].max_x10;
		}
		return 0;
	}
	if (utf8_normalize(spec, buf, sizeof(buf)) != 0) {
		return core_err(c, CORE_EINVAL, "criteria",
		                _("criteria: is not valid UTF-8 text or is "
		                  "too long"));
	}
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *colon = strrchr(tok, ':'), why[160];
		struct core_panel_criterion *k;
		int max;

		while (*tok == ' ') {
			tok++;
		}
		if (!colon || colon == tok ||
		    (max = panel_parse_x10(colon + 1)) <= 0 || max > 10000) {
			return core_err(c, CORE_EINVAL, "criteria",
			                _("criteria: '%s' is not NAME:MAX with "
			                  "MAX from 0.1 to 1000"),
			                tok);
		}
		*colon = '\0';
		if (strchr(tok, '=') || strlen(tok) >= sizeof(k->name) ||
		    utf8_check(tok, UTF8_LINE, 32, why, sizeof(why)) != 0) {
			return core_err(c, CORE_EINVAL, "criteria",
			                _("criteria: '%s' is not a usable "
			                  "criterion name (at most 32 columns, "
			                  "no '=')"),
			                tok);
		}
		for (size_t i = 0; i < p->n_criteria; i++) {
			if (strcmp(p->criteria[i].name, tok) == 0) {
				return core_err(c, CORE_EINVAL, "criteria",
				                _("criteria: '%s' appears "
				                  "twice"),
				                tok);
			}
		}
		if (p->n_criteria == CORE_PANEL_MAX_CRITERIA) {
			return core_err(c, CORE_EINVAL, "criteria",
			                _("criteria: at most %d"),
			                CORE_PANEL_MAX_CRITERIA);
		}
		k = &p->criteria[p->n_criteria++];
		snprintf(k->name, sizeof(k->name), "%s", tok);
		snprintf(k->label, sizeof(k->label), "%s", tok);
		k->max_x10 = max;
		total += max;
	}
	if (p->n_criteria == 0) {
		return core_err(c, CORE_EINVAL, "criteria",
		                _("criteria: name at least one"));
	}
	(void)total;
	return 0;
}

static int
sheet_total(const struct core_panel *p)
{
	int t = 0;

	for (size_t i = 0; i < p->n_criteria; i++) {
		t += p->criteria[i].max_x10;
	}
	return t;
}

int
core_panel_create(struct core *c, const struct core_panel_new *in,
                  int64_t *id_out, struct core_receipt *rc)
{
	struct core_panel *p = NULL;
	char name[CORE_NAME_SIZE], why[1500], sheet[900];
	sqlite3_stmt *st = NULL;
	int64_t round_id, id = 0;
	uint64_t seq = 0;
	size_t off = 0;
	int r, ok_role;

	core_err_clear(c);
	if (id_out) {
		*id_out = 0;
	}
	if (!c->has_actor) {
		return core_err(c, CORE_EPERM, NULL,
		                _("log in as a user to create a panel"));
	}
	ok_role = in->level == CORE_PANEL_CITY
	              ? c->actor.role == CORE_ROLE_CITY_HR
	              : c->actor.role == CORE_ROLE_COUNTY_HR ||
	                    c->actor.role == CORE_ROLE_DEPARTMENT;
	if (!ok_role) {
		return core_err(c, CORE_EPERM, NULL,
		                in->level == CORE_PANEL_CITY
		                    ? _("only city HR may set up the city "
		                        "committee")
		                    : _("only county HR or a department "
		                        "may set up a county/department "
		                        "panel"));
	}
	if ((r = check_text(c, "name", _("panel name"), in->name, name,
	                    sizeof(name), 64, 0)) != 0) {
		return r;
	}
	if (all_digits(name)) {
		return core_err(c, CORE_EINVAL, "name",
		                _("panel name: must not be a number (numbers "
		                  "name panels by id)"));
	}
	if (in->rule != CORE_PANEL_MEAN && in->rule != CORE_PANEL_MAJORITY) {
		return core_err(c, CORE_EINVAL, "rule",
		                _("rule: must be mean or majority"));
	}
	if (!(p = calloc(1, sizeof(*p)))) {
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	if ((r = parse_sheet(c, in->criteria, p)) != 0) {
		goto out;
	}
	p->rule = in->rule;
	p->level = in->level;
	if (in->threshold && *in->threshold) {
		p->threshold_x10 = panel_parse_x10(in->threshold);
		if (p->threshold_x10 < 0 || p->threshold_x10 > sheet_total(p)) {
			r = core_err(c, CORE_EINVAL, "threshold",
			             _("threshold: must be a number from 0 to "
			               "%d.%d (the sheet's total)"),
			             sheet_total(p) / 10, sheet_total(p) % 10);
			goto out;
		}
	} else {
		p->threshold_x10 = (sheet_total(p) * 6 + 5) / 10;
	}
	p->quorum = in->quorum ? in->quorum : DEFAULT_QUORUM;
	if (p->quorum < 1 || p->quorum > 99) {
		r = core_err(c, CORE_EINVAL, "quorum",
		             _("quorum: must be from 1 to 99"));
		goto out;
	}
	if ((round_id = db_current_round(c)) == 0) {
		r = core_err(c, CORE_ESTATE, NULL, _("no round is open"));
		goto out;
	}
	for (size_t i = 0; i < p->n_criteria; i++) {
		off += (size_t)snprintf(
		    sheet + off, sizeof(sheet) - off, "%s%s:%d.%d",
		    i ? "," : "", p->criteria[i].name,
		    p->criteria[i].max_x10 / 10, p->criteria[i].max_x10 % 10);
		if (off >= sizeof(sheet)) {
			off = sizeof(sheet) - 1;
		}
	}

	if ((r = tx_begin(c)) != 0) {
		goto out;
	}
	if ((r = db_query(c, &st,
	                  "INSERT INTO panel (round_id, name, level, "
	                  "owner_unit, rule, threshold_x10, quorum, "
	                  "created_by, created_ms, seq) VALUES (?1, ?2, ?3, "
	                  "?4, ?5, ?6, ?7, ?8, ?9, -1)",
	                  "ittttddii", round_id, name,
	                  core_panel_level_name(p->level), c->actor.unit,
	                  core_panel_rule_name(p->rule), (int)p->threshold_x10,
	                  (int)p->quorum, c->actor.id,
	                  (int64_t)core_now_ms(c))) != 0) {
		goto fail;
	}
	r = sqlite3_step(st);
	sqlite3_finalize(st);
	if ((r & 0xff) == SQLITE_CONSTRAINT) {
		r = core_err(c, CORE_EEXIST, "name",
		             _("panel name: '%s' is taken in this round"),
		             name);
		goto fail;
	}
	if (r != SQLITE_DONE) {
		r = core_err_sql(c, r);
		goto fail;
	}
	id = sqlite3_last_insert_rowid(c->db);
	for (size_t i = 0; i < p->n_criteria; i++) {
		if ((r = db_exec(c,
		                 "INSERT INTO panel_criterion (panel_id, "
		                 "pos, name, label, max_x10) VALUES (?1, "
		                 "?2, ?3, ?4, ?5)",
		                 "idttd", id, (int)i, p->criteria[i].name,
		                 p->criteria[i].label,
		                 (int)p->criteria[i].max_x10)) != 0) {
			goto fail;
		}
	}
	snprintf(why, sizeof(why),
	         "panel created: %s (%s, owner %s, %s, threshold %d.%d, "
	         "quorum %d, criteria %s)",
	         name, core_panel_level_name(p->level), c->actor.unit,
	         core_panel_rule_name(p->rule), p->threshold_x10 / 10,
	         p->threshold_x10 % 10, p->quorum, sheet);
	if ((r = audit_record(c, ACT_ADMIN, &seq, why, "panel:%lld",
	                      (long long)id)) != 0) {
		goto fail;
	}
	if ((r = db_exec(c, "UPDATE panel SET seq = ?1 WHERE id = ?2", "ii",
	                 (int64_t)seq, id)) != 0) {
		goto fail;
	}
	if ((r = tx_commit(c, rc)) != 0) {
		goto out;
	}
	if (rc) {
		rc->seq = seq;
	}
	if (id_out) {
		*id_out = id;
	}
	r = 0;
	goto out;
fail:
	tx_rollback(c);
out:
	free(p);
	return r;
}

struct expert_user {
	int64_t id;
	char login[CORE_LOGIN_SIZE];
	char name[CORE_NAME_SIZE];
	char role[16];
	char unit[CORE_CODE_SIZE];
};

static int
load_expert(struct core *c, const char *login, struct expert_user *u)
{
	sqlite3_stmt *st = NULL;
	int r, found;

	memset(u, 0, sizeof(*u));
	if ((r = db_query(c, &st,
	                  "SELECT id, login, name, role, unit FROM user "
	                  "WHERE login = ?1",
	                  "t", login ? login : "")) != 0) {
		return r;
	}
	found = sqlite3_step(st) == SQLITE_ROW;
	if (found) {
		u->id = sqlite3_column_int64(st, 0);
		db_copy(u->login, sizeof(u->login), st, 1);
		db_copy(u->name, sizeof(u->name), st, 2);
		db_copy(u->role, sizeof(u->role), st, 3);
		db_copy(u->unit, sizeof(u->unit), st, 4);
	}
	sqlite3_finalize(st);
	if (!found) {
		return core_err(c, CORE_EINVAL, "expert",
		                _("expert: no user '%s'"), login ? login : "");
	}
	if (strcmp(u->role, "expert") != 0) {
		return core_err(c, CORE_EINVAL, "expert",
		                _("expert: '%s' is a %s, not an expert"),
		                u->login, u->role);
	}
	return 0;
}

int
core_panel_add_member(struct core *c, const char *panel,
                      const char *expert_login, struct core_receipt *rc)
{
	struct core_panel *p = NULL;
	struct expert_user u;
	char why[128];
	int r;

	core_err_clear(c);
	if (!(p = malloc(sizeof(*p)))) {
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	if ((r = panel_find(c, panel, p)) != 0) {
		goto out;
	}
	if (!panel_is_owner(c, p)) {
		r = core_err(c, CORE_EPERM, NULL,
		             _("only the owner of panel '%s' may change its "
		               "members"),
		             p->name);
		goto out;
	}
	if ((r = load_expert(c, expert_login, &u)) != 0) {
		goto out;
	}
	if (panel_is_member(c, p->id, u.id)) {
		r = core_err(c, CORE_EEXIST, "expert",
		             _("expert: '%s' is already on panel '%s'"),
		             u.login, p->name);
		goto out;
	}
	if ((r = tx_begin(c)) != 0) {
		goto out;
	}
	if ((r = db_exec(c,
	                 "INSERT INTO panel_member (panel_id, expert_id, "
	                 "added_by, added_ms, seq) VALUES (?1, ?2, ?3, ?4, "
	                 "(SELECT count(*) FROM log_entry))",
	                 "iiii", (int64_t)p->id, (int64_t)u.id, c->actor.id,
	                 (int64_t)core_now_ms(c))) != 0) {
		goto fail;
	}
	snprintf(why, sizeof(why), "member added: %s (unit %s)", u.login,
	         u.unit);
	if ((r = audit_record(c, ACT_ADMIN, NULL, why, "panel:%lld",
	                      (long long)p->id)) != 0) {
		goto fail;
	}
	r = tx_commit(c, rc);
	goto out;
fail:
	tx_rollback(c);
out:
	free(p);
	return r;
}

/* The organisation a unit belongs to: its topmost 'employer' ancestor in
 * an unbroken chain of employer units, or the unit itself. */
static int
org_root(struct core *c, const char *unit, char *out, size_t outsz)
{
	sqlite3_stmt *st = NULL;
	int r;

	snprintf(out, outsz, "%s", unit);
	if ((r = db_query(c, &st,
	                  "WITH RECURSIVE up(code, parent, kind, depth) AS ("
	                  " SELECT code, parent, kind, 0 FROM unit WHERE "
	                  " code = ?1 UNION ALL SELECT u.code, u.parent, "
	                  " u.kind, up.depth + 1 FROM unit u JOIN up ON "
	                  " u.code = up.parent WHERE up.kind = 'employer' "
	                  " AND up.depth < 64)"
	                  " SELECT code FROM up WHERE kind = 'employer' "
	                  " ORDER BY depth DESC LIMIT 1",
	                  "t", unit)) != 0) {
		return r;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		db_copy(out, outsz, st, 0);
	}
	sqlite3_finalize(st);
	return 0;
}

/*
 * 1 if expert (at expert_unit) must be recused from nominee id employed
 * at unit, with the reason; 0 if not; < 0 on error.
 */
static int
recusal(struct core *c, int64_t expert_id, const char *expert_unit, int64_t id,
        const char *unit, char *why, size_t whysz)
{
	char er[CORE_CODE_SIZE], nr[CORE_CODE_SIZE];
	sqlite3_stmt *st = NULL;
	int r, found = 0;

	if (strcmp(expert_unit, unit) == 0) {
		snprintf(why, whysz, "own unit %s", unit);
		return 1;
	}
	if ((r = org_root(c, expert_unit, er, sizeof(er))) != 0 ||
	    (r = org_root(c, unit, nr, sizeof(nr))) != 0) {
		return r;
	}
	if (strcmp(er, nr) == 0) {
		snprintf(why, whysz, "same employer %s", er);
		return 1;
	}
	if ((r = db_query(c, &st,
	                  "SELECT reason FROM expert_conflict WHERE "
	                  "expert_id = ?1 AND nominee_id = ?2",
	                  "ii", expert_id, id)) != 0) {
		return r;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(why, whysz, "declared conflict: %s", db_text(st, 0));
		found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

const char *
core_panel_stage(enum core_panel_level level)
{
	return core_state_code(level == CORE_PANEL_CITY ? CORE_ST_HR_CHECKED
							: CORE_ST_SUBMITTED);
}

static int64_t
nominee_round(struct core *c, int64_t id)
{
	sqlite3_stmt *st = NULL;
	int64_t round_id = 0;

	if (db_row(c, &st, "SELECT round_id FROM nominee WHERE id = ?1", "i",
	           id) == 1) {
		round_id = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return round_id;
}

struct member {
	struct expert_user u;
	char status[16]; /* "" if not assigned yet */
	char reason[CORE_TEXT_SIZE];
};

static int
load_members(struct core *c, int64_t panel_id, int64_t id, struct member **out,
             size_t *n)
{
	sqlite3_stmt *st = NULL;
	struct member *m = NULL, *grown;
	size_t cap = 0;
	int r;

	*out = NULL;
	*n = 0;
	if ((r = db_query(c, &st,
	                  "SELECT u.id, u.login, u.name, u.role, u.unit, "
	                  "COALESCE(a.status, ''), COALESCE(a.reason, '') "
	                  "FROM panel_member pm JOIN user u ON u.id = "
	                  "pm.expert_id LEFT JOIN panel_assignment a ON "
	                  "a.panel_id = pm.panel_id AND a.expert_id = u.id "
	                  "AND a.nominee_id = ?2 WHERE pm.panel_id = ?1 "
	                  "ORDER BY u.login",
	                  "ii", panel_id, id)) != 0) {
		return r;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			if (!(grown = realloc(m, cap * sizeof(*m)))) {
				r = core_err(c, CORE_EINTERNAL, NULL,
				             "out of memory");
				break;
			}
			m = grown;
		}
		memset(&m[*n], 0, sizeof(m[*n]));
		m[*n].u.id = sqlite3_column_int64(st, 0);
		db_copy(m[*n].u.login, sizeof(m[*n].u.login), st, 1);
		db_copy(m[*n].u.name, sizeof(m[*n].u.name), st, 2);
		db_copy(m[*n].u.role, sizeof(m[*n].u.role), st, 3);
		db_copy(m[*n].u.unit, sizeof(m[*n].u.unit), st, 4);
		db_copy(m[*n].status, sizeof(m[*n].status), st, 5);
		db_copy(m[*n].reason, sizeof(m[*n].reason), st, 6);
		(*n)++;
	}
	sqlite3_finalize(st);
	if (r != 0) {
		free(m);
		*n = 0;
		return r;
	}
	*out = m;
	return 0;
}

int
core_panel_assign(struct core *c, const char *panel, int64_t id,
                  int (*cb)(void *ctx, const struct core_panel_assign_item *it),
                  void *ctx, struct core_receipt *rc)
{
	struct core_panel *p = NULL;
	struct core_dossier *d = NULL;
	struct member *m = NULL;
	size_t n_m = 0, n_new = 0;
	uint8_t salt[32];
	char subj[64], why[CORE_TEXT_SIZE + 128];
	int *recused = NULL;
	char(*reasons)[CORE_TEXT_SIZE] = NULL;
	struct audit_act a;
	int r;

	core_err_clear(c);
	p = malloc(sizeof(*p));
	d = malloc(sizeof(*d));
	if (!p || !d) {
		r = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
		goto out;
	}
	if ((r = panel_find(c, panel, p)) != 0) {
		goto out;
	}
	if (!panel_is_owner(c, p)) {
		r = core_err(c, CORE_EPERM, NULL,
		             _("only the owner of panel '%s' may assign "
		               "nominees to it"),
		             p->name);
		goto out;
	}
	if ((r = nominee_load(c, id, d, salt, 1)) != 0) {
		goto out;
	}
	if (nominee_round(c, id) != db_current_round(c)) {
		r = core_err(c, CORE_ESTATE, NULL,
		             _("nominee %lld is not in the current round"),
		             (long long)id);
		goto out;
	}
	if (strcmp(d->n.state, core_panel_stage(p->level)) != 0) {
		r = core_err(c, CORE_ESTATE, NULL,
		             _("nominee %lld is %s: panel '%s' evaluates "
		               "nominees that are %s"),
		             (long long)id, core_state_label(d->n.state),
		             p->name, core_state_label(core_panel_stage(p->level)));
		goto out;
	}
	if (p->level == CORE_PANEL_LOCAL &&
	    !(d->holder[0] && authz_unit_under(c, d->holder, p->owner_unit))) {
		r = core_err(c, CORE_EPERM, NULL,
		             _("nominee %lld was not submitted to '%s', the "
		               "owner of panel '%s'"),
		             (long long)id, p->owner_unit, p->name);
		goto out;
	}
	if ((r = load_members(c, p->id, id, &m, &n_m)) != 0) {
		goto out;
	}
	if (n_m == 0) {
		r = core_err(c, CORE_ESTATE, NULL,
		             _("panel '%s' has no members yet: add experts to "
		               "it first"),
		             p->name);
		goto out;
	}
	recused = calloc(n_m, sizeof(*recused));
	reasons = calloc(n_m, sizeof(*reasons));
	if (!recused || !reasons) {
		r = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n_m; i++) {
		if (m[i].status[0]) {
			continue;
		}
		n_new++;
		r = recusal(c, m[i].u.id, m[i].u.unit, id, d->n.unit,
		            reasons[i], sizeof(reasons[i]));
		if (r < 0) {
			goto out;
		}
		recused[i] = r;
	}
	if (n_new == 0) {
		r = core_err(c, CORE_EEXIST, NULL,
		             _("nominee %lld is already assigned to every "
		               "member of panel '%s'"),
		             (long long)id, p->name);
		goto out;
	}

	if ((r = tx_begin(c)) != 0) {
		goto out;
	}
	snprintf(subj, sizeof(subj), "panel:%lld/nominee:%lld",
	         (long long)p->id, (long long)id);
	for (size_t i = 0; i < n_m; i++) {
		uint64_t seq = 0;

		if (m[i].status[0]) {
			continue;
		}
		if (recused[i]) {
			snprintf(why, sizeof(why), "recused %s: %s",
			         m[i].u.login, reasons[i]);
		} else {
			snprintf(why, sizeof(why), "assigned to %s",
			         m[i].u.login);
		}
		memset(&a, 0, sizeof(a));
		a.act = ACT_TRANSITION;
		a.subject = subj;
		a.version = d->n.version;
		a.digest = d->digest;
		a.reason = why;
		if ((r = audit_append(c, &a, &seq)) != 0) {
			goto fail;
		}
		if ((r = db_exec(c,
		                 "INSERT INTO panel_assignment (panel_id, "
		                 "nominee_id, expert_id, status, reason, "
		                 "assigned_by, assigned_ms, seq) VALUES "
		                 "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		                 "iiittiii", (int64_t)p->id, id,
		                 (int64_t)m[i].u.id,
		                 recused[i] ? "recused" : "assigned",
		                 recused[i] ? reasons[i] : "", c->actor.id,
		                 (int64_t)core_now_ms(c), (int64_t)seq)) != 0) {
			goto fail;
		}
	}
	if ((r = tx_commit(c, rc)) != 0) {
		goto out;
	}
	for (size_t i = 0; cb && i < n_m; i++) {
		struct core_panel_assign_item it;

		it.expert = m[i].u.login;
		it.expert_name = m[i].u.name;
		it.already = m[i].status[0] != '\0';
		it.recused = it.already
		                 ? strcmp(m[i].status, "recused") == 0 ||
		                       strcmp(m[i].status, "conflict") == 0
		                 : recused[i];
		it.reason = it.already
		                ? (m[i].reason[0] ? m[i].reason : m[i].status)
		            : recused[i] ? reasons[i]
		                         : "";
		if ((r = cb(ctx, &it)) != 0) {
			break;
		}
	}
	r = 0;
	goto out;
fail:
	tx_rollback(c);
out:
	free(reasons);
	free(recused);
	free(m);
	free(d);
	free(p);
	return r;
}

/* The acting expert's assignment of nominee id being evaluated now. */
struct my_assignment {
	struct core_panel p;
	struct core_dossier d;
	char status[16];
};

static int
find_mine(struct core *c, const char *panel, int64_t id,
          struct my_assignment *out)
{
	sqlite3_stmt *st = NULL;
	uint8_t salt[32];
	int64_t pick = 0, any = 0;
	char pick_ref[32];
	int r, n_now = 0;

	if (!c->has_actor || c->actor.role != CORE_ROLE_EXPERT) {
		return core_err(c, CORE_EPERM, NULL,
		                _("only experts declare, score and see their "
		                  "own assignments"));
	}
	if (panel) {
		if ((r = panel_find(c, panel, &out->p)) != 0) {
			return r;
		}
		pick = out->p.id;
	}
	/* Every panel of the round that assigned id to the actor (not
	 * recused), and whether it evaluates id in its current state. */
	if ((r = db_query(c, &st,
	                  "SELECT a.panel_id, CASE p.level WHEN 'city' THEN "
	                  "'hr_checked' ELSE 'submitted' END = n.state "
	                  "FROM panel_assignment a JOIN panel p ON p.id = "
	                  "a.panel_id JOIN nominee n ON n.id = a.nominee_id "
	                  "WHERE a.nominee_id = ?1 AND a.expert_id = ?2 AND "
	                  "a.status <> 'recused' AND p.round_id = ?3 AND "
	                  "(?4 = 0 OR a.panel_id = ?4) ORDER BY a.panel_id "
	                  "DESC",
	                  "iiii", id, c->actor.id, (int64_t)db_current_round(c),
	                  pick)) != 0) {
		return r;
	}
	pick = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t pid = sqlite3_column_int64(st, 0);

		if (!any) {
			any = pid;
		}
		if (sqlite3_column_int(st, 1)) {
			if (!n_now++) {
				pick = pid;
			}
		}
	}
	sqlite3_finalize(st);
	if (!any) {
		return nominee_missing(c, id);
	}
	if (n_now > 1) {
		return core_err(c, CORE_EINVAL, "panel",
		                _("nominee %lld is assigned to you on several "
		                  "panels: name one (--panel)"),
		                (long long)id);
	}
	if (!pick) {
		pick = any;
	}
	snprintf(pick_ref, sizeof(pick_ref), "%lld", (long long)pick);
	if ((r = panel_load(c, pick_ref, &out->p)) != 0) {
		return r;
	}
	if ((r = db_query(c, &st,
	                  "SELECT status FROM panel_assignment WHERE "
	                  "panel_id = ?1 AND nominee_id = ?2 AND expert_id = "
	                  "?3",
	                  "iii", pick, id, c->actor.id)) != 0) {
		return r;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		db_copy(out->status, sizeof(out->status), st, 0);
	}
	sqlite3_finalize(st);
	if ((r = nominee_load(c, id, &out->d, salt, 0)) != 0) {
		return r;
	}
	if (strcmp(out->d.n.state, core_panel_stage(out->p.level)) != 0) {
		return core_err(c, CORE_ESTATE, NULL,
		                _("nominee %lld is %s: panel '%s' is no longer "
		                  "evaluating it"),
		                (long long)id, core_state_label(out->d.n.state),
		                out->p.name);
	}
	return 0;
}

/* Defence in depth: the unit rule again at the moment of the act. */
static int
still_unconflicted(struct core *c, const struct my_assignment *m)
{
	char why[CORE_TEXT_SIZE];
	int r = recusal(c, c->actor.id, c->actor.unit, m->d.n.id, m->d.n.unit,
	                why, sizeof(why));

	if (r < 0) {
		return r;
	}
	if (r > 0) {
		return core_err(c, CORE_EPERM, NULL,
		                _("you are recused from nominee %lld (%s)"),
		                (long long)m->d.n.id, why);
	}
	return 0;
}

int
core_panel_declare_seen(struct core *c, const char *panel, int64_t id,
                        uint64_t seen_seq, const char *conflict,
                        struct core_receipt *rc)
{
	struct my_assignment *m = NULL;
	char reason[CORE_TEXT_SIZE], subj[64], why[CORE_TEXT_SIZE + 64];
	struct audit_act a;
	uint64_t seq = 0;
	int r, is_conflict = conflict && *conflict;

	core_err_clear(c);
	if (!(m = calloc(1, sizeof(*m)))) {
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	if ((r = find_mine(c, panel, id, m)) != 0) {
		goto out;
	}
	if (strcmp(m->status, "conflict") == 0) {
		r = core_err(c, CORE_EEXIST, NULL,
		             _("you declared a conflict with nominee %lld: you "
		               "are recused"),
		             (long long)id);
		goto out;
	}
	if (strcmp(m->status, "scored") == 0) {
		r = core_err(c, CORE_ESTATE, NULL,
		             _("your scores for nominee %lld are submitted "
		               "and final"),
		             (long long)id);
		goto out;
	}
	if (!is_conflict && strcmp(m->status, "declared") == 0) {
		r = core_err(c, CORE_EEXIST, NULL,
		             _("you have already declared no conflict with "
		               "nominee %lld"),
		             (long long)id);
		goto out;
	}
	if (is_conflict) {
		if ((r = check_text(c, "conflict", _("conflict"), conflict,
		                    reason, sizeof(reason), 500, 1)) != 0) {
			goto out;
		}
	} else if ((r = still_unconflicted(c, m)) != 0) {
		goto out;
	}

	/* 回避承诺: the expert's own signature, as for any pledge */
	if ((r = signing_ready(c)) != 0) {
		goto out;
	}
	if ((r = tx_begin(c)) != 0) {
		goto out;
	}
	/* the statement names the dossier's version: the one shown */
	if ((r = nominee_unchanged(c, &m->d, seen_seq)) != 0 ||
	    (r = signing_check_active(c)) != 0) {
		goto fail;
	}
	snprintf(subj, sizeof(subj), "panel:%lld/nominee:%lld",
	         (long long)m->p.id, (long long)id);
	if (is_conflict) {
		snprintf(why, sizeof(why), "conflict declared by %s: %s",
		         c->actor.login, reason);
	} else {
		snprintf(why, sizeof(why),
		         "no-conflict declaration by %s for nominee %lld on "
		         "panel %s",
		         c->actor.login, (long long)id, m->p.name);
	}
	memset(&a, 0, sizeof(a));
	a.act = is_conflict ? ACT_TRANSITION : ACT_PLEDGE;
	a.subject = subj;
	a.version = m->d.n.version;
	a.digest = m->d.digest;
	a.reason = why;
	a.sign = 1;
	if ((r = audit_append(c, &a, &seq)) != 0) {
		goto fail;
	}
	if ((r = db_exec(c,
	                 "UPDATE panel_assignment SET status = ?1, "
	                 "reason = ?2, declared_ms = ?3, seq = ?4 WHERE "
	                 "panel_id = ?5 AND nominee_id = ?6 AND "
	                 "expert_id = ?7",
	                 "ttiiiii", is_conflict ? "conflict" : "declared",
	                 is_conflict ? reason : "", (int64_t)core_now_ms(c),
	                 (int64_t)seq, (int64_t)m->p.id, id, c->actor.id)) !=
	    0) {
		goto fail;
	}
	if (is_conflict) {
		if ((r = db_exec(c,
		                 "INSERT INTO expert_conflict (expert_id, "
		                 "nominee_id, panel_id, reason, seq) VALUES "
		                 "(?1, ?2, ?3, ?4, ?5) ON CONFLICT DO "
		                 "NOTHING",
		                 "iiiti", c->actor.id, id, (int64_t)m->p.id,
		                 reason, (int64_t)seq)) != 0) {
			goto fail;
		}
	}
	if ((r = tx_commit(c, rc)) != 0) {
		goto out;
	}
	if (rc) {
		rc->seq = seq;
	}
	r = 0;
	goto out;
fail:
	tx_rollback(c);
out:
	signing_after_act(c); /* per-act unlock: one signing attempt */
	free(m);
	return r;
}

int
core_panel_declare(struct core *c, const char *panel, int64_t id,
                   const char *conflict, struct core_receipt *rc)
{
	return core_panel_declare_seen(c, panel, id, 0, conflict, rc);
}

/* Parses the sheet against p's criteria into x10[] (criteria order). */
static int
parse_scores(struct core *c, const struct core_panel *p,
             const struct core_score *s, size_t n, int x10[])
{
	int seen[CORE_PANEL_MAX_CRITERIA] = {0};

	for (size_t i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < p->n_criteria; k++) {
			if (s[i].criterion &&
			    strcmp(s[i].criterion, p->criteria[k].name) == 0) {
				break;
			}
		}
		if (k == p->n_criteria) {
			return core_err(c, CORE_EINVAL, "criterion",
			                _("criterion: '%s' is not on the score "
			                  "sheet of panel '%s'"),
			                s[i].criterion ? s[i].criterion : "",
			                p->name);
		}
		if (seen[k]++) {
			return core_err(c, CORE_EINVAL, "criterion",
			                _("criterion: '%s' is scored twice"),
			                p->criteria[k].name);
		}
		x10[k] = panel_parse_x10(s[i].score);
		if (x10[k] < 0 || x10[k] > p->criteria[k].max_x10) {
			return core_err(c, CORE_EINVAL, "criterion",
			                _("criterion '%s': the score must be "
			                  "a number from 0 to %d.%d with at "
			                  "most one decimal"),
			                p->criteria[k].name,
			                p->criteria[k].max_x10 / 10,
			                p->criteria[k].max_x10 % 10);
		}
	}
	for (size_t k = 0; k < p->n_criteria; k++) {
		if (!seen[k]) {
			return core_err(c, CORE_EINVAL, "criterion",
			                _("criterion: '%s' (%s) is not scored"),
			                p->criteria[k].name,
			                p->criteria[k].label);
		}
	}
	return 0;
}

/* Appends text to buf (size bytes, len used) as far as it fits, cut at a
 * code point boundary so the result stays valid UTF-8. */
static void
append_utf8(char *buf, size_t size, size_t len, const char *text)
{
	size_t n = strlen(text);

	if (len >= size) {
		return;
	}
	if (n > size - 1 - len) {
		n = size - 1 - len;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80) {
			n--;
		}
	}
	memcpy(buf + len, text, n);
	buf[len + n] = '\0';
}

int
core_panel_score_seen(struct core *c, const char *panel, int64_t id,
                      uint64_t seen_seq, const struct core_score *scores,
                      size_t n_scores, const char *opinion,
                      struct core_receipt *rc)
{
	struct my_assignment *m = NULL;
	int x10[CORE_PANEL_MAX_CRITERIA] = {0}, total = 0;
	char op[4096], subj[64], *sheet = NULL, *why = NULL;
	size_t off = 0, woff = 0;
	const size_t sheetsz = 8192, whysz = 4001;
	uint8_t digest[32];
	struct audit_act a;
	uint64_t seq = 0;
	int r;

	core_err_clear(c);
	op[0] = '\0';
	m = calloc(1, sizeof(*m));
	sheet = malloc(sheetsz);
	why = malloc(whysz);
	if (!m || !sheet || !why) {
		r = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
		goto out;
	}
	if ((r = find_mine(c, panel, id, m)) != 0) {
		goto out;
	}
	if (strcmp(m->status, "assigned") == 0) {
		r = core_err(c, CORE_EPERM, NULL,
		             _("sign the no-conflict declaration for nominee "
		               "%lld first"),
		             (long long)id);
		goto out;
	}
	if (strcmp(m->status, "conflict") == 0) {
		r = core_err(c, CORE_EPERM, NULL,
		             _("you declared a conflict with nominee %lld: you "
		               "are recused"),
		             (long long)id);
		goto out;
	}
	if (strcmp(m->status, "scored") == 0) {
		r = core_err(c, CORE_EEXIST, NULL,
		             _("your scores for nominee %lld are submitted "
		               "and final"),
		             (long long)id);
		goto out;
	}
	if ((r = still_unconflicted(c, m)) != 0 ||
	    (r = parse_scores(c, &m->p, scores, n_scores, x10)) != 0) {
		goto out;
	}
	if (opinion && *opinion &&
	    (r = check_text(c, "opinion", _("opinion"), opinion, op, sizeof(op),
	                    2000, 1)) != 0) {
		goto out;
	}

	/* The canonical sheet: what the entry's digest binds. */
	off =
	    (size_t)snprintf(sheet, sheetsz,
	                     "nomdesk-score/1\npanel=%lld\nnominee=%lld\n"
	                     "expert=%s\n",
	                     (long long)m->p.id, (long long)id, c->actor.login);
	woff = (size_t)snprintf(why, whysz, "score by %s:", c->actor.login);
	for (size_t k = 0; k < m->p.n_criteria; k++) {
		total += x10[k];
		off += (size_t)snprintf(sheet + off, sheetsz - off,
		                        "%s=%d.%d\n", m->p.criteria[k].name,
		                        x10[k] / 10, x10[k] % 10);
		if (woff < whysz) {
			woff += (size_t)snprintf(
			    why + woff, whysz - woff, " %s=%d.%d",
			    m->p.criteria[k].name, x10[k] / 10, x10[k] % 10);
		}
	}
	if (off < sheetsz) {
		off += (size_t)snprintf(sheet + off, sheetsz - off,
		                        "opinion=%s\n", op);
	}
	if (off >= sheetsz) {
		off = sheetsz - 1;
	}
	if (woff < whysz) {
		woff += (size_t)snprintf(
		    why + woff, whysz - woff, " total=%d.%d%s", total / 10,
		    total % 10, op[0] ? "; opinion: " : "");
	}
	append_utf8(why, whysz, woff, op);
	crypto_hash_sha256(digest, (const unsigned char *)sheet, off);

	if ((r = tx_begin(c)) != 0) {
		goto out;
	}
	/* the sheet names the dossier scored: the version shown */
	if ((r = nominee_unchanged(c, &m->d, seen_seq)) != 0) {
		goto fail;
	}
	snprintf(subj, sizeof(subj), "panel:%lld/nominee:%lld",
	         (long long)m->p.id, (long long)id);
	memset(&a, 0, sizeof(a));
	a.act = ACT_REVIEW;
	a.subject = subj;
	a.version = m->d.n.version;
	a.prev_digest = m->d.digest; /* the dossier scored */
	a.digest = digest;           /* the sheet */
	a.reason = why;
	if ((r = audit_append(c, &a, &seq)) != 0) {
		goto fail;
	}
	for (size_t k = 0; k < m->p.n_criteria; k++) {
		if ((r = db_exec(c,
		                 "INSERT INTO panel_score (panel_id, "
		                 "nominee_id, expert_id, criterion, "
		                 "score_x10) VALUES (?1, ?2, ?3, ?4, ?5)",
		                 "iiitd", (int64_t)m->p.id, id, c->actor.id,
		                 m->p.criteria[k].name, (int)x10[k])) != 0) {
			goto fail;
		}
	}
	if ((r = db_exec(c,
	                 "UPDATE panel_assignment SET status = 'scored', "
	                 "scored_ms = ?1, total_x10 = ?2, opinion = ?3, "
	                 "seq = ?4 WHERE panel_id = ?5 AND nominee_id = ?6 "
	                 "AND expert_id = ?7",
	                 "idtiiii", (int64_t)core_now_ms(c), (int)total, op,
	                 (int64_t)seq, (int64_t)m->p.id, id, c->actor.id)) !=
	    0) {
		goto fail;
	}
	if ((r = tx_commit(c, rc)) != 0) {
		goto out;
	}
	if (rc) {
		rc->seq = seq;
	}
	r = 0;
	goto out;
fail:
	tx_rollback(c);
out:
	free(why);
	free(sheet);
	free(m);
	return r;
}

int
core_panel_score(struct core *c, const char *panel, int64_t id,
                 const struct core_score *scores, size_t n_scores,
                 const char *opinion, struct core_receipt *rc)
{
	return core_panel_score_seen(c, panel, id, 0, scores, n_scores,
	                             opinion, rc);
}

int
core_panel_assignments(struct core *c,
                       int (*cb)(void *ctx,
                                 const struct core_panel_assignment *a),
                       void *ctx)
{
	struct core_panel_assignment *a = NULL;
	sqlite3_stmt *st = NULL;
	int r, rc = SQLITE_DONE;

	core_err_clear(c);
	if (!c->has_actor || c->actor.role != CORE_ROLE_EXPERT) {
		return core_err(c, CORE_EPERM, NULL,
		                _("only experts declare, score and see their "
		                  "own assignments"));
	}
	if (!(a = malloc(sizeof(*a)))) {
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	if ((r = db_query(c, &st,
	                  "SELECT p.id, p.name, p.level, n.id, n.name, "
	                  "u.name, a.status, n.state, n.seq, n.version "
	                  "FROM panel_assignment a "
	                  "JOIN panel p ON p.id = a.panel_id JOIN nominee n "
	                  "ON n.id = a.nominee_id JOIN unit u ON u.code = "
	                  "n.unit WHERE a.expert_id = ?1 AND a.status <> "
	                  "'recused' AND p.round_id = ?2 ORDER BY p.id DESC, "
	                  "n.id",
	                  "ii", c->actor.id, (int64_t)db_current_round(c))) !=
	    0) {
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(a, 0, sizeof(*a));
		a->panel_id = sqlite3_column_int64(st, 0);
		db_copy(a->panel, sizeof(a->panel), st, 1);
		a->level = strcmp(db_text(st, 2), "city") == 0
		               ? CORE_PANEL_CITY
		               : CORE_PANEL_LOCAL;
		a->nominee_id = sqlite3_column_int64(st, 3);
		db_copy(a->name, sizeof(a->name), st, 4);
		db_copy(a->unit_name, sizeof(a->unit_name), st, 5);
		db_copy(a->status, sizeof(a->status), st, 6);
		db_copy(a->state, sizeof(a->state), st, 7);
		a->seq = (uint64_t)sqlite3_column_int64(st, 8);
		a->version = (uint32_t)sqlite3_column_int64(st, 9);
		if ((r = cb(ctx, a)) != 0) {
			break;
		}
	}
	/* a read that stops on an error must not pass for the whole list */
	if (r == 0 && rc != SQLITE_ROW && rc != SQLITE_DONE) {
		r = core_err_sql(c, rc);
	}
out:
	sqlite3_finalize(st);
	free(a);
	return r;
}
