#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# apt-get for another architecture's packages, without touching the host's
# dpkg: its own package lists under the cache, the host's sources.list.
#
#   tests/cross/apt-arch.sh ARCH update
#   tests/cross/apt-arch.sh ARCH download PACKAGE...   (into the current directory)
#   tests/cross/apt-arch.sh ARCH version PACKAGE       (the candidate's version)
#   tests/cross/apt-arch.sh ARCH depends PACKAGE       (apt-cache depends)
#   tests/cross/apt-arch.sh ARCH closure PACKAGE...    (download them and all
#                          they depend on, recommends left out, into the
#                          current directory: apt's solver against an empty
#                          system, as for a new root)
#
# The host's own architecture list stays as it is: adding arm64 to dpkg
# would let apt replace libsofia-sip-ua-dev:amd64 (not Multi-Arch: same)
# by the arm64 one.
set -euo pipefail

arch=${1:?usage: apt-arch.sh ARCH update|download|version|depends|closure ...}
cmd=${2:?usage: apt-arch.sh ARCH update|download|version|depends|closure ...}
shift 2
state=${XDG_CACHE_HOME:-$HOME/.cache}/natkeep/apt-$arch
mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
: > "$state/status"

opts=(-o "APT::Architecture=$arch" -o "APT::Architectures::=$arch"
	-o "Dir::State::Lists=$state/lists" -o "Dir::State::status=$state/status"
	-o "Dir::Cache=$state/cache" -o "Debug::NoLocking=1")

have_lists() { compgen -G "$state/lists/*_Packages*" > /dev/null; }

case $cmd in
update)
	apt-get -q "${opts[@]}" update > "$state/update.log" 2>&1 || {
		cat "$state/update.log" >&2
		echo "apt-arch: apt-get update for $arch failed" >&2
		exit 1
	}
	;;
download)
	have_lists || "$0" "$arch" update
	apt-get -q "${opts[@]}" download "$@"
	;;
version)
	have_lists || "$0" "$arch" update
	apt-cache "${opts[@]}" policy "${1:?package}" |
		sed -n 's/^  Candidate: //p'
	;;
depends)
	have_lists || "$0" "$arch" update
	apt-cache "${opts[@]}" depends "${1:?package}"
	;;
closure)
	have_lists || "$0" "$arch" update
	mkdir -p partial
	apt-get -q -y "${opts[@]}" -o "Dir::Cache::archives=$PWD" \
		--no-install-recommends install --download-only "$@"
	rmdir partial 2>/dev/null || true
	;;
*)
	echo "apt-arch: unknown command $cmd" >&2
	exit 2
	;;
esac
