// SPDX-License-Identifier: GPL-2.0
/*
 * Concurrency: PIPE_BUF atomicity under many writers, several readers
 * sharing one stream, a long random-sized transfer, wake-up chaining and
 * threads sharing fds.  Rules (docs/semantics.md) R13, R16, R32-R34,
 * R61-R63, R150, R151.
 *
 * Children never use ASSERT_*: they exit with a code the parent checks.
 */
#include <pthread.h>

#include "minipipe_test.h"

TST_FIXTURE(stress)

/* Long tests get more than the default 30 s: the VM runs under TCG. */
#define STRESS_TIMEOUT	180

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Bytes [off, off + len) of the pseudo-random stream @seed. */
static void stream_bytes(uint64_t seed, uint64_t off, unsigned char *buf,
			 size_t len)
{
	while (len) {
		uint64_t v = splitmix64(seed ^ (off >> 3));
		unsigned int i = off & 7;

		for (; i < 8 && len; i++, len--, off++)
			*buf++ = (unsigned char)(v >> (8 * i));
	}
}

/* Random I/O size: mostly large, often small, sometimes tiny. */
static size_t rand_size(uint64_t *rnd, size_t max)
{
	uint64_t r = tst_rand(rnd);

	switch (r & 3) {
	case 0:
		return 1 + (r >> 8) % 512;
	case 1:
		return 1 + (r >> 8) % 4096;
	default:
		return 4097 + (r >> 8) % (max - 4096);
	}
}

static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t len)
{
	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ull;
	}
	return h;
}

static uint64_t test_seed(void)
{
	const char *s = getenv("MINIPIPE_SEED");

	return s && *s ? strtoull(s, NULL, 0) : 0x6d696e6970697065ull;
}

struct rec_hdr {
	uint32_t magic;
	uint32_t writer;
	uint32_t seq;
};

#define REC_MAGIC 0x4d505243u

static void make_record(unsigned char *rec, size_t size, uint32_t w,
			uint32_t seq)
{
	struct rec_hdr h = { REC_MAGIC, w, seq };

	memcpy(rec, &h, sizeof(h));
	tst_fill_pattern(rec + sizeof(h), size - sizeof(h), w * 100000 + seq,
			0);
}

/*
 * Run @nw writers of @nrec records of @size bytes each (one write() per
 * record) and read the stream back with random read sizes.  Every record
 * must come out whole and each writer's records in order (R32, R150).
 */
static void records(struct __test_metadata *_metadata, struct tst_pipe *m,
		    int nw, int nrec, size_t size)
{
	static unsigned char buf[256 * 1024], stage[256 * 1024 + 8192];
	uint32_t next[16] = { 0 };
	size_t have = 0, got = 0, total = (size_t)nw * nrec * size;
	uint64_t rnd = test_seed();
	long done = 0;
	pid_t pids[16];
	int i;

	ASSERT_GE(16, nw);
	for (i = 0; i < nw; i++) {
		pids[i] = tst_fork(m);
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			unsigned char *rec = malloc(size);
			int s;

			close(m->rfd);
			if (!rec)
				_exit(3);
			for (s = 0; s < nrec; s++) {
				make_record(rec, size, i, s);
				if (write(m->wfd, rec, size) != (ssize_t)size)
					_exit(1);
			}
			_exit(0);
		}
	}
	tst_close(&m->wfd);

	for (;;) {
		size_t want = rand_size(&rnd, sizeof(buf));
		ssize_t r = read(m->rfd, buf, want);
		size_t off = 0;

		ASSERT_LE(0, r) TH_LOG("read: %s", strerror(errno));
		if (r == 0)
			break;
		got += r;
		ASSERT_GE(total, got);
		memcpy(stage + have, buf, r);
		have += r;
		while (have - off >= size) {
			unsigned char *rec = stage + off;
			struct rec_hdr h;

			memcpy(&h, rec, sizeof(h));
			ASSERT_EQ(REC_MAGIC, h.magic) {
				TH_LOG("record %ld: bad magic, interleaved?",
				       done);
			}
			ASSERT_GT(nw, (int)h.writer);
			ASSERT_EQ(next[h.writer], h.seq) {
				TH_LOG("writer %u out of order", h.writer);
			}
			ASSERT_EQ(-1, tst_check_pattern(rec + sizeof(h),
						       size - sizeof(h),
						       h.writer * 100000 + h.seq,
						       0)) {
				TH_LOG("record %u/%u torn", h.writer, h.seq);
			}
			next[h.writer]++;
			done++;
			off += size;
		}
		memmove(stage, stage + off, have - off);
		have -= off;
	}
	ASSERT_EQ(0, have);
	ASSERT_EQ(total, got);
	ASSERT_EQ((long)nw * nrec, done);
	for (i = 0; i < nw; i++) {
		ASSERT_EQ((uint32_t)nrec, next[i]);
		TST_ASSERT_EXIT(m, pids[i], 0);
	}
}

