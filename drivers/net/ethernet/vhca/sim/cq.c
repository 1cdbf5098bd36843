// SPDX-License-Identifier: GPL-2.0
/*
 * Completion queues: CREATE/DESTROY/QUERY_CQ, writing CQEs, and the CQ
 * doorbell that arms a CQ for one completion event.
 *
 * The device never writes into a slot the driver has not released: before
 * each CQE it reads the consumer index from the CQ's doorbell record, and
 * a full ring is an overrun (the CQ goes to error and raises
 * VHCA_EVENT_CQ_ERROR), as on ConnectX. A CQE is written body first, then
 * its owner byte, so the driver never sees a half-written one.
 *
 * Arming is one-shot: a NEXT arm fires on the next CQE, a SOL arm on the
 * next solicited or failed one. An arm doorbell whose consumer index is
 * behind CQEs already written (a SOL arm: behind a solicited or failed
 * one) fires at once, so a completion that raced the arm is not lost.
 */

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/stddef.h>

#include "res.h"

#define VHCA_SIM_CQ_LIMIT	XA_LIMIT(1, BIT(VHCA_SIM_LOG_MAX_CQ) - 1)
#define VHCA_SIM_CQ_IDX_MASK	VHCA_CQ_DB_CI

static struct vhca_sim_cq *vhca_sim_cq_find(struct vhca_sim_dev *sdev,
					    u32 cqn)
{
	lockdep_assert_held(&sdev->cmd.mutex);
	return xa_load(&sdev->res->cqs, cqn);
}

static bool vhca_sim_eq_exists(struct vhca_sim_dev *sdev, u32 eqn)
{
	return eqn < VHCA_SIM_MAX_EQ &&
	       rcu_access_pointer(sdev->eqs[eqn]);
}

