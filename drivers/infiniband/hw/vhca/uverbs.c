// SPDX-License-Identifier: GPL-2.0
/*
 * User verbs: process contexts, the memory of user objects mapped into
 * the process, and the doorbell methods (include/uapi/rdma/vhca-abi.h).
 *
 * The data path bypasses the kernel as on a real HCA: the kernel
 * allocates each user CQ, QP and SRQ's rings and doorbell record in one
 * DMA-coherent buffer (struct vhca_ib_ubuf), creates the device object on
 * its DMA addresses, and the process maps the buffer through an mmap
 * entry of its context. The process then writes WQEs, doorbell records
 * and consumer indices there itself. Only the doorbell register is out of
 * its reach (the emulated device sees register writes, not stores), so it
 * is a driver-specific uverbs method that rings through the context's
 * own UAR: the device ignores a doorbell for an object of another UAR.
 *
 * Lifetime: the buffer belongs to its mmap entry once inserted. Destroying
 * the object stops the device first, then removes the entry; the pages are
 * freed in .mmap_free when the last mapping is gone, so the process never
 * reaches freed memory and the device never writes reused memory.
 */

#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <rdma/ib_verbs.h>

#define UVERBS_MODULE_NAME vhca_ib
#include <rdma/uverbs_named_ioctl.h>

#include "vhca_ib.h"

/**
 * vhca_ib_udata_cmd() - read the driver part of a user command
 * @dev: the device (counts refusals)
 * @udata: the command's udata
 * @cmd: filled, zero where the caller sent less
 * @size: sizeof(*@cmd)
 *
 * A longer request than the kernel knows is accepted only if the extra
 * bytes are zero (a newer provider asking for nothing new).
 *
 * Return: 0, -EFAULT or -EOPNOTSUPP.
 */
int vhca_ib_udata_cmd(struct vhca_ib_dev *dev, struct ib_udata *udata,
		      void *cmd, size_t size)
{
	memset(cmd, 0, size);
	if (!udata->inlen)
		return 0;
	if (udata->inlen > size &&
	    !ib_is_udata_cleared(udata, size, udata->inlen - size)) {
		vhca_ib_count(dev, VHCA_IB_ST_U_BAD_UDATA);
		return -EOPNOTSUPP;
	}
	if (ib_copy_from_udata(cmd, udata, min(size, udata->inlen)))
		return -EFAULT;
	return 0;
}

/**
 * vhca_ib_udata_resp() - write the driver part of a response
 * @udata: the command's udata
 * @resp: the response
 * @size: sizeof(*@resp); the caller's buffer must hold all of it
 *
 * Return: 0, -EINVAL (buffer too short) or -EFAULT.
 */
int vhca_ib_udata_resp(struct ib_udata *udata, void *resp, size_t size)
{
	if (udata->outlen < size)
		return -EINVAL;
	return ib_copy_to_udata(udata, resp, size);
}

int vhca_ib_alloc_ucontext(struct ib_ucontext *ibuc, struct ib_udata *udata)
{
	struct vhca_ib_dev *dev = to_vhca_ib_dev(ibuc->device);
	struct vhca_ib_ucontext *uctx = to_vhca_ib_ucontext(ibuc);
	const struct vhca_hca_cap *cap = &dev->cdev->cap;
	struct vhca_alloc_ucontext_resp resp = {};
	struct vhca_alloc_ucontext_cmd cmd;
	int err;

	err = vhca_ib_udata_cmd(dev, udata, &cmd, sizeof(cmd));
	if (err)
		return err;
	if (cmd.comp_mask ||
	    (cmd.abi_version && cmd.abi_version != VHCA_UVERBS_ABI_VERSION)) {
		vhca_ib_count(dev, VHCA_IB_ST_U_BAD_UDATA);
		return -EINVAL;
	}
	err = vhca_ib_alloc_obj(dev, VHCA_CMD_OP_ALLOC_UAR, 0, &uctx->uar);
	if (err)
		return err;

	resp.abi_version = VHCA_UVERBS_ABI_VERSION;
	resp.caps = VHCA_UCTX_CAP_SQ_DOORBELL | VHCA_UCTX_CAP_CQ_ARM |
		    VHCA_UCTX_CAP_CMD_REQ_NOTIFY;
	resp.uar = uctx->uar;
	resp.page_size = PAGE_SIZE;
	resp.wqebb_size = VHCA_WQEBB;
	resp.max_send_wqe_bbs = VHCA_SEND_WQE_MAX_BBS;
	resp.cqe_size = sizeof(struct vhca_cqe);
	resp.data_seg_size = sizeof(struct vhca_wqe_data);
	resp.invalid_lkey = VHCA_INVALID_LKEY;
	resp.max_inline = be16_to_cpu(cap->max_inline);
	resp.max_sq_sge = cap->max_sq_sge;
	resp.max_rq_sge = cap->max_rq_sge;
	/* an older provider may know a shorter response */
	err = ib_copy_to_udata(udata, &resp, min(sizeof(resp), udata->outlen));
	if (err)
		goto err_uar;
	return 0;

err_uar:
	vhca_ib_destroy_obj(dev, VHCA_CMD_OP_DEALLOC_UAR, uctx->uar);
	return err;
}

