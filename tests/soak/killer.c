/*
 * killer: the one SIGKILL of each cycle, and the waiting for its
 * victims.
 *
 * The kill is armed on an act at a moment uniform in [0, 1.5 x the act's
 * usual duration] after the act started (the durations are moving
 * averages kept here), so kills land before, inside and after the
 * commit; service() (tui.c) fires it when the moment comes.  A session
 * kill may instead be armed while a form is typed or at the hang-up
 * before a login.  The targets: the whole serve tree (frozen with
 * SIGSTOP first, so nothing of it outlives the listener), the session
 * process, the UI process, or the running CLI process.
 *
 * Processes are told apart through /proc: a pid is only killed while it
 * is still the child of the process it was found under, never a
 * recycled one.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/soak/soak.h"

const char *const target_name[T_N] = {"serve-tree", "session", "ui",
				      "cli"};

struct killer K;

static double est_ms[2][K_N]; /* [tui][kind]: moving average */
static double est_hangup = 40; /* a hang-up until its session ended */

/* ---- processes ---- */

pid_t
proc_parent(pid_t pid, bool *alive)
{
	char path[64], buf[1024], *p, st = 0;
	long ppid = -1;
	ssize_t k;
	int fd;

	*alive = false;
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		return -1;
	}
	k = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (k <= 0) {
		return -1;
	}
	buf[k] = '\0';
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c %ld", &st, &ppid) != 2) {
		return -1;
	}
	*alive = st != 'Z' && st != 'X';
	return (pid_t)ppid;
}

static bool
alive(pid_t pid)
{
	bool a;

	return pid > 0 && proc_parent(pid, &a) >= 0 && a;
}

/* Zombies count as gone: they have let go of everything. */
bool
wait_gone(const pid_t *v, size_t n, int timeout_ms)
{
	int64_t deadline = sshclient_now_ms() + timeout_ms;

	for (;;) {
		bool any = false;

		for (size_t i = 0; i < n; i++) {
			any = any || alive(v[i]);
		}
		if (!any) {
			return true;
		}
		if (sshclient_now_ms() >= deadline) {
			return false;
		}
		poll(NULL, 0, 5);
	}
}

/* ---- usual durations, for the kill window ---- */

static void
ewma(double *e, int64_t ms)
{
	*e = 0.8 * *e + 0.2 * (double)ms;
}

void
est_init(void)
{
	for (int k = 0; k < K_N; k++) {
		est_ms[0][k] = 30;  /* a CLI process, start to exit */
		est_ms[1][k] = 15;  /* the desk, last key to receipt */
	}
	est_ms[0][K_PLEDGE] = est_ms[1][K_PLEDGE] = 120; /* Argon2id */
	est_ms[1][K_LOGIN] = 400; /* key exchange, password, the UI */
}

void
est_add(const struct op *o)
{
	ewma(&est_ms[o->tui][o->kind], o->t_ack - o->t_start);
}

void
est_hangup_add(int64_t ms)
{
	ewma(&est_hangup, ms);
}

/* ---- the kill ---- */

/*
 * The whole serve tree at one instant: SIGSTOP the listener and every
 * descendant until no new one appears (a stopped process cannot fork),
 * then SIGKILL them all, so no session or UI outlives the listener.
 */
static void
kill_tree(void)
{
	pid_t root = dk.srv.pid;
	bool grew = true;

	K.n_victims = 0;
	K.victims[K.n_victims++] = root;
	kill(root, SIGSTOP);
	while (grew) {
		pid_t d[256];
		size_t n = sshclient_descendants(root, d, 256);

		grew = false;
		for (size_t i = 0; i < n; i++) {
			bool known = false;

			for (size_t j = 0; j < K.n_victims; j++) {
				known = known || K.victims[j] == d[i];
			}
			if (!known && K.n_victims < 512) {
				kill(d[i], SIGSTOP);
				K.victims[K.n_victims++] = d[i];
				grew = true;
			}
		}
	}
	for (size_t i = 0; i < K.n_victims; i++) {
		kill(K.victims[i], SIGKILL);
	}
	waitpid(root, NULL, 0);
	if (dk.srv.out_fd >= 0) {
		close(dk.srv.out_fd);
	}
	dk.srv.out_fd = -1;
	dk.srv.pid = 0;
}

