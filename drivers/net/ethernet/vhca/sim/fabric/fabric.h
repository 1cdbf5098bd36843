/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated InfiniBand fabric: one switch every HCA port is cabled to,
 * and the subnet manager built into the switch's management port.
 *
 *   fabric.c  lifetime, the fabric lock, debugfs vhca_sim/fabric/
 *   switch.c  cabling, link training, the LID table (LID -> port) that
 *             the SM programs, and packet forwarding by it (see wire.h)
 *   sm.c      the SM: LID assignment, port states INIT -> ARMED ->
 *             ACTIVE, P_Key tables, SM restart, port-change events
 *   sa.c      the SA on the SM's QP1 (sa_rec.c: its record codecs)
 *   mcast.c   multicast groups, forwarding sets
 *
 * Lock order: a device's command mutex (QUERY_PORT runs under it), then
 * &vhca_fabric.lock, then an EQ's spinlock (events are posted with the
 * fabric lock held). &vhca_sa.lock is a leaf.
 */
#ifndef _VHCA_SIM_FABRIC_H
#define _VHCA_SIM_FABRIC_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

struct dentry;
struct seq_file;
struct vhca_sim_port;
struct vhca_sa_ctx;
struct vhca_sa_mcm_rec;

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

/* SA request counters are kept per attribute and per method */
enum vhca_sa_attr_idx {
	VHCA_SA_ATTR_CPI,		/* ClassPortInfo */
	VHCA_SA_ATTR_PATH,		/* PathRecord */
	VHCA_SA_ATTR_MCM,		/* MCMemberRecord */
	VHCA_SA_ATTR_OTHER,
	VHCA_SA_NUM_ATTRS
};

enum vhca_sa_method_idx {
	VHCA_SA_METHOD_GET,
	VHCA_SA_METHOD_GET_TABLE,
	VHCA_SA_METHOD_SET,
	VHCA_SA_METHOD_DELETE,
	VHCA_SA_METHOD_OTHER,
	VHCA_SA_NUM_METHODS
};

/* error responses, by MAD status */
enum vhca_sa_err_idx {
	VHCA_SA_E_BAD_VERSION,		/* 0x0004 */
	VHCA_SA_E_METHOD,		/* 0x0008 */
	VHCA_SA_E_METHOD_ATTR,		/* 0x000c */
	VHCA_SA_E_NO_RESOURCES,		/* SA status 1 .. 6 */
	VHCA_SA_E_REQ_INVALID,
	VHCA_SA_E_NO_RECORDS,
	VHCA_SA_E_TOO_MANY_RECORDS,
	VHCA_SA_E_INVALID_GID,
	VHCA_SA_E_INSUFFICIENT_COMPS,
	VHCA_SA_NUM_ERRS
};

/**
 * struct vhca_sa_stats - what the SA saw and did
 * @bad_packets: not a UD SEND_ONLY to QP1 with the GSI Q_Key and a
 *	256-byte MAD, or headers that do not parse; dropped
 * @requests: requests by attribute and method
 * @responses: MADs sent (each RMPP segment counts)
 * @response_errors: responses that could not be built (no memory)
 * @errors: error responses by status
 * @rmpp_acks: RMPP ACKs of our GetTableResp segments; dropped
 * @rmpp_other: other RMPP MADs (STOP, ABORT, segmented requests); dropped
 * @resp_ignored: response MADs sent to the SA; dropped
 */
struct vhca_sa_stats {
	u64 bad_packets;
	u64 requests[VHCA_SA_NUM_ATTRS][VHCA_SA_NUM_METHODS];
	u64 responses;
	u64 response_errors;
	u64 errors[VHCA_SA_NUM_ERRS];
	u64 rmpp_acks;
	u64 rmpp_other;
	u64 resp_ignored;
};

/**
 * struct vhca_sa - the subnet administrator on the SM's QP1 (sa.c)
 * @lock: protects @queue, @queued, @dead, @received and @queue_drops;
 *	taken with interrupts off (packets arrive from any context but
 *	hardirq, possibly under other spinlocks)
 * @queue: packets the switch delivered (struct vhca_pkt.list)
 * @queued: packets on @queue
 * @dead: the fabric is going away: packets are dropped
 * @received: packets queued
 * @queue_drops: packets dropped because @queue was full or @dead
 * @work: handles @queue in process context, under &vhca_fabric.lock
 * @ctx: the work's scratch space (requests, responses, records)
 * @psn: PSN of the next response
 * @stats: counters of the work, under &vhca_fabric.lock
 */
