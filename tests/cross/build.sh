#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The cross tier: natkeepd, natkeepctl and the unit tests built for the
# gateways' other architectures with Debian's cross compilers against
# Debian's own libraries of that architecture (sysroot.sh), run under
# qemu-user; natkeep.ko built against Debian's kernel headers of that
# architecture (kernel-tree.sh).
#
#   tests/cross/build.sh [ARCH...]     default: arm64 armhf mipsel s390x musl
#
# "musl" compiles natkeep's userspace against musl's headers, OpenWrt's C
# library (Debian has no musl builds of sofia-sip and libmnl to link).
#
# The build happens in a copy of the tree: the native objects stay.
# Prints "N passed, N failed".
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
[ $# -gt 0 ] || set -- arm64 armhf mipsel s390x musl
work=$(mktemp -d /tmp/natkeep-cross.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$top/tests/result.sh"

# triplet, qemu-user name, readelf's Machine, Class and byte order, and
# the kernel's name for each architecture. s390x is no gateway's, but
# Debian 12's only big-endian one: it stands for big-endian MIPS and ARM
# (OpenWrt's ath79, ...), which Debian 12 does not build.
target() {
	case $1 in
	arm64) echo "aarch64-linux-gnu aarch64 AArch64 ELF64 little arm64" ;;
	armhf) echo "arm-linux-gnueabihf arm ARM ELF32 little arm" ;;
	mipsel) echo "mipsel-linux-gnu mipsel MIPS ELF32 little mips" ;;
	s390x) echo "s390x-linux-gnu s390x S/390 ELF64 big s390" ;;
	*) return 1 ;;
	esac
}

# The sources a build needs, without the native build's products.
copy_tree() {
	"$top/tests/copy-tree.sh" "$1" Kbuild kmod include agent \
		packaging/natkeepd.conf tests/unit tests/vectors
}

# elf_is FILE MACHINE CLASS ORDER: the ELF header says the architecture,
# word size and byte order we asked for.
elf_is() {
	local header
	header=$(LC_ALL=C readelf -h "$1" 2>/dev/null) || return 1
	grep -q "Machine:.*$2" <<< "$header" && grep -q "Class:.*$3" <<< "$header" &&
		grep -q "$4 endian" <<< "$header"
}

# Every userspace object compiled with musl-gcc, -Werror. The kernel's and
# the libraries' headers come from /usr/include one by one: the whole of
# it would bring glibc's. musl warns (#warning) where sofia-sip includes
# <sys/poll.h>, a header of its own, not ours: -Wno-cpp.
musl_check() {
	local inc=$work/musl-include src=$work/musl d

	echo "== musl"
	if ! command -v musl-gcc > /dev/null; then
		result 1 "musl: musl-gcc is installed (make deps)"
		return
	fi
	mkdir -p "$inc"
	for d in linux asm-generic libmnl; do
		ln -s "/usr/include/$d" "$inc/$d"
	done
	ln -s "/usr/include/$(gcc -dumpmachine)/asm" "$inc/asm"
	copy_tree "$src"
	make -s -C "$src/agent" objects CC=musl-gcc WERROR=1 \
		CPPFLAGS="-isystem $inc" CFLAGS="-O2 -Wno-cpp" > "$work/musl.log" 2>&1
	rc=$?
	tail -20 "$work/musl.log"
	result $rc "musl: every userspace source compiles against musl's headers with -Werror"
}

# Each architecture's downloads, one after the other (apt-arch.sh's
# caches are not for two at once): its libraries and kernel headers.
declare -A sysroots kdirs
for arch in "$@"; do
	[ "$arch" = musl ] && continue
	read -r triplet _ <<< "$(target "$arch")" || {
		echo "cross: unknown architecture $arch (arm64, armhf, mipsel, s390x, musl)" >&2
		exit 2
	}
	if ! command -v "$triplet-gcc" > /dev/null; then
		result 1 "$arch: $triplet-gcc is installed (make deps)"
		continue
	fi
	sysroots[$arch]=$("$here/sysroot.sh" "$arch")
	result $? "$arch: Debian's $arch libraries unpacked (${sysroots[$arch]})"
	kdirs[$arch]=$("$here/kernel-tree.sh" "$arch")
	result $? "$arch: Debian's $arch kernel headers unpacked (${kdirs[$arch]})"
done

