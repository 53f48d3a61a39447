/*
 * sshclient: the real nomdesk and the real OpenSSH client, driven the way
 * a clerk would, read through libvterm.  See sshclient.h.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "tests/lib/runner.h"
#include "tests/lib/sshclient.h"
#include "tests/lib/vt.h"

int64_t
sshclient_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
status_of(int st)
{
	if (WIFEXITED(st)) {
		return WEXITSTATUS(st);
	}
	if (WIFSIGNALED(st)) {
		return 128 + WTERMSIG(st);
	}
	return -1;
}

static int
left_ms(int64_t deadline)
{
	int64_t l = deadline - sshclient_now_ms();

	return l < 0 ? 0 : (int)l;
}

static void
set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* ---- growable byte buffers ---- */

struct buf {
	char *p;
	size_t len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap < b->len + n + 1) {
			cap *= 2;
		}
		p = realloc(b->p, cap);
		if (p == NULL) {
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static char *
buf_take(struct buf *b)
{
	char *p = b->p;

	if (p == NULL) {
		p = calloc(1, 1);
	}
	memset(b, 0, sizeof(*b));
	return p;
}

/* ---- the command line ---- */

const char *
sshclient_nomdesk_bin(void)
{
	const char *b = getenv("NOMDESK_BIN");

	return b != NULL && *b != '\0' ? b : NULL;
}

/* Kills pid and everything below it. */
static void
kill_tree(pid_t root)
{
	pid_t v[512];
	size_t n = sshclient_descendants(root, v, 512);

	kill(root, SIGKILL);
	for (size_t i = 0; i < n; i++) {
		kill(v[i], SIGKILL);
	}
}

/* Reads what is there; *open becomes false at EOF. */
static void
drain(int fd, struct buf *b, bool *open)
{
	char tmp[4096];

	while (*open) {
		ssize_t k = read(fd, tmp, sizeof(tmp));

		if (k > 0) {
			buf_add(b, tmp, (size_t)k);
		} else if (k == 0 || (errno != EAGAIN && errno != EINTR)) {
			*open = false;
		} else {
			return;
		}
	}
}

int
sshclient_cli(struct sshclient_cmd *res, int timeout_ms,
	      const char *const args[])
{
	const char *bin = sshclient_nomdesk_bin();
	int op[2], ep[2], st = 0;
	struct buf out = {0}, err = {0};
	int64_t deadline = sshclient_now_ms() + timeout_ms;
	bool open_out = true, open_err = true, exited = false;
	const char *argv[64];
	size_t n = 0;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	res->status = -1;
	if (bin == NULL) {
		res->out = buf_take(&out);
		res->err = strdup("NOMDESK_BIN is not set");
		return -1;
	}
	argv[n++] = bin;
	for (size_t i = 0; args[i] != NULL && n < 63; i++) {
		argv[n++] = args[i];
	}
	argv[n] = NULL;
	if (pipe(op) != 0 || pipe(ep) != 0) {
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		dup2(devnull, 0);
		dup2(op[1], 1);
		dup2(ep[1], 2);
		close(op[0]);
		close(ep[0]);
		execv(bin, (char *const *)argv);
		dprintf(2, "cannot run %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	close(op[1]);
	close(ep[1]);
	set_nonblock(op[0]);
	set_nonblock(ep[0]);
	while (open_out || open_err) {
		struct pollfd p[2] = {{open_out ? op[0] : -1, POLLIN, 0},
				      {open_err ? ep[0] : -1, POLLIN, 0}};

		if (sshclient_now_ms() >= deadline) {
			break;
		}
		poll(p, 2, left_ms(deadline) > 100 ? 100 : left_ms(deadline));
		drain(op[0], &out, &open_out);
		drain(ep[0], &err, &open_err);
	}
	while (!exited) {
		pid_t w = waitpid(pid, &st, WNOHANG);

		if (w == pid) {
			exited = true;
			break;
		}
		if (sshclient_now_ms() >= deadline) {
			break;
		}
		poll(NULL, 0, 10);
	}
	if (!exited) {
		kill_tree(pid);
		waitpid(pid, &st, 0);
		res->status = -1;
	} else {
		res->status = status_of(st);
	}
	close(op[0]);
	close(ep[0]);
	res->out = buf_take(&out);
	res->err = buf_take(&err);
	return res->status;
}

void
sshclient_cmd_release(struct sshclient_cmd *res)
{
	free(res->out);
	free(res->err);
	res->out = res->err = NULL;
}

static bool
is_login(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++) {
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) ||
		      *s == '.' || *s == '_' || *s == '-')) {
			return false;
		}
	}
	return n >= 1 && n <= 32;
}

