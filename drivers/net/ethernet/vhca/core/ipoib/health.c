// SPDX-License-Identifier: GPL-2.0
/*
 * devlink for enhanced IPoIB netdevs: a devlink port per IPoIB netdev
 * (parent and P_Key children; flavour virtual, type eth naming the
 * netdev) with two port health reporters, "tx" and "rx", over the
 * hardware queues that serve it (the uplink's SQs and RQs, shared by the
 * port's IPoIB netdevs):
 *   diagnose  queue state and counters, the netdev's own counters
 *   dump      producer/consumer indices of every queue and its CQ
 *   recover   resets every SQ (tx) or RQ (rx) of the uplink
 *   test      reports an error (from a work item), which devlink
 *             recovers if auto_recover is on (counted)
 *
 * Locking and lifetime. devlink takes the instance lock (devl_lock)
 * before rtnl (reload unregisters netdevs), while netdevs come and go
 * under rtnl (ndo_init/ndo_uninit), so the netdev side never takes the
 * devlink lock: vhca_ipoib_health_init() and vhca_ipoib_health_cleanup()
 * only queue @work, which registers the port, and later unregisters it
 * and frees the object. The work takes rtnl (devlink's port notifications
 * do) only after the devlink lock or with nothing held, and holds a
 * reference on the netdev from registration until it has cleared the
 * port's type; it drops that reference before waiting for the devlink
 * lock, since a reload holding the lock may be waiting for the netdev's
 * references. The health ops run under the devlink lock; @lock makes
 * them see either a live netdev or @dead. vhca_ipoib_health_flush()
 * waits for the works of a device before its devlink instance goes.
 */

#include <linux/idr.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <net/devlink.h>

#include "../vhca_core.h"
#include "ipoib.h"

/* devlink port indexes of IPoIB netdevs (physical ports are 1..) */
#define VHCA_IPOIB_DL_PORT_BASE		1000
#define VHCA_IPOIB_DL_PORT_MAX		0xffff
#define VHCA_IPOIB_FLUSH_TIMEOUT	(30 * HZ)

/**
 * struct vhca_ipoib_health - devlink state of one IPoIB netdev
 * @node: in vhca_ipoib_health_list until freed
 * @cdev: the device (its devlink instance outlives the object, see
 *	vhca_ipoib_health_flush())
 * @port: IB port number of the netdev
 * @ndev: the netdev; set at init, valid until @dead is set
 * @held: the work holds a reference on @ndev (registration to type clear)
 * @lock: protects @dead, @ndev use by the health ops and @registered
 * @dead: the netdev is gone (cleanup ran); the work tears down and frees
 * @registered: @dl_port and the reporters exist
 * @work: registers, and after cleanup unregisters and frees
 * @report_work: reports the error `devlink health test` asked for (the
 *	test op runs with the devlink lock held, which devlink's report
 *	takes to recover)
 * @report_tx: @report_work reports to @tx, else to @rx; under @lock
 * @index: devlink port index
 * @dl_port: the devlink port
 * @tx: the tx reporter
 * @rx: the rx reporter
 */
struct vhca_ipoib_health {
	struct list_head node;
	struct vhca_core_dev *cdev;
	u8 port;
	struct net_device *ndev;
	bool held;
	struct mutex lock;	/* see above */
	bool dead;
	bool registered;
	struct work_struct work;
	struct work_struct report_work;
	bool report_tx;
	int index;
	struct devlink_port dl_port;
	struct devlink_health_reporter *tx;
	struct devlink_health_reporter *rx;
};

static LIST_HEAD(vhca_ipoib_health_list);
static DEFINE_SPINLOCK(vhca_ipoib_health_list_lock);
static DECLARE_WAIT_QUEUE_HEAD(vhca_ipoib_health_freed);
static DEFINE_IDA(vhca_ipoib_health_ida);

/* ---- reporters ---------------------------------------------------- */

/* The uplink of a live netdev, with a reference; NULL once either is
 * gone. Looked up without @lock held: the netdev side may call cleanup
 * (which takes @lock) with the uplink's locks held.
 */
static struct vhca_ipoib_uplink *
vhca_health_uplink(struct vhca_ipoib_health *h)
{
	bool dead;

	mutex_lock(&h->lock);
	dead = h->dead;
	mutex_unlock(&h->lock);
	return dead ? NULL : vhca_ipoib_uplink_get(h->cdev, h->port);
}

