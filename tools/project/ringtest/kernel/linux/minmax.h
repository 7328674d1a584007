/* SPDX-License-Identifier: GPL-2.0 */
/* ringtest stand-in: min_t(), without the kernel's type checks. */
#ifndef KSTUB_LINUX_MINMAX_H
#define KSTUB_LINUX_MINMAX_H

#define min_t(type, x, y) ({			\
	type __x = (x);				\
	type __y = (y);				\
	__x < __y ? __x : __y; })

#endif /* KSTUB_LINUX_MINMAX_H */
