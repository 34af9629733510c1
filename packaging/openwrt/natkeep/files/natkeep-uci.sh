# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash disable=SC2317,SC2034 # config_load calls the callbacks; natkeepd.init reads NATKEEP_UCI_FAULT
# /etc/config/natkeep (UCI) turned into natkeepd.conf: sourced by
# /etc/init.d/natkeepd, after /lib/functions.sh, as
# /usr/share/natkeep/natkeep-uci.sh. The sections map one to one:
#
#   config natkeepd 'natkeepd'       [natkeepd]
#   config profile 'A' ... 'H'       [ITSP Profile A - SIP] ... [ITSP Profile H - SIP]
#   config service 'SP1' ... 'SP8'   [SP1 Service] ... [SP8 Service]
#
# and each option is a natkeepd.conf(5) parameter, spelled as there (the
# OBi's names; case matters) with its value as there (booleans are true
# or false); a list (X_UserAgentPorts) becomes a comma-separated value.
# Names and values are natkeepd's to check: natkeep_uci_generate runs
# natkeepd -t on what it wrote, and says which section and parameter a
# fault is in.

NATKEEP_UCI_FILE=${UCI_CONFIG_DIR:-/etc/config}/natkeep

# The fault that stopped natkeep_uci_generate, for natkeepd.init to log.
NATKEEP_UCI_FAULT=''

natkeep_uci_fail() {
	NATKEEP_UCI_FAULT="$NATKEEP_UCI_FILE: $*"
	return 1
}

# config_load's callbacks: the sections in their order, and the names of
# each section's options (options and lists alike, each once).
natkeep_uci_config_cb() {
	[ $# -gt 0 ] || return 0
	NATKEEP_UCI_SECTIONS="$NATKEEP_UCI_SECTIONS $2"
	eval "natkeep_uci_options_$2="
}

natkeep_uci_option_cb() {
	local names

	eval "names=\$natkeep_uci_options_$CONFIG_SECTION"
	case " $names " in
	*" $1 "*) ;;
	*) eval "natkeep_uci_options_$CONFIG_SECTION=\"\$names \$1\"" ;;
	esac
}

natkeep_uci_load() {
	NATKEEP_UCI_SECTIONS=
	config_cb() { natkeep_uci_config_cb "$@"; }
	option_cb() { natkeep_uci_option_cb "$@"; }
	list_cb() { natkeep_uci_option_cb "$@"; }
	config_load natkeep
	local rc=$?

	reset_cb
	return $rc
}

# natkeep_uci_name SECTION TYPE: the section as uci names it: natkeep.NAME,
# or natkeep.@TYPE[N] for the Nth unnamed one of its type (uci gives those
# a name of its own, cfg and six hex digits).
natkeep_uci_name() {
	local section type n=0

	case "$1" in
	cfg[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]) ;;
	*) echo "natkeep.$1"; return ;;
	esac
	for section in $NATKEEP_UCI_SECTIONS; do
		[ "$section" = "$1" ] && break
		config_get type "$section" TYPE
		[ "$type" = "$2" ] && n=$((n + 1))
	done
	echo "natkeep.@$2[$n]"
}

# natkeep_uci_header SECTION: sets natkeep_uci_title to the section's
# natkeepd.conf header, natkeep_uci_current to its uci name.
natkeep_uci_header() {
	local type name

	config_get type "$1" TYPE
	name=$(natkeep_uci_name "$1" "$type")
	natkeep_uci_current=$name
	case "$type:$1" in
	natkeepd:*)
		[ -z "$natkeep_uci_agent" ] ||
			natkeep_uci_fail "$name: a second natkeepd section (the first is $natkeep_uci_agent_name)" ||
			return 1
		natkeep_uci_agent=$1 natkeep_uci_agent_name=$name
		natkeep_uci_title="[natkeepd]"
		;;
	profile:[A-H]) natkeep_uci_title="[ITSP Profile $1 - SIP]" ;;
	service:SP[1-8]) natkeep_uci_title="[$1 Service]" ;;
	profile:*) natkeep_uci_fail "$name: a profile section is named A to H: config profile 'A'" ;;
	service:*) natkeep_uci_fail "$name: a service section is named SP1 to SP8: config service 'SP1'" ;;
	*) natkeep_uci_fail "$name: unknown section type '$type' (natkeepd, profile, service)" ;;
	esac
}

