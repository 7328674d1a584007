// SPDX-License-Identifier: GPL-2.0
/*
 * FIFO open rules (R80-R86), close/release (R64, R70-R72): who blocks in
 * open(), who wakes whom, and when queued data is thrown away.  Tests
 * about open() SKIP on the anonymous pipe variant, which has no node.
 * The node's permissions (R89) are checked where make check runs this
 * program as an unprivileged user.
 */
#include "minipipe_test.h"

TST_FIXTURE(open)

#define NKIDS 3

/* R80: open(O_RDONLY) with no writer blocks until a writer opens. */
TEST_F(open, rdonly_blocks_until_writer)
{
	char c;
	pid_t pid;
	int w;

	TST_START_NAMED();
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int r;

		tst_ready(&self->pipe);
		r = open(self->pipe.path, O_RDONLY);
		if (r < 0)
			_exit(1);
		if (read(r, &c, 1) != 1 || c != 'x')
			_exit(2);
		_exit(0);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	w = tst_open_timeout(self->pipe.path, O_WRONLY, TST_WATCHDOG_SECS);
	ASSERT_LE(0, w);
	ASSERT_EQ(1, write(w, "x", 1));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	close(w);
}

/* R80: with a writer present, open(O_RDONLY) returns at once. */
TEST_F(open, rdonly_with_writer_is_immediate)
{
	char buf[8];
	int r0, w, r;

	TST_START_NAMED();
	r0 = open(self->pipe.path, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, r0);
	w = open(self->pipe.path, O_WRONLY);
	ASSERT_LE(0, w);
	close(r0);
	r = tst_open_timeout(self->pipe.path, O_RDONLY, TST_WATCHDOG_SECS);
	ASSERT_LE(0, r) TH_LOG("open: %s", strerror(errno));
	ASSERT_EQ(2, write(w, "hi", 2));
	ASSERT_EQ(2, read(r, buf, sizeof(buf)));
	close(r);
	close(w);
}

/* R81, R12: O_RDONLY|O_NONBLOCK opens with no writer; read gives EOF. */
TEST_F(open, rdonly_nonblock_no_writer)
{
	char c;
	int r;

	TST_START_NAMED();
	r = open(self->pipe.path, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, r);
	ASSERT_EQ(0, read(r, &c, 1));
	ASSERT_EQ(0, tst_nread(r));
	/* Blocking read without writers does not block either. */
	ASSERT_EQ(0, tst_set_nonblock(r, false));
	tst_watchdog(TST_WATCHDOG_SECS);
	ASSERT_EQ(0, read(r, &c, 1));
	tst_watchdog(0);
	close(r);
}

/* R82: open(O_WRONLY) with no reader blocks until a reader opens. */
TEST_F(open, wronly_blocks_until_reader)
{
	char buf[8];
	pid_t pid;
	int r;

	TST_START_NAMED();
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int w;

		tst_ready(&self->pipe);
		w = open(self->pipe.path, O_WRONLY);
		if (w < 0)
			_exit(1);
		_exit(write(w, "y", 1) == 1 ? 0 : 2);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	r = open(self->pipe.path, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, r);
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_EQ(1, read(r, buf, sizeof(buf)));
	ASSERT_EQ('y', buf[0]);
	close(r);
}

/*
 * R82: O_WRONLY|O_NONBLOCK with no reader fails with ENXIO and has no
 * side effect: a reader opened afterwards still waits for a writer.
 */
TEST_F(open, wronly_nonblock_enxio)
{
	pid_t pid;
	int w;

	TST_START_NAMED();
	ASSERT_EQ(-1, open(self->pipe.path, O_WRONLY | O_NONBLOCK));
	ASSERT_EQ(ENXIO, errno);
	ASSERT_EQ(-1, open(self->pipe.path, O_WRONLY | O_NONBLOCK));
	ASSERT_EQ(ENXIO, errno);
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int r;
		char c;

		tst_ready(&self->pipe);
		r = open(self->pipe.path, O_RDONLY);
		if (r < 0)
			_exit(1);
		_exit(read(r, &c, 1) == 0 ? 0 : 2);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	w = tst_open_timeout(self->pipe.path, O_WRONLY, TST_WATCHDOG_SECS);
	ASSERT_LE(0, w);
	close(w);
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
}

