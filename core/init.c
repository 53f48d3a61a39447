/*
 * `nomdesk init`: a new data directory.  Entry 0 of the log names the log
 * key and the schema the reference data came from; with --demo, a few
 * employing units and one account per role, each an audited act.
 *
 * Invariant: the directories are 0700 and every file in them 0600 (the
 * key, the database and its -wal/-shm) from the moment it exists, on the
 * failure paths too; a failed init leaves the directory for the operator
 * to inspect and remove.
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/core_int.h"
#include "core/i18n.h"

static const struct {
	const char *code, *name, *parent;
} demo_units[] = {
	{"140213-e001", "平城区中心医院（演示）", "140213"},
	{"140213-e002", "平城区第一中学（演示）", "140213"},
	{"140214-e001", "云冈区新能源科技有限公司（演示）", "140214"},
	{"dept-health-e001", "大同市第一人民医院（演示）", "dept-health"},
};

static const struct {
	const char *login, *name;
	enum core_role role;
	const char *unit, *lang;
} demo_users[] = {
	{"admin", "系统管理员", CORE_ROLE_ADMIN, "1402-hrss", "zh_CN"},
	{"city_hr", "王秀英", CORE_ROLE_CITY_HR, "1402-hrss", "zh_CN"},
	{"auditor", "李建国", CORE_ROLE_AUDITOR, "1402", "zh_CN"},
	{"pingcheng_hr", "张建华", CORE_ROLE_COUNTY_HR, "140213", "zh_CN"},
	{"yungang_hr", "刘志强", CORE_ROLE_COUNTY_HR, "140214", "zh_CN"},
	{"health_dept", "陈静", CORE_ROLE_DEPARTMENT, "dept-health", "zh_CN"},
	{"pc_clerk", "赵敏", CORE_ROLE_UNIT_CLERK, "140213-e001", "zh_CN"},
	{"yg_clerk", "孙磊", CORE_ROLE_UNIT_CLERK, "140214-e001", "en"},
	{"expert_zhou", "周立", CORE_ROLE_EXPERT, "dept-health-e001", "zh_CN"},
	{"applicant_wu", "吴芳", CORE_ROLE_APPLICANT, "140213-e001", "zh_CN"},
};

/* Unambiguous characters only: clerks read these off a printout. */
static void
demo_password(char *out, size_t n)
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";

	for (size_t i = 0; i + 1 < n; i++) {
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	}
	out[n - 1] = '\0';
}

static int
make_dirs(const char *dir, char *err, size_t errlen)
{
	static const char *const subs[] = {"keys", "docs", "checkpoints"};
	char p[PATH_MAX + 32];

	if (mkdir(dir, 0700) != 0) {
		snprintf(err, errlen, "cannot create '%s': %s", dir,
			 errno == EEXIST ? "it already exists (init never "
					   "touches an existing data directory)"
					 : strerror(errno));
		return errno == EEXIST ? CORE_EEXIST : CORE_EIO;
	}
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, subs[i]);
		if (mkdir(p, 0700) != 0) {
			snprintf(err, errlen, "cannot create '%s': %s", p,
				 strerror(errno));
			return CORE_EIO;
		}
	}
	return 0;
}

static int
genesis(struct core *c)
{
	uint8_t pk[32], rnd[4];
	char origin[128], reason[128], b64[64];
	int r;

	randombytes_buf(rnd, sizeof(rnd));
	snprintf(origin, sizeof(origin), "nomdesk.datong.example/%02x%02x%02x%02x",
		 rnd[0], rnd[1], rnd[2], rnd[3]);
	if ((r = tx_begin(c)) != 0) {
		return r;
	}
	if ((r = db_exec(c,
	                 "INSERT INTO meta (key, value) VALUES "
	                 "('origin', ?1)",
	                 "t", origin)) != 0) {
		goto fail;
	}
	snprintf(c->origin, sizeof(c->origin), "%s", origin);
	signer_public(c->logkey, pk);
	keys_b64_encode(pk, 32, b64, sizeof(b64));
	snprintf(reason, sizeof(reason), "log key ed25519 %s", b64);
	if ((r = audit_record(c, ACT_LOG_KEY, NULL, reason, "log")) != 0) {
		goto fail;
	}
	return tx_commit(c, NULL);
fail:
	tx_rollback(c);
	return r;
}

