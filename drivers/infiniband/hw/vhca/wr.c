// SPDX-License-Identifier: GPL-2.0
/*
 * Posting work requests: send WQEs built into the SQ ring (control
 * segment, datagram or RDMA segment, then gather list or inline data)
 * and receive WQEs (scatter lists) into the RQ ring.
 *
 * The SQ counts 64-byte WQEBBs. A WQE never wraps around the ring end:
 * if it would, a NOP WQE fills the rest of the ring first. The device
 * reads WQEs only once the doorbell record and the SQ doorbell count
 * them; the RQ has no doorbell register, the record is enough.
 */

#include <linux/string.h>
#include <rdma/ib_verbs.h>

#include "vhca_ib.h"

static bool vhca_ib_qpt_datagram(u8 type)
{
	return type == VHCA_QPT_UD || type == VHCA_QPT_GSI ||
	       type == VHCA_QPT_SMI;
}

/**
 * vhca_ib_send_wqe_max_size() - bytes of the largest send WQE of a QP
 * @type: VHCA_QPT_*
 * @max_sge: gather entries
 * @max_inline: inline bytes
 *
 * Return: the size in bytes, a multiple of VHCA_WQE_DS.
 */
u32 vhca_ib_send_wqe_max_size(u8 type, u32 max_sge, u32 max_inline)
{
	u32 size = sizeof(struct vhca_wqe_ctrl);
	u32 data = max_sge * sizeof(struct vhca_wqe_data);

	if (vhca_ib_qpt_datagram(type))
		size += sizeof(struct vhca_wqe_datagram);
	else
		size += sizeof(struct vhca_wqe_raddr);
	if (max_inline)
		data = max_t(u32, data,
			     ALIGN(sizeof(struct vhca_wqe_inline) + max_inline,
				   VHCA_WQE_DS));
	return size + data;
}

/* the WQE opcode of a WR on this QP type, or -EINVAL */
static int vhca_ib_wqe_opcode(struct vhca_ib_qp *qp, enum ib_wr_opcode op)
{
	bool rdma = qp->type == VHCA_QPT_RC || qp->type == VHCA_QPT_UC;

	switch (op) {
	case IB_WR_SEND:
		return VHCA_WQE_OP_SEND;
	case IB_WR_SEND_WITH_IMM:
		return VHCA_WQE_OP_SEND_IMM;
	case IB_WR_RDMA_WRITE:
		return rdma ? VHCA_WQE_OP_RDMA_WRITE : -EINVAL;
	case IB_WR_RDMA_WRITE_WITH_IMM:
		return rdma ? VHCA_WQE_OP_RDMA_WRITE_IMM : -EINVAL;
	case IB_WR_RDMA_READ:
		if (qp->type != VHCA_QPT_RC ||
		    !(be32_to_cpu(qp->dev->cdev->cap.flags) &
		      VHCA_CAP_FLAG_RDMA_READ))
			return -EINVAL;
		return VHCA_WQE_OP_RDMA_READ;
	default:
		return -EINVAL;
	}
}

/* bytes the WR's data part takes in the WQE, or -EINVAL */
static int vhca_ib_wqe_data_size(struct vhca_ib_qp *qp,
				 const struct ib_send_wr *wr, int opcode)
{
	u32 len = 0;
	int i;

	if (!(wr->send_flags & IB_SEND_INLINE)) {
		if (wr->num_sge > qp->sq.max_gs)
			return -EINVAL;
		return wr->num_sge * sizeof(struct vhca_wqe_data);
	}
	if (opcode == VHCA_WQE_OP_RDMA_READ)
		return -EINVAL;
	for (i = 0; i < wr->num_sge; i++)
		len += wr->sg_list[i].length;
	if (len > qp->max_inline)
		return -EINVAL;
	return ALIGN(sizeof(struct vhca_wqe_inline) + len, VHCA_WQE_DS);
}

static void *vhca_ib_sq_bb(struct vhca_ib_qp *qp, u32 idx)
{
	return qp->sq.buf + idx * VHCA_WQEBB;
}

/* fill the ring's end with a NOP WQE so the next WQE starts at index 0 */
static void vhca_ib_sq_pad(struct vhca_ib_qp *qp, u32 idx, u32 nbb)
{
	struct vhca_wqe_ctrl *ctrl = vhca_ib_sq_bb(qp, idx);

	memset(ctrl, 0, nbb * VHCA_WQEBB);
	ctrl->opcode = VHCA_WQE_OP_NOP;
	ctrl->wqe_counter = cpu_to_be16(qp->sq.head);
	ctrl->ds = nbb * (VHCA_WQEBB / VHCA_WQE_DS);
	ctrl->qpn = cpu_to_be32(qp->qpn);
	qp->sq.wrid[idx] = 0;
	qp->sq.wqe_bbs[idx] = nbb;
	qp->sq.head += nbb;
}

