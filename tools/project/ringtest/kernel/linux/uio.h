/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ringtest stand-in: an iov_iter over one user buffer.
 *
 * A test can make a copy fault part way (it stops short at @fault_at, as
 * when a user page is missing) and stop it part way (@hook runs once the
 * copy reaches @hook_at, with no lock of the ring held, to run the other
 * side of the ring at a chosen byte of a copy).
 */
#ifndef KSTUB_LINUX_UIO_H
#define KSTUB_LINUX_UIO_H

#include <assert.h>
#include <stdint.h>
#include <string.h>

#include <linux/mm.h>
#include <linux/types.h>
#include <kstub.h>

struct iov_iter {
	unsigned char *buf;		/* the user buffer */
	size_t done;			/* bytes copied so far: the position in @buf */
	size_t count;			/* bytes left */
	size_t fault_at;		/* copies stop short here; SIZE_MAX: never */
	size_t hook_at;			/* where @hook runs */
	void (*hook)(void *arg);	/* runs once, then is cleared */
	void *hook_arg;
};

static inline void kstub_iter_init(struct iov_iter *i, void *buf, size_t len)
{
	*i = (struct iov_iter){ .buf = buf, .count = len, .fault_at = SIZE_MAX };
}

static inline size_t iov_iter_count(const struct iov_iter *i)
{
	return i->count;
}

/* The one copy loop, both ways: into the user buffer if @to_user. */
static inline size_t kstub_iter_copy(struct iov_iter *i, unsigned char *kaddr, size_t bytes,
				     bool to_user)
{
	size_t copied = 0;

	kstub_preempt_point();
	bytes = min_t(size_t, bytes, i->count);
	for (;;) {
		size_t stop = i->done + bytes - copied;

		if (i->hook && i->hook_at == i->done) {
			void (*hook)(void *arg) = i->hook;

			i->hook = NULL;
			hook(i->hook_arg);
		}
		if (copied == bytes || i->done == i->fault_at)
			return copied;
		stop = min_t(size_t, stop, i->fault_at);
		if (i->hook && i->hook_at > i->done)
			stop = min_t(size_t, stop, i->hook_at);
		if (to_user)
			memcpy(i->buf + i->done, kaddr + copied, stop - i->done);
		else
			memcpy(kaddr + copied, i->buf + i->done, stop - i->done);
		copied += stop - i->done;
		i->count -= stop - i->done;
		i->done = stop;
	}
}

static inline size_t copy_page_from_iter(struct page *page, size_t offset, size_t bytes,
					 struct iov_iter *i)
{
	/* The kernel WARNs and copies nothing: a caller's bug either way. */
	assert(offset + bytes <= PAGE_SIZE);
	return kstub_iter_copy(i, page->data + offset, bytes, false);
}

static inline size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i)
{
	return kstub_iter_copy(i, (unsigned char *)addr, bytes, true);
}

static inline void iov_iter_revert(struct iov_iter *i, size_t unroll)
{
	assert(unroll <= i->done);
	i->done -= unroll;
	i->count += unroll;
}

#endif /* KSTUB_LINUX_UIO_H */
