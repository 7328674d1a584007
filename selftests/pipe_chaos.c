// SPDX-License-Identifier: GPL-2.0
/*
 * Randomized stress: writers and a reader doing random-size blocking and
 * non-blocking I/O, poll, F_SETFL toggles, resizes, closes and reopens,
 * while another process keeps interrupting them with signals.  A checker
 * reassembles the stream: every record (<= PIPE_BUF, so atomic) must come
 * out whole, each writer's records in order, none lost or duplicated.
 * Rules (docs/semantics.md) R11, R15, R16, R32, R36, R43, R55, R70,
 * R100-R103, R150.
 *
 * The pseudo-random sequence is fixed (seed printed; MINIPIPE_SEED
 * overrides it), so a failure can be replayed.  Each process derives its
 * own stream from the seed; the interleaving itself is up to the scheduler.
 */
#include "minipipe_test.h"

TST_FIXTURE(chaos)

#define CHAOS_TIMEOUT	240
#define CHAOS_WRITERS	3
#define CHAOS_RECORDS	1500		/* per writer, unless the deadline comes first */
#define CHAOS_DEADLINE_MS 60000		/* writers stop here even under slow TCG */
#define CHAOS_MAGIC	0x43484153u

struct chaos_hdr {
	uint32_t magic;
	uint32_t writer;
	uint32_t seq;
	uint32_t len;			/* of the whole record, header included */
};

/* What the writers report back through shared memory. */
struct chaos_shared {
	uint32_t written[CHAOS_WRITERS];
	uint32_t resizes[CHAOS_WRITERS];
	uint32_t interrupted[CHAOS_WRITERS];
};

static volatile sig_atomic_t chaos_signals;

static void chaos_on_signal(int sig)
{
	(void)sig;
	chaos_signals++;
}

static uint64_t chaos_seed(void)
{
	const char *s = getenv("MINIPIPE_SEED");

	return s && *s ? strtoull(s, NULL, 0) : 0x63686173ull;
}

/* SIGUSR1 interrupts blocking calls; with SA_RESTART only sometimes. */
static void chaos_handler(bool restart)
{
	struct sigaction sa = { .sa_handler = chaos_on_signal };

	sa.sa_flags = restart ? SA_RESTART : 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
}

/* Wait (boundedly) until @fd is ready for @events; EINTR is fine. */
static void chaos_wait(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	poll(&p, 1, 1000);
}

static size_t chaos_record(unsigned char *rec, uint64_t *rnd, uint32_t w, uint32_t seq)
{
	struct chaos_hdr h = { CHAOS_MAGIC, w, seq, 0 };

	h.len = sizeof(h) + tst_rand(rnd) % (TST_PAGE - sizeof(h) + 1);
	memcpy(rec, &h, sizeof(h));
	tst_fill_pattern(rec + sizeof(h), h.len - sizeof(h), w * 1000000 + seq, 0);
	return h.len;
}

/*
 * One writer: CHAOS_RECORDS records, with random detours.  Exit codes:
 * 0 ok, 1 a record was split (a write <= PIPE_BUF returned a short
 * count), 2 an unexpected errno, 3 resize failed other than EBUSY.
 */
static int chaos_writer(struct tst_pipe *m, struct chaos_shared *sh, uint32_t w, long deadline)
{
	unsigned char rec[TST_PAGE];
	uint64_t rnd = chaos_seed() ^ (0x1000 + w);
	int fd = m->wfd;
	uint32_t seq;

	chaos_handler(w & 1);
	/* A named pipe: each writer has its own open file, to toggle and to reopen. */
	if (m->v->has_path) {
		fd = open(m->path, O_WRONLY);
		if (fd < 0)
			return 2;
		close(m->wfd);
	}
	for (seq = 0; seq < CHAOS_RECORDS && tst_now_ms() < deadline; seq++) {
		size_t len = chaos_record(rec, &rnd, w, seq);
		uint64_t dice = tst_rand(&rnd);

		if (dice % 16 == 0)
			tst_set_nonblock(fd, !tst_is_nonblock(fd));
		if (dice % 64 == 1) {
			long sizes[] = { 4096, 8192, 16384, 65536, 131072 };

			if (tst_set_size(m, fd, sizes[(dice >> 8) % 5]) < 0 && errno != EBUSY)
				return 3;
			sh->resizes[w]++;
		}
		if (dice % 64 == 2 && m->v->has_path) {
			/* The reader stays, so this open never blocks. */
			int again = open(m->path, O_WRONLY);

			if (again < 0)
				return 2;
			close(fd);
			fd = again;
		}
		for (;;) {
			ssize_t r = write(fd, rec, len);

			if (r == (ssize_t)len)
				break;
			if (r >= 0)
				return 1;
			if (errno == EINTR) {
				sh->interrupted[w]++;
				continue;
			}
			if (errno != EAGAIN)
				return 2;
			chaos_wait(fd, POLLOUT);
		}
		sh->written[w] = seq + 1;
	}
	close(fd);
	return 0;
}

/* Keep sending SIGUSR1 to the writers and the reader until killed. */
static void chaos_signaller(pid_t *targets, int n)
{
	uint64_t rnd = chaos_seed() ^ 0x5151;

	for (;;) {
		kill(targets[tst_rand(&rnd) % n], SIGUSR1);
		usleep(200 + tst_rand(&rnd) % 2000);	/* pacing, not synchronisation */
	}
}

