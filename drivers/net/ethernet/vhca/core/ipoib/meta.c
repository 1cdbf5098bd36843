// SPDX-License-Identifier: GPL-2.0
/*
 * TX handles and the three ways their identity travels from an upper to
 * the uplink (devlink param tx_meta_storage, ARCHITECTURE.md section 8):
 *
 *   cb        struct vhca_ipoib_cb in skb->cb after struct qdisc_skb_cb:
 *             cheapest, but GSO segmentation and egress classifiers write
 *             there, so the upper segments GSO skbs itself when the
 *             uplink would, and a clobbered cb is detected and dropped
 *   header    struct vhca_ipoib_txhdr pushed in front of the IPoIB
 *             encapsulation: survives GSO (it is copied into each
 *             segment as part of the MAC header), visible to anything
 *             that looks at the uplink's packets (tc, taps, mirred)
 *   metadata  the handle's METADATA_HW_PORT_MUX dst (one per handle,
 *             dst_hold() per packet): survives GSO, is ignored by any
 *             other device, checked for type and lower_dev here
 *
 * Whatever carried it, the uplink resolves the metadata to a live
 * handle (id, generation, and for metadata the very dst) and takes a
 * reference for the WQE; anything else is dropped and counted, so a
 * packet never goes to another destination.
 *
 * Handles are cached per upper by content (never by AH pointer: ib_ipoib
 * frees AHs while packets are in flight and reuses their memory); the
 * cache holds one reference, each WQE one. The upper's GC releases
 * handles idle for VHCA_IPOIB_HANDLE_IDLE; stop releases all and waits
 * for the WQEs.
 */

#include <linux/jhash.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/dst.h>
#include <net/sch_generic.h>

#include "ipoib.h"

/* each name at the index of its field, so a name cannot drift */
#define VHCA_IPOIB_SQ_NAME(f) \
	[offsetof(struct vhca_ipoib_sq_stats, f) / sizeof(u64)] = #f
#define VHCA_IPOIB_RQ_NAME(f) \
	[offsetof(struct vhca_ipoib_rq_stats, f) / sizeof(u64)] = #f
#define VHCA_IPOIB_UPPER_NAME(f) \
	[offsetof(struct vhca_ipoib_upper_stats, f) / sizeof(u64)] = #f

const char * const vhca_ipoib_sq_stat_names[VHCA_IPOIB_NUM_SQ_STATS] = {
	VHCA_IPOIB_SQ_NAME(packets),
	VHCA_IPOIB_SQ_NAME(bytes),
	VHCA_IPOIB_SQ_NAME(lso),
	VHCA_IPOIB_SQ_NAME(lso_bytes),
	VHCA_IPOIB_SQ_NAME(csum_partial),
	VHCA_IPOIB_SQ_NAME(csum_none),
	VHCA_IPOIB_SQ_NAME(stopped),
	VHCA_IPOIB_SQ_NAME(wake),
	VHCA_IPOIB_SQ_NAME(dropped),
	VHCA_IPOIB_SQ_NAME(doorbells),
	VHCA_IPOIB_SQ_NAME(nop),
	VHCA_IPOIB_SQ_NAME(cqe_err),
	VHCA_IPOIB_SQ_NAME(flushed),
	VHCA_IPOIB_SQ_NAME(timeout),
	VHCA_IPOIB_SQ_NAME(recover),
};

const char * const vhca_ipoib_rq_stat_names[VHCA_IPOIB_NUM_RQ_STATS] = {
	VHCA_IPOIB_RQ_NAME(packets),
	VHCA_IPOIB_RQ_NAME(bytes),
	VHCA_IPOIB_RQ_NAME(csum_unnecessary),
	VHCA_IPOIB_RQ_NAME(csum_none),
	VHCA_IPOIB_RQ_NAME(gro),
	VHCA_IPOIB_RQ_NAME(mcast),
	VHCA_IPOIB_RQ_NAME(dropped),
	VHCA_IPOIB_RQ_NAME(alloc_fail),
	VHCA_IPOIB_RQ_NAME(cqe_err),
	VHCA_IPOIB_RQ_NAME(polls),
	VHCA_IPOIB_RQ_NAME(arms),
	VHCA_IPOIB_RQ_NAME(recover),
};

