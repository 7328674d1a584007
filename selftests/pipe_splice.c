// SPDX-License-Identifier: GPL-2.0
/*
 * splice(2) and sendfile(2) with the variant on one side and a helper
 * kernel pipe (or a regular file) on the other.  Rules (docs/semantics.md)
 * R142, R144, R148 and R149 (by reference, and Dirty Pipe).
 *
 * For the kernel's pipes and FIFOs this is pipe-to-pipe splicing
 * (splice_pipe_to_pipe) or file-to-pipe; a minipipe is not a pipe to
 * splice, so the same calls go through its ->splice_read and
 * ->splice_write (mp_splice_read(), mp_splice_write(): by page reference).
 * The data and the results must be the same.
 *
 * Left out on purpose (docs/semantics.md section 18, item 3):
 *  - an offset on the variant's side: ESPIPE on a kernel pipe, EINVAL on
 *    a minipipe (a file without pread/pwrite); only "fails, moves
 *    nothing" is asserted there;
 *  - tee(2) and vmsplice(2): selftests/pipe_tee.c;
 *  - sendfile *from* the variant (a kernel pipe has no ->splice_read).
 */
#include <sys/mman.h>
#include <sys/sendfile.h>

#include "minipipe_test.h"

TST_FIXTURE(splice)

/* A helper kernel pipe, closed by the teardown (close_range). */
static void helper_pipe(struct __test_metadata *_metadata, int h[2])
{
	ASSERT_EQ(0, pipe(h));
}

/* Why the last read_check() failed, for the test log. */
static char check_why[160];

/* Read @len bytes from @fd (blocking) and compare with the pattern. */
static bool read_check(int fd, size_t len, unsigned int seed, size_t off)
{
	static char buf[1 << 18];
	size_t got = 0;
	ssize_t r;
	long bad;

	while (got < len) {
		size_t want = len - got < sizeof(buf) ? len - got : sizeof(buf);

		r = read(fd, buf, want);
		if (r <= 0) {
			snprintf(check_why, sizeof(check_why),
				 "read after %zu of %zu bytes returned %zd (%s)",
				 got, len, r, r ? strerror(errno) : "EOF");
			return false;
		}
		bad = tst_check_pattern(buf, r, seed, off + got);
		if (bad != -1) {
			snprintf(check_why, sizeof(check_why),
				 "wrong byte at %zu of %zu: 0x%02x, expected 0x%02x",
				 got + bad, len, (unsigned char)buf[bad],
				 tst_byte(seed, off + got + bad));
			return false;
		}
		got += r;
	}
	return true;
}

#define ASSERT_READ_CHECK(fd, len, seed, off)				\
	ASSERT_TRUE(read_check((fd), (len), (seed), (off)))		\
		TH_LOG("%s", check_why)

/*
 * R142: splice from the variant's read end into a kernel pipe moves the
 * bytes in order, what is queued without waiting for more.
 */
TEST_F(splice, variant_to_pipe)
{
	ssize_t moved = 0, r;
	int h[2];

	TST_START();
	helper_pipe(_metadata, h);
	ASSERT_EQ(10000, tst_write_pattern(self->pipe.wfd, 10000, 1, 0));
	tst_watchdog(TST_WATCHDOG_SECS);
	while (moved < 10000) {
		r = splice(self->pipe.rfd, NULL, h[1], NULL, 20000, 0);
		ASSERT_LT(0, r) TH_LOG("splice: %s", strerror(errno));
		moved += r;
	}
	tst_watchdog(0);
	ASSERT_EQ(10000, moved);
	ASSERT_EQ(0, tst_nread(self->pipe.rfd));
	ASSERT_EQ(10000, tst_nread(h[0]));
	ASSERT_READ_CHECK(h[0], 10000, 1, 0);
}

/* R142: splice from a kernel pipe into the variant's write end. */
TEST_F(splice, pipe_to_variant)
{
	ssize_t moved = 0, r;
	int h[2];

	TST_START();
	helper_pipe(_metadata, h);
	ASSERT_EQ(10000, tst_write_pattern(h[1], 10000, 2, 0));
	tst_watchdog(TST_WATCHDOG_SECS);
	while (moved < 10000) {
		r = splice(h[0], NULL, self->pipe.wfd, NULL, 10000 - moved, 0);
		ASSERT_LT(0, r) TH_LOG("splice: %s", strerror(errno));
		moved += r;
	}
	tst_watchdog(0);
	ASSERT_EQ(0, tst_nread(h[0]));
	ASSERT_EQ(10000, tst_nread(self->pipe.rfd));
	ASSERT_READ_CHECK(self->pipe.rfd, 10000, 2, 0);
}

