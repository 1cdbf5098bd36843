// SPDX-License-Identifier: GPL-2.0
/*
 * Ports: attributes, P_Keys and GIDs as ib_core wants them, from the
 * core's port cache (vhca_core reads the port with QUERY_PORT and
 * QUERY_PKEYS at load and again on every PORT_CHANGE event, before it
 * tells us), and the port events turned into ib_core events.
 *
 * The device reports PortInfo encodings, which ib_core's enums equal.
 */

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <rdma/ib_mad.h>
#include <rdma/ib_verbs.h>

#include "vhca_ib.h"

/*
 * struct vhca_port_info carries PortInfo encodings, which are what
 * ib_core's enums are defined as: the values pass through unchanged.
 */
static_assert(VHCA_PORT_STATE_DOWN == IB_PORT_DOWN);
static_assert(VHCA_PORT_STATE_ACTIVE == IB_PORT_ACTIVE);
static_assert(VHCA_PORT_PHYS_SLEEP == IB_PORT_PHYS_STATE_SLEEP);
static_assert(VHCA_PORT_PHYS_LINK_UP == IB_PORT_PHYS_STATE_LINK_UP);
static_assert(VHCA_MTU_256 == IB_MTU_256);
static_assert(VHCA_MTU_4096 == IB_MTU_4096);

/* an MTU the device should never report is reported as unknown (0) */
static enum ib_mtu vhca_ib_mtu(u8 mtu)
{
	return mtu >= VHCA_MTU_256 && mtu <= VHCA_MTU_4096 ? mtu : 0;
}

/* the port's attributes from the device; -EINVAL for a port number the
 * device's 8-bit field cannot name
 */
static int vhca_ib_port_attr(struct ib_device *ibdev, u32 port,
			     struct vhca_port_attr *attr)
{
	if (port > U8_MAX)
		return -EINVAL;
	return vhca_core_query_port(to_vhca_ib_dev(ibdev)->cdev, port, attr);
}

/**
 * vhca_ib_query_port() - ib_device_ops.query_port
 * @ibdev: the device
 * @port: port number, 1-based
 * @props: zeroed by ib_core; filled here
 *
 * Return: 0, or the core's errno (-EINVAL bad port, -ENODEV not loaded).
 */
int vhca_ib_query_port(struct ib_device *ibdev, u32 port,
		       struct ib_port_attr *props)
{
	struct vhca_port_attr attr;
	int err;

	err = vhca_ib_port_attr(ibdev, port, &attr);
	if (err)
		return err;

	props->state = attr.state;
	props->phys_state = attr.phys_state;
	props->lid = attr.lid;
	props->lmc = attr.lmc;
	props->sm_lid = attr.sm_lid;
	props->sm_sl = attr.sm_sl;
	props->max_mtu = vhca_ib_mtu(attr.max_mtu);
	props->active_mtu = vhca_ib_mtu(attr.active_mtu);
	props->phys_mtu = props->max_mtu ? ib_mtu_enum_to_int(props->max_mtu) :
					   0;
	props->active_width = attr.link_width_active;
	props->active_speed = attr.link_speed_active;
	props->gid_tbl_len = attr.gid_tbl_len;
	props->pkey_tbl_len = attr.pkey_tbl_len;
	props->port_cap_flags = attr.capability_mask;
	props->subnet_timeout = attr.subnet_timeout;
	props->init_type_reply = attr.init_type_reply;
	props->qkey_viol_cntr = attr.qkey_viol_cntr;
	props->bad_pkey_cntr = attr.pkey_viol_cntr;
	props->subnet_prefix = attr.subnet_prefix;
	return 0;
}

/**
 * vhca_ib_query_pkey() - ib_device_ops.query_pkey
 * @ibdev: the device
 * @port: port number, 1-based
 * @index: P_Key table index
 * @pkey: the entry; 0 for an empty one
 *
 * Return: 0, or -EINVAL for a bad port or index.
 */
int vhca_ib_query_pkey(struct ib_device *ibdev, u32 port, u16 index,
		       u16 *pkey)
{
	if (port > U8_MAX)
		return -EINVAL;
	return vhca_core_query_pkey(to_vhca_ib_dev(ibdev)->cdev, port, index,
				    pkey);
}

