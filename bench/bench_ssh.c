/*
 * bench_ssh: nomdesk's SSH server against OpenSSH's sshd serving the same
 * UI (`nomdesk tui` as an authorized_keys forced command), in one process
 * tree, with the real OpenSSH client on a pty for both.
 *
 * Figures: time from starting `ssh` to the clerk's name on the home screen
 * (login + first screen), one keystroke to the next screen, server CPU per
 * login (listener's utime+stime+cutime+cstime, children reaped by it), and
 * PSS per open session (sum of Pss over the server's process tree).
 *
 * Caveat printed with the figures: nomdesk logs in by password, which
 * costs one Argon2id verification (64 MiB, by design: a stolen database
 * must be slow to guess); sshd logs in by public key.  The KEX is pinned
 * to curve25519-sha256 on the client so both sides do the same exchange.
 *
 * Usage: bench_ssh NOMDESK_BIN [N]
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "tests/lib/sshclient.h"

static char tmpdir[256];

/* The harness keeps its files in the test's directory; ours is here. */
const char *test_tmpdir(void);
const char *
test_tmpdir(void)
{
	return tmpdir;
}

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_d);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static long long
cpu_ticks(pid_t pid)
{
	char path[64], buf[2048], *p;
	unsigned long long ut, st;
	long long cut, cst;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (!(f = fopen(path, "r")))
		return -1;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2,
			 "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu "
			 "%lld %lld",
			 &ut, &st, &cut, &cst) != 4)
		return -1;
	return (long long)(ut + st) + cut + cst;
}

static long
pss_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = 0, v;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	if (!(f = fopen(path, "r")))
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Pss: %ld kB", &v) == 1)
			kib += v;
	fclose(f);
	return kib;
}

static long
tree_pss(pid_t root)
{
	pid_t pids[4096];
	size_t n = sshclient_descendants(root, pids, 4096);
	long sum = pss_kib(root);

	for (size_t i = 0; i < n; i++)
		if (pids[i] != root)
			sum += pss_kib(pids[i]);
	return sum;
}

