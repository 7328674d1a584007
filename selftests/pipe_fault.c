// SPDX-License-Identifier: GPL-2.0
/*
 * pipe_fault — make minipipe's allocations fail and check that every call
 * still ends cleanly.
 *
 * It needs a kernel with CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC,
 * CONFIG_FAULT_INJECTION_DEBUG_FS and CONFIG_FAULT_INJECTION (fail-nth):
 * the debug kernels of make check-debug.  Without them, or without a
 * second named pipe, it skips itself (kselftest's exit status 4).  Two
 * kinds of faults:
 *
 *  1. "every allocation fails": failslab and fail_page_alloc with
 *     task-filter=Y and probability=100, and /proc/self/make-it-fail=1, so
 *     that every slab and page allocation of this task fails while it
 *     opens a pipe, writes, resizes and creates an anonymous pipe.
 *  2. "the n-th allocation fails": /proc/thread-self/fail-nth, for
 *     n = 1, 2, ... until the call no longer reaches an n-th allocation.
 *     This walks every allocation of the call, the kernel's (VFS, file
 *     and dentry allocation) and minipipe's (the file's private data, the
 *     ring, its pages, the resized ring, the anonymous pipe), one at a
 *     time, in order.  Also over tee, splice between minipipes and
 *     vmsplice (MINIPIPE_IOC_TEE, _SPLICE, _VMSPLICE): the first two take
 *     page references and may reach no allocation at all, and then must
 *     simply work (fail-nth counts the usercopy faults too where
 *     CONFIG_FAULT_INJECTION_USERCOPY is set; the debug kernels do not set
 *     it); vmsplice allocates its iovec array.
 *
 * A call may succeed (the failed allocation was one the kernel can do
 * without) or fail with ENOMEM (MINIPIPE_IOC_PIPE2: ENFILE for its pipe,
 * inode or ring, as pipe(2)); a write may also return a short count,
 * always a whole number of pages after the merged head, and a tee,
 * splice or vmsplice a short count of bytes that went through.  Any other result
 * is a failure.  After each call, with faults off, the pipe must be
 * consistent: FIONREAD counts exactly the bytes accepted, reading gives
 * them back intact, the size is the old or the new one, no file
 * descriptor was left behind, and the pipe's debugfs state shows no
 * reader, writer or file that is not open (read with mptop's parser,
 * tools/learn/mptop/mpstate.c).  After each test the per-user page totals
 * of the debugfs users file are what they were before it: no failed call
 * left a charge behind or gave back one it never made.  Leaks are for
 * kmemleak, after rmmod (tools/project/vm/guest/init).
 *
 * Usage: pipe_fault [NAMED_PIPE]   (default /dev/minipipe1: a pipe nobody
 *                                   else opens; its debugfs state file is
 *                                   /sys/kernel/debug/minipipe/<basename>)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kselftest.h"
#include "minipipe.h"
#include "mpstate.h"

#define DEBUGFS		"/sys/kernel/debug"
#define PAGE		4096
#define DEFAULT_SIZE	(16 * PAGE)
/* No call of ours comes near this many allocations. */
#define SWEEP_MAX	400

static const char *named = "/dev/minipipe1";
static char state_path[256];

#define USERS_PATH	DEBUGFS "/minipipe/users"
/* The users file as it was when the running test began. */
static char users_before[4096];
/* An anonymous pipe held open through each test (users_hold()). */
static int keeper[2] = { -1, -1 };

static int fail_nth_fd = -1;
static int make_it_fail_fd = -1;
static int ctl_fd = -1;

/* Problems found by the running test, reported with its result. */
static int problems;

static unsigned char pattern[8 * PAGE];
static unsigned char buf[8 * PAGE];

static void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* A check that failed inside a test: say why, count it, go on. */
static void problem(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	problems++;
}

/* The result of the running test: "not ok" if it found a problem. */
static void result(const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	ksft_test_result(!problems, "%s\n", what);
	fflush(stdout);
	problems = 0;
}

/* Write @val to @path; 0 or -errno. */
static int put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int attr_set(const char *attr, const char *knob, const char *val)
{
	char path[128];
	int ret;

	snprintf(path, sizeof(path), DEBUGFS "/%s/%s", attr, knob);
	ret = put(path, val);
	if (ret)
		problem("cannot write '%s' to %s: %s", val, path, strerror(-ret));
	return ret;
}

