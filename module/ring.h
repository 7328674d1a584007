/* SPDX-License-Identifier: GPL-2.0 */
/*
 * minipipe — the page ring: the data structure under a pipe.
 *
 * A ring of page-sized slots indexed by two free-running counters:
 *
 *        tail          head
 *         v              v
 *   [ .. |####|####|##  |    |    | .. ]     slot = index & (nr_slots - 1)
 *       read here     write here              occupancy = head - tail
 *
 * Writers fill the slot at @head and advance it; readers drain the slot
 * at @tail and advance it.  The counters only ever grow (and wrap), so
 * "empty" is head == tail and "full" is head - tail == nr_slots, with no
 * wasted slot.  Capacity is counted in slots, not bytes, exactly as in
 * fs/pipe.c: that is what makes the byte-level edges (merging of small
 * writes, PIPE_BUF atomicity, POLLOUT) match the kernel's pipes.
 *
 * One writer and one reader may use the ring at the same time: each copies
 * its bytes with no lock held, and only the short bookkeeping around a copy
 * (moving @head or @tail, changing a slot's length) takes the ring's
 * spinlock.  A writer copies into the slot at @head, which no reader looks
 * at until head moves past it; a reader copies out of the slot at @tail,
 * which no writer reuses until tail moves past it.  So on two CPUs the
 * copy into the pipe and the copy out of it overlap, where one lock for
 * both would make them take turns.
 *
 * Overlapping copies add one state and one move to the ring: a slot
 * drained while a writer appends to it stays between tail and head with no
 * bytes (MP_SLOT_APPENDING, mp_append_begin()), and if that append fails,
 * the writer moves tail past it, the one time a writer does
 * (mp_append_end()).  So "anything to read" is @bytes != 0, not
 * head != tail.  (fs/pipe.c up to v6.14 can leave an empty buffer between
 * tail and head too, after a write that faults, and shows it as POLLIN;
 * minipipe never does.)
 *
 * The ring knows nothing about sleeping or files.  It relies on its caller
 * (fops.c) for "one writer and one reader at a time": the pipe's rd_lock
 * and wr_lock.  Resizing needs both; init and destroy run when no file of
 * the pipe is open.
 */
#ifndef MINIPIPE_RING_H
#define MINIPIPE_RING_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uio.h>

#include "race.h"

/* Default capacity: 16 slots of one page, 64 KiB, like PIPE_DEF_BUFFERS. */
#define MP_RING_DEFAULT_SLOTS	16
/* A new ring of a user past user_pages_soft (account.h): PIPE_MIN_DEF_BUFFERS. */
#define MP_RING_MIN_SLOTS	2

/* The slot's last page may take more bytes from a later write. */
#define MP_SLOT_CAN_MERGE	0x1
/* The slot is one packet (O_DIRECT write): a read takes all of it or drops the rest. */
#define MP_SLOT_PACKET		0x2
/* A writer is appending to this slot: a reader that drains it leaves it in place. */
#define MP_SLOT_APPENDING	0x4
/*
 * The page is not the ring's alone: a reference taken by splice to a
 * page of the page cache, of user memory or of another pipe
 * (mp_ring_attach()).  Such a slot is never merged into and its page is
 * never kept when it is drained: both would write into someone else's
 * page.  (A merge flag left on a spliced page-cache page was Dirty Pipe,
 * CVE-2022-0847.)  Its page goes with put_page(), like every other.
 */
#define MP_SLOT_BORROWED	0x8

/**
 * struct mp_slot - one slot of the ring: a page and the bytes it holds
 * @page:   the page, or NULL until a write fills the slot (and again once a
 *          page the ring does not own alone has left it)
 * @offset: where the unread bytes start in @page
 * @len:    how many unread bytes there are
 * @flags:  MP_SLOT_CAN_MERGE or MP_SLOT_PACKET, MP_SLOT_APPENDING, and
 *          MP_SLOT_BORROWED
 *
 * A slot is one of two kinds.  An owned slot holds a page the ring
 * allocated and alone refers to: writers copy into it and merge into it,
 * and a drained owned slot keeps its page for the next write (see ring.c).
 * A borrowed slot (MP_SLOT_BORROWED) holds a reference to a page someone
 * else may read or write: readers copy out of it as out of any slot, and
 * that is all; its page goes when it is drained.  An owned slot whose
 * bytes were lent out by reference (mp_ring_lend()) stays owned, but its
 * page is shared: it goes too when the slot drains.  @offset, @len and @flags
 * of an occupied slot change under the ring's lock.
 */
struct mp_slot {
	struct page *page;
	unsigned int offset;
	unsigned int len;
	unsigned int flags;
};

/**
 * union mp_ring_indices - @head and @tail as one word
 * @head_tail: both indices, for a single load (see mp_ring_snapshot())
 * @head:      free-running index of the next slot to fill
 * @tail:      free-running index of the next slot to drain
 *
 * The layout of the anonymous union in struct mp_ring: a lockless reader
 * loads the word once and takes head and tail apart through this type.
 */