/*
 * R32, R150, R16: 4 writers x 300 records of PIPE_BUF (4096) bytes; no
 * record is ever interleaved with another and per-writer order holds.
 */
TEST_F_TIMEOUT(stress, atomic_page_records, STRESS_TIMEOUT)
{
	TST_START();
	records(_metadata, &self->pipe, 4, 300, 4096);
}

/*
 * R32, R3: 6 writers x 2000 records of 113 bytes: small writes merge
 * into slots but are never split across them.
 */
TEST_F_TIMEOUT(stress, atomic_small_records, STRESS_TIMEOUT)
{
	TST_START();
	records(_metadata, &self->pipe, 6, 2000, 113);
}

#define SPLIT_WORDS	(1u << 20)	/* 8 MiB of u64 counters */

/*
 * R16 (LTP pipe11): two readers share one stream of u64 counters.  All
 * sizes are multiples of 8, so reads stay word-aligned.  Every word is
 * read exactly once, and each reader sees increasing words.
 */
TEST_F_TIMEOUT(stress, two_readers_split_stream, STRESS_TIMEOUT)
{
	uint64_t *bitmap = tst_shared(SPLIT_WORDS / 8);
	long *counts = tst_shared(2 * sizeof(long));
	uint64_t seed = test_seed();
	pid_t wpid, rpids[2];
	uint64_t i;
	long sum;
	int k;

	TST_START();
	ASSERT_NE(NULL, bitmap);
	ASSERT_NE(NULL, counts);
	TH_LOG("seed 0x%llx", (unsigned long long)seed);

	wpid = tst_fork(&self->pipe);
	ASSERT_LE(0, wpid);
	if (wpid == 0) {
		static uint64_t words[16384];
		uint64_t rnd = seed, n = 0;

		close(self->pipe.rfd);
		while (n < SPLIT_WORDS) {
			uint64_t cnt = 1 + tst_rand(&rnd) % 16384, j;

			if (cnt > SPLIT_WORDS - n)
				cnt = SPLIT_WORDS - n;
			for (j = 0; j < cnt; j++)
				words[j] = n + j;
			if (write(self->pipe.wfd, words, cnt * 8) !=
			    (ssize_t)(cnt * 8))
				_exit(1);
			n += cnt;
		}
		_exit(0);
	}
	for (k = 0; k < 2; k++) {
		rpids[k] = tst_fork(&self->pipe);
		ASSERT_LE(0, rpids[k]);
		if (rpids[k] == 0) {
			static uint64_t words[8192];
			uint64_t rnd = seed + k + 1, last = 0;
			bool first = true;

			close(self->pipe.wfd);
			for (;;) {
				size_t want = 8 * (1 + tst_rand(&rnd) % 8192);
				ssize_t r = read(self->pipe.rfd, words, want);
				ssize_t j;

				if (r == 0)
					break;
				if (r < 0 || r % 8)
					_exit(1);
				for (j = 0; j < r / 8; j++) {
					uint64_t w = words[j], bit;

					if (w >= SPLIT_WORDS)
						_exit(2);
					if (!first && w <= last)
						_exit(3);
					bit = 1ull << (w & 63);
					if (__atomic_fetch_or(&bitmap[w >> 6],
							      bit,
							      __ATOMIC_SEQ_CST) &
					    bit)
						_exit(4);	/* twice */
					first = false;
					last = w;
					counts[k]++;
				}
			}
			_exit(0);
		}
	}
	tst_close_pair(&self->pipe);
	TST_ASSERT_EXIT(&self->pipe, wpid, 0);
	for (k = 0; k < 2; k++)
		TST_ASSERT_EXIT(&self->pipe, rpids[k], 0);
	sum = counts[0] + counts[1];
	TH_LOG("reader words: %ld + %ld", counts[0], counts[1]);
	ASSERT_EQ((long)SPLIT_WORDS, sum);
	for (i = 0; i < SPLIT_WORDS / 64; i++)
		ASSERT_EQ(~0ull, bitmap[i]) TH_LOG("word group %llu missing",
						   (unsigned long long)i);
}

