/*
 * db: the soak's read-only view of the desk's database (the crash image
 * the killed processes left), and the invariants that hold in it
 * whatever was acknowledged:
 *   - PRAGMA integrity_check is "ok", foreign_key_check is empty;
 *   - every nominee row has its creation entry and every creation entry
 *     its row; each row's seq is its newest entry, its version 1 + its
 *     edits, a pledged or withdrawn row has the entry that made it so;
 *   - the log is gap-free and its newest checkpoint covers all of it.
 * Opened only once every process that could still write has exited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/soak/soak.h"

sqlite3 *
db_open(void)
{
	char path[600];
	sqlite3 *db = NULL;

	snprintf(path, sizeof(path), "%s/nomdesk.db", dk.data);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000);
	return db;
}

int64_t
q_int(sqlite3 *db, char *sql, int64_t dflt)
{
	sqlite3_stmt *st = NULL;
	int64_t v = dflt;

	if (sql && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL) {
		v = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	sqlite3_free(sql);
	return v;
}

int64_t
nominees_named(sqlite3 *db, const char *name)
{
	return q_int(db,
		     sqlite3_mprintf("SELECT count(*) FROM nominee WHERE "
				     "name = %Q",
				     name),
		     -1);
}

/* Column i of the current row as text into out. */
static void
col_text(sqlite3_stmt *st, int i, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(st, i));
}

int64_t
entry_about(sqlite3 *db, int64_t seq, int *act, char *actor, size_t actsz)
{
	sqlite3_stmt *st = NULL;
	int64_t id = -1;

	*act = -1;
	actor[0] = '\0';
	if (sqlite3_prepare_v2(db,
			       "SELECT act, actor, subject FROM log_entry "
			       "WHERE seq = ?",
			       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_int64(st, 1, seq) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 2);

		*act = sqlite3_column_int(st, 0);
		col_text(st, 1, actor, actsz);
		if (s && strncmp(s, "nominee:", 8) == 0) {
			id = strtoll(s + 8, NULL, 10);
		}
	}
	sqlite3_finalize(st);
	return id;
}

void
row_get(sqlite3 *db, int64_t id, struct row *r)
{
	sqlite3_stmt *st = NULL;

	memset(r, 0, sizeof(*r));
	if (sqlite3_prepare_v2(db,
			       "SELECT name, title, id_number, state, "
			       "version, seq, (SELECT count(*) FROM "
			       "nominee_item i WHERE i.nominee_id = n.id) "
			       "FROM nominee n WHERE id = ?",
			       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_int64(st, 1, id) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		r->found = true;
		col_text(st, 0, r->name, sizeof(r->name));
		col_text(st, 1, r->title, sizeof(r->title));
		col_text(st, 2, r->idn, sizeof(r->idn));
		col_text(st, 3, r->state, sizeof(r->state));
		r->version = sqlite3_column_int(st, 4);
		r->seq = sqlite3_column_int64(st, 5);
		r->items = sqlite3_column_int(st, 6);
	}
	sqlite3_finalize(st);
}

static char
state_char(const char *s)
{
	return strcmp(s, "draft") == 0       ? 'd'
	       : strcmp(s, "pledged") == 0   ? 'p'
	       : strcmp(s, "withdrawn") == 0 ? 'w'
					     : '?';
}

bool
row_matches(const struct nom *n, const struct row *r, char *why, size_t sz)
{
	if (!r->found) {
		snprintf(why, sz, "no row");
	} else if (strcmp(r->name, n->name) != 0) {
		snprintf(why, sz, "name %s, want %s", r->name, n->name);
	} else if (strcmp(r->title, n->title) != 0) {
		snprintf(why, sz, "title %s, want %s", r->title, n->title);
	} else if (strcmp(r->idn, n->idn) != 0) {
		snprintf(why, sz, "ID number \"%s\", want \"%s\"", r->idn,
			 n->idn);
	} else if (state_char(r->state) != n->state) {
		snprintf(why, sz, "state %s, want %c", r->state, n->state);
	} else if (r->version != n->version) {
		snprintf(why, sz, "version %d, want %d", r->version,
			 n->version);
	} else if (r->items != n->items) {
		snprintf(why, sz, "%d items, want %d", r->items, n->items);
	} else if (r->seq != n->seq) {
		snprintf(why, sz, "seq %lld, want %lld",
			 (long long)r->seq, (long long)n->seq);
	} else {
		return true;
	}
	return false;
}

/* SQLite's own checks: integrity_check "ok", no foreign key broken. */
static void
check_integrity(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int rows = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) !=
	    SQLITE_OK) {
		failure(&fig.integrity, "integrity_check: %s",
			sqlite3_errmsg(db));
	}
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);

		if (!s || strcmp(s, "ok") != 0) {
			failure(&fig.integrity, "integrity_check: %s",
				s ? s : "(null)");
		}
		rows++;
	}
	sqlite3_finalize(st);
	if (rows == 0) {
		failure(&fig.integrity, "integrity_check gave nothing: %s",
			sqlite3_errmsg(db));
	}
	st = NULL;
	if (sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st,
			       NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			failure(&fig.integrity,
				"foreign_key_check: %s row %lld -> %s",
				(const char *)sqlite3_column_text(st, 0),
				(long long)sqlite3_column_int64(st, 1),
				(const char *)sqlite3_column_text(st, 2));
		}
	}
	sqlite3_finalize(st);
}