/* the netdev's own counters (per-CPU, summed), while it lives */
static int vhca_health_upper_put(struct vhca_ipoib_health *h,
				 struct devlink_fmsg *fmsg, bool tx)
{
	struct vhca_ipoib_upper_stats sum = {};
	struct vhca_ipoib_upper *priv;
	int err = 0;

	mutex_lock(&h->lock);
	if (h->dead) {
		mutex_unlock(&h->lock);
		return -ENODEV;
	}
	priv = vhca_ipoib_upper(h->ndev);
	/* I4-driver: X-macros failed checkpatch; summed by rn.c now */
	vhca_ipoib_upper_stats_sum(priv, &sum);
	err = err ?: devlink_fmsg_string_pair_put(fmsg, "netdev",
						  h->ndev->name);
	err = err ?: devlink_fmsg_u32_pair_put(fmsg, "qpn", priv->qpn);
	err = err ?: devlink_fmsg_bool_pair_put(fmsg, "open",
						test_bit(VHCA_IPOIB_UPPER_OPEN,
							 &priv->state));
	if (tx) {
		err = err ?: devlink_fmsg_u64_pair_put(fmsg, "tx_packets",
						       sum.tx_packets);
		err = err ?: devlink_fmsg_u64_pair_put(fmsg, "tx_dropped",
						       sum.tx_dropped);
		err = err ?: devlink_fmsg_u64_pair_put(fmsg, "tx_meta_cb",
						       sum.tx_meta_cb);
		err = err ?: devlink_fmsg_u64_pair_put(fmsg, "tx_meta_header",
						       sum.tx_meta_header);
		err = err ?: devlink_fmsg_u64_pair_put(fmsg,
						       "tx_meta_metadata",
						       sum.tx_meta_metadata);
	} else {
		err = err ?: devlink_fmsg_u64_pair_put(fmsg, "rx_packets",
						       sum.rx_packets);
		err = err ?: devlink_fmsg_u64_pair_put(fmsg, "rx_dropped",
						       sum.rx_dropped);
	}
	mutex_unlock(&h->lock);
	return err;
}

static int vhca_health_cq_put(struct devlink_fmsg *fmsg,
			      const struct vhca_ipoib_cq *cq)
{
	int err;

	err = devlink_fmsg_pair_nest_start(fmsg, "cq");
	err = err ?: devlink_fmsg_obj_nest_start(fmsg);
	err = err ?: devlink_fmsg_u32_pair_put(fmsg, "cqn", cq->cqn);
	err = err ?: devlink_fmsg_u32_pair_put(fmsg, "size",
					       1U << cq->log_size);
	err = err ?: devlink_fmsg_u32_pair_put(fmsg, "ci", READ_ONCE(cq->ci));
	err = err ?: devlink_fmsg_obj_nest_end(fmsg);
	return err ?: devlink_fmsg_pair_nest_end(fmsg);
}

