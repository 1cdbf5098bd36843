// SPDX-License-Identifier: GPL-2.0
/*
 * The register BAR and the interrupt vectors of an emulated HCA.
 *
 * Register accesses are function calls through struct vhca_bus_ops, the
 * way readl()/writel() reach a PCI BAR. None of them sleeps except a write
 * of 0 to the command queue address, which waits for the command engine
 * to let go of the queue (see cmd.c). 64-bit writes into the UAR pages
 * are the SQ and CQ doorbells (see pd.c).
 *
 * Each vector is an irq_work: raising it runs the driver's handler in
 * hardirq context, as a real MSI-X interrupt would. The handler runs on
 * the CPU that raised the vector (irq_work_queue_on() is not exported to
 * modules in 6.1), so interrupt affinity follows the event's source.
 *
 * The health counter has no timer: it is derived from jiffies, advancing
 * once per VHCA_SIM_HEALTH_TICK_MS, and freezes while a health syndrome is
 * set (the "firmware" is dead), so a poller sees it stop.
 */

#include <linux/bitfield.h>
#include <linux/jiffies.h>

#include "vhca_sim.h"
#include "res.h"

static u32 vhca_sim_health_now(struct vhca_sim_dev *sdev)
{
	return jiffies_to_msecs(jiffies - sdev->created) /
	       VHCA_SIM_HEALTH_TICK_MS;
}

u32 vhca_sim_health_counter(struct vhca_sim_dev *sdev)
{
	unsigned long flags;
	u32 val;

	spin_lock_irqsave(&sdev->health_lock, flags);
	val = sdev->health_syndrome ? sdev->health_frozen :
				      vhca_sim_health_now(sdev);
	spin_unlock_irqrestore(&sdev->health_lock, flags);
	return val;
}

u32 vhca_sim_health_syndrome(struct vhca_sim_dev *sdev)
{
	unsigned long flags;
	u32 val;

	spin_lock_irqsave(&sdev->health_lock, flags);
	val = sdev->health_syndrome;
	spin_unlock_irqrestore(&sdev->health_lock, flags);
	return val;
}

/**
 * vhca_sim_health_set - set or clear the health syndrome
 * @sdev: the device
 * @syndrome: VHCA_HEALTH_* or any non-zero value; 0 makes it healthy
 *
 * A new non-zero syndrome freezes the health counter and posts a
 * VHCA_EVENT_INTERNAL_ERROR EQE to the EQ subscribed to it, if any.
 */
void vhca_sim_health_set(struct vhca_sim_dev *sdev, u32 syndrome)
{
	unsigned long flags;
	bool fire;

	spin_lock_irqsave(&sdev->health_lock, flags);
	fire = syndrome && !sdev->health_syndrome;
	if (fire)
		sdev->health_frozen = vhca_sim_health_now(sdev);
	sdev->health_syndrome = syndrome;
	spin_unlock_irqrestore(&sdev->health_lock, flags);

	if (fire)
		vhca_sim_eq_post_event(sdev, VHCA_EVENT_INTERNAL_ERROR, 0,
				       NULL, 0);
}

static void vhca_sim_bad_access(struct vhca_sim_dev *sdev)
{
	atomic64_inc(&sdev->bad_reg_access);
}

static u32 vhca_sim_read32(struct vhca_bus_device *bdev, u32 offset)
{
	struct vhca_sim_dev *sdev = to_vhca_sim_dev(bdev);
	unsigned long busy_until;

	switch (offset) {
	case VHCA_REG_DEVICE_ID:
		return VHCA_DEVICE_ID;
	case VHCA_REG_IFACE_REV:
		return VHCA_IFACE_REV;
	case VHCA_REG_FW_REV:
		return VHCA_SIM_FW_MAJOR << 16 | VHCA_SIM_FW_MINOR;
	case VHCA_REG_FW_SUBMINOR:
		return VHCA_SIM_FW_SUBMINOR;
	case VHCA_REG_CMDQ_ADDR_H:
		return upper_32_bits(vhca_sim_cmdq_addr(sdev));
	case VHCA_REG_CMDQ_ADDR_L:
		return lower_32_bits(vhca_sim_cmdq_addr(sdev));
	case VHCA_REG_CMDQ_INFO:
		return VHCA_CMDQ_LOG_SIZE << 4 | VHCA_CMDQ_LOG_STRIDE;
	case VHCA_REG_INIT_STATUS:
		busy_until = sdev->created +
			     msecs_to_jiffies(VHCA_SIM_INIT_BUSY_MS);
		return time_before(jiffies, busy_until) ?
		       VHCA_INIT_STATUS_BUSY : 0;
	case VHCA_REG_HEALTH_SYNDROME:
		return vhca_sim_health_syndrome(sdev);
	case VHCA_REG_HEALTH_COUNTER:
		return vhca_sim_health_counter(sdev);
	case VHCA_REG_CMD_DBELL:
	case VHCA_REG_EQ_DB_ARM:
	case VHCA_REG_EQ_DB_NOARM:
		/* write-only: reads as 0 */
		return 0;
	default:
		if (offset >= VHCA_REG_BAR_SIZE || offset & 3) {
			vhca_sim_bad_access(sdev);
			return ~0U;
		}
		return 0;	/* reserved */
	}
}

