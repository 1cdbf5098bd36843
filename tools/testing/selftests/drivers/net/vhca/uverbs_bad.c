// SPDX-License-Identifier: GPL-2.0
/*
 * uverbs_bad: bad input to the vhca uverbs device, from a process. Used by
 * ib_uverbs_bad.sh, which also checks the kernel log and that `rdma res`
 * counts come back.
 *
 *   uverbs_bad DEV0 DEV1          run the checks; one "ok - ..." or
 *                                 "not ok - ..." line per check
 *   uverbs_bad --leak DEV0 DEV1   create objects of every kind on both
 *                                 devices with work in flight, then die by
 *                                 SIGKILL without cleaning up
 *
 * The checks: garbage uverbs commands by write() and ioctl() on the
 * command fd (unknown commands, short or lying headers, garbage driver
 * data, a bad response pointer, a second context), the doorbell methods
 * with bad handles, counters and commands, memory registration of unmapped
 * or wrapping ranges and bad access flags, posting to a QP in RESET, and
 * on connected RC QPs between the two devices: wrong lkeys, wrong rkeys,
 * an rkey without the right, a write past the end of a region, garbage
 * WQEs, each completing with an error while a correct transfer from
 * unaligned buffers afterwards still works.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <infiniband/verbs.h>
#include <rdma/ib_user_verbs.h>
#include <rdma/rdma_user_ioctl_cmds.h>
#include <rdma/vhca-abi.h>

static int failures;

static void result(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		failures++;
}

static void note(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* ------------------------------------------------------------------ */
/* One end: a device context with a PD, a CQ and an RC QP              */
/* ------------------------------------------------------------------ */

struct end {
	struct ibv_context *ctx;
	struct ibv_pd *pd;
	struct ibv_cq *cq;
	struct ibv_qp *qp;
	uint16_t lid;
};

/*
 * Memory for an MR: whole pages of its own. ib_umem maps whole pages, and
 * 6.1's DMA-API debug warns when two live mappings share a cacheline
 * (legal in verbs, but noise in make check-debug), so no two MRs of this
 * program, on either device, may share a page as malloc'd buffers would.
 */
static void *mr_buf(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	return p;
}

static void mr_buf_free(void *p, size_t len)
{
	munmap(p, len);
}

static struct ibv_context *open_dev(const char *name)
{
	struct ibv_device **list = ibv_get_device_list(NULL);
	struct ibv_context *ctx = NULL;
	int i;

	if (!list)
		return NULL;
	for (i = 0; list[i]; i++)
		if (!strcmp(ibv_get_device_name(list[i]), name))
			ctx = ibv_open_device(list[i]);
	ibv_free_device_list(list);
	return ctx;
}

static int end_open(struct end *e, const char *name)
{
	struct ibv_port_attr pa;

	memset(e, 0, sizeof(*e));
	e->ctx = open_dev(name);
	if (!e->ctx)
		return -1;
	if (ibv_query_port(e->ctx, 1, &pa))
		return -1;
	e->lid = pa.lid;
	e->pd = ibv_alloc_pd(e->ctx);
	e->cq = ibv_create_cq(e->ctx, 64, NULL, NULL, 0);
	return e->pd && e->cq ? 0 : -1;
}

static struct ibv_qp *rc_qp(struct end *e)
{
	struct ibv_qp_init_attr a = {
		.send_cq = e->cq, .recv_cq = e->cq, .qp_type = IBV_QPT_RC,
		.cap = { .max_send_wr = 16, .max_recv_wr = 16,
			 .max_send_sge = 2, .max_recv_sge = 2 },
	};

	return ibv_create_qp(e->pd, &a);
}

