/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vhca core driver API: what vhca_core offers the drivers built on it
 * (vhca_ib, the IPoIB and Ethernet netdevs).
 *
 * A struct vhca_core_dev is one bound vhca bus device. Through it a user
 * executes firmware commands (vhca_cmd_exec()), finds the completion EQs
 * to attach its CQs to, subscribes to asynchronous device events and reads
 * the run-time devlink settings that affect the data path.
 */
#ifndef _LINUX_VHCA_DRIVER_H
#define _LINUX_VHCA_DRIVER_H

#include <linux/auxiliary_bus.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/completion.h>
#include <linux/dmapool.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/rwsem.h>
#include <linux/semaphore.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/vhca/device.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/devlink.h>
#include <rdma/ib_verbs.h>

#define VHCA_CMD_NUM_SLOTS	BIT(VHCA_CMDQ_LOG_SIZE)

/**
 * struct vhca_cmd_stats - command interface counters of one device
 * @executed: commands handed to the device
 * @failed: commands that completed with a delivery error or a non-OK
 *	status (timeouts not included)
 * @timed_out: commands the device did not complete within cmd_timeout_ms
 * @reclaimed: timed-out command slots given back by the device later
 */
struct vhca_cmd_stats {
	u64 executed;
	u64 failed;
	u64 timed_out;
	u64 reclaimed;
};

/**
 * struct vhca_cmd_slot - driver state of one command queue entry
 * @done: completed by the CMD EQE handler for an event-mode command
 * @in: input mailbox (from the mailbox pool)
 * @out: output mailbox
 * @in_dma: DMA address of @in
 * @out_dma: DMA address of @out
 * @opcode: opcode of the command in the slot, for logs
 * @event: the command was posted with VHCA_CMD_FLAG_EVENT
 * @stale: the command timed out; the slot and its mailboxes stay owned by
 *	the device until its owner bit clears or the queue is disabled
 */
struct vhca_cmd_slot {
	struct completion done;
	void *in;
	void *out;
	dma_addr_t in_dma;
	dma_addr_t out_dma;
	u16 opcode;
	bool event;
	bool stale;
};

/**
 * struct vhca_cmd - the command interface of one device
 * @queue: the command queue page (1 << VHCA_CMDQ_LOG_SIZE entries)
 * @queue_dma: its DMA address, as written to VHCA_REG_CMDQ_ADDR_H
 * @mbox_pool: mailboxes, VHCA_CMD_MBOX_MAX bytes each
 * @free_slots: counts slots that are neither busy nor stale; a command
 *	sleeps on it for a free slot
 * @mode_sem: held shared by every command for its whole execution and
 *	exclusively to switch between polling and event mode, so no
 *	event-mode command is in flight when the async EQ goes away
 * @use_events: post commands with VHCA_CMD_FLAG_EVENT; written under
 *	@mode_sem held exclusively
 * @lock: protects @busy, @stale, @token, @stats and the slots' fields; taken
 *	from the EQ interrupt handler, so irqsave elsewhere
 * @busy: bitmap of slots in use (including stale ones)
 * @stale: bitmap of slots whose command timed out
 * @token: last token given to a command
 * @slot: per-slot state
 * @reclaim_work: polls stale slots for their late completion
 * @stats: counters
 */
struct vhca_cmd {
	struct vhca_cmd_entry *queue;
	dma_addr_t queue_dma;
	struct dma_pool *mbox_pool;
	struct semaphore free_slots;
	struct rw_semaphore mode_sem;
	bool use_events;
	spinlock_t lock;	/* see above */
	unsigned long busy;
	unsigned long stale;
	u8 token;
	struct vhca_cmd_slot slot[VHCA_CMD_NUM_SLOTS];
	struct delayed_work reclaim_work;
	struct vhca_cmd_stats stats;
};

struct vhca_eq;

/**
 * struct vhca_eq_comp - a consumer of an EQ's completion events
 * @handler: called in hard interrupt context for each VHCA_EVENT_COMP EQE
 *	with the CQ number it names; embed the struct and use container_of()
 */
struct vhca_eq_comp {
	void (*handler)(struct vhca_eq_comp *comp, u32 cqn);
};

/**
 * struct vhca_eq_stats - EQ counters, written only by its interrupt handler
 * @irqs: interrupts handled
 * @eqes: EQEs consumed
 * @unhandled: EQEs no consumer took (unknown type, no COMP handler)
 */
