/*
 * nomdesk user key init|rotate|revoke|show LOGIN: personal signing keys at
 * the console (the person types their own signing passphrase here; the
 * operator who checked their identity answers for the enrolment).
 *
 * Passphrases are read without echo from the terminal, or one per line
 * from stdin with --passphrase-stdin, byte by byte with read(2) so no
 * stdio buffer keeps a copy, into sodium_malloc memory that is wiped.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/core.h"

#define PASS_BUF CLI_SECRET_SIZE

void
cli_no_core_dumps(void)
{
	/* A passphrase typed into this process must not end up in a core
	 * file.  Not under AddressSanitizer: LeakSanitizer needs ptrace,
	 * which a non-dumpable process refuses. */
#if !defined(__SANITIZE_ADDRESS__)
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

char *
cli_secret_new(void)
{
	char *p;

	if (sodium_init() < 0) {
		return NULL;
	}
	if ((p = sodium_malloc(PASS_BUF)) != NULL) {
		memset(p, 0, PASS_BUF);
	}
	return p;
}

void
cli_secret_free(char *p)
{
	sodium_free(p); /* wipes */
}

/* One line from fd into buf (at most n - 1 bytes); 0, or -1 on EOF before
 * any byte, a read error or a line too long. */
static int
read_line_fd(int fd, char *buf, size_t n)
{
	size_t len = 0;
	char ch;

	for (;;) {
		ssize_t k = read(fd, &ch, 1);

		if (k < 0 && errno == EINTR) {
			continue;
		}
		if (k < 0) {
			return -1;
		}
		if (k == 0) {
			if (len == 0) {
				return -1;
			}
			break;
		}
		if (ch == '\n') {
			break;
		}
		if (len + 1 >= n) {
			return -1;
		}
		buf[len++] = ch;
	}
	while (len > 0 && buf[len - 1] == '\r') {
		len--;
	}
	buf[len] = '\0';
	return 0;
}

int
cli_read_passphrase(const char *prompt, char *buf, size_t n, int from_stdin)
{
	struct termios old, quiet;
	int fd, r;

	if (from_stdin) {
		return read_line_fd(0, buf, n);
	}
	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)) < 0) {
		return -1;
	}
	if (tcgetattr(fd, &old) != 0) {
		close(fd);
		return -1;
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	if (write(fd, prompt, strlen(prompt)) < 0 ||
	    tcsetattr(fd, TCSAFLUSH, &quiet) != 0) {
		close(fd);
		return -1;
	}
	r = read_line_fd(fd, buf, n);
	(void)tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* only cosmetic: the newline the user typed was not echoed */
	}
	close(fd);
	return r;
}

/* Reads a new passphrase twice (they must match). */
static int
read_new(char *a, char *b, int from_stdin, const char *who)
{
	char prompt[128];

	snprintf(prompt, sizeof(prompt),
		 "new signing passphrase for %s (签名口令): ", who);
	if (cli_read_passphrase(prompt, a, PASS_BUF, from_stdin) != 0) {
		return cli_fail("no passphrase read%s",
				from_stdin ? " on stdin"
					   : " (no terminal: use "
					     "--passphrase-stdin)");
	}
	if (cli_read_passphrase("again: ", b, PASS_BUF, from_stdin) != 0) {
		return cli_fail("the passphrase must be given twice");
	}
	if (strcmp(a, b) != 0) {
		return cli_fail("the two passphrases differ; nothing changed");
	}
	return 0;
}

static void
print_receipt(const char *what, const char *login,
	      const struct core_receipt *rc)
{
	printf("%s for %s (entry %llu, checkpoint %llu %s)\n", what, login,
	       (unsigned long long)rc->seq,
	       (unsigned long long)rc->tree_size, rc->root);
}

/* The passphrases live here, in main's guarded memory (cli_run.opts). */
struct key_new_opts {
	int passphrase_stdin;
	char old[PASS_BUF], a[PASS_BUF], b[PASS_BUF];
};

static const struct opt key_new_opts[] = {
	OPT_FLAG("passphrase-stdin", 0, struct key_new_opts, passphrase_stdin,
		 "read the passphrases from stdin, one a line"),
	OPT_END(),
};

/*
 * The prepare step: the current passphrase when rotating, the new one
 * twice, before the data directory opens, so a typo costs no open and a
 * process waiting at the prompt holds no database handle.
 */
static int
key_read_all(struct cli_run *run, int rotate)
{
	struct key_new_opts *o = run->opts;
	const char *login = run->argv[0];
	char prompt[128];

	cli_no_core_dumps();
	if (rotate) {
		snprintf(prompt, sizeof(prompt),
			 "current signing passphrase for %s: ", login);
		if (cli_read_passphrase(prompt, o->old, PASS_BUF,
					o->passphrase_stdin) != 0) {
			return cli_fail("no passphrase read");
		}
	}
	return read_new(o->a, o->b, o->passphrase_stdin, login);
}

static int
key_read_init(struct cli_run *run)
{
	return key_read_all(run, 0);
}

