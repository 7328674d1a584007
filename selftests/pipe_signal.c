// SPDX-License-Identifier: GPL-2.0
/*
 * Signals and pipes: EINTR vs SA_RESTART for blocked read/write/open,
 * short counts, stop/continue, SIGKILL, and SIGPIPE with its EPIPE.
 * Rules (docs/semantics.md) R15, R31, R35-R38, R71, R84.
 */
#include <pthread.h>

#include "minipipe_test.h"

TST_FIXTURE(sig)

/* Wait until a child's handler has counted @n signals in @res. */
static int wait_sigs(struct tst_res *res, int n)
{
	long end = tst_now_ms() + TST_TIMEOUT_MS;

	while (res->sigs < n) {
		if (tst_now_ms() > end)
			return -1;
		tst_msleep(1);
	}
	return 0;
}

/* Child: count SIGUSR1 into @res, with or without SA_RESTART. */
static void child_catch_usr1(struct tst_res *res, bool restart)
{
	tst_sig_res = res;
	if (tst_catch(SIGUSR1, restart))
		_exit(90);
}

/* R15 (P43): a signal without SA_RESTART ends a blocked read: EINTR. */
TEST_F(sig, read_eintr)
{
	struct tst_res *res = tst_shared(sizeof(*res));
	pid_t pid;

	TST_START();
	ASSERT_NE(NULL, res);
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char c;

		close(self->pipe.wfd);
		child_catch_usr1(res, false);
		tst_ready(&self->pipe);
		res->ret = read(self->pipe.rfd, &c, 1);
		res->err = errno;
		_exit(0);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_EQ(-1, res->ret);
	ASSERT_EQ(EINTR, res->err);
	ASSERT_EQ(1, res->sigs);
}

/*
 * R15 (P44): with SA_RESTART the read restarts after the handler and
 * returns data later.
 */
TEST_F(sig, read_sa_restart)
{
	struct tst_res *res = tst_shared(sizeof(*res));
	pid_t pid;

	TST_START();
	ASSERT_NE(NULL, res);
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char buf[8];

		close(self->pipe.wfd);
		child_catch_usr1(res, true);
		tst_ready(&self->pipe);
		res->ret = read(self->pipe.rfd, buf, sizeof(buf));
		res->err = errno;
		_exit(res->ret == 3 && !memcmp(buf, "abc", 3) ? 0 : 1);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	ASSERT_EQ(0, wait_sigs(res, 1));
	/* Back asleep in the restarted read, not returned. */
	ASSERT_EQ('S', tst_wait_state(pid, 'S', TST_TIMEOUT_MS));
	ASSERT_TRUE(tst_stays_blocked(pid));
	ASSERT_EQ(3, write(self->pipe.wfd, "abc", 3));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_EQ(3, res->ret);
}

/* R15, R37: stop/continue of a blocked reader (no handler) restarts it. */
TEST_F(sig, read_stop_cont_restarts)
{
	pid_t pid;

	TST_START();
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char c;

		close(self->pipe.wfd);
		tst_ready(&self->pipe);
		_exit(read(self->pipe.rfd, &c, 1) == 1 && c == 'q' ? 0 : 1);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	ASSERT_EQ(0, kill(pid, SIGSTOP));
	ASSERT_EQ('T', tst_wait_state(pid, 'T', TST_TIMEOUT_MS));
	ASSERT_EQ(0, kill(pid, SIGCONT));
	ASSERT_EQ('S', tst_wait_state(pid, 'S', TST_TIMEOUT_MS));
	ASSERT_TRUE(tst_stays_blocked(pid));
	ASSERT_EQ(1, write(self->pipe.wfd, "q", 1));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
}

/*
 * R36 (P47), R32 (P66): a signal ends a PIPE_BUF write blocked on a full
 * pipe with EINTR and nothing written.
 */
TEST_F(sig, write_eintr_nothing_written)
{
	struct tst_res *res = tst_shared(sizeof(*res));
	pid_t pid;

	TST_START();
	ASSERT_NE(NULL, res);
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.rfd);
		child_catch_usr1(res, false);
		tst_ready(&self->pipe);
		res->ret = tst_write_pattern(self->pipe.wfd, 4096, 1, 0);
		res->err = errno;
		_exit(0);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_EQ(-1, res->ret);
	ASSERT_EQ(EINTR, res->err);
	ASSERT_EQ(TST_CAPACITY, tst_nread(self->pipe.rfd));
}

