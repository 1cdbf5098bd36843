/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the engines share: wqe.c (WQE segments, send completions, packet
 * addressing), send.c (the send engine and the RC/UC requester's
 * transmit side), ud.c (UD send: TX mux, checksum, LSO), rc.c (RC
 * requester reliability: ACKs, NAKs, READ responses, the retransmit
 * timer) and recv.c (the port's receive engine: UD receive with RSS and
 * checksum verification, the RC/UC responder). Not for the rest of
 * the model; res.h is the contract with it.
 *
 * Everything here runs with qp->lock held unless it says otherwise.
 */
#ifndef _VHCA_SIM_ENGINE_H
#define _VHCA_SIM_ENGINE_H

#include <linux/types.h>
#include <rdma/ib_pack.h>

#include "res.h"
#include "fabric/wire.h"

/* WQEBBs the send engine starts before it lets others run */
#define VHCA_SIM_SQ_BUDGET		64
/* RC/UC packets sent and not yet acknowledged, at most */
#define VHCA_SIM_MAX_INFLIGHT		128
/* a 16th packet of a long message asks for an ACK too */
#define VHCA_SIM_ACKREQ_EVERY		16
/* the local ACK timeout is at least this (TCG guests are slow) */
#define VHCA_SIM_MIN_TIMEOUT_NS		(20 * NSEC_PER_MSEC)
/* and an RNR wait at least this */
#define VHCA_SIM_MIN_RNR_NS		NSEC_PER_MSEC
/* the port MTU (active_mtu is VHCA_MTU_4096): the largest UD payload */
#define VHCA_SIM_PORT_MTU		4096
/* bytes of the GRH area at the start of a UD receive buffer */
#define VHCA_SIM_GRH_AREA		40

/* in ERR the RQ is polled for WQEs to flush, backing off up to 1 s */
#define VHCA_SIM_ERR_POLL_MAX		10

/* bits of &vhca_sim_req.events */
#define VHCA_SIM_REQ_EV_TIMER		0	/* the timer fired */

static inline u32 vhca_psn_add(u32 psn, u32 n)
{
	return (psn + n) & VHCA_PSN_MASK;
}

/* @a - @b in the 24-bit PSN space, as a signed distance */
static inline s32 vhca_psn_diff(u32 a, u32 b)
{
	return (s32)((a - b) << 8) >> 8;
}

/* VHCA_MTU_* to bytes; anything out of range counts as 256 */
static inline u32 vhca_mtu_bytes(u8 mtu)
{
	if (mtu < VHCA_MTU_256 || mtu > VHCA_MTU_4096)
		mtu = VHCA_MTU_256;
	return 256U << (mtu - 1);
}

/* packets a message of @len bytes takes (a zero-length one takes one) */
static inline u32 vhca_msg_pkts(u32 len, u32 mtu)
{
	return len ? DIV_ROUND_UP(len, mtu) : 1;
}

/* P_Keys match: same partition, not both limited members */
static inline bool vhca_pkey_match(u16 a, u16 b)
{
	return a && b && !((a ^ b) & 0x7fff) && ((a | b) & 0x8000);
}

/* the opcode RDMA READ response @k of @n carries */
static inline u8 vhca_read_resp_opcode(u32 k, u32 n)
{
	if (n == 1)
		return IB_OPCODE_RC_RDMA_READ_RESPONSE_ONLY;
	if (!k)
		return IB_OPCODE_RC_RDMA_READ_RESPONSE_FIRST;
	if (k == n - 1)
		return IB_OPCODE_RC_RDMA_READ_RESPONSE_LAST;
	return IB_OPCODE_RC_RDMA_READ_RESPONSE_MIDDLE;
}

static inline u16 vhca_sim_sq_size(const struct vhca_sim_qp *qp)
{
	return BIT(qp->log_sq_size);
}

/* wqe.c */
struct vhca_sim_port *vhca_sim_qp_port(struct vhca_sim_qp *qp);
u16 vhca_sim_port_pkey(struct vhca_sim_port *port, u16 index);
int vhca_sim_port_pkey_find(struct vhca_sim_port *port, u16 pkey);
void vhca_sim_qp_path_info(struct vhca_sim_qp *qp, struct vhca_sim_port *port,
			   struct vhca_pkt_info *info);
void vhca_sim_fill_gid(struct vhca_sim_port *port, u8 *gid);
u8 vhca_sim_synd_status(u8 synd);
void vhca_sim_req_cqe(struct vhca_sim_qp *qp, u16 wqe_counter, u8 wqe_opcode,
		      u8 status, u8 synd, u32 byte_cnt);
int vhca_sim_sq_sgl(struct vhca_sim_qp *qp, u16 idx, u32 seg, u32 end,
		    u32 off, u8 *buf, u32 len, bool to_mem, u8 *synd);
u32 vhca_sim_sq_seg_start(struct vhca_sim_qp *qp, u8 opcode);
int vhca_sim_sq_read(struct vhca_sim_qp *qp, u16 idx, u32 off, void *buf,
		     u32 len);
int vhca_sim_sq_len(struct vhca_sim_qp *qp, u16 idx, u32 seg, u32 end,
		    bool inline_ok, u32 *len);

/* rc.c */
void vhca_sim_req_timer_init(struct vhca_sim_qp *qp);
void vhca_sim_req_timer_arm(struct vhca_sim_qp *qp, u64 ns);
void vhca_sim_req_timer_stop(struct vhca_sim_qp *qp);
void vhca_sim_req_timeout(struct vhca_sim_qp *qp);
void vhca_sim_req_seek(struct vhca_sim_qp *qp, u32 psn);
void vhca_sim_req_complete(struct vhca_sim_qp *qp);
void vhca_sim_req_fail(struct vhca_sim_qp *qp, struct vhca_sim_swqe *w,
		       u8 status, u8 synd);
void vhca_sim_req_sent(struct vhca_sim_qp *qp, u32 psn, u32 next);

/* ud.c */
void vhca_sim_ud_send(struct vhca_sim_qp *qp, u16 idx,
		      const struct vhca_wqe_ctrl *ctrl);

/* recv.c */
unsigned int vhca_sim_rq_flush(struct vhca_sim_qp *qp);

#endif /* _VHCA_SIM_ENGINE_H */
