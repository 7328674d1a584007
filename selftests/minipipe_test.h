/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared fixture and helpers for the minipipe selftests.
 *
 * Every behaviour test runs once per variant.  The real kernel pipe and
 * FIFO are the oracle: a test asserts the same results on every variant,
 * so a test that only passes on minipipe is a broken test.
 *
 * Rule numbers (Rnn) refer to the project's contract, docs/semantics.md,
 * whose rules cite fs/pipe.c.
 *
 * Written for the 6.1 kselftest_harness.h.  That harness runs the test
 * body even when FIXTURE_SETUP() called SKIP(), so every test starts
 * with TST_START() (or TST_START_NAMED()), which returns early then.
 *
 * An ASSERT_*() is two statements: the check, then the harness's
 * OPTIONAL_HANDLER loop, which bails out.  As the unbraced body of a loop
 * it checks every round but bails out only after the loop, so a loop
 * whose body asserts is braced.
 */
#ifndef MINIPIPE_TEST_H
#define MINIPIPE_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "minipipe.h"		/* module/uapi: ioctl numbers, node paths */
#include "minipipe_lib.h"	/* tools/user/lib: minipipe_pipe2(), sizes */
#include "monotonic.h"		/* tools/user/lib: the clock */

#define TST_PAGE		4096		/* PAGE_SIZE == PIPE_BUF on x86-64 */
#define TST_SLOTS	16		/* PIPE_DEF_BUFFERS */
#define TST_CAPACITY	(TST_SLOTS * TST_PAGE)
#define TST_DEFAULT_DEV	"/dev/minipipe"

/*
 * Bounds for "wait until X happens".  They are generous on purpose:
 * the VM runs under TCG, about ten times slower than the host.  Tests
 * never sleep for correctness; they poll for a state until this bound.
 */
#define TST_TIMEOUT_MS	20000
/* How long "nothing happens" is watched for (can only err towards pass). */
#define TST_QUIET_MS	300

#define TST_MAX_KIDS	32

/* The poll events the R51 table was measured with. */
#define TST_POLL_ALL	(POLLIN | POLLRDNORM | POLLRDBAND | POLLPRI | \
			 POLLOUT | POLLWRNORM | POLLWRBAND)

struct tst_pipe;

/*
 * What a variant is: its name, whether open() on a node with FIFO rules
 * applies to it (R80-R86), whether it is a minipipe (needs the module:
 * $MINIPIPE_DEV for the named one, /dev/minipipe-ctl for anonymous
 * pairs), and how its blocking read/write pair is opened.
 *
 *	variant		has_path	needs_dev	pair made by
 *	pipe		no		no		pipe2(2)
 *	fifo		yes		no		open(2) of a mkfifo node
 *	minipipe	yes		yes		open(2) of /dev/minipipe
 *	minipipe_pair	no		yes		minipipe_pipe2() (ioctl)
 */
struct tst_variant {
	const char *name;
	bool has_path;
	bool needs_dev;
	int (*open_pair)(struct tst_pipe *m);
};

/*
 * The variant list, in one place.  A new variant is one more line:
 *	X(fixture, name, has_path, needs_dev, opener)
 */
#define TST_VARIANTS(X, f)						\
	X(f, pipe,		false,	false,	tst_open_anon_pair)	\
	X(f, fifo,		true,	false,	tst_open_named_pair)	\
	X(f, minipipe,		true,	true,	tst_open_named_pair)	\
	X(f, minipipe_pair,	false,	true,	tst_open_dev_pair)

struct tst_pipe {
	const struct tst_variant *v;
	bool skip;			/* setup SKIPped: test body must not run */
	char dir[256];			/* temp dir holding the FIFO, or "" */
	char path[512];			/* node to open(), "" for pipes */
	int rfd, wfd;			/* the pair opened by setup, -1 if closed */
	int ctl[2];			/* control pipe for child handshakes */
	int nkids;
	pid_t kids[TST_MAX_KIDS];
};

