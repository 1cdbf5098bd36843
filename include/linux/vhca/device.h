/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vhca hardware interface: the programmer's reference of the emulated HCA.
 *
 * This header is the only door between the driver (vhca_core, vhca_ib) and
 * the device model (vhca_sim). Everything the driver knows about the device
 * is written here: the bus device and its register access ops, the register
 * map, the command queue and mailbox formats, command opcodes, statuses and
 * syndromes, the capability layout and the event queue formats.
 *
 * All multi-byte fields of memory-resident formats (command entries,
 * mailboxes, EQEs) are big-endian, as on ConnectX. Registers are accessed as
 * native 32/64-bit values through the bus ops, like readl()/writel().
 */
#ifndef _LINUX_VHCA_DEVICE_H
#define _LINUX_VHCA_DEVICE_H

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/device.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/byteorder.h>

/* ------------------------------------------------------------------ */
/* Identity                                                            */
/* ------------------------------------------------------------------ */

#define VHCA_DEVICE_ID		0x1d1c0001	/* "vhca, InfiniBand HCA" */
#define VHCA_IFACE_REV		1		/* this header's revision */
#define VHCA_MAX_PORTS		2

/* ------------------------------------------------------------------ */
/* The bus device                                                      */
/* ------------------------------------------------------------------ */

struct vhca_bus_device;

/**
 * typedef vhca_irq_handler_t - interrupt handler of one vector
 * @vector: the vector that fired
 * @ctx: the context given to &vhca_bus_ops.request_irq
 *
 * Runs in hard interrupt context (the model raises vectors with irq_work).
 */
typedef void (*vhca_irq_handler_t)(unsigned int vector, void *ctx);

/**
 * struct vhca_bus_ops - what the bus offers a driver, like a PCI BAR and
 * MSI-X vectors
 * @read32: read a 32-bit register at a byte offset of the register BAR
 * @write32: write a 32-bit register; doorbells have side effects
 * @write64: write a 64-bit register (address registers), atomically
 * @request_irq: install @handler on @vector (0 .. num_vectors - 1);
 *	-EBUSY if taken, -EINVAL if out of range
 * @free_irq: remove the handler of @vector; waits for a running handler
 */
struct vhca_bus_ops {
	u32 (*read32)(struct vhca_bus_device *bdev, u32 offset);
	void (*write32)(struct vhca_bus_device *bdev, u32 offset, u32 val);
	void (*write64)(struct vhca_bus_device *bdev, u32 offset, u64 val);
	int (*request_irq)(struct vhca_bus_device *bdev, unsigned int vector,
			   vhca_irq_handler_t handler, void *ctx);
	void (*free_irq)(struct vhca_bus_device *bdev, unsigned int vector);
};

/**
 * struct vhca_bus_device - a device on the vhca bus
 * @dev: the device; DMA-capable with a 64-bit mask, use it for dma_*()
 * @id: the ID given to /sys/bus/vhca/new_device
 * @num_ports: port count, as given at creation
 * @num_vectors: interrupt vectors the device has
 * @ops: register and interrupt access
 */
struct vhca_bus_device {
	struct device dev;
	u32 id;
	u32 num_ports;
	u32 num_vectors;
	const struct vhca_bus_ops *ops;
};

static inline struct vhca_bus_device *to_vhca_bus_device(struct device *dev)
{
	return container_of(dev, struct vhca_bus_device, dev);
}

/**
 * struct vhca_driver - a driver for vhca bus devices
 * @probe: bind to a device; return 0 or a negative errno
 * @remove: unbind; undo everything probe did
 * @driver: the generic driver; set .name
 */
struct vhca_driver {
	int (*probe)(struct vhca_bus_device *bdev);
	void (*remove)(struct vhca_bus_device *bdev);
	struct device_driver driver;
};

int __vhca_driver_register(struct vhca_driver *drv, struct module *owner);
void vhca_driver_unregister(struct vhca_driver *drv);
#define vhca_driver_register(drv) __vhca_driver_register(drv, THIS_MODULE)

/* ------------------------------------------------------------------ */
/* Register map (byte offsets into the register BAR)                   */
/* ------------------------------------------------------------------ */

#define VHCA_REG_DEVICE_ID	0x0000	/* RO: VHCA_DEVICE_ID */
#define VHCA_REG_IFACE_REV	0x0004	/* RO: VHCA_IFACE_REV */
#define VHCA_REG_FW_REV		0x0008	/* RO: major [31:16], minor [15:0] */
#define VHCA_REG_FW_SUBMINOR	0x000c	/* RO: subminor */
/*
 * Command queue base: the DMA address of one page holding
 * 1 << VHCA_CMDQ_LOG_SIZE entries of VHCA_CMDQ_STRIDE bytes. Writing a
 * non-zero address (64-bit write at ADDR_H) enables the command interface;
 * writing 0 disables it: the device aborts what is in flight (completing it
 * with VHCA_CMD_DELIVERY_ABORTED) and touches the page no more once the
 * write returns.
 */
#define VHCA_REG_CMDQ_ADDR_H	0x0010
#define VHCA_REG_CMDQ_ADDR_L	0x0014
#define VHCA_REG_CMDQ_INFO	0x0018	/* RO: log_size [7:4], log_stride [3:0] */
#define VHCA_REG_CMD_DBELL	0x001c	/* WO: bit i rings entry i */
/* bit 31 set while the device is initializing after power-on/reset */
#define VHCA_REG_INIT_STATUS	0x0020
#define  VHCA_INIT_STATUS_BUSY	BIT(31)
#define VHCA_REG_HEALTH_SYNDROME 0x0024	/* RO: 0 healthy, else VHCA_HEALTH_* */
#define VHCA_REG_HEALTH_COUNTER	0x0028	/* RO: ticks while firmware is alive */
/*
 * EQ doorbells: eqn [31:24], consumer index [23:0]. ARM also requests one
 * interrupt for the next EQE (or at once if EQEs past the index are
 * pending); NOARM only returns consumed entries.
 */
#define VHCA_REG_EQ_DB_ARM	0x0040
#define VHCA_REG_EQ_DB_NOARM	0x0048
#define  VHCA_EQ_DB_EQN		GENMASK(31, 24)
#define  VHCA_EQ_DB_CI		GENMASK(23, 0)
#define VHCA_REG_BAR_SIZE	0x1000

/**
 * vhca_eq_db_val - the value of an EQ doorbell write
 * @eqn: EQ number; only its low 8 bits fit
 * @ci: consumer index; only its low 24 bits are sent, the device's
 *	indices wrap at 1 << 24
 *
 * Return: the value for VHCA_REG_EQ_DB_ARM or VHCA_REG_EQ_DB_NOARM.
 */
static inline u32 vhca_eq_db_val(u32 eqn, u32 ci)
{
	return FIELD_PREP(VHCA_EQ_DB_EQN, eqn & FIELD_MAX(VHCA_EQ_DB_EQN)) |
	       FIELD_PREP(VHCA_EQ_DB_CI, ci & FIELD_MAX(VHCA_EQ_DB_CI));
}

/* the fields of an EQ doorbell value, as the device reads them */
static inline u32 vhca_eq_db_eqn(u32 val)
{
	return FIELD_GET(VHCA_EQ_DB_EQN, val);
}

static inline u32 vhca_eq_db_ci(u32 val)
{
	return FIELD_GET(VHCA_EQ_DB_CI, val);
}

#define VHCA_HEALTH_FW_ASSERT	0x1	/* firmware assertion */
#define VHCA_HEALTH_FW_HANG	0x2	/* firmware stopped responding */

/* ------------------------------------------------------------------ */
/* Command queue                                                       */
/* ------------------------------------------------------------------ */

#define VHCA_CMDQ_LOG_SIZE	3	/* 8 entries */
#define VHCA_CMDQ_LOG_STRIDE	6	/* 64 bytes each */
#define VHCA_CMDQ_STRIDE	BIT(VHCA_CMDQ_LOG_STRIDE)
#define VHCA_CMD_MBOX_MAX	4096	/* max in/out mailbox length */

/**
 * struct vhca_cmd_entry - one command queue entry
 * @type: VHCA_CMD_TYPE_PCIE
 * @flags: VHCA_CMD_FLAG_*
 * @token: echoed in the completion EQE, to match it
 * @in_len: input mailbox length (bytes, 16..VHCA_CMD_MBOX_MAX)
 * @out_len: output mailbox length (bytes, 16..VHCA_CMD_MBOX_MAX)
 * @in_addr: DMA address of the input mailbox (contiguous)
 * @out_addr: DMA address of the output mailbox (contiguous)
 * @delivery_status: VHCA_CMD_DELIVERY_*: whether the entry itself was
 *	readable; the command's own status is in the output mailbox
 * @status_own: bit 0 is the owner: 1 device, 0 driver. The driver sets it
 *	before ringing; the device clears it when the output is written.
 */
struct vhca_cmd_entry {
	u8 type;
	u8 flags;
	u8 token;
	u8 rsvd0;
	__be32 in_len;
	__be32 out_len;
	__be32 rsvd1;
	__be64 in_addr;
	__be64 out_addr;
	u8 rsvd2[27];
	u8 delivery_status;
	u8 rsvd3[3];
	u8 status_own;
};

static_assert(sizeof(struct vhca_cmd_entry) == VHCA_CMDQ_STRIDE);

