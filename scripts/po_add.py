#!/usr/bin/env python3
"""Append translations to a .po file: po_add.py FILE < TSV (msgid<TAB>msgstr).
A helper for keeping the catalogs complete; skips msgids already there."""
import sys
path = sys.argv[1]
try:
    have = open(path, encoding='utf-8').read()
except FileNotFoundError:
    have = ('msgid ""\nmsgstr ""\n"Project-Id-Version: nomdesk\\n"\n'
            '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
            '"Content-Transfer-Encoding: 8bit\\n"\n"Language: zh_CN\\n"\n\n')
def esc(s):
    return s.replace('\\', '\\\\').replace('"', '\\"')
out = []
for line in sys.stdin:
    line = line.rstrip('\n')
    if not line or line.startswith('#'):
        continue
    a, b = line.split('\t')
    key = 'msgid "%s"\n' % esc(a)
    if key in have:
        continue
    flag = '#, c-format\n' if '%' in a else ''
    out.append('%s%smsgstr "%s"\n' % (flag, key, esc(b)))
with open(path, 'w', encoding='utf-8') as f:
    f.write(have.rstrip('\n') + '\n\n' + '\n'.join(out))
