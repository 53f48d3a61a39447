/*
 * keys: the only layer that touches secret keys, plus the byte-exact
 * formats that signatures and hashes are computed over: canonical
 * encoding, the RFC 6962 Merkle tree, C2SP signed-note checkpoints.
 * keys/ sits below core/: it knows nothing of SQLite, curses or libssh,
 * and never prints.  Design: docs/SECURITY.md and shared audit-log.md.
 *
 * Errors: 0 or -1; where a message buffer is taken, the reason is written
 * there (lower case, no trailing newline).
 */
#ifndef NOMDESK_KEYS_H
#define NOMDESK_KEYS_H

#include <stddef.h>
#include <stdint.h>

#define KEYS_HASH_LEN 32
#define KEYS_PK_LEN 32
#define KEYS_SIG_LEN 64

/* ---- canonical encoding (enc.c) ---- */

/* A growable byte buffer.  err is sticky: once set, writes are no-ops. */
struct enc_buf {
	uint8_t *p;
	size_t len;
	size_t cap;
	int err;
};

void enc_init(struct enc_buf *b);
void enc_release(struct enc_buf *b);
void enc_u8(struct enc_buf *b, uint8_t v);
void enc_u16(struct enc_buf *b, uint16_t v);
void enc_u32(struct enc_buf *b, uint32_t v);
void enc_u64(struct enc_buf *b, uint64_t v);
void enc_i64(struct enc_buf *b, int64_t v);
void enc_raw(struct enc_buf *b, const void *p, size_t n);
void enc_b16(struct enc_buf *b, const void *p, size_t n);
void enc_b32(struct enc_buf *b, const void *p, size_t n);
/*
 * u16 length + UTF-8.  Sets err for invalid UTF-8, text not in NFC, or a
 * control character (LF is allowed only when multiline is set).
 */
void enc_s16(struct enc_buf *b, const char *s, int multiline);

/* A strict reader over borrowed bytes; err is sticky. */
struct dec_buf {
	const uint8_t *p;
	size_t len;
	size_t off;
	int err;
};

void dec_init(struct dec_buf *d, const void *p, size_t len);
uint8_t dec_u8(struct dec_buf *d);
uint16_t dec_u16(struct dec_buf *d);
uint32_t dec_u32(struct dec_buf *d);
uint64_t dec_u64(struct dec_buf *d);
int64_t dec_i64(struct dec_buf *d);
/* Points into the buffer (borrowed); NULL and err on overrun. */
const uint8_t *dec_raw(struct dec_buf *d, size_t n);
const uint8_t *dec_b16(struct dec_buf *d, size_t *n);
const uint8_t *dec_b32(struct dec_buf *d, size_t *n);
/* Copies a s16 text field into out (NUL-terminated); err if it does not
 * fit or breaks the enc_s16 rules. */
void dec_s16(struct dec_buf *d, char *out, size_t outsz, int multiline);

/* ---- statements and entries (stmt.c), audit-log.md 2.3 ---- */

#define STMT_MAX_ATTACH 16
#define STMT_TEXT 4001

/* Act types (the statement's u16). */
enum stmt_act {
	ACT_NOMINEE_CREATED = 1,
	ACT_DOSSIER_EDITED = 2,
	ACT_MATERIAL = 3,
	ACT_REVIEW = 4,
	ACT_VERIFICATION = 5,
	ACT_PLEDGE = 6,
	ACT_PLEDGE_PAPER = 7,
	ACT_VETO = 8,
	ACT_VETO_APPEAL = 9,
	ACT_NOTICE = 10,
	ACT_TRANSITION = 11, /* a workflow step without a decision */
	ACT_KEY_ENROLL = 100,
	ACT_KEY_ROTATE = 101,
	ACT_KEY_REVOKE = 102,
	ACT_LOG_KEY = 110,
	ACT_WITNESS_KEY = 111, /* a witness's key registered (information) */
	ACT_ADMIN = 120,   /* users, units, round configuration */
	ACT_SESSION = 130, /* login, login failure, logout */
	ACT_VIEW = 131,    /* an audited read (unmasked ID number, export) */
};

