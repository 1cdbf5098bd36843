/* SPDX-License-Identifier: GPL-2.0 */
/* vhca_ib internals shared between its files. */
#ifndef _VHCA_IB_H
#define _VHCA_IB_H

#include <linux/notifier.h>
#include <linux/vhca/driver.h>
#include <rdma/ib_verbs.h>

/* counter slots of the port events vhca_ib passes on */
enum vhca_ib_port_ev {
	VHCA_IB_EV_PORT_ACTIVE,
	VHCA_IB_EV_PORT_ERR,
	VHCA_IB_EV_LID_CHANGE,
	VHCA_IB_EV_PKEY_CHANGE,
	VHCA_IB_EV_GID_CHANGE,
	VHCA_IB_EV_SM_CHANGE,
	VHCA_IB_EV_CLIENT_REREGISTER,
	VHCA_IB_EV_NUM,
};

/**
 * struct vhca_ib_dev - the ib_device of one vhca device
 * @ibdev: the ib_device (first: ib_alloc_device() needs it there)
 * @cdev: the core device; valid while the auxiliary device is bound
 * @event_nb: the core's event notifier, registered while @ibdev is
 * @port_events: events dispatched to ib_core, per port and kind
 * @fatal_events: IB_EVENT_DEVICE_FATAL dispatched
 * @bad_events: events naming a port or change vhca_ib does not know,
 *	counted and dropped
 * @ddir: debugfs directory, vhca_ib/<bus device>/
 *
 * The counters are atomic: the notifier may run in an interrupt.
 */
struct vhca_ib_dev {
	struct ib_device ibdev;
	struct vhca_core_dev *cdev;
	struct notifier_block event_nb;
	atomic_t port_events[VHCA_MAX_PORTS][VHCA_IB_EV_NUM];
	atomic_t fatal_events;
	atomic_t bad_events;
	struct dentry *ddir;
};

static inline struct vhca_ib_dev *to_vhca_ib_dev(struct ib_device *ibdev)
{
	return container_of(ibdev, struct vhca_ib_dev, ibdev);
}

/* port.c */
int vhca_ib_query_port(struct ib_device *ibdev, u32 port,
		       struct ib_port_attr *props);
int vhca_ib_query_pkey(struct ib_device *ibdev, u32 port, u16 index,
		       u16 *pkey);
int vhca_ib_query_gid(struct ib_device *ibdev, u32 port, int index,
		      union ib_gid *gid);
int vhca_ib_get_port_immutable(struct ib_device *ibdev, u32 port,
			       struct ib_port_immutable *immutable);
int vhca_ib_event(struct notifier_block *nb, unsigned long type, void *data);
void vhca_ib_debugfs_init(struct vhca_ib_dev *dev, struct dentry *parent);

#endif /* _VHCA_IB_H */
