// SPDX-License-Identifier: GPL-2.0
/*
 * The send engine: how WQEs become packets.
 *
 * One work item per QP (qp->work, on the device's engine workqueue) reads
 * the SQ ring from the consumer counter to the producer counter of the
 * last doorbell, a bounded batch at a time, all under qp->lock:
 *
 *  - UD, GSI and SMI (ud.c): one packet per WQE (LSO: one per MSS),
 *    completed as soon as it is on the wire (or dropped because the port
 *    is not up, as a real HCA).
 *  - RC and UC: a started WQE gets its PSN range (one PSN per path-MTU
 *    packet; an RDMA READ as many as its responses) and a slot in
 *    req.swqe; packets go out from req.tx_psn, at most
 *    VHCA_SIM_MAX_INFLIGHT unacknowledged. UC completes a WQE when its
 *    last packet is sent; RC when it is acknowledged (rc.c). A WQE stays
 *    in the ring until it completes, so a retransmission reads it again
 *    and rebuilds its packets from (psn - first_psn) * MTU.
 *
 * A WQE that cannot be executed (malformed, bad key, too long) completes
 * with an error in its turn and moves the QP to ERR; in ERR (and SQE)
 * every posted WQE is flushed, and in ERR the receive queue too.
 *
 * The doorbell (any context, the driver's xmit path included) only
 * records the producer counter and queues the work.
 */

#include <linux/bitfield.h>
#include <linux/slab.h>
#include <rdma/ib_pack.h>

#include "engine.h"
#include "fabric/fabric.h"

/* The control segment of the WQE at @idx, checked: its size, that it is
 * this QP's and this counter's, that it fits the ring and was posted.
 */
static int vhca_sim_wqe_ctrl(struct vhca_sim_qp *qp, u16 idx, u16 pi,
			     struct vhca_wqe_ctrl *ctrl, u16 *nbb)
{
	u16 size = vhca_sim_sq_size(qp);

	*nbb = 1;
	if (vhca_sim_sq_read(qp, idx, 0, ctrl, sizeof(*ctrl))) {
		memset(ctrl, 0, sizeof(*ctrl));
		return -EFAULT;
	}
	if (!ctrl->ds || ctrl->ds > VHCA_SEND_WQE_MAX_BBS * 4)
		return -EINVAL;
	*nbb = DIV_ROUND_UP(ctrl->ds * VHCA_WQE_DS, VHCA_WQEBB);
	if (be32_to_cpu(ctrl->qpn) != qp->qpn ||
	    be16_to_cpu(ctrl->wqe_counter) != idx ||
	    (idx & (size - 1)) + *nbb > size ||
	    *nbb > (u16)(pi - idx)) {
		*nbb = 1;
		return -EINVAL;
	}
	return 0;
}

/* queue the send engine, unless it is stopped; qp->lock held */
static void vhca_sim_req_kick_locked(struct vhca_sim_qp *qp)
{
	if (!qp->req.stopped)
		queue_work(qp->sdev->res->wq, &qp->work);
}

/* Start the RC/UC WQE at req.ci: give it its PSNs. Return: false if it
 * must wait (a fence, or too many RDMA READs outstanding).
 */
