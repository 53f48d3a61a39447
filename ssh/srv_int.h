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
/* Copies untrusted text for a log line: bytes outside [a-z0-9._-] become
 * \xHH; long input is cut with "...".  Always NUL-terminates. */
void srv_log_escape(const char *in, char *out, size_t outlen);
/* The same for free text (banners): printable ASCII kept, the rest \xHH. */
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
	SRV_ADMIT_PER_SOURCE,    /* too many unauthenticated from this address */
	SRV_ADMIT_MAX_SESSIONS,  /* too many connection processes in all */
};

void srv_children_init(struct srv_children *t);
void srv_children_release(struct srv_children *t);
/* Decides whether a new connection from peer may start a process. */
enum srv_admit srv_children_admit(const struct srv_children *t,
				  const char *peer, const struct srv_config *c);
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
};

struct srv_status_msg {
	uint8_t type;
	int32_t arg;
};

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

/* ---- session.c ---- */

struct srv_session_args {
	const struct srv_config *cfg;
	ssh_bind bind;
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
