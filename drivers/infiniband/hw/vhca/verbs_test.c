// SPDX-License-Identifier: GPL-2.0
/*
 * vhca_ib_verbs_test: kernel verbs against a loaded vhca ib_device, run
 * once at module load, in the manner of lib/test_*.ko.
 *
 * Bad input first: invalid QP state transitions and attribute values are
 * -EINVAL, posting in RESET is -EINVAL, posting in INIT or RTR completes
 * with an error and leaves the QP in ERR, a receive posted in ERR is
 * flushed, a UD send with an lkey that does not exist is a local
 * protection error. Then an RC loopback between two QPs of the port
 * (SEND, RDMA WRITE, RDMA READ of a few KiB) with the data compared.
 *
 * One "ok N - name" / "not ok N - name" line per check; loading fails
 * with -EINVAL if any check failed. Everything is freed before init
 * returns; the module stays loaded on success (rmmod it).
 */

#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <rdma/ib_verbs.h>

static char *dev = "vhca_0";
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "ib_device to test (default vhca_0)");

#define VT_PORT		1
#define VT_LEN		(8 * 1024)	/* several packets at any MTU */
#define VT_QKEY		0x11111111
#define VT_BAD_LKEY	0xdeadbe5a
#define VT_TIMEOUT_MS	5000

/**
 * struct vt - the test's objects
 * @ibdev: the device under test
 * @pd: a kernel PD with a global rkey (for RDMA)
 * @cq: one CQ for every QP's sends and receives
 * @lid: the port's LID
 * @mtu: the port's active MTU
 * @buf: VT_LEN bytes each: source, destination, scratch
 * @dma: their DMA addresses
 * @n: checks run
 * @failed: checks failed
 */
struct vt {
	struct ib_device *ibdev;
	struct ib_pd *pd;
	struct ib_cq *cq;
	u16 lid;
	enum ib_mtu mtu;
	u8 *buf[3];
	u64 dma[3];
	int n;
	int failed;
};

static void vt_check(struct vt *t, bool ok, const char *name)
{
	t->n++;
	if (ok) {
		pr_info("ok %d - %s\n", t->n, name);
	} else {
		pr_info("not ok %d - %s\n", t->n, name);
		t->failed++;
	}
}

/* wait for one completion; drains nothing else */
static int vt_poll(struct vt *t, struct ib_wc *wc)
{
	unsigned long end = jiffies + msecs_to_jiffies(VT_TIMEOUT_MS);
	int n;

	do {
		n = ib_poll_cq(t->cq, 1, wc);
		if (n)
			return n < 0 ? n : 0;
		usleep_range(500, 1000);
	} while (time_before(jiffies, end));
	return -ETIMEDOUT;
}

/* throw away completions left by an earlier check */
static void vt_drain(struct vt *t)
{
	struct ib_wc wc;

	msleep(50);
	while (ib_poll_cq(t->cq, 1, &wc) > 0)
		;
}

static struct ib_qp *vt_create_qp(struct vt *t, enum ib_qp_type type)
{
	struct ib_qp_init_attr init = {
		.send_cq = t->cq,
		.recv_cq = t->cq,
		.sq_sig_type = IB_SIGNAL_ALL_WR,
		.qp_type = type,
		.cap = {
			.max_send_wr = 16,
			.max_recv_wr = 16,
			.max_send_sge = 2,
			.max_recv_sge = 2,
		},
	};

	return ib_create_qp(t->pd, &init);
}

static int vt_to_init(struct ib_qp *qp)
{
	struct ib_qp_attr attr = {
		.qp_state = IB_QPS_INIT,
		.port_num = VT_PORT,
		.pkey_index = 0,
	};
	int mask = IB_QP_STATE | IB_QP_PKEY_INDEX | IB_QP_PORT;

	if (qp->qp_type == IB_QPT_UD) {
		attr.qkey = VT_QKEY;
		mask |= IB_QP_QKEY;
	} else {
		attr.qp_access_flags = IB_ACCESS_REMOTE_WRITE |
				       IB_ACCESS_REMOTE_READ;
		mask |= IB_QP_ACCESS_FLAGS;
	}
	return ib_modify_qp(qp, &attr, mask);
}

