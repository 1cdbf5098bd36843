// SPDX-License-Identifier: GPL-2.0
/*
 * Queue pairs: creation (rings, doorbell record, CREATE_QP), state
 * changes (MODIFY_QP with IB attributes translated), QUERY_QP, destroy,
 * multicast attach and the QP's asynchronous events.
 *
 * The device keeps the authoritative QP state and checks every
 * transition and attribute (IBA vol 1 table 91); the driver checks the
 * same first with ib_modify_qp_is_ok(), as every IB driver does, so a bad
 * transition is -EINVAL without a command.
 *
 * Special QPs: the device numbers GSI/SMI QPs like any other QP (CQEs
 * name that number) and sends them as QP1/QP0 of their port; ib_qp.qp_num
 * is the wire number ib_mad expects.
 */

#include <linux/capability.h>
#include <linux/dma-mapping.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <rdma/ib_verbs.h>

#include "vhca_ib.h"

/* MODIFY_QP takes the IB attribute mask as is */
static_assert(VHCA_QP_ATTR_STATE == IB_QP_STATE);
static_assert(VHCA_QP_ATTR_ACCESS == IB_QP_ACCESS_FLAGS);
static_assert(VHCA_QP_ATTR_AV == IB_QP_AV);
static_assert(VHCA_QP_ATTR_SQ_PSN == IB_QP_SQ_PSN);
static_assert(VHCA_QP_ATTR_MAX_DEST_RD_ATOMIC == IB_QP_MAX_DEST_RD_ATOMIC);
static_assert(VHCA_QP_ATTR_DEST_QPN == IB_QP_DEST_QPN);
/* ... and the IB state numbering */
static_assert(VHCA_QPS_RESET == IB_QPS_RESET);
static_assert(VHCA_QPS_RTS == IB_QPS_RTS);
static_assert(VHCA_QPS_ERR == IB_QPS_ERR);

/* attributes the device has no field for (no APM, no SQD event choice) */
#define VHCA_IB_QP_ATTR_UNSUPPORTED	(IB_QP_EN_SQD_ASYNC_NOTIFY | \
					 IB_QP_ALT_PATH | \
					 IB_QP_PATH_MIG_STATE)
#define VHCA_IB_QP_ATTR_KNOWN		GENMASK(20, 0)

/**
 * vhca_ib_wq_alloc() - allocate a work queue's ring and bookkeeping
 * @dev: the device
 * @wq: the queue, zeroed
 * @cnt: entries, a power of two
 * @stride: bytes per entry
 * @sq: a send queue (keeps the WQEBB count per WQE)
 *
 * Return: 0 or -ENOMEM.
 */
int vhca_ib_wq_alloc(struct vhca_ib_dev *dev, struct vhca_ib_wq *wq,
		     u32 cnt, u32 stride, bool sq)
{
	spin_lock_init(&wq->lock);
	wq->cnt = cnt;
	wq->stride = stride;
	wq->size = PAGE_ALIGN((size_t)cnt * stride);
	wq->buf = dma_alloc_coherent(dev->cdev->dev, wq->size, &wq->dma,
				     GFP_KERNEL);
	if (!wq->buf)
		return -ENOMEM;
	wq->wrid = kvcalloc(cnt, sizeof(*wq->wrid), GFP_KERNEL);
	if (!wq->wrid)
		goto err_free_buf;
	if (sq) {
		wq->wqe_bbs = kvcalloc(cnt, sizeof(*wq->wqe_bbs), GFP_KERNEL);
		if (!wq->wqe_bbs)
			goto err_free_wrid;
	}
	return 0;

err_free_wrid:
	kvfree(wq->wrid);
err_free_buf:
	dma_free_coherent(dev->cdev->dev, wq->size, wq->buf, wq->dma);
	wq->buf = NULL;
	return -ENOMEM;
}

/**
 * vhca_ib_wq_free() - free what vhca_ib_wq_alloc() allocated
 * @dev: the device
 * @wq: the queue; nothing happens if it was never allocated
 */
void vhca_ib_wq_free(struct vhca_ib_dev *dev, struct vhca_ib_wq *wq)
{
	if (!wq->buf)
		return;
	kvfree(wq->wqe_bbs);
	kvfree(wq->wrid);
	dma_free_coherent(dev->cdev->dev, wq->size, wq->buf, wq->dma);
	wq->buf = NULL;
}

