// SPDX-License-Identifier: GPL-2.0
/*
 * The IPoIB uplink of an IB port: the netdev that owns the port's
 * hardware queues (ARCHITECTURE.md section 8).
 *
 * vhca_core creates one per IB port when it loads a device (if the device
 * has TX mux QPs, RSS and UD checksum offload) and destroys it when it
 * unloads, after vhca_ib (and with it every IPoIB netdev) is gone. The
 * uplink netdev "vhcaup<bus ID>p<port>" has one TX queue per channel
 * (qdisc, BQL, XPS), ARPHRD_VOID, and is brought up at creation: the
 * uppers need it up to transmit. Its transmit (tx.c) accepts only skbs
 * an upper attached TX metadata to; it receives nothing for itself.
 *
 * Configuration (channel count, ring sizes, moderation) changes under
 * the uplink mutex with rtnl held by the caller; a channel set is
 * replaced whole: new channels are built first, the uppers' RSS tables
 * are pointed at them, then the old ones are destroyed.
 */

#include <linux/debugfs.h>
#include <linux/etherdevice.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "../vhca_core.h"
#include "ipoib.h"

/* ------------------------------------------------------------------ */
/* Channel sets                                                        */
/* ------------------------------------------------------------------ */

static void vhca_ipoib_channels_free(struct vhca_ipoib_channel **ch,
				     unsigned int n)
{
	while (n--)
		vhca_ipoib_channel_destroy(ch[n]);
	kfree(ch);
}

static struct vhca_ipoib_channel **
vhca_ipoib_channels_alloc(struct vhca_ipoib_uplink *up,
			  const struct vhca_ipoib_params *p)
{
	struct vhca_ipoib_channel **ch;
	unsigned int i;
	int err;

	ch = kcalloc(p->num_channels, sizeof(*ch), GFP_KERNEL);
	if (!ch)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < p->num_channels; i++) {
		ch[i] = vhca_ipoib_channel_create(up, i, p);
		if (IS_ERR(ch[i])) {
			err = PTR_ERR(ch[i]);
			vhca_ipoib_channels_free(ch, i);
			return ERR_PTR(err);
		}
	}
	return ch;
}

static void vhca_ipoib_uplink_activate(struct vhca_ipoib_uplink *up)
{
	unsigned int i;

	for (i = 0; i < up->params.num_channels; i++) {
		vhca_ipoib_channel_activate(up->ch[i]);
		/* XPS default: queue i for CPU i */
		netif_set_xps_queue(up->netdev, cpumask_of(i % nr_cpu_ids), i);
	}
	netif_tx_start_all_queues(up->netdev);
}

static void vhca_ipoib_uplink_deactivate(struct vhca_ipoib_uplink *up)
{
	unsigned int i;

	netif_tx_disable(up->netdev);
	for (i = 0; i < up->params.num_channels; i++)
		vhca_ipoib_channel_deactivate(up->ch[i]);
}

/* Replace the channel set with one built from @p. rtnl and the mutex
 * held. On failure nothing changed.
 */
static struct vhca_ipoib_channel **
vhca_ipoib_uplink_reconfigure(struct vhca_ipoib_uplink *up,
			      const struct vhca_ipoib_params *p,
			      unsigned int *old_num,
			      struct netlink_ext_ack *extack)
{
	bool running = netif_running(up->netdev);
	struct vhca_ipoib_channel **old = up->ch;
	unsigned int old_n = up->params.num_channels;
	struct vhca_ipoib_channel **ch;
	struct vhca_ipoib_upper *priv;
	int err;

	ASSERT_RTNL();
	lockdep_assert_held(&up->mutex);
	ch = vhca_ipoib_channels_alloc(up, p);
	if (IS_ERR(ch)) {
		NL_SET_ERR_MSG_MOD(extack, "Cannot create the new queues");
		return ch;
	}
	err = netif_set_real_num_tx_queues(up->netdev, p->num_channels);
	if (!err)
		err = netif_set_real_num_rx_queues(up->netdev,
						   p->num_channels);
	if (err) {
		netif_set_real_num_tx_queues(up->netdev, old_n);
		vhca_ipoib_channels_free(ch, p->num_channels);
		NL_SET_ERR_MSG_MOD(extack, "Cannot change the queue count");
		return ERR_PTR(err);
	}

