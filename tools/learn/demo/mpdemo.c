// SPDX-License-Identifier: GPL-2.0
/*
 * mpdemo — the small things `make demo` and `make check` need done in C,
 * because a shell cannot (non-blocking I/O, poll, ioctls, holding a pipe
 * in an exact state).  One subcommand per scene:
 *
 *   mpdemo nonblock            O_NONBLOCK: EAGAIN instead of sleeping
 *   mpdemo eof                 read() returns 0 once the last writer is gone
 *   mpdemo epipe               no reader left: SIGPIPE, then EPIPE
 *   mpdemo poll                poll() and select() over three pipes
 *   mpdemo resize DEV          MINIPIPE_IOC_SET_SIZE, with mptop before/after
 *   mpdemo zerocopy DEV        a file's page spliced in by reference; Dirty Pipe
 *   mpdemo state DEV READY     put DEV in a known state, touch READY, hold it
 *   mpdemo rw DEV WBYTES RBYTES  open DEV read-write, write, read, close
 *   mpdemo setsize DEV WBYTES SIZE  open DEV read-write, write, resize, close
 *   mpdemo packets DEV COUNT   COUNT small packets (O_DIRECT), then read them
 *   mpdemo pollout DEV         open DEV for writing, poll it once for POLLOUT
 *
 * Like the exercises (tools/learn/examples, whose common.c it shares), each scene
 * prints what it shows and exits 1 when that does not hold; --kernel runs
 * the anonymous-pipe scenes on the kernel's pipes instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minipipe.h"
#include "minipipe_lib.h"
#include "common.h"
#include "mpstate.h"

#define PAGE	4096

static const char *errname(int err)
{
	switch (err) {
	case EAGAIN: return "EAGAIN";
	case EPIPE: return "EPIPE";
	case EBUSY: return "EBUSY";
	case EINVAL: return "EINVAL";
	case EPERM: return "EPERM";
	case ENXIO: return "ENXIO";
	default: return strerrorname_np(err) ? strerrorname_np(err) : "?";
	}
}

/* "-1 EAGAIN" or "4096", for printing what a call returned. */
static const char *said(ssize_t ret, int err)
{
	static char buf[64];

	if (ret < 0)
		snprintf(buf, sizeof(buf), "-1 %s", errname(err));
	else
		snprintf(buf, sizeof(buf), "%zd", ret);
	return buf;
}

static int scene_nonblock(void)
{
	char page[PAGE] = { 0 };
	size_t filled = 0;
	int fd[2], cap;
	ssize_t n;

	if (ex_pipe(fd, O_NONBLOCK))
		ex_die("pipe: %m");
	cap = ex_pipe_size(fd[0]);
	printf("   a pipe opened with O_NONBLOCK, capacity %d bytes\n", cap);

	n = read(fd[0], page, sizeof(page));
	printf("   read() on the empty pipe returns %s\n", said(n, errno));
	ex_check(n < 0 && errno == EAGAIN,
		 "an empty pipe with a writer: EAGAIN at once instead of sleeping");

	while ((n = write(fd[1], page, sizeof(page))) > 0)
		filled += n;
	printf("   write() of pages until it fails: %zu bytes written, then %s\n", filled,
	       said(n, errno));
	ex_check(n < 0 && errno == EAGAIN && filled == (size_t)cap,
		 "a full pipe: EAGAIN at once instead of sleeping, after exactly the capacity");
	n = write(fd[1], "x", 1);
	ex_check(n < 0 && errno == EAGAIN, "even a 1-byte write() gets EAGAIN when full (%s)",
		 said(n, errno));

	while ((n = read(fd[0], page, sizeof(page))) > 0)
		filled -= n;
	printf("   read() until it fails: all read back, then %s\n", said(n, errno));
	ex_check(n < 0 && errno == EAGAIN && filled == 0, "drained: EAGAIN again");

	close(fd[1]);
	n = read(fd[0], page, sizeof(page));
	printf("   after close() of the write end, read() returns %s\n", said(n, errno));
	ex_check(n == 0, "no writer left: 0 (EOF), not EAGAIN");
	close(fd[0]);
	return ex_verdict("O_NONBLOCK turns every sleep into EAGAIN; EOF is still 0");
}

