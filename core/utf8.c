/*
 * utf8: which text nomdesk accepts, and how stored text is made safe to
 * show.  The rules are docs/SECURITY.md "Text" (shared security.md 3.3):
 *
 *   input   utf8_normalize() then utf8_check(): strict UTF-8, no C0 (LF
 *           only in multi-line text), DEL, C1, bidi controls, invisible or
 *           format characters, private use, noncharacters or unassigned
 *           code points; at most 2 combining marks per base; NFC; a width
 *           limit in display columns.
 *   display utf8_sanitize(): everything utf8_check() would refuse becomes
 *           visible (U+FFFD per bad byte, "<U+202E>" per bad code point).
 *           Idempotent, so sanitizing twice is harmless.
 *   width   utf8_cp_width()/utf8_width()/utf8_fit(): columns, never bytes.
 *
 * Character properties come from libutf8proc (its Unicode version, not
 * glibc's), except the CJK ideograph blocks, which are whitelisted here
 * with width 2: glibc 2.36 calls Extension H unprintable with wcwidth -1,
 * and rare characters in names (生僻字) must work.
 *
 * Invariants: no allocation, no global state, every function total on any
 * byte string (the fuzzer relies on it).  NFC works in chunks cut before
 * code points that never interact with their neighbours under
 * normalization (ASCII, CJK ideographs), so the stack buffer bounds the
 * work; a run of more than NFC_MAX code points with no such cut point is
 * refused (not text a person types).
 */
#include <stdio.h>
#include <string.h>

#include <utf8proc.h>

#include "core/utf8.h"

#define NFC_MAX 1024 /* decomposed code points per chunk */
#define NFC_CUT 256  /* bytes after which a chunk ends at the next cut */

int
utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c, min;
	int n, i;

	if (len == 0) {
		return -1;
	}
	c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		c &= 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		c &= 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return -1; /* continuation byte, C0/C1 overlong lead, F5+ */
	}
	if (len < (size_t)n) {
		return -1;
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			return -1;
		}
		c = (c << 6) | (p[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		return -1;
	}
	*cp = c;
	return n;
}

int
utf8_encode(uint32_t cp, char out[4])
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	} else if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | ((cp >> 18) & 0x07));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

int
utf8_is_cjk(uint32_t cp)
{
	static const uint32_t ranges[][2] = {
		{0x3400, 0x4DBF},   /* Extension A */
		{0x4E00, 0x9FFF},   /* Unified Ideographs */
		{0x20000, 0x2A6DF}, /* Extension B */
		{0x2A700, 0x2B73F}, /* Extension C */
		{0x2B740, 0x2B81F}, /* Extension D */
		{0x2B820, 0x2CEAF}, /* Extension E */
		{0x2CEB0, 0x2EBEF}, /* Extension F */
		{0x2EBF0, 0x2EE5F}, /* Extension I (Unicode 15.1) */
		{0x30000, 0x3134F}, /* Extension G */
		{0x31350, 0x323AF}, /* Extension H (glibc 2.36: wcwidth -1) */
	};
	size_t i;

	if (cp < 0x3400) {
		return 0;
	}
	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		if (cp >= ranges[i][0] && cp <= ranges[i][1]) {
			return 1;
		}
	}
	return 0;
}

static int
in(uint32_t cp, uint32_t lo, uint32_t hi)
{
	return cp >= lo && cp <= hi;
}

int
utf8_cp_is_mark(uint32_t cp)
{
	utf8proc_category_t cat;

	if (cp < 0x300) {
		return 0;
	}
	cat = utf8proc_category((utf8proc_int32_t)cp);
	return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
	       cat == UTF8PROC_CATEGORY_ME;
}

