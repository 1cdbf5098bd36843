// SPDX-License-Identifier: GPL-2.0
/*
 * The port's receive engine: what happens to a packet the switch
 * delivered (port.c queues it; one work item per port runs this, so a
 * port's packets are handled one at a time, in order).
 *
 * A packet is checked (VCRC, ICRC, headers), then against the port: it
 * must be ACTIVE (QP0 SMPs also INIT/ARMED), the DLID the port's LID or
 * a multicast LID, the P_Key in the port's table. Multicast goes to every
 * UD QP of the port attached to the GRH's DGID, unicast to the QP the
 * BTH names. Every drop is counted on the port by reason.
 *
 * UD, GSI, SMI: the Q_Key (and for UD the QP's own P_Key) must match; a
 * receive WQE gets the 40-byte GRH area (the packet's GRH, or untouched)
 * and the payload. A UD QP's datagrams have their IP checksums verified
 * (CQE flags L3_OK, L4_OK) and, if the QP has an RSS table (rss.c), go
 * to the receive queue of the RQ-only QP the hash picks. TX mux and
 * RQ-only QPs are never addressed: packets naming them are dropped.
 *
 * RC/UC responder: PSN == expected PSN is executed (SEND into the next
 * receive WQE, RDMA WRITE through the RETH's rkey, RDMA READ answered with
 * response packets) and, when the request asks, acknowledged. RC answers
 * a duplicate with an ACK (a duplicate READ is executed again), a PSN
 * ahead with one sequence NAK, a SEND without a receive WQE with an RNR
 * NAK, and a bad request with a NAK after which the QP is in ERR. UC
 * drops what it cannot take and resynchronizes on the next FIRST/ONLY.
 */

#include <linux/slab.h>
#include <rdma/ib_pack.h>

#include "engine.h"
#include "offload.h"

/* the opcode without its transport, IB_OPCODE_SEND_FIRST .. */
#define VHCA_OP(opcode)		((opcode) & 0x1f)
#define VHCA_TRANSPORT(opcode)	((opcode) & 0xe0)

static bool vhca_op_first(u8 op)
{
	switch (op) {
	case IB_OPCODE_SEND_FIRST:
	case IB_OPCODE_SEND_ONLY:
	case IB_OPCODE_SEND_ONLY_WITH_IMMEDIATE:
	case IB_OPCODE_RDMA_WRITE_FIRST:
	case IB_OPCODE_RDMA_WRITE_ONLY:
	case IB_OPCODE_RDMA_WRITE_ONLY_WITH_IMMEDIATE:
	case IB_OPCODE_RDMA_READ_REQUEST:
		return true;
	}
	return false;
}

static bool vhca_op_last(u8 op)
{
	switch (op) {
	case IB_OPCODE_SEND_LAST:
	case IB_OPCODE_SEND_LAST_WITH_IMMEDIATE:
	case IB_OPCODE_SEND_ONLY:
	case IB_OPCODE_SEND_ONLY_WITH_IMMEDIATE:
	case IB_OPCODE_RDMA_WRITE_LAST:
	case IB_OPCODE_RDMA_WRITE_LAST_WITH_IMMEDIATE:
	case IB_OPCODE_RDMA_WRITE_ONLY:
	case IB_OPCODE_RDMA_WRITE_ONLY_WITH_IMMEDIATE:
		return true;
	}
	return false;
}

/* Write @len bytes at message offset @off through a receive WQE's
 * scatter list. Return: VHCA_CQE_ST_OK, LOC_LEN_ERR if the list is too
 * short, or the status of a key/DMA failure (@synd says which).
 */
static u8 vhca_sim_rq_scatter(struct vhca_sim_qp *qp,
			      const struct vhca_wqe_data *sge, u8 nsge,
			      u32 off, const u8 *buf, u32 len, u8 *synd)
{
	u32 bc, n;
	u8 i;

	*synd = VHCA_CQE_SYND_NONE;
	for (i = 0; i < nsge && len; i++) {
		bc = be32_to_cpu(sge[i].byte_count);
		if (off >= bc) {
			off -= bc;
			continue;
		}
		n = min(bc - off, len);
		*synd = vhca_sim_mem_copy(qp->sdev, qp->pd,
					  be32_to_cpu(sge[i].lkey),
					  VHCA_ACCESS_LOCAL_WRITE,
					  be64_to_cpu(sge[i].addr) + off,
					  (void *)buf, n, true);
		if (*synd)
			return vhca_sim_synd_status(*synd);
		buf += n;
		len -= n;
		off = 0;
	}
	if (len) {
		*synd = VHCA_CQE_SYND_TOO_LONG;
		return VHCA_CQE_ST_LOC_LEN_ERR;
	}
	return VHCA_CQE_ST_OK;
}

