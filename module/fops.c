// SPDX-License-Identifier: GPL-2.0
/*
 * minipipe — the file operations: FIFO open, read, write, poll, release.
 *
 * Everything here follows the rules of fs/pipe.c, so that a program sees
 * the same return values, errno, signals and poll masks on /dev/minipipe
 * as on a FIFO.  The data itself lives in the page ring (ring.c); this
 * file decides who may touch it, who sleeps and who is woken.
 *
 * Sleeping and waking, in one picture:
 *
 *   writer                         pipe                        reader
 *   ------                         ----                        ------
 *   ring full? sleep on wr_wait    [####|####|####]            ring empty? sleep on rd_wait
 *   wrote into an empty ring?  --> wake one reader
 *                                  wake one writer <--         drained a slot of a full ring?
 *
 * Both queues use exclusive waits, so one event wakes one sleeper; a
 * sleeper that finds work left over after its turn wakes the next one
 * ("wake next" chaining).  When the last reader or the last writer goes
 * away, everybody on both queues is woken: they all have to see EOF or
 * EPIPE.
 *
 * Locks.  fs/pipe.c has one mutex for everything; minipipe has one per
 * side.  rd_lock lets one reader at a time into the ring and wr_lock one
 * writer at a time, each held for a whole read() or write() except while
 * sleeping, so reads and writes stay as ordered and as atomic as a pipe's.
 * A reader and a writer, though, run side by side: each copies with only
 * its own side's lock held (the ring's spinlock covers the bookkeeping,
 * see ring.h).  pipe->lock is for everything else: open, release, resize,
 * fasync, debugfs.
 */
#include <linux/capability.h>
#include <linux/log2.h>
#include <linux/poll.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/sched/stat.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <asm/ioctls.h>

#include "uapi/minipipe.h"

#include "compat.h"
#include "minipipe.h"
#include "race.h"

#define CREATE_TRACE_POINTS
#include "mp_trace.h"

#define MP_POLL_READABLE	(EPOLLIN | EPOLLRDNORM)
#define MP_POLL_WRITABLE	(EPOLLOUT | EPOLLWRNORM)

static struct minipipe *mp_file_pipe(const struct file *filp)
{
	return ((struct mp_file *)filp->private_data)->pipe;
}

/*
 * The open counts (readers, writers, r_counter, w_counter) change under
 * pipe->lock but are read without it, by poll and the wait conditions:
 * every change is one marked store.
 */
static void mp_count_add(unsigned int *count, int delta)
{
	WRITE_ONCE(*count, *count + delta);
}

/**
 * mp_pipe_init() - initialise a pipe with no file open and no ring yet
 * @pipe:      the pipe
 * @anonymous: true for a pipe created by MINIPIPE_IOC_PIPE2, freed with its
 *             last file; false for a named pipe, which lives as long as the
 *             module
 * @id:        its number: N for /dev/minipipeN (0 for /dev/minipipe), or a
 *             serial number for an anonymous pipe; it makes the pipe's name
 *
 * The ring is allocated by the first open (mp_pipe_get_file()).
 */
void mp_pipe_init(struct minipipe *pipe, bool anonymous, unsigned int id)
{
	mutex_init(&pipe->lock);
	mutex_init(&pipe->rd_lock);
	mutex_init(&pipe->wr_lock);
	/* Once for the pipe's life: debugfs may take it while no ring exists. */
	spin_lock_init(&pipe->ring.lock);
	init_waitqueue_head(&pipe->rd_wait);
	init_waitqueue_head(&pipe->wr_wait);
	init_waitqueue_head(&pipe->open_wait);
	pipe->readers = 0;
	pipe->writers = 0;
	/* Start at 1: a fresh reader's w_counter_seen of 0 then differs (see mp_poll()). */
	pipe->r_counter = 1;
	pipe->w_counter = 1;
	pipe->files = 0;
	refcount_set(&pipe->refs, 0);
	pipe->fasync_readers = NULL;
	pipe->fasync_writers = NULL;
	pipe->poll_used = false;
	pipe->anonymous = anonymous;
	if (anonymous)
		snprintf(pipe->name, sizeof(pipe->name), "anon%u", id);
	else if (id)
		snprintf(pipe->name, sizeof(pipe->name), "minipipe%u", id);
	else
		strscpy(pipe->name, "minipipe", sizeof(pipe->name));
	memset(&pipe->stats, 0, sizeof(pipe->stats));
}

