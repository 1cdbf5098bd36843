// SPDX-License-Identifier: GPL-2.0
/*
 * The uplink's hardware queues: completion queues, the TX mux SQ and the
 * RQ-only QP of each channel, the channel's NAPI context and the CQ arm
 * policy (interrupt moderation), and the QP commands the uppers share.
 *
 * A channel is created whole (CQs, QPs in RTS/RTR, RQ filled) and
 * destroyed whole; the uplink swaps channel sets under its mutex with its
 * TX queues disabled and NAPI stopped (uplink.c). Recovery of one SQ or
 * RQ moves its QP through RESET back to RTS/RTR in place.
 */

#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <net/page_pool.h>

#include "../vhca_core.h"
#include "ipoib.h"

/* ------------------------------------------------------------------ */
/* Commands                                                            */
/* ------------------------------------------------------------------ */

static int vhca_ipoib_cmd_obj(struct vhca_core_dev *cdev, u16 opcode,
			      u32 num, u32 *out_num)
{
	struct vhca_cmd_obj_out out = {};
	struct vhca_cmd_obj_in in = {};
	int err;

	vhca_cmd_in_hdr_set(&in.hdr, opcode, 0);
	in.num = cpu_to_be32(num);
	err = vhca_cmd_exec(cdev, &in, sizeof(in), &out, sizeof(out));
	if (!err && out_num)
		*out_num = be32_to_cpu(out.num);
	return err;
}

/**
 * vhca_ipoib_destroy_obj() - DESTROY_CQ, DESTROY_QP, DEALLOC_PD, ...
 * @cdev: the device
 * @opcode: the command
 * @num: the object
 *
 * Return: 0 or a negative errno.
 */
int vhca_ipoib_destroy_obj(struct vhca_core_dev *cdev, u16 opcode, u32 num)
{
	return vhca_ipoib_cmd_obj(cdev, opcode, num, NULL);
}

/**
 * vhca_ipoib_alloc_obj() - ALLOC_PD (kernel) or ALLOC_UAR
 * @cdev: the device
 * @opcode: the command
 * @num: the new object's number
 *
 * Return: 0 or a negative errno.
 */
int vhca_ipoib_alloc_obj(struct vhca_core_dev *cdev, u16 opcode, u32 *num)
{
	return vhca_ipoib_cmd_obj(cdev, opcode, 0, num);
}

/**
 * vhca_ipoib_cmd_modify_qp() - one MODIFY_QP
 * @up: the uplink (device, port)
 * @qpn: the QP
 * @cur: the state the driver believes it is in
 * @next: the state to move to
 * @mask: VHCA_QP_ATTR_* in @attr besides the state
 * @attr: attribute values, or NULL
 *
 * Return: 0 or a negative errno.
 */
int vhca_ipoib_cmd_modify_qp(struct vhca_ipoib_uplink *up, u32 qpn,
			     u8 cur, u8 next, u32 mask,
			     const struct vhca_qp_attr *attr)
{
	struct vhca_cmd_modify_qp_in in = {};
	struct vhca_cmd_simple_out out = {};

	vhca_cmd_in_hdr_set(&in.hdr, VHCA_CMD_OP_MODIFY_QP, 0);
	in.qpn = cpu_to_be32(qpn);
	in.cur_state = cur;
	in.next_state = next;
	in.attr_mask = cpu_to_be32(mask | VHCA_QP_ATTR_STATE |
				   VHCA_QP_ATTR_CUR_STATE);
	if (attr)
		in.attr = *attr;
	return vhca_cmd_exec(up->cdev, &in, sizeof(in), &out, sizeof(out));
}

/**
 * vhca_ipoib_qp_up() - move a UD QP from RESET to RTR or RTS
 * @up: the uplink (port)
 * @qpn: the QP, in RESET
 * @pkey_index: its P_Key index
 * @qkey: its Q_Key
 * @rts: go on to RTS (TX mux and addressed QPs), else stop at RTR
 *
 * Return: 0 or a negative errno; the QP is back in RESET on failure.
 */