static int scene_eof(void)
{
	char buf[256];
	pid_t reader, writer;
	int fd[2];
	ssize_t n;

	if (ex_pipe(fd, 0))
		ex_die("pipe: %m");
	reader = fork();
	if (reader < 0)
		ex_die("fork: %m");
	if (reader == 0) {
		close(fd[1]);		/* or it would wait for itself forever */
		while ((n = read(fd[0], buf, sizeof(buf) - 1)) > 0) {
			buf[n] = '\0';
			printf("   reader: read() = %zd: \"%s\"\n", n, buf);
		}
		printf("   reader: read() = %s: end of file\n", said(n, errno));
		exit(n == 0 ? 0 : 1);
	}
	close(fd[0]);
	writer = fork();
	if (writer < 0)
		ex_die("fork: %m");
	if (writer == 0) {
		ex_write_all(fd[1], "hello from the child writer", 27);
		exit(0);	/* its copy of the write end closes here */
	}
	ex_wait_ok(writer, "the child writer");
	printf("   the child writer has exited; the parent still holds a write end\n");
	ex_msleep(300);
	ex_check(ex_proc_state(reader) == 'S',
		 "no EOF yet: the reader sleeps in read() (state %c) while a writer remains",
		 ex_proc_state(reader));
	ex_write_all(fd[1], "hello from the parent", 21);
	ex_msleep(100);
	printf("   the parent closes the last write end\n");
	close(fd[1]);
	ex_check(ex_wait_ok(reader, "the reader"),
		 "the reader got everything, then read() returned 0 and it ended");
	return ex_verdict("EOF comes when the last write end closes, and only then");
}

static int scene_epipe(void)
{
	char big[100000] = { 0 };
	int fd[2], status, tries;
	ssize_t n;
	pid_t pid;

	/* 1. The default action of SIGPIPE kills the writer. */
	if (ex_pipe(fd, 0))
		ex_die("pipe: %m");
	close(fd[0]);
	printf("   a pipe whose read end is closed: nobody will ever read\n");
	pid = fork();
	if (pid < 0)
		ex_die("fork: %m");
	if (pid == 0) {
		n = write(fd[1], "x", 1);
		exit(3);	/* not reached: SIGPIPE kills us first */
	}
	waitpid(pid, &status, 0);
	printf("   a child writes 1 byte: %s\n", WIFSIGNALED(status) ?
	       strsignal(WTERMSIG(status)) : "it was not killed");
	ex_check(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE,
		 "the write() raised SIGPIPE, whose default action killed the writer");

	/* 2. With SIGPIPE ignored, the write fails with EPIPE. */
	signal(SIGPIPE, SIG_IGN);
	n = write(fd[1], "x", 1);
	printf("   with SIGPIPE ignored, write() returns %s\n", said(n, errno));
	ex_check(n < 0 && errno == EPIPE, "SIGPIPE ignored: write() fails with EPIPE");
	close(fd[1]);

	/* 3. A writer asleep on a full pipe when the reader goes: a short count, then EPIPE. */
	if (ex_pipe(fd, 0))
		ex_die("pipe: %m");
	pid = fork();
	if (pid < 0)
		ex_die("fork: %m");
	if (pid == 0) {
		ssize_t first, second;
		int err;

		close(fd[0]);
		first = write(fd[1], big, sizeof(big));
		second = write(fd[1], big, 1);
		err = errno;
		printf("   writer: write(100000 bytes) = %s (a short count),", said(first, 0));
		printf(" the next write() = %s\n", said(second, err));
		exit(first == 65536 && second < 0 && err == EPIPE ? 0 : 1);
	}
	close(fd[1]);
	for (tries = 0; tries < 500 && ex_proc_state(pid) != 'S'; tries++)
		ex_msleep(20);
	printf("   a writer sleeps in write(100000 bytes) on the full pipe; the reader closes\n");
	close(fd[0]);
	ex_check(ex_wait_ok(pid, "the writer"),
		 "the sleeping writer woke: its write() returned what it had written, the next got EPIPE");
	return ex_verdict("with no reader left, writers get SIGPIPE and EPIPE");
}

