#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 05: three readers asleep on the empty pipe, each wanting one byte;
# then one write of three bytes, the writer's end kept open (its close
# would wake everyone).
dev=/dev/minipipe
exec 3<>"$dev"
for r in 1 2 3; do
	(
		if got=$(timeout -s KILL 3 dd bs=1 count=1 <&3 2>/dev/null); then
			echo "reader $r: woken, read '$got'"
		else
			echo "reader $r: still asleep 3 s after the write, killed"
		fi
	) &
done
# All three are asleep by now (each spins 50 us at most).
sleep 1
printf abc >&3
echo "writer: wrote 'abc' into the empty pipe"
wait
exec 3>&-
