// SPDX-License-Identifier: GPL-2.0
/*
 * Completion queues: a CQE ring in coherent memory the device writes, a
 * doorbell record holding the consumer index, completion events from the
 * core's completion EQs, and the translation of CQEs into ib_wc.
 *
 * A CQE is new when its owner bit equals vhca_cqe_owner(ci); the device
 * writes a slot again only once the consumer index in the doorbell record
 * has passed it, so a full CQ stalls (and errors) instead of overwriting.
 */

#include <linux/dma-mapping.h>
#include <linux/log2.h>
#include <rdma/ib_verbs.h>

#include "vhca_ib.h"

/* the device reports the IBA completion status in ib_core's numbering */
static_assert(VHCA_CQE_ST_OK == IB_WC_SUCCESS);
static_assert(VHCA_CQE_ST_LOC_PROT_ERR == IB_WC_LOC_PROT_ERR);
static_assert(VHCA_CQE_ST_WR_FLUSH_ERR == IB_WC_WR_FLUSH_ERR);
static_assert(VHCA_CQE_ST_REM_ACCESS_ERR == IB_WC_REM_ACCESS_ERR);
static_assert(VHCA_CQE_ST_RETRY_EXC_ERR == IB_WC_RETRY_EXC_ERR);
static_assert(VHCA_CQE_ST_RNR_RETRY_EXC_ERR == IB_WC_RNR_RETRY_EXC_ERR);
static_assert(VHCA_CQE_ST_GENERAL_ERR == IB_WC_GENERAL_ERR);

static size_t vhca_ib_cq_ring_size(const struct vhca_ib_cq *cq)
{
	return sizeof(struct vhca_cqe) << cq->log_size;
}

/* completion EQ interrupt: hand the event to the CQ's owner */
static void vhca_ib_comp_handler(struct vhca_eq_comp *comp, u32 cqn)
{
	struct vhca_ib_comp *c = container_of(comp, struct vhca_ib_comp, comp);
	struct vhca_ib_dev *dev = c->dev;
	struct vhca_ib_cq *cq;

	/* the EQ handler holds rcu_read_lock(); destroy_cq waits for it */
	cq = xa_load(&dev->cqs, cqn);
	if (!cq) {
		vhca_ib_count(dev, VHCA_IB_ST_COMP_UNKNOWN_CQ);
		return;
	}
	vhca_ib_count(dev, VHCA_IB_ST_COMP_EVENTS);
	if (cq->ibcq.comp_handler)
		cq->ibcq.comp_handler(&cq->ibcq, cq->ibcq.cq_context);
}

/**
 * vhca_ib_comp_init() - receive the completion events of every comp EQ
 * @dev: the device
 *
 * Return: 0 or a negative errno; nothing is left attached on failure.
 */
int vhca_ib_comp_init(struct vhca_ib_dev *dev)
{
	unsigned int i, n = vhca_core_num_comp_eqs(dev->cdev);
	int err;

	if (!n)
		return -ENODEV;
	dev->comps = kcalloc(n, sizeof(*dev->comps), GFP_KERNEL);
	if (!dev->comps)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		dev->comps[i].comp.handler = vhca_ib_comp_handler;
		dev->comps[i].dev = dev;
		err = vhca_eq_comp_attach(vhca_core_comp_eq(dev->cdev, i),
					  &dev->comps[i].comp);
		if (err)
			goto err_detach;
		dev->num_comps++;
	}
	return 0;

err_detach:
	vhca_ib_comp_cleanup(dev);
	return err;
}

/**
 * vhca_ib_comp_cleanup() - undo vhca_ib_comp_init()
 * @dev: the device; no CQ is left
 */
void vhca_ib_comp_cleanup(struct vhca_ib_dev *dev)
{
	while (dev->num_comps) {
		dev->num_comps--;
		vhca_eq_comp_detach(vhca_core_comp_eq(dev->cdev,
						      dev->num_comps),
				    &dev->comps[dev->num_comps].comp);
	}
	kfree(dev->comps);
	dev->comps = NULL;
}

/* kernel CQ memory: the ring and a record from the pool */
static int vhca_ib_cq_alloc_kernel(struct vhca_ib_dev *dev,
				   struct vhca_ib_cq *cq)
{
	struct device *ddev = dev->cdev->dev;

	cq->ring = dma_alloc_coherent(ddev, vhca_ib_cq_ring_size(cq),
				      &cq->ring_dma, GFP_KERNEL);
	if (!cq->ring)
		return -ENOMEM;
	cq->dbr = dma_pool_zalloc(dev->dbr_pool, GFP_KERNEL, &cq->dbr_dma);
	if (!cq->dbr) {
		dma_free_coherent(ddev, vhca_ib_cq_ring_size(cq), cq->ring,
				  cq->ring_dma);
		return -ENOMEM;
	}
	return 0;
}