	if (running)
		vhca_ipoib_uplink_deactivate(up);
	up->ch = ch;
	up->params = *p;
	/* the uppers' receives go to the new RQs from here */
	list_for_each_entry(priv, &up->upper_list, node)
		if (test_bit(VHCA_IPOIB_UPPER_OPEN, &priv->state) &&
		    vhca_ipoib_uplink_set_rss(up, priv->qpn, true))
			netdev_warn(priv->netdev, "RSS not updated\n");
	if (running)
		vhca_ipoib_uplink_activate(up);
	*old_num = old_n;
	return old;
}

/* apply @p (rtnl held); the old channels go after the mutex is dropped */
static int vhca_ipoib_uplink_apply(struct vhca_ipoib_uplink *up,
				   const struct vhca_ipoib_params *p,
				   struct netlink_ext_ack *extack)
{
	struct vhca_ipoib_channel **old;
	unsigned int old_n = 0;

	old = vhca_ipoib_uplink_reconfigure(up, p, &old_n, extack);
	mutex_unlock(&up->mutex);
	if (IS_ERR(old))
		return PTR_ERR(old);
	/* readers of the old array (watchdog, stats) are done */
	synchronize_net();
	/* what was in flight on the old SQs is lost (TCP resends it) */
	vhca_ipoib_channels_free(old, old_n);
	return 0;
}

/**
 * vhca_ipoib_uplink_set_channels() - change the number of channels
 * @up: the uplink
 * @n: 1 .. @up->max_channels
 * @extack: error reporting
 *
 * Works with uppers open (P_Key children included): their RSS tables are
 * re-pointed. Caller holds rtnl.
 *
 * Return: 0 or a negative errno.
 */
int vhca_ipoib_uplink_set_channels(struct vhca_ipoib_uplink *up,
				   unsigned int n,
				   struct netlink_ext_ack *extack)
{
	struct vhca_ipoib_params p;

	if (!n || n > up->max_channels) {
		NL_SET_ERR_MSG_MOD(extack, "Channel count out of range");
		return -EINVAL;
	}
	mutex_lock(&up->mutex);
	if (n == up->params.num_channels) {
		mutex_unlock(&up->mutex);
		return 0;
	}
	p = up->params;
	p.num_channels = n;
	/* unlocks */
	return vhca_ipoib_uplink_apply(up, &p, extack);
}

/**
 * vhca_ipoib_uplink_set_rings() - change the ring sizes
 * @up: the uplink
 * @sq_size: WQEBBs per SQ, a power of two in range
 * @rq_size: WQEs per RQ, a power of two in range
 * @extack: error reporting
 *
 * Caller holds rtnl.
 *
 * Return: 0 or a negative errno.
 */
int vhca_ipoib_uplink_set_rings(struct vhca_ipoib_uplink *up, u32 sq_size,
				u32 rq_size, struct netlink_ext_ack *extack)
{
	struct vhca_ipoib_params p;

	if (!is_power_of_2(sq_size) || !is_power_of_2(rq_size) ||
	    sq_size < BIT(VHCA_IPOIB_MIN_LOG_SQ) ||
	    sq_size > BIT(VHCA_IPOIB_MAX_LOG_SQ) ||
	    rq_size < BIT(VHCA_IPOIB_MIN_LOG_RQ) ||
	    rq_size > BIT(VHCA_IPOIB_MAX_LOG_RQ)) {
		NL_SET_ERR_MSG_MOD(extack, "Ring sizes must be powers of two in range");
		return -EINVAL;
	}
	mutex_lock(&up->mutex);
	p = up->params;
	p.log_sq_size = ilog2(sq_size);
	p.log_rq_size = ilog2(rq_size);
	if (p.log_sq_size == up->params.log_sq_size &&
	    p.log_rq_size == up->params.log_rq_size) {
		mutex_unlock(&up->mutex);
		return 0;
	}
	/* unlocks */
	return vhca_ipoib_uplink_apply(up, &p, extack);
}

/**
 * vhca_ipoib_uplink_set_coalesce() - interrupt moderation
 * @up: the uplink
 * @rx: RX moderation
 * @tx: TX moderation
 *
 * Takes effect at the next end of a NAPI poll of each channel.
 */
void vhca_ipoib_uplink_set_coalesce(struct vhca_ipoib_uplink *up,
				    const struct vhca_ipoib_coal *rx,
				    const struct vhca_ipoib_coal *tx)
{
	mutex_lock(&up->mutex);
	WRITE_ONCE(up->params.rx_coal.usecs, rx->usecs);
	WRITE_ONCE(up->params.rx_coal.frames, rx->frames);
	WRITE_ONCE(up->params.tx_coal.usecs, tx->usecs);
	WRITE_ONCE(up->params.tx_coal.frames, tx->frames);
	mutex_unlock(&up->mutex);
}

