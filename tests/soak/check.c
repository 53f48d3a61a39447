/*
 * check: after a kill, the acts against the crash image.
 *
 *   - every act acknowledged so far (this cycle or any before) is there:
 *     the receipt's entry with its act, actor and nominee, and the
 *     effect (name, title, ID number, item, state) in the row;
 *   - an act not acknowledged is either wholly there (effect and entry:
 *     "committed but not acknowledged") or wholly absent; anything in
 *     between is torn;
 *   - a draft the UI kept on its hang-up is not of a form already saved;
 *   - `nomdesk audit verify` on the data directory passes.
 *
 * An act that happened moves the model on (nom_apply); one that did not
 * must have left its nominee as the acts before it did.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/soak/soak.h"

/* What a log entry reads. */
struct entry {
	int act;
	char actor[64];
	int64_t about; /* the nominee, or -1 */
};

/* Whether the receipt's entry is still the act by its clerk about its
 * nominee; e says what it is. */
static bool
receipt_holds(sqlite3 *db, const struct receipt *rc, struct entry *e)
{
	e->about = entry_about(db, rc->seq, &e->act, e->actor,
			       sizeof(e->actor));
	return e->about == noms[rc->nom].id && e->act == rc->act &&
	       strcmp(e->actor, pool_login[rc->pool]) == 0;
}

/* Whether the act's effect is in the row (or the table, for an item). */
static bool
effect_present(sqlite3 *db, const struct op *o, const struct row *r)
{
	const struct nom *n = &noms[o->nom];

	switch (o->kind) {
	case K_ADD:
		return r->found;
	case K_EDIT:
		return strcmp(r->title, o->arg) == 0;
	case K_COMPLETE:
		return strcmp(r->idn, o->arg) == 0;
	case K_ITEM:
		return q_int(db,
			     sqlite3_mprintf("SELECT count(*) FROM nominee_item "
					     "WHERE nominee_id = %lld AND "
					     "title = %Q",
					     (long long)n->id, o->arg),
			     0) > 0;
	case K_PLEDGE:
		return strcmp(r->state, "pledged") == 0;
	case K_WITHDRAW:
		return strcmp(r->state, "withdrawn") == 0;
	case K_LOGIN: /* resolve_login() */
	case K_N:
		break;
	}
	return false;
}

/*
 * A login: the home screen comes only after the session process recorded
 * it, so an acknowledged login has a session entry for pc_clerk after
 * the floor.  One not acknowledged may or may not have got that far.
 */
static void
resolve_login(sqlite3 *db, struct op *o)
{
	int64_t fresh = q_int(db,
			      sqlite3_mprintf("SELECT count(*) FROM log_entry "
					      "WHERE act = %d AND subject = "
					      "'user:pc_clerk' AND seq > %lld",
					      kind_act[K_LOGIN],
					      (long long)o->floor),
			      -1);

	if (o->acked) {
		if (fresh < 1) {
			failure(&fig.lost,
				"desk login: the first screen came but no "
				"session entry after %lld",
				(long long)o->floor);
		}
		o->out = O_ACKED;
	} else if (fresh >= 1) {
		o->out = O_COMMITTED;
		fig.committed_unacked++;
		fig.committed_unacked_desk++;
	} else {
		o->out = O_ABSENT;
		fig.absent++;
	}
}

/* An add learns its nominee's id by the (unique) name; false (torn) if
 * the name has more than one row. */
static bool
resolve_add_id(sqlite3 *db, struct nom *n, const char *who)
{
	int64_t k = nominees_named(db, n->name);

	if (k > 1) {
		failure(&fig.torn, "%s: %lld rows of that name", who,
			(long long)k);
		return false;
	}
	n->id = k == 1 ? q_int(db,
			       sqlite3_mprintf("SELECT id FROM nominee "
					       "WHERE name = %Q",
					       n->name),
			       0)
		       : 0;
	return true;
}

/* An acknowledged act: its effect, a new entry, and the receipt's entry
 * about it.  Whether a failure of it was told. */
static bool
resolve_acked(sqlite3 *db, const struct op *o, const struct row *r,
	      bool eff, int64_t fresh, const char *who)
{
	struct receipt rc = receipt_of(o);
	struct entry e;
	bool holds = receipt_holds(db, &rc, &e);

	if (!eff || fresh < 1) {
		failure(&fig.lost, "%s: acknowledged as entry %lld but %s", who,
			(long long)o->entry,
			!r->found ? "the nominee is missing"
			: !eff    ? "its effect is missing"
				  : "no new entry about it");
	} else if (!holds) {
		failure(&fig.lost,
			"%s: receipt entry %lld is act %d by %s about nominee "
			"%lld",
			who, (long long)o->entry, e.act, e.actor,
			(long long)e.about);
	}
	return !eff || fresh < 1 || !holds;
}

/* An act not acknowledged: wholly there or wholly absent. */
static enum outcome
resolve_unacked(const struct op *o, bool eff, int64_t fresh,
		const char *who)
{
	if (eff && fresh == 1) {
		fig.committed_unacked++;
		fig.committed_unacked_desk += o->tui;
		return O_COMMITTED;
	}
	if (!eff && fresh == 0) {
		fig.absent++;
		return O_ABSENT;
	}
	failure(&fig.torn, "%s: not acknowledged, effect %s, %lld new entries",
		who, eff ? "present" : "absent", (long long)fresh);
	return O_ABSENT;
}