static int
add_demo(struct core *c,
	 void (*cb)(void *, const char *, const char *, const char *,
		    const char *, const char *),
	 void *ctx)
{
	char pw[13];
	int r = 0;

	for (size_t i = 0; i < sizeof(demo_units) / sizeof(demo_units[0]);
	     i++) {
		if ((r = tx_begin(c)) != 0) {
			return r;
		}
		if ((r = db_exec(c,
		                 "INSERT INTO unit (code, name, kind, "
		                 "parent) VALUES (?1, ?2, 'employer', ?3)",
		                 "ttt", demo_units[i].code, demo_units[i].name,
		                 demo_units[i].parent)) != 0) {
			goto fail;
		}
		if ((r = audit_record(c, ACT_ADMIN, NULL, "unit added (demo)",
		                      "unit:%s", demo_units[i].code)) != 0 ||
		    (r = tx_commit(c, NULL)) != 0) {
			goto fail;
		}
	}
	for (size_t i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]);
	     i++) {
		struct core_user_new u = {
			.login = demo_users[i].login,
			.name = demo_users[i].name,
			.role = demo_users[i].role,
			.unit = demo_users[i].unit,
			.lang = demo_users[i].lang,
		};

		demo_password(pw, sizeof(pw));
		if ((r = core_user_add(c, &u, pw)) != 0) {
			return r;
		}
		if (cb) {
			cb(ctx, u.login, core_role_name(u.role), u.unit, pw,
			   u.name);
		}
	}
	sodium_memzero(pw, sizeof(pw));
	return 0;
fail:
	tx_rollback(c);
	return r;
}

int
core_init_dir(const char *data_dir, int demo,
	      void (*cb)(void *ctx, const char *login, const char *role,
			 const char *unit, const char *password,
			 const char *name),
	      void *ctx, char *err, size_t errlen)
{
	struct core *c = NULL;
	char path[PATH_MAX + 32];
	int r;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "cannot initialise libsodium");
		return CORE_EINTERNAL;
	}
	if ((r = make_dirs(data_dir, err, errlen)) != 0) {
		return r;
	}
	snprintf(path, sizeof(path), "%s/keys/log.key", data_dir);
	if (signer_generate_file(path, err, errlen) != 0) {
		return CORE_EIO;
	}
	snprintf(path, sizeof(path), "%s/nomdesk.db", data_dir);
	if (!(c = core_alloc())) {
		snprintf(err, errlen, "out of memory");
		return CORE_EINTERNAL;
	}
	snprintf(c->dir, sizeof(c->dir), "%s", data_dir);
	/* db_open() creates the file 0600, so the -wal and -shm SQLite
	 * makes beside it are 0600 too, also if init stops halfway. */
	if ((r = db_open(c, path, 1, err, errlen)) != 0 ||
	    (r = db_migrate(c, err, errlen)) != 0) {
		goto out;
	}
	snprintf(path, sizeof(path), "%s/keys/log.key", data_dir);
	if (signer_load_file(&c->logkey, path, err, errlen) != 0) {
		r = CORE_EIO;
		goto out;
	}
	signer_key_id(c->logkey, c->logkey_id);
	core_act_as_system(c, NULL);
	if ((r = genesis(c)) != 0 || (r = round_load_reference(c)) != 0 ||
	    (demo && (r = add_demo(c, cb, ctx)) != 0)) {
		snprintf(err, errlen, "%s", c->errmsg);
		goto out;
	}
	r = 0;
out:
	core_close(c);
	return r;
}