struct stmt {
	/* 1 = SHA-256 tree, Ed25519, seen size = the tree the signer saw;
	 * 2 = the same, and the seen size is the tree at the start of the
	 * entry's write transaction (the last checkpoint), so an auditor
	 * can tell transactions apart and find a removed checkpoint */
	uint8_t suite;
	char origin[128];
	uint16_t act;
	char actor[64];
	uint8_t actor_key_id[KEYS_HASH_LEN];
	uint8_t actor_role;
	char unit[64];
	char subject[64];
	uint32_t version;
	uint8_t prev_digest[KEYS_HASH_LEN];
	uint8_t digest[KEYS_HASH_LEN];
	uint8_t decision;
	uint8_t checklist[32];
	uint16_t checklist_len;
	char reason[STMT_TEXT];
	uint16_t n_attach;
	uint8_t attach[STMT_MAX_ATTACH][KEYS_HASH_LEN];
	int64_t client_time;
	uint64_t seen_size;
	uint8_t seen_root[KEYS_HASH_LEN];
	uint8_t nonce[16];
};

/* Appends the canonical bytes of s to b; -1 (and b->err) on bad text. */
int stmt_encode(const struct stmt *s, struct enc_buf *b);
/* Strict parse: -1 unless p..p+len is exactly one canonical statement. */
int stmt_parse(const uint8_t *p, size_t len, struct stmt *s);

#define ENTRY_MAX_SIGS 4

struct entry_sig {
	uint8_t alg; /* 1 = Ed25519 */
	uint8_t key_id[KEYS_HASH_LEN];
	uint8_t sig[KEYS_SIG_LEN];
};

struct entry {
	uint64_t seq;
	int64_t server_time;
	const uint8_t *stmt; /* borrowed */
	size_t stmt_len;
	uint8_t n_sigs;
	struct entry_sig sigs[ENTRY_MAX_SIGS];
};

int entry_encode(const struct entry *e, struct enc_buf *b);
/* Strict parse; e->stmt points into p. */
int entry_parse(const uint8_t *p, size_t len, struct entry *e);

/* 32-byte key id: SHA-256("nomdesk key id v1\n" || alg || pk). */
void keys_key_id(uint8_t alg, const uint8_t pk[KEYS_PK_LEN],
		 uint8_t out[KEYS_HASH_LEN]);

/* ---- Merkle tree, RFC 6962 / RFC 9162 (merkle.c) ---- */

void merkle_leaf_hash(const void *data, size_t len, uint8_t out[32]);
void merkle_node_hash(const uint8_t l[32], const uint8_t r[32],
		      uint8_t out[32]);

/* The right frontier: one complete-subtree hash per set bit of size. */
struct merkle_frontier {
	uint64_t size;
	uint8_t n;
	uint8_t h[64][32]; /* from the largest subtree to the smallest */
};

void merkle_frontier_init(struct merkle_frontier *f);
void merkle_frontier_append(struct merkle_frontier *f, const uint8_t leaf[32]);
/* Root of the tree the frontier describes (SHA-256("") when empty). */
void merkle_frontier_root(const struct merkle_frontier *f, uint8_t out[32]);
/* Serialize for storage: u64 size + n hashes; -1 on a malformed blob. */
size_t merkle_frontier_size(const struct merkle_frontier *f);
void merkle_frontier_save(const struct merkle_frontier *f, uint8_t *out);
int merkle_frontier_load(struct merkle_frontier *f, const uint8_t *p,
			 size_t len);

/* Supplies the leaf hash at index i (0 or -1). */
typedef int (*merkle_leaf_fn)(void *ctx, uint64_t i, uint8_t out[32]);

/* Root of leaves [0, size). */
int merkle_root(uint64_t size, merkle_leaf_fn leaf, void *ctx,
		uint8_t out[32]);