/*
 * R142: bytes spliced out stay what they were, whatever the variant
 * does later: 32 more pages written through it (every slot reused)
 * before the helper pipe is read.  (A splice may hand over the page
 * itself rather than a copy: the variant must not write into it again.)
 */
TEST_F(splice, spliced_bytes_not_overwritten)
{
	static char page[TST_PAGE];
	int h[2], i;

	TST_START();
	helper_pipe(_metadata, h);
	ASSERT_EQ(100, tst_write_pattern(self->pipe.wfd, 100, 7, 0));
	ASSERT_EQ(100, splice(self->pipe.rfd, NULL, h[1], NULL, 100, 0));
	/* Half of a slot, too: the rest stays in the variant. */
	ASSERT_EQ(200, tst_write_pattern(self->pipe.wfd, 200, 8, 0));
	ASSERT_EQ(50, splice(self->pipe.rfd, NULL, h[1], NULL, 50, 0));
	ASSERT_EQ(150, tst_nread(self->pipe.rfd));
	ASSERT_READ_CHECK(self->pipe.rfd, 150, 8, 50);
	for (i = 0; i < 2 * TST_SLOTS; i++) {
		memset(page, 'a' + i % 26, sizeof(page));
		ASSERT_EQ(TST_PAGE, write(self->pipe.wfd, page, TST_PAGE));
		ASSERT_EQ(TST_PAGE, read(self->pipe.rfd, page, TST_PAGE));
	}
	ASSERT_EQ(150, tst_nread(h[0]));
	ASSERT_READ_CHECK(h[0], 100, 7, 0);
	ASSERT_READ_CHECK(h[0], 50, 8, 0);
}

/*
 * R142, R12, R14: a 1 MiB stream through the variant, spliced in from
 * one kernel pipe and out into another, blocking on both sides: every
 * byte arrives in order and EOF is passed on (splice returns 0).
 */
TEST_F_TIMEOUT(splice, stream_through_variant, 120)
{
	const size_t total = 1 << 20;
	int in[2], out[2];
	pid_t feeder, mover;
	size_t got = 0;
	ssize_t r;

	TST_START();
	helper_pipe(_metadata, in);
	helper_pipe(_metadata, out);
	feeder = tst_fork(&self->pipe);
	ASSERT_LE(0, feeder);
	if (feeder == 0) {
		size_t off = 0, n;

		close(self->pipe.rfd);
		close(self->pipe.wfd);
		close(in[0]);
		close(out[0]);
		close(out[1]);
		while (off < total) {
			n = 1 + (off * 7919) % 20000;
			if (n > total - off)
				n = total - off;
			if (tst_write_pattern(in[1], n, 3, off) != (ssize_t)n)
				_exit(1);
			off += n;
		}
		_exit(0);
	}
	mover = tst_fork(&self->pipe);
	ASSERT_LE(0, mover);
	if (mover == 0) {
		close(self->pipe.rfd);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		while ((r = splice(in[0], NULL, self->pipe.wfd, NULL, 65536, 0)) > 0)
			;
		_exit(r == 0 ? 0 : 2);
	}
	close(in[0]);
	close(in[1]);
	tst_close(&self->pipe.wfd);
	for (;;) {
		r = splice(self->pipe.rfd, NULL, out[1], NULL, 65536, 0);
		ASSERT_LE(0, r) TH_LOG("splice: %s", strerror(errno));
		if (r == 0)
			break;
		ASSERT_READ_CHECK(out[0], r, 3, got);
		got += r;
	}
	ASSERT_EQ(total, got);
	TST_ASSERT_EXIT(&self->pipe, feeder, 0);
	TST_ASSERT_EXIT(&self->pipe, mover, 0);
}

/*
 * R142, R11, R12: O_NONBLOCK on the variant's fd: splice out of an empty
 * variant -> EAGAIN, out of an empty one without writers -> 0 (EOF);
 * splice into a full variant -> EAGAIN, and the helper keeps its bytes.
 */
