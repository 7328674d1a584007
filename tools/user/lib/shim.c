// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * minipipe-shim.so — LD_PRELOAD it and pipe(2)/pipe2(2) return minipipes.
 *
 *   LD_PRELOAD=/usr/local/lib/minipipe-shim.so bash -c 'ls | wc -l'
 *
 * When /dev/minipipe-ctl cannot be used (module not loaded), the shim says
 * so once on stderr and falls back to the kernel's pipes: a program under
 * the shim keeps working, and the message tells the user why it is not
 * using minipipe.  With MINIPIPE_SHIM_STRICT=1 it fails instead (errno of
 * the failed open, e.g. ENOENT): tests use that to prove the shim is in use.
 * Errors that pipe2(2) itself would give (EINVAL, EFAULT, EMFILE, ...) are
 * returned as they are, never hidden by a fallback.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "minipipe.h"
#include "minipipe_lib.h"

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

int pipe2(int fd[2], int flags)
{
	int err;

	if (!minipipe_pipe2(fd, flags))
		return 0;
	err = errno;
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

int pipe(int fd[2])
{
	return pipe2(fd, 0);
}
