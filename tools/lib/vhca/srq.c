// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Shared receive queues: a WQE ring and a doorbell record the kernel maps
 * into the process. The device consumes SRQ WQEs in ring order, so WQEs
 * posted minus WQEs completed is the ring's fill (no free list), and a
 * receive CQE's wqe_counter names the slot's wr_id.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "vhca.h"

struct vhca_create_srq_cmd_full {
	struct vhca_ibv_create_srq ibv;
	struct vhca_create_srq_cmd drv;
};

struct vhca_create_srq_resp_full {
	struct ib_uverbs_create_srq_resp ibv;
	struct vhca_create_srq_resp drv;
};

static_assert(offsetof(struct vhca_create_srq_cmd_full, drv) ==
	      sizeof(struct vhca_ibv_create_srq), "create_srq cmd");
static_assert(offsetof(struct vhca_create_srq_resp_full, drv) ==
	      sizeof(struct ib_uverbs_create_srq_resp), "create_srq resp");

struct ibv_srq *vhca_create_srq(struct ibv_pd *pd,
				struct ibv_srq_init_attr *attr)
{
	struct vhca_context *ctx = to_vctx(pd->context);
	struct vhca_create_srq_resp_full resp;
	struct vhca_create_srq_cmd_full cmd;
	struct vhca_create_srq_resp *r = &resp.drv;
	struct vhca_srq *srq;
	uint32_t max_gs;
	int ret;

	srq = calloc(1, sizeof(*srq));
	if (!srq) {
		errno = ENOMEM;
		return NULL;
	}
	memset(&cmd, 0, sizeof(cmd));
	memset(&resp, 0, sizeof(resp));
	ret = ibv_cmd_create_srq(pd, &srq->ibv_srq, attr, &cmd.ibv,
				 sizeof(cmd), &resp.ibv, sizeof(resp));
	if (ret)
		goto err_free;
	if (!vhca_is_pow2(r->wqe_cnt) || !vhca_is_pow2(r->stride) ||
	    r->stride < sizeof(struct vhca_wqe_data) ||
	    (uint64_t)r->wqe_cnt * r->stride > r->dbr_offset ||
	    r->dbr_offset % sizeof(uint32_t) ||
	    (uint64_t)r->dbr_offset + sizeof(uint32_t) > r->mmap_size) {
		vhca_err("create_srq: the kernel returned a bad layout (%ux%u, dbr %u, size %u)",
			 r->wqe_cnt, r->stride, r->dbr_offset, r->mmap_size);
		ret = EPROTO;
		goto err_destroy;
	}
	ret = vhca_map(ctx, r->mmap_offset, r->mmap_size, &srq->buf);
	if (ret)
		goto err_destroy;
	srq->map_size = r->mmap_size;
	srq->dbr = (vhca_be32 *)((char *)srq->buf + r->dbr_offset);
	srq->srqn = r->srqn;
	atomic_init(&srq->done, 0);
	max_gs = attr->attr.max_sge;
	if (max_gs > r->stride / sizeof(struct vhca_wqe_data))
		max_gs = r->stride / sizeof(struct vhca_wqe_data);
	ret = vhca_wq_init(ctx, &srq->wq, srq->buf, r->wqe_cnt, r->stride,
			   max_gs, 0);
	if (ret)
		goto err_unmap;
	return &srq->ibv_srq;

err_unmap:
	vhca_wq_free(&srq->wq);
	munmap(srq->buf, srq->map_size);
err_destroy:
	ibv_cmd_destroy_srq(&srq->ibv_srq);
err_free:
	free(srq);
	errno = ret;
	return NULL;
}

int vhca_modify_srq(struct ibv_srq *ibsrq, struct ibv_srq_attr *attr,
		    int mask)
{
	struct vhca_ibv_modify_srq cmd;

	memset(&cmd, 0, sizeof(cmd));
	return ibv_cmd_modify_srq(ibsrq, attr, mask, &cmd, sizeof(cmd));
}

int vhca_query_srq(struct ibv_srq *ibsrq, struct ibv_srq_attr *attr)
{
	struct vhca_ibv_query_srq cmd;

	memset(&cmd, 0, sizeof(cmd));
	return ibv_cmd_query_srq(ibsrq, attr, &cmd, sizeof(cmd));
}

int vhca_destroy_srq(struct ibv_srq *ibsrq)
{
	struct vhca_srq *srq = to_vsrq(ibsrq);
	int ret;

	ret = ibv_cmd_destroy_srq(ibsrq);
	if (ret)
		return ret;
	munmap(srq->buf, srq->map_size);
	vhca_wq_free(&srq->wq);
	free(srq);
	return 0;
}
