// SPDX-License-Identifier: GPL-2.0
/*
 * The uplink's receive: RQ-only QPs fed by the RSS tables of the uppers'
 * addressed UD QPs. Each RQ WQE scatters the 40-byte GRH area into a
 * small coherent slot and the datagram (4-byte IPoIB encapsulation, then
 * IP) into a page_pool page. A receive CQE names the addressed QP, so the
 * skb goes to that upper (parent or P_Key child) through an RCU table.
 *
 * The 24-byte contract with ib_ipoib: the GRH says unicast, multicast or
 * broadcast (and identifies the port's own multicast, dropped); the skb
 * gets a zeroed 20-byte pseudo header in front of the encapsulation and
 * its MAC header there, so GRO compares hard_header_len (24) equal bytes,
 * and then data starts at the IP header, as ib_ipoib's own receive does.
 */

#include <linux/dma-mapping.h>
#include <linux/if_infiniband.h>
#include <net/page_pool.h>
#include <rdma/ib_verbs.h>

#include "ipoib.h"

static struct vhca_wqe_data *vhca_ipoib_rq_wqe(struct vhca_ipoib_rq *rq,
					       u32 idx)
{
	return (struct vhca_wqe_data *)rq->buf + idx * VHCA_IPOIB_RX_SEGS;
}

static void vhca_ipoib_rq_post_one(struct vhca_ipoib_rq *rq, u32 idx)
{
	struct vhca_wqe_data *seg = vhca_ipoib_rq_wqe(rq, idx);
	u32 lkey = rq->ch->up->lkey;

	seg[0].byte_count = cpu_to_be32(VHCA_IPOIB_GRH_LEN);
	seg[0].lkey = cpu_to_be32(lkey);
	seg[0].addr = cpu_to_be64(rq->grh_dma +
				  idx * VHCA_IPOIB_RX_GRH_STRIDE);
	seg[1].byte_count = cpu_to_be32(PAGE_SIZE);
	seg[1].lkey = cpu_to_be32(lkey);
	seg[1].addr = cpu_to_be64(rq->info[idx].dma);
}

static void vhca_ipoib_rq_doorbell(struct vhca_ipoib_rq *rq)
{
	/* WQEs before the record; the record is the RQ's only doorbell */
	dma_wmb();
	WRITE_ONCE(rq->dbr[VHCA_DBR_RECV], cpu_to_be32(rq->pc & 0xffff));
}

/**
 * vhca_ipoib_rq_fill() - post buffers until the RQ is full
 * @rq: the RQ
 * @gfp: allocation flags (GFP_ATOMIC in NAPI)
 *
 * Return: 0, or -ENOMEM if not one buffer could be posted to an empty RQ.
 */
int vhca_ipoib_rq_fill(struct vhca_ipoib_rq *rq, gfp_t gfp)
{
	u32 start = rq->pc;

	while (rq->pc - rq->cc < rq->cnt) {
		u32 idx = rq->pc & (rq->cnt - 1);
		struct vhca_ipoib_rx_info *info = &rq->info[idx];

		/* a slot whose page was kept (copied packet) is reused */
		if (!info->page) {
			info->page = page_pool_alloc_pages(rq->pool, gfp);
			if (!info->page) {
				rq->stats.alloc_fail++;
				break;
			}
			info->dma = page_pool_get_dma_addr(info->page);
		}
		vhca_ipoib_rq_post_one(rq, idx);
		rq->pc++;
	}
	if (rq->pc != start)
		vhca_ipoib_rq_doorbell(rq);
	return rq->pc == rq->cc ? -ENOMEM : 0;
}

/**
 * vhca_ipoib_rq_free_all() - take every buffer back
 * @rq: the RQ, its QP reset or destroyed, NAPI not running
 */