/**
 * vhca_ipoib_uplink_tx_timeout() - recover SQs that failed or hang
 * @up: the uplink
 * @stuck_only: only SQs with an error or stopped for a watchdog period;
 *	else every SQ with WQEs outstanding
 *
 * Any context: the recovery runs from each SQ's work item. Counted in
 * tx<q>_timeout.
 */
void vhca_ipoib_uplink_tx_timeout(struct vhca_ipoib_uplink *up,
				  bool stuck_only)
{
	unsigned int i;

	rcu_read_lock();
	for (i = 0; i < READ_ONCE(up->params.num_channels); i++) {
		struct vhca_ipoib_sq *sq = &up->ch[i]->sq;
		bool stuck = test_bit(VHCA_IPOIB_SQ_ERR, &sq->state) ||
			     (netif_xmit_stopped(sq->txq) &&
			      time_after(jiffies,
					 READ_ONCE(sq->txq->trans_start) +
					 up->netdev->watchdog_timeo));

		if (stuck_only ? !stuck : READ_ONCE(sq->cc) == sq->pc)
			continue;
		sq->stats.timeout++;
		schedule_work(&sq->recover_work);
	}
	rcu_read_unlock();
}

/* ------------------------------------------------------------------ */
/* The uplink netdev                                                   */
/* ------------------------------------------------------------------ */

static int vhca_ipoib_uplink_open(struct net_device *dev)
{
	struct vhca_ipoib_uplink *up = vhca_ipoib_uplink(dev);

	mutex_lock(&up->mutex);
	vhca_ipoib_uplink_activate(up);
	mutex_unlock(&up->mutex);
	netif_carrier_on(dev);
	return 0;
}

static int vhca_ipoib_uplink_stop(struct net_device *dev)
{
	struct vhca_ipoib_uplink *up = vhca_ipoib_uplink(dev);

	netif_carrier_off(dev);
	mutex_lock(&up->mutex);
	vhca_ipoib_uplink_deactivate(up);
	mutex_unlock(&up->mutex);
	return 0;
}

/* the uplink's watchdog: one of its TX queues has been stopped too long */
static void vhca_ipoib_uplink_ndo_tx_timeout(struct net_device *dev,
					     unsigned int txqueue)
{
	struct vhca_ipoib_uplink *up = vhca_ipoib_uplink(dev);
	struct vhca_ipoib_sq *sq;

	if (txqueue >= up->params.num_channels)
		return;
	sq = &up->ch[txqueue]->sq;
	netdev_warn(dev, "transmit timeout on queue %u: SQ %u pc %u cc %u\n",
		    txqueue, sq->qpn, sq->pc, READ_ONCE(sq->cc));
	sq->stats.timeout++;
	schedule_work(&sq->recover_work);
}

static void vhca_ipoib_uplink_get_stats64(struct net_device *dev,
					  struct rtnl_link_stats64 *stats)
{
	struct vhca_ipoib_uplink *up = vhca_ipoib_uplink(dev);
	unsigned int i;

	rcu_read_lock();
	for (i = 0; i < READ_ONCE(up->params.num_channels); i++) {
		const struct vhca_ipoib_channel *ch = up->ch[i];

		stats->tx_packets += READ_ONCE(ch->sq.stats.packets);
		stats->tx_bytes += READ_ONCE(ch->sq.stats.bytes);
		stats->tx_dropped += READ_ONCE(ch->sq.stats.dropped);
		stats->tx_errors += READ_ONCE(ch->sq.stats.cqe_err);
		stats->rx_packets += READ_ONCE(ch->rq.stats.packets);
		stats->rx_bytes += READ_ONCE(ch->rq.stats.bytes);
		stats->rx_dropped += READ_ONCE(ch->rq.stats.dropped);
		stats->rx_errors += READ_ONCE(ch->rq.stats.cqe_err);
		stats->multicast += READ_ONCE(ch->rq.stats.mcast);
	}
	rcu_read_unlock();
}

static const struct net_device_ops vhca_ipoib_uplink_ops = {
	.ndo_open = vhca_ipoib_uplink_open,
	.ndo_stop = vhca_ipoib_uplink_stop,
	.ndo_start_xmit = vhca_ipoib_uplink_xmit,
	.ndo_tx_timeout = vhca_ipoib_uplink_ndo_tx_timeout,
	.ndo_get_stats64 = vhca_ipoib_uplink_get_stats64,
};