static int vhca_health_sq_put(struct devlink_fmsg *fmsg,
			      const struct vhca_ipoib_sq *sq, unsigned int q,
			      bool dump)
{
	int err;

	err = devlink_fmsg_obj_nest_start(fmsg);
	err = err ?: devlink_fmsg_u32_pair_put(fmsg, "channel", q);
	err = err ?: devlink_fmsg_u32_pair_put(fmsg, "sqn", sq->qpn);
	err = err ?: devlink_fmsg_u32_pair_put(fmsg, "size", sq->cnt);
	err = err ?: devlink_fmsg_u32_pair_put(fmsg, "pc", READ_ONCE(sq->pc));
	err = err ?: devlink_fmsg_u32_pair_put(fmsg, "cc", READ_ONCE(sq->cc));
	if (dump) {
		err = err ?: devlink_fmsg_u32_pair_put(fmsg, "dma_pc",
						       READ_ONCE(sq->dma_pc));
		err = err ?: devlink_fmsg_u32_pair_put(fmsg, "dma_cc",
						       READ_ONCE(sq->dma_cc));
		err = err ?: devlink_fmsg_u32_pair_put(fmsg, "dbr",
						       be32_to_cpu(sq->dbr[VHCA_DBR_SEND]));
	} else {
		err = err ?: devlink_fmsg_bool_pair_put(fmsg, "enabled",
							test_bit(VHCA_IPOIB_SQ_ENABLED,
								 &sq->state));
		err = err ?: devlink_fmsg_bool_pair_put(fmsg, "error",
							test_bit(VHCA_IPOIB_SQ_ERR,
								 &sq->state));
		err = err ?: devlink_fmsg_bool_pair_put(fmsg, "stopped",
							netif_xmit_stopped(sq->txq));
		err = err ?: devlink_fmsg_u64_pair_put(fmsg, "packets",
						       READ_ONCE(sq->stats.packets));
		err = err ?: devlink_fmsg_u64_pair_put(fmsg, "lso",
						       READ_ONCE(sq->stats.lso));
		err = err ?: devlink_fmsg_u64_pair_put(fmsg, "dropped",
						       READ_ONCE(sq->stats.dropped));
		err = err ?: devlink_fmsg_u64_pair_put(fmsg, "cqe_err",
						       READ_ONCE(sq->stats.cqe_err));
		err = err ?: devlink_fmsg_u64_pair_put(fmsg, "timeout",
						       READ_ONCE(sq->stats.timeout));
		err = err ?: devlink_fmsg_u64_pair_put(fmsg, "recover",
						       READ_ONCE(sq->stats.recover));
	}
	err = err ?: vhca_health_cq_put(fmsg, &sq->cq);
	return err ?: devlink_fmsg_obj_nest_end(fmsg);
}

static int vhca_health_rq_put(struct devlink_fmsg *fmsg,
			      const struct vhca_ipoib_rq *rq, unsigned int q,
			      bool dump)
{
	int err;

	err = devlink_fmsg_obj_nest_start(fmsg);
	err = err ?: devlink_fmsg_u32_pair_put(fmsg, "channel", q);
	err = err ?: devlink_fmsg_u32_pair_put(fmsg, "rqn", rq->qpn);
	err = err ?: devlink_fmsg_u32_pair_put(fmsg, "size", rq->cnt);
	err = err ?: devlink_fmsg_u32_pair_put(fmsg, "pc", READ_ONCE(rq->pc));
	err = err ?: devlink_fmsg_u32_pair_put(fmsg, "cc", READ_ONCE(rq->cc));
	if (dump) {
		err = err ?: devlink_fmsg_u32_pair_put(fmsg, "dbr",
						       be32_to_cpu(rq->dbr[VHCA_DBR_RECV]));
	} else {
		err = err ?: devlink_fmsg_u32_pair_put(fmsg, "posted",
						       READ_ONCE(rq->pc) -
						       READ_ONCE(rq->cc));
		err = err ?: devlink_fmsg_u64_pair_put(fmsg, "packets",
						       READ_ONCE(rq->stats.packets));
		err = err ?: devlink_fmsg_u64_pair_put(fmsg, "dropped",
						       READ_ONCE(rq->stats.dropped));
		err = err ?: devlink_fmsg_u64_pair_put(fmsg, "alloc_fail",
						       READ_ONCE(rq->stats.alloc_fail));
		err = err ?: devlink_fmsg_u64_pair_put(fmsg, "cqe_err",
						       READ_ONCE(rq->stats.cqe_err));
		err = err ?: devlink_fmsg_u64_pair_put(fmsg, "recover",
						       READ_ONCE(rq->stats.recover));
	}
	err = err ?: vhca_health_cq_put(fmsg, &rq->cq);
	return err ?: devlink_fmsg_obj_nest_end(fmsg);
}

/* the uplink's queues of one direction, as an array "sqs" or "rqs" */
static int vhca_health_queues_put(struct vhca_ipoib_uplink *up,
				  struct devlink_fmsg *fmsg, bool tx, bool dump)
{
	enum vhca_tx_meta_storage mode;
	unsigned int q;
	int err;