/* Splits a line into columns separated by a tab or 2+ spaces. */
static size_t
split_columns(char *line, char **col, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (*p == ' ' || *p == '\t') {
		p++;
	}
	while (*p && n < max) {
		char *start = p;

		while (*p && *p != '\t' && !(p[0] == ' ' && p[1] == ' ') &&
		       !(p[0] == ' ' && p[1] == '\t')) {
			p++;
		}
		col[n++] = start;
		if (*p == '\0') {
			break;
		}
		*p++ = '\0';
		while (*p == ' ' || *p == '\t') {
			p++;
		}
	}
	/* trailing blanks of the last column */
	if (n > 0) {
		char *e = col[n - 1] + strlen(col[n - 1]);

		while (e > col[n - 1] && (e[-1] == ' ' || e[-1] == '\r')) {
			*--e = '\0';
		}
	}
	return n;
}

size_t
sshclient_parse_accounts(const char *text, struct sshclient_account *v,
			 size_t max)
{
	size_t n = 0;
	const char *p = text;

	while (p != NULL && *p && n < max) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024], *col[8];
		size_t k;

		if (len < sizeof(line)) {
			memcpy(line, p, len);
			line[len] = '\0';
			k = split_columns(line, col, 8);
			if (k >= 4 && is_login(col[0])) {
				struct sshclient_account *a = &v[n++];

				memset(a, 0, sizeof(*a));
				snprintf(a->login, sizeof(a->login), "%s",
					 col[0]);
				snprintf(a->role, sizeof(a->role), "%s", col[1]);
				snprintf(a->unit, sizeof(a->unit), "%s", col[2]);
				snprintf(a->password, sizeof(a->password), "%s",
					 col[3]);
				if (k >= 5) {
					snprintf(a->extra, sizeof(a->extra),
						 "%s", col[4]);
				}
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	return n;
}

const struct sshclient_account *
sshclient_account_by_role(const struct sshclient_account *v, size_t n,
			  const char *role)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].role, role) == 0) {
			return &v[i];
		}
	}
	return NULL;
}

/* ---- the server ---- */