static bool vhca_sim_rc_start(struct vhca_sim_qp *qp,
			      const struct vhca_wqe_ctrl *ctrl, u16 nbb)
{
	struct vhca_sim_req *req = &qp->req;
	u32 mtu = vhca_mtu_bytes(qp->attr.path_mtu);
	u32 end = ctrl->ds * VHCA_WQE_DS, seg, len;
	u8 op = ctrl->opcode, max_rd;
	struct vhca_sim_swqe *w;
	bool bad = false;

	switch (op) {
	case VHCA_WQE_OP_NOP:
	case VHCA_WQE_OP_SEND:
	case VHCA_WQE_OP_SEND_IMM:
	case VHCA_WQE_OP_RDMA_WRITE:
	case VHCA_WQE_OP_RDMA_WRITE_IMM:
		break;
	case VHCA_WQE_OP_RDMA_READ:
		bad = qp->type != VHCA_QPT_RC;
		max_rd = max_t(u8, qp->attr.max_rd_atomic, 1);
		if (!bad && req->rd_inflight >= max_rd)
			return false;
		break;
	default:
		bad = true;
	}
	if ((ctrl->flags & VHCA_WQE_F_FENCE) && req->rd_inflight)
		return false;

	w = &req->swqe[req->ci & (vhca_sim_sq_size(qp) - 1)];
	memset(w, 0, sizeof(*w));
	w->wqe_counter = req->ci;
	w->nbb = nbb;
	w->opcode = op;
	w->flags = ctrl->flags;
	w->first_psn = req->psn;
	/* an empty range until it has packets */
	w->last_psn = vhca_psn_add(req->psn, VHCA_PSN_MASK);
	req->ci += nbb;
	if (bad)
		goto bad;
	if (op == VHCA_WQE_OP_NOP)
		goto started;
	seg = vhca_sim_sq_seg_start(qp, op);
	if (seg > end ||
	    vhca_sim_sq_len(qp, w->wqe_counter, seg, end,
			    op != VHCA_WQE_OP_RDMA_READ, &len))
		goto bad;
	w->length = len;
	w->last_psn = vhca_psn_add(req->psn, vhca_msg_pkts(len, mtu) - 1);
	req->psn = vhca_psn_add(w->last_psn, 1);
	if (op == VHCA_WQE_OP_RDMA_READ)
		req->rd_inflight++;
started:
	/* a NOP completes when everything before it has */
	vhca_sim_req_complete(qp);
	return true;
bad:
	vhca_sim_req_fail(qp, w, VHCA_CQE_ST_LOC_QP_OP_ERR,
			  VHCA_CQE_SYND_BAD_WQE);
	return true;
}

/* the IB opcode of packet @k of @n of a SEND or WRITE */
static u8 vhca_sim_rc_opcode(u8 transport, u8 wqe_op, u32 k, u32 n)
{
	bool first = !k, last = k == n - 1;
	bool imm = wqe_op == VHCA_WQE_OP_SEND_IMM ||
		   wqe_op == VHCA_WQE_OP_RDMA_WRITE_IMM;
	u8 op;

	if (wqe_op == VHCA_WQE_OP_SEND || wqe_op == VHCA_WQE_OP_SEND_IMM) {
		if (first && last)
			op = imm ? IB_OPCODE_SEND_ONLY_WITH_IMMEDIATE :
				   IB_OPCODE_SEND_ONLY;
		else if (first)
			op = IB_OPCODE_SEND_FIRST;
		else if (last)
			op = imm ? IB_OPCODE_SEND_LAST_WITH_IMMEDIATE :
				   IB_OPCODE_SEND_LAST;
		else
			op = IB_OPCODE_SEND_MIDDLE;
	} else {
		if (first && last)
			op = imm ? IB_OPCODE_RDMA_WRITE_ONLY_WITH_IMMEDIATE :
				   IB_OPCODE_RDMA_WRITE_ONLY;
		else if (first)
			op = IB_OPCODE_RDMA_WRITE_FIRST;
		else if (last)
			op = imm ? IB_OPCODE_RDMA_WRITE_LAST_WITH_IMMEDIATE :
				   IB_OPCODE_RDMA_WRITE_LAST;
		else
			op = IB_OPCODE_RDMA_WRITE_MIDDLE;
	}
	return transport + op;
}

/* Put the RC/UC packet at req.tx_psn on the wire (an RDMA READ request
 * covers the rest of its READ). Return: 0, or -EAGAIN if the engine must
 * stop here (a WQE that failed waits for its turn to complete).
 */
