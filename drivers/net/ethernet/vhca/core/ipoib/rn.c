// SPDX-License-Identifier: GPL-2.0
/*
 * The rdma_netdev stock ib_ipoib drives in enhanced mode (parent and P_Key
 * children alike): vhca_ib's rdma_netdev_get_params returns
 * vhca_ipoib_rn_get_params(), ib_ipoib allocates the netdev with our
 * priv size and queue counts and calls vhca_ipoib_rn_init(), which
 * installs the ops ib_ipoib then reaches through priv->rn_ops:
 *
 *   ndo_init/uninit   the addressed UD QP (its QPN is the IPoIB address)
 *   ndo_open/stop     QP to RTS with the P_Key index of set_id, RSS onto
 *                     the uplink's RQs, RX demux entry; stop undoes it and
 *                     waits for the WQEs that still name the QP
 *   rn->send          a handle for (AV, DQPN, Q_Key, P_Key index, QPN)
 *                     attached as tx_meta_storage says, dev_queue_xmit()
 *                     on the uplink
 *   attach/detach_mcast  ATTACH_MCG/DETACH_MCG of the addressed QP, Q_Key
 *   tx_timeout        recovers the uplink SQs that are stuck or failed
 *
 * The upper device is queueless (IFF_NO_QUEUE): qdisc, BQL and XPS are
 * the uplink's (ARCHITECTURE.md section 8).
 */

#include <linux/etherdevice.h>
#include <linux/export.h>
#include <linux/netdevice.h>
#include <net/dst_metadata.h>

#include "ipoib.h"

/* features the device's UD offloads make honest */
static netdev_features_t vhca_ipoib_hw_features(struct vhca_core_dev *cdev)
{
	u32 flags = be32_to_cpu(cdev->cap.flags);
	netdev_features_t f = NETIF_F_SG;

	if (flags & VHCA_CAP_FLAG_UD_CSUM)
		f |= NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM | NETIF_F_RXCSUM;
	if ((flags & VHCA_CAP_FLAG_UD_LSO) && (flags & VHCA_CAP_FLAG_UD_CSUM))
		f |= NETIF_F_TSO | NETIF_F_TSO6;
	if (flags & VHCA_CAP_FLAG_RSS)
		f |= NETIF_F_RXHASH;
	return f;
}

/* ------------------------------------------------------------------ */
/* Data path                                                           */
/* ------------------------------------------------------------------ */

static void vhca_ipoib_upper_count_tx(struct vhca_ipoib_upper *priv,
				      unsigned int len, bool ok,
				      enum vhca_tx_meta_storage mode)
{
	struct vhca_ipoib_upper_stats *st = this_cpu_ptr(priv->stats);

	u64_stats_update_begin(&st->syncp);
	if (ok) {
		st->tx_packets++;
		st->tx_bytes += len;
		if (mode == VHCA_TX_META_CB)
			st->tx_meta_cb++;
		else if (mode == VHCA_TX_META_HEADER)
			st->tx_meta_header++;
		else
			st->tx_meta_metadata++;
	} else {
		st->tx_dropped++;
	}
	u64_stats_update_end(&st->syncp);
}

/* hand one skb (not to be segmented on the way) to the uplink */
static void vhca_ipoib_send_one(struct vhca_ipoib_upper *priv,
				struct sk_buff *skb,
				const struct vhca_ipoib_handle_key *key,
				enum vhca_tx_meta_storage mode)
{
	struct vhca_ipoib_uplink *up = priv->up;
	unsigned int len = skb->len;
	int ret;

	if (vhca_ipoib_meta_attach(priv, skb, key, mode)) {
		dev_kfree_skb_any(skb);
		vhca_ipoib_upper_count_tx(priv, len, false, mode);
		return;
	}
	skb->dev = up->netdev;
	ret = dev_queue_xmit(skb);
	if (unlikely(net_xmit_eval(ret))) {
		vhca_ipoib_drop(up, VHCA_IPOIB_DROP_XMIT);
		vhca_ipoib_upper_count_tx(priv, len, false, mode);
		return;
	}
	vhca_ipoib_upper_count_tx(priv, len, true, mode);
}

