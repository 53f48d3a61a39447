#!/bin/sh
# The zh_CN catalog must be complete: every _()/N_() string in core/,
# tui/ and cli/ has a non-empty translation in po/*.zh_CN.po.  Prints the
# missing msgids.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ -o "$tmp/all.pot" \
	core/*.c tui/*.c cli/*.c 2>/dev/null
msgcat --use-first -o "$tmp/zh.po" po/*.zh_CN.po
# msgmerge fills the template from the catalog; what stays empty is missing.
msgmerge --quiet --no-fuzzy-matching -o "$tmp/merged.po" "$tmp/zh.po" \
	"$tmp/all.pot"
missing=$(msgattrib --no-wrap --untranslated --no-obsolete "$tmp/merged.po" |
	grep '^msgid "[^"]' || true)
if [ -n "$missing" ]; then
	echo "$missing" >&2
	echo "i18n: zh_CN catalog incomplete: $(echo "$missing" | wc -l) missing" >&2
	exit 1
fi
echo "i18n: zh_CN catalog complete"
