// SPDX-License-Identifier: GPL-2.0
/*
 * RC requester reliability.
 *
 * The responder's answers reach the requester through the port's receive
 * engine (vhca_sim_req_rx(), qp->lock held):
 *
 *  - an ACK of PSN A acknowledges every packet up to A: the WQEs whose
 *    packets are all acknowledged complete, in order (a CQE when
 *    signaled), and the retry counts start over;
 *  - RDMA READ responses are written to the READ's scatter list at
 *    (psn - first_psn) * MTU; the READ completes with its last one. A
 *    response out of order means one was lost: the READ is asked again
 *    from the first missing PSN;
 *  - a sequence-error NAK sends again from the PSN it names (no retry
 *    is counted); an RNR NAK waits the responder's RNR time, then sends
 *    again (rnr_retry 7 waits forever, else the count runs down and the
 *    WQE fails with RNR_RETRY_EXC_ERR); an invalid-request, remote-access
 *    or remote-operational NAK fails the WQE and the QP goes to ERR.
 *
 * The retransmit timer runs while packets are unacknowledged: 4.096 us
 * << the QP's timeout attribute, but at least VHCA_SIM_MIN_TIMEOUT_NS; a
 * timeout of 0 means no timer. On expiry the send engine sends again from
 * the oldest unacknowledged PSN, or, with no retries left, fails the
 * oldest WQE with RETRY_EXC_ERR. The timer's handler (softirq) only
 * queues the send engine; the expiry is handled there, under qp->lock.
 */

#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <rdma/ib_pack.h>

#include "engine.h"

static u16 vhca_sim_sq_mask(const struct vhca_sim_qp *qp)
{
	return BIT(qp->log_sq_size) - 1;
}

static enum hrtimer_restart vhca_sim_req_timer_fn(struct hrtimer *timer)
{
	struct vhca_sim_qp *qp = container_of(timer, struct vhca_sim_qp,
					      req.timer);

	set_bit(VHCA_SIM_REQ_EV_TIMER, &qp->req.events);
	queue_work(qp->sdev->res->wq, &qp->work);
	return HRTIMER_NORESTART;
}