void
check_invariants(sqlite3 *db)
{
	static const struct {
		const char *what, *sql;
	} zero[] = {
		{"nominee rows without their creation entry",
		 "SELECT count(*) FROM nominee n WHERE NOT EXISTS (SELECT 1 "
		 "FROM log_entry e WHERE e.subject = 'nominee:' || n.id AND "
		 "e.act = 1)"},
		{"creation entries without their nominee row",
		 "SELECT count(*) FROM log_entry e WHERE e.act = 1 AND "
		 "e.subject LIKE 'nominee:%' AND NOT EXISTS (SELECT 1 FROM "
		 "nominee n WHERE 'nominee:' || n.id = e.subject)"},
		{"nominee rows whose seq is not their newest entry",
		 "SELECT count(*) FROM nominee n WHERE n.seq IS NOT (SELECT "
		 "max(e.seq) FROM log_entry e WHERE e.subject = 'nominee:' || "
		 "n.id AND e.act < 100)"},
		{"nominee rows whose version is not 1 + their edits",
		 "SELECT count(*) FROM nominee n WHERE n.version <> 1 + "
		 "(SELECT count(*) FROM log_entry e WHERE e.subject = "
		 "'nominee:' || n.id AND e.act = 2)"},
		{"pledged rows without a pledge entry",
		 "SELECT count(*) FROM nominee n WHERE n.state = 'pledged' AND "
		 "NOT EXISTS (SELECT 1 FROM log_entry e WHERE e.subject = "
		 "'nominee:' || n.id AND e.act IN (6, 7))"},
		{"withdrawn rows without a workflow entry",
		 "SELECT count(*) FROM nominee n WHERE n.state = 'withdrawn' "
		 "AND NOT EXISTS (SELECT 1 FROM log_entry e WHERE e.subject = "
		 "'nominee:' || n.id AND e.act = 11)"},
		{"gaps in the log's sequence numbers (0, 1, ...)",
		 "SELECT (SELECT coalesce(max(seq), -1) + 1 FROM log_entry) - "
		 "(SELECT count(*) FROM log_entry) + (SELECT coalesce(min(seq), "
		 "0) FROM log_entry)"},
		{"entries beyond the newest checkpoint",
		 "SELECT (SELECT count(*) FROM log_entry) - (SELECT "
		 "coalesce(max(size), 0) FROM log_checkpoint)"},
		{"checkpoints beyond the log",
		 "SELECT count(*) FROM log_checkpoint WHERE size > (SELECT "
		 "count(*) FROM log_entry)"},
	};

	check_integrity(db);
	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++) {
		int64_t n = q_int(db, sqlite3_mprintf("%s", zero[i].sql), -1);

		if (n != 0) {
			failure(&fig.torn, "%s: %lld", zero[i].what,
				(long long)n);
		}
	}
}
