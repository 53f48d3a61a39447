/*
 * The dossier digest (audit-log.md 2.4): what pledges and verifications
 * sign.  A per-version random salt keeps low-entropy fields (ID numbers,
 * birth dates) from being guessed from a digest in an exported log.
 *
 * Fields: every column of the field table (core/fields.c) plus "unit";
 * each claimed condition as "condition.N" = evidence; each dated item as
 * "item.<id>" = kind|from|to|title|detail.  Materials: (kind index, kind
 * and counts as title, size, SHA-256 of the electronic copy or zeros),
 * sorted by kind.  Field values are stored text, validated at input.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"

#define MAX_FIELDS 256

struct field_set {
	struct dossier_field f[MAX_FIELDS];
	char *owned[MAX_FIELDS];
	size_t n;
};

static int
cmp_field(const void *a, const void *b)
{
	const struct dossier_field *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static int
set_add(struct field_set *fs, const char *name, const char *value)
{
	size_t ln = strlen(name) + 1, lv = strlen(value) + 1;
	char *p;

	if (fs->n >= MAX_FIELDS || !(p = malloc(ln + lv))) {
		return -1;
	}
	memcpy(p, name, ln);
	memcpy(p + ln, value, lv);
	fs->owned[fs->n] = p;
	fs->f[fs->n].name = p;
	fs->f[fs->n].value = p + ln;
	fs->n++;
	return 0;
}

static void
set_release(struct field_set *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		free(fs->owned[i]);
	}
	fs->n = 0;
}

int
dossier_digest(int64_t nominee_id, uint32_t version, const uint8_t salt[32],
	       struct dossier_field *fields, size_t n_fields,
	       uint8_t out[32])
{
	static const char tag[] = "nomdesk/dossier/v1\n";
	struct enc_buf b;
	char id[32];
	int r = -1;

	qsort(fields, n_fields, sizeof(*fields), cmp_field);
	for (size_t i = 1; i < n_fields; i++) {
		if (strcmp(fields[i - 1].name, fields[i].name) == 0) {
			return -1; /* each name once */
		}
	}
	enc_init(&b);
	enc_raw(&b, tag, sizeof(tag) - 1);
	snprintf(id, sizeof(id), "%lld", (long long)nominee_id);
	enc_s16(&b, id, 0);
	enc_u32(&b, version);
	enc_raw(&b, salt, 32);
	enc_u16(&b, (uint16_t)n_fields);
	for (size_t i = 0; i < n_fields; i++) {
		enc_s16(&b, fields[i].name, 0);
		enc_s16(&b, fields[i].value, 1);
	}
	enc_u16(&b, 0); /* materials are appended by dossier_compute */
	if (!b.err) {
		crypto_hash_sha256(out, b.p, b.len);
		r = 0;
	}
	enc_release(&b);
	return r;
}

