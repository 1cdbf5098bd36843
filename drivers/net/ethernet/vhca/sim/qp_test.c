// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the device model firmware's MODIFY_QP transition check, without
 * a device: the transitions of the IBA state machine per QP type, the
 * attributes each requires and allows, and what is refused.
 */

#include <kunit/test.h>

#include "res.h"

#define RST	VHCA_QPS_RESET
#define INI	VHCA_QPS_INIT
#define RTR	VHCA_QPS_RTR
#define RTS	VHCA_QPS_RTS
#define SQD	VHCA_QPS_SQD
#define SQE	VHCA_QPS_SQE
#define ERR	VHCA_QPS_ERR

#define M_STATE		VHCA_QP_ATTR_STATE
#define M_CUR		VHCA_QP_ATTR_CUR_STATE
#define M_ACCESS	VHCA_QP_ATTR_ACCESS
#define M_PKEY		VHCA_QP_ATTR_PKEY_INDEX
#define M_PORT		VHCA_QP_ATTR_PORT
#define M_QKEY		VHCA_QP_ATTR_QKEY
#define M_AV		VHCA_QP_ATTR_AV
#define M_MTU		VHCA_QP_ATTR_PATH_MTU
#define M_TIMEOUT	VHCA_QP_ATTR_TIMEOUT
#define M_RETRY		VHCA_QP_ATTR_RETRY_CNT
#define M_RNR_RETRY	VHCA_QP_ATTR_RNR_RETRY
#define M_RQ_PSN	VHCA_QP_ATTR_RQ_PSN
#define M_RD_ATOMIC	VHCA_QP_ATTR_MAX_RD_ATOMIC
#define M_ALT_PATH	VHCA_QP_ATTR_ALT_PATH
#define M_RNR_TIMER	VHCA_QP_ATTR_MIN_RNR_TIMER
#define M_SQ_PSN	VHCA_QP_ATTR_SQ_PSN
#define M_DEST_RD	VHCA_QP_ATTR_MAX_DEST_RD_ATOMIC
#define M_MIG		VHCA_QP_ATTR_PATH_MIG_STATE
#define M_DEST_QPN	VHCA_QP_ATTR_DEST_QPN
#define M_SQD_ASYNC	VHCA_QP_ATTR_EN_SQD_ASYNC

/* the masks a kernel ULP sends for the usual bring-up */
#define RC_TO_INIT	(M_STATE | M_PKEY | M_PORT | M_ACCESS)
#define RC_TO_RTR	(M_STATE | M_AV | M_MTU | M_DEST_QPN | M_RQ_PSN | \
			 M_DEST_RD | M_RNR_TIMER)
#define RC_TO_RTS	(M_STATE | M_SQ_PSN | M_TIMEOUT | M_RETRY | \
			 M_RNR_RETRY | M_RD_ATOMIC)
#define UC_TO_RTR	(M_STATE | M_AV | M_MTU | M_DEST_QPN | M_RQ_PSN)
#define UD_TO_INIT	(M_STATE | M_PKEY | M_PORT | M_QKEY)
#define GSI_TO_INIT	(M_STATE | M_PKEY | M_QKEY)

struct vhca_qp_case {
	const char *what;
	u8 type;
	u8 cur;
	u8 next;
	u32 mask;
	u32 synd;
};

