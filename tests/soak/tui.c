/*
 * tui: pc_clerk's session on the desk over real SSH, read through
 * libvterm, and the one wait loop of the soak.
 *
 * service() is where all waiting happens: it reads the CLI process's
 * pipes, pumps the desk's screen and fires the killer when its moment
 * comes, so a kill lands on time whatever is being waited for.  Waits
 * poll with deadlines; nothing here sleeps on purpose.
 *
 * The session's processes are known from the server's log: the listener
 * logs "connect ... pid=N" right after its fork, the session logs
 * "user=pc_clerk start ui=N" as its UI starts.  A receipt on the desk is
 * "记录 #N" on the message line, newer than the last one seen (the line
 * keeps the previous receipt until something replaces it).
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/vt.h"
#include "tests/soak/soak.h"

struct sshclient *tui;
bool tui_eof;
pid_t tui_session, tui_ui;
int64_t tui_last;
int ui_lines_seen;
char home_mark[320];
static int connect_seen; /* "connect" lines of the current log */

/* ---- waiting: the desk, the CLI and the killer, together ---- */

void
service(int wait_ms)
{
	int64_t now = sshclient_now_ms();

	killer_tick();
	proc_poll(&cli);
	if (K.armed && !K.fired && K.at - now < wait_ms) {
		wait_ms = K.at - now < 0 ? 0 : (int)(K.at - now);
	}
	if (cli.running && wait_ms > 1) {
		wait_ms = 1;
	}
	if (tui && !tui_eof) {
		tui_eof = !sshclient_pump(tui, wait_ms);
	} else if (wait_ms > 0) {
		poll(NULL, 0, wait_ms);
	}
	killer_tick();
	proc_poll(&cli);
}

bool
screen_has(const char *text)
{
	return tui && vt_contains(sshclient_vt(tui), text);
}

void
screen_dump(char *buf, size_t size)
{
	buf[0] = '\0';
	if (tui) {
		vt_dump(sshclient_vt(tui), buf, size);
	}
}

void
screen_why(char *why, size_t whysz, const char *what)
{
	char buf[8192];

	screen_dump(buf, sizeof(buf));
	snprintf(why, whysz, "%s; the screen:\n%s", what, buf);
}

bool
tui_wait(const char *text, int timeout_ms)
{
	int64_t deadline = sshclient_now_ms() + timeout_ms;

	for (;;) {
		if (screen_has(text)) {
			return true;
		}
		if (!tui || tui_eof || sshclient_now_ms() >= deadline) {
			return false;
		}
		service(20);
	}
}

/* The number after "#" following prefix on the screen, or 0. */
static int64_t
screen_receipt(const char *prefix)
{
	char buf[8192], *p;

	screen_dump(buf, sizeof(buf));
	if ((p = strstr(buf, prefix)) == NULL ||
	    (p = strchr(p, '#')) == NULL) {
		return 0;
	}
	return strtoll(p + 1, NULL, 10);
}

/* Gives up early on a refusal ("! " starts the message line). */
int64_t
tui_wait_receipt(const char *prefix, int timeout_ms, char *why,
		 size_t whysz)
{
	int64_t deadline = sshclient_now_ms() + timeout_ms, n;
	char buf[8192];

	for (;;) {
		if ((n = screen_receipt(prefix)) > tui_last) {
			tui_last = n;
			return n;
		}
		screen_dump(buf, sizeof(buf));
		if (strstr(buf, "\n ! ") != NULL || !tui || tui_eof ||
		    sshclient_now_ms() >= deadline) {
			screen_why(why, whysz,
				   !tui || tui_eof ? "the session ended"
				   : sshclient_now_ms() >= deadline
				       ? "no receipt in time"
				       : "refused");
			return 0;
		}
		service(20);
	}
}

char
menu_digit(const char *label)
{
	char buf[8192], *p;

	screen_dump(buf, sizeof(buf));
	if ((p = strstr(buf, label)) == NULL) {
		return 0;
	}
	while (p > buf && p[-1] == ' ') {
		p--;
	}
	return p > buf && p[-1] >= '1' && p[-1] <= '9' ? p[-1] : 0;
}

/* ---- the session's processes, from the server's log ---- */

