/*
 * A small test runner: tables of {name, fn}, TAP-style lines, and a last
 * line "N passed, N failed".  No mocks: tests use real SQLite files in a
 * temporary directory, real libsodium and real sockets.
 */
#ifndef NOMDESK_RUNNER_H
#define NOMDESK_RUNNER_H

#include <stdio.h>

struct test_case {
	const char *name;
	void (*fn)(void);
};

/* Registers a NULL-terminated table at load time, so a test file only
 * has to exist to run:  TEST_REGISTER(tests_core) after the table. */
void test_register(const struct test_case *suite);
#define TEST_REGISTER(sym)                                                \
	static void reg_##sym(void) __attribute__((constructor));         \
	static void reg_##sym(void) { test_register(sym); }

/* Records a failed expectation; the test goes on. */
void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define CHECK(cond)                                                       \
	do {                                                              \
		if (!(cond))                                              \
			test_fail(__FILE__, __LINE__, "%s", #cond);       \
	} while (0)
#define CHECK_INT(a, b)                                                   \
	do {                                                              \
		long long a_ = (long long)(a), b_ = (long long)(b);       \
		if (a_ != b_)                                             \
			test_fail(__FILE__, __LINE__, "%s == %lld, want %lld", \
				  #a, a_, b_);                            \
	} while (0)
#define CHECK_STR(a, b)                                                   \
	do {                                                              \
		const char *a_ = (a), *b_ = (b);                          \
		if (!a_ || !b_ || strcmp(a_, b_) != 0)                    \
			test_fail(__FILE__, __LINE__, "%s == \"%s\", want \"%s\"", \
				  #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
	} while (0)

/* Failures test_fail() recorded in this process so far. */
int test_failures(void);

/* A fresh private directory for this test (removed at exit).  Borrowed. */
const char *test_tmpdir(void);

/* Runs the registered suites; argv[1] (or TEST_FILTER) selects tests by
 * substring.  Returns the process exit status. */
int test_main(int argc, char **argv);

#endif
