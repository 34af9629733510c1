#!/bin/bash
# Every VM scenario in one VM boot, in order, or those named (10-send or
# 10-send.sh); each loads and unloads the module itself. Prints each
# scenario's lines, then the time each took and the sum.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../result.sh"
times=()

scripts=("$here"/[0-9][0-9]-*.sh)
if [ $# -gt 0 ]; then
	scripts=()
	for s; do
		s=$here/${s%.sh}.sh
		[ -f "$s" ] || { result 1 "no scenario $s"; result_summary; exit; }
		scripts+=("$s")
	done
fi
for s in "${scripts[@]}"; do
	echo "--- $(basename "$s")"
	start=$SECONDS
	out=$(mktemp)
	bash "$s" 2>&1 | tee "$out"
	result_counts "$out" "${PIPESTATUS[0]}" "$(basename "$s")"
	times+=("$(printf '%-34s %4d s' "$(basename "$s")" $((SECONDS - start)))")
	rm -f "$out"
	# A scenario that left the module loaded would spoil the next one.
	rmmod natkeep 2>/dev/null && echo "note: $(basename "$s") left natkeep loaded"
done
echo "=== scenario times"
printf '%s\n' "${times[@]}"
result_summary