/**
 * vhca_ib_query_gid() - ib_device_ops.query_gid
 * @ibdev: the device
 * @port: port number, 1-based
 * @index: GID table index
 * @gid: entry 0 is subnet_prefix:port_guid; other entries below the
 *	port's gid_tbl_len are empty (zero), the device assigns none
 *
 * Return: 0, or -EINVAL for a bad port or index.
 */
int vhca_ib_query_gid(struct ib_device *ibdev, u32 port, int index,
		      union ib_gid *gid)
{
	struct vhca_port_attr attr;
	int err;

	err = vhca_ib_port_attr(ibdev, port, &attr);
	if (err)
		return err;
	if (index < 0 || index >= attr.gid_tbl_len)
		return -EINVAL;

	memset(gid, 0, sizeof(*gid));
	if (index == 0) {
		gid->global.subnet_prefix = cpu_to_be64(attr.subnet_prefix);
		gid->global.interface_id = cpu_to_be64(attr.port_guid);
	}
	return 0;
}

/**
 * vhca_ib_get_port_immutable() - ib_device_ops.get_port_immutable
 * @ibdev: the device
 * @port: port number, 1-based
 * @immutable: filled: an InfiniBand port with the device's table sizes
 *
 * Return: 0 or a negative errno.
 */
int vhca_ib_get_port_immutable(struct ib_device *ibdev, u32 port,
			       struct ib_port_immutable *immutable)
{
	struct vhca_port_attr attr;
	int err;

	err = vhca_ib_port_attr(ibdev, port, &attr);
	if (err)
		return err;

	immutable->pkey_tbl_len = attr.pkey_tbl_len;
	immutable->gid_tbl_len = attr.gid_tbl_len;
	immutable->core_cap_flags = RDMA_CORE_PORT_IBA_IB;
	immutable->max_mad_size = IB_MGMT_MAD_SIZE;
	return 0;
}

/**
 * vhca_ib_modify_port() - ib_device_ops.modify_port
 * @ibdev: the device
 * @port: port number, 1-based (ib_core checked it)
 * @mask: IB_PORT_* changes asked besides the capability bits
 * @props: capability bits to set and clear
 *
 * The device fixes its ports' CapabilityMask and has no command to change
 * it or to reset counters. Asking to set bits the port already has (ib_cm
 * asks for CM_SUP, which the device always advertises) succeeds and
 * changes nothing; anything else is refused.
 *
 * Return: 0, or -EOPNOTSUPP for a change the device cannot make.
 */
int vhca_ib_modify_port(struct ib_device *ibdev, u32 port, int mask,
			struct ib_port_modify *props)
{
	struct vhca_port_attr attr;
	int err;

	if (mask)
		return -EOPNOTSUPP;
	err = vhca_ib_port_attr(ibdev, port, &attr);
	if (err)
		return err;
	if ((props->set_port_cap_mask & ~attr.capability_mask) ||
	    (props->clr_port_cap_mask & attr.capability_mask))
		return -EOPNOTSUPP;
	return 0;
}

/* how each VHCA_PORT_CHANGE_* sub_type reaches ib_core */
static const struct {
	enum ib_event_type event;
	enum vhca_ib_port_ev counter;
	const char *name;
} vhca_ib_port_events[] = {
	[VHCA_PORT_CHANGE_DOWN] = {
		IB_EVENT_PORT_ERR, VHCA_IB_EV_PORT_ERR, "port_err" },
	[VHCA_PORT_CHANGE_ACTIVE] = {
		IB_EVENT_PORT_ACTIVE, VHCA_IB_EV_PORT_ACTIVE, "port_active" },
	[VHCA_PORT_CHANGE_LID] = {
		IB_EVENT_LID_CHANGE, VHCA_IB_EV_LID_CHANGE, "lid_change" },
	[VHCA_PORT_CHANGE_PKEY] = {
		IB_EVENT_PKEY_CHANGE, VHCA_IB_EV_PKEY_CHANGE, "pkey_change" },
	[VHCA_PORT_CHANGE_GUID] = {
		IB_EVENT_GID_CHANGE, VHCA_IB_EV_GID_CHANGE, "gid_change" },
	[VHCA_PORT_CHANGE_SM] = {
		IB_EVENT_SM_CHANGE, VHCA_IB_EV_SM_CHANGE, "sm_change" },
	[VHCA_PORT_CHANGE_CLIENT_REREG] = {
		IB_EVENT_CLIENT_REREGISTER, VHCA_IB_EV_CLIENT_REREGISTER,
		"client_reregister" },
};

