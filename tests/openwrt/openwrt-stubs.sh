# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash disable=SC2034
# What OpenWrt gives an init script, reduced to what natkeepd.init and
# natkeep-uci.sh call, for tests/openwrt/test.sh: no OpenWrt runs on these
# machines. Written after OpenWrt's documented behaviour, not its code:
#
# - /lib/functions.sh's configuration API: config_load evaluates what
#   `uci -n export natkeep` prints: "package natkeep", then the file's
#   sections (config TYPE 'NAME', option NAME 'VALUE', list NAME 'VALUE',
#   values in single quotes with ' as '\''), an unnamed section named by
#   uci "cfg" and six hex digits (its index, then a hash); config_cb gets
#   (TYPE, NAME) at each section and no argument at the end; option_cb and
#   list_cb get (NAME, VALUE); config_get reads CONFIG_<section>_<option>;
#   a list's items are <option>_ITEM1.. and <option>_LENGTH, and the
#   option itself is the items joined by spaces; reset_cb makes the
#   callbacks no-ops. The test's files are written as uci writes them, so
#   that evaluating one is what evaluating the export would be.
# - procd.sh and rc.common: each call is appended to $PROCD_LOG, one line;
#   procd_running answers from $PROCD_RUNNING; start runs start_service
#   and service_triggers as rc.common does.
# - logger: appended to $PROCD_LOG.

reset_cb() {
	config_cb() { return 0; }
	option_cb() { return 0; }
	list_cb() { return 0; }
}
reset_cb

config_set() {
	eval "CONFIG_${1}_${2}=\$3"
}

config_get() {
	if [ $# -ge 3 ]; then
		eval "$1=\${CONFIG_${2}_${3}:-\$4}"
	else
		eval "echo \"\${CONFIG_${1}_${2}}\""
	fi
}

package() { return 0; }

config() {
	CONFIG_NUM_SECTIONS=$((CONFIG_NUM_SECTIONS + 1))
	CONFIG_SECTION=${2:-$(printf 'cfg%02x%04x' "$CONFIG_NUM_SECTIONS" $((CONFIG_NUM_SECTIONS * 40503 % 65536)))}
	CONFIG_SECTIONS="$CONFIG_SECTIONS $CONFIG_SECTION"
	config_set "$CONFIG_SECTION" TYPE "$1"
	config_cb "$1" "$CONFIG_SECTION"
}

option() {
	config_set "$CONFIG_SECTION" "$1" "$2"
	option_cb "$1" "$2"
}

list() {
	local length

	config_get length "$CONFIG_SECTION" "${1}_LENGTH" 0
	length=$((length + 1))
	config_set "$CONFIG_SECTION" "${1}_ITEM$length" "$2"
	config_set "$CONFIG_SECTION" "${1}_LENGTH" "$length"
	eval "CONFIG_${CONFIG_SECTION}_${1}=\"\${CONFIG_${CONFIG_SECTION}_${1}:+\$CONFIG_${CONFIG_SECTION}_${1} }\$2\""
	list_cb "$1" "$2"
}

config_load() {
	local file="${UCI_CONFIG_DIR:-/etc/config}/$1"

	CONFIG_SECTIONS='' CONFIG_SECTION='' CONFIG_NUM_SECTIONS=0
	[ -f "$file" ] || return 1
	eval "$(printf 'package %s\n\n' "$1"; cat "$file")"
	[ -z "$CONFIG_SECTION" ] || config_cb
}

procd_log() {
	echo "$*" >> "$PROCD_LOG"
}

procd_open_instance() { procd_log open_instance "$@"; }
procd_set_param() { procd_log set_param "$@"; }
procd_close_instance() { procd_log close_instance "$@"; }
procd_send_signal() { procd_log send_signal "$@"; }
procd_add_reload_trigger() { procd_log add_reload_trigger "$@"; }
procd_running() { [ -n "$PROCD_RUNNING" ]; }
logger() { procd_log logger "$@"; }

start() {
	start_service "$@"
	service_triggers
}
