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