static void vt_rtr_attr(struct vt *t, struct ib_qp_attr *attr, u32 dest_qpn)
{
	memset(attr, 0, sizeof(*attr));
	attr->qp_state = IB_QPS_RTR;
	attr->path_mtu = t->mtu;
	attr->dest_qp_num = dest_qpn;
	attr->rq_psn = 0x100;
	attr->max_dest_rd_atomic = 1;
	attr->min_rnr_timer = 1;
	attr->ah_attr.type = rdma_ah_find_type(t->ibdev, VT_PORT);
	rdma_ah_set_port_num(&attr->ah_attr, VT_PORT);
	rdma_ah_set_dlid(&attr->ah_attr, t->lid);
}

#define VT_RTR_MASK	(IB_QP_STATE | IB_QP_AV | IB_QP_PATH_MTU | \
			 IB_QP_DEST_QPN | IB_QP_RQ_PSN | \
			 IB_QP_MAX_DEST_RD_ATOMIC | IB_QP_MIN_RNR_TIMER)

static int vt_to_rtr(struct vt *t, struct ib_qp *qp, u32 dest_qpn)
{
	struct ib_qp_attr attr;

	if (qp->qp_type == IB_QPT_UD) {
		attr.qp_state = IB_QPS_RTR;
		return ib_modify_qp(qp, &attr, IB_QP_STATE);
	}
	vt_rtr_attr(t, &attr, dest_qpn);
	return ib_modify_qp(qp, &attr, VT_RTR_MASK);
}

static int vt_to_rts(struct ib_qp *qp)
{
	struct ib_qp_attr attr = {
		.qp_state = IB_QPS_RTS,
		.sq_psn = 0x100,
		.timeout = 14,
		.retry_cnt = 7,
		.rnr_retry = 7,
		.max_rd_atomic = 1,
	};

	if (qp->qp_type == IB_QPT_UD)
		return ib_modify_qp(qp, &attr, IB_QP_STATE | IB_QP_SQ_PSN);
	return ib_modify_qp(qp, &attr, IB_QP_STATE | IB_QP_SQ_PSN |
			    IB_QP_TIMEOUT | IB_QP_RETRY_CNT |
			    IB_QP_RNR_RETRY | IB_QP_MAX_QP_RD_ATOMIC);
}

static enum ib_qp_state vt_state(struct ib_qp *qp)
{
	struct ib_qp_init_attr init;
	struct ib_qp_attr attr;

	if (ib_query_qp(qp, &attr, IB_QP_STATE, &init))
		return -1;
	return attr.qp_state;
}

static int vt_send(struct ib_qp *qp, enum ib_wr_opcode op, u64 wr_id,
		   u64 addr, u32 len, u32 lkey, u64 raddr, u32 rkey)
{
	struct ib_sge sge = { .addr = addr, .length = len, .lkey = lkey };
	struct ib_rdma_wr wr = {
		.wr = {
			.wr_id = wr_id,
			.sg_list = &sge,
			.num_sge = 1,
			.opcode = op,
			.send_flags = IB_SEND_SIGNALED,
		},
		.remote_addr = raddr,
		.rkey = rkey,
	};

	return ib_post_send(qp, &wr.wr, NULL);
}

static int vt_recv(struct ib_qp *qp, u64 wr_id, u64 addr, u32 len, u32 lkey)
{
	struct ib_sge sge = { .addr = addr, .length = len, .lkey = lkey };
	struct ib_recv_wr wr = {
		.wr_id = wr_id,
		.sg_list = &sge,
		.num_sge = 1,
	};

	return ib_post_recv(qp, &wr, NULL);
}