/**
 * mp_pipe_destroy() - undo mp_pipe_init() before the pipe's memory goes
 * @pipe: the pipe, with no file open
 */
void mp_pipe_destroy(struct minipipe *pipe)
{
	mutex_destroy(&pipe->wr_lock);
	mutex_destroy(&pipe->rd_lock);
	mutex_destroy(&pipe->lock);
}

/**
 * mp_anon_pipe_put() - drop an anonymous pipe's reference; the last frees it
 * @pipe: an anonymous pipe (MINIPIPE_IOC_PIPE2)
 *
 * Called after pipe->lock is released, never under it: a mutex may not
 * guard the memory it lives in, since mutex_unlock() can still touch the
 * mutex after the next owner got in (Documentation/locking/mutex-design.rst).
 * With one reference per file, each dropped by a release that has finished
 * with the mutex, the last release frees a pipe nobody is touching.
 */
void mp_anon_pipe_put(struct minipipe *pipe)
{
	if (refcount_dec_and_test(&pipe->refs)) {
		mp_pipe_destroy(pipe);
		kfree(pipe);
	}
}

/* One file more; the first one allocates the ring.  Returns 0 or -ENOMEM. */
static int mp_pipe_get_file(struct minipipe *pipe)
{
	int ret;

	lockdep_assert_held(&pipe->lock);
	if (!pipe->files) {
		ret = mp_ring_init(&pipe->ring, MP_RING_DEFAULT_SLOTS);
		if (ret)
			return ret;
	}
	pipe->files++;
	return 0;
}

/*
 * One file fewer.  With the last one the data goes: a FIFO forgets its
 * content and its size.  (The memory of an anonymous pipe is its
 * references' business: mp_anon_pipe_put().)
 */
static void mp_pipe_put_file(struct minipipe *pipe)
{
	lockdep_assert_held(&pipe->lock);
	if (--pipe->files)
		return;
	mp_ring_destroy(&pipe->ring);
	pipe->poll_used = false;
}

/*
 * A reader leaves.  The last one waits for a write in progress, as in
 * fs/pipe.c, whose pipe_release() waits for the pipe mutex: readers never
 * drops to 0 while wr_lock is held, and wr_lock is held for a whole
 * write() except while it sleeps, so only a writer that has to wait for
 * room can see the readers gone; a write that fits is never cut short by
 * EPIPE.  The wait is short: with no reader left to drain, the writer
 * fills the ring and drops wr_lock to sleep.  Other readers go at once.
 */
static void mp_drop_reader(struct minipipe *pipe)
{
	lockdep_assert_held(&pipe->lock);
	if (pipe->readers > 1) {
		mp_count_add(&pipe->readers, -1);
		return;
	}
	mutex_lock(&pipe->wr_lock);
	mp_count_add(&pipe->readers, -1);
	mutex_unlock(&pipe->wr_lock);
}

/**
 * mp_file_alloc() - the private data of a new open file of @pipe
 * @pipe: the pipe
 *
 * Return: the new mp_file, or NULL.
 */
struct mp_file *mp_file_alloc(struct minipipe *pipe)
{
	struct mp_file *file = kzalloc(sizeof(*file), GFP_KERNEL);

	if (file)
		file->pipe = pipe;
	return file;
}

/**
 * mp_file_attach() - give a new file of a pipe the file modes of a pipe's
 * @filp: the file, whose private_data is its mp_file
 */
void mp_file_attach(struct file *filp)
{
	/* No file position: lseek, pread and pwrite fail with ESPIPE. */
	stream_open(file_inode(filp), filp);
	/* Packet mode can be switched on later with fcntl(F_SETFL, O_DIRECT). */
	filp->f_mode |= FMODE_CAN_ODIRECT;
}

