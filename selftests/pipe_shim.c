// SPDX-License-Identifier: GPL-2.0
/*
 * The LD_PRELOAD shim (tools/user/lib/shim.c, linked in here with its
 * entry points named tst_shim_*) against the kernel's own calls, in the
 * same state: the oracle is pipe2(2) / fcntl(2) run first, then the shim.
 *
 * pipe2: after every call, success or failure, the descriptor table (each
 * open fd of /proc/self/fd with its FD_CLOEXEC) must be the kernel's, the
 * returned numbers and errno too: the first pipe after close(0), holes,
 * O_CLOEXEC, bad flags, EFAULT, 0 to 3 free slots under RLIMIT_NOFILE,
 * a forked child, across execve(), threads creating pipes at once.
 * fcntl: F_GETPIPE_SZ/F_SETPIPE_SZ on a minipipe end give what they give
 * on a kernel pipe (sizes, EINVAL, EBUSY, EPERM); on other descriptors
 * and for other commands, what libc's fcntl gives.  Rule R118.
 *
 * The binary doubles as the exec helper: run as
 *	pipe_shim --mp-fd-table
 * it prints its descriptor table (numbers, kinds) on stdout.
 */
#include <pthread.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "minipipe_test.h"

#define FD_TABLE_ARG	"--mp-fd-table"
#define TABLE_MAX	512
#define FD_PROBE	1024		/* the descriptors looked at */

int tst_shim_pipe2(int fd[2], int flags);
int tst_shim_pipe(int fd[2]);
int tst_shim_fcntl(int fd, int cmd, ...);
int tst_shim_fcntl64(int fd, int cmd, ...);
ssize_t tst_shim_tee(int fd_in, int fd_out, size_t len, unsigned int flags);
ssize_t tst_shim_splice(int fd_in, loff_t *off_in, int fd_out, loff_t *off_out, size_t len,
			unsigned int flags);
ssize_t tst_shim_vmsplice(int fd, const struct iovec *iov, size_t nr_segs, unsigned int flags);

/* A descriptor table: fd numbers in order, each with its FD_CLOEXEC. */
struct table {
	int n;
	int fd[TABLE_MAX];
	int cloexec[TABLE_MAX];
};

/*
 * Probed with F_GETFD, fd by fd: a listing of /proc/self/fd would need a
 * descriptor itself, and there is none to spare at the RLIMIT_NOFILE
 * limit.
 */
static int table_read(struct table *t)
{
	int fd, flags;

	t->n = 0;
	for (fd = 0; fd < FD_PROBE; fd++) {
		flags = fcntl(fd, F_GETFD);
		if (flags < 0)
			continue;
		if (t->n == TABLE_MAX)
			return -1;
		t->fd[t->n] = fd;
		t->cloexec[t->n++] = flags;
	}
	return 0;
}

static bool table_equal(const struct table *a, const struct table *b)
{
	return a->n == b->n && !memcmp(a->fd, b->fd, a->n * sizeof(a->fd[0])) &&
	       !memcmp(a->cloexec, b->cloexec, a->n * sizeof(a->cloexec[0]));
}

static void table_print(const char *what, const struct table *t)
{
	int i;

	fprintf(stderr, "# %s:", what);
	for (i = 0; i < t->n; i++)
		fprintf(stderr, " %d%s", t->fd[i], t->cloexec[i] & FD_CLOEXEC ? "c" : "");
	fprintf(stderr, "\n");
}

static bool is_minipipe_end(int fd)
{
	char path[64], link[64] = "";

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (readlink(path, link, sizeof(link) - 1) < 0)
		return false;
	return !strcmp(link, "anon_inode:[minipipe]");
}

FIXTURE(shim) {
	int unused;
};

FIXTURE_SETUP(shim)
{
}

FIXTURE_TEARDOWN(shim)
{
}

static bool shim_usable(void)
{
	return access(MINIPIPE_CTL_PATH, R_OK) == 0;
}

#define TST_START_SHIM() do {						\
	if (!shim_usable())						\
		SKIP(return, "%s: minipipe not loaded", MINIPIPE_CTL_PATH); \
} while (0)

