#!/bin/bash
# Debian packaging: the working tree is exported to a temporary directory,
# packaging/debian becomes its debian/, dpkg-buildpackage builds the binary
# packages, and their contents are checked:
#   natkeep-dkms  the module sources exactly as `make dkms-install` lays
#                 them out, dkms.conf and Kbuild, DKMS maintainer scripts
#   natkeep       natkeepd, natkeepctl, their man pages, /etc/natkeepd.conf
#                 (a conffile, 0640), the systemd unit (not enabled),
#                 Depends on the libraries the binaries need
# plus `systemd-analyze verify` of the unit and lintian (errors fail,
# warnings are shown), where installed.
#
# NK_DEB_OUT=DIR: the .deb files are copied to DIR.
# Needs the packages of tests/deps.sh ("# packaging" and the build ones).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
top=$PWD

ver=$(sed -n 's/^#define NATKEEP_VERSION "\(.*\)"/\1/p' kmod/version.h)
arch=$(dpkg --print-architecture)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/result.sh
skipped=0
skip() { echo "SKIP: $1"; skipped=$((skipped + 1)); }
finish() {
	[ -z "${NK_DEB_OUT:-}" ] || cp "$tmp"/*.deb "$NK_DEB_OUT"/ 2>/dev/null
	[ "$skipped" = 0 ] || echo "($skipped skipped)"
	result_summary
	exit
}
# check DESCRIPTION COMMAND...: one PASS/FAIL line for a command's status.
check() {
	local what=$1
	shift
	"$@" >/dev/null 2>&1
	result $? "$what"
}

missing=()
for t in dpkg-buildpackage dpkg-deb dh dh_dkms; do
	command -v "$t" >/dev/null || missing+=("$t")
done
if [ ${#missing[@]} -gt 0 ]; then
	result 1 "packaging tools installed (missing: ${missing[*]}; run tests/deps.sh)"
	finish
fi

clver=$(dpkg-parsechangelog -l packaging/debian/changelog -S Version)
[ "$clver" = "$ver" ]
result $? "debian/changelog version $clver is NATKEEP_VERSION $ver"

# --- the export: the source files of the working tree, no build outputs ---
src=$tmp/natkeep-$ver
mkdir -p "$src"
tests/copy-tree.sh "$src" Kbuild Makefile README.md agent include kmod packaging
cp -a "$src/packaging/debian" "$src/debian"
[ -x "$src/debian/rules" ] && [ ! -e "$top/debian" ]
result $? "export of the tree with packaging/debian as debian/ (top level has no debian/)"

# --- the build ---
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1
rc=$?
full=1 why=
if [ $rc != 0 ]; then
	full=0
	tail -n 60 "$tmp/build.log"
	why=$(grep -E -m 1 "cannot stat|missing files:|error:" "$tmp/build.log")
	# natkeep-dkms is still checked, on its own.
	(cd "$src" && dpkg-buildpackage -us -uc -A) >"$tmp/build-indep.log" 2>&1 ||
		tail -n 40 "$tmp/build-indep.log"
fi
result $rc "dpkg-buildpackage -us -uc -b (natkeep, natkeep-dkms)${why:+: $why}"

# field DEB FIELD: one control field of a .deb.
field() { dpkg-deb -f "$1" "$2" 2>/dev/null; }
# has DEB PATH: the .deb holds PATH (./-relative, as dpkg-deb -c prints).
has() { dpkg-deb -c "$1" 2>/dev/null | awk '{ print $6 }' | grep -qx "./$2"; }
# mode DEB PATH: its permissions as dpkg-deb -c prints them (-rw-r--r--).
mode() { dpkg-deb -c "$1" 2>/dev/null | awk -v p="./$2" '$6 == p { print $1 }'; }

# owner FILE: the package that ships FILE, under any of its merged-/usr names.
owner() {
	local p f=$1
	[ -n "$f" ] || return
	for p in "$f" "$(realpath "$f")" "${f#/usr}" "/usr${f#/usr}"; do
		dpkg -S "$p" 2>/dev/null | head -n 1 | cut -d: -f1 | grep . && return
	done
}

# --- natkeep-dkms ---
dkms_deb=$tmp/natkeep-dkms_${ver}_all.deb
if [ ! -f "$dkms_deb" ]; then
	result 1 "natkeep-dkms_${ver}_all.deb built"
else
	[ "$(field "$dkms_deb" Package)/$(field "$dkms_deb" Version)/$(field "$dkms_deb" Architecture)" = "natkeep-dkms/$ver/all" ]
	result $? "natkeep-dkms: Package, Version $ver, Architecture all (dpkg-deb -I)"
	field "$dkms_deb" Depends | grep -Eq '(^|, )dkms( |,|$)'
	result $? "natkeep-dkms: Depends on dkms ($(field "$dkms_deb" Depends))"
	d=/usr/src/natkeep-$ver
	for f in dkms.conf Kbuild kmod/Kbuild kmod/main.c kmod/version.h include/uapi/linux/natkeep.h; do
		has "$dkms_deb" "${d#/}/$f"
		result $? "natkeep-dkms holds $d/$f (dpkg-deb -c)"
	done

	# The same tree as `make dkms-install`: names, modes and contents.
	make -s dkms-install DESTDIR="$tmp/ref" >/dev/null 2>&1
	dpkg-deb -x "$dkms_deb" "$tmp/x-dkms"
	listing() { (cd "$1" && find ".$d" -printf '%y %m %p\n' | LC_ALL=C sort); }
	if [ -d "$tmp/ref$d" ] && diff <(listing "$tmp/ref") <(listing "$tmp/x-dkms") &&
	   diff -r "$tmp/ref$d" "$tmp/x-dkms$d"; then
		result 0 "natkeep-dkms: $d is exactly what make dkms-install lays out"
	else
		result 1 "natkeep-dkms: $d is exactly what make dkms-install lays out"
	fi
	grep -qx "PACKAGE_VERSION=\"$ver\"" "$tmp/x-dkms$d/dkms.conf" &&
		grep -qx 'PACKAGE_NAME="natkeep"' "$tmp/x-dkms$d/dkms.conf"
	result $? "natkeep-dkms: dkms.conf is natkeep $ver"
	[ -z "$(find "$tmp/x-dkms" -mindepth 1 -maxdepth 1 ! -name usr)" ] &&
		[ -z "$(find "$tmp/x-dkms/usr" -mindepth 1 -maxdepth 1 ! -name src ! -name share)" ]
	result $? "natkeep-dkms: nothing outside /usr/src and /usr/share/doc"

	dpkg-deb -e "$dkms_deb" "$tmp/c-dkms"
	grep -q '/usr/lib/dkms/common.postinst' "$tmp/c-dkms/postinst" 2>/dev/null &&
		grep -qx 'DKMS_NAME=natkeep' "$tmp/c-dkms/postinst" &&
		grep -qx "DKMS_VERSION=$ver" "$tmp/c-dkms/postinst"
	result $? "natkeep-dkms: postinst adds, builds and installs natkeep/$ver with DKMS (dh_dkms)"
	# shellcheck disable=SC2016 # the literal text of the script
	grep -q 'dkms remove -m $DKMS_NAME -v $DKMS_VERSION --all' "$tmp/c-dkms/prerm" 2>/dev/null
	result $? "natkeep-dkms: prerm removes it from DKMS"
fi

# --- natkeep ---
unit_src=packaging/systemd/natkeepd.service
deb=$tmp/natkeep_${ver}_${arch}.deb
if [ "$full" = 1 ]; then
	if [ ! -f "$deb" ]; then
		result 1 "natkeep_${ver}_${arch}.deb built"
	else
		[ "$(field "$deb" Package)/$(field "$deb" Version)/$(field "$deb" Architecture)" = "natkeep/$ver/$arch" ]
		result $? "natkeep: Package, Version $ver, Architecture $arch (dpkg-deb -I)"
		for f in usr/sbin/natkeepd usr/sbin/natkeepctl \
			 usr/share/man/man8/natkeepd.8.gz usr/share/man/man8/natkeepctl.8.gz \
			 usr/share/man/man5/natkeepd.conf.5.gz etc/natkeepd.conf \
			 lib/systemd/system/natkeepd.service; do
			has "$deb" "$f"
			result $? "natkeep holds /$f (dpkg-deb -c)"
		done
		for f in usr/sbin/natkeepd usr/sbin/natkeepctl; do
			[ "$(mode "$deb" "$f")" = "-rwxr-xr-x" ]
			result $? "natkeep: /$f is 0755"
		done
		[ "$(mode "$deb" etc/natkeepd.conf)" = "-rw-r-----" ]
		result $? "natkeep: /etc/natkeepd.conf is 0640 (it holds passwords)"

		dpkg-deb -e "$deb" "$tmp/c"
		dpkg-deb -x "$deb" "$tmp/x"
		grep -qx /etc/natkeepd.conf "$tmp/c/conffiles" 2>/dev/null
		result $? "natkeep: /etc/natkeepd.conf is a conffile"
		diff <(sed -e 's|^#ControlSocket = /run/natkeepd.sock$|ControlSocket = /run/natkeepd/natkeepd.sock|' \
			-e 's|^#StateFile = /run/natkeepd.state$|StateFile = /run/natkeepd/natkeepd.state|' \
			packaging/natkeepd.conf) "$tmp/x/etc/natkeepd.conf" >/dev/null
		result $? "natkeep: /etc/natkeepd.conf is packaging/natkeepd.conf, ControlSocket and StateFile in the unit's RuntimeDirectory"
		cmp -s "$unit_src" "$tmp/x/lib/systemd/system/natkeepd.service"
		result $? "natkeep: the unit is $unit_src"
		grep -qx 'L /run/natkeepd.sock - - - - natkeepd/natkeepd.sock' \
			"$tmp/x/usr/lib/tmpfiles.d/natkeep.conf" 2>/dev/null &&
			grep -q 'systemd-tmpfiles .*--create natkeep.conf' "$tmp/c/postinst"
		result $? "natkeep: tmpfiles.d links /run/natkeepd.sock to the socket in /run/natkeepd/"
		grep -q "deb-systemd-helper debian-installed 'natkeepd.service'" "$tmp/c/postinst" 2>/dev/null &&
			! grep -q "was-enabled defaults to true" "$tmp/c/postinst"
		result $? "natkeep: postinst does not enable natkeepd.service (dh_installsystemd --no-enable)"
		grep -q "deb-systemd-invoke stop 'natkeepd.service'" "$tmp/c/prerm" 2>/dev/null
		result $? "natkeep: prerm stops natkeepd.service"
		grep -q 'adduser .*--system .*natkeepd' "$tmp/c/postinst" &&
			grep -q 'chown root:natkeepd' "$tmp/c/postinst"
		result $? "natkeep: postinst creates the natkeepd user and gives it the configuration"

		# ${shlibs:Depends}: every library the binaries need is depended on.
		deps=$(field "$deb" Depends)
		bad=()
		for lib in $(objdump -p "$tmp/x/usr/sbin/natkeepd" "$tmp/x/usr/sbin/natkeepctl" 2>/dev/null |
				awk '$1 == "NEEDED" { print $2 }' | sort -u); do
			pkg=$(owner "$(ldconfig -p | awk -v l="$lib" '$1 == l { print $NF; exit }')")
			printf '%s\n' "$deps" | grep -Eq "(^|, )$pkg( |,|$)" || bad+=("$lib${pkg:+ ($pkg)}")
		done
		[ ${#bad[@]} = 0 ]
		result $? "natkeep: Depends ($deps) covers the binaries' libraries${bad:+ (missing: ${bad[*]})}"
		for lib in libsofia-sip-ua0 libmnl0 libnl-3-200; do
			printf '%s\n' "$deps" | grep -q "$lib"
			result $? "natkeep: Depends on $lib"
		done
	fi
fi

# --- the init files ---
if command -v systemd-analyze >/dev/null; then
	# verify checks that ExecStart= exists: the packaged natkeepd, or a
	# stand-in until it is built. Man pages are checked in the package.
	exe=$tmp/x/usr/sbin/natkeepd
	if [ ! -x "$exe" ]; then
		exe=$tmp/natkeepd-stand-in
		printf '#!/bin/sh\n' >"$exe" && chmod +x "$exe"
	fi
	mkdir -p "$tmp/unit"
	sed "s|/usr/sbin/natkeepd|$exe|" "$unit_src" >"$tmp/unit/natkeepd.service"
	out=$(systemd-analyze verify --man=no "$tmp/unit/natkeepd.service" 2>&1)
	rc=$?
	[ -z "$out" ] || printf '%s\n' "$out"
	[ $rc = 0 ] && [ -z "$out" ]
	result $? "systemd-analyze verify $unit_src: no complaint"
	score=$(systemd-analyze security --offline=yes "$tmp/unit/natkeepd.service" 2>/dev/null |
		sed -n 's/.*Overall exposure level for natkeepd.service: \([0-9.]*\).*/\1/p')
	[ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'
	result $? "systemd-analyze security: exposure ${score:-?} (at most 2.0)"
else
	skip "systemd-analyze verify (systemd not installed)"
fi

# --- lintian ---
if command -v lintian >/dev/null; then
	changes=
	for f in "$tmp"/natkeep_"$ver"_*.changes; do [ -f "$f" ] && changes=$f; done
	if [ -z "$changes" ]; then
		result 1 "lintian: no .changes to check"
	else
		# (lintian leaves its ELF index files in TMPDIR)
		TMPDIR=$tmp lintian --tag-display-limit 0 "$changes" >"$tmp/lintian.log" 2>&1
		grep -v 'running with root privileges is not recommended' "$tmp/lintian.log" |
			sed 's/^/lintian: /'
		errors=$(grep -c '^E: ' "$tmp/lintian.log")
		[ "$errors" = 0 ]
		result $? "lintian $(basename "$changes"): no errors ($errors errors, $(grep -c '^W: ' "$tmp/lintian.log") warnings)"
	fi
else
	skip "lintian (not installed)"
fi

finish
