// SPDX-License-Identifier: GPL-2.0
/*
 * minipipe — anonymous pipes: the pipe2(2) of minipipe.
 *
 * /dev/minipipe-ctl is a misc device whose only job is the
 * MINIPIPE_IOC_PIPE2 ioctl: it creates a private pipe and returns its two
 * ends as file descriptors.  Like the files of pipe(2), the ends have no
 * path and share one inode of their own: a FIFO inode, mode 0600, owned by
 * the creator, whose times, locks and number are the pair's alone.
 * Opening the control node never blocks, which is what a misc device
 * needs: misc_open() holds a global mutex while it calls ->open.
 *
 * The inodes live on the kernel's anon_inodefs, as anon_inode_getfile()'s
 * shared inode does (pipe(2)'s live on pipefs, which is not exported).  A
 * file system of minipipe's own would pin the module for as long as it is
 * mounted (a superblock holds its type's module), and rmmod would never
 * succeed.
 */
#include <linux/anon_inodes.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/mount.h>
#include <linux/uaccess.h>

#include "control.h"
#include "fops.h"
#include "pipe.h"
#include "uapi/minipipe.h"

#define MP_PIPE2_FLAGS	(O_CLOEXEC | O_NONBLOCK | O_DIRECT)

/* anon_inodefs' mount, held from load to unload (mp_control_register()). */
static struct vfsmount *mp_anon_mnt;

/*
 * The inode of a new pair, with the owner, mode and times get_pipe_inode()
 * gives pipe(2)'s.  Unlike a pipefs inode it is S_PRIVATE, as every inode
 * of anon_inodefs, so security modules do not check its accesses.
 */
static struct inode *mp_pair_inode_create(void)
{
	struct inode *inode = alloc_anon_inode(mp_anon_mnt->mnt_sb);

	if (IS_ERR(inode))
		return inode;
	/* alloc_anon_inode() has set the owner and the times. */
	inode->i_mode = S_IFIFO | 0600;
	return inode;
}

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
	struct inode *inode;
	int fds[2], nonblock, ret;

	if (copy_from_user(&pair, argp, sizeof(pair)))
		return -EFAULT;
	if ((pair.flags & ~MP_PIPE2_FLAGS) || pair.reserved)
		return -EINVAL;

	/* As create_pipe_files(): no pipe, no inode, no ring is ENFILE. */
	pipe = mp_anon_pipe_create();
	if (!pipe)
		return -ENFILE;
	inode = mp_pair_inode_create();
	if (IS_ERR(inode)) {
		ret = -ENFILE;
		goto put_pipe;
	}
	nonblock = pair.flags & O_NONBLOCK;
	files[0] = mp_anon_end_open(pipe, inode, mp_anon_mnt, false, nonblock);
	if (IS_ERR(files[0])) {
		ret = PTR_ERR(files[0]);
		goto put_inode;
	}
	/* As pipe2(O_DIRECT): only the write end makes packets. */
	files[1] = mp_anon_end_open(pipe, inode, mp_anon_mnt, true,
				    nonblock | (pair.flags & O_DIRECT));
	if (IS_ERR(files[1])) {
		ret = PTR_ERR(files[1]);
		fput(files[0]);
		goto put_inode;
	}

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
	/* From here on the two files hold the pipe and the inode. */
	iput(inode);
	mp_anon_pipe_put(pipe);
	return 0;

put_fd1:
	put_unused_fd(fds[1]);
put_fd0:
	put_unused_fd(fds[0]);
put_files:
	fput(files[0]);
	fput(files[1]);
put_inode:
	iput(inode);
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

/*
 * No exported symbol names anon_inodefs' mount: a file of
 * anon_inode_getfile(), made for the purpose, shows it.  Its last fput()
 * runs later, when insmod returns to user space, and a load that fails
 * meanwhile has freed the module: so the file's operations are the
 * kernel's own generic_ro_fops (never called: the file is never read), and
 * nothing of that file points into the module.
 */
static int mp_anon_mount_get(void)
{
	struct file *probe;

	probe = anon_inode_getfile("[minipipe]", &generic_ro_fops, NULL, O_RDONLY);
	if (IS_ERR(probe))
		return PTR_ERR(probe);
	mp_anon_mnt = mntget(probe->f_path.mnt);
	fput(probe);
	return 0;
}

/**
 * mp_control_register() - create /dev/minipipe-ctl
 * @mode: permissions of the node
 *
 * Return: 0 or a negative errno.
 */
int mp_control_register(umode_t mode)
{
	int ret;

	ret = mp_anon_mount_get();
	if (ret)
		return ret;
	mp_ctl_dev.mode = mode;
	ret = misc_register(&mp_ctl_dev);
	if (ret)
		mntput(mp_anon_mnt);
	return ret;
}

/**
 * mp_control_unregister() - remove /dev/minipipe-ctl
 *
 * Context: no anonymous pipe is left (each end's file holds the module).
 */
void mp_control_unregister(void)
{
	misc_deregister(&mp_ctl_dev);
	mntput(mp_anon_mnt);
}
