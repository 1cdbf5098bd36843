// SPDX-License-Identifier: GPL-2.0
/*
 * Shared receive queues. The device consumes SRQ WQEs in ring order, so
 * the driver needs no free list: WQEs posted minus WQEs completed is the
 * ring's fill, and a CQE's wqe_counter names the slot's wr_id.
 */

#include <linux/log2.h>
#include <rdma/ib_verbs.h>

#include "vhca_ib.h"

static int vhca_ib_arm_srq(struct vhca_ib_dev *dev, struct vhca_ib_srq *srq,
			   u32 limit)
{
	struct vhca_cmd_simple_out out = {};
	struct vhca_cmd_arm_srq_in in = {};

	vhca_cmd_in_hdr_set(&in.hdr, VHCA_CMD_OP_ARM_SRQ, 0);
	in.srqn = cpu_to_be32(srq->srqn);
	in.limit = cpu_to_be32(limit);
	return vhca_cmd_exec(dev->cdev, &in, sizeof(in), &out, sizeof(out));
}

/* kernel SRQ memory: the ring, a record from the pool */
static int vhca_ib_srq_alloc_kernel(struct vhca_ib_dev *dev,
				    struct vhca_ib_srq *srq)
{
	int err;

	err = vhca_ib_wq_alloc(dev, &srq->wq, srq->wq.cnt, srq->wq.stride,
			       false);
	if (err)
		return err;
	srq->dbr = dma_pool_zalloc(dev->dbr_pool, GFP_KERNEL, &srq->dbr_dma);
	if (!srq->dbr) {
		vhca_ib_wq_free(dev, &srq->wq);
		return -ENOMEM;
	}
	return 0;
}

/* user SRQ memory: the ring at 0, the record on the page after it */
static int vhca_ib_srq_alloc_user(struct vhca_ib_ucontext *uctx,
				  struct vhca_ib_srq *srq,
				  struct vhca_create_srq_resp *resp)
{
	size_t size = (size_t)srq->wq.cnt * srq->wq.stride;
	size_t dbr_off = PAGE_ALIGN(size);
	struct vhca_ib_ubuf *buf;

	buf = vhca_ib_ubuf_alloc(uctx, dbr_off + VHCA_DBR_SIZE);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	srq->ubuf = buf;
	srq->wq.buf = buf->cpu;
	srq->wq.dma = buf->dma;
	srq->wq.size = size;
	srq->dbr = buf->cpu + dbr_off;
	srq->dbr_dma = buf->dma + dbr_off;
	resp->mmap_size = buf->size;
	resp->wqe_cnt = srq->wq.cnt;
	resp->stride = srq->wq.stride;
	resp->dbr_offset = dbr_off;
	return 0;
}

static void vhca_ib_srq_free_mem(struct vhca_ib_dev *dev,
				 struct vhca_ib_srq *srq)
{
	if (srq->ubuf) {
		vhca_ib_ubuf_release(srq->ubuf);
		return;
	}
	dma_pool_free(dev->dbr_pool, srq->dbr, srq->dbr_dma);
	vhca_ib_wq_free(dev, &srq->wq);
}

static int vhca_ib_srq_udata_check(struct vhca_ib_dev *dev,
				   struct ib_udata *udata)
{
	struct vhca_create_srq_cmd cmd;
	int err;

	err = vhca_ib_udata_cmd(dev, udata, &cmd, sizeof(cmd));
	if (err)
		return err;
	if (cmd.comp_mask || cmd.reserved ||
	    udata->outlen < sizeof(struct vhca_create_srq_resp)) {
		vhca_ib_count(dev, VHCA_IB_ST_U_BAD_UDATA);
		return -EINVAL;
	}
	return 0;
}

int vhca_ib_create_srq(struct ib_srq *ibsrq, struct ib_srq_init_attr *init,
		       struct ib_udata *udata)
{
	struct vhca_ib_dev *dev = to_vhca_ib_dev(ibsrq->device);
	const struct vhca_hca_cap *cap = &dev->cdev->cap;
	struct vhca_ib_srq *srq = to_vhca_ib_srq(ibsrq);
	struct ib_srq_attr *attr = &init->attr;
	struct vhca_cmd_create_srq_in in = {};
	struct vhca_create_srq_resp resp = {};
	struct vhca_ib_ucontext *uctx = NULL;
	struct vhca_cmd_obj_out out = {};
	u32 max_gs, stride, cnt;
	int err;

