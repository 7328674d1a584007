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
 *
 * Only a page the ring owns alone is kept, or written into.  A slot filled
 * by reference (mp_ring_attach(): splice hands over a page of the page
 * cache, of user memory, of another pipe) is borrowed: no write merges
 * into it, and when it drains its reference is dropped and the slot is
 * left without a page, so that the next write allocates one.  The other
 * way, a splice out of the ring takes references to the ring's own pages
 * (mp_ring_lend()): such a page is still merged into, behind the bytes
 * handed out, but not kept once drained while someone else holds it.  fs/pipe.c
 * says the same with a struct pipe_buf_operations per buffer, because its
 * buffers have many owners with many ways to let go; minipipe has two
 * kinds, owned and borrowed, and one way to let go: put_page().  Every
 * page of the ring, owned or borrowed, is released with put_page(): an
 * owned page may be referenced elsewhere too, and then lives on there.
 */
#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "ring.h"

/* Page references held by borrowed slots of all rings: 0 when none is open. */
static atomic_long_t mp_borrowed_pages = ATOMIC_LONG_INIT(0);

/**
 * mp_ring_borrowed_pages() - page references that borrowed slots hold now
 *
 * Return: their number, across every ring.  A leak shows as a count that
 * does not go back to 0 once the pipes are closed (debugfs shows it,
 * module exit checks it).
 */
long mp_ring_borrowed_pages(void)
{
	return atomic_long_read(&mp_borrowed_pages);
}

/* The one way a page leaves a slot of the ring, owned or borrowed. */
static void mp_slot_put_page(struct page *page, unsigned int flags)
{
	if (flags & MP_SLOT_BORROWED)
		atomic_long_dec(&mp_borrowed_pages);
	put_page(page);
}

/**
 * mp_ring_slot_shared() - whether an occupied slot's page is not the ring's alone
 * @ring: the ring, whose lock the caller holds
 * @slot: a slot between tail and head: it has a page
 *
 * A borrowed page (MP_SLOT_BORROWED) is someone else's.  An owned page
 * whose bytes were lent out (mp_ring_lend(), mp_ring_tee()) has other
 * references: page_count() above 1 means some are still held (or that a
 * page walker holds a passing one: then a page is given up that could have
 * been kept, which costs an allocation, never a byte).  Either way, a
 * write from the start of the page could change bytes someone else reads.
 *
 * Return: true if the page of @slot is shared.
 */
bool mp_ring_slot_shared(const struct mp_ring *ring, const struct mp_slot *slot)
{
	lockdep_assert_held(&ring->lock);
	return (slot->flags & MP_SLOT_BORROWED) || page_count(slot->page) > 1;
}

/*
 * A drained slot leaves the ring: it keeps its page for the next write
 * only if the ring owns that page alone, not a borrowed one, nor one
 * whose bytes were lent out and are still referenced elsewhere
 * (mp_ring_lend(); nobody else can take a reference to an owned page, as
 * only the ring hands them out).  Otherwise the page leaves the slot, for
 * the caller to put once it has dropped the lock, as *@flags says
 * (mp_slot_put_page()).  Called under ring->lock, before tail moves past
 * the slot.
 */
static struct page *mp_slot_take_shared_page(struct mp_ring *ring, struct mp_slot *slot,
					     unsigned int *flags)
{
	struct page *page = slot->page;

	if (!mp_ring_slot_shared(ring, slot))
		return NULL;
	*flags = slot->flags;
	slot->page = NULL;
	/* A page with no flag is owned (mp_ring_destroy()). */
	slot->flags = 0;
	return page;
}

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
 * No page is allocated yet.  The ring's lock is not touched: it is
 * initialised once, with the pipe, and outlives the rings.
 *
 * Return: 0 or -ENOMEM.
 */
int mp_ring_init(struct mp_ring *ring, unsigned int nr_slots)
{
	ring->slots = mp_alloc_slots(nr_slots);
	if (!ring->slots)
		return -ENOMEM;
	ring->nr_slots = nr_slots;
	ring->head_tail = 0;
	ring->bytes = 0;
	return 0;
}