# natkeep_uci_value VAR SECTION OPTION: its value; a list's items joined
# with commas.
natkeep_uci_value() {
	local length item n=1 joined=

	config_get length "$2" "${3}_LENGTH"
	if [ -n "$length" ]; then
		while [ "$n" -le "$length" ]; do
			config_get item "$2" "${3}_ITEM$n"
			joined="${joined:+$joined,}$item"
			n=$((n + 1))
		done
	else
		config_get joined "$2" "$3"
	fi
	case "$joined" in
	*"
"* | *"$(printf '\r')"*)
		natkeep_uci_fail "$natkeep_uci_current.$3: a line break in the value, which natkeepd.conf cannot hold"
		return 1
		;;
	esac
	eval "$1=\$joined"
}

# natkeep_uci_write FILE: writes the natkeepd.conf of the loaded
# configuration. Every value is in double quotes, which keep it as it is.
natkeep_uci_write() {
	local section names name value

	natkeep_uci_agent='' natkeep_uci_agent_name=''
	{
		echo "# natkeepd.conf(5), written by /etc/init.d/natkeepd from $NATKEEP_UCI_FILE:"
		echo "# edit that file (or use uci), not this one."
		for section in $NATKEEP_UCI_SECTIONS; do
			natkeep_uci_header "$section" || return 1
			printf '\n%s\n' "$natkeep_uci_title"
			eval "names=\$natkeep_uci_options_$section"
			for name in $names; do
				natkeep_uci_value value "$section" "$name" || return 1
				printf '%s = "%s"\n' "$name" "$value"
			done
		done
	} > "$1"
}

# natkeep_uci_services: how many service sections there are.
natkeep_uci_services() {
	local section type count=0

	for section in $NATKEEP_UCI_SECTIONS; do
		config_get type "$section" TYPE
		[ "$type" = service ] && count=$((count + 1))
	done
	echo "$count"
}

# natkeep_uci_blame FILE MESSAGE: natkeepd's "FILE:LINE: what" as the UCI
# section the line is in: "natkeep.SECTION: what".
natkeep_uci_blame() {
	local rest line header section

	rest=${2#*"$1":}
	line=${rest%%:*}
	case "$line" in
	'' | *[!0-9]*)
		natkeep_uci_fail "$2"
		return 1
		;;
	esac
	rest=${rest#*: }
	header=$(awk -v n="$line" 'NR <= n && /^\[/ { h = $0 } NR == n { print h; exit }' "$1")
	case "$header" in
	"[natkeepd]") section=${natkeep_uci_agent_name#natkeep.} ;;
	"[ITSP Profile "*) section=${header#"[ITSP Profile "}; section=${section%" - SIP]"} ;;
	"[SP"*" Service]") section=${header#"["}; section=${section%" Service]"} ;;
	*) natkeep_uci_fail "$2"; return 1 ;;
	esac
	natkeep_uci_fail "natkeep.$section: $rest"
}

# natkeep_uci_generate PROG FILE: FILE is the natkeepd.conf that
# /etc/config/natkeep describes, or, when that has a fault, stays as it
# was (a running natkeepd keeps its configuration); returns 1 then, with
# the fault in NATKEEP_UCI_FAULT. PROG is natkeepd, which checks the file
# (-t). The configuration stays loaded for natkeep_uci_services.
natkeep_uci_generate() {
	local prog="$1" file="$2" new="$2.new" message

	NATKEEP_UCI_FAULT=''
	natkeep_uci_load ||
		natkeep_uci_fail "cannot be read" || return 1
	mkdir -p "$(dirname "$file")"
	(umask 077 && : > "$new") || return 1
	natkeep_uci_write "$new" || {
		rm -f "$new"
		return 1
	}
	if ! message=$("$prog" -t -c "$new" 2>&1); then
		natkeep_uci_blame "$new" "${message#natkeepd: }"
		rm -f "$new"
		return 1
	fi
	mv -f "$new" "$file"
}