static void vhca_ipoib_uplink_setup(struct net_device *dev)
{
	dev->netdev_ops = &vhca_ipoib_uplink_ops;
	dev->ethtool_ops = &vhca_uplink_ethtool_ops;
	/* not ARPHRD_NONE: IPv6 would autoconfigure it and send on it */
	dev->type = ARPHRD_VOID;
	dev->flags = IFF_NOARP;
	/* header mode: the metadata header, then the IPoIB encapsulation */
	dev->hard_header_len = VHCA_IPOIB_TXHDR_LEN + VHCA_IPOIB_ENCAP_LEN;
	dev->addr_len = 0;
	dev->mtu = 4092;	/* IPoIB UD over a 4 KiB IB MTU */
	dev->min_mtu = 68;
	dev->max_mtu = 4092;
	dev->tx_queue_len = 1024;
	dev->watchdog_timeo = VHCA_IPOIB_WATCHDOG_TIMEO;
	/* metadata dsts must reach the transmit */
	netif_keep_dst(dev);
}

/* ------------------------------------------------------------------ */
/* debugfs: fault injection                                            */
/* ------------------------------------------------------------------ */

static const char * const vhca_ipoib_fault_names[] = {
	[VHCA_IPOIB_FAULT_NONE] = "none",
	[VHCA_IPOIB_FAULT_COOKIE] = "cookie",
	[VHCA_IPOIB_FAULT_LOWER] = "lower",
	[VHCA_IPOIB_FAULT_STALE] = "stale",
	[VHCA_IPOIB_FAULT_TYPE] = "type",
};

static ssize_t vhca_ipoib_fault_write(struct file *file,
				      const char __user *ubuf, size_t len,
				      loff_t *ppos)
{
	struct vhca_ipoib_uplink *up = file->private_data;
	char buf[32], name[16];
	unsigned int count;
	int fault;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "%15s %u", name, &count) != 2)
		return -EINVAL;
	fault = match_string(vhca_ipoib_fault_names,
			     ARRAY_SIZE(vhca_ipoib_fault_names), name);
	if (fault < 0)
		return fault;
	atomic_set(&up->fault_count, 0);
	atomic_set(&up->fault, fault);
	atomic_set(&up->fault_count, fault ? count : 0);
	return len;
}

static ssize_t vhca_ipoib_fault_read(struct file *file, char __user *ubuf,
				     size_t len, loff_t *ppos)
{
	struct vhca_ipoib_uplink *up = file->private_data;
	char buf[32];
	int n;

	n = scnprintf(buf, sizeof(buf), "%s %d\n",
		      vhca_ipoib_fault_names[atomic_read(&up->fault)],
		      atomic_read(&up->fault_count));
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations vhca_ipoib_fault_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = vhca_ipoib_fault_read,
	.write = vhca_ipoib_fault_write,
	.llseek = default_llseek,
};

static void vhca_ipoib_uplink_debugfs(struct vhca_ipoib_uplink *up,
				      struct dentry *parent)
{
	char name[16];

	snprintf(name, sizeof(name), "port%u", up->port);
	up->ddir = debugfs_create_dir(name, parent);
	debugfs_create_file("meta_fault", 0600, up->ddir, up,
			    &vhca_ipoib_fault_fops);
	debugfs_create_u32("cookie", 0400, up->ddir, &up->cookie);
}

/* ------------------------------------------------------------------ */
/* Creation                                                            */
/* ------------------------------------------------------------------ */

/* PD, UAR, doorbell records and the anchor CQ of the uppers' QPs */
static int vhca_ipoib_uplink_hw_init(struct vhca_ipoib_uplink *up)
{
	struct vhca_core_dev *cdev = up->cdev;
	int err;

	up->dbr_pool = dma_pool_create("vhca_ipoib_dbr", cdev->dev,
				       VHCA_DBR_SIZE, VHCA_DBR_SIZE, 0);
	if (!up->dbr_pool)
		return -ENOMEM;
	err = vhca_ipoib_alloc_obj(cdev, VHCA_CMD_OP_ALLOC_PD, &up->pdn);
	if (err)
		goto err_pool;
	err = vhca_ipoib_alloc_obj(cdev, VHCA_CMD_OP_ALLOC_UAR, &up->uar);
	if (err)
		goto err_pd;
	err = vhca_ipoib_cq_create(up, &up->anchor_cq, NULL,
				   vhca_core_comp_eq(cdev, 0), 1);
	if (err)
		goto err_uar;
	return 0;

err_uar:
	vhca_ipoib_destroy_obj(cdev, VHCA_CMD_OP_DEALLOC_UAR, up->uar);
err_pd:
	vhca_ipoib_destroy_obj(cdev, VHCA_CMD_OP_DEALLOC_PD, up->pdn);
err_pool:
	dma_pool_destroy(up->dbr_pool);
	return err;
}

