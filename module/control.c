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
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/uaccess.h>

#include "control.h"
#include "fops.h"
#include "pipe.h"
#include "uapi/minipipe.h"

#define MP_PIPE2_FLAGS	(O_CLOEXEC | O_NONBLOCK | O_DIRECT)

/*
 * pipe2(2) for minipipe.  The order of the steps follows do_pipe2(): the
 * files exist before the fds are reserved, and a bad user pointer is
 * noticed last, after which everything is released again (EFAULT).
 */
static long mp_ctl_pipe2(struct minipipe_pair __user *argp)
{
	struct minipipe_pair pair;
	struct file *files[2];
	struct minipipe *pipe;
	int fds[2], nonblock, ret;

	if (copy_from_user(&pair, argp, sizeof(pair)))
		return -EFAULT;
	if ((pair.flags & ~MP_PIPE2_FLAGS) || pair.reserved)
		return -EINVAL;

	pipe = mp_anon_pipe_create();
	if (!pipe)
		return -ENOMEM;
	nonblock = pair.flags & O_NONBLOCK;
	files[0] = mp_anon_end_open(pipe, false, nonblock);
	if (IS_ERR(files[0])) {
		ret = PTR_ERR(files[0]);
		goto put_pipe;
	}
	files[1] = mp_anon_end_open(pipe, true, nonblock);
	if (IS_ERR(files[1])) {
		ret = PTR_ERR(files[1]);
		fput(files[0]);
		goto put_pipe;
	}
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
	/* From here on the two files hold the pipe. */
	mp_anon_pipe_put(pipe);
	return 0;

put_fd1:
	put_unused_fd(fds[1]);
put_fd0:
	put_unused_fd(fds[0]);
put_files:
	fput(files[0]);
	fput(files[1]);
put_pipe:
	/* The last reference, ours or a file's (when its release runs), frees the pipe. */
	mp_anon_pipe_put(pipe);
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
