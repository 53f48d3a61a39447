/*
 * ssh/ private interfaces between the listener, the session process, the
 * pty bridge, the host key and the admission limits.  Nothing outside ssh/
 * includes this file.
 */
#ifndef NOMDESK_SRV_INT_H
#define NOMDESK_SRV_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <libssh/libssh.h>
#include <libssh/server.h>

#include "ssh/srv.h"

/* Pinned algorithm lists (docs/ssh-notes.md says why each one). */
#define SRV_KEX "curve25519-sha256,curve25519-sha256@libssh.org"
#define SRV_CIPHERS                                                       \
	"aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes128-ctr"
#define SRV_MACS "hmac-sha2-256,hmac-sha2-512"
#define SRV_HOSTKEY_ALGS "ssh-ed25519"

/* Clamp limits for terminal sizes from the client. */
#define SRV_TERM_MAX 1000
#define SRV_TERM_DEFAULT_COLS 80
#define SRV_TERM_DEFAULT_ROWS 24
#define SRV_TERM_FALLBACK "xterm-256color"
/* A login: [a-z0-9._-]{1,32} (core's rule, repeated here on purpose: the
 * server refuses anything else before a single database call). */
#define SRV_LOGIN_MAX 32

/* ---- log.c ---- */

/* One line to stderr: "<UTC time> nomdesk-ssh[pid]: <message>", written
 * with a single write(2) so lines of different processes never mix. */
void srv_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Copies untrusted text for a log line: printable ASCII kept, the rest
 * \xHH; long input is cut with "...".  Always NUL-terminates.  (A login
 * a client typed is never logged: see session.c.) */
void srv_log_escape_text(const char *in, char *out, size_t outlen);
/* Routes libssh's own messages through srv_log (warnings and worse). */
void srv_log_libssh(void);

/* ---- limits.c: the listener's table of connection processes ---- */

struct srv_child {
	pid_t pid;
	pid_t ui_pid;         /* 0 until the session reports its UI */
	bool authenticated;   /* reported by the child over the status socket */
	char peer[64];        /* numeric address, no port */
};

struct srv_children {
	struct srv_child *v;
	size_t n, cap;
	size_t n_unauth;
};

enum srv_admit {
	SRV_ADMIT_OK = 0,
	SRV_ADMIT_MAX_STARTUPS,  /* too many unauthenticated, globally */
	SRV_ADMIT_EARLY_DROP,    /* dropped at random between begin and full */
	SRV_ADMIT_PER_SOURCE,    /* too many unauthenticated from this address */
	SRV_ADMIT_MAX_SESSIONS,  /* too many connection processes in all */
};

void srv_children_init(struct srv_children *t);
void srv_children_release(struct srv_children *t);
/* Decides whether a new connection from peer may start a process;
 * random_pct is a uniform draw from [0, 100) for the early drop. */
enum srv_admit srv_children_admit(const struct srv_children *t,
				  const char *peer, const struct srv_config *c,
				  unsigned random_pct);
const char *srv_admit_str(enum srv_admit a);
/* Records a new process (unauthenticated).  -1 on out of memory. */
int srv_children_add(struct srv_children *t, pid_t pid, const char *peer);
/* NULL if pid is not one of ours. */
struct srv_child *srv_children_find(struct srv_children *t, pid_t pid);
void srv_children_set_authenticated(struct srv_children *t,
				    struct srv_child *ch);
/* Forgets pid (after waitpid); false if it was unknown. */
bool srv_children_remove(struct srv_children *t, pid_t pid);

/* ---- status messages, session process -> listener ---- */

enum srv_status {
	SRV_STATUS_AUTHENTICATED = 'A',
	SRV_STATUS_UI = 'U', /* arg = the UI's pid */
	SRV_STATUS_FAILED = 'F', /* a refused password: keys, known, login */
};

/* ---- penalty.c: penalties for failed passwords (see srv.h) ---- */

struct srv_penalty;

/* The three keys of one attempt: its source, its source and login, its
 * login (keyed hashes; the login itself is never stored). */
struct srv_penalty_keys {
	uint64_t source, pair, login;
};