/*
 * R32 (P66), R36: a blocking write of at most PIPE_BUF bytes that cannot
 * merge whole into the last slot waits for a free slot with none of its
 * bytes in the pipe, even when part of it would fit behind the last
 * slot's data; a signal then ends it with EINTR and nothing written.
 */
TEST_F(sig, small_write_waits_whole)
{
	struct tst_res *res = tst_shared(sizeof(*res));
	static char buf[4096];
	pid_t pid;
	int i;

	TST_START();
	ASSERT_NE(NULL, res);
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	for (i = 0; i < TST_SLOTS - 1; i++) {
		ASSERT_EQ(4096, write(self->pipe.wfd, buf, 4096));
	}
	/* The last slot has room for 3996 bytes more: 3997 do not fit. */
	ASSERT_EQ(100, write(self->pipe.wfd, buf, 100));
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, false));
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.rfd);
		child_catch_usr1(res, false);
		tst_ready(&self->pipe);
		res->ret = tst_write_pattern(self->pipe.wfd, 3997, 3, 0);
		res->err = errno;
		_exit(0);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	EXPECT_EQ(15 * 4096 + 100, tst_nread(self->pipe.rfd));
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_EQ(-1, res->ret);
	ASSERT_EQ(EINTR, res->err);
	ASSERT_EQ(15 * 4096 + 100, tst_nread(self->pipe.rfd));
}

/* R36 (P65): with SA_RESTART the blocked write restarts and completes. */
TEST_F(sig, write_sa_restart)
{
	struct tst_res *res = tst_shared(sizeof(*res));
	static char buf[TST_CAPACITY];
	pid_t pid;

	TST_START();
	ASSERT_NE(NULL, res);
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.rfd);
		child_catch_usr1(res, true);
		tst_ready(&self->pipe);
		res->ret = tst_write_pattern(self->pipe.wfd, 4096, 2, 0);
		res->err = errno;
		_exit(0);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	ASSERT_EQ(0, wait_sigs(res, 1));
	ASSERT_EQ('S', tst_wait_state(pid, 'S', TST_TIMEOUT_MS));
	ASSERT_TRUE(tst_stays_blocked(pid));
	ASSERT_EQ(TST_CAPACITY, tst_nread(self->pipe.rfd));
	ASSERT_EQ(4096, read(self->pipe.rfd, buf, 4096));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_EQ(4096, res->ret);
	ASSERT_EQ(TST_CAPACITY, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(-1, tst_check_pattern(buf + TST_CAPACITY - 4096, 4096, 2, 0));
}

/* Body of the two short-count tests (R36, P48). */
static void write_short_count(struct __test_metadata *_metadata,
			      struct tst_pipe *m, bool restart)
{
	struct tst_res *res = tst_shared(sizeof(*res));
	static char buf[TST_CAPACITY];
	pid_t pid;

	ASSERT_NE(NULL, res);
	pid = tst_fork(m);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(m->rfd);
		child_catch_usr1(res, restart);
		tst_ready(m);
		res->ret = tst_write_pattern(m->wfd, 100000, 3, 0);
		res->err = errno;
		_exit(0);
	}
	TST_ASSERT_BLOCKED(m, pid);
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	TST_ASSERT_EXIT(m, pid, 0);
	ASSERT_EQ(TST_CAPACITY, res->ret);
	ASSERT_EQ(1, res->sigs);
	ASSERT_EQ(TST_CAPACITY, tst_nread(m->rfd));
	ASSERT_EQ(TST_CAPACITY, read(m->rfd, buf, sizeof(buf)));
	ASSERT_EQ(-1, tst_check_pattern(buf, TST_CAPACITY, 3, 0));
}

/* R36 (P48): a signal ends a partly done large write: short count. */
TEST_F(sig, write_short_count)
{
	TST_START();
	write_short_count(_metadata, &self->pipe, false);
}

/* R36: SA_RESTART does not change that: a positive count is returned. */
TEST_F(sig, write_short_count_sa_restart)
{
	TST_START();
	write_short_count(_metadata, &self->pipe, true);
}