int vhca_ipoib_qp_up(struct vhca_ipoib_uplink *up, u32 qpn, u16 pkey_index,
		     u32 qkey, bool rts)
{
	struct vhca_qp_attr attr = {};
	int err;

	attr.pkey_index = cpu_to_be16(pkey_index);
	attr.port = up->port;
	attr.qkey = cpu_to_be32(qkey);
	err = vhca_ipoib_cmd_modify_qp(up, qpn, VHCA_QPS_RESET, VHCA_QPS_INIT,
				       VHCA_QP_ATTR_PKEY_INDEX |
				       VHCA_QP_ATTR_PORT | VHCA_QP_ATTR_QKEY,
				       &attr);
	if (err)
		return err;
	err = vhca_ipoib_cmd_modify_qp(up, qpn, VHCA_QPS_INIT, VHCA_QPS_RTR,
				       0, NULL);
	if (err)
		goto err_reset;
	if (!rts)
		return 0;
	memset(&attr, 0, sizeof(attr));
	err = vhca_ipoib_cmd_modify_qp(up, qpn, VHCA_QPS_RTR, VHCA_QPS_RTS,
				       VHCA_QP_ATTR_SQ_PSN, &attr);
	if (err)
		goto err_reset;
	return 0;

err_reset:
	vhca_ipoib_qp_reset(up, qpn);
	return err;
}

/**
 * vhca_ipoib_qp_reset() - move a QP to RESET from whatever state it is in
 * @up: the uplink
 * @qpn: the QP
 *
 * ERR first (flushing what it has posted), then RESET: both are legal
 * from every state.
 */
void vhca_ipoib_qp_reset(struct vhca_ipoib_uplink *up, u32 qpn)
{
	struct vhca_cmd_modify_qp_in in = {};
	struct vhca_cmd_simple_out out = {};

	vhca_cmd_in_hdr_set(&in.hdr, VHCA_CMD_OP_MODIFY_QP, 0);
	in.qpn = cpu_to_be32(qpn);
	in.attr_mask = cpu_to_be32(VHCA_QP_ATTR_STATE);
	in.next_state = VHCA_QPS_ERR;
	vhca_cmd_exec(up->cdev, &in, sizeof(in), &out, sizeof(out));
	in.next_state = VHCA_QPS_RESET;
	vhca_cmd_exec(up->cdev, &in, sizeof(in), &out, sizeof(out));
}

/**
 * vhca_ipoib_create_qp() - CREATE_QP on the uplink's PD and UAR
 * @up: the uplink
 * @ctx: the context; pdn, uar and type are filled in here
 * @qpn: the new QP's number
 *
 * Return: 0 or a negative errno.
 */
int vhca_ipoib_create_qp(struct vhca_ipoib_uplink *up, struct vhca_qp_ctx *ctx,
			 u32 *qpn)
{
	struct vhca_cmd_create_qp_in in = {};
	struct vhca_cmd_obj_out out = {};
	int err;

	vhca_cmd_in_hdr_set(&in.hdr, VHCA_CMD_OP_CREATE_QP, 0);
	ctx->type = VHCA_QPT_UD;
	ctx->pdn = cpu_to_be32(up->pdn);
	ctx->uar = cpu_to_be32(up->uar);
	in.ctx = *ctx;
	err = vhca_cmd_exec(up->cdev, &in, sizeof(in), &out, sizeof(out));
	if (!err)
		*qpn = be32_to_cpu(out.num) & VHCA_QPN_MASK;
	return err;
}

/**
 * vhca_ipoib_uplink_set_rss() - spread an addressed QP over the RQs
 * @up: the uplink, its mutex held
 * @qpn: the upper's addressed UD QP
 * @enable: point its RSS table at the current channels' RQ-only QPs; else
 *	switch RSS off (its receives are then dropped: it has no RQ)
 *
 * Return: 0 or a negative errno.
 */
int vhca_ipoib_uplink_set_rss(struct vhca_ipoib_uplink *up, u32 qpn,
			      bool enable)
{
	struct vhca_cmd_simple_out out = {};
	struct vhca_cmd_set_rss_in *in;
	unsigned int i, n, log;
	int err;

	lockdep_assert_held(&up->mutex);
	in = kzalloc(sizeof(*in), GFP_KERNEL);
	if (!in)
		return -ENOMEM;
	vhca_cmd_in_hdr_set(&in->hdr, VHCA_CMD_OP_SET_RSS, 0);
	in->qpn = cpu_to_be32(qpn);
	if (enable) {
		n = up->params.num_channels;
		log = min_t(unsigned int, up->cdev->cap.log_max_rss_tbl,
			    ilog2(VHCA_RSS_MAX_TBL));
		in->fields = VHCA_RSS_F_IPV4 | VHCA_RSS_F_IPV6 |
			     VHCA_RSS_F_TCP | VHCA_RSS_F_UDP;
		in->log_tbl_size = max_t(unsigned int, log, 1);
		memcpy(in->key, up->rss_key, sizeof(in->key));
		for (i = 0; i < BIT(in->log_tbl_size); i++)
			in->tbl[i] = cpu_to_be32(up->ch[i % n]->rq.qpn);
	}
	err = vhca_cmd_exec(up->cdev, in, sizeof(*in), &out, sizeof(out));
	kfree(in);
	return err;
}