/* transitions and values the driver must refuse with -EINVAL */
static void vt_transitions(struct vt *t)
{
	struct ib_qp *qp, *qp2;
	struct ib_qp_attr attr;
	int err;

	qp = vt_create_qp(t, IB_QPT_RC);
	vt_check(t, !IS_ERR(qp), "create RC QP");
	if (IS_ERR(qp))
		return;
	qp2 = vt_create_qp(t, IB_QPT_RC);
	if (IS_ERR(qp2)) {
		vt_check(t, false, "create second RC QP");
		goto out;
	}

	vt_rtr_attr(t, &attr, qp2->qp_num);
	vt_check(t, ib_modify_qp(qp, &attr, VT_RTR_MASK) == -EINVAL,
		 "RESET->RTR is -EINVAL");
	memset(&attr, 0, sizeof(attr));
	attr.qp_state = IB_QPS_RTS;
	vt_check(t, ib_modify_qp(qp, &attr, IB_QP_STATE | IB_QP_SQ_PSN) ==
		 -EINVAL, "RESET->RTS is -EINVAL");
	vt_check(t, vt_send(qp, IB_WR_SEND, 1, t->dma[0], 64,
			    t->pd->local_dma_lkey, 0, 0) == -EINVAL,
		 "post_send in RESET is -EINVAL");
	vt_check(t, vt_recv(qp, 1, t->dma[1], 64, t->pd->local_dma_lkey) ==
		 -EINVAL, "post_recv in RESET is -EINVAL");

	/* the op itself: ib_core does not range-check a kernel's port */
	memset(&attr, 0, sizeof(attr));
	attr.qp_state = IB_QPS_INIT;
	attr.port_num = 9;
	err = t->ibdev->ops.modify_qp(qp, &attr, IB_QP_STATE |
				      IB_QP_PKEY_INDEX | IB_QP_PORT |
				      IB_QP_ACCESS_FLAGS, NULL);
	vt_check(t, err == -EINVAL, "RESET->INIT on port 9 is -EINVAL");
	attr.port_num = VT_PORT;
	attr.pkey_index = 500;
	vt_check(t, ib_modify_qp(qp, &attr, IB_QP_STATE | IB_QP_PKEY_INDEX |
				 IB_QP_PORT | IB_QP_ACCESS_FLAGS) == -EINVAL,
		 "RESET->INIT with pkey_index 500 is -EINVAL");
	vt_check(t, vt_state(qp) == IB_QPS_RESET,
		 "refused modifies leave the QP in RESET");

	vt_check(t, !vt_to_init(qp), "RESET->INIT");
	memset(&attr, 0, sizeof(attr));
	attr.qp_state = IB_QPS_RTS;
	vt_check(t, ib_modify_qp(qp, &attr, IB_QP_STATE | IB_QP_SQ_PSN) ==
		 -EINVAL, "INIT->RTS is -EINVAL");
	attr.qp_state = IB_QPS_RTR;
	vt_check(t, ib_modify_qp(qp, &attr, IB_QP_STATE) == -EINVAL,
		 "INIT->RTR without its required attributes is -EINVAL");
	vt_check(t, !vt_to_rtr(t, qp, qp2->qp_num), "INIT->RTR");
	attr.qp_state = IB_QPS_INIT;
	vt_check(t, ib_modify_qp(qp, &attr, IB_QP_STATE) == -EINVAL,
		 "RTR->INIT is -EINVAL");
	vt_check(t, !vt_to_rts(qp), "RTR->RTS");
	vt_check(t, vt_state(qp) == IB_QPS_RTS, "query_qp says RTS");
	attr.qp_state = IB_QPS_RESET;
	vt_check(t, !ib_modify_qp(qp, &attr, IB_QP_STATE) &&
		 vt_state(qp) == IB_QPS_RESET, "RTS->RESET");

	ib_destroy_qp(qp2);
out:
	ib_destroy_qp(qp);
}

