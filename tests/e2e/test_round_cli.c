/*
 * The Datong 2020 round end to end through the command line (issue #3
 * item 11): the real nomdesk binary, one process per command as a clerk's
 * script would run it, against a fresh demo data directory per theme (the
 * runner forks each test, so the themes share the fixture's code, not its
 * directory).  Every theme asserts exit codes, the one-line refusal
 * (naming holder, category, limit, count, field or rule) and what is
 * stored, and ends with `audit verify` and `stats` against the states the
 * test drove (an oracle kept here, not read back from the system).
 *
 * The clock: the CLI has no way to run at a chosen date (core_set_clock()
 * is for in-process tests, which is what tests/unit/test_workflow.c
 * uses).  Notices last days and the deadline is 2020-12-15, so every
 * command runs under libfaketime (Debian package faketime) with
 * FAKETIME="@<instant>": a process starts at the instant the test chose
 * and its clock runs from there.  Without libfaketime the suite fails
 * naming the package.
 *
 * Signing keys are enrolled on first use at Argon2id's "interactive" cost
 * (NOMDESK_KDF=interactive) and unlocked once per signed act, as the CLI
 * does.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/lib/desk.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"
#include "tests/lib/sshclient.h"

/* ---- running the binary ---- */

struct out {
	int status; /* exit status, -1 if it could not run or overran */
	char *out, *err;
	char cmd[768]; /* the command line, for failure messages */
};

static struct desk db;    /* only db.data is used: read-only SQLite peeks */
static char fake_now[48]; /* FAKETIME, "@YYYY-MM-DD HH:MM:SS" (UTC) */
static time_t now_s;

static void
out_release(struct out *o)
{
	free(o->out);
	free(o->err);
	o->out = o->err = NULL;
}

static const char *
faketime_lib(void)
{
	static char path[512];
	glob_t g;

	if (path[0]) {
		return path;
	}
	if (glob("/usr/lib/*/faketime/libfaketime.so.1", 0, NULL, &g) == 0 &&
	    g.gl_pathc > 0) {
		snprintf(path, sizeof(path), "%s", g.gl_pathv[0]);
	}
	globfree(&g);
	return path[0] ? path : NULL;
}

/* The child's environment: the fake clock, English messages, cheap keys. */
static void
child_env(void)
{
	const char *asan = getenv("ASAN_OPTIONS");
	char buf[1024];

	setenv("LD_PRELOAD", faketime_lib(), 1);
	setenv("FAKETIME", fake_now, 1);
	setenv("FAKETIME_DONT_FAKE_MONOTONIC", "1", 1);
	setenv("TZ", "UTC", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	setenv("NOMDESK_KDF", "interactive", 1);
	/* libfaketime is preloaded before the ASan runtime of a SANITIZE=1
	 * binary; tell ASan that is on purpose. */
	snprintf(buf, sizeof(buf), "%s%sverify_asan_link_order=0",
	         asan ? asan : "", asan && *asan ? ":" : "");
	setenv("ASAN_OPTIONS", buf, 1);
}

static void
drain(int fd, char **buf, size_t *len, int *open)
{
	char tmp[8192];

	for (;;) {
		ssize_t k = read(fd, tmp, sizeof(tmp));

		if (k > 0) {
			char *p = realloc(*buf, *len + (size_t)k + 1);

			if (!p) {
				abort();
			}
			memcpy(p + *len, tmp, (size_t)k);
			*len += (size_t)k;
			p[*len] = '\0';
			*buf = p;
		} else if (k == 0 || (errno != EAGAIN && errno != EINTR)) {
			*open = 0;
			return;
		} else {
			return;
		}
	}
}

/* Runs `nomdesk --data DIR args...` with input on stdin (may be NULL). */
static int
run(struct out *o, const char *input, const char *const *args)
{
	const char *bin = sshclient_nomdesk_bin();
	const char *argv[80];
	int in[2], op[2], ep[2], st = 0, open_out = 1, open_err = 1;
	size_t n = 0, len_out = 0, len_err = 0, off = 0;
	int64_t deadline = sshclient_now_ms() + 60000;
	pid_t pid;

	memset(o, 0, sizeof(*o));
	o->status = -1;
	o->out = calloc(1, 1);
	o->err = calloc(1, 1);
	argv[n++] = bin ? bin : "nomdesk";
	argv[n++] = "--data";
	argv[n++] = db.data;
	for (size_t i = 0; args[i] && n < 79; i++) {
		argv[n++] = args[i];
		off += (size_t)snprintf(
		    o->cmd + off,
		    off < sizeof(o->cmd) ? sizeof(o->cmd) - off : 0, "%s%s",
		    i ? " " : "", args[i]);
		if (off >= sizeof(o->cmd)) {
			off = sizeof(o->cmd);
		}
	}
	argv[n] = NULL;
	if (!bin || !faketime_lib()) {
		free(o->err);
		o->err = strdup(!bin ? "NOMDESK_BIN is not set"
		                     : "libfaketime not found: install the "
		                       "Debian package faketime");
		return -1;
	}
	if (pipe(in) != 0 || pipe(op) != 0 || pipe(ep) != 0) {
		return -1;
	}
	fflush(NULL);
	if ((pid = fork()) == 0) {
		dup2(in[0], 0);
		dup2(op[1], 1);
		dup2(ep[1], 2);
		close(in[1]);
		close(op[0]);
		close(ep[0]);
		child_env();
		execv(bin, (char *const *)argv);
		dprintf(2, "cannot run %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(op[1]);
	close(ep[1]);
	if (input) {
		/* short (passphrases, passwords): fits the pipe's buffer */
		signal(SIGPIPE, SIG_IGN);
		if (write(in[1], input, strlen(input)) < 0) {
			/* the command did not read it: its status says why */
		}
	}
	close(in[1]);
	fcntl(op[0], F_SETFL, O_NONBLOCK);
	fcntl(ep[0], F_SETFL, O_NONBLOCK);
	while ((open_out || open_err) && sshclient_now_ms() < deadline) {
		struct pollfd p[2] = {{open_out ? op[0] : -1, POLLIN, 0},
		                      {open_err ? ep[0] : -1, POLLIN, 0}};

		poll(p, 2, 100);
		drain(op[0], &o->out, &len_out, &open_out);
		drain(ep[0], &o->err, &len_err, &open_err);
	}
	if (open_out || open_err) {
		kill(pid, SIGKILL);
	}
	close(op[0]);
	close(ep[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
	}
	if (!open_out && !open_err) {
		o->status = WIFEXITED(st)     ? WEXITSTATUS(st)
		            : WIFSIGNALED(st) ? 128 + WTERMSIG(st)
		                              : -1;
	}
	return o->status;
}

/* cli(o, input, arg, ..., NULL) */
static int
cli(struct out *o, const char *input, ...)
{
	const char *args[72];
	size_t n = 0;
	va_list ap;

	va_start(ap, input);
	while (n < 71 && (args[n] = va_arg(ap, const char *)) != NULL) {
		n++;
	}
	va_end(ap);
	args[n] = NULL;
	return run(o, input, args);
}

#define CLI(o, ...) cli((o), NULL, __VA_ARGS__, (const char *)NULL)

/* Exit 0 expected; otherwise the command and its stderr are shown. */
static int
ok_at(int line, const struct out *o)
{
	if (o->status == 0) {
		return 1;
	}
	test_fail(__FILE__, line, "`%s` exited %d: %s", o->cmd, o->status,
	          o->err);
	return 0;
}

/*
 * Exit 1 with exactly one line "nomdesk: ..." on stderr that contains
 * every string of want (NULL-terminated).
 */
static int
refused_v(int line, const struct out *o, va_list ap)
{
	const char *w, *nl = strchr(o->err, '\n');
	int good = 1;

	if (o->status != 1 || strncmp(o->err, "nomdesk: ", 9) != 0 || !nl ||
	    nl[1] != '\0') {
		test_fail(__FILE__, line,
		          "`%s`: want exit 1 and one line \"nomdesk: ...\", "
		          "got exit %d, stderr \"%s\", stdout \"%.200s\"",
		          o->cmd, o->status, o->err, o->out);
		return 0;
	}
	while ((w = va_arg(ap, const char *)) != NULL) {
		if (!strstr(o->err, w)) {
			test_fail(__FILE__, line, "`%s`: no \"%s\" in \"%s\"",
			          o->cmd, w, o->err);
			good = 0;
		}
	}
	return good;
}

static int
refused_at(int line, const struct out *o, ...)
{
	va_list ap;
	int r;

	va_start(ap, o);
	r = refused_v(line, o, ap);
	va_end(ap);
	return r;
}

#define OK(o) ok_at(__LINE__, (o))
#define REFUSED(o, ...)                                                        \
	refused_at(__LINE__, (o), __VA_ARGS__, (const char *)NULL)

/* Contains: a failed expectation names the text and where it was sought. */
#define HAS(hay, needle)                                                       \
	do {                                                                   \
		const char *h_ = (hay), *n_ = (needle);                        \
		if (!h_ || !strstr(h_, n_))                                    \
			test_fail(__FILE__, __LINE__,                          \
			          "no \"%s\" in \"%.600s\"", n_,               \
			          h_ ? h_ : "(null)");                         \
	} while (0)

/* ---- the clock ---- */

/* Sets the clock to a Beijing time "YYYY-MM-DD HH:MM". */
static void
clock_at(const char *beijing)
{
	struct tm tm = {0};
	char buf[32];

	if (sscanf(beijing, "%d-%d-%d %d:%d", &tm.tm_year, &tm.tm_mon,
	           &tm.tm_mday, &tm.tm_hour, &tm.tm_min) != 5) {
		test_fail(__FILE__, __LINE__, "bad time %s", beijing);
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	now_s = timegm(&tm) - 8 * 3600;
	gmtime_r(&now_s, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(fake_now, sizeof(fake_now), "@%s", buf);
}

/* ---- what the test drove: the oracle the stats are held against ---- */

struct nom {
	int64_t id;
	char state[32];
	char resume[32]; /* the state an investigation resumes to */
	char unit[64];
	char category[32]; /* as entered (Chinese), "" for none */
};

static struct nom noms[96];
static size_t n_noms;

static struct nom *
nom_of(int64_t id)
{
	for (size_t i = 0; i < n_noms; i++) {
		if (noms[i].id == id) {
			return &noms[i];
		}
	}
	return NULL;
}

static void
nom_track(int64_t id, const char *unit, const char *category)
{
	struct nom *m = nom_of(id);

	if (!m && n_noms < sizeof(noms) / sizeof(noms[0])) {
		m = &noms[n_noms++];
	}
	if (!m) {
		return;
	}
	m->id = id;
	snprintf(m->state, sizeof(m->state), "draft");
	snprintf(m->unit, sizeof(m->unit), "%s", unit);
	snprintf(m->category, sizeof(m->category), "%s", category);
}

/* The state the design (design.md) says an action leads to. */
static void
nom_after(struct nom *m, const char *action)
{
	static const char *const to[][2] = {
	    {"pledge", "pledged"},
	    {"pledge_paper", "pledged"},
	    {"unit_review", "unit_reviewed"},
	    {"submit", "submitted"},
	    {"screen", "screened"},
	    {"open_local_notice", "local_notice"},
	    {"report", "reported"},
	    {"hr_check", "hr_checked"},
	    {"committee_review", "committee_reviewed"},
	    {"hr_approve", "hr_approved"},
	    {"gov_approve", "gov_approved"},
	    {"open_public_notice", "public_notice"},
	    {"confirm", "confirmed"},
	    {"return", "returned"},
	    {"reject", "rejected"},
	    {"withdraw", "withdrawn"},
	    {"uphold", "rejected"},
	};

	if (strcmp(action, "object") == 0) {
		snprintf(m->resume, sizeof(m->resume), "%s", m->state);
		snprintf(m->state, sizeof(m->state), "under_investigation");
		return;
	}
	if (strcmp(action, "clear") == 0) {
		snprintf(m->state, sizeof(m->state), "%s", m->resume);
		return;
	}
	for (size_t i = 0; i < sizeof(to) / sizeof(to[0]); i++) {
		if (strcmp(to[i][0], action) == 0) {
			snprintf(m->state, sizeof(m->state), "%s", to[i][1]);
			return;
		}
	}
	test_fail(__FILE__, __LINE__, "no oracle for action %s", action);
}

/* The stored state (read-only SQLite) equals the oracle's. */
static void
state_check_at(int line, int64_t id)
{
	struct nom *m = nom_of(id);
	char sql[128], got[64];

	snprintf(sql, sizeof(sql), "SELECT state FROM nominee WHERE id = %lld",
	         (long long)id);
	desk_db_text(&db, sql, got, sizeof(got));
	if (!m || strcmp(got, m->state) != 0) {
		test_fail(__FILE__, line, "nominee %lld is \"%s\", want \"%s\"",
		          (long long)id, got, m ? m->state : "(untracked)");
	}
}

#define STATE_IS(id, want)                                                     \
	do {                                                                   \
		CHECK_STR(nom_of(id) ? nom_of(id)->state : "", (want));        \
		state_check_at(__LINE__, (id));                                \
	} while (0)

/* ---- the fixture ---- */

/* Users the round needs beyond the demo accounts: a clerk per employing
 * unit that nominates, the holder each reports through, two experts. */
static const char *const units[][3] = {
    {"acfic-e001", "大同市阳光新能源股份有限公司", "chan-acfic"},
    {"ind-e001", "大同市智造装备有限公司", "dept-ind"},
    {"etdz-e001", "大同开发区新材料科技有限公司", "etdz"},
    {"st-e001", "中国中车大同电力机车有限公司", "stationed"},
    {"edu-e001", "山西大同大学", "dept-edu"},
};

static const char *const users[][4] = {
    {"health_clerk", "unit_clerk", "dept-health-e001", "马红"},
    {"edu_clerk", "unit_clerk", "edu-e001", "高强"},
    {"edu_dept", "department", "dept-edu", "林芳"},
    {"acfic_clerk", "unit_clerk", "acfic-e001", "郭亮"},
    {"acfic_hr", "department", "chan-acfic", "何平"},
    {"ind_clerk", "unit_clerk", "ind-e001", "罗军"},
    {"ind_dept", "department", "dept-ind", "梁燕"},
    {"etdz_clerk", "unit_clerk", "etdz-e001", "宋涛"},
    {"etdz_hr", "county_hr", "etdz", "唐丽"},
    {"st_clerk", "unit_clerk", "st-e001", "韩冰"},
    {"st_hr", "department", "stationed", "冯刚"},
    {"expert_qian", "expert", "edu-e001", "钱学明"},
    {"expert_sun", "expert", "140213-e002", "孙立新"},
};

static char enrolled[48][33];
static size_t n_enrolled;
static char scan_path[600];

static void
passphrase(const char *login, char *out, size_t n, int twice)
{
	if (twice) {
		snprintf(out, n, "签名口令 of %s\n签名口令 of %s\n", login,
		         login);
	} else {
		snprintf(out, n, "签名口令 of %s\n", login);
	}
}

/* Enrolls LOGIN's signing key unless this test already did. */
static void
key_for(const char *login)
{
	char pass[160];
	struct out o;

	for (size_t i = 0; i < n_enrolled; i++) {
		if (strcmp(enrolled[i], login) == 0) {
			return;
		}
	}
	passphrase(login, pass, sizeof(pass), 1);
	cli(&o, pass, "user", "key", "init", login, "--passphrase-stdin",
	    (const char *)NULL);
	if (OK(&o) && n_enrolled < 48) {
		snprintf(enrolled[n_enrolled++], 33, "%s", login);
	}
	out_release(&o);
}

/* A demo data directory at dir with the round's units and users. */
static void
fx_init_dir(const char *dir)
{
	struct out o;

	if (strlen(dir) >= sizeof(db.data)) {
		test_fail(__FILE__, __LINE__, "path too long: %s", dir);
		exit(1);
	}
	memcpy(db.data, dir, strlen(dir) + 1);
	CLI(&o, "init", "--demo");
	if (!OK(&o)) {
		exit(1);
	}
	out_release(&o);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		CLI(&o, "unit", "add", units[i][0], "--name", units[i][1],
		    "--parent", units[i][2]);
		OK(&o);
		out_release(&o);
	}
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		CLI(&o, "user", "add", users[i][0], "--name", users[i][3],
		    "--role", users[i][1], "--unit", users[i][2]);
		OK(&o);
		out_release(&o);
	}
}

static void
fx_start(const char *beijing)
{
	char dir[600];
	FILE *f;

	if (!faketime_lib()) {
		test_fail(__FILE__, __LINE__,
		          "libfaketime not found: the CLI cannot run at a "
		          "chosen date without it (apt-get install faketime)");
		exit(1);
	}
	n_noms = n_enrolled = 0;
	clock_at(beijing);
	snprintf(dir, sizeof(dir), "%s/data", test_tmpdir());
	fx_init_dir(dir);
	snprintf(scan_path, sizeof(scan_path), "%s/pledge-scan.pdf",
	         test_tmpdir());
	if ((f = fopen(scan_path, "w")) != NULL) {
		fputs("%PDF-1.4 scan of the signed 承诺书\n", f);
		fclose(f);
	}
}

static json_object *
json_of(const struct out *o)
{
	json_object *j = o->status == 0 ? json_tokener_parse(o->out) : NULL;

	if (!j) {
		test_fail(__FILE__, __LINE__, "`%s`: no JSON: %.300s %s",
		          o->cmd, o->out, o->err);
	}
	return j;
}

static const char *
jstr(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!o || !json_object_object_get_ex(o, key, &v)) {
		return "";
	}
	return json_object_get_string(v);
}

static int64_t
jint(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!o || !json_object_object_get_ex(o, key, &v)) {
		return -1;
	}
	return json_object_get_int64(v);
}

static json_object *
jarr(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_array)) {
		return NULL;
	}
	return v;
}

