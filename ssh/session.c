/*
 * The connection process: one per TCP connection, forked by the listener.
 *
 *   key exchange (deadline kex_timeout_s)
 *   -> authentication, pty-req, shell or exec (one deadline, grace_s, for
 *      all of it; at most max_auth_tries failures of any method)
 *   -> the UI on a pty, or an allowed command on pipes (exec.c), and a
 *      byte pump between the channel and the child (pump.c)
 *   -> the end: the child exits (exit-status, EOF, close) or the client
 *      goes away (SIGHUP to the child's process group, SIGKILL after a
 *      deadline).
 *
 * The UI and a command are "the child" alike: the same time limits,
 * shutdown, hang-up and reporting to the listener.  A command also has
 * bounds of its own (input, output, run time: struct srv_exec_spec).
 *
 * A password check (the same work for every login, known or not) first
 * waits out the penalty of its source and login (penalty.c), then takes
 * a slot of the password-check gate (slots.c), so memory stays bounded
 * under a storm; a refusal is reported to the listener, which keeps the
 * penalties and the log.  After a success the login takes one of its
 * per-user slots and is recorded; if either fails the client is told why
 * in one line instead of getting a session.
 *
 * Invariants:
 *  - no pty and no child before `authenticated` is set, and it is set only
 *    by a successful password or keyboard-interactive answer for the
 *    pinned login;
 *  - what a client sent as a login reaches a log only once the domain
 *    said it exists (it may be a password typed in the wrong field);
 *  - exactly one session channel, and at most one child on it;
 *  - memory per connection is bounded (see struct srv_pump).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libssh/callbacks.h>

#include "ssh/srv_int.h"

#if defined(__SANITIZE_ADDRESS__)
void __lsan_do_leak_check(void);
#endif

/* How long the UI gets to save a draft after a hang-up before SIGKILL. */
#define HUP_WAIT_MS 5000
/* How long we try to deliver the UI's last output and our close. */
#define CLOSE_WAIT_MS 2000

struct sess {
	const struct srv_config *cfg;
	ssh_session s;
	ssh_event ev;
	ssh_channel chan;
	struct ssh_server_callbacks_struct scb;
	struct ssh_channel_callbacks_struct ccb;
	const char *peer;
	const char *home;
	int status_fd;
	int sig_r;

	/* authentication */
	const struct srv_penalty *penalty;
	struct srv_gate *gate;
	struct srv_usercap *usercap;
	char login_raw[SRV_LOGIN_MAX * 2 + 1]; /* pinned by the first request,
					      * as sent: never logged */
	char login[SRV_LOGIN_MAX + 1]; /* the same, once authenticated */
	const char *who;      /* for the log: "-", "(unknown)" or login */
	bool pinned, too_long;
	bool authenticated;
	bool recorded;        /* the login is in the record (so is logout) */
	bool kbdint_pending;
	int n_fail;
	int64_t grace_at;
	/* instead of a session, this line and exit status 1 */
	char refuse_msg[600];
	bool refusing;

	/* terminal */
	bool have_pty;
	char term[64];
	int cols, rows;
	int master, slave; /* the master is the pump's once the UI runs */

	/* the child: the UI, or a command */
	pid_t ui_pid;
	bool ui_exited;
	int ui_status;
	bool exec;                /* the child is a command */
	struct srv_exec_spec spec; /* its words and bounds */
	char exec_line[SRV_EXEC_CMD_MAX];
	bool exec_killed;  /* a bound was passed and it was killed */
	int forced_status; /* the exit status the client gets instead, or -1 */

	struct srv_pump p; /* p.gone: channel closed or connection lost */

	int64_t last_input_ms; /* for the idle limit */

	/* the end */
	bool stop_requested; /* SIGTERM/SIGINT/SIGHUP from the listener */
	bool hup_sent;
	int64_t kill_at;
	int64_t t_start, t_ui;
	const char *end_reason;
};

static int sig_w = -1;

int64_t
srv_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
srv_exit(int status)
{
#if defined(__SANITIZE_ADDRESS__)
	/* _exit skips LeakSanitizer's atexit check; run it by hand (with
	 * ptrace allowed again, which LSan needs to stop the world). */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	__lsan_do_leak_check();
#endif
	_exit(status);
}

static void
on_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;

	if (write(sig_w, &c, 1) < 0) {
		/* the pipe is full: a wake-up is pending anyway */
	}
	errno = saved;
}