static int vhca_ib_qp_type(struct vhca_ib_dev *dev, enum ib_qp_type type)
{
	u32 flags = be32_to_cpu(dev->cdev->cap.flags);

	switch (type) {
	case IB_QPT_RC:
		return flags & VHCA_CAP_FLAG_RC ? VHCA_QPT_RC : -EOPNOTSUPP;
	case IB_QPT_UC:
		return flags & VHCA_CAP_FLAG_UC ? VHCA_QPT_UC : -EOPNOTSUPP;
	case IB_QPT_UD:
		return flags & VHCA_CAP_FLAG_UD ? VHCA_QPT_UD : -EOPNOTSUPP;
	case IB_QPT_GSI:
		return flags & VHCA_CAP_FLAG_UD ? VHCA_QPT_GSI : -EOPNOTSUPP;
	case IB_QPT_SMI:
		return flags & VHCA_CAP_FLAG_UD ? VHCA_QPT_SMI : -EOPNOTSUPP;
	default:
		return -EOPNOTSUPP;
	}
}

/* size the SQ: WQEBBs for max_send_wr WQEs of the largest size, plus the
 * padding a wrap may need
 */
static int vhca_ib_qp_size_sq(struct vhca_ib_dev *dev, struct vhca_ib_qp *qp,
			      struct ib_qp_cap *cap)
{
	const struct vhca_hca_cap *hcap = &dev->cdev->cap;
	u32 max_gs = max_t(u32, cap->max_send_sge, 1);
	u32 bytes, bbs, cnt, hdr;

	if (!cap->max_send_wr)
		return 0;
	if (cap->max_send_sge > hcap->max_sq_sge ||
	    cap->max_inline_data > be16_to_cpu(hcap->max_inline) ||
	    cap->max_send_wr > BIT(hcap->log_max_qp_sz))
		return -EINVAL;
	bytes = vhca_ib_send_wqe_max_size(qp->type, max_gs,
					  cap->max_inline_data);
	bbs = DIV_ROUND_UP(bytes, VHCA_WQEBB);
	if (bbs > VHCA_SEND_WQE_MAX_BBS)
		return -EINVAL;
	cnt = roundup_pow_of_two(cap->max_send_wr * bbs + bbs - 1);
	cnt = max_t(u32, cnt, 2);
	if (cnt > BIT(hcap->log_max_qp_sz))
		return -EINVAL;
	qp->sq.cnt = cnt;
	qp->sq.stride = VHCA_WQEBB;
	qp->sq_bbs = bbs;

	/* tell the ULP what really fits */
	hdr = vhca_ib_send_wqe_max_size(qp->type, 0, 0);
	qp->sq.max_gs = min_t(u32, (bbs * VHCA_WQEBB - hdr) / VHCA_WQE_DS,
			      hcap->max_sq_sge);
	qp->max_inline = cap->max_inline_data;
	qp->sq.max_post = (cnt - (bbs - 1)) / bbs;
	cap->max_send_wr = qp->sq.max_post;
	cap->max_send_sge = qp->sq.max_gs;
	return 0;
}

static int vhca_ib_qp_size_rq(struct vhca_ib_dev *dev, struct vhca_ib_qp *qp,
			      struct ib_qp_init_attr *init)
{
	const struct vhca_hca_cap *hcap = &dev->cdev->cap;
	struct ib_qp_cap *cap = &init->cap;
	u32 max_gs = max_t(u32, cap->max_recv_sge, 1);
	u32 stride, cnt;

	if (init->srq || !cap->max_recv_wr)
		return 0;
	if (cap->max_recv_sge > hcap->max_rq_sge ||
	    cap->max_recv_wr > BIT(hcap->log_max_qp_sz))
		return -EINVAL;
	stride = roundup_pow_of_two(max_gs * sizeof(struct vhca_wqe_data));
	cnt = max_t(u32, roundup_pow_of_two(cap->max_recv_wr), 2);
	qp->rq.cnt = cnt;
	qp->rq.stride = stride;
	qp->rq.max_gs = min_t(u32, stride / sizeof(struct vhca_wqe_data),
			      hcap->max_rq_sge);
	qp->rq.max_post = cnt;
	cap->max_recv_wr = cnt;
	cap->max_recv_sge = qp->rq.max_gs;
	return 0;
}

