/*
 * Rounds as data: the strict parser of a round definition (format
 * "nomdesk-round/1", rounds/<code>.json, docs/domain-notes.md), its
 * storage, and the check of the notice's own arithmetic.
 *
 * Invariants: a definition is refused whole or accepted whole, and every
 * refusal names the JSON path and the rule.  A loaded round is stored
 * twice in one audited transaction: its canonical text (the log entry's
 * digest is its SHA-256, so what was signed is what runs) and the
 * round_* and quota_* tables, a projection for SQL.  Neither changes
 * afterwards (schema triggers); a new reading is a new round.  The quota
 * figures are kept exactly as the notice states them: nothing here
 * derives, corrects or sums a figure into the data; core_round_check()
 * only reports.
 */
#include <json-c/json.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core_int.h"
#include "core/i18n.h"
#include "core/utf8.h"

#define ROUND_FORMAT "nomdesk-round/1"
#define MAX_TEXT 4000 /* bytes of one text field */
#define MAX_NODES 1024
#define MAX_DEPTH 8
#define MAX_FIGURE 1000000

/* ---- dates ---- */

static int
days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

int
round_date_parse(const char *s, int *y, int *m, int *d)
{
	size_t n = s ? strlen(s) : 0;

	if ((n != 10 && n != 7) || strspn(s, "0123456789-") != n ||
	    s[4] != '-' || (n == 10 && s[7] != '-'))
		return -1;
	*y = atoi(s);
	*m = atoi(s + 5);
	*d = n == 10 ? atoi(s + 8) : 0;
	if (*y < 1900 || *y > 2200 || *m < 1 || *m > 12)
		return -1;
	if (n == 10 && (*d < 1 || *d > days_in(*y, *m)))
		return -1;
	return 0;
}

/* Days in the month of a parsed date (for month-precision dates). */
int
round_days_in_month(int y, int m)
{
	return days_in(y, m);
}

/*
 * "YYYY-MM-DDTHH:MM:SS" then "Z" or "+HH:MM"/"-HH:MM": the zone is
 * required (a deadline without one is the time-zone confusion of
 * domain.md 5).  *ms is the instant; date gets the local date as written.
 */
static int
instant_parse(const char *s, int64_t *ms, char date[11])
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 1;
	struct tm tm = {0};
	char dpart[11];

	if (!s || strlen(s) < 20 || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':')
		return -1;
	memcpy(dpart, s, 10);
	dpart[10] = '\0';
	if (round_date_parse(dpart, &y, &mo, &d) != 0 || strlen(dpart) != 10)
		return -1;
	if (strspn(s + 11, "0123456789") != 2 ||
	    strspn(s + 14, "0123456789") != 2 ||
	    strspn(s + 17, "0123456789") != 2)
		return -1;
	h = atoi(s + 11);
	mi = atoi(s + 14);
	sec = atoi(s + 17);
	if (h > 23 || mi > 59 || sec > 59)
		return -1;
	if (strcmp(s + 19, "Z") == 0) {
		oh = om = 0;
	} else if (strlen(s + 19) == 6 && (s[19] == '+' || s[19] == '-') &&
	           s[22] == ':' && strspn(s + 20, "0123456789") == 2 &&
	           strspn(s + 23, "0123456789") == 2) {
		sign = s[19] == '+' ? 1 : -1;
		oh = atoi(s + 20);
		om = atoi(s + 23);
		if (oh > 14 || om > 59)
			return -1;
	} else {
		return -1;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*ms = ((int64_t)timegm(&tm) - sign * (oh * 3600 + om * 60)) * 1000;
	memcpy(date, dpart, 11);
	return 0;
}

/* ---- the parser: a JSON path kept beside the walk ---- */

struct jp {
	char path[512];
	size_t len;
	char *err;
	size_t errlen;
	struct core_round *r;
	int oom;
};

static size_t
jp_key(struct jp *p, const char *key)
{
	size_t saved = p->len;
	int n =
	    snprintf(p->path + p->len, sizeof(p->path) - p->len, ".%s", key);

	if (n > 0 && (size_t)n < sizeof(p->path) - p->len)
		p->len += (size_t)n;
	return saved;
}

static size_t
jp_index(struct jp *p, size_t i)
{
	size_t saved = p->len;
	int n =
	    snprintf(p->path + p->len, sizeof(p->path) - p->len, "[%zu]", i);

	if (n > 0 && (size_t)n < sizeof(p->path) - p->len)
		p->len += (size_t)n;
	return saved;
}

static void
jp_pop(struct jp *p, size_t saved)
{
	p->len = saved;
	p->path[saved] = '\0';
}

static int jp_fail(struct jp *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "<path>: <rule>" into the caller's buffer; returns CORE_EINVAL. */
static int
jp_fail(struct jp *p, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s: %s", p->path, msg);
	return CORE_EINVAL;
}

/* A copy owned by the round; NULL (and p->oom) when out of memory. */
static char *
jp_dup(struct jp *p, const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d) {
		p->oom = 1;
		snprintf(p->err, p->errlen, "out of memory");
	}
	return d;
}

/* Refuses a key of o that is not in allowed (NULL-terminated). */
static int
jp_keys(struct jp *p, json_object *o, const char *const *allowed)
{
	json_object_object_foreach(o, key, val)
	{
		size_t i;

		(void)val;
		for (i = 0; allowed[i]; i++)
			if (strcmp(allowed[i], key) == 0)
				break;
		if (!allowed[i]) {
			size_t s = jp_key(p, key);
			int r = jp_fail(p, _("unknown key"));

			jp_pop(p, s);
			return r;
		}
	}
	return 0;
}

/* The member key of o, or NULL when it is absent or JSON null. */
static json_object *
jp_get(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static int
jp_object(struct jp *p, json_object *v, int required)
{
	if (!v)
		return required ? jp_fail(p, _("is required")) : 0;
	if (!json_object_is_type(v, json_type_object))
		return jp_fail(p, _("must be an object"));
	return 0;
}

static int
jp_array(struct jp *p, json_object *v, int required, size_t min)
{
	if (!v)
		return required ? jp_fail(p, _("is required")) : 0;
	if (!json_object_is_type(v, json_type_array))
		return jp_fail(p, _("must be an array"));
	if (json_object_array_length(v) < min)
		return jp_fail(p, _("must have at least %zu elements"), min);
	return 0;
}

/*
 * A text member: absent or null is "" unless required; otherwise a
 * string of valid, NFC, control-free UTF-8 (LF allowed when multiline).
 */
static int
jp_text(struct jp *p, json_object *o, const char *key, int required,
        int multiline, char **out)
{
	json_object *v = jp_get(o, key);
	size_t s = jp_key(p, key);
	const char *t;
	char why[160];
	int r = 0;

	if (!v) {
		if (required)
			r = jp_fail(p, _("is required"));
		else if (!(*out = jp_dup(p, "")))
			r = CORE_EINTERNAL;
		goto out;
	}
	if (!json_object_is_type(v, json_type_string)) {
		r = jp_fail(p, _("must be a string"));
		goto out;
	}
	t = json_object_get_string(v);
	if (required && *t == '\0') {
		r = jp_fail(p, _("must not be empty"));
		goto out;
	}
	if ((size_t)json_object_get_string_len(v) != strlen(t) ||
	    strlen(t) > MAX_TEXT) {
		r = jp_fail(p,
		            _("must be text of at most %d bytes without NUL"),
		            MAX_TEXT);
		goto out;
	}
	if (*t && utf8_check(t, multiline ? UTF8_MULTI : UTF8_LINE, 0, why,
	                     sizeof(why)) != 0) {
		r = jp_fail(p, "%s", why);
		goto out;
	}
	if (!(*out = jp_dup(p, t)))
		r = CORE_EINTERNAL;
out:
	jp_pop(p, s);
	return r;
}

/* A code: 1-63 bytes of a-z 0-9 and the punctuation in extra. */
static int
is_code(const char *s, const char *extra)
{
	size_t n = strlen(s);

	if (n == 0 || n > 63)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      (i > 0 && strchr(extra, ch))))
			return 0;
	}
	return 1;
}

static int
jp_code(struct jp *p, json_object *o, const char *key, int required,
        const char *extra, char **out)
{
	int r = jp_text(p, o, key, required, 0, out);
	size_t s;

	if (r != 0 || **out == '\0')
		return r;
	if (!is_code(*out, extra)) {
		s = jp_key(p, key);
		r = jp_fail(p,
		            _("must be 1 to 63 characters of a-z, 0-9 and "
		              "'%s', starting with a letter or digit"),
		            extra);
		jp_pop(p, s);
	}
	return r;
}

/*
 * An integer member in [min, max]; absent or null gives dflt unless
 * required (then an error).  Fractions and strings are refused.
 */
static int
jp_int(struct jp *p, json_object *o, const char *key, int required, int64_t min,
       int64_t max, int64_t dflt, int64_t *out)
{
	json_object *v = jp_get(o, key);
	size_t s = jp_key(p, key);
	int r = 0;

	*out = dflt;
	if (!v) {
		if (required)
			r = jp_fail(p, _("is required"));
	} else if (!json_object_is_type(v, json_type_int)) {
		r = jp_fail(p, _("must be an integer"));
	} else {
		int64_t x = json_object_get_int64(v);

		if (x < min || x > max)
			r = jp_fail(p,
			            _("must be an integer from %lld to %lld"),
			            (long long)min, (long long)max);
		else
			*out = x;
	}
	jp_pop(p, s);
	return r;
}