struct vhca_eq_stats {
	u64 irqs;
	u64 eqes;
	u64 unhandled;
};

/**
 * struct vhca_eq - an event queue
 * @cdev: the device
 * @ring: the EQE ring (64 << @log_size bytes, page aligned)
 * @ring_dma: its DMA address
 * @log_size: log2 of the EQE count
 * @vector: the interrupt vector the EQ raises
 * @eqn: the EQ number the device gave
 * @cons_index: consumer index, only touched by the interrupt handler once
 *	the EQ is armed
 * @event_mask: BIT_ULL(VHCA_EVENT_*) the EQ is subscribed to
 * @comp: completion consumer (RCU: set/cleared by vhca_eq_comp_attach()
 *	and vhca_eq_comp_detach(), read by the handler)
 * @stats: counters
 * @orphan: in &vhca_eq_table.orphans if the device refused DESTROY_EQ
 */
struct vhca_eq {
	struct vhca_core_dev *cdev;
	struct vhca_eqe *ring;
	dma_addr_t ring_dma;
	u8 log_size;
	u8 vector;
	u32 eqn;
	u32 cons_index;
	u64 event_mask;
	struct vhca_eq_comp __rcu *comp;
	struct vhca_eq_stats stats;
	struct list_head orphan;
};

/**
 * struct vhca_eq_table - the EQs of a loaded device
 * @async: command completions, port changes, internal errors (vector 0)
 * @comp: completion ("IO") EQs, one per vector 1..@num_comp
 * @num_comp: number of entries in @comp
 * @nh: notifier chain of asynchronous events (PORT_CHANGE,
 *	INTERNAL_ERROR, QP, CQ_ERROR, SRQ_LIMIT); lives as long as the
 *	device is bound
 * @orphans: EQs whose DESTROY_EQ failed; their rings are freed once the
 *	HCA is torn down or disabled
 * @core_cqs: CQN -> struct vhca_eq_comp of CQs vhca_core itself owns (the
 *	IPoIB uplinks'); their completion events go there instead of to the
 *	EQ's consumer. RCU readers (EQ interrupt handlers).
 */
struct vhca_eq_table {
	struct vhca_eq *async;
	struct vhca_eq **comp;
	unsigned int num_comp;
	struct atomic_notifier_head nh;
	struct list_head orphans;
	struct xarray core_cqs;
};

/**
 * struct vhca_port_attr - what the driver knows of a port (QUERY_PORT),
 *	in CPU byte order; the fields and encodings of struct vhca_port_info
 * @state: VHCA_PORT_STATE_* (IB PortState: 1 DOWN .. 4 ACTIVE)
 * @phys_state: VHCA_PORT_PHYS_*
 * @lmc: LID mask control
 * @sm_sl: SL to reach the SM
 * @max_mtu: VHCA_MTU_* (IB MTU encoding)
 * @active_mtu: VHCA_MTU_*
 * @link_width_active: IB LinkWidthActive
 * @link_speed_active: IB LinkSpeedActive (32: EDR)
 * @subnet_timeout: IB SubnetTimeOut
 * @init_type_reply: IB InitTypeReply
 * @lid: base LID, 0 until the SM assigned one
 * @sm_lid: LID of the SM
 * @pkey_tbl_len: P_Key table entries
 * @gid_tbl_len: GID table entries
 * @capability_mask: IB CapabilityMask (IB_PORT_* bits)
 * @qkey_viol_cntr: Q_Key violations
 * @pkey_viol_cntr: P_Key violations
 * @subnet_prefix: GID prefix
 * @port_guid: port GUID
 */
struct vhca_port_attr {
	u8 state;
	u8 phys_state;
	u8 lmc;
	u8 sm_sl;
	u8 max_mtu;
	u8 active_mtu;
	u8 link_width_active;
	u8 link_speed_active;
	u8 subnet_timeout;
	u8 init_type_reply;
	u16 lid;
	u16 sm_lid;
	u16 pkey_tbl_len;
	u16 gid_tbl_len;
	u32 capability_mask;
	u16 qkey_viol_cntr;
	u16 pkey_viol_cntr;
	u64 subnet_prefix;
	u64 port_guid;
};

