/*
 * enc: the canonical encoding of audit-log.md 2.3, the only byte format
 * that signatures and hashes are computed over.
 *
 * Integers are fixed-width big-endian; byte strings carry a u16 or u32
 * length; text is u16 length + UTF-8 that must already be valid, free of
 * control characters (LF only where multiline) and in Unicode NFC.  The
 * writer rejects, never repairs: a repaired string would make the bytes a
 * person signed differ from the text they were shown.
 *
 * Both sides keep a sticky err, so a caller can write or read a whole
 * structure and test err once at the end.  Once err is set, writes are
 * no-ops and reads return zero / NULL, so nothing past the first fault is
 * trusted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "keys/keys.h"

/* Text fields are u16-length; nothing longer can be encoded. */
#define S16_MAX 0xffffu

void
enc_init(struct enc_buf *b)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->err = 0;
}

void
enc_release(struct enc_buf *b)
{
	free(b->p);
	enc_init(b);
}

/* Makes room for n more bytes; sets err (and returns -1) if it cannot. */
static int
enc_reserve(struct enc_buf *b, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (b->err) {
		return -1;
	}
	if (n > SIZE_MAX - b->len) {
		b->err = 1;
		return -1;
	}
	if (b->len + n <= b->cap) {
		return 0;
	}
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n) {
		if (cap > SIZE_MAX / 2) {
			cap = b->len + n;
			break;
		}
		cap *= 2;
	}
	p = realloc(b->p, cap);
	if (!p) {
		b->err = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void
enc_raw(struct enc_buf *b, const void *p, size_t n)
{
	if (enc_reserve(b, n) < 0) {
		return;
	}
	if (n > 0) {
		memcpy(b->p + b->len, p, n);
	}
	b->len += n;
}

/* Big-endian, whatever the host order. */
static void
enc_be(struct enc_buf *b, uint64_t v, unsigned width)
{
	uint8_t t[8];

	for (unsigned i = 0; i < width; i++) {
		t[i] = (uint8_t)(v >> (8 * (width - 1 - i)));
	}
	enc_raw(b, t, width);
}

void
enc_u8(struct enc_buf *b, uint8_t v)
{
	enc_be(b, v, 1);
}

void
enc_u16(struct enc_buf *b, uint16_t v)
{
	enc_be(b, v, 2);
}

void
enc_u32(struct enc_buf *b, uint32_t v)
{
	enc_be(b, v, 4);
}

void
enc_u64(struct enc_buf *b, uint64_t v)
{
	enc_be(b, v, 8);
}

void
enc_i64(struct enc_buf *b, int64_t v)
{
	/* Two's complement by definition of the conversion to unsigned. */
	enc_be(b, (uint64_t)v, 8);
}

void
enc_b16(struct enc_buf *b, const void *p, size_t n)
{
	if (n > 0xffffu || (n > 0 && !p)) {
		b->err = 1;
		return;
	}
	enc_u16(b, (uint16_t)n);
	enc_raw(b, p, n);
}

void
enc_b32(struct enc_buf *b, const void *p, size_t n)
{
	if (n > 0xffffffffu || (n > 0 && !p)) {
		b->err = 1;
		return;
	}
	enc_u32(b, (uint32_t)n);
	enc_raw(b, p, n);
}

/*
 * The text rule shared by writer and reader: valid UTF-8 (no overlongs,
 * no surrogates, nothing past U+10FFFF), no C0 control but LF where
 * multiline, no DEL, no C1, and NFC.  Returns 0 or -1.
 */
static int
text_check(const uint8_t *s, size_t len, int multiline)
{
	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t n;
	int ascii = 1;
	int r = -1;

	for (size_t i = 0; i < len;) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k;

		k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &c);
		if (k <= 0 || c < 0 || !utf8proc_codepoint_valid(c)) {
			goto out;
		}
		if (c < 0x20 && !(c == '\n' && multiline)) {
			goto out;
		}
		if (c >= 0x7f && c <= 0x9f) {
			goto out;
		}
		if (c >= 0x80) {
			ascii = 0;
		}
		i += (size_t)k;
	}
	/* ASCII is always NFC: skip the allocation for the common case. */
	if (ascii) {
		r = 0;
		goto out;
	}
	n = utf8proc_map(s, (utf8proc_ssize_t)len, &nfc,
			 UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n < 0 || (size_t)n != len || memcmp(nfc, s, len) != 0) {
		goto out;
	}
	r = 0;
out:
	free(nfc);
	return r;
}

void
enc_s16(struct enc_buf *b, const char *s, int multiline)
{
	size_t len;

	if (b->err) {
		return;
	}
	if (!s) {
		b->err = 1;
		return;
	}
	len = strlen(s);
	if (len > S16_MAX || text_check((const uint8_t *)s, len, multiline)) {
		b->err = 1;
		return;
	}
	enc_u16(b, (uint16_t)len);
	enc_raw(b, s, len);
}

void
dec_init(struct dec_buf *d, const void *p, size_t len)
{
	d->p = p;
	d->len = p ? len : 0;
	d->off = 0;
	d->err = 0;
}

const uint8_t *
dec_raw(struct dec_buf *d, size_t n)
{
	const uint8_t *r;

	if (d->err || n > d->len - d->off) {
		d->err = 1;
		return NULL;
	}
	/* An empty buffer may have a NULL base; never offset NULL. */
	r = d->p ? d->p + d->off : (const uint8_t *)"";
	d->off += n;
	return r;
}

static uint64_t
dec_be(struct dec_buf *d, unsigned width)
{
	const uint8_t *t = dec_raw(d, width);
	uint64_t v = 0;

	if (!t) {
		return 0;
	}
	for (unsigned i = 0; i < width; i++) {
		v = (v << 8) | t[i];
	}
	return v;
}

uint8_t
dec_u8(struct dec_buf *d)
{
	return (uint8_t)dec_be(d, 1);
}

uint16_t
dec_u16(struct dec_buf *d)
{
	return (uint16_t)dec_be(d, 2);
}

uint32_t
dec_u32(struct dec_buf *d)
{
	return (uint32_t)dec_be(d, 4);
}

uint64_t
dec_u64(struct dec_buf *d)
{
	return dec_be(d, 8);
}

int64_t
dec_i64(struct dec_buf *d)
{
	uint64_t u = dec_be(d, 8);

	/* Avoid the implementation-defined unsigned-to-signed conversion. */
	if (u <= (uint64_t)INT64_MAX) {
		return (int64_t)u;
	}
	return -(int64_t)(~u) - 1;
}

const uint8_t *
dec_b16(struct dec_buf *d, size_t *n)
{
	size_t len = dec_u16(d);
	const uint8_t *r = dec_raw(d, len);

	*n = r ? len : 0;
	return r;
}

const uint8_t *
dec_b32(struct dec_buf *d, size_t *n)
{
	size_t len = dec_u32(d);
	const uint8_t *r = dec_raw(d, len);

	*n = r ? len : 0;
	return r;
}

void
dec_s16(struct dec_buf *d, char *out, size_t outsz, int multiline)
{
	const uint8_t *s;
	size_t len;

	if (outsz > 0) {
		out[0] = '\0';
	}
	s = dec_b16(d, &len);
	if (!s) {
		return;
	}
	if (len >= outsz || text_check(s, len, multiline)) {
		d->err = 1;
		return;
	}
	memcpy(out, s, len);
	out[len] = '\0';
}