/*
 * R83: O_RDWR never blocks, with or without O_NONBLOCK; the fd counts as
 * reader and writer, so O_WRONLY|O_NONBLOCK and O_RDONLY then succeed.
 */
TEST_F(open, rdwr_never_blocks)
{
	char buf[8];
	int fd, fd2, w, r;

	TST_START_NAMED();
	fd = tst_open_timeout(self->pipe.path, O_RDWR, TST_WATCHDOG_SECS);
	ASSERT_LE(0, fd);
	fd2 = open(self->pipe.path, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, fd2);
	w = open(self->pipe.path, O_WRONLY | O_NONBLOCK);
	ASSERT_LE(0, w) TH_LOG("O_WRONLY|O_NONBLOCK: %s", strerror(errno));
	r = tst_open_timeout(self->pipe.path, O_RDONLY, TST_WATCHDOG_SECS);
	ASSERT_LE(0, r) TH_LOG("O_RDONLY: %s", strerror(errno));
	ASSERT_EQ(3, write(w, "abc", 3));
	ASSERT_EQ(3, tst_nread(fd));
	ASSERT_EQ(3, read(r, buf, sizeof(buf)));
	close(r);
	close(w);
	close(fd2);
	close(fd);
}

/* R83: a process can talk to itself through one O_RDWR fd. */
TEST_F(open, rdwr_reads_own_writes)
{
	char buf[16] = "";
	int fd;

	TST_START_NAMED();
	fd = open(self->pipe.path, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(5, write(fd, "hello", 5));
	ASSERT_EQ(5, tst_nread(fd));
	ASSERT_EQ(5, read(fd, buf, sizeof(buf)));
	ASSERT_STREQ("hello", buf);
	/* It is a writer itself: empty means EAGAIN, not EOF. */
	ASSERT_EQ(0, tst_set_nonblock(fd, true));
	ASSERT_EQ(-1, read(fd, buf, sizeof(buf)));
	ASSERT_EQ(EAGAIN, errno);
	close(fd);
}

/* R85: access mode 3 (neither read nor write) -> EINVAL, no side effect. */
TEST_F(open, accmode_3_einval)
{
	TST_START_NAMED();
	ASSERT_EQ(-1, open(self->pipe.path, O_ACCMODE));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, open(self->pipe.path, O_ACCMODE | O_NONBLOCK));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, open(self->pipe.path, O_WRONLY | O_NONBLOCK));
	ASSERT_EQ(ENXIO, errno);
}

/* R86: open() with O_DIRECT fails with EINVAL. */
TEST_F(open, odirect_open_einval)
{
	TST_START_NAMED();
	ASSERT_EQ(-1, open(self->pipe.path, O_RDWR | O_DIRECT));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, open(self->pipe.path, O_RDONLY | O_NONBLOCK | O_DIRECT));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, open(self->pipe.path, O_WRONLY | O_NONBLOCK));
	ASSERT_EQ(ENXIO, errno);
}

/*
 * R86, R160: fcntl(F_SETFL, O_DIRECT) is accepted on pipe and FIFO fds
 * and shows in F_GETFL (what O_DIRECT then does is section 11).
 */
TEST_F(open, setfl_odirect_accepted)
{
	int fl;

	TST_START();
	fl = fcntl(self->pipe.wfd, F_GETFL);
	ASSERT_LE(0, fl);
	ASSERT_EQ(0, fl & O_DIRECT);
	ASSERT_EQ(0, fcntl(self->pipe.wfd, F_SETFL, fl | O_DIRECT));
	ASSERT_EQ(O_DIRECT, fcntl(self->pipe.wfd, F_GETFL) & O_DIRECT);
	ASSERT_EQ(0, fcntl(self->pipe.wfd, F_SETFL, fl));
	ASSERT_EQ(0, fcntl(self->pipe.wfd, F_GETFL) & O_DIRECT);
}

