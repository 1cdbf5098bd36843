// SPDX-License-Identifier: GPL-2.0
/*
 * The "firmware": the command queue behind VHCA_REG_CMD_DBELL.
 *
 * A doorbell queues the rung entries in ring order and kicks a per-device
 * ordered workqueue, so commands run asynchronously, one at a time, in the
 * order they were rung. Each command: read the entry, check it (type,
 * lengths, owner, mailbox addresses; a failure is a delivery status),
 * read the input mailbox, wait out cmd_delay_ms, apply debugfs fault
 * injection, execute, write the output mailbox, hand the entry back by
 * clearing its owner bit, and post a CMD EQE if the entry asked for one.
 *
 * Disabling the queue (writing 0 to the address) aborts what has not
 * started executing with VHCA_CMD_DELIVERY_ABORTED and returns only when
 * the worker no longer touches the queue page or any mailbox.
 */

#include <linux/bitops.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/stddef.h>

#include "vhca_sim.h"
#include "res.h"

/**
 * struct vhca_sim_cmd_op - a command the firmware knows
 * @opcode: VHCA_CMD_OP_*
 * @name: for the counters
 * @in_len: the shortest input mailbox it takes
 * @out_len: the shortest output mailbox it takes
 * @exec: executes it
 * @exec_len: instead of @exec, for commands whose input has a variable
 *	part: also gets the input mailbox length
 */
struct vhca_sim_cmd_op {
	u16 opcode;
	const char *name;
	u16 in_len;
	u16 out_len;
	u8 (*exec)(struct vhca_sim_dev *sdev, const void *in, void *out,
		   u32 *synd);
	u8 (*exec_len)(struct vhca_sim_dev *sdev, const void *in, u32 in_len,
		       void *out, u32 *synd);
};

/**
 * vhca_sim_hca_state_check - may a command run in the device's state?
 * @state: the device state
 * @opcode: a known VHCA_CMD_OP_*
 * @synd: the syndrome, on failure
 *
 * Pure; the state machine of device.h. NOP runs in any state, the queries
 * need ENABLE_HCA done, ENABLE_HCA/INIT_HCA/DISABLE_HCA move one step,
 * everything else needs INIT_HCA done.
 *
 * Return: VHCA_CMD_STAT_OK or VHCA_CMD_STAT_BAD_SYS_STATE.
 */
u8 vhca_sim_hca_state_check(enum vhca_sim_hca_state state, u16 opcode,
			    u32 *synd)
{
	switch (opcode) {
	case VHCA_CMD_OP_NOP:
		return VHCA_CMD_STAT_OK;
	case VHCA_CMD_OP_QUERY_HCA_CAP:
	case VHCA_CMD_OP_QUERY_ADAPTER:
		if (state != VHCA_SIM_HCA_DISABLED)
			return VHCA_CMD_STAT_OK;
		*synd = VHCA_SYND_NOT_ENABLED;
		break;
	case VHCA_CMD_OP_ENABLE_HCA:
		if (state == VHCA_SIM_HCA_DISABLED)
			return VHCA_CMD_STAT_OK;
		*synd = VHCA_SYND_ALREADY;
		break;
	case VHCA_CMD_OP_DISABLE_HCA:
		if (state == VHCA_SIM_HCA_ENABLED)
			return VHCA_CMD_STAT_OK;
		/* from initialized: TEARDOWN_HCA first */
		*synd = state == VHCA_SIM_HCA_DISABLED ?
			VHCA_SYND_ALREADY : VHCA_SYND_RESOURCES_LEFT;
		break;
	case VHCA_CMD_OP_INIT_HCA:
		if (state == VHCA_SIM_HCA_ENABLED)
			return VHCA_CMD_STAT_OK;
		*synd = state == VHCA_SIM_HCA_DISABLED ?
			VHCA_SYND_NOT_ENABLED : VHCA_SYND_ALREADY;
		break;
	default:	/* TEARDOWN_HCA and the object commands */
		if (state == VHCA_SIM_HCA_INITIALIZED)
			return VHCA_CMD_STAT_OK;
		*synd = state == VHCA_SIM_HCA_DISABLED ?
			VHCA_SYND_NOT_ENABLED : VHCA_SYND_NOT_INITIALIZED;
		break;
	}
	return VHCA_CMD_STAT_BAD_SYS_STATE;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_sim_hca_state_check);

/**
 * vhca_sim_hca_next_state - the device state after a successful command
 * @state: the state the command ran in
 * @opcode: VHCA_CMD_OP_*
 *
 * Pure.
 *
 * Return: the new state.
 */
enum vhca_sim_hca_state vhca_sim_hca_next_state(enum vhca_sim_hca_state state,
						u16 opcode)
{
	switch (opcode) {
	case VHCA_CMD_OP_ENABLE_HCA:
	case VHCA_CMD_OP_TEARDOWN_HCA:
		return VHCA_SIM_HCA_ENABLED;
	case VHCA_CMD_OP_DISABLE_HCA:
		return VHCA_SIM_HCA_DISABLED;
	case VHCA_CMD_OP_INIT_HCA:
		return VHCA_SIM_HCA_INITIALIZED;
	default:
		return state;
	}
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_sim_hca_next_state);

