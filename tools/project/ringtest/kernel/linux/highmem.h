/* SPDX-License-Identifier: GPL-2.0 */
/* ringtest stand-in: every page is mapped, as on a 64-bit kernel. */
#ifndef KSTUB_LINUX_HIGHMEM_H
#define KSTUB_LINUX_HIGHMEM_H

#include <linux/mm.h>

static inline void *kmap_local_page(struct page *page)
{
	return page->data;
}

static inline void kunmap_local(const void *addr)
{
}

#endif /* KSTUB_LINUX_HIGHMEM_H */
