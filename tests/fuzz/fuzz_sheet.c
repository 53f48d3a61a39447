/*
 * libFuzzer target for the spreadsheet readers (core/import_read.c:
 * .xls through freexl, .xlsx through minizip and libxml2) behind the
 * importer (core/import.c, core_import_file; shared security.md 4a).
 * The input is written to a scratch file and imported with --dry-run
 * semantics by a unit clerk into a data directory made once per process.
 * Three shapes of input:
 *
 *   - starting "PK\3\4": an .xlsx file as is (the zip layer);
 *   - starting with the OLE2 magic D0 CF 11 E0 A1 B1 1A E1: an .xls;
 *   - anything else: the XML parts of an .xlsx, separated by the line
 *     "--part--" in the order xl/workbook.xml, xl/_rels/workbook.xml.rels,
 *     xl/sharedStrings.xml, xl/worksheets/sheet1.xml (a part left out is
 *     absent from the zip), zipped here without compression, so that the
 *     fuzzer mutates the XML rather than deflate streams.
 *
 * Properties, beyond "no crash, no ASan/UBSan report, no leak":
 *   - the call returns 0, CORE_EINVAL or CORE_EPERM (never an internal
 *     error), and 0 exactly when no problem is listed and at least one
 *     row was read;
 *   - the report names the format the first bytes say ("xls" for OLE2,
 *     "xlsx" for a zip with an entry);
 *   - every problem names a row (>= 1) and carries a message;
 *   - a dry run imports nothing.
 *
 * Seeds: tests/fuzz/corpus/fuzz_sheet (tests/fixtures/nominees.xls, a
 * two-row export of `nomdesk export nominees --format xlsx`, and its
 * parts); scripts/fuzz.sh runs it with fuzz_sheet.dict.
 */
#include <minizip/zip.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SEP "\n--part--\n"

static const char *const part_names[] = {
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/sharedStrings.xml",
    "xl/worksheets/sheet1.xml",
};

static struct core *clerk;
static char scratch[600];

static int64_t
fixed_clock(void *ctx)
{
	(void)ctx;
	return 1604282400000LL; /* 2020-11-02 10:00 +08:00 */
}

static void
setup(void)
{
	char base[] = "/tmp/nomdesk-fuzz-sheet.XXXXXX", dir[600], err[256];

	if (!mkdtemp(base)) {
		abort();
	}
	snprintf(dir, sizeof(dir), "%s/data", base);
	if (core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) != 0 ||
	    core_open(&clerk, dir, err, sizeof(err)) != 0 ||
	    core_act_as(clerk, "pc_clerk") != 0) {
		fprintf(stderr, "fuzz_sheet: setup: %s\n", err);
		abort();
	}
	core_set_clock(clerk, fixed_clock, NULL);
	/* tmpfs when there is one: the file is rewritten every run */
	if (access("/dev/shm", W_OK) == 0) {
		snprintf(scratch, sizeof(scratch),
			 "/dev/shm/nomdesk-fuzz-sheet.%ld", (long)getpid());
	} else {
		snprintf(scratch, sizeof(scratch), "%s/input", base);
	}
}

static void
write_raw(const uint8_t *data, size_t size)
{
	FILE *f = fopen(scratch, "wb");

	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f)) {
		abort();
	}
}

/* The parts of data (split at SEP) as a stored zip; the number of
 * entries written (0: an empty zip, which is not "PK\3\4"). */
static int
write_parts(const uint8_t *data, size_t size)
{
	zipFile z = zipOpen64(scratch, APPEND_STATUS_CREATE);
	const char *p = (const char *)data, *end = p + size;
	int n_written = 0;

	if (!z) {
		abort();
	}
	for (size_t i = 0; i < sizeof(part_names) / sizeof(part_names[0]);
	     i++) {
		const char *q = p;
		size_t n;

		/* memmem is not in C11: a plain scan */
		while (q + strlen(SEP) <= end &&
		       memcmp(q, SEP, strlen(SEP)) != 0) {
			q++;
		}
		if (q + strlen(SEP) > end) {
			q = end;
		}
		n = (size_t)(q - p);
		if (n > 0) {
			if (zipOpenNewFileInZip(z, part_names[i], NULL, NULL,
						0, NULL, 0, NULL, 0,
						0) != ZIP_OK ||
			    zipWriteInFileInZip(z, p, (unsigned)n) != ZIP_OK ||
			    zipCloseFileInZip(z) != ZIP_OK) {
				abort();
			}
			n_written++;
		}
		if (q == end) {
			break;
		}
		p = q + strlen(SEP);
	}
	if (zipClose(z, NULL) != ZIP_OK) {
		abort();
	}
	return n_written;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t ole[8] = {0xD0, 0xCF, 0x11, 0xE0,
				       0xA1, 0xB1, 0x1A, 0xE1};
	struct core_import_report rep;
	struct core_receipt rc;
	const char *want;
	int r;

	if (!clerk) {
		setup();
	}
	if (size >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
		write_raw(data, size);
		want = "xlsx";
	} else if (size >= 8 && memcmp(data, ole, 8) == 0) {
		write_raw(data, size);
		want = "xls";
	} else {
		/* an empty zip has no local header: CSV by its bytes */
		want = write_parts(data, size) > 0 ? "xlsx" : "csv";
	}
	r = core_import_file(clerk, scratch, 1, &rep, &rc);
	unlink(scratch); /* libFuzzer leaves with _Exit: no atexit */
	if (r != 0 && r != CORE_EINVAL && r != CORE_EPERM) {
		fprintf(stderr, "fuzz_sheet: unexpected result %d: %s\n", r,
			core_errmsg(clerk));
		abort();
	}
	if ((r == 0) != (rep.n_errors == 0 && rep.n_errors_dropped == 0 &&
			 rep.n_rows > 0)) {
		fprintf(stderr, "fuzz_sheet: result %d with %zu problem(s), "
				"%zu row(s)\n",
			r, rep.n_errors, rep.n_rows);
		abort();
	}
	if (strcmp(rep.format, want) != 0) {
		fprintf(stderr, "fuzz_sheet: format \"%s\", want \"%s\"\n",
			rep.format, want);
		abort();
	}
	if (rep.n_imported != 0) {
		abort();
	}
	for (size_t i = 0; i < rep.n_errors; i++) {
		const struct core_import_error *e = &rep.errors[i];

		if (e->line < 1 || !e->message || !*e->message) {
			fprintf(stderr,
				"fuzz_sheet: a problem without a row: "
				"%zu: %s\n",
				e->line, e->message ? e->message : "(null)");
			abort();
		}
	}
	core_import_report_release(&rep);
	return 0;
}
