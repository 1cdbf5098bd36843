// SPDX-License-Identifier: GPL-2.0
/*
 * Event queues: the async EQ on vector 0 (command completions, port
 * changes, internal errors) and one completion EQ per further vector,
 * up to one per online CPU. Each EQ's interrupt handler runs in hard
 * interrupt context, consumes the EQEs the device has written and re-arms
 * the EQ with the new consumer index.
 */

#include <linux/cpumask.h>
#include <linux/dma-mapping.h>
#include <linux/log2.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/vhca/driver.h>
#include <net/devlink.h>

#include "vhca_core.h"

#define VHCA_ASYNC_EQ_VECTOR	0
#define VHCA_ASYNC_EQ_EVENTS	(BIT_ULL(VHCA_EVENT_CMD) | \
				 BIT_ULL(VHCA_EVENT_PORT_CHANGE) | \
				 BIT_ULL(VHCA_EVENT_INTERNAL_ERROR) | \
				 BIT_ULL(VHCA_EVENT_QP) | \
				 BIT_ULL(VHCA_EVENT_CQ_ERROR) | \
				 BIT_ULL(VHCA_EVENT_SRQ_LIMIT))
#define VHCA_COMP_EQ_EVENTS	BIT_ULL(VHCA_EVENT_COMP)

static size_t vhca_eq_ring_size(const struct vhca_eq *eq)
{
	return sizeof(struct vhca_eqe) << eq->log_size;
}

static void vhca_eq_doorbell(struct vhca_eq *eq, u32 reg)
{
	struct vhca_bus_device *bdev = eq->cdev->bdev;

	bdev->ops->write32(bdev, reg, vhca_eq_db_val(eq->eqn, eq->cons_index));
}

/* The EQE at the consumer index if the device has written it, else NULL. */
static struct vhca_eqe *vhca_eq_next(struct vhca_eq *eq)
{
	u32 mask = (1U << eq->log_size) - 1;
	struct vhca_eqe *eqe = &eq->ring[eq->cons_index & mask];
	u8 phase = vhca_eqe_owner(eq->cons_index, eq->log_size);

	if ((READ_ONCE(eqe->owner) & 1) != phase)
		return NULL;
	/* the EQE's contents only after its owner bit */
	dma_rmb();
	return eqe;
}

static void vhca_eq_dispatch(struct vhca_eq *eq, struct vhca_eqe *eqe)
{
	struct vhca_core_dev *cdev = eq->cdev;
	const struct vhca_eqe_comp *comp_data;
	const struct vhca_eqe_cmd *cmd_data;
	struct vhca_eq_comp *comp;

	if (eqe->type >= 64 || !(eq->event_mask & BIT_ULL(eqe->type))) {
		eq->stats.unhandled++;
		return;
	}

	switch (eqe->type) {
	case VHCA_EVENT_CMD:
		cmd_data = (const struct vhca_eqe_cmd *)eqe->data;
		vhca_cmd_comp_handler(cdev, be32_to_cpu(cmd_data->vector));
		break;
	case VHCA_EVENT_COMP:
		comp_data = (const struct vhca_eqe_comp *)eqe->data;
		rcu_read_lock();
		/* vhca_core's own CQs first, then the EQ's consumer */
		comp = xa_load(&cdev->eq_table.core_cqs,
			       be32_to_cpu(comp_data->cqn));
		if (!comp)
			comp = rcu_dereference(eq->comp);
		if (comp)
			comp->handler(comp, be32_to_cpu(comp_data->cqn));
		else
			eq->stats.unhandled++;
		rcu_read_unlock();
		break;
	case VHCA_EVENT_PORT_CHANGE:
		/* port.c re-reads the port, then tells the notifier chain */
		if (!vhca_port_eqe(cdev, eqe))
			eq->stats.unhandled++;
		break;
	case VHCA_EVENT_INTERNAL_ERROR:
		atomic_notifier_call_chain(&cdev->eq_table.nh, eqe->type, eqe);
		break;
	case VHCA_EVENT_QP:
	case VHCA_EVENT_CQ_ERROR:
	case VHCA_EVENT_SRQ_LIMIT:
		/* they name a QP, CQ or SRQ: the RDMA driver's to find */
		if (atomic_notifier_call_chain(&cdev->eq_table.nh, eqe->type,
					       eqe) == NOTIFY_DONE)
			eq->stats.unhandled++;
		break;
	default:
		eq->stats.unhandled++;
		break;
	}
}

