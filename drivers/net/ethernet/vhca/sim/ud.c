// SPDX-License-Identifier: GPL-2.0
/*
 * UD send: how a WQE of a UD, GSI or SMI QP becomes datagrams (the send
 * engine, send.c, calls it for each WQE in turn, under qp->lock).
 *
 *  - SEND, SEND_IMM: one datagram of the gathered payload (at most the
 *    port MTU), addressed by the datagram segment.
 *  - A TX mux QP sends each WQE as the UD QP its datagram segment names
 *    (src_qpn): that QP's QPN in the DETH, the P_Key of the WQE's
 *    pkey_index, the Q_Key of the WQE or that QP's; the PSN is the mux
 *    QP's own.
 *  - VHCA_WQE_F_CSUM (UD): the payload is an IPoIB datagram whose IPv4
 *    header checksum and TCP/UDP checksum the device fills (offload.c).
 *  - LSO (UD): the WQE carries the headers inline and the TCP payload in
 *    its data segments; one datagram per MSS, headers fixed up.
 *
 * Datagrams go on the wire as they are built; a WQE that turns out bad
 * halfway (a key fails while LSO gathers) completes with the error and
 * what was sent stays sent, as on a real HCA.
 */

#include <linux/slab.h>
#include <rdma/ib_pack.h>

#include "engine.h"
#include "offload.h"
#include "fabric/fabric.h"

/* A TX mux QP's WQE names the UD QP it sends as: same PD and port, RTS,
 * not a mux or RQ-only QP itself. Return: 0 with its wire QPN and Q_Key,
 * or VHCA_CQE_SYND_BAD_SRC_QP.
 */
static u8 vhca_sim_ud_src(struct vhca_sim_qp *qp,
			  const struct vhca_wqe_datagram *dg, u32 *sqpn,
			  u32 *qkey)
{
	u8 synd = VHCA_CQE_SYND_BAD_SRC_QP;
	struct vhca_sim_qp *src;

	src = vhca_sim_qp_get(qp->sdev,
			      be32_to_cpu(dg->src_qpn) & VHCA_QPN_MASK);
	if (!src)
		return synd;
	if (src->type == VHCA_QPT_UD && src->pd == qp->pd &&
	    !(src->flags & (VHCA_QP_F_TX_MUX | VHCA_QP_F_RQ_ONLY))) {
		/* the mux QP's lock is held: the UD QP's nests inside */
		spin_lock_nested(&src->lock, SINGLE_DEPTH_NESTING);
		if (src->state == VHCA_QPS_RTS && src->port == qp->port) {
			*sqpn = vhca_sim_qp_wire_qpn(src);
			*qkey = src->attr.qkey;
			synd = VHCA_CQE_SYND_NONE;
		}
		spin_unlock(&src->lock);
	}
	vhca_sim_qp_put(src);
	return synd;
}

/* The headers every datagram of the WQE carries. Return: 0 or the
 * VHCA_CQE_SYND_* why the WQE cannot be sent.
 */
static u8 vhca_sim_ud_addr(struct vhca_sim_qp *qp, struct vhca_sim_port *port,
			   const struct vhca_wqe_ctrl *ctrl,
			   const struct vhca_wqe_datagram *dg,
			   struct vhca_pkt_info *info)
{
	bool mux = qp->flags & VHCA_QP_F_TX_MUX;
	bool smi = qp->type == VHCA_QPT_SMI;
	u32 sqpn = vhca_sim_qp_wire_qpn(qp);
	u32 qkey = qp->attr.qkey;
	u16 pkey_index;
	u8 synd;

	if (mux) {
		synd = vhca_sim_ud_src(qp, dg, &sqpn, &qkey);
		if (synd)
			return synd;
	}
	memset(info, 0, sizeof(*info));
	/* GSI and mux QPs send with the P_Key each WQE names */
	pkey_index = qp->type == VHCA_QPT_GSI || mux ?
		     be16_to_cpu(dg->pkey_index) : qp->attr.pkey_index;
	info->pkey = smi ? VHCA_PKEY_DEFAULT :
			   vhca_sim_port_pkey(port, pkey_index);
	if (!info->pkey)
		return VHCA_CQE_SYND_BAD_WQE;
	info->vl = smi ? 15 : 0;
	info->sl = dg->av.sl & 0xf;
	info->dlid = be16_to_cpu(dg->av.dlid);
	info->slid = READ_ONCE(port->lid) | dg->av.src_path_bits;
	if ((dg->av.flags & VHCA_AV_F_GRH) ||
	    (info->dlid >= VHCA_MLID_MIN && info->dlid <= VHCA_MLID_MAX)) {
		if (dg->av.sgid_index)
			return VHCA_CQE_SYND_BAD_AH;
		info->grh = true;
		info->tclass = dg->av.tclass;
		info->flow_label = be32_to_cpu(dg->av.flow_label);
		info->hop_limit = dg->av.hop_limit;
		vhca_sim_fill_gid(port, info->sgid);
		memcpy(info->dgid, dg->av.dgid, sizeof(info->dgid));
	}
	info->opcode = ctrl->opcode == VHCA_WQE_OP_SEND_IMM ?
		       IB_OPCODE_UD_SEND_ONLY_WITH_IMMEDIATE :
		       IB_OPCODE_UD_SEND_ONLY;
	info->se = ctrl->flags & VHCA_WQE_F_SOLICITED;
	info->dqpn = be32_to_cpu(dg->dqpn) & VHCA_QPN_MASK;
	info->qkey = be32_to_cpu(dg->qkey);
	if (info->qkey & VHCA_QKEY_USE_QP)
		info->qkey = qkey;
	info->sqpn = sqpn;
	info->imm = ctrl->imm;
	return VHCA_CQE_SYND_NONE;
}