	if (udata) {
		err = vhca_ib_srq_udata_check(dev, udata);
		if (err)
			return err;
		uctx = rdma_udata_to_drv_context(udata,
						 struct vhca_ib_ucontext,
						 ibuc);
	}
	if (init->srq_type != IB_SRQT_BASIC)
		return -EOPNOTSUPP;
	if (!attr->max_wr || attr->max_wr > BIT(cap->log_max_srq_sz) ||
	    attr->max_sge > cap->max_rq_sge)
		return -EINVAL;
	max_gs = max_t(u32, attr->max_sge, 1);
	stride = roundup_pow_of_two(max_gs * sizeof(struct vhca_wqe_data));
	cnt = max_t(u32, roundup_pow_of_two(attr->max_wr), 2);
	if (cnt > BIT(cap->log_max_srq_sz) || attr->srq_limit > cnt)
		return -EINVAL;

	spin_lock_init(&srq->wq.lock);
	srq->wq.cnt = cnt;
	srq->wq.stride = stride;
	err = uctx ? vhca_ib_srq_alloc_user(uctx, srq, &resp) :
		     vhca_ib_srq_alloc_kernel(dev, srq);
	if (err)
		return err;
	srq->wq.max_gs = min_t(u32, stride / sizeof(struct vhca_wqe_data),
			       cap->max_rq_sge);
	srq->wq.max_post = cnt;
	atomic_set(&srq->done, 0);

	vhca_cmd_in_hdr_set(&in.hdr, VHCA_CMD_OP_CREATE_SRQ, 0);
	in.ctx.log_size = ilog2(cnt);
	in.ctx.log_stride = ilog2(stride / VHCA_WQE_DS);
	in.ctx.pdn = cpu_to_be32(to_vhca_ib_pd(ibsrq->pd)->pdn);
	in.ctx.uar = cpu_to_be32(uctx ? uctx->uar : dev->uar);
	in.ctx.ring_addr = cpu_to_be64(srq->wq.dma);
	in.ctx.dbr_addr = cpu_to_be64(srq->dbr_dma);
	err = vhca_cmd_exec(dev->cdev, &in, sizeof(in), &out, sizeof(out));
	if (err)
		goto err_free_mem;
	srq->srqn = be32_to_cpu(out.num);

	if (uctx) {
		resp.srqn = srq->srqn;
		err = vhca_ib_ubuf_insert(srq->ubuf, &resp.mmap_offset);
		if (err)
			goto err_destroy;
		err = vhca_ib_udata_resp(udata, &resp, sizeof(resp));
		if (err)
			goto err_destroy;
	}
	err = xa_insert(&dev->srqs, srq->srqn, srq, GFP_KERNEL);
	if (err)
		goto err_destroy;
	/* armed once findable: the event may come at once */
	if (attr->srq_limit) {
		err = vhca_ib_arm_srq(dev, srq, attr->srq_limit);
		if (err)
			goto err_erase;
	}
	attr->max_wr = cnt;
	attr->max_sge = srq->wq.max_gs;
	return 0;

err_erase:
	xa_erase(&dev->srqs, srq->srqn);
	synchronize_rcu();
err_destroy:
	vhca_ib_destroy_obj(dev, VHCA_CMD_OP_DESTROY_SRQ, srq->srqn);
err_free_mem:
	vhca_ib_srq_free_mem(dev, srq);
	return err;
}

int vhca_ib_destroy_srq(struct ib_srq *ibsrq, struct ib_udata *udata)
{
	struct vhca_ib_dev *dev = to_vhca_ib_dev(ibsrq->device);
	struct vhca_ib_srq *srq = to_vhca_ib_srq(ibsrq);
	int err;

	err = vhca_ib_destroy_obj(dev, VHCA_CMD_OP_DESTROY_SRQ, srq->srqn);
	if (err)
		return err;
	xa_erase(&dev->srqs, srq->srqn);
	/* SRQ_LIMIT notifier calls that found it */
	synchronize_rcu();
	vhca_ib_srq_free_mem(dev, srq);
	return 0;
}

