// SPDX-License-Identifier: GPL-2.0
/*
 * ringtest — the page ring's protocol (module/ring.c), in user space.
 *
 * module/ring.c is compiled unmodified against the stand-in of kernel/ and
 * driven directly: one producer (the writer that holds wr_lock), one
 * consumer (the reader that holds rd_lock), lockless observers, and resize
 * with both side locks, under ThreadSanitizer.  The deterministic tests
 * stop a copy part way (an iov_iter hook) to run the other side at a
 * chosen byte; the threaded ones widen the race windows at random
 * (mp_race_window(), kstub_preempt_point()).  Output is TAP.
 *
 *   ringtest [-s SEED] [TEST...]     TEST: snapshot made_room pull_fault
 *                                    packets borrow lend_out resize merge stress
 *                                    lend
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/gfp.h>

#include "monotonic.h"
#include "ring.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The largest ring the threaded tests use: the observer's bound. */
#define MAX_SLOTS	16
/* A wake-up the ring's flags should have caused and did not. */
#define WAIT_TIMEOUT_S	10
/* Packets in flight are at most MAX_SLOTS: a log this long never laps. */
#define PACKET_LOG	64

long kstub_live_pages;

/* TSan reports are failures: stop at the first with a distinct status. */
const char *__tsan_default_options(void);
const char *__tsan_default_options(void)
{
	return "halt_on_error=1:exitcode=66";
}

static uint64_t seed;
static int failures;

static bool fail(int line, const char *what, const char *fmt, ...)
{
	/* The first few tell the story; a broken protocol fails thousands of times. */
	if (__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED) <= 5) {
		char msg[256] = "";
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		printf("# line %d: %s%s%s\n", line, what, *msg ? ": " : "", msg);
	}
	return false;
}

/* True if @cond holds; else a "# line N: cond: message" diagnostic. */
#define CHECK(cond, ...) ((cond) ? true : fail(__LINE__, #cond, "" __VA_ARGS__))

static bool failed(void)
{
	return READ_ONCE(failures);
}

/* --- randomness and delays -------------------------------------------- */

static __thread uint64_t rng;

/* splitmix64: any state works, so a thread only has to pick its stream. */
static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned int rnd_below(unsigned int n)
{
	return rnd() % n;
}

static void rng_stream(unsigned int stream)
{
	rng = seed * 0x100000001b3ull + stream;
}

/* Stop this thread for up to @max_us: not at all, a yield, a busy-wait or a sleep. */
static void delay(unsigned int max_us)
{
	unsigned int us = 1 + rnd_below(max_us);

	switch (rnd_below(4)) {
	case 0:
		break;
	case 1:
		sched_yield();
		break;
	case 2: {
		/* Busy, as udelay() in the kernel's race windows. */
		uint64_t end = monotonic_ns() + us * 1000ull;

		while (monotonic_ns() < end)
			;
		break;
	}
	default:
		nanosleep(&(struct timespec){ .tv_nsec = us * 1000l }, NULL);
		break;
	}
}

/* Longest delay at each race window of module/race.h; 0: none. */
static unsigned int race_window_us[MP_RACE_NR_POINTS];

void mp_race_window(enum mp_race_point point)
{
	unsigned int us = READ_ONCE(race_window_us[point]);

	if (us)
		delay(us);
}

/* Longest delay at the stand-in's preemption points; 0: none. */
static unsigned int preempt_us;

void kstub_preempt_point(void)
{
	unsigned int us = READ_ONCE(preempt_us);

	if (us && !rnd_below(16))
		delay(us);
}

/* An iov_iter hook: a delay in the middle of a copy. */
static void delay_hook(void *arg)
{
	delay(*(unsigned int *)arg);
}

/* --- the byte stream, and rings ----------------------------------------- */

/* Byte @pos of the stream: a hash, so a lost, doubled or moved run shows. */
static unsigned char stream_byte(uint64_t pos)
{
	uint64_t x = (pos + 1) * 0x9e3779b97f4a7c15ull;

	return (x >> 56) ^ (x >> 29);
}

static void stream_fill(unsigned char *buf, uint64_t pos, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = stream_byte(pos + i);
}

/* Did the reader get stream bytes @pos..@pos+@len? */
static bool stream_check(const unsigned char *buf, uint64_t pos, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != stream_byte(pos + i))
			return fail(__LINE__, "stream content",
				    "byte %" PRIu64 " (%zu of a read of %zu) is %#x, not %#x",
				    pos + i, i, len, buf[i], stream_byte(pos + i));
	return true;
}

/*
 * A ring as mp_pipe_init() leaves it, its free-running indices at @start:
 * close to UINT_MAX, a test crosses the wrap of head and tail.
 */
static bool ring_setup(struct mp_ring *ring, unsigned int nr_slots, unsigned int start)
{
	union mp_ring_indices at = { .head = start, .tail = start };

	spin_lock_init(&ring->lock);
	if (!CHECK(!mp_ring_init(ring, nr_slots)))
		return false;
	ring->head_tail = at.head_tail;
	return true;
}

static void ring_teardown(struct mp_ring *ring)
{
	mp_ring_destroy(ring);
	CHECK(READ_ONCE(kstub_live_pages) == 0, "%ld pages leaked", kstub_live_pages);
	pthread_mutex_destroy(&ring->lock.mutex);
}

/* Occupied slots and unread bytes, under the ring's lock. */
static unsigned int ring_used(struct mp_ring *ring)
{
	unsigned int used;

	spin_lock(&ring->lock);
	used = mp_ring_occupancy(ring->head, ring->tail);
	spin_unlock(&ring->lock);
	return used;
}

static size_t ring_bytes(struct mp_ring *ring)
{
	size_t bytes;

	spin_lock(&ring->lock);
	bytes = ring->bytes;
	spin_unlock(&ring->lock);
	return bytes;
}

static bool ring_full_locked(struct mp_ring *ring)
{
	bool full;

	spin_lock(&ring->lock);
	full = mp_ring_full_locked(ring);
	spin_unlock(&ring->lock);
	return full;
}

/* Push stream bytes @pos..@pos+@len as one slot of @flags. */
static ssize_t push(struct mp_ring *ring, uint64_t pos, size_t len, unsigned int flags)
{
	unsigned char buf[PAGE_SIZE];
	struct iov_iter from;
	bool was_empty = false;

	stream_fill(buf, pos, len);
	kstub_iter_init(&from, buf, len);
	return mp_ring_push(ring, &from, flags, &was_empty);
}

