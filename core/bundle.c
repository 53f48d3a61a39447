/*
 * The audit bundle: the whole log as one file an auditor takes away
 * (docs/audit-notes.md).  A text header, then typed, length-prefixed
 * records in log order: every entry, each stored checkpoint right after
 * the entry that completes its size and the witnesses' cosignatures of
 * it right after the checkpoint, the key registry, the witness registry,
 * an end record.
 *
 *     nomdesk-audit-bundle v2\n
 *     origin <origin>\n
 *     log-key <base64 Ed25519 public key of entry 0>\n
 *     entries <n>\n
 *     checkpoints <m>\n
 *     cosignatures <k>\n
 *     \n
 *     { type u8 | length u32 big-endian | bytes }...
 *
 * Every byte is bound by something the verifier checks: the header by
 * entry 0 and the counts, entries by their signatures and the tree,
 * checkpoints by the log key, cosignatures by the witness keys, the
 * registries by the replay, the framing by the strict reader (no unknown
 * type, no oversize record, nothing after the end).  The bundle holds no
 * dossier content: entries carry salted digests, logins, unit codes and
 * the reasons officials typed.  Version 1 bundles (no cosignatures, no
 * witness registry) are still read.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_int.h"
#include "core/i18n.h"

#define HEADER_MAX 1024
#define KEYS_MAX (16u << 20)

struct bundle_reader {
	FILE *f;
	int version;
	uint8_t *buf;
	size_t cap;
	uint64_t off, rec_off;
	int ended;
};

static int
set_err(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return -1;
}

/* Decimal u64, no sign, no leading zero. */
static int
parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t n = strlen(s);

	if (n == 0 || n > 20 || (n > 1 && s[0] == '0')) {
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - d) / 10) {
			return -1;
		}
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int
b64_chars_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '+' || c == '/' ||
		      c == '=')) {
			return 0;
		}
	}
	return 1;
}

/* Reads one header line "<key> <value>\n" into val. */
static int
header_line(struct bundle_reader *b, const char *key, char *val,
	    size_t valsz)
{
	char line[256];
	size_t kl = strlen(key), n;

	if (!fgets(line, sizeof(line), b->f)) {
		return -1;
	}
	n = strlen(line);
	b->off += n;
	if (n == 0 || line[n - 1] != '\n' || n < kl + 3 ||
	    strncmp(line, key, kl) != 0 || line[kl] != ' ') {
		return -1;
	}
	line[n - 1] = '\0';
	if (strlen(line + kl + 1) >= valsz || strchr(line + kl + 1, ' ')) {
		return -1;
	}
	snprintf(val, valsz, "%s", line + kl + 1);
	return 0;
}

int
bundle_open(struct bundle_reader **out, const char *path,
	    struct bundle_header *h, char *err, size_t errlen)
{
	struct bundle_reader *b = NULL;
	char magic[64], val[160];
	size_t n;

	*out = NULL;
	memset(h, 0, sizeof(*h));
	if (!(b = calloc(1, sizeof(*b)))) {
		return set_err(err, errlen, "out of memory");
	}
	if (!(b->f = fopen(path, "rb"))) {
		snprintf(err, errlen, "%s", strerror(errno));
		free(b);
		return -2; /* not a rule: the file is not there */
	}
	setvbuf(b->f, NULL, _IOFBF, 1 << 20);
	n = strlen(BUNDLE_MAGIC); /* the same length as v1's */
	if (fread(magic, 1, n, b->f) != n ||
	    (memcmp(magic, BUNDLE_MAGIC, n) != 0 &&
	     memcmp(magic, BUNDLE_MAGIC_V1, n) != 0)) {
		bundle_close(b);
		return set_err(err, errlen,
			       "not a nomdesk audit bundle (v1 or v2)");
	}
	b->version = h->version = memcmp(magic, BUNDLE_MAGIC, n) == 0 ? 2 : 1;
	b->off = n;
	if (header_line(b, "origin", h->origin, sizeof(h->origin)) != 0 ||
	    header_line(b, "log-key", val, sizeof(val)) != 0 ||
	    strlen(val) != 44 || !b64_chars_ok(val, 44) ||
	    keys_b64_decode(val, h->log_key, 32) != 32 ||
	    header_line(b, "entries", val, sizeof(val)) != 0 ||
	    parse_u64(val, &h->n_entries) != 0 ||
	    header_line(b, "checkpoints", val, sizeof(val)) != 0 ||
	    parse_u64(val, &h->n_checkpoints) != 0 ||
	    (b->version >= 2 &&
	     (header_line(b, "cosignatures", val, sizeof(val)) != 0 ||
	      parse_u64(val, &h->n_cosigs) != 0)) ||
	    fgetc(b->f) != '\n') {
		bundle_close(b);
		return set_err(err, errlen, "malformed header");
	}
	b->off++;
	*out = b;
	return 0;
}

