// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libminipipe: thin wrappers over minipipe's ioctls.
 *
 * minipipe_pipe2() leaves the descriptor table as pipe2(2) would: the two
 * lowest free descriptors, nothing else.  The control node is opened for
 * the one ioctl and closed before returning (one open(2) per pipe: a
 * program that closes every descriptor it does not know, or counts them,
 * sees no difference), and the pair is moved down onto the lowest slots,
 * the one the control node took included.
 */
/* F_GETPIPE_SZ; the selftests build with -D_GNU_SOURCE. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "minipipe.h"
#include "minipipe_lib.h"

/*
 * Held from the open of the control node to the last move, and by fork()
 * (pthread_atfork): a child forked by another thread gets the table from
 * before or from after a minipipe_pipe2(), never the control node or a
 * third descriptor of the pair.  Signals are blocked while it is held, so
 * that a handler calling pipe() or fork() (both async-signal-safe) in the
 * holding thread cannot wait for it forever.
 */
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static void table_lock_take(void)
{
	pthread_mutex_lock(&table_lock);
}

static void table_lock_drop(void)
{
	pthread_mutex_unlock(&table_lock);
}

static void table_lock_take_masked(sigset_t *saved)
{
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, saved);
	table_lock_take();
}

static void table_lock_drop_masked(const sigset_t *saved)
{
	table_lock_drop();
	pthread_sigmask(SIG_SETMASK, saved, NULL);
}

__attribute__((constructor)) static void table_lock_init(void)
{
	pthread_atfork(table_lock_take, table_lock_drop, table_lock_drop);
}

/*
 * Move the end in slot from onto slot to (dup3() replaces it atomically:
 * no other thread can take either slot in between) and free from.
 * Returns the end's slot; if the move fails (it cannot, on slots this call
 * owns), the end stays where it was and to is freed instead.
 */
static int move_end(int from, int to, int cloexec)
{
	if (dup3(from, to, cloexec) < 0) {
		close(to);
		return from;
	}
	close(from);
	return to;
}

/*
 * Put the pair (both ends close-on-exec, as made) and the control node
 * ctl onto the lowest two of the three slots, and free the third: the
 * slots pipe2(2) would have given, since ctl was the lowest free one when
 * it was opened and the ioctl took the next two.  Then give the ends the
 * close-on-exec flag that was asked for.  The usual order is ctl < fd[0]
 * < fd[1]; another thread closing a descriptor in between can make any
 * order, and each is handled.
 */
static void settle(int fd[2], int ctl, int cloexec)
{
	int rd = fd[0], wr = fd[1], low = rd < wr ? rd : wr;

	if (ctl > rd && ctl > wr) {
		close(ctl);
	} else if (ctl < low) {
		/*
		 * The read end takes ctl's slot; if it was the lower end, the
		 * write end takes its slot, replacing the copy left there, so
		 * that no slot is free in between.
		 */
		if (rd != low) {
			rd = move_end(rd, ctl, cloexec);
		} else if (dup3(rd, ctl, cloexec) < 0 || dup3(wr, rd, cloexec) < 0) {
			/* rd still holds the read end: ctl is the node or a copy. */
			close(ctl);
		} else {
			close(wr);
			wr = rd;
			rd = ctl;
		}
	} else if (rd > wr) {
		rd = move_end(rd, ctl, cloexec);
	} else {
		wr = move_end(wr, ctl, cloexec);
	}
	if (!cloexec) {
		fcntl(rd, F_SETFD, 0);
		fcntl(wr, F_SETFD, 0);
	}
	fd[0] = rd;
	fd[1] = wr;
}

int minipipe_pipe2(int fd[2], int flags)
{
	struct minipipe_pair pair = {
		.fds = (uint64_t)(uintptr_t)fd,
		/*
		 * Made close-on-exec, whatever was asked: until settle() is
		 * done, an execve() of another thread must not pass them on.
		 */
		.flags = (uint32_t)flags | O_CLOEXEC,
	};
	int ctl, ret, err;
	sigset_t saved;

	/*
	 * As pipe2(2): bad flags fail before the table is looked at (with a
	 * full table, EINVAL and not the EMFILE of the control node's open).
	 */
	if (flags & ~(O_NONBLOCK | O_CLOEXEC | O_DIRECT)) {
		errno = EINVAL;
		return -1;
	}
	table_lock_take_masked(&saved);
	ctl = open(MINIPIPE_CTL_PATH, O_RDONLY | O_CLOEXEC);
	if (ctl < 0) {
		err = errno;
		table_lock_drop_masked(&saved);
		errno = err;
		return -1;
	}
	/* The ioctl writes the caller's array itself: a bad one is EFAULT. */
	ret = ioctl(ctl, MINIPIPE_IOC_PIPE2, &pair);
	err = errno;
	if (ret < 0)
		close(ctl);
	else
		settle(fd, ctl, flags & O_CLOEXEC);
	table_lock_drop_masked(&saved);
	errno = err;
	return ret;
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
