#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fill ccache with the compilations of a natkeep-dkms package's DKMS build,
# so that the same build in the packages tier's VM takes its objects from
# the host's (gcc runs ten times slower under TCG; kbuild, objtool,
# modpost and signing still run there):
#
#   dkms-ccache.sh DEB KVER     as root, with CCACHE_DIR (and ccache's
#                               other variables) set
#
# ccache's direct mode keys on the paths, so the host builds where DKMS
# builds in the VM, /var/lib/dkms/natkeep/VERSION/build, with dkms itself,
# in a mount namespace of its own whose /var/lib/dkms is a tmpfs: the
# host's DKMS state is not touched. Debian's kernel headers run the
# compiler through ccache when DEBIAN_KERNEL_USE_CCACHE is set.
set -euo pipefail
deb=${1:?usage: dkms-ccache.sh DEB KVER} kver=${2:?usage: dkms-ccache.sh DEB KVER}
: "${CCACHE_DIR:?dkms-ccache.sh: CCACHE_DIR is not set}"

if [ "${NK_DKMS_CCACHE_NS:-}" != 1 ]; then
	mkdir -p "$CCACHE_DIR"
	exec env NK_DKMS_CCACHE_NS=1 unshare -m --propagation private "$0" "$@"
fi
tmp=$(mktemp -d /tmp/natkeep-dkms-ccache.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mount -t tmpfs tmpfs /var/lib/dkms
dpkg-deb -x "$deb" "$tmp"
src=$(echo "$tmp"/usr/src/natkeep-*)
version=${src##*/natkeep-}
export DEBIAN_KERNEL_USE_CCACHE=1
dkms add -m natkeep -v "$version" --sourcetree "$tmp/usr/src"
dkms build -m natkeep -v "$version" -k "$kver" --sourcetree "$tmp/usr/src"