void
resolve(sqlite3 *db, struct op *o)
{
	struct nom *n;
	struct row r;
	int64_t fresh = 0;
	bool eff, reported = false; /* reported: a failure of it was told */
	char who[160], why[1024];

	if (o->kind == K_LOGIN) {
		resolve_login(db, o);
		return;
	}
	n = &noms[o->nom];
	snprintf(who, sizeof(who), "%s %s %s (nominee %lld %s)",
		 o->tui ? "desk" : "cli", pool_login[o->pool],
		 kind_name[o->kind], (long long)n->id, n->name);
	if (o->kind == K_ADD && !resolve_add_id(db, n, who)) {
		return;
	}
	memset(&r, 0, sizeof(r));
	if (n->id > 0) {
		row_get(db, n->id, &r);
		fresh = q_int(db,
			      sqlite3_mprintf("SELECT count(*) FROM log_entry "
					      "WHERE subject = 'nominee:%lld' "
					      "AND act = %d AND seq > %lld",
					      (long long)n->id,
					      kind_act[o->kind],
					      (long long)n->seq),
			      -1);
	}
	eff = r.found && effect_present(db, o, &r);
	if (o->acked) {
		reported = resolve_acked(db, o, &r, eff, fresh, who);
		o->out = O_ACKED;
		receipt_add(o);
	} else {
		o->out = resolve_unacked(o, eff, fresh, who);
	}
	n->unsure = false;
	if (o->out == O_ABSENT) {
		if (o->kind == K_ADD) {
			n->gone = true;
		} else if (!row_matches(n, &r, why, sizeof(why))) {
			/* nothing of the act, and the row must be as the
			 * acts before it left it */
			failure(&fig.lost, "%s (not committed): %s", who,
				why);
		}
		return;
	}
	/* it happened: the model follows */
	nom_apply(n, o);
	n->seq = r.seq;
	if (!reported && !row_matches(n, &r, why, sizeof(why))) {
		failure(&fig.torn, "%s: after the act the row has %s", who,
			why);
	}
}

/* The value of key in a draft body ("key=value" lines; our values
 * need no unescaping). */
static bool
draft_value(const char *body, const char *key, char *out, size_t outsz)
{
	size_t k = strlen(key);
	const char *p = body;

	while (p && *p) {
		const char *e = strchr(p, '\n');

		if (strncmp(p, key, k) == 0 && p[k] == '=') {
			size_t n = e ? (size_t)(e - p - k - 1) : strlen(p + k + 1);

			snprintf(out, outsz, "%.*s", (int)n, p + k + 1);
			return true;
		}
		p = e ? e + 1 : NULL;
	}
	return false;
}

/* Offering to resume an add or an edit that was committed would let the
 * clerk save it twice. */
void
check_draft(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db,
			       "SELECT d.form, d.body FROM draft d JOIN user u "
			       "ON u.id = d.user_id WHERE u.login = "
			       "'pc_clerk'",
			       -1, &st, NULL) != SQLITE_OK) {
		failure(&fig.integrity, "draft: %s", sqlite3_errmsg(db));
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *form = (const char *)sqlite3_column_text(st, 0);
		const char *body = (const char *)sqlite3_column_text(st, 1);
		char name[256], id[32], title[256];

		fig.drafts++;
		if (form && strcmp(form, "add") == 0 &&
		    draft_value(body, "f.name", name, sizeof(name)) &&
		    nominees_named(db, name) > 0) {
			failure(&fig.stale,
				"the draft kept on hang-up is an add of %s, "
				"which was saved",
				name);
		}
		if (form && strcmp(form, "edit") == 0 &&
		    draft_value(body, "id", id, sizeof(id)) &&
		    draft_value(body, "f.title", title, sizeof(title)) &&
		    q_int(db,
			  sqlite3_mprintf("SELECT count(*) FROM nominee WHERE "
					  "id = %lld AND title = %Q",
					  strtoll(id, NULL, 10), title),
			  0) > 0) {
			failure(&fig.stale,
				"the draft kept on hang-up is an edit of "
				"nominee %s to %s, which was saved",
				id, title);
		}
	}
out:
	sqlite3_finalize(st);
}

void
check_history(sqlite3 *db, int cyc)
{
	char why[1024];

	for (size_t i = 0; i < n_noms; i++) {
		const struct nom *n = &noms[i];
		struct row r;

		if (n->gone || n->touched == cyc || n->id == 0) {
			continue;
		}
		row_get(db, n->id, &r);
		if (!row_matches(n, &r, why, sizeof(why))) {
			failure(&fig.lost, "nominee %lld %s (untouched): %s",
				(long long)n->id, n->name, why);
		}
	}
	for (size_t i = 0; i < n_receipts; i++) {
		const struct receipt *rc = &receipts[i];
		struct entry e;

		if (!receipt_holds(db, rc, &e)) {
			failure(&fig.lost,
				"receipt entry %lld (act %d by %s about "
				"nominee %lld) now reads act %d by %s about "
				"%lld",
				(long long)rc->seq, rc->act,
				pool_login[rc->pool],
				(long long)noms[rc->nom].id, e.act, e.actor,
				(long long)e.about);
		}
	}
}

int64_t
audit_verify(void)
{
	const char *a[] = {"audit", "verify", NULL};
	struct sshclient_cmd res;
	int64_t t0 = sshclient_now_ms(), ms;

	if (cli_sync(&res, T_VERIFY, a) != 0 ||
	    !strstr(res.out, "audit verify: OK")) {
		failure(&fig.verify, "audit verify exit %d: %s%s", res.status,
			res.out ? res.out : "", res.err ? res.err : "");
	}
	sshclient_cmd_release(&res);
	ms = sshclient_now_ms() - t0;
	fig.verify_ms_sum += ms;
	if (ms > fig.verify_ms_max) {
		fig.verify_ms_max = ms;
	}
	return ms;
}