static void vhca_ib_write_inline(struct vhca_wqe_inline *seg,
				 const struct ib_send_wr *wr)
{
	u32 len = 0;
	int i;

	/* kernel ULPs pass inline data by virtual address */
	for (i = 0; i < wr->num_sge; i++) {
		memcpy(seg->data + len,
		       (void *)(uintptr_t)wr->sg_list[i].addr,
		       wr->sg_list[i].length);
		len += wr->sg_list[i].length;
	}
	seg->byte_count = cpu_to_be32(len | VHCA_WQE_INLINE);
}

static void vhca_ib_write_sgl(struct vhca_wqe_data *seg,
			      const struct ib_sge *sg, int num)
{
	int i;

	for (i = 0; i < num; i++) {
		seg[i].byte_count = cpu_to_be32(sg[i].length);
		seg[i].lkey = cpu_to_be32(sg[i].lkey);
		seg[i].addr = cpu_to_be64(sg[i].addr);
	}
}

/* build one WR into the SQ; the caller holds the SQ lock */
static int vhca_ib_post_one(struct vhca_ib_qp *qp, const struct ib_send_wr *wr)
{
	struct vhca_ib_wq *sq = &qp->sq;
	struct vhca_wqe_datagram *dg;
	struct vhca_wqe_raddr *raddr;
	struct vhca_wqe_ctrl *ctrl;
	u32 size, nbb, idx, pad;
	int opcode, data;
	void *seg;

	opcode = vhca_ib_wqe_opcode(qp, wr->opcode);
	if (opcode < 0)
		return opcode;
	data = vhca_ib_wqe_data_size(qp, wr, opcode);
	if (data < 0)
		return data;
	size = sizeof(*ctrl) + data;
	if (vhca_ib_qpt_datagram(qp->type))
		size += sizeof(*dg);
	else if (opcode != VHCA_WQE_OP_SEND && opcode != VHCA_WQE_OP_SEND_IMM)
		size += sizeof(*raddr);
	nbb = DIV_ROUND_UP(size, VHCA_WQEBB);

	idx = sq->head & (sq->cnt - 1);
	pad = idx + nbb > sq->cnt ? sq->cnt - idx : 0;
	if (sq->head + pad + nbb - READ_ONCE(sq->tail) > sq->cnt)
		return -ENOMEM;
	if (pad) {
		vhca_ib_sq_pad(qp, idx, pad);
		idx = 0;
	}

	ctrl = vhca_ib_sq_bb(qp, idx);
	memset(ctrl, 0, nbb * VHCA_WQEBB);
	ctrl->opcode = opcode;
	if (qp->sig_all || wr->send_flags & IB_SEND_SIGNALED)
		ctrl->flags |= VHCA_WQE_F_SIGNALED;
	if (wr->send_flags & IB_SEND_SOLICITED)
		ctrl->flags |= VHCA_WQE_F_SOLICITED;
	if (wr->send_flags & IB_SEND_FENCE)
		ctrl->flags |= VHCA_WQE_F_FENCE;
	ctrl->wqe_counter = cpu_to_be16(sq->head);
	ctrl->ds = size / VHCA_WQE_DS;
	ctrl->qpn = cpu_to_be32(qp->qpn);
	if (opcode == VHCA_WQE_OP_SEND_IMM ||
	    opcode == VHCA_WQE_OP_RDMA_WRITE_IMM)
		ctrl->imm = wr->ex.imm_data;
	seg = ctrl + 1;

	if (vhca_ib_qpt_datagram(qp->type)) {
		const struct ib_ud_wr *ud = ud_wr(wr);

		dg = seg;
		dg->dqpn = cpu_to_be32(ud->remote_qpn);
		dg->qkey = cpu_to_be32(ud->remote_qkey);
		if (qp->type == VHCA_QPT_GSI)
			dg->pkey_index = cpu_to_be16(ud->pkey_index);
		dg->av = to_vhca_ah(ud->ah)->av;
		seg = dg + 1;
	} else if (size - data > sizeof(*ctrl)) {
		raddr = seg;
		raddr->raddr = cpu_to_be64(rdma_wr(wr)->remote_addr);
		raddr->rkey = cpu_to_be32(rdma_wr(wr)->rkey);
		seg = raddr + 1;
	}

	if (wr->send_flags & IB_SEND_INLINE)
		vhca_ib_write_inline(seg, wr);
	else
		vhca_ib_write_sgl(seg, wr->sg_list, wr->num_sge);

	sq->wrid[idx] = wr->wr_id;
	sq->wqe_bbs[idx] = nbb;
	sq->head += nbb;
	return 0;
}

