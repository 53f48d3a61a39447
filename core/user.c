/*
 * Accounts and password logins.  Passwords are Argon2id hashes
 * (crypto_pwhash_argon2id_str, the algorithm named explicitly).  A check
 * does the same work for every login and writes nothing: there is no
 * account lockout (a guessable login would be a denial of service); the
 * SSH server slows repeated failures by source instead (ssh/penalty.c).
 * Successful logins and logouts are recorded; failures are summarised.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"

int
core_user_add(struct core *c, const struct core_user_new *u,
	      const char *password)
{
	char hash[crypto_pwhash_argon2id_STRBYTES];
	struct core_unit unit;
	sqlite3_stmt *st = NULL;
	const char *lang = u->lang ? u->lang : "zh_CN";
	int r, rc;

	core_err_clear(c);
	if ((r = authz_admin(c)) != 0) {
		return r;
	}
	if ((r = valid_login(c, "login", u->login)) != 0 ||
	    (r = valid_text(c, "name", u->name, 64, 0)) != 0) {
		return r;
	}
	if (!core_role_name(u->role)) {
		return core_err(c, CORE_EINVAL, "role", _("role: unknown"));
	}
	if (strcmp(lang, "zh_CN") != 0 && strcmp(lang, "en") != 0) {
		return core_err(c, CORE_EINVAL, "lang",
				_("language: must be zh_CN or en"));
	}
	if (!u->unit || core_unit_get(c, u->unit, &unit) != 0) {
		return core_err(c, CORE_EINVAL, "unit",
				_("Unit: no unit with code '%s' (see `nomdesk "
				  "unit list`)"),
				u->unit ? u->unit : "");
	}
	if (password) {
		if (strlen(password) < 8 || strlen(password) > 128) {
			return core_err(c, CORE_EINVAL, "password",
					_("password: must be 8 to 128 bytes"));
		}
		if (crypto_pwhash_argon2id_str(
			    hash, password, strlen(password),
			    crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
			    crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE) != 0) {
			return core_err(c, CORE_EINTERNAL, NULL,
					"out of memory hashing the password");
		}
	}
	if ((r = tx_begin(c)) != 0) {
		return r;
	}
	if ((r = db_query(c, &st,
	                  "INSERT INTO user (login, name, role, unit, lang, "
	                  "pwhash, created_ms) VALUES "
	                  "(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	                  "ttttt", u->login, u->name, core_role_name(u->role),
	                  u->unit, lang)) != 0) {
		goto fail;
	}
	if (password) {
		sqlite3_bind_text(st, 6, hash, -1, SQLITE_STATIC);
	}
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
	if ((r = audit_record(c, ACT_ADMIN, NULL, core_role_name(u->role),
	                      "user:%s", u->login)) != 0) {
		goto fail;
	}
	return tx_commit(c, NULL);
fail:
	tx_rollback(c);
	return r;
}

/*
 * The record of a session event (login, logout) in its own transaction.
 * Failed passwords are never recorded here: they go to the server's log,
 * aggregated, and into a periodic summary (core_auth_failure_summary), so
 * a password storm cannot grow the signed log.
 */
static int
note_session(struct core *c, const char *login, const char *what,
	     const char *detail)
{
	char reason[256];
	int r;

	if ((r = tx_begin(c)) != 0) {
		return r;
	}
	snprintf(reason, sizeof(reason), "%s from %s", what,
		 detail && *detail ? detail : "console");
	if ((r = audit_record(c, ACT_SESSION, NULL, reason, "user:%s",
	                      login)) != 0) {
		tx_rollback(c);
		return r;
	}
	return tx_commit(c, NULL);
}

int
core_auth_dummy(char out[CORE_PWHASH_LEN])
{
	unsigned char pw[32];
	char b64[64];
	int r = CORE_EINTERNAL;

	if (sodium_init() < 0) {
		return CORE_EINTERNAL;
	}
	/* a password nobody knows, hashed with the parameters of real ones,
	 * so a check against it costs what a real check costs */
	randombytes_buf(pw, sizeof(pw));
	sodium_bin2base64(b64, sizeof(b64), pw, sizeof(pw),
			  sodium_base64_VARIANT_ORIGINAL);
	if (crypto_pwhash_argon2id_str(
		    out, b64, strlen(b64),
		    crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
		    crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE) == 0) {
		r = 0;
	}
	sodium_memzero(pw, sizeof(pw));
	sodium_memzero(b64, sizeof(b64));
	return r;
}

unsigned long
core_auth_verifications(const struct core *c)
{
	return c->n_verify;
}

