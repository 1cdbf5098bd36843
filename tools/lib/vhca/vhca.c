// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libvhca: the rdma-core provider of vhca HCAs (vhca_ib's uverbs device).
 *
 * This file registers the provider with libibverbs, matches vhca devices
 * (driver ID VHCA_DRIVER_ID, or the device name vhca_* when discovery
 * went through sysfs), opens contexts with their ABI checks, and carries
 * the control verbs that are plain uverbs commands: device and port
 * queries, PDs, MRs and AHs. The data path (CQs, QPs, SRQs and posting)
 * works in memory the kernel maps into the process: cq.c, qp.c, srq.c,
 * wr.c. The doorbells, the only system calls of the data path, are the
 * driver-specific methods of include/uapi/rdma/vhca-abi.h, issued here.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rdma/rdma_user_ioctl_cmds.h>

#include "vhca.h"

static const struct vhca_verbs_device_ops vhca_dev_ops;
static const struct vhca_verbs_context_ops vhca_ctx_ops;

/* every request/response driver part follows its core struct unpadded */
struct vhca_get_context_cmd {
	struct vhca_ibv_get_context ibv;
	struct vhca_alloc_ucontext_cmd drv;
};

struct vhca_get_context_resp {
	struct ib_uverbs_get_context_resp ibv;
	struct vhca_alloc_ucontext_resp drv;
};

struct vhca_create_ah_resp_full {
	struct ib_uverbs_create_ah_resp ibv;
	struct vhca_create_ah_resp drv;
};

static_assert(offsetof(struct vhca_get_context_cmd, drv) ==
	      sizeof(struct vhca_ibv_get_context), "get_context cmd");
static_assert(offsetof(struct vhca_get_context_resp, drv) ==
	      sizeof(struct ib_uverbs_get_context_resp), "get_context resp");
static_assert(offsetof(struct vhca_create_ah_resp_full, drv) ==
	      sizeof(struct ib_uverbs_create_ah_resp), "create_ah resp");
static_assert(sizeof(struct vhca_create_ah_resp) == VHCA_HW_AV_SIZE,
	      "address vector");
static_assert(VHCA_AV_SIZE == VHCA_HW_AV_SIZE, "address vector size");
static_assert(sizeof(struct ibv_srq) + 40 <=
	      sizeof(((struct vhca_srq *)0)->verbs_srq_room), "verbs_srq");

/**
 * vhca_err() - report a provider error on stderr
 * @fmt: printf format
 *
 * Only for what a user must see (an ABI mismatch, a kernel that broke its
 * promises); verbs errors go to errno as usual.
 */
