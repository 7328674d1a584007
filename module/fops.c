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
 * waiting (spinning or sleeping) for the other side, so reads and writes
 * stay as ordered and as atomic as a pipe's.
 * A reader and a writer, though, run side by side: each copies with only
 * its own side's lock held (the ring's spinlock covers the bookkeeping,
 * see ring.h).  pipe->lock is for everything else: open, release, resize,
 * fasync, debugfs.
 */
#include <linux/bvec.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pipe_fs_i.h>
#include <linux/poll.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/sched/stat.h>
#include <linux/slab.h>
#include <linux/splice.h>
#include <linux/uaccess.h>

#include <asm/ioctls.h>

#include "uapi/minipipe.h"

#include "compat.h"
#include "fops.h"
#include "race.h"

#define CREATE_TRACE_POINTS
#include "mp_trace.h"

#define MP_POLL_READABLE	(EPOLLIN | EPOLLRDNORM)
#define MP_POLL_WRITABLE	(EPOLLOUT | EPOLLWRNORM)

/* Longest spin before sleeping that spin_us accepts, in microseconds. */
#define MP_MAX_SPIN_US	1000

/* Writable at run time: read once per wait (mp_spin_wait()). */
static unsigned int mp_spin_us = 50;

static int mp_spin_us_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, MP_MAX_SPIN_US);
}

static const struct kernel_param_ops mp_spin_us_ops = {
	.set = mp_spin_us_set,
	.get = param_get_uint,
};
module_param_cb(spin_us, &mp_spin_us_ops, &mp_spin_us, 0644);
MODULE_PARM_DESC(spin_us, "How long a reader or writer spins for the other side before it sleeps, in microseconds (0-1000, 0: never spin, default 50)");

