/*
 * soak: crash consistency under SIGKILL, in the manner of SQLite's crash
 * tests (shared security.md §4b, level 1).
 *
 * One demo data directory, N cycles (argv[1], else $SOAK_CYCLES, else
 * 200).  Each cycle runs a few steps; a step is one act on pc_clerk's desk
 * over real SSH (add through the form, edit the title, the signed paper
 * pledge, withdraw, or hang up and log in again) and, at the same moment,
 * one act of the command line as pc_clerk or yg_clerk (add, edit,
 * complete the dossier, add an item, the signed paper pledge, withdraw).
 * The last step of a cycle SIGKILLs one of: the whole serve tree (frozen
 * with SIGSTOP first, so nothing of it outlives the listener), the session
 * process, the UI process, or the running CLI process; each target once
 * in every four cycles.  The moment is uniform in [0, 1.5 x the act's
 * usual duration] after the act started (its last key, its fork, or the
 * ssh client's start), so kills land before, inside and after the
 * commit; a third of the session kills on a form come while it is still
 * being typed, so the UI keeps a draft on its SIGHUP.
 *
 * An act counts as acknowledged only once its receipt was shown: the CLI
 * printed "(entry N" and exited 0, or the desk showed "记录 #N".  When
 * every process that could still write has exited, the database is
 * opened read-only and checked:
 *   - PRAGMA integrity_check is "ok", foreign_key_check is empty;
 *   - every nominee row has its creation entry and every creation entry
 *     its row; each row's seq is its newest entry, its version 1 + its
 *     edits, a pledged or withdrawn row has the entry that made it so;
 *     the log is gap-free and its newest checkpoint covers all of it;
 *   - every act acknowledged so far (this cycle or any before) is there:
 *     the receipt's entry with its act, actor and nominee, and the
 *     effect (name, title, ID number, item, state) in the row;
 *   - an act not acknowledged is either wholly there (effect and entry:
 *     "committed but not acknowledged") or wholly absent; anything in
 *     between is torn;
 *   - a draft the UI kept on its hang-up is not of a form already saved;
 *   - `nomdesk audit verify` on the data directory passes;
 * then the server (restarted if the tree was killed, else the one that
 * survived) must accept a login.  The killed serve tree restarts on the
 * same data directory; the other kills leave the listener running, which
 * must keep serving (a stale per-user session count would show here).
 *
 * Output: a line per cycle, then the figures.  Exit status 0 only if
 * nothing was lost or torn, every check passed, every restart and login
 * worked and no act was refused or hung outside a kill.  On failure the
 * temporary directory (data directory, server logs) is kept and named.
 *
 * SOAK_SEED fixes the schedule (timings still vary); SOAK_VERBOSE=1
 * prints every act.  NOMDESK_BIN and NOMDESK_LOCALEDIR as for the e2e
 * tests.  Waits poll with deadlines; the random kill delay is the only
 * deliberate pause.
 *
 * This file: main, the cycle loop, setup and the figures; soak.h says
 * which file does the rest.
 */

#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/lib/runner.h"
#include "tests/soak/soak.h"

struct desk dk;
struct soak_fig fig;
bool verbose;

static uint64_t seed;

/* ---- failures ---- */

