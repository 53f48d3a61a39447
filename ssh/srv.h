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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/*
 * Penalties for failed passwords (penalty.c): a score per source address,
 * per source and login, and per existing login; each failure adds one and
 * the score halves every halflife_s.  Past the free failures the next
 * password check from there waits base_ms, then twice as long per further
 * failure, at most max_ms (the existing login's own share at most
 * login_max_ms).  A penalty slows; it never refuses a connection.
 */
struct srv_penalty_config {
	int free_source; /* failures from one address before any delay (4) */
	int free_pair;   /* ... for one login from one address (2) */
	int free_login;  /* ... for one existing login from anywhere (16) */
	int base_ms;     /* the first delay (250) */
	int max_ms;      /* the longest (10000) */
	int login_max_ms; /* the longest for the login alone (2000) */
	int halflife_s;  /* scores halve this often (300) */
};

/* What an auth_password callback found. */
enum srv_auth {
	SRV_AUTH_OK = 0,      /* the password is right, the account usable */
	SRV_AUTH_REFUSED = 1, /* wrong password, unknown, disabled... (one
			       * answer for all of them) */
	SRV_AUTH_ERROR = 2,   /* the check could not be made; msg says why */
};

struct srv_auth_result {
	/* the login names an existing account: only then may the login be
	 * written to a log (an unknown one may be a mistyped password) */
	bool known;
	char msg[256]; /* SRV_AUTH_ERROR, or a failed record: for the log */
};

/* Failed passwords since the last summary (srv_config.auth_summary). */
struct srv_auth_summary {
	int64_t from_ms, to_ms;   /* wall clock, milliseconds */
	unsigned long failures;   /* refused passwords */
	unsigned long sources;    /* distinct addresses */
	unsigned long unknown;    /* attempts at logins that do not exist */
	/* the sources and existing logins with the most failures */
	struct {
		char name[64];
		unsigned long n;
	} top_source[5], top_login[5];
	size_t n_top_source, n_top_login;
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
	/*
	 * Unauthenticated connections, globally (OpenSSH's MaxStartups
	 * start:rate:full): from startups_begin on, a new connection is
	 * dropped with probability startups_rate percent, rising linearly
	 * to 100 at max_startups.  startups_begin 0: a hard cap at
	 * max_startups.  Defaults 128:30:512 (a waiting connection costs
	 * little; the memory of password checks is bounded by
	 * password_checks, not by this).
	 */
	int startups_begin;
	int startups_rate;
	int max_startups;
	int per_source_max; /* unauthenticated connections per address (8) */
	int shutdown_grace_s; /* on SIGTERM, sessions get this long (10) */

	/*
	 * Called in the session process (after fork; open the database
	 * there).  Every call must do the same work whatever the login
	 * (known, unknown, disabled, malformed: login may be any bytes the
	 * client sent) and fill in res.  Returns an enum srv_auth.
	 */
	int (*auth_password)(void *ctx, const char *login,
			     const char *password, const char *peer,
			     struct srv_auth_result *res);
	/*
	 * Session events for the record: "login" (after a successful check
	 * and the per-user cap), "logout".  0, or non-zero with msg filled
	 * in when the event could not be recorded: a login that cannot be
	 * recorded is not served (the client is told why).
	 */
	int (*session_event)(void *ctx, const char *login, const char *event,
			     const char *detail, char *msg, size_t msglen);
	/*
	 * Called at most every failure_summary_s (and once at shutdown)
	 * when passwords were refused since the last call, in a short-lived
	 * child of the listener, so the signed log holds one entry per
	 * period, not one per attempt.  NULL: no summary.
	 */
	void (*auth_summary)(void *ctx, const struct srv_auth_summary *s);
	int failure_summary_s; /* default 3600 */
	/* Called once the socket listens, with the real port. */
	void (*on_listening)(void *ctx, const char *addr, int port);
	void *ctx;

	/* Added by ssh/ (defaults set by srv_config_defaults): */
	int max_sessions;  /* connection processes in all (default 1000);
			    * each authenticated one holds a pty */
	int per_user_max;  /* sessions of one login at once (default 4) */
	int max_session_s; /* absolute session length, then the UI is hung
			    * up like a dropped line (0 = no limit; default
			    * 43200, twelve hours) */
	int idle_s;        /* no input from the client this long: hang up
			    * (0 = never, the default; the UI's own idle
			    * logout, which keeps a draft, comes first) */
	int password_checks; /* password checks at once (default: the
			      * number of CPUs); each holds 64 MiB */
	struct srv_penalty_config penalty;

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
