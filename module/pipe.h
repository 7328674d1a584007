/* SPDX-License-Identifier: GPL-2.0 */
/*
 * minipipe — the pipe object: what one pipe is, named or anonymous, and
 * how it comes and goes (pipe.c).  Reading and writing it is fops.c's.
 *
 * Layers, each using only the ones above it:
 *
 *   ring.[ch]      the page ring: slots, head, tail, merge, push, pull
 *   account.[ch]   per-user page charges and limits (user_pages_soft/hard)
 *   pipe.[ch]      the pipe object: locks, wait queues, counts, lifetime,
 *                  the size cap (max_size)
 *   fops.[ch]      the file operations: open, read, write, poll, release
 *   control.[ch]   /dev/minipipe-ctl: anonymous pairs
 *   debugfs.[ch]   the state files
 *   main.c         module_init/module_exit, the char device region
 */
#ifndef MINIPIPE_PIPE_H
#define MINIPIPE_PIPE_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/wait.h>

#include "account.h"
#include "ring.h"

/* Room for "minipipe" or "anon" and any unsigned int. */
#define MP_NAME_LEN	20

/* The largest capacity anyone may ask for (F_SETPIPE_SZ, a write to max_size): 2^31 bytes. */
#define MP_SIZE_LIMIT	BIT(31)

/**
 * enum mp_queue - the wait queues a task can sleep on (for traces)
 * @MP_QUEUE_READ:  rd_wait, in read()
 * @MP_QUEUE_WRITE: wr_wait, in write()
 * @MP_QUEUE_OPEN:  open_wait, in a FIFO open()
 */
enum mp_queue {
	MP_QUEUE_READ,
	MP_QUEUE_WRITE,
	MP_QUEUE_OPEN,
};

/**
 * struct mp_stats - counters for observers (debugfs), not for the logic
 * @read_sleepers:  tasks sleeping in read()
 * @write_sleepers: tasks sleeping in write()
 * @open_sleepers:  tasks sleeping in open() for the other end
 * @read_spins:     waits in read() that ended while spinning, with no sleep
 * @write_spins:    waits in write() that ended while spinning, with no sleep
 * @bytes_read:     bytes read since the pipe was set up (for a named pipe:
 *                  since the module was loaded)
 * @bytes_written:  bytes written since then
 * @bytes_borrowed: of those, the bytes a splice, tee or vmsplice put into
 *                  the ring by page reference (borrowed slots, ring.h): none
 *                  of them copied
 * @bytes_lent:     bytes a splice or tee handed out of the ring by page
 *                  reference (mp_ring_lend(), mp_ring_tee()): none of them
 *                  copied; a splice's are read too, a tee's stay
 * @wakeups:        wake-ups issued to a wait queue with an entry on it (a
 *                  sleeping task, a poller); one skipped is not counted
 *
 * The sleeper and spin counts change outside every lock, hence atomics.
 * Each byte total has one writer at a time (bytes_read and bytes_lent under rd_lock,
 * bytes_written and bytes_borrowed under wr_lock) and is read by debugfs without that lock:
 * marked stores and loads, which on a 64-bit kernel are never torn.
 */
struct mp_stats {
	atomic_t read_sleepers;
	atomic_t write_sleepers;
	atomic_t open_sleepers;
	atomic_long_t read_spins;
	atomic_long_t write_spins;
	u64 bytes_read;
	u64 bytes_written;
	u64 bytes_borrowed;
	u64 bytes_lent;
	atomic_long_t wakeups;
};