/* valid op_mod values; 0 is the only one for most commands */
static bool vhca_sim_op_mod_valid(u16 opcode, u16 op_mod)
{
	switch (opcode) {
	case VHCA_CMD_OP_QUERY_HCA_CAP:
		/* 0: current, 1: maximum; the model's are the same */
		return op_mod <= 1;
	case VHCA_CMD_OP_TEARDOWN_HCA:
		return op_mod == VHCA_TEARDOWN_HCA_GRACEFUL ||
		       op_mod == VHCA_TEARDOWN_HCA_FORCE;
	case VHCA_CMD_OP_ALLOC_PD:
		return op_mod == VHCA_ALLOC_PD_KERNEL ||
		       op_mod == VHCA_ALLOC_PD_USER;
	default:
		return true;	/* ignored */
	}
}

/* NOP, and the commands whose only effect is their state transition */
static u8 vhca_sim_cmd_nop(struct vhca_sim_dev *sdev, const void *in,
			   void *out, u32 *synd)
{
	return VHCA_CMD_STAT_OK;
}

static u8 vhca_sim_cmd_query_hca_cap(struct vhca_sim_dev *sdev,
				     const void *in, void *out, u32 *synd)
{
	struct vhca_cmd_query_hca_cap_out *o = out;
	struct vhca_hca_cap *cap = &o->cap;
	u64 guid = VHCA_SIM_GUID_BASE | (u64)sdev->bdev.id << 8;
	unsigned int i;

	cap->num_ports = sdev->bdev.num_ports;
	cap->log_max_eq = VHCA_SIM_LOG_MAX_EQ;
	cap->log_min_eq_sz = VHCA_SIM_LOG_MIN_EQ_SZ;
	cap->log_max_eq_sz = VHCA_SIM_LOG_MAX_EQ_SZ;
	cap->num_vectors = sdev->bdev.num_vectors;
	cap->log_max_cq = VHCA_SIM_LOG_MAX_CQ;
	cap->log_max_qp = VHCA_SIM_LOG_MAX_QP;
	cap->log_max_mkey = VHCA_SIM_LOG_MAX_MKEY;
	cap->max_pkeys = cpu_to_be16(VHCA_SIM_MAX_PKEYS);
	for (i = 0; i < sdev->bdev.num_ports; i++)
		cap->port_type[i] = VHCA_PORT_TYPE_IB;
	cap->node_guid = cpu_to_be64(guid);
	cap->sys_image_guid = cpu_to_be64(guid);
	cap->flags = cpu_to_be32(VHCA_CAP_FLAG_RC | VHCA_CAP_FLAG_UC |
				 VHCA_CAP_FLAG_UD | VHCA_CAP_FLAG_SRQ |
				 VHCA_CAP_FLAG_RDMA_READ |
				 VHCA_CAP_FLAG_MCAST | VHCA_CAP_FLAG_UD_CSUM |
				 VHCA_CAP_FLAG_UD_LSO | VHCA_CAP_FLAG_RSS |
				 VHCA_CAP_FLAG_TX_MUX |
				 VHCA_CAP_FLAG_MTT_DMA);
	cap->log_max_pd = VHCA_SIM_LOG_MAX_PD;
	cap->log_max_srq = VHCA_SIM_LOG_MAX_SRQ;
	cap->log_max_uar = VHCA_MAX_LOG_UAR;
	cap->log_max_qp_sz = VHCA_SIM_LOG_MAX_QP_SZ;
	cap->log_max_cq_sz = VHCA_SIM_LOG_MAX_CQ_SZ;
	cap->log_max_srq_sz = VHCA_SIM_LOG_MAX_SRQ_SZ;
	cap->max_sq_sge = VHCA_SIM_MAX_SQ_SGE;
	cap->max_rq_sge = VHCA_SIM_MAX_RQ_SGE;
	cap->max_inline = cpu_to_be16(VHCA_SIM_MAX_INLINE);
	cap->log_max_mcg = VHCA_SIM_LOG_MAX_MCG;
	cap->max_qp_per_mcg = VHCA_SIM_MAX_QP_PER_MCG;
	cap->reserved_lkey = cpu_to_be32(VHCA_SIM_RSVD_LKEY);
	cap->log_max_msg = VHCA_SIM_LOG_MAX_MSG;
	cap->max_rd_atomic = VHCA_SIM_MAX_RD_ATOMIC;
	cap->local_ca_ack_delay = VHCA_SIM_LOCAL_ACK_DELAY;
	cap->log_max_mtt = VHCA_SIM_LOG_MAX_MTT;
	cap->max_lso_hdr = cpu_to_be16(VHCA_SIM_MAX_LSO_HDR);
	cap->log_max_rss_tbl = VHCA_SIM_LOG_MAX_RSS_TBL;
	return VHCA_CMD_STAT_OK;
}

