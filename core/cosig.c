/*
 * cosig: witness cosignatures kept beside the log's checkpoints.
 * (Placeholder until the store lands.)
 */
#include "core/core_int.h"

int
core_cosig_submit(struct core *c, const char *note, size_t len,
		  size_t *n_stored)
{
	(void)note;
	(void)len;
	*n_stored = 0;
	return core_err(c, CORE_EINTERNAL, NULL, "not implemented yet");
}
