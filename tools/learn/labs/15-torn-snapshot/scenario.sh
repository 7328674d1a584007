#!/bin/sh
# Lab 15-torn-snapshot: the interleaving of race.*.poll_out_is_one_instant,
# by hand.  /dev/minipipe holds 8 of its 16 pages.  A poller asks for
# POLLOUT and is held for a second at race/ring_snapshot, the point
# between its look at the ring's indices and its use of them (a debug
# build's window, module/race.h).  Meanwhile 8 pages are read and 8
# more written: the pipe goes 8 -> 0 -> 8 pages and is never full, so
# POLLOUT is due.  In the trace, the tail and head of the reads and the
# write show the occupancy at each step.
race=/sys/kernel/debug/minipipe/race
dev=/dev/minipipe

# wait_for TEST... — up to 5 s until the command TEST succeeds.
wait_for() {
	i=0
	until "$@"; do
		[ "$i" -ge 50 ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}
poller_held() { [ "$(cat "$race/waiting")" -ge 1 ]; }

if [ ! -w "$race/ring_snapshot" ]; then
	echo "no $race: this module was built without MINIPIPE_RACE_POINTS=y"
	exit 1
fi
# The shell holds the pipe open for reading and writing.
exec 3<>"$dev"
dd if=/dev/zero bs=4096 count=8 >&3 2>/dev/null
echo "the pipe holds 8 pages; a poller asks for POLLOUT and is held at ring_snapshot"
echo 1000000 >"$race/ring_snapshot"
# Only the poller waits there: this sh names itself the victim, then
# becomes mpdemo (same process).
sh -c 'echo $$ >"$1/victim"; exec timeout 10 mpdemo pollout "$2"' sh "$race" "$dev" &
poller=$!
if wait_for poller_held; then
	echo "the poller is held; read 8 pages, write 8 pages"
	dd bs=4096 count=8 <&3 >/dev/null 2>&1
	dd if=/dev/zero bs=32768 count=1 >&3 2>/dev/null
else
	echo "the poller never reached race/ring_snapshot"
fi
wait "$poller"
echo 0 >"$race/ring_snapshot"
echo 0 >"$race/victim"
exec 3<&-