static const char *
category_key(const char *zh)
{
	static const char *const k[][2] = {
	    {"基层专项", "grassroots"},  {"非公专项", "nonpublic"},
	    {"开发区专项", "etdz"},      {"综合", "general"},
	    {"另行推荐", "exceptional"},
	};

	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		if (strcmp(k[i][0], zh) == 0) {
			return k[i][1];
		}
	}
	return zh;
}

/* What the oracle says for one dimension of `stats`. */
static int64_t
oracle_count(const char *dim, const char *key)
{
	int64_t n = 0;

	for (size_t i = 0; i < n_noms; i++) {
		const char *v = strcmp(dim, "unit") == 0 ? noms[i].unit
		                : strcmp(dim, "state") == 0
		                    ? noms[i].state
		                    : category_key(noms[i].category);

		n += strcmp(v, key) == 0;
	}
	return n;
}

/* One count of `stats --format json`: rows {dimension, key, label,
 * count} with "total" last (or, before the CLI's formats were unified,
 * {"unit": [...], ..., "total": N}). */
static void
stats_rows(json_object *j,
           void (*cb)(void *ctx, const char *dim, const char *key,
                      int64_t count),
           void *ctx)
{
	static const char *const dims[] = {"unit", "category", "state"};

	if (json_object_is_type(j, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(j); i++) {
			json_object *row = json_object_array_get_idx(j, i);

			cb(ctx, jstr(row, "dimension"), jstr(row, "key"),
			   jint(row, "count"));
		}
		return;
	}
	for (size_t d = 0; d < 3; d++) {
		json_object *a = jarr(j, dims[d]);

		for (size_t i = 0; a && i < json_object_array_length(a); i++) {
			json_object *row = json_object_array_get_idx(a, i);

			cb(ctx, dims[d], jstr(row, "key"), jint(row, "count"));
		}
	}
	cb(ctx, "total", "", jint(j, "total"));
}

struct stats_seen {
	int line;
	int64_t sum[3], total;
};

static void
stats_row(void *ctx, const char *dim, const char *key, int64_t count)
{
	static const char *const dims[] = {"unit", "category", "state"};
	struct stats_seen *s = ctx;

	if (strcmp(dim, "total") == 0) {
		s->total = count;
		return;
	}
	for (size_t d = 0; d < 3; d++) {
		if (strcmp(dim, dims[d]) != 0) {
			continue;
		}
		s->sum[d] += count;
		if (count != oracle_count(dim, key)) {
			test_fail(__FILE__, s->line,
			          "stats %s \"%s\": %lld, drove %lld", dim, key,
			          (long long)count,
			          (long long)oracle_count(dim, key));
		}
		return;
	}
	test_fail(__FILE__, s->line, "stats: unknown dimension \"%s\"", dim);
}

/* `stats` agrees with the oracle in every dimension, both ways: each
 * count it gives is what the test drove, and they add up to all of it. */
