/*
 * Option arrays (cli/opt.h): one parser and one usage printer for every
 * command.  Invariant: an option the arrays do not name never reaches a
 * command, and every refusal names the option it is about.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/opt.h"

static const struct opt *
find_long(const struct opt_group *g, const char *name, size_t len,
	  void **base)
{
	const struct opt *o;

	for (; g->opts; g++) {
		for (o = g->opts; o->name; o++) {
			if (o->kind != OPT_KIND_OTHER &&
			    strlen(o->name) == len &&
			    strncmp(o->name, name, len) == 0) {
				*base = g->base;
				return o;
			}
		}
	}
	return NULL;
}

static const struct opt *
find_short(const struct opt_group *g, char ch, void **base)
{
	const struct opt *o;

	for (; g->opts; g++) {
		for (o = g->opts; o->name; o++) {
			if (o->short_name && o->short_name == ch) {
				*base = g->base;
				return o;
			}
		}
	}
	return NULL;
}

/* The entry that takes the long options no other entry names. */
static const struct opt *
find_other(const struct opt_group *g, void **base)
{
	const struct opt *o;

	for (; g->opts; g++) {
		for (o = g->opts; o->name; o++) {
			if (o->kind == OPT_KIND_OTHER) {
				*base = g->base;
				return o;
			}
		}
	}
	return NULL;
}

/* "--name" or "-o", as the user would type it, for messages. */
static void
opt_spelling(const struct opt *o, int as_short, char *buf, size_t n)
{
	if (as_short) {
		snprintf(buf, n, "-%c", o->short_name);
	} else {
		snprintf(buf, n, "--%s", o->name);
	}
}

/* One --name VALUE of an OPT_KIND_OTHER entry; 0 or -1 with err set. */
static int
opt_store_other(const struct opt *o, void *base, const char *name,
		size_t name_len, const char *val, char *err, size_t errsz)
{
	struct opt_other *x =
		(struct opt_other *)(void *)((char *)base + o->off);

	if (x->n == OPT_OTHER_MAX) {
		snprintf(err, errsz, "at most %d --%s options", OPT_OTHER_MAX,
			 o->name);
		return -1;
	}
	x->v[x->n].name = name;
	x->v[x->n].name_len = name_len;
	x->v[x->n].value = val;
	x->n++;
	return 0;
}

static int
opt_store(const struct opt *o, void *base, const char *val,
	  const char *spelled, char *err, size_t errsz)
{
	char *p = (char *)base + o->off;
	struct opt_list *l;
	long long v;
	char *end;

	switch (o->kind) {
	case OPT_KIND_FLAG:
		*(int *)(void *)p = 1;
		return 0;
	case OPT_KIND_STRING:
		*(const char **)(void *)p = val;
		return 0;
	case OPT_KIND_INT:
		errno = 0;
		v = strtoll(val, &end, 10);
		if (!val[0] || *end != '\0' || errno != 0) {
			snprintf(err, errsz,
				 "option '%s' takes a number, not '%s'",
				 spelled, val);
			return -1;
		}
		*(long long *)(void *)p = v;
		return 0;
	case OPT_KIND_LIST:
		l = (struct opt_list *)(void *)p;
		if (l->n == OPT_LIST_MAX) {
			snprintf(err, errsz, "option '%s': at most %d",
				 spelled, OPT_LIST_MAX);
			return -1;
		}
		l->v[l->n++] = val;
		return 0;
	case OPT_KIND_OTHER:
	case OPT_KIND_END:
		break;
	}
	snprintf(err, errsz, "option '%s': bad table entry", spelled);
	return -1;
}

/*
 * One option word at argv[*i]; takes its argument from the same word or
 * the next (advancing *i).  0 or -1 with err set.
 */
