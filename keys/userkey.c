/*
 * userkey: personal signing keys in Mode S (audit-log.md 2.8).  A user's
 * Ed25519 seed is sealed under their signing passphrase: Argon2id (the
 * algorithm named explicitly, crypto_pwhash_ALG_ARGON2ID13, never
 * ALG_DEFAULT whose meaning may change) derives a 32-byte key, and
 * XChaCha20-Poly1305-IETF seals the seed with the record's header as
 * associated data, so neither the parameters, the salt, the nonce, the
 * public key nor the user id can be altered without the unlock failing.
 *
 * Invariants: the passphrase-derived key, the seed and the expanded
 * secret key exist only in sodium_malloc memory (guard pages, mlock'd,
 * excluded from core dumps) and are wiped by sodium_free before any
 * return; the unlocked struct userkey is read-only once set up.  Nothing
 * here logs, caches or writes a passphrase.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "keys/keys.h"

static const char rec_tag[] = "nomdesk/keyfile/v1\n";

#define REC_TAG_LEN (sizeof(rec_tag) - 1)
#define ALG_ED25519 1
#define KEY_LEN crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define OPS_MAX 16ULL
#define MEM_MAX (4ULL << 30)

struct userkey {
	uint8_t sk[crypto_sign_ed25519_SECRETKEYBYTES];
	uint8_t pk[KEYS_PK_LEN];
	uint8_t id[KEYS_HASH_LEN];
	char user[64];
};

static void
set_err(char *err, size_t errlen, const char *why)
{
	if (err && errlen > 0) {
		snprintf(err, errlen, "%s", why);
	}
}

int
userkey_params_named(const char *name, struct userkey_params *out)
{
	if (!name || !*name || strcmp(name, "moderate") == 0) {
		out->opslimit = crypto_pwhash_argon2id_OPSLIMIT_MODERATE;
		out->memlimit = crypto_pwhash_argon2id_MEMLIMIT_MODERATE;
	} else if (strcmp(name, "interactive") == 0) {
		out->opslimit = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
		out->memlimit = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
	} else if (strcmp(name, "sensitive") == 0) {
		out->opslimit = crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE;
		out->memlimit = crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE;
	} else {
		return -1;
	}
	return 0;
}

int
userkey_params_env(struct userkey_params *out, char *err, size_t errlen)
{
	const char *v = getenv("NOMDESK_KDF");

	if (userkey_params_named(v, out) != 0) {
		if (err && errlen > 0) {
			snprintf(err, errlen,
				 "NOMDESK_KDF: unknown value \"%.40s\" (use "
				 "interactive, moderate or sensitive)",
				 v);
		}
		return -1;
	}
	return 0;
}

int
userkey_params_weaker(const struct userkey_params *a,
		      const struct userkey_params *b)
{
	return a->opslimit < b->opslimit || a->memlimit < b->memlimit;
}

static int
params_ok(const struct userkey_params *p)
{
	return p->opslimit >= crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE &&
	       p->opslimit <= OPS_MAX &&
	       p->memlimit >= crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE &&
	       p->memlimit <= MEM_MAX && p->memlimit <= SIZE_MAX;
}

/* The header (everything the AEAD binds as associated data). */
static void
encode_header(const struct userkey_record *r, struct enc_buf *b)
{
	enc_raw(b, rec_tag, REC_TAG_LEN);
	enc_s16(b, r->user, 0);
	enc_raw(b, r->pk, KEYS_PK_LEN);
	enc_raw(b, r->key_id, KEYS_HASH_LEN);
	enc_u8(b, r->kdf_alg);
	enc_u64(b, r->params.opslimit);
	enc_u64(b, r->params.memlimit);
	enc_raw(b, r->salt, USERKEY_SALT_LEN);
	enc_u8(b, r->aead_alg);
	enc_raw(b, r->nonce, USERKEY_NONCE_LEN);
}