static void
status_send(struct sess *x, enum srv_status type, int32_t arg)
{
	struct srv_status_msg m;

	memset(&m, 0, sizeof(m));
	m.type = (uint8_t)type;
	m.arg = arg;
	if (x->status_fd >= 0 &&
	    send(x->status_fd, &m, sizeof(m), MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		srv_log("status to listener lost: %s", strerror(errno));
	}
}

/* Records an event of the authenticated login; 0, or -1 with msg. */
static int
record(struct sess *x, const char *event, const char *detail, char *msg,
       size_t msglen)
{
	char scratch[256];

	if (msg == NULL) {
		msg = scratch;
		msglen = sizeof(scratch);
	}
	msg[0] = '\0';
	if (x->cfg->session_event == NULL) {
		return 0;
	}
	return x->cfg->session_event(x->cfg->ctx, x->login, event, detail, msg,
				     msglen) == 0
		       ? 0
		       : -1;
}

/* ---- authentication ---- */

/*
 * Pins the login on the first request and checks every later one against
 * it (a client may not change the login within a connection).  false
 * means "refuse this request" (the caller counts the failure).
 */
static bool
check_user(struct sess *x, const char *user)
{
	if (user == NULL) {
		user = "";
	}
	if (!x->pinned) {
		x->pinned = true;
		x->too_long = strlen(user) >= sizeof(x->login_raw);
		snprintf(x->login_raw, sizeof(x->login_raw), "%s", user);
		return true;
	}
	return !x->too_long && strcmp(user, x->login_raw) == 0;
}

/* A failed request of any method: counted against max_auth_tries. */
static void
auth_failed(struct sess *x)
{
	x->n_fail++;
}

/* Waits ms (a penalty), or less if the listener asks us to stop. */
static void
pause_ms(struct sess *x, int ms)
{
	int64_t until = srv_now_ms() + ms;

	while (!x->stop_requested) {
		struct pollfd p = {x->sig_r, POLLIN, 0};
		int64_t left = until - srv_now_ms();

		if (left <= 0) {
			return;
		}
		if (poll(&p, 1, (int)left) > 0) {
			unsigned char buf[64];
			ssize_t n;

			while ((n = read(x->sig_r, buf, sizeof(buf))) > 0) {
				for (ssize_t i = 0; i < n; i++) {
					if (buf[i] == SIGTERM ||
					    buf[i] == SIGINT ||
					    buf[i] == SIGHUP) {
						x->stop_requested = true;
					}
				}
			}
		}
	}
}

/* Tells the listener of a refused password (it keeps the penalties and
 * the log); the login goes along only if it exists. */
static void
report_failure(struct sess *x, const struct srv_penalty_keys *k, bool known)
{
	struct srv_status_msg m;

	memset(&m, 0, sizeof(m));
	m.type = SRV_STATUS_FAILED;
	m.known = known && srv_login_valid(x->login_raw);
	m.keys = *k;
	if (m.known) {
		snprintf(m.login, sizeof(m.login), "%.32s", x->login_raw);
	}
	if (x->status_fd >= 0 &&
	    send(x->status_fd, &m, sizeof(m), MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		srv_log("status to listener lost: %s", strerror(errno));
	}
}

/* After the password: one of the login's session slots, then the login
 * into the record; if either cannot be had, the client gets refuse_msg
 * instead of a session. */
static void
admit_login(struct sess *x, const char *method,
	    const struct srv_penalty_keys *k)
{
	char msg[256], detail[200];

	if (srv_usercap_take(x->usercap, k->login) != 0) {
		srv_log("session peer=%s user=%s refused: %d sessions open "
			"(per_user_max)",
			x->peer, x->login, x->cfg->per_user_max);
		snprintf(x->refuse_msg, sizeof(x->refuse_msg),
			 "nomdesk: 账号 %s 已有 %d 个会话在使用（上限）；"
			 "请先退出其中一个会话再登录。\r\n"
			 "nomdesk: %s already has %d session(s) open, the "
			 "limit; end one of them, then log in again.\r\n",
			 x->login, x->cfg->per_user_max, x->login,
			 x->cfg->per_user_max);
		return;
	}
	snprintf(detail, sizeof(detail), "%s from %s", method, x->peer);
	if (record(x, "login", detail, msg, sizeof(msg)) != 0) {
		srv_log("session peer=%s user=%s refused: the login cannot be "
			"recorded: %s",
			x->peer, x->login, msg);
		snprintf(x->refuse_msg, sizeof(x->refuse_msg),
			 "nomdesk: 密码正确，但系统无法记录本次登录，"
			 "因此不能开始会话；请告知系统管理员。\r\n"
			 "nomdesk: your password is right, but the server "
			 "cannot record the login, so no session can start "
			 "(%s); tell the administrator.\r\n",
			 msg);
		return;
	}
	x->recorded = true;
}

/* Verifies a password for the pinned login; true on success. */
static bool
verify(struct sess *x, const char *method, const char *user,
       const char *password)
{
	struct srv_penalty_keys k;
	struct srv_auth_result res;
	bool slow = false;
	int64_t left, t_gate, t_check;
	int delay, rc, waited = 0;

	if (x->authenticated) {
		return false; /* one success per connection */
	}
	if (x->n_fail >= x->cfg->max_auth_tries) {
		/* pipelined requests after the limit: no more work */
		x->n_fail++;
		return false;
	}
	if (!check_user(x, user) || password == NULL) {
		auth_failed(x);
		return false;
	}
	srv_penalty_keys(x->penalty, x->peer, x->login_raw, &k);
	delay = srv_penalty_delay_ms(x->penalty, &k, srv_now_ms(), &slow);
	left = x->grace_at - srv_now_ms();
	if (delay > 0) {
		/* slowed, never refused: a penalty ends within the grace time
		 * so the right password still gets its check */
		if (delay > left - 2000) {
			delay = left - 2000 > 0 ? (int)(left - 2000) : 0;
		}
		pause_ms(x, delay);
		waited = delay;
		left = x->grace_at - srv_now_ms();
	}
	t_gate = srv_now_ms();
	if (x->stop_requested ||
	    srv_gate_enter(x->gate, slow, k.source, left > 0 ? (int)left : 1) !=
		    0) {
		srv_log("auth peer=%s: no password check within the grace "
			"time (%d at once)",
			x->peer, x->cfg->password_checks);
		auth_failed(x);
		return false;
	}
	t_check = srv_now_ms();
	memset(&res, 0, sizeof(res));
	rc = x->cfg->auth_password(x->cfg->ctx, x->login_raw, password,
				   x->peer, &res);
	slow = x->gate->held == 2; /* the lane it really took */
	srv_gate_leave(x->gate);
	x->who = res.known && srv_login_valid(x->login_raw) ? x->login_raw
							   : "(unknown)";
	if (rc == SRV_AUTH_ERROR) {
		char e[300];

		srv_log_escape_text(res.msg, e, sizeof(e));
		srv_log("auth peer=%s user=%s method=%s: the password could not "
			"be checked: %s",
			x->peer, x->who, method, e);
		auth_failed(x);
		return false;
	}
	if (rc != SRV_AUTH_OK || !srv_login_valid(x->login_raw)) {
		report_failure(x, &k, res.known);
		auth_failed(x);
		return false;
	}
	x->authenticated = true;
	snprintf(x->login, sizeof(x->login), "%.32s", x->login_raw);
	x->who = x->login;
	srv_log("auth peer=%s user=%s method=%s result=ok penalty_ms=%d "
		"queue_ms=%lld check_ms=%lld%s",
		x->peer, x->login, method, waited,
		(long long)(t_check - t_gate),
		(long long)(srv_now_ms() - t_check),
		slow ? " slow_lane" : "");
	status_send(x, SRV_STATUS_AUTHENTICATED, 0);
	admit_login(x, method, &k);
	return true;
}

static int
cb_auth_none(ssh_session s, const char *user, void *ud)
{
	struct sess *x = ud;

	(void)s;
	if (!x->authenticated) {
		check_user(x, user);
		auth_failed(x);
	}
	return SSH_AUTH_DENIED;
}

static int
cb_auth_password(ssh_session s, const char *user, const char *password,
		 void *ud)
{
	(void)s;
	return verify(ud, "password", user, password) ? SSH_AUTH_SUCCESS
						      : SSH_AUTH_DENIED;
}

/*
 * Public keys are not enrolled yet: refuse every key, in the query state
 * too (answering PK_OK would tell a prober which keys we know, and only
 * the VALID state may ever mean success).
 */
static int
cb_auth_pubkey(ssh_session s, const char *user, struct ssh_key_struct *key,
	       char state, void *ud)
{
	struct sess *x = ud;

	(void)s;
	(void)key;
	(void)state;
	if (!x->authenticated) {
		check_user(x, user);
		auth_failed(x);
	}
	return SSH_AUTH_DENIED;
}

/*
 * Keyboard-interactive, for PuTTY users and clients that prefer it: libssh
 * 0.10 has no callback for it, so it arrives here as a message.  One
 * prompt, "Password: ", answered like the password method.  A response is
 * accepted only right after our own request.
 */
static int
cb_message(ssh_session s, ssh_message msg, void *ud)
{
	struct sess *x = ud;
	static const char *prompts[] = {"Password: "};
	char echo[] = {0};
	const char *answer;

	if (ssh_message_type(msg) != SSH_REQUEST_AUTH ||
	    ssh_message_subtype(msg) != SSH_AUTH_METHOD_INTERACTIVE ||
	    x->authenticated) {
		return 1; /* libssh's default reply: refusal */
	}
	if (!ssh_message_auth_kbdint_is_response(msg)) {
		if (x->n_fail >= x->cfg->max_auth_tries) {
			x->n_fail++;
			return 1;
		}
		if (!check_user(x, ssh_message_auth_user(msg))) {
			auth_failed(x);
			return 1;
		}
		if (ssh_message_auth_interactive_request(msg, "", "", 1,
							 prompts, echo) !=
		    SSH_OK) {
			return 1;
		}
		x->kbdint_pending = true;
		return 0;
	}
	if (!x->kbdint_pending) {
		auth_failed(x);
		return 1;
	}
	x->kbdint_pending = false;
	answer = ssh_userauth_kbdint_getnanswers(s) == 1
			 ? ssh_userauth_kbdint_getanswer(s, 0)
			 : NULL;
	/* the response carries no user name: it is the pinned one */
	if (!verify(x, "keyboard-interactive", x->login_raw, answer)) {
		return 1;
	}
	ssh_message_auth_reply_success(msg, 0);
	return 0;
}

/* ---- channel requests ---- */

static int cb_data(ssh_session s, ssh_channel c, void *data, uint32_t len,
		   int is_stderr, void *ud);
static void cb_eof(ssh_session s, ssh_channel c, void *ud);
static void cb_close(ssh_session s, ssh_channel c, void *ud);
static int cb_pty(ssh_session s, ssh_channel c, const char *term, int cols,
		  int rows, int pxw, int pxh, void *ud);
static int cb_winch(ssh_session s, ssh_channel c, int cols, int rows,
		    int pxw, int pxh, void *ud);
static int cb_shell(ssh_session s, ssh_channel c, void *ud);
static int cb_exec(ssh_session s, ssh_channel c, const char *cmd, void *ud);
static int cb_env(ssh_session s, ssh_channel c, const char *name,
		  const char *value, void *ud);
static int cb_subsystem(ssh_session s, ssh_channel c, const char *name,
			void *ud);
static int cb_wontblock(ssh_session s, ssh_channel c, uint32_t bytes,
			void *ud);

static ssh_channel
cb_channel_open(ssh_session s, void *ud)
{
	struct sess *x = ud;

	if (!x->authenticated || x->chan != NULL) {
		srv_log("channel peer=%s user=%s refused: %s", x->peer,
			x->who,
			x->authenticated ? "second session channel"
					 : "not authenticated");
		return NULL;
	}
	x->chan = ssh_channel_new(s);
	if (x->chan == NULL) {
		return NULL;
	}
	x->p.chan = x->chan;
	/* Only the requests below are answered; x11 and agent forwarding
	 * have no callback on purpose (libssh would reply success to an
	 * x11-req whatever a callback did). */
	memset(&x->ccb, 0, sizeof(x->ccb));
	x->ccb.userdata = x;
	x->ccb.channel_data_function = cb_data;
	x->ccb.channel_eof_function = cb_eof;
	x->ccb.channel_close_function = cb_close;
	x->ccb.channel_pty_request_function = cb_pty;
	x->ccb.channel_pty_window_change_function = cb_winch;
	x->ccb.channel_shell_request_function = cb_shell;
	x->ccb.channel_exec_request_function = cb_exec;
	x->ccb.channel_env_request_function = cb_env;
	x->ccb.channel_subsystem_request_function = cb_subsystem;
	x->ccb.channel_write_wontblock_function = cb_wontblock;
	ssh_callbacks_init(&x->ccb);
	ssh_set_channel_callbacks(x->chan, &x->ccb);
	return x->chan;
}

static int
cb_pty(ssh_session s, ssh_channel c, const char *term, int cols, int rows,
       int pxw, int pxh, void *ud)
{
	struct sess *x = ud;
	const char *t = srv_term_checked(term);

	(void)s;
	(void)c;
	(void)pxw;
	(void)pxh;
	if (!x->authenticated || x->have_pty || x->ui_pid > 0) {
		return -1;
	}
	x->cols = srv_clamp_cols(cols);
	x->rows = srv_clamp_rows(rows);
	snprintf(x->term, sizeof(x->term), "%s", t);
	if (srv_pty_open(x->cols, x->rows, &x->master, &x->slave) != 0) {
		srv_log("pty peer=%s user=%s: cannot open a pty: %s", x->peer,
			x->login, strerror(errno));
		return -1;
	}
	x->have_pty = true;
	if (t != term) {
		char esc[160];

		srv_log_escape_text(term, esc, sizeof(esc));
		srv_log("pty user=%s: TERM \"%s\" refused, using %s", x->login,
			esc, t);
	}
	return 0;
}

static int
cb_winch(ssh_session s, ssh_channel c, int cols, int rows, int pxw, int pxh,
	 void *ud)
{
	struct sess *x = ud;

	(void)s;
	(void)c;
	(void)pxw;
	(void)pxh;
	if (!x->have_pty) {
		return -1;
	}
	x->cols = srv_clamp_cols(cols);
	x->rows = srv_clamp_rows(rows);
	srv_pty_resize(x->master, x->cols, x->rows);
	return 0;
}

static int
cb_shell(ssh_session s, ssh_channel c, void *ud)
{
	struct sess *x = ud;
	struct srv_ui_spec spec;

	(void)s;
	if (!x->authenticated || x->ui_pid > 0 || x->refusing) {
		return -1;
	}
	if (x->refuse_msg[0] != '\0') {
		ssh_channel_write(c, x->refuse_msg,
				  (uint32_t)strlen(x->refuse_msg));
		x->refusing = true;
		return 0;
	}
	if (!x->have_pty) {
		srv_log("shell user=%s refused: no pty (use ssh -t)", x->login);
		static const char msg[] =
			"nomdesk: 需要终端，请用 ssh -t 连接。\r\n"
			"nomdesk needs a terminal: connect with ssh -t\r\n";

		ssh_channel_write_stderr(c, msg, sizeof(msg) - 1);
		return -1;
	}
	spec.cfg = x->cfg;
	spec.login = x->login;
	spec.term = x->term;
	spec.home = x->home;
	x->ui_pid = srv_ui_spawn(&spec, x->slave);
	if (x->ui_pid < 0) {
		srv_log("shell user=%s: cannot fork: %s", x->login,
			strerror(errno));
		x->ui_pid = 0;
		return -1;
	}
	close(x->slave);
	x->slave = -1;
	/* the master is the pump's now; x->master stays for resizes */
	srv_pump_start(&x->p, x->master, x->master, -1, false);
	alarm(0);
	x->t_ui = x->last_input_ms = srv_now_ms();
	status_send(x, SRV_STATUS_UI, (int32_t)x->ui_pid);
	srv_log("session peer=%s user=%s start ui=%ld term=%s size=%dx%d",
		x->peer, x->login, (long)x->ui_pid, x->term, x->cols, x->rows);
	return 0;
}

/*
 * An exec request: refused (logged, one line on stderr, a failed request)
 * unless the allow-list takes it (exec.c, srv.h); then the command runs on
 * pipes.  A pty asked for before is given up: commands get none.
 */
static int
cb_exec(ssh_session s, ssh_channel c, const char *cmd, void *ud)
{
	static const char msg[] =
		"nomdesk: 此命令不能通过 SSH 执行；不带命令连接即可使用系统。\r\n"
		"nomdesk: this command is not available over SSH; connect "
		"without a command to use the desk.\r\n";
	struct sess *x = ud;
	struct srv_ui_spec ui;
	struct srv_exec_fds fds;
	const char *why = "busy";
	char esc[200];

	(void)s;
	srv_log_escape_text(cmd, esc, sizeof(esc));
	if (x->authenticated && x->ui_pid <= 0 && !x->refusing &&
	    x->refuse_msg[0] != '\0') {
		ssh_channel_write_stderr(c, x->refuse_msg,
					 (uint32_t)strlen(x->refuse_msg));
		x->refusing = true;
		return 0;
	}
	if (!x->authenticated || x->ui_pid > 0 || x->refusing ||
	    srv_exec_check(x->cfg, x->login, cmd, &x->spec, &why) != 0) {
		srv_log("exec peer=%s user=%s refused: \"%s\" (%s)", x->peer,
			x->login, esc, why);
		ssh_channel_write_stderr(c, msg, sizeof(msg) - 1);
		return -1;
	}
	srv_exec_line(&x->spec, x->exec_line, sizeof(x->exec_line));
	if (x->have_pty) {
		close(x->master);
		close(x->slave);
		x->master = x->slave = -1;
		x->have_pty = false;
	}
	ui.cfg = x->cfg;
	ui.login = x->login;
	ui.term = NULL;
	ui.home = x->home;
	x->ui_pid = srv_exec_spawn(&ui, &x->spec, &fds);
	if (x->ui_pid < 0) {
		srv_log("exec peer=%s user=%s: cannot start \"%s\": %s",
			x->peer, x->login, x->exec_line, strerror(errno));
		x->ui_pid = 0;
		return -1;
	}
	x->exec = true;
	srv_pump_start(&x->p, fds.in, fds.out, fds.err, true);
	x->p.max_in = x->spec.max_in;
	x->p.max_out = x->spec.max_out;
	alarm(0);
	x->t_ui = srv_now_ms();
	status_send(x, SRV_STATUS_UI, (int32_t)x->ui_pid);
	srv_log("exec peer=%s user=%s start pid=%ld cmd=\"%s\"", x->peer,
		x->login, (long)x->ui_pid, x->exec_line);
	return 0;
}

static int
cb_env(ssh_session s, ssh_channel c, const char *name, const char *value,
       void *ud)
{
	/* The UI's environment is ours alone (TERM, LANG=C.UTF-8...). */
	(void)s;
	(void)c;
	(void)name;
	(void)value;
	(void)ud;
	return -1;
}

static int
cb_subsystem(ssh_session s, ssh_channel c, const char *name, void *ud)
{
	struct sess *x = ud;
	char esc[100];

	(void)s;
	(void)c;
	srv_log_escape_text(name, esc, sizeof(esc));
	srv_log("subsystem peer=%s user=%s refused: \"%s\"", x->peer,
		x->login, esc);
	return -1;
}

static void
cb_eof(ssh_session s, ssh_channel c, void *ud)
{
	struct sess *x = ud;

	/* A command's stdin ends (pump.c); EOF alone on a pty session is no
	 * reason to end: the UI decides. */
	(void)s;
	(void)c;
	srv_pump_eof(&x->p);
}

static void
cb_close(ssh_session s, ssh_channel c, void *ud)
{
	struct sess *x = ud;

	(void)s;
	(void)c;
	x->p.gone = true;
}

/* ---- the pump (pump.c) ---- */

static int
cb_data(ssh_session s, ssh_channel c, void *data, uint32_t len,
	int is_stderr, void *ud)
{
	struct sess *x = ud;

	(void)s;
	(void)c;
	(void)is_stderr;
	x->last_input_ms = srv_now_ms();
	return srv_pump_data(&x->p, data, len);
}

static int
cb_wontblock(ssh_session s, ssh_channel c, uint32_t bytes, void *ud)
{
	struct sess *x = ud;

	(void)s;
	(void)c;
	(void)bytes;
	srv_pump_out(&x->p);
	return 0;
}

static void
reap_ui(struct sess *x)
{
	int st;

	if (x->ui_pid <= 0 || x->ui_exited) {
		return;
	}
	if (waitpid(x->ui_pid, &st, WNOHANG) == x->ui_pid) {
		x->ui_exited = true;
		x->ui_status = st;
	}
}

static int
cb_signal(socket_t fd, int revents, void *ud)
{
	struct sess *x = ud;
	unsigned char buf[64];
	ssize_t n;

	(void)revents;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == SIGTERM || buf[i] == SIGINT ||
			    buf[i] == SIGHUP) {
				x->stop_requested = true;
			}
		}
	}
	reap_ui(x);
	return 0;
}