static int
load_fields(struct core *c, int64_t id, struct field_set *fs)
{
	const struct dossier_spec *sp;
	char sql[1024];
	size_t off;
	sqlite3_stmt *st = NULL;
	int r, i;

	off = (size_t)snprintf(sql, sizeof(sql), "SELECT unit");
	for (sp = dossier_specs(); sp->field; sp++) {
		off += (size_t)snprintf(sql + off, sizeof(sql) - off, ", %s",
					sp->column);
	}
	snprintf(sql + off, sizeof(sql) - off,
		 " FROM nominee WHERE id = ?1");
	if ((r = db_query(c, &st, sql, "i", id)) != 0) {
		return r;
	}
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return CORE_ENOENT;
	}
	r = set_add(fs, "unit", db_text(st, 0));
	for (sp = dossier_specs(), i = 1; r == 0 && sp->field; sp++, i++) {
		r = set_add(fs, sp->field, db_text(st, i));
	}
	sqlite3_finalize(st);
	if (r != 0) {
		return CORE_EINTERNAL;
	}

	if ((r = db_query(c, &st,
	                  "SELECT cond, evidence FROM nominee_condition "
	                  "WHERE nominee_id = ?1",
	                  "i", id)) != 0) {
		return r;
	}
	while (r == 0 && sqlite3_step(st) == SQLITE_ROW) {
		char name[32];

		snprintf(name, sizeof(name), "condition.%d",
			 sqlite3_column_int(st, 0));
		r = set_add(fs, name, db_text(st, 1));
	}
	sqlite3_finalize(st);
	if (r != 0) {
		return CORE_EINTERNAL;
	}

	if ((r = db_query(c, &st,
	                  "SELECT id, kind || '|' || date_from || '|' || "
	                  "date_to || '|' || title || '|' || detail FROM "
	                  "nominee_item WHERE nominee_id = ?1",
	                  "i", id)) != 0) {
		return r;
	}
	while (r == 0 && sqlite3_step(st) == SQLITE_ROW) {
		char name[32];

		snprintf(name, sizeof(name), "item.%lld",
			 (long long)sqlite3_column_int64(st, 0));
		r = set_add(fs, name, db_text(st, 1));
	}
	sqlite3_finalize(st);
	return r == 0 ? 0 : CORE_EINTERNAL;
}

static int
append_materials(struct core *c, int64_t id, struct enc_buf *b)
{
	sqlite3_stmt *st = NULL;
	uint16_t n = 0;
	size_t count_at;
	int r, k = 0;

	count_at = b->len;
	enc_u16(b, 0);
	if ((r = db_query(c, &st,
	                  "SELECT kind, copies, original_sighted, size, "
	                  "sha256 FROM nominee_material WHERE nominee_id = "
	                  "?1 ORDER BY kind",
	                  "i", id)) != 0) {
		return r;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		uint8_t zero[32] = {0};
		char title[160];
		const void *h = sqlite3_column_blob(st, 4);

		snprintf(title, sizeof(title), "%s copies=%d original=%d",
			 db_text(st, 0), sqlite3_column_int(st, 1),
			 sqlite3_column_int(st, 2));
		enc_u16(b, (uint16_t)++k);
		enc_s16(b, title, 0);
		enc_u64(b, (uint64_t)sqlite3_column_int64(st, 3));
		enc_raw(b, h && sqlite3_column_bytes(st, 4) == 32 ? h : zero,
			32);
		n++;
	}
	sqlite3_finalize(st);
	if (!b->err) {
		b->p[count_at] = (uint8_t)(n >> 8);
		b->p[count_at + 1] = (uint8_t)n;
	}
	return 0;
}

int
dossier_compute(struct core *c, int64_t id, uint32_t version,
		const uint8_t salt[32], uint8_t out[32])
{
	static const char tag[] = "nomdesk/dossier/v1\n";
	struct field_set fs = {0};
	struct enc_buf b;
	char idtxt[32];
	int r;

	enc_init(&b);
	if ((r = load_fields(c, id, &fs)) != 0) {
		goto out;
	}
	qsort(fs.f, fs.n, sizeof(fs.f[0]), cmp_field);
	enc_raw(&b, tag, sizeof(tag) - 1);
	snprintf(idtxt, sizeof(idtxt), "%lld", (long long)id);
	enc_s16(&b, idtxt, 0);
	enc_u32(&b, version);
	enc_raw(&b, salt, 32);
	enc_u16(&b, (uint16_t)fs.n);
	for (size_t i = 0; i < fs.n; i++) {
		enc_s16(&b, fs.f[i].name, 0);
		enc_s16(&b, fs.f[i].value, 1);
	}
	if ((r = append_materials(c, id, &b)) != 0) {
		goto out;
	}
	if (b.err) {
		r = core_err(c, CORE_ECORRUPT, NULL,
			     "stored dossier text cannot be encoded");
		goto out;
	}
	crypto_hash_sha256(out, b.p, b.len);
	r = 0;
out:
	enc_release(&b);
	set_release(&fs);
	return r;
}