static int vhca_sim_rc_xmit(struct vhca_sim_qp *qp, struct vhca_sim_port *port)
{
	struct vhca_sim_req *req = &qp->req;
	u32 mtu = vhca_mtu_bytes(qp->attr.path_mtu);
	u32 psn = req->tx_psn, next, k, n, off, plen = 0;
	bool rc = qp->type == VHCA_QPT_RC;
	struct vhca_wqe_raddr raddr;
	struct vhca_wqe_ctrl ctrl;
	struct vhca_pkt_info info;
	struct vhca_sim_swqe *w;
	struct vhca_pkt *pkt;
	u8 *payload, synd;

	if (req->tx_idx == req->ci) {
		/* nothing started is left to send */
		req->tx_psn = req->psn;
		return 0;
	}
	w = &req->swqe[req->tx_idx & (vhca_sim_sq_size(qp) - 1)];
	if (w->status)
		return -EAGAIN;
	if (w->opcode == VHCA_WQE_OP_NOP ||
	    vhca_psn_diff(psn, w->last_psn) > 0) {
		/* sent (or empty): the next WQE */
		req->tx_idx += w->nbb;
		return 0;
	}
	if (vhca_sim_sq_read(qp, w->wqe_counter, 0, &ctrl, sizeof(ctrl)) ||
	    (w->opcode != VHCA_WQE_OP_SEND &&
	     w->opcode != VHCA_WQE_OP_SEND_IMM &&
	     vhca_sim_sq_read(qp, w->wqe_counter, sizeof(ctrl), &raddr,
			      sizeof(raddr)))) {
		vhca_sim_req_fail(qp, w, VHCA_CQE_ST_LOC_QP_OP_ERR,
				  VHCA_CQE_SYND_DMA);
		return -EAGAIN;
	}

	k = vhca_psn_diff(psn, w->first_psn);
	n = vhca_msg_pkts(w->length, mtu);
	off = k * mtu;
	vhca_sim_qp_path_info(qp, port, &info);
	info.psn = psn;
	if (w->opcode == VHCA_WQE_OP_RDMA_READ) {
		info.opcode = IB_OPCODE_RC_RDMA_READ_REQUEST;
		info.va = be64_to_cpu(raddr.raddr) + off;
		info.rkey = be32_to_cpu(raddr.rkey);
		info.dma_len = w->length - min(off, w->length);
		info.ackreq = true;
		next = vhca_psn_add(w->last_psn, 1);
	} else {
		plen = min(mtu, w->length - min(off, w->length));
		info.opcode = vhca_sim_rc_opcode(rc ? IB_OPCODE_RC :
						      IB_OPCODE_UC,
						 w->opcode, k, n);
		if (vhca_opcode_has_reth(info.opcode)) {
			info.va = be64_to_cpu(raddr.raddr);
			info.rkey = be32_to_cpu(raddr.rkey);
			info.dma_len = w->length;
		}
		if (k == n - 1)
			info.se = w->flags & VHCA_WQE_F_SOLICITED;
		info.ackreq = rc && (k == n - 1 ||
				     k % VHCA_SIM_ACKREQ_EVERY ==
				     VHCA_SIM_ACKREQ_EVERY - 1);
		info.imm = ctrl.imm;
		next = vhca_psn_add(psn, 1);
	}
	info.payload_len = plen;

	pkt = vhca_wire_alloc(&info, GFP_ATOMIC, &payload);
	if (pkt && plen &&
	    vhca_sim_sq_sgl(qp, w->wqe_counter,
			    vhca_sim_sq_seg_start(qp, w->opcode),
			    ctrl.ds * VHCA_WQE_DS, off, payload, plen, false,
			    &synd)) {
		vhca_pkt_free(pkt);
		vhca_sim_req_fail(qp, w, synd == VHCA_CQE_SYND_BAD_WQE ?
				  VHCA_CQE_ST_LOC_QP_OP_ERR :
				  vhca_sim_synd_status(synd), synd);
		return -EAGAIN;
	}
	if (!pkt) {
		/* lost for want of memory; RC sends it again */
		vhca_sim_port_drop(port, VHCA_PORT_DROP_OVERFLOW);
	} else if (READ_ONCE(port->state) != VHCA_PORT_STATE_ACTIVE) {
		vhca_sim_port_drop(port, VHCA_PORT_DROP_LINK_DOWN);
		vhca_pkt_free(pkt);
	} else {
		vhca_wire_seal(pkt);
		pkt->ingress = port;
		vhca_switch_xmit(port->fab, pkt);
	}
	req->tx_psn = next;
	vhca_sim_req_sent(qp, psn, next);
	if (vhca_psn_diff(next, w->last_psn) > 0) {
		req->tx_idx += w->nbb;
		if (!rc) {
			/* UC: done once sent */
			req->una_psn = next;
			vhca_sim_req_complete(qp);
		}
	}
	return 0;
}

