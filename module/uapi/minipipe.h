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

/**
 * struct minipipe_link - argument of MINIPIPE_IOC_TEE and MINIPIPE_IOC_SPLICE
 * @fd_out: the write end of another minipipe, which receives the bytes
 * @flags:  SPLICE_F_* as for tee(2) and splice(2): SPLICE_F_NONBLOCK
 *          matters, the others are accepted and change nothing
 * @len:    at most this many bytes
 */
struct minipipe_link {
	__s32 fd_out;
	__u32 flags;
	__u64 len;
};

/**
 * struct minipipe_vmsplice - argument of MINIPIPE_IOC_VMSPLICE
 * @iov:     address of an array of struct iovec, as for vmsplice(2)
 * @nr_segs: how many, at most IOV_MAX (EINVAL beyond, as for vmsplice(2))
 * @flags:   SPLICE_F_* as for vmsplice(2): SPLICE_F_NONBLOCK matters,
 *           SPLICE_F_GIFT is accepted (nothing steals from a minipipe)
 */
struct minipipe_vmsplice {
	__u64 iov;
	__u32 nr_segs;
	__u32 flags;
};

#define MINIPIPE_IOC_MAGIC	0xBA

/* On /dev/minipipe-ctl: a new anonymous pipe, as pipe2(2). */
#define MINIPIPE_IOC_PIPE2	_IOWR(MINIPIPE_IOC_MAGIC, 1, struct minipipe_pair)
/* On any end of a pipe: the capacity in bytes, as fcntl(F_GETPIPE_SZ). */
#define MINIPIPE_IOC_GET_SIZE	_IO(MINIPIPE_IOC_MAGIC, 2)
/* On any end of a pipe: set the capacity (arg in bytes), as fcntl(F_SETPIPE_SZ). */
#define MINIPIPE_IOC_SET_SIZE	_IO(MINIPIPE_IOC_MAGIC, 3)
/*
 * On the read end of a minipipe: tee(2) to another minipipe's write end,
 * by page reference; returns the bytes duplicated, as tee(2).
 */
#define MINIPIPE_IOC_TEE	_IOW(MINIPIPE_IOC_MAGIC, 4, struct minipipe_link)
/* The same, but the bytes move: splice(2) between two minipipes. */
#define MINIPIPE_IOC_SPLICE	_IOW(MINIPIPE_IOC_MAGIC, 5, struct minipipe_link)
/*
 * On an end of a minipipe: vmsplice(2).  A file that can write takes the
 * user's pages by reference; a read-only one copies out, as vmsplice(2).
 */
#define MINIPIPE_IOC_VMSPLICE	_IOW(MINIPIPE_IOC_MAGIC, 6, struct minipipe_vmsplice)

#endif /* _UAPI_MINIPIPE_H */
