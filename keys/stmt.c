/*
 * stmt: statement v1 (what a person signs) and entry v1 (what the log
 * stores and hashes into the tree), audit-log.md 2.3; and key ids (2.2).
 *
 * Writer and parser share one set of rules (stmt_check, entry_check), so
 * anything the writer produces parses and anything that parses re-encodes
 * to the same bytes; the parser proves the latter by re-encoding and
 * comparing before it answers.  Two programs can then never disagree on
 * what a stored entry means, which is what the signatures rely on.
 */
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "keys/keys.h"

static const char stmt_tag[] = "nomdesk/statement/v1\n";
static const char entry_tag[] = "nomdesk/entry/v1\n";

#define STMT_TAG_LEN (sizeof(stmt_tag) - 1)
#define ENTRY_TAG_LEN (sizeof(entry_tag) - 1)
#define SUITE_V1 1
#define SUITE_V2 2 /* seen size: the transaction's start (keys.h) */
#define ALG_ED25519 1
#define DECISION_MAX 4
/* audit-log.md 2.3: an entry is at most 65,535 bytes. */
#define ENTRY_MAX_LEN 0xffffu

static int
act_known(uint16_t act)
{
	switch (act) {
	case ACT_NOMINEE_CREATED:
	case ACT_DOSSIER_EDITED:
	case ACT_MATERIAL:
	case ACT_REVIEW:
	case ACT_VERIFICATION:
	case ACT_PLEDGE:
	case ACT_PLEDGE_PAPER:
	case ACT_VETO:
	case ACT_VETO_APPEAL:
	case ACT_NOTICE:
	case ACT_TRANSITION:
	case ACT_KEY_ENROLL:
	case ACT_KEY_ROTATE:
	case ACT_KEY_REVOKE:
	case ACT_LOG_KEY:
	case ACT_WITNESS_KEY:
	case ACT_ADMIN:
	case ACT_SESSION:
	case ACT_VIEW:
		return 1;
	default:
		return 0;
	}
}

/* A fixed char array holds a string only if the NUL is inside it. */
#define TERMINATED(a) (memchr((a), '\0', sizeof(a)) != NULL)

/* The non-text rules of statement v1; text is checked by enc/dec_s16. */
static int
stmt_check(const struct stmt *s)
{
	if ((s->suite != SUITE_V1 && s->suite != SUITE_V2) ||
	    !act_known(s->act) ||
	    s->decision > DECISION_MAX ||
	    s->checklist_len > sizeof(s->checklist) ||
	    s->n_attach > STMT_MAX_ATTACH) {
		return -1;
	}
	if (!TERMINATED(s->origin) || !TERMINATED(s->actor) ||
	    !TERMINATED(s->unit) || !TERMINATED(s->subject) ||
	    !TERMINATED(s->reason)) {
		return -1;
	}
	return 0;
}

int
stmt_encode(const struct stmt *s, struct enc_buf *b)
{
	if (b->err) {
		return -1;
	}
	if (stmt_check(s) < 0) {
		b->err = 1;
		return -1;
	}
	enc_raw(b, stmt_tag, STMT_TAG_LEN);
	enc_u8(b, s->suite);
	enc_s16(b, s->origin, 0);
	enc_u16(b, s->act);
	enc_s16(b, s->actor, 0);
	enc_raw(b, s->actor_key_id, KEYS_HASH_LEN);
	enc_u8(b, s->actor_role);
	enc_s16(b, s->unit, 0);
	enc_s16(b, s->subject, 0);
	enc_u32(b, s->version);
	enc_raw(b, s->prev_digest, KEYS_HASH_LEN);
	enc_raw(b, s->digest, KEYS_HASH_LEN);
	enc_u8(b, s->decision);
	enc_b16(b, s->checklist, s->checklist_len);
	enc_s16(b, s->reason, 1);
	enc_u16(b, s->n_attach);
	for (uint16_t i = 0; i < s->n_attach; i++) {
		enc_raw(b, s->attach[i], KEYS_HASH_LEN);
	}
	enc_i64(b, s->client_time);
	enc_u64(b, s->seen_size);
	enc_raw(b, s->seen_root, KEYS_HASH_LEN);
	enc_raw(b, s->nonce, sizeof(s->nonce));
	return b->err ? -1 : 0;
}

/* Copies a fixed-size field; on a short read d->err is already set. */
static void
dec_fixed(struct dec_buf *d, void *out, size_t n)
{
	const uint8_t *p = dec_raw(d, n);

	if (p) {
		memcpy(out, p, n);
	}
}

/* 0 if p..p+len is exactly what enc produced for the parsed value. */
static int
same_bytes(const struct enc_buf *b, const uint8_t *p, size_t len)
{
	return (!b->err && b->len == len && memcmp(b->p, p, len) == 0) ? 0
								       : -1;
}