#define VHCA_CMD_TYPE_PCIE	0x7
#define VHCA_CMD_FLAG_EVENT	BIT(0)	/* complete with a CMD EQE too */
#define VHCA_CMD_OWNER_HW	0x1

#define VHCA_CMD_DELIVERY_OK		0x0
#define VHCA_CMD_DELIVERY_BAD_ENTRY	0x1	/* type/lengths invalid */
#define VHCA_CMD_DELIVERY_BAD_DMA	0x2	/* mailbox unreachable */
#define VHCA_CMD_DELIVERY_ABORTED	0x3	/* cmd interface disabled */

/**
 * vhca_cmd_entry_init - fill a command entry, all but its owner byte
 * @ent: the entry
 * @token: echoed in the completion
 * @flags: VHCA_CMD_FLAG_*
 * @in_len: input mailbox length
 * @out_len: output mailbox length
 * @in_addr: DMA address of the input mailbox
 * @out_addr: DMA address of the output mailbox
 *
 * The driver then makes the entry visible (dma_wmb()) before it sets
 * &vhca_cmd_entry.status_own to VHCA_CMD_OWNER_HW.
 */
static inline void vhca_cmd_entry_init(struct vhca_cmd_entry *ent, u8 token,
				       u8 flags, u32 in_len, u32 out_len,
				       u64 in_addr, u64 out_addr)
{
	memset(ent, 0, sizeof(*ent));
	ent->type = VHCA_CMD_TYPE_PCIE;
	ent->flags = flags;
	ent->token = token;
	ent->in_len = cpu_to_be32(in_len);
	ent->out_len = cpu_to_be32(out_len);
	ent->in_addr = cpu_to_be64(in_addr);
	ent->out_addr = cpu_to_be64(out_addr);
}

/**
 * struct vhca_cmd_in_hdr - first 16 bytes of every input mailbox
 * @opcode: VHCA_CMD_OP_*
 * @uid: reserved for user contexts, 0
 * @op_mod: opcode modifier
 */
struct vhca_cmd_in_hdr {
	__be16 opcode;
	__be16 uid;
	__be16 rsvd0;
	__be16 op_mod;
	u8 rsvd1[8];
};

static_assert(sizeof(struct vhca_cmd_in_hdr) == 16);

/**
 * struct vhca_cmd_out_hdr - first 16 bytes of every output mailbox
 * @status: VHCA_CMD_STAT_*
 * @syndrome: device-specific detail of a failure (VHCA_SYND_*), 0 on success
 */
struct vhca_cmd_out_hdr {
	u8 status;
	u8 rsvd0[3];
	__be32 syndrome;
	u8 rsvd1[8];
};

static_assert(sizeof(struct vhca_cmd_out_hdr) == 16);

/* Mailbox header accessors, shared by the driver and the device model. */
static inline void vhca_cmd_in_hdr_set(struct vhca_cmd_in_hdr *hdr,
				       u16 opcode, u16 op_mod)
{
	hdr->opcode = cpu_to_be16(opcode);
	hdr->op_mod = cpu_to_be16(op_mod);
}

static inline u16 vhca_cmd_in_opcode(const struct vhca_cmd_in_hdr *hdr)
{
	return be16_to_cpu(hdr->opcode);
}

static inline u16 vhca_cmd_in_op_mod(const struct vhca_cmd_in_hdr *hdr)
{
	return be16_to_cpu(hdr->op_mod);
}

static inline void vhca_cmd_out_hdr_set(struct vhca_cmd_out_hdr *hdr,
					u8 status, u32 syndrome)
{
	hdr->status = status;
	hdr->syndrome = cpu_to_be32(syndrome);
}

static inline u32 vhca_cmd_out_syndrome(const struct vhca_cmd_out_hdr *hdr)
{
	return be32_to_cpu(hdr->syndrome);
}

/* Opcodes */
#define VHCA_CMD_OP_QUERY_HCA_CAP	0x100
#define VHCA_CMD_OP_QUERY_ADAPTER	0x101
#define VHCA_CMD_OP_INIT_HCA		0x102
#define VHCA_CMD_OP_TEARDOWN_HCA	0x103
#define VHCA_CMD_OP_ENABLE_HCA		0x104
#define VHCA_CMD_OP_DISABLE_HCA		0x105
#define VHCA_CMD_OP_QUERY_PORT		0x110
#define VHCA_CMD_OP_QUERY_PKEYS		0x111
#define VHCA_CMD_OP_QUERY_PORT_COUNTERS	0x112
#define VHCA_CMD_OP_CREATE_EQ		0x301
#define VHCA_CMD_OP_DESTROY_EQ		0x302
#define VHCA_CMD_OP_QUERY_EQ		0x303
#define VHCA_CMD_OP_NOP			0x80d

/*
 * Device states and the commands that move between them:
 *
 *   disabled --ENABLE_HCA--> enabled --INIT_HCA--> initialized
 *   disabled <-DISABLE_HCA-- enabled <-TEARDOWN_HCA- initialized
 *
 * NOP runs in any state; QUERY_HCA_CAP and QUERY_ADAPTER need enabled or
 * initialized; the EQ and port commands (QUERY_PORT, QUERY_PKEYS,
 * QUERY_PORT_COUNTERS) need
 * initialized, as mlx5's port queries need INIT_HCA. A command in the wrong
 * state fails with VHCA_CMD_STAT_BAD_SYS_STATE and VHCA_SYND_NOT_ENABLED,
 * VHCA_SYND_NOT_INITIALIZED or VHCA_SYND_ALREADY. DISABLE_HCA while
 * initialized fails with BAD_SYS_STATE/VHCA_SYND_RESOURCES_LEFT; a
 * graceful TEARDOWN_HCA while EQs exist fails with
 * VHCA_CMD_STAT_RESOURCE_BUSY/VHCA_SYND_RESOURCES_LEFT, a forced one
 * destroys them. A failed command changes nothing.
 *
 * Writing 0 to VHCA_REG_CMDQ_ADDR_H may sleep (it waits for the command
 * engine to let go of the queue); the enabling write and every doorbell
 * do not. A non-page-aligned address, or a new address while enabled, is
 * ignored: the address registers read back what the device took.
 */

/* Command statuses (output header) */
#define VHCA_CMD_STAT_OK		0x00
#define VHCA_CMD_STAT_INT_ERR		0x01	/* internal error */
#define VHCA_CMD_STAT_BAD_OP		0x02	/* unknown opcode */
#define VHCA_CMD_STAT_BAD_PARAM		0x03	/* bad field value */
#define VHCA_CMD_STAT_BAD_SYS_STATE	0x04	/* wrong device state */
#define VHCA_CMD_STAT_BAD_RESOURCE	0x05	/* no such object */
#define VHCA_CMD_STAT_RESOURCE_BUSY	0x06	/* object in use */
#define VHCA_CMD_STAT_EXCEED_LIM	0x08	/* over a capability limit */
#define VHCA_CMD_STAT_BAD_INP_LEN	0x50	/* input mailbox too short */
#define VHCA_CMD_STAT_BAD_OUTP_LEN	0x51	/* output mailbox too short */

/*
 * Syndromes: which check failed. Stable numbers, so logs and tests can
 * name them.
 */
#define VHCA_SYND_NONE			0x00000000
#define VHCA_SYND_BAD_OPCODE		0x0b1d0001
#define VHCA_SYND_BAD_INP_LEN		0x0b1d0002
#define VHCA_SYND_BAD_OUTP_LEN		0x0b1d0003
#define VHCA_SYND_NOT_ENABLED		0x0b1d0004	/* ENABLE_HCA first */
#define VHCA_SYND_NOT_INITIALIZED	0x0b1d0005	/* INIT_HCA first */
#define VHCA_SYND_ALREADY		0x0b1d0006	/* state already reached */
#define VHCA_SYND_RESOURCES_LEFT	0x0b1d0007	/* objects still exist */
#define VHCA_SYND_BAD_OP_MOD		0x0b1d0008
#define VHCA_SYND_EQ_BAD_SIZE		0x0b1d0101
#define VHCA_SYND_EQ_BAD_VECTOR		0x0b1d0102
#define VHCA_SYND_EQ_BAD_ADDR		0x0b1d0103
#define VHCA_SYND_EQ_NO_EQN		0x0b1d0104	/* all EQNs in use */
#define VHCA_SYND_EQ_BAD_EQN		0x0b1d0105
#define VHCA_SYND_EQ_BAD_EVENTS		0x0b1d0106
#define VHCA_SYND_INJECTED		0x0b1dfa11	/* debugfs fault injection */

/* ------------------------------------------------------------------ */
/* Commands                                                            */
/* ------------------------------------------------------------------ */

/* NOP, ENABLE_HCA, DISABLE_HCA, INIT_HCA: a bare header in and out. */
struct vhca_cmd_simple_in {
	struct vhca_cmd_in_hdr hdr;
};

struct vhca_cmd_simple_out {
	struct vhca_cmd_out_hdr hdr;
};

#define VHCA_TEARDOWN_HCA_GRACEFUL	0x0	/* op_mod */
#define VHCA_TEARDOWN_HCA_FORCE		0x1	/* destroy leftovers too */

