// SPDX-License-Identifier: GPL-2.0
/*
 * minipipe — anonymous pipes: the pipe2(2) of minipipe.
 *
 * /dev/minipipe-ctl is a misc device whose only job is the
 * MINIPIPE_IOC_PIPE2 ioctl: it creates a private pipe and returns its two
 * ends as file descriptors.  The ends are anonymous-inode files (no path,
 * like the files of pipe(2)), so creating them touches no named pipe.
 * Opening the control node never blocks, which is what a misc device
 * needs: misc_open() holds a global mutex while it calls ->open.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "minipipe.h"
#include "uapi/minipipe.h"

#define MP_PIPE2_FLAGS	(O_CLOEXEC | O_NONBLOCK | O_DIRECT)

/* Anonymous pipes are numbered for the traces: anon1, anon2, ... */
static atomic_t mp_anon_serial = ATOMIC_INIT(0);

/* A fresh pipe, counting both of its ends as open. */
static struct minipipe *mp_anon_pipe_create(struct mp_file *ends[2])
{
	struct minipipe *pipe = kzalloc(sizeof(*pipe), GFP_KERNEL_ACCOUNT);

	if (!pipe)
		return NULL;
	mp_pipe_init(pipe, true, atomic_inc_return(&mp_anon_serial));
	ends[0] = mp_file_alloc(pipe);
	ends[1] = mp_file_alloc(pipe);
	if (!ends[0] || !ends[1] || mp_ring_init(&pipe->ring, MP_RING_DEFAULT_SLOTS))
		goto free;
	pipe->files = 2;
	refcount_set(&pipe->refs, 2);
	pipe->readers = 1;
	pipe->writers = 1;
	return pipe;
free:
	kfree(ends[0]);
	kfree(ends[1]);
	mp_pipe_destroy(pipe);
	kfree(pipe);
	return NULL;
}

/*
 * pipe2(2) for minipipe.  The order of the steps follows do_pipe2(): the
 * files exist before the fds are reserved, and a bad user pointer is
 * noticed last, after which everything is released again (EFAULT).
 */
static long mp_ctl_pipe2(struct minipipe_pair __user *argp)
{
	struct minipipe_pair pair;
	struct mp_file *ends[2];
	struct file *files[2];
	struct minipipe *pipe;
	int fds[2], nonblock, ret;

	if (copy_from_user(&pair, argp, sizeof(pair)))
		return -EFAULT;
	if ((pair.flags & ~MP_PIPE2_FLAGS) || pair.reserved)
		return -EINVAL;

	pipe = mp_anon_pipe_create(ends);
	if (!pipe)
		return -ENOMEM;
	nonblock = pair.flags & O_NONBLOCK;
	files[0] = anon_inode_getfile("[minipipe]", &mp_fops, ends[0], O_RDONLY | nonblock);
	if (IS_ERR(files[0])) {
		ret = PTR_ERR(files[0]);
		mp_ring_destroy(&pipe->ring);
		kfree(ends[0]);
		kfree(ends[1]);
		mp_pipe_destroy(pipe);
		kfree(pipe);
		return ret;
	}
	files[1] = anon_inode_getfile("[minipipe]", &mp_fops, ends[1], O_WRONLY | nonblock);
	if (IS_ERR(files[1])) {
		/* Only the read end exists: its release frees the pipe. */
		pipe->files = 1;
		refcount_set(&pipe->refs, 1);
		pipe->writers = 0;
		kfree(ends[1]);
		fput(files[0]);
		return PTR_ERR(files[1]);
	}
	mp_file_attach(files[0]);
	mp_file_attach(files[1]);
	/* As pipe2(O_DIRECT): only the write end makes packets. */
	files[1]->f_flags |= pair.flags & O_DIRECT;

	ret = get_unused_fd_flags(pair.flags & O_CLOEXEC);
	if (ret < 0)
		goto put_files;
	fds[0] = ret;
	ret = get_unused_fd_flags(pair.flags & O_CLOEXEC);
	if (ret < 0)
		goto put_fd0;
	fds[1] = ret;
	if (copy_to_user(u64_to_user_ptr(pair.fds), fds, sizeof(fds))) {
		ret = -EFAULT;
		goto put_fd1;
	}
	fd_install(fds[0], files[0]);
	fd_install(fds[1], files[1]);
	return 0;

put_fd1:
	put_unused_fd(fds[1]);
put_fd0:
	put_unused_fd(fds[0]);
put_files:
	/* The second release frees the pipe. */
	fput(files[0]);
	fput(files[1]);
	return ret;
}

static long mp_ctl_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	if (cmd == MINIPIPE_IOC_PIPE2)
		return mp_ctl_pipe2((struct minipipe_pair __user *)arg);
	return -ENOTTY;
}

static const struct file_operations mp_ctl_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= mp_ctl_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice mp_ctl_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "minipipe-ctl",
	.fops	= &mp_ctl_fops,
};

/**
 * mp_control_register() - create /dev/minipipe-ctl
 * @mode: permissions of the node
 *
 * Return: 0 or a negative errno.
 */
int mp_control_register(umode_t mode)
{
	mp_ctl_dev.mode = mode;
	return misc_register(&mp_ctl_dev);
}

/**
 * mp_control_unregister() - remove /dev/minipipe-ctl
 */
void mp_control_unregister(void)
{
	misc_deregister(&mp_ctl_dev);
}
