// SPDX-License-Identifier: GPL-2.0
/*
 * minipipe — race windows (debug builds only; see race.h).
 *
 * Built only with MINIPIPE_RACE_POINTS=y.  Each point has a delay in
 * microseconds, set through debugfs and read at every pass.  At the points
 * of mp_race_window() the delay is a busy-wait, since some sit where
 * sleeping is not allowed (a wait condition runs with the task already
 * marked as sleeping); it stays preemptible, so a long wait only keeps its
 * own CPU busy.  The unlock window of mp_race_mutex_unlock() sleeps, then
 * holds its victim briefly with interrupts off (below).
 */
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/hw_breakpoint.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "race.h"

static const char * const mp_race_names[MP_RACE_NR_POINTS] = {
	[MP_RACE_RING_SNAPSHOT] = "ring_snapshot",
	[MP_RACE_RELEASE_UNLOCK] = "release_unlock",
	[MP_RACE_SLOT_RELEASED] = "slot_released",
	[MP_RACE_TEE_SLOT] = "tee_slot",
	[MP_RACE_SPLICE_EOF] = "splice_eof",
};

/* Written by debugfs, read by every pass: both sides marked. */
static unsigned int mp_race_delay_us[MP_RACE_NR_POINTS];
/* The only thread that waits (a thread id), or 0 for every task. */
static unsigned int mp_race_victim;
/* The thread the unlock window wakes (a thread id; see below). */
static unsigned int mp_race_wakee;
/* Tasks waiting at a point now: a test knows its victim is there. */
static atomic_t mp_race_waiting = ATOMIC_INIT(0);

/* How long the current task is to wait at @point: 0 for not at all. */
static unsigned int mp_race_delay(enum mp_race_point point)
{
	unsigned int victim = READ_ONCE(mp_race_victim);

	if (victim && victim != task_pid_nr(current))
		return 0;
	return READ_ONCE(mp_race_delay_us[point]);
}

/**
 * mp_race_window() - wait at @point for as long as debugfs says
 * @point: where we are
 */
void mp_race_window(enum mp_race_point point)
{
	unsigned int us = mp_race_delay(point);
	unsigned int step;

	if (!us)
		return;
	atomic_inc(&mp_race_waiting);
	/* udelay() is for short waits: a long one is taken in steps. */
	for (; us; us -= step) {
		step = min(us, 100U);
		udelay(step);
	}
	atomic_dec(&mp_race_waiting);
}

/*
 * The unlock window.  mutex_unlock() of a mutex with waiters first clears
 * the owner word, then takes the mutex's wait_lock to wake the first
 * waiter.  Whoever takes the mutex in between (a new locker, or a waiter
 * that wakes early: wait loops must tolerate spurious wake-ups) can finish
 * with it and free the memory it lives in before the unlocker takes that
 * wait_lock.  To hold the window open, the victim
 *   1. sleeps with the mutex held, for the point's delay, so that the
 *      contender stops spinning on it and queues as a waiter;
 *   2. sets a hardware watchpoint on the owner word and has a helper on
 *      another CPU wait for it to fire;
 *   3. unlocks once the helper runs: the watchpoint fires on the write
 *      that leaves the mutex unowned and holds the victim just after it
 *      (with interrupts off, so briefly: MP_RACE_HOLD_US at most), while
 *      the helper wakes the thread in race/wakee, which takes the mutex,
 *      finishes with it and lets it go (the watchpoint sees both).
 * Only with a victim, a wakee, a second CPU, a free debug register and a
 * mutex that has the window (not PREEMPT_RT's, compat.h); one window at a
 * time.  race/release_unlock_opened counts the windows that held their
 * victim, race/release_unlock_held those in which the wakee took the mutex
 * meanwhile, so that a test knows the interleaving took place.
 */
#define MP_RACE_HOLD_US		(100 * USEC_PER_MSEC)
#define MP_RACE_AFTER_US	(10 * USEC_PER_MSEC)

