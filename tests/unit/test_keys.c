/*
 * Unit tests for keys/: the canonical encoding and its strict parsers,
 * key ids, base64, the log key file and signer, and checkpoint notes.
 * Real libsodium and utf8proc, key files in the test's temp directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "keys/keys.h"
#include "tests/lib/runner.h"

/* ---- helpers ---- */

static void
hex2bin(const char *hex, uint8_t *out, size_t n)
{
	size_t got = 0;

	if (sodium_hex2bin(out, n, hex, strlen(hex), NULL, &got, NULL) != 0 ||
	    got != n) {
		test_fail(__FILE__, __LINE__, "bad hex in test: %s", hex);
	}
}

/* A realistic statement: CJK text, a multi-line reason, attachments. */
static void
make_stmt(struct stmt *s)
{
	memset(s, 0, sizeof(*s));
	s->suite = 1;
	snprintf(s->origin, sizeof(s->origin), "nomdesk.datong.example/2025");
	s->act = ACT_VERIFICATION;
	snprintf(s->actor, sizeof(s->actor), "u-0042");
	memset(s->actor_key_id, 0xa1, sizeof(s->actor_key_id));
	s->actor_role = 3;
	snprintf(s->unit, sizeof(s->unit), "140200");
	snprintf(s->subject, sizeof(s->subject), "n-2025-0007");
	s->version = 7;
	memset(s->prev_digest, 0xb2, sizeof(s->prev_digest));
	memset(s->digest, 0xc3, sizeof(s->digest));
	s->decision = 1;
	s->checklist[0] = 0xff;
	s->checklist[1] = 0x0f;
	s->checklist_len = 2;
	snprintf(s->reason, sizeof(s->reason),
		 "材料齐全，已核验原件。\n第二行：身份证、学历证书。");
	s->n_attach = 2;
	memset(s->attach[0], 0xd4, 32);
	memset(s->attach[1], 0xe5, 32);
	s->client_time = -1234567890123LL;
	s->seen_size = 0x0102030405060708ULL;
	memset(s->seen_root, 0xf6, sizeof(s->seen_root));
	memset(s->nonce, 0x17, sizeof(s->nonce));
}

/* Encodes s; caller releases b. */
static void
encode_stmt(const struct stmt *s, struct enc_buf *b)
{
	enc_init(b);
	CHECK_INT(stmt_encode(s, b), 0);
	CHECK_INT(b->err, 0);
}

/* p with [off, off+del) replaced by ins; caller frees. */
static uint8_t *
splice(const uint8_t *p, size_t len, size_t off, size_t del, const void *ins,
       size_t ins_len, size_t *out_len)
{
	uint8_t *q = malloc(len - del + ins_len + 1);

	if (!q) {
		abort();
	}
	memcpy(q, p, off);
	if (ins_len) {
		memcpy(q + off, ins, ins_len);
	}
	memcpy(q + off + ins_len, p + off + del, len - off - del);
	*out_len = len - del + ins_len;
	return q;
}

static size_t
find(const uint8_t *p, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++) {
		if (memcmp(p + i, needle, n) == 0) {
			return i;
		}
	}
	test_fail(__FILE__, __LINE__, "marker %s not found", needle);
	abort();
}

/*
 * The canonical bytes of a statement whose s16 field currently holding
 * marker is replaced by the raw bytes txt (with a correct u16 length), so
 * the parser sees exactly those bytes.  Caller frees.
 */
static uint8_t *
stmt_with_field(const char *marker, const void *txt, size_t n,
		size_t *out_len)
{
	struct stmt s;
	struct enc_buf b;
	uint8_t *ins, *q;
	size_t at;

	make_stmt(&s);
	snprintf(s.origin, sizeof(s.origin), "ORIGINMARK");
	snprintf(s.actor, sizeof(s.actor), "ACTORMARK");
	snprintf(s.reason, sizeof(s.reason), "REASONMARK");
	encode_stmt(&s, &b);
	at = find(b.p, b.len, marker) - 2;
	ins = malloc(n + 2);
	if (!ins) {
		abort();
	}
	ins[0] = (uint8_t)(n >> 8);
	ins[1] = (uint8_t)n;
	memcpy(ins + 2, txt, n);
	q = splice(b.p, b.len, at, 2 + strlen(marker), ins, n + 2, out_len);
	free(ins);
	enc_release(&b);
	return q;
}

/* Parses a statement variant built by stmt_with_field. */
static int
parse_field(const char *marker, const void *txt, size_t n)
{
	struct stmt s;
	size_t len;
	uint8_t *p = stmt_with_field(marker, txt, n, &len);
	int r = stmt_parse(p, len, &s);

	free(p);
	return r;
}

/* ---- enc / dec ---- */

static void
test_keys__enc_integers_big_endian(void)
{
	static const uint8_t want[] = {
		0x7f, 0x01, 0x02, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02,
		0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xfe, 0x00, 0x02, 'h',  'i',
		0x00, 0x00, 0x00, 0x01, 'x'};
	struct enc_buf b;
	struct dec_buf d;
	size_t n;
	const uint8_t *p;

	enc_init(&b);
	enc_u8(&b, 0x7f);
	enc_u16(&b, 0x0102);
	enc_u32(&b, 0xdeadbeef);
	enc_u64(&b, 0x0102030405060708ULL);
	enc_i64(&b, -2);
	enc_b16(&b, "hi", 2);
	enc_b32(&b, "x", 1);
	CHECK_INT(b.err, 0);
	CHECK_INT(b.len, sizeof(want));
	CHECK(b.len == sizeof(want) && memcmp(b.p, want, sizeof(want)) == 0);

	dec_init(&d, b.p, b.len);
	CHECK_INT(dec_u8(&d), 0x7f);
	CHECK_INT(dec_u16(&d), 0x0102);
	CHECK(dec_u32(&d) == 0xdeadbeefu);
	CHECK(dec_u64(&d) == 0x0102030405060708ULL);
	CHECK_INT(dec_i64(&d), -2);
	p = dec_b16(&d, &n);
	CHECK(p && n == 2 && memcmp(p, "hi", 2) == 0);
	p = dec_b32(&d, &n);
	CHECK(p && n == 1 && p[0] == 'x');
	CHECK_INT(d.err, 0);
	CHECK_INT(d.off, d.len);
	enc_release(&b);

	/* The extremes of i64 survive the round trip. */
	enc_init(&b);
	enc_i64(&b, INT64_MIN);
	enc_i64(&b, INT64_MAX);
	dec_init(&d, b.p, b.len);
	CHECK(dec_i64(&d) == INT64_MIN);
	CHECK(dec_i64(&d) == INT64_MAX);
	CHECK_INT(d.err, 0);
	enc_release(&b);
}

static void
test_keys__dec_overrun_is_sticky(void)
{
	static const uint8_t p[] = {0x00, 0x05, 'a', 'b', 0x01};
	struct dec_buf d;
	size_t n = 99;

	dec_init(&d, p, sizeof(p));
	CHECK(dec_b16(&d, &n) == NULL); /* claims 5, has 3 */
	CHECK_INT(n, 0);
	CHECK_INT(d.err, 1);
	/* Once failed, even a read that would fit returns nothing. */
	CHECK_INT(dec_u8(&d), 0);
	CHECK(dec_raw(&d, 0) == NULL);
	CHECK_INT(d.err, 1);

	dec_init(&d, p, 1);
	CHECK_INT(dec_u16(&d), 0);
	CHECK_INT(d.err, 1);

	dec_init(&d, NULL, 0);
	CHECK(dec_raw(&d, 0) != NULL);
	CHECK_INT(dec_u8(&d), 0);
	CHECK_INT(d.err, 1);
}

struct text_case {
	const char *s;
	size_t len; /* 0: strlen */
	int single; /* accepted as single-line text */
	int multi;  /* accepted as multi-line text */
	const char *what;
};

static const struct text_case text_cases[] = {
	{"", 0, 1, 1, "empty"},
	{"abc 123", 0, 1, 1, "ascii"},
	{"大同市人民政府", 0, 1, 1, "cjk"},
	{"caf\xc3\xa9", 0, 1, 1, "precomposed e-acute (NFC)"},
	{"cafe\xcc\x81", 0, 0, 0, "e + combining acute (not NFC)"},
	{"\xea\xb0\x80", 0, 1, 1, "hangul syllable"},
	{"\xe1\x84\x80\xe1\x85\xa1", 0, 0, 0, "hangul jamo (not NFC)"},
	{"\xe2\x84\xab", 0, 0, 0, "angstrom sign (NFC maps it)"},
	{"\xf0\x9f\x98\x80", 0, 1, 1, "emoji"},
	{"\xc2\xa0", 0, 1, 1, "no-break space is not a control"},
	{"a\nb", 0, 0, 1, "LF"},
	{"a\r\nb", 0, 0, 0, "CR"},
	{"a\tb", 0, 0, 0, "TAB"},
	{"\x1b[31m", 0, 0, 0, "ESC"},
	{"a\x7f", 0, 0, 0, "DEL"},
	{"a\xc2\x85", 0, 0, 0, "C1 NEL"},
	{"\xc2\x9b", 0, 0, 0, "C1 CSI"},
	{"a\0b", 3, 0, 0, "NUL inside"},
	{"\xff", 0, 0, 0, "invalid byte"},
	{"\xc3", 0, 0, 0, "truncated sequence"},
	{"\xe5\xa4", 0, 0, 0, "truncated 3-byte sequence"},
	{"\xc0\xaf", 0, 0, 0, "overlong /"},
	{"\xe0\x80\xaf", 0, 0, 0, "overlong 3-byte"},
	{"\xed\xa0\x80", 0, 0, 0, "surrogate D800"},
	{"\xed\xbf\xbf", 0, 0, 0, "surrogate DFFF"},
	{"\xf4\x90\x80\x80", 0, 0, 0, "beyond U+10FFFF"},
	{"\x80", 0, 0, 0, "lone continuation"},
};

