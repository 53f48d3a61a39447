#!/bin/sh
# Install the Debian packages nomdesk needs to build, test and benchmark.
# As root: apt-get installs what is missing.  Otherwise: name what is
# missing and fail, so nobody builds against a half-provisioned machine.
set -eu

PKGS="build-essential pkg-config gettext
libssh-dev libsodium-dev libsqlite3-dev libncurses-dev libutf8proc-dev
libvterm-dev ncurses-term openssh-client openssh-server sqlite3
libjson-c-dev libcsv-dev libfreexl-dev libxlsxwriter-dev libminizip-dev libxml2-dev
python3 python3-pyte clang libclang-rt-14-dev faketime"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "deps: installing:$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
	else
		echo "deps: missing Debian packages:$missing" >&2
		echo "deps: run as root: apt-get install$missing" >&2
		exit 1
	fi
fi

# libssh before 0.10.6-0+deb12u3 has server-side bugs we rely on being
# fixed (see docs/SECURITY.md); refuse to build against them.
v=$(dpkg-query -W -f='${Version}' libssh-4 2>/dev/null || echo 0)
if ! dpkg --compare-versions "$v" ge 0.10.6-0+deb12u3; then
	echo "deps: libssh-4 $v is older than 0.10.6-0+deb12u3" >&2
	exit 1
fi
