/*
 * The listener: owns the listening socket, admits or refuses each
 * connection before any crypto, forks one connection process per admitted
 * connection, reaps them, and shuts down in order.  It never parses a byte
 * from the network: libssh's per-connection state is created in the child.
 *
 * Admission (decided right after accept, the socket closed at once when
 * refused):
 *   max_startups    connection processes not yet authenticated, globally,
 *                   with random early drop from startups_begin on
 *   per_source_max  the same, per source address
 *   max_sessions    connection processes in all
 *
 * Made here before the first fork and shared with every session process:
 * the penalty table for failed passwords (penalty.c, written only here,
 * from the failures the children report), the password-check gate and
 * the per-user session slots (slots.c).  Refused passwords reach the log
 * through failures.c, aggregated, and the signed log through a summary
 * written by a short-lived child at most every failure_summary_s.
 * A child counts as unauthenticated from fork until it says otherwise on
 * the status socket (a datagram socket whose sender pid the kernel
 * vouches for, SO_PASSCRED), or until it exits.
 *
 * The listener is a child subreaper while it runs, so a UI orphaned by a
 * killed connection process is reaped here too; no zombie outlives
 * srv_run().
 */
#define _GNU_SOURCE /* struct ucred */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libssh/callbacks.h>

#include "ssh/srv_int.h"

static int listener_sig_w = -1;

static void
on_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;

	if (write(listener_sig_w, &c, 1) < 0) {
		/* full pipe: a wake-up is pending already */
	}
	errno = saved;
}

void
srv_config_defaults(struct srv_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->kex_timeout_s = 10;
	cfg->grace_s = 30;
	cfg->max_auth_tries = 6;
	cfg->startups_begin = 128;
	cfg->startups_rate = 30;
	cfg->max_startups = 512;
	cfg->per_source_max = 8;
	cfg->shutdown_grace_s = 10;
	cfg->max_sessions = 1000;
	cfg->per_user_max = 4;
	cfg->max_session_s = 12 * 3600;
	cfg->idle_s = 0;
	cfg->failure_summary_s = 3600;
	cfg->password_checks = 0; /* fix_config: the number of CPUs */
	srv_penalty_config_defaults(&cfg->penalty);
}

struct listener {
	struct srv_config cfg;
	ssh_bind bind;
	int lfd;
	int sig_r, sig_w;
	int st_r, st_w;
	char home[1024];
	struct srv_children kids;
	bool stopping, killed;
	int64_t kill_at, give_up_at;
	int64_t accept_pause_until;
	struct srv_penalty *penalty;
	struct srv_gate gate;
	struct srv_usercap usercap;
	struct srv_failures fails;
	int64_t next_flush, next_summary;
	pid_t summary_pid;
	/* refusals are logged at most REFUSED_PER_S a second, the rest
	 * counted: a flood must not become a disk flood */
	int64_t refused_window;
	unsigned n_refused_logged, n_refused_quiet;
	struct sigaction old[5];
};

#define REFUSED_PER_S 10

static const int handled[] = {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGPIPE};

static void
fix_config(struct srv_config *c)
{
	struct srv_config d;

	srv_config_defaults(&d);
	if (c->listen_addr == NULL || *c->listen_addr == '\0') {
		c->listen_addr = "127.0.0.1";
	}
#define DEFAULT_IF_NONPOSITIVE(f)                                         \
	do {                                                              \
		if (c->f <= 0) {                                          \
			c->f = d.f;                                       \
		}                                                         \
	} while (0)
	DEFAULT_IF_NONPOSITIVE(kex_timeout_s);
	DEFAULT_IF_NONPOSITIVE(grace_s);
	DEFAULT_IF_NONPOSITIVE(max_auth_tries);
	DEFAULT_IF_NONPOSITIVE(max_startups);
	DEFAULT_IF_NONPOSITIVE(per_source_max);
	DEFAULT_IF_NONPOSITIVE(shutdown_grace_s);
	DEFAULT_IF_NONPOSITIVE(max_sessions);
	DEFAULT_IF_NONPOSITIVE(failure_summary_s);
	DEFAULT_IF_NONPOSITIVE(per_user_max);
	DEFAULT_IF_NONPOSITIVE(penalty.halflife_s);
	DEFAULT_IF_NONPOSITIVE(penalty.max_ms);
#undef DEFAULT_IF_NONPOSITIVE
	if (c->max_session_s < 0) {
		c->max_session_s = 0;
	}
	if (c->idle_s < 0) {
		c->idle_s = 0;
	}
	if (c->startups_rate < 0 || c->startups_rate > 100) {
		c->startups_rate = d.startups_rate;
	}
	if (c->password_checks <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		c->password_checks = n > 0 ? (int)n : 1;
	}
}

