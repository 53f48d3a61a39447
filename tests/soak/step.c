/*
 * step: one step of a cycle.  The desk act is prepared up to its last
 * key; then at one moment that key goes and the CLI act starts, so the
 * two race for the database; on a cycle's last step the killer is armed
 * on the act it aims at, at a moment measured from that act's start
 * (its last key, its fork, or the ssh client's start).
 *
 * An act counts as acknowledged only once its receipt was shown: the CLI
 * printed "(entry N" and exited 0, or the desk showed "记录 #N" (for a
 * login, the first screen).  An act refused or hung outside a kill is an
 * act error; the desk is then logged in again from scratch.
 */
#include <signal.h>
#include <stdio.h>

#include "tests/soak/soak.h"

/* The desk act up to its last key, or NULL if none is to be sent (no
 * session, a screen that did not come, or killed mid-form). */
static const char *
step_prepare(struct op *tu, bool kill_step, enum target t)
{
	const char *last;

	if (!tui || tui_eof) {
		tu->failed = true;
		snprintf(tu->why, sizeof(tu->why), "no desk session");
		return NULL;
	}
	/* a third of the session kills on a form come mid-form; half of
	 * those on a login come at the hang-up before it */
	K.want_mid_form = kill_step && t == T_SESSION &&
			  (tu->kind == K_ADD || tu->kind == K_EDIT) &&
			  rnd_below(3) == 0;
	K.want_at_hangup = kill_step && t == T_SESSION &&
			   tu->kind == K_LOGIN && rnd_below(2) == 0;
	last = tui_prepare(tu);
	K.want_mid_form = K.want_at_hangup = false;
	if (tu->mid_form) {
		/* the form dies with its session; a last key sent after the
		 * kill would reach nobody */
		killer_wait();
		return NULL;
	}
	if (!last) {
		tu->failed = true;
	}
	return last;
}

/* The desk act's last key (or the login), the killer armed on it if the
 * desk dies with this step, and its receipt awaited. */
static void
step_desk(struct op *tu, const char *last, bool dying, enum target t)
{
	bool seen;

	tu->started = true;
	tu->t_start = sshclient_now_ms();
	if (tu->kind == K_LOGIN) {
		tui_login_start();
	} else {
		sshclient_type(tui, last);
	}
	if (dying) {
		killer_arm(t, tu);
	}
	if (tu->kind == K_LOGIN) {
		seen = tui_login_seen(tu->t_start + DESK_T_LOGIN);
		if (!seen && !dying) {
			screen_why(tu->why, sizeof(tu->why), "no first screen");
		}
	} else {
		tu->entry = tui_wait_receipt(tui_receipt_prefix(tu), T_ACT,
					     tu->why, sizeof(tu->why));
		seen = tu->entry > 0;
	}
	if (seen) {
		tu->acked = true;
		tu->t_ack = sshclient_now_ms();
		est_add(tu);
	} else if (!dying) {
		tu->failed = true;
	}
}

/* The CLI act to its end (or its kill); killed if it hangs. */
static void
step_cli_wait(struct op *cl)
{
	int64_t deadline = sshclient_now_ms() + T_CLI;

	while (cli.running && sshclient_now_ms() < deadline) {
		service(20);
	}
	if (cli.running) {
		kill(cli.pid, SIGKILL);
		while (cli.running) {
			service(20);
		}
		snprintf(cl->why, sizeof(cl->why), "hung; killed");
		cl->failed = true;
	}
}

/* A kill later than the acts' end still comes, at its moment; if the act
 * it aimed at never started, it comes now. */
static void
step_fire(bool kill_step, enum target t)
{
	if (!kill_step) {
		return;
	}
	killer_wait();
	if (!K.fired) {
		K.t = t;
		killer_fire();
	}
}

/* The desk act's screen back to the list, unless the desk is dying. */
static void
step_desk_back(struct op *tu, bool dying)
{
	if (!tu->acked || dying) {
		return;
	}
	if (tu->kind == K_LOGIN) {
		if (tui_login_finish() != 0) {
			screen_why(tu->why, sizeof(tu->why),
				   "no list after the login");
			tu->failed = true;
		}
	} else if (tu->kind != K_ADD) {
		sshclient_type(tui, "q");
		if (!tui_wait(M_LIST, T_SCREEN)) {
			screen_why(tu->why, sizeof(tu->why),
				   "no list after q");
			tu->failed = true;
		}
	}
}

/* An add on the desk: the new nominee's number, from its receipt's
 * entry, for later acts on the desk. */
static void
step_add_id(const struct op *tu)
{
	sqlite3 *db;
	char actor[64];
	int act;
	int64_t id;

	if (!tu->acked || tu->kind != K_ADD || (db = db_open()) == NULL) {
		return;
	}
	id = entry_about(db, tu->entry, &act, actor, sizeof(actor));
	noms[tu->nom].id = id > 0 ? id : 0;
	sqlite3_close(db);
}

static void
op_log(const struct op *o)
{
	if (verbose) {
		printf("#     %s %s %s nominee %lld: %s%s entry %lld, %lld ms\n",
		       o->tui ? "desk" : "cli ", pool_login[o->pool],
		       kind_name[o->kind], (long long)op_nom_id(o),
		       o->acked ? "acked" : "not acked",
		       o->failed ? " (FAILED)" : "", (long long)o->entry,
		       (long long)(o->t_ack ? o->t_ack - o->t_start : -1));
	}
}

/* Each act's line (SOAK_VERBOSE) and its failure, if it failed. */
static void
step_report(const struct op *tu, const struct op *cl)
{
	for (int i = 0; i < 2; i++) {
		const struct op *o = i == 0 ? tu : cl;

		if (!o) {
			continue;
		}
		op_log(o);
		if (o->failed) {
			failure(&fig.op_errors, "%s %s %s nominee %lld: %s",
				o->tui ? "desk" : "cli", pool_login[o->pool],
				kind_name[o->kind],
				(long long)op_nom_id(o), o->why);
		}
	}
}

void
run_step(struct op *tu, struct op *cl, bool kill_step, enum target t)
{
	const char *last = tu ? step_prepare(tu, kill_step, t) : NULL;
	/* the desk's session ends with this step's kill */
	bool dying = kill_step && t != T_CLI_PROC && !(tu && tu->at_hangup);

	if (cl) {
		cli_start(cl);
		if (kill_step && t == T_CLI_PROC) {
			killer_arm(t, cl);
		}
	}
	if (last) {
		step_desk(tu, last, dying, t);
	}
	if (cl) {
		step_cli_wait(cl);
	}
	step_fire(kill_step, t);
	if (cl) {
		cli_finish(cl);
		if (!cl->acked && !(kill_step && t == T_CLI_PROC)) {
			cl->failed = true;
		}
		proc_release(&cli);
	}
	if (tu) {
		step_desk_back(tu, dying);
		step_add_id(tu);
	}
	step_report(tu, cl);
	/* a desk left on an unknown screen: start over */
	if (tu && tu->failed && !kill_step && tui) {
		int64_t ms;

		tui_close();
		if (tui_login(&ms) != 0) {
			failure(&fig.restart, "no login after a failed act");
		}
	}
}
