// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * minipipe-shim.so — LD_PRELOAD it and pipe(2)/pipe2(2) return minipipes.
 *
 *   LD_PRELOAD=/usr/local/lib/minipipe-shim.so bash -c 'ls | wc -l'
 *
 * After each call the descriptor table is what pipe2(2) would leave: the
 * two lowest free descriptors, with the close-on-exec flag asked for, and
 * nothing else (minipipe_pipe2() closes the control node before it
 * returns), on success and on failure alike.
 *
 * When /dev/minipipe-ctl cannot be used (module not loaded), the shim says
 * so once on stderr and falls back to the kernel's pipes: a program under
 * the shim keeps working, and the message tells the user why it is not
 * using minipipe.  With MINIPIPE_SHIM_STRICT=1 it fails instead (errno of
 * the failed open, e.g. ENOENT): tests use that to prove the shim is in use.
 * Errors that pipe2(2) itself would give (EINVAL, EFAULT, EMFILE, ...) are
 * returned as they are, never hidden by a fallback.  The one exception:
 * the control node needs a third free descriptor for the duration of the
 * call, so with exactly two left (where pipe2(2) succeeds) that one pipe
 * is the kernel's, silently, in strict mode too.
 *
 * tee(), splice() and vmsplice() go to libminipipe (minipipe_tee() and
 * the others): the system call first, then, for minipipe ends the kernel
 * refuses, the module's ioctls or a temporary pipe.
 *
 * fcntl(F_GETPIPE_SZ/F_SETPIPE_SZ) on a minipipe end goes to the size
 * ioctls, so that programs which size their pipes work unmodified; on
 * every other descriptor, and for every other command, fcntl is libc's.
 *
 * Built with MINIPIPE_SHIM_PREFIX=p, the entry points are p##pipe2 etc.
 * instead: selftests/pipe_shim.c links this very code into a static test
 * and compares it with the kernel's calls.
 */
/* F_GETPIPE_SZ; the selftests build with -D_GNU_SOURCE. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "minipipe.h"
#include "minipipe_lib.h"

#ifdef MINIPIPE_SHIM_PREFIX
#define SHIM_CAT2(a, b) a##b
#define SHIM_CAT(a, b) SHIM_CAT2(a, b)
#define SHIM_ENTRY(name) SHIM_CAT(MINIPIPE_SHIM_PREFIX, name)
#else
#define SHIM_ENTRY(name) name
#endif

/* libc's own fcntl, which the shim's replaces for the program. */
extern int __fcntl(int fd, int cmd, ...);

static int warned;

static int device_missing(int err)
{
	return err == ENOENT || err == ENODEV || err == ENXIO || err == EACCES;
}

static int strict(void)
{
	const char *value = getenv("MINIPIPE_SHIM_STRICT");

	return value && !strcmp(value, "1");
}

int SHIM_ENTRY(pipe2)(int fd[2], int flags)
{
	int err;

	if (!minipipe_pipe2(fd, flags))
		return 0;
	err = errno;
	/* Out of descriptors: the kernel's pipe2 says whether it has two. */
	if (err == EMFILE || err == ENFILE)
		return syscall(SYS_pipe2, fd, flags);
	if (!device_missing(err))
		return -1;
	if (!__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
		fprintf(stderr, "minipipe-shim: %s: %s; %s\n", MINIPIPE_CTL_PATH, strerror(err),
			strict() ? "failing as MINIPIPE_SHIM_STRICT=1 asks" :
				   "using the kernel's pipes instead");
	if (strict()) {
		errno = err;
		return -1;
	}
	return syscall(SYS_pipe2, fd, flags);
}

int SHIM_ENTRY(pipe)(int fd[2])
{
	return SHIM_ENTRY(pipe2)(fd, 0);
}

/*
 * The kernel answers first: a kernel pipe or FIFO gets its own result, a
 * bad descriptor EBADF.  Only when it says "not a pipe" (EBADF on an open
 * descriptor) and the descriptor is a minipipe end do the ioctls answer,
 * with the argument as fcntl(2) passed it: the module reads it as the
 * running kernel's fcntl does.
 */
static int pipe_size_fcntl(int fd, int cmd, unsigned long arg)
{
	int ret = syscall(SYS_fcntl, fd, cmd, arg);

	if (ret >= 0 || errno != EBADF || !minipipe_is_minipipe(fd))
		return ret;
	if (cmd == F_GETPIPE_SZ)
		return minipipe_get_size(fd);
	return ioctl(fd, MINIPIPE_IOC_SET_SIZE, arg);
}

/* The command and its one argument, read as glibc reads it: a pointer. */
static int shim_fcntl(int fd, int cmd, void *arg)
{
	if (cmd == F_GETPIPE_SZ || cmd == F_SETPIPE_SZ)
		return pipe_size_fcntl(fd, cmd, (unsigned long)arg);
	return __fcntl(fd, cmd, arg);
}

int SHIM_ENTRY(fcntl)(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	return shim_fcntl(fd, cmd, arg);
}

/* Programs built with _FILE_OFFSET_BITS=64 call fcntl64. */
int SHIM_ENTRY(fcntl64)(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	return shim_fcntl(fd, cmd, arg);
}

/*
 * tee(), splice() and vmsplice() go to libminipipe, which makes the
 * system call and, where the kernel refuses a minipipe end (the calls
 * accept only the kernel's pipes), takes it through the module's ioctls
 * or a temporary pipe.
 */
ssize_t SHIM_ENTRY(tee)(int fd_in, int fd_out, size_t len, unsigned int flags)
{
	return minipipe_tee(fd_in, fd_out, len, flags);
}

ssize_t SHIM_ENTRY(splice)(int fd_in, loff_t *off_in, int fd_out, loff_t *off_out, size_t len,
			   unsigned int flags)
{
	return minipipe_splice(fd_in, (int64_t *)off_in, fd_out, (int64_t *)off_out, len,
			       flags);
}

ssize_t SHIM_ENTRY(vmsplice)(int fd, const struct iovec *iov, size_t nr_segs, unsigned int flags)
{
	return minipipe_vmsplice(fd, iov, nr_segs, flags);
}
