#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What minipipe shows of itself: tracepoints, the debugfs state files and
# mptop reading them.
#
#   - the minipipe trace events exist; a write and a read through
#     /dev/minipipe produce minipipe_write/minipipe_read events with their
#     byte counts, and open/release events;
#   - /sys/kernel/debug/minipipe/<name> exists for every named pipe, 0444;
#   - /dev/minipipe1 put in a known state (mpdemo state) reads back exactly:
#     slots, head, tail, occupancy, bytes, readers, writers, files,
#     sleepers and fill, and the byte totals moved by what was written/read;
#   - writes to the state file are refused and change nothing;
#   - mptop --once shows that state;
#   - once closed, the pipe shows no ring again;
#   - a task asleep in open(), read() or write() is counted as such;
#   - a wait that ends while spinning is counted (read_spins), and never
#     with spin_us=0.
#
# mpdemo and mptop are put in /usr/bin by initramfs.d/55-tools.sh.

# shellcheck disable=SC1091 # guest path, made by mp_build_initramfs
. /minipipe/lib.sh

dbg=/sys/kernel/debug/minipipe
t=/sys/kernel/tracing

# check NAME COMMAND... — ok when COMMAND succeeds.
check() {
	name=$1
	shift
	if "$@"; then mp_ok "$name"; else mp_not_ok "$name"; fi
}

# field FILE KEY — the value of "KEY: value" in a state file.
field() { sed -n "s/^$2: //p" "$1"; }

# wait_state NAME KEY VALUE — until the state of NAME says "KEY: VALUE" (10 s).
wait_state() {
	i=0
	until grep -qx "$2: $3" "$dbg/$1"; do
		i=$((i + 1))
		[ "$i" -le 100 ] || return 1
		sleep 0.1
	done
}

# stop PID — end a helper we started, and reap it.
stop() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

echo "TAP version 13"
echo "1..16"

# --- tracepoints -------------------------------------------------------------

[ -d "$t/events" ] || mount -t tracefs nodev "$t" 2>/dev/null
if [ -d "$t/events/minipipe" ]; then
	echo 0 >"$t/events/minipipe/enable"
	echo >"$t/trace"
	echo 1 >"$t/events/minipipe/enable"
	mpdemo rw /dev/minipipe 1234 777 | sed 's/^/# /'
	echo 0 >"$t/events/minipipe/enable"
	grep -v '^#' "$t/trace" >/tmp/mp-trace
	echo >"$t/trace"
	sed 's/^/#   /' /tmp/mp-trace
	check "trace: minipipe_write, asked=1234 done=1234" \
		grep -q 'minipipe_write: pipe=minipipe asked=1234 done=1234 ' /tmp/mp-trace
	check "trace: minipipe_read, asked=777 done=777" \
		grep -q 'minipipe_read: pipe=minipipe asked=777 done=777 ' /tmp/mp-trace
	check "trace: minipipe_open and minipipe_release of /dev/minipipe" \
		sh -c 'grep -q "minipipe_open: pipe=minipipe end=rw " /tmp/mp-trace &&
			grep -q "minipipe_release: pipe=minipipe end=rw " /tmp/mp-trace'
else
	mp_not_ok "trace: minipipe_write: no $t/events/minipipe"
	mp_not_ok "trace: minipipe_read: no $t/events/minipipe"
	mp_not_ok "trace: minipipe_open and minipipe_release: no $t/events/minipipe"
fi

# --- the state files ---------------------------------------------------------

nr=$(cat /sys/module/minipipe/parameters/nr_pipes 2>/dev/null || echo 4)
missing=
i=0
while [ "$i" -lt "$nr" ]; do
	name=minipipe$i
	[ "$i" = 0 ] && name=minipipe
	mode=$(stat -c %a "$dbg/$name" 2>/dev/null)
	[ "$mode" = 444 ] || missing="$missing $name($mode)"
	i=$((i + 1))
done
if [ -z "$missing" ]; then
	mp_ok "debugfs: a 0444 state file for each of the $nr named pipes"
else
	mp_not_ok "debugfs: state files missing or not 0444:$missing"
fi

