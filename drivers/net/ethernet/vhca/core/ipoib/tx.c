// SPDX-License-Identifier: GPL-2.0
/*
 * The uplink's transmit: an skb an upper handed over with TX metadata
 * becomes one WQE on the TX mux SQ of its queue:
 *
 *   ctrl (SEND or LSO, CSUM for CHECKSUM_PARTIAL)
 *   datagram (DQPN, Q_Key, P_Key index, src_qpn = the upper's UD QP, AV)
 *   [LSO: mss, hdr_len, the headers inline]
 *   data segments: the skb's linear part and fragments, DMA-mapped
 *
 * The payload starts with the 4-byte IPoIB encapsulation ib_ipoib put
 * there (its 20-byte pseudo header is already gone). The WQE holds the
 * skb, its DMA mappings and a handle reference until its completion (or
 * a later signaled one) comes back; BQL counts bytes on the wire.
 */

#include <linux/dma-mapping.h>
#include <linux/tcp.h>
#include <net/tcp.h>

#include "ipoib.h"

/* the WQEBBs left between the producer and the consumer */
static u32 vhca_ipoib_sq_room(const struct vhca_ipoib_sq *sq)
{
	return sq->cnt - (sq->pc - READ_ONCE(sq->cc));
}

/* room for the largest WQE plus the NOP a wrap may need */
static bool vhca_ipoib_sq_has_room(const struct vhca_ipoib_sq *sq)
{
	return vhca_ipoib_sq_room(sq) >= 2 * VHCA_SEND_WQE_MAX_BBS;
}

static void *vhca_ipoib_sq_bb(struct vhca_ipoib_sq *sq, u32 idx)
{
	return sq->buf + idx * VHCA_WQEBB;
}

/* fill the ring's end with a NOP so the next WQE starts at index 0 */
static void vhca_ipoib_sq_pad(struct vhca_ipoib_sq *sq, u32 idx, u32 nbb)
{
	struct vhca_wqe_ctrl *ctrl = vhca_ipoib_sq_bb(sq, idx);

	memset(ctrl, 0, nbb * VHCA_WQEBB);
	ctrl->opcode = VHCA_WQE_OP_NOP;
	ctrl->wqe_counter = cpu_to_be16(sq->pc);
	ctrl->ds = nbb * (VHCA_WQEBB / VHCA_WQE_DS);
	ctrl->qpn = cpu_to_be32(sq->qpn);
	sq->info[idx] = (struct vhca_ipoib_tx_info){ .nbb = nbb };
	sq->pc += nbb;
	sq->stats.nop++;
}

static void vhca_ipoib_tx_unmap(struct vhca_ipoib_sq *sq, unsigned int n)
{
	struct device *dev = sq->ch->up->cdev->dev;
	struct vhca_ipoib_tx_dma *d;

	while (n--) {
		d = &sq->dma[sq->dma_cc++ & sq->dma_mask];
		if (d->page)
			dma_unmap_page(dev, d->addr, d->len, DMA_TO_DEVICE);
		else
			dma_unmap_single(dev, d->addr, d->len, DMA_TO_DEVICE);
	}
}

/* undo the mappings of a WQE that is not posted (newest first) */
static void vhca_ipoib_tx_unmap_new(struct vhca_ipoib_sq *sq, unsigned int n)
{
	struct device *dev = sq->ch->up->cdev->dev;
	struct vhca_ipoib_tx_dma *d;

	while (n--) {
		d = &sq->dma[--sq->dma_pc & sq->dma_mask];
		if (d->page)
			dma_unmap_page(dev, d->addr, d->len, DMA_TO_DEVICE);
		else
			dma_unmap_single(dev, d->addr, d->len, DMA_TO_DEVICE);
	}
}

