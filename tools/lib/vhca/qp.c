// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Queue pairs (RC, UC, UD): the kernel creates the QP in the device with
 * rings and a doorbell record it maps into the process; state changes
 * and queries are uverbs commands. The context's QP table finds a QP from
 * the device QPN a CQE names.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "vhca.h"

struct vhca_create_qp_cmd_full {
	struct vhca_ibv_create_qp ibv;
	struct vhca_create_qp_cmd drv;
};

struct vhca_create_qp_resp_full {
	struct ib_uverbs_create_qp_resp ibv;
	struct vhca_create_qp_resp drv;
};

static_assert(offsetof(struct vhca_create_qp_cmd_full, drv) ==
	      sizeof(struct vhca_ibv_create_qp), "create_qp cmd");
static_assert(offsetof(struct vhca_create_qp_resp_full, drv) ==
	      sizeof(struct ib_uverbs_create_qp_resp), "create_qp resp");

/**
 * vhca_find_qp() - the QP with a device QPN
 * @ctx: the context
 * @qpn: the device QPN
 *
 * Called by pollers under their CQ lock, which keeps every QP of that CQ
 * in the table (see vhca_qp_table_remove()).
 *
 * Return: the QP or NULL.
 */
struct vhca_qp *vhca_find_qp(struct vhca_context *ctx, uint32_t qpn)
{
	struct vhca_qp **tbl;

	qpn &= VHCA_QPN_MASK;
	tbl = __atomic_load_n(&ctx->qp_table[qpn >> VHCA_QP_TABLE_SHIFT],
			      __ATOMIC_ACQUIRE);
	if (!tbl)
		return NULL;
	return __atomic_load_n(&tbl[qpn & VHCA_QP_TABLE_MASK],
			       __ATOMIC_ACQUIRE);
}

static int vhca_qp_table_set(struct vhca_context *ctx, uint32_t qpn,
			     struct vhca_qp *qp)
{
	struct vhca_qp ***slot = &ctx->qp_table[qpn >> VHCA_QP_TABLE_SHIFT];
	struct vhca_qp **tbl;