/*
 * A boolean; absent gives dflt.  JSON null is refused unless null_ok,
 * when it gives -1 ("not stated").
 */
static int
jp_bool(struct jp *p, json_object *o, const char *key, int dflt, int null_ok,
        int *out)
{
	json_object *v = NULL;
	size_t s;
	int r = 0;

	*out = dflt;
	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	s = jp_key(p, key);
	if (!v && null_ok) {
		*out = -1;
	} else if (!v || !json_object_is_type(v, json_type_boolean)) {
		r = jp_fail(p, null_ok ? _("must be true, false or null")
		                       : _("must be true or false"));
	} else {
		*out = json_object_get_boolean(v) ? 1 : 0;
	}
	jp_pop(p, s);
	return r;
}

/* A date member "YYYY-MM-DD" or null/absent (out[0] = '\0'). */
static int
jp_date(struct jp *p, json_object *o, const char *key, char out[11])
{
	char *t = NULL;
	int y, m, d, r;
	size_t s;

	out[0] = '\0';
	if ((r = jp_text(p, o, key, 0, 0, &t)) != 0)
		return r;
	if (*t && (strlen(t) != 10 || round_date_parse(t, &y, &m, &d) != 0)) {
		s = jp_key(p, key);
		r = jp_fail(p, _("must be a date written YYYY-MM-DD, or null"));
		jp_pop(p, s);
	} else {
		snprintf(out, 11, "%s", t);
	}
	free(t);
	return r;
}

/* {"zh": ..., "en": ...}, both required. */
static int
jp_names(struct jp *p, json_object *o, const char *key, char **zh, char **en)
{
	static const char *const keys[] = {"zh", "en", NULL};
	json_object *v = jp_get(o, key);
	size_t s = jp_key(p, key);
	int r;

	if ((r = jp_object(p, v, 1)) == 0 && (r = jp_keys(p, v, keys)) == 0 &&
	    (r = jp_text(p, v, "zh", 1, 0, zh)) == 0)
		r = jp_text(p, v, "en", 1, 0, en);
	jp_pop(p, s);
	return r;
}

/* ---- sections ---- */

static int
parse_deadlines(struct jp *p, json_object *root)
{
	static const char *const keys[] = {"city", "county", "department",
	                                   NULL};
	static const char *const tier_keys[] = {"at", "text", "reading", NULL};
	static const char *const tiers[] = {"city", "county", "department"};
	struct core_round *r = p->r;
	json_object *o = jp_get(root, "deadlines");
	size_t s = jp_key(p, "deadlines");
	int rv;

	if ((rv = jp_object(p, o, 1)) != 0 || (rv = jp_keys(p, o, keys)) != 0)
		goto out;
	for (size_t i = 0; i < 3; i++) {
		json_object *t = jp_get(o, tiers[i]);
		size_t s2 = jp_key(p, tiers[i]);
		char *at = NULL, *text = NULL, *reading = NULL;
		char date[11];
		int64_t ms = 0;

		if ((rv = jp_object(p, t, i == 0)) != 0)
			goto tier;
		if (!t) {
			at = jp_dup(p, "");
			rv = at ? 0 : CORE_EINTERNAL;
			goto tier;
		}
		if ((rv = jp_keys(p, t, tier_keys)) != 0 ||
		    (rv = jp_text(p, t, "at", 1, 0, &at)) != 0 ||
		    (rv = jp_text(p, t, "text", 0, 1, &text)) != 0 ||
		    (rv = jp_text(p, t, "reading", 0, 1, &reading)) != 0)
			goto tier;
		if (instant_parse(at, &ms, date) != 0) {
			size_t s3 = jp_key(p, "at");

			rv = jp_fail(p, _("must be an instant with its zone, "
			                  "e.g. 2020-12-15T23:59:59+08:00"));
			jp_pop(p, s3);
			goto tier;
		}
		if (i == 0) {
			r->deadline_ms =
			    ms + 999; /* to the end of the second */
			snprintf(r->age_ref_date, sizeof(r->age_ref_date), "%s",
			         date);
			snprintf(r->window_ref_date, sizeof(r->window_ref_date),
			         "%s", date);
		}
	tier:
		if (rv == 0 && i == 0) {
			r->deadline = at;
			r->deadline_reading = reading;
			at = reading = NULL;
		} else if (rv == 0 && i == 1) {
			r->deadline_county = at;
			at = NULL;
		} else if (rv == 0 && i == 2) {
			r->deadline_department = at;
			at = NULL;
		}
		free(at);
		free(text);
		free(reading);
		jp_pop(p, s2);
		if (rv != 0)
			goto out;
	}
out:
	jp_pop(p, s);
	return rv;
}

static int
parse_notices(struct jp *p, json_object *root)
{
	static const char *const keys[] = {"county", "department", "city",
	                                   NULL};
	static const char *const nkeys[] = {"days", "day_type", "text",
	                                    "reading", NULL};
	struct core_round *r = p->r;
	json_object *o = jp_get(root, "notices");
	size_t s = jp_key(p, "notices");
	int rv;

	if ((rv = jp_object(p, o, 1)) != 0 || (rv = jp_keys(p, o, keys)) != 0)
		goto out;
	if (!(r->notices = calloc(3, sizeof(*r->notices)))) {
		rv = CORE_EINTERNAL;
		goto out;
	}
	for (size_t i = 0; i < 3; i++) {
		struct core_round_notice *n = &r->notices[i];
		json_object *t = jp_get(o, keys[i]);
		size_t s2 = jp_key(p, keys[i]);
		int64_t days;

		r->n_notices++;
		n->days = -1;
		if (!(n->tier = jp_dup(p, keys[i]))) {
			rv = CORE_EINTERNAL;
		} else if ((rv = jp_object(p, t, 1)) == 0 &&
		           (rv = jp_keys(p, t, nkeys)) == 0 &&
		           (rv = jp_int(p, t, "days", 0, 1, 365, -1, &days)) ==
		               0 &&
		           (rv = jp_code(p, t, "day_type", 0, "",
		                         &n->day_type)) == 0 &&
		           (rv = jp_text(p, t, "text", 0, 1, &n->text)) == 0 &&
		           (rv = jp_text(p, t, "reading", 0, 1, &n->reading)) ==
		               0) {
			n->days = (int)days;
			if (*n->day_type && strcmp(n->day_type, "calendar") &&
			    strcmp(n->day_type, "working")) {
				size_t s3 = jp_key(p, "day_type");

				rv = jp_fail(p, _("must be \"calendar\", "
				                  "\"working\" or null"));
				jp_pop(p, s3);
			}
		}
		jp_pop(p, s2);
		if (rv != 0)
			break;
	}
out:
	jp_pop(p, s);
	return rv;
}

static int
parse_age(struct jp *p, json_object *root)
{
	static const char *const keys[] = {
	    "limit",   "inclusive", "reference_date", "relaxable", "text",
	    "reading", NULL};
	struct core_round *r = p->r;
	json_object *o = jp_get(root, "age");
	size_t s = jp_key(p, "age");
	char ref[11], *text = NULL;
	int64_t limit;
	int rv;

	if ((rv = jp_object(p, o, 1)) == 0 && (rv = jp_keys(p, o, keys)) == 0 &&
	    (rv = jp_int(p, o, "limit", 1, 1, 150, 0, &limit)) == 0 &&
	    (rv = jp_bool(p, o, "inclusive", -1, 0, &r->age_inclusive)) == 0 &&
	    (rv = jp_bool(p, o, "relaxable", 0, 0, &r->age_relaxable)) == 0 &&
	    (rv = jp_date(p, o, "reference_date", ref)) == 0 &&
	    (rv = jp_text(p, o, "text", 0, 1, &text)) == 0 &&
	    (rv = jp_text(p, o, "reading", 0, 1, &r->age_reading)) == 0) {
		r->age_limit = (int)limit;
		if (r->age_inclusive < 0) {
			size_t s2 = jp_key(p, "inclusive");

			rv = jp_fail(p, _("is required (does the limit "
			                  "include the number itself?)"));
			jp_pop(p, s2);
		}
		if (*ref)
			snprintf(r->age_ref_date, sizeof(r->age_ref_date), "%s",
			         ref);
	}
	free(text);
	jp_pop(p, s);
	return rv;
}

static int
parse_title_rule(struct jp *p, json_object *root)
{
	static const char *const keys[] = {"min_level", "counts", "text",
	                                   "reading", NULL};
	struct core_round *r = p->r;
	json_object *o = jp_get(root, "title_rule");
	size_t s = jp_key(p, "title_rule"), s2;
	char *level = NULL, *counts = NULL, *text = NULL;
	int rv;

	if ((rv = jp_object(p, o, 1)) != 0 || (rv = jp_keys(p, o, keys)) != 0 ||
	    (rv = jp_text(p, o, "min_level", 1, 0, &level)) != 0 ||
	    (rv = jp_text(p, o, "counts", 1, 0, &counts)) != 0 ||
	    (rv = jp_text(p, o, "text", 0, 1, &text)) != 0 ||
	    (rv = jp_text(p, o, "reading", 0, 1, &r->title_reading)) != 0)
		goto out;
	if (core_title_level_parse(level, &r->title_min) != 0) {
		s2 = jp_key(p, "min_level");
		rv = jp_fail(p, _("must be one of 正高 副高 中级 初级"));
		jp_pop(p, s2);
		goto out;
	}
	if (strcmp(counts, "appointment") == 0) {
		r->title_counts = CORE_TITLE_COUNTS_APPOINTMENT;
	} else if (strcmp(counts, "qualification") == 0) {
		r->title_counts = CORE_TITLE_COUNTS_QUALIFICATION;
	} else if (strcmp(counts, "either") == 0) {
		r->title_counts = CORE_TITLE_COUNTS_EITHER;
	} else {
		s2 = jp_key(p, "counts");
		rv = jp_fail(p, _("must be \"appointment\", \"qualification\" "
		                  "or \"either\""));
		jp_pop(p, s2);
	}
out:
	free(level);
	free(counts);
	free(text);
	jp_pop(p, s);
	return rv;
}