/* ------------------------------------------------------------------ */
/* Completion queues                                                   */
/* ------------------------------------------------------------------ */

static size_t vhca_ipoib_cq_bytes(const struct vhca_ipoib_cq *cq)
{
	return sizeof(struct vhca_cqe) << cq->log_size;
}

/* completion EQ interrupt for one of the channel's CQs */
static void vhca_ipoib_cq_comp(struct vhca_eq_comp *comp, u32 cqn)
{
	struct vhca_ipoib_cq *cq = container_of(comp, struct vhca_ipoib_cq,
						comp);

	napi_schedule(&cq->ch->napi);
}

/**
 * vhca_ipoib_cq_create() - create a CQ on a completion EQ
 * @up: the uplink
 * @cq: the CQ, zeroed
 * @ch: the channel its events schedule (NULL: no events are taken)
 * @eq: the completion EQ
 * @log_size: log2 of its CQE count
 *
 * Return: 0 or a negative errno, nothing left behind.
 */
int vhca_ipoib_cq_create(struct vhca_ipoib_uplink *up, struct vhca_ipoib_cq *cq,
			 struct vhca_ipoib_channel *ch, struct vhca_eq *eq,
			 u8 log_size)
{
	struct vhca_core_dev *cdev = up->cdev;
	struct vhca_cmd_create_cq_in in = {};
	struct vhca_cmd_obj_out out = {};
	u32 i;
	int err;

	cq->ch = ch;
	cq->log_size = log_size;
	cq->comp.handler = vhca_ipoib_cq_comp;
	cq->ring = dma_alloc_coherent(cdev->dev, vhca_ipoib_cq_bytes(cq),
				      &cq->ring_dma, GFP_KERNEL);
	if (!cq->ring)
		return -ENOMEM;
	for (i = 0; i < BIT(log_size); i++)
		cq->ring[i].owner = 1;
	cq->dbr = dma_pool_zalloc(up->dbr_pool, GFP_KERNEL, &cq->dbr_dma);
	if (!cq->dbr) {
		err = -ENOMEM;
		goto err_free_ring;
	}

	vhca_cmd_in_hdr_set(&in.hdr, VHCA_CMD_OP_CREATE_CQ, 0);
	in.ctx.log_size = log_size;
	in.ctx.eqn = cpu_to_be32(vhca_eq_eqn(eq));
	in.ctx.uar = cpu_to_be32(up->uar);
	in.ctx.ring_addr = cpu_to_be64(cq->ring_dma);
	in.ctx.dbr_addr = cpu_to_be64(cq->dbr_dma);
	err = vhca_cmd_exec(cdev, &in, sizeof(in), &out, sizeof(out));
	if (err)
		goto err_free_dbr;
	cq->cqn = be32_to_cpu(out.num);
	if (ch) {
		err = vhca_core_cq_comp_add(cdev, cq->cqn, &cq->comp);
		if (err)
			goto err_destroy;
	}
	return 0;

err_destroy:
	vhca_ipoib_destroy_obj(cdev, VHCA_CMD_OP_DESTROY_CQ, cq->cqn);
err_free_dbr:
	dma_pool_free(up->dbr_pool, cq->dbr, cq->dbr_dma);
err_free_ring:
	dma_free_coherent(cdev->dev, vhca_ipoib_cq_bytes(cq), cq->ring,
			  cq->ring_dma);
	cq->ring = NULL;
	return err;
}

/**
 * vhca_ipoib_cq_destroy() - undo vhca_ipoib_cq_create()
 * @up: the uplink
 * @cq: the CQ; no QP uses it any more
 */
void vhca_ipoib_cq_destroy(struct vhca_ipoib_uplink *up,
			   struct vhca_ipoib_cq *cq)
{
	struct vhca_core_dev *cdev = up->cdev;

