// SPDX-License-Identifier: GPL-2.0
/*
 * minipipe — the page ring.  See ring.h for the picture.
 *
 * Page policy: a slot allocates its page the first time a write lands in
 * it and then keeps it when a reader drains it.  A streaming pipe
 * therefore allocates at most nr_slots pages once and never again, instead
 * of one alloc_page()/put_page() pair per page of traffic (fs/pipe.c keeps
 * a single spare page for the same reason).  The memory held is bounded by
 * the capacity, which a full pipe holds anyway, and it is returned by
 * mp_ring_destroy() when the last file of the pipe closes.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "ring.h"

/* Huge rings come from user requests: fail quietly, the caller says ENOMEM. */
static struct mp_slot *mp_alloc_slots(unsigned int nr_slots)
{
	return kcalloc(nr_slots, sizeof(struct mp_slot), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
}

/**
 * mp_ring_init() - set up an empty ring
 * @ring:     the ring
 * @nr_slots: capacity in slots, a power of two
 *
 * No page is allocated yet.
 *
 * Return: 0 or -ENOMEM.
 */
int mp_ring_init(struct mp_ring *ring, unsigned int nr_slots)
{
	ring->slots = mp_alloc_slots(nr_slots);
	if (!ring->slots)
		return -ENOMEM;
	ring->nr_slots = nr_slots;
	ring->head = 0;
	ring->tail = 0;
	return 0;
}

/**
 * mp_ring_destroy() - drop every byte, free the pages and the slot array
 * @ring: the ring
 *
 * Called when the last file of a pipe closes: like a FIFO, the next opener
 * of a named pipe starts with an empty pipe of the default size.
 */
void mp_ring_destroy(struct mp_ring *ring)
{
	unsigned int i;

	for (i = 0; i < ring->nr_slots; i++)
		if (ring->slots[i].page)
			__free_page(ring->slots[i].page);
	kfree(ring->slots);
	ring->slots = NULL;
	ring->nr_slots = 0;
	ring->head = 0;
	ring->tail = 0;
}

/**
 * mp_ring_resize() - change the capacity, keeping the data
 * @ring:     the ring
 * @nr_slots: new capacity in slots, a power of two
 *
 * The unread slots move, in order, to the start of the new array; drained
 * slots keep their pages while there is room for them.
 *
 * Return: 0, -ENOMEM, or -EBUSY if the unread data needs more than
 * @nr_slots slots (counted in slots, not bytes, as F_SETPIPE_SZ does).
 */
int mp_ring_resize(struct mp_ring *ring, unsigned int nr_slots)
{
	unsigned int used = ring->head - ring->tail;
	struct mp_slot *slots;
	unsigned int i;

	slots = mp_alloc_slots(nr_slots);
	if (!slots)
		return -ENOMEM;
	if (nr_slots < used) {
		kfree(slots);
		return -EBUSY;
	}
	for (i = 0; i < ring->nr_slots; i++) {
		struct mp_slot *old = mp_ring_slot(ring, ring->tail + i);

		if (i < nr_slots)
			slots[i] = *old;
		else if (old->page)
			__free_page(old->page);
	}
	kfree(ring->slots);
	ring->slots = slots;
	WRITE_ONCE(ring->nr_slots, nr_slots);
	WRITE_ONCE(ring->tail, 0);
	WRITE_ONCE(ring->head, used);
	return 0;
}

/**
 * mp_ring_bytes() - how many unread bytes the ring holds (FIONREAD)
 * @ring: the ring
 *
 * Return: the sum of the lengths of the occupied slots.
 */
size_t mp_ring_bytes(const struct mp_ring *ring)
{
	unsigned int index;
	size_t bytes = 0;

	for (index = ring->tail; index != ring->head; index++)
		bytes += mp_ring_slot(ring, index)->len;
	return bytes;
}

/**
 * mp_ring_merge() - append a small write to the last slot if it fits
 * @ring:  the ring
 * @from:  the user's data
 * @chars: how many bytes to append: the write length modulo PAGE_SIZE
 *
 * A write of n bytes may put its first n % PAGE_SIZE bytes into the page
 * of the last slot when that slot is mergeable and has room for all of
 * them; the rest goes into fresh slots.  This is what lets 16 writes of
 * 4095 bytes fill a 16-slot pipe and a 17th write of 1 byte still fit.
 *
 * Return: @chars if merged, 0 if the last slot cannot take them, -EFAULT if
 * the user buffer faulted (nothing is added then).
 */
ssize_t mp_ring_merge(struct mp_ring *ring, struct iov_iter *from, size_t chars)
{
	struct mp_slot *last;
	size_t end;

	if (!chars || ring->head == ring->tail)
		return 0;
	last = mp_ring_slot(ring, ring->head - 1);
	end = last->offset + last->len;
	if (!(last->flags & MP_SLOT_CAN_MERGE) || end + chars > PAGE_SIZE)
		return 0;
	if (copy_page_from_iter(last->page, end, chars, from) != chars)
		return -EFAULT;
	last->len += chars;
	return chars;
}

/**
 * mp_ring_push() - fill the slot at head with up to a page of data
 * @ring:  the ring, not full
 * @from:  the user's data
 * @flags: MP_SLOT_CAN_MERGE for a stream write, MP_SLOT_PACKET for a packet
 *
 * The copy happens before head moves, so a fault never leaves an empty
 * slot in the ring.  A page that faults part way is dropped as a whole,
 * as fs/pipe.c does: the write then ends at the previous page boundary.
 *
 * Return: bytes added (1..PAGE_SIZE), -ENOMEM or -EFAULT.
 */
ssize_t mp_ring_push(struct mp_ring *ring, struct iov_iter *from, unsigned int flags)
{
	struct mp_slot *slot = mp_ring_slot(ring, ring->head);
	size_t copied;

	if (!slot->page) {
		slot->page = alloc_page(GFP_KERNEL_ACCOUNT);
		if (!slot->page)
			return -ENOMEM;
	}
	copied = copy_page_from_iter(slot->page, 0, PAGE_SIZE, from);
	if (copied < PAGE_SIZE && iov_iter_count(from))
		return -EFAULT;
	if (!copied)
		return -EFAULT;
	slot->offset = 0;
	slot->len = copied;
	slot->flags = flags;
	/* Move head only once the slot is filled: poll reads it without the lock. */
	WRITE_ONCE(ring->head, ring->head + 1);
	return copied;
}

/**
 * mp_ring_pull() - copy bytes out of the slot at tail
 * @ring:       the ring, not empty
 * @to:         the user's buffer
 * @freed_slot: set to true when the slot was drained and tail advanced
 *
 * Takes at most the bytes of one slot.  A packet slot is consumed whole
 * even when @to is shorter: the rest of the packet is dropped.  If the
 * copy faults, nothing is consumed and the bytes stay for the next read.
 *
 * Return: bytes copied (> 0) or -EFAULT.
 */
ssize_t mp_ring_pull(struct mp_ring *ring, struct iov_iter *to, bool *freed_slot)
{
	struct mp_slot *slot = mp_ring_slot(ring, ring->tail);
	size_t chars = min_t(size_t, slot->len, iov_iter_count(to));
	size_t copied;
	void *data;

	/*
	 * A copy, never a page reference: on 6.1, copy_page_to_iter() into
	 * the ITER_PIPE of splice would hand our slot page to another pipe,
	 * and we reuse that page.
	 */
	data = kmap_local_page(slot->page);
	copied = copy_to_iter(data + slot->offset, chars, to);
	kunmap_local(data);
	if (copied != chars)
		return -EFAULT;
	slot->offset += chars;
	slot->len -= chars;
	if (slot->flags & MP_SLOT_PACKET)
		slot->len = 0;
	*freed_slot = !slot->len;
	if (!slot->len)
		WRITE_ONCE(ring->tail, ring->tail + 1);
	return chars;
}
