// SPDX-License-Identifier: GPL-2.0
/*
 * read(2)/write(2) on a pipe: data path, EOF, EAGAIN, EPIPE, the slot
 * and merge model behind the 64 KiB capacity, PIPE_BUF atomicity (vector
 * I/O beyond zero lengths: pipe_iov.c).  docs/semantics.md sections 1-3
 * and 6.
 */
#include <sys/uio.h>

#include <sys/utsname.h>

#include "minipipe_test.h"

TST_FIXTURE(rw)

/* R16, R161 (LTP pipe01): what is written to [1] is read from [0]. */
TEST_F(rw, roundtrip)
{
	static const char msg[] = "A string of 27 characters.";
	char buf[64] = "";

	TST_START();
	ASSERT_EQ(27, (int)sizeof(msg));
	ASSERT_EQ(27, write(self->pipe.wfd, msg, sizeof(msg)));
	ASSERT_EQ(27, tst_nread(self->pipe.rfd));
	ASSERT_EQ(27, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_STREQ(msg, buf);
	ASSERT_EQ(0, tst_nread(self->pipe.rfd));
}

/* R16, R13: a byte stream; one read returns several writes joined. */
TEST_F(rw, byte_stream_no_boundaries)
{
	char buf[64] = "";

	TST_START();
	ASSERT_EQ(3, write(self->pipe.wfd, "abc", 3));
	ASSERT_EQ(4, write(self->pipe.wfd, "defg", 4));
	ASSERT_EQ(1, write(self->pipe.wfd, "h", 1));
	ASSERT_EQ(8, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_STREQ("abcdefgh", buf);
	/* And a write can be read in several pieces. */
	ASSERT_EQ(6, write(self->pipe.wfd, "123456", 6));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(2, read(self->pipe.rfd, buf, 2));
	ASSERT_EQ(4, read(self->pipe.rfd, buf + 2, 10));
	ASSERT_STREQ("123456", buf);
}

/* R10: a zero-length read returns 0 at once, even on an empty pipe. */
TEST_F(rw, read_zero_length)
{
	struct iovec iov[2] = { { NULL, 0 }, { NULL, 0 } };
	char buf[8];

	TST_START();
	ASSERT_FALSE(tst_is_nonblock(self->pipe.rfd));
	tst_watchdog(TST_WATCHDOG_SECS);
	EXPECT_EQ(0, read(self->pipe.rfd, buf, 0));
	EXPECT_EQ(0, read(self->pipe.rfd, NULL, 0));
	EXPECT_EQ(0, readv(self->pipe.rfd, iov, 2));
	/* Non-blocking: 0, not EAGAIN. */
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.rfd, true));
	EXPECT_EQ(0, read(self->pipe.rfd, buf, 0));
	/* With data queued: 0, and nothing is consumed. */
	ASSERT_EQ(3, write(self->pipe.wfd, "xyz", 3));
	EXPECT_EQ(0, read(self->pipe.rfd, buf, 0));
	tst_watchdog(0);
	ASSERT_EQ(3, tst_nread(self->pipe.rfd));
}

/* R30: a zero-length write returns 0, queues nothing, no EPIPE/SIGPIPE. */
TEST_F(rw, write_zero_length)
{
	struct iovec iov[2] = { { NULL, 0 }, { NULL, 0 } };
	char buf[8];

	TST_START();
	ASSERT_EQ(0, write(self->pipe.wfd, "x", 0));
	ASSERT_EQ(0, writev(self->pipe.wfd, iov, 2));
	ASSERT_EQ(0, tst_nread(self->pipe.rfd));
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.rfd, true));
	ASSERT_EQ(-1, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(EAGAIN, errno);

	/* No readers: still 0 and no signal... */
	ASSERT_EQ(0, tst_catch(SIGPIPE, false));
	tst_close(&self->pipe.rfd);
	tst_sig_count = 0;
	ASSERT_EQ(0, write(self->pipe.wfd, "x", 0));
	ASSERT_EQ(0, writev(self->pipe.wfd, iov, 2));
	ASSERT_EQ(0, tst_sig_count);
	/* ...while a 1-byte write gets both (shows the handler works). */
	ASSERT_EQ(-1, write(self->pipe.wfd, "x", 1));
	ASSERT_EQ(EPIPE, errno);
	ASSERT_EQ(1, tst_sig_count);
}