/* cb mode and a GSO skb the uplink would segment: GSO would write over
 * the cb, so segment here, before the metadata is attached.
 */
static void vhca_ipoib_send_segmented(struct vhca_ipoib_upper *priv,
				      struct sk_buff *skb,
				      const struct vhca_ipoib_handle_key *key)
{
	struct vhca_ipoib_upper_stats *st;
	struct sk_buff *segs, *seg, *next;

	segs = skb_gso_segment(skb, priv->up->netdev->features &
				    ~NETIF_F_GSO_MASK);
	if (IS_ERR_OR_NULL(segs)) {
		vhca_ipoib_drop(priv->up, VHCA_IPOIB_DROP_CB_GSO);
		vhca_ipoib_upper_count_tx(priv, skb->len, false,
					  VHCA_TX_META_CB);
		dev_kfree_skb_any(skb);
		return;
	}
	consume_skb(skb);
	st = this_cpu_ptr(priv->stats);
	u64_stats_update_begin(&st->syncp);
	st->tx_gso_segmented++;
	u64_stats_update_end(&st->syncp);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		vhca_ipoib_send_one(priv, seg, key, VHCA_TX_META_CB);
	}
}

/* rn->send: ib_ipoib's transmit, its pseudo header already pulled */
static int vhca_ipoib_rn_send(struct net_device *dev, struct sk_buff *skb,
			      struct ib_ah *address, u32 dqpn)
{
	struct vhca_ipoib_upper *priv = vhca_ipoib_upper(dev);
	struct vhca_ipoib_uplink *up = priv->up;
	struct vhca_ipoib_handle_key key;
	enum vhca_tx_meta_storage mode;

	if (unlikely(!test_bit(VHCA_IPOIB_UPPER_OPEN, &priv->state))) {
		vhca_ipoib_drop(up, VHCA_IPOIB_DROP_UPPER_DOWN);
		vhca_ipoib_upper_count_tx(priv, skb->len, false,
					  VHCA_TX_META_CB);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}

	memset(&key, 0, sizeof(key));
	/* a copy: ib_ipoib may free the AH before the WQE completes */
	key.av = to_vhca_ah(address)->av;
	key.dqpn = dqpn & VHCA_QPN_MASK;
	key.qkey = READ_ONCE(priv->qkey);
	key.pkey_index = READ_ONCE(priv->pkey_index);
	key.src_qpn = priv->qpn;

	mode = vhca_core_tx_meta_storage(up->cdev);
	if (mode == VHCA_TX_META_CB && skb_is_gso(skb) &&
	    netif_needs_gso(skb, up->netdev->features))
		vhca_ipoib_send_segmented(priv, skb, &key);
	else
		vhca_ipoib_send_one(priv, skb, &key, mode);
	return NETDEV_TX_OK;
}

/* ------------------------------------------------------------------ */
/* rdma_netdev control                                                 */
/* ------------------------------------------------------------------ */