/* a send posted in @state (INIT or RTR) completes in error, QP to ERR */
static void vt_post_wrong_state(struct vt *t, enum ib_qp_state state)
{
	const char *sname = state == IB_QPS_INIT ? "INIT" : "RTR";
	char name[80];
	struct ib_wc wc;
	struct ib_qp *qp;
	int err;

	qp = vt_create_qp(t, IB_QPT_RC);
	if (IS_ERR(qp)) {
		vt_check(t, false, "create RC QP");
		return;
	}
	err = vt_to_init(qp);
	if (!err && state == IB_QPS_RTR)
		err = vt_to_rtr(t, qp, qp->qp_num);
	snprintf(name, sizeof(name), "RC QP to %s", sname);
	vt_check(t, !err, name);
	if (err)
		goto out;

	vt_drain(t);
	err = vt_send(qp, IB_WR_SEND, 0x5e4d, t->dma[0], 64,
		      t->pd->local_dma_lkey, 0, 0);
	snprintf(name, sizeof(name), "post_send in %s is accepted", sname);
	vt_check(t, !err, name);
	if (err)
		goto out;
	err = vt_poll(t, &wc);
	snprintf(name, sizeof(name),
		 "send posted in %s completes with an error (status %d)",
		 sname, err ? -1 : wc.status);
	vt_check(t, !err && wc.wr_id == 0x5e4d && wc.status != IB_WC_SUCCESS,
		 name);
	snprintf(name, sizeof(name), "QP posted in %s is in ERR", sname);
	vt_check(t, vt_state(qp) == IB_QPS_ERR, name);

	if (state == IB_QPS_INIT) {
		vt_drain(t);
		err = vt_recv(qp, 0xf105, t->dma[1], 64,
			      t->pd->local_dma_lkey);
		vt_check(t, !err && !vt_poll(t, &wc) && wc.wr_id == 0xf105 &&
			 wc.status == IB_WC_WR_FLUSH_ERR,
			 "post_recv in ERR completes with WR_FLUSH_ERR");
	}
out:
	ib_destroy_qp(qp);
}

/* a UD send naming a key that does not exist: local protection error */
static void vt_ud_bad_lkey(struct vt *t)
{
	struct rdma_ah_attr ah_attr = {};
	struct ib_sge sge = {
		.addr = t->dma[0], .length = 64, .lkey = VT_BAD_LKEY,
	};
	struct ib_ud_wr wr = {
		.wr = {
			.wr_id = 0xbad,
			.sg_list = &sge,
			.num_sge = 1,
			.opcode = IB_WR_SEND,
			.send_flags = IB_SEND_SIGNALED,
		},
		.remote_qkey = VT_QKEY,
	};
	struct ib_wc wc;
	struct ib_qp *qp;
	struct ib_ah *ah;
	int err;

	qp = vt_create_qp(t, IB_QPT_UD);
	if (IS_ERR(qp)) {
		vt_check(t, false, "create UD QP");
		return;
	}
	err = vt_to_init(qp) ?: vt_to_rtr(t, qp, 0) ?: vt_to_rts(qp);
	vt_check(t, !err, "UD QP to RTS");
	if (err)
		goto out_qp;

	ah_attr.type = rdma_ah_find_type(t->ibdev, VT_PORT);
	rdma_ah_set_port_num(&ah_attr, VT_PORT);
	rdma_ah_set_dlid(&ah_attr, t->lid);
	ah = rdma_create_ah(t->pd, &ah_attr, RDMA_CREATE_AH_SLEEPABLE);
	vt_check(t, !IS_ERR(ah), "create AH");
	if (IS_ERR(ah))
		goto out_qp;

	vt_drain(t);
	wr.ah = ah;
	wr.remote_qpn = qp->qp_num;
	err = ib_post_send(qp, &wr.wr, NULL);
	vt_check(t, !err && !vt_poll(t, &wc) && wc.wr_id == 0xbad &&
		 wc.status == IB_WC_LOC_PROT_ERR,
		 "UD send with a bad lkey completes with LOC_PROT_ERR");

	rdma_destroy_ah(ah, RDMA_DESTROY_AH_SLEEPABLE);
out_qp:
	ib_destroy_qp(qp);
}

