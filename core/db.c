/*
 * Opening the database, migrations and the write transaction.
 *
 * Invariants: the connection runs with WAL, synchronous=FULL (a lost act
 * whose receipt a user holds would look like tampering), foreign keys on,
 * untrusted schema off and defensive mode on.  Every write happens between
 * tx_begin() and tx_commit(), which signs the checkpoint for the entries
 * appended in the transaction before COMMIT.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core_int.h"
#include "core/i18n.h"
#include "core/schema.h"

static const char *const pragmas[] = {
	"PRAGMA journal_mode=WAL",   "PRAGMA synchronous=FULL",
	"PRAGMA foreign_keys=ON",    "PRAGMA trusted_schema=OFF",
	"PRAGMA secure_delete=ON",   "PRAGMA cache_size=-2000",
	"PRAGMA temp_store=MEMORY",
};

/*
 * The database and the -wal and -shm files beside it hold every dossier:
 * owner only, 0600, whatever the umask.  SQLite's unix VFS creates -wal,
 * -shm and -journal with the main file's permission bits, so the main
 * file is created 0600 here before SQLite opens it (SQLite itself would
 * make it 0644 less the umask), and files an older nomdesk left group- or
 * world-readable are narrowed.  A copy nobody may chmod (an auditor's
 * read-only evidence copy) is left as it is.  0, or -1 with errno if the
 * file cannot be created.
 */
static int
db_files_private(const char *path, int create)
{
	static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
	char p[PATH_MAX + 16];
	struct stat sb;
	int fd;

	if (create) {
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
					O_CLOEXEC,
			  0600);
		if (fd < 0 && errno != EEXIST) {
			return -1;
		}
		if (fd >= 0) {
			close(fd);
		}
	}
	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
		if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    (sb.st_mode & 077) != 0) {
			(void)chmod(p, sb.st_mode & 0700);
		}
	}
	return 0;
}

int
db_open(struct core *c, const char *path, int create, char *err,
	size_t errlen)
{
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	int rc;

	if (create) {
		flags |= SQLITE_OPEN_CREATE;
	}
	if (db_files_private(path, create) != 0) {
		snprintf(err, errlen, "cannot create database '%s': %s", path,
			 strerror(errno));
		return CORE_EIO;
	}
	rc = sqlite3_open_v2(path, &c->db, flags, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database '%s': %s", path,
			 c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		return CORE_EIO;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(c->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_busy_timeout(c->db, 10000);
	for (size_t i = 0; i < sizeof(pragmas) / sizeof(pragmas[0]); i++) {
		rc = sqlite3_exec(c->db, pragmas[i], NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			snprintf(err, errlen, "cannot set up database: %s",
				 sqlite3_errmsg(c->db));
			return CORE_EIO;
		}
	}
	return 0;
}

static int
user_version(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		v = sqlite3_column_int(st, 0);
	}
	sqlite3_finalize(st);
	return v;
}

int
db_migrate(struct core *c, char *err, size_t errlen)
{
	int have = user_version(c->db);
	int want = 0;
	char sql[64];

	for (size_t i = 0; i < schema_n_migrations; i++) {
		if (schema_migrations[i].version > want) {
			want = schema_migrations[i].version;
		}
	}
	if (have < 0) {
		snprintf(err, errlen, "cannot read the schema version");
		return CORE_EIO;
	}
	if (have > want) {
		snprintf(err, errlen,
			 "database schema %d is newer than this nomdesk (%d)",
			 have, want);
		return CORE_ESTATE;
	}
	for (size_t i = 0; i < schema_n_migrations; i++) {
		const struct schema_migration *m = &schema_migrations[i];

		if (m->version <= have) {
			continue;
		}
		snprintf(sql, sizeof(sql), "PRAGMA user_version=%d",
			 m->version);
		if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
			    SQLITE_OK ||
		    sqlite3_exec(c->db, m->sql, NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) !=
			    SQLITE_OK) {
			snprintf(err, errlen, "migration %s failed: %s",
				 m->name, sqlite3_errmsg(c->db));
			sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
			return CORE_EINTERNAL;
		}
	}
	return 0;
}

int
db_prepare(struct core *c, sqlite3_stmt **st, const char *sql)
{
	int rc = sqlite3_prepare_v2(c->db, sql, -1, st, NULL);

	if (rc != SQLITE_OK) {
		return core_err_sql(c, rc);
	}
	return 0;
}

/* Binds va by fmt (see core_int.h); 0 or CORE_EINTERNAL for a bad fmt. */
static int
db_bind_va(struct core *c, sqlite3_stmt *st, const char *fmt, va_list ap)
{
	int rc = SQLITE_OK;

	for (int i = 1; fmt && *fmt && rc == SQLITE_OK; fmt++, i++) {
		const char *t;
		const void *b;

		switch (*fmt) {
		case 'i':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 'd':
			rc = sqlite3_bind_int(st, i, va_arg(ap, int));
			break;
		case 't':
			t = va_arg(ap, const char *);
			rc = t ? sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(st, i);
			break;
		case 'b':
			b = va_arg(ap, const void *);
			rc = sqlite3_bind_blob(st, i, b, (int)va_arg(ap, size_t),
					       SQLITE_TRANSIENT);
			break;
		case 'n':
			rc = sqlite3_bind_null(st, i);
			break;
		default:
			return core_err(c, CORE_EINTERNAL, NULL,
					"bad bind format '%c'", *fmt);
		}
	}
	return rc == SQLITE_OK ? 0 : core_err_sql(c, rc);
}

