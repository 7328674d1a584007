// SPDX-License-Identifier: GPL-2.0
/*
 * Pipe capacity: F_GETPIPE_SZ / F_SETPIPE_SZ on kernel pipes and FIFOs,
 * MINIPIPE_IOC_GET_SIZE / _SET_SIZE on minipipes (tst_get_size() and
 * tst_set_size() pick the call; the assertions are the same).  Rules
 * (docs/semantics.md) R100-R103, R65, R72, R2, R52, R88, R105, R106 (LTP
 * pipe2_04, fcntl30, fcntl35, fcntl37).
 *
 * The limit without CAP_SYS_RESOURCE is read per variant:
 * /proc/sys/fs/pipe-max-size or the module's max_size parameter.  The
 * per-user page limits (R88, R105), likewise: /proc/sys/fs/pipe-user-pages-*
 * or the module's user_pages_soft and user_pages_hard, set by the limits
 * fixture and put back by its teardown; the maxsize fixture does the same
 * with the cap itself (R105 at creation, R106 for its writes).
 */
#include <grp.h>
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

/* ---- per-user page limits (R88, R102, R105) ------------------------------ */

/*
 * The user the limit tests run as, and the limits they set, in pages:
 * two default pipes reach the soft limit, four more 2-slot pipes the hard.
 */
#define LIM_UID		65534
#define LIM_SOFT	32
#define LIM_HARD	40
#define LIM_USERS	"/sys/kernel/debug/minipipe/users"

/*
 * Each variant's pair of limits: the kernel's sysctls or the module's
 * parameters.  The fixture saves them and puts them back, even when a test
 * fails half way.
 */
/*
 * The node is opened afresh by the test's user, as its first open: close
 * the fixture's ends and let that user reach a FIFO made by root.
 */
static int hand_to_test_user(struct tst_pipe *m)
{
	tst_close_pair(m);
	if (!m->dir[0])
		return 0;
	return chmod(m->dir, 0755) || chmod(m->path, 0666) ? -1 : 0;
}

FIXTURE(limits) {
	struct tst_pipe pipe;
	char soft_path[128], hard_path[128];
	unsigned long soft, hard;
	bool saved;
};
FIXTURE_VARIANT(limits) {
	struct tst_variant v;
};
TST_VARIANTS(TST_VARIANT_ADD, limits)

static int write_ulong(const char *path, unsigned long v)
{
	FILE *f = fopen(path, "we");
	int ret;

	if (!f)
		return -1;
	ret = fprintf(f, "%lu\n", v) < 0;
	ret |= fclose(f);
	return ret ? -1 : 0;
}

FIXTURE_SETUP(limits)
{
	bool mp = variant->v.needs_dev;

	tst_setup(_metadata, &self->pipe, &variant->v);
	if (self->pipe.skip)
		return;
	snprintf(self->soft_path, sizeof(self->soft_path), "%s",
		 mp ? "/sys/module/minipipe/parameters/user_pages_soft" :
		 "/proc/sys/fs/pipe-user-pages-soft");
	snprintf(self->hard_path, sizeof(self->hard_path), "%s",
		 mp ? "/sys/module/minipipe/parameters/user_pages_hard" :
		 "/proc/sys/fs/pipe-user-pages-hard");
	if (access(self->soft_path, W_OK) || access(self->hard_path, W_OK) || getuid()) {
		self->pipe.skip = true;
		tst_teardown(&self->pipe);
		SKIP(return, "%s: cannot set the user page limits as root", variant->v.name);
	}
	self->soft = tst_read_ulong(self->soft_path);
	self->hard = tst_read_ulong(self->hard_path);
	self->saved = true;
	ASSERT_EQ(0, hand_to_test_user(&self->pipe));
}

FIXTURE_TEARDOWN(limits)
{
	if (self->saved) {
		write_ulong(self->hard_path, self->hard);
		write_ulong(self->soft_path, self->soft);
	}
	tst_teardown(&self->pipe);
}

