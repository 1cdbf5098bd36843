// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: /sys/kernel/debug/vhca_sim/vhca<ID>/, the knobs of one device
 * beside the state they act on.
 *
 *   fail_cmd_count   fail the next N commands (counts down)
 *   fail_cmd_opcode  only this opcode fails and counts (0xffffffff: any)
 *   fail_cmd_skip    let the next N matching commands through first
 *   fail_cmd_status  status of an injected failure (0 means INT_ERR); the
 *                    syndrome is VHCA_SYND_INJECTED
 *   cmd_delay_ms     delay before each command executes
 *   health_syndrome  write non-zero: fatal health error; 0: healthy again
 *   state            read-only dump of the device
 *   resources        read-only dump of the data-path objects (res.c)
 *   port<N>/         the knobs of each port (port.c)
 *
 * The fabric's directory vhca_sim/fabric/ is fabric/fabric.c's.
 */

#include <linux/debugfs.h>
#include <linux/jiffies.h>
#include <linux/seq_file.h>

#include "vhca_sim.h"
#include "res.h"

static struct dentry *vhca_sim_ddir;

static int vhca_sim_state_show(struct seq_file *m, void *unused)
{
	struct vhca_sim_dev *sdev = m->private;
	unsigned long busy_until;
	unsigned int i;

	busy_until = sdev->created + msecs_to_jiffies(VHCA_SIM_INIT_BUSY_MS);
	seq_printf(m, "device: vhca%u\n", sdev->bdev.id);
	seq_printf(m, "id: %u\n", sdev->bdev.id);
	seq_printf(m, "ports: %u\n", sdev->bdev.num_ports);
	seq_printf(m, "vectors: %u\n", sdev->bdev.num_vectors);
	seq_printf(m, "fw: %u.%u.%u\n", VHCA_SIM_FW_MAJOR, VHCA_SIM_FW_MINOR,
		   VHCA_SIM_FW_SUBMINOR);
	seq_printf(m, "init: %s\n",
		   time_before(jiffies, busy_until) ? "busy" : "ready");
	seq_printf(m, "health_syndrome: 0x%x\n",
		   vhca_sim_health_syndrome(sdev));
	seq_printf(m, "health_counter: %u\n", vhca_sim_health_counter(sdev));
	vhca_sim_cmd_show(sdev, m);
	vhca_sim_eq_show(sdev, m);
	vhca_sim_ports_show(sdev, m);
	for (i = 0; i < sdev->bdev.num_vectors; i++)
		seq_printf(m, "irq %u: raised %lld spurious %lld\n", i,
			   (s64)atomic64_read(&sdev->vecs[i].raised),
			   (s64)atomic64_read(&sdev->vecs[i].spurious));
	seq_printf(m, "bad_reg_access: %lld\n",
		   (s64)atomic64_read(&sdev->bad_reg_access));
	seq_printf(m, "dma_errors: %lld\n",
		   (s64)atomic64_read(&sdev->dma_errors));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vhca_sim_state);

static int vhca_sim_resources_show(struct seq_file *m, void *unused)
{
	vhca_sim_res_show(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vhca_sim_resources);

static int vhca_sim_health_get(void *data, u64 *val)
{
	*val = vhca_sim_health_syndrome(data);
	return 0;
}

static int vhca_sim_health_put(void *data, u64 val)
{
	if (val > U32_MAX)
		return -EINVAL;
	vhca_sim_health_set(data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vhca_sim_health_fops, vhca_sim_health_get,
			 vhca_sim_health_put, "0x%08llx\n");

static int vhca_sim_sq_stall_get(void *data, u64 *val)
{
	struct vhca_sim_dev *sdev = data;

	*val = READ_ONCE(sdev->sq_stall);
	return 0;
}

static int vhca_sim_sq_stall_put(void *data, u64 val)
{
	if (val > 1)
		return -EINVAL;
	vhca_sim_sq_stall(data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vhca_sim_sq_stall_fops, vhca_sim_sq_stall_get,
			 vhca_sim_sq_stall_put, "%llu\n");

void vhca_sim_dev_debugfs_init(struct vhca_sim_dev *sdev)
{
	struct vhca_sim_cmd *cmd = &sdev->cmd;
	char name[16];

	snprintf(name, sizeof(name), "vhca%u", sdev->bdev.id);
	sdev->ddir = debugfs_create_dir(name, vhca_sim_ddir);
	debugfs_create_u32("fail_cmd_count", 0600, sdev->ddir,
			   &cmd->fail_count);
	debugfs_create_x32("fail_cmd_opcode", 0600, sdev->ddir,
			   &cmd->fail_opcode);
	debugfs_create_u32("fail_cmd_skip", 0600, sdev->ddir,
			   &cmd->fail_skip);
	debugfs_create_x8("fail_cmd_status", 0600, sdev->ddir,
			  &cmd->fail_status);
	debugfs_create_u32("cmd_delay_ms", 0600, sdev->ddir, &cmd->delay_ms);
	debugfs_create_file_unsafe("health_syndrome", 0600, sdev->ddir, sdev,
				   &vhca_sim_health_fops);
	debugfs_create_file_unsafe("sq_stall", 0600, sdev->ddir, sdev,
				   &vhca_sim_sq_stall_fops);
	debugfs_create_file("state", 0400, sdev->ddir, sdev,
			    &vhca_sim_state_fops);
	debugfs_create_file("resources", 0400, sdev->ddir, sdev,
			    &vhca_sim_resources_fops);
}

/* waits for readers and writers of the device's files to leave */
void vhca_sim_dev_debugfs_exit(struct vhca_sim_dev *sdev)
{
	debugfs_remove(sdev->ddir);
	sdev->ddir = NULL;
}

/* vhca_sim/, the parent of the devices' and the fabric's directories */
struct dentry *vhca_sim_debugfs_root(void)
{
	return vhca_sim_ddir;
}

int vhca_sim_debugfs_init(void)
{
	vhca_sim_ddir = debugfs_create_dir("vhca_sim", NULL);
	return 0;
}

void vhca_sim_debugfs_exit(void)
{
	debugfs_remove(vhca_sim_ddir);
	vhca_sim_ddir = NULL;
}
