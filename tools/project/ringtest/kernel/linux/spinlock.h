/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ringtest stand-in: a spinlock is a pthread mutex that knows its owner.
 *
 * A mutex, not a pthread spinlock: ThreadSanitizer understands both, but a
 * thread the test delays while it holds the lock must not burn the other
 * CPU.  The owner makes lockdep_assert_held() a real check: held, and by
 * this thread.
 */
#ifndef KSTUB_LINUX_SPINLOCK_H
#define KSTUB_LINUX_SPINLOCK_H

#include <assert.h>
#include <pthread.h>
#include <unistd.h>

#include <linux/types.h>
#include <kstub.h>

typedef struct {
	pthread_mutex_t mutex;
	pid_t owner;		/* gettid() of the holder, 0 if none */
} spinlock_t;

static inline void spin_lock_init(spinlock_t *lock)
{
	pthread_mutex_init(&lock->mutex, NULL);
	lock->owner = 0;
}

static inline void spin_lock(spinlock_t *lock)
{
	kstub_preempt_point();
	pthread_mutex_lock(&lock->mutex);
	WRITE_ONCE(lock->owner, gettid());
}

static inline void spin_unlock(spinlock_t *lock)
{
	assert(READ_ONCE(lock->owner) == gettid());
	WRITE_ONCE(lock->owner, 0);
	pthread_mutex_unlock(&lock->mutex);
	kstub_preempt_point();
}

#define lockdep_assert_held(l)	assert(READ_ONCE((l)->owner) == gettid())

#endif /* KSTUB_LINUX_SPINLOCK_H */