#define BIG_TOTAL	(64ull << 20)
#define BIG_IO		(256 * 1024)

/*
 * R13, R16, R33, R34: 64 MiB in random-sized writes and reads (fixed,
 * printed seed; MINIPIPE_SEED overrides).  Every byte is compared and
 * both sides' checksums must agree.
 */
TEST_F_TIMEOUT(stress, transfer_64m_random, STRESS_TIMEOUT)
{
	static unsigned char buf[BIG_IO], want[BIG_IO];
	uint64_t *wsum = tst_shared(sizeof(uint64_t));
	uint64_t seed = test_seed(), rnd, got = 0;
	uint64_t sum = 0xcbf29ce484222325ull;
	long t0 = tst_now_ms();
	pid_t pid;

	TST_START();
	ASSERT_NE(NULL, wsum);
	TH_LOG("seed 0x%llx", (unsigned long long)seed);
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint64_t h = 0xcbf29ce484222325ull, off = 0;

		rnd = seed ^ 0x5752495445ull;
		close(self->pipe.rfd);
		while (off < BIG_TOTAL) {
			size_t n = rand_size(&rnd, BIG_IO);
			ssize_t w;

			if (n > BIG_TOTAL - off)
				n = BIG_TOTAL - off;
			stream_bytes(seed, off, buf, n);
			w = write(self->pipe.wfd, buf, n);
			if (w != (ssize_t)n)
				_exit(1);
			h = fnv1a(h, buf, n);
			off += n;
		}
		*wsum = h;
		_exit(0);
	}
	tst_close(&self->pipe.wfd);
	rnd = seed ^ 0x52454144ull;
	for (;;) {
		size_t n = rand_size(&rnd, BIG_IO);
		ssize_t r = read(self->pipe.rfd, buf, n);

		ASSERT_LE(0, r) TH_LOG("read at %llu: %s",
				       (unsigned long long)got,
				       strerror(errno));
		if (r == 0)
			break;
		ASSERT_GE(BIG_TOTAL, got + r);
		stream_bytes(seed, got, want, r);
		ASSERT_EQ(0, memcmp(buf, want, r)) {
			TH_LOG("data differs in [%llu, %llu)",
			       (unsigned long long)got,
			       (unsigned long long)got + r);
		}
		sum = fnv1a(sum, buf, r);
		got += r;
	}
	ASSERT_EQ(BIG_TOTAL, got);
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	ASSERT_EQ(*wsum, sum);
	TH_LOG("64 MiB in %ld ms, checksum 0x%016llx", tst_now_ms() - t0,
	       (unsigned long long)sum);
}

/*
 * R61, R63: three readers blocked on one byte each; a single 3-byte
 * write serves all of them ("wake next reader" chaining).
 */
TEST_F(stress, one_write_serves_all_blocked_readers)
{
	char *got = tst_shared(4);
	pid_t pids[3];
	int i, seen = 0;

	TST_START();
	ASSERT_NE(NULL, got);
	for (i = 0; i < 3; i++) {
		pids[i] = tst_fork(&self->pipe);
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			close(self->pipe.wfd);
			tst_ready(&self->pipe);
			_exit(read(self->pipe.rfd, &got[i], 1) == 1 ? 0 : 1);
		}
	}
	TST_ASSERT_ALL_BLOCKED(&self->pipe, pids, 3);
	ASSERT_EQ(3, write(self->pipe.wfd, "abc", 3));
	for (i = 0; i < 3; i++)
		TST_ASSERT_EXIT(&self->pipe, pids[i], 0);
	for (i = 0; i < 3; i++) {
		ASSERT_TRUE(got[i] >= 'a' && got[i] <= 'c');
		seen |= 1 << (got[i] - 'a');
	}
	ASSERT_EQ(7, seen);
	ASSERT_EQ(0, tst_nread(self->pipe.rfd));
}