static int
parse_window(struct jp *p, json_object *root)
{
	static const char *const keys[] = {"years", "reference_date", "text",
	                                   "reading", NULL};
	struct core_round *r = p->r;
	json_object *o = jp_get(root, "report_window");
	size_t s = jp_key(p, "report_window");
	char ref[11], *text = NULL, *reading = NULL;
	int64_t years;
	int rv;

	if ((rv = jp_object(p, o, 1)) == 0 && (rv = jp_keys(p, o, keys)) == 0 &&
	    (rv = jp_int(p, o, "years", 1, 1, 50, 0, &years)) == 0 &&
	    (rv = jp_date(p, o, "reference_date", ref)) == 0 &&
	    (rv = jp_text(p, o, "text", 0, 1, &text)) == 0 &&
	    (rv = jp_text(p, o, "reading", 0, 1, &reading)) == 0) {
		r->window_years = (int)years;
		if (*ref)
			snprintf(r->window_ref_date, sizeof(r->window_ref_date),
			         "%s", ref);
	}
	free(text);
	free(reading);
	jp_pop(p, s);
	return rv;
}

static int
parse_exclusion(struct jp *p, json_object *root)
{
	static const char *const keys[] = {"prior_leader", "text", NULL};
	struct core_round *r = p->r;
	json_object *o = jp_get(root, "exclusion"), *a;
	size_t s = jp_key(p, "exclusion"), s2;
	char *text = NULL;
	int rv;

	if ((rv = jp_object(p, o, 1)) != 0 || (rv = jp_keys(p, o, keys)) != 0 ||
	    (rv = jp_text(p, o, "text", 0, 1, &text)) != 0)
		goto out;
	a = jp_get(o, "prior_leader");
	s2 = jp_key(p, "prior_leader");
	if ((rv = jp_array(p, a, 1, 0)) != 0) {
		jp_pop(p, s2);
		goto out;
	}
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *v = json_object_array_get_idx(a, i);
		const char *t = json_object_is_type(v, json_type_string)
		                    ? json_object_get_string(v)
		                    : "";
		size_t s3 = jp_index(p, i);

		if (strcmp(t, "省级") == 0 && !r->exclude_province) {
			r->exclude_province = 1;
		} else if (strcmp(t, "市级") == 0 && !r->exclude_city) {
			r->exclude_city = 1;
		} else {
			rv = jp_fail(p, _("must be \"省级\" or \"市级\", "
			                  "each at most once"));
		}
		jp_pop(p, s3);
		if (rv != 0)
			break;
	}
	jp_pop(p, s2);
out:
	free(text);
	jp_pop(p, s);
	return rv;
}

static int
parse_conditions(struct jp *p, json_object *root)
{
	static const char *const keys[] = {"no",       "zh",   "en",
	                                   "evidence", "note", NULL};
	struct core_round *r = p->r;
	json_object *a = jp_get(root, "conditions");
	size_t s = jp_key(p, "conditions"), n;
	int rv;

	if ((rv = jp_array(p, a, 1, 1)) != 0)
		goto out;
	n = json_object_array_length(a);
	if (n > 32) {
		rv = jp_fail(p, _("must have at most %d elements"), 32);
		goto out;
	}
	if (!(r->conditions = calloc(n, sizeof(*r->conditions)))) {
		rv = CORE_EINTERNAL;
		goto out;
	}
	for (size_t i = 0; i < n && rv == 0; i++) {
		json_object *o = json_object_array_get_idx(a, i);
		struct core_round_condition *cd = &r->conditions[i];
		size_t s2 = jp_index(p, i);
		char *ev = NULL;
		int64_t no;

		r->n_conditions++;
		if ((rv = jp_object(p, o, 1)) == 0 &&
		    (rv = jp_keys(p, o, keys)) == 0 &&
		    (rv = jp_int(p, o, "no", 1, 1, 32, 0, &no)) == 0 &&
		    (rv = jp_text(p, o, "zh", 1, 1, &cd->zh)) == 0 &&
		    (rv = jp_text(p, o, "en", 1, 1, &cd->en)) == 0 &&
		    (rv = jp_text(p, o, "evidence", 1, 0, &ev)) == 0 &&
		    (rv = jp_text(p, o, "note", 0, 1, &cd->note)) == 0) {
			size_t s3;

			cd->no = (int)no;
			if (no != (int64_t)i + 1) {
				s3 = jp_key(p, "no");
				rv = jp_fail(p,
				             _("must be %zu (conditions are "
				               "numbered 1, 2, ... in order)"),
				             i + 1);
				jp_pop(p, s3);
			} else if (strcmp(ev, "documentary") == 0) {
				cd->evidence = CORE_EVIDENCE_DOCUMENTARY;
			} else if (strcmp(ev, "judgement") == 0) {
				cd->evidence = CORE_EVIDENCE_JUDGEMENT;
			} else {
				s3 = jp_key(p, "evidence");
				rv = jp_fail(p, _("must be \"documentary\" or "
				                  "\"judgement\""));
				jp_pop(p, s3);
			}
		}
		free(ev);
		jp_pop(p, s2);
	}
out:
	jp_pop(p, s);
	return rv;
}

static int
parse_categories(struct jp *p, json_object *root)
{
	static const char *const keys[] = {"key",   "zh",   "en",
	                                   "relax", "text", NULL};
	struct core_round *r = p->r;
	json_object *a = jp_get(root, "categories");
	size_t s = jp_key(p, "categories"), n;
	int rv;

	if ((rv = jp_array(p, a, 1, 1)) != 0)
		goto out;
	n = json_object_array_length(a);
	if (n > 64) {
		rv = jp_fail(p, _("must have at most %d elements"), 64);
		goto out;
	}
	if (!(r->categories = calloc(n, sizeof(*r->categories)))) {
		rv = CORE_EINTERNAL;
		goto out;
	}
	for (size_t i = 0; i < n && rv == 0; i++) {
		json_object *o = json_object_array_get_idx(a, i), *rl;
		struct core_round_category *k = &r->categories[i];
		size_t s2 = jp_index(p, i), s3;

		r->n_categories++;
		if ((rv = jp_object(p, o, 1)) != 0 ||
		    (rv = jp_keys(p, o, keys)) != 0 ||
		    (rv = jp_code(p, o, "key", 1, "_", &k->key)) != 0 ||
		    (rv = jp_text(p, o, "zh", 1, 0, &k->name_zh)) != 0 ||
		    (rv = jp_text(p, o, "en", 1, 0, &k->name_en)) != 0 ||
		    (rv = jp_text(p, o, "text", 0, 1, &k->text)) != 0)
			goto next;
		for (size_t j = 0; j < i; j++) {
			if (strcmp(r->categories[j].key, k->key) == 0 ||
			    strcmp(r->categories[j].name_zh, k->name_zh) == 0) {
				rv = jp_fail(p,
				             _("key or name repeats "
				               "categories[%zu]"),
				             j);
				goto next;
			}
		}
		rl = jp_get(o, "relax");
		s3 = jp_key(p, "relax");
		if ((rv = jp_array(p, rl, 1, 0)) == 0) {
			for (size_t j = 0; j < json_object_array_length(rl);
			     j++) {
				json_object *v =
				    json_object_array_get_idx(rl, j);
				const char *t =
				    json_object_is_type(v, json_type_string)
				        ? json_object_get_string(v)
				        : "";
				unsigned bit =
				    strcmp(t, "title") == 0 ? CORE_RELAX_TITLE
				    : strcmp(t, "age") == 0 ? CORE_RELAX_AGE
				    : strcmp(t, "conditions") == 0
				        ? CORE_RELAX_CONDITIONS
				        : 0;
				size_t s4 = jp_index(p, j);

				if (bit == 0 || (k->relax & bit))
					rv =
					    jp_fail(p, _("must be \"title\", "
					                 "\"age\" or "
					                 "\"conditions\", each "
					                 "at most once"));
				k->relax |= bit;
				jp_pop(p, s4);
				if (rv != 0)
					break;
			}
		}
		jp_pop(p, s3);
	next:
		jp_pop(p, s2);
	}
out:
	jp_pop(p, s);
	return rv;
}

static int
category_index(const struct core_round *r, const char *key)
{
	for (size_t i = 0; i < r->n_categories; i++)
		if (strcmp(r->categories[i].key, key) == 0)
			return (int)i;
	return -1;
}

static size_t
count_nodes(json_object *a, int depth)
{
	size_t n = 0;

	if (!a || !json_object_is_type(a, json_type_array) || depth > MAX_DEPTH)
		return 0;
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *o = json_object_array_get_idx(a, i), *ch = NULL;

		n++;
		if (json_object_is_type(o, json_type_object) &&
		    json_object_object_get_ex(o, "children", &ch))
			n += count_nodes(ch, depth + 1);
	}
	return n;
}

