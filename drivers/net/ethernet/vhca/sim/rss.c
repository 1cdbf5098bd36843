// SPDX-License-Identifier: GPL-2.0
/*
 * Receive side scaling: SET_RSS, and the pick the receive engine makes.
 *
 * An addressed UD QP (one a packet's DQPN names) may have an RSS table:
 * a Toeplitz key, the header fields to hash and up to
 * 1 << VHCA_SIM_LOG_MAX_RSS_TBL RQ-only QPs. A datagram it accepts is
 * hashed (offload.c) and written into the receive queue of entry
 * hash & (size - 1) instead of its own; the CQE goes to that RQ-only
 * QP's receive CQ and names the addressed QP.
 *
 * The table is immutable: SET_RSS (under cmd.mutex) builds a new one,
 * publishes it with RCU and frees the old one after a grace period, so
 * the receive engine swaps tables at any packet boundary without a lock.
 * Each entry counts in its QP's rss_users, which keeps DESTROY_QP of an
 * RQ-only QP from succeeding while a table names it.
 */

#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "res.h"
#include "offload.h"

#define VHCA_SIM_RSS_FIELDS	(VHCA_RSS_F_IPV4 | VHCA_RSS_F_IPV6 | \
				 VHCA_RSS_F_TCP | VHCA_RSS_F_UDP)

static_assert(BIT(VHCA_SIM_LOG_MAX_RSS_TBL) <= VHCA_RSS_MAX_TBL);

/* the port a QP was given (0 before RESET -> INIT) */
static u8 vhca_sim_rss_qp_port(struct vhca_sim_qp *qp)
{
	u8 port;

	spin_lock_bh(&qp->lock);
	port = qp->port;
	spin_unlock_bh(&qp->lock);
	return port;
}

/* Check a SET_RSS against the addressed QP and its entries; cmd.mutex
 * held. Return: VHCA_SYND_NONE or VHCA_SYND_RSS_BAD.
 */
static u32 vhca_sim_rss_check(struct vhca_sim_dev *sdev,
			      struct vhca_sim_qp *qp,
			      const struct vhca_cmd_set_rss_in *i)
{
	struct vhca_sim_qp *rq;
	u8 port, rq_port;
	unsigned int n;

	if (qp->type != VHCA_QPT_UD ||
	    (qp->flags & (VHCA_QP_F_TX_MUX | VHCA_QP_F_RQ_ONLY)) ||
	    (i->fields & ~VHCA_SIM_RSS_FIELDS) ||
	    i->log_tbl_size > VHCA_SIM_LOG_MAX_RSS_TBL)
		return VHCA_SYND_RSS_BAD;
	port = vhca_sim_rss_qp_port(qp);
	for (n = 0; i->log_tbl_size && n < BIT(i->log_tbl_size); n++) {
		rq = xa_load(&sdev->res->qps, be32_to_cpu(i->tbl[n]));
		if (!rq || !(rq->flags & VHCA_QP_F_RQ_ONLY) || rq->pd != qp->pd)
			return VHCA_SYND_RSS_BAD;
		rq_port = vhca_sim_rss_qp_port(rq);
		if (port && rq_port && port != rq_port)
			return VHCA_SYND_RSS_BAD;
	}
	return VHCA_SYND_NONE;
}

/* let go of an unpublished table: its entries, then its memory once
 * the receive engine's readers are done; cmd.mutex held
 */
static void vhca_sim_rss_free(struct vhca_sim_rss *rss)
{
	unsigned int n;

	if (!rss)
		return;
	for (n = 0; n < BIT(rss->log_size); n++)
		rss->tbl[n]->rss_users--;
	kfree_rcu(rss, rcu);
}

/**
 * vhca_sim_rss_clear - remove a QP's RSS table
 * @sdev: the device, cmd.mutex held
 * @qp: the QP; receives go to its own receive queue again
 *
 * DESTROY_QP and destroy_all (which clears every table before it
 * destroys any QP, so no table names a destroyed QP).
 */
void vhca_sim_rss_clear(struct vhca_sim_dev *sdev, struct vhca_sim_qp *qp)
{
	vhca_sim_rss_free(rcu_replace_pointer(qp->rss, NULL,
					      lockdep_is_held(&sdev->cmd.mutex)));
}

