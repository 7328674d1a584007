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
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
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

/*
 * The system calls are made raw: the shim, which carries this library,
 * replaces libc's pipe2(), tee(), splice() and vmsplice() for the program,
 * and the library must reach the kernel's.  The ioctls return a long,
 * which glibc's ioctl() would cut to an int.
 */
static ssize_t link_ioctl(int fd_in, unsigned long cmd, int fd_out, size_t len,
			  unsigned int flags)
{
	struct minipipe_link arg = { .fd_out = fd_out, .flags = flags, .len = len };

	return syscall(SYS_ioctl, fd_in, cmd, &arg);
}

static int is_fifo(int fd)
{
	struct stat st;

	return !fstat(fd, &st) && S_ISFIFO(st.st_mode);
}

/* No reader left on the output: POLLERR, as poll(2) says for a pipe's write end. */
static int output_gone(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}

/*
 * tee between a minipipe and a kernel pipe: into a temporary pipe of the
 * input's kind (by reference: the module's ioctl, or tee(2)), then spliced
 * out of it into the output (by reference again).  The waits are those of
 * tee(2), in its order: for data in the input (the temporary pipe is
 * empty), then for room in the output (the splice); what does not fit
 * goes with the temporary pipe, which tee(2) would not have taken.
 */
static ssize_t tee_through(int fd_in, int fd_out, size_t len, unsigned int flags, int in_mp)
{
	int tmp[2], err, nonblock = 0;
	ssize_t n, moved;

	/* tee(2) has checked the modes (EBADF); the other side must be a kernel pipe. */
	if (!is_fifo(in_mp ? fd_out : fd_in)) {
		errno = EINVAL;
		return -1;
	}
	if ((fcntl(fd_in, F_GETFL) | fcntl(fd_out, F_GETFL)) & O_NONBLOCK)
		nonblock = SPLICE_F_NONBLOCK;
	if ((in_mp ? minipipe_pipe2(tmp, O_CLOEXEC) : syscall(SYS_pipe2, tmp, O_CLOEXEC)) < 0)
		return -1;
	if (in_mp)
		n = link_ioctl(fd_in, MINIPIPE_IOC_TEE, tmp[1], len, flags | nonblock);
	else
		n = syscall(SYS_tee, fd_in, tmp[1], len, flags | nonblock);
	moved = n;
	/* At the input's end, tee(2) still says EPIPE for an output without reader. */
	if (!n && output_gone(fd_out)) {
		raise(SIGPIPE);
		errno = EPIPE;
		moved = -1;
	} else if (n > 0)
		moved = syscall(SYS_splice, tmp[0], NULL, fd_out, NULL, n, flags | nonblock);
	err = errno;
	close(tmp[0]);
	close(tmp[1]);
	errno = err;
	return moved;
}

#define SPLICE_F_ALL	(SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT)

/*
 * Each call is first the system call: with no minipipe among the
 * descriptors that is the whole answer, and a descriptor is probed with a
 * minipipe ioctl only once the kernel has refused the call, with the
 * errno it gives a descriptor that is not its pipe (EINVAL for tee and
 * splice, EBADF for vmsplice).  So no ioctl ever reaches a device of
 * another driver on a call the kernel would have served.
 */
ssize_t minipipe_tee(int fd_in, int fd_out, size_t len, unsigned int flags)
{
	ssize_t n = syscall(SYS_tee, fd_in, fd_out, len, flags);
	int in_mp, out_mp;

	if (n >= 0 || errno != EINVAL || (flags & ~(unsigned int)SPLICE_F_ALL))
		return n;
	in_mp = minipipe_is_minipipe(fd_in);
	out_mp = minipipe_is_minipipe(fd_out);
	if (!in_mp && !out_mp)
		return -1;
	if (in_mp && out_mp)
		return link_ioctl(fd_in, MINIPIPE_IOC_TEE, fd_out, len, flags);
	return tee_through(fd_in, fd_out, len, flags, in_mp);
}

/* A regular file or a block device can have bytes back (its offset taken back). */
static int can_seek(int fd)
{
	struct stat st;

	return !fstat(fd, &st) && (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode));
}

/* Take @off back by @n bytes, or the file position when @off is NULL. */
static int give_back(int fd, int64_t *off, size_t n)
{
	if (off) {
		*off -= n;
		return 0;
	}
	return lseek(fd, -(off_t)n, SEEK_CUR) < 0 ? -1 : 0;
}

/*
 * The rest of what temporary pipe @tmp holds into @fd (at *@off if not
 * NULL), waiting for @fd as a blocking call would, through signals: bytes
 * already taken from an input that cannot have them back.  What went out
 * in all, @moved included; -1 if nothing did (errno of the failing call:
 * only an error of @fd, a full disk or no reader, leaves bytes behind).
 */
static ssize_t splice_rest(int tmp, int fd, int64_t *off, size_t left, ssize_t moved)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	ssize_t more;

	if (moved < 0)
		moved = 0;
	while (left) {
		more = syscall(SYS_splice, tmp, NULL, fd, off, left, 0);
		if (more > 0) {
			moved += more;
			left -= more;
		} else if (more < 0 && errno == EAGAIN) {
			if (poll(&p, 1, -1) < 0 && errno != EINTR)
				break;
		} else if (!(more < 0 && errno == EINTR)) {
			break;
		}
	}
	return moved ? moved : -1;
}