/* kernel QP memory: a ring per queue, a record from the pool */
static int vhca_ib_qp_alloc_kernel(struct vhca_ib_dev *dev,
				   struct vhca_ib_qp *qp)
{
	int err;

	if (qp->sq.cnt) {
		err = vhca_ib_wq_alloc(dev, &qp->sq, qp->sq.cnt, VHCA_WQEBB,
				       true);
		if (err)
			return err;
	}
	if (qp->rq.cnt) {
		err = vhca_ib_wq_alloc(dev, &qp->rq, qp->rq.cnt, qp->rq.stride,
				       false);
		if (err)
			goto err_free_sq;
	}
	qp->dbr = dma_pool_zalloc(dev->dbr_pool, GFP_KERNEL, &qp->dbr_dma);
	if (!qp->dbr) {
		err = -ENOMEM;
		goto err_free_rq;
	}
	return 0;

err_free_rq:
	vhca_ib_wq_free(dev, &qp->rq);
err_free_sq:
	vhca_ib_wq_free(dev, &qp->sq);
	return err;
}

/*
 * user QP memory, one buffer: the SQ at 0, the RQ on the next page, the
 * record on the page after it
 */
static int vhca_ib_qp_alloc_user(struct vhca_ib_ucontext *uctx,
				 struct vhca_ib_qp *qp,
				 struct vhca_create_qp_resp *resp)
{
	size_t sq_size = (size_t)qp->sq.cnt * qp->sq.stride;
	size_t rq_size = (size_t)qp->rq.cnt * qp->rq.stride;
	size_t rq_off = PAGE_ALIGN(sq_size);
	size_t dbr_off = rq_off + PAGE_ALIGN(rq_size);
	struct vhca_ib_ubuf *buf;

	buf = vhca_ib_ubuf_alloc(uctx, dbr_off + VHCA_DBR_SIZE);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	qp->ubuf = buf;
	if (qp->sq.cnt) {
		qp->sq.buf = buf->cpu;
		qp->sq.dma = buf->dma;
		qp->sq.size = sq_size;
	}
	if (qp->rq.cnt) {
		qp->rq.buf = buf->cpu + rq_off;
		qp->rq.dma = buf->dma + rq_off;
		qp->rq.size = rq_size;
	}
	qp->dbr = buf->cpu + dbr_off;
	qp->dbr_dma = buf->dma + dbr_off;

	resp->mmap_size = buf->size;
	resp->sq_offset = 0;
	resp->sq_wqebb_cnt = qp->sq.cnt;
	resp->rq_offset = rq_off;
	resp->rq_wqe_cnt = qp->rq.cnt;
	resp->rq_stride = qp->rq.cnt ? qp->rq.stride : 0;
	resp->dbr_offset = dbr_off;
	resp->sq_max_wqe_bbs = qp->sq.cnt ? qp->sq_bbs : 0;
	return 0;
}

static void vhca_ib_qp_free_mem(struct vhca_ib_dev *dev, struct vhca_ib_qp *qp)
{
	if (qp->ubuf) {
		vhca_ib_ubuf_release(qp->ubuf);
		return;
	}
	dma_pool_free(dev->dbr_pool, qp->dbr, qp->dbr_dma);
	vhca_ib_wq_free(dev, &qp->rq);
	vhca_ib_wq_free(dev, &qp->sq);
}

/* what a process may create: RC/UC/UD on its own CQs and SRQ */
static int vhca_ib_qp_user_check(struct vhca_ib_dev *dev,
				 struct ib_qp_init_attr *init,
				 struct ib_udata *udata)
{
	struct vhca_create_qp_cmd cmd;
	int err;

	err = vhca_ib_udata_cmd(dev, udata, &cmd, sizeof(cmd));
	if (err)
		return err;
	if (cmd.comp_mask || cmd.reserved ||
	    udata->outlen < sizeof(struct vhca_create_qp_resp)) {
		vhca_ib_count(dev, VHCA_IB_ST_U_BAD_UDATA);
		return -EINVAL;
	}
	if ((init->qp_type != IB_QPT_RC && init->qp_type != IB_QPT_UC &&
	     init->qp_type != IB_QPT_UD) || init->create_flags) {
		vhca_ib_count(dev, VHCA_IB_ST_U_BAD_ATTR);
		return -EOPNOTSUPP;
	}
	if (!init->send_cq || !init->recv_cq ||
	    !to_vhca_ib_cq(init->send_cq)->ubuf ||
	    !to_vhca_ib_cq(init->recv_cq)->ubuf ||
	    (init->srq && !to_vhca_ib_srq(init->srq)->ubuf)) {
		vhca_ib_count(dev, VHCA_IB_ST_U_BAD_ATTR);
		return -EINVAL;
	}
	return 0;
}

