// SPDX-License-Identifier: GPL-2.0
/*
 * The pipe2(2) surface: flags, errors and close-on-exec, for pipe2(2)
 * itself (variant "pipe") and for minipipe_pipe2() (variant
 * "minipipe_pair"), with the same assertions.  The named variants have
 * no pipe2() and SKIP.  Rules (docs/semantics.md) R111, R160, R161 (LTP
 * pipe05-07, pipe2_01, pipe2_02).
 *
 * The binary doubles as the exec helper of pipe2_02: run as
 *	pipe_pipe2 --mp-exec-check FD...
 * it exits with a bit mask of the FDs that are still open.
 */
#include <dirent.h>
#include <sys/resource.h>

#include "minipipe_test.h"

TST_FIXTURE(pipe2)

#define EXEC_CHECK_ARG	"--mp-exec-check"

/* First statement of a test about pipe2(): only anonymous pairs have one. */
#define TST_START_ANON() do {						\
	TST_START();							\
	if (!tst_is_anon(&self->pipe))					\
		SKIP(return, "%s: a named pipe, made by open(), not pipe2()", \
		     self->pipe.v->name);					\
} while (0)

/* Open fds of this process (the directory fd counts each time alike). */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static bool fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

/* The pair works, in the right direction only (R161, R18, R41). */
static void check_pair(struct __test_metadata *_metadata, int fds[2])
{
	char c = 0;

	ASSERT_EQ(O_RDONLY, fcntl(fds[0], F_GETFL) & O_ACCMODE);
	ASSERT_EQ(O_WRONLY, fcntl(fds[1], F_GETFL) & O_ACCMODE);
	ASSERT_EQ(1, write(fds[1], "p", 1));
	ASSERT_EQ(1, tst_nread(fds[0]));
	ASSERT_EQ(1, read(fds[0], &c, 1));
	ASSERT_EQ('p', c);
	ASSERT_EQ(-1, write(fds[0], "p", 1));
	ASSERT_EQ(EBADF, errno);
	ASSERT_EQ(-1, read(fds[1], &c, 1));
	ASSERT_EQ(EBADF, errno);
}

/* R111, R160 (LTP pipe2_01): flags 0 -> no flag on either end. */
TEST_F(pipe2, flags_zero)
{
	int fds[2] = { -1, -1 }, i;

	TST_START_ANON();
	ASSERT_EQ(0, tst_pipe2(&self->pipe, fds, 0));
	for (i = 0; i < 2; i++) {
		int fl = fcntl(fds[i], F_GETFL);

		ASSERT_LE(0, fl);
		ASSERT_EQ(0, fl & (O_NONBLOCK | O_DIRECT | O_ASYNC));
		ASSERT_EQ(0, fcntl(fds[i], F_GETFD));
	}
	check_pair(_metadata, fds);
	close(fds[0]);
	close(fds[1]);
}

/* R111, R11 (LTP pipe2_01): O_NONBLOCK is set on both ends, and works. */
TEST_F(pipe2, flag_nonblock)
{
	int fds[2] = { -1, -1 }, i;
	char c;

	TST_START_ANON();
	ASSERT_EQ(0, tst_pipe2(&self->pipe, fds, O_NONBLOCK));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(O_NONBLOCK, fcntl(fds[i], F_GETFL) & (O_NONBLOCK | O_DIRECT));
		ASSERT_EQ(0, fcntl(fds[i], F_GETFD));
	}
	ASSERT_EQ(-1, read(fds[0], &c, 1));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(TST_CAPACITY, tst_fill(fds[1]));
	ASSERT_EQ(-1, write(fds[1], "x", 1));
	ASSERT_EQ(EAGAIN, errno);
	close(fds[0]);
	close(fds[1]);
}

/* R111 (LTP pipe2_01): O_CLOEXEC sets FD_CLOEXEC on both fds. */
TEST_F(pipe2, flag_cloexec)
{
	int fds[2] = { -1, -1 }, i;

	TST_START_ANON();
	ASSERT_EQ(0, tst_pipe2(&self->pipe, fds, O_CLOEXEC));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(FD_CLOEXEC, fcntl(fds[i], F_GETFD));
		ASSERT_EQ(0, fcntl(fds[i], F_GETFL) & (O_NONBLOCK | O_DIRECT));
	}
	check_pair(_metadata, fds);
	close(fds[0]);
	close(fds[1]);
}