/*
 * Before a byte leaves an input that cannot seek, room in minipipe @fd:
 * at least one free slot, which the one page of the temporary pipe fits
 * in.  0, or -1 with EPIPE (and SIGPIPE, as splice(2)), EAGAIN, EINTR.
 */
static int wait_for_room(int fd, int nonblock)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	for (;;) {
		if (poll(&p, 1, nonblock ? 0 : -1) < 0)
			return -1;
		if (p.revents & POLLERR) {
			raise(SIGPIPE);
			errno = EPIPE;
			return -1;
		}
		if (p.revents & POLLOUT)
			return 0;
		if (nonblock) {
			errno = EAGAIN;
			return -1;
		}
	}
}

/*
 * splice between a minipipe and something that is no pipe (a file, a
 * socket): splice(2) needs a pipe on one side, so through a temporary
 * kernel pipe, by reference both ways, and no byte is lost on the way:
 *   - out of the minipipe, the output's own checks come first (an empty
 *     pipe spliced into it says EAGAIN if it would take bytes, else its
 *     error: O_APPEND, a bad offset), and bytes taken out of the minipipe
 *     are delivered, waiting for the output if need be, SPLICE_F_NONBLOCK
 *     or not; only an error of the output (a full disk) leaves them;
 *   - into the minipipe, the bytes it does not take (full, a signal) go
 *     back to a seekable input; from an input that cannot seek, a page at
 *     most is taken, and only once the minipipe has a free slot for it.
 */
static ssize_t splice_with_other(int fd_in, int64_t *off_in, int fd_out, int64_t *off_out,
				 size_t len, unsigned int flags, int in_mp)
{
	int nonblock = (flags & SPLICE_F_NONBLOCK) || (fcntl(fd_out, F_GETFL) & O_NONBLOCK);
	int tmp[2], err, seek = !in_mp && can_seek(fd_in);
	ssize_t n, moved;
	size_t left;

	if ((in_mp && off_in) || (!in_mp && off_out)) {
		errno = ESPIPE;
		return -1;
	}
	if (!in_mp && !seek && wait_for_room(fd_out, nonblock))
		return -1;
	if (syscall(SYS_pipe2, tmp, O_CLOEXEC) < 0)
		return -1;
	if (in_mp)
		moved = syscall(SYS_splice, tmp[0], NULL, fd_out, off_out, len, SPLICE_F_NONBLOCK);
	else if (!seek)
		moved = fcntl(tmp[1], F_SETPIPE_SZ, 4096);
	else
		moved = 0;
	if (moved >= 0 || errno == EAGAIN) {
		n = syscall(SYS_splice, fd_in, off_in, tmp[1], NULL, len, flags);
		moved = n;
		if (n > 0) {
			moved = syscall(SYS_splice, tmp[0], NULL, fd_out, off_out, n, flags);
			left = n - (moved > 0 ? moved : 0);
			if (left && !(seek && !give_back(fd_in, off_in, left)))
				moved = splice_rest(tmp[0], fd_out, off_out, left, moved);
		}
	}
	err = errno;
	close(tmp[0]);
	close(tmp[1]);
	errno = err;
	return moved;
}

ssize_t minipipe_splice(int fd_in, int64_t *off_in, int fd_out, int64_t *off_out,
			size_t len, unsigned int flags)
{
	ssize_t n = syscall(SYS_splice, fd_in, off_in, fd_out, off_out, len, flags);
	int in_mp, out_mp;

	if (n >= 0 || errno != EINVAL || (flags & ~(unsigned int)SPLICE_F_ALL))
		return n;
	in_mp = minipipe_is_minipipe(fd_in);
	out_mp = minipipe_is_minipipe(fd_out);
	if (!in_mp && !out_mp)
		return -1;
	if (in_mp && out_mp) {
		/* Two pipes: no offsets (checked by splice(2) after the length and flags). */
		if (off_in || off_out) {
			errno = ESPIPE;
			return -1;
		}
		return link_ioctl(fd_in, MINIPIPE_IOC_SPLICE, fd_out, len, flags);
	}
	/* A minipipe and a kernel pipe: the kernel said its own last word. */
	if (is_fifo(in_mp ? fd_out : fd_in))
		return -1;
	return splice_with_other(fd_in, off_in, fd_out, off_out, len, flags, in_mp);
}

ssize_t minipipe_vmsplice(int fd, const struct iovec *iov, unsigned long nr_segs,
			  unsigned int flags)
{
	struct minipipe_vmsplice arg = {
		.iov = (uintptr_t)iov,
		.nr_segs = nr_segs,
		.flags = flags,
	};
	ssize_t n = syscall(SYS_vmsplice, fd, iov, nr_segs, flags);

	if (n >= 0 || errno != EBADF || !minipipe_is_minipipe(fd))
		return n;
	return syscall(SYS_ioctl, fd, MINIPIPE_IOC_VMSPLICE, &arg);
}
