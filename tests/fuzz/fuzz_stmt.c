/*
 * libFuzzer harness for the strict parsers of keys/stmt.c.  The property:
 * whatever parses re-encodes to exactly the input (one meaning per byte
 * string), and an entry that parses carries a statement that parses.
 * Each input is also tried behind each domain tag, so the fuzzer does not
 * have to discover the tags before it reaches the fields.
 *
 *   clang -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 \
 *     -fsanitize=fuzzer,address,undefined -I. keys/enc.c keys/stmt.c \
 *     keys/merkle.c keys/signer.c keys/note.c keys/b64.c \
 *     tests/fuzz/fuzz_stmt.c -lsodium -lutf8proc -o /tmp/fuzz_stmt
 *   /tmp/fuzz_stmt -max_len=8192
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keys/keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_same(const struct enc_buf *b, const uint8_t *data, size_t size)
{
	if (b->err || b->len != size || memcmp(b->p, data, size) != 0) {
		abort();
	}
}

static void
fuzz_one(const uint8_t *data, size_t size)
{
	struct stmt s;
	struct entry e;
	struct enc_buf b;

	if (stmt_parse(data, size, &s) == 0) {
		enc_init(&b);
		if (stmt_encode(&s, &b) < 0) {
			abort();
		}
		check_same(&b, data, size);
		enc_release(&b);
	}
	if (entry_parse(data, size, &e) == 0) {
		enc_init(&b);
		if (entry_encode(&e, &b) < 0) {
			abort();
		}
		check_same(&b, data, size);
		enc_release(&b);
		if (stmt_parse(e.stmt, e.stmt_len, &s) < 0) {
			abort();
		}
	}
}

static void
fuzz_tagged(const char *tag, const uint8_t *data, size_t size)
{
	size_t n = strlen(tag);
	uint8_t *p = malloc(n + size + 1);

	if (!p) {
		abort();
	}
	memcpy(p, tag, n);
	if (size > 0) {
		memcpy(p + n, data, size);
	}
	fuzz_one(p, n + size);
	free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_one(data, size);
	fuzz_tagged("nomdesk/statement/v1\n\x01", data, size);
	fuzz_tagged("nomdesk/entry/v1\n", data, size);
	return 0;
}
