/*
 * A witness (audit-log.md 2.12): a directory, usable on a USB stick, that
 * remembers the latest checkpoint it saw for each log it trusts and
 * cosigns a newer one only given a consistency proof from it (the
 * tlog-witness add-checkpoint rules, over files instead of HTTP).
 *
 *     DIR/witness.key        Ed25519 key (keys/ key file, 0600)
 *     DIR/witness.conf       "nomdesk-witness v1", "name NAME",
 *                            "log ORIGIN BASE64-KEY" per trusted log key
 *                            (two for one origin across a log key
 *                            rotation: either may sign)
 *     DIR/state/H.checkpoint the latest cosigned checkpoint of the log
 *                            whose origin hashes to H, with our line
 *     DIR/evidence/          both signed checkpoints of every fork seen
 *     DIR/lock               compare-and-store runs under flock()
 *
 * The cosignature is C2SP tlog-cosignature v1: a signed-note line
 * "— NAME base64(keyid[4] || time u64 || Ed25519 sig[64])" over
 * "cosignature/v1\ntime T\n" followed by the checkpoint body; keyid is
 * SHA-256(NAME || 0x0A || 0x04 || pk)[:4].  Invariant: the stored size
 * never goes down and the stored root at a size never changes; a request
 * that would need either is refused, and if it is signed by the log it is
 * kept as evidence.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core_int.h"
#include "core/i18n.h"

#define CONF_MAGIC "nomdesk-witness v1\n"
#define MAX_LOGS 64

struct wconf {
	char name[128];
	size_t n_logs;
	struct {
		char origin[128];
		uint8_t pk[32];
	} logs[MAX_LOGS];
};

static int
werr(char *err, size_t errlen, int r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
werr(char *err, size_t errlen, int r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return r;
}

/* A signed-note key name we accept: printable ASCII, no space or '+'. */
static int
name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 100) {
		return 0;
	}
	for (; *s; s++) {
		if (*s <= 0x20 || *s >= 0x7f || *s == '+') {
			return 0;
		}
	}
	return 1;
}

static int
read_small(const char *path, char *buf, size_t bufsz, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		return -1;
	}
	n = fread(buf, 1, bufsz - 1, f);
	fclose(f);
	if (n == bufsz - 1) {
		return -1;
	}
	buf[n] = '\0';
	if (len) {
		*len = n;
	}
	return strlen(buf) == n ? 0 : -1;
}

/* Writes path atomically: a temporary file, fsync, rename, fsync dir. */
static int
write_atomic(const char *dir, const char *path, const void *p, size_t n)
{
	char tmp[PATH_MAX + 64];
	int fd, dfd, ok;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0) {
		return -1;
	}
	ok = write(fd, p, n) == (ssize_t)n && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	return 0;
}

