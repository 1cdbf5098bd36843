/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * libvhca: the rdma-core provider of vhca HCAs. Internal declarations
 * shared by its files.
 *
 * Objects wrap the libibverbs object they extend (first member) so the
 * ops can convert with a cast. Locking: each CQ has a spinlock held while
 * polling and arming; each work queue (SQ, RQ, SRQ) a spinlock held while
 * posting. A QP's SQ/RQ tail counters are advanced by poll_cq under the
 * CQ lock and read by posters (atomics). The context's QP table is
 * written under its mutex with the QP's CQ locks held, so a poller that
 * holds its CQ lock sees a stable entry for every QP of that CQ.
 */
#ifndef VHCA_PROVIDER_H
#define VHCA_PROVIDER_H

#include <endian.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "abi34.h"
#include "hw.h"
#include "../../../include/uapi/rdma/vhca-abi.h"

/* the kernel ABI range this provider speaks */
#define VHCA_ABI_MIN	VHCA_UVERBS_ABI_VERSION
#define VHCA_ABI_MAX	VHCA_UVERBS_ABI_VERSION

#define VHCA_QP_TABLE_SHIFT	12
#define VHCA_QP_TABLE_SIZE	(1U << (24 - VHCA_QP_TABLE_SHIFT))
#define VHCA_QP_TABLE_MASK	((1U << VHCA_QP_TABLE_SHIFT) - 1)

struct vhca_qp;

struct vhca_device {
	struct vhca_verbs_device vdev;
};

/**
 * struct vhca_context - a device context (one open of the device)
 * @ibv_ctx: libibverbs' part; must stay where the offset given to
 *	_verbs_init_and_alloc_context() says
 * @uctx: what the kernel said about the device and the ABI
 * @page_size: the system page size
 * @qp_table: device QPN -> QP, two levels (QPNs are 24 bits)
 * @qp_table_mutex: serializes writers of @qp_table
 * @debug: VHCA_DEBUG is set: say why a verb failed (stderr)
 */
struct vhca_context {
	struct verbs_context ibv_ctx;
	struct vhca_alloc_ucontext_resp uctx;
	long page_size;
	struct vhca_qp **qp_table[VHCA_QP_TABLE_SIZE];
	pthread_mutex_t qp_table_mutex;
	int debug;
};

struct vhca_pd {
	struct ibv_pd ibv_pd;
};

struct vhca_ah {
	struct ibv_ah ibv_ah;
	uint8_t av[VHCA_HW_AV_SIZE];
};

/**
 * struct vhca_cq - a completion queue
 * @vcq: libibverbs' part
 * @lock: serializes poll_cq and arming
 * @buf: the mapping (ring at offset 0)
 * @map_size: its size
 * @ring: 1 << @log_size CQEs
 * @dbr: doorbell record: the consumer index
 * @log_size: log2 of the CQE count
 * @cqn: the device's CQ number
 * @ci: consumer index (CQEs polled), under @lock
 */
struct vhca_cq {
	struct vhca_verbs_cq vcq;
	pthread_spinlock_t lock;
	void *buf;
	size_t map_size;
	struct vhca_cqe *ring;
	vhca_be32 *dbr;
	uint32_t log_size;
	uint32_t cqn;
	uint32_t ci;
};

/**
 * struct vhca_wq - a send or receive queue (or an SRQ's ring)
 * @buf: the ring in the QP's mapping
 * @cnt: entries (WQEBBs for the SQ, WQEs otherwise), a power of two
 * @stride: bytes per entry
 * @max_gs: gather/scatter entries one WQE may carry
 * @head: producer counter, under @lock
 * @tail: consumer counter, advanced by poll_cq
 * @wrid: wr_id per entry index (SQ: first WQEBB of a WQE)
 * @wqe_bbs: SQ: WQEBBs of the WQE at each index
 * @invalid_lkey: receive queues: the lkey that ends a scatter list
 * @lock: serializes posting
 */
struct vhca_wq {
	void *buf;
	uint32_t cnt;
	uint32_t stride;
	uint32_t max_gs;
	uint32_t head;
	_Atomic uint32_t tail;
	uint64_t *wrid;
	uint8_t *wqe_bbs;
	uint32_t invalid_lkey;
	pthread_spinlock_t lock;
};

/**
 * struct vhca_srq - a shared receive queue
 * @vsrq: libibverbs' part (room for struct verbs_srq)
 * @wq: the ring; @wq.tail is unused, see @done
 * @buf: the mapping
 * @map_size: its size
 * @dbr: doorbell record: the producer counter
 * @srqn: the device's SRQ number
 * @done: WQEs completed; the device consumes them in ring order
 */
struct vhca_srq {
	union {
		struct ibv_srq ibv_srq;
		uint8_t verbs_srq_room[256];
	};
	struct vhca_wq wq;
	void *buf;
	size_t map_size;
	vhca_be32 *dbr;
	uint32_t srqn;
	_Atomic uint32_t done;
};

