/*
 * sshclient: end-to-end test harness.  Runs the real nomdesk binary
 * ($NOMDESK_BIN) and the real OpenSSH client on a pty, and reads the
 * client's screen through vt (libvterm).
 *
 * Nothing here sleeps to wait: every wait polls with a deadline (in
 * milliseconds) and says whether it got what it waited for.  Files (the
 * askpass helper, password files, server logs) go to test_tmpdir().
 */
#ifndef NOMDESK_TEST_SSHCLIENT_H
#define NOMDESK_TEST_SSHCLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct vt;

/* Monotonic milliseconds (for deadlines and timings). */
int64_t sshclient_now_ms(void);

/* ---- the nomdesk command line ---- */

/* $NOMDESK_BIN (absolute path of build/nomdesk), or NULL if unset. */
const char *sshclient_nomdesk_bin(void);

struct sshclient_cmd {
	int status; /* exit status; 128+N if killed by signal N; -1 if it
		     * could not run or overran the deadline (then killed) */
	char *out;  /* all of stdout, NUL-terminated; caller releases */
	char *err;  /* all of stderr */
};

/*
 * Runs `$NOMDESK_BIN ARGS...` (args NULL-terminated, without the program
 * name), capturing stdout and stderr, within timeout_ms.  Returns
 * res->status.  Release res with sshclient_cmd_release().
 */
int sshclient_cli(struct sshclient_cmd *res, int timeout_ms,
		  const char *const args[]);
void sshclient_cmd_release(struct sshclient_cmd *res);

/*
 * One account line printed by `nomdesk init --demo`:
 * "LOGIN  ROLE  UNIT  PASSWORD[  MORE...]", columns separated by two or
 * more spaces or a tab.  Lines whose first column is not a valid login
 * ([a-z0-9._-]{1,32}) are skipped (headers, notes).
 */
struct sshclient_account {
	char login[64];
	char role[64];
	char unit[256];
	char password[256];
	char extra[256]; /* the fifth column (e.g. a display name), or "" */
};

/* Parses init's stdout; returns the number of accounts stored in v. */
size_t sshclient_parse_accounts(const char *text, struct sshclient_account *v,
				size_t max);
/* The first account with this role, or NULL. */
const struct sshclient_account *
sshclient_account_by_role(const struct sshclient_account *v, size_t n,
			  const char *role);

/* ---- the server ---- */

struct sshclient_server {
	pid_t pid;
	int port;
	int out_fd;         /* its stdout (kept open, drained at stop) */
	char log_path[512]; /* its stderr */
};

/*
 * Starts `$NOMDESK_BIN --data DIR serve --listen 127.0.0.1:0` (stderr to
 * a log file in test_tmpdir()) and waits up to timeout_ms for the line
 * "listening on 127.0.0.1:PORT" on its stdout.  0 and srv filled in, or
 * -1 (the process is then killed).
 */
int sshclient_serve_start(struct sshclient_server *srv, const char *data_dir,
			  int timeout_ms);
/*
 * The same for any command line (argv[0] a path) that prints the
 * "listening on ADDR:PORT" line; used to run test servers.
 */
int sshclient_serve_start_argv(struct sshclient_server *srv,
			       const char *const argv[], int timeout_ms);
/*
 * Sends sig (e.g. SIGTERM) and waits up to timeout_ms for the server to
 * exit; returns its status as sshclient_cmd.status does (-1: it did not
 * exit in time and its whole process tree was killed).
 */
int sshclient_serve_stop(struct sshclient_server *srv, int sig,
			 int timeout_ms);
/* The server's stderr so far; caller frees. */
char *sshclient_serve_log(const struct sshclient_server *srv);
/* Polls the log for text (e.g. "disconnect") until timeout_ms. */
bool sshclient_serve_wait_log(const struct sshclient_server *srv,
			      const char *text, int timeout_ms);

/* ---- processes ---- */

/* Every process below root, found through /proc (parents before
 * children); returns the count stored (at most max). */
