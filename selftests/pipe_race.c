// SPDX-License-Identifier: GPL-2.0
/*
 * Races: the interleavings that a lockless pipe can get wrong, forced to
 * happen instead of waited for.  Rules (docs/semantics.md) R200-R207.
 *
 * Each test puts one CPU at the exact wrong place while the others go on:
 *   - userfaultfd stalls a write's copy at a chosen byte (the writer is
 *     then inside write(), holding whatever a write holds, for as long as
 *     the test wants);
 *   - /proc/thread-self/fail-nth fails the n-th allocation of a call;
 *   - on a module built with MINIPIPE_RACE_POINTS=y (make check-debug),
 *     /sys/kernel/debug/minipipe/race/<point> makes the module wait at a
 *     named place of its lockless protocol (module/race.h).
 * The assertions are the same on every variant: pipe(2) and the FIFO say
 * what is right, whatever the stall does to them.
 */
#include <linux/userfaultfd.h>
#include <pthread.h>

#include "minipipe_test.h"

TST_FIXTURE(race)

#define RACE_DEBUGFS	"/sys/kernel/debug/minipipe/race/"
/* How long a stall waits for the other side to get as far as it can. */
#define RACE_SETTLE_MS	2000

/* ---- userfaultfd: stall a copy at one page -------------------------- */

struct stall {
	int uffd;
	char *area;		/* the whole mapping */
	size_t len;
	char *page;		/* the page that stalls whoever touches it */
};

/*
 * Map @pages pages, the @stall_at-th of them missing and registered with
 * userfaultfd: a copy that reaches it waits in the kernel until
 * stall_release().  With @guard, the page after it is PROT_NONE, so a copy
 * that goes on past the stalled page then faults.  Returns 0, or -1 with
 * errno (ENOSYS, EPERM: no userfaultfd here).
 */
static int stall_setup(struct stall *s, unsigned int pages, unsigned int stall_at, bool guard)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };

	s->len = (size_t)pages * TST_PAGE;
	s->uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (s->uffd < 0)
		return -1;
	s->area = mmap(NULL, s->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->area == MAP_FAILED)
		return -1;
	memset(s->area, 'a', s->len);
	s->page = s->area + (size_t)stall_at * TST_PAGE;
	/* Make the page missing again, then have its first touch reported. */
	if (madvise(s->page, TST_PAGE, MADV_DONTNEED) || ioctl(s->uffd, UFFDIO_API, &api))
		return -1;
	reg.range.start = (unsigned long)s->page;
	reg.range.len = TST_PAGE;
	if (ioctl(s->uffd, UFFDIO_REGISTER, &reg))
		return -1;
	if (guard && mprotect(s->page + TST_PAGE, TST_PAGE, PROT_NONE))
		return -1;
	return 0;
}

/* Wait until someone is stalled on the page; false if no one came in time. */
static bool stall_wait(struct stall *s)
{
	struct pollfd pfd = { .fd = s->uffd, .events = POLLIN };
	struct uffd_msg msg;

	if (poll(&pfd, 1, TST_TIMEOUT_MS) != 1)
		return false;
	return read(s->uffd, &msg, sizeof(msg)) == sizeof(msg) &&
	       msg.event == UFFD_EVENT_PAGEFAULT;
}

/* Let the stalled copy go on: the page appears, filled with @fill. */
static int stall_release(struct stall *s, char fill)
{
	static char src[TST_PAGE] __attribute__((aligned(TST_PAGE)));
	struct uffdio_copy copy = {
		.dst = (unsigned long)s->page,
		.src = (unsigned long)src,
		.len = TST_PAGE,
	};

	memset(src, fill, sizeof(src));
	return ioctl(s->uffd, UFFDIO_COPY, &copy);
}

static void stall_teardown(struct stall *s)
{
	if (s->area && s->area != MAP_FAILED)
		munmap(s->area, s->len);
	if (s->uffd >= 0)
		close(s->uffd);
}

/* ---- threads that do one call and say how it ended -------------------- */

enum call_op { CALL_WRITE, CALL_READ, CALL_CLOSE, CALL_TEE, CALL_SPLICE };

struct call {
	pthread_t thread;
	enum call_op op;
	int fd;
	int out;		/* the output of a tee or splice */
	void *buf;
	size_t len;
	ssize_t ret;
	int err;
	pid_t tid;
	int cpu;		/* the CPU it runs on, or -1 for any */
	bool pinned;		/* it does run on that CPU only */
	volatile bool held;	/* the call waits until the test clears it */
	volatile bool done;
};

/* The thread of a call: one system call, then its result for the test. */
static void *call_run(void *arg)
{
	struct call *c = arg;

	if (c->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(c->cpu, &set);
		c->pinned = sched_setaffinity(0, sizeof(set), &set) == 0;
	}
	__atomic_store_n(&c->tid, gettid(), __ATOMIC_RELEASE);
	while (__atomic_load_n(&c->held, __ATOMIC_ACQUIRE))
		tst_msleep(1);
	switch (c->op) {
	case CALL_WRITE:
		c->ret = write(c->fd, c->buf, c->len);
		break;
	case CALL_READ:
		c->ret = read(c->fd, c->buf, c->len);
		break;
	case CALL_CLOSE:
		c->ret = close(c->fd);
		break;
	case CALL_TEE:
		c->ret = minipipe_tee(c->fd, c->out, c->len, 0);
		break;
	case CALL_SPLICE:
		c->ret = minipipe_splice(c->fd, NULL, c->out, NULL, c->len, 0);
		break;
	}
	c->err = errno;
	__atomic_store_n(&c->done, true, __ATOMIC_RELEASE);
	return NULL;
}

static int call_spawn(struct call *c, enum call_op op, int fd, void *buf, size_t len,
		      int cpu, bool held)
{
	c->op = op;
	c->fd = fd;
	c->buf = buf;
	c->len = len;
	c->tid = 0;
	c->cpu = cpu;
	c->pinned = false;
	c->held = held;
	c->done = false;
	return pthread_create(&c->thread, NULL, call_run, c);
}