struct srv_status_msg {
	uint8_t type;
	uint8_t known; /* F: the login exists */
	int32_t arg;
	struct srv_penalty_keys keys; /* F */
	char login[SRV_LOGIN_MAX + 1]; /* F: only if known, else "" */
};

void srv_penalty_config_defaults(struct srv_penalty_config *c);
/* A table in shared memory (listener, before forking); NULL on failure. */
struct srv_penalty *srv_penalty_new(const struct srv_penalty_config *cfg);
void srv_penalty_free(struct srv_penalty *p);
/* The keys of an attempt from peer at login (any process). */
void srv_penalty_keys(const struct srv_penalty *p, const char *peer,
		      const char *login, struct srv_penalty_keys *out);
/* Listener only: records one refused password. */
void srv_penalty_fail(struct srv_penalty *p, const struct srv_penalty_keys *k,
		      bool known, int64_t now_ms);
/* How long the next password check under these keys waits (any process);
 * *penalized: it goes through the slow lane of the gate. */
int srv_penalty_delay_ms(const struct srv_penalty *p,
			 const struct srv_penalty_keys *k, int64_t now_ms,
			 bool *penalized);
/* The current score of one key (for the log). */
double srv_penalty_score(const struct srv_penalty *p, uint64_t key,
			 int64_t now_ms);

/* ---- failures.c: refused passwords, for the log and the summary ---- */

#define SRV_FAIL_LOGINS 64     /* existing logins told apart a period */
#define SRV_FAIL_SRC_LOGINS 3  /* named per source in an aggregated line */

struct srv_fail_src {
	char peer[64];
	unsigned long n_period;     /* failures this summary period */
	unsigned long n_since_log;  /* not yet in a log line */
	unsigned long unknown_since_log;
	int64_t last_log_ms;        /* monotonic; 0: never logged */
	char logins[SRV_FAIL_SRC_LOGINS][SRV_LOGIN_MAX + 1];
};

struct srv_failures {
	struct srv_fail_src *src;
	size_t n_src, cap_src;
	struct {
		char name[SRV_LOGIN_MAX + 1];
		unsigned long n;
	} login[SRV_FAIL_LOGINS];
	size_t n_login;
	unsigned long total, unknown;
	unsigned long overflow; /* failures of sources past the table */
	int64_t from_wall_ms;
	int64_t window_ms;      /* the one-second budget of log lines */
	unsigned lines, quiet;
};

void srv_failures_init(struct srv_failures *f, int64_t now_wall_ms);
void srv_failures_release(struct srv_failures *f);
/* One refused password from peer (login only if known); logs the first
 * of a source at once (within a global budget of lines a second), counts
 * the rest for srv_failures_flush. */
void srv_failures_note(struct srv_failures *f, const char *peer,
		       const char *login, bool known, int delay_ms,
		       int64_t now);
/* One aggregated line per source whose failures were not logged for a
 * minute (force: every source with failures not yet logged). */
void srv_failures_flush(struct srv_failures *f, int64_t now, bool force);
bool srv_failures_pending(const struct srv_failures *f);
/* The period's totals into out, and a new period begins. */
void srv_failures_summary(struct srv_failures *f, struct srv_auth_summary *out,
			  int64_t now_wall_ms);

/* ---- slots.c: the password-check gate and per-user session slots ---- */

struct srv_gate {
	int id;    /* System V semaphore set, -1: no bound */
	int lock_fd; /* memfd: a byte per source in the clean lane */
	int slots;
	int held;  /* 0, 1 (a slot), 2 (a slot and the slow lane) */
	uint64_t source_key;
	bool source_locked;
};

/* Listener: a gate of slots concurrent checks (slots < 1: unbounded).
 * -1 if the kernel would not give a semaphore set. */
int srv_gate_open(struct srv_gate *g, int slots);
/* Listener, at the end: removes the set. */
void srv_gate_close(struct srv_gate *g);
/* Session: waits up to timeout_ms for a slot, in the slow lane if asked
 * or if another connection of the same source is in the clean lane now;
 * 0 when held, -1 when time ran out. */
int srv_gate_enter(struct srv_gate *g, bool slow_lane, uint64_t source_key,
		   int timeout_ms);