/* R11: empty pipe, writer present, O_NONBLOCK set by F_SETFL -> EAGAIN. */
TEST_F(rw, read_nonblock_empty_eagain)
{
	char buf[8];

	TST_START();
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.rfd, true));
	ASSERT_EQ(-1, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(-1, read(self->pipe.rfd, buf, 1));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(2, write(self->pipe.wfd, "ok", 2));
	ASSERT_EQ(2, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(-1, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(EAGAIN, errno);
}

/*
 * R11, R92: FIONBIO (handled by the VFS) switches O_NONBLOCK on the open
 * file and the next read sees it; switched off, read blocks again.
 */
TEST_F(rw, fionbio_toggles_blocking)
{
	char buf[8];
	int on = 1, off = 0;
	pid_t pid;

	TST_START();
	ASSERT_EQ(0, ioctl(self->pipe.rfd, FIONBIO, &on));
	ASSERT_TRUE(tst_is_nonblock(self->pipe.rfd));
	ASSERT_EQ(-1, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, ioctl(self->pipe.rfd, FIONBIO, &off));
	ASSERT_FALSE(tst_is_nonblock(self->pipe.rfd));

	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.wfd);
		tst_ready(&self->pipe);
		if (read(self->pipe.rfd, buf, sizeof(buf)) != 1 || buf[0] != 'b')
			_exit(1);
		_exit(0);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	ASSERT_EQ(1, write(self->pipe.wfd, "b", 1));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
}

/* R11: the flag lives in the open file description, shared by dup(). */
TEST_F(rw, nonblock_shared_by_dup)
{
	char buf[8];
	int d;

	TST_START();
	d = dup(self->pipe.rfd);
	ASSERT_LE(0, d);
	ASSERT_EQ(0, tst_set_nonblock(d, true));
	ASSERT_TRUE(tst_is_nonblock(self->pipe.rfd));
	ASSERT_EQ(-1, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(EAGAIN, errno);
	close(d);
}

/* R12: no writers and empty -> 0 (EOF), blocking or not; never EAGAIN. */
TEST_F(rw, eof_when_no_writers)
{
	char buf[8];

	TST_START();
	tst_close(&self->pipe.wfd);
	tst_watchdog(TST_WATCHDOG_SECS);
	ASSERT_EQ(0, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(0, read(self->pipe.rfd, buf, sizeof(buf)));
	tst_watchdog(0);
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.rfd, true));
	ASSERT_EQ(0, read(self->pipe.rfd, buf, sizeof(buf)));
}

/* R12, R71 (LTP pipe14): queued data is read first, then EOF. */
TEST_F(rw, remaining_data_then_eof)
{
	static char buf[8192];

	TST_START();
	ASSERT_EQ(5000, tst_write_pattern(self->pipe.wfd, 5000, 1, 0));
	tst_close(&self->pipe.wfd);
	tst_watchdog(TST_WATCHDOG_SECS);
	ASSERT_EQ(3000, read(self->pipe.rfd, buf, 3000));
	ASSERT_EQ(-1, tst_check_pattern(buf, 3000, 1, 0));
	ASSERT_EQ(2000, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(-1, tst_check_pattern(buf, 2000, 1, 3000));
	ASSERT_EQ(0, read(self->pipe.rfd, buf, sizeof(buf)));
	tst_watchdog(0);
}

/* R13: a blocking read returns what is there without waiting for more. */
TEST_F(rw, partial_read_returns_available)
{
	char buf[100];

	TST_START();
	ASSERT_EQ(10, write(self->pipe.wfd, "0123456789", 10));
	tst_watchdog(TST_WATCHDOG_SECS);
	ASSERT_EQ(10, read(self->pipe.rfd, buf, sizeof(buf)));
	tst_watchdog(0);
	ASSERT_EQ(0, memcmp(buf, "0123456789", 10));
}

/* R6, R13: one read collects data from several slots. */
TEST_F(rw, read_spans_slots)
{
	static char buf[20000];

	TST_START();
	ASSERT_EQ(4096, tst_write_pattern(self->pipe.wfd, 4096, 2, 0));
	ASSERT_EQ(4096, tst_write_pattern(self->pipe.wfd, 4096, 2, 4096));
	ASSERT_EQ(1000, tst_write_pattern(self->pipe.wfd, 1000, 2, 8192));
	ASSERT_EQ(9192, tst_nread(self->pipe.rfd));
	ASSERT_EQ(9192, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(-1, tst_check_pattern(buf, 9192, 2, 0));
	ASSERT_EQ(0, tst_nread(self->pipe.rfd));
}

/* R6: a read may take part of a slot; the rest stays, in order. */
TEST_F(rw, read_consumes_partial_slot)
{
	static char buf[8192];

	TST_START();
	ASSERT_EQ(4096, tst_write_pattern(self->pipe.wfd, 4096, 3, 0));
	ASSERT_EQ(1000, read(self->pipe.rfd, buf, 1000));
	ASSERT_EQ(-1, tst_check_pattern(buf, 1000, 3, 0));
	ASSERT_EQ(3096, tst_nread(self->pipe.rfd));
	ASSERT_EQ(3096, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(-1, tst_check_pattern(buf, 3096, 3, 1000));
}

/* R14: a blocking read on an empty pipe sleeps until data arrives. */
TEST_F(rw, read_blocks_until_data)
{
	char buf[100];
	pid_t pid;

	TST_START();
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.wfd);
		tst_ready(&self->pipe);
		if (read(self->pipe.rfd, buf, sizeof(buf)) != 5)
			_exit(1);
		_exit(memcmp(buf, "abcde", 5) ? 2 : 0);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	ASSERT_EQ(5, write(self->pipe.wfd, "abcde", 5));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
}

/* R1, R33: default capacity is 16 slots = 65536 bytes. */
TEST_F(rw, capacity_is_64k)
{
	static char buf[100000];

	TST_START();
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	tst_fill_pattern(buf, sizeof(buf), 4, 0);
	ASSERT_EQ(TST_CAPACITY, write(self->pipe.wfd, buf, sizeof(buf)));
	ASSERT_EQ(TST_CAPACITY, tst_nread(self->pipe.rfd));
	ASSERT_EQ(TST_CAPACITY, tst_nread(self->pipe.wfd));
	ASSERT_EQ(-1, write(self->pipe.wfd, buf, 1));
	ASSERT_EQ(EAGAIN, errno);
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(TST_CAPACITY, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(-1, tst_check_pattern(buf, TST_CAPACITY, 4, 0));
}

/* R2, R4: capacity counts slots: 16 x 4095 fills it, then 1 byte merges. */
TEST_F(rw, capacity_counts_slots)
{
	static char buf[4096];
	int i;

	TST_START();
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	for (i = 0; i < TST_SLOTS; i++) {
		ASSERT_EQ(4095, write(self->pipe.wfd, buf, 4095));
	}
	ASSERT_EQ(-1, write(self->pipe.wfd, buf, 4095));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(1, write(self->pipe.wfd, buf, 1));
	ASSERT_EQ(-1, write(self->pipe.wfd, buf, 1));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(65521, tst_nread(self->pipe.rfd));
}

/* R3: small writes merge into the last slot. */
TEST_F(rw, small_writes_merge)
{
	static char buf[4096];
	int i, pages = 0;

	TST_START();
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	for (i = 0; i < 4096; i++) {
		ASSERT_EQ(1, write(self->pipe.wfd, buf, 1));
	}
	ASSERT_EQ(4096, tst_nread(self->pipe.rfd));
	while (pages < 64 && write(self->pipe.wfd, buf, 4096) == 4096)
		pages++;
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(15, pages);
	ASSERT_EQ(TST_CAPACITY, tst_nread(self->pipe.rfd));
}

/*
 * R3: a small write merges only into the *last* slot and only if it fits
 * there whole; otherwise it takes a new slot (it is never split).
 */
TEST_F(rw, merge_only_into_last_slot)
{
	static char buf[4096];
	int pages = 0;

	TST_START();
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	/* 3000 + 1000 share one slot: 15 pages still fit. */
	ASSERT_EQ(3000, write(self->pipe.wfd, buf, 3000));
	ASSERT_EQ(1000, write(self->pipe.wfd, buf, 1000));
	while (pages < 64 && write(self->pipe.wfd, buf, 4096) == 4096)
		pages++;
	ASSERT_EQ(15, pages);
	ASSERT_EQ(4000 + 15 * 4096, tst_drain(self->pipe.rfd));

	/* 3000 + 2000 need two slots; 2096 then fills the second one. */
	ASSERT_EQ(3000, write(self->pipe.wfd, buf, 3000));
	ASSERT_EQ(2000, write(self->pipe.wfd, buf, 2000));
	ASSERT_EQ(2096, write(self->pipe.wfd, buf, 2096));
	ASSERT_EQ(7096, tst_nread(self->pipe.rfd));
	pages = 0;
	while (pages < 64 && write(self->pipe.wfd, buf, 4096) == 4096)
		pages++;
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(14, pages);
	/* The 1096 bytes free in the first slot are unreachable. */
	ASSERT_EQ(-1, write(self->pipe.wfd, buf, 1));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(7096 + 14 * 4096, tst_nread(self->pipe.rfd));
}

/*
 * R3, R33: a large non-blocking write first merges its (n mod 4096)
 * head into the last slot, if it fits there, then takes whole pages.
 */
TEST_F(rw, large_write_merges_head)
{
	static char buf[100000], out[TST_CAPACITY];

	TST_START();
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	tst_fill_pattern(buf, sizeof(buf), 5, 0);

	/* 1 byte queued: 1696 merge, then 15 pages. */
	ASSERT_EQ(1, write(self->pipe.wfd, "#", 1));
	ASSERT_EQ(1696 + 15 * 4096, write(self->pipe.wfd, buf, sizeof(buf)));
	ASSERT_EQ(1 + 1696 + 15 * 4096, tst_nread(self->pipe.rfd));
	ASSERT_EQ(1 + 1696 + 15 * 4096, read(self->pipe.rfd, out, sizeof(out)));
	ASSERT_EQ('#', out[0]);
	ASSERT_EQ(-1, tst_check_pattern(out + 1, 1696 + 15 * 4096, 5, 0));

	/* 4000 queued: the 1696 head does not fit, 15 pages from the start. */
	ASSERT_EQ(4000, write(self->pipe.wfd, out, 4000));
	ASSERT_EQ(15 * 4096, write(self->pipe.wfd, buf, sizeof(buf)));
	ASSERT_EQ(4000 + 15 * 4096, tst_nread(self->pipe.rfd));
	ASSERT_EQ(4000, read(self->pipe.rfd, out, 4000));
	ASSERT_EQ(15 * 4096, read(self->pipe.rfd, out, sizeof(out)));
	ASSERT_EQ(-1, tst_check_pattern(out, 15 * 4096, 5, 0));
}

/*
 * R5, R32: with all 16 slots used, a write that can merge into the last
 * slot still succeeds; of a 4097-byte write only the 1-byte head fits.
 */
TEST_F(rw, full_slots_small_write_merges)
{
	static char buf[61441];

	TST_START();
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	ASSERT_EQ(61441, write(self->pipe.wfd, buf, 61441));
	ASSERT_EQ(1, write(self->pipe.wfd, buf, 1));
	ASSERT_EQ(1, write(self->pipe.wfd, buf, 4097));
	ASSERT_EQ(-1, write(self->pipe.wfd, buf, 4096));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(4093, write(self->pipe.wfd, buf, 4093));
	ASSERT_EQ(-1, write(self->pipe.wfd, buf, 1));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(TST_CAPACITY, tst_nread(self->pipe.rfd));
}

/*
 * R32 (P14): a non-blocking write of <= PIPE_BUF bytes that does not
 * fit fails with EAGAIN and writes nothing; "fits" = merges into the
 * last slot or a slot is free.
 */
TEST_F(rw, nonblock_atomic_nothing_written)
{
	static char buf[4096];
	int i;

	TST_START();
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	for (i = 0; i < 15; i++) {
		ASSERT_EQ(4096, write(self->pipe.wfd, buf, 4096));
	}
	ASSERT_EQ(100, write(self->pipe.wfd, buf, 100));
	ASSERT_EQ(-1, write(self->pipe.wfd, buf, 4096));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(-1, write(self->pipe.wfd, buf, 3997));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(61540, tst_nread(self->pipe.rfd));
	ASSERT_EQ(3996, write(self->pipe.wfd, buf, 3996));
	ASSERT_EQ(TST_CAPACITY, tst_nread(self->pipe.rfd));
	/* Freeing one slot makes room for exactly one PIPE_BUF write. */
	ASSERT_EQ(4096, read(self->pipe.rfd, buf, 4096));
	ASSERT_EQ(4096, write(self->pipe.wfd, buf, 4096));
	ASSERT_EQ(-1, write(self->pipe.wfd, buf, 1));
	ASSERT_EQ(EAGAIN, errno);
}

/* R32, R33 (LTP pipe12): a full pipe takes nothing, small or large. */
TEST_F(rw, nonblock_full_eagain)
{
	static char buf[100000];

	TST_START();
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	ASSERT_EQ(-1, write(self->pipe.wfd, buf, 1));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(-1, write(self->pipe.wfd, buf, 4096));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(-1, write(self->pipe.wfd, buf, sizeof(buf)));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(TST_CAPACITY, tst_nread(self->pipe.rfd));
	/* A partly drained pipe takes a partial large write. */
	ASSERT_EQ(8192, read(self->pipe.rfd, buf, 8192));
	ASSERT_EQ(8192, write(self->pipe.wfd, buf, TST_CAPACITY + 4096));
}

/* R31 (P09): no readers beats full: O_NONBLOCK write gets EPIPE. */
TEST_F(rw, epipe_before_eagain)
{
	char c = 'x';

	TST_START();
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	tst_close(&self->pipe.rfd);
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	ASSERT_EQ(-1, write(self->pipe.wfd, &c, 1));
	ASSERT_EQ(EPIPE, errno);
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, false));
	tst_watchdog(TST_WATCHDOG_SECS);
	ASSERT_EQ(-1, write(self->pipe.wfd, &c, 1));
	ASSERT_EQ(EPIPE, errno);
	tst_watchdog(0);
}

/* R34: a blocking write larger than the pipe completes as it is read. */
TEST_F(rw, blocking_large_write_completes)
{
	static char buf[65536];
	size_t total = 300000, got = 0;
	uint64_t rnd = 42;
	pid_t pid;

	TST_START();
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.rfd);
		_exit(tst_write_pattern(self->pipe.wfd, total, 6, 0) ==
		      (ssize_t)total ? 0 : 1);
	}
	tst_close(&self->pipe.wfd);
	while (got < total) {
		size_t want = 1 + tst_rand(&rnd) % sizeof(buf);
		ssize_t r = read(self->pipe.rfd, buf, want);

		ASSERT_LT(0, r) TH_LOG("read at %zu: %s", got, strerror(errno));
		ASSERT_EQ(-1, tst_check_pattern(buf, r, 6, got));
		got += r;
	}
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_EQ(0, read(self->pipe.rfd, buf, sizeof(buf)));
}

