/* SPDX-License-Identifier: GPL-2.0 */
/* ringtest stand-in: a page is a 4096-byte buffer. */
#ifndef KSTUB_LINUX_MM_H
#define KSTUB_LINUX_MM_H

#include <linux/minmax.h>
#include <linux/types.h>

#define PAGE_SIZE	4096UL

struct page {
	unsigned char data[PAGE_SIZE];
};

#endif /* KSTUB_LINUX_MM_H */
