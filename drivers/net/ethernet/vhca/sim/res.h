/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vhca_sim data-path objects: PDs, UARs, memory keys, CQs, SRQs, QPs and
 * multicast attachments, as the firmware keeps them. The commands that
 * create them live in pd.c, mkey.c, cq.c, srq.c, qp.c and mcg.c; the
 * engines that move data (send.c, recv.c, wire.c) use them through the
 * functions declared here.
 *
 * Lookups from the data path are lockless (RCU + a reference); writers
 * (the command worker) hold &vhca_sim_cmd.mutex. Lock order: cmd.mutex,
 * qp->lock, cq->lock, an EQ's lock. A TX mux QP's lock is taken before
 * (nested outside) the lock of the UD QP a WQE sends as; no other two QP
 * locks are ever held together. The port's rx lock and the fabric's
 * forwarding are leaves: a packet may be handed to the switch with a
 * qp->lock held.
 */
#ifndef _VHCA_SIM_RES_H
#define _VHCA_SIM_RES_H

#include <linux/completion.h>
#include <linux/hrtimer.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/vhca/device.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "vhca_sim.h"

/* Capabilities of the data path (QUERY_HCA_CAP) */
#define VHCA_SIM_LOG_MAX_PD		16
#define VHCA_SIM_LOG_MAX_SRQ		12
#define VHCA_SIM_LOG_MAX_QP_SZ		14	/* WQEBBs / RQ WQEs */
#define VHCA_SIM_LOG_MAX_CQ_SZ		16
#define VHCA_SIM_LOG_MAX_SRQ_SZ		14
#define VHCA_SIM_MAX_SQ_SGE		30
#define VHCA_SIM_MAX_RQ_SGE		32
#define VHCA_SIM_MAX_INLINE		512
#define VHCA_SIM_LOG_MAX_MCG		10
#define VHCA_SIM_MAX_QP_PER_MCG		16
#define VHCA_SIM_LOG_MAX_MSG		31
#define VHCA_SIM_MAX_RD_ATOMIC		16
#define VHCA_SIM_LOCAL_ACK_DELAY	15
#define VHCA_SIM_LOG_MAX_MTT		20	/* MTT entries in all keys */
/* UD offloads: LSO headers, LSO payload per WQE, RSS table size */
#define VHCA_SIM_MAX_LSO_HDR		128
#define VHCA_SIM_MAX_LSO_LEN		(256 * 1024)
#define VHCA_SIM_LOG_MAX_RSS_TBL	7
/* the reserved lkey: index 0, key 0; PA mode, kernel PDs only */
#define VHCA_SIM_RSVD_LKEY		0x00000000
/* device QPNs start here; 0 and 1 are the wire QPNs of SMI and GSI */
#define VHCA_SIM_FIRST_QPN		2

/**
 * struct vhca_sim_pd - a protection domain
 * @pdn: its number
 * @user: allocated with VHCA_ALLOC_PD_USER: the reserved lkey is refused
 * @users: objects (keys, QPs, SRQs) naming it; DEALLOC_PD refuses while
 *	non-zero
 */
struct vhca_sim_pd {
	u32 pdn;
	bool user;
	unsigned int users;
};

/**
 * struct vhca_sim_mkey - a memory key
 * @rcu: freed after lockless readers
 * @key: (index << 8) | variant
 * @pd: its PD
 * @access: VHCA_ACCESS_*
 * @mode: VHCA_MKEY_MODE_*
 * @log_page_size: MTT page size
 * @start: first iova
 * @len: bytes
 * @num_mtt: entries in @mtt
 * @mtt: page DMA addresses (MTT mode)
 */
struct vhca_sim_mkey {
	struct rcu_head rcu;
	u32 key;
	struct vhca_sim_pd *pd;
	u8 access;
	u8 mode;
	u8 log_page_size;
	u64 start;
	u64 len;
	u32 num_mtt;
	u64 mtt[];
};

