/* SPDX-License-Identifier: GPL-2.0 */
/* minipipe — the state files under /sys/kernel/debug/minipipe/ (debugfs.c). */
#ifndef MINIPIPE_DEBUGFS_H
#define MINIPIPE_DEBUGFS_H

void mp_debugfs_init(unsigned int nr_named_pipes);
void mp_debugfs_exit(void);

#endif /* MINIPIPE_DEBUGFS_H */