# /dev/minipipe1 in a known state: a reader and a writer; writes of 4095,
# 1 (merged into slot 0), 4096, 100 and 200 (merged into slot 2); a read of
# 4096 (slot 0 drained).
state=$dbg/minipipe1
read_before=$(field "$state" bytes_read)
written_before=$(field "$state" bytes_written)
rm -f /tmp/mp-ready
mpdemo state /dev/minipipe1 /tmp/mp-ready &
holder=$!
i=0
while [ ! -e /tmp/mp-ready ] && [ "$i" -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done

expected='name: minipipe1
slots: 16
capacity: 65536
head: 3
tail: 1
occupancy: 2
bytes: 4396
readers: 1
writers: 1
files: 2
read_sleepers: 0
write_sleepers: 0
open_sleepers: 0
fill: 0 4096 300 0 0 0 0 0 0 0 0 0 0 0 0 0
shared: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0'
got=$(grep -vE '^(read_spins|write_spins|bytes_read|bytes_written|bytes_borrowed|bytes_lent|wakeups):' "$state")
if [ "$got" = "$expected" ]; then
	mp_ok "debugfs: minipipe1 in the known state reads back exactly"
else
	echo "# expected:"
	echo "$expected" | sed 's/^/#   /'
	echo "# got:"
	sed 's/^/#   /' "$state"
	mp_not_ok "debugfs: minipipe1 in the known state reads back exactly"
fi
keys=$(sed 's/:.*//' "$state" | tr '\n' ' ')
check "debugfs: the keys, in order" test "$keys" = \
	"name slots capacity head tail occupancy bytes readers writers files read_sleepers write_sleepers open_sleepers read_spins write_spins bytes_read bytes_written bytes_borrowed bytes_lent wakeups fill shared "
read_delta=$(($(field "$state" bytes_read) - read_before))
written_delta=$(($(field "$state" bytes_written) - written_before))
check "debugfs: bytes_read +4096 and bytes_written +8492 (got +$read_delta, +$written_delta)" \
	test "$read_delta.$written_delta" = 4096.8492

before=$(cat "$state")
if echo "head: 0" >"$state" 2>/dev/null; then
	mp_not_ok "debugfs: a write to the state file was accepted"
elif [ "$(cat "$state")" != "$before" ]; then
	mp_not_ok "debugfs: a refused write changed the state"
else
	mp_ok "debugfs: writes to the state file are refused"
fi

frame=$(mptop --once minipipe1 2>&1)
echo "$frame" | sed 's/^/#   /'
want1='minipipe1: 16 slots x 4096 bytes = 65536 bytes, 4396 bytes unread
  head 3 (slot 3) - tail 1 (slot 1) = 2 slots used
  open: 1 reader, 1 writer (2 files)   asleep: 0 in read, 0 in write, 0 in open'
want2='  slots 0-7   [      ][ 4096 ][  300 ][      ][      ][      ][      ][      ]
                        tail            head
  slots 8-15  [      ][      ][      ][      ][      ][      ][      ][      ]'
if [ "$(echo "$frame" | sed -n 1,3p)" = "$want1" ] &&
	[ "$(echo "$frame" | sed -n 6,8p)" = "$want2" ]; then
	mp_ok "mptop --once minipipe1 shows that state"
else
	mp_not_ok "mptop --once minipipe1 shows that state"
fi

stop "$holder"
check "debugfs: closed again, minipipe1 has no ring (files 0, head 0, tail 0, fill 0)" \
	sh -c "grep -qx 'files: 0' $state && grep -qx 'head: 0' $state &&
		grep -qx 'tail: 0' $state && grep -qx 'fill: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0' $state"

# --- sleepers ------------------------------------------------------------------

cat /dev/minipipe2 >/dev/null &
sleeper=$!
check "debugfs: a reader asleep in open() counts as open_sleepers 1" \
	wait_state minipipe2 open_sleepers 1
stop "$sleeper"

# Opened read-write, cat's read() sleeps: a writer (itself) is there, data is not.
cat 0<>/dev/minipipe2 >/dev/null &
sleeper=$!
check "debugfs: a reader asleep in read() counts as read_sleepers 1" \
	wait_state minipipe2 read_sleepers 1
stop "$sleeper"

# shellcheck disable=SC2217 # sleep holds the read end open without reading
sleep 30 </dev/minipipe2 &
idle=$!
dd if=/dev/zero of=/dev/minipipe2 bs=4096 count=17 2>/dev/null &
writer=$!
if wait_state minipipe2 write_sleepers 1 && grep -qx 'occupancy: 16' "$dbg/minipipe2"; then
	mp_ok "debugfs: a writer asleep on a full ring counts as write_sleepers 1"
else
	sed 's/^/#   /' "$dbg/minipipe2"
	mp_not_ok "debugfs: a writer asleep on a full ring counts as write_sleepers 1"
fi
stop "$writer"
stop "$idle"
check "debugfs: nobody asleep any more" \
	sh -c "grep -qx 'read_sleepers: 0' $dbg/minipipe2 &&
		grep -qx 'write_sleepers: 0' $dbg/minipipe2 &&
		grep -qx 'open_sleepers: 0' $dbg/minipipe2"

# --- spinning ------------------------------------------------------------------

# pingpong N — one byte goes round N times: a dd copies it from minipipe2
# to minipipe3, another back, each blocked in read() (not poll(), as the
# shell's read builtin would be) until the other has written.  The shell
# holds both pipes open read-write, so that neither dd's open waits.
pingpong() {
	exec 5<>/dev/minipipe2 6<>/dev/minipipe3
	printf x >&5
	dd if=/dev/minipipe2 of=/dev/minipipe3 bs=1 count="$1" 2>/dev/null &
	there=$!
	dd if=/dev/minipipe3 of=/dev/minipipe2 bs=1 count="$1" 2>/dev/null
	wait "$there"
	exec 5>&- 6>&-
}

# spins — waits of readers of minipipe2 and minipipe3 that ended while spinning.
spins() { echo $(($(field $dbg/minipipe2 read_spins) + $(field $dbg/minipipe3 read_spins))); }

# spin_check SPIN_US ROUNDS OP WHAT — with spin_us=SPIN_US, ROUNDS round
# trips must change the spins count as "test AFTER OP BEFORE" says.
spin_check() {
	echo "$1" >/sys/module/minipipe/parameters/spin_us
	before=$(spins)
	pingpong "$2"
	after=$(spins)
	check "debugfs: $4 (spin_us=$1: read_spins +$((after - before)))" test "$after" "$3" "$before"
}

spin_before=$(cat /sys/module/minipipe/parameters/spin_us)
# Each reply comes within a few hundred microseconds, while the reader
# that waits for it spins (1000 us): some of the 300 waits must end so.
spin_check 1000 300 -gt "waits that end while spinning are counted"
spin_check 0 100 -eq "no wait spins when spinning is off"
echo "$spin_before" >/sys/module/minipipe/parameters/spin_us

exit "$MP_TAP_FAILED"