/* Start a call in a thread of its own, on any CPU. */
static int call_start(struct call *c, enum call_op op, int fd, void *buf, size_t len)
{
	return call_spawn(c, op, fd, buf, len, -1, false);
}

/*
 * Start a close on @cpu (-1: any), held back until call_go(); returns once
 * its thread id is known (0), or an errno.
 */
static int call_start_held(struct call *c, int fd, int cpu)
{
	int err = call_spawn(c, CALL_CLOSE, fd, NULL, 0, cpu, true);

	while (!err && !__atomic_load_n(&c->tid, __ATOMIC_ACQUIRE))
		tst_msleep(1);
	return err;
}

/*
 * Start a tee or a splice of @len bytes from pipe @in to pipe @out, held
 * back until call_go(); returns once its thread id is known (0), or an errno.
 */
static int call_start_link(struct call *c, enum call_op op, int in, int out, size_t len)
{
	int err;

	c->out = out;
	err = call_spawn(c, op, in, NULL, len, -1, true);
	while (!err && !__atomic_load_n(&c->tid, __ATOMIC_ACQUIRE))
		tst_msleep(1);
	return err;
}

static void call_go(struct call *c)
{
	__atomic_store_n(&c->held, false, __ATOMIC_RELEASE);
}

/* Wait up to @ms for the call to return; true if it did. */
static bool call_wait(struct call *c, long ms)
{
	long end = tst_now_ms() + ms;

	while (!__atomic_load_n(&c->done, __ATOMIC_ACQUIRE)) {
		if (tst_now_ms() > end)
			return false;
		tst_msleep(1);
	}
	return true;
}

/* Wait until the call's thread is asleep (state S) in the kernel. */
static bool call_sleeping(struct call *c)
{
	long end = tst_now_ms() + TST_TIMEOUT_MS;

	while (!__atomic_load_n(&c->tid, __ATOMIC_RELAXED)) {
		if (tst_now_ms() > end)
			return false;
		tst_msleep(1);
	}
	return tst_wait_state(c->tid, 'S', TST_TIMEOUT_MS) == 'S';
}

/*
 * Wait until the call's thread sleeps uninterruptibly (state D): in a
 * mutex_lock(), for the calls here, waiting for a lock another holds.
 */
static bool call_waits_for_lock(struct call *c)
{
	long end = tst_now_ms() + TST_TIMEOUT_MS;

	while (!__atomic_load_n(&c->tid, __ATOMIC_RELAXED)) {
		if (tst_now_ms() > end)
			return false;
		tst_msleep(1);
	}
	return tst_wait_state(c->tid, 'D', TST_TIMEOUT_MS) == 'D';
}

/* ---- the module's race windows (debug builds) ------------------------- */

/* Write @val to the file @path (a debugfs knob); true if it took it all. */
static bool write_knob(const char *path, const char *val)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val);
}

/* Set race point @name to @us microseconds; false if this build has none. */
static bool race_window(const char *name, unsigned int us)
{
	char path[128], num[16];

	snprintf(path, sizeof(path), RACE_DEBUGFS "%s", name);
	snprintf(num, sizeof(num), "%u", us);
	return write_knob(path, num);
}

#define R200_WRITERS	8
#define R200_RECORDS	16
#define R200_ROUNDS	30

struct r200_writer {
	pthread_t thread;
	int fd;
	uint32_t round, who;
	bool ok;
};

/* One round of a writer: R200_RECORDS pages, each saying round, writer, seq. */
static void *r200_write(void *arg)
{
	struct r200_writer *w = arg;
	uint32_t rec[TST_PAGE / sizeof(uint32_t)] = { 0 };
	uint32_t seq;

	w->ok = true;
	for (seq = 0; seq < R200_RECORDS; seq++) {
		rec[0] = w->round;
		rec[1] = w->who;
		rec[2] = seq;
		if (write(w->fd, rec, sizeof(rec)) != sizeof(rec)) {
			w->ok = false;
			break;
		}
	}
	return NULL;
}

/*
 * R200.  A writer that finds the pipe full sleeps only while it is full:
 * eight writers stream whole pages into one reader, round after round,
 * and every byte arrives.  A writer that decided "full" from a head and a
 * tail loaded at two different moments (a stale tail, a fresh head) would
 * sleep beside free slots; while the others write, the pipe soon fills
 * again and its reader wakes it, but at the end of a round nobody does and
 * the stream stops.  Hence many short rounds.  On a debug build the module
 * waits 200 us between loading the ring's indices and using them
 * (race/ring_snapshot), which makes that interleaving common.  This is
 * the rule as writers live it; poll_out_is_one_instant below is the same
 * rule made exact.
 */
