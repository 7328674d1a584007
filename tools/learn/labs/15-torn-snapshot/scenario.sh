#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 15-torn-snapshot: the interleaving of race.*.poll_out_is_one_instant,
# by hand.  /dev/minipipe holds 8 of its 16 pages.  A poller asks for
# POLLOUT and is held for a second at race/ring_snapshot, the point
# between its look at the ring's indices and its use of them (a debug
# build's window, module/race.h).  Meanwhile 8 pages are read and 8
# more written: the pipe goes 8 -> 0 -> 8 pages and is never full, so
# POLLOUT is due.  In the trace, the tail and head of the reads and the
# write show the occupancy at each step.
# shellcheck disable=SC1091 # the guest's, made by mp_build_initramfs
. /minipipe/lib.sh  # mp_wait_until
race=/sys/kernel/debug/minipipe/race
dev=/dev/minipipe

poller_held() { [ "$(cat "$race/waiting")" -ge 1 ]; }

if [ ! -w "$race/ring_snapshot" ]; then
	echo "no $race: this module was built without MINIPIPE_RACE_POINTS=y"
	exit 1
fi
# The shell holds the pipe open for reading and writing.
exec 3<>"$dev"
dd if=/dev/zero bs=4096 count=8 >&3 2>/dev/null
echo "the pipe holds 8 pages; a poller asks for POLLOUT and is held at ring_snapshot"
# Only the poller waits there: this sh names itself the victim first,
# then arms the 1 s wait, then becomes mpdemo (same process).
# shellcheck disable=SC2016 # $$, $1 and $2 are the inner sh's
sh -c 'echo $$ >"$1/victim"; echo 1000000 >"$1/ring_snapshot"
	exec timeout 5 mpdemo pollout "$2"' sh "$race" "$dev" &
poller=$!
if mp_wait_until 30 poller_held; then
	echo "the poller is held; read 8 pages, write 8 pages"
	dd bs=4096 count=8 <&3 >/dev/null 2>&1
	dd if=/dev/zero bs=32768 count=1 >&3 2>/dev/null
	# The wait is a 1 s busy loop: on a slow (TCG) guest it may be over
	# before the shell has run both dd's.
	if poller_held; then
		echo "the poller was still held at ring_snapshot when the reads" \
			"and the write were done: this run shows the race"
	else
		echo "(the poller's 1 s wait ended before the reads and the write" \
			"were done: this run does not show the race; run it again)"
	fi
else
	echo "the poller never reached race/ring_snapshot"
fi
wait "$poller"
echo 0 >"$race/ring_snapshot"
echo 0 >"$race/victim"
exec 3<&-