void vhca_ipoib_rq_free_all(struct vhca_ipoib_rq *rq)
{
	u32 i;

	for (i = 0; i < rq->cnt; i++) {
		struct vhca_ipoib_rx_info *info = &rq->info[i];

		if (!info->page)
			continue;
		page_pool_put_full_page(rq->pool, info->page, false);
		info->page = NULL;
	}
	rq->pc = 0;
	rq->cc = 0;
	WRITE_ONCE(rq->dbr[VHCA_DBR_RECV], 0);
}

/* unicast, multicast or broadcast, from the GRH's destination GID */
static u8 vhca_ipoib_pkt_type(const struct net_device *ndev,
			      const struct ib_grh *grh)
{
	if (grh->dgid.raw[0] != 0xff)
		return PACKET_HOST;
	if (!memcmp(grh->dgid.raw, ndev->broadcast + 4, sizeof(grh->dgid)))
		return PACKET_BROADCAST;
	return PACKET_MULTICAST;
}

/* the skb of a received datagram of @len bytes in @page */
static struct sk_buff *vhca_ipoib_rx_skb(struct vhca_ipoib_rq *rq,
					 struct vhca_ipoib_rx_info *info,
					 u32 len)
{
	struct napi_struct *napi = &rq->ch->napi;
	void *va = page_address(info->page);
	struct sk_buff *skb;
	u32 hlen;

	dma_sync_single_for_cpu(rq->ch->up->cdev->dev, info->dma, len,
				DMA_FROM_DEVICE);
	hlen = min_t(u32, len, VHCA_IPOIB_RX_COPYBREAK);
	skb = napi_alloc_skb(napi, hlen);
	if (!skb)
		return NULL;
	skb_put_data(skb, va, hlen);
	if (len > hlen) {
		/* the page goes with the skb and back to the pool later */
		skb_add_rx_frag(skb, 0, info->page, hlen, len - hlen,
				PAGE_SIZE);
		skb_mark_for_recycle(skb);
		info->page = NULL;
	}
	/* else the page stays in the slot and is posted again */
	return skb;
}