static int vhca_ib_create_qp_cmd(struct vhca_ib_dev *dev,
				 struct vhca_ib_qp *qp,
				 struct ib_qp_init_attr *init)
{
	struct vhca_cmd_create_qp_in in = {};
	struct vhca_cmd_obj_out out = {};
	struct vhca_qp_ctx *ctx = &in.ctx;
	int err;

	vhca_cmd_in_hdr_set(&in.hdr, VHCA_CMD_OP_CREATE_QP, 0);
	ctx->type = qp->type;
	ctx->port = qp->port;
	if (init->srq)
		ctx->flags |= VHCA_QP_F_SRQ;
	else if (!qp->rq.cnt)
		ctx->flags |= VHCA_QP_F_NO_RQ;
	if (qp->sig_all)
		ctx->flags |= VHCA_QP_F_SIG_ALL;
	if (init->create_flags & IB_QP_CREATE_BLOCK_MULTICAST_LOOPBACK)
		ctx->flags |= VHCA_QP_F_BLOCK_MC_LB;
	ctx->pdn = cpu_to_be32(to_vhca_ib_pd(qp->ibqp.pd)->pdn);
	ctx->uar = cpu_to_be32(qp->ubuf ? vhca_ib_ubuf_uar(qp->ubuf) :
					  dev->uar);
	ctx->send_cqn = cpu_to_be32(to_vhca_ib_cq(init->send_cq)->cqn);
	ctx->recv_cqn = cpu_to_be32(to_vhca_ib_cq(init->recv_cq)->cqn);
	if (init->srq)
		ctx->srqn = cpu_to_be32(to_vhca_ib_srq(init->srq)->srqn);
	if (qp->sq.cnt) {
		ctx->log_sq_size = ilog2(qp->sq.cnt);
		ctx->sq_addr = cpu_to_be64(qp->sq.dma);
	}
	if (qp->rq.cnt) {
		ctx->log_rq_size = ilog2(qp->rq.cnt);
		ctx->log_rq_stride = ilog2(qp->rq.stride / VHCA_WQE_DS);
		ctx->rq_addr = cpu_to_be64(qp->rq.dma);
	}
	ctx->dbr_addr = cpu_to_be64(qp->dbr_dma);
	err = vhca_cmd_exec(dev->cdev, &in, sizeof(in), &out, sizeof(out));
	if (!err)
		qp->qpn = be32_to_cpu(out.num) & VHCA_QPN_MASK;
	return err;
}

int vhca_ib_create_qp(struct ib_qp *ibqp, struct ib_qp_init_attr *init,
		      struct ib_udata *udata)
{
	struct vhca_ib_dev *dev = to_vhca_ib_dev(ibqp->device);
	struct vhca_ib_qp *qp = to_vhca_ib_qp(ibqp);
	struct vhca_create_qp_resp resp = {};
	struct vhca_ib_ucontext *uctx = NULL;
	int type, err;

	if (udata) {
		err = vhca_ib_qp_user_check(dev, init, udata);
		if (err)
			return err;
		uctx = rdma_udata_to_drv_context(udata,
						 struct vhca_ib_ucontext,
						 ibuc);
	}
	if (init->create_flags & ~IB_QP_CREATE_BLOCK_MULTICAST_LOOPBACK)
		return -EOPNOTSUPP;
	type = vhca_ib_qp_type(dev, init->qp_type);
	if (type < 0)
		return type;
	if (!init->send_cq || !init->recv_cq)
		return -EINVAL;
	qp->dev = dev;
	qp->type = type;
	qp->create_flags = init->create_flags;
	qp->sig_all = init->sq_sig_type == IB_SIGNAL_ALL_WR;
	qp->state = IB_QPS_RESET;
	mutex_init(&qp->mutex);
	if (type == VHCA_QPT_GSI || type == VHCA_QPT_SMI) {
		if (!rdma_is_port_valid(ibqp->device, init->port_num))
			return -EINVAL;
		qp->port = init->port_num;
	}
	spin_lock_init(&qp->sq.lock);
	spin_lock_init(&qp->rq.lock);