static void vhca_sim_write32(struct vhca_bus_device *bdev, u32 offset, u32 val)
{
	struct vhca_sim_dev *sdev = to_vhca_sim_dev(bdev);

	switch (offset) {
	case VHCA_REG_CMD_DBELL:
		vhca_sim_cmd_doorbell(sdev, val);
		break;
	case VHCA_REG_EQ_DB_ARM:
		vhca_sim_eq_doorbell(sdev, val, true);
		break;
	case VHCA_REG_EQ_DB_NOARM:
		vhca_sim_eq_doorbell(sdev, val, false);
		break;
	default:
		/* read-only, reserved, or an address register (64-bit only) */
		vhca_sim_bad_access(sdev);
		break;
	}
}

static void vhca_sim_write64(struct vhca_bus_device *bdev, u32 offset, u64 val)
{
	struct vhca_sim_dev *sdev = to_vhca_sim_dev(bdev);

	/* the UAR pages: SQ and CQ doorbells, from any context */
	if (offset >= VHCA_REG_UAR_BASE && offset < VHCA_REG_BAR_FULL_SIZE) {
		if (offset & 7)
			vhca_sim_bad_access(sdev);
		else
			vhca_sim_uar_write64(sdev, offset, val);
		return;
	}
	if (offset != VHCA_REG_CMDQ_ADDR_H) {
		vhca_sim_bad_access(sdev);
		return;
	}
	vhca_sim_cmdq_set_addr(sdev, val);
}

static void vhca_sim_vec_fire(struct irq_work *work)
{
	struct vhca_sim_vec *vec = container_of(work, struct vhca_sim_vec,
						work);
	vhca_irq_handler_t handler;
	void *ctx;

	spin_lock(&vec->lock);
	handler = vec->handler;
	ctx = vec->ctx;
	spin_unlock(&vec->lock);

	if (handler)
		handler(vec->index, ctx);
	else
		atomic64_inc(&vec->spurious);
}

/**
 * vhca_sim_irq_raise - raise an interrupt vector
 * @sdev: the device
 * @vector: which one; out of range is ignored
 *
 * Callable from any context. A vector raised again before its handler
 * ran is delivered once, like an edge-triggered MSI-X message.
 */
void vhca_sim_irq_raise(struct vhca_sim_dev *sdev, unsigned int vector)
{
	struct vhca_sim_vec *vec;

	if (vector >= sdev->bdev.num_vectors)
		return;
	vec = &sdev->vecs[vector];
	atomic64_inc(&vec->raised);
	irq_work_queue(&vec->work);
}

static int vhca_sim_request_irq(struct vhca_bus_device *bdev,
				unsigned int vector, vhca_irq_handler_t handler,
				void *ctx)
{
	struct vhca_sim_dev *sdev = to_vhca_sim_dev(bdev);
	struct vhca_sim_vec *vec;
	unsigned long flags;
	int err = 0;

	if (vector >= bdev->num_vectors || !handler)
		return -EINVAL;
	vec = &sdev->vecs[vector];
	spin_lock_irqsave(&vec->lock, flags);
	if (vec->handler) {
		err = -EBUSY;
	} else {
		vec->handler = handler;
		vec->ctx = ctx;
	}
	spin_unlock_irqrestore(&vec->lock, flags);
	return err;
}

static void vhca_sim_free_irq(struct vhca_bus_device *bdev,
			      unsigned int vector)
{
	struct vhca_sim_dev *sdev = to_vhca_sim_dev(bdev);
	struct vhca_sim_vec *vec;
	unsigned long flags;

	if (vector >= bdev->num_vectors)
		return;
	vec = &sdev->vecs[vector];
	spin_lock_irqsave(&vec->lock, flags);
	vec->handler = NULL;
	vec->ctx = NULL;
	spin_unlock_irqrestore(&vec->lock, flags);
	/* a handler that already read the old pointer finishes first */
	irq_work_sync(&vec->work);
}

const struct vhca_bus_ops vhca_sim_bus_ops = {
	.read32 = vhca_sim_read32,
	.write32 = vhca_sim_write32,
	.write64 = vhca_sim_write64,
	.request_irq = vhca_sim_request_irq,
	.free_irq = vhca_sim_free_irq,
};

void vhca_sim_dev_init(struct vhca_sim_dev *sdev)
{
	unsigned int i;

	sdev->created = jiffies;
	spin_lock_init(&sdev->health_lock);
	atomic64_set(&sdev->bad_reg_access, 0);
	atomic64_set(&sdev->dma_errors, 0);
	sdev->bdev.num_vectors = 1 + min_t(unsigned int, num_possible_cpus(),
					   VHCA_SIM_MAX_IO_VECTORS);
	sdev->bdev.ops = &vhca_sim_bus_ops;
	for (i = 0; i < VHCA_SIM_MAX_VECTORS; i++) {
		struct vhca_sim_vec *vec = &sdev->vecs[i];

		init_irq_work(&vec->work, vhca_sim_vec_fire);
		vec->sdev = sdev;
		vec->index = i;
		spin_lock_init(&vec->lock);
		atomic64_set(&vec->raised, 0);
		atomic64_set(&vec->spurious, 0);
	}
}

/* after the EQs are gone: nothing raises a vector any more */
void vhca_sim_dev_uninit(struct vhca_sim_dev *sdev)
{
	unsigned int i;

	for (i = 0; i < sdev->bdev.num_vectors; i++)
		irq_work_sync(&sdev->vecs[i].work);
}