	mutex_lock(&up->mutex);
	err = devlink_fmsg_string_pair_put(fmsg, "uplink", up->netdev->name);
	mode = vhca_core_tx_meta_storage(up->cdev);
	err = err ?: devlink_fmsg_string_pair_put(fmsg, "tx_meta_storage",
						  vhca_tx_meta_storage_name(mode));
	err = err ?: devlink_fmsg_u32_pair_put(fmsg, "channels",
					       up->params.num_channels);
	err = err ?: devlink_fmsg_arr_pair_nest_start(fmsg, tx ? "sqs" : "rqs");
	for (q = 0; !err && up->ch && q < up->params.num_channels; q++) {
		if (tx)
			err = vhca_health_sq_put(fmsg, &up->ch[q]->sq, q, dump);
		else
			err = vhca_health_rq_put(fmsg, &up->ch[q]->rq, q, dump);
	}
	err = err ?: devlink_fmsg_arr_pair_nest_end(fmsg);
	if (tx && !dump) {
		err = err ?: devlink_fmsg_pair_nest_start(fmsg, "drops");
		err = err ?: devlink_fmsg_obj_nest_start(fmsg);
		for (q = 0; !err && q < VHCA_IPOIB_DROP_NUM; q++)
			err = devlink_fmsg_u64_pair_put(fmsg,
							vhca_ipoib_drop_names[q],
							atomic64_read(&up->drops[q]));
		err = err ?: devlink_fmsg_obj_nest_end(fmsg);
		err = err ?: devlink_fmsg_pair_nest_end(fmsg);
	}
	mutex_unlock(&up->mutex);
	return err;
}

static int vhca_health_show(struct devlink_health_reporter *reporter,
			    struct devlink_fmsg *fmsg, bool tx, bool dump)
{
	struct vhca_ipoib_health *h = devlink_health_reporter_priv(reporter);
	struct vhca_ipoib_uplink *up;
	int err;

	up = vhca_health_uplink(h);
	if (!up)
		return -ENODEV;
	err = vhca_health_upper_put(h, fmsg, tx);
	err = err ?: vhca_health_queues_put(up, fmsg, tx, dump);
	vhca_ipoib_uplink_put(up);
	return err;
}

/* reset every queue of one direction; the first error is returned */
static int vhca_health_recover(struct devlink_health_reporter *reporter,
			       bool tx, struct netlink_ext_ack *extack)
{
	struct vhca_ipoib_health *h = devlink_health_reporter_priv(reporter);
	struct vhca_ipoib_uplink *up;
	unsigned int q, n;
	int err = 0, e;

	up = vhca_health_uplink(h);
	if (!up)
		return -ENODEV;
	mutex_lock(&up->mutex);
	n = up->params.num_channels;
	mutex_unlock(&up->mutex);
	/* the recover functions take the uplink mutex themselves */
	for (q = 0; q < n; q++) {
		e = tx ? vhca_ipoib_sq_recover(up, q) :
			 vhca_ipoib_rq_recover(up, q);
		if (e && !err)
			err = e;
	}
	vhca_ipoib_uplink_put(up);
	if (err)
		NL_SET_ERR_MSG_MOD(extack, "queue reset failed");
	return err;
}

static int vhca_health_tx_diagnose(struct devlink_health_reporter *reporter,
				   struct devlink_fmsg *fmsg,
				   struct netlink_ext_ack *extack)
{
	return vhca_health_show(reporter, fmsg, true, false);
}

static int vhca_health_rx_diagnose(struct devlink_health_reporter *reporter,
				   struct devlink_fmsg *fmsg,
				   struct netlink_ext_ack *extack)
{
	return vhca_health_show(reporter, fmsg, false, false);
}

static int vhca_health_tx_dump(struct devlink_health_reporter *reporter,
			       struct devlink_fmsg *fmsg, void *priv_ctx,
			       struct netlink_ext_ack *extack)
{
	return vhca_health_show(reporter, fmsg, true, true);
}

static int vhca_health_rx_dump(struct devlink_health_reporter *reporter,
			       struct devlink_fmsg *fmsg, void *priv_ctx,
			       struct netlink_ext_ack *extack)
{
	return vhca_health_show(reporter, fmsg, false, true);
}

static int vhca_health_tx_recover(struct devlink_health_reporter *reporter,
				  void *priv_ctx,
				  struct netlink_ext_ack *extack)
{
	return vhca_health_recover(reporter, true, extack);
}

static int vhca_health_rx_recover(struct devlink_health_reporter *reporter,
				  void *priv_ctx,
				  struct netlink_ext_ack *extack)
{
	return vhca_health_recover(reporter, false, extack);
}

/* `devlink health test`: an error report, which devlink recovers if
 * auto_recover is on. Reported from a work item: this op runs with the
 * devlink lock held, and devlink_health_report() takes it to recover.
 */