int
sshclient_serve_start_argv(struct sshclient_server *srv,
			   const char *const argv[], int timeout_ms)
{
	static int seq;
	int op[2], logfd;
	int64_t deadline = sshclient_now_ms() + timeout_ms;
	struct buf out = {0};
	pid_t pid;

	memset(srv, 0, sizeof(*srv));
	srv->out_fd = -1;
	snprintf(srv->log_path, sizeof(srv->log_path), "%s/serve-%d.log",
		 test_tmpdir(), ++seq);
	logfd = open(srv->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		     0600);
	if (logfd < 0 || pipe(op) != 0) {
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		dup2(devnull, 0);
		dup2(op[1], 1);
		dup2(logfd, 2);
		close(op[0]);
		execv(argv[0], (char *const *)argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(op[1]);
	close(logfd);
	if (pid < 0) {
		close(op[0]);
		return -1;
	}
	srv->pid = pid;
	srv->out_fd = op[0];
	set_nonblock(op[0]);
	while (sshclient_now_ms() < deadline) {
		struct pollfd p = {op[0], POLLIN, 0};
		char tmp[512], *line;
		ssize_t k;

		poll(&p, 1, left_ms(deadline) > 100 ? 100 : left_ms(deadline));
		k = read(op[0], tmp, sizeof(tmp));
		if (k == 0) {
			break; /* exited before listening */
		}
		if (k > 0) {
			buf_add(&out, tmp, (size_t)k);
		}
		line = out.p ? strstr(out.p, "listening on ") : NULL;
		if (line != NULL && strchr(line, '\n') != NULL) {
			char *colon, *nl = strchr(line, '\n');

			*nl = '\0';
			colon = strrchr(line, ':');
			srv->port = colon ? atoi(colon + 1) : 0;
			free(out.p);
			return srv->port > 0 ? 0 : -1;
		}
	}
	free(out.p);
	kill_tree(pid);
	waitpid(pid, NULL, 0);
	close(srv->out_fd);
	srv->out_fd = -1;
	srv->pid = 0;
	return -1;
}

int
sshclient_serve_start(struct sshclient_server *srv, const char *data_dir,
		      int timeout_ms)
{
	const char *bin = sshclient_nomdesk_bin();
	const char *argv[] = {bin,	"--data", data_dir, "serve", "--listen",
			      "127.0.0.1:0", NULL};

	if (bin == NULL) {
		memset(srv, 0, sizeof(*srv));
		return -1;
	}
	return sshclient_serve_start_argv(srv, argv, timeout_ms);
}

int
sshclient_serve_stop(struct sshclient_server *srv, int sig, int timeout_ms)
{
	int64_t deadline = sshclient_now_ms() + timeout_ms;
	int st, r = -1;

	if (srv->pid <= 0) {
		return -1;
	}
	kill(srv->pid, sig);
	for (;;) {
		char tmp[512];

		if (srv->out_fd >= 0) {
			while (read(srv->out_fd, tmp, sizeof(tmp)) > 0) {
			}
		}
		if (waitpid(srv->pid, &st, WNOHANG) == srv->pid) {
			r = status_of(st);
			break;
		}
		if (sshclient_now_ms() >= deadline) {
			kill_tree(srv->pid);
			waitpid(srv->pid, &st, 0);
			break;
		}
		poll(NULL, 0, 10);
	}
	if (srv->out_fd >= 0) {
		close(srv->out_fd);
	}
	srv->out_fd = -1;
	srv->pid = 0;
	return r;
}

char *
sshclient_serve_log(const struct sshclient_server *srv)
{
	struct buf b = {0};
	char tmp[4096];
	ssize_t k;
	int fd = open(srv->log_path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		while ((k = read(fd, tmp, sizeof(tmp))) > 0) {
			buf_add(&b, tmp, (size_t)k);
		}
		close(fd);
	}
	return buf_take(&b);
}

bool
sshclient_serve_wait_log(const struct sshclient_server *srv, const char *text,
			 int timeout_ms)
{
	int64_t deadline = sshclient_now_ms() + timeout_ms;

	for (;;) {
		char *log = sshclient_serve_log(srv);
		bool found = strstr(log, text) != NULL;

		free(log);
		if (found) {
			return true;
		}
		if (sshclient_now_ms() >= deadline) {
			return false;
		}
		poll(NULL, 0, 20);
	}
}

/* ---- processes ---- */

static pid_t
ppid_of(pid_t pid, char *state)
{
	char path[64], buf[1024], *p;
	ssize_t k;
	int fd;
	long ppid;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -1;
	}
	k = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (k <= 0) {
		return -1;
	}
	buf[k] = '\0';
	/* "pid (comm) S ppid ...": comm may hold spaces and parentheses */
	p = strrchr(buf, ')');
	if (p == NULL || sscanf(p + 1, " %c %ld", state, &ppid) != 2) {
		return -1;
	}
	return (pid_t)ppid;
}

size_t
sshclient_descendants(pid_t root, pid_t *out, size_t max)
{
	pid_t all[8192], par[8192];
	size_t n_all = 0, n = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;

	if (d == NULL) {
		return 0;
	}
	while ((e = readdir(d)) != NULL && n_all < 8192) {
		char st;
		pid_t pid = (pid_t)atol(e->d_name), pp;

		if (pid <= 0) {
			continue;
		}
		pp = ppid_of(pid, &st);
		if (pp < 0) {
			continue;
		}
		all[n_all] = pid;
		par[n_all++] = pp;
	}
	closedir(d);
	/* breadth first from root */
	for (size_t i = 0; i < n_all && n < max; i++) {
		if (par[i] == root) {
			out[n++] = all[i];
		}
	}
	for (size_t q = 0; q < n; q++) {
		for (size_t i = 0; i < n_all && n < max; i++) {
			if (par[i] == out[q]) {
				out[n++] = all[i];
			}
		}
	}
	return n;
}

bool
sshclient_pid_exists(pid_t pid)
{
	char st;

	return ppid_of(pid, &st) >= 0;
}

bool
sshclient_pid_zombie(pid_t pid)
{
	char st = 0;

	return ppid_of(pid, &st) >= 0 && st == 'Z';
}

/* ---- the ssh client ---- */

struct sshclient {
	pid_t pid;
	int master;
	struct vt *vt;
	bool eof;
	bool exited;
	int status;
};

static void
vt_reply(void *ctx, const char *bytes, size_t len)
{
	struct sshclient *c = ctx;

	if (write(c->master, bytes, len) < 0) {
		/* the client is gone; nobody to answer */
	}
}

static int
write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	size_t len = strlen(text);
	bool ok;

	if (fd < 0) {
		return -1;
	}
	ok = write(fd, text, len) == (ssize_t)len;
	fchmod(fd, mode);
	close(fd);
	return ok ? 0 : -1;
}