/**
 * mp_ring_destroy() - drop every byte, free the pages and the slot array
 * @ring: the ring
 *
 * Called when the last file of a pipe closes: like a FIFO, the next opener
 * of a named pipe starts with an empty pipe of the default size.  With no
 * file left, no one can be reading or writing.
 */
void mp_ring_destroy(struct mp_ring *ring)
{
	unsigned int i;

	for (i = 0; i < ring->nr_slots; i++)
		if (ring->slots[i].page)
			mp_slot_put_page(ring->slots[i].page, ring->slots[i].flags);
	kfree(ring->slots);
	ring->slots = NULL;
	ring->nr_slots = 0;
	ring->head_tail = 0;
	ring->bytes = 0;
}

/**
 * mp_ring_resize() - change the capacity, keeping the data
 * @ring:     the ring
 * @nr_slots: new capacity in slots, a power of two
 *
 * The unread slots move, in order, to the start of the new array; drained
 * slots keep their pages while there is room for them.  The caller keeps
 * every reader and writer out of the ring meanwhile (the pipe's rd_lock
 * and wr_lock): their slot pointers would point into the old array.
 *
 * Return: 0, -ENOMEM, or -EBUSY if the unread data needs more than
 * @nr_slots slots (counted in slots, not bytes, as F_SETPIPE_SZ does).
 */
int mp_ring_resize(struct mp_ring *ring, unsigned int nr_slots)
{
	unsigned int used = ring->head - ring->tail;
	union mp_ring_indices moved = { .head = used, .tail = 0 };
	struct mp_slot *slots;
	unsigned int i;

	slots = mp_alloc_slots(nr_slots);
	if (!slots)
		return -ENOMEM;
	if (nr_slots < used) {
		kfree(slots);
		return -EBUSY;
	}
	/* Like every change of the indices (see struct mp_ring). */
	spin_lock(&ring->lock);
	for (i = 0; i < ring->nr_slots; i++) {
		struct mp_slot *old = mp_ring_slot(ring, ring->tail + i);

		if (i < nr_slots)
			slots[i] = *old;
		else if (old->page)
			mp_slot_put_page(old->page, old->flags);
	}
	kfree(ring->slots);
	ring->slots = slots;
	WRITE_ONCE(ring->nr_slots, nr_slots);
	/* One store: a lockless snapshot sees the old indices or the new ones. */
	WRITE_ONCE(ring->head_tail, moved.head_tail);
	spin_unlock(&ring->lock);
	return 0;
}

/*
 * Count @chars new bytes as unread, under the ring's lock, once they are in
 * their page: the release lets a lockless reader (mp_ring_look()) that sees
 * the new count see the bytes too.  Returns true if the ring had none.
 */
static bool mp_ring_publish(struct mp_ring *ring, size_t chars)
{
	size_t before = ring->bytes;

	lockdep_assert_held(&ring->lock);
	/* Pairs with the acquire in mp_ring_look(). */
	smp_store_release(&ring->bytes, before + chars);
	return !before;
}

/*
 * Begin an append to the last slot: if it holds mergeable bytes with room
 * for @chars more behind them in its page, mark it MP_SLOT_APPENDING, so
 * that a reader who drains it meanwhile leaves it between tail and head
 * (with no bytes) instead of releasing it.  Returns the slot, or NULL, and
 * in *@end where the new bytes go: behind the unread ones, a place a
 * reader does not move (it moves offset and len by the same amount).
 */
static struct mp_slot *mp_append_begin(struct mp_ring *ring, size_t chars, size_t *end)
{
	struct mp_slot *last = mp_ring_slot(ring, ring->head - 1);
	bool mergeable;

	spin_lock(&ring->lock);
	*end = last->offset + last->len;
	mergeable = ring->head != ring->tail && (last->flags & MP_SLOT_CAN_MERGE) &&
		    *end + chars <= PAGE_SIZE;
	if (mergeable)
		WRITE_ONCE(last->flags, last->flags | MP_SLOT_APPENDING);
	spin_unlock(&ring->lock);
	return mergeable ? last : NULL;
}

