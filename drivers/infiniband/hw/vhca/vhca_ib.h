/* SPDX-License-Identifier: GPL-2.0 */
/* vhca_ib internals shared between its files. */
#ifndef _VHCA_IB_H
#define _VHCA_IB_H

#include <linux/atomic.h>
#include <linux/dmapool.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/spinlock.h>
#include <linux/vhca/driver.h>
#include <linux/xarray.h>
#include <rdma/ib_verbs.h>
#include <rdma/uverbs_ioctl.h>
#include <uapi/rdma/vhca-abi.h>

/* counter slots of the port events vhca_ib passes on */
enum vhca_ib_port_ev {
	VHCA_IB_EV_PORT_ACTIVE,
	VHCA_IB_EV_PORT_ERR,
	VHCA_IB_EV_LID_CHANGE,
	VHCA_IB_EV_PKEY_CHANGE,
	VHCA_IB_EV_GID_CHANGE,
	VHCA_IB_EV_SM_CHANGE,
	VHCA_IB_EV_CLIENT_REREGISTER,
	VHCA_IB_EV_NUM,
};

/* data-path counters of one device (debugfs "stats") */
enum vhca_ib_stat {
	VHCA_IB_ST_POST_SEND_ERR,	/* post_send refused a WR */
	VHCA_IB_ST_POST_RECV_ERR,	/* post_recv/post_srq_recv refused */
	VHCA_IB_ST_COMP_EVENTS,		/* completion events handed on */
	VHCA_IB_ST_COMP_UNKNOWN_CQ,	/* completion event for no CQ */
	VHCA_IB_ST_CQE_UNKNOWN_QP,	/* CQE of a destroyed/unknown QP */
	VHCA_IB_ST_CQE_BAD,		/* CQE the driver cannot read */
	VHCA_IB_ST_EV_COMM_EST,
	VHCA_IB_ST_EV_LAST_WQE,
	VHCA_IB_ST_EV_SQ_DRAINED,
	VHCA_IB_ST_EV_QP_FATAL,
	VHCA_IB_ST_EV_CQ_ERR,		/* CQ overruns reported */
	VHCA_IB_ST_EV_SRQ_LIMIT,
	VHCA_IB_ST_EV_UNKNOWN_OBJ,	/* object event for no object */
	VHCA_IB_ST_U_BAD_UDATA,		/* udata request refused */
	VHCA_IB_ST_U_BAD_ATTR,		/* user object attribute refused */
	VHCA_IB_ST_U_BAD_MR,		/* user MR refused (access, size) */
	VHCA_IB_ST_U_MR_BOUNCE,		/* user MR refused: DMA bounces */
	VHCA_IB_ST_U_BAD_MMAP,		/* mmap of no/another object */
	VHCA_IB_ST_U_BAD_DOORBELL,	/* doorbell method refused */
	VHCA_IB_ST_U_DOORBELLS,		/* doorbells rung for processes */
	VHCA_IB_ST_NUM,
};

struct vhca_ib_dev;

/**
 * struct vhca_ib_comp - the CQ layer's consumer of one completion EQ
 * @comp: attached to the EQ from probe to remove
 * @dev: the device
 */
struct vhca_ib_comp {
	struct vhca_eq_comp comp;
	struct vhca_ib_dev *dev;
};

/**
 * struct vhca_ib_dev - the ib_device of one vhca device
 * @ibdev: the ib_device (first: ib_alloc_device() needs it there)
 * @cdev: the core device; valid while the auxiliary device is bound
 * @event_nb: the core's event notifier, registered while @ibdev is
 * @port_events: events dispatched to ib_core, per port and kind
 * @fatal_events: IB_EVENT_DEVICE_FATAL dispatched
 * @bad_events: events naming a port or change vhca_ib does not know,
 *	counted and dropped
 * @stats: data-path counters (enum vhca_ib_stat)
 * @ddir: debugfs directory, vhca_ib/<bus device>/
 * @uar: the kernel UAR every CQ, QP and SRQ rings its doorbells through
 * @dbr_pool: doorbell records (VHCA_DBR_SIZE bytes each)
 * @comps: one consumer per completion EQ, @num_comps of them
 * @num_comps: entries in @comps
 * @cqs: CQN -> struct vhca_ib_cq; RCU readers (EQ interrupt handlers)
 * @qps: device QPN -> struct vhca_ib_qp; RCU readers (event notifier,
 *	poll_cq under the CQ's lock)
 * @srqs: SRQN -> struct vhca_ib_srq; RCU readers (event notifier)
 * @mkey_variant: low byte of the next memory key
 *
 * The counters are atomic: the notifier and pollers may run in an
 * interrupt. The xarrays take their own lock for writers; destroy paths
 * erase, then wait for readers (synchronize_rcu(), or the CQ lock for
 * pollers) before freeing.
 */
