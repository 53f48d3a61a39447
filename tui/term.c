/*
 * term: the only code that sets up, reads and tears down the terminal
 * (htop's CRT.c).  Locale, TERM validation and fallback, curses modes,
 * signals, and turning raw input into struct tui_key.
 *
 * Invariants: input is read only with wget_wch(); the terminal is in
 * cbreak mode with echo off, XON/XOFF off (so Ctrl-S and Ctrl-Q reach us)
 * and the suspend character disabled (a stopped TUI under an SSH server
 * has nobody to resume it); nothing but curses writes to the tty.
 */
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

#include "tui/ui.h"

#define ESCDELAY_MS 25
#define BURST_MAX (1u << 20) /* keys read in one burst at most */

static volatile sig_atomic_t got_hup;
static volatile sig_atomic_t got_stop;
/* A character read right after a lone ESC, delivered as the next key. */
static int held = -1;

static void
on_hup(int sig)
{
	(void)sig;
	got_hup = 1;
}

static void
on_stop(int sig)
{
	got_stop = sig;
}

int
term_locale(char *err, size_t errlen)
{
	const char *cs;

	if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, "")) {
		snprintf(err, errlen, "cannot set a UTF-8 locale (C.UTF-8)");
		return -1;
	}
	cs = nl_langinfo(CODESET);
	if (!cs || (strcasecmp(cs, "UTF-8") != 0 &&
		    strcasecmp(cs, "utf8") != 0)) {
		snprintf(err, errlen,
			 "the locale's character set is %s, not UTF-8; "
			 "nomdesk needs a UTF-8 locale such as C.UTF-8",
			 cs ? cs : "unknown");
		return -1;
	}
	return 0;
}

