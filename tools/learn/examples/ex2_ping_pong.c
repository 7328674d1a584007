// SPDX-License-Identifier: GPL-2.0
/*
 * Exercise 2 — both directions: two pipes, ping-pong.
 *
 * A pipe goes one way.  For a conversation, parent and child need two:
 * one parent -> child, one child -> parent.  (With a single pipe, each side
 * could read back its own message.)  The parent sends "ping N", the child
 * answers "pong N", many times; each message is a fixed 16-byte record so
 * that the reader knows where one ends.  When the parent closes its write
 * end the child sees EOF and exits.
 *
 * Shows: every answer matches its question, in order; each side blocks in
 * read() until the other has written, so the two take turns.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

#define MSG_LEN	16
#define SHOWN	3

static int child(int rfd, int wfd)
{
	char msg[MSG_LEN], reply[MSG_LEN];
	unsigned long n;

	/* ex_read_all() fails at EOF: the parent is done. */
	while (!ex_read_all(rfd, msg, MSG_LEN)) {
		if (sscanf(msg, "ping %lu", &n) != 1) {
			fprintf(stderr, "child: bad message '%.16s'\n", msg);
			return 1;
		}
		memset(reply, 0, sizeof(reply));
		snprintf(reply, sizeof(reply), "pong %lu", n);
		if (ex_write_all(wfd, reply, MSG_LEN))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int to_child[2], to_parent[2], first, bad = 0;
	unsigned long rounds = 20000, i;
	char msg[MSG_LEN], reply[MSG_LEN], want[MSG_LEN];
	double t0, secs;
	pid_t pid;

	ex_start(argc, argv, "exercise 2: both directions with two pipes (ping-pong)", "[ROUNDS]",
		 &first);
	if (first < argc)
		rounds = strtoul(argv[first], NULL, 10);
	if (!rounds)
		ex_die("ROUNDS must be a positive number");
	if (ex_pipe(to_child, 0) || ex_pipe(to_parent, 0))
		ex_die("pipe: %m");

	pid = fork();
	if (pid < 0)
		ex_die("fork: %m");
	if (pid == 0) {
		close(to_child[1]);
		close(to_parent[0]);
		exit(child(to_child[0], to_parent[1]));
	}
	close(to_child[0]);
	close(to_parent[1]);

	t0 = monotonic_seconds();
	for (i = 1; i <= rounds; i++) {
		memset(msg, 0, sizeof(msg));
		snprintf(msg, sizeof(msg), "ping %lu", i);
		if (ex_write_all(to_child[1], msg, MSG_LEN) ||
		    ex_read_all(to_parent[0], reply, MSG_LEN)) {
			ex_check(false, "round %lu: the child stopped answering", i);
			bad = 1;
			break;
		}
		memset(want, 0, sizeof(want));
		snprintf(want, sizeof(want), "pong %lu", i);
		if (i <= SHOWN)
			printf("   parent -> child: %-10s  child -> parent: %.16s\n", msg, reply);
		if (memcmp(reply, want, MSG_LEN)) {
			ex_check(false, "round %lu: sent '%s', got '%.16s'", i, msg, reply);
			bad = 1;
			break;
		}
	}
	secs = monotonic_seconds() - t0;
	if (!bad)
		printf("   ... %lu rounds in %.2f s (%.0f round trips/s)\n", rounds, secs,
		       rounds / (secs > 0 ? secs : 1e-9));
	ex_check(!bad, "%lu answers, each the answer to its own question, in order", rounds);

	close(to_child[1]);	/* the child's read() now returns 0 */
	ex_check(ex_wait_ok(pid, "the child"), "the child saw EOF and exited cleanly");
	close(to_parent[0]);
	return ex_verdict("two pipes make a two-way conversation");
}
