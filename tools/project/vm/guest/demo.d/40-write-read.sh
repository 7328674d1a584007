# title: write and read through /dev/minipipe (a reader blocks until a writer comes)
set -x
cat /dev/minipipe >/tmp/out &
# Give the reader time to open first, as with a FIFO.
sleep 0.2
echo hello >/dev/minipipe
wait
cat /tmp/out
test "$(cat /tmp/out)" = hello
