/* SPDX-License-Identifier: GPL-2.0 */
/*
 * minipipe — per-user page accounting, as fs/pipe.c's pipe-user-pages-soft
 * and pipe-user-pages-hard (account.c).
 *
 * Every ring is charged, one page per slot, to the user who set it up: an
 * anonymous pipe's creator, or a named pipe's first opener (a FIFO's pipe
 * is charged to whoever opened it first, since fifo_open() allocates it
 * then).  The charge follows each resize and goes with the ring at the
 * last close.  minipipe keeps its own count per user, across all of its
 * pipes and apart from the kernel's: a minipipe never changes what the
 * kernel's own pipes are charged, nor the other way round.
 */
#ifndef MINIPIPE_ACCOUNT_H
#define MINIPIPE_ACCOUNT_H

#include <linux/atomic.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <linux/uidgid.h>

struct seq_file;

/**
 * struct mp_user - one user's charge, shared by all the rings charged to it
 * @node:  in the table of users (account.c), under its mutex
 * @uid:   the user: the real uid of the task that set the ring up, as the
 *         kernel's user_struct
 * @refs:  one per ring charged; the last put takes the entry out of the
 *         table, so an entry outlives every ring charged to it
 * @pages: pages (slots) charged, changed by mp_user_charge() outside every
 *         lock, hence an atomic: the sum is exact, only the moment a
 *         concurrent charge is seen can vary, as with user->pipe_bufs
 */
struct mp_user {
	struct hlist_node node;
	kuid_t uid;
	refcount_t refs;
	atomic_long_t pages;
};

struct mp_user *mp_user_get(void);
void mp_user_put(struct mp_user *user);
unsigned long mp_user_charge(struct mp_user *user, unsigned int old_pages,
			     unsigned int new_pages);
bool mp_user_over_soft(unsigned long pages);
bool mp_user_over_hard(unsigned long pages);
bool mp_user_unprivileged(void);
void mp_users_show(struct seq_file *m);

#endif /* MINIPIPE_ACCOUNT_H */
