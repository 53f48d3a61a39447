/*
 * signer: Ed25519 keys held by the server (the log key), and signature
 * verification for every key.
 *
 * Key file (docs/keys-notes.md): exactly 82 bytes,
 *     "nomdesk/logkey/v1\n" (18) || seed (32) || public key (32).
 * The public key is redundant on purpose: a damaged seed would otherwise
 * load as a valid but different key and sign checkpoints nobody trusts.
 *
 * The seed and the expanded secret key exist only in sodium_malloc memory
 * (guard pages, mlock'd, wiped by sodium_free) and are never copied to
 * the stack.  The loaded key is made read-only once set up.
 *
 * A long-lived process (the UI of a whole working day) need not hold the
 * secret between its acts: signer_forget() wipes the secret half and
 * keeps the public one; signer_recall() reads the file again for the
 * next act and refuses a file that no longer holds the same key.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "keys/keys.h"

static const char key_tag[] = "nomdesk/logkey/v1\n";

#define KEY_TAG_LEN (sizeof(key_tag) - 1)
#define SEED_LEN crypto_sign_ed25519_SEEDBYTES
#define KEY_FILE_LEN (KEY_TAG_LEN + SEED_LEN + KEYS_PK_LEN)
#define ALG_ED25519 1

struct signer {
	uint8_t sk[crypto_sign_ed25519_SECRETKEYBYTES];
	uint8_t pk[KEYS_PK_LEN];
	uint8_t id[KEYS_HASH_LEN];
	int has_secret; /* sk holds the key (signer_forget clears it) */
};

/* "<what> \"<path>\": <why>", lower case, per the house style. */
static void
set_err(char *err, size_t errlen, const char *what, const char *path,
	const char *why)
{
	if (err && errlen > 0) {
		snprintf(err, errlen, "%s \"%s\": %s", what, path, why);
	}
}

static int
write_all(int fd, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t k = write(fd, p, len);

		if (k < 0 && errno == EINTR) {
			continue;
		}
		if (k <= 0) {
			return -1;
		}
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

/* Reads up to len bytes; returns the count, or -1. */
static ssize_t
read_full(int fd, uint8_t *p, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t k = read(fd, p + got, len - got);

		if (k < 0 && errno == EINTR) {
			continue;
		}
		if (k < 0) {
			return -1;
		}
		if (k == 0) {
			break;
		}
		got += (size_t)k;
	}
	return (ssize_t)got;
}

/* Makes the new directory entry durable too, not only the file. */
static void
sync_parent_dir(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	size_t n;
	int fd;

	if (!slash) {
		snprintf(dir, sizeof(dir), ".");
	} else {
		n = (size_t)(slash - path);
		if (n == 0) {
			n = 1; /* "/key": the root directory */
		}
		if (n >= sizeof(dir)) {
			return;
		}
		memcpy(dir, path, n);
		dir[n] = '\0';
	}
	fd = open(dir, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return;
	}
	(void)fsync(fd);
	close(fd);
}

int
signer_generate_file(const char *path, char *err, size_t errlen)
{
	uint8_t *buf = NULL;
	uint8_t pk[KEYS_PK_LEN];
	uint8_t *sk = NULL;
	int fd = -1, created = 0;
	int r = -1;

	if (sodium_init() < 0) {
		set_err(err, errlen, "cannot create key file", path,
			"libsodium did not initialize");
		goto out;
	}
	buf = sodium_malloc(KEY_FILE_LEN);
	sk = sodium_malloc(crypto_sign_ed25519_SECRETKEYBYTES);
	if (!buf || !sk) {
		set_err(err, errlen, "cannot create key file", path,
			"out of memory");
		goto out;
	}
	memcpy(buf, key_tag, KEY_TAG_LEN);
	randombytes_buf(buf + KEY_TAG_LEN, SEED_LEN);
	crypto_sign_ed25519_seed_keypair(pk, sk, buf + KEY_TAG_LEN);
	memcpy(buf + KEY_TAG_LEN + SEED_LEN, pk, KEYS_PK_LEN);

	/* O_EXCL: never replace a key that may already have signed. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0) {
		set_err(err, errlen, "cannot create key file", path,
			strerror(errno));
		goto out;
	}
	created = 1;
	/* The umask can only narrow 0600, but say what we mean. */
	if (fchmod(fd, 0600) < 0 || write_all(fd, buf, KEY_FILE_LEN) < 0 ||
	    fsync(fd) < 0) {
		set_err(err, errlen, "cannot write key file", path,
			strerror(errno));
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		set_err(err, errlen, "cannot write key file", path,
			strerror(errno));
		goto out;
	}
	fd = -1;
	sync_parent_dir(path);
	r = 0;
out:
	if (fd >= 0) {
		close(fd);
	}
	/* A half-written key file must not be mistaken for a key later. */
	if (r < 0 && created) {
		unlink(path);
	}
	sodium_free(sk);
	sodium_free(buf);
	return r;
}

/*
 * Reads and checks a key file into sk and pk (s writable).  0, or -1 with
 * err.
 */
