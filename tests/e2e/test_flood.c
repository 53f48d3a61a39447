/*
 * The real server (`nomdesk serve`, real Argon2id password checks) under
 * floods from many source addresses in 127.0.0.0/8, with a clerk logging
 * in through the stock OpenSSH client in the middle of it:
 *   - 9 addresses x 8 stalled handshakes;
 *   - 8 addresses x 8 password storms against unknown logins, with the
 *     memory of the whole server tree sampled (password checks are
 *     bounded, so memory is);
 *   - the time of a password check for an unknown login against a known
 *     one's.
 * The figures go to the test output ("# " lines) and docs/BENCHMARKS.md;
 * the tests assert that the clerk gets in, that memory stays under its
 * bound, that failures add nothing to the record, and (with retries
 * against noise) that the two kinds of login take the same time.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/lib/desk.h"
#include "tests/lib/runner.h"
#include "tests/lib/sshpw.h"
#include "tests/lib/net.h"

#define CHECKS "2" /* --password-checks */

/* Logs in as pc_clerk with the stock client; milliseconds to the first
 * screen, or -1. */
static int64_t
clerk_login(struct desk *d)
{
	const struct sshclient_account *a = desk_account(d, "pc_clerk");
	int64_t t0 = sshclient_now_ms();
	struct sshclient *c = sshclient_start(d->srv.port, a->login,
					      a->password, 80, 24);
	int64_t took = -1;

	if (c != NULL && sshclient_wait_text(c, a->extra, 30000)) {
		took = sshclient_now_ms() - t0;
	}
	if (c != NULL) {
		desk_hang_up(d, c);
	}
	return took;
}

static void
test_flood__stalled_handshakes(void)
{
	static const char *const args[] = {"--password-checks", CHECKS, NULL};
	struct desk d;
	int fds[9 * 8];
	int n = 0, banners = 0;
	int64_t took;

	desk_start_with(&d, args);
	for (int s = 0; s < 9; s++) {
		char src[32];

		snprintf(src, sizeof(src), "127.0.0.%d", s + 2);
		for (int i = 0; i < 8; i++) {
			int fd = net_connect(src, d.srv.port);

			if (fd >= 0) {
				fds[n++] = fd;
				if (write(fd, "SSH-2.0-stall\r\n", 15) != 15) {
					/* counted as not stalled below */
				}
			}
		}
	}
	for (int i = 0; i < n; i++) {
		banners += net_banner(fds[i], 5000) == 1;
	}
	printf("# %d stalled handshakes hold a process each\n", banners);
	CHECK_INT(banners, 72);
	took = clerk_login(&d);
	printf("# a clerk's login during the stall: %lld ms\n",
	       (long long)took);
	CHECK(took > 0);
	for (int i = 0; i < n; i++) {
		close(fds[i]);
	}
	desk_stop(&d);
}

/* A worker of the storm: unknown logins, six wrong passwords each, from
 * src, until killed. */
static void __attribute__((noreturn))
storm_worker(int port, const char *src, int id)
{
	static const char *const pw[] = {"a1", "b2", "c3", "d4", "e5", "f6"};
	struct sshpw r;

	for (int i = 0;; i++) {
		char login[32];

		snprintf(login, sizeof(login), "guess%d_%d", id, i);
		sshpw_try(port, src, login, pw, 6, &r);
	}
}

