// SPDX-License-Identifier: GPL-2.0
/*
 * The ports of an emulated HCA: the device side of the fabric.
 *
 * Each port is cabled to the fabric's switch while its device exists;
 * the fabric's SM configures it (see fabric/sm.c). This file answers the
 * firmware's QUERY_PORT and QUERY_PKEYS from that state, turns the
 * fabric's port changes into PORT_CHANGE EQEs, and offers the per-port
 * knobs in /sys/kernel/debug/vhca_sim/vhca<ID>/port<N>/:
 *
 *   link   "up" or "down"; write up/down/1/0
 *   pkeys  the SM's P_Key configuration of the port, "index: 0xpkey" a
 *          line; write "add 0xPKEY" or "del 0xPKEY"
 *   counters  read-only, "name value" a line: tx_packets, tx_bytes,
 *          rx_packets, rx_bytes (LRH to VCRC), then drop_<reason> for
 *          every reason of enum vhca_port_drop
 *
 * It also owns the port's receive queue: the switch enqueues packets
 * (vhca_sim_port_rx()), the port's receive engine (a work item on the
 * device's engine workqueue) hands them one by one to recv.c.
 */

#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <rdma/ib_mad.h>

#include "vhca_sim.h"
#include "res.h"
#include "fabric/fabric.h"
#include "fabric/wire.h"

/* PortInfo CapabilityMask: what a ConnectX port reports that applies
 * here. The SM is not on the HCA (no IsSM); communication management and
 * client reregistration are supported; the system image GUID is set.
 */
#define VHCA_SIM_PORT_CAP_MASK	(IB_PORT_CM_SUP | IB_PORT_CLIENT_REG_SUP | \
				 IB_PORT_SYS_IMAGE_GUID_SUP)
#define VHCA_SIM_PORT_WIDTH_4X	2
#define VHCA_SIM_PORT_SPEED_EDR	32
#define VHCA_SIM_PORT_GID_TBL_LEN 1

/* longest line a knob takes: "add 0x8001\n" and some slack */
#define VHCA_SIM_KNOB_MAX	32

const char *vhca_sim_port_phys_name(u8 phys_state)
{
	switch (phys_state) {
	case VHCA_PORT_PHYS_SLEEP:
		return "SLEEP";
	case VHCA_PORT_PHYS_POLLING:
		return "POLLING";
	case VHCA_PORT_PHYS_DISABLED:
		return "DISABLED";
	case VHCA_PORT_PHYS_LINK_UP:
		return "LINK_UP";
	}
	return "UNKNOWN";
}

unsigned int vhca_sim_pkeys_count(const u16 *pkeys)
{
	unsigned int i, n = 0;

	for (i = 0; i < VHCA_MAX_PKEYS; i++)
		if (pkeys[i])
			n++;
	return n;
}

static const char * const vhca_sim_drop_names[VHCA_PORT_NUM_DROPS] = {
	[VHCA_PORT_DROP_LINK_DOWN] = "link_down",
	[VHCA_PORT_DROP_LOSS] = "loss",
	[VHCA_PORT_DROP_NO_ROUTE] = "no_route",
	[VHCA_PORT_DROP_BAD_CRC] = "bad_crc",
	[VHCA_PORT_DROP_BAD_HDR] = "bad_hdr",
	[VHCA_PORT_DROP_PKEY] = "pkey",
	[VHCA_PORT_DROP_QKEY] = "qkey",
	[VHCA_PORT_DROP_NO_QP] = "no_qp",
	[VHCA_PORT_DROP_QP_STATE] = "qp_state",
	[VHCA_PORT_DROP_NO_WQE] = "no_wqe",
	[VHCA_PORT_DROP_PSN] = "psn",
	[VHCA_PORT_DROP_OVERFLOW] = "overflow",
	[VHCA_PORT_DROP_MCAST] = "mcast",
};

const char *vhca_sim_drop_name(enum vhca_port_drop why)
{
	if (why >= VHCA_PORT_NUM_DROPS || !vhca_sim_drop_names[why])
		return "unknown";
	return vhca_sim_drop_names[why];
}

/**
 * vhca_sim_port_rx - deliver a packet to a port's receive queue
 * @port: the egress port of the switch
 * @pkt: the packet; consumed
 *
 * Any non-hardirq context, under the sender's locks (the rx lock is a
 * leaf). Counted as received here; dropped (and counted) when the port
 * is going away, its device has no data path, or the queue is full.
 */
