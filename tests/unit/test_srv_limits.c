/*
 * The SSH server's admission and penalty rules, without the network:
 * penalties grow with failures and expire (a given clock, so no waiting),
 * keys are kept apart, the early drop follows MaxStartups, the
 * password-check gate and the per-user slots hold across processes and
 * give a dead holder's slot back.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ssh/srv_int.h"
#include "tests/lib/runner.h"

static struct srv_penalty *
table(void)
{
	struct srv_penalty_config c;
	struct srv_penalty *p;

	srv_penalty_config_defaults(&c);
	c.free_source = 4;
	c.free_pair = 2;
	c.free_login = 16;
	c.base_ms = 250;
	c.max_ms = 10000;
	c.login_max_ms = 2000;
	c.halflife_s = 60;
	p = srv_penalty_new(&c);
	if (p == NULL) {
		test_fail(__FILE__, __LINE__, "no penalty table");
		exit(1);
	}
	return p;
}

static int
delay(struct srv_penalty *p, const char *peer, const char *login,
      int64_t now, bool *slow)
{
	struct srv_penalty_keys k;

	srv_penalty_keys(p, peer, login, &k);
	return srv_penalty_delay_ms(p, &k, now, slow);
}

static void
fail_n(struct srv_penalty *p, const char *peer, const char *login,
       bool known, int n, int64_t now)
{
	struct srv_penalty_keys k;

	srv_penalty_keys(p, peer, login, &k);
	for (int i = 0; i < n; i++) {
		srv_penalty_fail(p, &k, known, now);
	}
}

/* A clerk's two typos cost nothing; past the free failures each one
 * doubles the wait, up to the cap; the wait then fades by itself. */
static void
test_srv_limits__penalty_grows_and_expires(void)
{
	struct srv_penalty *p = table();
	int64_t t = 1000000;
	bool slow = false;
	int d1, d2;

	fail_n(p, "10.0.0.1", "pc_clerk", true, 2, t);
	CHECK_INT(delay(p, "10.0.0.1", "pc_clerk", t, &slow), 0);
	CHECK(slow); /* any failure: the slow lane */
	fail_n(p, "10.0.0.1", "pc_clerk", true, 1, t);
	d1 = delay(p, "10.0.0.1", "pc_clerk", t, NULL);
	CHECK_INT(d1, 250);
	fail_n(p, "10.0.0.1", "pc_clerk", true, 1, t);
	d2 = delay(p, "10.0.0.1", "pc_clerk", t, NULL);
	CHECK_INT(d2, 500);
	fail_n(p, "10.0.0.1", "pc_clerk", true, 30, t);
	CHECK_INT(delay(p, "10.0.0.1", "pc_clerk", t, NULL), 10000);
	/* 34 failures halve every minute: after ten minutes they are
	 * below the free ones again */
	CHECK(delay(p, "10.0.0.1", "pc_clerk", t + 3 * 60000, NULL) > 0);
	CHECK_INT(delay(p, "10.0.0.1", "pc_clerk", t + 10 * 60000, &slow), 0);
	CHECK(!slow);
	srv_penalty_free(p);
}

/* Someone else's failures never slow a login from another source, and
 * failures at unknown logins never slow an existing one. */