static void
test_flood__password_storm(void)
{
	static const char *const args[] = {"--password-checks", CHECKS, NULL};
	struct desk d;
	pid_t workers[64];
	long before, pss_max = 0, bound;
	long long entries0, entries1;
	int64_t t_end, took;
	int n = 0;

	desk_start_with(&d, args);
	entries0 = desk_db_count(&d, "SELECT count(*) FROM log_entry");
	before = net_tree_pss_kib(d.srv.pid);
	for (int s = 0; s < 8; s++) {
		for (int i = 0; i < 8; i++) {
			char src[32];
			pid_t pid;

			snprintf(src, sizeof(src), "127.0.1.%d", s + 2);
			pid = fork();
			if (pid == 0) {
				storm_worker(d.srv.port, src, s * 8 + i);
			}
			if (pid > 0) {
				workers[n++] = pid;
			}
		}
	}
	/* let it rage, sampling memory */
	t_end = sshclient_now_ms() + 1500;
	while (sshclient_now_ms() < t_end) {
		long p = net_tree_pss_kib(d.srv.pid);

		pss_max = p > pss_max ? p : pss_max;
		poll(NULL, 0, 50);
	}
	took = clerk_login(&d);
	t_end = sshclient_now_ms() + 1500;
	while (sshclient_now_ms() < t_end) {
		long p = net_tree_pss_kib(d.srv.pid);

		pss_max = p > pss_max ? p : pss_max;
		poll(NULL, 0, 50);
	}
	for (int i = 0; i < n; i++) {
		kill(workers[i], SIGKILL);
	}
	for (int i = 0; i < n; i++) {
		waitpid(workers[i], NULL, 0);
	}
	printf("# a clerk's login during a storm of %d workers from 8 "
	       "addresses: %lld ms\n",
	       n, (long long)took);
	if (took > 2000 || took < 0) {
		char *log = sshclient_serve_log(&d.srv), *l, *save = NULL;

		for (l = strtok_r(log, "\n", &save); l != NULL;
		     l = strtok_r(NULL, "\n", &save)) {
			if (strstr(l, "127.0.0.1") != NULL) {
				printf("# %s\n", l);
			}
		}
		free(log);
	}
	bound = before + atol(CHECKS) * 64 * 1024 + 200 * 1024;
	printf("# server tree PSS: %ld KiB before, %ld KiB at most during "
	       "the storm (bound %ld KiB)\n",
	       before, pss_max, bound);
	CHECK(took > 0);
	CHECK(pss_max < bound);
	desk_stop(&d);
	/* the storm added no entry; the clerk's session two, the summary
	 * written at shutdown one */
	entries1 = desk_db_count(&d, "SELECT count(*) FROM log_entry");
	printf("# log entries: %lld before, %lld after (one session and one "
	       "failure summary)\n",
	       entries0, entries1);
	CHECK_INT(entries1 - entries0, 3);
	CHECK_INT(desk_db_count(&d, "SELECT count(*) FROM log_entry WHERE "
				    "subject = 'server'"),
		  1);
	CHECK_INT(desk_db_count(&d, "SELECT count(*) FROM log_entry WHERE "
				    "subject LIKE '%guess%'"),
		  0);
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Over SSH, the median time of a refused password for an unknown login
 * is within 15% of a known login's.  Penalties are off (--penalty-max 0)
 * and each attempt comes from its own address, so only the check is
 * timed; three rounds at most, against noise.
 */
static void
test_flood__unknown_login_takes_as_long(void)
{
	static const char *const args[] = {"--penalty-max", "0", NULL};
	static const char *const pw[] = {"wrong-password"};
	struct desk d;
	double ratio = 0;

	desk_start_with(&d, args);
	for (int round = 0; round < 3; round++) {
		int64_t known[7], unknown[7];

		for (int i = 0; i < 7; i++) {
			char src[32];
			struct sshpw r;

			snprintf(src, sizeof(src), "127.0.2.%d",
				 round * 20 + i * 2 + 2);
			sshpw_try(d.srv.port, src, "pc_clerk", pw, 1, &r);
			known[i] = r.auth_us[0];
			snprintf(src, sizeof(src), "127.0.2.%d",
				 round * 20 + i * 2 + 3);
			sshpw_try(d.srv.port, src, "zz_nobody", pw, 1, &r);
			unknown[i] = r.auth_us[0];
		}
		qsort(known, 7, sizeof(known[0]), cmp64);
		qsort(unknown, 7, sizeof(unknown[0]), cmp64);
		ratio = (double)unknown[3] / (double)known[3];
		printf("# round %d: median refusal %lld us for a known login, "
		       "%lld us for an unknown one (ratio %.3f)\n",
		       round, (long long)known[3], (long long)unknown[3],
		       ratio);
		if (ratio > 0.85 && ratio < 1.15) {
			break;
		}
	}
	CHECK(ratio > 0.85 && ratio < 1.15);
	desk_stop(&d);
}

static const struct test_case tests_flood[] = {
	{"e2e__flood_stalled_handshakes", test_flood__stalled_handshakes},
	{"e2e__flood_password_storm", test_flood__password_storm},
	{"e2e__flood_unknown_login_takes_as_long",
	 test_flood__unknown_login_takes_as_long},
	{NULL, NULL},
};

TEST_REGISTER(tests_flood)
