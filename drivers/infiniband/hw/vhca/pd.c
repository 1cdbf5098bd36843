// SPDX-License-Identifier: GPL-2.0
/*
 * Protection domains, memory keys, address handles and the kernel UAR.
 *
 * A PD is the device's (ALLOC_PD); kernel PDs may use the reserved lkey,
 * which ib_core hands ULPs as pd->local_dma_lkey (IBK_LOCAL_DMA_LKEY), so
 * a DMA MR is only needed by ULPs that want a remote key for all of
 * memory. Address handles are the device's address vector kept in the
 * driver: UD WQEs carry it, no command creates it.
 */

#include <linux/dma-mapping.h>
#include <linux/log2.h>
#include <linux/swiotlb.h>
#include <rdma/ib_umem.h>
#include <rdma/iter.h>
#include <rdma/ib_verbs.h>

#include "vhca_ib.h"

/**
 * vhca_ib_destroy_obj() - run a command whose input is one object number
 * @dev: the device
 * @opcode: VHCA_CMD_OP_DEALLOC_PD, DESTROY_MKEY, DESTROY_CQ, ...
 * @num: the object
 *
 * Return: 0 or the errno of vhca_cmd_exec().
 */
int vhca_ib_destroy_obj(struct vhca_ib_dev *dev, u16 opcode, u32 num)
{
	struct vhca_cmd_obj_out out = {};
	struct vhca_cmd_obj_in in = {};

	vhca_cmd_in_hdr_set(&in.hdr, opcode, 0);
	in.num = cpu_to_be32(num);
	return vhca_cmd_exec(dev->cdev, &in, sizeof(in), &out, sizeof(out));
}

/**
 * vhca_ib_alloc_obj() - run a command whose output is one object number
 * @dev: the device
 * @opcode: VHCA_CMD_OP_ALLOC_PD, ALLOC_UAR
 * @op_mod: its op_mod
 * @num: the new object's number
 *
 * Return: 0 or the errno of vhca_cmd_exec().
 */
int vhca_ib_alloc_obj(struct vhca_ib_dev *dev, u16 opcode, u16 op_mod,
		      u32 *num)
{
	struct vhca_cmd_obj_out out = {};
	struct vhca_cmd_obj_in in = {};
	int err;

	vhca_cmd_in_hdr_set(&in.hdr, opcode, op_mod);
	err = vhca_cmd_exec(dev->cdev, &in, sizeof(in), &out, sizeof(out));
	if (!err)
		*num = be32_to_cpu(out.num);
	return err;
}

/**
 * vhca_ib_uar_alloc() - allocate the kernel UAR (probe)
 * @dev: the device
 *
 * Return: 0 or a negative errno.
 */
int vhca_ib_uar_alloc(struct vhca_ib_dev *dev)
{
	return vhca_ib_alloc_obj(dev, VHCA_CMD_OP_ALLOC_UAR, 0, &dev->uar);
}

/**
 * vhca_ib_uar_free() - give the kernel UAR back (remove)
 * @dev: the device
 */
void vhca_ib_uar_free(struct vhca_ib_dev *dev)
{
	vhca_ib_destroy_obj(dev, VHCA_CMD_OP_DEALLOC_UAR, dev->uar);
}

int vhca_ib_alloc_pd(struct ib_pd *ibpd, struct ib_udata *udata)
{
	struct vhca_ib_dev *dev = to_vhca_ib_dev(ibpd->device);

	/* a user PD could not reach memory through the reserved lkey */
	return vhca_ib_alloc_obj(dev, VHCA_CMD_OP_ALLOC_PD,
				 udata ? VHCA_ALLOC_PD_USER :
					 VHCA_ALLOC_PD_KERNEL,
				 &to_vhca_ib_pd(ibpd)->pdn);
}

int vhca_ib_dealloc_pd(struct ib_pd *ibpd, struct ib_udata *udata)
{
	return vhca_ib_destroy_obj(to_vhca_ib_dev(ibpd->device),
				   VHCA_CMD_OP_DEALLOC_PD,
				   to_vhca_ib_pd(ibpd)->pdn);
}

/**
 * vhca_ib_access() - IB access flags as a key's or QP's VHCA_ACCESS_*
 * @ib_access: IB_ACCESS_* bits
 *
 * Return: the VHCA_ACCESS_* bits; the rest has no device meaning.
 */
