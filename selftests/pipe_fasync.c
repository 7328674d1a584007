// SPDX-License-Identifier: GPL-2.0
/*
 * fasync: O_ASYNC / FIOASYNC, F_SETOWN, F_SETSIG.  Rules
 * (docs/semantics.md) R130-R132, R64, R92, R30, R10.
 *
 * The signals are kept blocked and then collected with sigtimedwait()
 * (or read from /proc/<pid>/status for another process): kill_fasync()
 * queues them inside the system call, so they are pending when it
 * returns, and nothing needs to be waited for.
 *
 * Not tested: the SIGIO(POLL_OUT) that 6.1 sends when a reader is about
 * to sleep on an empty pipe (v6.15 dropped it; docs/semantics.md
 * section 16, D1).  No test lets a reader sleep while a write end has
 * O_ASYNC.
 */
#include "minipipe_test.h"

TST_FIXTURE(fasync)

#define BAND_IN		(POLLIN | POLLRDNORM)			/* 0x41 */
#define BAND_OUT	(POLLOUT | POLLWRNORM | POLLWRBAND)	/* 0x304 */

/* O_ASYNC on @fd with owner @owner and signal @sig (0: plain SIGIO). */
static int async_on(int fd, pid_t owner, int sig)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETOWN, owner) || fcntl(fd, F_SETSIG, sig))
		return -1;
	return fcntl(fd, F_SETFL, fl | O_ASYNC);
}

/* Take one pending @sig, filling @si; false if none is pending. */
static bool take(int sig, siginfo_t *si)
{
	struct timespec zero = { 0, 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	memset(si, 0, sizeof(*si));
	return sigtimedwait(&set, si, &zero) == sig;
}

/* Take every pending @sig; returns how many there were. */
static int take_all(int sig)
{
	siginfo_t si;
	int n = 0;

	while (take(sig, &si))
		n++;
	return n;
}

/* Exactly one queued @sig, from @fd with si_code @code and si_band @band. */
#define ASSERT_ONE_SIG(sig, fd, code, band) do {			\
	siginfo_t __si;							\
	ASSERT_TRUE(take((sig), &__si)) TH_LOG("no signal queued");	\
	ASSERT_EQ((sig), __si.si_signo);				\
	ASSERT_EQ((code), __si.si_code);				\
	ASSERT_EQ((fd), __si.si_fd);					\
	ASSERT_EQ((long)(band), (long)__si.si_band);			\
	ASSERT_EQ(0, take_all(sig)) TH_LOG("more than one signal");	\
} while (0)

#define ASSERT_NO_SIG(sig) ASSERT_EQ(0, take_all(sig))

/* Is @sig pending for the whole process @pid (ShdPnd of its status)? */
static int proc_pending(pid_t pid, int sig)
{
	char path[64], line[256];
	unsigned long long mask;
	int ret = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "ShdPnd: %llx", &mask) == 1) {
			ret = !!(mask & (1ull << (sig - 1)));
			break;
		}
	fclose(f);
	return ret;
}

/*
 * R130, R131: a reader-side O_ASYNC fd gets plain SIGIO (si_code
 * SI_KERNEL) at every write, into an empty or a non-empty pipe; reads
 * and zero-length writes send it nothing.
 */
TEST_F(fasync, sigio_on_every_write)
{
	siginfo_t si;
	char buf[8];

	TST_START();
	ASSERT_EQ(0, tst_block(SIGIO, true));
	ASSERT_EQ(0, async_on(self->pipe.rfd, getpid(), 0));
	ASSERT_EQ(O_ASYNC, fcntl(self->pipe.rfd, F_GETFL) & O_ASYNC);
	ASSERT_NO_SIG(SIGIO);
	ASSERT_EQ(1, write(self->pipe.wfd, "a", 1));
	ASSERT_TRUE(take(SIGIO, &si));
	ASSERT_EQ(SI_KERNEL, si.si_code);
	ASSERT_EQ(1, write(self->pipe.wfd, "b", 1));
	ASSERT_TRUE(take(SIGIO, &si));
	ASSERT_EQ(0, write(self->pipe.wfd, "c", 0));
	ASSERT_NO_SIG(SIGIO);
	ASSERT_EQ(2, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_NO_SIG(SIGIO);
}

/*
 * R130-R132: the reader's owner is signalled when data arrives, the
 * writer's owner when a read makes room; each only for its own side.
 * The writer's owner is a child that keeps SIGIO blocked: its pending
 * set is read from /proc.
 */
TEST_F(fasync, sigio_goes_to_each_owner)
{
	char buf[8];
	pid_t pid;

	TST_START();
	ASSERT_EQ(0, tst_block(SIGIO, true));
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* SIGIO stays blocked (inherited); just wait to be killed. */
		tst_ready(&self->pipe);
		for (;;)
			pause();
	}
	ASSERT_EQ(0, tst_await(&self->pipe, 1));
	ASSERT_EQ(0, async_on(self->pipe.rfd, getpid(), 0));
	ASSERT_EQ(0, async_on(self->pipe.wfd, pid, 0));
	ASSERT_EQ(pid, fcntl(self->pipe.wfd, F_GETOWN));
	ASSERT_EQ(getpid(), fcntl(self->pipe.rfd, F_GETOWN));
	ASSERT_EQ(0, proc_pending(pid, SIGIO));

	ASSERT_EQ(3, write(self->pipe.wfd, "abc", 3));
	ASSERT_EQ(1, take_all(SIGIO));
	ASSERT_EQ(0, proc_pending(pid, SIGIO));

	ASSERT_EQ(1, read(self->pipe.rfd, buf, 1));
	ASSERT_EQ(1, proc_pending(pid, SIGIO));
	ASSERT_NO_SIG(SIGIO);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	TST_ASSERT_KILLED(&self->pipe, pid, SIGKILL);
}