static int set_limits(FIXTURE_DATA(limits) *self, unsigned long soft, unsigned long hard)
{
	if (write_ulong(self->soft_path, soft) || write_ulong(self->hard_path, hard))
		return -1;
	if (tst_read_ulong(self->soft_path) != soft || tst_read_ulong(self->hard_path) != hard)
		return -1;
	return 0;
}

/*
 * A new pipe of the variant's family: pipe(2) for the kernel's, an
 * anonymous minipipe for the module's.  With @node, the variant's own
 * node instead, where it has one (a first open: what a FIFO charges).
 */
static int new_pipe(const struct tst_pipe *m, int fds[2], bool node)
{
	if (node && m->v->has_path) {
		fds[0] = open(m->path, O_RDONLY | O_NONBLOCK);
		if (fds[0] < 0)
			return -1;
		fds[1] = open(m->path, O_WRONLY | O_NONBLOCK);
		if (fds[1] < 0) {
			int err = errno;

			close(fds[0]);
			errno = err;
			return -1;
		}
		return 0;
	}
	if (tst_is_minipipe(m))
		return minipipe_pipe2(fds, 0);
	return syscall(SYS_pipe2, fds, 0);
}

/* The errno of a new pipe past the hard limit: pipe(2) ENFILE, a FIFO's open ENOMEM. */
static int hard_errno(const struct tst_pipe *m)
{
	return m->v->has_path ? ENOMEM : ENFILE;
}

/*
 * The pages minipipe charges to @uid, read through the debugfs users file
 * opened (as root) on @fd: 0 if the user has none, -1 if unreadable.  On a
 * kernel pipe (fd -1) there is nothing to read back: -2, which each check
 * accepts.
 */
static long user_pages(int fd, unsigned int uid)
{
	char buf[4096], *line, *save;
	unsigned int u;
	long pages;
	ssize_t n;

	if (fd < 0)
		return -2;
	if (lseek(fd, 0, SEEK_SET))
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "%u %ld", &u, &pages) == 2 && u == uid)
			return pages;
	return 0;
}

static bool pages_are(int fd, unsigned int uid, long want)
{
	long got = user_pages(fd, uid);

	return got == -2 || got == want;
}

/* The users file, for a minipipe variant; -1 for the kernel's pipes. */
static int open_users(const struct tst_pipe *m)
{
	return tst_is_minipipe(m) ? open(LIM_USERS, O_RDONLY | O_CLOEXEC) : -1;
}

/* Become the unprivileged test user: no capability is left. */
static int become_user(void)
{
	if (setgroups(0, NULL) || setgid(LIM_UID) || setuid(LIM_UID))
		return -1;
	return has_cap(CAP_SYS_RESOURCE) || has_cap(CAP_SYS_ADMIN) ? -1 : 0;
}

/*
 * R105, R102 (P19, LTP pipe15): past the soft limit a new pipe gets 2
 * slots (8192 bytes) and no pipe may grow; keeping and shrinking may, and
 * once a shrink brought the user back under the limit growing works again.
 * Closing gives every page back: the same round twice gives the same
 * results, and on minipipes the users file reads back each total and 0.
 */
TEST_F(limits, soft_limit_two_slots)
{
	pid_t pid;
	int users;

	TST_START();
	users = open_users(&self->pipe);
	if (tst_is_minipipe(&self->pipe))
		ASSERT_LE(0, users) TH_LOG("%s: %s", LIM_USERS, strerror(errno));
	ASSERT_EQ(0, set_limits(self, LIM_SOFT, 0));
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int a[2], b[2], c[2], round;

		if (become_user())
			_exit(10);
		for (round = 0; round < 2; round++) {
			if (new_pipe(&self->pipe, a, false) || new_pipe(&self->pipe, b, false))
				_exit(11);
			/* 32 pages: at the limit, not past it. */
			if (tst_get_size(&self->pipe, b[0]) != TST_CAPACITY)
				_exit(12);
			if (new_pipe(&self->pipe, c, true))
				_exit(13);
			if (tst_get_size(&self->pipe, c[0]) != 8192 ||
			    !pages_are(users, LIM_UID, 34))
				_exit(14);
			if (tst_set_size(&self->pipe, c[1], 16384) != -1 || errno != EPERM)
				_exit(15);
			if (tst_set_size(&self->pipe, a[1], 131072) != -1 || errno != EPERM)
				_exit(16);
			if (tst_set_size(&self->pipe, a[1], TST_CAPACITY) != TST_CAPACITY ||
			    !pages_are(users, LIM_UID, 34))
				_exit(17);
			if (tst_set_size(&self->pipe, a[0], 4096) != 4096 ||
			    !pages_are(users, LIM_UID, 19))
				_exit(18);
			if (tst_set_size(&self->pipe, c[0], 16384) != 16384 ||
			    !pages_are(users, LIM_UID, 21))
				_exit(19);
			close(a[0]);
			close(a[1]);
			close(b[0]);
			close(b[1]);
			if (!pages_are(users, LIM_UID, 4))
				_exit(20);
			close(c[0]);
			close(c[1]);
			if (!pages_are(users, LIM_UID, 0))
				_exit(21);
		}
		_exit(0);
	}
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_TRUE(pages_are(users, LIM_UID, 0));
}