/**
 * struct vhca_core_port - a physical port of a bound device
 * @cdev: the device
 * @num: port number, 1-based
 * @dl_port: devlink port (flavour physical, index @num), registered from
 *	probe to remove
 * @work: re-reads the port after PORT_CHANGE events and passes them on
 * @mutex: serializes reading the port from the device and updating the
 *	cache, so the last reader's (newest) values win
 * @lock: protects @live, @pending, @valid, @attr and @pkeys; taken by the
 *	EQ interrupt handler, so irqsave elsewhere
 * @live: events are taken (the port is loaded); cleared before @work is
 *	cancelled at unload, so nothing queues it again
 * @pending: BIT(VHCA_PORT_CHANGE_*) received and not yet handled
 * @valid: @attr and @pkeys hold what the device said since the last load
 * @attr: cached port attributes
 * @pkeys: cached P_Key table, @attr.pkey_tbl_len entries used, 0 empty
 */
struct vhca_core_port {
	struct vhca_core_dev *cdev;
	u8 num;
	struct devlink_port dl_port;
	struct work_struct work;
	struct mutex mutex;	/* see above */
	spinlock_t lock;	/* see above */
	bool live;
	unsigned long pending;
	bool valid;
	struct vhca_port_attr attr;
	u16 pkeys[VHCA_MAX_PKEYS];
};

/**
 * enum vhca_tx_meta_storage - where TX metadata travels between an upper
 *	netdev and the uplink (devlink param tx_meta_storage)
 * @VHCA_TX_META_CB: in skb->cb
 * @VHCA_TX_META_HEADER: in a pushed pseudo header
 * @VHCA_TX_META_METADATA: in a METADATA_HW_PORT_MUX metadata dst
 */
enum vhca_tx_meta_storage {
	VHCA_TX_META_CB,
	VHCA_TX_META_HEADER,
	VHCA_TX_META_METADATA,
};

/**
 * struct vhca_core_dev - a vhca device bound to vhca_core
 * @bdev: the bus device
 * @dev: &bdev->dev, for logs and DMA
 * @devlink: the devlink instance; this struct is its priv
 * @cmd: command interface
 * @cap: capabilities from QUERY_HCA_CAP (device byte order)
 * @adapter: board identity from QUERY_ADAPTER (device byte order)
 * @fw_rev: firmware version "major.minor.subminor" from the registers
 * @serial: NUL-terminated serial number
 * @psid: NUL-terminated parameter set id
 * @eq_table: EQs; valid while @loaded
 * @loaded: INIT_HCA done and the EQs exist (false after a failed
 *	devlink reload until a later one succeeds); changed only in probe,
 *	remove and devlink reload (under the devlink instance lock)
 * @event_eq_size: EQE count of the async EQ while loaded
 * @io_eq_size: EQE count of each completion EQ while loaded
 * @tx_meta_storage: enum vhca_tx_meta_storage; READ_ONCE/WRITE_ONCE, read
 *	per packet, see vhca_core_tx_meta_storage()
 * @ports: the physical ports, @cap.num_ports of them
 * @rdma_adev: the "rdma" auxiliary device (vhca_ib binds to it); exists
 *	while @loaded, created last by load and deleted first by unload
 * @uplinks: the IPoIB uplink of each IB port (NULL for others); exist
 *	while @loaded, created before @rdma_adev and destroyed after it
 */
struct vhca_core_dev {
	struct vhca_bus_device *bdev;
	struct device *dev;
	struct devlink *devlink;
	struct vhca_cmd cmd;
	struct vhca_hca_cap cap;
	struct vhca_adapter_info adapter;
	char fw_rev[32];
	char serial[sizeof_field(struct vhca_adapter_info, serial) + 1];
	char psid[sizeof_field(struct vhca_adapter_info, psid) + 1];
	struct vhca_eq_table eq_table;
	bool loaded;
	u32 event_eq_size;
	u32 io_eq_size;
	enum vhca_tx_meta_storage tx_meta_storage;
	struct vhca_core_port ports[VHCA_MAX_PORTS];
	struct vhca_core_adev *rdma_adev;
	struct vhca_ipoib_uplink *uplinks[VHCA_MAX_PORTS];
};

/* auxiliary device name: "vhca_core.rdma.<bus device ID>" */
#define VHCA_CORE_ADEV_RDMA	"rdma"

/**
 * struct vhca_core_adev - an auxiliary device vhca_core creates for the
 *	drivers built on it (vhca_ib binds to "vhca_core.rdma")
 * @adev: the auxiliary device; its parent is the bus device
 * @cdev: the core device. Valid from the auxiliary driver's probe to its
 *	remove; the device is loaded all that time (a devlink reload or
 *	unbind deletes the auxiliary device first)
 */
