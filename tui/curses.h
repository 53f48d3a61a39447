/*
 * The one place tui/ includes curses: the wide-character ncurses API with
 * X/Open names (wget_wch, setcchar, wadd_wch).  Everything else in tui/
 * includes this header, never <curses.h> itself.
 */
#ifndef NOMDESK_TUI_CURSES_H
#define NOMDESK_TUI_CURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <wchar.h>

#if defined(__has_include)
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif
#else
#include <curses.h>
#endif

/* wchar_t must hold Unicode code points (glibc: UCS-4). */
#ifndef __STDC_ISO_10646__
#error "tui/ needs wchar_t to be UCS-4 (__STDC_ISO_10646__)"
#endif

#endif