static int scene_poll(void)
{
	static const int delay_ms[3] = { 600, 200, 400 };
	struct pollfd pfd[3];
	int fd[3][2], i, open_ends = 3, got_data = 0, got_hup = 0;
	struct timeval tv = { .tv_sec = 5 };
	char buf[128];
	fd_set rset;
	double t0;
	pid_t pid;

	for (i = 0; i < 3; i++)
		if (ex_pipe(fd[i], 0))
			ex_die("pipe: %m");
	for (i = 0; i < 3; i++) {
		pid = fork();
		if (pid < 0)
			ex_die("fork: %m");
		if (pid == 0) {
			int j, len;

			/* Keep only our own write end, or no pipe would hang up before all exit. */
			for (j = 0; j < 3; j++) {
				close(fd[j][0]);
				if (j != i)
					close(fd[j][1]);
			}
			ex_msleep(delay_ms[i]);
			len = snprintf(buf, sizeof(buf), "hello from writer %d", i);
			ex_write_all(fd[i][1], buf, len);
			ex_msleep(150);
			exit(0);	/* closing the write end: POLLHUP */
		}
	}
	for (i = 0; i < 3; i++)
		close(fd[i][1]);
	printf("   three pipes; writer i writes after %d, %d and %d ms, then exits\n",
	       delay_ms[0], delay_ms[1], delay_ms[2]);
	t0 = monotonic_seconds();

	FD_ZERO(&rset);
	for (i = 0; i < 3; i++)
		FD_SET(fd[i][0], &rset);
	i = select(fd[2][0] + 1, &rset, NULL, NULL, &tv);
	printf("   select() = %d after %.2f s:", i, monotonic_seconds() - t0);
	for (i = 0; i < 3; i++)
		if (FD_ISSET(fd[i][0], &rset))
			printf(" pipe %d is readable", i);
	printf("\n");
	ex_check(FD_ISSET(fd[1][0], &rset), "select() woke for the first pipe written to");

	for (i = 0; i < 3; i++)
		pfd[i] = (struct pollfd){ .fd = fd[i][0], .events = POLLIN };
	while (open_ends) {
		int ready = poll(pfd, 3, 5000);

		if (ready <= 0) {
			ex_check(false, "poll() timed out or failed");
			break;
		}
		for (i = 0; i < 3; i++) {
			ssize_t n;

			if (!pfd[i].revents)
				continue;
			printf("   %.2f s: poll: pipe %d%s%s", monotonic_seconds() - t0, i,
			       pfd[i].revents & POLLIN ? " POLLIN" : "",
			       pfd[i].revents & POLLHUP ? " POLLHUP" : "");
			n = read(pfd[i].fd, buf, sizeof(buf) - 1);
			if (n > 0) {
				buf[n] = '\0';
				printf(", read \"%s\"\n", buf);
				got_data++;
			} else {
				printf(", read() = 0: its writer is gone\n");
				got_hup += n == 0 && (pfd[i].revents & POLLHUP);
				close(pfd[i].fd);
				pfd[i].fd = -1;	/* poll() skips negative fds */
				open_ends--;
			}
		}
	}
	while (wait(NULL) > 0)
		;
	ex_check(got_data == 3, "poll() reported each message as POLLIN (%d of 3)", got_data);
	ex_check(got_hup == 3, "and each writer's exit as POLLHUP, with read() = 0 (%d of 3)",
		 got_hup);
	return ex_verdict("one thread can wait on many pipes with poll() or select()");
}

/* Run "mptop --once NAME" to show the pipe; its absence is not an error. */
static void show(const char *name)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execlp("mptop", "mptop", "--once", name, (char *)NULL);
		printf("   (mptop: %m)\n");
		exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static int set_size(int fd, int bytes, const char *why)
{
	int ret = minipipe_set_size(fd, bytes);

	printf("\n-- MINIPIPE_IOC_SET_SIZE %d: %s   (%s)\n", bytes, said(ret, errno), why);
	return ret;
}