/* Lockless wait conditions: re-checked under the lock after waking. */
static bool mp_readable(const struct minipipe *pipe)
{
	return mp_ring_unread(&pipe->ring) || !READ_ONCE(pipe->writers);
}

static bool mp_writable(const struct minipipe *pipe)
{
	return !mp_ring_full_lockless(&pipe->ring) || !READ_ONCE(pipe->readers);
}

/*
 * The wake-up after a read or a write, counted for debugfs.  Most of them
 * find no one asleep (the other side is running, or spinning in
 * mp_spin_wait()), and then skip the wait queue's lock: wq_has_sleeper()'s
 * barrier pairs with the one in prepare_to_wait(), so a sleeper either is
 * seen here or sees our ring update before it sleeps.
 */
static void mp_wake(struct minipipe *pipe, wait_queue_head_t *queue, __poll_t key)
{
	if (!wq_has_sleeper(queue))
		return;
	atomic_long_inc(&pipe->stats.wakeups);
	wake_up_interruptible_sync_poll(queue, key);
}

static void mp_wake_one(struct minipipe *pipe, wait_queue_head_t *queue)
{
	atomic_long_inc(&pipe->stats.wakeups);
	wake_up_interruptible(queue);
}

static void mp_wake_all(struct minipipe *pipe, wait_queue_head_t *queue)
{
	atomic_long_inc(&pipe->stats.wakeups);
	wake_up_interruptible_all(queue);
}

/* Around every sleep: counted for debugfs, traced for the course. */
static void mp_sleep_begin(struct minipipe *pipe, atomic_t *sleepers, enum mp_queue queue)
{
	atomic_inc(sleepers);
	trace_minipipe_sleep(pipe, queue, 0);
}

static void mp_sleep_end(struct minipipe *pipe, atomic_t *sleepers, enum mp_queue queue,
			 int result)
{
	trace_minipipe_wake(pipe, queue, result);
	atomic_dec(sleepers);
}

/*
 * Spin a moment before sleeping.  When the other side runs on another CPU,
 * what we wait for (bytes, or room) usually comes within microseconds,
 * and a sleep would cost both CPUs a trip through the scheduler and an
 * inter-processor wake-up.  fs/pipe.c gets some of this for free: its
 * reader spins on the mutex while the writer holds it (mutex optimistic
 * spinning); with one lock per side there is no such wait, hence this one.
 * Bounded by spin_us, and cut short as soon as another task wants this CPU
 * or a signal comes.  Returns true if the wait ended while spinning.
 */
static bool mp_spin_wait(struct minipipe *pipe, enum mp_queue queue)
{
	unsigned int spin_us = READ_ONCE(mp_spin_us);
	u64 deadline;

	if (!spin_us || num_online_cpus() < 2)
		return false;
	deadline = local_clock() + (u64)spin_us * NSEC_PER_USEC;
	for (;;) {
		if (queue == MP_QUEUE_READ ? mp_readable(pipe) : mp_writable(pipe))
			return true;
		if (need_resched() || !single_task_running() || signal_pending(current) ||
		    local_clock() > deadline)
			return false;
		cpu_relax();
	}
}

static bool mp_nonblocking(const struct kiocb *iocb)
{
	return (iocb->ki_filp->f_flags & O_NONBLOCK) || (iocb->ki_flags & IOCB_NOWAIT);
}

