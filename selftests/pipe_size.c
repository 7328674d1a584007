// SPDX-License-Identifier: GPL-2.0
/*
 * Pipe capacity: F_GETPIPE_SZ / F_SETPIPE_SZ on kernel pipes and FIFOs,
 * MINIPIPE_IOC_GET_SIZE / _SET_SIZE on minipipes (tst_get_size() and
 * tst_set_size() pick the call; the assertions are the same).  Rules
 * (docs/semantics.md) R100-R103, R65, R72, R2, R52 (LTP pipe2_04,
 * fcntl30, fcntl37).
 *
 * The limit without CAP_SYS_RESOURCE is read per variant:
 * /proc/sys/fs/pipe-max-size or the module's max_size parameter.
 */
#include <linux/capability.h>

#include "minipipe_test.h"

TST_FIXTURE(size)

/* ---- capabilities ------------------------------------------------------ */

static int caps_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return syscall(SYS_capget, &h, d);
}

static bool has_cap(int cap)
{
	struct __user_cap_data_struct d[2];

	if (caps_get(d))
		return false;
	return d[cap / 32].effective & (1u << (cap % 32));
}

/* Drop @cap from the effective, permitted and inheritable sets. */
static int drop_cap(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	unsigned int bit = 1u << (cap % 32);

	if (caps_get(d))
		return -1;
	d[cap / 32].effective &= ~bit;
	d[cap / 32].permitted &= ~bit;
	d[cap / 32].inheritable &= ~bit;
	if (syscall(SYS_capset, &h, d))
		return -1;
	return has_cap(cap) ? -1 : 0;
}

/* ---- data -------------------------------------------------------------- */

/*
 * Non-blocking page writes until EAGAIN (at most @limit bytes): the
 * number of free slots times 4096 on a pipe without a mergeable tail.
 */
static long fill_pages(int wfd, long limit)
{
	static char page[TST_PAGE];
	bool nb = tst_is_nonblock(wfd);
	long total = 0;
	ssize_t r = 0;

	tst_set_nonblock(wfd, true);
	while (total <= limit && (r = write(wfd, page, sizeof(page))) > 0)
		total += r;
	if (r >= 0 || errno != EAGAIN)
		total = -1;
	tst_set_nonblock(wfd, nb);
	return total;
}

/* Read exactly @len bytes (non-blocking) and compare with the pattern. */
static bool read_pattern(int rfd, size_t len, unsigned int seed, size_t off)
{
	static char buf[1 << 20];
	bool nb = tst_is_nonblock(rfd);
	size_t got = 0;
	ssize_t r = 1;

	tst_set_nonblock(rfd, true);
	while (got < len && r > 0) {
		size_t want = len - got < sizeof(buf) ? len - got : sizeof(buf);

		r = read(rfd, buf, want);
		if (r > 0) {
			if (tst_check_pattern(buf, r, seed, off + got) != -1)
				r = -1;
			else
				got += r;
		}
	}
	tst_set_nonblock(rfd, nb);
	return got == len;
}

/* ---- tests ------------------------------------------------------------- */

/*
 * R100, R1 (LTP pipe2_04): 16 pages by default; the size is the pipe's,
 * set and seen from either end (and from any other fd of a FIFO).
 */
TEST_F(size, shared_by_both_ends)
{
	int r2;

	TST_START();
	ASSERT_EQ(TST_CAPACITY, tst_get_size(&self->pipe, self->pipe.rfd));
	ASSERT_EQ(TST_CAPACITY, tst_get_size(&self->pipe, self->pipe.wfd));
	ASSERT_EQ(131072, tst_set_size(&self->pipe, self->pipe.rfd, 131072));
	ASSERT_EQ(131072, tst_get_size(&self->pipe, self->pipe.wfd));
	ASSERT_EQ(131072, tst_get_size(&self->pipe, self->pipe.rfd));
	ASSERT_EQ(8192, tst_set_size(&self->pipe, self->pipe.wfd, 8192));
	ASSERT_EQ(8192, tst_get_size(&self->pipe, self->pipe.rfd));
	if (self->pipe.v->has_path) {
		r2 = open(self->pipe.path, O_RDONLY | O_NONBLOCK);
		ASSERT_LE(0, r2);
		ASSERT_EQ(8192, tst_get_size(&self->pipe, r2));
		ASSERT_EQ(16384, tst_set_size(&self->pipe, r2, 16384));
		ASSERT_EQ(16384, tst_get_size(&self->pipe, self->pipe.wfd));
		close(r2);
	} else {
		r2 = dup(self->pipe.rfd);
		ASSERT_LE(0, r2);
		ASSERT_EQ(8192, tst_get_size(&self->pipe, r2));
		close(r2);
	}
}

