/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * minipipe — the user-space interface: device paths and ioctls.
 *
 * Installed as <minipipe.h> by `make install`.
 */
#ifndef _UAPI_MINIPIPE_H
#define _UAPI_MINIPIPE_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* The first named pipe; the others are /dev/minipipe1, /dev/minipipe2, ... */
#define MINIPIPE_DEV_PATH	"/dev/minipipe"
/* The control node: creates anonymous pipes, never blocks, holds no data. */
#define MINIPIPE_CTL_PATH	"/dev/minipipe-ctl"

/**
 * struct minipipe_pair - argument of MINIPIPE_IOC_PIPE2
 * @fds:      address of an int[2] that receives the read end ([0]) and the
 *            write end ([1]); a bad address gives EFAULT, as for pipe2(2)
 * @flags:    O_NONBLOCK, O_CLOEXEC and O_DIRECT, as for pipe2(2)
 * @reserved: must be 0
 */
struct minipipe_pair {
	__u64 fds;
	__u32 flags;
	__u32 reserved;
};

#define MINIPIPE_IOC_MAGIC	0xBA

/* On /dev/minipipe-ctl: a new anonymous pipe, as pipe2(2). */
#define MINIPIPE_IOC_PIPE2	_IOWR(MINIPIPE_IOC_MAGIC, 1, struct minipipe_pair)
/* On any end of a pipe: the capacity in bytes, as fcntl(F_GETPIPE_SZ). */
#define MINIPIPE_IOC_GET_SIZE	_IO(MINIPIPE_IOC_MAGIC, 2)
/* On any end of a pipe: set the capacity (arg in bytes), as fcntl(F_SETPIPE_SZ). */
#define MINIPIPE_IOC_SET_SIZE	_IO(MINIPIPE_IOC_MAGIC, 3)

#endif /* _UAPI_MINIPIPE_H */
