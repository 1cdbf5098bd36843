// SPDX-License-Identifier: GPL-2.0
/*
 * The switch: every HCA port is cabled to it from device creation to
 * deletion. It trains links (a port whose link is enabled polls, then
 * comes up in INIT for the SM to configure) and holds the linear
 * forwarding table the SM programs: LID -> port, the table packet
 * forwarding by DLID reads under RCU. LID 1 is the switch's own
 * management port, where the SM lives.
 *
 * Forwarding (vhca_switch_xmit()) needs no lock of its own: it reads the
 * forwarding table under RCU, the port states with READ_ONCE(), and hands
 * each packet to the egress port's receive queue, a leaf spinlock.
 */

#include <linux/prandom.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "../vhca_sim.h"
#include "fabric.h"
#include "wire.h"

/* most ports a multicast packet is copied to */
#define VHCA_SWITCH_MAX_MCAST_PORTS	128

void vhca_switch_init(struct vhca_fabric *fab)
{
	INIT_LIST_HEAD(&fab->sw.ports);
	xa_init_flags(&fab->sw.lft, XA_FLAGS_ALLOC);
	fab->sw.lid = VHCA_FABRIC_SWITCH_LID;
}

/* every port is gone: nothing is left in the table */
void vhca_switch_uninit(struct vhca_fabric *fab)
{
	WARN_ON(!list_empty(&fab->sw.ports));
	WARN_ON(!xa_empty(&fab->sw.lft));
	xa_destroy(&fab->sw.lft);
}

/**
 * vhca_switch_attach - cable a new port to the switch
 * @fab: the fabric
 * @port: the port, link knob set, not cabled yet
 *
 * The port starts DOWN; with its link enabled it polls and the next sweep
 * trains it.
 */
void vhca_switch_attach(struct vhca_fabric *fab, struct vhca_sim_port *port)
{
	mutex_lock(&fab->lock);
	list_add_tail(&port->node, &fab->sw.ports);
	fab->sw.num_ports++;
	port->cabled = true;
	port->state = VHCA_PORT_STATE_DOWN;
	if (port->link_up) {
		port->phys_state = VHCA_PORT_PHYS_POLLING;
		vhca_sm_schedule(fab, VHCA_FABRIC_SWEEP_MS);
	} else {
		port->phys_state = VHCA_PORT_PHYS_DISABLED;
	}
	mutex_unlock(&fab->lock);
}

/**
 * vhca_switch_detach - unplug a port for good (its device is deleted)
 * @fab: the fabric
 * @port: a cabled port
 *
 * Frees its LID and takes it out of every multicast group: no packet is
 * forwarded to it once this returns (it waits for the forwarding's RCU
 * readers), and the SM may give the LID to another port. Posts no event:
 * the device is going away.
 */
void vhca_switch_detach(struct vhca_fabric *fab, struct vhca_sim_port *port)
{
	mutex_lock(&fab->lock);
	vhca_mcast_port_down(fab, port);
	if (port->lid)
		xa_erase(&fab->sw.lft, port->lid);
	port->lid = 0;
	list_del(&port->node);
	fab->sw.num_ports--;
	port->cabled = false;
	port->state = VHCA_PORT_STATE_DOWN;
	port->phys_state = VHCA_PORT_PHYS_DISABLED;
	mutex_unlock(&fab->lock);
	/* the port's memory goes with its device: no reader may hold it */
	synchronize_rcu();
}

/**
 * vhca_switch_set_link - the link knob: enable or disable a port's link
 * @fab: the fabric
 * @port: the port
 * @up: enable (the port polls, then trains) or disable
 *
 * Taking the link down moves the port to DOWN at once (a DOWN event if it
 * was ACTIVE) and out of its multicast groups; its LID, SM and P_Key
 * settings stay, as the SM remembers the port by GUID. Setting the current value changes nothing.
 */