/* One call's outcome: result, errno, the pair, the table after it. */
struct outcome {
	int ret, err, fds[2];
	struct table t;
};

/*
 * pipe2(2), then the shim, in the same state (the kernel's pair is closed
 * again first, and the table is checked to be back where it was).  fds is
 * the array to pass (NULL: a local one; a bad pointer for EFAULT).
 * want_mini: a shim pair that succeeded must be a minipipe.
 */
static int differential(int flags, int *fds, bool want_mini)
{
	static struct outcome k, s;
	static struct table before, back;
	int local[2] = { -1, -1 }, *arr = fds ? fds : local;

	if (table_read(&before))
		return 1;
	errno = 0;
	k.ret = syscall(SYS_pipe2, arr, flags);
	k.err = k.ret ? errno : 0;
	if (!k.ret)
		memcpy(k.fds, arr, sizeof(k.fds));
	if (table_read(&k.t))
		return 2;
	if (!k.ret) {
		close(k.fds[0]);
		close(k.fds[1]);
	}
	if (table_read(&back) || !table_equal(&before, &back))
		return 3;
	local[0] = local[1] = -1;
	errno = 0;
	s.ret = tst_shim_pipe2(arr, flags);
	s.err = s.ret ? errno : 0;
	if (!s.ret)
		memcpy(s.fds, arr, sizeof(s.fds));
	if (table_read(&s.t))
		return 4;
	if (s.ret != k.ret || s.err != k.err) {
		fprintf(stderr, "# flags %#x: pipe2 %d (%s), shim %d (%s)\n", flags,
			k.ret, strerror(k.err), s.ret, strerror(s.err));
		return 5;
	}
	if (!table_equal(&k.t, &s.t)) {
		table_print("before", &before);
		table_print("pipe2 ", &k.t);
		table_print("shim  ", &s.t);
		return 6;
	}
	if (!s.ret && (s.fds[0] != k.fds[0] || s.fds[1] != k.fds[1])) {
		fprintf(stderr, "# pipe2 [%d, %d], shim [%d, %d]\n",
			k.fds[0], k.fds[1], s.fds[0], s.fds[1]);
		return 7;
	}
	if (!s.ret) {
		if (want_mini && (!is_minipipe_end(s.fds[0]) || !is_minipipe_end(s.fds[1])))
			return 8;
		if (write(s.fds[1], "s", 1) != 1)
			return 9;
		close(s.fds[0]);
		close(s.fds[1]);
	}
	return 0;
}

/* Run body in a child (it may close 0 or lower RLIMIT_NOFILE); 0 = pass. */
#define IN_CHILD(...) do {						\
	pid_t pid_ = fork();						\
	int status_;							\
									\
	ASSERT_LE(0, pid_);						\
	if (pid_ == 0) {						\
		__VA_ARGS__;						\
	}								\
	ASSERT_EQ(pid_, waitpid(pid_, &status_, 0));			\
	ASSERT_TRUE(WIFEXITED(status_));				\
	ASSERT_EQ(0, WEXITSTATUS(status_));				\
} while (0)

static const int all_flags[] = { 0, O_CLOEXEC, O_NONBLOCK, O_CLOEXEC | O_NONBLOCK | O_DIRECT };

/* R118: close(0); pipe(fd) gives fd[0] == 0, as pipe2(2) does. */
TEST_F(shim, first_pipe_after_close0)
{
	TST_START_SHIM();
	IN_CHILD({
		int fds[2];

		close(0);
		if (tst_shim_pipe(fds) || fds[0] != 0)
			_exit(20);
		close(fds[0]);
		close(fds[1]);
		for (size_t i = 0; i < ARRAY_SIZE(all_flags); i++) {
			int r = differential(all_flags[i], NULL, true);

			if (r)
				_exit(r);
		}
		_exit(0);
	});
}