size_t sshclient_descendants(pid_t root, pid_t *out, size_t max);
/* true if pid exists, zombies included. */
bool sshclient_pid_exists(pid_t pid);
/* true if pid is a zombie. */
bool sshclient_pid_zombie(pid_t pid);

/* ---- one ssh client on a pty ---- */

struct sshclient;

struct sshclient_opts {
	const char *login;
	const char *password; /* answered through SSH_ASKPASS */
	int cols, rows;       /* the client's terminal (default 80x24) */
	const char *term;     /* TERM (default xterm-256color) */
	const char *command;  /* a remote command (exec request), or NULL */
	const char *bind_addr; /* client source address (-b), or NULL */
	const char *const *extra; /* more ssh arguments, NULL-terminated;
				   * they come first, so they win over the
				   * defaults (up to 24) */
	bool no_tty;          /* -T instead of -tt */
};

/*
 * Starts `ssh -tt -p PORT ... LOGIN@127.0.0.1` on a new pty of cols x rows
 * with password authentication only (answered by an askpass helper).
 * Returns NULL if it could not start.  Free with sshclient_close().
 */
struct sshclient *sshclient_start(int port, const char *login,
				  const char *password, int cols, int rows);
struct sshclient *sshclient_start_opts(int port,
				       const struct sshclient_opts *o);

/* Reads what arrived within timeout_ms (0: only what is there) into the
 * screen.  false once the client's side of the pty is closed. */
bool sshclient_pump(struct sshclient *c, int timeout_ms);
/* Pumps until text is on the screen; false on timeout or client exit. */
bool sshclient_wait_text(struct sshclient *c, const char *text,
			 int timeout_ms);
/* Pumps until text is no longer on the screen. */
bool sshclient_wait_no_text(struct sshclient *c, const char *text,
			    int timeout_ms);

/* Types UTF-8 bytes as a user would (sent as they are). */
void sshclient_type(struct sshclient *c, const char *utf8);

enum sshclient_key {
	SSHCLIENT_ENTER,     /* CR, like a real terminal */
	SSHCLIENT_TAB,
	SSHCLIENT_ESC,
	SSHCLIENT_BACKSPACE, /* DEL (0x7f), like xterm, PuTTY and OpenSSH */
	SSHCLIENT_UP,
	SSHCLIENT_DOWN,
	SSHCLIENT_RIGHT,
	SSHCLIENT_LEFT,
	SSHCLIENT_HOME,
	SSHCLIENT_END,
	SSHCLIENT_PGUP,
	SSHCLIENT_PGDN,
	SSHCLIENT_F1,
	SSHCLIENT_F2,
	SSHCLIENT_F10,
	SSHCLIENT_CTRL_C,
	SSHCLIENT_CTRL_L,
};
void sshclient_key(struct sshclient *c, enum sshclient_key k);

/* The screen as text: rows ended by '\n' (see vt_dump).  Returns the
 * length.  Pumps what is pending first. */
size_t sshclient_screen_dump(struct sshclient *c, char *buf, size_t size);
/* One row (see vt_row). */
size_t sshclient_screen_row(struct sshclient *c, int row, char *buf,
			    size_t size);
/* The screen itself, for vt_find/vt_attrs/vt_cursor.  Borrowed. */
struct vt *sshclient_vt(struct sshclient *c);

/* Resizes the client's terminal: the kernel tells ssh (SIGWINCH), which
 * sends window-change to the server; the local screen is resized too
 * (when both sizes are within 1..500). */
void sshclient_resize(struct sshclient *c, int cols, int rows);

/* ssh's pid. */
pid_t sshclient_pid(const struct sshclient *c);

/* Waits up to timeout_ms for ssh to exit (pumping the screen meanwhile);
 * its status as sshclient_cmd.status, or -1 if still running. */
int sshclient_wait_exit(struct sshclient *c, int timeout_ms);
/* Hangs up: closes the pty (ssh gets SIGHUP), waits up to 5 s, then
 * SIGKILL; reaps; frees c.  Returns the exit status (or -1). */
int sshclient_close(struct sshclient *c);

#endif