static bool
connection_lost(struct sess *x)
{
	return x->p.gone || !ssh_is_connected(x->s) ||
	       (ssh_get_status(x->s) & (SSH_CLOSED | SSH_CLOSED_ERROR)) != 0;
}

static int
poll_once(struct sess *x, int timeout_ms)
{
	int rc;

	srv_pump_sync(&x->p);
	rc = ssh_event_dopoll(x->ev, timeout_ms);
	if (rc == SSH_ERROR) {
		x->p.gone = true;
	}
	return rc;
}

/* ---- ending ---- */

static const char *
signame(int sig)
{
	switch (sig) {
	case SIGHUP:
		return "HUP";
	case SIGINT:
		return "INT";
	case SIGKILL:
		return "KILL";
	case SIGTERM:
		return "TERM";
	case SIGSEGV:
		return "SEGV";
	case SIGABRT:
		return "ABRT";
	case SIGBUS:
		return "BUS";
	case SIGFPE:
		return "FPE";
	case SIGILL:
		return "ILL";
	case SIGPIPE:
		return "PIPE";
	default:
		return "USR1"; /* RFC 4254 lists no generic name */
	}
}

/* Signals the UI's process group (the UI leads its own session), or the
 * UI alone if it has not yet made its group. */
static void
signal_ui(struct sess *x, int sig)
{
	if (kill(-x->ui_pid, sig) != 0) {
		kill(x->ui_pid, sig);
	}
}

