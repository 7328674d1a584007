/* SPDX-License-Identifier: GPL-2.0 */
/*
 * minipipe — the file operations of a pipe's files (fops.c), for the
 * named nodes (main.c) and the ends of anonymous pipes (control.c).
 */
#ifndef MINIPIPE_FOPS_H
#define MINIPIPE_FOPS_H

#include <linux/fs.h>

#include "pipe.h"

/**
 * struct mp_file_priv - what one open file of a pipe knows (filp->private_data)
 * @pipe:           the pipe
 * @w_counter_seen: writer generation this reader has seen; POLLHUP is
 *                  reported only once a writer has come since (see mp_poll())
 *
 * fs/pipe.c keeps the same generation in filp->f_version (f_pipe since
 * v6.12); a module cannot use that field, hence this small struct.
 */
struct mp_file_priv {
	struct minipipe *pipe;
	unsigned int w_counter_seen;
};

extern const struct file_operations mp_fops;

struct file *mp_anon_end_open(struct minipipe *pipe, struct inode *inode,
			      struct vfsmount *mnt, bool write_end,
			      unsigned int flags);

#endif /* MINIPIPE_FOPS_H */
