/*
 * tui: the curses interface, an ordinary terminal program over core/.
 * It runs on the local terminal or, under `nomdesk serve`, on the pty slave
 * of one SSH session.  tui/ knows no SQL and no libssh.
 */
#ifndef NOMDESK_TUI_H
#define NOMDESK_TUI_H

#include <stddef.h>

struct core;

/*
 * Runs the interface as the user core currently acts as (core_act_as()
 * was called) until the user quits or the terminal hangs up.  Sets up the
 * UTF-8 locale and the user's language (core_i18n_init); refuses a non-UTF-8 codeset or a
 * terminal without cursor addressing with a one-line reason in err.
 * Returns 0 on a normal quit, -1 with err set otherwise.
 */
int tui_run(struct core *c, char *err, size_t errlen);

#endif