static int vhca_ipoib_rn_attach_mcast(struct net_device *dev,
				      struct ib_device *hca, union ib_gid *gid,
				      u16 mlid, int set_qkey, u32 qkey)
{
	struct vhca_ipoib_upper *priv = vhca_ipoib_upper(dev);
	struct vhca_ipoib_uplink *up = priv->up;
	struct vhca_cmd_simple_out out = {};
	struct vhca_cmd_mcg_in in = {};
	struct vhca_qp_attr attr = {};
	int err = 0;

	if (set_qkey && qkey != READ_ONCE(priv->qkey)) {
		mutex_lock(&up->mutex);
		WRITE_ONCE(priv->qkey, qkey);
		if (test_bit(VHCA_IPOIB_UPPER_OPEN, &priv->state)) {
			attr.qkey = cpu_to_be32(qkey);
			err = vhca_ipoib_cmd_modify_qp(up, priv->qpn,
						       VHCA_QPS_RTS,
						       VHCA_QPS_RTS,
						       VHCA_QP_ATTR_QKEY,
						       &attr);
		}
		mutex_unlock(&up->mutex);
		if (err)
			netdev_warn(dev, "cannot set Q_Key 0x%x: %d\n", qkey,
				    err);
	}

	vhca_cmd_in_hdr_set(&in.hdr, VHCA_CMD_OP_ATTACH_MCG, 0);
	in.qpn = cpu_to_be32(priv->qpn);
	memcpy(in.gid, gid->raw, sizeof(in.gid));
	return vhca_cmd_exec(up->cdev, &in, sizeof(in), &out, sizeof(out)) ?:
	       err;
}

static int vhca_ipoib_rn_detach_mcast(struct net_device *dev,
				      struct ib_device *hca, union ib_gid *gid,
				      u16 mlid)
{
	struct vhca_ipoib_upper *priv = vhca_ipoib_upper(dev);
	struct vhca_cmd_simple_out out = {};
	struct vhca_cmd_mcg_in in = {};

	vhca_cmd_in_hdr_set(&in.hdr, VHCA_CMD_OP_DETACH_MCG, 0);
	in.qpn = cpu_to_be32(priv->qpn);
	memcpy(in.gid, gid->raw, sizeof(in.gid));
	return vhca_cmd_exec(priv->up->cdev, &in, sizeof(in), &out,
			     sizeof(out));
}

static void vhca_ipoib_rn_set_id(struct net_device *dev, int id)
{
	WRITE_ONCE(vhca_ipoib_upper(dev)->pkey_index, id);
}

/* ib_ipoib's watchdog hook. The upper is queueless, so this fires only if
 * ib_ipoib stopped its queue; the uplink's own watchdog covers a stuck
 * SQ as well. Either way: recover every uplink SQ that failed or has
 * been stopped for a watchdog period.
 */
static void vhca_ipoib_rn_tx_timeout(struct net_device *dev,
				     unsigned int txqueue)
{
	struct vhca_ipoib_uplink *up = vhca_ipoib_upper(dev)->up;

	netdev_warn(dev, "transmit timeout on queue %u\n", txqueue);
	vhca_ipoib_uplink_tx_timeout(up, true);
}

/* ------------------------------------------------------------------ */
/* netdev ops (ib_ipoib's rn_ops)                                      */
/* ------------------------------------------------------------------ */

static int vhca_ipoib_ndo_init(struct net_device *dev)
{
	struct vhca_ipoib_upper *priv = vhca_ipoib_upper(dev);
	struct vhca_ipoib_uplink *up = priv->up;
	struct vhca_qp_ctx ctx = {};
	u8 addr[3];
	int err;

	priv->dbr = dma_pool_zalloc(up->dbr_pool, GFP_KERNEL, &priv->dbr_dma);
	if (!priv->dbr)
		return -ENOMEM;
	ctx.flags = VHCA_QP_F_NO_RQ | VHCA_QP_F_BLOCK_MC_LB;
	ctx.send_cqn = cpu_to_be32(up->anchor_cq.cqn);
	ctx.recv_cqn = cpu_to_be32(up->anchor_cq.cqn);
	ctx.dbr_addr = cpu_to_be64(priv->dbr_dma);
	err = vhca_ipoib_create_qp(up, &ctx, &priv->qpn);
	if (err) {
		netdev_err(dev, "cannot create the UD QP: %d\n", err);
		dma_pool_free(up->dbr_pool, priv->dbr, priv->dbr_dma);
		return err;
	}
	/* the IPoIB address: flags byte, QPN, GID */
	addr[0] = priv->qpn >> 16;
	addr[1] = priv->qpn >> 8;
	addr[2] = priv->qpn;
	dev_addr_mod(dev, 1, addr, sizeof(addr));

	mutex_lock(&up->mutex);
	list_add_tail(&priv->node, &up->upper_list);
	mutex_unlock(&up->mutex);

	err = vhca_ipoib_health_init(dev);
	if (err)
		netdev_warn(dev, "no devlink port or health reporters: %d\n",
			    err);
	return 0;
}

