/*
 * `nomdesk init` and the files of a data directory (issue 8 item 10):
 * every directory 0700 and every file 0600 under the usual umask 022,
 * from the moment it exists: while init runs (the -wal and -shm files are
 * there then), after a write by a later open (which makes new ones), when
 * init fails halfway (here: the file size limit runs out while it
 * migrates), and for a database an older nomdesk left 0644.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/core.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"

/* 2020-11-02 10:00 +08:00, inside the demo round */
static int64_t
test_clock(void *ctx)
{
	(void)ctx;
	return 1604282400000LL;
}

/*
 * Walks dir; every directory must be 0700 and every other entry 0600 or
 * narrower.  Fails the test at line for each that is not; returns the
 * number of regular files seen.
 */
static int
check_private(const char *dir, int line)
{
	char p[1024];
	struct dirent *e;
	struct stat sb;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d) {
		test_fail(__FILE__, line, "opendir %s: %s", dir,
			  strerror(errno));
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 ||
		    strcmp(e->d_name, "..") == 0) {
			continue;
		}
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (lstat(p, &sb) != 0) {
			continue; /* -wal/-shm can go away between the two */
		}
		if (S_ISDIR(sb.st_mode)) {
			if ((sb.st_mode & 0777) != 0700) {
				test_fail(__FILE__, line, "%s is %04o, want 0700",
					  p, (unsigned)(sb.st_mode & 0777));
			}
			n += check_private(p, line);
			continue;
		}
		n++;
		if ((sb.st_mode & 077) != 0) {
			test_fail(__FILE__, line, "%s is %04o, want 0600", p,
				  (unsigned)(sb.st_mode & 0777));
		}
	}
	closedir(d);
	return n;
}

static int
exists(const char *dir, const char *name)
{
	char p[1024];
	struct stat sb;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return lstat(p, &sb) == 0;
}

struct during {
	const char *dir;
	int calls;
	int saw_wal, saw_shm;
};

/* init's per-account callback: the connection is open, mid-init. */
static void
on_account(void *ctx, const char *login, const char *role, const char *unit,
	   const char *password, const char *name)
{
	struct during *d = ctx;

	(void)login, (void)role, (void)unit, (void)password, (void)name;
	if (d->calls++ > 0) {
		return;
	}
	d->saw_wal = exists(d->dir, "nomdesk.db-wal");
	d->saw_shm = exists(d->dir, "nomdesk.db-shm");
	check_private(d->dir, __LINE__);
}

static void
test_init__files_private_while_and_after(void)
{
	char dir[512], err[256];
	struct during d = {dir, 0, 0, 0};
	struct core_nominee_new n = {"李明", "男", "1975-03-02", "主任医师",
				     NULL};
	mode_t old = umask(022);
	struct core *c;
	int64_t id = 0;

	snprintf(dir, sizeof(dir), "%s/data", test_tmpdir());
	if (core_init_dir(dir, 1, on_account, &d, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		umask(old);
		return;
	}
	/* the callback looked while the -wal and -shm existed */
	CHECK(d.calls > 0);
	CHECK(d.saw_wal);
	CHECK(d.saw_shm);
	CHECK(check_private(dir, __LINE__) >= 2);

	/* a later open makes new -wal and -shm files: 0600 too */
	c = fixture_open_as(dir, "pc_clerk", test_clock);
	CHECK_INT(core_nominee_add(c, &n, &id, NULL), 0);
	CHECK(exists(dir, "nomdesk.db-wal"));
	CHECK(exists(dir, "nomdesk.db-shm"));
	check_private(dir, __LINE__);
	core_close(c);
	check_private(dir, __LINE__);
	umask(old);
}

/*
 * init in a child whose file size limit (64 KiB) runs out while the
 * schema is written: init fails, the files stay, and are private.
 */
static void
test_init__failed_init_leaves_private_files(void)
{
	char dir[512];
	int status = 0;
	pid_t pid;

	snprintf(dir, sizeof(dir), "%s/data", test_tmpdir());
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		test_fail(__FILE__, __LINE__, "fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		struct rlimit rl = {64 * 1024, 64 * 1024};
		char err[256];

		umask(022);
		signal(SIGXFSZ, SIG_IGN); /* write() fails with EFBIG */
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0) {
			_exit(2);
		}
		_exit(core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) ==
				      0
			      ? 0
			      : 3);
	}
	if (waitpid(pid, &status, 0) != pid) {
		test_fail(__FILE__, __LINE__, "waitpid: %s", strerror(errno));
		return;
	}
	/* 3: init failed (0 would mean the limit was too generous) */
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	CHECK(exists(dir, "nomdesk.db"));
	CHECK(exists(dir, "keys/log.key"));
	check_private(dir, __LINE__);
}

/* A database an older nomdesk left 0644, with a -wal of 0644 beside it
 * (a crash): the next open narrows both, and what it creates is 0600. */
static void
test_init__open_narrows_loose_files(void)
{
	char dir[512], err[256], p[600];
	struct core_nominee_new n = {"李明", "男", "1975-03-02", "主任医师",
				     NULL};
	mode_t old = umask(022);
	struct core *c;
	int64_t id = 0;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/data", test_tmpdir());
	if (core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		umask(old);
		return;
	}
	snprintf(p, sizeof(p), "%s/nomdesk.db", dir);
	CHECK_INT(chmod(p, 0644), 0);
	snprintf(p, sizeof(p), "%s/nomdesk.db-wal", dir);
	CHECK((f = fopen(p, "w")) != NULL); /* empty: SQLite ignores it */
	if (f) {
		fclose(f);
	}
	CHECK_INT(chmod(p, 0644), 0);
	c = fixture_open_as(dir, "pc_clerk", test_clock);
	CHECK_INT(core_nominee_add(c, &n, &id, NULL), 0);
	check_private(dir, __LINE__);
	core_close(c);
	check_private(dir, __LINE__);
	umask(old);
}

static const struct test_case tests_init[] = {
	{"init__files_private_while_and_after",
	 test_init__files_private_while_and_after},
	{"init__failed_init_leaves_private_files",
	 test_init__failed_init_leaves_private_files},
	{"init__open_narrows_loose_files", test_init__open_narrows_loose_files},
	{NULL, NULL},
};
TEST_REGISTER(tests_init)
