// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Completion queues: the kernel allocates the CQE ring and the doorbell
 * record and maps them into the process; poll_cq reads CQEs there and
 * translates them into ibv_wc exactly as the kernel driver's cq.c does
 * for kernel consumers, then hands the slots back through the record.
 * Arming is a doorbell method (a system call).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "vhca.h"

struct vhca_create_cq_cmd_full {
	struct vhca_ibv_create_cq ibv;
	struct vhca_create_cq_cmd drv;
};

struct vhca_create_cq_resp_full {
	struct ib_uverbs_create_cq_resp ibv;
	struct vhca_create_cq_resp drv;
};

static_assert(offsetof(struct vhca_create_cq_cmd_full, drv) ==
	      sizeof(struct vhca_ibv_create_cq), "create_cq cmd");
static_assert(offsetof(struct vhca_create_cq_resp_full, drv) ==
	      sizeof(struct ib_uverbs_create_cq_resp), "create_cq resp");

/* the device reports the IBA completion status in libibverbs' numbering */
static_assert(VHCA_CQE_ST_OK == IBV_WC_SUCCESS, "status");
static_assert(VHCA_CQE_ST_GENERAL_ERR == IBV_WC_GENERAL_ERR, "status");

struct ibv_cq *vhca_create_cq(struct ibv_context *ibctx, int cqe,
			      struct ibv_comp_channel *channel,
			      int comp_vector)
{
	struct vhca_context *ctx = to_vctx(ibctx);
	struct vhca_create_cq_resp_full resp;
	struct vhca_create_cq_cmd_full cmd;
	struct vhca_create_cq_resp *r = &resp.drv;
	struct vhca_cq *cq;
	int ret;

	cq = calloc(1, sizeof(*cq));
	if (!cq) {
		errno = ENOMEM;
		return NULL;
	}
	memset(&cmd, 0, sizeof(cmd));
	memset(&resp, 0, sizeof(resp));
	ret = ibv_cmd_create_cq(ibctx, cqe, channel, comp_vector, &cq->vcq.cq,
				&cmd.ibv, sizeof(cmd), &resp.ibv, sizeof(resp));
	if (ret)
		goto err_free;

	/* the ring at 0, the record after it, both inside the mapping */
	if (r->log_size < 1 || r->log_size > 24 ||
	    (sizeof(struct vhca_cqe) << r->log_size) > r->dbr_offset ||
	    r->dbr_offset % sizeof(uint32_t) ||
	    (uint64_t)r->dbr_offset + sizeof(uint32_t) > r->mmap_size) {
		vhca_err("create_cq: the kernel returned a bad layout (log_size %u, dbr %u, size %u)",
			 r->log_size, r->dbr_offset, r->mmap_size);
		ret = EPROTO;
		goto err_destroy;
	}
	ret = vhca_map(ctx, r->mmap_offset, r->mmap_size, &cq->buf);
	if (ret)
		goto err_destroy;
	cq->map_size = r->mmap_size;
	cq->ring = cq->buf;
	cq->dbr = (vhca_be32 *)((char *)cq->buf + r->dbr_offset);
	cq->log_size = r->log_size;
	cq->cqn = r->cqn;
	cq->ci = 0;
	pthread_spin_init(&cq->lock, PTHREAD_PROCESS_PRIVATE);
	return &cq->vcq.cq;

err_destroy:
	ibv_cmd_destroy_cq(&cq->vcq.cq);
err_free:
	free(cq);
	errno = ret;
	return NULL;
}

int vhca_destroy_cq(struct ibv_cq *ibcq)
{
	struct vhca_cq *cq = to_vcq(ibcq);
	int ret;

	ret = ibv_cmd_destroy_cq(ibcq);
	if (ret)
		return ret;
	munmap(cq->buf, cq->map_size);
	pthread_spin_destroy(&cq->lock);
	free(cq);
	return 0;
}

/* the CQE at index @i if the device has written it */
static struct vhca_cqe *vhca_cq_entry(struct vhca_cq *cq, uint32_t i)
{
	struct vhca_cqe *cqe = &cq->ring[i & ((1U << cq->log_size) - 1)];
	uint8_t owner = __atomic_load_n(&cqe->owner, __ATOMIC_ACQUIRE);

	/* the acquire load orders the CQE's contents after its owner bit */
	if ((owner & 1) != vhca_cqe_owner(i, cq->log_size))
		return NULL;
	return cqe;
}

/* advance a 32-bit counter to the 16-bit value @cnt16 (never backwards) */
static uint32_t vhca_counter(uint32_t base, uint16_t cnt16)
{
	return base + (uint16_t)(cnt16 - (uint16_t)base);
}