TEST_F(splice, nonblocking_fds)
{
	int h[2];

	TST_START();
	helper_pipe(_metadata, h);
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.rfd, true));
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	ASSERT_EQ(-1, splice(self->pipe.rfd, NULL, h[1], NULL, 100, 0));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, tst_nread(h[0]));

	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	ASSERT_EQ(100, tst_write_pattern(h[1], 100, 4, 0));
	ASSERT_EQ(-1, splice(h[0], NULL, self->pipe.wfd, NULL, 100, 0));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(100, tst_nread(h[0]));
	ASSERT_EQ(TST_CAPACITY, tst_nread(self->pipe.rfd));

	ASSERT_EQ(TST_CAPACITY, tst_drain(self->pipe.rfd));
	tst_close(&self->pipe.wfd);
	tst_watchdog(TST_WATCHDOG_SECS);
	ASSERT_EQ(0, splice(self->pipe.rfd, NULL, h[1], NULL, 100, 0));
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.rfd, false));
	ASSERT_EQ(0, splice(self->pipe.rfd, NULL, h[1], NULL, 100, 0));
	tst_watchdog(0);
	ASSERT_READ_CHECK(h[0], 100, 4, 0);
}

/* R142: a length of 0 returns 0 at once, whatever the state. */
TEST_F(splice, zero_length)
{
	int h[2];

	TST_START();
	helper_pipe(_metadata, h);
	tst_watchdog(TST_WATCHDOG_SECS);
	ASSERT_EQ(0, splice(self->pipe.rfd, NULL, h[1], NULL, 0, 0));
	ASSERT_EQ(0, splice(h[0], NULL, self->pipe.wfd, NULL, 0, 0));
	tst_watchdog(0);
	ASSERT_EQ(0, tst_nread(self->pipe.rfd));
}

/*
 * R142: the variant's read end into its own write end -> EINVAL (the
 * same pipe on both sides; for a minipipe: neither side is a pipe).
 */
TEST_F(splice, same_pipe_einval)
{
	TST_START();
	ASSERT_EQ(5, write(self->pipe.wfd, "abcde", 5));
	ASSERT_EQ(-1, splice(self->pipe.rfd, NULL, self->pipe.wfd, NULL, 5, 0));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(5, tst_nread(self->pipe.rfd));
}

/*
 * R142: an offset for the helper pipe's side -> ESPIPE, in both
 * directions.  An offset for the variant's side fails and moves
 * nothing (ESPIPE for a kernel pipe, EINVAL for a minipipe: see top).
 */
TEST_F(splice, offsets_rejected)
{
	loff_t off = 0;
	int h[2];

	TST_START();
	helper_pipe(_metadata, h);
	ASSERT_EQ(5, write(self->pipe.wfd, "vwxyz", 5));
	ASSERT_EQ(3, write(h[1], "hij", 3));

	ASSERT_EQ(-1, splice(self->pipe.rfd, NULL, h[1], &off, 5, 0));
	ASSERT_EQ(ESPIPE, errno);
	ASSERT_EQ(-1, splice(h[0], &off, self->pipe.wfd, NULL, 3, 0));
	ASSERT_EQ(ESPIPE, errno);

	ASSERT_EQ(-1, splice(self->pipe.rfd, &off, h[1], NULL, 5, 0));
	ASSERT_TRUE(errno == ESPIPE || errno == EINVAL) TH_LOG("errno %d", errno);
	ASSERT_EQ(-1, splice(h[0], NULL, self->pipe.wfd, &off, 3, 0));
	ASSERT_TRUE(errno == ESPIPE || errno == EINVAL) TH_LOG("errno %d", errno);
	ASSERT_EQ(0, off);

	ASSERT_EQ(5, tst_nread(self->pipe.rfd));
	ASSERT_EQ(3, tst_nread(h[0]));
}

