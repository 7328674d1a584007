// SPDX-License-Identifier: GPL-2.0
/*
 * Bad-input sweep: every ioctl number near minipipe's and near FIONREAD
 * with garbage arguments and bad pointers, absurd sizes, and opens with
 * every flag combination.  The oracle is a real pipe (or FIFO) made inside
 * the test: each call must give the same result on the variant as on it.
 * Afterwards the pipe still holds exactly the data it held before.
 * Rules (docs/semantics.md) R85, R86, R90-R92, R101-R104.
 */
#include <linux/fs.h>

#include "minipipe_test.h"

TST_FIXTURE(sweep)

#define SWEEP_DATA	100

/* Garbage for the third ioctl argument: NULL, kernel, unmapped, small numbers. */
static const unsigned long sweep_args[] = {
	0, 1, 4096, 0xffffffffffffffffull, 0xffff800000000000ull, 0x10,
};

/* Put SWEEP_DATA known bytes into the pipe. */
static void sweep_fill(struct __test_metadata *_metadata, int fd)
{
	unsigned char data[SWEEP_DATA];

	tst_fill_pattern(data, sizeof(data), 77, 0);
	ASSERT_EQ(SWEEP_DATA, write(fd, data, sizeof(data)));
}

/* The pipe still holds exactly those bytes, and nothing else. */
static void sweep_intact(struct __test_metadata *_metadata, struct tst_pipe *m)
{
	unsigned char data[SWEEP_DATA * 2];
	int queued = -1;

	ASSERT_EQ(0, ioctl(m->rfd, FIONREAD, &queued));
	ASSERT_EQ(SWEEP_DATA, queued);
	ASSERT_EQ(0, tst_set_nonblock(m->rfd, true));
	ASSERT_EQ(SWEEP_DATA, read(m->rfd, data, sizeof(data)));
	ASSERT_EQ(-1, tst_check_pattern(data, SWEEP_DATA, 77, 0));
}

/* ioctl() as a comparable value: the return value, or -errno. */
static long sweep_ioctl(int fd, unsigned long cmd, unsigned long arg)
{
	long r = ioctl(fd, cmd, arg);

	return r < 0 ? -errno : r;
}

/* The VFS itself handles these for every file (R92): not the driver's business. */
static bool sweep_vfs_cmd(unsigned long cmd)
{
	return cmd == FIONBIO || cmd == FIOASYNC || cmd == FIOCLEX || cmd == FIONCLEX ||
	       cmd == FIOQSIZE || cmd == FIGETBSZ || cmd == FIFREEZE || cmd == FITHAW;
}

/* minipipe's own ioctls, compared separately through the size mapping. */
static bool sweep_own_cmd(unsigned long cmd)
{
	return cmd == MINIPIPE_IOC_GET_SIZE || cmd == MINIPIPE_IOC_SET_SIZE ||
	       cmd == MINIPIPE_IOC_PIPE2;
}

/*
 * R90, R91: every command of minipipe's ioctl type and of FIONREAD's
 * ('T'), in all four directions, with garbage arguments: the variant
 * answers exactly as a real pipe does (ENOTTY, or EFAULT for FIONREAD's
 * bad pointers), and the data is untouched.
 */
TEST_F_TIMEOUT(sweep, ioctl_numbers_like_a_pipe, 120)
{
	static const unsigned int types[] = { MINIPIPE_IOC_MAGIC, 'T', 0 };
	static const unsigned int dirs[] = { _IOC_NONE, _IOC_READ, _IOC_WRITE,
					     _IOC_READ | _IOC_WRITE };
	int oracle[2], t, d, a;
	unsigned int nr;
	long tried = 0;

	TST_START();
	ASSERT_EQ(0, pipe2(oracle, O_NONBLOCK));
	sweep_fill(_metadata, self->pipe.wfd);
	sweep_fill(_metadata, oracle[1]);
	for (t = 0; types[t]; t++) {
		for (d = 0; d < 4; d++) {
			for (nr = 0; nr < 256; nr++) {
				/* Sizes of 0 and 8: no struct and a pointer-sized one. */
				unsigned long cmd = _IOC(dirs[d], types[t], nr, d ? 8 : 0);

				/* The 'T' type with no direction is the tty set (FIONREAD). */
				if (!d && types[t] == 'T')
					cmd = 0x5400 | nr;
				if (sweep_vfs_cmd(cmd) || sweep_own_cmd(cmd))
					continue;
				for (a = 0; a < (int)ARRAY_SIZE(sweep_args); a++) {
					long want = sweep_ioctl(oracle[0], cmd, sweep_args[a]);
					long got = sweep_ioctl(self->pipe.rfd, cmd, sweep_args[a]);

					ASSERT_EQ(want, got) {
						TH_LOG("ioctl %#lx arg %#lx: pipe gives %ld", cmd,
						       sweep_args[a], want);
					}
					tried++;
				}
			}
		}
	}
	TH_LOG("%ld ioctl calls compared", tried);
	close(oracle[0]);
	close(oracle[1]);
	sweep_intact(_metadata, &self->pipe);
}

/*
 * R101-R103: absurd and edge sizes give what F_SETPIPE_SZ gives on a
 * real pipe holding the same data, size by size; the data survives.
 */
