# title: resizing a pipe with MINIPIPE_IOC_SET_SIZE (mptop before and after)
echo "MINIPIPE_IOC_SET_SIZE is minipipe's F_SETPIPE_SZ: the size is rounded up to a"
echo "power of two pages, the unread data moves to the new ring, and shrinking below"
echo "the slots in use fails with EBUSY.   (source: tools/learn/demo/mpdemo.c, scene_resize)"
echo
echo '$ mpdemo resize /dev/minipipe1'
mpdemo resize /dev/minipipe1
