/*
 * soak.h: what the files of the crash soak (tests/soak, see soak.c for
 * what it does and checks) share: the timeouts and screen marks, the
 * model of what the database must hold, the acts, the figures, the
 * killer, and the state of the desk's session and the CLI process.
 *
 * Who owns what: soak.c the demo desk (dk), the figures and main;
 * model.c the nominees, receipts and randomness; cli.c the CLI process;
 * tui.c pc_clerk's session; tui_act.c the acts typed on it; killer.c the
 * kill and the waiting for its victims; db.c the read-only queries and
 * the invariants; check.c the acts resolved against the crash image;
 * step.c one step (a desk act and a CLI act at one moment).
 *
 * One thread.  Each global is defined by the file its section names.
 * Others write some of them: a nominee's id is learnt by the act that
 * added it (cli.c, step.c) or by the check (check.c), which also moves
 * the model on; the killer (killer_fire, settle) updates the desk's
 * session; soak.c resets the killer each cycle.
 */
#ifndef NOMDESK_SOAK_H
#define NOMDESK_SOAK_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "tests/lib/desk.h"
#include "tests/lib/sshclient.h"

#define T_SCREEN 8000   /* a screen to appear */
#define T_ACT 20000     /* a receipt (a signed act unlocks a key first) */
#define T_CLI 60000     /* one CLI act */
#define T_GONE 10000    /* processes to exit after a kill or hang-up */
#define T_VERIFY 120000 /* audit verify of the whole log */
#define MAX_OPS 16

#define PASSPHRASE "soak 签名口令 7"
#define REASON_PLEDGE "纸质原件存本单位人事科"
#define REASON_WITHDRAW "单位决定撤回"

/* Screen marks (zh_CN, the demo accounts' language). */
#define M_HOME "首页 | "
#define M_RESUME "恢复上次未保存的表单"
#define M_LIST "g 转到"
#define M_DETAIL "e 修改  x 操作"
#define M_MENU "您现在可以进行的操作"
#define M_SAVED "已保存：记录 #"

/* Server log marks. */
#define L_UI "user=pc_clerk start ui="
#define L_CONNECT "pid=" /* on "connect peer=A port=P pid=N" lines */
#define L_CONNECT_LINE "connect peer="

/* What a cycle's kill is aimed at (names in killer.c). */
enum target { T_TREE, T_SESSION, T_UI, T_CLI_PROC, T_N };
extern const char *const target_name[T_N];

/* ---- the model: what the database must hold (model.c) ---- */

enum pool { POOL_PC, POOL_YG, POOL_N };
extern const char *const pool_login[POOL_N];

struct nom {
	int64_t id; /* 0 until known */
	int pool;
	char name[64];
	char birth[11];
	int born; /* the uniq it was made with */
	char title[96];
	char idn[19]; /* "" until the dossier was completed */
	char state;   /* 'd' draft, 'p' pledged, 'w' withdrawn */
	int version;
	int items;
	int64_t seq;  /* its newest entry, as last checked */
	int touched;  /* the cycle that last picked it */
	bool gone;    /* an add that never committed */
	bool unsure;  /* added, not yet resolved by a check */
};

extern struct nom *noms; /* grows; index, never hold a pointer across */
extern size_t n_noms;

/* K_LOGIN: hang up and log in again (the session process records the
 * login in the log before the UI starts). */
enum kind {
	K_ADD,
	K_EDIT,
	K_COMPLETE,
	K_ITEM,
	K_PLEDGE,
	K_WITHDRAW,
	K_LOGIN,
	K_N
};
extern const char *const kind_name[K_N];
/* The entry each act appends (keys/keys.h ACT_*). */
extern const int kind_act[K_N];

enum outcome { O_NONE, O_ACKED, O_COMMITTED, O_ABSENT };

struct op {
	enum kind kind;
	bool tui;
	int pool;
	size_t nom;
	char arg[128]; /* the new title, ID number or item title */
	bool started;
	bool acked;
	bool failed; /* refused or hung outside a kill */
	int64_t entry;
	int64_t floor; /* K_LOGIN: the newest entry before it */
	bool mid_form; /* killed while its form was typed (never sent) */
	bool at_hangup; /* K_LOGIN: the session killed as the one before
			 * it hung up (writing its logout record) */
	int64_t t_start, t_ack;
	char why[8448]; /* room for a screen (8192) and a line */
	enum outcome out;
};

/* Every receipt shown, checked again after every later kill. */
struct receipt {
	int64_t seq;
	int act;
	int pool;
	size_t nom;
};
extern struct receipt *receipts;
extern size_t n_receipts;

/* Seeds the xorshift behind rnd_below (0 is taken as 1). */
void rnd_seed(uint64_t s);
/* Uniform in [0, n); 0 if n <= 0.  SOAK_SEED replays the sequence. */
int rnd_below(int n);
/* The nominee o is about: 0 for a login, or before its id is known. */
int64_t op_nom_id(const struct op *o);
/* Fills o with a desk act of cycle cyc for pc_clerk.  A UI kill needs
 * the UI running when its moment comes, so never a login then; a session
 * kill is aimed at a login one time in four.  May add a nominee to the
 * model (an add, or when no nominee fits the kind). */
