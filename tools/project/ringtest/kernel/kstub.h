/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ringtest — the hooks between the kernel-API stand-in and the test.
 *
 * The stand-in under kernel/ is headers only; what it cannot own (a count
 * that spans translation units, a place to stop a thread) the test defines,
 * the way module/race.h leaves mp_race_window() to the debug build.
 */
#ifndef KSTUB_H
#define KSTUB_H

/* Pages alive: alloc_page() minus __free_page(), to find leaks. */
extern long kstub_live_pages;

/*
 * Called around every spin_lock()/spin_unlock() and where a copy to or from
 * an iov_iter may be told to stop: the test may delay the thread there.
 */
void kstub_preempt_point(void);

#endif /* KSTUB_H */