void srv_gate_leave(struct srv_gate *g);
/* Checks running now (for the log and tests). */
int srv_gate_in_use(const struct srv_gate *g);

struct srv_usercap {
	int fd; /* memfd, -1: no cap */
	int per_user;
};

int srv_usercap_open(struct srv_usercap *u, int per_user);
void srv_usercap_close(struct srv_usercap *u);
/* Session: takes one of the login's slots for the life of this process;
 * -1 when all per_user are held by other sessions. */
int srv_usercap_take(struct srv_usercap *u, uint64_t login_key);

/* ---- hostkey.c ---- */

/* Loads an Ed25519 private key file after checking it is a regular file
 * owned by us with no group/other permission bits.  *out is the caller's
 * (ssh_key_free).  -1 with err otherwise. */
int srv_hostkey_load(const char *path, ssh_key *out, char *err, size_t errlen);

/* ---- pty.c ---- */

/* TERM if it matches [A-Za-z0-9._+-]{1,63}, else SRV_TERM_FALLBACK. */
const char *srv_term_checked(const char *term);
/* Clamps a client's size into 1..SRV_TERM_MAX; 0 or less gives the default
 * (80 columns, 24 rows). */
int srv_clamp_cols(int cols);
int srv_clamp_rows(int rows);
/* true for [a-z0-9._-]{1,32}. */
bool srv_login_valid(const char *login);

/* Opens a pty pair of the given size with IUTF8 and erase = DEL; the
 * master is non-blocking; both are close-on-exec.  -1 on failure. */
int srv_pty_open(int cols, int rows, int *master, int *slave);
/* Sets the size on the master (the kernel signals the UI). */
void srv_pty_resize(int master, int cols, int rows);

struct srv_ui_spec {
	const struct srv_config *cfg;
	const char *login;
	const char *term;
	const char *home;
};

/* Forks the UI on slave: new session with slave as controlling terminal,
 * no core dumps, no new privileges, fds >= 3 closed, default signal
 * dispositions, a clean environment, exec `exe --data DIR tui --as LOGIN`.
 * Returns the pid (the caller closes slave) or -1. */
pid_t srv_ui_spawn(const struct srv_ui_spec *spec, int slave);

/* In a forked child: default dispositions for every signal the session
 * process handles, and an empty mask. */
void srv_child_reset_signals(void);
/* In a forked child whose fds 0-2 are in place: no core dumps, no new
 * privileges, fds >= 3 closed, the minimal environment (TERM only if term
 * is not NULL, LANG=C.UTF-8, HOME, PATH, LOGNAME, cfg->ui_env), then
 * execve(exe, [exe, --data, DIR, words...]).  On failure a line on
 * stderr, _exit(127). */
void srv_child_exec(const struct srv_ui_spec *spec, const char *const *words)
	__attribute__((noreturn));

/* ---- exec.c: exec requests (the allow-list is cfg->exec_allowed) ---- */

/* Decides an exec request: 0 with spec filled in (limits defaulted), or
 * -1 with why (for the log) set to a short static reason. */
int srv_exec_check(const struct srv_config *cfg, const char *login,
		   const char *cmd, struct srv_exec_spec *spec,
		   const char **why);
/* The command as one line for logs and records ("witness-request 12"). */
void srv_exec_line(const struct srv_exec_spec *spec, char *out,
		   size_t outlen);

struct srv_exec_fds {
	int in;  /* the command's stdin (write end), -1 if /dev/null */
	int out; /* its stdout (read end) */
	int err; /* its stderr (read end) */
};

/* Forks the command on pipes (non-blocking, close-on-exec on our ends),
 * in a new session without a controlling terminal.  The pid and fds
 * (the caller's), or -1 with nothing left open. */
pid_t srv_exec_spawn(const struct srv_ui_spec *ui,
		     const struct srv_exec_spec *spec,
		     struct srv_exec_fds *fds);

/* ---- pump.c: bytes between the session channel and the child ---- */

enum { SRV_OUT_STDOUT, SRV_OUT_STDERR, SRV_OUT_N };

