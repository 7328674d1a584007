// SPDX-License-Identifier: GPL-2.0
/*
 * tee(2), vmsplice(2) and splice(2) between two pipes of the variant's
 * kind, by page reference.  Rules (docs/semantics.md) R143 and R148.
 *
 * Every call goes through libminipipe (minipipe_tee(), minipipe_splice(),
 * minipipe_vmsplice()), which makes the system call itself when no
 * descriptor is a minipipe: so for the kernel's pipes and FIFOs the test
 * runs the real tee(2), splice(2) and vmsplice(2) (the oracle), and for
 * minipipes the module's ioctls, with the same assertions.  The second
 * pipe is a kernel pipe for pipe and fifo, an anonymous minipipe for
 * minipipe and minipipe_pair.
 */
#include <sys/mman.h>
#include <sys/uio.h>

#include "minipipe_test.h"

TST_FIXTURE(tee)

/* A second pipe of the variant's kind; closed by the teardown (close_range). */
#define OTHER_PIPE(o) \
	ASSERT_EQ(0, tst_other_pipe(&self->pipe, (o))) TH_LOG("second pipe: %s", strerror(errno))

/* Read exactly @len bytes of pattern @seed from @off; false (and why) if not. */
static bool read_pattern(int fd, size_t len, unsigned int seed, size_t off, char *why,
			 size_t whylen)
{
	static char buf[4 * TST_PAGE];
	ssize_t r;
	long bad;

	if (len > sizeof(buf))
		return false;
	r = read(fd, buf, len);
	if (r != (ssize_t)len) {
		snprintf(why, whylen, "read %zu returned %zd (%s)", len, r, strerror(errno));
		return false;
	}
	bad = tst_check_pattern(buf, len, seed, off);
	if (bad != -1) {
		snprintf(why, whylen, "wrong byte at %ld", bad);
		return false;
	}
	return true;
}

#define ASSERT_PATTERN(fd, len, seed, off) do {				\
	char why_[96] = "";						\
	ASSERT_TRUE(read_pattern((fd), (len), (seed), (off), why_, sizeof(why_))) \
		TH_LOG("%s", why_);					\
} while (0)

/* R143: tee duplicates what is queued, both pipes then hold it. */
TEST_F(tee, duplicates_without_consuming)
{
	int o[2];

	TST_START();
	OTHER_PIPE(o);
	ASSERT_EQ(5000, tst_write_pattern(self->pipe.wfd, 5000, 3, 0));
	ASSERT_EQ(5000, minipipe_tee(self->pipe.rfd, o[1], 10000, 0))
		TH_LOG("tee: %s", strerror(errno));
	ASSERT_EQ(5000, tst_nread(self->pipe.rfd));
	ASSERT_EQ(5000, tst_nread(o[0]));
	ASSERT_PATTERN(o[0], 5000, 3, 0);
	ASSERT_PATTERN(self->pipe.rfd, 5000, 3, 0);
}

/* R143: at most len bytes, the last buffer cut; the input keeps them all. */
TEST_F(tee, takes_at_most_len)
{
	int o[2];

	TST_START();
	OTHER_PIPE(o);
	ASSERT_EQ(5000, tst_write_pattern(self->pipe.wfd, 5000, 4, 0));
	ASSERT_EQ(4100, minipipe_tee(self->pipe.rfd, o[1], 4100, 0));
	ASSERT_EQ(4100, tst_nread(o[0]));
	ASSERT_EQ(5000, tst_nread(self->pipe.rfd));
	ASSERT_PATTERN(o[0], 4100, 4, 0);
	/* A write after the tee: the output's cut buffer is not merged into. */
	ASSERT_EQ(10, write(o[1], "0123456789", 10));
	ASSERT_EQ(10, tst_nread(o[0]));
}

/* R143: SPLICE_F_NONBLOCK on an empty input with a writer: EAGAIN; at EOF: 0. */
TEST_F(tee, empty_input)
{
	int o[2];

	TST_START();
	OTHER_PIPE(o);
	errno = 0;
	ASSERT_EQ(-1, minipipe_tee(self->pipe.rfd, o[1], 100, SPLICE_F_NONBLOCK));
	ASSERT_EQ(EAGAIN, errno);
	/* O_NONBLOCK on the output counts too. */
	ASSERT_EQ(0, tst_set_nonblock(o[1], true));
	errno = 0;
	ASSERT_EQ(-1, minipipe_tee(self->pipe.rfd, o[1], 100, 0));
	ASSERT_EQ(EAGAIN, errno);
	tst_close(&self->pipe.wfd);
	ASSERT_EQ(0, minipipe_tee(self->pipe.rfd, o[1], 100, 0));
}

