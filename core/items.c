/*
 * The dated parts of a dossier (work history, research output, job
 * performance) and the materials checklist.  Each change is a new dossier
 * version (the digest covers items and materials, core/dossier.c), so a
 * pledge or verification over the old version is visibly void.
 *
 * Research and performance items are judged over the last N years before
 * the round's reference date (近5年); older ones are kept but flagged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"
#include "core/utf8.h"

static const char *const item_kinds[] = {"work", "research", "performance",
					 NULL};

/*
 * Loads nominee id for a change, if the actor may change it and it is
 * with its unit.  Refused either way, a caller showing an older version
 * (seen_seq, 0: none) is told that rather than about a state it never
 * showed.
 */
static int
editable(struct core *c, int64_t id, uint64_t seen_seq,
	 struct core_dossier *d)
{
	uint8_t salt[32];
	int r;

	if ((r = nominee_load(c, id, d, salt, 1)) != 0 ||
	    (r = authz_nominee_write(c, d)) != 0) {
		return r;
	}
	if (!core_state_has(d->n.state, CORE_STF_EDITABLE)) {
		if ((r = nominee_unchanged(c, d, seen_seq)) != 0) {
			return r;
		}
		return core_err(c, CORE_ESTATE, NULL,
				_("nominee %lld is %s: only a draft, pledged "
				  "or returned dossier can be edited"),
				(long long)id, core_state_label(d->n.state));
	}
	return 0;
}

/* Bumps the version (voiding a pledge) and commits. */
static int
finish(struct core *c, const struct core_dossier *d, const char *what,
       struct core_receipt *rc)
{
	uint64_t seq = 0;
	int r;

	if ((r = nominee_new_version(c, d,
				     core_state_after_edit(d->n.state),
				     ACT_DOSSIER_EDITED, 0, what, &seq)) != 0) {
		return r;
	}
	if ((r = tx_commit(c, rc)) != 0) {
		return r;
	}
	if (rc) {
		rc->seq = seq;
	}
	return 0;
}

int
core_item_add_seen(struct core *c, int64_t id, uint64_t seen_seq,
		   const struct core_item *it, struct core_receipt *rc)
{
	struct core_dossier d;
	char title[CORE_TEXT_SIZE], detail[4096], what[96];
	int ok = 0, r;

	core_err_clear(c);
	for (size_t i = 0; item_kinds[i]; i++) {
		ok |= strcmp(it->kind, item_kinds[i]) == 0;
	}
	if (!ok) {
		return core_err(c, CORE_EINVAL, "kind",
				_("kind: must be work, research or "
				  "performance"));
	}
	if ((r = valid_birth_date(c, "date_from", it->date_from)) != 0) {
		return r;
	}
	if (it->date_to[0] &&
	    ((r = valid_birth_date(c, "date_to", it->date_to)) != 0)) {
		return r;
	}
	if (it->date_to[0] && strcmp(it->date_to, it->date_from) < 0) {
		return core_err(c, CORE_EINVAL, "date_to",
				_("to: must not be before from"));
	}
	if (utf8_normalize(it->title, title, sizeof(title)) != 0 ||
	    utf8_normalize(it->detail, detail, sizeof(detail)) != 0) {
		return core_err(c, CORE_EINVAL, "title",
				_("%s: is not valid UTF-8 text or is too long"),
				core_field_label("title"));
	}
	if ((r = valid_text(c, "title", title, 200, 0)) != 0) {
		return r;
	}
	if (detail[0] && (r = valid_text(c, "detail", detail, 4000, 1)) != 0) {
		return r;
	}
	if ((r = editable(c, id, seen_seq, &d)) != 0) {
		return r;
	}
	if ((r = tx_begin(c)) != 0) {
		return r;
	}
	if ((r = nominee_unchanged(c, &d, seen_seq)) != 0) {
		goto fail;
	}
	if ((r = db_exec(c,
	                 "INSERT INTO nominee_item (nominee_id, kind, "
	                 "date_from, date_to, title, detail) VALUES "
	                 "(?1, ?2, ?3, ?4, ?5, ?6)",
	                 "ittttt", id, it->kind, it->date_from, it->date_to,
	                 title, detail)) != 0) {
		goto fail;
	}
	snprintf(what, sizeof(what), "edited: %s item %lld", it->kind,
		 (long long)sqlite3_last_insert_rowid(c->db));
	if ((r = finish(c, &d, what, rc)) != 0) {
		goto fail;
	}
	return 0;
fail:
	tx_rollback(c);
	return r;
}