static void vhca_eq_irq(unsigned int vector, void *ctx)
{
	struct vhca_eq *eq = ctx;
	u32 budget = 1U << eq->log_size;
	u32 half = budget / 2;
	struct vhca_eqe *eqe;
	u32 n = 0;

	eq->stats.irqs++;
	while (n < budget && (eqe = vhca_eq_next(eq))) {
		vhca_eq_dispatch(eq, eqe);
		eq->cons_index++;
		eq->stats.eqes++;
		/* return entries early so a busy EQ does not overflow */
		if (++n == half)
			vhca_eq_doorbell(eq, VHCA_REG_EQ_DB_NOARM);
	}
	/* the device interrupts at once if more EQEs are pending */
	vhca_eq_doorbell(eq, VHCA_REG_EQ_DB_ARM);
}

static int vhca_eq_create_cmd(struct vhca_eq *eq)
{
	struct vhca_cmd_create_eq_out out = {};
	struct vhca_cmd_create_eq_in in = {};
	int err;

	in.hdr.opcode = cpu_to_be16(VHCA_CMD_OP_CREATE_EQ);
	in.ctx.log_size = eq->log_size;
	in.ctx.vector = eq->vector;
	in.ctx.event_bitmask = cpu_to_be64(eq->event_mask);
	in.ctx.ring_addr = cpu_to_be64(eq->ring_dma);
	err = vhca_cmd_exec(eq->cdev, &in, sizeof(in), &out, sizeof(out));
	if (err)
		return err;
	eq->eqn = be32_to_cpu(out.eqn);
	return 0;
}

static int vhca_eq_destroy_cmd(struct vhca_eq *eq)
{
	struct vhca_cmd_simple_out out = {};
	struct vhca_cmd_eqn_in in = {};

	in.hdr.opcode = cpu_to_be16(VHCA_CMD_OP_DESTROY_EQ);
	in.eqn = cpu_to_be32(eq->eqn);
	return vhca_cmd_exec(eq->cdev, &in, sizeof(in), &out, sizeof(out));
}

static void vhca_eq_free(struct vhca_eq *eq)
{
	dma_free_coherent(eq->cdev->dev, vhca_eq_ring_size(eq), eq->ring,
			  eq->ring_dma);
	kfree(eq);
}

/* DESTROY_EQ, then free. If the device refuses or times out, it may
 * still write the ring: keep the EQ as an orphan until TEARDOWN_HCA
 * (forced if needed) or DISABLE_HCA has destroyed it, see
 * vhca_eq_orphans_free().
 */
static void vhca_eq_destroy_hw(struct vhca_eq *eq)
{
	struct vhca_core_dev *cdev = eq->cdev;

	if (vhca_eq_destroy_cmd(eq)) {
		dev_err(cdev->dev, "EQ %u not destroyed, keeping its ring until teardown\n",
			eq->eqn);
		list_add_tail(&eq->orphan, &cdev->eq_table.orphans);
		return;
	}
	vhca_eq_free(eq);
}

/**
 * vhca_eq_orphans_free() - free EQs the device may still have
 * @cdev: the device
 * @device_done: the device has no EQ any more (TEARDOWN_HCA or DISABLE_HCA
 *	succeeded); if false the rings are leaked rather than freed under
 *	a device that may still write them
 */
void vhca_eq_orphans_free(struct vhca_core_dev *cdev, bool device_done)
{
	struct vhca_eq *eq, *tmp;

	list_for_each_entry_safe(eq, tmp, &cdev->eq_table.orphans, orphan) {
		list_del(&eq->orphan);
		if (device_done) {
			vhca_eq_free(eq);
			continue;
		}
		dev_warn(cdev->dev, "leaking the ring of EQ %u: the device may still use it\n",
			 eq->eqn);
		kfree(eq);
	}
}

static struct vhca_eq *vhca_eq_create(struct vhca_core_dev *cdev, u32 nent,
				      unsigned int vector, u64 events)
{
	struct vhca_bus_device *bdev = cdev->bdev;
	struct vhca_eq *eq;
	u32 i;
	int err;

	eq = kzalloc(sizeof(*eq), GFP_KERNEL);
	if (!eq)
		return ERR_PTR(-ENOMEM);
	eq->cdev = cdev;
	eq->log_size = ilog2(nent);
	eq->vector = vector;
	eq->event_mask = events;

	eq->ring = dma_alloc_coherent(cdev->dev, vhca_eq_ring_size(eq),
				      &eq->ring_dma, GFP_KERNEL);
	if (!eq->ring) {
		err = -ENOMEM;
		goto err_free_eq;
	}
	/* owner 1 everywhere: nothing is new at consumer index 0 (phase 0) */
	for (i = 0; i < nent; i++)
		eq->ring[i].owner = 1;

	err = vhca_eq_create_cmd(eq);
	if (err == -ETIMEDOUT) {
		/* the device may create the EQ later, on this very ring */
		list_add_tail(&eq->orphan, &cdev->eq_table.orphans);
		return ERR_PTR(err);
	}
	if (err)
		goto err_free_ring;

	err = bdev->ops->request_irq(bdev, vector, vhca_eq_irq, eq);
	if (err) {
		dev_err(cdev->dev, "cannot get interrupt vector %u: %d\n",
			vector, err);
		goto err_destroy_eq;
	}
	vhca_eq_doorbell(eq, VHCA_REG_EQ_DB_ARM);
	return eq;

err_destroy_eq:
	vhca_eq_destroy_hw(eq);
	return ERR_PTR(err);
err_free_ring:
	vhca_eq_free(eq);
	return ERR_PTR(err);
err_free_eq:
	kfree(eq);
	return ERR_PTR(err);
}