/* Inclusion proof of index in a tree of size; path has room for 64. */
int merkle_inclusion_proof(uint64_t index, uint64_t size, merkle_leaf_fn leaf,
			   void *ctx, uint8_t path[][32], size_t *n_path);
int merkle_inclusion_verify(uint64_t index, uint64_t size,
			    const uint8_t leaf[32], const uint8_t path[][32],
			    size_t n_path, const uint8_t root[32]);
/* Consistency proof from size m to size n (0 < m <= n). */
int merkle_consistency_proof(uint64_t m, uint64_t n, merkle_leaf_fn leaf,
			     void *ctx, uint8_t path[][32], size_t *n_path);
int merkle_consistency_verify(uint64_t m, uint64_t n, const uint8_t root_m[32],
			      const uint8_t root_n[32], const uint8_t path[][32],
			      size_t n_path);

/* ---- signing keys held by the server (signer.c) ---- */

/* An Ed25519 key whose secret half lives in sodium_malloc memory. */
struct signer;

/* Writes a new key file (0600, refuses to overwrite). */
int signer_generate_file(const char *path, char *err, size_t errlen);
/* Loads a key file; refuses one readable by group or others. */
int signer_load_file(struct signer **out, const char *path, char *err,
		     size_t errlen);
/* Wipes and frees; NULL is fine. */
void signer_free(struct signer *s);
/* Wipes the secret half, keeps the public one (signing then fails until
 * signer_recall); NULL is fine. */
void signer_forget(struct signer *s);
/* Reads the secret half again from path (a no-op if held); -1 with err if
 * the file cannot be read, -2 if it holds another key now. */
int signer_recall(struct signer *s, const char *path, char *err,
		  size_t errlen);
void signer_public(const struct signer *s, uint8_t pk[KEYS_PK_LEN]);
void signer_key_id(const struct signer *s, uint8_t id[KEYS_HASH_LEN]);
int signer_sign(const struct signer *s, const void *msg, size_t len,
		uint8_t sig[KEYS_SIG_LEN]);
int keys_verify(const uint8_t pk[KEYS_PK_LEN], const void *msg, size_t len,
		const uint8_t sig[KEYS_SIG_LEN]);

/* ---- C2SP checkpoints as signed notes (note.c) ---- */

/*
 * Writes "origin\nsize\nbase64(root)\n\n— origin base64(keyhash4||sig)\n"
 * into out.  Returns 0, or -1 if out is too small.
 */
int note_checkpoint_sign(const struct signer *s, const char *origin,
			 uint64_t size, const uint8_t root[32], char *out,
			 size_t outsz);
/*
 * Verifies a checkpoint note signed by the key (origin, pk); parses size
 * and root.  Signature lines by other keys are ignored.  0 or -1 with err.
 */
int note_checkpoint_verify(const char *note, const char *origin,
			   const uint8_t pk[KEYS_PK_LEN], uint64_t *size,
			   uint8_t root[32], char *err, size_t errlen);

/*
 * Signed-note key hashes (C2SP signed-note): SHA-256(name || 0x0A || type
 * || public key)[:4], type 0x01 for Ed25519 note signatures (the log key)
 * and 0x04 for tlog-cosignature v1 (witnesses).
 */
#define NOTE_TYPE_ED25519 0x01
#define NOTE_TYPE_COSIG 0x04
/* A cosignature's signature bytes: key hash, timestamp u64, Ed25519. */
#define NOTE_COSIG_LEN (4 + 8 + KEYS_SIG_LEN)
#define NOTE_NAME_MAX 128 /* bytes of a key name we handle, with the NUL */

void note_key_hash(const char *name, uint8_t type,
		   const uint8_t pk[KEYS_PK_LEN], uint8_t out[4]);

/*
 * Splits a note at its last blank line: *body_len is the length of the
 * body with its final LF, *sigs_off where the signature lines start.
 * 0, or -1 when there is no blank line, no signature line, or the note
 * does not end in LF.
 */
int note_split(const char *note, size_t len, size_t *body_len,
	       size_t *sigs_off);

