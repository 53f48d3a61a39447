/*
 * sshpw: password logins through libssh's client (sshpw.h).
 */
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include <libssh/libssh.h>

#include "tests/lib/sshpw.h"

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
sshpw_try(int port, const char *src, const char *login,
	  const char *const *passwords, int n, struct sshpw *out)
{
	ssh_session s = ssh_new();
	int64_t t0 = now_us();
	long timeout = 40;
	bool no = false;
	int verbosity = SSH_LOG_NOLOG;

	memset(out, 0, sizeof(*out));
	out->accepted = -2;
	if (s == NULL) {
		return out->accepted;
	}
	if (n > SSHPW_MAX) {
		n = SSHPW_MAX;
	}
	ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &no);
	ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
	ssh_options_set(s, SSH_OPTIONS_HOST, "127.0.0.1");
	ssh_options_set(s, SSH_OPTIONS_PORT, &port);
	ssh_options_set(s, SSH_OPTIONS_USER, login);
	ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout);
	if (src != NULL) {
		ssh_options_set(s, SSH_OPTIONS_BINDADDR, src);
	}
	if (ssh_connect(s) != SSH_OK) {
		ssh_free(s);
		return out->accepted;
	}
	out->accepted = -1;
	for (int i = 0; i < n; i++) {
		int64_t t = now_us();
		int rc = ssh_userauth_password(s, NULL, passwords[i]);

		out->auth_us[i] = now_us() - t;
		out->n_tried = i + 1;
		if (rc == SSH_AUTH_SUCCESS) {
			out->accepted = i;
			break;
		}
		if (rc == SSH_AUTH_ERROR) {
			out->accepted = -3;
			break;
		}
	}
	out->total_us = now_us() - t0;
	ssh_disconnect(s);
	ssh_free(s);
	return out->accepted;
}
