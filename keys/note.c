/*
 * note: checkpoints (C2SP tlog-checkpoint) written and read as signed notes
 * (C2SP signed-note), audit-log.md 2.7.
 *
 *     <origin>\n<size>\n<base64 root>\n
 *     \n
 *     — <origin> <base64(key hash[4] || Ed25519 signature[64])>\n
 *
 * The signature covers the body text including its final newline; the
 * key hash is SHA-256(name || 0x0A || 0x01 || public key)[:4].  Parsing
 * follows the reference implementation (golang.org/x/mod/sumdb/note):
 * the signature block starts after the last blank line, signature lines
 * by unknown keys are skipped but must still be well formed, at most 100
 * signature lines.  Any line that names our key must verify, so a forged
 * line cannot hide behind a good one.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <utf8proc.h>

#include "keys/keys.h"

#define SIG_TYPE_ED25519 0x01
#define MAX_SIG_LINES 100
/* "— " is U+2014 EM DASH then a space. */
static const char sig_prefix[] = "\xe2\x80\x94 ";
#define SIG_PREFIX_LEN (sizeof(sig_prefix) - 1)

static void
set_err(char *err, size_t errlen, const char *why)
{
	if (err && errlen > 0) {
		snprintf(err, errlen, "%s", why);
	}
}

/* Unicode White_Space, which signed-note forbids in key names. */
static int
is_space(utf8proc_int32_t c)
{
	return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 ||
	       c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
	       c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
	       c == 0x3000;
}

/* A signed-note key name: non-empty UTF-8, no space, no '+', no control. */
static int
name_ok(const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s;

	if (len == 0) {
		return 0;
	}
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k;

		k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
		if (k <= 0 || c < 0x20 || c == 0x7f || c == '+' ||
		    is_space(c)) {
			return 0;
		}
		i += (size_t)k;
	}
	return 1;
}

void
note_key_hash(const char *name, uint8_t type, const uint8_t pk[KEYS_PK_LEN],
	      uint8_t out[4])
{
	const uint8_t sep[2] = {0x0a, type};
	crypto_hash_sha256_state st;
	uint8_t h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)name, strlen(name));
	crypto_hash_sha256_update(&st, sep, sizeof(sep));
	crypto_hash_sha256_update(&st, pk, KEYS_PK_LEN);
	crypto_hash_sha256_final(&st, h);
	memcpy(out, h, 4);
}

static void
key_hash(const char *name, const uint8_t pk[KEYS_PK_LEN], uint8_t out[4])
{
	note_key_hash(name, SIG_TYPE_ED25519, pk, out);
}

int
note_checkpoint_sign(const struct signer *s, const char *origin,
		     uint64_t size, const uint8_t root[32], char *out,
		     size_t outsz)
{
	uint8_t pk[KEYS_PK_LEN];
	uint8_t sig[4 + KEYS_SIG_LEN];
	char root64[64], sig64[128];
	size_t body;
	int n, r = -1;

	if (!s || !origin || !out || outsz == 0 ||
	    !name_ok(origin, strlen(origin))) {
		goto out;
	}
	if (keys_b64_encode(root, 32, root64, sizeof(root64)) < 0) {
		goto out;
	}
	n = snprintf(out, outsz, "%s\n%" PRIu64 "\n%s\n", origin, size,
		     root64);
	if (n < 0 || (size_t)n >= outsz) {
		goto out;
	}
	body = (size_t)n;
	signer_public(s, pk);
	key_hash(origin, pk, sig);
	if (signer_sign(s, out, body, sig + 4) < 0 ||
	    keys_b64_encode(sig, sizeof(sig), sig64, sizeof(sig64)) < 0) {
		goto out;
	}
	n = snprintf(out + body, outsz - body, "\n%s%s %s\n", sig_prefix,
		     origin, sig64);
	if (n < 0 || (size_t)n >= outsz - body) {
		goto out;
	}
	r = 0;
out:
	if (r < 0 && out && outsz > 0) {
		out[0] = '\0';
	}
	return r;
}

