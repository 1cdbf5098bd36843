// SPDX-License-Identifier: GPL-2.0
/*
 * ethtool for enhanced IPoIB: the ops of the IPoIB netdevs (parent and
 * P_Key children) and of the port's uplink.
 *
 * The hardware queues are the uplink's, so every queue setting (-l/-L,
 * -g/-G, -c/-C) reads and changes the uplink whichever of the port's
 * netdevs it is given to: a P_Key child and its parent show the same
 * channels, and -L works with children present. -S of an IPoIB netdev
 * shows its own counters first (what it sent and received, and how each
 * packet travelled to the uplink), then the uplink's per-queue and
 * per-reason drop counters, which the port's IPoIB netdevs share, so a
 * user in the netdev's namespace sees them too. Offloads (-k/-K) are
 * netdev features, handled by the core and the netdev ops.
 *
 * Locking: ethtool ops run under rtnl; reading the uplink's channels and
 * parameters takes the uplink mutex, which nests inside rtnl.
 */

#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/string.h>
#include <rdma/ib_verbs.h>

#include "../vhca_core.h"
#include "ipoib.h"

#define VHCA_IPOIB_COAL_MAX_USECS	10000

/* an IPoIB netdev's uplink, or the uplink itself */
static struct vhca_ipoib_uplink *vhca_ethtool_up(struct net_device *dev,
						 bool upper)
{
	return upper ? vhca_ipoib_upper(dev)->up : vhca_ipoib_uplink(dev);
}

static void vhca_ethtool_drvinfo(struct vhca_ipoib_uplink *up,
				 struct ethtool_drvinfo *info)
{
	strscpy(info->driver, VHCA_CORE_DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, dev_name(up->cdev->dev),
		sizeof(info->bus_info));
	strscpy(info->fw_version, up->cdev->fw_rev, sizeof(info->fw_version));
}

static void vhca_ipoib_get_drvinfo(struct net_device *dev,
				   struct ethtool_drvinfo *info)
{
	vhca_ethtool_drvinfo(vhca_ethtool_up(dev, true), info);
}

static void vhca_uplink_get_drvinfo(struct net_device *dev,
				    struct ethtool_drvinfo *info)
{
	vhca_ethtool_drvinfo(vhca_ethtool_up(dev, false), info);
}

/* ---- -S ---------------------------------------------------------- */

/* counters of the uplink: per channel tx then rx, then the drops */
static unsigned int vhca_ethtool_up_count(struct vhca_ipoib_uplink *up)
{
	return up->params.num_channels *
	       (VHCA_IPOIB_NUM_SQ_STATS + VHCA_IPOIB_NUM_RQ_STATS) +
	       VHCA_IPOIB_DROP_NUM;
}

static u8 *vhca_ethtool_up_strings(struct vhca_ipoib_uplink *up, u8 *p)
{
	unsigned int q, i;

	for (q = 0; q < up->params.num_channels; q++) {
		for (i = 0; i < VHCA_IPOIB_NUM_SQ_STATS; i++)
			ethtool_sprintf(&p, "tx%u_%s", q,
					vhca_ipoib_sq_stat_names[i]);
		for (i = 0; i < VHCA_IPOIB_NUM_RQ_STATS; i++)
			ethtool_sprintf(&p, "rx%u_%s", q,
					vhca_ipoib_rq_stat_names[i]);
	}
	for (i = 0; i < VHCA_IPOIB_DROP_NUM; i++)
		ethtool_sprintf(&p, "drop_%s", vhca_ipoib_drop_names[i]);
	return p;
}

/* The counters are plain u64 written by one context each (see
 * VHCA_IPOIB_SQ_STATS); a 64-bit load does not tear on the machines
 * this driver builds for, so READ_ONCE is enough.
 */
static u64 *vhca_ethtool_up_stats(struct vhca_ipoib_uplink *up, u64 *data)
{
	const u64 *s;
	unsigned int q, i;

	for (q = 0; q < up->params.num_channels; q++) {
		struct vhca_ipoib_channel *ch = up->ch ? up->ch[q] : NULL;

		s = ch ? (const u64 *)&ch->sq.stats : NULL;
		for (i = 0; i < VHCA_IPOIB_NUM_SQ_STATS; i++)
			*data++ = s ? READ_ONCE(s[i]) : 0;
		s = ch ? (const u64 *)&ch->rq.stats : NULL;
		for (i = 0; i < VHCA_IPOIB_NUM_RQ_STATS; i++)
			*data++ = s ? READ_ONCE(s[i]) : 0;
	}
	for (i = 0; i < VHCA_IPOIB_DROP_NUM; i++)
		*data++ = atomic64_read(&up->drops[i]);
	return data;
}