/**
 * struct vhca_hca_cap - device capabilities (QUERY_HCA_CAP output)
 * @num_ports: physical ports
 * @log_max_eq: log2 of the number of EQs (EQNs 0 .. (1 << log_max_eq) - 1)
 * @log_min_eq_sz: log2 of the smallest EQ, in EQEs
 * @log_max_eq_sz: log2 of the largest EQ, in EQEs
 * @num_vectors: interrupt vectors
 * @log_max_cq: log2 of the number of CQs (for later stages)
 * @log_max_qp: log2 of the number of QPs
 * @log_max_mkey: log2 of the number of memory keys
 * @max_pkeys: P_Key table size per port
 * @port_type: per port, VHCA_PORT_TYPE_*
 * @flags: VHCA_CAP_FLAG_*
 * @node_guid: the node GUID (big-endian)
 * @sys_image_guid: system image GUID
 */
struct vhca_hca_cap {
	u8 num_ports;
	u8 log_max_eq;
	u8 log_min_eq_sz;
	u8 log_max_eq_sz;
	u8 num_vectors;
	u8 log_max_cq;
	u8 log_max_qp;
	u8 log_max_mkey;
	__be16 max_pkeys;
	u8 port_type[VHCA_MAX_PORTS];
	__be32 flags;
	__be64 node_guid;
	__be64 sys_image_guid;
	/* data path (see "Data path" below) */
	u8 log_max_pd;
	u8 log_max_srq;
	u8 log_max_uar;
	u8 log_max_qp_sz;
	u8 log_max_cq_sz;
	u8 log_max_srq_sz;
	u8 max_sq_sge;
	u8 max_rq_sge;
	__be16 max_inline;
	u8 log_max_mcg;
	u8 max_qp_per_mcg;
	__be32 reserved_lkey;
	u8 log_max_msg;
	u8 max_rd_atomic;
	u8 local_ca_ack_delay;
	u8 log_max_mtt;
	/* UD offloads (VHCA_CAP_FLAG_UD_*) */
	__be16 max_lso_hdr;
	u8 log_max_rss_tbl;
	u8 rsvd[73];
};

static_assert(sizeof(struct vhca_hca_cap) == 128);

/* cap.flags */
#define VHCA_CAP_FLAG_RC		BIT(0)	/* RC transport */
#define VHCA_CAP_FLAG_UC		BIT(1)	/* UC transport */
#define VHCA_CAP_FLAG_UD		BIT(2)	/* UD transport, GSI, SMI */
#define VHCA_CAP_FLAG_SRQ		BIT(3)	/* shared receive queues */
#define VHCA_CAP_FLAG_RDMA_READ		BIT(4)	/* RC RDMA READ */
#define VHCA_CAP_FLAG_MCAST		BIT(5)	/* UD multicast attach */
#define VHCA_CAP_FLAG_UD_CSUM		BIT(6)	/* UD IP checksum TX/RX */
#define VHCA_CAP_FLAG_UD_LSO		BIT(7)	/* UD TCP segmentation */
#define VHCA_CAP_FLAG_RSS		BIT(8)	/* SET_RSS, RQ-only QPs */
#define VHCA_CAP_FLAG_TX_MUX		BIT(9)	/* TX mux QPs */
#define VHCA_CAP_FLAG_MTT_DMA		BIT(10)	/* vhca_mkey_ctx.mtt_addr */

#define VHCA_PORT_TYPE_IB	0x1
#define VHCA_PORT_TYPE_ETH	0x2

struct vhca_cmd_query_hca_cap_out {
	struct vhca_cmd_out_hdr hdr;
	struct vhca_hca_cap cap;
};

static_assert(sizeof(struct vhca_cmd_query_hca_cap_out) == 144);

/**
 * struct vhca_adapter_info - board identity (QUERY_ADAPTER output)
 * @vendor_id: 0x1d1c
 * @board_rev: board revision
 * @psid: parameter set id, NUL-padded ASCII
 * @serial: serial number, NUL-padded ASCII
 */
struct vhca_adapter_info {
	__be16 vendor_id;
	__be16 board_rev;
	u8 rsvd0[12];
	char psid[16];
	char serial[32];
	u8 rsvd1[64];
};

static_assert(sizeof(struct vhca_adapter_info) == 128);

struct vhca_cmd_query_adapter_out {
	struct vhca_cmd_out_hdr hdr;
	struct vhca_adapter_info info;
};

/* ------------------------------------------------------------------ */
/* Event queues                                                        */
/* ------------------------------------------------------------------ */

/* EQE types; a CREATE_EQ subscribes with BIT_ULL(type) in event_bitmask */
#define VHCA_EVENT_COMP			0x00	/* CQ completion */
#define VHCA_EVENT_PORT_CHANGE		0x09
#define VHCA_EVENT_CMD			0x0a	/* command completion */
#define VHCA_EVENT_INTERNAL_ERROR	0x08	/* device health failed */
#define VHCA_EVENT_QP			0x03	/* QP event, struct vhca_eqe_obj */
#define VHCA_EVENT_CQ_ERROR		0x04	/* CQ overrun, struct vhca_eqe_obj */
#define VHCA_EVENT_SRQ_LIMIT		0x14	/* SRQ below limit, vhca_eqe_obj */
#define VHCA_EVENT_SUPPORTED_MASK	(BIT_ULL(VHCA_EVENT_COMP) | \
					 BIT_ULL(VHCA_EVENT_PORT_CHANGE) | \
					 BIT_ULL(VHCA_EVENT_CMD) | \
					 BIT_ULL(VHCA_EVENT_INTERNAL_ERROR) | \
					 BIT_ULL(VHCA_EVENT_QP) | \
					 BIT_ULL(VHCA_EVENT_CQ_ERROR) | \
					 BIT_ULL(VHCA_EVENT_SRQ_LIMIT))

/**
 * struct vhca_eqe - event queue entry
 * @type: VHCA_EVENT_*
 * @sub_type: type specific
 * @data: type specific payload (see the vhca_eqe_* views)
 * @owner: bit 0; the device writes ((producer index >> log_size) & 1) and
 *	the driver sets every owner to 1 before CREATE_EQ, so an entry is new
 *	when its owner bit equals ((consumer index >> log_size) & 1)
 */
struct vhca_eqe {
	u8 type;
	u8 sub_type;
	u8 rsvd0[2];
	u8 data[56];
	u8 rsvd1[3];
	u8 owner;
};

static_assert(sizeof(struct vhca_eqe) == 64);

/**
 * vhca_eqe_owner - the owner bit of the EQE at a ring index
 * @index: free-running producer or consumer index
 * @log_size: log2 of the EQ's EQE count
 *
 * The device writes vhca_eqe_owner(producer index) into each EQE; the
 * driver takes the EQE at its consumer index as new while the EQE's owner
 * bit equals vhca_eqe_owner(consumer index). The phase flips on every
 * wrap of the ring, and agrees between the device's 24-bit and the
 * driver's 32-bit indices as long as @log_size < 24.
 *
 * Return: 0 or 1.
 */
static inline u8 vhca_eqe_owner(u32 index, unsigned int log_size)
{
	return (index >> log_size) & 1;
}

/* data of a VHCA_EVENT_CMD EQE */
struct vhca_eqe_cmd {
	__be32 vector;		/* bit i: entry i completed */
	u8 rsvd[52];
};

static_assert(sizeof(struct vhca_eqe_cmd) == 56);

/* data of a VHCA_EVENT_COMP EQE */
struct vhca_eqe_comp {
	__be32 cqn;
	u8 rsvd[52];
};

static_assert(sizeof(struct vhca_eqe_comp) == 56);

/*
 * data of VHCA_EVENT_QP (sub_type VHCA_QP_EVENT_*), VHCA_EVENT_CQ_ERROR and
 * VHCA_EVENT_SRQ_LIMIT EQEs: the object's number
 */
struct vhca_eqe_obj {
	__be32 num;
	u8 rsvd[52];
};

static_assert(sizeof(struct vhca_eqe_obj) == 56);

#define VHCA_QP_EVENT_COMM_EST		0x1	/* first receive in RTR */
#define VHCA_QP_EVENT_LAST_WQE		0x2	/* SRQ QP in ERR, flushed */
#define VHCA_QP_EVENT_SQ_DRAINED	0x3	/* SQD reached, SQ idle */
#define VHCA_QP_EVENT_FATAL		0x4	/* catastrophic QP error */

/* data of a VHCA_EVENT_PORT_CHANGE EQE; sub_type is VHCA_PORT_CHANGE_* */
struct vhca_eqe_port {
	u8 port;		/* 1-based */
	u8 rsvd[55];
};

static_assert(sizeof(struct vhca_eqe_port) == 56);

/*
 * Port change sub_types. The EQE says only what changed; the driver reads
 * the new values with QUERY_PORT / QUERY_PKEYS.
 */
#define VHCA_PORT_CHANGE_DOWN		0x1	/* left ACTIVE (link or SM) */
#define VHCA_PORT_CHANGE_ACTIVE		0x4	/* became ACTIVE */
#define VHCA_PORT_CHANGE_LID		0x5	/* LID or LMC changed */
#define VHCA_PORT_CHANGE_PKEY		0x6	/* P_Key table changed */
#define VHCA_PORT_CHANGE_GUID		0x7	/* GID table changed */
#define VHCA_PORT_CHANGE_SM		0x8	/* SM LID or SM SL changed */
#define VHCA_PORT_CHANGE_CLIENT_REREG	0x9	/* SM asks to re-register */

