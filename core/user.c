/*
 * Accounts and password logins.  Passwords are Argon2id hashes
 * (crypto_pwhash_argon2id_str, the algorithm named explicitly); failed
 * logins count towards a timed lockout; every outcome is audited.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"

#define LOCK_AFTER 5
#define LOCK_MS (15 * 60 * 1000)

int
core_user_add(struct core *c, const struct core_user_new *u,
	      const char *password)
{
	char hash[crypto_pwhash_argon2id_STRBYTES];
	char subj[64];
	struct core_unit unit;
	sqlite3_stmt *st = NULL;
	struct audit_act a;
	const char *lang = u->lang ? u->lang : "zh_CN";
	int r, rc;

	core_err_clear(c);
	if ((r = authz_admin(c)) != 0)
		return r;
	if ((r = valid_login(c, "login", u->login)) != 0 ||
	    (r = valid_text(c, "name", u->name, 64, 0)) != 0)
		return r;
	if (!core_role_name(u->role))
		return core_err(c, CORE_EINVAL, "role", _("role: unknown"));
	if (strcmp(lang, "zh_CN") != 0 && strcmp(lang, "en") != 0)
		return core_err(c, CORE_EINVAL, "lang",
				_("language: must be zh_CN or en"));
	if (!u->unit || core_unit_get(c, u->unit, &unit) != 0)
		return core_err(c, CORE_EINVAL, "unit",
				_("unit: no unit with code '%s' (see `nomdesk "
				  "unit list`)"),
				u->unit ? u->unit : "");
	if (password) {
		if (strlen(password) < 8 || strlen(password) > 128)
			return core_err(c, CORE_EINVAL, "password",
					_("password: must be 8 to 128 bytes"));
		if (crypto_pwhash_argon2id_str(
			    hash, password, strlen(password),
			    crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
			    crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE) != 0)
			return core_err(c, CORE_EINTERNAL, NULL,
					"out of memory hashing the password");
	}
	if ((r = tx_begin(c)) != 0)
		return r;
	if ((r = db_prepare(c, &st,
			    "INSERT INTO user (login, name, role, unit, lang, "
			    "pwhash, created_ms) VALUES "
			    "(?1, ?2, ?3, ?4, ?5, ?6, ?7)")) != 0)
		goto fail;
	sqlite3_bind_text(st, 1, u->login, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, u->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, core_role_name(u->role), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, u->unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, lang, -1, SQLITE_STATIC);
	if (password)
		sqlite3_bind_text(st, 6, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, core_now_ms(c));
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		r = core_err(c, CORE_EEXIST, "login",
			     _("login: '%s' already exists"), u->login);
		goto fail;
	}
	if (rc != SQLITE_DONE) {
		r = core_err_sql(c, rc);
		goto fail;
	}
	snprintf(subj, sizeof(subj), "user:%s", u->login);
	memset(&a, 0, sizeof(a));
	a.act = ACT_ADMIN;
	a.subject = subj;
	a.reason = core_role_name(u->role);
	if ((r = audit_append(c, &a, NULL)) != 0)
		goto fail;
	return tx_commit(c, NULL);
fail:
	tx_rollback(c);
	return r;
}

/* Audits a login outcome in its own transaction. */
static int
note_login(struct core *c, const char *login, const char *what,
	   const char *peer, int fail_delta, int lock)
{
	char subj[64], reason[160];
	sqlite3_stmt *st = NULL;
	struct audit_act a;
	int r, rc;

	if ((r = tx_begin(c)) != 0)
		return r;
	if (fail_delta != 0) {
		if ((r = db_prepare(
			     c, &st,
			     fail_delta > 0
				     ? "UPDATE user SET failed = failed + 1, "
				       "locked_until = CASE WHEN ?2 THEN ?3 "
				       "ELSE locked_until END WHERE login = ?1"
				     : "UPDATE user SET failed = 0, "
				       "locked_until = 0 WHERE login = ?1")) != 0)
			goto fail;
		sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, lock);
		sqlite3_bind_int64(st, 3, core_now_ms(c) + LOCK_MS);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			r = core_err_sql(c, rc);
			goto fail;
		}
	}
	snprintf(subj, sizeof(subj), "user:%s", login);
	snprintf(reason, sizeof(reason), "%s from %s", what,
		 peer && *peer ? peer : "console");
	memset(&a, 0, sizeof(a));
	a.act = ACT_SESSION;
	a.subject = subj;
	a.reason = reason;
	if ((r = audit_append(c, &a, NULL)) != 0)
		goto fail;
	return tx_commit(c, NULL);
fail:
	tx_rollback(c);
	return r;
}

int
core_user_check_password(struct core *c, const char *login,
			 const char *password, const char *peer)
{
	/* A fixed hash to verify against when the login is unknown, so the
	 * time taken does not tell which logins exist. */
	static char dummy[crypto_pwhash_argon2id_STRBYTES];
	sqlite3_stmt *st = NULL;
	char hash[crypto_pwhash_argon2id_STRBYTES] = "";
	int64_t locked_until = 0;
	int failed = 0, known = 0, ok, r;

	core_err_clear(c);
	if (valid_login(c, "login", login) != 0 || !password)
		return core_err(c, CORE_EAUTH, NULL, _("login refused"));
	if ((r = db_prepare(c, &st,
			    "SELECT pwhash, failed, locked_until FROM user "
			    "WHERE login = ?1")) != 0)
		return r;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		known = 1;
		db_copy(hash, sizeof(hash), st, 0);
		failed = sqlite3_column_int(st, 1);
		locked_until = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (!known || hash[0] == '\0') {
		if (dummy[0] == '\0' &&
		    crypto_pwhash_argon2id_str(
			    dummy, "nomdesk", 7,
			    crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
			    crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE) != 0)
			return core_err(c, CORE_EINTERNAL, NULL,
					"out of memory");
		ok = crypto_pwhash_argon2id_str_verify(dummy, password,
						       strlen(password));
		(void)ok; /* only the time it takes matters */
		if (known)
			note_login(c, login, "login refused (no password set)",
				   peer, 0, 0);
		return core_err(c, CORE_EAUTH, NULL, _("login refused"));
	}
	if (locked_until > core_now_ms(c)) {
		note_login(c, login, "login refused (account locked)", peer, 0,
			   0);
		return core_err(c, CORE_EAUTH, NULL, _("login refused"));
	}
	ok = crypto_pwhash_argon2id_str_verify(hash, password,
					       strlen(password)) == 0;
	if (!ok) {
		note_login(c, login, "login failed (wrong password)", peer, 1,
			   failed + 1 >= LOCK_AFTER);
		return core_err(c, CORE_EAUTH, NULL, _("login refused"));
	}
	return note_login(c, login, "login", peer, failed ? -1 : 0, 0);
}

int
core_session_note(struct core *c, const char *login, const char *event,
		  const char *detail)
{
	char what[128];

	if (valid_login(c, "login", login) != 0)
		return CORE_EINVAL;
	snprintf(what, sizeof(what), "%s", event ? event : "event");
	return note_login(c, login, what, detail, 0, 0);
}