# check_arch ARCH: its builds and runs.
check_arch() {
	local arch=$1 triplet qemu machine class order karch sysroot=${sysroots[$1]:-}
	local kdir=${kdirs[$1]:-} src run out rc sanitize counts release ko vermagic prog

	read -r triplet qemu machine class order karch <<< "$(target "$arch")"
	echo "== $arch ($triplet)"
	[ -n "$sysroot" ] && [ -n "$kdir" ] || return
	src=$work/$arch
	copy_tree "$src"
	run=(env "QEMU_LD_PREFIX=/usr/$triplet"
		"LD_LIBRARY_PATH=$sysroot/usr/lib/$triplet" "qemu-$qemu-static")

	make -s -C "$src/agent" WERROR=1 CROSS_COMPILE="$triplet-" SYSROOT="$sysroot" \
		> "$work/$arch-agent.log" 2>&1
	rc=$?
	[ $rc = 0 ] || tail -20 "$work/$arch-agent.log"
	result $rc "$arch: natkeepd and natkeepctl build with -Werror"
	for prog in natkeepd/natkeepd natkeepctl/natkeepctl; do
		elf_is "$src/agent/$prog" "$machine" "$class" "$order"
		result $? "$arch: ${prog#*/} is a $class $machine $order-endian executable"
	done
	out=$("${run[@]}" "$src/agent/natkeepd/natkeepd" -t -c "$src/packaging/natkeepd.conf" 2>&1)
	rc=$?
	echo "  $out"
	result $rc "$arch: natkeepd -t under qemu-$qemu reads the example configuration"
	out=$("${run[@]}" "$src/agent/natkeepctl/natkeepctl" --version 2>&1)
	rc=$?
	echo "  $out"
	[ $rc = 0 ] && grep -q '^natkeepctl ' <<< "$out"
	result $? "$arch: natkeepctl --version under qemu-$qemu"

	# The unit tests, with UBSan (ASan's shadow memory does not map under
	# qemu-user); where the cross compiler has no UBSan library (mipsel), a
	# check that fails traps. qemu-user passes only some netlink families
	# through, not generic netlink: the suite that opens one is left out.
	sanitize="-fsanitize=undefined -fno-sanitize-recover=all"
	case $("$triplet-gcc" -print-file-name=libubsan.so) in
	*/*) ;;
	*) sanitize="$sanitize -fsanitize-undefined-trap-on-error" ;;
	esac
	make -s -C "$src/tests/unit" check CROSS_COMPILE="$triplet-" SYSROOT="$sysroot" \
		SANITIZE="$sanitize" \
		BUILD="build-$arch" RUN="${run[*]}" RUN_ARGS="-x genl_suite" \
		> "$work/$arch-unit.log" 2>&1
	rc=$?
	grep -v -e '^PASS ' -e '^[0-9]* passed, [0-9]* failed$' "$work/$arch-unit.log" | grep -v ' natkeepd \(notice\|warning\|info\):' | tail -20
	counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$work/$arch-unit.log" | tail -1)
	[ $rc = 0 ] && [ -n "$counts" ]
	result $? "$arch: unit tests under qemu-$qemu, genl_suite left out: ${counts:-no result}"

	# The module, against Debian's kernel of that architecture: modpost
	# checks each symbol it uses against that kernel's Module.symvers (a
	# 64-bit division on a 32-bit kernel would be an undefined symbol).
	release=$(basename "$kdir")
	release=${release#linux-headers-}
	ko=$(ARCH=$karch CROSS_COMPILE=$triplet- "$top/tests/build-module.sh" "$kdir" \
		"$work/$arch-module" 2> "$work/$arch-module.log")
	rc=$?
	grep -v '^Skipping BTF generation' "$work/$arch-module.log" | tail -20
	[ $rc = 0 ] && ! grep -q 'WARNING' "$work/$arch-module.log"
	result $? "$arch: natkeep.ko builds for $release with -Werror, no modpost warning"
	elf_is "$ko" "$machine" "$class" "$order"
	result $? "$arch: natkeep.ko is a $class $machine $order-endian object"
	vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null)
	echo "  vermagic: $vermagic"
	[ "${vermagic%% *}" = "$release" ]
	result $? "$arch: natkeep.ko's vermagic names $release"
}

# Two at a time, on two CPUs; each one's lines in order afterwards, and
# its counts added up.
for arch in "$@"; do
	while [ "$(jobs -rp | wc -l)" -ge 2 ]; do
		wait -n
	done
	# shellcheck disable=SC2030,SC2031 # each job counts its own
	(
		passed=0 failed=0
		if [ "$arch" = musl ]; then
			musl_check
		else
			check_arch "$arch"
		fi
		echo "cross-counts $passed $failed"
	) > "$work/$arch.out" 2>&1 &
done
wait
for arch in "$@"; do
	grep -v '^cross-counts ' "$work/$arch.out"
	read -r _ p f <<< "$(grep '^cross-counts ' "$work/$arch.out" || echo "cross-counts 0 1")"
	# shellcheck disable=SC2031 # the jobs' counts come from their output
	passed=$((passed + p)) failed=$((failed + f))
done

result_summary