static ssize_t mp_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct file *filp = iocb->ki_filp;
	struct minipipe *pipe = mp_file_pipe(filp);
	bool wake_writer = false, wake_next_reader = false;
	bool packet, made_room;
	size_t asked = iov_iter_count(to);
	ssize_t ret = 0, chars;
	int err;

	/* A zero-length read returns at once, even on an empty pipe. */
	if (!asked)
		return 0;

	mutex_lock(&pipe->rd_lock);
	for (;;) {
		while (iov_iter_count(to)) {
			chars = mp_ring_pull(&pipe->ring, to, &packet, &made_room);
			if (chars < 0) {
				if (!ret)
					ret = chars;
				goto out;
			}
			if (!chars)
				break;
			ret += chars;
			/* Only a full -> not full transition can unblock a writer. */
			if (made_room)
				wake_writer = true;
			/* In packet mode a read returns at most one packet. */
			if (packet)
				goto out;
		}
		/* Never wait once we have something: partial reads are fine. */
		if (ret)
			break;
		/*
		 * No writer left: EOF, unless the last writer's data arrived
		 * after we found the ring empty.  The acquire pairs with the
		 * release in mp_release(), so that data is visible here.
		 */
		if (!smp_load_acquire(&pipe->writers)) {
			if (mp_ring_unread(&pipe->ring))
				continue;
			trace_minipipe_eof(pipe);
			break;
		}
		if (mp_nonblocking(iocb)) {
			ret = -EAGAIN;
			break;
		}
		mutex_unlock(&pipe->rd_lock);
		if (!mp_spin_wait(pipe, MP_QUEUE_READ)) {
			mp_sleep_begin(pipe, &pipe->stats.read_sleepers, MP_QUEUE_READ);
			err = wait_event_interruptible_exclusive(pipe->rd_wait,
								 mp_readable(pipe));
			mp_sleep_end(pipe, &pipe->stats.read_sleepers, MP_QUEUE_READ, err);
			/*
			 * Nothing was read, so nothing needs undoing: an interrupted read
			 * returns -ERESTARTSYS (EINTR, or a restart with SA_RESTART).
			 */
			if (err) {
				trace_minipipe_read(pipe, asked, err);
				return err;
			}
			wake_next_reader = true;
		}
		mutex_lock(&pipe->rd_lock);
	}
out:
	/* We slept for data and left some: the next sleeping reader can have it. */
	if (!mp_ring_unread(&pipe->ring))
		wake_next_reader = false;
	/* Only readers add, one at a time (rd_lock); debugfs reads it locklessly. */
	if (ret > 0)
		WRITE_ONCE(pipe->stats.bytes_read, pipe->stats.bytes_read + ret);
	trace_minipipe_read(pipe, asked, ret);
	mutex_unlock(&pipe->rd_lock);

	if (wake_writer)
		mp_wake(pipe, &pipe->wr_wait, MP_POLL_WRITABLE);
	if (wake_next_reader)
		mp_wake(pipe, &pipe->rd_wait, MP_POLL_READABLE);
	kill_fasync(&pipe->fasync_writers, SIGIO, POLL_OUT);
	/* Timestamps are a FIFO's; anonymous pipes keep theirs fixed (v6.15+). */
	if (ret > 0 && !pipe->anonymous)
		file_accessed(filp);
	return ret;
}

/* mtime/ctime follow writes, as on a FIFO; never worth sleeping for. */
static void mp_update_time(struct file *filp)
{
	struct inode *inode = file_inode(filp);
	struct super_block *sb = inode->i_sb;
	struct timespec64 now = current_time(inode);
	struct timespec64 mtime, ctime;

	/*
	 * The clock behind current_time() moves once per tick: most writes
	 * find the times already set to now, the test file_update_time()
	 * makes too, but here before taking the superblock's write counter.
	 * The look is lockless, as file_update_time()'s own: another writer
	 * of this node may be setting the times (after its wr_lock).  A torn
	 * or stale value can only differ from now, and then costs one call
	 * of file_update_time(), which takes the inode's own care.
	 */
	mtime = data_race(mp_inode_mtime(inode));
	/* Set together with mtime by file_update_time(): the same reasoning. */
	ctime = data_race(mp_inode_ctime(inode));
	if (timespec64_equal(&now, &mtime) && timespec64_equal(&now, &ctime))
		return;
	if (sb_start_write_trylock(sb)) {
		file_update_time(filp);
		sb_end_write(sb);
	}
}

/* Only writers add, one at a time (wr_lock); debugfs reads it locklessly. */
static void mp_stats_add_written(struct minipipe *pipe, size_t chars)
{
	WRITE_ONCE(pipe->stats.bytes_written, pipe->stats.bytes_written + chars);
}