struct mp_race_unlock {
	struct work_struct helper;
	struct completion helper_runs;
	struct mutex *lock;	/* the mutex being unlocked */
	struct task_struct *victim;
	struct task_struct *wakee;
	bool held;		/* the watchpoint holds the victim */
	bool taken;		/* meanwhile the wakee took the mutex */
	bool released;		/* and let it go again */
	bool unlocked;		/* the victim is out of mutex_unlock() */
};

static unsigned long mp_race_unlock_busy;
static atomic_t mp_race_unlock_opened = ATOMIC_INIT(0);
static atomic_t mp_race_unlock_held = ATOMIC_INIT(0);

/*
 * Busy-wait until @end (ns, the NMI-safe clock) or until *@flag is set;
 * and in any case for no more than about 10 * MP_RACE_HOLD_US of udelay(),
 * should the clock stand still while interrupts are off.
 */
static void mp_race_hold(u64 end, const bool *flag)
{
	unsigned int n;

	for (n = 0; n < 10 * MP_RACE_HOLD_US; n++) {
		if (ktime_get_mono_fast_ns() >= end || (flag && READ_ONCE(*flag)))
			return;
		udelay(1);
	}
}

/*
 * The watchpoint, on every write to the owner word while it is set.  The
 * victim's write that leaves the mutex unowned: hold the victim, until the
 * wakee has taken the mutex and let it go again, and a moment more for
 * whatever the wakee frees after that.  The wakee's writes: take note of
 * its lock and unlock, and after the unlock touch nothing (it may have
 * freed the mutex).
 */
static void mp_race_unlock_watch(struct perf_event *bp, struct perf_sample_data *data,
				 struct pt_regs *regs)
{
	struct mp_race_unlock *w = bp->overflow_handler_context;
	u64 end;

	if (current == w->wakee) {
		if (!READ_ONCE(w->held) || READ_ONCE(w->released))
			return;
		if (mutex_is_locked(w->lock))
			WRITE_ONCE(w->taken, true);
		else if (READ_ONCE(w->taken))
			WRITE_ONCE(w->released, true);
		return;
	}
	if (current != w->victim || READ_ONCE(w->held) || mutex_is_locked(w->lock))
		return;
	WRITE_ONCE(w->held, true);
	atomic_inc(&mp_race_unlock_opened);
	/* By the clock: emulated CPUs can run udelay() short. */
	end = ktime_get_mono_fast_ns() + MP_RACE_HOLD_US * NSEC_PER_USEC;
	mp_race_hold(end, &w->released);
	mp_race_hold(min(end, ktime_get_mono_fast_ns() + MP_RACE_AFTER_US * NSEC_PER_USEC), NULL);
	if (READ_ONCE(w->taken))
		atomic_inc(&mp_race_unlock_held);
}

/* The helper: once the victim is held, wake the wakee. */
static void mp_race_unlock_help(struct work_struct *work)
{
	struct mp_race_unlock *w = container_of(work, struct mp_race_unlock, helper);

	complete(&w->helper_runs);
	while (!READ_ONCE(w->held)) {
		if (READ_ONCE(w->unlocked))
			return;
		cpu_relax();
	}
	wake_up_process(w->wakee);
}

/* Steps 2 and 3, with @w filled in; false if no watchpoint could be set. */
static bool mp_race_unlock_held_open(struct mp_race_unlock *w, unsigned long owner_word)
{
	struct perf_event * __percpu *watch;
	struct perf_event_attr attr;
	unsigned int cpu;

	hw_breakpoint_init(&attr);
	attr.bp_addr = owner_word;
	attr.bp_len = sizeof(long);
	attr.bp_type = HW_BREAKPOINT_W;
	watch = register_wide_hw_breakpoint(&attr, mp_race_unlock_watch, w);
	if (IS_ERR_OR_NULL(watch)) {
		pr_warn_once("minipipe: race/release_unlock: no hardware watchpoint (%ld)\n",
			     PTR_ERR(watch));
		return false;
	}
	migrate_disable();
	cpu = cpumask_any_but(cpu_online_mask, smp_processor_id());
	if (cpu >= nr_cpu_ids) {
		migrate_enable();
		unregister_wide_hw_breakpoint(watch);
		return false;
	}
	queue_work_on(cpu, system_highpri_wq, &w->helper);
	wait_for_completion(&w->helper_runs);
	mutex_unlock(w->lock);
	WRITE_ONCE(w->unlocked, true);
	migrate_enable();
	flush_work(&w->helper);
	unregister_wide_hw_breakpoint(watch);
	return true;
}