/*
 * R130-R132 (P53, P54): with F_SETSIG the signal is queued with
 * si_code POLL_IN / POLL_OUT, si_fd and si_band 0x41 / 0x304, once per
 * call: every write with count > 0 (also one ending in EAGAIN) to the
 * readers, every read with count > 0 (also EAGAIN) to the writers;
 * zero-length reads and writes send nothing.
 */
TEST_F(fasync, setsig_siginfo)
{
	static char buf[TST_PAGE];
	int sig = SIGRTMIN, i;

	TST_START();
	ASSERT_EQ(0, tst_block(sig, true));
	ASSERT_EQ(0, async_on(self->pipe.rfd, getpid(), sig));
	ASSERT_EQ(0, async_on(self->pipe.wfd, getpid(), sig));
	ASSERT_EQ(sig, fcntl(self->pipe.rfd, F_GETSIG));
	ASSERT_NO_SIG(sig);

	ASSERT_EQ(2, write(self->pipe.wfd, "xy", 2));
	ASSERT_ONE_SIG(sig, self->pipe.rfd, POLL_IN, BAND_IN);
	ASSERT_EQ(1, read(self->pipe.rfd, buf, 1));
	ASSERT_ONE_SIG(sig, self->pipe.wfd, POLL_OUT, BAND_OUT);
	ASSERT_EQ(0, read(self->pipe.rfd, buf, 0));
	ASSERT_EQ(0, write(self->pipe.wfd, buf, 0));
	ASSERT_NO_SIG(sig);
	ASSERT_EQ(1, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_ONE_SIG(sig, self->pipe.wfd, POLL_OUT, BAND_OUT);

	/* A read that ends in EAGAIN still signals the writers. */
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.rfd, true));
	ASSERT_EQ(-1, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_ONE_SIG(sig, self->pipe.wfd, POLL_OUT, BAND_OUT);

	/* One signal per write, also into a non-empty pipe. */
	for (i = 0; i < TST_SLOTS; i++)
		ASSERT_EQ(TST_PAGE, write(self->pipe.wfd, buf, TST_PAGE));
	ASSERT_EQ(TST_SLOTS, take_all(sig));
	/* A write that ends in EAGAIN still signals the readers. */
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	ASSERT_EQ(-1, write(self->pipe.wfd, buf, sizeof(buf)));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_ONE_SIG(sig, self->pipe.rfd, POLL_IN, BAND_IN);
}

/*
 * R131, R64: the last writer's close signals the readers (POLL_IN); a
 * close that is not the last one signals nobody.
 */
TEST_F(fasync, last_writer_close)
{
	int sig = SIGRTMIN + 1, w2;

	TST_START();
	ASSERT_EQ(0, tst_block(sig, true));
	ASSERT_EQ(0, async_on(self->pipe.rfd, getpid(), sig));
	ASSERT_EQ(0, async_on(self->pipe.wfd, getpid(), sig));
	w2 = dup(self->pipe.wfd);
	ASSERT_LE(0, w2);
	tst_close(&self->pipe.wfd);
	ASSERT_NO_SIG(sig);
	close(w2);
	ASSERT_ONE_SIG(sig, self->pipe.rfd, POLL_IN, BAND_IN);
}