int
core_user_authenticate(struct core *c, const char *login,
		       const char *password, const char *dummy, int *known)
{
	sqlite3_stmt *st = NULL;
	char hash[crypto_pwhash_argon2id_STRBYTES] = "";
	int found = 0, disabled = 0, ok, r;
	size_t pwlen;

	core_err_clear(c);
	*known = 0;
	if (password == NULL) {
		password = "";
	}
	pwlen = strnlen(password, 4096);
	/* Only the lookup depends on the login; malformed logins look up
	 * nothing, like unknown ones. */
	if (login != NULL && valid_login(c, "login", login) == 0) {
		if ((r = db_query(c, &st,
		                  "SELECT pwhash, disabled FROM user "
		                  "WHERE login = ?1",
		                  "t", login)) != 0) {
			return r;
		}
		r = sqlite3_step(st);
		if (r == SQLITE_ROW) {
			found = 1;
			db_copy(hash, sizeof(hash), st, 0);
			disabled = sqlite3_column_int(st, 1);
		} else if (r != SQLITE_DONE) {
			r = core_err_sql(c, r);
			sqlite3_finalize(st);
			return r;
		}
		sqlite3_finalize(st);
		core_err_clear(c);
	}
	*known = found;
	/* One verification whatever the case: an account without a
	 * password, an unknown or malformed login all check against the
	 * server's dummy hash, a disabled account against its own. */
	c->n_verify++;
	if (hash[0] == '\0') {
		if (dummy == NULL || dummy[0] == '\0') {
			return core_err(c, CORE_EINTERNAL, NULL,
					"no dummy hash for unknown logins");
		}
		/* the result does not matter, only the work */
		int ignored = crypto_pwhash_argon2id_str_verify(
			dummy, password, pwlen);

		(void)ignored;
		ok = 0;
	} else {
		ok = crypto_pwhash_argon2id_str_verify(hash, password, pwlen) ==
		     0;
	}
	sodium_memzero(hash, sizeof(hash));
	if (!ok || disabled) {
		return core_err(c, CORE_EAUTH, NULL, _("login refused"));
	}
	return 0;
}

int
core_session_note(struct core *c, const char *login, const char *event,
		  const char *detail)
{
	char what[128];

	if (valid_login(c, "login", login) != 0) {
		return CORE_EINVAL;
	}
	snprintf(what, sizeof(what), "%s", event ? event : "event");
	return note_session(c, login, what, detail);
}

int
core_auth_failure_summary(struct core *c, const char *text)
{
	int r;

	core_err_clear(c);
	if ((r = valid_text(c, "summary", text, 1000, 0)) != 0) {
		return r;
	}
	if ((r = tx_begin(c)) != 0) {
		return r;
	}
	if ((r = audit_record(c, ACT_SESSION, NULL, text, "server")) != 0) {
		tx_rollback(c);
		return r;
	}
	return tx_commit(c, NULL);
}

int
core_user_set_disabled(struct core *c, const char *login, int disabled,
		       const char *reason, struct core_receipt *rc)
{
	char why[300];
	sqlite3_stmt *st = NULL;
	int r;

	core_err_clear(c);
	if ((r = authz_admin(c)) != 0) {
		return r;
	}
	if ((r = valid_login(c, "login", login)) != 0) {
		return r;
	}
	if (disabled &&
	    (reason == NULL || (r = valid_text(c, "reason", reason, 200, 0)) !=
					0 ||
	     reason[0] == '\0')) {
		return r != 0 && reason != NULL && reason[0] != '\0'
			       ? r
			       : core_err(c, CORE_EINVAL, "reason",
					  _("reason: required to disable an "
					    "account"));
	}
	if ((r = tx_begin(c)) != 0) {
		return r;
	}
	if ((r = db_exec(c,
	                 "UPDATE user SET disabled = ?2 WHERE login = ?1 "
	                 "AND disabled != ?2",
	                 "td", login, (int)(disabled ? 1 : 0))) != 0) {
		goto fail;
	}
	if (sqlite3_changes(c->db) == 0) {
		int exists = 0;

		exists = db_row(c, &st, "SELECT 1 FROM user WHERE login = ?1",
		                "t", login) == 1;
		sqlite3_finalize(st);
		tx_rollback(c);
		if (!exists) {
			return core_err(c, CORE_ENOENT, "login",
					_("login: no user '%s'"), login);
		}
		return core_err(c, CORE_ESTATE, "login",
				disabled ? _("login: '%s' is disabled already")
					 : _("login: '%s' is not disabled"),
				login);
	}
	snprintf(why, sizeof(why), "%s%s%s", disabled ? "disabled" : "enabled",
		 disabled ? ": " : "", disabled ? reason : "");
	if ((r = audit_record(c, ACT_ADMIN, NULL, why, "user:%s", login)) !=
	    0) {
		goto fail;
	}
	return tx_commit(c, rc);
fail:
	tx_rollback(c);
	return r;
}
