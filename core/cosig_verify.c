/*
 * The auditor's side of witness cosignatures (audit-log.md 2.10 step 1):
 * core/verify.c hands over the registry acts, each checkpoint and the
 * cosignatures stored after it; at the end every cosignature must verify
 * (a bad one is a failure, never a skip) and the newest cosigned
 * checkpoint must carry the quorum of the witness keys the auditor
 * brought.  The registry replayed from the log only vouches for
 * witnesses the auditor did not bring: it is information, not a trust
 * anchor, so it never counts towards the quorum.
 *
 * Memory: one record per cosignature (its line and its checkpoint's
 * body), a few hundred bytes each; witnesses cosign every few minutes at
 * most, so this stays small beside the verifier's per-entry arrays.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"

#define LINE_MAX_LEN 512

struct wkey {
	char name[WITNESS_NAME_MAX];
	uint8_t pk[KEYS_PK_LEN];
	uint8_t hash[4];
	int trusted;     /* brought by the auditor */
	uint64_t from;   /* registry: the entry that registered it */
	uint64_t n, last_size, counted;
	int64_t last_time;
};

struct wcos {
	uint64_t size;
	char *body; /* the checkpoint's body */
	size_t body_len;
	char *line;
	size_t len;
};

struct vwit {
	struct wkey *keys; /* the auditor's first, then the registry */
	size_t n_keys, cap_keys, n_anchors;
	int quorum;
	char *body; /* the current checkpoint's body */
	size_t body_len;
	uint64_t size;
	int have_cp;
	struct wcos *cos;
	size_t n_cos, cap_cos;
};

