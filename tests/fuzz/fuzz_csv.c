/*
 * libFuzzer target for the CSV importer (core/import.c, core/import_read.c;
 * shared security.md 4a).  Input: arbitrary bytes, imported with --dry-run
 * semantics (core_import_csv(..., dry_run = 1)) by a unit clerk into a
 * temporary data directory made once per process.  Properties, beyond "no
 * crash, no ASan/UBSan report":
 *
 *   - the call returns 0, CORE_EINVAL or CORE_EPERM (a row's unit that
 *     the clerk may not nominate for; never an internal error), and 0
 *     exactly when no problem is listed and at least one row was read;
 *   - every problem names a line, between 1 and the input's line count
 *     (+1 for a last line without its LF), and carries a message;
 *   - a dry run writes nothing: the log's size never changes.
 *
 * Build and run (security.md 4a; the core sources without cli/main.c):
 *   clang-14 -g -O1 -fno-omit-frame-pointer \
 *     -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
 *     -std=c11 -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700 \
 *     -D_DEFAULT_SOURCE -I. -I/usr/include/libxml2 \
 *     tests/fuzz/fuzz_csv.c core/\*.c keys/\*.c build/gen/schema.c \
 *     build/gen/rounds.c -lsqlite3 -lsodium -lutf8proc -ljson-c -lcsv \
 *     -lfreexl -lminizip -lxml2 -lxlsxwriter -lz -lm \
 *     -o build/fuzz/fuzz_csv
 *   build/fuzz/fuzz_csv -max_total_time=30 -timeout=5 -rss_limit_mb=2048 \
 *     -max_len=65536 -artifact_prefix=/tmp/ CORPUS tests/fuzz/corpus/fuzz_csv
 * (CORPUS a scratch directory; tests/fuzz/corpus/fuzz_csv holds the seeds).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct core *clerk;

static int64_t
fixed_clock(void *ctx)
{
	(void)ctx;
	return 1604282400000LL; /* 2020-11-02 10:00 +08:00 */
}

static struct core *
setup(void)
{
	char base[] = "/tmp/nomdesk-fuzz-csv.XXXXXX", dir[600], err[256];
	struct core *c = NULL;

	if (!mkdtemp(base))
		abort();
	snprintf(dir, sizeof(dir), "%s/data", base);
	if (core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) != 0 ||
	    core_open(&c, dir, err, sizeof(err)) != 0 ||
	    core_act_as(c, "pc_clerk") != 0) {
		fprintf(stderr, "fuzz_csv: setup: %s\n", err);
		abort();
	}
	core_set_clock(c, fixed_clock, NULL);
	return c;
}

static size_t
lines(const uint8_t *d, size_t n)
{
	size_t k = 1;

	for (size_t i = 0; i < n; i++)
		if (d[i] == '\n')
			k++;
	return k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_import_report rep;
	struct core_receipt rc;
	size_t max_line = lines(data, size);
	int r;

	if (!clerk)
		clerk = setup();
	r = core_import_csv(clerk, data, size, 1, &rep, &rc);
	if (r != 0 && r != CORE_EINVAL && r != CORE_EPERM) {
		fprintf(stderr, "fuzz_csv: unexpected result %d: %s\n", r,
		        core_errmsg(clerk));
		abort();
	}
	if ((r == 0) !=
	    (rep.n_errors == 0 && rep.n_errors_dropped == 0 && rep.n_rows > 0))
		abort();
	if (rep.n_imported != 0)
		abort();
	for (size_t i = 0; i < rep.n_errors; i++) {
		const struct core_import_error *e = &rep.errors[i];

		if (e->line < 1 || e->line > max_line || !e->message ||
		    !*e->message) {
			fprintf(stderr,
			        "fuzz_csv: error without a line: "
			        "%zu (of %zu): %s\n",
			        e->line, max_line,
			        e->message ? e->message : "(null)");
			abort();
		}
	}
	core_import_report_release(&rep);
	return 0;
}
