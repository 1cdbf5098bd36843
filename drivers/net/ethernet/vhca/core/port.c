// SPDX-License-Identifier: GPL-2.0
/*
 * Physical ports: a devlink port each, and a cache of what the device
 * says about them (QUERY_PORT, QUERY_PKEYS).
 *
 * Load reads every port once the EQs exist. A PORT_CHANGE EQE says only
 * what changed; its handler (hard interrupt) notes the sub_type and
 * queues the port's work, which reads the port again, updates the cache,
 * logs the change and only then passes the event on to the notifier chain
 * of vhca_core_event_register(), so a listener (vhca_ib) that reads the
 * port on an event sees the new values. Unload stops taking events and
 * cancels the work before the EQs go.
 */

#include <linux/bitops.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vhca/driver.h>
#include <net/devlink.h>

#include "vhca_core.h"

static void vhca_port_attr_from_info(struct vhca_port_attr *attr,
				     const struct vhca_port_info *info)
{
	attr->state = info->state;
	attr->phys_state = info->phys_state;
	attr->lmc = info->lmc;
	attr->sm_sl = info->sm_sl;
	attr->max_mtu = info->max_mtu;
	attr->active_mtu = info->active_mtu;
	attr->link_width_active = info->link_width_active;
	attr->link_speed_active = info->link_speed_active;
	attr->subnet_timeout = info->subnet_timeout;
	attr->init_type_reply = info->init_type_reply;
	attr->lid = be16_to_cpu(info->lid);
	attr->sm_lid = be16_to_cpu(info->sm_lid);
	attr->pkey_tbl_len = min_t(u16, be16_to_cpu(info->pkey_tbl_len),
				   VHCA_MAX_PKEYS);
	attr->gid_tbl_len = be16_to_cpu(info->gid_tbl_len);
	attr->capability_mask = be32_to_cpu(info->capability_mask);
	attr->qkey_viol_cntr = be16_to_cpu(info->qkey_viol_cntr);
	attr->pkey_viol_cntr = be16_to_cpu(info->pkey_viol_cntr);
	attr->subnet_prefix = be64_to_cpu(info->subnet_prefix);
	attr->port_guid = be64_to_cpu(info->port_guid);
}

static unsigned int vhca_port_num_pkeys(const struct vhca_core_port *port)
{
	unsigned int i, n = 0;

	for (i = 0; i < port->attr.pkey_tbl_len; i++)
		if (port->pkeys[i])
			n++;
	return n;
}

/* Read the port from the device and cache it. @old gets what the cache
 * held before (zeroes if nothing); @new what it holds now.
 */
static int vhca_port_update(struct vhca_core_port *port,
			    struct vhca_port_attr *old,
			    struct vhca_port_attr *new)
{
	struct vhca_core_dev *cdev = port->cdev;
	struct vhca_cmd_query_pkeys_out *pkeys_out;
	struct vhca_cmd_query_port_out port_out = {};
	struct vhca_cmd_port_in in = {};
	unsigned int i;
	int err;

	pkeys_out = kzalloc(sizeof(*pkeys_out), GFP_KERNEL);
	if (!pkeys_out)
		return -ENOMEM;

	mutex_lock(&port->mutex);
	in.port = port->num;
	vhca_cmd_in_hdr_set(&in.hdr, VHCA_CMD_OP_QUERY_PORT, 0);
	err = vhca_cmd_exec(cdev, &in, sizeof(in), &port_out, sizeof(port_out));
	if (err)
		goto unlock;
	vhca_cmd_in_hdr_set(&in.hdr, VHCA_CMD_OP_QUERY_PKEYS, 0);
	err = vhca_cmd_exec(cdev, &in, sizeof(in), pkeys_out,
			    sizeof(*pkeys_out));
	if (err)
		goto unlock;