u8 vhca_ib_access(int ib_access)
{
	u8 access = 0;

	if (ib_access & IB_ACCESS_LOCAL_WRITE)
		access |= VHCA_ACCESS_LOCAL_WRITE;
	if (ib_access & IB_ACCESS_REMOTE_WRITE)
		access |= VHCA_ACCESS_REMOTE_WRITE;
	if (ib_access & IB_ACCESS_REMOTE_READ)
		access |= VHCA_ACCESS_REMOTE_READ;
	if (ib_access & IB_ACCESS_REMOTE_ATOMIC)
		access |= VHCA_ACCESS_REMOTE_ATOMIC;
	return access;
}

/* key variants 0 are avoided: index 1 variant 0 is VHCA_INVALID_LKEY */
static u8 vhca_ib_mkey_variant(struct vhca_ib_dev *dev)
{
	return (atomic_inc_return(&dev->mkey_variant) % 255) + 1;
}

/*
 * CREATE_MKEY with @nmtt entries from @umem at page size 1 << @pshift: in
 * the mailbox if they fit, else in a coherent list the device reads by its
 * DMA address during the command (VHCA_CAP_FLAG_MTT_DMA)
 */
static int vhca_ib_create_mkey(struct vhca_ib_dev *dev, struct vhca_ib_pd *pd,
			       int access, u64 start, u64 len,
			       struct ib_umem *umem, unsigned int pshift,
			       u32 nmtt, u32 *key)
{
	bool indirect = nmtt > VHCA_MKEY_MAX_MTT;
	struct device *ddev = dev->cdev->dev;
	struct vhca_cmd_create_mkey_in *in;
	struct vhca_cmd_obj_out out = {};
	size_t mtt_size = (size_t)nmtt * sizeof(__be64);
	struct ib_block_iter biter;
	dma_addr_t mtt_dma = 0;
	size_t inlen;
	__be64 *mtt;
	u32 i = 0;
	int err;

	inlen = struct_size(in, mtt, indirect ? 0 : nmtt);
	in = kzalloc(inlen, GFP_KERNEL);
	if (!in)
		return -ENOMEM;
	vhca_cmd_in_hdr_set(&in->hdr, VHCA_CMD_OP_CREATE_MKEY, 0);
	in->ctx.access = vhca_ib_access(access);
	in->ctx.key = vhca_ib_mkey_variant(dev);
	in->ctx.pdn = cpu_to_be32(pd->pdn);
	in->ctx.start = cpu_to_be64(start);
	in->ctx.len = cpu_to_be64(len);
	if (umem) {
		in->ctx.mode = VHCA_MKEY_MODE_MTT;
		in->ctx.log_page_size = pshift;
		in->ctx.num_mtt = cpu_to_be32(nmtt);
		mtt = in->mtt;
		if (indirect) {
			mtt = dma_alloc_coherent(ddev, mtt_size, &mtt_dma,
						 GFP_KERNEL);
			if (!mtt) {
				err = -ENOMEM;
				goto out;
			}
			in->ctx.mtt_addr = cpu_to_be64(mtt_dma);
		}
		rdma_umem_for_each_dma_block(umem, &biter, BIT_ULL(pshift))
			mtt[i++] =
				cpu_to_be64(rdma_block_iter_dma_address(&biter));
	} else {
		in->ctx.mode = VHCA_MKEY_MODE_PA;
	}
	err = vhca_cmd_exec(dev->cdev, in, inlen, &out, sizeof(out));
	if (!err)
		*key = be32_to_cpu(out.num);
	if (indirect)
		dma_free_coherent(ddev, mtt_size, mtt, mtt_dma);
out:
	kfree(in);
	return err;
}

struct ib_mr *vhca_ib_get_dma_mr(struct ib_pd *ibpd, int access)
{
	struct vhca_ib_dev *dev = to_vhca_ib_dev(ibpd->device);
	struct vhca_ib_mr *mr;
	u32 key;
	int err;

	mr = kzalloc(sizeof(*mr), GFP_KERNEL);
	if (!mr)
		return ERR_PTR(-ENOMEM);
	/* PA mode over all of memory: iova is the DMA address */
	err = vhca_ib_create_mkey(dev, to_vhca_ib_pd(ibpd), access, 0, U64_MAX,
				  NULL, 0, 0, &key);
	if (err) {
		kfree(mr);
		return ERR_PTR(err);
	}
	mr->ibmr.lkey = key;
	mr->ibmr.rkey = key;
	return &mr->ibmr;
}