/*
 * R101: below a page (0 included) -> one page, else rounded up to a
 * power of two; the call returns the new size and GET agrees.
 */
TEST_F(size, rounding_table)
{
	static const struct { long arg, size; } t[] = {
		{ 0, 4096 }, { 1, 4096 }, { 4095, 4096 }, { 4096, 4096 },
		{ 4097, 8192 }, { 5000, 8192 }, { 8192, 8192 },
		{ 65536, 65536 }, { 65537, 131072 }, { 12288, 16384 },
		{ 200000, 262144 }, { 1048576, 1048576 }, { 0, 4096 },
	};
	unsigned int i;

	TST_START();
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		int fd = i & 1 ? self->pipe.wfd : self->pipe.rfd;

		ASSERT_EQ(t[i].size, tst_set_size(&self->pipe, fd, t[i].arg))
			TH_LOG("set %ld", t[i].arg);
		ASSERT_EQ(t[i].size, tst_get_size(&self->pipe, self->pipe.rfd));
		ASSERT_EQ(t[i].size, tst_get_size(&self->pipe, self->pipe.wfd));
	}
}

/* R101 (LTP fcntl37): more than 2^31, or an int -1 -> EINVAL, no change. */
TEST_F(size, too_large_einval)
{
	TST_START();
	ASSERT_EQ(8192, tst_set_size(&self->pipe, self->pipe.rfd, 8192));
	ASSERT_EQ(-1, tst_set_size(&self->pipe, self->pipe.rfd, (1L << 31) + 1));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, tst_set_size(&self->pipe, self->pipe.wfd, -1));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, tst_set_size(&self->pipe, self->pipe.wfd, 0xffffffffL));
	ASSERT_EQ(EINVAL, errno);
	/*
	 * Not INT_MIN nor anything above 2^32: newer kernels read the
	 * argument as an unsigned int (docs/semantics.md section 16, D7),
	 * so those differ.
	 */
	ASSERT_EQ(8192, tst_get_size(&self->pipe, self->pipe.wfd));
}

/*
 * R2, R52, R101: the capacity follows the size, counted in slots.  One
 * page: a byte fills it (no POLLOUT), 4095 more still merge, then EAGAIN.
 */
TEST_F(size, capacity_follows_size)
{
	static char buf[TST_PAGE];

	TST_START();
	ASSERT_EQ(4096, tst_set_size(&self->pipe, self->pipe.wfd, 1));
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	ASSERT_EQ(POLLOUT | POLLWRNORM, tst_revents(self->pipe.wfd, TST_POLL_ALL));
	ASSERT_EQ(1, write(self->pipe.wfd, buf, 1));
	ASSERT_EQ(0, tst_revents(self->pipe.wfd, TST_POLL_ALL));
	ASSERT_EQ(4095, write(self->pipe.wfd, buf, 4095));
	ASSERT_EQ(-1, write(self->pipe.wfd, buf, 1));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(4096, tst_drain(self->pipe.rfd));

	ASSERT_EQ(8192, tst_set_size(&self->pipe, self->pipe.rfd, 8192));
	ASSERT_EQ(8192, fill_pages(self->pipe.wfd, 1 << 22));
	ASSERT_EQ(8192, tst_drain(self->pipe.rfd));
	ASSERT_EQ(262144, tst_set_size(&self->pipe, self->pipe.rfd, 262144));
	ASSERT_EQ(262144, fill_pages(self->pipe.wfd, 1 << 22));
	ASSERT_EQ(262144, tst_nread(self->pipe.rfd));
}

