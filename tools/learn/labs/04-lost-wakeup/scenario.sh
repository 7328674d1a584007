#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 04: a reader goes to sleep on the empty pipe; then a writer writes
# five bytes and keeps its end open (its close would wake everyone).  A
# reader still asleep 2 s after the write is killed.
# shellcheck disable=SC1091 # the guest's, made by mp_build_initramfs
. /minipipe/lib.sh  # mp_wait_until
dev=/dev/minipipe
state=/sys/kernel/debug/minipipe/minipipe
# asleep PID: the task sleeps (a reader that finished is a zombie, Z,
# until waited for, and kill would still find it).
asleep() {
	[ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" = S ]
}
awake() { ! asleep "$1"; }
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
mp_wait_until 50 grep -qx 'read_sleepers: 1' "$state"
printf hello >&3
echo "writer: wrote 'hello' into the empty pipe, with the reader asleep"
# Until the reader has woken (2 s at most).
mp_wait_until 20 awake "$reader"
if asleep "$reader"; then
	kill -KILL "$reader"
	wait "$reader"
	echo "reader: still asleep 2 s after the write; killed"
else
	wait "$reader"
	echo "reader: woken, read '$(cat "$got")'"
fi
exec 3>&- 4<&-
