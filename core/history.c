/*
 * A nominee's history is the log itself: entries whose subject is the
 * nominee, each parsed strictly from its stored bytes (never from the
 * index columns, which a database edit could change independently).
 * A panel's acts on the nominee ("panel:P/nominee:N": assignments,
 * declarations, score sheets) are not the dossier's history and never
 * appear here; each entry passes log_entry_visible() (core/authz_log.c),
 * the one rule every reader of the log applies.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"

const char *
core_act_name(uint16_t act)
{
	switch (act) {
	case ACT_NOMINEE_CREATED:
		return _("nominee created");
	case ACT_DOSSIER_EDITED:
		return _("dossier edited");
	case ACT_MATERIAL:
		return _("material registered");
	case ACT_REVIEW:
		return _("review decision");
	case ACT_VERIFICATION:
		return _("verification");
	case ACT_PLEDGE:
		return _("integrity pledge");
	case ACT_PLEDGE_PAPER:
		return _("paper pledge received");
	case ACT_VETO:
		return _("veto");
	case ACT_VETO_APPEAL:
		return _("veto appeal");
	case ACT_NOTICE:
		return _("notice");
	case ACT_TRANSITION:
		return _("workflow step");
	case ACT_VIEW:
		return _("audited view");
	case ACT_ADMIN:
		return _("administration");
	case ACT_SESSION:
		return _("session");
	case ACT_KEY_ENROLL:
		return _("signing key enrolled");
	case ACT_KEY_ROTATE:
		return _("signing key rotated");
	case ACT_KEY_REVOKE:
		return _("signing key revoked");
	case ACT_LOG_KEY:
		return _("log key rotated");
	case ACT_WITNESS_KEY:
		return _("witness key registered");
	default:
		return _("key management");
	}
}

int
core_nominee_history(struct core *c, int64_t id,
		     int (*cb)(void *ctx, const struct core_history_item *h),
		     void *ctx)
{
	struct core_dossier d;
	struct core_history_item *h = NULL;
	struct log_scope ls;
	struct stmt *s = NULL;
	struct entry e;
	uint8_t salt[32];
	char subj[48];
	sqlite3_stmt *st = NULL;
	int r;

	core_err_clear(c);
	if ((r = nominee_load(c, id, &d, salt, 1)) != 0 &&
	    r != CORE_ECORRUPT) {
		return r; /* a corrupt dossier's history is still shown */
	}
	h = sodium_malloc(sizeof(*h));
	s = sodium_malloc(sizeof(*s));
	if (!h || !s) {
		r = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
		goto out;
	}
	log_scope_init(&ls);
	snprintf(subj, sizeof(subj), "nominee:%lld", (long long)id);
	if ((r = db_query(c, &st,
	                  "SELECT seq, entry FROM log_entry WHERE subject = "
	                  "?1 ORDER BY seq",
	                  "t", subj)) != 0) {
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const uint8_t *p = sqlite3_column_blob(st, 1);
		size_t len = (size_t)sqlite3_column_bytes(st, 1);

		if (entry_parse(p, len, &e) != 0 ||
		    stmt_parse(e.stmt, e.stmt_len, s) != 0 ||
		    strcmp(s->subject, subj) != 0) {
			r = core_err(c, CORE_ECORRUPT, NULL,
				     _("log entry %lld does not parse"),
				     (long long)sqlite3_column_int64(st, 0));
			goto out;
		}
		if (!log_entry_visible(c, &ls, s)) {
			continue;
		}
		memset(h, 0, sizeof(*h));
		h->seq = e.seq;
		h->time_ms = e.server_time;
		snprintf(h->actor, sizeof(h->actor), "%s", s->actor);
		h->role = s->actor_role == 0xff ? -1 : s->actor_role;
		snprintf(h->unit, sizeof(h->unit), "%s", s->unit);
		h->act = s->act;
		h->decision = s->decision;
		h->version = s->version;
		sodium_bin2hex(h->digest_hex, sizeof(h->digest_hex), s->digest,
			       8);
		snprintf(h->reason, sizeof(h->reason), "%s", s->reason);
		if ((r = cb(ctx, h)) != 0) {
			goto out;
		}
	}
	r = 0;
out:
	sqlite3_finalize(st);
	sodium_free(s);
	sodium_free(h);
	return r;
}