/* R37 (P64): stop/continue ends a partly done large write: short count. */
TEST_F(sig, write_stop_cont_short_count)
{
	struct tst_res *res = tst_shared(sizeof(*res));
	pid_t pid;

	TST_START();
	ASSERT_NE(NULL, res);
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.rfd);
		tst_ready(&self->pipe);
		res->ret = tst_write_pattern(self->pipe.wfd, 100000, 4, 0);
		_exit(0);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	ASSERT_EQ(0, kill(pid, SIGSTOP));
	ASSERT_EQ('T', tst_wait_state(pid, 'T', TST_TIMEOUT_MS));
	ASSERT_EQ(0, kill(pid, SIGCONT));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_EQ(TST_CAPACITY, res->ret);
	ASSERT_EQ(TST_CAPACITY, tst_nread(self->pipe.rfd));
}

/* R37: stop/continue of a write that wrote nothing restarts it. */
TEST_F(sig, write_stop_cont_restarts)
{
	struct tst_res *res = tst_shared(sizeof(*res));
	static char buf[4096];
	pid_t pid;

	TST_START();
	ASSERT_NE(NULL, res);
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.rfd);
		tst_ready(&self->pipe);
		res->ret = tst_write_pattern(self->pipe.wfd, 4096, 5, 0);
		_exit(0);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	ASSERT_EQ(0, kill(pid, SIGSTOP));
	ASSERT_EQ('T', tst_wait_state(pid, 'T', TST_TIMEOUT_MS));
	ASSERT_EQ(0, kill(pid, SIGCONT));
	ASSERT_EQ('S', tst_wait_state(pid, 'S', TST_TIMEOUT_MS));
	ASSERT_TRUE(tst_stays_blocked(pid));
	ASSERT_EQ(TST_CAPACITY, tst_nread(self->pipe.rfd));
	ASSERT_EQ(4096, read(self->pipe.rfd, buf, sizeof(buf)));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_EQ(4096, res->ret);
}

/* R38 (LTP pipe04): SIGKILL ends writers blocked on a full pipe. */
TEST_F(sig, sigkill_blocked_writers)
{
	pid_t pids[2];
	int i;

	TST_START();
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	for (i = 0; i < 2; i++) {
		pids[i] = tst_fork(&self->pipe);
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			close(self->pipe.rfd);
			tst_ready(&self->pipe);
			/* Only SIGKILL may end this. */
			_exit(tst_write_pattern(self->pipe.wfd, 4096, 6, 0) < 0 ?
			      1 : 2);
		}
	}
	TST_ASSERT_ALL_BLOCKED(&self->pipe, pids, 2);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, kill(pids[i], SIGKILL));
		TST_ASSERT_KILLED(&self->pipe, pids[i], SIGKILL);
	}
	ASSERT_EQ(TST_CAPACITY, tst_nread(self->pipe.rfd));
}

/* R38: SIGKILL ends a blocked reader; the pipe stays usable. */
TEST_F(sig, sigkill_blocked_reader)
{
	char c;
	pid_t pid;

	TST_START();
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.wfd);
		tst_ready(&self->pipe);
		_exit(read(self->pipe.rfd, &c, 1) < 0 ? 1 : 2);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	TST_ASSERT_KILLED(&self->pipe, pid, SIGKILL);
	ASSERT_EQ(1, write(self->pipe.wfd, "k", 1));
	ASSERT_EQ(1, read(self->pipe.rfd, &c, 1));
	ASSERT_EQ('k', c);
}

/* Body of the open-EINTR tests (R84): @flags is O_RDONLY or O_WRONLY. */
static void open_eintr(struct __test_metadata *_metadata, struct tst_pipe *m,
		       int flags)
{
	struct tst_res *res = tst_shared(sizeof(*res));
	pid_t pid;

	ASSERT_NE(NULL, res);
	pid = tst_fork(m);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		child_catch_usr1(res, false);
		tst_ready(m);
		res->ret = open(m->path, flags);
		res->err = errno;
		_exit(0);
	}
	TST_ASSERT_BLOCKED(m, pid);
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	TST_ASSERT_EXIT(m, pid, 0);
	ASSERT_EQ(-1, res->ret);
	ASSERT_EQ(EINTR, res->err);
	ASSERT_EQ(1, res->sigs);
}

/*
 * R84 (P37): a signal ends open(O_RDONLY) blocked for a writer: EINTR.
 * The reader count is undone: a writer's O_NONBLOCK open sees no reader.
 */
TEST_F(sig, open_rdonly_eintr)
{
	TST_START_NAMED();
	open_eintr(_metadata, &self->pipe, O_RDONLY);
	ASSERT_EQ(-1, open(self->pipe.path, O_WRONLY | O_NONBLOCK));
	ASSERT_EQ(ENXIO, errno);
}

