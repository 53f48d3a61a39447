/* Shared helpers of the subcommands: opening, errors, output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/core.h"
#include "core/utf8.h"

int
cli_fail_core(struct core *c, int err)
{
	const char *msg = core_errmsg(c);

	return cli_fail("%s", msg && *msg ? msg : core_strerror(err));
}

struct core *
cli_open(const struct cli *cli)
{
	struct core *c = NULL;
	char err[512];

	if (core_open(&c, cli->data_dir, err, sizeof(err)) != 0) {
		cli_fail("%s", err);
		return NULL;
	}
	return c;
}

struct core *
cli_open_as(const struct cli *cli, const char *login)
{
	struct core *c;
	int r;

	if (!login) {
		cli_fail("--as LOGIN is required");
		return NULL;
	}
	if (!(c = cli_open(cli)))
		return NULL;
	if ((r = core_act_as(c, login)) != 0) {
		cli_fail_core(c, r);
		core_close(c);
		return NULL;
	}
	return c;
}

int
cli_parse_format(const char *s, enum cli_format *out)
{
	if (strcmp(s, "text") == 0)
		*out = FMT_TEXT;
	else if (strcmp(s, "csv") == 0)
		*out = FMT_CSV;
	else if (strcmp(s, "json") == 0)
		*out = FMT_JSON;
	else
		return cli_fail("--format: must be text, csv or json, not '%s'",
				s);
	return 0;
}

void
cli_put_text(FILE *f, const char *s)
{
	char buf[4096];

	utf8_sanitize(s, buf, sizeof(buf), 0);
	fputs(buf, f);
}

void
cli_put_csv(FILE *f, const char *s, int last)
{
	char buf[4096];
	const char *p;

	utf8_sanitize(s, buf, sizeof(buf), 1);
	fputc('"', f);
	/* A cell a spreadsheet would evaluate is kept as text. */
	if (strchr("=+-@", buf[0]) && buf[0] != '\0')
		fputc('\'', f);
	for (p = buf; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
	fputs(last ? "\r\n" : ",", f);
}

int
cli_read_secret(char *buf, size_t n)
{
	size_t len;

	if (!fgets(buf, (int)n, stdin))
		return -1;
	len = strlen(buf);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return 0;
}

int
cli_parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (!s || !*s)
		return -1;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v <= 0)
		return -1;
	*id = v;
	return 0;
}