static void
stats_check(int line)
{
	struct stats_seen seen = {line, {0, 0, 0}, -1};
	json_object *j;
	struct out o;

	CLI(&o, "stats", "--as", "city_hr", "--format", "json");
	if (!(j = json_of(&o))) {
		out_release(&o);
		return;
	}
	stats_rows(j, stats_row, &seen);
	if (seen.total != (int64_t)n_noms) {
		test_fail(__FILE__, line, "stats total %lld, drove %zu",
		          (long long)seen.total, n_noms);
	}
	for (size_t d = 0; d < 3; d++) {
		if (seen.sum[d] != (int64_t)n_noms) {
			test_fail(__FILE__, line,
			          "stats dimension %zu adds up to %lld, drove "
			          "%zu",
			          d, (long long)seen.sum[d], n_noms);
		}
	}
	json_object_put(j);
	out_release(&o);
}

/* The end of every theme: the log verifies, the stats match. */
static void
fx_finish_at(int line)
{
	char want[64];
	struct out o;

	for (size_t i = 0; i < n_noms; i++) {
		state_check_at(line, noms[i].id);
	}
	CLI(&o, "audit", "verify");
	if (ok_at(line, &o)) {
		HAS(o.out, "audit verify: OK");
		snprintf(want, sizeof(want), "nominees %zu ", n_noms);
		HAS(o.out, want);
	}
	out_release(&o);
	stats_check(line);
}

#define FX_FINISH() fx_finish_at(__LINE__)

/* ---- nominees ---- */

struct person {
	const char *clerk;
	const char *unit; /* NULL: the clerk's */
	const char *name, *gender, *birth, *title, *level;
	const char *category, *system, *channel;
	const char *condition; /* "4=evidence", or NULL for none */
};

static int n_people;

/* nominee add + edit to a complete dossier; tracked as a draft. */
static int64_t
enter_at(int line, const struct person *p)
{
	char idn[19], ymd[9], sid[24];
	long long id = 0;
	size_t k = 0;
	struct out o;

	CLI(&o, "nominee", "add", "--as", p->clerk, "--name", p->name,
	    "--gender", p->gender, "--birth-date", p->birth, "--title",
	    p->title, "--unit", p->unit);
	if (!ok_at(line, &o) || sscanf(o.out, "added nominee %lld", &id) != 1) {
		test_fail(__FILE__, line, "no nominee added: %s", o.out);
		out_release(&o);
		return 0;
	}
	out_release(&o);
	nom_track(id, p->unit, "");
	/* the ID number's birth date: 19750302, or 19691201 for 1969-12 */
	for (const char *s = p->birth; *s && k < 8; s++) {
		if (*s != '-') {
			ymd[k++] = *s;
		}
	}
	for (; k < 8; k++) {
		ymd[k] = k == 7 ? '1' : '0';
	}
	ymd[8] = '\0';
	fixture_id_number(ymd, 100 + n_people++, idn);
	snprintf(sid, sizeof(sid), "%lld", id);
	CLI(&o, "nominee", "edit", sid, "--as", p->clerk, "--id-number", idn,
	    "--title-level", p->level, "--title-date", "2015-07-01",
	    "--education", "博士研究生", "--degree", "博士", "--system",
	    p->system, "--channel", p->channel ? p->channel : "单位推荐",
	    "--quota-category", p->category, "--specialty", "新能源材料与器件",
	    "--phone", "0352-6021234", "--prior-leader", "无", "--condition",
	    p->condition ? p->condition : "4=");
	if (ok_at(line, &o)) {
		snprintf(nom_of(id)->category, sizeof(nom_of(id)->category),
		         "%s", p->category);
	}
	out_release(&o);
	return id;
}

#define ENTER(p) enter_at(__LINE__, (p))

/* declare SID --as LOGIN --panel PANEL [--conflict WHY]: the expert's
 * signed declaration (回避承诺), key enrolled on first use. */
static int
declare_run(struct out *o, const char *sid, const char *login,
            const char *panel, const char *conflict)
{
	char pass[160];

	key_for(login);
	passphrase(login, pass, sizeof(pass), 0);
	if (conflict)
		return cli(o, pass, "declare", sid, "--as", login, "--panel",
		           panel, "--conflict", conflict, "--passphrase-stdin",
		           (const char *)NULL);
	return cli(o, pass, "declare", sid, "--as", login, "--panel", panel,
	           "--passphrase-stdin", (const char *)NULL);
}

/* ---- acts ---- */

/* act ID ACTION --as LOGIN [--reason R] [--scan F] --passphrase-stdin */
static int
act_run(struct out *o, int64_t id, const char *action, const char *login,
        const char *reason, const char *scan)
{
	const char *args[16];
	char sid[24], pass[160];
	size_t n = 0;

	key_for(login);
	snprintf(sid, sizeof(sid), "%lld", (long long)id);
	args[n++] = "act";
	args[n++] = sid;
	args[n++] = action;
	args[n++] = "--as";
	args[n++] = login;
	if (reason) {
		args[n++] = "--reason";
		args[n++] = reason;
	}
	if (scan) {
		args[n++] = "--scan";
		args[n++] = scan;
	}
	args[n++] = "--passphrase-stdin";
	args[n] = NULL;
	passphrase(login, pass, sizeof(pass), 0);
	return run(o, pass, args);
}

/* The act succeeds and the nominee reaches the state design.md names (a
 * paper pledge without a reason carries the scan). */
static void
act_ok_at(int line, int64_t id, const char *action, const char *login,
          const char *reason)
{
	const char *scan =
	    strcmp(action, "pledge_paper") == 0 && !reason ? scan_path : NULL;
	struct nom *m = nom_of(id);
	char want[96];
	struct out o;

	act_run(&o, id, action, login, reason, scan);
	if (ok_at(line, &o)) {
		snprintf(want, sizeof(want), "nominee %lld: %s (entry ",
		         (long long)id, action);
		if (!strstr(o.out, want)) {
			test_fail(__FILE__, line, "no \"%s\" in \"%s\"", want,
			          o.out);
		}
		if (m) {
			nom_after(m, action);
		}
	}
	out_release(&o);
	state_check_at(line, id);
}

/* The act is refused with one line holding every string given; the
 * state does not change. */
static void
act_no_at(int line, int64_t id, const char *action, const char *login,
          const char *reason, ...)
{
	struct out o;
	va_list ap;

	act_run(&o, id, action, login, reason, NULL);
	va_start(ap, reason);
	refused_v(line, &o, ap);
	va_end(ap);
	out_release(&o);
	state_check_at(line, id);
}

#define ACT(id, action, login, reason)                                         \
	act_ok_at(__LINE__, (id), (action), (login), (reason))
#define ACT_NO(id, action, login, reason, ...)                                 \
	act_no_at(__LINE__, (id), (action), (login), (reason), __VA_ARGS__,    \
	          (const char *)NULL)

/* ---- expert panels ---- */

/* panel create NAME --level L (mean of a 100-point sheet, pass at 60)
 * and its members (NULL-terminated). */
static void
panel_make(const char *owner, const char *name, const char *level,
           const char *quorum, ...)
{
	const char *m;
	struct out o;
	va_list ap;

	CLI(&o, "panel", "create", name, "--level", level, "--as", owner,
	    "--rule", "mean", "--criteria", "academic:40,performance:60",
	    "--threshold", "60", "--quorum", quorum);
	OK(&o);
	out_release(&o);
	va_start(ap, quorum);
	while ((m = va_arg(ap, const char *)) != NULL) {
		CLI(&o, "panel", "add-member", name, m, "--as", owner);
		OK(&o);
		out_release(&o);
	}
	va_end(ap);
}

/*
 * Assigns id to panel; every member assigned declares no conflict and
 * scores 36 + 54, except the login conflict (may be NULL), who declares
 * a conflict instead.  Returns what `assign` printed (caller frees), to
 * check the automatic recusals.
 */