struct vhca_core_adev {
	struct auxiliary_device adev;
	struct vhca_core_dev *cdev;
};

static inline struct vhca_core_adev *
to_vhca_core_adev(struct auxiliary_device *adev)
{
	return container_of(adev, struct vhca_core_adev, adev);
}

struct ib_device;
struct vhca_ipoib_uplink;

/**
 * struct vhca_ah - a kernel address handle of vhca_ib, as vhca_core's
 *	enhanced IPoIB reads it in rn->send
 * @ibah: the ib_ah
 * @av: the address vector, in the device's format
 * @port: the port the AH was made for (query_ah)
 */
struct vhca_ah {
	struct ib_ah ibah;
	struct vhca_av av;
	u8 port;
};

static inline struct vhca_ah *to_vhca_ah(struct ib_ah *ibah)
{
	return container_of(ibah, struct vhca_ah, ibah);
}

int vhca_ipoib_rn_get_params(struct vhca_core_dev *cdev, u32 port,
			     struct rdma_netdev_alloc_params *params);

int vhca_cmd_exec(struct vhca_core_dev *cdev, const void *in, size_t inlen,
		  void *out, size_t outlen);
void vhca_cmd_get_stats(struct vhca_core_dev *cdev,
			struct vhca_cmd_stats *stats);
const char *vhca_cmd_opcode_str(u16 opcode);
const char *vhca_cmd_status_str(u8 status);

unsigned int vhca_core_num_comp_eqs(struct vhca_core_dev *cdev);
struct vhca_eq *vhca_core_comp_eq(struct vhca_core_dev *cdev,
				  unsigned int index);
int vhca_eq_comp_attach(struct vhca_eq *eq, struct vhca_eq_comp *comp);
void vhca_eq_comp_detach(struct vhca_eq *eq, struct vhca_eq_comp *comp);
int vhca_core_event_register(struct vhca_core_dev *cdev,
			     struct notifier_block *nb);
int vhca_core_event_unregister(struct vhca_core_dev *cdev,
			       struct notifier_block *nb);

unsigned int vhca_core_num_ports(struct vhca_core_dev *cdev);
int vhca_core_query_port(struct vhca_core_dev *cdev, u8 port,
			 struct vhca_port_attr *attr);
int vhca_core_query_pkey(struct vhca_core_dev *cdev, u8 port, u16 index,
			 u16 *pkey);
int vhca_core_find_pkey(struct vhca_core_dev *cdev, u8 port, u16 pkey,
			u16 *index);
int vhca_core_port_set_ibdev(struct vhca_core_dev *cdev, u8 port,
			     struct ib_device *ibdev);

/**
 * vhca_core_tx_meta_storage() - current TX metadata storage mode
 * @cdev: the device
 *
 * Lockless; the mode can change between two calls (devlink param
 * tx_meta_storage is a runtime param), so read it once per packet.
 *
 * Return: an enum vhca_tx_meta_storage value.
 */
static inline enum vhca_tx_meta_storage
vhca_core_tx_meta_storage(const struct vhca_core_dev *cdev)
{
	return READ_ONCE(cdev->tx_meta_storage);
}

/**
 * vhca_core_uar_write64() - ring a doorbell of a UAR
 * @cdev: the device
 * @uar: a UAR the caller allocated (ALLOC_UAR)
 * @reg: the doorbell's offset in the UAR, VHCA_UAR_SQ_DB or VHCA_UAR_CQ_DB
 * @val: the doorbell value (vhca_sq_db_val(), vhca_cq_db_val())
 *
 * One 64-bit register write through the bus ops, callable in any context.
 * The caller orders its doorbell record and ring writes before it (wmb()).
 */
static inline void vhca_core_uar_write64(struct vhca_core_dev *cdev, u32 uar,
					 u32 reg, u64 val)
{
	cdev->bdev->ops->write64(cdev->bdev, VHCA_REG_UAR(uar) + reg, val);
}

/**
 * vhca_eq_eqn() - the device's number of an EQ
 * @eq: the EQ
 *
 * Return: the EQN to give CREATE_CQ.
 */
static inline u32 vhca_eq_eqn(const struct vhca_eq *eq)
{
	return eq->eqn;
}

#endif /* _LINUX_VHCA_DRIVER_H */
