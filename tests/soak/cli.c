/*
 * cli: the command line's side of the soak: one `nomdesk` process run
 * alongside the desk, its output read without blocking (so the desk's
 * screen and the killer are served meanwhile), and the acts it does as
 * pc_clerk or yg_clerk: add, edit, complete the dossier, add an item,
 * the signed paper pledge, withdraw.
 *
 * A CLI act counts as acknowledged only once it printed "(entry N" and
 * exited 0.  SIGPIPE is ignored (main), so a killed reader of the
 * passphrase costs nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/soak/soak.h"

struct proc cli;

static void
sb_add(struct sbuf *b, const char *s, size_t n)
{
	char *p = realloc(b->p, b->len + n + 1);

	if (!p) {
		abort();
	}
	memcpy(p + b->len, s, n);
	b->len += n;
	p[b->len] = '\0';
	b->p = p;
}

void
proc_release(struct proc *p)
{
	for (int i = 0; i < 2; i++) {
		if (p->fd[i] >= 0) {
			close(p->fd[i]);
		}
		free(p->buf[i].p);
	}
	memset(p, 0, sizeof(*p));
	p->fd[0] = p->fd[1] = -1;
}

/* v from n on: "--data DIR" and args, NULL-terminated, 48 slots in all
 * (the rest of args is dropped). */
static void
argv_data(const char **v, size_t n, const char *const *args)
{
	v[n++] = "--data";
	v[n++] = dk.data;
	while (*args && n < 47) {
		v[n++] = *args++;
	}
	v[n] = NULL;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
	}
	*fd = -1;
}