/* RTS and SQD: send. Return: true if there is more to do right away */
static bool vhca_sim_sq_process(struct vhca_sim_qp *qp)
{
	struct vhca_sim_req *req = &qp->req;
	bool ud = qp->type != VHCA_QPT_RC && qp->type != VHCA_QPT_UC;
	struct vhca_sim_port *port = vhca_sim_qp_port(qp);
	unsigned int budget = VHCA_SIM_SQ_BUDGET;
	u16 pi = READ_ONCE(req->pi), nbb, avail;
	struct vhca_wqe_ctrl ctrl;

	if (!qp->log_sq_size || READ_ONCE(qp->sdev->sq_stall))
		return false;
	for (; budget; budget--) {
		if (qp->state != VHCA_QPS_RTS && qp->state != VHCA_QPS_SQD)
			return true;	/* went to ERR: flush */
		if (!ud && req->tx_psn != req->psn) {
			if (req->rnr_wait || !port ||
			    (qp->type == VHCA_QPT_RC &&
			     vhca_psn_diff(req->tx_psn, req->una_psn) >=
			     VHCA_SIM_MAX_INFLIGHT))
				break;
			if (vhca_sim_rc_xmit(qp, port))
				break;
			continue;
		}
		/* SQD: what was started finishes, nothing new starts */
		if (qp->state == VHCA_QPS_SQD || req->failed)
			break;
		avail = pi - req->ci;
		if (!avail || avail > vhca_sim_sq_size(qp))
			break;
		if (vhca_sim_wqe_ctrl(qp, req->ci, pi, &ctrl, &nbb)) {
			if (ud || !req->swqe) {
				vhca_sim_req_cqe(qp, req->ci, ctrl.opcode,
						 VHCA_CQE_ST_LOC_QP_OP_ERR,
						 VHCA_CQE_SYND_BAD_WQE, 0);
				req->ci += nbb;
				req->cc = req->ci;
				vhca_sim_qp_to_err(qp);
				continue;
			}
			/* fails in its turn */
			ctrl.opcode = 0xff;
			ctrl.flags = 0;
		}
		if (ud) {
			vhca_sim_ud_send(qp, req->ci, &ctrl);
			req->ci += nbb;
			req->cc = req->ci;
			continue;
		}
		if (!req->swqe) {
			/* no tracking memory (engine_init failed to get it) */
			vhca_sim_req_cqe(qp, req->ci, ctrl.opcode,
					 VHCA_CQE_ST_LOC_QP_OP_ERR,
					 VHCA_CQE_SYND_DMA, 0);
			req->ci += nbb;
			req->cc = req->ci;
			vhca_sim_qp_to_err(qp);
			continue;
		}
		if (!vhca_sim_rc_start(qp, &ctrl, nbb))
			break;
	}
	if (qp->state == VHCA_QPS_SQD && req->cc == req->ci &&
	    !req->sqd_event) {
		req->sqd_event = true;
		vhca_sim_qp_event(qp, VHCA_QP_EVENT_SQ_DRAINED);
	}
	return !budget;
}

/* Complete every posted WQE with @status, the started ones first. Return:
 * true if more are left for the next round.
 */
static bool vhca_sim_sq_flush(struct vhca_sim_qp *qp, u8 status, u8 synd)
{
	struct vhca_sim_req *req = &qp->req;
	unsigned int budget = VHCA_SIM_SQ_BUDGET;
	u16 pi = READ_ONCE(req->pi), nbb, avail;
	struct vhca_wqe_ctrl ctrl;
	struct vhca_sim_swqe *w;

	if (!qp->log_sq_size)
		return false;
	vhca_sim_req_timer_stop(qp);
	req->rnr_wait = false;
	while (req->cc != req->ci && req->swqe) {
		w = &req->swqe[req->cc & (vhca_sim_sq_size(qp) - 1)];
		if (w->opcode == VHCA_WQE_OP_RDMA_READ && req->rd_inflight)
			req->rd_inflight--;
		vhca_sim_req_cqe(qp, w->wqe_counter, w->opcode, status, synd,
				 0);
		req->cc += w->nbb;
	}
	req->cc = req->ci;
	req->tx_idx = req->ci;
	req->tx_psn = req->psn;
	for (; budget; budget--) {
		avail = pi - req->ci;
		if (!avail || avail > vhca_sim_sq_size(qp))
			return false;
		vhca_sim_wqe_ctrl(qp, req->ci, pi, &ctrl, &nbb);
		vhca_sim_req_cqe(qp, req->ci, ctrl.opcode, status, synd, 0);
		req->ci += nbb;
		req->cc = req->ci;
		req->tx_idx = req->ci;
	}
	return true;
}

/* Receives posted in ERR have no doorbell to tell the device: look at the
 * RQ again later, sooner after WQEs were found.
 */
