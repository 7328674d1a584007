#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 06: three readers asleep in read() on one open file, then the last
# writer closes.  Each reader is a cat that ends at EOF; one still asleep
# after 5 s is killed by its timeout.
# shellcheck disable=SC1091 # the guest's, made by mp_build_initramfs
. /minipipe/lib.sh  # mp_wait_until
dev=/dev/minipipe
state=/sys/kernel/debug/minipipe/minipipe
# An O_RDWR open never waits: with it, the reader and the writer open
# at once; then it goes, leaving one reader file (4) and one writer (3).
exec 5<>"$dev"
exec 4<"$dev"
exec 3>"$dev"
exec 5<&-
pids=
for i in 1 2 3; do
	# Without the write end: the shell's close must be the last.
	timeout -s KILL 5 cat <&4 >/dev/null 3>&- &
	pids="$pids $!"
done
mp_wait_until 50 grep -qx 'read_sleepers: 3' "$state"
echo "three readers asleep in read(), one writer:"
mptop --once minipipe
echo "the last writer closes"
exec 3>&-
i=0
for pid in $pids; do
	i=$((i + 1))
	if wait "$pid"; then
		echo "reader $i: read() returned 0, end of file"
	else
		echo "reader $i: still asleep in read() when its 5 s timeout ended, killed"
	fi
done
exec 4<&-
# busybox's timeout leaves a helper that holds the command's files for up
# to a second after it: wait until the pipe is closed, so that it unloads.
mp_wait_until 30 grep -qx 'files: 0' "$state"
