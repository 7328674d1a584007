/* SPDX-License-Identifier: GPL-2.0 */
/*
 * minipipe — the page ring: the data structure under a pipe.
 *
 * A ring of page-sized slots indexed by two free-running counters:
 *
 *        tail                      head
 *         v                         v
 *   [ .. |####|####|##  |    |    | .. ]     slot = index & (nr_slots - 1)
 *         read here         write here        occupancy = head - tail
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
 * The ring knows nothing about sleeping or files.  It relies on its caller
 * (fops.c) for "one writer and one reader at a time": the pipe's rd_lock
 * and wr_lock.  Resizing and destroying need both.
 */
#ifndef MINIPIPE_RING_H
#define MINIPIPE_RING_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uio.h>

/* Default capacity: 16 slots of one page, 64 KiB, like PIPE_DEF_BUFFERS. */
#define MP_RING_DEFAULT_SLOTS	16

/* The slot's last page may take more bytes from a later write. */
#define MP_SLOT_CAN_MERGE	0x1
/* The slot is one packet (O_DIRECT write): a read takes all of it or drops the rest. */
#define MP_SLOT_PACKET		0x2
/* A writer is appending to this slot: a reader that drains it leaves it in place. */
#define MP_SLOT_APPENDING	0x4

/**
 * struct mp_slot - one slot of the ring: a page and the bytes it holds
 * @page:   the page, or NULL until the first write into this slot
 * @offset: where the unread bytes start in @page
 * @len:    how many unread bytes there are
 * @flags:  MP_SLOT_CAN_MERGE or MP_SLOT_PACKET, and MP_SLOT_APPENDING
 *
 * A drained slot keeps its page (see mp_ring_push()).  @offset, @len and
 * @flags of an occupied slot change under the ring's lock.
 */
struct mp_slot {
	struct page *page;
	unsigned int offset;
	unsigned int len;
	unsigned int flags;
};

/**
 * struct mp_ring - a power-of-two ring of page slots
 * @lock:     guards @head, @tail, @bytes and the lengths of occupied slots;
 *            initialised once with the pipe (mp_pipe_init()), it outlives rings;
 *            held for bookkeeping only, never across a copy
 * @slots:    array of @nr_slots slots
 * @nr_slots: capacity in slots, a power of two
 * @head:     free-running index of the next slot to fill
 * @tail:     free-running index of the next slot to drain
 * @bytes:    unread bytes in all slots: what FIONREAD says, and the test for
 *            "is there anything to read" (a drained slot a writer is
 *            appending to stays between tail and head with no bytes)
 *
 * @head, @tail, @bytes and @nr_slots are also read without the lock (by
 * poll and by the wait conditions), hence READ_ONCE()/WRITE_ONCE().
 */
struct mp_ring {
	spinlock_t lock;	/* the bookkeeping around copies, see above */
	struct mp_slot *slots;
	unsigned int nr_slots;
	unsigned int head;
	unsigned int tail;
	size_t bytes;
};

static inline unsigned int mp_ring_occupancy(unsigned int head, unsigned int tail)
{
	return head - tail;
}

/* Unread bytes; a lockless answer is stale by at most the copy in flight. */
static inline size_t mp_ring_unread(const struct mp_ring *ring)
{
	return READ_ONCE(ring->bytes);
}

static inline bool mp_ring_full(const struct mp_ring *ring)
{
	return mp_ring_occupancy(READ_ONCE(ring->head), READ_ONCE(ring->tail)) >=
	       READ_ONCE(ring->nr_slots);
}

static inline struct mp_slot *mp_ring_slot(const struct mp_ring *ring, unsigned int index)
{
	return &ring->slots[index & (ring->nr_slots - 1)];
}

int mp_ring_init(struct mp_ring *ring, unsigned int nr_slots);
void mp_ring_destroy(struct mp_ring *ring);
int mp_ring_resize(struct mp_ring *ring, unsigned int nr_slots);
ssize_t mp_ring_merge(struct mp_ring *ring, struct iov_iter *from, size_t chars,
		      bool *was_empty);
ssize_t mp_ring_push(struct mp_ring *ring, struct iov_iter *from, unsigned int flags,
		     bool *was_empty);
ssize_t mp_ring_pull(struct mp_ring *ring, struct iov_iter *to, bool *packet, bool *made_room);

#endif /* MINIPIPE_RING_H */