void vhca_sim_port_rx(struct vhca_sim_port *port, struct vhca_pkt *pkt)
{
	struct vhca_sim_res *res = READ_ONCE(port->sdev->res);
	enum vhca_port_drop why;
	u32 len = pkt->len;

	/* the sender may go away while the packet waits */
	pkt->ingress = NULL;
	spin_lock_bh(&port->rx_lock);
	if (port->rx_dead) {
		why = VHCA_PORT_DROP_LINK_DOWN;
		goto drop;
	}
	if (!res) {
		why = VHCA_PORT_DROP_NO_QP;
		goto drop;
	}
	if (port->rx_len >= VHCA_SIM_PORT_RX_MAX) {
		why = VHCA_PORT_DROP_OVERFLOW;
		goto drop;
	}
	list_add_tail(&pkt->list, &port->rx_list);
	port->rx_len++;
	queue_work(res->wq, &port->rx_work);
	spin_unlock_bh(&port->rx_lock);
	atomic64_inc(&port->cnt.rx_packets);
	atomic64_add(len, &port->cnt.rx_bytes);
	return;

drop:
	spin_unlock_bh(&port->rx_lock);
	vhca_sim_port_drop(port, why);
	vhca_pkt_free(pkt);
}

/* the receive engine: a bounded batch, then it requeues itself */
static void vhca_sim_port_rx_work(struct work_struct *work)
{
	struct vhca_sim_port *port = container_of(work, struct vhca_sim_port,
						  rx_work);
	struct vhca_pkt *pkt;
	unsigned int n;

	for (n = 0; n < VHCA_SIM_PORT_RX_BUDGET; n++) {
		spin_lock_bh(&port->rx_lock);
		pkt = list_first_entry_or_null(&port->rx_list,
					       struct vhca_pkt, list);
		if (pkt) {
			list_del(&pkt->list);
			port->rx_len--;
		}
		spin_unlock_bh(&port->rx_lock);
		if (!pkt)
			return;
		vhca_sim_port_recv(port, pkt);
	}
	spin_lock_bh(&port->rx_lock);
	if (port->rx_len && !port->rx_dead)
		queue_work(port->sdev->res->wq, &port->rx_work);
	spin_unlock_bh(&port->rx_lock);
}

static void vhca_sim_port_rx_init(struct vhca_sim_port *port)
{
	spin_lock_init(&port->rx_lock);
	INIT_LIST_HEAD(&port->rx_list);
	port->rx_len = 0;
	port->rx_dead = false;
	INIT_WORK(&port->rx_work, vhca_sim_port_rx_work);
}

/* After the switch forgot the port: refuse new packets, wait for the
 * forwarding paths (RCU readers) that may still hold the port, stop the
 * engine, free what is left.
 */
static void vhca_sim_port_rx_uninit(struct vhca_sim_port *port)
{
	struct vhca_pkt *pkt, *tmp;
	LIST_HEAD(left);

	spin_lock_bh(&port->rx_lock);
	port->rx_dead = true;
	list_splice_init(&port->rx_list, &left);
	port->rx_len = 0;
	spin_unlock_bh(&port->rx_lock);
	synchronize_rcu();
	cancel_work_sync(&port->rx_work);
	list_for_each_entry_safe(pkt, tmp, &left, list) {
		list_del(&pkt->list);
		vhca_pkt_free(pkt);
	}
}

