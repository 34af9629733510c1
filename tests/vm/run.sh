#!/bin/bash
# Run a command inside a throw-away qemu VM (TCG) booting Debian's kernel,
# with the host's root mounted read-only, in the current working directory.
#
#   tests/vm/run.sh [-k KVER | -D DIR | -a ARCH] [-S] [-m MEM] [-t TIMEOUT_S] [-p PLUGIN] [-v] [-W] [-w] -- COMMAND [ARGS...]
#
#   -k KVER   kernel version (default: the one the module builds for,
#             tests/kernels.sh default)
#   -D DIR    boot the debug kernel in DIR (tests/vm/debug-kernel.sh) instead,
#             on a q35 machine: its lib/modules on /lib/modules, -W, -m 2048M
#   -a ARCH   boot another architecture (arm64: qemu-system-aarch64's virt
#             machine) with its Debian kernel and a root of its Debian
#             packages (tests/cross/rootfs.sh) instead of the host's; the
#             working directory (under /tmp or /root) is shared;
#             NK_ROOTFS=DIR boots that root instead of asking rootfs.sh
#   -S        systemd as PID 1, the command its unit; the whole root
#             writable (a tmpfs overlay): packages install
#   -m MEM    guest memory (default 1024M; 2048M with -D)
#   -t SECS   kill the VM after SECS seconds (default 1200)
#   -p SPEC   load a TCG plugin into qemu (-plugin SPEC: FILE.so,ARG=...)
#   -v        also show the whole kernel console on stderr
#   -W        boot with panic_on_warn=1 oops=panic: any kernel WARNING ends the VM
#   -w        not that (overrides -W and -D's default)
#
# The command's stdout+stderr arrive on stdout (via the VM's second serial
# port; with -a a virtio console).  Kernel WARNING/BUG/Oops blocks from the console are copied to
# stderr as "[kernel] ..." lines.  Exit status: the command's own, or
# 124 if the VM timed out, 125 if it crashed / never reported a status.
# The command runs with a minimal environment (PATH, HOME=/root, TERM=dumb,
# LANG=C.UTF-8); pass more with `env VAR=value COMMAND`.
# The full console of the last run is kept in $cache/last-console.log.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/natkeep/vm

usage() {
	sed -n '4,23p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

kver='' mem='' timeout_s=1200 verbose=0 panic_on_warn='' plugin=() debug_dir='' arch='' systemd=0
while getopts k:D:a:Sm:t:p:vWwh opt; do
	case $opt in
	k) kver=$OPTARG ;;
	D) debug_dir=$OPTARG ;;
	a) arch=$OPTARG ;;
	S) systemd=1 ;;
	m) mem=$OPTARG ;;
	t) timeout_s=$OPTARG ;;
	p) plugin=(-plugin "$OPTARG") ;;
	v) verbose=1 ;;
	W) panic_on_warn=1 ;;
	w) panic_on_warn=0 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || usage

root=/
if [ -n "$arch" ]; then
	# Another architecture: its own root, kernel and busybox.
	[ -z "$kver$debug_dir" ] || { echo "run.sh: -a excludes -k and -D" >&2; exit 2; }
	[ "$arch" = arm64 ] || { echo "run.sh: -a: only arm64 boots (not $arch)" >&2; exit 2; }
	[ $systemd = 0 ] || { echo "run.sh: -a excludes -S (the arm64 root has no systemd)" >&2; exit 2; }
	# NK_ROOTFS: the root rootfs.sh printed (its caller checked it already).
	root=${NK_ROOTFS:-$("$here/../cross/rootfs.sh" "$arch")}
	kver=$(cd "$root/lib/modules" && echo *)
	kernel=$root/boot/vmlinuz-$kver
	moddir=$root/lib/modules/$kver
	export BUSYBOX=$root/bin/busybox
	: "${mem:=1024M}" "${panic_on_warn:=0}"
elif [ -n "$debug_dir" ]; then
	# The debug kernel: everything the VM needs is built in; its
	# lib/modules tree (modules.builtin, for modprobe) replaces the host's.
	[ -z "$kver" ] || { echo "run.sh: -k and -D exclude each other" >&2; exit 2; }
	[ -d "$debug_dir" ] || { echo "run.sh: -D: no directory $debug_dir" >&2; exit 2; }
	debug_dir=$(cd "$debug_dir" && pwd -P)
	[ -s "$debug_dir/kernelrelease" ] && [ -s "$debug_dir/kernel" ] ||
		{ echo "run.sh: $debug_dir is not a built debug kernel (no kernel/kernelrelease; tests/vm/debug-kernel.sh builds one)" >&2; exit 2; }
	case $debug_dir in *[[:space:]]*) echo "run.sh: -D: the path must not contain spaces" >&2; exit 2 ;; esac
	kver=$(cat "$debug_dir/kernelrelease")
	moddir=$debug_dir/lib/modules/$kver
	[ -s "$moddir/modules.builtin" ] || { echo "run.sh: $moddir/modules.builtin missing" >&2; exit 2; }
	kernel=$debug_dir/kernel
	# KASAN's shadow (1/8), its quarantine, lockdep's and kmemleak's
	# tables: more than the stock kernel's 1024M.
	: "${mem:=2048M}" "${panic_on_warn:=1}"