static void vhca_ipoib_uplink_hw_cleanup(struct vhca_ipoib_uplink *up)
{
	vhca_ipoib_cq_destroy(up, &up->anchor_cq);
	vhca_ipoib_destroy_obj(up->cdev, VHCA_CMD_OP_DEALLOC_UAR, up->uar);
	vhca_ipoib_destroy_obj(up->cdev, VHCA_CMD_OP_DEALLOC_PD, up->pdn);
	dma_pool_destroy(up->dbr_pool);
}

static struct vhca_ipoib_uplink *
vhca_ipoib_uplink_create(struct vhca_core_dev *cdev, u8 port,
			 struct dentry *ddir)
{
	unsigned int n = min_t(unsigned int, vhca_core_num_comp_eqs(cdev),
			       VHCA_IPOIB_MAX_CHANNELS);
	struct vhca_ipoib_uplink *up;
	struct net_device *dev;
	char name[IFNAMSIZ];
	int err;

	if (!n)
		return ERR_PTR(-ENODEV);
	snprintf(name, sizeof(name), "vhcaup%up%u", cdev->bdev->id, port);
	dev = alloc_netdev_mqs(sizeof(up), name, NET_NAME_PREDICTABLE,
			       vhca_ipoib_uplink_setup, n, n);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	up = kzalloc(sizeof(*up), GFP_KERNEL);
	if (!up) {
		err = -ENOMEM;
		goto err_free_netdev;
	}
	*(struct vhca_ipoib_uplink **)netdev_priv(dev) = up;
	up->netdev = dev;
	up->cdev = cdev;
	up->port = port;
	up->lkey = be32_to_cpu(cdev->cap.reserved_lkey);
	up->max_channels = n;
	up->params.num_channels = n;
	up->params.log_sq_size = VHCA_IPOIB_DEF_LOG_SQ;
	up->params.log_rq_size = VHCA_IPOIB_DEF_LOG_RQ;
	up->cookie = get_random_u32();
	netdev_rss_key_fill(up->rss_key, sizeof(up->rss_key));
	mutex_init(&up->mutex);
	xa_init_flags(&up->handles, XA_FLAGS_ALLOC | XA_FLAGS_LOCK_BH);
	/* BH-safe like the handles: both arrays' locks are one lockdep class */
	xa_init_flags(&up->uppers, XA_FLAGS_LOCK_BH);
	INIT_LIST_HEAD(&up->upper_list);
	refcount_set(&up->refs, 1);
	init_completion(&up->released);
	SET_NETDEV_DEV(dev, cdev->dev);
	dev->dev_port = port - 1;
	dev->hw_features = NETIF_F_SG;
	if (be32_to_cpu(cdev->cap.flags) & VHCA_CAP_FLAG_UD_CSUM)
		dev->hw_features |= NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM;
	if (be32_to_cpu(cdev->cap.flags) & VHCA_CAP_FLAG_UD_LSO)
		dev->hw_features |= NETIF_F_TSO | NETIF_F_TSO6;
	dev->features = dev->hw_features;
	netif_set_tso_max_size(dev, GSO_LEGACY_MAX_SIZE);

	err = vhca_ipoib_uplink_hw_init(up);
	if (err)
		goto err_free_up;
	up->ch = vhca_ipoib_channels_alloc(up, &up->params);
	if (IS_ERR(up->ch)) {
		err = PTR_ERR(up->ch);
		goto err_hw;
	}

	rtnl_lock();
	err = register_netdevice(dev);
	if (!err)
		err = dev_open(dev, NULL);
	rtnl_unlock();
	if (err)
		goto err_unregister;
	vhca_ipoib_uplink_debugfs(up, ddir);
	return up;

err_unregister:
	if (dev->reg_state == NETREG_REGISTERED)
		unregister_netdev(dev);
	vhca_ipoib_channels_free(up->ch, up->params.num_channels);
err_hw:
	vhca_ipoib_uplink_hw_cleanup(up);
err_free_up:
	mutex_destroy(&up->mutex);
	kfree(up);
err_free_netdev:
	free_netdev(dev);
	return ERR_PTR(err);
}