/* R118: lowest free numbering with holes, every flag combination. */
TEST_F(shim, lowest_free_with_holes)
{
	int fds[8], i;
	size_t f;

	TST_START_SHIM();
	for (i = 0; i < 8; i++)
		ASSERT_LE(0, fds[i] = open("/dev/null", O_RDONLY));
	close(fds[1]);
	close(fds[4]);
	close(fds[5]);
	for (f = 0; f < ARRAY_SIZE(all_flags); f++)
		ASSERT_EQ(0, differential(all_flags[f], NULL, true));
	/* One hole only: the second end goes past the last open fd. */
	close(fds[7]);
	ASSERT_LE(0, open("/dev/null", O_RDONLY));
	ASSERT_LE(0, open("/dev/null", O_RDONLY));
	for (f = 0; f < ARRAY_SIZE(all_flags); f++)
		ASSERT_EQ(0, differential(all_flags[f], NULL, true));
	for (i = 0; i < 8; i++)
		close(fds[i]);
}

/* R118: bad flags (EINVAL) and a bad array (EFAULT) leave the table alone. */
TEST_F(shim, failures_leave_table)
{
	static const int bad[] = { O_APPEND, O_RDWR, O_NONBLOCK | O_TRUNC, -1 };
	size_t i;

	TST_START_SHIM();
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		ASSERT_EQ(0, differential(bad[i], NULL, false));
	ASSERT_EQ(0, differential(0, (int *)1, false));
	ASSERT_EQ(0, differential(O_CLOEXEC, (int *)1, false));
	/* Bad flags and a bad array: EINVAL wins. */
	ASSERT_EQ(0, differential(O_APPEND, (int *)1, false));
}

/*
 * R118: RLIMIT_NOFILE, 0, 1, 2 and 3 free slots (2: pipe2 succeeds and so
 * does the shim, with the kernel's pipe; 3: a minipipe), and a bad
 * array or bad flags with a full table.
 */
TEST_F(shim, emfile_at_limit)
{
	TST_START_SHIM();
	IN_CHILD({
		static int opened[128];
		struct rlimit rl = { 32, 32 };
		int n = 0, fd, free_slots, r;

		if (setrlimit(RLIMIT_NOFILE, &rl))
			_exit(20);
		while (n < 128 && (fd = open("/dev/null", O_RDONLY)) >= 0)
			opened[n++] = fd;
		if (errno != EMFILE || n < 5)
			_exit(21);
		for (free_slots = 0; free_slots <= 3; free_slots++) {
			if (free_slots)
				close(opened[--n]);
			r = differential(0, NULL, free_slots == 3);
			if (!r)
				r = differential(O_CLOEXEC, NULL, free_slots == 3);
			if (!r)
				r = differential(0, (int *)1, false);
			if (!r)
				r = differential(O_APPEND, NULL, false);
			if (r)
				_exit(30 + 10 * free_slots + r);
		}
		_exit(0);
	});
}

/* R118: in a forked child, the first pipe is the same, and a minipipe. */
TEST_F(shim, after_fork)
{
	int fds[2];

	TST_START_SHIM();
	/* The parent has made one: whatever it keeps must not matter. */
	ASSERT_EQ(0, tst_shim_pipe2(fds, O_CLOEXEC));
	IN_CHILD({
		int r = differential(0, NULL, true);

		_exit(r ? r : differential(O_CLOEXEC, NULL, true));
	});
	close(fds[0]);
	close(fds[1]);
}

/*
 * Child of across_exec: make a pair without and one with O_CLOEXEC
 * (with pipe2(2) or the shim), then exec this binary, which prints its
 * table; returns the output read back, or NULL.
 */