static int parse_nodes(struct jp *p, json_object *a, int parent, int depth,
                       size_t cap);

static int
parse_holders(struct jp *p, json_object *o, struct core_quota_node *q)
{
	json_object *a = jp_get(o, "holders");
	size_t s = jp_key(p, "holders"), n;
	int rv;

	if ((rv = jp_array(p, a, 0, 1)) != 0 || !a)
		goto out;
	n = json_object_array_length(a);
	if (!(q->holders = calloc(n, sizeof(*q->holders)))) {
		rv = CORE_EINTERNAL;
		goto out;
	}
	for (size_t i = 0; i < n && rv == 0; i++) {
		json_object *v = json_object_array_get_idx(a, i);
		const char *t = json_object_is_type(v, json_type_string)
		                    ? json_object_get_string(v)
		                    : NULL;
		size_t s2 = jp_index(p, i);

		if (!t || *t == '\0' || strlen(t) >= CORE_CODE_SIZE ||
		    strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
		              "VWXYZ0123456789._-") != strlen(t)) {
			rv = jp_fail(p, _("must be a unit code"));
		} else {
			for (size_t j = 0; j < q->n_holders; j++)
				if (strcmp(q->holders[j], t) == 0)
					rv = jp_fail(
					    p, _("repeats holders[%zu]"), j);
			if (rv == 0 &&
			    !(q->holders[q->n_holders++] = jp_dup(p, t)))
				rv = CORE_EINTERNAL;
		}
		jp_pop(p, s2);
	}
out:
	jp_pop(p, s);
	return rv;
}

static int
parse_node(struct jp *p, json_object *o, int parent, int depth, size_t cap)
{
	static const char *const keys[] = {
	    "code",       "category",       "name",    "limit",
	    "uncapped",   "reserved_seats", "enforce", "justification",
	    "any_holder", "channel",        "holders", "text",
	    "note",       "children",       NULL};
	struct core_round *r = p->r;
	struct core_quota_node *q;
	json_object *ch;
	int idx, rv;
	size_t s;

	if ((rv = jp_object(p, o, 1)) != 0 || (rv = jp_keys(p, o, keys)) != 0)
		return rv;
	if (r->n_nodes >= cap)
		return jp_fail(p, _("the quota tree is too large"));
	idx = (int)r->n_nodes++;
	q = &r->nodes[idx];
	q->parent = parent;
	q->depth = depth;
	q->limit = -1;
	if (!(q->path = jp_dup(p, p->path)))
		return CORE_EINTERNAL;
	if ((rv = jp_code(p, o, "code", 1, "._-", &q->code)) != 0 ||
	    (rv = jp_code(p, o, "category", parent < 0, "_", &q->category)) !=
	        0 ||
	    (rv = jp_names(p, o, "name", &q->name_zh, &q->name_en)) != 0 ||
	    (rv = jp_int(p, o, "limit", 0, 0, MAX_FIGURE, -1, &q->limit)) !=
	        0 ||
	    (rv = jp_bool(p, o, "uncapped", 0, 0, &q->uncapped)) != 0 ||
	    (rv = jp_bool(p, o, "reserved_seats", -1, 1, &q->reserved)) != 0 ||
	    (rv = jp_bool(p, o, "enforce", 1, 0, &q->enforce)) != 0 ||
	    (rv = jp_bool(p, o, "justification", 0, 0, &q->justification)) !=
	        0 ||
	    (rv = jp_bool(p, o, "any_holder", 0, 0, &q->any_holder)) != 0 ||
	    (rv = jp_code(p, o, "channel", 0, "_", &q->channel)) != 0 ||
	    (rv = jp_text(p, o, "text", 0, 1, &q->text)) != 0 ||
	    (rv = jp_text(p, o, "note", 0, 1, &q->note)) != 0 ||
	    (rv = parse_holders(p, o, q)) != 0)
		return rv;
	for (int i = 0; i < idx; i++) {
		if (strcmp(r->nodes[i].code, q->code) == 0) {
			s = jp_key(p, "code");
			rv = jp_fail(p, _("'%s' is already the code of %s"),
			             q->code, r->nodes[i].path);
			jp_pop(p, s);
			return rv;
		}
	}
	if (*q->category == '\0') {
		free(q->category);
		if (!(q->category = jp_dup(p, r->nodes[parent].category)))
			return CORE_EINTERNAL;
	} else if (category_index(r, q->category) < 0) {
		s = jp_key(p, "category");
		rv = jp_fail(p, _("'%s' is not a key of $.categories"),
		             q->category);
		jp_pop(p, s);
		return rv;
	}
	if (q->uncapped && q->limit >= 0) {
		s = jp_key(p, "limit");
		rv = jp_fail(p, _("a node with \"uncapped\": true has no "
		                  "limit"));
		jp_pop(p, s);
		return rv;
	}
	ch = jp_get(o, "children");
	s = jp_key(p, "children");
	if ((rv = jp_array(p, ch, 0, 1)) == 0 && ch) {
		if (depth + 1 >= MAX_DEPTH)
			rv = jp_fail(p, _("the quota tree is deeper than %d"),
			             MAX_DEPTH);
		else
			rv = parse_nodes(p, ch, idx, depth + 1, cap);
	}
	jp_pop(p, s);
	if (rv != 0)
		return rv;
	q = &r->nodes[idx];
	if (ch) {
		q->n_children = json_object_array_length(ch);
		if (q->n_holders > 0 || q->any_holder) {
			s = jp_key(p, q->any_holder ? "any_holder" : "holders");
			rv = jp_fail(p, _("only a leaf (a node without "
			                  "children) has holders"));
			jp_pop(p, s);
		}
		return rv;
	}
	if ((q->n_holders > 0) == (q->any_holder != 0)) {
		s = jp_key(p, "holders");
		rv = jp_fail(p, _("a leaf needs either holders or "
		                  "\"any_holder\": true"));
		jp_pop(p, s);
		return rv;
	}
	if (q->limit < 0 && !q->uncapped) {
		int capped = 0;

		for (int a = q->parent; a >= 0; a = r->nodes[a].parent)
			if (r->nodes[a].limit >= 0)
				capped = 1;
		if (!capped) {
			s = jp_key(p, "limit");
			rv = jp_fail(p, _("a leaf needs a limit, \"uncapped\": "
			                  "true, or a parent with a limit "
			                  "whose pool it shares"));
			jp_pop(p, s);
		}
	}
	return rv;
}

static int
parse_nodes(struct jp *p, json_object *a, int parent, int depth, size_t cap)
{
	int rv = 0;

	for (size_t i = 0; i < json_object_array_length(a) && rv == 0; i++) {
		size_t s = jp_index(p, i);

		rv = parse_node(p, json_object_array_get_idx(a, i), parent,
		                depth, cap);
		jp_pop(p, s);
	}
	return rv;
}

/* No two leaves of a category share a holder; an any-holder leaf is its
 * category's only leaf; every category is used. */
static int
check_leaves(struct jp *p)
{
	struct core_round *r = p->r;

	for (size_t i = 0; i < r->n_nodes; i++) {
		const struct core_quota_node *a = &r->nodes[i];

		if (a->n_children)
			continue;
		for (size_t j = i + 1; j < r->n_nodes; j++) {
			const struct core_quota_node *b = &r->nodes[j];

			if (b->n_children || strcmp(a->category, b->category))
				continue;
			if (a->any_holder || b->any_holder) {
				snprintf(p->err, p->errlen,
				         _("%s: %s is the any-holder path of "
				           "category '%s' and must be its only "
				           "leaf (also %s)"),
				         b->path,
				         a->any_holder ? a->code : b->code,
				         a->category,
				         a->any_holder ? b->code : a->code);
				return CORE_EINVAL;
			}
			for (size_t x = 0; x < a->n_holders; x++)
				for (size_t y = 0; y < b->n_holders; y++)
					if (strcmp(a->holders[x],
					           b->holders[y]) == 0) {
						snprintf(p->err, p->errlen,
						         _("%s.holders[%zu]: "
						           "'%s' already holds "
						           "category '%s' at "
						           "%s"),
						         b->path, y,
						         b->holders[y],
						         b->category, a->code);
						return CORE_EINVAL;
					}
		}
	}
	for (size_t k = 0; k < r->n_categories; k++) {
		size_t used = 0;

		for (size_t i = 0; i < r->n_nodes; i++)
			if (strcmp(r->nodes[i].category,
			           r->categories[k].key) == 0)
				used++;
		if (!used) {
			snprintf(p->err, p->errlen,
			         _("$.categories[%zu]: category '%s' is not "
			           "used by any quota node"),
			         k, r->categories[k].key);
			return CORE_EINVAL;
		}
	}
	return 0;
}

