# title: the last writer closes: end of file
echo "read() returns 0 only when the pipe is empty and no writer is left.  A writer"
echo "that pauses is not an end of file: cat waits for the second line."
echo
echo '$ (echo one; sleep 1; echo two) > /dev/minipipe &'
echo '$ cat /dev/minipipe'
(echo one; sleep 1; echo two) >/dev/minipipe &
cat /dev/minipipe
wait
echo "cat returned when its read() gave 0: the subshell, the last writer, had closed."
echo
echo "(source: tools/learn/demo/mpdemo.c, scene_eof)"
echo '$ mpdemo eof'
mpdemo eof
