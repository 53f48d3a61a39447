/*
 * libFuzzer target for the round-definition reader (core/round_json.c,
 * core/round_jp.c, core/round_quota.c: core_round_parse; shared
 * security.md 4a, "config / round-definition loader").  Input: arbitrary
 * bytes.  Properties, beyond "no crash, no ASan/UBSan report":
 *
 *   - core_round_parse returns 0 or CORE_EINVAL (CORE_EINTERNAL is kept
 *     for out of memory, which a 64 KiB input cannot cause);
 *   - a refusal leaves *out NULL and names where: the message starts with
 *     a JSON path ("$", "$.quotas.parts[0]...") followed by ": " and a
 *     rule that is not empty;
 *   - an accepted definition is one everything downstream can take:
 *     core_round_check runs and returns 0, each finding carries a known
 *     kind and a message; core_elig_evaluate of a fixed dossier in each
 *     category returns 0 or CORE_EINVAL with a field and a message;
 *   - the canonical text is canonical: parsing r->json again is accepted
 *     and gives the same text and digest (what is stored and audited is
 *     what a reload reads back).
 *
 * Seeds: tests/fuzz/corpus/fuzz_round (rounds/datong-2020.json and small
 * definitions); scripts/fuzz.sh builds and runs it with fuzz_round.dict.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_round: %s: %s\n", what, detail ? detail : "");
	abort();
}

/* "$" then a path, then ": " and a rule. */
static int
names_a_path(const char *err)
{
	const char *colon;

	if (err[0] != '$') {
		return 0;
	}
	colon = strstr(err, ": ");
	return colon && colon[2] != '\0';
}

static void
check_findings(const struct core_round *r)
{
	static const char *const kinds[] = {"parts", "breakdown", "itemised",
					    "total", NULL};
	struct core_round_finding *f = NULL;
	size_t n = 0;

	if (core_round_check(r, &f, &n) != 0) {
		fail("core_round_check failed on an accepted round", r->code);
	}
	for (size_t i = 0; i < n; i++) {
		size_t k;

		for (k = 0; kinds[k]; k++) {
			if (strcmp(kinds[k], f[i].kind) == 0) {
				break;
			}
		}
		if (!kinds[k] || !f[i].message[0]) {
			fail("a finding without a kind or a message",
			     f[i].kind);
		}
	}
	free(f);
}

static void
check_elig(const struct core_round *r)
{
	static const struct core_elig_claim claim[] = {{1, "证明材料"}};

	for (size_t i = 0; i < r->n_categories; i++) {
		struct core_elig_input in = {
		    .birth_date = "1975-03-02",
		    .title_level = CORE_TITLE_DEPUTY,
		    .title_kind = CORE_TITLE_KIND_APPOINTMENT,
		    .title_date = "2015-09-01",
		    .category = r->categories[i].key,
		    .claims = claim,
		    .n_claims = 1,
		    .prior_leader = CORE_PRIOR_NONE,
		};
		struct core_elig_result res;
		int rv = core_elig_evaluate(r, &in, &res);

		if (rv != 0 && rv != CORE_EINVAL) {
			fail("core_elig_evaluate: unexpected result",
			     res.errmsg);
		}
		if (rv == CORE_EINVAL && !res.errmsg[0]) {
			fail("core_elig_evaluate: a refusal without a message",
			     r->categories[i].key);
		}
		if (rv == 0 && res.n_rules > CORE_ELIG_MAX_RULES) {
			fail("core_elig_evaluate: too many rules", "");
		}
	}
}

static void
check_canonical(const struct core_round *r)
{
	struct core_round *again = NULL;
	char err[512];

	if (core_round_parse(r->json, strlen(r->json), &again, err,
			     sizeof(err)) != 0) {
		fail("the canonical text of an accepted round is refused",
		     err);
	}
	if (strcmp(again->json, r->json) != 0 ||
	    strcmp(again->sha256_hex, r->sha256_hex) != 0) {
		fail("the canonical text is not a fixed point", r->json);
	}
	core_round_free(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_round *r = NULL;
	char err[512];
	int rv;

	rv = core_round_parse((const char *)data, size, &r, err, sizeof(err));
	if (rv != 0) {
		if (rv != CORE_EINVAL) {
			fail("unexpected result", err);
		}
		if (r) {
			fail("a refusal that returns a round", err);
		}
		if (!names_a_path(err)) {
			fail("a refusal that names no path and rule", err);
		}
		return 0;
	}
	if (!r || !r->json || strlen(r->sha256_hex) != 64) {
		fail("an accepted round without its canonical text", "");
	}
	check_findings(r);
	check_elig(r);
	check_canonical(r);
	core_round_free(r);
	return 0;
}