static char *exec_table(bool shim, char *buf, size_t size)
{
	int out[2], p1[2], p2[2], status;
	ssize_t n, len = 0;
	pid_t pid;

	if (pipe2(out, O_CLOEXEC))
		return NULL;
	pid = fork();
	if (pid < 0)
		return NULL;
	if (pid == 0) {
		if (dup2(out[1], 1) != 1)
			_exit(1);
		if (shim ? tst_shim_pipe2(p1, 0) || tst_shim_pipe2(p2, O_CLOEXEC) :
			   pipe2(p1, 0) || pipe2(p2, O_CLOEXEC))
			_exit(2);
		execl("/proc/self/exe", "pipe_shim", FD_TABLE_ARG, (char *)NULL);
		_exit(3);
	}
	close(out[1]);
	while ((n = read(out[0], buf + len, size - 1 - len)) > 0)
		len += n;
	buf[len] = 0;
	close(out[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return NULL;
	return buf;
}

/* R118: after execve(), the same fds survive, of the same kind. */
TEST_F(shim, across_exec)
{
	char kernel[1024], shim[1024];

	TST_START_SHIM();
	ASSERT_NE(NULL, exec_table(false, kernel, sizeof(kernel)));
	ASSERT_NE(NULL, exec_table(true, shim, sizeof(shim)));
	TH_LOG("pipe2: %s shim: %s", kernel, shim);
	ASSERT_STREQ(kernel, shim);
	/* The pair without O_CLOEXEC made it through. */
	ASSERT_NE(NULL, strstr(kernel, "pipe"));
}

#define THREADS		4
#define ROUNDS		200

struct thread_arg {
	int (*make)(int fd[2], int flags);
	int failed;
};

static void *pipe_thread(void *p)
{
	struct thread_arg *a = p;
	int fds[2], null, i;
	char c;

	for (i = 0; i < ROUNDS && !a->failed; i++) {
		/* Other descriptors come and go in between. */
		null = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (a->make(fds, i & 1 ? O_CLOEXEC : 0)) {
			a->failed = 1;
			break;
		}
		if (((fcntl(fds[0], F_GETFD) & FD_CLOEXEC) != 0) != (i & 1) ||
		    write(fds[1], "t", 1) != 1 || read(fds[0], &c, 1) != 1)
			a->failed = 2;
		if (fork() == 0)
			_exit(0);
		close(fds[0]);
		close(fds[1]);
		close(null);
	}
	return NULL;
}

static int kernel_pipe2(int fd[2], int flags)
{
	return syscall(SYS_pipe2, fd, flags);
}

/* Threads that make pipes (and fork) at once leave nothing behind. */
static void run_threads(struct __test_metadata *_metadata,
			int (*make)(int fd[2], int flags))
{
	static struct table before, after;
	struct thread_arg args[THREADS] = {};
	pthread_t tid[THREADS];
	int i;

	ASSERT_EQ(0, table_read(&before));
	for (i = 0; i < THREADS; i++) {
		args[i].make = make;
		ASSERT_EQ(0, pthread_create(&tid[i], NULL, pipe_thread, &args[i]));
	}
	for (i = 0; i < THREADS; i++) {
		ASSERT_EQ(0, pthread_join(tid[i], NULL));
		EXPECT_EQ(0, args[i].failed);
	}
	while (waitpid(-1, NULL, 0) > 0)
		;
	ASSERT_EQ(0, table_read(&after));
	if (!table_equal(&before, &after)) {
		table_print("before", &before);
		table_print("after ", &after);
	}
	ASSERT_TRUE(table_equal(&before, &after));
}

/*
 * R118: the same with pipe2(2) (the oracle) and with the shim.  Some 1600
 * forks in all: minutes on the KASAN kernel under TCG, hence the bound.
 */
TEST_F_TIMEOUT(shim, threads_leave_nothing, 300)
{
	TST_START_SHIM();
	run_threads(_metadata, kernel_pipe2);
	run_threads(_metadata, tst_shim_pipe2);
}

/*
 * One F_SETPIPE_SZ then F_GETPIPE_SZ, on the kernel pipe with
 * fcntl(2) and on the minipipe through the shim's fcntl (and fcntl64):
 * the same result and errno.
 */
static int size_step(int kfd, int mfd, long arg)
{
	int kr, ke, mr, me, m64;

	errno = 0;
	kr = fcntl(kfd, F_SETPIPE_SZ, arg);
	ke = errno;
	errno = 0;
	mr = tst_shim_fcntl(mfd, F_SETPIPE_SZ, arg);
	me = errno;
	if (kr != mr || (kr < 0 && ke != me)) {
		fprintf(stderr, "# F_SETPIPE_SZ %ld: pipe %d (%s), minipipe %d (%s)\n",
			arg, kr, strerror(ke), mr, strerror(me));
		return 1;
	}
	kr = fcntl(kfd, F_GETPIPE_SZ);
	mr = tst_shim_fcntl(mfd, F_GETPIPE_SZ);
	m64 = tst_shim_fcntl64(mfd, F_GETPIPE_SZ);
	if (kr != mr || mr != m64 || mr <= 0) {
		fprintf(stderr, "# F_GETPIPE_SZ: pipe %d, minipipe %d, fcntl64 %d\n", kr, mr, m64);
		return 2;
	}
	return 0;
}

static const long sizes[] = {
	0, 1, 4096, 4097, 8192, 65536, 12288, 1 << 20, -1,
	(1L << 31) + 1, 0xffffffffL, 65536,
	/*
	 * Not above 2^32: what the module answers there is pipe_size's
	 * business (docs/semantics.md D7); the shim passes it on as it is.
	 */
};

/*
 * R118: the sizes of section 9 (rounding, EINVAL, EBUSY, EPERM) through
 * the shim's fcntl on a minipipe, and with fcntl(2) on a kernel pipe.
 */
TEST_F(shim, fcntl_pipe_size)
{
	int k[2], m[2], i;
	static char fill[32768];

	TST_START_SHIM();
	ASSERT_EQ(0, pipe2(k, O_NONBLOCK));
	ASSERT_EQ(0, tst_shim_pipe2(m, O_NONBLOCK));
	ASSERT_TRUE(is_minipipe_end(m[0]));
	for (i = 0; i < (int)ARRAY_SIZE(sizes); i++) {
		EXPECT_EQ(0, size_step(k[0], m[0], sizes[i])) TH_LOG("size %ld", sizes[i]);
		EXPECT_EQ(0, size_step(k[1], m[1], sizes[i])) TH_LOG("size %ld", sizes[i]);
	}
	/* EBUSY: shrinking below what the pipe holds. */
	ASSERT_EQ(0, size_step(k[1], m[1], 65536));
	ASSERT_EQ((ssize_t)sizeof(fill), write(k[1], fill, sizeof(fill)));
	ASSERT_EQ((ssize_t)sizeof(fill), write(m[1], fill, sizeof(fill)));
	ASSERT_EQ(-1, fcntl(k[1], F_SETPIPE_SZ, 4096));
	ASSERT_EQ(EBUSY, errno);
	ASSERT_EQ(0, size_step(k[1], m[1], 4096));
	/* EPERM: above pipe-max-size without CAP_SYS_RESOURCE. */
	IN_CHILD({
		if (setresuid(65534, 65534, 65534))
			_exit(20);
		if (fcntl(k[0], F_SETPIPE_SZ, 1 << 21) != -1 || errno != EPERM)
			_exit(21);
		_exit(size_step(k[0], m[0], 1 << 21) ? 22 : 0);
	});
	close(k[0]);
	close(k[1]);
	close(m[0]);
	close(m[1]);
}

/* R118: other descriptors and other commands get libc's fcntl. */
TEST_F(shim, fcntl_others_untouched)
{
	char fifo[] = "/tmp/pipe_shim.XXXXXX";
	int null, m[2], dir, f, a, b;

	TST_START_SHIM();
	ASSERT_LE(0, null = open("/dev/null", O_RDWR));
	ASSERT_EQ(0, tst_shim_pipe2(m, 0));
	/* Not a pipe: EBADF from both, as from the kernel. */
	ASSERT_EQ(-1, tst_shim_fcntl(null, F_GETPIPE_SZ));
	ASSERT_EQ(EBADF, errno);
	ASSERT_EQ(-1, tst_shim_fcntl(null, F_SETPIPE_SZ, 8192));
	ASSERT_EQ(EBADF, errno);
	ASSERT_EQ(-1, tst_shim_fcntl(999, F_GETPIPE_SZ));
	ASSERT_EQ(EBADF, errno);
	/* A FIFO: the kernel's own answer. */
	ASSERT_NE(NULL, mkdtemp(fifo));
	ASSERT_LE(0, dir = open(fifo, O_RDONLY | O_DIRECTORY));
	ASSERT_EQ(0, mkfifoat(dir, "f", 0600));
	ASSERT_LE(0, f = openat(dir, "f", O_RDWR));
	ASSERT_EQ(8192, tst_shim_fcntl(f, F_SETPIPE_SZ, 8192));
	ASSERT_EQ(8192, fcntl(f, F_GETPIPE_SZ));
	/* Other commands, on a minipipe too. */
	ASSERT_EQ(fcntl(m[1], F_GETFL), tst_shim_fcntl(m[1], F_GETFL));
	ASSERT_EQ(0, tst_shim_fcntl(m[1], F_SETFL, O_NONBLOCK));
	ASSERT_EQ(O_WRONLY | O_NONBLOCK, fcntl(m[1], F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	a = fcntl(m[0], F_DUPFD_CLOEXEC, 100);
	b = tst_shim_fcntl64(m[0], F_DUPFD_CLOEXEC, 100);
	ASSERT_EQ(100, a);
	ASSERT_EQ(101, b);
	ASSERT_EQ(FD_CLOEXEC, fcntl(b, F_GETFD));
	ASSERT_EQ(-1, tst_shim_fcntl(null, 12345));
	ASSERT_EQ(EINVAL, errno);
	close(a);
	close(b);
	close(f);
	unlinkat(dir, "f", 0);
	close(dir);
	rmdir(fifo);
	close(m[0]);
	close(m[1]);
	close(null);
}

/* ---- tee, splice and vmsplice ------------------------------------------ */

/* The calls of one run: the kernel's, or the shim's (over minipipes). */
struct zc_ops {
	int (*pipe2)(int fd[2], int flags);
	ssize_t (*tee)(int fd_in, int fd_out, size_t len, unsigned int flags);
	ssize_t (*splice)(int fd_in, loff_t *off_in, int fd_out, loff_t *off_out, size_t len,
			  unsigned int flags);
	ssize_t (*vmsplice)(int fd, const struct iovec *iov, size_t nr_segs, unsigned int flags);
};

#define ZC_STEPS	64

/* What a run saw: each step's result and errno, and what the pipes held. */
struct zc_run {
	int n;
	const char *what[ZC_STEPS];
	long ret[ZC_STEPS];
	int err[ZC_STEPS];
	bool minipipe;		/* the run's pipes were minipipes */
	bool cut;		/* it had more than ZC_STEPS steps */
};

/* Note a step's result (a run with more steps than ZC_STEPS is cut: see the test). */
static void zc_note(struct zc_run *r, const char *what, long ret)
{
	if (r->n == ZC_STEPS) {
		r->cut = true;
		return;
	}
	r->what[r->n] = what;
	r->ret[r->n] = ret;
	r->err[r->n++] = ret < 0 ? errno : 0;
}

/* Read what @fd holds now, without blocking; the count. */
static ssize_t zc_take(int fd, char *buf, size_t size)
{
	tst_set_nonblock(fd, true);
	return read(fd, buf, size);
}

/* Fill @fd's pipe, empty, to one free slot: 15 pages of @page. */
static void zc_fill_but_one(struct zc_run *r, int fd, const char *page)
{
	long total = 0;
	int i;

	for (i = 0; i < TST_SLOTS - 1; i++)
		total += write(fd, page, TST_PAGE);
	zc_note(r, "fifteen pages written", total);
}

/*
 * One sequence of tee, splice and vmsplice calls, the same for both runs:
 * a vmsplice in, a tee, a splice between two pipes, a file's page spliced
 * in and a pipe spliced out into a file (at an offset), then the errors.
 */
static void zc_sequence(const struct zc_ops *o, struct zc_run *r)
{
	static char data[3000], got[TST_PAGE], big[4 * TST_PAGE];
	struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
	int p[2], q[2], sk[2], file, out, app;
	loff_t off = 0, at = 100;
	ssize_t n;

	tst_fill_pattern(data, sizeof(data), 5, 0);
	r->n = 0;
	r->cut = false;
	if (o->pipe2(p, 0) || o->pipe2(q, 0)) {
		zc_note(r, "pipe2", -1);
		return;
	}
	r->minipipe = minipipe_is_minipipe(p[0]);
	file = tst_pattern_memfd(6);
	out = memfd_create("pipe_shim-out", 0);
	zc_note(r, "vmsplice of 3000 bytes in", o->vmsplice(p[1], &iov, 1, 0));
	zc_note(r, "tee of up to 10000", o->tee(p[0], q[1], 10000, 0));
	zc_note(r, "splice of 1000 between the pipes", o->splice(p[0], NULL, q[1], NULL, 1000, 0));
	zc_note(r, "splice of a file's page in", o->splice(file, &off, p[1], NULL, TST_PAGE, 0));
	zc_note(r, "  ... the input offset after it", off);
	n = zc_take(p[0], big, sizeof(big));
	zc_note(r, "the first pipe holds", n);
	zc_note(r, "  ... the vmspliced bytes 1000-2999, then the file's page",
		n == 2000 + TST_PAGE && tst_check_pattern(big, 2000, 5, 1000) == -1 &&
		tst_check_pattern(big + 2000, TST_PAGE, 6, 0) == -1);
	zc_note(r, "splice of 3500 out into a file at 100",
		o->splice(q[0], NULL, out, &at, 3500, 0));
	zc_note(r, "  ... the output offset after it", at);
	zc_note(r, "  ... the output file's position", lseek(out, 0, SEEK_CUR));
	zc_note(r, "  ... the file holds", pread(out, got, sizeof(got), 100));
	zc_note(r, "  ... the teed 3000 bytes, then the spliced 500",
		tst_check_pattern(got, 3000, 5, 0) == -1 &&
		tst_check_pattern(got + 3000, 500, 5, 0) == -1);
	n = zc_take(q[0], big, sizeof(big));
	zc_note(r, "the second pipe holds", n);
	zc_note(r, "  ... the spliced bytes 500-999", n == 500 &&
		tst_check_pattern(big, 500, 5, 500) == -1);
	/* Two pages of a file into a pipe with room for one: the offset says one went. */
	zc_note(r, "a second page in the file", pwrite(file, data, sizeof(data), TST_PAGE));
	zc_fill_but_one(r, p[1], got);
	off = 0;
	zc_note(r, "splice of two file pages into one free slot, non-blocking",
		o->splice(file, &off, p[1], NULL, 2 * TST_PAGE, SPLICE_F_NONBLOCK));
	zc_note(r, "  ... the input offset after it", off);
	zc_note(r, "  ... the pipe holds", tst_nread(p[0]));
	while (zc_take(p[0], big, sizeof(big)) > 0)
		;
	/* The same at the file's position: it moves by what went. */
	zc_fill_but_one(r, p[1], got);
	zc_note(r, "the file's position at 0", lseek(file, 0, SEEK_SET));
	zc_note(r, "the same at the file's position",
		o->splice(file, NULL, p[1], NULL, 2 * TST_PAGE, SPLICE_F_NONBLOCK));
	zc_note(r, "  ... the file's position after it", lseek(file, 0, SEEK_CUR));
	while (zc_take(p[0], big, sizeof(big)) > 0)
		;
	/* From a socket, which cannot take bytes back: what fits, then EAGAIN. */
	zc_note(r, "socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sk));
	zc_note(r, "8192 bytes into the socket", write(sk[1], big, 2 * TST_PAGE));
	zc_fill_but_one(r, p[1], got);
	zc_note(r, "splice of 8192 from the socket into one free slot, non-blocking",
		o->splice(sk[0], NULL, p[1], NULL, 2 * TST_PAGE, SPLICE_F_NONBLOCK));
	zc_note(r, "  ... again, into the full pipe",
		o->splice(sk[0], NULL, p[1], NULL, 2 * TST_PAGE, SPLICE_F_NONBLOCK));
	zc_note(r, "  ... the pipe holds", tst_nread(p[0]));
	tst_set_nonblock(sk[0], true);
	zc_note(r, "  ... the socket still holds", read(sk[0], big, sizeof(big)));
	while (zc_take(p[0], big, sizeof(big)) > 0)
		;
	close(sk[0]);
	close(sk[1]);
	/* Into an O_APPEND file: EINVAL, and nothing taken out of the pipe. */
	app = memfd_create("pipe_shim-append", 0);
	zc_note(r, "O_APPEND", fcntl(app, F_SETFL, O_APPEND));
	zc_note(r, "100 bytes into the second pipe", write(q[1], data, 100));
	zc_note(r, "splice out into an O_APPEND file", o->splice(q[0], NULL, app, NULL, 100, 0));
	zc_note(r, "  ... the pipe still holds", tst_nread(q[0]));
	zc_take(q[0], big, sizeof(big));
	close(app);
	/* Errors, in the system calls' order. */
	zc_note(r, "tee of a pipe into itself", o->tee(p[0], p[1], 10, 0));
	zc_note(r, "tee with a bad flag", o->tee(p[0], q[1], 10, 0x100));
	zc_note(r, "tee from a write end", o->tee(p[1], q[1], 10, 0));
	zc_note(r, "splice with an offset on a pipe", o->splice(p[0], &off, q[1], NULL, 10, 0));
	zc_note(r, "splice from an empty pipe, non-blocking",
		o->splice(p[0], NULL, out, NULL, 10, SPLICE_F_NONBLOCK));
	zc_note(r, "splice with an offset on the pipe's side",
		o->splice(file, &off, q[1], &at, 10, 0));
	zc_note(r, "vmsplice into a file", o->vmsplice(out, &iov, 1, 0));
	zc_note(r, "vmsplice into a closed descriptor", o->vmsplice(999, &iov, 1, 0));
	close(p[1]);
	zc_note(r, "splice from a pipe at its end", o->splice(p[0], NULL, out, NULL, 10, 0));
	close(q[0]);
	zc_note(r, "tee into a pipe with no reader", o->tee(p[0], q[1], 10, 0));
	close(p[0]);
	close(q[1]);
	close(file);
	close(out);
}

/*
 * R143, R148, R118: tee(), splice() and vmsplice() through the shim over
 * minipipes give what the kernel's calls give over kernel pipes, step by
 * step: results, errno, offsets and bytes, including splice between a
 * minipipe and a file in both directions (through a temporary pipe).
 */
TEST_F(shim, tee_splice_vmsplice)
{
	const struct zc_ops kernel = { pipe2, tee, splice, vmsplice };
	const struct zc_ops shim = { tst_shim_pipe2, tst_shim_tee, tst_shim_splice,
				     tst_shim_vmsplice };
	static struct zc_run want, got;
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	int i;

	TST_START_SHIM();
	zc_sequence(&kernel, &want);
	zc_sequence(&shim, &got);
	signal(SIGPIPE, old);
	ASSERT_FALSE(want.minipipe);
	ASSERT_TRUE(got.minipipe) TH_LOG("the shim's pipe2() made no minipipe");
	ASSERT_FALSE(want.cut) TH_LOG("more steps than ZC_STEPS");
	ASSERT_EQ(want.n, got.n);
	for (i = 0; i < want.n; i++) {
		EXPECT_EQ(want.ret[i], got.ret[i]) TH_LOG("%s: returned %ld, the kernel's %ld",
							  want.what[i], got.ret[i], want.ret[i]);
		EXPECT_EQ(want.err[i], got.err[i]) TH_LOG("%s: errno %s, the kernel's %s",
							  want.what[i], strerror(got.err[i]),
							  strerror(want.err[i]));
	}
}

/* The exec helper: the table, one "fd:kind" a line (pipe, minipipe, other). */
static int print_fd_table(void)
{
	static struct table t;
	char path[64], link[64];
	int i;

	if (table_read(&t))
		return 1;
	for (i = 0; i < t.n; i++) {
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", t.fd[i]);
		n = readlink(path, link, sizeof(link) - 1);
		link[n < 0 ? 0 : n] = 0;
		printf("%d:%s%s\n", t.fd[i],
		       !strncmp(link, "pipe:", 5) || !strcmp(link, "anon_inode:[minipipe]") ?
				"pipe" : "other",
		       t.cloexec[i] & FD_CLOEXEC ? ",cloexec" : "");
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], FD_TABLE_ARG))
		return print_fd_table();
	return test_harness_run(argc, argv);
}