struct sshclient *
sshclient_start(int port, const char *login, const char *password, int cols,
		int rows)
{
	struct sshclient_opts o;

	memset(&o, 0, sizeof(o));
	o.login = login;
	o.password = password;
	o.cols = cols;
	o.rows = rows;
	return sshclient_start_opts(port, &o);
}

struct sshclient *
sshclient_start_opts(int port, const struct sshclient_opts *o)
{
	static int seq;
	char askpass[512], pwfile[512], script[1200], portstr[16],
		dest[128];
	const char *argv[64];
	struct winsize ws;
	struct sshclient *c;
	size_t n = 0;
	int cols = o->cols > 0 ? o->cols : 80, rows = o->rows > 0 ? o->rows : 24;

	seq++;
	snprintf(pwfile, sizeof(pwfile), "%s/pw-%d", test_tmpdir(), seq);
	snprintf(askpass, sizeof(askpass), "%s/askpass-%d.sh", test_tmpdir(),
		 seq);
	snprintf(script, sizeof(script), "#!/bin/sh\nexec cat '%s'\n", pwfile);
	{
		char pw[300];

		snprintf(pw, sizeof(pw), "%s\n",
			 o->password ? o->password : "");
		if (write_file(pwfile, pw, 0600) != 0 ||
		    write_file(askpass, script, 0700) != 0) {
			return NULL;
		}
	}
	snprintf(portstr, sizeof(portstr), "%d", port);
	snprintf(dest, sizeof(dest), "%s@127.0.0.1", o->login);

	argv[n++] = "ssh";
	argv[n++] = o->no_tty ? "-T" : "-tt";
	argv[n++] = "-F";
	argv[n++] = "none";
	/* first: for ssh the first value given for an option wins */
	for (size_t i = 0; o->extra && o->extra[i] && n < 30; i++) {
		argv[n++] = o->extra[i];
	}
	argv[n++] = "-p";
	argv[n++] = portstr;
	argv[n++] = "-o";
	argv[n++] = "StrictHostKeyChecking=no";
	argv[n++] = "-o";
	argv[n++] = "UserKnownHostsFile=/dev/null";
	argv[n++] = "-o";
	argv[n++] = "PreferredAuthentications=password,keyboard-interactive";
	argv[n++] = "-o";
	argv[n++] = "PubkeyAuthentication=no";
	argv[n++] = "-o";
	argv[n++] = "NumberOfPasswordPrompts=1";
	argv[n++] = "-o";
	argv[n++] = "LogLevel=ERROR";
	argv[n++] = "-o";
	argv[n++] = "ConnectTimeout=10";
	if (o->bind_addr != NULL) {
		argv[n++] = "-b";
		argv[n++] = o->bind_addr;
	}
	argv[n++] = dest;
	if (o->command != NULL) {
		argv[n++] = o->command;
	}
	argv[n] = NULL;

	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		return NULL;
	}
	c->status = -1;
	c->vt = vt_new(rows, cols);
	if (c->vt == NULL) {
		free(c);
		return NULL;
	}
	memset(&ws, 0, sizeof(ws));
	ws.ws_col = (unsigned short)cols;
	ws.ws_row = (unsigned short)rows;
	fflush(NULL);
	c->pid = forkpty(&c->master, NULL, NULL, &ws);
	if (c->pid < 0) {
		vt_free(c->vt);
		free(c);
		return NULL;
	}
	if (c->pid == 0) {
		setenv("TERM", o->term ? o->term : "xterm-256color", 1);
		setenv("SSH_ASKPASS", askpass, 1);
		setenv("SSH_ASKPASS_REQUIRE", "force", 1);
		unsetenv("SSH_AUTH_SOCK");
		execvp("ssh", (char *const *)argv);
		dprintf(2, "cannot run ssh: %s\n", strerror(errno));
		_exit(127);
	}
	set_nonblock(c->master);
	fcntl(c->master, F_SETFD, FD_CLOEXEC);
	vt_set_reply(c->vt, vt_reply, c);
	return c;
}