static int
count_lines(const char *log, const char *what)
{
	int n = 0;

	for (const char *p = log; (p = strstr(p, what)) != NULL; p++) {
		n++;
	}
	return n;
}

pid_t
log_new_pid(const char *line_mark, const char *pid_mark, int *seen)
{
	char *log = sshclient_serve_log(&dk.srv), *p, *last = NULL;
	int n = count_lines(log, line_mark);
	pid_t pid = 0;

	if (n > *seen) {
		for (p = log; (p = strstr(p, line_mark)) != NULL; p++) {
			last = p;
		}
		if ((p = strstr(last, pid_mark)) != NULL) {
			pid = (pid_t)atol(p + strlen(pid_mark));
		}
		*seen = n;
	}
	free(log);
	return pid;
}

pid_t
new_session_pid(void)
{
	return log_new_pid(L_CONNECT_LINE, L_CONNECT, &connect_seen);
}

/* The UI pid of the newest "start ui=" line beyond those seen, once it
 * is logged. */
static pid_t
new_ui_pid(int timeout_ms)
{
	int64_t deadline = sshclient_now_ms() + timeout_ms;

	for (;;) {
		pid_t pid = log_new_pid(L_UI, L_UI, &ui_lines_seen);

		if (pid > 0 || sshclient_now_ms() >= deadline) {
			return pid;
		}
		poll(NULL, 0, 10);
	}
}

/* ---- logging in and hanging up ---- */

void
tui_close(void)
{
	pid_t v[2] = {tui_session, tui_ui};

	if (!tui) {
		return;
	}
	sshclient_close(tui);
	tui = NULL;
	tui_eof = false;
	/* the UI must have closed the database before anything is checked */
	if (!wait_gone(v, 2, T_GONE)) {
		failure(&fig.orphans,
			"session %ld / UI %ld still running %d s after the "
			"hang-up",
			(long)tui_session, (long)tui_ui, T_GONE / 1000);
	}
	tui_session = tui_ui = 0;
}

/* The connection's lines are counted first, so the new session is
 * known by its line. */
void
tui_login_start(void)
{
	const struct sshclient_account *a = desk_account(&dk, "pc_clerk");
	char *log = sshclient_serve_log(&dk.srv);

	connect_seen = count_lines(log, L_CONNECT_LINE);
	free(log);
	tui_session = tui_ui = 0;
	tui = sshclient_start(dk.srv.port, a->login, a->password, 80, 24);
	tui_eof = false;
}

bool
tui_login_seen(int64_t deadline)
{
	while (tui && !tui_eof && !screen_has(home_mark) &&
	       !screen_has(M_RESUME) && sshclient_now_ms() < deadline) {
		service(20);
	}
	return screen_has(home_mark) || screen_has(M_RESUME);
}

/* A draft kept by a UI that lost its terminal is dropped (answering the
 * resume question). */
int
tui_login_finish(void)
{
	bool dummy;

	if (screen_has(M_RESUME)) {
		sshclient_type(tui, "n");
		tui_wait(home_mark, T_SCREEN);
	}
	if (!screen_has(home_mark)) {
		return -1;
	}
	sshclient_type(tui, "l");
	if (!tui_wait(M_LIST, T_SCREEN) ||
	    (tui_ui = new_ui_pid(T_SCREEN)) <= 0 ||
	    (tui_session = proc_parent(tui_ui, &dummy)) <= 0 ||
	    proc_parent(tui_session, &dummy) != dk.srv.pid) {
		return -1;
	}
	tui_last = 0;
	return 0;
}

/* Retries twice: the admission code may be changing under us. */
int
tui_login(int64_t *ms)
{
	char buf[8192] = "";

	for (int attempt = 0; attempt < 3; attempt++) {
		int64_t t0 = sshclient_now_ms();

		if (attempt > 0) {
			fig.login_retries++;
			poll(NULL, 0, 1000); /* let a restarting peer settle */
		}
		tui_login_start();
		if (tui_login_seen(t0 + DESK_T_LOGIN)) {
			*ms = sshclient_now_ms() - t0;
			if (tui_login_finish() == 0) {
				return 0;
			}
		}
		screen_dump(buf, sizeof(buf));
		printf("#   login as pc_clerk failed (attempt %d); the "
		       "screen:\n%s\n",
		       attempt + 1, buf);
		tui_close();
	}
	return -1;
}