/* A temp regular file holding @len pattern bytes; -1 on failure. */
static int pattern_file(size_t len, unsigned int seed)
{
	const char *dirs[] = { getenv("TMPDIR"), "/tmp", "/dev/shm", "." };
	char path[512];
	unsigned int i;
	int fd = -1;

	for (i = 0; i < ARRAY_SIZE(dirs) && fd < 0; i++) {
		if (!dirs[i] || !*dirs[i])
			continue;
		snprintf(path, sizeof(path), "%s/minipipe-sendfile-XXXXXX", dirs[i]);
		fd = mkstemp(path);
		if (fd >= 0)
			unlink(path);
	}
	if (fd < 0)
		return -1;
	if (tst_write_pattern(fd, len, seed, 0) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * R144: sendfile from a regular file into the write end: what fits goes
 * in one call; more than fits is sent while a reader drains; the offset
 * moves by what was sent, and the bytes arrive in order.
 */
TEST_F(splice, sendfile_from_file)
{
	const size_t total = 300000;
	off_t off = 0;
	ssize_t r;
	pid_t pid;
	int fd;

	TST_START();
	fd = pattern_file(total, 5);
	ASSERT_LE(0, fd);
	tst_watchdog(TST_WATCHDOG_SECS);
	ASSERT_EQ(30000, sendfile(self->pipe.wfd, fd, &off, 30000));
	tst_watchdog(0);
	ASSERT_EQ(30000, off);
	ASSERT_EQ(30000, tst_nread(self->pipe.rfd));
	ASSERT_READ_CHECK(self->pipe.rfd, 30000, 5, 0);

	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.wfd);
		_exit(read_check(self->pipe.rfd, total - 30000, 5, 30000) ? 0 : 1);
	}
	while ((size_t)off < total) {
		r = sendfile(self->pipe.wfd, fd, &off, total - off);
		ASSERT_LT(0, r) TH_LOG("sendfile: %s", strerror(errno));
	}
	ASSERT_EQ((off_t)total, off);
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_EQ(0, tst_nread(self->pipe.rfd));
	close(fd);
}

/*
 * R144: sendfile into a full write end with O_NONBLOCK -> EAGAIN,
 * the file offset stays; with room it sends again.
 */
TEST_F(splice, sendfile_nonblock_full)
{
	off_t off = 0;
	int fd;

	TST_START();
	fd = pattern_file(8192, 6);
	ASSERT_LE(0, fd);
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	ASSERT_EQ(-1, sendfile(self->pipe.wfd, fd, &off, 4096));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, off);
	ASSERT_EQ(TST_CAPACITY, tst_nread(self->pipe.rfd));
	ASSERT_EQ(TST_CAPACITY, tst_drain(self->pipe.rfd));
	ASSERT_EQ(4096, sendfile(self->pipe.wfd, fd, &off, 4096));
	ASSERT_EQ(4096, off);
	ASSERT_READ_CHECK(self->pipe.rfd, 4096, 6, 0);
	close(fd);
}

/* ---- by reference: splice into the variant moves pages (R148, R149) ---- */

/* Whether the first page of @fd still holds pattern @seed; check_why says why not. */
static bool memfd_intact(int fd, unsigned int seed)
{
	unsigned char got = 0;
	long bad = tst_memfd_changed(fd, seed, &got);

	if (bad == -2)
		snprintf(check_why, sizeof(check_why), "pread: %s", strerror(errno));
	else if (bad >= 0)
		snprintf(check_why, sizeof(check_why),
			 "the file changed at byte %ld: 0x%02x, expected 0x%02x",
			 bad, got, tst_byte(seed, bad));
	return bad == -1;
}

/*
 * Page references that minipipe's rings hold to others' pages (debugfs
 * "borrowed"), or -1 where there is no such count: a kernel pipe, or no
 * debugfs.  A minipipe variant must have it.
 */
static long borrowed_pages(const struct tst_pipe *m)
{
	long n = -1;
	FILE *f;

	if (!tst_is_minipipe(m))
		return -1;
	f = fopen("/sys/kernel/debug/minipipe/borrowed", "r");
	if (!f)
		return -2;
	if (fscanf(f, "%ld", &n) != 1)
		n = -2;
	fclose(f);
	return n;
}

/*
 * R148: a splice into the variant takes the file's page itself, not a
 * copy of it: a change to the file before the read is what the reader
 * sees.  On a minipipe, the page reference it took is counted while the
 * bytes are in the pipe and given back when they are read, or when the
 * last close drops them unread (no leak).
 */
