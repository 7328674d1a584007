# title: poll() and select() on several pipes
echo "One process waits on three pipes at once.  Each writer writes at its own time"
echo "and exits: poll() reports POLLIN for its message, then POLLHUP for its exit."
echo "(source: tools/learn/demo/mpdemo.c, scene_poll)"
echo
echo '$ mpdemo poll'
mpdemo poll