/**
 * struct vhca_sim_rx_meta - what a UD receive's CQE says beyond the packet
 * @qpn: the QP the CQE names: the addressed QP, also when an RQ-only QP
 *	of its RSS table took the datagram
 * @flags: VHCA_CQE_F_L3_OK, VHCA_CQE_F_L4_OK, VHCA_CQE_F_RSS
 * @csum_bad: an IP datagram whose checksums did not verify
 * @rss_hash: with VHCA_CQE_F_RSS: the hash
 * @rss_type: with VHCA_CQE_F_RSS: VHCA_RSS_TYPE_*
 */
struct vhca_sim_rx_meta {
	u32 qpn;
	u8 flags;
	bool csum_bad;
	u32 rss_hash;
	u8 rss_type;
};

/* a receive WQE of @qp failed or was flushed; the CQE names @qpn */
static void vhca_sim_resp_err_cqe_qpn(struct vhca_sim_qp *qp, u32 qpn,
				      u16 idx, u8 status, u8 synd)
{
	struct vhca_cqe cqe = {
		.opcode = VHCA_CQE_RESP_ERR,
		.status = status,
		.qpn = cpu_to_be32(qpn),
		.wqe_counter = cpu_to_be16(idx),
		.vendor_syndrome = cpu_to_be32(synd),
	};

	vhca_sim_cq_post(qp->sdev, qp->rcq, &cqe);
}

static void vhca_sim_resp_err_cqe(struct vhca_sim_qp *qp, u16 idx, u8 status,
				  u8 synd)
{
	vhca_sim_resp_err_cqe_qpn(qp, qp->qpn, idx, status, synd);
}

/* a receive completed: SEND (@opcode RESP_SEND[_IMM]) or WRITE_IMM; UD
 * receives give @meta (else NULL)
 */
static void vhca_sim_resp_cqe(struct vhca_sim_qp *qp, u8 opcode, u16 idx,
			      u32 byte_cnt, const struct vhca_pkt_info *pi,
			      u32 src_qp, int pkey_index,
			      const struct vhca_sim_rx_meta *meta)
{
	struct vhca_cqe cqe = {
		.opcode = opcode,
		.qpn = cpu_to_be32(meta ? meta->qpn : qp->qpn),
		.byte_cnt = cpu_to_be32(byte_cnt),
		.src_qp = cpu_to_be32(src_qp),
		.slid = cpu_to_be16(pi->slid),
		.sl = pi->sl,
		.wqe_counter = cpu_to_be16(idx),
		.pkey_index = cpu_to_be16(pkey_index > 0 ? pkey_index : 0),
	};

	if (meta) {
		cqe.flags = meta->flags;
		if (meta->flags & VHCA_CQE_F_RSS) {
			cqe.rss_hash = cpu_to_be32(meta->rss_hash);
			cqe.rss_type = meta->rss_type;
		}
	}
	if (vhca_opcode_has_imm(pi->opcode)) {
		cqe.flags |= VHCA_CQE_F_IMM;
		cqe.imm = pi->imm;
	}
	if (pi->grh)
		cqe.flags |= VHCA_CQE_F_GRH;
	if (pi->se)
		cqe.flags |= VHCA_CQE_F_SOLICITED;
	vhca_sim_cq_post(qp->sdev, qp->rcq, &cqe);
}

/**
 * vhca_sim_rq_flush - flush a QP's receive side (it is in ERR)
 * @qp: the QP, lock held; called by the send engine
 *
 * Every posted receive WQE completes with WR_FLUSH_ERR; a QP on an SRQ
 * leaves the SRQ alone and raises LAST_WQE_REACHED once instead.
 *
 * Return: receive WQEs flushed.
 */