	spin_lock_irq(&port->lock);
	if (port->valid)
		*old = port->attr;
	else
		memset(old, 0, sizeof(*old));
	vhca_port_attr_from_info(&port->attr, &port_out.info);
	memset(port->pkeys, 0, sizeof(port->pkeys));
	for (i = 0; i < port->attr.pkey_tbl_len; i++)
		port->pkeys[i] = be16_to_cpu(pkeys_out->pkeys[i]);
	port->valid = true;
	*new = port->attr;
	spin_unlock_irq(&port->lock);
unlock:
	mutex_unlock(&port->mutex);
	kfree(pkeys_out);
	return err;
}

static void vhca_port_log_state(struct vhca_core_port *port,
				const struct vhca_port_attr *attr)
{
	struct device *dev = port->cdev->dev;

	if (attr->state == VHCA_PORT_STATE_ACTIVE)
		dev_info(dev, "port %u: ACTIVE, LID %u, SM LID %u\n",
			 port->num, attr->lid, attr->sm_lid);
	else
		dev_info(dev, "port %u: %s\n", port->num,
			 vhca_port_state_name(attr->state));
}

/* log one event and pass it on to the listeners */
static void vhca_port_report(struct vhca_core_port *port, u8 sub_type,
			     const struct vhca_port_attr *attr)
{
	struct vhca_core_dev *cdev = port->cdev;
	struct vhca_eqe eqe = {};
	unsigned int npkeys;

	switch (sub_type) {
	case VHCA_PORT_CHANGE_DOWN:
		dev_info(cdev->dev, "port %u: DOWN\n", port->num);
		break;
	case VHCA_PORT_CHANGE_ACTIVE:
		vhca_port_log_state(port, attr);
		break;
	case VHCA_PORT_CHANGE_LID:
		dev_info(cdev->dev, "port %u: LID %u, LMC %u\n", port->num,
			 attr->lid, attr->lmc);
		break;
	case VHCA_PORT_CHANGE_PKEY:
		spin_lock_irq(&port->lock);
		npkeys = vhca_port_num_pkeys(port);
		spin_unlock_irq(&port->lock);
		dev_info(cdev->dev, "port %u: P_Key table changed (%u entries)\n",
			 port->num, npkeys);
		break;
	case VHCA_PORT_CHANGE_GUID:
		dev_info(cdev->dev, "port %u: GID table changed\n", port->num);
		break;
	case VHCA_PORT_CHANGE_SM:
		dev_info(cdev->dev, "port %u: SM LID %u, SL %u\n", port->num,
			 attr->sm_lid, attr->sm_sl);
		break;
	case VHCA_PORT_CHANGE_CLIENT_REREG:
		dev_info(cdev->dev, "port %u: client reregister\n", port->num);
		break;
	default:
		dev_warn(cdev->dev, "port %u: unknown port change 0x%x\n",
			 port->num, sub_type);
		break;
	}

	eqe.type = VHCA_EVENT_PORT_CHANGE;
	eqe.sub_type = sub_type;
	((struct vhca_eqe_port *)eqe.data)->port = port->num;
	atomic_notifier_call_chain(&cdev->eq_table.nh, VHCA_EVENT_PORT_CHANGE,
				   &eqe);
}

/* Events that arrived together are reported in an order that ends in the
 * port's state now: a flap that ended ACTIVE is DOWN then ACTIVE, and the
 * reverse. The others follow, ClientReregister last.
 */
static const u8 vhca_port_order_active[] = {
	VHCA_PORT_CHANGE_DOWN, VHCA_PORT_CHANGE_ACTIVE,
};

static const u8 vhca_port_order_down[] = {
	VHCA_PORT_CHANGE_ACTIVE, VHCA_PORT_CHANGE_DOWN,
};

static const u8 vhca_port_order_rest[] = {
	VHCA_PORT_CHANGE_LID, VHCA_PORT_CHANGE_PKEY, VHCA_PORT_CHANGE_GUID,
	VHCA_PORT_CHANGE_SM, VHCA_PORT_CHANGE_CLIENT_REREG,
};