/*
 * R62, R63, R32: three writers blocked on a full pipe; one read that
 * empties it lets all of them finish, each page arriving whole.
 */
TEST_F(stress, one_read_frees_all_blocked_writers)
{
	static unsigned char buf[TST_CAPACITY];
	pid_t pids[3];
	int i, j, seen = 0;

	TST_START();
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	for (i = 0; i < 3; i++) {
		pids[i] = tst_fork(&self->pipe);
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			close(self->pipe.rfd);
			tst_ready(&self->pipe);
			_exit(tst_write_pattern(self->pipe.wfd, 4096, 10 + i, 0) ==
			      4096 ? 0 : 1);
		}
	}
	TST_ASSERT_ALL_BLOCKED(&self->pipe, pids, 3);
	ASSERT_EQ(TST_CAPACITY, read(self->pipe.rfd, buf, sizeof(buf)));
	for (i = 0; i < 3; i++)
		TST_ASSERT_EXIT(&self->pipe, pids[i], 0);
	ASSERT_EQ(3 * 4096, tst_nread(self->pipe.rfd));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(4096, read(self->pipe.rfd, buf, 4096));
		for (j = 0; j < 3; j++)
			if (tst_check_pattern(buf, 4096, 10 + j, 0) == -1)
				break;
		ASSERT_GT(3, j) TH_LOG("page %d is not one writer's page", i);
		seen |= 1 << j;
	}
	ASSERT_EQ(7, seen);
}

/*
 * R13, R16 (LTP pipe11): ten readers each read 6000 bytes of a pre-filled
 * stream of u32 counters; each gets exactly 6000 bytes, a contiguous
 * piece, and together they cover the stream once.
 */
TEST_F(stress, readers_get_exact_counts)
{
	enum { NR = 10, CHUNK = 6000, WORDS = NR * CHUNK / 4 };
	static uint32_t words[WORDS];
	int32_t *start = tst_shared(NR * sizeof(int32_t));
	pid_t pids[NR];
	bool used[NR] = { false };
	int i;

	TST_START();
	ASSERT_NE(NULL, start);
	for (i = 0; i < WORDS; i++)
		words[i] = i;
	ASSERT_EQ((ssize_t)sizeof(words),
		  write(self->pipe.wfd, words, sizeof(words)));
	for (i = 0; i < NR; i++) {
		pids[i] = tst_fork(&self->pipe);
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			uint32_t mine[CHUNK / 4];
			int j;

			close(self->pipe.wfd);
			if (read(self->pipe.rfd, mine, CHUNK) != CHUNK)
				_exit(1);
			for (j = 1; j < CHUNK / 4; j++)
				if (mine[j] != mine[0] + j)
					_exit(2);
			start[i] = mine[0];
			_exit(0);
		}
	}
	for (i = 0; i < NR; i++)
		TST_ASSERT_EXIT(&self->pipe, pids[i], 0);
	for (i = 0; i < NR; i++) {
		ASSERT_EQ(0, start[i] % (CHUNK / 4));
		ASSERT_FALSE(used[start[i] / (CHUNK / 4)]);
		used[start[i] / (CHUNK / 4)] = true;
	}
	ASSERT_EQ(0, tst_nread(self->pipe.rfd));
}

/* R16, R32 (LTP pipe09): two writers x 50 one-byte writes, none lost. */
TEST_F(stress, two_writers_one_byte_writes)
{
	char buf[128];
	int na = 0, nb = 0, i, k;
	size_t got = 0;
	pid_t pids[2];

	TST_START();
	for (k = 0; k < 2; k++) {
		pids[k] = tst_fork(&self->pipe);
		ASSERT_LE(0, pids[k]);
		if (pids[k] == 0) {
			char c = k ? 'B' : 'A';

			close(self->pipe.rfd);
			for (i = 0; i < 50; i++)
				if (write(self->pipe.wfd, &c, 1) != 1)
					_exit(1);
			_exit(0);
		}
	}
	tst_close(&self->pipe.wfd);
	for (;;) {
		ssize_t r = read(self->pipe.rfd, buf + got, sizeof(buf) - got);

		ASSERT_LE(0, r);
		if (r == 0)
			break;
		got += r;
	}
	ASSERT_EQ(100, got);
	for (i = 0; i < 100; i++) {
		na += buf[i] == 'A';
		nb += buf[i] == 'B';
	}
	ASSERT_EQ(50, na);
	ASSERT_EQ(50, nb);
	for (k = 0; k < 2; k++)
		TST_ASSERT_EXIT(&self->pipe, pids[k], 0);
}