static ssize_t mp_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct file *filp = iocb->ki_filp;
	struct minipipe *pipe = mp_file_pipe(filp);
	unsigned int slot_flags = filp->f_flags & O_DIRECT ? MP_SLOT_PACKET : MP_SLOT_CAN_MERGE;
	bool wake_reader = false, wake_next_writer = false, was_empty = false;
	bool made_room = false;
	size_t asked = iov_iter_count(from);
	ssize_t ret = 0, chars;
	int err;

	/* A zero-length write returns 0: no EPIPE, no SIGPIPE, no wake-up. */
	if (!asked)
		return 0;

	mutex_lock(&pipe->wr_lock);
	if (!READ_ONCE(pipe->readers)) {
		trace_minipipe_epipe(pipe);
		send_sig(SIGPIPE, current, 0);
		ret = -EPIPE;
		goto out;
	}

	/*
	 * The first (length % PAGE_SIZE) bytes may join the last slot.  Merging
	 * is all or nothing, which with "one slot per page" below is what makes
	 * a write of up to PIPE_BUF bytes atomic.  Whether they may join is the
	 * last slot's business: even a packet write's head joins a stream slot,
	 * as in pipe_write().
	 */
	ret = mp_ring_merge(&pipe->ring, from, asked % PAGE_SIZE, &wake_reader, &made_room);
	if (ret > 0)
		mp_stats_add_written(pipe, ret);
	if (ret < 0 || !iov_iter_count(from))
		goto out;

	for (;;) {
		if (!READ_ONCE(pipe->readers)) {
			/* The readers left while we slept for room: short count and SIGPIPE. */
			trace_minipipe_epipe(pipe);
			send_sig(SIGPIPE, current, 0);
			if (!ret)
				ret = -EPIPE;
			break;
		}
		chars = mp_ring_push(&pipe->ring, from, slot_flags, &was_empty);
		if (chars < 0) {
			if (!ret)
				ret = chars;
			break;
		}
		if (chars) {
			/* Readers sleep only on an empty ring: wake them if we filled one. */
			wake_reader |= was_empty;
			ret += chars;
			mp_stats_add_written(pipe, chars);
			if (!iov_iter_count(from))
				break;
			continue;
		}
		/* Full, and more to write. */
		if (mp_nonblocking(iocb)) {
			if (!ret)
				ret = -EAGAIN;
			break;
		}
		/* Checked only before sleeping: a write that fits is never cut short. */
		if (signal_pending(current)) {
			if (!ret)
				ret = -ERESTARTSYS;
			break;
		}
		mutex_unlock(&pipe->wr_lock);
		/* Let the readers make room before we sleep. */
		if (wake_reader)
			mp_wake(pipe, &pipe->rd_wait, MP_POLL_READABLE);
		wake_reader = false;
		kill_fasync(&pipe->fasync_readers, SIGIO, POLL_IN);
		if (!mp_spin_wait(pipe, MP_QUEUE_WRITE)) {
			mp_sleep_begin(pipe, &pipe->stats.write_sleepers, MP_QUEUE_WRITE);
			/* A signal is noticed by the signal_pending() test above. */
			err = wait_event_interruptible_exclusive(pipe->wr_wait,
								 mp_writable(pipe));
			mp_sleep_end(pipe, &pipe->stats.write_sleepers, MP_QUEUE_WRITE, err);
			wake_next_writer = true;
		}
		mutex_lock(&pipe->wr_lock);
	}