TEST_F_TIMEOUT(race, writers_never_sleep_beside_room, 600)
{
	struct r200_writer writers[R200_WRITERS];
	uint32_t rec[TST_PAGE / sizeof(uint32_t)];
	uint32_t next[R200_WRITERS], round;
	size_t want = (size_t)R200_WRITERS * R200_RECORDS * TST_PAGE, total = 0;
	bool armed, stalled = false, broken = false;
	unsigned int i;

	TST_START();
	armed = race_window("ring_snapshot", 200);
	for (round = 0; round < R200_ROUNDS && !stalled && !broken; round++) {
		long last_progress = tst_now_ms();

		for (i = 0; i < R200_WRITERS; i++) {
			writers[i] = (struct r200_writer){ .fd = self->pipe.wfd, .round = round, .who = i };
			next[i] = 0;
			ASSERT_EQ(0, pthread_create(&writers[i].thread, NULL, r200_write, &writers[i]));
		}
		/* Whole pages, each one writer's record (a page is atomic): check order. */
		for (total = 0; total < want; ) {
			struct pollfd pfd = { .fd = self->pipe.rfd, .events = POLLIN };
			size_t got = 0;
			ssize_t n;

			if (poll(&pfd, 1, 1000) == 0) {
				stalled = tst_now_ms() - last_progress > TST_TIMEOUT_MS;
				if (stalled)
					break;
				continue;
			}
			while (got < sizeof(rec)) {
				n = read(self->pipe.rfd, (char *)rec + got, sizeof(rec) - got);
				if (n <= 0)
					break;
				got += n;
			}
			broken = got != sizeof(rec) || rec[0] != round || rec[1] >= R200_WRITERS ||
				 rec[2] != next[rec[1]];
			if (broken)
				break;
			next[rec[1]]++;
			total += got;
			last_progress = tst_now_ms();
		}
		/* A writer still asleep gets EPIPE from the close, then everyone is joined. */
		if (stalled || broken)
			tst_close(&self->pipe.rfd);
		for (i = 0; i < R200_WRITERS; i++)
			pthread_join(writers[i].thread, NULL);
	}
	if (armed)
		race_window("ring_snapshot", 0);
	ASSERT_FALSE(stalled) {
		TH_LOG("%s: round %u: no byte for %d s after %zu of %zu bytes: a writer sleeps with room free",
		       self->pipe.v->name, round - 1, TST_TIMEOUT_MS / 1000, total, want);
	}
	ASSERT_FALSE(broken) TH_LOG("%s: round %u: stream broken after %zu bytes",
				    self->pipe.v->name, round - 1, total);
	for (i = 0; i < R200_WRITERS; i++)
		EXPECT_TRUE(writers[i].ok);
}

/* Read a number from a race/ file; -1 if there is none. */
static long race_read(const char *name)
{
	char path[128], num[32] = "";
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), RACE_DEBUGFS "%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, num, sizeof(num) - 1);
	close(fd);
	return n > 0 ? atol(num) : -1;
}

/*
 * Wait until a task waits at a race point (race/waiting); false if none
 * came within TST_TIMEOUT_MS.
 */
static bool race_wait_victim(void)
{
	long end = tst_now_ms() + TST_TIMEOUT_MS;

	while (race_read("waiting") < 1) {
		if (tst_now_ms() > end)
			return false;
		tst_msleep(1);
	}
	return true;
}

/*
 * On a minipipe of a build with race windows, make thread @tid, and no
 * other, wait up to 1 s at each pass through race point @point.  False,
 * and nothing armed, for a kernel pipe, a build without the windows, or a
 * window someone else is using.
 */
static bool race_arm(const struct tst_pipe *m, pid_t tid, const char *point)
{
	char num[16];

	if (!tst_is_minipipe(m) || race_read("waiting") != 0)
		return false;
	snprintf(num, sizeof(num), "%d", (int)tid);
	return write_knob(RACE_DEBUGFS "victim", num) && race_window(point, 1000000);
}

/* Undo race_arm(). */
static void race_disarm(const char *point)
{
	race_window(point, 0);
	write_knob(RACE_DEBUGFS "victim", "0");
}

struct poller {
	pthread_t thread;
	int fd;
	pid_t tid;
	bool go;
	int ret;
	short revents;
};

static void *poll_once(void *arg)
{
	struct poller *p = arg;
	struct pollfd pfd = { .fd = p->fd, .events = POLLOUT };

	__atomic_store_n(&p->tid, gettid(), __ATOMIC_RELEASE);
	while (!__atomic_load_n(&p->go, __ATOMIC_ACQUIRE))
		tst_msleep(1);
	p->ret = poll(&pfd, 1, 0);
	p->revents = pfd.revents;
	return NULL;
}

/*
 * R200, exactly.  poll reports POLLOUT unless the pipe was full at some
 * instant of the call.  The pipe holds 8 of its 16 pages; while a poller
 * is inside poll(), the test reads those 8 pages and writes 8 more: the
 * pipe goes from 8 to 0 to 8 and is never full, so POLLOUT is due.  A
 * poll that loaded tail before the reads and head after the writes would
 * count 16 and say full.  On a debug build the poller alone is stopped
 * for up to 1 s at race/ring_snapshot, and the test acts only once it is
 * there (race/waiting): that interleaving, every time.
 */
TEST_F(race, poll_out_is_one_instant)
{
	static char page[TST_PAGE];
	struct poller p = { .fd = -1 };
	bool armed = false, arrived = false;
	int i;

	TST_START();
	ASSERT_EQ(TST_CAPACITY, tst_get_size(&self->pipe, self->pipe.wfd));
	for (i = 0; i < TST_SLOTS / 2; i++)
		ASSERT_EQ(TST_PAGE, write(self->pipe.wfd, page, TST_PAGE));
	p.fd = self->pipe.wfd;
	ASSERT_EQ(0, pthread_create(&p.thread, NULL, poll_once, &p));
	while (!__atomic_load_n(&p.tid, __ATOMIC_ACQUIRE))
		tst_msleep(1);
	armed = race_arm(&self->pipe, p.tid, "ring_snapshot");
	__atomic_store_n(&p.go, true, __ATOMIC_RELEASE);
	/* With the window: wait until the poller has taken its look. */
	arrived = armed && race_wait_victim();
	for (i = 0; i < TST_SLOTS / 2; i++)
		ASSERT_EQ(TST_PAGE, read(self->pipe.rfd, page, TST_PAGE));
	for (i = 0; i < TST_SLOTS / 2; i++)
		ASSERT_EQ(TST_PAGE, write(self->pipe.wfd, page, TST_PAGE));
	pthread_join(p.thread, NULL);
	if (armed) {
		race_disarm("ring_snapshot");
		EXPECT_TRUE(arrived) TH_LOG("the poller never reached race/ring_snapshot");
	}
	EXPECT_EQ(1, p.ret);
	EXPECT_TRUE(p.revents & POLLOUT) {
		TH_LOG("%s: poll said 0x%x on a pipe that was never full", self->pipe.v->name,
		       p.revents);
	}
}