static void vhca_ipoib_ndo_uninit(struct net_device *dev)
{
	struct vhca_ipoib_upper *priv = vhca_ipoib_upper(dev);
	struct vhca_ipoib_uplink *up = priv->up;

	vhca_ipoib_health_cleanup(dev);
	mutex_lock(&up->mutex);
	list_del(&priv->node);
	mutex_unlock(&up->mutex);
	if (vhca_ipoib_destroy_obj(up->cdev, VHCA_CMD_OP_DESTROY_QP,
				   priv->qpn)) {
		/* the device may still use its record: leak it */
		netdev_err(dev, "UD QP %u not destroyed\n", priv->qpn);
		return;
	}
	dma_pool_free(up->dbr_pool, priv->dbr, priv->dbr_dma);
}

/* wait until no WQE names the QP; recover the SQs if that takes long */
static void vhca_ipoib_wait_handles(struct vhca_ipoib_upper *priv)
{
	while (!wait_event_timeout(priv->handles_wq,
				   !atomic_read(&priv->live_handles),
				   VHCA_IPOIB_WATCHDOG_TIMEO)) {
		netdev_warn(priv->netdev, "%d TX handles still in flight, recovering the uplink SQs\n",
			    atomic_read(&priv->live_handles));
		vhca_ipoib_uplink_tx_timeout(priv->up, false);
	}
	/* the last release may still be in its RCU section */
	synchronize_rcu();
}

static int vhca_ipoib_ndo_open(struct net_device *dev)
{
	struct vhca_ipoib_upper *priv = vhca_ipoib_upper(dev);
	struct vhca_ipoib_uplink *up = priv->up;
	int err;

	/* the uplink carries the upper's traffic: it must be up */
	if (!netif_running(up->netdev)) {
		err = dev_open(up->netdev, NULL);
		if (err)
			return err;
	}

	mutex_lock(&up->mutex);
	err = vhca_ipoib_qp_up(up, priv->qpn, READ_ONCE(priv->pkey_index),
			       READ_ONCE(priv->qkey), true);
	if (err)
		goto err_unlock;
	err = vhca_ipoib_uplink_set_rss(up, priv->qpn, true);
	if (err)
		goto err_reset;
	err = xa_insert_bh(&up->uppers, priv->qpn, priv, GFP_KERNEL);
	if (err)
		goto err_rss;
	up->open_uppers++;
	set_bit(VHCA_IPOIB_UPPER_OPEN, &priv->state);
	mutex_unlock(&up->mutex);

	err = netdev_upper_dev_link(up->netdev, dev, NULL);
	if (err)
		netdev_warn(dev, "cannot link to %s: %d\n", up->netdev->name,
			    err);
	netif_tx_start_all_queues(dev);
	schedule_delayed_work(&priv->gc_work, VHCA_IPOIB_HANDLE_GC_PERIOD);
	return 0;

err_rss:
	vhca_ipoib_uplink_set_rss(up, priv->qpn, false);
err_reset:
	vhca_ipoib_qp_reset(up, priv->qpn);
err_unlock:
	mutex_unlock(&up->mutex);
	netdev_err(dev, "cannot open: %d\n", err);
	return err;
}