static int vhca_health_test(struct devlink_health_reporter *reporter,
			    struct netlink_ext_ack *extack)
{
	struct vhca_ipoib_health *h = devlink_health_reporter_priv(reporter);
	int err = 0;

	mutex_lock(&h->lock);
	if (h->dead) {
		err = -ENODEV;
	} else {
		h->report_tx = reporter == h->tx;
		queue_work(system_wq, &h->report_work);
	}
	mutex_unlock(&h->lock);
	return err;
}

static void vhca_health_report_work(struct work_struct *work)
{
	struct vhca_ipoib_health *h =
		container_of(work, struct vhca_ipoib_health, report_work);
	struct devlink_health_reporter *reporter = NULL;

	mutex_lock(&h->lock);
	if (!h->dead && h->registered)
		reporter = h->report_tx ? h->tx : h->rx;
	mutex_unlock(&h->lock);
	/* the teardown cancels this work before destroying the reporters */
	if (reporter)
		devlink_health_report(reporter,
				      "test error requested by the user",
				      NULL);
}

static const struct devlink_health_reporter_ops vhca_health_tx_ops = {
	.name = "tx",
	.diagnose = vhca_health_tx_diagnose,
	.dump = vhca_health_tx_dump,
	.recover = vhca_health_tx_recover,
	.test = vhca_health_test,
};

static const struct devlink_health_reporter_ops vhca_health_rx_ops = {
	.name = "rx",
	.diagnose = vhca_health_rx_diagnose,
	.dump = vhca_health_rx_dump,
	.recover = vhca_health_rx_recover,
	.test = vhca_health_test,
};

/* ---- the devlink port --------------------------------------------- */

/* With the devlink lock: the port, its type and its reporters. */
static void vhca_health_register(struct vhca_ipoib_health *h)
{
	struct devlink_port_attrs attrs = {
		.flavour = DEVLINK_PORT_FLAVOUR_VIRTUAL,
	};
	struct devlink *devlink = h->cdev->devlink;
	struct net_device *ndev = NULL;
	int err;

	devlink_port_attrs_set(&h->dl_port, &attrs);
	err = devl_port_register(devlink, &h->dl_port, h->index);
	if (err)
		goto err_log;
	/* the netdev cannot be uninitialized while rtnl is held */
	rtnl_lock();
	mutex_lock(&h->lock);
	if (!h->dead) {
		ndev = h->ndev;
		dev_hold(ndev);
		h->held = true;
	}
	mutex_unlock(&h->lock);
	rtnl_unlock();
	if (!ndev) {
		devl_port_unregister(&h->dl_port);
		return;
	}
	/* takes rtnl for its notification */
	devlink_port_type_eth_set(&h->dl_port, ndev);

	h->tx = devlink_port_health_reporter_create(&h->dl_port,
						    &vhca_health_tx_ops, 0, h);
	if (IS_ERR(h->tx)) {
		err = PTR_ERR(h->tx);
		goto err_clear;
	}
	h->rx = devlink_port_health_reporter_create(&h->dl_port,
						    &vhca_health_rx_ops, 0, h);
	if (IS_ERR(h->rx)) {
		err = PTR_ERR(h->rx);
		goto err_destroy_tx;
	}
	mutex_lock(&h->lock);
	h->registered = true;
	mutex_unlock(&h->lock);
	return;

err_destroy_tx:
	devlink_port_health_reporter_destroy(h->tx);
err_clear:
	devlink_port_type_clear(&h->dl_port);
	devl_port_unregister(&h->dl_port);
	mutex_lock(&h->lock);
	h->held = false;
	mutex_unlock(&h->lock);
	dev_put(ndev);
err_log:
	dev_warn(h->cdev->dev, "no devlink port for an IPoIB netdev: %d\n",
		 err);
}

static void vhca_health_free(struct vhca_ipoib_health *h)
{
	spin_lock(&vhca_ipoib_health_list_lock);
	list_del(&h->node);
	spin_unlock(&vhca_ipoib_health_list_lock);
	ida_free(&vhca_ipoib_health_ida, h->index);
	mutex_destroy(&h->lock);
	kfree(h);
	wake_up_all(&vhca_ipoib_health_freed);
}

