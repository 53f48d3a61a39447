/*
 * round_int: the round reader's parts shared by round_json.c (sections),
 * round_quota.c (the quota tree) and round_jp.c (the path-keeping JSON
 * primitives).  Only the round reader includes this.
 */
#ifndef NOMDESK_ROUND_INT_H
#define NOMDESK_ROUND_INT_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_TEXT 4000 /* bytes of one text field */
#define MAX_NODES 1024
#define MAX_DEPTH 8
#define MAX_FIGURE 1000000

/* The walk: the JSON path so far (what a refusal names), the error
 * buffer, the round being filled. */
struct jp {
	char path[512];
	size_t len;
	char *err;
	size_t errlen;
	struct core_round *r;
	int oom;
};

/* Push a key or index onto the path; jp_pop returns to the saved length. */
size_t
jp_key(struct jp *p, const char *key);
size_t
jp_index(struct jp *p, size_t i);
void
jp_pop(struct jp *p, size_t saved);
int
jp_fail(struct jp *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *
jp_dup(struct jp *p, const char *s);
int
jp_keys(struct jp *p, json_object *o, const char *const *allowed);
json_object *
jp_get(json_object *o, const char *key);
int
jp_object(struct jp *p, json_object *v, int required);
int
jp_array(struct jp *p, json_object *v, int required, size_t min);
int
jp_text(struct jp *p, json_object *o, const char *key, int required,
        int multiline, char **out);
int
jp_is_code(const char *s, const char *extra);
int
jp_code(struct jp *p, json_object *o, const char *key, int required,
        const char *extra, char **out);
int
jp_int(struct jp *p, json_object *o, const char *key, int required, int64_t min,
       int64_t max, int64_t dflt, int64_t *out);
int
jp_bool(struct jp *p, json_object *o, const char *key, int dflt, int null_ok,
        int *out);
int
jp_date(struct jp *p, json_object *o, const char *key, char out[11]);
int
jp_names(struct jp *p, json_object *o, const char *key, char **zh, char **en);
int
jp_instant(const char *s, int64_t *ms, char date[11]);
int
round_parse_quotas(struct jp *p, json_object *root);
/*
 * An array of min..max elements at the current path (absent is fine
 * unless required), allocated as *n zeroed elements of size bytes each
 * into *out (NULL when empty): the start of every list section.
 */
int
jp_list(struct jp *p, json_object *a, int required, size_t min, size_t max,
        size_t size, void **out, size_t *n);

#endif
