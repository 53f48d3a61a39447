/*
 * The verifier's read-only open of a data directory (`audit verify`
 * without --bundle, core/verify.c): it must work on an auditor's evidence
 * copy (a directory and files nobody may write, perhaps on read-only
 * media) and must never write anything in the data directory.
 *
 * SQLite's WAL mode is the obstacle: a reader of a WAL database needs the
 * -shm index, writable, and creates it (and an empty -wal) when it is not
 * there, so a plain SQLITE_OPEN_READONLY fails on a read-only directory
 * and, run by root (whom permissions do not stop), writes into the copy.
 * Hence two cases:
 *
 * - A live data directory (writable: the server may be running): URI
 *   mode=ro.  The connection shares the -wal and -shm with the server and
 *   reads one consistent snapshot while acts go on, as any reader does.
 * - An evidence copy: the file system is mounted read-only, or this user
 *   may not write the directory or the database, or neither has a write
 *   bit for anyone (what `chmod -R a-w` leaves: the test that still holds
 *   for root).  URI immutable=1: SQLite takes no locks and opens no -wal
 *   or -shm, because nobody writes the copy.  immutable=1 also ignores a
 *   -wal file, whose committed transactions are part of the evidence
 *   (a copy taken while the server ran has them), so when the copy has a
 *   non-empty -wal, the database and its -wal are copied into a private
 *   directory under $TMPDIR (0700, removed by core_close) and SQLite reads
 *   that snapshot.  A copy with a hot rollback journal is refused.
 *
 * Every case opens with SQLITE_OPEN_READONLY and sets PRAGMA query_only.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "core/core_int.h"
#include "core/i18n.h"

/* 1 if nobody is meant to write dir and db (see the top of this file). */
static int
is_evidence_copy(const char *dir, const char *db)
{
	struct statvfs vfs;
	struct stat sd, sf;

	if (statvfs(dir, &vfs) == 0 && (vfs.f_flag & ST_RDONLY)) {
		return 1;
	}
	if (access(dir, W_OK) != 0 || access(db, W_OK) != 0) {
		return 1;
	}
	if (stat(dir, &sd) != 0 || stat(db, &sf) != 0) {
		return 1;
	}
	return (sd.st_mode & 0222) == 0 || (sf.st_mode & 0222) == 0;
}

/* Size of path, 0 if it does not exist or is not a regular file. */
static off_t
file_size(const char *path)
{
	struct stat sb;

	if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		return 0;
	}
	return sb.st_size;
}

/* An SQLite URI for path with query q: '%', '?' and '#' escaped; an
 * absolute path gets an empty authority ("file:///..."). */
static int
make_uri(const char *path, const char *q, char *out, size_t outsz)
{
	size_t o = 0;
	int n;

	n = snprintf(out, outsz, "file:%s", path[0] == '/' ? "//" : "");
	if (n < 0 || (size_t)n >= outsz) {
		return -1;
	}
	o = (size_t)n;
	for (const char *p = path; *p; p++) {
		if (o + 4 >= outsz) {
			return -1;
		}
		if (*p == '%' || *p == '?' || *p == '#') {
			o += (size_t)snprintf(out + o, outsz - o, "%%%02X",
			                      (unsigned char)*p);
		} else {
			out[o++] = *p;
		}
	}
	n = snprintf(out + o, outsz - o, "?%s", q);
	return n < 0 || (size_t)n >= outsz - o ? -1 : 0;
}

/* Copies src to dst (created 0600, must not exist).  0 or -1 (errno). */
static int
copy_file(const char *src, const char *dst)
{
	char buf[65536];
	int in = -1, out = -1, r = -1, e;
	ssize_t n;

	if ((in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0 ||
	    (out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) <
	        0) {
		goto out;
	}
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			goto out;
		}
		for (ssize_t w = 0; w < n;) {
			ssize_t k = write(out, buf + w, (size_t)(n - w));

			if (k < 0 && errno == EINTR) {
				continue;
			}
			if (k <= 0) {
				goto out;
			}
			w += k;
		}
	}
	r = 0;
out:
	e = errno;
	if (in >= 0) {
		close(in);
	}
	if (out >= 0 && close(out) != 0) {
		r = -1;
	}
	errno = e;
	return r;
}

/*
 * Copies db and its -wal into a new private directory; *snap gets the
 * directory (malloc'd) and path the snapshot's database.  0 or -1 with
 * err set; on failure nothing is left behind.
 */