/*
 * End an append of @added bytes (0 if the copy failed).  Added bytes count
 * from now on.  With none, a slot that a reader drained meanwhile is ours
 * to release, since the reader left it: the writer moves tail, the one
 * time it does, and says whether that made room in a full ring.
 */
static void mp_append_end(struct mp_ring *ring, struct mp_slot *last, size_t added,
			  bool *was_empty, bool *made_room)
{
	struct page *shared = NULL;
	unsigned int shared_flags = 0;

	spin_lock(&ring->lock);
	WRITE_ONCE(last->flags, last->flags & ~MP_SLOT_APPENDING);
	if (added) {
		/* Release: a reader that sees the new length sees the bytes. */
		smp_store_release(&last->len, last->len + added);
		*was_empty = mp_ring_publish(ring, added);
	} else if (!last->len) {
		*made_room = mp_ring_full_locked(ring);
		/* The reader may have lent out the bytes it drained (mp_ring_lend()). */
		shared = mp_slot_take_shared_page(ring, last, &shared_flags);
		WRITE_ONCE(ring->tail, ring->tail + 1);
	}
	spin_unlock(&ring->lock);
	if (shared)
		mp_slot_put_page(shared, shared_flags);
}

/**
 * mp_ring_merge() - append a small write to the last slot if it fits
 * @ring:      the ring; the caller is its only writer
 * @from:      the user's data
 * @chars:     how many bytes to append: the write length modulo PAGE_SIZE
 * @was_empty: set to true if the ring had no unread byte before these
 * @made_room: set to true if a failed merge gave back a slot of a full ring
 *
 * A write of n bytes may put its first n % PAGE_SIZE bytes into the page
 * of the last slot when that slot is mergeable and has room for all of
 * them; the rest goes into fresh slots.  This is what lets 16 writes of
 * 4095 bytes fill a 16-slot pipe and a 17th write of 1 byte still fit.
 *
 * The bytes go after the slot's unread ones, where a reader of the slot
 * does not look, and count only once the copy is done (mp_append_begin(),
 * mp_append_end()).  A reader may drain the slot meanwhile: its offset
 * then moves to where our bytes start.  If the copy fails, nothing is
 * added, and a slot drained meanwhile is released by us; the caller must
 * then wake a writer if that made room (@made_room): no reader will, and
 * one may be asleep waiting for exactly that room.
 *
 * Return: @chars if merged, 0 if the last slot cannot take them, -EFAULT if
 * the user buffer faulted (nothing is added then).
 */
ssize_t mp_ring_merge(struct mp_ring *ring, struct iov_iter *from, size_t chars,
		      bool *was_empty, bool *made_room)
{
	struct mp_slot *last;
	size_t end, copied;

	if (!chars)
		return 0;
	last = mp_append_begin(ring, chars, &end);
	if (!last)
		return 0;
	copied = copy_page_from_iter(last->page, end, chars, from);
	if (copied != chars) {
		mp_append_end(ring, last, 0, was_empty, made_room);
		return -EFAULT;
	}
	mp_append_end(ring, last, chars, was_empty, made_room);
	return chars;
}

/**
 * mp_ring_push() - fill the slot at head with up to a page of data
 * @ring:      the ring; the caller is its only writer
 * @from:      the data, at least one byte: the user's, or a splice's buffer
 * @flags:     MP_SLOT_CAN_MERGE for a stream write, MP_SLOT_PACKET for a packet
 * @was_empty: set to true if the ring had no unread byte before these
 *
 * The copy happens before head moves, so a reader never sees a slot being
 * filled and a fault never leaves an empty slot in the ring.  A page that
 * faults part way is dropped as a whole, as fs/pipe.c does: the write then
 * ends at the previous page boundary.
 *
 * Return: bytes added (1..PAGE_SIZE), 0 if the ring is full, -ENOMEM or
 * -EFAULT.
 */