static int vhca_ipoib_get_sset_count(struct net_device *dev, int sset)
{
	struct vhca_ipoib_uplink *up = vhca_ethtool_up(dev, true);
	int n;

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	mutex_lock(&up->mutex);
	n = VHCA_IPOIB_NUM_UPPER_STATS + vhca_ethtool_up_count(up);
	mutex_unlock(&up->mutex);
	return n;
}

static int vhca_uplink_get_sset_count(struct net_device *dev, int sset)
{
	struct vhca_ipoib_uplink *up = vhca_ethtool_up(dev, false);
	int n;

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	mutex_lock(&up->mutex);
	n = vhca_ethtool_up_count(up);
	mutex_unlock(&up->mutex);
	return n;
}

static void vhca_ipoib_get_strings(struct net_device *dev, u32 sset, u8 *p)
{
	struct vhca_ipoib_uplink *up = vhca_ethtool_up(dev, true);
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < VHCA_IPOIB_NUM_UPPER_STATS; i++)
		ethtool_sprintf(&p, "%s", vhca_ipoib_upper_stat_names[i]);
	mutex_lock(&up->mutex);
	vhca_ethtool_up_strings(up, p);
	mutex_unlock(&up->mutex);
}

static void vhca_uplink_get_strings(struct net_device *dev, u32 sset, u8 *p)
{
	struct vhca_ipoib_uplink *up = vhca_ethtool_up(dev, false);

	if (sset != ETH_SS_STATS)
		return;
	mutex_lock(&up->mutex);
	vhca_ethtool_up_strings(up, p);
	mutex_unlock(&up->mutex);
}

/* the upper's per-CPU counters, summed */
static u64 *vhca_ethtool_upper_stats(struct vhca_ipoib_upper *priv, u64 *data)
{
	u64 sum[VHCA_IPOIB_NUM_UPPER_STATS] = {};
	u64 one[VHCA_IPOIB_NUM_UPPER_STATS];
	unsigned int start, i;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct vhca_ipoib_upper_stats *s =
			per_cpu_ptr(priv->stats, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			memcpy(one, s, sizeof(one));
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < VHCA_IPOIB_NUM_UPPER_STATS; i++)
			sum[i] += one[i];
	}
	memcpy(data, sum, sizeof(sum));
	return data + VHCA_IPOIB_NUM_UPPER_STATS;
}

/* ethtool asked for the count and the strings in the same rtnl section,
 * and channel changes take rtnl, so the number of channels is the one
 * the strings were written for.
 */
static void vhca_ipoib_get_ethtool_stats(struct net_device *dev,
					 struct ethtool_stats *stats,
					 u64 *data)
{
	struct vhca_ipoib_upper *priv = vhca_ipoib_upper(dev);
	struct vhca_ipoib_uplink *up = priv->up;

	data = vhca_ethtool_upper_stats(priv, data);
	mutex_lock(&up->mutex);
	vhca_ethtool_up_stats(up, data);
	mutex_unlock(&up->mutex);
}

static void vhca_uplink_get_ethtool_stats(struct net_device *dev,
					  struct ethtool_stats *stats,
					  u64 *data)
{
	struct vhca_ipoib_uplink *up = vhca_ethtool_up(dev, false);

	mutex_lock(&up->mutex);
	vhca_ethtool_up_stats(up, data);
	mutex_unlock(&up->mutex);
}

/* ---- -l/-L ------------------------------------------------------- */

static void vhca_ethtool_get_channels(struct vhca_ipoib_uplink *up,
				      struct ethtool_channels *ch)
{
	mutex_lock(&up->mutex);
	ch->max_combined = up->max_channels;
	ch->combined_count = up->params.num_channels;
	mutex_unlock(&up->mutex);
}

