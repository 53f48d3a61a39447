/*
 * round_jp: JSON primitives of the round reader that keep the path of the
 * value being read, so every refusal names where and which rule: unknown
 * keys, types, lengths, codes, integer ranges, dates, bilingual names.
 */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core_int.h"
#include "core/i18n.h"
#include "core/round_int.h"
#include "core/utf8.h"

int
jp_instant(const char *s, int64_t *ms, char date[11])
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 1;
	struct tm tm = {0};
	char dpart[11];

	if (!s || strlen(s) < 20 || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':') {
		return -1;
	}
	memcpy(dpart, s, 10);
	dpart[10] = '\0';
	if (round_date_parse(dpart, &y, &mo, &d) != 0 || strlen(dpart) != 10) {
		return -1;
	}
	if (strspn(s + 11, "0123456789") != 2 ||
	    strspn(s + 14, "0123456789") != 2 ||
	    strspn(s + 17, "0123456789") != 2) {
		return -1;
	}
	h = atoi(s + 11);
	mi = atoi(s + 14);
	sec = atoi(s + 17);
	if (h > 23 || mi > 59 || sec > 59) {
		return -1;
	}
	if (strcmp(s + 19, "Z") == 0) {
		oh = om = 0;
	} else if (strlen(s + 19) == 6 && (s[19] == '+' || s[19] == '-') &&
	           s[22] == ':' && strspn(s + 20, "0123456789") == 2 &&
	           strspn(s + 23, "0123456789") == 2) {
		sign = s[19] == '+' ? 1 : -1;
		oh = atoi(s + 20);
		om = atoi(s + 23);
		if (oh > 14 || om > 59) {
			return -1;
		}
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

size_t
jp_key(struct jp *p, const char *key)
{
	size_t saved = p->len;
	int n =
	    snprintf(p->path + p->len, sizeof(p->path) - p->len, ".%s", key);

	if (n > 0 && (size_t)n < sizeof(p->path) - p->len) {
		p->len += (size_t)n;
	}
	return saved;
}

size_t
jp_index(struct jp *p, size_t i)
{
	size_t saved = p->len;
	int n =
	    snprintf(p->path + p->len, sizeof(p->path) - p->len, "[%zu]", i);

	if (n > 0 && (size_t)n < sizeof(p->path) - p->len) {
		p->len += (size_t)n;
	}
	return saved;
}

void
jp_pop(struct jp *p, size_t saved)
{
	p->len = saved;
	p->path[saved] = '\0';
}


/* "<path>: <rule>" into the caller's buffer; returns CORE_EINVAL. */
int
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
char *
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
int
jp_keys(struct jp *p, json_object *o, const char *const *allowed)
{
	json_object_object_foreach(o, key, val)
	{
		size_t i;

		(void)val;
		for (i = 0; allowed[i]; i++) {
			if (strcmp(allowed[i], key) == 0) {
				break;
			}
		}
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
json_object *
jp_get(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v)) {
		return NULL;
	}
	return v;
}

int
jp_object(struct jp *p, json_object *v, int required)
{
	if (!v) {
		return required ? jp_fail(p, _("is required")) : 0;
	}
	if (!json_object_is_type(v, json_type_object)) {
		return jp_fail(p, _("must be an object"));
	}
	return 0;
}

int
jp_array(struct jp *p, json_object *v, int required, size_t min)
{
	if (!v) {
		return required ? jp_fail(p, _("is required")) : 0;
	}
	if (!json_object_is_type(v, json_type_array)) {
		return jp_fail(p, _("must be an array"));
	}
	if (json_object_array_length(v) < min) {
		return jp_fail(p, _("must have at least %zu elements"), min);
	}
	return 0;
}

/*
 * A text member: absent or null is "" unless required; otherwise a
 * string of valid, NFC, control-free UTF-8 (LF allowed when multiline).
 */
int
jp_text(struct jp *p, json_object *o, const char *key, int required,
        int multiline, char **out)
{
	json_object *v = jp_get(o, key);
	size_t s = jp_key(p, key);
	const char *t;
	char why[160];
	int r = 0;

	if (!v) {
		if (required) {
			r = jp_fail(p, _("is required"));
		} else if (!(*out = jp_dup(p, ""))) {
			r = CORE_EINTERNAL;
		}
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
	if (!(*out = jp_dup(p, t))) {
		r = CORE_EINTERNAL;
	}
out:
	jp_pop(p, s);
	return r;
}

/* A code: 1-63 bytes of a-z 0-9 and the punctuation in extra. */
int
jp_is_code(const char *s, const char *extra)
{
	size_t n = strlen(s);

	if (n == 0 || n > 63) {
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      (i > 0 && strchr(extra, ch)))) {
			return 0;
		}
	}
	return 1;
}

int
jp_code(struct jp *p, json_object *o, const char *key, int required,
        const char *extra, char **out)
{
	int r = jp_text(p, o, key, required, 0, out);
	size_t s;

	if (r != 0 || **out == '\0') {
		return r;
	}
	if (!jp_is_code(*out, extra)) {
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
int
jp_int(struct jp *p, json_object *o, const char *key, int required, int64_t min,
       int64_t max, int64_t dflt, int64_t *out)
{
	json_object *v = jp_get(o, key);
	size_t s = jp_key(p, key);
	int r = 0;

	*out = dflt;
	if (!v) {
		if (required) {
			r = jp_fail(p, _("is required"));
		}
	} else if (!json_object_is_type(v, json_type_int)) {
		r = jp_fail(p, _("must be an integer"));
	} else {
		int64_t x = json_object_get_int64(v);

		if (x < min || x > max) {
			r = jp_fail(p,
			            _("must be an integer from %lld to %lld"),
			            (long long)min, (long long)max);
		} else {
			*out = x;
		}
	}
	jp_pop(p, s);
	return r;
}

/*
 * A boolean; absent gives dflt.  JSON null is refused unless null_ok,
 * when it gives -1 ("not stated").
 */
int
jp_bool(struct jp *p, json_object *o, const char *key, int dflt, int null_ok,
        int *out)
{
	json_object *v = NULL;
	size_t s;
	int r = 0;

	*out = dflt;
	if (!json_object_object_get_ex(o, key, &v)) {
		return 0;
	}
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
int
jp_date(struct jp *p, json_object *o, const char *key, char out[11])
{
	char *t = NULL;
	int y, m, d, r;
	size_t s;

	out[0] = '\0';
	if ((r = jp_text(p, o, key, 0, 0, &t)) != 0) {
		return r;
	}
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
int
jp_names(struct jp *p, json_object *o, const char *key, char **zh, char **en)
{
	static const char *const keys[] = {"zh", "en", NULL};
	json_object *v = jp_get(o, key);
	size_t s = jp_key(p, key);
	int r;

	if ((r = jp_object(p, v, 1)) == 0 && (r = jp_keys(p, v, keys)) == 0 &&
	    (r = jp_text(p, v, "zh", 1, 0, zh)) == 0) {
		r = jp_text(p, v, "en", 1, 0, en);
	}
	jp_pop(p, s);
	return r;
}

int
jp_list(struct jp *p, json_object *a, int required, size_t min, size_t max,
        size_t size, void **out, size_t *n)
{
	int rv;

	*out = NULL;
	*n = 0;
	if ((rv = jp_array(p, a, required, min)) != 0 || !a) {
		return rv;
	}
	*n = json_object_array_length(a);
	if (*n > max) {
		return jp_fail(p, _("must have at most %d elements"), (int)max);
	}
	if (*n && !(*out = calloc(*n, size))) {
		return CORE_EINTERNAL;
	}
	return 0;
}
