#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/project/vm/test-scan.sh — self-test of the VM runner's log scanner.
#
# Runs tools/project/vm/scan-log.sh on the canned console logs in
# tools/project/vm/testdata/ and checks its verdict, its counts and the lines it
# must report.  Prints TAP, then "SCAN-RESULT passed= failed= skipped="
# (so check.sh adds these checks to the closing line).  No VM involved.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
scan=$here/scan-log.sh
data=$here/testdata
# The programs the canned check-mode logs were made with.
expect="fake_basic fake_plain"

# Each case: log file | expected scan exit status | expected counts
# ("" to skip) | regexes (ERE, separated by ";;") that the report must
# contain, one line each.
cases=(
	"clean.log|0|passed=5 failed=0 skipped=1|fake_basic: ok 1 global.open_dev;;fake_basic: ok 3 # SKIP;;fake_plain: ok 2 ;;guest.d/10-example: ok"
	"splat.log|1||kernel splat: WARNING: CPU: 1 PID: 87 at ;;kernel splat: BUG: KASAN: slab-out-of-bounds;;kernel tainted 12832 \\(BWOE\\)"
	"tap-fail.log|1|passed=4 failed=1 skipped=1|fake_basic: not ok 2 global.maybe_fail;;fake_basic\\| # fake_basic.c:29:maybe_fail:Expected"
	"taint.log|1|passed=5 failed=1 skipped=1|kernel tainted 12289 \\(POE\\)"
	"hung.log|1||host: VM still running after 1500s;;fake_basic did not finish;;never ran: fake_plain;;broke off in stage \"tests\";;---- last [0-9]+ console lines"
	"panic.log|1||kernel splat: Kernel panic - not syncing;;kernel splat: Oops: ;;fake_basic did not finish;;broke off in stage \"tests\";;\\| \\[ *[0-9.]+\\] Rebooting in"
	"timeout.log|1|passed=4 failed=1 skipped=0|fake_basic timed out or was killed \\(exit 143\\)"
	"exit-mismatch.log|1|passed=5 failed=1 skipped=1|fake_plain exited 1 but its TAP reports no failure"
	"insmod-fail.log|1|passed=0 failed=2 skipped=0|insmod failed \\(exit 1\\);;insmod\\| insmod: can't insert;;dmesg\\| .*version magic;;never ran \\(minipipe.ko did not load\\): fake_basic fake_plain"
	"no-boot.log|1||host: no boot marker after 120s;;the guest never started"
	"short-plan.log|1|passed=4 failed=1 skipped=1|fake_plain planned 2 tests but reported 1"
	"debug-clean.log|0|passed=6 failed=0 skipped=1|kmemleak: ok"
	"kmemleak.log|1|passed=5 failed=2 skipped=1|kmemleak: not ok \\(exit 1\\);;kmemleak\\|.*unreferenced object;;kernel splat: kmemleak: 1 new suspected memory leaks"
	"kcsan-kernel.log|0|passed=5 failed=0 skipped=2|ok # SKIP a data race of the kernel alone, no minipipe frame: BUG: KCSAN: data-race in generic_update_time / inode_needs_update_time"
	"ksft-skip.log|0|passed=3 failed=0 skipped=2|fake_plain: ok # SKIP no failslab here"
	"kcsan-ours.log|1|passed=5 failed=1 skipped=1|kernel splat: BUG: KCSAN: data-race in generic_update_time / mp_write_iter"
)

n=0
bad=0
echo "TAP version 13"
echo "1..${#cases[@]}"
for c in "${cases[@]}"; do
	IFS='|' read -r file want_rc want_counts patterns <<<"$c"
	n=$((n + 1))
	why=
	rc=0
	out=$("$scan" --label t --expect "$expect" "$data/$file" 2>&1) || rc=$?
	if ((rc != want_rc)); then
		why="exit status $rc, want $want_rc"
	elif [[ -n $want_counts ]] && ! grep -qx "SCAN-RESULT $want_counts" <<<"$out"; then
		why="counts $(grep '^SCAN-RESULT' <<<"$out" || echo none), want $want_counts"
	else
		while [[ -n $patterns ]]; do
			p=${patterns%%;;*}
			if [[ $patterns == *";;"* ]]; then
				patterns=${patterns#*;;}
			else
				patterns=
			fi
			if ! grep -qE -- "$p" <<<"$out"; then
				why="no report line matches /$p/"
				break
			fi
		done
	fi
	if [[ -z $why ]]; then
		echo "ok $n - scan-log: $file"
	else
		echo "not ok $n - scan-log: $file: $why"
		while IFS= read -r l; do echo "# $l"; done <<<"$out"
		bad=$((bad + 1))
	fi
done
echo "SCAN-RESULT passed=$((n - bad)) failed=$bad skipped=0"
((bad == 0))