static int
free_port(void)
{
	struct sockaddr_in a = {0};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static int
run(const char *cmd)
{
	int r = system(cmd);

	return r == 0 ? 0 : -1;
}

struct target {
	const char *label;
	int port;
	pid_t pid; /* the listener */
	const char *login, *password;
	const char *const *extra;
};

static void
measure(const struct target *t, int n, const char *marker)
{
	double first[256], key[256];
	long long t0 = cpu_ticks(t->pid), t1;
	int ok = 0;
	long hz = sysconf(_SC_CLK_TCK);

	for (int i = 0; i < n; i++) {
		struct sshclient_opts o = {0};
		struct sshclient *c;
		int64_t s;
		double k0;

		o.login = t->login;
		o.password = t->password;
		o.cols = 80;
		o.rows = 24;
		o.extra = t->extra;
		s = sshclient_now_ms();
		c = sshclient_start_opts(t->port, &o);
		if (!c || !sshclient_wait_text(c, marker, 15000)) {
			fprintf(stderr, "%s: login %d failed\n", t->label, i);
			if (c)
				sshclient_close(c);
			continue;
		}
		first[ok] = (double)(sshclient_now_ms() - s);
		k0 = now_us();
		sshclient_type(c, "l");
		if (!sshclient_wait_text(c, "暂无被推荐人", 5000)) {
			sshclient_close(c);
			continue;
		}
		key[ok] = (now_us() - k0) / 1000.0;
		ok++;
		sshclient_type(c, "q");
		sshclient_type(c, "q");
		sshclient_wait_exit(c, 5000);
		sshclient_close(c);
	}
	/* let the server reap the last sessions before reading its CPU */
	usleep(300000);
	t1 = cpu_ticks(t->pid);
	if (ok == 0) {
		printf("%-10s no successful logins\n", t->label);
		return;
	}
	printf("%-10s logins %2d  first screen %6.1f ms  keystroke->screen "
	       "%5.2f ms  server CPU/login %6.1f ms\n",
	       t->label, ok, median(first, ok), median(key, ok),
	       (double)(t1 - t0) * 1000.0 / (double)hz / ok);
}

static void
memory(const struct target *t, int n, const char *marker)
{
	struct sshclient *cs[64];
	long base = tree_pss(t->pid), all;
	int up = 0;

	for (int i = 0; i < n && i < 64; i++) {
		struct sshclient_opts o = {0};

		o.login = t->login;
		o.password = t->password;
		o.extra = t->extra;
		cs[up] = sshclient_start_opts(t->port, &o);
		if (cs[up] && sshclient_wait_text(cs[up], marker, 15000))
			up++;
		else if (cs[up])
			sshclient_close(cs[up]);
	}
	all = tree_pss(t->pid);
	printf("%-10s %d sessions open: %ld KiB PSS per session (tree %ld "
	       "KiB, idle listener %ld KiB)\n",
	       t->label, up, up ? (all - base) / up : 0, all, base);
	for (int i = 0; i < up; i++)
		sshclient_close(cs[i]);
}

int
main(int argc, char **argv)
{
	static const char *nd_extra[] = {"-o", "KexAlgorithms=curve25519-sha256",
					 NULL};
	char data[300], cmd[4096], key[320], conf[320], localedir[300];
	const char *bin = argc > 1 ? argv[1] : NULL;
	int n = argc > 2 ? atoi(argv[2]) : 20;
	struct sshclient_account acc[32];
	struct sshclient_server srv, sshd;
	struct sshclient_cmd res;
	const struct sshclient_account *clerk;
	const char *init[] = {"--data", data, "init", "--demo", NULL};
	size_t n_acc;
	int sport;
	FILE *f;

	if (!bin || access("/usr/sbin/sshd", X_OK) != 0) {
		fprintf(stderr, "usage: bench_ssh NOMDESK_BIN [N] (needs "
				"/usr/sbin/sshd: apt-get install "
				"openssh-server)\n");
		return 2;
	}
	setenv("NOMDESK_BIN", bin, 1);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/nomdesk-bench.XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	snprintf(data, sizeof(data), "%s/data", tmpdir);
	if (sshclient_cli(&res, 60000, init) != 0) {
		fprintf(stderr, "init failed: %s\n", res.err ? res.err : "");
		return 1;
	}
	n_acc = sshclient_parse_accounts(res.out, acc, 32);
	sshclient_cmd_release(&res);
	clerk = NULL;
	for (size_t i = 0; i < n_acc; i++)
		if (strcmp(acc[i].login, "pc_clerk") == 0)
			clerk = &acc[i];
	/* twenty sessions of one clerk at once (the default cap is 4) */
	{
		const char *sv[] = {bin,	   "--data",
				    data,	   "serve",
				    "--listen",	   "127.0.0.1:0",
				    "--max-sessions-per-user", "64",
				    NULL};

		if (!clerk || sshclient_serve_start_argv(&srv, sv, 20000) != 0) {
			fprintf(stderr, "nomdesk serve did not start\n");
			return 1;
		}
	}

	/* OpenSSH: a private sshd on a loopback port, forced command. */
	snprintf(key, sizeof(key), "%s/id_ed25519", tmpdir);
	snprintf(conf, sizeof(conf), "%s/sshd_config", tmpdir);
	snprintf(localedir, sizeof(localedir), "%s",
		 getenv("NOMDESK_LOCALEDIR") ? getenv("NOMDESK_LOCALEDIR")
					     : "");
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p /run/sshd && ssh-keygen -q -t ed25519 -N '' -f "
		 "%s/host && ssh-keygen -q -t ed25519 -N '' -f %s",
		 tmpdir, key);
	if (run(cmd) != 0)
		return 1;
	snprintf(cmd, sizeof(cmd),
		 "printf 'command=\"env NOMDESK_LOCALEDIR=%s %s --data %s tui "
		 "--as pc_clerk\",restrict,pty ' > %s/authorized_keys && cat "
		 "%s.pub >> %s/authorized_keys && chmod 600 "
		 "%s/authorized_keys",
		 localedir, bin, data, tmpdir, key, tmpdir, tmpdir);
	if (run(cmd) != 0)
		return 1;
	sport = free_port();
	if (!(f = fopen(conf, "w")))
		return 1;
	fprintf(f,
		"Port %d\nListenAddress 127.0.0.1\nHostKey %s/host\n"
		"AuthorizedKeysFile %s/authorized_keys\nStrictModes no\n"
		"UsePAM no\nPasswordAuthentication no\n"
		"KbdInteractiveAuthentication no\nPubkeyAuthentication yes\n"
		"PidFile %s/sshd.pid\nMaxStartups 200\nMaxSessions 10\n"
		"LogLevel ERROR\nPermitRootLogin prohibit-password\n",
		sport, tmpdir, tmpdir, tmpdir);
	fclose(f);
	{
		char line[64];
		const char *av[] = {"/bin/sh", "-c", cmd, NULL};

		/* sshd prints no readiness line: a wrapper prints one once
		 * the port accepts. */
		snprintf(cmd, sizeof(cmd),
			 "/usr/sbin/sshd -D -e -f %s & for i in $(seq 100); "
			 "do (exec 3<>/dev/tcp/127.0.0.1/%d) 2>/dev/null && "
			 "break; sleep 0.05; done; echo 'listening on "
			 "127.0.0.1:%d'; wait",
			 conf, sport, sport);
		(void)line;
		av[2] = cmd;
		if (sshclient_serve_start_argv(&sshd, av, 20000) != 0) {
			fprintf(stderr, "sshd did not start\n");
			return 1;
		}
	}
	{
		/* the wrapper shell is sshd's parent; measure sshd itself */
		pid_t pids[16];
		size_t k = sshclient_descendants(sshd.pid, pids, 16);

		for (size_t i = 0; i < k; i++)
			if (pids[i] != sshd.pid)
				sshd.pid = pids[i];
	}
	{
		const char *extra[] = {"-i", key, "-o", "IdentitiesOnly=yes",
				       "-o", "PreferredAuthentications=publickey",
				       "-o", "PubkeyAuthentication=yes", "-o",
				       "KexAlgorithms=curve25519-sha256", NULL};
		struct target nd = {"nomdesk", srv.port, srv.pid,
				    clerk->login, clerk->password, nd_extra};
		struct target os = {"openssh", sport, sshd.pid, "root", "",
				    extra};

		printf("# %d sequential logins each, client KEX "
		       "curve25519-sha256, 80x24, the same `nomdesk tui`\n",
		       n);
		printf("# nomdesk: password (Argon2id 64 MiB verify); "
		       "openssh: public key, forced command\n");
		measure(&nd, n, clerk->extra);
		measure(&os, n, clerk->extra);
		memory(&nd, 20, clerk->extra);
		memory(&os, 20, clerk->extra);
	}
	sshclient_serve_stop(&srv, SIGTERM, 15000);
	sshclient_serve_stop(&sshd, SIGTERM, 15000);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return run(cmd) == 0 ? 0 : 1;
}