/*
 * R88, R105, R102: past the hard limit a new pipe fails (pipe(2) ENFILE, a
 * FIFO's first open ENOMEM) and growing fails with EPERM; a close makes
 * room again.  2-slot pipes fill the gap from the soft limit to the hard.
 */
TEST_F(limits, hard_limit_refuses)
{
	int users, fds[8][2], extra[2], i;
	pid_t pid;

	TST_START();
	users = open_users(&self->pipe);
	if (tst_is_minipipe(&self->pipe))
		ASSERT_LE(0, users) TH_LOG("%s: %s", LIM_USERS, strerror(errno));
	ASSERT_EQ(0, set_limits(self, LIM_SOFT, LIM_HARD));
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (become_user())
			_exit(10);
		/* 16 + 16, then four of 2 slots: 40 pages, the hard limit. */
		for (i = 0; i < 6; i++)
			if (new_pipe(&self->pipe, fds[i], false))
				_exit(11);
		if (tst_get_size(&self->pipe, fds[5][0]) != 8192 ||
		    !pages_are(users, LIM_UID, LIM_HARD))
			_exit(12);
		if (new_pipe(&self->pipe, extra, true) != -1 || errno != hard_errno(&self->pipe))
			_exit(13);
		if (!pages_are(users, LIM_UID, LIM_HARD))
			_exit(14);
		if (tst_set_size(&self->pipe, fds[5][1], 16384) != -1 || errno != EPERM)
			_exit(15);
		/* 24 pages after this close: a new pipe is back to 2 slots. */
		close(fds[0][0]);
		close(fds[0][1]);
		if (new_pipe(&self->pipe, extra, true))
			_exit(16);
		if (tst_get_size(&self->pipe, extra[0]) != 8192 ||
		    !pages_are(users, LIM_UID, 26))
			_exit(17);
		_exit(0);
	}
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_TRUE(pages_are(users, LIM_UID, 0));
}

/*
 * R105, R102, R88: CAP_SYS_RESOURCE or CAP_SYS_ADMIN is exempt from both
 * limits; without both, root is limited like anyone.  Run by root, whose
 * pages are past both limits here whatever else it has open.
 */
TEST_F(limits, privileged_exempt)
{
	pid_t pid;

	TST_START();
	if (!has_cap(CAP_SYS_RESOURCE) || !has_cap(CAP_SYS_ADMIN))
		SKIP(return, "needs CAP_SYS_RESOURCE and CAP_SYS_ADMIN");
	ASSERT_EQ(0, set_limits(self, LIM_SOFT, LIM_HARD));
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fds[4][2], extra[2], i;

		for (i = 0; i < 4; i++)
			if (new_pipe(&self->pipe, fds[i], false) ||
			    tst_get_size(&self->pipe, fds[i][0]) != TST_CAPACITY)
				_exit(10);
		if (tst_set_size(&self->pipe, fds[0][1], 131072) != 131072)
			_exit(11);
		if (drop_cap(CAP_SYS_RESOURCE))
			_exit(12);
		/* CAP_SYS_ADMIN alone is enough. */
		if (tst_set_size(&self->pipe, fds[1][1], 131072) != 131072)
			_exit(13);
		if (new_pipe(&self->pipe, extra, true) ||
		    tst_get_size(&self->pipe, extra[0]) != TST_CAPACITY)
			_exit(14);
		close(extra[0]);
		close(extra[1]);
		if (drop_cap(CAP_SYS_ADMIN))
			_exit(15);
		if (tst_set_size(&self->pipe, fds[2][1], 131072) != -1 || errno != EPERM)
			_exit(16);
		if (new_pipe(&self->pipe, extra, true) != -1 || errno != hard_errno(&self->pipe))
			_exit(17);
		_exit(0);
	}
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
}

