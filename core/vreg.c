/*
 * The key registry replayed from the log (audit-log.md 2.13,
 * docs/audit-notes.md "Key registry replay"): entry 0 and log key
 * rotations, enrolments, rotations and revocations of personal keys.
 * Key state is a function of log position: each key has the first and
 * the last seq it may sign.
 *
 * This is the one replay (issue #9 item 4): the auditor's verifier
 * (core/verify.c, from a database or a bundle) and the server
 * (core/signing.c: who may sign now, and every key act before it is
 * written) both feed it entries and both obey what it decides, so they
 * cannot disagree about who may sign.  It holds no SQLite handle: its
 * callers read the entries.  core/bundle.c writes the result into the
 * bundle ('K' record).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/core_int.h"
#include "core/i18n.h"

void
vreg_init(struct vreg *r)
{
	memset(r, 0, sizeof(*r));
}

void
vreg_release(struct vreg *r)
{
	free(r->keys);
	memset(r, 0, sizeof(*r));
}

const struct vkey *
vreg_find(const struct vreg *r, const uint8_t id[32])
{
	/* The current log key signs nearly every entry: look there first. */
	if (r->have_log && memcmp(r->keys[r->log].id, id, 32) == 0) {
		return &r->keys[r->log];
	}
	for (size_t i = r->n; i-- > 0;) {
		if (memcmp(r->keys[i].id, id, 32) == 0) {
			return &r->keys[i];
		}
	}
	return NULL;
}

struct vkey *
vreg_active(struct vreg *r, const char *owner)
{
	for (size_t i = r->n; i-- > 0;) {
		if (r->keys[i].until == UINT64_MAX &&
		    strcmp(r->keys[i].owner, owner) == 0) {
			return &r->keys[i];
		}
	}
	return NULL;
}

const struct vkey *
vreg_log_at(const struct vreg *r, uint64_t seq)
{
	/* A rotation entry is the old key's last and the new key's first:
	 * the old one signs it. */
	for (size_t i = r->n; i-- > 0;) {
		const struct vkey *k = &r->keys[i];

		if (strcmp(k->owner, "log") == 0 &&
		    (k->from < seq || k->from == 0) && seq <= k->until) {
			return k;
		}
	}
	return NULL;
}

const struct vkey *
vreg_user_key(const struct vreg *r, const char *login, const uint8_t id[32],
	      uint64_t seq)
{
	const struct vkey *k = vreg_find(r, id);

	if (!k || strncmp(k->owner, "user:", 5) != 0 ||
	    strcmp(k->owner + 5, login) != 0 || seq < k->from ||
	    seq > k->until) {
		return NULL;
	}
	return k;
}

static struct vkey *
vreg_add(struct vreg *r, const char *owner, const uint8_t pk[32],
	 uint64_t from)
{
	struct vkey *k;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct vkey *p = realloc(r->keys, cap * sizeof(*p));

		if (!p) {
			return NULL;
		}
		r->keys = p;
		r->cap = cap;
	}
	k = &r->keys[r->n++];
	memset(k, 0, sizeof(*k));
	snprintf(k->owner, sizeof(k->owner), "%s", owner);
	memcpy(k->pk, pk, 32);
	keys_key_id(1, pk, k->id);
	k->from = from;
	k->until = UINT64_MAX;
	return k;
}

/* "ed25519 <base64 of 32 bytes>" at p, followed by the end or a space. */
static int
parse_ed25519(const char *p, uint8_t pk[32])
{
	char b64[48];
	size_t n;

	if (strncmp(p, "ed25519 ", 8) != 0) {
		return -1;
	}
	p += 8;
	n = strcspn(p, " \n");
	if (n != 44 || (p[n] != '\0' && p[n] != ' ' && p[n] != '\n') ||
	    !b64_chars_ok(p, n)) {
		return -1;
	}
	memcpy(b64, p, n);
	b64[n] = '\0';
	return keys_b64_decode(b64, pk, 32) == 32 ? 0 : -1;
}

static int
user_subject(const struct stmt *s)
{
	return strncmp(s->subject, "user:", 5) == 0 && s->subject[5] != '\0';
}

