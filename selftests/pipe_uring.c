// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring on pipes: reads, writes, readv/writev and polls submitted
 * through a ring complete as on the kernel's pipes.  Rules
 * (docs/semantics.md) R145-R147, and R141 for RWF_NOWAIT in a request.
 *
 * How io_uring waits is the kernel's choice, by version and kind (R147):
 * a worker thread of the process ("iou-wrk-<tid>") that blocks in read()
 * or write() (6.1), or a retry when poll says the pipe is ready (6.12).
 * Where the results can differ by kernel or kind, a test asserts what a
 * kernel pipe of the variant's kind does on the running kernel
 * (tst_open_oracle()).
 */
#include <dirent.h>
#include <liburing.h>

#include "minipipe_test.h"

/* Longest wait for a completion that must come. */
#define URING_WAIT_SECS	10

TST_FIXTURE(uring)

/* A ring of 8 entries, or SKIP where the kernel has no io_uring for us. */
#define URING_START(ring) do {						\
	int __ret;							\
									\
	TST_START();							\
	__ret = io_uring_queue_init(8, (ring), 0);			\
	if (__ret == -ENOSYS || __ret == -EPERM)			\
		SKIP(return, "no io_uring here (%s)", strerror(-__ret)); \
	ASSERT_EQ(0, __ret);						\
} while (0)

static struct io_uring_sqe *sqe_or_die(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		abort();
	return sqe;
}

/* The next completion, within URING_WAIT_SECS: its result and user_data. */
static int next_cqe(struct io_uring *ring, int *res, __u64 *data)
{
	struct __kernel_timespec ts = { .tv_sec = URING_WAIT_SECS };
	struct io_uring_cqe *cqe;
	int ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);

	if (ret)
		return ret;
	*res = cqe->res;
	if (data)
		*data = cqe->user_data;
	io_uring_cqe_seen(ring, cqe);
	return 0;
}

/* True if a completion is queued now: a request that must wait has none. */
static bool cqe_ready(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;

	return io_uring_peek_cqe(ring, &cqe) == 0;
}

/*
 * R145: write, writev, read and readv requests move the bytes and
 * complete with the counts of write(2), writev(2), read(2), readv(2).
 */
TEST_F(uring, read_write_readv_writev)
{
	struct iovec wv[2] = { { "abc", 3 }, { "defg", 4 } };
	char a[8] = "", b[4] = "", c[4] = "";
	struct iovec rv[2] = { { b, 4 }, { c, 3 } };
	struct io_uring ring;
	int res;

	URING_START(&ring);
	io_uring_prep_write(sqe_or_die(&ring), self->pipe.wfd, "hello", 5, -1);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, next_cqe(&ring, &res, NULL));
	ASSERT_EQ(5, res);
	io_uring_prep_writev(sqe_or_die(&ring), self->pipe.wfd, wv, 2, -1);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, next_cqe(&ring, &res, NULL));
	ASSERT_EQ(7, res);
	ASSERT_EQ(12, tst_nread(self->pipe.rfd));
	io_uring_prep_read(sqe_or_die(&ring), self->pipe.rfd, a, 5, -1);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, next_cqe(&ring, &res, NULL));
	ASSERT_EQ(5, res);
	ASSERT_EQ(0, memcmp(a, "hello", 5));
	io_uring_prep_readv(sqe_or_die(&ring), self->pipe.rfd, rv, 2, -1);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, next_cqe(&ring, &res, NULL));
	ASSERT_EQ(7, res);
	ASSERT_EQ(0, memcmp(b, "abcd", 4));
	ASSERT_EQ(0, memcmp(c, "efg", 3));
	io_uring_queue_exit(&ring);
}

/*
 * R145: a read of an empty pipe waits (no completion) until a write(2)
 * comes, then completes with what it wrote; a poll request for POLLIN
 * waits the same way and completes with the readable bits.
 */
TEST_F(uring, read_and_poll_wait_for_a_write)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char buf[64];
	__u64 data;
	int res, i;

	URING_START(&ring);
	sqe = sqe_or_die(&ring);
	io_uring_prep_poll_add(sqe, self->pipe.rfd, POLLIN);
	io_uring_sqe_set_data64(sqe, 1);
	sqe = sqe_or_die(&ring);
	io_uring_prep_read(sqe, self->pipe.rfd, buf, sizeof(buf), -1);
	io_uring_sqe_set_data64(sqe, 2);
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_FALSE(cqe_ready(&ring));
	ASSERT_EQ(3, write(self->pipe.wfd, "abc", 3));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, next_cqe(&ring, &res, &data));
		if (data == 1) {
			ASSERT_EQ(POLLIN, res & (POLLIN | POLLHUP | POLLERR));
		} else {
			ASSERT_EQ(3, res);
		}
	}
	io_uring_queue_exit(&ring);
}

/*
 * R146: a read waiting on an empty pipe completes with 0 (end of file)
 * when the last writer closes; a write waiting on a full pipe completes
 * with -EPIPE when the last reader closes (SIGPIPE is ignored here: the
 * error is what a program of io_uring sees).
 */
