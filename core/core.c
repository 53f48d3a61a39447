/*
 * The core handle: opening a data directory, creating one, the acting
 * user and the clock.  SQLite is opened per process (after any fork).
 */
#include <errno.h>
#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/core_int.h"
#include "core/i18n.h"

static int64_t
clock_real(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
core_set_clock(struct core *c, int64_t (*now_ms)(void *ctx), void *ctx)
{
	c->now_ms = now_ms ? now_ms : clock_real;
	c->now_ctx = ctx;
}

int64_t
core_now_ms(const struct core *c)
{
	return c->now_ms(c->now_ctx);
}

struct core *
core_alloc(void)
{
	struct core *c = calloc(1, sizeof(*c));

	if (c) {
		core_set_clock(c, NULL, NULL);
	}
	return c;
}

int
core_alloc_for(struct core **out, const char *data_dir, char *err,
	       size_t errlen)
{
	*out = NULL;
	if (sodium_init() < 0) {
		snprintf(err, errlen, "cannot initialise libsodium");
		return CORE_EINTERNAL;
	}
	if (!(*out = core_alloc())) {
		snprintf(err, errlen, "out of memory");
		return CORE_EINTERNAL;
	}
	snprintf((*out)->dir, sizeof((*out)->dir), "%s", data_dir);
	return 0;
}

int
core_open(struct core **out, const char *data_dir, char *err, size_t errlen)
{
	struct core *c = NULL;
	char path[PATH_MAX + 32];
	struct stat sb;
	int r = CORE_EINTERNAL;

	*out = NULL;
	if ((r = core_alloc_for(&c, data_dir, err, errlen)) != 0) {
		return r;
	}
	snprintf(path, sizeof(path), "%s/nomdesk.db", data_dir);
	if (stat(path, &sb) != 0) {
		snprintf(err, errlen,
			 "no data directory at '%s' (create one with "
			 "`nomdesk init`)",
			 data_dir);
		r = CORE_ENOENT;
		goto out;
	}
	if ((r = db_open(c, path, 0, err, errlen)) != 0) {
		goto out;
	}
	if ((r = db_migrate(c, err, errlen)) != 0) {
		goto out;
	}
	if ((r = audit_load(c)) != 0) {
		snprintf(err, errlen, "%s", c->errmsg);
		goto out;
	}
	/* Before anything is signed: the key file must be the log's. */
	if ((r = logkey_open(c, err, errlen)) != 0) {
		goto out;
	}
	*out = c;
	c = NULL; /* transferred */
	r = 0;
out:
	core_close(c);
	return r;
}

void
core_close(struct core *c)
{
	if (!c) {
		return;
	}
	core_key_lock(c); /* wipes any unlocked signing key */
	tx_rollback(c);
	if (c->db) {
		sqlite3_close_v2(c->db);
	}
	db_ro_release(c); /* a read-only open's snapshot, if any */
	signer_free(c->logkey);
	free(c);
}

static int
load_user(struct core *c, const char *login, struct core_user *u,
	  int64_t *gen, int *disabled)
{
	sqlite3_stmt *st = NULL;
	int r;

	if ((r = db_row(c, &st,
	                "SELECT u.id, u.login, u.name, u.role, u.unit, "
	                "un.name, u.lang, u.gen, u.disabled FROM user u "
	                "JOIN unit un ON un.code = u.unit "
	                "WHERE u.login = ?1",
	                "t", login)) < 0) {
		return r;
	}
	if (r == 0) {
		return core_err(c, CORE_ENOENT, "login",
				_("login: no user '%s'"), login);
	}
	r = 0;
	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(st, 0);
	db_copy(u->login, sizeof(u->login), st, 1);
	db_copy(u->name, sizeof(u->name), st, 2);
	if (core_role_parse(db_text(st, 3), &u->role) != 0) {
		r = core_err(c, CORE_ECORRUPT, NULL, "bad role");
	}
	db_copy(u->unit, sizeof(u->unit), st, 4);
	db_copy(u->unit_name, sizeof(u->unit_name), st, 5);
	db_copy(u->lang, sizeof(u->lang), st, 6);
	*gen = sqlite3_column_int64(st, 7);
	*disabled = sqlite3_column_int(st, 8);
	sqlite3_finalize(st);
	return r;
}

int
core_act_as(struct core *c, const char *login)
{
	struct core_user u;
	int64_t gen = 0;
	int r, disabled = 0;

	core_err_clear(c);
	if (!login || valid_login(c, "login", login) != 0) {
		return core_err(c, CORE_ENOENT, "login",
				_("login: no user '%s'"), login ? login : "");
	}
	if ((r = load_user(c, login, &u, &gen, &disabled)) != 0) {
		return r;
	}
	if (disabled) {
		return core_err(c, CORE_EACCOUNT, "login",
				_("login: the account '%s' is disabled"),
				login);
	}
	c->actor = u;
	c->actor_gen = gen;
	c->has_actor = 1;
	c->is_system = 0;
	return 0;
}

int
core_session_check(struct core *c)
{
	sqlite3_stmt *st = NULL;
	int r, ok = 0;

	if (!c->has_actor) {
		return 0; /* the console acts as itself */
	}
	if ((r = db_row(c, &st, "SELECT gen, disabled FROM user WHERE id = ?1",
	                "i", c->actor.id)) < 0) {
		return r;
	}
	if (r == 1) {
		ok = sqlite3_column_int64(st, 0) == c->actor_gen &&
		     sqlite3_column_int(st, 1) == 0;
	}
	sqlite3_finalize(st);
	if (!ok) {
		c->account_gone = 1;
		return core_err(c, CORE_EACCOUNT, NULL,
				_("your account was changed by an "
				  "administrator (disabled, a new role or "
				  "unit, or a new password) since you logged "
				  "in; log in again"));
	}
	return 0;
}

int
core_act_as_system(struct core *c, const char *os_user)
{
	(void)os_user;
	memset(&c->actor, 0, sizeof(c->actor));
	c->has_actor = 0;
	c->is_system = 1;
	return 0;
}

int
core_account_gone(const struct core *c)
{
	return c->account_gone;
}

const struct core_user *
core_actor(const struct core *c)
{
	return c->has_actor ? &c->actor : NULL;
}