/*
 * R201.  A write that fails (EFAULT) never leaves a writer asleep on room
 * that exists.  A one-page pipe holds 10 bytes; writer B sleeps to write
 * a page.  Writer A appends 100 bytes to the 10 (a merge) from a buffer
 * whose first 50 bytes stall (userfaultfd) and whose last 50 fault.  While
 * A is stalled a reader takes what it can; then A fails.  The pipe is
 * empty in the end, so B must get its page in, whoever drained the 10
 * bytes: on a kernel pipe the reader waits for A and its read wakes B.
 */
TEST_F(race, failed_merge_wakes_the_writer_it_made_room_for)
{
	static unsigned char page[TST_PAGE], back[TST_PAGE];
	struct stall s = { .uffd = -1 };
	struct call a, b, r;
	char ten[10];

	TST_START();
	if (stall_setup(&s, 2, 0, true)) {
		stall_teardown(&s);
		SKIP(return, "no userfaultfd here: %s", strerror(errno));
	}
	ASSERT_EQ(TST_PAGE, tst_set_size(&self->pipe, self->pipe.wfd, TST_PAGE));
	memset(ten, 't', sizeof(ten));
	ASSERT_EQ(10, write(self->pipe.wfd, ten, sizeof(ten)));

	memset(page, 'B', sizeof(page));
	ASSERT_EQ(0, call_start(&b, CALL_WRITE, self->pipe.wfd, page, sizeof(page)));
	ASSERT_TRUE(call_sleeping(&b)) TH_LOG("writer B never slept on the full pipe");

	ASSERT_EQ(0, call_start(&a, CALL_WRITE, self->pipe.wfd, s.page + TST_PAGE - 50, 100));
	ASSERT_TRUE(stall_wait(&s)) TH_LOG("writer A never reached the stalled page");
	/* A is inside its merge.  Read what can be read meanwhile. */
	ASSERT_EQ(0, call_start(&r, CALL_READ, self->pipe.rfd, back, sizeof(back)));
	call_wait(&r, RACE_SETTLE_MS);
	ASSERT_EQ(0, stall_release(&s, 's'));

	ASSERT_TRUE(call_wait(&a, TST_TIMEOUT_MS));
	pthread_join(a.thread, NULL);
	EXPECT_EQ(-1, a.ret);
	EXPECT_EQ(EFAULT, a.err);
	ASSERT_TRUE(call_wait(&r, TST_TIMEOUT_MS));
	pthread_join(r.thread, NULL);
	ASSERT_EQ(10, r.ret);
	EXPECT_EQ(0, memcmp(back, ten, sizeof(ten)));

	/* The pipe is empty: B's page must go in. */
	if (!call_wait(&b, TST_TIMEOUT_MS)) {
		tst_close(&self->pipe.rfd);	/* EPIPE lets B go */
		pthread_join(b.thread, NULL);
		stall_teardown(&s);
		ASSERT_TRUE(false) TH_LOG("%s: writer B still asleep on an empty pipe", self->pipe.v->name);
	}
	pthread_join(b.thread, NULL);
	EXPECT_EQ((ssize_t)sizeof(page), b.ret);
	EXPECT_EQ((ssize_t)sizeof(back), read(self->pipe.rfd, back, sizeof(back)));
	EXPECT_EQ(0, memcmp(back, page, sizeof(page)));
	stall_teardown(&s);
}

/*
 * R202.  A write that fits and never has to wait completes even when the
 * last reader closes during it: the close waits for the write (on a kernel
 * pipe, pipe_release() takes the pipe mutex the write holds).  Writer W
 * writes 64 KiB into an empty 64 KiB pipe; its copy stalls at page 8.
 * Meanwhile the reader closes.  W must return 65536, without EPIPE.
 */
TEST_F(race, reader_close_waits_for_a_write_that_fits)
{
	struct stall s = { .uffd = -1 };
	struct call w, c;

	TST_START();
	if (stall_setup(&s, TST_SLOTS, 8, false)) {
		stall_teardown(&s);
		SKIP(return, "no userfaultfd here: %s", strerror(errno));
	}
	ASSERT_EQ(TST_CAPACITY, tst_get_size(&self->pipe, self->pipe.wfd));
	ASSERT_EQ(0, call_start(&w, CALL_WRITE, self->pipe.wfd, s.area, s.len));
	ASSERT_TRUE(stall_wait(&s)) TH_LOG("the write never reached the stalled page");

	ASSERT_EQ(0, call_start(&c, CALL_CLOSE, self->pipe.rfd, NULL, 0));
	self->pipe.rfd = -1;
	call_wait(&c, RACE_SETTLE_MS);
	ASSERT_EQ(0, stall_release(&s, 'w'));

	ASSERT_TRUE(call_wait(&w, TST_TIMEOUT_MS));
	pthread_join(w.thread, NULL);
	ASSERT_TRUE(call_wait(&c, TST_TIMEOUT_MS));
	pthread_join(c.thread, NULL);
	EXPECT_EQ(0, c.ret);
	EXPECT_EQ((ssize_t)s.len, w.ret) {
		TH_LOG("%s: write returned %zd (%s): cut short by the close",
		       self->pipe.v->name, w.ret, w.ret < 0 ? strerror(w.err) : "short");
	}
	stall_teardown(&s);
}

struct close_pair {
	int fd;
	pthread_barrier_t *go;
	int ret;
};

static void *close_at_once(void *arg)
{
	struct close_pair *p = arg;

	pthread_barrier_wait(p->go);
	p->ret = close(p->fd);
	return NULL;
}

/*
 * R203.  Both ends of a pipe closed at the same moment, from two threads,
 * many times: both closes return 0 and nothing of the pipe is touched
 * after it is freed (the debug kernel's KASAN watches; a pipe freed while
 * the other close is still unlocking its mutex is the classic).
 */
