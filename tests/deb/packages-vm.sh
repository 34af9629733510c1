#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# In the VM with systemd as PID 1 (tests/deb/packages.sh starts it): the
# Debian packages as an administrator meets them, against a kamailio
# registrar in a namespace beside the VM's own.
#
#   packages-vm.sh PREV_DIR NEW_DIR    each holding natkeep-dkms_*.deb
#                                      and natkeep_*.deb
#
# The previous version installed with apt-get (DKMS builds the module for
# the running kernel), natkeepd enabled and started by systemd (registered,
# its flow from the SIP port), `systemctl reload` applying a changed file
# with the registration untouched, `systemctl restart` keeping the
# registration, an upgrade to this version keeping the edited
# configuration and the registration, `systemctl stop` un-registering,
# `apt-get purge` leaving no module, flow, user or file behind.
set -uo pipefail
. "$(dirname "$0")/../vm/lib.sh"
. "$(dirname "$0")/../vm/peers.sh"

prev=${1:?usage: packages-vm.sh PREV_DIR NEW_DIR} new=${2:?usage: packages-vm.sh PREV_DIR NEW_DIR}
export DEBIAN_FRONTEND=noninteractive
kver=$(uname -r)
conf=/etc/natkeepd.conf
deb_version() { dpkg-deb -f "$1"/natkeep_*.deb Version; }
prev_version=$(deb_version "$prev")
new_version=$(deb_version "$new")

# The root is the host's, a container image's: its policy-rc.d forbids
# maintainer scripts to start, restart or stop services. A gateway has
# none.
rm -f /usr/sbin/policy-rc.d
# man-db's trigger re-indexes every manual page over 9p after each install
# and purge (20 s under TCG); a gateway has no man-db.
rm -f /var/lib/man-db/auto-update

# The DKMS builds take their compilations from ccache when packages.sh
# filled it (tests/deb/dkms-ccache.sh); its counts from here on are this
# VM's (the cache is the host's, under the overlay).
[ -n "${DEBIAN_KERNEL_USE_CCACHE:-}" ] && ccache -z >/dev/null

# One kernel, as on a gateway: DKMS builds for every kernel whose headers
# are installed (three on this root, two minutes each under TCG).
for build in /lib/modules/*/build; do
	[ "$build" = "/lib/modules/$kver/build" ] || rm -f "$build"
done

# The registrar at 10.9.0.1 in namespace srv; the VM's root namespace,
# where systemd runs natkeepd, is 10.9.0.2.
ns_create srv
ip link add nk0 type veth peer name eth0 netns srv
ip addr add 10.9.0.2/24 dev nk0
ip link set nk0 up
ip -n srv addr add 10.9.0.1/24 dev eth0
ip -n srv link set eth0 up
check "kamailio registrar on 10.9.0.1:5060" peer_kamailio srv 10.9.0.1 5060

account() {
	natkeepctl -j account show | python3 -c '
import json, sys
a = json.load(sys.stdin)[0]
r = eval(sys.argv[1])
sys.exit(0 if r else 1)' "$1"
}
flows() {
	natkeepctl -j flow show | python3 -c '
import json, sys
f = json.load(sys.stdin)
r = eval(sys.argv[1])
sys.exit(0 if r else 1)' "$1"
}
registered() { account 'a["state"] == "registered"'; }
bound() { peer_kamailio_bindings srv | grep -q '^alice sip:alice@10.9.0.2:5060'; }
# REGISTERs kamailio answered with 200 (a refresh, an un-REGISTER: expires=0).
registers() { peer_kamailio_registers srv | grep ' code=200 ' | grep -c "${1:-.}"; }
callid() { peer_kamailio_registers srv | grep ' code=200 ' | tail -n 1 | sed -n 's/.* callid=\([^ ]*\) .*/\1/p'; }
# No un-REGISTER since the start, and the last REGISTER's Call-ID is $1.
same_registration() { [ "$(registers expires=0)" = 0 ] && [ "$(callid)" = "$1" ]; }
version_is() { [ "$(modinfo -F version natkeep)" = "$1" ]; }
status_text() { systemctl show -p StatusText natkeepd | grep -q "$1"; }

# --- install the previous version ---
check "apt-get install natkeep-dkms and natkeep $prev_version" \
	apt-get install -y "$prev"/natkeep-dkms_*.deb "$prev"/natkeep_*.deb
check "DKMS built and installed natkeep $prev_version for the running kernel $kver" \
	bash -c "dkms status -m natkeep | grep -q '^natkeep/$prev_version, $kver, .*: installed'"
check "modinfo: natkeep.ko $prev_version in updates/dkms" \
	eval 'version_is "$prev_version" && modinfo -n natkeep | grep -q "^/lib/modules/$kver/updates/dkms/natkeep.ko"'
check "the system user natkeepd exists" getent passwd natkeepd
check "$conf: root:natkeepd, 0640" test "$(stat -c %U:%G:%a "$conf")" = root:natkeepd:640
check "natkeepd.service installed, not enabled, not running" \
	bash -c '[ "$(systemctl is-enabled natkeepd)" = disabled ] && ! systemctl -q is-active natkeepd'

# --- the administrator's configuration ---
# An hour's registration: no refresh falls between the steps below and
# their "no REGISTER" checks.
sed -i -e 's/^ProxyServer = .*/ProxyServer = 10.9.0.1\nRegisterExpires = 3600/' \
	-e 's/^AuthUserName = .*/AuthUserName = alice/' \
	-e 's/^AuthPassword = .*/AuthPassword = secret/' \
	-e 's/^X_KeepAliveEnable = true$/&\nX_KeepAliveExpires = 2/' "$conf"