static int
key_read_rotate(struct cli_run *run)
{
	return key_read_all(run, 1);
}

static int
key_init_or_rotate(struct cli_run *run, int rotate)
{
	const struct key_new_opts *o = run->opts;
	const char *login = run->argv[0];
	struct core_receipt rc;
	int r;

	r = rotate ? core_key_rotate(run->c, login, o->old, o->a, &rc)
		   : core_key_enroll(run->c, login, o->a, &rc);
	if (r != 0) {
		return cli_fail_core(run->c, r);
	}
	print_receipt(rotate ? "signing key rotated" : "signing key created",
		      login, &rc);
	return 0;
}

static int
key_init(struct cli_run *run)
{
	return key_init_or_rotate(run, 0);
}

static int
key_rotate(struct cli_run *run)
{
	return key_init_or_rotate(run, 1);
}

struct key_revoke_opts {
	const char *reason;
};

static const struct opt key_revoke_opts[] = {
	OPT_STRING_REQ("reason", 0, struct key_revoke_opts, reason, "TEXT",
		       "left post, lost passphrase, suspected compromise..."),
	OPT_END(),
};

static int
key_revoke(struct cli_run *run)
{
	const struct key_revoke_opts *o = run->opts;
	struct core_receipt rc;
	int r;

	if ((r = core_key_revoke(run->c, run->argv[0], o->reason, &rc)) != 0) {
		return cli_fail_core(run->c, r);
	}
	print_receipt("signing key revoked", run->argv[0], &rc);
	return 0;
}

static int
key_show(struct cli_run *run)
{
	const char *login = run->argv[0];
	struct core_key_info ki;
	int r;

	if ((r = core_key_info(run->c, login, &ki)) != 0) {
		return cli_fail_core(run->c, r);
	}
	if (!ki.enrolled) {
		printf("%s: no signing key\n", login);
	} else {
		printf("%s: signing key %s\n  ed25519 %s\n  registered at "
		       "entry %llu\n  Argon2id %llu passes, %llu MiB\n",
		       login, ki.key_id_hex, ki.public_b64,
		       (unsigned long long)ki.enrolled_seq,
		       (unsigned long long)ki.opslimit,
		       (unsigned long long)(ki.memlimit >> 20));
	}
	if (ki.failed) {
		printf("  %d failed unlock(s) in a row\n", ki.failed);
	}
	if (ki.locked_until_ms > (int64_t)time(NULL) * 1000) {
		printf("  unlocking locked for now\n");
	}
	return 0;
}

/* The console operator (the operating system's user) runs them all. */
#define KEY_CMD(cname, pre, fn, o, h)                                      \
	{                                                                  \
		.name = (cname), .operands = "LOGIN", .min_args = 1,       \
		.max_args = 1, .opts = o,                                  \
		.flags = CLI_NEEDS_DATA | CLI_CONSOLE, .prepare = (pre),   \
		.run = (fn), .help = (h),                                  \
	}

static const struct cli_cmd key_init_cmd = KEY_CMD(
	"init", key_read_init, key_init,
	CLI_OPTS(key_new_opts, struct key_new_opts),
	"create LOGIN's signing key");
static const struct cli_cmd key_rotate_cmd = KEY_CMD(
	"rotate", key_read_rotate, key_rotate,
	CLI_OPTS(key_new_opts, struct key_new_opts),
	"replace LOGIN's signing key");
static const struct cli_cmd key_revoke_cmd = KEY_CMD(
	"revoke", NULL, key_revoke,
	CLI_OPTS(key_revoke_opts, struct key_revoke_opts),
	"revoke LOGIN's signing key");
static const struct cli_cmd key_show_cmd =
	KEY_CMD("show", NULL, key_show, NULL, "show LOGIN's signing key");

static const struct cli_cmd *const key_cmds[] = {
	&key_init_cmd,
	&key_rotate_cmd,
	&key_revoke_cmd,
	&key_show_cmd,
	NULL,
};

const struct cli_cmd cli_cmd_user_key = {.name = "key", .sub = key_cmds};

int
cli_unlock_for_act(struct core *c, const char *login, const char *what,
		   int from_stdin)
{
	char prompt[128], *pass;
	int r;

	cli_no_core_dumps();
	if (!(pass = cli_secret_new())) {
		return cli_fail("out of memory");
	}
	snprintf(prompt, sizeof(prompt),
		 "signing passphrase for %s (签名口令): ", login);
	if (cli_read_passphrase(prompt, pass, CLI_SECRET_SIZE, from_stdin) !=
	    0) {
		cli_secret_free(pass);
		return cli_fail("%s: a signed act needs your signing "
				"passphrase%s",
				what,
				from_stdin ? " on stdin"
					   : " (no terminal: use "
					     "--passphrase-stdin)");
	}
	r = core_key_unlock(c, pass, 0); /* this one act */
	cli_secret_free(pass);
	return r != 0 ? cli_fail_core(c, r) : 0;
}
