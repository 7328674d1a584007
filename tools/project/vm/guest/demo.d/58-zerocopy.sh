# title: zero-copy: a file's page spliced into /dev/minipipe by reference, and the Dirty Pipe lesson
echo "splice() moves pages, not bytes: from a file into a kernel pipe, then from that"
echo "pipe into a minipipe, the slot takes a reference to the file's page-cache page"
echo "(a borrowed slot); no byte is copied until someone reads.  mptop draws such a"
echo "slot in braces, { }; debugfs counts the references in"
echo "/sys/kernel/debug/minipipe/borrowed."
echo
echo "Dirty Pipe, CVE-2022-0847 (Linux 5.8 on, fixed in 5.16.11): splice left a stale"
echo "PIPE_BUF_FLAG_CAN_MERGE on the pipe buffer it filled with a page-cache page, so"
echo "the next write() to the pipe merged into that page: into the cached file, even one"
echo "the writer could only read.  A borrowed slot never has MP_SLOT_CAN_MERGE."
echo "   (source: tools/learn/demo/mpdemo.c, scene_zerocopy; module/ring.c, mp_ring_attach)"
echo
echo '$ mpdemo zerocopy /dev/minipipe'
mpdemo zerocopy /dev/minipipe