/* A pull into a buffer of @len that must return stream bytes @pos..@pos+@want. */
static bool pull_expect(struct mp_ring *ring, size_t len, uint64_t pos, size_t want,
			bool want_packet)
{
	unsigned char buf[2 * PAGE_SIZE];
	struct iov_iter to;
	bool packet = false, made_room = false;
	ssize_t ret;

	kstub_iter_init(&to, buf, len);
	ret = mp_ring_pull(ring, &to, &packet, &made_room);
	return CHECK(ret == (ssize_t)want, "pulled %zd, not %zu", ret, want) &&
	       CHECK(packet == want_packet) && stream_check(buf, pos, want);
}

/* A pull run on a thread of its own, as the reader: from an iov_iter hook. */
struct reader_call {
	struct mp_ring *ring;
	size_t len;
	ssize_t ret;
	bool packet;
	bool made_room;
	unsigned char buf[PAGE_SIZE];
};

static void *reader_call_thread(void *arg)
{
	struct reader_call *call = arg;
	struct iov_iter to;

	kstub_iter_init(&to, call->buf, call->len);
	call->ret = mp_ring_pull(call->ring, &to, &call->packet, &call->made_room);
	return NULL;
}

static void reader_call_hook(void *arg)
{
	pthread_t thread;

	pthread_create(&thread, NULL, reader_call_thread, arg);
	pthread_join(thread, NULL);
}

/* --- the threaded stream: producer, consumer, observer, resizer -------- */

/*
 * A page the producer lent the ring, as the page cache lends one to a
 * splice: it keeps its own reference for a while and then checks that the
 * ring never wrote into it.  Outside the lent bytes the page holds
 * LENT_CANARY.
 */
struct lent_page {
	struct page *page;
	uint64_t pos;		/* the stream bytes it lent */
	unsigned int offset, len;
};

#define LENT_LOG	8
#define LENT_CANARY	0xa5

/* A page holding stream bytes @pos..@pos+@len at @offset, canaries around. */
static struct page *lent_page_new(uint64_t pos, unsigned int offset, unsigned int len)
{
	struct page *page = alloc_page(GFP_KERNEL_ACCOUNT);

	if (!CHECK(page))
		return NULL;
	memset(page->data, LENT_CANARY, PAGE_SIZE);
	stream_fill(page->data + offset, pos, len);
	return page;
}

/* The lender lets go of its page, which the ring must have left as it was. */
static void lent_page_put(struct lent_page *l)
{
	unsigned int i;

	if (!l->page)
		return;
	stream_check(l->page->data + l->offset, l->pos, l->len);
	for (i = 0; i < PAGE_SIZE; i++)
		if (i < l->offset || i >= l->offset + l->len)
			if (!CHECK(l->page->data[i] == LENT_CANARY,
				   "lent page written at byte %u", i))
				break;
	put_page(l->page);
	l->page = NULL;
}

/* A holder of bytes by reference lets go: they must be what it was given. */
static void held_page_put(struct lent_page *h)
{
	if (!h->page)
		return;
	stream_check(h->page->data + h->offset, h->pos, h->len);
	put_page(h->page);
	h->page = NULL;
}

/* Where a packet starts in the stream, and its length: what a reader drops. */
struct packet_note {
	uint64_t start;
	size_t len;
};

struct stream {
	struct mp_ring ring;
	/* what runs */
	unsigned long ops;	/* producer operations */
	bool keep_room;		/* the producer leaves a slot free, always */
	bool faults;		/* copies fault part way, both sides */
	bool packets;		/* some pushes are packets */
	bool resizes;		/* a resizer thread takes both side locks and resizes */
	bool borrows;		/* some writes lend a page by reference (mp_ring_attach()) */
	/* the pipe around the ring, as fops.c has it */
	pthread_mutex_t wr_lock;
	pthread_mutex_t rd_lock;
	pthread_mutex_t wait_lock;	/* the wait queues: one for both sides */
	pthread_cond_t wait;
	bool done;			/* under wait_lock: the producer is through */
	uint64_t written;		/* stream bytes written, once done */
	int finished;			/* producer and consumer are joined */
	/* packet n, at n % PACKET_LOG */
	struct packet_note packet_log[PACKET_LOG];
	/* what happened, for the diagnostics */
	unsigned long merged, merge_faults, merge_made_room, pushed, push_faults, waits_full;
	unsigned long pulled, pull_faults, waits_empty, packets_read, snapshots;
	unsigned long resized, resize_busy;
	unsigned long lent, lent_full, held, held_refused;
	/* the producer's lent pages, still referenced by it: see lend() */
	struct lent_page lent_log[LENT_LOG];
	/* pages the consumer took by reference (mp_ring_lend()), as a splice's pipe */
	struct lent_page held_log[LENT_LOG];
	uint64_t held_pos;	/* the stream position of the bytes being lent */
};

/*
 * A copy through @i may fault at a random byte and be delayed part way:
 * often just before the fault, where the other side's move matters most
 * (a reader draining the slot of a merge that then fails).
 */
static bool iter_randomize(struct stream *s, struct iov_iter *i, size_t len)
{
	/* Longer than at the preemption points: time for the other side to act. */
	static unsigned int hook_us = 50;
	bool fault = s->faults && !rnd_below(8);

	if (fault)
		i->fault_at = rnd_below(len);
	if (READ_ONCE(preempt_us) && !rnd_below(fault ? 2 : 4)) {
		i->hook_at = fault && rnd_below(2) ? i->fault_at : rnd_below(len + 1);
		i->hook = delay_hook;
		i->hook_arg = &hook_us;
	}
	return fault;
}

static void wake_all(struct stream *s)
{
	pthread_mutex_lock(&s->wait_lock);
	pthread_cond_broadcast(&s->wait);
	pthread_mutex_unlock(&s->wait_lock);
}

static bool writable(struct stream *s)
{
	return !mp_ring_full_lockless(&s->ring);
}

static bool readable(struct stream *s)
{
	return mp_ring_unread(&s->ring) || s->done;
}

/*
 * Sleep until @cond, as fops.c's wait_event: woken only by the flags the
 * ring returns (was_empty, made_room) and by resize.  A wake-up they miss
 * is a sleep that ends in the timeout, and fails.
 */