/**
 * struct vhca_sim_cq - a completion queue
 * @rcu: freed after lockless readers
 * @cqn: its number
 * @log_size: log2 of the CQE count
 * @eqn: completion EQ
 * @uar: doorbell UAR
 * @ring: the CQE ring window
 * @dbr: the doorbell record window
 * @users: QPs naming it; DESTROY_CQ refuses while non-zero (under
 *	cmd.mutex)
 * @lock: protects the fields below (irqsave: arming comes from any context)
 * @pi: CQEs written (24-bit wrap as the consumer index)
 * @arm: 0, or VHCA_CQ_DB_CMD_NEXT + 1 / VHCA_CQ_DB_CMD_SOL + 1
 * @error: overrun happened: no more CQEs are written
 * @overruns: CQEs dropped because the driver had not released the slot
 * @events: completion EQEs raised
 * @bad_doorbells: CQ doorbells through a wrong UAR or for a bad CQN
 * @dead: DESTROY_CQ ran: no CQE or event is written any more
 * @ci: consumer index last read from the doorbell record or a doorbell
 * @sol_pi: producer index just past the last solicited or error CQE
 * @sol_valid: @sol_pi is valid (such a CQE was written)
 */
struct vhca_sim_cq {
	struct rcu_head rcu;
	u32 cqn;
	u8 log_size;
	u32 eqn;
	u32 uar;
	struct vhca_sim_dma_win ring;
	struct vhca_sim_dma_win dbr;
	unsigned int users;

	spinlock_t lock;	/* see above */
	u32 pi;
	u8 arm;
	bool error;
	u64 overruns;
	u64 events;
	u64 bad_doorbells;
	bool dead;
	u32 ci;
	u32 sol_pi;
	bool sol_valid;
};

/**
 * struct vhca_sim_srq - a shared receive queue
 * @rcu: freed after lockless readers
 * @srqn: its number
 * @pd: its PD
 * @uar: UAR
 * @log_size: log2 of the WQE count
 * @log_stride: WQE size is 16 << log_stride
 * @ring: WQE ring window
 * @dbr: doorbell record window
 * @users: QPs naming it
 * @lock: protects @ci and @limit
 * @ci: WQEs consumed
 * @limit: SRQ limit armed by ARM_SRQ, 0 when not armed
 */
struct vhca_sim_srq {
	struct rcu_head rcu;
	u32 srqn;
	struct vhca_sim_pd *pd;
	u32 uar;
	u8 log_size;
	u8 log_stride;
	struct vhca_sim_dma_win ring;
	struct vhca_sim_dma_win dbr;
	unsigned int users;

	spinlock_t lock;	/* ci, limit */
	u32 ci;
	u32 limit;
};

/* Per-WQE state the RC/UC requester keeps for each send WQE it started
 * and has not completed (indexed by wqe_counter & (SQ WQEBBs - 1)).
 */
struct vhca_sim_swqe {
	u16 wqe_counter;	/* the WQE's counter */
	u16 nbb;		/* WQEBBs it occupies */
	u8 opcode;		/* VHCA_WQE_OP_* */
	u8 flags;		/* VHCA_WQE_F_* */
	u32 first_psn;
	u32 last_psn;		/* PSN of its last packet (READ: response) */
	u32 length;		/* message bytes */
	u8 status;		/* VHCA_CQE_ST_* it failed with, in order */
	u8 synd;		/* VHCA_CQE_SYND_* of @status */
};

/**
 * struct vhca_sim_req - RC/UC/UD requester state (send.c)
 * @pi: SQ producer counter from the last valid doorbell
 * @ci: next WQEBB to start (counter)
 * @cc: next WQEBB to complete (counter); [@cc, @ci) are in flight
 * @psn: PSN of the next new packet
 * @una_psn: oldest PSN not yet acknowledged
 * @resend_psn: go back to this PSN (set on NAK or timeout), or U32_MAX
 * @retries: transport retries left for the oldest unacknowledged PSN
 * @rnr_retries: RNR retries left
 * @rd_inflight: RDMA READs outstanding
 * @swqe: in-flight WQEs, one slot per WQEBB index (first BB of a WQE)
 * @timer: retransmit / RNR timer; its handler only queues @work
 * @timer_armed: @timer is pending
 * @timeouts: retransmit timeouts
 * @naks: NAKs received
 * @retransmits: packets sent again
 * @tx_psn: RC/UC: PSN of the next packet to put on the wire; @psn is
 *	where the next started WQE's PSNs begin, [@tx_psn, @psn) are
 *	assigned and not sent (again) yet
 * @tx_idx: the WQE (counter) @tx_psn belongs to
 * @tx_high: the next PSN never sent before (retransmit accounting)
 * @deadline: when @timer is due; an expiry before it is stale
 * @events: VHCA_SIM_REQ_EV_* the timer handler left for @work (atomic)
 * @rnr_wait: @timer is an RNR wait: nothing is sent until it expires
 * @stopped: vhca_sim_qp_engine_stop() ran: nothing queues @work or
 *	arms @timer any more
 * @sqd_event: SQ_DRAINED was raised for this visit of SQD
 * @last_wqe: LAST_WQE_REACHED was raised for this visit of ERR (SRQ)
 * @failed: a started WQE failed: nothing new starts, it completes with
 *	its error in its turn and the QP goes to ERR
 * @err_poll: in ERR, @timer polls the RQ for receive WQEs to flush every
 *	1 ms << @err_poll (receives have no doorbell); it backs off to 1 s
 */
