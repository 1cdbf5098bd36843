// SPDX-License-Identifier: GPL-2.0
/*
 * Protection domains and UARs: ALLOC/DEALLOC_PD, ALLOC/DEALLOC_UAR, and
 * the doorbell registers of the UAR pages.
 *
 * A UAR is a VHCA_UAR_STRIDE-byte page of the register BAR at
 * VHCA_REG_UAR(n). Its doorbells are 64-bit writes, rung from any
 * context (the driver's xmit path included): they take no sleeping lock
 * and hand the value to the SQ or CQ it names.
 */

#include <linux/slab.h>

#include "res.h"

/* PDNs 1 .. (1 << VHCA_SIM_LOG_MAX_PD) - 1 */
#define VHCA_SIM_PD_LIMIT	XA_LIMIT(1, BIT(VHCA_SIM_LOG_MAX_PD) - 1)
#define VHCA_SIM_NUM_UARS	BIT(VHCA_MAX_LOG_UAR)

/**
 * vhca_sim_pd_find - a PD by number
 * @sdev: the device, cmd.mutex held
 * @pdn: its number
 *
 * Return: the PD or NULL.
 */
struct vhca_sim_pd *vhca_sim_pd_find(struct vhca_sim_dev *sdev, u32 pdn)
{
	lockdep_assert_held(&sdev->cmd.mutex);
	return xa_load(&sdev->res->pds, pdn);
}

u8 vhca_sim_cmd_alloc_pd(struct vhca_sim_dev *sdev, const void *in,
			 void *out, u32 *synd)
{
	struct vhca_cmd_obj_out *o = out;
	u16 op_mod = vhca_cmd_in_op_mod(in);
	struct vhca_sim_pd *pd;
	u32 pdn;

	if (op_mod != VHCA_ALLOC_PD_KERNEL && op_mod != VHCA_ALLOC_PD_USER) {
		*synd = VHCA_SYND_BAD_OP_MOD;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	pd = kzalloc(sizeof(*pd), GFP_KERNEL);
	if (!pd)
		return VHCA_CMD_STAT_INT_ERR;
	pd->user = op_mod == VHCA_ALLOC_PD_USER;
	if (xa_alloc(&sdev->res->pds, &pdn, pd, VHCA_SIM_PD_LIMIT,
		     GFP_KERNEL)) {
		kfree(pd);
		*synd = VHCA_SYND_NO_RESOURCE;
		return VHCA_CMD_STAT_EXCEED_LIM;
	}
	pd->pdn = pdn;
	o->num = cpu_to_be32(pdn);
	return VHCA_CMD_STAT_OK;
}

/* cmd.mutex held, no users left */
void vhca_sim_pd_destroy(struct vhca_sim_dev *sdev, struct vhca_sim_pd *pd)
{
	xa_erase(&sdev->res->pds, pd->pdn);
	kfree(pd);
}

u8 vhca_sim_cmd_dealloc_pd(struct vhca_sim_dev *sdev, const void *in,
			   void *out, u32 *synd)
{
	const struct vhca_cmd_obj_in *i = in;
	struct vhca_sim_pd *pd;

	pd = vhca_sim_pd_find(sdev, be32_to_cpu(i->num));
	if (!pd) {
		*synd = VHCA_SYND_BAD_PDN;
		return VHCA_CMD_STAT_BAD_RESOURCE;
	}
	if (pd->users) {
		*synd = VHCA_SYND_IN_USE;
		return VHCA_CMD_STAT_RESOURCE_BUSY;
	}
	vhca_sim_pd_destroy(sdev, pd);
	return VHCA_CMD_STAT_OK;
}

/**
 * vhca_sim_uar_valid - is a UAR allocated?
 * @sdev: the device
 * @uar: UAR index
 *
 * Any context.
 *
 * Return: true if ALLOC_UAR handed it out.
 */
bool vhca_sim_uar_valid(struct vhca_sim_dev *sdev, u32 uar)
{
	return uar < VHCA_SIM_NUM_UARS && test_bit(uar, sdev->res->uars);
}

u8 vhca_sim_cmd_alloc_uar(struct vhca_sim_dev *sdev, const void *in,
			  void *out, u32 *synd)
{
	struct vhca_sim_res *res = sdev->res;
	struct vhca_cmd_obj_out *o = out;
	unsigned long uar;

	uar = find_first_zero_bit(res->uars, VHCA_SIM_NUM_UARS);
	if (uar >= VHCA_SIM_NUM_UARS) {
		*synd = VHCA_SYND_NO_RESOURCE;
		return VHCA_CMD_STAT_EXCEED_LIM;
	}
	/* atomic: doorbells test the bit from any context */
	set_bit(uar, res->uars);
	res->uar_users[uar] = 0;
	o->num = cpu_to_be32(uar);
	return VHCA_CMD_STAT_OK;
}

u8 vhca_sim_cmd_dealloc_uar(struct vhca_sim_dev *sdev, const void *in,
			    void *out, u32 *synd)
{
	const struct vhca_cmd_obj_in *i = in;
	struct vhca_sim_res *res = sdev->res;
	u32 uar = be32_to_cpu(i->num);

	if (!vhca_sim_uar_valid(sdev, uar)) {
		*synd = VHCA_SYND_BAD_UAR;
		return VHCA_CMD_STAT_BAD_RESOURCE;
	}
	if (res->uar_users[uar]) {
		*synd = VHCA_SYND_IN_USE;
		return VHCA_CMD_STAT_RESOURCE_BUSY;
	}
	clear_bit(uar, res->uars);
	return VHCA_CMD_STAT_OK;
}

/**
 * vhca_sim_uar_write64 - a 64-bit register write inside the UAR area
 * @sdev: the device
 * @offset: byte offset into the BAR, VHCA_REG_UAR_BASE or above
 * @val: the value written
 *
 * Any context, hardirq included. A write to an unallocated UAR or to no
 * doorbell of it is ignored and counted.
 */
void vhca_sim_uar_write64(struct vhca_sim_dev *sdev, u32 offset, u64 val)
{
	u32 uar = (offset - VHCA_REG_UAR_BASE) / VHCA_UAR_STRIDE;
	u32 reg = offset % VHCA_UAR_STRIDE;

	if (offset < VHCA_REG_UAR_BASE || !vhca_sim_uar_valid(sdev, uar))
		goto bad;
	switch (reg) {
	case VHCA_UAR_SQ_DB:
		vhca_sim_sq_doorbell(sdev, uar, val);
		return;
	case VHCA_UAR_CQ_DB:
		vhca_sim_cq_doorbell(sdev, uar, val);
		return;
	}
bad:
	atomic64_inc(&sdev->res->uar_bad_doorbells);
}
