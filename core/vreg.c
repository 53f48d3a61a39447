/*
 * The key registry as the auditor replays it from the log (audit-log.md
 * 2.13, docs/audit-notes.md "Key registry replay"): entry 0 and log key
 * rotations, enrolments, rotations and revocations of personal keys.
 * Key state is a function of log position: each key has the first and
 * the last seq it may sign.  core/verify.c judges signatures with it;
 * core/bundle.c writes it into the bundle ('K' record).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	if (r->have_log && memcmp(r->keys[r->log].id, id, 32) == 0)
		return &r->keys[r->log];
	for (size_t i = r->n; i-- > 0;)
		if (memcmp(r->keys[i].id, id, 32) == 0)
			return &r->keys[i];
	return NULL;
}

struct vkey *
vreg_active(struct vreg *r, const char *owner)
{
	for (size_t i = r->n; i-- > 0;)
		if (r->keys[i].until == UINT64_MAX &&
		    strcmp(r->keys[i].owner, owner) == 0)
			return &r->keys[i];
	return NULL;
}

static struct vkey *
vreg_add(struct vreg *r, const char *owner, const uint8_t pk[32],
	 uint64_t from)
{
	struct vkey *k;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct vkey *p = realloc(r->keys, cap * sizeof(*p));

		if (!p)
			return NULL;
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

	if (strncmp(p, "ed25519 ", 8) != 0)
		return -1;
	p += 8;
	n = strcspn(p, " \n");
	if (n != 44 || (p[n] != '\0' && p[n] != ' ' && p[n] != '\n') ||
	    !b64_chars_ok(p, n))
		return -1;
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
		    parse_ed25519(s->reason + 8, pk) != 0)
			return -1;
		snprintf(owner, ownersz, "log");
		return 0;
	case ACT_KEY_ENROLL:
	case ACT_KEY_ROTATE:
		/* The reason is exactly "ed25519 <base64>" (core/signing.c). */
		if (!user_subject(s) || parse_ed25519(s->reason, pk) != 0 ||
		    strlen(s->reason) != 8 + 44)
			return -1;
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
			/* Rotation: the old key signs this entry, the new
			 * one everything after it. */
			r->keys[r->log].until = seq;
			snprintf(r->keys[r->log].end,
				 sizeof(r->keys[r->log].end), "rotated");
		}
		if (!(k = vreg_add(r, owner, pk, seq)))
			goto oom;
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
		if (!vreg_add(r, owner, pk, seq))
			goto oom;
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
	return -1;
}

void
vreg_format(const struct vreg *r, struct enc_buf *b)
{
	char line[256], pk64[64], until[24];

	for (size_t i = 0; i < r->n; i++) {
		const struct vkey *k = &r->keys[i];
		int n;

		keys_b64_encode(k->pk, 32, pk64, sizeof(pk64));
		if (k->until == UINT64_MAX)
			snprintf(until, sizeof(until), "-");
		else
			snprintf(until, sizeof(until), "%" PRIu64, k->until);
		n = snprintf(line, sizeof(line),
			     "key %s ed25519 %s from %" PRIu64 " until %s%s%s\n",
			     k->owner, pk64, k->from, until, k->end[0] ? " " : "",
			     k->end);
		if (n > 0 && (size_t)n < sizeof(line))
			enc_raw(b, line, (size_t)n);
	}
}
