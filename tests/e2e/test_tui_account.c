/*
 * A session and the account behind it, over real SSH: disabled by an
 * administrator, a session is refused its next act (nothing written, not
 * even a draft) and ends with the reason on screen; one that only reads
 * notices within the re-check interval.  And the UI process keeps its
 * secrets: not dumpable, and no log key in its memory between acts.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/lib/desk.h"
#include "tests/lib/runner.h"
#include "tests/lib/vt.h"

static void
disable(struct desk *d, const char *login)
{
	struct sshclient_cmd res;
	const char *args[] = {"user",	 "disable", login, "--reason",
			      "调离岗位", NULL};

	CHECK_INT(desk_cli(d, &res, args), 0);
	sshclient_cmd_release(&res);
}

/* The form is open when the account is disabled: the save is refused,
 * the session ends and says why, nothing is written. */
static void
test_tui_account__disabled_mid_form(void)
{
	struct desk d;
	struct sshclient *c;
	long long entries;

	desk_start(&d);
	c = desk_login(&d, "pc_clerk", NULL);
	sshclient_type(c, "a");
	desk_see(c, "姓名");
	sshclient_type(c, "账号测");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "男");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "1975-03-02");
	sshclient_key(c, SSHCLIENT_ENTER);
	disable(&d, "pc_clerk");
	entries = desk_db_count(&d, "SELECT count(*) FROM log_entry");
	sshclient_type(c, "主任医师");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "请重新登录");
	CHECK(sshclient_wait_exit(c, 10000) >= 0);
	desk_hang_up(&d, c);
	/* nothing but the logout: no nominee, no draft */
	CHECK_INT(desk_db_count(&d, "SELECT count(*) FROM nominee WHERE "
				    "name = '账号测'"),
		  0);
	CHECK_INT(desk_db_count(&d, "SELECT count(*) FROM draft"), 0);
	CHECK_INT(desk_db_count(&d, "SELECT count(*) FROM log_entry"),
		  entries + 1);
	/* and no new session */
	{
		const struct sshclient_account *a = desk_account(&d, "pc_clerk");

		c = sshclient_start(d.srv.port, a->login, a->password, 80, 24);
		CHECK_INT(sshclient_wait_exit(c, 15000), 255);
		CHECK(!vt_contains(sshclient_vt(c), a->extra));
		sshclient_close(c);
	}
	desk_stop(&d);
}

/* A session that only reads notices within the re-check interval (1 s
 * here, a minute by default). */
static void
test_tui_account__noticed_while_idle(void)
{
	struct desk d;
	struct sshclient *c;

	setenv("NOMDESK_ACCOUNT_CHECK_S", "1", 1);
	desk_start(&d);
	c = desk_login(&d, "pc_clerk", NULL);
	sshclient_type(c, "l");
	disable(&d, "pc_clerk");
	desk_see(c, "请重新登录");
	CHECK(sshclient_wait_exit(c, 10000) >= 0);
	desk_hang_up(&d, c);
	CHECK(sshclient_serve_wait_log(&d.srv, "user=pc_clerk end (ui exit",
				       5000));
	desk_stop(&d);
	unsetenv("NOMDESK_ACCOUNT_CHECK_S");
}

/* The pid of the UI the server started last ("start ui=PID"). */
static pid_t
ui_pid(struct desk *d)
{
	char *log = sshclient_serve_log(&d->srv), *p = log, *last = NULL;
	pid_t pid = 0;

	while (p && (p = strstr(p, "start ui=")) != NULL) {
		last = p;
		p++;
	}
	if (last != NULL) {
		pid = (pid_t)atol(last + strlen("start ui="));
	}
	free(log);
	return pid;
}