struct vhca_sa {
	spinlock_t lock;	/* see above */
	struct list_head queue;
	unsigned int queued;
	bool dead;
	u64 received;
	u64 queue_drops;
	struct work_struct work;
	struct vhca_sa_ctx *ctx;
	u32 psn;
	struct vhca_sa_stats stats;
};

/**
 * struct vhca_mcast - the fabric's multicast groups (mcast.c)
 * @groups: every group (struct vhca_mcast_group), under &vhca_fabric.lock
 * @by_mlid: MLID -> group; written under &vhca_fabric.lock, read under
 *	RCU alone by forwarding (vhca_mcast_fwd())
 * @next_mgid: suffix of the next MGID the SA makes up (join with MGID 0)
 * @created: groups created (broadcast groups included)
 * @deleted: groups deleted
 * @joins: successful joins
 * @leaves: successful leaves
 * @removed: memberships removed by the fabric (port down, P_Key gone)
 * @no_mlid: joins refused because every MLID was taken
 * @no_mem: group or forwarding-set allocations that failed
 */
struct vhca_mcast {
	struct list_head groups;
	struct xarray by_mlid;
	u32 next_mgid;
	u64 created;
	u64 deleted;
	u64 joins;
	u64 leaves;
	u64 removed;
	u64 no_mlid;
	u64 no_mem;
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
 * @sa: the subnet administrator
 * @mcast: the multicast groups
 * @loss_ppm: the loss_ppm knob: packets per million the switch drops;
 *	written by debugfs, read locklessly (READ_ONCE) per packet
 */
struct vhca_fabric {
	struct mutex lock;	/* see above */
	bool dying;
	struct vhca_switch sw;
	struct vhca_sm sm;
	struct dentry *ddir;
	u64 knob_errors;
	struct vhca_sa sa;
	struct vhca_mcast mcast;
	u32 loss_ppm;
};

/* loss_ppm is parts per million */
#define VHCA_FABRIC_LOSS_PPM_MAX	1000000

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

/* sa.c: the SA (vhca_sa_rx() is in wire.h) */
int vhca_sa_init(struct vhca_fabric *fab);
void vhca_sa_uninit(struct vhca_fabric *fab);
void vhca_sa_debugfs_init(struct vhca_fabric *fab);
struct vhca_sim_port *vhca_sa_port_by_gid(struct vhca_fabric *fab,
					  const u8 *gid);
void vhca_sa_port_gid(const struct vhca_sim_port *port, u8 *gid);
u16 vhca_sa_port_pkey(const struct vhca_sim_port *port, u16 pkey);

/* mcast.c: multicast groups (vhca_mcast_fwd() is in wire.h) */
int vhca_mcast_init(struct vhca_fabric *fab);
void vhca_mcast_uninit(struct vhca_fabric *fab);
void vhca_mcast_debugfs_init(struct vhca_fabric *fab);
void vhca_mcast_pkeys_changed(struct vhca_fabric *fab);
void vhca_mcast_port_down(struct vhca_fabric *fab, struct vhca_sim_port *port);
u8 vhca_mcast_join(struct vhca_fabric *fab, struct vhca_sim_port *port,
		   const struct vhca_sa_mcm_rec *req, u64 comp_mask,
		   struct vhca_sa_mcm_rec *out);
u8 vhca_mcast_leave(struct vhca_fabric *fab, struct vhca_sim_port *port,
		    const struct vhca_sa_mcm_rec *req, u64 comp_mask,
		    struct vhca_sa_mcm_rec *out);
unsigned int vhca_mcast_query(struct vhca_fabric *fab,
			      const struct vhca_sa_mcm_rec *req, u64 comp_mask,
			      struct vhca_sa_mcm_rec *out, unsigned int max);

#endif /* _VHCA_SIM_FABRIC_H */
