/*
 * nomdesk serve: the SSH server.  The domain side of authentication
 * lives here, over core/, so ssh/ needs no SQL: each callback runs in a
 * process the listener forked and opens the database there (never
 * across a fork).  So does the allow-list of exec requests (the witness
 * commands of cli/sshexec.h), which needs no database.
 *
 * The dummy password hash for unknown logins is made once, here, before
 * the listener forks anything: every session process inherits the same
 * one, so checking an unknown login costs exactly what a known one
 * costs, and no process makes its own.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/sshexec.h"
#include "core/core.h"
#include "ssh/srv.h"

/* Bounds of a witness command: a request or a checkpoint is a few KiB. */
#define EXEC_MAX_OUT (256u << 10)
#define EXEC_MAX_S 60

struct serve {
	struct cli *cli;
	char dummy[CORE_PWHASH_LEN];
};

static int
auth_password(void *ctx, const char *login, const char *password,
	      const char *peer, struct srv_auth_result *res)
{
	struct serve *sv = ctx;
	struct core *c = NULL;
	char err[512];
	int r, known = 0;

	(void)peer;
	if (core_open(&c, sv->cli->data_dir, err, sizeof(err)) != 0) {
		snprintf(res->msg, sizeof(res->msg), "%.200s", err);
		return SRV_AUTH_ERROR;
	}
	r = core_user_authenticate(c, login, password, sv->dummy, &known);
	res->known = known != 0;
	if (r != 0 && r != CORE_EAUTH) {
		snprintf(res->msg, sizeof(res->msg), "%s", core_errmsg(c));
	}
	core_close(c);
	return r == 0 ? SRV_AUTH_OK
		      : r == CORE_EAUTH ? SRV_AUTH_REFUSED : SRV_AUTH_ERROR;
}

static int
session_event(void *ctx, const char *login, const char *event,
	      const char *detail, char *msg, size_t msglen)
{
	struct serve *sv = ctx;
	struct core *c = NULL;
	char err[512];
	int r;

	if (core_open(&c, sv->cli->data_dir, err, sizeof(err)) != 0) {
		snprintf(msg, msglen, "%s", err);
		return -1;
	}
	r = core_session_note(c, login, event, detail);
	if (r != 0) {
		snprintf(msg, msglen, "%s", core_errmsg(c)[0]
						    ? core_errmsg(c)
						    : core_strerror(r));
	}
	core_close(c);
	return r == 0 ? 0 : -1;
}

/* srv_config.auth_summary: one entry for a period's refused passwords,
 * naming sources and existing logins only. */
static void
auth_summary(void *ctx, const struct srv_auth_summary *s)
{
	struct serve *sv = ctx;
	struct core *c = NULL;
	char text[1000], err[512];
	size_t o = 0;
	int k;

	k = snprintf(text, sizeof(text),
		     "refused passwords: %lu from %lu source(s) in %lld min; "
		     "%lu for logins that do not exist",
		     s->failures, s->sources,
		     (long long)((s->to_ms - s->from_ms + 59999) / 60000),
		     s->unknown);
	o = k > 0 ? (size_t)k : 0;
	for (size_t i = 0; i < s->n_top_source && o < sizeof(text); i++) {
		k = snprintf(text + o, sizeof(text) - o, "%s%s %lu",
			     i == 0 ? "; most from: " : ", ",
			     s->top_source[i].name, s->top_source[i].n);
		o += k > 0 ? (size_t)k : 0;
	}
	for (size_t i = 0; i < s->n_top_login && o < sizeof(text); i++) {
		k = snprintf(text + o, sizeof(text) - o, "%s%s %lu",
			     i == 0 ? "; accounts tried: " : ", ",
			     s->top_login[i].name, s->top_login[i].n);
		o += k > 0 ? (size_t)k : 0;
	}
	if (core_open(&c, sv->cli->data_dir, err, sizeof(err)) != 0) {
		fprintf(stderr, "nomdesk: failure summary not recorded: %s\n",
			err);
		return;
	}
	if (core_auth_failure_summary(c, text) != 0) {
		fprintf(stderr, "nomdesk: failure summary not recorded: %s\n",
			core_errmsg(c));
	}
	core_close(c);
}

/*
 * srv_config.exec_allowed: exactly the commands of cli/sshexec.h, for any
 * authenticated login.  The words handed back are printed from the parsed
 * command, so the server runs our text, not the client's.
 */
static int
exec_allowed(void *ctx, const char *login, const char *cmd,
	     struct srv_exec_spec *spec)
{
	struct sshexec_cmd x;

	(void)ctx;
	(void)login;
	if (sshexec_parse(cmd, &x) != 0) {
		return -1;
	}
	snprintf(spec->word[0], sizeof(spec->word[0]), "%s",
		 sshexec_name(x.kind));
	if (x.kind == SSHEXEC_WITNESS_REQUEST) {
		snprintf(spec->word[1], sizeof(spec->word[1]), "%llu",
			 (unsigned long long)x.size);
	}
	spec->max_in = x.kind == SSHEXEC_WITNESS_SUBMIT ? SSHEXEC_SUBMIT_MAX
							: 0;
	spec->max_out = EXEC_MAX_OUT;
	spec->max_s = EXEC_MAX_S;
	return 0;
}