/*
 * The child is the UI on a pty (in and out[0] are the master, out[1] is
 * -1) or a command on pipes.  Memory is bounded: at most one read of the
 * child (sizeof out) waits for the client's window, and at most sizeof in
 * bytes of client input wait for the child; beyond that libssh keeps the
 * data and stops growing the client's window (back-pressure).  The child
 * is read only when libssh has handed everything to the kernel, so a
 * client that stops reading stalls its own child, not our memory.
 */
struct srv_pump {
	ssh_session s;
	ssh_event ev;
	ssh_channel chan;
	bool gone; /* channel closed or connection lost */

	int in;                  /* client input goes here; -1: none */
	int out[SRV_OUT_N];      /* the child's output; -1: none */
	bool out_eof[SRV_OUT_N]; /* EOF or EIO seen (or never there) */
	bool in_broken;          /* writing failed: the child is gone */
	bool eof_closes_in;      /* pipes: the client's EOF closes in */
	bool in_eof;             /* the client sent EOF */

	/* events registered with ev: out[0] (and in, if the same), out[1],
	 * in (if not the same); 0 = none */
	short reg[3];

	char obuf[16384]; /* child -> channel, waiting for the window */
	size_t out_off, out_len;
	int out_stream; /* SRV_OUT_STDOUT or SRV_OUT_STDERR */
	char ibuf[4096];  /* channel -> child, waiting for the child */
	size_t in_len;
	bool in_backlog; /* libssh holds input we refused */

	uint64_t max_in, max_out; /* 0: unbounded */
	bool over_in, over_out;   /* a bound was passed */
	uint64_t bytes_in, bytes_out;
};

/* Not pumping yet: no descriptors; input is dropped. */
void srv_pump_init(struct srv_pump *p, ssh_session s, ssh_event ev);
/* Starts pumping; takes ownership of the descriptors (in may equal out,
 * err may be -1).  eof_closes_in: the client's EOF closes in once all
 * its input is written (pipes; a pty ignores EOF). */
void srv_pump_start(struct srv_pump *p, int in, int out, int err,
		    bool eof_closes_in);
/* The channel data callback's work: the bytes taken (the rest stays in
 * libssh until srv_pump_backlog pulls it). */
int srv_pump_data(struct srv_pump *p, const void *data, uint32_t len);
/* The client's EOF. */
void srv_pump_eof(struct srv_pump *p);
/* Hands pending output to libssh, never more than the client's window. */
void srv_pump_out(struct srv_pump *p);
/* Pulls back client input libssh kept while our buffer was full. */
void srv_pump_backlog(struct srv_pump *p);
/* Registers the descriptors with the events wanted now and closes in
 * after the client's EOF.  Only between polls, never from a callback
 * (libssh frees a handle on removal). */
void srv_pump_sync(struct srv_pump *p);
/* Reads the child once where allowed; bytes read (0: none). */
size_t srv_pump_read(struct srv_pump *p);
/* All the child's output seen to EOF and handed over. */
bool srv_pump_out_done(const struct srv_pump *p);
/* After the client is gone: polls the output descriptors (and extra,
 * a descriptor of the caller's, returned readable in *extra_ready) up to
 * timeout_ms and discards what the child wrote, so it never blocks on a
 * reader that is gone. */
void srv_pump_discard(struct srv_pump *p, int extra, bool *extra_ready,
		      int timeout_ms);
/* Unregisters and closes the descriptors. */
void srv_pump_release(struct srv_pump *p);

/* ---- session.c ---- */

struct srv_session_args {
	const struct srv_config *cfg;
	ssh_bind bind;
	const struct srv_penalty *penalty; /* shared, read-only here */
	struct srv_gate *gate;
	struct srv_usercap *usercap;
	int fd;        /* the accepted TCP socket */
	int status_fd; /* datagram socket to the listener */
	const char *peer;
	const char *home;
};

/* The connection process: never returns. */
void srv_session_main(const struct srv_session_args *a)
	__attribute__((noreturn));

/* Ends a process we forked (a session process, or a UI that could not be
 * exec'd) after running LeakSanitizer in ASan builds; skips the parent's
 * atexit handlers and stdio buffers, which belong to the listener. */
void srv_exit(int status) __attribute__((noreturn));

/* Monotonic milliseconds. */
int64_t srv_now_ms(void);

#endif