/* ib_core destroyed every object of the context first */
void vhca_ib_dealloc_ucontext(struct ib_ucontext *ibuc)
{
	struct vhca_ib_ucontext *uctx = to_vhca_ib_ucontext(ibuc);
	struct vhca_ib_dev *dev = to_vhca_ib_dev(ibuc->device);
	int err;

	err = vhca_ib_destroy_obj(dev, VHCA_CMD_OP_DEALLOC_UAR, uctx->uar);
	if (err)
		dev_err(&dev->ibdev.dev, "UAR %u not freed: %d\n", uctx->uar,
			err);
}

static struct vhca_ib_ubuf *to_vhca_ib_ubuf(struct rdma_user_mmap_entry *e)
{
	return container_of(e, struct vhca_ib_ubuf, rdma_entry);
}

/**
 * vhca_ib_ubuf_alloc() - DMA-coherent, zeroed memory for a user object
 * @uctx: the object's context
 * @size: bytes; rounded up to pages
 *
 * Return: the buffer or an ERR_PTR; free it with vhca_ib_ubuf_release().
 */
struct vhca_ib_ubuf *vhca_ib_ubuf_alloc(struct vhca_ib_ucontext *uctx,
					size_t size)
{
	struct vhca_ib_dev *dev = to_vhca_ib_dev(uctx->ibuc.device);
	struct vhca_ib_ubuf *buf;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	buf->uctx = uctx;
	buf->dma_dev = dev->cdev->dev;
	buf->size = PAGE_ALIGN(size);
	buf->cpu = dma_alloc_coherent(buf->dma_dev, buf->size, &buf->dma,
				      GFP_KERNEL);
	if (!buf->cpu)
		goto err_free;
	/* .mmap maps it by page frame: it must be in the linear map */
	if (WARN_ON_ONCE(is_vmalloc_addr(buf->cpu)))
		goto err_dma;
	return buf;

err_dma:
	dma_free_coherent(buf->dma_dev, buf->size, buf->cpu, buf->dma);
err_free:
	kfree(buf);
	return ERR_PTR(-ENOMEM);
}

static void vhca_ib_ubuf_free(struct vhca_ib_ubuf *buf)
{
	dma_free_coherent(buf->dma_dev, buf->size, buf->cpu, buf->dma);
	kfree(buf);
}

/**
 * vhca_ib_ubuf_insert() - make a buffer mappable by its context
 * @buf: the buffer; from now on its mmap entry owns it
 * @offset: the mmap offset for the process
 *
 * Return: 0 or a negative errno (the buffer is still the caller's).
 */
int vhca_ib_ubuf_insert(struct vhca_ib_ubuf *buf, u64 *offset)
{
	int err;

	err = rdma_user_mmap_entry_insert(&buf->uctx->ibuc, &buf->rdma_entry,
					  buf->size);
	if (err)
		return err;
	buf->inserted = true;
	*offset = rdma_user_mmap_get_offset(&buf->rdma_entry);
	return 0;
}

/**
 * vhca_ib_ubuf_release() - the object is done with its buffer
 * @buf: the buffer, or NULL; the device no longer uses it
 *
 * An inserted buffer is freed once no mapping of it remains.
 */
