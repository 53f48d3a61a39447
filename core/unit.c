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
	if ((r = db_prepare(c, &st,
			    "SELECT code, name, kind, COALESCE(parent, '') "
			    "FROM unit ORDER BY code")) != 0)
		return r;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_to_unit(st, &u);
		if ((r = cb(ctx, &u)) != 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = core_err_sql(c, rc);
	sqlite3_finalize(st);
	return r;
}

int
core_unit_get(struct core *c, const char *code, struct core_unit *out)
{
	sqlite3_stmt *st = NULL;
	int r;

	if ((r = db_prepare(c, &st,
			    "SELECT code, name, kind, COALESCE(parent, '') "
			    "FROM unit WHERE code = ?1")) != 0)
		return r;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		row_to_unit(st, out);
	else
		r = core_err(c, CORE_ENOENT, "unit",
			     _("unit: no unit with code '%s'"), code);
	sqlite3_finalize(st);
	return r;
}