static int vhca_ethtool_set_channels(struct vhca_ipoib_uplink *up,
				     struct ethtool_channels *ch)
{
	/* ethtool checked combined_count against max_combined and that
	 * rx/tx/other are 0 (their maximums are)
	 */
	if (!ch->combined_count)
		return -EINVAL;
	return vhca_ipoib_uplink_set_channels(up, ch->combined_count, NULL);
}

static void vhca_ipoib_get_channels(struct net_device *dev,
				    struct ethtool_channels *ch)
{
	vhca_ethtool_get_channels(vhca_ethtool_up(dev, true), ch);
}

static int vhca_ipoib_set_channels(struct net_device *dev,
				   struct ethtool_channels *ch)
{
	return vhca_ethtool_set_channels(vhca_ethtool_up(dev, true), ch);
}

static void vhca_uplink_get_channels(struct net_device *dev,
				     struct ethtool_channels *ch)
{
	vhca_ethtool_get_channels(vhca_ethtool_up(dev, false), ch);
}

static int vhca_uplink_set_channels(struct net_device *dev,
				    struct ethtool_channels *ch)
{
	return vhca_ethtool_set_channels(vhca_ethtool_up(dev, false), ch);
}

/* ---- -g/-G ------------------------------------------------------- */

static void vhca_ethtool_get_ring(struct vhca_ipoib_uplink *up,
				  struct ethtool_ringparam *ring)
{
	ring->rx_max_pending = 1U << VHCA_IPOIB_MAX_LOG_RQ;
	ring->tx_max_pending = 1U << VHCA_IPOIB_MAX_LOG_SQ;
	mutex_lock(&up->mutex);
	ring->rx_pending = 1U << up->params.log_rq_size;
	ring->tx_pending = 1U << up->params.log_sq_size;
	mutex_unlock(&up->mutex);
}

static int vhca_ethtool_set_ring(struct vhca_ipoib_uplink *up,
				 struct ethtool_ringparam *ring,
				 struct netlink_ext_ack *extack)
{
	/* ethtool refused sizes over the maximums and mini/jumbo rings */
	if (ring->rx_pending < (1U << VHCA_IPOIB_MIN_LOG_RQ) ||
	    ring->tx_pending < (1U << VHCA_IPOIB_MIN_LOG_SQ)) {
		NL_SET_ERR_MSG_MOD(extack, "ring sizes below the minimum");
		return -EINVAL;
	}
	if (!is_power_of_2(ring->rx_pending) ||
	    !is_power_of_2(ring->tx_pending)) {
		NL_SET_ERR_MSG_MOD(extack, "ring sizes must be powers of two");
		return -EINVAL;
	}
	return vhca_ipoib_uplink_set_rings(up, ring->tx_pending,
					   ring->rx_pending, extack);
}

static void vhca_ipoib_get_ringparam(struct net_device *dev,
				     struct ethtool_ringparam *ring,
				     struct kernel_ethtool_ringparam *kring,
				     struct netlink_ext_ack *extack)
{
	vhca_ethtool_get_ring(vhca_ethtool_up(dev, true), ring);
}

static int vhca_ipoib_set_ringparam(struct net_device *dev,
				    struct ethtool_ringparam *ring,
				    struct kernel_ethtool_ringparam *kring,
				    struct netlink_ext_ack *extack)
{
	return vhca_ethtool_set_ring(vhca_ethtool_up(dev, true), ring, extack);
}

static void vhca_uplink_get_ringparam(struct net_device *dev,
				      struct ethtool_ringparam *ring,
				      struct kernel_ethtool_ringparam *kring,
				      struct netlink_ext_ack *extack)
{
	vhca_ethtool_get_ring(vhca_ethtool_up(dev, false), ring);
}

static int vhca_uplink_set_ringparam(struct net_device *dev,
				     struct ethtool_ringparam *ring,
				     struct kernel_ethtool_ringparam *kring,
				     struct netlink_ext_ack *extack)
{
	return vhca_ethtool_set_ring(vhca_ethtool_up(dev, false), ring,
				     extack);
}

/* ---- -c/-C ------------------------------------------------------- */