else
	# Default kernel: the one the module is built against (DKMS-style).
	[ -n "$kver" ] || kver=$("$here/../kernels.sh" default)
	[ -f "/boot/vmlinuz-$kver" ] || { echo "run.sh: no /boot/vmlinuz-$kver (install linux-image-$kver)" >&2; exit 2; }
	kernel=/boot/vmlinuz-$kver
	moddir=/lib/modules/$kver
	: "${mem:=1024M}" "${panic_on_warn:=0}"
fi
[ -r "$kernel" ] || { echo "run.sh: $kernel not readable" >&2; exit 2; }

# The VM sees the host root, except where init.sh mounts fresh filesystems.
cwd=$(pwd -P)
case $cwd in
/run | /run/* | /var/tmp | /var/tmp/* | /dev | /dev/* | /proc | /proc/* | /sys | /sys/*)
	echo "run.sh: the working directory $cwd is not visible inside the VM" >&2
	exit 2
	;;
esac
# Another root: the working directory is a share of its own, mounted where
# the root is writable (an overlay).
if [ -n "$arch" ]; then
	case $cwd in
	/tmp/?* | /root/?*) ;;
	*) echo "run.sh: -a: the working directory must be under /tmp or /root ($cwd)" >&2; exit 2 ;;
	esac
	case $cwd in *[[:space:],:]*) echo "run.sh: -a: the working directory's path must not contain spaces, commas or colons" >&2; exit 2 ;; esac
fi

# (Re)build the cached initramfs when its inputs changed.
mkdir -p "$cache"
initrd=$cache/initramfs-$kver.cpio.gz
# A debug kernel's: one per build directory (same release, other configs).
[ -n "$debug_dir" ] && initrd=$cache/initramfs-$kver-$(printf '%s' "$debug_dir" | sha1sum | cut -c1-8).cpio.gz
if [ ! -s "$initrd" ] || [ "$here/mkinitramfs.sh" -nt "$initrd" ] ||
	[ "$here/init.sh" -nt "$initrd" ] || [ "$moddir/modules.dep" -nt "$initrd" ]; then
	"$here/mkinitramfs.sh" "$kver" "$initrd" "$moddir"
fi

# Boot the uncompressed ELF vmlinux through PVH when we can extract it:
# decompressing Debian's xz bzImage under TCG costs ~3.5 s of every boot.
# (The debug kernel is such a vmlinux already.)
vmlinux=$cache/vmlinux-$kver
extract_vmlinux() {
	local off notes
	off=$(grep -abo -m1 $'\xfd7zXZ' "$kernel" | head -n 1 | cut -d: -f1) || return 1
	[ -n "$off" ] || return 1
	# Process substitution, not a pipe: xz stops at the end of the stream
	# and tail's SIGPIPE would fail the pipeline under pipefail.
	xz -dc --single-stream <(tail -c +$((off + 1)) "$kernel") >"$vmlinux.tmp" 2>/dev/null || return 1
	notes=$(readelf -n "$vmlinux.tmp" 2>/dev/null) || return 1
	grep -Eq 'Xen.*(0x00000012\)|PHYS32)' <<<"$notes" # PVH entry point note
}
if [ -z "$debug_dir$arch" ]; then
	if [ ! -e "$vmlinux" ] || [ "$kernel" -nt "$vmlinux" ]; then
		if extract_vmlinux; then
			mv -f "$vmlinux.tmp" "$vmlinux"
		else
			rm -f "$vmlinux.tmp"
			: >"$vmlinux" # remembered: not extractable (not xz or no PVH note)
		fi
	fi
	[ -s "$vmlinux" ] && kernel=$vmlinux
fi

case ${TMPDIR:-/tmp} in *[[:space:],:]*) echo "run.sh: TMPDIR must not contain spaces, commas or colons" >&2; exit 2 ;; esac
[ -z "$arch" ] || case ${TMPDIR:-/tmp}/ in /tmp/* | /root/?*) ;; *) echo "run.sh: -a: TMPDIR must be under /tmp or /root" >&2; exit 2 ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/natkeep-vm.XXXXXX")
qemu_pid='' tail_pid=''
cleanup() {
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
	[ -n "$tail_pid" ] && kill "$tail_pid" 2>/dev/null
	[ -f "$tmp/console.log" ] && cp -f "$tmp/console.log" "$cache/last-console.log"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The command travels as a script the VM reads over 9p: %q keeps every
# argument intact (spaces, quotes, newlines), unlike the kernel command line.
accel=tcg,thread=multi
{
	printf 'cd -- %q || exit 125\n' "$cwd"
	# make bench reports how the VM ran.
	printf 'export NK_VM_ACCEL=%q\n' "${accel%%,*}"
	printf 'exec'
	printf ' %q' "$@"
	printf '\n'
} >"$tmp/job.sh"

append="loglevel=5 panic=-1 natkeep.job=$tmp/job.sh"
# slab_nomerge: the module's own slab cache stays visible in /proc/slabinfo.
append+=" slab_nomerge random.trust_cpu=on"
[ $panic_on_warn = 1 ] && append+=" panic_on_warn=1 oops=panic"
# systemd's generators read the kernel's command line: none of the host's
# mounts (its fstab, crypttab) to wait for.
[ $systemd = 1 ] && append+=" natkeep.systemd fstab=no luks=no"
# The debug kernel: its modules dir; kmemleak on even if a config says
# default off (it scans only when asked: no auto scan thread).
[ -n "$debug_dir" ] && append+=" natkeep.modules=$debug_dir/lib/modules kmemleak=on"
# The debug kernel boots a q35 machine: the pc machine's ACPI tables build
# the PCI interrupt routing (_PRT) in an AML loop, which under KASAN,
# kmemleak and lockdep runs into ACPI's 30 s loop timeout (30 s more per
# boot, and no INTx); q35's table is static.
machine=pc
[ -n "$debug_dir" ] && machine=q35
share=security_model=none,multidevs=remap
if [ -n "$arch" ]; then
	# virt has one UART, the console; the job's output goes over a virtio
	# console. cortex-a72, not max: TCG's pointer authentication is slow.
	# shellcheck disable=SC2054 # the commas are within -virtfs options
	qemu=(qemu-system-aarch64 -machine virt -cpu cortex-a72
		-virtfs "local,path=$cwd,mount_tag=work,$share,readonly=on"
		-virtfs "local,path=$tmp,mount_tag=job,$share,readonly=on"
		-serial chardev:con -device virtio-serial-pci
		-device virtconsole,chardev=out)
	append="console=ttyAMA0 $append natkeep.mounts=work:$cwd,job:$tmp natkeep.out=hvc0"
else
	# Two UARTs: the console and the job's output.
	qemu=(qemu-system-x86_64 -machine "$machine" -cpu max
		-serial chardev:con -serial chardev:out)
	# TCG: skip the slow calibrations and checks that mean nothing in an emulator.
	append="console=ttyS0 $append tsc=reliable no_timer_check 8250.nr_uarts=2"
fi

: >"$tmp/console.log"
# stdin </dev/null: the VM takes no input; qemu then leaves the terminal alone.
timeout -k 10 "$timeout_s" "${qemu[@]}" \
	-nodefaults -no-user-config -display none -no-reboot \
	-accel "$accel" -smp 2 -m "$mem" "${plugin[@]}" \
	-kernel "$kernel" -initrd "$initrd" -append "$append" \
	-virtfs "local,path=$root,mount_tag=host,$share,readonly=on" \
	-chardev file,id=con,path="$tmp/console.log" \
	-chardev stdio,id=out,signal=off \
	</dev/null &
qemu_pid=$!

# Follow the console: everything with -v, else only kernel trouble (a
# WARNING/BUG/Oops block up to its end marker, at most 80 lines).
# (A bash loop, not awk: mawk buffers its input and would not stream.)
filter_console() {
	local line show=0 n=0
	while IFS= read -r line; do
		line=${line%$'\r'}
		case $line in NATKEEP_VM_EXIT=*) continue ;; esac
		if [ $verbose = 1 ]; then
			printf '%s\n' "$line"
			continue
		fi
		if [[ $line =~ $trouble ]]; then
			[ $show = 1 ] || n=0
			show=1
		fi
		if [ $show = 1 ]; then
			printf '[kernel] %s\n' "$line"
			n=$((n + 1))
			[ $n -lt 80 ] || show=0
		fi
		[[ $line == *'---[ end '* ]] && show=0
	done
}
trouble='cut here|WARNING:|BUG:|Oops|general protection|KASAN|UBSAN|Kernel panic|Call Trace|blocked for more than|rcu.*stall|INFO: trying to register non-static key|ODEBUG:|NATKEEP_VM_INIT_ERROR'
tail -n +1 -F -s 0.2 --pid="$qemu_pid" "$tmp/console.log" 2>/dev/null | filter_console >&2 &
tail_pid=$!

vm_rc=0
wait "$qemu_pid" || vm_rc=$?
qemu_pid=
wait "$tail_pid" || true
tail_pid=

marker=$(tr -d '\r' <"$tmp/console.log" | sed -n 's/^NATKEEP_VM_EXIT=\([0-9][0-9]*\)$/\1/p' | tail -n 1)
if [ "$vm_rc" = 124 ] || [ "$vm_rc" = 137 ]; then
	echo "run.sh: VM TIMED OUT after ${timeout_s}s and was killed; console tail:" >&2
	tail -n 30 "$tmp/console.log" | tr -d '\r' | sed 's/^/  | /' >&2
	exit 124
fi
if [ -z "$marker" ]; then
	echo "run.sh: VM CRASHED or exited without reporting a status (qemu rc $vm_rc); console tail:" >&2
	tail -n 15 "$tmp/console.log" | tr -d '\r' | sed 's/^/  | /' >&2
	echo "run.sh: full console log: $cache/last-console.log" >&2
	exit 125
fi
exit "$marker"