void
failure(int *counter, const char *fmt, ...)
{
	va_list ap;

	(*counter)++;
	fputs("#   FAIL: ", stdout);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

int
failures(void)
{
	return fig.lost + fig.torn + fig.integrity + fig.verify +
	       fig.restart + fig.op_errors + fig.orphans + fig.stale +
	       test_failures();
}

/* ---- one cycle ---- */

/* The acts of one cycle, by outcome. */
struct tally {
	int started, acked, committed, absent;
};

/* The steps of cycle cyc, the last one with the kill of t; the acts go
 * to ops (MAX_OPS), their number is returned. */
static int
cycle_steps(struct op *ops, int cyc, enum target t)
{
	int n_ops = 0, steps = 1 + rnd_below(3);

	for (int s = 0; s <= steps && n_ops + 2 <= MAX_OPS; s++) {
		bool kill_step = s == steps;
		struct op *tu = NULL, *cl = NULL;
		int mix = rnd_below(4); /* 0 desk only, 1 cli only, else both */

		if (kill_step && t == T_CLI_PROC && mix == 0) {
			mix = 2;
		} else if (kill_step && t != T_CLI_PROC && mix == 1) {
			mix = 2;
		}
		if (mix != 1) {
			tu = &ops[n_ops++];
			op_pick_tui(tu, cyc, kill_step, t);
		}
		if (mix != 0) {
			cl = &ops[n_ops++];
			op_pick_cli(cl, cyc);
		}
		run_step(tu, cl, kill_step, t);
	}
	return n_ops;
}

/* When the kill came, relative to the act it aimed at: counted, and
 * said in when. */
static void
kill_when(char *when, size_t size)
{
	if (K.op && K.op->mid_form) {
		fig.kills_mid_form++;
		snprintf(when, size, "mid-form");
	} else if (K.op && K.op->at_hangup) {
		fig.kills_at_hangup++;
		snprintf(when, size, "at the hang-up before it%s",
			 K.missed ? ", after the session ended" : "");
	} else if (K.op && K.op->acked && K.op->t_ack <= K.fired_at) {
		fig.kills_after_ack++;
		snprintf(when, size, "after the receipt");
	} else {
		fig.kills_before_ack++;
		snprintf(when, size, "before the receipt was seen");
	}
}

/* The crash image, as the killed processes left it: the invariants, the
 * history, the drafts, and each act of the cycle resolved. */
static void
cycle_check(struct op *ops, int n_ops, int cyc, struct tally *c)
{
	sqlite3 *db;

	if ((db = db_open()) == NULL) {
		failure(&fig.integrity, "cannot open the database read-only");
		return;
	}
	check_invariants(db);
	check_history(db, cyc);
	check_draft(db);
	for (int i = 0; i < n_ops; i++) {
		if (!ops[i].started) {
			if (ops[i].kind == K_ADD) {
				noms[ops[i].nom].gone = true;
			}
			continue;
		}
		c->started++;
		resolve(db, &ops[i]);
		c->acked += ops[i].out == O_ACKED;
		c->committed += ops[i].out == O_COMMITTED;
		c->absent += ops[i].out == O_ABSENT;
	}
	fig.acts += c->started;
	fig.acked += c->acked;
	sqlite3_close(db);
}

/* The server again (restarted if the tree was killed), and a login;
 * whether it was restarted, *lms the login's time to the first screen. */
static bool
cycle_login(enum target t, int64_t *lms)
{
	bool restarted = false;

	if (dk.srv.pid == 0) {
		int64_t r0 = sshclient_now_ms();

		restarted = true;
		if (sshclient_serve_start(&dk.srv, dk.data, 20000) != 0) {
			failure(&fig.restart, "serve did not restart");
		} else {
			ui_lines_seen = 0;
			if (tui_login(lms) != 0) {
				failure(&fig.restart,
					"no login after the restart");
			} else if (fig.n_restart < 1024) {
				fig.restart_ms[fig.n_restart++] =
					sshclient_now_ms() - r0;
			}
		}
	} else if (tui_login(lms) != 0) {
		failure(&fig.restart, "no login after the %s kill",
			target_name[t]);
	}
	if (*lms && fig.n_login < 1024) {
		fig.login_ms[fig.n_login++] = *lms;
	}
	return restarted;
}

static void
cycle(int cyc, int total, enum target t)
{
	static struct op ops[MAX_OPS]; /* K.op points here */
	struct tally c = {0};
	int n_ops, before = failures();
	int64_t t0 = sshclient_now_ms(), vms, lms = 0;
	bool restarted;
	char when[64];

	memset(&K, 0, sizeof(K));
	n_ops = cycle_steps(ops, cyc, t);
	fig.kills[t]++;
	kill_when(when, sizeof(when));
	settle(t);
	cycle_check(ops, n_ops, cyc, &c);
	vms = audit_verify();
	restarted = cycle_login(t, &lms);
	fig.cycles++;
	printf("cycle %d/%d: kill %s %lld ms into %s %s (%s); acts %d: %d "
	       "acked, %d committed unacked, %d absent; verify %lld ms; %s "
	       "%lld ms; %s (%lld ms)\n",
	       cyc, total, target_name[t],
	       (long long)(K.op ? K.fired_at - K.t_ref : -1),
	       K.op ? (K.op->tui ? "desk" : "cli") : "-",
	       K.op ? kind_name[K.op->kind] : "-", when, c.started, c.acked,
	       c.committed, c.absent, (long long)vms,
	       restarted ? "restart+login" : "login",
	       (long long)(restarted && fig.n_restart
				   ? fig.restart_ms[fig.n_restart - 1]
				   : lms),
	       failures() == before ? "ok" : "FAILED",
	       (long long)(sshclient_now_ms() - t0));
	fflush(stdout);
}

/* ---- setup and the figures ---- */

/* The clerk's signing key, at the cheap KDF cost.  0 or -1. */
static int
key_init(int pool)
{
	const char *a[] = {"user", "key", "init", pool_login[pool],
			   "--passphrase-stdin", NULL};
	char input[128];
	struct proc kp;
	int64_t deadline = sshclient_now_ms() + T_CLI;
	int r = -1;

	snprintf(input, sizeof(input), "%s\n%s\n", PASSPHRASE, PASSPHRASE);
	if (proc_start(&kp, a, input) != 0) {
		goto out;
	}
	while (kp.running && sshclient_now_ms() < deadline) {
		proc_poll(&kp);
		poll(NULL, 0, 5);
	}
	if (kp.running || kp.status != 0) {
		printf("#   key init %s: %s\n", pool_login[pool],
		       kp.buf[1].p ? kp.buf[1].p : "");
		goto out;
	}
	r = 0;
out:
	proc_release(&kp);
	return r;
}

/* The demo desk, the clerks' keys, and pc_clerk on the list.  0 or -1. */
static int
setup(void)
{
	int64_t ms;

	desk_start(&dk); /* init --demo and serve; exits on failure */
	snprintf(home_mark, sizeof(home_mark), "%s%s", M_HOME,
		 desk_account(&dk, "pc_clerk")->extra);
	for (int p = 0; p < POOL_N; p++) {
		if (key_init(p) != 0) {
			return -1;
		}
	}
	return tui_login(&ms);
}

/* The median of v (sorted in place), 0 if n is 0. */
static int64_t
median(int64_t *v, int n)
{
	for (int i = 1; i < n; i++) {
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			int64_t x = v[j];

			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	}
	return n ? v[n / 2] : 0;
}

static void
summary(int64_t ms)
{
	int64_t rm = median(fig.restart_ms, fig.n_restart);
	int64_t lm = median(fig.login_ms, fig.n_login);
	sqlite3 *db;

	printf("soak: %d cycles in %lld s (seed %llu)\n", fig.cycles,
	       (long long)(ms / 1000), (unsigned long long)seed);
	printf("  kills: %d serve-tree, %d session, %d ui, %d cli; %d before "
	       "the receipt was seen, %d after, %d mid-form, %d at a "
	       "hang-up\n",
	       fig.kills[T_TREE], fig.kills[T_SESSION], fig.kills[T_UI],
	       fig.kills[T_CLI_PROC], fig.kills_before_ack,
	       fig.kills_after_ack, fig.kills_mid_form, fig.kills_at_hangup);
	printf("  acts: %d started, %d acknowledged, %d committed but not "
	       "acknowledged (%d on the desk), %d not committed\n",
	       fig.acts, fig.acked, fig.committed_unacked,
	       fig.committed_unacked_desk, fig.absent);
	printf("  lost %d, torn %d, integrity failures %d, verify failures "
	       "%d, restart failures %d, act errors %d, orphans %d, stale "
	       "drafts %d (drafts kept on hang-up: %d)\n",
	       fig.lost, fig.torn, fig.integrity, fig.verify, fig.restart,
	       fig.op_errors, fig.orphans, fig.stale, fig.drafts);
	printf("  restart after a serve-tree kill (serve to home screen): "
	       "median %lld ms, max %lld ms over %d; login median %lld ms, "
	       "max %lld ms (%d retries)\n",
	       (long long)rm,
	       (long long)(fig.n_restart ? fig.restart_ms[fig.n_restart - 1]
					 : 0),
	       fig.n_restart, (long long)lm,
	       (long long)(fig.n_login ? fig.login_ms[fig.n_login - 1] : 0),
	       fig.login_retries);
	printf("  audit verify: mean %lld ms, max %lld ms",
	       (long long)(fig.cycles ? fig.verify_ms_sum / fig.cycles : 0),
	       (long long)fig.verify_ms_max);
	if ((db = db_open()) != NULL) {
		printf("; the log ends with %lld entries, %lld nominees",
		       (long long)q_int(db,
					sqlite3_mprintf("SELECT count(*) FROM "
							"log_entry"),
					-1),
		       (long long)q_int(db,
					sqlite3_mprintf("SELECT count(*) FROM "
							"nominee"),
					-1));
		sqlite3_close(db);
	}
	putchar('\n');
}

int
main(int argc, char **argv)
{
	const char *env = getenv("SOAK_CYCLES"), *sv = getenv("SOAK_SEED");
	int total = argc > 1 ? atoi(argv[1]) : env && *env ? atoi(env) : 200;
	int64_t t0 = sshclient_now_ms();
	enum target order[T_N] = {T_TREE, T_SESSION, T_UI, T_CLI_PROC};
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (!sshclient_nomdesk_bin() || total <= 0) {
		fprintf(stderr, "usage: NOMDESK_BIN=... soak [CYCLES]\n");
		return 2;
	}
	seed = sv && *sv ? strtoull(sv, NULL, 10)
			 : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16);
	rnd_seed(seed);
	verbose = getenv("SOAK_VERBOSE") && *getenv("SOAK_VERBOSE") == '1';
	/* the CLI's receipts in English; cheap keys for the clerks */
	setenv("LC_ALL", "C.UTF-8", 1);
	setenv("NOMDESK_KDF", "interactive", 1);
	est_init();
	printf("soak: %d cycles, seed %llu, in %s\n", total,
	       (unsigned long long)seed, test_tmpdir());
	if (setup() != 0) {
		printf("#   setup failed; kept %s\n", test_tmpdir());
		return 1;
	}
	for (int c = 1; c <= total && failures() == 0; c++) {
		/* each target once per four cycles, in a random order */
		if ((c - 1) % T_N == 0) {
			for (int i = T_N - 1; i > 0; i--) {
				int j = rnd_below(i + 1);
				enum target x = order[i];

				order[i] = order[j];
				order[j] = x;
			}
		}
		cycle(c, total, order[(c - 1) % T_N]);
	}
	tui_close();
	if (dk.srv.pid > 0) {
		sshclient_serve_stop(&dk.srv, SIGTERM, 15000);
	}
	summary(sshclient_now_ms() - t0);
	rc = failures() ? 1 : 0;
	if (rc || getenv("NOMDESK_KEEP_TMP")) {
		printf("soak: %s; kept %s\n", rc ? "FAILED" : "ok",
		       test_tmpdir());
	} else {
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", test_tmpdir());
		if (system(cmd) != 0) {
			fprintf(stderr, "could not remove %s\n", test_tmpdir());
		}
		printf("soak: ok\n");
	}
	free(noms);
	free(receipts);
	return rc;
}