/* access bits a user MR may ask for; IB_ACCESS_OPTIONAL ones are hints */
#define VHCA_IB_MR_ACCESS	(IB_ACCESS_LOCAL_WRITE | \
				 IB_ACCESS_REMOTE_WRITE | \
				 IB_ACCESS_REMOTE_READ | \
				 IB_ACCESS_OPTIONAL)

/*
 * User memory: pinned with ib_umem, described to the device by an MTT
 * list of blocks of the largest page size its pinned pages allow. Up to
 * VHCA_MKEY_MAX_MTT entries travel in the command mailbox; a device with
 * VHCA_CAP_FLAG_MTT_DMA reads up to VHCA_MKEY_MAX_MTT_DMA from a list
 * (1 GiB of scattered 4 KiB pages). A larger region is -EINVAL.
 */
struct ib_mr *vhca_ib_reg_user_mr(struct ib_pd *ibpd, u64 start, u64 length,
				  u64 virt, int access, struct ib_udata *udata)
{
	struct vhca_ib_dev *dev = to_vhca_ib_dev(ibpd->device);
	size_t nmtt, max_mtt;
	unsigned long pgsz;
	struct vhca_ib_mr *mr;
	u32 key;
	int err;

	if (access & ~VHCA_IB_MR_ACCESS) {
		vhca_ib_count(dev, VHCA_IB_ST_U_BAD_MR);
		return ERR_PTR(-EOPNOTSUPP);
	}
	if (!length || length > U64_MAX - virt) {
		vhca_ib_count(dev, VHCA_IB_ST_U_BAD_MR);
		return ERR_PTR(-EINVAL);
	}
	/* Bounced streaming DMA (swiotlb=force, memory encryption) copies
	 * between the pages and the bounce buffer only at map, sync and
	 * unmap; a process's memory has no sync points, so the device would
	 * read stale data and write where the process never looks.
	 */
	if (is_swiotlb_force_bounce(ibpd->device->dma_device)) {
		vhca_ib_count(dev, VHCA_IB_ST_U_MR_BOUNCE);
		dev_warn_once(&dev->ibdev.dev,
			      "user memory registration refused: DMA to this device bounces (swiotlb=force)\n");
		return ERR_PTR(-EOPNOTSUPP);
	}
	mr = kzalloc(sizeof(*mr), GFP_KERNEL);
	if (!mr)
		return ERR_PTR(-ENOMEM);
	mr->umem = ib_umem_get(ibpd->device, start, length, access);
	if (IS_ERR(mr->umem)) {
		err = PTR_ERR(mr->umem);
		goto err_free;
	}
	pgsz = ib_umem_find_best_pgsz(mr->umem, GENMASK(30, 12), virt);
	if (!pgsz) {
		vhca_ib_count(dev, VHCA_IB_ST_U_BAD_MR);
		err = -EINVAL;
		goto err_release;
	}
	nmtt = ib_umem_num_dma_blocks(mr->umem, pgsz);
	max_mtt = be32_to_cpu(dev->cdev->cap.flags) & VHCA_CAP_FLAG_MTT_DMA ?
		  VHCA_MKEY_MAX_MTT_DMA : VHCA_MKEY_MAX_MTT;
	if (nmtt > max_mtt) {
		ibdev_dbg(&dev->ibdev,
			  "MR of %llu bytes needs %zu MTT entries of %lu bytes, the device takes %zu\n",
			  length, nmtt, pgsz, max_mtt);
		vhca_ib_count(dev, VHCA_IB_ST_U_BAD_MR);
		err = -EINVAL;
		goto err_release;
	}
	err = vhca_ib_create_mkey(dev, to_vhca_ib_pd(ibpd), access, virt,
				  length, mr->umem, ilog2(pgsz), nmtt, &key);
	if (err)
		goto err_release;
	mr->ibmr.lkey = key;
	mr->ibmr.rkey = key;
	return &mr->ibmr;

err_release:
	ib_umem_release(mr->umem);
err_free:
	kfree(mr);
	return ERR_PTR(err);
}

