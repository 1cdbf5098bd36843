// SPDX-License-Identifier: GPL-2.0
/*
 * The built-in subnet manager, on the switch's management port (LID 1).
 *
 * Like OpenSM it works in sweeps, asynchronously (a delayed work). A sweep
 * configures every port whose link is up: it gives a port without a LID
 * the lowest free unicast LID (a port keeps its LID across link down/up,
 * as OpenSM's guid2lid cache does, until its device is deleted), sets the
 * SM LID/SL and pushes the port's P_Key table; then it moves the port one
 * step: INIT -> ARMED, ARMED -> ACTIVE. Last it lets the switch train
 * links that are polling. While a port is on its way up the sweep runs
 * again after VHCA_FABRIC_SWEEP_MS, so a cabled port is ACTIVE about three
 * sweeps after its link is enabled.
 *
 * Events (port-change EQEs of the port's device): ACTIVE when a port
 * becomes ACTIVE; LID, SM and PKEY when the SM changes that setting of an
 * ACTIVE port (a port on its way up learns everything from its ACTIVE
 * event); SM then CLIENT_REREG to every ACTIVE port after a restart.
 * DOWN comes from the switch when a link goes down.
 *
 * The SM's partition configuration per port (sm_pkeys) is what the
 * "pkeys" knob edits; once pushed (pkeys) it is what the SA answers from,
 * and every partition in a port's table has its IPoIB broadcast group.
 */

#include <linux/errno.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "../vhca_sim.h"
#include "fabric.h"

/**
 * vhca_sm_schedule - run a sweep after @ms milliseconds
 * @fab: the fabric, lock held
 * @ms: delay; an already pending sweep moves to the new time
 */
void vhca_sm_schedule(struct vhca_fabric *fab, unsigned int ms)
{
	lockdep_assert_held(&fab->lock);
	if (!fab->dying)
		mod_delayed_work(system_wq, &fab->sm.sweep,
				 msecs_to_jiffies(ms));
}

/**
 * vhca_pkey_table_add - add a P_Key to a table, in the first empty entry
 * @tbl: the table; 0 marks an empty entry
 * @len: its entries
 * @pkey: the P_Key, membership bit included
 *
 * Pure. Entries keep their index (an IPoIB child names its P_Key by
 * index), so a deleted entry leaves a hole the next add fills.
 *
 * Return: the index, -EINVAL for a value over 16 bits or an invalid
 * partition (base 0), -EEXIST if the partition is there already (either
 * membership), -ENOSPC if the table is full.
 */
int vhca_pkey_table_add(u16 *tbl, unsigned int len, u32 pkey)
{
	unsigned int i;
	int free = -1;

	if (pkey > U16_MAX || !(pkey & VHCA_PKEY_BASE_MASK))
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (!tbl[i]) {
			if (free < 0)
				free = i;
			continue;
		}
		if ((tbl[i] & VHCA_PKEY_BASE_MASK) ==
		    (pkey & VHCA_PKEY_BASE_MASK))
			return -EEXIST;
	}
	if (free < 0)
		return -ENOSPC;
	tbl[free] = pkey;
	return free;
}

/**
 * vhca_pkey_table_del - remove a P_Key from a table
 * @tbl: the table
 * @len: its entries
 * @pkey: the P_Key, exactly as it is in the table
 *
 * Pure.
 *
 * Return: the index it had, -EINVAL for an invalid value, -EPERM for the
 * default partition (0x7fff/0xffff: every port is a member), -ENOENT if
 * it is not in the table.
 */
int vhca_pkey_table_del(u16 *tbl, unsigned int len, u32 pkey)
{
	unsigned int i;

	if (pkey > U16_MAX || !(pkey & VHCA_PKEY_BASE_MASK))
		return -EINVAL;
	if ((pkey & VHCA_PKEY_BASE_MASK) == VHCA_PKEY_BASE_MASK)
		return -EPERM;
	for (i = 0; i < len; i++) {
		if (tbl[i] == pkey) {
			tbl[i] = 0;
			return i;
		}
	}
	return -ENOENT;
}

/**
 * vhca_sm_port_init - the SM's configuration of a new port
 * @port: the port, not cabled yet
 *
 * The default partition only, in entry 0.
 */
void vhca_sm_port_init(struct vhca_sim_port *port)
{
	memset(port->sm_pkeys, 0, sizeof(port->sm_pkeys));
	memset(port->pkeys, 0, sizeof(port->pkeys));
	port->sm_pkeys[0] = VHCA_PKEY_DEFAULT;
}

/**
 * vhca_sm_pkey_add - add a P_Key to the SM's configuration of a port
 * @fab: the fabric
 * @port: the port
 * @pkey: the P_Key
 *
 * The SM pushes the new table to the port on its next sweep (a PKEY
 * event if the port is ACTIVE).
 *
 * Return: 0 or an errno of vhca_pkey_table_add().
 */
int vhca_sm_pkey_add(struct vhca_fabric *fab, struct vhca_sim_port *port,
		     u32 pkey)
{
	int ret;

	mutex_lock(&fab->lock);
	ret = vhca_pkey_table_add(port->sm_pkeys, VHCA_MAX_PKEYS, pkey);
	if (ret >= 0)
		vhca_sm_schedule(fab, 0);
	mutex_unlock(&fab->lock);
	return ret < 0 ? ret : 0;
}

/**
 * vhca_sm_pkey_del - remove a P_Key from the SM's configuration of a port
 * @fab: the fabric
 * @port: the port
 * @pkey: the P_Key
 *
 * Return: 0 or an errno of vhca_pkey_table_del().
 */