static enum ibv_wc_opcode vhca_req_opcode(uint8_t wqe_opcode)
{
	switch (wqe_opcode) {
	case VHCA_WQE_OP_RDMA_WRITE:
	case VHCA_WQE_OP_RDMA_WRITE_IMM:
		return IBV_WC_RDMA_WRITE;
	case VHCA_WQE_OP_RDMA_READ:
		return IBV_WC_RDMA_READ;
	default:
		return IBV_WC_SEND;
	}
}

/* a send CQE: completes its WQE and every unsignaled one before it */
static int vhca_req_wc(struct vhca_qp *qp, const struct vhca_cqe *cqe,
		       struct ibv_wc *wc)
{
	struct vhca_wq *wq = &qp->sq;
	uint16_t counter = be16toh(cqe->wqe_counter);
	uint32_t idx = counter & (wq->cnt - 1);
	uint32_t start = vhca_counter(atomic_load_explicit(&wq->tail,
						memory_order_relaxed), counter);
	uint32_t bbs = wq->wqe_bbs[idx] ? wq->wqe_bbs[idx] : 1;

	atomic_store_explicit(&wq->tail, start + bbs, memory_order_release);
	/* padding the provider put in; the device may flush it */
	if (cqe->wqe_opcode == VHCA_WQE_OP_NOP)
		return 0;
	wc->wr_id = wq->wrid[idx];
	wc->opcode = vhca_req_opcode(cqe->wqe_opcode);
	wc->byte_len = be32toh(cqe->byte_cnt);
	return 1;
}

static int vhca_resp_wc(struct vhca_qp *qp, const struct vhca_cqe *cqe,
			struct ibv_wc *wc)
{
	uint16_t counter = be16toh(cqe->wqe_counter);
	struct vhca_srq *srq;
	struct vhca_wq *wq;

	if (qp->vqp.qp.srq) {
		srq = to_vsrq(qp->vqp.qp.srq);
		wc->wr_id = srq->wq.wrid[counter & (srq->wq.cnt - 1)];
		atomic_fetch_add_explicit(&srq->done, 1, memory_order_release);
	} else {
		wq = &qp->rq;
		if (!wq->cnt)
			return 0;
		wc->wr_id = wq->wrid[counter & (wq->cnt - 1)];
		atomic_store_explicit(&wq->tail,
			vhca_counter(atomic_load_explicit(&wq->tail,
						memory_order_relaxed),
				     counter) + 1,
			memory_order_release);
	}

	switch (cqe->opcode) {
	case VHCA_CQE_RESP_SEND_IMM:
		wc->wc_flags |= IBV_WC_WITH_IMM;
		wc->opcode = IBV_WC_RECV;
		break;
	case VHCA_CQE_RESP_WRITE_IMM:
		wc->wc_flags |= IBV_WC_WITH_IMM;
		wc->opcode = IBV_WC_RECV_RDMA_WITH_IMM;
		break;
	default:
		wc->opcode = IBV_WC_RECV;
		break;
	}
	if (cqe->flags & VHCA_CQE_F_GRH)
		wc->wc_flags |= IBV_WC_GRH;
	if (wc->wc_flags & IBV_WC_WITH_IMM)
		wc->imm_data = cqe->imm;	/* as on the wire */
	wc->byte_len = be32toh(cqe->byte_cnt);
	wc->src_qp = be32toh(cqe->src_qp) & VHCA_QPN_MASK;
	wc->slid = be16toh(cqe->slid);
	wc->sl = cqe->sl;
	wc->dlid_path_bits = cqe->path_bits;
	wc->pkey_index = be16toh(cqe->pkey_index);
	return 1;
}

/*
 * Translate one CQE. Return: 1 if @wc is a completion for the consumer,
 * 0 if the CQE is consumed silently (padding, a destroyed or reset QP,
 * a CQE the provider cannot read).
 */
static int vhca_cqe_to_wc(struct vhca_cq *cq, const struct vhca_cqe *cqe,
			  struct ibv_wc *wc)
{
	struct vhca_context *ctx = to_vctx(cq->vcq.cq.context);
	int req = cqe->opcode == VHCA_CQE_REQ ||
		  cqe->opcode == VHCA_CQE_REQ_ERR;
	uint32_t qpn = be32toh(cqe->qpn);
	struct vhca_qp *qp;

