// SPDX-License-Identifier: GPL-2.0
/*
 * Exercise 5 — several writers, records of PIPE_BUF bytes, never mixed.
 *
 * Three processes write records into one pipe at the same time, each
 * record in a single write() of PIPE_BUF (4096) bytes: a header (writer,
 * sequence number) and a body of the writer's own letter.  POSIX promises
 * that a write of at most PIPE_BUF bytes is atomic: its bytes are never
 * interleaved with another writer's.  The reader reads the stream in
 * pieces of an odd size (so reads and records do not line up), cuts it
 * back into 4096-byte records and checks each one: one writer's letter
 * throughout, and each writer's records in order.
 *
 * With a record size above PIPE_BUF (e.g. 10000) nothing is promised:
 * the program then only counts the mixed records it sees, for comparison.
 *
 * Shows: records of up to PIPE_BUF bytes arrive whole, whatever the timing.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

#define WRITERS		3
#define RECORDS		300
#define READ_PIECE	1000	/* deliberately not a divisor of the record size */

struct header {
	unsigned int writer;
	unsigned int seq;
};

static size_t record_size = PIPE_BUF;

static int writer(int wfd, unsigned int id)
{
	char *rec = malloc(record_size);
	struct header h = { .writer = id };
	ssize_t n;

	if (!rec)
		return 1;
	for (h.seq = 0; h.seq < RECORDS; h.seq++) {
		memset(rec, 'A' + id, record_size);
		memcpy(rec, &h, sizeof(h));
		/* One write() per record: that is what the promise is about. */
		n = write(wfd, rec, record_size);
		if (n != (ssize_t)record_size) {
			fprintf(stderr, "writer %u: write returned %zd\n", id, n);
			return 1;
		}
	}
	free(rec);
	return 0;
}

/* A record is whole when its body is its header's writer's letter throughout. */
static bool record_whole(const char *rec, const unsigned int *next_seq)
{
	struct header h;
	size_t i;

	memcpy(&h, rec, sizeof(h));
	if (h.writer >= WRITERS || h.seq != next_seq[h.writer])
		return false;
	for (i = sizeof(h); i < record_size; i++)
		if (rec[i] != (char)('A' + h.writer))
			return false;
	return true;
}

int main(int argc, char **argv)
{
	unsigned int next_seq[WRITERS] = { 0 }, id, records = 0, mixed = 0;
	size_t have = 0, total = 0;
	pid_t pids[WRITERS];
	char *rec, piece[READ_PIECE];
	bool atomic, ok;
	int fd[2], first;
	ssize_t n;

	ex_start(argc, argv, "exercise 5: several writers, PIPE_BUF records never interleave",
		 "[RECORD_SIZE]", &first);
	if (first < argc)
		record_size = strtoul(argv[first], NULL, 10);
	if (record_size < sizeof(struct header) + 1 || record_size > 1 << 20)
		ex_die("RECORD_SIZE must be between %zu and 1048576",
		       sizeof(struct header) + 1);
	atomic = record_size <= PIPE_BUF;
	rec = malloc(record_size);
	if (!rec)
		ex_die("out of memory");
	if (ex_pipe(fd, 0))
		ex_die("pipe: %m");
	printf("   %d writers x %d records of %zu bytes (PIPE_BUF is %d) into one pipe\n",
	       WRITERS, RECORDS, record_size, PIPE_BUF);

	for (id = 0; id < WRITERS; id++) {
		pids[id] = fork();
		if (pids[id] < 0)
			ex_die("fork: %m");
		if (pids[id] == 0) {
			close(fd[0]);
			exit(writer(fd[1], id));
		}
	}
	close(fd[1]);

	/* Let the writers fill the pipe and pile up asleep, then read in odd pieces. */
	ex_msleep(100);
	while ((n = read(fd[0], piece, sizeof(piece))) > 0) {
		ssize_t used = 0;

		total += n;
		while (used < n) {
			size_t take = record_size - have;

			if (take > (size_t)(n - used))
				take = n - used;
			memcpy(rec + have, piece + used, take);
			have += take;
			used += take;
			if (have < record_size)
				continue;
			have = 0;
			records++;
			if (record_whole(rec, next_seq)) {
				next_seq[((struct header *)rec)->writer]++;
			} else {
				if (atomic && mixed < 3)
					printf("   record %u is mixed!\n", records);
				mixed++;
			}
		}
	}
	printf("   reader: %zu bytes, %u records: %u whole, %u mixed\n", total, records,
	       records - mixed, mixed);
	for (id = 0; id < WRITERS; id++)
		printf("   writer %c: %u whole record%s in order\n", 'A' + id, next_seq[id],
		       next_seq[id] == 1 ? "" : "s");

	ok = true;
	for (id = 0; id < WRITERS; id++)
		ok &= ex_wait_ok(pids[id], "a writer");
	ex_check(ok && total == (size_t)WRITERS * RECORDS * record_size,
		 "every writer wrote all its records, %zu bytes in all", total);
	if (atomic) {
		ex_check(mixed == 0, "no record of %zu <= PIPE_BUF bytes was interleaved",
			 record_size);
	} else {
		printf("   (%zu > PIPE_BUF: no atomicity is promised, %u mixed records is allowed)\n",
		       record_size, mixed);
	}
	free(rec);
	return ex_verdict(atomic ? "writes of at most PIPE_BUF bytes are atomic" :
			  "the bytes all arrive (large writes may interleave)");
}