static int
why_f(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
why_f(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

static struct wkey *
key_add(struct vwit *w, const char *name, const uint8_t pk[32])
{
	struct wkey *k;

	if (w->n_keys == w->cap_keys) {
		size_t cap = w->cap_keys ? w->cap_keys * 2 : 8;
		struct wkey *p = realloc(w->keys, cap * sizeof(*p));

		if (!p) {
			return NULL;
		}
		w->keys = p;
		w->cap_keys = cap;
	}
	k = &w->keys[w->n_keys++];
	memset(k, 0, sizeof(*k));
	snprintf(k->name, sizeof(k->name), "%s", name);
	memcpy(k->pk, pk, KEYS_PK_LEN);
	note_key_hash(name, NOTE_TYPE_COSIG, pk, k->hash);
	k->counted = UINT64_MAX;
	return k;
}

static struct wkey *
key_find(struct vwit *w, size_t from, size_t to, const char *name,
	 const uint8_t *pk, const uint8_t *hash)
{
	for (size_t i = from; i < to; i++) {
		struct wkey *k = &w->keys[i];

		if (strcmp(k->name, name) == 0 &&
		    (pk ? memcmp(k->pk, pk, KEYS_PK_LEN) == 0
			: memcmp(k->hash, hash, 4) == 0)) {
			return k;
		}
	}
	return NULL;
}

int
vwit_new(struct vwit **out, const char *const *vkeys, size_t n_vkeys,
	 int quorum, char *why, size_t whylen)
{
	struct vwit *w;

	*out = NULL;
	if (!(w = calloc(1, sizeof(*w)))) {
		return why_f(why, whylen, "out of memory");
	}
	w->quorum = n_vkeys ? (quorum > 0 ? quorum : 1) : 0;
	for (size_t i = 0; i < n_vkeys; i++) {
		char name[WITNESS_NAME_MAX];
		uint8_t pk[KEYS_PK_LEN];
		struct wkey *k;

		if (cosig_vkey_parse(vkeys[i], name, pk) != 0) {
			vwit_free(w);
			return why_f(why, whylen,
				     _("--witness-key '%.200s' is not a witness "
				       "key (NAME+HASH+BASE64)"),
				     vkeys[i]);
		}
		if (key_find(w, 0, w->n_keys, name, pk, NULL)) {
			continue; /* the same key twice counts once */
		}
		if (!(k = key_add(w, name, pk))) {
			vwit_free(w);
			return why_f(why, whylen, "out of memory");
		}
		k->trusted = 1;
	}
	/* A quorum above the keys brought can never hold: the quorum rule
	 * says so at the end, naming the checkpoint. */
	w->n_anchors = w->n_keys;
	*out = w;
	return 0;
}

void
vwit_free(struct vwit *w)
{
	if (!w) {
		return;
	}
	for (size_t i = 0; i < w->n_cos; i++) {
		free(w->cos[i].body);
		free(w->cos[i].line);
	}
	free(w->cos);
	free(w->keys);
	free(w->body);
	free(w);
}

int
vwit_apply(struct vwit *w, uint64_t seq, const struct stmt *s, char *why,
	   size_t whylen)
{
	char name[WITNESS_NAME_MAX];
	uint8_t pk[KEYS_PK_LEN];
	struct wkey *k;

	if (s->act != ACT_WITNESS_KEY) {
		return 0;
	}
	if (strncmp(s->reason, "witness key ", 12) != 0 ||
	    cosig_vkey_parse(s->reason + 12, name, pk) != 0 ||
	    strncmp(s->subject, "witness:", 8) != 0 ||
	    strcmp(s->subject + 8, name) != 0) {
		return why_f(why, whylen,
			     _("a witness key entry must name the witness "
			       "(subject witness:NAME) and say \"witness key "
			       "<vkey>\""));
	}
	if (strcmp(s->actor, "system") != 0 &&
	    s->actor_role != CORE_ROLE_CITY_HR &&
	    s->actor_role != CORE_ROLE_ADMIN) {
		return why_f(why, whylen,
			     _("%s may not register a witness key (city HR or "
			       "an administrator)"),
			     s->actor);
	}
	if (key_find(w, w->n_anchors, w->n_keys, name, pk, NULL)) {
		return why_f(why, whylen,
			     _("the witness key of %s was registered before"),
			     name);
	}
	if (!(k = key_add(w, name, pk))) {
		return why_f(why, whylen, "out of memory");
	}
	k->from = seq;
	return 0;
}

int
vwit_checkpoint(struct vwit *w, uint64_t size, const char *note, size_t len)
{
	size_t body_len, sigs_off;
	char *b;

	/* A note that does not split fails its own check; keep it whole. */
	if (note_split(note, len, &body_len, &sigs_off) != 0) {
		body_len = len;
	}
	if (!(b = malloc(body_len + 1))) {
		return -1;
	}
	memcpy(b, note, body_len);
	b[body_len] = '\0';
	free(w->body);
	w->body = b;
	w->body_len = body_len;
	w->size = size;
	w->have_cp = 1;
	return 0;
}

int
vwit_cosig(struct vwit *w, uint64_t size, const char *line, size_t len,
	   char *why, size_t whylen)
{
	struct wcos *c;

	if (!w->have_cp || size != w->size) {
		return why_f(why, whylen,
			     _("a cosignature for size %" PRIu64 " does not "
			       "follow a checkpoint of that size"),
			     size);
	}
	if (len == 0 || len > LINE_MAX_LEN || memchr(line, '\n', len) ||
	    memchr(line, '\0', len)) {
		return why_f(why, whylen,
			     _("checkpoint %" PRIu64 ": a malformed "
			       "cosignature line"),
			     size);
	}
	if (w->n_cos == w->cap_cos) {
		size_t cap = w->cap_cos ? w->cap_cos * 2 : 64;
		struct wcos *p = realloc(w->cos, cap * sizeof(*p));

		if (!p) {
			return why_f(why, whylen, "out of memory");
		}
		w->cos = p;
		w->cap_cos = cap;
	}
	c = &w->cos[w->n_cos];
	memset(c, 0, sizeof(*c));
	c->size = size;
	c->body_len = w->body_len;
	if (!(c->body = malloc(w->body_len + 1)) || !(c->line = malloc(len + 1))) {
		free(c->body);
		return why_f(why, whylen, "out of memory");
	}
	memcpy(c->body, w->body, w->body_len + 1);
	memcpy(c->line, line, len);
	c->line[len] = '\0';
	c->len = len;
	w->n_cos++;
	return 0;
}

static int
cmp_cosigner(const void *a, const void *b)
{
	const struct core_verify_cosigner *x = a, *y = b;
	int d = strcmp(x->name, y->name);

	return d ? d : (x->trusted < y->trusted) - (x->trusted > y->trusted);
}

static void
fill(struct vwit *w, struct core_verify_report *rep)
{
	size_t n = 0, k = 0;

	rep->quorum = w->quorum;
	for (size_t i = 0; i < w->n_keys; i++) {
		n += w->keys[i].n > 0;
	}
	if (!n || !(rep->cosigners = calloc(n, sizeof(*rep->cosigners)))) {
		return;
	}
	for (size_t i = 0; i < w->n_keys && k < n; i++) {
		const struct wkey *key = &w->keys[i];
		struct core_verify_cosigner *cs = &rep->cosigners[k];

		if (!key->n) {
			continue;
		}
		snprintf(cs->name, sizeof(cs->name), "%s", key->name);
		cs->trusted = key->trusted;
		cs->n = key->n;
		cs->last_size = key->last_size;
		cs->last_time = key->last_time;
		k++;
	}
	rep->n_cosigners = k;
	qsort(rep->cosigners, k, sizeof(*rep->cosigners), cmp_cosigner);
}

/* Checks cosignature i; the key that made it, or NULL with why. */
static struct wkey *
judge(struct vwit *w, const struct wcos *c, char *why, size_t whylen)
{
	char name[NOTE_NAME_MAX];
	uint8_t raw[128];
	size_t rawlen;
	uint64_t t;
	struct wkey *k;

	if (note_sig_line_parse(c->line, c->len, name, sizeof(name), raw,
				sizeof(raw), &rawlen) != 0 ||
	    rawlen != NOTE_COSIG_LEN) {
		why_f(why, whylen,
		      _("checkpoint %" PRIu64 ": a stored cosignature is not a "
			"cosignature/v1 line"),
		      c->size);
		return NULL;
	}
	/* The auditor's keys first: those are the ones that count. */
	if (!(k = key_find(w, 0, w->n_anchors, name, NULL, raw)) &&
	    !(k = key_find(w, w->n_anchors, w->n_keys, name, NULL, raw))) {
		why_f(why, whylen,
		      _("checkpoint %" PRIu64 ": a cosignature by '%s', a "
			"witness neither you brought nor registered in the "
			"log"),
		      c->size, name);
		return NULL;
	}
	if (note_cosig_verify(c->body, c->body_len, k->name, k->pk, raw,
			      rawlen, &t) != 0 ||
	    t > (uint64_t)INT64_MAX) {
		why_f(why, whylen,
		      _("checkpoint %" PRIu64 ": the cosignature by '%s' "
			"(%s key) does not verify: changed or forged"),
		      c->size, name,
		      k->trusted ? _("your") : _("the registered"));
		return NULL;
	}
	if (k->counted != c->size) {
		k->counted = c->size;
		k->n++;
	}
	if (c->size >= k->last_size) {
		k->last_size = c->size;
		k->last_time = (int64_t)t;
	}
	return k;
}

int
vwit_finish(struct vwit *w, struct core_verify_report *rep,
	    const char **rule, uint64_t *size, char *why, size_t whylen)
{
	uint64_t newest = 0, last = 0, n_trusted = 0;
	int have = 0, r = 0;

	*rule = "cosignature";
	*size = 0;
	for (size_t i = 0; i < w->n_cos; i++) {
		const struct wcos *c = &w->cos[i];

		if (!judge(w, c, why, whylen)) {
			*size = c->size;
			r = -1;
			goto out;
		}
		rep->n_cosigs++;
		if (!have || c->size != last) {
			rep->n_cosigned++;
		}
		have = 1;
		last = c->size;
		if (c->size > newest) {
			newest = c->size;
		}
	}
	rep->cosigned_size = newest;
	for (size_t i = 0; i < w->n_anchors; i++) {
		n_trusted += w->keys[i].n > 0 && w->keys[i].last_size == newest;
	}
	rep->n_quorum = have ? n_trusted : 0;
	if (!w->quorum) {
		goto out;
	}
	*rule = "quorum";
	if (!have) {
		r = why_f(why, whylen,
			  _("no checkpoint carries a witness cosignature, and "
			    "%d of the witness keys you brought must have "
			    "cosigned the newest cosigned one"),
			  w->quorum);
		goto out;
	}
	if (n_trusted < (uint64_t)w->quorum) {
		*size = newest;
		r = why_f(why, whylen,
			  _("the newest cosigned checkpoint (size %" PRIu64
			    ") carries %" PRIu64 " valid cosignature(s) by "
			    "the witness keys you brought; the quorum is %d"),
			  newest, n_trusted, w->quorum);
	}
out:
	fill(w, rep);
	return r;
}

void
vwit_format(const struct vwit *w, struct enc_buf *b)
{
	char line[320], vkey[160];

	for (size_t i = w->n_anchors; i < w->n_keys; i++) {
		const struct wkey *k = &w->keys[i];
		int n;

		cosig_vkey_format(k->name, k->pk, vkey, sizeof(vkey));
		n = snprintf(line, sizeof(line), "witness %s %s from %" PRIu64
			     "\n", k->name, vkey, k->from);
		if (n > 0 && (size_t)n < sizeof(line)) {
			enc_raw(b, line, (size_t)n);
		}
	}
}