static int
conf_load(const char *dir, struct wconf *w, char *err, size_t errlen)
{
	char path[PATH_MAX + 32], *buf = NULL, *line, *save = NULL;
	size_t len;
	int r = CORE_EINVAL;

	memset(w, 0, sizeof(*w));
	snprintf(path, sizeof(path), "%s/witness.conf", dir);
	if (!(buf = malloc(65536))) {
		return werr(err, errlen, CORE_EINTERNAL, "out of memory");
	}
	if (read_small(path, buf, 65536, &len) != 0) {
		r = werr(err, errlen, CORE_ENOENT,
			 _("'%s' is not a witness directory (run `nomdesk "
			   "witness init`)"),
			 dir);
		goto out;
	}
	if (strncmp(buf, CONF_MAGIC, strlen(CONF_MAGIC)) != 0) {
		goto bad;
	}
	for (line = strtok_r(buf + strlen(CONF_MAGIC), "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char a[160], b[160];

		if (strncmp(line, "name ", 5) == 0) {
			snprintf(w->name, sizeof(w->name), "%s", line + 5);
			if (!name_ok(w->name)) {
				goto bad;
			}
		} else if (sscanf(line, "log %159s %159s", a, b) == 2 &&
			   w->n_logs < MAX_LOGS && strlen(a) < 128 &&
			   strlen(b) == 44 && b64_chars_ok(b, 44) &&
			   keys_b64_decode(b, w->logs[w->n_logs].pk, 32) == 32) {
			snprintf(w->logs[w->n_logs].origin,
				 sizeof(w->logs[0].origin), "%.127s", a);
			w->n_logs++;
		} else {
			goto bad;
		}
	}
	if (!w->name[0]) {
		goto bad;
	}
	r = 0;
	goto out;
bad:
	r = werr(err, errlen, CORE_ECORRUPT, _("'%s' is malformed"), path);
out:
	free(buf);
	return r;
}

static int
conf_save(const char *dir, const struct wconf *w, char *err, size_t errlen)
{
	char path[PATH_MAX + 32], pk64[64];
	struct enc_buf b;
	int r = 0;

	enc_init(&b);
	enc_raw(&b, CONF_MAGIC, strlen(CONF_MAGIC));
	enc_raw(&b, "name ", 5);
	enc_raw(&b, w->name, strlen(w->name));
	enc_raw(&b, "\n", 1);
	for (size_t i = 0; i < w->n_logs; i++) {
		keys_b64_encode(w->logs[i].pk, 32, pk64, sizeof(pk64));
		enc_raw(&b, "log ", 4);
		enc_raw(&b, w->logs[i].origin, strlen(w->logs[i].origin));
		enc_raw(&b, " ", 1);
		enc_raw(&b, pk64, strlen(pk64));
		enc_raw(&b, "\n", 1);
	}
	snprintf(path, sizeof(path), "%s/witness.conf", dir);
	if (b.err || write_atomic(dir, path, b.p, b.len) != 0) {
		r = werr(err, errlen, CORE_EIO, _("cannot write '%s': %s"),
			 path, strerror(errno));
	}
	enc_release(&b);
	return r;
}

int
core_witness_init(const char *dir, const char *name, char *err,
		  size_t errlen)
{
	static const char *const subs[] = {"state", "evidence"};
	char path[PATH_MAX + 32];
	struct wconf w;
	struct stat sb;

	if (sodium_init() < 0) {
		return werr(err, errlen, CORE_EINTERNAL, "libsodium");
	}
	if (!name || !name_ok(name)) {
		return werr(err, errlen, CORE_EINVAL,
			    _("name: a witness name is printable ASCII "
			      "without spaces or '+' (e.g. "
			      "witness.pingcheng.example/1)"));
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		return werr(err, errlen, CORE_EIO, _("cannot create '%s': %s"),
			    dir, strerror(errno));
	}
	snprintf(path, sizeof(path), "%s/witness.conf", dir);
	if (stat(path, &sb) == 0) {
		return werr(err, errlen, CORE_EEXIST,
			    _("'%s' is a witness already"), dir);
	}
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, subs[i]);
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			return werr(err, errlen, CORE_EIO,
				    _("cannot create '%s': %s"), path,
				    strerror(errno));
		}
	}
	snprintf(path, sizeof(path), "%s/witness.key", dir);
	if (signer_generate_file(path, err, errlen) != 0) {
		return CORE_EIO;
	}
	memset(&w, 0, sizeof(w));
	snprintf(w.name, sizeof(w.name), "%s", name);
	return conf_save(dir, &w, err, errlen);
}

static int
origin_ok(const char *s)
{
	return s && strlen(s) < 128 && name_ok(s);
}

int
core_witness_add_log(const char *dir, const char *origin,
		     const uint8_t pk[32], char *err, size_t errlen)
{
	struct wconf w;
	int r;

	if (!origin_ok(origin)) {
		return werr(err, errlen, CORE_EINVAL,
			    _("origin: not a log origin line"));
	}
	if ((r = conf_load(dir, &w, err, errlen)) != 0) {
		return r;
	}
	/* A second key for a known origin is the log's rotated key
	 * (audit-log.md 2.13): both are trusted through the overlap. */
	for (size_t i = 0; i < w.n_logs; i++) {
		if (strcmp(w.logs[i].origin, origin) == 0 &&
		    memcmp(w.logs[i].pk, pk, 32) == 0) {
			return 0;
		}
	}
	if (w.n_logs >= MAX_LOGS) {
		return werr(err, errlen, CORE_EQUOTA, _("too many logs"));
	}
	snprintf(w.logs[w.n_logs].origin, sizeof(w.logs[0].origin), "%s",
		 origin);
	memcpy(w.logs[w.n_logs].pk, pk, 32);
	w.n_logs++;
	return conf_save(dir, &w, err, errlen);
}