int
userkey_record_parse(const uint8_t *p, size_t len, struct userkey_record *out)
{
	struct dec_buf d;
	struct enc_buf b;
	const uint8_t *raw;
	uint8_t id[KEYS_HASH_LEN];
	int r = -1;

	memset(out, 0, sizeof(*out));
	if (!p || len > USERKEY_RECORD_MAX) {
		return -1;
	}
	dec_init(&d, p, len);
	raw = dec_raw(&d, REC_TAG_LEN);
	if (!raw || memcmp(raw, rec_tag, REC_TAG_LEN) != 0) {
		return -1;
	}
	dec_s16(&d, out->user, sizeof(out->user), 0);
	if ((raw = dec_raw(&d, KEYS_PK_LEN))) {
		memcpy(out->pk, raw, KEYS_PK_LEN);
	}
	if ((raw = dec_raw(&d, KEYS_HASH_LEN))) {
		memcpy(out->key_id, raw, KEYS_HASH_LEN);
	}
	out->kdf_alg = dec_u8(&d);
	out->params.opslimit = dec_u64(&d);
	out->params.memlimit = dec_u64(&d);
	if ((raw = dec_raw(&d, USERKEY_SALT_LEN))) {
		memcpy(out->salt, raw, USERKEY_SALT_LEN);
	}
	out->aead_alg = dec_u8(&d);
	if ((raw = dec_raw(&d, USERKEY_NONCE_LEN))) {
		memcpy(out->nonce, raw, USERKEY_NONCE_LEN);
	}
	out->header_len = d.off;
	if ((raw = dec_raw(&d, USERKEY_SEALED_LEN))) {
		memcpy(out->sealed, raw, USERKEY_SEALED_LEN);
	}
	if (d.err || d.off != len || out->user[0] == '\0' ||
	    out->kdf_alg != USERKEY_KDF_ARGON2ID13 ||
	    out->aead_alg != USERKEY_AEAD_XCHACHA20POLY1305 ||
	    !params_ok(&out->params)) {
		return -1;
	}
	keys_key_id(ALG_ED25519, out->pk, id);
	if (sodium_memcmp(id, out->key_id, KEYS_HASH_LEN) != 0) {
		return -1;
	}
	/* Every field is fixed-width or length-prefixed; the comparison
	 * is the second line of defence, as for statements. */
	enc_init(&b);
	encode_header(out, &b);
	enc_raw(&b, out->sealed, USERKEY_SEALED_LEN);
	if (!b.err && b.len == len && memcmp(b.p, p, len) == 0 &&
	    out->header_len + USERKEY_SEALED_LEN == len) {
		r = 0;
	}
	enc_release(&b);
	return r;
}

static int
pass_ok(const char *pass, char *err, size_t errlen)
{
	size_t n = pass ? strlen(pass) : 0;

	if (n < USERKEY_PASS_MIN || n > USERKEY_PASS_MAX) {
		set_err(err, errlen,
			"the signing passphrase must be 8 to 1024 bytes");
		return -1;
	}
	return 0;
}

/* Argon2id into key (sodium_malloc'd by the caller). */
static int
derive(uint8_t *key, const char *pass, const uint8_t salt[USERKEY_SALT_LEN],
       const struct userkey_params *p)
{
	return crypto_pwhash(key, KEY_LEN, pass, strlen(pass), salt,
			     (unsigned long long)p->opslimit,
			     (size_t)p->memlimit,
			     crypto_pwhash_ALG_ARGON2ID13);
}

int
userkey_seal_seed(const char *user, const uint8_t seed[USERKEY_SEED_LEN],
		  const char *pass, const struct userkey_params *params,
		  struct enc_buf *record, char *err, size_t errlen)
{
	struct userkey_record *r = NULL;
	struct enc_buf hdr;
	uint8_t *key = NULL, *sk = NULL;
	unsigned long long clen = 0;
	int ret = USERKEY_EINTERNAL;

