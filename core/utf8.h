/*
 * utf8: the one place that decides which text nomdesk accepts and how
 * stored text is made safe to show.  Pure functions, no allocation; used by
 * core/ validation, tui/ (drawing), cli/ (listings, CSV) and logging.
 * Rules: docs/SECURITY.md "Text" (shared security.md 3.3).
 */
#ifndef NOMDESK_UTF8_H
#define NOMDESK_UTF8_H

#include <stddef.h>
#include <stdint.h>

enum utf8_kind {
	UTF8_LINE,  /* one line: no control characters at all */
	UTF8_MULTI, /* several lines: LF allowed, nothing else below 0x20 */
};

/*
 * Decodes one code point strictly (no overlongs, surrogates, > U+10FFFF,
 * truncation).  Returns its length in bytes (1-4) and sets *cp, or -1.
 */
int utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp into out (room for 4); returns the length. */
int utf8_encode(uint32_t cp, char out[4]);

/*
 * Checks input text against the rules for its kind: strict UTF-8, no C0
 * (but LF in UTF8_MULTI), DEL or C1, no bidi controls, no invisible or
 * format characters, no private use, at most 2 combining marks per base,
 * NFC, at most max_cols display columns (0 = no limit).  Returns 0, or -1
 * with a short English reason in why naming the offending code point
 * ("contains U+202E, a bidirectional control").
 */
int utf8_check(const char *s, enum utf8_kind kind, size_t max_cols, char *why,
	       size_t whylen);

/*
 * Normalizes input before checking: NFC, CRLF -> LF, TAB -> space,
 * U+30FB/U+2027/U+FF0E between letters -> U+00B7.  Writes into out;
 * returns 0, or -1 if out is too small or s is not UTF-8.
 */
int utf8_normalize(const char *s, char *out, size_t outsz);

/*
 * Makes stored text safe for any terminal or file: invalid bytes become
 * U+FFFD, control/bidi/invisible code points become a visible placeholder
 * (e.g. "<U+202E>"), LF becomes a space unless keep_lf.  Output is always
 * valid, NUL-terminated UTF-8, truncated at a code point boundary when
 * outsz is too small.  Idempotent.  Returns the bytes written.
 */
size_t utf8_sanitize(const char *s, char *out, size_t outsz, int keep_lf);

/* Display columns of one code point: 0, 1 or 2 (CJK Ext. B-H are 2). */
int utf8_cp_width(uint32_t cp);

/* Display columns of sanitized text. */
size_t utf8_width(const char *s);

/*
 * Copies the longest prefix of sanitized text s that fits in cols columns
 * into out, never splitting a code point or a base and its combining
 * marks; if s was cut, ends it with "~" (ASCII: never ambiguous width)
 * within cols.  Returns the columns used.
 */
size_t utf8_fit(const char *s, size_t cols, char *out, size_t outsz);

/* ---- additions used by tui/ and by core/ field rules ---- */

/*
 * Why cp may not appear in text ("a bidirectional control", "an invisible
 * character", ...), or NULL if it may.  TAB and LF are "a control
 * character" here; utf8_check() decides about LF by kind.  Static string.
 */
const char *utf8_cp_reject(uint32_t cp);

/* True for a combining mark (general category Mn, Mc, Me). */
int utf8_cp_is_mark(uint32_t cp);

/*
 * The cluster of s[0..len) that starts at byte i: one code point and the
 * zero-width code points after it (combining marks, conjoining jamo), the
 * unit that cursor movement, erasing and cutting never split.  Returns
 * the byte just after it and sets *cols (may be NULL) to its columns; an
 * invalid byte is a one-column cluster of its own.  i < len.
 */
size_t utf8_cluster_next(const char *s, size_t len, size_t i, size_t *cols);

/* True for a CJK unified ideograph, Extension A to I (whitelisted). */
int utf8_is_cjk(uint32_t cp);

/*
 * Folds full-width ASCII (U+FF01-FF5E) and U+3000 to ASCII, for fields
 * with an ASCII grammar (dates, ID and phone numbers) typed with a CJK
 * input method.  Returns 0, or -1 if s is not UTF-8 or out is too small.
 */
int utf8_fold_width(const char *s, char *out, size_t outsz);

#endif
