// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the device model firmware's command checks, without a device:
 * command entry delivery checks, opcode and mailbox length checks, the
 * HCA state machine (which command runs in which state, with which
 * status and syndrome, and where it leads) and op_mod checks.
 */

#include <kunit/test.h>

#include "vhca_sim.h"

#define HCA_DIS	VHCA_SIM_HCA_DISABLED
#define HCA_ENA	VHCA_SIM_HCA_ENABLED
#define HCA_INI	VHCA_SIM_HCA_INITIALIZED

/* every opcode the firmware knows, with its minimum mailbox lengths */
static const struct {
	u16 opcode;
	u32 in_len;
	u32 out_len;
} vhca_test_ops[] = {
	{ VHCA_CMD_OP_NOP, 16, 16 },
	{ VHCA_CMD_OP_QUERY_HCA_CAP, 16,
	  sizeof(struct vhca_cmd_query_hca_cap_out) },
	{ VHCA_CMD_OP_QUERY_ADAPTER, 16,
	  sizeof(struct vhca_cmd_query_adapter_out) },
	{ VHCA_CMD_OP_ENABLE_HCA, 16, 16 },
	{ VHCA_CMD_OP_DISABLE_HCA, 16, 16 },
	{ VHCA_CMD_OP_INIT_HCA, 16, 16 },
	{ VHCA_CMD_OP_TEARDOWN_HCA, 16, 16 },
	{ VHCA_CMD_OP_QUERY_PORT, sizeof(struct vhca_cmd_port_in),
	  sizeof(struct vhca_cmd_query_port_out) },
	{ VHCA_CMD_OP_QUERY_PKEYS, sizeof(struct vhca_cmd_port_in),
	  sizeof(struct vhca_cmd_query_pkeys_out) },
	{ VHCA_CMD_OP_QUERY_PORT_COUNTERS, sizeof(struct vhca_cmd_port_in),
	  sizeof(struct vhca_cmd_query_port_counters_out) },
	{ VHCA_CMD_OP_CREATE_EQ, sizeof(struct vhca_cmd_create_eq_in),
	  sizeof(struct vhca_cmd_create_eq_out) },
	{ VHCA_CMD_OP_DESTROY_EQ, sizeof(struct vhca_cmd_eqn_in), 16 },
	{ VHCA_CMD_OP_QUERY_EQ, sizeof(struct vhca_cmd_eqn_in),
	  sizeof(struct vhca_cmd_query_eq_out) },
	/* the data path */
	{ VHCA_CMD_OP_ALLOC_PD, 16, sizeof(struct vhca_cmd_obj_out) },
	{ VHCA_CMD_OP_DEALLOC_PD, sizeof(struct vhca_cmd_obj_in), 16 },
	{ VHCA_CMD_OP_ALLOC_UAR, 16, sizeof(struct vhca_cmd_obj_out) },
	{ VHCA_CMD_OP_DEALLOC_UAR, sizeof(struct vhca_cmd_obj_in), 16 },
	{ VHCA_CMD_OP_CREATE_MKEY, sizeof(struct vhca_cmd_create_mkey_in),
	  sizeof(struct vhca_cmd_obj_out) },
	{ VHCA_CMD_OP_QUERY_MKEY, sizeof(struct vhca_cmd_obj_in),
	  sizeof(struct vhca_cmd_query_mkey_out) },
	{ VHCA_CMD_OP_DESTROY_MKEY, sizeof(struct vhca_cmd_obj_in), 16 },
	{ VHCA_CMD_OP_CREATE_CQ, sizeof(struct vhca_cmd_create_cq_in),
	  sizeof(struct vhca_cmd_obj_out) },
	{ VHCA_CMD_OP_DESTROY_CQ, sizeof(struct vhca_cmd_obj_in), 16 },
	{ VHCA_CMD_OP_QUERY_CQ, sizeof(struct vhca_cmd_obj_in),
	  sizeof(struct vhca_cmd_query_cq_out) },
	{ VHCA_CMD_OP_CREATE_SRQ, sizeof(struct vhca_cmd_create_srq_in),
	  sizeof(struct vhca_cmd_obj_out) },
	{ VHCA_CMD_OP_DESTROY_SRQ, sizeof(struct vhca_cmd_obj_in), 16 },
	{ VHCA_CMD_OP_QUERY_SRQ, sizeof(struct vhca_cmd_obj_in),
	  sizeof(struct vhca_cmd_query_srq_out) },
	{ VHCA_CMD_OP_ARM_SRQ, sizeof(struct vhca_cmd_arm_srq_in), 16 },
	{ VHCA_CMD_OP_CREATE_QP, sizeof(struct vhca_cmd_create_qp_in),
	  sizeof(struct vhca_cmd_obj_out) },
	{ VHCA_CMD_OP_DESTROY_QP, sizeof(struct vhca_cmd_obj_in), 16 },
	{ VHCA_CMD_OP_MODIFY_QP, sizeof(struct vhca_cmd_modify_qp_in), 16 },
	{ VHCA_CMD_OP_QUERY_QP, sizeof(struct vhca_cmd_obj_in),
	  sizeof(struct vhca_cmd_query_qp_out) },
	{ VHCA_CMD_OP_SET_RSS, sizeof(struct vhca_cmd_set_rss_in), 16 },
	{ VHCA_CMD_OP_ATTACH_MCG, sizeof(struct vhca_cmd_mcg_in), 16 },
	{ VHCA_CMD_OP_DETACH_MCG, sizeof(struct vhca_cmd_mcg_in), 16 },
	{ VHCA_CMD_OP_MAD_IFC, sizeof(struct vhca_cmd_mad_ifc_in),
	  sizeof(struct vhca_cmd_mad_ifc_out) },
};

