/* SPDX-License-Identifier: GPL-2.0 */
/*
 * minipipe — race windows, for the race tests of debug builds.
 *
 * A race in lockless code often needs a few instructions of bad luck: one
 * CPU must stop at exactly the wrong place while another moves on.  Tests
 * cannot wait for that luck, so the places where it matters are named
 * here, and a build with MINIPIPE_RACE_POINTS=y (make check-debug) can be
 * told to wait at one of them:
 *
 *   echo 200 > /sys/kernel/debug/minipipe/race/ring_snapshot
 *
 * makes every pass through that point busy-wait 200 microseconds (0, the
 * default, turns it off; at most MP_RACE_MAX_US).  With a thread id in
 * race/victim, only that thread waits (0, the default: every task), so a
 * test can stop one task at the point for as long as it needs to move the
 * others on; race/waiting says how many tasks wait at a point now.  A
 * correct protocol does not care how long a CPU stops anywhere, so the
 * tests pass either way; a broken one fails every time instead of once a
 * week.  In every other build mp_race_window() is an empty inline
 * function, and mp_race_mutex_unlock() is mutex_unlock().
 *
 * One window lies inside the kernel rather than in minipipe: the few
 * instructions of mutex_unlock() between clearing the owner word and
 * taking the mutex's wait_lock, where another task can take the mutex,
 * finish, and free the memory the unlocker is about to touch
 * (Documentation/locking/mutex-design.rst).  At race/release_unlock,
 * mp_race_mutex_unlock() holds that window open for the thread in
 * race/victim only (never for every task): it sleeps for the delay with
 * the mutex held, then holds the victim inside mutex_unlock() while it
 * wakes the thread in race/wakee; race/release_unlock_opened and
 * race/release_unlock_held count the windows that held the victim and
 * those in which the wakee took the mutex meanwhile (race.c).
 */
#ifndef MINIPIPE_RACE_H
#define MINIPIPE_RACE_H

struct dentry;
struct mutex;

/**
 * enum mp_race_point - the places a debug build can be told to wait at
 * @MP_RACE_RING_SNAPSHOT:  a lockless "is the ring full" (poll, the writers'
 *                          wait condition and spin) has loaded head and tail
 *                          and not yet acted on them (mp_ring_full_lockless())
 * @MP_RACE_RELEASE_UNLOCK: a release unlocks pipe->lock
 *                          (mp_race_mutex_unlock() in mp_release())
 * @MP_RACE_SLOT_RELEASED:  a reader has moved tail past a drained borrowed
 *                          slot and not yet put its page (mp_slot_consume()):
 *                          a writer may be filling the slot meanwhile
 * @MP_RACE_TEE_SLOT:       a tee has looked at one slot of its input and not
 *                          yet at the next (mp_ring_tee()): the input's
 *                          writer may finish an append and add slots
 * @MP_RACE_SPLICE_EOF:     a splice between minipipes that moved nothing has
 *                          loaded the input's writer count and not yet its
 *                          unread bytes (mp_link()): a writer may write and
 *                          close meanwhile
 * @MP_RACE_NR_POINTS:      how many there are
 */
enum mp_race_point {
	MP_RACE_RING_SNAPSHOT,
	MP_RACE_RELEASE_UNLOCK,
	MP_RACE_SLOT_RELEASED,
	MP_RACE_TEE_SLOT,
	MP_RACE_SPLICE_EOF,
	MP_RACE_NR_POINTS,
};

/* The longest wait one point may be given, in microseconds: 1 s. */
#define MP_RACE_MAX_US	1000000

#ifdef MINIPIPE_RACE_POINTS
void mp_race_window(enum mp_race_point point);
void mp_race_mutex_unlock(struct mutex *lock, enum mp_race_point point);
void mp_race_debugfs_init(struct dentry *parent);
#else
#include <linux/mutex.h>

static inline void mp_race_window(enum mp_race_point point) { }

static inline void mp_race_mutex_unlock(struct mutex *lock, enum mp_race_point point)
{
	mutex_unlock(lock);
}

static inline void mp_race_debugfs_init(struct dentry *parent) { }
#endif

#endif /* MINIPIPE_RACE_H */
