/*
 * The runner: each test runs in a forked child so a crash fails one test,
 * not the run; the child's failures come back through its exit status.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/lib/runner.h"

static int n_failures;
static const struct test_case *suites[64];
static size_t n_suites;
static char tmpdir[256];

void
test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stdout, "#   %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	n_failures++;
}

int
test_failures(void)
{
	return n_failures;
}

const char *
test_tmpdir(void)
{
	if (tmpdir[0] == '\0') {
		const char *base = getenv("TMPDIR");

		snprintf(tmpdir, sizeof(tmpdir), "%s/nomdesk-test.XXXXXX",
			 base && *base ? base : "/tmp");
		if (!mkdtemp(tmpdir)) {
			perror("mkdtemp");
			_exit(2);
		}
	}
	return tmpdir;
}

static void
rm_tmpdir(void)
{
	char cmd[300];

	if (tmpdir[0] == '\0' || getenv("NOMDESK_KEEP_TMP"))
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

static int
run_one(const struct test_case *t)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		n_failures = 0;
		t->fn();
		rm_tmpdir();
		fflush(stdout);
		exit(n_failures ? 1 : 0);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st)) {
		printf("#   killed by signal %d\n", WTERMSIG(st));
		return -1;
	}
	return WEXITSTATUS(st) == 0 ? 0 : -1;
}

void
test_register(const struct test_case *suite)
{
	if (n_suites < sizeof(suites) / sizeof(suites[0]))
		suites[n_suites++] = suite;
}

int
test_main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : getenv("TEST_FILTER");
	int passed = 0, failed = 0, n = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t s = 0; s < n_suites; s++) {
		for (const struct test_case *t = suites[s]; t->name; t++) {
			if (filter && *filter && !strstr(t->name, filter))
				continue;
			n++;
			if (run_one(t) == 0) {
				printf("ok %d - %s\n", n, t->name);
				passed++;
			} else {
				printf("not ok %d - %s\n", n, t->name);
				failed++;
			}
		}
	}
	printf("1..%d\n", n);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