/* the state each opcode is allowed in (one suffices for length checks) */
static enum vhca_sim_hca_state vhca_test_ok_state(u16 opcode)
{
	switch (opcode) {
	case VHCA_CMD_OP_NOP:
	case VHCA_CMD_OP_QUERY_HCA_CAP:
	case VHCA_CMD_OP_QUERY_ADAPTER:
	case VHCA_CMD_OP_DISABLE_HCA:
	case VHCA_CMD_OP_INIT_HCA:
		return HCA_ENA;
	case VHCA_CMD_OP_ENABLE_HCA:
		return HCA_DIS;
	default:
		return HCA_INI;
	}
}

static u8 vhca_test_check(u16 opcode, u16 op_mod, u32 in_len, u32 out_len,
			  enum vhca_sim_hca_state state, u32 *synd)
{
	struct vhca_cmd_in_hdr hdr = {};

	vhca_cmd_in_hdr_set(&hdr, opcode, op_mod);
	*synd = VHCA_SYND_NONE;
	return vhca_sim_cmd_check(&hdr, in_len, out_len, state, synd);
}

static void vhca_sim_cmd_entry_ok(struct kunit *test)
{
	struct vhca_cmd_entry ent;

	/* an entry as the driver posts it */
	vhca_cmd_entry_init(&ent, 1, VHCA_CMD_FLAG_EVENT, 16, 16,
			    0x1000, 0x2000);
	ent.status_own = VHCA_CMD_OWNER_HW;
	KUNIT_EXPECT_EQ(test, vhca_sim_cmd_entry_check(&ent),
			VHCA_CMD_DELIVERY_OK);

	vhca_cmd_entry_init(&ent, 0, 0, VHCA_CMD_MBOX_MAX, VHCA_CMD_MBOX_MAX,
			    0x1000, 0x2000);
	ent.status_own = VHCA_CMD_OWNER_HW;
	KUNIT_EXPECT_EQ(test, vhca_sim_cmd_entry_check(&ent),
			VHCA_CMD_DELIVERY_OK);
}

