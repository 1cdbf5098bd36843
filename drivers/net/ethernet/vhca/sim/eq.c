// SPDX-License-Identifier: GPL-2.0
/*
 * Event queues: the objects behind CREATE_EQ/DESTROY_EQ/QUERY_EQ, posting
 * EQEs into the driver's ring and the EQ doorbells (arming).
 *
 * An EQ raises its vector at most once per arm: an EQE posted to an armed
 * EQ disarms it and raises the vector; an ARM doorbell with EQEs pending
 * past the consumer index raises at once. A NOARM doorbell only returns
 * entries. The producer never overwrites unread entries: an EQE that would
 * is dropped and counted as an overrun.
 */

#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/stddef.h>

#include "vhca_sim.h"
#include "res.h"

/* set under eq->lock when the EQ is destroyed: nothing posts any more */
#define VHCA_SIM_EQ_DEAD	BIT(0)

static struct vhca_sim_eq *vhca_sim_eq_get_locked(struct vhca_sim_dev *sdev,
						  u32 eqn)
{
	return rcu_dereference_protected(sdev->eqs[eqn],
					 lockdep_is_held(&sdev->cmd.mutex));
}

static u32 vhca_sim_eq_pending(const struct vhca_sim_eq *eq)
{
	return (eq->pi - eq->ci) & VHCA_SIM_EQ_IDX_MASK;
}

/**
 * vhca_sim_eq_ctx_check - the firmware's checks of a CREATE_EQ context
 * @ctx: the EQ context from the input mailbox
 * @num_vectors: interrupt vectors of the device
 * @owned: BIT_ULL(VHCA_EVENT_*) the existing EQs receive
 * @synd: the syndrome, on failure
 *
 * Pure, in this order: log_size within the EQ size capabilities, vector
 * below @num_vectors, a non-zero page-aligned ring address, only
 * supported event types, none of them (COMP excepted) owned by another EQ.
 *
 * Return: VHCA_CMD_STAT_OK or VHCA_CMD_STAT_BAD_PARAM.
 */
u8 vhca_sim_eq_ctx_check(const struct vhca_eq_ctx *ctx,
			 unsigned int num_vectors, u64 owned, u32 *synd)
{
	u64 events = be64_to_cpu(ctx->event_bitmask);
	u64 ring = be64_to_cpu(ctx->ring_addr);

	if (ctx->log_size < VHCA_SIM_LOG_MIN_EQ_SZ ||
	    ctx->log_size > VHCA_SIM_LOG_MAX_EQ_SZ)
		*synd = VHCA_SYND_EQ_BAD_SIZE;
	else if (ctx->vector >= num_vectors)
		*synd = VHCA_SYND_EQ_BAD_VECTOR;
	else if (!ring || !PAGE_ALIGNED(ring))
		*synd = VHCA_SYND_EQ_BAD_ADDR;
	else if (events & ~VHCA_EVENT_SUPPORTED_MASK)
		*synd = VHCA_SYND_EQ_BAD_EVENTS;
	/* every event type but COMP has one receiver */
	else if (events & owned & ~BIT_ULL(VHCA_EVENT_COMP))
		*synd = VHCA_SYND_EQ_BAD_EVENTS;
	else
		return VHCA_CMD_STAT_OK;
	return VHCA_CMD_STAT_BAD_PARAM;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_sim_eq_ctx_check);

/**
 * vhca_sim_eq_create - CREATE_EQ
 * @sdev: the device, cmd.mutex held
 * @ctx: the EQ context from the input mailbox
 * @eqn: the new EQ's number, on success
 * @synd: the syndrome, on failure
 *
 * Return: a VHCA_CMD_STAT_* status.
 */