static int
parse_quotas(struct jp *p, json_object *root)
{
	static const char *const keys[] = {"stated_parts", "text", "parts",
	                                   NULL};
	struct core_round *r = p->r;
	json_object *o = jp_get(root, "quotas"), *parts;
	size_t s = jp_key(p, "quotas"), s2, cap;
	char *text = NULL;
	int64_t stated;
	int rv;

	if ((rv = jp_object(p, o, 1)) != 0 || (rv = jp_keys(p, o, keys)) != 0 ||
	    (rv = jp_int(p, o, "stated_parts", 0, 1, 100, 0, &stated)) != 0 ||
	    (rv = jp_text(p, o, "text", 0, 1, &text)) != 0)
		goto out;
	r->stated_parts = (int)stated;
	parts = jp_get(o, "parts");
	s2 = jp_key(p, "parts");
	if ((rv = jp_array(p, parts, 1, 1)) == 0) {
		cap = count_nodes(parts, 0);
		if (cap == 0 || cap > MAX_NODES) {
			rv = jp_fail(p, _("must hold 1 to %d quota nodes"),
			             MAX_NODES);
		} else if (!(r->nodes = calloc(cap, sizeof(*r->nodes)))) {
			rv = CORE_EINTERNAL;
		} else {
			rv = parse_nodes(p, parts, -1, 0, cap);
		}
	}
	jp_pop(p, s2);
	if (rv == 0)
		rv = check_leaves(p);
out:
	free(text);
	jp_pop(p, s);
	return rv;
}

static int
parse_materials(struct jp *p, json_object *root)
{
	static const char *const keys[] = {
	    "key",       "zh",       "en",   "copies", "electronic",
	    "originals", "required", "note", NULL};
	struct core_round *r = p->r;
	json_object *a = jp_get(root, "materials");
	size_t s = jp_key(p, "materials"), n;
	int rv;

	if ((rv = jp_array(p, a, 1, 0)) != 0)
		goto out;
	n = json_object_array_length(a);
	if (n > 64) {
		rv = jp_fail(p, _("must have at most %d elements"), 64);
		goto out;
	}
	if (n && !(r->materials = calloc(n, sizeof(*r->materials)))) {
		rv = CORE_EINTERNAL;
		goto out;
	}
	for (size_t i = 0; i < n && rv == 0; i++) {
		json_object *o = json_object_array_get_idx(a, i);
		struct core_round_material *m = &r->materials[i];
		size_t s2 = jp_index(p, i);
		int64_t copies;

		r->n_materials++;
		if ((rv = jp_object(p, o, 1)) == 0 &&
		    (rv = jp_keys(p, o, keys)) == 0 &&
		    (rv = jp_code(p, o, "key", 1, "_", &m->key)) == 0 &&
		    (rv = jp_text(p, o, "zh", 1, 0, &m->name_zh)) == 0 &&
		    (rv = jp_text(p, o, "en", 1, 0, &m->name_en)) == 0 &&
		    (rv = jp_int(p, o, "copies", 0, 1, 100, -1, &copies)) ==
		        0 &&
		    (rv = jp_bool(p, o, "electronic", 0, 0, &m->electronic)) ==
		        0 &&
		    (rv = jp_bool(p, o, "originals", 0, 0, &m->originals)) ==
		        0 &&
		    (rv = jp_bool(p, o, "required", 1, 0, &m->required)) == 0 &&
		    (rv = jp_text(p, o, "note", 0, 1, &m->note)) == 0) {
			m->copies = (int)copies;
			for (size_t j = 0; j < i && rv == 0; j++)
				if (strcmp(r->materials[j].key, m->key) == 0)
					rv = jp_fail(p,
					             _("key '%s' repeats "
					               "materials[%zu]"),
					             m->key, j);
		}
		jp_pop(p, s2);
	}
out:
	jp_pop(p, s);
	return rv;
}

static int
node_index(const struct core_round *r, const char *code)
{
	for (size_t i = 0; i < r->n_nodes; i++)
		if (strcmp(r->nodes[i].code, code) == 0)
			return (int)i;
	return -1;
}

static int
parse_readings(struct jp *p, json_object *root)
{
	static const char *const keys[] = {"issue",     "kind",    "node",
	                                   "text",      "reading", "chosen_by",
	                                   "chosen_at", NULL};
	static const char *const kinds[] = {"parts", "breakdown", "itemised",
	                                    "total", NULL};
	struct core_round *r = p->r;
	json_object *a = jp_get(root, "readings");
	size_t s = jp_key(p, "readings"), n;
	int rv;

	if ((rv = jp_array(p, a, 0, 0)) != 0 || !a)
		goto out;
	n = json_object_array_length(a);
	if (n > 256) {
		rv = jp_fail(p, _("must have at most %d elements"), 256);
		goto out;
	}
	if (n && !(r->readings = calloc(n, sizeof(*r->readings)))) {
		rv = CORE_EINTERNAL;
		goto out;
	}
	for (size_t i = 0; i < n && rv == 0; i++) {
		json_object *o = json_object_array_get_idx(a, i);
		struct core_round_reading *g = &r->readings[i];
		size_t s2 = jp_index(p, i), s3;

		r->n_readings++;
		if ((rv = jp_object(p, o, 1)) != 0 ||
		    (rv = jp_keys(p, o, keys)) != 0 ||
		    (rv = jp_text(p, o, "issue", 1, 0, &g->issue)) != 0 ||
		    (rv = jp_code(p, o, "kind", 0, "", &g->kind)) != 0 ||
		    (rv = jp_code(p, o, "node", 0, "._-", &g->node)) != 0 ||
		    (rv = jp_text(p, o, "text", 1, 1, &g->text)) != 0 ||
		    (rv = jp_text(p, o, "reading", 1, 1, &g->reading)) != 0 ||
		    (rv = jp_text(p, o, "chosen_by", 0, 0, &g->chosen_by)) !=
		        0 ||
		    (rv = jp_text(p, o, "chosen_at", 0, 0, &g->chosen_at)) != 0)
			goto next;
		if (strlen(g->issue) > 15) {
			s3 = jp_key(p, "issue");
			rv = jp_fail(p, _("must be at most 15 bytes"));
			jp_pop(p, s3);
			goto next;
		}
		if (*g->kind) {
			size_t k;

			for (k = 0; kinds[k]; k++)
				if (strcmp(kinds[k], g->kind) == 0)
					break;
			if (!kinds[k]) {
				s3 = jp_key(p, "kind");
				rv =
				    jp_fail(p, _("must be \"parts\", "
				                 "\"breakdown\", \"itemised\", "
				                 "\"total\" or null"));
				jp_pop(p, s3);
				goto next;
			}
		}
		if (*g->node && node_index(r, g->node) < 0) {
			s3 = jp_key(p, "node");
			rv = jp_fail(p,
			             _("'%s' is not the code of a quota node"),
			             g->node);
			jp_pop(p, s3);
		}
	next:
		jp_pop(p, s2);
	}
out:
	jp_pop(p, s);
	return rv;
}

static int
parse_root(struct jp *p, json_object *root)
{
	static const char *const keys[] = {
	    "format",        "code",      "year",       "batch",
	    "title",         "source",    "target",     "receiver",
	    "deadlines",     "notices",   "age",        "title_rule",
	    "report_window", "exclusion", "conditions", "categories",
	    "quotas",        "materials", "readings",   NULL};
	struct core_round *r = p->r;
	char *format = NULL;
	int64_t year, batch, target;
	int rv;

	if ((rv = jp_object(p, root, 1)) != 0 ||
	    (rv = jp_keys(p, root, keys)) != 0 ||
	    (rv = jp_text(p, root, "format", 1, 0, &format)) != 0)
		goto out;
	if (strcmp(format, ROUND_FORMAT) != 0) {
		size_t s = jp_key(p, "format");

		rv = jp_fail(p, _("must be \"%s\""), ROUND_FORMAT);
		jp_pop(p, s);
		goto out;
	}
	if ((rv = jp_code(p, root, "code", 1, "-", &r->code)) != 0 ||
	    (rv = jp_int(p, root, "year", 1, 1949, 2200, 0, &year)) != 0 ||
	    (rv = jp_int(p, root, "batch", 1, 1, 1000, 0, &batch)) != 0 ||
	    (rv = jp_names(p, root, "title", &r->title_zh, &r->title_en)) !=
	        0 ||
	    (rv = jp_text(p, root, "source", 0, 1, &r->source)) != 0 ||
	    (rv = jp_int(p, root, "target", 1, 1, MAX_FIGURE, 0, &target)) !=
	        0 ||
	    (rv = jp_code(p, root, "receiver", 1, "._-", &r->receiver)) != 0 ||
	    (rv = parse_deadlines(p, root)) != 0 ||
	    (rv = parse_notices(p, root)) != 0 ||
	    (rv = parse_age(p, root)) != 0 ||
	    (rv = parse_title_rule(p, root)) != 0 ||
	    (rv = parse_window(p, root)) != 0 ||
	    (rv = parse_exclusion(p, root)) != 0 ||
	    (rv = parse_conditions(p, root)) != 0 ||
	    (rv = parse_categories(p, root)) != 0 ||
	    (rv = parse_quotas(p, root)) != 0 ||
	    (rv = parse_materials(p, root)) != 0 ||
	    (rv = parse_readings(p, root)) != 0)
		goto out;
	r->year = (int)year;
	r->batch = (int)batch;
	r->target = (int)target;
out:
	free(format);
	return rv;
}