/**
 * struct vhca_eq_ctx - EQ context (CREATE_EQ input, QUERY_EQ output)
 * @log_size: log2 of the EQE count, cap.log_min_eq_sz..cap.log_max_eq_sz
 * @vector: interrupt vector the EQ raises, < cap.num_vectors
 * @state: VHCA_EQ_STATE_* (QUERY_EQ output only)
 * @event_bitmask: BIT_ULL(VHCA_EVENT_*) this EQ receives; each event type
 *	goes to at most one EQ (COMP events go to the CQ's EQ instead)
 * @ring_addr: DMA address of the EQE ring, contiguous, page aligned,
 *	(64 << log_size) bytes
 * @cons_index: consumer index (QUERY_EQ output only)
 * @prod_index: producer index (QUERY_EQ output only)
 */
struct vhca_eq_ctx {
	u8 log_size;
	u8 vector;
	u8 state;
	u8 rsvd0;
	__be32 rsvd1;
	__be64 event_bitmask;
	__be64 ring_addr;
	__be32 cons_index;
	__be32 prod_index;
	u8 rsvd2[32];
};

static_assert(sizeof(struct vhca_eq_ctx) == 64);

#define VHCA_EQ_STATE_ARMED	0x9
#define VHCA_EQ_STATE_FIRED	0xa

struct vhca_cmd_create_eq_in {
	struct vhca_cmd_in_hdr hdr;
	struct vhca_eq_ctx ctx;
};

struct vhca_cmd_create_eq_out {
	struct vhca_cmd_out_hdr hdr;
	__be32 eqn;
	u8 rsvd[12];
};

/* DESTROY_EQ and QUERY_EQ input */
struct vhca_cmd_eqn_in {
	struct vhca_cmd_in_hdr hdr;
	__be32 eqn;
	u8 rsvd[12];
};

struct vhca_cmd_query_eq_out {
	struct vhca_cmd_out_hdr hdr;
	struct vhca_eq_ctx ctx;
};

/* ------------------------------------------------------------------ */
/* Ports                                                               */
/* ------------------------------------------------------------------ */

/*
 * Every port is cabled to the fabric's switch. The fabric's subnet manager
 * (built in) assigns LIDs and moves a port whose link is up through
 * INIT -> ARMED -> ACTIVE; values below use the InfiniBand encodings of
 * PortInfo (IBTA vol 1, 14.2.5.6), so the driver can hand them to ib_core
 * unchanged. Port numbers are 1-based.
 */

/* PortInfo PortState */
#define VHCA_PORT_STATE_DOWN		1
#define VHCA_PORT_STATE_INIT		2
#define VHCA_PORT_STATE_ARMED		3
#define VHCA_PORT_STATE_ACTIVE		4

/* name of a VHCA_PORT_STATE_*, for logs and state dumps */
static inline const char *vhca_port_state_name(u8 state)
{
	switch (state) {
	case VHCA_PORT_STATE_DOWN:
		return "DOWN";
	case VHCA_PORT_STATE_INIT:
		return "INIT";
	case VHCA_PORT_STATE_ARMED:
		return "ARMED";
	case VHCA_PORT_STATE_ACTIVE:
		return "ACTIVE";
	}
	return "UNKNOWN";
}

/* PortInfo PortPhysicalState */
#define VHCA_PORT_PHYS_SLEEP		1
#define VHCA_PORT_PHYS_POLLING		2
#define VHCA_PORT_PHYS_DISABLED		3
#define VHCA_PORT_PHYS_LINK_UP		5

/* MTU encoding: 1 256, 2 512, 3 1024, 4 2048, 5 4096 */
#define VHCA_MTU_256			1
#define VHCA_MTU_4096			5

/**
 * struct vhca_port_info - QUERY_PORT output (the port's PortInfo view)
 * @port: port number, echoed
 * @state: VHCA_PORT_STATE_*
 * @phys_state: VHCA_PORT_PHYS_*
 * @lmc: LID mask control
 * @lid: base LID; 0 until the SM assigns one
 * @sm_lid: LID of the subnet manager
 * @sm_sl: SL to reach the subnet manager
 * @max_mtu: largest MTU the port supports (VHCA_MTU_*)
 * @active_mtu: MTU in use (VHCA_MTU_*)
 * @link_width_active: PortInfo LinkWidthActive (1 1x, 2 4x, 4 8x, 8 12x)
 * @link_speed_active: PortInfo speed: 1 SDR, 2 DDR, 4 QDR, 8 FDR10,
 *	16 FDR, 32 EDR, 64 HDR
 * @subnet_timeout: PortInfo SubnetTimeOut
 * @init_type_reply: PortInfo InitTypeReply
 * @pkey_tbl_len: P_Key table entries (see QUERY_PKEYS)
 * @gid_tbl_len: GID table entries; entry 0 is subnet_prefix:port_guid
 * @capability_mask: PortInfo CapabilityMask (IB_PORT_* bits)
 * @qkey_viol_cntr: Q_Key violations seen
 * @pkey_viol_cntr: P_Key violations seen
 * @subnet_prefix: GID prefix the SM assigned (default fe80::)
 * @port_guid: the port GUID
 */
struct vhca_port_info {
	u8 port;
	u8 state;
	u8 phys_state;
	u8 lmc;
	__be16 lid;
	__be16 sm_lid;
	u8 sm_sl;
	u8 max_mtu;
	u8 active_mtu;
	u8 link_width_active;
	u8 link_speed_active;
	u8 subnet_timeout;
	u8 init_type_reply;
	u8 rsvd0;
	__be16 pkey_tbl_len;
	__be16 gid_tbl_len;
	__be32 capability_mask;
	__be16 qkey_viol_cntr;
	__be16 pkey_viol_cntr;
	__be64 subnet_prefix;
	__be64 port_guid;
	u8 rsvd1[16];
};

static_assert(sizeof(struct vhca_port_info) == 64);

/* QUERY_PORT and QUERY_PKEYS input: a port number */
struct vhca_cmd_port_in {
	struct vhca_cmd_in_hdr hdr;
	u8 port;
	u8 rsvd[15];
};

static_assert(sizeof(struct vhca_cmd_port_in) == 32);

struct vhca_cmd_query_port_out {
	struct vhca_cmd_out_hdr hdr;
	struct vhca_port_info info;
};

#define VHCA_MAX_PKEYS			128

/**
 * struct vhca_cmd_query_pkeys_out - the port's P_Key table
 * @hdr: status
 * @pkeys: entries 0 .. pkey_tbl_len - 1; bit 15 is the membership bit,
 *	0 marks an empty entry. Entry 0 is the default partition 0xffff.
 */
struct vhca_cmd_query_pkeys_out {
	struct vhca_cmd_out_hdr hdr;
	__be16 pkeys[VHCA_MAX_PKEYS];
};

static_assert(sizeof(struct vhca_cmd_query_pkeys_out) == 272);

/*
 * Why a port dropped a packet: the index into
 * &vhca_cmd_query_port_counters_out.drops. A drop is counted on the port
 * that saw it: the sending port when the switch refuses a packet on
 * ingress, the destination port when the switch cannot deliver it there
 * or the port's receive engine refuses it.
 */
enum vhca_port_drop {
	VHCA_PORT_DROP_LINK_DOWN,	/* sender or receiver port not up */
	VHCA_PORT_DROP_LOSS,		/* the fabric lost it (fabric/loss_ppm) */
	VHCA_PORT_DROP_NO_ROUTE,	/* DLID nobody has */
	VHCA_PORT_DROP_BAD_CRC,		/* ICRC or VCRC mismatch */
	VHCA_PORT_DROP_BAD_HDR,		/* malformed headers or lengths */
	VHCA_PORT_DROP_PKEY,		/* P_Key not in the table / QP's */
	VHCA_PORT_DROP_QKEY,		/* UD Q_Key mismatch */
	VHCA_PORT_DROP_NO_QP,		/* no such destination QP */
	VHCA_PORT_DROP_QP_STATE,	/* QP cannot receive in its state */
	VHCA_PORT_DROP_NO_WQE,		/* UD: no receive WQE posted */
	VHCA_PORT_DROP_PSN,		/* RC/UC: out of sequence */
	VHCA_PORT_DROP_OVERFLOW,	/* the port's receive queue was full */
	VHCA_PORT_DROP_MCAST,		/* multicast nobody attached to */
	VHCA_PORT_NUM_DROPS
};

#define VHCA_PORT_MAX_DROPS		16

/**
 * struct vhca_cmd_query_port_counters_out - what a port counted
 * @hdr: status
 * @tx_packets: packets the port sent
 * @tx_bytes: their bytes, LRH to VCRC
 * @rx_packets: packets delivered to the port
 * @rx_bytes: their bytes
 * @drops: packets dropped, by enum vhca_port_drop; entries from
 *	VHCA_PORT_NUM_DROPS on are zero
 *
 * QUERY_PORT_COUNTERS (input: struct vhca_cmd_port_in). The counters run
 * from the device's creation and never reset; they are the ones the PMA
 * sums into PortCounters.
 */
struct vhca_cmd_query_port_counters_out {
	struct vhca_cmd_out_hdr hdr;
	__be64 tx_packets;
	__be64 tx_bytes;
	__be64 rx_packets;
	__be64 rx_bytes;
	__be64 drops[VHCA_PORT_MAX_DROPS];
};

static_assert(sizeof(struct vhca_cmd_query_port_counters_out) == 176);
static_assert(VHCA_PORT_NUM_DROPS <= VHCA_PORT_MAX_DROPS);

#define VHCA_SYND_PORT_BAD_NUM		0x0b1d0201	/* no such port */

/* ------------------------------------------------------------------ */
/* Data path: UARs and doorbells                                       */
/* ------------------------------------------------------------------ */