static void vhca_sim_cmd_entry_bad(struct kunit *test)
{
	static const struct {
		u32 in_len;
		u32 out_len;
	} lens[] = {
		{ 15, 16 }, { 16, 15 }, { 0, 16 }, { 16, 0 },
		{ VHCA_CMD_MBOX_MAX + 1, 16 }, { 16, VHCA_CMD_MBOX_MAX + 1 },
		{ U32_MAX, 16 }, { 16, U32_MAX },
	};
	struct vhca_cmd_entry ent;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		vhca_cmd_entry_init(&ent, 1, 0, lens[i].in_len,
				    lens[i].out_len, 0x1000, 0x2000);
		ent.status_own = VHCA_CMD_OWNER_HW;
		KUNIT_EXPECT_EQ_MSG(test, vhca_sim_cmd_entry_check(&ent),
				    VHCA_CMD_DELIVERY_BAD_ENTRY,
				    "in_len %u out_len %u", lens[i].in_len,
				    lens[i].out_len);
	}

	/* not handed to the device */
	vhca_cmd_entry_init(&ent, 1, 0, 16, 16, 0x1000, 0x2000);
	KUNIT_EXPECT_EQ(test, vhca_sim_cmd_entry_check(&ent),
			VHCA_CMD_DELIVERY_BAD_ENTRY);

	/* wrong type */
	ent.status_own = VHCA_CMD_OWNER_HW;
	ent.type = 0;
	KUNIT_EXPECT_EQ(test, vhca_sim_cmd_entry_check(&ent),
			VHCA_CMD_DELIVERY_BAD_ENTRY);

	/* lengths are big-endian: 16 written little-endian is 0x10000000 */
	vhca_cmd_entry_init(&ent, 1, 0, 16, 16, 0x1000, 0x2000);
	ent.status_own = VHCA_CMD_OWNER_HW;
	ent.in_len = (__force __be32)cpu_to_le32(16);
	KUNIT_EXPECT_EQ(test, vhca_sim_cmd_entry_check(&ent),
			VHCA_CMD_DELIVERY_BAD_ENTRY);
}

static bool vhca_test_op_known(unsigned int opcode)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vhca_test_ops); i++)
		if (vhca_test_ops[i].opcode == opcode)
			return true;
	return false;
}

/* Every opcode but the known ones fails with BAD_OP, whatever the lengths
 * and the state. A firmware command added without a line in
 * vhca_test_ops[] (and the state table below) fails here.
 */
static void vhca_sim_cmd_unknown_opcode(struct kunit *test)
{
	unsigned int opcode, wrong = 0;
	u32 synd;
	u8 st;

	for (opcode = 0; opcode <= U16_MAX; opcode++) {
		st = vhca_test_check(opcode, 0, VHCA_CMD_MBOX_MAX,
				     VHCA_CMD_MBOX_MAX, HCA_INI, &synd);
		if (vhca_test_op_known(opcode)) {
			KUNIT_EXPECT_NE_MSG(test, st, VHCA_CMD_STAT_BAD_OP,
					    "opcode 0x%x", opcode);
			continue;
		}
		if (st != VHCA_CMD_STAT_BAD_OP ||
		    synd != VHCA_SYND_BAD_OPCODE) {
			if (!wrong++)
				KUNIT_FAIL(test,
					   "opcode 0x%x: status 0x%x syndrome 0x%x, not BAD_OP",
					   opcode, st, synd);
			continue;
		}
		st = vhca_test_check(opcode, 0, 0, 0, HCA_DIS, &synd);
		if (st != VHCA_CMD_STAT_BAD_OP && !wrong++)
			KUNIT_FAIL(test, "opcode 0x%x: status 0x%x, not BAD_OP",
				   opcode, st);
	}
	KUNIT_EXPECT_EQ_MSG(test, wrong, 0,
			    "opcodes the firmware knows but the test does not");
}