static int qp_rts(struct ibv_qp *qp, uint32_t dqpn, uint16_t dlid)
{
	struct ibv_qp_attr a = {
		.qp_state = IBV_QPS_INIT, .port_num = 1,
		.qp_access_flags = IBV_ACCESS_REMOTE_WRITE |
				   IBV_ACCESS_REMOTE_READ,
	};

	if (ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_PKEY_INDEX |
			  IBV_QP_PORT | IBV_QP_ACCESS_FLAGS))
		return -1;
	memset(&a, 0, sizeof(a));
	a.qp_state = IBV_QPS_RTR;
	a.path_mtu = IBV_MTU_1024;
	a.dest_qp_num = dqpn;
	a.max_dest_rd_atomic = 1;
	a.min_rnr_timer = 12;
	a.ah_attr.dlid = dlid;
	a.ah_attr.port_num = 1;
	if (ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU |
			  IBV_QP_DEST_QPN | IBV_QP_RQ_PSN |
			  IBV_QP_MAX_DEST_RD_ATOMIC | IBV_QP_MIN_RNR_TIMER))
		return -1;
	memset(&a, 0, sizeof(a));
	a.qp_state = IBV_QPS_RTS;
	a.timeout = 14;
	a.retry_cnt = 7;
	a.rnr_retry = 7;
	a.max_rd_atomic = 1;
	return ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_TIMEOUT |
			     IBV_QP_RETRY_CNT | IBV_QP_RNR_RETRY |
			     IBV_QP_SQ_PSN | IBV_QP_MAX_QP_RD_ATOMIC);
}

/* fresh connected RC QPs on both ends (the old ones destroyed) */
static int connect_pair(struct end *a, struct end *b)
{
	if (a->qp)
		ibv_destroy_qp(a->qp);
	if (b->qp)
		ibv_destroy_qp(b->qp);
	a->qp = rc_qp(a);
	b->qp = rc_qp(b);
	if (!a->qp || !b->qp)
		return -1;
	if (qp_rts(a->qp, b->qp->qp_num, b->lid) ||
	    qp_rts(b->qp, a->qp->qp_num, a->lid))
		return -1;
	return 0;
}

/* one completion within 10 s; returns its status or -1 */
static int wait_wc(struct ibv_cq *cq, struct ibv_wc *wc)
{
	struct timespec t0, t;
	int n;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		n = ibv_poll_cq(cq, 1, wc);
		if (n < 0)
			return -1;
		if (n)
			return wc->status;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 10)
			return -1;
		usleep(1000);
	}
}

static int post_rdma(struct ibv_qp *qp, enum ibv_wr_opcode op, void *buf,
		     uint32_t len, uint32_t lkey, uint64_t raddr, uint32_t rkey)
{
	struct ibv_sge sge = {
		.addr = (uintptr_t)buf, .length = len, .lkey = lkey,
	};
	struct ibv_send_wr wr = {
		.wr_id = 0x1234, .sg_list = &sge, .num_sge = 1, .opcode = op,
		.send_flags = IBV_SEND_SIGNALED,
		.wr.rdma = { .remote_addr = raddr, .rkey = rkey },
	}, *bad;

	return ibv_post_send(qp, &wr, &bad);
}

/* ------------------------------------------------------------------ */
/* Raw commands on the command fd                                      */
/* ------------------------------------------------------------------ */

static int raw_write(int fd, const void *buf, size_t len)
{
	ssize_t n = write(fd, buf, len);

	if (n == (ssize_t)len)
		return 0;
	return n < 0 ? errno : EIO;
}

static int raw_ioctl(int fd, void *buf)
{
	return ioctl(fd, RDMA_VERBS_IOCTL, buf) ? errno : 0;
}