static size_t
case_len(const struct text_case *c)
{
	return c->len ? c->len : strlen(c->s);
}

static void
test_keys__enc_s16_rules(void)
{
	for (size_t i = 0; i < sizeof(text_cases) / sizeof(text_cases[0]);
	     i++) {
		const struct text_case *c = &text_cases[i];
		struct enc_buf b;

		if (c->len) {
			continue; /* enc_s16 takes C strings */
		}
		for (int multi = 0; multi <= 1; multi++) {
			int want = multi ? c->multi : c->single;

			enc_init(&b);
			enc_s16(&b, c->s, multi);
			if ((b.err == 0) != want) {
				test_fail(__FILE__, __LINE__,
					  "enc_s16 %s (multiline %d): err %d",
					  c->what, multi, b.err);
			}
			if (want && b.len != 2 + strlen(c->s)) {
				test_fail(__FILE__, __LINE__, "%s: len %zu",
					  c->what, b.len);
			}
			enc_release(&b);
		}
	}
}

static void
test_keys__dec_s16_rules(void)
{
	for (size_t i = 0; i < sizeof(text_cases) / sizeof(text_cases[0]);
	     i++) {
		const struct text_case *c = &text_cases[i];
		size_t n = case_len(c);
		uint8_t buf[64];
		char out[64];

		buf[0] = 0;
		buf[1] = (uint8_t)n;
		memcpy(buf + 2, c->s, n);
		for (int multi = 0; multi <= 1; multi++) {
			int want = multi ? c->multi : c->single;
			struct dec_buf d;

			dec_init(&d, buf, n + 2);
			dec_s16(&d, out, sizeof(out), multi);
			if ((d.err == 0) != want) {
				test_fail(__FILE__, __LINE__,
					  "dec_s16 %s (multiline %d): err %d",
					  c->what, multi, d.err);
			}
			if (want && strcmp(out, c->s) != 0) {
				test_fail(__FILE__, __LINE__, "%s: copy", c->what);
			}
		}
	}
}

static void
test_keys__dec_s16_too_long_for_buffer(void)
{
	static const uint8_t p[] = {0x00, 0x04, 'a', 'b', 'c', 'd'};
	struct dec_buf d;
	char out[5];

	dec_init(&d, p, sizeof(p));
	dec_s16(&d, out, 4, 0); /* needs 5 with the NUL */
	CHECK_INT(d.err, 1);
	CHECK_STR(out, "");

	dec_init(&d, p, sizeof(p));
	dec_s16(&d, out, 5, 0);
	CHECK_INT(d.err, 0);
	CHECK_STR(out, "abcd");
}

static void
test_keys__enc_length_limits(void)
{
	struct enc_buf b;
	char *big = malloc(0x10001);

	if (!big) {
		abort();
	}
	memset(big, 'a', 0x10000);
	big[0x10000] = '\0';

	enc_init(&b);
	enc_b16(&b, big, 0xffff);
	CHECK_INT(b.err, 0);
	CHECK_INT(b.len, 2 + 0xffff);
	enc_release(&b);

	enc_init(&b);
	enc_b16(&b, big, 0x10000);
	CHECK_INT(b.err, 1);
	enc_release(&b);

	enc_init(&b);
	enc_s16(&b, big, 0); /* 65,536 bytes */
	CHECK_INT(b.err, 1);
	enc_release(&b);

	/* Sticky: nothing is written after a failure. */
	enc_init(&b);
	enc_s16(&b, "a\x01", 0);
	enc_u32(&b, 7);
	CHECK_INT(b.err, 1);
	CHECK_INT(b.len, 0);
	enc_release(&b);
	free(big);
}

/* ---- statements ---- */

static void
test_keys__stmt_round_trip(void)
{
	struct stmt s, t;
	struct enc_buf b;

	make_stmt(&s);
	encode_stmt(&s, &b);
	CHECK_INT(stmt_parse(b.p, b.len, &t), 0);
	CHECK(memcmp(&s, &t, sizeof(s)) == 0);
	CHECK_STR(t.reason, s.reason);
	CHECK(t.client_time == -1234567890123LL);
	enc_release(&b);

	/* Minimal fields: empty text, no checklist, no attachments. */
	memset(&s, 0, sizeof(s));
	s.suite = 1;
	s.act = ACT_KEY_ENROLL;
	encode_stmt(&s, &b);
	CHECK_INT(stmt_parse(b.p, b.len, &t), 0);
	CHECK(memcmp(&s, &t, sizeof(s)) == 0);
	enc_release(&b);
}

static void
test_keys__stmt_max_fields_round_trip(void)
{
	struct stmt s, t;
	struct enc_buf b;
	size_t i;

	make_stmt(&s);
	memset(s.origin, 'o', sizeof(s.origin) - 1);
	s.origin[sizeof(s.origin) - 1] = '\0';
	memset(s.actor, 'a', sizeof(s.actor) - 1);
	s.actor[sizeof(s.actor) - 1] = '\0';
	memset(s.unit, 'u', sizeof(s.unit) - 1);
	s.unit[sizeof(s.unit) - 1] = '\0';
	memset(s.subject, 's', sizeof(s.subject) - 1);
	s.subject[sizeof(s.subject) - 1] = '\0';
	/* 4,000 bytes of three-byte characters with a few line breaks. */
	for (i = 0; i + 3 <= 3999; i += 3) {
		memcpy(s.reason + i, "审", 3);
	}
	s.reason[i++] = '\n';
	s.reason[i] = '\0';
	CHECK_INT(strlen(s.reason), STMT_TEXT - 1);
	memset(s.checklist, 0x5a, sizeof(s.checklist));
	s.checklist_len = sizeof(s.checklist);
	s.n_attach = STMT_MAX_ATTACH;
	for (i = 0; i < STMT_MAX_ATTACH; i++) {
		memset(s.attach[i], (int)i, 32);
	}
	encode_stmt(&s, &b);
	CHECK_INT(stmt_parse(b.p, b.len, &t), 0);
	CHECK(memcmp(&s, &t, sizeof(s)) == 0);
	enc_release(&b);
}

static void
test_keys__stmt_layout(void)
{
	struct stmt s;
	struct enc_buf b;
	size_t olen;

	make_stmt(&s);
	encode_stmt(&s, &b);
	olen = strlen(s.origin);
	CHECK(b.len > 24 && memcmp(b.p, "nomdesk/statement/v1\n", 21) == 0);
	CHECK_INT(b.p[21], 1); /* suite */
	CHECK_INT(b.p[22], olen >> 8);
	CHECK_INT(b.p[23], olen & 0xff);
	CHECK(memcmp(b.p + 24, s.origin, olen) == 0);
	CHECK_INT(b.p[24 + olen], 0); /* act, big-endian */
	CHECK_INT(b.p[25 + olen], ACT_VERIFICATION);
	CHECK_INT(b.len, 21 + 1 + (2 + olen) + 2 + (2 + strlen(s.actor)) +
				 32 + 1 + (2 + strlen(s.unit)) +
				 (2 + strlen(s.subject)) + 4 + 32 + 32 + 1 +
				 (2 + 2) + (2 + strlen(s.reason)) +
				 (2 + 2 * 32) + 8 + 8 + 32 + 16);
	/* The nonce is last. */
	CHECK(memcmp(b.p + b.len - 16, s.nonce, 16) == 0);
	enc_release(&b);
}

static void
test_keys__stmt_rejects_trailing_byte(void)
{
	struct stmt s, t;
	struct enc_buf b;

	make_stmt(&s);
	encode_stmt(&s, &b);
	enc_u8(&b, 0);
	CHECK_INT(stmt_parse(b.p, b.len, &t), -1);
	/* A failed parse leaves nothing half-filled. */
	CHECK_INT(t.suite, 0);
	CHECK_STR(t.origin, "");
	enc_release(&b);
}

static void
test_keys__stmt_rejects_truncated(void)
{
	struct stmt s, t;
	struct enc_buf b;

	make_stmt(&s);
	encode_stmt(&s, &b);
	for (size_t n = 0; n < b.len; n++) {
		if (stmt_parse(b.p, n, &t) != -1) {
			test_fail(__FILE__, __LINE__, "prefix %zu parsed", n);
		}
	}
	CHECK_INT(stmt_parse(NULL, 0, &t), -1);
	enc_release(&b);
}