int vhca_sm_pkey_del(struct vhca_fabric *fab, struct vhca_sim_port *port,
		     u32 pkey)
{
	int ret;

	mutex_lock(&fab->lock);
	ret = vhca_pkey_table_del(port->sm_pkeys, VHCA_MAX_PKEYS, pkey);
	if (ret >= 0)
		vhca_sm_schedule(fab, 0);
	mutex_unlock(&fab->lock);
	return ret < 0 ? ret : 0;
}

/**
 * vhca_sm_restart - restart the SM (the sm_restart knob)
 * @fab: the fabric
 *
 * The SM rediscovers the subnet at once; every port that is ACTIVE then
 * gets an SM change and a ClientReregister event, so its clients join
 * their multicast groups and register their services again.
 */
void vhca_sm_restart(struct vhca_fabric *fab)
{
	mutex_lock(&fab->lock);
	fab->sm.state = VHCA_SM_DISCOVERING;
	fab->sm.reregister = true;
	fab->sm.restarts++;
	vhca_sm_schedule(fab, 0);
	mutex_unlock(&fab->lock);
}

/* Program the port as the SM sees it. Returns false if it could not be
 * given a LID (it stays where it is, and is tried again next sweep).
 */
static bool vhca_sm_configure(struct vhca_fabric *fab,
			      struct vhca_sim_port *port)
{
	struct vhca_sm *sm = &fab->sm;
	bool active = port->state == VHCA_PORT_STATE_ACTIVE;

	if (!port->lid && vhca_switch_lid_alloc(fab, port)) {
		sm->lids_exhausted++;
		return false;
	}
	if (port->sm_lid != sm->lid || port->sm_sl != sm->sl) {
		port->sm_lid = sm->lid;
		port->sm_sl = sm->sl;
		if (active)
			vhca_sim_port_event(port, VHCA_PORT_CHANGE_SM);
	}
	if (memcmp(port->pkeys, port->sm_pkeys, sizeof(port->pkeys))) {
		memcpy(port->pkeys, port->sm_pkeys, sizeof(port->pkeys));
		/* broadcast groups per partition, members per P_Key */
		vhca_mcast_pkeys_changed(fab);
		if (active)
			vhca_sim_port_event(port, VHCA_PORT_CHANGE_PKEY);
	}
	return true;
}

static void vhca_sm_sweep(struct work_struct *work)
{
	struct vhca_sm *sm = container_of(to_delayed_work(work),
					  struct vhca_sm, sweep);
	struct vhca_fabric *fab = container_of(sm, struct vhca_fabric, sm);
	struct vhca_sim_port *port;
	bool again = false, rereg;

	mutex_lock(&fab->lock);
	if (fab->dying)
		goto unlock;
	rereg = sm->reregister;
	sm->reregister = false;
	list_for_each_entry(port, &fab->sw.ports, node) {
		if (port->phys_state != VHCA_PORT_PHYS_LINK_UP)
			continue;
		switch (port->state) {
		case VHCA_PORT_STATE_INIT:
			if (vhca_sm_configure(fab, port)) {
				port->state = VHCA_PORT_STATE_ARMED;
				again = true;
			}
			break;
		case VHCA_PORT_STATE_ARMED:
			vhca_sm_configure(fab, port);
			port->state = VHCA_PORT_STATE_ACTIVE;
			vhca_sim_port_event(port, VHCA_PORT_CHANGE_ACTIVE);
			break;
		case VHCA_PORT_STATE_ACTIVE:
			vhca_sm_configure(fab, port);
			if (rereg) {
				vhca_sim_port_event(port, VHCA_PORT_CHANGE_SM);
				vhca_sim_port_event(port,
						    VHCA_PORT_CHANGE_CLIENT_REREG);
			}
			break;
		}
	}
	if (vhca_switch_train(fab))
		again = true;
	sm->state = VHCA_SM_MASTER;
	sm->sweeps++;
	if (again)
		vhca_sm_schedule(fab, VHCA_FABRIC_SWEEP_MS);
unlock:
	mutex_unlock(&fab->lock);
}

void vhca_sm_init(struct vhca_fabric *fab)
{
	struct vhca_sm *sm = &fab->sm;

	sm->lid = VHCA_FABRIC_SWITCH_LID;
	sm->sl = VHCA_FABRIC_SM_SL;
	sm->state = VHCA_SM_DISCOVERING;
	INIT_DELAYED_WORK(&sm->sweep, vhca_sm_sweep);
}

/* no sweep runs or is pending once this returns */
void vhca_sm_uninit(struct vhca_fabric *fab)
{
	mutex_lock(&fab->lock);
	fab->dying = true;
	mutex_unlock(&fab->lock);
	cancel_delayed_work_sync(&fab->sm.sweep);
}

void vhca_sm_show(struct vhca_fabric *fab, struct seq_file *m)
{
	struct vhca_sm *sm = &fab->sm;

	lockdep_assert_held(&fab->lock);
	seq_printf(m, "sm: lid %u sl %u state %s sweeps %llu restarts %llu lids_exhausted %llu\n",
		   sm->lid, sm->sl,
		   sm->state == VHCA_SM_MASTER ? "master" : "discovering",
		   sm->sweeps, sm->restarts, sm->lids_exhausted);
	seq_printf(m, "subnet_prefix: 0x%016llx\n", VHCA_FABRIC_SUBNET_PREFIX);
}
