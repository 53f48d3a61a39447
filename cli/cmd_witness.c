/*
 * nomdesk witness init|add-log|cosign|show: a witness kept in a directory
 * (on a county office's machine or a USB stick), audit-log.md 2.12.
 *
 * `cosign` reads the request from a file or, for "-", stdin, and prints
 * the tlog-witness response (our cosignature line); with -o FILE it also
 * writes the whole cosigned checkpoint there, and with -o - it prints
 * that instead of the line, which is what the log host keeps (`nomdesk
 * audit cosign`, or `witness-submit` over SSH):
 *
 *     nomdesk witness cosign W - -o - < request > cosigned
 *
 * Exit status: 0 success; 1 refused (unknown log, bad signature, stale
 * request: nothing kept); 2 usage; 3 FORK (both signed checkpoints kept
 * in DIR/evidence).
 */
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/core.h"

/* One struct for the four subcommands; each array names its own. */
struct wopts {
	const char *name, *origin, *key, *checkpoint, *proof, *out;
};

#define W_ORIGIN(h) OPT_STRING("origin", 0, struct wopts, origin, "ORIGIN", h)
#define W_LOG_KEY(h) OPT_STRING("log-key", 0, struct wopts, key, "BASE64", h)

static const struct opt init_opts[] = {
	OPT_STRING_REQ("name", 0, struct wopts, name, "NAME",
		       "the witness's name in its cosignatures"),
	W_ORIGIN("a log to trust from the start (with --log-key)"),
	W_LOG_KEY("that log's key"),
	OPT_END(),
};

static const struct opt add_log_opts[] = {
	OPT_STRING_REQ("origin", 0, struct wopts, origin, "ORIGIN",
		       "the log's origin line"),
	OPT_STRING_REQ("log-key", 0, struct wopts, key, "BASE64",
		       "the log's key"),
	OPT_END(),
};

static const struct opt cosign_opts[] = {
	OPT_STRING("checkpoint", 0, struct wopts, checkpoint, "FILE",
		   "a checkpoint instead of a REQUEST"),
	OPT_STRING("proof", 0, struct wopts, proof, "FILE",
		   "its consistency proof"),
	OPT_STRING("out", 'o', struct wopts, out, "FILE|-",
		   "also write the cosigned checkpoint (- instead of the line)"),
	OPT_END(),
};

static const struct opt show_opts[] = {
	W_ORIGIN("also the newest checkpoint of this log"),
	OPT_END(),
};

static int
add_log(const char *dir, const struct wopts *w)
{
	uint8_t pk[32];
	char err[512];

	if (cli_parse_pubkey(w->key, pk) != 0) {
		return cli_fail("--log-key: not the base64 of a 32-byte "
				"Ed25519 key");
	}
	if (core_witness_add_log(dir, w->origin, pk, err, sizeof(err)) != 0) {
		return cli_fail("%s", err);
	}
	printf("witness %s trusts the log %s with key %s\n(a second key for "
	       "the same log is its rotated key: both are trusted)\n",
	       dir, w->origin, w->key);
	return 0;
}

static int
do_add_log(struct cli_run *run)
{
	return add_log(run->argv[0], run->opts);
}

static int
do_init(struct cli_run *run)
{
	const char *dir = run->argv[0];
	const struct wopts *w = run->opts;
	char err[512], name[128], vkey[256];

	if (!w->origin != !w->key) {
		cli_fail("witness init: --origin and --log-key go together");
		return 2;
	}
	if (core_witness_init(dir, w->name, err, sizeof(err)) != 0) {
		return cli_fail("%s", err);
	}
	if (core_witness_info(dir, name, sizeof(name), vkey, sizeof(vkey), err,
			      sizeof(err)) != 0) {
		return cli_fail("%s", err);
	}
	printf("witness created in %s\n  name  %s\n  key   %s\n"
	       "Give the key (the whole line) to auditors; keep %s/witness.key "
	       "safe.\n",
	       dir, name, vkey, dir);
	return w->origin ? add_log(dir, w) : 0;
}

/* The request text: a request file, or --proof + --checkpoint. */
static char *
request_text(struct cli_run *run, size_t *len)
{
	const struct wopts *w = run->opts;
	char *cp, *pf = NULL, *req;
	size_t cl, pl = 0;

	if (w->checkpoint) {
		if (!(cp = cli_read_file(w->checkpoint, 65536, &cl))) {
			return NULL;
		}
		if (w->proof && !(pf = cli_read_file(w->proof, 65536, &pl))) {
			free(cp);
			return NULL;
		}
		/* "old N" and proof lines, a blank line, the checkpoint. */
		req = malloc(pl + cl + 16);
		if (req) {
			if (pf) {
				while (pl > 0 && pf[pl - 1] == '\n') {
					pl--;
				}
				memcpy(req, pf, pl);
				memcpy(req + pl, "\n\n", 2);
				pl += 2;
			} else {
				memcpy(req, "old 0\n\n", 7);
				pl = 7;
			}
			memcpy(req + pl, cp, cl);
			*len = pl + cl;
			req[*len] = '\0';
		}
		free(cp);
		free(pf);
		return req;
	}
	return cli_read_file(run->argv[1], 1 << 20, len);
}