static void vhca_sim_cmd_lengths(struct kunit *test)
{
	enum vhca_sim_hca_state state;
	unsigned int i;
	u32 in, out;
	u32 synd;
	u16 op;

	for (i = 0; i < ARRAY_SIZE(vhca_test_ops); i++) {
		op = vhca_test_ops[i].opcode;
		in = vhca_test_ops[i].in_len;
		out = vhca_test_ops[i].out_len;
		state = vhca_test_ok_state(op);

		KUNIT_EXPECT_EQ_MSG(test,
				    vhca_test_check(op, 0, in, out, state,
						    &synd),
				    VHCA_CMD_STAT_OK, "opcode 0x%x", op);
		KUNIT_EXPECT_EQ_MSG(test,
				    vhca_test_check(op, 0, VHCA_CMD_MBOX_MAX,
						    VHCA_CMD_MBOX_MAX, state,
						    &synd),
				    VHCA_CMD_STAT_OK, "opcode 0x%x", op);

		KUNIT_EXPECT_EQ_MSG(test,
				    vhca_test_check(op, 0, in - 1, out, state,
						    &synd),
				    VHCA_CMD_STAT_BAD_INP_LEN, "opcode 0x%x",
				    op);
		KUNIT_EXPECT_EQ(test, synd, VHCA_SYND_BAD_INP_LEN);

		KUNIT_EXPECT_EQ_MSG(test,
				    vhca_test_check(op, 0, in, out - 1, state,
						    &synd),
				    VHCA_CMD_STAT_BAD_OUTP_LEN, "opcode 0x%x",
				    op);
		KUNIT_EXPECT_EQ(test, synd, VHCA_SYND_BAD_OUTP_LEN);

		/* input first, and lengths before the state */
		KUNIT_EXPECT_EQ_MSG(test,
				    vhca_test_check(op, 0, in - 1, out - 1,
						    state, &synd),
				    VHCA_CMD_STAT_BAD_INP_LEN, "opcode 0x%x",
				    op);
		KUNIT_EXPECT_EQ_MSG(test,
				    vhca_test_check(op, 0, in, out - 1,
						    state == HCA_DIS ? HCA_INI : HCA_DIS,
						    &synd),
				    VHCA_CMD_STAT_BAD_OUTP_LEN, "opcode 0x%x",
				    op);
	}
}

#define OK	VHCA_CMD_STAT_OK
#define STATE	VHCA_CMD_STAT_BAD_SYS_STATE
#define NONE	VHCA_SYND_NONE
#define NOT_ENA	VHCA_SYND_NOT_ENABLED
#define NOT_INI	VHCA_SYND_NOT_INITIALIZED
#define ALREADY	VHCA_SYND_ALREADY
#define LEFT	VHCA_SYND_RESOURCES_LEFT