/* a datagram of @len payload bytes with the next PSN; NULL (counted) if
 * there is no memory for it, lost as on a congested link
 */
static struct vhca_pkt *vhca_sim_ud_alloc(struct vhca_sim_qp *qp,
					  struct vhca_sim_port *port,
					  struct vhca_pkt_info *info, u32 len,
					  u8 **payload)
{
	struct vhca_pkt *pkt;

	info->psn = qp->req.psn;
	qp->req.psn = vhca_psn_add(qp->req.psn, 1);
	info->payload_len = len;
	pkt = vhca_wire_alloc(info, GFP_ATOMIC, payload);
	if (!pkt)
		vhca_sim_port_drop(port, VHCA_PORT_DROP_OVERFLOW);
	return pkt;
}

/* seal a datagram and put it on the wire, or drop it if the port is not
 * up (the WQE completes all the same, as on a real HCA)
 */
static void vhca_sim_ud_put(struct vhca_sim_qp *qp, struct vhca_sim_port *port,
			    struct vhca_pkt *pkt)
{
	u8 pstate = READ_ONCE(port->state);

	vhca_wire_seal(pkt);
	pkt->ingress = port;
	if (qp->type == VHCA_QPT_SMI ? pstate == VHCA_PORT_STATE_DOWN :
				       pstate != VHCA_PORT_STATE_ACTIVE) {
		vhca_sim_port_drop(port, VHCA_PORT_DROP_LINK_DOWN);
		vhca_pkt_free(pkt);
		return;
	}
	vhca_switch_xmit(port->fab, pkt);
}

/* the CQE status of a failed gather */
static u8 vhca_sim_ud_sgl_status(u8 synd)
{
	return synd == VHCA_CQE_SYND_BAD_WQE ? VHCA_CQE_ST_LOC_QP_OP_ERR :
					       vhca_sim_synd_status(synd);
}

/* SEND, SEND_IMM: one datagram. Return: 0, or -EIO with the error. */
static int vhca_sim_ud_datagram(struct vhca_sim_qp *qp,
				struct vhca_sim_port *port, u16 idx,
				const struct vhca_wqe_ctrl *ctrl, u32 seg,
				struct vhca_pkt_info *info, u32 *len,
				u8 *status, u8 *synd)
{
	u32 end = ctrl->ds * VHCA_WQE_DS;
	struct vhca_pkt *pkt;
	u8 *payload;

	if (vhca_sim_sq_len(qp, idx, seg, end, true, len))
		return -EIO;
	if (*len > VHCA_SIM_PORT_MTU) {
		*status = VHCA_CQE_ST_LOC_LEN_ERR;
		*synd = VHCA_CQE_SYND_TOO_LONG;
		return -EIO;
	}
	pkt = vhca_sim_ud_alloc(qp, port, info, *len, &payload);
	if (!pkt)
		return 0;
	if (*len && vhca_sim_sq_sgl(qp, idx, seg, end, 0, payload, *len,
				    false, synd)) {
		vhca_pkt_free(pkt);
		*status = vhca_sim_ud_sgl_status(*synd);
		return -EIO;
	}
	if ((ctrl->flags & VHCA_WQE_F_CSUM) && qp->type == VHCA_QPT_UD) {
		if (vhca_ofld_csum_fill(payload, *len))
			qp->ofld.tx_csum_bad++;	/* sent as it is */
		else
			qp->ofld.tx_csum++;
	}
	vhca_sim_ud_put(qp, port, pkt);
	return 0;
}

/* LSO: the headers from the LSO segment at @seg, one datagram per MSS
 * of the payload the data segments after it hold. Return: 0 with the
 * bytes sent (headers once, payload), or -EIO with the error.
 */