static void
reap_client(struct sshclient *c)
{
	int st;

	if (!c->exited && waitpid(c->pid, &st, WNOHANG) == c->pid) {
		c->exited = true;
		c->status = status_of(st);
	}
}

bool
sshclient_pump(struct sshclient *c, int timeout_ms)
{
	int64_t deadline = sshclient_now_ms() + timeout_ms;
	bool first = true;

	while (!c->eof) {
		struct pollfd p = {c->master, POLLIN, 0};
		char tmp[8192];
		ssize_t k;
		int wait = first ? left_ms(deadline) : 0;

		first = false;
		if (poll(&p, 1, wait) <= 0) {
			break;
		}
		k = read(c->master, tmp, sizeof(tmp));
		if (k > 0) {
			vt_feed(c->vt, tmp, (size_t)k);
			first = false;
			continue;
		}
		if (k < 0 && (errno == EAGAIN || errno == EINTR)) {
			continue;
		}
		c->eof = true; /* EIO: ssh and everything on the pty left */
	}
	reap_client(c);
	return !c->eof;
}

bool
sshclient_wait_text(struct sshclient *c, const char *text, int timeout_ms)
{
	int64_t deadline = sshclient_now_ms() + timeout_ms;

	for (;;) {
		if (vt_contains(c->vt, text)) {
			return true;
		}
		if (c->eof || sshclient_now_ms() >= deadline) {
			return false;
		}
		sshclient_pump(c, left_ms(deadline) > 50 ? 50 : left_ms(deadline));
	}
}

bool
sshclient_wait_no_text(struct sshclient *c, const char *text, int timeout_ms)
{
	int64_t deadline = sshclient_now_ms() + timeout_ms;

	for (;;) {
		sshclient_pump(c, 0);
		if (!vt_contains(c->vt, text)) {
			return true;
		}
		if (c->eof || sshclient_now_ms() >= deadline) {
			return false;
		}
		sshclient_pump(c, left_ms(deadline) > 50 ? 50 : left_ms(deadline));
	}
}