ssize_t mp_ring_push(struct mp_ring *ring, struct iov_iter *from, unsigned int flags,
		     bool *was_empty)
{
	struct mp_slot *slot = mp_ring_slot(ring, ring->head);
	size_t copied;

	/* Acquire: the reader's last copy out of this slot's page is over. */
	if (ring->head - smp_load_acquire(&ring->tail) >= ring->nr_slots)
		return 0;
	if (!slot->page) {
		slot->page = alloc_page(GFP_KERNEL_ACCOUNT);
		if (!slot->page)
			return -ENOMEM;
	}
	copied = copy_page_from_iter(slot->page, 0, PAGE_SIZE, from);
	/* Short of a page with more to come: a fault (the caller has bytes left). */
	if (copied < PAGE_SIZE && iov_iter_count(from))
		return -EFAULT;

	spin_lock(&ring->lock);
	slot->offset = 0;
	slot->len = copied;
	slot->flags = flags;
	WRITE_ONCE(ring->head, ring->head + 1);
	*was_empty = mp_ring_publish(ring, copied);
	spin_unlock(&ring->lock);
	return copied;
}

/**
 * mp_ring_attach() - fill the slot at head with a reference to a page
 * @ring:      the ring; the caller is its only writer
 * @page:      someone else's page: the page cache's, a user's, another pipe's
 * @offset:    where the bytes start in @page
 * @len:       how many bytes, at least one, with @offset + @len <= PAGE_SIZE
 * @flags:     MP_SLOT_PACKET for a packet, else 0
 * @was_empty: set to true if the ring had no unread byte before these
 *
 * No byte is copied: the slot takes a reference of its own to @page and is
 * borrowed (MP_SLOT_BORROWED), never merged into, never kept when drained.
 * The flags are set whole, not added to what the slot had: a merge flag
 * left over from the slot's last use must not survive (Dirty Pipe).  A
 * page the slot kept from earlier owned use goes, as a borrowed slot has
 * no room for it.
 *
 * Return: @len, 0 if the ring is full, -EFAULT if @page takes no more
 * references (its count would overflow, as pipe_buf_get() fails).
 */
ssize_t mp_ring_attach(struct mp_ring *ring, struct page *page, unsigned int offset,
		       unsigned int len, unsigned int flags, bool *was_empty)
{
	struct mp_slot *slot = mp_ring_slot(ring, ring->head);
	struct page *spare;

	/* Acquire: the reader's last copy out of this slot's page is over. */
	if (ring->head - smp_load_acquire(&ring->tail) >= ring->nr_slots)
		return 0;
	if (!try_get_page(page))
		return -EFAULT;
	atomic_long_inc(&mp_borrowed_pages);
	spare = slot->page;

	spin_lock(&ring->lock);
	slot->page = page;
	slot->offset = offset;
	slot->len = len;
	slot->flags = flags | MP_SLOT_BORROWED;
	WRITE_ONCE(ring->head, ring->head + 1);
	*was_empty = mp_ring_publish(ring, len);
	spin_unlock(&ring->lock);
	/* A page left in a free slot is owned: borrowed ones go when drained. */
	if (spare)
		mp_slot_put_page(spare, 0);
	return len;
}

/*
 * Consume @chars bytes of the slot at tail, once they are copied out or
 * handed out, or all of it if @whole (a packet: its rest is dropped; no
 * writer appends to a packet slot).  A drained slot is released (tail
 * moves) unless a writer is appending to it: that writer releases it if
 * its copy fails (mp_append_end()).  A drained slot keeps its page only if
 * the ring owns the page alone (mp_slot_take_shared_page()); a shared page
 * leaves the slot before tail moves: the writer, who reads the slot only
 * after it sees tail move, then finds no page to reuse.
 * Returns true if the release made room in a full ring.
 */