int vhca_ib_post_send(struct ib_qp *ibqp, const struct ib_send_wr *wr,
		      const struct ib_send_wr **bad_wr)
{
	struct vhca_ib_qp *qp = to_vhca_ib_qp(ibqp);
	struct vhca_ib_dev *dev = qp->dev;
	struct vhca_ib_wq *sq = &qp->sq;
	unsigned long flags;
	u32 start;
	int err = 0;

	spin_lock_irqsave(&sq->lock, flags);
	start = sq->head;
	/* IBA: posting to a QP in RESET is an immediate error */
	if (!sq->cnt || READ_ONCE(qp->state) == IB_QPS_RESET)
		err = -EINVAL;
	while (wr && !err) {
		err = vhca_ib_post_one(qp, wr);
		if (!err)
			wr = wr->next;
	}
	if (err) {
		*bad_wr = wr;
		vhca_ib_count(dev, VHCA_IB_ST_POST_SEND_ERR);
	}

	if (sq->head != start) {
		/* WQEs before the record */
		dma_wmb();
		WRITE_ONCE(qp->dbr[VHCA_DBR_SEND],
			   cpu_to_be32(sq->head & 0xffff));
		/* the record before the doorbell register write */
		wmb();
		vhca_core_uar_write64(dev->cdev, dev->uar, VHCA_UAR_SQ_DB,
				      vhca_sq_db_val(qp->qpn, sq->head));
	}
	spin_unlock_irqrestore(&sq->lock, flags);
	return err;
}

/**
 * vhca_ib_recv_wqe_write() - write a receive WQE (RQ or SRQ)
 * @wq: the queue
 * @idx: the ring index
 * @wr: the WR, at most @wq->max_gs entries
 *
 * A shorter list than the stride holds ends with VHCA_INVALID_LKEY.
 */
void vhca_ib_recv_wqe_write(struct vhca_ib_wq *wq, u32 idx,
			    const struct ib_recv_wr *wr)
{
	struct vhca_wqe_data *seg = wq->buf + idx * wq->stride;

	vhca_ib_write_sgl(seg, wr->sg_list, wr->num_sge);
	if (wr->num_sge < wq->stride / sizeof(*seg)) {
		seg[wr->num_sge].byte_count = 0;
		seg[wr->num_sge].lkey = cpu_to_be32(VHCA_INVALID_LKEY);
		seg[wr->num_sge].addr = 0;
	}
	wq->wrid[idx] = wr->wr_id;
}

int vhca_ib_post_recv(struct ib_qp *ibqp, const struct ib_recv_wr *wr,
		      const struct ib_recv_wr **bad_wr)
{
	struct vhca_ib_qp *qp = to_vhca_ib_qp(ibqp);
	struct vhca_ib_wq *rq = &qp->rq;
	unsigned long flags;
	u32 start;
	int err = 0;

	spin_lock_irqsave(&rq->lock, flags);
	start = rq->head;
	if (!rq->cnt || READ_ONCE(qp->state) == IB_QPS_RESET)
		err = -EINVAL;
	for (; wr && !err; wr = wr->next) {
		if (wr->num_sge > rq->max_gs) {
			err = -EINVAL;
			break;
		}
		if (rq->head - READ_ONCE(rq->tail) >= rq->cnt) {
			err = -ENOMEM;
			break;
		}
		vhca_ib_recv_wqe_write(rq, rq->head & (rq->cnt - 1), wr);
		rq->head++;
	}
	if (err) {
		*bad_wr = wr;
		vhca_ib_count(qp->dev, VHCA_IB_ST_POST_RECV_ERR);
	}

	if (rq->head != start) {
		dma_wmb();
		WRITE_ONCE(qp->dbr[VHCA_DBR_RECV],
			   cpu_to_be32(rq->head & 0xffff));
	}
	spin_unlock_irqrestore(&rq->lock, flags);
	return err;
}