#define TST_VARIANT_ADD(f, vname, path, dev, opener)		\
	FIXTURE_VARIANT_ADD(f, vname) {				\
		.v = { #vname, (path), (dev), (opener) },	\
	};

/* Declare fixture @f with every variant, setup and teardown. */
#define TST_FIXTURE(f)						\
	FIXTURE(f) {						\
		struct tst_pipe pipe;				\
	};							\
	FIXTURE_VARIANT(f) {					\
		struct tst_variant v;				\
	};							\
	TST_VARIANTS(TST_VARIANT_ADD, f)				\
	FIXTURE_SETUP(f)					\
	{							\
		tst_setup(_metadata, &self->pipe, &variant->v);	\
	}							\
	FIXTURE_TEARDOWN(f)					\
	{							\
		tst_teardown(&self->pipe);				\
	}

/* First statement of every test: setup may have SKIPped. */
#define TST_START() do {						\
	if (self->pipe.skip)					\
		return;						\
} while (0)

/*
 * First statement of tests about FIFO open()/close() rules: SKIP where
 * there is no node to open, and start with the node closed by everybody.
 */
#define TST_START_NAMED() do {					\
	TST_START();						\
	if (!self->pipe.v->has_path)				\
		SKIP(return, "%s: no node to open(), FIFO open rules do not apply", \
		     self->pipe.v->name);				\
	tst_close_pair(&self->pipe);				\
} while (0)

static inline void tst_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static inline void tst_close_pair(struct tst_pipe *m)
{
	tst_close(&m->rfd);
	tst_close(&m->wfd);
}

static inline int tst_set_nonblock(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -1;
	fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
	return fcntl(fd, F_SETFL, fl);
}

/* Packet mode (O_DIRECT) on or off for @fd, with F_SETFL. */
static inline int tst_set_direct(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -1;
	fl = on ? (fl | O_DIRECT) : (fl & ~O_DIRECT);
	return fcntl(fd, F_SETFL, fl);
}

static inline bool tst_is_nonblock(int fd)
{
	return fcntl(fd, F_GETFL) & O_NONBLOCK;
}

/* pipe(2) pair. */
static inline int tst_open_anon_pair(struct tst_pipe *m)
{
	int fds[2];

	if (pipe(fds))
		return -1;
	m->rfd = fds[0];
	m->wfd = fds[1];
	return 0;
}

/* Anonymous minipipe pair: the pipe(2) of the module. */
static inline int tst_open_dev_pair(struct tst_pipe *m)
{
	int fds[2];

	if (minipipe_pipe2(fds, 0))
		return -1;
	m->rfd = fds[0];
	m->wfd = fds[1];
	return 0;
}

/* FIFO-style pair: the non-blocking reader lets the writer open at once. */
static inline int tst_open_named_pair(struct tst_pipe *m)
{
	m->rfd = open(m->path, O_RDONLY | O_NONBLOCK);
	if (m->rfd < 0)
		return -1;
	m->wfd = open(m->path, O_WRONLY | O_NONBLOCK);
	if (m->wfd < 0 || tst_set_nonblock(m->rfd, false) ||
	    tst_set_nonblock(m->wfd, false)) {
		int err = errno;

		tst_close_pair(m);
		errno = err;
		return -1;
	}
	return 0;
}

/*
 * A kernel pipe of this variant's kind, for a rule that differs between
 * kernels or between kinds: the test then asserts what this oracle does on
 * the running kernel.  pipe2(2) for the anonymous kinds (pipe,
 * minipipe_pair), a fresh mkfifo node for the named ones (fifo,
 * minipipe); the node goes again at once, its open ends keep the FIFO.
 * Blocking ends; returns 0, or -1 with errno.
 */
static inline int tst_open_oracle(const struct tst_pipe *m, int fds[2])
{
	char dir[] = "/tmp/tst-oracle-XXXXXX", path[sizeof(dir) + 8];
	int err = 0;

	if (!m->v->has_path)
		return pipe(fds);
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/fifo", dir);
	fds[0] = fds[1] = -1;
	if (mkfifo(path, 0600) ||
	    (fds[0] = open(path, O_RDONLY | O_NONBLOCK)) < 0 ||
	    (fds[1] = open(path, O_WRONLY)) < 0 || tst_set_nonblock(fds[0], false))
		err = errno;
	unlink(path);
	rmdir(dir);
	if (err) {
		tst_close(&fds[0]);
		tst_close(&fds[1]);
		errno = err;
		return -1;
	}
	return 0;
}

/* (Re)open the blocking read/write pair of this variant. */
static inline int tst_open_pair(struct tst_pipe *m)
{
	tst_close_pair(m);
	return m->v->open_pair(m);
}