int
stmt_parse(const uint8_t *p, size_t len, struct stmt *s)
{
	struct dec_buf d;
	struct enc_buf re;
	const uint8_t *tag, *cl;
	size_t cl_len;
	int r = -1;

	enc_init(&re);
	memset(s, 0, sizeof(*s));
	dec_init(&d, p, len);

	tag = dec_raw(&d, STMT_TAG_LEN);
	if (!tag || memcmp(tag, stmt_tag, STMT_TAG_LEN) != 0) {
		goto out;
	}
	s->suite = dec_u8(&d);
	if (s->suite != SUITE_V1 && s->suite != SUITE_V2) {
		goto out;
	}
	dec_s16(&d, s->origin, sizeof(s->origin), 0);
	s->act = dec_u16(&d);
	dec_s16(&d, s->actor, sizeof(s->actor), 0);
	dec_fixed(&d, s->actor_key_id, KEYS_HASH_LEN);
	s->actor_role = dec_u8(&d);
	dec_s16(&d, s->unit, sizeof(s->unit), 0);
	dec_s16(&d, s->subject, sizeof(s->subject), 0);
	s->version = dec_u32(&d);
	dec_fixed(&d, s->prev_digest, KEYS_HASH_LEN);
	dec_fixed(&d, s->digest, KEYS_HASH_LEN);
	s->decision = dec_u8(&d);
	cl = dec_b16(&d, &cl_len);
	if (!cl || cl_len > sizeof(s->checklist)) {
		goto out;
	}
	memcpy(s->checklist, cl, cl_len);
	s->checklist_len = (uint16_t)cl_len;
	dec_s16(&d, s->reason, sizeof(s->reason), 1);
	s->n_attach = dec_u16(&d);
	if (d.err || s->n_attach > STMT_MAX_ATTACH) {
		goto out;
	}
	for (uint16_t i = 0; i < s->n_attach; i++) {
		dec_fixed(&d, s->attach[i], KEYS_HASH_LEN);
	}
	s->client_time = dec_i64(&d);
	s->seen_size = dec_u64(&d);
	dec_fixed(&d, s->seen_root, KEYS_HASH_LEN);
	dec_fixed(&d, s->nonce, sizeof(s->nonce));
	if (d.err || d.off != len) {
		goto out;
	}
	if (stmt_encode(s, &re) < 0 || same_bytes(&re, p, len) < 0) {
		goto out;
	}
	r = 0;
out:
	enc_release(&re);
	if (r < 0) {
		memset(s, 0, sizeof(*s));
	}
	return r;
}

/* The rules of entry v1 other than byte layout. */
static int
entry_check(const struct entry *e)
{
	struct stmt s;

	if (e->n_sigs < 1 || e->n_sigs > ENTRY_MAX_SIGS) {
		return -1;
	}
	for (uint8_t i = 0; i < e->n_sigs; i++) {
		if (e->sigs[i].alg != ALG_ED25519) {
			return -1;
		}
	}
	/* The statement inside must itself be canonical. */
	if (!e->stmt || stmt_parse(e->stmt, e->stmt_len, &s) < 0) {
		return -1;
	}
	return 0;
}

int
entry_encode(const struct entry *e, struct enc_buf *b)
{
	size_t start = b->len;

	if (b->err) {
		return -1;
	}
	if (entry_check(e) < 0) {
		b->err = 1;
		return -1;
	}
	enc_raw(b, entry_tag, ENTRY_TAG_LEN);
	enc_u64(b, e->seq);
	enc_i64(b, e->server_time);
	enc_b32(b, e->stmt, e->stmt_len);
	enc_u8(b, e->n_sigs);
	for (uint8_t i = 0; i < e->n_sigs; i++) {
		enc_u8(b, e->sigs[i].alg);
		enc_raw(b, e->sigs[i].key_id, KEYS_HASH_LEN);
		enc_b16(b, e->sigs[i].sig, KEYS_SIG_LEN);
	}
	if (!b->err && b->len - start > ENTRY_MAX_LEN) {
		b->err = 1;
	}
	return b->err ? -1 : 0;
}

int
entry_parse(const uint8_t *p, size_t len, struct entry *e)
{
	struct dec_buf d;
	struct enc_buf re;
	const uint8_t *tag;
	int r = -1;

	enc_init(&re);
	memset(e, 0, sizeof(*e));
	if (len > ENTRY_MAX_LEN) {
		goto out;
	}
	dec_init(&d, p, len);

	tag = dec_raw(&d, ENTRY_TAG_LEN);
	if (!tag || memcmp(tag, entry_tag, ENTRY_TAG_LEN) != 0) {
		goto out;
	}
	e->seq = dec_u64(&d);
	e->server_time = dec_i64(&d);
	e->stmt = dec_b32(&d, &e->stmt_len);
	e->n_sigs = dec_u8(&d);
	if (d.err || e->n_sigs < 1 || e->n_sigs > ENTRY_MAX_SIGS) {
		goto out;
	}
	for (uint8_t i = 0; i < e->n_sigs; i++) {
		const uint8_t *sig;
		size_t sig_len;

		e->sigs[i].alg = dec_u8(&d);
		if (e->sigs[i].alg != ALG_ED25519) {
			goto out;
		}
		dec_fixed(&d, e->sigs[i].key_id, KEYS_HASH_LEN);
		sig = dec_b16(&d, &sig_len);
		if (!sig || sig_len != KEYS_SIG_LEN) {
			goto out;
		}
		memcpy(e->sigs[i].sig, sig, KEYS_SIG_LEN);
	}
	if (d.err || d.off != len) {
		goto out;
	}
	if (entry_encode(e, &re) < 0 || same_bytes(&re, p, len) < 0) {
		goto out;
	}
	r = 0;
out:
	enc_release(&re);
	if (r < 0) {
		memset(e, 0, sizeof(*e));
	}
	return r;
}

void
keys_key_id(uint8_t alg, const uint8_t pk[KEYS_PK_LEN],
	    uint8_t out[KEYS_HASH_LEN])
{
	static const char tag[] = "nomdesk key id v1\n";
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)tag,
				  sizeof(tag) - 1);
	crypto_hash_sha256_update(&st, &alg, 1);
	crypto_hash_sha256_update(&st, pk, KEYS_PK_LEN);
	crypto_hash_sha256_final(&st, out);
}