unsigned int vhca_sim_rq_flush(struct vhca_sim_qp *qp)
{
	struct vhca_sim_resp *resp = &qp->resp;
	unsigned int n = 0;
	u8 nsge;
	u16 idx;

	if (resp->have_wqe) {
		vhca_sim_resp_err_cqe(qp, resp->wqe_idx,
				      VHCA_CQE_ST_WR_FLUSH_ERR,
				      VHCA_CQE_SYND_FLUSH);
		resp->have_wqe = false;
		n++;
	}
	resp->in_msg = false;
	if (qp->srq) {
		if (!qp->req.last_wqe) {
			qp->req.last_wqe = true;
			vhca_sim_qp_event(qp, VHCA_QP_EVENT_LAST_WQE);
		}
		return n;
	}
	if (qp->flags & VHCA_QP_F_NO_RQ)
		return n;
	while (n <= BIT(qp->log_rq_size)) {
		if (vhca_sim_recv_wqe_pop(qp, resp->wqe, &nsge, &idx))
			break;
		vhca_sim_resp_err_cqe(qp, idx, VHCA_CQE_ST_WR_FLUSH_ERR,
				      VHCA_CQE_SYND_FLUSH);
		n++;
	}
	return n;
}

/* a packet the port sends on behalf of a QP (responses, ACKs) */
static void vhca_sim_resp_xmit(struct vhca_sim_port *port,
			       struct vhca_pkt *pkt)
{
	if (!pkt) {
		vhca_sim_port_drop(port, VHCA_PORT_DROP_OVERFLOW);
		return;
	}
	if (READ_ONCE(port->state) != VHCA_PORT_STATE_ACTIVE) {
		vhca_sim_port_drop(port, VHCA_PORT_DROP_LINK_DOWN);
		vhca_pkt_free(pkt);
		return;
	}
	pkt->ingress = port;
	vhca_switch_xmit(port->fab, pkt);
}

/* an ACK, NAK or RNR NAK (@syndrome) for PSN @psn */
static void vhca_sim_resp_ack(struct vhca_sim_qp *qp,
			      struct vhca_sim_port *port, u32 psn,
			      u8 syndrome)
{
	struct vhca_pkt_info info;

	vhca_sim_qp_path_info(qp, port, &info);
	info.opcode = IB_OPCODE_RC_ACKNOWLEDGE;
	info.psn = psn;
	info.syndrome = syndrome;
	info.msn = qp->resp.msn;
	vhca_sim_resp_xmit(port, vhca_wire_build(&info, GFP_ATOMIC));
}

/* Answer an RDMA READ request: response packets PSN @psn on, read
 * through the rkey. Return: 0, or the NAK syndrome (*@nak_psn the PSN).
 */
static u8 vhca_sim_resp_read(struct vhca_sim_qp *qp, struct vhca_sim_port *port,
			     const struct vhca_pkt_info *pi, u32 *nak_psn)
{
	u32 mtu = vhca_mtu_bytes(qp->attr.path_mtu);
	u32 n = vhca_msg_pkts(pi->dma_len, mtu), k, off, plen;
	struct vhca_pkt_info info;
	struct vhca_pkt *pkt;
	u8 *payload, synd;

	for (k = 0; k < n; k++) {
		off = k * mtu;
		plen = min(mtu, pi->dma_len - off);
		vhca_sim_qp_path_info(qp, port, &info);
		info.opcode = vhca_read_resp_opcode(k, n);
		info.psn = vhca_psn_add(pi->psn, k);
		info.syndrome = VHCA_AETH_ACK | VHCA_AETH_NO_CREDITS;
		info.msn = qp->resp.msn;
		info.payload_len = plen;
		pkt = vhca_wire_alloc(&info, GFP_ATOMIC, &payload);
		if (!pkt) {
			/* the requester asks again */
			vhca_sim_port_drop(port, VHCA_PORT_DROP_OVERFLOW);
			continue;
		}
		if (plen) {
			synd = vhca_sim_mem_copy(qp->sdev, qp->pd, pi->rkey,
						 VHCA_ACCESS_REMOTE_READ,
						 pi->va + off, payload, plen,
						 false);
			if (synd) {
				vhca_pkt_free(pkt);
				*nak_psn = info.psn;
				return VHCA_AETH_NAK |
				       (synd == VHCA_CQE_SYND_DMA ?
					VHCA_NAK_REM_OP : VHCA_NAK_REM_ACCESS);
			}
		}
		vhca_wire_seal(pkt);
		vhca_sim_resp_xmit(port, pkt);
	}
	return 0;
}