static void vhca_ipoib_tx_seg(struct vhca_ipoib_sq *sq,
			      struct vhca_wqe_data *seg, dma_addr_t addr,
			      u32 len, bool page)
{
	struct vhca_ipoib_tx_dma *d = &sq->dma[sq->dma_pc++ & sq->dma_mask];

	d->addr = addr;
	d->len = len;
	d->page = page;
	seg->byte_count = cpu_to_be32(len);
	seg->lkey = cpu_to_be32(sq->ch->up->lkey);
	seg->addr = cpu_to_be64(addr);
}

/* Map the skb from byte @off of its linear part on into data segments.
 * Return: the segment count, or -ENOMEM with nothing left mapped.
 */
static int vhca_ipoib_tx_map(struct vhca_ipoib_sq *sq, struct sk_buff *skb,
			     u32 off, struct vhca_wqe_data *seg)
{
	struct device *dev = sq->ch->up->cdev->dev;
	u32 head = skb_headlen(skb);
	dma_addr_t addr;
	int i, n = 0;

	if (head > off) {
		addr = dma_map_single(dev, skb->data + off, head - off,
				      DMA_TO_DEVICE);
		if (dma_mapping_error(dev, addr))
			return -ENOMEM;
		vhca_ipoib_tx_seg(sq, &seg[n++], addr, head - off, false);
	}
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *frag = &skb_shinfo(skb)->frags[i];
		u32 len = skb_frag_size(frag);

		if (!len)
			continue;
		addr = skb_frag_dma_map(dev, frag, 0, len, DMA_TO_DEVICE);
		if (dma_mapping_error(dev, addr)) {
			vhca_ipoib_tx_unmap_new(sq, n);
			return -ENOMEM;
		}
		vhca_ipoib_tx_seg(sq, &seg[n++], addr, len, true);
	}
	return n;
}

/* the bytes of the LSO segment with @hdr_len header bytes inline */
static u32 vhca_ipoib_lso_seg_size(u32 hdr_len)
{
	return ALIGN(sizeof(struct vhca_wqe_lso) + hdr_len, VHCA_WQE_DS);
}

static void vhca_ipoib_tx_doorbell(struct vhca_ipoib_sq *sq)
{
	struct vhca_ipoib_uplink *up = sq->ch->up;

	/* WQEs before the record */
	dma_wmb();
	WRITE_ONCE(sq->dbr[VHCA_DBR_SEND], cpu_to_be32(sq->pc & 0xffff));
	/* the record before the doorbell register write */
	wmb();
	vhca_core_uar_write64(up->cdev, up->uar, VHCA_UAR_SQ_DB,
			      vhca_sq_db_val(sq->qpn, sq->pc));
	sq->db_pc = sq->pc;
	sq->stats.doorbells++;
}

/* Build and post the WQE of @skb for handle @h. Return: 0, or a negative
 * errno with the skb untouched and the drop reason in @reason.
 */
static int vhca_ipoib_tx_post(struct vhca_ipoib_sq *sq, struct sk_buff *skb,
			      struct vhca_ipoib_handle *h, u32 *widx,
			      enum vhca_ipoib_drop *reason)
{
	struct vhca_ipoib_uplink *up = sq->ch->up;
	u32 max_hdr = be16_to_cpu(up->cdev->cap.max_lso_hdr);
	u32 nfrags = skb_shinfo(skb)->nr_frags + 1;
	struct vhca_wqe_datagram *dg;
	struct vhca_ipoib_tx_info *info;
	struct vhca_wqe_ctrl *ctrl;
	u32 size, nbb, idx, pad, hdr_len = 0, packets = 1, bytes;
	bool lso = skb_is_gso(skb);
	void *seg;
	int n;

