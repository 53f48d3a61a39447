/*
 * stubsrv: the ssh/ layer as a test server, and TCP helpers (stubsrv.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ssh/srv.h"
#include "tests/lib/runner.h"
#include "tests/lib/stubsrv.h"


static int
env_int(const char *name, int dflt)
{
	const char *v = getenv(name);

	return v != NULL && *v ? atoi(v) : dflt;
}

/* A login is known when it has the shape of one and does not start with
 * "unknown"; its password is "pw-LOGIN". */
static int
srv_auth(void *ctx, const char *login, const char *password,
	 const char *peer, struct srv_auth_result *res)
{
	char want[80];
	bool shape = login[0] != '\0' && strlen(login) <= 32 &&
		     strspn(login, "abcdefghijklmnopqrstuvwxyz0123456789._-") ==
			     strlen(login);

	(void)ctx;
	(void)peer;
	res->known = shape && strncmp(login, "unknown", 7) != 0;
	snprintf(want, sizeof(want), "pw-%s", login);
	return res->known && strcmp(password, want) == 0 ? SRV_AUTH_OK
							 : SRV_AUTH_REFUSED;
}

static int
srv_event(void *ctx, const char *login, const char *event, const char *detail,
	  char *msg, size_t msglen)
{
	(void)ctx;
	if (strcmp(login, "fulldisk") == 0) {
		snprintf(msg, msglen, "could not save: the disk is full");
		return -1;
	}
	fprintf(stderr, "EVENT %s %s (%s)\n", login, event, detail);
	return 0;
}

static void
srv_summary(void *ctx, const struct srv_auth_summary *s)
{
	char logins[400] = "";
	size_t o = 0;

	(void)ctx;
	for (size_t i = 0; i < s->n_top_login; i++) {
		int k = snprintf(logins + o, sizeof(logins) - o, "%s%s:%lu",
				 i ? "," : "", s->top_login[i].name,
				 s->top_login[i].n);

		if (k > 0 && (size_t)k < sizeof(logins) - o) {
			o += (size_t)k;
		}
	}
	fprintf(stderr, "SUMMARY failures=%lu sources=%lu unknown=%lu "
			"logins=%s\n",
		s->failures, s->sources, s->unknown, logins);
}

static void
srv_listening(void *ctx, const char *addr, int port)
{
	(void)ctx;
	printf("listening on %s:%d\n", addr, port);
	fflush(stdout);
}

int
stubsrv_main(void)
{
	static char exe[4096], stub_dir[700];
	static const char *env[3];
	struct srv_config c;
	char err[300];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0) {
		return 1;
	}
	exe[n] = '\0';
	snprintf(stub_dir, sizeof(stub_dir), "STUB_DIR=%s",
		 getenv("STUB_DIR") ? getenv("STUB_DIR") : "/nonexistent");
	env[0] = "NOMDESK_TEST_STUB_UI=1";
	env[1] = stub_dir;
	env[2] = NULL;
	srv_config_defaults(&c);
	c.listen_addr = getenv("SRV_ADDR") ? getenv("SRV_ADDR") : "127.0.0.1";
	c.port = 0;
	c.hostkey_path = getenv("SRV_HOSTKEY");
	c.exe = getenv("SRV_EXE") ? getenv("SRV_EXE") : exe;
	c.data_dir = "/stub-data";
	c.ui_env = env;
	c.kex_timeout_s = env_int("SRV_KEX_TIMEOUT", c.kex_timeout_s);
	c.grace_s = env_int("SRV_GRACE", c.grace_s);
	c.max_auth_tries = env_int("SRV_MAX_AUTH", c.max_auth_tries);
	c.max_startups = env_int("SRV_MAX_STARTUPS", c.max_startups);
	c.per_source_max = env_int("SRV_PER_SOURCE", c.per_source_max);
	c.shutdown_grace_s = env_int("SRV_SHUTDOWN_GRACE", c.shutdown_grace_s);
	c.max_session_s = env_int("SRV_MAX_SESSION", c.max_session_s);
	c.startups_begin = env_int("SRV_STARTUPS_BEGIN", c.startups_begin);
	c.startups_rate = env_int("SRV_STARTUPS_RATE", c.startups_rate);
	c.per_user_max = env_int("SRV_PER_USER", c.per_user_max);
	c.idle_s = env_int("SRV_IDLE", c.idle_s);
	c.password_checks = env_int("SRV_CHECKS", c.password_checks);
	c.failure_summary_s = env_int("SRV_SUMMARY", c.failure_summary_s);
	c.penalty.base_ms = env_int("SRV_PENALTY_BASE", c.penalty.base_ms);
	c.penalty.max_ms = env_int("SRV_PENALTY_MAX", c.penalty.max_ms);
	c.penalty.halflife_s =
		env_int("SRV_PENALTY_HALFLIFE", c.penalty.halflife_s);
	c.penalty.free_source =
		env_int("SRV_PENALTY_FREE_SOURCE", c.penalty.free_source);
	c.penalty.free_pair =
		env_int("SRV_PENALTY_FREE_PAIR", c.penalty.free_pair);
	c.auth_password = srv_auth;
	c.session_event = srv_event;
	c.auth_summary = srv_summary;
	c.on_listening = srv_listening;
	if (srv_run(&c, err, sizeof(err)) != 0) {
		fprintf(stderr, "srv_run: %s\n", err);
		return 1;
	}
	return 0;
}


static char keypath[600], stubdir[600];

int
stubsrv_start(struct sshclient_server *srv, const struct stubsrv_kv *kv)
{
	static char exe[4096];
	const char *argv[] = {exe, NULL};
	char err[300];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0) {
		return -1;
	}
	exe[n] = '\0';
	snprintf(keypath, sizeof(keypath), "%s/hostkey", test_tmpdir());
	snprintf(stubdir, sizeof(stubdir), "%s", test_tmpdir());
	if (access(keypath, F_OK) != 0 &&
	    srv_hostkey_create(keypath, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "hostkey: %s", err);
		return -1;
	}
	setenv("NOMDESK_TEST_SRV", "1", 1);
	setenv("SRV_HOSTKEY", keypath, 1);
	setenv("STUB_DIR", stubdir, 1);
	for (size_t i = 0; kv != NULL && kv[i].name != NULL; i++) {
		setenv(kv[i].name, kv[i].value, 1);
	}
	n = sshclient_serve_start_argv(srv, argv, 10000);
	unsetenv("NOMDESK_TEST_SRV");
	return (int)n;
}

bool
stubsrv_log_has(const struct sshclient_server *srv, const char *text)
{
	char *log;

	if (sshclient_serve_wait_log(srv, text, 3000)) {
		return true;
	}
	log = sshclient_serve_log(srv);
	printf("# server log lacks \"%s\":\n%s", text, log);
	free(log);
	return false;
}

int
stubsrv_log_count(const struct sshclient_server *srv, const char *text)
{
	char *log = sshclient_serve_log(srv);
	int n = 0;

	for (const char *p = log; p && (p = strstr(p, text)) != NULL;
	     p += strlen(text)) {
		n++;
	}
	free(log);
	return n;
}
