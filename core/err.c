/*
 * Error codes, role names and the per-handle error detail.  Messages are
 * for users: what failed, the subject quoted, the rule; never raw SQL.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"

static const char *const role_names[CORE_ROLE_N] = {
	"applicant", "unit_clerk", "county_hr", "department",
	"expert",    "city_hr",    "auditor",   "admin",
};

const char *
core_role_name(enum core_role role)
{
	if ((int)role < 0 || role >= CORE_ROLE_N) {
		return NULL;
	}
	return role_names[role];
}

int
core_role_parse(const char *name, enum core_role *out)
{
	for (int i = 0; i < CORE_ROLE_N; i++) {
		if (name && strcmp(name, role_names[i]) == 0) {
			*out = (enum core_role)i;
			return 0;
		}
	}
	return CORE_EINVAL;
}

const char *
core_strerror(int err)
{
	switch (err) {
	case CORE_OK:
		return _("success");
	case CORE_EINVAL:
		return _("invalid input");
	case CORE_EPERM:
		return _("not permitted");
	case CORE_ENOENT:
		return _("not found");
	case CORE_EEXIST:
		return _("already exists");
	case CORE_ESTATE:
		return _("not allowed in the current state");
	case CORE_EIO:
		return _("could not save: disk full or I/O error; nothing was changed");
	case CORE_EBUSY:
		return _("the database is busy; try again");
	case CORE_EAUTH:
		return _("login refused");
	case CORE_EQUOTA:
		return _("over quota");
	case CORE_ECORRUPT:
		return _("stored data fails its integrity check");
	/* issue 8 item 7 */
	case CORE_ESTALE:
		return _("changed by someone else since you opened it; reload");
	case CORE_EACCOUNT:
		return _("your account changed since you logged in; log in "
			 "again");
	default:
		return _("internal error");
	}
}

int
core_err(struct core *c, int err, const char *field, const char *fmt, ...)
{
	va_list ap;

	snprintf(c->errfield, sizeof(c->errfield), "%s", field ? field : "");
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
		va_end(ap);
	} else {
		snprintf(c->errmsg, sizeof(c->errmsg), "%s",
			 core_strerror(err));
	}
	return err;
}

/*
 * What a failed SQLite call means to the user.  Inside a write
 * transaction the caller rolls back, so a refusal there says that nothing
 * was changed; outside one it was a read.  A full disk and an I/O error
 * each get their own sentence, never SQLite's own words.
 */
int
core_err_sql(struct core *c, int rc)
{
	int writing = c->in_tx;

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return core_err(c, CORE_EBUSY, NULL, NULL);
	case SQLITE_FULL:
		return core_err(c, CORE_EIO, NULL, "%s",
				writing ? _("could not save: the disk is full; "
					    "nothing was changed (free some "
					    "space on the server, then try "
					    "again)")
					: _("could not read the data: the disk "
					    "is full (free some space on the "
					    "server, then try again)"));
	case SQLITE_IOERR:
		if (rc == SQLITE_IOERR_NOMEM) {
			return core_err(c, CORE_EINTERNAL, NULL, "%s",
					_("out of memory"));
		}
		return core_err(c, CORE_EIO, NULL, "%s",
				writing ? _("could not save: the disk reported "
					    "an I/O error; nothing was changed "
					    "(tell the administrator: the "
					    "server's disk may be failing)")
					: _("could not read the data: the disk "
					    "reported an I/O error (tell the "
					    "administrator: the server's disk "
					    "may be failing)"));
	case SQLITE_READONLY:
		return core_err(c, CORE_EIO, NULL, "%s",
				_("could not save: the database is read-only "
				  "(check the permissions of the data "
				  "directory); nothing was changed"));
	case SQLITE_CANTOPEN:
		return core_err(c, CORE_EIO, NULL, "%s",
				_("could not open a file of the database "
				  "(check the data directory and its free "
				  "space)"));
	case SQLITE_NOMEM:
		return core_err(c, CORE_EINTERNAL, NULL, "%s",
				_("out of memory"));
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return core_err(c, CORE_ECORRUPT, NULL, NULL);
	case SQLITE_CONSTRAINT:
		/* schema 0017's trigger: this handle still holds the log
		 * key from before a rotation */
		if (c->db && strstr(sqlite3_errmsg(c->db),
				    "the log key was rotated")) {
			return core_err(c, CORE_ESTATE, NULL, "%s",
					_("the log key was rotated since this "
					  "session began: log in again"));
		}
		return core_err(c, CORE_EINTERNAL, NULL, "%s (%s)",
				core_strerror(CORE_EINTERNAL),
				sqlite3_errstr(rc));
	default:
		return core_err(c, CORE_EINTERNAL, NULL, "%s (%s)",
				core_strerror(CORE_EINTERNAL),
				sqlite3_errstr(rc));
	}
}

int
core_err_file(struct core *c, int e, const char *field, const char *what)
{
	switch (e) {
	case ENOSPC:
	case EDQUOT:
		return core_err(c, CORE_EIO, field,
				_("could not save %s: the disk is full; "
				  "nothing was stored (free some space on the "
				  "server, then try again)"),
				what);
	case EFBIG:
		return core_err(c, CORE_EIO, field,
				_("could not save %s: it is larger than "
				  "this server lets a file grow; nothing was "
				  "stored"),
				what);
	case EIO:
		return core_err(c, CORE_EIO, field,
				_("could not save %s: the disk reported an I/O "
				  "error; nothing was stored (tell the "
				  "administrator: the server's disk may be "
				  "failing)"),
				what);
	case EACCES:
	case EPERM:
	case EROFS:
		return core_err(c, CORE_EIO, field,
				_("could not save %s: the data directory may "
				  "not be written (check its permissions); "
				  "nothing was stored"),
				what);
	default:
		return core_err(c, CORE_EIO, field,
				_("could not save %s: %s; nothing was stored"),
				what, strerror(e));
	}
}

void
core_err_clear(struct core *c)
{
	c->errmsg[0] = '\0';
	c->errfield[0] = '\0';
}

const char *
core_errmsg(const struct core *c)
{
	return c ? c->errmsg : "";
}

const char *
core_errfield(const struct core *c)
{
	return c ? c->errfield : "";
}
