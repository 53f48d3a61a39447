/*
 * ssh/: the SSH front door (libssh 0.10).  A listener that forks one
 * session process per connection; the session process authenticates,
 * accepts one session channel with pty-req + shell, and execs the TUI
 * (`nomdesk tui --as LOGIN`) on a pty slave, pumping bytes between the
 * channel and the pty master.  ssh/ knows no curses and no SQL: what it
 * needs from the domain (password checks, session records) it gets through
 * the callbacks below, which cli/ implements over core/.
 */
#ifndef NOMDESK_SRV_H
#define NOMDESK_SRV_H

#include <stddef.h>

struct srv_config {
	const char *listen_addr; /* "127.0.0.1" */
	int port;                /* 0 = pick a free port */
	const char *hostkey_path;
	const char *exe;         /* the nomdesk binary to exec for the UI */
	const char *data_dir;    /* passed to the UI as --data */
	/* extra environment for the UI ("NAME=value"), NULL-terminated; the
	 * UI otherwise gets only TERM, LANG, HOME, PATH and LOGNAME */
	const char *const *ui_env;

	int kex_timeout_s;  /* key exchange deadline (default 10) */
	int grace_s;        /* KEX + auth + shell deadline (default 30) */
	int max_auth_tries; /* per connection (default 6) */
	int max_startups;   /* unauthenticated connections, global (64) */
	int per_source_max; /* unauthenticated connections per address (8) */
	int shutdown_grace_s; /* on SIGTERM, sessions get this long (10) */

	/*
	 * Called in the session process (after fork; open the database
	 * there).  Return 0 to accept the password, non-zero to refuse.
	 */
	int (*auth_password)(void *ctx, const char *login,
			     const char *password, const char *peer);
	/* Session events for the record: "login", "logout", "refused"... */
	void (*session_event)(void *ctx, const char *login, const char *event,
			      const char *detail);
	/* Called once the socket listens, with the real port. */
	void (*on_listening)(void *ctx, const char *addr, int port);
	void *ctx;

	/* Added by ssh/ (defaults set by srv_config_defaults): */
	int max_sessions;  /* connection processes in all (default 1000);
			    * each authenticated one holds a pty */
	int max_session_s; /* absolute session length, then the UI is hung
			    * up like a dropped line (0 = no limit, default) */
};

/* Sets the defaults above into cfg (pointers NULL). */
void srv_config_defaults(struct srv_config *cfg);

/* Creates an Ed25519 host key file (0600); refuses to overwrite. */
int srv_hostkey_create(const char *path, char *err, size_t errlen);

/*
 * Listens and serves until SIGTERM or SIGINT; then stops accepting, lets
 * sessions end within shutdown_grace_s, hangs up the rest, and returns 0.
 * -1 with err on a setup failure (bad address, port in use, host key).
 */
int srv_run(const struct srv_config *cfg, char *err, size_t errlen);

#endif