static u8 vhca_sim_cmd_query_adapter(struct vhca_sim_dev *sdev,
				     const void *in, void *out, u32 *synd)
{
	struct vhca_cmd_query_adapter_out *o = out;
	struct vhca_adapter_info *info = &o->info;

	info->vendor_id = cpu_to_be16(VHCA_SIM_VENDOR_ID);
	info->board_rev = cpu_to_be16(VHCA_SIM_BOARD_REV);
	strscpy_pad(info->psid, VHCA_SIM_PSID, sizeof(info->psid));
	snprintf(info->serial, sizeof(info->serial), "VHCA%08X",
		 sdev->bdev.id);
	return VHCA_CMD_STAT_OK;
}

static u8 vhca_sim_cmd_teardown_hca(struct vhca_sim_dev *sdev,
				    const void *in, void *out, u32 *synd)
{
	if (vhca_cmd_in_op_mod(in) == VHCA_TEARDOWN_HCA_FORCE) {
		/* the data-path objects first: their events go to the EQs */
		vhca_sim_res_destroy_all(sdev);
		vhca_sim_eq_destroy_all(sdev);
	} else if (vhca_sim_eq_count(sdev) || vhca_sim_res_count(sdev)) {
		*synd = VHCA_SYND_RESOURCES_LEFT;
		return VHCA_CMD_STAT_RESOURCE_BUSY;
	}
	return VHCA_CMD_STAT_OK;
}

static u8 vhca_sim_cmd_create_eq(struct vhca_sim_dev *sdev, const void *in,
				 void *out, u32 *synd)
{
	const struct vhca_cmd_create_eq_in *i = in;
	struct vhca_cmd_create_eq_out *o = out;
	u32 eqn;
	u8 st;

	st = vhca_sim_eq_create(sdev, &i->ctx, &eqn, synd);
	if (!st)
		o->eqn = cpu_to_be32(eqn);
	return st;
}

static u8 vhca_sim_cmd_destroy_eq(struct vhca_sim_dev *sdev, const void *in,
				  void *out, u32 *synd)
{
	const struct vhca_cmd_eqn_in *i = in;

	return vhca_sim_eq_destroy(sdev, be32_to_cpu(i->eqn), synd);
}

static u8 vhca_sim_cmd_query_eq(struct vhca_sim_dev *sdev, const void *in,
				void *out, u32 *synd)
{
	const struct vhca_cmd_eqn_in *i = in;
	struct vhca_cmd_query_eq_out *o = out;

	return vhca_sim_eq_query(sdev, be32_to_cpu(i->eqn), &o->ctx, synd);
}

#define VHCA_SIM_OP(_op, _in, _out, _exec) {				\
	.opcode = VHCA_CMD_OP_##_op,					\
	.name = #_op,							\
	.in_len = sizeof(struct _in),					\
	.out_len = sizeof(struct _out),					\
	.exec = _exec,							\
}

#define VHCA_SIM_OP_LEN(_op, _in, _out, _exec) {			\
	.opcode = VHCA_CMD_OP_##_op,					\
	.name = #_op,							\
	.in_len = sizeof(struct _in),					\
	.out_len = sizeof(struct _out),					\
	.exec_len = _exec,						\
}