int
core_round_parse(const char *json, size_t len, struct core_round **out,
                 char *err, size_t errlen)
{
	struct json_tokener *tok = NULL;
	json_object *root = NULL;
	struct core_round *r = NULL;
	struct jp p;
	const char *canon;
	uint8_t h[32];
	size_t end;
	int rv = CORE_EINTERNAL;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	memset(&p, 0, sizeof(p));
	snprintf(p.path, sizeof(p.path), "$");
	p.len = 1;
	p.err = err;
	p.errlen = errlen;
	if (!json || len == 0 || len > 1024 * 1024 || memchr(json, '\0', len)) {
		snprintf(err, errlen,
		         _("$: a round definition is 1 byte to "
		           "1 MiB of JSON text"));
		return CORE_EINVAL;
	}
	if (!(tok = json_tokener_new()) || !(r = calloc(1, sizeof(*r)))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	                                JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, json, (int)len);
	end = json_tokener_get_parse_end(tok);
	while (root && end < len && strchr(" \t\r\n", json[end]))
		end++; /* trailing white space is fine */
	if (!root || json_tokener_get_error(tok) != json_tokener_success ||
	    end != len) {
		enum json_tokener_error e = json_tokener_get_error(tok);

		snprintf(err, errlen, _("$: not valid JSON at byte %zu: %s"),
		         end,
		         e == json_tokener_success
		             ? _("text after the end of the definition")
		             : json_tokener_error_desc(e));
		rv = CORE_EINVAL;
		goto out;
	}
	p.r = r;
	if ((rv = parse_root(&p, root)) != 0) {
		if (p.oom || rv == CORE_EINTERNAL) {
			snprintf(err, errlen, "out of memory");
			rv = CORE_EINTERNAL;
		}
		goto out;
	}
	canon = json_object_to_json_string_ext(
	    root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!canon || !(r->json = strdup(canon))) {
		snprintf(err, errlen, "out of memory");
		rv = CORE_EINTERNAL;
		goto out;
	}
	crypto_hash_sha256(h, (const unsigned char *)r->json, strlen(r->json));
	sodium_bin2hex(r->sha256_hex, sizeof(r->sha256_hex), h, sizeof(h));
	*out = r;
	r = NULL; /* transferred */
	rv = 0;
out:
	core_round_free(r);
	json_object_put(root);
	if (tok)
		json_tokener_free(tok);
	return rv;
}

void
core_round_free(struct core_round *r)
{
	if (!r)
		return;
	free(r->code);
	free(r->title_zh);
	free(r->title_en);
	free(r->source);
	free(r->receiver);
	free(r->deadline);
	free(r->deadline_county);
	free(r->deadline_department);
	free(r->deadline_reading);
	free(r->age_reading);
	free(r->title_reading);
	for (size_t i = 0; i < r->n_conditions; i++) {
		free(r->conditions[i].zh);
		free(r->conditions[i].en);
		free(r->conditions[i].note);
	}
	free(r->conditions);
	for (size_t i = 0; i < r->n_categories; i++) {
		free(r->categories[i].key);
		free(r->categories[i].name_zh);
		free(r->categories[i].name_en);
		free(r->categories[i].text);
	}
	free(r->categories);
	for (size_t i = 0; i < r->n_nodes; i++) {
		struct core_quota_node *q = &r->nodes[i];

		free(q->code);
		free(q->path);
		free(q->category);
		free(q->name_zh);
		free(q->name_en);
		free(q->channel);
		for (size_t j = 0; j < q->n_holders; j++)
			free(q->holders[j]);
		free(q->holders);
		free(q->text);
		free(q->note);
	}
	free(r->nodes);
	for (size_t i = 0; i < r->n_materials; i++) {
		free(r->materials[i].key);
		free(r->materials[i].name_zh);
		free(r->materials[i].name_en);
		free(r->materials[i].note);
	}
	free(r->materials);
	for (size_t i = 0; i < r->n_notices; i++) {
		free(r->notices[i].tier);
		free(r->notices[i].day_type);
		free(r->notices[i].text);
		free(r->notices[i].reading);
	}
	free(r->notices);
	for (size_t i = 0; i < r->n_readings; i++) {
		struct core_round_reading *g = &r->readings[i];

		free(g->issue);
		free(g->kind);
		free(g->node);
		free(g->text);
		free(g->reading);
		free(g->chosen_by);
		free(g->chosen_at);
	}
	free(r->readings);
	free(r->json);
	free(r);
}

const struct core_round_category *
core_round_category_find(const struct core_round *r, const char *key_or_name)
{
	if (!r || !key_or_name)
		return NULL;
	for (size_t i = 0; i < r->n_categories; i++)
		if (strcmp(r->categories[i].key, key_or_name) == 0 ||
		    strcmp(r->categories[i].name_zh, key_or_name) == 0)
			return &r->categories[i];
	return NULL;
}

static const struct {
	const char *name;
	enum core_title_level level;
} title_levels[] = {
    {"正高级", CORE_TITLE_FULL}, {"正高", CORE_TITLE_FULL},
    {"full", CORE_TITLE_FULL},   {"副高级", CORE_TITLE_DEPUTY},
    {"副高", CORE_TITLE_DEPUTY}, {"deputy", CORE_TITLE_DEPUTY},
    {"中级", CORE_TITLE_MIDDLE}, {"middle", CORE_TITLE_MIDDLE},
    {"初级", CORE_TITLE_JUNIOR}, {"junior", CORE_TITLE_JUNIOR},
    {"无", CORE_TITLE_NONE},     {"none", CORE_TITLE_NONE},
};

int
core_title_level_parse(const char *s, enum core_title_level *out)
{
	for (size_t i = 0;
	     s && i < sizeof(title_levels) / sizeof(title_levels[0]); i++) {
		if (strcmp(s, title_levels[i].name) == 0) {
			*out = title_levels[i].level;
			return 0;
		}
	}
	return CORE_EINVAL;
}

const char *
core_title_level_name(enum core_title_level l)
{
	switch (l) {
	case CORE_TITLE_FULL:
		return "正高级";
	case CORE_TITLE_DEPUTY:
		return "副高级";
	case CORE_TITLE_MIDDLE:
		return "中级";
	case CORE_TITLE_JUNIOR:
		return "初级";
	case CORE_TITLE_NONE:
		return "无";
	}
	return NULL;
}

/* ---- the notice's arithmetic ---- */

/* Does every child that is not uncapped carry a figure (and is there
 * one)?  Then the node has a breakdown to compare with its own figure. */
static int
has_breakdown(const struct core_round *r, size_t i, int *shared)
{
	int capped = 0;

	*shared = 0;
	for (size_t j = i + 1;
	     j < r->n_nodes && r->nodes[j].depth > r->nodes[i].depth; j++) {
		const struct core_quota_node *ch = &r->nodes[j];

		if (ch->parent != (int)i || ch->uncapped)
			continue;
		if (ch->limit >= 0)
			capped = 1;
		else
			*shared = 1;
	}
	return capped;
}

/* The figure a node's leaves add up to (its own where it has none). */
static int64_t
itemised(const struct core_round *r, size_t i)
{
	int shared;
	int64_t sum = 0;

	if (!has_breakdown(r, i, &shared) || shared)
		return r->nodes[i].limit;
	for (size_t j = i + 1;
	     j < r->n_nodes && r->nodes[j].depth > r->nodes[i].depth; j++)
		if (r->nodes[j].parent == (int)i && !r->nodes[j].uncapped)
			sum += itemised(r, j);
	return sum;
}

/* Sum of the children's stated figures, and "name 20 + name 20 ..." */
static int64_t
children_sum(const struct core_round *r, size_t i, int use_itemised, char *list,
             size_t listsz)
{
	int64_t sum = 0;
	size_t len = 0;

	list[0] = '\0';
	for (size_t j = i + 1;
	     j < r->n_nodes && r->nodes[j].depth > r->nodes[i].depth; j++) {
		const struct core_quota_node *ch = &r->nodes[j];
		int64_t v;
		int n;

		if (ch->parent != (int)i || ch->uncapped || ch->limit < 0)
			continue;
		v = use_itemised ? itemised(r, j) : ch->limit;
		sum += v;
		n = snprintf(list + len, listsz - len, "%s%s %lld",
		             len ? " + " : "", ch->name_zh, (long long)v);
		if (n > 0 && (size_t)n < listsz - len)
			len += (size_t)n;
	}
	return sum;
}

static void
label(const struct core_round *r, struct core_round_finding *f)
{
	for (size_t i = 0; i < r->n_readings; i++) {
		const struct core_round_reading *g = &r->readings[i];

		if (!*g->kind && !*g->node)
			continue;
		if ((*g->kind && strcmp(g->kind, f->kind) != 0) ||
		    (*g->node && strcmp(g->node, f->node) != 0))
			continue;
		snprintf(f->issue, sizeof(f->issue), "%s", g->issue);
		return;
	}
}

struct findings {
	struct core_round_finding *v;
	size_t n, cap;
};

static struct core_round_finding *
finding_add(struct findings *fs, const struct core_round *r, const char *kind,
            const char *node, int64_t stated, int64_t sum)
{
	struct core_round_finding *f;

	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 8;
		struct core_round_finding *v = realloc(fs->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		fs->v = v;
		fs->cap = cap;
	}
	f = &fs->v[fs->n++];
	memset(f, 0, sizeof(*f));
	snprintf(f->kind, sizeof(f->kind), "%s", kind);
	snprintf(f->node, sizeof(f->node), "%s", node);
	f->stated = stated;
	f->sum = sum;
	label(r, f);
	return f;
}