void vhca_ib_ubuf_release(struct vhca_ib_ubuf *buf)
{
	if (!buf)
		return;
	if (buf->inserted)
		rdma_user_mmap_entry_remove(&buf->rdma_entry);
	else
		vhca_ib_ubuf_free(buf);
}

/**
 * vhca_ib_ubuf_uar() - the UAR of the context a user object belongs to
 * @buf: the object's buffer
 *
 * Return: the UAR number.
 */
u32 vhca_ib_ubuf_uar(const struct vhca_ib_ubuf *buf)
{
	return buf->uctx->uar;
}

int vhca_ib_mmap(struct ib_ucontext *ibuc, struct vm_area_struct *vma)
{
	struct vhca_ib_dev *dev = to_vhca_ib_dev(ibuc->device);
	struct rdma_user_mmap_entry *e;
	struct vhca_ib_ubuf *buf;
	int err;

	/* an entry of this context, of exactly the mapping's size */
	e = rdma_user_mmap_entry_get(ibuc, vma);
	if (!e) {
		vhca_ib_count(dev, VHCA_IB_ST_U_BAD_MMAP);
		return -EINVAL;
	}
	buf = to_vhca_ib_ubuf(e);
	/* the mapping holds a reference to the entry until it goes away */
	err = rdma_user_mmap_io(ibuc, vma, PHYS_PFN(virt_to_phys(buf->cpu)),
				buf->size, vma->vm_page_prot, e);
	if (err)
		vhca_ib_count(dev, VHCA_IB_ST_U_BAD_MMAP);
	rdma_user_mmap_entry_put(e);
	return err;
}

void vhca_ib_mmap_free(struct rdma_user_mmap_entry *rdma_entry)
{
	vhca_ib_ubuf_free(to_vhca_ib_ubuf(rdma_entry));
}

/* the context of the call, if @buf is a user object's of that context */
static struct vhca_ib_ucontext *
vhca_ib_method_uctx(struct uverbs_attr_bundle *attrs,
		    const struct vhca_ib_ubuf *buf)
{
	struct ib_ucontext *ibuc = ib_uverbs_get_ucontext(attrs);

	if (IS_ERR(ibuc) || !buf || &buf->uctx->ibuc != ibuc)
		return NULL;
	return to_vhca_ib_ucontext(ibuc);
}

/*
 * SQ doorbell: the process wrote WQEs and the record's send word up to
 * @pi. A counter behind the last one rung (two threads racing to the
 * syscall) is already covered; one further ahead than the ring is a bug.
 */
static int
UVERBS_HANDLER(VHCA_IB_METHOD_QP_SQ_DOORBELL)(struct uverbs_attr_bundle *attrs)
{
	struct ib_qp *ibqp = uverbs_attr_get_obj(attrs,
						 VHCA_IB_ATTR_SQ_DB_QP_HANDLE);
	struct vhca_ib_ucontext *uctx;
	struct vhca_ib_qp *qp;
	struct vhca_ib_dev *dev;
	unsigned long flags;
	int err = -EINVAL;
	u32 pi;

	if (IS_ERR(ibqp))
		return PTR_ERR(ibqp);
	qp = to_vhca_ib_qp(ibqp);
	dev = qp->dev;
	uctx = vhca_ib_method_uctx(attrs, qp->ubuf);
	if (!uctx || !qp->sq.cnt)
		goto bad;
	if (uverbs_copy_from(&pi, attrs, VHCA_IB_ATTR_SQ_DB_PI) ||
	    pi > U16_MAX)
		goto bad;

	spin_lock_irqsave(&qp->sq.lock, flags);
	if ((u16)(pi - qp->sq_db_pi) <= qp->sq.cnt) {
		qp->sq_db_pi = pi;
		/* the process's WQEs and record before the doorbell */
		wmb();
		vhca_core_uar_write64(dev->cdev, uctx->uar, VHCA_UAR_SQ_DB,
				      vhca_sq_db_val(qp->qpn, pi));
		err = 0;
	} else if ((u16)(qp->sq_db_pi - pi) <= qp->sq.cnt) {
		err = 0;
	}
	spin_unlock_irqrestore(&qp->sq.lock, flags);
	if (err)
		goto bad;
	vhca_ib_count(dev, VHCA_IB_ST_U_DOORBELLS);
	return 0;

bad:
	vhca_ib_count(dev, VHCA_IB_ST_U_BAD_DOORBELL);
	return err;
}

