/*
 * ssh/: the SSH front door (libssh 0.10).  A listener that forks one
 * session process per connection; the session process authenticates,
 * accepts one session channel with pty-req + shell, and execs the TUI
 * (`nomdesk tui --as LOGIN`) on a pty slave, pumping bytes between the
 * channel and the pty master.  Instead of a shell, a channel may carry one
 * exec request from a short allow-list (see struct srv_exec_spec), run
 * without a pty.  ssh/ knows no curses and no SQL: what it needs from the
 * domain (password checks, session records, which commands exist) it gets
 * through the callbacks below, which cli/ implements over core/.
 */
#ifndef NOMDESK_SRV_H
#define NOMDESK_SRV_H

#include <stddef.h>

/*
 * Exec requests (`ssh host COMMAND`).  No shell is ever involved and the
 * client's words never reach an argv directly:
 *  1. ssh/ refuses by itself a command longer than SRV_EXEC_CMD_MAX bytes
 *     or holding a byte outside [A-Za-z0-9 ._-] (so no shell
 *     metacharacter, quote, control character or non-ASCII byte gets
 *     further);
 *  2. cfg->exec_allowed (NULL: every exec is refused) decides, and fills
 *     in the command as words of its own;
 *  3. ssh/ checks each word against [A-Za-z0-9._-]{1,SRV_EXEC_WORD_MAX-1}
 *     and execs, without a pty, in a new session of its own, with the
 *     UI's minimal environment (no TERM) and stdin, stdout and stderr on
 *     pipes pumped to the channel,
 *         exe --data DIR ssh-exec --as LOGIN -- WORD...
 *     where LOGIN is the authenticated one; `ssh-exec` checks the words
 *     again itself.
 * The client's EOF closes the command's stdin; its exit status (or
 * signal) goes back to the client, then EOF and close.  Refusals are
 * logged with the command escaped and answered with one line on stderr
 * and a failed request, exactly as before there were any commands.
 */
#define SRV_EXEC_CMD_MAX 128
#define SRV_EXEC_WORDS 4
#define SRV_EXEC_WORD_MAX 32

struct srv_exec_spec {
	/* the command as the server runs it; "" after the last word */
	char word[SRV_EXEC_WORDS][SRV_EXEC_WORD_MAX];
	/* client input passed to stdin; one byte more and the command is
	 * killed before it sees EOF, and the client gets a line on stderr
	 * and exit status 1.  0: stdin is /dev/null. */
	size_t max_in;
	/* stdout + stderr passed to the client, the same way (0: 1 MiB) */
	size_t max_out;
	/* run time, then the command is hung up like a UI (0: 60 s) */
	int max_s;
};

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

	/*
	 * Exec requests (see above).  Called in the session process for an
	 * authenticated login with the command as the client sent it (after
	 * step 1).  Return 0 with spec filled in (it arrives zeroed) to run
	 * it, non-zero to refuse.  No database is needed to decide.
	 */
	int (*exec_allowed)(void *ctx, const char *login, const char *cmd,
			    struct srv_exec_spec *spec);
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
