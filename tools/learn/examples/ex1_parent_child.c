// SPDX-License-Identifier: GPL-2.0
/*
 * Exercise 1 — parent to child through a pipe.
 *
 * The parent creates a pipe, forks, and sends a few lines to its child.
 * Each side first closes the end it does not use: the child must not keep
 * the write end open, or its own read() would never see end of file.  The
 * child reads until read() returns 0, which happens only once the parent
 * has closed the write end and every byte has been read.
 *
 * Shows: the bytes arrive whole and in order; read() returns 0 (EOF) only
 * after the last writer closed.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

static const char *const lines[] = {
	"1. a pipe is a one-way byte stream\n",
	"2. the parent writes into fd[1]\n",
	"3. the child reads from fd[0]\n",
	"4. whoever does not use an end closes it\n",
	"5. closing the last write end means end of file\n",
};

/* The child: read everything until EOF and compare with what was sent. */
static int child(int rfd)
{
	char expected[1024] = "", got[1024];
	size_t have = 0, i;
	int reads = 0;
	ssize_t n;

	for (i = 0; i < ARRAY_SIZE(lines); i++)
		strcat(expected, lines[i]);
	for (;;) {
		n = read(rfd, got + have, sizeof(got) - 1 - have);
		if (n < 0) {
			perror("child: read");
			return 1;
		}
		if (n == 0)
			break;
		reads++;
		have += n;
		if (have == sizeof(got) - 1)
			break;
	}
	got[have] = '\0';
	printf("   child: %zu bytes in %d read() call%s, then read() returned 0: end of file\n",
	       have, reads, reads == 1 ? "" : "s");
	printf("   child: received:\n%s", got);
	return strcmp(got, expected) ? 1 : 0;
}

int main(int argc, char **argv)
{
	size_t total = 0, i;
	int fd[2];
	pid_t pid;

	ex_start(argc, argv, "exercise 1: parent -> child through a pipe", "", NULL);
	if (ex_pipe(fd, 0))
		ex_die("pipe: %m");
	printf("   pipe: read end fd %d, write end fd %d\n", fd[0], fd[1]);

	pid = fork();
	if (pid < 0)
		ex_die("fork: %m");
	if (pid == 0) {
		close(fd[1]);		/* the child only reads */
		exit(child(fd[0]));
	}
	close(fd[0]);			/* the parent only writes */
	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		if (ex_write_all(fd[1], lines[i], strlen(lines[i])))
			ex_die("parent: write: %m");
		total += strlen(lines[i]);
	}
	printf("   parent: wrote %zu bytes in %zu write() calls, now closes the write end\n",
	       total, i);
	close(fd[1]);

	ex_check(ex_wait_ok(pid, "the child"),
		 "the child got every byte, in order, then EOF once the parent closed");
	return ex_verdict("a pipe carries a byte stream from parent to child, ending in EOF");
}