/*
 * R103 (P16): EBUSY counts slots, not bytes: 3 bytes left in 2 slots do
 * not fit one page, but fit two.  The bytes survive both calls.
 */
TEST_F(size, ebusy_counts_slots)
{
	static char buf[TST_PAGE];

	TST_START();
	ASSERT_EQ(4095, tst_write_pattern(self->pipe.wfd, 4095, 3, 0));
	ASSERT_EQ(2, tst_write_pattern(self->pipe.wfd, 2, 3, 4095));
	ASSERT_EQ(4094, read(self->pipe.rfd, buf, 4094));
	ASSERT_EQ(3, tst_nread(self->pipe.rfd));
	ASSERT_EQ(-1, tst_set_size(&self->pipe, self->pipe.rfd, 4096));
	ASSERT_EQ(EBUSY, errno);
	ASSERT_EQ(TST_CAPACITY, tst_get_size(&self->pipe, self->pipe.wfd));
	ASSERT_EQ(8192, tst_set_size(&self->pipe, self->pipe.rfd, 8192));
	ASSERT_EQ(8192, tst_get_size(&self->pipe, self->pipe.wfd));
	ASSERT_EQ(3, tst_nread(self->pipe.rfd));
	ASSERT_TRUE(read_pattern(self->pipe.rfd, 3, 3, 4094));
	/* Now empty: one page is fine. */
	ASSERT_EQ(4096, tst_set_size(&self->pipe, self->pipe.wfd, 4096));
}

/* R103 (P17): a full 64 KiB pipe cannot shrink; keeping or growing can. */
TEST_F(size, full_pipe_ebusy)
{
	TST_START();
	ASSERT_EQ(TST_CAPACITY, tst_write_pattern(self->pipe.wfd, TST_CAPACITY, 4, 0));
	ASSERT_EQ(-1, tst_set_size(&self->pipe, self->pipe.wfd, 32768));
	ASSERT_EQ(EBUSY, errno);
	ASSERT_EQ(-1, tst_set_size(&self->pipe, self->pipe.rfd, 4096));
	ASSERT_EQ(EBUSY, errno);
	ASSERT_EQ(TST_CAPACITY, tst_get_size(&self->pipe, self->pipe.rfd));
	ASSERT_EQ(TST_CAPACITY, tst_set_size(&self->pipe, self->pipe.rfd, TST_CAPACITY));
	ASSERT_EQ(131072, tst_set_size(&self->pipe, self->pipe.rfd, 131072));
	ASSERT_EQ(TST_CAPACITY, tst_nread(self->pipe.rfd));
	ASSERT_TRUE(read_pattern(self->pipe.rfd, TST_CAPACITY, 4, 0));
}

/*
 * R100, R103, R6: data survives growing and shrinking intact, including
 * a partly read slot; the order of bytes is kept across the move.
 */
TEST_F(size, data_survives_resize)
{
	TST_START();
	/* 3 full slots and one of 100 bytes; read into the first slot. */
	ASSERT_EQ(12388, tst_write_pattern(self->pipe.wfd, 12388, 5, 0));
	ASSERT_TRUE(read_pattern(self->pipe.rfd, 1000, 5, 0));
	ASSERT_EQ(1048576, tst_set_size(&self->pipe, self->pipe.rfd, 1048576));
	ASSERT_EQ(11388, tst_nread(self->pipe.wfd));
	ASSERT_EQ(-1, tst_set_size(&self->pipe, self->pipe.rfd, 8192));
	ASSERT_EQ(EBUSY, errno);
	ASSERT_EQ(16384, tst_set_size(&self->pipe, self->pipe.wfd, 16384));
	ASSERT_EQ(11388, tst_nread(self->pipe.wfd));
	/* The last slot (100 bytes) still takes a merge; no slot is free. */
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	ASSERT_EQ(1000, tst_write_pattern(self->pipe.wfd, 1000, 5, 12388));
	ASSERT_EQ(-1, tst_write_pattern(self->pipe.wfd, 4096, 5, 13388));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(65536, tst_set_size(&self->pipe, self->pipe.wfd, 65536));
	ASSERT_EQ(50000, tst_write_pattern(self->pipe.wfd, 50000, 5, 13388));
	ASSERT_EQ(-1, tst_set_size(&self->pipe, self->pipe.rfd, 4096));
	ASSERT_EQ(EBUSY, errno);
	ASSERT_TRUE(read_pattern(self->pipe.rfd, 62388, 5, 1000));
	ASSERT_EQ(0, tst_nread(self->pipe.rfd));
}