u8 vhca_sim_cmd_create_cq(struct vhca_sim_dev *sdev, const void *in,
			  void *out, u32 *synd)
{
	const struct vhca_cmd_create_cq_in *i = in;
	const struct vhca_cq_ctx *ctx = &i->ctx;
	struct vhca_sim_res *res = sdev->res;
	struct vhca_cmd_obj_out *o = out;
	struct vhca_sim_cq *cq;
	u32 cqn;

	if (ctx->log_size < 1 || ctx->log_size > VHCA_SIM_LOG_MAX_CQ_SZ) {
		*synd = VHCA_SYND_BAD_SIZE;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	if (!vhca_sim_eq_exists(sdev, be32_to_cpu(ctx->eqn))) {
		*synd = VHCA_SYND_EQ_BAD_EQN;
		return VHCA_CMD_STAT_BAD_RESOURCE;
	}
	if (!vhca_sim_uar_valid(sdev, be32_to_cpu(ctx->uar))) {
		*synd = VHCA_SYND_BAD_UAR;
		return VHCA_CMD_STAT_BAD_RESOURCE;
	}

	cq = kzalloc(sizeof(*cq), GFP_KERNEL);
	if (!cq)
		return VHCA_CMD_STAT_INT_ERR;
	cq->log_size = ctx->log_size;
	cq->eqn = be32_to_cpu(ctx->eqn);
	cq->uar = be32_to_cpu(ctx->uar);
	cq->ring.addr = be64_to_cpu(ctx->ring_addr);
	cq->ring.len = sizeof(struct vhca_cqe) << ctx->log_size;
	cq->dbr.addr = be64_to_cpu(ctx->dbr_addr);
	cq->dbr.len = VHCA_DBR_SIZE;
	spin_lock_init(&cq->lock);
	if (!PAGE_ALIGNED(cq->ring.addr) ||
	    !IS_ALIGNED(cq->dbr.addr, VHCA_DBR_SIZE) ||
	    vhca_sim_dma_check(sdev, &cq->ring) ||
	    vhca_sim_dma_check(sdev, &cq->dbr)) {
		*synd = VHCA_SYND_BAD_ADDR;
		goto err_free;
	}
	if (xa_alloc(&res->cqs, &cqn, NULL, VHCA_SIM_CQ_LIMIT, GFP_KERNEL)) {
		kfree(cq);
		*synd = VHCA_SYND_NO_RESOURCE;
		return VHCA_CMD_STAT_EXCEED_LIM;
	}
	cq->cqn = cqn;
	res->uar_users[cq->uar]++;
	/* complete before a doorbell can find it */
	xa_store(&res->cqs, cqn, cq, GFP_KERNEL);
	o->num = cpu_to_be32(cqn);
	return VHCA_CMD_STAT_OK;

err_free:
	kfree(cq);
	return VHCA_CMD_STAT_BAD_PARAM;
}

/* cmd.mutex held, no QP uses it */
void vhca_sim_cq_destroy(struct vhca_sim_dev *sdev, struct vhca_sim_cq *cq)
{
	unsigned long flags;

	xa_erase(&sdev->res->cqs, cq->cqn);
	/* a doorbell that found it before the erase posts nothing now */
	spin_lock_irqsave(&cq->lock, flags);
	cq->dead = true;
	spin_unlock_irqrestore(&cq->lock, flags);
	sdev->res->uar_users[cq->uar]--;
	kfree_rcu(cq, rcu);
}

u8 vhca_sim_cmd_destroy_cq(struct vhca_sim_dev *sdev, const void *in,
			   void *out, u32 *synd)
{
	const struct vhca_cmd_obj_in *i = in;
	struct vhca_sim_cq *cq;

	cq = vhca_sim_cq_find(sdev, be32_to_cpu(i->num));
	if (!cq) {
		*synd = VHCA_SYND_BAD_CQN;
		return VHCA_CMD_STAT_BAD_RESOURCE;
	}
	if (cq->users) {
		*synd = VHCA_SYND_IN_USE;
		return VHCA_CMD_STAT_RESOURCE_BUSY;
	}
	vhca_sim_cq_destroy(sdev, cq);
	return VHCA_CMD_STAT_OK;
}

u8 vhca_sim_cmd_query_cq(struct vhca_sim_dev *sdev, const void *in,
			 void *out, u32 *synd)
{
	const struct vhca_cmd_obj_in *i = in;
	struct vhca_cmd_query_cq_out *o = out;
	struct vhca_cq_ctx *ctx = &o->ctx;
	struct vhca_sim_cq *cq;
	unsigned long flags;

	cq = vhca_sim_cq_find(sdev, be32_to_cpu(i->num));
	if (!cq) {
		*synd = VHCA_SYND_BAD_CQN;
		return VHCA_CMD_STAT_BAD_RESOURCE;
	}
	ctx->log_size = cq->log_size;
	ctx->eqn = cpu_to_be32(cq->eqn);
	ctx->uar = cpu_to_be32(cq->uar);
	ctx->ring_addr = cpu_to_be64(cq->ring.addr);
	ctx->dbr_addr = cpu_to_be64(cq->dbr.addr);
	spin_lock_irqsave(&cq->lock, flags);
	if (cq->error)
		ctx->state = VHCA_CQ_STATE_ERROR;
	else if (cq->arm == VHCA_CQ_DB_CMD_NEXT + 1)
		ctx->state = VHCA_CQ_STATE_ARMED;
	else if (cq->arm == VHCA_CQ_DB_CMD_SOL + 1)
		ctx->state = VHCA_CQ_STATE_ARMED_SOL;
	else
		ctx->state = VHCA_CQ_STATE_OK;
	ctx->overruns = cpu_to_be32(min_t(u64, cq->overruns, U32_MAX));
	ctx->prod_index = cpu_to_be32(cq->pi);
	ctx->cons_index = cpu_to_be32(cq->ci);
	spin_unlock_irqrestore(&cq->lock, flags);
	return VHCA_CMD_STAT_OK;
}

/* disarm and raise the completion event; cq->lock held */
static void vhca_sim_cq_fire(struct vhca_sim_dev *sdev, struct vhca_sim_cq *cq)
{
	cq->arm = 0;
	cq->events++;
	vhca_sim_eq_post_comp(sdev, cq->eqn, cq->cqn);
}

/* CQEs written past @ci include a solicited or failed one; cq->lock held */
static bool vhca_sim_cq_sol_pending(const struct vhca_sim_cq *cq, u32 ci)
{
	u32 pending = (cq->pi - ci) & VHCA_SIM_CQ_IDX_MASK;
	u32 after_sol = (cq->pi - cq->sol_pi) & VHCA_SIM_CQ_IDX_MASK;

	return cq->sol_valid && after_sol < pending;
}

static void vhca_sim_cq_overrun(struct vhca_sim_dev *sdev,
				struct vhca_sim_cq *cq)
{
	struct vhca_eqe_obj obj = { .num = cpu_to_be32(cq->cqn) };

	cq->overruns++;
	cq->error = true;
	cq->arm = 0;
	vhca_sim_eq_post_event(sdev, VHCA_EVENT_CQ_ERROR, 0, &obj,
			       sizeof(obj));
}

int vhca_sim_cq_post(struct vhca_sim_dev *sdev, struct vhca_sim_cq *cq,
		     const struct vhca_cqe *cqe)
{
	size_t owner_off = offsetof(struct vhca_cqe, owner);
	struct vhca_cqe entry;
	unsigned long flags;
	__be32 dbr;
	size_t off;
	int err;
	u32 ci;

	spin_lock_irqsave(&cq->lock, flags);
	if (cq->dead || cq->error) {
		if (cq->error)
			cq->overruns++;
		err = -ENOSPC;
		goto unlock;
	}
	err = vhca_sim_dma_read(sdev, &cq->dbr, 0, &dbr, sizeof(dbr));
	if (err)
		goto unlock;
	ci = be32_to_cpu(dbr) & VHCA_SIM_CQ_IDX_MASK;
	cq->ci = ci;
	if (((cq->pi - ci) & VHCA_SIM_CQ_IDX_MASK) >= BIT(cq->log_size)) {
		vhca_sim_cq_overrun(sdev, cq);
		err = -ENOSPC;
		goto unlock;
	}

	entry = *cqe;
	entry.owner = vhca_cqe_owner(cq->pi, cq->log_size);
	off = (cq->pi & (BIT(cq->log_size) - 1)) * sizeof(entry);
	err = vhca_sim_dma_write(sdev, &cq->ring, off, &entry, owner_off);
	if (err)
		goto unlock;
	/* the driver must not see the owner flip before the entry */
	smp_wmb();
	err = vhca_sim_dma_write(sdev, &cq->ring, off + owner_off,
				 &entry.owner, 1);
	if (err)
		goto unlock;
	cq->pi = (cq->pi + 1) & VHCA_SIM_CQ_IDX_MASK;

	if ((cqe->flags & VHCA_CQE_F_SOLICITED) ||
	    cqe->status != VHCA_CQE_ST_OK) {
		cq->sol_pi = cq->pi;
		cq->sol_valid = true;
		if (cq->arm == VHCA_CQ_DB_CMD_SOL + 1)
			vhca_sim_cq_fire(sdev, cq);
	}
	if (cq->arm == VHCA_CQ_DB_CMD_NEXT + 1)
		vhca_sim_cq_fire(sdev, cq);
unlock:
	spin_unlock_irqrestore(&cq->lock, flags);
	return err;
}

/**
 * vhca_sim_cq_doorbell - the CQ doorbell of a UAR
 * @sdev: the device
 * @uar: the UAR it was rung through
 * @val: CQN, command (VHCA_CQ_DB_CMD_*) and consumer index
 *
 * Any context, hardirq included. A doorbell for no CQ, through another
 * UAR than the CQ's, or with an unknown command is ignored and counted.
 */
void vhca_sim_cq_doorbell(struct vhca_sim_dev *sdev, u32 uar, u64 val)
{
	u32 cqn = FIELD_GET(VHCA_CQ_DB_CQN, val);
	u32 cmd = FIELD_GET(VHCA_CQ_DB_CMD, val);
	u32 ci = FIELD_GET(VHCA_CQ_DB_CI, val);
	struct vhca_sim_cq *cq;
	unsigned long flags;
	bool fire;

	rcu_read_lock();
	cq = xa_load(&sdev->res->cqs, cqn);
	if (!cq) {
		atomic64_inc(&sdev->res->uar_bad_doorbells);
		goto out;
	}
	spin_lock_irqsave(&cq->lock, flags);
	if (cq->dead || cq->uar != uar ||
	    (cmd != VHCA_CQ_DB_CMD_NEXT && cmd != VHCA_CQ_DB_CMD_SOL) ||
	    ((cq->pi - ci) & VHCA_SIM_CQ_IDX_MASK) > BIT(cq->log_size)) {
		cq->bad_doorbells++;
		goto unlock;
	}
	cq->ci = ci;
	/* a CQ in error raises no more completion events */
	if (cq->error)
		goto unlock;
	cq->arm = cmd + 1;
	if (cmd == VHCA_CQ_DB_CMD_NEXT)
		fire = cq->pi != ci;
	else
		fire = vhca_sim_cq_sol_pending(cq, ci);
	if (fire)
		vhca_sim_cq_fire(sdev, cq);
unlock:
	spin_unlock_irqrestore(&cq->lock, flags);
out:
	rcu_read_unlock();
}