const char *
utf8_cp_reject(uint32_t cp)
{
	utf8proc_category_t cat;

	if (cp < 0x20 || cp == 0x7F) {
		return "a control character";
	}
	if (cp < 0x7F) {
		return NULL;
	}
	if (cp <= 0x9F) {
		return "a C1 control character";
	}
	if (utf8_is_cjk(cp)) {
		return NULL; /* before the "unassigned" test: rule 7 */
	}
	if (cp > 0x10FFFF || in(cp, 0xD800, 0xDFFF)) {
		return "not a Unicode scalar value";
	}
	if (cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	    in(cp, 0x202A, 0x202E) || in(cp, 0x2066, 0x2069)) {
		return "a bidirectional control";
	}
	if (cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0) {
		return "a Hangul filler";
	}
	/*
	 * U+180B-180F: the Mongolian free variation selectors (180B-180D,
	 * 180F are combining marks to utf8proc, so the mark rule alone
	 * would let one ride on any base) and the vowel separator 180E.
	 */
	if (in(cp, 0x200B, 0x200D) || in(cp, 0x2060, 0x2064) ||
	    cp == 0xFEFF || cp == 0x00AD || in(cp, 0x180B, 0x180F) ||
	    cp == 0x034F || cp == 0x2800 || in(cp, 0xFE00, 0xFE0F) ||
	    in(cp, 0xE0100, 0xE01EF) || in(cp, 0xE0000, 0xE007F)) {
		return "an invisible character";
	}
	if (in(cp, 0xFDD0, 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
		return "a noncharacter";
	}
	if (in(cp, 0xE000, 0xF8FF) || cp >= 0xF0000) {
		return "a private-use character";
	}
	cat = utf8proc_category((utf8proc_int32_t)cp);
	switch (cat) {
	case UTF8PROC_CATEGORY_CC:
		return "a control character";
	case UTF8PROC_CATEGORY_CF:
		return "an invisible format character";
	case UTF8PROC_CATEGORY_CS:
		return "not a Unicode scalar value";
	case UTF8PROC_CATEGORY_CO:
		return "a private-use character";
	case UTF8PROC_CATEGORY_CN:
		return "an unassigned code point";
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return "a line or paragraph separator";
	default:
		return NULL;
	}
}

int
utf8_cp_width(uint32_t cp)
{
	int w;

	if (utf8_is_cjk(cp)) {
		return 2;
	}
	if (cp < 0x20 || in(cp, 0x7F, 0x9F) || cp > 0x10FFFF) {
		return 0;
	}
	/*
	 * Conjoining Hangul vowels and finals join the initial before them
	 * into one 2-column syllable (utf8proc says 1; glibc and terminals
	 * say 0).
	 */
	if (in(cp, 0x1160, 0x11FF) || in(cp, 0xD7B0, 0xD7FF)) {
		return 0;
	}
	w = utf8proc_charwidth((utf8proc_int32_t)cp);
	if (w < 0) {
		return 0;
	}
	return w > 2 ? 2 : w;
}

/*
 * True when normalization never moves or merges anything across the
 * point just before cp: cp has combining class 0, no decomposition, and
 * is never the second half of a composition.  Checked only for the two
 * classes that matter here; anything else is simply not a cut point.
 */
static int
nfc_cut_before(uint32_t cp)
{
	return cp < 0x80 || utf8_is_cjk(cp);
}

/*
 * NFC of one chunk s[0..len) of valid UTF-8 into out.  Returns the bytes
 * written, or -1 if the chunk or out is too large.
 */
static long
nfc_chunk(const char *s, size_t len, char *out, size_t outsz)
{
	utf8proc_int32_t buf[NFC_MAX];
	const utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
	utf8proc_ssize_t n;
	size_t i;

	for (i = 0; i < len && (unsigned char)s[i] < 0x80; i++) {
	}
	if (i == len) {
		if (len > outsz) {
			return -1;
		}
		memcpy(out, s, len);
		return (long)len;
	}
	n = utf8proc_decompose((const utf8proc_uint8_t *)s,
			       (utf8proc_ssize_t)len, buf, NFC_MAX, opt);
	if (n < 0 || n > NFC_MAX) {
		return -1;
	}
	n = utf8proc_reencode(buf, n, opt);
	if (n < 0 || (size_t)n > outsz) {
		return -1;
	}
	memcpy(out, buf, (size_t)n);
	return (long)n;
}

/*
 * Walks valid UTF-8 s[0..len) chunk by chunk, calling fn on each chunk's
 * NFC.  Returns 0, or -1 if s is not UTF-8, a chunk is too large, or fn
 * returns non-zero.
 */
static int
nfc_walk(const char *s, size_t len,
	 int (*fn)(void *ctx, const char *chunk, size_t clen,
		   const char *nfc, size_t nlen),
	 void *ctx)
{
	char nfc[NFC_MAX * 4];
	size_t start = 0, i = 0;

	while (start < len) {
		uint32_t cp;
		long n;
		int k;

		/* extend the chunk to at least NFC_CUT bytes, then to a cut */
		i = start;
		do {
			k = utf8_decode(s + i, len - i, &cp);
			if (k < 0) {
				return -1;
			}
			i += (size_t)k;
			if (i >= len) {
				break;
			}
			k = utf8_decode(s + i, len - i, &cp);
			if (k < 0) {
				return -1;
			}
		} while (i - start < NFC_CUT || !nfc_cut_before(cp));
		n = nfc_chunk(s + start, i - start, nfc, sizeof(nfc));
		if (n < 0) {
			return -1;
		}
		if (fn(ctx, s + start, i - start, nfc, (size_t)n) != 0) {
			return -1;
		}
		start = i;
	}
	return 0;
}

struct nfc_cmp {
	const char *s;
	size_t bad_at; /* offset of the first code point NFC changes */
};

static int
nfc_same(void *ctx, const char *chunk, size_t clen, const char *nfc,
	 size_t nlen)
{
	struct nfc_cmp *cmp = ctx;
	size_t i;

	if (clen == nlen && memcmp(chunk, nfc, clen) == 0) {
		return 0;
	}
	for (i = 0; i < clen && i < nlen && chunk[i] == nfc[i]; i++) {
	}
	/* back up to the start of the code point that differs */
	while (i > 0 && ((unsigned char)chunk[i] & 0xC0) == 0x80) {
		i--;
	}
	cmp->bad_at = (size_t)(chunk - cmp->s) + i;
	return 1;
}

struct nfc_out {
	char *out;
	size_t outsz;
	size_t len;
};

static int
nfc_append(void *ctx, const char *chunk, size_t clen, const char *nfc,
	   size_t nlen)
{
	struct nfc_out *o = ctx;

	(void)chunk;
	(void)clen;
	if (nlen >= o->outsz - o->len) {
		return 1;
	}
	memcpy(o->out + o->len, nfc, nlen);
	o->len += nlen;
	return 0;
}

static void
set_why(char *why, size_t whylen, uint32_t cp, const char *what)
{
	if (why && whylen > 0) {
		snprintf(why, whylen, "contains U+%04X, %s", (unsigned)cp,
			 what);
	}
}

static int
is_letter(uint32_t cp)
{
	utf8proc_category_t cat;

	if (utf8_is_cjk(cp)) {
		return 1;
	}
	cat = utf8proc_category((utf8proc_int32_t)cp);
	return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
	       cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LM ||
	       cat == UTF8PROC_CATEGORY_LO;
}

int
utf8_check(const char *s, enum utf8_kind kind, size_t max_cols, char *why,
	   size_t whylen)
{
	size_t len = strlen(s), i = 0, cols = 0;
	struct nfc_cmp cmp = {s, (size_t)-1};
	int marks = -1; /* marks on the current base; -1: no base yet */
	uint32_t cp;
	const char *what;
	int n;

	if (why && whylen > 0) {
		why[0] = '\0';
	}
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n < 0) {
			if (why && whylen > 0) {
				snprintf(why, whylen,
					 "is not valid UTF-8 (byte %zu)",
					 i + 1);
			}
			return -1;
		}
		i += (size_t)n;
		if (cp == '\n' && kind == UTF8_MULTI) {
			marks = -1;
			continue;
		}
		if (cp == '\t') {
			set_why(why, whylen, cp,
				"a tab (use spaces)");
			return -1;
		}
		if (cp == '\r' || cp == '\n') {
			set_why(why, whylen, cp,
				kind == UTF8_MULTI ? "a carriage return"
						   : "a line break");
			return -1;
		}
		if ((what = utf8_cp_reject(cp)) != NULL) {
			set_why(why, whylen, cp, what);
			return -1;
		}
		if (utf8_cp_is_mark(cp)) {
			if (marks < 0) {
				set_why(why, whylen, cp,
					"a combining mark without a base "
					"character");
				return -1;
			}
			if (++marks > 2) {
				set_why(why, whylen, cp,
					"a third combining mark on one "
					"character");
				return -1;
			}
		} else {
			marks = 0;
		}
		cols += (size_t)utf8_cp_width(cp);
	}
	if (max_cols > 0 && cols > max_cols) {
		if (why && whylen > 0) {
			snprintf(why, whylen,
				 "is %zu columns wide, more than %zu", cols,
				 max_cols);
		}
		return -1;
	}
	if (nfc_walk(s, len, nfc_same, &cmp) != 0) {
		if (cmp.bad_at == (size_t)-1) {
			if (why && whylen > 0) {
				snprintf(why, whylen, "has a run of over %d "
					 "characters without a space",
					 NFC_MAX / 4);
			}
			return -1;
		}
		if (utf8_decode(s + cmp.bad_at, len - cmp.bad_at, &cp) < 0) {
			cp = 0xFFFD;
		}
		set_why(why, whylen, cp,
			"not in normalization form C (normalize first)");
		return -1;
	}
	return 0;
}