/* R160: F_GETFL shows the access mode of each end. */
TEST_F(open, getfl_access_modes)
{
	TST_START();
	ASSERT_EQ(O_RDONLY, fcntl(self->pipe.rfd, F_GETFL) & O_ACCMODE);
	ASSERT_EQ(O_WRONLY, fcntl(self->pipe.wfd, F_GETFL) & O_ACCMODE);
	ASSERT_EQ(0, fcntl(self->pipe.rfd, F_GETFL) & O_NONBLOCK);
	ASSERT_EQ(0, fcntl(self->pipe.wfd, F_GETFL) & O_NONBLOCK);
}

/* R66, R80: one writer's open releases every reader blocked in open(). */
TEST_F(open, writer_releases_all_blocked_readers)
{
	pid_t pids[NKIDS];
	int i, w;

	TST_START_NAMED();
	for (i = 0; i < NKIDS; i++) {
		pids[i] = tst_fork(&self->pipe);
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			int r;
			char c;

			tst_ready(&self->pipe);
			r = open(self->pipe.path, O_RDONLY);
			if (r < 0)
				_exit(1);
			_exit(read(r, &c, 1) == 0 ? 0 : 2);
		}
	}
	TST_ASSERT_ALL_BLOCKED(&self->pipe, pids, NKIDS);
	w = tst_open_timeout(self->pipe.path, O_WRONLY, TST_WATCHDOG_SECS);
	ASSERT_LE(0, w);
	close(w);
	for (i = 0; i < NKIDS; i++)
		TST_ASSERT_EXIT(&self->pipe, pids[i], 0);
}

/* R66, R82: one reader's open releases every writer blocked in open(). */
TEST_F(open, reader_releases_all_blocked_writers)
{
	char buf[16];
	pid_t pids[NKIDS];
	int i, r;

	TST_START_NAMED();
	for (i = 0; i < NKIDS; i++) {
		pids[i] = tst_fork(&self->pipe);
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			int w;

			tst_ready(&self->pipe);
			w = open(self->pipe.path, O_WRONLY);
			if (w < 0)
				_exit(1);
			_exit(write(w, "w", 1) == 1 ? 0 : 2);
		}
	}
	TST_ASSERT_ALL_BLOCKED(&self->pipe, pids, NKIDS);
	r = open(self->pipe.path, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, r);
	for (i = 0; i < NKIDS; i++)
		TST_ASSERT_EXIT(&self->pipe, pids[i], 0);
	ASSERT_EQ(NKIDS, read(r, buf, sizeof(buf)));
	close(r);
}

/*
 * R80: the reader waits for the writer *counter* to change, so a writer
 * that opens and closes again at once still releases it (it then sees
 * EOF).  Whether the reader runs in between or not, it must return.
 */
TEST_F(open, reader_released_by_transient_writer)
{
	pid_t pid;
	int w;

	TST_START_NAMED();
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int r;
		char c;

		tst_ready(&self->pipe);
		r = open(self->pipe.path, O_RDONLY);
		if (r < 0)
			_exit(1);
		_exit(read(r, &c, 1) == 0 ? 0 : 2);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	w = open(self->pipe.path, O_WRONLY | O_NONBLOCK);
	ASSERT_LE(0, w);
	close(w);
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
}