static void
on_listening(void *ctx, const char *addr, int port)
{
	(void)ctx;
	printf("listening on %s:%d\n", addr, port);
	fflush(stdout);
}

static int
parse_listen(const char *s, char *addr, size_t addrsz, int *port)
{
	const char *colon = strrchr(s, ':');
	char *end;
	long p;

	if (!colon || colon == s || (size_t)(colon - s) >= addrsz) {
		return -1;
	}
	p = strtol(colon + 1, &end, 10);
	if (*end != '\0' || p < 0 || p > 65535 || colon[1] == '\0') {
		return -1;
	}
	memcpy(addr, s, (size_t)(colon - s));
	addr[colon - s] = '\0';
	*port = (int)p;
	return 0;
}

/* A whole number in [lo, hi]; 0 and *out, or -1. */
static int
parse_int(const char *s, long lo, long hi, int *out)
{
	char *end;
	long v;

	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* OpenSSH's MaxStartups: FULL, or BEGIN:RATE:FULL. */
static int
parse_startups(const char *s, struct srv_config *cfg)
{
	int b, r, f;
	char extra;

	if (sscanf(s, "%d:%d:%d%c", &b, &r, &f, &extra) == 3) {
		if (b < 1 || f < b || f > 100000 || r < 0 || r > 100) {
			return -1;
		}
		cfg->startups_begin = b;
		cfg->startups_rate = r;
		cfg->max_startups = f;
		return 0;
	}
	if (parse_int(s, 1, 100000, &f) != 0) {
		return -1;
	}
	cfg->startups_begin = 0; /* a hard cap */
	cfg->max_startups = f;
	return 0;
}

/* The server's own settings the UI needs (never the client's). */
static const char *const pass_env[] = {
	"NOMDESK_LOCALEDIR", "NOMDESK_IDLE_S", "NOMDESK_KDF",
	"NOMDESK_ACCOUNT_CHECK_S", "ASAN_OPTIONS", "UBSAN_OPTIONS",
	"LSAN_OPTIONS",
};
#define N_ENV (sizeof(pass_env) / sizeof(pass_env[0]))

/* Strings, checked by serve_config: each refusal names its range. */
struct serve_opts {
	const char *listen, *per_source, *startups, *sessions, *per_user;
	const char *session_time, *idle, *checks, *halflife, *penalty_max;
	const char *summary;
};

#define SERVE_OPT(n, f, a, h) OPT_STRING(n, 0, struct serve_opts, f, a, h)

static const struct opt serve_opts[] = {
	SERVE_OPT("listen", listen, "ADDR:PORT",
		  "where to listen (default 127.0.0.1:2222)"),
	SERVE_OPT("per-source-max", per_source, "N",
		  "logins in progress from one address (default 8)"),
	SERVE_OPT("max-startups", startups, "B:R:F",
		  "logins in progress in all (OpenSSH's MaxStartups)"),
	SERVE_OPT("max-sessions", sessions, "N", "sessions at once"),
	SERVE_OPT("max-sessions-per-user", per_user, "N",
		  "sessions of one login at once (default 4)"),
	SERVE_OPT("max-session-time", session_time, "S",
		  "a session's longest life (0: no limit)"),
	SERVE_OPT("idle-timeout", idle, "S", "idle logout of the UI"),
	SERVE_OPT("password-checks", checks, "N",
		  "password checks at once (64 MiB each)"),
	SERVE_OPT("penalty-halflife", halflife, "S",
		  "how fast a source's failures are forgiven"),
	SERVE_OPT("penalty-max", penalty_max, "S",
		  "the longest wait a source's failures earn"),
	SERVE_OPT("failure-summary", summary, "S",
		  "how often refused logins are summarised in the log"),
	OPT_END(),
};

/* A whole number in [lo, hi] from option v (if given) into *out; 0, or
 * 1 after "serve: --NAME takes RULE". */
static int
serve_int(const char *v, long lo, long hi, int *out, const char *name,
	  const char *rule)
{
	if (v && parse_int(v, lo, hi, out) != 0) {
		return cli_fail("serve: --%s takes %s", name, rule);
	}
	return 0;
}

/* The penalty options, in core's units; 0, or 1 after one line. */
static int
serve_penalty(const struct serve_opts *o, struct srv_config *cfg)
{
	int v;

	if (o->halflife) {
		if (parse_int(o->halflife, 1, 86400, &v) != 0) {
			return cli_fail("serve: --penalty-halflife takes "
					"seconds from 1 to 86400");
		}
		cfg->penalty.halflife_s = v;
	}
	if (o->penalty_max) {
		if (parse_int(o->penalty_max, 0, 25, &v) != 0) {
			return cli_fail("serve: --penalty-max takes seconds "
					"from 0 to 25");
		}
		cfg->penalty.max_ms = v == 0 ? 1 : v * 1000;
	}
	return 0;
}

/* Applies the options to cfg; 0, or 1 after a line naming the rule. */
static int
serve_config(const struct serve_opts *o, struct srv_config *cfg, char *addr,
	     size_t addrsz, int *idle)
{
	int r;

	if (o->listen && parse_listen(o->listen, addr, addrsz, &cfg->port)) {
		return cli_fail("serve: --listen takes ADDR:PORT, e.g. "
				"127.0.0.1:2222");
	}
	if (o->startups && parse_startups(o->startups, cfg) != 0) {
		return cli_fail("serve: --max-startups takes FULL or "
				"BEGIN:RATE:FULL (e.g. 128:30:512; RATE a "
				"percentage)");
	}
	/* County offices behind one NAT address need more than the
	 * default 8 logins in progress at once. */
	if ((r = serve_int(o->per_source, 1, 1000, &cfg->per_source_max,
			   "per-source-max", "a number from 1 to 1000")) ||
	    (r = serve_int(o->sessions, 1, 100000, &cfg->max_sessions,
			   "max-sessions", "a number from 1 to 100000")) ||
	    (r = serve_int(o->per_user, 1, 64, &cfg->per_user_max,
			   "max-sessions-per-user",
			   "a number from 1 to 64")) ||
	    (r = serve_int(o->session_time, 0, 7 * 86400, &cfg->max_session_s,
			   "max-session-time",
			   "seconds from 0 (no limit) to 604800")) ||
	    (r = serve_int(o->idle, 60, 86400, idle, "idle-timeout",
			   "seconds from 60 to 86400")) ||
	    (r = serve_int(o->checks, 1, 256, &cfg->password_checks,
			   "password-checks",
			   "a number from 1 to 256 (each holds 64 MiB while "
			   "it runs)")) ||
	    (r = serve_int(o->summary, 1, 86400, &cfg->failure_summary_s,
			   "failure-summary", "seconds from 1 to 86400"))) {
		return r;
	}
	return serve_penalty(o, cfg);
}

/*
 * Opens the data directory itself, only to check it, and closes it: the
 * server forks a process per connection, none of which may inherit a
 * database handle.
 */
static int
serve_run(struct cli_run *run)
{
	struct cli *cli = run->cli;
	static struct serve sv; /* inherited by every forked process */
	char addr[128] = "127.0.0.1", hostkey[PATH_MAX + 32], err[512];
	char data_dir[PATH_MAX];
	const char *ui_env[N_ENV + 2];
	char env_buf[N_ENV + 1][1024];
	struct srv_config cfg;
	struct core *c;
	size_t n_env = 0;
	int idle = 0;

	srv_config_defaults(&cfg);
	cfg.port = 2222;
	if (serve_config(run->opts, &cfg, addr, sizeof(addr), &idle) != 0) {
		return 1;
	}
	/* Fail now, not at the first login, if the data dir is unusable. */
	if (!(c = cli_open(cli))) {
		return 1;
	}
	core_close(c);
	/* The UI is exec'd with --data; make it independent of its cwd. */
	if (!realpath(cli->data_dir, data_dir)) {
		return cli_fail("serve: cannot resolve '%s'", cli->data_dir);
	}
	cli->data_dir = data_dir;
	sv.cli = cli;
	if (core_auth_dummy(sv.dummy) != 0) {
		return cli_fail("serve: cannot make the password-check hash "
				"(out of memory?)");
	}

	for (size_t i = 0; i < N_ENV; i++) {
		const char *v = getenv(pass_env[i]);

		/* --idle-timeout is the UI's idle logout (it keeps a
		 * draft); the server's own backstop comes a minute later */
		if (idle > 0 && strcmp(pass_env[i], "NOMDESK_IDLE_S") == 0) {
			continue;
		}
		if (v) {
			snprintf(env_buf[n_env], sizeof(env_buf[n_env]),
				 "%s=%s", pass_env[i], v);
			ui_env[n_env] = env_buf[n_env];
			n_env++;
		}
	}
	if (idle > 0) {
		snprintf(env_buf[n_env], sizeof(env_buf[n_env]),
			 "NOMDESK_IDLE_S=%d", idle);
		ui_env[n_env] = env_buf[n_env];
		n_env++;
		cfg.idle_s = idle + 60;
	}
	ui_env[n_env] = NULL;

	snprintf(hostkey, sizeof(hostkey), "%s/keys/ssh_host_ed25519_key",
		 cli->data_dir);
	cfg.listen_addr = addr;
	cfg.hostkey_path = hostkey;
	cfg.exe = cli->exe;
	cfg.data_dir = cli->data_dir;
	cfg.ui_env = ui_env;
	cfg.auth_password = auth_password;
	cfg.session_event = session_event;
	cfg.auth_summary = auth_summary;
	cfg.on_listening = on_listening;
	cfg.exec_allowed = exec_allowed;
	cfg.ctx = &sv;
	if (srv_run(&cfg, err, sizeof(err)) != 0) {
		return cli_fail("serve: %s", err);
	}
	return 0;
}

const struct cli_cmd cli_cmd_serve = {
	.name = "serve",
	.opts = CLI_OPTS(serve_opts, struct serve_opts),
	.run = serve_run,
	.help = "serve the TUI over SSH",
};
