/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mptop — the state of a minipipe, as the module's debugfs file tells it,
 * and the text that shows it.
 *
 * /sys/kernel/debug/minipipe/<name> holds one "key: value" per line:
 *
 *   name: minipipe        slots: 16        capacity: 65536
 *   head: 123             tail: 120        occupancy: 3       bytes: 9000
 *   readers: 1            writers: 1       files: 2
 *   read_sleepers: 0      write_sleepers: 1                   open_sleepers: 0
 *   read_spins: 310       write_spins: 12
 *   bytes_read: 120000    bytes_written: 129000               wakeups: 42
 *   fill: 4096 4096 808 0 ...   (bytes held by each slot, physical index)
 *   shared: 1 0 0 0 ...         (1: the slot's page is not the ring's alone)
 *
 * pipe_state_parse() reads that text and pipe_state_render() draws it; mptop.c is the
 * program around them.  test_mptop.c checks them on the canned state files
 * of testdata/, test.sh checks the program's --once frames against
 * the testdata/NAME.txt files.
 */
#ifndef MPTOP_MPSTATE_H
#define MPTOP_MPSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The directory the module creates in debugfs. */
#define STATE_DIR	"/sys/kernel/debug/minipipe"
/* The files of STATE_DIR that are no pipe's: pages charged per user, pages borrowed. */
#define STATE_USERS	"users"
#define STATE_BORROWED	"borrowed"

/* Names are "minipipe" .. "minipipe63"; anything longer is not ours. */
#define STATE_NAME_MAX	64

/* At most this many cells are drawn; bigger rings share a cell among slots. */
#define MAX_CELLS	64

/* Cells per row of the picture. */
#define ROW_CELLS	8

/**
 * struct pipe_state - one pipe, as its debugfs file shows it
 * @name:           the instance ("minipipe", "minipipe1", ...)
 * @slots:          capacity in slots
 * @capacity:       capacity in bytes
 * @head:           free-running index of the next slot to fill
 * @tail:           free-running index of the next slot to drain
 * @occupancy:      slots in use, head - tail
 * @bytes:          unread bytes (FIONREAD)
 * @readers:        open files that can read
 * @writers:        open files that can write
 * @files:          open files of any mode
 * @read_sleepers:  tasks sleeping in read()
 * @write_sleepers: tasks sleeping in write()
 * @open_sleepers:  tasks sleeping in open() for the other end
 * @read_spins:     waits in read() that ended while spinning, with no sleep
 * @write_spins:    waits in write() that ended while spinning, with no sleep
 * @bytes_read:     bytes read since the module was loaded
 * @bytes_written:  bytes written since the module was loaded
 * @wakeups:        wake-ups issued to a wait queue with a task on it, since
 *                  the module was loaded
 * @fill:           bytes in each slot, by physical index (@slots entries)
 * @shared:         for each slot, 1 if it holds a page that is not the
 *                  ring's alone (spliced in by reference, or lent out), or
 *                  NULL: a module older than the "shared" line
 */
struct pipe_state {
	char name[STATE_NAME_MAX];
	unsigned long long slots;
	unsigned long long capacity;
	unsigned long long head;
	unsigned long long tail;
	unsigned long long occupancy;
	unsigned long long bytes;
	unsigned long long readers;
	unsigned long long writers;
	unsigned long long files;
	unsigned long long read_sleepers;
	unsigned long long write_sleepers;
	unsigned long long open_sleepers;
	unsigned long long read_spins;
	unsigned long long write_spins;
	unsigned long long bytes_read;
	unsigned long long bytes_written;
	unsigned long long wakeups;
	unsigned long long *fill;
	unsigned long long *shared;
};

/**
 * struct pipe_rate - throughput between two samples of the same pipe
 * @valid:     false for the first sample (nothing to compare with)
 * @read_bps:  bytes read per second
 * @write_bps: bytes written per second
 */
struct pipe_rate {
	bool valid;
	double read_bps;
	double write_bps;
};

/*
 * Parse the text of one state file.  Returns 0, or -1 with a message
 * ("line 3: ...") in @err.  On success @st->fill and @st->shared must be
 * freed with pipe_state_free().
 */
int pipe_state_parse(const char *text, struct pipe_state *st, char *err, size_t errlen);
void pipe_state_free(struct pipe_state *st);

/* Read and parse @path; same return convention, the message names the file. */
int pipe_state_load(const char *path, struct pipe_state *st, char *err, size_t errlen);

/*
 * The rate between @prev (taken @seconds earlier) and @cur.  Not valid when
 * @seconds is not positive or a counter went backwards (module reloaded).
 */
struct pipe_rate pipe_rate_between(const struct pipe_state *prev, const struct pipe_state *cur,
			       double seconds);

/*
 * Draw one pipe.  @rate may be NULL (no rate line).  With @color the cells
 * are shaded with ANSI escapes in proportion to their fill; without it the
 * output is plain, stable text.  A cell with a shared slot is drawn in
 * braces, "{ 4096 }", with a legend under the ring.
 */
void pipe_state_render(FILE *out, const struct pipe_state *st, const struct pipe_rate *rate, bool color);

/*
 * Order of instance names: "minipipe" < "minipipe1" < "minipipe2" < ...
 * < "minipipe10" (numeric suffixes compare as numbers).
 */
int state_name_cmp(const char *a, const char *b);

/*
 * List the state files of @dir (its regular files but STATE_USERS and
 * STATE_BORROWED) in
 * state_name_cmp() order, keeping only the @nr_only names of @only when
 * @nr_only > 0.  Returns the count, with
 * *@names a malloc'd array of malloc'd strings (free with state_names_free()),
 * or -1 with errno set.
 */
int state_list_dir(const char *dir, char *const *only, int nr_only, char ***names);
void state_names_free(char **names, int count);

#endif /* MPTOP_MPSTATE_H */