u8 vhca_sim_eq_create(struct vhca_sim_dev *sdev,
		      const struct vhca_eq_ctx *ctx, u32 *eqn, u32 *synd)
{
	u64 events = be64_to_cpu(ctx->event_bitmask);
	u64 ring = be64_to_cpu(ctx->ring_addr);
	u32 i, free = U32_MAX;
	struct vhca_sim_eq *eq;
	u64 owned = 0;
	u8 st;

	lockdep_assert_held(&sdev->cmd.mutex);

	for (i = 0; i < VHCA_SIM_MAX_EQ; i++) {
		eq = vhca_sim_eq_get_locked(sdev, i);
		if (eq)
			owned |= eq->events;
		else if (free == U32_MAX)
			free = i;
	}
	st = vhca_sim_eq_ctx_check(ctx, sdev->bdev.num_vectors, owned, synd);
	if (st != VHCA_CMD_STAT_OK)
		return st;
	if (free == U32_MAX) {
		*synd = VHCA_SYND_EQ_NO_EQN;
		return VHCA_CMD_STAT_EXCEED_LIM;
	}

	eq = kzalloc(sizeof(*eq), GFP_KERNEL);
	if (!eq) {
		*synd = VHCA_SYND_NONE;
		return VHCA_CMD_STAT_INT_ERR;
	}
	eq->eqn = free;
	eq->log_size = ctx->log_size;
	eq->vector = ctx->vector;
	eq->events = events;
	eq->ring.addr = ring;
	eq->ring.len = sizeof(struct vhca_eqe) << ctx->log_size;
	spin_lock_init(&eq->lock);
	if (vhca_sim_dma_check(sdev, &eq->ring)) {
		kfree(eq);
		*synd = VHCA_SYND_EQ_BAD_ADDR;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	rcu_assign_pointer(sdev->eqs[free], eq);
	*eqn = free;
	return VHCA_CMD_STAT_OK;
}

/* unpublish: after this returns no EQE reaches the ring */
static void vhca_sim_eq_free(struct vhca_sim_dev *sdev, struct vhca_sim_eq *eq)
{
	unsigned long flags;

	RCU_INIT_POINTER(sdev->eqs[eq->eqn], NULL);
	spin_lock_irqsave(&eq->lock, flags);
	eq->flags |= VHCA_SIM_EQ_DEAD;
	spin_unlock_irqrestore(&eq->lock, flags);
	kfree_rcu(eq, rcu);
}

/**
 * vhca_sim_eq_destroy - DESTROY_EQ
 * @sdev: the device, cmd.mutex held
 * @eqn: EQ number
 * @synd: the syndrome, on failure
 *
 * Once this returns the ring is not written again.
 *
 * Return: a VHCA_CMD_STAT_* status.
 */
u8 vhca_sim_eq_destroy(struct vhca_sim_dev *sdev, u32 eqn, u32 *synd)
{
	struct vhca_sim_eq *eq;

	lockdep_assert_held(&sdev->cmd.mutex);

	eq = eqn < VHCA_SIM_MAX_EQ ? vhca_sim_eq_get_locked(sdev, eqn) : NULL;
	if (!eq) {
		*synd = VHCA_SYND_EQ_BAD_EQN;
		return VHCA_CMD_STAT_BAD_RESOURCE;
	}
	vhca_sim_eq_free(sdev, eq);
	return VHCA_CMD_STAT_OK;
}

/**
 * vhca_sim_eq_query - QUERY_EQ
 * @sdev: the device, cmd.mutex held
 * @eqn: EQ number
 * @ctx: filled with the EQ's context
 * @synd: the syndrome, on failure
 *
 * Return: a VHCA_CMD_STAT_* status.
 */
u8 vhca_sim_eq_query(struct vhca_sim_dev *sdev, u32 eqn,
		     struct vhca_eq_ctx *ctx, u32 *synd)
{
	struct vhca_sim_eq *eq;
	unsigned long flags;

	lockdep_assert_held(&sdev->cmd.mutex);

	eq = eqn < VHCA_SIM_MAX_EQ ? vhca_sim_eq_get_locked(sdev, eqn) : NULL;
	if (!eq) {
		*synd = VHCA_SYND_EQ_BAD_EQN;
		return VHCA_CMD_STAT_BAD_RESOURCE;
	}
	memset(ctx, 0, sizeof(*ctx));
	ctx->log_size = eq->log_size;
	ctx->vector = eq->vector;
	ctx->event_bitmask = cpu_to_be64(eq->events);
	ctx->ring_addr = cpu_to_be64(eq->ring.addr);
	spin_lock_irqsave(&eq->lock, flags);
	ctx->state = eq->armed ? VHCA_EQ_STATE_ARMED : VHCA_EQ_STATE_FIRED;
	ctx->cons_index = cpu_to_be32(eq->ci);
	ctx->prod_index = cpu_to_be32(eq->pi);
	spin_unlock_irqrestore(&eq->lock, flags);
	return VHCA_CMD_STAT_OK;
}

/* cmd.mutex held */
unsigned int vhca_sim_eq_count(struct vhca_sim_dev *sdev)
{
	unsigned int i, n = 0;

	for (i = 0; i < VHCA_SIM_MAX_EQ; i++)
		if (vhca_sim_eq_get_locked(sdev, i))
			n++;
	return n;
}

/* TEARDOWN_HCA force and device removal; cmd.mutex held */
void vhca_sim_eq_destroy_all(struct vhca_sim_dev *sdev)
{
	struct vhca_sim_eq *eq;
	unsigned int i;

	for (i = 0; i < VHCA_SIM_MAX_EQ; i++) {
		eq = vhca_sim_eq_get_locked(sdev, i);
		if (eq)
			vhca_sim_eq_free(sdev, eq);
	}
}

/**
 * vhca_sim_eq_doorbell - VHCA_REG_EQ_DB_ARM / VHCA_REG_EQ_DB_NOARM
 * @sdev: the device
 * @val: eqn [31:24], consumer index [23:0]
 * @arm: request an interrupt for the next EQE
 *
 * Any context. A doorbell naming no EQ, or a consumer index past the
 * producer's, is ignored and counted.
 */
void vhca_sim_eq_doorbell(struct vhca_sim_dev *sdev, u32 val, bool arm)
{
	u32 eqn = vhca_eq_db_eqn(val);
	u32 ci = vhca_eq_db_ci(val);
	struct vhca_sim_eq *eq;
	unsigned long flags;
	bool fire = false;

	rcu_read_lock();
	eq = eqn < VHCA_SIM_MAX_EQ ? rcu_dereference(sdev->eqs[eqn]) : NULL;
	if (!eq) {
		atomic64_inc(&sdev->bad_reg_access);
		goto out;
	}
	spin_lock_irqsave(&eq->lock, flags);
	if (eq->flags & VHCA_SIM_EQ_DEAD) {
		atomic64_inc(&sdev->bad_reg_access);
		goto unlock;
	}
	if (((eq->pi - ci) & VHCA_SIM_EQ_IDX_MASK) > BIT(eq->log_size)) {
		eq->bad_doorbells++;
		goto unlock;
	}
	eq->ci = ci;
	if (arm) {
		if (vhca_sim_eq_pending(eq)) {
			eq->armed = false;
			eq->irqs++;
			fire = true;
		} else {
			eq->armed = true;
		}
	}
unlock:
	spin_unlock_irqrestore(&eq->lock, flags);
	if (fire)
		vhca_sim_irq_raise(sdev, eq->vector);
out:
	rcu_read_unlock();
}

/* write one EQE: the entry, a barrier, then its owner byte */
static int vhca_sim_eq_post(struct vhca_sim_dev *sdev, struct vhca_sim_eq *eq,
			    struct vhca_eqe *eqe)
{
	size_t owner_off = offsetof(struct vhca_eqe, owner);
	unsigned long flags;
	bool fire = false;
	size_t off;
	int err;

	spin_lock_irqsave(&eq->lock, flags);
	if (eq->flags & VHCA_SIM_EQ_DEAD) {
		err = -ENOENT;
		goto unlock;
	}
	if (vhca_sim_eq_pending(eq) >= BIT(eq->log_size)) {
		eq->overruns++;
		err = -ENOSPC;
		goto unlock;
	}
	off = (eq->pi & (BIT(eq->log_size) - 1)) * sizeof(*eqe);
	eqe->owner = vhca_eqe_owner(eq->pi, eq->log_size);
	err = vhca_sim_dma_write(sdev, &eq->ring, off, eqe, owner_off);
	if (err) {
		eq->dma_errors++;
		goto unlock;
	}
	/* the driver must not see the owner flip before the entry */
	smp_wmb();
	err = vhca_sim_dma_write(sdev, &eq->ring, off + owner_off,
				 &eqe->owner, 1);
	if (err) {
		eq->dma_errors++;
		goto unlock;
	}
	eq->pi = (eq->pi + 1) & VHCA_SIM_EQ_IDX_MASK;
	eq->posted++;
	if (eq->armed) {
		eq->armed = false;
		eq->irqs++;
		fire = true;
	}
unlock:
	spin_unlock_irqrestore(&eq->lock, flags);
	if (fire)
		vhca_sim_irq_raise(sdev, eq->vector);
	return err;
}

/**
 * vhca_sim_eq_post_event - post an EQE to the EQ subscribed to its type
 * @sdev: the device
 * @type: VHCA_EVENT_*
 * @sub_type: the EQE's sub_type
 * @data: payload for &vhca_eqe.data, or NULL
 * @len: its length, at most sizeof(vhca_eqe.data)
 *
 * Any context.
 *
 * Return: 0, -ENOENT if no EQ takes @type, -ENOSPC on an overrun, -EFAULT
 * if the ring is unreachable.
 */
int vhca_sim_eq_post_event(struct vhca_sim_dev *sdev, u8 type, u8 sub_type,
			   const void *data, size_t len)
{
	struct vhca_sim_eq *eq;
	struct vhca_eqe eqe;
	int err = -ENOENT;
	unsigned int i;

	if (type >= 64 || len > sizeof(eqe.data))
		return -EINVAL;
	memset(&eqe, 0, sizeof(eqe));
	eqe.type = type;
	eqe.sub_type = sub_type;
	if (data)
		memcpy(eqe.data, data, len);

	rcu_read_lock();
	for (i = 0; i < VHCA_SIM_MAX_EQ; i++) {
		eq = rcu_dereference(sdev->eqs[i]);
		if (eq && eq->events & BIT_ULL(type)) {
			err = vhca_sim_eq_post(sdev, eq, &eqe);
			break;
		}
	}
	rcu_read_unlock();
	return err;
}

/**
 * vhca_sim_eq_post_comp - post a completion EQE to one EQ
 * @sdev: the device
 * @eqn: the CQ's completion EQ
 * @cqn: the CQ that has a new completion
 *
 * Any context. Unlike the other events, completions go to the EQ the CQ
 * names, whatever it subscribed to.
 *
 * Return: 0, -ENOENT if the EQ does not exist, or as vhca_sim_eq_post().
 */
int vhca_sim_eq_post_comp(struct vhca_sim_dev *sdev, u32 eqn, u32 cqn)
{
	struct vhca_eqe_comp *comp;
	struct vhca_sim_eq *eq;
	struct vhca_eqe eqe;
	int err = -ENOENT;

	memset(&eqe, 0, sizeof(eqe));
	eqe.type = VHCA_EVENT_COMP;
	comp = (struct vhca_eqe_comp *)eqe.data;
	comp->cqn = cpu_to_be32(cqn);

	rcu_read_lock();
	eq = eqn < VHCA_SIM_MAX_EQ ? rcu_dereference(sdev->eqs[eqn]) : NULL;
	if (eq)
		err = vhca_sim_eq_post(sdev, eq, &eqe);
	rcu_read_unlock();
	return err;
}

void vhca_sim_eq_show(struct vhca_sim_dev *sdev, struct seq_file *m)
{
	struct vhca_sim_eq *eq;
	unsigned long flags;
	unsigned int i;

	rcu_read_lock();
	for (i = 0; i < VHCA_SIM_MAX_EQ; i++) {
		eq = rcu_dereference(sdev->eqs[i]);
		if (!eq)
			continue;
		spin_lock_irqsave(&eq->lock, flags);
		seq_printf(m, "eq %u: size %lu vector %u state %s ci %u pi %u events 0x%llx posted %llu overruns %llu dma_errors %llu bad_doorbells %llu irqs %llu\n",
			   eq->eqn, BIT(eq->log_size), eq->vector,
			   eq->armed ? "armed" : "fired", eq->ci, eq->pi,
			   eq->events, eq->posted, eq->overruns,
			   eq->dma_errors, eq->bad_doorbells, eq->irqs);
		spin_unlock_irqrestore(&eq->lock, flags);
	}
	rcu_read_unlock();
}
