/*
 * Unit tests for keys/userkey.c: personal signing keys sealed under a
 * passphrase (audit-log.md 2.8 Mode S).  Argon2id at the "interactive"
 * floor (NOMDESK_KDF=interactive) keeps them fast.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "keys/keys.h"
#include "tests/lib/runner.h"

static const char pass[] = "correct horse 电池 staple";

static void
fast(struct userkey_params *p)
{
	setenv("NOMDESK_KDF", "interactive", 1);
	CHECK_INT(userkey_params_env(p, NULL, 0), 0);
}

static int
contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
	for (size_t i = 0; i + m <= n; i++)
		if (memcmp(hay + i, needle, m) == 0)
			return 1;
	return 0;
}

static void
test_userkey__round_trip(void)
{
	struct userkey_params p;
	struct userkey_record rec;
	struct userkey *k = NULL, *made = NULL;
	struct enc_buf b;
	uint8_t pk[32], id[32], id2[32], sig[64], sig2[64];
	char err[160];
	const char msg[] = "nomdesk/statement/v1\n...";

	CHECK(sodium_init() >= 0);
	fast(&p);
	enc_init(&b);
	CHECK_INT(userkey_create("pc_clerk", pass, &p, &b, &made, err,
				 sizeof(err)),
		  0);
	CHECK(made != NULL);
	CHECK_INT(b.len, 19 + 2 + 8 + 64 + 33 + 25 + 48); /* "pc_clerk" */
	CHECK_INT(userkey_record_parse(b.p, b.len, &rec), 0);
	CHECK_STR(rec.user, "pc_clerk");
	CHECK_INT(rec.kdf_alg, crypto_pwhash_ALG_ARGON2ID13);
	CHECK_INT(rec.aead_alg, USERKEY_AEAD_XCHACHA20POLY1305);
	CHECK_INT(rec.header_len + USERKEY_SEALED_LEN, b.len);
	CHECK_INT(userkey_unlock(b.p, b.len, pass, &k, err, sizeof(err)), 0);
	CHECK(k != NULL);
	if (!k || !made) {
		enc_release(&b);
		return;
	}
	userkey_public(k, pk);
	userkey_key_id(k, id);
	CHECK(memcmp(pk, rec.pk, 32) == 0);
	CHECK(memcmp(id, rec.key_id, 32) == 0);
	keys_key_id(1, pk, id2);
	CHECK(memcmp(id, id2, 32) == 0);
	CHECK_STR(userkey_user(k), "pc_clerk");
	/* the key handed back at creation is the same key */
	userkey_key_id(made, id2);
	CHECK(memcmp(id, id2, 32) == 0);
	CHECK_INT(userkey_sign(k, msg, sizeof(msg), sig), 0);
	CHECK_INT(userkey_sign(made, msg, sizeof(msg), sig2), 0);
	CHECK(memcmp(sig, sig2, 64) == 0); /* Ed25519 is deterministic */
	CHECK_INT(keys_verify(rec.pk, msg, sizeof(msg), sig), 0);
	sig[5] ^= 1;
	CHECK(keys_verify(rec.pk, msg, sizeof(msg), sig) != 0);
	CHECK(userkey_sign(NULL, msg, sizeof(msg), sig) != 0);
	userkey_free(k);
	userkey_free(made);
	userkey_free(NULL);
	enc_release(&b);
}

static void
test_userkey__wrong_passphrase_fails(void)
{
	struct userkey_params p;
	struct userkey *k = (struct userkey *)1;
	struct enc_buf b;
	char err[160];

	fast(&p);
	enc_init(&b);
	CHECK_INT(userkey_create("city_hr", pass, &p, &b, NULL, err,
				 sizeof(err)),
		  0);
	CHECK_INT(userkey_unlock(b.p, b.len, "correct horse 电池 stapl", &k,
				 err, sizeof(err)),
		  USERKEY_EOPEN);
	CHECK(k == NULL);
	CHECK(strstr(err, "wrong signing passphrase") != NULL);
	CHECK_INT(userkey_unlock(b.p, b.len, "", &k, err, sizeof(err)),
		  USERKEY_EOPEN);
	CHECK_INT(userkey_unlock(b.p, b.len, NULL, &k, err, sizeof(err)),
		  USERKEY_EOPEN);
	/* too short to be a passphrase at all */
	CHECK(userkey_create("x", "short", &p, &b, NULL, err, sizeof(err)) !=
	      0);
	enc_release(&b);
}

