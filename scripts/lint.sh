#!/bin/sh
# Layer rules (docs/ARCHITECTURE.md): core/ and keys/ never name curses or
# libssh; tui/ never names sqlite3; ssh/ never names curses or sqlite3;
# core objects link no curses or libssh symbol.
set -u
build=${1:-build}
fail=0
bad() { echo "lint: $*" >&2; fail=1; }

for f in core/*.[ch] keys/*.[ch]; do
	[ -f "$f" ] || continue
	grep -nE '#include *[<"](n?curses|ncursesw/|libssh/|tui/|ssh/)' "$f" >/dev/null &&
		bad "$f includes curses, libssh or an upper layer"
	grep -nE '\bssh_[a-z_]+\(' "$f" >/dev/null && bad "$f calls ssh_*"
done
for f in keys/*.[ch]; do
	grep -nE '#include *[<"](sqlite3\.h|core/)' "$f" >/dev/null &&
		bad "$f includes sqlite3.h or core/ (keys/ is below core/)"
done
for f in tui/*.[ch]; do
	[ -f "$f" ] || continue
	grep -nE '#include *[<"](sqlite3\.h|libssh/|ssh/)' "$f" >/dev/null &&
		bad "$f includes sqlite3.h or libssh"
	grep -nE '\bsqlite3_' "$f" >/dev/null && bad "$f calls sqlite3_*"
done
for f in ssh/*.[ch]; do
	[ -f "$f" ] || continue
	grep -nE '#include *[<"](n?curses|ncursesw/|sqlite3\.h|tui/|core/)' "$f" >/dev/null &&
		bad "$f includes curses, sqlite3.h, tui/ or core/"
done
# core must not print: stdout/stderr belong to cli/ and tui/.
for f in core/*.c keys/*.c; do
	grep -nE '\b(printf|puts|fputs|fprintf) *\((stdout|stderr|")' "$f" >/dev/null &&
		bad "$f prints (core/ and keys/ return messages instead)"
done
for a in "$build/libcore.a" "$build/libkeys.a"; do
	[ -f "$a" ] || continue
	nm -u "$a" 2>/dev/null | grep -E ' (ssh_|wget_wch|initscr|newterm|endwin|waddn?wstr|wrefresh)' &&
		bad "$a references curses or libssh symbols"
done
sh scripts/i18n-check.sh || fail=1
# The man page against the option tables (needs the binary built).
if [ -x "$build/nomdesk" ]; then
	sh scripts/man-check.sh "$build/nomdesk" || fail=1
fi
[ $fail = 0 ] && echo "lint: layers ok"
exit $fail