static void vhca_port_report_set(struct vhca_core_port *port,
				 unsigned long *pending, const u8 *order,
				 unsigned int n,
				 const struct vhca_port_attr *attr)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (__test_and_clear_bit(order[i], pending))
			vhca_port_report(port, order[i], attr);
}

static void vhca_port_work(struct work_struct *work)
{
	struct vhca_core_port *port = container_of(work, struct vhca_core_port,
						   work);
	struct vhca_port_attr old, new;
	unsigned long pending;
	unsigned int bit;
	int err;

	spin_lock_irq(&port->lock);
	pending = port->pending;
	port->pending = 0;
	spin_unlock_irq(&port->lock);
	if (!pending)
		return;

	err = vhca_port_update(port, &old, &new);
	if (err) {
		dev_warn(port->cdev->dev, "port %u: cannot read the port after an event: %d\n",
			 port->num, err);
		return;
	}

	if (new.state == VHCA_PORT_STATE_ACTIVE)
		vhca_port_report_set(port, &pending, vhca_port_order_active,
				     ARRAY_SIZE(vhca_port_order_active), &new);
	else
		vhca_port_report_set(port, &pending, vhca_port_order_down,
				     ARRAY_SIZE(vhca_port_order_down), &new);
	vhca_port_report_set(port, &pending, vhca_port_order_rest,
			     ARRAY_SIZE(vhca_port_order_rest), &new);
	for_each_set_bit(bit, &pending, BITS_PER_LONG)
		vhca_port_report(port, bit, &new);
}

/**
 * vhca_port_eqe() - a PORT_CHANGE EQE arrived
 * @cdev: the device
 * @eqe: the EQE
 *
 * Hard interrupt context: notes the change and queues the port's work.
 *
 * Return: false if the EQE names no port of the device (not handled).
 */
bool vhca_port_eqe(struct vhca_core_dev *cdev, const struct vhca_eqe *eqe)
{
	const struct vhca_eqe_port *data = (const void *)eqe->data;
	struct vhca_core_port *port;

	if (data->port < 1 || data->port > cdev->cap.num_ports ||
	    data->port > VHCA_MAX_PORTS || eqe->sub_type >= BITS_PER_LONG)
		return false;
	port = &cdev->ports[data->port - 1];
	spin_lock(&port->lock);
	if (port->live) {
		__set_bit(eqe->sub_type, &port->pending);
		queue_work(system_wq, &port->work);
	}
	spin_unlock(&port->lock);
	return true;
}

/* stop taking events on @n ports and wait for their work */
static void vhca_ports_stop(struct vhca_core_dev *cdev, unsigned int n)
{
	struct vhca_core_port *port;
	unsigned int i;

	for (i = 0; i < n; i++) {
		port = &cdev->ports[i];
		spin_lock_irq(&port->lock);
		port->live = false;
		port->pending = 0;
		spin_unlock_irq(&port->lock);
		cancel_work_sync(&port->work);
		spin_lock_irq(&port->lock);
		port->valid = false;
		spin_unlock_irq(&port->lock);
	}
}

/**
 * vhca_ports_load() - take port events and read every port
 * @cdev: the device, its EQs created
 *
 * Events are taken before the first read, so none is lost in between.
 *
 * Return: 0 or a negative errno, with events off again.
 */
int vhca_ports_load(struct vhca_core_dev *cdev)
{
	struct vhca_port_attr old, new;
	struct vhca_core_port *port;
	unsigned int i;
	int err;

	for (i = 0; i < cdev->cap.num_ports; i++) {
		port = &cdev->ports[i];
		spin_lock_irq(&port->lock);
		port->live = true;
		spin_unlock_irq(&port->lock);
		err = vhca_port_update(port, &old, &new);
		if (err) {
			dev_err(cdev->dev, "cannot read port %u: %d\n",
				port->num, err);
			vhca_ports_stop(cdev, i + 1);
			return err;
		}
		vhca_port_log_state(port, &new);
	}
	return 0;
}