TEST_F(splice, file_page_by_reference)
{
	char buf[TST_PAGE];
	long before;
	int h[2], fd;

	TST_START();
	helper_pipe(_metadata, h);
	fd = tst_pattern_memfd(11);
	ASSERT_LE(0, fd);
	before = borrowed_pages(&self->pipe);
	ASSERT_NE(-2, before) TH_LOG("no /sys/kernel/debug/minipipe/borrowed");

	ASSERT_EQ(TST_PAGE, tst_splice_file_in(fd, h, self->pipe.wfd, TST_PAGE));
	ASSERT_EQ(0, tst_nread(h[0]));
	if (before >= 0) {
		ASSERT_EQ(before + 1, borrowed_pages(&self->pipe));
	}
	ASSERT_EQ(7, pwrite(fd, "CHANGED", 7, 0));
	ASSERT_EQ(TST_PAGE, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "CHANGED", 7));
	ASSERT_EQ(-1, tst_check_pattern(buf + 7, TST_PAGE - 7, 11, 7));
	ASSERT_EQ(before, borrowed_pages(&self->pipe));

	ASSERT_EQ(TST_PAGE, tst_splice_file_in(fd, h, self->pipe.wfd, TST_PAGE));
	if (before >= 0) {
		ASSERT_EQ(before + 1, borrowed_pages(&self->pipe));
	}
	tst_close_pair(&self->pipe);
	ASSERT_EQ(before, borrowed_pages(&self->pipe));
	close(fd);
}

/*
 * R149 (Dirty Pipe, CVE-2022-0847): bytes written after a spliced-in page
 * of a file go into a buffer of their own, never into that page: the file
 * stays as it was, and the reader gets the file's bytes, then the new ones.
 */
