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
#include <getopt.h>
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

enum {
	OPT_LISTEN = 1,
	OPT_PER_SOURCE,
	OPT_STARTUPS,
	OPT_SESSIONS,
	OPT_PER_USER,
	OPT_SESSION_TIME,
	OPT_IDLE,
	OPT_CHECKS,
	OPT_PENALTY_HALFLIFE,
	OPT_PENALTY_MAX,
	OPT_SUMMARY,
};

static const struct option serve_opts[] = {
	{"listen", required_argument, NULL, OPT_LISTEN},
	{"per-source-max", required_argument, NULL, OPT_PER_SOURCE},
	{"max-startups", required_argument, NULL, OPT_STARTUPS},
	{"max-sessions", required_argument, NULL, OPT_SESSIONS},
	{"max-sessions-per-user", required_argument, NULL, OPT_PER_USER},
	{"max-session-time", required_argument, NULL, OPT_SESSION_TIME},
	{"idle-timeout", required_argument, NULL, OPT_IDLE},
	{"password-checks", required_argument, NULL, OPT_CHECKS},
	{"penalty-halflife", required_argument, NULL, OPT_PENALTY_HALFLIFE},
	{"penalty-max", required_argument, NULL, OPT_PENALTY_MAX},
	{"failure-summary", required_argument, NULL, OPT_SUMMARY},
	{NULL, 0, NULL, 0},
};

/* Applies one option to cfg; 0, or 1 after a line naming the rule. */
static int
serve_option(int ch, const char *arg, struct srv_config *cfg, char *addr,
	     size_t addrsz, int *idle)
{
	int v;

	switch (ch) {
	case OPT_LISTEN:
		if (parse_listen(arg, addr, addrsz, &cfg->port) != 0) {
			return cli_fail("serve: --listen takes ADDR:PORT, e.g. "
					"127.0.0.1:2222");
		}
		return 0;
	case OPT_PER_SOURCE:
		/* County offices behind one NAT address need more than the
		 * default 8 logins in progress at once. */
		if (parse_int(arg, 1, 1000, &cfg->per_source_max) != 0) {
			return cli_fail("serve: --per-source-max takes a "
					"number from 1 to 1000");
		}
		return 0;
	case OPT_STARTUPS:
		if (parse_startups(arg, cfg) != 0) {
			return cli_fail("serve: --max-startups takes FULL or "
					"BEGIN:RATE:FULL (e.g. 128:30:512; "
					"RATE a percentage)");
		}
		return 0;
	case OPT_SESSIONS:
		if (parse_int(arg, 1, 100000, &cfg->max_sessions) != 0) {
			return cli_fail("serve: --max-sessions takes a number "
					"from 1 to 100000");
		}
		return 0;
	case OPT_PER_USER:
		if (parse_int(arg, 1, 64, &cfg->per_user_max) != 0) {
			return cli_fail("serve: --max-sessions-per-user takes a "
					"number from 1 to 64");
		}
		return 0;
	case OPT_SESSION_TIME:
		if (parse_int(arg, 0, 7 * 86400, &cfg->max_session_s) != 0) {
			return cli_fail("serve: --max-session-time takes "
					"seconds from 0 (no limit) to 604800");
		}
		return 0;
	case OPT_IDLE:
		if (parse_int(arg, 60, 86400, idle) != 0) {
			return cli_fail("serve: --idle-timeout takes seconds "
					"from 60 to 86400");
		}
		return 0;
	case OPT_CHECKS:
		if (parse_int(arg, 1, 256, &cfg->password_checks) != 0) {
			return cli_fail("serve: --password-checks takes a "
					"number from 1 to 256 (each holds 64 "
					"MiB while it runs)");
		}
		return 0;
	case OPT_PENALTY_HALFLIFE:
		if (parse_int(arg, 1, 86400, &v) != 0) {
			return cli_fail("serve: --penalty-halflife takes "
					"seconds from 1 to 86400");
		}
		cfg->penalty.halflife_s = v;
		return 0;
	case OPT_PENALTY_MAX:
		if (parse_int(arg, 0, 25, &v) != 0) {
			return cli_fail("serve: --penalty-max takes seconds "
					"from 0 to 25");
		}
		cfg->penalty.max_ms = v == 0 ? 1 : v * 1000;
		return 0;
	case OPT_SUMMARY:
		if (parse_int(arg, 1, 86400, &cfg->failure_summary_s) != 0) {
			return cli_fail("serve: --failure-summary takes "
					"seconds from 1 to 86400");
		}
		return 0;
	default:
		return cli_fail("usage: nomdesk serve [--listen ADDR:PORT] "
				"[OPTION...] (see nomdesk(1))");
	}
}

int
cmd_serve(struct cli *cli, int argc, char **argv)
{
	static struct serve sv; /* inherited by every forked process */
	char addr[128] = "127.0.0.1", hostkey[PATH_MAX + 32], err[512];
	char data_dir[PATH_MAX];
	const char *ui_env[N_ENV + 2];
	char env_buf[N_ENV + 1][1024];
	struct srv_config cfg;
	struct core *c;
	size_t n_env = 0;
	int ch, idle = 0;

	srv_config_defaults(&cfg);
	cfg.port = 2222;
	while ((ch = getopt_long(argc, argv, "", serve_opts, NULL)) != -1) {
		if (serve_option(ch, optarg, &cfg, addr, sizeof(addr), &idle) !=
		    0) {
			return 1;
		}
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