int
utf8_normalize(const char *s, char *out, size_t outsz)
{
	struct nfc_out o = {out, outsz, 0};
	size_t r, w;
	uint32_t cp, prev = 0, next;
	int n, k;

	if (outsz == 0) {
		return -1;
	}
	out[0] = '\0';
	if (nfc_walk(s, strlen(s), nfc_append, &o) != 0) {
		out[0] = '\0';
		return -1;
	}
	/*
	 * In place: every rewrite below shrinks or keeps the length, and
	 * none can change NFC (all the code points involved are starters
	 * that compose with nothing).
	 */
	for (r = w = 0; r < o.len; r += (size_t)n) {
		n = utf8_decode(out + r, o.len - r, &cp);
		if (n < 0) {
			out[0] = '\0';
			return -1;
		}
		if (cp == '\r') {
			size_t j = r + 1;

			while (j < o.len && out[j] == '\r') {
				j++;
			}
			if (j < o.len && out[j] == '\n') {
				continue; /* CR...CRLF is one line break */
			}
		}
		if (cp == '\t') {
			cp = ' ';
		}
		if ((cp == 0x30FB || cp == 0x2027 || cp == 0xFF0E) &&
		    is_letter(prev) && r + (size_t)n < o.len &&
		    (k = utf8_decode(out + r + n, o.len - r - (size_t)n,
				     &next)) > 0 &&
		    is_letter(next)) {
			cp = 0x00B7;
		}
		prev = cp;
		if (cp < 0x80) {
			out[w++] = (char)cp;
		} else {
			char enc[4];
			int m = utf8_encode(cp, enc);

			memmove(out + w, enc, (size_t)m);
			w += (size_t)m;
		}
	}
	out[w] = '\0';
	return 0;
}