	if (!cq->ring)
		return;
	if (cq->ch)
		vhca_core_cq_comp_del(cdev, cq->cqn);
	if (vhca_ipoib_destroy_obj(cdev, VHCA_CMD_OP_DESTROY_CQ, cq->cqn)) {
		/* the device may still write it: leak rather than corrupt */
		netdev_err(up->netdev, "CQ %u not destroyed, leaking its ring\n",
			   cq->cqn);
		return;
	}
	dma_pool_free(up->dbr_pool, cq->dbr, cq->dbr_dma);
	dma_free_coherent(cdev->dev, vhca_ipoib_cq_bytes(cq), cq->ring,
			  cq->ring_dma);
	cq->ring = NULL;
}

/**
 * vhca_ipoib_cq_next() - the CQE at the consumer index, if written
 * @cq: the CQ
 *
 * Return: the CQE (its contents readable) or NULL.
 */
struct vhca_cqe *vhca_ipoib_cq_next(struct vhca_ipoib_cq *cq)
{
	struct vhca_cqe *cqe = &cq->ring[cq->ci & (BIT(cq->log_size) - 1)];

	if ((READ_ONCE(cqe->owner) & 1) != vhca_cqe_owner(cq->ci, cq->log_size))
		return NULL;
	dma_rmb();
	return cqe;
}

/**
 * vhca_ipoib_cq_update_ci() - give consumed CQEs back to the device
 * @cq: the CQ
 */
void vhca_ipoib_cq_update_ci(struct vhca_ipoib_cq *cq)
{
	/* done reading the slots before they are given back */
	dma_mb();
	WRITE_ONCE(*cq->dbr, cpu_to_be32(cq->ci & VHCA_CQ_DB_CI));
}

/**
 * vhca_ipoib_cq_arm() - request one completion event
 * @up: the uplink (UAR)
 * @cq: the CQ
 *
 * Return: true if CQEs arrived before the arm took (poll again).
 */
bool vhca_ipoib_cq_arm(struct vhca_ipoib_uplink *up, struct vhca_ipoib_cq *cq)
{
	/* the record before the doorbell naming the same ci */
	wmb();
	vhca_core_uar_write64(up->cdev, up->uar, VHCA_UAR_CQ_DB,
			      vhca_cq_db_val(cq->cqn, VHCA_CQ_DB_CMD_NEXT,
					     cq->ci));
	return vhca_ipoib_cq_next(cq);
}

/* consume whatever the CQ holds (its QP was reset) */
static void vhca_ipoib_cq_drain(struct vhca_ipoib_cq *cq)
{
	while (vhca_ipoib_cq_next(cq))
		cq->ci++;
	vhca_ipoib_cq_update_ci(cq);
}

/* ------------------------------------------------------------------ */
/* NAPI and the arm policy                                             */
/* ------------------------------------------------------------------ */

/* arm both CQs; poll again if completions slipped in */
static void vhca_ipoib_channel_arm(struct vhca_ipoib_channel *ch)
{
	struct vhca_ipoib_uplink *up = ch->up;
	bool again;

	ch->rq.stats.arms++;
	again = vhca_ipoib_cq_arm(up, &ch->sq.cq);
	again |= vhca_ipoib_cq_arm(up, &ch->rq.cq);
	if (again)
		napi_schedule(&ch->napi);
}

static enum hrtimer_restart vhca_ipoib_arm_timer(struct hrtimer *t)
{
	struct vhca_ipoib_channel *ch = container_of(t, struct
						     vhca_ipoib_channel,
						     arm_timer);

	vhca_ipoib_channel_arm(ch);
	return HRTIMER_NORESTART;
}

static int vhca_ipoib_napi_poll(struct napi_struct *napi, int budget)
{
	struct vhca_ipoib_channel *ch = container_of(napi, struct
						     vhca_ipoib_channel, napi);
	struct vhca_ipoib_uplink *up = ch->up;
	u32 rx_frames = READ_ONCE(up->params.rx_coal.frames);
	u32 tx_frames = READ_ONCE(up->params.tx_coal.frames);
	u32 usecs;
	int tx, rx;

	ch->rq.stats.polls++;
	tx = vhca_ipoib_poll_tx(&ch->sq, VHCA_IPOIB_TX_CQ_BUDGET);
	rx = vhca_ipoib_poll_rx(&ch->rq, budget);
	if (rx >= budget || tx >= VHCA_IPOIB_TX_CQ_BUDGET)
		return budget;
	/* moderation by frames: keep polling while completions keep up */
	if ((rx_frames && rx >= rx_frames) || (tx_frames && tx >= tx_frames))
		return budget;
	if (!napi_complete_done(napi, rx))
		return rx;

	usecs = max(READ_ONCE(up->params.rx_coal.usecs),
		    READ_ONCE(up->params.tx_coal.usecs));
	if (usecs)
		hrtimer_start(&ch->arm_timer, ns_to_ktime((u64)usecs * NSEC_PER_USEC),
			      HRTIMER_MODE_REL);
	else
		vhca_ipoib_channel_arm(ch);
	return rx;
}