static void vhca_eq_destroy(struct vhca_eq *eq)
{
	/* waits for a running handler; later interrupts find no handler */
	eq->cdev->bdev->ops->free_irq(eq->cdev->bdev, eq->vector);
	vhca_eq_destroy_hw(eq);
}

static unsigned int vhca_eq_num_comp(struct vhca_core_dev *cdev)
{
	unsigned int vectors = min_t(unsigned int, cdev->bdev->num_vectors,
				     cdev->cap.num_vectors);
	unsigned int max_eqs = 1U << min_t(u8, cdev->cap.log_max_eq, 16);
	unsigned int n;

	if (vectors < 2 || max_eqs < 2)
		return 0;
	n = min(vectors - 1, num_online_cpus());
	return min(n, max_eqs - 1);
}

static void vhca_comp_eqs_destroy(struct vhca_core_dev *cdev)
{
	struct vhca_eq_table *table = &cdev->eq_table;

	while (table->num_comp)
		vhca_eq_destroy(table->comp[--table->num_comp]);
	kfree(table->comp);
	table->comp = NULL;
}

static int vhca_comp_eqs_create(struct vhca_core_dev *cdev)
{
	struct vhca_eq_table *table = &cdev->eq_table;
	unsigned int i, n = vhca_eq_num_comp(cdev);
	struct vhca_eq *eq;

	if (!n) {
		dev_err(cdev->dev, "no interrupt vector or EQ left for completions\n");
		return -ENOSPC;
	}
	table->comp = kcalloc(n, sizeof(*table->comp), GFP_KERNEL);
	if (!table->comp)
		return -ENOMEM;

	for (i = 0; i < n; i++) {
		eq = vhca_eq_create(cdev, cdev->io_eq_size, i + 1,
				    VHCA_COMP_EQ_EVENTS);
		if (IS_ERR(eq)) {
			dev_err(cdev->dev, "cannot create completion EQ %u: %pe\n",
				i, eq);
			vhca_comp_eqs_destroy(cdev);
			return PTR_ERR(eq);
		}
		table->comp[table->num_comp++] = eq;
	}
	return 0;
}

/**
 * vhca_eqs_create() - create the async EQ, then the completion EQs
 * @cdev: the device, with cap, event_eq_size and io_eq_size set
 * @extack: where to say what failed (may be NULL)
 *
 * Switches the command interface to event mode once the async EQ is armed.
 *
 * Return: 0 or a negative errno; nothing is left behind on failure.
 */
int vhca_eqs_create(struct vhca_core_dev *cdev, struct netlink_ext_ack *extack)
{
	struct vhca_eq_table *table = &cdev->eq_table;
	int err;

	table->async = vhca_eq_create(cdev, cdev->event_eq_size,
				      VHCA_ASYNC_EQ_VECTOR, VHCA_ASYNC_EQ_EVENTS);
	if (IS_ERR(table->async)) {
		err = PTR_ERR(table->async);
		table->async = NULL;
		dev_err(cdev->dev, "cannot create the async EQ: %d\n", err);
		NL_SET_ERR_MSG_MOD(extack, "Failed to create the async EQ");
		return err;
	}
	vhca_cmd_use_events(cdev);

	err = vhca_comp_eqs_create(cdev);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "Failed to create the completion EQs");
		goto err_destroy_async;
	}
	return 0;

err_destroy_async:
	vhca_cmd_use_polling(cdev);
	vhca_eq_destroy(table->async);
	table->async = NULL;
	return err;
}

/**
 * vhca_eqs_destroy() - destroy what vhca_eqs_create() created
 * @cdev: the device
 */
void vhca_eqs_destroy(struct vhca_core_dev *cdev)
{
	struct vhca_eq_table *table = &cdev->eq_table;

	vhca_comp_eqs_destroy(cdev);
	vhca_cmd_use_polling(cdev);
	vhca_eq_destroy(table->async);
	table->async = NULL;
}

/* Once per bound device: the notifier chain outlives reloads. */
void vhca_eq_table_init(struct vhca_core_dev *cdev)
{
	ATOMIC_INIT_NOTIFIER_HEAD(&cdev->eq_table.nh);
	INIT_LIST_HEAD(&cdev->eq_table.orphans);
	xa_init(&cdev->eq_table.core_cqs);
}

