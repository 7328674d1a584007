#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Lab 03-pipe-buf-atomicity: 15 full slots and 100 bytes in the 16th,
# then a blocking write of 3997 bytes (at most PIPE_BUF, one more than
# fits behind the 100).  It must wait for a free slot with none of its
# bytes in the pipe; then it is killed while it waits.
state=/sys/kernel/debug/minipipe/minipipe

bytes() {
	sed -n 's/^bytes: //p' "$state"
}

exec 3<>/dev/minipipe
echo '$ exec 3<>/dev/minipipe'
echo '$ dd if=/dev/zero bs=4096 count=15 >&3; dd if=/dev/zero bs=100 count=1 >&3'
timeout -s KILL 5 dd if=/dev/zero bs=4096 count=15 2>/dev/null >&3
timeout -s KILL 5 dd if=/dev/zero bs=100 count=1 2>/dev/null >&3
echo "bytes in the pipe: $(bytes)"
echo '$ dd if=/dev/zero bs=3997 count=1 >&3 &     # one write() of 3997 bytes'
timeout -s KILL 8 dd if=/dev/zero bs=3997 count=1 2>/dev/null >&3 &
writer=$!
i=0
until grep -qx 'write_sleepers: 1' "$state"; do
	i=$((i + 1))
	[ "$i" -le 30 ] || { echo "(dd never slept)"; break; }
	sleep 0.1
done
echo "dd sleeps in its write(); bytes in the pipe: $(bytes) (61540 before it)"
echo '$ kill %1        # a signal ends the sleeping write()'
kill "$writer"
wait "$writer" 2>/dev/null
echo "bytes in the pipe: $(bytes)"
echo "(the trace's last write line says what that write() returned: done=...)"
exec 3>&-