static void check_write_garbage(struct end *e)
{
	int fd = e->ctx->cmd_fd, err;
	struct {
		struct ib_uverbs_cmd_hdr hdr;
		struct ib_uverbs_create_cq core;
		struct vhca_create_cq_cmd drv;
	} cq = { 0 };
	struct {
		struct ib_uverbs_cmd_hdr hdr;
		struct ib_uverbs_alloc_pd core;
	} pd = { 0 };
	uint64_t resp[16];
	uint32_t junk[8] = { 0 };

	err = raw_write(fd, junk, 4);
	result(err == EINVAL, "write() of 4 bytes: EINVAL (got %d)", err);

	memset(junk, 0xa5, sizeof(junk));
	((struct ib_uverbs_cmd_hdr *)junk)->command = 0x7f00dead;
	((struct ib_uverbs_cmd_hdr *)junk)->in_words = sizeof(junk) / 4;
	err = raw_write(fd, junk, sizeof(junk));
	result(err != 0, "write() of an unknown command fails (errno %d)", err);

	/* a header that claims more than was written */
	pd.hdr.command = IB_USER_VERBS_CMD_ALLOC_PD;
	pd.hdr.in_words = 64;
	pd.hdr.out_words = sizeof(struct ib_uverbs_alloc_pd_resp) / 4;
	pd.core.response = (uintptr_t)resp;
	err = raw_write(fd, &pd, sizeof(pd));
	result(err == EINVAL, "ALLOC_PD with in_words past the write: EINVAL (got %d)",
	       err);

	/* a response pointer into nowhere: the PD must not leak */
	pd.hdr.in_words = sizeof(pd) / 4;
	pd.core.response = 16;
	err = raw_write(fd, &pd, sizeof(pd));
	result(err == EFAULT, "ALLOC_PD with an unmapped response pointer: EFAULT (got %d)",
	       err);

	cq.hdr.command = IB_USER_VERBS_CMD_CREATE_CQ;
	cq.hdr.in_words = sizeof(cq) / 4;
	cq.hdr.out_words = sizeof(resp) / 4;
	cq.core.response = (uintptr_t)resp;
	cq.core.cqe = 16;
	cq.core.comp_channel = -1;
	cq.drv.comp_mask = 0xdeadbeef;
	err = raw_write(fd, &cq, sizeof(cq));
	result(err == EINVAL || err == EOPNOTSUPP,
	       "CREATE_CQ with garbage driver data (comp_mask): refused (got %d)",
	       err);
	cq.drv.comp_mask = 0;
	cq.core.cqe = 1U << 30;
	err = raw_write(fd, &cq, sizeof(cq));
	result(err != 0, "CREATE_CQ of 2^30 entries: refused (got %d)", err);
	cq.core.cqe = 16;
	cq.core.comp_vector = 1000;
	err = raw_write(fd, &cq, sizeof(cq));
	note("CREATE_CQ on comp_vector 1000: errno %d", err);
	if (!err) {
		/* accepted (vectors wrap): destroy what was made */
		struct ib_uverbs_create_cq_resp cr;
		struct {
			struct ib_uverbs_cmd_hdr hdr;
			struct ib_uverbs_destroy_cq core;
		} d = { { IB_USER_VERBS_CMD_DESTROY_CQ, sizeof(d) / 4,
			  sizeof(struct ib_uverbs_destroy_cq_resp) / 4 },
			{ (uintptr_t)&resp[8], 0, 0 } };

		memcpy(&cr, resp, sizeof(cr));
		d.core.cq_handle = cr.cq_handle;
		err = raw_write(fd, &d, sizeof(d));
		result(!err, "DESTROY_CQ of it by write(): %d", err);
	}
}

static void check_second_context(const char *name)
{
	char path[64];
	struct {
		struct ib_uverbs_cmd_hdr hdr;
		struct ib_uverbs_get_context core;
		struct vhca_alloc_ucontext_cmd drv;
	} c = { 0 };
	uint64_t resp[16];
	int fd, err, i;

	/* the uverbs char device of @name */
	for (i = 0; i < 64; i++) {
		char ibdev[64] = "";
		FILE *f;

		snprintf(path, sizeof(path),
			 "/sys/class/infiniband_verbs/uverbs%d/ibdev", i);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%63s", ibdev) != 1)
			ibdev[0] = 0;
		fclose(f);
		if (!strcmp(ibdev, name))
			break;
	}
	if (i == 64) {
		result(0, "no uverbs device for %s", name);
		return;
	}
	snprintf(path, sizeof(path), "/dev/infiniband/uverbs%d", i);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		result(0, "open %s: %s", path, strerror(errno));
		return;
	}
	c.hdr.command = IB_USER_VERBS_CMD_GET_CONTEXT;
	c.hdr.in_words = sizeof(c) / 4;
	c.hdr.out_words = sizeof(resp) / 4;
	c.core.response = (uintptr_t)resp;
	c.drv.abi_version = VHCA_UVERBS_ABI_VERSION + 100;
	err = raw_write(fd, &c, sizeof(c));
	result(err == EINVAL, "GET_CONTEXT with ABI version %u: EINVAL (got %d)",
	       c.drv.abi_version, err);
	c.drv.abi_version = VHCA_UVERBS_ABI_VERSION;
	c.drv.comp_mask = 0xffffffff;
	err = raw_write(fd, &c, sizeof(c));
	result(err == EINVAL, "GET_CONTEXT with garbage comp_mask: EINVAL (got %d)",
	       err);
	c.drv.comp_mask = 0;
	err = raw_write(fd, &c, sizeof(c));
	result(!err, "GET_CONTEXT with a correct request: %d", err);
	err = raw_write(fd, &c, sizeof(c));
	result(err == EINVAL, "a second GET_CONTEXT on the fd: EINVAL (got %d)",
	       err);
	/* a mapping of an offset no object gave */
	result(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    0x12345000) == MAP_FAILED,
	       "mmap of an offset no object handed out fails");
	close(fd);
}