/**
 * mp_race_mutex_unlock() - mutex_unlock(), with the unlock window at @point
 * @lock:  a mutex the current task holds
 * @point: where we are
 *
 * Context: process context; may sleep (for the window's delay).
 */
void mp_race_mutex_unlock(struct mutex *lock, enum mp_race_point point)
{
	unsigned int victim = READ_ONCE(mp_race_victim);
	unsigned int us = READ_ONCE(mp_race_delay_us[point]);
	unsigned long owner_word = mp_mutex_owner_word(lock);
	struct mp_race_unlock w = { .lock = lock, .victim = current };
	bool opened = false;

	if (!us || !owner_word || victim != task_pid_nr(current) ||
	    test_and_set_bit_lock(0, &mp_race_unlock_busy)) {
		mutex_unlock(lock);
		return;
	}
	atomic_inc(&mp_race_waiting);
	msleep(DIV_ROUND_UP(us, USEC_PER_MSEC));

	rcu_read_lock();
	w.wakee = get_pid_task(find_pid_ns(READ_ONCE(mp_race_wakee), &init_pid_ns), PIDTYPE_PID);
	rcu_read_unlock();
	INIT_WORK_ONSTACK(&w.helper, mp_race_unlock_help);
	init_completion(&w.helper_runs);
	if (w.wakee)
		opened = mp_race_unlock_held_open(&w, owner_word);
	if (!opened)
		mutex_unlock(lock);
	destroy_work_on_stack(&w.helper);
	if (w.wakee)
		put_task_struct(w.wakee);
	atomic_dec(&mp_race_waiting);
	clear_bit_unlock(0, &mp_race_unlock_busy);
}

/* race/waiting and the release_unlock counts: an atomic_t, read only. */
static int mp_race_count_get(void *data, u64 *val)
{
	*val = atomic_read(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(mp_race_count_fops, mp_race_count_get, NULL, "%llu\n");

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

/* race/victim and race/wakee hold a thread id. */
static int mp_race_tid_set(void *data, u64 val)
{
	if (val > PID_MAX_LIMIT)
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(mp_race_tid_fops, mp_race_get, mp_race_tid_set, "%llu\n");

/**
 * mp_race_debugfs_init() - create the race/ files under the module's debugfs dir
 * @parent: /sys/kernel/debug/minipipe
 */
void mp_race_debugfs_init(struct dentry *parent)
{
	struct dentry *dir = debugfs_create_dir("race", parent);
	unsigned int i;

	for (i = 0; i < MP_RACE_NR_POINTS; i++) {
		/* No unlock window to open here (PREEMPT_RT, not x86: compat.h). */
		if (i == MP_RACE_RELEASE_UNLOCK && !MP_MUTEX_UNLOCK_WINDOW)
			continue;
		debugfs_create_file_unsafe(mp_race_names[i], 0600, dir, &mp_race_delay_us[i],
					   &mp_race_fops);
	}
	debugfs_create_file_unsafe("victim", 0600, dir, &mp_race_victim, &mp_race_tid_fops);
	debugfs_create_file_unsafe("wakee", 0600, dir, &mp_race_wakee, &mp_race_tid_fops);
	debugfs_create_file_unsafe("waiting", 0400, dir, &mp_race_waiting, &mp_race_count_fops);
	debugfs_create_file_unsafe("release_unlock_opened", 0400, dir, &mp_race_unlock_opened,
				   &mp_race_count_fops);
	debugfs_create_file_unsafe("release_unlock_held", 0400, dir, &mp_race_unlock_held,
				   &mp_race_count_fops);
}