struct vhca_sim_req {
	u16 pi;
	u16 ci;
	u16 cc;
	u32 psn;
	u32 una_psn;
	u32 resend_psn;
	u8 retries;
	u8 rnr_retries;
	u8 rd_inflight;
	struct vhca_sim_swqe *swqe;
	struct hrtimer timer;
	bool timer_armed;
	u64 timeouts;
	u64 naks;
	u64 retransmits;
	u32 tx_psn;
	u16 tx_idx;
	u32 tx_high;
	ktime_t deadline;
	unsigned long events;
	bool rnr_wait;
	bool stopped;
	bool sqd_event;
	bool last_wqe;
	bool failed;
	u8 err_poll;
};

/**
 * struct vhca_sim_resp - RC/UC responder state (recv.c)
 * @epsn: expected PSN of the next request
 * @msn: message sequence number (messages completed)
 * @in_msg: a multi-packet SEND or WRITE is in progress
 * @nak_sent: a sequence-error NAK was sent for @epsn (send one only)
 * @wqe: the receive WQE of the SEND in progress (scatter list copy)
 * @wqe_idx: its RQ/SRQ index (counter)
 * @wqe_nsge: segments in @wqe
 * @offset: bytes of the message written so far
 * @va: RDMA WRITE in progress: next remote address
 * @rkey: its key
 * @resid: bytes still expected
 * @comm_est: COMM_EST was raised
 * @have_wqe: @wqe holds a popped receive WQE not completed yet (a SEND
 *	in progress, or kept by UC for the next message after a loss)
 * @msg_op: the message in progress: IB_OPCODE_SEND_FIRST or
 *	IB_OPCODE_RDMA_WRITE_FIRST
 * @dma_len: the RDMA WRITE's length (its RETH), for WRITE_IMM's CQE
 */
struct vhca_sim_resp {
	u32 epsn;
	u32 msn;
	bool in_msg;
	bool nak_sent;
	struct vhca_wqe_data wqe[VHCA_SIM_MAX_RQ_SGE];
	u16 wqe_idx;
	u8 wqe_nsge;
	u32 offset;
	u64 va;
	u32 rkey;
	u32 resid;
	bool comm_est;
	bool have_wqe;
	u8 msg_op;
	u32 dma_len;
};

/**
 * struct vhca_sim_rss - the RSS table of an addressed UD QP (SET_RSS)
 * @rcu: freed after the receive engine's lockless readers
 * @fields: VHCA_RSS_F_*
 * @log_size: log2 of the entries in @tbl, 1..VHCA_SIM_LOG_MAX_RSS_TBL
 * @key: the Toeplitz key
 * @tbl: RQ-only QPs; every entry is counted in its QP's rss_users, so
 *	it outlives the table
 *
 * Immutable once published in &vhca_sim_qp.rss; SET_RSS replaces it.
 */
struct vhca_sim_rss {
	struct rcu_head rcu;
	u8 fields;
	u8 log_size;
	u8 key[VHCA_RSS_KEY_LEN];
	struct vhca_sim_qp *tbl[];
};

/**
 * struct vhca_sim_qp_ofld - UD offload counters of a QP (under qp->lock)
 * @tx_csum: WQEs with VHCA_WQE_F_CSUM whose checksums were filled
 * @tx_csum_bad: WQEs with VHCA_WQE_F_CSUM that were not IP or were
 *	malformed: sent as they were
 * @tx_lso: LSO WQEs executed
 * @tx_lso_pkts: datagrams they became
 * @rx_csum_ok: receives completed with VHCA_CQE_F_L4_OK
 * @rx_csum_bad: IP receives whose IPv4 header or TCP/UDP checksum did not
 *	verify, or that were malformed
 * @rx_rss: receives this RQ-only QP took through an RSS table
 */