/* Valid UTF-8 with no control character but LF, as signed-note requires. */
static int
note_text_ok(const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s;

	for (size_t i = 0; i < len;) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k;

		k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
		if (k <= 0 || (c < 0x20 && c != '\n')) {
			return 0;
		}
		i += (size_t)k;
	}
	return 1;
}

/*
 * Checks one signature line (without its LF).  Sets *ours when it names
 * (origin, hash); returns 0, or -1 with err for a malformed line or a bad
 * signature by our key.
 */
static int
sig_line_check(const char *line, size_t len, const char *origin,
	       const uint8_t hash[4], const uint8_t pk[KEYS_PK_LEN],
	       const char *body, size_t body_len, int *ours, char *err,
	       size_t errlen)
{
	const char *name, *sp, *b64;
	size_t name_len, b64_len;
	char *b64z = NULL;
	uint8_t *raw = NULL;
	int n, r = -1;

	*ours = 0;
	if (len < SIG_PREFIX_LEN ||
	    memcmp(line, sig_prefix, SIG_PREFIX_LEN) != 0) {
		set_err(err, errlen, "malformed note: bad signature line");
		goto out;
	}
	name = line + SIG_PREFIX_LEN;
	sp = memchr(name, ' ', len - SIG_PREFIX_LEN);
	if (!sp) {
		set_err(err, errlen, "malformed note: bad signature line");
		goto out;
	}
	name_len = (size_t)(sp - name);
	b64 = sp + 1;
	b64_len = len - SIG_PREFIX_LEN - name_len - 1;
	if (!name_ok(name, name_len) || b64_len == 0) {
		set_err(err, errlen, "malformed note: bad signature line");
		goto out;
	}
	b64z = malloc(b64_len + 1);
	raw = malloc(b64_len);
	if (!b64z || !raw) {
		set_err(err, errlen, "out of memory");
		goto out;
	}
	memcpy(b64z, b64, b64_len);
	b64z[b64_len] = '\0';
	n = keys_b64_decode(b64z, raw, b64_len);
	if (n < 5) {
		set_err(err, errlen, "malformed note: bad signature encoding");
		goto out;
	}
	if (name_len != strlen(origin) || memcmp(name, origin, name_len) != 0 ||
	    memcmp(raw, hash, 4) != 0) {
		r = 0; /* someone else's signature, e.g. a witness */
		goto out;
	}
	*ours = 1;
	if ((size_t)n != 4 + KEYS_SIG_LEN ||
	    keys_verify(pk, body, body_len, raw + 4) < 0) {
		set_err(err, errlen, "invalid signature by the log key");
		goto out;
	}
	r = 0;
out:
	free(b64z);
	free(raw);
	return r;
}

/* Parses "<decimal>" with no sign, no leading zero, no overflow. */
static int
parse_size(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 20 || (len > 1 && s[0] == '0')) {
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9') {
			return -1;
		}
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10) {
			return -1;
		}
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* The checkpoint body: origin, size, root, then extension lines. */
static int
body_parse(const char *body, size_t len, const char *origin, uint64_t *size,
	   uint8_t root[32], char *err, size_t errlen)
{
	const char *p = body, *end = body + len, *nl;
	char root64[48];
	uint8_t raw[48];
	size_t n;
	int line = 0;

	for (; p < end; p = nl + 1, line++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		/* body ends in LF by construction of the split */
		n = (size_t)(nl - p);
		if (n == 0) {
			set_err(err, errlen, "malformed checkpoint: empty line");
			return -1;
		}
		if (line == 0) {
			if (n != strlen(origin) || memcmp(p, origin, n) != 0) {
				set_err(err, errlen,
					"checkpoint is for another log (origin "
					"differs)");
				return -1;
			}
		} else if (line == 1) {
			if (parse_size(p, n, size) < 0) {
				set_err(err, errlen,
					"malformed checkpoint: bad tree size");
				return -1;
			}
		} else if (line == 2) {
			if (n >= sizeof(root64)) {
				set_err(err, errlen,
					"malformed checkpoint: bad root hash");
				return -1;
			}
			memcpy(root64, p, n);
			root64[n] = '\0';
			if (keys_b64_decode(root64, raw, sizeof(raw)) != 32) {
				set_err(err, errlen,
					"malformed checkpoint: bad root hash");
				return -1;
			}
			memcpy(root, raw, 32);
		}
		/* Later lines are extension lines: signed, and ignored. */
	}
	if (line < 3) {
		set_err(err, errlen, "malformed checkpoint: too few lines");
		return -1;
	}
	return 0;
}

