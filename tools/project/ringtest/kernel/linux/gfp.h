/* SPDX-License-Identifier: GPL-2.0 */
/* ringtest stand-in: page allocation is malloc(), counted for leak checks (put_page() frees). */
#ifndef KSTUB_LINUX_GFP_H
#define KSTUB_LINUX_GFP_H

#include <errno.h>
#include <stdlib.h>

#include <linux/mm.h>
#include <kstub.h>

/* User space has one kind of memory: the flags only have to compile. */
#define GFP_KERNEL_ACCOUNT	0x1u
#define __GFP_NOWARN		0x2u

static inline struct page *alloc_page(gfp_t gfp)
{
	struct page *page = malloc(sizeof(*page));

	if (page) {
		page->refs = 1;
		__atomic_add_fetch(&kstub_live_pages, 1, __ATOMIC_RELAXED);
	}
	return page;
}

#endif /* KSTUB_LINUX_GFP_H */
