#!/bin/sh
# make bench: the integrity benchmarks (bench/bench_audit.c), one run, as
# ratios.  $1 is the build directory.  The figures of a full run (10^6
# entries) replace the block between the bench:audit markers in
# docs/BENCHMARKS.md; BENCH_N=N runs a smaller log and only prints.
# Scratch files live in $1/bench-tmp (the build's file system, not tmpfs).
set -eu
B=${1:-build}
N=${BENCH_N:-1000000}
doc=docs/BENCHMARKS.md
san=
case "$B" in *san*) san="SANITIZE=1" ;; esac
make --no-print-directory -f Makefile -f bench/bench.mk $san BUILD="$B" \
	"$B/bench/bench_audit" "$B/bench/bench_ssh" "$B/bench/bench_flood" all
dir="$B/bench-tmp"
rm -rf "$dir"

# The SSH server against OpenSSH's sshd, the same UI behind both.
ssh_md="$B/bench-ssh.md"
NOMDESK_LOCALEDIR="$(pwd)/$B/locale" "$B/bench/bench_ssh" \
	"$(pwd)/$B/nomdesk" "${BENCH_SSH_N:-20}" | tee "$ssh_md"
if [ -f "$doc" ] && grep -q '<!-- bench:ssh:begin -->' "$doc"; then
	awk -v md="$ssh_md" '
		/<!-- bench:ssh:begin -->/ {
			print; print "```"; while ((getline l < md) > 0) print l;
			print "```"; skip = 1; next
		}
		/<!-- bench:ssh:end -->/ { skip = 0 }
		!skip { print }
	' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
fi
rm -f "$ssh_md"

# A clerk's login while the port is flooded from many addresses.
flood_md="$B/bench-flood.md"
NOMDESK_LOCALEDIR="$(pwd)/$B/locale" "$B/bench/bench_flood" \
	"$(pwd)/$B/nomdesk" "${BENCH_FLOOD_N:-5}" | tee "$flood_md"
if [ -f "$doc" ] && grep -q '<!-- bench:flood:begin -->' "$doc"; then
	awk -v md="$flood_md" '
		/<!-- bench:flood:begin -->/ {
			print; while ((getline l < md) > 0) print l; skip = 1; next
		}
		/<!-- bench:flood:end -->/ { skip = 0 }
		!skip { print }
	' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
fi
rm -f "$flood_md"
mkdir -p "$dir"
md="$dir/figures.md"
"$B/bench/bench_audit" "$dir" "$N" "$md"
if [ "$N" = 1000000 ] && [ -f "$doc" ] &&
	grep -q '<!-- bench:audit:begin -->' "$doc"; then
	awk -v md="$md" '
		/<!-- bench:audit:begin -->/ {
			print; while ((getline l < md) > 0) print l; skip = 1; next
		}
		/<!-- bench:audit:end -->/ { skip = 0 }
		!skip { print }
	' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
	echo "bench: figures written to $doc"
fi
rm -rf "$dir"