	enc_init(&hdr);
	if (sodium_init() < 0) {
		set_err(err, errlen, "libsodium did not initialize");
		goto out;
	}
	if (pass_ok(pass, err, errlen) != 0) {
		goto out;
	}
	if (!params || !params_ok(params)) {
		set_err(err, errlen,
			"key derivation parameters out of range (at least "
			"interactive: 2 passes, 64 MiB)");
		goto out;
	}
	r = calloc(1, sizeof(*r)); /* public data only */
	key = sodium_malloc(KEY_LEN);
	sk = sodium_malloc(crypto_sign_ed25519_SECRETKEYBYTES);
	if (!r || !key || !sk) {
		set_err(err, errlen, "out of memory");
		goto out;
	}
	if (!user || strlen(user) >= sizeof(r->user)) {
		set_err(err, errlen, "user id missing or too long");
		goto out;
	}
	snprintf(r->user, sizeof(r->user), "%s", user);
	crypto_sign_ed25519_seed_keypair(r->pk, sk, seed);
	keys_key_id(ALG_ED25519, r->pk, r->key_id);
	r->kdf_alg = USERKEY_KDF_ARGON2ID13;
	r->params = *params;
	randombytes_buf(r->salt, sizeof(r->salt));
	r->aead_alg = USERKEY_AEAD_XCHACHA20POLY1305;
	randombytes_buf(r->nonce, sizeof(r->nonce));
	encode_header(r, &hdr);
	if (hdr.err) {
		set_err(err, errlen, "user id is not valid single-line text");
		goto out;
	}
	if (derive(key, pass, r->salt, params) != 0) {
		set_err(err, errlen,
			"out of memory deriving the key (Argon2id)");
		goto out;
	}
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(
		    r->sealed, &clen, seed, USERKEY_SEED_LEN, hdr.p, hdr.len,
		    NULL, r->nonce, key) != 0 ||
	    clen != USERKEY_SEALED_LEN) {
		set_err(err, errlen, "cannot seal the key");
		goto out;
	}
	enc_raw(record, hdr.p, hdr.len);
	enc_raw(record, r->sealed, USERKEY_SEALED_LEN);
	if (record->err) {
		set_err(err, errlen, "out of memory");
		goto out;
	}
	ret = 0;
out:
	sodium_free(sk);
	sodium_free(key);
	free(r);
	enc_release(&hdr);
	return ret;
}

/* Opens rec into a seed in sodium_malloc memory (caller sodium_frees). */
static int
open_seed(const uint8_t *rec, size_t len, const char *pass,
	  struct userkey_record *r, uint8_t **seed_out, char *err,
	  size_t errlen)
{
	uint8_t *key = NULL, *seed = NULL;
	unsigned long long mlen = 0;
	int ret = USERKEY_EINTERNAL;

	*seed_out = NULL;
	if (sodium_init() < 0) {
		set_err(err, errlen, "libsodium did not initialize");
		return USERKEY_EINTERNAL;
	}
	if (userkey_record_parse(rec, len, r) != 0) {
		set_err(err, errlen, "not a valid nomdesk/keyfile/v1 record");
		return USERKEY_EMALFORMED;
	}
	if (!pass || strlen(pass) > USERKEY_PASS_MAX) {
		set_err(err, errlen, "wrong signing passphrase");
		return USERKEY_EOPEN;
	}
	key = sodium_malloc(KEY_LEN);
	seed = sodium_malloc(USERKEY_SEED_LEN);
	if (!key || !seed) {
		set_err(err, errlen, "out of memory");
		goto out;
	}
	/* The record's own parameters: stored so they can be raised. */
	if (derive(key, pass, r->salt, &r->params) != 0) {
		set_err(err, errlen,
			"out of memory deriving the key (Argon2id)");
		goto out;
	}
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(
		    seed, &mlen, NULL, r->sealed, USERKEY_SEALED_LEN, rec,
		    r->header_len, r->nonce, key) != 0 ||
	    mlen != USERKEY_SEED_LEN) {
		set_err(err, errlen,
			"wrong signing passphrase (or the key record was "
			"altered)");
		ret = USERKEY_EOPEN;
		goto out;
	}
	*seed_out = seed;
	seed = NULL; /* transferred */
	ret = 0;
out:
	sodium_free(seed);
	sodium_free(key);
	return ret;
}

int
userkey_unlock(const uint8_t *rec, size_t len, const char *pass,
	       struct userkey **out, char *err, size_t errlen)
{
	struct userkey_record *r = NULL;
	struct userkey *k = NULL;
	uint8_t *seed = NULL;
	int ret = USERKEY_EINTERNAL;