static void
test_keys__stmt_rejects_wrong_tag(void)
{
	struct stmt s, t;
	struct enc_buf b;
	uint8_t *q;
	size_t len;

	make_stmt(&s);
	encode_stmt(&s, &b);
	for (size_t i = 0; i < 21; i++) {
		b.p[i] ^= 0x20;
		CHECK_INT(stmt_parse(b.p, b.len, &t), -1);
		b.p[i] ^= 0x20;
	}
	/* Another structure's tag, and another version's. */
	q = splice(b.p, b.len, 0, 21, "nomdesk/entry/v1\n", 17, &len);
	CHECK_INT(stmt_parse(q, len, &t), -1);
	free(q);
	q = splice(b.p, b.len, 0, 21, "nomdesk/statement/v2\n", 21, &len);
	CHECK_INT(stmt_parse(q, len, &t), -1);
	free(q);
	CHECK_INT(stmt_parse(b.p, b.len, &t), 0);
	enc_release(&b);
}

static void
test_keys__stmt_rejects_unknown_suite(void)
{
	struct stmt s, t;
	struct enc_buf b;

	make_stmt(&s);
	encode_stmt(&s, &b);
	/* suites 1 and 2 are known (2: the seen size is the transaction's
	 * start), nothing else */
	b.p[21] = 2;
	CHECK_INT(stmt_parse(b.p, b.len, &t), 0);
	b.p[21] = 3;
	CHECK_INT(stmt_parse(b.p, b.len, &t), -1);
	b.p[21] = 0;
	CHECK_INT(stmt_parse(b.p, b.len, &t), -1);
	enc_release(&b);
}

/*
 * Values the field readers accept but the writer refuses: only the
 * re-encode-and-compare step can catch these, so they test that it runs.
 */
static void
test_keys__stmt_rejects_reencode_mismatch(void)
{
	struct stmt s, t;
	struct enc_buf b;
	size_t act_at, dec_at;

	make_stmt(&s);
	encode_stmt(&s, &b);
	act_at = 24 + strlen(s.origin);
	CHECK_INT(stmt_parse(b.p, b.len, &t), 0);

	b.p[act_at] = 0x03; /* act 0x03 05: not an act type */
	CHECK_INT(stmt_parse(b.p, b.len, &t), -1);
	b.p[act_at] = 0x00;
	b.p[act_at + 1] = 0;
	CHECK_INT(stmt_parse(b.p, b.len, &t), -1);
	b.p[act_at + 1] = ACT_VERIFICATION;

	dec_at = act_at + 2 + 2 + strlen(s.actor) + 32 + 1 + 2 +
		 strlen(s.unit) + 2 + strlen(s.subject) + 4 + 32 + 32;
	CHECK_INT(b.p[dec_at], 1);
	b.p[dec_at] = 5; /* decision 5 does not exist */
	CHECK_INT(stmt_parse(b.p, b.len, &t), -1);
	b.p[dec_at] = 4;
	CHECK_INT(stmt_parse(b.p, b.len, &t), 0);
	enc_release(&b);
}

static void
test_keys__stmt_rejects_bad_text(void)
{
	static const char ok[] = "nomdesk.example/1";

	CHECK_INT(parse_field("ORIGINMARK", ok, strlen(ok)), 0);
	CHECK_INT(parse_field("ORIGINMARK", "\xff", 1), -1);
	CHECK_INT(parse_field("ORIGINMARK", "a\xc3", 2), -1);
	CHECK_INT(parse_field("ORIGINMARK", "\xc0\xaf", 2), -1);
	CHECK_INT(parse_field("ORIGINMARK", "\xed\xa0\x80", 3), -1);
	CHECK_INT(parse_field("ORIGINMARK", "e\xcc\x81", 3), -1);
	CHECK_INT(parse_field("ORIGINMARK", "\xc3\xa9", 2), 0);
	CHECK_INT(parse_field("ORIGINMARK", "a\nb", 3), -1);
	CHECK_INT(parse_field("ORIGINMARK", "a\0b", 3), -1);
	CHECK_INT(parse_field("ACTORMARK", "u\x1b", 2), -1);
	CHECK_INT(parse_field("ACTORMARK", "u\x7f", 2), -1);
	CHECK_INT(parse_field("ACTORMARK", "u\xc2\x9f", 3), -1);
	/* The reason is free text: LF yes, every other control no. */
	CHECK_INT(parse_field("REASONMARK", "one\ntwo\n", 8), 0);
	CHECK_INT(parse_field("REASONMARK", "one\r\ntwo", 8), -1);
	CHECK_INT(parse_field("REASONMARK", "tab\there", 8), -1);
	CHECK_INT(parse_field("REASONMARK", "\xe1\x84\x80\xe1\x85\xa1", 6),
		  -1);
}

static void
test_keys__stmt_rejects_overlong_field(void)
{
	char big[4100];

	memset(big, 'x', sizeof(big));
	/* Each field's limit is its array size minus the NUL. */
	CHECK_INT(parse_field("ORIGINMARK", big, 127), 0);
	CHECK_INT(parse_field("ORIGINMARK", big, 128), -1);
	CHECK_INT(parse_field("ACTORMARK", big, 63), 0);
	CHECK_INT(parse_field("ACTORMARK", big, 64), -1);
	CHECK_INT(parse_field("REASONMARK", big, 4000), 0);
	CHECK_INT(parse_field("REASONMARK", big, 4001), -1);
}

static void
test_keys__stmt_rejects_counts_over_limit(void)
{
	struct stmt s, t;
	struct enc_buf b;
	uint8_t zeros[64] = {0};
	uint8_t *q, *q2;
	size_t at, len, len2;

	/* checklist: b16 of 33 bytes (struct holds 32). */
	make_stmt(&s);
	s.checklist_len = 0;
	snprintf(s.reason, sizeof(s.reason), "REASONMARK");
	encode_stmt(&s, &b);
	at = find(b.p, b.len, "REASONMARK") - 4; /* u16 0 before reason */
	CHECK(b.p[at] == 0 && b.p[at + 1] == 0);
	{
		uint8_t ins[2 + 33] = {0x00, 33};

		q = splice(b.p, b.len, at, 2, ins, sizeof(ins), &len);
		CHECK_INT(stmt_parse(q, len, &t), -1);
		free(q);
		ins[1] = 32;
		q = splice(b.p, b.len, at, 2, ins, 2 + 32, &len);
		CHECK_INT(stmt_parse(q, len, &t), 0);
		CHECK_INT(t.checklist_len, 32);
		free(q);
	}
	enc_release(&b);

	/* attachments: count 17 with 17 digests present (struct holds 16). */
	make_stmt(&s);
	s.n_attach = STMT_MAX_ATTACH;
	for (int i = 0; i < STMT_MAX_ATTACH; i++) {
		memset(s.attach[i], 0x40 + i, 32);
	}
	encode_stmt(&s, &b);
	at = b.len - 16 - 32 - 8 - 8 - STMT_MAX_ATTACH * 32 - 2;
	CHECK(b.p[at] == 0 && b.p[at + 1] == STMT_MAX_ATTACH);
	CHECK_INT(stmt_parse(b.p, b.len, &t), 0);
	q = splice(b.p, b.len, at + 2, 0, zeros, 32, &len);
	q[at + 1] = STMT_MAX_ATTACH + 1;
	CHECK_INT(stmt_parse(q, len, &t), -1);
	/* A count larger than the bytes present is an overrun. */
	q2 = splice(b.p, b.len, 0, 0, NULL, 0, &len2);
	q2[at] = 0xff;
	CHECK_INT(stmt_parse(q2, len2, &t), -1);
	free(q2);
	free(q);
	enc_release(&b);
}

static void
test_keys__stmt_rejects_length_overrun(void)
{
	struct stmt s, t;
	struct enc_buf b;

	make_stmt(&s);
	encode_stmt(&s, &b);
	b.p[22] = 0xff; /* origin length 0xff1b */
	CHECK_INT(stmt_parse(b.p, b.len, &t), -1);
	b.p[22] = 0x00;
	b.p[23] = (uint8_t)(strlen(s.origin) + 1); /* one byte too many */
	CHECK_INT(stmt_parse(b.p, b.len, &t), -1);
	enc_release(&b);
}

