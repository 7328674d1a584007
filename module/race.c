// SPDX-License-Identifier: GPL-2.0
/*
 * minipipe — race windows (debug builds only; see race.h).
 *
 * Built only with MINIPIPE_RACE_POINTS=y.  Each point has a delay in
 * microseconds, set through debugfs and read at every pass: the delay is a
 * busy-wait, since some points sit where sleeping is not allowed (a wait
 * condition runs with the task already marked as sleeping).  It stays
 * preemptible, so a long wait only keeps its own CPU busy.
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/sched.h>

#include "race.h"

static const char * const mp_race_names[MP_RACE_NR_POINTS] = {
	[MP_RACE_RING_SNAPSHOT] = "ring_snapshot",
};

/* Written by debugfs, read by every pass: both sides marked. */
static unsigned int mp_race_delay_us[MP_RACE_NR_POINTS];
/* The only thread that waits (a thread id), or 0 for every task. */
static unsigned int mp_race_victim;
/* Tasks waiting at a point now: a test knows its victim is there. */
static atomic_t mp_race_waiting = ATOMIC_INIT(0);

/**
 * mp_race_window() - wait at @point for as long as debugfs says
 * @point: where we are
 */
void mp_race_window(enum mp_race_point point)
{
	unsigned int us = READ_ONCE(mp_race_delay_us[point]);
	unsigned int victim = READ_ONCE(mp_race_victim);
	unsigned int step;

	if (!us || (victim && victim != task_pid_nr(current)))
		return;
	atomic_inc(&mp_race_waiting);
	/* udelay() is for short waits: a long one is taken in steps. */
	for (; us; us -= step) {
		step = min(us, 100U);
		udelay(step);
	}
	atomic_dec(&mp_race_waiting);
}

static int mp_race_waiting_get(void *data, u64 *val)
{
	*val = atomic_read(&mp_race_waiting);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(mp_race_waiting_fops, mp_race_waiting_get, NULL, "%llu\n");

static int mp_race_get(void *data, u64 *val)
{
	*val = READ_ONCE(*(unsigned int *)data);
	return 0;
}

static int mp_race_set(void *data, u64 val)
{
	if (val > MP_RACE_MAX_US)
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(mp_race_fops, mp_race_get, mp_race_set, "%llu\n");

static int mp_race_victim_set(void *data, u64 val)
{
	if (val > PID_MAX_LIMIT)
		return -EINVAL;
	WRITE_ONCE(mp_race_victim, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(mp_race_victim_fops, mp_race_get, mp_race_victim_set, "%llu\n");

/**
 * mp_race_debugfs_init() - create the race/ files under the module's debugfs dir
 * @parent: /sys/kernel/debug/minipipe
 */
void mp_race_debugfs_init(struct dentry *parent)
{
	struct dentry *dir = debugfs_create_dir("race", parent);
	unsigned int i;

	for (i = 0; i < MP_RACE_NR_POINTS; i++)
		debugfs_create_file_unsafe(mp_race_names[i], 0600, dir, &mp_race_delay_us[i],
					   &mp_race_fops);
	debugfs_create_file_unsafe("victim", 0600, dir, &mp_race_victim, &mp_race_victim_fops);
	debugfs_create_file_unsafe("waiting", 0400, dir, NULL, &mp_race_waiting_fops);
}