/* The child has exited and the client is still there: deliver its last
 * output, the exit status, EOF and close, and wait briefly for the
 * client's close so nothing is cut off. */
static void
finish_ui_exited(struct sess *x)
{
	int64_t deadline = srv_now_ms() + CLOSE_WAIT_MS;

	/* Until read() says EIO (pty) or EOF (pipes): the pty may hand over
	 * the UI's last writes a little after its exit (and if a grandchild
	 * still holds the other end, the deadline ends this). */
	while (!connection_lost(x) && srv_now_ms() < deadline &&
	       !srv_pump_out_done(&x->p)) {
		srv_pump_out(&x->p);
		if (srv_pump_read(&x->p) == 0) {
			poll_once(x, 50);
		}
	}
	if (connection_lost(x)) {
		return;
	}
	if (x->forced_status >= 0) {
		ssh_channel_request_send_exit_status(x->chan,
						     x->forced_status);
	} else if (WIFEXITED(x->ui_status)) {
		ssh_channel_request_send_exit_status(x->chan,
						     WEXITSTATUS(x->ui_status));
	} else if (WIFSIGNALED(x->ui_status)) {
		ssh_channel_request_send_exit_signal(
			x->chan, signame(WTERMSIG(x->ui_status)),
			WCOREDUMP(x->ui_status) ? 1 : 0, "", "");
	}
	ssh_channel_send_eof(x->chan);
	ssh_channel_close(x->chan);
	while (!connection_lost(x) && srv_now_ms() < deadline) {
		poll_once(x, 100);
	}
}