int
core_round_check(const struct core_round *r, struct core_round_finding **out,
                 size_t *n_out)
{
	struct findings fs = {0};
	struct core_round_finding *f;
	char list[512], list2[512], parts[512];
	int64_t headline = 0, item = 0, onelevel = 0, reserved = 0;
	size_t n_parts = 0, n_uncapped = 0, n_unstated = 0, plen = 0;
	int shared;

	*out = NULL;
	*n_out = 0;
	parts[0] = '\0';
	for (size_t i = 0; i < r->n_nodes; i++) {
		const struct core_quota_node *q = &r->nodes[i];

		if (q->uncapped)
			n_uncapped++;
		if (q->depth == 0) {
			int nn = snprintf(parts + plen, sizeof(parts) - plen,
			                  "%s%s", plen ? ", " : "", q->name_zh);

			if (nn > 0 && (size_t)nn < sizeof(parts) - plen)
				plen += (size_t)nn;
			n_parts++;
			if (q->limit >= 0) {
				int64_t one = q->limit;

				if (has_breakdown(r, i, &shared) && !shared)
					one = children_sum(r, i, 0, list,
					                   sizeof(list));
				headline += q->limit;
				item += itemised(r, i);
				onelevel += one;
			}
			if (q->reserved < 0)
				n_unstated++;
			else if (q->reserved > 0 && q->limit > 0)
				reserved += q->limit;
		}
	}
	if (r->stated_parts > 0 && (size_t)r->stated_parts != n_parts) {
		if (!(f = finding_add(&fs, r, "parts", "", r->stated_parts,
		                      (int64_t)n_parts)))
			goto oom;
		snprintf(f->message, sizeof(f->message),
		         _("quotas: the notice states %d parts, %zu are listed "
		           "(%s)"),
		         r->stated_parts, n_parts, parts);
	}
	for (size_t i = 0; i < r->n_nodes; i++) {
		const struct core_quota_node *q = &r->nodes[i];
		int64_t sum, isum;

		if (q->limit < 0 || !has_breakdown(r, i, &shared))
			continue;
		sum = children_sum(r, i, 0, list, sizeof(list));
		if (shared) {
			if (sum <= q->limit)
				continue;
			if (!(f = finding_add(&fs, r, "breakdown", q->code,
			                      q->limit, sum)))
				goto oom;
			snprintf(f->message, sizeof(f->message),
			         _("%s (%s): stated %lld, the sub-quotas of "
			           "its shared pool add up to %lld (%s)"),
			         q->code, q->name_zh, (long long)q->limit,
			         (long long)sum, list);
			continue;
		}
		if (sum != q->limit) {
			if (!(f = finding_add(&fs, r, "breakdown", q->code,
			                      q->limit, sum)))
				goto oom;
			snprintf(f->message, sizeof(f->message),
			         _("%s (%s): stated %lld, its parts add up to "
			           "%lld (%s)"),
			         q->code, q->name_zh, (long long)q->limit,
			         (long long)sum, list);
		}
		isum = children_sum(r, i, 1, list2, sizeof(list2));
		if (isum != sum && isum != q->limit) {
			if (!(f = finding_add(&fs, r, "itemised", q->code,
			                      q->limit, isum)))
				goto oom;
			snprintf(f->message, sizeof(f->message),
			         _("%s (%s): stated %lld, its itemised "
			           "breakdown adds up to %lld (%s)"),
			         q->code, q->name_zh, (long long)q->limit,
			         (long long)isum, list2);
		}
	}
	if (headline != item || headline != onelevel ||
	    (n_uncapped == 0 && (item < r->target || onelevel < r->target)) ||
	    reserved > r->target) {
		char res[160];

		if (n_unstated)
			snprintf(res, sizeof(res),
			         _("not stated for %zu of %zu parts (read as "
			           "recommendation slots only)"),
			         n_unstated, n_parts);
		else
			snprintf(res, sizeof(res), "%lld", (long long)reserved);
		if (!(f = finding_add(&fs, r, "total", "", r->target,
		                      headline)))
			goto oom;
		snprintf(f->message, sizeof(f->message),
		         _("round: target %d seats; the quotas add up to %lld "
		           "as stated, %lld itemised, %lld by the stated "
		           "sub-totals (%.2f, %.2f, %.2f per seat), plus %zu "
		           "uncapped paths; reserved seats: %s"),
		         r->target, (long long)headline, (long long)item,
		         (long long)onelevel, (double)headline / r->target,
		         (double)item / r->target, (double)onelevel / r->target,
		         n_uncapped, res);
	}
	*out = fs.v;
	*n_out = fs.n;
	return 0;
oom:
	free(fs.v);
	return CORE_EINTERNAL;
}

/* ---- storage ---- */

static int
exec1(struct core *c, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : core_err_sql(c, rc);
}

static int
unit_exists(struct core *c, const char *code)
{
	sqlite3_stmt *st = NULL;
	int found = 0;

	if (db_prepare(c, &st, "SELECT 1 FROM unit WHERE code = ?1") == 0) {
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return found;
}

static int
check_units(struct core *c, const struct core_round *r)
{
	if (!unit_exists(c, r->receiver))
		return core_err(c, CORE_EINVAL, "round",
		                _("$.receiver: no unit with code '%s' (see "
		                  "`nomdesk unit list`)"),
		                r->receiver);
	for (size_t i = 0; i < r->n_nodes; i++)
		for (size_t j = 0; j < r->nodes[i].n_holders; j++)
			if (!unit_exists(c, r->nodes[i].holders[j]))
				return core_err(
				    c, CORE_EINVAL, "round",
				    _("%s.holders[%zu]: no unit with code "
				      "'%s' (see `nomdesk unit list`)"),
				    r->nodes[i].path, j,
				    r->nodes[i].holders[j]);
	return 0;
}

static int
store_round_row(struct core *c, const struct core_round *r, int64_t *id)
{
	sqlite3_stmt *st = NULL;
	int r2, rc;

	*id = 0;
	if ((r2 = db_prepare(c, &st,
	                     "SELECT id, config IS NOT NULL, "
	                     "COALESCE(config_sha256, '') FROM round "
	                     "WHERE code = ?1")) != 0)
		return r2;
	sqlite3_bind_text(st, 1, r->code, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		if (sqlite3_column_int(st, 1)) {
			r2 = core_err(c, CORE_EEXIST, "round",
			              _("round '%s' is already loaded (sha256 "
			                "%.16s...); a loaded round never "
			                "changes: a new reading is a new round "
			                "file with a new code"),
			              r->code, db_text(st, 2));
			sqlite3_finalize(st);
			return r2;
		}
	}
	sqlite3_finalize(st);
	if (*id == 0) {
		if ((r2 = db_prepare(c, &st,
		                     "INSERT INTO round (code, year, batch, "
		                     "title, target, deadline) VALUES "
		                     "(?1, 0, 0, '', 0, '')")) != 0)
			return r2;
		sqlite3_bind_text(st, 1, r->code, -1, SQLITE_STATIC);
		if ((r2 = exec1(c, st)) != 0)
			return r2;
		*id = sqlite3_last_insert_rowid(c->db);
	}
	if ((r2 = db_prepare(
	         c, &st,
	         "UPDATE round SET year = ?2, batch = ?3, title = ?4, "
	         "target = ?5, deadline = ?6, config = ?7, "
	         "config_sha256 = ?8, title_en = ?9, age_limit = ?10, "
	         "age_inclusive = ?11, age_ref_date = ?12, "
	         "title_min_level = ?13, title_counts = ?14, "
	         "window_years = ?15, window_ref_date = ?16, "
	         "receiver = ?17 WHERE id = ?1")) != 0)
		return r2;
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_int(st, 2, r->year);
	sqlite3_bind_int(st, 3, r->batch);
	sqlite3_bind_text(st, 4, r->title_zh, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, r->target);
	sqlite3_bind_text(st, 6, r->deadline, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->json, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, r->sha256_hex, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, r->title_en, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 10, r->age_limit);
	sqlite3_bind_int(st, 11, r->age_inclusive);
	sqlite3_bind_text(st, 12, r->age_ref_date, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, core_title_level_name(r->title_min), -1,
	                  SQLITE_STATIC);
	sqlite3_bind_text(st, 14,
	                  r->title_counts == CORE_TITLE_COUNTS_APPOINTMENT
	                      ? "appointment"
	                  : r->title_counts == CORE_TITLE_COUNTS_QUALIFICATION
	                      ? "qualification"
	                      : "either",
	                  -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 15, r->window_years);
	sqlite3_bind_text(st, 16, r->window_ref_date, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 17, r->receiver, -1, SQLITE_STATIC);
	return exec1(c, st);
}

static void
relax_words(unsigned relax, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s%s%s", relax & CORE_RELAX_TITLE ? "title " : "",
	         relax & CORE_RELAX_AGE ? "age " : "",
	         relax & CORE_RELAX_CONDITIONS ? "conditions " : "");
	if (*out)
		out[strlen(out) - 1] = '\0';
}