static void
test_keys__stmt_encode_rejects_bad_struct(void)
{
	struct stmt s;
	struct enc_buf b;

	/* Each of these must fail and leave err set. */
	make_stmt(&s);
	s.suite = 3;
	enc_init(&b);
	CHECK_INT(stmt_encode(&s, &b), -1);
	CHECK_INT(b.err, 1);
	enc_release(&b);

	make_stmt(&s);
	memset(s.actor, 'a', sizeof(s.actor)); /* no NUL */
	enc_init(&b);
	CHECK_INT(stmt_encode(&s, &b), -1);
	enc_release(&b);

	make_stmt(&s);
	s.checklist_len = 33;
	enc_init(&b);
	CHECK_INT(stmt_encode(&s, &b), -1);
	enc_release(&b);

	make_stmt(&s);
	s.n_attach = STMT_MAX_ATTACH + 1;
	enc_init(&b);
	CHECK_INT(stmt_encode(&s, &b), -1);
	enc_release(&b);

	make_stmt(&s);
	s.act = 999;
	enc_init(&b);
	CHECK_INT(stmt_encode(&s, &b), -1);
	enc_release(&b);

	make_stmt(&s);
	s.decision = 5;
	enc_init(&b);
	CHECK_INT(stmt_encode(&s, &b), -1);
	enc_release(&b);

	make_stmt(&s);
	snprintf(s.subject, sizeof(s.subject), "Cafe\xcc\x81");
	enc_init(&b);
	CHECK_INT(stmt_encode(&s, &b), -1);
	enc_release(&b);

	make_stmt(&s);
	snprintf(s.unit, sizeof(s.unit), "a\nb");
	enc_init(&b);
	CHECK_INT(stmt_encode(&s, &b), -1);
	enc_release(&b);

	/* A buffer that already failed is not written to. */
	make_stmt(&s);
	enc_init(&b);
	b.err = 1;
	CHECK_INT(stmt_encode(&s, &b), -1);
	CHECK_INT(b.len, 0);
	enc_release(&b);
}

/* ---- entries ---- */

struct entry_fixture {
	struct enc_buf st;
	struct entry e;
};

static void
make_entry(struct entry_fixture *f, uint8_t n_sigs)
{
	struct stmt s;

	make_stmt(&s);
	encode_stmt(&s, &f->st);
	memset(&f->e, 0, sizeof(f->e));
	f->e.seq = 41;
	f->e.server_time = 1735689600000LL;
	f->e.stmt = f->st.p;
	f->e.stmt_len = f->st.len;
	f->e.n_sigs = n_sigs;
	for (uint8_t i = 0; i < n_sigs && i < ENTRY_MAX_SIGS; i++) {
		f->e.sigs[i].alg = 1;
		memset(f->e.sigs[i].key_id, 0x30 + i, 32);
		memset(f->e.sigs[i].sig, 0x60 + i, 64);
	}
}

static void
encode_entry(const struct entry *e, struct enc_buf *b)
{
	enc_init(b);
	CHECK_INT(entry_encode(e, b), 0);
	CHECK_INT(b->err, 0);
}

/* Offset of the signature count in an encoded entry. */
static size_t
entry_nsigs_at(const struct entry *e)
{
	return 17 + 8 + 8 + 4 + e->stmt_len;
}

static void
test_keys__entry_round_trip(void)
{
	static const uint8_t n_sigs[] = {1, 2, ENTRY_MAX_SIGS};

	for (size_t k = 0; k < sizeof(n_sigs); k++) {
		struct entry_fixture f;
		struct entry e;
		struct enc_buf b;
		size_t at;

		make_entry(&f, n_sigs[k]);
		encode_entry(&f.e, &b);
		CHECK(memcmp(b.p, "nomdesk/entry/v1\n", 17) == 0);
		at = entry_nsigs_at(&f.e);
		CHECK_INT(b.len, at + 1 + n_sigs[k] * (1 + 32 + 2 + 64));
		CHECK_INT(b.p[at], n_sigs[k]);
		CHECK_INT(entry_parse(b.p, b.len, &e), 0);
		CHECK(e.seq == 41);
		CHECK(e.server_time == 1735689600000LL);
		/* The statement is borrowed from the entry bytes. */
		CHECK(e.stmt == b.p + 17 + 8 + 8 + 4);
		CHECK_INT(e.stmt_len, f.st.len);
		CHECK(memcmp(e.stmt, f.st.p, f.st.len) == 0);
		CHECK_INT(e.n_sigs, n_sigs[k]);
		CHECK(memcmp(e.sigs, f.e.sigs, sizeof(e.sigs)) == 0);
		enc_release(&b);
		enc_release(&f.st);
	}
}

static void
test_keys__entry_rejects_sig_count(void)
{
	struct entry_fixture f;
	struct entry e;
	struct enc_buf b;
	uint8_t *q;
	size_t at, len;
	uint8_t extra[1 + 32 + 2 + 64] = {1};

	make_entry(&f, ENTRY_MAX_SIGS);
	encode_entry(&f.e, &b);
	at = entry_nsigs_at(&f.e);

	/* Zero signatures, with the signature bytes gone too. */
	q = splice(b.p, b.len, at + 1, b.len - at - 1, NULL, 0, &len);
	q[at] = 0;
	CHECK_INT(entry_parse(q, len, &e), -1);
	free(q);

	/* Five: one more than the struct holds. */
	extra[34] = 64;
	q = splice(b.p, b.len, b.len, 0, extra, sizeof(extra), &len);
	q[at] = ENTRY_MAX_SIGS + 1;
	CHECK_INT(entry_parse(q, len, &e), -1);
	free(q);

	/* A count that promises more than is there. */
	b.p[at] = 3;
	CHECK_INT(entry_parse(b.p, b.len, &e), -1);
	b.p[at] = ENTRY_MAX_SIGS;
	CHECK_INT(entry_parse(b.p, b.len, &e), 0);
	enc_release(&b);

	f.e.n_sigs = 0;
	enc_init(&b);
	CHECK_INT(entry_encode(&f.e, &b), -1);
	enc_release(&b);
	f.e.n_sigs = ENTRY_MAX_SIGS + 1;
	enc_init(&b);
	CHECK_INT(entry_encode(&f.e, &b), -1);
	enc_release(&b);
	enc_release(&f.st);
}

static void
test_keys__entry_rejects_unknown_alg(void)
{
	struct entry_fixture f;
	struct entry e;
	struct enc_buf b;
	size_t at;

	make_entry(&f, 2);
	encode_entry(&f.e, &b);
	at = entry_nsigs_at(&f.e) + 1 + (1 + 32 + 2 + 64); /* second sig */
	CHECK_INT(b.p[at], 1);
	b.p[at] = 2;
	CHECK_INT(entry_parse(b.p, b.len, &e), -1);
	b.p[at] = 0;
	CHECK_INT(entry_parse(b.p, b.len, &e), -1);
	enc_release(&b);

	f.e.sigs[1].alg = 2;
	enc_init(&b);
	CHECK_INT(entry_encode(&f.e, &b), -1);
	enc_release(&b);
	enc_release(&f.st);
}

static void
test_keys__entry_rejects_bad_sig_len(void)
{
	struct entry_fixture f;
	struct entry e;
	struct enc_buf b;
	uint8_t *q;
	size_t at, len;

	make_entry(&f, 1);
	encode_entry(&f.e, &b);
	at = entry_nsigs_at(&f.e) + 1 + 1 + 32; /* the b16 length */
	CHECK(b.p[at] == 0 && b.p[at + 1] == 64);

	q = splice(b.p, b.len, b.len - 1, 1, NULL, 0, &len);
	q[at + 1] = 63;
	CHECK_INT(entry_parse(q, len, &e), -1);
	free(q);

	q = splice(b.p, b.len, b.len, 0, "x", 1, &len);
	q[at + 1] = 65;
	CHECK_INT(entry_parse(q, len, &e), -1);
	free(q);
	enc_release(&b);
	enc_release(&f.st);
}

static void
test_keys__entry_rejects_trailing_and_truncated(void)
{
	struct entry_fixture f;
	struct entry e;
	struct enc_buf b;

	make_entry(&f, 2);
	encode_entry(&f.e, &b);
	for (size_t n = 0; n < b.len; n++) {
		if (entry_parse(b.p, n, &e) != -1) {
			test_fail(__FILE__, __LINE__, "prefix %zu parsed", n);
		}
	}
	enc_u8(&b, 0);
	CHECK_INT(entry_parse(b.p, b.len, &e), -1);
	CHECK(e.stmt == NULL);
	enc_release(&b);
	enc_release(&f.st);
}

static void
test_keys__entry_rejects_wrong_tag(void)
{
	struct entry_fixture f;
	struct entry e;
	struct enc_buf b;

	make_entry(&f, 1);
	encode_entry(&f.e, &b);
	for (size_t i = 0; i < 17; i++) {
		b.p[i] ^= 0x01;
		CHECK_INT(entry_parse(b.p, b.len, &e), -1);
		b.p[i] ^= 0x01;
	}
	CHECK_INT(entry_parse(b.p, b.len, &e), 0);
	/* A statement is not an entry. */
	CHECK_INT(entry_parse(f.st.p, f.st.len, &e), -1);
	enc_release(&b);
	enc_release(&f.st);
}

