// SPDX-License-Identifier: GPL-2.0
/*
 * The fabric of vhca_sim: one per module, every port of every device is
 * cabled to its switch. This file owns its lifetime and its debugfs
 * directory, /sys/kernel/debug/vhca_sim/fabric/:
 *
 *   sm_restart  write 1: the SM restarts (ClientReregister to every
 *               ACTIVE port); anything else is -EINVAL
 *   state       read-only: the switch, the SM, every cabled port
 *   loss_ppm    packets per million the switch drops at random (each
 *               counted as drop_loss on the sending port), 0..1000000;
 *               other values are -EINVAL
 *   sa          read-only: the SA's counters (sa.c)
 *   mcast       read-only: the multicast groups and members (mcast.c)
 */

#include <linux/debugfs.h>
#include <linux/kstrtox.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "../vhca_sim.h"
#include "fabric.h"
#include "wire.h"

static struct vhca_fabric vhca_fabric;

/**
 * vhca_fabric_get - the module's fabric
 *
 * Return: the fabric every new port is cabled to; valid between
 * vhca_fabric_init() and vhca_fabric_exit().
 */
struct vhca_fabric *vhca_fabric_get(void)
{
	return &vhca_fabric;
}

static int vhca_fabric_state_show(struct seq_file *m, void *unused)
{
	struct vhca_fabric *fab = m->private;

	mutex_lock(&fab->lock);
	vhca_sm_show(fab, m);
	vhca_switch_show(fab, m);
	seq_printf(m, "knob_errors: %llu\n", fab->knob_errors);
	mutex_unlock(&fab->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vhca_fabric_state);

static ssize_t vhca_fabric_sm_restart_write(struct file *file,
					    const char __user *ubuf,
					    size_t count, loff_t *ppos)
{
	struct vhca_fabric *fab = file->private_data;
	unsigned int val;
	int err;

	err = kstrtouint_from_user(ubuf, count, 0, &val);
	if (!err && val != 1)
		err = -EINVAL;
	if (err) {
		mutex_lock(&fab->lock);
		fab->knob_errors++;
		mutex_unlock(&fab->lock);
		return err;
	}
	vhca_sm_restart(fab);
	return count;
}

static const struct file_operations vhca_fabric_sm_restart_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = vhca_fabric_sm_restart_write,
	.llseek = no_llseek,
};

static ssize_t vhca_fabric_loss_read(struct file *file, char __user *ubuf,
				     size_t count, loff_t *ppos)
{
	struct vhca_fabric *fab = file->private_data;
	char buf[16];
	int len;

	len = scnprintf(buf, sizeof(buf), "%u\n", READ_ONCE(fab->loss_ppm));
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t vhca_fabric_loss_write(struct file *file,
				      const char __user *ubuf, size_t count,
				      loff_t *ppos)
{
	struct vhca_fabric *fab = file->private_data;
	u32 val;
	int err;

	err = kstrtou32_from_user(ubuf, count, 0, &val);
	if (!err && val > VHCA_FABRIC_LOSS_PPM_MAX)
		err = -EINVAL;
	if (err) {
		mutex_lock(&fab->lock);
		fab->knob_errors++;
		mutex_unlock(&fab->lock);
		return err;
	}
	WRITE_ONCE(fab->loss_ppm, val);
	return count;
}

static const struct file_operations vhca_fabric_loss_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = vhca_fabric_loss_read,
	.write = vhca_fabric_loss_write,
	.llseek = default_llseek,
};

/**
 * vhca_fabric_init - create the fabric: its switch, SM, SA and groups
 * @parent: debugfs directory vhca_sim/
 *
 * Return: 0 or -ENOMEM.
 */
int vhca_fabric_init(struct dentry *parent)
{
	struct vhca_fabric *fab = &vhca_fabric;
	int err;

	mutex_init(&fab->lock);
	fab->dying = false;
	fab->knob_errors = 0;
	fab->loss_ppm = 0;
	vhca_wire_init();
	vhca_switch_init(fab);
	vhca_sm_init(fab);
	err = vhca_mcast_init(fab);
	if (err)
		goto err_switch;
	err = vhca_sa_init(fab);
	if (err)
		goto err_mcast;

	fab->ddir = debugfs_create_dir("fabric", parent);
	debugfs_create_file("sm_restart", 0200, fab->ddir, fab,
			    &vhca_fabric_sm_restart_fops);
	debugfs_create_file("state", 0400, fab->ddir, fab,
			    &vhca_fabric_state_fops);
	debugfs_create_file("loss_ppm", 0600, fab->ddir, fab,
			    &vhca_fabric_loss_fops);
	vhca_sa_debugfs_init(fab);
	vhca_mcast_debugfs_init(fab);
	return 0;

err_mcast:
	vhca_mcast_uninit(fab);
err_switch:
	vhca_switch_uninit(fab);
	mutex_destroy(&fab->lock);
	return err;
}

/**
 * vhca_fabric_exit - destroy the fabric, after every device is deleted
 *
 * Its knobs go first (waiting for running writers), then the SM's sweep
 * is cancelled for good, then the SA (its queue freed) and the groups.
 */
void vhca_fabric_exit(void)
{
	struct vhca_fabric *fab = &vhca_fabric;

	debugfs_remove(fab->ddir);
	fab->ddir = NULL;
	vhca_sm_uninit(fab);
	vhca_sa_uninit(fab);
	vhca_mcast_uninit(fab);
	vhca_switch_uninit(fab);
	mutex_destroy(&fab->lock);
	vhca_wire_exit();
}