/* wait for the completions of @wr_a and @wr_b, in any order */
static bool vt_poll_two(struct vt *t, u64 wr_a, u64 wr_b, u32 *len_b)
{
	bool a = false, b = false;
	struct ib_wc wc;

	while (!a || !b) {
		if (vt_poll(t, &wc) || wc.status != IB_WC_SUCCESS) {
			pr_info("# completion missing or failed: wr_id %llx status %d\n",
				wc.wr_id, wc.status);
			return false;
		}
		if (wc.wr_id == wr_a) {
			a = true;
		} else if (wc.wr_id == wr_b) {
			b = true;
			*len_b = wc.byte_len;
		}
	}
	return true;
}

static bool vt_data_equal(struct vt *t, int a, int b)
{
	ib_dma_sync_single_for_cpu(t->ibdev, t->dma[a], VT_LEN,
				   DMA_BIDIRECTIONAL);
	ib_dma_sync_single_for_cpu(t->ibdev, t->dma[b], VT_LEN,
				   DMA_BIDIRECTIONAL);
	return !memcmp(t->buf[a], t->buf[b], VT_LEN);
}

static void vt_fill(struct vt *t, int i)
{
	get_random_bytes(t->buf[i], VT_LEN);
	ib_dma_sync_single_for_device(t->ibdev, t->dma[i], VT_LEN,
				      DMA_BIDIRECTIONAL);
}

static void vt_clear(struct vt *t, int i)
{
	memset(t->buf[i], 0, VT_LEN);
	ib_dma_sync_single_for_device(t->ibdev, t->dma[i], VT_LEN,
				      DMA_BIDIRECTIONAL);
}

/* two RC QPs of the port connected to each other through its LID */
static void vt_rc_loopback(struct vt *t)
{
	u32 lkey = t->pd->local_dma_lkey, rkey = t->pd->unsafe_global_rkey;
	struct ib_qp *a, *b;
	struct ib_wc wc;
	u32 len = 0;
	int err;

	a = vt_create_qp(t, IB_QPT_RC);
	b = vt_create_qp(t, IB_QPT_RC);
	if (IS_ERR(a) || IS_ERR(b)) {
		vt_check(t, false, "create two RC QPs");
		goto out;
	}
	err = vt_to_init(a) ?: vt_to_init(b) ?:
	      vt_to_rtr(t, a, b->qp_num) ?: vt_to_rtr(t, b, a->qp_num) ?:
	      vt_to_rts(a) ?: vt_to_rts(b);
	vt_check(t, !err, "connect two RC QPs through the port's LID");
	if (err)
		goto out;
	vt_drain(t);

	vt_fill(t, 0);
	vt_clear(t, 1);
	err = vt_recv(b, 0xb1, t->dma[1], VT_LEN, lkey) ?:
	      vt_send(a, IB_WR_SEND, 0xa1, t->dma[0], VT_LEN, lkey, 0, 0);
	vt_check(t, !err && vt_poll_two(t, 0xa1, 0xb1, &len) &&
		 len == VT_LEN && vt_data_equal(t, 0, 1),
		 "RC SEND of 8 KiB arrives intact");

	vt_fill(t, 0);
	vt_clear(t, 1);
	err = vt_send(a, IB_WR_RDMA_WRITE, 0xa2, t->dma[0], VT_LEN, lkey,
		      t->dma[1], rkey);
	vt_check(t, !err && !vt_poll(t, &wc) && wc.wr_id == 0xa2 &&
		 wc.status == IB_WC_SUCCESS && wc.opcode == IB_WC_RDMA_WRITE &&
		 vt_data_equal(t, 0, 1), "RC RDMA WRITE of 8 KiB lands intact");

	vt_fill(t, 1);
	vt_clear(t, 2);
	err = vt_send(a, IB_WR_RDMA_READ, 0xa3, t->dma[2], VT_LEN, lkey,
		      t->dma[1], rkey);
	vt_check(t, !err && !vt_poll(t, &wc) && wc.wr_id == 0xa3 &&
		 wc.status == IB_WC_SUCCESS && wc.opcode == IB_WC_RDMA_READ &&
		 vt_data_equal(t, 1, 2), "RC RDMA READ of 8 KiB reads intact");
out:
	if (!IS_ERR(b))
		ib_destroy_qp(b);
	if (!IS_ERR(a))
		ib_destroy_qp(a);
}

