#!/bin/sh
# Build the libFuzzer targets (tests/fuzz/fuzz_*.c) with clang and run each
# for SECONDS (default 10) over its corpus in tests/fuzz/corpus/NAME (with
# the dictionary tests/fuzz/NAME.dict when there is one); any crash or
# sanitizer report fails.  `make fuzz-long` runs them for an hour.
#   scripts/fuzz.sh BUILD [SECONDS [NAME...]]
set -eu
build=${1:-build}
secs=${2:-10}
out="$build/fuzz"
mkdir -p "$out"
cc=$(command -v clang-14 || command -v clang || true)
if [ -z "$cc" ]; then
	echo "fuzz: clang not found (install clang and libclang-rt-14-dev)" >&2
	exit 1
fi
flags="-std=c11 -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I. $(pkg-config --cflags json-c libxml-2.0 2>/dev/null)"
libs="-lsodium -lutf8proc -lsqlite3 $(pkg-config --libs json-c 2>/dev/null)"
# The whole of core/ and keys/, compiled once a run for every target that
# needs it (two at a time), not once per target.
lib="$out/fuzzcore.a"
build_lib() {
	[ -f "$lib" ] && return 0
	rm -rf "$out/obj"
	mkdir -p "$out/obj"
	# shellcheck disable=SC2086
	ls core/*.c keys/*.c "$build"/gen/*.c | xargs -P 2 -I{} sh -c \
		'o="$1/obj/$(echo "$2" | tr / _).o"; '"$cc $flags"' -fsanitize=fuzzer-no-link -c "$2" -o "$o"' \
		_ "$out" {} 2>"$out/fuzzcore.build.log" &&
		ar rcs "$lib.tmp" "$out"/obj/*.o && mv "$lib.tmp" "$lib"
}
# What each target links: the smallest set that holds its code.
srcs_for() {
	case "$1" in
	fuzz_utf8) echo "core/utf8.c" ;;
	fuzz_stmt) echo "keys/*.c" ;;
	*) build_lib && echo "$lib" ;;
	esac
}
rm -f "$lib"
extra_libs_for() {
	case "$1" in
	fuzz_utf8 | fuzz_stmt) echo "" ;;
	*) echo "$(pkg-config --libs freexl xlsxwriter minizip libxml-2.0 2>/dev/null) -lcsv" ;;
	esac
}
rc=0
if [ $# -ge 2 ]; then shift 2; else shift $#; fi
for f in tests/fuzz/fuzz_*.c; do
	[ -f "$f" ] || continue
	name=$(basename "$f" .c)
	# NAME... after SECONDS: only those targets
	if [ $# -gt 0 ] && ! printf ' %s ' "$*" | grep -q " $name "; then
		continue
	fi
	# shellcheck disable=SC2046
	if ! $cc $flags $f $(srcs_for "$name") -o "$out/$name" $libs \
		$(extra_libs_for "$name") 2>"$out/$name.build.log"; then
		echo "fuzz: $name does not build:" >&2
		tail -5 "$out/$name.build.log" >&2
		rc=1
		continue
	fi
	corpus="tests/fuzz/corpus/$name"
	work="$out/$name.corpus"
	mkdir -p "$work"
	[ -d "$corpus" ] && cp -r "$corpus/." "$work/" 2>/dev/null || true
	dict=""
	[ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
	# Sanitizer reports go to the target's log, not to check.sh's
	# log_path: a report from a child a target forks on purpose (the .xls
	# reader, core/import_read.c) is contained there and is not a failure.
	# shellcheck disable=SC2086
	if ASAN_OPTIONS= UBSAN_OPTIONS= "$out/$name" -max_total_time="$secs" \
		-timeout=5 -rss_limit_mb=2048 -max_len=65536 \
		-artifact_prefix="$out/$name-" $dict "$work" \
		>"$out/$name.log" 2>&1; then
		# The target itself did not fail: artifacts are the contained
		# children's (libFuzzer's death callback runs in them too).
		rm -f "$out/$name"-crash-*
		echo "fuzz: $name ok ($(grep -o 'cov: [0-9]*' "$out/$name.log" | tail -1), $(grep -Eo 'stat::number_of_executed_units: [0-9]+|#[0-9]+' "$out/$name.log" | tail -1) runs in ${secs}s)"
	else
		echo "fuzz: $name FAILED, see $out/$name.log" >&2
		tail -20 "$out/$name.log" >&2
		rc=1
	fi
done
exit $rc