/* SIGKILLs pid if it still runs as parent's child (never a recycled pid:
 * a kill at a hang-up may come after the session ended). */
static void
kill_child(pid_t pid, pid_t parent)
{
	bool a;

	if (pid > 0 && proc_parent(pid, &a) == parent && a) {
		kill(pid, SIGKILL);
	} else {
		K.missed = true;
	}
}

void
killer_fire(void)
{
	/* a login in progress: its session process once it is logged (the
	 * listener logs "connect" right after the fork) */
	if (K.t == T_SESSION && tui_session <= 0 &&
	    (tui_session = new_session_pid()) <= 0) {
		return;
	}
	K.fired = true;
	K.fired_at = sshclient_now_ms();
	K.n_victims = 0;
	switch (K.t) {
	case T_TREE:
		kill_tree();
		break;
	case T_SESSION:
		K.victims[K.n_victims++] = tui_session;
		K.victims[K.n_victims++] = tui_ui; /* must follow by itself */
		kill_child(tui_session, dk.srv.pid);
		break;
	case T_UI:
		K.victims[K.n_victims++] = tui_ui;
		K.victims[K.n_victims++] = tui_session; /* ends with its UI */
		kill_child(tui_ui, tui_session);
		break;
	case T_CLI_PROC:
		if (cli.running) {
			kill(cli.pid, SIGKILL);
		}
		break;
	case T_N:
		break;
	}
}

void
killer_tick(void)
{
	if (K.armed && !K.fired && sshclient_now_ms() >= K.at) {
		killer_fire();
	}
}

void
killer_wait(void)
{
	while (K.armed && !K.fired) {
		service(20);
	}
}

/* The moment: uniform in [0, w] ms after o started. */
static void
killer_arm_in(enum target t, struct op *o, int w)
{
	K.armed = true;
	K.fired = false;
	K.t = t;
	K.op = o;
	K.t_ref = o->t_start;
	K.at = o->t_start + rnd_below(w < 4 ? 5 : w + 1);
}

void
killer_arm(enum target t, struct op *o)
{
	killer_arm_in(t, o, (int)(1.5 * est_ms[o->tui][o->kind]));
}

/*
 * A session kill while a form is still being typed (the UI gets SIGHUP
 * and keeps the form as a draft): armed when the form opens, uniform
 * over the next 60 ms of typing; the act's last key is then never sent.
 */
void
killer_arm_mid_form(struct op *o)
{
	if (K.want_mid_form) {
		o->mid_form = true;
		o->t_start = sshclient_now_ms();
		killer_arm_in(T_SESSION, o, 60);
	}
}

/* ssh going away as a dropped line does: the session hangs its UI up
 * and writes the logout record somewhere in the next few tens of ms. */
void
killer_arm_at_hangup(struct op *o)
{
	o->at_hangup = true;
	o->t_start = sshclient_now_ms();
	killer_arm_in(T_SESSION, o, (int)(1.5 * est_hangup));
}

/* ---- after the kill ---- */

void
settle(enum target t)
{
	if (t == T_CLI_PROC || (K.op && K.op->at_hangup)) {
		/* the desk survived: hang up so nothing is open while the
		 * database is checked */
		tui_close();
		return;
	}
	if (tui) {
		if (sshclient_wait_exit(tui, T_GONE) < 0) {
			failure(&fig.orphans,
				"ssh still connected %d s after the %s kill",
				T_GONE / 1000, target_name[t]);
		}
	}
	if (t == T_SESSION && K.n_victims == 2 && K.victims[1] <= 0) {
		/* killed while logging in: a UI may have started meanwhile */
		K.victims[1] = log_new_pid(L_UI, L_UI, &ui_lines_seen);
	}
	if (!wait_gone(K.victims, K.n_victims, T_GONE)) {
		failure(&fig.orphans,
			"a process of the killed %s still runs after %d s",
			target_name[t], T_GONE / 1000);
	}
	if (tui) {
		sshclient_close(tui);
		tui = NULL;
	}
	tui_session = tui_ui = 0;
}
