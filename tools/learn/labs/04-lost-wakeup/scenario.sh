#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 04: a reader goes to sleep on the empty pipe; then a writer writes
# five bytes and keeps its end open (its close would wake everyone).
dev=/dev/minipipe
(
	exec 4<"$dev"
	if got=$(timeout -s KILL 3 head -c 5 <&4); then
		echo "reader: woken, read '$got'"
	else
		echo "reader: still asleep 3 s after the write, killed"
	fi
) &
reader=$!
exec 3>"$dev"
# The reader's read() is asleep by now (it spins 50 us at most).
sleep 1
printf hello >&3
echo "writer: wrote 'hello' into the empty pipe"
wait "$reader"
exec 3>&-