struct vhca_ib_dev {
	struct ib_device ibdev;
	struct vhca_core_dev *cdev;
	struct notifier_block event_nb;
	atomic_t port_events[VHCA_MAX_PORTS][VHCA_IB_EV_NUM];
	atomic_t fatal_events;
	atomic_t bad_events;
	atomic64_t stats[VHCA_IB_ST_NUM];
	struct dentry *ddir;
	u32 uar;
	struct dma_pool *dbr_pool;
	struct vhca_ib_comp *comps;
	unsigned int num_comps;
	struct xarray cqs;
	struct xarray qps;
	struct xarray srqs;
	atomic_t mkey_variant;
};

static inline struct vhca_ib_dev *to_vhca_ib_dev(struct ib_device *ibdev)
{
	return container_of(ibdev, struct vhca_ib_dev, ibdev);
}

static inline void vhca_ib_count(struct vhca_ib_dev *dev, enum vhca_ib_stat s)
{
	atomic64_inc(&dev->stats[s]);
}

/**
 * struct vhca_ib_ucontext - a process's context (an open uverbs device)
 * @ibuc: the ib_ucontext
 * @uar: the context's own UAR: its CQs, QPs and SRQs name it, and the
 *	doorbell methods ring through it, so the device refuses a doorbell
 *	for another context's object
 */
struct vhca_ib_ucontext {
	struct ib_ucontext ibuc;
	u32 uar;
};

static inline struct vhca_ib_ucontext *
to_vhca_ib_ucontext(struct ib_ucontext *ibuc)
{
	return container_of(ibuc, struct vhca_ib_ucontext, ibuc);
}

/**
 * struct vhca_ib_ubuf - DMA-coherent memory of a user object (rings and
 *	doorbell record), mapped into the process
 * @rdma_entry: the mmap entry; once inserted, it owns the memory
 * @uctx: the context of the object (the only one that may map it)
 * @dma_dev: the device the memory was allocated for
 * @cpu: kernel address
 * @dma: DMA address the device uses
 * @size: bytes, a page multiple (the mmap size)
 * @inserted: @rdma_entry is in the context's mmap table
 *
 * The memory is freed by .mmap_free once the object dropped the entry
 * (vhca_ib_ubuf_release()) and the last mapping of it is gone, so a
 * process can never reach freed pages; the device stops using it when
 * the object is destroyed, before the release.
 */
struct vhca_ib_ubuf {
	struct rdma_user_mmap_entry rdma_entry;
	struct vhca_ib_ucontext *uctx;
	struct device *dma_dev;
	void *cpu;
	dma_addr_t dma;
	size_t size;
	bool inserted;
};

/**
 * struct vhca_ib_pd - a protection domain
 * @ibpd: the ib_pd
 * @pdn: the device's PD number
 */
struct vhca_ib_pd {
	struct ib_pd ibpd;
	u32 pdn;
};

static inline struct vhca_ib_pd *to_vhca_ib_pd(struct ib_pd *ibpd)
{
	return container_of(ibpd, struct vhca_ib_pd, ibpd);
}

/**
 * struct vhca_ib_mr - a memory region (a memory key)
 * @ibmr: the ib_mr
 * @umem: user memory pinned for it, or NULL (DMA MR)
 */
struct vhca_ib_mr {
	struct ib_mr ibmr;
	struct ib_umem *umem;
};

static inline struct vhca_ib_mr *to_vhca_ib_mr(struct ib_mr *ibmr)
{
	return container_of(ibmr, struct vhca_ib_mr, ibmr);
}

/*
 * Address handles are struct vhca_ah (include/linux/vhca/driver.h): the
 * device's address vector, which vhca_core's enhanced IPoIB copies into
 * its TX handles in rn->send.
 */