int
core_item_add(struct core *c, int64_t id, const struct core_item *it,
	      struct core_receipt *rc)
{
	return core_item_add_seen(c, id, 0, it, rc);
}

int
core_item_list(struct core *c, int64_t id,
	       int (*cb)(void *ctx, const struct core_item *it), void *ctx)
{
	struct core_dossier d;
	struct core_round *round = NULL;
	struct core_item it;
	uint8_t salt[32];
	char cutoff[16] = "";
	sqlite3_stmt *st = NULL;
	int r, rc;

	core_err_clear(c);
	if ((r = nominee_load(c, id, &d, salt, 1)) != 0) {
		return r;
	}
	/* 近5年: items ending before this date are outside the window. */
	if (core_round_get(c, NULL, &round) == 0 && round->window_years > 0 &&
	    strlen(round->window_ref_date) == 10) {
		int y = 0;

		sscanf(round->window_ref_date, "%4d", &y);
		snprintf(cutoff, sizeof(cutoff), "%04d%s",
			 y - round->window_years, round->window_ref_date + 4);
	}
	core_round_free(round);
	if ((r = db_query(c, &st,
	                  "SELECT id, kind, date_from, date_to, title, "
	                  "detail FROM nominee_item WHERE nominee_id = ?1 "
	                  "ORDER BY kind, date_from, id",
	                  "i", id)) != 0) {
		return r;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char end[40];

		memset(&it, 0, sizeof(it));
		it.id = sqlite3_column_int64(st, 0);
		db_copy(it.kind, sizeof(it.kind), st, 1);
		db_copy(it.date_from, sizeof(it.date_from), st, 2);
		db_copy(it.date_to, sizeof(it.date_to), st, 3);
		db_copy(it.title, sizeof(it.title), st, 4);
		db_copy(it.detail, sizeof(it.detail), st, 5);
		/* a month-precision end ("2015-12") lasts the whole month */
		snprintf(end, sizeof(end), "%s%s",
			 it.date_to[0] ? it.date_to : it.date_from,
			 strlen(it.date_to[0] ? it.date_to : it.date_from) ==
					 7
				 ? "-31"
				 : "");
		it.outside_window = strcmp(it.kind, "work") != 0 &&
				    cutoff[0] && strcmp(end, cutoff) < 0;
		if ((r = cb(ctx, &it)) != 0) {
			break;
		}
	}
	sqlite3_finalize(st);
	if (r == 0 && rc != SQLITE_ROW && rc != SQLITE_DONE) {
		r = core_err_sql(c, rc);
	}
	return r;
}

int
core_material_set_seen(struct core *c, int64_t id, uint64_t seen_seq,
		       const char *kind, int copies, int original_sighted,
		       struct core_receipt *rc)
{
	static const char *const kinds[] = {"registration_form",
					    "technical_report",
					    "technical_report_electronic",
					    "certificates", "pledge", NULL};
	struct core_dossier d;
	char what[128];
	int ok = 0, r;