int
db_exec(struct core *c, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st = NULL;
	va_list ap;
	int r, rc;

	if ((r = db_prepare(c, &st, sql)) != 0) {
		return r;
	}
	va_start(ap, fmt);
	r = db_bind_va(c, st, fmt, ap);
	va_end(ap);
	if (r == 0) {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			; /* RETURNING rows are not wanted here */
		}
		r = rc == SQLITE_DONE ? 0 : core_err_sql(c, rc);
	}
	sqlite3_finalize(st);
	return r;
}

int
db_row(struct core *c, sqlite3_stmt **st, const char *sql, const char *fmt,
       ...)
{
	va_list ap;
	int r, rc;

	*st = NULL;
	if ((r = db_prepare(c, st, sql)) != 0) {
		return r;
	}
	va_start(ap, fmt);
	r = db_bind_va(c, *st, fmt, ap);
	va_end(ap);
	if (r == 0) {
		rc = sqlite3_step(*st);
		if (rc == SQLITE_ROW) {
			return 1;
		}
		r = rc == SQLITE_DONE ? 0 : core_err_sql(c, rc);
	}
	sqlite3_finalize(*st);
	*st = NULL;
	return r;
}

int
db_query(struct core *c, sqlite3_stmt **st, const char *sql, const char *fmt,
	 ...)
{
	va_list ap;
	int r;

	*st = NULL;
	if ((r = db_prepare(c, st, sql)) != 0) {
		return r;
	}
	va_start(ap, fmt);
	r = db_bind_va(c, *st, fmt, ap);
	va_end(ap);
	if (r != 0) {
		sqlite3_finalize(*st);
		*st = NULL;
	}
	return r;
}

const char *
db_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? (const char *)t : "";
}

void
db_copy(char *dst, size_t dstsz, sqlite3_stmt *st, int col)
{
	snprintf(dst, dstsz, "%s", db_text(st, col));
}

int64_t
db_current_round(struct core *c)
{
	sqlite3_stmt *st = NULL;
	int64_t id = 0;

	if (db_row(c, &st, "SELECT id FROM round WHERE current = 1", NULL) ==
	    1) {
		id = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return id;
}

int
tx_begin(struct core *c)
{
	int rc, r;

	if (c->in_tx) {
		return core_err(c, CORE_EINTERNAL, NULL, "nested transaction");
	}
	rc = sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		return core_err_sql(c, rc);
	}
	c->in_tx = 1;
	c->tx_entries = 0;
	/* Before every act, inside its transaction: is the actor still who
	 * the session was admitted as? (A disabled account's session must
	 * not act, even with a screen it opened before.) */
	if ((r = core_session_check(c)) != 0) {
		tx_rollback(c);
		return r;
	}
	return 0;
}

void
tx_rollback(struct core *c)
{
	if (!c->in_tx) {
		return;
	}
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	c->in_tx = 0;
	c->tx_entries = 0;
	c->drop_draft = 0;
	signer_forget(c->logkey);
}

/*
 * COMMIT failed (issue 8 item 11, tests/unit/test_fault.c).  SQLite has
 * rolled back, but when the failure was the sync of the WAL, every frame
 * of the transaction, its commit frame included, may already be in the
 * -wal file: the next writer of this connection overwrites them, yet if
 * the process ends first, WAL recovery replays them and the act the user
 * was told failed appears.  A TRUNCATE checkpoint empties the WAL of
 * them for good when the disk works again, and then nothing was changed;
 * when it fails too, whether the act was recorded is not known, and the
 * message says so.
 */
static int
commit_failed(struct core *c, int rc)
{
	if (rc != SQLITE_IOERR_FSYNC && rc != SQLITE_IOERR_DIR_FSYNC) {
		return core_err_sql(c, rc);
	}
	if (!sqlite3_get_autocommit(c->db)) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	}
	if (sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
				      NULL, NULL) == SQLITE_OK) {
		return core_err_sql(c, rc);
	}
	return core_err(c, CORE_EIO, NULL, "%s",
			_("could not save: the disk reported an I/O error and "
			  "did not confirm the save; the act may still appear "
			  "once the disk works again: check it before you "
			  "repeat it (tell the administrator: the server's "
			  "disk may be failing)"));
}

int
tx_commit(struct core *c, struct core_receipt *rc_out)
{
	uint8_t root[32];
	uint64_t size = 0;
	char note[1024];
	int r, rc;

	if (!c->in_tx) {
		return core_err(c, CORE_EINTERNAL, NULL, "no transaction");
	}
	if (c->tx_entries == 0) {
		/* The discipline: no mutation without its entry. */
		tx_rollback(c);
		return core_err(c, CORE_EINTERNAL, NULL,
				"write without an audit entry refused");
	}
	/* a saved form's draft goes with the save, in its transaction */
	if (c->drop_draft) {
		c->drop_draft = 0;
		if ((r = draft_drop_in_tx(c)) != 0) {
			goto fail;
		}
	}
	if ((r = audit_tree_head(c, &size, root)) != 0) {
		goto fail;
	}
	if ((r = logkey_recall(c)) != 0) {
		goto fail;
	}
	if (note_checkpoint_sign(c->logkey, c->origin, size, root, note,
				 sizeof(note)) != 0) {
		r = core_err(c, CORE_EINTERNAL, NULL, "cannot sign checkpoint");
		goto fail;
	}
	if ((r = db_exec(c,
	                 "INSERT INTO log_checkpoint (size, note) "
	                 "VALUES (?1, ?2)",
	                 "it", (int64_t)size, note)) != 0) {
		goto fail;
	}
	rc = sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		r = commit_failed(c, rc);
		goto fail;
	}
	c->in_tx = 0;
	signer_forget(c->logkey);
	if (rc_out) {
		rc_out->seq = size - 1;
		rc_out->tree_size = size;
		keys_b64_encode(root, 32, rc_out->root, sizeof(rc_out->root));
	}
	return 0;
fail:
	tx_rollback(c);
	return r;
}
