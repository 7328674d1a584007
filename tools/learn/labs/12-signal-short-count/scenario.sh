#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 12-signal-short-count: dd writes 100000 bytes with one write() into
# /dev/minipipe while its reader does not read yet.  65536 bytes go in and
# dd sleeps for room.  SIGUSR1 ends that sleep (busybox dd catches it to
# print its progress).  The reader then drains the pipe and counts what
# came out: 100000 bytes is right, more means that bytes already in the
# pipe were written again.
# shellcheck disable=SC1091 # the guest's, made by mp_build_initramfs
. /minipipe/lib.sh  # mp_wait_until
dir=/tmp/lab12
state=/sys/kernel/debug/minipipe/minipipe

writer_asleep() { grep -qx 'write_sleepers: 1' "$state"; }

rm -rf "$dir"
mkdir -p "$dir"
# The reader opens the FIFO now and reads once $dir/go exists.  Its
# open(O_RDONLY) waits for dd's open, so it is made under the timeout:
# if dd never opens the pipe, the timeout ends the reader all the same.
# shellcheck disable=SC2016 # $1 and $i are the inner sh's
timeout 8 sh -c '
	exec </dev/minipipe
	i=0
	until [ -e "$1/go" ] || [ "$i" -ge 70 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	exec cat' sh "$dir" >"$dir/out" &
reader=$!
# busybox timeout execs dd in its own process: $! is dd.
timeout 8 dd if=/dev/zero of=/dev/minipipe bs=100000 count=1 2>"$dir/dd.log" &
writer=$!
if mp_wait_until 30 writer_asleep; then
	echo "dd is asleep in write(), the pipe holds $(sed -n 's/^bytes: //p' "$state") bytes"
else
	echo "dd never slept in write()"
fi
echo "kill -USR1 dd"
kill -USR1 "$writer"
mp_wait_until 30 grep -q 'records' "$dir/dd.log"
touch "$dir/go"
wait "$writer" "$reader"
echo "dd said:"
sed 's/^/   /' "$dir/dd.log"
echo "the reader got $(wc -c <"$dir/out") bytes of the 100000 that dd wrote"
