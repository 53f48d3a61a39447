/*
 * sshpw: password logins with libssh's client, from a chosen source
 * address, for floods and timings (the OpenSSH client on a pty is the
 * real user's path; this is the attacker's and the stopwatch's).  Only
 * authentication: no channel, no pty.
 */
#ifndef NOMDESK_TEST_SSHPW_H
#define NOMDESK_TEST_SSHPW_H

#include <stdint.h>

#define SSHPW_MAX 8

struct sshpw {
	int accepted; /* index of the accepted password; -1 all refused;
		       * -2 no connection or key exchange; -3 the server
		       * closed the connection before all were tried */
	int n_tried;
	int64_t auth_us[SSHPW_MAX]; /* each password request to its answer */
	int64_t total_us;           /* connect to the last answer */
};

/*
 * Connects to 127.0.0.1:port from src (NULL: any address), as login, and
 * tries passwords[0..n-1] (n <= SSHPW_MAX) one after another until one is
 * accepted or the server closes.  Returns out->accepted.
 */
int sshpw_try(int port, const char *src, const char *login,
	      const char *const *passwords, int n, struct sshpw *out);

#endif