/*
 * R65 (LTP pipe2_04): a writer blocked on a full pipe is woken by a
 * resize that adds room and completes its write; a resize that adds no
 * room leaves it blocked.
 */
TEST_F(size, resize_wakes_blocked_writer)
{
	pid_t pid;

	TST_START();
	ASSERT_EQ(4096, tst_set_size(&self->pipe, self->pipe.wfd, 0));
	ASSERT_EQ(4096, tst_write_pattern(self->pipe.wfd, 4096, 6, 0));
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.rfd);
		tst_ready(&self->pipe);
		_exit(tst_write_pattern(self->pipe.wfd, 4096, 6, 4096) == 4096 ? 0 : 1);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	/* Same size: no room, the writer sleeps on. */
	ASSERT_EQ(4096, tst_set_size(&self->pipe, self->pipe.rfd, 4096));
	ASSERT_TRUE(tst_stays_blocked(pid));
	ASSERT_EQ(4096, tst_nread(self->pipe.rfd));
	/* One more slot: the write goes in. */
	ASSERT_EQ(8192, tst_set_size(&self->pipe, self->pipe.rfd, 8192));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_EQ(8192, tst_nread(self->pipe.rfd));
	ASSERT_TRUE(read_pattern(self->pipe.rfd, 8192, 6, 0));
}

/*
 * R102 (LTP fcntl37): growing beyond the limit without CAP_SYS_RESOURCE
 * -> EPERM; up to the limit, keeping and lowering are allowed.  In a
 * child that dropped the capability (root in the VM has it).
 */
TEST_F(size, grow_beyond_max_eperm)
{
	unsigned long max;
	pid_t pid;

	TST_START();
	max = tst_max_size(&self->pipe);
	ASSERT_NE(0, max) TH_LOG("cannot read the size limit of %s", self->pipe.v->name);
	if (max > (1ul << 30) || max < TST_CAPACITY)
		SKIP(return, "limit %lu: 2 x limit is not a plain EPERM case", max);
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (drop_cap(CAP_SYS_RESOURCE))
			_exit(10);
		if (tst_set_size(&self->pipe, self->pipe.rfd, 2 * max) != -1 || errno != EPERM)
			_exit(11);
		if (tst_set_size(&self->pipe, self->pipe.wfd, max + 1) != -1 || errno != EPERM)
			_exit(12);
		if (tst_get_size(&self->pipe, self->pipe.wfd) != TST_CAPACITY)
			_exit(13);
		if (tst_set_size(&self->pipe, self->pipe.rfd, max) != (long)max)
			_exit(14);
		if (tst_set_size(&self->pipe, self->pipe.wfd, max) != (long)max)
			_exit(15);
		if (tst_set_size(&self->pipe, self->pipe.wfd, 2 * max) != -1 || errno != EPERM)
			_exit(16);
		if (tst_set_size(&self->pipe, self->pipe.rfd, 8192) != 8192)
			_exit(17);
		_exit(0);
	}
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_EQ(8192, tst_get_size(&self->pipe, self->pipe.rfd));
}

/*
 * R102 (P18): with CAP_SYS_RESOURCE the size may exceed the limit; then,
 * without it, keeping that size and lowering it are allowed, growing
 * again is not.  Needs the capability to set up (the VM's root has it).
 */