/*
 * A UAR (user access region) is a doorbell page of the register BAR,
 * handed out by ALLOC_UAR. Every CQ, QP and SRQ names the UAR its
 * doorbells are rung through; a doorbell rung through another UAR is
 * ignored and counted. Doorbells are 64-bit register writes.
 */
#define VHCA_REG_UAR_BASE	0x1000
#define VHCA_UAR_STRIDE		0x100
#define VHCA_REG_UAR(uar)	(VHCA_REG_UAR_BASE + (uar) * VHCA_UAR_STRIDE)
#define VHCA_REG_BAR_FULL_SIZE	(VHCA_REG_UAR_BASE + \
				 (1 << VHCA_MAX_LOG_UAR) * VHCA_UAR_STRIDE)
#define VHCA_MAX_LOG_UAR	6	/* 64 UARs */

/* SQ doorbell: the SQ's producer counter (WQEBBs posted, 16-bit) */
#define VHCA_UAR_SQ_DB		0x00
#define  VHCA_SQ_DB_QPN		GENMASK_ULL(55, 32)
#define  VHCA_SQ_DB_PI		GENMASK_ULL(15, 0)
/* CQ doorbell: arm the CQ for one completion event */
#define VHCA_UAR_CQ_DB		0x08
#define  VHCA_CQ_DB_CQN		GENMASK_ULL(55, 32)
#define  VHCA_CQ_DB_CMD		GENMASK_ULL(31, 28)
#define  VHCA_CQ_DB_CI		GENMASK_ULL(23, 0)
#define VHCA_CQ_DB_CMD_NEXT	0x0	/* event on the next CQE */
#define VHCA_CQ_DB_CMD_SOL	0x1	/* event on a solicited or error CQE */

static inline u64 vhca_sq_db_val(u32 qpn, u16 pi)
{
	return FIELD_PREP(VHCA_SQ_DB_QPN, qpn) | FIELD_PREP(VHCA_SQ_DB_PI, pi);
}

static inline u64 vhca_cq_db_val(u32 cqn, u32 cmd, u32 ci)
{
	return FIELD_PREP(VHCA_CQ_DB_CQN, cqn) |
	       FIELD_PREP(VHCA_CQ_DB_CMD, cmd) |
	       FIELD_PREP(VHCA_CQ_DB_CI, ci & FIELD_MAX(VHCA_CQ_DB_CI));
}

/*
 * Doorbell records: small DMA-coherent words the driver updates and the
 * device reads (with READ_ONCE semantics) when it needs them.
 *
 * QP: dbr[0] receive producer counter (RQ WQEs posted, low 16 bits),
 *     dbr[1] send producer counter (WQEBBs posted, low 16 bits; the SQ
 *     doorbell carries the same value)
 * SRQ: dbr[0] producer counter (WQEs posted, low 16 bits)
 * CQ: dbr[0] consumer index (CQEs polled, low 24 bits); the device never
 *     writes a CQE into a slot the driver has not released
 */
#define VHCA_DBR_RECV		0
#define VHCA_DBR_SEND		1
#define VHCA_DBR_SIZE		8	/* bytes, 8-byte aligned */

/* ------------------------------------------------------------------ */
/* Data path: protection domains and memory keys                       */
/* ------------------------------------------------------------------ */

#define VHCA_CMD_OP_CREATE_MKEY		0x200
#define VHCA_CMD_OP_QUERY_MKEY		0x201
#define VHCA_CMD_OP_DESTROY_MKEY	0x202
#define VHCA_CMD_OP_CREATE_CQ		0x400
#define VHCA_CMD_OP_DESTROY_CQ		0x401
#define VHCA_CMD_OP_QUERY_CQ		0x402
#define VHCA_CMD_OP_CREATE_QP		0x500
#define VHCA_CMD_OP_DESTROY_QP		0x501
#define VHCA_CMD_OP_MODIFY_QP		0x502
#define VHCA_CMD_OP_QUERY_QP		0x503
#define VHCA_CMD_OP_SET_RSS		0x504
#define VHCA_CMD_OP_MAD_IFC		0x50d
#define VHCA_CMD_OP_CREATE_SRQ		0x700
#define VHCA_CMD_OP_DESTROY_SRQ		0x701
#define VHCA_CMD_OP_QUERY_SRQ		0x702
#define VHCA_CMD_OP_ARM_SRQ		0x703
#define VHCA_CMD_OP_ALLOC_PD		0x800
#define VHCA_CMD_OP_DEALLOC_PD		0x801
#define VHCA_CMD_OP_ALLOC_UAR		0x802
#define VHCA_CMD_OP_DEALLOC_UAR		0x803
#define VHCA_CMD_OP_ATTACH_MCG		0x806
#define VHCA_CMD_OP_DETACH_MCG		0x807

/* Data-path syndromes */
#define VHCA_SYND_BAD_PDN		0x0b1d0301
#define VHCA_SYND_BAD_UAR		0x0b1d0302
#define VHCA_SYND_BAD_MKEY		0x0b1d0303
#define VHCA_SYND_MKEY_BAD_MODE		0x0b1d0304
#define VHCA_SYND_MKEY_BAD_MTT		0x0b1d0305	/* count, alignment */
#define VHCA_SYND_BAD_CQN		0x0b1d0306
#define VHCA_SYND_BAD_SRQN		0x0b1d0307
#define VHCA_SYND_BAD_QPN		0x0b1d0308
#define VHCA_SYND_BAD_SIZE		0x0b1d0309	/* a log size */
#define VHCA_SYND_BAD_ADDR		0x0b1d030a	/* ring or dbr */
#define VHCA_SYND_NO_RESOURCE		0x0b1d030b	/* table full */
#define VHCA_SYND_IN_USE		0x0b1d030c	/* referenced */
#define VHCA_SYND_QP_BAD_TYPE		0x0b1d030d
#define VHCA_SYND_QP_BAD_TRANSITION	0x0b1d030e
#define VHCA_SYND_QP_BAD_ATTR		0x0b1d030f	/* mask or value */
#define VHCA_SYND_QP_BAD_PORT		0x0b1d0310
#define VHCA_SYND_QP_BAD_PKEY_INDEX	0x0b1d0311
#define VHCA_SYND_MCG_BAD_GID		0x0b1d0312
#define VHCA_SYND_MCG_FULL		0x0b1d0313
#define VHCA_SYND_MCG_NOT_ATTACHED	0x0b1d0314
#define VHCA_SYND_MAD_BAD		0x0b1d0315
#define VHCA_SYND_RSS_BAD		0x0b1d0316	/* table, key or fields */

/*
 * ALLOC_PD op_mod: a user PD refuses the reserved lkey, so a process can
 * reach only memory it registered.
 */
#define VHCA_ALLOC_PD_KERNEL		0x0
#define VHCA_ALLOC_PD_USER		0x1

/* ALLOC_PD, ALLOC_UAR output; DEALLOC_PD, DEALLOC_UAR, DESTROY_MKEY,
 * DESTROY_CQ, QUERY_CQ, DESTROY_QP, QUERY_QP, DESTROY_SRQ, QUERY_SRQ
 * input: an object number
 */
struct vhca_cmd_obj_in {
	struct vhca_cmd_in_hdr hdr;
	__be32 num;
	u8 rsvd[12];
};

static_assert(sizeof(struct vhca_cmd_obj_in) == 32);

struct vhca_cmd_obj_out {
	struct vhca_cmd_out_hdr hdr;
	__be32 num;
	u8 rsvd[12];
};

static_assert(sizeof(struct vhca_cmd_obj_out) == 32);

/* access rights of a memory key (and of a QP for remote access) */
#define VHCA_ACCESS_LOCAL_WRITE		BIT(0)
#define VHCA_ACCESS_REMOTE_WRITE	BIT(1)
#define VHCA_ACCESS_REMOTE_READ		BIT(2)
#define VHCA_ACCESS_REMOTE_ATOMIC	BIT(3)
#define VHCA_ACCESS_ALL			GENMASK(3, 0)

/* the device's reserved lkey reaches kernel DMA addresses (see cap) */
#define VHCA_INVALID_LKEY		0x00000100	/* ends a scatter list */

#define VHCA_MKEY_MODE_PA		0	/* iova is the DMA address */
#define VHCA_MKEY_MODE_MTT		1	/* iova -> MTT page list */

/**
 * struct vhca_mkey_ctx - memory key context (CREATE_MKEY, QUERY_MKEY)
 * @access: VHCA_ACCESS_*; local read is always allowed
 * @mode: VHCA_MKEY_MODE_*
 * @log_page_size: MTT mode: page size of the MTT entries, 12..30
 * @key: low 8 bits of the key, chosen by the driver (the "variant")
 * @pdn: protection domain
 * @start: first iova the key covers
 * @len: bytes from @start; PA mode may cover any range
 * @num_mtt: MTT mode: entries following the context in the mailbox
 *	(at most VHCA_MKEY_MAX_MTT), or at @mtt_addr
 * @mkey: QUERY_MKEY output: the key
 * @mtt_addr: MTT mode, devices with VHCA_CAP_FLAG_MTT_DMA: 0, or the DMA
 *	address of the @num_mtt entries (contiguous, 8-byte aligned, at most
 *	VHCA_MKEY_MAX_MTT_DMA of them) instead of the mailbox. The device
 *	reads them during CREATE_MKEY only. QUERY_MKEY output: 0.
 *
 * In MTT mode, iova X is at MTT[(X - (start & ~(page - 1))) >> log_page_size]
 * plus the offset in its page; every MTT entry is a page-aligned DMA
 * address. A key is (index << 8) | key.
 */
