// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libminipipe: thin wrappers over minipipe's ioctls.
 *
 * The control node is opened once and kept (close-on-exec), so that a
 * program creating many pipes pays one open(2) in all, like pipe2(2)
 * which needs none.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "minipipe.h"
#include "minipipe_lib.h"

static int control_fd = -1;

static int control(void)
{
	int fd = __atomic_load_n(&control_fd, __ATOMIC_ACQUIRE);
	int expected = -1;

	if (fd >= 0)
		return fd;
	fd = open(MINIPIPE_CTL_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* Two threads may race here: keep the first fd, close ours. */
	if (!__atomic_compare_exchange_n(&control_fd, &expected, fd, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		close(fd);
		fd = expected;
	}
	return fd;
}

int minipipe_pipe2(int fd[2], int flags)
{
	struct minipipe_pair pair = {
		.fds = (uint64_t)(uintptr_t)fd,
		.flags = (uint32_t)flags,
	};
	int ctl = control();

	if (ctl < 0)
		return -1;
	return ioctl(ctl, MINIPIPE_IOC_PIPE2, &pair);
}

int minipipe_get_size(int fd)
{
	return ioctl(fd, MINIPIPE_IOC_GET_SIZE);
}

int minipipe_set_size(int fd, int size)
{
	/* Sign-extended like fcntl's int argument: -1 is "absurd", EINVAL. */
	return ioctl(fd, MINIPIPE_IOC_SET_SIZE, (long)size);
}

int minipipe_is_minipipe(int fd)
{
	int saved = errno, is = ioctl(fd, MINIPIPE_IOC_GET_SIZE) >= 0;

	errno = saved;
	return is;
}
