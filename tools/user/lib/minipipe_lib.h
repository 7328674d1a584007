/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libminipipe — pipe2(2), F_{GET,SET}PIPE_SZ, tee(2), splice(2) and
 * vmsplice(2) for minipipe.
 *
 * Link with -lminipipe.  Every function sets errno and returns -1 on
 * failure, exactly as the system call it stands for.
 */
#ifndef MINIPIPE_LIB_H
#define MINIPIPE_LIB_H

#include <stdint.h>
#include <sys/types.h>

/*
 * Create an anonymous minipipe: fd[0] is the read end, fd[1] the write end.
 * flags: O_NONBLOCK, O_CLOEXEC, O_DIRECT.  Contract of pipe2(2): EINVAL for
 * other flags, EFAULT for a bad fd, EMFILE/ENFILE, plus ENOENT when the
 * minipipe module is not loaded.  The table is left as pipe2(2) leaves it:
 * the two lowest free descriptors, nothing else, success or failure.
 * During the call the control node takes a third slot, so with exactly two
 * free it fails with EMFILE where pipe2(2) succeeds.
 */
int minipipe_pipe2(int fd[2], int flags);

/* As fcntl(fd, F_GETPIPE_SZ): the capacity of the pipe of fd, in bytes. */
int minipipe_get_size(int fd);

/* As fcntl(fd, F_SETPIPE_SZ, size): returns the new capacity in bytes. */
int minipipe_set_size(int fd, int size);

/* 1 if fd is an end of a minipipe (named or anonymous), 0 if not. */
int minipipe_is_minipipe(int fd);

/*
 * tee(2), splice(2) and vmsplice(2) for descriptors that may be minipipes.
 * Each is the system call first, which is the whole answer when no
 * descriptor is a minipipe.  Between two minipipes tee and splice are the
 * module's ioctls (by page reference); between a minipipe and a kernel
 * pipe, splice is the system call (a minipipe serves it by reference) and
 * tee goes through a temporary pipe of the input's kind (a tee into it,
 * then a splice out of it: still no copy); between a minipipe and a file
 * or socket, splice goes through a temporary kernel pipe.  Contract and
 * errno of the system call; see minipipe(4) for what differs.
 */
ssize_t minipipe_tee(int fd_in, int fd_out, size_t len, unsigned int flags);
ssize_t minipipe_splice(int fd_in, int64_t *off_in, int fd_out, int64_t *off_out,
			size_t len, unsigned int flags);
struct iovec;
ssize_t minipipe_vmsplice(int fd, const struct iovec *iov, unsigned long nr_segs,
			  unsigned int flags);

#endif /* MINIPIPE_LIB_H */
