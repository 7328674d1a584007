// SPDX-License-Identifier: GPL-2.0
/*
 * minipipe — the pipe object's life: set up, files coming and going, the
 * named pipes that live as long as the module, the anonymous ones that
 * go with their last reference, and the size cap of every pipe
 * (max_size, minipipe's pipe-max-size).
 *
 * A named pipe (/dev/minipipe, /dev/minipipe1, ...) exists from module
 * load to unload, but its ring only while a file is open: like a FIFO it
 * forgets its data and its size when the last file closes.  An anonymous
 * pipe (MINIPIPE_IOC_PIPE2) is memory of its own, freed by the last
 * reference: one per open file, dropped only once its release has
 * finished with pipe->lock, and its creator's while it makes the ends
 * (mp_anon_pipe_put()).
 */
#include <linux/capability.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "pipe.h"

/*
 * The largest capacity without CAP_SYS_RESOURCE, as
 * /proc/sys/fs/pipe-max-size: it caps a new ring (mp_pipe_setup_ring())
 * and a ring's growth (mp_pipe_resize()).  Writable at run time, hence
 * read once per check with READ_ONCE (pipe.h's table).
 */
static unsigned int mp_max_size = 1048576;

/*
 * A write follows proc_dopipe_max_size(): the value is rounded as
 * F_SETPIPE_SZ rounds (0 is stored as 4096, 5000 as 8192), and anything
 * above 2^31, negative or not a number is EINVAL, the sysctl's answer to
 * an overflow too.
 */
static int mp_max_size_set(const char *val, const struct kernel_param *kp)
{
	unsigned long size;
	unsigned int nr_slots;

	if (kstrtoul(val, 0, &size))
		return -EINVAL;
	nr_slots = mp_pipe_round_slots(size);
	if (!nr_slots)
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)kp->arg, nr_slots << PAGE_SHIFT);
	return 0;
}

static const struct kernel_param_ops mp_max_size_ops = {
	.set = mp_max_size_set,
	.get = param_get_uint,
};
module_param_cb(max_size, &mp_max_size_ops, &mp_max_size, 0644);
__MODULE_PARM_TYPE(max_size, "uint");
MODULE_PARM_DESC(max_size, "Largest capacity in bytes without CAP_SYS_RESOURCE, at creation and when growing, like pipe-max-size (rounded up to a power of two pages, at most 2^31, default 1 MiB)");

/* max_size in slots, read once for the check that calls it. */
static unsigned int mp_max_slots(void)
{
	return READ_ONCE(mp_max_size) >> PAGE_SHIFT;
}

/**
 * mp_pipe_round_slots() - the slots a size in bytes asks for, as round_pipe_size()
 * @bytes: the size asked for (F_SETPIPE_SZ's argument, a write to max_size)
 *
 * Return: the number of slots, a power of two, at least one (so 0 and 1
 * byte both mean one page), or 0 if @bytes is more than 2^31.
 */
unsigned int mp_pipe_round_slots(unsigned long bytes)
{
	if (bytes > MP_SIZE_LIMIT)
		return 0;
	return bytes <= PAGE_SIZE ? 1 : roundup_pow_of_two(bytes) >> PAGE_SHIFT;
}

static struct minipipe *mp_named_pipes;
static unsigned int mp_nr_named_pipes;

/* Anonymous pipes are numbered for the traces: anon1, anon2, ... */
static atomic_t mp_anon_serial = ATOMIC_INIT(0);

/*
 * A pipe with no file open and no ring yet.  @id makes its name: N for
 * /dev/minipipeN (0 for /dev/minipipe), or an anonymous pipe's serial
 * number.
 */
static void mp_pipe_init(struct minipipe *pipe, bool anonymous, unsigned int id)
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
	/* The creator's reference (anonymous pipes only): mp_anon_pipe_create(). */
	refcount_set(&pipe->refs, anonymous);
	pipe->fasync_readers = NULL;
	pipe->fasync_writers = NULL;
	pipe->poll_used = false;
	pipe->anonymous = anonymous;
	pipe->user = NULL;
	if (anonymous)
		snprintf(pipe->name, sizeof(pipe->name), "anon%u", id);
	else if (id)
		snprintf(pipe->name, sizeof(pipe->name), "minipipe%u", id);
	else
		strscpy(pipe->name, "minipipe", sizeof(pipe->name));
	memset(&pipe->stats, 0, sizeof(pipe->stats));
}