/* The client is gone (or we are told to stop, or time is up): hang up the
 * UI like a terminal line drop, so it can keep a draft, then make sure. */
static void
hangup_ui(struct sess *x, int wait_ms)
{
	int64_t deadline = srv_now_ms() + wait_ms;

	if (x->ui_pid <= 0 || x->ui_exited) {
		return;
	}
	signal_ui(x, SIGHUP);
	signal_ui(x, SIGCONT);
	while (!x->ui_exited && srv_now_ms() < deadline) {
		int64_t left = deadline - srv_now_ms();
		bool sig = false;

		/* keep draining the child's output so it never blocks
		 * writing to a terminal (or pipe) nobody reads */
		srv_pump_discard(&x->p, x->sig_r, &sig,
				 left > 100 ? 100 : (int)(left < 0 ? 0 : left));
		if (sig) {
			cb_signal(x->sig_r, POLLIN, x);
		}
		reap_ui(x);
	}
	if (!x->ui_exited) {
		srv_log("session user=%s: UI %ld ignored the hang-up, killing",
			x->login, (long)x->ui_pid);
		signal_ui(x, SIGKILL);
		kill(x->ui_pid, SIGKILL);
		while (waitpid(x->ui_pid, &x->ui_status, 0) < 0 &&
		       errno == EINTR) {
		}
		x->ui_exited = true;
	}
}

