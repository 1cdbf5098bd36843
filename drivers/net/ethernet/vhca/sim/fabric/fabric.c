// SPDX-License-Identifier: GPL-2.0
/*
 * The fabric of vhca_sim: one per module, every port of every device is
 * cabled to its switch. This file owns its lifetime and its debugfs
 * directory, /sys/kernel/debug/vhca_sim/fabric/:
 *
 *   sm_restart  write 1: the SM restarts (ClientReregister to every
 *               ACTIVE port); anything else is -EINVAL
 *   state       read-only: the switch, the SM, every cabled port
 */

#include <linux/debugfs.h>
#include <linux/kstrtox.h>
#include <linux/seq_file.h>

#include "../vhca_sim.h"
#include "fabric.h"

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

/**
 * vhca_fabric_init - create the fabric: its switch and SM
 * @parent: debugfs directory vhca_sim/
 *
 * Return: 0.
 */
int vhca_fabric_init(struct dentry *parent)
{
	struct vhca_fabric *fab = &vhca_fabric;

	mutex_init(&fab->lock);
	fab->dying = false;
	fab->knob_errors = 0;
	vhca_switch_init(fab);
	vhca_sm_init(fab);

	fab->ddir = debugfs_create_dir("fabric", parent);
	debugfs_create_file("sm_restart", 0200, fab->ddir, fab,
			    &vhca_fabric_sm_restart_fops);
	debugfs_create_file("state", 0400, fab->ddir, fab,
			    &vhca_fabric_state_fops);
	return 0;
}

/**
 * vhca_fabric_exit - destroy the fabric, after every device is deleted
 *
 * Its knobs go first (waiting for running writers), then the SM's sweep
 * is cancelled for good.
 */
void vhca_fabric_exit(void)
{
	struct vhca_fabric *fab = &vhca_fabric;

	debugfs_remove(fab->ddir);
	fab->ddir = NULL;
	vhca_sm_uninit(fab);
	vhca_switch_uninit(fab);
	mutex_destroy(&fab->lock);
}