/**
 * struct vhca_ib_cq - a completion queue
 * @ibcq: the ib_cq
 * @ring: 1 << @log_size CQEs, DMA-coherent
 * @ring_dma: its DMA address
 * @dbr: doorbell record: dbr[0] is the consumer index
 * @dbr_dma: its DMA address
 * @log_size: log2 of the CQE count
 * @cqn: the device's CQ number
 * @lock: serializes poll_cq and req_notify_cq (irqsave: ULPs poll from
 *	interrupts); a QP being destroyed takes it once to wait out pollers
 *	that still use it
 * @ci: consumer index (CQEs polled), under @lock; kernel CQs only
 * @ubuf: a user CQ's memory (ring, then record), NULL for kernel CQs. A
 *	user CQ's ring is polled by the process, never by the driver.
 */
struct vhca_ib_cq {
	struct ib_cq ibcq;
	struct vhca_cqe *ring;
	dma_addr_t ring_dma;
	__be32 *dbr;
	dma_addr_t dbr_dma;
	u8 log_size;
	u32 cqn;
	spinlock_t lock;	/* see above */
	u32 ci;
	struct vhca_ib_ubuf *ubuf;
};

static inline struct vhca_ib_cq *to_vhca_ib_cq(struct ib_cq *ibcq)
{
	return container_of(ibcq, struct vhca_ib_cq, ibcq);
}

/**
 * struct vhca_ib_wq - a send or receive work queue of a QP (or an SRQ)
 * @buf: the ring, DMA-coherent, page aligned
 * @dma: its DMA address
 * @size: ring bytes
 * @cnt: entries: WQEBBs (SQ) or WQEs (RQ, SRQ); a power of two
 * @stride: bytes per entry
 * @max_gs: scatter/gather entries a WQE may have
 * @max_post: WRs the ULP was promised room for
 * @head: producer counter (entries posted), under the queue's lock
 * @tail: consumer counter (entries completed), written by poll_cq under
 *	the CQ lock and read by the poster (READ_ONCE)
 * @wrid: wr_id per entry index (SQ: first WQEBB of a WQE)
 * @wqe_bbs: SQ only: WQEBBs of the WQE at each index
 * @lock: serializes posting (irqsave: ULPs post from interrupts)
 */
struct vhca_ib_wq {
	void *buf;
	dma_addr_t dma;
	size_t size;
	u32 cnt;
	u32 stride;
	u32 max_gs;
	u32 max_post;
	u32 head;
	u32 tail;
	u64 *wrid;
	u8 *wqe_bbs;
	spinlock_t lock;	/* see above */
};

/**
 * struct vhca_ib_srq - a shared receive queue
 * @ibsrq: the ib_srq
 * @wq: the WQE ring; @wq.tail is unused, see @done
 * @dbr: doorbell record: dbr[0] is the producer counter
 * @dbr_dma: its DMA address
 * @srqn: the device's SRQ number
 * @done: WQEs completed; the device consumes WQEs in ring order, so
 *	@wq.head - @done WQEs are in use. Atomic: CQs polled under
 *	different locks complete WQEs of one SRQ.
 * @ubuf: a user SRQ's memory (ring, then record), NULL for kernel SRQs;
 *	@wq then points into it and has no wr_id array
 */
struct vhca_ib_srq {
	struct ib_srq ibsrq;
	struct vhca_ib_wq wq;
	__be32 *dbr;
	dma_addr_t dbr_dma;
	u32 srqn;
	atomic_t done;
	struct vhca_ib_ubuf *ubuf;
};

static inline struct vhca_ib_srq *to_vhca_ib_srq(struct ib_srq *ibsrq)
{
	return container_of(ibsrq, struct vhca_ib_srq, ibsrq);
}

/**
 * struct vhca_ib_qp - a queue pair
 * @ibqp: the ib_qp; qp_num is the wire QPN (0/1 for SMI/GSI)
 * @dev: the device
 * @qpn: the device's QPN (CQEs and doorbells name it)
 * @type: VHCA_QPT_*
 * @sq: send queue (WQEBBs)
 * @rq: receive queue; unused with an SRQ
 * @dbr: doorbell record (VHCA_DBR_RECV, VHCA_DBR_SEND)
 * @dbr_dma: its DMA address
 * @max_inline: inline bytes a send WQE may carry
 * @sig_all: every send WQE is signaled (IB_SIGNAL_ALL_WR)
 * @create_flags: as created, for query_qp
 * @mutex: serializes modify_qp and query_qp
 * @state: last state the driver moved to or read (READ_ONCE from post);
 *	the device may have moved to ERR on its own since
 * @port: the port, once known (GSI/SMI: from creation)
 * @ubuf: a user QP's memory (SQ, RQ, record), NULL for kernel QPs; @sq
 *	and @rq then point into it and have no wr_id arrays
 * @sq_bbs: user QPs: WQEBBs of the largest WQE the SQ was sized for
 * @sq_db_pi: user QPs: the SQ producer counter last rung, under @sq.lock
 */
