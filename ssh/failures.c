/*
 * Refused passwords, as the listener hears of them from its children:
 * the server log gets one line for a source's first failure and then one
 * aggregated line per source a minute, never one per attempt (a storm
 * must not become a disk flood), and the period's totals go into the
 * summary the signed log receives (srv_config.auth_summary).
 *
 * A login is named only when it exists; what a client typed as an
 * unknown login (perhaps a password typed into the wrong field) is
 * counted, never written anywhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssh/srv_int.h"

#define FLUSH_MS 60000
#define LINES_PER_S 10
#define MAX_SOURCES 1024

static struct srv_fail_src *
source_find(struct srv_failures *f, const char *peer, bool add)
{
	for (size_t i = 0; i < f->n_src; i++) {
		if (strcmp(f->src[i].peer, peer) == 0) {
			return &f->src[i];
		}
	}
	if (!add) {
		return NULL;
	}
	if (f->n_src == f->cap_src) {
		size_t cap = f->cap_src ? f->cap_src * 2 : 16;
		struct srv_fail_src *v;

		if (cap > MAX_SOURCES) {
			return NULL;
		}
		v = realloc(f->src, cap * sizeof(*v));
		if (v == NULL) {
			return NULL;
		}
		f->src = v;
		f->cap_src = cap;
	}
	memset(&f->src[f->n_src], 0, sizeof(f->src[0]));
	snprintf(f->src[f->n_src].peer, sizeof(f->src[0].peer), "%s", peer);
	return &f->src[f->n_src++];
}

void
srv_failures_init(struct srv_failures *f, int64_t now_wall_ms)
{
	memset(f, 0, sizeof(*f));
	f->from_wall_ms = now_wall_ms;
}

void
srv_failures_release(struct srv_failures *f)
{
	free(f->src);
	memset(f, 0, sizeof(*f));
}

/* A budget of immediate lines a second, shared by every source. */
static bool
line_allowed(struct srv_failures *f, int64_t now)
{
	if (now - f->window_ms >= 1000) {
		if (f->quiet > 0) {
			srv_log("auth fail: %u line(s) left out in the last "
				"second (counted in the next summary)",
				f->quiet);
		}
		f->window_ms = now;
		f->lines = 0;
		f->quiet = 0;
	}
	if (f->lines >= LINES_PER_S) {
		f->quiet++;
		return false;
	}
	f->lines++;
	return true;
}

static void
note_login(struct srv_failures *f, struct srv_fail_src *s, const char *login)
{
	size_t i;

	for (i = 0; i < f->n_login; i++) {
		if (strcmp(f->login[i].name, login) == 0) {
			break;
		}
	}
	if (i == f->n_login && f->n_login < SRV_FAIL_LOGINS) {
		snprintf(f->login[i].name, sizeof(f->login[i].name), "%s",
			 login);
		f->login[i].n = 0;
		f->n_login++;
	}
	if (i < f->n_login) {
		f->login[i].n++;
	}
	if (s == NULL) {
		return;
	}
	for (i = 0; i < SRV_FAIL_SRC_LOGINS && s->logins[i][0]; i++) {
		if (strcmp(s->logins[i], login) == 0) {
			return;
		}
	}
	if (i < SRV_FAIL_SRC_LOGINS) {
		snprintf(s->logins[i], sizeof(s->logins[i]), "%s", login);
	}
}

void
srv_failures_note(struct srv_failures *f, const char *peer,
		  const char *login, bool known, int delay_ms, int64_t now)
{
	struct srv_fail_src *s = source_find(f, peer, true);

	f->total++;
	if (!known) {
		f->unknown++;
	}
	if (s == NULL) {
		f->overflow++;
	} else {
		s->n_period++;
	}
	if (known) {
		note_login(f, s, login);
	}
	if (s != NULL && s->last_log_ms != 0 &&
	    now - s->last_log_ms < FLUSH_MS) {
		s->n_since_log++;
		if (!known) {
			s->unknown_since_log++;
		}
		return;
	}
	if (s != NULL) {
		s->last_log_ms = now;
	}
	if (line_allowed(f, now)) {
		srv_log("auth fail peer=%s user=%s next_delay_ms=%d", peer,
			known ? login : "(unknown)", delay_ms);
	}
}