/* ---- calls that differ per variant, with one contract ----------------- */

/* An end of a minipipe (named or anonymous), not a kernel pipe. */
static inline bool tst_is_minipipe(const struct tst_pipe *m)
{
	return m->v->needs_dev;
}

/* An anonymous pair (pipe, minipipe_pair): made by a pipe2(), no node. */
static inline bool tst_is_anon(const struct tst_pipe *m)
{
	return !m->v->has_path;
}

/*
 * pipe2(2) of the variant: the system call for "pipe", minipipe_pipe2()
 * for "minipipe_pair".  Named variants have none (ENOTSUP).  The raw
 * system call is used so that libc adds or checks nothing.
 */
static inline int tst_pipe2(const struct tst_pipe *m, int fds[2], int flags)
{
	if (!tst_is_anon(m)) {
		errno = ENOTSUP;
		return -1;
	}
	if (tst_is_minipipe(m))
		return minipipe_pipe2(fds, flags);
	return syscall(SYS_pipe2, fds, flags);
}

/*
 * F_GETPIPE_SZ / F_SETPIPE_SZ of the variant (docs/semantics.md section
 * 18, item 1): fcntl() on kernel pipes and FIFOs, the size ioctls of
 * libminipipe on minipipes.  Same contract: bytes, or -1 and errno.
 *
 * fcntl() takes the size as an unsigned long; minipipe_set_size() takes an
 * int.  A size outside the int range (2^31 + 1) is therefore passed to
 * the ioctl directly, as the same unsigned long fcntl() would get.
 */
static inline long tst_get_size(const struct tst_pipe *m, int fd)
{
	if (tst_is_minipipe(m))
		return minipipe_get_size(fd);
	return fcntl(fd, F_GETPIPE_SZ);
}

static inline long tst_set_size(const struct tst_pipe *m, int fd, long size)
{
	if (!tst_is_minipipe(m))
		return fcntl(fd, F_SETPIPE_SZ, (unsigned long)size);
	if (size >= INT_MIN && size <= INT_MAX)
		return minipipe_set_size(fd, (int)size);
	return ioctl(fd, MINIPIPE_IOC_SET_SIZE, (unsigned long)size);
}