int
vreg_new_key(const struct stmt *s, char *owner, size_t ownersz,
	     uint8_t pk[KEYS_PK_LEN])
{
	switch (s->act) {
	case ACT_LOG_KEY:
		if (strncmp(s->reason, "log key ", 8) != 0 ||
		    parse_ed25519(s->reason + 8, pk) != 0) {
			return -1;
		}
		snprintf(owner, ownersz, "log");
		return 0;
	case ACT_KEY_ENROLL:
	case ACT_KEY_ROTATE:
		/* The reason is exactly "ed25519 <base64>" (core/signing.c). */
		if (!user_subject(s) || parse_ed25519(s->reason, pk) != 0 ||
		    strlen(s->reason) != 8 + 44) {
			return -1;
		}
		snprintf(owner, ownersz, "%s", s->subject);
		return 0;
	default:
		return -1;
	}
}

static void
why_set(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
why_set(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

int
vreg_apply(struct vreg *r, uint64_t seq, const struct stmt *s, char *why,
	   size_t whylen)
{
	uint8_t pk[32];
	char owner[72];
	struct vkey *old, *k;

	switch (s->act) {
	case ACT_LOG_KEY:
		if (vreg_new_key(s, owner, sizeof(owner), pk) != 0) {
			why_set(why, whylen,
				_("a log key entry must say \"log key ed25519 "
				  "<base64 key>\""));
			return -1;
		}
		if (r->have_log) {
			uint8_t id[32];

			/* Rotation (audit-log.md 2.13): by an
			 * administrator or the console, to a key never
			 * seen before.  The old key signs this entry, the
			 * new one everything after it. */
			if (strcmp(s->actor, "system") != 0 &&
			    s->actor_role != CORE_ROLE_ADMIN) {
				why_set(why, whylen,
					_("%s may not rotate the log key (an "
					  "administrator)"),
					s->actor);
				return -1;
			}
			keys_key_id(1, pk, id);
			if (vreg_find(r, id)) {
				why_set(why, whylen,
					_("the new log key was registered "
					  "before (a key is never announced "
					  "twice)"));
				return -1;
			}
			r->keys[r->log].until = seq;
			snprintf(r->keys[r->log].end,
				 sizeof(r->keys[r->log].end), "rotated");
		}
		if (!(k = vreg_add(r, owner, pk, seq))) {
			goto oom;
		}
		r->log = r->n - 1;
		r->have_log = 1;
		return 0;
	case ACT_KEY_ENROLL:
	case ACT_KEY_ROTATE:
		if (vreg_new_key(s, owner, sizeof(owner), pk) != 0) {
			why_set(why, whylen,
				_("a key entry must name a user (subject "
				  "user:LOGIN) and its key (ed25519 <base64>)"));
			return -1;
		}
		{
			uint8_t id[32];

			/* Field 6 names the key registered. */
			keys_key_id(1, pk, id);
			if (memcmp(id, s->actor_key_id, 32) != 0) {
				why_set(why, whylen,
					_("a key entry must name the new key "
					  "as the statement's key"));
				return -1;
			}
		}
		/* A person enrols themself, or the console operator does. */
		if (s->act == ACT_KEY_ENROLL && strcmp(s->actor, owner + 5) != 0 &&
		    strcmp(s->actor, "system") != 0) {
			why_set(why, whylen,
				_("%s cannot enrol a key for %s"), s->actor,
				owner);
			return -1;
		}
		old = vreg_active(r, owner);
		if (s->act == ACT_KEY_ENROLL && old) {
			why_set(why, whylen,
				_("%s already has a valid key (a new key is a "
				  "rotation)"),
				owner);
			return -1;
		}
		if (s->act == ACT_KEY_ROTATE && !old) {
			why_set(why, whylen, _("%s has no key to rotate"),
				owner);
			return -1;
		}
		for (size_t i = 0; i < r->n; i++) {
			uint8_t id[32];

			keys_key_id(1, pk, id);
			if (memcmp(r->keys[i].id, id, 32) == 0) {
				why_set(why, whylen,
					_("the key was registered before (a "
					  "key is never enrolled twice)"));
				return -1;
			}
		}
		if (old) {
			old->until = seq;
			snprintf(old->end, sizeof(old->end), "rotated");
		}
		if (!vreg_add(r, owner, pk, seq)) {
			goto oom;
		}
		return 0;
	case ACT_KEY_REVOKE:
		if (!user_subject(s)) {
			why_set(why, whylen,
				_("a revocation must name a user (subject "
				  "user:LOGIN)"));
			return -1;
		}
		if (!(old = vreg_active(r, s->subject))) {
			why_set(why, whylen, _("%s has no key to revoke"),
				s->subject);
			return -1;
		}
		old->until = seq;
		snprintf(old->end, sizeof(old->end), "revoked");
		return 0;
	default:
		return 0;
	}
oom:
	why_set(why, whylen, "out of memory");
	return -2;
}

/* 1 if key k may sign an entry with statement s: the log's, the
 * actor's, or for a key act the key of the person it is about. */
static int
key_may_sign(const struct vkey *k, const struct stmt *s)
{
	char actor_owner[72];

	snprintf(actor_owner, sizeof(actor_owner), "user:%s", s->actor);
	return strcmp(k->owner, "log") == 0 ||
	       strcmp(k->owner, actor_owner) == 0 ||
	       (user_subject(s) &&
		(s->act == ACT_KEY_ENROLL || s->act == ACT_KEY_ROTATE ||
		 s->act == ACT_KEY_REVOKE) &&
		strcmp(k->owner, s->subject) == 0);
}

int
vreg_check_sigs(const struct vreg *r, uint64_t seq, const struct entry *e,
		const struct stmt *s, vreg_sig_fn check, void *ctx,
		const char **rule, char *why, size_t whylen)
{
	uint8_t new_pk[32], new_id[32];
	char new_owner[72], idhex[17];
	int has_new, have_actor = 0, have_new = 0, have_old = 0;
	int have_log = 0, rc;
	const struct vkey *old = NULL;
	const uint8_t *log_id = NULL;

	*rule = "key";
	has_new = vreg_new_key(s, new_owner, sizeof(new_owner), new_pk) == 0;
	if (has_new) {
		keys_key_id(1, new_pk, new_id);
	}
	/* Every entry carries the log key's signature (the server's
	 * attestation); entry 0 by the key it announces. */
	if (r->have_log) {
		log_id = r->keys[r->log].id;
	} else if (has_new && s->act == ACT_LOG_KEY) {
		log_id = new_id;
	}
	if (s->act == ACT_KEY_ROTATE && has_new) {
		old = vreg_active((struct vreg *)r, new_owner);
	}
	for (int i = 0; i < e->n_sigs; i++) {
		const struct entry_sig *g = &e->sigs[i];
		const struct vkey *k = vreg_find(r, g->key_id);
		const uint8_t *pk;

		sodium_bin2hex(idhex, sizeof(idhex), g->key_id, 8);
		if (k) {
			if (seq < k->from || seq > k->until) {
				why_set(why, whylen,
					_("entry %" PRIu64 ": signature %d is "
					  "by %s's key %s, which is not valid "
					  "here (valid from entry %" PRIu64
					  "%s)"),
					seq, i + 1, k->owner, idhex, k->from,
					k->until == UINT64_MAX
						? ""
						: _(", since revoked or "
						    "rotated"));
				return 1;
			}
			if (!key_may_sign(k, s)) {
				why_set(why, whylen,
					_("entry %" PRIu64 ": signature %d is "
					  "by %s's key, but the act is %s's"),
					seq, i + 1, k->owner, s->actor);
				return 1;
			}
			pk = k->pk;
			if (old && k == old) {
				have_old = 1;
			}
		} else if (has_new && memcmp(g->key_id, new_id, 32) == 0) {
			pk = new_pk;
		} else {
			why_set(why, whylen,
				_("entry %" PRIu64 ": signature %d is by an "
				  "unknown key %s (not in the key registry at "
				  "this entry)"),
				seq, i + 1, idhex);
			return 1;
		}
		if ((rc = check(ctx, seq, i + 1, pk, g)) < 0) {
			return rc;
		}
		if (rc > 0) {
			*rule = "signature";
			why_set(why, whylen,
				_("entry %" PRIu64 ": signature %d (key %s) "
				  "does not verify: the statement was changed "
				  "or the signature forged"),
				seq, i + 1, idhex);
			return 1;
		}
		if (memcmp(g->key_id, s->actor_key_id, 32) == 0) {
			have_actor = 1;
		}
		if (log_id && memcmp(g->key_id, log_id, 32) == 0) {
			have_log = 1;
		}
		if (has_new && memcmp(g->key_id, new_id, 32) == 0) {
			have_new = 1;
		}
	}
	if (!have_log) {
		why_set(why, whylen,
			_("entry %" PRIu64 ": not signed by the log key"), seq);
		return 1;
	}
	if (!have_actor) {
		*rule = "actor-key";
		sodium_bin2hex(idhex, sizeof(idhex), s->actor_key_id, 8);
		why_set(why, whylen,
			_("entry %" PRIu64 ": not signed by the key the "
			  "statement names (%s)"),
			seq, idhex);
		return 1;
	}
	/* A log key rotation proves possession of the new key by the
	 * checkpoint covering it, which both keys sign (core/verify.c). */
	if (has_new && !have_new && !(s->act == ACT_LOG_KEY && r->have_log)) {
		why_set(why, whylen,
			_("entry %" PRIu64 ": the new key did not sign its own "
			  "registration (proof of possession)"),
			seq);
		return 1;
	}
	if (old && !have_old) {
		why_set(why, whylen,
			_("entry %" PRIu64 ": a rotation must be signed by the "
			  "old key too"),
			seq);
		return 1;
	}
	return 0;
}

/* vreg_replay's signature check: now, one at a time. */
static int
sig_verify_now(void *ctx, uint64_t seq, int index, const uint8_t pk[32],
	       const struct entry_sig *g)
{
	const struct entry *e = ctx;

	(void)seq;
	(void)index;
	return keys_verify(pk, e->stmt, e->stmt_len, g->sig) == 0 ? 0 : 1;
}

int
vreg_replay(struct vreg *r, const struct entry *e, const struct stmt *s,
	    const char **rule, char *why, size_t whylen)
{
	char tmp[320];
	int rc;

	if (s->act != ACT_KEY_ENROLL && s->act != ACT_KEY_ROTATE &&
	    s->act != ACT_KEY_REVOKE && s->act != ACT_LOG_KEY) {
		return 0;
	}
	rc = vreg_check_sigs(r, e->seq, e, s, sig_verify_now, (void *)e, rule,
			     why, whylen);
	if (rc != 0) {
		return rc < 0 ? -1 : 1;
	}
	*rule = "registry";
	if ((rc = vreg_apply(r, e->seq, s, why, whylen)) == -2) {
		return -1;
	}
	if (rc != 0) {
		/* vreg_apply's reasons do not name the entry; the verifier
		 * adds it, and so does this. */
		snprintf(tmp, sizeof(tmp), "%s", why);
		why_set(why, whylen, _("entry %" PRIu64 ": %s"), e->seq, tmp);
		return 1;
	}
	return 0;
}

void
vreg_format(const struct vreg *r, struct enc_buf *b)
{
	char line[256], pk64[64], until[24];

	for (size_t i = 0; i < r->n; i++) {
		const struct vkey *k = &r->keys[i];
		int n;

		keys_b64_encode(k->pk, 32, pk64, sizeof(pk64));
		if (k->until == UINT64_MAX) {
			snprintf(until, sizeof(until), "-");
		} else {
			snprintf(until, sizeof(until), "%" PRIu64, k->until);
		}
		n = snprintf(line, sizeof(line),
			     "key %s ed25519 %s from %" PRIu64 " until %s%s%s\n",
			     k->owner, pk64, k->from, until, k->end[0] ? " " : "",
			     k->end);
		if (n > 0 && (size_t)n < sizeof(line)) {
			enc_raw(b, line, (size_t)n);
		}
	}
}
