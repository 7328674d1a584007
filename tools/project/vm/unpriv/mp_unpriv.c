// SPDX-License-Identifier: GPL-2.0
/*
 * mp_unpriv UID GID PROGRAM [ARG...] — run PROGRAM as UID/GID with no
 * supplementary groups and no capabilities.  The guest's /init (run as
 * root) uses it for the unprivileged pass of make check; busybox has no
 * applet that changes the uid (its setpriv only sets capabilities, its
 * su needs an /etc/passwd).  Refuses to run PROGRAM unless the change
 * took: a run that kept root would pass the tests it is meant to check.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/syscall.h>

/* Whether any capability is left in the effective, permitted or inheritable set. */
static int any_cap(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return 1;
	return data[0].effective || data[1].effective || data[0].permitted ||
	       data[1].permitted || data[0].inheritable || data[1].inheritable;
}

int main(int argc, char **argv)
{
	uid_t uid;
	gid_t gid;

	if (argc < 4) {
		fprintf(stderr, "usage: %s UID GID PROGRAM [ARG...]\n", argv[0]);
		return 2;
	}
	uid = strtoul(argv[1], NULL, 10);
	gid = strtoul(argv[2], NULL, 10);
	/* Groups and gid first: after setresuid() they can no longer change. */
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid)) {
		fprintf(stderr, "mp_unpriv: %s\n", strerror(errno));
		return 1;
	}
	/* Ambient capabilities would survive the exec. */
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (getuid() != uid || geteuid() != uid || getgid() != gid || getegid() != gid ||
	    getgroups(0, NULL) != 0 || any_cap()) {
		fprintf(stderr, "mp_unpriv: still privileged\n");
		return 1;
	}
	execv(argv[3], argv + 3);
	fprintf(stderr, "mp_unpriv: %s: %s\n", argv[3], strerror(errno));
	return 1;
}