static int vhca_ipoib_ndo_stop(struct net_device *dev)
{
	struct vhca_ipoib_upper *priv = vhca_ipoib_upper(dev);
	struct vhca_ipoib_uplink *up = priv->up;

	if (!test_bit(VHCA_IPOIB_UPPER_OPEN, &priv->state))
		return 0;
	netif_tx_disable(dev);

	mutex_lock(&up->mutex);
	clear_bit(VHCA_IPOIB_UPPER_OPEN, &priv->state);
	xa_erase_bh(&up->uppers, priv->qpn);
	up->open_uppers--;
	vhca_ipoib_uplink_set_rss(up, priv->qpn, false);
	mutex_unlock(&up->mutex);

	/* rn->send and NAPI that saw the upper open are done */
	synchronize_net();
	cancel_delayed_work_sync(&priv->gc_work);
	vhca_ipoib_handles_flush(priv, true);
	vhca_ipoib_wait_handles(priv);

	mutex_lock(&up->mutex);
	vhca_ipoib_qp_reset(up, priv->qpn);
	mutex_unlock(&up->mutex);
	if (netdev_has_upper_dev(up->netdev, dev))
		netdev_upper_dev_unlink(up->netdev, dev);
	return 0;
}

static int vhca_ipoib_ndo_change_mtu(struct net_device *dev, int new_mtu)
{
	/* RX buffers are pages, the device checks the path MTU on TX */
	dev->mtu = new_mtu;
	return 0;
}

/**
 * vhca_ipoib_upper_stats_sum() - an upper's counters over all CPUs
 * @priv: the upper
 * @sum: filled (its syncp is not used)
 */
void vhca_ipoib_upper_stats_sum(struct vhca_ipoib_upper *priv,
				struct vhca_ipoib_upper_stats *sum)
{
	u64 *out = (u64 *)sum;
	unsigned int i, start;
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct vhca_ipoib_upper_stats *st;
		u64 one[VHCA_IPOIB_NUM_UPPER_STATS];

		st = per_cpu_ptr(priv->stats, cpu);
		do {
			start = u64_stats_fetch_begin(&st->syncp);
			memcpy(one, st, sizeof(one));
		} while (u64_stats_fetch_retry(&st->syncp, start));
		for (i = 0; i < VHCA_IPOIB_NUM_UPPER_STATS; i++)
			out[i] += one[i];
	}
}

static void vhca_ipoib_ndo_get_stats64(struct net_device *dev,
				       struct rtnl_link_stats64 *stats)
{
	struct vhca_ipoib_upper_stats sum;

	/* ib_ipoib's own drops are in dev->stats */
	netdev_stats_to_stats64(stats, &dev->stats);
	vhca_ipoib_upper_stats_sum(vhca_ipoib_upper(dev), &sum);
	stats->rx_packets += sum.rx_packets;
	stats->rx_bytes += sum.rx_bytes;
	stats->tx_packets += sum.tx_packets;
	stats->tx_bytes += sum.tx_bytes;
	stats->tx_dropped += sum.tx_dropped;
	stats->rx_dropped += sum.rx_dropped;
}

static const struct net_device_ops vhca_ipoib_upper_ops = {
	.ndo_init = vhca_ipoib_ndo_init,
	.ndo_uninit = vhca_ipoib_ndo_uninit,
	.ndo_open = vhca_ipoib_ndo_open,
	.ndo_stop = vhca_ipoib_ndo_stop,
	.ndo_change_mtu = vhca_ipoib_ndo_change_mtu,
	.ndo_get_stats64 = vhca_ipoib_ndo_get_stats64,
};

/* ------------------------------------------------------------------ */
/* Allocation                                                          */
/* ------------------------------------------------------------------ */

/* dev->priv_destructor, run by ib_ipoib's own destructor */
static void vhca_ipoib_rn_free(struct net_device *dev)
{
	struct vhca_ipoib_upper *priv = vhca_ipoib_upper(dev);

	free_percpu(priv->stats);
	vhca_ipoib_uplink_put(priv->up);
}