/* Read one unsigned number from a sysfs/procfs file; 0 if unreadable. */
static inline unsigned long tst_read_ulong(const char *path)
{
	unsigned long v = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return 0;
	if (fscanf(f, "%lu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

/*
 * The largest size without CAP_SYS_RESOURCE: pipe-max-size for kernel
 * pipes, the module's max_size parameter for minipipes (both 1 MiB by
 * default).  0 if it cannot be read.
 */
static inline unsigned long tst_max_size(const struct tst_pipe *m)
{
	return tst_read_ulong(tst_is_minipipe(m) ?
			     "/sys/module/minipipe/parameters/max_size" :
			     "/proc/sys/fs/pipe-max-size");
}

/* Kill and reap every child, close every fd, remove the FIFO. */
static inline void tst_teardown(struct tst_pipe *m)
{
	int i;

	for (i = 0; i < m->nkids; i++)
		if (m->kids[i] > 0)
			kill(m->kids[i], SIGKILL);
	for (i = 0; i < m->nkids; i++)
		if (m->kids[i] > 0)
			waitpid(m->kids[i], NULL, 0);
	m->nkids = 0;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	/* Nothing of this test may keep the (shared) device open. */
	if (syscall(SYS_close_range, 3U, ~0U, 0U)) {
		for (i = 3; i < 4096; i++)
			close(i);
	}
	m->rfd = m->wfd = m->ctl[0] = m->ctl[1] = -1;
	if (m->dir[0]) {
		unlink(m->path);
		rmdir(m->dir);
	}
}

/* $MINIPIPE_FIFO, the FIFO the fifo variant opens, or NULL: make one per test. */
static inline const char *tst_fifo_env(void)
{
	const char *fifo = getenv("MINIPIPE_FIFO");

	return fifo && *fifo ? fifo : NULL;
}

/*
 * The fifo variant on an existing FIFO @fifo (docs/semantics.md, R89):
 * the unprivileged run of make check gives it a FIFO that root made with
 * the nodes' owner and mode, since a FIFO this user made itself would be
 * its own and could not show what the nodes refuse.  So it must be a
 * FIFO and, where the minipipe node exists, have the node's owner, group
 * and mode.  Like /dev/minipipe, it is shared by all tests and never
 * removed (m->dir stays empty).  Returns 0, or -1 with errno (EINVAL for
 * a wrong node).
 */
static inline int tst_use_fifo(struct tst_pipe *m, const char *fifo)
{
	const char *dev = getenv("MINIPIPE_DEV");
	struct stat fst, dst;

	if (!dev || !*dev)
		dev = TST_DEFAULT_DEV;
	if (stat(fifo, &fst))
		return -1;
	if (!S_ISFIFO(fst.st_mode) ||
	    (!stat(dev, &dst) && (fst.st_uid != dst.st_uid || fst.st_gid != dst.st_gid ||
				  (fst.st_mode & 07777) != (dst.st_mode & 07777)))) {
		errno = EINVAL;
		return -1;
	}
	snprintf(m->path, sizeof(m->path), "%s", fifo);
	return 0;
}

static inline void tst_setup(struct __test_metadata *_metadata, struct tst_pipe *m,
			    const struct tst_variant *v)
{
	const char *req;

	m->v = v;
	m->rfd = m->wfd = -1;
	m->ctl[0] = m->ctl[1] = -1;
	/* Reader-less writes give EPIPE unless a test asks for SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);

	if (v->needs_dev) {
		const char *dev = getenv("MINIPIPE_DEV");
		char node[512];
		struct stat st;

		if (!dev || !*dev)
			dev = TST_DEFAULT_DEV;
		/* A named minipipe opens the device, a pair asks the control node. */
		snprintf(node, sizeof(node), "%s",
			 v->has_path ? dev : MINIPIPE_CTL_PATH);
		if (v->has_path)
			snprintf(m->path, sizeof(m->path), "%s", node);
		if (stat(node, &st)) {
			int err = errno;

			req = getenv("MINIPIPE_REQUIRE");
			if (req && !strcmp(req, "1")) {
				ASSERT_EQ(0, err) {
					TH_LOG("MINIPIPE_REQUIRE=1 but %s: %s",
					       node, strerror(err));
				}
			}
			m->skip = true;
			SKIP(return, "%.200s: %s (module not loaded?)", node,
			     strerror(err));
		}
	} else if (v->has_path && tst_fifo_env()) {
		ASSERT_EQ(0, tst_use_fifo(m, tst_fifo_env())) {
			TH_LOG("MINIPIPE_FIFO=%s: %s", tst_fifo_env(), strerror(errno));
		}
	} else if (v->has_path) {
		const char *tmp = getenv("TMPDIR");
		const char *cands[] = { tmp, "/tmp", "/dev/shm", "." };
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(cands); i++) {
			if (!cands[i] || !*cands[i])
				continue;
			snprintf(m->dir, sizeof(m->dir),
				 "%s/minipipe-test-XXXXXX", cands[i]);
			if (mkdtemp(m->dir))
				break;
			m->dir[0] = '\0';
		}
		ASSERT_NE('\0', m->dir[0]) TH_LOG("no usable temp dir");
		snprintf(m->path, sizeof(m->path), "%s/fifo", m->dir);
		ASSERT_EQ(0, mkfifo(m->path, 0600)) {
			TH_LOG("mkfifo %s: %s", m->path, strerror(errno));
			rmdir(m->dir);
		}
	}

	/* The 6.1 harness skips teardown when setup fails: clean up here. */
	ASSERT_EQ(0, pipe2(m->ctl, O_CLOEXEC))
		tst_teardown(m);
	ASSERT_EQ(0, tst_open_pair(m)) {
		TH_LOG("%s: opening the pair of %s failed: %s", v->name,
		       m->path[0] ? m->path :
		       v->needs_dev ? "minipipe_pipe2()" : "pipe()",
		       strerror(errno));
		tst_teardown(m);
	}
}

/* ---- children ---------------------------------------------------------- */

/* fork() and remember the child so teardown can always reap it. */
static inline pid_t tst_fork(struct tst_pipe *m)
{
	pid_t pid;

	if (m->nkids >= TST_MAX_KIDS) {
		errno = EAGAIN;
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid > 0)
		m->kids[m->nkids++] = pid;
	return pid;
}

static inline long tst_now_ms(void)
{
	return monotonic_ns() / 1000000;
}

static inline void tst_msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * Wait up to @timeout_ms for @pid and return its wait status.  On timeout
 * the child is killed and -1 returned.
 */
static inline int tst_reap(struct tst_pipe *m, pid_t pid, long timeout_ms)
{
	long end = tst_now_ms() + timeout_ms;
	int status, i;
	pid_t r;

	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			return -2;
		if (tst_now_ms() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			status = -1;
			break;
		}
		tst_msleep(1);
	}
	for (i = 0; i < m->nkids; i++)
		if (m->kids[i] == pid)
			m->kids[i] = 0;
	return status;
}