/* user CQ memory: ring at 0, record on its own cache line after it */
static int vhca_ib_cq_alloc_user(struct vhca_ib_ucontext *uctx,
				 struct vhca_ib_cq *cq,
				 struct vhca_create_cq_resp *resp)
{
	size_t dbr_off = ALIGN(vhca_ib_cq_ring_size(cq), SMP_CACHE_BYTES);

	cq->ubuf = vhca_ib_ubuf_alloc(uctx, dbr_off + VHCA_DBR_SIZE);
	if (IS_ERR(cq->ubuf)) {
		int err = PTR_ERR(cq->ubuf);

		cq->ubuf = NULL;
		return err;
	}
	cq->ring = cq->ubuf->cpu;
	cq->ring_dma = cq->ubuf->dma;
	cq->dbr = cq->ubuf->cpu + dbr_off;
	cq->dbr_dma = cq->ubuf->dma + dbr_off;
	resp->mmap_size = cq->ubuf->size;
	resp->log_size = cq->log_size;
	resp->dbr_offset = dbr_off;
	return 0;
}

static void vhca_ib_cq_free_mem(struct vhca_ib_dev *dev, struct vhca_ib_cq *cq)
{
	if (cq->ubuf) {
		vhca_ib_ubuf_release(cq->ubuf);
		return;
	}
	dma_pool_free(dev->dbr_pool, cq->dbr, cq->dbr_dma);
	dma_free_coherent(dev->cdev->dev, vhca_ib_cq_ring_size(cq), cq->ring,
			  cq->ring_dma);
}

/* the driver part of a user CREATE_CQ: nothing to ask for yet */
static int vhca_ib_cq_udata_check(struct vhca_ib_dev *dev,
				  struct ib_udata *udata)
{
	struct vhca_create_cq_cmd cmd;
	int err;

	err = vhca_ib_udata_cmd(dev, udata, &cmd, sizeof(cmd));
	if (err)
		return err;
	if (cmd.comp_mask || cmd.reserved ||
	    udata->outlen < sizeof(struct vhca_create_cq_resp)) {
		vhca_ib_count(dev, VHCA_IB_ST_U_BAD_UDATA);
		return -EINVAL;
	}
	return 0;
}

int vhca_ib_create_cq(struct ib_cq *ibcq, const struct ib_cq_init_attr *attr,
		      struct ib_udata *udata)
{
	struct vhca_ib_dev *dev = to_vhca_ib_dev(ibcq->device);
	struct vhca_ib_cq *cq = to_vhca_ib_cq(ibcq);
	struct vhca_core_dev *cdev = dev->cdev;
	struct vhca_cmd_create_cq_in in = {};
	struct vhca_create_cq_resp resp = {};
	struct vhca_ib_ucontext *uctx = NULL;
	struct vhca_cmd_obj_out out = {};
	struct vhca_eq *eq;
	u32 i, nent;
	int err;

	if (attr->flags)
		return -EOPNOTSUPP;
	if (attr->cqe < 1 || attr->cqe >= BIT(cdev->cap.log_max_cq_sz))
		return -EINVAL;
	if (udata) {
		err = vhca_ib_cq_udata_check(dev, udata);
		if (err)
			return err;
		uctx = rdma_udata_to_drv_context(udata,
						 struct vhca_ib_ucontext,
						 ibuc);
	}
	/* one slot more than asked: ci == pi must mean empty */
	nent = roundup_pow_of_two(attr->cqe + 1);
	cq->log_size = ilog2(nent);
	eq = vhca_core_comp_eq(cdev, attr->comp_vector % dev->num_comps);
	spin_lock_init(&cq->lock);

	err = uctx ? vhca_ib_cq_alloc_user(uctx, cq, &resp) :
		     vhca_ib_cq_alloc_kernel(dev, cq);
	if (err)
		return err;
	/* owner 1 everywhere: nothing is new at ci 0 (phase 0) */
	for (i = 0; i < nent; i++)
		cq->ring[i].owner = 1;

