/* The numbered migrations compiled into the binary (scripts/embed.sh). */
#ifndef NOMDESK_SCHEMA_H
#define NOMDESK_SCHEMA_H

#include <stddef.h>

struct schema_migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct schema_migration schema_migrations[];
extern const size_t schema_n_migrations;

#endif