/* ---- pipe-max-size at creation, and its writes (R105, R106) ------------- */

/*
 * Each variant's cap: the kernel's sysctl or the module's max_size.  The
 * fixture saves it and puts it back, even when a test fails half way.
 */
FIXTURE(maxsize) {
	struct tst_pipe pipe;
	const char *path;
	unsigned long saved;
	bool restore;
};
FIXTURE_VARIANT(maxsize) {
	struct tst_variant v;
};
TST_VARIANTS(TST_VARIANT_ADD, maxsize)

FIXTURE_SETUP(maxsize)
{
	tst_setup(_metadata, &self->pipe, &variant->v);
	if (self->pipe.skip)
		return;
	self->path = tst_is_minipipe(&self->pipe) ?
		     "/sys/module/minipipe/parameters/max_size" : "/proc/sys/fs/pipe-max-size";
	if (access(self->path, W_OK) || getuid()) {
		self->pipe.skip = true;
		tst_teardown(&self->pipe);
		SKIP(return, "%s: cannot set %s as root", variant->v.name, self->path);
	}
	self->saved = tst_read_ulong(self->path);
	ASSERT_NE(0, self->saved);
	self->restore = true;
	ASSERT_EQ(0, hand_to_test_user(&self->pipe));
}

FIXTURE_TEARDOWN(maxsize)
{
	if (self->restore)
		write_ulong(self->path, self->saved);
	tst_teardown(&self->pipe);
}

/* One write(2) of @val and a newline, as echo does: 0 or -1 with errno. */
static int write_str(const char *path, const char *val)
{
	char line[64];
	int fd, len, ret = 0;

	len = snprintf(line, sizeof(line), "%s\n", val);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, line, len) != len)
		ret = -1;
	if (close(fd) && !ret)
		ret = -1;
	return ret;
}

/*
 * A new pipe of the variant's (its node where it has one, else pipe(2) or
 * an anonymous minipipe) has @want bytes; closed again.  0 if so.
 */
static int new_pipe_size_is(const struct tst_pipe *m, long want)
{
	int fds[2];
	long got;

	if (new_pipe(m, fds, true))
		return -1;
	got = tst_get_size(m, fds[0]);
	close(fds[0]);
	close(fds[1]);
	return got == want ? 0 : -1;
}

/*
 * R105, R102 (P63, LTP fcntl35): without CAP_SYS_RESOURCE a new pipe gets
 * pipe-max-size when that is below the default, 4096 or 8192 here, and is
 * charged that many pages; growing past it is EPERM, keeping it is not.
 * The node (a first open) and a pipe of the family without one alike.
 */