/* R143: the argument checks, in tee(2)'s order. */
TEST_F(tee, bad_arguments)
{
	int o[2], file;

	TST_START();
	OTHER_PIPE(o);
	ASSERT_EQ(1, write(self->pipe.wfd, "x", 1));
	errno = 0;
	ASSERT_EQ(-1, minipipe_tee(self->pipe.rfd, o[1], 1, 0x100));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(0, minipipe_tee(self->pipe.rfd, o[1], 0, 0));
	errno = 0;
	ASSERT_EQ(-1, minipipe_tee(self->pipe.wfd, o[1], 1, 0));
	ASSERT_EQ(EBADF, errno);
	errno = 0;
	ASSERT_EQ(-1, minipipe_tee(self->pipe.rfd, o[0], 1, 0));
	ASSERT_EQ(EBADF, errno);
	errno = 0;
	ASSERT_EQ(-1, minipipe_tee(self->pipe.rfd, 999, 1, 0));
	ASSERT_EQ(EBADF, errno);
	/* The same pipe on both sides. */
	errno = 0;
	ASSERT_EQ(-1, minipipe_tee(self->pipe.rfd, self->pipe.wfd, 1, 0));
	ASSERT_EQ(EINVAL, errno);
	/* Not a pipe. */
	file = memfd_create("tee-test", 0);
	ASSERT_LE(0, file);
	errno = 0;
	ASSERT_EQ(-1, minipipe_tee(self->pipe.rfd, file, 1, 0));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(1, tst_nread(self->pipe.rfd));
	ASSERT_EQ(0, tst_nread(o[0]));
}

/* R143: a full output: EAGAIN without waiting; no reader: EPIPE. */
TEST_F(tee, output_full_or_gone)
{
	int o[2];

	TST_START();
	OTHER_PIPE(o);
	ASSERT_EQ(1, write(self->pipe.wfd, "x", 1));
	ASSERT_LT(0, tst_fill(o[1]));
	errno = 0;
	ASSERT_EQ(-1, minipipe_tee(self->pipe.rfd, o[1], 1, SPLICE_F_NONBLOCK));
	ASSERT_EQ(EAGAIN, errno);
	tst_close(&o[0]);
	errno = 0;
	ASSERT_EQ(-1, minipipe_tee(self->pipe.rfd, o[1], 1, 0));
	ASSERT_EQ(EPIPE, errno);
	ASSERT_EQ(1, tst_nread(self->pipe.rfd));
}

/* R143: a packet stays a packet in the output, as the buffer's flag is copied. */
TEST_F(tee, packets_keep_their_boundaries)
{
	char buf[1000];
	int o[2];

	TST_START();
	OTHER_PIPE(o);
	ASSERT_EQ(0, tst_set_direct(self->pipe.wfd, true));
	ASSERT_EQ(100, tst_write_pattern(self->pipe.wfd, 100, 5, 0));
	ASSERT_EQ(200, tst_write_pattern(self->pipe.wfd, 200, 6, 0));
	ASSERT_EQ(300, minipipe_tee(self->pipe.rfd, o[1], 1000, 0));
	ASSERT_EQ(100, read(o[0], buf, sizeof(buf)));
	ASSERT_EQ(200, read(o[0], buf, sizeof(buf)));
	ASSERT_EQ(-1, tst_check_pattern(buf, 200, 6, 0));
}

/*
 * R143: no copy.  A page of a file spliced into the variant, then
 * duplicated by tee: a change to the file shows through in both pipes,
 * as it does between kernel pipes.
 */
TEST_F(tee, by_reference)
{
	char buf[TST_PAGE];
	int o[2], h[2], fd;

	TST_START();
	OTHER_PIPE(o);
	ASSERT_EQ(0, pipe(h));
	fd = tst_pattern_memfd(7);
	ASSERT_LE(0, fd);
	ASSERT_EQ(TST_PAGE, tst_splice_file_in(fd, h, self->pipe.wfd, TST_PAGE));
	ASSERT_EQ(TST_PAGE, minipipe_tee(self->pipe.rfd, o[1], TST_PAGE, 0));
	ASSERT_EQ(7, pwrite(fd, "CHANGED", 7, 0));
	ASSERT_EQ(TST_PAGE, read(o[0], buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "CHANGED", 7));
	ASSERT_EQ(TST_PAGE, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "CHANGED", 7));
	close(fd);
}