struct vhca_ib_qp {
	struct ib_qp ibqp;
	struct vhca_ib_dev *dev;
	u32 qpn;
	u8 type;
	struct vhca_ib_wq sq;
	struct vhca_ib_wq rq;
	__be32 *dbr;
	dma_addr_t dbr_dma;
	u32 max_inline;
	bool sig_all;
	u32 create_flags;
	struct mutex mutex;	/* see above */
	u8 state;
	u8 port;
	struct vhca_ib_ubuf *ubuf;
	u32 sq_bbs;
	u16 sq_db_pi;
};

static inline struct vhca_ib_qp *to_vhca_ib_qp(struct ib_qp *ibqp)
{
	return container_of(ibqp, struct vhca_ib_qp, ibqp);
}

/* port.c */
int vhca_ib_query_port(struct ib_device *ibdev, u32 port,
		       struct ib_port_attr *props);
int vhca_ib_query_pkey(struct ib_device *ibdev, u32 port, u16 index,
		       u16 *pkey);
int vhca_ib_query_gid(struct ib_device *ibdev, u32 port, int index,
		      union ib_gid *gid);
int vhca_ib_get_port_immutable(struct ib_device *ibdev, u32 port,
			       struct ib_port_immutable *immutable);
int vhca_ib_modify_port(struct ib_device *ibdev, u32 port, int mask,
			struct ib_port_modify *props);
int vhca_ib_event(struct notifier_block *nb, unsigned long type, void *data);
void vhca_ib_port_debugfs_init(struct vhca_ib_dev *dev, struct dentry *parent);

/* counters.c */
struct rdma_hw_stats *vhca_ib_alloc_hw_device_stats(struct ib_device *ibdev);
struct rdma_hw_stats *vhca_ib_alloc_hw_port_stats(struct ib_device *ibdev,
						  u32 port);
int vhca_ib_get_hw_stats(struct ib_device *ibdev, struct rdma_hw_stats *stats,
			 u32 port, int index);
void vhca_ib_counters_debugfs_init(struct vhca_ib_dev *dev,
				   struct dentry *parent);

/* pd.c: PDs, memory keys, address handles, the UAR */
int vhca_ib_alloc_pd(struct ib_pd *ibpd, struct ib_udata *udata);
int vhca_ib_dealloc_pd(struct ib_pd *ibpd, struct ib_udata *udata);
struct ib_mr *vhca_ib_get_dma_mr(struct ib_pd *ibpd, int access);
struct ib_mr *vhca_ib_reg_user_mr(struct ib_pd *ibpd, u64 start, u64 length,
				  u64 virt, int access, struct ib_udata *udata);
int vhca_ib_dereg_mr(struct ib_mr *ibmr, struct ib_udata *udata);
int vhca_ib_create_ah(struct ib_ah *ibah, struct rdma_ah_init_attr *init,
		      struct ib_udata *udata);
int vhca_ib_query_ah(struct ib_ah *ibah, struct rdma_ah_attr *attr);
int vhca_ib_destroy_ah(struct ib_ah *ibah, u32 flags);
void vhca_ib_av_from_ah_attr(struct vhca_av *av,
			     const struct rdma_ah_attr *attr);
void vhca_ib_av_to_ah_attr(struct ib_device *ibdev, struct rdma_ah_attr *attr,
			   const struct vhca_av *av, u8 port);
u8 vhca_ib_access(int ib_access);
int vhca_ib_uar_alloc(struct vhca_ib_dev *dev);
void vhca_ib_uar_free(struct vhca_ib_dev *dev);
int vhca_ib_destroy_obj(struct vhca_ib_dev *dev, u16 opcode, u32 num);
int vhca_ib_alloc_obj(struct vhca_ib_dev *dev, u16 opcode, u16 op_mod,
		      u32 *num);

/* cq.c */
int vhca_ib_create_cq(struct ib_cq *ibcq, const struct ib_cq_init_attr *attr,
		      struct ib_udata *udata);