const char * const vhca_ipoib_drop_names[VHCA_IPOIB_DROP_NUM] = {
	[VHCA_IPOIB_DROP_META_MISSING] = "meta_missing",
	[VHCA_IPOIB_DROP_META_BAD_TYPE] = "meta_bad_type",
	[VHCA_IPOIB_DROP_META_WRONG_LOWER] = "meta_wrong_lower",
	[VHCA_IPOIB_DROP_META_BAD_COOKIE] = "meta_bad_cookie",
	[VHCA_IPOIB_DROP_META_STALE] = "meta_stale",
	[VHCA_IPOIB_DROP_CB_CLOBBERED] = "cb_clobbered",
	[VHCA_IPOIB_DROP_CB_GSO] = "cb_gso",
	[VHCA_IPOIB_DROP_HANDLE_ALLOC] = "handle_alloc",
	[VHCA_IPOIB_DROP_UPPER_DOWN] = "upper_down",
	[VHCA_IPOIB_DROP_OWN_MCAST] = "own_mcast",
	[VHCA_IPOIB_DROP_NO_UPPER] = "no_upper",
	[VHCA_IPOIB_DROP_DMA_MAP] = "dma_map",
	[VHCA_IPOIB_DROP_LINEARIZE] = "linearize",
	[VHCA_IPOIB_DROP_LSO_HDR] = "lso_hdr",
	[VHCA_IPOIB_DROP_XMIT] = "xmit",
	[VHCA_IPOIB_DROP_BAD_LEN] = "bad_len",
};

const char * const vhca_ipoib_upper_stat_names[VHCA_IPOIB_NUM_UPPER_STATS] = {
	VHCA_IPOIB_UPPER_NAME(rx_packets),
	VHCA_IPOIB_UPPER_NAME(rx_bytes),
	VHCA_IPOIB_UPPER_NAME(tx_packets),
	VHCA_IPOIB_UPPER_NAME(tx_bytes),
	VHCA_IPOIB_UPPER_NAME(tx_dropped),
	VHCA_IPOIB_UPPER_NAME(rx_dropped),
	VHCA_IPOIB_UPPER_NAME(tx_meta_cb),
	VHCA_IPOIB_UPPER_NAME(tx_meta_header),
	VHCA_IPOIB_UPPER_NAME(tx_meta_metadata),
	VHCA_IPOIB_UPPER_NAME(tx_gso_segmented),
	VHCA_IPOIB_UPPER_NAME(handles_created),
	VHCA_IPOIB_UPPER_NAME(handles_released),
};

static struct vhca_ipoib_cb *vhca_ipoib_skb_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(VHCA_IPOIB_CB_OFFSET + sizeof(struct vhca_ipoib_cb) >
		     sizeof_field(struct sk_buff, cb));
	BUILD_BUG_ON(sizeof(struct qdisc_skb_cb) > VHCA_IPOIB_CB_OFFSET);
	return (struct vhca_ipoib_cb *)(skb->cb + VHCA_IPOIB_CB_OFFSET);
}

static u32 vhca_ipoib_cb_check(u32 cookie, u32 id, u32 gen)
{
	return cookie ^ id ^ gen ^ VHCA_IPOIB_CB_MAGIC;
}

static u32 vhca_ipoib_key_hash(const struct vhca_ipoib_handle_key *key)
{
	BUILD_BUG_ON(sizeof(*key) % sizeof(u32));
	return jhash2((const u32 *)key, sizeof(*key) / sizeof(u32), 0);
}