static void wait_for(struct stream *s, bool (*cond)(struct stream *s), const char *what)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += WAIT_TIMEOUT_S;
	pthread_mutex_lock(&s->wait_lock);
	while (!cond(s) && !failed())
		if (pthread_cond_timedwait(&s->wait, &s->wait_lock, &deadline) == ETIMEDOUT) {
			fail(__LINE__, "lost wake-up", "waited %d s for %s", WAIT_TIMEOUT_S, what);
			break;
		}
	pthread_mutex_unlock(&s->wait_lock);
}

/*
 * Lend the ring a page holding stream bytes @pos..@pos+@len, as a splice
 * does: the ring takes a reference of its own and the producer keeps its
 * one for the next LENT_LOG pages lent, then checks the page and lets go.
 */
static ssize_t lend(struct stream *s, uint64_t pos, size_t len, unsigned int flags,
		    bool *was_empty)
{
	unsigned int offset = rnd_below(PAGE_SIZE - len + 1);
	struct lent_page *l = &s->lent_log[s->lent % LENT_LOG];
	struct page *page = lent_page_new(pos, offset, len);
	ssize_t ret;

	if (!page)
		return -ENOMEM;
	ret = mp_ring_attach(&s->ring, page, offset, len, flags, was_empty);
	if (ret <= 0) {
		s->lent_full++;
		put_page(page);
		return ret;
	}
	lent_page_put(l);
	*l = (struct lent_page){ .page = page, .pos = pos, .offset = offset, .len = len };
	s->lent++;
	return ret;
}

static void *producer(void *arg)
{
	struct stream *s = arg;
	struct mp_ring *ring = &s->ring;
	unsigned char buf[PAGE_SIZE];
	uint64_t pos = 0, packets = 0;
	unsigned long op;

	rng_stream(1);
	for (op = 0; op < s->ops && !failed(); op++) {
		bool merge = !rnd_below(3), was_empty = false, made_room = false, fault;
		bool borrow = !merge && s->borrows && !rnd_below(3);
		/* Small writes half the time: they leave room to merge into. */
		size_t len = 1 + rnd_below(rnd_below(2) ? 256 : PAGE_SIZE - merge);
		unsigned int flags = MP_SLOT_CAN_MERGE;
		struct iov_iter from;
		ssize_t ret;

		stream_fill(buf, pos, len);
		kstub_iter_init(&from, buf, len);
		fault = iter_randomize(s, &from, len);
		if (!merge && s->packets && !rnd_below(4))
			flags = MP_SLOT_PACKET;
		else if (!merge && !rnd_below(4))
			flags = 0;

		pthread_mutex_lock(&s->wr_lock);
		if (merge) {
			ret = mp_ring_merge(ring, &from, len, &was_empty, &made_room);
			CHECK(ret == (ssize_t)len || (ret == -EFAULT && fault) ||
			      (!ret && iov_iter_count(&from) == len),
			      "merge of %zu: %zd", len, ret);
			CHECK(!made_room || ret == -EFAULT);
			s->merged += ret > 0;
			s->merge_faults += ret < 0;
			s->merge_made_room += made_room;
		} else if (s->keep_room && ring_used(ring) >= ring->nr_slots - 1) {
			/* Only we fill the ring: what we see under its lock holds until we push. */
			ret = -EAGAIN;
		} else {
			if (flags == MP_SLOT_PACKET) {
				s->packet_log[packets % PACKET_LOG].start = pos;
				s->packet_log[packets % PACKET_LOG].len = len;
			}
			if (borrow)
				ret = lend(s, pos, len, flags & MP_SLOT_PACKET, &was_empty);
			else
				ret = mp_ring_push(ring, &from, flags, &was_empty);
			CHECK(ret == (ssize_t)len || (ret == -EFAULT && fault && !borrow) ||
			      (!ret && !s->keep_room), "push of %zu: %zd", len, ret);
			s->pushed += ret > 0 && !borrow;
			s->push_faults += ret < 0;
			packets += ret > 0 && flags == MP_SLOT_PACKET;
		}
		pthread_mutex_unlock(&s->wr_lock);

		if (ret > 0) {
			pos += ret;
			if (was_empty)
				wake_all(s);
		} else if (!ret && !merge) {
			s->waits_full++;
			wait_for(s, writable, "room");
		} else if (ret == -EAGAIN) {
			sched_yield();
		}
	}
	for (op = 0; op < LENT_LOG; op++)
		lent_page_put(&s->lent_log[op]);
	pthread_mutex_lock(&s->wait_lock);
	s->written = pos;
	s->done = true;
	pthread_cond_broadcast(&s->wait);
	pthread_mutex_unlock(&s->wait_lock);
	return NULL;
}

/*
 * The consumer's mp_give_fn, a splice's destination pipe: keeps the
 * reference for the next LENT_LOG pages it gets, then checks that the ring
 * never wrote over the bytes it was given.  Now and then it is full and
 * takes nothing.
 */
static ssize_t hold_give(void *dest, struct page *page, unsigned int offset, size_t len,
			 bool packet)
{
	struct stream *s = dest;
	struct lent_page *h = &s->held_log[s->held % LENT_LOG];

	if (!rnd_below(8)) {
		s->held_refused++;
		put_page(page);
		return -EAGAIN;
	}
	stream_check(page->data + offset, s->held_pos, len);
	held_page_put(h);
	*h = (struct lent_page){ .page = page, .pos = s->held_pos, .offset = offset, .len = len };
	s->held++;
	return len;
}

