// SPDX-License-Identifier: GPL-2.0
/*
 * Multicast attachments: ATTACH_MCG/DETACH_MCG, and the lookup the
 * receive engine makes for a multicast packet.
 *
 * A group is one (port, MGID) with up to VHCA_SIM_MAX_QP_PER_MCG UD QPs.
 * The group list is under &vhca_sim_res.mcg_lock, because the receive
 * engine reads it; each QP also keeps a list of its attachments (under
 * cmd.mutex, only commands touch it) so DESTROY_QP can leave them all.
 */

#include <linux/slab.h>
#include <linux/string.h>

#include "res.h"

/**
 * struct vhca_sim_mcg_link - one attachment, on &vhca_sim_qp.mcgs
 * @node: in the QP's list
 * @mcg: the group
 */
struct vhca_sim_mcg_link {
	struct list_head node;
	struct vhca_sim_mcg *mcg;
};

/* mcg_lock held */
static struct vhca_sim_mcg *vhca_sim_mcg_find(struct vhca_sim_res *res,
					      u8 port, const u8 *gid)
{
	struct vhca_sim_mcg *mcg;

	list_for_each_entry(mcg, &res->mcgs, node)
		if (mcg->port == port && !memcmp(mcg->gid, gid, sizeof(mcg->gid)))
			return mcg;
	return NULL;
}

/* drop @qpn from @mcg, and the group once empty; mcg_lock held */
static void vhca_sim_mcg_remove(struct vhca_sim_res *res,
				struct vhca_sim_mcg *mcg, u32 qpn)
{
	unsigned int n;

	for (n = 0; n < mcg->num_qps; n++) {
		if (mcg->qpns[n] != qpn)
			continue;
		mcg->qpns[n] = mcg->qpns[--mcg->num_qps];
		break;
	}
	if (!mcg->num_qps) {
		list_del(&mcg->node);
		res->num_mcgs--;
		kfree(mcg);
	}
}

/* the QP an MCG command names, with the syndrome on failure */
static u8 vhca_sim_mcg_qp(struct vhca_sim_dev *sdev,
			  const struct vhca_cmd_mcg_in *i,
			  struct vhca_sim_qp **qpp, u32 *synd)
{
	struct vhca_sim_qp *qp;

	lockdep_assert_held(&sdev->cmd.mutex);
	qp = xa_load(&sdev->res->qps, be32_to_cpu(i->qpn));
	if (!qp) {
		*synd = VHCA_SYND_BAD_QPN;
		return VHCA_CMD_STAT_BAD_RESOURCE;
	}
	*qpp = qp;
	return VHCA_CMD_STAT_OK;
}

static struct vhca_sim_mcg_link *
vhca_sim_mcg_link_find(struct vhca_sim_qp *qp, const u8 *gid)
{
	struct vhca_sim_mcg_link *link;

	list_for_each_entry(link, &qp->mcgs, node)
		if (!memcmp(link->mcg->gid, gid, sizeof(link->mcg->gid)))
			return link;
	return NULL;
}