static int scene_resize(const char *dev)
{
	const char *name = strrchr(dev, '/') ? strrchr(dev, '/') + 1 : dev;
	char page[PAGE] = { 0 };
	int fd, ret;

	fd = open(dev, O_RDWR);
	if (fd < 0)
		ex_die("open %s: %m", dev);
	ex_write_all(fd, page, PAGE);
	ex_write_all(fd, page, PAGE);
	ex_write_all(fd, page, 100);
	printf("-- %s opened read-write; wrote 4096 + 4096 + 100 bytes: 3 slots in use\n", dev);
	show(name);

	ret = set_size(fd, 256 * 1024, "grow to 64 slots; the data moves to the new ring");
	ex_check(ret == 256 * 1024, "grew to 262144 bytes");
	show(name);

	ret = set_size(fd, 8192, "2 slots cannot hold the 3 in use");
	ex_check(ret < 0 && errno == EBUSY, "shrinking below the data in use: EBUSY");

	ret = set_size(fd, 10000, "rounded up to a power of two pages: 4 slots");
	ex_check(ret == 16384, "10000 bytes became 16384 (4 slots)");
	show(name);

	ex_check(minipipe_get_size(fd) == 16384, "MINIPIPE_IOC_GET_SIZE agrees: %d",
		 minipipe_get_size(fd));
	close(fd);
	fd = open(dev, O_RDWR);
	printf("\n-- closed and opened again: a FIFO forgets its data and its size\n");
	ex_check(minipipe_get_size(fd) == 65536, "back to the default: %d bytes",
		 minipipe_get_size(fd));
	close(fd);
	return ex_verdict("a pipe can be resized while in use, keeping its data");
}

/* Page references held by all rings' borrowed slots (debugfs "borrowed"). */
static long borrowed_pages(void)
{
	long pages = -1;
	FILE *f;

	f = fopen(STATE_DIR "/" STATE_BORROWED, "r");
	if (!f)
		ex_die("%s/%s: %m (is debugfs mounted?)", STATE_DIR, STATE_BORROWED);
	if (fscanf(f, "%ld", &pages) != 1)
		ex_die("%s/%s: not a number", STATE_DIR, STATE_BORROWED);
	fclose(f);
	return pages;
}

/* The state file of pipe @name, as mptop parses it; the caller frees it. */
static void load_state(const char *name, struct pipe_state *st)
{
	char path[128], err[512];

	snprintf(path, sizeof(path), "%s/%s", STATE_DIR, name);
	if (pipe_state_load(path, st, err, sizeof(err)))
		ex_die("%s", err);
	if (!st->shared)
		ex_die("%s: no shared line (a module older than this mpdemo?)", path);
}

/* Whether the slot @ahead slots after tail holds @len bytes, shared or not. */
static bool slot_is(const char *name, unsigned int ahead, unsigned long long len, bool shared)
{
	struct pipe_state st;
	unsigned long long slot;
	bool is;

	load_state(name, &st);
	slot = (st.tail + ahead) % st.slots;
	is = st.fill[slot] == len && !st.shared[slot] == !shared;
	printf("   state file, slot %llu: fill %llu, shared %llu\n", slot, st.fill[slot],
	       st.shared[slot]);
	pipe_state_free(&st);
	return is;
}

/* splice() @len bytes of @file from offset 0 through kernel pipe @k into @fd. */
static ssize_t splice_in(int file, int k[2], int fd, size_t len)
{
	loff_t off = 0;
	ssize_t n;

	n = splice(file, &off, k[1], NULL, len, 0);
	if (n != (ssize_t)len)
		return n < 0 ? n : -1;
	return splice(k[0], NULL, fd, NULL, len, 0);
}