int
bundle_next(struct bundle_reader *b, int *type, const uint8_t **p,
	    size_t *len, char *err, size_t errlen)
{
	uint8_t hdr[5];
	uint32_t n;
	size_t max;

	*p = NULL;
	*len = 0;
	b->rec_off = b->off;
	if (b->ended) {
		return set_err(err, errlen, "read past the end record");
	}
	if (fread(hdr, 1, 5, b->f) != 5) {
		return set_err(err, errlen, "truncated (no end record)");
	}
	b->off += 5;
	n = (uint32_t)hdr[1] << 24 | (uint32_t)hdr[2] << 16 |
	    (uint32_t)hdr[3] << 8 | hdr[4];
	switch (hdr[0]) {
	case BUNDLE_ENTRY:
		max = 65535;
		break;
	case BUNDLE_CHECKPOINT:
		max = 4096;
		break;
	case BUNDLE_KEYS:
		max = KEYS_MAX;
		break;
	case BUNDLE_COSIG:
		max = 8 + 512;
		if (b->version < 2 || n <= 8) {
			return set_err(err, errlen,
				       "record length out of range");
		}
		break;
	case BUNDLE_WITNESSES:
		max = KEYS_MAX;
		if (b->version < 2) {
			return set_err(err, errlen, "unknown record type");
		}
		break;
	case BUNDLE_END:
		max = 0;
		break;
	default:
		return set_err(err, errlen, "unknown record type");
	}
	if (n > max || (hdr[0] != BUNDLE_END && hdr[0] != BUNDLE_KEYS &&
			hdr[0] != BUNDLE_WITNESSES && n == 0)) {
		return set_err(err, errlen, "record length out of range");
	}
	if (n > b->cap) {
		size_t cap = n < 65536 ? 65536 : n;
		uint8_t *q = realloc(b->buf, cap);

		if (!q) {
			return set_err(err, errlen, "out of memory");
		}
		b->buf = q;
		b->cap = cap;
	}
	if (n && fread(b->buf, 1, n, b->f) != n) {
		return set_err(err, errlen, "record past the end of the file");
	}
	b->off += n;
	if (hdr[0] == BUNDLE_END) {
		if (fgetc(b->f) != EOF) {
			return set_err(err, errlen, "bytes after the end record");
		}
		b->ended = 1;
	}
	*type = hdr[0];
	*p = b->buf;
	*len = n;
	return 0;
}

uint64_t
bundle_offset(const struct bundle_reader *b)
{
	return b ? b->rec_off : 0;
}

void
bundle_close(struct bundle_reader *b)
{
	if (!b) {
		return;
	}
	if (b->f) {
		fclose(b->f);
	}
	free(b->buf);
	free(b);
}

/* ---- export ---- */

static int
put_rec(FILE *f, int type, const void *p, size_t n)
{
	uint8_t hdr[5] = {(uint8_t)type, (uint8_t)(n >> 24), (uint8_t)(n >> 16),
			  (uint8_t)(n >> 8), (uint8_t)n};

	if (fwrite(hdr, 1, 5, f) != 5 || (n && fwrite(p, 1, n, f) != n)) {
		return -1;
	}
	return 0;
}

static int
may_export(struct core *c)
{
	if (c->is_system) {
		return 0;
	}
	if (c->has_actor && (c->actor.role == CORE_ROLE_AUDITOR ||
			     c->actor.role == CORE_ROLE_CITY_HR ||
			     c->actor.role == CORE_ROLE_ADMIN)) {
		return 0;
	}
	return core_err(c, CORE_EPERM, NULL,
			_("only an auditor, city HR or an administrator may "
			  "export the log"));
}