static int
make_bind(struct listener *L, char *err, size_t errlen)
{
	ssh_key key = NULL;
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *fp = NULL;
	bool no = false;
	int verbosity = SSH_LOG_WARNING;

	if (srv_hostkey_load(L->cfg.hostkey_path, &key, err, errlen) != 0) {
		return -1;
	}
	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash,
				   &hlen) == 0) {
		fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash,
					      hlen);
		ssh_clean_pubkey_hash(&hash);
	}
	L->bind = ssh_bind_new();
	if (L->bind == NULL) {
		snprintf(err, errlen, "out of memory");
		ssh_key_free(key);
		ssh_string_free_char(fp);
		return -1;
	}
	/*
	 * No global config (the first accept would read Debian's
	 * /etc/ssh/libssh_server_config and an admin's edit there would
	 * change our crypto); every algorithm list pinned.
	 */
	if (ssh_bind_options_set(L->bind, SSH_BIND_OPTIONS_PROCESS_CONFIG,
				 &no) != SSH_OK ||
	    ssh_bind_options_set(L->bind, SSH_BIND_OPTIONS_LOG_VERBOSITY,
				 &verbosity) != SSH_OK ||
	    ssh_bind_options_set(L->bind, SSH_BIND_OPTIONS_IMPORT_KEY, key) !=
		    SSH_OK) {
		snprintf(err, errlen, "cannot configure libssh: %s",
			 ssh_get_error(L->bind));
		ssh_key_free(key);
		ssh_string_free_char(fp);
		return -1;
	}
	key = NULL; /* transferred to the bind */
	if (ssh_bind_options_set(L->bind, SSH_BIND_OPTIONS_KEY_EXCHANGE,
				 SRV_KEX) != SSH_OK ||
	    ssh_bind_options_set(L->bind, SSH_BIND_OPTIONS_CIPHERS_C_S,
				 SRV_CIPHERS) != SSH_OK ||
	    ssh_bind_options_set(L->bind, SSH_BIND_OPTIONS_CIPHERS_S_C,
				 SRV_CIPHERS) != SSH_OK ||
	    ssh_bind_options_set(L->bind, SSH_BIND_OPTIONS_HMAC_C_S,
				 SRV_MACS) != SSH_OK ||
	    ssh_bind_options_set(L->bind, SSH_BIND_OPTIONS_HMAC_S_C,
				 SRV_MACS) != SSH_OK ||
	    ssh_bind_options_set(L->bind, SSH_BIND_OPTIONS_HOSTKEY_ALGORITHMS,
				 SRV_HOSTKEY_ALGS) != SSH_OK ||
	    ssh_bind_options_set(L->bind,
				 SSH_BIND_OPTIONS_PUBKEY_ACCEPTED_KEY_TYPES,
				 "ssh-ed25519") != SSH_OK) {
		snprintf(err, errlen, "cannot set the SSH algorithms: %s",
			 ssh_get_error(L->bind));
		ssh_string_free_char(fp);
		return -1;
	}
	srv_log("host key %s %s", L->cfg.hostkey_path,
		fp != NULL ? fp : "(no fingerprint)");
	ssh_string_free_char(fp);
	return 0;
}

