# title: tracepoints: watch a write and a read in the kernel's trace buffer
t=/sys/kernel/tracing
[ -d "$t/events" ] || mount -t tracefs nodev "$t"
echo "minipipe's tracepoints are in $t/events/minipipe/:"
ls "$t/events/minipipe"
echo
echo '$ echo 1 > /sys/kernel/tracing/events/minipipe/enable'
echo >"$t/trace"
echo 1 >"$t/events/minipipe/enable"
echo '$ cat /dev/minipipe > /dev/null &'
cat /dev/minipipe >/dev/null &
echo '$ echo hello > /dev/minipipe'
echo hello >/dev/minipipe
wait
echo 0 >"$t/events/minipipe/enable"
echo
echo "The reader slept in open() until the writer came, the write of 6 bytes landed"
echo "in slot 0 (head 0 -> 1), the reader read them (tail 0 -> 1), and its next"
echo "read() found no writer left: EOF."
echo
echo '$ cat /sys/kernel/tracing/trace'
grep -v '^#' "$t/trace"
grep -q 'minipipe_write:.*done=6' "$t/trace"
grep -q 'minipipe_read:.*done=6' "$t/trace"
echo >"$t/trace"
