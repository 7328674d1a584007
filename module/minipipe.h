/* SPDX-License-Identifier: GPL-2.0 */
/*
 * minipipe — the pipe object, shared by the file operations (fops.c) and
 * the device/instance management (main.c).
 */
#ifndef MINIPIPE_H
#define MINIPIPE_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/wait.h>

#include "ring.h"

/* Room for "minipipe" or "anon" and any unsigned int. */
#define MP_NAME_LEN	20

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
 * @bytes_read:     bytes read since the module was loaded
 * @bytes_written:  bytes written since the module was loaded
 * @wakeups:        wake-ups issued by the pipe (calls to wake_up*)
 *
 * The sleeper counts change outside the pipe's lock, hence atomics.  Each
 * byte total has one writer at a time (bytes_read under rd_lock,
 * bytes_written under wr_lock) and is read by debugfs without those locks:
 * marked stores and loads, which on a 64-bit kernel are never torn.
 */
struct mp_stats {
	atomic_t read_sleepers;
	atomic_t write_sleepers;
	atomic_t open_sleepers;
	u64 bytes_read;
	u64 bytes_written;
	atomic_long_t wakeups;
};

/**
 * struct minipipe - one pipe, the counterpart of fs/pipe.c's pipe_inode_info
 * @lock:      serialises open, release, resize, fasync and debugfs snapshots
 * @rd_lock:   lets one reader at a time into the ring, for a whole read()
 *             except while it sleeps
 * @wr_lock:   lets one writer at a time into the ring, for a whole write()
 *             except while it sleeps
 * @ring:      the buffered data
 * @rd_wait:   readers sleep here until there is data or no writer is left
 * @wr_wait:   writers sleep here until there is a free slot or no reader is left
 * @open_wait: FIFO-style opens sleep here until the other end is opened
 * @readers:   open files that can read
 * @writers:   open files that can write
 * @r_counter: opens for reading so far; a blocked open for writing waits for it to change
 * @w_counter: opens for writing so far; a blocked open for reading waits for it to change
 * @files:     open files of any mode; when the last one closes the data is discarded
 * @refs:      anonymous pipes only: one reference per open file, dropped
 *             after pipe->lock is released; the last frees the pipe
 *             (mp_anon_pipe_put())
 * @fasync_readers: files that asked for SIGIO when data arrives (O_ASYNC)
 * @fasync_writers: files that asked for SIGIO when room appears
 * @poll_used: someone polled this pipe: from then on every write wakes the
 *             readers, so that edge-triggered epoll sees each write
 * @anonymous: created by MINIPIPE_IOC_PIPE2 and freed with its last file
 * @name:      the pipe's name in traces and debugfs: its device name
 *             ("minipipe", "minipipe1", ...) or "anon<serial number>"
 * @stats:     what the debugfs state file shows beyond the ring itself
 *
 * Openers wait on counters rather than on @readers/@writers so that a
 * partner that opens and closes again before the sleeper runs still
 * releases it, as in fifo_open().
 */
struct minipipe {
	struct mutex lock;	/* protects the counts and the fasync lists */
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
	char name[MP_NAME_LEN];
	struct mp_stats stats;
};

/**
 * struct mp_file - what one open file of a minipipe knows (file->private_data)
 * @pipe:           the pipe
 * @w_counter_seen: writer generation this reader has seen; POLLHUP is
 *                  reported only once a writer has come since (see mp_poll())
 */
struct mp_file {
	struct minipipe *pipe;
	unsigned int w_counter_seen;
};

/* The largest capacity anyone may ask for, as F_SETPIPE_SZ: 2^31 bytes. */
#define MP_SIZE_LIMIT	BIT(31)

extern const struct file_operations mp_fops;
extern unsigned int mp_max_size;

/* Longest spin before sleeping that spin_us accepts, in microseconds. */
#define MP_MAX_SPIN_US	1000
extern unsigned int mp_spin_us;

void mp_pipe_init(struct minipipe *pipe, bool anonymous, unsigned int id);
void mp_pipe_destroy(struct minipipe *pipe);
void mp_anon_pipe_put(struct minipipe *pipe);
struct mp_file *mp_file_alloc(struct minipipe *pipe);
void mp_file_attach(struct file *filp);
struct minipipe *mp_named_pipe(dev_t devt);
int mp_control_register(umode_t mode);
void mp_control_unregister(void);
void mp_debugfs_init(struct minipipe *pipes, unsigned int count);
void mp_debugfs_exit(void);

#endif /* MINIPIPE_H */