static void vhca_health_work(struct work_struct *work)
{
	struct vhca_ipoib_health *h =
		container_of(work, struct vhca_ipoib_health, work);
	struct devlink *devlink = h->cdev->devlink;
	struct net_device *put = NULL;
	bool dead, registered;

	mutex_lock(&h->lock);
	dead = h->dead;
	registered = h->registered;
	if (dead && h->held) {
		put = h->ndev;
		h->held = false;
	}
	mutex_unlock(&h->lock);

	/* cleanup set @dead first: the test op queues no report any more */
	if (dead)
		cancel_work_sync(&h->report_work);
	if (put) {
		/* before the devlink lock: a reload holding it may be
		 * waiting for this netdev's last reference
		 */
		devlink_port_type_clear(&h->dl_port);
		dev_put(put);
	}
	devl_lock(devlink);
	if (!dead && !registered)
		vhca_health_register(h);
	if (dead && registered) {
		devlink_port_health_reporter_destroy(h->rx);
		devlink_port_health_reporter_destroy(h->tx);
		devl_port_unregister(&h->dl_port);
	}
	devl_unlock(devlink);
	/* cleanup that ran meanwhile queued the work again */
	if (dead)
		vhca_health_free(h);
}

/**
 * vhca_ipoib_health_init() - give an IPoIB netdev a devlink port
 * @ndev: the netdev, from its ndo_init (rtnl held)
 *
 * The port and its reporters appear shortly after, from a work item.
 *
 * Return: 0 or -ENOMEM.
 */
int vhca_ipoib_health_init(struct net_device *ndev)
{
	struct vhca_ipoib_upper *priv = vhca_ipoib_upper(ndev);
	struct vhca_ipoib_health *h;

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->index = ida_alloc_range(&vhca_ipoib_health_ida,
				   VHCA_IPOIB_DL_PORT_BASE,
				   VHCA_IPOIB_DL_PORT_MAX, GFP_KERNEL);
	if (h->index < 0) {
		kfree(h);
		return -ENOMEM;
	}
	h->cdev = priv->up->cdev;
	h->port = priv->up->port;
	h->ndev = ndev;
	mutex_init(&h->lock);
	INIT_WORK(&h->work, vhca_health_work);
	INIT_WORK(&h->report_work, vhca_health_report_work);
	spin_lock(&vhca_ipoib_health_list_lock);
	list_add_tail(&h->node, &vhca_ipoib_health_list);
	spin_unlock(&vhca_ipoib_health_list_lock);
	priv->health = h;
	queue_work(system_wq, &h->work);
	return 0;
}

/**
 * vhca_ipoib_health_cleanup() - the IPoIB netdev is going away
 * @ndev: the netdev, from its ndo_uninit (rtnl held), before its
 *	private data is torn down
 *
 * From here on the health ops see no netdev; the port goes away shortly
 * after, from the work item (never waited for here).
 */
void vhca_ipoib_health_cleanup(struct net_device *ndev)
{
	struct vhca_ipoib_upper *priv = vhca_ipoib_upper(ndev);
	struct vhca_ipoib_health *h = priv->health;

	if (!h)
		return;
	mutex_lock(&h->lock);
	h->dead = true;
	mutex_unlock(&h->lock);
	priv->health = NULL;
	queue_work(system_wq, &h->work);
}

static bool vhca_health_pending(struct vhca_core_dev *cdev)
{
	struct vhca_ipoib_health *h;
	bool found = false;

	spin_lock(&vhca_ipoib_health_list_lock);
	list_for_each_entry(h, &vhca_ipoib_health_list, node) {
		if (h->cdev == cdev) {
			found = true;
			break;
		}
	}
	spin_unlock(&vhca_ipoib_health_list_lock);
	return found;
}

/**
 * vhca_ipoib_health_flush() - wait until a device has no IPoIB devlink
 *	ports left
 * @cdev: the device, whose IPoIB netdevs are all gone
 *
 * Call before its devlink instance is freed, without the devlink lock.
 */
void vhca_ipoib_health_flush(struct vhca_core_dev *cdev)
{
	if (!wait_event_timeout(vhca_ipoib_health_freed,
				!vhca_health_pending(cdev),
				VHCA_IPOIB_FLUSH_TIMEOUT))
		dev_warn(cdev->dev, "IPoIB devlink ports still pending\n");
}