out:
	/*
	 * We slept for room and left some, or a failed merge gave back a slot
	 * of a full ring: a sleeping writer can have it.
	 */
	if (made_room)
		wake_next_writer = true;
	if (mp_ring_full_lockless(&pipe->ring))
		wake_next_writer = false;
	trace_minipipe_write(pipe, asked, ret);
	mutex_unlock(&pipe->wr_lock);

	/*
	 * Wake the readers if we filled an empty ring, or if someone polls:
	 * edge-triggered epoll must see every write.
	 */
	if (wake_reader || READ_ONCE(pipe->poll_used))
		mp_wake(pipe, &pipe->rd_wait, MP_POLL_READABLE);
	kill_fasync(&pipe->fasync_readers, SIGIO, POLL_IN);
	if (wake_next_writer)
		mp_wake(pipe, &pipe->wr_wait, MP_POLL_WRITABLE);
	if (ret > 0 && !pipe->anonymous)
		mp_update_time(filp);
	return ret;
}

static __poll_t mp_poll(struct file *filp, poll_table *wait)
{
	struct mp_file *file = filp->private_data;
	struct minipipe *pipe = file->pipe;
	unsigned int w_counter;
	__poll_t mask = 0;

	WRITE_ONCE(pipe->poll_used, true);
	if (filp->f_mode & FMODE_READ)
		poll_wait(filp, &pipe->rd_wait, wait);
	if (filp->f_mode & FMODE_WRITE)
		poll_wait(filp, &pipe->wr_wait, wait);
	/*
	 * Pairs with the barrier in mp_wake()'s wq_has_sleeper(): either the
	 * waker sees our wait entry, or we see its ring update below.
	 */
	smp_mb();

	/*
	 * No lock.  Each bit is true of some instant after poll_wait(), and a
	 * change after that instant wakes the queue the caller is on: a mask
	 * stale by one event is fine.  A bit made of two fields is the one
	 * place that needs care (POLLHUP, below); POLLOUT's head and tail come
	 * from one snapshot.
	 */
	if (filp->f_mode & FMODE_READ) {
		if (mp_ring_unread(&pipe->ring))
			mask |= MP_POLL_READABLE;
		/*
		 * No writer.  A reader that opened with O_NONBLOCK while no
		 * writer was there sees POLLHUP only once a writer has come
		 * (and gone) since: an empty FIFO is not "hung up" before
		 * anyone has used it.  Two fields, so their order matters: a
		 * writer's open counts itself in writers before it moves
		 * w_counter (release), so a w_counter seen moved (acquire)
		 * brings that writer along, and "no writer, yet one came"
		 * is never made of two different moments.
		 */
		w_counter = smp_load_acquire(&pipe->w_counter);
		if (!READ_ONCE(pipe->writers) && file->w_counter_seen != w_counter)
			mask |= EPOLLHUP;
	}
	if (filp->f_mode & FMODE_WRITE) {
		if (!mp_ring_full_lockless(&pipe->ring))
			mask |= MP_POLL_WRITABLE;
		if (!READ_ONCE(pipe->readers))
			mask |= EPOLLERR;
	}
	return mask;
}

/*
 * F_SETPIPE_SZ's rules: round up to a power of two pages, at least one;
 * more than 2^31 bytes is EINVAL; growing past max_size needs
 * CAP_SYS_RESOURCE; the unread data must fit in the new number of slots.
 */
static long mp_set_size(struct minipipe *pipe, unsigned long bytes)
{
	unsigned int nr_slots, old_slots;
	long ret;

	if (bytes > MP_SIZE_LIMIT)
		return -EINVAL;
	nr_slots = bytes <= PAGE_SIZE ? 1 : roundup_pow_of_two(bytes) >> PAGE_SHIFT;

	/* Resizing moves the slots: no reader or writer may be in the ring. */
	mutex_lock(&pipe->lock);
	mutex_lock(&pipe->wr_lock);
	mutex_lock(&pipe->rd_lock);
	old_slots = pipe->ring.nr_slots;
	if (nr_slots > old_slots && (u64)nr_slots * PAGE_SIZE > mp_max_size &&
	    !capable(CAP_SYS_RESOURCE))
		ret = -EPERM;
	else
		ret = mp_ring_resize(&pipe->ring, nr_slots);
	if (!ret)
		ret = (long)nr_slots * PAGE_SIZE;
	trace_minipipe_resize(pipe, old_slots, ret);
	mutex_unlock(&pipe->rd_lock);
	mutex_unlock(&pipe->wr_lock);
	mutex_unlock(&pipe->lock);
	/* More room may unblock a writer. */
	if (ret > 0)
		mp_wake_one(pipe, &pipe->wr_wait);
	return ret;
}