static int
make_socket(struct listener *L, char *addr_out, size_t addr_len,
	    int *port_out, char *err, size_t errlen)
{
	struct addrinfo hints, *ai = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char port[16], serv[16];
	int on = 1, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	if (L->cfg.port < 0 || L->cfg.port > 65535) {
		snprintf(err, errlen, "bad port %d", L->cfg.port);
		return -1;
	}
	snprintf(port, sizeof(port), "%d", L->cfg.port);
	rc = getaddrinfo(L->cfg.listen_addr, port, &hints, &ai);
	if (rc != 0) {
		snprintf(err, errlen,
			 "bad listen address \"%s\" (give a numeric IPv4 or "
			 "IPv6 address): %s",
			 L->cfg.listen_addr, gai_strerror(rc));
		return -1;
	}
	L->lfd = socket(ai->ai_family,
			SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (L->lfd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		freeaddrinfo(ai);
		return -1;
	}
	setsockopt(L->lfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	/* libssh's own listener uses a backlog of 10: a morning burst of
	 * logins would wait on SYN retries. */
	if (bind(L->lfd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    listen(L->lfd, 512) != 0) {
		snprintf(err, errlen, "cannot listen on %s port %d: %s",
			 L->cfg.listen_addr, L->cfg.port, strerror(errno));
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	if (getsockname(L->lfd, (struct sockaddr *)&ss, &sl) != 0 ||
	    getnameinfo((struct sockaddr *)&ss, sl, addr_out,
			(socklen_t)addr_len, serv, sizeof(serv),
			NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(err, errlen, "getsockname: %s", strerror(errno));
		return -1;
	}
	*port_out = atoi(serv);
	return 0;
}

static int
make_pipes(struct listener *L, char *err, size_t errlen)
{
	int p[2], on = 1;

	if (pipe(p) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(p[i], F_SETFL, fcntl(p[i], F_GETFL) | O_NONBLOCK);
		fcntl(p[i], F_SETFD, FD_CLOEXEC);
	}
	L->sig_r = p[0];
	L->sig_w = p[1];
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0,
		       p) != 0) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	L->st_r = p[0];
	L->st_w = p[1];
	if (setsockopt(L->st_r, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)) !=
	    0) {
		snprintf(err, errlen, "SO_PASSCRED: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void
install_signals(struct listener *L)
{
	struct sigaction sa;

	listener_sig_w = L->sig_w;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(handled) / sizeof(handled[0]); i++) {
		struct sigaction *use = &sa, ign;

		if (handled[i] == SIGPIPE) {
			memset(&ign, 0, sizeof(ign));
			ign.sa_handler = SIG_IGN;
			use = &ign;
		}
		sigaction(handled[i], use, &L->old[i]);
	}
}

static void
restore_signals(struct listener *L)
{
	for (size_t i = 0; i < sizeof(handled) / sizeof(handled[0]); i++) {
		sigaction(handled[i], &L->old[i], NULL);
	}
	listener_sig_w = -1;
}

static void
peer_name(const struct sockaddr_storage *ss, socklen_t sl, char *host,
	  size_t hlen, char *serv, size_t slen)
{
	if (getnameinfo((const struct sockaddr *)ss, sl, host,
			(socklen_t)hlen, serv, (socklen_t)slen,
			NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(host, hlen, "?");
		snprintf(serv, slen, "?");
	}
}

static void __attribute__((noreturn))
child(struct listener *L, int fd, const char *peer)
{
	struct srv_session_args a;

	/* Until the session installs its own handlers a stop request
	 * should simply end us. */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	/* Own process group: the terminal's ^C reaches the listener only,
	 * and the listener can signal a session with everything it forked
	 * before its UI started. */
	setpgid(0, 0);
	if (prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0) != 0) {
		/* not fatal: inherited subreaper status is harmless */
	}
	close(L->lfd);
	close(L->sig_r);
	close(L->sig_w);
	close(L->st_r);
	memset(&a, 0, sizeof(a));
	a.cfg = &L->cfg;
	a.bind = L->bind;
	a.fd = fd;
	a.status_fd = L->st_w;
	a.peer = peer;
	a.home = L->home;
	a.penalty = L->penalty;
	a.gate = &L->gate;
	a.usercap = &L->usercap;
	srv_session_main(&a);
}

static void
log_refused(struct listener *L, const char *host, const char *serv,
	    const char *why)
{
	int64_t now = srv_now_ms();

	if (now - L->refused_window >= 1000) {
		if (L->n_refused_quiet > 0) {
			srv_log("refused %u more connection(s) without "
				"logging them",
				L->n_refused_quiet);
		}
		L->refused_window = now;
		L->n_refused_logged = 0;
		L->n_refused_quiet = 0;
	}
	if (L->n_refused_logged >= REFUSED_PER_S) {
		L->n_refused_quiet++;
		return;
	}
	L->n_refused_logged++;
	srv_log("refused peer=%s port=%s reason=%s unauthenticated=%zu "
		"sessions=%zu",
		host, serv, why, L->kids.n_unauth, L->kids.n);
}

static void
accept_all(struct listener *L)
{
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		char host[64], serv[16];
		enum srv_admit adm;
		pid_t pid;
		int fd;

		fd = accept4(L->lfd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED) {
				continue;
			}
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				/* leave the rest in the backlog a moment
				 * rather than spin on a level-triggered fd */
				srv_log("accept: %s; pausing", strerror(errno));
				L->accept_pause_until = srv_now_ms() + 200;
			}
			return;
		}
		peer_name(&ss, sl, host, sizeof(host), serv, sizeof(serv));
		adm = srv_children_admit(&L->kids, host, &L->cfg,
					 arc4random_uniform(100));
		if (adm != SRV_ADMIT_OK) {
			log_refused(L, host, serv, srv_admit_str(adm));
			close(fd);
			continue;
		}
		/* anything buffered in stdio would be written twice */
		fflush(NULL);
		pid = fork();
		if (pid < 0) {
			log_refused(L, host, serv, strerror(errno));
			close(fd);
			continue;
		}
		if (pid == 0) {
			child(L, fd, host);
		}
		setpgid(pid, pid); /* either side may win the race */
		close(fd);
		if (srv_children_add(&L->kids, pid, host) != 0) {
			srv_log("out of memory: dropping pid %ld", (long)pid);
			kill(pid, SIGKILL);
			continue;
		}
		srv_log("connect peer=%s port=%s pid=%ld unauthenticated=%zu "
			"sessions=%zu",
			host, serv, (long)pid, L->kids.n_unauth, L->kids.n);
	}
}

/* A child reports a refused password: the penalty grows, the log hears
 * of it (aggregated).  The source is the listener's own record of the
 * child's peer, never something the child says. */
static void
on_failure(struct listener *L, const struct srv_child *ch,
	   const struct srv_status_msg *m)
{
	struct srv_penalty_keys k = m->keys;
	int64_t now = srv_now_ms();
	char login[SRV_LOGIN_MAX + 1];
	int delay = 0;

	/* the source key from our record of the peer, not the child's */
	if (L->penalty != NULL) {
		struct srv_penalty_keys mine;

		srv_penalty_keys(L->penalty, ch->peer, "", &mine);
		k.source = mine.source;
		srv_penalty_fail(L->penalty, &k, m->known != 0, now);
		delay = srv_penalty_delay_ms(L->penalty, &k, now, NULL);
	}
	memcpy(login, m->login, sizeof(login));
	login[sizeof(login) - 1] = '\0';
	srv_failures_note(&L->fails, ch->peer,
			  m->known && srv_login_valid(login) ? login : "",
			  m->known != 0 && srv_login_valid(login), delay, now);
}

static int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The period's failures to the signed log, in a child of ours: the
 * callback opens the database and appends one entry; the listener itself
 * never opens the database nor holds the log key.  wait: at shutdown,
 * wait for it (briefly) so the last period is not lost.
 */
static void
write_summary(struct listener *L, bool wait)
{
	struct srv_auth_summary sum;
	pid_t pid;

	if (L->cfg.auth_summary == NULL || !srv_failures_pending(&L->fails) ||
	    L->summary_pid > 0) {
		return;
	}
	srv_failures_summary(&L->fails, &sum, wall_ms());
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		srv_log("failure summary: cannot fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		close(L->sig_r);
		close(L->sig_w);
		close(L->st_r);
		close(L->st_w);
		if (L->lfd >= 0) {
			close(L->lfd);
		}
		L->cfg.auth_summary(L->cfg.ctx, &sum);
		srv_exit(0);
	}
	srv_log("failure summary: %lu refused password(s) from %lu "
		"source(s) since the last one (pid=%ld writes it)",
		sum.failures, sum.sources, (long)pid);
	L->summary_pid = pid;
	if (wait) {
		int64_t until = srv_now_ms() + 5000;
		int st;

		while (srv_now_ms() < until) {
			if (waitpid(pid, &st, WNOHANG) == pid) {
				L->summary_pid = 0;
				return;
			}
			poll(NULL, 0, 20);
		}
		srv_log("failure summary: pid=%ld did not finish", (long)pid);
	}
}

/* Timers: aggregated failure lines, the periodic summary. */
static void
on_timers(struct listener *L, int64_t now)
{
	if (now >= L->next_flush) {
		srv_failures_flush(&L->fails, now, false);
		L->next_flush = now + 10000;
	}
	if (now >= L->next_summary) {
		write_summary(L, false);
		L->next_summary =
			now + (int64_t)L->cfg.failure_summary_s * 1000;
	}
}

static void
read_status(struct listener *L)
{
	for (;;) {
		struct srv_status_msg m;
		struct iovec iov = {&m, sizeof(m)};
		union {
			char buf[CMSG_SPACE(sizeof(struct ucred))];
			struct cmsghdr align;
		} u;
		struct msghdr mh;
		struct cmsghdr *cm;
		struct srv_child *ch = NULL;
		ssize_t n;

		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		n = recvmsg(L->st_r, &mh, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return;
		}
		if (n != (ssize_t)sizeof(m)) {
			continue;
		}
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_level == SOL_SOCKET &&
			    cm->cmsg_type == SCM_CREDENTIALS) {
				struct ucred uc;

				memcpy(&uc, CMSG_DATA(cm), sizeof(uc));
				ch = srv_children_find(&L->kids, uc.pid);
			}
		}
		if (ch == NULL) {
			continue; /* not from one of our connection processes */
		}
		if (m.type == SRV_STATUS_AUTHENTICATED) {
			srv_children_set_authenticated(&L->kids, ch);
		} else if (m.type == SRV_STATUS_UI && m.arg > 1) {
			ch->ui_pid = (pid_t)m.arg;
		} else if (m.type == SRV_STATUS_FAILED) {
			on_failure(L, ch, &m);
		}
	}
}