	if (qpn & ~VHCA_QPN_MASK)
		return 0;	/* cleaned by destroy or reset */
	qp = vhca_find_qp(ctx, qpn);
	if (!qp)
		return 0;
	if ((req && (qp->vqp.qp.send_cq != &cq->vcq.cq || !qp->sq.cnt)) ||
	    (!req && qp->vqp.qp.recv_cq != &cq->vcq.cq) ||
	    (!req && cqe->opcode != VHCA_CQE_RESP_SEND &&
	     cqe->opcode != VHCA_CQE_RESP_SEND_IMM &&
	     cqe->opcode != VHCA_CQE_RESP_WRITE_IMM &&
	     cqe->opcode != VHCA_CQE_RESP_ERR))
		return 0;

	memset(wc, 0, sizeof(*wc));
	wc->qp_num = qp->vqp.qp.qp_num;
	wc->status = cqe->status <= IBV_WC_GENERAL_ERR ? cqe->status :
							  IBV_WC_GENERAL_ERR;
	if (wc->status != IBV_WC_SUCCESS)
		wc->vendor_err = be32toh(cqe->vendor_syndrome);
	return req ? vhca_req_wc(qp, cqe, wc) : vhca_resp_wc(qp, cqe, wc);
}

int vhca_poll_cq(struct ibv_cq *ibcq, int num, struct ibv_wc *wc)
{
	struct vhca_cq *cq = to_vcq(ibcq);
	struct vhca_cqe *cqe;
	uint32_t start;
	int n = 0;

	pthread_spin_lock(&cq->lock);
	start = cq->ci;
	while (n < num && (cqe = vhca_cq_entry(cq, cq->ci))) {
		if (vhca_cqe_to_wc(cq, cqe, &wc[n]))
			n++;
		cq->ci++;
	}
	/* done reading the slots before they are given back */
	if (cq->ci != start)
		vhca_store_release_be32(cq->dbr, cq->ci & VHCA_CQ_CI_MASK);
	pthread_spin_unlock(&cq->lock);
	return n;
}

/*
 * Arm for the next completion. Verbs semantics: an event for a CQE added
 * after this call; CQEs already in the ring (the consumer polls them after
 * arming) must not fire one, or an event would stand for a completion the
 * consumer already has, which perftest -e and the like take as a new one.
 * The device fires at once for CQEs past the index the arm carries, so the
 * arm names the first slot not yet written: a CQE that races the arm is
 * past it and fires, none before it does. The device reads the consumer
 * index for slot reuse from the doorbell record, never from the arm.
 */
int vhca_req_notify_cq(struct ibv_cq *ibcq, int solicited_only)
{
	struct vhca_context *ctx = to_vctx(ibcq->context);
	struct vhca_cq *cq = to_vcq(ibcq);
	uint32_t seen;
	int ret;

	if (!(ctx->uctx.caps & VHCA_UCTX_CAP_CQ_ARM))
		return ibv_cmd_req_notify_cq(ibcq, solicited_only);
	pthread_spin_lock(&cq->lock);
	for (seen = cq->ci; seen - cq->ci < (1U << cq->log_size); seen++)
		if (!vhca_cq_entry(cq, seen))
			break;
	ret = vhca_doorbell_cq_arm(cq, solicited_only ?
				   VHCA_IB_CQ_ARM_SOLICITED :
				   VHCA_IB_CQ_ARM_NEXT, seen);
	if (ret)
		vhca_dbg(ctx, "arming CQ %#x at %u failed: %s", cq->cqn, seen,
			 strerror(ret));
	pthread_spin_unlock(&cq->lock);
	return ret;
}

/**
 * vhca_cq_clean() - forget the CQEs of a destroyed or reset QP
 * @cq: a CQ of the QP, locked by the caller
 * @qp: the QP; no CQE for its old queues comes any more
 *
 * CQEs already in the ring get an impossible QPN so neither a later QP
 * with the same number nor the reset QP's new queues take them; receive
 * CQEs still give their SRQ WQE back.
 */
void vhca_cq_clean(struct vhca_cq *cq, struct vhca_qp *qp)
{
	uint32_t n = 1U << cq->log_size;
	struct vhca_cqe *cqe;
	uint32_t i;

	for (i = cq->ci; i != cq->ci + n; i++) {
		cqe = vhca_cq_entry(cq, i);
		if (!cqe)
			break;
		if ((be32toh(cqe->qpn) & ~VHCA_QPN_MASK) ||
		    be32toh(cqe->qpn) != qp->qpn)
			continue;
		if (qp->vqp.qp.srq && qp->vqp.qp.recv_cq == &cq->vcq.cq &&
		    cqe->opcode != VHCA_CQE_REQ &&
		    cqe->opcode != VHCA_CQE_REQ_ERR)
			atomic_fetch_add_explicit(&to_vsrq(qp->vqp.qp.srq)->done,
						  1, memory_order_release);
		cqe->qpn = htobe32(UINT32_MAX);
	}
}
