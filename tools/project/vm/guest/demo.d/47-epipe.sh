# title: the reader closes: SIGPIPE and EPIPE
echo "yes writes forever; head reads two lines and exits.  With no reader left, yes's"
echo "next write() raises SIGPIPE, which kills it: that is how \`yes | head\` ends."
echo
echo '$ yes > /dev/minipipe &'
echo '$ head -n 2 /dev/minipipe'
yes >/dev/minipipe &
writer=$!
head -n 2 /dev/minipipe
status=0
wait "$writer" || status=$?
echo "yes ended with status $status = 128 + 13, SIGPIPE"
test "$status" = 141
echo
echo "(source: tools/learn/demo/mpdemo.c, scene_epipe)"
echo '$ mpdemo epipe'
mpdemo epipe