static void
reap(struct listener *L)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		struct srv_child *ch = srv_children_find(&L->kids, pid);
		char how[32];

		if (WIFEXITED(st)) {
			snprintf(how, sizeof(how), "exit %d", WEXITSTATUS(st));
		} else if (WIFSIGNALED(st)) {
			snprintf(how, sizeof(how), "signal %d", WTERMSIG(st));
		} else {
			continue;
		}
		if (pid == L->summary_pid) {
			L->summary_pid = 0;
			if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
				srv_log("failure summary pid=%ld failed (%s)",
					(long)pid, how);
			}
			continue;
		}
		if (ch == NULL) {
			srv_log("reaped orphan pid=%ld (%s)", (long)pid, how);
			continue;
		}
		srv_log("disconnect peer=%s pid=%ld %s", ch->peer, (long)pid,
			how);
		srv_children_remove(&L->kids, pid);
	}
}

static void
signal_group(pid_t pid, int sig)
{
	if (pid > 1 && kill(-pid, sig) != 0) {
		kill(pid, sig);
	}
}

static void
begin_stop(struct listener *L, int sig)
{
	L->stopping = true;
	close(L->lfd);
	L->lfd = -1;
	srv_log("signal %d: no new connections; %zu session(s) get %d s to "
		"end",
		sig, L->kids.n, L->cfg.shutdown_grace_s);
	for (size_t i = 0; i < L->kids.n; i++) {
		signal_group(L->kids.v[i].pid, SIGTERM);
	}
	L->kill_at = srv_now_ms() + (int64_t)L->cfg.shutdown_grace_s * 1000;
}

