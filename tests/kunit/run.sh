#!/bin/bash
# natkeep KUnit runner (tier kunit of make check, tests/README.md).
#
# Builds (once, cached) a User-Mode-Linux KUnit kernel with KASAN + lockdep from
# Debian's linux-source-6.1, builds the KUnit test module (default: kmod/tests)
# against it, boots UML with an init that insmods the module and powers off,
# parses the KTAP console with kunit.py parse and ends with "N passed, N failed".
#
# Usage: tests/kunit/run.sh [options] [MODULE_DIR] [MAKEVAR=VALUE ...]
#   MODULE_DIR        dir with the test module's Kbuild (default: $KUNIT_MODULE_DIR
#                     or <repo>/kmod/tests); must build natkeep_test.ko (or any *.ko)
#   MAKEVAR=VALUE     passed to the module's make (e.g. NATKEEP_WERROR=1)
#   --build-only      only make sure the cached UML kernel exists
#   --rebuild         throw away the cached UML build and rebuild it
#   --raw             also print the raw console
#   -h | --help
# Environment:
#   NATKEEP_CACHE     cache dir (default ${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/natkeep)
#   KUNIT_MODULE_DIR  module dir (overridden by the MODULE_DIR argument)
#   KUNIT_FILTER      kunit.filter_glob (default natkeep*): selects built-in
#                     suites; on 6.1 a module's suites always run regardless
#   KUNIT_TIMEOUT     seconds allowed for the boot (default 300; KUnit's own
#                     per-case timeout is also 300 s)
#   KUNIT_JOBS        make -j (default nproc)
#   KUNIT_KERNEL_ARGS extra UML kernel command line arguments
#   KUNIT_KEEP=1      keep the temp dir (console log, init script)
# Exit status: 0 if all tests passed; 1 on test failure, no tests, BUG/WARNING/
# KASAN/lockdep report, crash, timeout or module build error; 2 on usage or
# UML kernel build errors. The last stdout line is always "N passed, N failed".
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$script_dir/../.." && pwd)

log() { printf 'kunit: %s\n' "$*" >&2; }
die() { log "error: $*"; echo "0 passed, 1 failed"; exit 2; }

build_only=0 rebuild=0 raw=0
module_dir=${KUNIT_MODULE_DIR:-}
make_vars=()
while [ $# -gt 0 ]; do
	case $1 in
	--build-only) build_only=1 ;;
	--rebuild) rebuild=1 ;;
	--raw) raw=1 ;;
	-h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*=*) make_vars+=("$1") ;;
	-*) die "unknown option $1" ;;
	*) module_dir=$1 ;;
	esac
	shift
done
module_dir=${module_dir:-$repo/kmod/tests}

jobs=${KUNIT_JOBS:-$(nproc)}
filter=${KUNIT_FILTER:-natkeep*}
boot_timeout=${KUNIT_TIMEOUT:-300}

# ---------------------------------------------------------------- the kernel
tarball=/usr/src/linux-source-6.1.tar.xz
[ -r "$tarball" ] || die "$tarball missing (apt-get install linux-source-6.1)"
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) ||
	die "package linux-source-6.1 not installed"

cache=${NATKEEP_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/natkeep}
kconfig_add=(
	CONFIG_HOSTFS=y CONFIG_MODULES=y CONFIG_MODULE_UNLOAD=y
	CONFIG_DEBUG_KERNEL=y CONFIG_KASAN=y CONFIG_KASAN_VMALLOC=y
	CONFIG_PROVE_LOCKING=y
	CONFIG_NET=y CONFIG_INET=y CONFIG_IPV6=y
)
# UML 6.1 assumes a 2696-byte XSAVE area (AVX-512). On a host with a larger
# one (AMX: 11008) its PTRACE_SETREGSET of the FP registers fails with
# EFAULT and init dies at boot ("ptrace set fp regs failed, errno = 14");
# building it with the host's size instead crashes earlier still. Such a
# host cannot run this tier: say so and skip (xstate_size.c measures it).
xstate=0
if gcc -O2 -o "${TMPDIR:-/tmp}/natkeep-xstate.$$" "$script_dir/xstate_size.c" 2>/dev/null; then
	xstate=$("${TMPDIR:-/tmp}/natkeep-xstate.$$" 2>/dev/null || echo 0)
	rm -f "${TMPDIR:-/tmp}/natkeep-xstate.$$"