/**
 * vhca_ib_event() - the core's event notifier
 * @nb: &vhca_ib_dev.event_nb
 * @type: VHCA_EVENT_PORT_CHANGE, VHCA_EVENT_INTERNAL_ERROR or an object
 *	event (VHCA_EVENT_QP, VHCA_EVENT_CQ_ERROR, VHCA_EVENT_SRQ_LIMIT)
 * @data: the struct vhca_eqe
 *
 * PORT_CHANGE comes from the core's port work after the port cache is
 * refreshed, the others from the EQ interrupt handler; all under
 * rcu_read_lock(), so nothing here sleeps (ib_dispatch_event() queues
 * its own work with GFP_ATOMIC; object events call the ULP's handler,
 * which must not sleep either, as with every IB driver).
 *
 * Return: NOTIFY_OK, or NOTIFY_DONE for an event not meant for vhca_ib.
 */
int vhca_ib_event(struct notifier_block *nb, unsigned long type, void *data)
{
	struct vhca_ib_dev *dev = container_of(nb, struct vhca_ib_dev,
					       event_nb);
	const struct vhca_eqe *eqe = data;
	const struct vhca_eqe_port *port = (const void *)eqe->data;
	const struct vhca_eqe_obj *obj = (const void *)eqe->data;
	struct ib_event ev = { .device = &dev->ibdev };
	u8 sub = eqe->sub_type;

	switch (type) {
	case VHCA_EVENT_PORT_CHANGE:
		if (port->port < 1 || port->port > dev->ibdev.phys_port_cnt ||
		    port->port > VHCA_MAX_PORTS ||
		    sub >= ARRAY_SIZE(vhca_ib_port_events) ||
		    !vhca_ib_port_events[sub].name) {
			atomic_inc(&dev->bad_events);
			dev_warn_ratelimited(&dev->ibdev.dev,
					     "ignoring port change 0x%x on port %u\n",
					     sub, port->port);
			return NOTIFY_DONE;
		}
		ev.event = vhca_ib_port_events[sub].event;
		ev.element.port_num = port->port;
		atomic_inc(&dev->port_events[port->port - 1]
					    [vhca_ib_port_events[sub].counter]);
		break;
	case VHCA_EVENT_INTERNAL_ERROR:
		ev.event = IB_EVENT_DEVICE_FATAL;
		atomic_inc(&dev->fatal_events);
		break;
	case VHCA_EVENT_QP:
		vhca_ib_qp_event(dev, be32_to_cpu(obj->num), sub);
		return NOTIFY_OK;
	case VHCA_EVENT_CQ_ERROR:
		vhca_ib_cq_event(dev, be32_to_cpu(obj->num));
		return NOTIFY_OK;
	case VHCA_EVENT_SRQ_LIMIT:
		vhca_ib_srq_event(dev, be32_to_cpu(obj->num));
		return NOTIFY_OK;
	default:
		return NOTIFY_DONE;
	}
	ib_dispatch_event(&ev);
	return NOTIFY_OK;
}

/* "events": what was dispatched, one line per port, then the rest */
static int vhca_ib_events_show(struct seq_file *m, void *unused)
{
	struct vhca_ib_dev *dev = m->private;
	unsigned int port, i;

	for (port = 1; port <= dev->ibdev.phys_port_cnt; port++) {
		seq_printf(m, "port %u:", port);
		for (i = 0; i < ARRAY_SIZE(vhca_ib_port_events); i++) {
			if (!vhca_ib_port_events[i].name)
				continue;
			seq_printf(m, " %s %d", vhca_ib_port_events[i].name,
				   atomic_read(&dev->port_events[port - 1]
					       [vhca_ib_port_events[i].counter]));
		}
		seq_putc(m, '\n');
	}
	seq_printf(m, "device_fatal: %d\n", atomic_read(&dev->fatal_events));
	seq_printf(m, "ignored: %d\n", atomic_read(&dev->bad_events));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vhca_ib_events);

/**
 * vhca_ib_port_debugfs_init() - the device's "events" debugfs file
 * @dev: the device
 * @parent: its directory, vhca_ib/<bus device>/
 *
 * "events" counts the port events dispatched to ib_core since probe.
 */
void vhca_ib_port_debugfs_init(struct vhca_ib_dev *dev, struct dentry *parent)
{
	debugfs_create_file("events", 0400, parent, dev, &vhca_ib_events_fops);
}
