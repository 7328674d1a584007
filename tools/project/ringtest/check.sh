#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/project/ringtest/check.sh — the ring's protocol test, for `make check`.
#
# Builds and runs ringtest (module/ring.c in user space, under
# ThreadSanitizer), then the three demos that prove its tests can fail: the
# snapshot test against a ring that loads head and tail separately, the
# made_room test against a merge that does not report the room it made,
# the lend test against a reader that lets go of a lent page after it
# moved tail (ThreadSanitizer's report); each must fail in every one of
# its runs.  Prints one TAP line per
# ringtest test and per demo, then "SCAN-RESULT passed= failed= skipped=",
# which check.sh adds to its totals.
#
# Usage: check.sh OUTDIR

set -euo pipefail

out=${1:?usage: $0 OUTDIR}
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
passed=0
failed=0

# count TAPFILE — add the ok / not ok lines of a TAP log to the totals.
count() {
	local ok bad
	ok=$(grep -c '^ok ' "$1") || true
	bad=$(grep -c '^not ok ' "$1") || true
	passed=$((passed + ok)) failed=$((failed + bad))
}

mkdir -p "$out"
if make -s --no-print-directory -C "$dir" OUTPUT="$out" check >"$out/check.log" 2>&1; then
	:
elif ! grep -q '^not ok ' "$out/check.log"; then
	# It stopped without a verdict of its own: a build error, a TSan report.
	echo "not ok - ringtest did not run to the end (log: $out/check.log)"
	failed=$((failed + 1))
fi
sed -n 's/^\(not \)\{0,1\}ok .*/ringtest: &/p; s/^# line.*/ringtest: &/p' "$out/check.log"
count "$out/check.log"

for demo in snapshot made-room borrowed-drain; do
	if make -s --no-print-directory -C "$dir" OUTPUT="$out" "demo-broken-$demo" \
		>"$out/demo-$demo.log" 2>&1; then
		echo "ok - ringtest catches broken-$demo.patch: $(grep -m 1 "failed in" "$out/demo-$demo.log")"
		passed=$((passed + 1))
	else
		echo "not ok - ringtest does not catch broken-$demo.patch (log: $out/demo-$demo.log)"
		sed 's/^/# /' "$out/demo-$demo.log"
		failed=$((failed + 1))
	fi
done

echo "SCAN-RESULT passed=$passed failed=$failed skipped=0"
((failed == 0))
