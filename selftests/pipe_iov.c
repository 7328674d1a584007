// SPDX-License-Identifier: GPL-2.0
/*
 * Vectored I/O: readv/writev and preadv2/pwritev2.  One iov_iter is one
 * read or write of the summed length, with one atomicity decision.  Rules
 * (docs/semantics.md) R43, R140, R110, R13, R32-R34, and RWF_NOWAIT (R141),
 * which differs between 6.1 and newer kernels and between pipes and FIFOs:
 * its tests assert what a kernel pipe of the variant's kind does on the
 * running kernel (tst_open_oracle()).
 */
#include <sys/uio.h>

#include "minipipe_test.h"

TST_FIXTURE(iov)

/* 15 full slots and a 16th holding one byte: 4095 bytes of room, 0 slots. */
static void leave_4095_in_last_slot(struct __test_metadata *_metadata, int wfd)
{
	static char page[TST_PAGE];
	int i;

	memset(page, '.', sizeof(page));
	for (i = 0; i < TST_SLOTS - 1; i++)
		ASSERT_EQ(TST_PAGE, write(wfd, page, TST_PAGE));
	ASSERT_EQ(1, write(wfd, "#", 1));
}

/*
 * R43 (P58), R140: writev and pwritev2(offset -1) of [2048, 2048] into a
 * pipe with 4095 bytes of room but no free slot -> EAGAIN and nothing
 * written (4096 bytes need a slot); [1000, 1000] by writev and then
 * [1000, 1095] by pwritev2 merge, both parts of each, until the slot is
 * full.
 */
