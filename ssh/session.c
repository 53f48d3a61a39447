/*
 * The connection process: one per TCP connection, forked by the listener.
 *
 *   key exchange (deadline kex_timeout_s)
 *   -> authentication, pty-req, shell (one deadline, grace_s, for all of
 *      it; at most max_auth_tries failures of any method)
 *   -> the UI on a pty, and a byte pump between the channel and the pty
 *      master
 *   -> the end: the UI exits (exit-status, EOF, close) or the client goes
 *      away (SIGHUP to the UI's process group, SIGKILL after a deadline).
 *
 * Invariants:
 *  - no pty and no UI before `authenticated` is set, and it is set only by
 *    a successful password or keyboard-interactive answer for the pinned
 *    login;
 *  - exactly one session channel;
 *  - memory per connection is bounded: at most one read of the master
 *    (sizeof out) waits for the client's window, and at most sizeof in
 *    bytes of client input wait for the UI; beyond that libssh keeps the
 *    data and stops growing the client's window (back-pressure);
 *  - we never read the master while libssh still has output it could not
 *    hand to the kernel, so a client that stops reading its socket stalls
 *    its own UI, not our memory.
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
	char login[SRV_LOGIN_MAX + 1]; /* pinned by the first request */
	char login_esc[4 * 40];        /* for logs and records */
	bool pinned, login_ok;
	bool authenticated;
	bool kbdint_pending;
	int n_fail;

	/* terminal */
	bool have_pty;
	char term[64];
	int cols, rows;
	int master, slave;
	pid_t ui_pid;
	bool ui_exited;
	int ui_status;

	/* pump */
	char out[16384]; /* master -> channel, waiting for the window */
	size_t out_off, out_len;
	char in[4096]; /* channel -> master, waiting for the UI */
	size_t in_len;
	bool in_backlog; /* libssh holds input we refused */
	bool master_eof;
	short master_reg; /* events registered with ev; 0 = none */
	uint64_t bytes_in, bytes_out;

	/* the end */
	bool client_gone;    /* channel closed or connection lost */
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

static void
record(struct sess *x, const char *event, const char *detail)
{
	if (x->cfg->session_event != NULL) {
		x->cfg->session_event(x->cfg->ctx,
				      x->login_ok ? x->login : x->login_esc,
				      event, detail);
	}
}

/* ---- authentication ---- */

/*
 * Pins the login on the first request and checks every later one against
 * it.  false means "refuse this request" (the caller counts the failure).
 */
static bool
check_user(struct sess *x, const char *user)
{
	if (!x->pinned) {
		x->pinned = true;
		srv_log_escape(user, x->login_esc, sizeof(x->login_esc));
		x->login_ok = srv_login_valid(user);
		if (x->login_ok) {
			snprintf(x->login, sizeof(x->login), "%s", user);
		} else {
			srv_log("auth peer=%s user=%s refused: invalid login "
				"name",
				x->peer, x->login_esc);
		}
	} else if (user == NULL || !x->login_ok ||
		   strcmp(user, x->login) != 0) {
		if (x->login_ok) {
			char esc[160];

			srv_log_escape(user, esc, sizeof(esc));
			srv_log("auth peer=%s user=%s refused: login changed "
				"to %s",
				x->peer, x->login_esc, esc);
		}
		return false;
	}
	return x->login_ok;
}

static void
auth_failed(struct sess *x, const char *method, const char *why)
{
	char detail[200];

	x->n_fail++;
	srv_log("auth peer=%s user=%s method=%s result=fail (%s) "
		"failures=%d/%d",
		x->peer, x->login_esc, method, why, x->n_fail,
		x->cfg->max_auth_tries);
	if (strcmp(method, "none") != 0 && strcmp(method, "publickey") != 0) {
		snprintf(detail, sizeof(detail), "%s from %s: %s", method,
			 x->peer, why);
		record(x, "refused", detail);
	}
}