int
proc_start(struct proc *p, const char *const *args, const char *input)
{
	const char *argv[48];
	int in[2] = {-1, -1}, op[2] = {-1, -1}, ep[2] = {-1, -1};
	int r = -1;

	memset(p, 0, sizeof(*p));
	p->fd[0] = p->fd[1] = -1;
	p->status = -1;
	argv[0] = sshclient_nomdesk_bin();
	argv_data(argv, 1, args);
	if (pipe(in) != 0 || pipe(op) != 0 || pipe(ep) != 0) {
		goto out;
	}
	fflush(NULL);
	p->t_start = sshclient_now_ms();
	p->pid = fork();
	if (p->pid == 0) {
		dup2(in[0], 0);
		dup2(op[1], 1);
		dup2(ep[1], 2);
		close(in[1]);
		close(op[0]);
		close(ep[0]);
		execv(argv[0], (char *const *)argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close_fd(&in[0]);
	close_fd(&op[1]);
	close_fd(&ep[1]);
	if (p->pid < 0) {
		goto out;
	}
	/* a passphrase line fits the pipe; a killed reader is SIGPIPE-safe
	 * (ignored in main) */
	if (input && write(in[1], input, strlen(input)) < 0) {
		/* the process died first: its status says so */
	}
	close_fd(&in[1]);
	p->fd[0] = op[0];
	p->fd[1] = ep[0];
	op[0] = ep[0] = -1; /* transferred */
	fcntl(p->fd[0], F_SETFL, O_NONBLOCK);
	fcntl(p->fd[1], F_SETFL, O_NONBLOCK);
	p->running = true;
	r = 0;
out:
	for (int i = 0; i < 2; i++) {
		close_fd(&in[i]);
		close_fd(&op[i]);
		close_fd(&ep[i]);
	}
	return r;
}

static void
proc_drain(struct proc *p)
{
	char tmp[4096];

	for (int i = 0; i < 2; i++) {
		while (p->fd[i] >= 0) {
			ssize_t k = read(p->fd[i], tmp, sizeof(tmp));

			if (k > 0) {
				sb_add(&p->buf[i], tmp, (size_t)k);
			} else if (k < 0 && errno == EINTR) {
				continue;
			} else if (k < 0 && errno == EAGAIN) {
				break;
			} else {
				close(p->fd[i]);
				p->fd[i] = -1;
			}
		}
	}
}

void
proc_poll(struct proc *p)
{
	int st;

	if (!p->running) {
		return;
	}
	proc_drain(p);
	if (waitpid(p->pid, &st, WNOHANG) == p->pid) {
		p->running = false;
		p->t_end = sshclient_now_ms();
		p->status = WIFEXITED(st)     ? WEXITSTATUS(st)
			    : WIFSIGNALED(st) ? 128 + WTERMSIG(st)
					      : -1;
		/* the pipes hold the rest: the writer is gone */
		for (int i = 0; i < 2; i++) {
			if (p->fd[i] >= 0) {
				fcntl(p->fd[i], F_SETFL, 0);
			}
		}
		proc_drain(p);
	}
}

int
cli_sync(struct sshclient_cmd *res, int timeout_ms, const char *const *args)
{
	const char *v[48];

	argv_data(v, 0, args);
	return sshclient_cli(res, timeout_ms, v);
}

/* ---- acts on the command line ---- */

/* An add, an edit of the title, or the dossier completed. */
static void
cli_start_nominee(struct op *o, const struct nom *n, const char *id,
		  const char *login)
{
	if (o->kind == K_ADD) {
		const char *a[] = {"nominee",	   "add",     "--as",
				   login,	   "--name",  n->name,
				   "--gender",	   "女",      "--birth-date",
				   n->birth,	   "--title", n->title,
				   NULL};

		proc_start(&cli, a, NULL);
	} else if (o->kind == K_EDIT) {
		const char *a[] = {"nominee", "edit",    id,     "--as",
				   login,     "--title", o->arg, NULL};

		proc_start(&cli, a, NULL);
	} else {
		const char *a[] = {"nominee",	     "edit",
				   id,		     "--as",
				   login,	     "--id-number",
				   o->arg,	     "--title-level",
				   "正高级",	     "--channel",
				   "单位推荐",	     "--quota-category",
				   "综合",	     "--prior-leader",
				   "无",	     "--condition",
				   "4=市级重点项目负责人", NULL};

		proc_start(&cli, a, NULL);
	}
}

/* An item, the signed paper pledge, or a withdrawal. */
static void
cli_start_act(struct op *o, const char *id, const char *login)
{
	if (o->kind == K_ITEM) {
		const char *a[] = {"nominee", "item",	"add",	  id,
				   "--as",    login,	"--kind", "work",
				   "--from",  "2015-03-01", "--title", o->arg,
				   NULL};

		proc_start(&cli, a, NULL);
	} else if (o->kind == K_PLEDGE) {
		const char *a[] = {"act",      id,	     "pledge_paper",
				   "--as",     login,	     "--reason",
				   REASON_PLEDGE, "--passphrase-stdin", NULL};

		proc_start(&cli, a, PASSPHRASE "\n");
	} else {
		const char *a[] = {"act",  id,	  "withdraw",	   "--as",
				   login,  "--reason", REASON_WITHDRAW, NULL};

		proc_start(&cli, a, NULL);
	}
}

void
cli_start(struct op *o)
{
	const struct nom *n = &noms[o->nom];
	const char *login = pool_login[o->pool];
	char id[24];

	snprintf(id, sizeof(id), "%lld", (long long)n->id);
	o->started = true;
	switch (o->kind) {
	case K_ADD:
	case K_EDIT:
	case K_COMPLETE:
		cli_start_nominee(o, n, id, login);
		break;
	case K_ITEM:
	case K_PLEDGE:
	case K_WITHDRAW:
		cli_start_act(o, id, login);
		break;
	case K_LOGIN: /* the desk's only */
	case K_N:
		break;
	}
	o->t_start = cli.t_start;
}

void
cli_finish(struct op *o)
{
	const char *out = cli.buf[0].p ? cli.buf[0].p : "";
	const char *e = strstr(out, "(entry ");

	if (cli.status == 0 && e) {
		o->acked = true;
		o->t_ack = cli.t_end;
		o->entry = strtoll(e + 7, NULL, 10);
		if (o->kind == K_ADD &&
		    (e = strstr(out, "added nominee ")) != NULL) {
			noms[o->nom].id = strtoll(e + 14, NULL, 10);
		}
		est_add(o);
	} else {
		snprintf(o->why, sizeof(o->why), "exit %d: %s%s", cli.status,
			 out, cli.buf[1].p ? cli.buf[1].p : "");
	}
}