static void
test_keys__entry_rejects_bad_statement(void)
{
	struct entry_fixture f;
	struct entry e;
	struct enc_buf b, bad;
	size_t at;

	make_entry(&f, 1);

	/* The statement with one stray byte, framed correctly. */
	enc_init(&bad);
	enc_raw(&bad, f.st.p, f.st.len);
	enc_u8(&bad, 0);
	f.e.stmt = bad.p;
	f.e.stmt_len = bad.len;
	enc_init(&b);
	CHECK_INT(entry_encode(&f.e, &b), -1);
	enc_release(&b);

	/* Built by hand, since the writer refuses it. */
	f.e.stmt = f.st.p;
	f.e.stmt_len = f.st.len;
	encode_entry(&f.e, &b);
	at = 17 + 8 + 8;
	b.p[at + 3]++; /* b32 length one past the statement */
	CHECK_INT(entry_parse(b.p, b.len, &e), -1);
	b.p[at + 3]--;
	b.p[at + 4 + 21] = 9; /* statement suite */
	CHECK_INT(entry_parse(b.p, b.len, &e), -1);
	b.p[at + 4 + 21] = 1;
	CHECK_INT(entry_parse(b.p, b.len, &e), 0);
	b.p[at] = 0x80; /* b32 length beyond everything */
	CHECK_INT(entry_parse(b.p, b.len, &e), -1);
	enc_release(&b);

	f.e.stmt = NULL;
	f.e.stmt_len = 0;
	enc_init(&b);
	CHECK_INT(entry_encode(&f.e, &b), -1);
	enc_release(&b);
	enc_release(&bad);
	enc_release(&f.st);
}

static void
test_keys__key_id_known_answer(void)
{
	uint8_t pk[32], id[32], want[32];

	for (int i = 0; i < 32; i++) {
		pk[i] = (uint8_t)i;
	}
	/* SHA-256("nomdesk key id v1\n" || 0x01 || 00..1f), by Python. */
	hex2bin("736dae92e9f798085bba79b36344776a21929f5629b2879727c05737d6d41d51",
		want, 32);
	keys_key_id(1, pk, id);
	CHECK(memcmp(id, want, 32) == 0);
	keys_key_id(2, pk, id);
	CHECK(memcmp(id, want, 32) != 0);
}

/* ---- base64 ---- */

static void
test_keys__b64_round_trip_and_strict(void)
{
	uint8_t in[70], out[80];
	char text[128];
	int n;

	for (size_t i = 0; i < sizeof(in); i++) {
		in[i] = (uint8_t)(i * 37 + 11);
	}
	for (size_t len = 0; len <= sizeof(in); len++) {
		n = keys_b64_encode(in, len, text, sizeof(text));
		CHECK_INT(n, (int)((len + 2) / 3 * 4));
		CHECK_INT(keys_b64_decode(text, out, sizeof(out)), (int)len);
		CHECK(memcmp(in, out, len) == 0);
	}
	n = keys_b64_encode("foobar", 6, text, sizeof(text));
	CHECK_STR(text, "Zm9vYmFy");
	CHECK_INT(keys_b64_encode("fo", 2, text, 5), 4);
	CHECK_STR(text, "Zm8=");
	CHECK_INT(keys_b64_encode("fo", 2, text, 4), -1); /* no room for NUL */

	CHECK_INT(keys_b64_decode("Zm8=", out, sizeof(out)), 2);
	CHECK_INT(keys_b64_decode("Zm8", out, sizeof(out)), -1);   /* padding */
	CHECK_INT(keys_b64_decode("Zm9=", out, sizeof(out)), -1);  /* bits */
	CHECK_INT(keys_b64_decode("Zm8= ", out, sizeof(out)), -1); /* space */
	CHECK_INT(keys_b64_decode("Zm 8=", out, sizeof(out)), -1);
	CHECK_INT(keys_b64_decode("Zm-8", out, sizeof(out)), -1); /* url */
	CHECK_INT(keys_b64_decode("Zm8=Zm8=", out, sizeof(out)), -1);
	CHECK_INT(keys_b64_decode("Zm9vYmFy", out, 5), -1); /* too small */
	CHECK_INT(keys_b64_decode("", out, sizeof(out)), 0);
	/* libsodium 1.0.18 reads bytes >= 0x80 as '/': one meaning only */
	CHECK_INT(keys_b64_decode("Zm9/", out, sizeof(out)), 3);
	CHECK_INT(keys_b64_decode("Zm9\xaf", out, sizeof(out)), -1);
}

/* ---- signer ---- */

/* A path in the test's directory; a few stay valid at once. */
static const char *
tmp_path(const char *name)
{
	static char paths[8][512];
	static unsigned next;
	char *path = paths[next++ % 8];

	snprintf(path, 512, "%s/%s", test_tmpdir(), name);
	return path;
}

static struct signer *
new_signer(const char *name)
{
	struct signer *s = NULL;
	char err[256] = "";
	const char *path = tmp_path(name);

	CHECK_INT(signer_generate_file(path, err, sizeof(err)), 0);
	CHECK_INT(signer_load_file(&s, path, err, sizeof(err)), 0);
	CHECK(s != NULL);
	if (!s) {
		test_fail(__FILE__, __LINE__, "%s", err);
		abort();
	}
	return s;
}

static void
write_file(const char *path, const void *p, size_t len, mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	CHECK(fd >= 0);
	if (fd < 0) {
		return;
	}
	CHECK((size_t)write(fd, p, len) == len);
	CHECK(fchmod(fd, mode) == 0);
	close(fd);
}

static size_t
read_file(const char *path, uint8_t *buf, size_t max)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	CHECK(fd >= 0);
	if (fd < 0) {
		return 0;
	}
	n = read(fd, buf, max);
	close(fd);
	return n > 0 ? (size_t)n : 0;
}

static void
test_keys__signer_generate_mode_0600(void)
{
	const char *path = tmp_path("log.key");
	char err[256] = "";
	struct stat st;
	uint8_t buf[200];
	mode_t old = umask(0);

	CHECK_INT(signer_generate_file(path, err, sizeof(err)), 0);
	umask(old);
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 07777, 0600);
	CHECK(S_ISREG(st.st_mode));
	CHECK_INT(read_file(path, buf, sizeof(buf)), 18 + 32 + 32);
	CHECK(memcmp(buf, "nomdesk/logkey/v1\n", 18) == 0);
}

static void
test_keys__signer_refuses_overwrite(void)
{
	const char *path = tmp_path("log.key");
	char err[256] = "";
	uint8_t a[100], b[100];
	size_t na, nb;

	CHECK_INT(signer_generate_file(path, err, sizeof(err)), 0);
	na = read_file(path, a, sizeof(a));
	CHECK_INT(signer_generate_file(path, err, sizeof(err)), -1);
	CHECK(strstr(err, "cannot create key file") != NULL);
	CHECK(strstr(err, path) != NULL);
	nb = read_file(path, b, sizeof(b));
	CHECK(na == nb && memcmp(a, b, na) == 0);

	/* Nor through a symlink to somewhere else. */
	CHECK_INT(symlink(tmp_path("elsewhere"), tmp_path("link.key")), 0);
	CHECK_INT(signer_generate_file(tmp_path("link.key"), err, sizeof(err)),
		  -1);
	CHECK(access(tmp_path("elsewhere"), F_OK) != 0);
}

static void
test_keys__signer_load_refuses_loose_mode(void)
{
	static const mode_t bad[] = {0640, 0604, 0660, 0644, 0602, 0620, 0700 | 04};
	const char *path = tmp_path("log.key");
	struct signer *s = (struct signer *)1;
	char err[256] = "";

	CHECK_INT(signer_generate_file(path, err, sizeof(err)), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(chmod(path, bad[i]), 0);
		CHECK_INT(signer_load_file(&s, path, err, sizeof(err)), -1);
		CHECK(s == NULL);
		CHECK(strstr(err, "group or others") != NULL);
	}
	CHECK_INT(chmod(path, 0400), 0);
	CHECK_INT(signer_load_file(&s, path, err, sizeof(err)), 0);
	signer_free(s);
}

static void
test_keys__signer_load_refuses_bad_format(void)
{
	const char *path = tmp_path("log.key");
	const char *other = tmp_path("bad.key");
	struct signer *s = NULL;
	char err[256] = "";
	uint8_t good[100], bad[100];
	size_t n;

	CHECK_INT(signer_generate_file(path, err, sizeof(err)), 0);
	n = read_file(path, good, sizeof(good));
	CHECK_INT(n, 82);

	memcpy(bad, good, n);
	bad[0] = 'N'; /* tag */
	write_file(other, bad, n, 0600);
	CHECK_INT(signer_load_file(&s, other, err, sizeof(err)), -1);
	CHECK(strstr(err, "not a nomdesk/logkey/v1 file") != NULL);

	memcpy(bad, good, n);
	bad[16] = '2'; /* "v2" */
	write_file(other, bad, n, 0600);
	CHECK_INT(signer_load_file(&s, other, err, sizeof(err)), -1);

	write_file(other, good, n - 1, 0600); /* short */
	CHECK_INT(signer_load_file(&s, other, err, sizeof(err)), -1);
	CHECK(strstr(err, "wrong size") != NULL);

	memcpy(bad, good, n);
	bad[n] = '\n'; /* long */
	write_file(other, bad, n + 1, 0600);
	CHECK_INT(signer_load_file(&s, other, err, sizeof(err)), -1);

	memcpy(bad, good, n);
	bad[18 + 5] ^= 1; /* seed no longer matches the public key */
	write_file(other, bad, n, 0600);
	CHECK_INT(signer_load_file(&s, other, err, sizeof(err)), -1);
	CHECK(strstr(err, "damaged") != NULL);

	memcpy(bad, good, n);
	bad[n - 1] ^= 1; /* public key damaged */
	write_file(other, bad, n, 0600);
	CHECK_INT(signer_load_file(&s, other, err, sizeof(err)), -1);

	write_file(other, "", 0, 0600);
	CHECK_INT(signer_load_file(&s, other, err, sizeof(err)), -1);

	CHECK_INT(signer_load_file(&s, tmp_path("missing.key"), err,
				   sizeof(err)),
		  -1);
	CHECK(strstr(err, "missing.key") != NULL);

	CHECK_INT(mkdir(tmp_path("dir.key"), 0700), 0);
	CHECK_INT(signer_load_file(&s, tmp_path("dir.key"), err, sizeof(err)),
		  -1);
	CHECK(s == NULL);

	CHECK_INT(signer_load_file(&s, path, err, sizeof(err)), 0);
	signer_free(s);
	signer_free(NULL);
}

