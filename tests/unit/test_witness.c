/*
 * Witnesses (audit-log.md 2.12): a witness directory cosigns a log's
 * checkpoints only along consistency proofs from what it holds, keeps
 * both signed checkpoints when the log forks (the host showing two
 * histories under one key), and its cosignature is C2SP
 * tlog-cosignature v1, checkable with libsodium alone.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/lib/runner.h"

static int64_t now_ms;

static int64_t
test_clock(void *ctx)
{
	(void)ctx;
	return now_ms;
}

#define T0 1604282400000LL
#define WNAME "witness.discipline.example/1"

static char dir_a[512], dir_b[512], wdir[512];

static struct core *
open_as(const char *d, const char *login)
{
	struct core *c = NULL;
	char err[256];

	if (core_open(&c, d, err, sizeof(err)) != 0 ||
	    (login && core_act_as(c, login) != 0)) {
		test_fail(__FILE__, __LINE__, "open: %s", err);
		exit(1);
	}
	core_set_clock(c, test_clock, NULL);
	return c;
}

static void
add_nominee(const char *d, const char *name)
{
	struct core *c = open_as(d, "pc_clerk");
	struct core_nominee_new n = {name, "女", "1978-05-06", "教授", NULL};
	int64_t id;

	now_ms += 60000;
	CHECK_INT(core_nominee_add(c, &n, &id, NULL), 0);
	core_close(c);
}

static char *
request(const char *d, uint64_t since)
{
	struct core *c = open_as(d, NULL);
	char *req = NULL;
	size_t len;

	CHECK_INT(core_audit_witness_request(c, since, &req, &len), 0);
	core_close(c);
	return req;
}

static int
cosign(const char *req, struct core_witness_result *res)
{
	char err[1024];
	int r = core_witness_cosign(wdir, req, strlen(req), now_ms / 1000, res,
				    err, sizeof(err));

	if (r != 0)
		printf("# witness: %s\n", err);
	return r;
}

/* A data dir, the witness trusting its log. */
static void
setup(void)
{
	struct core_verify_opts o = {0};
	struct core_verify_report rep;
	char err[256];

	snprintf(dir_a, sizeof(dir_a), "%s/a", test_tmpdir());
	snprintf(dir_b, sizeof(dir_b), "%s/b", test_tmpdir());
	snprintf(wdir, sizeof(wdir), "%s/w", test_tmpdir());
	if (core_init_dir(dir_a, 1, NULL, NULL, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
	now_ms = T0;
	o.data_dir = dir_a;
	CHECK_INT(core_audit_verify(&o, &rep), 0);
	CHECK_INT(core_witness_init(wdir, WNAME, err, sizeof(err)), 0);
	CHECK_INT(core_witness_init(wdir, WNAME, err, sizeof(err)),
		  CORE_EEXIST);
	CHECK_INT(core_witness_add_log(wdir, rep.origin, rep.log_key, err,
				       sizeof(err)),
		  0);
	core_verify_report_release(&rep);
}

static void
test_witness__cosigns_along_consistency(void)
{
	struct core_witness_result res;
	uint64_t s1;
	char *req;

	setup();
	req = request(dir_a, 0);
	CHECK_INT(cosign(req, &res), 0);
	CHECK_INT(res.old_size, 0);
	s1 = res.size;
	CHECK(s1 > 0);
	/* The same checkpoint again: same size, same root, fine. */
	{
		char *again = malloc(strlen(req) + 16);
		const char *body = strstr(req, "\n\n") + 2;

		sprintf(again, "old %llu\n\n%s", (unsigned long long)s1, body);
		CHECK_INT(cosign(again, &res), 0);
		free(again);
	}
	add_nominee(dir_a, "张三");
	add_nominee(dir_a, "李四");
	/* A request from 0 when the witness holds s1: conflict, nothing
	 * stored (the log asks again with --since s1). */
	{
		char *r0 = request(dir_a, 0);

		CHECK_INT(cosign(r0, &res), CORE_ESTATE);
		CHECK_INT(res.size, s1);
		free(r0);
	}
	{
		char *r1 = request(dir_a, s1);

		CHECK_INT(cosign(r1, &res), 0);
		CHECK_INT(res.old_size, s1);
		CHECK_INT(res.size, s1 + 2);
		free(r1);
	}
	/* The old checkpoint again: "old" past its size is malformed, and
	 * "old" = its size is stale; the stored size never drops. */
	{
		char *stale = malloc(strlen(req) + 32);
		const char *body = strstr(req, "\n\n") + 2;

		sprintf(stale, "old %llu\n\n%s", (unsigned long long)s1 + 2,
			body);
		CHECK_INT(cosign(stale, &res), CORE_EINVAL);
		sprintf(stale, "old %llu\n\n%s", (unsigned long long)s1, body);
		CHECK_INT(cosign(stale, &res), CORE_ESTATE);
		CHECK_INT(res.size, s1 + 2);
		free(stale);
	}
	free(req);
}

static void
test_witness__cosignature_is_c2sp(void)
{
	struct core_witness_result res;
	char name[128], vkey[256], err[256], *req, *body_end, msg[1024];
	uint8_t vk[33], raw[4 + 8 + 64], kid[32];
	size_t n, bl;
	uint64_t t = 0;
	char *sp;

	setup();
	req = request(dir_a, 0);
	now_ms = T0 + 12345000;
	CHECK_INT(cosign(req, &res), 0);
	CHECK_INT(core_witness_info(wdir, name, sizeof(name), vkey,
				    sizeof(vkey), err, sizeof(err)),
		  0);
	CHECK_STR(name, WNAME);
	/* vkey: name+hash+base64(0x04 || pk) */
	sp = strchr(strchr(vkey, '+') + 1, '+'); /* names have no '+' */
	CHECK_INT(sodium_base642bin(vk, sizeof(vk), sp + 1, strlen(sp + 1),
				    NULL, &n, NULL,
				    sodium_base64_VARIANT_ORIGINAL),
		  0);
	CHECK_INT(n, 33);
	CHECK_INT(vk[0], 0x04);
	/* "— NAME base64(keyid || time || sig)\n" */
	CHECK(strncmp(res.cosig, "\xe2\x80\x94 " WNAME " ", 4 + strlen(WNAME)) ==
	      0);
	sp = res.cosig + 4 + strlen(WNAME) + 1;
	sp[strlen(sp) - 1] = '\0';
	CHECK_INT(sodium_base642bin(raw, sizeof(raw), sp, strlen(sp), NULL, &n,
				    NULL, sodium_base64_VARIANT_ORIGINAL),
		  0);
	CHECK_INT(n, sizeof(raw));
	{
		crypto_hash_sha256_state st;
		uint8_t sep[2] = {0x0a, 0x04};

		crypto_hash_sha256_init(&st);
		crypto_hash_sha256_update(&st, (const uint8_t *)WNAME,
					  strlen(WNAME));
		crypto_hash_sha256_update(&st, sep, 2);
		crypto_hash_sha256_update(&st, vk + 1, 32);
		crypto_hash_sha256_final(&st, kid);
		CHECK(memcmp(kid, raw, 4) == 0);
	}
	for (int i = 0; i < 8; i++)
		t = t << 8 | raw[4 + i];
	CHECK_INT(t, (T0 + 12345000) / 1000);
	/* cosignature/v1 over "cosignature/v1\ntime T\n" || body */
	body_end = strstr(strstr(req, "\n\n") + 2, "\n\n");
	bl = (size_t)(body_end + 1 - (strstr(req, "\n\n") + 2));
	n = (size_t)snprintf(msg, sizeof(msg), "cosignature/v1\ntime %llu\n",
			     (unsigned long long)t);
	memcpy(msg + n, strstr(req, "\n\n") + 2, bl);
	CHECK_INT(crypto_sign_verify_detached(raw + 12, (uint8_t *)msg, n + bl,
					      vk + 1),
		  0);
	free(req);
}

static void
copy_dir(const char *from, const char *to)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "cp -a '%s' '%s'", from, to);
	CHECK_INT(system(cmd), 0);
}