/**
 * vhca_ports_unload() - stop taking port events, before the EQs go
 * @cdev: the device
 */
void vhca_ports_unload(struct vhca_core_dev *cdev)
{
	vhca_ports_stop(cdev, cdev->cap.num_ports);
}

/**
 * vhca_ports_register() - set up the ports and their devlink ports
 * @cdev: the device, its capabilities read
 *
 * Once per bound device, before the first load.
 *
 * Return: 0 or a negative errno, with nothing left registered.
 */
int vhca_ports_register(struct vhca_core_dev *cdev)
{
	struct devlink_port_attrs attrs = {};
	struct vhca_core_port *port;
	unsigned int i;
	int err;

	if (!cdev->cap.num_ports || cdev->cap.num_ports > VHCA_MAX_PORTS) {
		dev_err(cdev->dev, "bad capabilities: %u ports\n",
			cdev->cap.num_ports);
		return -EINVAL;
	}
	for (i = 0; i < cdev->cap.num_ports; i++) {
		port = &cdev->ports[i];
		port->cdev = cdev;
		port->num = i + 1;
		INIT_WORK(&port->work, vhca_port_work);
		mutex_init(&port->mutex);
		spin_lock_init(&port->lock);

		attrs.flavour = DEVLINK_PORT_FLAVOUR_PHYSICAL;
		attrs.phys.port_number = port->num;
		devlink_port_attrs_set(&port->dl_port, &attrs);
		err = devlink_port_register(cdev->devlink, &port->dl_port,
					    port->num);
		if (err) {
			dev_err(cdev->dev, "cannot register devlink port %u: %d\n",
				port->num, err);
			mutex_destroy(&port->mutex);
			goto err_unregister;
		}
		/* an InfiniBand port; vhca_ib names its ib_device later */
		if (cdev->cap.port_type[i] == VHCA_PORT_TYPE_IB)
			devlink_port_type_ib_set(&port->dl_port, NULL);
	}
	return 0;

err_unregister:
	while (i--) {
		port = &cdev->ports[i];
		devlink_port_unregister(&port->dl_port);
		mutex_destroy(&port->mutex);
	}
	return err;
}

/**
 * vhca_ports_unregister() - undo vhca_ports_register(), after the last
 *	unload
 * @cdev: the device
 */
void vhca_ports_unregister(struct vhca_core_dev *cdev)
{
	unsigned int i = cdev->cap.num_ports;
	struct vhca_core_port *port;

	while (i--) {
		port = &cdev->ports[i];
		devlink_port_unregister(&port->dl_port);
		mutex_destroy(&port->mutex);
	}
}

/**
 * vhca_core_num_ports() - number of physical ports
 * @cdev: the device
 *
 * Return: the port count; ports are numbered 1 .. count.
 */
unsigned int vhca_core_num_ports(struct vhca_core_dev *cdev)
{
	return cdev->cap.num_ports;
}
EXPORT_SYMBOL_GPL(vhca_core_num_ports);

/* the port, or NULL if it does not exist or is not read (not loaded) */
static struct vhca_core_port *vhca_core_port_get(struct vhca_core_dev *cdev,
						 u8 num)
{
	if (num < 1 || num > cdev->cap.num_ports)
		return NULL;
	return &cdev->ports[num - 1];
}

/**
 * vhca_core_query_port() - the port's attributes as last read
 * @cdev: the device
 * @port: port number, 1-based
 * @attr: filled on success
 *
 * Returns the cache: it is refreshed before a PORT_CHANGE event reaches
 * the notifier chain. Any context.
 *
 * Return: 0, -EINVAL for a port the device does not have, -ENODEV while
 * the device is not loaded.
 */