/*
 * R111, R120 (LTP pipe2_01): O_DIRECT is set on the write end only, and
 * that end writes packets.
 */
TEST_F(pipe2, flag_direct_write_end_only)
{
	static char buf[8192];
	int fds[2] = { -1, -1 };

	TST_START_ANON();
	ASSERT_EQ(0, tst_pipe2(&self->pipe, fds, O_DIRECT));
	ASSERT_EQ(0, fcntl(fds[0], F_GETFL) & (O_DIRECT | O_NONBLOCK));
	ASSERT_EQ(O_DIRECT, fcntl(fds[1], F_GETFL) & (O_DIRECT | O_NONBLOCK));
	ASSERT_EQ(0, fcntl(fds[0], F_GETFD));
	ASSERT_EQ(0, fcntl(fds[1], F_GETFD));
	ASSERT_EQ(5000, tst_write_pattern(fds[1], 5000, 1, 0));
	ASSERT_EQ(4096, read(fds[0], buf, sizeof(buf)));
	ASSERT_EQ(904, read(fds[0], buf + 4096, sizeof(buf) - 4096));
	ASSERT_EQ(-1, tst_check_pattern(buf, 5000, 1, 0));
	close(fds[0]);
	close(fds[1]);
}

/* R111: the three flags together, each where it belongs. */
TEST_F(pipe2, all_flags)
{
	int fds[2] = { -1, -1 };

	TST_START_ANON();
	ASSERT_EQ(0, tst_pipe2(&self->pipe, fds, O_NONBLOCK | O_CLOEXEC | O_DIRECT));
	ASSERT_EQ(O_NONBLOCK, fcntl(fds[0], F_GETFL) & (O_NONBLOCK | O_DIRECT));
	ASSERT_EQ(O_NONBLOCK | O_DIRECT, fcntl(fds[1], F_GETFL) & (O_NONBLOCK | O_DIRECT));
	ASSERT_EQ(FD_CLOEXEC, fcntl(fds[0], F_GETFD));
	ASSERT_EQ(FD_CLOEXEC, fcntl(fds[1], F_GETFD));
	close(fds[0]);
	close(fds[1]);
}

/*
 * R111: any flag but O_CLOEXEC, O_NONBLOCK, O_DIRECT (and
 * O_NOTIFICATION_PIPE = O_EXCL, watch queues, which minipipe does not
 * have: docs/semantics.md section 18, item 6) -> EINVAL, alone or with the
 * valid ones, and no fd is taken.
 */
TEST_F(pipe2, other_flags_einval)
{
	const int ok = O_CLOEXEC | O_NONBLOCK | O_DIRECT | O_EXCL;
	int fds[2], before, bit;

	TST_START_ANON();
	before = count_fds();
	ASSERT_LT(0, before);
	for (bit = 0; bit < 32; bit++) {
		int flag = (int)(1u << bit);

		if (flag & ok)
			continue;
		fds[0] = fds[1] = -7;
		ASSERT_EQ(-1, tst_pipe2(&self->pipe, fds, flag)) TH_LOG("flag 0x%x", flag);
		ASSERT_EQ(EINVAL, errno) TH_LOG("flag 0x%x", flag);
		ASSERT_EQ(-1, tst_pipe2(&self->pipe, fds, flag | O_CLOEXEC | O_NONBLOCK));
		ASSERT_EQ(EINVAL, errno) TH_LOG("flag 0x%x with valid ones", flag);
		/* Untouched on failure. */
		ASSERT_EQ(-7, fds[0]);
		ASSERT_EQ(-7, fds[1]);
	}
	ASSERT_EQ(-1, tst_pipe2(&self->pipe, fds, O_RDWR));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, tst_pipe2(&self->pipe, fds, -1));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(before, count_fds());
}

/*
 * R111 (LTP pipe05): a bad fd array -> EFAULT, after the files were made
 * and freed again: no fd is left behind, and the lowest free fd number
 * is still free.  Unmapped, read-only, NULL, a kernel address and an
 * array whose second int is unmapped; with and without flags.
 */