TEST_F_TIMEOUT(race, both_ends_closed_at_once, 120)
{
	pthread_barrier_t go;
	unsigned int round, bad = 0;

	TST_START();
	ASSERT_EQ(0, pthread_barrier_init(&go, NULL, 2));
	for (round = 0; round < 2000; round++) {
		struct close_pair p = { .fd = self->pipe.rfd, .go = &go };
		pthread_t t;

		/* Something in the pipe, so that the last close has a ring to free. */
		ASSERT_EQ(1, write(self->pipe.wfd, "x", 1));
		ASSERT_EQ(0, pthread_create(&t, NULL, close_at_once, &p));
		pthread_barrier_wait(&go);
		if (close(self->pipe.wfd))
			bad++;
		pthread_join(t, NULL);
		if (p.ret)
			bad++;
		self->pipe.rfd = self->pipe.wfd = -1;
		ASSERT_EQ(0, tst_open_pair(&self->pipe));
	}
	pthread_barrier_destroy(&go);
	EXPECT_EQ(0, bad);
}

/* The first two CPUs this process may run on, or false if it has one. */
static bool two_cpus(int cpu[2])
{
	int i, n = 0, found[2];
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return false;
	for (i = 0; i < CPU_SETSIZE && n < 2; i++)
		if (CPU_ISSET(i, &set))
			found[n++] = i;
	if (n < 2)
		return false;
	cpu[0] = found[0];
	cpu[1] = found[1];
	return true;
}

/*
 * R203, exactly.  The pipe must outlive the other end's mutex_unlock().
 * Close A takes the pipe's lock first and close B waits for it.  When A
 * unlocks, mutex_unlock() clears the owner word and only then takes the
 * mutex's wait_lock to wake B; whoever takes the mutex in between (here B,
 * woken early: wait loops must allow for that) can finish its close and,
 * if "whoever drops the last file under the lock frees the pipe", free the
 * memory A's unlock is still in.  On a debug build race/release_unlock
 * forces that: A, on one CPU, sleeps with the lock held until B, on
 * another, waits for it; then A is held just after clearing the owner word
 * (a hardware watchpoint) while B is woken and takes the lock;
 * race/release_unlock_held says that happened.  (With the threads not
 * pinned to two CPUs, or without the window, the closes just race.)  The closes return 0 either way; the
 * use-after-free is what the debug kernel's KASAN reports, which fails
 * the run.
 */
TEST_F(race, close_frees_after_the_other_close_unlocks)
{
	int cpu[2] = { -1, -1 };
	bool touched = false, armed = false, arrived = false, done_a, done_b;
	long held_before = -1, opened_before = -1;
	struct call a, b;

	TST_START();
	if (tst_is_minipipe(&self->pipe) && two_cpus(cpu)) {
		held_before = race_read("release_unlock_held");
		opened_before = race_read("release_unlock_opened");
	}
	ASSERT_EQ(0, call_start_held(&a, self->pipe.rfd, cpu[0]));
	ASSERT_EQ(0, call_start_held(&b, self->pipe.wfd, cpu[1]));
	self->pipe.rfd = self->pipe.wfd = -1;
	if (held_before >= 0 && a.pinned && b.pinned && race_read("waiting") == 0) {
		char tid[16];

		touched = true;
		snprintf(tid, sizeof(tid), "%d", (int)a.tid);
		armed = write_knob(RACE_DEBUGFS "victim", tid);
		snprintf(tid, sizeof(tid), "%d", (int)b.tid);
		armed = armed && write_knob(RACE_DEBUGFS "wakee", tid) &&
			race_window("release_unlock", 1000000);
	}
	call_go(&a);
	/* With the window: B closes once A holds the lock. */
	arrived = armed && race_wait_victim();
	call_go(&b);
	done_a = call_wait(&a, TST_TIMEOUT_MS);
	done_b = call_wait(&b, TST_TIMEOUT_MS);
	if (touched) {
		race_window("release_unlock", 0);
		write_knob(RACE_DEBUGFS "victim", "0");
		write_knob(RACE_DEBUGFS "wakee", "0");
	}
	ASSERT_TRUE(done_a && done_b);
	pthread_join(a.thread, NULL);
	pthread_join(b.thread, NULL);
	EXPECT_EQ(0, a.ret);
	EXPECT_EQ(0, b.ret);
	if (armed && arrived && race_read("release_unlock_opened") == opened_before)
		SKIP(return, "no window: no hardware watchpoint here (see dmesg)");
	if (armed) {
		EXPECT_TRUE(arrived) TH_LOG("close A never reached race/release_unlock");
		EXPECT_EQ(held_before + 1, race_read("release_unlock_held")) {
			TH_LOG("the window did not open: B was not woken while A was held");
		}
	}
}

/*
 * R205.  A writer that fills the slot a reader has just given back never
 * writes into the file page a splice had put there.  The pipe holds a
 * page of a file (spliced in through a helper pipe) and then 15 pages:
 * full.  A reader takes the file's bytes; the moment room appears, a
 * non-blocking write of a page goes in.  On a debug build the reader is
 * held for up to 1 s just after it gave the slot back
 * (race/slot_released) and the write is made then: a ring that took the
 * page out of the slot only there would copy the write into the file.
 * Elsewhere the write waits for the read to return.
 */
