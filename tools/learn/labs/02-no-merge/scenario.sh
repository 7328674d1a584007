#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Lab 02-no-merge: 17 writes of one byte into an empty /dev/minipipe.
# A pipe puts them all into one slot; with every write in a slot of its
# own, the 17th finds the 16 slots taken and sleeps.
state=/sys/kernel/debug/minipipe/minipipe

# show — the lines of the ring's state that matter here.
show() {
	grep -E '^(occupancy|bytes|write_sleepers|fill):' "$state"
}

exec 3<>/dev/minipipe
echo '$ exec 3<>/dev/minipipe; dd if=/dev/zero bs=1 count=17 >&3 &     # 17 write()s of 1 byte'
timeout -s KILL 8 dd if=/dev/zero bs=1 count=17 2>/dev/null >&3 &
writer=$!
# Until all 17 bytes are in, or dd sleeps in a write (3 s at most).
i=0
until grep -qx 'bytes: 17' "$state" || grep -qx 'write_sleepers: 1' "$state"; do
	i=$((i + 1))
	[ "$i" -le 30 ] || break
	sleep 0.1
done
show
if grep -qx 'write_sleepers: 1' "$state"; then
	echo "(dd sleeps in a write() with $(sed -n 's/^bytes: //p' "$state") bytes in a 64 KiB pipe)"
	kill "$writer"
fi
wait "$writer" 2>/dev/null
echo '$ dd bs=65536 count=1 <&3 | wc -c         # read it all back'
timeout -s KILL 5 dd bs=65536 count=1 2>/dev/null <&3 | wc -c
exec 3>&-