struct vhca_mkey_ctx {
	u8 access;
	u8 mode;
	u8 log_page_size;
	u8 key;
	__be32 pdn;
	__be64 start;
	__be64 len;
	__be32 num_mtt;
	__be32 mkey;
	__be64 mtt_addr;
	u8 rsvd[24];
};

static_assert(sizeof(struct vhca_mkey_ctx) == 64);

/* fits a 4 KiB mailbox: header, context, MTT entries */
#define VHCA_MKEY_MAX_MTT	((VHCA_CMD_MBOX_MAX - 16 - 64) / 8)
/* an MTT list at vhca_mkey_ctx.mtt_addr: 1 GiB of 4 KiB pages */
#define VHCA_MKEY_MAX_MTT_DMA	BIT(18)

struct vhca_cmd_create_mkey_in {
	struct vhca_cmd_in_hdr hdr;
	struct vhca_mkey_ctx ctx;
	__be64 mtt[];
};

struct vhca_cmd_query_mkey_out {
	struct vhca_cmd_out_hdr hdr;
	struct vhca_mkey_ctx ctx;
};

/* ------------------------------------------------------------------ */
/* Data path: completion queues                                        */
/* ------------------------------------------------------------------ */

/**
 * struct vhca_cq_ctx - CQ context (CREATE_CQ input, QUERY_CQ output)
 * @log_size: log2 of the CQE count, 1..cap.log_max_cq_sz
 * @state: QUERY_CQ: VHCA_CQ_STATE_*
 * @eqn: the completion EQ its events go to
 * @uar: UAR its doorbells are rung through
 * @ring_addr: CQE ring, contiguous, page aligned, 64 << @log_size bytes;
 *	the driver sets every owner bit to 1 before CREATE_CQ
 * @dbr_addr: doorbell record (VHCA_DBR_SIZE bytes)
 * @prod_index: QUERY_CQ: CQEs written
 * @cons_index: QUERY_CQ: consumer index last read from the record
 * @overruns: QUERY_CQ: CQEs dropped because the ring was full
 */
struct vhca_cq_ctx {
	u8 log_size;
	u8 state;
	u8 rsvd0[2];
	__be32 eqn;
	__be32 uar;
	__be32 overruns;
	__be64 ring_addr;
	__be64 dbr_addr;
	__be32 prod_index;
	__be32 cons_index;
	u8 rsvd1[24];
};

static_assert(sizeof(struct vhca_cq_ctx) == 64);

#define VHCA_CQ_STATE_OK	0x0
#define VHCA_CQ_STATE_ARMED	0x9
#define VHCA_CQ_STATE_ARMED_SOL	0xa
#define VHCA_CQ_STATE_ERROR	0xf	/* overrun: no more CQEs */

struct vhca_cmd_create_cq_in {
	struct vhca_cmd_in_hdr hdr;
	struct vhca_cq_ctx ctx;
};

struct vhca_cmd_query_cq_out {
	struct vhca_cmd_out_hdr hdr;
	struct vhca_cq_ctx ctx;
};

/* CQE opcodes */
#define VHCA_CQE_REQ		0x0	/* a send WQE completed */
#define VHCA_CQE_RESP_WRITE_IMM	0x1	/* RDMA WRITE with immediate */
#define VHCA_CQE_RESP_SEND	0x2
#define VHCA_CQE_RESP_SEND_IMM	0x3
#define VHCA_CQE_REQ_ERR	0xd	/* a send WQE failed or was flushed */
#define VHCA_CQE_RESP_ERR	0xe	/* a receive WQE failed or was flushed */

/* CQE status: the IBA completion status, in enum ib_wc_status order */
#define VHCA_CQE_ST_OK			0
#define VHCA_CQE_ST_LOC_LEN_ERR		1
#define VHCA_CQE_ST_LOC_QP_OP_ERR	2
#define VHCA_CQE_ST_LOC_PROT_ERR	4
#define VHCA_CQE_ST_WR_FLUSH_ERR	5
#define VHCA_CQE_ST_BAD_RESP_ERR	7
#define VHCA_CQE_ST_LOC_ACCESS_ERR	8
#define VHCA_CQE_ST_REM_INV_REQ_ERR	9
#define VHCA_CQE_ST_REM_ACCESS_ERR	10
#define VHCA_CQE_ST_REM_OP_ERR		11
#define VHCA_CQE_ST_RETRY_EXC_ERR	12
#define VHCA_CQE_ST_RNR_RETRY_EXC_ERR	13
#define VHCA_CQE_ST_GENERAL_ERR		21

/* CQE flags */
#define VHCA_CQE_F_GRH		BIT(0)	/* a GRH is in the first 40 bytes */
#define VHCA_CQE_F_IMM		BIT(1)	/* @imm is valid */
#define VHCA_CQE_F_SOLICITED	BIT(2)	/* the sender asked for an event */
#define VHCA_CQE_F_L3_OK	BIT(3)	/* IPv4 header checksum verified */
#define VHCA_CQE_F_L4_OK	BIT(4)	/* TCP/UDP checksum verified */
#define VHCA_CQE_F_RSS		BIT(5)	/* rss_hash/rss_type are valid */

/* rss_type of a CQE: what the hash covered */
#define VHCA_RSS_TYPE_NONE	0
#define VHCA_RSS_TYPE_L3	1	/* addresses only */
#define VHCA_RSS_TYPE_L4	2	/* addresses and ports */

/**
 * struct vhca_cqe - a completion queue entry
 * @opcode: VHCA_CQE_*
 * @status: VHCA_CQE_ST_*
 * @wqe_opcode: requester CQEs: the VHCA_WQE_OP_* of the WQE
 * @flags: VHCA_CQE_F_*
 * @qpn: the QP (device numbering)
 * @byte_cnt: receive: bytes written, GRH area included for UD; RDMA READ:
 *	bytes read
 * @imm: immediate data, as it was on the wire
 * @src_qp: UD receive: source QPN
 * @slid: receive: source LID
 * @sl: receive: SL of the packet
 * @path_bits: receive: DLID path bits
 * @wqe_counter: send: the WQE's wqe_counter; receive: the RQ or SRQ
 *	WQE index (counter, low 16 bits)
 * @pkey_index: UD receive: P_Key table index of the packet's P_Key
 * @vendor_syndrome: errors: VHCA_CQE_SYND_* saying why
 * @owner: bit 0, as for EQEs: vhca_eqe_owner(producer index, log_size)
 */
struct vhca_cqe {
	u8 opcode;
	u8 status;
	u8 wqe_opcode;
	u8 flags;
	__be32 qpn;
	__be32 byte_cnt;
	__be32 imm;
	__be32 src_qp;
	__be16 slid;
	u8 sl;
	u8 path_bits;
	__be16 wqe_counter;
	__be16 pkey_index;
	__be32 vendor_syndrome;
	__be32 rss_hash;
	u8 rss_type;
	u8 rsvd[26];
	u8 owner;
};

static_assert(sizeof(struct vhca_cqe) == 64);

/* why a CQE failed (vendor_syndrome) */
#define VHCA_CQE_SYND_NONE		0x00
#define VHCA_CQE_SYND_BAD_STATE		0x01	/* posted in the wrong QP state */
#define VHCA_CQE_SYND_BAD_WQE		0x02	/* malformed WQE */
#define VHCA_CQE_SYND_BAD_LKEY		0x03
#define VHCA_CQE_SYND_BAD_ACCESS	0x04	/* key lacks the right */
#define VHCA_CQE_SYND_BAD_RANGE		0x05	/* outside the key */
#define VHCA_CQE_SYND_DMA		0x06	/* memory unreachable */
#define VHCA_CQE_SYND_TOO_LONG		0x07	/* message over MTU/limit */
#define VHCA_CQE_SYND_FLUSH		0x08
#define VHCA_CQE_SYND_RETRY		0x09
#define VHCA_CQE_SYND_RNR		0x0a
#define VHCA_CQE_SYND_REMOTE		0x0b	/* NAK from the responder */
#define VHCA_CQE_SYND_BAD_AH		0x0c	/* bad address vector */
#define VHCA_CQE_SYND_BAD_SRC_QP	0x0d	/* TX mux: bad src_qpn */
#define VHCA_CQE_SYND_BAD_LSO		0x0e	/* LSO header/mss unusable */

/* ------------------------------------------------------------------ */
/* Data path: queue pairs                                              */
/* ------------------------------------------------------------------ */

/* QP types */
#define VHCA_QPT_RC		0x0
#define VHCA_QPT_UC		0x1
#define VHCA_QPT_UD		0x3
#define VHCA_QPT_SMI		0x7	/* QP0 of its port */
#define VHCA_QPT_GSI		0x8	/* QP1 of its port */

/* QP states, in enum ib_qp_state order */
#define VHCA_QPS_RESET		0
#define VHCA_QPS_INIT		1
#define VHCA_QPS_RTR		2
#define VHCA_QPS_RTS		3
#define VHCA_QPS_SQD		4
#define VHCA_QPS_SQE		5
#define VHCA_QPS_ERR		6