static void
kill_all(struct listener *L)
{
	if (L->kids.n > 0) {
		srv_log("killing %zu session(s) still running", L->kids.n);
	}
	for (size_t i = 0; i < L->kids.n; i++) {
		signal_group(L->kids.v[i].pid, SIGKILL);
		signal_group(L->kids.v[i].ui_pid, SIGKILL);
	}
	L->killed = true;
	L->give_up_at = srv_now_ms() + 5000;
}

static void
on_signals(struct listener *L)
{
	unsigned char buf[64];
	ssize_t n;

	while ((n = read(L->sig_r, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != SIGTERM && buf[i] != SIGINT &&
			    buf[i] != SIGHUP) {
				continue;
			}
			if (!L->stopping) {
				begin_stop(L, buf[i]);
			} else if (!L->killed) {
				/* asked twice: do not wait any longer */
				kill_all(L);
			}
		}
	}
	reap(L);
}

/* After the last session: wait (briefly) for orphaned UIs we adopted. */
static void
reap_orphans(void)
{
	int64_t until = srv_now_ms() + 1000;

	while (srv_now_ms() < until) {
		int st;
		pid_t pid = waitpid(-1, &st, WNOHANG);

		if (pid < 0) {
			return; /* ECHILD: none left */
		}
		if (pid == 0) {
			poll(NULL, 0, 20);
		}
	}
}