struct vhca_sim_qp_ofld {
	u64 tx_csum;
	u64 tx_csum_bad;
	u64 tx_lso;
	u64 tx_lso_pkts;
	u64 rx_csum_ok;
	u64 rx_csum_bad;
	u64 rx_rss;
};

/**
 * struct vhca_sim_qp - a queue pair
 * @rcu: freed after lockless readers
 * @sdev: the device
 * @qpn: device QPN (the wire QPN except for SMI/GSI, which are 0/1)
 * @type: VHCA_QPT_*
 * @flags: VHCA_QP_F_*
 * @pd: its PD
 * @uar: UAR
 * @scq: send CQ
 * @rcq: receive CQ
 * @srq: SRQ or NULL
 * @log_sq_size: log2 of the SQ WQEBBs (0: no SQ)
 * @log_rq_size: log2 of the RQ WQEs
 * @log_rq_stride: RQ WQE size is 16 << it
 * @sq: SQ ring window
 * @rq: RQ ring window
 * @dbr: doorbell record window
 * @ref: lookups in flight; the creator's reference is dropped by
 *	DESTROY_QP, which then waits for @free_done
 * @free_done: completed when @ref drops to zero
 * @lock: protects @state, @attr, @port, @req, @resp and @rq_ci (BH-safe:
 *	the retransmit timer runs in softirq context)
 * @state: VHCA_QPS_*
 * @attr: attributes as last modified (CPU order copy of the command's)
 * @port: port number (1-based) once set; fixed for SMI/GSI
 * @rq_ci: RQ WQEs consumed
 * @req: requester state
 * @resp: responder state
 * @work: the send engine: one work item per QP, so it never runs twice
 *	at once
 * @mcgs: multicast groups attached (for DESTROY_QP)
 * @bad_doorbells: SQ doorbells refused (wrong UAR, counter past the ring)
 * @rss: an addressed UD QP's RSS table, or NULL (written under
 *	cmd.mutex, read by the receive engine under RCU)
 * @rss_users: RQ-only QPs: entries of RSS tables naming it (cmd.mutex);
 *	DESTROY_QP refuses while non-zero
 * @ofld: offload counters (qp->lock)
 */
struct vhca_sim_qp {
	struct rcu_head rcu;
	struct vhca_sim_dev *sdev;
	u32 qpn;
	u8 type;
	u8 flags;
	struct vhca_sim_pd *pd;
	u32 uar;
	struct vhca_sim_cq *scq;
	struct vhca_sim_cq *rcq;
	struct vhca_sim_srq *srq;
	u8 log_sq_size;
	u8 log_rq_size;
	u8 log_rq_stride;
	struct vhca_sim_dma_win sq;
	struct vhca_sim_dma_win rq;
	struct vhca_sim_dma_win dbr;
	refcount_t ref;
	struct completion free_done;

	spinlock_t lock;	/* see above */
	u8 state;
	struct vhca_sim_qp_attr_cpu {
		u32 qkey;
		u32 rq_psn;
		u32 sq_psn;
		u32 dest_qpn;
		u16 pkey_index;
		u8 path_mtu;
		u8 timeout;
		u8 retry_cnt;
		u8 rnr_retry;
		u8 min_rnr_timer;
		u8 access;
		u8 max_rd_atomic;
		u8 max_dest_rd_atomic;
		struct vhca_av av;
	} attr;
	u8 port;
	u32 rq_ci;
	struct vhca_sim_req req;
	struct vhca_sim_resp resp;
	struct work_struct work;
	struct list_head mcgs;
	u64 bad_doorbells;
	struct vhca_sim_rss __rcu *rss;
	unsigned int rss_users;
	struct vhca_sim_qp_ofld ofld;
};