union mp_ring_indices {
	unsigned long head_tail;
	struct {
		unsigned int head;
		unsigned int tail;
	};
};

/*
 * One load must be able to take both indices: minipipe is for 64-bit
 * kernels (a 32-bit one would need 16-bit indices, as fs/pipe.c has
 * there, and a smaller largest size).
 */
static_assert(sizeof(unsigned long) == 2 * sizeof(unsigned int),
	      "minipipe needs head and tail to fit in one word");
static_assert(sizeof(union mp_ring_indices) == sizeof(unsigned long),
	      "head and tail are the word, nothing more");

/**
 * struct mp_ring - a power-of-two ring of page slots
 * @lock:      guards @head, @tail, @bytes and the lengths of occupied slots;
 *             initialised once with the pipe (mp_pipe_init()), it outlives
 *             rings; held for bookkeeping only, never across a copy
 * @slots:     array of @nr_slots slots
 * @nr_slots:  capacity in slots, a power of two
 * @head_tail: @head and @tail as one word, for lockless readers
 * @head:      free-running index of the next slot to fill
 * @tail:      free-running index of the next slot to drain
 * @bytes:     unread bytes in all slots: what FIONREAD says, and the test
 *             for "is there anything to read" (a drained slot a writer is
 *             appending to stays between tail and head with no bytes)
 *
 * @head, @tail, @bytes and @nr_slots are also read without the lock, by
 * poll and by the wait conditions: see the ordering table below.
 */
struct mp_ring {
	spinlock_t lock;	/* the bookkeeping around copies, see above */
	struct mp_slot *slots;
	unsigned int nr_slots;
	union {
		unsigned long head_tail;
		struct {
			unsigned int head;
			unsigned int tail;
		};
	};
	size_t bytes;
};

/* struct mp_ring's indices are laid out as union mp_ring_indices. */
static_assert(offsetof(struct mp_ring, head) - offsetof(struct mp_ring, head_tail) ==
	      offsetof(union mp_ring_indices, head));
static_assert(offsetof(struct mp_ring, tail) - offsetof(struct mp_ring, head_tail) ==
	      offsetof(union mp_ring_indices, tail));

/*
 * The ordering table: every access to the ring made without ring->lock,
 * what it pairs with, and why the reader never acts on a torn or stale view.
 * "Writer" and "reader" are the one task of each side (wr_lock, rd_lock).
 *
 *  lockless access               pairs with                     so that
 *  ----------------------------  -----------------------------  --------------------------------
 *  acquire of @bytes, in         release of @bytes in           the reader that sees a new count
 *  mp_ring_look() (pull, lend)   mp_ring_publish() (push and    sees the bytes in the page and
 *                                append, after their copy)      the slot's len and flags
 *  acquire of slot->len, in      release of slot->len in        the reader that sees the longer
 *  mp_ring_look()                mp_append_end()                length sees the appended bytes
 *  READ_ONCE of slot->flags, in  WRITE_ONCE of the flags in     MP_SLOT_PACKET never changes on
 *  mp_ring_look()                mp_append_begin() and          a published slot; APPENDING is
 *                                mp_append_end() (APPENDING)    looked at again under the lock
 *  acquire of @tail, in          release of @tail in            the writer does not reuse a page
 *  mp_ring_push()                mp_slot_consume() (after the   the reader is still copying out of
 *                                reader's copy out)             (the append that gives back a slot
 *                                                               is the writer itself)
 *  READ_ONCE of @tail, in        WRITE_ONCE of @tail in a       the writer moves tail only past a
 *  mp_ring_look()                failed append                  drained slot, when bytes is 0 and
 *                                (mp_append_end())              the reader returns before looking
 *  READ_ONCE of @tail, where     the same WRITE_ONCE            only a start: the walk looks at
 *  mp_ring_tee() starts                                         tail again under ring->lock, and
 *                                                               at each slot under it
 *  READ_ONCE of @head_tail, in   WRITE_ONCE of @head (push),    ONE load: head and tail of the
 *  mp_ring_snapshot(): poll,     of @tail (consume, a failed    same instant (two loads can pair
 *  the writers' wait condition   append), of @head_tail         a stale tail with a fresh head
 *  and spin, the end of a        (resize)                       and see a full ring that never
 *  write(), the tracepoints                                     was: upstream 3d252160b818)
 *  READ_ONCE of @bytes           WRITE_ONCE/release of @bytes   a count that is stale by the copy
 *  (mp_ring_unread(): poll,                                     in flight; sleepers are covered
 *  FIONREAD, readers' wait                                      by the wait-queue pair in the
 *  condition, the EOF tests                                     pipe's table (pipe.h); an EOF
 *  of read, tee and splice)                                     test loads it after the acquire
 *                                                               of @writers (pipe.h), so "no
 *                                                               writer" brings its last bytes
 *  plain read of slot->page, in  plain store of NULL in         the writer sees the page gone and
 *  mp_ring_push() and            mp_slot_take_shared_page(),    never reuses a page that is not
 *  mp_ring_attach(), after the   with the store of 0 to the     the ring's alone, nor its flags;
 *  acquire of @tail              slot's flags, when a borrowed  it reads the slot only after the
 *                                or lent slot drains, before    acquire of @tail, which is after
 *                                the release of @tail           the stores (a merge reads the
 *                                                               flags under ring->lock)
 *  READ_ONCE of @nr_slots, with  WRITE_ONCE of @nr_slots in     resize holds both side locks, so
 *  a snapshot (poll, writers'    mp_ring_resize(); GET_SIZE     only poll and a waiting writer can
 *  wait condition), and alone    reads it alone                 pair old indices with the new size
 *  (MINIPIPE_IOC_GET_SIZE)                                      (or the other way round) and see
 *                                                               a "full" that never was; the
 *                                                               resize then wakes a writer, and
 *                                                               each writer woken that leaves
 *                                                               room wakes the next
 *
 * Not in the table: reads by the one task that writes a field (the
 * writer's own plain reads of @head, the reader's of a slot's offset) and
 * mp_ring_resize()'s, which holds both side locks.  Everything else (a
 * slot's offset, the pages, @slots) is touched by one side at a time: the
 * slot at @head belongs to the writer until head moves past it, the slot
 * at @tail to the reader until tail moves past it.  The
 * one shared page is that of a slot being merged into: the writer copies
 * after its last unread byte, the reader before it.
 */