TEST_F(splice, write_after_spliced_page_leaves_file_alone)
{
	char buf[200];
	int h[2], fd;

	TST_START();
	helper_pipe(_metadata, h);
	fd = tst_pattern_memfd(12);
	ASSERT_LE(0, fd);
	ASSERT_EQ(100, tst_splice_file_in(fd, h, self->pipe.wfd, 100));
	ASSERT_EQ(3, write(self->pipe.wfd, "XYZ", 3));
	ASSERT_TRUE(memfd_intact(fd, 12)) TH_LOG("%s", check_why);
	ASSERT_EQ(103, tst_nread(self->pipe.rfd));
	ASSERT_EQ(103, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(-1, tst_check_pattern(buf, 100, 12, 0));
	ASSERT_EQ(0, memcmp(buf + 100, "XYZ", 3));
	close(fd);
}

/*
 * R149: a drained page that came by reference (here from sendfile()) is
 * not used again for later writes: every slot rewritten twice over, the
 * file is unchanged.
 */
TEST_F(splice, drained_spliced_page_not_reused)
{
	static char page[TST_PAGE];
	off_t off = 0;
	int fd, i;

	TST_START();
	fd = tst_pattern_memfd(13);
	ASSERT_LE(0, fd);
	ASSERT_EQ(TST_PAGE, sendfile(self->pipe.wfd, fd, &off, TST_PAGE));
	ASSERT_READ_CHECK(self->pipe.rfd, TST_PAGE, 13, 0);
	for (i = 0; i < 2 * TST_SLOTS; i++) {
		memset(page, 'a' + i % 26, sizeof(page));
		ASSERT_EQ(TST_PAGE, write(self->pipe.wfd, page, TST_PAGE));
		ASSERT_EQ(TST_PAGE, read(self->pipe.rfd, page, TST_PAGE));
	}
	ASSERT_TRUE(memfd_intact(fd, 13)) TH_LOG("%s", check_why);
	close(fd);
}

/*
 * R148: each buffer spliced in takes a slot; once the variant is full the
 * splice returns what fit, without waiting: here one of two pages.
 */
TEST_F(splice, returns_what_fits)
{
	static char page[TST_PAGE];
	int h[2], i;

	TST_START();
	helper_pipe(_metadata, h);
	for (i = 0; i < TST_SLOTS - 1; i++)
		ASSERT_EQ(TST_PAGE, write(self->pipe.wfd, page, TST_PAGE));
	ASSERT_EQ(TST_PAGE, tst_write_pattern(h[1], TST_PAGE, 14, 0));
	ASSERT_EQ(TST_PAGE, tst_write_pattern(h[1], TST_PAGE, 14, TST_PAGE));
	tst_watchdog(TST_WATCHDOG_SECS);
	ASSERT_EQ(TST_PAGE, splice(h[0], NULL, self->pipe.wfd, NULL, 2 * TST_PAGE, 0));
	/* Seconds left: the splice returned by itself, not when the watchdog fired. */
	ASSERT_LT(0, alarm(0)) TH_LOG("the splice waited for room");
	ASSERT_EQ(TST_PAGE, tst_nread(h[0]));
	ASSERT_EQ(TST_CAPACITY, tst_nread(self->pipe.rfd));
	for (i = 0; i < TST_SLOTS - 1; i++) {
		ASSERT_EQ(TST_PAGE, read(self->pipe.rfd, page, TST_PAGE));
	}
	ASSERT_READ_CHECK(self->pipe.rfd, TST_PAGE, 14, 0);
	ASSERT_READ_CHECK(h[0], TST_PAGE, 14, TST_PAGE);
}

/*
 * R148: SPLICE_F_NONBLOCK alone (no O_NONBLOCK on either fd): into a full
 * variant -> EAGAIN, and the helper keeps its bytes.
 */
TEST_F(splice, splice_f_nonblock_into_full)
{
	int h[2];

	TST_START();
	helper_pipe(_metadata, h);
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	ASSERT_EQ(100, tst_write_pattern(h[1], 100, 15, 0));
	tst_watchdog(TST_WATCHDOG_SECS);
	ASSERT_EQ(-1, splice(h[0], NULL, self->pipe.wfd, NULL, 100, SPLICE_F_NONBLOCK));
	ASSERT_EQ(EAGAIN, errno);
	tst_watchdog(0);
	ASSERT_EQ(100, tst_nread(h[0]));
}

/*
 * R148: the packets of a packet-mode kernel pipe stay packets in the
 * variant, whatever its own mode: one read, one packet.
 */
TEST_F(splice, packets_keep_their_boundaries)
{
	char buf[1000];
	int h[2];

	TST_START();
	ASSERT_EQ(0, pipe2(h, O_DIRECT));
	ASSERT_EQ(100, tst_write_pattern(h[1], 100, 16, 0));
	ASSERT_EQ(200, tst_write_pattern(h[1], 200, 16, 100));
	ASSERT_EQ(300, tst_write_pattern(h[1], 300, 16, 300));
	ASSERT_EQ(600, splice(h[0], NULL, self->pipe.wfd, NULL, 600, SPLICE_F_NONBLOCK));
	ASSERT_EQ(100, read(self->pipe.rfd, buf, 400));
	ASSERT_EQ(200, read(self->pipe.rfd, buf + 100, 400));
	ASSERT_EQ(300, read(self->pipe.rfd, buf + 300, 400));
	ASSERT_EQ(-1, tst_check_pattern(buf, 600, 16, 0));
}

/*
 * R148: a splice into a variant with no reader -> EPIPE and one
 * SIGPIPE; the helper keeps its bytes.
 */
TEST_F(splice, into_no_reader_epipe)
{
	int h[2];

	TST_START();
	helper_pipe(_metadata, h);
	ASSERT_EQ(0, tst_catch(SIGPIPE, false));
	tst_sig_count = 0;
	tst_close(&self->pipe.rfd);
	ASSERT_EQ(100, tst_write_pattern(h[1], 100, 17, 0));
	ASSERT_EQ(-1, splice(h[0], NULL, self->pipe.wfd, NULL, 100, 0));
	ASSERT_EQ(EPIPE, errno);
	ASSERT_EQ(1, tst_sig_count);
	ASSERT_EQ(100, tst_nread(h[0]));
	ASSERT_EQ(0, tst_default(SIGPIPE));
}

/*
 * R148: O_NONBLOCK on the variant's fd alone counts for the source
 * too: out of an empty helper pipe -> EAGAIN at once.
 */
TEST_F(splice, nonblocking_variant_from_empty_source)
{
	int h[2];

	TST_START();
	helper_pipe(_metadata, h);
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	tst_watchdog(TST_WATCHDOG_SECS);
	ASSERT_EQ(-1, splice(h[0], NULL, self->pipe.wfd, NULL, 100, 0));
	ASSERT_EQ(EAGAIN, errno);
	tst_watchdog(0);
	ASSERT_EQ(0, tst_nread(self->pipe.rfd));
}

/*
 * R148: a splice that waits for room in the variant does not hold the
 * source pipe meanwhile: another writer of the source gets its bytes in
 * (splice_pipe_to_pipe() waits for room before it locks the source).
 */
TEST_F(splice, waiting_splice_leaves_the_source_free)
{
	static char page[TST_PAGE];
	pid_t splicer, writer;
	int h[2], i;

	TST_START();
	helper_pipe(_metadata, h);
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	ASSERT_EQ(100, tst_write_pattern(h[1], 100, 22, 0));
	splicer = tst_fork(&self->pipe);
	ASSERT_LE(0, splicer);
	if (splicer == 0) {
		tst_ready(&self->pipe);
		_exit(splice(h[0], NULL, self->pipe.wfd, NULL, 100, 0) == 100 ? 0 : 1);
	}
	TST_ASSERT_BLOCKED(&self->pipe, splicer);
	writer = tst_fork(&self->pipe);
	ASSERT_LE(0, writer);
	if (writer == 0)
		_exit(write(h[1], "abc", 3) == 3 ? 0 : 1);
	TST_ASSERT_EXIT(&self->pipe, writer, 0);
	/* The filler's pages, exactly: the splice may add its bytes meanwhile. */
	for (i = 0; i < TST_SLOTS; i++) {
		ASSERT_EQ(TST_PAGE, read(self->pipe.rfd, page, TST_PAGE));
	}
	TST_ASSERT_EXIT(&self->pipe, splicer, 0);
	ASSERT_EQ(3, tst_nread(h[0]));
	ASSERT_READ_CHECK(self->pipe.rfd, 100, 22, 0);
}

/*
 * R148, R200: a splice that waits for room takes no wake-up from a writer
 * asleep beside it.  Splice S waits for room in the full variant, then
 * its source is emptied (by another reader) and writer W sleeps for room
 * too.  One slot is read: W must get its page in, although S, woken too,
 * finds nothing to move and goes back to wait for its source.
 */
TEST_F(splice, waiting_splice_leaves_the_wakeup_to_a_writer)
{
	static char page[TST_PAGE];
	pid_t splicer, writer;
	char buf[200];
	int h[2];

	TST_START();
	helper_pipe(_metadata, h);
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	ASSERT_EQ(100, tst_write_pattern(h[1], 100, 23, 0));
	splicer = tst_fork(&self->pipe);
	ASSERT_LE(0, splicer);
	if (splicer == 0) {
		close(h[1]);
		tst_ready(&self->pipe);
		_exit(splice(h[0], NULL, self->pipe.wfd, NULL, 100, 0) >= 0 ? 0 : 1);
	}
	TST_ASSERT_BLOCKED(&self->pipe, splicer);
	ASSERT_EQ(100, read(h[0], buf, sizeof(buf)));
	writer = tst_fork(&self->pipe);
	ASSERT_LE(0, writer);
	if (writer == 0) {
		close(h[0]);
		close(h[1]);
		tst_ready(&self->pipe);
		_exit(write(self->pipe.wfd, page, TST_PAGE) == TST_PAGE ? 0 : 1);
	}
	TST_ASSERT_BLOCKED(&self->pipe, writer);
	ASSERT_EQ(TST_PAGE, read(self->pipe.rfd, page, TST_PAGE));
	TST_ASSERT_EXIT(&self->pipe, writer, 0);
	/* The splicer waits for its source, or room: end of file and room let it go. */
	tst_close(&h[1]);
	ASSERT_EQ(TST_CAPACITY, tst_drain(self->pipe.rfd));
	TST_ASSERT_EXIT(&self->pipe, splicer, 0);
}

/* ---- by reference: splice out of the variant (R148) ------------------ */

/*
 * The bytes the named variant lent out by page reference (its debugfs
 * state, bytes_lent), or -1 where there is no such count (a kernel pipe,
 * an anonymous pair); -2 if a named minipipe has none.
 */
static long long bytes_lent(const struct tst_pipe *m)
{
	char path[600], line[128];
	long long n = -2;
	const char *name;
	FILE *f;

	if (!tst_is_minipipe(m) || tst_is_anon(m))
		return -1;
	name = strrchr(m->path, '/');
	snprintf(path, sizeof(path), "/sys/kernel/debug/minipipe/%s", name ? name + 1 : m->path);
	f = fopen(path, "r");
	if (!f)
		return -2;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "bytes_lent: %lld", &n) == 1)
			break;
	fclose(f);
	return n;
}