	vhca_cmd_in_hdr_set(&in.hdr, VHCA_CMD_OP_CREATE_CQ, 0);
	in.ctx.log_size = cq->log_size;
	in.ctx.eqn = cpu_to_be32(vhca_eq_eqn(eq));
	in.ctx.uar = cpu_to_be32(uctx ? uctx->uar : dev->uar);
	in.ctx.ring_addr = cpu_to_be64(cq->ring_dma);
	in.ctx.dbr_addr = cpu_to_be64(cq->dbr_dma);
	err = vhca_cmd_exec(cdev, &in, sizeof(in), &out, sizeof(out));
	if (err)
		goto err_free_mem;
	cq->cqn = be32_to_cpu(out.num);

	if (uctx) {
		resp.cqn = cq->cqn;
		err = vhca_ib_ubuf_insert(cq->ubuf, &resp.mmap_offset);
		if (err)
			goto err_destroy;
		err = vhca_ib_udata_resp(udata, &resp, sizeof(resp));
		if (err)
			goto err_destroy;
	}
	err = xa_insert(&dev->cqs, cq->cqn, cq, GFP_KERNEL);
	if (err)
		goto err_destroy;
	ibcq->cqe = nent - 1;
	return 0;

err_destroy:
	vhca_ib_destroy_obj(dev, VHCA_CMD_OP_DESTROY_CQ, cq->cqn);
err_free_mem:
	vhca_ib_cq_free_mem(dev, cq);
	return err;
}

int vhca_ib_destroy_cq(struct ib_cq *ibcq, struct ib_udata *udata)
{
	struct vhca_ib_dev *dev = to_vhca_ib_dev(ibcq->device);
	struct vhca_ib_cq *cq = to_vhca_ib_cq(ibcq);
	int err;

	err = vhca_ib_destroy_obj(dev, VHCA_CMD_OP_DESTROY_CQ, cq->cqn);
	/* ib_core frees the CQ even on failure: forget it either way */
	xa_erase(&dev->cqs, cq->cqn);
	synchronize_rcu();
	if (err) {
		dev_err(&ibcq->device->dev,
			"CQ %u not destroyed (%d), leaking its ring\n",
			cq->cqn, err);
		return err;
	}
	vhca_ib_cq_free_mem(dev, cq);
	return 0;
}

/* the CQE at the consumer index if the device has written it */
static struct vhca_cqe *vhca_ib_cq_next(struct vhca_ib_cq *cq)
{
	struct vhca_cqe *cqe = &cq->ring[cq->ci & (BIT(cq->log_size) - 1)];

	if ((READ_ONCE(cqe->owner) & 1) != vhca_cqe_owner(cq->ci, cq->log_size))
		return NULL;
	/* the CQE's contents only after its owner bit */
	dma_rmb();
	return cqe;
}

/* advance a 32-bit counter to the 16-bit value @cnt16 (never backwards) */
static u32 vhca_ib_counter(u32 base, u16 cnt16)
{
	return base + (u16)(cnt16 - (u16)base);
}

static enum ib_wc_opcode vhca_ib_req_opcode(u8 wqe_opcode)
{
	switch (wqe_opcode) {
	case VHCA_WQE_OP_RDMA_WRITE:
	case VHCA_WQE_OP_RDMA_WRITE_IMM:
		return IB_WC_RDMA_WRITE;
	case VHCA_WQE_OP_RDMA_READ:
		return IB_WC_RDMA_READ;
	default:
		return IB_WC_SEND;
	}
}

/* a send CQE: completes its WQE and every unsignaled one before it */
static bool vhca_ib_req_wc(struct vhca_ib_qp *qp, const struct vhca_cqe *cqe,
			   struct ib_wc *wc)
{
	struct vhca_ib_wq *wq = &qp->sq;
	u16 counter = be16_to_cpu(cqe->wqe_counter);
	u32 idx = counter & (wq->cnt - 1);
	u32 start = vhca_ib_counter(wq->tail, counter);

	WRITE_ONCE(wq->tail, start + max_t(u8, wq->wqe_bbs[idx], 1));
	/* padding the driver put in; the device may flush it */
	if (cqe->wqe_opcode == VHCA_WQE_OP_NOP)
		return false;
	wc->wr_id = wq->wrid[idx];
	wc->opcode = vhca_ib_req_opcode(cqe->wqe_opcode);
	wc->byte_len = be32_to_cpu(cqe->byte_cnt);
	return true;
}

static bool vhca_ib_resp_wc(struct vhca_ib_qp *qp, const struct vhca_cqe *cqe,
			    struct ib_wc *wc)
{
	u16 counter = be16_to_cpu(cqe->wqe_counter);
	struct vhca_ib_srq *srq;
	struct vhca_ib_wq *wq;