/* R82: likewise a transient reader releases a writer blocked in open(). */
TEST_F(open, writer_released_by_transient_reader)
{
	pid_t pid;
	int r;

	TST_START_NAMED();
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		ssize_t n;
		int w;

		tst_ready(&self->pipe);
		w = open(self->pipe.path, O_WRONLY);
		if (w < 0)
			_exit(1);
		/* The reader may or may not be gone yet (SIGPIPE ignored). */
		n = write(w, "z", 1);
		_exit(n == 1 || (n == -1 && errno == EPIPE) ? 0 : 2);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	r = open(self->pipe.path, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, r);
	close(r);
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
}

/* R72: when the last fd closes, unread data is discarded. */
TEST_F(open, discard_on_last_close)
{
	char buf[8];

	TST_START();
	if (!self->pipe.v->has_path)
		SKIP(return, "%s: cannot be reopened once closed", self->pipe.v->name);
	ASSERT_EQ(3, write(self->pipe.wfd, "abc", 3));
	ASSERT_EQ(TST_CAPACITY - 4096, tst_fill(self->pipe.wfd));
	tst_close_pair(&self->pipe);
	ASSERT_EQ(0, tst_open_pair(&self->pipe));
	ASSERT_EQ(0, tst_nread(self->pipe.rfd));
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.rfd, true));
	ASSERT_EQ(-1, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(EAGAIN, errno);
	/* ...and the capacity is the default again. */
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
}

/* R72, R12: data survives the writer's close while a reader stays. */
TEST_F(open, data_kept_while_reader_open)
{
	char buf[8] = "";
	int w2;

	TST_START();
	if (!self->pipe.v->has_path)
		SKIP(return, "%s: no second writer can be opened", self->pipe.v->name);
	ASSERT_EQ(3, write(self->pipe.wfd, "abc", 3));
	tst_close(&self->pipe.wfd);
	w2 = open(self->pipe.path, O_WRONLY | O_NONBLOCK);
	ASSERT_LE(0, w2);
	ASSERT_EQ(3, tst_nread(self->pipe.rfd));
	ASSERT_EQ(3, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_STREQ("abc", buf);
	close(w2);
}

/* R72: data survives the reader's close while a writer stays. */
TEST_F(open, data_kept_while_writer_open)
{
	char buf[8] = "";
	int r2;

	TST_START();
	if (!self->pipe.v->has_path)
		SKIP(return, "%s: no second reader can be opened", self->pipe.v->name);
	ASSERT_EQ(3, write(self->pipe.wfd, "abc", 3));
	tst_close(&self->pipe.rfd);
	r2 = tst_open_timeout(self->pipe.path, O_RDONLY, TST_WATCHDOG_SECS);
	ASSERT_LE(0, r2);
	ASSERT_EQ(3, read(r2, buf, sizeof(buf)));
	ASSERT_STREQ("abc", buf);
	close(r2);
}

/* R72, R83: an O_RDWR fd alone keeps the data; its close discards it. */
TEST_F(open, rdwr_close_discards)
{
	char buf[8];
	int fd;

	TST_START_NAMED();
	fd = open(self->pipe.path, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(3, write(fd, "abc", 3));
	close(fd);
	fd = open(self->pipe.path, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, tst_nread(fd));
	ASSERT_EQ(-1, read(fd, buf, sizeof(buf)));
	ASSERT_EQ(EAGAIN, errno);
	close(fd);
}

/*
 * R70: counts are per open file description.  With two writer opens,
 * closing one is not EOF; closing both is.
 */
TEST_F(open, two_writer_opens)
{
	char c;
	int w2;

	TST_START();
	if (!self->pipe.v->has_path)
		SKIP(return, "%s: no second writer can be opened", self->pipe.v->name);
	w2 = open(self->pipe.path, O_WRONLY);
	ASSERT_LE(0, w2);
	tst_close(&self->pipe.wfd);
	ASSERT_EQ(0, tst_revents(self->pipe.rfd, TST_POLL_ALL));
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.rfd, true));
	ASSERT_EQ(-1, read(self->pipe.rfd, &c, 1));
	ASSERT_EQ(EAGAIN, errno);
	close(w2);
	ASSERT_EQ(POLLHUP, tst_revents(self->pipe.rfd, TST_POLL_ALL));
	ASSERT_EQ(0, read(self->pipe.rfd, &c, 1));
}