/* ------------------------------------------------------------------ */
/* Handles                                                             */
/* ------------------------------------------------------------------ */

static void vhca_ipoib_handle_free_rcu(struct rcu_head *rcu)
{
	struct vhca_ipoib_handle *h = container_of(rcu, struct
						   vhca_ipoib_handle, rcu);

	/* after readers that found the handle (and may dst_hold() it) */
	dst_release(&h->md_dst->dst);
	kfree(h);
}

static void vhca_ipoib_handle_release(struct kref *ref)
{
	struct vhca_ipoib_handle *h = container_of(ref, struct
						   vhca_ipoib_handle, ref);
	struct vhca_ipoib_upper *priv = h->upper;
	struct vhca_ipoib_upper_stats *st;

	call_rcu(&h->rcu, vhca_ipoib_handle_free_rcu);
	/* stop waits for live_handles, then for an RCU grace period before
	 * the upper may go: @priv stays valid in this section
	 */
	rcu_read_lock();
	st = get_cpu_ptr(priv->stats);
	u64_stats_update_begin(&st->syncp);
	st->handles_released++;
	u64_stats_update_end(&st->syncp);
	put_cpu_ptr(priv->stats);
	if (atomic_dec_and_test(&priv->live_handles))
		wake_up(&priv->handles_wq);
	rcu_read_unlock();
}

/**
 * vhca_ipoib_handle_put() - drop a handle reference (a WQE's)
 * @h: the handle
 */
void vhca_ipoib_handle_put(struct vhca_ipoib_handle *h)
{
	kref_put(&h->ref, vhca_ipoib_handle_release);
}

/* take @h out of the cache and the id table; the cache's ref goes */
static void vhca_ipoib_handle_uncache(struct vhca_ipoib_upper *priv,
				      struct vhca_ipoib_handle *h)
{
	lockdep_assert_held(&priv->handle_lock);
	h->cached = false;
	hash_del_rcu(&h->node);
	priv->num_handles--;
	xa_erase_bh(&priv->up->handles, h->id);
	vhca_ipoib_handle_put(h);
}

/**
 * vhca_ipoib_handles_flush() - release cached handles
 * @priv: the upper
 * @all: every handle (stop), else those idle for VHCA_IPOIB_HANDLE_IDLE
 *
 * Handles in flight live on until their WQEs complete; packets still
 * queued towards the uplink find their ids gone and are dropped as stale.
 */
void vhca_ipoib_handles_flush(struct vhca_ipoib_upper *priv, bool all)
{
	struct vhca_ipoib_handle *h;
	struct hlist_node *tmp;
	unsigned int bkt;

	spin_lock_bh(&priv->handle_lock);
	hash_for_each_safe(priv->cache, bkt, tmp, h, node) {
		if (all || time_after(jiffies, READ_ONCE(h->last_used) +
				      VHCA_IPOIB_HANDLE_IDLE))
			vhca_ipoib_handle_uncache(priv, h);
	}
	spin_unlock_bh(&priv->handle_lock);
}

/**
 * vhca_ipoib_handles_gc() - the upper's periodic handle GC
 * @work: &vhca_ipoib_upper.gc_work
 */
void vhca_ipoib_handles_gc(struct work_struct *work)
{
	struct vhca_ipoib_upper *priv = container_of(to_delayed_work(work),
						     struct vhca_ipoib_upper,
						     gc_work);

	vhca_ipoib_handles_flush(priv, false);
	if (test_bit(VHCA_IPOIB_UPPER_OPEN, &priv->state))
		schedule_delayed_work(&priv->gc_work,
				      VHCA_IPOIB_HANDLE_GC_PERIOD);
}

static struct vhca_ipoib_handle *
vhca_ipoib_handle_find(struct vhca_ipoib_upper *priv,
		       const struct vhca_ipoib_handle_key *key, u32 hash)
{
	struct vhca_ipoib_handle *h;

	hash_for_each_possible_rcu(priv->cache, h, node, hash)
		if (h->cached && !memcmp(&h->key, key, sizeof(*key)))
			return h;
	return NULL;
}