fi
if [ "$xstate" -gt 2696 ] && [ "${KUNIT_FORCE:-0}" != 1 ]; then
	log "SKIP: this host's XSAVE area is $xstate bytes; UML 6.1 supports 2696 and cannot boot here"
	log "      (KUNIT_FORCE=1 tries anyway)"
	echo "SKIP: kunit (host CPU's XSAVE area of $xstate bytes is beyond UML 6.1)"
	echo "0 passed, 0 failed"
	exit 0
fi
# The build dir is keyed by the source version and by the config list, so an
# upgrade of linux-source-6.1 or a change of kconfig_add rebuilds.
cfghash=$(printf '%s\n' "${kconfig_add[@]}" | sha1sum | cut -c1-8)
base=$cache/kunit-linux-source-$srcver
src=$base/src
build=$base/uml-$cfghash
stamp=$build/.natkeep-built

mkdir -p "$base"
exec 9>"$base/.lock"
flock 9	# one builder at a time; others wait, then see the stamp

if [ ! -e "$src/.natkeep-extracted" ]; then
	log "extracting $tarball ($srcver) into $src"
	rm -rf "$src" "$base/src.tmp"
	mkdir -p "$base/src.tmp"
	tar -xJf "$tarball" -C "$base/src.tmp" --strip-components=1 ||
		die "extraction failed"
	touch "$base/src.tmp/.natkeep-extracted"
	mv "$base/src.tmp" "$src"
fi
kunitpy=$src/tools/testing/kunit/kunit.py

if [ "$rebuild" = 1 ]; then rm -rf "$build"; fi
if [ ! -e "$stamp" ]; then
	for t in gcc make flex bison bc python3; do
		command -v $t >/dev/null || die "$t missing (apt-get install flex bison bc libelf-dev gcc make python3)"
	done
	log "building UML KUnit kernel in $build (-j$jobs; ~3 min on 2 cores)"
	t0=$(date +%s)
	mkdir -p "$build"
	args=(build --arch=um --build_dir="$build" --jobs="$jobs")
	for c in "${kconfig_add[@]}"; do args+=(--kconfig_add "$c"); done
	python3 "$kunitpy" "${args[@]}" >&2 || die "UML kernel build failed (log above; $build/.config)"
	for c in "${kconfig_add[@]}" CONFIG_KUNIT=y; do
		grep -qx "$c" "$build/.config" || die "$c not set in $build/.config"
	done
	[ -x "$build/linux" ] || die "no $build/linux after build"
	echo "$srcver ${kconfig_add[*]}" >"$stamp.tmp" && mv "$stamp.tmp" "$stamp"
	log "UML kernel built in $(( $(date +%s) - t0 ))s"
fi
flock -u 9
[ "$build_only" = 1 ] && exit 0

# ---------------------------------------------------------------- the module
[ -d "$module_dir" ] || die "module dir $module_dir does not exist"
module_dir=$(cd "$module_dir" && pwd)	# kbuild wants M= absolute ($(src) is M)
[ -e "$module_dir/Kbuild" ] || [ -e "$module_dir/Makefile" ] ||
	die "no Kbuild/Makefile in $module_dir"