static char *
evaluate_at(int line, const char *owner, const char *panel, int64_t id,
            const char *conflict)
{
	char sid[24], *lines, *save = NULL;
	struct out o, e;

	snprintf(sid, sizeof(sid), "%lld", (long long)id);
	CLI(&o, "assign", sid, "--panel", panel, "--as", owner);
	if (!ok_at(line, &o)) {
		out_release(&o);
		return strdup("");
	}
	lines = strdup(o.out);
	for (char *l = strtok_r(lines, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		char login[64];

		if (!strstr(l, "): assigned") ||
		    sscanf(l, " %63s", login) != 1) {
			continue;
		}
		if (conflict && strcmp(login, conflict) == 0) {
			declare_run(&e, sid, login, panel,
			            "曾与被推荐人合作承担课题");
			if (ok_at(line, &e)) {
				HAS(e.out, "conflict declared, recused");
			}
			out_release(&e);
			continue;
		}
		declare_run(&e, sid, login, panel, NULL);
		ok_at(line, &e);
		out_release(&e);
		CLI(&e, "score", sid, "--as", login, "--panel", panel,
		    "--criterion", "academic=36", "--criterion",
		    "performance=54", "--opinion", "业绩突出，同意推荐");
		ok_at(line, &e);
		out_release(&e);
	}
	free(lines);
	lines = strdup(o.out);
	out_release(&o);
	return lines;
}

#define EVALUATE(owner, panel, id, conflict)                                   \
	free(evaluate_at(__LINE__, (owner), (panel), (id), (conflict)))

/* The count column of a `quota --format csv` row (node, holder). */
static long long
quota_count(const char *csv, const char *node, const char *holder)
{
	char want[160];
	const char *p;

	/* "node","category","category_name","name","holder",... count */
	for (p = csv; p && *p;
	     p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		const char *eol = strchr(p, '\r'), *last;
		char cell[32];
		int field = 0;

		snprintf(want, sizeof(want), "\"%s\",", node);
		if (strncmp(p, want, strlen(want)) != 0 || !eol) {
			continue;
		}
		/* the holder is the fifth cell */
		{
			const char *q = p;

			while (field < 4 && (q = strstr(q, "\",\"")) != NULL) {
				q += 3;
				field++;
			}
			snprintf(want, sizeof(want), "%s\"", holder);
			if (!q || strncmp(q, want, strlen(want)) != 0) {
				continue;
			}
		}
		for (last = eol; last > p && last[-1] != ','; last--) {
		}
		snprintf(cell, sizeof(cell), "%.*s", (int)(eol - last), last);
		return atoll(cell + (cell[0] == '"'));
	}
	return -1;
}

/* ---- 1. every quota category from entry to confirmation ---- */

struct entry {
	struct person p;
	const char *holder; /* where submit sends it */
	const char *owner;  /* the holder's user, who owns its panel */
	const char *panel;
};

static const struct entry round_entries[] = {
    /* 基层专项, the applicant's own pledge */
    {{"pc_clerk", "140213-e001", "李明", "男", "1975-03-02", "主任医师",
      "正高级", "基层专项", "卫生", NULL, "4=市级重点项目“心衰防治”负责人"},
     "140213",
     "pingcheng_hr",
     "平城区评审组"},
    /* the county's extras beyond its special quota: uncapped */
    {{"pc_clerk", "140213-e001", "王丽", "女", "1978-06-18", "副主任医师",
      "副高级", "综合", "卫生", NULL, "6=市科技进步一等奖"},
     "140213",
     "pingcheng_hr",
     "平城区评审组"},
    {{"pc_clerk", "140213-e001", "赵刚", "男", "1980-01-09", "副主任医师",
      "副高级", "综合", "卫生", NULL, "4=市级重点项目负责人"},
     "140213",
     "pingcheng_hr",
     "平城区评审组"},
    /* 非公专项 through each of its three channels */
    {{"yg_clerk", "140214-e001", "刘洋", "男", "1982-09-30", "高级工程师",
      "副高级", "非公专项", "工业", NULL, "9=光伏储能方向青年人才"},
     "140214",
     "yungang_hr",
     "云冈区评审组"},
    {{"acfic_clerk", "acfic-e001", "陈晨", "女", "1984-04-12", "正高级工程师",
      "正高级", "非公专项", "工业", "行业学术团体举荐",
      "2=行业技术最高奖二等奖"},
     "chan-acfic",
     "acfic_hr",
     "工商联评审组"},
    {{"ind_clerk", "ind-e001", "杨帆", "男", "1979-11-05", "高级工程师",
      "副高级", "非公专项", "工业", NULL, "4=省级重点项目主要完成人"},
     "dept-ind",
     "ind_dept",
     "工信局评审组"},
    /* 开发区专项 */
    {{"etdz_clerk", "etdz-e001", "吴昊", "男", "1981-07-21", "高级工程师",
      "副高级", "开发区专项", "工业", NULL, "4=国家级重点研发计划课题"},
     "etdz",
     "etdz_hr",
     "开发区评审组"},
    /* 综合, city departments by system */
    {{"ind_clerk", "ind-e001", "周敏", "女", "1976-02-14", "正高级工程师",
      "正高级", "综合", "工业", NULL, "1=省科技进步二等奖"},
     "dept-ind",
     "ind_dept",
     "工信局评审组"},
    {{"health_clerk", "dept-health-e001", "郑洁", "女", "1977-12-01",
      "主任医师", "正高级", "综合", "卫生", NULL, "7=市突出贡献专家"},
     "dept-health",
     "health_dept",
     "卫健委评审组"},
    {{"edu_clerk", "edu-e001", "黄磊", "男", "1974-08-08", "教授", "正高级",
      "综合", "教育", NULL, "1=省社科优秀成果二等奖"},
     "dept-edu",
     "edu_dept",
     "教育局评审组"},
    /* 综合, units stationed in Datong */
    {{"st_clerk", "st-e001", "许峰", "男", "1973-05-19", "正高级工程师",
      "正高级", "综合", "工业", NULL, "3=省部级最高奖一等奖"},
     "stationed",
     "st_hr",
     "驻同单位评审组"},
    /* 不限名额另行推荐: a justification at the report */
    {{"health_clerk", "dept-health-e001", "谢婷", "女", "1983-10-10",
      "主任医师", "正高级", "另行推荐", "卫生", NULL,
      "8=重大技术革新：国产人工心脏临床应用"},
     "dept-health",
     "health_dept",
     "卫健委评审组"},
};

#define N_ENTRIES (sizeof(round_entries) / sizeof(round_entries[0]))
#define E_APPLICANT 0 /* pledged by applicant_wu */
#define E_NONPUBLIC 3 /* qian declares a conflict on the committee */
#define E_HEALTH 8    /* zhou (same unit) recused automatically */
#define E_EDU 9       /* qian (same unit) recused automatically */
#define E_EXCEPTIONAL 11

static const char *const justification =
    "对确有重大技术革新者不限名额另行推荐：国产人工心脏首例临床应用";

static void
test_round_cli__every_category_to_confirmation(void)
{
	int64_t id[N_ENTRIES];
	char sid[24], sql[160], got[64];
	struct out o;
	json_object *j;

	fx_start("2020-11-02 09:00");
	/* the round the nominees below cover, category by category */
	CLI(&o, "round", "show", "--format", "json");
	if ((j = json_of(&o)) != NULL) {
		static const char *const keys[] = {"grassroots", "nonpublic",
		                                   "etdz", "general",
		                                   "exceptional"};
		json_object *cats = jarr(j, "categories");

		CHECK_INT(jint(j, "target"), 44);
		CHECK_INT(cats ? json_object_array_length(cats) : 0, 5);
		for (size_t i = 0;
		     cats && i < 5 && i < json_object_array_length(cats); i++) {
			CHECK_STR(
			    jstr(json_object_array_get_idx(cats, i), "key"),
			    keys[i]);
		}
		HAS(json_object_to_json_string(j), "2020-12-15T23:59:59+08:00");
		json_object_put(j);
	}
	out_release(&o);
	/* a local panel per holder; the city committee needs two sheets */
	for (size_t i = 0; i < N_ENTRIES; i++) {
		int seen = 0;

		for (size_t k = 0; k < i; k++) {
			seen |= strcmp(round_entries[k].panel,
			               round_entries[i].panel) == 0;
		}
		if (!seen) {
			panel_make(round_entries[i].owner,
			           round_entries[i].panel, "local", "1",
			           strcmp(round_entries[i].holder, "140213") ==
			                   0
			               ? "expert_sun"
			               : "expert_qian",
			           "expert_zhou", (const char *)NULL);
		}
	}
	panel_make("city_hr", "市评审委员会", "city", "2", "expert_zhou",
	           "expert_qian", "expert_sun", (const char *)NULL);

	for (size_t i = 0; i < N_ENTRIES; i++) {
		id[i] = ENTER(&round_entries[i].p);
	}
	/* the applicant's own electronic pledge, the others on paper */
	snprintf(sid, sizeof(sid), "%lld", (long long)id[E_APPLICANT]);
	CLI(&o, "nominee", "applicant", sid, "--as", "pc_clerk", "--user",
	    "applicant_wu");
	OK(&o);
	out_release(&o);
	ACT(id[E_APPLICANT], "pledge", "applicant_wu", NULL);
	for (size_t i = 0; i < N_ENTRIES; i++) {
		const char *clerk = round_entries[i].p.clerk;

		if (i != E_APPLICANT) {
			ACT(id[i], "pledge_paper", clerk,
			    i % 2 ? "纸质承诺书原件存于单位人事处档案柜"
			          : NULL);
		}
		ACT(id[i], "unit_review", clerk, NULL);
		ACT(id[i], "submit", clerk, NULL);
		snprintf(sql, sizeof(sql),
		         "SELECT holder FROM nominee WHERE id = %lld",
		         (long long)id[i]);
		desk_db_text(&db, sql, got, sizeof(got));
		CHECK_STR(got, round_entries[i].holder);
	}
	/* no evaluation, no screening */
	ACT_NO(id[1], "screen", "pingcheng_hr", NULL,
	       "has not been evaluated by a county/department expert panel");
	/* an expert sees nothing not assigned to them */
	snprintf(sid, sizeof(sid), "%lld", (long long)id[1]);
	CLI(&o, "nominee", "show", sid, "--as", "expert_sun");
	REFUSED(&o, sid);
	out_release(&o);

	clock_at("2020-11-02 10:00");
	for (size_t i = 0; i < N_ENTRIES; i++) {
		const struct entry *e = &round_entries[i];
		char *as =
		    evaluate_at(__LINE__, e->owner, e->panel, id[i], NULL);

		if (i == E_HEALTH || i == E_EXCEPTIONAL) {
			HAS(as, "expert_zhou (周立): recused, own unit "
			        "dept-health-e001");
			HAS(as, "expert_qian (钱学明): assigned");
		} else if (i == E_EDU) {
			HAS(as, "expert_qian (钱学明): recused, own unit "
			        "edu-e001");
		} else if (strcmp(e->holder, "140213") == 0) {
			/* the same county is not the same employer */
			HAS(as, "expert_sun (孙立新): assigned");
		}
		free(as);
		ACT(id[i], "screen", e->owner, NULL);
		ACT(id[i], "open_local_notice", e->owner, NULL);
	}
	CLI(&o, "panel", "result", "卫健委评审组", "--as", "health_dept",
	    "--format", "json");
	if ((j = json_of(&o)) != NULL) {
		for (size_t i = 0; i < json_object_array_length(j); i++) {
			json_object *r = json_object_array_get_idx(j, i);

			CHECK_INT(jint(r, "recused"), 1);
			CHECK_STR(jstr(r, "scored"), "1/1");
			CHECK_STR(jstr(r, "outcome"), "passed");
		}
		CHECK_INT(json_object_array_length(j), 2);
		json_object_put(j);
	}
	out_release(&o);

	/* the county notice (5 calendar days by default) is still open on
	 * its last day */
	clock_at("2020-11-07 17:00");
	ACT_NO(id[0], "report", "pingcheng_hr", NULL,
	       "the 5-day notice has not ended yet");
	clock_at("2020-11-08 09:00");
	ACT_NO(id[E_EXCEPTIONAL], "report", "health_dept", NULL,
	       "justification", "另行推荐", "general.exceptional");
	/* a blank justification is none */
	ACT_NO(id[E_EXCEPTIONAL], "report", "health_dept", "   ",
	       "justification", "requires one for each nominee");
	for (size_t i = 0; i < N_ENTRIES; i++) {
		ACT(id[i], "report", round_entries[i].owner,
		    i == E_EXCEPTIONAL ? justification : NULL);
	}
	CLI(&o, "quota", "--as", "city_hr", "--format", "csv");
	if (OK(&o)) {
		CHECK_INT(quota_count(o.out, "grassroots.140213", "140213"), 1);
		CHECK_INT(quota_count(o.out, "grassroots", ""), 1);
		CHECK_INT(quota_count(o.out, "nonpublic", ""), 3);
		CHECK_INT(quota_count(o.out, "nonpublic.acfic", "chan-acfic"),
		          1);
		CHECK_INT(quota_count(o.out, "nonpublic.miit", "dept-ind"), 1);
		CHECK_INT(quota_count(o.out, "etdz", "etdz"), 1);
		CHECK_INT(
		    quota_count(o.out, "general.city.health", "dept-health"),
		    1);
		CHECK_INT(quota_count(o.out, "general.city", ""), 3);
		CHECK_INT(quota_count(o.out, "general.stationed", "stationed"),
		          1);
		CHECK_INT(quota_count(o.out, "general.county", "140213"), 2);
		CHECK_INT(
		    quota_count(o.out, "general.exceptional", "dept-health"),
		    1);
	}
	out_release(&o);

	clock_at("2020-11-09 09:00");
	for (size_t i = 0; i < N_ENTRIES; i++) {
		ACT(id[i], "hr_check", "city_hr", NULL);
		EVALUATE("city_hr", "市评审委员会", id[i],
		         i == E_NONPUBLIC ? "expert_qian" : NULL);
	}
	CLI(&o, "panel", "result", "市评审委员会", "--as", "city_hr",
	    "--format", "json");
	if ((j = json_of(&o)) != NULL) {
		CHECK_INT(json_object_array_length(j), N_ENTRIES);
		for (size_t i = 0; i < json_object_array_length(j); i++) {
			json_object *r = json_object_array_get_idx(j, i);
			int64_t n = jint(r, "nominee");
			int one = n == id[E_NONPUBLIC] || n == id[E_HEALTH] ||
			          n == id[E_EXCEPTIONAL] || n == id[E_EDU];

			CHECK_INT(jint(r, "recused"), one);
			/* sheets / quorum: one of three recused, or none */
			CHECK_STR(jstr(r, "scored"), one ? "2/2" : "3/2");
			CHECK_STR(jstr(r, "outcome"), "passed");
		}
		json_object_put(j);
	}
	out_release(&o);
	CLI(&o, "panel", "recommend", "--as", "city_hr");
	if (OK(&o)) {
		HAS(o.out, "12 recommended of 44 seats");
	}
	out_release(&o);
	for (size_t i = 0; i < N_ENTRIES; i++) {
		ACT(id[i], "committee_review", "city_hr", NULL);
		ACT(id[i], "hr_approve", "city_hr", NULL);
		if (i == 0) {
			ACT_NO(id[i], "gov_approve", "city_hr", NULL, "Reason: is required");
		}
		ACT(id[i], "gov_approve", "city_hr", "同政函〔2020〕118号");
		ACT(id[i], "open_public_notice", "city_hr", NULL);
	}
	{
		char path[600];

		snprintf(path, sizeof(path), "%s/city-notice.csv",
		         test_tmpdir());
		CLI(&o, "export", "city-notice", "--as", "city_hr", "--format",
		    "csv", "-o", path);
		if (OK(&o)) {
			HAS(o.out, "exported 12 rows");
		}
		out_release(&o);
	}

	/* 5 working days from Monday 11-09: the notice runs to Monday
	 * 11-16 inclusive */
	clock_at("2020-11-16 17:00");
	ACT_NO(id[0], "confirm", "city_hr", NULL,
	       "the 5-day notice has not ended yet");
	clock_at("2020-11-17 09:00");
	for (size_t i = 0; i < N_ENTRIES; i++) {
		ACT(id[i], "confirm", "city_hr", NULL);
	}

	/* the dossier's history, read back from the log, in order */
	snprintf(sid, sizeof(sid), "%lld", (long long)id[E_APPLICANT]);
	CLI(&o, "nominee", "show", sid, "--as", "city_hr", "--format", "json");
	if ((j = json_of(&o)) != NULL) {
		static const char *const acts[] = {
		    "nominee created",  "dossier edited",  "administration",
		    "integrity pledge", "verification",    "workflow step",
		    "review decision",  "notice",          "review decision",
		    "verification",     "review decision", "review decision",
		    "review decision",  "notice",          "review decision"};
		json_object *h = jarr(j, "history");

		CHECK_STR(jstr(j, "state"), "confirmed");
		CHECK_STR(jstr(j, "holder"), "140213");
		CHECK_STR(jstr(j, "quota_category"), "基层专项");
		CHECK_INT(h ? json_object_array_length(h) : 0,
		          sizeof(acts) / sizeof(acts[0]));
		for (size_t i = 0; h && i < json_object_array_length(h) &&
		                   i < sizeof(acts) / sizeof(acts[0]);
		     i++) {
			CHECK_STR(jstr(json_object_array_get_idx(h, i), "act"),
			          acts[i]);
		}
		if (h && json_object_array_length(h) > 3) {
			CHECK_STR(
			    jstr(json_object_array_get_idx(h, 3), "actor"),
			    "applicant_wu");
		}
		json_object_put(j);
	}
	out_release(&o);
	/* the exceptional path's justification is in the signed report */
	snprintf(sid, sizeof(sid), "%lld", (long long)id[E_EXCEPTIONAL]);
	CLI(&o, "audit", "log", "--as", "auditor", "--nominee", sid, "--format",
	    "json");
	if (OK(&o)) {
		HAS(o.out, justification);
	}
	out_release(&o);
	/* recusals are recorded acts */
	CLI(&o, "audit", "log", "--as", "auditor", "--format", "json");
	if (OK(&o)) {
		HAS(o.out, "recused expert_zhou: own unit dept-health-e001");
		HAS(o.out, "recused expert_qian: own unit edu-e001");
	}
	out_release(&o);
	FX_FINISH();
}

/* ---- 2. returns, rejections, withdrawal, objections ---- */

/* A complete 综合 dossier of 平城区中心医院 under another name. */
static int64_t
enter_pc(int line, const char *name, const char *category)
{
	struct person p = {"pc_clerk",
	                   "140213-e001",
	                   name,
	                   "男",
	                   "1979-04-16",
	                   "主任医师",
	                   "正高级",
	                   category,
	                   "卫生",
	                   NULL,
	                   "4=市级重点项目负责人"};

	return enter_at(line, &p);
}

static int64_t
enter_yg(int line, const char *name, const char *category)
{
	struct person p = {"yg_clerk",
	                   "140214-e001",
	                   name,
	                   "女",
	                   "1983-08-11",
	                   "高级工程师",
	                   "副高级",
	                   category,
	                   "工业",
	                   NULL,
	                   "9=储能材料方向青年人才"};

	return enter_at(line, &p);
}

/* pledge (on paper), first review, submit */
static void
to_submitted_at(int line, int64_t id, const char *clerk)
{
	act_ok_at(line, id, "pledge_paper", clerk, NULL);
	act_ok_at(line, id, "unit_review", clerk, NULL);
	act_ok_at(line, id, "submit", clerk, NULL);
}

/* ... then the local panel, the evaluation and the county notice */
static void
to_local_notice_at(int line, int64_t id, const char *clerk, const char *owner,
                   const char *panel)
{
	to_submitted_at(line, id, clerk);
	free(evaluate_at(line, owner, panel, id, NULL));
	act_ok_at(line, id, "screen", owner, NULL);
	act_ok_at(line, id, "open_local_notice", owner, NULL);
}

/* The trail's items about a pledge or verification: how many are voided
 * by a later edit, how many stand. */
static void
trail_attests(int64_t id, int *voided, int *standing)
{
	char sid[24];
	struct out o;
	json_object *j;

	*voided = *standing = 0;
	snprintf(sid, sizeof(sid), "%lld", (long long)id);
	CLI(&o, "audit", "trail", sid, "--as", "city_hr", "--format", "json");
	if ((j = json_of(&o)) != NULL) {
		json_object *a = jarr(j, "acts");

		for (size_t i = 0; a && i < json_object_array_length(a); i++) {
			json_object *t = json_object_array_get_idx(a, i), *v;

			if (!json_object_object_get_ex(t, "attests", &v) ||
			    !json_object_get_boolean(v)) {
				continue;
			}
			if (json_object_object_get_ex(t, "voided", &v) &&
			    json_object_get_boolean(v)) {
				(*voided)++;
			} else {
				(*standing)++;
			}
		}
		json_object_put(j);
	}
	out_release(&o);
}

static void
test_round_cli__returns_rejections_withdrawal_objections(void)
{
	int64_t n1, n2, n3, n4, n5;
	int voided, standing;
	char sid[24];
	struct out o;

	fx_start("2020-11-18 09:00");
	panel_make("pingcheng_hr", "平城区评审组", "local", "1", "expert_sun",
	           (const char *)NULL);
	panel_make("city_hr", "市评审委员会", "city", "1", "expert_zhou",
	           (const char *)NULL);
	n1 = enter_pc(__LINE__, "孙伟", "综合");
	n2 = enter_pc(__LINE__, "钱芳", "综合");
	n3 = enter_pc(__LINE__, "周涛", "综合");
	n4 = enter_pc(__LINE__, "吴静", "综合");
	n5 = enter_pc(__LINE__, "郑军", "综合");
	snprintf(sid, sizeof(sid), "%lld", (long long)n1);

	/* a paper pledge names its scan or where the paper is kept */
	ACT_NO(n1, "pledge_paper", "pc_clerk", NULL, "pledge_paper",
	       "--scan FILE");
	to_submitted_at(__LINE__, n1, "pc_clerk");
	/* return for correction: the reason is required */
	ACT_NO(n1, "return", "pingcheng_hr", NULL, "Reason: is required");
	ACT(n1, "return", "pingcheng_hr",
	    "缺少获奖证书复印件，请补充后重新报送");
	ACT_NO(n1, "unit_review", "pc_clerk", NULL, "is returned");
	ACT_NO(n1, "submit", "pc_clerk", NULL, "is returned");
	trail_attests(n1, &voided, &standing);
	CHECK_INT(voided, 0);
	CHECK_INT(standing, 2); /* the pledge and the unit's review */
	/* the edit makes a new version: what was pledged and verified is
	 * visibly void, and a new pledge is needed */
	CLI(&o, "nominee", "edit", sid, "--as", "pc_clerk", "--condition",
	    "6=市科技进步一等奖（证书复印件已补）");
	OK(&o);
	out_release(&o);
	STATE_IS(n1, "returned");
	trail_attests(n1, &voided, &standing);
	CHECK_INT(voided, 2);
	CHECK_INT(standing, 0);
	ACT(n1, "pledge_paper", "pc_clerk", "补充材料后重新签署，原件存人事处");
	ACT(n1, "unit_review", "pc_clerk", NULL);
	ACT(n1, "submit", "pc_clerk", NULL);
	trail_attests(n1, &voided, &standing);
	CHECK_INT(voided, 2);
	CHECK_INT(standing, 2);
	/* an expert signs the no-conflict declaration before scoring */
	CLI(&o, "assign", sid, "--panel", "平城区评审组", "--as",
	    "pingcheng_hr");
	OK(&o);
	out_release(&o);
	CLI(&o, "score", sid, "--as", "expert_sun", "--panel", "平城区评审组",
	    "--criterion", "academic=36", "--criterion", "performance=54");
	REFUSED(&o, "declar");
	out_release(&o);
	declare_run(&o, sid, "expert_sun", "平城区评审组", NULL);
	OK(&o);
	out_release(&o);
	CLI(&o, "score", sid, "--as", "expert_sun", "--panel", "平城区评审组",
	    "--criterion", "academic=36", "--criterion", "performance=54");
	OK(&o);
	out_release(&o);
	ACT(n1, "screen", "pingcheng_hr", NULL);
	ACT(n1, "open_local_notice", "pingcheng_hr", NULL);

	/* rejected at the county's evaluation: final */
	to_submitted_at(__LINE__, n2, "pc_clerk");
	EVALUATE("pingcheng_hr", "平城区评审组", n2, NULL);
	ACT(n2, "screen", "pingcheng_hr", NULL);
	ACT_NO(n2, "reject", "pingcheng_hr", NULL, "Reason: is required");
	ACT(n2, "reject", "pingcheng_hr", "经县级专家评议，业绩不突出");
	ACT_NO(n2, "open_local_notice", "pingcheng_hr", NULL, "is rejected");
	ACT_NO(n2, "withdraw", "pc_clerk", "撤回", "is rejected");

	/* withdrawn by the unit, with a reason */
	to_submitted_at(__LINE__, n3, "pc_clerk");
	ACT_NO(n3, "withdraw", "pc_clerk", NULL, "Reason: is required");
	ACT(n3, "withdraw", "pc_clerk", "本人申请撤回推荐");
	ACT_NO(n3, "screen", "pingcheng_hr", NULL, "is withdrawn");

	/* an objection during the county notice, investigated, cleared */
	to_local_notice_at(__LINE__, n4, "pc_clerk", "pingcheng_hr",
	                   "平城区评审组");
	ACT_NO(n4, "object", "auditor", NULL, "Reason: is required");
	ACT(n4, "object", "auditor", "实名来信：获奖证书真实性存疑");
	/* and one that runs its course to the report */
	to_local_notice_at(__LINE__, n5, "pc_clerk", "pingcheng_hr",
	                   "平城区评审组");

	clock_at("2020-11-24 10:00");
	ACT_NO(n4, "report", "pingcheng_hr", NULL, "is under_investigation");
	ACT_NO(n4, "clear", "pingcheng_hr", "查无问题", "not allowed");
	ACT_NO(n4, "clear", "auditor", NULL, "Reason: is required");
	ACT(n4, "clear", "auditor", "经核查，证书真实有效，反映不实");
	ACT(n4, "report", "pingcheng_hr", NULL);

	/* returned by the city at its initial review: back to the unit */
	ACT(n1, "report", "pingcheng_hr", NULL);
	ACT(n1, "hr_check", "city_hr", NULL);
	ACT_NO(n1, "return", "pingcheng_hr", "退回", "not allowed");
	ACT(n1, "return", "city_hr", "市级初审：岗位业绩综述缺页");
	CLI(&o, "quota", "--as", "city_hr", "--format", "csv");
	if (OK(&o)) {
		/* n4 holds its slot, n1 no longer */
		CHECK_INT(quota_count(o.out, "general.county", "140213"), 1);
	}
	out_release(&o);

	/* an objection during the city's notice, upheld */
	ACT(n5, "report", "pingcheng_hr", NULL);
	ACT(n5, "hr_check", "city_hr", NULL);
	EVALUATE("city_hr", "市评审委员会", n5, NULL);
	ACT(n5, "committee_review", "city_hr", NULL);
	ACT(n5, "hr_approve", "city_hr", NULL);
	ACT(n5, "gov_approve", "city_hr", "同政函〔2020〕131号");
	ACT(n5, "open_public_notice", "city_hr", NULL);
	ACT(n5, "object", "city_hr", "群众来信反映论文存在抄袭");
	clock_at("2020-12-03 10:00");
	ACT_NO(n5, "confirm", "city_hr", NULL, "is under_investigation");
	ACT_NO(n5, "uphold", "city_hr", NULL, "Reason: is required");
	ACT(n5, "uphold", "city_hr", "经调查，反映属实，取消推荐资格");
	ACT_NO(n5, "confirm", "city_hr", NULL, "is rejected");
	CHECK_INT(desk_db_count(&db,
	                        "SELECT count(*) FROM objection WHERE "
	                        "outcome = 'cleared' AND notice = 'local'"),
	          1);
	CHECK_INT(desk_db_count(&db,
	                        "SELECT count(*) FROM objection WHERE "
	                        "outcome = 'upheld' AND notice = 'public'"),
	          1);
	STATE_IS(n1, "returned");
	STATE_IS(n2, "rejected");
	STATE_IS(n3, "withdrawn");
	STATE_IS(n4, "reported");
	STATE_IS(n5, "rejected");
	FX_FINISH();
}

/* ---- 3. over-quota refusals and the exceptional path ---- */

static void
test_round_cli__quota_refusals_and_exceptional_path(void)
{
	int64_t y1, y2;
	struct out o;

	fx_start("2020-11-25 09:00");
	panel_make("yungang_hr", "云冈区评审组", "local", "1", "expert_qian",
	           (const char *)NULL);
	y1 = enter_yg(__LINE__, "冯雪", "基层专项");
	y2 = enter_yg(__LINE__, "蒋超", "基层专项");
	to_local_notice_at(__LINE__, y1, "yg_clerk", "yungang_hr",
	                   "云冈区评审组");
	to_local_notice_at(__LINE__, y2, "yg_clerk", "yungang_hr",
	                   "云冈区评审组");
	clock_at("2020-12-01 09:00");
	CLI(&o, "quota", "check", "--holder", "140214", "--category",
	    "基层专项", "--as", "yungang_hr");
	if (OK(&o)) {
		HAS(o.out, "0 of 1 used");
	}
	out_release(&o);
	ACT(y1, "report", "yungang_hr", NULL);
	/* the refusal names holder, category, limit and count */
	ACT_NO(y2, "report", "yungang_hr", NULL, "over quota", "云冈区",
	       "140214", "基层专项", "grassroots.140214", "allows 1",
	       "1 are already reported");
	CLI(&o, "quota", "check", "--holder", "140214", "--category",
	    "基层专项", "--as", "yungang_hr");
	REFUSED(&o, "over quota", "140214", "基层专项", "allows 1",
	        "1 are already reported");
	out_release(&o);
	/* the county's extras are uncapped; a department has no
	 * grassroots seat at all */
	CLI(&o, "quota", "check", "--holder", "140214", "--category", "综合",
	    "--as", "yungang_hr");
	if (OK(&o)) {
		HAS(o.out, "general.county, uncapped");
	}
	out_release(&o);
	CLI(&o, "quota", "check", "--holder", "dept-health", "--category",
	    "基层专项", "--as", "health_dept");
	REFUSED(&o, "dept-health", "holds no quota in category", "基层专项");
	out_release(&o);
	CLI(&o, "quota", "check", "--holder", "etdz", "--category",
	    "开发区专项", "--as", "city_hr");
	if (OK(&o)) {
		HAS(o.out, "0 of 6 used");
	}
	out_release(&o);
	/* 不限名额另行推荐: uncapped, but never without a justification */
	CLI(&o, "quota", "check", "--holder", "dept-health", "--category",
	    "另行推荐", "--as", "health_dept");
	REFUSED(&o, "justification", "不限名额另行推荐", "requires one");
	out_release(&o);
	CLI(&o, "quota", "check", "--holder", "dept-health", "--category",
	    "另行推荐", "--as", "health_dept", "--justification",
	    justification);
	if (OK(&o)) {
		HAS(o.out, "general.exceptional, uncapped");
	}
	out_release(&o);
	/* usage is live: a rejection frees the seat */
	ACT(y1, "reject", "city_hr", "市级审查：不符合基层专项条件");
	ACT(y2, "report", "yungang_hr", NULL);
	CLI(&o, "quota", "--as", "city_hr", "--format", "csv");
	if (OK(&o)) {
		CHECK_INT(quota_count(o.out, "grassroots.140214", "140214"), 1);
		CHECK_INT(quota_count(o.out, "grassroots", ""), 1);
	}
	out_release(&o);
	FX_FINISH();
}

/* ---- 4. late reports and the recorded extension ---- */

static void
test_round_cli__late_reports_and_extension(void)
{
	int64_t p1, p2, y1, y3;
	struct out o;

	fx_start("2020-12-08 09:00");
	panel_make("pingcheng_hr", "平城区评审组", "local", "1", "expert_sun",
	           (const char *)NULL);
	panel_make("yungang_hr", "云冈区评审组", "local", "1", "expert_qian",
	           (const char *)NULL);
	p1 = enter_pc(__LINE__, "褚明", "综合");
	p2 = enter_pc(__LINE__, "卫东", "综合");
	y1 = enter_yg(__LINE__, "蒋丽", "综合");
	y3 = enter_yg(__LINE__, "沈阳", "综合");
	to_local_notice_at(__LINE__, p1, "pc_clerk", "pingcheng_hr",
	                   "平城区评审组");
	to_local_notice_at(__LINE__, p2, "pc_clerk", "pingcheng_hr",
	                   "平城区评审组");
	to_local_notice_at(__LINE__, y1, "yg_clerk", "yungang_hr",
	                   "云冈区评审组");
	to_local_notice_at(__LINE__, y3, "yg_clerk", "yungang_hr",
	                   "云冈区评审组");
	/* the deadline is the end of 2020-12-15, Beijing time */
	clock_at("2020-12-15 23:59");
	ACT(p1, "report", "pingcheng_hr", NULL);
	clock_at("2020-12-16 00:00");
	ACT_NO(y1, "report", "yungang_hr", NULL,
	       "the deadline for reports to the city has passed",
	       "city HR may extend it for '140214'");
	CLI(&o, "deadline", "extend", "140214", "--until", "2020-12-18",
	    "--reason", "云冈区停电两天", "--as", "yungang_hr");
	REFUSED(&o, "only city HR may extend the deadline");
	out_release(&o);
	CLI(&o, "deadline", "extend", "140214", "--until", "2020-12-14",
	    "--reason", "云冈区停电两天", "--as", "city_hr");
	REFUSED(&o, "until", "after the round's deadline");
	out_release(&o);
	CLI(&o, "deadline", "extend", "140214", "--until", "2020-12-18", "--as",
	    "city_hr");
	REFUSED(&o, "--reason");
	out_release(&o);
	/* only the holder's extension is ever consulted: one for the
	 * employing unit would be recorded and never apply */
	CLI(&o, "deadline", "extend", "140214-e001", "--until", "2020-12-18",
	    "--reason", "云冈区停电两天", "--as", "city_hr");
	REFUSED(&o, "'140214-e001' (employer) does not report to the city");
	out_release(&o);
	CLI(&o, "deadline", "extend", "140214", "--until", "2020-12-18",
	    "--reason", "云冈区停电两天，经局长批准延期", "--as", "city_hr");
	if (OK(&o)) {
		HAS(o.out, "deadline for 140214 extended to 2020-12-18");
	}
	out_release(&o);
	CHECK_INT(desk_db_count(&db, "SELECT count(*) FROM deadline_extension "
	                             "WHERE holder = '140214'"),
	          1);
	clock_at("2020-12-17 10:00");
	ACT(y1, "report", "yungang_hr", NULL);
	/* one holder's extension lets nobody else in */
	ACT_NO(p2, "report", "pingcheng_hr", NULL,
	       "the deadline for reports to the city has passed", "'140213'");
	/* and it ends */
	clock_at("2020-12-19 09:00");
	ACT_NO(y3, "report", "yungang_hr", NULL,
	       "the deadline for reports to the city has passed", "'140214'");
	/* the extension is a recorded act of city HR */
	CLI(&o, "audit", "log", "--as", "auditor", "--actor", "city_hr",
	    "--format", "json");
	if (OK(&o)) {
		HAS(o.out, "\"subject\":\"holder:140214\"");
		HAS(o.out, "deadline for 140214 extended to "
		           "2020-12-18T23:59:59+08:00: "
		           "云冈区停电两天，经局长批准延期");
	}
	out_release(&o);
	FX_FINISH();
}
/* ---- 5. eligibility at each boundary ---- */

struct elig_case {
	const char *birth, *level, *category, *prior, *condition;
	const char *verdict;
	const char *rule, *result, *detail;
};

/* The reference date is the deadline's, 2020-12-15; 以下 includes 50. */
static const struct elig_case elig_cases[] = {
    /* turning 50 the day before, on and after the reference date */
    {"1970-12-14", "正高级", "综合", "无", "4=市级重点项目", "eligible", "H2",
     "pass", "age 50 in full years at 2020-12-15 (born 1970-12-14)"},
    {"1970-12-15", "正高级", "综合", "无", "4=市级重点项目", "eligible", "H2",
     "pass", "age 50 in full years at 2020-12-15 (born 1970-12-15)"},
    {"1970-12-16", "正高级", "综合", "无", "4=市级重点项目", "eligible", "H2",
     "pass", "age 49 in full years at 2020-12-15"},
    /* turning 51: over the limit, which the round lets an override
     * relax (特别优秀的可适当放宽) */
    {"1969-12-14", "正高级", "综合", "无", "4=市级重点项目", "override_needed",
     "H2", "soft_fail",
     "age 51 in full years at 2020-12-15 (born 1969-12-14) is over the "
     "limit"},
    {"1969-12-15", "正高级", "综合", "无", "4=市级重点项目", "override_needed",
     "H2", "soft_fail",
     "age 51 in full years at 2020-12-15 (born 1969-12-15) is over the "
     "limit"},
    {"1969-12-16", "正高级", "综合", "无", "4=市级重点项目", "eligible", "H2",
     "pass", "age 50 in full years at 2020-12-15 (born 1969-12-16)"},
    /* known to the month: the boundary month needs a check */
    {"1969-12", "正高级", "综合", "无", "4=市级重点项目", "override_needed",
     "H2", "soft_fail", "needs check: born in 1969-12 (day not known)"},
    {"1969-11", "正高级", "综合", "无", "4=市级重点项目", "override_needed",
     "H2", "soft_fail", "is over the limit"},
    {"1970-12", "正高级", "综合", "无", "4=市级重点项目", "eligible", "H2",
     "pass", "age 49 to 50 in full years"},
    /* each title level */
    {"1975-03-02", "正高级", "综合", "无", "4=市级重点项目", "eligible", "H1",
     "pass", "正高级 meets the minimum 副高级"},
    {"1975-03-02", "副高级", "综合", "无", "4=市级重点项目", "eligible", "H1",
     "pass", "副高级 meets the minimum 副高级"},
    {"1975-03-02", "中级", "综合", "无", "4=市级重点项目", "ineligible", "H1",
     "fail", "title level 中级 is below the minimum 副高级"},
    {"1975-03-02", "初级", "综合", "无", "4=市级重点项目", "ineligible", "H1",
     "fail", "title level 初级 is below the minimum 副高级"},
    /* prior leaders: excluded, no relaxation */
    {"1975-03-02", "正高级", "综合", "省级", "4=市级重点项目", "ineligible",
     "X1", "fail", "already selected as a provincial"},
    {"1975-03-02", "正高级", "基层专项", "市级", "4=市级重点项目", "ineligible",
     "X1", "fail", "already selected as a city"},
    {"1975-03-02", "正高级", "综合", "无", "4=市级重点项目", "eligible", "X1",
     "pass", "recorded: 无"},
    /* the relaxed categories: soft failures; the others: hard */
    {"1975-03-02", "中级", "基层专项", "无", "4=市级重点项目",
     "override_needed", "H1", "soft_fail", "category 基层专项 may relax it"},
    {"1975-03-02", "中级", "非公专项", "无", "4=市级重点项目",
     "override_needed", "H1", "soft_fail", "category 非公专项 may relax it"},
    {"1975-03-02", "中级", "开发区专项", "无", "4=市级重点项目", "ineligible",
     "H1", "fail", "below the minimum"},
    {"1975-03-02", "正高级", "综合", "无", "4=", "ineligible", "H4", "fail",
     "no qualifying condition claimed"},
    {"1975-03-02", "正高级", "非公专项", "无", "4=", "override_needed", "H4",
     "soft_fail", "category 非公专项 may relax it"},
    {"1969-12-14", "中级", "基层专项", "无", "4=", "override_needed", "H2",
     "soft_fail", "is over the limit"},
};

/* `nominee check ID --format json`: the verdict, and rule's result and
 * detail. */
static void
elig_expect_at(int line, int64_t id, const char *override, const char *verdict,
               const char *rule, const char *result, const char *detail)
{
	char sid[24];
	struct out o;
	json_object *j;
	int found = 0;

	snprintf(sid, sizeof(sid), "%lld", (long long)id);
	if (override) {
		CLI(&o, "nominee", "check", sid, "--as", "pc_clerk", "--format",
		    "json", "--override", override);
	} else {
		CLI(&o, "nominee", "check", sid, "--as", "pc_clerk", "--format",
		    "json");
	}
	if (!ok_at(line, &o) || !(j = json_of(&o))) {
		out_release(&o);
		return;
	}
	if (strcmp(jstr(j, "verdict"), verdict) != 0) {
		test_fail(__FILE__, line, "verdict %s, want %s: %s",
		          jstr(j, "verdict"), verdict, o.out);
	}
	for (size_t i = 0;
	     jarr(j, "rules") && i < json_object_array_length(jarr(j, "rules"));
	     i++) {
		json_object *r = json_object_array_get_idx(jarr(j, "rules"), i);

		if (strcmp(jstr(r, "rule"), rule) != 0) {
			continue;
		}
		found = 1;
		if (strcmp(jstr(r, "result"), result) != 0 ||
		    !strstr(jstr(r, "detail"), detail)) {
			test_fail(__FILE__, line,
			          "%s: %s \"%s\", want %s with \"%s\"", rule,
			          jstr(r, "result"), jstr(r, "detail"), result,
			          detail);
		}
	}
	if (!found) {
		test_fail(__FILE__, line, "no rule %s in %s", rule, o.out);
	}
	json_object_put(j);
	out_release(&o);
}

static void
test_round_cli__eligibility_boundaries(void)
{
	static const char *const relax =
	    "扎根基层二十年，解决全县农村供水难题，特别优秀";
	int64_t e, x, m;
	char sid[24];
	struct out o;

	fx_start("2020-11-02 09:00");
	e = enter_pc(__LINE__, "蒋平", "综合");
	snprintf(sid, sizeof(sid), "%lld", (long long)e);
	for (size_t i = 0; i < sizeof(elig_cases) / sizeof(elig_cases[0]);
	     i++) {
		const struct elig_case *k = &elig_cases[i];

		CLI(&o, "nominee", "edit", sid, "--as", "pc_clerk",
		    "--birth-date", k->birth, "--title-level", k->level,
		    "--quota-category", k->category, "--prior-leader", k->prior,
		    "--condition", k->condition);
		if (!OK(&o)) {
			test_fail(__FILE__, __LINE__, "case %zu", i);
		}
		out_release(&o);
		elig_expect_at(__LINE__, e, NULL, k->verdict, k->rule,
		               k->result, k->detail);
	}
	snprintf(nom_of(e)->category, sizeof(nom_of(e)->category), "%s",
	         elig_cases[sizeof(elig_cases) / sizeof(elig_cases[0]) - 1]
	             .category);

	/* soft failures pass by a recorded justification, and say so */
	elig_expect_at(__LINE__, e, relax, "eligible", "H1", "pass",
	               "passed by override: 扎根基层二十年");
	elig_expect_at(__LINE__, e, relax, "eligible", "H2", "pass",
	               "passed by override");
	elig_expect_at(__LINE__, e, relax, "eligible", "H4", "pass",
	               "passed by override");
	ACT(e, "pledge_paper", "pc_clerk", NULL);
	ACT_NO(e, "unit_review", "pc_clerk", NULL,
	       "needs an override (H1, H2, H4)", "reason");
	ACT(e, "unit_review", "pc_clerk", relax);
	CLI(&o, "audit", "log", "--as", "auditor", "--nominee", sid, "--format",
	    "json");
	if (OK(&o)) {
		HAS(o.out, relax);
	}
	out_release(&o);

	/* a hard rule is not lifted by any justification */
	x = enter_pc(__LINE__, "韩冬", "综合");
	snprintf(sid, sizeof(sid), "%lld", (long long)x);
	CLI(&o, "nominee", "edit", sid, "--as", "pc_clerk", "--prior-leader",
	    "省级");
	OK(&o);
	out_release(&o);
	elig_expect_at(__LINE__, x, relax, "ineligible", "X1", "fail",
	               "no relaxation");
	ACT(x, "pledge_paper", "pc_clerk", NULL);
	ACT_NO(x, "unit_review", "pc_clerk", relax, "not eligible (X1)");

	/* the boundary month is never passed silently */
	m = enter_pc(__LINE__, "杨柳", "综合");
	snprintf(sid, sizeof(sid), "%lld", (long long)m);
	CLI(&o, "nominee", "edit", sid, "--as", "pc_clerk", "--birth-date",
	    "1969-12");
	OK(&o);
	out_release(&o);
	ACT(m, "pledge_paper", "pc_clerk", NULL);
	ACT_NO(m, "unit_review", "pc_clerk", NULL, "needs an override (H2)");
	FX_FINISH();
}

/* ---- 6. import with good and bad rows, export, re-import ---- */

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0) {
		test_fail(__FILE__, __LINE__, "cannot write %s", path);
	}
	if (f) {
		fclose(f);
	}
}