int
note_checkpoint_verify(const char *note, const char *origin,
		       const uint8_t pk[KEYS_PK_LEN], uint64_t *size,
		       uint8_t root[32], char *err, size_t errlen)
{
	const char *sigs, *p, *end;
	uint8_t hash[4];
	size_t len, split, body_len;
	int found = 0, n_lines = 0;

	*size = 0;
	memset(root, 0, 32);
	if (!note || !origin || !name_ok(origin, strlen(origin))) {
		set_err(err, errlen, "bad origin");
		return -1;
	}
	len = strlen(note);
	if (!note_text_ok(note, len)) {
		set_err(err, errlen,
			"malformed note: invalid UTF-8 or control character");
		return -1;
	}
	/* The signature block follows the last blank line. */
	for (split = len; split >= 2; split--) {
		if (note[split - 2] == '\n' && note[split - 1] == '\n') {
			break;
		}
	}
	if (split < 2) {
		set_err(err, errlen, "malformed note: no signature block");
		return -1;
	}
	body_len = split - 1;
	sigs = note + split;
	end = note + len;
	if (sigs == end || end[-1] != '\n') {
		set_err(err, errlen, "malformed note: no signature block");
		return -1;
	}
	key_hash(origin, pk, hash);
	for (p = sigs; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		int ours;

		if (++n_lines > MAX_SIG_LINES) {
			set_err(err, errlen, "malformed note: too many signatures");
			return -1;
		}
		if (sig_line_check(p, (size_t)(nl - p), origin, hash, pk, note,
				   body_len, &ours, err, errlen) < 0) {
			return -1;
		}
		found |= ours;
		p = nl + 1;
	}
	if (!found) {
		set_err(err, errlen, "no signature by the log key");
		return -1;
	}
	if (body_parse(note, body_len, origin, size, root, err, errlen) < 0) {
		*size = 0;
		memset(root, 0, 32);
		return -1;
	}
	return 0;
}

/* ---- signature lines: several signers, witnesses' cosignatures ---- */

int
note_split(const char *note, size_t len, size_t *body_len, size_t *sigs_off)
{
	size_t split;

	for (split = len; split >= 2; split--) {
		if (note[split - 2] == '\n' && note[split - 1] == '\n') {
			break;
		}
	}
	if (split < 2 || split == len || note[len - 1] != '\n') {
		return -1;
	}
	*body_len = split - 1;
	*sigs_off = split;
	return 0;
}

int
note_sig_line_parse(const char *line, size_t len, char *name, size_t namesz,
		    uint8_t *raw, size_t rawsz, size_t *rawlen)
{
	const char *nm, *sp;
	char b64[256];
	size_t name_len, b64_len;
	int n;

	*rawlen = 0;
	if (len < SIG_PREFIX_LEN ||
	    memcmp(line, sig_prefix, SIG_PREFIX_LEN) != 0) {
		return -1;
	}
	nm = line + SIG_PREFIX_LEN;
	if (!(sp = memchr(nm, ' ', len - SIG_PREFIX_LEN))) {
		return -1;
	}
	name_len = (size_t)(sp - nm);
	b64_len = len - SIG_PREFIX_LEN - name_len - 1;
	if (!name_ok(nm, name_len) || name_len >= namesz || b64_len == 0 ||
	    b64_len >= sizeof(b64)) {
		return -1;
	}
	memcpy(b64, sp + 1, b64_len);
	b64[b64_len] = '\0';
	/* keys_b64_decode is strict: one spelling per byte string. */
	n = keys_b64_decode(b64, raw, rawsz);
	if (n < 5) {
		return -1;
	}
	memcpy(name, nm, name_len);
	name[name_len] = '\0';
	*rawlen = (size_t)n;
	return 0;
}