static int
serve(struct listener *L)
{
	for (;;) {
		struct pollfd p[3];
		nfds_t n = 0;
		int timeout = -1;
		int64_t now = srv_now_ms();
		bool paused = now < L->accept_pause_until;

		if (L->stopping) {
			if (L->kids.n == 0) {
				return 0;
			}
			if (!L->killed && now >= L->kill_at) {
				kill_all(L);
			}
			if (L->killed && now >= L->give_up_at) {
				srv_log("%zu session(s) did not end; giving up",
					L->kids.n);
				return 0;
			}
			timeout = (int)((L->killed ? L->give_up_at
						   : L->kill_at) -
					now);
		} else if (paused) {
			timeout = (int)(L->accept_pause_until - now);
		}
		{
			int64_t next = L->next_flush < L->next_summary
					       ? L->next_flush
					       : L->next_summary;
			int t = next > now ? (int)(next - now) : 0;

			if (timeout < 0 || t < timeout) {
				timeout = t;
			}
		}
		p[n++] = (struct pollfd){L->sig_r, POLLIN, 0};
		p[n++] = (struct pollfd){L->st_r, POLLIN, 0};
		if (!L->stopping && !paused) {
			p[n++] = (struct pollfd){L->lfd, POLLIN, 0};
		}
		if (poll(p, n, timeout) < 0 && errno != EINTR) {
			srv_log("poll: %s", strerror(errno));
			return -1;
		}
		/* status first: an "authenticated" must not be lost to an
		 * accept that would have been admitted with it */
		read_status(L);
		on_signals(L);
		on_timers(L, srv_now_ms());
		if (!L->stopping && n == 3 && (p[2].revents & POLLIN)) {
			accept_all(L);
		}
	}
}