/* ------------------------------------------------------------------ */
/* The TX mux SQ                                                       */
/* ------------------------------------------------------------------ */

static int vhca_ipoib_sq_create(struct vhca_ipoib_channel *ch, u8 log_size)
{
	struct vhca_ipoib_uplink *up = ch->up;
	struct vhca_core_dev *cdev = up->cdev;
	struct vhca_ipoib_sq *sq = &ch->sq;
	struct vhca_qp_ctx ctx = {};
	int err;

	sq->ch = ch;
	sq->cnt = BIT(log_size);
	/* a WQE of n WQEBBs has at most 4n data segments */
	sq->dma_mask = 4 * sq->cnt - 1;
	sq->buf_size = PAGE_ALIGN((size_t)sq->cnt * VHCA_WQEBB);
	sq->buf = dma_alloc_coherent(cdev->dev, sq->buf_size, &sq->buf_dma,
				     GFP_KERNEL);
	if (!sq->buf)
		return -ENOMEM;
	err = -ENOMEM;
	sq->info = kvcalloc(sq->cnt, sizeof(*sq->info), GFP_KERNEL);
	if (!sq->info)
		goto err_free_buf;
	sq->dma = kvcalloc(sq->dma_mask + 1, sizeof(*sq->dma), GFP_KERNEL);
	if (!sq->dma)
		goto err_free_info;
	sq->dbr = dma_pool_zalloc(up->dbr_pool, GFP_KERNEL, &sq->dbr_dma);
	if (!sq->dbr)
		goto err_free_dma;

	err = vhca_ipoib_cq_create(up, &sq->cq, ch, ch->eq, log_size);
	if (err)
		goto err_free_dbr;

	ctx.flags = VHCA_QP_F_TX_MUX | VHCA_QP_F_NO_RQ;
	ctx.send_cqn = cpu_to_be32(sq->cq.cqn);
	ctx.recv_cqn = cpu_to_be32(sq->cq.cqn);
	ctx.log_sq_size = log_size;
	ctx.sq_addr = cpu_to_be64(sq->buf_dma);
	ctx.dbr_addr = cpu_to_be64(sq->dbr_dma);
	err = vhca_ipoib_create_qp(up, &ctx, &sq->qpn);
	if (err)
		goto err_destroy_cq;
	err = vhca_ipoib_qp_up(up, sq->qpn, 0, 0, true);
	if (err)
		goto err_destroy_qp;
	INIT_WORK(&sq->recover_work, vhca_ipoib_sq_recover_work);
	set_bit(VHCA_IPOIB_SQ_ENABLED, &sq->state);
	return 0;

err_destroy_qp:
	vhca_ipoib_destroy_obj(cdev, VHCA_CMD_OP_DESTROY_QP, sq->qpn);
err_destroy_cq:
	vhca_ipoib_cq_destroy(up, &sq->cq);
err_free_dbr:
	dma_pool_free(up->dbr_pool, sq->dbr, sq->dbr_dma);
err_free_dma:
	kvfree(sq->dma);
err_free_info:
	kvfree(sq->info);
err_free_buf:
	dma_free_coherent(cdev->dev, sq->buf_size, sq->buf, sq->buf_dma);
	sq->buf = NULL;
	return err;
}

static void vhca_ipoib_sq_destroy(struct vhca_ipoib_channel *ch)
{
	struct vhca_ipoib_uplink *up = ch->up;
	struct vhca_ipoib_sq *sq = &ch->sq;

	if (!sq->buf)
		return;
	cancel_work_sync(&sq->recover_work);
	vhca_ipoib_destroy_obj(up->cdev, VHCA_CMD_OP_DESTROY_QP, sq->qpn);
	vhca_ipoib_sq_free_all(sq);
	vhca_ipoib_cq_destroy(up, &sq->cq);
	dma_pool_free(up->dbr_pool, sq->dbr, sq->dbr_dma);
	kvfree(sq->dma);
	kvfree(sq->info);
	dma_free_coherent(up->cdev->dev, sq->buf_size, sq->buf, sq->buf_dma);
	sq->buf = NULL;
}