static inline unsigned int mp_ring_occupancy(unsigned int head, unsigned int tail)
{
	return head - tail;
}

/* Unread bytes; a lockless answer is stale by at most the copy in flight. */
static inline size_t mp_ring_unread(const struct mp_ring *ring)
{
	return READ_ONCE(ring->bytes);
}

/**
 * mp_ring_snapshot() - head and tail as they were at one instant, lock-free
 * @ring: the ring
 *
 * The one-snapshot rule: a lockless reader takes both indices with one
 * load and decides on that copy.  The copy may be stale, but it is a state
 * the ring really was in, so "full" means the ring was full; the wake-up
 * of the transition out of it comes after (see fops.c).
 *
 * Return: the indices, taken apart.
 */
static inline union mp_ring_indices mp_ring_snapshot(const struct mp_ring *ring)
{
	union mp_ring_indices now = { .head_tail = READ_ONCE(ring->head_tail) };

	return now;
}

/* Full, by one snapshot: for readers without ring->lock (poll, writers' waits). */
static inline bool mp_ring_full_lockless(const struct mp_ring *ring)
{
	union mp_ring_indices now = mp_ring_snapshot(ring);

	/* Debug builds can stop here (race.h): a real snapshot does not mind. */
	mp_race_window(MP_RACE_RING_SNAPSHOT);
	return mp_ring_occupancy(now.head, now.tail) >= READ_ONCE(ring->nr_slots);
}

/* Full, with ring->lock held: nothing can move. */
static inline bool mp_ring_full_locked(const struct mp_ring *ring)
{
	lockdep_assert_held(&ring->lock);
	return mp_ring_occupancy(ring->head, ring->tail) >= ring->nr_slots;
}

static inline struct mp_slot *mp_ring_slot(const struct mp_ring *ring, unsigned int index)
{
	return &ring->slots[index & (ring->nr_slots - 1)];
}

long mp_ring_borrowed_pages(void);
bool mp_ring_slot_shared(const struct mp_ring *ring, const struct mp_slot *slot);
int mp_ring_init(struct mp_ring *ring, unsigned int nr_slots);
void mp_ring_destroy(struct mp_ring *ring);
int mp_ring_resize(struct mp_ring *ring, unsigned int nr_slots);
ssize_t mp_ring_merge(struct mp_ring *ring, struct iov_iter *from, size_t chars,
		      bool *was_empty, bool *made_room);
ssize_t mp_ring_push(struct mp_ring *ring, struct iov_iter *from, unsigned int flags,
		     bool *was_empty);
ssize_t mp_ring_attach(struct mp_ring *ring, struct page *page, unsigned int offset,
		       unsigned int len, unsigned int flags, bool *was_empty);
ssize_t mp_ring_pull(struct mp_ring *ring, struct iov_iter *to, bool *packet, bool *made_room);

/*
 * Receives a page reference from mp_ring_lend(): @page's bytes @offset to
 * @offset + @len, a packet or not.  The reference is its own; it returns
 * how many bytes it took, or an error.
 */
typedef ssize_t (*mp_give_fn)(void *dest, struct page *page, unsigned int offset, size_t len,
			      bool packet);
ssize_t mp_ring_lend(struct mp_ring *ring, size_t max, mp_give_fn give, void *dest,
		     bool *packet, bool *made_room);
ssize_t mp_ring_tee(struct mp_ring *src, struct mp_ring *dst, size_t max, bool *was_empty);

#endif /* MINIPIPE_RING_H */