static void *consumer(void *arg)
{
	struct stream *s = arg;
	struct mp_ring *ring = &s->ring;
	unsigned char buf[PAGE_SIZE + 512];
	uint64_t pos = 0, packets = 0;
	bool saw_done = false;

	rng_stream(2);
	while (!failed()) {
		size_t len = 1 + rnd_below(sizeof(buf));
		bool packet = false, made_room = false, fault;
		/* A splice out now and then: the whole slot, by reference. */
		bool by_ref = s->borrows && !rnd_below(3);
		struct iov_iter to;
		ssize_t ret;

		kstub_iter_init(&to, buf, len);
		fault = !by_ref && iter_randomize(s, &to, len);
		pthread_mutex_lock(&s->rd_lock);
		if (by_ref) {
			s->held_pos = pos;
			ret = mp_ring_lend(ring, PAGE_SIZE, hold_give, s, &packet, &made_room);
		} else {
			ret = mp_ring_pull(ring, &to, &packet, &made_room);
		}
		if (s->keep_room)
			CHECK(ring_used(ring) <= ring->nr_slots - 1);
		pthread_mutex_unlock(&s->rd_lock);

		if (ret > 0) {
			if (!by_ref) {
				CHECK((size_t)ret <= len && iov_iter_count(&to) == len - ret);
				stream_check(buf, pos, ret);
			}
			s->pulled++;
			if (packet) {
				/* Consumed whole: the log says how long it was. */
				struct packet_note *p = &s->packet_log[packets++ % PACKET_LOG];

				CHECK(p->start == pos, "packet at %" PRIu64 ", read at %" PRIu64,
				      p->start, pos);
				CHECK((size_t)ret == (by_ref ? p->len : min_t(size_t, len, p->len)));
				pos += p->len;
				s->packets_read++;
			} else {
				pos += ret;
			}
			if (made_room)
				wake_all(s);
		} else if (ret < 0 && by_ref) {
			/* The holder took nothing: the bytes stay for the next read. */
			CHECK(ret == -EAGAIN);
		} else if (ret < 0) {
			/* Taken back: the iterator is where it was, the bytes stay. */
			CHECK(ret == -EFAULT && fault && iov_iter_count(&to) == len && !to.done);
			s->pull_faults++;
		} else {
			CHECK(iov_iter_count(&to) == len);
			if (saw_done) {
				/* Empty after the producer was through: all of it came. */
				CHECK(pos == s->written, "read %" PRIu64 " of %" PRIu64 " bytes",
				      pos, s->written);
				break;
			}
			s->waits_empty++;
			wait_for(s, readable, "data");
			pthread_mutex_lock(&s->wait_lock);
			saw_done = s->done;
			pthread_mutex_unlock(&s->wait_lock);
		}
	}
	for (packets = 0; packets < LENT_LOG; packets++)
		held_page_put(&s->held_log[packets]);
	return NULL;
}

/* Lockless, like poll: every snapshot must be a state the ring was in. */
static void *observer(void *arg)
{
	struct stream *s = arg;

	rng_stream(3);
	while (!READ_ONCE(s->finished) && !failed()) {
		if (s->keep_room) {
			/* The ring is never full: a "full" is made of two instants. */
			CHECK(!mp_ring_full_lockless(&s->ring), "full, and it never was");
		} else {
			union mp_ring_indices now = mp_ring_snapshot(&s->ring);
			unsigned int used = mp_ring_occupancy(now.head, now.tail);

			/* Indices near the wrap make a torn pair wildly out of range. */
			CHECK(used <= MAX_SLOTS, "head %u tail %u", now.head, now.tail);
		}
		s->snapshots++;
	}
	return NULL;
}

/* F_SETPIPE_SZ: both side locks, a new power-of-two size, wake the writers. */
static void *resizer(void *arg)
{
	struct stream *s = arg;
	bool done = false;

	rng_stream(4);
	while (!done && !failed()) {
		unsigned int nr_slots = 1u << rnd_below(5), used;
		int ret;

		nanosleep(&(struct timespec){ .tv_nsec = 1000l * rnd_below(500) }, NULL);
		pthread_mutex_lock(&s->wr_lock);
		pthread_mutex_lock(&s->rd_lock);
		used = mp_ring_occupancy(s->ring.head, s->ring.tail);
		ret = mp_ring_resize(&s->ring, nr_slots);
		CHECK(ret == (used > nr_slots ? -EBUSY : 0), "%u slots used, resize to %u: %d",
		      used, nr_slots, ret);
		if (!ret)
			CHECK(s->ring.nr_slots == nr_slots && s->ring.tail == 0 &&
			      s->ring.head == used);
		s->resized += !ret;
		s->resize_busy += ret == -EBUSY;
		pthread_mutex_unlock(&s->rd_lock);
		pthread_mutex_unlock(&s->wr_lock);

		pthread_mutex_lock(&s->wait_lock);
		pthread_cond_broadcast(&s->wait);
		done = s->done;
		pthread_mutex_unlock(&s->wait_lock);
	}
	return NULL;
}

/* Run the stream in @s on a ring of @nr_slots; the options are set. */
static void stream_run(struct stream *s, unsigned int nr_slots)
{
	pthread_t prod, cons, obs, res;
	uint64_t start = monotonic_ns();

	if (!ring_setup(&s->ring, nr_slots, UINT_MAX - 1000))
		return;
	pthread_mutex_init(&s->wr_lock, NULL);
	pthread_mutex_init(&s->rd_lock, NULL);
	pthread_mutex_init(&s->wait_lock, NULL);
	pthread_cond_init(&s->wait, NULL);
	pthread_create(&obs, NULL, observer, s);
	if (s->resizes)
		pthread_create(&res, NULL, resizer, s);
	pthread_create(&cons, NULL, consumer, s);
	pthread_create(&prod, NULL, producer, s);
	pthread_join(prod, NULL);
	pthread_join(cons, NULL);
	WRITE_ONCE(s->finished, 1);
	pthread_join(obs, NULL);
	if (s->resizes)
		pthread_join(res, NULL);

	printf("# %u slots: %" PRIu64 " bytes in %.1f s; merges %lu (%lu faulted, %lu made room)",
	       nr_slots, s->written, (monotonic_ns() - start) / 1e9, s->merged, s->merge_faults,
	       s->merge_made_room);
	printf(", pushes %lu (%lu faulted, %lu waits)\n", s->pushed, s->push_faults, s->waits_full);
	printf("#   pulls %lu (%lu faulted, %lu packets, %lu waits); %lu snapshots",
	       s->pulled, s->pull_faults, s->packets_read, s->waits_empty, s->snapshots);
	printf("; resizes %lu (%lu -EBUSY); lent %lu (%lu full), held %lu (%lu refused)\n",
	       s->resized, s->resize_busy, s->lent, s->lent_full, s->held, s->held_refused);
	pthread_cond_destroy(&s->wait);
	pthread_mutex_destroy(&s->wait_lock);
	pthread_mutex_destroy(&s->rd_lock);
	pthread_mutex_destroy(&s->wr_lock);
	ring_teardown(&s->ring);
}

/* --- the tests ----------------------------------------------------------- */

/*
 * 3d252160b818: a lockless reader that loads tail and head separately can
 * pair a stale tail with a fresh head and see a ring fuller than it ever
 * was.  The producer never fills the ring here, the window between the
 * loads is widened, and poll's "full" must never come.
 */
static void test_snapshot(void)
{
	static struct stream s = { .ops = 20000, .keep_room = true };

	WRITE_ONCE(race_window_us[MP_RACE_RING_SNAPSHOT], 50);
	stream_run(&s, 4);
	WRITE_ONCE(race_window_us[MP_RACE_RING_SNAPSHOT], 0);
}