/*
 * R148: the packets of a packet-mode variant stay packets in the kernel
 * pipe they are spliced into: one splice moves all three, and each read of
 * the pipe returns one.  (A named minipipe counts them as lent, not copied.)
 */
TEST_F(splice, packets_out_keep_their_boundaries)
{
	long long lent_before;
	char buf[1000];
	int h[2];

	TST_START();
	helper_pipe(_metadata, h);
	lent_before = bytes_lent(&self->pipe);
	ASSERT_NE(-2, lent_before);
	ASSERT_EQ(0, tst_set_direct(self->pipe.wfd, true));
	ASSERT_EQ(100, tst_write_pattern(self->pipe.wfd, 100, 18, 0));
	ASSERT_EQ(200, tst_write_pattern(self->pipe.wfd, 200, 18, 100));
	ASSERT_EQ(300, tst_write_pattern(self->pipe.wfd, 300, 18, 300));
	ASSERT_EQ(600, splice(self->pipe.rfd, NULL, h[1], NULL, 600, SPLICE_F_NONBLOCK));
	ASSERT_EQ(0, tst_nread(self->pipe.rfd));
	ASSERT_EQ(100, read(h[0], buf, 400));
	ASSERT_EQ(200, read(h[0], buf + 100, 400));
	ASSERT_EQ(300, read(h[0], buf + 300, 400));
	ASSERT_EQ(-1, tst_check_pattern(buf, 600, 18, 0));
	if (lent_before >= 0) {
		ASSERT_EQ(lent_before + 600, bytes_lent(&self->pipe));
	}
}