int vhca_ib_dereg_mr(struct ib_mr *ibmr, struct ib_udata *udata)
{
	struct vhca_ib_mr *mr = to_vhca_ib_mr(ibmr);
	int err;

	err = vhca_ib_destroy_obj(to_vhca_ib_dev(ibmr->device),
				  VHCA_CMD_OP_DESTROY_MKEY, ibmr->lkey);
	if (err)
		return err;
	ib_umem_release(mr->umem);
	kfree(mr);
	return 0;
}

/**
 * vhca_ib_av_from_ah_attr() - the device's address vector of an AH attr
 * @av: filled
 * @attr: an InfiniBand rdma_ah_attr
 */
void vhca_ib_av_from_ah_attr(struct vhca_av *av,
			     const struct rdma_ah_attr *attr)
{
	const struct ib_global_route *grh;

	memset(av, 0, sizeof(*av));
	av->dlid = cpu_to_be16(rdma_ah_get_dlid(attr));
	av->sl = rdma_ah_get_sl(attr);
	av->src_path_bits = rdma_ah_get_path_bits(attr);
	av->static_rate = rdma_ah_get_static_rate(attr);
	if (rdma_ah_get_ah_flags(attr) & IB_AH_GRH) {
		grh = rdma_ah_read_grh(attr);
		av->flags |= VHCA_AV_F_GRH;
		av->sgid_index = grh->sgid_index;
		av->hop_limit = grh->hop_limit;
		av->tclass = grh->traffic_class;
		av->flow_label = cpu_to_be32(grh->flow_label & 0xfffff);
		memcpy(av->dgid, grh->dgid.raw, sizeof(av->dgid));
	}
}

/**
 * vhca_ib_av_to_ah_attr() - an AH attr from the device's address vector
 * @ibdev: the device
 * @attr: filled
 * @av: the address vector
 * @port: its port
 */
void vhca_ib_av_to_ah_attr(struct ib_device *ibdev, struct rdma_ah_attr *attr,
			   const struct vhca_av *av, u8 port)
{
	union ib_gid dgid;

	memset(attr, 0, sizeof(*attr));
	attr->type = rdma_ah_find_type(ibdev, port);
	rdma_ah_set_port_num(attr, port);
	rdma_ah_set_dlid(attr, be16_to_cpu(av->dlid));
	rdma_ah_set_sl(attr, av->sl);
	rdma_ah_set_path_bits(attr, av->src_path_bits);
	rdma_ah_set_static_rate(attr, av->static_rate);
	if (av->flags & VHCA_AV_F_GRH) {
		memcpy(dgid.raw, av->dgid, sizeof(dgid.raw));
		rdma_ah_set_grh(attr, &dgid, be32_to_cpu(av->flow_label),
				av->sgid_index, av->hop_limit, av->tclass);
	}
}

/*
 * Kernel AHs may be created in atomic context: no command, nothing
 * sleeps. User AHs (create_user_ah, with udata) return the AV.
 */
int vhca_ib_create_ah(struct ib_ah *ibah, struct rdma_ah_init_attr *init,
		      struct ib_udata *udata)
{
	struct vhca_ah *ah = to_vhca_ah(ibah);
	const struct rdma_ah_attr *attr = init->ah_attr;
	struct vhca_create_ah_resp resp;

	static_assert(sizeof(resp.av) == sizeof(ah->av));

	if (attr->type != RDMA_AH_ATTR_TYPE_IB)
		return -EINVAL;
	vhca_ib_av_from_ah_attr(&ah->av, attr);
	ah->port = rdma_ah_get_port_num(attr);
	if (!udata)
		return 0;

	/* the process puts the AV into its UD WQEs itself */
	if (udata->inlen &&
	    !ib_is_udata_cleared(udata, 0, udata->inlen)) {
		vhca_ib_count(to_vhca_ib_dev(ibah->device),
			      VHCA_IB_ST_U_BAD_UDATA);
		return -EOPNOTSUPP;
	}
	memcpy(resp.av, &ah->av, sizeof(resp.av));
	return vhca_ib_udata_resp(udata, &resp, sizeof(resp));
}

int vhca_ib_query_ah(struct ib_ah *ibah, struct rdma_ah_attr *attr)
{
	struct vhca_ah *ah = to_vhca_ah(ibah);

	vhca_ib_av_to_ah_attr(ibah->device, attr, &ah->av, ah->port);
	return 0;
}

int vhca_ib_destroy_ah(struct ib_ah *ibah, u32 flags)
{
	return 0;
}