struct ioctl_buf {
	struct ib_uverbs_ioctl_hdr hdr;
	struct ib_uverbs_attr attrs[3];
};

static void db_init(struct ioctl_buf *b, uint16_t obj, uint16_t method,
		    uint32_t handle, uint32_t v1, uint32_t v2, int n)
{
	memset(b, 0, sizeof(*b));
	b->hdr.length = sizeof(b->hdr) + n * sizeof(b->attrs[0]);
	b->hdr.object_id = obj;
	b->hdr.method_id = method;
	b->hdr.num_attrs = n;
	b->hdr.driver_id = VHCA_DRIVER_ID;
	b->attrs[0].attr_id = VHCA_IB_ID_NS;
	b->attrs[0].flags = UVERBS_ATTR_F_MANDATORY;
	b->attrs[0].data = handle;
	b->attrs[1].attr_id = VHCA_IB_ID_NS + 1;
	b->attrs[1].len = 4;
	b->attrs[1].flags = UVERBS_ATTR_F_MANDATORY;
	b->attrs[1].data = v1;
	b->attrs[2].attr_id = VHCA_IB_ID_NS + 2;
	b->attrs[2].len = 4;
	b->attrs[2].flags = UVERBS_ATTR_F_MANDATORY;
	b->attrs[2].data = v2;
}

static void check_ioctl_garbage(struct end *e)
{
	int fd = e->ctx->cmd_fd, err;
	uint32_t qh = e->qp->handle, ch = e->cq->handle;
	struct ioctl_buf b;

	db_init(&b, UVERBS_OBJECT_QP, VHCA_IB_METHOD_QP_SQ_DOORBELL, qh, 0, 0,
		2);
	b.hdr.length = 8;
	err = raw_ioctl(fd, &b);
	result(err == EINVAL, "ioctl with a short header: EINVAL (got %d)", err);

	db_init(&b, UVERBS_OBJECT_QP, VHCA_IB_METHOD_QP_SQ_DOORBELL, qh, 0, 0,
		2);
	b.hdr.driver_id = 0;
	err = raw_ioctl(fd, &b);
	result(err == EINVAL, "SQ doorbell with driver_id 0: EINVAL (got %d)",
	       err);

	db_init(&b, UVERBS_OBJECT_QP, VHCA_IB_ID_NS + 0x7f, qh, 0, 0, 2);
	err = raw_ioctl(fd, &b);
	result(err == EPROTONOSUPPORT || err == EOPNOTSUPP,
	       "an unknown driver method: EPROTONOSUPPORT (got %d)", err);

	db_init(&b, UVERBS_OBJECT_QP, VHCA_IB_METHOD_QP_SQ_DOORBELL, 0xfffff,
		0, 0, 2);
	err = raw_ioctl(fd, &b);
	result(err != 0, "SQ doorbell on a QP handle that does not exist: refused (got %d)",
	       err);

	db_init(&b, UVERBS_OBJECT_QP, VHCA_IB_METHOD_QP_SQ_DOORBELL, ch, 0, 0,
		2);
	err = raw_ioctl(fd, &b);
	note("SQ doorbell with the CQ's handle as QP handle: errno %d", err);

	db_init(&b, UVERBS_OBJECT_QP, VHCA_IB_METHOD_QP_SQ_DOORBELL, qh,
		0x8000, 0, 2);
	err = raw_ioctl(fd, &b);
	result(err == EINVAL, "SQ doorbell 0x8000 WQEBBs ahead of the ring: EINVAL (got %d)",
	       err);

	db_init(&b, UVERBS_OBJECT_QP, VHCA_IB_METHOD_QP_SQ_DOORBELL, qh,
		0x10000, 0, 2);
	err = raw_ioctl(fd, &b);
	result(err == EINVAL, "SQ doorbell with a counter over 16 bits: EINVAL (got %d)",
	       err);

	db_init(&b, UVERBS_OBJECT_QP, VHCA_IB_METHOD_QP_SQ_DOORBELL, qh, 0, 0,
		1);
	err = raw_ioctl(fd, &b);
	result(err != 0, "SQ doorbell without its counter: refused (got %d)",
	       err);

	db_init(&b, UVERBS_OBJECT_CQ, VHCA_IB_METHOD_CQ_ARM, ch, 7, 0, 3);
	err = raw_ioctl(fd, &b);
	result(err == EINVAL, "CQ arm with command 7: EINVAL (got %d)", err);

	db_init(&b, UVERBS_OBJECT_CQ, VHCA_IB_METHOD_CQ_ARM, ch, 0,
		0x1000000, 3);
	err = raw_ioctl(fd, &b);
	result(err == EINVAL, "CQ arm with a 25-bit index: EINVAL (got %d)",
	       err);

	db_init(&b, UVERBS_OBJECT_CQ, VHCA_IB_METHOD_CQ_ARM, ch, 0, 0, 3);
	b.attrs[1].len = 2;
	err = raw_ioctl(fd, &b);
	result(err != 0, "CQ arm with a 2-byte command attribute: refused (got %d)",
	       err);
}

