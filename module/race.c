// SPDX-License-Identifier: GPL-2.0
/*
 * minipipe — race windows (debug builds only; see race.h).
 *
 * Built only with MINIPIPE_RACE_POINTS=y.  Each point has a delay in
 * microseconds, set through debugfs and read at every pass: the delay is a
 * busy-wait, since some points sit where sleeping is not allowed (a wait
 * condition runs with the task already marked as sleeping).
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>

#include "race.h"

static const char * const mp_race_names[MP_RACE_NR_POINTS] = {
	[MP_RACE_RING_SNAPSHOT] = "ring_snapshot",
};

/* Written by debugfs, read by every pass: both sides marked. */
static unsigned int mp_race_delay_us[MP_RACE_NR_POINTS];

/**
 * mp_race_window() - wait at @point for as long as debugfs says
 * @point: where we are
 */
void mp_race_window(enum mp_race_point point)
{
	unsigned int us = READ_ONCE(mp_race_delay_us[point]);

	if (us)
		udelay(us);
}

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

/**
 * mp_race_debugfs_init() - create race/<point> under the module's debugfs dir
 * @parent: /sys/kernel/debug/minipipe
 */
void mp_race_debugfs_init(struct dentry *parent)
{
	struct dentry *dir = debugfs_create_dir("race", parent);
	unsigned int i;

	for (i = 0; i < MP_RACE_NR_POINTS; i++)
		debugfs_create_file_unsafe(mp_race_names[i], 0600, dir, &mp_race_delay_us[i],
					   &mp_race_fops);
}
