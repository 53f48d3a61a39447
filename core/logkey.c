/*
 * logkey: the log key file against the log itself (audit-log.md 2.13).
 *
 * The log announces its key in entry 0, and each rotation in a later
 * ACT_LOG_KEY entry that the retiring key signs.  core_open() refuses a
 * key file that is not the newest announced key, before anything is
 * signed with it: entries and checkpoints signed by a swapped key verify
 * with nobody's key, and without this check the host would learn it only
 * at the next audit.
 *
 * Rotation writes the new key beside the old one (keys/log.key.new),
 * commits the announcement and the checkpoint covering it, signed by both
 * keys, in one transaction, and only then renames the old file to
 * keys/log.key.retired-SEQ (kept for the record) and the new one to
 * keys/log.key.  A crash between the commit and the renames leaves files
 * logkey_open() recognises (the .new file is the key the log announces)
 * and puts in place.  A .new file the log does not announce is what an
 * interrupted rotation left before its commit: the next rotation replaces
 * it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core_int.h"
#include "core/i18n.h"

/*
 * The newest log-key entry with seq < before: its seq and key.
 * CORE_ENOENT if there is none; CORE_ECORRUPT if it does not parse.
 */
static int
announced(struct core *c, uint64_t before, uint64_t *seq, uint8_t pk[32])
{
	sqlite3_stmt *st = NULL;
	struct stmt *s = NULL;
	struct entry e;
	char owner[8];
	int r;

	if (!(s = malloc(sizeof(*s)))) {
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	/* The act column only finds the row; the bytes decide. */
	if ((r = db_query(c, &st,
	                  "SELECT seq, entry FROM log_entry WHERE act = 110 "
	                  "AND seq < ?1 ORDER BY seq DESC LIMIT 1",
	                  "i",
	                  (int64_t)(before > (uint64_t)INT64_MAX
	                                ? INT64_MAX
	                                : (int64_t)before))) != 0) {
		goto out;
	}
	if (sqlite3_step(st) != SQLITE_ROW) {
		r = core_err(c, CORE_ENOENT, NULL,
			     "the log announces no log key (entry 0)");
		goto out;
	}
	*seq = (uint64_t)sqlite3_column_int64(st, 0);
	if (entry_parse(sqlite3_column_blob(st, 1),
			(size_t)sqlite3_column_bytes(st, 1), &e) != 0 ||
	    e.seq != *seq || stmt_parse(e.stmt, e.stmt_len, s) != 0 ||
	    s->act != ACT_LOG_KEY ||
	    vreg_new_key(s, owner, sizeof(owner), pk) != 0) {
		r = core_err(c, CORE_ECORRUPT, NULL,
			     "log entry %" PRIu64 " does not parse as a log "
			     "key announcement (run `nomdesk audit verify`)",
			     *seq);
		goto out;
	}
	r = 0;
out:
	sqlite3_finalize(st);
	free(s);
	return r;
}

static void
key_paths(const struct core *c, char *key, char *fresh, size_t sz)
{
	snprintf(key, sz, "%s/keys/log.key", c->dir);
	snprintf(fresh, sz, "%s/keys/log.key.new", c->dir);
}

static void
sync_dir(const char *path)
{
	char dir[PATH_MAX + 64];
	char *slash;
	int fd;

	snprintf(dir, sizeof(dir), "%s", path);
	if (!(slash = strrchr(dir, '/'))) {
		return;
	}
	*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* Renames key to its retired name (if it exists) and fresh to key. */
static int
switch_files(const char *key, const char *fresh, const char *retired)
{
	struct stat sb;

	if (lstat(key, &sb) == 0 && rename(key, retired) != 0) {
		return -1;
	}
	if (rename(fresh, key) != 0) {
		return -1;
	}
	sync_dir(key);
	return 0;
}

static void
pk_short(const uint8_t pk[32], char out[16])
{
	char b64[64];

	keys_b64_encode(pk, 32, b64, sizeof(b64));
	snprintf(out, 16, "%.12s", b64);
}

static void
install(struct core *c, struct signer *s)
{
	signer_free(c->logkey);
	c->logkey = s;
	signer_key_id(s, c->logkey_id);
	signer_forget(s); /* until a transaction needs it: logkey_recall */
}

int
logkey_recall(struct core *c)
{
	char key[PATH_MAX + 32], fresh[PATH_MAX + 32], kerr[512];

	key_paths(c, key, fresh, sizeof(key));
	switch (signer_recall(c->logkey, key, kerr, sizeof(kerr))) {
	case 0:
		return 0;
	case -2:
		/* rotated by another process since we opened: the same
		 * refusal the log's own guard gives */
		return core_err(c, CORE_ESTATE, NULL,
				_("the log key was rotated since this session "
				  "began: log in again"));
	default:
		return core_err(c, CORE_EIO, NULL,
				_("cannot read the log key: %s"), kerr);
	}
}

int
logkey_open(struct core *c, char *err, size_t errlen)
{
	char key[PATH_MAX + 32], fresh[PATH_MAX + 32], retired[PATH_MAX + 64];
	char kerr[512], want64[16], got64[16];
	struct signer *s = NULL, *n = NULL;
	uint8_t want[32], pk[32];
	uint64_t seq = 0;
	int r, loaded;

	key_paths(c, key, fresh, sizeof(key));
	if ((r = announced(c, UINT64_MAX, &seq, want)) != 0) {
		snprintf(err, errlen, "%s", c->errmsg);
		return CORE_ECORRUPT;
	}
	loaded = signer_load_file(&s, key, kerr, sizeof(kerr)) == 0;
	if (loaded) {
		signer_public(s, pk);
		if (memcmp(pk, want, 32) == 0) {
			install(c, s);
			return 0;
		}
	}
	/* A rotation that committed but did not switch the files. */
	if (access(fresh, F_OK) == 0 &&
	    signer_load_file(&n, fresh, NULL, 0) == 0) {
		uint8_t npk[32];

		signer_public(n, npk);
		signer_free(n);
		n = NULL;
		snprintf(retired, sizeof(retired), "%s.retired-%" PRIu64, key,
			 seq);
		if (memcmp(npk, want, 32) == 0 &&
		    switch_files(key, fresh, retired) == 0 &&
		    signer_load_file(&n, key, kerr, sizeof(kerr)) == 0) {
			signer_free(s);
			install(c, n);
			return 0;
		}
	}
	if (!loaded) {
		snprintf(err, errlen, "%s", kerr);
		return CORE_EIO;
	}
	pk_short(want, want64);
	pk_short(pk, got64);
	snprintf(err, errlen,
		 "refusing the log key file \"%s\" (ed25519 %s...): the log "
		 "announces ed25519 %s... at entry %" PRIu64 ", and a key "
		 "file that is not the log's would sign checkpoints that no "
		 "auditor can verify; put the log's key file back (a rotated "
		 "key is kept as keys/log.key.retired-SEQ)",
		 key, got64, want64, seq);
	signer_free(s);
	return CORE_ECORRUPT;
}

/* tx_commit with the checkpoint signed by the old key and the new. */
static int
commit_both(struct core *c, const struct signer *nk, struct core_receipt *rc)
{
	uint8_t root[32];
	uint64_t size = 0;
	char note[1024];
	int r, rv;

	if ((r = audit_tree_head(c, &size, root)) != 0) {
		return r;
	}
	if (note_checkpoint_sign(c->logkey, c->origin, size, root, note,
				 sizeof(note)) != 0 ||
	    note_sign_append(nk, c->origin, note, sizeof(note)) != 0) {
		return core_err(c, CORE_EINTERNAL, NULL,
				"cannot sign checkpoint");
	}
	if ((r = db_exec(c,
	                 "INSERT INTO log_checkpoint (size, note) "
	                 "VALUES (?1, ?2)",
	                 "it", (int64_t)size, note)) != 0) {
		return r;
	}
	if ((rv = sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK) {
		return core_err_sql(c, rv);
	}
	c->in_tx = 0;
	if (rc) {
		rc->seq = size - 1;
		rc->tree_size = size;
		keys_b64_encode(root, 32, rc->root, sizeof(rc->root));
	}
	return 0;
}

/* Inside the transaction: the announcement and the tripwire's row. */
static int
announce(struct core *c, const struct signer *nk, uint64_t *seq)
{
	uint8_t pk[KEYS_PK_LEN], id[KEYS_HASH_LEN];
	char b64[64], reason[128];
	int r;

	signer_public(nk, pk);
	signer_key_id(nk, id);
	keys_b64_encode(pk, 32, b64, sizeof(b64));
	snprintf(reason, sizeof(reason), "log key ed25519 %s", b64);
	if ((r = audit_record(c, ACT_LOG_KEY, seq, reason, "log")) != 0) {
		return r;
	}
	return db_exec(c,
	               "INSERT INTO log_key_current (id, key_id, seq) "
	               "VALUES (1, ?1, ?2) ON CONFLICT(id) DO UPDATE SET "
	               "key_id = excluded.key_id, seq = excluded.seq",
	               "bi", id, (size_t)KEYS_HASH_LEN, (int64_t)*seq);
}

int
core_audit_rotate_log_key(struct core *c, struct core_receipt *rc,
			  char *retired, size_t retiredsz)
{
	char key[PATH_MAX + 32], fresh[PATH_MAX + 32], old[PATH_MAX + 64];
	char kerr[512];
	struct signer *nk = NULL;
	uint64_t seq = 0;
	int r;

	core_err_clear(c);
	if (retired && retiredsz) {
		retired[0] = '\0';
	}
	if (!c->is_system &&
	    !(c->has_actor && c->actor.role == CORE_ROLE_ADMIN)) {
		return core_err(c, CORE_EPERM, NULL,
				_("only an administrator may rotate the log "
				  "key"));
	}
	key_paths(c, key, fresh, sizeof(key));
	/* core_open() would have put a committed one in place. */
	if (unlink(fresh) != 0 && errno != ENOENT) {
		return core_err(c, CORE_EIO, NULL,
				_("cannot remove the stale '%s': %s"), fresh,
				strerror(errno));
	}
	if (signer_generate_file(fresh, kerr, sizeof(kerr)) != 0 ||
	    signer_load_file(&nk, fresh, kerr, sizeof(kerr)) != 0) {
		unlink(fresh);
		return core_err(c, CORE_EIO, NULL,
				_("cannot make the new log key: %s"), kerr);
	}
	if ((r = tx_begin(c)) != 0) {
		goto fail;
	}
	if ((r = announce(c, nk, &seq)) != 0 ||
	    (r = commit_both(c, nk, rc)) != 0) {
		tx_rollback(c);
		goto fail;
	}
	/* Committed: from here on the log speaks with the new key. */
	snprintf(old, sizeof(old), "%s.retired-%" PRIu64, key, seq);
	if (retired && retiredsz) {
		snprintf(retired, retiredsz, "%s", old);
	}
	r = switch_files(key, fresh, old) == 0 ? 0 : errno;
	install(c, nk);
	if (r != 0) {
		return core_err(c, CORE_EIO, NULL,
				_("the log key was rotated at entry %" PRIu64
				  ", but the key files could not be switched "
				  "(%s); the next start of nomdesk finishes "
				  "it"),
				seq, strerror(r));
	}
	return 0;
fail:
	signer_free(nk);
	unlink(fresh);
	return r;
}