	if (lso) {
		if (!(skb_shinfo(skb)->gso_type & (SKB_GSO_TCPV4 |
						   SKB_GSO_TCPV6))) {
			*reason = VHCA_IPOIB_DROP_LSO_HDR;
			return -EINVAL;
		}
		hdr_len = skb_tcp_all_headers(skb);
		if (hdr_len > max_hdr || hdr_len > skb_headlen(skb)) {
			*reason = VHCA_IPOIB_DROP_LSO_HDR;
			return -EINVAL;
		}
		packets = skb_shinfo(skb)->gso_segs;
	}
	size = sizeof(*ctrl) + sizeof(*dg) +
	       (lso ? vhca_ipoib_lso_seg_size(hdr_len) : 0);
	/* too many fragments for one WQE: one linear buffer instead */
	if (size + nfrags * sizeof(struct vhca_wqe_data) >
	    VHCA_SEND_WQE_MAX_BBS * VHCA_WQEBB ||
	    nfrags > up->cdev->cap.max_sq_sge) {
		if (skb_linearize(skb)) {
			*reason = VHCA_IPOIB_DROP_LINEARIZE;
			return -ENOMEM;
		}
		nfrags = 1;
	}
	size += nfrags * sizeof(struct vhca_wqe_data);
	nbb = DIV_ROUND_UP(size, VHCA_WQEBB);

	idx = sq->pc & (sq->cnt - 1);
	pad = idx + nbb > sq->cnt ? sq->cnt - idx : 0;
	if (pad) {
		vhca_ipoib_sq_pad(sq, idx, pad);
		idx = 0;
	}

	ctrl = vhca_ipoib_sq_bb(sq, idx);
	memset(ctrl, 0, nbb * VHCA_WQEBB);
	dg = (struct vhca_wqe_datagram *)(ctrl + 1);
	seg = dg + 1;
	if (lso) {
		struct vhca_wqe_lso *l = seg;

		l->mss = cpu_to_be16(skb_shinfo(skb)->gso_size);
		l->hdr_len = cpu_to_be16(hdr_len);
		skb_copy_from_linear_data(skb, l->hdr, hdr_len);
		seg += vhca_ipoib_lso_seg_size(hdr_len);
	}
	n = vhca_ipoib_tx_map(sq, skb, hdr_len, seg);
	if (n < 0) {
		*reason = VHCA_IPOIB_DROP_DMA_MAP;
		return n;
	}
	/* the real size: empty fragments and a header-only head are skipped */
	size = (seg - (void *)ctrl) + n * sizeof(struct vhca_wqe_data);

	ctrl->opcode = lso ? VHCA_WQE_OP_LSO : VHCA_WQE_OP_SEND;
	if (skb->ip_summed == CHECKSUM_PARTIAL || lso) {
		ctrl->flags |= VHCA_WQE_F_CSUM;
		sq->stats.csum_partial++;
	} else {
		sq->stats.csum_none++;
	}
	ctrl->wqe_counter = cpu_to_be16(sq->pc);
	ctrl->ds = DIV_ROUND_UP(size, VHCA_WQE_DS);
	ctrl->qpn = cpu_to_be32(sq->qpn);

	dg->dqpn = cpu_to_be32(h->key.dqpn);
	dg->qkey = cpu_to_be32(h->key.qkey);
	dg->pkey_index = cpu_to_be16(h->key.pkey_index);
	dg->src_qpn = cpu_to_be32(h->key.src_qpn);
	dg->av = h->key.av;

	bytes = skb->len + (packets - 1) * hdr_len;
	info = &sq->info[idx];
	info->skb = skb;
	info->handle = h;
	info->nbb = nbb;
	info->num_dma = n;
	info->bytes = bytes;
	info->packets = packets;
	sq->pc += nbb;

	sq->stats.packets += packets;
	sq->stats.bytes += bytes;
	if (lso) {
		sq->stats.lso++;
		sq->stats.lso_bytes += bytes;
	}
	skb_tx_timestamp(skb);
	*widx = idx;
	return 0;
}

/* is this WQE to be signaled; the last of a burst always is */
static bool vhca_ipoib_tx_signal(struct vhca_ipoib_sq *sq, bool more)
{
	if (!more || ++sq->unsignaled >= VHCA_IPOIB_TX_SIG_EVERY ||
	    !vhca_ipoib_sq_has_room(sq)) {
		sq->unsignaled = 0;
		return true;
	}
	return false;
}