void vhca_switch_set_link(struct vhca_fabric *fab, struct vhca_sim_port *port,
			  bool up)
{
	bool was_active;

	mutex_lock(&fab->lock);
	if (port->link_up == up || !port->cabled) {
		port->link_up = up;
		goto unlock;
	}
	port->link_up = up;
	if (up) {
		port->phys_state = VHCA_PORT_PHYS_POLLING;
		vhca_sm_schedule(fab, VHCA_FABRIC_SWEEP_MS);
		goto unlock;
	}
	was_active = port->state == VHCA_PORT_STATE_ACTIVE;
	port->state = VHCA_PORT_STATE_DOWN;
	port->phys_state = VHCA_PORT_PHYS_DISABLED;
	vhca_mcast_port_down(fab, port);
	if (was_active)
		vhca_sim_port_event(port, VHCA_PORT_CHANGE_DOWN);
unlock:
	mutex_unlock(&fab->lock);
}

/**
 * vhca_switch_train - one step of link training, run by the sweep
 * @fab: the fabric, lock held
 *
 * A polling link comes up: physical state LINK_UP, port state INIT, for
 * the SM to configure.
 *
 * Return: true if a port came up (the sweep has work to do next).
 */
bool vhca_switch_train(struct vhca_fabric *fab)
{
	struct vhca_sim_port *port;
	bool trained = false;

	lockdep_assert_held(&fab->lock);
	list_for_each_entry(port, &fab->sw.ports, node) {
		if (!port->link_up ||
		    port->phys_state != VHCA_PORT_PHYS_POLLING)
			continue;
		port->phys_state = VHCA_PORT_PHYS_LINK_UP;
		port->state = VHCA_PORT_STATE_INIT;
		trained = true;
	}
	return trained;
}

/**
 * vhca_switch_lid_alloc - give a port the lowest free unicast LID
 * @fab: the fabric, lock held
 * @port: a port without a LID
 *
 * Programs the forwarding table: the LID leads to @port until
 * vhca_switch_detach().
 *
 * Return: 0 with port->lid set, or -EBUSY if every unicast LID is taken
 * (-ENOMEM if the table cannot grow).
 */
int vhca_switch_lid_alloc(struct vhca_fabric *fab, struct vhca_sim_port *port)
{
	u32 lid;
	int err;

	lockdep_assert_held(&fab->lock);
	err = xa_alloc(&fab->sw.lft, &lid, port,
		       XA_LIMIT(VHCA_FABRIC_MIN_HCA_LID,
				VHCA_FABRIC_MAX_UCAST_LID), GFP_KERNEL);
	if (err)
		return err;
	port->lid = lid;
	return 0;
}

/* the switch and every port, as the fabric's state file shows them */
void vhca_switch_show(struct vhca_fabric *fab, struct seq_file *m)
{
	struct vhca_sim_port *port;

	lockdep_assert_held(&fab->lock);
	seq_printf(m, "switch: lid %u ports %u\n", fab->sw.lid,
		   fab->sw.num_ports);
	list_for_each_entry(port, &fab->sw.ports, node)
		seq_printf(m, "port vhca%u/%u: lid %u state %s phys %s link %s pkeys %u guid 0x%016llx\n",
			   port->sdev->bdev.id, port->num, port->lid,
			   vhca_port_state_name(port->state),
			   vhca_sim_port_phys_name(port->phys_state),
			   port->link_up ? "up" : "down",
			   vhca_sim_pkeys_count(port->pkeys), port->guid);
}

/* the link of a port is up: a packet can cross its cable */
static bool vhca_switch_link_up(const struct vhca_sim_port *port)
{
	return READ_ONCE(port->cabled) &&
	       READ_ONCE(port->phys_state) == VHCA_PORT_PHYS_LINK_UP;
}

static void vhca_switch_drop(struct vhca_sim_port *port,
			     enum vhca_port_drop why)
{
	if (port)
		vhca_sim_port_drop(port, why);
}