TEST_F(uring, waiting_requests_end_when_the_other_end_closes)
{
	struct io_uring ring;
	char buf[64];
	int res;

	URING_START(&ring);
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	io_uring_prep_read(sqe_or_die(&ring), self->pipe.rfd, buf, sizeof(buf), -1);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_FALSE(cqe_ready(&ring));
	tst_close(&self->pipe.wfd);
	ASSERT_EQ(0, next_cqe(&ring, &res, NULL));
	ASSERT_EQ(0, res);

	ASSERT_EQ(0, tst_open_pair(&self->pipe));
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	io_uring_prep_write(sqe_or_die(&ring), self->pipe.wfd, "x", 1, -1);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_FALSE(cqe_ready(&ring));
	tst_close(&self->pipe.rfd);
	ASSERT_EQ(0, next_cqe(&ring, &res, NULL));
	ASSERT_EQ(-EPIPE, res);
	io_uring_queue_exit(&ring);
}

/* R145: linked writes land in submission order; one read returns them. */
TEST_F(uring, linked_writes_keep_their_order)
{
	static const char *const parts[] = { "ab", "cd", "ef" };
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char buf[16] = "";
	int res, i;

	URING_START(&ring);
	for (i = 0; i < 3; i++) {
		sqe = sqe_or_die(&ring);
		io_uring_prep_write(sqe, self->pipe.wfd, parts[i], 2, -1);
		if (i < 2)
			io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
	}
	ASSERT_EQ(3, io_uring_submit(&ring));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, next_cqe(&ring, &res, NULL));
		ASSERT_EQ(2, res);
	}
	ASSERT_EQ(6, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_STREQ("abcdef", buf);
	io_uring_queue_exit(&ring);
}

/* The result of a read request with RWF_NOWAIT on the empty pipe @rfd. */
static int nowait_read(struct io_uring *ring, int rfd)
{
	struct io_uring_sqe *sqe = sqe_or_die(ring);
	char buf[16];
	int res;

	io_uring_prep_read(sqe, rfd, buf, sizeof(buf), -1);
	sqe->rw_flags = RWF_NOWAIT;
	if (io_uring_submit(ring) != 1 || next_cqe(ring, &res, NULL))
		return INT_MIN;
	return res;
}

/*
 * R141, R147: a read request with RWF_NOWAIT on an empty pipe gets what
 * preadv2() gets: -EAGAIN where the kernel's pipe of this kind takes the
 * flag, -EOPNOTSUPP where it does not.
 */
TEST_F(uring, nowait_read_as_the_kernel_pipe_of_its_kind)
{
	struct io_uring ring;
	int oracle[2], want;

	URING_START(&ring);
	ASSERT_EQ(0, tst_open_oracle(&self->pipe, oracle));
	want = nowait_read(&ring, oracle[0]);
	close(oracle[0]);
	close(oracle[1]);
	TH_LOG("kernel %s kind: %d", self->pipe.v->has_path ? "FIFO" : "pipe", want);
	ASSERT_TRUE(want == -EAGAIN || want == -EOPNOTSUPP);
	ASSERT_EQ(want, nowait_read(&ring, self->pipe.rfd));
	io_uring_queue_exit(&ring);
}

/* How many io_uring worker threads ("iou-wrk-...") this process has now. */
static int io_workers(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	char path[300], comm[32];
	int n = 0;
	FILE *f;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, "iou-wrk-", 8))
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

/*
 * In a new process (io_uring's workers belong to a process, and an idle
 * one lingers for seconds): one read request on the empty pipe @fds
 * waits, a write(2) ends it; @async forces it to a worker (IOSQE_ASYNC).
 * Returns 0 if it completed without a worker thread, 1 if a worker issued
 * it, 2 on any other outcome, -1 if the child could not run.
 */
static int waiting_read_used_a_worker(int fds[2], bool async)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char buf[16];
	int status, res;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		if (io_uring_queue_init(8, &ring, 0))
			_exit(2);
		sqe = sqe_or_die(&ring);
		io_uring_prep_read(sqe, fds[0], buf, sizeof(buf), -1);
		if (async)
			io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
		if (io_uring_submit(&ring) != 1 || cqe_ready(&ring) ||
		    write(fds[1], "w", 1) != 1 || next_cqe(&ring, &res, NULL) || res != 1)
			_exit(2);
		/* Its worker, if it had one, is idle now but not gone. */
		_exit(io_workers() > 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/*
 * R147: a read that must wait is issued by a worker thread exactly where
 * it is on the kernel's pipe of this kind (6.1: a worker; 6.12: none, the
 * request waits by poll), so a minipipe costs no thread per waiting
 * request where a pipe costs none.
 */
TEST_F(uring, waiting_read_needs_a_worker_as_on_the_kernel_pipe)
{
	int oracle[2], fds[2], want;
	struct io_uring ring;

	URING_START(&ring);
	io_uring_queue_exit(&ring);
	ASSERT_EQ(0, tst_open_oracle(&self->pipe, oracle));
	/* The count of workers sees one when there must be one. */
	ASSERT_EQ(1, waiting_read_used_a_worker(oracle, true));
	want = waiting_read_used_a_worker(oracle, false);
	close(oracle[0]);
	close(oracle[1]);
	TH_LOG("kernel %s kind: %s", self->pipe.v->has_path ? "FIFO" : "pipe",
	       want == 1 ? "a worker" : want == 0 ? "no worker" : "failed");
	ASSERT_TRUE(want == 0 || want == 1);
	fds[0] = self->pipe.rfd;
	fds[1] = self->pipe.wfd;
	ASSERT_EQ(want, waiting_read_used_a_worker(fds, false));
}

TEST_HARNESS_MAIN