void
srv_failures_flush(struct srv_failures *f, int64_t now, bool force)
{
	for (size_t i = 0; i < f->n_src; i++) {
		struct srv_fail_src *s = &f->src[i];
		char users[3 * (SRV_LOGIN_MAX + 2) + 8] = "";
		size_t o = 0;

		if (s->n_since_log == 0 ||
		    (!force && now - s->last_log_ms < FLUSH_MS)) {
			continue;
		}
		for (size_t j = 0; j < SRV_FAIL_SRC_LOGINS && s->logins[j][0];
		     j++) {
			int k = snprintf(users + o, sizeof(users) - o, "%s%s",
					 o ? "," : "", s->logins[j]);

			if (k > 0 && (size_t)k < sizeof(users) - o) {
				o += (size_t)k;
			}
		}
		srv_log("auth fail peer=%s: %lu more in %lld s (existing "
			"users: %s; unknown logins: %lu)",
			s->peer, s->n_since_log,
			(long long)((now - s->last_log_ms) / 1000),
			o ? users : "none", s->unknown_since_log);
		s->n_since_log = 0;
		s->unknown_since_log = 0;
		s->last_log_ms = now;
		memset(s->logins, 0, sizeof(s->logins));
	}
}

bool
srv_failures_pending(const struct srv_failures *f)
{
	return f->total > 0;
}

/* Keeps the k largest (name, n) pairs in top[], largest first. */
static void
top_insert(char (*names)[64], unsigned long *ns, size_t *n_top, size_t k,
	   const char *name, unsigned long n)
{
	size_t at = *n_top;

	while (at > 0 && ns[at - 1] < n) {
		at--;
	}
	if (at >= k) {
		return;
	}
	if (*n_top < k) {
		(*n_top)++;
	}
	for (size_t j = *n_top - 1; j > at; j--) {
		memcpy(names[j], names[j - 1], 64);
		ns[j] = ns[j - 1];
	}
	snprintf(names[at], 64, "%s", name);
	ns[at] = n;
}

void
srv_failures_summary(struct srv_failures *f, struct srv_auth_summary *out,
		     int64_t now_wall_ms)
{
	char names[5][64];
	unsigned long ns[5];
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	out->from_ms = f->from_wall_ms;
	out->to_ms = now_wall_ms;
	out->failures = f->total;
	out->unknown = f->unknown;
	for (size_t i = 0; i < f->n_src; i++) {
		if (f->src[i].n_period > 0) {
			out->sources++;
			top_insert(names, ns, &n, 5, f->src[i].peer,
				   f->src[i].n_period);
		}
	}
	for (size_t i = 0; i < n; i++) {
		memcpy(out->top_source[i].name, names[i], 64);
		out->top_source[i].n = ns[i];
	}
	out->n_top_source = n;
	n = 0;
	for (size_t i = 0; i < f->n_login; i++) {
		top_insert(names, ns, &n, 5, f->login[i].name, f->login[i].n);
	}
	for (size_t i = 0; i < n; i++) {
		memcpy(out->top_login[i].name, names[i], 64);
		out->top_login[i].n = ns[i];
	}
	out->n_top_login = n;
	if (f->overflow > 0 && out->sources < f->n_src + 1) {
		out->sources++; /* at least one more, not told apart */
	}
	/* A new period: sources quiet in this one are forgotten, the others
	 * keep their log state (so the flush still reports them). */
	f->total = f->unknown = f->overflow = 0;
	f->n_login = 0;
	for (size_t i = 0; i < f->n_src;) {
		if (f->src[i].n_period == 0 && f->src[i].n_since_log == 0) {
			f->src[i] = f->src[--f->n_src];
			continue;
		}
		f->src[i].n_period = 0;
		i++;
	}
	f->from_wall_ms = now_wall_ms;
}
