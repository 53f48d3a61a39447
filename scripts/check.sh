#!/bin/sh
# Run every test: unit tests, then the end-to-end suite over real SSH.
# Each runner ends with "N passed, N failed"; this prints the sum last.
set -u
build=${1:-build}
export NOMDESK_BIN="$(pwd)/$build/nomdesk"
export NOMDESK_LOCALEDIR="$(pwd)/$build/locale"
# A screen that differs from its golden is written here (diff -r it
# against tests/golden).
export NOMDESK_GOLDEN_ACTUAL="$(pwd)/$build/golden-actual"
rm -rf "$NOMDESK_GOLDEN_ACTUAL"
san="$(pwd)/$build/san"
rm -rf "$san"; mkdir -p "$san"
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:log_path=$san/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$san/ubsan"
export LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0"

tp=0; tf=0; rc=0
for t in "$build/tests/unit_tests" "$build/tests/e2e_tests"; do
	out=$("$t" 2>&1); r=$?
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1)
	p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/'); p=${p:-0}
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/'); f=${f:-1}
	tp=$((tp + p)); tf=$((tf + f))
	[ $r = 0 ] || rc=1
done
# Crash soak (tests/soak; `make soak` runs 200 cycles): 4 SIGKILL
# cycles through SSH and the CLI (each target once), one test.
sout=$("$build/tests/soak_tests" "${SOAK_CHECK_CYCLES:-4}" 2>&1); r=$?
printf '%s\n' "$sout"
if [ $r = 0 ]; then tp=$((tp + 1)); else tf=$((tf + 1)); rc=1; fi
# Fuzz smoke: each target is one test.
if [ "${FUZZ_SECS:-0}" -gt 0 ]; then
	fout=$(sh scripts/fuzz.sh "$build" "$FUZZ_SECS" 2>&1)
	printf '%s\n' "$fout"
	fp=$(printf '%s\n' "$fout" | grep -c ' ok (' || true)
	ff=$(printf '%s\n' "$fout" | grep -c 'FAILED\|does not build\|not found' || true)
	tp=$((tp + fp)); tf=$((tf + ff))
	[ "$ff" = 0 ] || rc=1
fi
if ls "$san"/* >/dev/null 2>&1; then
	echo "sanitizer reports:" >&2
	cat "$san"/* >&2
	tf=$((tf + 1)); rc=1
fi
echo "$tp passed, $tf failed"
exit $rc