/* ------------------------------------------------------------------ */
/* Memory registration                                                 */
/* ------------------------------------------------------------------ */

static void check_reg_mr(struct end *e)
{
	size_t len = 1 << 20;
	struct ibv_mr *mr;
	void *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(p, len);
	mr = ibv_reg_mr(e->pd, p, len, IBV_ACCESS_LOCAL_WRITE);
	result(!mr, "reg_mr of an unmapped range fails (errno %d)", errno);
	if (mr)
		ibv_dereg_mr(mr);

	mr = ibv_reg_mr(e->pd, (void *)(uintptr_t)-4096, 8192,
			IBV_ACCESS_LOCAL_WRITE);
	result(!mr, "reg_mr of a range wrapping the address space fails (errno %d)",
	       errno);
	if (mr)
		ibv_dereg_mr(mr);

	p = mr_buf(8192);
	mr = ibv_reg_mr(e->pd, p, 4096, IBV_ACCESS_REMOTE_WRITE);
	result(!mr, "reg_mr with REMOTE_WRITE but not LOCAL_WRITE fails (errno %d)",
	       errno);
	if (mr)
		ibv_dereg_mr(mr);
	mr = ibv_reg_mr(e->pd, (char *)p + 3, 1000, IBV_ACCESS_LOCAL_WRITE);
	result(mr != NULL, "reg_mr of an unaligned 1000-byte buffer works");
	if (mr)
		ibv_dereg_mr(mr);
	mr_buf_free(p, 8192);
}

/* ------------------------------------------------------------------ */
/* Data path errors between the two devices                            */
/* ------------------------------------------------------------------ */

