/* gettext for core/, tui/ and cli/: one domain, "nomdesk". */
#ifndef NOMDESK_I18N_H
#define NOMDESK_I18N_H

#include <libintl.h>

#define _(s) dgettext("nomdesk", s)
#define N_(s) (s)

#endif