/*
 * Both fault attributes: off (probability 0) until asked, quiet (a forced
 * failure prints nothing, so no stack dump reaches the console), for
 * GFP_KERNEL allocations too, order-0 pages too, and only for tasks with
 * make-it-fail set.  ignore-gfp-highmem stays Y: the test's own user pages
 * are never failed (and are locked in memory anyway).
 */
static int setup_attrs(void)
{
	static const char * const attrs[] = { "failslab", "fail_page_alloc" };
	unsigned int i;
	int ret = 0;

	for (i = 0; i < 2; i++) {
		ret |= attr_set(attrs[i], "probability", "0");
		ret |= attr_set(attrs[i], "interval", "1");
		/* No limit; an older debugfs takes only unsigned numbers. */
		if (attr_set(attrs[i], "times", "-1") && !attr_set(attrs[i], "times", "1000000000"))
			problems--;
		ret |= attr_set(attrs[i], "space", "0");
		ret |= attr_set(attrs[i], "verbose", "0");
		ret |= attr_set(attrs[i], "task-filter", "Y");
		ret |= attr_set(attrs[i], "ignore-gfp-wait", "N");
	}
	ret |= attr_set("fail_page_alloc", "min-order", "0");
	ret |= attr_set("failslab", "cache-filter", "N");
	return ret;
}

/* Phase 1: every allocation of this task fails (on) or none does (off). */
static void all_fail(bool on)
{
	if (on) {
		attr_set("failslab", "probability", "100");
		attr_set("fail_page_alloc", "probability", "100");
		if (pwrite(make_it_fail_fd, "1", 1, 0) != 1)
			problem("make-it-fail: %s", strerror(errno));
	} else {
		if (pwrite(make_it_fail_fd, "0", 1, 0) != 1)
			problem("make-it-fail: %s", strerror(errno));
		attr_set("failslab", "probability", "0");
		attr_set("fail_page_alloc", "probability", "0");
	}
}

/* Phase 2: the n-th allocation of this task from now on fails. */
static void arm_nth(unsigned int n)
{
	char num[16];
	int len = snprintf(num, sizeof(num), "%u", n);

	if (pwrite(fail_nth_fd, num, len, 0) != len)
		problem("fail-nth: %s", strerror(errno));
}

/* Did the armed fault fire?  Disarms it either way. */
static bool nth_fired(void)
{
	char num[16] = "";
	ssize_t len = pread(fail_nth_fd, num, sizeof(num) - 1, 0);

	if (len <= 0) {
		problem("fail-nth: cannot read it back");
		return true;
	}
	if (atoi(num) == 0)
		return true;
	arm_nth(0);
	return false;
}

static void fill_pattern(void)
{
	size_t i;

	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = (unsigned char)(i * 31 + (i >> 9) + 7);
}

/* The lowest free descriptor: a leaked one would change it. */
static int lowest_free_fd(void)
{
	int fd = dup(0);

	if (fd >= 0)
		close(fd);
	return fd;
}

static int fionread(int fd)
{
	int n = -1;

	if (ioctl(fd, FIONREAD, &n))
		return -errno;
	return n;
}

/* The named pipe has the open files the test believes it has. */
static void check_state(const char *when, unsigned long long readers,
			unsigned long long writers, unsigned long long files)
{
	struct pipe_state st;
	char err[256];

	if (pipe_state_load(state_path, &st, err, sizeof(err))) {
		problem("%s: %s", when, err);
		return;
	}
	if (st.readers != readers || st.writers != writers || st.files != files)
		problem("%s: debugfs says readers %llu writers %llu files %llu, expected %llu %llu %llu",
			when, st.readers, st.writers, st.files, readers, writers, files);
	pipe_state_free(&st);
}