static inline const char *tst_status_str(int status)
{
	static char s[64];

	if (status == -1)
		snprintf(s, sizeof(s), "did not finish in time (killed)");
	else if (status == -2)
		snprintf(s, sizeof(s), "waitpid failed");
	else if (WIFEXITED(status))
		snprintf(s, sizeof(s), "exited with %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(s, sizeof(s), "killed by signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(s, sizeof(s), "status 0x%x", status);
	return s;
}

/* The child must exit with @code (0 = all its checks passed). */
#define TST_ASSERT_EXIT(m, pid, code) do {				\
	int __st = tst_reap((m), (pid), TST_TIMEOUT_MS);			\
	ASSERT_TRUE(__st >= 0 && WIFEXITED(__st) &&			\
		    WEXITSTATUS(__st) == (code)) {			\
		TH_LOG("child %d %s, expected exit %d", (int)(pid),	\
		       tst_status_str(__st), (code));			\
	}								\
} while (0)

/* The child must be killed by signal @sig. */
#define TST_ASSERT_KILLED(m, pid, sig) do {				\
	int __st = tst_reap((m), (pid), TST_TIMEOUT_MS);			\
	ASSERT_TRUE(__st >= 0 && WIFSIGNALED(__st) &&			\
		    WTERMSIG(__st) == (sig)) {				\
		TH_LOG("child %d %s, expected signal %d", (int)(pid),	\
		       tst_status_str(__st), (sig));			\
	}								\
} while (0)

/* Scheduler state letter of a task (R, S, D, T, Z...), or '?' if gone. */
static inline char tst_task_state(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || !p[2])
		return '?';
	return p[2];
}

/* Poll until @pid is in @state; returns the last state seen. */
static inline char tst_wait_state(pid_t pid, char state, long timeout_ms)
{
	long end = tst_now_ms() + timeout_ms;
	char s;

	for (;;) {
		s = tst_task_state(pid);
		if (s == state || s == '?' || s == 'Z' || tst_now_ms() > end)
			return s;
		tst_msleep(1);
	}
}

/*
 * @pid has told us (tst_ready) that its next step is the blocking call;
 * assert that it now sleeps interruptibly in it.  After the handshake
 * the only interruptible sleep the child can reach is that call.
 */
#define TST_ASSERT_BLOCKED(m, pid) do {					\
	char __s;							\
	ASSERT_EQ(0, tst_await((m), 1));					\
	__s = tst_wait_state((pid), 'S', TST_TIMEOUT_MS);			\
	ASSERT_EQ('S', __s) {						\
		TH_LOG("child %d never blocked: state '%c'",		\
		       (int)(pid), __s);				\
	}								\
} while (0)

/* Like TST_ASSERT_BLOCKED, for @n children that each sent one token. */
#define TST_ASSERT_ALL_BLOCKED(m, pids, n) do {				\
	int __i;							\
	char __s;							\
	ASSERT_EQ(0, tst_await((m), (n)));				\
	for (__i = 0; __i < (n); __i++) {				\
		__s = tst_wait_state((pids)[__i], 'S', TST_TIMEOUT_MS);	\
		ASSERT_EQ('S', __s) {					\
			TH_LOG("child %d never blocked: state '%c'",	\
			       (int)(pids)[__i], __s);			\
		}							\
	}								\
} while (0)

/* Child side of the handshake: "my next call is the blocking one". */
static inline void tst_ready(struct tst_pipe *m)
{
	char c = 'r';

	if (write(m->ctl[1], &c, 1) != 1)
		_exit(99);
}