int
utf8_fold_width(const char *s, char *out, size_t outsz)
{
	size_t len = strlen(s), i = 0, w = 0;
	uint32_t cp;
	char enc[4];
	int n, m;

	if (outsz == 0) {
		return -1;
	}
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n < 0) {
			out[0] = '\0';
			return -1;
		}
		i += (size_t)n;
		if (in(cp, 0xFF01, 0xFF5E)) {
			cp -= 0xFF01 - 0x21;
		} else if (cp == 0x3000) {
			cp = ' ';
		}
		m = utf8_encode(cp, enc);
		if ((size_t)m >= outsz - w) {
			out[0] = '\0';
			return -1;
		}
		memcpy(out + w, enc, (size_t)m);
		w += (size_t)m;
	}
	out[w] = '\0';
	return 0;
}

/* Appends len bytes if they fit with the NUL; returns 0 or -1. */
static int
put(char *out, size_t outsz, size_t *w, const char *p, size_t len)
{
	if (len >= outsz - *w) {
		return -1;
	}
	memcpy(out + *w, p, len);
	*w += len;
	return 0;
}

size_t
utf8_sanitize(const char *s, char *out, size_t outsz, int keep_lf)
{
	static const char fffd[] = "\xEF\xBF\xBD";
	size_t len = strlen(s), i = 0, w = 0;
	int marks = -1; /* marks on the current base; -1: no base */
	char ph[16];
	uint32_t cp;
	int n, r;

	if (outsz == 0) {
		return 0;
	}
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n < 0) {
			r = put(out, outsz, &w, fffd, 3);
			i++;
			marks = 0;
		} else if (cp == '\r' && s[i + 1] == '\n') {
			r = 0; /* CRLF: the LF that follows speaks for both */
			i++;
		} else if (cp == '\n') {
			r = put(out, outsz, &w, keep_lf ? "\n" : " ", 1);
			marks = keep_lf ? -1 : 0;
			i++;
		} else if (cp == '\t') {
			r = put(out, outsz, &w, " ", 1);
			marks = 0;
			i++;
		} else if (utf8_cp_reject(cp) != NULL) {
			snprintf(ph, sizeof(ph), "<U+%04X>", (unsigned)cp);
			r = put(out, outsz, &w, ph, strlen(ph));
			marks = 0;
			i += (size_t)n;
		} else if (utf8_cp_is_mark(cp) && (marks < 0 || marks >= 2)) {
			/*
			 * Excess marks stay counted, so a fourth one is a
			 * placeholder too rather than sitting on the '>'.
			 */
			snprintf(ph, sizeof(ph), "<U+%04X>", (unsigned)cp);
			r = put(out, outsz, &w, ph, strlen(ph));
			if (marks < 0) {
				marks = 0;
			}
			i += (size_t)n;
		} else {
			r = put(out, outsz, &w, s + i, (size_t)n);
			marks = utf8_cp_is_mark(cp) ? marks + 1 : 0;
			i += (size_t)n;
		}
		if (r != 0) {
			break;
		}
	}
	out[w] = '\0';
	return w;
}