/* R143: tee with a kernel pipe on the other side, both ways. */
TEST_F(tee, with_a_kernel_pipe)
{
	int h[2], o[2];

	TST_START();
	ASSERT_EQ(0, pipe(h));
	OTHER_PIPE(o);
	ASSERT_EQ(3000, tst_write_pattern(self->pipe.wfd, 3000, 8, 0));
	ASSERT_EQ(3000, minipipe_tee(self->pipe.rfd, h[1], 5000, 0))
		TH_LOG("tee to a kernel pipe: %s", strerror(errno));
	ASSERT_EQ(3000, tst_nread(self->pipe.rfd));
	ASSERT_PATTERN(h[0], 3000, 8, 0);
	ASSERT_EQ(2000, tst_write_pattern(h[1], 2000, 9, 0));
	ASSERT_EQ(2000, minipipe_tee(h[0], o[1], 5000, 0))
		TH_LOG("tee from a kernel pipe: %s", strerror(errno));
	ASSERT_EQ(2000, tst_nread(h[0]));
	ASSERT_PATTERN(o[0], 2000, 9, 0);
}

/* R143: a blocking tee waits for data, then returns what came. */
TEST_F(tee, waits_for_data)
{
	int o[2];
	pid_t pid;

	TST_START();
	OTHER_PIPE(o);
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(minipipe_tee(self->pipe.rfd, o[1], 1000, 0) == 10 ? 0 : 1);
	ASSERT_TRUE(tst_stays_blocked(pid));
	ASSERT_EQ(10, write(self->pipe.wfd, "0123456789", 10));
	ASSERT_EQ(0, tst_reap(&self->pipe, pid, TST_WATCHDOG_SECS * 1000L));
	ASSERT_EQ(10, tst_nread(o[0]));
	ASSERT_EQ(10, tst_nread(self->pipe.rfd));
}

/* R148: splice between two pipes of the kind moves the bytes, by reference. */
TEST_F(tee, splice_between_two)
{
	char buf[TST_PAGE];
	loff_t off = 0;
	int o[2], h[2], fd;

	TST_START();
	OTHER_PIPE(o);
	ASSERT_EQ(5000, tst_write_pattern(self->pipe.wfd, 5000, 10, 0));
	ASSERT_EQ(5000, minipipe_splice(self->pipe.rfd, NULL, o[1], NULL, 10000, 0))
		TH_LOG("splice: %s", strerror(errno));
	ASSERT_EQ(0, tst_nread(self->pipe.rfd));
	ASSERT_PATTERN(o[0], 5000, 10, 0);
	errno = 0;
	ASSERT_EQ(-1, minipipe_splice(self->pipe.rfd, NULL, o[1], NULL, 1, SPLICE_F_NONBLOCK));
	ASSERT_EQ(EAGAIN, errno);
	errno = 0;
	ASSERT_EQ(-1, minipipe_splice(self->pipe.rfd, &off, o[1], NULL, 1, 0));
	ASSERT_EQ(ESPIPE, errno);
	/* A file's page, moved on: still the file's page. */
	ASSERT_EQ(0, pipe(h));
	fd = tst_pattern_memfd(11);
	ASSERT_LE(0, fd);
	ASSERT_EQ(TST_PAGE, tst_splice_file_in(fd, h, self->pipe.wfd, TST_PAGE));
	ASSERT_EQ(TST_PAGE, minipipe_splice(self->pipe.rfd, NULL, o[1], NULL, TST_PAGE, 0));
	ASSERT_EQ(7, pwrite(fd, "CHANGED", 7, 0));
	ASSERT_EQ(TST_PAGE, read(o[0], buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "CHANGED", 7));
	tst_close(&self->pipe.wfd);
	ASSERT_EQ(0, minipipe_splice(self->pipe.rfd, NULL, o[1], NULL, 1, 0));
	close(fd);
}

/*
 * R143: vmsplice into the variant takes the user's pages: a change to
 * the buffer after the call is what the reader sees, as on a kernel pipe.
 */