/* Parent side: wait for @n tokens from children. 0 on success. */
static inline int tst_await(struct tst_pipe *m, int n)
{
	long end = tst_now_ms() + TST_TIMEOUT_MS;
	struct pollfd pfd = { .fd = m->ctl[0], .events = POLLIN };
	char c;

	while (n > 0) {
		long left = end - tst_now_ms();

		if (left <= 0)
			return -1;
		if (poll(&pfd, 1, left) <= 0)
			continue;
		if (read(m->ctl[0], &c, 1) == 1)
			n--;
	}
	return 0;
}

/*
 * Watch @pid for TST_QUIET_MS: it must neither exit nor stop, and must
 * then be asleep again (used to check that something did *not* end a
 * blocking call; a spurious wakeup followed by sleeping again is fine).
 */
static inline bool tst_stays_blocked(pid_t pid)
{
	long end = tst_now_ms() + TST_QUIET_MS;

	while (tst_now_ms() < end) {
		char s = tst_task_state(pid);

		if (s != 'S' && s != 'R' && s != 'D')
			return false;
		if (waitpid(pid, NULL, WNOHANG) != 0)
			return false;
		tst_msleep(5);
	}
	return tst_wait_state(pid, 'S', TST_TIMEOUT_MS) == 'S';
}

/* Shared (fork-inherited) zeroed memory; freed at exit. */
static inline void *tst_shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Result of a syscall made by a child, for the parent to assert on. */
struct tst_res {
	volatile long ret;
	volatile int err;
	volatile int sigs;	/* signals counted by the child's handler */
	volatile int done;
};

/* ---- signals ----------------------------------------------------------- */

static volatile sig_atomic_t tst_sig_count;
static struct tst_res *tst_sig_res;	/* if set, the handler also counts here */

static inline void tst_count_handler(int sig)
{
	(void)sig;
	tst_sig_count++;
	if (tst_sig_res)
		tst_sig_res->sigs++;
}

/* Install the counting handler for @sig, with or without SA_RESTART. */
static inline int tst_catch(int sig, bool restart)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tst_count_handler;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

static inline int tst_default(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	return sigaction(sig, &sa, NULL);
}

static inline int tst_block(int sig, bool block)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	return sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

static inline bool tst_pending(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	if (sigpending(&set))
		return false;
	return sigismember(&set, sig);
}

/* Drop a pending (blocked) @sig without running anything. */
static inline void tst_discard_pending(int sig)
{
	struct timespec zero = { 0, 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	while (sigtimedwait(&set, NULL, &zero) == sig)
		;
}

/*
 * Watchdog for calls that must not block: after @secs a SIGALRM (no
 * SA_RESTART) makes a wrongly blocking call fail with EINTR, so the test
 * fails with a message instead of hanging.  tst_watchdog(0) disarms it.
 */
static inline void tst_alarm_handler(int sig)
{
	(void)sig;
}

static inline void tst_watchdog(int secs)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tst_alarm_handler;
	sigaction(SIGALRM, &sa, NULL);
	alarm(secs);
}

#define TST_WATCHDOG_SECS	10

/*
 * open() that gives up after @secs (SIGALRM without SA_RESTART makes a
 * blocked FIFO open fail with EINTR).  Used where an open must *not*
 * block, so a wrong implementation fails cleanly instead of hanging.
 */
static inline int tst_open_timeout(const char *path, int flags, int secs)
{
	int fd, err;

	tst_watchdog(secs);
	fd = open(path, flags);
	err = errno;
	alarm(0);
	errno = err;
	return fd;
}

/* ---- data -------------------------------------------------------------- */

static inline int tst_nread(int fd)
{
	int n = -1;

	if (ioctl(fd, FIONREAD, &n))
		return -1;
	return n;
}

/* Deterministic, non-periodic content: byte @i of stream @seed. */
static inline unsigned char tst_byte(unsigned int seed, size_t i)
{
	uint32_t x = (uint32_t)i * 0x9e3779b1u + seed * 0x85ebca6bu;

	x ^= x >> 15;
	x *= 0xc2b2ae35u;
	x ^= x >> 13;
	return (unsigned char)(x ^ (x >> 24));
}

static inline void tst_fill_pattern(void *buf, size_t len, unsigned int seed,
				   size_t off)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = tst_byte(seed, off + i);
}

