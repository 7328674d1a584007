// SPDX-License-Identifier: GPL-2.0
/*
 * minipipe — a pipe as a character device: module load and unload, and the
 * device numbers and nodes of the named pipes /dev/minipipe,
 * /dev/minipipe1, ...  Everything a pipe does is elsewhere: see pipe.h for
 * the layers.
 *
 * The device is a full char device region (alloc_chrdev_region + cdev),
 * not a misc device: misc_open() holds a global mutex while it calls our
 * open, and a FIFO-style open sleeps until the other end arrives.
 */
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/module.h>

#include "compat.h"
#include "control.h"
#include "debugfs.h"
#include "fops.h"
#include "pipe.h"

#define MP_MAX_PIPES	64

static unsigned int nr_pipes = 4;
module_param(nr_pipes, uint, 0444);
MODULE_PARM_DESC(nr_pipes, "Number of named pipes: /dev/minipipe, /dev/minipipe1, ... (1-64, default 4)");

static ushort dev_mode = 0666;
module_param(dev_mode, ushort, 0444);
MODULE_PARM_DESC(dev_mode, "Permissions of the device nodes (octal, default 0666)");

static dev_t mp_devt;
static struct cdev mp_cdev;
static struct class *mp_class;

static char *mp_devnode(MP_DEVNODE_CONST struct device *dev, umode_t *mode)
{
	if (mode)
		*mode = dev_mode;
	return NULL;
}

static void mp_destroy_nodes(unsigned int count)
{
	while (count--)
		device_destroy(mp_class, mp_devt + count);
}

static int mp_create_nodes(void)
{
	struct device *dev;
	unsigned int i;

	for (i = 0; i < nr_pipes; i++) {
		/* Instance 0 is plain /dev/minipipe, which always exists. */
		if (i)
			dev = device_create(mp_class, NULL, mp_devt + i, NULL, "minipipe%u", i);
		else
			dev = device_create(mp_class, NULL, mp_devt, NULL, "minipipe");
		if (IS_ERR(dev)) {
			mp_destroy_nodes(i);
			return PTR_ERR(dev);
		}
	}
	return 0;
}

/* max_size (pipe.c) and spin_us (fops.c) check their own values. */
static int mp_check_params(void)
{
	if (nr_pipes < 1 || nr_pipes > MP_MAX_PIPES) {
		pr_err("minipipe: nr_pipes=%u is out of range 1-%d\n", nr_pipes, MP_MAX_PIPES);
		return -EINVAL;
	}
	if (dev_mode & ~0777) {
		pr_err("minipipe: dev_mode=%#o has bits outside 0777\n", dev_mode);
		return -EINVAL;
	}
	return 0;
}

static int __init mp_init(void)
{
	int ret;

	ret = mp_check_params();
	if (ret)
		return ret;

	ret = mp_named_pipes_create(nr_pipes);
	if (ret)
		return ret;

	/* From minor 0: a node's minor is its pipe's index (mp_named_pipe()). */
	ret = alloc_chrdev_region(&mp_devt, 0, nr_pipes, "minipipe");
	if (ret)
		goto err_pipes;

	mp_class = mp_class_create("minipipe");
	if (IS_ERR(mp_class)) {
		ret = PTR_ERR(mp_class);
		goto err_region;
	}
	mp_class->devnode = mp_devnode;

	/* Openable from here on: the pipes must be ready before cdev_add(). */
	cdev_init(&mp_cdev, &mp_fops);
	mp_cdev.owner = THIS_MODULE;
	ret = cdev_add(&mp_cdev, mp_devt, nr_pipes);
	if (ret)
		goto err_class;

	ret = mp_create_nodes();
	if (ret)
		goto err_cdev;

	ret = mp_control_register(dev_mode);
	if (ret)
		goto err_nodes;
	mp_debugfs_init(nr_pipes);

	pr_info("minipipe: %u pipe(s), major %d\n", nr_pipes, MAJOR(mp_devt));
	return 0;

err_nodes:
	mp_destroy_nodes(nr_pipes);
err_cdev:
	cdev_del(&mp_cdev);
err_class:
	class_destroy(mp_class);
err_region:
	unregister_chrdev_region(mp_devt, nr_pipes);
err_pipes:
	mp_named_pipes_destroy();
	return ret;
}

static void __exit mp_exit(void)
{
	mp_debugfs_exit();
	mp_control_unregister();
	mp_destroy_nodes(nr_pipes);
	cdev_del(&mp_cdev);
	class_destroy(mp_class);
	unregister_chrdev_region(mp_devt, nr_pipes);
	mp_named_pipes_destroy();
	/* Every ring is gone, and with it every page reference it took. */
	WARN_ON(mp_ring_borrowed_pages());
}

module_init(mp_init);
module_exit(mp_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The minipipe developers");
MODULE_DESCRIPTION("A pipe as a character device, with the semantics of Linux FIFOs");