	if (qp->ibqp.srq) {
		srq = to_vhca_ib_srq(qp->ibqp.srq);
		wc->wr_id = srq->wq.wrid[counter & (srq->wq.cnt - 1)];
		atomic_inc(&srq->done);
	} else {
		wq = &qp->rq;
		if (!wq->cnt)
			return false;
		wc->wr_id = wq->wrid[counter & (wq->cnt - 1)];
		WRITE_ONCE(wq->tail, vhca_ib_counter(wq->tail, counter) + 1);
	}

	switch (cqe->opcode) {
	case VHCA_CQE_RESP_SEND_IMM:
		wc->wc_flags |= IB_WC_WITH_IMM;
		fallthrough;
	case VHCA_CQE_RESP_SEND:
	case VHCA_CQE_RESP_ERR:
		wc->opcode = IB_WC_RECV;
		break;
	case VHCA_CQE_RESP_WRITE_IMM:
		wc->wc_flags |= IB_WC_WITH_IMM;
		wc->opcode = IB_WC_RECV_RDMA_WITH_IMM;
		break;
	}
	if (cqe->flags & VHCA_CQE_F_GRH)
		wc->wc_flags |= IB_WC_GRH;
	if (wc->wc_flags & IB_WC_WITH_IMM)
		wc->ex.imm_data = cqe->imm;
	wc->byte_len = be32_to_cpu(cqe->byte_cnt);
	wc->src_qp = be32_to_cpu(cqe->src_qp) & VHCA_QPN_MASK;
	wc->slid = be16_to_cpu(cqe->slid);
	wc->sl = cqe->sl;
	wc->dlid_path_bits = cqe->path_bits;
	wc->pkey_index = be16_to_cpu(cqe->pkey_index);
	wc->port_num = qp->port;
	return true;
}

/*
 * Translate one CQE. Return: true if @wc is a completion for the ULP,
 * false if the CQE is consumed silently (padding, a destroyed QP).
 */
static bool vhca_ib_cqe_to_wc(struct vhca_ib_cq *cq, const struct vhca_cqe *cqe,
			      struct ib_wc *wc)
{
	struct vhca_ib_dev *dev = to_vhca_ib_dev(cq->ibcq.device);
	bool req = cqe->opcode == VHCA_CQE_REQ ||
		   cqe->opcode == VHCA_CQE_REQ_ERR;
	struct vhca_ib_qp *qp;

	/* destroy_qp erases, then takes this lock: @qp stays valid here */
	qp = xa_load(&dev->qps, be32_to_cpu(cqe->qpn));
	if (!qp) {
		vhca_ib_count(dev, VHCA_IB_ST_CQE_UNKNOWN_QP);
		return false;
	}
	if ((req && qp->ibqp.send_cq != &cq->ibcq) ||
	    (!req && qp->ibqp.recv_cq != &cq->ibcq) ||
	    (req && !qp->sq.cnt) ||
	    (!req && cqe->opcode != VHCA_CQE_RESP_SEND &&
	     cqe->opcode != VHCA_CQE_RESP_SEND_IMM &&
	     cqe->opcode != VHCA_CQE_RESP_WRITE_IMM &&
	     cqe->opcode != VHCA_CQE_RESP_ERR)) {
		vhca_ib_count(dev, VHCA_IB_ST_CQE_BAD);
		return false;
	}

	memset(wc, 0, sizeof(*wc));
	wc->qp = &qp->ibqp;
	wc->status = cqe->status <= IB_WC_GENERAL_ERR ? cqe->status :
							IB_WC_GENERAL_ERR;
	if (wc->status != IB_WC_SUCCESS)
		wc->vendor_err = be32_to_cpu(cqe->vendor_syndrome);
	return req ? vhca_ib_req_wc(qp, cqe, wc) : vhca_ib_resp_wc(qp, cqe, wc);
}

int vhca_ib_poll_cq(struct ib_cq *ibcq, int num, struct ib_wc *wc)
{
	struct vhca_ib_cq *cq = to_vhca_ib_cq(ibcq);
	struct vhca_cqe *cqe;
	unsigned long flags;
	u32 start;
	int n = 0;

	/* the process polls its CQ's ring itself */
	if (cq->ubuf)
		return -EOPNOTSUPP;
	spin_lock_irqsave(&cq->lock, flags);
	start = cq->ci;
	while (n < num && (cqe = vhca_ib_cq_next(cq))) {
		if (vhca_ib_cqe_to_wc(cq, cqe, &wc[n]))
			n++;
		cq->ci++;
	}
	if (cq->ci != start) {
		/* done reading the slots before they are given back */
		dma_mb();
		WRITE_ONCE(*cq->dbr, cpu_to_be32(cq->ci & VHCA_CQ_DB_CI));
	}
	spin_unlock_irqrestore(&cq->lock, flags);
	return n;
}