static int
do_cosign(struct cli_run *run)
{
	const char *dir = run->argv[0];
	const struct wopts *w = run->opts;
	struct core_witness_result res;
	char err[1024], *req, *state;
	size_t len, sl;
	int r;

	if ((run->argc == 2) == (w->checkpoint != NULL) ||
	    (w->proof && !w->checkpoint)) {
		cli_fail("witness cosign: give REQUEST, or --checkpoint FILE "
			 "[--proof FILE]");
		return 2;
	}
	if (!(req = request_text(run, &len))) {
		return cli_fail("cannot read the request");
	}
	r = core_witness_cosign(dir, req, len, (int64_t)time(NULL), &res, err,
				sizeof(err));
	free(req);
	if (r == CORE_ECORRUPT && res.evidence[0]) {
		fprintf(stderr, "nomdesk: ");
		cli_put_text(stderr, err);
		fputc('\n', stderr);
		return 3;
	}
	if (r != 0) {
		return cli_fail("%s", err);
	}
	if (w->out && strcmp(w->out, "-") == 0) {
		/* The whole cosigned checkpoint instead of the line. */
		if (!(state = cli_read_file(res.state, 65536, &sl)) ||
		    fwrite(state, 1, sl, stdout) != sl || fflush(stdout) != 0) {
			free(state);
			return cli_fail("cannot read back '%s'", res.state);
		}
		free(state);
		fprintf(stderr, "witness: %s now at size %" PRIu64
				" (was %" PRIu64 ")\n",
			res.origin, res.size, res.old_size);
		return 0;
	}
	if (w->out) {
		int fd = open(w->out, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW,
			      0644);
		FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

		state = f ? cli_read_file(res.state, 65536, &sl) : NULL;
		if (!state || fwrite(state, 1, sl, f) != sl) {
			free(state);
			if (f) {
				fclose(f);
			}
			return cli_fail("cannot write '%s'", w->out);
		}
		free(state);
		if (fclose(f) != 0) {
			return cli_fail("cannot write '%s'", w->out);
		}
	}
	/* The tlog-witness response body: our cosignature line. */
	fputs(res.cosig, stdout);
	fprintf(stderr, "witness: %s now at size %" PRIu64 " (was %" PRIu64
			"); state %s\n",
		res.origin, res.size, res.old_size, res.state);
	return 0;
}

static int
do_show(struct cli_run *run)
{
	const char *dir = run->argv[0];
	const struct wopts *w = run->opts;
	char err[512], name[128], vkey[256], path[4096], *note;
	size_t len;

	if (core_witness_info(dir, name, sizeof(name), vkey, sizeof(vkey), err,
			      sizeof(err)) != 0) {
		return cli_fail("%s", err);
	}
	printf("name  %s\nkey   %s\n", name, vkey);
	if (!w->origin) {
		return 0;
	}
	core_witness_state_path(dir, w->origin, path, sizeof(path));
	if (!(note = cli_read_file(path, 65536, &len))) {
		printf("no checkpoint of %s yet\n", w->origin);
		return 0;
	}
	printf("latest checkpoint of %s (%s):\n", w->origin, path);
	fputs(note, stdout);
	free(note);
	return 0;
}

static const struct cli_cmd witness_init_cmd = {
	.name = "init",
	.operands = "DIR",
	.min_args = 1,
	.max_args = 1,
	.opts = CLI_OPTS(init_opts, struct wopts),
	.run = do_init,
	.help = "create a witness in DIR",
	.usage_status = 2,
};

static const struct cli_cmd witness_add_log_cmd = {
	.name = "add-log",
	.operands = "DIR",
	.min_args = 1,
	.max_args = 1,
	.opts = CLI_OPTS(add_log_opts, struct wopts),
	.run = do_add_log,
	.help = "trust a log's key (a second one: its rotated key)",
	.usage_status = 2,
};

static const struct cli_cmd witness_cosign_cmd = {
	.name = "cosign",
	.operands = "DIR [REQUEST|-]",
	.min_args = 1,
	.max_args = 2,
	.opts = CLI_OPTS(cosign_opts, struct wopts),
	.run = do_cosign,
	.help = "cosign a checkpoint given a consistency proof",
	.usage_status = 2,
};

static const struct cli_cmd witness_show_cmd = {
	.name = "show",
	.operands = "DIR",
	.min_args = 1,
	.max_args = 1,
	.opts = CLI_OPTS(show_opts, struct wopts),
	.run = do_show,
	.help = "the witness's name and key",
	.usage_status = 2,
};

static const struct cli_cmd *const witness_cmds[] = {
	&witness_init_cmd,
	&witness_add_log_cmd,
	&witness_cosign_cmd,
	&witness_show_cmd,
	NULL,
};

const struct cli_cmd cli_cmd_witness = {
	.name = "witness",
	.sub = witness_cmds,
	.usage_status = 2,
};