static const struct vhca_qp_case vhca_qp_cases[] = {
	/* valid transitions, per type */
	{ "RC rst->init", VHCA_QPT_RC, RST, INI, RC_TO_INIT, VHCA_SYND_NONE },
	{ "RC init->init", VHCA_QPT_RC, INI, INI, M_STATE | M_ACCESS,
	  VHCA_SYND_NONE },
	{ "RC init->rtr", VHCA_QPT_RC, INI, RTR, RC_TO_RTR, VHCA_SYND_NONE },
	{ "RC init->rtr +pkey", VHCA_QPT_RC, INI, RTR, RC_TO_RTR | M_PKEY,
	  VHCA_SYND_NONE },
	{ "RC rtr->rts", VHCA_QPT_RC, RTR, RTS, RC_TO_RTS, VHCA_SYND_NONE },
	{ "RC rtr->rts +cur", VHCA_QPT_RC, RTR, RTS, RC_TO_RTS | M_CUR,
	  VHCA_SYND_NONE },
	{ "RC rts->rts", VHCA_QPT_RC, RTS, RTS, M_STATE | M_RNR_TIMER,
	  VHCA_SYND_NONE },
	{ "RC rts->sqd", VHCA_QPT_RC, RTS, SQD, M_STATE | M_SQD_ASYNC,
	  VHCA_SYND_NONE },
	{ "RC sqd->sqd", VHCA_QPT_RC, SQD, SQD, M_STATE | M_TIMEOUT | M_AV,
	  VHCA_SYND_NONE },
	{ "RC sqd->rts", VHCA_QPT_RC, SQD, RTS, M_STATE, VHCA_SYND_NONE },
	{ "UC rst->init", VHCA_QPT_UC, RST, INI, RC_TO_INIT, VHCA_SYND_NONE },
	{ "UC init->rtr", VHCA_QPT_UC, INI, RTR, UC_TO_RTR, VHCA_SYND_NONE },
	{ "UC rtr->rts", VHCA_QPT_UC, RTR, RTS, M_STATE | M_SQ_PSN,
	  VHCA_SYND_NONE },
	{ "UC sqe->rts", VHCA_QPT_UC, SQE, RTS, M_STATE | M_ACCESS,
	  VHCA_SYND_NONE },
	{ "UD rst->init", VHCA_QPT_UD, RST, INI, UD_TO_INIT, VHCA_SYND_NONE },
	{ "UD init->rtr", VHCA_QPT_UD, INI, RTR, M_STATE, VHCA_SYND_NONE },
	{ "UD init->rtr +qkey", VHCA_QPT_UD, INI, RTR, M_STATE | M_QKEY,
	  VHCA_SYND_NONE },
	{ "UD rtr->rts", VHCA_QPT_UD, RTR, RTS, M_STATE | M_SQ_PSN,
	  VHCA_SYND_NONE },
	{ "UD sqe->rts", VHCA_QPT_UD, SQE, RTS, M_STATE | M_QKEY,
	  VHCA_SYND_NONE },
	{ "GSI rst->init", VHCA_QPT_GSI, RST, INI, GSI_TO_INIT,
	  VHCA_SYND_NONE },
	{ "GSI rtr->rts", VHCA_QPT_GSI, RTR, RTS, M_STATE | M_SQ_PSN,
	  VHCA_SYND_NONE },
	{ "SMI rst->init", VHCA_QPT_SMI, RST, INI, GSI_TO_INIT,
	  VHCA_SYND_NONE },
	{ "SMI sqe->rts", VHCA_QPT_SMI, SQE, RTS, M_STATE, VHCA_SYND_NONE },

	/* any state to RESET or ERR, with no attribute but the state */
	{ "RC rts->rst", VHCA_QPT_RC, RTS, RST, M_STATE, VHCA_SYND_NONE },
	{ "RC rst->rst", VHCA_QPT_RC, RST, RST, M_STATE, VHCA_SYND_NONE },
	{ "RC err->rst", VHCA_QPT_RC, ERR, RST, M_STATE, VHCA_SYND_NONE },
	{ "RC rtr->err", VHCA_QPT_RC, RTR, ERR, M_STATE, VHCA_SYND_NONE },
	{ "RC rst->err", VHCA_QPT_RC, RST, ERR, M_STATE, VHCA_SYND_NONE },
	{ "UD sqd->err", VHCA_QPT_UD, SQD, ERR, M_STATE, VHCA_SYND_NONE },
	{ "UD sqe->err", VHCA_QPT_UD, SQE, ERR, M_STATE | M_CUR,
	  VHCA_SYND_NONE },
	{ "GSI err->err", VHCA_QPT_GSI, ERR, ERR, M_STATE, VHCA_SYND_NONE },
	{ "RC rts->err +qkey", VHCA_QPT_RC, RTS, ERR, M_STATE | M_QKEY,
	  VHCA_SYND_QP_BAD_ATTR },

	/* missing required attributes */
	{ "RC rst->init no access", VHCA_QPT_RC, RST, INI,
	  RC_TO_INIT & ~M_ACCESS, VHCA_SYND_QP_BAD_ATTR },
	{ "RC rst->init no port", VHCA_QPT_RC, RST, INI,
	  RC_TO_INIT & ~M_PORT, VHCA_SYND_QP_BAD_ATTR },
	{ "UD rst->init no qkey", VHCA_QPT_UD, RST, INI,
	  UD_TO_INIT & ~M_QKEY, VHCA_SYND_QP_BAD_ATTR },
	{ "GSI rst->init no pkey", VHCA_QPT_GSI, RST, INI,
	  GSI_TO_INIT & ~M_PKEY, VHCA_SYND_QP_BAD_ATTR },
	{ "RC init->rtr no min_rnr_timer", VHCA_QPT_RC, INI, RTR,
	  RC_TO_RTR & ~M_RNR_TIMER, VHCA_SYND_QP_BAD_ATTR },
	{ "RC init->rtr no av", VHCA_QPT_RC, INI, RTR, RC_TO_RTR & ~M_AV,
	  VHCA_SYND_QP_BAD_ATTR },
	{ "UC init->rtr no rq_psn", VHCA_QPT_UC, INI, RTR,
	  UC_TO_RTR & ~M_RQ_PSN, VHCA_SYND_QP_BAD_ATTR },
	{ "RC rtr->rts no retry_cnt", VHCA_QPT_RC, RTR, RTS,
	  RC_TO_RTS & ~M_RETRY, VHCA_SYND_QP_BAD_ATTR },
	{ "UD rtr->rts no sq_psn", VHCA_QPT_UD, RTR, RTS, M_STATE,
	  VHCA_SYND_QP_BAD_ATTR },

	/* attributes the transition does not take */
	{ "GSI rst->init +port", VHCA_QPT_GSI, RST, INI, GSI_TO_INIT | M_PORT,
	  VHCA_SYND_QP_BAD_ATTR },
	{ "UD rst->init +access", VHCA_QPT_UD, RST, INI,
	  UD_TO_INIT | M_ACCESS, VHCA_SYND_QP_BAD_ATTR },
	{ "RC rst->init +qkey", VHCA_QPT_RC, RST, INI, RC_TO_INIT | M_QKEY,
	  VHCA_SYND_QP_BAD_ATTR },
	{ "UD init->rtr +av", VHCA_QPT_UD, INI, RTR, M_STATE | M_AV,
	  VHCA_SYND_QP_BAD_ATTR },
	{ "UC init->rtr +dest_rd", VHCA_QPT_UC, INI, RTR,
	  UC_TO_RTR | M_DEST_RD, VHCA_SYND_QP_BAD_ATTR },
	{ "UC rtr->rts +timeout", VHCA_QPT_UC, RTR, RTS,
	  M_STATE | M_SQ_PSN | M_TIMEOUT, VHCA_SYND_QP_BAD_ATTR },
	{ "RC rts->rts +sq_psn", VHCA_QPT_RC, RTS, RTS, M_STATE | M_SQ_PSN,
	  VHCA_SYND_QP_BAD_ATTR },
	{ "RC rst->rst +port", VHCA_QPT_RC, RST, RST, M_STATE | M_PORT,
	  VHCA_SYND_QP_BAD_ATTR },
	/* no alternate path in the model */
	{ "RC rtr->rts +alt_path", VHCA_QPT_RC, RTR, RTS,
	  RC_TO_RTS | M_ALT_PATH, VHCA_SYND_QP_BAD_ATTR },
	{ "RC rts->rts +mig", VHCA_QPT_RC, RTS, RTS, M_STATE | M_MIG,
	  VHCA_SYND_QP_BAD_ATTR },

	/* transitions the state machine does not have */
	{ "RC rts->init", VHCA_QPT_RC, RTS, INI, RC_TO_INIT,
	  VHCA_SYND_QP_BAD_TRANSITION },
	{ "UD rts->init", VHCA_QPT_UD, RTS, INI, UD_TO_INIT,
	  VHCA_SYND_QP_BAD_TRANSITION },
	{ "RC sqe->rts", VHCA_QPT_RC, SQE, RTS, M_STATE,
	  VHCA_SYND_QP_BAD_TRANSITION },
	{ "RC rst->rtr", VHCA_QPT_RC, RST, RTR, RC_TO_RTR,
	  VHCA_SYND_QP_BAD_TRANSITION },
	{ "RC init->rts", VHCA_QPT_RC, INI, RTS, RC_TO_RTS,
	  VHCA_SYND_QP_BAD_TRANSITION },
	{ "UD rtr->rtr", VHCA_QPT_UD, RTR, RTR, M_STATE,
	  VHCA_SYND_QP_BAD_TRANSITION },
	{ "UD err->rts", VHCA_QPT_UD, ERR, RTS, M_STATE | M_SQ_PSN,
	  VHCA_SYND_QP_BAD_TRANSITION },
	{ "UD rts->sqe", VHCA_QPT_UD, RTS, SQE, M_STATE,
	  VHCA_SYND_QP_BAD_TRANSITION },
	{ "UD init->bad", VHCA_QPT_UD, INI, ERR + 1, M_STATE,
	  VHCA_SYND_QP_BAD_TRANSITION },

	/* unknown type */
	{ "type 2", 2, RST, INI, RC_TO_INIT, VHCA_SYND_QP_BAD_TYPE },
};

