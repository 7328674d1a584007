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
 * The ring knows nothing about locks, sleeping or files: the caller
 * (fops.c) holds the pipe's mutex around every call.
 */
#ifndef MINIPIPE_RING_H
#define MINIPIPE_RING_H

#include <linux/types.h>
#include <linux/uio.h>

/* Default capacity: 16 slots of one page, 64 KiB, like PIPE_DEF_BUFFERS. */
#define MP_RING_DEFAULT_SLOTS	16

/* The slot's last page may take more bytes from a later write. */
#define MP_SLOT_CAN_MERGE	0x1
/* The slot is one packet (O_DIRECT write): a read takes all of it or drops the rest. */
#define MP_SLOT_PACKET		0x2

/**
 * struct mp_slot - one slot of the ring: a page and the bytes it holds
 * @page:   the page, or NULL until the first write into this slot
 * @offset: where the unread bytes start in @page
 * @len:    how many unread bytes there are
 * @flags:  MP_SLOT_CAN_MERGE or MP_SLOT_PACKET
 *
 * A drained slot keeps its page (see mp_ring_push()).
 */
struct mp_slot {
	struct page *page;
	unsigned int offset;
	unsigned int len;
	unsigned int flags;
};

/**
 * struct mp_ring - a power-of-two ring of page slots
 * @slots:    array of @nr_slots slots
 * @nr_slots: capacity in slots, a power of two
 * @head:     free-running index of the next slot to fill
 * @tail:     free-running index of the next slot to drain
 *
 * @head, @tail and @nr_slots change only under the pipe's mutex but are
 * read locklessly by poll, hence the READ_ONCE()/WRITE_ONCE() accessors.
 */
struct mp_ring {
	struct mp_slot *slots;
	unsigned int nr_slots;
	unsigned int head;
	unsigned int tail;
};

static inline unsigned int mp_ring_occupancy(unsigned int head, unsigned int tail)
{
	return head - tail;
}

static inline bool mp_ring_empty(const struct mp_ring *ring)
{
	return READ_ONCE(ring->head) == READ_ONCE(ring->tail);
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
size_t mp_ring_bytes(const struct mp_ring *ring);
ssize_t mp_ring_merge(struct mp_ring *ring, struct iov_iter *from, size_t chars);
ssize_t mp_ring_push(struct mp_ring *ring, struct iov_iter *from, unsigned int flags);
ssize_t mp_ring_pull(struct mp_ring *ring, struct iov_iter *to, bool *freed_slot);

#endif /* MINIPIPE_RING_H */
