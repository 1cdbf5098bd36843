/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vhca_sim internals: the device model behind include/linux/vhca/device.h.
 * Nothing here is visible to the driver.
 */
#ifndef _VHCA_SIM_H
#define _VHCA_SIM_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/export.h>
#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/vhca/device.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "port.h"

struct dentry;
struct seq_file;
struct vhca_sim_res;

/* The firmware's pure checks are exported to the KUnit test module
 * (vhca_sim_test.ko) only, and only when it is built.
 */
#if IS_ENABLED(CONFIG_VHCA_SIM_KUNIT_TEST)
#define EXPORT_SYMBOL_IF_VHCA_SIM_TEST(sym) \
	EXPORT_SYMBOL_NS_GPL(sym, EXPORTED_FOR_KUNIT_TESTING)
#else
#define EXPORT_SYMBOL_IF_VHCA_SIM_TEST(sym)
#endif

/* Capabilities the model reports in QUERY_HCA_CAP */
#define VHCA_SIM_LOG_MAX_EQ	5
#define VHCA_SIM_MAX_EQ		BIT(VHCA_SIM_LOG_MAX_EQ)
#define VHCA_SIM_LOG_MIN_EQ_SZ	6	/* 64 EQEs */
#define VHCA_SIM_LOG_MAX_EQ_SZ	12	/* 4096 EQEs */
#define VHCA_SIM_LOG_MAX_CQ	16
#define VHCA_SIM_LOG_MAX_QP	16
#define VHCA_SIM_LOG_MAX_MKEY	16
#define VHCA_SIM_MAX_PKEYS	128
#define VHCA_SIM_MAX_IO_VECTORS	8
#define VHCA_SIM_MAX_VECTORS	(1 + VHCA_SIM_MAX_IO_VECTORS)

/* Firmware identity */
#define VHCA_SIM_FW_MAJOR	1
#define VHCA_SIM_FW_MINOR	2
#define VHCA_SIM_FW_SUBMINOR	60
#define VHCA_SIM_VENDOR_ID	0x1d1c
#define VHCA_SIM_BOARD_REV	1
#define VHCA_SIM_PSID		"VHCA000000001"
#define VHCA_SIM_GUID_BASE	0x001d1c0000000000ULL

#define VHCA_SIM_CMDQ_ENTRIES	BIT(VHCA_CMDQ_LOG_SIZE)
#define VHCA_SIM_CMDQ_BYTES	(VHCA_SIM_CMDQ_ENTRIES * VHCA_CMDQ_STRIDE)
#define VHCA_SIM_CMDQ_MASK	(BIT(VHCA_SIM_CMDQ_ENTRIES) - 1)

/* INIT_STATUS reads busy this long after the device is created */
#define VHCA_SIM_INIT_BUSY_MS	10
/* the health counter advances once per this many ms while healthy */
#define VHCA_SIM_HEALTH_TICK_MS	100

/* EQ producer/consumer indices are 24-bit, as in the doorbell */
#define VHCA_SIM_EQ_IDX_MASK	VHCA_EQ_DB_CI

/**
 * struct vhca_sim_dma_win - a range of driver memory the device may reach
 * @addr: DMA address the driver gave
 * @len: bytes from @addr
 *
 * The model touches driver memory only inside windows granted by the
 * driver: the command queue page, a command's mailboxes while it runs,
 * an EQ ring while the EQ exists.
 */
struct vhca_sim_dma_win {
	dma_addr_t addr;
	size_t len;
};

enum vhca_sim_hca_state {
	VHCA_SIM_HCA_DISABLED,
	VHCA_SIM_HCA_ENABLED,
	VHCA_SIM_HCA_INITIALIZED,
};

struct vhca_sim_dev;

/**
 * struct vhca_sim_vec - one interrupt vector, an irq_work
 * @work: queued to raise the vector; runs the handler in hardirq context
 * @sdev: owner
 * @index: vector number
 * @lock: protects @handler and @ctx (taken with interrupts off)
 * @handler: the driver's handler, NULL when free
 * @ctx: its context
 * @raised: times the vector was raised
 * @spurious: times it fired with no handler installed
 */
struct vhca_sim_vec {
	struct irq_work work;
	struct vhca_sim_dev *sdev;
	unsigned int index;
	spinlock_t lock;	/* handler, ctx */
	vhca_irq_handler_t handler;
	void *ctx;
	atomic64_t raised;
	atomic64_t spurious;
};

/**
 * struct vhca_sim_eq - an event queue object
 * @rcu: frees the EQ after the last lockless lookup
 * @eqn: its number, index in &vhca_sim_dev.eqs
 * @log_size: log2 of the EQE count
 * @vector: vector it raises
 * @events: BIT_ULL(VHCA_EVENT_*) it receives
 * @ring: the EQE ring window
 * @lock: protects everything below; EQEs are posted from the command
 *	worker, debugfs, timers and the driver's doorbells, so with irqsave
 * @pi: producer index (24-bit)
 * @ci: consumer index from the last doorbell (24-bit)
 * @armed: one interrupt is requested for the next EQE
 * @flags: VHCA_SIM_EQ_DEAD once destroyed: nothing is posted any more
 * @posted: EQEs written
 * @overruns: EQEs dropped because the ring was full
 * @dma_errors: EQEs dropped because the ring was unreachable
 * @bad_doorbells: doorbells with a consumer index past the producer
 * @irqs: interrupts this EQ raised
 *
 * The fields above @lock are set at creation and never change; the
 * pointer in &vhca_sim_dev.eqs is published with RCU.
 */