static int
evidence_files(void)
{
	char cmd[700];

	snprintf(cmd, sizeof(cmd),
		 "test $(ls %s/evidence | grep -c -e '-held-' -e '-offered-') "
		 "-ge 2",
		 wdir);
	return system(cmd) == 0;
}

static void
test_witness__same_size_other_root_is_a_fork(void)
{
	struct core_witness_result res;
	char *req;

	setup();
	copy_dir(dir_a, dir_b); /* the host keeps two histories, one key */
	add_nominee(dir_a, "张三");
	add_nominee(dir_b, "王五");
	req = request(dir_a, 0);
	CHECK_INT(cosign(req, &res), 0);
	free(req);
	/* B's checkpoint at the same size, "old" = that size. */
	{
		char *rb = request(dir_b, 0), *fixed;
		const char *body = strstr(rb, "\n\n") + 2;

		fixed = malloc(strlen(rb) + 32);
		sprintf(fixed, "old %llu\n\n%s", (unsigned long long)res.size,
			body);
		CHECK_INT(cosign(fixed, &res), CORE_ECORRUPT);
		CHECK(res.evidence[0] != '\0');
		free(fixed);
		free(rb);
	}
	CHECK(evidence_files());
}

static void
test_witness__failed_proof_is_a_fork(void)
{
	struct core_witness_result res;
	uint64_t held;
	char *req;

	setup();
	copy_dir(dir_a, dir_b);
	add_nominee(dir_a, "张三");
	req = request(dir_a, 0);
	CHECK_INT(cosign(req, &res), 0);
	held = res.size;
	free(req);
	/* B diverges and grows past what the witness holds: its proof from
	 * `held` is valid for B's tree, not for the root the witness has. */
	add_nominee(dir_b, "王五");
	add_nominee(dir_b, "赵六");
	req = request(dir_b, held);
	CHECK_INT(cosign(req, &res), CORE_ECORRUPT);
	CHECK_INT(res.size, held); /* state unchanged */
	free(req);
	CHECK(evidence_files());
	/* A still advances normally. */
	add_nominee(dir_a, "孙七");
	req = request(dir_a, held);
	CHECK_INT(cosign(req, &res), 0);
	free(req);
}