static const struct vhca_sim_cmd_op vhca_sim_cmd_ops[] = {
	VHCA_SIM_OP(NOP, vhca_cmd_simple_in, vhca_cmd_simple_out,
		    vhca_sim_cmd_nop),
	VHCA_SIM_OP(QUERY_HCA_CAP, vhca_cmd_simple_in,
		    vhca_cmd_query_hca_cap_out, vhca_sim_cmd_query_hca_cap),
	VHCA_SIM_OP(QUERY_ADAPTER, vhca_cmd_simple_in,
		    vhca_cmd_query_adapter_out, vhca_sim_cmd_query_adapter),
	VHCA_SIM_OP(ENABLE_HCA, vhca_cmd_simple_in, vhca_cmd_simple_out,
		    vhca_sim_cmd_nop),
	VHCA_SIM_OP(DISABLE_HCA, vhca_cmd_simple_in, vhca_cmd_simple_out,
		    vhca_sim_cmd_nop),
	VHCA_SIM_OP(INIT_HCA, vhca_cmd_simple_in, vhca_cmd_simple_out,
		    vhca_sim_cmd_nop),
	VHCA_SIM_OP(TEARDOWN_HCA, vhca_cmd_simple_in, vhca_cmd_simple_out,
		    vhca_sim_cmd_teardown_hca),
	VHCA_SIM_OP(CREATE_EQ, vhca_cmd_create_eq_in, vhca_cmd_create_eq_out,
		    vhca_sim_cmd_create_eq),
	VHCA_SIM_OP(DESTROY_EQ, vhca_cmd_eqn_in, vhca_cmd_simple_out,
		    vhca_sim_cmd_destroy_eq),
	VHCA_SIM_OP(QUERY_EQ, vhca_cmd_eqn_in, vhca_cmd_query_eq_out,
		    vhca_sim_cmd_query_eq),
	VHCA_SIM_OP(QUERY_PORT, vhca_cmd_port_in, vhca_cmd_query_port_out,
		    vhca_sim_port_cmd_query),
	VHCA_SIM_OP(QUERY_PKEYS, vhca_cmd_port_in, vhca_cmd_query_pkeys_out,
		    vhca_sim_port_cmd_query_pkeys),
	VHCA_SIM_OP(QUERY_PORT_COUNTERS, vhca_cmd_port_in,
		    vhca_cmd_query_port_counters_out,
		    vhca_sim_port_cmd_query_counters),
	/* the data path (res.h) */
	VHCA_SIM_OP(ALLOC_PD, vhca_cmd_simple_in, vhca_cmd_obj_out,
		    vhca_sim_cmd_alloc_pd),
	VHCA_SIM_OP(DEALLOC_PD, vhca_cmd_obj_in, vhca_cmd_simple_out,
		    vhca_sim_cmd_dealloc_pd),
	VHCA_SIM_OP(ALLOC_UAR, vhca_cmd_simple_in, vhca_cmd_obj_out,
		    vhca_sim_cmd_alloc_uar),
	VHCA_SIM_OP(DEALLOC_UAR, vhca_cmd_obj_in, vhca_cmd_simple_out,
		    vhca_sim_cmd_dealloc_uar),
	VHCA_SIM_OP_LEN(CREATE_MKEY, vhca_cmd_create_mkey_in,
			vhca_cmd_obj_out, vhca_sim_cmd_create_mkey),
	VHCA_SIM_OP(QUERY_MKEY, vhca_cmd_obj_in, vhca_cmd_query_mkey_out,
		    vhca_sim_cmd_query_mkey),
	VHCA_SIM_OP(DESTROY_MKEY, vhca_cmd_obj_in, vhca_cmd_simple_out,
		    vhca_sim_cmd_destroy_mkey),
	VHCA_SIM_OP(CREATE_CQ, vhca_cmd_create_cq_in, vhca_cmd_obj_out,
		    vhca_sim_cmd_create_cq),
	VHCA_SIM_OP(DESTROY_CQ, vhca_cmd_obj_in, vhca_cmd_simple_out,
		    vhca_sim_cmd_destroy_cq),
	VHCA_SIM_OP(QUERY_CQ, vhca_cmd_obj_in, vhca_cmd_query_cq_out,
		    vhca_sim_cmd_query_cq),
	VHCA_SIM_OP(CREATE_SRQ, vhca_cmd_create_srq_in, vhca_cmd_obj_out,
		    vhca_sim_cmd_create_srq),
	VHCA_SIM_OP(DESTROY_SRQ, vhca_cmd_obj_in, vhca_cmd_simple_out,
		    vhca_sim_cmd_destroy_srq),
	VHCA_SIM_OP(QUERY_SRQ, vhca_cmd_obj_in, vhca_cmd_query_srq_out,
		    vhca_sim_cmd_query_srq),
	VHCA_SIM_OP(ARM_SRQ, vhca_cmd_arm_srq_in, vhca_cmd_simple_out,
		    vhca_sim_cmd_arm_srq),
	VHCA_SIM_OP(CREATE_QP, vhca_cmd_create_qp_in, vhca_cmd_obj_out,
		    vhca_sim_cmd_create_qp),
	VHCA_SIM_OP(DESTROY_QP, vhca_cmd_obj_in, vhca_cmd_simple_out,
		    vhca_sim_cmd_destroy_qp),
	VHCA_SIM_OP(MODIFY_QP, vhca_cmd_modify_qp_in, vhca_cmd_simple_out,
		    vhca_sim_cmd_modify_qp),
	VHCA_SIM_OP(QUERY_QP, vhca_cmd_obj_in, vhca_cmd_query_qp_out,
		    vhca_sim_cmd_query_qp),
	VHCA_SIM_OP(SET_RSS, vhca_cmd_set_rss_in, vhca_cmd_simple_out,
		    vhca_sim_cmd_set_rss),
	VHCA_SIM_OP(ATTACH_MCG, vhca_cmd_mcg_in, vhca_cmd_simple_out,
		    vhca_sim_cmd_attach_mcg),
	VHCA_SIM_OP(DETACH_MCG, vhca_cmd_mcg_in, vhca_cmd_simple_out,
		    vhca_sim_cmd_detach_mcg),
	VHCA_SIM_OP(MAD_IFC, vhca_cmd_mad_ifc_in, vhca_cmd_mad_ifc_out,
		    vhca_sim_cmd_mad_ifc),
};

static_assert(ARRAY_SIZE(vhca_sim_cmd_ops) == VHCA_SIM_CMD_NUM_OPS - 1);

/* index into vhca_sim_cmd_ops[], or VHCA_SIM_CMD_NUM_OPS - 1 if unknown */
static unsigned int vhca_sim_cmd_slot(u16 opcode)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vhca_sim_cmd_ops); i++)
		if (vhca_sim_cmd_ops[i].opcode == opcode)
			break;
	return i;
}

/**
 * vhca_sim_cmd_entry_check - is a rung command entry deliverable?
 * @ent: the entry, as read from the queue
 *
 * Pure: type PCIE, owned by the device, both mailbox lengths within
 * header size..VHCA_CMD_MBOX_MAX.
 *
 * Return: VHCA_CMD_DELIVERY_OK or VHCA_CMD_DELIVERY_BAD_ENTRY.
 */
