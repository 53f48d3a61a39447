/*
 * nomdesk serve [--listen ADDR:PORT]: the SSH server.  The domain side of
 * authentication lives here, over core/, so ssh/ needs no SQL: each
 * callback runs in the forked session process and opens the database
 * there (never across a fork).  So does the allow-list of exec requests
 * (the witness commands of cli/sshexec.h), which needs no database.
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

static int
auth_password(void *ctx, const char *login, const char *password,
	      const char *peer)
{
	const struct cli *cli = ctx;
	struct core *c = NULL;
	char err[512];
	int r;

	if (core_open(&c, cli->data_dir, err, sizeof(err)) != 0) {
		fprintf(stderr, "nomdesk: %s\n", err);
		return -1;
	}
	r = core_user_check_password(c, login, password, peer);
	core_close(c);
	return r == 0 ? 0 : -1;
}

static void
session_event(void *ctx, const char *login, const char *event,
	      const char *detail)
{
	const struct cli *cli = ctx;
	struct core *c = NULL;
	char err[512];

	if (core_open(&c, cli->data_dir, err, sizeof(err)) != 0)
		return;
	(void)core_session_note(c, login, event, detail);
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
	if (sshexec_parse(cmd, &x) != 0)
		return -1;
	snprintf(spec->word[0], sizeof(spec->word[0]), "%s",
		 sshexec_name(x.kind));
	if (x.kind == SSHEXEC_WITNESS_REQUEST)
		snprintf(spec->word[1], sizeof(spec->word[1]), "%llu",
			 (unsigned long long)x.size);
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

	if (!colon || colon == s || (size_t)(colon - s) >= addrsz)
		return -1;
	p = strtol(colon + 1, &end, 10);
	if (*end != '\0' || p < 0 || p > 65535 || colon[1] == '\0')
		return -1;
	memcpy(addr, s, (size_t)(colon - s));
	addr[colon - s] = '\0';
	*port = (int)p;
	return 0;
}

int
cmd_serve(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, NULL, 'l'},
		{"per-source-max", required_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	/* The server's own settings the UI needs (never the client's). */
	static const char *const pass_env[] = {
		"NOMDESK_LOCALEDIR", "NOMDESK_IDLE_S", "NOMDESK_KDF",
		"ASAN_OPTIONS",      "UBSAN_OPTIONS",  "LSAN_OPTIONS",
	};
	char addr[128] = "127.0.0.1", hostkey[PATH_MAX + 32], err[512];
	char data_dir[PATH_MAX];
	const char *ui_env[8];
	char env_buf[7][1024];
	struct srv_config cfg;
	struct core *c;
	size_t n_env = 0;
	int port = 2222, per_source = 0, ch;
	char *end;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'p') {
			/* County offices behind one NAT address need more
			 * than the default 8 logins in progress at once. */
			per_source = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || per_source < 1 || per_source > 1000)
				return cli_fail("serve: --per-source-max takes "
						"a number from 1 to 1000");
			continue;
		}
		if (ch != 'l' ||
		    parse_listen(optarg, addr, sizeof(addr), &port) != 0)
			return cli_fail("serve: --listen takes ADDR:PORT, e.g. "
					"127.0.0.1:2222");
	}
	/* Fail now, not at the first login, if the data dir is unusable. */
	if (!(c = cli_open(cli)))
		return 1;
	core_close(c);
	/* The UI is exec'd with --data; make it independent of its cwd. */
	if (!realpath(cli->data_dir, data_dir))
		return cli_fail("serve: cannot resolve '%s'", cli->data_dir);
	cli->data_dir = data_dir;

	for (size_t i = 0; i < sizeof(pass_env) / sizeof(pass_env[0]); i++) {
		const char *v = getenv(pass_env[i]);

		if (v && n_env < 7) {
			snprintf(env_buf[n_env], sizeof(env_buf[n_env]),
				 "%s=%s", pass_env[i], v);
			ui_env[n_env] = env_buf[n_env];
			n_env++;
		}
	}
	ui_env[n_env] = NULL;

	snprintf(hostkey, sizeof(hostkey), "%s/keys/ssh_host_ed25519_key",
		 cli->data_dir);
	srv_config_defaults(&cfg);
	cfg.listen_addr = addr;
	cfg.port = port;
	cfg.hostkey_path = hostkey;
	cfg.exe = cli->exe;
	cfg.data_dir = cli->data_dir;
	cfg.ui_env = ui_env;
	cfg.auth_password = auth_password;
	cfg.session_event = session_event;
	cfg.on_listening = on_listening;
	cfg.exec_allowed = exec_allowed;
	if (per_source > 0)
		cfg.per_source_max = per_source;
	cfg.ctx = cli;
	if (srv_run(&cfg, err, sizeof(err)) != 0)
		return cli_fail("serve: %s", err);
	return 0;
}
