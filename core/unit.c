/*
 * Units and their reporting lines (隶属关系): the tree that scopes every
 * permission.  Reading the unit list is open to every user: it holds no
 * personal data.
 */
#include <stdio.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"

static void
row_to_unit(sqlite3_stmt *st, struct core_unit *u)
{
	memset(u, 0, sizeof(*u));
	db_copy(u->code, sizeof(u->code), st, 0);
	db_copy(u->name, sizeof(u->name), st, 1);
	db_copy(u->kind, sizeof(u->kind), st, 2);
	db_copy(u->parent, sizeof(u->parent), st, 3);
}

int
core_unit_list(struct core *c,
	       int (*cb)(void *ctx, const struct core_unit *u), void *ctx)
{
	sqlite3_stmt *st = NULL;
	struct core_unit u;
	int r, rc;

	core_err_clear(c);
	if ((r = db_query(c, &st,
	                  "SELECT code, name, kind, COALESCE(parent, '') "
	                  "FROM unit ORDER BY code",
	                  NULL)) != 0) {
		return r;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_to_unit(st, &u);
		if ((r = cb(ctx, &u)) != 0) {
			break;
		}
	}
	if (r == 0 && rc != SQLITE_DONE) {
		r = core_err_sql(c, rc);
	}
	sqlite3_finalize(st);
	return r;
}

int
core_unit_get(struct core *c, const char *code, struct core_unit *out)
{
	sqlite3_stmt *st = NULL;
	int r;

	if ((r = db_query(c, &st,
	                  "SELECT code, name, kind, COALESCE(parent, '') "
	                  "FROM unit WHERE code = ?1",
	                  "t", code)) != 0) {
		return r;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		row_to_unit(st, out);
	} else {
		r = core_err(c, CORE_ENOENT, "unit",
			     _("Unit: no unit with code '%s'"), code);
	}
	sqlite3_finalize(st);
	return r;
}

int
core_unit_add(struct core *c, const struct core_unit *u)
{
	static const char *const kinds[] = {"county",  "zone",     "department",
					    "channel", "stationed", "employer",
					    NULL};
	struct core_unit parent;
	char reason[CORE_NAME_SIZE + 160];
	sqlite3_stmt *st = NULL;
	size_t n = strlen(u->code);
	int ok = 0, r, rc;

	core_err_clear(c);
	if ((r = authz_admin(c)) != 0) {
		return r;
	}
	if (n == 0 || n >= CORE_CODE_SIZE ||
	    strspn(u->code, "abcdefghijklmnopqrstuvwxyz0123456789-") != n) {
		return core_err(c, CORE_EINVAL, "code",
				_("code: 1 to 63 characters of a-z, 0-9 or "
				  "'-'"));
	}
	if ((r = valid_text(c, "name", u->name, 100, 0)) != 0) {
		return r;
	}
	for (size_t i = 0; kinds[i]; i++) {
		ok |= strcmp(u->kind, kinds[i]) == 0;
	}
	if (!ok) {
		return core_err(c, CORE_EINVAL, "kind",
				_("kind: must be one of county zone department "
				  "channel stationed employer"));
	}
	if (core_unit_get(c, u->parent, &parent) != 0) {
		return core_err(c, CORE_EINVAL, "parent",
				_("parent: no unit with code '%s' (the "
				  "reporting line must exist)"),
				u->parent);
	}
	if ((r = tx_begin(c)) != 0) {
		return r;
	}
	if ((r = db_query(c, &st,
	                  "INSERT INTO unit (code, name, kind, parent) "
	                  "VALUES (?1, ?2, ?3, ?4)",
	                  "tttt", u->code, u->name, u->kind, u->parent)) != 0) {
		goto fail;
	}
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		r = core_err(c, CORE_EEXIST, "code",
			     _("code: unit '%s' already exists"), u->code);
		goto fail;
	}
	if (rc != SQLITE_DONE) {
		r = core_err_sql(c, rc);
		goto fail;
	}
	snprintf(reason, sizeof(reason), "unit added: %s (%s, under %s)",
		 u->name, u->kind, u->parent);
	if ((r = audit_record(c, ACT_ADMIN, NULL, reason, "unit:%s",
	                      u->code)) != 0) {
		goto fail;
	}
	return tx_commit(c, NULL);
fail:
	tx_rollback(c);
	return r;
}
