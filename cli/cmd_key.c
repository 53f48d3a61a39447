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
#include <getopt.h>
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

	if (sodium_init() < 0)
		return NULL;
	if ((p = sodium_malloc(PASS_BUF)) != NULL)
		memset(p, 0, PASS_BUF);
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

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0) {
			if (len == 0)
				return -1;
			break;
		}
		if (ch == '\n')
			break;
		if (len + 1 >= n)
			return -1;
		buf[len++] = ch;
	}
	while (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	return 0;
}

int
cli_read_passphrase(const char *prompt, char *buf, size_t n, int from_stdin)
{
	struct termios old, quiet;
	int fd, r;

	if (from_stdin)
		return read_line_fd(0, buf, n);
	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)) < 0)
		return -1;
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

static int
usage(void)
{
	return cli_fail("usage: nomdesk user key init|rotate LOGIN "
			"[--passphrase-stdin]\n"
			"       nomdesk user key revoke LOGIN --reason TEXT\n"
			"       nomdesk user key show LOGIN");
}

static struct core *
open_console(const struct cli *cli)
{
	struct passwd *pw = getpwuid(getuid());
	struct core *c = cli_open(cli);

	if (c)
		core_act_as_system(c, pw ? pw->pw_name : "?");
	return c;
}

/* Reads a new passphrase twice (they must match). */
static int
read_new(char *a, char *b, int from_stdin, const char *who)
{
	char prompt[128];

	snprintf(prompt, sizeof(prompt),
		 "new signing passphrase for %s (签名口令): ", who);
	if (cli_read_passphrase(prompt, a, PASS_BUF, from_stdin) != 0)
		return cli_fail("no passphrase read%s",
				from_stdin ? " on stdin"
					   : " (no terminal: use "
					     "--passphrase-stdin)");
	if (cli_read_passphrase("again: ", b, PASS_BUF, from_stdin) != 0)
		return cli_fail("the passphrase must be given twice");
	if (strcmp(a, b) != 0)
		return cli_fail("the two passphrases differ; nothing changed");
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

static int
key_init_or_rotate(struct cli *cli, int rotate, int argc, char **argv)
{
	static const struct option opts[] = {
		{"passphrase-stdin", no_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	char *old = NULL, *a = NULL, *b = NULL;
	struct core_receipt rc;
	struct core *c = NULL;
	const char *login;
	int from_stdin = 0, ch, r = 1;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'p')
			return usage();
		from_stdin = 1;
	}
	if (optind + 1 != argc)
		return usage();
	login = argv[optind];
	cli_no_core_dumps();
	old = cli_secret_new();
	a = cli_secret_new();
	b = cli_secret_new();
	if (!old || !a || !b) {
		r = cli_fail("out of memory");
		goto out;
	}
	if (rotate) {
		char prompt[128];

		snprintf(prompt, sizeof(prompt),
			 "current signing passphrase for %s: ", login);
		if (cli_read_passphrase(prompt, old, PASS_BUF, from_stdin) !=
		    0) {
			r = cli_fail("no passphrase read");
			goto out;
		}
	}
	if ((r = read_new(a, b, from_stdin, login)) != 0)
		goto out;
	if (!(c = open_console(cli))) {
		r = 1;
		goto out;
	}
	r = rotate ? core_key_rotate(c, login, old, a, &rc)
		   : core_key_enroll(c, login, a, &rc);
	if (r != 0) {
		r = cli_fail_core(c, r);
		goto out;
	}
	print_receipt(rotate ? "signing key rotated" : "signing key created",
		      login, &rc);
	r = 0;
out:
	core_close(c);
	cli_secret_free(b);
	cli_secret_free(a);
	cli_secret_free(old);
	return r;
}

static int
key_revoke(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"reason", required_argument, NULL, 'r'},
		{NULL, 0, NULL, 0},
	};
	const char *reason = NULL;
	struct core_receipt rc;
	struct core *c;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'r')
			return usage();
		reason = optarg;
	}
	if (optind + 1 != argc || !reason)
		return cli_fail("usage: nomdesk user key revoke LOGIN --reason "
				"TEXT (left post, lost passphrase, suspected "
				"compromise...)");
	if (!(c = open_console(cli)))
		return 1;
	if ((r = core_key_revoke(c, argv[optind], reason, &rc)) != 0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	core_close(c);
	print_receipt("signing key revoked", argv[optind], &rc);
	return 0;
}

static int
key_show(struct cli *cli, int argc, char **argv)
{
	struct core_key_info ki;
	struct core *c;
	int r;

	if (argc != 2)
		return usage();
	if (!(c = open_console(cli)))
		return 1;
	if ((r = core_key_info(c, argv[1], &ki)) != 0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	core_close(c);
	if (!ki.enrolled) {
		printf("%s: no signing key\n", argv[1]);
	} else {
		printf("%s: signing key %s\n  ed25519 %s\n  registered at "
		       "entry %llu\n  Argon2id %llu passes, %llu MiB\n",
		       argv[1], ki.key_id_hex, ki.public_b64,
		       (unsigned long long)ki.enrolled_seq,
		       (unsigned long long)ki.opslimit,
		       (unsigned long long)(ki.memlimit >> 20));
	}
	if (ki.failed)
		printf("  %d failed unlock(s) in a row\n", ki.failed);
	if (ki.locked_until_ms > (int64_t)time(NULL) * 1000)
		printf("  unlocking locked for now\n");
	return 0;
}

int
cmd_user_key(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "init") == 0)
		return key_init_or_rotate(cli, 0, argc - 1, argv + 1);
	if (strcmp(argv[1], "rotate") == 0)
		return key_init_or_rotate(cli, 1, argc - 1, argv + 1);
	if (strcmp(argv[1], "revoke") == 0)
		return key_revoke(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return key_show(cli, argc - 1, argv + 1);
	return usage();
}

int
cli_unlock_for_act(struct core *c, const char *login, const char *what,
		   int from_stdin)
{
	char prompt[128], *pass;
	int r;

	cli_no_core_dumps();
	if (!(pass = cli_secret_new()))
		return cli_fail("out of memory");
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