/*
 * A merge into the only slot of a full ring; part way through its copy
 * the reader drains the slot (and leaves it: MP_SLOT_APPENDING); then the
 * copy faults.  The merge must give the slot back and say it made room.
 */
static void test_made_room(void)
{
	struct reader_call reader = { .len = 64 };
	unsigned char buf[5];
	struct mp_ring ring;
	struct iov_iter from;
	bool was_empty = false, made_room = false;
	unsigned int tail;
	ssize_t ret;

	if (!ring_setup(&ring, 1, 0))
		return;
	CHECK(push(&ring, 0, 10, MP_SLOT_CAN_MERGE) == 10);
	CHECK(mp_ring_full_lockless(&ring));
	tail = ring.tail;

	stream_fill(buf, 10, sizeof(buf));
	kstub_iter_init(&from, buf, sizeof(buf));
	reader.ring = &ring;
	from.hook = reader_call_hook;
	from.hook_arg = &reader;
	from.hook_at = 2;
	from.fault_at = 3;
	ret = mp_ring_merge(&ring, &from, sizeof(buf), &was_empty, &made_room);

	/* The reader got the 10 bytes and left the slot, the ring still full. */
	CHECK(reader.ret == 10 && !reader.packet && !reader.made_room);
	stream_check(reader.buf, 0, 10);
	CHECK(ret == -EFAULT, "merge: %zd", ret);
	CHECK(made_room);
	CHECK(ring.tail == tail + 1 && ring.head == ring.tail);
	CHECK(ring_bytes(&ring) == 0 && !mp_ring_unread(&ring));
	CHECK(!mp_ring_full_lockless(&ring) && !ring_full_locked(&ring));
	CHECK(!was_empty);
	CHECK(push(&ring, 10, 100, MP_SLOT_CAN_MERGE) == 100);
	pull_expect(&ring, 200, 10, 100, false);
	ring_teardown(&ring);
}

/* A pull whose copy out stops short takes it back and consumes nothing. */
static void test_pull_fault(void)
{
	static const struct {
		size_t unread, len, fault_at;	/* slot bytes, buffer, where it faults */
	} cases[] = {
		{ 100, 100, 40 },		/* part way */
		{ 100, 100, 0 },		/* at once */
		{ 100, 200, 99 },		/* the last byte */
		{ PAGE_SIZE - 7, PAGE_SIZE, 4000 },	/* a full page */
		{ 100, 50, 49 },		/* a short read, faulting in it */
	};
	struct mp_ring ring;
	unsigned int i;

	if (!ring_setup(&ring, 2, UINT_MAX))
		return;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned char buf[PAGE_SIZE];
		struct mp_slot *slot;
		struct iov_iter to;
		bool packet = false, made_room = false;
		unsigned int tail;
		ssize_t ret;

		/* A slot with bytes read from it already: offset is not 0. */
		CHECK(push(&ring, 0, cases[i].unread + 7, MP_SLOT_CAN_MERGE) ==
		      (ssize_t)cases[i].unread + 7);
		pull_expect(&ring, 7, 0, 7, false);
		slot = mp_ring_slot(&ring, ring.tail);
		tail = ring.tail;

		kstub_iter_init(&to, buf, cases[i].len);
		to.fault_at = cases[i].fault_at;
		ret = mp_ring_pull(&ring, &to, &packet, &made_room);
		CHECK(ret == -EFAULT, "case %u: %zd", i, ret);
		CHECK(iov_iter_count(&to) == cases[i].len && to.done == 0, "case %u", i);
		CHECK(ring.tail == tail && ring_bytes(&ring) == cases[i].unread, "case %u", i);
		CHECK(slot->offset == 7 && slot->len == cases[i].unread, "case %u", i);

		/* The next read gets the same bytes. */
		pull_expect(&ring, PAGE_SIZE, 7, cases[i].unread, false);
		CHECK(ring_used(&ring) == 0 && ring_bytes(&ring) == 0, "case %u", i);
	}
	/* Faulting after the slot's bytes is no fault: the copy was whole. */
	CHECK(push(&ring, 0, 100, MP_SLOT_CAN_MERGE) == 100);
	{
		unsigned char buf[200];
		struct iov_iter to;
		bool packet, made_room;

		kstub_iter_init(&to, buf, sizeof(buf));
		to.fault_at = 100;
		CHECK(mp_ring_pull(&ring, &to, &packet, &made_room) == 100);
		stream_check(buf, 0, 100);
	}
	ring_teardown(&ring);
}

/* Packets: a read takes one whole, even when short; nothing joins one. */
static void test_packets(void)
{
	unsigned char buf[10];
	struct mp_ring ring;
	struct iov_iter it;
	bool was_empty = false, made_room = false, packet = false;
	unsigned int head;

	if (!ring_setup(&ring, 4, UINT_MAX - 1))
		return;
	CHECK(push(&ring, 0, 100, MP_SLOT_PACKET) == 100);

	/* No merge into a packet: 0, and the user's bytes untouched. */
	head = ring.head;
	stream_fill(buf, 100, sizeof(buf));
	kstub_iter_init(&it, buf, sizeof(buf));
	CHECK(mp_ring_merge(&ring, &it, sizeof(buf), &was_empty, &made_room) == 0);
	CHECK(iov_iter_count(&it) == sizeof(buf) && ring.head == head && !was_empty);
	CHECK(ring_bytes(&ring) == 100);

	/* Stream bytes after it, which a merge may join. */
	CHECK(push(&ring, 100, 50, MP_SLOT_CAN_MERGE) == 50);
	stream_fill(buf, 150, sizeof(buf));
	kstub_iter_init(&it, buf, sizeof(buf));
	CHECK(mp_ring_merge(&ring, &it, sizeof(buf), &was_empty, &made_room) == sizeof(buf));

	/* A short read of the packet that faults consumes nothing ... */
	kstub_iter_init(&it, buf, sizeof(buf));
	it.fault_at = 5;
	CHECK(mp_ring_pull(&ring, &it, &packet, &made_room) == -EFAULT);
	CHECK(ring_bytes(&ring) == 160 && ring_used(&ring) == 2);
	/* ... one that does not takes the packet whole, and only it. */
	pull_expect(&ring, 30, 0, 30, true);
	CHECK(ring_bytes(&ring) == 60 && ring_used(&ring) == 1);
	pull_expect(&ring, PAGE_SIZE, 100, 60, false);
	CHECK(ring_used(&ring) == 0);

	/* A read longer than the packet still returns only it. */
	CHECK(push(&ring, 0, 100, MP_SLOT_PACKET) == 100);
	CHECK(push(&ring, 100, 100, MP_SLOT_PACKET) == 100);
	pull_expect(&ring, PAGE_SIZE, 0, 100, true);
	pull_expect(&ring, 1, 100, 1, true);
	CHECK(ring_bytes(&ring) == 0 && ring_used(&ring) == 0);
	ring_teardown(&ring);

	/* The short read of a full ring's only slot makes room. */
	if (!ring_setup(&ring, 1, 0))
		return;
	CHECK(push(&ring, 0, 200, MP_SLOT_PACKET) == 200);
	CHECK(mp_ring_full_lockless(&ring) && push(&ring, 200, 1, MP_SLOT_PACKET) == 0);
	kstub_iter_init(&it, buf, sizeof(buf));
	CHECK(mp_ring_pull(&ring, &it, &packet, &made_room) == sizeof(buf));
	CHECK(packet && made_room && !mp_ring_full_lockless(&ring) && ring_used(&ring) == 0);
	ring_teardown(&ring);
}