	pthread_mutex_lock(&ctx->qp_table_mutex);
	tbl = *slot;
	if (!tbl) {
		if (!qp) {
			pthread_mutex_unlock(&ctx->qp_table_mutex);
			return 0;
		}
		tbl = calloc(VHCA_QP_TABLE_MASK + 1, sizeof(*tbl));
		if (!tbl) {
			pthread_mutex_unlock(&ctx->qp_table_mutex);
			return ENOMEM;
		}
		__atomic_store_n(slot, tbl, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&tbl[qpn & VHCA_QP_TABLE_MASK], qp, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&ctx->qp_table_mutex);
	return 0;
}

/* lock the QP's CQs (one or two), in address order */
static void vhca_lock_cqs(struct vhca_qp *qp)
{
	struct vhca_cq *s = to_vcq(qp->vqp.qp.send_cq);
	struct vhca_cq *r = to_vcq(qp->vqp.qp.recv_cq);

	if (s == r) {
		pthread_spin_lock(&s->lock);
	} else if (s < r) {
		pthread_spin_lock(&s->lock);
		pthread_spin_lock(&r->lock);
	} else {
		pthread_spin_lock(&r->lock);
		pthread_spin_lock(&s->lock);
	}
}

static void vhca_unlock_cqs(struct vhca_qp *qp)
{
	struct vhca_cq *s = to_vcq(qp->vqp.qp.send_cq);
	struct vhca_cq *r = to_vcq(qp->vqp.qp.recv_cq);

	pthread_spin_unlock(&s->lock);
	if (s != r)
		pthread_spin_unlock(&r->lock);
}

/* drop the CQEs of the QP's old queues; CQ locks held */
static void vhca_qp_clean_cqs(struct vhca_qp *qp)
{
	struct vhca_cq *s = to_vcq(qp->vqp.qp.send_cq);
	struct vhca_cq *r = to_vcq(qp->vqp.qp.recv_cq);

	vhca_cq_clean(s, qp);
	if (r != s)
		vhca_cq_clean(r, qp);
}

int vhca_wq_init(struct vhca_context *ctx, struct vhca_wq *wq,
			void *buf, uint32_t cnt, uint32_t stride,
			uint32_t max_gs, int sq)
{
	wq->invalid_lkey = ctx->uctx.invalid_lkey;
	wq->buf = buf;
	wq->cnt = cnt;
	wq->stride = stride;
	wq->max_gs = max_gs;
	wq->head = 0;
	atomic_init(&wq->tail, 0);
	pthread_spin_init(&wq->lock, PTHREAD_PROCESS_PRIVATE);
	if (!cnt)
		return 0;
	wq->wrid = calloc(cnt, sizeof(*wq->wrid));
	if (!wq->wrid)
		return ENOMEM;
	if (sq) {
		wq->wqe_bbs = calloc(cnt, sizeof(*wq->wqe_bbs));
		if (!wq->wqe_bbs)
			return ENOMEM;
	}
	return 0;
}

void vhca_wq_free(struct vhca_wq *wq)
{
	free(wq->wrid);
	free(wq->wqe_bbs);
	pthread_spin_destroy(&wq->lock);
}

/* the kernel's layout must lie inside the mapping */
static int vhca_qp_layout_ok(const struct vhca_create_qp_resp *r,
			     const struct ibv_qp_init_attr *attr)
{
	uint64_t size = r->mmap_size;

	if (r->sq_wqebb_cnt &&
	    (!vhca_is_pow2(r->sq_wqebb_cnt) ||
	     (uint64_t)r->sq_offset + (uint64_t)r->sq_wqebb_cnt * VHCA_WQEBB >
	     size))
		return 0;
	if (r->rq_wqe_cnt &&
	    (!vhca_is_pow2(r->rq_wqe_cnt) || !vhca_is_pow2(r->rq_stride) ||
	     r->rq_stride < sizeof(struct vhca_wqe_data) ||
	     (uint64_t)r->rq_offset + (uint64_t)r->rq_wqe_cnt * r->rq_stride >
	     size))
		return 0;
	if (r->dbr_offset % sizeof(uint32_t) ||
	    (uint64_t)r->dbr_offset + 2 * sizeof(uint32_t) > size)
		return 0;
	/* posting needs the rings the consumer asked for */
	if (attr->cap.max_send_wr && !r->sq_wqebb_cnt)
		return 0;
	if (!attr->srq && attr->cap.max_recv_wr && !r->rq_wqe_cnt)
		return 0;
	return 1;
}

struct ibv_qp *vhca_create_qp(struct ibv_pd *pd, struct ibv_qp_init_attr *attr)
{
	struct vhca_context *ctx = to_vctx(pd->context);
	struct vhca_create_qp_resp_full resp;
	struct vhca_create_qp_cmd_full cmd;
	struct vhca_create_qp_resp *r = &resp.drv;
	struct vhca_qp *qp;
	int ret;

	if (attr->qp_type != IBV_QPT_RC && attr->qp_type != IBV_QPT_UC &&
	    attr->qp_type != IBV_QPT_UD) {
		errno = EOPNOTSUPP;
		return NULL;
	}
	qp = calloc(1, sizeof(*qp));
	if (!qp) {
		errno = ENOMEM;
		return NULL;
	}
	memset(&cmd, 0, sizeof(cmd));
	memset(&resp, 0, sizeof(resp));
	ret = ibv_cmd_create_qp(pd, &qp->vqp.qp, attr, &cmd.ibv, sizeof(cmd),
				&resp.ibv, sizeof(resp));
	if (ret)
		goto err_free;
	if (!vhca_qp_layout_ok(r, attr)) {
		vhca_err("create_qp: the kernel returned a bad layout (SQ %u@%u, RQ %ux%u@%u, dbr %u, size %u)",
			 r->sq_wqebb_cnt, r->sq_offset, r->rq_wqe_cnt,
			 r->rq_stride, r->rq_offset, r->dbr_offset,
			 r->mmap_size);
		ret = EPROTO;
		goto err_destroy;
	}
	ret = vhca_map(ctx, r->mmap_offset, r->mmap_size, &qp->buf);
	if (ret)
		goto err_destroy;
	qp->map_size = r->mmap_size;
	qp->dbr = (vhca_be32 *)((char *)qp->buf + r->dbr_offset);
	qp->qpn = r->qpn & VHCA_QPN_MASK;
	qp->max_inline = attr->cap.max_inline_data;
	qp->sig_all = attr->sq_sig_all;
	qp->datagram = attr->qp_type == IBV_QPT_UD;
	atomic_init(&qp->state, IBV_QPS_RESET);