TEST_F(pipe2, bad_pointer_efault_no_leak)
{
	const int flagsets[] = { 0, O_CLOEXEC, O_NONBLOCK | O_DIRECT };
	int *bad[5], before, lowest, i, j;
	unsigned long refcnt;
	char *ro, *hole;

	TST_START_ANON();
	ro = mmap(NULL, TST_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	hole = tst_hole_buf(1);
	ASSERT_NE(NULL, hole);
	bad[0] = NULL;
	bad[1] = (int *)1;
	bad[2] = (int *)ro;
	bad[3] = (int *)0xffffffff81000000ul;
	bad[4] = (int *)(hole + TST_PAGE - sizeof(int));	/* fds[1] faults */

	lowest = open("/dev/null", O_RDONLY);
	ASSERT_LE(0, lowest);
	close(lowest);
	before = count_fds();
	ASSERT_LT(0, before);
	/* The module's count: the fixture's two ends hold it at least twice. */
	refcnt = tst_read_ulong("/sys/module/minipipe/refcnt");
	if (tst_is_minipipe(&self->pipe))
		ASSERT_LE(2, refcnt);
	for (i = 0; i < (int)ARRAY_SIZE(bad); i++) {
		for (j = 0; j < (int)ARRAY_SIZE(flagsets); j++) {
			ASSERT_EQ(-1, tst_pipe2(&self->pipe, bad[i], flagsets[j]));
			ASSERT_EQ(EFAULT, errno) TH_LOG("pointer #%d flags 0x%x", i, flagsets[j]);
			ASSERT_EQ(before, count_fds()) TH_LOG("pointer #%d leaked an fd", i);
		}
	}
	i = open("/dev/null", O_RDONLY);
	ASSERT_EQ(lowest, i);
	close(i);
	/* No failed call kept a file, which would hold the module. */
	if (tst_is_minipipe(&self->pipe))
		EXPECT_EQ(refcnt, tst_read_ulong("/sys/module/minipipe/refcnt"));
	/* And the call still works afterwards. */
	{
		int fds[2];

		ASSERT_EQ(0, tst_pipe2(&self->pipe, fds, 0));
		check_pair(_metadata, fds);
		close(fds[0]);
		close(fds[1]);
	}
	munmap(ro, TST_PAGE);
	munmap(hole, 2 * TST_PAGE);
}

/* Child of emfile_*: open /dev/null until EMFILE; returns how many. */
static int fill_fd_table(int *opened, int max)
{
	int n = 0, fd;

	while (n < max && (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
		opened[n++] = fd;
	return errno == EMFILE ? n : -1;
}

/*
 * R111 (LTP pipe06, pipe07): with the fd table full -> EMFILE; with one
 * free slot -> still EMFILE and that slot is not consumed; with 2k + 1
 * free slots exactly k pairs are made, then EMFILE.  In a child with
 * RLIMIT_NOFILE lowered.
 */
TEST_F(pipe2, fd_table_full_emfile)
{
	pid_t pid;

	TST_START_ANON();
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static int opened[256];
		struct rlimit rl;
		int n, fds[2], fd, k;

		if (getrlimit(RLIMIT_NOFILE, &rl))
			_exit(10);
		rl.rlim_cur = 64;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			_exit(11);
		n = fill_fd_table(opened, ARRAY_SIZE(opened));
		if (n < 5)
			_exit(12);
		/* Full. */
		if (tst_pipe2(&self->pipe, fds, 0) != -1 || errno != EMFILE)
			_exit(13);
		if (tst_pipe2(&self->pipe, fds, O_CLOEXEC) != -1 || errno != EMFILE)
			_exit(14);
		/* One free slot: not enough, and not consumed. */
		fd = opened[--n];
		close(fd);
		if (tst_pipe2(&self->pipe, fds, 0) != -1 || errno != EMFILE)
			_exit(15);
		if (open("/dev/null", O_RDONLY) != fd)
			_exit(16);
		if (open("/dev/null", O_RDONLY) != -1 || errno != EMFILE)
			_exit(17);
		/* Five free slots (plus the one refilled): two pairs, then EMFILE. */
		for (k = 0; k < 5; k++)
			close(opened[--n]);
		for (k = 0; k < 2; k++) {
			if (tst_pipe2(&self->pipe, fds, 0))
				_exit(18);
			if (write(fds[1], "e", 1) != 1)
				_exit(19);
		}
		if (tst_pipe2(&self->pipe, fds, 0) != -1 || errno != EMFILE)
			_exit(20);
		/* The last free slot is still free. */
		if (open("/dev/null", O_RDONLY) < 0)
			_exit(21);
		_exit(0);
	}
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
}

/*
 * R111 (LTP pipe2_02): O_CLOEXEC fds are closed by execve(), others stay
 * open and keep working.  The child re-executes this binary, which
 * reports which fds it inherited (see main()).
 */
TEST_F(pipe2, cloexec_closed_by_exec)
{
	int cx[2] = { -1, -1 }, keep[2] = { -1, -1 };
	pid_t pid;

	TST_START_ANON();
	ASSERT_EQ(0, tst_pipe2(&self->pipe, cx, O_CLOEXEC));
	ASSERT_EQ(0, tst_pipe2(&self->pipe, keep, 0));
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char a[4][16];

		snprintf(a[0], sizeof(a[0]), "%d", cx[0]);
		snprintf(a[1], sizeof(a[1]), "%d", cx[1]);
		snprintf(a[2], sizeof(a[2]), "%d", keep[0]);
		snprintf(a[3], sizeof(a[3]), "%d", keep[1]);
		execl("/proc/self/exe", "pipe_pipe2", EXEC_CHECK_ARG,
		      a[0], a[1], a[2], a[3], (char *)NULL);
		_exit(100);
	}
	/* Bits 2 and 3: keep[] open; bit 4: keep[] still a working pair. */
	TST_ASSERT_EXIT(&self->pipe, pid, 4 | 8 | 16);
	/* Our own fds are untouched. */
	ASSERT_TRUE(fd_is_open(cx[0]));
	ASSERT_TRUE(fd_is_open(cx[1]));
	ASSERT_EQ(0, tst_nread(keep[0]));
}

/*
 * The UAPI of minipipe_pipe2() itself (module/uapi/minipipe.h, no kernel
 * counterpart, so minipipe_pair only): struct minipipe_pair.reserved must
 * be 0, and the control node knows no other ioctl (ENOTTY).
 */
TEST_F(pipe2, ctl_uapi_reserved_einval)
{
	int fds[2] = { -7, -7 }, ctl, before;
	struct minipipe_pair pair = {
		.fds = (uintptr_t)fds,
		.flags = 0,
		.reserved = 1,
	};

	TST_START();
	if (!tst_is_anon(&self->pipe) || !tst_is_minipipe(&self->pipe))
		SKIP(return, "%s: the control node's UAPI is minipipe_pair's",
		     self->pipe.v->name);
	ctl = open(MINIPIPE_CTL_PATH, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, ctl);
	before = count_fds();
	ASSERT_EQ(-1, ioctl(ctl, MINIPIPE_IOC_PIPE2, &pair));
	ASSERT_EQ(EINVAL, errno);
	pair.reserved = 0x80000000u;
	ASSERT_EQ(-1, ioctl(ctl, MINIPIPE_IOC_PIPE2, &pair));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-7, fds[0]);
	ASSERT_EQ(before, count_fds());
	ASSERT_EQ(-1, ioctl(ctl, MINIPIPE_IOC_PIPE2, (void *)1));
	ASSERT_EQ(EFAULT, errno);
	/* A pipe end's ioctl is not the control node's. */
	ASSERT_EQ(-1, ioctl(ctl, MINIPIPE_IOC_GET_SIZE));
	ASSERT_EQ(ENOTTY, errno);
	pair.reserved = 0;
	ASSERT_EQ(0, ioctl(ctl, MINIPIPE_IOC_PIPE2, &pair));
	check_pair(_metadata, fds);
	close(fds[0]);
	close(fds[1]);
	close(ctl);
}

/*
 * Exec helper: exit status bit i (i < 4) is set when argv fd i is open;
 * bit 4 when fds 2 and 3 form a working pair.
 */
static int exec_check(int argc, char **argv)
{
	int fd[4], i, st = 0;
	char c = 0;

	if (argc != 6)
		return 99;
	for (i = 0; i < 4; i++) {
		fd[i] = atoi(argv[2 + i]);
		if (fd_is_open(fd[i]))
			st |= 1 << i;
	}
	if ((st & 12) == 12 && write(fd[3], "k", 1) == 1 &&
	    read(fd[2], &c, 1) == 1 && c == 'k')
		st |= 16;
	return st;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], EXEC_CHECK_ARG))
		return exec_check(argc, argv);
	return test_harness_run(argc, argv);
}