	*out = NULL;
	if (!(r = calloc(1, sizeof(*r)))) {
		set_err(err, errlen, "out of memory");
		return USERKEY_EINTERNAL;
	}
	if ((ret = open_seed(rec, len, pass, r, &seed, err, errlen)) != 0) {
		goto out;
	}
	ret = USERKEY_EINTERNAL;
	if (!(k = sodium_malloc(sizeof(*k)))) {
		set_err(err, errlen, "out of memory");
		goto out;
	}
	memset(k, 0, sizeof(*k));
	crypto_sign_ed25519_seed_keypair(k->pk, k->sk, seed);
	/* The header's public key is bound by the AEAD; a mismatch means
	 * the record was sealed wrongly, never a usable key. */
	if (sodium_memcmp(k->pk, r->pk, KEYS_PK_LEN) != 0) {
		set_err(err, errlen,
			"damaged key record (public key does not match the "
			"seed)");
		ret = USERKEY_EMALFORMED;
		goto out;
	}
	memcpy(k->id, r->key_id, KEYS_HASH_LEN);
	snprintf(k->user, sizeof(k->user), "%s", r->user);
	sodium_mprotect_readonly(k);
	*out = k;
	k = NULL; /* transferred */
	ret = 0;
out:
	sodium_free(k);
	sodium_free(seed);
	free(r);
	return ret;
}

int
userkey_create(const char *user, const char *pass,
	       const struct userkey_params *params, struct enc_buf *record,
	       struct userkey **out, char *err, size_t errlen)
{
	uint8_t *seed = NULL;
	size_t start = record->len;
	int ret = USERKEY_EINTERNAL;

	if (out) {
		*out = NULL;
	}
	if (sodium_init() < 0) {
		set_err(err, errlen, "libsodium did not initialize");
		return USERKEY_EINTERNAL;
	}
	if (!(seed = sodium_malloc(USERKEY_SEED_LEN))) {
		set_err(err, errlen, "out of memory");
		return USERKEY_EINTERNAL;
	}
	randombytes_buf(seed, USERKEY_SEED_LEN);
	if ((ret = userkey_seal_seed(user, seed, pass, params, record, err,
				     errlen)) != 0) {
		goto out;
	}
	if (out) {
		struct userkey *k = sodium_malloc(sizeof(struct userkey));

		if (!k) {
			set_err(err, errlen, "out of memory");
			ret = USERKEY_EINTERNAL;
			goto out;
		}
		memset(k, 0, sizeof(*k));
		crypto_sign_ed25519_seed_keypair(k->pk, k->sk, seed);
		keys_key_id(ALG_ED25519, k->pk, k->id);
		snprintf(k->user, sizeof(k->user), "%s", user);
		sodium_mprotect_readonly(k);
		*out = k;
	}
	ret = 0;
out:
	if (ret != 0) {
		record->len = start; /* nothing half-written */
	}
	sodium_free(seed);
	return ret;
}

int
userkey_reseal(const uint8_t *rec, size_t len, const char *pass,
	       const char *new_pass, const struct userkey_params *params,
	       struct enc_buf *out, char *err, size_t errlen)
{
	struct userkey_record *r = NULL;
	uint8_t *seed = NULL;
	int ret;

	if (!(r = calloc(1, sizeof(*r)))) {
		set_err(err, errlen, "out of memory");
		return USERKEY_EINTERNAL;
	}
	if ((ret = open_seed(rec, len, pass, r, &seed, err, errlen)) == 0) {
		ret = userkey_seal_seed(r->user, seed,
					new_pass ? new_pass : pass, params,
					out, err, errlen);
	}
	sodium_free(seed);
	free(r);
	return ret;
}

void
userkey_free(struct userkey *k)
{
	/* sodium_free lifts the read-only protection, wipes and unmaps. */
	sodium_free(k);
}

void
userkey_public(const struct userkey *k, uint8_t pk[KEYS_PK_LEN])
{
	memcpy(pk, k->pk, KEYS_PK_LEN);
}

void
userkey_key_id(const struct userkey *k, uint8_t id[KEYS_HASH_LEN])
{
	memcpy(id, k->id, KEYS_HASH_LEN);
}

const char *
userkey_user(const struct userkey *k)
{
	return k->user;
}

int
userkey_sign(const struct userkey *k, const void *msg, size_t len,
	     uint8_t sig[KEYS_SIG_LEN])
{
	if (!k) {
		return -1;
	}
	return crypto_sign_ed25519_detached(sig, NULL, msg, len, k->sk) == 0
		       ? 0
		       : -1;
}