static void
test_keys__signer_sign_verify_round_trip(void)
{
	struct signer *s = new_signer("log.key");
	uint8_t pk[32], id[32], want[32], sig[64];
	static const char msg[] = "nomdesk/statement/v1\n...";

	signer_public(s, pk);
	signer_key_id(s, id);
	keys_key_id(1, pk, want);
	CHECK(memcmp(id, want, 32) == 0);
	CHECK_INT(signer_sign(s, msg, sizeof(msg) - 1, sig), 0);
	CHECK_INT(keys_verify(pk, msg, sizeof(msg) - 1, sig), 0);
	/* Empty messages are messages too. */
	CHECK_INT(signer_sign(s, "", 0, sig), 0);
	CHECK_INT(keys_verify(pk, "", 0, sig), 0);
	signer_free(s);
}

static void
test_keys__signer_tampered_message_fails(void)
{
	struct signer *s = new_signer("log.key");
	struct signer *s2 = new_signer("other.key");
	uint8_t pk[32], pk2[32], sig[64];
	char msg[] = "checkpoint body\n";
	size_t len = sizeof(msg) - 1;

	signer_public(s, pk);
	signer_public(s2, pk2);
	CHECK(memcmp(pk, pk2, 32) != 0);
	CHECK_INT(signer_sign(s, msg, len, sig), 0);
	for (size_t i = 0; i < len; i++) {
		msg[i] ^= 0x01;
		CHECK_INT(keys_verify(pk, msg, len, sig), -1);
		msg[i] ^= 0x01;
	}
	CHECK_INT(keys_verify(pk, msg, len - 1, sig), -1);
	for (size_t i = 0; i < 64; i += 7) {
		sig[i] ^= 0x80;
		CHECK_INT(keys_verify(pk, msg, len, sig), -1);
		sig[i] ^= 0x80;
	}
	CHECK_INT(keys_verify(pk2, msg, len, sig), -1);
	CHECK_INT(keys_verify(pk, msg, len, sig), 0);
	signer_free(s);
	signer_free(s2);
}

/*
 * The example key of golang.org/x/mod/sumdb/note (PeterNeumann), as a
 * nomdesk key file: Ed25519 is deterministic, so our signer must produce
 * the published signature byte for byte.
 */
static const char go_seed_hex[] =
	"810a1402d5146c8d84f2443330f54080ebf98ee17d9c74f6252fc5d5c7283173";
static const char go_pk_hex[] =
	"1a5cd907143c384c41e830c5bce12aa8817ec5649aaabf2c31388b35b2d744d6";
static const char go_text[] =
	"If you think cryptography is the answer to your problem,\n"
	"then you don't know what your problem is.\n";
static const char go_sig_b64[] =
	"x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqd"
	"ngotpRZb6KE6RyyBwJnAM=";

static struct signer *
go_signer(void)
{
	uint8_t file[82], sk[64];
	struct signer *s = NULL;
	char err[256];

	memcpy(file, "nomdesk/logkey/v1\n", 18);
	hex2bin(go_seed_hex, file + 18, 32);
	crypto_sign_ed25519_seed_keypair(file + 50, sk, file + 18);
	sodium_memzero(sk, sizeof(sk));
	write_file(tmp_path("go.key"), file, sizeof(file), 0600);
	CHECK_INT(signer_load_file(&s, tmp_path("go.key"), err, sizeof(err)),
		  0);
	if (!s) {
		abort();
	}
	return s;
}

static void
test_keys__signer_reference_signature(void)
{
	struct signer *s = go_signer();
	uint8_t pk[32], want_pk[32], sig[64], want[68];

	signer_public(s, pk);
	hex2bin(go_pk_hex, want_pk, 32);
	CHECK(memcmp(pk, want_pk, 32) == 0);
	CHECK_INT(keys_b64_decode(go_sig_b64, want, sizeof(want)), 68);
	CHECK_INT(signer_sign(s, go_text, strlen(go_text), sig), 0);
	CHECK(memcmp(sig, want + 4, 64) == 0);
	signer_free(s);
}

/* ---- checkpoint notes ---- */

static const char origin[] = "nomdesk.datong.example/2025";

/* Signs an arbitrary body as note.c would, computing the key hash here
 * independently.  Returns the note in out. */
static void
sign_body(const struct signer *s, const char *name, const char *body,
	  char *out, size_t outsz)
{
	uint8_t pk[32], h[32], raw[68];
	char b64[100];
	crypto_hash_sha256_state st;

	signer_public(s, pk);
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)name, strlen(name));
	crypto_hash_sha256_update(&st, (const uint8_t *)"\n\x01", 2);
	crypto_hash_sha256_update(&st, pk, 32);
	crypto_hash_sha256_final(&st, h);
	memcpy(raw, h, 4);
	CHECK_INT(signer_sign(s, body, strlen(body), raw + 4), 0);
	CHECK(keys_b64_encode(raw, 68, b64, sizeof(b64)) > 0);
	snprintf(out, outsz, "%s\n\xe2\x80\x94 %s %s\n", body, name, b64);
}

static void
test_keys__note_round_trip(void)
{
	struct signer *s = new_signer("log.key");
	static const uint64_t sizes[] = {0, 1, 8, 1000000, UINT64_MAX};
	uint8_t pk[32], root[32], got_root[32];
	uint64_t got_size;
	char note[512], err[128];

	signer_public(s, pk);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(root, (int)(0x11 * i + 3), 32);
		CHECK_INT(note_checkpoint_sign(s, origin, sizes[i], root, note,
					       sizeof(note)),
			  0);
		err[0] = '\0';
		CHECK_INT(note_checkpoint_verify(note, origin, pk, &got_size,
						 got_root, err, sizeof(err)),
			  0);
		CHECK_STR(err, "");
		CHECK(got_size == sizes[i]);
		CHECK(memcmp(got_root, root, 32) == 0);
	}
	signer_free(s);
}

static void
test_keys__note_format(void)
{
	struct signer *s = new_signer("log.key");
	uint8_t root[32], pk[32], h[32], raw[80];
	char note[512], want_body[256], *sig_line, root64[64];
	crypto_hash_sha256_state st;

	for (int i = 0; i < 32; i++) {
		root[i] = (uint8_t)i;
	}
	CHECK_INT(note_checkpoint_sign(s, origin, 42, root, note, sizeof(note)),
		  0);
	keys_b64_encode(root, 32, root64, sizeof(root64));
	snprintf(want_body, sizeof(want_body), "%s\n42\n%s\n\n", origin,
		 root64);
	CHECK(strncmp(note, want_body, strlen(want_body)) == 0);
	CHECK_STR(root64, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");

	sig_line = note + strlen(want_body);
	CHECK(strncmp(sig_line, "\xe2\x80\x94 ", 4) == 0);
	CHECK(strncmp(sig_line + 4, origin, strlen(origin)) == 0);
	CHECK(sig_line[4 + strlen(origin)] == ' ');
	CHECK(note[strlen(note) - 1] == '\n');
	CHECK(strchr(sig_line, '\n') == note + strlen(note) - 1);
	{
		char b64[128];
		size_t n = strlen(sig_line + 5 + strlen(origin)) - 1;

		memcpy(b64, sig_line + 5 + strlen(origin), n);
		b64[n] = '\0';
		CHECK_INT(keys_b64_decode(b64, raw, sizeof(raw)), 68);
	}
	/* key hash = SHA-256(name || LF || 0x01 || pk)[:4] */
	signer_public(s, pk);
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)origin, strlen(origin));
	crypto_hash_sha256_update(&st, (const uint8_t *)"\n\x01", 2);
	crypto_hash_sha256_update(&st, pk, 32);
	crypto_hash_sha256_final(&st, h);
	CHECK(memcmp(raw, h, 4) == 0);
	/* The signature is over the body including its last LF, not the
	 * blank line. */
	CHECK_INT(keys_verify(pk, note, strlen(want_body) - 1, raw + 4), 0);
	signer_free(s);
}