	err = vhca_ib_qp_size_sq(dev, qp, &init->cap);
	if (!err)
		err = vhca_ib_qp_size_rq(dev, qp, init);
	if (err) {
		if (uctx)
			vhca_ib_count(dev, VHCA_IB_ST_U_BAD_ATTR);
		return err;
	}
	err = uctx ? vhca_ib_qp_alloc_user(uctx, qp, &resp) :
		     vhca_ib_qp_alloc_kernel(dev, qp);
	if (err)
		return err;
	err = vhca_ib_create_qp_cmd(dev, qp, init);
	if (err)
		goto err_free_mem;
	if (uctx) {
		resp.qpn = qp->qpn;
		err = vhca_ib_ubuf_insert(qp->ubuf, &resp.mmap_offset);
		if (err)
			goto err_destroy;
		err = vhca_ib_udata_resp(udata, &resp, sizeof(resp));
		if (err)
			goto err_destroy;
	}
	err = xa_insert(&dev->qps, qp->qpn, qp, GFP_KERNEL);
	if (err)
		goto err_destroy;

	switch (type) {
	case VHCA_QPT_SMI:
		ibqp->qp_num = VHCA_QPN_SMI;
		break;
	case VHCA_QPT_GSI:
		ibqp->qp_num = VHCA_QPN_GSI;
		break;
	default:
		ibqp->qp_num = qp->qpn;
	}
	init->cap.max_inline_data = qp->max_inline;
	return 0;

err_destroy:
	vhca_ib_destroy_obj(dev, VHCA_CMD_OP_DESTROY_QP, qp->qpn);
err_free_mem:
	vhca_ib_qp_free_mem(dev, qp);
	return err;
}

int vhca_ib_destroy_qp(struct ib_qp *ibqp, struct ib_udata *udata)
{
	struct vhca_ib_dev *dev = to_vhca_ib_dev(ibqp->device);
	struct vhca_ib_qp *qp = to_vhca_ib_qp(ibqp);
	int err;

	err = vhca_ib_destroy_obj(dev, VHCA_CMD_OP_DESTROY_QP, qp->qpn);
	if (err)
		return err;
	xa_erase(&dev->qps, qp->qpn);
	/* event notifier calls that found it */
	synchronize_rcu();
	/* pollers that found it, and CQEs still naming it */
	vhca_ib_cq_clean(to_vhca_ib_cq(ibqp->send_cq), qp);
	if (ibqp->recv_cq != ibqp->send_cq)
		vhca_ib_cq_clean(to_vhca_ib_cq(ibqp->recv_cq), qp);

	vhca_ib_qp_free_mem(dev, qp);
	mutex_destroy(&qp->mutex);
	return 0;
}

/*
 * Back to RESET: the device forgets the queues, so does the driver; CQEs
 * of the old queues still in the CQs are dropped.
 */
static void vhca_ib_qp_reset_queues(struct vhca_ib_qp *qp)
{
	struct vhca_ib_wq *wqs[] = { &qp->sq, &qp->rq };
	unsigned long flags;
	unsigned int i;

	vhca_ib_cq_clean(to_vhca_ib_cq(qp->ibqp.send_cq), qp);
	if (qp->ibqp.recv_cq != qp->ibqp.send_cq)
		vhca_ib_cq_clean(to_vhca_ib_cq(qp->ibqp.recv_cq), qp);

	for (i = 0; i < ARRAY_SIZE(wqs); i++) {
		if (!wqs[i]->cnt)
			continue;
		spin_lock_irqsave(&wqs[i]->lock, flags);
		wqs[i]->head = 0;
		WRITE_ONCE(wqs[i]->tail, 0);
		memset(wqs[i]->buf, 0, wqs[i]->size);
		spin_unlock_irqrestore(&wqs[i]->lock, flags);
	}
	WRITE_ONCE(qp->dbr[VHCA_DBR_RECV], 0);
	WRITE_ONCE(qp->dbr[VHCA_DBR_SEND], 0);
	spin_lock_irqsave(&qp->sq.lock, flags);
	qp->sq_db_pi = 0;
	spin_unlock_irqrestore(&qp->sq.lock, flags);
}

