// SPDX-License-Identifier: GPL-2.0
/*
 * minipipe — per-user page accounting: the users' table, their charges
 * and the limits, user_pages_soft and user_pages_hard, that play
 * /proc/sys/fs/pipe-user-pages-soft and -hard for minipipes.
 *
 * The table is small and looked up only when a ring is set up (first
 * open, or an anonymous pipe's first end); the last close only drops its
 * reference.  One mutex guards it, a leaf lock taken under pipe->lock,
 * where the kernel's pipes take none (a measured cost is still to come);
 * a charge itself is an atomic add on an entry the caller holds a
 * reference to.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "account.h"

/*
 * The limits, in pages, 0 for none; the defaults are the kernel's.  Writable
 * at run time, hence read once per check with READ_ONCE (pipe.h's table).
 */
static unsigned long mp_user_pages_soft = 16384;
module_param_named(user_pages_soft, mp_user_pages_soft, ulong, 0644);
MODULE_PARM_DESC(user_pages_soft, "Pages a user's minipipes may hold before a new one gets 2 slots and none may grow without CAP_SYS_RESOURCE or CAP_SYS_ADMIN, like pipe-user-pages-soft (0: no limit, default 16384)");

static unsigned long mp_user_pages_hard;
module_param_named(user_pages_hard, mp_user_pages_hard, ulong, 0644);
MODULE_PARM_DESC(user_pages_hard, "Pages a user's minipipes may hold before no new one can be set up without CAP_SYS_RESOURCE or CAP_SYS_ADMIN, like pipe-user-pages-hard (0: no limit, the default)");

#define MP_USERS_BITS	6

static DEFINE_HASHTABLE(mp_users, MP_USERS_BITS);
/* Guards mp_users and the 0 <-> 1 transitions of the entries' refs. */
static DEFINE_MUTEX(mp_users_lock);

/**
 * mp_user_get() - the entry of the current task's user, with a reference
 *
 * Context: may sleep; the caller drops the reference with mp_user_put().
 *
 * Return: the entry, or NULL if a new one could not be allocated.
 */
struct mp_user *mp_user_get(void)
{
	kuid_t uid = current_uid();
	struct mp_user *user;

	mutex_lock(&mp_users_lock);
	hash_for_each_possible(mp_users, user, node, __kuid_val(uid)) {
		if (uid_eq(user->uid, uid)) {
			refcount_inc(&user->refs);
			goto out;
		}
	}
	user = kmalloc(sizeof(*user), GFP_KERNEL_ACCOUNT);
	if (user) {
		user->uid = uid;
		refcount_set(&user->refs, 1);
		atomic_long_set(&user->pages, 0);
		hash_add(mp_users, &user->node, __kuid_val(uid));
	}
out:
	mutex_unlock(&mp_users_lock);
	return user;
}

/**
 * mp_user_put() - drop a reference of mp_user_get(); the last frees the entry
 * @user: the entry
 *
 * The last reference is dropped under the table's mutex, so a lookup never
 * finds an entry on its way out.  Whoever drops it has uncharged its ring
 * first, so a freed entry holds no pages.
 */
void mp_user_put(struct mp_user *user)
{
	if (!refcount_dec_and_mutex_lock(&user->refs, &mp_users_lock))
		return;
	hash_del(&user->node);
	mutex_unlock(&mp_users_lock);
	WARN_ON_ONCE(atomic_long_read(&user->pages));
	kfree(user);
}

/**
 * mp_user_charge() - move a ring's charge from @old_pages to @new_pages
 * @user:      the entry the ring is charged to
 * @old_pages: what the ring was charged so far (0 for a new ring)
 * @new_pages: what it is charged from now on (0 for a ring that goes)
 *
 * As account_pipe_buffers(): the charge is made before the limits are
 * checked, and a caller that then refuses calls again to move it back.
 *
 * Return: the user's pages, this change included.
 */
unsigned long mp_user_charge(struct mp_user *user, unsigned int old_pages,
			     unsigned int new_pages)
{
	return atomic_long_add_return((long)new_pages - (long)old_pages, &user->pages);
}

/**
 * mp_user_over_soft() - are @pages past user_pages_soft?
 * @pages: a user's total, from mp_user_charge()
 *
 * Return: true if there is a soft limit and @pages exceed it.
 */
bool mp_user_over_soft(unsigned long pages)
{
	unsigned long soft = READ_ONCE(mp_user_pages_soft);

	return soft && pages > soft;
}

/**
 * mp_user_over_hard() - are @pages past user_pages_hard?
 * @pages: a user's total, from mp_user_charge()
 *
 * Return: true if there is a hard limit and @pages exceed it.
 */
bool mp_user_over_hard(unsigned long pages)
{
	unsigned long hard = READ_ONCE(mp_user_pages_hard);

	return hard && pages > hard;
}

/**
 * mp_user_unprivileged() - are the limits the current task's?
 *
 * Context: called only once a limit is passed, as fs/pipe.c does, so that a
 * privileged task is marked as having used its privilege only when it did.
 *
 * Return: true unless the task has CAP_SYS_RESOURCE or CAP_SYS_ADMIN.
 */
bool mp_user_unprivileged(void)
{
	return !capable(CAP_SYS_RESOURCE) && !capable(CAP_SYS_ADMIN);
}

/**
 * mp_users_show() - the debugfs file "users": "<uid> <pages>" per user
 * @m: the seq_file
 *
 * Users with a ring charged to them are listed, and for a moment one whose
 * ring is being set up or going (0 pages then); uids are those of the
 * initial user namespace.
 */
void mp_users_show(struct seq_file *m)
{
	struct mp_user *user;
	int bkt;

	mutex_lock(&mp_users_lock);
	hash_for_each(mp_users, bkt, user, node)
		seq_printf(m, "%u %ld\n", from_kuid(&init_user_ns, user->uid),
			   atomic_long_read(&user->pages));
	mutex_unlock(&mp_users_lock);
}
