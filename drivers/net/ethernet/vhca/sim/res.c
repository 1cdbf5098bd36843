// SPDX-License-Identifier: GPL-2.0
/*
 * The data-path object tables of a device: their lifetime, the lockless
 * lookups the engines use, and the `resources` dump.
 *
 * Every table is an xarray. The command worker (under cmd.mutex) is the
 * only writer; it reserves an index first and stores the object only once
 * it is complete, so a lockless reader (RCU) never sees a half-built one.
 * QPs are also reference counted, because the engines hold them across
 * packets: a lookup takes a reference unless the QP is already dying.
 */

#include <linux/seq_file.h>
#include <linux/slab.h>

#include "res.h"

/**
 * vhca_sim_res_init - allocate a new device's object tables
 * @sdev: the device
 *
 * Return: 0 or -ENOMEM.
 */
int vhca_sim_res_init(struct vhca_sim_dev *sdev)
{
	struct vhca_sim_res *res;

	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!res)
		return -ENOMEM;
	res->wq = alloc_workqueue("vhca_sim%u_eng", WQ_UNBOUND | WQ_HIGHPRI,
				  0, sdev->bdev.id);
	if (!res->wq) {
		kfree(res);
		return -ENOMEM;
	}
	xa_init_flags(&res->pds, XA_FLAGS_ALLOC1);
	xa_init_flags(&res->mkeys, XA_FLAGS_ALLOC1);
	xa_init_flags(&res->cqs, XA_FLAGS_ALLOC1);
	xa_init_flags(&res->srqs, XA_FLAGS_ALLOC1);
	xa_init_flags(&res->qps, XA_FLAGS_ALLOC);
	spin_lock_init(&res->mcg_lock);
	INIT_LIST_HEAD(&res->mcgs);
	atomic64_set(&res->uar_bad_doorbells, 0);
	res->next_qpn = VHCA_SIM_FIRST_QPN;
	sdev->res = res;
	return 0;
}

/**
 * vhca_sim_res_uninit - free a device's object tables
 * @sdev: the device; its command worker stopped
 *
 * Destroys whatever the driver left behind first.
 */
void vhca_sim_res_uninit(struct vhca_sim_dev *sdev)
{
	struct vhca_sim_res *res = sdev->res;

	if (!res)
		return;
	mutex_lock(&sdev->cmd.mutex);
	vhca_sim_res_destroy_all(sdev);
	mutex_unlock(&sdev->cmd.mutex);
	destroy_workqueue(res->wq);
	xa_destroy(&res->qps);
	xa_destroy(&res->srqs);
	xa_destroy(&res->cqs);
	xa_destroy(&res->mkeys);
	xa_destroy(&res->pds);
	/* lockless readers of the objects finish before the tables go */
	rcu_barrier();
	sdev->res = NULL;
	kfree(res);
}

/**
 * vhca_sim_res_destroy_all - destroy every data-path object
 * @sdev: the device, cmd.mutex held
 *
 * TEARDOWN_HCA force and device removal. Users go before what they use:
 * QPs (and their multicast attachments), SRQs, CQs, keys, PDs, UARs.
 */
void vhca_sim_res_destroy_all(struct vhca_sim_dev *sdev)
{
	struct vhca_sim_res *res = sdev->res;
	struct vhca_sim_mkey *mkey;
	struct vhca_sim_srq *srq;
	struct vhca_sim_qp *qp;
	struct vhca_sim_cq *cq;
	struct vhca_sim_pd *pd;
	unsigned long idx;

	lockdep_assert_held(&sdev->cmd.mutex);

	/* no RSS table may name a QP destroyed before the table's */
	xa_for_each(&res->qps, idx, qp)
		vhca_sim_rss_clear(sdev, qp);
	xa_for_each(&res->qps, idx, qp)
		vhca_sim_qp_destroy(sdev, qp);
	xa_for_each(&res->srqs, idx, srq)
		vhca_sim_srq_destroy(sdev, srq);
	xa_for_each(&res->cqs, idx, cq)
		vhca_sim_cq_destroy(sdev, cq);
	xa_for_each(&res->mkeys, idx, mkey)
		vhca_sim_mkey_destroy(sdev, mkey);
	xa_for_each(&res->pds, idx, pd)
		vhca_sim_pd_destroy(sdev, pd);
	bitmap_zero(res->uars, 1 << VHCA_MAX_LOG_UAR);
	memset(res->uar_users, 0, sizeof(res->uar_users));
}

static unsigned int vhca_sim_xa_count(struct xarray *xa)
{
	unsigned int n = 0;
	unsigned long idx;
	void *entry;

	xa_for_each(xa, idx, entry)
		n++;
	return n;
}