TEST_F(size, keep_above_max_without_cap)
{
	unsigned long max;
	pid_t pid;

	TST_START();
	max = tst_max_size(&self->pipe);
	ASSERT_NE(0, max) TH_LOG("cannot read the size limit of %s", self->pipe.v->name);
	if (max > (1ul << 29) || max < TST_CAPACITY)
		SKIP(return, "limit %lu: too large to go beyond here", max);
	if (!has_cap(CAP_SYS_RESOURCE))
		SKIP(return, "no CAP_SYS_RESOURCE here: cannot grow beyond %lu", max);
	ASSERT_EQ((long)(2 * max), tst_set_size(&self->pipe, self->pipe.wfd, 2 * max));
	ASSERT_EQ(3, write(self->pipe.wfd, "big", 3));
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (drop_cap(CAP_SYS_RESOURCE))
			_exit(10);
		if (tst_set_size(&self->pipe, self->pipe.rfd, 2 * max) != (long)(2 * max))
			_exit(11);
		if (tst_set_size(&self->pipe, self->pipe.wfd, 4 * max) != -1 || errno != EPERM)
			_exit(12);
		if (tst_set_size(&self->pipe, self->pipe.rfd, max) != (long)max)
			_exit(13);
		if (tst_set_size(&self->pipe, self->pipe.wfd, 2 * max) != -1 || errno != EPERM)
			_exit(14);
		_exit(0);
	}
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_EQ((long)max, tst_get_size(&self->pipe, self->pipe.wfd));
	ASSERT_EQ(3, tst_nread(self->pipe.rfd));
}

/*
 * R72 (P35): a FIFO's size belongs to its open pipe: kept while any fd
 * stays open, forgotten (default 64 KiB again) when the last one closes.
 */
TEST_F(size, named_forgets_size_on_last_close)
{
	int r2;

	TST_START();
	if (!self->pipe.v->has_path)
		SKIP(return, "%s: cannot be reopened once closed", self->pipe.v->name);
	ASSERT_EQ(8192, tst_set_size(&self->pipe, self->pipe.rfd, 8192));
	/* The writer keeps the pipe: a new reader sees the size. */
	tst_close(&self->pipe.rfd);
	r2 = tst_open_timeout(self->pipe.path, O_RDONLY, TST_WATCHDOG_SECS);
	ASSERT_LE(0, r2);
	ASSERT_EQ(8192, tst_get_size(&self->pipe, r2));
	close(r2);
	tst_close(&self->pipe.wfd);
	/* Everybody gone: a fresh pipe of the default size. */
	ASSERT_EQ(0, tst_open_pair(&self->pipe));
	ASSERT_EQ(TST_CAPACITY, tst_get_size(&self->pipe, self->pipe.rfd));
	ASSERT_EQ(TST_CAPACITY, tst_get_size(&self->pipe, self->pipe.wfd));
	ASSERT_EQ(TST_CAPACITY, fill_pages(self->pipe.wfd, 1 << 22));
}

/*
 * R104, R91, docs/semantics.md section 18, item 1: why the calls are
 * mapped.
 * fcntl(F_GETPIPE_SZ) accepts only the kernel's pipes (EBADF for a
 * minipipe, as for any other file), and a kernel pipe has no minipipe
 * ioctl (ENOTTY).  Each variant's own call works on both of its ends.
 */
TEST_F(size, foreign_size_calls_refused)
{
	int i, fds[2];

	TST_START();
	fds[0] = self->pipe.rfd;
	fds[1] = self->pipe.wfd;
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(TST_CAPACITY, tst_get_size(&self->pipe, fds[i]));
		ASSERT_EQ(tst_is_minipipe(&self->pipe), minipipe_is_minipipe(fds[i]));
		if (tst_is_minipipe(&self->pipe)) {
			ASSERT_EQ(-1, fcntl(fds[i], F_GETPIPE_SZ));
			ASSERT_EQ(EBADF, errno);
			ASSERT_EQ(-1, fcntl(fds[i], F_SETPIPE_SZ, 8192));
			ASSERT_EQ(EBADF, errno);
		} else {
			ASSERT_EQ(-1, ioctl(fds[i], MINIPIPE_IOC_GET_SIZE));
			ASSERT_EQ(ENOTTY, errno);
			ASSERT_EQ(-1, ioctl(fds[i], MINIPIPE_IOC_SET_SIZE, 8192));
			ASSERT_EQ(ENOTTY, errno);
		}
	}
	ASSERT_EQ(TST_CAPACITY, tst_get_size(&self->pipe, self->pipe.rfd));
}

TEST_HARNESS_MAIN