log "building test module in $module_dir"
rm -f "$module_dir"/*.ko
make -s ARCH=um -C "$src" O="$build" M="$module_dir" -j"$jobs" "${make_vars[@]}" modules >&2 ||
	{ log "error: test module build failed"; echo "0 passed, 1 failed"; exit 1; }
mapfile -t kos < <(ls "$module_dir"/*.ko 2>/dev/null)
[ ${#kos[@]} -gt 0 ] || die "no .ko built in $module_dir"

# ---------------------------------------------------------------- the boot
tmp=$(mktemp -d /tmp/natkeep-kunit.XXXXXX)
chmod 755 "$tmp"
if [ "${KUNIT_KEEP:-0}" = 1 ]; then log "keeping $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi

if [ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx insmod; then
	bb=/bin/busybox
else
	bb=
fi
insmod=/sbin/insmod
[ -x "$insmod" ] || insmod="$bb insmod"
poweroff="${bb:+$bb poweroff -f}"

# The UML kernel sees the host's / (read-only, hostfs), so paths are the same.
cat >"$tmp/init" <<EOF
#!/bin/sh
# natkeep KUnit init, run as PID 1 inside UML
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc 2>/dev/null
mount -t sysfs sys /sys 2>/dev/null
for ko in ${kos[*]}; do
	echo "natkeep-kunit: insmod \$ko"
	$insmod "\$ko" || echo "natkeep-kunit: insmod \$ko failed: \$?"
done
echo "natkeep-kunit: done"
${poweroff:-poweroff -f}
sleep 5
EOF
chmod 755 "$tmp/init"

log "booting $build/linux (timeout ${boot_timeout}s)"
t0=$(date +%s.%N)
set +e
# shellcheck disable=SC2086
timeout -k 10 "$boot_timeout" "$build/linux" mem=256M rootfstype=hostfs rootflags=/ ro \
	init="$tmp/init" con=null con0=fd:0,fd:1 uml_dir="$tmp" \
	kunit.filter_glob="$filter" kunit.enable=1 ${KUNIT_KERNEL_ARGS:-} \
	</dev/null >"$tmp/console.log" 2>&1
boot_rc=$?
set -e
log "boot took $(printf '%.1f' "$(echo "$(date +%s.%N) - $t0" | bc)")s (exit $boot_rc)"
[ "$raw" = 1 ] && cat "$tmp/console.log" >&2

# ---------------------------------------------------------------- the verdict
fail=0
if [ "$boot_rc" = 124 ] || [ "$boot_rc" = 137 ]; then
	log "error: UML boot timed out after ${boot_timeout}s"; fail=1
fi
if ! grep -q '^natkeep-kunit: done' "$tmp/console.log"; then
	log "error: init did not finish (crash or hang?); end of console:"
	tail -n 40 "$tmp/console.log" >&2
	fail=1
fi
if grep -q 'natkeep-kunit: insmod .* failed' "$tmp/console.log"; then
	log "error: insmod failed:"; grep -B5 'natkeep-kunit: insmod .* failed' "$tmp/console.log" >&2; fail=1
fi
# Kernel trouble reports (KASAN "BUG: KASAN: ...", lockdep, WARN, Oops, UBSAN)
# while our module was loaded; normalized KTAP for kunit.py parse. Built-in
# suites (KASAN's own provokes BUGs) are filtered out by kunit.filter_glob.
python3 "$script_dir/console.py" "$tmp/console.log" "$tmp/ktap.log" || fail=1

# kunit.py parse: summary to stdout, results as JSON for the counts.
set +e
python3 "$kunitpy" parse --json="$tmp/results.json" "$tmp/ktap.log" | grep -v "Test results stored in" | tee "$tmp/parse.out"
parse_rc=${PIPESTATUS[0]}
set -e
counts=$(python3 - "$tmp/results.json" <<'PY' 2>/dev/null || echo "0 0 0"
import json, sys
r = json.load(open(sys.argv[1]))
p = f = s = 0
def walk(group):
    global p, f, s
    for c in group.get("test_cases", []):
        st = c.get("status")
        if st == "PASS": p += 1
        elif st == "SKIP": s += 1
        else: f += 1
    for g in group.get("sub_groups", []):
        walk(g)
walk(r)
print(p, f, s)
PY
)
read -r passed failed skipped <<<"$counts"
if [ "$parse_rc" != 0 ] && [ "$failed" = 0 ]; then log "error: kunit.py parse reports failure"; fail=1; fi
if [ $((passed + failed + skipped)) = 0 ]; then
	log "error: no KUnit test cases found in the console (does the module call kunit_test_suites()?)"; fail=1
fi
[ "$failed" -gt 0 ] && fail=1
# A run that failed for other reasons (BUG, timeout, no tests) must not read
# as "0 failed" to whoever sums the counts.
[ "$fail" = 1 ] && [ "$failed" = 0 ] && failed=1
[ "$skipped" -gt 0 ] && log "$skipped skipped"
echo "$passed passed, $failed failed"
exit $fail