static void
test_srv_limits__penalty_keys_apart(void)
{
	struct srv_penalty *p = table();
	int64_t t = 5000000;
	bool slow = true;

	fail_n(p, "10.0.0.66", "pc_clerk", true, 12, t);
	CHECK(delay(p, "10.0.0.66", "pc_clerk", t, NULL) > 0);
	/* the same source at another login: the source's own penalty */
	CHECK(delay(p, "10.0.0.66", "other", t, NULL) > 0);
	/* the victim from its own office: untouched (12 < free_login) */
	CHECK_INT(delay(p, "10.0.0.2", "pc_clerk", t, &slow), 0);
	CHECK(!slow);
	/* a storm at unknown logins from many sources */
	for (int i = 0; i < 50; i++) {
		char peer[32], login[32];

		snprintf(peer, sizeof(peer), "10.9.0.%d", i);
		snprintf(login, sizeof(login), "guess%d", i);
		fail_n(p, peer, login, false, 8, t);
	}
	CHECK_INT(delay(p, "10.0.0.2", "pc_clerk", t, &slow), 0);
	CHECK(!slow);
	/* a distributed attack on one existing login slows it a little
	 * everywhere, never more than login_max_ms */
	for (int i = 0; i < 40; i++) {
		char peer[32];

		snprintf(peer, sizeof(peer), "10.8.0.%d", i);
		fail_n(p, peer, "pc_clerk", true, 1, t);
	}
	CHECK(delay(p, "10.0.0.2", "pc_clerk", t, &slow) > 0);
	CHECK(delay(p, "10.0.0.2", "pc_clerk", t, NULL) <= 2000);
	CHECK(slow);
	srv_penalty_free(p);
}

/* A flood of new keys pushes out light penalties, not a heavy one. */
static void
test_srv_limits__penalty_survives_key_flood(void)
{
	struct srv_penalty *p = table();
	int64_t t = 9000000;

	fail_n(p, "10.0.0.66", "", false, 40, t);
	for (int i = 0; i < 100000; i++) {
		char peer[32];

		snprintf(peer, sizeof(peer), "f%d", i);
		fail_n(p, peer, "", false, 1, t);
	}
	CHECK_INT(delay(p, "10.0.0.66", "x", t, NULL), 10000);
	srv_penalty_free(p);
}

/* MaxStartups begin:rate:full, with the draw given. */
static void
test_srv_limits__early_drop(void)
{
	struct srv_config c;
	struct srv_children t;

	srv_config_defaults(&c);
	c.startups_begin = 10;
	c.startups_rate = 30;
	c.max_startups = 50;
	c.per_source_max = 1000;
	srv_children_init(&t);
	for (int i = 0; i < 9; i++) {
		srv_children_add(&t, 100 + i, "10.0.0.1");
	}
	/* below begin: never dropped */
	CHECK_INT(srv_children_admit(&t, "10.0.0.9", &c, 0), SRV_ADMIT_OK);
	srv_children_add(&t, 200, "10.0.0.1");
	/* at begin: dropped with 30% */
	CHECK_INT(srv_children_admit(&t, "10.0.0.9", &c, 29),
		  SRV_ADMIT_EARLY_DROP);
	CHECK_INT(srv_children_admit(&t, "10.0.0.9", &c, 30), SRV_ADMIT_OK);
	/* half way: 30 + 70/2 = 65% */
	for (int i = 0; i < 20; i++) {
		srv_children_add(&t, 300 + i, "10.0.0.1");
	}
	CHECK_INT(srv_children_admit(&t, "10.0.0.9", &c, 64),
		  SRV_ADMIT_EARLY_DROP);
	CHECK_INT(srv_children_admit(&t, "10.0.0.9", &c, 65), SRV_ADMIT_OK);
	/* authenticated children do not count: back at begin (30%) */
	for (int i = 0; i < 20; i++) {
		srv_children_set_authenticated(
			&t, srv_children_find(&t, 300 + i));
	}
	CHECK_INT(srv_children_admit(&t, "10.0.0.9", &c, 30), SRV_ADMIT_OK);
	/* full: always */
	for (int i = 0; i < 40; i++) {
		srv_children_add(&t, 400 + i, "10.0.0.1");
	}
	CHECK_INT(srv_children_admit(&t, "10.0.0.9", &c, 99),
		  SRV_ADMIT_MAX_STARTUPS);
	srv_children_release(&t);
}

/* A child that takes a slot and then waits to be killed; 'r' once it
 * holds it (or 'n' if it could not). */
static pid_t
holder(int (*take)(void *), void *arg, int *rfd)
{
	int p[2];
	pid_t pid;

	if (pipe(p) != 0) {
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		char c = take(arg) == 0 ? 'r' : 'n';

		close(p[0]);
		if (write(p[1], &c, 1) != 1) {
			_exit(1);
		}
		pause();
		_exit(0);
	}
	close(p[1]);
	*rfd = p[0];
	return pid;
}