/* TERM as the style allows it: [A-Za-z0-9._+-]{1,63}. */
static int
term_name_ok(const char *t)
{
	size_t n;

	if (!t) {
		return 0;
	}
	for (n = 0; t[n]; n++) {
		char ch = t[n];

		if (n >= 63 ||
		    !((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
		      ch == '+' || ch == '-')) {
			return 0;
		}
	}
	return n > 0;
}

static int
entry_in(const char *dir, const char *name)
{
	char path[512];

	if (!dir || !*dir) {
		return 0;
	}
	snprintf(path, sizeof(path), "%s/%c/%s", dir, name[0], name);
	if (access(path, R_OK) == 0) {
		return 1;
	}
	snprintf(path, sizeof(path), "%s/%02x/%s", dir,
		 (unsigned char)name[0], name);
	return access(path, R_OK) == 0;
}

/*
 * Whether the terminfo database has an entry for name, whatever it says:
 * newterm() fails both for unknown names (fall back to another type) and
 * for known ones it cannot drive, such as "dumb" (say so and stop).
 */
static int
term_known(const char *name)
{
	static const char *const dirs[] = {"/etc/terminfo", "/lib/terminfo",
					   "/usr/share/terminfo"};
	const char *env = getenv("TERMINFO"), *home = getenv("HOME");
	char buf[512];
	size_t i;

	if (entry_in(env, name)) {
		return 1;
	}
	if (home) {
		snprintf(buf, sizeof(buf), "%s/.terminfo", home);
		if (entry_in(buf, name)) {
			return 1;
		}
	}
	if ((env = getenv("TERMINFO_DIRS")) != NULL) {
		char *save = NULL, *d;

		snprintf(buf, sizeof(buf), "%s", env);
		for (d = strtok_r(buf, ":", &save); d;
		     d = strtok_r(NULL, ":", &save)) {
			if (entry_in(d, name)) {
				return 1;
			}
		}
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (entry_in(dirs[i], name)) {
			return 1;
		}
	}
	return 0;
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_hup; /* no SA_RESTART: a blocked read returns */
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/*
 * Function keys PuTTY sends by default (ESC [ 11 ~ ...) that xterm's
 * terminfo does not list; harmless where they are already known.
 */
static void
define_putty_keys(void)
{
	static const struct {
		const char *seq;
		int code;
	} keys[] = {
		{"\033[11~", KEY_F(1)}, {"\033[12~", KEY_F(2)},
		{"\033[1~", KEY_HOME},  {"\033[4~", KEY_END},
		{"\033[7~", KEY_HOME},  {"\033[8~", KEY_END},
		{"\033[H", KEY_HOME},   {"\033[F", KEY_END},
		{"\033OH", KEY_HOME},   {"\033OF", KEY_END},
		{"\033[Z", KEY_BTAB},
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (key_defined(keys[i].seq) == 0) {
			define_key(keys[i].seq, keys[i].code);
		}
	}
}

/* XON/XOFF off, suspend off, then make that curses' "program mode". */
static void
tty_modes(void)
{
	struct termios tio;

	if (tcgetattr(STDIN_FILENO, &tio) == 0) {
		tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
#ifdef VSUSP
		tio.c_cc[VSUSP] = _POSIX_VDISABLE;
#endif
#ifdef VDSUSP
		tio.c_cc[VDSUSP] = _POSIX_VDISABLE;
#endif
		tcsetattr(STDIN_FILENO, TCSANOW, &tio);
	}
	def_prog_mode();
}

int
term_open(struct ui *ui, char *err, size_t errlen)
{
	const char *env = getenv("TERM");
	const char *chain[4];
	const char *used = NULL;
	const char *cup;
	size_t i, n = 0;
	int pass;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "standard input and output must be a "
				      "terminal");
		return -1;
	}
	catch_signals();
	chain[n++] = term_name_ok(env) ? env : "xterm-256color";
	chain[n++] = "xterm-256color";
	chain[n++] = "xterm";
	chain[n++] = "vt100";
	/*
	 * Names the database lacks are skipped before newterm() (which
	 * leaks a little on failure); only if none is found on disk, where
	 * we may be looking in the wrong place, is each one tried blind.
	 */
	for (pass = 0; pass < 2 && !ui->scr; pass++) {
		for (i = 0; i < n && !ui->scr; i++) {
			int known = term_known(chain[i]);

			if ((i > 0 && strcmp(chain[i], chain[0]) == 0) ||
			    (pass == 0 && !known)) {
				continue;
			}
			ui->scr = newterm(chain[i], stdout, stdin);
			if (ui->scr) {
				used = chain[i];
			} else if (i == 0 && known) {
				snprintf(err, errlen,
					 "terminal type \"%s\" cannot address "
					 "the cursor; nomdesk needs a "
					 "full-screen terminal",
					 chain[i]);
				return -1;
			}
		}
	}
	if (!ui->scr) {
		snprintf(err, errlen, "no usable terminal description "
				      "(tried TERM, xterm-256color, xterm, "
				      "vt100)");
		return -1;
	}
	set_term(ui->scr);
	cup = tigetstr("cup");
	if (!cup || cup == (char *)-1) {
		endwin();
		delscreen(ui->scr);
		ui->scr = NULL;
		snprintf(err, errlen,
			 "terminal type \"%s\" has no cursor addressing; "
			 "nomdesk needs a full-screen terminal",
			 used);
		return -1;
	}
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	set_escdelay(ESCDELAY_MS);
	define_putty_keys();
	tty_modes();
	ui->cursor_ok = curs_set(0) != ERR;
	ui->colors = has_colors();
	if (ui->colors && start_color() == OK) {
		short bg = use_default_colors() == OK ? -1 : COLOR_BLACK;

		init_pair(1, COLOR_WHITE, COLOR_BLUE); /* title bar */
		init_pair(2, COLOR_RED, bg);           /* error text */
	} else {
		ui->colors = 0;
	}
	term_layout(ui);
	return 0;
}

void
term_close(struct ui *ui, int hung_up)
{
	if (!ui->scr) {
		return;
	}
	/* On a dead tty there is nothing to restore, and writes may fail. */
	if (!hung_up) {
		if (ui->cursor_ok) {
			curs_set(1);
		}
		endwin();
	}
	delscreen(ui->scr);
	ui->scr = NULL;
}

void
term_layout(struct ui *ui)
{
	ui->rows = LINES;
	ui->cols = COLS;
	ui->too_small = ui->rows < TUI_MIN_ROWS || ui->cols < TUI_MIN_COLS;
}

void
term_fatal(const char *what)
{
	endwin();
	fprintf(stderr, "nomdesk: %s\n", what);
	_exit(70);
}

/*
 * Reads the next character, waiting at most wait_ms: its code point, -1
 * if none came, -2 if curses decoded a function key.
 */