u8 vhca_sim_cmd_attach_mcg(struct vhca_sim_dev *sdev, const void *in,
			   void *out, u32 *synd)
{
	const struct vhca_cmd_mcg_in *i = in;
	struct vhca_sim_res *res = sdev->res;
	struct vhca_sim_mcg *mcg, *new_mcg;
	struct vhca_sim_mcg_link *link;
	struct vhca_sim_qp *qp;
	u8 port, st;

	st = vhca_sim_mcg_qp(sdev, i, &qp, synd);
	if (st)
		return st;
	/* TX mux and RQ-only QPs are never addressed, multicast included */
	if (qp->type != VHCA_QPT_UD ||
	    (qp->flags & (VHCA_QP_F_TX_MUX | VHCA_QP_F_RQ_ONLY))) {
		*synd = VHCA_SYND_QP_BAD_TYPE;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	spin_lock_bh(&qp->lock);
	port = qp->port;
	spin_unlock_bh(&qp->lock);
	if (!port) {
		*synd = VHCA_SYND_QP_BAD_PORT;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	if (i->gid[0] != 0xff) {
		*synd = VHCA_SYND_MCG_BAD_GID;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	if (vhca_sim_mcg_link_find(qp, i->gid))
		return VHCA_CMD_STAT_OK;	/* attached already */

	link = kzalloc(sizeof(*link), GFP_KERNEL);
	new_mcg = kzalloc(sizeof(*new_mcg), GFP_KERNEL);
	if (!link || !new_mcg) {
		st = VHCA_CMD_STAT_INT_ERR;
		goto err_free;
	}

	spin_lock_bh(&res->mcg_lock);
	mcg = vhca_sim_mcg_find(res, port, i->gid);
	if (!mcg) {
		if (res->num_mcgs >= BIT(VHCA_SIM_LOG_MAX_MCG)) {
			*synd = VHCA_SYND_NO_RESOURCE;
			st = VHCA_CMD_STAT_EXCEED_LIM;
			goto err_unlock;
		}
		mcg = new_mcg;
		new_mcg = NULL;
		memcpy(mcg->gid, i->gid, sizeof(mcg->gid));
		mcg->port = port;
		list_add_tail(&mcg->node, &res->mcgs);
		res->num_mcgs++;
	} else if (mcg->num_qps >= VHCA_SIM_MAX_QP_PER_MCG) {
		*synd = VHCA_SYND_MCG_FULL;
		st = VHCA_CMD_STAT_EXCEED_LIM;
		goto err_unlock;
	}
	mcg->qpns[mcg->num_qps++] = qp->qpn;
	spin_unlock_bh(&res->mcg_lock);

	link->mcg = mcg;
	list_add_tail(&link->node, &qp->mcgs);
	kfree(new_mcg);
	return VHCA_CMD_STAT_OK;

err_unlock:
	spin_unlock_bh(&res->mcg_lock);
err_free:
	kfree(new_mcg);
	kfree(link);
	return st;
}

/* leave one group; cmd.mutex held */
static void vhca_sim_mcg_unlink(struct vhca_sim_dev *sdev,
				struct vhca_sim_qp *qp,
				struct vhca_sim_mcg_link *link)
{
	struct vhca_sim_res *res = sdev->res;

	spin_lock_bh(&res->mcg_lock);
	vhca_sim_mcg_remove(res, link->mcg, qp->qpn);
	spin_unlock_bh(&res->mcg_lock);
	list_del(&link->node);
	kfree(link);
}

u8 vhca_sim_cmd_detach_mcg(struct vhca_sim_dev *sdev, const void *in,
			   void *out, u32 *synd)
{
	const struct vhca_cmd_mcg_in *i = in;
	struct vhca_sim_mcg_link *link;
	struct vhca_sim_qp *qp;
	u8 st;

	st = vhca_sim_mcg_qp(sdev, i, &qp, synd);
	if (st)
		return st;
	link = vhca_sim_mcg_link_find(qp, i->gid);
	if (!link) {
		*synd = VHCA_SYND_MCG_NOT_ATTACHED;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	vhca_sim_mcg_unlink(sdev, qp, link);
	return VHCA_CMD_STAT_OK;
}

/**
 * vhca_sim_mcg_detach_qp - leave every group a QP attached to
 * @qp: the QP being destroyed, cmd.mutex held
 */
void vhca_sim_mcg_detach_qp(struct vhca_sim_qp *qp)
{
	struct vhca_sim_mcg_link *link, *tmp;

	list_for_each_entry_safe(link, tmp, &qp->mcgs, node)
		vhca_sim_mcg_unlink(qp->sdev, qp, link);
}

unsigned int vhca_sim_mcg_lookup(struct vhca_sim_dev *sdev, u8 port,
				 const u8 *gid, struct vhca_sim_qp **qps,
				 unsigned int max)
{
	struct vhca_sim_res *res = sdev->res;
	struct vhca_sim_mcg *mcg;
	struct vhca_sim_qp *qp;
	unsigned int n, found = 0;

	spin_lock_bh(&res->mcg_lock);
	mcg = vhca_sim_mcg_find(res, port, gid);
	for (n = 0; mcg && n < mcg->num_qps && found < max; n++) {
		qp = vhca_sim_qp_get(sdev, mcg->qpns[n]);
		if (qp)
			qps[found++] = qp;
	}
	spin_unlock_bh(&res->mcg_lock);
	return found;
}
