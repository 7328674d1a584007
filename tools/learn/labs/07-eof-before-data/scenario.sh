#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 07: a writer writes a line and closes; the reader reads only after
# that, as a reader often does (it was busy, or not scheduled yet).
# shellcheck disable=SC1091 # the guest's, made by mp_build_initramfs
. /minipipe/lib.sh  # mp_wait_until
dev=/dev/minipipe
state=/sys/kernel/debug/minipipe/minipipe
(
	exec 3<"$dev"
	sleep 2
	n=$(timeout -s KILL 3 cat <&3 | wc -c)
	echo "reader: read $n bytes, then end of file"
) &
reader=$!
# Opens once the reader has (FIFO rules), writes 22 bytes, closes.
printf 'hello, are you there?\n' >"$dev"
echo "writer: wrote 22 bytes and closed; the reader has not read yet:"
mptop --once minipipe
wait "$reader"
# busybox's timeout leaves a helper that holds the command's files for up
# to a second after it: wait until the pipe is closed, so that it unloads.
mp_wait_until 30 grep -qx 'files: 0' "$state"