/*
 * R84 (P36): a signal ends open(O_WRONLY) blocked for a reader: EINTR.
 * The writer count is undone: a new reader sees EOF, not EAGAIN.
 */
TEST_F(sig, open_wronly_eintr)
{
	char c;
	int r;

	TST_START_NAMED();
	open_eintr(_metadata, &self->pipe, O_WRONLY);
	r = open(self->pipe.path, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, r);
	ASSERT_EQ(0, read(r, &c, 1));
	close(r);
}

/* Body of the open-SA_RESTART tests (R84). */
static void open_restart(struct __test_metadata *_metadata, struct tst_pipe *m,
			 int flags)
{
	struct tst_res *res = tst_shared(sizeof(*res));
	pid_t pid;
	int fd;

	ASSERT_NE(NULL, res);
	pid = tst_fork(m);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		child_catch_usr1(res, true);
		tst_ready(m);
		res->ret = open(m->path, flags);
		res->err = errno;
		_exit(res->ret >= 0 ? 0 : 1);
	}
	TST_ASSERT_BLOCKED(m, pid);
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	ASSERT_EQ(0, wait_sigs(res, 1));
	ASSERT_EQ('S', tst_wait_state(pid, 'S', TST_TIMEOUT_MS));
	ASSERT_TRUE(tst_stays_blocked(pid));
	/* The partner arrives: the restarted open succeeds. */
	fd = open(m->path, (flags == O_RDONLY ? O_WRONLY : O_RDONLY) |
		  O_NONBLOCK);
	ASSERT_LE(0, fd);
	TST_ASSERT_EXIT(m, pid, 0);
	close(fd);
}

/* R84: with SA_RESTART a blocked open(O_RDONLY) restarts. */
TEST_F(sig, open_rdonly_sa_restart)
{
	TST_START_NAMED();
	open_restart(_metadata, &self->pipe, O_RDONLY);
}

/* R84: with SA_RESTART a blocked open(O_WRONLY) restarts. */
TEST_F(sig, open_wronly_sa_restart)
{
	TST_START_NAMED();
	open_restart(_metadata, &self->pipe, O_WRONLY);
}

/* R31 (LTP pipe08): no readers -> SIGPIPE (caught) and EPIPE. */
TEST_F(sig, sigpipe_caught_epipe)
{
	TST_START();
	ASSERT_EQ(0, tst_catch(SIGPIPE, false));
	tst_close(&self->pipe.rfd);
	tst_sig_count = 0;
	ASSERT_EQ(-1, write(self->pipe.wfd, "x", 1));
	ASSERT_EQ(EPIPE, errno);
	ASSERT_EQ(1, tst_sig_count);
	ASSERT_EQ(-1, tst_write_pattern(self->pipe.wfd, 100000, 1, 0));
	ASSERT_EQ(EPIPE, errno);
	ASSERT_EQ(2, tst_sig_count);
}

/* R31: SIGPIPE ignored -> only EPIPE. */
TEST_F(sig, sigpipe_ignored_epipe)
{
	TST_START();
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	tst_close(&self->pipe.rfd);
	ASSERT_EQ(-1, write(self->pipe.wfd, "x", 1));
	ASSERT_EQ(EPIPE, errno);
	ASSERT_FALSE(tst_pending(SIGPIPE));
}

/* R31: SIGPIPE blocked -> EPIPE and the signal stays pending. */
TEST_F(sig, sigpipe_blocked_pending)
{
	TST_START();
	ASSERT_EQ(0, tst_default(SIGPIPE));
	ASSERT_EQ(0, tst_block(SIGPIPE, true));
	tst_close(&self->pipe.rfd);
	ASSERT_FALSE(tst_pending(SIGPIPE));
	ASSERT_EQ(-1, write(self->pipe.wfd, "x", 1));
	ASSERT_EQ(EPIPE, errno);
	ASSERT_TRUE(tst_pending(SIGPIPE));
	tst_discard_pending(SIGPIPE);
	ASSERT_FALSE(tst_pending(SIGPIPE));
}

/* R31 (LTP pipe02): SIGPIPE at its default disposition kills the writer. */
TEST_F(sig, sigpipe_default_kills)
{
	pid_t pid;

	TST_START();
	tst_close(&self->pipe.rfd);
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		tst_default(SIGPIPE);
		/* Not reached: SIGPIPE kills first. */
		_exit(write(self->pipe.wfd, "x", 1) < 0 ? 1 : 2);
	}
	TST_ASSERT_KILLED(&self->pipe, pid, SIGPIPE);
}