/* one receive CQE; the WQE's buffer is consumed either way */
static void vhca_ipoib_rx_cqe(struct vhca_ipoib_rq *rq,
			      const struct vhca_cqe *cqe)
{
	struct vhca_ipoib_uplink *up = rq->ch->up;
	u32 idx = be16_to_cpu(cqe->wqe_counter) & (rq->cnt - 1);
	struct vhca_ipoib_rx_info *info = &rq->info[idx];
	u32 qpn = be32_to_cpu(cqe->qpn) & VHCA_QPN_MASK;
	u32 byte_cnt = be32_to_cpu(cqe->byte_cnt);
	struct vhca_ipoib_upper_stats *st;
	struct vhca_ipoib_upper *priv;
	const struct ib_grh *grh;
	struct net_device *ndev;
	struct sk_buff *skb;
	u32 len;

	if (unlikely(cqe->opcode != VHCA_CQE_RESP_SEND || cqe->status)) {
		/* flushed or failed: the buffer is reposted as it is */
		rq->stats.cqe_err++;
		return;
	}
	if (unlikely(byte_cnt < VHCA_IPOIB_GRH_LEN + VHCA_IPOIB_ENCAP_LEN ||
		     byte_cnt > VHCA_IPOIB_GRH_LEN + PAGE_SIZE ||
		     !info->page)) {
		vhca_ipoib_drop(up, VHCA_IPOIB_DROP_BAD_LEN);
		rq->stats.dropped++;
		return;
	}
	len = byte_cnt - VHCA_IPOIB_GRH_LEN;

	priv = xa_load(&up->uppers, qpn);
	if (unlikely(!priv || !test_bit(VHCA_IPOIB_UPPER_OPEN, &priv->state))) {
		vhca_ipoib_drop(up, VHCA_IPOIB_DROP_NO_UPPER);
		rq->stats.dropped++;
		return;
	}
	ndev = priv->netdev;

	grh = (const struct ib_grh *)(rq->grh + idx * VHCA_IPOIB_RX_GRH_STRIDE);
	if (cqe->flags & VHCA_CQE_F_GRH && grh->dgid.raw[0] == 0xff &&
	    (be32_to_cpu(cqe->src_qp) & VHCA_QPN_MASK) == priv->qpn &&
	    be16_to_cpu(cqe->slid) ==
	    READ_ONCE(up->cdev->ports[up->port - 1].attr.lid)) {
		/* our own multicast, looped back */
		vhca_ipoib_drop(up, VHCA_IPOIB_DROP_OWN_MCAST);
		rq->stats.dropped++;
		return;
	}

	skb = vhca_ipoib_rx_skb(rq, info, len);
	if (unlikely(!skb)) {
		rq->stats.alloc_fail++;
		rq->stats.dropped++;
		return;
	}
	skb->dev = ndev;
	skb->pkt_type = cqe->flags & VHCA_CQE_F_GRH ?
			vhca_ipoib_pkt_type(ndev, grh) : PACKET_HOST;
	if (skb->pkt_type != PACKET_HOST)
		rq->stats.mcast++;
	skb->protocol = *(__be16 *)skb->data;	/* ipoib_header.proto */

	/* zeroed pseudo header, MAC header over it, data at the IP header */
	skb_push(skb, VHCA_IPOIB_PSEUDO_LEN);
	memset(skb->data, 0, VHCA_IPOIB_PSEUDO_LEN);
	skb_reset_mac_header(skb);
	skb_pull(skb, VHCA_IPOIB_HARD_LEN);

	if ((ndev->features & NETIF_F_RXCSUM) &&
	    (cqe->flags & VHCA_CQE_F_L4_OK) &&
	    (skb->protocol != htons(ETH_P_IP) ||
	     (cqe->flags & VHCA_CQE_F_L3_OK))) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		rq->stats.csum_unnecessary++;
	} else {
		rq->stats.csum_none++;
	}
	if ((ndev->features & NETIF_F_RXHASH) && (cqe->flags & VHCA_CQE_F_RSS))
		skb_set_hash(skb, be32_to_cpu(cqe->rss_hash),
			     cqe->rss_type == VHCA_RSS_TYPE_L4 ?
			     PKT_HASH_TYPE_L4 : PKT_HASH_TYPE_L3);
	skb_record_rx_queue(skb, min_t(unsigned int, rq->ch->index,
				       ndev->real_num_rx_queues - 1));

	rq->stats.packets++;
	rq->stats.bytes += len;
	st = this_cpu_ptr(priv->stats);
	u64_stats_update_begin(&st->syncp);
	st->rx_packets++;
	st->rx_bytes += len;
	u64_stats_update_end(&st->syncp);

	switch (napi_gro_receive(&rq->ch->napi, skb)) {
	case GRO_MERGED:
	case GRO_MERGED_FREE:
		rq->stats.gro++;
		break;
	default:
		break;
	}
}

/**
 * vhca_ipoib_poll_rx() - handle receive CQEs and refill (NAPI)
 * @rq: the RQ
 * @budget: most packets to handle
 *
 * Return: CQEs handled; @budget when the RQ could not be refilled enough
 *	(poll again rather than sleep with an empty RQ).
 */
int vhca_ipoib_poll_rx(struct vhca_ipoib_rq *rq, int budget)
{
	struct vhca_ipoib_cq *cq = &rq->cq;
	struct vhca_cqe *cqe;
	int n = 0;

	rcu_read_lock();
	while (n < budget && (cqe = vhca_ipoib_cq_next(cq))) {
		vhca_ipoib_rx_cqe(rq, cqe);
		/* the device consumes WQEs in ring order */
		rq->cc++;
		cq->ci++;
		n++;
	}
	rcu_read_unlock();
	if (n)
		vhca_ipoib_cq_update_ci(cq);
	vhca_ipoib_rq_fill(rq, GFP_ATOMIC);
	if (rq->pc - rq->cc < rq->cnt / 2)
		return budget;
	return n;
}