/* CQ arm: one completion event once a CQE past @ci exists */
static int
UVERBS_HANDLER(VHCA_IB_METHOD_CQ_ARM)(struct uverbs_attr_bundle *attrs)
{
	struct ib_cq *ibcq = uverbs_attr_get_obj(attrs,
						 VHCA_IB_ATTR_CQ_ARM_CQ_HANDLE);
	struct vhca_ib_ucontext *uctx;
	struct vhca_ib_dev *dev;
	struct vhca_ib_cq *cq;
	u32 cmd, ci;

	if (IS_ERR(ibcq))
		return PTR_ERR(ibcq);
	cq = to_vhca_ib_cq(ibcq);
	dev = to_vhca_ib_dev(ibcq->device);
	uctx = vhca_ib_method_uctx(attrs, cq->ubuf);
	if (!uctx ||
	    uverbs_copy_from(&cmd, attrs, VHCA_IB_ATTR_CQ_ARM_CMD) ||
	    uverbs_copy_from(&ci, attrs, VHCA_IB_ATTR_CQ_ARM_CI) ||
	    ci > FIELD_MAX(VHCA_CQ_DB_CI) ||
	    (cmd != VHCA_IB_CQ_ARM_NEXT && cmd != VHCA_IB_CQ_ARM_SOLICITED)) {
		vhca_ib_count(dev, VHCA_IB_ST_U_BAD_DOORBELL);
		return -EINVAL;
	}
	static_assert(VHCA_IB_CQ_ARM_NEXT == VHCA_CQ_DB_CMD_NEXT);
	static_assert(VHCA_IB_CQ_ARM_SOLICITED == VHCA_CQ_DB_CMD_SOL);
	/* the process's record (consumer index) before the doorbell */
	wmb();
	vhca_core_uar_write64(dev->cdev, uctx->uar, VHCA_UAR_CQ_DB,
			      vhca_cq_db_val(cq->cqn, cmd, ci));
	vhca_ib_count(dev, VHCA_IB_ST_U_DOORBELLS);
	return 0;
}

DECLARE_UVERBS_NAMED_METHOD(VHCA_IB_METHOD_QP_SQ_DOORBELL,
			    UVERBS_ATTR_IDR(VHCA_IB_ATTR_SQ_DB_QP_HANDLE,
					    UVERBS_OBJECT_QP,
					    UVERBS_ACCESS_READ, UA_MANDATORY),
			    UVERBS_ATTR_PTR_IN(VHCA_IB_ATTR_SQ_DB_PI,
					       UVERBS_ATTR_TYPE(u32),
					       UA_MANDATORY));

ADD_UVERBS_METHODS(vhca_ib_qp_methods, UVERBS_OBJECT_QP,
		   &UVERBS_METHOD(VHCA_IB_METHOD_QP_SQ_DOORBELL));

DECLARE_UVERBS_NAMED_METHOD(VHCA_IB_METHOD_CQ_ARM,
			    UVERBS_ATTR_IDR(VHCA_IB_ATTR_CQ_ARM_CQ_HANDLE,
					    UVERBS_OBJECT_CQ,
					    UVERBS_ACCESS_READ, UA_MANDATORY),
			    UVERBS_ATTR_PTR_IN(VHCA_IB_ATTR_CQ_ARM_CMD,
					       UVERBS_ATTR_TYPE(u32),
					       UA_MANDATORY),
			    UVERBS_ATTR_PTR_IN(VHCA_IB_ATTR_CQ_ARM_CI,
					       UVERBS_ATTR_TYPE(u32),
					       UA_MANDATORY));

ADD_UVERBS_METHODS(vhca_ib_cq_methods, UVERBS_OBJECT_CQ,
		   &UVERBS_METHOD(VHCA_IB_METHOD_CQ_ARM));

/* ib_device.driver_def: the doorbell methods */
const struct uapi_definition vhca_ib_uapi_defs[] = {
	UAPI_DEF_CHAIN_OBJ_TREE(UVERBS_OBJECT_QP, &vhca_ib_qp_methods),
	UAPI_DEF_CHAIN_OBJ_TREE(UVERBS_OBJECT_CQ, &vhca_ib_cq_methods),
	{}
};
