#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 04: a reader goes to sleep on the empty pipe; then a writer writes
# five bytes and keeps its end open (its close would wake everyone).  A
# reader still asleep 2 s after the write is killed.
dev=/dev/minipipe
state=/sys/kernel/debug/minipipe/minipipe
# asleep PID: the task sleeps (a reader that finished is a zombie, Z,
# until waited for, and kill would still find it).
asleep() {
	[ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" = S ]
}
got=/tmp/lab04.got
# An O_RDWR open never waits: with it, the reader and the writer open
# at once; then it goes, leaving one reader file (4) and one writer (3).
exec 5<>"$dev"
exec 4<"$dev"
exec 3>"$dev"
exec 5<&-
head -c 5 <&4 >"$got" 3>&- &
reader=$!
# Until the reader is asleep in read() (5 s at most).
tries=0
while ! grep -qx 'read_sleepers: 1' "$state" && [ "$tries" -lt 50 ]; do
	sleep 0.1
	tries=$((tries + 1))
done
printf hello >&3
echo "writer: wrote 'hello' into the empty pipe, with the reader asleep"
tries=0
while asleep "$reader" && [ "$tries" -lt 20 ]; do
	sleep 0.1
	tries=$((tries + 1))
done
if asleep "$reader"; then
	kill -KILL "$reader"
	wait "$reader"
	echo "reader: still asleep 2 s after the write; killed"
else
	wait "$reader"
	echo "reader: woken, read '$(cat "$got")'"
fi
exec 3>&- 4<&-