/* take the next receive WQE for the message; 0 or a (RNR) NAK syndrome */
static u8 vhca_sim_resp_get_wqe(struct vhca_sim_qp *qp)
{
	struct vhca_sim_resp *resp = &qp->resp;
	int err;

	if (resp->have_wqe)
		return 0;
	err = vhca_sim_recv_wqe_pop(qp, resp->wqe, &resp->wqe_nsge,
				    &resp->wqe_idx);
	if (err == -ENOBUFS)
		return VHCA_AETH_RNR_NAK | (qp->attr.min_rnr_timer & 0x1f);
	if (err)
		return VHCA_AETH_NAK | VHCA_NAK_REM_OP;
	resp->have_wqe = true;
	return 0;
}

static u8 vhca_sim_resp_send(struct vhca_sim_qp *qp,
			     const struct vhca_pkt_info *pi, bool first,
			     bool last)
{
	struct vhca_sim_resp *resp = &qp->resp;
	u32 mtu = vhca_mtu_bytes(qp->attr.path_mtu), len = pi->payload_len;
	u8 syn, status, synd;

	if (first) {
		if (resp->in_msg)
			return VHCA_AETH_NAK | VHCA_NAK_INV_REQ;
		syn = vhca_sim_resp_get_wqe(qp);
		if (syn)
			return syn;
		resp->msg_op = IB_OPCODE_SEND_FIRST;
		resp->offset = 0;
	} else if (!resp->in_msg || resp->msg_op != IB_OPCODE_SEND_FIRST) {
		return VHCA_AETH_NAK | VHCA_NAK_INV_REQ;
	}
	if (len > mtu || (!last && len != mtu))
		return VHCA_AETH_NAK | VHCA_NAK_INV_REQ;
	if (len) {
		status = vhca_sim_rq_scatter(qp, resp->wqe, resp->wqe_nsge,
					     resp->offset, pi->payload, len,
					     &synd);
		if (status) {
			/* a local error: the receive WQE fails, the QP too */
			vhca_sim_resp_err_cqe(qp, resp->wqe_idx, status, synd);
			resp->have_wqe = false;
			resp->in_msg = false;
			vhca_sim_qp_to_err(qp);
			return VHCA_AETH_NAK |
			       (status == VHCA_CQE_ST_LOC_LEN_ERR ?
				VHCA_NAK_INV_REQ : VHCA_NAK_REM_OP);
		}
	}
	resp->offset += len;
	resp->in_msg = !last;
	if (last) {
		vhca_sim_resp_cqe(qp, vhca_opcode_has_imm(pi->opcode) ?
				  VHCA_CQE_RESP_SEND_IMM : VHCA_CQE_RESP_SEND,
				  resp->wqe_idx, resp->offset, pi,
				  qp->attr.dest_qpn, 0, NULL);
		resp->have_wqe = false;
		resp->msn = vhca_psn_add(resp->msn, 1);
	}
	resp->epsn = vhca_psn_add(resp->epsn, 1);
	return 0;
}

static u8 vhca_sim_resp_write(struct vhca_sim_qp *qp,
			      const struct vhca_pkt_info *pi, bool first,
			      bool last)
{
	struct vhca_sim_resp *resp = &qp->resp;
	u32 mtu = vhca_mtu_bytes(qp->attr.path_mtu), len = pi->payload_len;
	bool imm = vhca_opcode_has_imm(pi->opcode);
	u8 syn, synd;

	if (first) {
		if (resp->in_msg)
			return VHCA_AETH_NAK | VHCA_NAK_INV_REQ;
		if (!(qp->attr.access & VHCA_ACCESS_REMOTE_WRITE))
			return VHCA_AETH_NAK | VHCA_NAK_REM_ACCESS;
		resp->msg_op = IB_OPCODE_RDMA_WRITE_FIRST;
		resp->va = pi->va;
		resp->rkey = pi->rkey;
		resp->resid = pi->dma_len;
		resp->dma_len = pi->dma_len;
	} else if (!resp->in_msg ||
		   resp->msg_op != IB_OPCODE_RDMA_WRITE_FIRST) {
		return VHCA_AETH_NAK | VHCA_NAK_INV_REQ;
	}
	if (len > mtu || len > resp->resid || (!last && len != mtu) ||
	    (last && len != resp->resid))
		return VHCA_AETH_NAK | VHCA_NAK_INV_REQ;
	/* the receive WQE first: without one nothing is written (RNR) */
	if (imm) {
		syn = vhca_sim_resp_get_wqe(qp);
		if (syn)
			return syn;
	}
	if (len) {
		synd = vhca_sim_mem_copy(qp->sdev, qp->pd, resp->rkey,
					 VHCA_ACCESS_REMOTE_WRITE, resp->va,
					 (void *)pi->payload, len, true);
		if (synd)
			return VHCA_AETH_NAK |
			       (synd == VHCA_CQE_SYND_DMA ? VHCA_NAK_REM_OP :
							    VHCA_NAK_REM_ACCESS);
	}
	resp->va += len;
	resp->resid -= len;
	resp->in_msg = !last;
	if (last) {
		if (imm) {
			vhca_sim_resp_cqe(qp, VHCA_CQE_RESP_WRITE_IMM,
					  resp->wqe_idx, resp->dma_len, pi,
					  qp->attr.dest_qpn, 0, NULL);
			resp->have_wqe = false;
		}
		resp->msn = vhca_psn_add(resp->msn, 1);
	}
	resp->epsn = vhca_psn_add(resp->epsn, 1);
	return 0;
}