/**
 * vhca_sim_res_count - data-path objects that exist
 * @sdev: the device, cmd.mutex held
 *
 * Return: PDs, UARs, keys, CQs, SRQs and QPs, together.
 */
unsigned int vhca_sim_res_count(struct vhca_sim_dev *sdev)
{
	struct vhca_sim_res *res = sdev->res;

	lockdep_assert_held(&sdev->cmd.mutex);
	return vhca_sim_xa_count(&res->pds) +
	       bitmap_weight(res->uars, 1 << VHCA_MAX_LOG_UAR) +
	       vhca_sim_xa_count(&res->mkeys) +
	       vhca_sim_xa_count(&res->cqs) +
	       vhca_sim_xa_count(&res->srqs) +
	       vhca_sim_xa_count(&res->qps);
}

static struct vhca_sim_qp *vhca_sim_qp_tryget(struct vhca_sim_qp *qp)
{
	if (qp && !refcount_inc_not_zero(&qp->ref))
		return NULL;
	return qp;
}

/**
 * vhca_sim_qp_get - look up a QP by its device QPN and reference it
 * @sdev: the device
 * @qpn: device QPN
 *
 * Any non-hardirq context.
 *
 * Return: the QP (vhca_sim_qp_put() it), or NULL if there is none or it
 * is being destroyed.
 */
struct vhca_sim_qp *vhca_sim_qp_get(struct vhca_sim_dev *sdev, u32 qpn)
{
	struct vhca_sim_qp *qp;

	rcu_read_lock();
	qp = vhca_sim_qp_tryget(xa_load(&sdev->res->qps, qpn));
	rcu_read_unlock();
	return qp;
}

/**
 * vhca_sim_qp_get_wire - look up the QP a packet's destination QPN names
 * @sdev: the device
 * @port: the port the packet arrived on (1-based)
 * @wire_qpn: BTH destination QP: 0 and 1 are the port's SMI and GSI
 *
 * Return: the referenced QP, or NULL.
 */
struct vhca_sim_qp *vhca_sim_qp_get_wire(struct vhca_sim_dev *sdev, u8 port,
					 u32 wire_qpn)
{
	struct vhca_sim_res *res = sdev->res;
	struct vhca_sim_qp *qp;

	rcu_read_lock();
	if (wire_qpn <= VHCA_QPN_GSI) {
		qp = NULL;
		if (port >= 1 && port <= sdev->bdev.num_ports)
			qp = rcu_dereference(res->special[port - 1][wire_qpn]);
	} else {
		qp = xa_load(&res->qps, wire_qpn);
		/* the special QPs answer only to wire QPNs 0 and 1 */
		if (qp && (qp->type == VHCA_QPT_SMI ||
			   qp->type == VHCA_QPT_GSI))
			qp = NULL;
	}
	qp = vhca_sim_qp_tryget(qp);
	rcu_read_unlock();
	return qp;
}

/**
 * vhca_sim_qp_put - drop a reference vhca_sim_qp_get*() took
 * @qp: the QP
 *
 * Any context. The last one lets DESTROY_QP finish.
 */
void vhca_sim_qp_put(struct vhca_sim_qp *qp)
{
	if (refcount_dec_and_test(&qp->ref))
		complete(&qp->free_done);
}

/**
 * vhca_sim_qp_wire_qpn - the QPN a QP's packets carry as source
 * @qp: the QP
 *
 * Return: 0 for SMI, 1 for GSI, else the device QPN.
 */
u32 vhca_sim_qp_wire_qpn(const struct vhca_sim_qp *qp)
{
	switch (qp->type) {
	case VHCA_QPT_SMI:
		return VHCA_QPN_SMI;
	case VHCA_QPT_GSI:
		return VHCA_QPN_GSI;
	default:
		return qp->qpn;
	}
}

static const char *vhca_sim_qp_type_name(u8 type)
{
	switch (type) {
	case VHCA_QPT_RC:
		return "RC";
	case VHCA_QPT_UC:
		return "UC";
	case VHCA_QPT_UD:
		return "UD";
	case VHCA_QPT_SMI:
		return "SMI";
	case VHCA_QPT_GSI:
		return "GSI";
	}
	return "?";
}