void op_pick_tui(struct op *o, int cyc, bool kill_step, enum target t);
/* Fills o with a CLI act of cycle cyc, by either clerk. */
void op_pick_cli(struct op *o, int cyc);
/* The model follows an act that happened (edit, complete, item, pledge,
 * withdraw; an add changes nothing here). */
void nom_apply(struct nom *n, const struct op *o);
/* The receipt of the acknowledged act o. */
struct receipt receipt_of(const struct op *o);
/* Keeps o's receipt, to be checked after every later kill. */
void receipt_add(const struct op *o);

/* ---- figures and failures (soak.c) ---- */

struct soak_fig {
	int cycles;
	int kills[T_N];
	int kills_before_ack, kills_after_ack, kills_mid_form, kills_at_hangup;
	int acts, acked, committed_unacked, absent;
	int committed_unacked_desk; /* of those, on the desk */
	int lost, torn, integrity, verify, restart, op_errors, orphans, stale;
	int drafts; /* drafts the UI kept on a hang-up, seen at a check */
	int login_retries;
	int64_t restart_ms[1024];
	int n_restart;
	int64_t login_ms[1024];
	int n_login;
	int64_t verify_ms_max, verify_ms_sum;
};
extern struct soak_fig fig;
extern bool verbose; /* SOAK_VERBOSE=1: a line per act */
extern struct desk dk; /* the demo data directory and its server */