/**
 * struct vhca_sim_res - a device's data-path object tables
 * @pds: PDN -> struct vhca_sim_pd (cmd.mutex)
 * @uars: allocated UAR indices (cmd.mutex)
 * @mkeys: key index -> struct vhca_sim_mkey (RCU readers)
 * @mtt_used: MTT entries in use, against VHCA_SIM_LOG_MAX_MTT
 * @cqs: CQN -> struct vhca_sim_cq (RCU readers)
 * @srqs: SRQN -> struct vhca_sim_srq (RCU readers)
 * @qps: QPN -> struct vhca_sim_qp (RCU readers)
 * @special: per port, the SMI (0) and GSI (1) QPs (RCU readers)
 * @mcg_lock: protects @mcgs (spinlock: read by the receive engine)
 * @mcgs: attached multicast groups (struct vhca_sim_mcg)
 * @num_mcgs: entries in @mcgs
 * @wq: the engines' workqueue (unbound; one work item per QP/port)
 * @uar_bad_doorbells: doorbells on unallocated UARs or bad offsets
 * @uar_users: per UAR, the CQs, SRQs and QPs naming it (cmd.mutex);
 *	DEALLOC_UAR refuses while non-zero
 * @next_qpn: where the cyclic QPN allocation continues (cmd.mutex)
 */
struct vhca_sim_res {
	struct xarray pds;
	unsigned long uars[BITS_TO_LONGS(1 << VHCA_MAX_LOG_UAR)];
	struct xarray mkeys;
	u32 mtt_used;
	struct xarray cqs;
	struct xarray srqs;
	struct xarray qps;
	struct vhca_sim_qp __rcu *special[VHCA_MAX_PORTS][2];
	spinlock_t mcg_lock;	/* mcgs */
	struct list_head mcgs;
	unsigned int num_mcgs;
	struct workqueue_struct *wq;
	atomic64_t uar_bad_doorbells;
	u16 uar_users[1 << VHCA_MAX_LOG_UAR];
	u32 next_qpn;
};

/**
 * struct vhca_sim_mcg - a multicast GID some QPs of a port attached to
 * @node: in &vhca_sim_res.mcgs
 * @gid: the MGID
 * @port: the port of the QPs
 * @num_qps: entries in @qpns
 * @qpns: attached QPNs
 */
struct vhca_sim_mcg {
	struct list_head node;
	u8 gid[16];
	u8 port;
	unsigned int num_qps;
	u32 qpns[VHCA_SIM_MAX_QP_PER_MCG];
};

/* res.c: tables, lifetime, lookups */
int vhca_sim_res_init(struct vhca_sim_dev *sdev);
void vhca_sim_res_uninit(struct vhca_sim_dev *sdev);
void vhca_sim_res_destroy_all(struct vhca_sim_dev *sdev);
unsigned int vhca_sim_res_count(struct vhca_sim_dev *sdev);
struct vhca_sim_qp *vhca_sim_qp_get(struct vhca_sim_dev *sdev, u32 qpn);
struct vhca_sim_qp *vhca_sim_qp_get_wire(struct vhca_sim_dev *sdev, u8 port,
					 u32 wire_qpn);
void vhca_sim_qp_put(struct vhca_sim_qp *qp);
u32 vhca_sim_qp_wire_qpn(const struct vhca_sim_qp *qp);
void vhca_sim_res_show(struct vhca_sim_dev *sdev, struct seq_file *m);
/* the destroy half of each DESTROY_* command, for destroy_all (cmd.mutex) */
void vhca_sim_pd_destroy(struct vhca_sim_dev *sdev, struct vhca_sim_pd *pd);
void vhca_sim_mkey_destroy(struct vhca_sim_dev *sdev,
			   struct vhca_sim_mkey *mkey);
void vhca_sim_cq_destroy(struct vhca_sim_dev *sdev, struct vhca_sim_cq *cq);
void vhca_sim_srq_destroy(struct vhca_sim_dev *sdev,
			  struct vhca_sim_srq *srq);
void vhca_sim_qp_destroy(struct vhca_sim_dev *sdev, struct vhca_sim_qp *qp);

/* eq.c: a completion event to the CQ's EQ (any context) */
int vhca_sim_eq_post_comp(struct vhca_sim_dev *sdev, u32 eqn, u32 cqn);

/* pd.c: PDs and UARs */
u8 vhca_sim_cmd_alloc_pd(struct vhca_sim_dev *sdev, const void *in,
			 void *out, u32 *synd);
u8 vhca_sim_cmd_dealloc_pd(struct vhca_sim_dev *sdev, const void *in,
			   void *out, u32 *synd);
