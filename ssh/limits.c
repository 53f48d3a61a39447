/*
 * Admission limits of the listener: the table of connection processes and
 * the decision, made right after accept() and before any crypto or fork,
 * whether a new connection may have a process at all.
 *
 * Invariant: n_unauth == number of entries with authenticated == false.
 * Penalties for failed passwords are not an admission rule: they slow the
 * password checks of a source (penalty.c), they never refuse it.
 * A child counts as unauthenticated from fork until it reports success
 * over the status socket, or until it is reaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssh/srv_int.h"

void
srv_children_init(struct srv_children *t)
{
	memset(t, 0, sizeof(*t));
}

void
srv_children_release(struct srv_children *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

enum srv_admit
srv_children_admit(const struct srv_children *t, const char *peer,
		   const struct srv_config *c, unsigned random_pct)
{
	size_t same = 0;
	size_t begin = (size_t)c->startups_begin, full = (size_t)c->max_startups;

	if (c->max_sessions > 0 && t->n >= (size_t)c->max_sessions) {
		return SRV_ADMIT_MAX_SESSIONS;
	}
	if (t->n_unauth >= full) {
		return SRV_ADMIT_MAX_STARTUPS;
	}
	/* Random early drop (OpenSSH's MaxStartups start:rate:full): the
	 * fuller the table, the likelier a drop, so a flood cannot hold
	 * every slot while some new connections still get through. */
	if (begin > 0 && begin < full && t->n_unauth >= begin) {
		unsigned pct = (unsigned)c->startups_rate +
			       (unsigned)((100 - c->startups_rate) *
					  (t->n_unauth - begin) /
					  (full - begin));

		if (random_pct < pct) {
			return SRV_ADMIT_EARLY_DROP;
		}
	}
	for (size_t i = 0; i < t->n; i++) {
		if (!t->v[i].authenticated && strcmp(t->v[i].peer, peer) == 0) {
			same++;
		}
	}
	if (same >= (size_t)c->per_source_max) {
		return SRV_ADMIT_PER_SOURCE;
	}
	return SRV_ADMIT_OK;
}

const char *
srv_admit_str(enum srv_admit a)
{
	switch (a) {
	case SRV_ADMIT_OK:
		return "ok";
	case SRV_ADMIT_MAX_STARTUPS:
		return "max_startups";
	case SRV_ADMIT_EARLY_DROP:
		return "early_drop";
	case SRV_ADMIT_PER_SOURCE:
		return "per_source_max";
	case SRV_ADMIT_MAX_SESSIONS:
		return "max_sessions";
	}
	return "?";
}

int
srv_children_add(struct srv_children *t, pid_t pid, const char *peer)
{
	struct srv_child *ch;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct srv_child *v = realloc(t->v, cap * sizeof(*v));

		if (v == NULL) {
			return -1;
		}
		t->v = v;
		t->cap = cap;
	}
	ch = &t->v[t->n++];
	memset(ch, 0, sizeof(*ch));
	ch->pid = pid;
	snprintf(ch->peer, sizeof(ch->peer), "%s", peer);
	t->n_unauth++;
	return 0;
}

struct srv_child *
srv_children_find(struct srv_children *t, pid_t pid)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].pid == pid) {
			return &t->v[i];
		}
	}
	return NULL;
}

void
srv_children_set_authenticated(struct srv_children *t, struct srv_child *ch)
{
	if (!ch->authenticated) {
		ch->authenticated = true;
		t->n_unauth--;
	}
}

bool
srv_children_remove(struct srv_children *t, pid_t pid)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].pid != pid) {
			continue;
		}
		if (!t->v[i].authenticated) {
			t->n_unauth--;
		}
		t->v[i] = t->v[--t->n];
		return true;
	}
	return false;
}