u8 vhca_sim_cmd_entry_check(const struct vhca_cmd_entry *ent)
{
	u32 in_len = be32_to_cpu(ent->in_len);
	u32 out_len = be32_to_cpu(ent->out_len);

	if (ent->type != VHCA_CMD_TYPE_PCIE ||
	    !(ent->status_own & VHCA_CMD_OWNER_HW) ||
	    in_len < sizeof(struct vhca_cmd_in_hdr) ||
	    in_len > VHCA_CMD_MBOX_MAX ||
	    out_len < sizeof(struct vhca_cmd_out_hdr) ||
	    out_len > VHCA_CMD_MBOX_MAX)
		return VHCA_CMD_DELIVERY_BAD_ENTRY;
	return VHCA_CMD_DELIVERY_OK;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_sim_cmd_entry_check);

/**
 * vhca_sim_cmd_check - the firmware's checks before a command executes
 * @hdr: the input mailbox header
 * @in_len: input mailbox length
 * @out_len: output mailbox length
 * @state: the device state
 * @synd: the syndrome, on failure
 *
 * Pure, in this order: a known opcode, input and output mailboxes long
 * enough for it, a device state that allows it, a valid op_mod. Checks
 * that need the device's objects are the command's own.
 *
 * Return: VHCA_CMD_STAT_OK, or the status of the first check that failed.
 */
