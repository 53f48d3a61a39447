/* Shared fixtures of the unit tests (tests/lib/fixture.h). */
#include <stdio.h>

#include "core/core.h"
#include "tests/lib/fixture.h"

int
fixture_panel_pass(struct core *owner, struct core *expert, int64_t id,
		   int city)
{
	const char *name = city ? "评委会" : "组一";
	struct core_panel_new p = {name,
				   city ? CORE_PANEL_CITY : CORE_PANEL_LOCAL,
				   CORE_PANEL_MEAN, "merit:10", "6", 1};
	struct core_score s = {"merit", "10"};
	int r;

	r = core_panel_create(owner, &p, NULL, NULL);
	if (r != 0 && r != CORE_EEXIST)
		return r;
	if (r == 0 &&
	    (r = core_panel_add_member(owner, name, "expert_zhou", NULL)) != 0)
		return r;
	if ((r = core_panel_assign(owner, name, id, NULL, NULL, NULL)) != 0 ||
	    (r = core_panel_declare(expert, name, id, NULL, NULL)) != 0 ||
	    (r = core_panel_score(expert, name, id, &s, 1, NULL, NULL)) != 0)
		return r;
	return 0;
}
