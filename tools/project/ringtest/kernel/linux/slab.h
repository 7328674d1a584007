/* SPDX-License-Identifier: GPL-2.0 */
/* ringtest stand-in: kcalloc() and kfree() are calloc() and free(). */
#ifndef KSTUB_LINUX_SLAB_H
#define KSTUB_LINUX_SLAB_H

#include <stdlib.h>

#include <linux/types.h>

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return calloc(n, size);
}

static inline void kfree(const void *p)
{
	free((void *)p);
}

#endif /* KSTUB_LINUX_SLAB_H */
