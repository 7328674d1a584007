/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ringtest stand-in: the kernel's basic types from the C library's.  The
 * system's uapi <linux/types.h> comes too, as in the kernel: the C
 * library's own headers (say <sys/prctl.h>) include it and find this one.
 */
#ifndef KSTUB_LINUX_TYPES_H
#define KSTUB_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include_next <linux/types.h>

#include <linux/compiler.h>

typedef unsigned int gfp_t;

#endif /* KSTUB_LINUX_TYPES_H */