/* the request at the expected PSN; 0 or the NAK/RNR NAK syndrome */
static u8 vhca_sim_resp_execute(struct vhca_sim_qp *qp,
				struct vhca_sim_port *port,
				const struct vhca_pkt_info *pi, u32 *nak_psn)
{
	struct vhca_sim_resp *resp = &qp->resp;
	u8 op = VHCA_OP(pi->opcode), syn;
	u32 n;

	*nak_psn = pi->psn;
	if (op <= IB_OPCODE_SEND_ONLY_WITH_IMMEDIATE)
		return vhca_sim_resp_send(qp, pi, vhca_op_first(op),
					  vhca_op_last(op));
	if (op <= IB_OPCODE_RDMA_WRITE_ONLY_WITH_IMMEDIATE)
		return vhca_sim_resp_write(qp, pi, vhca_op_first(op),
					   vhca_op_last(op));
	if (op == IB_OPCODE_RDMA_READ_REQUEST) {
		if (resp->in_msg || pi->dma_len > BIT(VHCA_SIM_LOG_MAX_MSG))
			return VHCA_AETH_NAK | VHCA_NAK_INV_REQ;
		if (!(qp->attr.access & VHCA_ACCESS_REMOTE_READ))
			return VHCA_AETH_NAK | VHCA_NAK_REM_ACCESS;
		resp->msn = vhca_psn_add(resp->msn, 1);
		syn = vhca_sim_resp_read(qp, port, pi, nak_psn);
		if (syn)
			return syn;
		n = vhca_msg_pkts(pi->dma_len,
				  vhca_mtu_bytes(qp->attr.path_mtu));
		resp->epsn = vhca_psn_add(resp->epsn, n);
		return 0;
	}
	return VHCA_AETH_NAK | VHCA_NAK_INV_REQ;
}