static int
store_tables(struct core *c, const struct core_round *r, int64_t id)
{
	sqlite3_stmt *st = NULL;
	char relax[64];
	int rv;

	for (size_t i = 0; i < r->n_categories; i++) {
		const struct core_round_category *k = &r->categories[i];

		if ((rv =
		         db_prepare(c, &st,
		                    "INSERT INTO round_category (round_id, "
		                    "key, ord, name_zh, name_en, relax) VALUES "
		                    "(?1, ?2, ?3, ?4, ?5, ?6)")) != 0)
			return rv;
		relax_words(k->relax, relax, sizeof(relax));
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, k->key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
		sqlite3_bind_text(st, 4, k->name_zh, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, k->name_en, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, relax, -1, SQLITE_STATIC);
		if ((rv = exec1(c, st)) != 0)
			return rv;
	}
	for (size_t i = 0; i < r->n_conditions; i++) {
		const struct core_round_condition *cd = &r->conditions[i];

		if ((rv = db_prepare(c, &st,
		                     "INSERT INTO round_condition (round_id, "
		                     "no, text_zh, text_en, evidence) VALUES "
		                     "(?1, ?2, ?3, ?4, ?5)")) != 0)
			return rv;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, cd->no);
		sqlite3_bind_text(st, 3, cd->zh, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, cd->en, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5,
		                  cd->evidence == CORE_EVIDENCE_DOCUMENTARY
		                      ? "documentary"
		                      : "judgement",
		                  -1, SQLITE_STATIC);
		if ((rv = exec1(c, st)) != 0)
			return rv;
	}
	for (size_t i = 0; i < r->n_notices; i++) {
		const struct core_round_notice *n = &r->notices[i];

		if ((rv = db_prepare(c, &st,
		                     "INSERT INTO round_notice (round_id, "
		                     "tier, days, day_type) VALUES "
		                     "(?1, ?2, ?3, ?4)")) != 0)
			return rv;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, n->tier, -1, SQLITE_STATIC);
		if (n->days >= 0)
			sqlite3_bind_int(st, 3, n->days);
		sqlite3_bind_text(st, 4, n->day_type, -1, SQLITE_STATIC);
		if ((rv = exec1(c, st)) != 0)
			return rv;
	}
	for (size_t i = 0; i < r->n_materials; i++) {
		const struct core_round_material *m = &r->materials[i];

		if ((rv = db_prepare(c, &st,
		                     "INSERT INTO round_material (round_id, "
		                     "key, ord, name_zh, name_en, copies, "
		                     "electronic, originals, required) VALUES "
		                     "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")) !=
		    0)
			return rv;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, m->key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
		sqlite3_bind_text(st, 4, m->name_zh, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, m->name_en, -1, SQLITE_STATIC);
		if (m->copies >= 0)
			sqlite3_bind_int(st, 6, m->copies);
		sqlite3_bind_int(st, 7, m->electronic);
		sqlite3_bind_int(st, 8, m->originals);
		sqlite3_bind_int(st, 9, m->required);
		if ((rv = exec1(c, st)) != 0)
			return rv;
	}
	for (size_t i = 0; i < r->n_nodes; i++) {
		const struct core_quota_node *q = &r->nodes[i];

		if ((rv = db_prepare(
		         c, &st,
		         "INSERT INTO quota_node (round_id, code, parent, "
		         "ord, category, name_zh, name_en, qlimit, "
		         "uncapped, reserved, enforce, justification, "
		         "any_holder, channel) VALUES (?1, ?2, ?3, ?4, "
		         "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)")) != 0)
			return rv;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, q->code, -1, SQLITE_STATIC);
		if (q->parent >= 0)
			sqlite3_bind_text(st, 3, r->nodes[q->parent].code, -1,
			                  SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)i);
		sqlite3_bind_text(st, 5, q->category, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, q->name_zh, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, q->name_en, -1, SQLITE_STATIC);
		if (q->limit >= 0)
			sqlite3_bind_int64(st, 8, q->limit);
		sqlite3_bind_int(st, 9, q->uncapped);
		if (q->reserved >= 0)
			sqlite3_bind_int(st, 10, q->reserved);
		sqlite3_bind_int(st, 11, q->enforce);
		sqlite3_bind_int(st, 12, q->justification);
		sqlite3_bind_int(st, 13, q->any_holder);
		sqlite3_bind_text(st, 14, q->channel, -1, SQLITE_STATIC);
		if ((rv = exec1(c, st)) != 0)
			return rv;
		for (size_t j = 0; j < q->n_holders; j++) {
			if ((rv = db_prepare(c, &st,
			                     "INSERT INTO quota_holder "
			                     "(round_id, node, unit) VALUES "
			                     "(?1, ?2, ?3)")) != 0)
				return rv;
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_text(st, 2, q->code, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, q->holders[j], -1,
			                  SQLITE_STATIC);
			if ((rv = exec1(c, st)) != 0)
				return rv;
		}
	}
	return 0;
}

int
core_round_load(struct core *c, const char *json, size_t len, int make_current,
                struct core_receipt *rc)
{
	struct core_round *r = NULL;
	struct audit_act a;
	char err[512], subj[80], reason[256];
	uint8_t digest[32];
	sqlite3_stmt *st = NULL;
	int64_t id;
	uint64_t seq = 0;
	int rv;

	core_err_clear(c);
	if ((rv = authz_admin(c)) != 0)
		return core_err(c, rv, NULL,
		                _("only an administrator may load a round"));
	if ((rv = core_round_parse(json, len, &r, err, sizeof(err))) != 0)
		return core_err(c, rv, "round", "%s", err);
	if ((rv = check_units(c, r)) != 0)
		goto out;
	if ((rv = tx_begin(c)) != 0)
		goto out;
	if ((rv = store_round_row(c, r, &id)) != 0 ||
	    (rv = store_tables(c, r, id)) != 0)
		goto fail;
	if (make_current || db_current_round(c) == 0) {
		if ((rv = db_prepare(
		         c, &st, "UPDATE round SET current = (id = ?1)")) != 0)
			goto fail;
		sqlite3_bind_int64(st, 1, id);
		if ((rv = exec1(c, st)) != 0)
			goto fail;
	}
	sodium_hex2bin(digest, sizeof(digest), r->sha256_hex, 64, NULL, NULL,
	               NULL);
	snprintf(subj, sizeof(subj), "round:%s", r->code);
	snprintf(reason, sizeof(reason), "round loaded: %s sha256 %s%s",
	         r->code, r->sha256_hex, make_current ? " (current)" : "");
	memset(&a, 0, sizeof(a));
	a.act = ACT_ADMIN;
	a.subject = subj;
	a.version = 1;
	a.digest = digest;
	a.reason = reason;
	if ((rv = audit_append(c, &a, &seq)) != 0)
		goto fail;
	if ((rv = db_prepare(c, &st,
	                     "UPDATE round SET seq = ?1 WHERE id = ?2")) != 0)
		goto fail;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	sqlite3_bind_int64(st, 2, id);
	if ((rv = exec1(c, st)) != 0)
		goto fail;
	if ((rv = tx_commit(c, rc)) != 0)
		goto out;
	if (rc)
		rc->seq = seq;
	rv = 0;
	goto out;
fail:
	tx_rollback(c);
out:
	core_round_free(r);
	return rv;
}

const char *
core_round_builtin(const char *code, size_t *len)
{
	for (size_t i = 0; i < round_n_builtins; i++) {
		if (code && strcmp(round_builtins[i].code, code) == 0) {
			if (len)
				*len = round_builtins[i].len;
			return round_builtins[i].json;
		}
	}
	return NULL;
}

int
core_round_load_builtin(struct core *c, const char *code, int make_current,
                        struct core_receipt *rc)
{
	size_t len = 0;
	const char *json = core_round_builtin(code, &len);

	core_err_clear(c);
	if (!json)
		return core_err(c, CORE_ENOENT, "round",
		                _("no built-in round '%s'"), code ? code : "");
	return core_round_load(c, json, len, make_current, rc);
}

int
round_load_reference(struct core *c)
{
	sqlite3_stmt *st = NULL;
	char code[CORE_CODE_SIZE] = "";
	int rv;

	if ((rv = db_prepare(c, &st,
	                     "SELECT code FROM round WHERE current = 1 AND "
	                     "config IS NULL")) != 0)
		return rv;
	if (sqlite3_step(st) == SQLITE_ROW)
		db_copy(code, sizeof(code), st, 0);
	sqlite3_finalize(st);
	if (code[0] == '\0')
		return 0; /* no reference round waiting for its definition */
	return core_round_load_builtin(c, code, 1, NULL);
}

int
core_round_get(struct core *c, const char *code, struct core_round **out)
{
	sqlite3_stmt *st = NULL;
	char err[512], name[CORE_CODE_SIZE] = "";
	int rv, rc, has = 0;

	*out = NULL;
	core_err_clear(c);
	if ((rv = db_prepare(c, &st,
	                     code ? "SELECT code, config, config_sha256 FROM "
	                            "round WHERE code = ?1"
	                          : "SELECT code, config, config_sha256 FROM "
	                            "round WHERE current = 1")) != 0)
		return rv;
	if (code)
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		db_copy(name, sizeof(name), st, 0);
		has = sqlite3_column_type(st, 1) != SQLITE_NULL;
	} else if (rc != SQLITE_DONE) {
		rv = core_err_sql(c, rc);
		sqlite3_finalize(st);
		return rv;
	}
	if (!name[0]) {
		rv = code ? core_err(c, CORE_ENOENT, "round",
		                     _("no round '%s'"), code)
		          : core_err(c, CORE_ENOENT, "round",
		                     _("no round is current"));
	} else if (!has) {
		rv = core_err(c, CORE_ENOENT, "round",
		              _("round '%s' has no definition loaded (see "
		                "`nomdesk round load`)"),
		              name);
	} else {
		const char *json = db_text(st, 1);

		rv =
		    core_round_parse(json, strlen(json), out, err, sizeof(err));
		if (rv == CORE_EINVAL ||
		    (rv == 0 && strcmp((*out)->sha256_hex, db_text(st, 2)))) {
			core_round_free(*out);
			*out = NULL;
			rv = core_err(c, CORE_ECORRUPT, "round",
			              _("the stored definition of round '%s' "
			                "fails its check"),
			              name);
		} else if (rv != 0) {
			rv = core_err(c, rv, NULL, "out of memory");
		}
	}
	sqlite3_finalize(st);
	return rv;
}
