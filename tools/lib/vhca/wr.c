// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Posting work requests, in userspace exactly as the kernel driver's wr.c
 * does for kernel consumers: send WQEs (control segment, datagram or RDMA
 * segment, then a gather list or inline data) built into the mapped SQ
 * ring in 64-byte WQEBBs, never wrapping (a NOP WQE pads the ring end);
 * receive WQEs (scatter lists ended by the invalid lkey) into the RQ or
 * SRQ ring. The doorbell record is written after the WQEs; the SQ also
 * needs the doorbell method, a system call. Receive queues have no
 * doorbell: the record is enough.
 */
#include <errno.h>
#include <string.h>

#include "vhca.h"

/* the WQE opcode of a WR on this QP, or -EINVAL */
static int vhca_wqe_opcode(struct vhca_qp *qp, enum ibv_wr_opcode op)
{
	enum ibv_qp_type t = qp->vqp.qp.qp_type;
	int rdma = t == IBV_QPT_RC || t == IBV_QPT_UC;

	switch (op) {
	case IBV_WR_SEND:
		return VHCA_WQE_OP_SEND;
	case IBV_WR_SEND_WITH_IMM:
		return VHCA_WQE_OP_SEND_IMM;
	case IBV_WR_RDMA_WRITE:
		return rdma ? VHCA_WQE_OP_RDMA_WRITE : -EINVAL;
	case IBV_WR_RDMA_WRITE_WITH_IMM:
		return rdma ? VHCA_WQE_OP_RDMA_WRITE_IMM : -EINVAL;
	case IBV_WR_RDMA_READ:
		return t == IBV_QPT_RC ? VHCA_WQE_OP_RDMA_READ : -EINVAL;
	default:
		return -EINVAL;
	}
}

/* bytes the WR's data part takes in the WQE, or -EINVAL */
static int vhca_wqe_data_size(struct vhca_qp *qp, const struct ibv_send_wr *wr,
			      int opcode)
{
	uint32_t len = 0;
	int i;

	if (wr->num_sge < 0)
		return -EINVAL;
	if (!(wr->send_flags & IBV_SEND_INLINE)) {
		if ((uint32_t)wr->num_sge > qp->sq.max_gs)
			return -EINVAL;
		return wr->num_sge * sizeof(struct vhca_wqe_data);
	}
	if (opcode == VHCA_WQE_OP_RDMA_READ)
		return -EINVAL;
	for (i = 0; i < wr->num_sge; i++) {
		if (wr->sg_list[i].length > qp->max_inline)
			return -EINVAL;
		len += wr->sg_list[i].length;
	}
	if (len > qp->max_inline)
		return -EINVAL;
	return (sizeof(struct vhca_wqe_inline) + len + VHCA_WQE_DS - 1) &
	       ~(VHCA_WQE_DS - 1);
}

static void *vhca_sq_bb(struct vhca_qp *qp, uint32_t idx)
{
	return (char *)qp->sq.buf + (size_t)idx * VHCA_WQEBB;
}

/* fill the ring's end with a NOP WQE so the next WQE starts at index 0 */
static void vhca_sq_pad(struct vhca_qp *qp, uint32_t idx, uint32_t nbb)
{
	struct vhca_wqe_ctrl *ctrl = vhca_sq_bb(qp, idx);

	memset(ctrl, 0, (size_t)nbb * VHCA_WQEBB);
	ctrl->opcode = VHCA_WQE_OP_NOP;
	ctrl->wqe_counter = htobe16(qp->sq.head);
	ctrl->ds = nbb * (VHCA_WQEBB / VHCA_WQE_DS);
	ctrl->qpn = htobe32(qp->qpn);
	qp->sq.wrid[idx] = 0;
	qp->sq.wqe_bbs[idx] = nbb;
	qp->sq.head += nbb;
}

static void vhca_write_inline(struct vhca_wqe_inline *seg,
			      const struct ibv_send_wr *wr)
{
	uint32_t len = 0;
	int i;

	for (i = 0; i < wr->num_sge; i++) {
		memcpy(seg->data + len,
		       (const void *)(uintptr_t)wr->sg_list[i].addr,
		       wr->sg_list[i].length);
		len += wr->sg_list[i].length;
	}
	seg->byte_count = htobe32(len | VHCA_WQE_INLINE);
}