/*
 * A page of the page cache moves into the pipe by reference: the slot
 * is the file's page, so a change to the file shows through it, and a
 * write into the pipe behind it gets a slot of its own (Dirty Pipe).
 */
static int scene_zerocopy(const char *dev)
{
	static const char text[] = "hello from the page cache\n";
	static const char changed[] = "HELLO from the page cache\n";
	const char *name = strrchr(dev, '/') ? strrchr(dev, '/') + 1 : dev;
	char path[] = "/tmp/mpdemo-zerocopy.XXXXXX", buf[PAGE];
	size_t len = strlen(text);
	int owner, file, k[2], fd;
	long before, now;
	ssize_t n;

	/* The owner may write the file; the splices use a read-only open. */
	owner = mkstemp(path);
	if (owner < 0 || ex_write_all(owner, text, len))
		ex_die("%s: %m", path);
	file = open(path, O_RDONLY);
	if (file < 0)
		ex_die("%s: %m", path);
	if (pipe(k))
		ex_die("pipe: %m");
	fd = open(dev, O_RDWR);
	if (fd < 0)
		ex_die("open %s: %m", dev);
	before = borrowed_pages();
	printf("-- %s holds \"hello from the page cache\\n\" (%zu bytes) and is opened O_RDONLY;\n"
	       "   splice(file -> kernel pipe), then splice(kernel pipe -> %s)\n", path, len, dev);
	n = splice_in(file, k, fd, len);
	ex_check(n == (ssize_t)len, "both splices moved %zu bytes (%s)", len, said(n, errno));
	show(name);
	ex_check(slot_is(name, 0, len, true),
		 "the slot at tail holds the %zu bytes, marked shared: its page is the file's",
		 len);
	now = borrowed_pages();
	ex_check(now == before + 1,
		 "borrowed went from %ld to %ld: the ring holds a reference to the page",
		 before, now);

	printf("\n-- the owner writes \"HELLO\" over the file's first bytes; then read(%s)\n", dev);
	if (pwrite(owner, "HELLO", 5, 0) != 5)
		ex_die("pwrite: %m");
	n = read(fd, buf, sizeof(buf));
	printf("   read() = %s: \"%.*s\"\n", said(n, errno), n > 0 ? (int)n - 1 : 0, buf);
	ex_check(n == (ssize_t)len && !memcmp(buf, changed, len),
		 "the reader sees the change: the pipe held the page, not a copy of it");
	now = borrowed_pages();
	ex_check(now == before, "read, the slot gave its reference back: borrowed is %ld again",
		 now);

	printf("\n-- Dirty Pipe: splice the file's first 5 bytes in, then write(\"!!!\") to %s\n",
	       dev);
	n = splice_in(file, k, fd, 5);
	ex_check(n == 5, "spliced 5 bytes (%s)", said(n, errno));
	n = write(fd, "!!!", 3);
	ex_check(n == 3, "wrote 3 bytes (%s)", said(n, errno));
	show(name);
	ex_check(slot_is(name, 0, 5, true) && slot_is(name, 1, 3, false),
		 "the 3 bytes took a slot of their own: none is merged into a borrowed slot");
	n = pread(file, buf, sizeof(buf), 0);
	printf("   the file: \"%.*s\"\n", n > 0 ? (int)n - 1 : 0, buf);
	ex_check(n == (ssize_t)len && !memcmp(buf, changed, len),
		 "the file is unchanged (with the bug: \"HELLO!!!m the page cache\")");
	n = ex_read_all(fd, buf, 8) ? -1 : 8;
	printf("   read from %s: \"%.*s\"\n", dev, n > 0 ? (int)n : 0, buf);
	ex_check(n == 8 && !memcmp(buf, "HELLO!!!", 8),
		 "the reader gets the file's 5 bytes, then the 3 written");

	close(fd);
	close(k[0]);
	close(k[1]);
	close(file);
	close(owner);
	unlink(path);
	return ex_verdict("splice moves a page by reference, and no write lands in it");
}