static struct minipipe *mp_file_pipe(const struct file *filp)
{
	return ((struct mp_file_priv *)filp->private_data)->pipe;
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

/* One reader more: a blocked open for writing waits for r_counter to move. */
static void mp_add_reader(struct minipipe *pipe)
{
	lockdep_assert_held(&pipe->lock);
	mp_count_add(&pipe->r_counter, 1);
	mp_count_add(&pipe->readers, 1);
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
 * A reader leaves.  The last one waits for a write in progress, as in
 * fs/pipe.c, whose pipe_release() waits for the pipe mutex: readers never
 * drops to 0 while wr_lock is held, and wr_lock is held for a whole
 * write() except while it waits for room, so only a writer that has to
 * wait can see the readers gone; a write that fits is never cut short by
 * EPIPE.  The wait is short: with no reader left to drain, the writer
 * fills the ring and drops wr_lock to wait.  Other readers go at once.
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

static struct mp_file_priv *mp_priv_alloc(struct minipipe *pipe)
{
	struct mp_file_priv *priv = kzalloc(sizeof(*priv), GFP_KERNEL);

	if (priv)
		priv->pipe = pipe;
	return priv;
}

/* A new file of a pipe gets the file modes of a pipe's. */
static void mp_file_setup(struct file *filp)
{
	/* No file position: lseek, pread and pwrite fail with ESPIPE. */
	stream_open(file_inode(filp), filp);
	/* Packet mode can be switched on later with fcntl(F_SETFL, O_DIRECT). */
	filp->f_mode |= FMODE_CAN_ODIRECT;
}

/*
 * Wake-ups.  Most find no one asleep (the other side is running, or
 * spinning in mp_spin_wait()) and then skip the wait queue and its lock:
 * wq_has_sleeper()'s barrier pairs with the one a sleeper passes in
 * prepare_to_wait() and with mp_poll()'s smp_mb(), so a sleeper either is
 * seen here or sees, before it sleeps, the update made before the call.
 * The wakeups counter counts the wake-ups issued to a queue with an entry
 * (a poller whose events do not match the key is then not woken).
 *
 * Wake one task sleeping in read() or write() (their waits are exclusive)
 * and the pollers waiting for @key, if anyone sleeps on @queue.
 */
static void mp_wake_one_if_sleeping(struct minipipe *pipe, wait_queue_head_t *queue,
				    __poll_t key)
{
	if (!wq_has_sleeper(queue))
		return;
	atomic_long_inc(&pipe->stats.wakeups);
	wake_up_interruptible_sync_poll(queue, key);
}

/* Wake every task sleeping on @queue: all of them have something to see. */
static void mp_wake_all_if_sleeping(struct minipipe *pipe, wait_queue_head_t *queue)
{
	if (!wq_has_sleeper(queue))
		return;
	atomic_long_inc(&pipe->stats.wakeups);
	wake_up_interruptible_all(queue);
}

/* Lockless wait conditions, as pipe_readable()/pipe_writable(): re-checked after waking. */
static bool mp_readable(const struct minipipe *pipe)
{
	return mp_ring_unread(&pipe->ring) || !READ_ONCE(pipe->writers);
}

static bool mp_writable(const struct minipipe *pipe)
{
	return !mp_ring_full_lockless(&pipe->ring) || !READ_ONCE(pipe->readers);
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
	bool ready;
	u64 deadline;

	if (!spin_us || num_online_cpus() < 2)
		return false;
	deadline = local_clock() + (u64)spin_us * NSEC_PER_USEC;
	for (;;) {
		ready = queue == MP_QUEUE_READ ? mp_readable(pipe) : mp_writable(pipe);
		if (ready || need_resched() || !single_task_running() ||
		    signal_pending(current) || local_clock() > deadline)
			break;
		cpu_relax();
	}
	trace_minipipe_spin(pipe, queue, ready);
	return ready;
}

/* How a wait for the other side ended, if not by a signal. */
enum mp_wait_end {
	MP_WAIT_SPUN,	/* while spinning: no one had to wake us */
	MP_WAIT_SLEPT,	/* went to wait_event(): woken, or the condition was true by then */
};

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
 * A reader's wait for data or for the last writer to go, with rd_lock
 * dropped: spin, then sleep as pipe_read() does, on an exclusive wait so
 * that one write wakes one reader.  Not exclusive for a tee or a splice
 * between minipipes, which may find nothing to take after waking (another
 * reader was first): as ipipe_prep() does, it must not take the one
 * wake-up a reader asleep beside it needs.  Returns an mp_wait_end, or
 * -ERESTARTSYS if a signal came.
 */
static int mp_wait_readable(struct minipipe *pipe, bool exclusive)
{
	int err;

	if (mp_spin_wait(pipe, MP_QUEUE_READ)) {
		atomic_long_inc(&pipe->stats.read_spins);
		return MP_WAIT_SPUN;
	}
	mp_sleep_begin(pipe, &pipe->stats.read_sleepers, MP_QUEUE_READ);
	if (exclusive)
		err = wait_event_interruptible_exclusive(pipe->rd_wait, mp_readable(pipe));
	else
		err = wait_event_interruptible(pipe->rd_wait, mp_readable(pipe));
	mp_sleep_end(pipe, &pipe->stats.read_sleepers, MP_QUEUE_READ, err);
	return err ?: MP_WAIT_SLEPT;
}

/*
 * The same for a writer, waiting for room or for the last reader to go.
 * Exclusive for write(), which then passes on room it leaves; not for a
 * splice, which waits for room before it looks at its source again and
 * may then find nothing to write: as opipe_prep() does, it must not take
 * the one wake-up that a writer asleep beside it needs.
 */
static int mp_wait_writable(struct minipipe *pipe, bool exclusive)
{
	int err;

	if (mp_spin_wait(pipe, MP_QUEUE_WRITE)) {
		atomic_long_inc(&pipe->stats.write_spins);
		return MP_WAIT_SPUN;
	}
	mp_sleep_begin(pipe, &pipe->stats.write_sleepers, MP_QUEUE_WRITE);
	if (exclusive)
		err = wait_event_interruptible_exclusive(pipe->wr_wait, mp_writable(pipe));
	else
		err = wait_event_interruptible(pipe->wr_wait, mp_writable(pipe));
	mp_sleep_end(pipe, &pipe->stats.write_sleepers, MP_QUEUE_WRITE, err);
	return err ?: MP_WAIT_SLEPT;
}

static bool mp_nonblocking(const struct kiocb *iocb)
{
	return (iocb->ki_filp->f_flags & O_NONBLOCK) || (iocb->ki_flags & IOCB_NOWAIT);
}

/* Only readers add, one at a time (rd_lock); debugfs reads it locklessly. */
static void mp_stats_add_read(struct minipipe *pipe, size_t chars)
{
	WRITE_ONCE(pipe->stats.bytes_read, pipe->stats.bytes_read + chars);
}

/*
 * Whether read() and write() set the inode's times: always for a named
 * pipe, as for a FIFO; for an anonymous one as pipe(2) on this kernel
 * (docs/semantics.md R20, R42).
 */
static bool mp_pipe_sets_times(const struct minipipe *pipe)
{
	return !pipe->anonymous || MP_ANON_PIPE_TIMES;
}

/*
 * How a read takes bytes out of the ring: mp_ring_pull() into an
 * iov_iter (read()), or mp_ring_lend() into a kernel pipe (splice).  Same
 * results as those: bytes taken, 0 if there is nothing (more) to take, or
 * an error.
 */
typedef ssize_t (*mp_take_fn)(struct minipipe *pipe, void *dest, size_t max, bool *packet,
			      bool *made_room);

/*
 * The body of every read out of the pipe: take up to @wanted bytes with
 * @take, waiting first for the first byte unless @nonblock, as pipe_read()
 * does; with @one_packet, stop after a packet (read() in packet mode).
 * Returns the bytes taken, 0 at end of file, or an error.
 */
static ssize_t mp_read_common(struct file *filp, size_t wanted, bool nonblock, bool one_packet,
			      mp_take_fn take, void *dest)
{
	struct minipipe *pipe = mp_file_pipe(filp);
	bool wake_writer = false, wake_next_reader = false;
	bool packet, made_room;
	ssize_t ret = 0, chars;
	int waited;

	mutex_lock(&pipe->rd_lock);
	for (;;) {
		while ((size_t)ret < wanted) {
			made_room = false;
			chars = take(pipe, dest, wanted - ret, &packet, &made_room);
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
			if (packet && one_packet)
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
		if (nonblock) {
			ret = -EAGAIN;
			break;
		}
		mutex_unlock(&pipe->rd_lock);
		waited = mp_wait_readable(pipe, true);
		/*
		 * Nothing was read, so nothing needs undoing: an interrupted read
		 * returns -ERESTARTSYS (EINTR, or a restart with SA_RESTART).
		 */
		if (waited < 0) {
			trace_minipipe_read(pipe, wanted, waited);
			return waited;
		}
		/* Perhaps woken as the one reader: what we leave is the next one's. */
		if (waited == MP_WAIT_SLEPT)
			wake_next_reader = true;
		mutex_lock(&pipe->rd_lock);
	}
out:
	/* We slept for data and left some: the next sleeping reader can have it. */
	if (!mp_ring_unread(&pipe->ring))
		wake_next_reader = false;
	if (ret > 0)
		mp_stats_add_read(pipe, ret);
	trace_minipipe_read(pipe, wanted, ret);
	mutex_unlock(&pipe->rd_lock);

	if (wake_writer)
		mp_wake_one_if_sleeping(pipe, &pipe->wr_wait, MP_POLL_WRITABLE);
	if (wake_next_reader)
		mp_wake_one_if_sleeping(pipe, &pipe->rd_wait, MP_POLL_READABLE);
	kill_fasync(&pipe->fasync_writers, SIGIO, POLL_OUT);
	if (ret > 0 && mp_pipe_sets_times(pipe))
		file_accessed(filp);
	return ret;
}

/* read(): copy into the user's buffer; the iterator knows how much is left. */
static ssize_t mp_take_copy(struct minipipe *pipe, void *dest, size_t max, bool *packet,
			    bool *made_room)
{
	return mp_ring_pull(&pipe->ring, dest, packet, made_room);
}

static ssize_t mp_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	size_t asked = iov_iter_count(to);

	/* A zero-length read returns at once, even on an empty pipe. */
	if (!asked)
		return 0;
	return mp_read_common(iocb->ki_filp, asked, mp_nonblocking(iocb), true, mp_take_copy, to);
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

/* Of those, the bytes a splice lent the ring by page reference: never copied. */
static void mp_stats_add_borrowed(struct minipipe *pipe, size_t chars)
{
	WRITE_ONCE(pipe->stats.bytes_borrowed, pipe->stats.bytes_borrowed + chars);
}

/* A write found no reader: SIGPIPE, as pipe_write() sends it. */
static void mp_no_reader(struct minipipe *pipe)
{
	trace_minipipe_epipe(pipe);
	send_sig(SIGPIPE, current, 0);
}

/*
 * The end of a write into the pipe (write(), splice), entered with
 * wr_lock held and leaving it dropped.  @wake_reader: the write filled an
 * empty ring.  @wake_next_writer: the writer slept for room, or gave some
 * back, and a sleeping writer can have what is left.
 */
static void mp_write_end(struct file *filp, size_t asked, ssize_t ret, bool wake_reader,
			 bool wake_next_writer)
{
	struct minipipe *pipe = mp_file_pipe(filp);

	if (mp_ring_full_lockless(&pipe->ring))
		wake_next_writer = false;
	trace_minipipe_write(pipe, asked, ret);
	mutex_unlock(&pipe->wr_lock);

	/*
	 * Wake the readers if we filled an empty ring, or if someone polls:
	 * edge-triggered epoll must see every write.
	 */
	if (wake_reader || READ_ONCE(pipe->poll_used))
		mp_wake_one_if_sleeping(pipe, &pipe->rd_wait, MP_POLL_READABLE);
	kill_fasync(&pipe->fasync_readers, SIGIO, POLL_IN);
	if (wake_next_writer)
		mp_wake_one_if_sleeping(pipe, &pipe->wr_wait, MP_POLL_WRITABLE);
	if (ret > 0 && mp_pipe_sets_times(pipe))
		mp_update_time(filp);
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

	/* A zero-length write returns 0: no EPIPE, no SIGPIPE, no wake-up. */
	if (!asked)
		return 0;

	mutex_lock(&pipe->wr_lock);
	if (!READ_ONCE(pipe->readers)) {
		mp_no_reader(pipe);
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
			/* The readers left while we waited for room: short count and SIGPIPE. */
			mp_no_reader(pipe);
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
		/* Let the readers make room before we wait. */
		if (wake_reader)
			mp_wake_one_if_sleeping(pipe, &pipe->rd_wait, MP_POLL_READABLE);
		wake_reader = false;
		kill_fasync(&pipe->fasync_readers, SIGIO, POLL_IN);
		/*
		 * A signal is noticed by the signal_pending() test above; woken
		 * or not, a writer that slept passes on the room it leaves.
		 */
		if (mp_wait_writable(pipe, true) != MP_WAIT_SPUN)
			wake_next_writer = true;
		mutex_lock(&pipe->wr_lock);
	}
out:
	/* A failed merge gave back a slot of a full ring: a sleeping writer can have it. */
	if (made_room)
		wake_next_writer = true;
	mp_write_end(filp, asked, ret, wake_reader, wake_next_writer);
	return ret;
}

/*
 * splice() from a kernel pipe into a minipipe, and sendfile() into one
 * (through the kernel's internal pipe): pages move by reference.
 *
 * fs/splice.c's __splice_from_pipe() waits for the source pipe's buffers
 * and hands them, under the source pipe's lock, one at a time to the
 * actor below, which puts each in a slot of the ring as a borrowed page
 * (mp_ring_attach()), so that no byte is copied.  The result is that of
 * splice_pipe_to_pipe() between kernel pipes: each buffer takes a slot
 * and keeps its packet flag, the call waits only for its first byte and
 * returns what fit once the ring is full.
 *
 * A buffer is taken by reference when its reference is a plain page
 * reference, its release does no more than drop it (see mp_plain_ops
 * below: anonymous pipes, the page cache, vmsplice, sockets) and it lies
 * within one page, as a slot does.  Any other (a relay file's, whose
 * owner writes over the page once it is released; the tracing ring's;
 * socket data across a page boundary) is copied into an owned slot.
 */
struct mp_splice_in {
	struct file *filp;
	bool nonblock;
	bool locked;
	bool full;
	bool wake_reader;
};

/*
 * Buffers whose release only drops a page reference: holding a reference
 * of our own then keeps their bytes as they are.  That is true of
 * anonymous pipes (anon_pipe_buf_release()), of the page cache
 * and vmsplice (page_cache_pipe_buf_release()) and of buffers released
 * with generic_pipe_buf_release() (sockets, trace_pipe); not of relay
 * files, whose release tells the producer it may write over the page.
 * Only generic_pipe_buf_release() is exported; the other two are known by
 * name (kallsyms), once per operations table, which is then remembered
 * here.  Each entry goes from NULL to a table once (cmpxchg()) and never
 * changes again; a reader that finds no entry looks the name up itself.
 */
static const struct pipe_buf_operations *mp_plain_ops[4];

static const char * const mp_plain_releases[] = {
	"anon_pipe_buf_release",
	"page_cache_pipe_buf_release",
};

/* Out of line: the name buffer is large, and the lookup rare. */
static noinline_for_stack bool mp_ops_release_named_plain(const struct pipe_buf_operations *ops)
{
	const struct pipe_buf_operations *old;
	char name[KSYM_SYMBOL_LEN];
	unsigned int i;
	size_t len;

	/* "name+0x0/0x50", or with " [module]" (not the kernel's), or an address. */
	sprint_symbol(name, (unsigned long)ops->release);
	if (strchr(name, '['))
		return false;
	len = strcspn(name, "+");
	for (i = 0; i < ARRAY_SIZE(mp_plain_releases); i++)
		if (strlen(mp_plain_releases[i]) == len &&
		    !strncmp(name, mp_plain_releases[i], len))
			break;
	if (i == ARRAY_SIZE(mp_plain_releases))
		return false;
	for (i = 0; i < ARRAY_SIZE(mp_plain_ops); i++) {
		old = cmpxchg(&mp_plain_ops[i], NULL, ops);
		if (!old || old == ops)
			break;
	}
	return true;
}

static bool mp_ops_release_plain(const struct pipe_buf_operations *ops)
{
	unsigned int i;

	if (ops->release == generic_pipe_buf_release)
		return true;
	for (i = 0; i < ARRAY_SIZE(mp_plain_ops); i++)
		if (READ_ONCE(mp_plain_ops[i]) == ops)
			return true;
	return mp_ops_release_named_plain(ops);
}

/*
 * Whether the first @len bytes of @buf can be taken by reference: a plain
 * page reference to take (->get is generic_pipe_buf_get()), a release
 * that does no more than drop one, and bytes within one page, as a slot's.
 */
static bool mp_buf_lends_page(const struct pipe_buffer *buf, size_t len)
{
	return buf->ops->get == generic_pipe_buf_get && buf->offset + len <= PAGE_SIZE &&
	       mp_ops_release_plain(buf->ops);
}

/* The first @len bytes of @buf into the slot at head: by reference, or copied. */
static ssize_t mp_take_buffer(struct mp_ring *ring, struct pipe_buffer *buf, size_t len,
			      bool by_reference, bool *was_empty)
{
	unsigned int flags = buf->flags & PIPE_BUF_FLAG_PACKET ? MP_SLOT_PACKET : 0;
	struct bio_vec vec;
	struct iov_iter from;

	if (by_reference)
		return mp_ring_attach(ring, buf->page, buf->offset, len, flags, was_empty);
	bvec_set_page(&vec, buf->page, len, buf->offset);
	iov_iter_bvec(&from, ITER_SOURCE, &vec, 1, len);
	return mp_ring_push(ring, &from, flags ?: MP_SLOT_CAN_MERGE, was_empty);
}

/*
 * The actor of __splice_from_pipe(), called with the source pipe locked:
 * returns the bytes taken from @buf, 0 to end the splice with what it
 * moved, or an error.  wr_lock is taken on the first call and held to the
 * end, as a write() holds it: once a buffer is taken, __splice_from_pipe()
 * does not wait for the source's data again (it may wait for a page of
 * the page cache to be read, as a write() may wait for a fault).  It never
 * waits for room with the source locked: a ring full before anything
 * moved ends the call with @full set, for mp_splice_write() to wait with
 * no lock held and try again, as splice_pipe_to_pipe() waits
 * (opipe_prep()) before it locks the source.
 */
static int mp_splice_actor(struct pipe_inode_info *src, struct pipe_buffer *buf,
			   struct splice_desc *sd)
{
	struct mp_splice_in *in = sd->u.data;
	struct minipipe *pipe = mp_file_pipe(in->filp);
	bool by_reference = mp_buf_lends_page(buf, sd->len);
	bool was_empty = false;
	ssize_t chars;

	if (!sd->len)
		return 0;
	if (!in->locked) {
		mutex_lock(&pipe->wr_lock);
		in->locked = true;
	}
	if (!READ_ONCE(pipe->readers)) {
		mp_no_reader(pipe);
		return -EPIPE;
	}
	chars = mp_take_buffer(&pipe->ring, buf, sd->len, by_reference, &was_empty);
	if (!chars) {
		/* Full: what fit is the result; only the first byte is waited for. */
		if (sd->num_spliced)
			return 0;
		if (in->nonblock)
			return -EAGAIN;
		/* Nothing moved, so nothing to wake for: wait in mp_splice_write(). */
		mutex_unlock(&pipe->wr_lock);
		in->locked = false;
		in->full = true;
		return 0;
	}
	if (chars < 0)
		return chars;
	in->wake_reader |= was_empty;
	mp_stats_add_written(pipe, chars);
	if (by_reference)
		mp_stats_add_borrowed(pipe, chars);
	return chars;
}

static ssize_t mp_splice_write(struct pipe_inode_info *src, struct file *filp, loff_t *ppos,
			       size_t len, unsigned int flags)
{
	struct minipipe *pipe = mp_file_pipe(filp);
	struct mp_splice_in in = { .filp = filp };
	struct splice_desc sd = {
		.total_len = len,
		.u.data = &in,
	};
	ssize_t ret;
	int waited;

	if (!len)
		return 0;
	/*
	 * O_NONBLOCK on either file is SPLICE_F_NONBLOCK, as do_splice() has
	 * it between pipes; for a pipe to a file it only looks at the pipe.
	 */
	sd.flags = flags | (filp->f_flags & O_NONBLOCK ? SPLICE_F_NONBLOCK : 0);
	in.nonblock = sd.flags & SPLICE_F_NONBLOCK;
	for (;;) {
		pipe_lock(src);
		ret = __splice_from_pipe(src, &sd, mp_splice_actor);
		pipe_unlock(src);
		if (!in.full)
			break;
		in.full = false;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		/* Not exclusive: see mp_wait_writable(); no wake-up to pass on. */
		waited = mp_wait_writable(pipe, false);
		if (waited < 0) {
			ret = waited;
			break;
		}
	}
	/* Not locked: nothing reached the ring (the source had nothing, a signal). */
	if (in.locked)
		mp_write_end(filp, len, ret, in.wake_reader, false);
	return ret;
}

/*
 * splice() from a minipipe into a kernel pipe, and sendfile() from one
 * (through the kernel's internal pipe): the destination gets references
 * to the ring's pages, not copies.  Each slot's bytes become one buffer of
 * the destination, marked a packet if they are one, with the operations
 * of a buffer nobody may steal or merge into (nosteal_pipe_buf_ops: they
 * live in the kernel, so a buffer outlives the module safely).  A
 * packet's rest stays for the next read, as between kernel pipes.  The
 * call's caller holds the destination's lock and has waited for room in
 * it; the call waits for data as a read() does, and SPLICE_F_NONBLOCK
 * counts as O_NONBLOCK.
 */
static ssize_t mp_give_to_pipe(void *dest, struct page *page, unsigned int offset, size_t len,
			       bool packet)
{
	struct pipe_buffer buf = {
		.page = page,
		.offset = offset,
		.len = len,
		.ops = &nosteal_pipe_buf_ops,
		.flags = packet ? PIPE_BUF_FLAG_PACKET : 0,
	};

	/* Takes the reference, or drops it with -EPIPE (and SIGPIPE) or -EAGAIN. */
	return add_to_pipe(dest, &buf);
}

/* Only readers add, one at a time (rd_lock); debugfs reads it locklessly. */
static void mp_stats_add_lent(struct minipipe *pipe, size_t chars)
{
	WRITE_ONCE(pipe->stats.bytes_lent, pipe->stats.bytes_lent + chars);
}

/* splice out: one slot's bytes into the destination pipe, while it has room. */
static ssize_t mp_take_lend(struct minipipe *pipe, void *dest, size_t max, bool *packet,
			    bool *made_room)
{
	struct pipe_inode_info *dst = dest;
	ssize_t chars;

	/* Not 0, which would say the ring is empty: what was moved is the result. */
	if (pipe_full(dst->head, dst->tail, dst->max_usage))
		return -EAGAIN;
	chars = mp_ring_lend(&pipe->ring, max, mp_give_to_pipe, dst, packet, made_room);
	if (chars > 0)
		mp_stats_add_lent(pipe, chars);
	return chars;
}

static ssize_t mp_splice_read(struct file *filp, loff_t *ppos, struct pipe_inode_info *dst,
			      size_t len, unsigned int flags)
{
	bool nonblock = (flags & SPLICE_F_NONBLOCK) || (filp->f_flags & O_NONBLOCK);

	if (!len)
		return 0;
	/* Never so: the callers wait for room first.  Else 0 would say EOF. */
	if (pipe_full(dst->head, dst->tail, dst->max_usage))
		return -EAGAIN;
	return mp_read_common(filp, len, nonblock, false, mp_take_lend, dst);
}

/*
 * tee and splice between two minipipes (MINIPIPE_IOC_TEE and
 * MINIPIPE_IOC_SPLICE on the read end, naming the write end of the
 * other): the syscalls take only the kernel's pipes (get_pipe_info()), so
 * a module that wants them offers its own calls.  The results are those
 * of tee(2) (do_tee(), link_pipe()) and of splice(2) between kernel pipes
 * (splice_pipe_to_pipe()), and no byte is copied: the other ring gets
 * references to this ring's pages, as borrowed slots.
 *
 * Both wait first for data in the input, then for room in the output, with
 * no lock held and not exclusively (ipipe_prep(), opipe_prep()); then
 * take the output's wr_lock and the input's rd_lock, in that order (a
 * resize takes a pipe's wr_lock before its rd_lock, so every path takes a
 * wr_lock before a rd_lock, whichever pipes they belong to).
 */

/*
 * ipipe_prep(): wait for a byte in @pipe or for its last writer to go.
 * Only a wait: 0 is no verdict of end of file, the tee or splice looks at
 * the ring again under the locks (mp_link_may_get_more()).
 */
static int mp_link_wait_data(struct minipipe *pipe, bool nonblock)
{
	int waited;

	while (!mp_ring_unread(&pipe->ring)) {
		if (signal_pending(current))
			return -ERESTARTSYS;
		if (!READ_ONCE(pipe->writers))
			return 0;
		if (nonblock)
			return -EAGAIN;
		waited = mp_wait_readable(pipe, false);
		if (waited < 0)
			return waited;
	}
	return 0;
}

/* opipe_prep(): wait for a free slot in @pipe; a full pipe with no reader is EPIPE. */
static int mp_link_wait_room(struct minipipe *pipe, bool nonblock)
{
	int waited;

	while (mp_ring_full_lockless(&pipe->ring)) {
		if (!READ_ONCE(pipe->readers)) {
			mp_no_reader(pipe);
			return -EPIPE;
		}
		if (nonblock)
			return -EAGAIN;
		if (signal_pending(current))
			return -ERESTARTSYS;
		waited = mp_wait_writable(pipe, false);
		if (waited < 0)
			return waited;
	}
	return 0;
}

/* Where a splice between minipipes puts what mp_ring_lend() hands out. */
struct mp_link_dest {
	struct mp_ring *ring;
	bool was_empty;
};

static ssize_t mp_give_to_ring(void *dest, struct page *page, unsigned int offset, size_t len,
			       bool packet)
{
	struct mp_link_dest *to = dest;
	bool was_empty = false;
	ssize_t chars;

	chars = mp_ring_attach(to->ring, page, offset, len, packet ? MP_SLOT_PACKET : 0,
			       &was_empty);
	/* The slot took a reference of its own, or none: ours goes. */
	put_page(page);
	to->was_empty |= was_empty;
	return chars;
}

/* Move up to @len bytes from @src to @to, slot by slot, as splice_pipe_to_pipe(). */
static ssize_t mp_link_move(struct minipipe *src, struct mp_link_dest *to, size_t len,
			    bool *made_room)
{
	bool packet, room;
	ssize_t ret = 0, chars;

	while ((size_t)ret < len) {
		room = false;
		chars = mp_ring_lend(&src->ring, len - ret, mp_give_to_ring, to, &packet, &room);
		if (chars <= 0) {
			if (!ret)
				ret = chars;
			break;
		}
		ret += chars;
		*made_room |= room;
	}
	return ret;
}

/*
 * After a splice that moved nothing: may @src still give bytes?  The
 * order of mp_read_common()'s EOF test: the writer count (acquire), then
 * the bytes.  The other order could see no byte, then a writer write and
 * close, then no writer, and say end of file over unread bytes.
 */
static bool mp_link_may_get_more(struct minipipe *src)
{
	/* Pairs with mp_release()'s release: the last writer's bytes are seen. */
	bool writers = smp_load_acquire(&src->writers);

	/* Debug builds can stop here (race.h): a writer may write and close. */
	mp_race_window(MP_RACE_SPLICE_EOF);
	return writers || mp_ring_unread(&src->ring);
}

static ssize_t mp_link(struct file *in, struct file *out, size_t len, unsigned int flags,
		       bool move)
{
	struct minipipe *src = mp_file_pipe(in), *dst = mp_file_pipe(out);
	bool nonblock = (flags & SPLICE_F_NONBLOCK) || ((in->f_flags | out->f_flags) & O_NONBLOCK);
	struct mp_link_dest to = { .ring = &dst->ring };
	bool made_room = false;
	ssize_t ret;

retry:
	ret = mp_link_wait_data(src, nonblock);
	if (!ret)
		ret = mp_link_wait_room(dst, nonblock);
	if (ret)
		return ret;
	mutex_lock(&dst->wr_lock);
	mutex_lock(&src->rd_lock);
	if (!READ_ONCE(dst->readers)) {
		mp_no_reader(dst);
		ret = -EPIPE;
	} else if (move) {
		ret = mp_link_move(src, &to, len, &made_room);
	} else {
		ret = mp_ring_tee(&src->ring, &dst->ring, len, &to.was_empty);
	}
	/*
	 * A splice that raced with another reader or writer and moved nothing
	 * tries again (0 would say end of file), as splice_pipe_to_pipe()
	 * does; a tee returns 0 then, as link_pipe() does.
	 */
	if (move && !ret && mp_link_may_get_more(src)) {
		mutex_unlock(&src->rd_lock);
		mutex_unlock(&dst->wr_lock);
		if (nonblock)
			return -EAGAIN;
		goto retry;
	}
	if (ret > 0) {
		mp_stats_add_lent(src, ret);
		if (move)
			mp_stats_add_read(src, ret);
		mp_stats_add_written(dst, ret);
		mp_stats_add_borrowed(dst, ret);
	}
	mutex_unlock(&src->rd_lock);
	/* Slots a splice released in a full ring: a writer of @src can have them. */
	if (made_room)
		mp_wake_one_if_sleeping(src, &src->wr_wait, MP_POLL_WRITABLE);
	if (move && ret > 0)
		kill_fasync(&src->fasync_writers, SIGIO, POLL_OUT);
	mp_write_end(out, len, ret, to.was_empty, false);
	return ret;
}

/*
 * The ioctls' argument checks, in the syscalls' order: for tee(2) the
 * flags, then a zero length; for splice(2) the other way round; then the
 * descriptors and their modes (EBADF), then whether both are pipes, and
 * two of them (EINVAL).  A kernel pipe is EINVAL here: libminipipe takes
 * tee and splice between a minipipe and a kernel pipe through a
 * temporary pipe of the other kind (minipipe(4)).
 */
static long mp_link_ioctl(struct file *in, const void __user *uarg, bool move)
{
	struct minipipe_link arg;
	struct file *out;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (!move && (arg.flags & ~SPLICE_F_ALL))
		return -EINVAL;
	if (!arg.len)
		return 0;
	if (arg.flags & ~SPLICE_F_ALL)
		return -EINVAL;
	out = fget(arg.fd_out);
	if (!out)
		return -EBADF;
	if (!(in->f_mode & FMODE_READ) || !(out->f_mode & FMODE_WRITE))
		ret = -EBADF;
	else if (out->f_op != &mp_fops || mp_file_pipe(out) == mp_file_pipe(in))
		ret = -EINVAL;
	else
		ret = mp_link(in, out, arg.len, arg.flags, move);
	fput(out);
	return ret;
}

/*
 * vmsplice(2) into a minipipe (MINIPIPE_IOC_VMSPLICE on the write end):
 * the user's pages go into the ring by reference, as iter_to_pipe() puts
 * them into a kernel pipe.  One borrowed slot per page, never merged
 * into, so what the writer changes in its buffer later shows through to
 * the reader, as on a kernel pipe.  Waits for one free slot first
 * (wait_for_space()), then returns what fits; vmsplice(2) looks at
 * SPLICE_F_NONBLOCK only, not at O_NONBLOCK.  SPLICE_F_GIFT would let a
 * consumer steal the pages (user_page_pipe_buf_ops); no consumer steals
 * from a minipipe (splice out hands out buffers nobody may steal), so it
 * is accepted and changes nothing, as for a kernel pipe read with read().
 */
static ssize_t mp_vmsplice_in(struct file *filp, struct iov_iter *from, unsigned int flags)
{
	struct minipipe *pipe = mp_file_pipe(filp);
	size_t asked = iov_iter_count(from), size, start;
	bool wake_reader = false, was_empty;
	struct page *pages[16];
	ssize_t ret = 0, chars, left;
	unsigned int i, n;

	mutex_lock(&pipe->wr_lock);
	for (;;) {
		if (!READ_ONCE(pipe->readers)) {
			mp_no_reader(pipe);
			ret = -EPIPE;
			goto out;
		}
		if (!mp_ring_full_lockless(&pipe->ring))
			break;
		if (flags & SPLICE_F_NONBLOCK) {
			ret = -EAGAIN;
			goto out;
		}
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			goto out;
		}
		mutex_unlock(&pipe->wr_lock);
		/* A signal is noticed above; not exclusive: no wake-up to pass on. */
		mp_wait_writable(pipe, false);
		mutex_lock(&pipe->wr_lock);
	}
	while (iov_iter_count(from)) {
		left = iov_iter_get_pages2(from, pages, SIZE_MAX, ARRAY_SIZE(pages), &start);
		if (left <= 0) {
			if (!ret)
				ret = left;
			break;
		}
		n = DIV_ROUND_UP(left + start, PAGE_SIZE);
		for (i = 0; i < n; i++) {
			size = min_t(size_t, left, PAGE_SIZE - start);
			chars = mp_ring_attach(&pipe->ring, pages[i], start, size, 0, &was_empty);
			if (chars <= 0) {
				/* Full, or a page that takes no more references: rest goes back. */
				iov_iter_revert(from, left);
				while (i < n)
					put_page(pages[i++]);
				if (!ret)
					ret = chars ?: -EAGAIN;
				goto out;
			}
			/* The slot took a reference of its own. */
			put_page(pages[i]);
			wake_reader |= was_empty;
			ret += chars;
			left -= size;
			start = 0;
		}
	}
out:
	if (ret > 0) {
		mp_stats_add_written(pipe, ret);
		mp_stats_add_borrowed(pipe, ret);
	}
	mp_write_end(filp, asked, ret, wake_reader, false);
	return ret;
}

/*
 * vmsplice(2) out of a minipipe (the read end): a copy, as pipe_to_user()
 * makes one, of the bytes mp_ring_lend() hands out; the page's reference
 * goes at once.  A packet's rest stays, as splice leaves it.
 */
static ssize_t mp_give_to_user(void *dest, struct page *page, unsigned int offset, size_t len,
			       bool packet)
{
	struct iov_iter *to = dest;
	size_t copied = copy_page_to_iter(page, offset, len, to);

	put_page(page);
	if (copied != len) {
		/* Nothing is consumed: the bytes stay for the next read. */
		iov_iter_revert(to, copied);
		return -EFAULT;
	}
	return copied;
}

static ssize_t mp_take_vmsplice(struct minipipe *pipe, void *dest, size_t max, bool *packet,
				bool *made_room)
{
	return mp_ring_lend(&pipe->ring, max, mp_give_to_user, dest, packet, made_room);
}

static ssize_t mp_vmsplice_out(struct file *filp, struct iov_iter *to, unsigned int flags)
{
	/* As splice_from_pipe_next(): a pending signal comes first, even with data. */
	if (signal_pending(current))
		return -ERESTARTSYS;
	return mp_read_common(filp, iov_iter_count(to), flags & SPLICE_F_NONBLOCK, false,
			      mp_take_vmsplice, to);
}

/*
 * MINIPIPE_IOC_VMSPLICE: vmsplice(2)'s checks and direction.  A file that
 * can write is written to, else read from, as vmsplice_type() decides; the
 * segment count is an unsigned int to import_iovec(), as in vmsplice(2).
 */
static long mp_vmsplice(struct file *filp, const void __user *uarg)
{
	struct iovec iovstack[UIO_FASTIOV], *iov = iovstack;
	bool to_pipe = filp->f_mode & FMODE_WRITE;
	struct minipipe_vmsplice arg;
	struct iov_iter iter;
	ssize_t ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags & ~SPLICE_F_ALL)
		return -EINVAL;
	ret = import_iovec(to_pipe ? ITER_SOURCE : ITER_DEST, u64_to_user_ptr(arg.iov),
			   arg.nr_segs, ARRAY_SIZE(iovstack), &iov, &iter);
	if (ret < 0)
		return ret;
	if (!iov_iter_count(&iter))
		ret = 0;
	else if (to_pipe)
		ret = mp_vmsplice_in(filp, &iter, arg.flags);
	else
		ret = mp_vmsplice_out(filp, &iter, arg.flags);
	kfree(iov);
	return ret;
}

static __poll_t mp_poll(struct file *filp, poll_table *wait)
{
	struct mp_file_priv *priv = filp->private_data;
	struct minipipe *pipe = priv->pipe;
	unsigned int w_counter;
	__poll_t mask = 0;

	WRITE_ONCE(pipe->poll_used, true);
	if (filp->f_mode & FMODE_READ)
		poll_wait(filp, &pipe->rd_wait, wait);
	if (filp->f_mode & FMODE_WRITE)
		poll_wait(filp, &pipe->wr_wait, wait);
	/*
	 * Pairs with the barrier of wq_has_sleeper() in the wake helpers:
	 * either the waker sees our wait entry, or we see its ring update below.
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
		if (!READ_ONCE(pipe->writers) && priv->w_counter_seen != w_counter)
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
 * more than 2^31 bytes is EINVAL (mp_pipe_round_slots()); growing past
 * max_size needs CAP_SYS_RESOURCE, growing past the owner's page limits
 * CAP_SYS_RESOURCE or CAP_SYS_ADMIN (mp_pipe_resize()); the unread data
 * must fit in the new number of slots.
 */
static long mp_set_size(struct minipipe *pipe, unsigned long bytes)
{
	unsigned int nr_slots, old_slots;
	long ret;

	nr_slots = mp_pipe_round_slots(bytes);
	if (!nr_slots)
		return -EINVAL;

	/* Resizing moves the slots: no reader or writer may be in the ring. */
	mutex_lock(&pipe->lock);
	mutex_lock(&pipe->wr_lock);
	mutex_lock(&pipe->rd_lock);
	old_slots = pipe->ring.nr_slots;
	ret = mp_pipe_resize(pipe, nr_slots);
	if (!ret)
		ret = (long)nr_slots * PAGE_SIZE;
	trace_minipipe_resize(pipe, old_slots, ret);
	mutex_unlock(&pipe->rd_lock);
	mutex_unlock(&pipe->wr_lock);
	mutex_unlock(&pipe->lock);
	/* More room may unblock a writer. */
	if (ret > 0)
		mp_wake_one_if_sleeping(pipe, &pipe->wr_wait, MP_POLL_WRITABLE);
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
	case MINIPIPE_IOC_TEE:
		return mp_link_ioctl(filp, (const void __user *)arg, false);
	case MINIPIPE_IOC_SPLICE:
		return mp_link_ioctl(filp, (const void __user *)arg, true);
	case MINIPIPE_IOC_VMSPLICE:
		return mp_vmsplice(filp, (const void __user *)arg);
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

/*
 * A reader or writer arrived: release the openers waiting for one.  The
 * readers' queue is woken too, as fifo_open() wakes it (its openers sleep
 * there): an EPOLLET reader sees a writer's arrival as a new edge.
 */
static void mp_wake_partner(struct minipipe *pipe)
{
	mp_wake_all_if_sleeping(pipe, &pipe->open_wait);
	mp_wake_all_if_sleeping(pipe, &pipe->rd_wait);
}

/*
 * FIFO-style open, as fifo_open(): O_RDONLY waits for a writer, O_WRONLY
 * for a reader, O_RDWR never waits; O_WRONLY|O_NONBLOCK without a reader
 * fails with ENXIO, once the pipe has a ring (fifo_open()'s order: the
 * ring, and its charge, come first; both go again with the failed open).
 */
static int mp_open(struct inode *inode, struct file *filp)
{
	struct minipipe *pipe = mp_named_pipe(iminor(inode));
	struct mp_file_priv *priv;
	int ret;

	/* Like a FIFO: O_DIRECT at open time is refused. */
	if (filp->f_flags & O_DIRECT)
		return -EINVAL;
	priv = mp_priv_alloc(pipe);
	if (!priv)
		return -ENOMEM;
	filp->private_data = priv;
	mp_file_setup(filp);

	mutex_lock(&pipe->lock);
	ret = mp_pipe_add_file(pipe);
	if (ret)
		goto unlock;
	switch (filp->f_mode & (FMODE_READ | FMODE_WRITE)) {
	case FMODE_READ:
		mp_add_reader(pipe);
		if (pipe->readers == 1)
			mp_wake_partner(pipe);
		if (!pipe->writers) {
			if (filp->f_flags & O_NONBLOCK)
				priv->w_counter_seen = pipe->w_counter;
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
		mp_add_reader(pipe);
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

	/*
	 * Interrupted while waiting for the other end, which never came (its
	 * counter did not move): no file of that end exists, so no one sleeps
	 * in read() or write() to be told we leave.  (fifo_open() wakes the
	 * other queue here all the same.)
	 */
undo_reader:
	WARN_ON_ONCE(pipe->writers);
	mp_drop_reader(pipe);
	ret = -ERESTARTSYS;
	goto undo_file;
undo_writer:
	WARN_ON_ONCE(pipe->readers);
	mp_count_add(&pipe->writers, -1);
	ret = -ERESTARTSYS;
undo_file:
	mp_pipe_remove_file(pipe);
unlock:
	mutex_unlock(&pipe->lock);
	kfree(priv);
	return ret;
}

static int mp_release(struct inode *inode, struct file *filp)
{
	struct mp_file_priv *priv = filp->private_data;
	struct minipipe *pipe = priv->pipe;

	mutex_lock(&pipe->lock);
	if (filp->f_mode & FMODE_READ)
		mp_drop_reader(pipe);
	if (filp->f_mode & FMODE_WRITE)
		/* Pairs with the acquire in mp_read_common(): our writes are seen before EOF. */
		smp_store_release(&pipe->writers, pipe->writers - 1);
	trace_minipipe_release(pipe, filp->f_mode);
	/*
	 * One side just vanished while the other remains: every sleeper on
	 * both sides must wake to see EOF or EPIPE (LTP pipe13).
	 */
	if (!pipe->readers != !pipe->writers) {
		mp_wake_all_if_sleeping(pipe, &pipe->rd_wait);
		mp_wake_all_if_sleeping(pipe, &pipe->wr_wait);
		kill_fasync(&pipe->fasync_readers, SIGIO, POLL_IN);
		kill_fasync(&pipe->fasync_writers, SIGIO, POLL_OUT);
	}
	mp_pipe_remove_file(pipe);
	/* mutex_unlock(), and a race window of debug builds (race.h). */
	mp_race_mutex_unlock(&pipe->lock, MP_RACE_RELEASE_UNLOCK);
	kfree(priv);
	if (pipe->anonymous)
		mp_anon_pipe_put(pipe);
	return 0;
}

/*
 * posix_fadvise() (and io_uring's IORING_OP_FADVISE): ESPIPE, as for a
 * FIFO.  generic_fadvise() (mm/fadvise.c) answers FIFO inodes so, which an
 * anonymous end's is, but a named minipipe is a char device, whose advice
 * it would accept; vfs_fadvise() asks this first.
 */
static int mp_fadvise(struct file *filp, loff_t offset, loff_t len, int advice)
{
	return -ESPIPE;
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
	.splice_write	= mp_splice_write,
	.fadvise	= mp_fadvise,
};

/**
 * mp_anon_end_open() - the file of one end of an anonymous pipe
 * @pipe:      the pipe; the caller holds a reference (mp_anon_pipe_create()),
 *             so a failure here may drop the one the end took
 * @inode:     the pair's inode (control.c); the file takes a reference
 *             of its own
 * @mnt:       the mount @inode's superblock is mounted at
 * @write_end: false for the read end (O_RDONLY), true for the write end
 *             (O_WRONLY)
 * @flags:     O_NONBLOCK, and for the write end O_DIRECT, as pipe2(2) was
 *             given them
 *
 * The end counts as an open file, a reader or a writer, as mp_open()
 * counts a named pipe's, but never waits for the other end: the caller
 * makes both.  The file has no path, as the files of pipe(2).
 *
 * Context: called from an ioctl of /dev/minipipe-ctl, whose open file
 * holds the module.
 * Return: the file, or an ERR_PTR().
 */
struct file *mp_anon_end_open(struct minipipe *pipe, struct inode *inode,
			      struct vfsmount *mnt, bool write_end,
			      unsigned int flags)
{
	bool reader = !write_end;
	struct mp_file_priv *priv;
	struct file *filp;
	int ret;

	priv = mp_priv_alloc(pipe);
	if (!priv)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&pipe->lock);
	ret = mp_pipe_add_file(pipe);
	if (!ret && reader)
		mp_add_reader(pipe);
	else if (!ret)
		mp_add_writer(pipe);
	mutex_unlock(&pipe->lock);
	if (ret) {
		kfree(priv);
		return ERR_PTR(ret);
	}

	/*
	 * The file's references: one to the inode, consumed by its dentry,
	 * and one to the module, which its last fput() drops with mp_fops
	 * (alloc_file_pseudo() takes neither).
	 */
	ihold(inode);
	__module_get(THIS_MODULE);
	flags |= write_end ? O_WRONLY : O_RDONLY;
	filp = alloc_file_pseudo(inode, mnt, "[minipipe]", flags, &mp_fops);
	if (IS_ERR(filp)) {
		module_put(THIS_MODULE);
		iput(inode);
		/* No file of the pipe is in anyone's hands yet: nothing to wake. */
		mutex_lock(&pipe->lock);
		mp_count_add(reader ? &pipe->readers : &pipe->writers, -1);
		mp_pipe_remove_file(pipe);
		mutex_unlock(&pipe->lock);
		mp_anon_pipe_put(pipe);
		kfree(priv);
		return filp;
	}
	filp->private_data = priv;
	mp_file_setup(filp);
	/* RWF_NOWAIT and io_uring's non-blocking tries, where pipe(2) takes them. */
	filp->f_mode |= MP_ANON_FMODE_NOWAIT;
	trace_minipipe_open(pipe, filp->f_mode);
	return filp;
}