/* driver-side checks of values the device would refuse as well */
static int vhca_ib_modify_check(struct vhca_ib_qp *qp,
				const struct ib_qp_attr *attr, int mask)
{
	struct vhca_ib_dev *dev = qp->dev;
	struct vhca_port_attr pattr;
	u8 port = qp->port;

	if (mask & ~VHCA_IB_QP_ATTR_KNOWN || mask & VHCA_IB_QP_ATTR_UNSUPPORTED)
		return -EOPNOTSUPP;
	if (mask & IB_QP_PORT) {
		if (!rdma_is_port_valid(&dev->ibdev, attr->port_num))
			return -EINVAL;
		port = attr->port_num;
	}
	if (mask & IB_QP_PKEY_INDEX) {
		if (!port || vhca_core_query_port(dev->cdev, port, &pattr) ||
		    attr->pkey_index >= pattr.pkey_tbl_len)
			return -EINVAL;
	}
	if (mask & IB_QP_AV && attr->ah_attr.type != RDMA_AH_ATTR_TYPE_IB)
		return -EINVAL;
	/* controlled Q_Keys (IBA 10.2.4) are for privileged processes */
	if (qp->ubuf && mask & IB_QP_QKEY && attr->qkey & VHCA_QKEY_USE_QP &&
	    !capable(CAP_NET_RAW)) {
		vhca_ib_count(dev, VHCA_IB_ST_U_BAD_ATTR);
		return -EPERM;
	}
	if (mask & IB_QP_PATH_MTU &&
	    (attr->path_mtu < IB_MTU_256 || attr->path_mtu > IB_MTU_4096))
		return -EINVAL;
	if ((mask & IB_QP_MAX_QP_RD_ATOMIC &&
	     attr->max_rd_atomic > dev->cdev->cap.max_rd_atomic) ||
	    (mask & IB_QP_MAX_DEST_RD_ATOMIC &&
	     attr->max_dest_rd_atomic > dev->cdev->cap.max_rd_atomic))
		return -EINVAL;
	if (mask & IB_QP_TIMEOUT && attr->timeout > 31)
		return -EINVAL;
	if ((mask & IB_QP_RETRY_CNT && attr->retry_cnt > 7) ||
	    (mask & IB_QP_RNR_RETRY && attr->rnr_retry > 7) ||
	    (mask & IB_QP_MIN_RNR_TIMER && attr->min_rnr_timer > 31))
		return -EINVAL;
	return 0;
}

static void vhca_ib_qp_attr_to_hw(struct vhca_qp_attr *hw,
				  const struct ib_qp_attr *attr, int mask)
{
	if (mask & IB_QP_QKEY)
		hw->qkey = cpu_to_be32(attr->qkey);
	if (mask & IB_QP_RQ_PSN)
		hw->rq_psn = cpu_to_be32(attr->rq_psn & 0xffffff);
	if (mask & IB_QP_SQ_PSN)
		hw->sq_psn = cpu_to_be32(attr->sq_psn & 0xffffff);
	if (mask & IB_QP_DEST_QPN)
		hw->dest_qpn = cpu_to_be32(attr->dest_qp_num & VHCA_QPN_MASK);
	if (mask & IB_QP_PKEY_INDEX)
		hw->pkey_index = cpu_to_be16(attr->pkey_index);
	if (mask & IB_QP_PORT)
		hw->port = attr->port_num;
	if (mask & IB_QP_PATH_MTU)
		hw->path_mtu = attr->path_mtu;
	if (mask & IB_QP_TIMEOUT)
		hw->timeout = attr->timeout;
	if (mask & IB_QP_RETRY_CNT)
		hw->retry_cnt = attr->retry_cnt;
	if (mask & IB_QP_RNR_RETRY)
		hw->rnr_retry = attr->rnr_retry;
	if (mask & IB_QP_MIN_RNR_TIMER)
		hw->min_rnr_timer = attr->min_rnr_timer;
	if (mask & IB_QP_ACCESS_FLAGS)
		hw->access = vhca_ib_access(attr->qp_access_flags) &
			     ~VHCA_ACCESS_LOCAL_WRITE;
	if (mask & IB_QP_MAX_QP_RD_ATOMIC)
		hw->max_rd_atomic = attr->max_rd_atomic;
	if (mask & IB_QP_MAX_DEST_RD_ATOMIC)
		hw->max_dest_rd_atomic = attr->max_dest_rd_atomic;
	if (mask & IB_QP_AV)
		vhca_ib_av_from_ah_attr(&hw->av, &attr->ah_attr);
}