/* Check every complete record at the front of @stage; returns bytes used. */
static size_t chaos_check(struct __test_metadata *_metadata, const unsigned char *stage,
			  size_t have, uint32_t *next, long *records)
{
	size_t off = 0;

	while (have - off >= sizeof(struct chaos_hdr)) {
		struct chaos_hdr h;

		memcpy(&h, stage + off, sizeof(h));
		EXPECT_EQ(CHAOS_MAGIC, h.magic) TH_LOG("record %ld: bad magic", *records);
		EXPECT_GT(CHAOS_WRITERS, (int)h.writer);
		EXPECT_GE(TST_PAGE, (int)h.len);
		if (h.magic != CHAOS_MAGIC || h.writer >= CHAOS_WRITERS || h.len > TST_PAGE)
			return have;	/* the stream is lost: stop checking */
		if (have - off < h.len)
			break;
		EXPECT_EQ(next[h.writer], h.seq) TH_LOG("writer %u out of order", h.writer);
		EXPECT_EQ(-1, tst_check_pattern(stage + off + sizeof(h), h.len - sizeof(h),
					       h.writer * 1000000 + h.seq, 0))
			TH_LOG("record %u/%u torn", h.writer, h.seq);
		next[h.writer] = h.seq + 1;
		(*records)++;
		off += h.len;
	}
	return off;
}

/*
 * R11, R15, R16, R32, R36, R70, R100-R103, R150: the whole randomized run.
 * The reader is the test process; it too is signalled and toggles
 * O_NONBLOCK, reads random sizes and polls.
 */
TEST_F_TIMEOUT(chaos, randomized_stream, CHAOS_TIMEOUT)
{
	static unsigned char buf[96 * 1024], stage[96 * 1024 + 2 * TST_PAGE];
	struct chaos_shared *sh;
	pid_t pids[CHAOS_WRITERS + 1], signaller;
	uint32_t next[CHAOS_WRITERS] = { 0 };
	bool reaped[CHAOS_WRITERS] = { false };
	uint64_t rnd = chaos_seed();
	long records = 0, deadline;
	int alive = CHAOS_WRITERS, i;
	size_t have = 0;

	TST_START();
	TH_LOG("seed %#llx (MINIPIPE_SEED to replay)", (unsigned long long)chaos_seed());
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	memset(sh, 0, sizeof(*sh));
	chaos_handler(false);

	deadline = tst_now_ms() + CHAOS_DEADLINE_MS;
	for (i = 0; i < CHAOS_WRITERS; i++) {
		pids[i] = tst_fork(&self->pipe);
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			close(self->pipe.rfd);
			_exit(chaos_writer(&self->pipe, sh, i, deadline));
		}
	}
	pids[CHAOS_WRITERS] = getpid();
	signaller = tst_fork(&self->pipe);
	ASSERT_LE(0, signaller);
	if (signaller == 0) {
		close(self->pipe.rfd);
		close(self->pipe.wfd);
		chaos_signaller(pids, CHAOS_WRITERS + 1);
	}
	/*
	 * The test keeps its write end until every writer is done: a writer
	 * reopening its fd must not make the reader see a premature EOF.
	 */

	for (;;) {
		uint64_t dice = tst_rand(&rnd);
		size_t want = 1 + dice % sizeof(buf);
		ssize_t r;

		if (dice % 32 == 0)
			tst_set_nonblock(self->pipe.rfd, !tst_is_nonblock(self->pipe.rfd));
		r = read(self->pipe.rfd, buf, want);
		if (r < 0) {
			ASSERT_TRUE(errno == EINTR || errno == EAGAIN) TH_LOG("read: %m");
			if (errno == EAGAIN)
				chaos_wait(self->pipe.rfd, POLLIN);
		} else if (r == 0) {
			if (!alive && self->pipe.wfd < 0)
				break;
			chaos_wait(self->pipe.rfd, POLLIN);
		} else {
			size_t used;

			ASSERT_GE(sizeof(stage), have + r);
			memcpy(stage + have, buf, r);
			have += r;
			used = chaos_check(_metadata, stage, have, next, &records);
			memmove(stage, stage + used, have - used);
			have -= used;
		}
		/* Writers done: drop the last write end, then drain to EOF. */
		for (i = 0; i < CHAOS_WRITERS; i++) {
			int st;

			if (reaped[i] || waitpid(pids[i], &st, WNOHANG) != pids[i])
				continue;
			EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
				TH_LOG("writer %d: %s", i, tst_status_str(st));
			reaped[i] = true;
			alive--;
		}
		if (!alive && self->pipe.wfd >= 0)
			tst_close(&self->pipe.wfd);
	}
	kill(signaller, SIGKILL);
	EXPECT_EQ(0, have) TH_LOG("%zu bytes of a partial record at EOF", have);
	for (i = 0; i < CHAOS_WRITERS; i++) {
		EXPECT_EQ(sh->written[i], next[i]) TH_LOG("writer %d: records lost", i);
		TH_LOG("writer %d: %u records, %u resizes, %u EINTR", i, sh->written[i],
		       sh->resizes[i], sh->interrupted[i]);
	}
	TH_LOG("%ld records checked, reader saw %d signals", records, (int)chaos_signals);
	EXPECT_LT(0, records);
	munmap(sh, sizeof(*sh));
}

TEST_HARNESS_MAIN
