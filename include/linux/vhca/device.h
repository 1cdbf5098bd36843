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
 * initialized; the EQ and port commands (QUERY_PORT, QUERY_PKEYS) need
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
	u8 rsvd[96];
};

static_assert(sizeof(struct vhca_hca_cap) == 128);

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
#define VHCA_EVENT_SUPPORTED_MASK	(BIT_ULL(VHCA_EVENT_COMP) | \
					 BIT_ULL(VHCA_EVENT_PORT_CHANGE) | \
					 BIT_ULL(VHCA_EVENT_CMD) | \
					 BIT_ULL(VHCA_EVENT_INTERNAL_ERROR))

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

#define VHCA_SYND_PORT_BAD_NUM		0x0b1d0201	/* no such port */

#endif /* _LINUX_VHCA_DEVICE_H */
