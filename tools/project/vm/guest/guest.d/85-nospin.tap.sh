#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The spin_us parameter, and the sleeping paths it mostly hides.
#
# With the default spin_us, a reader that finds the pipe empty (or a writer
# that finds it full) usually gets what it waits for while it spins, and
# sleeps only when the other side is slow.  The selftests above therefore
# exercise the wait queues less than they would on fs/pipe.c.  This step
# runs the behaviour tests whose outcome depends on sleeping and waking
# (blocking reads and writes, wake-up chaining, signals, poll, EOF and
# EPIPE while asleep, the stress and chaos runs) again on the minipipe
# variants with spin_us=0, where every wait sleeps, and checks that the
# parameter refuses values out of range at run time.  (insmod with a bad
# value is tested by 90-reload.)

# shellcheck disable=SC1091 # guest path, made by mp_build_initramfs
. /minipipe/lib.sh

param=/sys/module/minipipe/parameters/spin_us
programs="pipe_rw pipe_poll pipe_signal pipe_packet pipe_stress pipe_chaos"

echo "TAP version 13"
# shellcheck disable=SC2086 # a word list
set -- $programs
echo "1..$(($# + 3))"

before=$(cat "$param")
if [ -n "$before" ] && [ "$before" -le 1000 ]; then
	mp_ok "spin_us is readable: $before"
else
	mp_not_ok "spin_us is readable (got '$before')"
fi

if echo 1001 >"$param" 2>/dev/null; then
	mp_not_ok "spin_us=1001 accepted at run time (now $(cat "$param"))"
elif [ "$(cat "$param")" = "$before" ]; then
	mp_ok "spin_us=1001 refused at run time, value unchanged"
else
	mp_not_ok "spin_us=1001 refused but the value changed to $(cat "$param")"
fi

if echo 0 >"$param" && [ "$(cat "$param")" = 0 ]; then
	mp_ok "spin_us=0 accepted: every wait sleeps"
else
	mp_not_ok "spin_us=0 not accepted"
fi

for t in $programs; do
	out=$(/minipipe/tests/"$t" -v minipipe -v minipipe_pair 2>&1)
	rc=$?
	summary=$(echo "$out" | grep '^# Totals:')
	if [ "$rc" -eq 0 ] && [ -n "$summary" ]; then
		mp_ok "$t with spin_us=0 on minipipe and minipipe_pair: ${summary#\# }"
	else
		echo "$out" | grep -E '^(not ok|#  )' | sed 's/^/# /'
		mp_not_ok "$t with spin_us=0 (exit $rc): ${summary#\# }"
	fi
done

echo "$before" >"$param"
exit "$MP_TAP_FAILED"
