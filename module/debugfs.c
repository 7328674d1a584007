// SPDX-License-Identifier: GPL-2.0
/*
 * minipipe — the state of each named pipe, for people and for mptop (tools/learn/mptop):
 *
 *   cat /sys/kernel/debug/minipipe/minipipe
 *
 * and, in "users", the pages charged to each user ("<uid> <pages>" per
 * line), across all pipes, anonymous ones included; in "borrowed", the
 * page references the rings took from others (splice), across all pipes.
 * A pipe's "fill" line gives the bytes in each slot, and its "shared"
 * line, 1 or 0 for each slot, whether that slot's page is not the ring's
 * alone: pages spliced in, or lent out by a splice or a tee.
 *
 * A pipe's file has one "key: value" per line.  Reading takes the pipe's lock and the
 * ring's for the time of a snapshot.  The ring's is only ever held for
 * bookkeeping; the pipe's can be held for a long time, by a resize that
 * waits for the reader and the writer in the ring to let go of their side
 * locks (a copy that page-faults included), or by the last reader's close,
 * which waits for the write in progress: so it is taken interruptibly.
 * The file has no write method, so writes are refused.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "account.h"
#include "debugfs.h"
#include "pipe.h"
#include "race.h"

static struct dentry *mp_debugfs_dir;

/* Whether physical slot @slot lies between tail and head. */
static bool mp_slot_occupied(const struct mp_ring *ring, unsigned int slot)
{
	unsigned int distance = (slot - ring->tail) & (ring->nr_slots - 1);

	return distance < mp_ring_occupancy(ring->head, ring->tail);
}

/* Bytes held by physical slot @slot: 0 unless it is occupied. */
static unsigned int mp_slot_fill(const struct mp_ring *ring, unsigned int slot)
{
	return mp_slot_occupied(ring, slot) ? ring->slots[slot].len : 0;
}

/*
 * 1 if physical slot @slot is occupied and its page is not the ring's
 * alone (borrowed, or owned and lent out): the slots a splice moved by
 * reference, which no write may merge into.
 */
static unsigned int mp_slot_shared(const struct mp_ring *ring, unsigned int slot)
{
	return mp_slot_occupied(ring, slot) && mp_ring_slot_shared(ring, &ring->slots[slot]);
}

static int mp_state_show(struct seq_file *m, void *unused)
{
	struct minipipe *pipe = m->private;
	struct mp_ring *ring = &pipe->ring;
	unsigned int slots, i;
	int ret;

	ret = mutex_lock_interruptible(&pipe->lock);
	if (ret)
		return ret;
	/* A reader and a writer may be at work: take a consistent picture. */
	spin_lock(&ring->lock);
	/* With no file open there is no ring: show an empty one of the default size. */
	slots = ring->slots ? ring->nr_slots : MP_RING_DEFAULT_SLOTS;
	seq_printf(m, "name: %s\n", pipe->name);
	seq_printf(m, "slots: %u\n", slots);
	seq_printf(m, "capacity: %lu\n", slots * PAGE_SIZE);
	seq_printf(m, "head: %u\n", ring->head);
	seq_printf(m, "tail: %u\n", ring->tail);
	seq_printf(m, "occupancy: %u\n", mp_ring_occupancy(ring->head, ring->tail));
	seq_printf(m, "bytes: %zu\n", ring->bytes);
	seq_printf(m, "readers: %u\n", pipe->readers);
	seq_printf(m, "writers: %u\n", pipe->writers);
	seq_printf(m, "files: %u\n", pipe->files);
	seq_printf(m, "read_sleepers: %d\n", atomic_read(&pipe->stats.read_sleepers));
	seq_printf(m, "write_sleepers: %d\n", atomic_read(&pipe->stats.write_sleepers));
	seq_printf(m, "open_sleepers: %d\n", atomic_read(&pipe->stats.open_sleepers));
	seq_printf(m, "read_spins: %ld\n", atomic_long_read(&pipe->stats.read_spins));
	seq_printf(m, "write_spins: %ld\n", atomic_long_read(&pipe->stats.write_spins));
	seq_printf(m, "bytes_read: %llu\n", READ_ONCE(pipe->stats.bytes_read));
	seq_printf(m, "bytes_written: %llu\n", READ_ONCE(pipe->stats.bytes_written));
	seq_printf(m, "bytes_borrowed: %llu\n", READ_ONCE(pipe->stats.bytes_borrowed));
	seq_printf(m, "bytes_lent: %llu\n", READ_ONCE(pipe->stats.bytes_lent));
	seq_printf(m, "wakeups: %ld\n", atomic_long_read(&pipe->stats.wakeups));
	seq_puts(m, "fill:");
	for (i = 0; i < slots; i++)
		seq_printf(m, " %u", ring->slots ? mp_slot_fill(ring, i) : 0);
	seq_putc(m, '\n');
	seq_puts(m, "shared:");
	for (i = 0; i < slots; i++)
		seq_printf(m, " %u", ring->slots ? mp_slot_shared(ring, i) : 0);
	seq_putc(m, '\n');
	spin_unlock(&ring->lock);
	mutex_unlock(&pipe->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mp_state);

/* "users": the pages charged to each user, across all pipes (account.h). */
static int mp_users_state_show(struct seq_file *m, void *unused)
{
	mp_users_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mp_users_state);

/* "borrowed": the page references that all rings' borrowed slots hold (ring.h). */
static int mp_borrowed_state_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "%ld\n", mp_ring_borrowed_pages());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mp_borrowed_state);

/**
 * mp_debugfs_init() - create /sys/kernel/debug/minipipe/<name> for each named pipe, and users
 * @nr_named_pipes: how many named pipes there are (mp_named_pipe())
 *
 * debugfs is for observers only: if it is missing or fails, the pipes work
 * the same, so errors are not reported (as the debugfs API intends).
 */
void mp_debugfs_init(unsigned int nr_named_pipes)
{
	struct minipipe *pipe;
	unsigned int i;

	mp_debugfs_dir = debugfs_create_dir("minipipe", NULL);
	for (i = 0; i < nr_named_pipes; i++) {
		pipe = mp_named_pipe(i);
		debugfs_create_file(pipe->name, 0444, mp_debugfs_dir, pipe, &mp_state_fops);
	}
	debugfs_create_file("users", 0444, mp_debugfs_dir, NULL, &mp_users_state_fops);
	debugfs_create_file("borrowed", 0444, mp_debugfs_dir, NULL, &mp_borrowed_state_fops);
	mp_race_debugfs_init(mp_debugfs_dir);
}

/**
 * mp_debugfs_exit() - remove the state files
 */
void mp_debugfs_exit(void)
{
	debugfs_remove_recursive(mp_debugfs_dir);
}