static void check_data_path(struct end *a, struct end *b)
{
	size_t len = 16384;
	char *la = mr_buf(len + 64), *rb = mr_buf(len + 64);
	char *ro = mr_buf(len + 64), *lo = mr_buf(len);
	struct ibv_mr *mla, *mrb, *mro;
	struct ibv_pd *pd2;
	struct ibv_wc wc;
	int st, err, i;

	mla = ibv_reg_mr(a->pd, la, len + 64, IBV_ACCESS_LOCAL_WRITE);
	mrb = ibv_reg_mr(b->pd, rb, len + 64, IBV_ACCESS_LOCAL_WRITE |
			 IBV_ACCESS_REMOTE_WRITE | IBV_ACCESS_REMOTE_READ);
	mro = ibv_reg_mr(b->pd, ro, len + 64, IBV_ACCESS_REMOTE_READ);
	pd2 = ibv_alloc_pd(a->ctx);
	if (!mla || !mrb || !mro || !pd2 || connect_pair(a, b)) {
		result(0, "set up RC QPs between the devices");
		return;
	}

	/* posting to a QP in RESET is an immediate error */
	{
		struct ibv_qp *q = rc_qp(a);
		struct ibv_sge sge = { (uintptr_t)la, 8, mla->lkey };
		struct ibv_recv_wr rwr = { .sg_list = &sge, .num_sge = 1 }, *rbad;

		err = q ? post_rdma(q, IBV_WR_SEND, la, 8, mla->lkey, 0, 0) : -1;
		result(err == EINVAL, "post_send on a QP in RESET: EINVAL (got %d)",
		       err);
		err = q ? ibv_post_recv(q, &rwr, &rbad) : -1;
		result(err == EINVAL, "post_recv on a QP in RESET: EINVAL (got %d)",
		       err);
		rwr.num_sge = 100;
		err = ibv_post_recv(a->qp, &rwr, &rbad);
		result(err == EINVAL, "post_recv with 100 SGEs: EINVAL (got %d)",
		       err);
		if (q)
			ibv_destroy_qp(q);
	}

	err = post_rdma(a->qp, IBV_WR_RDMA_WRITE, la, 64, mla->lkey,
			(uintptr_t)rb, mrb->rkey ^ 0x5a5a00);
	st = err ? -1 : wait_wc(a->cq, &wc);
	result(st == IBV_WC_REM_ACCESS_ERR,
	       "RDMA WRITE with a wrong rkey: REM_ACCESS_ERR (got %d)", st);

	connect_pair(a, b);
	err = post_rdma(a->qp, IBV_WR_RDMA_WRITE, la, 64, mla->lkey,
			(uintptr_t)ro, mro->rkey);
	st = err ? -1 : wait_wc(a->cq, &wc);
	result(st == IBV_WC_REM_ACCESS_ERR,
	       "RDMA WRITE with a read-only rkey: REM_ACCESS_ERR (got %d)", st);

	connect_pair(a, b);
	err = post_rdma(a->qp, IBV_WR_RDMA_WRITE, la, 256, mla->lkey,
			(uintptr_t)rb + len + 64 - 16, mrb->rkey);
	st = err ? -1 : wait_wc(a->cq, &wc);
	result(st == IBV_WC_REM_ACCESS_ERR,
	       "RDMA WRITE past the end of the remote region: REM_ACCESS_ERR (got %d)",
	       st);

	connect_pair(a, b);
	err = post_rdma(a->qp, IBV_WR_RDMA_WRITE, la, 64, mla->lkey ^ 0x77700,
			(uintptr_t)rb, mrb->rkey);
	st = err ? -1 : wait_wc(a->cq, &wc);
	result(st == IBV_WC_LOC_PROT_ERR,
	       "RDMA WRITE from a wrong lkey: LOC_PROT_ERR (got %d)", st);

	{
		struct ibv_mr *other = ibv_reg_mr(pd2, lo, len,
						  IBV_ACCESS_LOCAL_WRITE);

		connect_pair(a, b);
		err = other ? post_rdma(a->qp, IBV_WR_RDMA_WRITE, lo, 64,
					other->lkey, (uintptr_t)rb,
					mrb->rkey) : -1;
		st = err ? -1 : wait_wc(a->cq, &wc);
		result(st == IBV_WC_LOC_PROT_ERR,
		       "RDMA WRITE from an lkey of another PD: LOC_PROT_ERR (got %d)",
		       st);
		if (other)
			ibv_dereg_mr(other);
	}

	connect_pair(a, b);
	err = post_rdma(a->qp, IBV_WR_RDMA_WRITE, la, 64, mla->lkey,
			(uintptr_t)rb, mrb->rkey);
	st = err ? -1 : wait_wc(a->cq, &wc);
	result(st == IBV_WC_SUCCESS && wc.wr_id == 0x1234,
	       "a correct RDMA WRITE on the same devices works (status %d)", st);

	{
		/* garbage WQEs: ring the doorbell over an SQ never written */
		struct ioctl_buf db;

		db_init(&db, UVERBS_OBJECT_QP, VHCA_IB_METHOD_QP_SQ_DOORBELL,
			a->qp->handle, 8, 0, 2);
		err = raw_ioctl(a->ctx->cmd_fd, &db);
		note("SQ doorbell over 7 unwritten WQEBBs: errno %d", err);
		i = ibv_poll_cq(a->cq, 1, &wc);
		note("then poll: %d completion(s)%s", i,
		     i > 0 && wc.status ? " with an error" : "");
	}

	/* unaligned buffers both sides, RDMA WRITE then READ back */
	connect_pair(a, b);
	for (i = 0; i < (int)len; i++)
		la[3 + i] = (char)(i * 7 + 1);
	memset(rb, 0, len + 64);
	err = post_rdma(a->qp, IBV_WR_RDMA_WRITE, la + 3, len - 10, mla->lkey,
			(uintptr_t)rb + 5, mrb->rkey);
	st = err ? -1 : wait_wc(a->cq, &wc);
	result(st == IBV_WC_SUCCESS && !memcmp(la + 3, rb + 5, len - 10),
	       "RDMA WRITE of %zu bytes between unaligned buffers: data equal (status %d)",
	       len - 10, st);
	memset(la, 0, len + 64);
	err = post_rdma(a->qp, IBV_WR_RDMA_READ, la + 1, len - 10, mla->lkey,
			(uintptr_t)rb + 5, mrb->rkey);
	st = err ? -1 : wait_wc(a->cq, &wc);
	result(st == IBV_WC_SUCCESS && wc.opcode == IBV_WC_RDMA_READ &&
	       !memcmp(la + 1, rb + 5, len - 10),
	       "RDMA READ back into an unaligned buffer: data equal (status %d)",
	       st);

	ibv_destroy_qp(a->qp);
	ibv_destroy_qp(b->qp);
	a->qp = b->qp = NULL;
	ibv_dereg_mr(mla);
	ibv_dereg_mr(mrb);
	ibv_dereg_mr(mro);
	ibv_dealloc_pd(pd2);
	mr_buf_free(la, len + 64);
	mr_buf_free(rb, len + 64);
	mr_buf_free(ro, len + 64);
	mr_buf_free(lo, len);
}