/* device.h's state machine: status and syndrome per state */
static const struct {
	u16 opcode;
	struct {
		u8 status;
		u32 synd;
	} in[3];	/* disabled, enabled, initialized */
} vhca_test_states[] = {
	{ VHCA_CMD_OP_NOP,
	  { { OK, NONE }, { OK, NONE }, { OK, NONE } } },
	{ VHCA_CMD_OP_QUERY_HCA_CAP,
	  { { STATE, NOT_ENA }, { OK, NONE }, { OK, NONE } } },
	{ VHCA_CMD_OP_QUERY_ADAPTER,
	  { { STATE, NOT_ENA }, { OK, NONE }, { OK, NONE } } },
	{ VHCA_CMD_OP_ENABLE_HCA,
	  { { OK, NONE }, { STATE, ALREADY }, { STATE, ALREADY } } },
	{ VHCA_CMD_OP_DISABLE_HCA,
	  { { STATE, ALREADY }, { OK, NONE }, { STATE, LEFT } } },
	{ VHCA_CMD_OP_INIT_HCA,
	  { { STATE, NOT_ENA }, { OK, NONE }, { STATE, ALREADY } } },
	{ VHCA_CMD_OP_TEARDOWN_HCA,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_QUERY_PORT,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_QUERY_PKEYS,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_QUERY_PORT_COUNTERS,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_CREATE_EQ,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_DESTROY_EQ,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_QUERY_EQ,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_ALLOC_PD,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_DEALLOC_PD,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_ALLOC_UAR,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_DEALLOC_UAR,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_CREATE_MKEY,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_QUERY_MKEY,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_DESTROY_MKEY,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_CREATE_CQ,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_DESTROY_CQ,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_QUERY_CQ,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_CREATE_SRQ,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_DESTROY_SRQ,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_QUERY_SRQ,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_ARM_SRQ,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_CREATE_QP,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_DESTROY_QP,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_MODIFY_QP,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_QUERY_QP,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_SET_RSS,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_ATTACH_MCG,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_DETACH_MCG,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
	{ VHCA_CMD_OP_MAD_IFC,
	  { { STATE, NOT_ENA }, { STATE, NOT_INI }, { OK, NONE } } },
};

static void vhca_sim_cmd_state_matrix(struct kunit *test)
{
	static const enum vhca_sim_hca_state states[] = { HCA_DIS, HCA_ENA, HCA_INI };
	unsigned int i, s;
	u32 synd;
	u16 op;
	u8 st;

	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(vhca_test_states),
			ARRAY_SIZE(vhca_test_ops));
	for (i = 0; i < ARRAY_SIZE(vhca_test_states); i++) {
		op = vhca_test_states[i].opcode;
		for (s = 0; s < ARRAY_SIZE(states); s++) {
			synd = NONE;
			st = vhca_sim_hca_state_check(states[s], op, &synd);
			KUNIT_EXPECT_EQ_MSG(test, st,
					    vhca_test_states[i].in[s].status,
					    "opcode 0x%x state %u", op, s);
			KUNIT_EXPECT_EQ_MSG(test, synd,
					    vhca_test_states[i].in[s].synd,
					    "opcode 0x%x state %u", op, s);

			/* the full check agrees, given long mailboxes */
			st = vhca_test_check(op, 0, VHCA_CMD_MBOX_MAX,
					     VHCA_CMD_MBOX_MAX, states[s],
					     &synd);
			KUNIT_EXPECT_EQ_MSG(test, st,
					    vhca_test_states[i].in[s].status,
					    "opcode 0x%x state %u", op, s);
		}
	}
}

static void vhca_sim_cmd_next_state(struct kunit *test)
{
	static const enum vhca_sim_hca_state states[] = { HCA_DIS, HCA_ENA, HCA_INI };
	static const u16 keep[] = { VHCA_CMD_OP_NOP, VHCA_CMD_OP_QUERY_HCA_CAP,
				    VHCA_CMD_OP_QUERY_ADAPTER,
				    VHCA_CMD_OP_QUERY_PORT,
				    VHCA_CMD_OP_QUERY_PKEYS,
				    VHCA_CMD_OP_QUERY_PORT_COUNTERS,
				    VHCA_CMD_OP_CREATE_EQ,
				    VHCA_CMD_OP_DESTROY_EQ,
				    VHCA_CMD_OP_QUERY_EQ };
	unsigned int i, s;

	KUNIT_EXPECT_EQ(test, vhca_sim_hca_next_state(HCA_DIS,
						      VHCA_CMD_OP_ENABLE_HCA),
			HCA_ENA);
	KUNIT_EXPECT_EQ(test, vhca_sim_hca_next_state(HCA_ENA,
						      VHCA_CMD_OP_INIT_HCA),
			HCA_INI);
	KUNIT_EXPECT_EQ(test, vhca_sim_hca_next_state(HCA_INI,
						      VHCA_CMD_OP_TEARDOWN_HCA),
			HCA_ENA);
	KUNIT_EXPECT_EQ(test, vhca_sim_hca_next_state(HCA_ENA,
						      VHCA_CMD_OP_DISABLE_HCA),
			HCA_DIS);
	for (i = 0; i < ARRAY_SIZE(keep); i++)
		for (s = 0; s < ARRAY_SIZE(states); s++)
			KUNIT_EXPECT_EQ_MSG(test,
					    vhca_sim_hca_next_state(states[s],
								    keep[i]),
					    states[s], "opcode 0x%x state %u",
					    keep[i], s);
}

