#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/learn/mptop/test.sh OUTPUT — host-side check of mptop, as TAP.
#
#   - test_mptop: the parser and renderer on canned text (unit test);
#   - `mptop --once --dir testdata/DIR [NAME...]` must print exactly
#     testdata/CASE.txt for each case below (golden frames);
#   - the command line: errors, exit codes, --plain frames with rates.
#
# OUTPUT holds the built mptop and test_mptop (make check passes it).
# The last line is "SCAN-RESULT passed=N failed=N skipped=0".
# To accept a deliberate change of the frames: MPTOP_UPDATE=1 make check.

set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:?usage: test.sh OUTPUT}
mptop=$out/mptop
data=$here/testdata
# shellcheck source=tools/project/tap.sh
. "$here/../../project/tap.sh"
TAP_PREFIX="mptop: "

# Unit test: renumber its "ok - ..." lines into ours.
unit=$("$out/test_mptop" "$data" 2>&1)
unit_rc=$?
while IFS= read -r line; do
	case $line in
	"ok - "*) tap_result "${line#ok - }" "" ;;
	"not ok - "*) tap_result "${line#not ok - }" "(test_mptop: see the lines above)" ;;
	*) echo "# $line" ;;
	esac
done <<<"$unit"
((unit_rc == 0)) || [[ $unit == *"not ok"* ]] || tap_result "test_mptop" "it exited $unit_rc"

# Golden frames: CASE DIR [NAME...]
golden() {
	local case=$1 dir=$2 got
	shift 2
	got=$("$mptop" --once --dir "$data/$dir" "$@" 2>&1)
	if [[ ${MPTOP_UPDATE:-0} == 1 ]]; then
		printf '%s\n' "$got" >"$data/$case.txt"
	fi
	if [[ $got == "$(cat "$data/$case.txt")" ]]; then
		tap_result "--once frame of testdata/$dir${*:+ $*} matches $case.txt" ""
	else
		tap_result "--once frame of testdata/$dir${*:+ $*} matches $case.txt" \
			"$(diff -u "$data/$case.txt" <(printf '%s\n' "$got"))"
	fi
}
golden busy busy
golden wrap wrap
golden big big
golden shared shared
golden filter order minipipe10 minipipe

# expect_fail DESCRIPTION RC MESSAGE ARGS... — mptop exits RC saying MESSAGE.
expect_fail() {
	local what=$1 want_rc=$2 want_msg=$3 got rc
	shift 3
	got=$("$mptop" "$@" 2>&1)
	rc=$?
	if ((rc == want_rc)) && [[ $got == *"$want_msg"* ]]; then
		tap_result "$what" ""
	else
		tap_result "$what" "exit $rc (want $want_rc): $got"
	fi
}
expect_fail "a missing directory is an error" 1 "No such file or directory (is minipipe loaded" \
	--once --dir "$data/nonexistent"
expect_fail "an unknown name is an error" 1 "no such pipe" --once --dir "$data/busy" minipipe7
expect_fail "a malformed state file is an error" 1 "line 19: fill has 4 values for 16 slots" \
	--once --dir "$data/bad"
expect_fail "--count 0 is refused" 2 "--count wants a positive number" --count 0
expect_fail "a bad --interval is refused" 2 "--interval wants seconds" --interval 0

got=$("$mptop" --plain --count 3 --interval 0.05 --dir "$data/busy" minipipe1 2>&1)
frames=$(grep -c '^minipipe1: ' <<<"$got")
rates=$(grep -c '^  now: 0 B/s read, 0 B/s written$' <<<"$got")
if ((frames == 3 && rates == 2)) && [[ $got != *$'\033'* ]]; then
	tap_result "--plain --count 3: three plain frames, rates from the second on" ""
else
	tap_result "--plain --count 3: three plain frames, rates from the second on" "$got"
fi

# Captured first: under pipefail, `cmd | grep -q` fails when grep exits early.
got=$("$mptop" --help 2>&1)
if grep -q '^usage: mptop' <<<"$got"; then
	tap_result "--help" ""
else
	tap_result "--help" "no usage line: $got"
fi

tap_end
