/*
 * desk: shared steps of the end-to-end tests (see desk.h).
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/lib/desk.h"
#include "tests/lib/runner.h"

void
desk_start(struct desk *d)
{
	desk_start_with(d, NULL);
}

void
desk_start_with(struct desk *d, const char *const *serve_args)
{
	struct sshclient_cmd res;
	const char *args[] = {"--data", d->data, "init", "--demo", NULL};
	const char *argv[32] = {sshclient_nomdesk_bin(), "--data", d->data,
				"serve", "--listen", "127.0.0.1:0"};
	size_t n = 6;

	memset(d, 0, sizeof(*d));
	snprintf(d->data, sizeof(d->data), "%s/data", test_tmpdir());
	if (sshclient_cli(&res, 60000, args) != 0) {
		test_fail(__FILE__, __LINE__, "init --demo: %s",
			  res.err ? res.err : "");
		exit(1);
	}
	d->n_acc = sshclient_parse_accounts(res.out, d->acc, 32);
	sshclient_cmd_release(&res);
	while (serve_args != NULL && *serve_args != NULL && n < 31) {
		argv[n++] = *serve_args++;
	}
	argv[n] = NULL;
	if (d->n_acc < 8 || argv[0] == NULL ||
	    sshclient_serve_start_argv(&d->srv, argv, 20000)) {
		test_fail(__FILE__, __LINE__, "serve did not start");
		exit(1);
	}
}

void
desk_stop(struct desk *d)
{
	sshclient_serve_stop(&d->srv, SIGTERM, 15000);
}

const struct sshclient_account *
desk_account(struct desk *d, const char *login)
{
	for (size_t i = 0; i < d->n_acc; i++) {
		if (strcmp(d->acc[i].login, login) == 0) {
			return &d->acc[i];
		}
	}
	test_fail(__FILE__, __LINE__, "no demo account %s", login);
	exit(1);
}

static void
dump_at(struct sshclient *c, const char *why, const char *file, int line)
{
	char buf[8192] = "";

	sshclient_screen_dump(c, buf, sizeof(buf));
	test_fail(file, line, "%s; the screen:\n%s", why, buf);
}

bool
desk_see_at(struct sshclient *c, const char *text, const char *file,
	    int line)
{
	char why[256];

	if (sshclient_wait_text(c, text, DESK_T_SCREEN)) {
		return true;
	}
	snprintf(why, sizeof(why), "no \"%s\" on screen", text);
	dump_at(c, why, file, line);
	return false;
}

struct sshclient *
desk_login(struct desk *d, const char *login, const char *text)
{
	return desk_login_size(d, login, text, 80, 24);
}

struct sshclient *
desk_login_size(struct desk *d, const char *login, const char *text,
		int cols, int rows)
{
	const struct sshclient_account *a = desk_account(d, login);
	struct sshclient *c = sshclient_start(d->srv.port, a->login,
					      a->password, cols, rows);

	if (!c || !sshclient_wait_text(c, text ? text : a->extra,
				       DESK_T_LOGIN)) {
		if (c) {
			dump_at(c, "no first screen", __FILE__, __LINE__);
		} else {
			test_fail(__FILE__, __LINE__, "no login as %s", login);
		}
		exit(1);
	}
	return c;
}

void
desk_hang_up(struct desk *d, struct sshclient *c)
{
	int64_t deadline = sshclient_now_ms() + DESK_T_SCREEN;
	int want = ++d->disconnects;

	sshclient_close(c);
	for (;;) {
		char *log = sshclient_serve_log(&d->srv), *p = log;
		int seen = 0;

		while (p && (p = strstr(p, "disconnect peer=")) != NULL) {
			seen++;
			p++;
		}
		free(log);
		if (seen >= want) {
			return;
		}
		if (sshclient_now_ms() >= deadline) {
			test_fail(__FILE__, __LINE__, "no disconnect #%d",
				  want);
			return;
		}
		poll(NULL, 0, 20);
	}
}

int
desk_cli(struct desk *d, struct sshclient_cmd *res, const char *const *args)
{
	const char *v[64];
	size_t n = 0;

	v[n++] = "--data";
	v[n++] = d->data;
	while (*args && n < 63) {
		v[n++] = *args++;
	}
	v[n] = NULL;
	return sshclient_cli(res, 60000, v);
}

static sqlite3 *
db_open(struct desk *d)
{
	char path[600];
	sqlite3 *db = NULL;

	snprintf(path, sizeof(path), "%s/nomdesk.db", d->data);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000);
	return db;
}

long long
desk_db_count(struct desk *d, const char *sql)
{
	sqlite3 *db = db_open(d);
	sqlite3_stmt *st = NULL;
	long long n = -1;

	if (db && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

void
desk_db_text(struct desk *d, const char *sql, char *out, size_t outsz)
{
	sqlite3 *db = db_open(d);
	sqlite3_stmt *st = NULL;

	out[0] = '\0';
	if (db && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		snprintf(out, outsz, "%s",
			 (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

void
desk_open_nominee(struct sshclient *c, const char *list_text, int id)
{
	char num[24];

	snprintf(num, sizeof(num), "%d", id);
	sshclient_type(c, "l");
	desk_see(c, list_text);
	sshclient_type(c, "g");
	desk_see(c, "被推荐人编号");
	sshclient_type(c, num);
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "工作单位");
}

void
desk_paper_pledge_enrolling(struct sshclient *c, const char *kept_at,
			    const char *passphrase)
{
	sshclient_type(c, "x");
	desk_see(c, "登记纸质承诺书");
	sshclient_type(c, "1");
	desk_see(c, "操作：登记纸质承诺书");
	/* no scan can come over a terminal: the clerk says where the
	 * signed paper form is kept, and answers for it */
	sshclient_type(c, kept_at);
	sshclient_type(c, "\x13"); /* Ctrl-S */
	/* no key yet: enrollment, passphrase twice */
	desk_see(c, "您还没有签名密钥");
	sshclient_type(c, passphrase);
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, passphrase);
	sshclient_key(c, SSHCLIENT_ENTER);
}