/*
 * R11: O_NONBLOCK belongs to one open file description: a second reader
 * opened with O_NONBLOCK does not make the first one non-blocking.
 */
TEST_F(open, nonblock_per_open)
{
	char c;
	pid_t pid;
	int r2;

	TST_START();
	if (!self->pipe.v->has_path)
		SKIP(return, "%s: no second reader can be opened", self->pipe.v->name);
	r2 = open(self->pipe.path, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, r2);
	ASSERT_EQ(-1, read(r2, &c, 1));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_FALSE(tst_is_nonblock(self->pipe.rfd));
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.wfd);
		tst_ready(&self->pipe);
		_exit(read(self->pipe.rfd, &c, 1) == 1 && c == 'n' ? 0 : 1);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	ASSERT_EQ(1, write(self->pipe.wfd, "n", 1));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	close(r2);
}

/* R70: dup() shares the description: closing one dup is not EOF. */
TEST_F(open, dup_shares_description)
{
	char c;
	int d;

	TST_START();
	d = dup(self->pipe.wfd);
	ASSERT_LE(0, d);
	tst_close(&self->pipe.wfd);
	ASSERT_EQ(0, tst_revents(self->pipe.rfd, TST_POLL_ALL));
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.rfd, true));
	ASSERT_EQ(-1, read(self->pipe.rfd, &c, 1));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(1, write(d, "d", 1));
	ASSERT_EQ(1, read(self->pipe.rfd, &c, 1));
	close(d);
	ASSERT_EQ(POLLHUP, tst_revents(self->pipe.rfd, TST_POLL_ALL));
	ASSERT_EQ(0, read(self->pipe.rfd, &c, 1));
}

/* R70: fork() shares the description: EOF only when the child exits. */
TEST_F(open, fork_shares_description)
{
	char c;
	pid_t pid;

	TST_START();
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.rfd);
		for (;;)
			pause();
	}
	tst_close(&self->pipe.wfd);
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.rfd, true));
	ASSERT_EQ(-1, read(self->pipe.rfd, &c, 1));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, tst_revents(self->pipe.rfd, TST_POLL_ALL));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	TST_ASSERT_KILLED(&self->pipe, pid, SIGKILL);
	ASSERT_EQ(POLLHUP, tst_revents(self->pipe.rfd, TST_POLL_ALL));
	ASSERT_EQ(0, read(self->pipe.rfd, &c, 1));
}

/*
 * R64, R71 (LTP pipe13): the last writer's close wakes *all* readers
 * blocked in read(); each gets EOF.
 */
TEST_F(open, last_writer_close_wakes_all_readers)
{
	pid_t pids[NKIDS];
	int i;

	TST_START();
	for (i = 0; i < NKIDS; i++) {
		pids[i] = tst_fork(&self->pipe);
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			char c;

			close(self->pipe.wfd);
			tst_ready(&self->pipe);
			_exit(read(self->pipe.rfd, &c, 1) == 0 ? 0 : 1);
		}
	}
	TST_ASSERT_ALL_BLOCKED(&self->pipe, pids, NKIDS);
	tst_close(&self->pipe.wfd);
	for (i = 0; i < NKIDS; i++)
		TST_ASSERT_EXIT(&self->pipe, pids[i], 0);
}

/*
 * R64, R71, R35: the last reader's close wakes *all* writers blocked on
 * a full pipe; each gets EPIPE and SIGPIPE.
 */