TEST_F(tee, vmsplice_in_by_reference)
{
	char *page = mmap(NULL, TST_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	char buf[TST_PAGE];
	struct iovec iov;

	TST_START();
	ASSERT_NE(MAP_FAILED, page);
	memset(page, 'a', TST_PAGE);
	iov.iov_base = page;
	iov.iov_len = TST_PAGE;
	ASSERT_EQ(TST_PAGE, minipipe_vmsplice(self->pipe.wfd, &iov, 1, 0))
		TH_LOG("vmsplice: %s", strerror(errno));
	memset(page, 'b', 100);
	ASSERT_EQ(TST_PAGE, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ('b', buf[0]);
	ASSERT_EQ('b', buf[99]);
	ASSERT_EQ('a', buf[100]);
	/* Not merged into: a write after it takes a buffer of its own. */
	ASSERT_EQ(TST_PAGE, minipipe_vmsplice(self->pipe.wfd, &iov, 1, SPLICE_F_GIFT));
	ASSERT_EQ(3, write(self->pipe.wfd, "xyz", 3));
	ASSERT_EQ('b', page[0]);
	ASSERT_EQ(TST_PAGE + 3, tst_nread(self->pipe.rfd));
	munmap(page, TST_PAGE);
}

/* R143: vmsplice in: what fits, EAGAIN when full, EPIPE with no reader, EINVAL flags. */
TEST_F(tee, vmsplice_in_limits)
{
	/* Page-aligned: one slot per page, so the capacity fills exactly. */
	char *big = mmap(NULL, 2 * TST_CAPACITY, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct iovec iov = { big, 2 * TST_CAPACITY };
	struct iovec none = { big, 0 };

	TST_START();
	ASSERT_NE(MAP_FAILED, big);
	errno = 0;
	ASSERT_EQ(-1, minipipe_vmsplice(self->pipe.wfd, &iov, 1, 0x100));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(0, minipipe_vmsplice(self->pipe.wfd, &none, 1, 0));
	ASSERT_EQ(TST_CAPACITY, minipipe_vmsplice(self->pipe.wfd, &iov, 1, 0));
	errno = 0;
	ASSERT_EQ(-1, minipipe_vmsplice(self->pipe.wfd, &iov, 1, SPLICE_F_NONBLOCK));
	ASSERT_EQ(EAGAIN, errno);
	tst_close(&self->pipe.rfd);
	errno = 0;
	ASSERT_EQ(-1, minipipe_vmsplice(self->pipe.wfd, &iov, 1, 0));
	ASSERT_EQ(EPIPE, errno);
}

/* R143: vmsplice out of the read end copies; a packet's rest stays. */
TEST_F(tee, vmsplice_out)
{
	char buf[64];
	struct iovec iov = { buf, 30 };

	TST_START();
	ASSERT_EQ(0, tst_set_direct(self->pipe.wfd, true));
	ASSERT_EQ(100, tst_write_pattern(self->pipe.wfd, 100, 12, 0));
	ASSERT_EQ(30, minipipe_vmsplice(self->pipe.rfd, &iov, 1, 0));
	ASSERT_EQ(-1, tst_check_pattern(buf, 30, 12, 0));
	ASSERT_EQ(70, tst_nread(self->pipe.rfd));
	errno = 0;
	tst_drain(self->pipe.rfd);
	ASSERT_EQ(-1, minipipe_vmsplice(self->pipe.rfd, &iov, 1, SPLICE_F_NONBLOCK));
	ASSERT_EQ(EAGAIN, errno);
	tst_close(&self->pipe.wfd);
	ASSERT_EQ(0, minipipe_vmsplice(self->pipe.rfd, &iov, 1, 0));
}

#define POLL_R	(POLLIN | POLLRDNORM)
#define POLL_W	(POLLOUT | POLLWRNORM)

#define ASSERT_POLL(want, fd) \
	ASSERT_EQ((want), tst_revents((fd), TST_POLL_ALL)) TH_LOG("poll of " #fd)

/* R143, R148: the poll masks of both pipes after each vmsplice, tee and splice. */
TEST_F(tee, poll_masks_follow_each_step)
{
	static char data[3000], buf[2 * sizeof(data)];
	struct iovec iov = { data, sizeof(data) };
	int o[2], r = self->pipe.rfd, w = self->pipe.wfd;

	TST_START();
	OTHER_PIPE(o);
	ASSERT_POLL(0, r);
	ASSERT_POLL(POLL_W, w);
	ASSERT_EQ(3000, minipipe_vmsplice(w, &iov, 1, 0));
	ASSERT_POLL(POLL_R, r);
	ASSERT_POLL(POLL_W, w);
	ASSERT_POLL(0, o[0]);
	ASSERT_EQ(3000, minipipe_tee(r, o[1], 10000, 0));
	ASSERT_POLL(POLL_R, r);
	ASSERT_POLL(POLL_R, o[0]);
	ASSERT_EQ(3000, minipipe_splice(r, NULL, o[1], NULL, 10000, 0));
	ASSERT_POLL(0, r);
	ASSERT_POLL(POLL_R, o[0]);
	ASSERT_POLL(POLL_W, o[1]);
	ASSERT_EQ(6000, read(o[0], buf, sizeof(buf)));
	ASSERT_POLL(0, o[0]);
	/* A full input, teed whole into the output: both full. */
	ASSERT_EQ(TST_CAPACITY, tst_write_pattern(w, TST_CAPACITY, 13, 0));
	ASSERT_POLL(0, w);
	ASSERT_EQ(TST_CAPACITY, minipipe_tee(r, o[1], 2 * TST_CAPACITY, 0));
	ASSERT_POLL(0, o[1]);
	ASSERT_POLL(POLL_R, o[0]);
	ASSERT_POLL(POLL_R, r);
	errno = 0;
	ASSERT_EQ(-1, minipipe_splice(r, NULL, o[1], NULL, 1, SPLICE_F_NONBLOCK));
	ASSERT_EQ(EAGAIN, errno);
	/* The ends go: POLLHUP on the input, POLLERR on the output. */
	tst_close(&self->pipe.wfd);
	ASSERT_POLL(POLL_R | POLLHUP, r);
	ASSERT_EQ(TST_CAPACITY, tst_drain(r));
	ASSERT_POLL(POLLHUP, r);
	close(o[0]);
	ASSERT_POLL(POLLERR, o[1]);
}

/*
 * R143, R148: a resize moves shared slots as they are.  The input holds a
 * file's page (splice) and a user page (vmsplice), teed into the output;
 * after a resize a change to either page still shows through, in both
 * pipes; a shrink below what the pipe holds is EBUSY.
 */
TEST_F(tee, shared_slots_survive_a_resize)
{
	char *page = mmap(NULL, TST_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	struct iovec iov = { page, TST_PAGE };
	char buf[TST_PAGE];
	int o[2], h[2], fd, i;

	TST_START();
	ASSERT_NE(MAP_FAILED, page);
	OTHER_PIPE(o);
	ASSERT_EQ(0, pipe(h));
	fd = tst_pattern_memfd(14);
	ASSERT_LE(0, fd);
	memset(page, 'u', TST_PAGE);
	ASSERT_EQ(TST_PAGE, tst_splice_file_in(fd, h, self->pipe.wfd, TST_PAGE));
	ASSERT_EQ(TST_PAGE, minipipe_vmsplice(self->pipe.wfd, &iov, 1, 0));
	ASSERT_EQ(2 * TST_PAGE, minipipe_tee(self->pipe.rfd, o[1], 2 * TST_PAGE, 0));
	errno = 0;
	ASSERT_EQ(-1, tst_set_size(&self->pipe, self->pipe.wfd, TST_PAGE));
	ASSERT_EQ(EBUSY, errno);
	ASSERT_EQ(4 * TST_CAPACITY, tst_set_size(&self->pipe, self->pipe.wfd, 4 * TST_CAPACITY));
	ASSERT_EQ(7, pwrite(fd, "CHANGED", 7, 0));
	memcpy(page, "USER", 4);
	for (i = 0; i < 2; i++) {
		int from = i ? o[0] : self->pipe.rfd;

		ASSERT_EQ(TST_PAGE, read(from, buf, sizeof(buf)));
		ASSERT_EQ(0, memcmp(buf, "CHANGED", 7));
		ASSERT_EQ(-1, tst_check_pattern(buf + 7, TST_PAGE - 7, 14, 7));
		ASSERT_EQ(TST_PAGE, read(from, buf, sizeof(buf)));
		ASSERT_EQ(0, memcmp(buf, "USERu", 5));
	}
	ASSERT_EQ(TST_PAGE, tst_set_size(&self->pipe, self->pipe.wfd, TST_PAGE));
	close(fd);
	munmap(page, TST_PAGE);
}

TEST_HARNESS_MAIN