int vhca_ib_modify_srq(struct ib_srq *ibsrq, struct ib_srq_attr *attr,
		       enum ib_srq_attr_mask mask, struct ib_udata *udata)
{
	struct vhca_ib_srq *srq = to_vhca_ib_srq(ibsrq);

	/* the ring cannot be resized */
	if (mask & IB_SRQ_MAX_WR)
		return -EINVAL;
	if (!(mask & IB_SRQ_LIMIT))
		return 0;
	if (attr->srq_limit > srq->wq.cnt)
		return -EINVAL;
	return vhca_ib_arm_srq(to_vhca_ib_dev(ibsrq->device), srq,
			       attr->srq_limit);
}

int vhca_ib_query_srq(struct ib_srq *ibsrq, struct ib_srq_attr *attr)
{
	struct vhca_ib_dev *dev = to_vhca_ib_dev(ibsrq->device);
	struct vhca_ib_srq *srq = to_vhca_ib_srq(ibsrq);
	struct vhca_cmd_query_srq_out out = {};
	struct vhca_cmd_obj_in in = {};
	int err;

	vhca_cmd_in_hdr_set(&in.hdr, VHCA_CMD_OP_QUERY_SRQ, 0);
	in.num = cpu_to_be32(srq->srqn);
	err = vhca_cmd_exec(dev->cdev, &in, sizeof(in), &out, sizeof(out));
	if (err)
		return err;
	attr->max_wr = srq->wq.max_post;
	attr->max_sge = srq->wq.max_gs;
	attr->srq_limit = be32_to_cpu(out.ctx.limit);
	return 0;
}

int vhca_ib_post_srq_recv(struct ib_srq *ibsrq, const struct ib_recv_wr *wr,
			  const struct ib_recv_wr **bad_wr)
{
	struct vhca_ib_srq *srq = to_vhca_ib_srq(ibsrq);
	struct vhca_ib_wq *wq = &srq->wq;
	unsigned long flags;
	u32 start;
	int err = 0;

	spin_lock_irqsave(&wq->lock, flags);
	start = wq->head;
	for (; wr; wr = wr->next) {
		if (wr->num_sge > wq->max_gs) {
			err = -EINVAL;
			break;
		}
		if (wq->head - (u32)atomic_read(&srq->done) >= wq->cnt) {
			err = -ENOMEM;
			break;
		}
		vhca_ib_recv_wqe_write(wq, wq->head & (wq->cnt - 1), wr);
		wq->head++;
	}
	if (err) {
		*bad_wr = wr;
		vhca_ib_count(to_vhca_ib_dev(ibsrq->device),
			      VHCA_IB_ST_POST_RECV_ERR);
	}
	if (wq->head != start) {
		dma_wmb();
		WRITE_ONCE(*srq->dbr, cpu_to_be32(wq->head & 0xffff));
	}
	spin_unlock_irqrestore(&wq->lock, flags);
	return err;
}

/**
 * vhca_ib_srq_event() - a SRQ_LIMIT event: fewer WQEs than the limit
 * @dev: the device
 * @srqn: the SRQ it names
 *
 * Hard interrupt context, under rcu_read_lock(). The device disarmed the
 * limit; the ULP re-arms with modify_srq(IB_SRQ_LIMIT).
 */
void vhca_ib_srq_event(struct vhca_ib_dev *dev, u32 srqn)
{
	struct vhca_ib_srq *srq = xa_load(&dev->srqs, srqn);
	struct ib_event ev = {};

	if (!srq) {
		vhca_ib_count(dev, VHCA_IB_ST_EV_UNKNOWN_OBJ);
		return;
	}
	vhca_ib_count(dev, VHCA_IB_ST_EV_SRQ_LIMIT);
	if (!srq->ibsrq.event_handler)
		return;
	ev.device = &dev->ibdev;
	ev.event = IB_EVENT_SRQ_LIMIT_REACHED;
	ev.element.srq = &srq->ibsrq;
	srq->ibsrq.event_handler(&ev, srq->ibsrq.srq_context);
}
