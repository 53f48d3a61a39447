/*
 * The real thing over SSH: `nomdesk init --demo`, `nomdesk serve`, and the
 * OpenSSH client on a pty, read through libvterm.  A demo county-HR clerk
 * logs in and sees their name; a wrong password, a command instead of the
 * desk, a terminal too small and a resize behave; SIGTERM ends the server
 * and everything it started.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "tests/lib/runner.h"
#include "tests/lib/sshclient.h"
#include "tests/lib/vt.h"

#define T_INIT 60000
#define T_SERVE 20000
#define T_LOGIN 15000
#define T_SCREEN 8000

struct demo {
	struct sshclient_server srv;
	struct sshclient_account acc[32];
	size_t n_acc;
	char data[600];
};

/* init --demo into the test's directory, then serve it; exits the test
 * on failure (nothing else can be checked without a server). */
static void
demo_start(struct demo *d)
{
	struct sshclient_cmd res;
	const char *args[] = {"--data", d->data, "init", "--demo", NULL};

	memset(d, 0, sizeof(*d));
	if (sshclient_nomdesk_bin() == NULL) {
		test_fail(__FILE__, __LINE__, "NOMDESK_BIN is not set");
		exit(1);
	}
	snprintf(d->data, sizeof(d->data), "%s/data", test_tmpdir());
	if (sshclient_cli(&res, T_INIT, args) != 0) {
		test_fail(__FILE__, __LINE__, "init --demo: status %d: %s",
			  res.status, res.err);
		exit(1);
	}
	d->n_acc = sshclient_parse_accounts(res.out, d->acc, 32);
	if (d->n_acc == 0) {
		test_fail(__FILE__, __LINE__, "no accounts in:\n%s", res.out);
	}
	sshclient_cmd_release(&res);
	if (sshclient_serve_start(&d->srv, d->data, T_SERVE) != 0) {
		char *log = sshclient_serve_log(&d->srv);

		test_fail(__FILE__, __LINE__, "serve did not start:\n%s", log);
		free(log);
		exit(1);
	}
}

/* The demo county-HR clerk; its display name is init's fifth column. */
static const struct sshclient_account *
county_hr(const struct demo *d)
{
	const struct sshclient_account *a =
		sshclient_account_by_role(d->acc, d->n_acc, "county_hr");

	if (a == NULL || a->extra[0] == '\0') {
		test_fail(__FILE__, __LINE__,
			  "init --demo printed no county_hr account with a "
			  "NAME column");
		exit(1);
	}
	return a;
}

static void
dump(struct sshclient *c, const char *why)
{
	char buf[16384];

	sshclient_screen_dump(c, buf, sizeof(buf));
	printf("# %s; screen:\n%s", why, buf);
}

static void
test_ssh__login_shows_display_name(void)
{
	struct demo d;
	const struct sshclient_account *a;
	struct sshclient *c;
	int64_t t0;

	demo_start(&d);
	a = county_hr(&d);
	t0 = sshclient_now_ms();
	c = sshclient_start(d.srv.port, a->login, a->password, 80, 24);
	CHECK(c != NULL);
	if (!sshclient_wait_text(c, a->extra, T_LOGIN)) {
		test_fail(__FILE__, __LINE__, "no \"%s\" on the home screen",
			  a->extra);
		dump(c, "login");
	} else {
		printf("# connect to home screen with name: %lld ms\n",
		       (long long)(sshclient_now_ms() - t0));
	}
	sshclient_close(c);
	CHECK(sshclient_serve_wait_log(&d.srv, "disconnect peer=", T_SCREEN));
	CHECK_INT(sshclient_serve_stop(&d.srv, SIGTERM, 15000), 0);
}

static void
test_ssh__wrong_password_refused(void)
{
	struct demo d;
	const struct sshclient_account *a;
	struct sshclient *c;
	char wrong[300];

	demo_start(&d);
	a = county_hr(&d);
	snprintf(wrong, sizeof(wrong), "%sx", a->password);
	c = sshclient_start(d.srv.port, a->login, wrong, 80, 24);
	CHECK(c != NULL);
	CHECK_INT(sshclient_wait_exit(c, T_LOGIN), 255);
	CHECK(!vt_contains(sshclient_vt(c), a->extra));
	/* the server's log names an existing login; the record of
	 * sessions gets no entry for the failure, only the summary at
	 * shutdown */
	{
		char want[120];

		snprintf(want, sizeof(want), "auth fail peer=127.0.0.1 user=%s",
			 a->login);
		CHECK(sshclient_serve_wait_log(&d.srv, want, T_SCREEN));
	}
	sshclient_close(c);
	CHECK_INT(sshclient_serve_stop(&d.srv, SIGTERM, 15000), 0);
}