/* QP context flags */
#define VHCA_QP_F_SRQ		BIT(0)	/* receives come from srqn */
#define VHCA_QP_F_NO_RQ		BIT(1)	/* the QP has no receive queue */
#define VHCA_QP_F_SIG_ALL	BIT(2)	/* every send WQE gets a CQE */
#define VHCA_QP_F_BLOCK_MC_LB	BIT(3)	/* no loopback of own multicast */
/*
 * UD only. A TX mux QP has an SQ and no RQ; each of its WQEs sends as the
 * UD QP named in the datagram segment's src_qpn (same PD and port, RTS),
 * so one set of SQs serves many UD QPs (an uplink and its upper devices).
 * An RQ-only QP has an RQ and no SQ and is never addressed on the wire:
 * packets reach it only through the RSS table of an addressed UD QP
 * (SET_RSS), and its CQEs name the addressed QP in qpn.
 */
#define VHCA_QP_F_TX_MUX	BIT(4)
#define VHCA_QP_F_RQ_ONLY	BIT(5)

/* wire QPNs of the special QPs, and the GSI Q_Key */
#define VHCA_QPN_SMI		0
#define VHCA_QPN_GSI		1
#define VHCA_QKEY_GSI		0x80010000
/* a Q_Key with this bit in a UD WQE means "use the QP's Q_Key" */
#define VHCA_QKEY_USE_QP	BIT(31)
#define VHCA_QPN_MASK		GENMASK(23, 0)

/**
 * struct vhca_qp_ctx - QP context (CREATE_QP input, QUERY_QP output)
 * @type: VHCA_QPT_*
 * @state: QUERY_QP: VHCA_QPS_*
 * @port: GSI/SMI: the port whose QP1/QP0 this is; others: 0 (set by
 *	MODIFY_QP)
 * @flags: VHCA_QP_F_*
 * @pdn: protection domain; keys of other PDs are refused
 * @uar: UAR its doorbells are rung through
 * @send_cqn: CQ of send completions
 * @recv_cqn: CQ of receive completions
 * @srqn: with VHCA_QP_F_SRQ: the SRQ
 * @log_sq_size: log2 of the SQ size in WQEBBs (64 bytes), 0 for none
 * @log_rq_size: log2 of the RQ WQE count (unused with SRQ or NO_RQ)
 * @log_rq_stride: RQ WQE size is 16 << log_rq_stride bytes
 * @sq_addr: SQ ring, contiguous, page aligned
 * @rq_addr: RQ ring, contiguous, page aligned
 * @dbr_addr: doorbell record (VHCA_DBR_SIZE bytes)
 */
struct vhca_qp_ctx {
	u8 type;
	u8 state;
	u8 port;
	u8 flags;
	__be32 pdn;
	__be32 uar;
	__be32 send_cqn;
	__be32 recv_cqn;
	__be32 srqn;
	u8 log_sq_size;
	u8 log_rq_size;
	u8 log_rq_stride;
	u8 rsvd0;
	__be32 rsvd1;
	__be64 sq_addr;
	__be64 rq_addr;
	__be64 dbr_addr;
	u8 rsvd2[8];
};

static_assert(sizeof(struct vhca_qp_ctx) == 64);

#define VHCA_AV_F_GRH		BIT(0)	/* send with a GRH */

/**
 * struct vhca_av - address vector (UD datagram segment, QP path)
 * @dlid: destination LID (a multicast LID for multicast)
 * @sl: service level
 * @flags: VHCA_AV_F_*
 * @sgid_index: GID table index of the source GID (GRH)
 * @hop_limit: GRH hop limit
 * @tclass: GRH traffic class
 * @static_rate: IB static rate (informational)
 * @src_path_bits: SLID = port LID | src_path_bits
 * @flow_label: GRH flow label (20 bits)
 * @dgid: GRH destination GID
 */
struct vhca_av {
	__be16 dlid;
	u8 sl;
	u8 flags;
	u8 sgid_index;
	u8 hop_limit;
	u8 tclass;
	u8 static_rate;
	u8 src_path_bits;
	u8 rsvd0[3];
	__be32 flow_label;
	u8 dgid[16];
};

static_assert(sizeof(struct vhca_av) == 32);

/* MODIFY_QP attribute mask: the bits of enum ib_qp_attr_mask */
#define VHCA_QP_ATTR_STATE		BIT(0)
#define VHCA_QP_ATTR_CUR_STATE		BIT(1)
#define VHCA_QP_ATTR_EN_SQD_ASYNC	BIT(2)
#define VHCA_QP_ATTR_ACCESS		BIT(3)
#define VHCA_QP_ATTR_PKEY_INDEX		BIT(4)
#define VHCA_QP_ATTR_PORT		BIT(5)
#define VHCA_QP_ATTR_QKEY		BIT(6)
#define VHCA_QP_ATTR_AV			BIT(7)
#define VHCA_QP_ATTR_PATH_MTU		BIT(8)
#define VHCA_QP_ATTR_TIMEOUT		BIT(9)
#define VHCA_QP_ATTR_RETRY_CNT		BIT(10)
#define VHCA_QP_ATTR_RNR_RETRY		BIT(11)
#define VHCA_QP_ATTR_RQ_PSN		BIT(12)
#define VHCA_QP_ATTR_MAX_RD_ATOMIC	BIT(13)
#define VHCA_QP_ATTR_ALT_PATH		BIT(14)
#define VHCA_QP_ATTR_MIN_RNR_TIMER	BIT(15)
#define VHCA_QP_ATTR_SQ_PSN		BIT(16)
#define VHCA_QP_ATTR_MAX_DEST_RD_ATOMIC	BIT(17)
#define VHCA_QP_ATTR_PATH_MIG_STATE	BIT(18)
#define VHCA_QP_ATTR_CAP		BIT(19)
#define VHCA_QP_ATTR_DEST_QPN		BIT(20)

/**
 * struct vhca_qp_attr - QP attributes (MODIFY_QP input, QUERY_QP output)
 * @qkey: UD/GSI Q_Key
 * @rq_psn: expected PSN of the next request (RC/UC)
 * @sq_psn: PSN of the next request sent (RC/UC/UD)
 * @dest_qpn: RC/UC remote QPN
 * @pkey_index: P_Key table index
 * @port: port, 1-based
 * @path_mtu: VHCA_MTU_*
 * @timeout: local ACK timeout, 4.096 us << @timeout; 0 waits forever
 * @retry_cnt: transport retries, 0..7
 * @rnr_retry: RNR retries, 0..7; 7 retries forever
 * @min_rnr_timer: IBA RNR NAK timer encoding, 0..31
 * @access: VHCA_ACCESS_REMOTE_* the responder allows
 * @max_rd_atomic: outstanding RDMA READs as requester
 * @max_dest_rd_atomic: outstanding RDMA READs as responder
 * @sq_draining: QUERY_QP: SQD with WQEs still in flight
 * @av: RC/UC primary path
 */
struct vhca_qp_attr {
	__be32 qkey;
	__be32 rq_psn;
	__be32 sq_psn;
	__be32 dest_qpn;
	__be16 pkey_index;
	u8 port;
	u8 path_mtu;
	u8 timeout;
	u8 retry_cnt;
	u8 rnr_retry;
	u8 min_rnr_timer;
	u8 access;
	u8 max_rd_atomic;
	u8 max_dest_rd_atomic;
	u8 sq_draining;
	u8 rsvd[4];
	struct vhca_av av;
};

static_assert(sizeof(struct vhca_qp_attr) == 64);

struct vhca_cmd_create_qp_in {
	struct vhca_cmd_in_hdr hdr;
	struct vhca_qp_ctx ctx;
};

/* CREATE_QP output: the device QPN (also the wire QPN, except GSI/SMI) */
#define vhca_cmd_create_qp_out vhca_cmd_obj_out

/**
 * struct vhca_cmd_modify_qp_in - MODIFY_QP
 * @qpn: the QP
 * @cur_state: with VHCA_QP_ATTR_CUR_STATE: the state the driver believes
 * @next_state: the state to move to (VHCA_QP_ATTR_STATE is implied)
 * @attr_mask: VHCA_QP_ATTR_* given in @attr; the device requires and
 *	allows the attributes of IBA vol 1 table 91 for the transition and
 *	QP type, and refuses others with VHCA_SYND_QP_BAD_ATTR
 * @attr: the values
 */
struct vhca_cmd_modify_qp_in {
	struct vhca_cmd_in_hdr hdr;
	__be32 qpn;
	u8 cur_state;
	u8 next_state;
	u8 rsvd0[2];
	__be32 attr_mask;
	u8 rsvd1[4];
	struct vhca_qp_attr attr;
};

static_assert(sizeof(struct vhca_cmd_modify_qp_in) == 96);

struct vhca_cmd_query_qp_out {
	struct vhca_cmd_out_hdr hdr;
	struct vhca_qp_ctx ctx;
	struct vhca_qp_attr attr;
};

#define VHCA_RSS_KEY_LEN	40
#define VHCA_RSS_MAX_TBL	128

/* SET_RSS hash fields */
#define VHCA_RSS_F_IPV4		BIT(0)
#define VHCA_RSS_F_IPV6		BIT(1)
#define VHCA_RSS_F_TCP		BIT(2)	/* ports too, for TCP */
#define VHCA_RSS_F_UDP		BIT(3)	/* ports too, for UDP */