/*
 * One signature line "— NAME BASE64" (without its LF), strictly: a valid
 * key name (no space, no '+', no control), canonical base64 of 5 to
 * rawsz bytes.  name gets the NUL-terminated name.  0 or -1.
 */
int note_sig_line_parse(const char *line, size_t len, char *name,
			size_t namesz, uint8_t *raw, size_t rawsz,
			size_t *rawlen);

/*
 * Appends to the signed note in out (NUL-terminated, room outsz) a
 * further Ed25519 signature line by s under name over the same body: the
 * first checkpoint after a log key rotation carries the old key's and the
 * new key's (audit-log.md 2.13).  0, or -1 (out unchanged).
 */
int note_sign_append(const struct signer *s, const char *name, char *out,
		     size_t outsz);

/*
 * The C2SP tlog-cosignature v1 line "— name base64(keyhash[4] || t u64
 * || sig[64])\n", sig over "cosignature/v1\ntime <t>\n" || body, by s.
 * 0, or -1 if line is too small or name is not a key name.
 */
int note_cosign(const struct signer *s, const char *name, const char *body,
		size_t body_len, uint64_t t, char *line, size_t linesz);

/*
 * Checks the decoded bytes of a cosignature line (raw, rawlen) by (name,
 * pk) over body: the key hash, the length and the signature.  *t gets
 * the timestamp.  0 or -1.
 */
int note_cosig_verify(const char *body, size_t body_len, const char *name,
		      const uint8_t pk[KEYS_PK_LEN], const uint8_t *raw,
		      size_t rawlen, uint64_t *t);

/* base64 (standard, padded); returns the output length or -1. */
int keys_b64_encode(const void *in, size_t len, char *out, size_t outsz);
int keys_b64_decode(const char *in, uint8_t *out, size_t outsz);

/* ---- personal signing keys, Mode S (userkey.c), audit-log.md 2.8 ---- */

/*
 * A user's Ed25519 key, its 32-byte seed sealed under the user's signing
 * passphrase.  The key record (docs/keys-notes.md):
 *
 *   "nomdesk/keyfile/v1\n" | user s16 | public key [32] | key id [32]
 *   | kdf alg u8 (crypto_pwhash_ALG_ARGON2ID13) | opslimit u64
 *   | memlimit u64 | salt [16] | aead alg u8 (1 = XChaCha20-Poly1305-IETF)
 *   | nonce [24] | sealed seed [32 + 16-byte tag]
 *
 * Everything before the sealed seed is the header, and the header is the
 * AEAD's associated data: no byte of it can change without the unlock
 * failing.  The record holds no secret in the clear.
 */

#define USERKEY_KDF_ARGON2ID13 2 /* == crypto_pwhash_ALG_ARGON2ID13 */
#define USERKEY_AEAD_XCHACHA20POLY1305 1
#define USERKEY_SALT_LEN 16
#define USERKEY_NONCE_LEN 24
#define USERKEY_SEED_LEN 32
#define USERKEY_SEALED_LEN 48 /* seed + Poly1305 tag */
#define USERKEY_PASS_MIN 8    /* bytes */
#define USERKEY_PASS_MAX 1024
/* Largest record: tag 19, user 2 + 63, keys 64, kdf 33, aead 25, 48. */
#define USERKEY_RECORD_MAX 254

/* Argon2id cost.  Named sets: "interactive" (2, 64 MiB, the floor),
 * "moderate" (3, 256 MiB, the default), "sensitive" (4, 1 GiB). */
struct userkey_params {
	uint64_t opslimit;
	uint64_t memlimit; /* bytes */
};

/* The public view of a parsed record (no secret in it). */
struct userkey_record {
	char user[64];
	uint8_t pk[KEYS_PK_LEN];
	uint8_t key_id[KEYS_HASH_LEN];
	uint8_t kdf_alg;
	struct userkey_params params;
	uint8_t salt[USERKEY_SALT_LEN];
	uint8_t aead_alg;
	uint8_t nonce[USERKEY_NONCE_LEN];
	uint8_t sealed[USERKEY_SEALED_LEN];
	size_t header_len; /* bytes covered as associated data */
};

