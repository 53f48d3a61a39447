/*
 * stubsrv: the ssh/ layer alone as a test server (srv_run with a stub
 * domain: passwords "pw-LOGIN", logins starting "unknown" do not exist,
 * the login "fulldisk" cannot be recorded), started from the test binary
 * itself, plus raw TCP helpers for floods from chosen source addresses
 * in 127.0.0.0/8 (net.h).
 *
 * A test binary that uses it must call stubsrv_main() from a constructor
 * when NOMDESK_TEST_SRV is set (tests/e2e/test_srv.c does), and serve
 * its own stub UI when NOMDESK_TEST_STUB_UI is set.  Raw TCP from chosen
 * sources is in net.h.
 *
 * Knobs (environment, set through stubsrv_start's kv): SRV_KEX_TIMEOUT,
 * SRV_GRACE, SRV_MAX_AUTH, SRV_MAX_STARTUPS, SRV_STARTUPS_BEGIN,
 * SRV_STARTUPS_RATE, SRV_PER_SOURCE, SRV_SHUTDOWN_GRACE, SRV_MAX_SESSION,
 * SRV_PER_USER, SRV_IDLE, SRV_CHECKS, SRV_SUMMARY, SRV_PENALTY_BASE,
 * SRV_PENALTY_MAX, SRV_PENALTY_HALFLIFE, SRV_PENALTY_FREE_SOURCE,
 * SRV_PENALTY_FREE_PAIR, SRV_EXE, SRV_ADDR.  The stub prints
 * "EVENT login event (detail)" for session events and "SUMMARY
 * failures=N sources=N unknown=N logins=a:n,..." for failure summaries
 * on its log.
 */
#ifndef NOMDESK_TEST_STUBSRV_H
#define NOMDESK_TEST_STUBSRV_H

#include <stdbool.h>

#include "tests/lib/sshclient.h"

struct stubsrv_kv {
	const char *name, *value;
};

/* The test server's main (in the forked server process). */
int stubsrv_main(void);
/* Starts a test server with the given knobs (NULL-terminated); 0 or -1. */
int stubsrv_start(struct sshclient_server *srv, const struct stubsrv_kv *kv);
/* The log has text, or gets it within 3 s; prints the log if not. */
bool stubsrv_log_has(const struct sshclient_server *srv, const char *text);
/* Occurrences of text in the log now. */
int stubsrv_log_count(const struct sshclient_server *srv, const char *text);

#endif
