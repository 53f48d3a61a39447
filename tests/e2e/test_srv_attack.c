/*
 * The SSH front door under attack, with the stub domain of stubsrv.h
 * (fast password checks, so the rules are what is tested): penalties by
 * source and login that slow and never refuse, and expire; no lockout of
 * a guessable login; per-user session caps; a login that cannot be
 * recorded told why; failures aggregated in the log and summarised, never
 * one record per attempt; MaxStartups' early drop; the idle limit.
 *
 * Source addresses are chosen in 127.0.0.0/8 (every one is the local
 * host on Linux), so one machine plays many attackers.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/lib/runner.h"
#include "tests/lib/sshclient.h"
#include "tests/lib/sshpw.h"
#include "tests/lib/net.h"
#include "tests/lib/stubsrv.h"
#include "tests/lib/vt.h"

static const char *const wrong5[] = {"w1", "w2", "w3", "w4", "w5"};

/* n connections from src, each trying the five wrong passwords. */
static void
guess(int port, const char *src, const char *login, int n)
{
	struct sshpw r;

	for (int i = 0; i < n; i++) {
		sshpw_try(port, src, login, wrong5, 5, &r);
	}
}

static int
right(int port, const char *src, const char *login)
{
	char pw[64];
	const char *v[1] = {pw};
	struct sshpw r;

	snprintf(pw, sizeof(pw), "pw-%s", login);
	return sshpw_try(port, src, login, v, 1, &r);
}

/*
 * A source that guesses is slowed (the right password from it still
 * gets in, after a wait), another source is not, and the penalty
 * expires by itself (half-life 1 s here).
 */
static void
test_srv_attack__penalty_slows_source_and_expires(void)
{
	static const struct stubsrv_kv kv[] = {
		{"SRV_PENALTY_BASE", "200"},      {"SRV_PENALTY_MAX", "2000"},
		{"SRV_PENALTY_HALFLIFE", "1"},    {"SRV_PENALTY_FREE_SOURCE", "2"},
		{"SRV_PENALTY_FREE_PAIR", "1"},   {"SRV_MAX_AUTH", "6"},
		{NULL, NULL}};
	struct sshclient_server srv;
	int64_t deadline;
	bool expired = false;

	CHECK(stubsrv_start(&srv, kv) == 0);
	guess(srv.port, "127.0.0.2", "alice", 2);
	/* slowed, not refused */
	CHECK_INT(right(srv.port, "127.0.0.2", "alice"), 0);
	CHECK(stubsrv_log_has(&srv, "auth peer=127.0.0.2 user=alice "
				    "method=password result=ok penalty_ms="));
	CHECK_INT(stubsrv_log_count(&srv, "auth peer=127.0.0.2 user=alice "
					  "method=password result=ok "
					  "penalty_ms=0 "),
		  0);
	CHECK(stubsrv_log_has(&srv, "slow_lane"));
	/* someone else's guesses cost another office nothing */
	CHECK_INT(right(srv.port, "127.0.0.3", "alice"), 0);
	CHECK(stubsrv_log_has(&srv, "auth peer=127.0.0.3 user=alice "
				    "method=password result=ok penalty_ms=0"));
	/* and it fades: a right password from the guessing source again
	 * until one goes through without a wait */
	deadline = sshclient_now_ms() + 20000;
	while (!expired && sshclient_now_ms() < deadline) {
		CHECK_INT(right(srv.port, "127.0.0.2", "alice"), 0);
		expired = stubsrv_log_count(&srv, "auth peer=127.0.0.2 "
						  "user=alice method=password "
						  "result=ok penalty_ms=0") > 0;
	}
	CHECK(expired);
	sshclient_serve_stop(&srv, SIGTERM, 10000);
}

/*
 * Lockout abuse: forty wrong passwords for a guessable login from eight
 * addresses, then the clerk logs in with the stock client from the
 * office's own address, at once.
 */
