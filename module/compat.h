/* SPDX-License-Identifier: GPL-2.0 */
/*
 * minipipe — the only place that knows kernel versions differ.
 *
 * minipipe builds against Debian's 6.1 and 6.12 kernels.  Between them:
 *  - 6.2 made the device argument of class->devnode() const;
 *  - 6.4 dropped the module argument of class_create(), and gave the
 *    files of pipe(2) FMODE_NOWAIT;
 *  - 6.6/6.7 hid inode->i_ctime and i_mtime behind inode_get_ctime()/_mtime();
 *  - 6.15 stopped read() and write() of pipe(2) from setting its inode's times.
 * And configurations differ in whether mutex_unlock() has a window that
 * race.c can hold open: not with PREEMPT_RT's mutexes, nor off x86.
 */
#ifndef MINIPIPE_COMPAT_H
#define MINIPIPE_COMPAT_H

#include <linux/device.h>
#include <linux/fs.h>
#include <linux/version.h>

/*
 * The word of a mutex that mutex_unlock() clears before it takes the
 * mutex's wait_lock: race.c holds an unlocker just after that write, with
 * a watchpoint that traps after the store (x86; on arm64 it traps before
 * and would repeat).  PREEMPT_RT builds mutexes on rtmutexes, whose unlock
 * changes the owner under the wait_lock: no such moment.  Where there is
 * no window to open, MP_MUTEX_UNLOCK_WINDOW is 0.
 */
#if defined(CONFIG_X86) && !defined(CONFIG_PREEMPT_RT)
#define MP_MUTEX_UNLOCK_WINDOW	1
#define mp_mutex_owner_word(m)	((unsigned long)&(m)->owner)
#else
#define MP_MUTEX_UNLOCK_WINDOW	0
#define mp_mutex_owner_word(m)	0UL
#endif

#if KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE
#define MP_DEVNODE_CONST const
#else
#define MP_DEVNODE_CONST
#endif

#if KERNEL_VERSION(6, 4, 0) <= LINUX_VERSION_CODE
#define mp_class_create(name)	class_create(name)
#else
#define mp_class_create(name)	class_create(THIS_MODULE, name)
#endif

/*
 * From v6.4 (afed6271f5b0) the two files of pipe(2) carry FMODE_NOWAIT:
 * preadv2()/pwritev2() take RWF_NOWAIT, and io_uring tries a read or a
 * write without blocking before it waits.  FIFOs never got it.  An anonymous minipipe's
 * ends follow pipe(2), a named one's a FIFO.
 */
#if KERNEL_VERSION(6, 4, 0) <= LINUX_VERSION_CODE
#define MP_ANON_FMODE_NOWAIT	FMODE_NOWAIT
#else
#define MP_ANON_FMODE_NOWAIT	0
#endif

/*
 * Before v6.15 (f017b0a4951f) read() and write() set the times of a pipe(2)
 * inode as they do a FIFO's; from v6.15 an anonymous pipe's times stay as
 * they were made.  An anonymous minipipe follows pipe(2), a named one a FIFO.
 */
#if KERNEL_VERSION(6, 15, 0) <= LINUX_VERSION_CODE
#define MP_ANON_PIPE_TIMES	false
#else
#define MP_ANON_PIPE_TIMES	true
#endif

#if KERNEL_VERSION(6, 7, 0) <= LINUX_VERSION_CODE
#define mp_inode_mtime(inode)	inode_get_mtime(inode)
#define mp_inode_ctime(inode)	inode_get_ctime(inode)
#else
#define mp_inode_mtime(inode)	((inode)->i_mtime)
#define mp_inode_ctime(inode)	((inode)->i_ctime)
#endif

#endif /* MINIPIPE_COMPAT_H */