/* ------------------------------------------------------------------ */
/* --bounce: the kernel bounces streaming DMA (swiotlb=force)          */
/* ------------------------------------------------------------------ */

/*
 * A process's memory has no DMA sync points, so vhca_ib refuses to
 * register it while every mapping bounces; everything that lives in
 * kernel memory (the rings, the QPs) still works.
 */
static int bounce(struct end *a, struct end *b)
{
	size_t len = 1 << 16;
	char *buf = mr_buf(len);
	struct ibv_mr *mr;
	int err;

	errno = 0;
	mr = ibv_reg_mr(a->pd, buf, len, IBV_ACCESS_LOCAL_WRITE);
	err = errno;
	result(!mr && err == EOPNOTSUPP,
	       "reg_mr under swiotlb=force fails with EOPNOTSUPP (errno %d)",
	       err);
	if (mr)
		ibv_dereg_mr(mr);
	errno = 0;
	mr = ibv_reg_mr(b->pd, buf, len, IBV_ACCESS_LOCAL_WRITE |
			IBV_ACCESS_REMOTE_WRITE | IBV_ACCESS_REMOTE_READ);
	err = errno;
	result(!mr && err == EOPNOTSUPP,
	       "reg_mr with remote access fails the same way (errno %d)", err);
	if (mr)
		ibv_dereg_mr(mr);
	mr_buf_free(buf, len);
	if (connect_pair(a, b)) {
		result(0, "RC QPs (rings in kernel memory) connect between the devices");
	} else {
		struct ibv_recv_wr rwr = { .wr_id = 1 }, *rbad;
		struct ibv_send_wr swr = { .wr_id = 2, .opcode = IBV_WR_SEND,
					   .send_flags = IBV_SEND_SIGNALED },
				   *sbad;
		struct ibv_wc wc;
		int rst = -1, sst = -1;

		if (!ibv_post_recv(b->qp, &rwr, &rbad) &&
		    !ibv_post_send(a->qp, &swr, &sbad)) {
			sst = wait_wc(a->cq, &wc);
			rst = wait_wc(b->cq, &wc);
		}
		result(!sst && !rst,
		       "a zero-length RC SEND (no memory registered) completes on both sides (%d/%d)",
		       sst, rst);
	}
	if (a->qp)
		ibv_destroy_qp(a->qp);
	if (b->qp)
		ibv_destroy_qp(b->qp);
	return 0;
}