/* recover @ch's SQ; the uplink mutex held, @ch one of the current set */
static int __vhca_ipoib_sq_recover(struct vhca_ipoib_uplink *up,
				   struct vhca_ipoib_channel *ch)
{
	struct vhca_ipoib_sq *sq = &ch->sq;
	bool running = netif_running(up->netdev);
	int err;

	lockdep_assert_held(&up->mutex);
	/* no xmit and no NAPI on the queue from here */
	__netif_tx_lock_bh(sq->txq);
	clear_bit(VHCA_IPOIB_SQ_ENABLED, &sq->state);
	netif_tx_stop_queue(sq->txq);
	__netif_tx_unlock_bh(sq->txq);
	if (running)
		napi_disable(&ch->napi);

	vhca_ipoib_qp_reset(up, sq->qpn);
	vhca_ipoib_cq_drain(&sq->cq);
	vhca_ipoib_sq_free_all(sq);
	netdev_tx_reset_queue(sq->txq);
	err = vhca_ipoib_qp_up(up, sq->qpn, 0, 0, true);
	if (!err) {
		clear_bit(VHCA_IPOIB_SQ_ERR, &sq->state);
		set_bit(VHCA_IPOIB_SQ_ENABLED, &sq->state);
		sq->stats.recover++;
	} else {
		netdev_err(up->netdev, "SQ %u (QP %u) not recovered: %d\n",
			   ch->index, sq->qpn, err);
	}
	if (running) {
		napi_enable(&ch->napi);
		napi_schedule(&ch->napi);
		if (!err)
			netif_tx_wake_queue(sq->txq);
	}
	return err;
}

/**
 * vhca_ipoib_sq_recover() - bring a failed or stuck SQ back
 * @up: the uplink
 * @qidx: the channel
 *
 * The queue is stopped, the QP moved ERR -> RESET, every WQE it still
 * had is given up (skbs freed, handles released: what was in flight is
 * lost and counted in tx<q>_flushed), then RESET -> INIT -> RTR -> RTS
 * and the queue woken. Takes the uplink mutex, never rtnl.
 *
 * Return: 0 or a negative errno (the queue stays stopped).
 */
int vhca_ipoib_sq_recover(struct vhca_ipoib_uplink *up, unsigned int qidx)
{
	int err = -EINVAL;

	mutex_lock(&up->mutex);
	if (qidx < up->params.num_channels)
		err = __vhca_ipoib_sq_recover(up, up->ch[qidx]);
	mutex_unlock(&up->mutex);
	return err;
}

/**
 * vhca_ipoib_sq_recover_work() - recover an SQ from its work item
 * @work: &vhca_ipoib_sq.recover_work
 *
 * A channel being replaced is left alone: it is destroyed (and this work
 * cancelled) outside the mutex.
 */
void vhca_ipoib_sq_recover_work(struct work_struct *work)
{
	struct vhca_ipoib_sq *sq = container_of(work, struct vhca_ipoib_sq,
						recover_work);
	struct vhca_ipoib_channel *ch = sq->ch;
	struct vhca_ipoib_uplink *up = ch->up;

	mutex_lock(&up->mutex);
	if (ch->index < up->params.num_channels && up->ch[ch->index] == ch)
		__vhca_ipoib_sq_recover(up, ch);
	mutex_unlock(&up->mutex);
}

/* ------------------------------------------------------------------ */
/* The RQ-only QP                                                      */
/* ------------------------------------------------------------------ */