/* Make sure the device sees everything posted: the last WQE signaled (so
 * its skbs come back) and the doorbell rung. For the end of a burst whose
 * last skb was dropped or refused.
 */
static void vhca_ipoib_tx_flush(struct vhca_ipoib_sq *sq)
{
	struct vhca_wqe_ctrl *ctrl;

	if (sq->pc == sq->db_pc)
		return;
	if (sq->unsignaled) {
		ctrl = vhca_ipoib_sq_bb(sq, sq->last);
		ctrl->flags |= VHCA_WQE_F_SIGNALED;
		sq->unsignaled = 0;
	}
	vhca_ipoib_tx_doorbell(sq);
}

/**
 * vhca_ipoib_uplink_xmit() - the uplink's ndo_start_xmit
 * @skb: an skb from an upper, with TX metadata
 * @dev: the uplink netdev
 *
 * Return: NETDEV_TX_OK, or NETDEV_TX_BUSY (queue full, skb untouched).
 */
netdev_tx_t vhca_ipoib_uplink_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct vhca_ipoib_uplink *up = vhca_ipoib_uplink(dev);
	u16 q = skb_get_queue_mapping(skb);
	bool more = netdev_xmit_more();
	enum vhca_ipoib_drop reason;
	struct vhca_ipoib_handle *h;
	struct vhca_wqe_ctrl *ctrl;
	struct vhca_ipoib_sq *sq;
	u32 idx;

	if (unlikely(q >= up->params.num_channels)) {
		vhca_ipoib_drop(up, VHCA_IPOIB_DROP_XMIT);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	sq = &up->ch[q]->sq;
	if (unlikely(!test_bit(VHCA_IPOIB_SQ_ENABLED, &sq->state)))
		goto drop;
	if (unlikely(!vhca_ipoib_sq_has_room(sq))) {
		netif_tx_stop_queue(sq->txq);
		sq->stats.stopped++;
		vhca_ipoib_tx_flush(sq);
		return NETDEV_TX_BUSY;
	}

	/* validates and strips the metadata; counted if untrusted */
	h = vhca_ipoib_meta_take(up, skb);
	if (!h)
		goto drop;
	if (vhca_ipoib_tx_post(sq, skb, h, &idx, &reason)) {
		vhca_ipoib_handle_put(h);
		vhca_ipoib_drop(up, reason);
		goto drop;
	}

	ctrl = vhca_ipoib_sq_bb(sq, idx);
	sq->last = idx;
	if (vhca_ipoib_tx_signal(sq, more))
		ctrl->flags |= VHCA_WQE_F_SIGNALED;
	if (!vhca_ipoib_sq_has_room(sq)) {
		netif_tx_stop_queue(sq->txq);
		sq->stats.stopped++;
		/* a completion may have made room meanwhile */
		smp_mb();
		if (vhca_ipoib_sq_has_room(sq)) {
			netif_tx_start_queue(sq->txq);
			sq->stats.wake++;
		}
	}
	if (__netdev_tx_sent_queue(sq->txq, sq->info[idx].bytes, more))
		vhca_ipoib_tx_doorbell(sq);
	return NETDEV_TX_OK;

drop:
	sq->stats.dropped++;
	dev_kfree_skb_any(skb);
	if (!more)
		vhca_ipoib_tx_flush(sq);
	return NETDEV_TX_OK;
}

/* give up one completed (or abandoned) WQE at the consumer counter */
static void vhca_ipoib_tx_complete_one(struct vhca_ipoib_sq *sq,
				       struct vhca_ipoib_tx_info *info,
				       int budget, u32 *pkts, u32 *bytes)
{
	if (info->skb) {
		vhca_ipoib_tx_unmap(sq, info->num_dma);
		*pkts += info->packets;
		*bytes += info->bytes;
		napi_consume_skb(info->skb, budget);
	}
	if (info->handle)
		vhca_ipoib_handle_put(info->handle);
	sq->cc += info->nbb;
	memset(info, 0, sizeof(*info));
}