/* ------------------------------------------------------------------ */
/* --leak: everything at once, then SIGKILL                            */
/* ------------------------------------------------------------------ */

static int leak(struct end *a, struct end *b)
{
	struct ibv_comp_channel *ch = ibv_create_comp_channel(a->ctx);
	struct ibv_srq_init_attr sa = { .attr = { .max_wr = 32, .max_sge = 1 } };
	struct ibv_ah_attr aa = { .dlid = b->lid, .port_num = 1 };
	size_t len = 1 << 20;
	char *buf = mr_buf(len), *rbuf = mr_buf(len);
	struct ibv_cq *ecq;
	struct ibv_srq *srq;
	struct ibv_ah *ah;
	struct ibv_mr *ma, *mb;
	int i;

	ecq = ch ? ibv_create_cq(a->ctx, 16, NULL, ch, 0) : NULL;
	srq = ibv_create_srq(a->pd, &sa);
	ah = ibv_create_ah(a->pd, &aa);
	ma = ibv_reg_mr(a->pd, buf, len, IBV_ACCESS_LOCAL_WRITE);
	mb = ibv_reg_mr(b->pd, rbuf, len, IBV_ACCESS_LOCAL_WRITE |
			IBV_ACCESS_REMOTE_WRITE);
	if (!ecq || !srq || !ah || !ma || !mb || connect_pair(a, b) ||
	    ibv_req_notify_cq(ecq, 0)) {
		fprintf(stderr, "uverbs_bad --leak: setup failed\n");
		return 1;
	}
	for (i = 0; i < 8; i++) {
		struct ibv_sge sge = { (uintptr_t)rbuf, 4096, mb->lkey };
		struct ibv_recv_wr rwr = { .sg_list = &sge, .num_sge = 1 }, *bad;

		ibv_post_recv(b->qp, &rwr, &bad);
		sge.addr = (uintptr_t)buf;
		sge.lkey = ma->lkey;
		ibv_post_srq_recv(srq, &rwr, &bad);
	}
	/* writes in flight while the process dies */
	for (i = 0; i < 12; i++)
		post_rdma(a->qp, IBV_WR_RDMA_WRITE, buf, 65536, ma->lkey,
			  (uintptr_t)rbuf + 65536, mb->rkey);
	printf("leaking: ctx pd mr cq qp srq ah on both devices\n");
	fflush(stdout);
	raise(SIGKILL);
	return 1;
}

int main(int argc, char **argv)
{
	int do_leak = argc > 1 && !strcmp(argv[1], "--leak");
	int do_bounce = argc > 1 && !strcmp(argv[1], "--bounce");
	int opt = do_leak || do_bounce;
	struct end a, b;

	if (argc != 3 + opt) {
		fprintf(stderr, "usage: %s [--leak|--bounce] DEV0 DEV1\n",
			argv[0]);
		return 2;
	}
	if (end_open(&a, argv[1 + opt]) || end_open(&b, argv[2 + opt])) {
		printf("not ok - open %s and %s with a PD and a CQ each: %s\n",
		       argv[1 + opt], argv[2 + opt], strerror(errno));
		return 1;
	}
	if (do_leak)
		return leak(&a, &b);

	result(1, "opened %s (LID %u) and %s (LID %u)", argv[1 + opt], a.lid,
	       argv[2 + opt], b.lid);
	if (do_bounce) {
		bounce(&a, &b);
	} else {
		check_write_garbage(&a);
		check_second_context(argv[1]);
		if (connect_pair(&a, &b)) {
			result(0, "connect RC QPs between the devices");
			return 1;
		}
		check_ioctl_garbage(&a);
		check_reg_mr(&a);
		check_data_path(&a, &b);
	}

	ibv_destroy_cq(a.cq);
	ibv_destroy_cq(b.cq);
	ibv_dealloc_pd(a.pd);
	ibv_dealloc_pd(b.pd);
	result(!ibv_close_device(a.ctx) && !ibv_close_device(b.ctx),
	       "every object destroyed, devices closed");
	return failures ? 1 : 0;
}