int
note_sign_append(const struct signer *s, const char *name, char *out,
		 size_t outsz)
{
	uint8_t pk[KEYS_PK_LEN], sig[4 + KEYS_SIG_LEN];
	char sig64[128];
	size_t len, body_len, sigs_off;
	int n;

	if (!s || !name || !out || !name_ok(name, strlen(name))) {
		return -1;
	}
	len = strlen(out);
	if (note_split(out, len, &body_len, &sigs_off) < 0) {
		return -1;
	}
	signer_public(s, pk);
	key_hash(name, pk, sig);
	if (signer_sign(s, out, body_len, sig + 4) < 0 ||
	    keys_b64_encode(sig, sizeof(sig), sig64, sizeof(sig64)) < 0) {
		return -1;
	}
	n = snprintf(out + len, outsz - len, "%s%s %s\n", sig_prefix, name,
		     sig64);
	if (n < 0 || (size_t)n >= outsz - len) {
		out[len] = '\0';
		return -1;
	}
	return 0;
}

/* "cosignature/v1\ntime <t>\n" || body, malloc'd; NULL out of memory. */
static uint8_t *
cosig_message(const char *body, size_t body_len, uint64_t t, size_t *len)
{
	char head[64];
	uint8_t *m;
	int n;

	n = snprintf(head, sizeof(head), "cosignature/v1\ntime %" PRIu64 "\n",
		     t);
	if (n < 0 || (size_t)n >= sizeof(head) ||
	    !(m = malloc((size_t)n + body_len))) {
		return NULL;
	}
	memcpy(m, head, (size_t)n);
	memcpy(m + n, body, body_len);
	*len = (size_t)n + body_len;
	return m;
}

int
note_cosign(const struct signer *s, const char *name, const char *body,
	    size_t body_len, uint64_t t, char *line, size_t linesz)
{
	uint8_t raw[NOTE_COSIG_LEN], pk[KEYS_PK_LEN], *msg = NULL;
	char b64[128];
	size_t ml;
	int n, r = -1;

	if (!s || !name || !line || linesz == 0 ||
	    !name_ok(name, strlen(name)) || t > (uint64_t)INT64_MAX) {
		goto out;
	}
	if (!(msg = cosig_message(body, body_len, t, &ml))) {
		goto out;
	}
	signer_public(s, pk);
	note_key_hash(name, NOTE_TYPE_COSIG, pk, raw);
	for (int i = 0; i < 8; i++) {
		raw[4 + i] = (uint8_t)(t >> (56 - 8 * i));
	}
	if (signer_sign(s, msg, ml, raw + 12) < 0 ||
	    keys_b64_encode(raw, sizeof(raw), b64, sizeof(b64)) < 0) {
		goto out;
	}
	n = snprintf(line, linesz, "%s%s %s\n", sig_prefix, name, b64);
	if (n < 0 || (size_t)n >= linesz) {
		goto out;
	}
	r = 0;
out:
	if (r < 0 && line && linesz > 0) {
		line[0] = '\0';
	}
	free(msg);
	return r;
}

int
note_cosig_verify(const char *body, size_t body_len, const char *name,
		  const uint8_t pk[KEYS_PK_LEN], const uint8_t *raw,
		  size_t rawlen, uint64_t *t)
{
	uint8_t hash[4], *msg;
	uint64_t v = 0;
	size_t ml;
	int r;

	*t = 0;
	if (rawlen != NOTE_COSIG_LEN) {
		return -1;
	}
	note_key_hash(name, NOTE_TYPE_COSIG, pk, hash);
	if (memcmp(hash, raw, 4) != 0) {
		return -1;
	}
	for (int i = 0; i < 8; i++) {
		v = v << 8 | raw[4 + i];
	}
	if (!(msg = cosig_message(body, body_len, v, &ml))) {
		return -1;
	}
	r = keys_verify(pk, msg, ml, raw + 12);
	free(msg);
	if (r == 0) {
		*t = v;
	}
	return r;
}