/* Whether needle occurs in the readable memory of pid. */
static int
memory_has(pid_t pid, const unsigned char *needle, size_t n)
{
	char path[64], line[512];
	FILE *maps;
	int fd, found = 0;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	maps = fopen(path, "r");
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDONLY);
	if (maps == NULL || fd < 0) {
		if (maps) {
			fclose(maps);
		}
		if (fd >= 0) {
			close(fd);
		}
		return -1;
	}
	while (!found && fgets(line, sizeof(line), maps) != NULL) {
		unsigned long lo, hi;
		char perm[8];
		unsigned char *buf;

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perm) != 3 ||
		    perm[0] != 'r' || hi - lo > (256UL << 20) ||
		    strstr(line, "[vvar]") != NULL) {
			continue;
		}
		buf = malloc(hi - lo);
		if (buf != NULL &&
		    pread(fd, buf, hi - lo, (off_t)lo) == (ssize_t)(hi - lo)) {
			for (size_t i = 0; i + n <= hi - lo && !found; i++) {
				found = memcmp(buf + i, needle, n) == 0;
			}
		}
		free(buf);
	}
	fclose(maps);
	close(fd);
	return found;
}

/*
 * After an act, the UI holds the log key's public half, not its seed
 * (read back for the commit, wiped after it).
 */
static void
test_tui_account__no_log_key_between_acts(void)
{
	unsigned char file[82];
	char path[700];
	struct desk d;
	struct sshclient *c;
	pid_t pid;
	int fd;

	desk_start(&d);
	snprintf(path, sizeof(path), "%s/keys/log.key", d.data);
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0 && read(fd, file, sizeof(file)) == (ssize_t)sizeof(file));
	if (fd >= 0) {
		close(fd);
	}
	c = desk_login(&d, "pc_clerk", NULL);
	sshclient_type(c, "a");
	desk_see(c, "姓名");
	sshclient_type(c, "密钥测");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "女");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "1976-04-05");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "主任医师");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "已保存");
	pid = ui_pid(&d);
	CHECK(pid > 1);
	/* the scan works: the public key (bytes 50..81) is there */
	CHECK_INT(memory_has(pid, file + 50, 32), 1);
	/* the seed (bytes 18..49) is not */
	CHECK_INT(memory_has(pid, file + 18, 32), 0);
	desk_hang_up(&d, c);
	desk_stop(&d);
}

/*
 * Every nomdesk process is made non-dumpable before it touches a key:
 * then the kernel gives its /proc files to root, so another process of
 * the same user cannot read its memory.  Seen from a command blocked on
 * its password prompt, run as an unprivileged user.
 */
static void
test_tui_account__processes_not_dumpable(void)
{
	const char *bin = sshclient_nomdesk_bin();
	int p[2];
	pid_t pid;
	uid_t as = getuid() == 0 ? 65534 : getuid();
	struct stat st;
	char path[64];
	int64_t deadline = sshclient_now_ms() + 10000;
	bool seen = false;

	CHECK(bin != NULL && pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		dup2(p[0], 0);
		close(p[1]);
		if (getuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) {
			_exit(126);
		}
		execl(bin, bin, "--data", "/nonexistent", "user", "add", "x",
		      "--name", "x", "--role", "admin", "--unit", "u",
		      "--password-stdin", (char *)NULL);
		_exit(127);
	}
	close(p[0]);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	/* wait until it runs as the user and reads its prompt */
	while (!seen && sshclient_now_ms() < deadline) {
		char buf[4096];
		FILE *f = fopen(path, "r");
		size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

		if (f) {
			fclose(f);
		}
		buf[n] = '\0';
		seen = strstr(buf, "State:\tS") != NULL &&
		       strstr(buf, "nomdesk") != NULL;
		if (!seen) {
			poll(NULL, 0, 20);
		}
	}
	CHECK(seen);
	CHECK(stat(path, &st) == 0);
	/* dumpable, the file would belong to the process's user */
	CHECK_INT(st.st_uid, 0);
	CHECK(as != 0);
	close(p[1]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static const struct test_case tests_tui_account[] = {
	{"e2e__tui_account_disabled_mid_form",
	 test_tui_account__disabled_mid_form},
	{"e2e__tui_account_noticed_while_idle",
	 test_tui_account__noticed_while_idle},
	{"e2e__tui_account_no_log_key_between_acts",
	 test_tui_account__no_log_key_between_acts},
	{"e2e__tui_account_processes_not_dumpable",
	 test_tui_account__processes_not_dumpable},
	{NULL, NULL},
};

TEST_REGISTER(tests_tui_account)
