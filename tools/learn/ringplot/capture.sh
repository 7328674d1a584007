#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/learn/ringplot/capture.sh — a minipipe trace of any scenario, from
# the 6.1 VM:
#
#   capture.sh SCENARIO.sh OUT.txt
#
# SCENARIO.sh is a short busybox sh script, like a lab's scenario.sh (the
# examples and mpdemo are in the guest's PATH, bound it with timeout).  It
# runs as `make lab` runs a lab's scenario (tools/project/vm/guest/lab.sh),
# with minipipe's tracepoints on, on the reference module: capture.sh puts
# it in a lab of its own, with no patch and no tests, in a snapshot of the
# sources (build/ringplot-capture/src), runs `make lab` there with
# SOLVED=1, and keeps the trace as OUT.txt.  The tree itself is not
# touched.  MINIPIPE_MODULE_PARAMS and the other knobs of
# tools/project/vm/lib.sh apply; serialise VM runs with other users of the
# machine (flock).

set -euo pipefail
# shellcheck source=tools/project/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../project/vm/lib.sh"

(($# == 2)) || mp_die "usage: $0 SCENARIO.sh OUT.txt"
scenario=$1 out=$2
[[ -r $scenario ]] || mp_die "cannot read $scenario"
sh -n "$scenario" || mp_die "$scenario: syntax error"

work=$MP_BUILD/ringplot-capture
name=00-capture
rm -rf "$work"
mkdir -p "$work/src"
tar -C "$MP_ROOT" -cf - --exclude=./build --exclude=./.git --exclude='*.o' \
	--exclude='*.ko' --exclude=./selftests/out . | tar -C "$work/src" -xf -

lab=$work/src/tools/learn/labs/$name
mkdir -p "$lab"
: >"$lab/lab.patch"
: >"$lab/tests"
echo "# Lab: trace capture ($(basename "$scenario"))" >"$lab/sheet.md"
install -m 0755 "$scenario" "$lab/scenario.sh"

# The snapshot's own build/ (MINIPIPE_BUILD unset): its lab.sh finds its labs.
env -u MINIPIPE_BUILD SOLVED=1 "$work/src/tools/learn/labs/lab.sh" run "$name"
trace=$work/src/build/lab/$name/trace-solved.txt
grep -q ': minipipe_' "$trace" 2>/dev/null || mp_die "no minipipe event in the trace ($trace)"
cp "$trace" "$out"
mp_msg "the trace: $out ($(grep -c ': minipipe_' "$out") events)"
