#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 05: three readers asleep on the empty pipe, each wanting one byte;
# then one write of three bytes, the writer's end kept open (its close
# would wake everyone).  A reader still asleep 2 s after the write is
# killed.
# shellcheck disable=SC1091 # the guest's, made by mp_build_initramfs
. /minipipe/lib.sh  # mp_wait_until
dev=/dev/minipipe
state=/sys/kernel/debug/minipipe/minipipe
# asleep PID: the task sleeps (a reader that finished is a zombie, Z,
# until waited for, and kill would still find it).
asleep() {
	[ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" = S ]
}
# O_RDWR: one file that is both the readers' end and the writer's.
exec 3<>"$dev"
pids=
for r in 1 2 3; do
	dd bs=1 count=1 <&3 >/tmp/lab05.$r 2>/dev/null &
	pids="$pids $!"
done
# Until all three are asleep in read() (5 s at most).
mp_wait_until 50 grep -qx 'read_sleepers: 3' "$state"
printf abc >&3
echo "writer: wrote 'abc' into the empty pipe, with three readers asleep"
sleep 2
killed=
for pid in $pids; do
	if asleep "$pid"; then
		kill -KILL "$pid"
		killed="$killed $pid"
	fi
done
wait
r=0
for pid in $pids; do
	r=$((r + 1))
	case " $killed " in
	*" $pid "*) echo "reader $r: still asleep 2 s after the write; killed" ;;
	*) echo "reader $r: woken, read '$(cat /tmp/lab05.$r)'" ;;
	esac
done
exec 3>&-
