/*
 * Keys as the screens see them: term.c turns whatever wget_wch returns
 * (characters, KEY_* codes, escape sequences ncurses did not know) into
 * one of these, so screens never deal with terminal quirks.  DEL, BS and
 * KEY_BACKSPACE are all VK_BS; CR, LF and KEY_ENTER are all VK_ENTER.
 */
#ifndef NOMDESK_TUI_KEYS_H
#define NOMDESK_TUI_KEYS_H

#include <stdint.h>

enum tui_vk {
	VK_NONE,   /* nothing (an ignored sequence) */
	VK_CHAR,   /* text: ch is the code point */
	VK_CTRL,   /* Ctrl-letter: ch is 'a'..'z' (not h, i, j, m) */
	VK_ENTER,
	VK_TAB,
	VK_BTAB,   /* Shift-Tab */
	VK_ESC,
	VK_BS,     /* erase backwards */
	VK_DEL,    /* erase forwards */
	VK_UP,
	VK_DOWN,
	VK_LEFT,
	VK_RIGHT,
	VK_HOME,
	VK_END,
	VK_PGUP,
	VK_PGDN,
	VK_F1,
	VK_F2,
	VK_RESIZE, /* the terminal changed size */
	VK_HUP,    /* the terminal is gone, or a signal asks us to stop */
	VK_TICK,   /* no key: the time set in ui->tick_at has come */
};

struct tui_key {
	enum tui_vk vk;
	uint32_t ch; /* VK_CHAR: code point; VK_CTRL: lower-case letter */
};

#endif
