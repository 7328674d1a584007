// SPDX-License-Identifier: GPL-2.0
/*
 * Exercise 4 — producer and consumer: flow control.
 *
 * A fast producer writes 1 MiB, a page at a time, into a pipe whose reader
 * has not started reading.  The pipe holds its capacity (64 KiB, 16 slots)
 * and no more: the producer's next write() sleeps.  The consumer then reads
 * one page; that frees one slot and wakes the producer, which writes one
 * page and sleeps again.  Then the consumer drains everything, checking
 * every byte.  Nothing is lost, nothing is duplicated, and the producer
 * never ran more than one pipe-full ahead.
 *
 * Shows: a writer blocks when the pipe is full (and only then), and a
 * reader's read() that frees room wakes it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

#define PAGE		4096
#define TOTAL		(1024 * 1024)

/* Bytes the producer has written so far, in memory shared with the consumer. */
static uint64_t *written;

static uint64_t written_so_far(void)
{
	return __atomic_load_n(written, __ATOMIC_SEQ_CST);
}

/* Page number i is filled with bytes that encode i. */
static void fill_page(unsigned char *buf, unsigned int i)
{
	unsigned int j;

	for (j = 0; j < PAGE; j++)
		buf[j] = (unsigned char)(i * 7 + j);
}

static int producer(int wfd)
{
	unsigned char buf[PAGE];
	unsigned int i;

	for (i = 0; i < TOTAL / PAGE; i++) {
		fill_page(buf, i);
		if (ex_write_all(wfd, buf, PAGE)) {
			perror("producer: write");
			return 1;
		}
		__atomic_add_fetch(written, PAGE, __ATOMIC_SEQ_CST);
	}
	return 0;
}

/*
 * Wait up to 10 s for the producer to have written @want bytes and be
 * asleep, then make sure it stays there for 200 ms.
 */
static bool producer_stuck_at(pid_t pid, uint64_t want)
{
	double end = monotonic_seconds() + 10;

	while (monotonic_seconds() < end) {
		if (written_so_far() == want && ex_proc_state(pid) == 'S') {
			ex_msleep(200);
			return written_so_far() == want && ex_proc_state(pid) == 'S';
		}
		if (written_so_far() > want)
			return false;
		ex_msleep(10);
	}
	return false;
}

int main(int argc, char **argv)
{
	unsigned char buf[PAGE], want[PAGE];
	uint64_t total = 0;
	int fd[2], cap, unread = -1;
	unsigned int page = 0;
	bool intact = true, stuck;
	pid_t pid;
	ssize_t n;

	ex_start(argc, argv, "exercise 4: producer/consumer with flow control", "", NULL);
	written = mmap(NULL, sizeof(*written), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (written == MAP_FAILED)
		ex_die("mmap: %m");
	if (ex_pipe(fd, 0))
		ex_die("pipe: %m");
	cap = ex_pipe_size(fd[0]);
	if (cap <= 0)
		ex_die("pipe size: %m");
	printf("   the pipe holds %d bytes (%d pages); the producer wants to write %d\n", cap,
	       cap / PAGE, TOTAL);

	pid = fork();
	if (pid < 0)
		ex_die("fork: %m");
	if (pid == 0) {
		close(fd[0]);
		exit(producer(fd[1]));
	}
	close(fd[1]);

	/* 1. Nobody reads: the producer fills the pipe, then sleeps in write(). */
	stuck = producer_stuck_at(pid, cap);
	ex_check(stuck,
		 "with nobody reading, the producer wrote %llu bytes = the capacity, and sleeps (state %c)",
		 (unsigned long long)written_so_far(), ex_proc_state(pid));
	ioctl(fd[0], FIONREAD, &unread);
	ex_check(unread == cap, "FIONREAD says %d bytes wait in the pipe: it is full", unread);

	/* 2. Read one page: one slot frees, the producer wakes, writes one page, sleeps. */
	n = read(fd[0], buf, PAGE);
	fill_page(want, page++);
	if (n != PAGE || memcmp(buf, want, PAGE))
		intact = false;
	total += n > 0 ? n : 0;
	stuck = producer_stuck_at(pid, cap + PAGE);
	ex_check(stuck,
		 "reading one page woke the producer: it wrote one more page (%llu bytes) and sleeps again",
		 (unsigned long long)written_so_far());

	/* 3. Drain, checking every page. */
	while ((n = ex_read_all(fd[0], buf, PAGE)) == 0) {
		fill_page(want, page++);
		if (memcmp(buf, want, PAGE))
			intact = false;
		total += PAGE;
	}
	printf("   consumer: read %llu bytes, then EOF\n", (unsigned long long)total);
	ex_check(total == TOTAL && intact, "all %llu bytes arrived, in order, intact",
		 (unsigned long long)total);
	ex_check(ex_wait_ok(pid, "the producer"), "the producer finished");
	return ex_verdict("a full pipe stops the writer until the reader makes room");
}