TEST_F(iov, vector_write_is_one_atomic_write)
{
	static char x[2048], y[2095], buf[TST_CAPACITY];
	struct iovec iov[2] = { { x, 2048 }, { y, 2048 } };
	int i;

	TST_START();
	memset(x, 'x', sizeof(x));
	memset(y, 'y', sizeof(y));
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	leave_4095_in_last_slot(_metadata, self->pipe.wfd);
	ASSERT_EQ(61441, tst_nread(self->pipe.rfd));
	ASSERT_EQ(-1, writev(self->pipe.wfd, iov, 2));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(-1, pwritev2(self->pipe.wfd, iov, 2, -1, 0));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(61441, tst_nread(self->pipe.rfd));
	iov[0].iov_len = 1000;
	iov[1].iov_len = 1000;
	ASSERT_EQ(2000, writev(self->pipe.wfd, iov, 2));
	ASSERT_EQ(63441, tst_nread(self->pipe.rfd));
	iov[1].iov_len = 1095;
	ASSERT_EQ(2095, pwritev2(self->pipe.wfd, iov, 2, -1, 0));
	ASSERT_EQ(TST_CAPACITY, tst_nread(self->pipe.rfd));
	iov[0].iov_len = 1;
	ASSERT_EQ(-1, writev(self->pipe.wfd, iov, 1));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(61440, read(self->pipe.rfd, buf, 61440));
	ASSERT_EQ(4096, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ('#', buf[0]);
	for (i = 1; i <= 1000; i++)
		ASSERT_EQ('x', buf[i]);
	for (; i <= 2000; i++)
		ASSERT_EQ('y', buf[i]);
	for (; i <= 3000; i++)
		ASSERT_EQ('x', buf[i]);
	for (; i < 4096; i++)
		ASSERT_EQ('y', buf[i]);
}

/*
 * R43, R13: readv fills several iovecs (zero-length ones included) from
 * what is queued, across slots, and returns at once with that total.
 */
TEST_F(iov, readv_fills_several_iovecs)
{
	static char a[10], b[1], c[4000], d[2000], e[500];
	struct iovec iov[5] = {
		{ a, sizeof(a) }, { b, 0 }, { c, sizeof(c) }, { d, sizeof(d) },
		{ e, sizeof(e) },
	};
	char small[6];
	struct iovec iov2[3] = { { small, 1 }, { small + 1, 2 }, { small + 3, 3 } };

	TST_START();
	ASSERT_EQ(100, tst_write_pattern(self->pipe.wfd, 100, 9, 0));
	ASSERT_EQ(5000, tst_write_pattern(self->pipe.wfd, 5000, 9, 100));
	ASSERT_EQ(3, tst_write_pattern(self->pipe.wfd, 3, 9, 5100));
	tst_watchdog(TST_WATCHDOG_SECS);
	ASSERT_EQ(5103, readv(self->pipe.rfd, iov, 5));
	tst_watchdog(0);
	ASSERT_EQ(-1, tst_check_pattern(a, 10, 9, 0));
	ASSERT_EQ(-1, tst_check_pattern(c, 4000, 9, 10));
	ASSERT_EQ(-1, tst_check_pattern(d, 1093, 9, 4010));
	ASSERT_EQ(0, tst_nread(self->pipe.rfd));

	/* Fewer bytes wanted than queued: the iovecs are filled exactly. */
	ASSERT_EQ(10, tst_write_pattern(self->pipe.wfd, 10, 10, 0));
	ASSERT_EQ(6, readv(self->pipe.rfd, iov2, 3));
	ASSERT_EQ(-1, tst_check_pattern(small, 6, 10, 0));
	ASSERT_EQ(4, tst_nread(self->pipe.rfd));
}

/*
 * R140: preadv2/pwritev2 with offset -1 (and flags 0) are readv/writev:
 * the data goes through in order.
 */
TEST_F(iov, preadv2_pwritev2_offset_minus_one)
{
	static char w1[3000], w2[6000], r1[1000], r2[8000];
	struct iovec wv[2] = { { w1, sizeof(w1) }, { w2, sizeof(w2) } };
	struct iovec rv[2] = { { r1, sizeof(r1) }, { r2, sizeof(r2) } };

	TST_START();
	tst_fill_pattern(w1, sizeof(w1), 11, 0);
	tst_fill_pattern(w2, sizeof(w2), 11, sizeof(w1));
	ASSERT_EQ(9000, pwritev2(self->pipe.wfd, wv, 2, -1, 0));
	ASSERT_EQ(9000, tst_nread(self->pipe.rfd));
	ASSERT_EQ(9000, preadv2(self->pipe.rfd, rv, 2, -1, 0));
	ASSERT_EQ(-1, tst_check_pattern(r1, 1000, 11, 0));
	ASSERT_EQ(-1, tst_check_pattern(r2, 8000, 11, 1000));
	/* With one iovec as well. */
	ASSERT_EQ(3000, pwritev2(self->pipe.wfd, wv, 1, -1, 0));
	ASSERT_EQ(1000, preadv2(self->pipe.rfd, rv, 1, -1, 0));
	ASSERT_EQ(2000, tst_nread(self->pipe.rfd));
}

/*
 * R140, R110: preadv2/pwritev2 at a real offset (0 or more) -> ESPIPE,
 * and nothing is read or written.
 */
TEST_F(iov, preadv2_pwritev2_offset_espipe)
{
	char buf[16];
	struct iovec iov = { buf, sizeof(buf) };

	TST_START();
	memset(buf, 'o', sizeof(buf));
	ASSERT_EQ(5, write(self->pipe.wfd, "hello", 5));
	ASSERT_EQ(-1, preadv2(self->pipe.rfd, &iov, 1, 0, 0));
	ASSERT_EQ(ESPIPE, errno);
	ASSERT_EQ(-1, preadv2(self->pipe.rfd, &iov, 1, 4096, 0));
	ASSERT_EQ(ESPIPE, errno);
	ASSERT_EQ(-1, pwritev2(self->pipe.wfd, &iov, 1, 0, 0));
	ASSERT_EQ(ESPIPE, errno);
	ASSERT_EQ(-1, pwritev2(self->pipe.wfd, &iov, 1, 5, 0));
	ASSERT_EQ(ESPIPE, errno);
	ASSERT_EQ(5, tst_nread(self->pipe.rfd));
	ASSERT_EQ(5, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "hello", 5));
}

/*
 * R34, R43: a blocking writev larger than the pipe writes what fits,
 * sleeps, and finishes as a reader drains; the reader gets every byte
 * in order.
 */