static bool mp_slot_consume(struct mp_ring *ring, struct mp_slot *slot, size_t chars,
			    bool whole)
{
	struct page *shared = NULL;
	unsigned int shared_flags = 0;
	bool made_room = false;

	spin_lock(&ring->lock);
	if (whole)
		chars = slot->len;
	slot->offset += chars;
	slot->len -= chars;
	WRITE_ONCE(ring->bytes, ring->bytes - chars);
	if (!slot->len && !(slot->flags & MP_SLOT_APPENDING)) {
		made_room = mp_ring_full_locked(ring);
		shared = mp_slot_take_shared_page(ring, slot, &shared_flags);
		/* Release: our copy out of the page is over before a writer reuses it. */
		smp_store_release(&ring->tail, ring->tail + 1);
	}
	spin_unlock(&ring->lock);
	if (shared) {
		/* Debug builds can stop here (race.h): the slot is no longer ours. */
		mp_race_window(MP_RACE_SLOT_RELEASED);
		mp_slot_put_page(shared, shared_flags);
	}
	return made_room;
}

/*
 * The slot at tail, if it holds unread bytes: in *@offset where they
 * start, in *@chars how many, at most @max, in *@packet whether they are
 * a packet.  No lock: the acquire pairs with the release in
 * mp_ring_publish(), so the slot's bytes, length and flags are there.
 * Only the writer changes the length meanwhile, and only upwards (a merge).
 */
static struct mp_slot *mp_ring_look(struct mp_ring *ring, size_t max, unsigned int *offset,
				    size_t *chars, bool *packet)
{
	struct mp_slot *slot;

	/* Pairs with the release in mp_ring_publish(). */
	if (!smp_load_acquire(&ring->bytes))
		return NULL;
	slot = mp_ring_slot(ring, READ_ONCE(ring->tail));
	*offset = slot->offset;
	/* Pairs with the release of a merge in mp_append_end(). */
	*chars = min_t(size_t, smp_load_acquire(&slot->len), max);
	*packet = READ_ONCE(slot->flags) & MP_SLOT_PACKET;
	return slot;
}

/**
 * mp_ring_pull() - copy bytes out of the slot at tail
 * @ring:      the ring; the caller is its only reader
 * @to:        the user's buffer
 * @packet:    set to true if the bytes were (the start of) a packet
 * @made_room: set to true if a slot of a full ring was released
 *
 * Takes at most the bytes of one slot.  A packet slot is consumed whole
 * even when @to is shorter: the rest of the packet is dropped.  If the
 * copy faults, nothing is consumed and the bytes stay for the next read;
 * what the short copy did put into @to is taken back, so that no caller
 * that keeps what an iterator delivered (an ITER_PIPE, before 6.5) gets
 * those bytes now and again on the next read.
 *
 * Return: bytes copied, 0 if there is nothing to read, or -EFAULT.
 */
ssize_t mp_ring_pull(struct mp_ring *ring, struct iov_iter *to, bool *packet, bool *made_room)
{
	struct mp_slot *slot;
	unsigned int offset;
	size_t chars, copied;
	void *data;

	slot = mp_ring_look(ring, iov_iter_count(to), &offset, &chars, packet);
	if (!slot)
		return 0;
	data = kmap_local_page(slot->page);
	copied = copy_to_iter(data + offset, chars, to);
	kunmap_local(data);
	if (copied != chars) {
		iov_iter_revert(to, copied);
		return -EFAULT;
	}

	*made_room = mp_slot_consume(ring, slot, chars, *packet);
	return chars;
}

/**
 * mp_ring_lend() - hand out bytes of the slot at tail by page reference
 * @ring:      the ring; the caller is its only reader
 * @max:       at most this many bytes
 * @give:      takes a reference to the slot's page and where its bytes are;
 *             the reference is its own from then on, and it returns how
 *             many of the bytes it took (0 to @len) or an error
 * @dest:      passed to @give
 * @packet:    set to true if the bytes were (the start of) a packet
 * @made_room: set to true if a slot of a full ring was released
 *
 * No byte is copied: @give gets another reference to the page (splice
 * puts it into a kernel pipe).  The ring then shares the page, so the
 * slot does not keep it once drained (mp_slot_consume()): a later write
 * from the start of the page would change bytes someone else still
 * reads.  A merge into the slot meanwhile is safe, as it writes behind
 * the unread bytes, after every byte handed out.  What @give took is
 * consumed; a packet's rest stays, as splice_pipe_to_pipe() leaves it.
 *
 * Return: bytes handed out, 0 if there is nothing to read, -EFAULT if the
 * page takes no more references, or @give's error.
 */