/* Verifies a password for the pinned login; true on success. */
static bool
verify(struct sess *x, const char *method, const char *user,
       const char *password)
{
	char detail[200];

	if (x->authenticated) {
		return false; /* one success per connection */
	}
	if (x->n_fail >= x->cfg->max_auth_tries) {
		/* pipelined requests after the limit: no more database work */
		x->n_fail++;
		return false;
	}
	if (!check_user(x, user)) {
		auth_failed(x, method, "bad login name");
		return false;
	}
	if (password == NULL ||
	    x->cfg->auth_password(x->cfg->ctx, x->login, password, x->peer) !=
		    0) {
		auth_failed(x, method, "wrong password");
		return false;
	}
	x->authenticated = true;
	srv_log("auth peer=%s user=%s method=%s result=ok", x->peer, x->login,
		method);
	snprintf(detail, sizeof(detail), "%s from %s", method, x->peer);
	record(x, "login", detail);
	status_send(x, SRV_STATUS_AUTHENTICATED, 0);
	return true;
}

static int
cb_auth_none(ssh_session s, const char *user, void *ud)
{
	struct sess *x = ud;

	(void)s;
	if (!x->authenticated) {
		check_user(x, user);
		auth_failed(x, "none", "method not allowed");
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
		auth_failed(x, "publickey", "not accepted");
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
			auth_failed(x, "keyboard-interactive",
				    "bad login name");
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
		auth_failed(x, "keyboard-interactive", "unexpected response");
		return 1;
	}
	x->kbdint_pending = false;
	answer = ssh_userauth_kbdint_getnanswers(s) == 1
			 ? ssh_userauth_kbdint_getanswer(s, 0)
			 : NULL;
	/* the response carries no user name: it is the pinned one */
	if (!verify(x, "keyboard-interactive", x->login, answer)) {
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
			x->login_esc,
			x->authenticated ? "second session channel"
					 : "not authenticated");
		return NULL;
	}
	x->chan = ssh_channel_new(s);
	if (x->chan == NULL) {
		return NULL;
	}
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
	if (!x->authenticated || x->have_pty) {
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
	if (!x->authenticated || x->ui_pid > 0) {
		return -1;
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
	alarm(0);
	x->t_ui = srv_now_ms();
	status_send(x, SRV_STATUS_UI, (int32_t)x->ui_pid);
	srv_log("session peer=%s user=%s start ui=%ld term=%s size=%dx%d",
		x->peer, x->login, (long)x->ui_pid, x->term, x->cols, x->rows);
	return 0;
}

static int
cb_exec(ssh_session s, ssh_channel c, const char *cmd, void *ud)
{
	static const char msg[] =
		"nomdesk: 不能在此执行命令，请不带命令直接连接。\r\n"
		"nomdesk: commands are not available over SSH; connect "
		"without a command to use the desk.\r\n";
	struct sess *x = ud;
	char esc[200];

	(void)s;
	srv_log_escape_text(cmd, esc, sizeof(esc));
	srv_log("exec peer=%s user=%s refused: \"%s\"", x->peer, x->login,
		esc);
	ssh_channel_write_stderr(c, msg, sizeof(msg) - 1);
	return -1;
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
	/* EOF alone on a pty session is no reason to end: the UI decides. */
	(void)s;
	(void)c;
	(void)ud;
}

static void
cb_close(ssh_session s, ssh_channel c, void *ud)
{
	struct sess *x = ud;

	(void)s;
	(void)c;
	x->client_gone = true;
}

/* ---- the pump ---- */

/* Hands pending UI output to libssh, never more than the client's window
 * (so libssh never has to wait for a window adjust inside a callback). */
static void
pump_out(struct sess *x)
{
	while (x->out_len > 0 && !x->client_gone) {
		uint32_t win = ssh_channel_window_size(x->chan);
		uint32_t n = x->out_len < win ? (uint32_t)x->out_len : win;
		int w;

		if (n == 0) {
			return;
		}
		w = ssh_channel_write(x->chan, x->out + x->out_off, n);
		if (w < 0) {
			x->client_gone = true;
			return;
		}
		if (w == 0) {
			return;
		}
		x->out_off += (size_t)w;
		x->out_len -= (size_t)w;
	}
	if (x->out_len == 0) {
		x->out_off = 0;
	}
}

/* May we read the master now?  Only when the last read is all handed
 * over and libssh's socket buffer has drained to the kernel. */
static bool
can_read_master(struct sess *x)
{
	return x->master >= 0 && !x->master_eof && x->out_len == 0 &&
	       !x->client_gone && x->chan != NULL &&
	       ssh_channel_window_size(x->chan) > 0 &&
	       (ssh_get_poll_flags(x->s) & SSH_WRITE_PENDING) == 0;
}

/* Reads the master once; the byte count, 0 if nothing was there. */
static ssize_t
read_master(struct sess *x, bool discard)
{
	ssize_t n = read(x->master, x->out, sizeof(x->out));

	if (n > 0) {
		x->bytes_out += (uint64_t)n;
		if (!discard) {
			x->out_off = 0;
			x->out_len = (size_t)n;
			pump_out(x);
		}
	} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
		/* EIO: every slave descriptor is closed (the UI is gone) */
		x->master_eof = true;
	}
	return n > 0 ? n : 0;
}