static void
test_srv_attack__no_lockout_of_a_guessable_login(void)
{
	struct sshclient_server srv;
	struct sshclient *c;

	CHECK(stubsrv_start(&srv, NULL) == 0);
	for (int i = 2; i < 10; i++) {
		char src[32];

		snprintf(src, sizeof(src), "127.0.0.%d", i);
		guess(srv.port, src, "alice", 1);
	}
	c = sshclient_start(srv.port, "alice", "pw-alice", 80, 24);
	CHECK(sshclient_wait_text(c, "STUB-UI login=alice", 10000));
	sshclient_close(c);
	sshclient_serve_stop(&srv, SIGTERM, 10000);
	CHECK(stubsrv_log_has(&srv, "SUMMARY failures=40 sources=8 "));
	CHECK(stubsrv_log_has(&srv, "logins=alice:40"));
}

/* Two sessions of alice at once, not a third (told why); bob is not
 * affected; a session's end frees its place. */
static void
test_srv_attack__sessions_per_user(void)
{
	static const struct stubsrv_kv kv[] = {{"SRV_PER_USER", "2"},
					       {NULL, NULL}};
	struct sshclient_server srv;
	struct sshclient *a1, *a2, *a3, *b;

	CHECK(stubsrv_start(&srv, kv) == 0);
	a1 = sshclient_start(srv.port, "alice", "pw-alice", 80, 24);
	CHECK(sshclient_wait_text(a1, "STUB-UI", 10000));
	a2 = sshclient_start(srv.port, "alice", "pw-alice", 80, 24);
	CHECK(sshclient_wait_text(a2, "STUB-UI", 10000));
	a3 = sshclient_start(srv.port, "alice", "pw-alice", 80, 24);
	CHECK(sshclient_wait_text(a3, "already has 2 session(s) open", 10000));
	CHECK_INT(sshclient_wait_exit(a3, 10000), 1);
	CHECK(!vt_contains(sshclient_vt(a3), "STUB-UI"));
	sshclient_close(a3);
	CHECK(stubsrv_log_has(&srv, "refused: 2 sessions open"));
	b = sshclient_start(srv.port, "bob", "pw-bob", 80, 24);
	CHECK(sshclient_wait_text(b, "STUB-UI login=bob", 10000));
	sshclient_close(a1);
	CHECK(sshclient_serve_wait_log(&srv, "EVENT alice logout", 10000));
	a3 = sshclient_start(srv.port, "alice", "pw-alice", 80, 24);
	CHECK(sshclient_wait_text(a3, "STUB-UI", 10000));
	/* a refused session is neither a login nor a logout */
	CHECK_INT(stubsrv_log_count(&srv, "EVENT alice login"), 3);
	sshclient_close(a2);
	sshclient_close(a3);
	sshclient_close(b);
	sshclient_serve_stop(&srv, SIGTERM, 10000);
}

/* A right password whose login cannot be recorded (a full disk) is not
 * reported as a wrong password: the clerk is told what is wrong. */
static void
test_srv_attack__unrecorded_login_told_why(void)
{
	struct sshclient_server srv;
	struct sshclient *c;

	CHECK(stubsrv_start(&srv, NULL) == 0);
	c = sshclient_start(srv.port, "fulldisk", "pw-fulldisk", 80, 24);
	CHECK(sshclient_wait_text(c, "cannot record the login", 10000));
	CHECK_INT(sshclient_wait_exit(c, 10000), 1);
	CHECK(!vt_contains(sshclient_vt(c), "STUB-UI"));
	sshclient_close(c);
	CHECK(stubsrv_log_has(&srv, "the login cannot be recorded: could "
				    "not save: the disk is full"));
	sshclient_serve_stop(&srv, SIGTERM, 10000);
	CHECK_INT(stubsrv_log_count(&srv, "auth fail"), 0);
}

/*
 * Refused passwords: the first of a source is logged at once, the rest
 * aggregated; the record gets one summary a period, not an entry per
 * attempt.
 */