void vhca_err(const char *fmt, ...)
{
	va_list ap;

	fputs("libvhca: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/**
 * vhca_dbg() - say why a verb failed, if the user asked (VHCA_DEBUG=1)
 * @ctx: the context
 * @fmt: printf format
 */
void vhca_dbg(const struct vhca_context *ctx, const char *fmt, ...)
{
	va_list ap;

	if (!ctx->debug)
		return;
	fputs("libvhca: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/**
 * vhca_map() - map an object's memory the kernel offered
 * @ctx: the context (its command fd)
 * @offset: the mmap offset from the create response
 * @size: the exact size, a page multiple
 * @buf: the mapping
 *
 * Return: 0 or an errno.
 */
int vhca_map(struct vhca_context *ctx, uint64_t offset, uint32_t size,
	     void **buf)
{
	void *p;

	if (!size || size % ctx->page_size || offset % ctx->page_size)
		return EINVAL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 ctx->ibv_ctx.context.cmd_fd, (off_t)offset);
	if (p == MAP_FAILED)
		return errno;
	*buf = p;
	return 0;
}

/* a driver method: header plus @n attributes, on the command fd */
struct vhca_ioctl_buf {
	struct ib_uverbs_ioctl_hdr hdr;
	struct ib_uverbs_attr attrs[3];
};

static_assert(sizeof(struct ib_uverbs_ioctl_hdr) == 24, "ioctl hdr");
static_assert(sizeof(struct ib_uverbs_attr) == 16, "ioctl attr");

static void vhca_attr_idr(struct ib_uverbs_attr *a, uint16_t id,
			  uint32_t handle)
{
	memset(a, 0, sizeof(*a));	/* reserved fields must be 0 */
	a->attr_id = id;
	a->len = 0;
	a->flags = UVERBS_ATTR_F_MANDATORY;
	a->data = handle;
}

static void vhca_attr_u32(struct ib_uverbs_attr *a, uint16_t id, uint32_t v)
{
	memset(a, 0, sizeof(*a));
	a->attr_id = id;
	a->len = sizeof(uint32_t);
	a->flags = UVERBS_ATTR_F_MANDATORY;
	/* values of up to 8 bytes travel inline, in memory order */
	a->data = 0;
	memcpy(&a->data, &v, sizeof(v));
}

static int vhca_method(struct ibv_context *ibctx, struct vhca_ioctl_buf *b,
		       uint16_t object, uint16_t method, uint16_t nattrs)
{
	b->hdr.length = sizeof(b->hdr) + nattrs * sizeof(b->attrs[0]);
	b->hdr.object_id = object;
	b->hdr.method_id = method;
	b->hdr.num_attrs = nattrs;
	b->hdr.reserved1 = 0;
	b->hdr.driver_id = VHCA_DRIVER_ID;
	b->hdr.reserved2 = 0;
	if (ioctl(ibctx->cmd_fd, RDMA_VERBS_IOCTL, b))
		return errno;
	return 0;
}

/**
 * vhca_doorbell_sq() - ring a QP's SQ doorbell
 * @qp: the QP; its WQEs and doorbell record are written
 * @pi: the producer counter (low 16 bits are sent)
 *
 * Return: 0 or an errno.
 */
int vhca_doorbell_sq(struct vhca_qp *qp, uint32_t pi)
{
	struct vhca_ioctl_buf b;

	vhca_attr_idr(&b.attrs[0], VHCA_IB_ATTR_SQ_DB_QP_HANDLE,
		      qp->vqp.qp.handle);
	vhca_attr_u32(&b.attrs[1], VHCA_IB_ATTR_SQ_DB_PI, pi & 0xffff);
	return vhca_method(qp->vqp.qp.context, &b, UVERBS_OBJECT_QP,
			   VHCA_IB_METHOD_QP_SQ_DOORBELL, 2);
}

/**
 * vhca_doorbell_cq_arm() - request a completion event
 * @cq: the CQ
 * @cmd: VHCA_IB_CQ_ARM_*
 * @ci: the consumer index
 *
 * Return: 0 or an errno.
 */
int vhca_doorbell_cq_arm(struct vhca_cq *cq, uint32_t cmd, uint32_t ci)
{
	struct vhca_ioctl_buf b;

	vhca_attr_idr(&b.attrs[0], VHCA_IB_ATTR_CQ_ARM_CQ_HANDLE,
		      cq->vcq.cq.handle);
	vhca_attr_u32(&b.attrs[1], VHCA_IB_ATTR_CQ_ARM_CMD, cmd);
	vhca_attr_u32(&b.attrs[2], VHCA_IB_ATTR_CQ_ARM_CI,
		      ci & VHCA_CQ_CI_MASK);
	return vhca_method(cq->vcq.cq.context, &b, UVERBS_OBJECT_CQ,
			   VHCA_IB_METHOD_CQ_ARM, 3);
}

/* ------------------------------------------------------------------ */
/* Device and port queries                                             */
/* ------------------------------------------------------------------ */

static int vhca_query_device_ex(struct ibv_context *ibctx,
				const struct ibv_query_device_ex_input *input,
				struct ibv_device_attr_ex *attr,
				size_t attr_size)
{
	struct ib_uverbs_ex_query_device_resp resp;
	size_t resp_size = sizeof(resp);
	uint64_t fw;
	int ret;

	ret = ibv_cmd_query_device_any(ibctx, input, attr, attr_size, &resp,
				       &resp_size);
	if (ret)
		return ret;
	/* the kernel encodes major << 32 | minor << 16 | subminor */
	fw = resp.base.fw_ver;
	snprintf(attr->orig_attr.fw_ver, sizeof(attr->orig_attr.fw_ver),
		 "%u.%u.%u", (unsigned int)(fw >> 32) & 0xffff,
		 (unsigned int)(fw >> 16) & 0xffff,
		 (unsigned int)fw & 0xffff);
	return 0;
}

static int vhca_query_port(struct ibv_context *ibctx, uint8_t port,
			   struct ibv_port_attr *attr)
{
	struct vhca_ibv_query_port cmd;

	return ibv_cmd_query_port(ibctx, port, attr, &cmd, sizeof(cmd));
}

/* ------------------------------------------------------------------ */
/* PDs, MRs, AHs                                                       */
/* ------------------------------------------------------------------ */

static struct ibv_pd *vhca_alloc_pd(struct ibv_context *ibctx)
{
	struct ib_uverbs_alloc_pd_resp resp;
	struct vhca_ibv_alloc_pd cmd;
	struct vhca_pd *pd;
	int ret;

	pd = calloc(1, sizeof(*pd));
	if (!pd) {
		errno = ENOMEM;
		return NULL;
	}
	ret = ibv_cmd_alloc_pd(ibctx, &pd->ibv_pd, &cmd, sizeof(cmd), &resp,
			       sizeof(resp));
	if (ret) {
		free(pd);
		errno = ret;
		return NULL;
	}
	return &pd->ibv_pd;
}

static int vhca_dealloc_pd(struct ibv_pd *ibpd)
{
	int ret = ibv_cmd_dealloc_pd(ibpd);

	if (ret)
		return ret;
	free(ibpd);
	return 0;
}

static struct ibv_mr *vhca_reg_mr(struct ibv_pd *pd, void *addr,
				  size_t length, uint64_t hca_va, int access)
{
	struct ib_uverbs_reg_mr_resp resp;
	struct vhca_ibv_reg_mr cmd;
	struct vhca_verbs_mr *vmr;
	int ret;

	vmr = calloc(1, sizeof(*vmr));
	if (!vmr) {
		errno = ENOMEM;
		return NULL;
	}
	ret = ibv_cmd_reg_mr(pd, addr, length, hca_va, access, vmr, &cmd,
			     sizeof(cmd), &resp, sizeof(resp));
	if (ret) {
		free(vmr);
		errno = ret;
		return NULL;
	}
	return &vmr->ibv_mr;
}

static int vhca_dereg_mr(struct vhca_verbs_mr *vmr)
{
	int ret = ibv_cmd_dereg_mr(vmr);

	if (ret)
		return ret;
	free(vmr);
	return 0;
}

static struct ibv_ah *vhca_create_ah(struct ibv_pd *pd,
				     struct ibv_ah_attr *attr)
{
	struct vhca_create_ah_resp_full resp;
	struct vhca_ah *ah;
	int ret;

	ah = calloc(1, sizeof(*ah));
	if (!ah) {
		errno = ENOMEM;
		return NULL;
	}
	memset(&resp, 0, sizeof(resp));
	ret = ibv_cmd_create_ah(pd, &ah->ibv_ah, attr, &resp.ibv,
				sizeof(resp));
	if (ret) {
		free(ah);
		errno = ret;
		return NULL;
	}
	memcpy(ah->av, resp.drv.av, sizeof(ah->av));
	return &ah->ibv_ah;
}

static int vhca_destroy_ah(struct ibv_ah *ibah)
{
	int ret = ibv_cmd_destroy_ah(ibah);

	if (ret)
		return ret;
	free(to_vah(ibah));
	return 0;
}

/* ------------------------------------------------------------------ */
/* Contexts                                                            */
/* ------------------------------------------------------------------ */

static void vhca_free_context(struct ibv_context *ibctx)
{
	struct vhca_context *ctx = to_vctx(ibctx);
	unsigned int i;

	for (i = 0; i < VHCA_QP_TABLE_SIZE; i++)
		free(ctx->qp_table[i]);
	pthread_mutex_destroy(&ctx->qp_table_mutex);
	verbs_uninit_context(&ctx->ibv_ctx);
	free(ctx);
}

/*
 * Runtime tripwires: libibverbs must be the one these declarations were
 * written for, and the kernel must describe the formats this provider
 * writes. Each failure names what differs.
 */
static int vhca_check_context(struct vhca_context *ctx,
			      struct ibv_device *ibdev, int cmd_fd)
{
	struct vhca_verbs_device *vdev = (struct vhca_verbs_device *)ibdev;
	const struct vhca_alloc_ucontext_resp *u = &ctx->uctx;
	struct ibv_context *ibctx = &ctx->ibv_ctx.context;
	const char *name = ibv_get_device_name(ibdev);

	if (ctx->ibv_ctx.sz != sizeof(struct verbs_context) ||
	    ibctx->device != ibdev || ibctx->cmd_fd != cmd_fd) {
		vhca_err("libibverbs' verbs_context is not the rdma-core 44 layout (sz %zu)",
			 ctx->ibv_ctx.sz);
		return EPROTO;
	}
	if (vdev->ops != &vhca_dev_ops || !name ||
	    strncmp(name, ibdev->name, sizeof(ibdev->name))) {
		vhca_err("libibverbs' verbs_device is not the rdma-core 44 layout");
		return EPROTO;
	}
	if (ibctx->ops.poll_cq != vhca_poll_cq ||
	    ibctx->ops.post_send != vhca_post_send ||
	    ibctx->ops.req_notify_cq != vhca_req_notify_cq ||
	    ctx->ibv_ctx.query_device_ex != vhca_ctx_ops.query_device_ex) {
		vhca_err("libibverbs did not take the ops table (PABI %d drift)",
			 VHCA_PABI_VERSION);
		return EPROTO;
	}
	if (u->abi_version != VHCA_UVERBS_ABI_VERSION) {
		vhca_err("%s: kernel ABI %u, provider ABI %u", name,
			 u->abi_version, VHCA_UVERBS_ABI_VERSION);
		return EPROTO;
	}
	if (u->wqebb_size != VHCA_WQEBB || u->cqe_size != sizeof(struct vhca_cqe) ||
	    u->data_seg_size != sizeof(struct vhca_wqe_data) ||
	    u->page_size != (uint32_t)ctx->page_size ||
	    !(u->caps & VHCA_UCTX_CAP_SQ_DOORBELL) ||
	    !(u->caps & (VHCA_UCTX_CAP_CQ_ARM | VHCA_UCTX_CAP_CMD_REQ_NOTIFY))) {
		vhca_err("%s: the kernel describes other formats (WQEBB %u, CQE %u, data segment %u, page %u, caps %#x)",
			 name, u->wqebb_size, u->cqe_size, u->data_seg_size,
			 u->page_size, u->caps);
		return EPROTO;
	}
	if (ibctx->num_comp_vectors < 1) {
		vhca_err("%s: no completion vector", name);
		return EPROTO;
	}
	return 0;
}

static struct verbs_context *vhca_alloc_context(struct ibv_device *ibdev,
						int cmd_fd,
						void *private_data)
{
	struct vhca_get_context_resp resp;
	struct vhca_get_context_cmd cmd;
	struct vhca_context *ctx;
	int ret;

	(void)private_data;
	ctx = _verbs_init_and_alloc_context(ibdev, cmd_fd, sizeof(*ctx),
		(struct verbs_context *)offsetof(struct vhca_context, ibv_ctx),
		VHCA_DRIVER_ID);
	if (!ctx)
		return NULL;
	ctx->page_size = sysconf(_SC_PAGESIZE);
	ctx->debug = getenv("VHCA_DEBUG") && *getenv("VHCA_DEBUG") != '0';
	pthread_mutex_init(&ctx->qp_table_mutex, NULL);

	memset(&cmd, 0, sizeof(cmd));
	memset(&resp, 0, sizeof(resp));
	cmd.drv.abi_version = VHCA_UVERBS_ABI_VERSION;
	ret = ibv_cmd_get_context(&ctx->ibv_ctx, &cmd.ibv, sizeof(cmd),
				  &resp.ibv, sizeof(resp));
	if (ret)
		goto err;
	ctx->uctx = resp.drv;
	verbs_set_ops(&ctx->ibv_ctx, &vhca_ctx_ops);
	ret = vhca_check_context(ctx, ibdev, cmd_fd);
	if (ret)
		goto err;
	return &ctx->ibv_ctx;

err:
	pthread_mutex_destroy(&ctx->qp_table_mutex);
	verbs_uninit_context(&ctx->ibv_ctx);
	free(ctx);
	errno = ret;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Devices and registration                                            */
/* ------------------------------------------------------------------ */

static struct vhca_verbs_device *
vhca_alloc_device(struct vhca_verbs_sysfs_dev *sysfs_dev)
{
	struct vhca_device *dev;

	(void)sysfs_dev;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return NULL;
	return &dev->vdev;
}

static void vhca_uninit_device(struct vhca_verbs_device *vdev)
{
	free(vdev);
}

static const struct vhca_verbs_match_ent vhca_match_table[] = {
	{ .u.driver_id = VHCA_DRIVER_ID, .kind = VHCA_VERBS_MATCH_DRIVER_ID },
	/* sysfs discovery (no netlink) reports driver_id 0: match the name */
	{ .u.modalias = "rdma_device:*Nvhca_*",
	  .kind = VHCA_VERBS_MATCH_MODALIAS },
	{}
};

static const struct vhca_verbs_device_ops vhca_dev_ops = {
	.name = "vhca",
	.match_min_abi_version = VHCA_ABI_MIN,
	.match_max_abi_version = VHCA_ABI_MAX,
	.match_table = vhca_match_table,
	.alloc_device = vhca_alloc_device,
	.uninit_device = vhca_uninit_device,
	.alloc_context = vhca_alloc_context,
};

static const struct vhca_verbs_context_ops vhca_ctx_ops = {
	.query_device_ex = vhca_query_device_ex,
	.query_port = vhca_query_port,
	.alloc_pd = vhca_alloc_pd,
	.dealloc_pd = vhca_dealloc_pd,
	.reg_mr = vhca_reg_mr,
	.dereg_mr = vhca_dereg_mr,
	.create_ah = vhca_create_ah,
	.destroy_ah = vhca_destroy_ah,
	.create_cq = vhca_create_cq,
	.destroy_cq = vhca_destroy_cq,
	.poll_cq = vhca_poll_cq,
	.req_notify_cq = vhca_req_notify_cq,
	.create_qp = vhca_create_qp,
	.modify_qp = vhca_modify_qp,
	.query_qp = vhca_query_qp,
	.destroy_qp = vhca_destroy_qp,
	.post_send = vhca_post_send,
	.post_recv = vhca_post_recv,
	.attach_mcast = vhca_attach_mcast,
	.detach_mcast = vhca_detach_mcast,
	.create_srq = vhca_create_srq,
	.modify_srq = vhca_modify_srq,
	.query_srq = vhca_query_srq,
	.destroy_srq = vhca_destroy_srq,
	.post_srq_recv = vhca_post_srq_recv,
	.free_context = vhca_free_context,
};

static void __attribute__((constructor)) vhca_register_driver(void)
{
	verbs_register_driver_34(&vhca_dev_ops);
}