int vhca_ib_req_notify_cq(struct ib_cq *ibcq, enum ib_cq_notify_flags flags)
{
	struct vhca_ib_dev *dev = to_vhca_ib_dev(ibcq->device);
	struct vhca_ib_cq *cq = to_vhca_ib_cq(ibcq);
	u32 cmd = (flags & IB_CQ_SOLICITED_MASK) == IB_CQ_SOLICITED ?
		  VHCA_CQ_DB_CMD_SOL : VHCA_CQ_DB_CMD_NEXT;
	unsigned long irqflags;
	int ret = 0;

	if (cq->ubuf) {
		/* ibv_cmd_req_notify_cq(): the process's consumer index */
		u32 ci = be32_to_cpu(READ_ONCE(*cq->dbr));

		vhca_core_uar_write64(dev->cdev, vhca_ib_ubuf_uar(cq->ubuf),
				      VHCA_UAR_CQ_DB,
				      vhca_cq_db_val(cq->cqn, cmd, ci));
		return 0;
	}
	spin_lock_irqsave(&cq->lock, irqflags);
	/* the doorbell record before the doorbell that names the same ci */
	wmb();
	vhca_core_uar_write64(dev->cdev, dev->uar, VHCA_UAR_CQ_DB,
			      vhca_cq_db_val(cq->cqn, cmd, cq->ci));
	if ((flags & IB_CQ_REPORT_MISSED_EVENTS) && vhca_ib_cq_next(cq))
		ret = 1;
	spin_unlock_irqrestore(&cq->lock, irqflags);
	return ret;
}

/**
 * vhca_ib_cq_event() - a CQ_ERROR event (overrun) for a CQ
 * @dev: the device
 * @cqn: the CQ it names
 *
 * Hard interrupt context, under rcu_read_lock() (the notifier chain).
 */
void vhca_ib_cq_event(struct vhca_ib_dev *dev, u32 cqn)
{
	struct vhca_ib_cq *cq = xa_load(&dev->cqs, cqn);
	struct ib_event ev = {};

	if (!cq) {
		vhca_ib_count(dev, VHCA_IB_ST_EV_UNKNOWN_OBJ);
		return;
	}
	vhca_ib_count(dev, VHCA_IB_ST_EV_CQ_ERR);
	dev_warn_ratelimited(&dev->ibdev.dev, "CQ %u overrun\n", cqn);
	if (!cq->ibcq.event_handler)
		return;
	ev.device = &dev->ibdev;
	ev.event = IB_EVENT_CQ_ERR;
	ev.element.cq = &cq->ibcq;
	cq->ibcq.event_handler(&ev, cq->ibcq.cq_context);
}

/**
 * vhca_ib_cq_clean() - forget the CQEs of a destroyed or reset QP
 * @cq: a CQ of the QP
 * @qp: the QP, destroyed in the device (and erased from the QP table)
 *	or moved to RESET, so no CQE for its old queues comes any more
 *
 * CQEs already in the ring are marked with an impossible QPN so a later
 * QP with the same number, or the reset QP's new queues, do not take
 * them; receive CQEs still give their SRQ WQE back. Taking the CQ lock
 * also waits out a poller that looked @qp up before it was erased.
 * A user CQ's ring is the process's: its provider does the same.
 */
void vhca_ib_cq_clean(struct vhca_ib_cq *cq, struct vhca_ib_qp *qp)
{
	u32 mask = BIT(cq->log_size) - 1;
	struct vhca_cqe *cqe;
	unsigned long flags;
	u32 i;

	if (cq->ubuf)
		return;

	spin_lock_irqsave(&cq->lock, flags);
	for (i = cq->ci; i != cq->ci + mask + 1; i++) {
		cqe = &cq->ring[i & mask];
		if ((READ_ONCE(cqe->owner) & 1) != vhca_cqe_owner(i, cq->log_size))
			break;
		dma_rmb();
		if ((be32_to_cpu(cqe->qpn) & VHCA_QPN_MASK) != qp->qpn)
			continue;
		if (qp->ibqp.srq && qp->ibqp.recv_cq == &cq->ibcq &&
		    cqe->opcode != VHCA_CQE_REQ && cqe->opcode != VHCA_CQE_REQ_ERR)
			atomic_inc(&to_vhca_ib_srq(qp->ibqp.srq)->done);
		cqe->qpn = cpu_to_be32(U32_MAX);
	}
	spin_unlock_irqrestore(&cq->lock, flags);
}
