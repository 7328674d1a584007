// SPDX-License-Identifier: GPL-2.0
/*
 * The helpers of the five exercises (see common.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "minipipe.h"
#include "minipipe_lib.h"
#include "common.h"

bool ex_kernel;
static int ex_failed;

void ex_start(int argc, char **argv, const char *title, const char *extra_usage,
	      int *first_arg)
{
	int i = 1;

	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--kernel")) {
			ex_kernel = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: %s [--kernel]%s%s\n\n%s\n\n"
			       "  --kernel   run on the kernel's pipe(2)/mkfifo instead of minipipe,\n"
			       "             to see that both behave the same\n",
			       argv[0], *extra_usage ? " " : "", extra_usage, title);
			exit(0);
		} else {
			break;
		}
	}
	if (first_arg)
		*first_arg = i;
	else if (i < argc)
		ex_die("unknown argument '%s' (try --help)", argv[i]);
	/* Output goes to a pipe or a console log: keep it in order with the children's. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("== %s\n", title);
	printf("   (on %s)\n", ex_kernel ? "the kernel's pipes" : "minipipe");
}

int ex_pipe(int fd[2], int flags)
{
	if (ex_kernel)
		return pipe2(fd, flags);
	if (!minipipe_pipe2(fd, flags))
		return 0;
	/* Without the module no exercise can run: say why, once. */
	if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
		ex_die("%s: %s (is the minipipe module loaded? --kernel runs on kernel pipes)",
		       MINIPIPE_CTL_PATH, strerror(errno));
	return -1;
}

int ex_pipe_size(int fd)
{
	return ex_kernel ? fcntl(fd, F_GETPIPE_SZ) : minipipe_get_size(fd);
}

void ex_check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("   %s: ", ok ? "ok" : "FAILED");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		ex_failed++;
}

int ex_verdict(const char *claim)
{
	if (ex_failed) {
		printf("=> DOES NOT HOLD (%d check%s failed): %s\n", ex_failed,
		       ex_failed == 1 ? "" : "s", claim);
		return 1;
	}
	printf("=> holds: %s\n", claim);
	return 0;
}

void ex_die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

void ex_msleep(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int ex_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

int ex_read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

char ex_proc_state(pid_t pid)
{
	char path[64], buf[512], *paren;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	/* "pid (comm) S ...": the command may hold blanks and parentheses. */
	paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' ? paren[2] : '?';
}

bool ex_wait_ok(pid_t pid, const char *who)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			ex_check(false, "waitpid(%s): %s", who, strerror(errno));
			return false;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	if (WIFSIGNALED(status))
		ex_check(false, "%s was killed by signal %d (%s)", who, WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		ex_check(false, "%s exited with status %d", who, WEXITSTATUS(status));
	return false;
}