/* a new handle for @key, cached; NULL on failure. Under rcu_read_lock. */
static struct vhca_ipoib_handle *
vhca_ipoib_handle_create(struct vhca_ipoib_upper *priv,
			 const struct vhca_ipoib_handle_key *key, u32 hash)
{
	struct vhca_ipoib_uplink *up = priv->up;
	struct vhca_ipoib_upper_stats *st;
	struct vhca_ipoib_handle *h, *old;

	h = kzalloc(sizeof(*h), GFP_ATOMIC);
	if (!h)
		return NULL;
	h->md_dst = metadata_dst_alloc(0, METADATA_HW_PORT_MUX, GFP_ATOMIC);
	if (!h->md_dst)
		goto err_free;
	h->key = *key;
	kref_init(&h->ref);
	h->upper = priv;
	h->gen = atomic_inc_return(&up->gen);
	h->last_used = jiffies;
	if (xa_alloc_cyclic_bh(&up->handles, &h->id, h, xa_limit_32b,
			       &up->next_id, GFP_ATOMIC) < 0)
		goto err_free_dst;
	h->md_dst->u.port_info.port_id = h->id;
	h->md_dst->u.port_info.lower_dev = up->netdev;

	spin_lock_bh(&priv->handle_lock);
	old = vhca_ipoib_handle_find(priv, key, hash);
	if (old || priv->num_handles >= VHCA_IPOIB_MAX_HANDLES ||
	    !test_bit(VHCA_IPOIB_UPPER_OPEN, &priv->state)) {
		/* lost a race, or full, or stopping */
		spin_unlock_bh(&priv->handle_lock);
		xa_erase_bh(&up->handles, h->id);
		dst_release(&h->md_dst->dst);
		kfree(h);
		return old;
	}
	atomic_inc(&priv->live_handles);
	h->cached = true;
	hash_add_rcu(priv->cache, &h->node, hash);
	priv->num_handles++;
	spin_unlock_bh(&priv->handle_lock);

	st = this_cpu_ptr(priv->stats);
	u64_stats_update_begin(&st->syncp);
	st->handles_created++;
	u64_stats_update_end(&st->syncp);
	return h;

err_free_dst:
	dst_release(&h->md_dst->dst);
err_free:
	kfree(h);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Upper side: attach                                                  */
/* ------------------------------------------------------------------ */

/* a one-off metadata dst for fault injection (wrong lower or type) */
static int vhca_ipoib_fault_dst(struct sk_buff *skb, struct net_device *lower,
				enum metadata_type type, u32 id)
{
	struct metadata_dst *md = metadata_dst_alloc(0, type, GFP_ATOMIC);

	if (!md)
		return -ENOMEM;
	if (type == METADATA_HW_PORT_MUX) {
		md->u.port_info.port_id = id;
		md->u.port_info.lower_dev = lower;
	}
	skb_dst_drop(skb);
	skb_dst_set(skb, &md->dst);
	return 0;
}

static enum vhca_ipoib_fault vhca_ipoib_fault_take(struct vhca_ipoib_uplink *up)
{
	if (likely(!atomic_read(&up->fault_count)))
		return VHCA_IPOIB_FAULT_NONE;
	if (atomic_dec_if_positive(&up->fault_count) < 0)
		return VHCA_IPOIB_FAULT_NONE;
	return atomic_read(&up->fault);
}

static int vhca_ipoib_attach_header(struct vhca_ipoib_uplink *up,
				    struct sk_buff *skb, u32 cookie, u32 id,
				    u32 gen)
{
	struct vhca_ipoib_txhdr *hdr;

	if (skb_cow_head(skb, VHCA_IPOIB_TXHDR_LEN))
		return -ENOMEM;
	hdr = skb_push(skb, VHCA_IPOIB_TXHDR_LEN);
	hdr->magic = cpu_to_be32(VHCA_IPOIB_HDR_MAGIC);
	hdr->cookie = cpu_to_be32(cookie);
	hdr->id = cpu_to_be32(id);
	hdr->gen = cpu_to_be32(gen);
	return 0;
}

/**
 * vhca_ipoib_meta_attach() - attach the handle of @key to @skb
 * @priv: the upper
 * @skb: a packet starting with the IPoIB encapsulation; not GSO in cb
 *	mode unless the uplink takes it whole
 * @key: its destination
 * @mode: how the metadata travels (read once for the packet)
 *
 * Return: 0, or a negative errno (the caller drops the skb; the reason
 * is counted here).
 */
int vhca_ipoib_meta_attach(struct vhca_ipoib_upper *priv, struct sk_buff *skb,
			   const struct vhca_ipoib_handle_key *key,
			   enum vhca_tx_meta_storage mode)
{
	struct vhca_ipoib_uplink *up = priv->up;
	u32 hash = vhca_ipoib_key_hash(key);
	struct vhca_ipoib_handle *h;
	enum vhca_ipoib_fault fault;
	struct vhca_ipoib_cb *cb;
	u32 cookie, id, gen;
	unsigned long now;
	int err = 0;

	rcu_read_lock();
	h = vhca_ipoib_handle_find(priv, key, hash);
	if (!h)
		h = vhca_ipoib_handle_create(priv, key, hash);
	if (unlikely(!h)) {
		rcu_read_unlock();
		vhca_ipoib_drop(up, VHCA_IPOIB_DROP_HANDLE_ALLOC);
		return -ENOMEM;
	}
	now = jiffies;
	/* one write per jiffy at most: the line is shared between CPUs */
	if (time_after(now, READ_ONCE(h->last_used)))
		WRITE_ONCE(h->last_used, now);
	cookie = up->cookie;
	id = h->id;
	gen = h->gen;

	cb = vhca_ipoib_skb_cb(skb);
	cb->magic = 0;
	fault = vhca_ipoib_fault_take(up);
	switch (fault) {
	case VHCA_IPOIB_FAULT_COOKIE:
		cookie = ~cookie;
		if (mode == VHCA_TX_META_METADATA)
			mode = VHCA_TX_META_HEADER;
		break;
	case VHCA_IPOIB_FAULT_STALE:
		gen ^= BIT(31);
		if (mode == VHCA_TX_META_METADATA)
			mode = VHCA_TX_META_HEADER;
		break;
	case VHCA_IPOIB_FAULT_LOWER:
		err = vhca_ipoib_fault_dst(skb, priv->netdev,
					   METADATA_HW_PORT_MUX, id);
		goto out;
	case VHCA_IPOIB_FAULT_TYPE:
		err = vhca_ipoib_fault_dst(skb, up->netdev,
					   METADATA_IP_TUNNEL, id);
		goto out;
	default:
		break;
	}

	switch (mode) {
	case VHCA_TX_META_CB:
		cb->cookie = cookie;
		cb->id = id;
		cb->gen = gen;
		cb->check = vhca_ipoib_cb_check(up->cookie, id, gen);
		cb->magic = VHCA_IPOIB_CB_MAGIC;
		break;
	case VHCA_TX_META_HEADER:
		err = vhca_ipoib_attach_header(up, skb, cookie, id, gen);
		break;
	case VHCA_TX_META_METADATA:
		skb_dst_drop(skb);
		/* the handle's own reference keeps the dst alive under RCU */
		dst_hold(&h->md_dst->dst);
		skb_dst_set(skb, &h->md_dst->dst);
		break;
	}
out:
	rcu_read_unlock();
	if (err)
		vhca_ipoib_drop(up, VHCA_IPOIB_DROP_HANDLE_ALLOC);
	return err;
}

/* ------------------------------------------------------------------ */
/* Uplink side: validate and take                                      */
/* ------------------------------------------------------------------ */

/* the live handle @id of generation @gen, referenced for a WQE */
static struct vhca_ipoib_handle *
vhca_ipoib_handle_get(struct vhca_ipoib_uplink *up, u32 id, u32 gen,
		      const struct metadata_dst *md)
{
	struct vhca_ipoib_handle *h;

	rcu_read_lock();
	h = xa_load(&up->handles, id);
	if (h && (md ? h->md_dst != md : h->gen != gen))
		h = NULL;
	if (h && !kref_get_unless_zero(&h->ref))
		h = NULL;
	rcu_read_unlock();
	if (!h)
		vhca_ipoib_drop(up, VHCA_IPOIB_DROP_META_STALE);
	return h;
}

/**
 * vhca_ipoib_meta_take() - the handle an skb's metadata names
 * @up: the uplink
 * @skb: an skb in the uplink's transmit
 *
 * Checks, in order: a metadata dst (type HW_PORT_MUX, lower_dev this
 * uplink, the handle's own dst); a cb (magic, cookie, check); a pushed
 * header (magic, cookie). The metadata is removed from the skb (dst
 * dropped, cb magic cleared, header pulled).
 *
 * Return: the handle with a reference for the WQE, or NULL with the
 * reason counted (the caller drops the skb).
 */
struct vhca_ipoib_handle *vhca_ipoib_meta_take(struct vhca_ipoib_uplink *up,
					       struct sk_buff *skb)
{
	struct metadata_dst *md = skb_metadata_dst(skb);
	const struct vhca_ipoib_txhdr *hdr;
	struct vhca_ipoib_handle *h;
	struct vhca_ipoib_cb *cb;

	if (md) {
		if (md->type != METADATA_HW_PORT_MUX) {
			vhca_ipoib_drop(up, VHCA_IPOIB_DROP_META_BAD_TYPE);
			return NULL;
		}
		if (md->u.port_info.lower_dev != up->netdev) {
			vhca_ipoib_drop(up, VHCA_IPOIB_DROP_META_WRONG_LOWER);
			return NULL;
		}
		h = vhca_ipoib_handle_get(up, md->u.port_info.port_id, 0, md);
		skb_dst_drop(skb);
		return h;
	}

	cb = vhca_ipoib_skb_cb(skb);
	if (cb->magic == VHCA_IPOIB_CB_MAGIC) {
		cb->magic = 0;
		if (cb->cookie != up->cookie ||
		    cb->check != vhca_ipoib_cb_check(up->cookie, cb->id,
						     cb->gen)) {
			vhca_ipoib_drop(up, VHCA_IPOIB_DROP_CB_CLOBBERED);
			return NULL;
		}
		return vhca_ipoib_handle_get(up, cb->id, cb->gen, NULL);
	}

	if (!pskb_may_pull(skb, VHCA_IPOIB_TXHDR_LEN + VHCA_IPOIB_ENCAP_LEN))
		goto missing;
	hdr = (const struct vhca_ipoib_txhdr *)skb->data;
	if (hdr->magic != cpu_to_be32(VHCA_IPOIB_HDR_MAGIC))
		goto missing;
	if (hdr->cookie != cpu_to_be32(up->cookie)) {
		vhca_ipoib_drop(up, VHCA_IPOIB_DROP_META_BAD_COOKIE);
		return NULL;
	}
	h = vhca_ipoib_handle_get(up, be32_to_cpu(hdr->id),
				  be32_to_cpu(hdr->gen), NULL);
	if (h)
		__skb_pull(skb, VHCA_IPOIB_TXHDR_LEN);
	return h;

missing:
	vhca_ipoib_drop(up, VHCA_IPOIB_DROP_META_MISSING);
	return NULL;
}