struct vhca_sim_eq {
	struct rcu_head rcu;
	u32 eqn;
	u8 log_size;
	u8 vector;
	u64 events;
	struct vhca_sim_dma_win ring;

	spinlock_t lock;	/* the fields below */
	u32 pi;
	u32 ci;
	bool armed;
	u32 flags;
	u64 posted;
	u64 overruns;
	u64 dma_errors;
	u64 bad_doorbells;
	u64 irqs;
};

/* counter slots per opcode; the last one counts unknown opcodes */
#define VHCA_SIM_CMD_NUM_OPS	36

/**
 * struct vhca_sim_cmd_stats - per-opcode command counters
 * @executed: commands delivered with this opcode
 * @failed: completed with a status other than OK (injected included)
 * @injected: failed by debugfs fault injection
 */
struct vhca_sim_cmd_stats {
	u64 executed;
	u64 failed;
	u64 injected;
};

/**
 * struct vhca_sim_cmd - the command interface ("firmware")
 * @lock: spinlock (irqsave; doorbells come from any context) protecting
 *	@addr, @gen, @fifo, @head, @count, @inflight, @doorbells and
 *	@bad_doorbells
 * @addr: DMA address of the command queue page, 0 while disabled
 * @gen: bumped when the queue is disabled or the device stops; a command
 *	that sees it change was aborted
 * @fifo: rung entry indices, in ring order
 * @head: first index in @fifo
 * @count: entries in @fifo
 * @inflight: bit i: entry i was rung and is not completed yet
 * @doorbells: doorbell writes
 * @bad_doorbells: rung bits that were ignored (disabled, already in flight)
 * @mutex: held by the worker while it reaches driver memory or changes
 *	device state, and by a CMDQ disable to wait for that to end; also
 *	protects &vhca_sim_dev.hca_state, the EQ table's writers, @in_buf,
 *	@out_buf, @stats, @delivery_errors and @aborted
 * @wq: per-device ordered workqueue
 * @work: executes @fifo
 * @wait: a delayed command waits here for its delay or an abort
 * @in_buf: the running command's input mailbox copy (VHCA_CMD_MBOX_MAX)
 * @out_buf: its output mailbox, built here then written out
 * @stats: per opcode counters
 * @delivery_errors: entries completed with a bad delivery status
 * @aborted: entries completed with VHCA_CMD_DELIVERY_ABORTED
 * @fail_count: debugfs: fail the next N commands
 * @fail_opcode: debugfs: only this opcode fails (U32_MAX: any)
 * @fail_skip: debugfs: matching commands to let through before failing
 * @fail_status: debugfs: status of an injected failure
 * @delay_ms: debugfs: delay before each command executes
 *
 * The debugfs knobs are read once per command with READ_ONCE() and
 * written by userspace through debugfs.
 */
struct vhca_sim_cmd {
	spinlock_t lock;	/* queue state, doorbell counters */
	dma_addr_t addr;
	u32 gen;
	u8 fifo[VHCA_SIM_CMDQ_ENTRIES];
	u8 head;
	u8 count;
	u32 inflight;
	u64 doorbells;
	u64 bad_doorbells;

	struct mutex mutex;	/* command execution, see above */
	struct workqueue_struct *wq;
	struct work_struct work;
	wait_queue_head_t wait;
	void *in_buf;
	void *out_buf;
	struct vhca_sim_cmd_stats stats[VHCA_SIM_CMD_NUM_OPS];
	u64 delivery_errors;
	u64 aborted;

	u32 fail_count;
	u32 fail_opcode;
	u32 fail_skip;
	u8 fail_status;
	u32 delay_ms;
};

/**
 * struct vhca_sim_dev - one emulated HCA
 * @bdev: the bus device the driver sees
 * @list: entry in the bus's device list (bus.c, under its mutex)
 * @created: jiffies at creation, for INIT_STATUS
 * @health_lock: protects @health_syndrome and @health_frozen
 * @health_syndrome: VHCA_REG_HEALTH_SYNDROME
 * @health_frozen: counter value kept while the syndrome is set
 * @bad_reg_access: register accesses at bad offsets or widths
 * @dma_errors: device DMA attempts outside reachable memory
 * @cmd: command interface
 * @hca_state: DISABLED/ENABLED/INITIALIZED, under @cmd.mutex
 * @eqs: EQ table; readers under RCU, writers under @cmd.mutex
 * @vecs: interrupt vectors, &vhca_bus_device.num_vectors of them
 * @ports: the physical ports, &vhca_bus_device.num_ports of them (port.c)
 * @ddir: debugfs directory
 * @res: data-path objects (res.h), while the device exists
 */
