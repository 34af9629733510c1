#!/bin/bash
# Build the initramfs of the natkeep qemu test VM.
#
#   tests/vm/mkinitramfs.sh KVER OUTFILE [MODDIR]
#
# Contents: busybox-static ($BUSYBOX, default /bin/busybox: another
# architecture's for run.sh -a), the modules needed to mount the host's root over
# virtio-9p (plus overlay, for writable-but-populated dirs), and tests/vm/init.sh
# as /init.  Everything else (bash, ip, nft, python3, /lib/modules/KVER for
# modprobe) comes from the host root that /init mounts read-only.
# MODDIR (default /lib/modules/KVER) is where KVER's modules are, e.g. a
# debug kernel's <dir>/lib/modules/KVER (tests/vm/debug-kernel.sh); modules
# it lists in modules.builtin are left out, so a kernel with all of them
# built in gets an initramfs without modules.
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: $0 KVER OUTFILE [MODDIR]" >&2
	exit 2
fi
kver=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
moddir=${3:-/lib/modules/$kver}
# modinfo -b takes the dir above lib/modules/KVER.
modinfo_base=()
case $moddir in
/lib/modules/"$kver") ;;
*/lib/modules/"$kver") modinfo_base=(-b "${moddir%/lib/modules/"$kver"}") ;;
*) echo "$0: MODDIR must end in /lib/modules/$kver: $moddir" >&2; exit 2 ;;
esac

# Load order matters: insmod does no dependency resolution.  overlay is
# optional (init falls back to plain tmpfs without it); virtio_console
# carries the job's output where the machine has one UART (run.sh -a).
boot_modules="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p"
optional_modules="overlay virtio_console"

busybox=${BUSYBOX:-/bin/busybox}
[ -d "$moddir" ] || { echo "$0: $moddir missing (install linux-image-$kver)" >&2; exit 1; }
[ -x "$busybox" ] || { echo "$0: $busybox missing (apt-get install busybox-static)" >&2; exit 1; }
# A dynamic busybox would need its libc inside the initramfs.
if ldd "$busybox" >/dev/null 2>&1; then
	echo "$0: $busybox is dynamically linked; install busybox-static" >&2
	exit 1
fi

staging=$(mktemp -d "${TMPDIR:-/tmp}/natkeep-initramfs.XXXXXX")
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging"/{bin,dev,proc,sys,newroot,lower,rw,lib/natkeep-modules}
cp "$busybox" "$staging/bin/busybox"
ln -s busybox "$staging/bin/sh"
install -m 0755 "$here/init.sh" "$staging/init"

# Copy one module, decompressing it: busybox insmod only takes plain ELF.
# Prints nothing and fails if the module is neither a file nor built in.
add_module() {
	local name=$1 path dest
	dest=$staging/lib/natkeep-modules/$name.ko
	if ! path=$(modinfo "${modinfo_base[@]}" -k "$kver" -n "$name" 2>/dev/null) || [ ! -f "$path" ]; then
		# Built into the kernel (or merged into another module in newer
		# kernels, e.g. fscache into netfs): nothing to load.
		if grep -q "/${name//_/[-_]}\.ko" "$moddir/modules.builtin" 2>/dev/null; then
			return 0
		fi
		return 1
	fi
	case $path in
	*.ko.xz) xz -dc "$path" >"$dest" ;;
	*.ko.zst) zstd -qdc "$path" >"$dest" ;;
	*.ko.gz) gzip -dc "$path" >"$dest" ;;
	*.ko) cp "$path" "$dest" ;;
	*) echo "$0: unexpected module file $path" >&2; return 1 ;;
	esac
	echo "$name" >>"$staging/lib/natkeep-modules/order"
}

: >"$staging/lib/natkeep-modules/order"
for m in $boot_modules; do
	if ! add_module "$m"; then
		# netfs/fscache are only dependencies of 9p; newer kernels dropped
		# fscache as a separate module.  The 9p chain itself is mandatory.
		case $m in
		netfs | fscache) echo "$0: note: module $m not found for $kver, skipping" >&2 ;;
		*) echo "$0: module $m not found for $kver" >&2; exit 1 ;;
		esac
	fi
done
for m in $optional_modules; do
	add_module "$m" || echo "$0: note: optional module $m not found for $kver" >&2
done
echo "$kver" >"$staging/lib/natkeep-modules/kver"

# Write atomically: several run.sh may race to (re)build the cache.
tmp_out=$(mktemp "$(dirname "$out")/.initramfs.XXXXXX")
(cd "$staging" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --owner=0:0 --quiet) | gzip -6n >"$tmp_out"
chmod 0644 "$tmp_out"
mv -f "$tmp_out" "$out"