static void
test_ssh__resize_and_too_small(void)
{
	struct demo d;
	const struct sshclient_account *a;
	struct sshclient *c;

	demo_start(&d);
	a = county_hr(&d);
	c = sshclient_start(d.srv.port, a->login, a->password, 100, 30);
	CHECK(sshclient_wait_text(c, a->extra, T_LOGIN));
	/* larger: the UI redraws for the new size, name still there */
	sshclient_resize(c, 120, 40);
	CHECK(sshclient_wait_text(c, a->extra, T_SCREEN));
	/* too small: a one-line notice naming the minimum */
	sshclient_resize(c, 60, 20);
	if (!sshclient_wait_text(c, "80x24", T_SCREEN)) {
		test_fail(__FILE__, __LINE__, "no too-small notice at 60x20");
		dump(c, "60x20");
	}
	/* and back: the notice goes, the home screen returns */
	sshclient_resize(c, 120, 40);
	CHECK(sshclient_wait_no_text(c, "80x24", T_SCREEN));
	CHECK(sshclient_wait_text(c, a->extra, T_SCREEN));
	sshclient_close(c);

	/* a terminal that starts too small gets the notice at once */
	c = sshclient_start(d.srv.port, a->login, a->password, 60, 20);
	if (!sshclient_wait_text(c, "80x24", T_LOGIN)) {
		test_fail(__FILE__, __LINE__, "no too-small notice at login");
		dump(c, "60x20 login");
	}
	sshclient_close(c);
	CHECK_INT(sshclient_serve_stop(&d.srv, SIGTERM, 15000), 0);
}

static void
test_ssh__exec_refused(void)
{
	struct demo d;
	const struct sshclient_account *a;
	struct sshclient_opts o;
	struct sshclient *c;
	char cmd[200];

	demo_start(&d);
	a = county_hr(&d);
	memset(&o, 0, sizeof(o));
	o.login = a->login;
	o.password = a->password;
	snprintf(cmd, sizeof(cmd), "nomdesk tui --as %s; id", a->login);
	o.command = cmd;
	c = sshclient_start_opts(d.srv.port, &o);
	CHECK(c != NULL);
	CHECK(sshclient_wait_exit(c, T_LOGIN) != 0);
	CHECK(!vt_contains(sshclient_vt(c), a->extra));
	CHECK(!vt_contains(sshclient_vt(c), "uid="));
	CHECK(sshclient_serve_wait_log(&d.srv, "exec peer=", T_SCREEN));
	sshclient_close(c);
	CHECK_INT(sshclient_serve_stop(&d.srv, SIGTERM, 15000), 0);
}

static void
test_ssh__sigterm_ends_serve_and_children(void)
{
	struct demo d;
	const struct sshclient_account *a, *b = NULL;
	struct sshclient *c1, *c2;
	pid_t v[128];
	size_t n;

	/* what the server leaves behind would be reparented to us, so
	 * a zombie would show here instead of vanishing into init */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	demo_start(&d);
	a = county_hr(&d);
	for (size_t i = 0; i < d.n_acc; i++) {
		if (strcmp(d.acc[i].login, a->login) != 0 &&
		    d.acc[i].extra[0] != '\0') {
			b = &d.acc[i];
			break;
		}
	}
	CHECK(b != NULL);
	if (b == NULL) {
		b = a;
	}
	c1 = sshclient_start(d.srv.port, a->login, a->password, 80, 24);
	c2 = sshclient_start(d.srv.port, b->login, b->password, 80, 24);
	CHECK(sshclient_wait_text(c1, a->extra, T_LOGIN));
	CHECK(sshclient_wait_text(c2, b->extra, T_LOGIN));
	n = sshclient_descendants(d.srv.pid, v, 128);
	CHECK(n >= 4); /* a connection process and a UI per session */
	CHECK_INT(sshclient_serve_stop(&d.srv, SIGTERM, 20000), 0);
	for (size_t i = 0; i < n; i++) {
		if (sshclient_pid_exists(v[i])) {
			test_fail(__FILE__, __LINE__, "pid %ld left behind%s",
				  (long)v[i],
				  sshclient_pid_zombie(v[i]) ? " (zombie)"
							     : "");
		}
	}
	/* the clients were told the session ended */
	CHECK(sshclient_wait_exit(c1, T_SCREEN) >= 0);
	CHECK(sshclient_wait_exit(c2, T_SCREEN) >= 0);
	sshclient_close(c1);
	sshclient_close(c2);
}

static const struct test_case tests_ssh[] = {
	{"e2e__ssh_login_shows_display_name",
	 test_ssh__login_shows_display_name},
	{"e2e__ssh_wrong_password_refused", test_ssh__wrong_password_refused},
	{"e2e__ssh_resize_and_too_small", test_ssh__resize_and_too_small},
	{"e2e__ssh_exec_refused", test_ssh__exec_refused},
	{"e2e__ssh_sigterm_ends_serve_and_children",
	 test_ssh__sigterm_ends_serve_and_children},
	{NULL, NULL},
};
TEST_REGISTER(tests_ssh)
