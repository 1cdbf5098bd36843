// SPDX-License-Identifier: GPL-2.0
/*
 * Memory keys: CREATE/QUERY/DESTROY_MKEY, and vhca_sim_mem_copy(), the
 * one way the engines reach the memory a WQE or an RDMA request names.
 *
 * The reserved lkey (VHCA_SIM_RSVD_LKEY, index 0) is PA mode over every
 * DMA address, for kernel PDs only and for local access only. Other keys
 * are (index << 8) | variant: PA mode (kernel PDs: the iova is the DMA
 * address) or MTT mode (a page list), each limited to [start, start+len)
 * and to its access rights. Like an IOMMU, every byte moved goes through
 * a window the key grants, translated and checked page by page.
 */

#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "res.h"

/* Key indices 1 .. (1 << VHCA_SIM_LOG_MAX_MKEY) - 1; 0 is the reserved
 * lkey. Variant 0 starts at index 2: index 1 variant 0 would be
 * VHCA_INVALID_LKEY, which ends scatter lists.
 */
#define VHCA_SIM_MKEY_MAX_INDEX	(BIT(VHCA_SIM_LOG_MAX_MKEY) - 1)
#define VHCA_SIM_MKEY_MIN_PAGE	12
#define VHCA_SIM_MKEY_MAX_PAGE	30
#define VHCA_SIM_MKEY_VARIANT	GENMASK(7, 0)

static u32 vhca_sim_mkey_index(u32 key)
{
	return key >> 8;
}

/* the key a command names, or NULL; cmd.mutex held */
static struct vhca_sim_mkey *vhca_sim_mkey_find(struct vhca_sim_dev *sdev,
						u32 key)
{
	struct vhca_sim_mkey *mkey;

	mkey = xa_load(&sdev->res->mkeys, vhca_sim_mkey_index(key));
	if (mkey && mkey->key != key)
		return NULL;
	return mkey;
}

/* MTT mode checks of a CREATE_MKEY context; VHCA_SYND_NONE if fine */
static u32 vhca_sim_mkey_mtt_check(const struct vhca_mkey_ctx *ctx,
				   const __be64 *mtt, u32 num_mtt)
{
	u64 start = be64_to_cpu(ctx->start);
	u64 len = be64_to_cpu(ctx->len);
	u64 page, end, need;
	u32 n;

	if (ctx->log_page_size < VHCA_SIM_MKEY_MIN_PAGE ||
	    ctx->log_page_size > VHCA_SIM_MKEY_MAX_PAGE)
		return VHCA_SYND_MKEY_BAD_MTT;
	page = BIT_ULL(ctx->log_page_size);
	if (!len || check_add_overflow(start, len, &end))
		return VHCA_SYND_MKEY_BAD_MTT;
	/* the entries cover exactly the pages [start, start + len) touches */
	need = DIV_ROUND_UP_ULL((start & (page - 1)) + len, page);
	if (need != num_mtt)
		return VHCA_SYND_MKEY_BAD_MTT;
	for (n = 0; n < num_mtt; n++) {
		u64 addr = be64_to_cpu(mtt[n]);

		if (!addr || addr & (page - 1))
			return VHCA_SYND_MKEY_BAD_MTT;
	}
	return VHCA_SYND_NONE;
}

/* The MTT entries of a CREATE_MKEY: in the mailbox, or read from the
 * driver's list at mtt_addr into *@list (the caller kvfree()s it).
 * Return: the entries or NULL with *@synd set.
 */
static const __be64 *vhca_sim_mkey_mtt_get(struct vhca_sim_dev *sdev,
					   const struct vhca_cmd_create_mkey_in *i,
					   u32 in_len, u32 num_mtt,
					   __be64 **list, u32 *synd)
{
	struct vhca_sim_dma_win win = {
		.addr = be64_to_cpu(i->ctx.mtt_addr),
		.len = (size_t)num_mtt * sizeof(__be64),
	};

	*list = NULL;
	if (!win.addr) {
		if (!num_mtt || num_mtt > VHCA_MKEY_MAX_MTT ||
		    in_len < struct_size(i, mtt, num_mtt)) {
			*synd = VHCA_SYND_MKEY_BAD_MTT;
			return NULL;
		}
		return i->mtt;
	}
	if (!num_mtt || num_mtt > VHCA_MKEY_MAX_MTT_DMA ||
	    win.addr & (sizeof(__be64) - 1)) {
		*synd = VHCA_SYND_MKEY_BAD_MTT;
		return NULL;
	}
	*list = kvmalloc_array(num_mtt, sizeof(__be64), GFP_KERNEL);
	if (!*list) {
		*synd = VHCA_SYND_NO_RESOURCE;
		return NULL;
	}
	if (vhca_sim_dma_read(sdev, &win, 0, *list, win.len)) {
		kvfree(*list);
		*list = NULL;
		*synd = VHCA_SYND_BAD_ADDR;
		return NULL;
	}
	return *list;
}