static void
flush_in(struct sess *x)
{
	ssize_t w;

	if (x->in_len == 0) {
		return;
	}
	w = write(x->master, x->in, x->in_len);
	if (w < 0 && errno != EAGAIN && errno != EINTR) {
		x->in_len = 0; /* the UI is gone; drop its input */
		return;
	}
	if (w > 0) {
		memmove(x->in, x->in + w, x->in_len - (size_t)w);
		x->in_len -= (size_t)w;
	}
}

static int
cb_data(ssh_session s, ssh_channel c, void *data, uint32_t len,
	int is_stderr, void *ud)
{
	struct sess *x = ud;
	const char *p = data;
	size_t used = 0, k;

	(void)s;
	(void)c;
	(void)is_stderr;
	if (x->master < 0 || x->master_eof) {
		return (int)len; /* no terminal (yet, or any more): drop */
	}
	if (x->in_len == 0) {
		ssize_t w = write(x->master, p, len);

		if (w > 0) {
			used = (size_t)w;
		} else if (w < 0 && errno != EAGAIN && errno != EINTR) {
			return (int)len;
		}
	}
	k = sizeof(x->in) - x->in_len;
	if (k > len - used) {
		k = len - used;
	}
	memcpy(x->in + x->in_len, p + used, k);
	x->in_len += k;
	used += k;
	x->bytes_in += used;
	/* What we do not take stays in libssh, which stops growing the
	 * client's window; we pull it back once the UI has caught up. */
	x->in_backlog = used < len;
	return (int)used;
}

static int
cb_wontblock(ssh_session s, ssh_channel c, uint32_t bytes, void *ud)
{
	(void)s;
	(void)c;
	(void)bytes;
	pump_out(ud);
	return 0;
}