static int
opt_one(const struct opt_group *groups, int argc, char **argv, int *i,
	char *err, size_t errsz)
{
	const char *word = argv[*i], *val = NULL, *eq = NULL;
	const struct opt *o;
	void *base = NULL;
	char spelled[80];
	int as_short = word[1] != '-', other = 0;

	if (as_short) {
		o = find_short(groups, word[1], &base);
		if (o && word[2]) {
			val = word + 2;
		}
	} else {
		eq = strchr(word + 2, '=');
		o = find_long(groups, word + 2,
			      eq ? (size_t)(eq - word - 2) : strlen(word + 2),
			      &base);
		val = eq ? eq + 1 : NULL;
		if (!o && (o = find_other(groups, &base)) != NULL) {
			other = 1;
		}
	}
	if (!o || (as_short && o->kind == OPT_KIND_FLAG && word[2])) {
		snprintf(err, errsz, "unknown option '%s'", word);
		return -1;
	}
	if (other) {
		snprintf(spelled, sizeof(spelled), "%.*s",
			 eq ? (int)(eq - word) : (int)strlen(word), word);
	} else {
		opt_spelling(o, as_short, spelled, sizeof(spelled));
	}
	if (o->kind == OPT_KIND_FLAG) {
		if (val) {
			snprintf(err, errsz, "option '%s' takes no argument",
				 spelled);
			return -1;
		}
		return opt_store(o, base, NULL, spelled, err, errsz);
	}
	if (!val) {
		if (*i + 1 >= argc) {
			snprintf(err, errsz,
				 "option '%s' needs an argument (%s)", spelled,
				 o->arg ? o->arg : "VALUE");
			return -1;
		}
		val = argv[++*i];
	}
	if (other) {
		return opt_store_other(o, base, word + 2,
				       eq ? (size_t)(eq - word - 2)
					  : strlen(word + 2),
				       val, err, errsz);
	}
	return opt_store(o, base, val, spelled, err, errsz);
}

/* The required options all given?  0, or -1 naming the first missing. */
static int
opt_check_required(const struct opt_group *g, char *err, size_t errsz)
{
	const struct opt *o;
	const char *p;

	for (; g->opts; g++) {
		for (o = g->opts; o->name; o++) {
			if (!(o->flags & OPT_REQ)) {
				continue;
			}
			p = (const char *)g->base + o->off;
			if ((o->kind == OPT_KIND_STRING &&
			     !*(const char *const *)(const void *)p) ||
			    (o->kind == OPT_KIND_LIST &&
			     ((const struct opt_list *)(const void *)p)->n ==
				 0)) {
				snprintf(err, errsz, "missing option '--%s %s'",
					 o->name, o->arg ? o->arg : "VALUE");
				return -1;
			}
		}
	}
	return 0;
}

int
opt_parse(const struct opt_group *groups, int argc, char **argv, char *err,
	  size_t errsz)
{
	int i, n = 0, options = 1;

	err[0] = '\0';
	for (i = 0; i < argc; i++) {
		const char *w = argv[i];

		if (options && strcmp(w, "--") == 0) {
			options = 0;
			continue;
		}
		if (!options || w[0] != '-' || w[1] == '\0') {
			/* n <= i: the slot was read already */
			argv[n++] = argv[i];
			continue;
		}
		if (opt_one(groups, argc, argv, &i, err, errsz) != 0) {
			return -1;
		}
	}
	if (opt_check_required(groups, err, errsz) != 0) {
		return -1;
	}
	return n;
}

void
opt_usage(FILE *f, const struct opt *opts)
{
	const struct opt *o;
	int req;

	for (o = opts; o && o->name; o++) {
		req = (o->flags & OPT_REQ) != 0;
		fputs(req ? " " : " [", f);
		if (o->short_name) {
			fprintf(f, "-%c", o->short_name);
		} else {
			fprintf(f, "--%s", o->name);
		}
		if (o->kind != OPT_KIND_FLAG) {
			fprintf(f, " %s", o->arg ? o->arg : "VALUE");
		}
		fputs(req ? "" : "]", f);
		if (o->kind == OPT_KIND_LIST || o->kind == OPT_KIND_OTHER) {
			fputs("...", f);
		}
	}
}

void
opt_help(FILE *f, const struct opt *opts)
{
	const struct opt *o;
	char left[96];
	const char *arg;

	for (o = opts; o && o->name; o++) {
		if (!o->help) {
			continue;
		}
		arg = o->kind == OPT_KIND_FLAG ? ""
		      : o->arg			 ? o->arg
						 : "VALUE";
		if (o->short_name) {
			snprintf(left, sizeof(left), "-%c, --%s%s%s",
				 o->short_name, o->name, arg[0] ? " " : "",
				 arg);
		} else {
			snprintf(left, sizeof(left), "--%s%s%s", o->name,
				 arg[0] ? " " : "", arg);
		}
		fprintf(f, "  %-28s %s\n", left, o->help);
	}
}