static long mp_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct minipipe *pipe = mp_file_pipe(filp);
	int bytes;

	switch (cmd) {
	case MINIPIPE_IOC_GET_SIZE:
		return READ_ONCE(pipe->ring.nr_slots) * PAGE_SIZE;
	case MINIPIPE_IOC_SET_SIZE:
		return mp_set_size(pipe, arg);
	case FIONREAD:
		bytes = mp_ring_unread(&pipe->ring);
		return put_user(bytes, (int __user *)arg);
	default:
		/* The VFS turns this into ENOTTY, as for a pipe. */
		return -ENOIOCTLCMD;
	}
}

static int mp_fasync(int fd, struct file *filp, int on)
{
	struct minipipe *pipe = mp_file_pipe(filp);
	int ret = 0;

	mutex_lock(&pipe->lock);
	if (filp->f_mode & FMODE_READ)
		ret = fasync_helper(fd, filp, on, &pipe->fasync_readers);
	if (ret >= 0 && (filp->f_mode & FMODE_WRITE)) {
		ret = fasync_helper(fd, filp, on, &pipe->fasync_writers);
		/* Do not stay half registered when the second list failed. */
		if (ret < 0 && (filp->f_mode & FMODE_READ))
			fasync_helper(-1, filp, 0, &pipe->fasync_readers);
	}
	mutex_unlock(&pipe->lock);
	return ret < 0 ? ret : 0;
}

/*
 * Sleep until @counter moves past the value it has now, with the pipe's
 * lock dropped.  Returns 0, or -ERESTARTSYS if a signal came first.
 */
static int mp_wait_for_partner(struct minipipe *pipe, unsigned int *counter)
{
	unsigned int seen = *counter;
	int ret;

	lockdep_assert_held(&pipe->lock);
	mutex_unlock(&pipe->lock);
	mp_sleep_begin(pipe, &pipe->stats.open_sleepers, MP_QUEUE_OPEN);
	ret = wait_event_interruptible(pipe->open_wait, READ_ONCE(*counter) != seen);
	mp_sleep_end(pipe, &pipe->stats.open_sleepers, MP_QUEUE_OPEN, ret);
	mutex_lock(&pipe->lock);
	/* The partner may have come while the signal was being delivered. */
	return *counter != seen ? 0 : ret;
}

/* A reader or writer arrived: release the openers waiting for one. */
static void mp_wake_partner(struct minipipe *pipe)
{
	mp_wake_all(pipe, &pipe->open_wait);
}

/*
 * One writer more.  It counts itself in writers before it moves w_counter,
 * with a release that pairs with the acquire in mp_poll(): a poller that
 * sees the new w_counter sees this writer too.
 */
static void mp_add_writer(struct minipipe *pipe)
{
	lockdep_assert_held(&pipe->lock);
	mp_count_add(&pipe->writers, 1);
	/* Pairs with the acquire in mp_poll(): writers first, then w_counter. */
	smp_store_release(&pipe->w_counter, pipe->w_counter + 1);
}

/*
 * FIFO-style open, as fifo_open(): O_RDONLY waits for a writer, O_WRONLY
 * for a reader, O_RDWR never waits; O_WRONLY|O_NONBLOCK without a reader
 * fails with ENXIO before touching anything.
 */