static void
test_witness__refuses_unknown_log_and_bad_signature(void)
{
	struct core_witness_result res;
	char err[256], other[512], *req, *p;

	setup();
	/* A log it was not told about. */
	snprintf(other, sizeof(other), "%s/other", test_tmpdir());
	CHECK_INT(core_init_dir(other, 0, NULL, NULL, err, sizeof(err)), 0);
	req = request(other, 0);
	CHECK_INT(cosign(req, &res), CORE_ENOENT);
	free(req);
	/* A checkpoint whose root was changed: the log did not sign it. */
	req = request(dir_a, 0);
	p = strstr(req, "\n\n") + 2;
	p = strchr(strchr(p, '\n') + 1, '\n') + 1; /* the root line */
	p[0] = p[0] == 'A' ? 'B' : 'A';
	CHECK_INT(cosign(req, &res), CORE_EAUTH);
	free(req);
	/* Garbage. */
	CHECK_INT(core_witness_cosign(wdir, "old x\n\n", 7, 0, &res, err,
				      sizeof(err)),
		  CORE_EINVAL);
	/* Nothing was stored by any of these. */
	req = request(dir_a, 0);
	CHECK_INT(cosign(req, &res), 0);
	free(req);
}

/* The log rotates its key (audit-log.md 2.13): the witness, trusting
 * the old key, takes the switch checkpoint (signed by both), refuses the
 * next (new key only) until told the new key, then follows. */
static void
test_witness__follows_a_log_key_rotation(void)
{
	struct core_witness_result res;
	struct core_verify_opts o = {0};
	struct core_verify_report rep;
	struct core_receipt rc;
	struct core *c;
	uint64_t held;
	char err[256], *req;

	setup();
	add_nominee(dir_a, "张三");
	req = request(dir_a, 0);
	CHECK_INT(cosign(req, &res), 0);
	held = res.size;
	free(req);
	c = open_as(dir_a, "admin");
	CHECK_INT(core_audit_rotate_log_key(c, &rc, NULL, 0), 0);
	core_close(c);
	CHECK_INT(rc.tree_size, held + 1);
	req = request(dir_a, held);
	CHECK_INT(cosign(req, &res), 0); /* the switch: the old key too */
	CHECK_INT(res.size, held + 1);
	held = res.size;
	free(req);
	add_nominee(dir_a, "李四");
	req = request(dir_a, held);
	CHECK_INT(cosign(req, &res), CORE_EAUTH);
	CHECK_INT(res.size, 0);
	o.data_dir = dir_a;
	CHECK_INT(core_audit_verify(&o, &rep), 0);
	CHECK_INT(core_witness_add_log(wdir, rep.origin, rep.log_key_now, err,
				       sizeof(err)),
		  0);
	/* Idempotent: the same key again changes nothing. */
	CHECK_INT(core_witness_add_log(wdir, rep.origin, rep.log_key_now, err,
				       sizeof(err)),
		  0);
	core_verify_report_release(&rep);
	CHECK_INT(cosign(req, &res), 0);
	CHECK_INT(res.old_size, held);
	CHECK_INT(res.size, held + 1);
	free(req);
}

static const struct test_case tests_witness[] = {
	{"witness__cosigns_along_consistency",
	 test_witness__cosigns_along_consistency},
	{"witness__cosignature_is_c2sp", test_witness__cosignature_is_c2sp},
	{"witness__same_size_other_root_is_a_fork",
	 test_witness__same_size_other_root_is_a_fork},
	{"witness__failed_proof_is_a_fork",
	 test_witness__failed_proof_is_a_fork},
	{"witness__refuses_unknown_log_and_bad_signature",
	 test_witness__refuses_unknown_log_and_bad_signature},
	{"witness__follows_a_log_key_rotation",
	 test_witness__follows_a_log_key_rotation},
	{NULL, NULL},
};
TEST_REGISTER(tests_witness)