/* The log key entry 0 announces (the bundle's header line). */
static int
genesis_key(struct core *c, uint8_t pk[32])
{
	sqlite3_stmt *st = NULL;
	struct stmt *s = malloc(sizeof(*s));
	struct entry e;
	char owner[8];
	int r = -1;

	if (!s) {
		return -1;
	}
	if (db_prepare(c, &st, "SELECT entry FROM log_entry WHERE seq = 0") ==
		    0 &&
	    sqlite3_step(st) == SQLITE_ROW &&
	    entry_parse(sqlite3_column_blob(st, 0),
			(size_t)sqlite3_column_bytes(st, 0), &e) == 0 &&
	    stmt_parse(e.stmt, e.stmt_len, s) == 0 &&
	    vreg_new_key(s, owner, sizeof(owner), pk) == 0) {
		r = 0;
	}
	sqlite3_finalize(st);
	free(s);
	return r;
}

static int64_t
count_rows(struct core *c, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	if (db_prepare(c, &st, sql) == 0 && sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return n;
}

/* The checkpoint row sc, then its cosignatures (sw, by size). */
static int
put_checkpoint(FILE *f, sqlite3_stmt *sc, sqlite3_stmt *sw, int *have_w)
{
	int64_t size = sqlite3_column_int64(sc, 0);
	uint8_t rec[8 + 512];

	if (put_rec(f, BUNDLE_CHECKPOINT, sqlite3_column_text(sc, 1),
		    (size_t)sqlite3_column_bytes(sc, 1)) != 0) {
		return -1;
	}
	/* A cosignature without its checkpoint cannot exist (foreign
	 * key); one that did would be the verifier's to report. */
	while (*have_w && sqlite3_column_int64(sw, 0) <= size) {
		size_t n = (size_t)sqlite3_column_bytes(sw, 1);

		if (sqlite3_column_int64(sw, 0) == size && n > 0 &&
		    n <= 512) {
			for (int i = 0; i < 8; i++) {
				rec[i] = (uint8_t)((uint64_t)size >>
						   (56 - 8 * i));
			}
			memcpy(rec + 8, sqlite3_column_text(sw, 1), n);
			if (put_rec(f, BUNDLE_COSIG, rec, 8 + n) != 0) {
				return -1;
			}
		}
		*have_w = sqlite3_step(sw) == SQLITE_ROW;
	}
	return 0;
}

/* Writes the bundle from a read snapshot of the database. */
static int
write_bundle(struct core *c, FILE *f)
{
	sqlite3_stmt *se = NULL, *sc = NULL, *sw = NULL;
	struct stmt *s = NULL;
	struct vreg reg;
	struct vwit *vw = NULL;
	struct enc_buf kb, wb;
	uint8_t pk[32];
	char pk64[64], why[256];
	int64_t n_e, n_c, n_w, written = 0;
	int r = CORE_EIO, have_cp, have_w, rc;

	vreg_init(&reg);
	enc_init(&kb);
	enc_init(&wb);
	if (!(s = malloc(sizeof(*s))) ||
	    vwit_new(&vw, NULL, 0, 0, why, sizeof(why)) != 0) {
		r = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
		goto out;
	}
	if (genesis_key(c, pk) != 0) {
		signer_public(c->logkey, pk);
	}
	keys_b64_encode(pk, 32, pk64, sizeof(pk64));
	n_e = count_rows(c, "SELECT count(*) FROM log_entry");
	n_c = count_rows(c, "SELECT count(*) FROM log_checkpoint");
	n_w = count_rows(c, "SELECT count(*) FROM witness_cosig WHERE "
			    "length(CAST(line AS BLOB)) BETWEEN 1 AND 512");
	if (n_e < 0 || n_c < 0 || n_w < 0 ||
	    fprintf(f, "%sorigin %s\nlog-key %s\nentries %lld\ncheckpoints "
		       "%lld\ncosignatures %lld\n\n",
		    BUNDLE_MAGIC, c->origin, pk64, (long long)n_e,
		    (long long)n_c, (long long)n_w) < 0) {
		goto io;
	}
	if ((r = db_prepare(c, &se,
			    "SELECT entry FROM log_entry ORDER BY seq")) != 0 ||
	    (r = db_prepare(c, &sc,
			    "SELECT size, note FROM log_checkpoint ORDER BY "
			    "size")) != 0 ||
	    (r = db_prepare(c, &sw,
			    "SELECT size, line FROM witness_cosig ORDER BY "
			    "size, rowid")) != 0) {
		goto out;
	}
	have_cp = sqlite3_step(sc) == SQLITE_ROW;
	have_w = sqlite3_step(sw) == SQLITE_ROW;
	for (;;) {
		/* A checkpoint goes right after the entry completing it. */
		while (have_cp && sqlite3_column_int64(sc, 0) <= written) {
			if (put_checkpoint(f, sc, sw, &have_w) != 0) {
				goto io;
			}
			have_cp = sqlite3_step(sc) == SQLITE_ROW;
		}
		if ((rc = sqlite3_step(se)) != SQLITE_ROW) {
			break;
		}
		{
			const uint8_t *p = sqlite3_column_blob(se, 0);
			size_t n = (size_t)sqlite3_column_bytes(se, 0);
			struct entry e;

			if (put_rec(f, BUNDLE_ENTRY, p, n) != 0) {
				goto io;
			}
			/* The registry as the entries define it; a broken
			 * entry is the verifier's to report. */
			if (entry_parse(p, n, &e) == 0 &&
			    stmt_parse(e.stmt, e.stmt_len, s) == 0) {
				(void)vreg_apply(&reg, e.seq, s, why,
						 sizeof(why));
				(void)vwit_apply(vw, e.seq, s, why,
						 sizeof(why));
			}
			written++;
		}
	}
	if (rc != SQLITE_DONE) {
		r = core_err_sql(c, rc);
		goto out;
	}
	while (have_cp) {
		if (put_checkpoint(f, sc, sw, &have_w) != 0) {
			goto io;
		}
		have_cp = sqlite3_step(sc) == SQLITE_ROW;
	}
	vreg_format(&reg, &kb);
	vwit_format(vw, &wb);
	if (kb.err || wb.err || put_rec(f, BUNDLE_KEYS, kb.p, kb.len) != 0 ||
	    put_rec(f, BUNDLE_WITNESSES, wb.p, wb.len) != 0 ||
	    put_rec(f, BUNDLE_END, NULL, 0) != 0) {
		goto io;
	}
	r = 0;
	goto out;
io:
	r = core_err(c, CORE_EIO, NULL, _("cannot write the bundle: %s"),
		     strerror(errno));
out:
	sqlite3_finalize(se);
	sqlite3_finalize(sc);
	sqlite3_finalize(sw);
	enc_release(&wb);
	enc_release(&kb);
	vreg_release(&reg);
	vwit_free(vw);
	free(s);
	return r;
}

int
core_audit_export(struct core *c, const char *path, struct core_receipt *rc)
{
	struct audit_act a;
	FILE *f = NULL;
	int fd = -1, r;

	core_err_clear(c);
	if ((r = may_export(c)) != 0) {
		return r;
	}
	/* Record the export first: the bundle then holds its own entry. */
	if ((r = tx_begin(c)) != 0) {
		return r;
	}
	memset(&a, 0, sizeof(a));
	a.act = ACT_VIEW;
	a.subject = "log";
	a.reason = "audit export";
	if ((r = audit_append(c, &a, NULL)) != 0 ||
	    (r = tx_commit(c, rc)) != 0) {
		tx_rollback(c);
		return r;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0 || !(f = fdopen(fd, "wb"))) {
		r = core_err(c, CORE_EIO, NULL, _("cannot create '%s': %s"),
			     path, strerror(errno));
		if (fd >= 0) {
			close(fd);
		}
		return r;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	/* One read transaction: entries and checkpoints of one moment. */
	if (sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		r = core_err_sql(c, sqlite3_errcode(c->db));
		goto fail;
	}
	r = write_bundle(c, f);
	sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
	if (r != 0) {
		goto fail;
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		r = core_err(c, CORE_EIO, NULL, _("cannot write the bundle: %s"),
			     strerror(errno));
		goto fail;
	}
	if (fclose(f) != 0) {
		f = NULL;
		r = core_err(c, CORE_EIO, NULL, _("cannot write the bundle: %s"),
			     strerror(errno));
		goto fail;
	}
	return 0;
fail:
	if (f) {
		fclose(f);
	}
	unlink(path);
	return r;
}