static int
peek_char(int wait_ms)
{
	wint_t ch;
	int r;

	wtimeout(stdscr, wait_ms);
	r = wget_wch(stdscr, &ch);
	if (r != OK) {
		return r == KEY_CODE_YES ? -2 : -1;
	}
	return ch > 0x10FFFF ? -2 : (int)ch;
}

/*
 * An ESC that curses did not turn into a key: a lone Esc, or the rest of
 * a sequence it does not know (an F-key under the wrong TERM).  The rest
 * of such a sequence is swallowed, so it can never act as Esc followed by
 * typed letters; a few common ones are decoded here.
 */
static void
esc_sequence(struct tui_key *k, int blocking_after)
{
	char params[16];
	size_t n = 0;
	int c, intro, final = -1;

	k->vk = VK_NONE;
	intro = peek_char(0); /* curses has waited ESCDELAY already */
	if (intro == -1) {
		k->vk = VK_ESC;
		goto out;
	}
	if (intro == -2) {
		k->vk = VK_ESC; /* the key after it is lost */
		goto out;
	}
	if (intro != '[' && intro != 'O') {
		/*
		 * Esc and then a key in the same read (scripts, fast
		 * typists, Alt-key): both count, Esc first.
		 */
		k->vk = VK_ESC;
		held = intro;
		goto out;
	}
	/* inside a sequence: the rest may be a packet behind */
	while ((c = peek_char(ESCDELAY_MS)) >= 0 && c <= 0x7E) {
		if (c >= 0x40) {
			final = c;
			break;
		}
		if (n + 1 < sizeof(params)) {
			params[n++] = (char)c;
		}
	}
	params[n] = '\0';
	switch (final) {
	case 'A':
		k->vk = VK_UP;
		break;
	case 'B':
		k->vk = VK_DOWN;
		break;
	case 'C':
		k->vk = VK_RIGHT;
		break;
	case 'D':
		k->vk = VK_LEFT;
		break;
	case 'H':
		k->vk = VK_HOME;
		break;
	case 'F':
		k->vk = VK_END;
		break;
	case 'Z':
		k->vk = VK_BTAB;
		break;
	case 'P':
		k->vk = VK_F1;
		break;
	case 'Q':
		k->vk = VK_F2;
		break;
	case '~':
		if (!strcmp(params, "1") || !strcmp(params, "7")) {
			k->vk = VK_HOME;
		} else if (!strcmp(params, "4") || !strcmp(params, "8")) {
			k->vk = VK_END;
		} else if (!strcmp(params, "3")) {
			k->vk = VK_DEL;
		} else if (!strcmp(params, "5")) {
			k->vk = VK_PGUP;
		} else if (!strcmp(params, "6")) {
			k->vk = VK_PGDN;
		} else if (!strcmp(params, "11")) {
			k->vk = VK_F1;
		} else if (!strcmp(params, "12")) {
			k->vk = VK_F2;
		}
		break;
	default:
		break;
	}
out:
	wtimeout(stdscr, blocking_after ? -1 : 0);
}

static void
decode(int r, wint_t ch, struct tui_key *k, int blocking_after)
{
	k->vk = VK_NONE;
	k->ch = 0;
	if (r == KEY_CODE_YES) {
		switch (ch) {
		case KEY_UP:
			k->vk = VK_UP;
			break;
		case KEY_DOWN:
			k->vk = VK_DOWN;
			break;
		case KEY_LEFT:
			k->vk = VK_LEFT;
			break;
		case KEY_RIGHT:
			k->vk = VK_RIGHT;
			break;
		case KEY_HOME:
		case KEY_FIND:
		case KEY_A1:
			k->vk = VK_HOME;
			break;
		case KEY_END:
		case KEY_SELECT:
		case KEY_C1:
			k->vk = VK_END;
			break;
		case KEY_PPAGE:
		case KEY_A3:
			k->vk = VK_PGUP;
			break;
		case KEY_NPAGE:
		case KEY_C3:
			k->vk = VK_PGDN;
			break;
		case KEY_BACKSPACE:
			k->vk = VK_BS;
			break;
		case KEY_DC:
			k->vk = VK_DEL;
			break;
		case KEY_ENTER:
			k->vk = VK_ENTER;
			break;
		case KEY_BTAB:
			k->vk = VK_BTAB;
			break;
		case KEY_F(1):
			k->vk = VK_F1;
			break;
		case KEY_F(2):
			k->vk = VK_F2;
			break;
		case KEY_RESIZE:
			k->vk = VK_RESIZE;
			break;
		default:
			break;
		}
		return;
	}
	if (ch == 27) {
		esc_sequence(k, blocking_after);
	} else if (ch == 127 || ch == 8) {
		k->vk = VK_BS;
	} else if (ch == '\r' || ch == '\n') {
		k->vk = VK_ENTER;
	} else if (ch == '\t') {
		k->vk = VK_TAB;
	} else if (ch >= 1 && ch <= 26) {
		k->vk = VK_CTRL;
		k->ch = 'a' + (uint32_t)ch - 1;
	} else if (ch < 0x20 || ch > 0x10FFFF ||
		   (ch >= 0xD800 && ch <= 0xDFFF)) {
		k->vk = VK_NONE;
	} else {
		k->vk = VK_CHAR;
		k->ch = (uint32_t)ch;
	}
}