/* Index of the first byte that differs from the pattern, or -1. */
static inline long tst_check_pattern(const void *buf, size_t len,
				    unsigned int seed, size_t off)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != tst_byte(seed, off + i))
			return (long)i;
	return -1;
}

/* Write @len pattern bytes (offset @off) with one write() call. */
static inline ssize_t tst_write_pattern(int fd, size_t len, unsigned int seed,
				       size_t off)
{
	unsigned char *buf = malloc(len ? len : 1);
	ssize_t r;
	int err;

	if (!buf)
		return -1;
	tst_fill_pattern(buf, len, seed, off);
	r = write(fd, buf, len);
	err = errno;
	free(buf);
	errno = err;
	return r;
}

/* A memfd (shmem: page-cache pages) holding one page of pattern @seed; -1 on failure. */
static inline int tst_pattern_memfd(unsigned int seed)
{
	int fd = memfd_create("minipipe-test", 0);

	if (fd < 0)
		return -1;
	if (tst_write_pattern(fd, TST_PAGE, seed, 0) != TST_PAGE) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Splice @len bytes from offset 0 of file @fd into @wfd through the
 * kernel pipe @h (splice(2) needs a pipe on one side): by reference, so
 * the pipe behind @wfd then holds the file's page-cache pages.  Returns
 * what the second splice returned, or -1 (errno) or -2 (short) for the first.
 */
static inline ssize_t tst_splice_file_in(int fd, int h[2], int wfd, size_t len)
{
	loff_t off = 0;
	ssize_t r;

	r = splice(fd, &off, h[1], NULL, len, 0);
	if (r != (ssize_t)len)
		return r < 0 ? r : -2;
	return splice(h[0], NULL, wfd, NULL, len, 0);
}

/*
 * A second pipe of @m's kind, for the calls between two pipes (tee,
 * splice): a kernel pipe for pipe and fifo, an anonymous minipipe for the
 * minipipe variants.  0, or -1 with errno.
 */
static inline int tst_other_pipe(const struct tst_pipe *m, int o[2])
{
	return tst_is_minipipe(m) ? minipipe_pipe2(o, 0) : pipe(o);
}

/*
 * The first byte of @fd's first page that is not pattern @seed, or -1 if
 * it is all there; -2 if it cannot be read.  *@got gets that byte.
 */
static inline long tst_memfd_changed(int fd, unsigned int seed, unsigned char *got)
{
	unsigned char page[TST_PAGE];
	long bad;

	if (pread(fd, page, sizeof(page), 0) != (ssize_t)sizeof(page))
		return -2;
	bad = tst_check_pattern(page, sizeof(page), seed, 0);
	if (bad >= 0)
		*got = page[bad];
	return bad;
}

/*
 * Fill the pipe with non-blocking page writes until it is full; returns
 * the bytes written.  The fd's blocking mode is restored.
 */
static inline ssize_t tst_fill(int wfd)
{
	static char page[TST_PAGE];
	bool nb = tst_is_nonblock(wfd);
	ssize_t total = 0, r;

	memset(page, 'f', sizeof(page));
	tst_set_nonblock(wfd, true);
	/* Bounded, so a pipe that never fills fails instead of hanging. */
	while (total <= 2 * TST_CAPACITY &&
	       (r = write(wfd, page, sizeof(page))) > 0)
		total += r;
	if (total <= 2 * TST_CAPACITY && errno != EAGAIN)
		total = -1;
	tst_set_nonblock(wfd, nb);
	return total;
}

/* Read everything queued without blocking; returns bytes read. */
static inline ssize_t tst_drain(int rfd)
{
	static char buf[TST_CAPACITY];
	bool nb = tst_is_nonblock(rfd);
	ssize_t total = 0, r;

	tst_set_nonblock(rfd, true);
	while (total <= 4 * TST_CAPACITY &&
	       (r = read(rfd, buf, sizeof(buf))) > 0)
		total += r;
	tst_set_nonblock(rfd, nb);
	return total;
}

/* poll() one fd with timeout 0 and return its revents (-1 on error). */
static inline int tst_revents(int fd, short events)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int r = poll(&pfd, 1, 0);

	if (r < 0)
		return -1;
	return pfd.revents;
}

