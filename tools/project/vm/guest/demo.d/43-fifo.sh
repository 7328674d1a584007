# title: a FIFO server and client on /dev/minipipe: open() waits for the peer (exercise 3)
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

echo "/dev/minipipe behaves as a FIFO: open() for reading sleeps until a writer"
echo "opens it too.  Here cat is the reader:"
echo
echo '$ cat /dev/minipipe &'
cat /dev/minipipe >/tmp/fifo.out &
wait_state open_sleepers 1
echo "cat sleeps in open().  mptop reads $state:"
echo
echo '$ mptop --once minipipe'
mptop --once minipipe
echo
echo '$ echo "hello through a FIFO" > /dev/minipipe'
echo "hello through a FIFO" >/dev/minipipe
wait
echo "cat woke up, read the line and saw EOF when echo closed: \"$(cat /tmp/fifo.out)\""
test "$(cat /tmp/fifo.out)" = "hello through a FIFO"
echo
echo "The same with two programs that talk: requests through /dev/minipipe, replies"
echo "through /dev/minipipe1.   (source: tools/learn/examples/ex3_fifo_server.c)"
echo
echo '$ ex3_fifo_server'
ex3_fifo_server