u8 vhca_sim_cmd_alloc_uar(struct vhca_sim_dev *sdev, const void *in,
			  void *out, u32 *synd);
u8 vhca_sim_cmd_dealloc_uar(struct vhca_sim_dev *sdev, const void *in,
			    void *out, u32 *synd);
struct vhca_sim_pd *vhca_sim_pd_find(struct vhca_sim_dev *sdev, u32 pdn);
bool vhca_sim_uar_valid(struct vhca_sim_dev *sdev, u32 uar);
/* a doorbell register write inside the UAR area */
void vhca_sim_uar_write64(struct vhca_sim_dev *sdev, u32 offset, u64 val);

/* mkey.c: memory keys and DMA through them */
u8 vhca_sim_cmd_create_mkey(struct vhca_sim_dev *sdev, const void *in,
			    u32 in_len, void *out, u32 *synd);
u8 vhca_sim_cmd_query_mkey(struct vhca_sim_dev *sdev, const void *in,
			   void *out, u32 *synd);
u8 vhca_sim_cmd_destroy_mkey(struct vhca_sim_dev *sdev, const void *in,
			     void *out, u32 *synd);
/**
 * vhca_sim_mem_copy - move bytes between the device and memory named by a
 *	key, as a scatter/gather entry or an RDMA address does
 * @sdev: the device
 * @pd: the PD the access is made for (the QP's); the key must belong to
 *	it, and the reserved lkey needs a kernel PD
 * @key: lkey or rkey
 * @access: rights needed (VHCA_ACCESS_*; 0 for a local read)
 * @iova: address in the key's space
 * @buf: device-side buffer
 * @len: bytes
 * @to_mem: write @buf to memory (else read memory into @buf)
 *
 * Callable in any non-hardirq context; does not sleep.
 *
 * Return: VHCA_CQE_SYND_NONE, or VHCA_CQE_SYND_BAD_LKEY, _BAD_ACCESS,
 * _BAD_RANGE or _DMA.
 */
u8 vhca_sim_mem_copy(struct vhca_sim_dev *sdev, struct vhca_sim_pd *pd,
		     u32 key, u8 access, u64 iova, void *buf, u32 len,
		     bool to_mem);

/* cq.c */
u8 vhca_sim_cmd_create_cq(struct vhca_sim_dev *sdev, const void *in,
			  void *out, u32 *synd);
u8 vhca_sim_cmd_destroy_cq(struct vhca_sim_dev *sdev, const void *in,
			   void *out, u32 *synd);
u8 vhca_sim_cmd_query_cq(struct vhca_sim_dev *sdev, const void *in,
			 void *out, u32 *synd);
/**
 * vhca_sim_cq_post - write a CQE (owner bit set here) and raise the CQ's
 *	completion event if it is armed for it
 * @sdev: the device
 * @cq: the CQ
 * @cqe: the CQE, owner ignored
 *
 * Any non-hardirq context. Return: 0, or -ENOSPC on overrun (the CQ goes
 * to error and raises VHCA_EVENT_CQ_ERROR), -EFAULT if the ring is
 * unreachable.
 */
int vhca_sim_cq_post(struct vhca_sim_dev *sdev, struct vhca_sim_cq *cq,
		     const struct vhca_cqe *cqe);
void vhca_sim_cq_doorbell(struct vhca_sim_dev *sdev, u32 uar, u64 val);

/* srq.c */
u8 vhca_sim_cmd_create_srq(struct vhca_sim_dev *sdev, const void *in,
			   void *out, u32 *synd);
u8 vhca_sim_cmd_destroy_srq(struct vhca_sim_dev *sdev, const void *in,
			    void *out, u32 *synd);
u8 vhca_sim_cmd_query_srq(struct vhca_sim_dev *sdev, const void *in,
			  void *out, u32 *synd);
u8 vhca_sim_cmd_arm_srq(struct vhca_sim_dev *sdev, const void *in,
			void *out, u32 *synd);

/**
 * vhca_sim_recv_wqe_pop - take the next receive WQE of a QP (its RQ or
 *	its SRQ)
 * @qp: the QP
 * @sge: filled with the scatter list (big-endian, as in memory)
 * @nsge: entries filled (the list stops at VHCA_INVALID_LKEY)
 * @idx: the WQE's counter, for the CQE's wqe_counter
 *
 * The caller holds qp->lock (it protects the RQ's consumer counter); an
 * SRQ is consumed under its own lock, nested inside.
 *
 * Return: 0, -ENOBUFS if none is posted (RNR), -EFAULT if unreachable.
 */