/*
 * The state make check compares with the debugfs file: a reader, a writer,
 * writes of 4095, 1 (merged into slot 0), 4096, 100 and 200 (merged into
 * slot 2) bytes, then a read of 4096 (slot 0 drained):
 *   head 3, tail 1, occupancy 2, bytes 4396, fill 0 4096 300 0 ...
 */
static int scene_state(const char *dev, const char *ready)
{
	static const size_t writes[] = { 4095, 1, 4096, 100, 200 };
	char page[PAGE] = { 0 };
	int rfd, wfd, i;
	ssize_t n;

	rfd = open(dev, O_RDONLY | O_NONBLOCK);	/* a reader that does not wait */
	if (rfd < 0)
		ex_die("open %s for reading: %m", dev);
	wfd = open(dev, O_WRONLY);		/* a reader exists: no wait either */
	if (wfd < 0)
		ex_die("open %s for writing: %m", dev);
	for (i = 0; i < 5; i++)
		if (write(wfd, page, writes[i]) != (ssize_t)writes[i])
			ex_die("write %zu: %m", writes[i]);
	n = read(rfd, page, PAGE);
	if (n != PAGE)
		ex_die("read: %zd", n);
	i = open(ready, O_WRONLY | O_CREAT, 0644);
	if (i < 0)
		ex_die("%s: %m", ready);
	close(i);
	/* Hold the pipe in this state until killed. */
	for (;;)
		pause();
}

static int scene_rw(const char *dev, size_t wbytes, size_t rbytes)
{
	static char buf[65536];
	ssize_t w, r;
	int fd;

	if (wbytes > sizeof(buf) || rbytes > sizeof(buf))
		ex_die("at most %zu bytes", sizeof(buf));
	fd = open(dev, O_RDWR);
	if (fd < 0)
		ex_die("open %s: %m", dev);
	w = write(fd, buf, wbytes);
	r = read(fd, buf, rbytes);
	printf("   %s: write(%zu) = %zd, read(%zu) = %zd\n", dev, wbytes, w, rbytes, r);
	close(fd);
	return w == (ssize_t)wbytes && r == (ssize_t)(rbytes < wbytes ? rbytes : wbytes) ? 0 : 1;
}

/*
 * The helpers of the labs' scenarios (tools/learn/labs/NN-name/scenario.sh):
 * quiet like state and rw, each prints its calls and what they returned,
 * and exits 0 when the last call did what a pipe does.
 */

/* Open DEV read-write, write WBYTES, ask for SIZE bytes of capacity. */
static int scene_setsize(const char *dev, size_t wbytes, int size)
{
	static char buf[1 << 20];
	ssize_t w;
	int fd, ret;

	if (wbytes > sizeof(buf))
		ex_die("at most %zu bytes", sizeof(buf));
	fd = open(dev, O_RDWR | O_NONBLOCK);
	if (fd < 0)
		ex_die("open %s: %m", dev);
	w = write(fd, buf, wbytes);
	printf("   %s: write(%zu) = %s", dev, wbytes, said(w, errno));
	ret = minipipe_set_size(fd, size);
	printf(", MINIPIPE_IOC_SET_SIZE %d = %s\n", size, said(ret, errno));
	close(fd);
	return ret < 0 ? 1 : 0;
}

/*
 * Open DEV read-write in packet mode (O_DIRECT, set with fcntl(): a FIFO
 * refuses it at open time), write COUNT packets of a few bytes, then read
 * with a page-sized buffer until the pipe is empty: one packet a read.
 */
static int scene_packets(const char *dev, unsigned int count)
{
	char buf[PAGE], msg[32];
	unsigned int i, reads = 0;
	ssize_t n;
	int fd;

	fd = open(dev, O_RDWR | O_NONBLOCK);
	if (fd < 0)
		ex_die("open %s: %m", dev);
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_DIRECT))
		ex_die("fcntl O_DIRECT: %m");
	for (i = 1; i <= count; i++) {
		snprintf(msg, sizeof(msg), "packet %u;", i);
		n = write(fd, msg, strlen(msg));
		printf("   write(\"%s\") = %s\n", msg, said(n, errno));
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		printf("   read(%d) = %zd: \"%.*s\"\n", PAGE, n, (int)n, buf);
		reads++;
	}
	printf("   read(%d) = %s: empty\n", PAGE, said(n, errno));
	close(fd);
	return reads == count ? 0 : 1;
}