static int vhca_sim_counters_show(struct seq_file *m, void *unused)
{
	struct vhca_sim_port *port = m->private;
	struct vhca_sim_port_counters *cnt = &port->cnt;
	unsigned int i;

	seq_printf(m, "tx_packets %lld\n", (s64)atomic64_read(&cnt->tx_packets));
	seq_printf(m, "tx_bytes %lld\n", (s64)atomic64_read(&cnt->tx_bytes));
	seq_printf(m, "rx_packets %lld\n", (s64)atomic64_read(&cnt->rx_packets));
	seq_printf(m, "rx_bytes %lld\n", (s64)atomic64_read(&cnt->rx_bytes));
	for (i = 0; i < VHCA_PORT_NUM_DROPS; i++)
		seq_printf(m, "drop_%s %lld\n", vhca_sim_drop_name(i),
			   (s64)atomic64_read(&cnt->drops[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vhca_sim_counters);

/* the port a command names, or NULL with the syndrome set */
static struct vhca_sim_port *vhca_sim_port_lookup(struct vhca_sim_dev *sdev,
						  const void *in, u32 *synd)
{
	const struct vhca_cmd_port_in *i = in;

	if (i->port < 1 || i->port > sdev->bdev.num_ports) {
		*synd = VHCA_SYND_PORT_BAD_NUM;
		return NULL;
	}
	return &sdev->ports[i->port - 1];
}

/**
 * vhca_sim_port_cmd_query - QUERY_PORT
 * @sdev: the device
 * @in: struct vhca_cmd_port_in
 * @out: struct vhca_cmd_query_port_out
 * @synd: the syndrome, on failure
 *
 * Return: VHCA_CMD_STAT_OK, or VHCA_CMD_STAT_BAD_PARAM with
 * VHCA_SYND_PORT_BAD_NUM for a port the device does not have.
 */
u8 vhca_sim_port_cmd_query(struct vhca_sim_dev *sdev, const void *in,
			   void *out, u32 *synd)
{
	struct vhca_port_info *info = &((struct vhca_cmd_query_port_out *)out)->info;
	struct vhca_sim_port *port = vhca_sim_port_lookup(sdev, in, synd);

	if (!port)
		return VHCA_CMD_STAT_BAD_PARAM;

	info->port = port->num;
	info->max_mtu = VHCA_MTU_4096;
	info->active_mtu = VHCA_MTU_4096;
	info->link_width_active = VHCA_SIM_PORT_WIDTH_4X;
	info->link_speed_active = VHCA_SIM_PORT_SPEED_EDR;
	info->subnet_timeout = VHCA_FABRIC_SUBNET_TIMEOUT;
	info->pkey_tbl_len = cpu_to_be16(VHCA_MAX_PKEYS);
	info->gid_tbl_len = cpu_to_be16(VHCA_SIM_PORT_GID_TBL_LEN);
	info->capability_mask = cpu_to_be32(VHCA_SIM_PORT_CAP_MASK);
	info->subnet_prefix = cpu_to_be64(VHCA_FABRIC_SUBNET_PREFIX);
	info->port_guid = cpu_to_be64(port->guid);

	mutex_lock(&port->fab->lock);
	info->state = port->state;
	info->phys_state = port->phys_state;
	info->lmc = 0;
	info->lid = cpu_to_be16(port->lid);
	info->sm_lid = cpu_to_be16(port->sm_lid);
	info->sm_sl = port->sm_sl;
	mutex_unlock(&port->fab->lock);
	return VHCA_CMD_STAT_OK;
}

/**
 * vhca_sim_port_cmd_query_pkeys - QUERY_PKEYS
 * @sdev: the device
 * @in: struct vhca_cmd_port_in
 * @out: struct vhca_cmd_query_pkeys_out
 * @synd: the syndrome, on failure
 *
 * Return: as vhca_sim_port_cmd_query().
 */
u8 vhca_sim_port_cmd_query_pkeys(struct vhca_sim_dev *sdev, const void *in,
				 void *out, u32 *synd)
{
	struct vhca_cmd_query_pkeys_out *o = out;
	struct vhca_sim_port *port = vhca_sim_port_lookup(sdev, in, synd);
	unsigned int i;

	if (!port)
		return VHCA_CMD_STAT_BAD_PARAM;
	mutex_lock(&port->fab->lock);
	for (i = 0; i < VHCA_MAX_PKEYS; i++)
		o->pkeys[i] = cpu_to_be16(port->pkeys[i]);
	mutex_unlock(&port->fab->lock);
	return VHCA_CMD_STAT_OK;
}

/**
 * vhca_sim_port_cmd_query_counters - QUERY_PORT_COUNTERS
 * @sdev: the device
 * @in: struct vhca_cmd_port_in
 * @out: struct vhca_cmd_query_port_counters_out
 * @synd: the syndrome, on failure
 *
 * The counters are lockless (the engines update them as they go), so
 * each one is exact but they are not one snapshot.
 *
 * Return: as vhca_sim_port_cmd_query().
 */
u8 vhca_sim_port_cmd_query_counters(struct vhca_sim_dev *sdev,
				    const void *in, void *out, u32 *synd)
{
	struct vhca_cmd_query_port_counters_out *o = out;
	struct vhca_sim_port *port = vhca_sim_port_lookup(sdev, in, synd);
	unsigned int i;

	if (!port)
		return VHCA_CMD_STAT_BAD_PARAM;
	o->tx_packets = cpu_to_be64(atomic64_read(&port->cnt.tx_packets));
	o->tx_bytes = cpu_to_be64(atomic64_read(&port->cnt.tx_bytes));
	o->rx_packets = cpu_to_be64(atomic64_read(&port->cnt.rx_packets));
	o->rx_bytes = cpu_to_be64(atomic64_read(&port->cnt.rx_bytes));
	for (i = 0; i < VHCA_PORT_NUM_DROPS; i++)
		o->drops[i] = cpu_to_be64(atomic64_read(&port->cnt.drops[i]));
	return VHCA_CMD_STAT_OK;
}

/**
 * vhca_sim_port_event - post a PORT_CHANGE EQE for a port
 * @port: the port
 * @sub_type: VHCA_PORT_CHANGE_*
 *
 * Called by the fabric with its lock held. The EQE goes to the EQ
 * subscribed to VHCA_EVENT_PORT_CHANGE; without one (no driver, or not
 * initialized) it is counted as lost.
 */
void vhca_sim_port_event(struct vhca_sim_port *port, u8 sub_type)
{
	struct vhca_eqe_port data = { .port = port->num };

	lockdep_assert_held(&port->fab->lock);
	if (sub_type < VHCA_SIM_PORT_NUM_EVENTS)
		port->events[sub_type]++;
	if (vhca_sim_eq_post_event(port->sdev, VHCA_EVENT_PORT_CHANGE,
				   sub_type, &data, sizeof(data)))
		port->events_lost++;
}

/* copy a knob write into @buf, NUL-terminated, without its newline */
static int vhca_sim_knob_read(char *buf, size_t size,
			      const char __user *ubuf, size_t count)
{
	if (!count || count >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	strim(buf);
	return 0;
}

static void vhca_sim_port_knob_error(struct vhca_sim_port *port)
{
	mutex_lock(&port->fab->lock);
	port->knob_errors++;
	mutex_unlock(&port->fab->lock);
}

static ssize_t vhca_sim_link_read(struct file *file, char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct vhca_sim_port *port = file->private_data;
	const char *val;
	bool up;

	mutex_lock(&port->fab->lock);
	up = port->link_up;
	mutex_unlock(&port->fab->lock);
	val = up ? "up\n" : "down\n";
	return simple_read_from_buffer(ubuf, count, ppos, val, strlen(val));
}

static ssize_t vhca_sim_link_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	struct vhca_sim_port *port = file->private_data;
	char buf[VHCA_SIM_KNOB_MAX];
	bool up;
	int err;

	err = vhca_sim_knob_read(buf, sizeof(buf), ubuf, count);
	if (err)
		goto err;
	if (!strcmp(buf, "up") || !strcmp(buf, "1")) {
		up = true;
	} else if (!strcmp(buf, "down") || !strcmp(buf, "0")) {
		up = false;
	} else {
		err = -EINVAL;
		goto err;
	}
	vhca_switch_set_link(port->fab, port, up);
	return count;

err:
	vhca_sim_port_knob_error(port);
	return err;
}

static const struct file_operations vhca_sim_link_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = vhca_sim_link_read,
	.write = vhca_sim_link_write,
	.llseek = default_llseek,
};

static int vhca_sim_pkeys_show(struct seq_file *m, void *unused)
{
	struct vhca_sim_port *port = m->private;
	unsigned int i;

	mutex_lock(&port->fab->lock);
	for (i = 0; i < VHCA_MAX_PKEYS; i++)
		if (port->sm_pkeys[i])
			seq_printf(m, "%u: 0x%04x\n", i, port->sm_pkeys[i]);
	mutex_unlock(&port->fab->lock);
	return 0;
}

static int vhca_sim_pkeys_open(struct inode *inode, struct file *file)
{
	return single_open(file, vhca_sim_pkeys_show, inode->i_private);
}

/* "add 0xPKEY" / "del 0xPKEY"; any base kstrtou32 takes */
static ssize_t vhca_sim_pkeys_write(struct file *file,
				    const char __user *ubuf, size_t count,
				    loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct vhca_sim_port *port = m->private;
	char buf[VHCA_SIM_KNOB_MAX], *arg;
	u32 pkey;
	int err;

	err = vhca_sim_knob_read(buf, sizeof(buf), ubuf, count);
	if (err)
		goto err;
	arg = strchr(buf, ' ');
	if (!arg) {
		err = -EINVAL;
		goto err;
	}
	*arg++ = '\0';
	arg = skip_spaces(arg);
	if (kstrtou32(arg, 0, &pkey)) {
		err = -EINVAL;
		goto err;
	}
	if (!strcmp(buf, "add"))
		err = vhca_sm_pkey_add(port->fab, port, pkey);
	else if (!strcmp(buf, "del"))
		err = vhca_sm_pkey_del(port->fab, port, pkey);
	else
		err = -EINVAL;
	if (err)
		goto err;
	return count;

err:
	vhca_sim_port_knob_error(port);
	return err;
}

static const struct file_operations vhca_sim_pkeys_fops = {
	.owner = THIS_MODULE,
	.open = vhca_sim_pkeys_open,
	.read = seq_read,
	.write = vhca_sim_pkeys_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* one line of state and one of counters per port, in the device's state */
void vhca_sim_ports_show(struct vhca_sim_dev *sdev, struct seq_file *m)
{
	struct vhca_sim_port *port;
	unsigned int i;

	for (i = 0; i < sdev->bdev.num_ports; i++) {
		port = &sdev->ports[i];
		mutex_lock(&port->fab->lock);
		seq_printf(m, "port %u: link %s state %s phys %s lid %u sm_lid %u pkeys %u guid 0x%016llx\n",
			   port->num, port->link_up ? "up" : "down",
			   vhca_port_state_name(port->state),
			   vhca_sim_port_phys_name(port->phys_state),
			   port->lid, port->sm_lid,
			   vhca_sim_pkeys_count(port->pkeys), port->guid);
		seq_printf(m, "port %u events: down %llu active %llu lid %llu pkey %llu sm %llu client_rereg %llu lost %llu knob_errors %llu\n",
			   port->num,
			   port->events[VHCA_PORT_CHANGE_DOWN],
			   port->events[VHCA_PORT_CHANGE_ACTIVE],
			   port->events[VHCA_PORT_CHANGE_LID],
			   port->events[VHCA_PORT_CHANGE_PKEY],
			   port->events[VHCA_PORT_CHANGE_SM],
			   port->events[VHCA_PORT_CHANGE_CLIENT_REREG],
			   port->events_lost, port->knob_errors);
		mutex_unlock(&port->fab->lock);
	}
}

/**
 * vhca_sim_ports_init - create a new device's ports and cable them
 * @sdev: the device, its debugfs directory created
 *
 * Every port starts with its link enabled; the SM brings it up.
 *
 * Return: 0.
 */
int vhca_sim_ports_init(struct vhca_sim_dev *sdev)
{
	struct vhca_fabric *fab = vhca_fabric_get();
	u64 node_guid = VHCA_SIM_GUID_BASE | (u64)sdev->bdev.id << 8;
	struct vhca_sim_port *port;
	char name[16];
	unsigned int i;

	for (i = 0; i < sdev->bdev.num_ports; i++) {
		port = &sdev->ports[i];
		port->sdev = sdev;
		port->fab = fab;
		port->num = i + 1;
		port->guid = node_guid + port->num;
		port->link_up = true;
		vhca_sm_port_init(port);
		vhca_sim_port_rx_init(port);

		snprintf(name, sizeof(name), "port%u", port->num);
		port->ddir = debugfs_create_dir(name, sdev->ddir);
		debugfs_create_file("link", 0600, port->ddir, port,
				    &vhca_sim_link_fops);
		debugfs_create_file("pkeys", 0600, port->ddir, port,
				    &vhca_sim_pkeys_fops);
		debugfs_create_file("counters", 0400, port->ddir, port,
				    &vhca_sim_counters_fops);
		vhca_switch_attach(fab, port);
	}
	return 0;
}

/**
 * vhca_sim_ports_uninit - unplug a device's ports
 * @sdev: the device, its driver unbound
 *
 * The knobs go first (waiting for running writers), then the cable: the
 * fabric forgets the port and frees its LID; last the receive engine
 * stops. Runs before the device's data-path objects (and the engines'
 * workqueue) go.
 */
void vhca_sim_ports_uninit(struct vhca_sim_dev *sdev)
{
	struct vhca_sim_port *port;
	unsigned int i;

	for (i = 0; i < sdev->bdev.num_ports; i++) {
		port = &sdev->ports[i];
		debugfs_remove(port->ddir);
		port->ddir = NULL;
		vhca_switch_detach(port->fab, port);
		vhca_sim_port_rx_uninit(port);
	}
}
