/*
 * Who may see and do what, by role and unit.  Every core entry point asks
 * here; the UI's menus are a convenience, never the check.
 *
 * Scope by role: unit clerks their unit (and units below it); county HR
 * and departments their county or department and every unit under it;
 * city HR and auditors everything; experts only the dossiers assigned
 * to them once they signed the no-conflict declaration
 * (core/authz_expert.c); applicants the dossier linked to their account;
 * admins none.
 */
#include <stdio.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"

int
authz_unit_under(struct core *c, const char *unit, const char *root)
{
	sqlite3_stmt *st = NULL;
	int found = 0;

	/* an error reads as "not under": refusing is the safe side */
	found = db_row(c, &st,
	               "WITH RECURSIVE up(code, parent) AS ("
	               " SELECT code, parent FROM unit WHERE code = ?1"
	               " UNION SELECT u.code, u.parent FROM unit u"
	               " JOIN up ON u.code = up.parent)"
	               " SELECT 1 FROM up WHERE code = ?2",
	               "tt", unit, root) == 1;
	sqlite3_finalize(st);
	return found;
}

static int
scope_all(const struct core *c)
{
	return c->actor.role == CORE_ROLE_CITY_HR ||
	       c->actor.role == CORE_ROLE_AUDITOR;
}

static int
scope_subtree(const struct core *c)
{
	return c->actor.role == CORE_ROLE_UNIT_CLERK ||
	       c->actor.role == CORE_ROLE_COUNTY_HR ||
	       c->actor.role == CORE_ROLE_DEPARTMENT;
}

int
authz_unit_visible(struct core *c, const char *unit)
{
	if (!c->has_actor) {
		return CORE_ENOENT;
	}
	if (scope_all(c)) {
		return 0;
	}
	if (scope_subtree(c) && authz_unit_under(c, unit, c->actor.unit)) {
		return 0;
	}
	return CORE_ENOENT;
}

int
authz_nominate(struct core *c, const char *unit)
{
	if (!c->has_actor) {
		return core_err(c, CORE_EPERM, NULL,
				_("log in as a user to nominate"));
	}
	if (c->actor.role == CORE_ROLE_AUDITOR ||
	    c->actor.role == CORE_ROLE_ADMIN ||
	    c->actor.role == CORE_ROLE_EXPERT ||
	    c->actor.role == CORE_ROLE_APPLICANT) {
		return core_err(c, CORE_EPERM, NULL,
				_("role %s may not add nominees"),
				core_role_name(c->actor.role));
	}
	if (c->actor.role == CORE_ROLE_CITY_HR) {
		return 0;
	}
	if (authz_unit_under(c, unit, c->actor.unit)) {
		return 0;
	}
	return core_err(c, CORE_EPERM, "unit",
			_("Unit: '%s' is not under your unit '%s'"), unit,
			c->actor.unit);
}

int
authz_admin(struct core *c)
{
	if (c->is_system) {
		return 0;
	}
	if (c->has_actor && c->actor.role == CORE_ROLE_ADMIN) {
		return 0;
	}
	return core_err(c, CORE_EPERM, NULL,
			_("only an administrator may change users and units"));
}

int
authz_sql_scope(struct core *c, char *out, size_t outsz)
{
	if (!c->has_actor) {
		return CORE_EPERM;
	}
	if (scope_all(c)) {
		snprintf(out, outsz, "1");
		return 0;
	}
	if (scope_subtree(c)) {
		/* ?9 is bound to the actor's unit by the caller. */
		snprintf(out, outsz,
			 "n.unit IN (WITH RECURSIVE sub(code) AS ("
			 "SELECT ?9 UNION SELECT u.code FROM unit u "
			 "JOIN sub ON u.parent = sub.code) "
			 "SELECT code FROM sub)");
		return 0;
	}
	if (c->actor.role == CORE_ROLE_EXPERT) { /* core/authz_expert.c */
		return authz_expert_sql_scope(c, out, outsz);
	}
	if (c->actor.role == CORE_ROLE_APPLICANT) {
		/* An integer from our own row, never input. */
		snprintf(out, outsz, "n.applicant_user = %lld",
			 (long long)c->actor.id);
		return 0;
	}
	snprintf(out, outsz, "0");
	return 0;
}

/* The applicant linked to this dossier (core_nominee_set_applicant). */
static int
own_dossier(const struct core *c, const struct core_dossier *d)
{
	return c->has_actor && c->actor.role == CORE_ROLE_APPLICANT &&
	       d->applicant_user != 0 && d->applicant_user == c->actor.id;
}

int
authz_nominee_visible(struct core *c, const struct core_dossier *d)
{
	if (c->has_actor && c->actor.role == CORE_ROLE_EXPERT) {
		return authz_expert_nominee_visible(c, d->n.id);
	}
	if (own_dossier(c, d)) {
		return 0;
	}
	if (authz_unit_visible(c, d->n.unit) == 0) {
		return 0;
	}
	/* The holder a nomination was submitted to sees it too. */
	if (c->has_actor && d->holder[0] && scope_subtree(c) &&
	    c->actor.role != CORE_ROLE_UNIT_CLERK &&
	    authz_unit_under(c, d->holder, c->actor.unit)) {
		return 0;
	}
	return CORE_ENOENT;
}

int
authz_nominee_write(struct core *c, const struct core_dossier *d)
{
	if (!c->has_actor) {
		return core_err(c, CORE_EPERM, NULL,
				_("log in as a user to change a dossier"));
	}
	if (own_dossier(c, d)) {
		return 0; /* applicants enter their own dossier */
	}
	switch (c->actor.role) {
	case CORE_ROLE_CITY_HR:
		return 0;
	case CORE_ROLE_UNIT_CLERK:
	case CORE_ROLE_COUNTY_HR:
	case CORE_ROLE_DEPARTMENT:
		if (authz_unit_under(c, d->n.unit, c->actor.unit)) {
			return 0;
		}
		break;
	default:
		break;
	}
	return core_err(c, CORE_EPERM, NULL,
			_("role %s may not change nominee %lld"),
			core_role_name(c->actor.role), (long long)d->n.id);
}