static int vhca_sim_ud_lso(struct vhca_sim_qp *qp, struct vhca_sim_port *port,
			   u16 idx, const struct vhca_wqe_ctrl *ctrl, u32 seg,
			   struct vhca_pkt_info *info, u32 *bytes, u8 *status,
			   u8 *synd)
{
	u32 end = ctrl->ds * VHCA_WQE_DS, mss, hdr_len, data, len;
	u32 nsegs, i, off, n;
	u8 hdr[VHCA_SIM_MAX_LSO_HDR];
	struct vhca_wqe_lso lso;
	bool se = info->se;
	struct vhca_pkt *pkt;
	u8 *payload;

	*synd = VHCA_CQE_SYND_BAD_LSO;
	if (seg + sizeof(lso) > end ||
	    vhca_sim_sq_read(qp, idx, seg, &lso, sizeof(lso)))
		return -EIO;
	mss = be16_to_cpu(lso.mss);
	hdr_len = be16_to_cpu(lso.hdr_len);
	data = seg + ALIGN(sizeof(lso) + hdr_len, VHCA_WQE_DS);
	if (hdr_len < VHCA_OFLD_ENCAP_LEN || hdr_len > VHCA_SIM_MAX_LSO_HDR ||
	    data > end ||
	    vhca_sim_sq_read(qp, idx, seg + sizeof(lso), hdr, hdr_len) ||
	    vhca_ofld_lso_check(hdr, hdr_len, mss, VHCA_SIM_MAX_LSO_HDR,
				VHCA_SIM_PORT_MTU))
		return -EIO;
	if (vhca_sim_sq_len(qp, idx, data, end, true, &len)) {
		*synd = VHCA_CQE_SYND_BAD_WQE;
		return -EIO;
	}
	if (len > VHCA_SIM_MAX_LSO_LEN) {
		*status = VHCA_CQE_ST_LOC_LEN_ERR;
		*synd = VHCA_CQE_SYND_TOO_LONG;
		return -EIO;
	}

	nsegs = vhca_ofld_lso_segs(len, mss);
	for (i = 0, off = 0; i < nsegs; i++, off += mss) {
		n = min(mss, len - off);
		/* a solicited event with the last datagram only */
		info->se = se && i == nsegs - 1;
		pkt = vhca_sim_ud_alloc(qp, port, info, hdr_len + n, &payload);
		if (!pkt)
			continue;
		memcpy(payload, hdr, hdr_len);
		if (n && vhca_sim_sq_sgl(qp, idx, data, end, off,
					 payload + hdr_len, n, false, synd)) {
			vhca_pkt_free(pkt);
			*status = vhca_sim_ud_sgl_status(*synd);
			return -EIO;
		}
		vhca_ofld_lso_fixup(payload, hdr_len, i, nsegs, mss, n);
		vhca_sim_ud_put(qp, port, pkt);
		qp->ofld.tx_lso_pkts++;
	}
	qp->ofld.tx_lso++;
	*bytes = hdr_len + len;
	return 0;
}

/**
 * vhca_sim_ud_send - execute one UD, GSI or SMI send WQE
 * @qp: the QP, lock held, in RTS or SQD
 * @idx: the WQE's counter
 * @ctrl: its control segment, checked by the engine
 *
 * Sends its datagrams and completes it: a CQE if it is signaled (or the
 * QP signals all), an error CQE and the QP in ERR if it is bad.
 */
void vhca_sim_ud_send(struct vhca_sim_qp *qp, u16 idx,
		      const struct vhca_wqe_ctrl *ctrl)
{
	struct vhca_sim_port *port = vhca_sim_qp_port(qp);
	u32 seg = vhca_sim_sq_seg_start(qp, ctrl->opcode);
	u8 status = VHCA_CQE_ST_LOC_QP_OP_ERR;
	u8 synd = VHCA_CQE_SYND_BAD_WQE;
	struct vhca_wqe_datagram dg;
	struct vhca_pkt_info info;
	u32 len = 0;
	int err;

	switch (ctrl->opcode) {
	case VHCA_WQE_OP_NOP:
		goto done;
	case VHCA_WQE_OP_SEND:
	case VHCA_WQE_OP_SEND_IMM:
		break;
	case VHCA_WQE_OP_LSO:
		if (qp->type == VHCA_QPT_UD)
			break;
		fallthrough;
	default:
		goto err;
	}
	if (seg > ctrl->ds * VHCA_WQE_DS || !port)
		goto err;
	if (vhca_sim_sq_read(qp, idx, sizeof(*ctrl), &dg, sizeof(dg))) {
		synd = VHCA_CQE_SYND_DMA;
		goto err;
	}
	synd = vhca_sim_ud_addr(qp, port, ctrl, &dg, &info);
	if (synd)
		goto err;
	synd = VHCA_CQE_SYND_BAD_WQE;
	if (ctrl->opcode == VHCA_WQE_OP_LSO)
		err = vhca_sim_ud_lso(qp, port, idx, ctrl, seg, &info, &len,
				      &status, &synd);
	else
		err = vhca_sim_ud_datagram(qp, port, idx, ctrl, seg, &info,
					   &len, &status, &synd);
	if (err)
		goto err;
done:
	if ((ctrl->flags & VHCA_WQE_F_SIGNALED) ||
	    (qp->flags & VHCA_QP_F_SIG_ALL))
		vhca_sim_req_cqe(qp, idx, ctrl->opcode, VHCA_CQE_ST_OK, 0,
				 len);
	return;
err:
	vhca_sim_req_cqe(qp, idx, ctrl->opcode, status, synd, 0);
	vhca_sim_qp_to_err(qp);
}