/*
 * @pages accessible pages followed by one PROT_NONE page: the first
 * faulting byte is at offset @pages * 4096 of the returned buffer.
 */
static inline char *tst_hole_buf(int pages)
{
	size_t len = (size_t)(pages + 1) * TST_PAGE;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0, (size_t)pages * TST_PAGE);
	if (mprotect(p + (size_t)pages * TST_PAGE, TST_PAGE, PROT_NONE)) {
		munmap(p, len);
		return NULL;
	}
	return p;
}

/* Small xorshift PRNG: reproducible sizes and data. */
static inline uint64_t tst_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

/*
 * "program -r fixture.variant.test [-r ...]" runs only the named tests,
 * and "program -l" lists every name, as newer harnesses do: the 6.1
 * kselftest_harness.h runs every test whatever its arguments.  The labs
 * (tools/learn/labs) name the tests that must catch their mistake this way.
 */
static inline bool tst_name_is(const char *want, const struct __fixture_metadata *f,
			       const struct __fixture_variant_metadata *v,
			       const struct __test_metadata *t)
{
	char name[256];

	snprintf(name, sizeof(name), "%s%s%s.%s", f->name, v->name[0] ? "." : "",
		 v->name, t->name);
	return !strcmp(want, name);
}

/*
 * Walk every test: with @count names, run the tests named, once each and
 * in the harness's order; with none, list every name.  Returns the exit
 * status, KSFT_FAIL when a name matches no test.
 */
static inline int tst_run_named(char **names, int count)
{
	struct __fixture_variant_metadata no_variant = { .name = "" };
	struct __fixture_variant_metadata *v;
	struct __fixture_metadata *f;
	struct __test_metadata *t;
	struct __test_results *results;
	int i, found = 0, failed = 0;

	for (i = 0; i < count; i++) {
		bool known = false;

		for (f = __fixture_list; f; f = f->next)
			for (v = f->variant ?: &no_variant; v; v = v->next)
				for (t = f->tests; t; t = t->next)
					known |= tst_name_is(names[i], f, v, t);
		if (!known) {
			fprintf(stderr, "no test named %s (-l lists them)\n", names[i]);
			return KSFT_FAIL;
		}
	}
	results = mmap(NULL, sizeof(*results), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (results == MAP_FAILED)
		return KSFT_FAIL;
	if (count) {
		ksft_print_header();
		ksft_set_plan(count);
	}
	for (f = __fixture_list; f; f = f->next) {
		for (v = f->variant ?: &no_variant; v; v = v->next) {
			for (t = f->tests; t; t = t->next) {
				for (i = 0; i < count; i++)
					if (tst_name_is(names[i], f, v, t))
						break;
				if (!count) {
					printf("%s%s%s.%s\n", f->name, v->name[0] ? "." : "",
					       v->name, t->name);
					continue;
				}
				if (i == count)
					continue;
				found++;
				t->results = results;
				__run_test(f, v, t);
				t->results = NULL;
				failed |= !t->passed;
			}
		}
	}
	munmap(results, sizeof(*results));
	if (!count)
		return KSFT_PASS;
	ksft_print_msg("%s: %d / %d tests passed.\n", failed ? "FAILED" : "PASSED",
		       found - failed, found);
	return failed ? KSFT_FAIL : KSFT_PASS;
}

static inline int tst_main(int argc, char **argv)
{
	char **names;
	int i, count = 0;

	/* Any other option (-v variant, ...) is the harness's own. */
	if (argc < 2 || (strcmp(argv[1], "-l") && strcmp(argv[1], "-r")))
		return test_harness_run(argc, argv);
	if (!strcmp(argv[1], "-l") && argc == 2)
		return tst_run_named(NULL, 0);
	names = calloc(argc, sizeof(*names));
	if (!names)
		return KSFT_FAIL;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-r") || i + 1 == argc) {
			fprintf(stderr, "usage: %s [-l | -r fixture.variant.test ...]\n",
				argv[0]);
			return KSFT_FAIL;
		}
		names[count++] = argv[++i];
	}
	return tst_run_named(names, count);
}

#undef TEST_HARNESS_MAIN
#define TEST_HARNESS_MAIN \
	int main(int argc, char **argv) { return tst_main(argc, argv); }

#endif /* MINIPIPE_TEST_H */