/* Undo mp_pipe_init() before the pipe's memory goes; no file is open. */
static void mp_pipe_destroy(struct minipipe *pipe)
{
	mutex_destroy(&pipe->wr_lock);
	mutex_destroy(&pipe->rd_lock);
	mutex_destroy(&pipe->lock);
}

/*
 * The first file's ring, charged to the current task's user with the
 * rules of alloc_pipe_info(), in its order: the default size is first cut
 * to max_size unless the task has CAP_SYS_RESOURCE, and that is what is
 * charged; past user_pages_soft the ring gets MP_RING_MIN_SLOTS instead
 * (even above a max_size of one page, as in the kernel), past
 * user_pages_hard none, unless the task has CAP_SYS_RESOURCE or
 * CAP_SYS_ADMIN.  Any failure is reported as the kernel reports
 * alloc_pipe_info() failing, whether past user_pages_hard or out of
 * memory: pipe(2) ENFILE (create_pipe_files()), a FIFO's open ENOMEM
 * (fifo_open()).
 */
static int mp_pipe_setup_ring(struct minipipe *pipe)
{
	unsigned int nr_slots = MP_RING_DEFAULT_SLOTS;
	unsigned int max_slots = mp_max_slots();
	struct mp_user *user;
	unsigned long pages;
	int ret;

	user = mp_user_get();
	if (!user)
		return pipe->anonymous ? -ENFILE : -ENOMEM;
	if (nr_slots > max_slots && !capable(CAP_SYS_RESOURCE))
		nr_slots = max_slots;
	pages = mp_user_charge(user, 0, nr_slots);
	if (mp_user_over_soft(pages) && mp_user_unprivileged()) {
		pages = mp_user_charge(user, nr_slots, MP_RING_MIN_SLOTS);
		nr_slots = MP_RING_MIN_SLOTS;
	}
	if (mp_user_over_hard(pages) && mp_user_unprivileged())
		ret = -ENOMEM;
	else
		ret = mp_ring_init(&pipe->ring, nr_slots);
	if (ret) {
		mp_user_charge(user, nr_slots, 0);
		mp_user_put(user);
		return pipe->anonymous ? -ENFILE : ret;
	}
	pipe->user = user;
	return 0;
}

/**
 * mp_pipe_add_file() - count one more open file of @pipe
 * @pipe: the pipe, with pipe->lock held
 *
 * The first file sets up the ring, charged to its opener's user
 * (account.h).  A file of an anonymous pipe also takes a reference, which
 * its release drops after unlocking (mp_anon_pipe_put()), not
 * mp_pipe_remove_file().
 *
 * Return: 0, or when the ring cannot be set up (no memory, or the user
 * past user_pages_hard) -ENFILE for an anonymous pipe, -ENOMEM for a
 * named one, as pipe(2) and a FIFO's open report it.
 */
int mp_pipe_add_file(struct minipipe *pipe)
{
	int ret;

	lockdep_assert_held(&pipe->lock);
	if (!pipe->files) {
		ret = mp_pipe_setup_ring(pipe);
		if (ret)
			return ret;
	}
	pipe->files++;
	if (pipe->anonymous)
		refcount_inc(&pipe->refs);
	return 0;
}

/**
 * mp_pipe_remove_file() - count one open file fewer
 * @pipe: the pipe, with pipe->lock held
 *
 * With the last file the data goes, and the ring's charge with it: a FIFO
 * forgets its content and its size, and its next opener finds a fresh
 * ring of the default size, charged to that opener.
 */
void mp_pipe_remove_file(struct minipipe *pipe)
{
	lockdep_assert_held(&pipe->lock);
	if (--pipe->files)
		return;
	mp_user_charge(pipe->user, pipe->ring.nr_slots, 0);
	mp_ring_destroy(&pipe->ring);
	mp_user_put(pipe->user);
	pipe->user = NULL;
	pipe->poll_used = false;
}