int
core_witness_info(const char *dir, char *name, size_t namesz, char *vkey,
		  size_t vkeysz, char *err, size_t errlen)
{
	struct signer *s = NULL;
	struct wconf w;
	char path[PATH_MAX + 32], b64[64], hex[9];
	uint8_t pk[33], kid[4];
	int r;

	if ((r = conf_load(dir, &w, err, errlen)) != 0) {
		return r;
	}
	snprintf(path, sizeof(path), "%s/witness.key", dir);
	if (signer_load_file(&s, path, err, errlen) != 0) {
		return CORE_EIO;
	}
	pk[0] = NOTE_TYPE_COSIG;
	signer_public(s, pk + 1);
	signer_free(s);
	note_key_hash(w.name, NOTE_TYPE_COSIG, pk + 1, kid);
	sodium_bin2hex(hex, sizeof(hex), kid, 4);
	keys_b64_encode(pk, 33, b64, sizeof(b64));
	snprintf(name, namesz, "%s", w.name);
	snprintf(vkey, vkeysz, "%s+%s+%s", w.name, hex, b64);
	return 0;
}

/* Verifies note with any key the witness trusts for origin (two across
 * a log key rotation); 0 or -1 with the first key's reason in err. */
static int
verify_any(const struct wconf *w, const char *origin, const char *note,
	   uint64_t *size, uint8_t root[32], char *err, size_t errlen)
{
	char other[128];
	int tried = 0;

	for (size_t i = 0; i < w->n_logs; i++) {
		if (strcmp(w->logs[i].origin, origin) != 0) {
			continue;
		}
		if (note_checkpoint_verify(note, origin, w->logs[i].pk, size,
					   root, tried ? other : err,
					   tried ? sizeof(other) : errlen) == 0) {
			return 0;
		}
		tried = 1;
	}
	return -1;
}

void
core_witness_state_path(const char *dir, const char *origin, char *out,
			size_t outsz)
{
	uint8_t h[32];
	char hex[33];

	crypto_hash_sha256(h, (const uint8_t *)origin, strlen(origin));
	sodium_bin2hex(hex, sizeof(hex), h, 16);
	snprintf(out, outsz, "%s/state/%s.checkpoint", dir, hex);
}

/* A parsed add-checkpoint request; note points into the request. */
struct wreq {
	uint64_t old;
	uint8_t proof[64][32];
	size_t n_proof;
	char origin[128];
	char *note; /* NUL-terminated copy */
};

