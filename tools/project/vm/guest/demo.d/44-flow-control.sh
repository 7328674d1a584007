# title: flow control: a fast writer fills the ring and sleeps until the reader drains it (exercise 4)
state=/sys/kernel/debug/minipipe/minipipe

# wait_state KEY VALUE — until the debugfs state file says "KEY: VALUE" (10 s at most).
wait_state() {
	i=0
	until grep -qx "$1: $2" "$state"; do
		i=$((i + 1))
		[ "$i" -le 100 ] || { echo "(timed out waiting for $1: $2)"; return 1; }
		sleep 0.1
	done
}

echo "A reader that opens /dev/minipipe but never reads, and dd writing 20 pages:"
echo
echo '$ sleep 60 </dev/minipipe &                          # opens for reading, reads nothing'
# shellcheck disable=SC2217 # sleep holds the read end open without reading
sleep 60 </dev/minipipe &
idle=$!
echo '$ dd if=/dev/zero of=/dev/minipipe bs=4096 count=20 &'
dd if=/dev/zero of=/dev/minipipe bs=4096 count=20 2>/dev/null &
writer=$!
wait_state write_sleepers 1
echo
echo "16 pages filled the 16 slots; dd's 17th write() sleeps (\"1 in write\"):"
echo
echo '$ mptop --once minipipe'
mptop --once minipipe
grep -qx 'occupancy: 16' "$state"
echo
echo '$ cat /dev/minipipe | wc -c                         # a reader drains it: dd wakes, finishes'
# shellcheck disable=SC2002 # cat is the reader being shown
n=$(cat /dev/minipipe | wc -c)
echo "$n"
wait "$writer"
kill "$idle"
wait "$idle" 2>/dev/null || true
test "$n" = 81920
echo
echo "Streaming: dd writes without end, cat reads; mptop prints two frames a second"
echo "apart, the second with the throughput (\"now:\"):"
echo
echo '$ dd if=/dev/zero of=/dev/minipipe bs=64k & cat /dev/minipipe >/dev/null &'
dd if=/dev/zero of=/dev/minipipe bs=65536 2>/dev/null &
writer=$!
cat /dev/minipipe >/dev/null &
reader=$!
wait_state readers 1
echo '$ mptop --plain --count 2 --interval 1 minipipe'
mptop --plain --count 2 --interval 1 minipipe
kill "$writer"
wait "$writer" 2>/dev/null || true
wait "$reader"
echo
echo "The same with an anonymous pipe, checked byte by byte."
echo "(source: tools/learn/examples/ex4_flow_control.c)"
echo
echo '$ ex4_flow_control'
ex4_flow_control