static const char *vhca_sim_qp_state_name(u8 state)
{
	static const char * const names[] = {
		[VHCA_QPS_RESET] = "RESET",
		[VHCA_QPS_INIT] = "INIT",
		[VHCA_QPS_RTR] = "RTR",
		[VHCA_QPS_RTS] = "RTS",
		[VHCA_QPS_SQD] = "SQD",
		[VHCA_QPS_SQE] = "SQE",
		[VHCA_QPS_ERR] = "ERR",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "?";
}

static void vhca_sim_qp_show(struct vhca_sim_dev *sdev, struct seq_file *m,
			     struct vhca_sim_qp *qp)
{
	struct vhca_sim_qp_ofld o;
	u16 pi, ci, cc;
	u8 state, port;

	spin_lock_bh(&qp->lock);
	state = qp->state;
	port = qp->port;
	pi = qp->req.pi;
	ci = qp->req.ci;
	cc = qp->req.cc;
	o = qp->ofld;
	spin_unlock_bh(&qp->lock);
	seq_printf(m, "qp %u: type %s%s%s state %s port %u sq pi %u ci %u cc %u rq_ci %u bad_doorbells %llu\n",
		   qp->qpn, vhca_sim_qp_type_name(qp->type),
		   qp->flags & VHCA_QP_F_TX_MUX ? " tx_mux" : "",
		   qp->flags & VHCA_QP_F_RQ_ONLY ? " rq_only" : "",
		   vhca_sim_qp_state_name(state), port, pi, ci, cc,
		   READ_ONCE(qp->rq_ci), READ_ONCE(qp->bad_doorbells));
	if (qp->type == VHCA_QPT_UD)
		seq_printf(m, "  offload: tx_csum %llu tx_csum_bad %llu tx_lso %llu tx_lso_pkts %llu rx_csum_ok %llu rx_csum_bad %llu rx_rss %llu rss_users %u\n",
			   o.tx_csum, o.tx_csum_bad, o.tx_lso, o.tx_lso_pkts,
			   o.rx_csum_ok, o.rx_csum_bad, o.rx_rss,
			   qp->rss_users);
	vhca_sim_rss_show(sdev, qp, m);
}

static void vhca_sim_cq_show(struct seq_file *m, struct vhca_sim_cq *cq)
{
	static const char * const arms[] = { "no", "next", "sol" };
	unsigned long flags;
	u64 overruns, events, bad;
	u32 pi, ci;
	bool error;
	u8 arm;

	spin_lock_irqsave(&cq->lock, flags);
	pi = cq->pi;
	ci = cq->ci;
	arm = cq->arm;
	error = cq->error;
	overruns = cq->overruns;
	events = cq->events;
	bad = cq->bad_doorbells;
	spin_unlock_irqrestore(&cq->lock, flags);
	seq_printf(m, "cq %u: size %lu eq %u pi %u ci %u arm %s%s overruns %llu events %llu bad_doorbells %llu\n",
		   cq->cqn, BIT(cq->log_size), cq->eqn, pi, ci,
		   arm < ARRAY_SIZE(arms) ? arms[arm] : "?",
		   error ? " error" : "", overruns, events, bad);
}

/**
 * vhca_sim_res_show - the `resources` debugfs file
 * @sdev: the device
 * @m: the file
 *
 * Object counts, then one line per QP and per CQ.
 */
void vhca_sim_res_show(struct vhca_sim_dev *sdev, struct seq_file *m)
{
	struct vhca_sim_res *res = sdev->res;
	struct vhca_sim_qp *qp;
	struct vhca_sim_cq *cq;
	unsigned int mcgs;
	unsigned long idx;

	mutex_lock(&sdev->cmd.mutex);
	spin_lock_bh(&res->mcg_lock);
	mcgs = res->num_mcgs;
	spin_unlock_bh(&res->mcg_lock);
	seq_printf(m, "pds: %u\n", vhca_sim_xa_count(&res->pds));
	seq_printf(m, "uars: %u\n",
		   bitmap_weight(res->uars, 1 << VHCA_MAX_LOG_UAR));
	seq_printf(m, "mkeys: %u\n", vhca_sim_xa_count(&res->mkeys));
	seq_printf(m, "mtt_used: %u\n", res->mtt_used);
	seq_printf(m, "cqs: %u\n", vhca_sim_xa_count(&res->cqs));
	seq_printf(m, "srqs: %u\n", vhca_sim_xa_count(&res->srqs));
	seq_printf(m, "qps: %u\n", vhca_sim_xa_count(&res->qps));
	seq_printf(m, "mcgs: %u\n", mcgs);
	seq_printf(m, "uar_bad_doorbells: %lld\n",
		   (s64)atomic64_read(&res->uar_bad_doorbells));
	xa_for_each(&res->qps, idx, qp)
		vhca_sim_qp_show(sdev, m, qp);
	xa_for_each(&res->cqs, idx, cq)
		vhca_sim_cq_show(m, cq);
	mutex_unlock(&sdev->cmd.mutex);
}
