/*
 * Which entries of the log a reader may show the actor (issue #8 item 8).
 * Every reader of the log (core_audit_log, core_audit_trail,
 * core_nominee_history) asks here for each entry, so the panel screens'
 * rules hold in every view; docs/panel-notes.md ("Panel acts in the
 * log") states them:
 *
 * - auditors, city HR and the host operator see every entry;
 * - "nominee:N": whoever may see nominee N (core/authz.c);
 * - "panel:P" (created, member added): the owner of panel P;
 * - "panel:P/nominee:N" (assignment, recusal, declaration, conflict,
 *   score sheet): the owner of P if they may see N, as `panel scores`;
 *   an expert of P who may open N (core/authz_expert.c) their own acts,
 *   and the other experts' score sheets only once their own sheet for N
 *   on P is in; never another expert's declaration, conflict or
 *   recusal; nobody else anything (unit clerks, applicants, the
 *   nominee's own unit, other holders, admins);
 * - any other subject: nobody but the first group.
 *
 * An entry is shown whole or not at all: a stub would still tell when
 * and how many sheets came in, which the panel screens withhold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"

/* Parses the digits of an id at p; *end past them.  0 if malformed. */
static int64_t
parse_id(const char *p, const char **end)
{
	int64_t v = 0;
	int n = 0;

	*end = p;
	if (*p < '1' || *p > '9') {
		return 0;
	}
	for (; *p >= '0' && *p <= '9'; p++) {
		if (++n > 18) {
			return 0;
		}
		v = v * 10 + (*p - '0');
	}
	*end = p;
	return v;
}

enum log_subject_kind
log_subject_parse(const char *subject, int64_t *panel, int64_t *nominee)
{
	const char *end;

	*panel = 0;
	*nominee = 0;
	if (strncmp(subject, "nominee:", 8) == 0) {
		*nominee = parse_id(subject + 8, &end);
		if (*nominee && *end == '\0') {
			return LOG_SUBJECT_NOMINEE;
		}
		*nominee = 0;
		return LOG_SUBJECT_OTHER;
	}
	if (strncmp(subject, "panel:", 6) != 0) {
		return LOG_SUBJECT_OTHER;
	}
	if (!(*panel = parse_id(subject + 6, &end))) {
		return LOG_SUBJECT_OTHER;
	}
	if (*end == '\0') {
		return LOG_SUBJECT_PANEL;
	}
	if (strncmp(end, "/nominee:", 9) == 0 &&
	    (*nominee = parse_id(end + 9, &end)) != 0 && *end == '\0') {
		return LOG_SUBJECT_PANEL_NOMINEE;
	}
	*panel = 0;
	*nominee = 0;
	return LOG_SUBJECT_OTHER;
}

/* 1 if the actor may see nominee id (its row, scoped as core_nominee_get
 * scopes it, digest not checked: a damaged dossier's log is still
 * shown to those who may see the dossier). */
static int
nominee_ok(struct core *c, int64_t id)
{
	struct core_dossier *d = NULL;
	sqlite3_stmt *st = NULL;
	int ok = 0;

	if (!(d = calloc(1, sizeof(*d)))) {
		return 0;
	}
	if (db_row(c, &st,
	           "SELECT unit, holder, COALESCE(applicant_user, 0) "
	           "FROM nominee WHERE id = ?1",
	           "i", id) == 1) {
		d->n.id = id;
		db_copy(d->n.unit, sizeof(d->n.unit), st, 0);
		db_copy(d->holder, sizeof(d->holder), st, 1);
		d->applicant_user = sqlite3_column_int64(st, 2);
		ok = authz_nominee_visible(c, d) == 0;
	}
	sqlite3_finalize(st);
	free(d);
	return ok;
}

/* 1 if the actor owns panel id (of any round: the rule of the panel
 * screens, which name only the current round's panels). */
