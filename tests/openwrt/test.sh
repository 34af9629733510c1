#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The OpenWrt package's shell side: /etc/init.d/natkeepd and the UCI to
# natkeepd.conf translation (packaging/openwrt/natkeep/files), run under
# busybox sh (OpenWrt's shell) and dash with openwrt-stubs.sh standing in
# for OpenWrt's functions and procd, and the real natkeepd (-t) checking
# what they write. Needs agent/natkeepd/natkeepd (make userspace).
# Prints "N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
files=$top/packaging/openwrt/natkeep/files
natkeepd=$top/agent/natkeepd/natkeepd
work=$(mktemp -d /tmp/natkeep-openwrt.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
. "$top/tests/result.sh"

# check RC WHAT: a result of the shell under test.
check() {
	result "$1" "$sh: $2"
}

[ -x "$natkeepd" ] || { result 1 "there is $natkeepd (make userspace)"; result_summary; exit; }

# The init script with its paths under $root: each line must be found,
# so that a change of the script's shape fails here, not silently.
init_copy() {
	local out=$root/natkeepd.init
	sed -e "s|^\. \"\$IPKG_INSTROOT/usr/share/natkeep/natkeep-uci.sh\"$|. $files/natkeep-uci.sh|" \
		-e "s|^PROG=/usr/sbin/natkeepd$|PROG=$natkeepd|" \
		-e "s|^FILE_CONF=/etc/natkeepd.conf$|FILE_CONF=$root/etc/natkeepd.conf|" \
		-e "s|^UCI_CONF=/var/etc/natkeepd.conf$|UCI_CONF=$root/var/etc/natkeepd.conf|" \
		"$files/natkeepd.init" > "$out"
	[ "$(grep -c "$root\|$files\|$natkeepd" "$out")" = 4 ] || {
		echo "test.sh: natkeepd.init's paths are not where this test expects them" >&2
		return 1
	}
}

# setup UCI: a fresh root whose /etc/config/natkeep is UCI ("" for none).
setup() {
	root=$work/root.$((++n))
	mkdir -p "$root/etc/config" "$root/var/etc"
	[ -z "$1" ] || printf '%s\n' "$1" > "$root/etc/config/natkeep"
	: > "$root/procd.log"
	init_copy || exit 1
}

# run [VAR=value...] COMMANDS: COMMANDS in $sh after the stubs and the
# init script, as /etc/rc.common would; output in $root/out.
run() {
	local env=()
	while [ $# -gt 1 ]; do env+=("$1"); shift; done
	# shellcheck disable=SC2086 # $sh is "busybox sh": two words
	env "${env[@]}" UCI_CONFIG_DIR="$root/etc/config" PROCD_LOG="$root/procd.log" \
		$sh -c ". '$top/tests/openwrt/openwrt-stubs.sh'; . '$root/natkeepd.init'; $1" \
		> "$root/out" 2>&1
}

conf=var/etc/natkeepd.conf
full="config natkeepd 'natkeepd'
	option LogLevel 'debug'

config profile 'A'
	option ProxyServer 'voip.example.net'
	option X_ProxyServerRedundancy 'true'

config service 'SP1'
	option AuthUserName '15551230001'
	option AuthPassword '  \"quoted\"; a=b  '
	option X_KeepAliveEnable 'true'
	option X_KeepAliveMsgType 'custom'
	option X_CustomKeepAliveMsg 'mtd=NOTIFY;event=keep-alive;user=bob'
	list X_UserAgentPorts '5062'
	list X_UserAgentPorts '5064'

config service 'SP2'
	option AuthUserName 'alice'
	option AuthPassword 'it'\\''s \$x \\ \`y\`'
	option Enable 'false'"
# shellcheck disable=SC2016 # the file's text, $ and ` included
expected='# natkeepd.conf(5), written by /etc/init.d/natkeepd from ROOT/etc/config/natkeep:
# edit that file (or use uci), not this one.

[natkeepd]
LogLevel = "debug"

[ITSP Profile A - SIP]
ProxyServer = "voip.example.net"
X_ProxyServerRedundancy = "true"

[SP1 Service]
AuthUserName = "15551230001"
AuthPassword = "  "quoted"; a=b  "
X_KeepAliveEnable = "true"
X_KeepAliveMsgType = "custom"
X_CustomKeepAliveMsg = "mtd=NOTIFY;event=keep-alive;user=bob"
X_UserAgentPorts = "5062,5064"

[SP2 Service]
AuthUserName = "alice"
AuthPassword = "it'"'"'s $x \ `y`"
Enable = "false"'

# fault UCI MESSAGE WHAT: start refuses UCI with MESSAGE, starts nothing.
fault() {
	setup "$1"
	run start
	local rc=$?
	grep -qF -- "$2" "$root/out" && grep -q "^logger -t natkeepd -p daemon.err .*$(printf '%s' "$2" | sed 's/[][\.*^$]/\\&/g')" "$root/procd.log" &&
		! grep -q open_instance "$root/procd.log" && [ ! -e "$root/$conf" ] &&
		[ ! -e "$root/$conf.new" ]
	check $? "$3: refused, logged as \"$2\", nothing started or written"
	[ $rc = 0 ] || true
}

for sh in "busybox sh" dash; do
	n=0
	echo "== $sh"

	# A whole configuration: the file, its mode, procd's instance.
	setup "$full"
	run start
	grep -qx 'open_instance' "$root/procd.log"
	check $? "start with /etc/config/natkeep starts natkeepd"
	diff -u <(echo "${expected//ROOT/$root}") "$root/$conf" > "$root/diff"
	check $? "/etc/config/natkeep becomes the expected natkeepd.conf" || cat "$root/diff"
	"$natkeepd" -t -c "$root/$conf" > /dev/null 2>&1
	check $? "natkeepd -t accepts what was written"
	[ "$(stat -c %a "$root/$conf")" = 600 ]
	check $? "the written file is mode 600 (it holds passwords)"
	grep -qxF "set_param command $natkeepd -f -c $root/$conf" "$root/procd.log" &&
		grep -qx 'open_instance' "$root/procd.log" && grep -qx 'close_instance' "$root/procd.log"
	check $? "procd runs natkeepd -f -c on the written file"
	grep -qx 'set_param respawn' "$root/procd.log" &&
		grep -qx 'set_param term_timeout 30' "$root/procd.log"
	check $? "procd respawns it (its defaults) and gives it 30 s to un-register"
	grep -qx 'add_reload_trigger natkeep' "$root/procd.log"
	check $? "a commit of the natkeep configuration triggers a reload"

	# Reload: a fault leaves the running configuration as it was.
	cp "$root/$conf" "$root/before"
	sed -i "s/option X_ProxyServerRedundancy 'true'/option X_ProxyServerRedundancy 'maybe'/" \
		"$root/etc/config/natkeep"
	: > "$root/procd.log"
	run PROCD_RUNNING=1 reload_service
	! grep -q send_signal "$root/procd.log" && cmp -s "$root/before" "$root/$conf" &&
		grep -q 'natkeep.A: X_ProxyServerRedundancy: ' "$root/out"
	check $? "a reload with a fault sends no SIGHUP and keeps the file ($(tail -1 "$root/out"))"
	sed -i "s/'maybe'/'false'/" "$root/etc/config/natkeep"
	run PROCD_RUNNING=1 reload_service
	grep -qx 'send_signal natkeepd \* HUP' "$root/procd.log" &&
		grep -qx 'X_ProxyServerRedundancy = "false"' "$root/$conf"
	check $? "a reload of a good change rewrites the file and sends SIGHUP"
	: > "$root/procd.log"
	run reload_service
	grep -qx 'open_instance' "$root/procd.log" && ! grep -q send_signal "$root/procd.log"
	check $? "a reload when natkeepd is not running starts it"
	# A start (LuCI's, or a reload's while procd respawns it) with a fault:
	# procd would stop an instance start does not name; it is named again.
	cp "$root/$conf" "$root/before"
	sed -i "s/option LogLevel 'debug'/option LogLevel 'loud'/" "$root/etc/config/natkeep"
	: > "$root/procd.log"
	run PROCD_RUNNING=1 start
	grep -qxF "set_param command $natkeepd -f -c $root/$conf" "$root/procd.log" &&
		cmp -s "$root/before" "$root/$conf" && grep -q 'natkeep.natkeepd: LogLevel: ' "$root/out"
	check $? "a start with a fault while natkeepd runs keeps it running on its file"
	# No account left: a reload stops it (start names no instance).
	sed -i "s/'loud'/'info'/; /^config service/,\$d" "$root/etc/config/natkeep"
	: > "$root/procd.log"
	run PROCD_RUNNING=1 reload_service
	! grep -q -e open_instance -e send_signal "$root/procd.log" &&
		grep -q 'daemon.notice no service section' "$root/procd.log"
	check $? "a reload that leaves no account stops natkeepd (no instance, no SIGHUP)"

	# The shipped configuration: valid, no account, so nothing to start.
	setup "$(cat "$files/natkeep.config")"
	run start
	! grep -q open_instance "$root/procd.log" && "$natkeepd" -t -c "$root/$conf" > /dev/null &&
		grep -q 'daemon.notice no service section in' "$root/procd.log"
	check $? "the shipped /etc/config/natkeep is valid and starts nothing (no account)"
	# Its commented example, as it would be with the '#'s taken away.
	setup "$(sed -n 's/^#\(\tlist\|\toption\|\t#\| config\)/\1/p; /^config/,/^$/p' "$files/natkeep.config" |
		sed 's/^ config/config/')"
	run start
	grep -qx 'open_instance' "$root/procd.log" && grep -qx '\[SP1 Service\]' "$root/$conf" &&
		grep -qx 'X_UserAgentPorts = "5062,5064"' "$root/$conf"
	check $? "the shipped example, uncommented, is accepted and starts natkeepd"

	# No UCI file: /etc/natkeepd.conf as it is; neither: not started.
	setup ""
	cp "$top/packaging/natkeepd.conf" "$root/etc/natkeepd.conf"
	run start
	grep -qxF "set_param command $natkeepd -f -c $root/etc/natkeepd.conf" "$root/procd.log" &&
		[ ! -e "$root/$conf" ]
	check $? "without /etc/config/natkeep, natkeepd reads /etc/natkeepd.conf"
	printf '[SP1 Service]\nAuthUserName = bob\nX_KeepAliveExpires = 0\n' > "$root/etc/natkeepd.conf"
	: > "$root/procd.log"
	run start
	! grep -q open_instance "$root/procd.log" &&
		grep -q "daemon.err $root/etc/natkeepd.conf:3: X_KeepAliveExpires: " "$root/procd.log"
	check $? "a fault in /etc/natkeepd.conf: not started, the line and parameter logged"
	rm "$root/etc/natkeepd.conf"
	: > "$root/procd.log"
	run start
	! grep -q open_instance "$root/procd.log" && grep -q 'daemon.err neither ' "$root/procd.log"
	check $? "with neither file nothing starts, and the log says why"

	# Faults, each named by the UCI section (and option) at fault.
	fault "config profile 'X'
	option ProxyServer 'a.example'" "natkeep.X: a profile section is named A to H" "a profile named X"
	fault "config service
	option AuthUserName 'bob'" "natkeep.@service[0]: a service section is named SP1 to SP8" "an unnamed service"
	fault "config account 'SP1'" "natkeep.SP1: unknown section type 'account'" "an unknown section type"
	fault "config natkeepd 'a'
config natkeepd 'b'" "natkeep.b: a second natkeepd section (the first is natkeep.a)" "two natkeepd sections"
	fault "config profile 'A'
	option ProxyServer 'a.example'
config service 'SP1'
	option AuthUserName 'bob'
	option X_KeepAliveExpires '99999'" \
		'natkeep.SP1: X_KeepAliveExpires: "99999" is out of range (1..3600 seconds)' "a value out of range"
	fault "config profile 'A'
	option ProxyServr 'a.example'
config service 'SP1'
	option AuthUserName 'bob'" \
		'natkeep.A: ProxyServr: unknown parameter in [ITSP Profile A - SIP]' "a misspelt parameter"
	fault "config profile 'A'
	option ProxyServer 'a.example'
config service 'SP1'
	option AuthUserName 'bob'
	option AuthPassword 'two
lines'" "natkeep.SP1.AuthPassword: a line break in the value" "a value with a line break"
	fault "config service 'SP1'
	option AuthUserName 'bob'" \
		'natkeep.SP1: X_ServProvProfile: no [ITSP Profile A - SIP] in the file' "an account without its profile"
done

sh=shellcheck
if command -v shellcheck > /dev/null; then
	shellcheck -e SC1091 "$files/natkeepd.init" "$files/natkeep-uci.sh"
	check $? "natkeepd.init and natkeep-uci.sh are clean"
fi

result_summary