/*
 * Borrowed slots (Dirty Pipe at the ring's level): a page lent by
 * reference is read as any other, never merged into, never reused once
 * drained, and given back when drained, or by destroy while unread.
 */
static void test_borrow(void)
{
	struct lent_page l = { .pos = 0, .offset = 100, .len = 50 };
	bool was_empty = false, made_room = false;
	unsigned char buf[10];
	struct mp_ring ring;
	struct iov_iter it;

	if (!ring_setup(&ring, 2, UINT_MAX))
		return;
	l.page = lent_page_new(l.pos, l.offset, l.len);
	if (!l.page)
		return;
	CHECK(mp_ring_attach(&ring, l.page, l.offset, l.len, 0, &was_empty) == 50 && was_empty);
	CHECK(l.page->refs == 2 && ring_used(&ring) == 1 && ring_bytes(&ring) == 50);

	/* The write of Dirty Pipe: no merge into it, the user's bytes untouched. */
	stream_fill(buf, 50, sizeof(buf));
	kstub_iter_init(&it, buf, sizeof(buf));
	CHECK(mp_ring_merge(&ring, &it, sizeof(buf), &was_empty, &made_room) == 0);
	CHECK(iov_iter_count(&it) == sizeof(buf) && ring_bytes(&ring) == 50);

	/* Drained, it goes back to its lender ... */
	pull_expect(&ring, PAGE_SIZE, 0, 50, false);
	CHECK(l.page->refs == 1 && ring_used(&ring) == 0);
	/* ... and the writes that follow, through both slots, have pages of their own. */
	CHECK(push(&ring, 50, PAGE_SIZE, MP_SLOT_CAN_MERGE) == PAGE_SIZE);
	CHECK(push(&ring, 50 + PAGE_SIZE, 100, MP_SLOT_CAN_MERGE) == 100);
	pull_expect(&ring, PAGE_SIZE, 50, PAGE_SIZE, false);
	pull_expect(&ring, PAGE_SIZE, 50 + PAGE_SIZE, 100, false);
	CHECK(push(&ring, 150 + PAGE_SIZE, PAGE_SIZE, MP_SLOT_CAN_MERGE) == PAGE_SIZE);
	pull_expect(&ring, PAGE_SIZE, 150 + PAGE_SIZE, PAGE_SIZE, false);
	CHECK(l.page->refs == 1);
	lent_page_put(&l);

	/* A full ring takes no page: the lender's reference stays its own. */
	CHECK(push(&ring, 0, 10, MP_SLOT_CAN_MERGE) == 10);
	CHECK(push(&ring, 10, 10, MP_SLOT_PACKET) == 10);
	l = (struct lent_page){ .pos = 20, .offset = 0, .len = PAGE_SIZE };
	l.page = lent_page_new(l.pos, l.offset, l.len);
	if (!l.page)
		return;
	CHECK(mp_ring_attach(&ring, l.page, 0, PAGE_SIZE, MP_SLOT_PACKET, &was_empty) == 0);
	CHECK(l.page->refs == 1);
	/* Lent while unread when the ring goes: destroy gives it back. */
	pull_expect(&ring, PAGE_SIZE, 0, 10, false);
	CHECK(mp_ring_attach(&ring, l.page, 0, PAGE_SIZE, MP_SLOT_PACKET, &was_empty) ==
	      PAGE_SIZE);
	CHECK(l.page->refs == 2);
	mp_ring_destroy(&ring);
	CHECK(l.page->refs == 1);
	lent_page_put(&l);
	CHECK(READ_ONCE(kstub_live_pages) == 0, "%ld pages leaked", kstub_live_pages);
	CHECK(mp_ring_borrowed_pages() == 0);
	pthread_mutex_destroy(&ring.lock.mutex);
}

/*
 * Lending the ring's own pages (a splice out): the holder's bytes stay as
 * they were while the ring goes on; a merge may still join the slot behind
 * them, but a drained lent page is not reused; a holder that takes nothing
 * consumes nothing.
 */
static void test_lend_out(void)
{
	struct stream s = { .held = 0 };
	bool was_empty = false, made_room = false, packet = false;
	unsigned char buf[10];
	struct mp_ring ring;
	struct iov_iter it;
	ssize_t ret;

	if (!ring_setup(&ring, 2, UINT_MAX))
		return;
	CHECK(push(&ring, 0, 100, MP_SLOT_CAN_MERGE) == 100);
	/* Half of the slot lent; a merge behind the rest. */
	s.held_pos = 0;
	do
		ret = mp_ring_lend(&ring, 50, hold_give, &s, &packet, &made_room);
	while (ret == -EAGAIN);
	CHECK(ret == 50 && s.held == 1 && s.held_log[0].page->refs == 2);
	stream_fill(buf, 100, sizeof(buf));
	kstub_iter_init(&it, buf, sizeof(buf));
	CHECK(mp_ring_merge(&ring, &it, sizeof(buf), &was_empty, &made_room) == sizeof(buf));
	pull_expect(&ring, PAGE_SIZE, 50, 60, false);
	/* Drained while lent: the ring let go of its page ... */
	CHECK(s.held_log[0].page->refs == 1 && ring_used(&ring) == 0);
	/* ... and a page written through every slot never lands in it. */
	CHECK(push(&ring, 110, PAGE_SIZE, MP_SLOT_CAN_MERGE) == PAGE_SIZE);
	CHECK(push(&ring, 110 + PAGE_SIZE, PAGE_SIZE, MP_SLOT_CAN_MERGE) == PAGE_SIZE);
	held_page_put(&s.held_log[0]);
	/* A packet lent whole keeps its flag. */
	pull_expect(&ring, PAGE_SIZE, 110, PAGE_SIZE, false);
	pull_expect(&ring, PAGE_SIZE, 110 + PAGE_SIZE, PAGE_SIZE, false);
	CHECK(push(&ring, 0, 30, MP_SLOT_PACKET) == 30);
	s.held_pos = 0;
	do
		ret = mp_ring_lend(&ring, PAGE_SIZE, hold_give, &s, &packet, &made_room);
	while (ret == -EAGAIN);
	CHECK(ret == 30 && packet && ring_used(&ring) == 0);
	held_page_put(&s.held_log[1]);
	ring_teardown(&ring);
}

