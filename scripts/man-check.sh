#!/bin/sh
# The man page's COMMANDS entries and the option tables must agree: every
# usage line `nomdesk --synopsis` prints (one per command, generated from
# its option array) must be an entry's first line in docs/nomdesk.1, and
# every entry naming such a command must be that line.  An entry naming
# several ("audit trail|export") is not checked.  Usage: man-check.sh BIN
set -eu
bin=${1:-build/nomdesk}
man=docs/nomdesk.1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" --synopsis | sed -e 's/  */ /g' -e 's/ *$//' | sort -u > "$tmp/syn"
# .B/.TQ entry lines of COMMANDS as text: fonts dropped, \- unescaped.
awk '/^\.SH /{f = ($2 == "COMMANDS")} f && /^\.B /' "$man" |
	sed -e 's/^\.B //' -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/"//g' \
	    -e 's/  */ /g' -e 's/ *$//' | sort -u > "$tmp/man"

# A line's command path: its leading lower-case words ("unit add").
path() { awk '{p = ""; for (i = 1; i <= NF && $i ~ /^[a-z][a-z-]*$/; i++)
	p = p (p == "" ? "" : " ") $i; print p}'; }

fail=0
while IFS= read -r line; do
	grep -qxF -- "$line" "$tmp/man" && continue
	echo "man-check: docs/nomdesk.1 lacks: $line" >&2
	fail=1
done < "$tmp/syn"
path < "$tmp/syn" | sort -u > "$tmp/paths"
while IFS= read -r line; do
	p=$(printf '%s\n' "$line" | path)
	grep -qxF -- "$p" "$tmp/paths" || continue
	grep -qxF -- "$line" "$tmp/syn" && continue
	echo "man-check: docs/nomdesk.1 disagrees with the tables: $line" >&2
	fail=1
done < "$tmp/man"
[ $fail = 0 ] && echo "man-check: man page and option tables agree"
exit $fail