struct vhca_sim_dev {
	struct vhca_bus_device bdev;
	struct list_head list;
	unsigned long created;

	spinlock_t health_lock;	/* health_syndrome, health_frozen */
	u32 health_syndrome;
	u32 health_frozen;

	atomic64_t bad_reg_access;
	atomic64_t dma_errors;

	struct vhca_sim_cmd cmd;
	enum vhca_sim_hca_state hca_state;
	struct vhca_sim_eq __rcu *eqs[VHCA_SIM_MAX_EQ];
	struct vhca_sim_vec vecs[VHCA_SIM_MAX_VECTORS];
	struct vhca_sim_port ports[VHCA_MAX_PORTS];
	struct dentry *ddir;
	struct vhca_sim_res *res;
	/* debugfs sq_stall: the send engines take no WQE while set */
	bool sq_stall;
	/* DMA segment limits of bdev.dev, as a PCI device has them */
	struct device_dma_parameters dma_parms;
};

static inline struct vhca_sim_dev *to_vhca_sim_dev(struct vhca_bus_device *bdev)
{
	return container_of(bdev, struct vhca_sim_dev, bdev);
}

/* dev.c: registers, vectors, health */
extern const struct vhca_bus_ops vhca_sim_bus_ops;
void vhca_sim_dev_init(struct vhca_sim_dev *sdev);
void vhca_sim_dev_uninit(struct vhca_sim_dev *sdev);
void vhca_sim_irq_raise(struct vhca_sim_dev *sdev, unsigned int vector);
void vhca_sim_health_set(struct vhca_sim_dev *sdev, u32 syndrome);
u32 vhca_sim_health_syndrome(struct vhca_sim_dev *sdev);
u32 vhca_sim_health_counter(struct vhca_sim_dev *sdev);

/* dma.c: device-side access to driver memory */
int vhca_sim_dma_check(struct vhca_sim_dev *sdev,
		       const struct vhca_sim_dma_win *win);
int vhca_sim_dma_read(struct vhca_sim_dev *sdev,
		      const struct vhca_sim_dma_win *win, size_t off,
		      void *buf, size_t len);
int vhca_sim_dma_write(struct vhca_sim_dev *sdev,
		       const struct vhca_sim_dma_win *win, size_t off,
		       const void *buf, size_t len);

/* cmd.c: the firmware */
int vhca_sim_cmd_init(struct vhca_sim_dev *sdev);
void vhca_sim_cmd_uninit(struct vhca_sim_dev *sdev);
void vhca_sim_cmdq_set_addr(struct vhca_sim_dev *sdev, u64 addr);
u64 vhca_sim_cmdq_addr(struct vhca_sim_dev *sdev);
void vhca_sim_cmd_doorbell(struct vhca_sim_dev *sdev, u32 val);
void vhca_sim_cmd_show(struct vhca_sim_dev *sdev, struct seq_file *m);
u8 vhca_sim_cmd_entry_check(const struct vhca_cmd_entry *ent);
u8 vhca_sim_cmd_check(const struct vhca_cmd_in_hdr *hdr, u32 in_len,
		      u32 out_len, enum vhca_sim_hca_state state, u32 *synd);
u8 vhca_sim_hca_state_check(enum vhca_sim_hca_state state, u16 opcode,
			    u32 *synd);
enum vhca_sim_hca_state vhca_sim_hca_next_state(enum vhca_sim_hca_state state,
						u16 opcode);

/* eq.c: event queues */
u8 vhca_sim_eq_ctx_check(const struct vhca_eq_ctx *ctx,
			 unsigned int num_vectors, u64 owned, u32 *synd);
u8 vhca_sim_eq_create(struct vhca_sim_dev *sdev,
		      const struct vhca_eq_ctx *ctx, u32 *eqn, u32 *synd);
u8 vhca_sim_eq_destroy(struct vhca_sim_dev *sdev, u32 eqn, u32 *synd);
u8 vhca_sim_eq_query(struct vhca_sim_dev *sdev, u32 eqn,
		     struct vhca_eq_ctx *ctx, u32 *synd);
unsigned int vhca_sim_eq_count(struct vhca_sim_dev *sdev);
void vhca_sim_eq_destroy_all(struct vhca_sim_dev *sdev);
void vhca_sim_eq_doorbell(struct vhca_sim_dev *sdev, u32 val, bool arm);
int vhca_sim_eq_post_event(struct vhca_sim_dev *sdev, u8 type, u8 sub_type,
			   const void *data, size_t len);
void vhca_sim_eq_show(struct vhca_sim_dev *sdev, struct seq_file *m);

/* debugfs.c */
int vhca_sim_debugfs_init(void);
struct dentry *vhca_sim_debugfs_root(void);
void vhca_sim_debugfs_exit(void);
void vhca_sim_dev_debugfs_init(struct vhca_sim_dev *sdev);
void vhca_sim_dev_debugfs_exit(struct vhca_sim_dev *sdev);

#endif /* _VHCA_SIM_H */