void
desk_tabs(struct sshclient *c, int n)
{
	while (n-- > 0) {
		sshclient_key(c, SSHCLIENT_TAB);
	}
}

void
desk_cli_ok_at(struct desk *d, const char *const *args, char *out,
	       size_t outsz, const char *file, int line)
{
	struct sshclient_cmd res;

	if (desk_cli(d, &res, args) != 0) {
		test_fail(file, line, "%s %s: %s", args[0],
			  args[1] ? args[1] : "", res.err ? res.err : "");
	}
	if (out != NULL) {
		snprintf(out, outsz, "%s", res.out ? res.out : "");
	}
	sshclient_cmd_release(&res);
}

int
desk_cli_stdin(struct desk *d, const char *input, const char *const *args)
{
	const char *v[32];
	size_t n = 0;
	int fd[2], st = 0;
	pid_t pid;

	v[n++] = sshclient_nomdesk_bin();
	v[n++] = "--data";
	v[n++] = d->data;
	while (*args && n < 31) {
		v[n++] = *args++;
	}
	v[n] = NULL;
	if (!v[0] || pipe(fd) != 0) {
		return -1;
	}
	fflush(NULL);
	if ((pid = fork()) == 0) {
		int nul = open("/dev/null", O_WRONLY);

		dup2(fd[0], 0);
		dup2(nul, 1);
		close(fd[0]);
		close(fd[1]);
		execv(v[0], (char *const *)v);
		_exit(127);
	}
	close(fd[0]);
	if (pid > 0 &&
	    write(fd[1], input, strlen(input)) != (ssize_t)strlen(input)) {
		test_fail(__FILE__, __LINE__, "short write to the CLI");
	}
	close(fd[1]);
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		return -1;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