/* The header is the AEAD's associated data: no byte of it can change. */
static void
test_userkey__every_header_byte_flipped_fails(void)
{
	struct userkey_params p;
	struct userkey_record rec;
	struct userkey *k = NULL;
	struct enc_buf b;
	uint8_t buf[USERKEY_RECORD_MAX + 1];
	char err[160];
	size_t opened = 0;

	fast(&p);
	enc_init(&b);
	CHECK_INT(userkey_create("pc_clerk", pass, &p, &b, NULL, err,
				 sizeof(err)),
		  0);
	CHECK_INT(userkey_record_parse(b.p, b.len, &rec), 0);
	for (size_t i = 0; i < b.len; i++) {
		memcpy(buf, b.p, b.len);
		buf[i] ^= 0x01;
		if (userkey_unlock(buf, b.len, pass, &k, err, sizeof(err)) ==
		    0) {
			test_fail(__FILE__, __LINE__,
				  "byte %zu flipped still unlocks", i);
			userkey_free(k);
			k = NULL;
			opened++;
		}
		CHECK(k == NULL);
	}
	CHECK_INT(opened, 0);
	/* truncated, or a byte more */
	CHECK(userkey_unlock(b.p, b.len - 1, pass, &k, err, sizeof(err)) ==
	      USERKEY_EMALFORMED);
	memcpy(buf, b.p, b.len);
	buf[b.len] = 0;
	CHECK(userkey_unlock(buf, b.len + 1, pass, &k, err, sizeof(err)) ==
	      USERKEY_EMALFORMED);
	/* a header spliced from another record (same user, same pass) */
	{
		struct enc_buf o;
		uint8_t mix[USERKEY_RECORD_MAX];

		enc_init(&o);
		CHECK_INT(userkey_create("pc_clerk", pass, &p, &o, NULL, err,
					 sizeof(err)),
			  0);
		memcpy(mix, o.p, rec.header_len);
		memcpy(mix + rec.header_len, b.p + rec.header_len,
		       USERKEY_SEALED_LEN);
		CHECK(userkey_unlock(mix, b.len, pass, &k, err, sizeof(err)) !=
		      0);
		enc_release(&o);
	}
	enc_release(&b);
}

static void
test_userkey__params_stored_and_honoured(void)
{
	struct userkey_params p, q = {3, 64ULL << 20}, m;
	struct userkey_record rec;
	struct userkey *k = NULL;
	struct enc_buf b;
	char err[160];

	CHECK_INT(userkey_params_named("interactive", &p), 0);
	CHECK_INT(p.opslimit, 2);
	CHECK_INT(p.memlimit, 64ULL << 20);
	CHECK_INT(userkey_params_named(NULL, &m), 0);
	CHECK_INT(m.opslimit, 3);
	CHECK_INT(m.memlimit, 256ULL << 20);
	CHECK_INT(userkey_params_named("sensitive", &m), 0);
	CHECK_INT(m.memlimit, 1ULL << 30);
	CHECK_INT(userkey_params_named("fast", &m), -1);
	setenv("NOMDESK_KDF", "lowest", 1);
	CHECK_INT(userkey_params_env(&m, err, sizeof(err)), -1);
	CHECK(strstr(err, "NOMDESK_KDF") != NULL);
	unsetenv("NOMDESK_KDF");
	CHECK_INT(userkey_params_env(&m, err, sizeof(err)), 0);
	CHECK_INT(m.opslimit, 3); /* moderate by default */
	CHECK(userkey_params_weaker(&p, &m));
	CHECK(!userkey_params_weaker(&m, &p));

	/* the record says what it was sealed with, and unlock uses that,
	 * whatever this host's setting */
	enc_init(&b);
	CHECK_INT(userkey_create("auditor", pass, &q, &b, NULL, err,
				 sizeof(err)),
		  0);
	CHECK_INT(userkey_record_parse(b.p, b.len, &rec), 0);
	CHECK_INT(rec.params.opslimit, 3);
	CHECK_INT(rec.params.memlimit, 64ULL << 20);
	setenv("NOMDESK_KDF", "interactive", 1);
	CHECK_INT(userkey_unlock(b.p, b.len, pass, &k, err, sizeof(err)), 0);
	userkey_free(k);
	enc_release(&b);

	/* below the floor: refused when sealing */
	enc_init(&b);
	q.opslimit = 1;
	CHECK(userkey_create("auditor", pass, &q, &b, NULL, err,
			     sizeof(err)) != 0);
	q.opslimit = 2;
	q.memlimit = 8ULL << 20;
	CHECK(userkey_create("auditor", pass, &q, &b, NULL, err,
			     sizeof(err)) != 0);
	CHECK_INT(b.len, 0);
	enc_release(&b);
}

/* What the record holds is the sealed seed only, and the unlocked key is
 * exactly the seed's key. */