void vhca_sim_req_timer_init(struct vhca_sim_qp *qp)
{
	hrtimer_init(&qp->req.timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	qp->req.timer.function = vhca_sim_req_timer_fn;
	qp->req.deadline = KTIME_MAX;
}

/* (re)start the timer to fire in @ns */
void vhca_sim_req_timer_arm(struct vhca_sim_qp *qp, u64 ns)
{
	struct vhca_sim_req *req = &qp->req;

	if (req->stopped)
		return;
	req->deadline = ktime_add_ns(ktime_get(), ns);
	req->timer_armed = true;
	hrtimer_start(&req->timer, ns_to_ktime(ns), HRTIMER_MODE_REL_SOFT);
}

/* stop the timer; an expiry already on its way is ignored */
void vhca_sim_req_timer_stop(struct vhca_sim_qp *qp)
{
	struct vhca_sim_req *req = &qp->req;

	if (req->timer_armed)
		hrtimer_try_to_cancel(&req->timer);
	req->timer_armed = false;
	req->deadline = KTIME_MAX;
	clear_bit(VHCA_SIM_REQ_EV_TIMER, &req->events);
}

/* the local ACK timeout, 0 for none */
static u64 vhca_sim_ack_timeout_ns(const struct vhca_sim_qp *qp)
{
	u8 t = qp->attr.timeout & 0x1f;

	if (!t)
		return 0;
	return max_t(u64, 4096ULL << t, VHCA_SIM_MIN_TIMEOUT_NS);
}

/* IBA RNR NAK timer encodings, in microseconds (0 is the longest) */
static const u32 vhca_rnr_us[32] = {
	655360, 10, 20, 30, 40, 60, 80, 120, 160, 240, 320, 480, 640, 960,
	1280, 1920, 2560, 3840, 5120, 7680, 10240, 15360, 20480, 30720,
	40960, 61440, 81920, 122880, 163840, 245760, 327680, 491520,
};

static u64 vhca_sim_rnr_ns(u8 code)
{
	return max_t(u64, vhca_rnr_us[code & 0x1f] * NSEC_PER_USEC,
		     VHCA_SIM_MIN_RNR_NS);
}

static void vhca_sim_req_kick(struct vhca_sim_qp *qp)
{
	if (!qp->req.stopped)
		queue_work(qp->sdev->res->wq, &qp->work);
}

/* the started WQE a PSN belongs to (or the first after it), or NULL */
static struct vhca_sim_swqe *vhca_sim_req_find(struct vhca_sim_qp *qp,
					       u32 psn)
{
	struct vhca_sim_req *req = &qp->req;
	struct vhca_sim_swqe *w;
	u16 idx;

	for (idx = req->cc; idx != req->ci; idx += w->nbb) {
		w = &req->swqe[idx & vhca_sim_sq_mask(qp)];
		if (w->status)
			return w;
		if (w->opcode != VHCA_WQE_OP_NOP &&
		    vhca_psn_diff(w->last_psn, psn) >= 0)
			return w;
	}
	return NULL;
}

/**
 * vhca_sim_req_fail - an RC/UC WQE failed
 * @qp: the QP, lock held
 * @w: the WQE
 * @status: VHCA_CQE_ST_* it completes with, once its turn comes
 * @synd: VHCA_CQE_SYND_*
 *
 * Nothing new starts; the QP goes to ERR when the WQE completes.
 */
void vhca_sim_req_fail(struct vhca_sim_qp *qp, struct vhca_sim_swqe *w,
		       u8 status, u8 synd)
{
	w->status = status;
	w->synd = synd;
	qp->req.failed = true;
	vhca_sim_req_complete(qp);
}

/* send again from @psn: the engine's cursor moves back (or forward) */
void vhca_sim_req_seek(struct vhca_sim_qp *qp, u32 psn)
{
	struct vhca_sim_req *req = &qp->req;
	struct vhca_sim_swqe *w = vhca_sim_req_find(qp, psn);

	if (!w) {
		req->tx_idx = req->ci;
		req->tx_psn = req->psn;
		return;
	}
	req->tx_idx = w->wqe_counter;
	req->tx_psn = vhca_psn_diff(psn, w->first_psn) < 0 ? w->first_psn :
							       psn;
}

/**
 * vhca_sim_req_complete - complete, in order, the WQEs that are done
 * @qp: the QP, lock held
 *
 * A WQE is done when its last PSN is acknowledged (UC: sent). One that
 * failed completes with its error and moves the QP to ERR; the engine
 * then flushes the rest.
 */
void vhca_sim_req_complete(struct vhca_sim_qp *qp)
{
	struct vhca_sim_req *req = &qp->req;
	struct vhca_sim_swqe *w;
	bool kick = false;

	if (!req->swqe)
		return;
	while (req->cc != req->ci) {
		w = &req->swqe[req->cc & vhca_sim_sq_mask(qp)];
		if (w->status) {
			if (w->opcode == VHCA_WQE_OP_RDMA_READ &&
			    req->rd_inflight)
				req->rd_inflight--;
			vhca_sim_req_cqe(qp, w->wqe_counter, w->opcode,
					 w->status, w->synd, 0);
			req->cc += w->nbb;
			vhca_sim_qp_to_err(qp);
			return;
		}
		if (vhca_psn_diff(w->last_psn, req->una_psn) >= 0)
			break;
		if (w->opcode == VHCA_WQE_OP_RDMA_READ) {
			if (req->rd_inflight)
				req->rd_inflight--;
			kick = true;
		}
		if ((w->flags & VHCA_WQE_F_SIGNALED) ||
		    (qp->flags & VHCA_QP_F_SIG_ALL))
			vhca_sim_req_cqe(qp, w->wqe_counter, w->opcode,
					 VHCA_CQE_ST_OK, 0, w->length);
		req->cc += w->nbb;
	}
	/* a READ fewer outstanding may let a waiting WQE start */
	if (kick)
		vhca_sim_req_kick(qp);
}

/**
 * vhca_sim_req_sent - the engine put PSNs [@psn, @next) on the wire
 * @qp: the QP, lock held
 * @psn: the packet's PSN
 * @next: the PSN after it (after all the PSNs of a READ request)
 *
 * Counts a retransmission and, for RC, makes sure the timer runs.
 */
void vhca_sim_req_sent(struct vhca_sim_qp *qp, u32 psn, u32 next)
{
	struct vhca_sim_req *req = &qp->req;
	u64 ns;

	if (vhca_psn_diff(psn, req->tx_high) < 0)
		req->retransmits++;
	if (vhca_psn_diff(next, req->tx_high) > 0)
		req->tx_high = next;
	if (qp->type != VHCA_QPT_RC || req->timer_armed)
		return;
	ns = vhca_sim_ack_timeout_ns(qp);
	if (ns)
		vhca_sim_req_timer_arm(qp, ns);
}

/**
 * vhca_sim_req_timeout - the retransmit (or RNR) timer expired
 * @qp: the QP, lock held; called by the send engine
 */
void vhca_sim_req_timeout(struct vhca_sim_qp *qp)
{
	struct vhca_sim_req *req = &qp->req;
	struct vhca_sim_swqe *w;

	/* stopped, or restarted since it fired */
	if (!req->timer_armed || ktime_before(ktime_get(), req->deadline))
		return;
	req->timer_armed = false;
	req->deadline = KTIME_MAX;
	if (qp->type != VHCA_QPT_RC ||
	    (qp->state != VHCA_QPS_RTS && qp->state != VHCA_QPS_SQD))
		return;
	if (req->rnr_wait) {
		/* the engine sends again from where the RNR NAK said */
		req->rnr_wait = false;
		return;
	}
	if (vhca_psn_diff(req->tx_high, req->una_psn) <= 0)
		return;
	req->timeouts++;
	if (!req->retries) {
		w = vhca_sim_req_find(qp, req->una_psn);
		if (w)
			vhca_sim_req_fail(qp, w, VHCA_CQE_ST_RETRY_EXC_ERR,
					  VHCA_CQE_SYND_RETRY);
		else
			vhca_sim_qp_to_err(qp);
		return;
	}
	req->retries--;
	req->resend_psn = U32_MAX;
	vhca_sim_req_seek(qp, req->una_psn);
}

/* everything before @una is acknowledged */
static void vhca_sim_req_progress(struct vhca_sim_qp *qp, u32 una)
{
	struct vhca_sim_req *req = &qp->req;
	u64 ns;

	if (vhca_psn_diff(una, req->una_psn) <= 0)
		return;
	req->una_psn = una;
	req->retries = qp->attr.retry_cnt;
	req->rnr_retries = qp->attr.rnr_retry;
	req->resend_psn = U32_MAX;
	vhca_sim_req_complete(qp);
	if (qp->state != VHCA_QPS_RTS && qp->state != VHCA_QPS_SQD)
		return;
	if (vhca_psn_diff(req->tx_psn, una) < 0)
		vhca_sim_req_seek(qp, una);
	if (!req->rnr_wait) {
		ns = vhca_sim_ack_timeout_ns(qp);
		if (ns && vhca_psn_diff(req->tx_high, una) > 0)
			vhca_sim_req_timer_arm(qp, ns);
		else
			vhca_sim_req_timer_stop(qp);
	}
	/* the window moved: more may go out */
	vhca_sim_req_kick(qp);
}

/* an ACK through PSN @a */
static void vhca_sim_req_ack(struct vhca_sim_qp *qp, u32 a)
{
	struct vhca_sim_req *req = &qp->req;
	u32 una = vhca_psn_add(a, 1);
	struct vhca_sim_swqe *w;
	bool implied = false;
	u16 idx;

	if (vhca_psn_diff(a, req->una_psn) < 0 ||
	    vhca_psn_diff(a, req->tx_high) >= 0)
		return;		/* old or bogus */
	/* An ACK past a READ whose responses have not all come means they
	 * were lost: the READ is acknowledged only up to its first missing
	 * response, and asked again from there.
	 */
	for (idx = req->cc; idx != req->ci; idx += w->nbb) {
		w = &req->swqe[idx & vhca_sim_sq_mask(qp)];
		if (w->opcode == VHCA_WQE_OP_NOP)
			continue;
		if (w->status || vhca_psn_diff(w->first_psn, a) > 0)
			break;
		if (w->opcode == VHCA_WQE_OP_RDMA_READ &&
		    vhca_psn_diff(w->last_psn, req->una_psn) >= 0) {
			una = vhca_psn_diff(w->first_psn, req->una_psn) > 0 ?
			      w->first_psn : req->una_psn;
			implied = true;
			break;
		}
	}
	vhca_sim_req_progress(qp, una);
	if (implied && req->resend_psn != req->una_psn &&
	    (qp->state == VHCA_QPS_RTS || qp->state == VHCA_QPS_SQD)) {
		req->resend_psn = req->una_psn;
		vhca_sim_req_seek(qp, req->una_psn);
		vhca_sim_req_kick(qp);
	}
}

/* a NAK or RNR NAK for PSN @p: valid only for a PSN sent and not acked */
static bool vhca_sim_req_nak_valid(struct vhca_sim_qp *qp, u32 p)
{
	return vhca_psn_diff(p, qp->req.una_psn) >= 0 &&
	       vhca_psn_diff(p, qp->req.tx_high) < 0;
}

static void vhca_sim_req_nak(struct vhca_sim_qp *qp, u32 p, u8 syndrome)
{
	struct vhca_sim_req *req = &qp->req;
	struct vhca_sim_swqe *w;
	u8 status;

	if (!vhca_sim_req_nak_valid(qp, p))
		return;
	req->naks++;
	vhca_sim_req_progress(qp, p);
	if (qp->state != VHCA_QPS_RTS && qp->state != VHCA_QPS_SQD)
		return;

	if ((syndrome & VHCA_AETH_TYPE_MASK) == VHCA_AETH_RNR_NAK) {
		if (!req->rnr_retries) {
			w = vhca_sim_req_find(qp, p);
			if (w)
				vhca_sim_req_fail(qp, w,
						  VHCA_CQE_ST_RNR_RETRY_EXC_ERR,
						  VHCA_CQE_SYND_RNR);
			return;
		}
		if (req->rnr_retries != 7)
			req->rnr_retries--;
		vhca_sim_req_seek(qp, p);
		req->rnr_wait = true;
		vhca_sim_req_timer_arm(qp, vhca_sim_rnr_ns(syndrome));
		return;
	}

	switch (syndrome & ~VHCA_AETH_TYPE_MASK) {
	case VHCA_NAK_PSN_SEQ:
		/* once per PSN: the responder NAKs each gap once too */
		if (req->resend_psn == p)
			return;
		req->resend_psn = p;
		vhca_sim_req_seek(qp, p);
		vhca_sim_req_kick(qp);
		return;
	case VHCA_NAK_INV_REQ:
		status = VHCA_CQE_ST_REM_INV_REQ_ERR;
		break;
	case VHCA_NAK_REM_ACCESS:
		status = VHCA_CQE_ST_REM_ACCESS_ERR;
		break;
	case VHCA_NAK_REM_OP:
		status = VHCA_CQE_ST_REM_OP_ERR;
		break;
	default:
		return;		/* reserved codes: ignored */
	}
	w = vhca_sim_req_find(qp, p);
	if (w)
		vhca_sim_req_fail(qp, w, status, VHCA_CQE_SYND_REMOTE);
	else
		vhca_sim_qp_to_err(qp);
}

static void vhca_sim_req_read_resp(struct vhca_sim_qp *qp,
				   struct vhca_sim_port *port,
				   const struct vhca_pkt_info *pi)
{
	struct vhca_sim_req *req = &qp->req;
	u32 mtu = vhca_mtu_bytes(qp->attr.path_mtu), p = pi->psn, k, n, plen;
	struct vhca_wqe_ctrl ctrl;
	struct vhca_sim_swqe *w;
	u8 synd;

	if (vhca_psn_diff(p, req->una_psn) < 0 ||
	    vhca_psn_diff(p, req->tx_high) >= 0) {
		/* a response to a READ asked twice, already written */
		vhca_sim_port_drop(port, VHCA_PORT_DROP_PSN);
		return;
	}
	w = vhca_sim_req_find(qp, p);
	if (!w || w->status || w->opcode != VHCA_WQE_OP_RDMA_READ ||
	    vhca_psn_diff(p, w->first_psn) < 0) {
		vhca_sim_port_drop(port, VHCA_PORT_DROP_BAD_HDR);
		return;
	}
	/* a READ response acknowledges every request before the READ */
	vhca_sim_req_progress(qp, w->first_psn);
	if (qp->state != VHCA_QPS_RTS && qp->state != VHCA_QPS_SQD)
		return;
	if (p != req->una_psn) {
		vhca_sim_port_drop(port, VHCA_PORT_DROP_PSN);
		if (req->resend_psn != req->una_psn) {
			req->resend_psn = req->una_psn;
			vhca_sim_req_seek(qp, req->una_psn);
			vhca_sim_req_kick(qp);
		}
		return;
	}

	k = vhca_psn_diff(p, w->first_psn);
	n = vhca_msg_pkts(w->length, mtu);
	plen = min(mtu, w->length - min(k * mtu, w->length));
	if (pi->opcode != vhca_read_resp_opcode(k, n) ||
	    pi->payload_len != plen) {
		vhca_sim_req_fail(qp, w, VHCA_CQE_ST_BAD_RESP_ERR,
				  VHCA_CQE_SYND_REMOTE);
		return;
	}
	if (plen) {
		if (vhca_sim_sq_read(qp, w->wqe_counter, 0, &ctrl,
				     sizeof(ctrl))) {
			vhca_sim_req_fail(qp, w, VHCA_CQE_ST_LOC_QP_OP_ERR,
					  VHCA_CQE_SYND_DMA);
			return;
		}
		if (vhca_sim_sq_sgl(qp, w->wqe_counter,
				    vhca_sim_sq_seg_start(qp, w->opcode),
				    ctrl.ds * VHCA_WQE_DS, k * mtu,
				    (u8 *)pi->payload, plen, true, &synd)) {
			vhca_sim_req_fail(qp, w,
					  synd == VHCA_CQE_SYND_BAD_WQE ?
					  VHCA_CQE_ST_LOC_QP_OP_ERR :
					  vhca_sim_synd_status(synd), synd);
			return;
		}
	}
	vhca_sim_req_progress(qp, vhca_psn_add(p, 1));
}

/**
 * vhca_sim_req_rx - a packet for the requester side of an RC QP
 * @qp: the QP, lock held (the port's receive engine holds it)
 * @pi: the parsed packet: an ACK/NAK or an RDMA READ response
 *
 * Dropped (and counted on the QP's port) unless the QP is in RTS or SQD.
 */
void vhca_sim_req_rx(struct vhca_sim_qp *qp, const struct vhca_pkt_info *pi)
{
	struct vhca_sim_port *port = vhca_sim_qp_port(qp);

	lockdep_assert_held(&qp->lock);
	if (!port)
		return;
	if (qp->type != VHCA_QPT_RC || !qp->req.swqe ||
	    (qp->state != VHCA_QPS_RTS && qp->state != VHCA_QPS_SQD)) {
		vhca_sim_port_drop(port, VHCA_PORT_DROP_QP_STATE);
		return;
	}
	if (pi->opcode != IB_OPCODE_RC_ACKNOWLEDGE) {
		vhca_sim_req_read_resp(qp, port, pi);
		return;
	}
	switch (pi->syndrome & VHCA_AETH_TYPE_MASK) {
	case VHCA_AETH_ACK:
		vhca_sim_req_ack(qp, pi->psn);
		break;
	case VHCA_AETH_RNR_NAK:
	case VHCA_AETH_NAK:
		vhca_sim_req_nak(qp, pi->psn, pi->syndrome);
		break;
	default:
		vhca_sim_port_drop(port, VHCA_PORT_DROP_BAD_HDR);
	}
}