	ret = vhca_wq_init(ctx, &qp->sq, (char *)qp->buf + r->sq_offset,
			   r->sq_wqebb_cnt, VHCA_WQEBB, attr->cap.max_send_sge,
			   1);
	if (ret)
		goto err_wq;
	ret = vhca_wq_init(ctx, &qp->rq, (char *)qp->buf + r->rq_offset,
			   attr->srq ? 0 : r->rq_wqe_cnt, r->rq_stride,
			   attr->cap.max_recv_sge, 0);
	if (ret)
		goto err_wq;
	if (qp->rq.cnt && qp->rq.max_gs > qp->rq.stride / sizeof(struct vhca_wqe_data))
		qp->rq.max_gs = qp->rq.stride / sizeof(struct vhca_wqe_data);

	ret = vhca_qp_table_set(ctx, qp->qpn, qp);
	if (ret)
		goto err_wq;
	return &qp->vqp.qp;

err_wq:
	vhca_wq_free(&qp->sq);
	vhca_wq_free(&qp->rq);
	munmap(qp->buf, qp->map_size);
err_destroy:
	ibv_cmd_destroy_qp(&qp->vqp.qp);
err_free:
	free(qp);
	errno = ret;
	return NULL;
}

/* RESET: the device forgot the queues; start them over */
static void vhca_qp_reset(struct vhca_qp *qp)
{
	vhca_lock_cqs(qp);
	vhca_qp_clean_cqs(qp);
	pthread_spin_lock(&qp->sq.lock);
	pthread_spin_lock(&qp->rq.lock);
	qp->sq.head = 0;
	atomic_store(&qp->sq.tail, 0);
	qp->rq.head = 0;
	atomic_store(&qp->rq.tail, 0);
	vhca_store_release_be32(&qp->dbr[VHCA_DBR_RECV], 0);
	vhca_store_release_be32(&qp->dbr[VHCA_DBR_SEND], 0);
	pthread_spin_unlock(&qp->rq.lock);
	pthread_spin_unlock(&qp->sq.lock);
	vhca_unlock_cqs(qp);
}

int vhca_modify_qp(struct ibv_qp *ibqp, struct ibv_qp_attr *attr, int mask)
{
	struct vhca_ibv_modify_qp cmd;
	int ret;

	memset(&cmd, 0, sizeof(cmd));
	ret = ibv_cmd_modify_qp(ibqp, attr, mask, &cmd, sizeof(cmd));
	if (ret)
		return ret;
	if (!(mask & IBV_QP_STATE))
		return 0;
	if (attr->qp_state == IBV_QPS_RESET)
		vhca_qp_reset(to_vqp(ibqp));
	atomic_store(&to_vqp(ibqp)->state, attr->qp_state);
	return 0;
}

int vhca_query_qp(struct ibv_qp *ibqp, struct ibv_qp_attr *attr, int mask,
		  struct ibv_qp_init_attr *init)
{
	struct vhca_ibv_query_qp cmd;

	return ibv_cmd_query_qp(ibqp, attr, mask, init, &cmd, sizeof(cmd));
}

int vhca_destroy_qp(struct ibv_qp *ibqp)
{
	struct vhca_context *ctx = to_vctx(ibqp->context);
	struct vhca_qp *qp = to_vqp(ibqp);
	int ret;

	/* the device forgets the QP first: no CQE for it comes after this */
	ret = ibv_cmd_destroy_qp(ibqp);
	if (ret)
		return ret;
	vhca_lock_cqs(qp);
	vhca_qp_clean_cqs(qp);
	vhca_qp_table_set(ctx, qp->qpn, NULL);
	vhca_unlock_cqs(qp);

	munmap(qp->buf, qp->map_size);
	vhca_wq_free(&qp->sq);
	vhca_wq_free(&qp->rq);
	free(qp);
	return 0;
}

int vhca_attach_mcast(struct ibv_qp *ibqp, const union ibv_gid *gid,
		      uint16_t lid)
{
	return ibv_cmd_attach_mcast(ibqp, gid, lid);
}

int vhca_detach_mcast(struct ibv_qp *ibqp, const union ibv_gid *gid,
		      uint16_t lid)
{
	return ibv_cmd_detach_mcast(ibqp, gid, lid);
}