static void vhca_ethtool_get_coal(struct vhca_ipoib_uplink *up,
				  struct ethtool_coalesce *ec)
{
	mutex_lock(&up->mutex);
	ec->rx_coalesce_usecs = up->params.rx_coal.usecs;
	ec->rx_max_coalesced_frames = up->params.rx_coal.frames;
	ec->tx_coalesce_usecs = up->params.tx_coal.usecs;
	ec->tx_max_coalesced_frames = up->params.tx_coal.frames;
	mutex_unlock(&up->mutex);
}

static int vhca_ethtool_set_coal(struct vhca_ipoib_uplink *up,
				 struct ethtool_coalesce *ec,
				 struct netlink_ext_ack *extack)
{
	struct vhca_ipoib_coal rx = {
		.usecs = ec->rx_coalesce_usecs,
		.frames = ec->rx_max_coalesced_frames,
	};
	struct vhca_ipoib_coal tx = {
		.usecs = ec->tx_coalesce_usecs,
		.frames = ec->tx_max_coalesced_frames,
	};

	if (rx.usecs > VHCA_IPOIB_COAL_MAX_USECS ||
	    tx.usecs > VHCA_IPOIB_COAL_MAX_USECS) {
		NL_SET_ERR_MSG_MOD(extack, "at most 10000 usecs");
		return -ERANGE;
	}
	if (rx.frames > VHCA_IPOIB_NAPI_BUDGET ||
	    tx.frames > VHCA_IPOIB_TX_CQ_BUDGET) {
		NL_SET_ERR_MSG_MOD(extack,
				   "frames over the poll budget (RX 64, TX 256)");
		return -ERANGE;
	}
	vhca_ipoib_uplink_set_coalesce(up, &rx, &tx);
	return 0;
}

static int vhca_ipoib_get_coalesce(struct net_device *dev,
				   struct ethtool_coalesce *ec,
				   struct kernel_ethtool_coalesce *kec,
				   struct netlink_ext_ack *extack)
{
	vhca_ethtool_get_coal(vhca_ethtool_up(dev, true), ec);
	return 0;
}

static int vhca_ipoib_set_coalesce(struct net_device *dev,
				   struct ethtool_coalesce *ec,
				   struct kernel_ethtool_coalesce *kec,
				   struct netlink_ext_ack *extack)
{
	return vhca_ethtool_set_coal(vhca_ethtool_up(dev, true), ec, extack);
}

static int vhca_uplink_get_coalesce(struct net_device *dev,
				    struct ethtool_coalesce *ec,
				    struct kernel_ethtool_coalesce *kec,
				    struct netlink_ext_ack *extack)
{
	vhca_ethtool_get_coal(vhca_ethtool_up(dev, false), ec);
	return 0;
}

static int vhca_uplink_set_coalesce(struct net_device *dev,
				    struct ethtool_coalesce *ec,
				    struct kernel_ethtool_coalesce *kec,
				    struct netlink_ext_ack *extack)
{
	return vhca_ethtool_set_coal(vhca_ethtool_up(dev, false), ec, extack);
}

/* ---- link and RSS ------------------------------------------------ */

/* Mbit/s of one lane at an IB LinkSpeedActive, 0 if unknown */
static u32 vhca_ethtool_lane_mbps(u8 speed)
{
	switch (speed) {
	case 1: return 2500;		/* SDR */
	case 2: return 5000;		/* DDR */
	case 4: return 10000;		/* QDR */
	case 8: return 10000;		/* FDR10 */
	case 16: return 14000;		/* FDR */
	case 32: return 25000;		/* EDR */
	case 64: return 50000;		/* HDR */
	case 128: return 100000;	/* NDR */
	default: return 0;
	}
}

/* lanes at an IB LinkWidthActive, 0 if unknown */
static u32 vhca_ethtool_lanes(u8 width)
{
	switch (width) {
	case 1: return 1;
	case 2: return 4;
	case 4: return 8;
	case 8: return 12;
	case 16: return 2;
	default: return 0;
	}
}

static int vhca_ethtool_link(struct vhca_ipoib_uplink *up,
			     struct ethtool_link_ksettings *ks)
{
	struct vhca_port_attr attr;
	u32 mbps;