static void vhca_sim_err_poll(struct vhca_sim_qp *qp, unsigned int flushed)
{
	struct vhca_sim_req *req = &qp->req;

	if (qp->srq || (qp->flags & VHCA_QP_F_NO_RQ))
		return;
	if (flushed)
		req->err_poll = 0;
	else if (req->err_poll < VHCA_SIM_ERR_POLL_MAX)
		req->err_poll++;
	vhca_sim_req_timer_arm(qp, NSEC_PER_MSEC << req->err_poll);
}

static void vhca_sim_send_work(struct work_struct *work)
{
	struct vhca_sim_qp *qp = container_of(work, struct vhca_sim_qp, work);
	bool again = false;

	spin_lock_bh(&qp->lock);
	if (qp->req.stopped)
		goto unlock;
	if (test_and_clear_bit(VHCA_SIM_REQ_EV_TIMER, &qp->req.events))
		vhca_sim_req_timeout(qp);
	switch (qp->state) {
	case VHCA_QPS_RTS:
	case VHCA_QPS_SQD:
		again = vhca_sim_sq_process(qp);
		break;
	case VHCA_QPS_SQE:
		again = vhca_sim_sq_flush(qp, VHCA_CQE_ST_WR_FLUSH_ERR,
					  VHCA_CQE_SYND_FLUSH);
		break;
	case VHCA_QPS_ERR:
		again = vhca_sim_sq_flush(qp, VHCA_CQE_ST_WR_FLUSH_ERR,
					  VHCA_CQE_SYND_FLUSH);
		vhca_sim_err_poll(qp, vhca_sim_rq_flush(qp));
		break;
	default:
		/* RESET, INIT, RTR: nothing may be posted yet */
		if (qp->log_sq_size && READ_ONCE(qp->req.pi) != qp->req.ci) {
			vhca_sim_sq_flush(qp, VHCA_CQE_ST_LOC_QP_OP_ERR,
					  VHCA_CQE_SYND_BAD_STATE);
			vhca_sim_qp_to_err(qp);
		}
	}
unlock:
	spin_unlock_bh(&qp->lock);
	if (again)
		queue_work(qp->sdev->res->wq, &qp->work);
}

/**
 * vhca_sim_sq_doorbell - an SQ doorbell through a UAR
 * @sdev: the device
 * @uar: the UAR it was rung through
 * @val: the doorbell (VHCA_SQ_DB_QPN, VHCA_SQ_DB_PI)
 *
 * Any context, hard interrupts off included: records the producer
 * counter and queues the send engine. A doorbell for an unknown QP,
 * through another UAR than the QP's, or counting more WQEBBs than the SQ
 * holds is ignored and counted.
 */
void vhca_sim_sq_doorbell(struct vhca_sim_dev *sdev, u32 uar, u64 val)
{
	u16 pi = FIELD_GET(VHCA_SQ_DB_PI, val);
	struct vhca_sim_qp *qp;

	qp = vhca_sim_qp_get(sdev, FIELD_GET(VHCA_SQ_DB_QPN, val));
	if (!qp) {
		atomic64_inc(&sdev->res->uar_bad_doorbells);
		return;
	}
	if (qp->uar != uar || !qp->log_sq_size ||
	    (u16)(pi - READ_ONCE(qp->req.cc)) > vhca_sim_sq_size(qp)) {
		/* a lost update of a debug counter is harmless */
		WRITE_ONCE(qp->bad_doorbells, READ_ONCE(qp->bad_doorbells) + 1);
		goto put;
	}
	WRITE_ONCE(qp->req.pi, pi);
	/* vhca_sim_qp_engine_stop() waits for this section */
	rcu_read_lock();
	if (!READ_ONCE(qp->req.stopped))
		queue_work(sdev->res->wq, &qp->work);
	rcu_read_unlock();
put:
	vhca_sim_qp_put(qp);
}

/**
 * vhca_sim_sq_stall - the debugfs sq_stall knob
 * @sdev: the device
 * @stall: true: the send engines of RTS and SQD QPs stop taking WQEs
 *	(doorbells are still recorded; flushes still complete); false:
 *	every QP's send engine looks at its SQ again
 */