u8 vhca_sim_cmd_create_mkey(struct vhca_sim_dev *sdev, const void *in,
			    u32 in_len, void *out, u32 *synd)
{
	const struct vhca_cmd_create_mkey_in *i = in;
	const struct vhca_mkey_ctx *ctx = &i->ctx;
	struct vhca_sim_res *res = sdev->res;
	struct vhca_cmd_obj_out *o = out;
	const __be64 *mtt = NULL;
	struct vhca_sim_mkey *mkey;
	struct vhca_sim_pd *pd;
	__be64 *list = NULL;
	u32 num_mtt = 0, idx, n;
	u8 status;

	pd = vhca_sim_pd_find(sdev, be32_to_cpu(ctx->pdn));
	if (!pd) {
		*synd = VHCA_SYND_BAD_PDN;
		return VHCA_CMD_STAT_BAD_RESOURCE;
	}
	if (ctx->access & ~VHCA_ACCESS_ALL) {
		*synd = VHCA_SYND_BAD_MKEY;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	switch (ctx->mode) {
	case VHCA_MKEY_MODE_PA:
		/* all of memory: never for a process */
		if (pd->user) {
			*synd = VHCA_SYND_MKEY_BAD_MODE;
			return VHCA_CMD_STAT_BAD_PARAM;
		}
		break;
	case VHCA_MKEY_MODE_MTT:
		num_mtt = be32_to_cpu(ctx->num_mtt);
		mtt = vhca_sim_mkey_mtt_get(sdev, i, in_len, num_mtt, &list,
					    synd);
		if (!mtt)
			return *synd == VHCA_SYND_NO_RESOURCE ?
			       VHCA_CMD_STAT_EXCEED_LIM :
			       VHCA_CMD_STAT_BAD_PARAM;
		*synd = vhca_sim_mkey_mtt_check(ctx, mtt, num_mtt);
		if (*synd) {
			status = VHCA_CMD_STAT_BAD_PARAM;
			goto out;
		}
		if (num_mtt > BIT(VHCA_SIM_LOG_MAX_MTT) - res->mtt_used) {
			*synd = VHCA_SYND_NO_RESOURCE;
			status = VHCA_CMD_STAT_EXCEED_LIM;
			goto out;
		}
		break;
	default:
		*synd = VHCA_SYND_MKEY_BAD_MODE;
		return VHCA_CMD_STAT_BAD_PARAM;
	}

	mkey = kvzalloc(struct_size(mkey, mtt, num_mtt), GFP_KERNEL);
	if (!mkey) {
		status = VHCA_CMD_STAT_INT_ERR;
		goto out;
	}
	/* reserve the index: readers see the key only once it is complete */
	if (xa_alloc(&res->mkeys, &idx, NULL,
		     XA_LIMIT(ctx->key ? 1 : 2, VHCA_SIM_MKEY_MAX_INDEX),
		     GFP_KERNEL)) {
		kvfree(mkey);
		*synd = VHCA_SYND_NO_RESOURCE;
		status = VHCA_CMD_STAT_EXCEED_LIM;
		goto out;
	}
	mkey->key = idx << 8 | ctx->key;
	mkey->pd = pd;
	mkey->access = ctx->access;
	mkey->mode = ctx->mode;
	mkey->log_page_size = ctx->log_page_size;
	mkey->start = be64_to_cpu(ctx->start);
	mkey->len = be64_to_cpu(ctx->len);
	mkey->num_mtt = num_mtt;
	for (n = 0; n < num_mtt; n++)
		mkey->mtt[n] = be64_to_cpu(mtt[n]);
	pd->users++;
	res->mtt_used += num_mtt;
	xa_store(&res->mkeys, idx, mkey, GFP_KERNEL);
	o->num = cpu_to_be32(mkey->key);
	status = VHCA_CMD_STAT_OK;
out:
	kvfree(list);
	return status;
}

static void vhca_sim_mkey_free_rcu(struct rcu_head *head)
{
	kvfree(container_of(head, struct vhca_sim_mkey, rcu));
}

/* cmd.mutex held */
void vhca_sim_mkey_destroy(struct vhca_sim_dev *sdev,
			   struct vhca_sim_mkey *mkey)
{
	struct vhca_sim_res *res = sdev->res;

	xa_erase(&res->mkeys, vhca_sim_mkey_index(mkey->key));
	res->mtt_used -= mkey->num_mtt;
	mkey->pd->users--;
	/* a large MTT may be vmalloc'ed: kvfree after the grace period */
	call_rcu(&mkey->rcu, vhca_sim_mkey_free_rcu);
}

u8 vhca_sim_cmd_destroy_mkey(struct vhca_sim_dev *sdev, const void *in,
			     void *out, u32 *synd)
{
	const struct vhca_cmd_obj_in *i = in;
	struct vhca_sim_mkey *mkey;

	mkey = vhca_sim_mkey_find(sdev, be32_to_cpu(i->num));
	if (!mkey) {
		*synd = VHCA_SYND_BAD_MKEY;
		return VHCA_CMD_STAT_BAD_RESOURCE;
	}
	vhca_sim_mkey_destroy(sdev, mkey);
	return VHCA_CMD_STAT_OK;
}

u8 vhca_sim_cmd_query_mkey(struct vhca_sim_dev *sdev, const void *in,
			   void *out, u32 *synd)
{
	const struct vhca_cmd_obj_in *i = in;
	struct vhca_cmd_query_mkey_out *o = out;
	struct vhca_mkey_ctx *ctx = &o->ctx;
	struct vhca_sim_mkey *mkey;

	mkey = vhca_sim_mkey_find(sdev, be32_to_cpu(i->num));
	if (!mkey) {
		*synd = VHCA_SYND_BAD_MKEY;
		return VHCA_CMD_STAT_BAD_RESOURCE;
	}
	ctx->access = mkey->access;
	ctx->mode = mkey->mode;
	ctx->log_page_size = mkey->log_page_size;
	ctx->key = mkey->key & VHCA_SIM_MKEY_VARIANT;
	ctx->pdn = cpu_to_be32(mkey->pd->pdn);
	ctx->start = cpu_to_be64(mkey->start);
	ctx->len = cpu_to_be64(mkey->len);
	ctx->num_mtt = cpu_to_be32(mkey->num_mtt);
	ctx->mkey = cpu_to_be32(mkey->key);
	return VHCA_CMD_STAT_OK;
}

/* move @len bytes at DMA address @addr; VHCA_CQE_SYND_* */
static u8 vhca_sim_mem_dma(struct vhca_sim_dev *sdev, u64 addr, void *buf,
			   u32 len, bool to_mem)
{
	struct vhca_sim_dma_win win = { .addr = addr, .len = len };
	int err;

	if (to_mem)
		err = vhca_sim_dma_write(sdev, &win, 0, buf, len);
	else
		err = vhca_sim_dma_read(sdev, &win, 0, buf, len);
	return err ? VHCA_CQE_SYND_DMA : VHCA_CQE_SYND_NONE;
}

/* an MTT key: translate page by page, one DMA per contiguous run */
static u8 vhca_sim_mem_mtt(struct vhca_sim_dev *sdev,
			   const struct vhca_sim_mkey *mkey, u64 iova,
			   void *buf, u32 len, bool to_mem)
{
	u64 page = BIT_ULL(mkey->log_page_size);
	u64 off = iova - (mkey->start & ~(page - 1));
	u8 st;

	while (len) {
		u64 idx = off >> mkey->log_page_size;
		u64 addr = mkey->mtt[idx] + (off & (page - 1));
		u64 run = page - (off & (page - 1));

		/* extend the run over physically contiguous pages */
		while (run < len && idx + 1 < mkey->num_mtt &&
		       mkey->mtt[idx + 1] == mkey->mtt[idx] + page) {
			idx++;
			run += page;
		}
		run = min_t(u64, run, len);
		st = vhca_sim_mem_dma(sdev, addr, buf, run, to_mem);
		if (st)
			return st;
		buf += run;
		off += run;
		len -= run;
	}
	return VHCA_CQE_SYND_NONE;
}

u8 vhca_sim_mem_copy(struct vhca_sim_dev *sdev, struct vhca_sim_pd *pd,
		     u32 key, u8 access, u64 iova, void *buf, u32 len,
		     bool to_mem)
{
	struct vhca_sim_mkey *mkey;
	u8 st;

	if (!len)
		return VHCA_CQE_SYND_NONE;
	if (key == VHCA_INVALID_LKEY)
		return VHCA_CQE_SYND_BAD_LKEY;
	if (key == VHCA_SIM_RSVD_LKEY) {
		if (!pd || pd->user)
			return VHCA_CQE_SYND_BAD_LKEY;
		/* an lkey: no peer reaches kernel memory through it */
		if (access & ~VHCA_ACCESS_LOCAL_WRITE)
			return VHCA_CQE_SYND_BAD_ACCESS;
		return vhca_sim_mem_dma(sdev, iova, buf, len, to_mem);
	}

	rcu_read_lock();
	mkey = xa_load(&sdev->res->mkeys, vhca_sim_mkey_index(key));
	if (!mkey || mkey->key != key || mkey->pd != pd) {
		st = VHCA_CQE_SYND_BAD_LKEY;
		goto out;
	}
	if ((mkey->access & access) != access) {
		st = VHCA_CQE_SYND_BAD_ACCESS;
		goto out;
	}
	if (iova < mkey->start || len > mkey->len ||
	    iova - mkey->start > mkey->len - len) {
		st = VHCA_CQE_SYND_BAD_RANGE;
		goto out;
	}
	if (mkey->mode == VHCA_MKEY_MODE_PA)
		st = vhca_sim_mem_dma(sdev, iova, buf, len, to_mem);
	else
		st = vhca_sim_mem_mtt(sdev, mkey, iova, buf, len, to_mem);
out:
	rcu_read_unlock();
	return st;
}