/* an RC or UC packet for @qp; qp->lock held */
static void vhca_sim_rc_recv(struct vhca_sim_port *port,
			     struct vhca_sim_qp *qp,
			     const struct vhca_pkt_info *pi)
{
	struct vhca_sim_resp *resp = &qp->resp;
	bool rc = qp->type == VHCA_QPT_RC;
	u8 op = VHCA_OP(pi->opcode), syn;
	u32 nak_psn;
	s32 diff;

	if (op >= IB_OPCODE_RDMA_READ_RESPONSE_FIRST &&
	    op <= IB_OPCODE_ACKNOWLEDGE) {
		vhca_sim_req_rx(qp, pi);
		return;
	}
	if (pi->slid != be16_to_cpu(qp->attr.av.dlid)) {
		/* not from the peer of this connection */
		vhca_sim_port_drop(port, VHCA_PORT_DROP_BAD_HDR);
		return;
	}
	if (qp->state == VHCA_QPS_RTR && !resp->comm_est) {
		resp->comm_est = true;
		vhca_sim_qp_event(qp, VHCA_QP_EVENT_COMM_EST);
	}

	diff = vhca_psn_diff(pi->psn, resp->epsn);
	if (rc && diff < 0) {
		/* a duplicate: its ACK (or READ responses) went missing */
		vhca_sim_port_drop(port, VHCA_PORT_DROP_PSN);
		if (op == IB_OPCODE_RDMA_READ_REQUEST) {
			if (qp->attr.access & VHCA_ACCESS_REMOTE_READ)
				vhca_sim_resp_read(qp, port, pi, &nak_psn);
		} else if (pi->ackreq) {
			vhca_sim_resp_ack(qp, port,
					  vhca_psn_add(resp->epsn,
						       VHCA_PSN_MASK),
					  VHCA_AETH_ACK | VHCA_AETH_NO_CREDITS);
		}
		return;
	}
	if (rc && diff > 0) {
		/* a gap: ask for the expected PSN once */
		vhca_sim_port_drop(port, VHCA_PORT_DROP_PSN);
		if (!resp->nak_sent) {
			resp->nak_sent = true;
			vhca_sim_resp_ack(qp, port, resp->epsn,
					  VHCA_AETH_NAK | VHCA_NAK_PSN_SEQ);
		}
		return;
	}
	if (!rc && (diff || (!vhca_op_first(op) && !resp->in_msg))) {
		/* UC lost a packet: drop the message, wait for a new one */
		resp->in_msg = false;
		if (!vhca_op_first(op)) {
			vhca_sim_port_drop(port, VHCA_PORT_DROP_PSN);
			return;
		}
		resp->epsn = pi->psn;
	}

	syn = vhca_sim_resp_execute(qp, port, pi, &nak_psn);
	if (!syn) {
		resp->nak_sent = false;
		if (rc && pi->ackreq && op != IB_OPCODE_RDMA_READ_REQUEST)
			vhca_sim_resp_ack(qp, port, pi->psn,
					  VHCA_AETH_ACK | VHCA_AETH_NO_CREDITS);
		return;
	}
	if ((syn & VHCA_AETH_TYPE_MASK) == VHCA_AETH_RNR_NAK) {
		vhca_sim_port_drop(port, VHCA_PORT_DROP_NO_WQE);
		if (rc)
			vhca_sim_resp_ack(qp, port, pi->psn, syn);
		else
			resp->in_msg = false;
		return;
	}
	vhca_sim_port_drop(port, VHCA_PORT_DROP_BAD_HDR);
	if (rc) {
		vhca_sim_resp_ack(qp, port, nak_psn, syn);
		vhca_sim_qp_to_err(qp);
	} else {
		resp->in_msg = false;
	}
}

/* the QP is on this port and in a state that receives; lock held */
static bool vhca_sim_qp_can_recv(struct vhca_sim_port *port,
				 struct vhca_sim_qp *qp)
{
	if (qp->port != port->num) {
		vhca_sim_port_drop(port, VHCA_PORT_DROP_NO_QP);
		return false;
	}
	if (qp->state != VHCA_QPS_RTR && qp->state != VHCA_QPS_RTS &&
	    qp->state != VHCA_QPS_SQD) {
		vhca_sim_port_drop(port, VHCA_PORT_DROP_QP_STATE);
		return false;
	}
	return true;
}

/* may UD/GSI/SMI @qp take the datagram: its Q_Key, for UD its P_Key;
 * qp->lock held
 */
static bool vhca_sim_ud_accept(struct vhca_sim_port *port,
			       struct vhca_sim_qp *qp,
			       const struct vhca_pkt_info *pi)
{
	u32 qkey;

	if (qp->type != VHCA_QPT_SMI) {
		qkey = qp->type == VHCA_QPT_GSI ? VHCA_QKEY_GSI : qp->attr.qkey;
		if (pi->qkey != qkey) {
			vhca_sim_port_drop(port, VHCA_PORT_DROP_QKEY);
			return false;
		}
	}
	if (qp->type == VHCA_QPT_UD &&
	    !vhca_pkey_match(vhca_sim_port_pkey(port, qp->attr.pkey_index),
			     pi->pkey)) {
		vhca_sim_port_drop(port, VHCA_PORT_DROP_PKEY);
		return false;
	}
	return true;
}

/* Write an accepted datagram into the next receive WQE of @rxqp (the
 * addressed QP, or the RQ-only QP its RSS table picked) and complete it
 * on @rxqp's receive CQ; rxqp->lock held.
 */
