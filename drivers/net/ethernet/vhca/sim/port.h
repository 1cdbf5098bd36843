/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vhca_sim ports: the HCA end of each cable to the fabric's switch.
 *
 * A port holds what PortInfo and the P_Key table say about it. Its owner
 * is the device (the memory lives in struct vhca_sim_dev), but every
 * field that changes is written by the fabric (link training, the subnet
 * manager) and read by the firmware's QUERY_PORT/QUERY_PKEYS, so all of
 * them are under the fabric's lock (struct vhca_fabric.lock).
 */
#ifndef _VHCA_SIM_PORT_H
#define _VHCA_SIM_PORT_H

#include <linux/list.h>
#include <linux/types.h>
#include <linux/vhca/device.h>

struct dentry;
struct seq_file;
struct vhca_fabric;
struct vhca_sim_dev;

/* sub_types are small: VHCA_PORT_CHANGE_* index the event counters */
#define VHCA_SIM_PORT_NUM_EVENTS	(VHCA_PORT_CHANGE_CLIENT_REREG + 1)

/**
 * struct vhca_sim_port - one physical port of an emulated HCA
 * @sdev: the device
 * @fab: the fabric it is cabled to
 * @num: port number, 1-based
 * @guid: port GUID: node GUID + @num
 * @ddir: debugfs directory port<N> of the device
 * @node: entry in the switch's port list
 * @cabled: attached to the switch (from device creation to deletion)
 * @link_up: the "link" knob: the cable is plugged in and enabled
 * @phys_state: PortPhysicalState, VHCA_PORT_PHYS_*
 * @state: PortState, VHCA_PORT_STATE_*
 * @lid: base LID the SM assigned, 0 before; kept across link down/up
 * @sm_lid: LID of the SM, as the SM set it
 * @sm_sl: SL to the SM
 * @pkeys: the port's P_Key table, as the SM last pushed it; 0 is empty
 * @sm_pkeys: the SM's partition configuration of the port (the "pkeys"
 *	knob); the SM pushes it to @pkeys on its next sweep
 * @events: port-change events generated, per VHCA_PORT_CHANGE_*
 * @events_lost: of those, not posted (no EQ takes PORT_CHANGE, overrun)
 * @knob_errors: writes to the port's knobs refused as bad input
 *
 * @sdev, @fab, @num, @guid and @ddir are set before the port is cabled
 * and never change; everything else is under @fab->lock.
 */
struct vhca_sim_port {
	struct vhca_sim_dev *sdev;
	struct vhca_fabric *fab;
	u8 num;
	u64 guid;
	struct dentry *ddir;

	struct list_head node;
	bool cabled;
	bool link_up;
	u8 phys_state;
	u8 state;
	u16 lid;
	u16 sm_lid;
	u8 sm_sl;
	u16 pkeys[VHCA_MAX_PKEYS];
	u16 sm_pkeys[VHCA_MAX_PKEYS];
	u64 events[VHCA_SIM_PORT_NUM_EVENTS];
	u64 events_lost;
	u64 knob_errors;
};

/* port.c */
int vhca_sim_ports_init(struct vhca_sim_dev *sdev);
void vhca_sim_ports_uninit(struct vhca_sim_dev *sdev);
u8 vhca_sim_port_cmd_query(struct vhca_sim_dev *sdev, const void *in,
			   void *out, u32 *synd);
u8 vhca_sim_port_cmd_query_pkeys(struct vhca_sim_dev *sdev, const void *in,
				 void *out, u32 *synd);
void vhca_sim_port_event(struct vhca_sim_port *port, u8 sub_type);
void vhca_sim_ports_show(struct vhca_sim_dev *sdev, struct seq_file *m);
const char *vhca_sim_port_phys_name(u8 phys_state);
unsigned int vhca_sim_pkeys_count(const u16 *pkeys);

#endif /* _VHCA_SIM_PORT_H */