u8 vhca_sim_cmd_check(const struct vhca_cmd_in_hdr *hdr, u32 in_len,
		      u32 out_len, enum vhca_sim_hca_state state, u32 *synd)
{
	u16 opcode = vhca_cmd_in_opcode(hdr);
	unsigned int slot = vhca_sim_cmd_slot(opcode);
	const struct vhca_sim_cmd_op *op;
	u8 st;

	if (slot >= ARRAY_SIZE(vhca_sim_cmd_ops)) {
		*synd = VHCA_SYND_BAD_OPCODE;
		return VHCA_CMD_STAT_BAD_OP;
	}
	op = &vhca_sim_cmd_ops[slot];
	if (in_len < op->in_len) {
		*synd = VHCA_SYND_BAD_INP_LEN;
		return VHCA_CMD_STAT_BAD_INP_LEN;
	}
	if (out_len < op->out_len) {
		*synd = VHCA_SYND_BAD_OUTP_LEN;
		return VHCA_CMD_STAT_BAD_OUTP_LEN;
	}
	st = vhca_sim_hca_state_check(state, opcode, synd);
	if (st != VHCA_CMD_STAT_OK)
		return st;
	if (!vhca_sim_op_mod_valid(opcode, vhca_cmd_in_op_mod(hdr))) {
		*synd = VHCA_SYND_BAD_OP_MOD;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	return VHCA_CMD_STAT_OK;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_sim_cmd_check);

/* Check, execute, move the state machine; cmd->mutex held. */
static u8 vhca_sim_cmd_dispatch(struct vhca_sim_dev *sdev, u32 in_len,
				u32 out_len, u32 *synd)
{
	struct vhca_sim_cmd *cmd = &sdev->cmd;
	u16 opcode = vhca_cmd_in_opcode(cmd->in_buf);
	const struct vhca_sim_cmd_op *op;
	u8 st;

	st = vhca_sim_cmd_check(cmd->in_buf, in_len, out_len, sdev->hca_state,
				synd);
	if (st != VHCA_CMD_STAT_OK)
		return st;
	/* the opcode is known: checked */
	op = &vhca_sim_cmd_ops[vhca_sim_cmd_slot(opcode)];
	if (op->exec_len)
		st = op->exec_len(sdev, cmd->in_buf, in_len, cmd->out_buf,
				  synd);
	else
		st = op->exec(sdev, cmd->in_buf, cmd->out_buf, synd);
	if (st == VHCA_CMD_STAT_OK)
		sdev->hca_state = vhca_sim_hca_next_state(sdev->hca_state,
							  opcode);
	return st;
}

static bool vhca_sim_cmd_inject(struct vhca_sim_cmd *cmd, u16 opcode)
{
	u32 count = READ_ONCE(cmd->fail_count);
	u32 only = READ_ONCE(cmd->fail_opcode);
	u32 skip;

	if (!count || (only != U32_MAX && only != opcode))
		return false;
	/* let fail_cmd_skip matching commands through first */
	skip = READ_ONCE(cmd->fail_skip);
	if (skip) {
		WRITE_ONCE(cmd->fail_skip, skip - 1);
		return false;
	}
	WRITE_ONCE(cmd->fail_count, count - 1);
	return true;
}

/* Sleep cmd_delay_ms with cmd->mutex dropped, so a CMDQ disable can abort
 * the command. Returns false if it was aborted: then its entry belongs to
 * whoever aborted it, and nothing may be touched.
 */
static bool vhca_sim_cmd_delay(struct vhca_sim_cmd *cmd, u32 gen)
{
	u32 ms = READ_ONCE(cmd->delay_ms);
	bool alive;

	if (!ms)
		return true;
	mutex_unlock(&cmd->mutex);
	wait_event_idle_timeout(cmd->wait, READ_ONCE(cmd->gen) != gen,
				msecs_to_jiffies(ms));
	mutex_lock(&cmd->mutex);
	spin_lock_irq(&cmd->lock);
	alive = cmd->gen == gen;
	spin_unlock_irq(&cmd->lock);
	return alive;
}

/* hand entry @idx back: delivery status, a barrier, then the owner bit */
static void vhca_sim_cmd_complete(struct vhca_sim_dev *sdev,
				  const struct vhca_sim_dma_win *qwin,
				  unsigned int idx, u8 delivery)
{
	size_t off = idx * VHCA_CMDQ_STRIDE;
	u8 own = 0;

	vhca_sim_dma_write(sdev, qwin,
			   off + offsetof(struct vhca_cmd_entry, delivery_status),
			   &delivery, 1);
	/* the driver reads the status once it sees the owner flip */
	smp_wmb();
	vhca_sim_dma_write(sdev, qwin,
			   off + offsetof(struct vhca_cmd_entry, status_own),
			   &own, 1);
}

/* Execute the command in the buffers; returns false if it was aborted
 * while it waited.
 */
static bool vhca_sim_cmd_exec(struct vhca_sim_dev *sdev, u32 gen, u32 in_len,
			      u32 out_len)
{
	struct vhca_sim_cmd *cmd = &sdev->cmd;
	const struct vhca_cmd_in_hdr *ih = cmd->in_buf;
	struct vhca_cmd_out_hdr *oh = cmd->out_buf;
	u16 opcode = vhca_cmd_in_opcode(ih);
	unsigned int slot = vhca_sim_cmd_slot(opcode);
	u32 synd = VHCA_SYND_NONE;
	u8 st;

	if (!vhca_sim_cmd_delay(cmd, gen))
		return false;

	cmd->stats[slot].executed++;
	memset(cmd->out_buf, 0, out_len);

	if (vhca_sim_cmd_inject(cmd, opcode)) {
		st = READ_ONCE(cmd->fail_status) ?: VHCA_CMD_STAT_INT_ERR;
		synd = VHCA_SYND_INJECTED;
		cmd->stats[slot].injected++;
	} else {
		st = vhca_sim_cmd_dispatch(sdev, in_len, out_len, &synd);
	}
	if (st != VHCA_CMD_STAT_OK) {
		cmd->stats[slot].failed++;
		/* a failed command returns nothing but its header */
		memset(cmd->out_buf, 0, out_len);
	} else {
		synd = VHCA_SYND_NONE;
	}
	vhca_cmd_out_hdr_set(oh, st, synd);
	return true;
}

/* run entry @idx of the queue at @qwin; cmd->mutex held */
static void vhca_sim_cmd_run(struct vhca_sim_dev *sdev,
			     const struct vhca_sim_dma_win *qwin,
			     unsigned int idx, u32 gen)
{
	struct vhca_sim_cmd *cmd = &sdev->cmd;
	struct vhca_sim_dma_win in_win, out_win;
	struct vhca_cmd_entry ent;
	u8 delivery = VHCA_CMD_DELIVERY_OK;
	u32 in_len, out_len;
	__be32 vector;

	if (vhca_sim_dma_read(sdev, qwin, idx * VHCA_CMDQ_STRIDE, &ent,
			      sizeof(ent))) {
		/* the queue page itself is gone: nothing to report into */
		cmd->delivery_errors++;
		spin_lock_irq(&cmd->lock);
		cmd->inflight &= ~BIT(idx);
		spin_unlock_irq(&cmd->lock);
		return;
	}
	in_len = be32_to_cpu(ent.in_len);
	out_len = be32_to_cpu(ent.out_len);
	in_win.addr = be64_to_cpu(ent.in_addr);
	in_win.len = in_len;
	out_win.addr = be64_to_cpu(ent.out_addr);
	out_win.len = out_len;

	delivery = vhca_sim_cmd_entry_check(&ent);
	if (delivery != VHCA_CMD_DELIVERY_OK)
		goto complete;
	if (vhca_sim_dma_check(sdev, &out_win) ||
	    vhca_sim_dma_read(sdev, &in_win, 0, cmd->in_buf, in_len)) {
		delivery = VHCA_CMD_DELIVERY_BAD_DMA;
		goto complete;
	}

	if (!vhca_sim_cmd_exec(sdev, gen, in_len, out_len))
		return;	/* aborted */

	if (vhca_sim_dma_write(sdev, &out_win, 0, cmd->out_buf, out_len))
		delivery = VHCA_CMD_DELIVERY_BAD_DMA;

complete:
	if (delivery != VHCA_CMD_DELIVERY_OK)
		cmd->delivery_errors++;
	/* the entry may be rung again as soon as its owner bit flips */
	spin_lock_irq(&cmd->lock);
	cmd->inflight &= ~BIT(idx);
	spin_unlock_irq(&cmd->lock);
	vhca_sim_cmd_complete(sdev, qwin, idx, delivery);

	if (ent.flags & VHCA_CMD_FLAG_EVENT) {
		vector = cpu_to_be32(BIT(idx));
		vhca_sim_eq_post_event(sdev, VHCA_EVENT_CMD, 0, &vector,
				       sizeof(vector));
	}
}

static void vhca_sim_cmd_work(struct work_struct *work)
{
	struct vhca_sim_cmd *cmd = container_of(work, struct vhca_sim_cmd,
						work);
	struct vhca_sim_dev *sdev = container_of(cmd, struct vhca_sim_dev,
						 cmd);
	struct vhca_sim_dma_win qwin;
	unsigned int idx;
	u32 gen;

	for (;;) {
		mutex_lock(&cmd->mutex);
		spin_lock_irq(&cmd->lock);
		if (!cmd->count || !cmd->addr) {
			spin_unlock_irq(&cmd->lock);
			mutex_unlock(&cmd->mutex);
			return;
		}
		idx = cmd->fifo[cmd->head];
		cmd->head = (cmd->head + 1) % VHCA_SIM_CMDQ_ENTRIES;
		cmd->count--;
		qwin.addr = cmd->addr;
		qwin.len = VHCA_SIM_CMDQ_BYTES;
		gen = cmd->gen;
		spin_unlock_irq(&cmd->lock);

		vhca_sim_cmd_run(sdev, &qwin, idx, gen);
		mutex_unlock(&cmd->mutex);
		cond_resched();
	}
}

/**
 * vhca_sim_cmd_doorbell - VHCA_REG_CMD_DBELL
 * @sdev: the device
 * @val: bit i rings entry i
 *
 * Any context. Bits past the queue, bits rung while the queue is
 * disabled and entries already in flight are ignored and counted.
 */
void vhca_sim_cmd_doorbell(struct vhca_sim_dev *sdev, u32 val)
{
	struct vhca_sim_cmd *cmd = &sdev->cmd;
	unsigned long flags, bits;
	bool kick = false;
	unsigned int i;

	spin_lock_irqsave(&cmd->lock, flags);
	cmd->doorbells++;
	if (!cmd->addr) {
		cmd->bad_doorbells += hweight32(val);
		goto unlock;
	}
	cmd->bad_doorbells += hweight32(val & ~VHCA_SIM_CMDQ_MASK);
	bits = val & VHCA_SIM_CMDQ_MASK;
	for_each_set_bit(i, &bits, VHCA_SIM_CMDQ_ENTRIES) {
		if (cmd->inflight & BIT(i)) {
			cmd->bad_doorbells++;
			continue;
		}
		cmd->inflight |= BIT(i);
		cmd->fifo[(cmd->head + cmd->count) % VHCA_SIM_CMDQ_ENTRIES] = i;
		cmd->count++;
		kick = true;
	}
	if (kick)
		queue_work(cmd->wq, &cmd->work);
unlock:
	spin_unlock_irqrestore(&cmd->lock, flags);
}

u64 vhca_sim_cmdq_addr(struct vhca_sim_dev *sdev)
{
	unsigned long flags;
	u64 addr;

	spin_lock_irqsave(&sdev->cmd.lock, flags);
	addr = sdev->cmd.addr;
	spin_unlock_irqrestore(&sdev->cmd.lock, flags);
	return addr;
}

/* forget the queue; returns its old address, 0 if it was disabled */
static u64 vhca_sim_cmdq_stop(struct vhca_sim_cmd *cmd)
{
	unsigned long flags;
	u64 old;

	spin_lock_irqsave(&cmd->lock, flags);
	old = cmd->addr;
	cmd->addr = 0;
	cmd->gen++;
	spin_unlock_irqrestore(&cmd->lock, flags);
	wake_up_all(&cmd->wait);
	return old;
}

/**
 * vhca_sim_cmdq_set_addr - a 64-bit write to VHCA_REG_CMDQ_ADDR_H
 * @sdev: the device
 * @addr: page-aligned DMA address of the queue, or 0 to disable
 *
 * Enabling needs a page-aligned address and a disabled queue; anything
 * else is ignored and counted as a bad register access (the address
 * registers read back what the device took). Disabling sleeps until the
 * worker has let go of the queue, then completes every entry not yet
 * executed with VHCA_CMD_DELIVERY_ABORTED.
 */
void vhca_sim_cmdq_set_addr(struct vhca_sim_dev *sdev, u64 addr)
{
	struct vhca_sim_cmd *cmd = &sdev->cmd;
	struct vhca_sim_dma_win qwin;
	unsigned long flags, pending;
	unsigned int i;

	if (addr) {
		spin_lock_irqsave(&cmd->lock, flags);
		if (!PAGE_ALIGNED(addr) || cmd->addr)
			atomic64_inc(&sdev->bad_reg_access);
		else
			cmd->addr = addr;
		spin_unlock_irqrestore(&cmd->lock, flags);
		return;
	}

	qwin.addr = vhca_sim_cmdq_stop(cmd);
	qwin.len = VHCA_SIM_CMDQ_BYTES;
	if (!qwin.addr)
		return;

	might_sleep();
	mutex_lock(&cmd->mutex);
	spin_lock_irq(&cmd->lock);
	pending = cmd->inflight;
	cmd->inflight = 0;
	cmd->head = 0;
	cmd->count = 0;
	spin_unlock_irq(&cmd->lock);
	for_each_set_bit(i, &pending, VHCA_SIM_CMDQ_ENTRIES) {
		vhca_sim_cmd_complete(sdev, &qwin, i,
				      VHCA_CMD_DELIVERY_ABORTED);
		cmd->aborted++;
	}
	mutex_unlock(&cmd->mutex);
}

static const char *vhca_sim_hca_state_name(enum vhca_sim_hca_state state)
{
	switch (state) {
	case VHCA_SIM_HCA_DISABLED:
		return "disabled";
	case VHCA_SIM_HCA_ENABLED:
		return "enabled";
	case VHCA_SIM_HCA_INITIALIZED:
		return "initialized";
	}
	return "unknown";
}

void vhca_sim_cmd_show(struct vhca_sim_dev *sdev, struct seq_file *m)
{
	struct vhca_sim_cmd *cmd = &sdev->cmd;
	struct vhca_sim_cmd_stats *s, total = {};
	u64 addr, doorbells, bad_doorbells;
	unsigned int i;

	spin_lock_irq(&cmd->lock);
	addr = cmd->addr;
	doorbells = cmd->doorbells;
	bad_doorbells = cmd->bad_doorbells;
	spin_unlock_irq(&cmd->lock);

	mutex_lock(&cmd->mutex);
	seq_printf(m, "hca_state: %s\n",
		   vhca_sim_hca_state_name(sdev->hca_state));
	seq_printf(m, "cmdq: %s\n", addr ? "enabled" : "disabled");
	seq_printf(m, "cmdq_addr: 0x%llx\n", addr);
	seq_printf(m, "cmd_doorbells: %llu\n", doorbells);
	seq_printf(m, "cmd_bad_doorbells: %llu\n", bad_doorbells);
	seq_printf(m, "cmd_delivery_errors: %llu\n", cmd->delivery_errors);
	seq_printf(m, "cmd_aborted: %llu\n", cmd->aborted);
	for (i = 0; i < VHCA_SIM_CMD_NUM_OPS; i++) {
		s = &cmd->stats[i];
		total.executed += s->executed;
		total.failed += s->failed;
		total.injected += s->injected;
		if (i < ARRAY_SIZE(vhca_sim_cmd_ops))
			seq_printf(m, "cmd %s (0x%x):",
				   vhca_sim_cmd_ops[i].name,
				   vhca_sim_cmd_ops[i].opcode);
		else
			seq_puts(m, "cmd UNKNOWN:");
		seq_printf(m, " executed %llu failed %llu injected %llu\n",
			   s->executed, s->failed, s->injected);
	}
	seq_printf(m, "cmd total: executed %llu failed %llu injected %llu\n",
		   total.executed, total.failed, total.injected);
	mutex_unlock(&cmd->mutex);
}

int vhca_sim_cmd_init(struct vhca_sim_dev *sdev)
{
	struct vhca_sim_cmd *cmd = &sdev->cmd;

	spin_lock_init(&cmd->lock);
	mutex_init(&cmd->mutex);
	init_waitqueue_head(&cmd->wait);
	INIT_WORK(&cmd->work, vhca_sim_cmd_work);
	cmd->fail_opcode = U32_MAX;
	cmd->fail_status = VHCA_CMD_STAT_INT_ERR;
	sdev->hca_state = VHCA_SIM_HCA_DISABLED;

	cmd->in_buf = kmalloc(VHCA_CMD_MBOX_MAX, GFP_KERNEL);
	if (!cmd->in_buf)
		return -ENOMEM;
	cmd->out_buf = kmalloc(VHCA_CMD_MBOX_MAX, GFP_KERNEL);
	if (!cmd->out_buf)
		goto err_free_in;
	cmd->wq = alloc_ordered_workqueue("vhca_sim%u_cmd", 0, sdev->bdev.id);
	if (!cmd->wq)
		goto err_free_out;
	if (vhca_sim_res_init(sdev))
		goto err_destroy_wq;
	return 0;

err_destroy_wq:
	destroy_workqueue(cmd->wq);
err_free_out:
	kfree(cmd->out_buf);
err_free_in:
	kfree(cmd->in_buf);
	return -ENOMEM;
}

/* The device goes away: stop without touching driver memory (the driver
 * is unbound already, its queue page may be freed), drop queued commands,
 * every data-path object and every EQ.
 */
void vhca_sim_cmd_uninit(struct vhca_sim_dev *sdev)
{
	struct vhca_sim_cmd *cmd = &sdev->cmd;

	vhca_sim_cmdq_stop(cmd);
	destroy_workqueue(cmd->wq);
	vhca_sim_res_uninit(sdev);
	mutex_lock(&cmd->mutex);
	vhca_sim_eq_destroy_all(sdev);
	mutex_unlock(&cmd->mutex);
	kfree(cmd->out_buf);
	kfree(cmd->in_buf);
	mutex_destroy(&cmd->mutex);
}