TEST_F(sweep, absurd_sizes_like_a_pipe)
{
	static const long sizes[] = {
		0, 1, -1, -4096, 4095, 4096, 4097, 65535, 65536, 1 << 20, (1 << 20) + 1,
		1 << 30, INT_MAX,
	};
	/* The oracle's size calls go to fcntl(): describe it as a kernel pipe. */
	static const struct tst_variant kernel_pipe = { "pipe", false, false, NULL };
	struct tst_pipe oracle = { .v = &kernel_pipe };
	int fds[2], i;

	TST_START();
	ASSERT_EQ(0, pipe2(fds, O_NONBLOCK));
	sweep_fill(_metadata, self->pipe.wfd);
	sweep_fill(_metadata, fds[1]);
	for (i = 0; i < (int)ARRAY_SIZE(sizes); i++) {
		long want = tst_set_size(&oracle, fds[1], sizes[i]);
		int want_errno = want < 0 ? errno : 0;
		long got = tst_set_size(&self->pipe, self->pipe.wfd, sizes[i]);
		int got_errno = got < 0 ? errno : 0;

		EXPECT_EQ(want, got) TH_LOG("size %ld", sizes[i]);
		EXPECT_EQ(want_errno, got_errno) TH_LOG("size %ld", sizes[i]);
		EXPECT_EQ(tst_get_size(&oracle, fds[0]), tst_get_size(&self->pipe, self->pipe.rfd));
	}
	close(fds[0]);
	close(fds[1]);
	sweep_intact(_metadata, &self->pipe);
}

/*
 * R85, R86 and fifo(7): open() with every combination of access mode
 * and up to three flags succeeds or fails with the errno it gets on a
 * FIFO with a reader and a writer (so that no open blocks).
 */
TEST_F_TIMEOUT(sweep, open_flags_like_a_fifo, 120)
{
	static const int extra[] = {
		O_NONBLOCK, O_CLOEXEC, O_DIRECT, O_APPEND, O_TRUNC, O_CREAT, O_EXCL,
		O_NOCTTY, O_SYNC, O_NOATIME, O_DIRECTORY, O_NOFOLLOW, O_PATH, O_LARGEFILE,
	};
	const int nextra = ARRAY_SIZE(extra);
	char fifo[600];
	int keep[2], mask, acc;
	long tried = 0;

	TST_START();
	if (!self->pipe.v->has_path)
		SKIP(return, "%s: no node to open(), FIFO open rules do not apply",
		     self->pipe.v->name);
	snprintf(fifo, sizeof(fifo), "%s/oracle", self->pipe.dir[0] ? self->pipe.dir : "/tmp");
	unlink(fifo);
	ASSERT_EQ(0, mkfifo(fifo, 0600));
	keep[0] = open(fifo, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, keep[0]);
	keep[1] = open(fifo, O_WRONLY);
	ASSERT_LE(0, keep[1]);
	sweep_fill(_metadata, self->pipe.wfd);

	for (acc = 0; acc < 4; acc++) {
		for (mask = 0; mask < 1 << nextra; mask++) {
			int flags = acc, i, want, got, want_errno, got_errno;

			/* At most three extra flags at once: every pair and triple. */
			if (__builtin_popcount(mask) > 3)
				continue;
			for (i = 0; i < nextra; i++)
				if (mask & (1 << i))
					flags |= extra[i];
			want = open(fifo, flags, 0600);
			want_errno = want < 0 ? errno : 0;
			got = open(self->pipe.path, flags, 0600);
			got_errno = got < 0 ? errno : 0;
			ASSERT_EQ(want_errno, got_errno) TH_LOG("open flags %#o", flags);
			if (want >= 0)
				close(want);
			if (got >= 0)
				close(got);
			tried++;
		}
	}
	TH_LOG("%ld open flag combinations compared", tried);
	close(keep[0]);
	close(keep[1]);
	unlink(fifo);
	sweep_intact(_metadata, &self->pipe);
}

/* The control node refuses every command but its own, and bad arguments to that. */
TEST_F(sweep, control_node_rejects_garbage)
{
	struct minipipe_pair pair = { 0 };
	int ctl, fds[2], nr;

	TST_START();
	if (!tst_is_minipipe(&self->pipe))
		SKIP(return, "%s: no control node", self->pipe.v->name);
	ctl = open(MINIPIPE_CTL_PATH, O_RDONLY);
	ASSERT_LE(0, ctl);
	for (nr = 0; nr < 256; nr++) {
		unsigned long cmd = _IOWR(MINIPIPE_IOC_MAGIC, nr, struct minipipe_pair);

		if (cmd == MINIPIPE_IOC_PIPE2)
			continue;
		errno = 0;
		EXPECT_EQ(-1, ioctl(ctl, cmd, &pair));
		EXPECT_EQ(ENOTTY, errno) TH_LOG("cmd %#lx", cmd);
	}
	/* Bad pointers to the argument and inside it: EFAULT, no fd leaked. */
	EXPECT_EQ(-EFAULT, sweep_ioctl(ctl, MINIPIPE_IOC_PIPE2, 0));
	EXPECT_EQ(-EFAULT, sweep_ioctl(ctl, MINIPIPE_IOC_PIPE2, 0xffff800000000000ull));
	pair.fds = 16;
	EXPECT_EQ(-EFAULT, sweep_ioctl(ctl, MINIPIPE_IOC_PIPE2, (unsigned long)&pair));
	pair.fds = (uintptr_t)fds;
	pair.reserved = 1;
	EXPECT_EQ(-EINVAL, sweep_ioctl(ctl, MINIPIPE_IOC_PIPE2, (unsigned long)&pair));
	pair.reserved = 0;
	pair.flags = ~0u;
	EXPECT_EQ(-EINVAL, sweep_ioctl(ctl, MINIPIPE_IOC_PIPE2, (unsigned long)&pair));
	/* The fd table is as it was: the next fd is the one after ctl. */
	fds[0] = dup(ctl);
	EXPECT_EQ(ctl + 1, fds[0]);
	close(fds[0]);
	close(ctl);
	sweep_fill(_metadata, self->pipe.wfd);
	sweep_intact(_metadata, &self->pipe);
}

TEST_HARNESS_MAIN