int vhca_ib_modify_qp(struct ib_qp *ibqp, struct ib_qp_attr *attr,
		      int mask, struct ib_udata *udata)
{
	struct vhca_ib_qp *qp = to_vhca_ib_qp(ibqp);
	struct vhca_cmd_modify_qp_in in = {};
	struct vhca_cmd_simple_out out = {};
	enum ib_qp_state cur, next;
	int err;

	if (udata && (udata->inlen || udata->outlen))
		return -EOPNOTSUPP;

	mutex_lock(&qp->mutex);
	cur = mask & IB_QP_CUR_STATE ? attr->cur_qp_state : qp->state;
	next = mask & IB_QP_STATE ? attr->qp_state : cur;
	if (!ib_modify_qp_is_ok(cur, next, ibqp->qp_type, mask)) {
		err = -EINVAL;
		goto out;
	}
	err = vhca_ib_modify_check(qp, attr, mask);
	if (err)
		goto out;

	vhca_cmd_in_hdr_set(&in.hdr, VHCA_CMD_OP_MODIFY_QP, 0);
	in.qpn = cpu_to_be32(qp->qpn);
	in.cur_state = cur;
	in.next_state = next;
	in.attr_mask = cpu_to_be32(mask | IB_QP_STATE);
	vhca_ib_qp_attr_to_hw(&in.attr, attr, mask);
	err = vhca_cmd_exec(qp->dev->cdev, &in, sizeof(in), &out, sizeof(out));
	if (err)
		goto out;

	if (next == IB_QPS_RESET && cur != IB_QPS_RESET)
		vhca_ib_qp_reset_queues(qp);
	if (mask & IB_QP_PORT)
		qp->port = attr->port_num;
	WRITE_ONCE(qp->state, next);
out:
	mutex_unlock(&qp->mutex);
	return err;
}

int vhca_ib_query_qp(struct ib_qp *ibqp, struct ib_qp_attr *attr, int mask,
		     struct ib_qp_init_attr *init)
{
	struct vhca_ib_qp *qp = to_vhca_ib_qp(ibqp);
	struct vhca_cmd_query_qp_out out = {};
	struct vhca_cmd_obj_in in = {};
	const struct vhca_qp_attr *hw = &out.attr;
	int err;

	vhca_cmd_in_hdr_set(&in.hdr, VHCA_CMD_OP_QUERY_QP, 0);
	in.num = cpu_to_be32(qp->qpn);
	mutex_lock(&qp->mutex);
	err = vhca_cmd_exec(qp->dev->cdev, &in, sizeof(in), &out, sizeof(out));
	if (err)
		goto out;
	if (out.ctx.state > IB_QPS_ERR) {
		err = -EIO;
		goto out;
	}
	/* the device may have moved to ERR (or SQE) on its own */
	WRITE_ONCE(qp->state, out.ctx.state);

	memset(attr, 0, sizeof(*attr));
	attr->qp_state = out.ctx.state;
	attr->cur_qp_state = out.ctx.state;
	attr->path_mtu = hw->path_mtu;
	attr->path_mig_state = IB_MIG_MIGRATED;
	attr->qkey = be32_to_cpu(hw->qkey);
	attr->rq_psn = be32_to_cpu(hw->rq_psn);
	attr->sq_psn = be32_to_cpu(hw->sq_psn);
	attr->dest_qp_num = be32_to_cpu(hw->dest_qpn);
	if (hw->access & VHCA_ACCESS_REMOTE_WRITE)
		attr->qp_access_flags |= IB_ACCESS_REMOTE_WRITE;
	if (hw->access & VHCA_ACCESS_REMOTE_READ)
		attr->qp_access_flags |= IB_ACCESS_REMOTE_READ;
	if (hw->access & VHCA_ACCESS_REMOTE_ATOMIC)
		attr->qp_access_flags |= IB_ACCESS_REMOTE_ATOMIC;
	attr->pkey_index = be16_to_cpu(hw->pkey_index);
	attr->port_num = hw->port ? hw->port : qp->port;
	attr->timeout = hw->timeout;
	attr->retry_cnt = hw->retry_cnt;
	attr->rnr_retry = hw->rnr_retry;
	attr->min_rnr_timer = hw->min_rnr_timer;
	attr->max_rd_atomic = hw->max_rd_atomic;
	attr->max_dest_rd_atomic = hw->max_dest_rd_atomic;
	attr->sq_draining = hw->sq_draining;
	if (qp->type == VHCA_QPT_RC || qp->type == VHCA_QPT_UC)
		vhca_ib_av_to_ah_attr(ibqp->device, &attr->ah_attr, &hw->av,
				      attr->port_num);
	attr->cap.max_send_wr = qp->sq.max_post;
	attr->cap.max_send_sge = qp->sq.max_gs;
	attr->cap.max_recv_wr = qp->rq.max_post;
	attr->cap.max_recv_sge = qp->rq.max_gs;
	attr->cap.max_inline_data = qp->max_inline;

