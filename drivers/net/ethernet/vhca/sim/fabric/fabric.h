/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated InfiniBand fabric: one switch every HCA port is cabled to,
 * and the subnet manager built into the switch's management port.
 *
 *   fabric.c  lifetime, the fabric lock, debugfs vhca_sim/fabric/
 *   switch.c  cabling, link training, the LID table (LID -> port) that
 *             the SM programs and packet forwarding will read
 *   sm.c      the SM: LID assignment, port states INIT -> ARMED ->
 *             ACTIVE, P_Key tables, SM restart, port-change events
 *
 * Lock order: a device's command mutex (QUERY_PORT runs under it), then
 * &vhca_fabric.lock, then an EQ's spinlock (events are posted with the
 * fabric lock held).
 */
#ifndef _VHCA_SIM_FABRIC_H
#define _VHCA_SIM_FABRIC_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

struct dentry;
struct seq_file;
struct vhca_sim_port;

/* the switch's management port, where the SM lives */
#define VHCA_FABRIC_SWITCH_LID		1
#define VHCA_FABRIC_SM_SL		0
/* unicast LIDs the SM hands out to HCA ports */
#define VHCA_FABRIC_MIN_HCA_LID		2
#define VHCA_FABRIC_MAX_UCAST_LID	0xbfff
#define VHCA_FABRIC_SUBNET_PREFIX	0xfe80000000000000ULL
/* PortInfo SubnetTimeOut the SM programs (OpenSM's default) */
#define VHCA_FABRIC_SUBNET_TIMEOUT	18
/* delay between two steps of bringing a port up (train, arm, activate) */
#define VHCA_FABRIC_SWEEP_MS		2

/* the default partition, full member; entry 0 of every P_Key table */
#define VHCA_PKEY_DEFAULT		0xffff
#define VHCA_PKEY_MEMBER		0x8000
#define VHCA_PKEY_BASE_MASK		0x7fff

enum vhca_sm_state {
	VHCA_SM_DISCOVERING,	/* (re)started: the next sweep configures */
	VHCA_SM_MASTER,		/* the subnet is configured */
};

/**
 * struct vhca_switch - the fabric's switch
 * @ports: cabled HCA ports, in cabling order (struct vhca_sim_port.node)
 * @num_ports: entries in @ports
 * @lft: linear forwarding table, LID -> struct vhca_sim_port; the SM
 *	allocates LIDs in it; written under &vhca_fabric.lock, readable
 *	under RCU alone (xa_load) by the data path
 * @lid: LID of the switch's management port 0
 */
struct vhca_switch {
	struct list_head ports;
	unsigned int num_ports;
	struct xarray lft;
	u16 lid;
};

/**
 * struct vhca_sm - the built-in subnet manager
 * @lid: its LID (the switch's)
 * @sl: SL to reach it
 * @state: enum vhca_sm_state
 * @reregister: a restart is pending: the next sweep asks every ACTIVE
 *	port to re-register (SM change, then ClientReregister events)
 * @sweep: the sweep; runs while any port is on its way to ACTIVE, or
 *	something changed (link up, P_Keys, restart)
 * @sweeps: sweeps run
 * @restarts: SM restarts (the sm_restart knob)
 * @lids_exhausted: ports left in INIT because no unicast LID was free
 */
struct vhca_sm {
	u16 lid;
	u8 sl;
	enum vhca_sm_state state;
	bool reregister;
	struct delayed_work sweep;
	u64 sweeps;
	u64 restarts;
	u64 lids_exhausted;
};

/**
 * struct vhca_fabric - a fabric: one switch, its SM, the ports cabled
 * @lock: protects the switch, the SM and every field of a cabled port
 *	that struct vhca_sim_port says is under it; a mutex: everything
 *	that takes it (commands, debugfs, the sweep) runs in process context
 * @dying: module exit: the sweep is not scheduled any more
 * @sw: the switch
 * @sm: the subnet manager
 * @ddir: debugfs vhca_sim/fabric/
 * @knob_errors: bad writes to the fabric's knobs
 */
struct vhca_fabric {
	struct mutex lock;	/* see above */
	bool dying;
	struct vhca_switch sw;
	struct vhca_sm sm;
	struct dentry *ddir;
	u64 knob_errors;
};

/* fabric.c */
struct vhca_fabric *vhca_fabric_get(void);
int vhca_fabric_init(struct dentry *parent);
void vhca_fabric_exit(void);

/* switch.c */
void vhca_switch_init(struct vhca_fabric *fab);
void vhca_switch_uninit(struct vhca_fabric *fab);
void vhca_switch_attach(struct vhca_fabric *fab, struct vhca_sim_port *port);
void vhca_switch_detach(struct vhca_fabric *fab, struct vhca_sim_port *port);
void vhca_switch_set_link(struct vhca_fabric *fab, struct vhca_sim_port *port,
			  bool up);
bool vhca_switch_train(struct vhca_fabric *fab);
int vhca_switch_lid_alloc(struct vhca_fabric *fab, struct vhca_sim_port *port);
void vhca_switch_show(struct vhca_fabric *fab, struct seq_file *m);

/* sm.c */
void vhca_sm_init(struct vhca_fabric *fab);
void vhca_sm_uninit(struct vhca_fabric *fab);
void vhca_sm_schedule(struct vhca_fabric *fab, unsigned int ms);
void vhca_sm_restart(struct vhca_fabric *fab);
void vhca_sm_port_init(struct vhca_sim_port *port);
int vhca_sm_pkey_add(struct vhca_fabric *fab, struct vhca_sim_port *port,
		     u32 pkey);
int vhca_sm_pkey_del(struct vhca_fabric *fab, struct vhca_sim_port *port,
		     u32 pkey);
int vhca_pkey_table_add(u16 *tbl, unsigned int len, u32 pkey);
int vhca_pkey_table_del(u16 *tbl, unsigned int len, u32 pkey);
void vhca_sm_show(struct vhca_fabric *fab, struct seq_file *m);

#endif /* _VHCA_SIM_FABRIC_H */