#define THR_TOKENS	20000

struct thr {
	int fd;
	int id;
	uint64_t *bitmap;
	long count;
	int err;	/* 0 = fine, else which check failed */
};

static void *thr_writer(void *p)
{
	struct thr *t = p;
	uint64_t rnd = 77 + t->id, tok[512];
	long n = 0;

	while (n < THR_TOKENS) {
		long cnt = 1 + tst_rand(&rnd) % 512, j;

		if (cnt > THR_TOKENS - n)
			cnt = THR_TOKENS - n;
		for (j = 0; j < cnt; j++)
			tok[j] = (uint64_t)t->id << 32 | (n + j);
		if (write(t->fd, tok, cnt * 8) != cnt * 8) {
			t->err = 1;
			return NULL;
		}
		n += cnt;
	}
	return NULL;
}

static void *thr_reader(void *p)
{
	struct thr *t = p;
	uint64_t rnd = 99 + t->id, tok[1024];
	long last[2] = { -1, -1 }, drained = 0;

	for (;;) {
		size_t want = 8 * (1 + tst_rand(&rnd) % 1024);
		ssize_t r = read(t->fd, tok, want), j;

		if (r == 0)
			return NULL;
		/* Failed: drain what the writers can still send, then stop. */
		if (t->err && (drained += r) > 2 * 8 * THR_TOKENS)
			return NULL;
		if (r < 0 || r % 8) {
			t->err = 1;
			return NULL;
		}
		/* After a failure keep draining, so the writers never hang. */
		for (j = 0; j < r / 8 && !t->err; j++) {
			uint32_t w = tok[j] >> 32, s = (uint32_t)tok[j];
			uint64_t idx = (uint64_t)w * THR_TOKENS + s, bit;

			if (w > 1 || s >= THR_TOKENS || (long)s <= last[w]) {
				t->err = 2;
				break;
			}
			last[w] = s;
			bit = 1ull << (idx & 63);
			if (__atomic_fetch_or(&t->bitmap[idx >> 6], bit,
					      __ATOMIC_SEQ_CST) & bit) {
				t->err = 3;
				break;
			}
			t->count++;
		}
	}
}

/*
 * R151, R16, R32: two writer and two reader threads share the same two
 * fds; PIPE_BUF-sized writes stay whole, every token arrives once and
 * each reader sees each writer's tokens in order.
 */
TEST_F_TIMEOUT(stress, threads_share_fds, STRESS_TIMEOUT)
{
	static uint64_t bitmap[(2 * THR_TOKENS + 63) / 64];
	struct thr w[2], r[2];
	pthread_t tw[2], tr[2];
	int i;

	TST_START();
	for (i = 0; i < 2; i++) {
		w[i] = (struct thr){ .fd = self->pipe.wfd, .id = i };
		r[i] = (struct thr){ .fd = self->pipe.rfd, .id = i,
				     .bitmap = bitmap };
		ASSERT_EQ(0, pthread_create(&tr[i], NULL, thr_reader, &r[i]));
	}
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&tw[i], NULL, thr_writer, &w[i]));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_join(tw[i], NULL));
	/* Writers done: closing the write end gives the readers EOF. */
	tst_close(&self->pipe.wfd);
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_join(tr[i], NULL));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, w[i].err);
		ASSERT_EQ(0, r[i].err);
	}
	ASSERT_EQ(2 * THR_TOKENS, r[0].count + r[1].count);
	for (i = 0; i < 2 * THR_TOKENS; i++)
		ASSERT_TRUE(bitmap[i >> 6] & (1ull << (i & 63)));
}

TEST_HARNESS_MAIN