/* Verifies note against (origin, pk); returns the result, err in err. */
static int
verify(const char *note, const char *org, const uint8_t pk[32], char *err,
       size_t errlen)
{
	uint64_t size;
	uint8_t root[32];

	err[0] = '\0';
	return note_checkpoint_verify(note, org, pk, &size, root, err, errlen);
}

static void
replace_once(char *s, const char *from, const char *to)
{
	char *p = strstr(s, from);
	char tail[1024];

	if (!p) {
		test_fail(__FILE__, __LINE__, "no \"%s\" in note", from);
		return;
	}
	snprintf(tail, sizeof(tail), "%s", p + strlen(from));
	strcpy(p, to);
	strcat(p, tail);
}

static void
test_keys__note_rejects_tampering(void)
{
	struct signer *s = new_signer("log.key");
	struct signer *s2 = new_signer("other.key");
	uint8_t pk[32], pk2[32], root[32];
	char good[512], note[512], err[128], *sig;

	signer_public(s, pk);
	signer_public(s2, pk2);
	memset(root, 0x42, 32);
	CHECK_INT(note_checkpoint_sign(s, origin, 1234, root, good,
				       sizeof(good)),
		  0);
	CHECK_INT(verify(good, origin, pk, err, sizeof(err)), 0);

	/* changed size */
	strcpy(note, good);
	replace_once(note, "\n1234\n", "\n1235\n");
	CHECK_INT(verify(note, origin, pk, err, sizeof(err)), -1);
	CHECK_STR(err, "invalid signature by the log key");

	/* changed root */
	strcpy(note, good);
	replace_once(note, "QkJC", "QkJD");
	CHECK_INT(verify(note, origin, pk, err, sizeof(err)), -1);

	/* changed origin in the body */
	strcpy(note, good);
	replace_once(note, "datong.example/2025\n1234",
		     "datong.example/2026\n1234");
	CHECK_INT(verify(note, origin, pk, err, sizeof(err)), -1);

	/* a checkpoint of another log, properly signed by its own name */
	CHECK_INT(note_checkpoint_sign(s, "other.example/log", 1234, root,
				       note, sizeof(note)),
		  0);
	CHECK_INT(verify(note, origin, pk, err, sizeof(err)), -1);
	CHECK_STR(err, "no signature by the log key");
	CHECK_INT(verify(good, "other.example/log", pk, err, sizeof(err)), -1);

	/* changed signature */
	strcpy(note, good);
	sig = strrchr(note, ' ') + 10;
	*sig = *sig == 'A' ? 'B' : 'A';
	CHECK_INT(verify(note, origin, pk, err, sizeof(err)), -1);
	CHECK_STR(err, "invalid signature by the log key");

	/* the key hash changed: then it is not our line at all */
	strcpy(note, good);
	sig = strrchr(note, ' ') + 1;
	*sig = *sig == 'A' ? 'B' : 'A';
	CHECK_INT(verify(note, origin, pk, err, sizeof(err)), -1);
	CHECK_STR(err, "no signature by the log key");

	/* wrong key */
	CHECK_INT(verify(good, origin, pk2, err, sizeof(err)), -1);
	CHECK_STR(err, "no signature by the log key");

	/* signed by another key under our name */
	CHECK_INT(note_checkpoint_sign(s2, origin, 1234, root, note,
				       sizeof(note)),
		  0);
	CHECK_INT(verify(note, origin, pk, err, sizeof(err)), -1);
	signer_free(s);
	signer_free(s2);
}

static void
test_keys__note_extra_signature_still_verifies(void)
{
	struct signer *s = new_signer("log.key");
	struct signer *w = new_signer("witness.key");
	uint8_t pk[32], root[32], got_root[32];
	char note[1024], body[256], wnote[1024], two[2048], err[128];
	char *wline;
	uint64_t size;

	signer_public(s, pk);
	memset(root, 0x99, 32);
	CHECK_INT(note_checkpoint_sign(s, origin, 77, root, note, sizeof(note)),
		  0);
	/* A witness signs the same body under its own name. */
	snprintf(body, sizeof(body), "%.*s",
		 (int)(strstr(note, "\n\n") - note + 1), note);
	sign_body(w, "witness.example/w1", body, wnote, sizeof(wnote));
	wline = strstr(wnote, "\n\n") + 2;

	/* after ours */
	snprintf(two, sizeof(two), "%s%s", note, wline);
	CHECK_INT(note_checkpoint_verify(two, origin, pk, &size, got_root, err,
					 sizeof(err)),
		  0);
	CHECK(size == 77 && memcmp(got_root, root, 32) == 0);

	/* before ours */
	snprintf(two, sizeof(two), "%s%s", wnote, strstr(note, "\n\n") + 2);
	CHECK_INT(verify(two, origin, pk, err, sizeof(err)), 0);

	/* another key under the same name: key hash differs, ignored */
	sign_body(w, origin, body, wnote, sizeof(wnote));
	snprintf(two, sizeof(two), "%s%s", note, strstr(wnote, "\n\n") + 2);
	CHECK_INT(verify(two, origin, pk, err, sizeof(err)), 0);

	/* an unknown signature type: only has to be well formed */
	snprintf(two, sizeof(two), "%s\xe2\x80\x94 other.example AAAAAAA=\n",
		 note);
	CHECK_INT(verify(two, origin, pk, err, sizeof(err)), 0);
	signer_free(s);
	signer_free(w);
}

static void
test_keys__note_rejects_bad_line_by_our_key(void)
{
	struct signer *s = new_signer("log.key");
	uint8_t pk[32], root[32];
	char note[1024], two[2048], bad[1024], err[128], *p;

	signer_public(s, pk);
	memset(root, 0x99, 32);
	CHECK_INT(note_checkpoint_sign(s, origin, 5, root, note, sizeof(note)),
		  0);
	/* A second line with our name and key hash but a broken signature
	 * cannot hide behind the good one. */
	strcpy(bad, strstr(note, "\n\n") + 2);
	p = strrchr(bad, ' ') + 20;
	*p = *p == 'A' ? 'B' : 'A';
	snprintf(two, sizeof(two), "%s%s", note, bad);
	CHECK_INT(verify(two, origin, pk, err, sizeof(err)), -1);
	CHECK_STR(err, "invalid signature by the log key");
	signer_free(s);
}

static void
test_keys__note_rejects_malformed(void)
{
	struct signer *s = new_signer("log.key");
	uint8_t pk[32];
	char note[2048], body[256], err[128];
	static const char root64[] =
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
	static const char *bad_bodies[] = {
		"nomdesk.datong.example/2025\n007\nROOT\n",
		"nomdesk.datong.example/2025\n-7\nROOT\n",
		"nomdesk.datong.example/2025\n+7\nROOT\n",
		"nomdesk.datong.example/2025\n 7\nROOT\n",
		"nomdesk.datong.example/2025\n18446744073709551616\nROOT\n",
		"nomdesk.datong.example/2025\n\nROOT\n",
		"nomdesk.datong.example/2025\n7\nROOT=\n",
		"nomdesk.datong.example/2025\n7\nAAEC\n",
		"nomdesk.datong.example/2025\n7\n",
		"nomdesk.datong.example/2025 \n7\nROOT\n",
		"nomdesk.datong.example/2025\n7\nROOT\n\nextension\n",
		"nomdesk.datong.example/2025\n7\nROOT\next\tension\n",
		"nomdesk.datong.example/2025\n7\nROOT\next\x1b[0m\n",
	};

	signer_public(s, pk);
	/* Correctly signed bodies that are not valid checkpoints. */
	for (size_t i = 0; i < sizeof(bad_bodies) / sizeof(bad_bodies[0]);
	     i++) {
		snprintf(body, sizeof(body), "%s", bad_bodies[i]);
		if (strstr(body, "ROOT")) {
			replace_once(body, "ROOT", root64);
		}
		sign_body(s, origin, body, note, sizeof(note));
		if (verify(note, origin, pk, err, sizeof(err)) != -1) {
			test_fail(__FILE__, __LINE__, "accepted body %zu", i);
		}
	}
	/* The good counterparts pass, extension lines included. */
	snprintf(body, sizeof(body), "%s\n18446744073709551615\n%s\n", origin,
		 root64);
	sign_body(s, origin, body, note, sizeof(note));
	CHECK_INT(verify(note, origin, pk, err, sizeof(err)), 0);
	snprintf(body, sizeof(body), "%s\n7\n%s\nextension line\n", origin,
		 root64);
	sign_body(s, origin, body, note, sizeof(note));
	CHECK_INT(verify(note, origin, pk, err, sizeof(err)), 0);

	/* Framing damage. */
	snprintf(body, sizeof(body), "%s\n7\n%s\n", origin, root64);
	sign_body(s, origin, body, note, sizeof(note));
	CHECK_INT(verify(note, origin, pk, err, sizeof(err)), 0);
	{
		char m[4096];

		snprintf(m, sizeof(m), "%s", note);
		m[strlen(m) - 1] = '\0'; /* no final LF */
		CHECK_INT(verify(m, origin, pk, err, sizeof(err)), -1);

		snprintf(m, sizeof(m), "%s\n", note); /* trailing blank line */
		CHECK_INT(verify(m, origin, pk, err, sizeof(err)), -1);

		snprintf(m, sizeof(m), "%s", note);
		replace_once(m, "\n\n", "\n"); /* no blank line */
		CHECK_INT(verify(m, origin, pk, err, sizeof(err)), -1);

		snprintf(m, sizeof(m), "%s", note);
		replace_once(m, "\xe2\x80\x94 ", "-- "); /* not an em dash */
		CHECK_INT(verify(m, origin, pk, err, sizeof(err)), -1);

		snprintf(m, sizeof(m), "%s", note);
		replace_once(m, "\xe2\x80\x94 ", "\xe2\x80\x93 "); /* en dash */
		CHECK_INT(verify(m, origin, pk, err, sizeof(err)), -1);

		snprintf(m, sizeof(m), "%s", note);
		replace_once(m, "\n7\n", "\n7\r\n"); /* control char */
		CHECK_INT(verify(m, origin, pk, err, sizeof(err)), -1);

		snprintf(m, sizeof(m), "%s\xe2\x80\x94 x\n", note); /* no b64 */
		CHECK_INT(verify(m, origin, pk, err, sizeof(err)), -1);

		snprintf(m, sizeof(m), "%s\xe2\x80\x94 x AAAA\n", note);
		CHECK_INT(verify(m, origin, pk, err, sizeof(err)), -1);

		snprintf(m, sizeof(m), "%s\xe2\x80\x94 a+b AAAAAAA=\n", note);
		CHECK_INT(verify(m, origin, pk, err, sizeof(err)), -1);

		snprintf(m, sizeof(m), "%s\xff\n", note); /* bad UTF-8 */
		CHECK_INT(verify(m, origin, pk, err, sizeof(err)), -1);

		CHECK_INT(verify("", origin, pk, err, sizeof(err)), -1);
		CHECK_INT(verify("\n\n", origin, pk, err, sizeof(err)), -1);
	}
	/* More than 100 signature lines. */
	{
		char *m = malloc(20000);

		if (!m) {
			abort();
		}
		strcpy(m, note);
		for (int i = 0; i < 100; i++) {
			strcat(m, "\xe2\x80\x94 w.example AAAAAAA=\n");
		}
		CHECK_INT(verify(m, origin, pk, err, sizeof(err)), -1);
		CHECK(strstr(err, "too many") != NULL);
		free(m);
	}
	signer_free(s);
}