ssize_t mp_ring_lend(struct mp_ring *ring, size_t max, mp_give_fn give, void *dest,
		     bool *packet, bool *made_room)
{
	struct mp_slot *slot;
	unsigned int offset;
	size_t chars;
	ssize_t taken;

	slot = mp_ring_look(ring, max, &offset, &chars, packet);
	if (!slot)
		return 0;
	/* As pipe_buf_get(): the count of a page must not overflow. */
	if (!try_get_page(slot->page))
		return -EFAULT;
	taken = give(dest, slot->page, offset, chars, *packet);
	if (taken <= 0)
		return taken;
	*made_room = mp_slot_consume(ring, slot, taken, false);
	return taken;
}

/**
 * mp_ring_tee() - duplicate the unread bytes of one ring into another
 * @src:       the ring read from; the caller is its only reader, and takes
 *             nothing out of it
 * @dst:       the ring written to; the caller is its only writer
 * @max:       at most this many bytes
 * @was_empty: set to true if @dst had no unread byte before these
 *
 * No byte is copied: each occupied slot of @src, from tail on, gives a
 * borrowed slot of @dst a reference to its page (mp_ring_attach()), the
 * packet flag kept, until @max bytes are duplicated, @src has no more or
 * @dst is full; the last slot may give only its first bytes, as tee(2)
 * gives between kernel pipes (link_pipe()).  An owned page of @src is then
 * shared, so @src does not keep it once drained (mp_slot_consume()).
 *
 * Each slot is looked at under @src's lock, which orders the look after
 * the writer's publication of the slot: its page, length and bytes are
 * there.  The reader being the caller, only a failed append of @src's
 * writer can move tail meanwhile, past a slot it drained: the walk then
 * starts again from tail, so that it never reads a slot the writer may be
 * filling again.  The writer may also merge into the last occupied slot
 * once the walk has looked at it, so the walk ends with that slot: what
 * @dst gets is always a prefix of @src's stream.
 *
 * Return: bytes duplicated, 0 if there was nothing to duplicate or no
 * room, -EFAULT if the first page takes no more references.
 */
ssize_t mp_ring_tee(struct mp_ring *src, struct mp_ring *dst, size_t max, bool *was_empty)
{
	unsigned int index = READ_ONCE(src->tail), offset, flags;
	bool dst_was_empty, last;
	struct mp_slot *slot;
	struct page *page;
	ssize_t ret = 0, chars;
	size_t len;

	*was_empty = false;
	while ((size_t)ret < max) {
		spin_lock(&src->lock);
		/* Slots before tail are drained: nothing to duplicate there. */
		if ((int)(index - src->tail) < 0)
			index = src->tail;
		if (index == src->head) {
			spin_unlock(&src->lock);
			break;
		}
		slot = mp_ring_slot(src, index);
		page = slot->page;
		offset = slot->offset;
		len = min_t(size_t, slot->len, max - ret);
		flags = slot->flags & MP_SLOT_PACKET;
		last = index + 1 == src->head;
		spin_unlock(&src->lock);
		index++;
		/* Debug builds can stop here (race.h): the writer goes on meanwhile. */
		mp_race_window(MP_RACE_TEE_SLOT);
		/* A drained slot its writer appends to (the last one): no byte yet. */
		if (!len)
			break;
		chars = mp_ring_attach(dst, page, offset, len, flags, &dst_was_empty);
		if (chars <= 0) {
			if (!ret)
				ret = chars;
			break;
		}
		*was_empty |= dst_was_empty;
		ret += chars;
		/*
		 * The last occupied slot can grow by a merge as soon as the lock
		 * is dropped, before the writer adds the next: a walk that went
		 * on would give the next slot's bytes without those.  Stop, so
		 * that the output gets the input's stream, a prefix of it.
		 */
		if (last)
			break;
	}
	return ret;
}