static void vhca_sim_qp_modify_table(struct kunit *test)
{
	const struct vhca_qp_case *c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vhca_qp_cases); i++) {
		c = &vhca_qp_cases[i];
		KUNIT_EXPECT_EQ_MSG(test,
				    vhca_sim_qp_modify_check(c->type, c->cur,
							     c->next, c->mask),
				    c->synd, "%s", c->what);
	}
}

/* every state to RESET and to ERR, for every type */
static void vhca_sim_qp_modify_any_to_rst_err(struct kunit *test)
{
	static const u8 types[] = { VHCA_QPT_RC, VHCA_QPT_UC, VHCA_QPT_UD,
				    VHCA_QPT_GSI, VHCA_QPT_SMI };
	unsigned int t;
	u8 s;

	for (t = 0; t < ARRAY_SIZE(types); t++) {
		for (s = RST; s <= ERR; s++) {
			KUNIT_EXPECT_EQ_MSG(test,
					    vhca_sim_qp_modify_check(types[t], s,
								     RST,
								     M_STATE),
					    VHCA_SYND_NONE, "type %u %u->rst",
					    types[t], s);
			KUNIT_EXPECT_EQ_MSG(test,
					    vhca_sim_qp_modify_check(types[t], s,
								     ERR,
								     M_STATE),
					    VHCA_SYND_NONE, "type %u %u->err",
					    types[t], s);
		}
	}
}

