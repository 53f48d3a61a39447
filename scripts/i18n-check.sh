#!/bin/sh
# The zh_CN catalog must be complete: every _()/N_() string in core/,
# tui/ and cli/ has a non-empty translation in po/*.zh_CN.po.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ -o "$tmp/all.pot" \
	core/*.c tui/*.c cli/*.c 2>/dev/null
msgcat --use-first -o "$tmp/zh.po" po/*.zh_CN.po
missing=$(msgcmp "$tmp/zh.po" "$tmp/all.pot" 2>&1 | grep -c 'this message is used but not defined' || true)
untrans=$(msgattrib --untranslated --no-obsolete "$tmp/zh.po" | grep -c '^msgid "[^"]' || true)
if [ "$missing" != 0 ] || [ "$untrans" != 0 ]; then
	msgcmp "$tmp/zh.po" "$tmp/all.pot" 2>&1 | grep -B1 'not defined' | head -20 >&2 || true
	echo "i18n: zh_CN catalog incomplete: $missing missing, $untrans untranslated" >&2
	exit 1
fi
echo "i18n: zh_CN catalog complete"