TEST_F(open, last_reader_close_wakes_all_writers)
{
	pid_t pids[NKIDS];
	int i;

	TST_START();
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	for (i = 0; i < NKIDS; i++) {
		pids[i] = tst_fork(&self->pipe);
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			ssize_t n;

			close(self->pipe.rfd);
			tst_catch(SIGPIPE, false);
			tst_ready(&self->pipe);
			n = write(self->pipe.wfd, "x", 1);
			if (n != -1 || errno != EPIPE)
				_exit(1);
			_exit(tst_sig_count == 1 ? 0 : 2);
		}
	}
	TST_ASSERT_ALL_BLOCKED(&self->pipe, pids, NKIDS);
	tst_close(&self->pipe.rfd);
	for (i = 0; i < NKIDS; i++)
		TST_ASSERT_EXIT(&self->pipe, pids[i], 0);
}

/*
 * R70, R64: closing a writer that is not the last one wakes nobody: a
 * blocked reader stays blocked until data comes from the other writer.
 */
TEST_F(open, non_last_close_wakes_nobody)
{
	pid_t pid;
	int w2;

	TST_START();
	if (self->pipe.v->has_path)
		w2 = open(self->pipe.path, O_WRONLY);
	else
		w2 = dup(self->pipe.wfd);
	ASSERT_LE(0, w2);
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char c;

		close(self->pipe.wfd);
		close(w2);
		tst_ready(&self->pipe);
		_exit(read(self->pipe.rfd, &c, 1) == 1 && c == 'z' ? 0 : 1);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	tst_close(&self->pipe.wfd);
	ASSERT_TRUE(tst_stays_blocked(pid));
	ASSERT_EQ(1, write(w2, "z", 1));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	close(w2);
}

/*
 * R89: a node that this user may not open.  $MINIPIPE_DENIED is a
 * directory that root prepared for the unprivileged run of make check
 * (tools/project/vm/guest/init): "fifo" is a FIFO, "minipipe" and "ctl"
 * are nodes of $MINIPIPE_DEV's and /dev/minipipe-ctl's device numbers,
 * all root's, mode 0600.  Every access mode gives EACCES, on the FIFO as
 * on the minipipe nodes; the pair ioctl cannot be reached without the
 * open.  As root (CAP_DAC_OVERRIDE) the opens succeed: this test fails.
 */
TEST_F(open, denied_by_mode)
{
	static const int modes[] = {
		O_RDONLY | O_NONBLOCK, O_WRONLY | O_NONBLOCK, O_RDWR,
	};
	const char *dir = getenv("MINIPIPE_DENIED"), *name, *real;
	char path[512];
	struct stat st, rst;
	unsigned int i;
	int fd;

	TST_START();
	if (!dir || !*dir)
		SKIP(return, "no $MINIPIPE_DENIED: only the unprivileged run has denied nodes");
	if (!tst_is_minipipe(&self->pipe) && tst_is_anon(&self->pipe))
		SKIP(return, "pipe(2) opens no node");
	name = !tst_is_minipipe(&self->pipe) ? "fifo" :
	       tst_is_anon(&self->pipe) ? "ctl" : "minipipe";
	real = tst_is_anon(&self->pipe) ? MINIPIPE_CTL_PATH : self->pipe.path;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	/* The node is what it claims to be: else EACCES would prove nothing. */
	ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s: %s", path, strerror(errno));
	ASSERT_EQ(0U, st.st_uid);
	ASSERT_EQ(0600, st.st_mode & 07777);
	if (tst_is_minipipe(&self->pipe)) {
		ASSERT_EQ(0, stat(real, &rst));
		ASSERT_TRUE(S_ISCHR(st.st_mode));
		ASSERT_EQ(rst.st_rdev, st.st_rdev);
	} else {
		ASSERT_TRUE(S_ISFIFO(st.st_mode));
	}
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		fd = open(path, modes[i] | O_CLOEXEC);
		ASSERT_EQ(-1, fd) {
			TH_LOG("%s opened with flags %#x (euid %u)", path, modes[i],
			       (unsigned int)geteuid());
			close(fd);
		}
		ASSERT_EQ(EACCES, errno);
	}
}

TEST_HARNESS_MAIN