static int mp_open(struct inode *inode, struct file *filp)
{
	struct minipipe *pipe = mp_named_pipe(inode->i_rdev);
	struct mp_file *file;
	int ret;

	/* Like a FIFO: O_DIRECT at open time is refused. */
	if (filp->f_flags & O_DIRECT)
		return -EINVAL;
	file = mp_file_alloc(pipe);
	if (!file)
		return -ENOMEM;
	filp->private_data = file;
	mp_file_attach(filp);

	mutex_lock(&pipe->lock);
	ret = mp_pipe_get_file(pipe);
	if (ret)
		goto unlock;
	switch (filp->f_mode & (FMODE_READ | FMODE_WRITE)) {
	case FMODE_READ:
		mp_count_add(&pipe->r_counter, 1);
		mp_count_add(&pipe->readers, 1);
		if (pipe->readers == 1)
			mp_wake_partner(pipe);
		if (!pipe->writers) {
			if (filp->f_flags & O_NONBLOCK)
				file->w_counter_seen = pipe->w_counter;
			else if (mp_wait_for_partner(pipe, &pipe->w_counter))
				goto undo_reader;
		}
		break;
	case FMODE_WRITE:
		if (!pipe->readers && (filp->f_flags & O_NONBLOCK)) {
			ret = -ENXIO;
			goto undo_file;
		}
		mp_add_writer(pipe);
		if (pipe->writers == 1)
			mp_wake_partner(pipe);
		if (!pipe->readers && mp_wait_for_partner(pipe, &pipe->r_counter))
			goto undo_writer;
		break;
	case FMODE_READ | FMODE_WRITE:
		/* Reader and writer at once: never waits. */
		mp_count_add(&pipe->r_counter, 1);
		mp_count_add(&pipe->readers, 1);
		mp_add_writer(pipe);
		if (pipe->readers == 1 || pipe->writers == 1)
			mp_wake_partner(pipe);
		break;
	default:
		ret = -EINVAL;
		goto undo_file;
	}
	trace_minipipe_open(pipe, filp->f_mode);
	mutex_unlock(&pipe->lock);
	return 0;

undo_reader:
	/* A writer blocked in write() must now see that no reader is left. */
	mp_drop_reader(pipe);
	if (!pipe->readers)
		mp_wake_one(pipe, &pipe->wr_wait);
	ret = -ERESTARTSYS;
	goto undo_file;
undo_writer:
	mp_count_add(&pipe->writers, -1);
	if (!pipe->writers)
		mp_wake_all(pipe, &pipe->rd_wait);
	ret = -ERESTARTSYS;
undo_file:
	mp_pipe_put_file(pipe);
unlock:
	mutex_unlock(&pipe->lock);
	kfree(file);
	return ret;
}

static int mp_release(struct inode *inode, struct file *filp)
{
	struct mp_file *file = filp->private_data;
	struct minipipe *pipe = file->pipe;

	mutex_lock(&pipe->lock);
	if (filp->f_mode & FMODE_READ)
		mp_drop_reader(pipe);
	if (filp->f_mode & FMODE_WRITE)
		/* Pairs with the acquire in mp_read_iter(): our writes are seen before EOF. */
		smp_store_release(&pipe->writers, pipe->writers - 1);
	trace_minipipe_release(pipe, filp->f_mode);
	/*
	 * One side just vanished while the other remains: every sleeper on
	 * both sides must wake to see EOF or EPIPE (LTP pipe13).
	 */
	if (!pipe->readers != !pipe->writers) {
		mp_wake_all(pipe, &pipe->rd_wait);
		mp_wake_all(pipe, &pipe->wr_wait);
		kill_fasync(&pipe->fasync_readers, SIGIO, POLL_IN);
		kill_fasync(&pipe->fasync_writers, SIGIO, POLL_OUT);
	}
	mp_pipe_put_file(pipe);
	/* mutex_unlock(), and a race window of debug builds (race.h). */
	mp_race_mutex_unlock(&pipe->lock, MP_RACE_RELEASE_UNLOCK);
	kfree(file);
	if (pipe->anonymous)
		mp_anon_pipe_put(pipe);
	return 0;
}

const struct file_operations mp_fops = {
	.owner		= THIS_MODULE,
	.open		= mp_open,
	.release	= mp_release,
	.read_iter	= mp_read_iter,
	.write_iter	= mp_write_iter,
	.poll		= mp_poll,
	.unlocked_ioctl	= mp_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.fasync		= mp_fasync,
	.splice_read	= mp_splice_read,
	.splice_write	= iter_file_splice_write,
};