static int vhca_ipoib_rq_create(struct vhca_ipoib_channel *ch, u8 log_size)
{
	struct vhca_ipoib_uplink *up = ch->up;
	struct vhca_core_dev *cdev = up->cdev;
	struct vhca_ipoib_rq *rq = &ch->rq;
	struct page_pool_params pp = {};
	struct vhca_qp_ctx ctx = {};
	int err;

	rq->ch = ch;
	rq->cnt = BIT(log_size);
	rq->buf_size = PAGE_ALIGN((size_t)rq->cnt * VHCA_IPOIB_RX_SEGS *
				  sizeof(struct vhca_wqe_data));
	rq->buf = dma_alloc_coherent(cdev->dev, rq->buf_size, &rq->buf_dma,
				     GFP_KERNEL);
	if (!rq->buf)
		return -ENOMEM;
	err = -ENOMEM;
	rq->grh = dma_alloc_coherent(cdev->dev,
				     rq->cnt * VHCA_IPOIB_RX_GRH_STRIDE,
				     &rq->grh_dma, GFP_KERNEL);
	if (!rq->grh)
		goto err_free_buf;
	rq->info = kvcalloc(rq->cnt, sizeof(*rq->info), GFP_KERNEL);
	if (!rq->info)
		goto err_free_grh;
	rq->dbr = dma_pool_zalloc(up->dbr_pool, GFP_KERNEL, &rq->dbr_dma);
	if (!rq->dbr)
		goto err_free_info;

	pp.flags = PP_FLAG_DMA_MAP | PP_FLAG_DMA_SYNC_DEV;
	pp.order = 0;
	pp.pool_size = rq->cnt;
	pp.nid = dev_to_node(cdev->dev);
	pp.dev = cdev->dev;
	pp.dma_dir = DMA_FROM_DEVICE;
	pp.max_len = PAGE_SIZE;
	rq->pool = page_pool_create(&pp);
	if (IS_ERR(rq->pool)) {
		err = PTR_ERR(rq->pool);
		rq->pool = NULL;
		goto err_free_dbr;
	}

	err = vhca_ipoib_cq_create(up, &rq->cq, ch, ch->eq, log_size);
	if (err)
		goto err_destroy_pool;

	ctx.flags = VHCA_QP_F_RQ_ONLY;
	ctx.send_cqn = cpu_to_be32(rq->cq.cqn);
	ctx.recv_cqn = cpu_to_be32(rq->cq.cqn);
	ctx.log_rq_size = log_size;
	/* two data segments of 16 bytes per WQE */
	ctx.log_rq_stride = ilog2(VHCA_IPOIB_RX_SEGS *
				  sizeof(struct vhca_wqe_data) / VHCA_WQE_DS);
	ctx.rq_addr = cpu_to_be64(rq->buf_dma);
	ctx.dbr_addr = cpu_to_be64(rq->dbr_dma);
	err = vhca_ipoib_create_qp(up, &ctx, &rq->qpn);
	if (err)
		goto err_destroy_cq;
	err = vhca_ipoib_qp_up(up, rq->qpn, 0, 0, false);
	if (err)
		goto err_destroy_qp;
	err = vhca_ipoib_rq_fill(rq, GFP_KERNEL);
	if (err)
		goto err_reset_qp;
	return 0;

err_reset_qp:
	vhca_ipoib_qp_reset(up, rq->qpn);
	vhca_ipoib_rq_free_all(rq);
err_destroy_qp:
	vhca_ipoib_destroy_obj(cdev, VHCA_CMD_OP_DESTROY_QP, rq->qpn);
err_destroy_cq:
	vhca_ipoib_cq_destroy(up, &rq->cq);
err_destroy_pool:
	page_pool_destroy(rq->pool);
err_free_dbr:
	dma_pool_free(up->dbr_pool, rq->dbr, rq->dbr_dma);
err_free_info:
	kvfree(rq->info);
err_free_grh:
	dma_free_coherent(cdev->dev, rq->cnt * VHCA_IPOIB_RX_GRH_STRIDE,
			  rq->grh, rq->grh_dma);
err_free_buf:
	dma_free_coherent(cdev->dev, rq->buf_size, rq->buf, rq->buf_dma);
	rq->buf = NULL;
	return err;
}

static void vhca_ipoib_rq_destroy(struct vhca_ipoib_channel *ch)
{
	struct vhca_ipoib_uplink *up = ch->up;
	struct vhca_core_dev *cdev = up->cdev;
	struct vhca_ipoib_rq *rq = &ch->rq;

	if (!rq->buf)
		return;
	vhca_ipoib_destroy_obj(cdev, VHCA_CMD_OP_DESTROY_QP, rq->qpn);
	vhca_ipoib_rq_free_all(rq);
	vhca_ipoib_cq_destroy(up, &rq->cq);
	page_pool_destroy(rq->pool);
	dma_pool_free(up->dbr_pool, rq->dbr, rq->dbr_dma);
	kvfree(rq->info);
	dma_free_coherent(cdev->dev, rq->cnt * VHCA_IPOIB_RX_GRH_STRIDE,
			  rq->grh, rq->grh_dma);
	dma_free_coherent(cdev->dev, rq->buf_size, rq->buf, rq->buf_dma);
	rq->buf = NULL;
}