int
srv_run(const struct srv_config *cfg_in, char *err, size_t errlen)
{
	struct listener L;
	char addr[64];
	int port = 0, r = -1, dumpable = 1;
	const char *home = getenv("HOME");

	memset(&L, 0, sizeof(L));
	L.cfg = *cfg_in;
	L.lfd = L.sig_r = L.sig_w = L.st_r = L.st_w = -1;
	L.gate.id = -1;
	L.usercap.fd = -1;
	fix_config(&L.cfg);
	srv_children_init(&L.kids);
	srv_failures_init(&L.fails, wall_ms());
	snprintf(L.home, sizeof(L.home), "%s",
		 home != NULL && *home == '/' ? home : "/");
	if (L.cfg.exe == NULL || L.cfg.data_dir == NULL ||
	    L.cfg.auth_password == NULL) {
		snprintf(err, errlen,
			 "server configuration lacks exe, data_dir or "
			 "auth_password");
		return -1;
	}
	if (ssh_init() != SSH_OK) {
		snprintf(err, errlen, "cannot initialise libssh");
		return -1;
	}
	srv_log_libssh();
	srv_log("libssh %s", ssh_version(0));
	if (make_bind(&L, err, errlen) != 0 ||
	    make_socket(&L, addr, sizeof(addr), &port, err, errlen) != 0 ||
	    make_pipes(&L, err, errlen) != 0) {
		goto out;
	}
	/* shared with every session process, so made before any fork */
	L.penalty = srv_penalty_new(&L.cfg.penalty);
	if (L.penalty == NULL) {
		snprintf(err, errlen, "cannot map the penalty table: %s",
			 strerror(errno));
		goto out;
	}
	if (srv_gate_open(&L.gate, L.cfg.password_checks) != 0) {
		snprintf(err, errlen,
			 "cannot make the password-check gate (a System V "
			 "semaphore set): %s",
			 strerror(errno));
		goto out;
	}
	if (srv_usercap_open(&L.usercap, L.cfg.per_user_max) != 0) {
		snprintf(err, errlen, "cannot make the per-user slots: %s",
			 strerror(errno));
		goto out;
	}
	L.next_flush = srv_now_ms() + 10000;
	L.next_summary =
		srv_now_ms() + (int64_t)L.cfg.failure_summary_s * 1000;
	install_signals(&L);
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	/* the host key is in our memory now: no core dump, no ptrace by
	 * other processes of our uid (restored when we return) */
	dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	srv_log("listening on %s port %d (max_startups=%d:%d:%d "
		"per_source_max=%d max_sessions=%d per_user_max=%d "
		"password_checks=%d)",
		addr, port, L.cfg.startups_begin, L.cfg.startups_rate,
		L.cfg.max_startups, L.cfg.per_source_max, L.cfg.max_sessions,
		L.cfg.per_user_max, L.cfg.password_checks);
	if (L.cfg.on_listening != NULL) {
		L.cfg.on_listening(L.cfg.ctx, addr, port);
	}
	r = serve(&L);
	if (r != 0) {
		snprintf(err, errlen, "the listener failed; see the log");
		kill_all(&L);
		while (L.kids.n > 0 && srv_now_ms() < L.give_up_at) {
			reap(&L);
			poll(NULL, 0, 20);
		}
	}
	/* the sessions are gone, their failures reported: the last
	 * period's summary */
	srv_failures_flush(&L.fails, srv_now_ms(), true);
	write_summary(&L, true);
	reap_orphans();
	prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
	prctl(PR_SET_DUMPABLE, dumpable > 0 ? dumpable : 0, 0, 0, 0);
	restore_signals(&L);
	srv_log("stopped");
out:
	if (L.lfd >= 0) {
		close(L.lfd);
	}
	{
		int fds[] = {L.sig_r, L.sig_w, L.st_r, L.st_w};

		for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
			if (fds[i] >= 0) {
				close(fds[i]);
			}
		}
	}
	srv_children_release(&L.kids);
	srv_failures_release(&L.fails);
	srv_gate_close(&L.gate);
	srv_usercap_close(&L.usercap);
	srv_penalty_free(L.penalty);
	ssh_bind_free(L.bind);
	ssh_finalize();
	return r;
}