/* R132, R64: the last reader's close signals the writers (POLL_OUT). */
TEST_F(fasync, last_reader_close)
{
	int sig = SIGRTMIN + 2, r2;

	TST_START();
	ASSERT_EQ(0, tst_block(sig, true));
	ASSERT_EQ(0, async_on(self->pipe.rfd, getpid(), sig));
	ASSERT_EQ(0, async_on(self->pipe.wfd, getpid(), sig));
	ASSERT_EQ(1, write(self->pipe.wfd, "d", 1));
	ASSERT_ONE_SIG(sig, self->pipe.rfd, POLL_IN, BAND_IN);
	r2 = dup(self->pipe.rfd);
	ASSERT_LE(0, r2);
	tst_close(&self->pipe.rfd);
	ASSERT_NO_SIG(sig);
	close(r2);
	ASSERT_ONE_SIG(sig, self->pipe.wfd, POLL_OUT, BAND_OUT);
	/* And the write now fails with EPIPE (SIGPIPE is ignored here). */
	ASSERT_EQ(-1, write(self->pipe.wfd, "e", 1));
	ASSERT_EQ(EPIPE, errno);
}

/*
 * R131: a writer that has to sleep on a full pipe signals the readers
 * before it sleeps, and again when its write is done.
 */
TEST_F(fasync, blocked_writer_signals_before_sleeping)
{
	static char buf[TST_PAGE];
	int sig = SIGRTMIN + 3;
	pid_t pid;

	TST_START();
	ASSERT_EQ(0, tst_block(sig, true));
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	ASSERT_EQ(0, async_on(self->pipe.rfd, getpid(), sig));
	ASSERT_NO_SIG(sig);
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.rfd);
		tst_ready(&self->pipe);
		_exit(write(self->pipe.wfd, buf, TST_PAGE) == TST_PAGE ? 0 : 1);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	ASSERT_ONE_SIG(sig, self->pipe.rfd, POLL_IN, BAND_IN);
	ASSERT_EQ(TST_PAGE, read(self->pipe.rfd, buf, TST_PAGE));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_ONE_SIG(sig, self->pipe.rfd, POLL_IN, BAND_IN);
}

/*
 * R130, R92: FIOASYNC switches O_ASYNC like F_SETFL does (the VFS calls
 * the file's fasync); switched off, no more SIGIO.
 */
TEST_F(fasync, fioasync_ioctl)
{
	int on = 1, off = 0;
	siginfo_t si;
	char buf[8];

	TST_START();
	ASSERT_EQ(0, tst_block(SIGIO, true));
	ASSERT_EQ(0, fcntl(self->pipe.rfd, F_SETOWN, getpid()));
	ASSERT_EQ(0, fcntl(self->pipe.wfd, F_SETOWN, getpid()));
	ASSERT_EQ(0, ioctl(self->pipe.rfd, FIOASYNC, &on));
	ASSERT_EQ(O_ASYNC, fcntl(self->pipe.rfd, F_GETFL) & O_ASYNC);
	ASSERT_EQ(1, write(self->pipe.wfd, "f", 1));
	ASSERT_TRUE(take(SIGIO, &si));
	ASSERT_EQ(SI_KERNEL, si.si_code);
	ASSERT_EQ(0, ioctl(self->pipe.wfd, FIOASYNC, &on));
	ASSERT_EQ(1, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_TRUE(take(SIGIO, &si));

	ASSERT_EQ(0, ioctl(self->pipe.rfd, FIOASYNC, &off));
	ASSERT_EQ(0, ioctl(self->pipe.wfd, FIOASYNC, &off));
	ASSERT_EQ(0, fcntl(self->pipe.rfd, F_GETFL) & O_ASYNC);
	ASSERT_EQ(1, write(self->pipe.wfd, "g", 1));
	ASSERT_EQ(1, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_NO_SIG(SIGIO);
}

/*
 * R130: an O_RDWR FIFO fd is on both lists: a write through it signals
 * POLL_IN, a read through it POLL_OUT, both with its own si_fd.
 */
TEST_F(fasync, rdwr_fd_on_both_lists)
{
	int sig = SIGRTMIN + 4, fd;
	char c;

	TST_START_NAMED();
	ASSERT_EQ(0, tst_block(sig, true));
	fd = open(self->pipe.path, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, async_on(fd, getpid(), sig));
	ASSERT_EQ(1, write(fd, "h", 1));
	ASSERT_ONE_SIG(sig, fd, POLL_IN, BAND_IN);
	ASSERT_EQ(1, read(fd, &c, 1));
	ASSERT_ONE_SIG(sig, fd, POLL_OUT, BAND_OUT);
	close(fd);
	ASSERT_NO_SIG(sig);
}

TEST_HARNESS_MAIN