	core_err_clear(c);
	for (size_t i = 0; kinds[i]; i++) {
		ok |= kind && strcmp(kind, kinds[i]) == 0;
	}
	if (!ok) {
		return core_err(c, CORE_EINVAL, "kind",
				_("material: must be registration_form, "
				  "technical_report, technical_report_electronic, "
				  "certificates or pledge"));
	}
	if (copies < 0 || copies > 99) {
		return core_err(c, CORE_EINVAL, "copies",
				_("copies: must be 0 to 99"));
	}
	if ((r = editable(c, id, seen_seq, &d)) != 0) {
		return r;
	}
	if ((r = tx_begin(c)) != 0) {
		return r;
	}
	if ((r = nominee_unchanged(c, &d, seen_seq)) != 0) {
		goto fail;
	}
	if ((r = db_exec(c,
	                 "INSERT INTO nominee_material (nominee_id, kind, "
	                 "copies, original_sighted) VALUES (?1, ?2, ?3, ?4) "
	                 "ON CONFLICT DO UPDATE SET copies = "
	                 "excluded.copies, original_sighted = "
	                 "excluded.original_sighted",
	                 "itdd", id, kind, copies,
	                 (int)(original_sighted ? 1 : 0))) != 0) {
		goto fail;
	}
	/* 谁查验、谁负责: the entry names who saw the originals. */
	snprintf(what, sizeof(what), "edited: material %s copies=%d%s", kind,
		 copies, original_sighted ? ", original sighted and returned"
					  : "");
	if ((r = finish(c, &d, what, rc)) != 0) {
		goto fail;
	}
	return 0;
fail:
	tx_rollback(c);
	return r;
}

int
core_material_set(struct core *c, int64_t id, const char *kind, int copies,
		  int original_sighted, struct core_receipt *rc)
{
	return core_material_set_seen(c, id, 0, kind, copies,
				      original_sighted, rc);
}

/* The last record of each material, from the log's wording of it
 * (core_material_set writes "edited: material KIND copies=N..."). */
struct mat_seen {
	struct core_material m[8];
	size_t n;
};

static int
mat_seen_take(void *ctx, const struct core_history_item *h)
{
	static const char pfx[] = "edited: material ";
	struct mat_seen *s = ctx;
	const char *p = h->reason;
	size_t n;

	if (strncmp(p, pfx, sizeof(pfx) - 1) != 0) {
		return 0;
	}
	p += sizeof(pfx) - 1;
	n = strcspn(p, " ");
	for (size_t i = 0; i < s->n; i++) {
		struct core_material *m = &s->m[i];

		if (strlen(m->kind) == n && strncmp(m->kind, p, n) == 0) {
			snprintf(m->by, sizeof(m->by), "%s", h->actor);
			m->at_ms = h->time_ms;
			m->seq = h->seq;
		}
	}
	return 0;
}

int
core_material_list(struct core *c, int64_t id,
		   int (*cb)(void *ctx, const struct core_material *m),
		   void *ctx)
{
	struct mat_seen *seen = NULL;
	struct core_dossier d;
	uint8_t salt[32];
	sqlite3_stmt *st = NULL;
	int r, rc;

	core_err_clear(c);
	if ((r = nominee_load(c, id, &d, salt, 1)) != 0) {
		return r;
	}
	if (!(seen = calloc(1, sizeof(*seen)))) {
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	if ((r = db_query(c, &st,
	                  "SELECT kind, copies, original_sighted FROM "
	                  "nominee_material WHERE nominee_id = ?1 ORDER BY "
	                  "CASE kind WHEN 'registration_form' THEN 1 WHEN "
	                  "'technical_report' THEN 2 WHEN "
	                  "'technical_report_electronic' THEN 3 WHEN "
	                  "'certificates' THEN 4 ELSE 5 END, kind",
	                  "i", id)) != 0) {
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	       seen->n < sizeof(seen->m) / sizeof(seen->m[0])) {
		struct core_material *m = &seen->m[seen->n++];

		db_copy(m->kind, sizeof(m->kind), st, 0);
		m->copies = sqlite3_column_int(st, 1);
		m->original_sighted = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		r = core_err_sql(c, rc);
		goto out;
	}
	if ((r = core_nominee_history(c, id, mat_seen_take, seen)) != 0) {
		goto out;
	}
	for (size_t i = 0; i < seen->n && r == 0; i++) {
		r = cb(ctx, &seen->m[i]);
	}
out:
	free(seen);
	return r;
}