/*
 * After wget_wch() gave ERR without EINTR: is the tty gone (hang-up,
 * EOF), rather than a timeout?  A pty slave whose master closed polls
 * POLLHUP.
 */
static int
tty_gone(void)
{
	struct pollfd p = {STDIN_FILENO, POLLIN, 0};

	if (poll(&p, 1, 0) < 0) {
		return errno != EINTR;
	}
	return (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

void
term_read_key(struct ui *ui, struct tui_key *k)
{
	int eintr = 0, early = 0;

	if (ui->has_pending) {
		*k = ui->pending;
		ui->has_pending = 0;
		return;
	}
	if (held >= 0) {
		wint_t ch = (wint_t)held;

		held = -1;
		decode(OK, ch, k, 1);
		if (k->vk != VK_NONE) {
			return;
		}
	}
	for (;;) {
		wint_t ch = 0;
		int64_t t0 = ui_now_ms();
		int r, wait = -1;

		if (got_hup || got_stop) {
			break;
		}
		if (ui->tick_at > 0) {
			int64_t left = ui->tick_at - t0;

			if (left <= 0) {
				k->vk = VK_TICK;
				k->ch = 0;
				return;
			}
			wait = left > INT_MAX ? INT_MAX : (int)left;
		}
		wtimeout(stdscr, wait);
		errno = 0;
		r = wget_wch(stdscr, &ch);
		if (r == ERR) {
			/*
			 * A signal (retry, unless it asks us to stop), the
			 * timeout, or a dead tty: read() got EOF or EIO.
			 */
			if (errno == EINTR && !got_hup && !got_stop &&
			    ++eintr < 1000) {
				continue;
			}
			if (wait >= 0 && !got_hup && !got_stop && !tty_gone()) {
				/* a timeout; one that comes back at once
				 * again and again is a tty we cannot read */
				if (ui_now_ms() - t0 + 5 < wait &&
				    ++early > 1000) {
					got_hup = 1;
					break;
				}
				continue;
			}
			if (!got_stop) {
				got_hup = 1;
			}
			break;
		}
		eintr = 0;
		decode(r, ch, k, 1);
		if (k->vk != VK_NONE) {
			wtimeout(stdscr, -1);
			return;
		}
	}
	ui->hung_up = got_hup != 0;
	ui->stop_signal = got_stop;
	k->vk = VK_HUP;
	k->ch = 0;
}

size_t
term_read_burst(struct ui *ui, uint32_t *cps, size_t max, size_t *total)
{
	size_t n = 0;

	*total = 0;
	if (held >= 0) {
		return 0; /* a key is waiting to be handled first */
	}
	nodelay(stdscr, TRUE);
	while (*total < BURST_MAX && !got_hup && !got_stop) {
		struct tui_key k;
		wint_t ch = 0;
		int r = wget_wch(stdscr, &ch);

		if (r == ERR) {
			break;
		}
		decode(r, ch, &k, 0);
		if (k.vk == VK_CHAR) {
			if (n < max) {
				cps[n++] = k.ch;
			}
			(*total)++;
		} else if (k.vk != VK_NONE) {
			ui->pending = k; /* before any held character */
			ui->has_pending = 1;
			break;
		}
	}
	nodelay(stdscr, FALSE);
	return n;
}
