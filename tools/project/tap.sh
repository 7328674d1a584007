# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # TAP_PREFIX is set by the callers
#
# tools/project/tap.sh — the TAP output of the host-side checks (lint.sh,
# host-check.sh, tools/learn/mptop/test.sh), sourced by each:
#
#   TAP_PREFIX="lint: "          put before every description
#   tap_result DESCRIPTION DETAILS
#                                "ok N - ..." when DETAILS is empty, else
#                                "not ok N - ..." and DETAILS as "# " lines
#   tap_skip DESCRIPTION WHY     "ok N - ... # SKIP WHY"
#   tap_end                      the plan "1..N" and the line
#                                "SCAN-RESULT passed= failed= skipped="
#                                that check.sh adds to its totals; returns
#                                1 when anything failed
#
# Of long DETAILS only the last TAP_DETAIL_LINES (60) lines are shown: the
# end of a build log says why it failed.

TAP_PREFIX=
TAP_DETAIL_LINES=60
tap_n=0
tap_failed=0
tap_skipped=0

tap_result() {
	local lines
	tap_n=$((tap_n + 1))
	if [[ -z $2 ]]; then
		echo "ok $tap_n - $TAP_PREFIX$1"
		return 0
	fi
	echo "not ok $tap_n - $TAP_PREFIX$1"
	tap_failed=$((tap_failed + 1))
	lines=$(wc -l <<<"$2")
	if ((lines > TAP_DETAIL_LINES)); then
		echo "# ... ($((lines - TAP_DETAIL_LINES)) earlier lines cut)"
	fi
	tail -n "$TAP_DETAIL_LINES" <<<"$2" | sed 's/^/# /'
}

tap_skip() {
	tap_n=$((tap_n + 1))
	tap_skipped=$((tap_skipped + 1))
	echo "ok $tap_n - $TAP_PREFIX$1 # SKIP $2"
}

tap_end() {
	echo "1..$tap_n"
	echo "SCAN-RESULT passed=$((tap_n - tap_failed - tap_skipped)) failed=$tap_failed" \
		"skipped=$tap_skipped"
	((tap_failed == 0))
}