void vhca_sim_sq_stall(struct vhca_sim_dev *sdev, bool stall)
{
	struct vhca_sim_qp *qp;
	unsigned long qpn;

	WRITE_ONCE(sdev->sq_stall, stall);
	if (stall)
		return;
	/* QPs are freed after a grace period; stopped ones take no work */
	rcu_read_lock();
	xa_for_each(&sdev->res->qps, qpn, qp)
		if (!READ_ONCE(qp->req.stopped))
			queue_work(sdev->res->wq, &qp->work);
	rcu_read_unlock();
}

/**
 * vhca_sim_qp_engine_init - set up a new QP's engines
 * @qp: the QP, not published yet
 *
 * An RC/UC QP gets its in-flight WQE table here; if that allocation
 * fails, its WQEs complete with LOC_QP_OP_ERR instead of being sent.
 */
void vhca_sim_qp_engine_init(struct vhca_sim_qp *qp)
{
	struct vhca_sim_req *req = &qp->req;

	INIT_WORK(&qp->work, vhca_sim_send_work);
	vhca_sim_req_timer_init(qp);
	req->resend_psn = U32_MAX;
	req->stopped = false;
	if (qp->log_sq_size &&
	    (qp->type == VHCA_QPT_RC || qp->type == VHCA_QPT_UC))
		req->swqe = kvcalloc(vhca_sim_sq_size(qp), sizeof(*req->swqe),
				     GFP_KERNEL);
}

/**
 * vhca_sim_qp_engine_stop - stop a QP's engines for good
 * @qp: the QP, unpublished (no new lookup finds it)
 *
 * No work runs and no timer fires once it returns; doorbells that found
 * the QP before are waited for. Sleeps.
 */
void vhca_sim_qp_engine_stop(struct vhca_sim_qp *qp)
{
	spin_lock_bh(&qp->lock);
	qp->req.stopped = true;
	vhca_sim_req_timer_stop(qp);
	spin_unlock_bh(&qp->lock);
	synchronize_rcu();
	hrtimer_cancel(&qp->req.timer);
	cancel_work_sync(&qp->work);
	kvfree(qp->req.swqe);
	qp->req.swqe = NULL;
}

/**
 * vhca_sim_qp_engine_modify - MODIFY_QP moved a QP
 * @qp: the QP, lock held, attributes applied
 * @cur: the state it was in
 * @next: the state it is in now
 *
 * RESET forgets everything (the driver starts its counters over too);
 * RTR takes the expected PSN, RTS (from RTR) the send PSN and retry
 * counts; ERR and SQE make the send engine flush, SQD makes it drain.
 */
void vhca_sim_qp_engine_modify(struct vhca_sim_qp *qp, u8 cur, u8 next)
{
	struct vhca_sim_req *req = &qp->req;
	struct vhca_sim_resp *resp = &qp->resp;

	lockdep_assert_held(&qp->lock);
	switch (next) {
	case VHCA_QPS_RESET:
		vhca_sim_req_timer_stop(qp);
		WRITE_ONCE(req->pi, 0);
		req->ci = 0;
		req->cc = 0;
		req->psn = 0;
		req->una_psn = 0;
		req->resend_psn = U32_MAX;
		req->rd_inflight = 0;
		req->tx_psn = 0;
		req->tx_idx = 0;
		req->tx_high = 0;
		req->rnr_wait = false;
		req->sqd_event = false;
		req->last_wqe = false;
		req->failed = false;
		memset(resp, 0, sizeof(*resp));
		break;
	case VHCA_QPS_RTR:
		if (cur == VHCA_QPS_INIT) {
			memset(resp, 0, sizeof(*resp));
			resp->epsn = qp->attr.rq_psn & VHCA_PSN_MASK;
		}
		break;
	case VHCA_QPS_RTS:
		if (cur == VHCA_QPS_RTR) {
			req->psn = qp->attr.sq_psn & VHCA_PSN_MASK;
			req->una_psn = req->psn;
			req->tx_psn = req->psn;
			req->tx_high = req->psn;
			req->tx_idx = req->ci;
			req->retries = qp->attr.retry_cnt;
			req->rnr_retries = qp->attr.rnr_retry;
		}
		vhca_sim_req_kick_locked(qp);
		break;
	case VHCA_QPS_SQD:
		req->sqd_event = false;
		vhca_sim_req_kick_locked(qp);
		break;
	case VHCA_QPS_SQE:
	case VHCA_QPS_ERR:
		if (cur != next) {
			req->last_wqe = false;
			req->err_poll = 0;
		}
		vhca_sim_req_kick_locked(qp);
		break;
	}
}