static void vhca_ipoib_uplink_destroy(struct vhca_ipoib_uplink *up)
{
	/* every upper is gone (vhca_ib is unbound first); wait for puts */
	vhca_ipoib_uplink_put(up);
	if (!wait_for_completion_timeout(&up->released, 10 * HZ)) {
		netdev_err(up->netdev, "IPoIB devices still use the uplink\n");
		wait_for_completion(&up->released);
	}
	debugfs_remove(up->ddir);
	unregister_netdev(up->netdev);
	vhca_ipoib_channels_free(up->ch, up->params.num_channels);
	vhca_ipoib_uplink_hw_cleanup(up);
	WARN_ON(!xa_empty(&up->handles));
	xa_destroy(&up->handles);
	xa_destroy(&up->uppers);
	mutex_destroy(&up->mutex);
	free_netdev(up->netdev);
	kfree(up);
}

/**
 * vhca_ipoib_uplink_get() - the uplink of a port, referenced
 * @cdev: the device
 * @port: 1-based port
 *
 * Return: the uplink or NULL (no such port, or not an IPoIB port).
 */
struct vhca_ipoib_uplink *vhca_ipoib_uplink_get(struct vhca_core_dev *cdev,
						u8 port)
{
	struct vhca_ipoib_uplink *up;

	if (!port || port > VHCA_MAX_PORTS)
		return NULL;
	up = cdev->uplinks[port - 1];
	if (up)
		refcount_inc(&up->refs);
	return up;
}

/**
 * vhca_ipoib_uplink_put() - drop a reference from vhca_ipoib_uplink_get()
 * @up: the uplink
 */
void vhca_ipoib_uplink_put(struct vhca_ipoib_uplink *up)
{
	if (refcount_dec_and_test(&up->refs))
		complete(&up->released);
}

/* the device has what enhanced IPoIB needs */
static bool vhca_ipoib_supported(struct vhca_core_dev *cdev)
{
	u32 need = VHCA_CAP_FLAG_UD | VHCA_CAP_FLAG_MCAST |
		   VHCA_CAP_FLAG_TX_MUX | VHCA_CAP_FLAG_RSS;

	return (be32_to_cpu(cdev->cap.flags) & need) == need &&
	       cdev->cap.max_sq_sge >= 2 && cdev->cap.max_rq_sge >= 2;
}

/**
 * vhca_ipoib_uplinks_create() - an uplink for each IB port (load)
 * @cdev: the device, its EQs and ports ready
 *
 * A device without the needed capabilities gets none (IPoIB then runs in
 * legacy mode); that is not an error.
 *
 * Return: 0 or a negative errno, nothing left behind.
 */
int vhca_ipoib_uplinks_create(struct vhca_core_dev *cdev)
{
	struct vhca_ipoib_uplink *up;
	struct dentry *ddir;
	unsigned int i;

	if (!vhca_ipoib_supported(cdev)) {
		dev_info(cdev->dev, "no enhanced IPoIB: capabilities missing\n");
		return 0;
	}
	ddir = debugfs_create_dir(dev_name(cdev->dev), vhca_core_debugfs);
	for (i = 0; i < vhca_core_num_ports(cdev); i++) {
		if (cdev->cap.port_type[i] != VHCA_PORT_TYPE_IB)
			continue;
		up = vhca_ipoib_uplink_create(cdev, i + 1, ddir);
		if (IS_ERR(up)) {
			dev_err(cdev->dev, "cannot create the IPoIB uplink of port %u: %pe\n",
				i + 1, up);
			vhca_ipoib_uplinks_destroy(cdev);
			return PTR_ERR(up);
		}
		cdev->uplinks[i] = up;
	}
	return 0;
}

/**
 * vhca_ipoib_uplinks_destroy() - undo vhca_ipoib_uplinks_create()
 * @cdev: the device; vhca_ib is unbound
 */
void vhca_ipoib_uplinks_destroy(struct vhca_core_dev *cdev)
{
	unsigned int i;

	for (i = 0; i < VHCA_MAX_PORTS; i++) {
		if (!cdev->uplinks[i])
			continue;
		vhca_ipoib_uplink_destroy(cdev->uplinks[i]);
		cdev->uplinks[i] = NULL;
	}
	debugfs_lookup_and_remove(dev_name(cdev->dev), vhca_core_debugfs);
}