static void vhca_write_sgl(struct vhca_wqe_data *seg,
			   const struct ibv_sge *sg, int num)
{
	int i;

	for (i = 0; i < num; i++) {
		seg[i].byte_count = htobe32(sg[i].length);
		seg[i].lkey = htobe32(sg[i].lkey);
		seg[i].addr = htobe64(sg[i].addr);
	}
}

/* build one WR into the SQ; the caller holds the SQ lock */
static int vhca_post_one(struct vhca_qp *qp, const struct ibv_send_wr *wr)
{
	struct vhca_wq *sq = &qp->sq;
	struct vhca_wqe_datagram *dg;
	struct vhca_wqe_raddr *raddr;
	struct vhca_wqe_ctrl *ctrl;
	uint32_t size, nbb, idx, pad;
	int opcode, data;
	void *seg;

	opcode = vhca_wqe_opcode(qp, wr->opcode);
	if (opcode < 0)
		return -opcode;
	data = vhca_wqe_data_size(qp, wr, opcode);
	if (data < 0)
		return -data;
	size = sizeof(*ctrl) + data;
	if (qp->datagram) {
		if (!wr->wr.ud.ah)
			return EINVAL;
		size += sizeof(*dg);
	} else if (opcode != VHCA_WQE_OP_SEND &&
		   opcode != VHCA_WQE_OP_SEND_IMM) {
		size += sizeof(*raddr);
	}
	nbb = (size + VHCA_WQEBB - 1) / VHCA_WQEBB;
	if (nbb > VHCA_SEND_WQE_MAX_BBS || nbb > sq->cnt)
		return EINVAL;

	idx = sq->head & (sq->cnt - 1);
	pad = idx + nbb > sq->cnt ? sq->cnt - idx : 0;
	if (sq->head + pad + nbb -
	    atomic_load_explicit(&sq->tail, memory_order_acquire) > sq->cnt)
		return ENOMEM;
	if (pad) {
		vhca_sq_pad(qp, idx, pad);
		idx = 0;
	}

	ctrl = vhca_sq_bb(qp, idx);
	memset(ctrl, 0, (size_t)nbb * VHCA_WQEBB);
	ctrl->opcode = opcode;
	if (qp->sig_all || (wr->send_flags & IBV_SEND_SIGNALED))
		ctrl->flags |= VHCA_WQE_F_SIGNALED;
	if (wr->send_flags & IBV_SEND_SOLICITED)
		ctrl->flags |= VHCA_WQE_F_SOLICITED;
	if (wr->send_flags & IBV_SEND_FENCE)
		ctrl->flags |= VHCA_WQE_F_FENCE;
	ctrl->wqe_counter = htobe16(sq->head);
	ctrl->ds = size / VHCA_WQE_DS;
	ctrl->qpn = htobe32(qp->qpn);
	if (opcode == VHCA_WQE_OP_SEND_IMM ||
	    opcode == VHCA_WQE_OP_RDMA_WRITE_IMM)
		ctrl->imm = wr->imm_data;	/* already big-endian */
	seg = ctrl + 1;

	if (qp->datagram) {
		dg = seg;
		dg->dqpn = htobe32(wr->wr.ud.remote_qpn);
		dg->qkey = htobe32(wr->wr.ud.remote_qkey);
		memcpy(dg->av, to_vah(wr->wr.ud.ah)->av, sizeof(dg->av));
		seg = dg + 1;
	} else if (size - data > sizeof(*ctrl)) {
		raddr = seg;
		raddr->raddr = htobe64(wr->wr.rdma.remote_addr);
		raddr->rkey = htobe32(wr->wr.rdma.rkey);
		seg = raddr + 1;
	}

	if (wr->send_flags & IBV_SEND_INLINE)
		vhca_write_inline(seg, wr);
	else
		vhca_write_sgl(seg, wr->sg_list, wr->num_sge);

	sq->wrid[idx] = wr->wr_id;
	sq->wqe_bbs[idx] = nbb;
	sq->head += nbb;
	return 0;
}

int vhca_post_send(struct ibv_qp *ibqp, struct ibv_send_wr *wr,
		   struct ibv_send_wr **bad_wr)
{
	struct vhca_qp *qp = to_vqp(ibqp);
	struct vhca_wq *sq = &qp->sq;
	uint32_t start;
	int err = 0, dberr;