size_t
utf8_width(const char *s)
{
	size_t len = strlen(s), i = 0, cols = 0;
	uint32_t cp;
	int n;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n < 0) {
			cols++; /* shown as U+FFFD */
			i++;
			continue;
		}
		cols += (size_t)utf8_cp_width(cp);
		i += (size_t)n;
	}
	return cols;
}

size_t
utf8_cluster_next(const char *s, size_t len, size_t i, size_t *cols)
{
	size_t j = i, c = 0;
	uint32_t cp;
	int n, first = 1;

	while (j < len) {
		int w;

		n = utf8_decode(s + j, len - j, &cp);
		w = n < 0 ? 1 : utf8_cp_width(cp);
		if (!first && (w > 0 || n < 0)) {
			break;
		}
		first = 0;
		c += (size_t)w;
		j += n < 0 ? 1 : (size_t)n;
		if (n < 0) {
			break;
		}
	}
	if (cols) {
		*cols = c;
	}
	return j;
}

size_t
utf8_fit(const char *s, size_t cols, char *out, size_t outsz)
{
	size_t len = strlen(s), i = 0, used = 0, cut_i = 0, cut_used = 0;
	size_t b, c;

	if (outsz == 0) {
		return 0;
	}
	/*
	 * Walk clusters while they fit; remember the last prefix that
	 * leaves room (a column and a byte) for the marker.
	 */
	while (i < len) {
		b = utf8_cluster_next(s, len, i, &c) - i;
		if (used + c > cols || i + b >= outsz) {
			break;
		}
		i += b;
		used += c;
		if (used + 1 <= cols && i + 1 < outsz) {
			cut_i = i;
			cut_used = used;
		}
	}
	if (i == len) {
		memcpy(out, s, len);
		out[len] = '\0';
		return used;
	}
	if (cols == 0 || outsz < 2) {
		out[0] = '\0';
		return 0;
	}
	memcpy(out, s, cut_i);
	out[cut_i] = '~';
	out[cut_i + 1] = '\0';
	return cut_used + 1;
}