int vhca_sim_recv_wqe_pop(struct vhca_sim_qp *qp, struct vhca_wqe_data *sge,
			  u8 *nsge, u16 *idx);

/* qp.c */
u8 vhca_sim_cmd_create_qp(struct vhca_sim_dev *sdev, const void *in,
			  void *out, u32 *synd);
u8 vhca_sim_cmd_destroy_qp(struct vhca_sim_dev *sdev, const void *in,
			   void *out, u32 *synd);
u8 vhca_sim_cmd_modify_qp(struct vhca_sim_dev *sdev, const void *in,
			  void *out, u32 *synd);
u8 vhca_sim_cmd_query_qp(struct vhca_sim_dev *sdev, const void *in,
			 void *out, u32 *synd);
/* the pure transition check, for KUnit: VHCA_SYND_NONE or why not */
u32 vhca_sim_qp_modify_check(u8 type, u8 cur, u8 next, u32 mask);
/* raise a VHCA_EVENT_QP EQE */
void vhca_sim_qp_event(struct vhca_sim_qp *qp, u8 sub_type);
/* move a QP to ERR from the data path (qp->lock held) */
void vhca_sim_qp_to_err(struct vhca_sim_qp *qp);

/* rss.c: SET_RSS and the tables it publishes */
u8 vhca_sim_cmd_set_rss(struct vhca_sim_dev *sdev, const void *in,
			void *out, u32 *synd);
void vhca_sim_rss_clear(struct vhca_sim_dev *sdev, struct vhca_sim_qp *qp);
int vhca_sim_rss_pick(struct vhca_sim_qp *qp, const u8 *buf, u32 len,
		      struct vhca_sim_qp **rq_qp, u32 *hash, u8 *type);
void vhca_sim_rss_show(struct vhca_sim_dev *sdev, struct vhca_sim_qp *qp,
		       struct seq_file *m);

/* mcg.c */
u8 vhca_sim_cmd_attach_mcg(struct vhca_sim_dev *sdev, const void *in,
			   void *out, u32 *synd);
u8 vhca_sim_cmd_detach_mcg(struct vhca_sim_dev *sdev, const void *in,
			   void *out, u32 *synd);
void vhca_sim_mcg_detach_qp(struct vhca_sim_qp *qp);
/**
 * vhca_sim_mcg_lookup - the QPs of a port attached to a multicast GID
 * @sdev: the device
 * @port: the port the packet arrived on
 * @gid: the packet's destination GID
 * @qps: filled with referenced QPs (vhca_sim_qp_put() each)
 * @max: room in @qps
 *
 * Return: QPs filled.
 */
unsigned int vhca_sim_mcg_lookup(struct vhca_sim_dev *sdev, u8 port,
				 const u8 *gid, struct vhca_sim_qp **qps,
				 unsigned int max);

/* mad_ifc.c: the port's SMA and PMA */
u8 vhca_sim_cmd_mad_ifc(struct vhca_sim_dev *sdev, const void *in,
			void *out, u32 *synd);

/* send.c: the send engine (requester) */
void vhca_sim_qp_engine_init(struct vhca_sim_qp *qp);
/* stop the engine for good: no work or timer runs after it returns */
void vhca_sim_qp_engine_stop(struct vhca_sim_qp *qp);
/* MODIFY_QP moved @qp from @cur to @next (qp->lock held): reset, start,
 * or flush (ERR) as the new state needs
 */
void vhca_sim_qp_engine_modify(struct vhca_sim_qp *qp, u8 cur, u8 next);
void vhca_sim_sq_doorbell(struct vhca_sim_dev *sdev, u32 uar, u64 val);
void vhca_sim_sq_stall(struct vhca_sim_dev *sdev, bool stall);
/* a packet for the requester side of an RC QP (ACK, NAK, READ response) */
struct vhca_pkt;
struct vhca_pkt_info;
void vhca_sim_req_rx(struct vhca_sim_qp *qp, const struct vhca_pkt_info *pi);

#endif /* _VHCA_SIM_RES_H */