static int vt_setup(struct vt *t)
{
	struct ib_cq_init_attr cq_attr = { .cqe = 256 };
	struct ib_port_attr pattr;
	unsigned long end = jiffies + 20 * HZ;
	int i;

	/* the SM needs a moment after the device appears */
	while (!ib_query_port(t->ibdev, VT_PORT, &pattr) &&
	       pattr.state != IB_PORT_ACTIVE && time_before(jiffies, end))
		msleep(100);
	vt_check(t, pattr.state == IB_PORT_ACTIVE && pattr.lid,
		 "port 1 is ACTIVE with a LID");
	if (pattr.state != IB_PORT_ACTIVE)
		return -ENETDOWN;
	t->lid = pattr.lid;
	t->mtu = pattr.active_mtu;

	t->pd = ib_alloc_pd(t->ibdev, IB_PD_UNSAFE_GLOBAL_RKEY);
	vt_check(t, !IS_ERR(t->pd), "alloc PD with a DMA MR");
	if (IS_ERR(t->pd))
		return PTR_ERR(t->pd);
	t->cq = ib_create_cq(t->ibdev, NULL, NULL, NULL, &cq_attr);
	vt_check(t, !IS_ERR(t->cq), "create CQ");
	if (IS_ERR(t->cq))
		return PTR_ERR(t->cq);
	for (i = 0; i < ARRAY_SIZE(t->buf); i++) {
		t->buf[i] = kzalloc(VT_LEN, GFP_KERNEL);
		if (!t->buf[i])
			return -ENOMEM;
		t->dma[i] = ib_dma_map_single(t->ibdev, t->buf[i], VT_LEN,
					      DMA_BIDIRECTIONAL);
		if (ib_dma_mapping_error(t->ibdev, t->dma[i])) {
			kfree(t->buf[i]);
			t->buf[i] = NULL;
			return -ENOMEM;
		}
	}
	return 0;
}

static void vt_teardown(struct vt *t)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(t->buf); i++) {
		if (!t->buf[i])
			continue;
		ib_dma_unmap_single(t->ibdev, t->dma[i], VT_LEN,
				    DMA_BIDIRECTIONAL);
		kfree(t->buf[i]);
	}
	if (!IS_ERR_OR_NULL(t->cq))
		ib_destroy_cq(t->cq);
	if (!IS_ERR_OR_NULL(t->pd))
		ib_dealloc_pd(t->pd);
}

static int __init vt_init(void)
{
	struct vt *t;
	int ret;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->ibdev = ib_device_get_by_name(dev, RDMA_DRIVER_UNKNOWN);
	if (!t->ibdev) {
		pr_err("no ib_device %s\n", dev);
		kfree(t);
		return -ENODEV;
	}
	pr_info("# testing %s\n", dev);

	if (!vt_setup(t)) {
		vt_transitions(t);
		vt_post_wrong_state(t, IB_QPS_INIT);
		vt_post_wrong_state(t, IB_QPS_RTR);
		vt_ud_bad_lkey(t);
		vt_rc_loopback(t);
	}
	vt_teardown(t);
	ib_device_put(t->ibdev);

	pr_info("1..%d\n", t->n);
	pr_info("# %s: %d passed, %d failed\n", dev, t->n - t->failed,
		t->failed);
	ret = t->failed ? -EINVAL : 0;
	kfree(t);
	return ret;
}

static void __exit vt_exit(void)
{
}

module_init(vt_init);
module_exit(vt_exit);

MODULE_DESCRIPTION("vhca_ib kernel verbs test");
MODULE_LICENSE("GPL");