/**
 * struct minipipe - one pipe, the counterpart of fs/pipe.c's pipe_inode_info
 * @lock:      serialises open, release, resize, fasync and debugfs snapshots
 * @rd_lock:   lets one reader at a time into the ring, for a whole read()
 *             except while it waits (spins or sleeps) for data
 * @wr_lock:   lets one writer at a time into the ring, for a whole write()
 *             except while it waits (spins or sleeps) for room
 * @ring:      the buffered data
 * @rd_wait:   readers sleep here until there is data or no writer is left
 * @wr_wait:   writers sleep here until there is a free slot or no reader is left
 * @open_wait: FIFO-style opens sleep here until the other end is opened
 * @readers:   open files that can read
 * @writers:   open files that can write
 * @r_counter: opens for reading so far; a blocked open for writing waits for it to change
 * @w_counter: opens for writing so far; a blocked open for reading waits for it to change
 * @files:     open files of any mode; the first sets up the ring, the last
 *             one's close discards the data (mp_pipe_add_file())
 * @refs:      anonymous pipes only: one reference per open file and one
 *             for the creator, each dropped after pipe->lock is released;
 *             the last frees the pipe (mp_anon_pipe_put())
 * @fasync_readers: files that asked for SIGIO when data arrives (O_ASYNC)
 * @fasync_writers: files that asked for SIGIO when room appears
 * @poll_used: someone polled this pipe: from then on every write wakes the
 *             readers, so that edge-triggered epoll sees each write
 * @anonymous: created by MINIPIPE_IOC_PIPE2 and freed with its last reference
 * @user:      whom the ring is charged to (account.h), from the first open
 *             to the last close; NULL while there is no ring
 * @name:      the pipe's name in traces and debugfs: its device name
 *             ("minipipe", "minipipe1", ...) or "anon<serial number>"
 * @stats:     what the debugfs state file shows beyond the ring itself
 *
 * Openers wait on counters rather than on @readers/@writers so that a
 * partner that opens and closes again before the sleeper runs still
 * releases it, as in fifo_open().
 *
 * The pipe's ordering table: its fields read without pipe->lock (the
 * ring's own are in ring.h), what each pairs with, and why a stale value
 * is harmless.
 *
 *  lockless access               pairs with                     so that
 *  ----------------------------  -----------------------------  --------------------------------
 *  acquire of @writers, in       release of @writers in         a reader that sees no writer
 *  mp_read_common() (EOF test)   mp_release()                   also sees its last bytes
 *  and mp_link_may_get_more()                                   (loaded before the bytes)
 *  acquire of @w_counter, in     release of @w_counter in       "no writer, yet one came" is of
 *  mp_poll() (POLLHUP)           mp_add_writer(), after         one moment: a w_counter seen
 *                                @writers went up               moved brings its writer along
 *  READ_ONCE of @readers and     WRITE_ONCE under pipe->lock    a wait condition or poll bit
 *  @writers (wait conditions,    (mp_count_add()), a release    stale by one event; the change
 *  poll, write()'s EPIPE test)   for every writer's close;      wakes every sleeper after it
 *                                the last reader's under
 *                                wr_lock too (mp_drop_reader())
 *  READ_ONCE of @r_counter or    under pipe->lock: WRITE_ONCE   an opener wakes once the counter
 *  @w_counter, in the wait of    (mp_add_reader()), release     moved; it re-reads it under the
 *  mp_wait_for_partner()         (mp_add_writer())              lock before it goes on
 *  @fasync_readers and           fasync_helper() under          kill_fasync() reads the list
 *  @fasync_writers, read by      pipe->lock (rcu_assign_pointer) under RCU: a file that just
 *  kill_fasync() without it                                     registered may miss one SIGIO
 *  smp_mb() in mp_poll(), after  the barrier of wq_has_sleeper() either the waker sees the poll
 *  poll_wait() queued it         in mp_wake_*_if_sleeping()     entry, or the poller sees the
 *                                                               ring update the waker made
 *  set_current_state() of a      the same wq_has_sleeper()      either the waker sees the
 *  sleeper (wait_event_*)                                       sleeper, or the sleeper's wait
 *                                                               condition sees the update
 *  READ_ONCE of @poll_used, at   WRITE_ONCE in mp_poll(),       only the extra wake-up for
 *  the end of write()            before its smp_mb()            edge-triggered epoll can be
 *                                                               missed, by a poll racing with
 *                                                               the write: that poll finds the
 *                                                               bytes itself, or the ring was
 *                                                               empty and the write wakes it
 *                                                               anyway (the pair above)
 *  @user->pages, by every pipe   atomic_long_add_return() of    each check sees a total with its
 *  charged to that user, with    the others (mp_user_charge()), own charge in; two racing
 *  no common lock                no ordering needed             charges may both be refused, as
 *                                                               for user->pipe_bufs
 *  READ_ONCE of user_pages_soft  the plain store of a write to  a check made during the write
 *  and user_pages_hard (account  /sys/module/.../parameters,    uses the old limit or the new
 *  .c), at each check            an aligned word                one, and each check only one
 *  READ_ONCE of mp_plain_ops[i]  cmpxchg() of an empty entry    each entry goes from NULL to a
 *  (fops.c), at each splice      in mp_ops_release_plain(),     kernel ops table once and never
 *  into a pipe, no lock          no lock                        changes: a stale NULL only costs
 *                                                               a lookup by name
 *  READ_ONCE of max_size         WRITE_ONCE in its .set         a ring set up or grown during
 *  (pipe.c) in mp_max_slots(),   (mp_max_size_set(), under      the write gets the old cap or
 *  once per creation or growth   kernel_param_lock), an         the new one
 *                                aligned word
 */
struct minipipe {
	struct mutex lock;	/* protects the counts, @user and the fasync lists */
	struct mutex rd_lock;	/* one reader at a time in the ring */
	struct mutex wr_lock;	/* one writer at a time in the ring */
	struct mp_ring ring;
	wait_queue_head_t rd_wait;
	wait_queue_head_t wr_wait;
	wait_queue_head_t open_wait;
	unsigned int readers;
	unsigned int writers;
	unsigned int r_counter;
	unsigned int w_counter;
	unsigned int files;
	refcount_t refs;
	struct fasync_struct *fasync_readers;
	struct fasync_struct *fasync_writers;
	bool poll_used;
	bool anonymous;
	struct mp_user *user;
	char name[MP_NAME_LEN];
	struct mp_stats stats;
};

int mp_pipe_add_file(struct minipipe *pipe);
void mp_pipe_remove_file(struct minipipe *pipe);
int mp_pipe_resize(struct minipipe *pipe, unsigned int nr_slots);
unsigned int mp_pipe_round_slots(unsigned long bytes);

struct minipipe *mp_anon_pipe_create(void);
void mp_anon_pipe_put(struct minipipe *pipe);

int mp_named_pipes_create(unsigned int count);
void mp_named_pipes_destroy(void);
struct minipipe *mp_named_pipe(unsigned int minor);

#endif /* MINIPIPE_PIPE_H */
