/*
 * Golden screens: every role's home screen at 80x24 and at 120x40, and
 * its help overlay, over the real SSH path (tests/golden/home/).
 */
#include <stdio.h>

#include "tests/lib/desk.h"
#include "tests/lib/golden.h"
#include "tests/lib/runner.h"

static const char *const roles[] = {
	"admin",   "city_hr",   "auditor",     "pingcheng_hr", "health_dept",
	"pc_clerk", "expert_zhou", "applicant_wu", NULL,
};

static void
test_e2e__golden_home_every_role(void)
{
	struct desk dk;
	char name[128];

	desk_start(&dk);
	for (size_t i = 0; roles[i] != NULL; i++) {
		struct sshclient *c = desk_login(&dk, roles[i], NULL);

		snprintf(name, sizeof(name), "home/%s-80x24", roles[i]);
		golden_check(c, name, NULL);
		sshclient_type(c, "?");
		snprintf(name, sizeof(name), "home/%s-help-80x24", roles[i]);
		golden_check(c, name, NULL);
		desk_hang_up(&dk, c);
		c = desk_login_size(&dk, roles[i], NULL, 120, 40);
		snprintf(name, sizeof(name), "home/%s-120x40", roles[i]);
		golden_check(c, name, NULL);
		desk_hang_up(&dk, c);
	}
	desk_stop(&dk);
}

static const struct test_case tests_golden_home[] = {
	{"e2e__golden_home_every_role", test_e2e__golden_home_every_role},
	{NULL, NULL},
};
TEST_REGISTER(tests_golden_home)
