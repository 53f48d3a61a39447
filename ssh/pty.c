/*
 * The pty bridge's terminal side: checking what the client says about its
 * terminal (TERM becomes a terminfo file name in the UI, sizes become
 * allocations), opening the pty pair, and starting the UI on the slave;
 * and the set-up every child of the session shares (the UI here, exec'd
 * commands in exec.c).
 *
 * The UI is exec'd, not called: a fresh address space keeps the host key,
 * libssh's state and the listener's memory out of the process that talks
 * to the database, and re-randomises its layout.  It gets nothing from the
 * client but the validated TERM and the window size; the login comes from
 * the server (argv), never from client-controlled environment.
 */
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>
#include <utmp.h>

#include "ssh/srv_int.h"

const char *
srv_term_checked(const char *term)
{
	size_t n = 0;

	if (term == NULL) {
		return SRV_TERM_FALLBACK;
	}
	for (const char *p = term; *p; p++, n++) {
		char c = *p;

		if (n >= 63) {
			return SRV_TERM_FALLBACK;
		}
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '+' || c == '-')) {
			return SRV_TERM_FALLBACK;
		}
	}
	return n == 0 ? SRV_TERM_FALLBACK : term;
}

static int
clamp(int v, int dflt)
{
	if (v <= 0) {
		return dflt;
	}
	return v > SRV_TERM_MAX ? SRV_TERM_MAX : v;
}

int
srv_clamp_cols(int cols)
{
	return clamp(cols, SRV_TERM_DEFAULT_COLS);
}

int
srv_clamp_rows(int rows)
{
	return clamp(rows, SRV_TERM_DEFAULT_ROWS);
}

bool
srv_login_valid(const char *login)
{
	size_t n = 0;

	if (login == NULL) {
		return false;
	}
	for (const char *p = login; *p; p++, n++) {
		char c = *p;

		if (n >= SRV_LOGIN_MAX) {
			return false;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-')) {
			return false;
		}
	}
	return n > 0;
}

static int
set_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFD);

	return fl < 0 ? -1 : fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
}

int
srv_pty_open(int cols, int rows, int *master, int *slave)
{
	struct winsize ws;
	struct termios t;
	int m = -1, s = -1, fl;

	memset(&ws, 0, sizeof(ws));
	ws.ws_col = (unsigned short)cols;
	ws.ws_row = (unsigned short)rows;
	if (openpty(&m, &s, NULL, NULL, &ws) != 0) {
		return -1;
	}
	/*
	 * libssh 0.10 hands us TERM and the size but not the client's
	 * encoded terminal modes, so set what a UTF-8 TUI needs ourselves:
	 * IUTF8 (the line discipline erases whole characters) and DEL as
	 * erase, which is what PuTTY and OpenSSH send for Backspace.
	 */
	if (tcgetattr(s, &t) == 0) {
		t.c_iflag |= IUTF8;
		t.c_cc[VERASE] = 0x7f;
		tcsetattr(s, TCSANOW, &t);
	}
	fl = fcntl(m, F_GETFL);
	if (fl < 0 || fcntl(m, F_SETFL, fl | O_NONBLOCK) != 0 ||
	    set_cloexec(m) != 0 || set_cloexec(s) != 0) {
		close(m);
		close(s);
		return -1;
	}
	*master = m;
	*slave = s;
	return 0;
}

void
srv_pty_resize(int master, int cols, int rows)
{
	struct winsize ws;

	memset(&ws, 0, sizeof(ws));
	ws.ws_col = (unsigned short)cols;
	ws.ws_row = (unsigned short)rows;
	/* TIOCSWINSZ on the master: the kernel sends SIGWINCH to the
	 * slave's foreground process group (the UI), if the size changed. */
	ioctl(master, TIOCSWINSZ, &ws);
}

static void
close_from(int lowfd)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)lowfd, ~0U, 0) == 0) {
		return;
	}
#endif
	long max = sysconf(_SC_OPEN_MAX);

	if (max < 0 || max > 65536) {
		max = 65536;
	}
	for (int fd = lowfd; fd < max; fd++) {
		close(fd);
	}
}

void
srv_child_reset_signals(void)
{
	static const int sigs[] = {SIGCHLD, SIGPIPE, SIGTERM, SIGINT,
				   SIGHUP,  SIGQUIT, SIGWINCH, SIGALRM};
	sigset_t none;

	/* Dispositions set to "ignore" survive exec; handlers do not, but
	 * reset everything so the child starts as from a login. */
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		signal(sigs[i], SIG_DFL);
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

void
srv_child_exec(const struct srv_ui_spec *spec, const char *const *words)
{
	const struct srv_config *cfg = spec->cfg;
	char e_term[96], e_home[4096], e_logname[64];
	const char *envp[64], *argv[16];
	size_t n_env = 0, n_arg = 0;
	struct rlimit rl = {0, 0};

	setrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	close_from(3);

	if (spec->term != NULL) {
		snprintf(e_term, sizeof(e_term), "TERM=%s", spec->term);
		envp[n_env++] = e_term;
	}
	snprintf(e_home, sizeof(e_home), "HOME=%s", spec->home);
	snprintf(e_logname, sizeof(e_logname), "LOGNAME=%s", spec->login);
	envp[n_env++] = "LANG=C.UTF-8";
	envp[n_env++] = e_home;
	envp[n_env++] = "PATH=/usr/bin:/bin";
	envp[n_env++] = e_logname;
	for (size_t i = 0; cfg->ui_env && cfg->ui_env[i] &&
			   n_env < sizeof(envp) / sizeof(envp[0]) - 1;
	     i++) {
		envp[n_env++] = cfg->ui_env[i];
	}
	envp[n_env] = NULL;

	argv[n_arg++] = cfg->exe;
	argv[n_arg++] = "--data";
	argv[n_arg++] = cfg->data_dir;
	for (size_t i = 0;
	     words[i] != NULL && n_arg < sizeof(argv) / sizeof(argv[0]) - 1;
	     i++) {
		argv[n_arg++] = words[i];
	}
	argv[n_arg] = NULL;
	execve(cfg->exe, (char *const *)argv, (char *const *)envp);

	/* Only the user hears about it (on the pty, or on the command's
	 * stderr); the server log gets a line from the parent when it reaps
	 * us. */
	dprintf(STDERR_FILENO,
		"\r\nnomdesk: 系统无法启动，请联系管理员。\r\n"
		"nomdesk: the desk cannot start (%s); please tell the "
		"administrator.\r\n",
		strerror(errno));
	_exit(127);
}

/* In the forked child: set up and exec, or die with a line on the pty. */
static void __attribute__((noreturn))
ui_child(const struct srv_ui_spec *spec, int slave)
{
	const char *words[] = {"tui", "--as", spec->login, NULL};

	srv_child_reset_signals();
	/* New session, slave as controlling terminal and as fds 0-2. */
	if (login_tty(slave) != 0) {
		_exit(126);
	}
	srv_child_exec(spec, words);
}

pid_t
srv_ui_spawn(const struct srv_ui_spec *spec, int slave)
{
	pid_t pid = fork();

	if (pid == 0) {
		ui_child(spec, slave);
	}
	return pid;
}
