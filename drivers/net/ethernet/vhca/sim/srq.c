// SPDX-License-Identifier: GPL-2.0
/*
 * Shared receive queues (CREATE/DESTROY/QUERY/ARM_SRQ) and taking the
 * next receive WQE of a QP, from its RQ or its SRQ.
 *
 * A receive queue is a ring of WQEs of one stride, each a scatter list
 * ended early by VHCA_INVALID_LKEY. The driver publishes how many it
 * posted in the low 16 bits of a doorbell record word; the device
 * consumes them in ring order, so a CQE's wqe_counter names the slot.
 */

#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "res.h"

#define VHCA_SIM_SRQ_LIMIT	XA_LIMIT(1, BIT(VHCA_SIM_LOG_MAX_SRQ) - 1)
/* strides of 1 .. VHCA_SIM_MAX_RQ_SGE data segments */
#define VHCA_SIM_MAX_RQ_LOG_STRIDE	ilog2(VHCA_SIM_MAX_RQ_SGE)

static struct vhca_sim_srq *vhca_sim_srq_find(struct vhca_sim_dev *sdev,
					      u32 srqn)
{
	lockdep_assert_held(&sdev->cmd.mutex);
	return xa_load(&sdev->res->srqs, srqn);
}

u8 vhca_sim_cmd_create_srq(struct vhca_sim_dev *sdev, const void *in,
			   void *out, u32 *synd)
{
	const struct vhca_cmd_create_srq_in *i = in;
	const struct vhca_srq_ctx *ctx = &i->ctx;
	struct vhca_sim_res *res = sdev->res;
	struct vhca_cmd_obj_out *o = out;
	struct vhca_sim_srq *srq;
	struct vhca_sim_pd *pd;
	u32 srqn, limit;

	limit = be32_to_cpu(ctx->limit);
	if (ctx->log_size < 1 || ctx->log_size > VHCA_SIM_LOG_MAX_SRQ_SZ ||
	    ctx->log_stride > VHCA_SIM_MAX_RQ_LOG_STRIDE ||
	    limit > BIT(ctx->log_size)) {
		*synd = VHCA_SYND_BAD_SIZE;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	pd = vhca_sim_pd_find(sdev, be32_to_cpu(ctx->pdn));
	if (!pd) {
		*synd = VHCA_SYND_BAD_PDN;
		return VHCA_CMD_STAT_BAD_RESOURCE;
	}
	if (!vhca_sim_uar_valid(sdev, be32_to_cpu(ctx->uar))) {
		*synd = VHCA_SYND_BAD_UAR;
		return VHCA_CMD_STAT_BAD_RESOURCE;
	}

	srq = kzalloc(sizeof(*srq), GFP_KERNEL);
	if (!srq)
		return VHCA_CMD_STAT_INT_ERR;
	srq->pd = pd;
	srq->uar = be32_to_cpu(ctx->uar);
	srq->log_size = ctx->log_size;
	srq->log_stride = ctx->log_stride;
	srq->ring.addr = be64_to_cpu(ctx->ring_addr);
	srq->ring.len = (size_t)(VHCA_WQE_DS << ctx->log_stride) <<
			ctx->log_size;
	srq->dbr.addr = be64_to_cpu(ctx->dbr_addr);
	srq->dbr.len = VHCA_DBR_SIZE;
	srq->limit = limit;
	spin_lock_init(&srq->lock);
	if (!PAGE_ALIGNED(srq->ring.addr) ||
	    !IS_ALIGNED(srq->dbr.addr, VHCA_DBR_SIZE) ||
	    vhca_sim_dma_check(sdev, &srq->ring) ||
	    vhca_sim_dma_check(sdev, &srq->dbr)) {
		kfree(srq);
		*synd = VHCA_SYND_BAD_ADDR;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	if (xa_alloc(&res->srqs, &srqn, NULL, VHCA_SIM_SRQ_LIMIT,
		     GFP_KERNEL)) {
		kfree(srq);
		*synd = VHCA_SYND_NO_RESOURCE;
		return VHCA_CMD_STAT_EXCEED_LIM;
	}
	srq->srqn = srqn;
	pd->users++;
	res->uar_users[srq->uar]++;
	xa_store(&res->srqs, srqn, srq, GFP_KERNEL);
	o->num = cpu_to_be32(srqn);
	return VHCA_CMD_STAT_OK;
}

/* cmd.mutex held, no QP uses it */
void vhca_sim_srq_destroy(struct vhca_sim_dev *sdev, struct vhca_sim_srq *srq)
{
	xa_erase(&sdev->res->srqs, srq->srqn);
	srq->pd->users--;
	sdev->res->uar_users[srq->uar]--;
	kfree_rcu(srq, rcu);
}

/* the SRQ an SRQ command names, or NULL with the syndrome set */
static struct vhca_sim_srq *vhca_sim_srq_cmd_find(struct vhca_sim_dev *sdev,
						  __be32 srqn, u32 *synd)
{
	struct vhca_sim_srq *srq = vhca_sim_srq_find(sdev, be32_to_cpu(srqn));

	if (!srq)
		*synd = VHCA_SYND_BAD_SRQN;
	return srq;
}

u8 vhca_sim_cmd_destroy_srq(struct vhca_sim_dev *sdev, const void *in,
			    void *out, u32 *synd)
{
	const struct vhca_cmd_obj_in *i = in;
	struct vhca_sim_srq *srq;

	srq = vhca_sim_srq_cmd_find(sdev, i->num, synd);
	if (!srq)
		return VHCA_CMD_STAT_BAD_RESOURCE;
	if (srq->users) {
		*synd = VHCA_SYND_IN_USE;
		return VHCA_CMD_STAT_RESOURCE_BUSY;
	}
	vhca_sim_srq_destroy(sdev, srq);
	return VHCA_CMD_STAT_OK;
}

u8 vhca_sim_cmd_query_srq(struct vhca_sim_dev *sdev, const void *in,
			  void *out, u32 *synd)
{
	const struct vhca_cmd_obj_in *i = in;
	struct vhca_cmd_query_srq_out *o = out;
	struct vhca_srq_ctx *ctx = &o->ctx;
	struct vhca_sim_srq *srq;
	unsigned long flags;

	srq = vhca_sim_srq_cmd_find(sdev, i->num, synd);
	if (!srq)
		return VHCA_CMD_STAT_BAD_RESOURCE;
	ctx->log_size = srq->log_size;
	ctx->log_stride = srq->log_stride;
	ctx->pdn = cpu_to_be32(srq->pd->pdn);
	ctx->uar = cpu_to_be32(srq->uar);
	ctx->ring_addr = cpu_to_be64(srq->ring.addr);
	ctx->dbr_addr = cpu_to_be64(srq->dbr.addr);
	spin_lock_irqsave(&srq->lock, flags);
	ctx->limit = cpu_to_be32(srq->limit);
	ctx->wqe_counter = cpu_to_be32(srq->ci);
	spin_unlock_irqrestore(&srq->lock, flags);
	return VHCA_CMD_STAT_OK;
}

u8 vhca_sim_cmd_arm_srq(struct vhca_sim_dev *sdev, const void *in,
			void *out, u32 *synd)
{
	const struct vhca_cmd_arm_srq_in *i = in;
	u32 limit = be32_to_cpu(i->limit);
	struct vhca_sim_srq *srq;
	unsigned long flags;

	srq = vhca_sim_srq_cmd_find(sdev, i->srqn, synd);
	if (!srq)
		return VHCA_CMD_STAT_BAD_RESOURCE;
	if (limit > BIT(srq->log_size)) {
		*synd = VHCA_SYND_BAD_SIZE;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	spin_lock_irqsave(&srq->lock, flags);
	srq->limit = limit;
	spin_unlock_irqrestore(&srq->lock, flags);
	return VHCA_CMD_STAT_OK;
}

/* Take WQE number @ci of a ring whose producer counter is in the first
 * word of @dbr_word of @dbr. Returns the WQEs that were posted before
 * this one was taken (>= 1), or a negative errno.
 */
static int vhca_sim_wqe_take(struct vhca_sim_dev *sdev,
			     const struct vhca_sim_dma_win *ring,
			     const struct vhca_sim_dma_win *dbr,
			     unsigned int dbr_word, u32 ci, u8 log_size,
			     u8 log_stride, struct vhca_wqe_data *sge,
			     u8 *nsge)
{
	unsigned int n, max = BIT(log_stride);
	__be32 word;
	u16 posted;

	if (vhca_sim_dma_read(sdev, dbr, dbr_word * sizeof(word), &word,
			      sizeof(word)))
		return -EFAULT;
	posted = (u16)(be32_to_cpu(word) - ci);
	if (!posted)
		return -ENOBUFS;
	/* more than the ring holds: a corrupt record, not a WQE */
	if (posted > BIT(log_size))
		return -EFAULT;
	/* the driver wrote the WQE before it bumped the record */
	smp_rmb();
	if (vhca_sim_dma_read(sdev, ring,
			      (size_t)(ci & (BIT(log_size) - 1)) *
			      (VHCA_WQE_DS << log_stride),
			      sge, max * sizeof(*sge)))
		return -EFAULT;
	for (n = 0; n < max; n++)
		if (be32_to_cpu(sge[n].lkey) == VHCA_INVALID_LKEY)
			break;
	*nsge = n;
	return posted;
}

static int vhca_sim_srq_pop(struct vhca_sim_dev *sdev,
			    struct vhca_sim_srq *srq, struct vhca_wqe_data *sge,
			    u8 *nsge, u16 *idx)
{
	struct vhca_eqe_obj obj = { .num = cpu_to_be32(srq->srqn) };
	bool limit_event = false;
	unsigned long flags;
	int posted;

	spin_lock_irqsave(&srq->lock, flags);
	posted = vhca_sim_wqe_take(sdev, &srq->ring, &srq->dbr, 0, srq->ci,
				   srq->log_size, srq->log_stride, sge, nsge);
	if (posted > 0) {
		*idx = srq->ci;
		srq->ci++;
		/* one event per arm, when fewer than the limit are left */
		if (srq->limit && posted - 1 < srq->limit) {
			srq->limit = 0;
			limit_event = true;
		}
	}
	spin_unlock_irqrestore(&srq->lock, flags);
	if (limit_event)
		vhca_sim_eq_post_event(sdev, VHCA_EVENT_SRQ_LIMIT, 0, &obj,
				       sizeof(obj));
	return posted > 0 ? 0 : posted;
}

int vhca_sim_recv_wqe_pop(struct vhca_sim_qp *qp, struct vhca_wqe_data *sge,
			  u8 *nsge, u16 *idx)
{
	int posted;

	lockdep_assert_held(&qp->lock);
	if (qp->srq)
		return vhca_sim_srq_pop(qp->sdev, qp->srq, sge, nsge, idx);
	if (qp->flags & VHCA_QP_F_NO_RQ)
		return -ENOBUFS;
	posted = vhca_sim_wqe_take(qp->sdev, &qp->rq, &qp->dbr,
				   VHCA_DBR_RECV, qp->rq_ci, qp->log_rq_size,
				   qp->log_rq_stride, sge, nsge);
	if (posted < 0)
		return posted;
	*idx = qp->rq_ci;
	qp->rq_ci++;
	return 0;
}