	ethtool_link_ksettings_zero_link_mode(ks, supported);
	ethtool_link_ksettings_zero_link_mode(ks, advertising);
	ks->base.speed = SPEED_UNKNOWN;
	ks->base.duplex = DUPLEX_UNKNOWN;
	ks->base.port = PORT_OTHER;
	ks->base.autoneg = AUTONEG_DISABLE;
	if (vhca_core_query_port(up->cdev, up->port, &attr) ||
	    attr.state != VHCA_PORT_STATE_ACTIVE)
		return 0;
	mbps = vhca_ethtool_lane_mbps(attr.link_speed_active) *
	       vhca_ethtool_lanes(attr.link_width_active);
	if (mbps) {
		ks->base.speed = mbps;
		ks->base.duplex = DUPLEX_FULL;
	}
	return 0;
}

static int vhca_ipoib_get_link_ksettings(struct net_device *dev,
					 struct ethtool_link_ksettings *ks)
{
	return vhca_ethtool_link(vhca_ethtool_up(dev, true), ks);
}

static int vhca_uplink_get_link_ksettings(struct net_device *dev,
					  struct ethtool_link_ksettings *ks)
{
	return vhca_ethtool_link(vhca_ethtool_up(dev, false), ks);
}

static u32 vhca_ethtool_get_rxfh_key_size(struct net_device *dev)
{
	return VHCA_RSS_KEY_LEN;
}

/* The Toeplitz key every upper's SET_RSS uses; the indirection tables
 * are per upper QP and spread over all channels, not user-settable.
 */
static int vhca_ethtool_rxfh(struct vhca_ipoib_uplink *up, u8 *key, u8 *hfunc)
{
	if (hfunc)
		*hfunc = ETH_RSS_HASH_TOP;
	if (key)
		memcpy(key, up->rss_key, VHCA_RSS_KEY_LEN);
	return 0;
}

static int vhca_ipoib_get_rxfh(struct net_device *dev, u32 *indir, u8 *key,
			       u8 *hfunc)
{
	return vhca_ethtool_rxfh(vhca_ethtool_up(dev, true), key, hfunc);
}

static int vhca_uplink_get_rxfh(struct net_device *dev, u32 *indir, u8 *key,
				u8 *hfunc)
{
	return vhca_ethtool_rxfh(vhca_ethtool_up(dev, false), key, hfunc);
}

#define VHCA_ETHTOOL_COAL_PARAMS (ETHTOOL_COALESCE_USECS | \
				  ETHTOOL_COALESCE_MAX_FRAMES)

const struct ethtool_ops vhca_ipoib_ethtool_ops = {
	.supported_coalesce_params = VHCA_ETHTOOL_COAL_PARAMS,
	.get_drvinfo = vhca_ipoib_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_link_ksettings = vhca_ipoib_get_link_ksettings,
	.get_strings = vhca_ipoib_get_strings,
	.get_sset_count = vhca_ipoib_get_sset_count,
	.get_ethtool_stats = vhca_ipoib_get_ethtool_stats,
	.get_channels = vhca_ipoib_get_channels,
	.set_channels = vhca_ipoib_set_channels,
	.get_ringparam = vhca_ipoib_get_ringparam,
	.set_ringparam = vhca_ipoib_set_ringparam,
	.get_coalesce = vhca_ipoib_get_coalesce,
	.set_coalesce = vhca_ipoib_set_coalesce,
	.get_rxfh_key_size = vhca_ethtool_get_rxfh_key_size,
	.get_rxfh = vhca_ipoib_get_rxfh,
};

const struct ethtool_ops vhca_uplink_ethtool_ops = {
	.supported_coalesce_params = VHCA_ETHTOOL_COAL_PARAMS,
	.get_drvinfo = vhca_uplink_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_link_ksettings = vhca_uplink_get_link_ksettings,
	.get_strings = vhca_uplink_get_strings,
	.get_sset_count = vhca_uplink_get_sset_count,
	.get_ethtool_stats = vhca_uplink_get_ethtool_stats,
	.get_channels = vhca_uplink_get_channels,
	.set_channels = vhca_uplink_set_channels,
	.get_ringparam = vhca_uplink_get_ringparam,
	.set_ringparam = vhca_uplink_set_ringparam,
	.get_coalesce = vhca_uplink_get_coalesce,
	.set_coalesce = vhca_uplink_set_coalesce,
	.get_rxfh_key_size = vhca_ethtool_get_rxfh_key_size,
	.get_rxfh = vhca_uplink_get_rxfh,
};