static void
describe_status(int st, char *buf, size_t len)
{
	if (WIFEXITED(st)) {
		snprintf(buf, len, "exit %d", WEXITSTATUS(st));
	} else if (WIFSIGNALED(st)) {
		snprintf(buf, len, "signal %d", WTERMSIG(st));
	} else {
		snprintf(buf, len, "status %d", st);
	}
}

/*
 * A command's own bounds: run time (then it is hung up like a UI at a
 * time limit), and input or output past its bound (then it is killed at
 * once: it has not seen EOF, so it cannot have acted on a truncated
 * input; the client gets a line on stderr and exit status 1).
 */
static void
exec_limits(struct sess *x, int64_t now)
{
	char msg[300];
	bool in;
	size_t max;

	if (!x->hup_sent && now - x->t_ui >= (int64_t)x->spec.max_s * 1000) {
		srv_log("exec user=%s: \"%s\" ran for %d s, hanging up",
			x->login, x->exec_line, x->spec.max_s);
		x->end_reason = "time limit";
		x->stop_requested = true;
	}
	if (x->exec_killed || !(x->p.over_in || x->p.over_out)) {
		return;
	}
	in = x->p.over_in;
	max = in ? x->spec.max_in : x->spec.max_out;
	srv_log("exec peer=%s user=%s: \"%s\" %s over %zu bytes, killed",
		x->peer, x->login, x->exec_line, in ? "input" : "output", max);
	snprintf(msg, sizeof(msg),
		 "nomdesk: %s超过 %zu 字节，命令已终止。\n"
		 "nomdesk: %s over %zu bytes: the command was stopped.\n",
		 in ? "输入" : "输出", max, in ? "input" : "output", max);
	ssh_channel_write_stderr(x->chan, msg, (uint32_t)strlen(msg));
	signal_ui(x, SIGKILL);
	x->exec_killed = true;
	x->forced_status = 1;
	x->end_reason = in ? "input over limit" : "output over limit";
}

/* ---- the process ---- */

