/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ringtest stand-in: marked accesses and static_assert.
 *
 * READ_ONCE()/WRITE_ONCE() become relaxed atomics: ThreadSanitizer then
 * treats them as marked accesses, as KCSAN does, and reports only plain
 * accesses that race.  Acquire and release map to their C11 twins.
 */
#ifndef KSTUB_LINUX_COMPILER_H
#define KSTUB_LINUX_COMPILER_H

#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)

/* As in include/linux/build_bug.h: the message is optional. */
#define static_assert(expr, ...) __static_assert(expr, ##__VA_ARGS__, #expr)
#define __static_assert(expr, msg, ...) _Static_assert(expr, msg)

#endif /* KSTUB_LINUX_COMPILER_H */