/* params.initialize_rdma_netdev: make @dev one of the port's uppers */
static int vhca_ipoib_rn_init(struct ib_device *ibdev, u32 port,
			      struct net_device *dev, void *param)
{
	struct vhca_ipoib_upper *priv = vhca_ipoib_upper(dev);
	struct vhca_core_dev *cdev = param;
	struct vhca_ipoib_uplink *up;
	netdev_features_t hw;
	int err;

	up = vhca_ipoib_uplink_get(cdev, port);
	if (!up)
		return -ENODEV;
	priv->stats = netdev_alloc_pcpu_stats(struct vhca_ipoib_upper_stats);
	if (!priv->stats) {
		err = -ENOMEM;
		goto err_put;
	}
	priv->netdev = dev;
	priv->up = up;
	spin_lock_init(&priv->handle_lock);
	hash_init(priv->cache);
	init_waitqueue_head(&priv->handles_wq);
	INIT_DELAYED_WORK(&priv->gc_work, vhca_ipoib_handles_gc);
	INIT_LIST_HEAD(&priv->node);

	err = netif_set_real_num_tx_queues(dev, min(dev->num_tx_queues,
						    up->params.num_channels));
	if (!err)
		err = netif_set_real_num_rx_queues(dev,
						   min(dev->num_rx_queues,
						       up->params.num_channels));
	if (err)
		goto err_free;

	/* ib_ipoib keeps these as rn_ops and calls them */
	dev->netdev_ops = &vhca_ipoib_upper_ops;
	dev->ethtool_ops = &vhca_ipoib_ethtool_ops;
	/* queueless: the uplink owns qdisc, BQL and XPS */
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->needed_headroom += VHCA_IPOIB_TXHDR_LEN;
	hw = vhca_ipoib_hw_features(cdev);
	dev->hw_features |= hw;
	dev->features |= hw;
	netif_set_tso_max_size(dev, GSO_LEGACY_MAX_SIZE);

	priv->rn.hca = ibdev;
	priv->rn.send = vhca_ipoib_rn_send;
	priv->rn.attach_mcast = vhca_ipoib_rn_attach_mcast;
	priv->rn.detach_mcast = vhca_ipoib_rn_detach_mcast;
	priv->rn.set_id = vhca_ipoib_rn_set_id;
	priv->rn.tx_timeout = vhca_ipoib_rn_tx_timeout;

	dev->priv_destructor = vhca_ipoib_rn_free;
	dev->needs_free_netdev = true;
	netif_carrier_off(dev);
	return 0;

err_free:
	free_percpu(priv->stats);
err_put:
	vhca_ipoib_uplink_put(up);
	return err;
}

/**
 * vhca_ipoib_rn_get_params() - vhca_ib's rdma_netdev_get_params for IPoIB
 * @cdev: the device
 * @port: the IB port
 * @params: filled: priv size, queue counts, vhca_ipoib_rn_init()
 *
 * Return: 0, or -EOPNOTSUPP if the port has no uplink (not IB, or the
 * device lacks the UD offloads), so ib_ipoib uses its own datapath.
 */
int vhca_ipoib_rn_get_params(struct vhca_core_dev *cdev, u32 port,
			     struct rdma_netdev_alloc_params *params)
{
	struct vhca_ipoib_uplink *up;

	if (!port || port > VHCA_MAX_PORTS)
		return -EINVAL;
	up = cdev->uplinks[port - 1];
	if (!up)
		return -EOPNOTSUPP;
	*params = (struct rdma_netdev_alloc_params){
		.sizeof_priv = sizeof(struct vhca_ipoib_upper),
		.txqs = up->max_channels,
		.rxqs = up->max_channels,
		.param = cdev,
		.initialize_rdma_netdev = vhca_ipoib_rn_init,
	};
	return 0;
}
EXPORT_SYMBOL_GPL(vhca_ipoib_rn_get_params);
