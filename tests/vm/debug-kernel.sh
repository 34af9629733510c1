#!/bin/bash
# Build (once, cached outside the tree) the natkeep debug kernel and print
# its directory: x86_64 from Debian's linux-source-6.1 with KASAN, lockdep,
# DEBUG_ATOMIC_SLEEP, DEBUG_PREEMPT, kmemleak and debugobjects, on a trimmed
# config (allnoconfig + tests/vm/debug.config) with all the VM needs built in.
#
#   tests/vm/debug-kernel.sh [--print-dir] [--rebuild]
#
#   --print-dir  print the directory only, build nothing (exit 1 if it is
#                not built yet)
#   --rebuild    throw away the cached build of this config and rebuild it
#
# The directory (the only line on stdout; progress goes to stderr) holds:
#   kernel           the image to boot (bzImage: 6.1's PVH entry code is
#                    KASAN-instrumented and faults before KASAN is set up)
#   kernelrelease    its `uname -r`
#   src              the kernel source tree (a symlink) and
#   obj/             its O= build tree, for external modules:
#                      make -C DIR/src O=DIR/obj M=<module dir> modules
#   lib/modules/<kernelrelease>/   `make modules_install` output: no module,
#                    only modules.builtin, modules.dep... (modprobe of a
#                    built-in module succeeds); run.sh -D mounts it at
#                    /lib/modules in the VM
#   build.log, build-seconds   the build's output and how long it took
# The cache key is linux-source-6.1's package version, a hash of
# debug.config's settings and the compiler's version: a change of any rebuilds.
#
# Environment: NATKEEP_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/natkeep),
# NK_DEBUG_JOBS (make -j, default nproc).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/debug.config

log() { printf 'debug-kernel: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
usage() {
	sed -n '7,11p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

print_only=0 rebuild=0
while [ $# -gt 0 ]; do
	case $1 in
	--print-dir) print_only=1 ;;
	--rebuild) rebuild=1 ;;
	-h | --help) usage ;;
	*) log "unknown argument $1"; usage ;;
	esac
	shift
done

tarball=/usr/src/linux-source-6.1.tar.xz
[ -r "$tarball" ] || die "$tarball missing (apt-get install linux-source-6.1)"
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) ||
	die "package linux-source-6.1 not installed"
[ -r "$fragment" ] || die "$fragment missing"
command -v gcc >/dev/null || die "gcc missing"

cache=${NATKEEP_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/natkeep}
# Only the fragment's settings count: editing a comment rebuilds nothing.
key=$( { grep -E '^(CONFIG_|# CONFIG_[A-Za-z0-9_]+ is not set)' "$fragment"; gcc --version | head -n 1; } |
	sha1sum | cut -c1-10)
base=$cache/debug-linux-source-$srcver
src=$base/src
dir=$base/kernel-$key
stamp=$dir/.natkeep-built
case $dir in *[[:space:]]*) die "the cache path $dir must not contain spaces (it goes on the VM's kernel command line)" ;; esac

if [ $print_only = 1 ]; then
	echo "$dir"
	[ -e "$stamp" ]
	exit
fi

mkdir -p "$base"
exec 9>"$base/.lock"
if ! flock -n 9; then
	log "another build holds $base/.lock; waiting"
	flock 9
fi

if [ ! -e "$src/.natkeep-extracted" ]; then
	log "extracting $tarball ($srcver) into $src"
	rm -rf "$src" "$base/src.tmp"
	mkdir -p "$base/src.tmp"
	tar -xJf "$tarball" -C "$base/src.tmp" --strip-components=1 || die "extraction of $tarball failed"
	touch "$base/src.tmp/.natkeep-extracted"
	mv "$base/src.tmp" "$src"
fi

[ $rebuild = 1 ] && rm -rf "$dir"
if [ ! -e "$stamp" ]; then
	for t in make flex bison bc perl; do
		command -v $t >/dev/null || die "$t missing (apt-get install flex bison bc libelf-dev libssl-dev make)"
	done
	[ -e /usr/include/libelf.h ] || [ -e /usr/include/gelf.h ] || die "libelf headers missing (apt-get install libelf-dev; objtool needs them)"
	jobs=${NK_DEBUG_JOBS:-$(nproc)}
	rm -rf "$dir"
	mkdir -p "$dir/obj"
	ln -s ../src "$dir/src"
	blog=$dir/build.log
	kmake() { make -C "$src" O="$dir/obj" "$@" >>"$blog" 2>&1; }
	# User+system seconds of this shell's finished children: bash's
	# `times`, run in this shell (in a pipe or $(...) it would see its own).
	cpu_seconds() { # into $cpu_now
		times >"$dir/.times"
		cpu_now=$(tail -n 1 "$dir/.times" | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60 + a[2] } printf "%d", s }')
		rm -f "$dir/.times"
	}
	fail() {
		log "error: $1; the end of $blog:"
		tail -n 40 "$blog" | sed 's/^/  | /' >&2
		exit 1
	}
	log "configuring in $dir/obj (allnoconfig + $fragment)"
	: >"$blog"
	kmake allnoconfig KCONFIG_ALLCONFIG="$fragment" || fail "allnoconfig failed"
	kmake olddefconfig || fail "olddefconfig failed"
	# Every line of the fragment must have survived: a dependency not
	# named there drops an option silently.
	missing=$(grep -E '^(CONFIG_[A-Za-z0-9_]+=.*|# CONFIG_[A-Za-z0-9_]+ is not set)$' "$fragment" |
		while IFS= read -r line; do
			grep -qxF -- "$line" "$dir/obj/.config" || echo "  $line"
		done)
	[ -z "$missing" ] || die "options of $fragment not in the resulting .config (missing dependencies?):
$missing"
	cp "$dir/obj/.config" "$dir/config"

	log "building bzImage (-j$jobs; log: $blog) ..."
	t0=$(date +%s)
	cpu_seconds
	cpu0=$cpu_now
	kmake -j"$jobs" bzImage modules || fail "kernel build failed"
	kmake modules_install INSTALL_MOD_PATH="$dir" || fail "modules_install failed"
	secs=$(($(date +%s) - t0))
	cpu_seconds
	cpu=$((cpu_now - cpu0))

	release=$(cat "$dir/obj/include/config/kernel.release")
	[ -n "$release" ] || die "no kernel release in $dir/obj/include/config/kernel.release"
	[ -s "$dir/lib/modules/$release/modules.builtin" ] || die "no modules.builtin in $dir/lib/modules/$release"
	[ -s "$dir/obj/Module.symvers" ] || die "no Module.symvers in $dir/obj (external modules cannot build)"
	[ -s "$dir/obj/arch/x86/boot/bzImage" ] || die "no $dir/obj/arch/x86/boot/bzImage after the build"
	ln -f "$dir/obj/arch/x86/boot/bzImage" "$dir/kernel"
	echo "$release" >"$dir/kernelrelease"
	echo "$secs" >"$dir/build-seconds"
	echo "$srcver $key" >"$stamp.tmp" && mv "$stamp.tmp" "$stamp"
	log "debug kernel $release built in ${secs}s ($((secs / 60)) min $((secs % 60)) s) with -j$jobs;" \
		"CPU time ${cpu}s (user+sys: ~$((cpu / jobs / 60)) min on $jobs idle cores)"
else
	log "cached: $(cat "$dir/kernelrelease") (built in $(cat "$dir/build-seconds" 2>/dev/null || echo '?')s)"
fi
flock -u 9
echo "$dir"