/* R32, R34: a blocking PIPE_BUF write into a full pipe waits for a slot. */
TEST_F(rw, blocking_write_waits_for_slot)
{
	static char buf[TST_CAPACITY];
	pid_t pid;

	TST_START();
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.rfd);
		tst_ready(&self->pipe);
		_exit(tst_write_pattern(self->pipe.wfd, 4096, 7, 0) == 4096 ?
		      0 : 1);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	ASSERT_EQ(4096, read(self->pipe.rfd, buf, 4096));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_EQ(TST_CAPACITY, tst_nread(self->pipe.rfd));
	ASSERT_EQ(TST_CAPACITY, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(-1, tst_check_pattern(buf + TST_CAPACITY - 4096, 4096, 7, 0));
}

/* R2, R90: FIONREAD on either end = bytes queued over all slots. */
TEST_F(rw, fionread_counts_bytes)
{
	static char buf[8192];

	TST_START();
	ASSERT_EQ(0, tst_nread(self->pipe.rfd));
	ASSERT_EQ(0, tst_nread(self->pipe.wfd));
	ASSERT_EQ(1, write(self->pipe.wfd, buf, 1));
	ASSERT_EQ(4096, write(self->pipe.wfd, buf, 4096));
	ASSERT_EQ(3000, write(self->pipe.wfd, buf, 3000));
	ASSERT_EQ(7097, tst_nread(self->pipe.rfd));
	ASSERT_EQ(7097, tst_nread(self->pipe.wfd));
	ASSERT_EQ(2000, read(self->pipe.rfd, buf, 2000));
	ASSERT_EQ(5097, tst_nread(self->pipe.rfd));
	ASSERT_EQ(5097, tst_nread(self->pipe.wfd));
	ASSERT_EQ(5097, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(0, tst_nread(self->pipe.wfd));
}

/* R13, R6: a read larger than the pipe returns the whole 64 KiB. */
TEST_F(rw, large_read_gets_everything)
{
	static char buf[1 << 20];

	TST_START();
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	tst_watchdog(TST_WATCHDOG_SECS);
	ASSERT_EQ(TST_CAPACITY, read(self->pipe.rfd, buf, sizeof(buf)));
	tst_watchdog(0);
	ASSERT_EQ(0, tst_nread(self->pipe.rfd));
}

/* Within the second of @before .. @after, give or take one: the clock is coarse. */
static bool ts_is_now(struct timespec ts, time_t before, time_t after)
{
	return ts.tv_sec >= before - 1 && ts.tv_sec <= after + 1;
}

/*
 * Whether the running kernel's anonymous pipes update their times, as
 * every kernel before v6.15 (6.1, 6.12) does (D3).
 */
static bool anon_pipes_update_times(struct __test_metadata *_metadata)
{
	unsigned int major, minor;
	struct utsname uts;

	if (uname(&uts) || sscanf(uts.release, "%u.%u", &major, &minor) != 2) {
		TH_LOG("uname: cannot parse the kernel release");
		_metadata->passed = 0;
		return false;
	}
	return major < 6 || (major == 6 && minor < 15);
}

/*
 * R42, R20: a write sets mtime to now and leaves atime alone; a read sets
 * atime to now (relatime: atime was older than mtime).  The times are first
 * put back to 1970, and all of it twice over, so that a shortcut that
 * remembers its last update instead of looking at the inode fails the
 * second round.  FIFOs and named minipipes always; pipe(2) and anonymous
 * minipipes as the running kernel does (before v6.15 they update, from
 * v6.15 their times stay, D3).
 */
TEST_F(rw, write_and_read_update_times)
{
	const struct timespec past[2] = { { .tv_sec = 1 }, { .tv_sec = 1 } };
	struct stat st;
	bool updates;
	time_t before;
	char c;
	int round;

	TST_START();
	updates = !tst_is_anon(&self->pipe) || anon_pipes_update_times(_metadata);
	for (round = 0; round < 2; round++) {
		ASSERT_EQ(0, futimens(self->pipe.wfd, past));
		before = time(NULL);
		ASSERT_EQ(1, write(self->pipe.wfd, "x", 1));
		ASSERT_EQ(0, fstat(self->pipe.rfd, &st));
		if (updates) {
			EXPECT_TRUE(ts_is_now(st.st_mtim, before, time(NULL)));
		} else {
			EXPECT_EQ(1, st.st_mtim.tv_sec);
		}
		EXPECT_EQ(1, st.st_atim.tv_sec);
		ASSERT_EQ(1, read(self->pipe.rfd, &c, 1));
		ASSERT_EQ(0, fstat(self->pipe.rfd, &st));
		if (updates) {
			EXPECT_TRUE(ts_is_now(st.st_atim, before, time(NULL)));
		} else {
			EXPECT_EQ(1, st.st_atim.tv_sec);
		}
	}
}

/*
 * R112, R87: what a pipe is to fstat() and /proc.  The two ends are one
 * inode (same st_dev and st_ino) with st_size 0.  An anonymous pipe's
 * inode is its own, a second pipe has another: a FIFO, 0600, the
 * creator's, one link, st_blksize 4096, on pipe(2) and on an anonymous
 * minipipe alike.  The named kinds show their node: a FIFO, or the char
 * device of a named minipipe.  Where the kinds differ (section 18,
 * items 4 and 5) each is asserted as it is: the /proc/self/fd link
 * ("pipe:[ino]" and "anon_inode:[minipipe]"), and a reopen through it,
 * which gives pipe(2) another end and an anonymous minipipe ENXIO.
 */
TEST_F(rw, fstat_and_proc_identity)
{
	char path[64], link[64], want[64], c;
	struct stat r, w, other;
	int fds[2], fd;
	ssize_t len;

	TST_START();
	ASSERT_EQ(0, fstat(self->pipe.rfd, &r));
	ASSERT_EQ(0, fstat(self->pipe.wfd, &w));
	EXPECT_EQ(r.st_dev, w.st_dev);
	EXPECT_EQ(r.st_ino, w.st_ino);
	EXPECT_EQ(0, r.st_size);
	if (!tst_is_anon(&self->pipe)) {
		EXPECT_EQ(tst_is_minipipe(&self->pipe) ? S_IFCHR : S_IFIFO,
			  r.st_mode & S_IFMT);
		return;
	}
	EXPECT_EQ(S_IFIFO | 0600, r.st_mode);
	EXPECT_EQ(geteuid(), r.st_uid);
	EXPECT_EQ(getegid(), r.st_gid);
	EXPECT_EQ(1, r.st_nlink);
	EXPECT_EQ(4096, r.st_blksize);
	ASSERT_EQ(0, tst_pipe2(&self->pipe, fds, O_CLOEXEC));
	ASSERT_EQ(0, fstat(fds[1], &other));
	EXPECT_NE(r.st_ino, other.st_ino);
	close(fds[0]);
	close(fds[1]);

	snprintf(path, sizeof(path), "/proc/self/fd/%d", self->pipe.wfd);
	len = readlink(path, link, sizeof(link) - 1);
	ASSERT_LT(0, len);
	link[len] = '\0';
	if (tst_is_minipipe(&self->pipe))
		snprintf(want, sizeof(want), "anon_inode:[minipipe]");
	else
		snprintf(want, sizeof(want), "pipe:[%lu]", (unsigned long)r.st_ino);
	EXPECT_STREQ(want, link);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (tst_is_minipipe(&self->pipe)) {
		EXPECT_EQ(-1, fd);
		EXPECT_EQ(ENXIO, errno);
		return;
	}
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(self->pipe.wfd, "x", 1));
	EXPECT_EQ(1, read(fd, &c, 1));
	EXPECT_EQ('x', c);
	close(fd);
}

TEST_HARNESS_MAIN
