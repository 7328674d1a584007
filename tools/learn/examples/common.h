/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the five exercises share: a pipe that is a minipipe (or, with
 * --kernel, the kernel's own pipe(2), to compare), a clock, and the
 * verdict.
 *
 * Each exercise prints what it does and what it sees, checks the property
 * it is about with ex_check(), and ends with ex_verdict(): exit status 0
 * when every check held, 1 when one did not, 2 when the exercise could not
 * even be set up (say the minipipe module is not loaded).
 */
#ifndef EXAMPLES_COMMON_H
#define EXAMPLES_COMMON_H

#include <stdbool.h>
#include <sys/types.h>

#include "monotonic.h"	/* monotonic_seconds(): seconds on the monotonic clock */

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* true after --kernel: use pipe2(2) and mkfifo(3) instead of minipipe. */
extern bool ex_kernel;

/*
 * Parse the options every exercise takes (--kernel, --help) and announce
 * the exercise.  @extra_usage describes the exercise's own options, which
 * it parses itself from argv[*first_arg] on.
 */
void ex_start(int argc, char **argv, const char *title, const char *extra_usage,
	      int *first_arg);

/*
 * pipe2(2) of the kind chosen: an anonymous minipipe or a kernel pipe.
 * Returns 0, or -1 with errno set (as pipe2()); exits when the module is
 * not loaded.
 */
int ex_pipe(int fd[2], int flags);
/* Capacity in bytes of the pipe of @fd (MINIPIPE_IOC_GET_SIZE or F_GETPIPE_SZ). */
int ex_pipe_size(int fd);

/* Record one check: prints "  ok: ..." or "  FAILED: ...". */
void ex_check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print the outcome and return the exit status (0, or 1 if a check failed). */
int ex_verdict(const char *claim);
/* Give up: the exercise could not run (exit status 2). */
void ex_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Sleep for @ms milliseconds. */
void ex_msleep(unsigned int ms);
/* Write or read exactly @len bytes (looping on short counts); -1 on error or EOF. */
int ex_write_all(int fd, const void *buf, size_t len);
int ex_read_all(int fd, void *buf, size_t len);
/* The state letter of a process from /proc/<pid>/stat ('S' = sleeping), or '?'. */
char ex_proc_state(pid_t pid);
/* Wait for @pid; true when it exited with status 0. */
bool ex_wait_ok(pid_t pid, const char *who);

#endif /* EXAMPLES_COMMON_H */