static void
test_srv_attack__failures_aggregated_and_summarised(void)
{
	static const struct stubsrv_kv kv[] = {{"SRV_SUMMARY", "1"},
					       {"SRV_PENALTY_MAX", "1"},
					       {NULL, NULL}};
	struct sshclient_server srv;

	CHECK(stubsrv_start(&srv, kv) == 0);
	guess(srv.port, "127.0.0.2", "alice", 3);
	guess(srv.port, "127.0.0.4", "unknown7", 3);
	/* a summary within a couple of periods, counting all thirty */
	CHECK(sshclient_serve_wait_log(&srv, "SUMMARY failures=30 sources=2 "
					     "unknown=15 logins=alice:15",
				       5000));
	/* one line at once per source, not thirty */
	CHECK_INT(stubsrv_log_count(&srv, "auth fail peer=127.0.0.2 user="),
		  1);
	CHECK_INT(stubsrv_log_count(&srv, "auth fail peer=127.0.0.4 user="),
		  1);
	sshclient_serve_stop(&srv, SIGTERM, 10000);
	/* the rest in the aggregated lines, at the latest at shutdown */
	CHECK(stubsrv_log_has(&srv, "auth fail peer=127.0.0.2: 14 more"));
	CHECK(stubsrv_log_has(&srv, "(existing users: alice; unknown "
				    "logins: 0)"));
	CHECK(stubsrv_log_has(&srv, "auth fail peer=127.0.0.4: 14 more"));
	/* nothing new to summarise at shutdown */
	CHECK_INT(stubsrv_log_count(&srv, "SUMMARY failures="), 1);
	CHECK_INT(stubsrv_log_count(&srv, "EVENT"), 0);
}

/* MaxStartups begin:rate:full: from begin on, new connections are
 * dropped at random (here: always, rate 100) before full. */
static void
test_srv_attack__early_drop(void)
{
	static const struct stubsrv_kv kv[] = {{"SRV_STARTUPS_BEGIN", "2"},
					       {"SRV_STARTUPS_RATE", "100"},
					       {"SRV_MAX_STARTUPS", "10"},
					       {"SRV_KEX_TIMEOUT", "20"},
					       {NULL, NULL}};
	struct sshclient_server srv;
	int a, b, c;

	CHECK(stubsrv_start(&srv, kv) == 0);
	a = net_connect("127.0.0.2", srv.port);
	b = net_connect("127.0.0.3", srv.port);
	CHECK_INT(net_banner(a, 5000), 1);
	CHECK_INT(net_banner(b, 5000), 1);
	c = net_connect("127.0.0.4", srv.port);
	CHECK_INT(net_banner(c, 5000), 0);
	CHECK(stubsrv_log_has(&srv, "reason=early_drop"));
	close(a);
	close(b);
	close(c);
	sshclient_serve_stop(&srv, SIGTERM, 10000);
}

/* No input for the idle limit: the UI is hung up (it keeps a draft). */
static void
test_srv_attack__idle_limit(void)
{
	static const struct stubsrv_kv kv[] = {{"SRV_IDLE", "1"},
					       {NULL, NULL}};
	struct sshclient_server srv;
	struct sshclient *c;

	CHECK(stubsrv_start(&srv, kv) == 0);
	c = sshclient_start(srv.port, "carol", "pw-carol", 80, 24);
	CHECK(sshclient_wait_text(c, "STUB-UI", 10000));
	CHECK(sshclient_serve_wait_log(&srv, "no input for 1 s", 10000));
	CHECK(sshclient_serve_wait_log(&srv, "EVENT carol logout (idle",
				       10000));
	sshclient_close(c);
	sshclient_serve_stop(&srv, SIGTERM, 10000);
}

static const struct test_case tests_srv_attack[] = {
	{"e2e__srv_attack_penalty_slows_source_and_expires",
	 test_srv_attack__penalty_slows_source_and_expires},
	{"e2e__srv_attack_no_lockout_of_a_guessable_login",
	 test_srv_attack__no_lockout_of_a_guessable_login},
	{"e2e__srv_attack_sessions_per_user",
	 test_srv_attack__sessions_per_user},
	{"e2e__srv_attack_unrecorded_login_told_why",
	 test_srv_attack__unrecorded_login_told_why},
	{"e2e__srv_attack_failures_aggregated_and_summarised",
	 test_srv_attack__failures_aggregated_and_summarised},
	{"e2e__srv_attack_early_drop", test_srv_attack__early_drop},
	{"e2e__srv_attack_idle_limit", test_srv_attack__idle_limit},
	{NULL, NULL},
};

TEST_REGISTER(tests_srv_attack)