/**
 * vhca_ipoib_rq_recover() - reset an RQ-only QP and refill it
 * @up: the uplink
 * @qidx: the channel
 *
 * Takes the uplink mutex, never rtnl. Receives in between are lost.
 *
 * Return: 0 or a negative errno.
 */
int vhca_ipoib_rq_recover(struct vhca_ipoib_uplink *up, unsigned int qidx)
{
	struct vhca_ipoib_channel *ch;
	struct vhca_ipoib_rq *rq;
	bool running;
	int err;

	mutex_lock(&up->mutex);
	if (qidx >= up->params.num_channels) {
		err = -EINVAL;
		goto out;
	}
	ch = up->ch[qidx];
	rq = &ch->rq;
	running = netif_running(up->netdev);
	if (running)
		napi_disable(&ch->napi);
	vhca_ipoib_qp_reset(up, rq->qpn);
	vhca_ipoib_cq_drain(&rq->cq);
	vhca_ipoib_rq_free_all(rq);
	err = vhca_ipoib_qp_up(up, rq->qpn, 0, 0, false);
	if (!err)
		err = vhca_ipoib_rq_fill(rq, GFP_KERNEL);
	if (!err)
		rq->stats.recover++;
	if (running) {
		napi_enable(&ch->napi);
		napi_schedule(&ch->napi);
	}
out:
	mutex_unlock(&up->mutex);
	return err;
}

/* ------------------------------------------------------------------ */
/* Channels                                                            */
/* ------------------------------------------------------------------ */

/**
 * vhca_ipoib_channel_create() - a channel with its queues ready
 * @up: the uplink
 * @index: channel index
 * @params: ring sizes
 *
 * NAPI is added but not enabled; the CQs are not armed.
 *
 * Return: the channel or an ERR_PTR().
 */
struct vhca_ipoib_channel *
vhca_ipoib_channel_create(struct vhca_ipoib_uplink *up, unsigned int index,
			  const struct vhca_ipoib_params *params)
{
	struct vhca_ipoib_channel *ch;
	int err;

	ch = kzalloc(sizeof(*ch), GFP_KERNEL);
	if (!ch)
		return ERR_PTR(-ENOMEM);
	ch->up = up;
	ch->index = index;
	ch->eq = vhca_core_comp_eq(up->cdev,
				   index % vhca_core_num_comp_eqs(up->cdev));
	hrtimer_init(&ch->arm_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	ch->arm_timer.function = vhca_ipoib_arm_timer;
	netif_napi_add(up->netdev, &ch->napi, vhca_ipoib_napi_poll);
	ch->sq.txq = netdev_get_tx_queue(up->netdev, index);

	err = vhca_ipoib_sq_create(ch, params->log_sq_size);
	if (err)
		goto err_napi;
	err = vhca_ipoib_rq_create(ch, params->log_rq_size);
	if (err)
		goto err_sq;
	return ch;

err_sq:
	vhca_ipoib_sq_destroy(ch);
err_napi:
	netif_napi_del(&ch->napi);
	kfree(ch);
	return ERR_PTR(err);
}

/**
 * vhca_ipoib_channel_destroy() - undo vhca_ipoib_channel_create()
 * @ch: the channel, its NAPI disabled (or never enabled)
 */
void vhca_ipoib_channel_destroy(struct vhca_ipoib_channel *ch)
{
	hrtimer_cancel(&ch->arm_timer);
	vhca_ipoib_rq_destroy(ch);
	vhca_ipoib_sq_destroy(ch);
	netif_napi_del(&ch->napi);
	kfree(ch);
}

/**
 * vhca_ipoib_channel_activate() - start NAPI and take events
 * @ch: the channel
 */
void vhca_ipoib_channel_activate(struct vhca_ipoib_channel *ch)
{
	napi_enable(&ch->napi);
	/* poll once: arms both CQs when done */
	napi_schedule(&ch->napi);
}

/**
 * vhca_ipoib_channel_deactivate() - stop NAPI and deferred arming
 * @ch: the channel
 */
void vhca_ipoib_channel_deactivate(struct vhca_ipoib_channel *ch)
{
	napi_disable(&ch->napi);
	hrtimer_cancel(&ch->arm_timer);
}