struct thr_arg {
	int fd;
	ssize_t ret;
	int err;
	bool pending;
};

static void *sigpipe_thread(void *p)
{
	struct thr_arg *a = p;

	a->ret = write(a->fd, "x", 1);
	a->err = errno;
	a->pending = tst_pending(SIGPIPE);
	/*
	 * Leave it pending: a thread-private signal goes away with the
	 * thread, a process-wide one would stay for the main thread to see.
	 */
	return NULL;
}

/*
 * R31: SIGPIPE is sent to the writing *thread* (send_sig to current),
 * not to the process: another thread never sees it pending.
 */
TEST_F(sig, sigpipe_is_thread_directed)
{
	struct thr_arg a = { .fd = -1 };
	pthread_t t;

	TST_START();
	ASSERT_EQ(0, tst_default(SIGPIPE));
	ASSERT_EQ(0, tst_block(SIGPIPE, true));	/* inherited by the thread */
	tst_close(&self->pipe.rfd);
	a.fd = self->pipe.wfd;
	ASSERT_EQ(0, pthread_create(&t, NULL, sigpipe_thread, &a));
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EQ(-1, a.ret);
	ASSERT_EQ(EPIPE, a.err);
	ASSERT_TRUE(a.pending);
	ASSERT_FALSE(tst_pending(SIGPIPE));
}

/*
 * R35, R71: a writer blocked on a full pipe gets EPIPE and SIGPIPE when
 * the last reader closes.
 */
TEST_F(sig, blocked_writer_epipe_on_reader_close)
{
	struct tst_res *res = tst_shared(sizeof(*res));
	pid_t pid;

	TST_START();
	ASSERT_NE(NULL, res);
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.rfd);
		tst_sig_res = res;
		tst_catch(SIGPIPE, false);
		tst_ready(&self->pipe);
		res->ret = tst_write_pattern(self->pipe.wfd, 4096, 7, 0);
		res->err = errno;
		_exit(0);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	tst_close(&self->pipe.rfd);
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_EQ(-1, res->ret);
	ASSERT_EQ(EPIPE, res->err);
	ASSERT_EQ(1, res->sigs);
}

/*
 * R35 (P49): a large write that already wrote something returns the
 * short count *and* gets SIGPIPE when the last reader closes.
 */
TEST_F(sig, blocked_writer_short_count_and_sigpipe)
{
	struct tst_res *res = tst_shared(sizeof(*res));
	pid_t pid;

	TST_START();
	ASSERT_NE(NULL, res);
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.rfd);
		tst_sig_res = res;
		tst_catch(SIGPIPE, false);
		tst_ready(&self->pipe);
		res->ret = tst_write_pattern(self->pipe.wfd, 100000, 8, 0);
		res->err = errno;
		_exit(0);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	tst_close(&self->pipe.rfd);
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_EQ(TST_CAPACITY, res->ret);
	ASSERT_EQ(1, res->sigs);
}

/*
 * R35: with SIGPIPE at its default disposition that writer dies, even
 * though its write "succeeded partially".
 */
TEST_F(sig, blocked_writer_killed_by_sigpipe)
{
	pid_t pid;

	TST_START();
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.rfd);
		tst_default(SIGPIPE);
		tst_ready(&self->pipe);
		_exit(tst_write_pattern(self->pipe.wfd, 100000, 9, 0) < 0 ?
		      1 : 2);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	tst_close(&self->pipe.rfd);
	TST_ASSERT_KILLED(&self->pipe, pid, SIGPIPE);
}

/*
 * R15: a read that finds data returns it even with a signal pending
 * (blocked here, so it cannot run first).
 */
TEST_F(sig, pending_signal_does_not_stop_read)
{
	char buf[8];

	TST_START();
	ASSERT_EQ(0, tst_catch(SIGUSR1, false));
	ASSERT_EQ(0, tst_block(SIGUSR1, true));
	ASSERT_EQ(0, raise(SIGUSR1));
	ASSERT_TRUE(tst_pending(SIGUSR1));
	ASSERT_EQ(2, write(self->pipe.wfd, "ok", 2));
	ASSERT_EQ(2, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(4096, tst_write_pattern(self->pipe.wfd, 4096, 1, 0));
	tst_discard_pending(SIGUSR1);
	ASSERT_EQ(0, tst_sig_count);
}

TEST_HARNESS_MAIN