/**
 * struct vhca_cmd_set_rss_in - spread an addressed UD QP's receives
 * @qpn: the addressed UD QP (not RQ-only, not TX mux)
 * @fields: VHCA_RSS_F_*; the hash is Toeplitz over the IPoIB payload's
 *	source/destination addresses (and ports) in the usual order
 * @log_tbl_size: indirection table size, 0 disables RSS (receives go to
 *	the QP's own RQ), else 1..cap.log_max_rss_tbl
 * @key: Toeplitz key
 * @tbl: RQ-only QPNs on the QP's port and PD; entry hash & (size - 1)
 *	receives. Packets that are not IP go to entry 0.
 */
struct vhca_cmd_set_rss_in {
	struct vhca_cmd_in_hdr hdr;
	__be32 qpn;
	u8 fields;
	u8 log_tbl_size;
	u8 rsvd[10];
	u8 key[VHCA_RSS_KEY_LEN];
	u8 rsvd1[8];
	__be32 tbl[VHCA_RSS_MAX_TBL];
};

static_assert(sizeof(struct vhca_cmd_set_rss_in) == 592);

/* ATTACH_MCG and DETACH_MCG: a UD QP joins a multicast GID on its port */
struct vhca_cmd_mcg_in {
	struct vhca_cmd_in_hdr hdr;
	__be32 qpn;
	u8 rsvd[12];
	u8 gid[16];
};

static_assert(sizeof(struct vhca_cmd_mcg_in) == 48);

/* ------------------------------------------------------------------ */
/* Data path: shared receive queues                                    */
/* ------------------------------------------------------------------ */

/**
 * struct vhca_srq_ctx - SRQ context (CREATE_SRQ input, QUERY_SRQ output)
 * @log_size: log2 of the WQE count
 * @log_stride: WQE size is 16 << log_stride bytes
 * @pdn: protection domain
 * @uar: UAR
 * @limit: ARM_SRQ / QUERY_SRQ: when fewer WQEs than this remain, raise
 *	VHCA_EVENT_SRQ_LIMIT once and disarm (0: not armed)
 * @ring_addr: WQE ring, contiguous, page aligned
 * @dbr_addr: doorbell record
 * @wqe_counter: QUERY_SRQ: WQEs consumed
 *
 * WQEs are consumed in ring order, so a receive CQE's wqe_counter names
 * the slot the driver may reuse.
 */
struct vhca_srq_ctx {
	u8 log_size;
	u8 log_stride;
	u8 rsvd0[2];
	__be32 pdn;
	__be32 uar;
	__be32 limit;
	__be64 ring_addr;
	__be64 dbr_addr;
	__be32 wqe_counter;
	u8 rsvd1[28];
};

static_assert(sizeof(struct vhca_srq_ctx) == 64);

struct vhca_cmd_create_srq_in {
	struct vhca_cmd_in_hdr hdr;
	struct vhca_srq_ctx ctx;
};

struct vhca_cmd_query_srq_out {
	struct vhca_cmd_out_hdr hdr;
	struct vhca_srq_ctx ctx;
};

/* ARM_SRQ input */
struct vhca_cmd_arm_srq_in {
	struct vhca_cmd_in_hdr hdr;
	__be32 srqn;
	__be32 limit;
	u8 rsvd[8];
};

/* ------------------------------------------------------------------ */
/* Data path: work queue entries                                       */
/* ------------------------------------------------------------------ */

/*
 * A send WQE is 1..VHCA_SEND_WQE_MAX_BBS WQEBBs of 64 bytes in the SQ
 * ring: a control segment, then for UD a datagram segment, for RDMA
 * WRITE/READ an RDMA segment, then data segments (gather list) or inline
 * segments. Segments are 16-byte multiples and never straddle the end of
 * the ring (the driver pads with a NOP WQE instead). The device reads a
 * WQE only once the SQ doorbell has counted it.
 *
 * A receive WQE (RQ or SRQ) is an array of data segments (a scatter
 * list) of the queue's stride; a segment with lkey VHCA_INVALID_LKEY ends
 * the list early. UD receives get the 40-byte GRH area first.
 */
#define VHCA_WQEBB		64
#define VHCA_SEND_WQE_MAX_BBS	16
#define VHCA_WQE_DS		16	/* size unit of ctrl.ds */

#define VHCA_WQE_OP_NOP		0x00
#define VHCA_WQE_OP_RDMA_WRITE	0x08
#define VHCA_WQE_OP_RDMA_WRITE_IMM 0x09
#define VHCA_WQE_OP_SEND	0x0a
#define VHCA_WQE_OP_SEND_IMM	0x0b
#define VHCA_WQE_OP_RDMA_READ	0x10
#define VHCA_WQE_OP_LSO		0x0e	/* UD: segment a TCP payload */

#define VHCA_WQE_F_SIGNALED	BIT(0)	/* write a CQE on success */
#define VHCA_WQE_F_SOLICITED	BIT(1)	/* solicited event at the peer */
#define VHCA_WQE_F_FENCE	BIT(2)	/* wait for prior RDMA READs */
/*
 * UD: the payload is an IPoIB datagram (4-byte encapsulation header, then
 * IPv4 or IPv6); the device fills the IPv4 header checksum and the TCP or
 * UDP checksum (pseudo header included) before sending.
 */
#define VHCA_WQE_F_CSUM		BIT(3)

/**
 * struct vhca_wqe_ctrl - control segment, first in every send WQE
 * @opcode: VHCA_WQE_OP_*
 * @flags: VHCA_WQE_F_*
 * @wqe_counter: the SQ producer counter at this WQE (echoed in its CQE)
 * @ds: WQE size in 16-byte units, this segment included
 * @qpn: the QP's device QPN (checked)
 * @imm: immediate data for *_IMM, sent as is
 */
struct vhca_wqe_ctrl {
	u8 opcode;
	u8 flags;
	__be16 wqe_counter;
	u8 ds;
	u8 rsvd[3];
	__be32 qpn;
	__be32 imm;
};

static_assert(sizeof(struct vhca_wqe_ctrl) == 16);

/*
 * UD datagram segment: where the datagram goes. @pkey_index is used by
 * GSI QPs only (each MAD names its P_Key); other UD QPs send with the
 * P_Key of their own pkey_index attribute.
 */
struct vhca_wqe_datagram {
	__be32 dqpn;
	__be32 qkey;
	__be16 pkey_index;
	u8 rsvd[2];
	__be32 src_qpn;		/* TX mux QPs: the UD QP this WQE sends as */
	struct vhca_av av;
};

static_assert(sizeof(struct vhca_wqe_datagram) == 48);

/*
 * LSO segment (VHCA_WQE_OP_LSO, after the datagram segment): @hdr_len
 * bytes of headers follow inline (IPoIB encapsulation, IPv4/IPv6, TCP),
 * padded so the segment is a 16-byte multiple; the data segments that
 * follow hold the TCP payload. The device sends one datagram per @mss
 * bytes of payload, each with the headers fixed up: IPv4 total length,
 * id (+1 per datagram) and header checksum, IPv6 payload length, TCP
 * sequence number, FIN/PSH only on the last and CWR only on the first,
 * TCP checksum. hdr_len + mss must fit the path MTU.
 */
struct vhca_wqe_lso {
	__be16 mss;
	__be16 hdr_len;
	u8 hdr[];
};

/* RDMA segment: remote address and key */
struct vhca_wqe_raddr {
	__be64 raddr;
	__be32 rkey;
	__be32 rsvd;
};

static_assert(sizeof(struct vhca_wqe_raddr) == 16);

/* data segment: one gather/scatter entry */
struct vhca_wqe_data {
	__be32 byte_count;
	__be32 lkey;
	__be64 addr;
};

static_assert(sizeof(struct vhca_wqe_data) == 16);

/*
 * Inline segment: byte_count | VHCA_WQE_INLINE, then the bytes, padded to
 * a 16-byte multiple (header included).
 */
#define VHCA_WQE_INLINE		BIT(31)

struct vhca_wqe_inline {
	__be32 byte_count;
	u8 data[];
};

/* ------------------------------------------------------------------ */
/* MAD_IFC: the port's management agent                               */
/* ------------------------------------------------------------------ */

/*
 * MAD_IFC hands a 256-byte MAD to the port's subnet management agent
 * (SMA) and performance management agent and returns its response:
 * SubnGet of NodeInfo, NodeDescription, PortInfo, P_KeyTable and
 * GUIDInfo (LID-routed or directed route), PerfMgmt Get of ClassPortInfo
 * and PortCounters. The response has the MAD status of the IBA (bad
 * version, unsupported method or attribute, bad attribute modifier); the
 * command fails only if the MAD cannot be a request at all
 * (VHCA_SYND_MAD_BAD) or the port does not exist.
 */
#define VHCA_MAD_SIZE		256

struct vhca_cmd_mad_ifc_in {
	struct vhca_cmd_in_hdr hdr;
	u8 port;
	u8 rsvd0;
	__be16 slid;
	u8 rsvd1[12];
	u8 mad[VHCA_MAD_SIZE];
};

static_assert(sizeof(struct vhca_cmd_mad_ifc_in) == 288);

struct vhca_cmd_mad_ifc_out {
	struct vhca_cmd_out_hdr hdr;
	u8 mad[VHCA_MAD_SIZE];
};

static_assert(sizeof(struct vhca_cmd_mad_ifc_out) == 272);

/* a ring entry is new when its owner bit matches this (CQEs as EQEs) */
static inline u8 vhca_cqe_owner(u32 index, unsigned int log_size)
{
	return vhca_eqe_owner(index, log_size);
}

#endif /* _LINUX_VHCA_DEVICE_H */