/* The indices, by one snapshot, are @head and @tail on a ring of @nr_slots. */
static bool snapshot_is(struct mp_ring *ring, unsigned int head, unsigned int tail,
			unsigned int nr_slots)
{
	union mp_ring_indices now = mp_ring_snapshot(ring);

	return CHECK(now.head == head && now.tail == tail && ring->nr_slots == nr_slots,
		     "head %u tail %u of %u slots, not %u %u of %u", now.head, now.tail,
		     ring->nr_slots, head, tail, nr_slots) &&
	       CHECK(mp_ring_full_lockless(ring) == (head - tail == nr_slots));
}

/* Resize, as F_SETPIPE_SZ with both side locks: one thread is all of them. */
static void test_resize(void)
{
	struct mp_ring ring;
	unsigned int i;

	/* Three slots across the wrap of the indices, the first read in part. */
	if (!ring_setup(&ring, 4, UINT_MAX - 1))
		return;
	CHECK(push(&ring, 0, 100, MP_SLOT_CAN_MERGE) == 100);
	CHECK(push(&ring, 100, 200, 0) == 200);
	CHECK(push(&ring, 300, 300, MP_SLOT_CAN_MERGE) == 300);
	pull_expect(&ring, 50, 0, 50, false);

	CHECK(mp_ring_resize(&ring, 2) == -EBUSY);
	CHECK(snapshot_is(&ring, UINT_MAX + 2, UINT_MAX - 1, 4));
	CHECK(mp_ring_resize(&ring, 8) == 0);
	CHECK(snapshot_is(&ring, 3, 0, 8));
	CHECK(ring_bytes(&ring) == 550 && kstub_live_pages == 3);
	/* The last slot is still the one to merge into, in its new place. */
	{
		unsigned char buf[10];
		struct iov_iter from;
		bool was_empty = false, made_room = false;

		stream_fill(buf, 600, sizeof(buf));
		kstub_iter_init(&from, buf, sizeof(buf));
		CHECK(mp_ring_merge(&ring, &from, sizeof(buf), &was_empty, &made_room) == 10);
	}
	CHECK(mp_ring_resize(&ring, 4) == 0);
	CHECK(snapshot_is(&ring, 3, 0, 4));
	pull_expect(&ring, PAGE_SIZE, 50, 50, false);
	pull_expect(&ring, PAGE_SIZE, 100, 200, false);
	pull_expect(&ring, PAGE_SIZE, 300, 310, false);
	CHECK(snapshot_is(&ring, 3, 3, 4));

	/* Full: it fits in the same size, not in fewer slots. */
	for (i = 0; i < 4; i++)
		CHECK(push(&ring, 1000 * i, 1000, MP_SLOT_CAN_MERGE) == 1000);
	CHECK(push(&ring, 0, 1, MP_SLOT_CAN_MERGE) == 0);
	CHECK(snapshot_is(&ring, 7, 3, 4) && ring_full_locked(&ring));
	CHECK(mp_ring_resize(&ring, 2) == -EBUSY);
	CHECK(snapshot_is(&ring, 7, 3, 4));
	CHECK(mp_ring_resize(&ring, 4) == 0);
	CHECK(snapshot_is(&ring, 4, 0, 4) && kstub_live_pages == 4);

	/* Shrinking frees the drained slots' pages that no longer fit. */
	for (i = 0; i < 3; i++)
		pull_expect(&ring, PAGE_SIZE, 1000 * i, 1000, false);
	CHECK(mp_ring_resize(&ring, 1) == 0);
	CHECK(snapshot_is(&ring, 1, 0, 1) && kstub_live_pages == 1);
	CHECK(push(&ring, 0, 1, MP_SLOT_CAN_MERGE) == 0);
	pull_expect(&ring, PAGE_SIZE, 3000, 1000, false);
	CHECK(mp_ring_resize(&ring, 16) == 0);
	CHECK(snapshot_is(&ring, 0, 0, 16) && ring_bytes(&ring) == 0);
	for (i = 0; i < 16; i++)
		CHECK(push(&ring, 100 * i, 100, 0) == 100);
	CHECK(snapshot_is(&ring, 16, 0, 16));
	for (i = 0; i < 16; i++)
		pull_expect(&ring, PAGE_SIZE, 100 * i, 100, false);
	ring_teardown(&ring);
}

/*
 * A merge whose copy the reader interrupts: it drains the slot and leaves
 * it; then the merge completes (its bytes are the slot's, and the ring had
 * no unread byte: was_empty), or fails with bytes still unread (the slot
 * stays, no room was made).
 */