static int
setup_signals(struct sess *x)
{
	static const int sigs[] = {SIGCHLD, SIGTERM, SIGINT, SIGHUP};
	struct sigaction sa;
	int p[2];

	if (pipe(p) != 0) {
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		int fl = fcntl(p[i], F_GETFL);

		fcntl(p[i], F_SETFL, fl | O_NONBLOCK);
		fcntl(p[i], F_SETFD, FD_CLOEXEC);
	}
	x->sig_r = p[0];
	sig_w = p[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaction(sigs[i], &sa, NULL);
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGALRM, SIG_DFL); /* the hard deadline below kills */
	return 0;
}

static void
tune_socket(int fd)
{
	int on = 1, idle = 30, intvl = 10, cnt = 3;
	unsigned int user_timeout = 60000;

	/* libssh leaves Nagle on: three ~40 ms stalls per login otherwise */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	/* dead peers: keepalive probes, and give up on unacked data */
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
	setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout,
		   sizeof(user_timeout));
}

/* A login that gets no session (refuse_msg was written): exit status 1,
 * EOF and close, and a moment for the client to read them. */
static void
finish_refused(struct sess *x)
{
	int64_t deadline = srv_now_ms() + CLOSE_WAIT_MS;

	x->end_reason = "refused";
	ssh_channel_request_send_exit_status(x->chan, 1);
	ssh_channel_send_eof(x->chan);
	ssh_channel_close(x->chan);
	while (!connection_lost(x) && srv_now_ms() < deadline) {
		poll_once(x, 100);
	}
}

static void __attribute__((noreturn))
finish(struct sess *x, int code)
{
	char detail[320], st[32];
	int64_t now = srv_now_ms();

	if (x->ui_pid > 0 && !x->ui_exited) {
		hangup_ui(x, HUP_WAIT_MS);
	}
	if (x->recorded) {
		if (x->ui_pid > 0) {
			describe_status(x->ui_status, st, sizeof(st));
		} else {
			snprintf(st, sizeof(st), "no shell");
		}
		/* a command is named (it passed the allow-list, so it is
		 * plain text) */
		snprintf(detail, sizeof(detail), "%s%s%s%s; %s; %lld s",
			 x->exec ? "exec " : "", x->exec ? x->exec_line : "",
			 x->exec ? ", " : "",
			 x->end_reason ? x->end_reason : "end", st,
			 (long long)((now - x->t_start) / 1000));
		if (record(x, "logout", detail, NULL, 0) != 0) {
			srv_log("session peer=%s user=%s: the logout could not "
				"be recorded",
				x->peer, x->login);
		}
		srv_log("session peer=%s user=%s end (%s) in=%llu out=%llu "
			"duration_ms=%lld",
			x->peer, x->login, detail,
			(unsigned long long)x->p.bytes_in,
			(unsigned long long)x->p.bytes_out,
			(long long)(now - x->t_start));
	}
	srv_pump_release(&x->p);
	if (x->ui_pid <= 0 && x->master >= 0) {
		close(x->master); /* a pty never handed to a UI */
	}
	if (x->ev != NULL) {
		ssh_event_remove_fd(x->ev, x->sig_r);
		ssh_event_remove_session(x->ev, x->s);
		ssh_event_free(x->ev);
	}
	if (x->s != NULL) {
		if (ssh_is_connected(x->s)) {
			ssh_disconnect(x->s);
		}
		ssh_free(x->s);
	}
	ssh_finalize();
	srv_exit(code);
}

