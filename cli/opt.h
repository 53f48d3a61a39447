/*
 * Options as data: a command describes its options in a const array of
 * struct opt, and the same array parses argv, refuses what it does not
 * name, and prints the command's usage line and option help.  The arrays
 * hold offsets into the command's own options struct instead of pointers
 * to locals, so they can be static const and main.c can print every
 * command's usage (and the man page check can compare it) without running
 * the command.
 *
 * Needs only libc: the unit tests link opt.o alone.
 */
#ifndef NOMDESK_CLI_OPT_H
#define NOMDESK_CLI_OPT_H

#include <stddef.h>
#include <stdio.h>

enum opt_kind {
	OPT_KIND_END,
	OPT_KIND_FLAG,   /* int, set to 1 */
	OPT_KIND_STRING, /* const char *, the last one given wins */
	OPT_KIND_INT,    /* long long, decimal */
	OPT_KIND_LIST,   /* struct opt_list, every one given in order */
	OPT_KIND_OTHER,  /* struct opt_other: every long option no entry
			    of the groups names, with its argument */
};

/* OPT_REQ: usage shows the option without brackets and the parser
 * refuses argv without it. */
#define OPT_REQ 1u

struct opt {
	const char *name; /* long name without "--"; NULL ends the array */
	char short_name;  /* 'o' for -o; 0 for none */
	enum opt_kind kind;
	size_t off;       /* of the destination in the options struct */
	const char *arg;  /* the argument's name in usage ("LOGIN") */
	const char *help; /* one line for `nomdesk CMD --help` */
	unsigned flags;   /* OPT_REQ */
};

/* A repeated string option; the values are borrowed from argv. */
#define OPT_LIST_MAX 32
struct opt_list {
	const char *v[OPT_LIST_MAX];
	size_t n;
};

/*
 * Long options a command names at run time (nominee edit's --FIELD VALUE,
 * one per dossier field): name and value borrowed from argv, the name
 * without "--" and not NUL-terminated ("--x=y"), hence name_len.
 */
#define OPT_OTHER_MAX 64
struct opt_other {
	struct {
		const char *name;
		size_t name_len;
		const char *value;
	} v[OPT_OTHER_MAX];
	size_t n;
};

#define OPT_FLAG(name, sh, type, field, help)                              \
	{(name), (sh), OPT_KIND_FLAG, offsetof(type, field), NULL, (help), 0}
#define OPT_STRING(name, sh, type, field, arg, help)                       \
	{(name), (sh), OPT_KIND_STRING, offsetof(type, field), (arg),      \
	 (help), 0}
#define OPT_STRING_REQ(name, sh, type, field, arg, help)                   \
	{(name), (sh), OPT_KIND_STRING, offsetof(type, field), (arg),      \
	 (help), OPT_REQ}
#define OPT_INT(name, sh, type, field, arg, help)                          \
	{(name), (sh), OPT_KIND_INT, offsetof(type, field), (arg), (help), 0}
#define OPT_LIST(name, sh, type, field, arg, help)                         \
	{(name), (sh), OPT_KIND_LIST, offsetof(type, field), (arg), (help), 0}
#define OPT_LIST_REQ(name, sh, type, field, arg, help)                     \
	{(name), (sh), OPT_KIND_LIST, offsetof(type, field), (arg), (help), \
	 OPT_REQ}
/* name is how usage shows the words: "FIELD" gives [--FIELD VALUE]... */
#define OPT_OTHER(name, type, field, arg, help)                            \
	{(name), 0, OPT_KIND_OTHER, offsetof(type, field), (arg), (help), 0}
#define OPT_END()                                                          \
	{NULL, 0, OPT_KIND_END, 0, NULL, NULL, 0}

/* One array and the struct its offsets point into; a parse may take
 * several (the command's own and the shared --as/--format). */
struct opt_group {
	const struct opt *opts; /* NULL ends the groups */
	void *base;
};

/*
 * Parses argv[0..argc) (argv[0] is the first word after the command's
 * name, not the command itself) against groups.  Options and operands may
 * mix as with GNU getopt; "--" ends the options; "-" is an operand; a
 * long option takes its argument as "--name VALUE" or "--name=VALUE", a
 * short one as "-o VALUE" or "-oVALUE".  No abbreviations: an option is
 * named in full, so adding one never changes what an old command line
 * means.  A long option no entry names goes to the OPT_KIND_OTHER
 * entry if a group has one, else is refused.  The operands are moved, in
 * order, to the front of argv.
 *
 * Returns the number of operands (>= 0), or -1 with one line in err
 * naming the option: "unknown option '--x'", "option '--as' needs an
 * argument (LOGIN)", "option '--n' takes a number, not 'x'", "option
 * '--demo' takes no argument", "missing option '--name NAME'".  Any
 * caller; the destinations must be zeroed or hold defaults beforehand.
 */
int opt_parse(const struct opt_group *groups, int argc, char **argv,
	      char *err, size_t errsz);

/*
 * Writes the usage of the options of opts to f: " --as LOGIN [--demo]
 * [--witness FILE]..." (a space before each; required ones bare).  Any
 * caller.
 */
void opt_usage(FILE *f, const struct opt *opts);

/* Writes one line per option of opts with a help text to f, aligned:
 * "  --name NAME   the unit's name".  Any caller. */
void opt_help(FILE *f, const struct opt *opts);

#endif