static void test_merge(void)
{
	static const struct {
		size_t drain;		/* what the reader takes mid-copy */
		size_t fault_at;	/* where the merge's copy faults; SIZE_MAX: never */
	} cases[] = {
		{ 64, SIZE_MAX },	/* drained, merge completes */
		{ 4, SIZE_MAX },	/* read in part, merge completes */
		{ 0, 3 },		/* not read, merge fails */
		{ 4, 3 },		/* read in part, merge fails */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct reader_call reader = { .len = cases[i].drain };
		bool fails = cases[i].fault_at != SIZE_MAX;
		bool was_empty = false, made_room = false;
		unsigned char buf[5];
		struct mp_ring ring;
		struct iov_iter from;
		size_t taken;
		ssize_t ret;

		if (!ring_setup(&ring, 1, UINT_MAX))
			return;
		CHECK(push(&ring, 0, 10, MP_SLOT_CAN_MERGE) == 10);
		stream_fill(buf, 10, sizeof(buf));
		kstub_iter_init(&from, buf, sizeof(buf));
		from.fault_at = cases[i].fault_at;
		reader.ring = &ring;
		if (cases[i].drain) {
			from.hook = reader_call_hook;
			from.hook_arg = &reader;
			from.hook_at = 2;
		}
		ret = mp_ring_merge(&ring, &from, sizeof(buf), &was_empty, &made_room);

		taken = min_t(size_t, cases[i].drain, 10);
		CHECK(reader.ret == (ssize_t)taken && !reader.made_room, "case %u", i);
		stream_check(reader.buf, 0, taken);
		CHECK(ret == (fails ? -EFAULT : (ssize_t)sizeof(buf)), "case %u: %zd", i, ret);
		CHECK(!made_room && was_empty == (!fails && taken == 10), "case %u", i);
		CHECK(ring_used(&ring) == 1 && !(mp_ring_slot(&ring, ring.tail)->flags &
						 MP_SLOT_APPENDING), "case %u", i);
		CHECK(ring_bytes(&ring) == 10 - taken + (fails ? 0 : sizeof(buf)), "case %u", i);
		/* The rest comes in order, and the read releases the slot. */
		pull_expect(&ring, PAGE_SIZE, taken, 10 - taken + (fails ? 0 : sizeof(buf)), false);
		CHECK(ring_used(&ring) == 0, "case %u", i);
		ring_teardown(&ring);
	}
}

/*
 * Everything at once: one producer (merges, pushes of all three kinds, some
 * faulting part way), one consumer (reads of any size, some faulting part
 * way), an observer, and in one round a resizer, with race windows and
 * preemption points open.  The content check finds a lost, doubled or
 * reordered byte; the wait model finds a missing was_empty or made_room.
 */
static void test_stress(void)
{
	static struct stream rounds[] = {
		{ .ops = 20000, .faults = true, .packets = true },
		{ .ops = 20000, .faults = true, .packets = true },
		{ .ops = 20000, .faults = true, .packets = true, .resizes = true },
	};
	static const unsigned int slots[] = { 1, 16, 4 };
	unsigned int i;

	WRITE_ONCE(race_window_us[MP_RACE_RING_SNAPSHOT], 20);
	WRITE_ONCE(preempt_us, 20);
	for (i = 0; i < ARRAY_SIZE(rounds) && !failed(); i++)
		stream_run(&rounds[i], slots[i]);
	WRITE_ONCE(preempt_us, 0);
	WRITE_ONCE(race_window_us[MP_RACE_RING_SNAPSHOT], 0);
}

/*
 * The stream with lent pages among the writes (a splice's), small rings
 * so that the writer often waits for the very slot a reader is giving
 * back, and the race window after that reader moved tail widened: the
 * writer must never find a lent page to write into or to put.
 */
static void test_lend(void)
{
	static struct stream rounds[] = {
		{ .ops = 20000, .faults = true, .packets = true, .borrows = true },
		{ .ops = 20000, .faults = true, .packets = true, .borrows = true, .resizes = true },
	};
	static const unsigned int slots[] = { 1, 4 };
	unsigned int i;

	WRITE_ONCE(race_window_us[MP_RACE_SLOT_RELEASED], 50);
	WRITE_ONCE(preempt_us, 20);
	for (i = 0; i < ARRAY_SIZE(rounds) && !failed(); i++)
		stream_run(&rounds[i], slots[i]);
	WRITE_ONCE(preempt_us, 0);
	WRITE_ONCE(race_window_us[MP_RACE_SLOT_RELEASED], 0);
}

static const struct {
	const char *name;
	void (*run)(void);
	const char *what;
} tests[] = {
	{ "snapshot", test_snapshot,
	  "snapshot: a lockless full is never made of two instants (one load of head and tail)" },
	{ "made_room", test_made_room,
	  "made_room: a failed merge that gives back the slot of a full ring reports it" },
	{ "pull_fault", test_pull_fault,
	  "pull fault: a short copy out is taken back and consumes nothing" },
	{ "packets", test_packets,
	  "packets: a short read consumes a packet whole, no merge joins one" },
	{ "borrow", test_borrow,
	  "borrow: a lent page is never merged into nor reused, and goes back when drained" },
	{ "lend_out", test_lend_out,
	  "lend_out: bytes lent by reference stay as given; a drained lent page is not reused" },
	{ "resize", test_resize,
	  "resize: data in order, -EBUSY when the unread slots do not fit, snapshot consistent" },
	{ "merge", test_merge,
	  "merge: a reader drains the slot mid-copy, the merge completes or fails" },
	{ "stress", test_stress,
	  "stress: producer, consumer, observer, resizer; faults, race windows" },
	{ "lend", test_lend,
	  "lend: the stream with lent pages; the writer never touches one the reader gave back" },
};

#define NR_TESTS ARRAY_SIZE(tests)

int main(int argc, char **argv)
{
	bool run[NR_TESTS] = { false };
	unsigned int i, n = 0, planned = 0, bad = 0;
	int opt;

	seed = monotonic_ns() ^ getpid();
	while ((opt = getopt(argc, argv, "s:")) != -1) {
		if (opt != 's') {
			fprintf(stderr, "usage: %s [-s SEED] [TEST...]\n", argv[0]);
			return 2;
		}
		seed = strtoull(optarg, NULL, 0);
	}
	for (; optind < argc; optind++) {
		for (i = 0; i < NR_TESTS && strcmp(argv[optind], tests[i].name); i++)
			;
		if (i == NR_TESTS) {
			fprintf(stderr, "%s: no test %s\n", argv[0], argv[optind]);
			return 2;
		}
		run[i] = true;
	}
	for (i = 0; i < NR_TESTS; i++)
		planned += run[i];
	if (!planned) {
		for (i = 0; i < NR_TESTS; i++)
			run[i] = true;
		planned = NR_TESTS;
	}

	/* Microsecond windows must be microseconds, not the default 50 us slack. */
	prctl(PR_SET_TIMERSLACK, 1);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%u\n# seed %" PRIu64 "\n", planned, seed);
	for (i = 0; i < NR_TESTS; i++) {
		if (!run[i])
			continue;
		rng_stream(0);
		WRITE_ONCE(failures, 0);
		tests[i].run();
		bad += failed() != 0;
		printf("%sok %u - %s\n", failed() ? "not " : "", ++n, tests[i].what);
	}
	return bad ? 1 : 0;
}