static void vhca_sim_ud_deliver(struct vhca_sim_port *port,
				struct vhca_sim_qp *rxqp,
				const struct vhca_pkt *pkt,
				const struct vhca_pkt_info *pi, int pkey_index,
				const struct vhca_sim_rx_meta *meta)
{
	struct vhca_sim_resp *resp = &rxqp->resp;
	u8 nsge, status, synd;
	u16 idx;

	/* UD has no responder state: its WQE copy is scratch space */
	if (vhca_sim_recv_wqe_pop(rxqp, resp->wqe, &nsge, &idx)) {
		vhca_sim_port_drop(port, VHCA_PORT_DROP_NO_WQE);
		return;
	}
	status = VHCA_CQE_ST_OK;
	if (pi->grh)
		status = vhca_sim_rq_scatter(rxqp, resp->wqe, nsge, 0,
					     pkt->data + VHCA_LRH_BYTES,
					     VHCA_GRH_BYTES, &synd);
	if (!status)
		status = vhca_sim_rq_scatter(rxqp, resp->wqe, nsge,
					     VHCA_SIM_GRH_AREA, pi->payload,
					     pi->payload_len, &synd);
	if (status) {
		vhca_sim_resp_err_cqe_qpn(rxqp, meta->qpn, idx, status, synd);
		if (status != VHCA_CQE_ST_LOC_LEN_ERR)
			vhca_sim_qp_to_err(rxqp);
		return;
	}
	if (meta->flags & VHCA_CQE_F_L4_OK)
		rxqp->ofld.rx_csum_ok++;
	if (meta->csum_bad)
		rxqp->ofld.rx_csum_bad++;
	if (meta->flags & VHCA_CQE_F_RSS)
		rxqp->ofld.rx_rss++;
	vhca_sim_resp_cqe(rxqp, vhca_opcode_has_imm(pi->opcode) ?
			  VHCA_CQE_RESP_SEND_IMM : VHCA_CQE_RESP_SEND, idx,
			  VHCA_SIM_GRH_AREA + pi->payload_len, pi, pi->sqpn,
			  pkey_index, meta);
}

/* A UD/GSI/SMI datagram for @qp (referenced). A UD QP's datagrams get
 * their checksums verified, and go to an RQ-only QP if it has an RSS
 * table: the addressed QP's lock is dropped before the RQ-only QP's is
 * taken, so two QP locks are never held here.
 */
static void vhca_sim_ud_recv(struct vhca_sim_port *port,
			     struct vhca_sim_qp *qp,
			     const struct vhca_pkt *pkt,
			     const struct vhca_pkt_info *pi, int pkey_index)
{
	struct vhca_sim_rx_meta meta = { .qpn = qp->qpn };
	struct vhca_sim_qp *rq_qp = NULL;
	int rss = 0;
	bool ok;

	if (qp->type == VHCA_QPT_UD) {
		meta.flags = vhca_ofld_csum_check(pi->payload, pi->payload_len,
						  &meta.csum_bad);
		rss = vhca_sim_rss_pick(qp, pi->payload, pi->payload_len,
					&rq_qp, &meta.rss_hash, &meta.rss_type);
		if (rss)
			meta.flags |= VHCA_CQE_F_RSS;
	}

	spin_lock_bh(&qp->lock);
	ok = vhca_sim_qp_can_recv(port, qp) && vhca_sim_ud_accept(port, qp, pi);
	if (ok && !rss)
		vhca_sim_ud_deliver(port, qp, pkt, pi, pkey_index, &meta);
	spin_unlock_bh(&qp->lock);
	if (!ok || !rss)
		goto put;
	if (!rq_qp) {
		/* the table's QP is being destroyed */
		vhca_sim_port_drop(port, VHCA_PORT_DROP_NO_QP);
		return;
	}
	spin_lock_bh(&rq_qp->lock);
	if (vhca_sim_qp_can_recv(port, rq_qp))
		vhca_sim_ud_deliver(port, rq_qp, pkt, pi, pkey_index, &meta);
	spin_unlock_bh(&rq_qp->lock);
put:
	if (rq_qp)
		vhca_sim_qp_put(rq_qp);
}

/* a packet for @qp (referenced) arrived on @port */
static void vhca_sim_qp_recv(struct vhca_sim_port *port,
			     struct vhca_sim_qp *qp,
			     const struct vhca_pkt *pkt,
			     const struct vhca_pkt_info *pi, int pkey_index)
{
	u8 transport = VHCA_TRANSPORT(pi->opcode);
	bool ok;

	switch (qp->type) {
	case VHCA_QPT_RC:
		ok = transport == IB_OPCODE_RC;
		break;
	case VHCA_QPT_UC:
		ok = transport == IB_OPCODE_UC;
		break;
	default:
		ok = transport == IB_OPCODE_UD;
	}
	/* TX mux and RQ-only QPs are never addressed on the wire */
	if (qp->flags & (VHCA_QP_F_TX_MUX | VHCA_QP_F_RQ_ONLY)) {
		vhca_sim_port_drop(port, VHCA_PORT_DROP_NO_QP);
		return;
	}
	if (!ok) {
		vhca_sim_port_drop(port, VHCA_PORT_DROP_BAD_HDR);
		return;
	}
	if (transport == IB_OPCODE_UD) {
		vhca_sim_ud_recv(port, qp, pkt, pi, pkey_index);
		return;
	}
	spin_lock_bh(&qp->lock);
	if (vhca_sim_qp_can_recv(port, qp))
		vhca_sim_rc_recv(port, qp, pi);
	spin_unlock_bh(&qp->lock);
}