	pthread_spin_lock(&sq->lock);
	start = sq->head;
	/* IBA: posting to a QP in RESET is an immediate error */
	if (!sq->cnt || qp->state == IBV_QPS_RESET)
		err = EINVAL;
	while (wr && !err) {
		err = vhca_post_one(qp, wr);
		if (!err)
			wr = wr->next;
	}
	if (err) {
		*bad_wr = wr;
		vhca_dbg(to_vctx(ibqp->context),
			 "post_send on QP %#x refused: %s (state %d, SQ %u/%u, head %u, tail %u)",
			 qp->qpn, strerror(err), atomic_load(&qp->state),
			 sq->cnt, sq->max_gs, sq->head,
			 atomic_load(&sq->tail));
	}

	if (sq->head != start) {
		/* the WQEs before the record (release), the record before
		 * the doorbell (the system call orders it)
		 */
		vhca_store_release_be32(&qp->dbr[VHCA_DBR_SEND],
					sq->head & 0xffff);
		dberr = vhca_doorbell_sq(qp, sq->head);
		if (dberr && !err) {
			/* the WQEs stay posted; the device sees them at the
			 * next doorbell that works
			 */
			err = dberr;
			*bad_wr = NULL;
			vhca_dbg(to_vctx(ibqp->context),
				 "SQ doorbell of QP %#x at %u failed: %s",
				 qp->qpn, sq->head & 0xffff, strerror(dberr));
		}
	}
	pthread_spin_unlock(&sq->lock);
	return err;
}

/**
 * vhca_recv_wqe_write() - write a receive WQE (RQ or SRQ)
 * @wq: the queue
 * @idx: the ring index
 * @wr: the WR, at most @wq->max_gs entries
 *
 * A shorter list than the stride holds ends with the invalid lkey.
 */
void vhca_recv_wqe_write(struct vhca_wq *wq, uint32_t idx,
			 const struct ibv_recv_wr *wr)
{
	struct vhca_wqe_data *seg = (void *)((char *)wq->buf +
					     (size_t)idx * wq->stride);

	vhca_write_sgl(seg, wr->sg_list, wr->num_sge);
	if ((uint32_t)wr->num_sge < wq->stride / sizeof(*seg)) {
		seg[wr->num_sge].byte_count = 0;
		seg[wr->num_sge].lkey = htobe32(wq->invalid_lkey);
		seg[wr->num_sge].addr = 0;
	}
	wq->wrid[idx] = wr->wr_id;
}

int vhca_post_recv(struct ibv_qp *ibqp, struct ibv_recv_wr *wr,
		   struct ibv_recv_wr **bad_wr)
{
	struct vhca_qp *qp = to_vqp(ibqp);
	struct vhca_wq *rq = &qp->rq;
	uint32_t start;
	int err = 0;

	pthread_spin_lock(&rq->lock);
	start = rq->head;
	if (!rq->cnt || qp->state == IBV_QPS_RESET)
		err = EINVAL;
	for (; wr && !err; wr = wr->next) {
		if (wr->num_sge < 0 || (uint32_t)wr->num_sge > rq->max_gs) {
			err = EINVAL;
			break;
		}
		if (rq->head - atomic_load_explicit(&rq->tail,
				memory_order_acquire) >= rq->cnt) {
			err = ENOMEM;
			break;
		}
		vhca_recv_wqe_write(rq, rq->head & (rq->cnt - 1), wr);
		rq->head++;
	}
	if (err)
		*bad_wr = wr;
	if (rq->head != start)
		vhca_store_release_be32(&qp->dbr[VHCA_DBR_RECV],
					rq->head & 0xffff);
	pthread_spin_unlock(&rq->lock);
	return err;
}

int vhca_post_srq_recv(struct ibv_srq *ibsrq, struct ibv_recv_wr *wr,
		       struct ibv_recv_wr **bad_wr)
{
	struct vhca_srq *srq = to_vsrq(ibsrq);
	struct vhca_wq *wq = &srq->wq;
	uint32_t start;
	int err = 0;

	pthread_spin_lock(&wq->lock);
	start = wq->head;
	for (; wr; wr = wr->next) {
		if (wr->num_sge < 0 || (uint32_t)wr->num_sge > wq->max_gs) {
			err = EINVAL;
			break;
		}
		if (wq->head - atomic_load_explicit(&srq->done,
				memory_order_acquire) >= wq->cnt) {
			err = ENOMEM;
			break;
		}
		vhca_recv_wqe_write(wq, wq->head & (wq->cnt - 1), wr);
		wq->head++;
	}
	if (err)
		*bad_wr = wr;
	if (wq->head != start)
		vhca_store_release_be32(srq->dbr, wq->head & 0xffff);
	pthread_spin_unlock(&wq->lock);
	return err;
}