check "the configuration edited: server, registration time, account, interval" \
	eval 'grep -qx "ProxyServer = 10.9.0.1" "$conf" && grep -qx "RegisterExpires = 3600" "$conf" &&
		grep -qx "AuthUserName = alice" "$conf" && grep -qx "X_KeepAliveExpires = 2" "$conf"'
check "systemctl enable --now natkeepd" systemctl enable --now natkeepd
check "registered with the registrar within 30 s" wait_for 30 registered
check "kamailio holds alice's binding at 10.9.0.2:5060" wait_for 10 bound
check "systemctl status: 1 of 1 accounts registered (sd_notify)" wait_for 10 status_text "1 of 1"
check "one keep-alive flow, every 2 s from the SIP port to the registrar" \
	wait_for 10 flows 'len(f) == 1 and f[0]["local"].endswith(":5060") and f[0]["remote"] == "10.9.0.1:5060" and f[0]["interval_ms"] == 2000'

# --- reload: the flow changes, the registration does not ---
# shellcheck disable=SC2034 # read by the eval below
before=$(registers)
sed -i 's/^X_KeepAliveExpires = 2$/X_KeepAliveExpires = 3/' "$conf"
check "systemctl reload natkeepd" systemctl reload natkeepd
check "after reload: the flow every 3 s" wait_for 15 flows 'len(f) == 1 and f[0]["interval_ms"] == 3000'
check "after reload: no REGISTER sent, still registered" \
	eval '[ "$(registers)" = "$before" ] && registered'

# --- restart: the registration is kept ---
id=$(callid)
check "systemctl restart natkeepd" systemctl restart natkeepd
check "after restart: registered" wait_for 30 registered
check "after restart: no un-REGISTER, the same Call-ID ($id)" same_registration "$id"
check "after restart: kamailio still holds the binding" bound
check "after restart: exactly one flow" flows 'len(f) == 1'

# --- upgrade to this version ---
pid=$(systemctl show -p MainPID --value natkeepd)
check "apt-get install natkeep-dkms and natkeep $new_version (upgrade)" \
	apt-get install -y "$new"/natkeep-dkms_*.deb "$new"/natkeep_*.deb
check "upgrade: the edited configuration kept" grep -qx 'X_KeepAliveExpires = 3' "$conf"
check "upgrade: $conf still root:natkeepd, 0640" \
	test "$(stat -c %U:%G:%a "$conf")" = root:natkeepd:640
check "upgrade: DKMS has natkeep $new_version, installed for $kver, and no other" \
	eval '[ "$(dkms status -m natkeep)" = "natkeep/$new_version, $kver, $(uname -m): installed" ]'
check "upgrade: natkeep.ko on disk is $new_version" version_is "$new_version"
# Nothing compiled anew: a miss means the host's build no longer matches
# DKMS's here (paths, flags), and each build costs minutes again.
ccache_hits_only() {
	ccache --print-stats | awk '
		$1 == "direct_cache_hit" { hits = $2 }
		$1 == "cache_miss" { misses = $2 }
		END {
			printf "ccache: %d direct hits, %s misses\n", hits, misses
			exit !(hits > 0 && misses == "0")
		}'
}
[ -n "${DEBIAN_KERNEL_USE_CCACHE:-}" ] &&
	check "both DKMS builds took every compilation from the host's (ccache)" ccache_hits_only
new_pid() {
	local p
	p=$(systemctl show -p MainPID --value natkeepd)
	echo "pid $pid before, $p now: $(readlink "/proc/$p/exe")"
	[ "$p" != 0 ] && [ "$p" != "$pid" ] && ! readlink "/proc/$p/exe" | grep -q deleted
}
check "upgrade: natkeepd restarted into the new program" new_pid
check "upgrade: registered" wait_for 30 registered
check "upgrade: no un-REGISTER, the same Call-ID ($id)" same_registration "$id"
check "upgrade: kamailio still holds the binding" bound
check "upgrade: exactly one flow" flows 'len(f) == 1'

# --- stop: un-registered, the flow deleted ---
check "systemctl stop natkeepd" systemctl stop natkeepd
check "after stop: one un-REGISTER answered" test "$(registers expires=0)" = 1
check "after stop: kamailio holds no binding" eval '! bound'
check "after stop: no flow" flows 'len(f) == 0'

# --- purge: nothing left ---
check "apt-get purge natkeep natkeep-dkms" apt-get purge -y natkeep natkeep-dkms
check "after purge: natkeep.ko not loaded" test ! -d /sys/module/natkeep
check "after purge: no natkeep.ko under /lib/modules, nothing in DKMS or /usr/src" \
	eval '[ -z "$(find /lib/modules -name "natkeep.ko*")" ] && [ ! -e /var/lib/dkms/natkeep ] &&
		[ -z "$(ls -d /usr/src/natkeep-* 2>/dev/null)" ]'
check "after purge: no user or group natkeepd" eval '! getent passwd natkeepd && ! getent group natkeepd'
check "after purge: no $conf, program, unit or run-time file" \
	eval '[ ! -e "$conf" ] && [ ! -e /usr/sbin/natkeepd ] && [ ! -e /lib/systemd/system/natkeepd.service ] &&
		[ -z "$(ls -d /run/natkeepd* 2>/dev/null)" ]'
check "after purge: dpkg knows no natkeep package" \
	eval '! dpkg-query -W -f "\${Status}\n" natkeep natkeep-dkms 2>/dev/null | grep -qv "not-installed$"'

summary