/* nothing moves back to INIT or RTR once past it */
static void vhca_sim_qp_modify_no_way_back(struct kunit *test)
{
	static const u8 types[] = { VHCA_QPT_RC, VHCA_QPT_UC, VHCA_QPT_UD,
				    VHCA_QPT_GSI };
	unsigned int t;
	u8 s;

	for (t = 0; t < ARRAY_SIZE(types); t++) {
		for (s = RTR; s <= ERR; s++) {
			KUNIT_EXPECT_EQ_MSG(test,
					    vhca_sim_qp_modify_check(types[t], s,
								     INI,
								     M_STATE),
					    VHCA_SYND_QP_BAD_TRANSITION,
					    "type %u %u->init", types[t], s);
			KUNIT_EXPECT_EQ_MSG(test,
					    vhca_sim_qp_modify_check(types[t], s,
								     RTR,
								     M_STATE),
					    VHCA_SYND_QP_BAD_TRANSITION,
					    "type %u %u->rtr", types[t], s);
		}
	}
}

static struct kunit_case vhca_sim_qp_cases[] = {
	KUNIT_CASE(vhca_sim_qp_modify_table),
	KUNIT_CASE(vhca_sim_qp_modify_any_to_rst_err),
	KUNIT_CASE(vhca_sim_qp_modify_no_way_back),
	{}
};

static struct kunit_suite vhca_sim_qp_suite = {
	.name = "vhca_sim_qp",
	.test_cases = vhca_sim_qp_cases,
};

kunit_test_suite(vhca_sim_qp_suite);