TEST_F(maxsize, caps_new_pipe_unprivileged)
{
	static const long caps[] = { 4096, 8192 };
	unsigned int i;
	pid_t pid;
	int users;

	TST_START();
	users = open_users(&self->pipe);
	if (tst_is_minipipe(&self->pipe))
		ASSERT_LE(0, users) TH_LOG("%s: %s", LIM_USERS, strerror(errno));
	for (i = 0; i < ARRAY_SIZE(caps); i++) {
		ASSERT_EQ(0, write_ulong(self->path, caps[i]));
		ASSERT_EQ(caps[i], tst_read_ulong(self->path));
		pid = tst_fork(&self->pipe);
		ASSERT_LE(0, pid);
		if (pid == 0) {
			int a[2], b[2];

			if (become_user())
				_exit(10);
			if (new_pipe(&self->pipe, a, true) || new_pipe(&self->pipe, b, false))
				_exit(11);
			if (tst_get_size(&self->pipe, a[0]) != caps[i] ||
			    tst_get_size(&self->pipe, b[1]) != caps[i])
				_exit(12);
			if (!pages_are(users, LIM_UID, 2 * caps[i] / TST_PAGE))
				_exit(13);
			if (tst_set_size(&self->pipe, a[1], 2 * caps[i]) != -1 || errno != EPERM)
				_exit(14);
			if (tst_set_size(&self->pipe, b[0], caps[i]) != caps[i])
				_exit(15);
			close(a[0]);
			close(a[1]);
			close(b[0]);
			close(b[1]);
			if (!pages_are(users, LIM_UID, 0))
				_exit(16);
			_exit(0);
		}
		TST_ASSERT_EXIT(&self->pipe, pid, 0);
	}
}

/*
 * R105: CAP_SYS_RESOURCE is exempt from the cap (root's pipe keeps 65536
 * under a cap of 4096, and may grow); CAP_SYS_ADMIN is not, unlike for the
 * page limits: root without CAP_SYS_RESOURCE gets the cap.
 */
TEST_F(maxsize, cap_sys_resource_exempt)
{
	pid_t pid;

	TST_START();
	if (!has_cap(CAP_SYS_RESOURCE) || !has_cap(CAP_SYS_ADMIN))
		SKIP(return, "needs CAP_SYS_RESOURCE and CAP_SYS_ADMIN");
	ASSERT_EQ(0, write_ulong(self->path, 4096));
	ASSERT_EQ(4096, tst_read_ulong(self->path));
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fds[2];

		if (new_pipe_size_is(&self->pipe, TST_CAPACITY))
			_exit(10);
		if (new_pipe(&self->pipe, fds, false) ||
		    tst_set_size(&self->pipe, fds[1], 131072) != 131072)
			_exit(11);
		close(fds[0]);
		close(fds[1]);
		if (drop_cap(CAP_SYS_RESOURCE) || !has_cap(CAP_SYS_ADMIN))
			_exit(12);
		if (new_pipe_size_is(&self->pipe, 4096))
			_exit(13);
		_exit(0);
	}
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
}

/*
 * R106 (P63): a write is rounded as F_SETPIPE_SZ rounds (R101) and reads
 * back rounded; one the sysctl refuses (above 2^31 and below 2^32, beyond
 * an unsigned long, negative, not a number) is EINVAL and leaves the value
 * as it was.
 */
TEST_F(maxsize, writes_rounded_like_the_sysctl)
{
	static const struct {
		const char *val;
		unsigned long want;
	} good[] = {
		{ "5000", 8192 }, { "0", 4096 }, { "1", 4096 }, { "4097", 8192 },
		{ "65537", 131072 }, { "0x3000", 16384 }, { "2147483648", 2147483648UL },
		{ "1048576", 1048576 },
	};
	static const char * const bad[] = {
		/* Not 2^32 and above: 6.12 truncates them to 32 bits first (D7). */
		"2147483649", "4294967295", "18446744073709551616", "-1", "-4096", "abc",
	};
	unsigned int i;

	TST_START();
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		ASSERT_EQ(0, write_str(self->path, good[i].val))
			TH_LOG("%s: writing %s: %s", self->path, good[i].val, strerror(errno));
		EXPECT_EQ(good[i].want, tst_read_ulong(self->path))
			TH_LOG("%s: wrote %s", self->path, good[i].val);
	}
	ASSERT_EQ(0, write_ulong(self->path, 65536));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		errno = 0;
		EXPECT_EQ(-1, write_str(self->path, bad[i]))
			TH_LOG("%s: writing %s was accepted", self->path, bad[i]);
		EXPECT_EQ(EINVAL, errno) TH_LOG("%s: writing %s", self->path, bad[i]);
		EXPECT_EQ(65536, tst_read_ulong(self->path));
	}
}

TEST_HARNESS_MAIN
