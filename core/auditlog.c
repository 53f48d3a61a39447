/*
 * `nomdesk audit log`: the entries of the log, each parsed from its own
 * bytes (the index columns only narrow the search and are re-checked),
 * each shown only when log_entry_visible() (core/authz_log.c) allows it:
 * auditors and city HR see every entry; other users a nominee's acts
 * when they may see the nominee, and a panel's acts as the panel
 * screens show them (no score sheet to the nominee's unit, none to an
 * expert before their own).
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"

/* The nominee an entry is about: "nominee:N", or a panel's act on one,
 * "panel:P/nominee:N"; 0 for any other subject. */
static int64_t
subject_nominee(const char *subject)
{
	int64_t panel, nominee;

	(void)log_subject_parse(subject, &panel, &nominee);
	return nominee;
}

int
core_audit_log(struct core *c, int64_t nominee, const char *actor,
	       int (*cb)(void *ctx, const struct core_audit_item *it),
	       void *ctx)
{
	struct core_audit_item *it = NULL;
	struct log_scope ls;
	struct stmt *s = NULL;
	sqlite3_stmt *st = NULL;
	char subj[48];
	int r, rc;

	core_err_clear(c);
	if (!c->has_actor) {
		return core_err(c, CORE_EPERM, NULL,
				_("log in as a user to read the log"));
	}
	log_scope_init(&ls);
	snprintf(subj, sizeof(subj), "nominee:%lld", (long long)nominee);
	it = malloc(sizeof(*it));
	s = malloc(sizeof(*s));
	if (!it || !s) {
		r = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
		goto out;
	}
	if ((r = db_query(c, &st,
	                  "SELECT seq, entry FROM log_entry WHERE (?1 = '' "
	                  "OR subject = ?1 OR substr(subject, -length(?1) - "
	                  "1) = '/' || ?1) AND (?2 IS NULL OR actor = ?2) "
	                  "ORDER BY seq",
	                  "tt", nominee > 0 ? subj : "", actor)) != 0) {
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const uint8_t *p = sqlite3_column_blob(st, 1);
		size_t len = (size_t)sqlite3_column_bytes(st, 1);
		struct entry e;

		if (entry_parse(p, len, &e) != 0 ||
		    stmt_parse(e.stmt, e.stmt_len, s) != 0 ||
		    (nominee > 0 && subject_nominee(s->subject) != nominee) ||
		    (actor && strcmp(s->actor, actor) != 0)) {
			r = core_err(c, CORE_ECORRUPT, NULL,
				     _("log entry %lld does not parse"),
				     (long long)sqlite3_column_int64(st, 0));
			goto out;
		}
		if (!log_entry_visible(c, &ls, s)) {
			continue;
		}
		memset(it, 0, sizeof(*it));
		it->seq = e.seq;
		it->time_ms = e.server_time;
		it->act = s->act;
		snprintf(it->actor, sizeof(it->actor), "%s", s->actor);
		it->role = s->actor_role < CORE_ROLE_N ? s->actor_role : -1;
		snprintf(it->unit, sizeof(it->unit), "%s", s->unit);
		snprintf(it->subject, sizeof(it->subject), "%s", s->subject);
		it->version = s->version;
		it->decision = s->decision;
		sodium_bin2hex(it->digest_hex, sizeof(it->digest_hex),
			       s->digest, 8);
		it->n_sigs = e.n_sigs;
		snprintf(it->reason, sizeof(it->reason), "%s", s->reason);
		if ((r = cb(ctx, it)) != 0) {
			goto out;
		}
	}
	r = rc == SQLITE_DONE ? 0 : core_err_sql(c, rc);
out:
	sqlite3_finalize(st);
	free(s);
	free(it);
	return r;
}