/* a multicast datagram: to every QP of the port attached to the DGID */
static void vhca_sim_mcast_recv(struct vhca_sim_port *port,
				const struct vhca_pkt *pkt,
				const struct vhca_pkt_info *pi, int pkey_index)
{
	struct vhca_sim_qp *qps[VHCA_SIM_MAX_QP_PER_MCG];
	u16 lid = READ_ONCE(port->lid);
	unsigned int i, n;

	if (!pi->grh || VHCA_TRANSPORT(pi->opcode) != IB_OPCODE_UD) {
		vhca_sim_port_drop(port, VHCA_PORT_DROP_BAD_HDR);
		return;
	}
	n = vhca_sim_mcg_lookup(port->sdev, port->num, pi->dgid, qps,
				ARRAY_SIZE(qps));
	if (!n)
		vhca_sim_port_drop(port, VHCA_PORT_DROP_MCAST);
	for (i = 0; i < n; i++) {
		/* the sender itself, when it asked not to hear itself */
		if (!((qps[i]->flags & VHCA_QP_F_BLOCK_MC_LB) &&
		      pi->slid == lid &&
		      pi->sqpn == vhca_sim_qp_wire_qpn(qps[i])))
			vhca_sim_qp_recv(port, qps[i], pkt, pi, pkey_index);
		vhca_sim_qp_put(qps[i]);
	}
}

/**
 * vhca_sim_port_recv - the receive engine handles one packet
 * @port: the port it arrived on
 * @pkt: the packet; consumed
 *
 * Runs in the port's receive work item.
 */
void vhca_sim_port_recv(struct vhca_sim_port *port, struct vhca_pkt *pkt)
{
	struct vhca_pkt_info pi;
	struct vhca_sim_qp *qp;
	int pkey_index = -1;
	bool bad_crc, smp;
	u8 state;

	if (vhca_wire_decode(pkt, &pi, &bad_crc)) {
		vhca_sim_port_drop(port, bad_crc ? VHCA_PORT_DROP_BAD_CRC :
						   VHCA_PORT_DROP_BAD_HDR);
		goto free;
	}
	smp = pi.dqpn == VHCA_QPN_SMI;
	state = READ_ONCE(port->state);
	if (state != VHCA_PORT_STATE_ACTIVE &&
	    !(smp && (state == VHCA_PORT_STATE_INIT ||
		      state == VHCA_PORT_STATE_ARMED))) {
		vhca_sim_port_drop(port, VHCA_PORT_DROP_LINK_DOWN);
		goto free;
	}
	if (pi.dlid >= VHCA_MLID_MIN && pi.dlid <= VHCA_MLID_MAX) {
		pkey_index = vhca_sim_port_pkey_find(port, pi.pkey);
		if (pkey_index < 0)
			vhca_sim_port_drop(port, VHCA_PORT_DROP_PKEY);
		else
			vhca_sim_mcast_recv(port, pkt, &pi, pkey_index);
		goto free;
	}
	if (pi.dlid != READ_ONCE(port->lid) &&
	    !(smp && pi.dlid == VHCA_LID_PERMISSIVE)) {
		vhca_sim_port_drop(port, VHCA_PORT_DROP_NO_ROUTE);
		goto free;
	}
	/* QP0 takes SMPs whatever their P_Key */
	if (!smp) {
		pkey_index = vhca_sim_port_pkey_find(port, pi.pkey);
		if (pkey_index < 0) {
			vhca_sim_port_drop(port, VHCA_PORT_DROP_PKEY);
			goto free;
		}
	}
	qp = vhca_sim_qp_get_wire(port->sdev, port->num, pi.dqpn);
	if (!qp) {
		vhca_sim_port_drop(port, VHCA_PORT_DROP_NO_QP);
		goto free;
	}
	vhca_sim_qp_recv(port, qp, pkt, &pi, pkey_index);
	vhca_sim_qp_put(qp);
free:
	vhca_pkt_free(pkt);
}
