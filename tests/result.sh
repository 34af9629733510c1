# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The PASS/FAIL lines and counts of a test script that is not a VM
# scenario (those have tests/vm/lib.sh's check): source it, call
# `result RC WHAT` per check and `result_summary` last.
passed=0 failed=0

# result RC WHAT: PASS if RC is 0, else FAIL; counted.
result() {
	if [ "$1" = 0 ]; then
		echo "PASS: $2"
		passed=$((passed + 1))
	else
		echo "FAIL: $2"
		failed=$((failed + 1))
	fi
}

# result_summary: the last line, "N passed, N failed"; fails if any did.
result_summary() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}

# result_counts FILE RC WHAT: add the counts of FILE's last "N passed,
# N failed" line (a VM's scenarios, say); no such line, or RC not 0 with
# no failure counted, is one failure, WHAT named.
result_counts() {
	local line p=0 f=0
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL: $3 gave no \"N passed, N failed\" line (status $2)"
		f=1
	else
		p=${line%% passed*} f=${line#*passed, }
		f=${f%% failed*}
		if [ "$2" != 0 ] && [ "$f" = 0 ]; then
			echo "FAIL: $3 ended with status $2"
			f=1
		fi
	fi
	passed=$((passed + p)) failed=$((failed + f))
}