/* Counts a failure of one kind (*counter) and prints what it was. */
void failure(int *counter, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* All failures so far, the test library's included. */
int failures(void);

/* ---- one CLI process, run alongside the desk (cli.c) ---- */

struct sbuf {
	char *p;
	size_t len;
};

struct proc {
	pid_t pid;
	bool running;
	int fd[2]; /* stdout, stderr; -1 once closed */
	struct sbuf buf[2];
	int status; /* as sshclient_cmd.status */
	int64_t t_start, t_end;
};

extern struct proc cli; /* the step's CLI act */

/* Starts `nomdesk --data DIR args...` (args NULL-terminated) with input
 * (or nothing) on its stdin, its output read by proc_poll.  0, or -1 if
 * it could not be started.  p is reset first; proc_release frees it. */
int proc_start(struct proc *p, const char *const *args, const char *input);
/* Non-blocking: reads what arrived, reaps the process once it exited
 * (then running is false and status set). */
void proc_poll(struct proc *p);
/* Closes and frees what p holds; the process is not waited for. */
void proc_release(struct proc *p);
/* A synchronous `nomdesk --data DIR args...` (setup, verify); as
 * sshclient_cli, the caller releases res. */
int cli_sync(struct sshclient_cmd *res, int timeout_ms,
	     const char *const *args);
/* Starts o as the CLI process cli; o->t_start is its fork. */
void cli_start(struct op *o);
/* After cli ended: o acknowledged only with exit 0 and the receipt line
 * (an add learns its nominee's id); else o->why says what came. */
void cli_finish(struct op *o);

/* ---- pc_clerk's session on the desk (tui.c) ---- */

extern struct sshclient *tui; /* pc_clerk's session, or NULL */
extern bool tui_eof;
extern pid_t tui_session, tui_ui; /* 0 when not known; killer_fire may
				    * find the session of a login */
extern int64_t tui_last; /* the newest receipt the desk showed */
extern int ui_lines_seen; /* "start ui=" lines of the current log */
extern char home_mark[320]; /* "首页 | NAME", pc_clerk's home screen */

/* Serves everything for at most wait_ms: the CLI's pipes, the desk's
 * screen, the killer's moment. */
void service(int wait_ms);
/* Whether text is on the desk's screen (false without a session). */
bool screen_has(const char *text);
/* The desk's screen into buf ("" without a session). */
void screen_dump(char *buf, size_t size);
/* why = "WHAT; the screen:\n" and the screen. */
void screen_why(char *why, size_t whysz, const char *what);
/* Serves until text is on the screen; false on timeout or hang-up. */
bool tui_wait(const char *text, int timeout_ms);
/* Waits for a receipt after prefix newer than tui_last and returns its
 * number (then tui_last); 0 on a refusal, hang-up or timeout, with why
 * saying which and holding the screen. */
int64_t tui_wait_receipt(const char *prefix, int timeout_ms, char *why,
			 size_t whysz);
/* The digit of a menu row labelled label ("> 1  登记纸质承诺书"), or 0. */
char menu_digit(const char *label);
/* The pid after pid_mark on the newest server-log line holding
 * line_mark, if there are more such lines than *seen (which then counts
 * them); else 0. */
pid_t log_new_pid(const char *line_mark, const char *pid_mark, int *seen);
/* The session process of the newest connection beyond those seen since
 * tui_login_start, or 0 if it is not logged yet. */
pid_t new_session_pid(void);
/* Hangs up and waits until the session and UI are gone (an orphan
 * failure if not); nothing without a session. */
void tui_close(void);
/* Starts ssh as pc_clerk; the new session is then found by its
 * "connect" line. */
void tui_login_start(void);
/* Serves until the home screen or the resume question (the login was
 * recorded and the UI runs), or deadline; whether it came. */
bool tui_login_seen(int64_t deadline);
/* From the first screen to the nominee list, dropping a kept draft; the
 * session's processes known.  0 or -1. */
int tui_login_finish(void);
/* Logs pc_clerk in and opens the list, 3 attempts; *ms the time to the
 * first screen.  0 or -1 (the screens printed). */
int tui_login(int64_t *ms);

/* ---- acts on the desk (tui_act.c) ---- */

/* Everything of o up to its last key (the form filled in, the reason
 * and passphrase typed; for a login, the hang-up and o->floor).  Returns
 * the last key to send ("login": start the login), or NULL with o->why
 * set.  A session kill may be armed on the way (K.want_*). */
const char *tui_prepare(struct op *o);
/* The text before the number of o's receipt on the desk. */
const char *tui_receipt_prefix(const struct op *o);

/* ---- the killer and the processes (killer.c) ---- */

struct killer {
	bool armed, fired;
	bool missed; /* the target had exited before the moment came */
	enum target t;
	int64_t t_ref, at, fired_at; /* the act's start, the moment, the kill */
	struct op *op; /* the act it was aimed at */
	pid_t victims[512];
	size_t n_victims;
	/* this step's session kill: while a form is typed, or at the
	 * hang-up before a login (set by step.c around tui_prepare) */
	bool want_mid_form, want_at_hangup;
};
extern struct killer K; /* reset by each cycle */

/* The parent of pid (-1 if none) and whether pid still runs. */
pid_t proc_parent(pid_t pid, bool *alive);
/* Waits until none of the n pids runs; false on timeout. */
bool wait_gone(const pid_t *v, size_t n, int timeout_ms);
/* The usual durations start at their guesses. */
void est_init(void);
/* The acknowledged o's duration joins the usual one of its kind. */
void est_add(const struct op *o);
/* A hang-up's duration (until its session ended) joins the usual one. */
void est_hangup_add(int64_t ms);
/* Arms a kill of t uniform in [0, 1.5 x o's usual duration] after
 * o->t_start. */
void killer_arm(enum target t, struct op *o);
/* If K.want_mid_form: marks o mid-form, restarts its clock and arms a
 * session kill over the next 60 ms of typing. */
void killer_arm_mid_form(struct op *o);
/* Marks the login o as at the hang-up, restarts its clock and arms a
 * session kill over 1.5 x the usual hang-up. */
void killer_arm_at_hangup(struct op *o);
/* Kills the target now (a session not yet known: once it is logged). */
void killer_fire(void);
/* Fires if armed and the moment has come. */
void killer_tick(void);
/* Serves until an armed kill has fired. */
void killer_wait(void);
/* After the kill of t: every process that could write has exited (or
 * the surviving desk hung up), failures counted; no session is left. */
void settle(enum target t);

/* ---- the database, read-only (db.c) ---- */

struct row {
	bool found;
	char name[128], title[256], idn[32], state[32];
	int version;
	int items;
	int64_t seq;
};

/* The desk's database, read-only, or NULL; the caller closes it. */
sqlite3 *db_open(void);
/* The first column of the first row of sql (sqlite3_mprintf'd by the
 * caller; freed here), or dflt. */
int64_t q_int(sqlite3 *db, char *sql, int64_t dflt);
/* The nominee entry seq is about ("nominee:N"; -1 otherwise), its act
 * and actor (-1 and "" if there is no such entry). */
int64_t entry_about(sqlite3 *db, int64_t seq, int *act, char *actor,
		    size_t actsz);
/* How many nominees are called name, or -1. */
int64_t nominees_named(sqlite3 *db, const char *name);
/* The row of nominee id (r->found false if none). */
void row_get(sqlite3 *db, int64_t id, struct row *r);
/* Whether the model and the row agree on everything the acts set; if
 * not, why says the first difference. */
bool row_matches(const struct nom *n, const struct row *r, char *why,
		 size_t sz);
/* The invariants that hold whatever was acknowledged; failures counted. */
void check_invariants(sqlite3 *db);

/* ---- the checks after a kill (check.c) ---- */

/* An act of this cycle against the crash image: its outcome set, the
 * model and receipts follow, failures counted. */
void resolve(sqlite3 *db, struct op *o);
/* A draft the UI kept on its hang-up is of a form not saved. */
void check_draft(sqlite3 *db);
/* Everything acknowledged before cycle cyc is still there. */
void check_history(sqlite3 *db, int cyc);
/* `nomdesk audit verify` passes; its duration in ms (figures kept). */
int64_t audit_verify(void);

/* ---- one step (step.c) ---- */

/* One step: the desk act tu prepared up to its last key, then at one
 * moment that key and the CLI act cl (either may be NULL); on the kill
 * step, the killer armed on the act it aims at and fired by the end. */
void run_step(struct op *tu, struct op *cl, bool kill_step, enum target t);

#endif