static void
test_keys__note_sign_limits(void)
{
	struct signer *s = new_signer("log.key");
	uint8_t root[32] = {0};
	char note[512];
	int need;

	CHECK_INT(note_checkpoint_sign(s, origin, 9, root, note, sizeof(note)),
		  0);
	need = (int)strlen(note) + 1;
	CHECK_INT(note_checkpoint_sign(s, origin, 9, root, note, (size_t)need),
		  0);
	CHECK_INT(note_checkpoint_sign(s, origin, 9, root, note,
				       (size_t)need - 1),
		  -1);
	CHECK_STR(note, "");
	CHECK_INT(note_checkpoint_sign(s, origin, 9, root, note, 10), -1);
	/* Key names: non-empty, no spaces, no '+', no newline. */
	CHECK_INT(note_checkpoint_sign(s, "", 9, root, note, sizeof(note)), -1);
	CHECK_INT(note_checkpoint_sign(s, "a b", 9, root, note, sizeof(note)),
		  -1);
	CHECK_INT(note_checkpoint_sign(s, "a+b", 9, root, note, sizeof(note)),
		  -1);
	CHECK_INT(note_checkpoint_sign(s, "a\nb", 9, root, note, sizeof(note)),
		  -1);
	CHECK_INT(note_checkpoint_sign(s, "a\xe3\x80\x80" "b", 9, root, note,
				       sizeof(note)),
		  -1);
	CHECK_INT(note_checkpoint_sign(s, "大同.example/日志", 9, root, note,
				       sizeof(note)),
		  0);
	signer_free(s);
}

static void
test_keys__note_reference_vector(void)
{
	uint8_t pk[32];
	char note[512], err[128];

	/* The golang.org/x/mod/sumdb/note example note.  Its body is not a
	 * checkpoint, so the verdict must come from the body check, after
	 * the signature (key hash, em dash, base64, Ed25519) passed. */
	hex2bin(go_pk_hex, pk, 32);
	snprintf(note, sizeof(note), "%s\n\xe2\x80\x94 PeterNeumann %s\n",
		 go_text, go_sig_b64);
	CHECK_INT(verify(note, "PeterNeumann", pk, err, sizeof(err)), -1);
	CHECK_STR(err, "checkpoint is for another log (origin differs)");

	replace_once(note, "cryptography", "cryptographY");
	CHECK_INT(verify(note, "PeterNeumann", pk, err, sizeof(err)), -1);
	CHECK_STR(err, "invalid signature by the log key");
}

static const struct test_case tests_keys[] = {
	{"keys__enc_integers_big_endian", test_keys__enc_integers_big_endian},
	{"keys__dec_overrun_is_sticky", test_keys__dec_overrun_is_sticky},
	{"keys__enc_s16_rules", test_keys__enc_s16_rules},
	{"keys__dec_s16_rules", test_keys__dec_s16_rules},
	{"keys__dec_s16_too_long_for_buffer",
	 test_keys__dec_s16_too_long_for_buffer},
	{"keys__enc_length_limits", test_keys__enc_length_limits},
	{"keys__stmt_round_trip", test_keys__stmt_round_trip},
	{"keys__stmt_max_fields_round_trip",
	 test_keys__stmt_max_fields_round_trip},
	{"keys__stmt_layout", test_keys__stmt_layout},
	{"keys__stmt_rejects_trailing_byte",
	 test_keys__stmt_rejects_trailing_byte},
	{"keys__stmt_rejects_truncated", test_keys__stmt_rejects_truncated},
	{"keys__stmt_rejects_wrong_tag", test_keys__stmt_rejects_wrong_tag},
	{"keys__stmt_rejects_unknown_suite",
	 test_keys__stmt_rejects_unknown_suite},
	{"keys__stmt_rejects_reencode_mismatch",
	 test_keys__stmt_rejects_reencode_mismatch},
	{"keys__stmt_rejects_bad_text", test_keys__stmt_rejects_bad_text},
	{"keys__stmt_rejects_overlong_field",
	 test_keys__stmt_rejects_overlong_field},
	{"keys__stmt_rejects_counts_over_limit",
	 test_keys__stmt_rejects_counts_over_limit},
	{"keys__stmt_rejects_length_overrun",
	 test_keys__stmt_rejects_length_overrun},
	{"keys__stmt_encode_rejects_bad_struct",
	 test_keys__stmt_encode_rejects_bad_struct},
	{"keys__entry_round_trip", test_keys__entry_round_trip},
	{"keys__entry_rejects_sig_count", test_keys__entry_rejects_sig_count},
	{"keys__entry_rejects_unknown_alg",
	 test_keys__entry_rejects_unknown_alg},
	{"keys__entry_rejects_bad_sig_len",
	 test_keys__entry_rejects_bad_sig_len},
	{"keys__entry_rejects_trailing_and_truncated",
	 test_keys__entry_rejects_trailing_and_truncated},
	{"keys__entry_rejects_wrong_tag", test_keys__entry_rejects_wrong_tag},
	{"keys__entry_rejects_bad_statement",
	 test_keys__entry_rejects_bad_statement},
	{"keys__key_id_known_answer", test_keys__key_id_known_answer},
	{"keys__b64_round_trip_and_strict",
	 test_keys__b64_round_trip_and_strict},
	{"keys__signer_generate_mode_0600",
	 test_keys__signer_generate_mode_0600},
	{"keys__signer_refuses_overwrite", test_keys__signer_refuses_overwrite},
	{"keys__signer_load_refuses_loose_mode",
	 test_keys__signer_load_refuses_loose_mode},
	{"keys__signer_load_refuses_bad_format",
	 test_keys__signer_load_refuses_bad_format},
	{"keys__signer_sign_verify_round_trip",
	 test_keys__signer_sign_verify_round_trip},
	{"keys__signer_tampered_message_fails",
	 test_keys__signer_tampered_message_fails},
	{"keys__signer_reference_signature",
	 test_keys__signer_reference_signature},
	{"keys__note_round_trip", test_keys__note_round_trip},
	{"keys__note_format", test_keys__note_format},
	{"keys__note_rejects_tampering", test_keys__note_rejects_tampering},
	{"keys__note_extra_signature_still_verifies",
	 test_keys__note_extra_signature_still_verifies},
	{"keys__note_rejects_bad_line_by_our_key",
	 test_keys__note_rejects_bad_line_by_our_key},
	{"keys__note_rejects_malformed", test_keys__note_rejects_malformed},
	{"keys__note_sign_limits", test_keys__note_sign_limits},
	{"keys__note_reference_vector", test_keys__note_reference_vector},
	{NULL, NULL},
};
TEST_REGISTER(tests_keys)
