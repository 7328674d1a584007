/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libminipipe — pipe2(2) and F_{GET,SET}PIPE_SZ for minipipe.
 *
 * Link with -lminipipe.  Every function sets errno and returns -1 on
 * failure, exactly as the system call it stands for.
 */
#ifndef MINIPIPE_LIB_H
#define MINIPIPE_LIB_H

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

#endif /* MINIPIPE_LIB_H */