/**
 * vhca_core_cq_comp_add() - take the completion events of a core CQ
 * @cdev: the device
 * @cqn: the CQ, created by vhca_core
 * @comp: its consumer; the handler runs in hard interrupt context
 *
 * Return: 0, -EBUSY if the CQN has a consumer, or -ENOMEM.
 */
int vhca_core_cq_comp_add(struct vhca_core_dev *cdev, u32 cqn,
			  struct vhca_eq_comp *comp)
{
	return xa_insert_irq(&cdev->eq_table.core_cqs, cqn, comp, GFP_KERNEL);
}

/**
 * vhca_core_cq_comp_del() - undo vhca_core_cq_comp_add()
 * @cdev: the device
 * @cqn: the CQ
 *
 * Sleeps until no handler call for the CQ is running.
 */
void vhca_core_cq_comp_del(struct vhca_core_dev *cdev, u32 cqn)
{
	xa_erase_irq(&cdev->eq_table.core_cqs, cqn);
	synchronize_rcu();
}

/**
 * vhca_core_num_comp_eqs() - number of completion EQs
 * @cdev: the device, loaded
 *
 * Return: how many indexes vhca_core_comp_eq() accepts.
 */
unsigned int vhca_core_num_comp_eqs(struct vhca_core_dev *cdev)
{
	return cdev->eq_table.num_comp;
}
EXPORT_SYMBOL_GPL(vhca_core_num_comp_eqs);

/**
 * vhca_core_comp_eq() - a completion EQ
 * @cdev: the device, loaded
 * @index: 0 .. vhca_core_num_comp_eqs() - 1
 *
 * Return: the EQ, or NULL if @index is out of range.
 */
struct vhca_eq *vhca_core_comp_eq(struct vhca_core_dev *cdev,
				  unsigned int index)
{
	if (index >= cdev->eq_table.num_comp)
		return NULL;
	return cdev->eq_table.comp[index];
}
EXPORT_SYMBOL_GPL(vhca_core_comp_eq);

/**
 * vhca_eq_comp_attach() - receive an EQ's completion events
 * @eq: a completion EQ
 * @comp: the consumer; its handler runs in hard interrupt context
 *
 * Return: 0, or -EBUSY if the EQ already has a consumer.
 */
int vhca_eq_comp_attach(struct vhca_eq *eq, struct vhca_eq_comp *comp)
{
	/* attach/detach are serialized by the caller (one CQ layer per EQ) */
	if (rcu_access_pointer(eq->comp))
		return -EBUSY;
	rcu_assign_pointer(eq->comp, comp);
	return 0;
}
EXPORT_SYMBOL_GPL(vhca_eq_comp_attach);

/**
 * vhca_eq_comp_detach() - stop receiving an EQ's completion events
 * @eq: the EQ
 * @comp: the consumer given to vhca_eq_comp_attach()
 *
 * Sleeps until no handler call on @comp is running.
 */
void vhca_eq_comp_detach(struct vhca_eq *eq, struct vhca_eq_comp *comp)
{
	if (rcu_access_pointer(eq->comp) != comp)
		return;
	RCU_INIT_POINTER(eq->comp, NULL);
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(vhca_eq_comp_detach);

/**
 * vhca_core_event_register() - subscribe to asynchronous device events
 * @cdev: the device
 * @nb: called with the event type (VHCA_EVENT_PORT_CHANGE,
 *	VHCA_EVENT_INTERNAL_ERROR, VHCA_EVENT_QP, VHCA_EVENT_CQ_ERROR,
 *	VHCA_EVENT_SRQ_LIMIT) and a struct vhca_eqe. All but PORT_CHANGE
 *	come in hard interrupt context (the object events carry a struct
 *	vhca_eqe_obj); PORT_CHANGE from a work item once
 *	the port cache is updated (vhca_core_query_port() returns the new
 *	values), one call per sub_type. Either way the callback must not
 *	sleep (an atomic notifier chain).
 *
 * Return: 0.
 */
int vhca_core_event_register(struct vhca_core_dev *cdev,
			     struct notifier_block *nb)
{
	return atomic_notifier_chain_register(&cdev->eq_table.nh, nb);
}
EXPORT_SYMBOL_GPL(vhca_core_event_register);

/**
 * vhca_core_event_unregister() - unsubscribe from device events
 * @cdev: the device
 * @nb: as given to vhca_core_event_register()
 *
 * Return: 0, or -ENOENT if @nb was not registered.
 */
int vhca_core_event_unregister(struct vhca_core_dev *cdev,
			       struct notifier_block *nb)
{
	return atomic_notifier_chain_unregister(&cdev->eq_table.nh, nb);
}
EXPORT_SYMBOL_GPL(vhca_core_event_unregister);