static char
holder_says(int fd)
{
	char c = '?';

	if (read(fd, &c, 1) != 1) {
		c = '?';
	}
	close(fd);
	return c;
}

static void
holder_kill(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static struct srv_gate gate;

static int
take_check(void *arg)
{
	return srv_gate_enter(&gate, arg != NULL, 7, 200);
}

/* Two checks at once, the third waits (and times out); the slow lane
 * takes one slot at most; a killed holder's slot comes back. */
static void
test_srv_limits__password_gate(void)
{
	pid_t a, b;
	int fa, fb;

	CHECK_INT(srv_gate_open(&gate, 2), 0);
	a = holder(take_check, (void *)1, &fa); /* the slow lane */
	CHECK_INT(holder_says(fa), 'r');
	/* a second penalised check waits for the lane */
	CHECK_INT(srv_gate_enter(&gate, true, 7, 100), -1);
	/* a clean one still gets the other slot */
	b = holder(take_check, NULL, &fb);
	CHECK_INT(holder_says(fb), 'r');
	CHECK_INT(srv_gate_in_use(&gate), 2);
	CHECK_INT(srv_gate_enter(&gate, false, 8, 100), -1);
	holder_kill(a); /* SEM_UNDO: the kernel gives both back */
	/* b holds source 7's clean place: another check from source 7
	 * goes to the slow lane, and gets it now that a is gone */
	CHECK_INT(srv_gate_enter(&gate, false, 7, 1000), 0);
	CHECK_INT(gate.held, 2);
	srv_gate_leave(&gate);
	/* another source: the clean lane */
	CHECK_INT(srv_gate_enter(&gate, false, 8, 1000), 0);
	CHECK_INT(gate.held, 1);
	srv_gate_leave(&gate);
	holder_kill(b);
	CHECK_INT(srv_gate_in_use(&gate), 0);
	srv_gate_close(&gate);
}

static struct srv_usercap cap;

static int
take_session(void *arg)
{
	return srv_usercap_take(&cap, *(uint64_t *)arg);
}

/* Two sessions of one login, not a third; another login unaffected; a
 * session's end frees its slot. */
static void
test_srv_limits__sessions_per_user(void)
{
	uint64_t alice = 0x1234, bob = 0x9999;
	pid_t a1, a2, a3, b1;
	int f1, f2, f3, g1;

	CHECK_INT(srv_usercap_open(&cap, 2), 0);
	a1 = holder(take_session, &alice, &f1);
	CHECK_INT(holder_says(f1), 'r');
	a2 = holder(take_session, &alice, &f2);
	CHECK_INT(holder_says(f2), 'r');
	a3 = holder(take_session, &alice, &f3);
	CHECK_INT(holder_says(f3), 'n');
	b1 = holder(take_session, &bob, &g1);
	CHECK_INT(holder_says(g1), 'r');
	holder_kill(a1);
	holder_kill(a3);
	a3 = holder(take_session, &alice, &f3);
	CHECK_INT(holder_says(f3), 'r');
	holder_kill(a2);
	holder_kill(a3);
	holder_kill(b1);
	srv_usercap_close(&cap);
}

static const struct test_case tests_srv_limits[] = {
	{"srv_limits__penalty_grows_and_expires",
	 test_srv_limits__penalty_grows_and_expires},
	{"srv_limits__penalty_keys_apart", test_srv_limits__penalty_keys_apart},
	{"srv_limits__penalty_survives_key_flood",
	 test_srv_limits__penalty_survives_key_flood},
	{"srv_limits__early_drop", test_srv_limits__early_drop},
	{"srv_limits__password_gate", test_srv_limits__password_gate},
	{"srv_limits__sessions_per_user", test_srv_limits__sessions_per_user},
	{NULL, NULL},
};

TEST_REGISTER(tests_srv_limits)