static char *
read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	*len = 0;
	if (!f) {
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
		*len = fread(buf, 1, (size_t)n, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

static void
test_round_cli__import_errors_export_round_trip(void)
{
	char bad[600], good[600], a_csv[600], a_xlsx[600], b_csv[600];
	char m_csv[600], dir1[600], dir2[600], idn[19], wrong[19], text[4096];
	char *a, *b;
	size_t la, lb;
	struct out o;

	fx_start("2020-11-02 09:00");
	snprintf(dir1, sizeof(dir1), "%s", db.data);
	snprintf(bad, sizeof(bad), "%s/bad.csv", test_tmpdir());
	snprintf(good, sizeof(good), "%s/good.csv", test_tmpdir());
	snprintf(a_csv, sizeof(a_csv), "%s/a.csv", test_tmpdir());
	snprintf(a_xlsx, sizeof(a_xlsx), "%s/a.xlsx", test_tmpdir());
	snprintf(b_csv, sizeof(b_csv), "%s/b.csv", test_tmpdir());
	snprintf(m_csv, sizeof(m_csv), "%s/m.csv", test_tmpdir());
	fixture_id_number("19760708", 123, idn);
	snprintf(wrong, sizeof(wrong), "%s", idn);
	wrong[17] = wrong[17] == '0' ? '1' : '0';
	/* line 2 a good record; a record is named by the line it starts
	 * on (3, quoted over two lines), then one bad field per line */
	snprintf(text, sizeof(text),
	         "姓名,性别,出生日期,身份证号,工作单位,专业技术职务,职称级别,"
	         "名额类别,推荐方式,符合条件,已入选带头人,专业或研究方向\n"
	         "李华,男,1978-05-06,,140213-e001,主任医师,正高级,综合,"
	         "单位推荐,4,无,心血管介入治疗\n"
	         "孔亮,男,1977-10-06,,140213-e001,主任医师,正高级,综合,"
	         "单位推荐,4,无,\"神经外科\n微创手术\"\n"
	         "王芳,X,1980-02-03,,140213-e001,副主任医师,副高级,综合,"
	         "单位推荐,4,无,儿科\n"
	         "张伟,男,1981-13-01,,140213-e001,主治医师,副高级,综合,"
	         "单位推荐,4,无,骨科\n"
	         "刘强,男,1976-07-08,%s,140213-e001,主任医师,正高级,综合,"
	         "单位推荐,4,无,外科\n"
	         "陈静,女,1979-09-09,,140214-e001,高级工程师,副高级,综合,"
	         "单位推荐,4,无,新能源\n"
	         "杨洋,男,1982-03-04,,140213-e001,副主任医师,高级,综合,"
	         "单位推荐,4,无,眼科\n"
	         ",女,1983-01-02,,140213-e001,副主任医师,副高级,综合,"
	         "单位推荐,4,无,皮肤科\n"
	         "赵磊,男,1977-04-05,,140213-e001,主任医师,正高级,特殊,"
	         "单位推荐,12,无,口腔\n",
	         wrong);
	write_file(bad, text);
	CLI(&o, "nominee", "import", bad, "--as", "pc_clerk");
	CHECK_INT(o.status, 1);
	{
		static const char *const want[] = {
		    "3:L: Specialty: ",
		    "5:B: Gender: ",
		    "6:C: Birth date: ",
		    "7:D: ID number: check digit",
		    "8:E: Unit: '140214-e001' is not under your unit",
		    "9:G: Title level: ",
		    "10:A: Name: is required",
		    "11:H: Quota category: ",
		    "11:J: Conditions: '12'"};

		for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			char at[96];

			snprintf(at, sizeof(at), "\n%s", want[i]);
			if (strncmp(o.err, want[i], strlen(want[i])) != 0 &&
			    !strstr(o.err, at)) {
				test_fail(__FILE__, __LINE__,
				          "no error \"%s\" in:\n%s", want[i],
				          o.err);
			}
		}
		/* nothing about the good record, and the closing line */
		CHECK(strstr(o.err, "\n2:") == NULL &&
		      strncmp(o.err, "2:", 2) != 0);
		HAS(o.err, "\nnomdesk: 9 problem(s) in the file; nothing was "
		           "imported\n");
	}
	out_release(&o);
	CHECK_INT(desk_db_count(&db, "SELECT count(*) FROM nominee"), 0);

	write_file(good,
	           "name,gender,birth_date,unit,title,title_level,title_date,"
	           "education,degree,system,quota_category,channel,conditions,"
	           "prior_leader,specialty,phone\r\n"
	           "李华,男,1978-05-06,140213-e001,主任医师,正高级,2016-09-01,"
	           "博士研究生,博士,卫生,综合,单位推荐,4、6,无,"
	           "\"心血管介入治疗, 结构性心脏病\",0352-5012345\r\n"
	           "王芳,女,1980-02,140213-e001,副主任医师,副高级,2018-01-01,"
	           "硕士研究生,硕士,卫生,基层专项,个人自荐,9,无,儿科,\r\n"
	           "张伟,男,1981-11-21,平城区中心医院（演示）,主治医师,中级,,"
	           "大学本科,学士,卫生,基层专项,单位推荐,,无,骨科,\r\n");
	CLI(&o, "nominee", "import", good, "--as", "pc_clerk");
	if (OK(&o)) {
		HAS(o.out, "imported 3 nominees (1-3)");
		nom_track(1, "140213-e001", "综合");
		nom_track(2, "140213-e001", "基层专项");
		nom_track(3, "140213-e001", "基层专项");
	}
	out_release(&o);
	CLI(&o, "nominee", "show", "2", "--as", "pc_clerk", "--format", "json");
	if (OK(&o)) {
		HAS(o.out, "\"birth_date\":\"1980-02\"");
		HAS(o.out, "\"channel\":\"个人自荐\"");
	}
	out_release(&o);
	elig_expect_at(__LINE__, 3, NULL, "override_needed", "H1", "soft_fail",
	               "category 基层专项 may relax it");

	CLI(&o, "export", "nominees", "--as", "pc_clerk", "--format", "csv",
	    "-o", a_csv);
	if (OK(&o)) {
		HAS(o.out, "exported 3 rows");
	}
	out_release(&o);
	CLI(&o, "export", "nominees", "--as", "pc_clerk", "--format", "xlsx",
	    "-o", a_xlsx);
	if (OK(&o)) {
		HAS(o.out, "exported 3 rows");
	}
	out_release(&o);
	a = read_all(a_csv, &la);
	CHECK(a && la > 3 && memcmp(a, "\xEF\xBB\xBF", 3) == 0);
	HAS(a, "姓名");
	HAS(a, "\"心血管介入治疗, 结构性心脏病\"");
	free(read_all(a_xlsx, &lb));
	CHECK(lb > 100);

	/* the export, imported elsewhere, exports to the same bytes */
	snprintf(dir2, sizeof(dir2), "%s/data2", test_tmpdir());
	fx_init_dir(dir2);
	CLI(&o, "nominee", "import", a_csv, "--as", "pc_clerk");
	if (OK(&o)) {
		HAS(o.out, "imported 3 nominees (1-3)");
	}
	out_release(&o);
	CLI(&o, "export", "nominees", "--as", "pc_clerk", "--format", "csv",
	    "-o", b_csv);
	OK(&o);
	out_release(&o);
	b = read_all(b_csv, &lb);
	if (!a || !b || la != lb || memcmp(a, b, la) != 0) {
		test_fail(__FILE__, __LINE__,
		          "round trip differs:\n%s\n---\n%s", a ? a : "",
		          b ? b : "");
	}
	free(a);
	free(b);
	CLI(&o, "nominee", "import", a_xlsx, "--as", "pc_clerk", "--dry-run");
	if (OK(&o)) {
		HAS(o.out, "3 rows checked (xlsx");
		HAS(o.out, "all valid");
	}
	out_release(&o);
	CLI(&o, "audit", "verify");
	OK(&o);
	out_release(&o);

	/* lists leave with ID numbers masked: such a file names each */
	memcpy(db.data, dir1, strlen(dir1) + 1);
	CLI(&o, "nominee", "edit", "1", "--as", "pc_clerk", "--id-number", idn);
	OK(&o);
	out_release(&o);
	CLI(&o, "export", "nominees", "--as", "pc_clerk", "--format", "csv",
	    "-o", m_csv);
	OK(&o);
	out_release(&o);
	memcpy(db.data, dir2, strlen(dir2) + 1);
	CLI(&o, "nominee", "import", m_csv, "--as", "pc_clerk", "--dry-run");
	CHECK_INT(o.status, 1);
	HAS(o.err, "2:D: ");
	HAS(o.err, "masked");
	out_release(&o);
	memcpy(db.data, dir1, strlen(dir1) + 1);
	FX_FINISH();
}
static const struct test_case tests_round_cli[] = {
    {"round_cli__every_category_to_confirmation",
     test_round_cli__every_category_to_confirmation},
    {"round_cli__returns_rejections_withdrawal_objections",
     test_round_cli__returns_rejections_withdrawal_objections},
    {"round_cli__quota_refusals_and_exceptional_path",
     test_round_cli__quota_refusals_and_exceptional_path},
    {"round_cli__late_reports_and_extension",
     test_round_cli__late_reports_and_extension},
    {"round_cli__eligibility_boundaries",
     test_round_cli__eligibility_boundaries},
    {"round_cli__import_errors_export_round_trip",
     test_round_cli__import_errors_export_round_trip},
    {NULL, NULL},
};
TEST_REGISTER(tests_round_cli)