/* a copy to every port that joined the group; RCU read side held */
static void vhca_switch_mcast(struct vhca_fabric *fab, struct vhca_pkt *pkt,
			      u16 mlid)
{
	struct vhca_sim_port **ports, *out;
	struct vhca_pkt *copy;
	unsigned int i, n;

	ports = kmalloc_array(VHCA_SWITCH_MAX_MCAST_PORTS, sizeof(*ports),
			      GFP_ATOMIC);
	if (!ports) {
		vhca_switch_drop(pkt->ingress, VHCA_PORT_DROP_OVERFLOW);
		return;
	}
	n = vhca_mcast_fwd(fab, mlid, ports, VHCA_SWITCH_MAX_MCAST_PORTS);
	if (!n)
		vhca_switch_drop(pkt->ingress, VHCA_PORT_DROP_MCAST);
	for (i = 0; i < n; i++) {
		out = ports[i];
		if (!vhca_switch_link_up(out)) {
			vhca_sim_port_drop(out, VHCA_PORT_DROP_LINK_DOWN);
			continue;
		}
		copy = vhca_pkt_clone(pkt, GFP_ATOMIC);
		if (!copy) {
			vhca_sim_port_drop(out, VHCA_PORT_DROP_OVERFLOW);
			continue;
		}
		vhca_sim_port_rx(out, copy);
	}
	kfree(ports);
}

/**
 * vhca_switch_xmit - put a packet on the wire
 * @fab: the fabric
 * @pkt: the packet; @pkt->ingress is the sending port, NULL for the SM/SA;
 *	consumed
 *
 * Counts the packet as sent on its ingress port, then drops it if that
 * link is down or loss injection picks it (packets of the SM are never
 * lost). The switch's own LID leads to the SA (QP1 only: the switch has
 * no SMA); a multicast LID to a copy for every port that joined the
 * group (the sender's port too: the HCA loops multicast back); any other
 * LID to the port the forwarding table names. Any context but hardirq;
 * never sleeps.
 */
void vhca_switch_xmit(struct vhca_fabric *fab, struct vhca_pkt *pkt)
{
	struct vhca_sim_port *in = pkt->ingress, *out;
	u32 ppm, dqpn;
	u16 dlid;

	if (in) {
		atomic64_inc(&in->cnt.tx_packets);
		atomic64_add(pkt->len, &in->cnt.tx_bytes);
		if (!vhca_switch_link_up(in)) {
			vhca_sim_port_drop(in, VHCA_PORT_DROP_LINK_DOWN);
			goto free;
		}
		ppm = READ_ONCE(fab->loss_ppm);
		if (ppm &&
		    prandom_u32_max(VHCA_FABRIC_LOSS_PPM_MAX) < ppm) {
			vhca_sim_port_drop(in, VHCA_PORT_DROP_LOSS);
			goto free;
		}
	}
	if (vhca_wire_peek(pkt, &dlid, &dqpn)) {
		vhca_switch_drop(in, VHCA_PORT_DROP_BAD_HDR);
		goto free;
	}
	if (dlid == READ_ONCE(fab->sw.lid)) {
		if (dqpn == VHCA_QPN_GSI) {
			vhca_sa_rx(fab, pkt);
			return;
		}
		vhca_switch_drop(in, VHCA_PORT_DROP_NO_QP);
		goto free;
	}

	rcu_read_lock();
	if (dlid >= VHCA_MLID_MIN && dlid <= VHCA_MLID_MAX) {
		vhca_switch_mcast(fab, pkt, dlid);
		rcu_read_unlock();
		goto free;
	}
	out = xa_load(&fab->sw.lft, dlid);
	if (!out) {
		vhca_switch_drop(in, VHCA_PORT_DROP_NO_ROUTE);
	} else if (!vhca_switch_link_up(out)) {
		vhca_sim_port_drop(out, VHCA_PORT_DROP_LINK_DOWN);
	} else {
		vhca_sim_port_rx(out, pkt);
		pkt = NULL;
	}
	rcu_read_unlock();
free:
	vhca_pkt_free(pkt);
}