/* An unlocked key: seed-derived secret in sodium_malloc memory (guard
 * pages, mlock'd, read-only once set up).  Free with userkey_free(). */
struct userkey;

/* Errors of userkey_unlock (and the functions that unlock). */
enum userkey_err {
	USERKEY_EMALFORMED = -1, /* not a canonical nomdesk/keyfile/v1 record */
	USERKEY_EOPEN = -2,      /* wrong passphrase, or header/ciphertext
				    altered (the AEAD cannot tell which) */
	USERKEY_EINTERNAL = -3,  /* out of memory (Argon2id) or bad input */
};

/*
 * The named parameter set name (NULL or "" = "moderate"); -1 for an
 * unknown name.  userkey_params_env() reads $NOMDESK_KDF the same way
 * (tests and small hosts set NOMDESK_KDF=interactive); an unknown value
 * is an error, never a silent fallback.
 */
int userkey_params_named(const char *name, struct userkey_params *out);
int userkey_params_env(struct userkey_params *out, char *err, size_t errlen);
/* 1 if a is weaker than b in either cost (a record worth re-sealing). */
int userkey_params_weaker(const struct userkey_params *a,
			  const struct userkey_params *b);

/*
 * Strict parse: the exact layout above and nothing after it; the key id
 * must be keys_key_id(1, pk); the algorithms must be the two named ones;
 * the costs must lie between "interactive" and 16 passes / 4 GiB.  The
 * result is re-encoded and compared byte for byte.  0 or -1.
 */
int userkey_record_parse(const uint8_t *p, size_t len,
			 struct userkey_record *out);

/*
 * A new key for user: a random seed (randombytes_buf, in sodium_malloc
 * memory) sealed under pass with params.  Appends the record to *record
 * (enc_init'd by the caller) and, if out is not NULL, hands back the
 * unlocked key (to sign the proof of possession).  0, or a negative
 * enum userkey_err with the reason in err.
 */
int userkey_create(const char *user, const char *pass,
		   const struct userkey_params *params, struct enc_buf *record,
		   struct userkey **out, char *err, size_t errlen);
/* The same for a given seed: re-sealing, and tests. */
int userkey_seal_seed(const char *user, const uint8_t seed[USERKEY_SEED_LEN],
		      const char *pass, const struct userkey_params *params,
		      struct enc_buf *record, char *err, size_t errlen);

/*
 * Unlocks a record: passphrase -> crypto_pwhash (Argon2id, the record's
 * own parameters) -> XChaCha20-Poly1305 open with the header as
 * associated data -> crypto_sign_seed_keypair; every intermediate in
 * sodium_malloc memory, wiped before return.  *out is the key, or NULL
 * on failure.
 */
int userkey_unlock(const uint8_t *rec, size_t len, const char *pass,
		   struct userkey **out, char *err, size_t errlen);
/*
 * Opens rec with pass and seals the same seed again under new_pass (NULL
 * = the same) with params: raising the cost, or a new passphrase.  The
 * public key and key id do not change.
 */
int userkey_reseal(const uint8_t *rec, size_t len, const char *pass,
		   const char *new_pass, const struct userkey_params *params,
		   struct enc_buf *out, char *err, size_t errlen);

/* Wipes and frees (sodium_free); NULL is fine. */
void userkey_free(struct userkey *k);
void userkey_public(const struct userkey *k, uint8_t pk[KEYS_PK_LEN]);
void userkey_key_id(const struct userkey *k, uint8_t id[KEYS_HASH_LEN]);
/* The user id the key was sealed for (borrowed). */
const char *userkey_user(const struct userkey *k);
/* Ed25519 over msg; 0 or -1 (k NULL). */
int userkey_sign(const struct userkey *k, const void *msg, size_t len,
		 uint8_t sig[KEYS_SIG_LEN]);

#endif