/**
 * mp_pipe_resize() - give @pipe's ring @nr_slots slots, charged to its user
 * @pipe:     the pipe, with pipe->lock, wr_lock and rd_lock held
 * @nr_slots: the new number of slots, a power of two
 *
 * As pipe_set_size(): growing past max_size is refused without
 * CAP_SYS_RESOURCE; then the new size is charged; growing past either of
 * the user's limits is refused unless the caller has CAP_SYS_RESOURCE or
 * CAP_SYS_ADMIN (the caller's privilege, the owner's count).  Keeping or
 * shrinking is never refused.  The max_size refusal comes before any
 * charge; a refusal by the user's limits or a failed resize moves the
 * charge back.
 *
 * Return: 0, -EPERM, or mp_ring_resize()'s -ENOMEM or -EBUSY.
 */
int mp_pipe_resize(struct minipipe *pipe, unsigned int nr_slots)
{
	unsigned int old_slots = pipe->ring.nr_slots;
	unsigned long pages;
	int ret;

	lockdep_assert_held(&pipe->lock);
	lockdep_assert_held(&pipe->wr_lock);
	lockdep_assert_held(&pipe->rd_lock);
	if (nr_slots > old_slots && nr_slots > mp_max_slots() && !capable(CAP_SYS_RESOURCE))
		return -EPERM;
	pages = mp_user_charge(pipe->user, old_slots, nr_slots);
	if (nr_slots > old_slots &&
	    (mp_user_over_hard(pages) || mp_user_over_soft(pages)) &&
	    mp_user_unprivileged())
		ret = -EPERM;
	else
		ret = mp_ring_resize(&pipe->ring, nr_slots);
	if (ret)
		mp_user_charge(pipe->user, nr_slots, old_slots);
	return ret;
}

/**
 * mp_anon_pipe_create() - a new anonymous pipe, with no file yet
 *
 * Context: the caller holds the one reference there is until it drops it
 * with mp_anon_pipe_put(), once the files of the ends hold theirs.
 *
 * Return: the pipe, or NULL.
 */
struct minipipe *mp_anon_pipe_create(void)
{
	struct minipipe *pipe = kzalloc(sizeof(*pipe), GFP_KERNEL_ACCOUNT);

	if (pipe)
		mp_pipe_init(pipe, true, atomic_inc_return(&mp_anon_serial));
	return pipe;
}

/**
 * mp_anon_pipe_put() - drop an anonymous pipe's reference; the last frees it
 * @pipe: an anonymous pipe (MINIPIPE_IOC_PIPE2)
 *
 * Called after pipe->lock is released, never under it: a mutex may not
 * guard the memory it lives in, since mutex_unlock() can still touch the
 * mutex after the next owner got in (Documentation/locking/mutex-design.rst).
 * With one reference per file, each dropped by a release that has finished
 * with the mutex, and the creator's, dropped by mp_ctl_pipe2() with no lock
 * held, the last put frees a pipe nobody is touching.
 */
void mp_anon_pipe_put(struct minipipe *pipe)
{
	if (refcount_dec_and_test(&pipe->refs)) {
		mp_pipe_destroy(pipe);
		kfree(pipe);
	}
}

/**
 * mp_named_pipes_create() - set up the pipes of /dev/minipipe, /dev/minipipe1, ...
 * @count: how many
 *
 * Return: 0 or -ENOMEM.
 */
int mp_named_pipes_create(unsigned int count)
{
	unsigned int i;

	mp_named_pipes = kcalloc(count, sizeof(*mp_named_pipes), GFP_KERNEL);
	if (!mp_named_pipes)
		return -ENOMEM;
	for (i = 0; i < count; i++)
		mp_pipe_init(&mp_named_pipes[i], false, i);
	mp_nr_named_pipes = count;
	return 0;
}

/**
 * mp_named_pipes_destroy() - free the named pipes; no file may be open
 */
void mp_named_pipes_destroy(void)
{
	unsigned int i;

	for (i = 0; i < mp_nr_named_pipes; i++)
		mp_pipe_destroy(&mp_named_pipes[i]);
	kfree(mp_named_pipes);
	mp_named_pipes = NULL;
	mp_nr_named_pipes = 0;
}

/**
 * mp_named_pipe() - the named pipe behind a minor number
 * @minor: the minor of a /dev/minipipe* node: the device region starts at
 *         minor 0 and has one minor per named pipe (main.c), so the minor
 *         is the pipe's index, below the count of mp_named_pipes_create()
 *
 * Return: the pipe.
 */
struct minipipe *mp_named_pipe(unsigned int minor)
{
	return &mp_named_pipes[minor];
}