void
srv_session_main(const struct srv_session_args *a)
{
	static struct sess sx;
	struct sess *x = &sx;
	const struct srv_config *cfg = a->cfg;
	struct rlimit rl = {0, 0};
	int64_t grace_at;
	int devnull;

	memset(x, 0, sizeof(*x));
	x->cfg = cfg;
	x->peer = a->peer;
	x->home = a->home;
	x->status_fd = a->status_fd;
	x->master = x->slave = -1;
	x->forced_status = -1;
	srv_pump_init(&x->p, NULL, NULL);
	x->t_start = srv_now_ms();
	grace_at = x->t_start + (int64_t)cfg->grace_s * 1000;
	x->grace_at = grace_at;
	x->who = "-";
	x->penalty = a->penalty;
	x->gate = a->gate;
	x->usercap = a->usercap;

	/* The listener's stdin/stdout are not ours (a pipe reader would
	 * wait for our exit to see EOF); stderr stays for the log. */
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull >= 0) {
		dup2(devnull, STDIN_FILENO);
		dup2(devnull, STDOUT_FILENO);
		close(devnull);
	}
	/* The host key is in this process: no core dumps, no ptrace by
	 * other processes of our uid, no privilege gain through exec. */
	setrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (setup_signals(x) != 0) {
		srv_log("connection peer=%s: no pipe: %s", x->peer,
			strerror(errno));
		srv_exit(1);
	}

	/*
	 * A last-resort deadline for everything before the UI runs, in case
	 * a callback blocks (a database locked forever): SIGALRM's default
	 * action ends the process, with no handler to get wrong.  The poll
	 * loop's grace deadline normally acts long before.
	 */
	alarm((unsigned)(cfg->kex_timeout_s + cfg->grace_s + 10));

	x->s = ssh_new();
	if (x->s == NULL) {
		ssh_bind_free(a->bind);
		close(a->fd);
		finish(x, 1);
	}
	if (ssh_bind_accept_fd(a->bind, x->s, a->fd) != SSH_OK) {
		srv_log("connection peer=%s: accept failed: %s", x->peer,
			ssh_get_error(a->bind));
		ssh_bind_free(a->bind);
		finish(x, 1);
	}
	/* the session has its own copy of the host key now */
	ssh_bind_free(a->bind);
	tune_socket(a->fd);
	{
		long t = cfg->kex_timeout_s;

		ssh_options_set(x->s, SSH_OPTIONS_TIMEOUT, &t);
	}

	memset(&x->scb, 0, sizeof(x->scb));
	x->scb.userdata = x;
	x->scb.auth_none_function = cb_auth_none;
	x->scb.auth_password_function = cb_auth_password;
	x->scb.auth_pubkey_function = cb_auth_pubkey;
	x->scb.channel_open_request_session_function = cb_channel_open;
	ssh_callbacks_init(&x->scb);
	ssh_set_server_callbacks(x->s, &x->scb);
	ssh_set_message_callback(x->s, cb_message, x);
	ssh_set_auth_methods(x->s,
			     SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_INTERACTIVE);

	if (ssh_handle_key_exchange(x->s) != SSH_OK) {
		char e[200];

		srv_log_escape_text(ssh_get_error(x->s), e, sizeof(e));
		srv_log("connection peer=%s: key exchange failed: %s", x->peer,
			e);
		finish(x, 1);
	}
	{
		char banner[200];

		srv_log_escape_text(ssh_get_clientbanner(x->s), banner,
				    sizeof(banner));
		srv_log("connection peer=%s client=\"%s\" kex=%s cipher=%s/%s "
			"mac=%s/%s",
			x->peer, banner, ssh_get_kex_algo(x->s),
			ssh_get_cipher_in(x->s), ssh_get_cipher_out(x->s),
			ssh_get_hmac_in(x->s), ssh_get_hmac_out(x->s));
	}
	ssh_set_blocking(x->s, 0);
	x->ev = ssh_event_new();
	if (x->ev == NULL || ssh_event_add_session(x->ev, x->s) != SSH_OK ||
	    ssh_event_add_fd(x->ev, x->sig_r, POLLIN, cb_signal, x) !=
		    SSH_OK) {
		srv_log("connection peer=%s: no event loop", x->peer);
		finish(x, 1);
	}
	x->p.s = x->s;
	x->p.ev = x->ev;

	/* Authentication, pty-req and shell or exec, all within grace_s. */
	while (x->ui_pid <= 0) {
		int64_t left = grace_at - srv_now_ms();

		if (x->n_fail >= cfg->max_auth_tries) {
			/* the listener's disconnect line says "exit 2"; the
			 * failures themselves are in its aggregated lines */
			finish(x, 2);
		}
		if (x->refusing) {
			finish_refused(x);
			finish(x, 0);
		}
		if (left <= 0) {
			srv_log("connection peer=%s user=%s: no session within "
				"%d s",
				x->peer, x->who, cfg->grace_s);
			x->end_reason = "grace time over";
			finish(x, 3);
		}
		if (x->stop_requested) {
			x->end_reason = "server shutdown";
			finish(x, 0);
		}
		if (connection_lost(x)) {
			x->end_reason = "client left";
			finish(x, 0);
		}
		poll_once(x, left < 250 ? (int)left : 250);
	}

	/* The session: pump bytes until the child exits or the client
	 * leaves. */
	for (;;) {
		int64_t now = srv_now_ms();
		int timeout = 1000;

		reap_ui(x);
		if (x->ui_exited) {
			if (x->end_reason == NULL) {
				x->end_reason = x->exec ? "exit" : "ui exit";
			}
			finish_ui_exited(x);
			finish(x, 0);
		}
		if (connection_lost(x)) {
			x->end_reason = "client left";
			finish(x, 0);
		}
		if (cfg->max_session_s > 0 && !x->hup_sent &&
		    now - x->t_ui >= (int64_t)cfg->max_session_s * 1000) {
			srv_log("session user=%s: time limit of %d s reached",
				x->login, cfg->max_session_s);
			x->end_reason = "time limit";
			x->stop_requested = true;
		}
		if (cfg->idle_s > 0 && !x->hup_sent && !x->exec &&
		    now - x->last_input_ms >= (int64_t)cfg->idle_s * 1000) {
			srv_log("session user=%s: no input for %d s", x->login,
				cfg->idle_s);
			x->end_reason = "idle";
			x->stop_requested = true;
		}
		if (x->exec) {
			exec_limits(x, now);
		}
		if (x->stop_requested && !x->hup_sent) {
			int grace = cfg->shutdown_grace_s * 1000 - 2000;

			if (x->end_reason == NULL) {
				x->end_reason = "server shutdown";
			}
			/* The UI saves a draft and exits; the normal end
			 * then tells the client its exit status. */
			signal_ui(x, SIGHUP);
			signal_ui(x, SIGCONT);
			x->hup_sent = true;
			x->kill_at = now + (grace < 1000 ? 1000 : grace);
		}
		if (x->hup_sent && now >= x->kill_at) {
			signal_ui(x, SIGKILL);
			kill(x->ui_pid, SIGKILL);
		}
		srv_pump_out(&x->p);
		for (int i = 0; i < 16 && x->p.in_backlog; i++) {
			srv_pump_backlog(&x->p);
			if (x->p.in_len > 0) {
				break; /* the child is not keeping up */
			}
		}
		if (x->p.out_len > 0 ||
		    (ssh_get_poll_flags(x->s) & SSH_WRITE_PENDING) != 0) {
			timeout = 50;
		}
		poll_once(x, timeout);
	}
}