/**
 * struct vhca_qp - a queue pair
 * @vqp: libibverbs' part
 * @buf: the mapping (rings and doorbell record)
 * @map_size: its size
 * @sq: send queue (WQEBBs)
 * @rq: receive queue, unused with an SRQ
 * @dbr: doorbell record, [VHCA_DBR_RECV] and [VHCA_DBR_SEND]
 * @qpn: the device QPN (WQEs and CQEs carry it)
 * @max_inline: inline bytes one send WQE may carry
 * @sig_all: every send WQE is signaled
 * @datagram: UD: send WQEs carry a datagram segment
 * @state: the state of the last successful modify_qp (posters read it;
 *	the device may have moved to ERR on its own since)
 */
struct vhca_qp {
	struct vhca_verbs_qp vqp;
	void *buf;
	size_t map_size;
	struct vhca_wq sq;
	struct vhca_wq rq;
	vhca_be32 *dbr;
	uint32_t qpn;
	uint32_t max_inline;
	int sig_all;
	int datagram;
	_Atomic int state;
};

static inline struct vhca_context *to_vctx(struct ibv_context *ibctx)
{
	return (struct vhca_context *)((char *)ibctx -
				       offsetof(struct vhca_context,
						ibv_ctx.context));
}

static inline struct vhca_cq *to_vcq(struct ibv_cq *ibcq)
{
	return (struct vhca_cq *)ibcq;
}

static inline struct vhca_qp *to_vqp(struct ibv_qp *ibqp)
{
	return (struct vhca_qp *)ibqp;
}

static inline struct vhca_srq *to_vsrq(struct ibv_srq *ibsrq)
{
	return (struct vhca_srq *)ibsrq;
}

static inline struct vhca_ah *to_vah(struct ibv_ah *ibah)
{
	return (struct vhca_ah *)ibah;
}

/* memory ordering towards the device (the kernel's model on another CPU) */
static inline void vhca_store_release_be32(vhca_be32 *p, uint32_t v)
{
	__atomic_store_n(p, htobe32(v), __ATOMIC_RELEASE);
}

static inline int vhca_is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

/* vhca.c */
void vhca_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vhca_dbg(const struct vhca_context *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int vhca_map(struct vhca_context *ctx, uint64_t offset, uint32_t size,
	     void **buf);
int vhca_doorbell_sq(struct vhca_qp *qp, uint32_t pi);
int vhca_doorbell_cq_arm(struct vhca_cq *cq, uint32_t cmd, uint32_t ci);

/* cq.c */
struct ibv_cq *vhca_create_cq(struct ibv_context *ibctx, int cqe,
			      struct ibv_comp_channel *channel,
			      int comp_vector);
int vhca_destroy_cq(struct ibv_cq *ibcq);
int vhca_poll_cq(struct ibv_cq *ibcq, int num, struct ibv_wc *wc);
int vhca_req_notify_cq(struct ibv_cq *ibcq, int solicited_only);
void vhca_cq_clean(struct vhca_cq *cq, struct vhca_qp *qp);

/* qp.c */
struct ibv_qp *vhca_create_qp(struct ibv_pd *pd,
			      struct ibv_qp_init_attr *attr);
int vhca_modify_qp(struct ibv_qp *ibqp, struct ibv_qp_attr *attr, int mask);
int vhca_query_qp(struct ibv_qp *ibqp, struct ibv_qp_attr *attr, int mask,
		  struct ibv_qp_init_attr *init);
int vhca_destroy_qp(struct ibv_qp *ibqp);
struct vhca_qp *vhca_find_qp(struct vhca_context *ctx, uint32_t qpn);
int vhca_wq_init(struct vhca_context *ctx, struct vhca_wq *wq, void *buf,
		 uint32_t cnt, uint32_t stride, uint32_t max_gs, int sq);
void vhca_wq_free(struct vhca_wq *wq);
int vhca_attach_mcast(struct ibv_qp *ibqp, const union ibv_gid *gid,
		      uint16_t lid);
int vhca_detach_mcast(struct ibv_qp *ibqp, const union ibv_gid *gid,
		      uint16_t lid);

/* wr.c */
int vhca_post_send(struct ibv_qp *ibqp, struct ibv_send_wr *wr,
		   struct ibv_send_wr **bad_wr);
int vhca_post_recv(struct ibv_qp *ibqp, struct ibv_recv_wr *wr,
		   struct ibv_recv_wr **bad_wr);
int vhca_post_srq_recv(struct ibv_srq *ibsrq, struct ibv_recv_wr *wr,
		       struct ibv_recv_wr **bad_wr);
void vhca_recv_wqe_write(struct vhca_wq *wq, uint32_t idx,
			 const struct ibv_recv_wr *wr);

/* srq.c */
struct ibv_srq *vhca_create_srq(struct ibv_pd *pd,
				struct ibv_srq_init_attr *attr);
int vhca_modify_srq(struct ibv_srq *ibsrq, struct ibv_srq_attr *attr,
		    int mask);
int vhca_query_srq(struct ibv_srq *ibsrq, struct ibv_srq_attr *attr);
int vhca_destroy_srq(struct ibv_srq *ibsrq);

#endif /* VHCA_PROVIDER_H */
