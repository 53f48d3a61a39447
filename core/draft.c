/*
 * Drafts: one unsaved form per user (schema/0012_draft.sql), so that a
 * dropped connection or an idle logout does not lose what was typed
 * (domain.md 5, "lost work on timeouts").
 *
 * Invariants: a draft is only ever read or written for the acting user
 * (the row is keyed by the actor's id; there is no way to name another
 * user); every save and every clear that removes a row is a mutation with
 * its audit entry (ACT_ADMIN, subject "draft:LOGIN"); the log records
 * that a draft was kept or dropped and the form's name, never its content.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"
#include "core/utf8.h"

/* [a-z0-9_.:-]{1,32} */
static int
form_name_ok(const char *form)
{
	size_t n;

	if (!form) {
		return 0;
	}
	for (n = 0; form[n]; n++) {
		char ch = form[n];

		if (n >= 32 || !((ch >= 'a' && ch <= 'z') ||
				 (ch >= '0' && ch <= '9') || ch == '_' ||
				 ch == '.' || ch == ':' || ch == '-')) {
			return 0;
		}
	}
	return n > 0;
}

/* Decodable UTF-8 only: the body is the form's own escaped text, not
 * checked against the field rules (a half-typed value may break them). */
static int
body_ok(const char *s)
{
	size_t len = strlen(s), i = 0;

	if (len > CORE_DRAFT_MAX) {
		return 0;
	}
	while (i < len) {
		uint32_t cp;
		int k = utf8_decode(s + i, len - i, &cp);

		if (k < 0 || cp == 0) {
			return 0;
		}
		i += (size_t)k;
	}
	return 1;
}

static int
need_user(struct core *c)
{
	if (!c->has_actor || c->is_system) {
		return core_err(c, CORE_EPERM, NULL,
				_("drafts are kept for logged-in users only"));
	}
	return 0;
}

static int
audit_draft(struct core *c, const char *what, uint64_t *seq)
{
	return audit_record(c, ACT_ADMIN, seq, what, "draft:%s",
	                    c->actor.login);
}

int
core_draft_save(struct core *c, const char *form, const char *text)
{
	char why[64];
	uint64_t seq = 0;
	int r;

	core_err_clear(c);
	if ((r = need_user(c)) != 0) {
		return r;
	}
	if (!form_name_ok(form)) {
		return core_err(c, CORE_EINVAL, "form",
				_("draft: the form name is not valid"));
	}
	if (!text || !body_ok(text)) {
		return core_err(c, CORE_EINVAL, "text",
				_("draft: not UTF-8 text or longer than %d "
				  "bytes"),
				CORE_DRAFT_MAX);
	}
	if ((r = tx_begin(c)) != 0) {
		return r;
	}
	snprintf(why, sizeof(why), "draft kept (form %s)", form);
	if ((r = audit_draft(c, why, &seq)) != 0) {
		goto fail;
	}
	if ((r = db_exec(c,
	                 "INSERT INTO draft (user_id, form, body, saved_ms, "
	                 "seq) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT "
	                 "(user_id) DO UPDATE SET form = excluded.form, "
	                 "body = excluded.body, saved_ms = "
	                 "excluded.saved_ms, seq = excluded.seq",
	                 "ittii", c->actor.id, form, text,
	                 (int64_t)core_now_ms(c), (int64_t)seq)) != 0) {
		goto fail;
	}
	return tx_commit(c, NULL);
fail:
	tx_rollback(c);
	return r;
}

int
core_draft_load(struct core *c, char *form, size_t formsz, char **text)
{
	sqlite3_stmt *st = NULL;
	char *body = NULL;
	int r;

	*text = NULL;
	if (formsz > 0) {
		form[0] = '\0';
	}
	core_err_clear(c);
	if ((r = need_user(c)) != 0) {
		return r;
	}
	if ((r = db_query(c, &st,
	                  "SELECT form, body FROM draft WHERE user_id = "
	                  "?1",
	                  "i", c->actor.id)) != 0) {
		return r;
	}
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return core_err(c, CORE_ENOENT, NULL, _("no draft"));
	}
	if (!(body = strdup(db_text(st, 1)))) {
		sqlite3_finalize(st);
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	if (formsz > 0) {
		db_copy(form, formsz, st, 0);
	}
	sqlite3_finalize(st);
	*text = body; /* transferred */
	return 0;
}

int
draft_drop_in_tx(struct core *c)
{
	int r;

	if (!c->has_actor || c->actor.id <= 0) {
		return 0; /* the console operator keeps no draft */
	}
	if ((r = db_exec(c, "DELETE FROM draft WHERE user_id = ?1", "i",
	                 c->actor.id)) != 0) {
		return r;
	}
	if (sqlite3_changes(c->db) == 0) {
		return 0; /* nothing was there: nothing to record */
	}
	return audit_draft(c, "draft dropped", NULL);
}

int
core_draft_clear(struct core *c)
{
	int r;
	int before;

	core_err_clear(c);
	if ((r = need_user(c)) != 0) {
		return r;
	}
	if ((r = tx_begin(c)) != 0) {
		return r;
	}
	before = c->tx_entries;
	if ((r = draft_drop_in_tx(c)) != 0) {
		goto fail;
	}
	if (c->tx_entries == before) {
		/* nothing was there: not a mutation, nothing to record */
		tx_rollback(c);
		return 0;
	}
	return tx_commit(c, NULL);
fail:
	tx_rollback(c);
	return r;
}

void
core_draft_drop_with_next_write(struct core *c, int on)
{
	c->drop_draft = on != 0;
}