/* The firmware as the command worker runs it (check, then on success the
 * transition) over the driver's init/teardown sequence and its mistakes:
 * a failed command leaves the state as it was.
 */
static void vhca_sim_cmd_state_walk(struct kunit *test)
{
	static const struct {
		u16 opcode;
		u16 op_mod;
		u8 status;
		u32 synd;
		enum vhca_sim_hca_state after;
	} walk[] = {
		{ VHCA_CMD_OP_QUERY_HCA_CAP, 0, STATE, NOT_ENA, HCA_DIS },
		{ VHCA_CMD_OP_INIT_HCA, 0, STATE, NOT_ENA, HCA_DIS },
		{ VHCA_CMD_OP_ENABLE_HCA, 0, OK, NONE, HCA_ENA },
		{ VHCA_CMD_OP_ENABLE_HCA, 0, STATE, ALREADY, HCA_ENA },
		{ VHCA_CMD_OP_QUERY_HCA_CAP, 1, OK, NONE, HCA_ENA },
		{ VHCA_CMD_OP_QUERY_ADAPTER, 0, OK, NONE, HCA_ENA },
		{ VHCA_CMD_OP_CREATE_EQ, 0, STATE, NOT_INI, HCA_ENA },
		{ VHCA_CMD_OP_INIT_HCA, 0, OK, NONE, HCA_INI },
		{ VHCA_CMD_OP_INIT_HCA, 0, STATE, ALREADY, HCA_INI },
		{ VHCA_CMD_OP_CREATE_EQ, 0, OK, NONE, HCA_INI },
		{ VHCA_CMD_OP_DISABLE_HCA, 0, STATE, LEFT, HCA_INI },
		{ VHCA_CMD_OP_TEARDOWN_HCA, 2, VHCA_CMD_STAT_BAD_PARAM,
		  VHCA_SYND_BAD_OP_MOD, HCA_INI },
		{ VHCA_CMD_OP_TEARDOWN_HCA, VHCA_TEARDOWN_HCA_FORCE, OK, NONE,
		  HCA_ENA },
		{ VHCA_CMD_OP_TEARDOWN_HCA, 0, STATE, NOT_INI, HCA_ENA },
		{ VHCA_CMD_OP_DISABLE_HCA, 0, OK, NONE, HCA_DIS },
		{ VHCA_CMD_OP_DISABLE_HCA, 0, STATE, ALREADY, HCA_DIS },
		{ VHCA_CMD_OP_NOP, 0, OK, NONE, HCA_DIS },
	};
	enum vhca_sim_hca_state state = HCA_DIS;
	unsigned int i;
	u32 synd;
	u8 st;

	for (i = 0; i < ARRAY_SIZE(walk); i++) {
		st = vhca_test_check(walk[i].opcode, walk[i].op_mod,
				     VHCA_CMD_MBOX_MAX, VHCA_CMD_MBOX_MAX,
				     state, &synd);
		if (st == VHCA_CMD_STAT_OK)
			state = vhca_sim_hca_next_state(state, walk[i].opcode);
		KUNIT_EXPECT_EQ_MSG(test, st, walk[i].status, "step %u", i);
		KUNIT_EXPECT_EQ_MSG(test, synd, walk[i].synd, "step %u", i);
		KUNIT_EXPECT_EQ_MSG(test, state, walk[i].after, "step %u", i);
	}
}