/* Open DEV for writing (a reader must be there) and poll it once. */
static int scene_pollout(const char *dev)
{
	struct pollfd pfd = { .events = POLLOUT };
	int ret;

	pfd.fd = open(dev, O_WRONLY | O_NONBLOCK);
	if (pfd.fd < 0)
		ex_die("open %s for writing: %m", dev);
	ret = poll(&pfd, 1, 0);
	printf("   %s: poll(POLLOUT) = %s, revents 0x%x: %s\n", dev, said(ret, errno),
	       pfd.revents, pfd.revents & POLLOUT ? "POLLOUT, room to write" : "no POLLOUT, full");
	close(pfd.fd);
	return ret == 1 && (pfd.revents & POLLOUT) ? 0 : 1;
}

static const struct {
	const char *name;
	int nargs;
	const char *title;
} scenes[] = {
	{ "nonblock", 0, "non-blocking I/O: EAGAIN" },
	{ "eof", 0, "the last writer closes: EOF" },
	{ "epipe", 0, "the reader closes: SIGPIPE and EPIPE" },
	{ "poll", 0, "poll() and select() on several pipes" },
	{ "resize", 1, "resizing a pipe (MINIPIPE_IOC_SET_SIZE)" },
	{ "zerocopy", 1, "a page by reference (splice), and Dirty Pipe" },
	{ "state", 2, "hold a pipe in a known state" },
	{ "rw", 3, "write and read through a named pipe" },
	{ "setsize", 3, "resize a named pipe that holds data" },
	{ "packets", 2, "packets through a named pipe" },
	{ "pollout", 1, "poll a named pipe for POLLOUT" },
};

int main(int argc, char **argv)
{
	const char *scene = argc > 1 ? argv[1] : "";
	unsigned int i;
	int first;

	for (i = 0; i < ARRAY_SIZE(scenes); i++)
		if (!strcmp(scene, scenes[i].name))
			break;
	if (i == ARRAY_SIZE(scenes)) {
		fprintf(stderr, "usage: mpdemo nonblock|eof|epipe|poll [--kernel]\n"
			"       mpdemo resize DEV\n"
			"       mpdemo zerocopy DEV\n"
			"       mpdemo state DEV READY_FILE\n"
			"       mpdemo rw DEV WRITE_BYTES READ_BYTES\n"
			"       mpdemo setsize DEV WRITE_BYTES SIZE\n"
			"       mpdemo packets DEV COUNT\n"
			"       mpdemo pollout DEV\n");
		return 2;
	}
	if (i >= 6) {
		/* From "state" on: quiet helpers for the tests and the labs, no banner. */
		setvbuf(stdout, NULL, _IOLBF, 0);
		first = 2;
	} else {
		ex_start(argc - 1, argv + 1, scenes[i].title, "", &first);
		first++;
	}
	if (argc - first != scenes[i].nargs) {
		fprintf(stderr, "mpdemo %s: wants %d argument(s)\n", scene, scenes[i].nargs);
		return 2;
	}
	switch (i) {
	case 0: return scene_nonblock();
	case 1: return scene_eof();
	case 2: return scene_epipe();
	case 3: return scene_poll();
	case 4: return scene_resize(argv[first]);
	case 5: return scene_zerocopy(argv[first]);
	case 6: return scene_state(argv[first], argv[first + 1]);
	case 7: return scene_rw(argv[first], strtoul(argv[first + 1], NULL, 10),
				strtoul(argv[first + 2], NULL, 10));
	case 8: return scene_setsize(argv[first], strtoul(argv[first + 1], NULL, 10),
				     atoi(argv[first + 2]));
	case 9: return scene_packets(argv[first], strtoul(argv[first + 1], NULL, 10));
	default: return scene_pollout(argv[first]);
	}
}