int vhca_core_query_port(struct vhca_core_dev *cdev, u8 port,
			 struct vhca_port_attr *attr)
{
	struct vhca_core_port *p = vhca_core_port_get(cdev, port);
	unsigned long flags;
	int err = 0;

	if (!p)
		return -EINVAL;
	spin_lock_irqsave(&p->lock, flags);
	if (p->valid)
		*attr = p->attr;
	else
		err = -ENODEV;
	spin_unlock_irqrestore(&p->lock, flags);
	return err;
}
EXPORT_SYMBOL_GPL(vhca_core_query_port);

/**
 * vhca_core_query_pkey() - one entry of the port's P_Key table
 * @cdev: the device
 * @port: port number, 1-based
 * @index: entry, below the port's pkey_tbl_len
 * @pkey: the entry on success; 0 means empty
 *
 * Any context.
 *
 * Return: 0, -EINVAL for a bad port or index, -ENODEV while not loaded.
 */
int vhca_core_query_pkey(struct vhca_core_dev *cdev, u8 port, u16 index,
			 u16 *pkey)
{
	struct vhca_core_port *p = vhca_core_port_get(cdev, port);
	unsigned long flags;
	int err = 0;

	if (!p)
		return -EINVAL;
	spin_lock_irqsave(&p->lock, flags);
	if (!p->valid)
		err = -ENODEV;
	else if (index >= p->attr.pkey_tbl_len)
		err = -EINVAL;
	else
		*pkey = p->pkeys[index];
	spin_unlock_irqrestore(&p->lock, flags);
	return err;
}
EXPORT_SYMBOL_GPL(vhca_core_query_pkey);

/**
 * vhca_core_find_pkey() - the index of a P_Key in the port's table
 * @cdev: the device
 * @port: port number, 1-based
 * @pkey: the P_Key; the membership bit (0x8000) is ignored
 * @index: its index on success (a full member's, if both are there)
 *
 * Any context.
 *
 * Return: 0, -ENOENT if the partition is not in the table, -EINVAL for a
 * bad port, -ENODEV while not loaded.
 */
int vhca_core_find_pkey(struct vhca_core_dev *cdev, u8 port, u16 pkey,
			u16 *index)
{
	struct vhca_core_port *p = vhca_core_port_get(cdev, port);
	unsigned long flags;
	int err = -ENOENT;
	unsigned int i;

	if (!p)
		return -EINVAL;
	spin_lock_irqsave(&p->lock, flags);
	if (!p->valid) {
		err = -ENODEV;
		goto unlock;
	}
	for (i = 0; i < p->attr.pkey_tbl_len; i++) {
		if (!p->pkeys[i] || (p->pkeys[i] & 0x7fff) != (pkey & 0x7fff))
			continue;
		*index = i;
		err = 0;
		if (p->pkeys[i] & 0x8000)
			break;
	}
unlock:
	spin_unlock_irqrestore(&p->lock, flags);
	return err;
}
EXPORT_SYMBOL_GPL(vhca_core_find_pkey);

/**
 * vhca_core_port_set_ibdev() - name the ib_device of a port's devlink port
 * @cdev: the device
 * @port: port number, 1-based
 * @ibdev: the registered ib_device, or NULL before it is unregistered
 *
 * `devlink port show` then shows "ibdev <name>". Process context.
 *
 * Return: 0, or -EINVAL for a port that does not exist or is not an
 * InfiniBand port.
 */
int vhca_core_port_set_ibdev(struct vhca_core_dev *cdev, u8 port,
			     struct ib_device *ibdev)
{
	struct vhca_core_port *p = vhca_core_port_get(cdev, port);

	if (!p || cdev->cap.port_type[port - 1] != VHCA_PORT_TYPE_IB)
		return -EINVAL;
	devlink_port_type_ib_set(&p->dl_port, ibdev);
	return 0;
}
EXPORT_SYMBOL_GPL(vhca_core_port_set_ibdev);