static int
read_key_file(struct signer *s, const char *path, char *err, size_t errlen)
{
	uint8_t *buf = NULL;
	struct stat st;
	ssize_t n;
	int fd = -1;
	int r = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		set_err(err, errlen, "cannot open key file", path,
			strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		set_err(err, errlen, "cannot open key file", path,
			strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		set_err(err, errlen, "refusing key file", path,
			"not a regular file");
		goto out;
	}
	/* Like OpenSSH: a key others could read may already be copied. */
	if (st.st_mode & 077) {
		set_err(err, errlen, "refusing key file", path,
			"readable by group or others (must be mode 0600)");
		goto out;
	}
	if (st.st_size != (off_t)KEY_FILE_LEN) {
		set_err(err, errlen, "refusing key file", path,
			"wrong size for a nomdesk/logkey/v1 file");
		goto out;
	}
	/* One byte of room to notice a file that grew since fstat. */
	buf = sodium_malloc(KEY_FILE_LEN + 1);
	if (!buf) {
		set_err(err, errlen, "cannot load key file", path,
			"out of memory");
		goto out;
	}
	n = read_full(fd, buf, KEY_FILE_LEN + 1);
	if (n < 0) {
		set_err(err, errlen, "cannot read key file", path,
			strerror(errno));
		goto out;
	}
	if ((size_t)n != KEY_FILE_LEN ||
	    memcmp(buf, key_tag, KEY_TAG_LEN) != 0) {
		set_err(err, errlen, "refusing key file", path,
			"not a nomdesk/logkey/v1 file");
		goto out;
	}
	crypto_sign_ed25519_seed_keypair(s->pk, s->sk, buf + KEY_TAG_LEN);
	if (memcmp(s->pk, buf + KEY_TAG_LEN + SEED_LEN, KEYS_PK_LEN) != 0) {
		set_err(err, errlen, "refusing key file", path,
			"damaged (public key does not match the seed)");
		goto out;
	}
	r = 0;
out:
	if (fd >= 0) {
		close(fd);
	}
	sodium_free(buf);
	return r;
}

int
signer_load_file(struct signer **out, const char *path, char *err,
		 size_t errlen)
{
	struct signer *s = NULL;
	int r = -1;

	*out = NULL;
	if (sodium_init() < 0) {
		set_err(err, errlen, "cannot load key file", path,
			"libsodium did not initialize");
		goto out;
	}
	s = sodium_malloc(sizeof(*s));
	if (!s) {
		set_err(err, errlen, "cannot load key file", path,
			"out of memory");
		goto out;
	}
	if (read_key_file(s, path, err, errlen) != 0) {
		goto out;
	}
	keys_key_id(ALG_ED25519, s->pk, s->id);
	s->has_secret = 1;
	sodium_mprotect_readonly(s);
	*out = s;
	s = NULL; /* transferred */
	r = 0;
out:
	sodium_free(s);
	return r;
}

void
signer_forget(struct signer *s)
{
	if (!s || !s->has_secret) {
		return;
	}
	sodium_mprotect_readwrite(s);
	sodium_memzero(s->sk, sizeof(s->sk));
	s->has_secret = 0;
	sodium_mprotect_readonly(s);
}

int
signer_recall(struct signer *s, const char *path, char *err, size_t errlen)
{
	uint8_t pk[KEYS_PK_LEN];
	int r;

	if (!s) {
		return -1;
	}
	if (s->has_secret) {
		return 0;
	}
	memcpy(pk, s->pk, KEYS_PK_LEN);
	sodium_mprotect_readwrite(s);
	r = read_key_file(s, path, err, errlen);
	if (r == 0 && sodium_memcmp(pk, s->pk, KEYS_PK_LEN) != 0) {
		set_err(err, errlen, "refusing key file", path,
			"it no longer holds the key this process opened");
		r = -2;
	}
	if (r != 0) {
		sodium_memzero(s->sk, sizeof(s->sk));
		memcpy(s->pk, pk, KEYS_PK_LEN);
	}
	s->has_secret = r == 0;
	sodium_mprotect_readonly(s);
	return r;
}

void
signer_free(struct signer *s)
{
	/* sodium_free wipes, and lifts the read-only protection itself. */
	sodium_free(s);
}

void
signer_public(const struct signer *s, uint8_t pk[KEYS_PK_LEN])
{
	memcpy(pk, s->pk, KEYS_PK_LEN);
}

void
signer_key_id(const struct signer *s, uint8_t id[KEYS_HASH_LEN])
{
	memcpy(id, s->id, KEYS_HASH_LEN);
}

int
signer_sign(const struct signer *s, const void *msg, size_t len,
	    uint8_t sig[KEYS_SIG_LEN])
{
	if (!s || !s->has_secret) {
		return -1;
	}
	return crypto_sign_ed25519_detached(sig, NULL, msg, len, s->sk) == 0
		       ? 0
		       : -1;
}

int
keys_verify(const uint8_t pk[KEYS_PK_LEN], const void *msg, size_t len,
	    const uint8_t sig[KEYS_SIG_LEN])
{
	/* libsodium rejects non-canonical S and small-order keys and R. */
	return crypto_sign_ed25519_verify_detached(sig, msg, len, pk) == 0 ? 0
									    : -1;
}