TEST_F(race, writer_never_fills_a_drained_spliced_page)
{
	static char page[TST_PAGE], got[TST_PAGE];
	bool armed = false, arrived = false;
	unsigned char changed = 0;
	struct call r;
	int h[2], fd, i;
	long bad;

	TST_START();
	ASSERT_EQ(0, pipe(h));
	fd = tst_pattern_memfd(21);
	ASSERT_LE(0, fd);
	ASSERT_EQ(TST_PAGE, tst_splice_file_in(fd, h, self->pipe.wfd, TST_PAGE));
	memset(page, 'W', sizeof(page));
	for (i = 0; i < TST_SLOTS - 1; i++) {
		ASSERT_EQ(TST_PAGE, write(self->pipe.wfd, page, TST_PAGE));
	}
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	ASSERT_EQ(-1, write(self->pipe.wfd, page, TST_PAGE));
	ASSERT_EQ(EAGAIN, errno);

	ASSERT_EQ(0, call_spawn(&r, CALL_READ, self->pipe.rfd, got, TST_PAGE, -1, true));
	while (!__atomic_load_n(&r.tid, __ATOMIC_ACQUIRE))
		tst_msleep(1);
	armed = race_arm(&self->pipe, r.tid, "slot_released");
	call_go(&r);
	/* With the window: write while the reader is held there; else after it. */
	arrived = armed && race_wait_victim();
	if (!arrived) {
		ASSERT_TRUE(call_wait(&r, TST_TIMEOUT_MS));
	}
	ASSERT_EQ(TST_PAGE, write(self->pipe.wfd, page, TST_PAGE));
	EXPECT_TRUE(call_wait(&r, TST_TIMEOUT_MS));
	pthread_join(r.thread, NULL);
	if (armed) {
		race_disarm("slot_released");
		EXPECT_TRUE(arrived) TH_LOG("the reader never reached race/slot_released");
	}
	EXPECT_EQ(TST_PAGE, r.ret);
	EXPECT_EQ(-1, tst_check_pattern(got, TST_PAGE, 21, 0));
	bad = tst_memfd_changed(fd, 21, &changed);
	EXPECT_EQ(-1, bad) TH_LOG("the file changed at byte %ld: 0x%02x", bad, changed);
	ASSERT_EQ(TST_CAPACITY, tst_drain(self->pipe.rfd));
	close(fd);
}

/*
 * Is @got (@n bytes) the stream @want from offset 0 or from @skip on?  A
 * tee that raced with a reader duplicates from where that reader stood.
 */
static bool is_stream_from(const char *got, size_t n, const char *want, size_t len, size_t skip)
{
	return (n <= len && !memcmp(got, want, n)) ||
	       (n <= len - skip && !memcmp(got, want + skip, n));
}

/*
 * R206.  A tee duplicates the input's bytes in their order, even while
 * the input's writer is inside an append.  The input holds 100 bytes;
 * writer W appends a page and 100 bytes to them, its copy stalled
 * (userfaultfd) at its first byte; reader R reads the 100 bytes into a
 * stalled buffer of its own, so that it holds the read side; tee T waits
 * for the read side.  Then R goes on.  On a minipipe the slot W appends to
 * is now drained, in place, with no byte, and T looks at it; on a debug
 * build T is then held at race/tee_slot while W finishes, filling that
 * slot and the next: a tee that went on past the drained slot would give
 * the second slot's bytes without the first's.  On a kernel pipe W holds
 * the pipe's mutex for its whole copy, and R and T wait for it.  The
 * output must hold the input's stream, from before R's read or after it.
 */
