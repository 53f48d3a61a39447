/*
 * What an expert may see (回避, issue #3 item 8): a nominee's dossier only
 * when a panel assigned it to them, they were not recused (by unit or by
 * a declared conflict) and they have signed the no-conflict declaration
 * for it.  Nothing else: no lists beyond those dossiers, no aggregates.
 * core/authz.c asks here for the expert role and only for it.  Which
 * panel acts in the log an expert sees (their own; the other sheets
 * once theirs is in) is core/authz_log.c, built on this.
 */
#include <stdio.h>

#include "core/core_int.h"

/* Statuses in which the declaration has been signed. */
#define DECLARED "('declared', 'scored')"

int
authz_expert_nominee_visible(struct core *c, int64_t id)
{
	sqlite3_stmt *st = NULL;
	int found = 0;

	if (!c->has_actor || c->actor.role != CORE_ROLE_EXPERT) {
		return CORE_ENOENT;
	}
	found = db_row(c, &st,
	               "SELECT 1 FROM panel_assignment WHERE nominee_id = ?1 "
	               "AND expert_id = ?2 AND status IN " DECLARED
	               " AND NOT EXISTS (SELECT 1 FROM expert_conflict x "
	               "WHERE x.expert_id = ?2 AND x.nominee_id = ?1)",
	               "ii", id, c->actor.id) == 1;
	sqlite3_finalize(st);
	return found ? 0 : CORE_ENOENT;
}

int
authz_expert_sql_scope(struct core *c, char *out, size_t outsz)
{
	if (!c->has_actor || c->actor.role != CORE_ROLE_EXPERT) {
		snprintf(out, outsz, "0");
		return 0;
	}
	/* The actor's id is an integer of ours, never input text. */
	snprintf(out, outsz,
	         "n.id IN (SELECT a.nominee_id FROM panel_assignment a "
	         "WHERE a.expert_id = %lld AND a.status IN " DECLARED
	         " AND NOT EXISTS (SELECT 1 FROM expert_conflict x WHERE "
	         "x.expert_id = a.expert_id AND x.nominee_id = a.nominee_id))",
	         (long long)c->actor.id);
	return 0;
}