/**
 * vhca_ipoib_poll_tx() - handle TX completions (NAPI)
 * @sq: the SQ
 * @budget: most CQEs to handle
 *
 * Return: CQEs handled.
 */
int vhca_ipoib_poll_tx(struct vhca_ipoib_sq *sq, int budget)
{
	struct vhca_ipoib_cq *cq = &sq->cq;
	u32 pkts = 0, bytes = 0, mask = sq->cnt - 1;
	struct vhca_cqe *cqe;
	int n = 0;

	while (n < budget && (cqe = vhca_ipoib_cq_next(cq))) {
		u16 counter = be16_to_cpu(cqe->wqe_counter);
		u32 walked = 0;
		bool last;

		cq->ci++;
		n++;
		if (unlikely(cqe->opcode == VHCA_CQE_REQ_ERR)) {
			if (cqe->status == VHCA_CQE_ST_WR_FLUSH_ERR) {
				sq->stats.flushed++;
			} else {
				sq->stats.cqe_err++;
				netdev_warn_once(sq->ch->up->netdev,
						 "SQ %u: error CQE status %u syndrome 0x%x\n",
						 sq->ch->index, cqe->status,
						 be32_to_cpu(cqe->vendor_syndrome));
				set_bit(VHCA_IPOIB_SQ_ERR, &sq->state);
				schedule_work(&sq->recover_work);
			}
		}
		/* this WQE and the unsignaled ones before it are done */
		do {
			struct vhca_ipoib_tx_info *info = &sq->info[sq->cc &
								     mask];

			if (sq->cc == sq->pc || !info->nbb || walked > mask)
				break;
			last = (u16)sq->cc == counter;
			walked += info->nbb;
			vhca_ipoib_tx_complete_one(sq, info, budget, &pkts,
						   &bytes);
		} while (!last);
	}
	if (!n)
		return 0;
	vhca_ipoib_cq_update_ci(cq);
	netdev_tx_completed_queue(sq->txq, pkts, bytes);
	/* cc before the wake test; pairs with the xmit's smp_mb() */
	smp_mb();
	if (netif_tx_queue_stopped(sq->txq) && vhca_ipoib_sq_has_room(sq) &&
	    test_bit(VHCA_IPOIB_SQ_ENABLED, &sq->state)) {
		netif_tx_wake_queue(sq->txq);
		sq->stats.wake++;
	}
	return n;
}

/**
 * vhca_ipoib_sq_free_all() - give up every WQE still posted
 * @sq: the SQ, its QP destroyed or reset, no xmit and no NAPI running
 *
 * Skbs are freed, mappings undone, handles released; the counters
 * restart at zero.
 */
void vhca_ipoib_sq_free_all(struct vhca_ipoib_sq *sq)
{
	u32 pkts = 0, bytes = 0, lost = 0;

	while (sq->cc != sq->pc) {
		struct vhca_ipoib_tx_info *info = &sq->info[sq->cc &
							     (sq->cnt - 1)];

		if (!info->nbb) {
			/* cannot happen; do not loop forever */
			WARN_ON_ONCE(1);
			break;
		}
		if (info->skb)
			lost++;
		vhca_ipoib_tx_complete_one(sq, info, 0, &pkts, &bytes);
	}
	sq->stats.flushed += lost;
	sq->pc = 0;
	sq->cc = 0;
	sq->db_pc = 0;
	sq->last = 0;
	sq->unsignaled = 0;
	sq->dma_pc = 0;
	sq->dma_cc = 0;
	WRITE_ONCE(sq->dbr[VHCA_DBR_SEND], 0);
	memset(sq->buf, 0, sq->buf_size);
}