TEST_F(race, tee_keeps_the_order_of_an_appending_writer)
{
	static char want[100 + TST_PAGE + 100], got[sizeof(want)];
	struct stall ws = { .uffd = -1 }, rs = { .uffd = -1 };
	bool armed, arrived = false;
	struct call w, r, t;
	int o[2];

	TST_START();
	if (stall_setup(&ws, 2, 0, false) || stall_setup(&rs, 1, 0, false)) {
		stall_teardown(&ws);
		stall_teardown(&rs);
		SKIP(return, "no userfaultfd here: %s", strerror(errno));
	}
	ASSERT_EQ(0, tst_other_pipe(&self->pipe, o));
	memset(want, 'A', 100);
	memset(want + 100, 'X', TST_PAGE);	/* W's stalled page, once released */
	memset(want + 100 + TST_PAGE, 'a', 100);	/* stall_setup()'s fill */
	ASSERT_EQ(100, write(self->pipe.wfd, want, 100));
	ASSERT_EQ(0, call_start(&w, CALL_WRITE, self->pipe.wfd, ws.area, TST_PAGE + 100));
	ASSERT_TRUE(stall_wait(&ws)) TH_LOG("the writer never reached its stalled page");
	ASSERT_EQ(0, call_start(&r, CALL_READ, self->pipe.rfd, rs.page, 100));
	if (tst_is_minipipe(&self->pipe)) {
		ASSERT_TRUE(stall_wait(&rs)) TH_LOG("the reader never reached its stalled page");
	} else {
		ASSERT_TRUE(call_waits_for_lock(&r)) TH_LOG("the reader never waited for the writer");
	}
	ASSERT_EQ(0, call_start_link(&t, CALL_TEE, self->pipe.rfd, o[1], sizeof(want)));
	armed = race_arm(&self->pipe, t.tid, "tee_slot");
	call_go(&t);
	ASSERT_TRUE(call_waits_for_lock(&t)) TH_LOG("the tee never waited for the reader");
	ASSERT_EQ(0, stall_release(&rs, 'r'));
	/* With the window: W finishes while T is between two slots. */
	arrived = armed && race_wait_victim();
	ASSERT_EQ(0, stall_release(&ws, 'X'));
	ASSERT_TRUE(call_wait(&w, TST_TIMEOUT_MS));
	ASSERT_TRUE(call_wait(&r, TST_TIMEOUT_MS));
	ASSERT_TRUE(call_wait(&t, 2 * TST_TIMEOUT_MS));
	pthread_join(w.thread, NULL);
	pthread_join(r.thread, NULL);
	pthread_join(t.thread, NULL);
	if (armed) {
		race_disarm("tee_slot");
		EXPECT_TRUE(arrived) TH_LOG("the tee never reached race/tee_slot");
	}
	EXPECT_EQ(TST_PAGE + 100, w.ret);
	EXPECT_EQ(100, r.ret);
	EXPECT_EQ(0, memcmp(rs.page, want, 100));
	ASSERT_LE(0, t.ret) TH_LOG("tee: %s", strerror(t.err));
	ASSERT_EQ(t.ret, tst_nread(o[0]));
	if (t.ret > 0) {
		ASSERT_EQ(t.ret, read(o[0], got, sizeof(got)));
	}
	EXPECT_TRUE(is_stream_from(got, t.ret, want, sizeof(want), 100)) {
		TH_LOG("%s: the tee gave %zd bytes out of the input's order", self->pipe.v->name,
		       t.ret);
	}
	ASSERT_EQ(sizeof(want) - 100, read(self->pipe.rfd, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(got, want + 100, sizeof(want) - 100));
	stall_teardown(&ws);
	stall_teardown(&rs);
}

/*
 * R206, through a merge.  The input holds 100 bytes in one slot; tee T
 * looks at that slot and, on a debug build, is held at race/tee_slot just
 * after it, while the test writes 100 bytes (merged into that slot) and
 * then a page (a slot of its own).  A tee that went on to the next slot
 * would give the page without the 100 merged bytes that come before it.
 * Elsewhere the writes race with the tee as they may.  The output must
 * hold a prefix of the input's stream, and the input all of it.
 */
TEST_F(race, tee_keeps_the_order_of_a_merging_writer)
{
	static char want[100 + 100 + TST_PAGE], got[sizeof(want)];
	bool armed, arrived = false;
	struct call t;
	int o[2];

	TST_START();
	ASSERT_EQ(0, tst_other_pipe(&self->pipe, o));
	memset(want, 'A', 100);
	memset(want + 100, 'M', 100);
	memset(want + 200, 'B', TST_PAGE);
	ASSERT_EQ(100, write(self->pipe.wfd, want, 100));
	ASSERT_EQ(0, call_start_link(&t, CALL_TEE, self->pipe.rfd, o[1], sizeof(want)));
	armed = race_arm(&self->pipe, t.tid, "tee_slot");
	call_go(&t);
	/* With the window: write while T is between the first slot and the next. */
	arrived = armed && race_wait_victim();
	ASSERT_EQ(100, write(self->pipe.wfd, want + 100, 100));
	ASSERT_EQ(TST_PAGE, write(self->pipe.wfd, want + 200, TST_PAGE));
	ASSERT_TRUE(call_wait(&t, 2 * TST_TIMEOUT_MS));
	pthread_join(t.thread, NULL);
	if (armed) {
		race_disarm("tee_slot");
		EXPECT_TRUE(arrived) TH_LOG("the tee never reached race/tee_slot");
	}
	ASSERT_LT(0, t.ret) TH_LOG("tee: %zd (%s)", t.ret, strerror(t.err));
	ASSERT_EQ(t.ret, tst_nread(o[0]));
	ASSERT_EQ(t.ret, read(o[0], got, sizeof(got)));
	EXPECT_EQ(0, memcmp(got, want, t.ret)) {
		TH_LOG("%s: the tee gave %zd bytes that are not the input's first", self->pipe.v->name,
		       t.ret);
	}
	ASSERT_EQ(sizeof(want), read(self->pipe.rfd, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(got, want, sizeof(want)));
}

/*
 * R207.  A splice between two pipes that finds its input emptied under it
 * by another reader waits again: it returns 0 at end of file only, never
 * over bytes a writer wrote before it closed.  The input holds 100 bytes;
 * reader R reads them into a stalled buffer (userfaultfd), holding the
 * read side; splice S waits for the read side.  R goes on and drains the
 * input, so S finds nothing to move; then the test writes 50 bytes and
 * closes the write end.  On a debug build S is held at race/splice_eof
 * meanwhile, after it loaded the writer count and before the unread
 * bytes: a test in the other order (no byte yet, then no writer any more)
 * would say end of file.  S must move the 50 bytes.
 */
TEST_F(race, splice_after_a_racing_reader_sees_the_last_bytes)
{
	static char data[100], got[200];
	struct stall rs = { .uffd = -1 };
	bool armed, arrived = false;
	struct call r, sp;
	int o[2];

	TST_START();
	if (stall_setup(&rs, 1, 0, false)) {
		stall_teardown(&rs);
		SKIP(return, "no userfaultfd here: %s", strerror(errno));
	}
	ASSERT_EQ(0, tst_other_pipe(&self->pipe, o));
	memset(data, 'A', sizeof(data));
	ASSERT_EQ(100, write(self->pipe.wfd, data, 100));
	ASSERT_EQ(0, call_start(&r, CALL_READ, self->pipe.rfd, rs.page, 100));
	ASSERT_TRUE(stall_wait(&rs)) TH_LOG("the reader never reached its stalled page");
	ASSERT_EQ(0, call_start_link(&sp, CALL_SPLICE, self->pipe.rfd, o[1], sizeof(got)));
	armed = race_arm(&self->pipe, sp.tid, "splice_eof");
	call_go(&sp);
	ASSERT_TRUE(call_waits_for_lock(&sp)) TH_LOG("the splice never waited for the reader");
	ASSERT_EQ(0, stall_release(&rs, 'r'));
	ASSERT_TRUE(call_wait(&r, TST_TIMEOUT_MS));
	/* With the window: write and close while S is between its two loads. */
	arrived = armed && race_wait_victim();
	memset(data, 'B', sizeof(data));
	ASSERT_EQ(50, write(self->pipe.wfd, data, 50));
	tst_close(&self->pipe.wfd);
	ASSERT_TRUE(call_wait(&sp, 2 * TST_TIMEOUT_MS));
	pthread_join(r.thread, NULL);
	pthread_join(sp.thread, NULL);
	if (armed) {
		race_disarm("splice_eof");
		EXPECT_TRUE(arrived) TH_LOG("the splice never reached race/splice_eof");
	}
	EXPECT_EQ(100, r.ret);
	EXPECT_EQ(50, sp.ret) {
		TH_LOG("%s: splice returned %zd (%s) with 50 bytes in its input",
		       self->pipe.v->name, sp.ret, sp.ret < 0 ? strerror(sp.err) : "");
	}
	ASSERT_EQ(sp.ret > 0 ? sp.ret : 0, tst_nread(o[0]));
	if (sp.ret > 0) {
		ASSERT_EQ(sp.ret, read(o[0], got, sizeof(got)));
		EXPECT_EQ(0, memcmp(got, data, sp.ret));
	}
	stall_teardown(&rs);
}

/* ---- fail-nth --------------------------------------------------------- */

/* Arm /proc/thread-self/fail-nth: the @n-th allocation from now fails. */
static bool fail_nth_arm(int fd, unsigned int n)
{
	char num[16];
	int len = snprintf(num, sizeof(num), "%u", n);

	return pwrite(fd, num, len, 0) == len;
}

/* Did the armed failure happen?  Disarms it either way. */
static bool fail_nth_fired(int fd)
{
	char num[16] = "";

	if (pread(fd, num, sizeof(num) - 1, 0) <= 0)
		return false;
	if (atoi(num) == 0)
		return true;
	fail_nth_arm(fd, 0);
	return false;
}

/*
 * Write @val to a fault-injection knob; the old value goes to @old.  Two
 * opens: debugfs attribute files cannot be read or written at an offset.
 */
static bool fault_knob(const char *attr, const char *knob, const char *val, char *old, size_t size)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s", attr, knob);
	if (old) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return false;
		n = read(fd, old, size - 1);
		old[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	return write_knob(path, val);
}

/* Read everything @fd holds into @buf from @have on, without blocking; the new total. */
static size_t drain_into(int fd, unsigned char *buf, size_t have, size_t size)
{
	bool nb = tst_is_nonblock(fd);
	ssize_t r;

	tst_set_nonblock(fd, true);
	while ((r = read(fd, buf + have, size - have)) > 0)
		have += r;
	tst_set_nonblock(fd, nb);
	return have;
}

/*
 * The sweep of R204 in one direction: 100 bytes and then a page in the
 * source (the variant, or a fresh kernel pipe when @into), one splice of
 * both to the other side with its n-th allocation failing, for n = 1, 2,
 * ... until a splice no longer reaches an n-th allocation.  Each time the
 * destination, then the source, must hold the data exactly once.
 */
static void splice_sweep(struct __test_metadata *_metadata, struct tst_pipe *m, bool into)
{
	static unsigned char data[100 + TST_PAGE], got[2 * sizeof(data)];
	char verbose[2][16], wait[2][16], order[16];
	const char *attrs[2] = { "fail_page_alloc", "failslab" };
	unsigned int n, i;
	int nth;

	nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth < 0 || !fault_knob(attrs[0], "verbose", "0", verbose[0], sizeof(verbose[0])))
		SKIP(return, "no fail-nth or fail_page_alloc here (only the debug kernels have them)");
	/* Quiet failures; single pages, and allocations that may sleep, count too. */
	fault_knob(attrs[1], "verbose", "0", verbose[1], sizeof(verbose[1]));
	fault_knob(attrs[0], "min-order", "0", order, sizeof(order));
	for (i = 0; i < 2; i++)
		fault_knob(attrs[i], "ignore-gfp-wait", "N", wait[i], sizeof(wait[i]));
	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7 + 1);

	for (n = 1; n < 200; n++) {
		int h[2], src, dst, wsrc;
		size_t have = 0;
		ssize_t moved;
		bool fired;

		ASSERT_EQ(0, pipe2(h, O_NONBLOCK));
		src = into ? h[0] : m->rfd;
		wsrc = into ? h[1] : m->wfd;
		dst = into ? m->wfd : h[1];
		ASSERT_EQ(100, write(wsrc, data, 100));
		ASSERT_EQ(TST_PAGE, write(wsrc, data + 100, TST_PAGE));
		ASSERT_TRUE(fail_nth_arm(nth, n));
		moved = splice(src, NULL, dst, NULL, sizeof(data), SPLICE_F_NONBLOCK);
		fired = fail_nth_fired(nth);

		/* Whatever the splice did: destination, then source, is the data once. */
		have = drain_into(into ? m->rfd : h[0], got, 0, sizeof(got));
		EXPECT_EQ(moved > 0 ? moved : 0, (ssize_t)have) {
			TH_LOG("n=%u: splice returned %zd, destination holds %zu bytes", n, moved, have);
		}
		have = drain_into(src, got, have, sizeof(got));
		close(h[0]);
		close(h[1]);
		ASSERT_EQ(sizeof(data), have) TH_LOG("n=%u: %zu bytes came out for %zu", n, have, sizeof(data));
		ASSERT_EQ(0, memcmp(got, data, sizeof(data))) TH_LOG("n=%u: bytes out of order", n);
		if (!fired)
			break;
	}
	for (i = 0; i < 2; i++) {
		fault_knob(attrs[i], "verbose", verbose[i], NULL, 0);
		fault_knob(attrs[i], "ignore-gfp-wait", wait[i], NULL, 0);
	}
	fault_knob(attrs[0], "min-order", order, NULL, 0);
	close(nth);
	EXPECT_LT(n, 200);
}

/*
 * R204.  splice() out of a pipe delivers every byte exactly once, even
 * when an allocation fails part way: the bytes the call returns are gone
 * from the source and in the destination, and the rest are still in the
 * source.  (Before 6.5 a read into a splice's pipe puts the bytes into the
 * destination as it copies, allocating its pages on the way.)
 */
TEST_F_TIMEOUT(race, splice_with_failing_allocation_delivers_once, 120)
{
	TST_START();
	splice_sweep(_metadata, &self->pipe, false);
}

/* R204.  The same into the variant, from a kernel pipe. */
TEST_F_TIMEOUT(race, splice_in_with_failing_allocation_delivers_once, 120)
{
	TST_START();
	splice_sweep(_metadata, &self->pipe, true);
}

TEST_HARNESS_MAIN
