/*
 * The verifier's check of the user_key table against the key registry it
 * replayed from the log (core/vreg.c, issue #8 item 9): user_key is an
 * index of the registry holding the sealed records (schema 0014), and the
 * host picks a person's key by its row, so a row swapped between two
 * people, moved to another user, re-activated or given another key is a
 * record that no longer says what the log says.  The registry is the
 * one replay the host signs on too (core/vreg.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"

/* What the row of a registered key must hold. */
static const char *
want_state(const struct vkey *k)
{
	if (k->until == UINT64_MAX) {
		return "active";
	}
	return k->end[0] ? k->end : "rotated";
}

/* 1 and msg set if the row st (login, public_key, state, enrolled_seq,
 * ended_seq, record) is not key k's; 0 if it is. */
static int
row_differs(sqlite3_stmt *st, const struct vkey *k, char *msg, size_t msglen)
{
	struct userkey_record rec;
	const char *login = (const char *)sqlite3_column_text(st, 0);
	const char *state = (const char *)sqlite3_column_text(st, 2);
	int64_t enrolled = sqlite3_column_int64(st, 3);
	int64_t ended = sqlite3_column_int64(st, 4);
	int64_t want_end = k->until == UINT64_MAX ? -1 : (int64_t)k->until;
	const char *owner = k->owner + 5; /* after "user:" */

	if (!login || strcmp(login, owner) != 0) {
		snprintf(msg, msglen,
		         _("the user_key row of %s's key registered at entry "
		           "%" PRIu64 " belongs to %s: rows were swapped or "
		           "moved to another user"),
		         owner, k->from, login ? login : "(no user)");
		return 1;
	}
	if (sqlite3_column_bytes(st, 1) != KEYS_PK_LEN ||
	    memcmp(sqlite3_column_blob(st, 1), k->pk, KEYS_PK_LEN) != 0) {
		snprintf(msg, msglen,
		         _("the user_key row of %s's key registered at entry "
		           "%" PRIu64 " holds another public key"),
		         owner, k->from);
		return 1;
	}
	if (enrolled != (int64_t)k->from || !state ||
	    strcmp(state, want_state(k)) != 0 || ended != want_end) {
		snprintf(msg, msglen,
		         _("the user_key row of %s's key registered at entry "
		           "%" PRIu64 " says %s from entry %" PRId64
		           " to %" PRId64 "; the log says %s to %" PRId64),
		         owner, k->from, state ? state : "?", enrolled, ended,
		         want_state(k), want_end);
		return 1;
	}
	if (userkey_record_parse(sqlite3_column_blob(st, 5),
	                         (size_t)sqlite3_column_bytes(st, 5),
	                         &rec) != 0 ||
	    strcmp(rec.user, owner) != 0 ||
	    memcmp(rec.pk, k->pk, KEYS_PK_LEN) != 0 ||
	    memcmp(rec.key_id, k->id, KEYS_HASH_LEN) != 0) {
		snprintf(msg, msglen,
		         _("the sealed record in the user_key row of %s's key "
		           "registered at entry %" PRIu64 " is not that key's "
		           "(swapped or damaged)"),
		         owner, k->from);
		return 1;
	}
	return 0;
}

int
vkeyrows_check(struct core *c, const struct vreg *reg, int64_t *seq, char *msg,
               size_t msglen)
{
	sqlite3_stmt *st = NULL, *all = NULL;
	int64_t n_rows = 0, n_keys = 0;
	int r = -1;

	*seq = -1;
	if (db_prepare(c, &st,
	               "SELECT u.login, k.public_key, k.state, "
	               "k.enrolled_seq, k.ended_seq, k.record FROM user_key k "
	               "LEFT JOIN user u ON u.id = k.user_id WHERE k.key_id = "
	               "?1") != 0) {
		goto out;
	}
	/* In registration order, so the first key named is the first in
	 * log order whose row is wrong. */
	for (size_t i = 0; i < reg->n; i++) {
		const struct vkey *k = &reg->keys[i];
		int rc;

		if (strncmp(k->owner, "user:", 5) != 0) {
			continue;
		}
		n_keys++;
		sqlite3_reset(st);
		sqlite3_bind_blob(st, 1, k->id, KEYS_HASH_LEN, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE) {
			*seq = (int64_t)k->from;
			snprintf(msg, msglen,
			         _("%s's key registered at entry %" PRIu64
			           " has no row in user_key"),
			         k->owner + 5, k->from);
			r = 1;
			goto out;
		}
		if (rc != SQLITE_ROW) {
			goto out;
		}
		if (row_differs(st, k, msg, msglen)) {
			*seq = (int64_t)k->from;
			r = 1;
			goto out;
		}
	}
	/* A row for a key the log never registered to a person. */
	if (db_prepare(c, &all,
	               "SELECT key_id, enrolled_seq FROM user_key ORDER BY "
	               "enrolled_seq, key_id") != 0) {
		goto out;
	}
	while (sqlite3_step(all) == SQLITE_ROW) {
		const struct vkey *k = NULL;

		n_rows++;
		if (sqlite3_column_bytes(all, 0) == KEYS_HASH_LEN) {
			k = vreg_find(reg, sqlite3_column_blob(all, 0));
		}
		if (!k || strncmp(k->owner, "user:", 5) != 0) {
			snprintf(msg, msglen,
			         _("a user_key row (said to be registered at "
			           "entry %" PRId64
			           ") holds a key the log never "
			           "registered to a person"),
			         (int64_t)sqlite3_column_int64(all, 1));
			r = 1;
			goto out;
		}
	}
	/* Every registered key had its row above; fewer rows read here
	 * means the read stopped early. */
	r = n_rows == n_keys ? 0 : -1;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(all);
	return r;
}