static int
parse_request(const char *req, size_t len, struct wreq *q)
{
	const char *p = req, *end = req + len, *nl;
	char line[64];
	size_t n;

	memset(q->origin, 0, sizeof(q->origin));
	q->n_proof = 0;
	q->note = NULL;
	if (memchr(req, '\0', len)) {
		return -1;
	}
	/* "old N" */
	if (!(nl = memchr(p, '\n', (size_t)(end - p))) ||
	    (n = (size_t)(nl - p)) < 5 || n >= sizeof(line) ||
	    strncmp(p, "old ", 4) != 0) {
		return -1;
	}
	memcpy(line, p + 4, n - 4);
	line[n - 4] = '\0';
	{
		char *e;

		if ((line[0] == '0' && line[1] != '\0') || line[0] < '0' ||
		    line[0] > '9') {
			return -1;
		}
		errno = 0;
		q->old = strtoull(line, &e, 10);
		if (*e != '\0' || errno) {
			return -1;
		}
	}
	p = nl + 1;
	/* proof lines, then an empty line */
	for (;;) {
		if (!(nl = memchr(p, '\n', (size_t)(end - p)))) {
			return -1;
		}
		n = (size_t)(nl - p);
		if (n == 0) {
			break;
		}
		if (n != 44 || q->n_proof >= 63) {
			return -1;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		if (!b64_chars_ok(line, n) ||
		    keys_b64_decode(line, q->proof[q->n_proof], 32) != 32) {
			return -1;
		}
		q->n_proof++;
		p = nl + 1;
	}
	p = nl + 1;
	n = (size_t)(end - p);
	if (!(nl = memchr(p, '\n', n)) || (size_t)(nl - p) >= sizeof(q->origin)) {
		return -1;
	}
	memcpy(q->origin, p, (size_t)(nl - p));
	q->origin[nl - p] = '\0';
	if (!(q->note = malloc(n + 1))) {
		return -1;
	}
	memcpy(q->note, p, n);
	q->note[n] = '\0';
	return 0;
}

/* Length of the note's body (through the LF before the blank line). */
static size_t
body_len(const char *note)
{
	const char *p = strstr(note, "\n\n");

	return p ? (size_t)(p - note) + 1 : 0;
}

static int
keep_evidence(const char *dir, const char *origin, const char *held,
	      uint64_t held_size, const char *offered, uint64_t off_size,
	      const char *req, size_t req_len, int64_t now,
	      struct core_witness_result *res)
{
	char base[PATH_MAX + 64], path[PATH_MAX + 160], edir[PATH_MAX + 16];
	uint8_t h[32];
	char hex[17];
	int ok = 1;

	crypto_hash_sha256(h, (const uint8_t *)origin, strlen(origin));
	sodium_bin2hex(hex, sizeof(hex), h, 8);
	snprintf(edir, sizeof(edir), "%.4000s/evidence", dir);
	snprintf(base, sizeof(base), "%s/%s-%lld", edir, hex, (long long)now);
	if (held) {
		snprintf(path, sizeof(path), "%s-held-%" PRIu64 ".checkpoint",
			 base, held_size);
		ok &= write_atomic(edir, path, held, strlen(held)) == 0;
	}
	snprintf(path, sizeof(path), "%s-offered-%" PRIu64 ".checkpoint", base,
		 off_size);
	ok &= write_atomic(edir, path, offered, strlen(offered)) == 0;
	snprintf(path, sizeof(path), "%s-request.txt", base);
	ok &= write_atomic(edir, path, req, req_len) == 0;
	snprintf(res->evidence, sizeof(res->evidence), "%.4080s-*", base);
	return ok ? 0 : -1;
}

int
core_witness_cosign(const char *dir, const char *request, size_t len,
		    int64_t now, struct core_witness_result *res, char *err,
		    size_t errlen)
{
	struct wconf w;
	struct wreq *q = NULL;
	struct signer *key = NULL;
	int known = 0;
	uint8_t new_root[32], old_root[32] = {0};
	uint64_t new_size, old_size = 0;
	char path[PATH_MAX + 32], sdir[PATH_MAX + 16], *held = NULL;
	char *state = NULL, lerr[128];
	int lock = -1, r;

	memset(res, 0, sizeof(*res));
	if (sodium_init() < 0) {
		return werr(err, errlen, CORE_EINTERNAL, "libsodium");
	}
	if ((r = conf_load(dir, &w, err, errlen)) != 0) {
		return r;
	}
	if (!(q = malloc(sizeof(*q)))) {
		return werr(err, errlen, CORE_EINTERNAL, "out of memory");
	}
	if (parse_request(request, len, q) != 0) {
		r = werr(err, errlen, CORE_EINVAL,
			 _("malformed witness request (\"old N\", proof "
			   "lines, a blank line, a checkpoint)"));
		goto out;
	}
	snprintf(res->origin, sizeof(res->origin), "%s", q->origin);
	for (size_t i = 0; i < w.n_logs; i++) {
		known |= strcmp(w.logs[i].origin, q->origin) == 0;
	}
	if (!known) {
		r = werr(err, errlen, CORE_ENOENT,
			 _("the witness does not know the log '%s' (`nomdesk "
			   "witness add-log`)"),
			 q->origin);
		goto out;
	}
	if (verify_any(&w, q->origin, q->note, &new_size, new_root, lerr,
		       sizeof(lerr)) != 0) {
		r = werr(err, errlen, CORE_EAUTH,
			 _("the checkpoint is not signed by the log's key: "
			   "%s"),
			 lerr);
		goto out;
	}
	if (q->old > new_size) {
		r = werr(err, errlen, CORE_EINVAL,
			 _("old size %" PRIu64 " is past the checkpoint's size "
			   "%" PRIu64),
			 q->old, new_size);
		goto out;
	}

	/* Compare and store under one lock (tlog-witness's rollback race). */
	snprintf(path, sizeof(path), "%s/lock", dir);
	if ((lock = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0 ||
	    flock(lock, LOCK_EX) != 0) {
		r = werr(err, errlen, CORE_EIO, _("cannot lock '%s': %s"), path,
			 strerror(errno));
		goto out;
	}
	core_witness_state_path(dir, q->origin, res->state,
				sizeof(res->state));
	if (!(held = malloc(65536))) {
		r = werr(err, errlen, CORE_EINTERNAL, "out of memory");
		goto out;
	}
	if (read_small(res->state, held, 65536, NULL) == 0) {
		if (verify_any(&w, q->origin, held, &old_size, old_root, lerr,
			       sizeof(lerr)) != 0) {
			r = werr(err, errlen, CORE_ECORRUPT,
				 _("the witness's own state '%s' does not "
				   "verify: %s"),
				 res->state, lerr);
			goto out;
		}
	} else {
		free(held);
		held = NULL;
	}
	res->old_size = res->size = old_size;
	if (q->old != old_size) {
		r = werr(err, errlen, CORE_ESTATE,
			 _("the witness is at size %" PRIu64 ", not %" PRIu64
			   " (ask again with --since %" PRIu64 ")"),
			 old_size, q->old, old_size);
		goto out;
	}
	if (old_size == new_size ? memcmp(old_root, new_root, 32) != 0 ||
					   q->n_proof != 0
	    : old_size == 0	 ? q->n_proof != 0
			 : merkle_consistency_verify(old_size, new_size,
						     old_root, new_root,
						     (const uint8_t(*)[32])
							     q->proof,
						     q->n_proof) != 0) {
		if (keep_evidence(dir, q->origin, held, old_size, q->note,
				  new_size, request, len, now, res) != 0) {
			r = werr(err, errlen, CORE_ECORRUPT,
				 _("FORK: the log signed a checkpoint at size "
				   "%" PRIu64 " that is not consistent with "
				   "the one the witness holds (size %" PRIu64
				   "), and the evidence could not be written"),
				 new_size, old_size);
		} else {
			r = werr(err, errlen, CORE_ECORRUPT,
				 _("FORK: the log signed a checkpoint at size "
				   "%" PRIu64 " that is not consistent with "
				   "the one the witness holds (size %" PRIu64
				   "); both are kept in %s"),
				 new_size, old_size, res->evidence);
		}
		goto out;
	}

	/* Cosign: "cosignature/v1\ntime T\n" || body (keys/note.c). */
	{
		size_t bl = body_len(q->note), sl;

		snprintf(path, sizeof(path), "%s/witness.key", dir);
		if (signer_load_file(&key, path, err, errlen) != 0) {
			r = CORE_EIO;
			goto out;
		}
		if (now < 0 || note_cosign(key, w.name, q->note, bl,
					   (uint64_t)now, res->cosig,
					   sizeof(res->cosig)) != 0) {
			r = werr(err, errlen, CORE_EINTERNAL, "cannot cosign");
			goto out;
		}
		sl = strlen(q->note) + strlen(res->cosig);
		if (!(state = malloc(sl + 1))) {
			r = werr(err, errlen, CORE_EINTERNAL, "out of memory");
			goto out;
		}
		snprintf(state, sl + 1, "%s%s", q->note, res->cosig);
		snprintf(sdir, sizeof(sdir), "%s/state", dir);
		if (write_atomic(sdir, res->state, state, sl) != 0) {
			r = werr(err, errlen, CORE_EIO,
				 _("cannot write '%s': %s"), res->state,
				 strerror(errno));
			goto out;
		}
	}
	res->size = new_size;
	r = 0;
out:
	if (lock >= 0) {
		close(lock); /* releases the flock */
	}
	signer_free(key);
	free(state);
	free(held);
	if (q) {
		free(q->note);
	}
	free(q);
	return r;
}