u8 vhca_sim_cmd_set_rss(struct vhca_sim_dev *sdev, const void *in,
			void *out, u32 *synd)
{
	const struct vhca_cmd_set_rss_in *i = in;
	struct vhca_sim_rss *rss = NULL, *old;
	struct vhca_sim_qp *qp;
	unsigned int n;

	lockdep_assert_held(&sdev->cmd.mutex);
	qp = xa_load(&sdev->res->qps, be32_to_cpu(i->qpn));
	if (!qp) {
		*synd = VHCA_SYND_BAD_QPN;
		return VHCA_CMD_STAT_BAD_RESOURCE;
	}
	*synd = vhca_sim_rss_check(sdev, qp, i);
	if (*synd)
		return VHCA_CMD_STAT_BAD_PARAM;

	if (i->log_tbl_size) {
		rss = kzalloc(struct_size(rss, tbl, BIT(i->log_tbl_size)),
			      GFP_KERNEL);
		if (!rss)
			return VHCA_CMD_STAT_INT_ERR;
		rss->fields = i->fields;
		rss->log_size = i->log_tbl_size;
		memcpy(rss->key, i->key, sizeof(rss->key));
		for (n = 0; n < BIT(rss->log_size); n++) {
			rss->tbl[n] = xa_load(&sdev->res->qps,
					      be32_to_cpu(i->tbl[n]));
			rss->tbl[n]->rss_users++;
		}
	}
	old = rcu_replace_pointer(qp->rss, rss,
				  lockdep_is_held(&sdev->cmd.mutex));
	vhca_sim_rss_free(old);
	return VHCA_CMD_STAT_OK;
}

/**
 * vhca_sim_rss_pick - where a datagram for an addressed UD QP goes
 * @qp: the addressed QP (referenced by the caller)
 * @buf: the datagram's payload (IPoIB)
 * @len: its bytes
 * @rq_qp: the RQ-only QP of the table entry, referenced (put it)
 * @hash: the RSS hash (0 when nothing was hashed)
 * @type: VHCA_RSS_TYPE_* of what was hashed
 *
 * Any non-hardirq context; no lock needed.
 *
 * Return: 0 if @qp has no RSS table (the datagram goes to @qp's own
 * receive queue), 1 with @rq_qp set, -ENOENT if the entry's QP is going
 * away (drop the datagram).
 */
int vhca_sim_rss_pick(struct vhca_sim_qp *qp, const u8 *buf, u32 len,
		      struct vhca_sim_qp **rq_qp, u32 *hash, u8 *type)
{
	struct vhca_sim_rss *rss;
	struct vhca_sim_qp *rq;

	*rq_qp = NULL;
	rcu_read_lock();
	rss = rcu_dereference(qp->rss);
	if (!rss) {
		rcu_read_unlock();
		return 0;
	}
	*hash = vhca_ofld_rss_hash(rss->key, rss->fields, buf, len, type);
	rq = rss->tbl[*hash & (BIT(rss->log_size) - 1)];
	/* the table's QPs are freed after RCU readers: the memory is there */
	if (!refcount_inc_not_zero(&rq->ref))
		rq = NULL;
	rcu_read_unlock();
	*rq_qp = rq;
	return rq ? 1 : -ENOENT;
}

/**
 * vhca_sim_rss_show - a QP's RSS table, for the `resources` file
 * @sdev: the device, cmd.mutex held
 * @qp: the QP
 * @m: the file
 */
void vhca_sim_rss_show(struct vhca_sim_dev *sdev, struct vhca_sim_qp *qp,
		       struct seq_file *m)
{
	struct vhca_sim_rss *rss;
	unsigned int n;

	rss = rcu_dereference_protected(qp->rss,
					lockdep_is_held(&sdev->cmd.mutex));
	if (!rss)
		return;
	seq_printf(m, "  rss: fields 0x%x size %lu key %*phN tbl", rss->fields,
		   BIT(rss->log_size), VHCA_RSS_KEY_LEN, rss->key);
	for (n = 0; n < BIT(rss->log_size); n++)
		seq_printf(m, " %u", rss->tbl[n]->qpn);
	seq_putc(m, '\n');
}