static int
panel_owned(struct core *c, int64_t id)
{
	struct core_panel *p = NULL;
	sqlite3_stmt *st = NULL;
	int owned = 0;

	if (!(p = calloc(1, sizeof(*p)))) {
		return 0;
	}
	if (db_row(c, &st, "SELECT level, owner_unit FROM panel WHERE id = ?1",
	           "i", id) == 1) {
		p->id = id;
		p->level = strcmp(db_text(st, 0), "city") == 0
		               ? CORE_PANEL_CITY
		               : CORE_PANEL_LOCAL;
		db_copy(p->owner_unit, sizeof(p->owner_unit), st, 1);
		owned = panel_is_owner(c, p);
	}
	sqlite3_finalize(st);
	free(p);
	return owned;
}

/* The acting expert's status for nominee on panel ("" if none). */
static void
expert_status(struct core *c, int64_t panel, int64_t nominee, char *out,
              size_t outsz)
{
	sqlite3_stmt *st = NULL;

	out[0] = '\0';
	if (db_row(c, &st,
	           "SELECT status FROM panel_assignment WHERE panel_id = "
	           "?1 AND nominee_id = ?2 AND expert_id = ?3",
	           "iii", panel, nominee, c->actor.id) == 1) {
		db_copy(out, outsz, st, 0);
	}
	sqlite3_finalize(st);
}

/* What the actor may see of the entries about subject. */
static enum log_sight
judge_subject(struct core *c, const char *subject)
{
	enum log_subject_kind kind;
	int64_t panel, nominee;
	char status[16];

	if (c->is_system) {
		return LOG_SEE_ALL;
	}
	if (!c->has_actor) {
		return LOG_SEE_NONE;
	}
	if (c->actor.role == CORE_ROLE_AUDITOR ||
	    c->actor.role == CORE_ROLE_CITY_HR) {
		return LOG_SEE_ALL;
	}
	kind = log_subject_parse(subject, &panel, &nominee);
	switch (kind) {
	case LOG_SUBJECT_NOMINEE:
		return nominee_ok(c, nominee) ? LOG_SEE_ALL : LOG_SEE_NONE;
	case LOG_SUBJECT_PANEL:
		return panel_owned(c, panel) ? LOG_SEE_ALL : LOG_SEE_NONE;
	case LOG_SUBJECT_PANEL_NOMINEE:
		break;
	default:
		return LOG_SEE_NONE;
	}
	if (!nominee_ok(c, nominee)) {
		return LOG_SEE_NONE; /* recused, conflicted, out of scope */
	}
	if (c->actor.role != CORE_ROLE_EXPERT) {
		return panel_owned(c, panel) ? LOG_SEE_ALL : LOG_SEE_NONE;
	}
	expert_status(c, panel, nominee, status, sizeof(status));
	if (strcmp(status, "scored") == 0) {
		return LOG_SEE_OWN_AND_SHEETS;
	}
	if (strcmp(status, "declared") == 0 ||
	    strcmp(status, "assigned") == 0) {
		return LOG_SEE_OWN;
	}
	return LOG_SEE_NONE;
}

void
log_scope_init(struct log_scope *ls)
{
	memset(ls, 0, sizeof(*ls));
}

int
log_entry_visible(struct core *c, struct log_scope *ls, const struct stmt *s)
{
	/* Consecutive entries are often about one subject. */
	if (!ls->valid || strcmp(ls->subject, s->subject) != 0) {
		snprintf(ls->subject, sizeof(ls->subject), "%s", s->subject);
		ls->sight = judge_subject(c, s->subject);
		ls->valid = 1;
	}
	switch (ls->sight) {
	case LOG_SEE_ALL:
		return 1;
	case LOG_SEE_OWN_AND_SHEETS:
		/* a score sheet is the only review act about a panel's
		 * nominee */
		return s->act == ACT_REVIEW ||
		       strcmp(s->actor, c->actor.login) == 0;
	case LOG_SEE_OWN:
		return strcmp(s->actor, c->actor.login) == 0;
	default:
		return 0;
	}
}