static void
test_userkey__no_secret_in_record(void)
{
	struct userkey_params p;
	struct userkey *k = NULL;
	struct enc_buf b;
	uint8_t seed[32], pk[32], sk[64], sig[64], want[64];
	char err[160];
	const char msg[] = "pledge";

	fast(&p);
	memset(seed, 0x5a, sizeof(seed));
	seed[0] = 0x01;
	crypto_sign_ed25519_seed_keypair(pk, sk, seed);
	enc_init(&b);
	CHECK_INT(userkey_seal_seed("applicant_wu", seed, pass, &p, &b, err,
				    sizeof(err)),
		  0);
	CHECK(!contains(b.p, b.len, seed, 32));
	CHECK(!contains(b.p, b.len, seed, 8));
	CHECK(!contains(b.p, b.len, sk, 32));
	CHECK(!contains(b.p, b.len, (const uint8_t *)pass, 8));
	CHECK(contains(b.p, b.len, pk, 32)); /* the public key is public */
	CHECK_INT(userkey_unlock(b.p, b.len, pass, &k, err, sizeof(err)), 0);
	CHECK_INT(userkey_sign(k, msg, sizeof(msg), sig), 0);
	crypto_sign_ed25519_detached(want, NULL, (const uint8_t *)msg,
				     sizeof(msg), sk);
	CHECK(memcmp(sig, want, 64) == 0);
	userkey_free(k);
	sodium_memzero(sk, sizeof(sk));
	enc_release(&b);
}

static void
test_userkey__reseal_keeps_the_key(void)
{
	struct userkey_params p;
	struct userkey_record a, c;
	struct userkey *k = NULL;
	struct enc_buf b, n;
	char err[160];

	fast(&p);
	enc_init(&b);
	enc_init(&n);
	CHECK_INT(userkey_create("pc_clerk", pass, &p, &b, NULL, err,
				 sizeof(err)),
		  0);
	CHECK(userkey_reseal(b.p, b.len, "not the passphrase", NULL, &p, &n,
			     err, sizeof(err)) == USERKEY_EOPEN);
	CHECK_INT(userkey_reseal(b.p, b.len, pass, "a new passphrase 2", &p,
				 &n, err, sizeof(err)),
		  0);
	CHECK_INT(userkey_record_parse(b.p, b.len, &a), 0);
	CHECK_INT(userkey_record_parse(n.p, n.len, &c), 0);
	CHECK(memcmp(a.pk, c.pk, 32) == 0);
	CHECK(memcmp(a.salt, c.salt, 16) != 0);
	CHECK(memcmp(a.nonce, c.nonce, 24) != 0);
	CHECK(userkey_unlock(n.p, n.len, pass, &k, err, sizeof(err)) != 0);
	CHECK_INT(userkey_unlock(n.p, n.len, "a new passphrase 2", &k, err,
				 sizeof(err)),
		  0);
	userkey_free(k);
	enc_release(&b);
	enc_release(&n);
}

/* The unlocked key lives in sodium_malloc memory and userkey_free gives
 * it back with sodium_free (wiped and unmapped): touching it afterwards
 * faults.  Skipped under AddressSanitizer, whose SEGV handler would
 * report the deliberate fault. */
static void
test_userkey__freed_key_is_unmapped(void)
{
#if defined(__SANITIZE_ADDRESS__)
	printf("# skipped under AddressSanitizer\n");
#else
	struct userkey_params p;
	struct userkey *k = NULL;
	struct enc_buf b;
	char err[160];
	pid_t pid;
	int st = 0;

	fast(&p);
	enc_init(&b);
	CHECK_INT(userkey_create("pc_clerk", pass, &p, &b, &k, err,
				 sizeof(err)),
		  0);
	enc_release(&b);
	if (!k)
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		volatile const unsigned char *q =
			(volatile const unsigned char *)k;

		signal(SIGSEGV, SIG_DFL);
		userkey_free(k);
		_exit(q[0] == 0x42 ? 3 : 2); /* must fault before this */
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFSIGNALED(st) && (WTERMSIG(st) == SIGSEGV ||
				  WTERMSIG(st) == SIGBUS));
	userkey_free(k);
#endif
}

static const struct test_case tests_userkey[] = {
	{"userkey__round_trip", test_userkey__round_trip},
	{"userkey__wrong_passphrase_fails",
	 test_userkey__wrong_passphrase_fails},
	{"userkey__every_header_byte_flipped_fails",
	 test_userkey__every_header_byte_flipped_fails},
	{"userkey__params_stored_and_honoured",
	 test_userkey__params_stored_and_honoured},
	{"userkey__no_secret_in_record", test_userkey__no_secret_in_record},
	{"userkey__reseal_keeps_the_key", test_userkey__reseal_keeps_the_key},
	{"userkey__freed_key_is_unmapped",
	 test_userkey__freed_key_is_unmapped},
	{NULL, NULL},
};
TEST_REGISTER(tests_userkey)
