/* SPDX-License-Identifier: GPL-2.0 */
/* ringtest stand-in: a page is a 4096-byte buffer with a reference count. */
#ifndef KSTUB_LINUX_MM_H
#define KSTUB_LINUX_MM_H

#include <stdbool.h>
#include <stdlib.h>

#include <linux/minmax.h>
#include <linux/types.h>
#include <kstub.h>

#define PAGE_SIZE	4096UL

struct page {
	unsigned char data[PAGE_SIZE];
	int refs;
};

static inline void get_page(struct page *page)
{
	__atomic_add_fetch(&page->refs, 1, __ATOMIC_RELAXED);
}

static inline int page_count(const struct page *page)
{
	return __atomic_load_n(&page->refs, __ATOMIC_RELAXED);
}

static inline bool try_get_page(struct page *page)
{
	__atomic_add_fetch(&page->refs, 1, __ATOMIC_RELAXED);
	return true;
}

/* The last reference frees the page, as in the kernel. */
static inline void put_page(struct page *page)
{
	if (__atomic_sub_fetch(&page->refs, 1, __ATOMIC_ACQ_REL))
		return;
	__atomic_sub_fetch(&kstub_live_pages, 1, __ATOMIC_RELAXED);
	free(page);
}

#endif /* KSTUB_LINUX_MM_H */