void
sshclient_type(struct sshclient *c, const char *utf8)
{
	size_t len = strlen(utf8), off = 0;
	int64_t deadline = sshclient_now_ms() + 5000;

	while (off < len && sshclient_now_ms() < deadline) {
		ssize_t k = write(c->master, utf8 + off, len - off);

		if (k > 0) {
			off += (size_t)k;
		} else if (k < 0 && errno != EAGAIN && errno != EINTR) {
			return;
		} else {
			sshclient_pump(c, 10); /* the client may be busy */
		}
	}
}

void
sshclient_key(struct sshclient *c, enum sshclient_key k)
{
	static const char *const seq[] = {
		[SSHCLIENT_ENTER] = "\r",	 [SSHCLIENT_TAB] = "\t",
		[SSHCLIENT_ESC] = "\033",	 [SSHCLIENT_BACKSPACE] = "\177",
		[SSHCLIENT_UP] = "\033[A",	 [SSHCLIENT_DOWN] = "\033[B",
		[SSHCLIENT_RIGHT] = "\033[C",	 [SSHCLIENT_LEFT] = "\033[D",
		[SSHCLIENT_HOME] = "\033[H",	 [SSHCLIENT_END] = "\033[F",
		[SSHCLIENT_PGUP] = "\033[5~",	 [SSHCLIENT_PGDN] = "\033[6~",
		[SSHCLIENT_F1] = "\033OP",	 [SSHCLIENT_F2] = "\033OQ",
		[SSHCLIENT_F10] = "\033[21~",	 [SSHCLIENT_CTRL_C] = "\003",
		[SSHCLIENT_CTRL_L] = "\014",
	};

	if ((size_t)k < sizeof(seq) / sizeof(seq[0]) && seq[k] != NULL) {
		sshclient_type(c, seq[k]);
	}
}

size_t
sshclient_screen_dump(struct sshclient *c, char *buf, size_t size)
{
	sshclient_pump(c, 0);
	return vt_dump(c->vt, buf, size);
}

size_t
sshclient_screen_row(struct sshclient *c, int row, char *buf, size_t size)
{
	sshclient_pump(c, 0);
	return vt_row(c->vt, row, buf, size);
}

struct vt *
sshclient_vt(struct sshclient *c)
{
	return c->vt;
}

void
sshclient_resize(struct sshclient *c, int cols, int rows)
{
	struct winsize ws;

	memset(&ws, 0, sizeof(ws));
	ws.ws_col = (unsigned short)cols;
	ws.ws_row = (unsigned short)rows;
	/* the local screen follows sane sizes only: tests also send 0x0
	 * and absurd sizes to see the server clamp them */
	if (cols > 0 && rows > 0 && cols <= 500 && rows <= 500) {
		vt_resize(c->vt, rows, cols);
	}
	ioctl(c->master, TIOCSWINSZ, &ws);
}

pid_t
sshclient_pid(const struct sshclient *c)
{
	return c->pid;
}

int
sshclient_wait_exit(struct sshclient *c, int timeout_ms)
{
	int64_t deadline = sshclient_now_ms() + timeout_ms;

	for (;;) {
		sshclient_pump(c, c->eof ? 0 : 20);
		reap_client(c);
		if (c->exited) {
			sshclient_pump(c, 0);
			return c->status;
		}
		if (sshclient_now_ms() >= deadline) {
			return -1;
		}
		if (c->eof) {
			poll(NULL, 0, 10);
		}
	}
}

int
sshclient_close(struct sshclient *c)
{
	int st, r;

	if (c == NULL) {
		return -1;
	}
	reap_client(c);
	close(c->master);
	if (!c->exited) {
		int64_t deadline = sshclient_now_ms() + 5000;

		kill(c->pid, SIGHUP);
		while (!c->exited && sshclient_now_ms() < deadline) {
			reap_client(c);
			if (!c->exited) {
				poll(NULL, 0, 10);
			}
		}
		if (!c->exited) {
			kill(c->pid, SIGKILL);
			waitpid(c->pid, &st, 0);
			c->exited = true;
			c->status = -1;
		}
	}
	r = c->status;
	vt_free(c->vt);
	free(c);
	return r;
}