int vhca_ib_destroy_cq(struct ib_cq *ibcq, struct ib_udata *udata);
int vhca_ib_poll_cq(struct ib_cq *ibcq, int num, struct ib_wc *wc);
int vhca_ib_req_notify_cq(struct ib_cq *ibcq, enum ib_cq_notify_flags flags);
int vhca_ib_comp_init(struct vhca_ib_dev *dev);
void vhca_ib_comp_cleanup(struct vhca_ib_dev *dev);
void vhca_ib_cq_event(struct vhca_ib_dev *dev, u32 cqn);
void vhca_ib_cq_clean(struct vhca_ib_cq *cq, struct vhca_ib_qp *qp);

/* qp.c */
int vhca_ib_create_qp(struct ib_qp *ibqp, struct ib_qp_init_attr *init,
		      struct ib_udata *udata);
int vhca_ib_modify_qp(struct ib_qp *ibqp, struct ib_qp_attr *attr,
		      int mask, struct ib_udata *udata);
int vhca_ib_query_qp(struct ib_qp *ibqp, struct ib_qp_attr *attr, int mask,
		     struct ib_qp_init_attr *init);
int vhca_ib_destroy_qp(struct ib_qp *ibqp, struct ib_udata *udata);
int vhca_ib_attach_mcast(struct ib_qp *ibqp, union ib_gid *gid, u16 lid);
int vhca_ib_detach_mcast(struct ib_qp *ibqp, union ib_gid *gid, u16 lid);
void vhca_ib_qp_event(struct vhca_ib_dev *dev, u32 qpn, u8 sub_type);
int vhca_ib_wq_alloc(struct vhca_ib_dev *dev, struct vhca_ib_wq *wq,
		     u32 cnt, u32 stride, bool sq);
void vhca_ib_wq_free(struct vhca_ib_dev *dev, struct vhca_ib_wq *wq);

/* wr.c */
int vhca_ib_post_send(struct ib_qp *ibqp, const struct ib_send_wr *wr,
		      const struct ib_send_wr **bad_wr);
int vhca_ib_post_recv(struct ib_qp *ibqp, const struct ib_recv_wr *wr,
		      const struct ib_recv_wr **bad_wr);
void vhca_ib_recv_wqe_write(struct vhca_ib_wq *wq, u32 idx,
			    const struct ib_recv_wr *wr);
u32 vhca_ib_send_wqe_max_size(u8 type, u32 max_sge, u32 max_inline);

/* srq.c */
int vhca_ib_create_srq(struct ib_srq *ibsrq, struct ib_srq_init_attr *init,
		       struct ib_udata *udata);
int vhca_ib_modify_srq(struct ib_srq *ibsrq, struct ib_srq_attr *attr,
		       enum ib_srq_attr_mask mask, struct ib_udata *udata);
int vhca_ib_query_srq(struct ib_srq *ibsrq, struct ib_srq_attr *attr);
int vhca_ib_destroy_srq(struct ib_srq *ibsrq, struct ib_udata *udata);
int vhca_ib_post_srq_recv(struct ib_srq *ibsrq, const struct ib_recv_wr *wr,
			  const struct ib_recv_wr **bad_wr);
void vhca_ib_srq_event(struct vhca_ib_dev *dev, u32 srqn);

/* uverbs.c: user contexts, mmap, doorbell methods */
int vhca_ib_alloc_ucontext(struct ib_ucontext *ibuc, struct ib_udata *udata);
void vhca_ib_dealloc_ucontext(struct ib_ucontext *ibuc);
int vhca_ib_mmap(struct ib_ucontext *ibuc, struct vm_area_struct *vma);
void vhca_ib_mmap_free(struct rdma_user_mmap_entry *rdma_entry);
struct vhca_ib_ubuf *vhca_ib_ubuf_alloc(struct vhca_ib_ucontext *uctx,
					size_t size);
int vhca_ib_ubuf_insert(struct vhca_ib_ubuf *buf, u64 *offset);
void vhca_ib_ubuf_release(struct vhca_ib_ubuf *buf);
u32 vhca_ib_ubuf_uar(const struct vhca_ib_ubuf *buf);
int vhca_ib_udata_cmd(struct vhca_ib_dev *dev, struct ib_udata *udata,
		      void *cmd, size_t size);
int vhca_ib_udata_resp(struct ib_udata *udata, void *resp, size_t size);
extern const struct uapi_definition vhca_ib_uapi_defs[];

/* mad.c */
int vhca_ib_process_mad(struct ib_device *ibdev, int mad_flags, u32 port,
			const struct ib_wc *in_wc, const struct ib_grh *in_grh,
			const struct ib_mad *in, struct ib_mad *out,
			size_t *out_mad_size, u16 *out_mad_pkey_index);

#endif /* _VHCA_IB_H */
