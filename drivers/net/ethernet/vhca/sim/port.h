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

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/vhca/device.h>

struct dentry;
struct seq_file;
struct vhca_fabric;
struct vhca_pkt;
struct vhca_sim_dev;

/* sub_types are small: VHCA_PORT_CHANGE_* index the event counters */
#define VHCA_SIM_PORT_NUM_EVENTS	(VHCA_PORT_CHANGE_CLIENT_REREG + 1)

/**
 * struct vhca_sim_port_counters - what crossed a port, PortCounters-like
 * @tx_packets: packets the port sent to the switch
 * @tx_bytes: their bytes, LRH to VCRC
 * @rx_packets: packets delivered to the port
 * @rx_bytes: their bytes
 * @drops: packets dropped, by reason (on the port that saw the drop)
 *
 * Updated locklessly from the engines; read by debugfs and MAD_IFC's PMA.
 */
struct vhca_sim_port_counters {
	atomic64_t tx_packets;
	atomic64_t tx_bytes;
	atomic64_t rx_packets;
	atomic64_t rx_bytes;
	atomic64_t drops[VHCA_PORT_NUM_DROPS];
};

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
 * @cnt: traffic counters (lockless, see struct vhca_sim_port_counters)
 * @rx_lock: protects @rx_list, @rx_len and @rx_dead; a leaf (BH-safe), the
 *	switch enqueues under a sender's QP lock
 * @rx_list: packets the switch delivered, not yet processed
 * @rx_len: packets on @rx_list
 * @rx_dead: the port is being removed: nothing is enqueued any more
 * @rx_work: the port's receive engine (recv.c); one work item, so the
 *	packets of a port are processed in order, one at a time
 *
 * @sdev, @fab, @num, @guid and @ddir are set before the port is cabled
 * and never change; everything else is under @fab->lock, except @cnt and
 * the rx fields. The data path reads @state, @phys_state, @lid and
 * @pkeys without the fabric's mutex (READ_ONCE): a packet racing a port
 * change sees the old or the new value, as on a real link.
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
	struct vhca_sim_port_counters cnt;

	spinlock_t rx_lock;	/* rx_list, rx_len, rx_dead */
	struct list_head rx_list;
	unsigned int rx_len;
	bool rx_dead;
	struct work_struct rx_work;
};

/* packets a port's receive queue holds before it drops (drop_overflow) */
#define VHCA_SIM_PORT_RX_MAX		4096
/* packets the receive engine handles before it requeues itself */
#define VHCA_SIM_PORT_RX_BUDGET		64

static inline void vhca_sim_port_drop(struct vhca_sim_port *port,
				      enum vhca_port_drop why)
{
	atomic64_inc(&port->cnt.drops[why]);
}

/* port.c */
int vhca_sim_ports_init(struct vhca_sim_dev *sdev);
void vhca_sim_ports_uninit(struct vhca_sim_dev *sdev);
u8 vhca_sim_port_cmd_query(struct vhca_sim_dev *sdev, const void *in,
			   void *out, u32 *synd);
u8 vhca_sim_port_cmd_query_pkeys(struct vhca_sim_dev *sdev, const void *in,
				 void *out, u32 *synd);
u8 vhca_sim_port_cmd_query_counters(struct vhca_sim_dev *sdev,
				    const void *in, void *out, u32 *synd);
void vhca_sim_port_event(struct vhca_sim_port *port, u8 sub_type);
void vhca_sim_ports_show(struct vhca_sim_dev *sdev, struct seq_file *m);
const char *vhca_sim_port_phys_name(u8 phys_state);
unsigned int vhca_sim_pkeys_count(const u16 *pkeys);
const char *vhca_sim_drop_name(enum vhca_port_drop why);

/* recv.c: the port's receive engine handles one packet; consumes it */
void vhca_sim_port_recv(struct vhca_sim_port *port, struct vhca_pkt *pkt);

#endif /* _VHCA_SIM_PORT_H */