	memset(init, 0, sizeof(*init));
	init->qp_type = ibqp->qp_type;
	init->send_cq = ibqp->send_cq;
	init->recv_cq = ibqp->recv_cq;
	init->srq = ibqp->srq;
	init->cap = attr->cap;
	init->sq_sig_type = qp->sig_all ? IB_SIGNAL_ALL_WR : IB_SIGNAL_REQ_WR;
	init->create_flags = qp->create_flags;
	init->port_num = qp->port;
out:
	mutex_unlock(&qp->mutex);
	return err;
}

static int vhca_ib_mcg_cmd(struct ib_qp *ibqp, union ib_gid *gid, u16 opcode)
{
	struct vhca_ib_qp *qp = to_vhca_ib_qp(ibqp);
	struct vhca_cmd_simple_out out = {};
	struct vhca_cmd_mcg_in in = {};

	if (qp->type != VHCA_QPT_UD)
		return -EINVAL;
	vhca_cmd_in_hdr_set(&in.hdr, opcode, 0);
	in.qpn = cpu_to_be32(qp->qpn);
	memcpy(in.gid, gid->raw, sizeof(in.gid));
	return vhca_cmd_exec(qp->dev->cdev, &in, sizeof(in), &out, sizeof(out));
}

int vhca_ib_attach_mcast(struct ib_qp *ibqp, union ib_gid *gid, u16 lid)
{
	return vhca_ib_mcg_cmd(ibqp, gid, VHCA_CMD_OP_ATTACH_MCG);
}

int vhca_ib_detach_mcast(struct ib_qp *ibqp, union ib_gid *gid, u16 lid)
{
	return vhca_ib_mcg_cmd(ibqp, gid, VHCA_CMD_OP_DETACH_MCG);
}

/**
 * vhca_ib_qp_event() - a VHCA_EVENT_QP for a QP
 * @dev: the device
 * @qpn: the device QPN it names
 * @sub_type: VHCA_QP_EVENT_*
 *
 * Hard interrupt context, under rcu_read_lock() (the notifier chain);
 * destroy_qp waits for it with synchronize_rcu().
 */
void vhca_ib_qp_event(struct vhca_ib_dev *dev, u32 qpn, u8 sub_type)
{
	struct vhca_ib_qp *qp = xa_load(&dev->qps, qpn & VHCA_QPN_MASK);
	struct ib_event ev = {};

	if (!qp) {
		vhca_ib_count(dev, VHCA_IB_ST_EV_UNKNOWN_OBJ);
		return;
	}
	switch (sub_type) {
	case VHCA_QP_EVENT_COMM_EST:
		ev.event = IB_EVENT_COMM_EST;
		vhca_ib_count(dev, VHCA_IB_ST_EV_COMM_EST);
		break;
	case VHCA_QP_EVENT_LAST_WQE:
		ev.event = IB_EVENT_QP_LAST_WQE_REACHED;
		vhca_ib_count(dev, VHCA_IB_ST_EV_LAST_WQE);
		break;
	case VHCA_QP_EVENT_SQ_DRAINED:
		ev.event = IB_EVENT_SQ_DRAINED;
		vhca_ib_count(dev, VHCA_IB_ST_EV_SQ_DRAINED);
		break;
	case VHCA_QP_EVENT_FATAL:
		ev.event = IB_EVENT_QP_FATAL;
		vhca_ib_count(dev, VHCA_IB_ST_EV_QP_FATAL);
		break;
	default:
		vhca_ib_count(dev, VHCA_IB_ST_EV_UNKNOWN_OBJ);
		return;
	}
	if (!qp->ibqp.event_handler)
		return;
	ev.device = &dev->ibdev;
	ev.element.qp = &qp->ibqp;
	qp->ibqp.event_handler(&ev, qp->ibqp.qp_context);
}
