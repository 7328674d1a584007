# title: non-blocking I/O: EAGAIN instead of sleeping
echo "With O_NONBLOCK, a read() that would sleep (empty pipe, a writer still there)"
echo "and a write() that would sleep (full pipe) fail with EAGAIN instead."
echo "(source: tools/learn/demo/mpdemo.c, scene_nonblock)"
echo
echo '$ mpdemo nonblock'
mpdemo nonblock
