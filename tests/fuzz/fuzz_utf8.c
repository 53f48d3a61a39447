/*
 * libFuzzer target for core/utf8.c (docs/SECURITY.md "Text", shared
 * security.md 3.3 and 4a).  Input: arbitrary bytes.  Properties, beyond
 * "no crash, no ASan/UBSan report":
 *
 *   sanitize  output is valid UTF-8 and NUL-terminated; no byte < 0x20
 *             except LF when keep_lf; no DEL, no C1, no bidi control, no
 *             zero-width/invisible code point (an oracle list written
 *             independently of utf8.c); idempotent: s(s(x)) == s(x).
 *   check     anything utf8_check() accepts, sanitize leaves unchanged.
 *   normalize output is valid UTF-8; normalize is idempotent.
 *   fit       output is a prefix of the input (plus "~" when cut) and
 *             never wider than the columns asked for.
 *
 * Build and run (see security.md 4a):
 *   clang-14 -g -O1 -fno-omit-frame-pointer \
 *     -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
 *     -std=c11 -D_DEFAULT_SOURCE -I. tests/fuzz/fuzz_utf8.c core/utf8.c \
 *     -lutf8proc -o build/fuzz/fuzz_utf8
 *   build/fuzz/fuzz_utf8 -max_total_time=30 -max_len=4096
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Code points the display must never pass through (3.3 rules 2-5). */
static int
forbidden(uint32_t cp, int keep_lf)
{
	if (cp == '\n') {
		return !keep_lf;
	}
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
		return 1;
	}
	if (cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	    (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
		return 1;
	}
	/* U+180B-180F: Mongolian free variation selectors and vowel
	 * separator; U+E0100-E01EF: variation selectors supplement. */
	if ((cp >= 0x200B && cp <= 0x200D) || (cp >= 0x2060 && cp <= 0x2064) ||
	    cp == 0xFEFF || cp == 0x00AD || (cp >= 0x180B && cp <= 0x180F) ||
	    (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) ||
	    (cp >= 0xE0000 && cp <= 0xE007F)) {
		return 1;
	}
	if (cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0) {
		return 1;
	}
	if ((cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000) {
		return 1;
	}
	if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
		return 1;
	}
	return 0;
}

/* Independent strict validator: returns 0 if s is valid UTF-8. */
static int
valid_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n, k;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 2;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 3;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 4;
			cp = c & 0x07;
		} else {
			return -1;
		}
		if (i + n > len) {
			return -1;
		}
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80) {
				return -1;
			}
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
			return -1;
		}
		i += n;
	}
	return 0;
}

static void
check_display_safe(const char *s, int keep_lf)
{
	size_t len = strlen(s), i = 0;
	uint32_t cp;
	int n;

	if (valid_utf8((const unsigned char *)s, len) != 0) {
		abort();
	}
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n < 0 || forbidden(cp, keep_lf)) {
			abort();
		}
		i += (size_t)n;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* worst case growth: 8 bytes ("<U+XXXX>") per input byte */
	size_t outsz = size * 10 + 16;
	char *in = malloc(size + 1);
	char *a = malloc(outsz), *b = malloc(outsz), *c = malloc(outsz);
	size_t cols = size ? data[0] % 41 : 0;
	int lf;

	if (!in || !a || !b || !c) {
		abort();
	}
	memcpy(in, data, size);
	in[size] = '\0'; /* input ends at the first NUL, like a C string */

	for (lf = 0; lf <= 1; lf++) {
		size_t n = utf8_sanitize(in, a, outsz, lf);

		if (n != strlen(a)) {
			abort();
		}
		check_display_safe(a, lf);
		utf8_sanitize(a, b, outsz, lf);
		if (strcmp(a, b) != 0) {
			abort();
		}
		/* text the input rules accept is shown unchanged */
		if (utf8_check(in, lf ? UTF8_MULTI : UTF8_LINE, 0, NULL, 0) ==
			0 &&
		    strcmp(in, a) != 0) {
			abort();
		}
	}

	/* a short buffer still yields valid, display-safe text */
	{
		char small[7];

		utf8_sanitize(in, small, sizeof(small), 0);
		check_display_safe(small, 0);
	}

	if (utf8_normalize(in, a, outsz) == 0) {
		if (valid_utf8((unsigned char *)a, strlen(a)) != 0) {
			abort();
		}
		if (utf8_normalize(a, b, outsz) != 0 || strcmp(a, b) != 0) {
			abort();
		}
	}

	utf8_sanitize(in, a, outsz, 0);
	{
		size_t used = utf8_fit(a, cols, c, outsz);
		size_t clen = strlen(c);

		if (used > cols || utf8_width(c) != used) {
			abort();
		}
		if (strcmp(c, a) != 0) {
			/* cut: a proper prefix of a, then "~" */
			if (clen == 0 ? cols != 0
				      : (c[clen - 1] != '~' ||
					 strncmp(c, a, clen - 1) != 0)) {
				abort();
			}
		}
	}

	free(in);
	free(a);
	free(b);
	free(c);
	return 0;
}
