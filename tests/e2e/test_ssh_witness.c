/*
 * Witnesses over the same SSH login (audit-log.md 2.12): a demo server
 * and the real OpenSSH client, without a pty, stdin and stdout on pipes,
 * the password answered through SSH_ASKPASS:
 *
 *   ssh LOGIN@host witness-request SIZE > req
 *   nomdesk witness cosign W req -o cosigned      (the witness's machine)
 *   ssh LOGIN@host witness-submit < cosigned
 *   ssh LOGIN@host checkpoint
 *
 * and everything else refused and logged: other commands, shell
 * syntax, extra words, long strings, subsystems, wrong passwords; input
 * past the bound ends the command without a hang; SIGTERM ends a command
 * like a UI.  OpenSSH rather than a libssh client: it is what counties
 * run, and it shows what they see (exit status 255 for a refused request,
 * the command's own status otherwise).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/lib/desk.h"
#include "tests/lib/runner.h"

#define T_EXEC 20000
#define WITNESS "county-pc"

static struct desk dk;

/* ---- ssh without a pty ---- */

struct xbuf {
	char *p;
	size_t len, cap;
};

static void
xbuf_add(struct xbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		char *p;

		while (cap < b->len + n + 1) {
			cap *= 2;
		}
		if ((p = realloc(b->p, cap)) == NULL) {
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

struct xssh {
	pid_t pid;
	int in, out, err;     /* our ends; -1 once closed */
	const char *data;     /* stdin for ssh (NULL: /dev/null) */
	size_t len, off;
	bool keep_open;       /* never close stdin (no EOF) */
	struct xbuf o, e;
	bool exited;
	int status;
};

struct xopts {
	const char *login;
	const char *password;   /* NULL: the demo account's */
	const char *const *pre; /* ssh options before the host */
	const char *cmd;        /* one argument: the exec request */
	const char *in;         /* stdin, or NULL */
	size_t in_len;
	bool keep_open;
};

static void
set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void
write_file(const char *path, const char *text, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
		test_fail(__FILE__, __LINE__, "cannot write %s", path);
	}
	if (fd >= 0) {
		fchmod(fd, mode);
		close(fd);
	}
}

static bool
xssh_start(struct xssh *x, const struct xopts *o)
{
	static int seq;
	char askpass[512], pwfile[512], script[1200], port[16], dest[128];
	const char *argv[48], *pw = o->password;
	int pi[2] = {-1, -1}, po[2], pe[2];
	size_t n = 0;

	memset(x, 0, sizeof(*x));
	x->in = x->out = x->err = -1;
	/* ssh may stop reading our input: that is EPIPE, not our death */
	signal(SIGPIPE, SIG_IGN);
	if (pw == NULL) {
		pw = desk_account(&dk, o->login)->password;
	}
	seq++;
	snprintf(pwfile, sizeof(pwfile), "%s/xpw-%d", test_tmpdir(), seq);
	snprintf(askpass, sizeof(askpass), "%s/xaskpass-%d.sh", test_tmpdir(),
		 seq);
	snprintf(script, sizeof(script), "#!/bin/sh\nexec cat '%s'\n", pwfile);
	{
		char line[300];

		snprintf(line, sizeof(line), "%s\n", pw);
		write_file(pwfile, line, strlen(line), 0600);
		write_file(askpass, script, strlen(script), 0700);
	}
	snprintf(port, sizeof(port), "%d", dk.srv.port);
	snprintf(dest, sizeof(dest), "%s@127.0.0.1", o->login);
	argv[n++] = "ssh";
	argv[n++] = "-F";
	argv[n++] = "none";
	for (size_t i = 0; o->pre && o->pre[i] && n < 20; i++) {
		argv[n++] = o->pre[i];
	}
	if (o->pre == NULL) {
		argv[n++] = "-T";
	}
	argv[n++] = "-p";
	argv[n++] = port;
	argv[n++] = "-o";
	argv[n++] = "StrictHostKeyChecking=no";
	argv[n++] = "-o";
	argv[n++] = "UserKnownHostsFile=/dev/null";
	argv[n++] = "-o";
	argv[n++] = "BatchMode=no";
	argv[n++] = "-o";
	argv[n++] = "PreferredAuthentications=password";
	argv[n++] = "-o";
	argv[n++] = "PubkeyAuthentication=no";
	argv[n++] = "-o";
	argv[n++] = "NumberOfPasswordPrompts=1";
	argv[n++] = "-o";
	argv[n++] = "LogLevel=ERROR";
	argv[n++] = "-o";
	argv[n++] = "ConnectTimeout=10";
	argv[n++] = dest;
	if (o->cmd != NULL) {
		argv[n++] = o->cmd;
	}
	argv[n] = NULL;

	if ((o->in != NULL && pipe(pi) != 0) || pipe(po) != 0 ||
	    pipe(pe) != 0) {
		return false;
	}
	fflush(NULL);
	x->pid = fork();
	if (x->pid == 0) {
		int in = pi[0] >= 0 ? pi[0] : open("/dev/null", O_RDONLY);

		signal(SIGPIPE, SIG_DFL);
		dup2(in, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		if (pi[1] >= 0) {
			close(pi[1]);
		}
		close(po[0]);
		close(pe[0]);
		setenv("SSH_ASKPASS", askpass, 1);
		setenv("SSH_ASKPASS_REQUIRE", "force", 1);
		setenv("DISPLAY", ":0", 1);
		unsetenv("SSH_AUTH_SOCK");
		execv("/usr/bin/ssh", (char *const *)argv);
		dprintf(2, "cannot run ssh: %s\n", strerror(errno));
		_exit(127);
	}
	if (pi[0] >= 0) {
		close(pi[0]);
	}
	close(po[1]);
	close(pe[1]);
	x->in = pi[1];
	x->out = po[0];
	x->err = pe[0];
	x->data = o->in;
	x->len = o->in_len;
	x->keep_open = o->keep_open;
	if (x->in >= 0) {
		set_nonblock(x->in);
	}
	set_nonblock(x->out);
	set_nonblock(x->err);
	return x->pid > 0;
}

static void
drain(int *fd, struct xbuf *b)
{
	char tmp[8192];

	while (*fd >= 0) {
		ssize_t k = read(*fd, tmp, sizeof(tmp));

		if (k > 0) {
			xbuf_add(b, tmp, (size_t)k);
		} else if (k == 0 || (errno != EAGAIN && errno != EINTR)) {
			close(*fd);
			*fd = -1;
		} else {
			return;
		}
	}
}

static void
feed(struct xssh *x)
{
	while (x->in >= 0 && x->off < x->len) {
		ssize_t k = write(x->in, x->data + x->off, x->len - x->off);

		if (k > 0) {
			x->off += (size_t)k;
		} else if (k < 0 && (errno == EAGAIN || errno == EINTR)) {
			return;
		} else {
			break; /* ssh stopped reading (EPIPE): done */
		}
	}
	if (x->in >= 0 && !x->keep_open) {
		close(x->in); /* EOF for ssh, which sends it on */
		x->in = -1;
	}
}

/* Pumps until ssh exits and its output ends, or the deadline: its exit
 * status, or -1 (then it is still running). */
static int
xssh_wait(struct xssh *x, int timeout_ms)
{
	int64_t deadline = sshclient_now_ms() + timeout_ms;

	for (;;) {
		struct pollfd p[3] = {{x->out, POLLIN, 0},
				      {x->err, POLLIN, 0},
				      {x->off < x->len ? x->in : -1, POLLOUT,
				       0}};
		int st;

		feed(x);
		drain(&x->out, &x->o);
		drain(&x->err, &x->e);
		if (!x->exited && waitpid(x->pid, &st, WNOHANG) == x->pid) {
			x->exited = true;
			x->status = WIFEXITED(st) ? WEXITSTATUS(st)
						  : 128 + WTERMSIG(st);
		}
		if (x->exited && x->out < 0 && x->err < 0) {
			return x->status;
		}
		if (sshclient_now_ms() >= deadline) {
			return -1;
		}
		poll(p, 3, 20);
	}
}

static void
xssh_release(struct xssh *x)
{
	if (!x->exited && x->pid > 0) {
		kill(x->pid, SIGKILL);
		waitpid(x->pid, NULL, 0);
	}
	if (x->in >= 0) {
		close(x->in);
	}
	if (x->out >= 0) {
		close(x->out);
	}
	if (x->err >= 0) {
		close(x->err);
	}
	free(x->o.p);
	free(x->e.p);
	memset(x, 0, sizeof(*x));
}

/* Runs one command as login; res->out/err are the caller's. */
static int
xssh(const char *login, const char *cmd, const char *in, size_t in_len,
     struct sshclient_cmd *res)
{
	struct xopts o;
	struct xssh x;

	memset(&o, 0, sizeof(o));
	o.login = login;
	o.cmd = cmd;
	o.in = in;
	o.in_len = in_len;
	memset(res, 0, sizeof(*res));
	res->status = -1;
	if (!xssh_start(&x, &o)) {
		test_fail(__FILE__, __LINE__, "cannot start ssh");
		return -1;
	}
	res->status = xssh_wait(&x, T_EXEC);
	res->out = x.o.p ? strdup(x.o.p) : strdup("");
	res->err = x.e.p ? strdup(x.e.p) : strdup("");
	xssh_release(&x);
	return res->status;
}

/* Waits until the server has logged every session so far as ended (its
 * "logout" is in the database by then). */
static void
wait_sessions_ended(void)
{
	int64_t deadline = sshclient_now_ms() + 8000;

	for (;;) {
		char *log = sshclient_serve_log(&dk.srv), *p = log;
		int conn = 0, gone = 0;

		while (p && (p = strstr(p, "connect peer=")) != NULL) {
			/* "disconnect peer=" contains "connect peer=" */
			if (p - log >= 3 && strncmp(p - 3, "dis", 3) == 0) {
				gone++;
			} else {
				conn++;
			}
			p++;
		}
		free(log);
		if (gone >= conn) {
			return;
		}
		if (sshclient_now_ms() >= deadline) {
			test_fail(__FILE__, __LINE__,
				  "%d session(s) still open", conn - gone);
			return;
		}
		poll(NULL, 0, 20);
	}
}

static int
count_lines(const char *s)
{
	int n = 0;

	for (; s && *s; s++) {
		n += *s == '\n';
	}
	return n;
}

/* "  LABEL   VALUE" from CLI output; "" if absent. */
static void
field(const char *text, const char *label, char *out, size_t outsz)
{
	const char *p = strstr(text, label);
	size_t n;

	out[0] = '\0';
	if (p == NULL) {
		return;
	}
	p += strlen(label);
	p += strspn(p, " ");
	n = strcspn(p, "\n");
	snprintf(out, outsz, "%.*s", (int)n, p);
}

static unsigned long long
note_size(const char *note)
{
	const char *nl = note ? strchr(note, '\n') : NULL;

	return nl ? strtoull(nl + 1, NULL, 10) : 0;
}

static bool
log_has(const char *text)
{
	return sshclient_serve_wait_log(&dk.srv, text, 5000);
}

/* ---- the tests ---- */

static void
test_ssh_witness__checkpoint(void)
{
	static const char *const tt[] = {"-tt", NULL};
	struct sshclient_cmd r, cli;
	const char *args[] = {"audit", "checkpoint", NULL};
	unsigned long long size;
	char sql[128], stored[2048];
	struct xopts o;
	struct xssh x;

	desk_start(&dk);
	CHECK_INT(xssh("pingcheng_hr", "checkpoint", NULL, 0, &r), 0);
	CHECK_STR(r.err, "");
	size = note_size(r.out);
	CHECK(size > 0);
	wait_sessions_ended();
	/* What the CLI prints at the console: the same log, a checkpoint
	 * newer only by this session's logout; and what SSH printed is
	 * exactly the stored checkpoint of its size. */
	CHECK_INT(desk_cli(&dk, &cli, args), 0);
	CHECK(note_size(cli.out) > size);
	CHECK(strncmp(cli.out, r.out, strcspn(r.out, "\n") + 1) == 0);
	snprintf(sql, sizeof(sql),
		 "SELECT note FROM log_checkpoint WHERE size = %llu", size);
	desk_db_text(&dk, sql, stored, sizeof(stored));
	CHECK_STR(r.out, stored);
	CHECK(log_has("exec peer=127.0.0.1 user=pingcheng_hr start pid="));
	CHECK(log_has("cmd=\"checkpoint\""));
	CHECK(log_has("user=pingcheng_hr end (exec checkpoint, exit; exit 0"));
	sshclient_cmd_release(&cli);
	sshclient_cmd_release(&r);

	/* a pty asked for first is given up: the command runs without */
	memset(&o, 0, sizeof(o));
	o.login = "yg_clerk";
	o.pre = tt;
	o.cmd = "checkpoint";
	CHECK(xssh_start(&x, &o));
	CHECK_INT(xssh_wait(&x, T_EXEC), 0);
	CHECK(x.o.p && strstr(x.o.p, "\n\n\xe2\x80\x94 ") != NULL);
	xssh_release(&x);
	desk_stop(&dk);
}

static void
test_ssh_witness__request_cosign_submit(void)
{
	struct sshclient_cmd r, v, w;
	char origin[256], logkey[64], vkey[256], wdir[600], req[600],
		cosigned[600], *text;
	unsigned long long s1;
	size_t len;

	desk_start(&dk);
	{
		const char *a[] = {"audit", "verify", NULL};

		CHECK_INT(desk_cli(&dk, &v, a), 0);
		field(v.out, "  origin ", origin, sizeof(origin));
		field(v.out, "  log key ", logkey, sizeof(logkey));
		sshclient_cmd_release(&v);
	}
	CHECK(origin[0] != '\0' && strlen(logkey) == 44);
	snprintf(wdir, sizeof(wdir), "%s/witness", test_tmpdir());
	snprintf(req, sizeof(req), "%s/req", test_tmpdir());
	snprintf(cosigned, sizeof(cosigned), "%s/cosigned", test_tmpdir());
	{
		const char *a[] = {"witness", "init",	  wdir,	  "--name",
				   WITNESS,   "--origin", origin, "--log-key",
				   logkey,    NULL};

		CHECK_INT(desk_cli(&dk, &w, a), 0);
		field(w.out, "  key ", vkey, sizeof(vkey));
		CHECK(strncmp(vkey, WITNESS "+", strlen(WITNESS) + 1) == 0);
		sshclient_cmd_release(&w);
	}

	/* a new witness asks from 0 */
	CHECK_INT(xssh("pingcheng_hr", "witness-request 0", NULL, 0, &r), 0);
	CHECK(strncmp(r.out, "old 0\n\n", 7) == 0);
	CHECK(strstr(r.out, origin) != NULL);
	CHECK_STR(r.err, "");
	write_file(req, r.out, strlen(r.out), 0600);
	s1 = note_size(r.out + 7);
	sshclient_cmd_release(&r);
	{
		const char *a[] = {"witness", "cosign", wdir, req,
				   "-o",      cosigned, NULL};

		CHECK_INT(desk_cli(&dk, &w, a), 0);
		CHECK(strncmp(w.out, "\xe2\x80\x94 " WITNESS " ",
			      strlen(WITNESS) + 5) == 0);
		sshclient_cmd_release(&w);
	}

	/* the next request carries a consistency proof from there, and
	 * the witness accepts it */
	{
		char cmd[64];
		const char *a[] = {"witness", "cosign", wdir, req, NULL};

		snprintf(cmd, sizeof(cmd), "witness-request %llu", s1);
		CHECK_INT(xssh("yg_clerk", cmd, NULL, 0, &r), 0);
		CHECK(count_lines(r.out) > 6); /* "old", the proof, ... */
		write_file(req, r.out, strlen(r.out), 0600);
		sshclient_cmd_release(&r);
		CHECK_INT(desk_cli(&dk, &w, a), 0);
		sshclient_cmd_release(&w);
	}

	/* the host keeps cosignatures from registered witnesses */
	{
		const char *a[] = {"audit", "witness-key", "add", vkey, NULL};

		if (desk_cli(&dk, &w, a) != 0) {
			test_fail(__FILE__, __LINE__,
				  "audit witness-key add: %s", w.err);
		}
		sshclient_cmd_release(&w);
	}
	{
		FILE *f = fopen(cosigned, "rb");
		char buf[8192];

		len = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
		if (f) {
			fclose(f);
		}
		buf[len] = '\0';
		text = strdup(buf);
	}
	CHECK(len > 0);
	if (xssh("pingcheng_hr", "witness-submit", text, len, &r) != 0) {
		test_fail(__FILE__, __LINE__, "witness-submit: status %d: %s",
			  r.status, r.err);
	}
	sshclient_cmd_release(&r);
	free(text);
	wait_sessions_ended();
	{
		char sql[160];

		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM witness_cosig WHERE size = %llu",
			 s1);
		CHECK_INT(desk_db_count(&dk, sql), 1);
	}
	CHECK(log_has("cmd=\"witness-submit\""));
	desk_stop(&dk);
}

static void
test_ssh_witness__status_eof_and_bounds(void)
{
	struct sshclient_cmd r;
	char *big;
	size_t big_len = (1u << 20) + 4096;
	int64_t t0;

	desk_start(&dk);
	/* a size past the log: the command's status, one line */
	CHECK_INT(xssh("pingcheng_hr", "witness-request 99999999", NULL, 0,
		       &r),
		  1);
	CHECK_STR(r.out, "");
	CHECK_INT(count_lines(r.err), 1);
	CHECK(strstr(r.err, "99999999") != NULL);
	sshclient_cmd_release(&r);

	/* stdin reaches the command and ends: it reads to EOF and says
	 * what it thinks of a note that is none (exit 1, one line) */
	CHECK_INT(xssh("yg_clerk", "witness-submit", "not a note\n", 11, &r),
		  1);
	CHECK_INT(count_lines(r.err), 1);
	CHECK(strncmp(r.err, "nomdesk: ", 9) == 0);
	sshclient_cmd_release(&r);

	/* past the bound: stopped before it ever sees EOF, no hang */
	big = malloc(big_len);
	memset(big, 'a', big_len);
	t0 = sshclient_now_ms();
	CHECK_INT(xssh("yg_clerk", "witness-submit", big, big_len, &r), 1);
	CHECK(sshclient_now_ms() - t0 < 15000);
	CHECK(strstr(r.err, "input over 1048576 bytes") != NULL);
	CHECK(log_has("\"witness-submit\" input over 1048576 bytes, killed"));
	sshclient_cmd_release(&r);
	free(big);
	wait_sessions_ended();
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM witness_cosig"), 0);
	desk_stop(&dk);
}

static void
test_ssh_witness__others_refused(void)
{
	static const char *const cmds[] = {
		"ls",
		"sh -c id",
		"witness-request 1; id",
		"witness-request $(id)",
		"witness-delete",
		"checkpoint extra",
		"witness-request 01",
		"witness-request  1",
		"witness-request 18446744073709551616",
		"nomdesk --data /tmp tui --as admin",
		"checkpoint\n",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	static const char *const sftp[] = {"-T", "-s", NULL};
	struct sshclient_cmd r;
	struct xopts o;
	struct xssh x;
	char *log;
	int n = 0;

	desk_start(&dk);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		CHECK_INT(xssh("pingcheng_hr", cmds[i], NULL, 0, &r), 255);
		CHECK_STR(r.out, "");
		CHECK(strstr(r.err, "uid=") == NULL);
		/* refused as a request (our line on stderr may race
		 * with the client closing the channel, so it is not
		 * checked) */
		CHECK(strstr(r.err, "exec request failed") != NULL);
		sshclient_cmd_release(&r);
	}
	CHECK(log_has("refused: \"ls\" (not allowed)"));
	CHECK(log_has("refused: \"witness-request 1; id\" (not a plain"));
	CHECK(log_has("refused: \"checkpoint\\x0a\""));
	log = sshclient_serve_log(&dk.srv);
	for (const char *p = log; (p = strstr(p, "exec peer=")) != NULL; p++) {
		const char *u = strstr(p, "user=pingcheng_hr ");

		n += u != NULL && strncmp(u + 18, "refused", 7) == 0;
	}
	free(log);
	CHECK_INT(n, (int)(sizeof(cmds) / sizeof(cmds[0])));

	/* a subsystem, the way sftp asks */
	memset(&o, 0, sizeof(o));
	o.login = "pingcheng_hr";
	o.pre = sftp;
	o.cmd = "sftp";
	CHECK(xssh_start(&x, &o));
	CHECK(xssh_wait(&x, T_EXEC) != 0);
	xssh_release(&x);
	CHECK(log_has("subsystem peer=127.0.0.1 user=pingcheng_hr refused"));

	/* a wrong password: nothing runs */
	memset(&o, 0, sizeof(o));
	o.login = "pingcheng_hr";
	o.password = "not-the-password";
	o.cmd = "checkpoint";
	CHECK(xssh_start(&x, &o));
	CHECK_INT(xssh_wait(&x, T_EXEC), 255);
	CHECK(x.o.p == NULL || x.o.p[0] == '\0');
	xssh_release(&x);
	CHECK(log_has("auth fail peer=127.0.0.1 user=pingcheng_hr"));
	desk_stop(&dk);
}

static void
test_ssh_witness__sigterm_ends_command(void)
{
	struct xopts o;
	struct xssh x;
	pid_t v[64];
	size_t n;

	/* what the server leaves behind would be reparented to us */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	desk_start(&dk);
	memset(&o, 0, sizeof(o));
	o.login = "pingcheng_hr";
	o.cmd = "witness-submit";
	o.in = "";
	o.keep_open = true; /* the command waits for EOF */
	CHECK(xssh_start(&x, &o));
	CHECK(log_has("start pid="));
	n = sshclient_descendants(dk.srv.pid, v, 64);
	CHECK(n >= 2); /* the connection process and the command */
	CHECK_INT(sshclient_serve_stop(&dk.srv, SIGTERM, 15000), 0);
	for (size_t i = 0; i < n; i++) {
		if (sshclient_pid_exists(v[i]) && !sshclient_pid_zombie(v[i])) {
			test_fail(__FILE__, __LINE__, "pid %ld left behind",
				  (long)v[i]);
		}
	}
	/* the client is told, and does not hang */
	CHECK(xssh_wait(&x, 8000) > 0);
	xssh_release(&x);
	while (waitpid(-1, NULL, WNOHANG) > 0) {
	}
}

static const struct test_case tests_ssh_witness[] = {
	{"e2e__ssh_witness_checkpoint", test_ssh_witness__checkpoint},
	{"e2e__ssh_witness_request_cosign_submit",
	 test_ssh_witness__request_cosign_submit},
	{"e2e__ssh_witness_status_eof_and_bounds",
	 test_ssh_witness__status_eof_and_bounds},
	{"e2e__ssh_witness_others_refused", test_ssh_witness__others_refused},
	{"e2e__ssh_witness_sigterm_ends_command",
	 test_ssh_witness__sigterm_ends_command},
	{NULL, NULL},
};
TEST_REGISTER(tests_ssh_witness)