/*
 * R148: part of a packet spliced out leaves the rest in the variant, still
 * a packet: the next read returns just that rest.
 */
TEST_F(splice, part_of_a_packet_out)
{
	char buf[400];
	int h[2];

	TST_START();
	helper_pipe(_metadata, h);
	ASSERT_EQ(0, tst_set_direct(self->pipe.wfd, true));
	ASSERT_EQ(300, tst_write_pattern(self->pipe.wfd, 300, 19, 0));
	ASSERT_EQ(100, tst_write_pattern(self->pipe.wfd, 100, 19, 300));
	ASSERT_EQ(120, splice(self->pipe.rfd, NULL, h[1], NULL, 120, SPLICE_F_NONBLOCK));
	ASSERT_EQ(280, tst_nread(self->pipe.rfd));
	ASSERT_EQ(180, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(-1, tst_check_pattern(buf, 180, 19, 120));
	ASSERT_EQ(100, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_READ_CHECK(h[0], 120, 19, 0);
}

/*
 * R148: SPLICE_F_NONBLOCK alone, out of an empty variant -> EAGAIN; with
 * no writer left -> 0.
 */
TEST_F(splice, splice_f_nonblock_out_of_empty)
{
	int h[2];

	TST_START();
	helper_pipe(_metadata, h);
	tst_watchdog(TST_WATCHDOG_SECS);
	ASSERT_EQ(-1, splice(self->pipe.rfd, NULL, h[1], NULL, 100, SPLICE_F_NONBLOCK));
	ASSERT_EQ(EAGAIN, errno);
	tst_close(&self->pipe.wfd);
	ASSERT_EQ(0, splice(self->pipe.rfd, NULL, h[1], NULL, 100, SPLICE_F_NONBLOCK));
	tst_watchdog(0);
	ASSERT_EQ(0, tst_nread(h[0]));
}

/*
 * R148: each slot spliced out takes a slot of the kernel pipe; once that
 * is full the splice returns what fit.  Two separate small writes are two
 * slots, so a pipe with room for one takes the first.
 */
TEST_F(splice, out_returns_what_fits)
{
	static char page[TST_PAGE];
	int h[2], i;

	TST_START();
	helper_pipe(_metadata, h);
	for (i = 0; i < TST_SLOTS - 1; i++) {
		ASSERT_EQ(TST_PAGE, write(h[1], page, TST_PAGE));
	}
	ASSERT_EQ(0, tst_set_direct(self->pipe.wfd, true));
	ASSERT_EQ(10, tst_write_pattern(self->pipe.wfd, 10, 20, 0));
	ASSERT_EQ(20, tst_write_pattern(self->pipe.wfd, 20, 20, 10));
	tst_watchdog(TST_WATCHDOG_SECS);
	ASSERT_EQ(10, splice(self->pipe.rfd, NULL, h[1], NULL, 30, 0));
	tst_watchdog(0);
	ASSERT_EQ(20, tst_nread(self->pipe.rfd));
	ASSERT_EQ(TST_CAPACITY - TST_PAGE + 10, tst_nread(h[0]));
}

TEST_HARNESS_MAIN
