#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fault injection (make check-debug): /usr/bin/mpfault (tools/project/faults) makes
# minipipe's allocations fail, every one and then one at a time, and checks
# that each call ends cleanly and the pipe stays consistent.  Needs
# failslab and fail_page_alloc in debugfs, which only the debug kernel has:
# elsewhere this is one skipped test, with the reason.

if [ ! -e /sys/kernel/debug/failslab ] || [ ! -e /sys/kernel/debug/fail_page_alloc ]; then
	echo "1..1"
	echo "ok 1 fault injection # SKIP kernel $(uname -r) has no /sys/kernel/debug/failslab (only the debug kernel of make check-debug does)"
	exit 0
fi
if [ ! -c /dev/minipipe1 ]; then
	echo "1..1"
	echo "ok 1 fault injection # SKIP needs /dev/minipipe1 (nr_pipes >= 2)"
	exit 0
fi
exec /usr/bin/mpfault /dev/minipipe1