/* Read exactly @len bytes (non-blocking fd) and compare them with @want. */
static void check_content(int fd, const unsigned char *want, size_t len, const char *when)
{
	size_t got = 0;
	ssize_t r;
	int n = fionread(fd);

	if (n != (int)len)
		problem("%s: FIONREAD %d, expected %zu", when, n, len);
	while (got < len) {
		r = read(fd, buf + got, len - got);
		if (r <= 0) {
			problem("%s: read after %zu of %zu bytes: %s", when, got, len,
				r ? strerror(errno) : "EOF");
			return;
		}
		got += r;
	}
	if (memcmp(buf, want, len))
		problem("%s: the %zu bytes read back differ from those written", when, len);
	r = read(fd, buf, 1);
	if (r != -1 || errno != EAGAIN)
		problem("%s: bytes beyond the %zu expected (read gave %zd)", when, len, r);
}

/* With faults off the pipe works: a page through it and back. */
static void check_works(int fd, const char *when)
{
	if (write(fd, pattern, PAGE + 10) != PAGE + 10) {
		problem("%s: write without faults: %s", when, strerror(errno));
		return;
	}
	check_content(fd, pattern, PAGE + 10, when);
}

/* The whole users file, with faults off; false (reported) if unreadable. */
static bool read_users(char *out, size_t size)
{
	int fd = open(USERS_PATH, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t r = 0;

	if (fd < 0) {
		problem("%s: %s", USERS_PATH, strerror(errno));
		return false;
	}
	while (len < size - 1 && (r = read(fd, out + len, size - 1 - len)) > 0)
		len += r;
	close(fd);
	out[len] = '\0';
	if (r < 0 || len == size - 1) {
		problem("%s: %s", USERS_PATH, r < 0 ? strerror(errno) : "too long to compare");
		return false;
	}
	return true;
}

/*
 * Before a test: hold an anonymous pipe open, then note the users file.
 * An entry goes with the last ring charged to its user, so without the
 * pipe a charge left behind would vanish with the entry (a warning in the
 * kernel log, nothing here); held, it stays in the total.
 */
static void users_hold(void)
{
	struct minipipe_pair pair = { .fds = (unsigned long)keeper, .flags = O_NONBLOCK };

	if (ioctl(ctl_fd, MINIPIPE_IOC_PIPE2, &pair)) {
		problem("MINIPIPE_IOC_PIPE2 for the pipe held open: %s", strerror(errno));
		keeper[0] = -1;
		keeper[1] = -1;
	}
	if (!read_users(users_before, sizeof(users_before)))
		users_before[0] = '\0';
}

/* @text, one "# " line per line (TAP), each after @title. */
static void diag_lines(const char *title, const char *text)
{
	const char *end;

	for (; *text; text = *end ? end + 1 : end) {
		end = strchrnul(text, '\n');
		diag("%s: %.*s", title, (int)(end - text), text);
	}
}

/* After a test: every user's total is back where it was; then let go. */
static void users_check(const char *what)
{
	char after[sizeof(users_before)];

	if (users_before[0] && read_users(after, sizeof(after)) &&
	    strcmp(users_before, after)) {
		problem("%s: the per-user page totals drifted", what);
		diag_lines("users before", users_before);
		diag_lines("users after", after);
	}
	if (keeper[0] >= 0) {
		close(keeper[0]);
		close(keeper[1]);
	}
}

static int open_named(void)
{
	int fd = open(named, O_RDWR | O_NONBLOCK);

	if (fd < 0)
		problem("open %s: %s", named, strerror(errno));
	return fd;
}

/* ---- phase 1: every allocation fails ------------------------------------ */

static void every_allocation_fails(void)
{
	struct minipipe_pair pair = { 0 };
	int pfds[2] = { -1, -1 };
	long set_ret, pipe2_ret, size;
	ssize_t w_merge_page, w_page, w_small;
	int fd, fd2, low, open_err, set_err, pipe2_err, page_err;

	users_hold();
	fd = open_named();
	if (fd < 0) {
		users_check("every allocation fails");
		result("every allocation fails # could not set up");
		return;
	}
	/* 3000 bytes in slot 0, which has room for 1096 more. */
	if (write(fd, pattern, 3000) != 3000)
		problem("write of 3000 bytes: %s", strerror(errno));
	low = lowest_free_fd();
	pair.fds = (unsigned long)pfds;

	all_fail(true);
	fd2 = open(named, O_RDWR | O_NONBLOCK);
	open_err = errno;
	/* Merges 100 bytes into slot 0, then needs a page for slot 1. */
	w_merge_page = write(fd, pattern + 3000, PAGE + 100);
	/* Nothing to merge (a whole page): needs a page at once. */
	w_page = write(fd, pattern + 3100, PAGE);
	page_err = errno;
	/* Fits in slot 0: no allocation at all. */
	w_small = write(fd, pattern + 3100, 10);
	set_ret = ioctl(fd, MINIPIPE_IOC_SET_SIZE, 8 * DEFAULT_SIZE);
	set_err = errno;
	pipe2_ret = ioctl(ctl_fd, MINIPIPE_IOC_PIPE2, &pair);
	pipe2_err = errno;
	all_fail(false);

	if (fd2 >= 0 || open_err != ENOMEM) {
		problem("open: %d (%s), expected ENOMEM", fd2, strerror(open_err));
		if (fd2 >= 0)
			close(fd2);
	}
	if (w_merge_page != 100)
		problem("write of a page + 100 bytes: %zd, expected the 100 merged bytes",
			w_merge_page);
	if (w_page != -1 || page_err != ENOMEM)
		problem("write of a page: %zd (%s), expected ENOMEM", w_page, strerror(page_err));
	if (w_small != 10)
		problem("write of 10 bytes (merged, no allocation): %zd, expected 10", w_small);
	if (set_ret != -1 || set_err != ENOMEM)
		problem("MINIPIPE_IOC_SET_SIZE: %ld (%s), expected ENOMEM", set_ret,
			strerror(set_err));
	/* As pipe(2): create_pipe_files() answers a failed get_pipe_inode() so. */
	if (pipe2_ret != -1 || pipe2_err != ENFILE) {
		problem("MINIPIPE_IOC_PIPE2: %ld (%s), expected ENFILE", pipe2_ret,
			strerror(pipe2_err));
		if (!pipe2_ret) {
			close(pfds[0]);
			close(pfds[1]);
		}
	}

	/* Faults off: the pipe is as the successful calls left it. */
	if (lowest_free_fd() != low)
		problem("a failed call left a file descriptor open");
	size = ioctl(fd, MINIPIPE_IOC_GET_SIZE);
	if (size != DEFAULT_SIZE)
		problem("size after the failed resize: %ld, expected %d", size, DEFAULT_SIZE);
	check_state("after the faults", 1, 1, 1);
	/* The 3000 bytes, the 100 merged ones, the 10 small ones: in order. */
	check_content(fd, pattern, 3110, "after the faults");
	check_works(fd, "after the faults");
	size = ioctl(fd, MINIPIPE_IOC_SET_SIZE, 8 * DEFAULT_SIZE);
	if (size != 8 * DEFAULT_SIZE)
		problem("resize without faults: %ld (%s)", size, strerror(errno));
	close(fd);
	check_state("after close", 0, 0, 0);
	users_check("every allocation fails");
	result("every allocation fails (make-it-fail, probability 100): %s",
	       "open, write, resize and pipe2 fail cleanly, the pipe stays consistent");
}

/* ---- phase 2: the n-th allocation fails --------------------------------- */

struct sweep {
	const char *what;
	/* Set up, faults off; false if that failed (already reported). */
	bool (*prepare)(void);
	/* The call under test; returns its result, errno in *err. */
	long (*call)(int *err);
	/* Judge the result, faults off, and clean up. */
	void (*verify)(long ret, int err, bool fired);
	/*
	 * The call may reach no allocation at all (tee and splice between
	 * minipipes take page references): then the sweep is one run, with
	 * allocation 1 never reached and the result checked in full.
	 */
	bool may_not_allocate;
};

static int sweep_fd = -1;
static int sweep_low;
/* Calls of the running sweep that failed or were cut short by a fault. */
static unsigned int sweep_effects;
static int sweep_pfds[2];

static bool prepare_nothing_open(void)
{
	sweep_fd = -1;
	return true;
}

static long call_open(int *err)
{
	long fd = open(named, O_RDWR | O_NONBLOCK);

	*err = errno;
	return fd;
}

static void verify_open(long ret, int err, bool fired)
{
	if (ret >= 0) {
		check_state("after a successful open", 1, 1, 1);
		check_works(ret, "after a successful open");
		close(ret);
	} else if (err != ENOMEM) {
		problem("open: %s, expected success or ENOMEM", strerror(err));
	} else if (!fired) {
		problem("open failed with no fault injected");
	}
	check_state("after open and close", 0, 0, 0);
}

/* A fresh pipe (no page yet beyond the first) holding 100 bytes. */
static bool prepare_100_bytes(void)
{
	sweep_fd = open_named();
	if (sweep_fd < 0)
		return false;
	if (write(sweep_fd, pattern, 100) != 100) {
		problem("write of 100 bytes: %s", strerror(errno));
		close(sweep_fd);
		return false;
	}
	return true;
}

#define WRITE_LEN	(3 * PAGE + 100)

static long call_write(int *err)
{
	long ret = write(sweep_fd, pattern + 100, WRITE_LEN);

	*err = errno;
	return ret;
}

static void verify_write(long ret, int err, bool fired)
{
	/*
	 * The last 100 bytes of the write merge into slot 0 first (no
	 * allocation), then each page needs a page: a short count is the 100
	 * merged bytes plus whole pages.
	 */
	if (ret < 0) {
		problem("write: %s, expected a count", strerror(err));
		ret = 0;
	} else if (ret < 100 || (ret - 100) % PAGE || ret > WRITE_LEN) {
		problem("write: %ld bytes, expected 100 + a multiple of %d", ret, PAGE);
	} else if (ret < WRITE_LEN) {
		sweep_effects++;
		if (!fired)
			problem("write: short count %ld with no fault injected", ret);
	}
	if (ret >= 0 && ret <= WRITE_LEN)
		check_content(sweep_fd, pattern, 100 + ret, "after the write");
	check_works(sweep_fd, "after the write");
	close(sweep_fd);
	check_state("after close", 0, 0, 0);
}

/* A pipe holding 5000 bytes (two slots), to be grown. */
static bool prepare_5000_bytes(void)
{
	sweep_fd = open_named();
	if (sweep_fd < 0)
		return false;
	if (write(sweep_fd, pattern, 5000) != 5000) {
		problem("write of 5000 bytes: %s", strerror(errno));
		close(sweep_fd);
		return false;
	}
	return true;
}

static long call_resize(int *err)
{
	long ret = ioctl(sweep_fd, MINIPIPE_IOC_SET_SIZE, 4 * DEFAULT_SIZE);

	*err = errno;
	return ret;
}

static void verify_resize(long ret, int err, bool fired)
{
	long size = ioctl(sweep_fd, MINIPIPE_IOC_GET_SIZE);

	if (ret == 4 * DEFAULT_SIZE) {
		if (size != ret)
			problem("resize returned %ld but the size is %ld", ret, size);
	} else if (ret == -1 && err == ENOMEM) {
		if (size != DEFAULT_SIZE)
			problem("failed resize changed the size to %ld", size);
		if (!fired)
			problem("resize failed with no fault injected");
	} else {
		problem("resize: %ld (%s), expected %d or ENOMEM", ret, strerror(err),
			4 * DEFAULT_SIZE);
	}
	check_content(sweep_fd, pattern, 5000, "after the resize");
	check_works(sweep_fd, "after the resize");
	close(sweep_fd);
	check_state("after close", 0, 0, 0);
}

static bool prepare_pipe2(void)
{
	sweep_low = lowest_free_fd();
	sweep_pfds[0] = -1;
	sweep_pfds[1] = -1;
	return true;
}

static long call_pipe2(int *err)
{
	struct minipipe_pair pair = { .fds = (unsigned long)sweep_pfds, .flags = O_NONBLOCK };
	long ret = ioctl(ctl_fd, MINIPIPE_IOC_PIPE2, &pair);

	*err = errno;
	return ret;
}

static void verify_pipe2(long ret, int err, bool fired)
{
	if (ret == 0) {
		if (write(sweep_pfds[1], pattern, PAGE + 10) != PAGE + 10)
			problem("write into the new anonymous pipe: %s", strerror(errno));
		else
			check_content(sweep_pfds[0], pattern, PAGE + 10, "anonymous pipe");
		close(sweep_pfds[0]);
		close(sweep_pfds[1]);
	} else if (ret != -1 || (err != ENFILE && err != ENOMEM)) {
		/* ENFILE for the pipe, its inode, its ring; ENOMEM for a file. */
		problem("MINIPIPE_IOC_PIPE2: %ld (%s), expected 0, ENFILE or ENOMEM", ret,
			strerror(err));
	} else if (!fired) {
		problem("MINIPIPE_IOC_PIPE2 failed with no fault injected");
	}
	if (lowest_free_fd() != sweep_low)
		problem("MINIPIPE_IOC_PIPE2 left a file descriptor behind");
}

/* ---- tee, splice and vmsplice (MINIPIPE_IOC_TEE/SPLICE/VMSPLICE) ---- */

/* The named pipe holding WRITE_LEN bytes, and an empty anonymous pair. */
static bool prepare_link(void)
{
	struct minipipe_pair pair = { .fds = (unsigned long)sweep_pfds, .flags = O_NONBLOCK };

	sweep_fd = open_named();
	if (sweep_fd < 0)
		return false;
	if (write(sweep_fd, pattern, WRITE_LEN) != WRITE_LEN ||
	    ioctl(ctl_fd, MINIPIPE_IOC_PIPE2, &pair)) {
		problem("setting up a tee or splice: %s", strerror(errno));
		close(sweep_fd);
		return false;
	}
	return true;
}

static long call_link(unsigned int cmd, int *err)
{
	struct minipipe_link link = { .fd_out = sweep_pfds[1], .len = 2 * WRITE_LEN };
	long ret = ioctl(sweep_fd, cmd, &link);

	*err = errno;
	return ret;
}

static long call_tee(int *err)
{
	return call_link(MINIPIPE_IOC_TEE, err);
}

static long call_splice(int *err)
{
	return call_link(MINIPIPE_IOC_SPLICE, err);
}

/*
 * After a tee (@moved false) or splice of WRITE_LEN bytes that returned
 * @ret: the pair holds the first @ret bytes, the named pipe all of them
 * (tee) or the rest (splice); a short count or ENOMEM only with a fault.
 */
static void verify_link(const char *what, long ret, int err, bool fired, bool moved)
{
	long have = ret > 0 ? ret : 0;

	if (ret < 0 && err != ENOMEM) {
		problem("%s: %s, expected a count or ENOMEM", what, strerror(err));
	} else if (ret > WRITE_LEN) {
		problem("%s: %ld bytes of %d", what, ret, WRITE_LEN);
		have = WRITE_LEN;
	} else if (ret < WRITE_LEN) {
		sweep_effects++;
		if (!fired)
			problem("%s: %ld of %d bytes with no fault injected", what, ret, WRITE_LEN);
	}
	check_content(sweep_pfds[0], pattern, have, what);
	if (moved)
		check_content(sweep_fd, pattern + have, WRITE_LEN - have, what);
	else
		check_content(sweep_fd, pattern, WRITE_LEN, what);
	close(sweep_pfds[0]);
	close(sweep_pfds[1]);
	check_works(sweep_fd, what);
	close(sweep_fd);
	check_state("after close", 0, 0, 0);
}

static void verify_tee(long ret, int err, bool fired)
{
	verify_link("MINIPIPE_IOC_TEE", ret, err, fired, false);
}

static void verify_splice(long ret, int err, bool fired)
{
	verify_link("MINIPIPE_IOC_SPLICE", ret, err, fired, true);
}

/*
 * vmsplice with more segments than import_iovec() keeps on the stack
 * (UIO_FASTIOV, 8): it allocates the iovec array, and that can fail.
 */
#define VMS_SEGS	12
#define VMS_SEG_LEN	300
#define VMS_LEN		(VMS_SEGS * VMS_SEG_LEN)

static unsigned char vms_out[VMS_LEN];
/* vmsplice goes out of a pipe only through a read-only end (FMODE_WRITE means in). */
static int vms_rfd = -1;

static long call_vmsplice(int fd, unsigned char *base, int *err)
{
	struct iovec iov[VMS_SEGS];
	struct minipipe_vmsplice v = {
		.iov = (unsigned long)iov, .nr_segs = VMS_SEGS, .flags = SPLICE_F_NONBLOCK,
	};
	unsigned int i;
	long ret;

	for (i = 0; i < VMS_SEGS; i++) {
		iov[i].iov_base = base + i * VMS_SEG_LEN;
		iov[i].iov_len = VMS_SEG_LEN;
	}
	ret = ioctl(fd, MINIPIPE_IOC_VMSPLICE, &v);
	*err = errno;
	return ret;
}

/* A fresh empty pipe, for a vmsplice into it. */
static bool prepare_empty(void)
{
	sweep_fd = open_named();
	return sweep_fd >= 0;
}

static long call_vmsplice_in(int *err)
{
	return call_vmsplice(sweep_fd, pattern, err);
}

/* A vmsplice in that returned @ret: the pipe holds the first @ret bytes. */
static void verify_vmsplice_in(long ret, int err, bool fired)
{
	long have = ret > 0 ? ret : 0;

	if (ret < 0 && err != ENOMEM) {
		problem("vmsplice in: %s, expected a count or ENOMEM", strerror(err));
	} else if (ret > VMS_LEN) {
		problem("vmsplice in: %ld bytes of %d", ret, VMS_LEN);
		have = VMS_LEN;
	} else if (ret < VMS_LEN) {
		sweep_effects++;
		if (!fired)
			problem("vmsplice in: %ld of %d bytes with no fault injected", ret, VMS_LEN);
	}
	check_content(sweep_fd, pattern, have, "after vmsplice in");
	check_works(sweep_fd, "after vmsplice in");
	close(sweep_fd);
	check_state("after close", 0, 0, 0);
}

/* The named pipe holding VMS_LEN bytes, and a read-only end to vmsplice out of. */
static bool prepare_vms_bytes(void)
{
	sweep_fd = open_named();
	if (sweep_fd < 0)
		return false;
	vms_rfd = open(named, O_RDONLY | O_NONBLOCK);
	if (vms_rfd < 0 || write(sweep_fd, pattern, VMS_LEN) != VMS_LEN) {
		problem("a read-only end holding %d bytes: %s", VMS_LEN, strerror(errno));
		if (vms_rfd >= 0)
			close(vms_rfd);
		close(sweep_fd);
		return false;
	}
	memset(vms_out, 0, sizeof(vms_out));
	return true;
}

static long call_vmsplice_out(int *err)
{
	return call_vmsplice(vms_rfd, vms_out, err);
}

/* A vmsplice out that returned @ret: those bytes in the buffer, the rest in the pipe. */
static void verify_vmsplice_out(long ret, int err, bool fired)
{
	long have = ret > 0 ? ret : 0;

	if (ret < 0 && err != ENOMEM) {
		problem("vmsplice out: %s, expected a count or ENOMEM", strerror(err));
	} else if (ret > VMS_LEN) {
		problem("vmsplice out: %ld bytes of %d", ret, VMS_LEN);
		have = VMS_LEN;
	} else if (ret < VMS_LEN) {
		sweep_effects++;
		if (!fired)
			problem("vmsplice out: %ld of %d bytes with no fault injected", ret, VMS_LEN);
	}
	if (memcmp(vms_out, pattern, have))
		problem("vmsplice out: the %ld bytes it gave differ from those written", have);
	check_content(sweep_fd, pattern + have, VMS_LEN - have, "after vmsplice out");
	check_works(sweep_fd, "after vmsplice out");
	close(vms_rfd);
	close(sweep_fd);
	check_state("after close", 0, 0, 0);
}

static void run_sweep(const struct sweep *s)
{
	unsigned int n, failed = 0;
	bool fired = true;
	long ret;
	int err;

	sweep_effects = 0;
	users_hold();
	for (n = 1; n <= SWEEP_MAX && fired; n++) {
		if (!s->prepare())
			break;
		arm_nth(n);
		ret = s->call(&err);
		fired = nth_fired();
		/* ENOMEM, or ENFILE for pipe2 (verify() checks which). */
		if (ret == -1)
			failed++;
		s->verify(ret, err, fired);
		if (problems) {
			diag("%s: with allocation %u failing", s->what, n);
			break;
		}
	}
	if (fired && !problems)
		problem("%s: still reaching allocation %u, gave up", s->what, n - 1);
	/* A sweep whose call never failed injected nothing into it. */
	if (!failed && !sweep_effects && !(s->may_not_allocate && n == 2))
		problem("%s: no call failed in %u runs: fault injection does not reach it",
			s->what, n - 1);
	users_check(s->what);
	if (n == 2 && !fired && !failed && !sweep_effects)
		result("%s: reaches no allocation (fail-nth 1 never fired), clean", s->what);
	else
		result("%s: allocations 1..%u failed in turn (%u calls failed, %u short), all clean",
		       s->what, n - 2, failed, sweep_effects);
}

static const struct sweep sweeps[] = {
	{ "first open of a named pipe (allocates the ring)",
	  prepare_nothing_open, call_open, verify_open, false },
	{ "write of 3 pages + 100 bytes (allocates pages)",
	  prepare_100_bytes, call_write, verify_write, false },
	{ "MINIPIPE_IOC_SET_SIZE to 256 KiB (allocates a new ring)",
	  prepare_5000_bytes, call_resize, verify_resize, false },
	{ "MINIPIPE_IOC_PIPE2 (allocates a pipe, its ends, its ring, two files)",
	  prepare_pipe2, call_pipe2, verify_pipe2, false },
	{ "MINIPIPE_IOC_TEE of 3 pages + 100 bytes to an anonymous minipipe (page references)",
	  prepare_link, call_tee, verify_tee, true },
	{ "MINIPIPE_IOC_SPLICE of 3 pages + 100 bytes to an anonymous minipipe (page references)",
	  prepare_link, call_splice, verify_splice, true },
	{ "MINIPIPE_IOC_VMSPLICE in, 12 segments (allocates the iovec array)",
	  prepare_empty, call_vmsplice_in, verify_vmsplice_in, false },
	{ "MINIPIPE_IOC_VMSPLICE out, 12 segments (allocates the iovec array)",
	  prepare_vms_bytes, call_vmsplice_out, verify_vmsplice_out, false },
};

int main(int argc, char **argv)
{
	const char *base;
	unsigned int i;

	if (argc > 1)
		named = argv[1];
	base = strrchr(named, '/');
	snprintf(state_path, sizeof(state_path), DEBUGFS "/minipipe/%s", base ? base + 1 : named);
	setvbuf(stdout, NULL, _IOLBF, 0);

	ksft_print_header();
	if (access(DEBUGFS "/failslab", F_OK) || access(DEBUGFS "/fail_page_alloc", F_OK))
		ksft_exit_skip("no %s/failslab or %s/fail_page_alloc: no fault injection %s\n",
			       DEBUGFS, DEBUGFS, "(only the debug kernels of make check-debug have it)");
	if (access("/proc/thread-self/fail-nth", F_OK))
		ksft_exit_skip("no /proc/thread-self/fail-nth: no fault injection\n");
	if (access(named, F_OK))
		ksft_exit_skip("no %s (load minipipe with nr_pipes >= 2)\n", named);
	ksft_set_plan(1 + ARRAY_SIZE(sweeps));

	/*
	 * Every page of ours is present and locked now: a page fault of this
	 * task can never need an allocation that the faults would fail.
	 */
	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		diag("mlockall: %s (going on)", strerror(errno));
	fill_pattern();
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	make_it_fail_fd = open("/proc/self/make-it-fail", O_RDWR);
	ctl_fd = open(MINIPIPE_CTL_PATH, O_RDWR);
	if (fail_nth_fd < 0 || make_it_fail_fd < 0 || ctl_fd < 0 || access(state_path, R_OK) ||
	    access(USERS_PATH, R_OK) || access(named, F_OK) || setup_attrs()) {
		ksft_exit_fail_msg("cannot set up: fail-nth %d, make-it-fail %d, %s %d, %s, %s, %s\n",
				   fail_nth_fd, make_it_fail_fd, MINIPIPE_CTL_PATH, ctl_fd,
				   state_path, USERS_PATH, named);
	}
	check_state("before the test", 0, 0, 0);
	if (problems)
		ksft_exit_fail_msg("%s is in use\n", named);

	every_allocation_fails();
	for (i = 0; i < ARRAY_SIZE(sweeps); i++)
		run_sweep(&sweeps[i]);

	/* Leave the attributes harmless. */
	attr_set("failslab", "task-filter", "Y");
	attr_set("fail_page_alloc", "task-filter", "Y");
	ksft_finished();
}