static int
make_snapshot(const char *db, char **snap, char *path, size_t pathsz, char *err,
              size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX], src[PATH_MAX + 48], dst[PATH_MAX + 32];
	int n;

	*snap = NULL;
	n = snprintf(dir, sizeof(dir), "%s/nomdesk-verify-XXXXXX",
	             tmp && *tmp ? tmp : "/tmp");
	if (n < 0 || (size_t)n >= sizeof(dir) || !mkdtemp(dir)) {
		snprintf(err, errlen,
		         _("cannot make a private copy of its write-ahead log "
		           "to read it: %s"),
		         strerror(errno));
		return -1;
	}
	snprintf(dst, sizeof(dst), "%s/nomdesk.db", dir);
	snprintf(src, sizeof(src), "%s-wal", db);
	if (copy_file(db, dst) != 0) {
		goto fail;
	}
	snprintf(dst, sizeof(dst), "%s/nomdesk.db-wal", dir);
	if (copy_file(src, dst) != 0) {
		goto fail;
	}
	snprintf(path, pathsz, "%s/nomdesk.db", dir);
	if (!(*snap = strdup(dir))) {
		errno = ENOMEM;
		goto fail;
	}
	return 0;
fail:
	snprintf(err, errlen,
	         _("cannot make a private copy of its write-ahead log to read "
	           "it: %s"),
	         strerror(errno));
	unlink(dst);
	snprintf(dst, sizeof(dst), "%s/nomdesk.db", dir);
	unlink(dst);
	rmdir(dir);
	return -1;
}

void
db_ro_release(struct core *c)
{
	static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
	char p[PATH_MAX + 32];

	if (!c || !c->ro_snapshot) {
		return;
	}
	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(p, sizeof(p), "%s/nomdesk.db%s", c->ro_snapshot,
		         sfx[i]);
		unlink(p);
	}
	rmdir(c->ro_snapshot);
	free(c->ro_snapshot);
	c->ro_snapshot = NULL;
}

int
core_open_readonly(struct core **out, const char *data_dir, char *err,
                   size_t errlen)
{
	struct core *c = NULL;
	char db[PATH_MAX + 32], side[PATH_MAX + 48], open_path[PATH_MAX + 32];
	char uri[3 * PATH_MAX + 64];
	const char *target = uri;
	int r = CORE_EIO, rc, flags;

	*out = NULL;
	if ((r = core_alloc_for(&c, data_dir, err, errlen)) != 0) {
		return r;
	}
	r = CORE_EIO;
	snprintf(db, sizeof(db), "%s/nomdesk.db", data_dir);
	if (access(db, R_OK) != 0) {
		snprintf(err, errlen, _("no readable database at '%s': %s"), db,
		         strerror(errno));
		r = errno == ENOENT ? CORE_ENOENT : CORE_EIO;
		goto out;
	}
	flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
	if (!is_evidence_copy(data_dir, db)) {
		rc = make_uri(db, "mode=ro", uri, sizeof(uri));
	} else {
		snprintf(side, sizeof(side), "%s-journal", db);
		if (file_size(side) > 0) {
			snprintf(err, errlen,
			         _("'%s' has a rollback journal: the copy was "
			           "taken in the middle of a write; take it "
			           "again"),
			         side);
			goto out;
		}
		snprintf(side, sizeof(side), "%s-wal", db);
		if (file_size(side) > 0) {
			if (make_snapshot(db, &c->ro_snapshot, open_path,
			                  sizeof(open_path), err,
			                  errlen) != 0) {
				goto out;
			}
			/* our own copy: SQLite may index its WAL there */
			target = open_path;
			flags &= ~SQLITE_OPEN_URI;
			rc = 0;
		} else {
			rc = make_uri(db, "immutable=1", uri, sizeof(uri));
		}
	}
	if (rc != 0) {
		snprintf(err, errlen, _("the path '%s' is too long"), db);
		goto out;
	}
	rc = sqlite3_open_v2(target, &c->db, flags, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_extended_result_codes(c->db, 1);
		sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
		sqlite3_db_config(c->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0,
		                  NULL);
		sqlite3_busy_timeout(c->db, 10000);
		rc = sqlite3_exec(c->db, "PRAGMA query_only=1", NULL, NULL,
		                  NULL);
	}
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, _("cannot open database '%s': %s"), db,
		         c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		goto out;
	}
	*out = c;
	c = NULL; /* transferred */
	r = 0;
out:
	core_close(c);
	return r;
}