static int
cb_master(socket_t fd, int revents, void *ud)
{
	struct sess *x = ud;

	(void)fd;
	if (revents & POLLOUT) {
		flush_in(x);
	}
	/* POLLHUP (the slave is closed) still leaves data to read; read()
	 * says EIO once it is all out */
	if ((revents & (POLLIN | POLLHUP | POLLERR)) && can_read_master(x)) {
		read_master(x, false);
	}
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

/* Registers the master with the events we want right now.  Done between
 * polls, never from a callback (libssh frees the handle on removal). */
static void
master_sync(struct sess *x)
{
	short want = 0;

	if (x->master >= 0 && !x->client_gone) {
		if (can_read_master(x)) {
			want |= POLLIN;
		}
		/* writable: flush our buffer, or pull back what libssh
		 * holds for us (in the main loop, outside the poll) */
		if ((x->in_len > 0 || x->in_backlog) && !x->master_eof) {
			want |= POLLOUT;
		}
	}
	if (want == x->master_reg) {
		return;
	}
	if (x->master_reg != 0) {
		ssh_event_remove_fd(x->ev, x->master);
	}
	if (want != 0) {
		ssh_event_add_fd(x->ev, x->master, want, cb_master, x);
	}
	x->master_reg = want;
}

/* Pulls back client input that libssh kept while our buffer was full. */
static void
pull_backlog(struct sess *x)
{
	size_t room;
	int n;

	if (!x->in_backlog || x->in_len > sizeof(x->in) / 2 ||
	    x->chan == NULL || x->client_gone) {
		return;
	}
	x->in_backlog = false;
	room = sizeof(x->in) - x->in_len;
	n = ssh_channel_read_nonblocking(x->chan, x->in + x->in_len,
					 (uint32_t)room, 0);
	if (n > 0) {
		x->in_len += (size_t)n;
		x->bytes_in += (uint64_t)n;
		x->in_backlog = true; /* maybe more; look again next round */
	} else if (n == SSH_ERROR) {
		x->client_gone = true;
	}
	flush_in(x);
}

static bool
connection_lost(struct sess *x)
{
	return x->client_gone || !ssh_is_connected(x->s) ||
	       (ssh_get_status(x->s) & (SSH_CLOSED | SSH_CLOSED_ERROR)) != 0;
}

static int
poll_once(struct sess *x, int timeout_ms)
{
	int rc;

	master_sync(x);
	rc = ssh_event_dopoll(x->ev, timeout_ms);
	if (rc == SSH_ERROR) {
		x->client_gone = true;
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

/* The UI has exited and the client is still there: deliver its last
 * output, the exit status, EOF and close, and wait briefly for the
 * client's close so nothing is cut off. */
static void
finish_ui_exited(struct sess *x)
{
	int64_t deadline = srv_now_ms() + CLOSE_WAIT_MS;

	/* Until read() says EIO: the pty may hand over the UI's last
	 * writes a little after its exit (and if a grandchild still holds
	 * the slave, the deadline ends this). */
	while (!connection_lost(x) && srv_now_ms() < deadline &&
	       !(x->master_eof && x->out_len == 0)) {
		pump_out(x);
		if (!can_read_master(x) || read_master(x, false) == 0) {
			poll_once(x, 50);
		}
	}
	if (connection_lost(x)) {
		return;
	}
	if (WIFEXITED(x->ui_status)) {
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
		struct pollfd p[2] = {{x->sig_r, POLLIN, 0},
				      {x->master, POLLIN, 0}};
		int64_t left = deadline - srv_now_ms();

		/* keep draining the master so the UI never blocks writing
		 * to a terminal nobody reads */
		if (poll(p, x->master_eof ? 1 : 2,
			 left > 100 ? 100 : (int)(left < 0 ? 0 : left)) > 0) {
			if (p[0].revents) {
				cb_signal(x->sig_r, p[0].revents, x);
			}
			if (!x->master_eof && p[1].revents) {
				read_master(x, true);
			}
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

static void __attribute__((noreturn))
finish(struct sess *x, int code)
{
	char detail[160], st[32];
	int64_t now = srv_now_ms();

	if (x->ui_pid > 0 && !x->ui_exited) {
		hangup_ui(x, HUP_WAIT_MS);
	}
	if (x->authenticated) {
		if (x->ui_pid > 0) {
			describe_status(x->ui_status, st, sizeof(st));
		} else {
			snprintf(st, sizeof(st), "no shell");
		}
		snprintf(detail, sizeof(detail), "%s; %s; %lld s",
			 x->end_reason ? x->end_reason : "end", st,
			 (long long)((now - x->t_start) / 1000));
		record(x, "logout", detail);
		srv_log("session peer=%s user=%s end (%s) in=%llu out=%llu "
			"duration_ms=%lld",
			x->peer, x->login, detail,
			(unsigned long long)x->bytes_in,
			(unsigned long long)x->bytes_out,
			(long long)(now - x->t_start));
	}
	if (x->ev != NULL) {
		if (x->master_reg != 0) {
			ssh_event_remove_fd(x->ev, x->master);
		}
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
	if (x->master >= 0) {
		close(x->master);
	}
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
	x->t_start = srv_now_ms();
	grace_at = x->t_start + (int64_t)cfg->grace_s * 1000;
	snprintf(x->login_esc, sizeof(x->login_esc), "-");

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

	/* Authentication, pty-req and shell, all within grace_s. */
	while (x->ui_pid <= 0) {
		int64_t left = grace_at - srv_now_ms();

		if (x->n_fail >= cfg->max_auth_tries) {
			srv_log("connection peer=%s user=%s: too many "
				"authentication failures",
				x->peer, x->login_esc);
			finish(x, 2);
		}
		if (left <= 0) {
			srv_log("connection peer=%s user=%s: no session within "
				"%d s",
				x->peer, x->login_esc, cfg->grace_s);
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

	/* The session: pump bytes until the UI exits or the client leaves. */
	for (;;) {
		int64_t now = srv_now_ms();
		int timeout = 1000;

		reap_ui(x);
		if (x->ui_exited) {
			if (x->end_reason == NULL) {
				x->end_reason = "ui exit";
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
		pump_out(x);
		for (int i = 0; i < 16 && x->in_backlog; i++) {
			pull_backlog(x);
			if (x->in_len > 0) {
				break; /* the UI is not keeping up */
			}
		}
		if (x->out_len > 0 ||
		    (ssh_get_poll_flags(x->s) & SSH_WRITE_PENDING) != 0) {
			timeout = 50;
		}
		poll_once(x, timeout);
	}
}