static void vhca_sim_cmd_op_mod(struct kunit *test)
{
	u32 synd;

	/* QUERY_HCA_CAP: 0 current, 1 maximum */
	KUNIT_EXPECT_EQ(test, vhca_test_check(VHCA_CMD_OP_QUERY_HCA_CAP, 0,
					      16, 144, HCA_ENA, &synd), OK);
	KUNIT_EXPECT_EQ(test, vhca_test_check(VHCA_CMD_OP_QUERY_HCA_CAP, 1,
					      16, 144, HCA_ENA, &synd), OK);
	KUNIT_EXPECT_EQ(test, vhca_test_check(VHCA_CMD_OP_QUERY_HCA_CAP, 2,
					      16, 144, HCA_ENA, &synd),
			VHCA_CMD_STAT_BAD_PARAM);
	KUNIT_EXPECT_EQ(test, synd, VHCA_SYND_BAD_OP_MOD);
	KUNIT_EXPECT_EQ(test, vhca_test_check(VHCA_CMD_OP_QUERY_HCA_CAP,
					      0xffff, 16, 144, HCA_ENA, &synd),
			VHCA_CMD_STAT_BAD_PARAM);

	/* TEARDOWN_HCA: graceful or force */
	KUNIT_EXPECT_EQ(test, vhca_test_check(VHCA_CMD_OP_TEARDOWN_HCA,
					      VHCA_TEARDOWN_HCA_GRACEFUL, 16,
					      16, HCA_INI, &synd), OK);
	KUNIT_EXPECT_EQ(test, vhca_test_check(VHCA_CMD_OP_TEARDOWN_HCA,
					      VHCA_TEARDOWN_HCA_FORCE, 16, 16,
					      HCA_INI, &synd), OK);
	KUNIT_EXPECT_EQ(test, vhca_test_check(VHCA_CMD_OP_TEARDOWN_HCA, 2, 16,
					      16, HCA_INI, &synd),
			VHCA_CMD_STAT_BAD_PARAM);
	KUNIT_EXPECT_EQ(test, synd, VHCA_SYND_BAD_OP_MOD);

	/* ALLOC_PD: kernel or user */
	KUNIT_EXPECT_EQ(test, vhca_test_check(VHCA_CMD_OP_ALLOC_PD,
					      VHCA_ALLOC_PD_KERNEL, 16, 32,
					      HCA_INI, &synd), OK);
	KUNIT_EXPECT_EQ(test, vhca_test_check(VHCA_CMD_OP_ALLOC_PD,
					      VHCA_ALLOC_PD_USER, 16, 32,
					      HCA_INI, &synd), OK);
	KUNIT_EXPECT_EQ(test, vhca_test_check(VHCA_CMD_OP_ALLOC_PD, 2, 16, 32,
					      HCA_INI, &synd),
			VHCA_CMD_STAT_BAD_PARAM);
	KUNIT_EXPECT_EQ(test, synd, VHCA_SYND_BAD_OP_MOD);

	/* the state is checked before the op_mod */
	KUNIT_EXPECT_EQ(test, vhca_test_check(VHCA_CMD_OP_QUERY_HCA_CAP, 2,
					      16, 144, HCA_DIS, &synd), STATE);
	KUNIT_EXPECT_EQ(test, synd, NOT_ENA);

	/* the others ignore it */
	KUNIT_EXPECT_EQ(test, vhca_test_check(VHCA_CMD_OP_NOP, 0xffff, 16, 16,
					      HCA_DIS, &synd), OK);
	KUNIT_EXPECT_EQ(test, vhca_test_check(VHCA_CMD_OP_ENABLE_HCA, 7, 16,
					      16, HCA_DIS, &synd), OK);
}

static struct kunit_case vhca_sim_cmd_cases[] = {
	KUNIT_CASE(vhca_sim_cmd_entry_ok),
	KUNIT_CASE(vhca_sim_cmd_entry_bad),
	KUNIT_CASE(vhca_sim_cmd_unknown_opcode),
	KUNIT_CASE(vhca_sim_cmd_lengths),
	KUNIT_CASE(vhca_sim_cmd_state_matrix),
	KUNIT_CASE(vhca_sim_cmd_next_state),
	KUNIT_CASE(vhca_sim_cmd_state_walk),
	KUNIT_CASE(vhca_sim_cmd_op_mod),
	{}
};

static struct kunit_suite vhca_sim_cmd_suite = {
	.name = "vhca_sim_cmd",
	.test_cases = vhca_sim_cmd_cases,
};

kunit_test_suite(vhca_sim_cmd_suite);
