#!/bin/bash
# Run each libFuzzer target for SECONDS from its seed corpus (never
# written to: new inputs go to build/corpus/TARGET). Prints PASS/FAIL per
# target with its speed and coverage, then "N passed, N failed"; a crash
# leaves its input in build/ as crash-TARGET-*.
#   run.sh SECONDS TARGET...
set -uo pipefail
cd "$(dirname "$0")" || exit 1

seconds=$1
shift
passed=0 failed=0
for t in "$@"; do
	work=build/corpus/$t log=build/$t.log
	mkdir -p "$work"
	dict=()
	[ -f "$t.dict" ] && dict=(-dict="$t.dict")
	if ./build/"$t" -max_total_time="$seconds" -timeout=10 \
		-print_final_stats=1 -artifact_prefix="build/crash-$t-" \
		"${dict[@]}" "$work" "corpus/$t" >"$log" 2>&1; then
		result=PASS; passed=$((passed + 1))
	else
		result=FAIL; failed=$((failed + 1))
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1)
	echo "$result: $t: ${runs:-?} runs, ${speed:-?} execs/s, ${cov:-no coverage line}"
	if [ $result = FAIL ]; then
		grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -n 5
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