TEST_F(iov, blocking_writev_larger_than_pipe)
{
	static char a[40000], b[50000], c[30000];
	struct iovec iov[3] = { { a, sizeof(a) }, { b, sizeof(b) }, { c, sizeof(c) } };
	pid_t pid;

	TST_START();
	tst_fill_pattern(a, sizeof(a), 12, 0);
	tst_fill_pattern(b, sizeof(b), 12, 40000);
	tst_fill_pattern(c, sizeof(c), 12, 90000);
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static char buf[120000];
		size_t got = 0;
		ssize_t r;

		close(self->pipe.wfd);
		while ((r = read(self->pipe.rfd, buf + got, sizeof(buf) - got)) > 0)
			got += r;
		if (r < 0)
			_exit(1);
		if (got != sizeof(buf))
			_exit(2);
		_exit(tst_check_pattern(buf, got, 12, 0) == -1 ? 0 : 3);
	}
	close(self->pipe.rfd);
	self->pipe.rfd = -1;
	ASSERT_EQ(120000, writev(self->pipe.wfd, iov, 3));
	tst_close(&self->pipe.wfd);
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
}

/*
 * R13, R14, R43: a blocking readv on an empty pipe sleeps, and returns
 * as soon as some data comes, without waiting to fill its iovecs.
 */
TEST_F(iov, blocking_readv_returns_available)
{
	pid_t pid;

	TST_START();
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char a[4], b[100];
		struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };

		close(self->pipe.wfd);
		tst_ready(&self->pipe);
		if (readv(self->pipe.rfd, iov, 2) != 7)
			_exit(1);
		_exit(!memcmp(a, "abcd", 4) && !memcmp(b, "efg", 3) ? 0 : 2);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	ASSERT_EQ(7, write(self->pipe.wfd, "abcdefg", 7));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
}

/* One preadv2()/pwritev2() with @flags: the result, or -errno. */
static long rw2(int fd, bool write, void *buf, size_t len, int flags)
{
	struct iovec iov = { buf, len };
	ssize_t ret = write ? pwritev2(fd, &iov, 1, -1, flags) : preadv2(fd, &iov, 1, -1, flags);

	return ret < 0 ? -errno : ret;
}

/*
 * R141: RWF_NOWAIT on blocking ends.  The same four calls on this variant
 * and on a kernel pipe of its kind: a read of an empty pipe, a write with
 * room, a read of data, a write into a full pipe.  Where the kernel
 * refuses the flag (6.1; FIFOs) every call gives EOPNOTSUPP; where it
 * takes it (anonymous pipes since v6.4) the two that would block give
 * EAGAIN and the others work.  Nothing ever blocks.
 */
TEST_F(iov, rwf_nowait_as_the_kernel_pipe_of_its_kind)
{
	static char buf[TST_PAGE];
	int oracle[2], *fds[2] = { oracle, NULL }, pair[2], k;
	long got[2][4];

	TST_START();
	ASSERT_EQ(0, tst_open_oracle(&self->pipe, oracle));
	pair[0] = self->pipe.rfd;
	pair[1] = self->pipe.wfd;
	fds[1] = pair;
	for (k = 0; k < 2; k++) {
		got[k][0] = rw2(fds[k][0], false, buf, sizeof(buf), RWF_NOWAIT);
		got[k][1] = rw2(fds[k][1], true, "nowait", 6, RWF_NOWAIT);
		if (got[k][1] != 6)
			ASSERT_EQ(6, write(fds[k][1], "nowait", 6));
		got[k][2] = rw2(fds[k][0], false, buf, sizeof(buf), RWF_NOWAIT);
		if (got[k][2] != 6)
			ASSERT_EQ(6, read(fds[k][0], buf, sizeof(buf)));
		ASSERT_EQ(TST_CAPACITY, tst_fill(fds[k][1]));
		got[k][3] = rw2(fds[k][1], true, "x", 1, RWF_NOWAIT);
	}
	close(oracle[0]);
	close(oracle[1]);
	TH_LOG("kernel %s kind: %ld %ld %ld %ld", self->pipe.v->has_path ? "FIFO" : "pipe",
	       got[0][0], got[0][1], got[0][2], got[0][3]);
	/* The oracle answers one of the two ways, as a whole. */
	if (got[0][0] == -EOPNOTSUPP) {
		for (k = 0; k < 4; k++)
			ASSERT_EQ(-EOPNOTSUPP, got[0][k]);
	} else {
		ASSERT_EQ(-EAGAIN, got[0][0]);
		ASSERT_EQ(6, got[0][1]);
		ASSERT_EQ(6, got[0][2]);
		ASSERT_EQ(-EAGAIN, got[0][3]);
	}
	for (k = 0; k < 4; k++)
		EXPECT_EQ(got[0][k], got[1][k]);
}

TEST_HARNESS_MAIN
