// SPDX-License-Identifier: GPL-2.0
/*
 * Queue pairs: CREATE/DESTROY/MODIFY/QUERY_QP, the state machine of the
 * IBA (vol 1, 10.3.1 and table 91) and QP events.
 *
 * MODIFY_QP is checked in full before anything changes: the transition
 * for the QP's type, the attribute mask against the attributes the
 * transition requires and allows, then every given value. Only then are
 * the attributes applied, under qp->lock, and the engines told
 * (vhca_sim_qp_engine_modify()), so a failed MODIFY_QP changes nothing.
 */

#include <linux/mm.h>
#include <linux/slab.h>

#include "res.h"

#define VHCA_SIM_QPN_LIMIT \
	XA_LIMIT(VHCA_SIM_FIRST_QPN, BIT(VHCA_SIM_LOG_MAX_QP) - 1)
#define VHCA_SIM_MAX_RQ_LOG_STRIDE	ilog2(VHCA_SIM_MAX_RQ_SGE)
#define VHCA_SIM_PSN_MAX		GENMASK(23, 0)

/* the QP types as the transition table groups them */
enum {
	VHCA_SIM_QPC_RC,
	VHCA_SIM_QPC_UC,
	VHCA_SIM_QPC_UD,
	VHCA_SIM_QPC_SPECIAL,	/* GSI and SMI */
	VHCA_SIM_QPC_NUM
};

#define QPC_RC		BIT(VHCA_SIM_QPC_RC)
#define QPC_UC		BIT(VHCA_SIM_QPC_UC)
#define QPC_UD		BIT(VHCA_SIM_QPC_UD)
#define QPC_SP		BIT(VHCA_SIM_QPC_SPECIAL)
#define QPC_ALL		(QPC_RC | QPC_UC | QPC_UD | QPC_SP)

/* short names for the table */
#define A_SQD_ASYNC	VHCA_QP_ATTR_EN_SQD_ASYNC
#define A_ACCESS	VHCA_QP_ATTR_ACCESS
#define A_PKEY		VHCA_QP_ATTR_PKEY_INDEX
#define A_PORT		VHCA_QP_ATTR_PORT
#define A_QKEY		VHCA_QP_ATTR_QKEY
#define A_AV		VHCA_QP_ATTR_AV
#define A_MTU		VHCA_QP_ATTR_PATH_MTU
#define A_TIMEOUT	VHCA_QP_ATTR_TIMEOUT
#define A_RETRY		VHCA_QP_ATTR_RETRY_CNT
#define A_RNR_RETRY	VHCA_QP_ATTR_RNR_RETRY
#define A_RQ_PSN	VHCA_QP_ATTR_RQ_PSN
#define A_RD_ATOMIC	VHCA_QP_ATTR_MAX_RD_ATOMIC
#define A_RNR_TIMER	VHCA_QP_ATTR_MIN_RNR_TIMER
#define A_SQ_PSN	VHCA_QP_ATTR_SQ_PSN
#define A_DEST_RD	VHCA_QP_ATTR_MAX_DEST_RD_ATOMIC
#define A_DEST_QPN	VHCA_QP_ATTR_DEST_QPN
/* in the IBA's optional sets, but the model has no alternate path */
#define A_UNSUPPORTED	(VHCA_QP_ATTR_ALT_PATH | VHCA_QP_ATTR_PATH_MIG_STATE)

/**
 * struct vhca_sim_qp_trans - one row of IBA table 91
 * @types: QPC_* bits of the types that may make the transition
 * @req: per type class, the attributes it requires
 * @opt: per type class, the attributes it also allows
 *
 * Moving to RESET or ERR is allowed from every state with no attribute,
 * so those columns are not in the table.
 */
struct vhca_sim_qp_trans {
	u8 types;
	u32 req[VHCA_SIM_QPC_NUM];
	u32 opt[VHCA_SIM_QPC_NUM];
};

/* the optional sets RTR->RTS, RTS->RTS and SQD->RTS share */
#define OPT_TO_RTS_RC	(A_ACCESS | A_RNR_TIMER)
#define OPT_TO_RTS_UC	A_ACCESS

static const struct vhca_sim_qp_trans
vhca_sim_qp_table[VHCA_QPS_ERR + 1][VHCA_QPS_ERR + 1] = {
	[VHCA_QPS_RESET][VHCA_QPS_INIT] = {
		.types = QPC_ALL,
		.req = {
			[VHCA_SIM_QPC_RC] = A_PKEY | A_PORT | A_ACCESS,
			[VHCA_SIM_QPC_UC] = A_PKEY | A_PORT | A_ACCESS,
			[VHCA_SIM_QPC_UD] = A_PKEY | A_PORT | A_QKEY,
			[VHCA_SIM_QPC_SPECIAL] = A_PKEY | A_QKEY,
		},
	},
	[VHCA_QPS_INIT][VHCA_QPS_INIT] = {
		.types = QPC_ALL,
		.opt = {
			[VHCA_SIM_QPC_RC] = A_PKEY | A_PORT | A_ACCESS,
			[VHCA_SIM_QPC_UC] = A_PKEY | A_PORT | A_ACCESS,
			[VHCA_SIM_QPC_UD] = A_PKEY | A_PORT | A_QKEY,
			[VHCA_SIM_QPC_SPECIAL] = A_PKEY | A_QKEY,
		},
	},
	[VHCA_QPS_INIT][VHCA_QPS_RTR] = {
		.types = QPC_ALL,
		.req = {
			[VHCA_SIM_QPC_RC] = A_AV | A_MTU | A_DEST_QPN |
					    A_RQ_PSN | A_DEST_RD | A_RNR_TIMER,
			[VHCA_SIM_QPC_UC] = A_AV | A_MTU | A_DEST_QPN |
					    A_RQ_PSN,
		},
		.opt = {
			[VHCA_SIM_QPC_RC] = A_ACCESS | A_PKEY,
			[VHCA_SIM_QPC_UC] = A_ACCESS | A_PKEY,
			[VHCA_SIM_QPC_UD] = A_PKEY | A_QKEY,
			[VHCA_SIM_QPC_SPECIAL] = A_PKEY | A_QKEY,
		},
	},
	[VHCA_QPS_RTR][VHCA_QPS_RTS] = {
		.types = QPC_ALL,
		.req = {
			[VHCA_SIM_QPC_RC] = A_SQ_PSN | A_TIMEOUT | A_RETRY |
					    A_RNR_RETRY | A_RD_ATOMIC,
			[VHCA_SIM_QPC_UC] = A_SQ_PSN,
			[VHCA_SIM_QPC_UD] = A_SQ_PSN,
			[VHCA_SIM_QPC_SPECIAL] = A_SQ_PSN,
		},
		.opt = {
			[VHCA_SIM_QPC_RC] = OPT_TO_RTS_RC,
			[VHCA_SIM_QPC_UC] = OPT_TO_RTS_UC,
			[VHCA_SIM_QPC_UD] = A_QKEY,
			[VHCA_SIM_QPC_SPECIAL] = A_QKEY,
		},
	},
	[VHCA_QPS_RTS][VHCA_QPS_RTS] = {
		.types = QPC_ALL,
		.opt = {
			[VHCA_SIM_QPC_RC] = OPT_TO_RTS_RC,
			[VHCA_SIM_QPC_UC] = OPT_TO_RTS_UC,
			[VHCA_SIM_QPC_UD] = A_QKEY,
			[VHCA_SIM_QPC_SPECIAL] = A_QKEY,
		},
	},
	[VHCA_QPS_RTS][VHCA_QPS_SQD] = {
		.types = QPC_ALL,
		.opt = {
			[VHCA_SIM_QPC_RC] = A_SQD_ASYNC,
			[VHCA_SIM_QPC_UC] = A_SQD_ASYNC,
			[VHCA_SIM_QPC_UD] = A_SQD_ASYNC,
			[VHCA_SIM_QPC_SPECIAL] = A_SQD_ASYNC,
		},
	},
	[VHCA_QPS_SQD][VHCA_QPS_RTS] = {
		.types = QPC_ALL,
		.opt = {
			[VHCA_SIM_QPC_RC] = OPT_TO_RTS_RC,
			[VHCA_SIM_QPC_UC] = OPT_TO_RTS_UC,
			[VHCA_SIM_QPC_UD] = A_QKEY,
			[VHCA_SIM_QPC_SPECIAL] = A_QKEY,
		},
	},
	[VHCA_QPS_SQD][VHCA_QPS_SQD] = {
		.types = QPC_ALL,
		.opt = {
			[VHCA_SIM_QPC_RC] = A_PORT | A_AV | A_TIMEOUT |
					    A_RETRY | A_RNR_RETRY |
					    A_RD_ATOMIC | A_DEST_RD |
					    A_ACCESS | A_PKEY | A_RNR_TIMER,
			[VHCA_SIM_QPC_UC] = A_AV | A_ACCESS | A_PKEY,
			[VHCA_SIM_QPC_UD] = A_PKEY | A_QKEY,
			[VHCA_SIM_QPC_SPECIAL] = A_PKEY | A_QKEY,
		},
	},
	/* an RC QP never enters SQE: its send errors are fatal */
	[VHCA_QPS_SQE][VHCA_QPS_RTS] = {
		.types = QPC_UC | QPC_UD | QPC_SP,
		.opt = {
			[VHCA_SIM_QPC_UC] = A_ACCESS,
			[VHCA_SIM_QPC_UD] = A_QKEY,
			[VHCA_SIM_QPC_SPECIAL] = A_QKEY,
		},
	},
};

static int vhca_sim_qp_class(u8 type)
{
	switch (type) {
	case VHCA_QPT_RC:
		return VHCA_SIM_QPC_RC;
	case VHCA_QPT_UC:
		return VHCA_SIM_QPC_UC;
	case VHCA_QPT_UD:
		return VHCA_SIM_QPC_UD;
	case VHCA_QPT_GSI:
	case VHCA_QPT_SMI:
		return VHCA_SIM_QPC_SPECIAL;
	}
	return -EINVAL;
}

/**
 * vhca_sim_qp_modify_check - may a QP of @type move from @cur to @next
 *	with the attributes in @mask?
 * @type: VHCA_QPT_*
 * @cur: the current state
 * @next: the requested state
 * @mask: VHCA_QP_ATTR_* given; STATE and CUR_STATE are always allowed
 *
 * Pure: the transitions and attribute sets of IBA vol 1 table 91, without
 * alternate paths (the model has none).
 *
 * Return: VHCA_SYND_NONE, VHCA_SYND_QP_BAD_TYPE,
 * VHCA_SYND_QP_BAD_TRANSITION, or VHCA_SYND_QP_BAD_ATTR for a required
 * attribute missing or one not allowed.
 */
u32 vhca_sim_qp_modify_check(u8 type, u8 cur, u8 next, u32 mask)
{
	const struct vhca_sim_qp_trans *t;
	int cls = vhca_sim_qp_class(type);
	u32 req = 0, opt = 0;

	if (cls < 0)
		return VHCA_SYND_QP_BAD_TYPE;
	if (cur > VHCA_QPS_ERR || next > VHCA_QPS_ERR)
		return VHCA_SYND_QP_BAD_TRANSITION;
	if (next != VHCA_QPS_RESET && next != VHCA_QPS_ERR) {
		t = &vhca_sim_qp_table[cur][next];
		if (!(t->types & BIT(cls)))
			return VHCA_SYND_QP_BAD_TRANSITION;
		req = t->req[cls];
		opt = t->opt[cls];
	}
	mask &= ~(VHCA_QP_ATTR_STATE | VHCA_QP_ATTR_CUR_STATE);
	if ((mask & req) != req || (mask & ~(req | opt)))
		return VHCA_SYND_QP_BAD_ATTR;
	return VHCA_SYND_NONE;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_sim_qp_modify_check);

/* the values of the attributes in @mask; VHCA_SYND_NONE if all fine */
static u32 vhca_sim_qp_attr_check(struct vhca_sim_dev *sdev, u32 mask,
				  const struct vhca_qp_attr *a)
{
	if ((mask & A_PORT) &&
	    (a->port < 1 || a->port > sdev->bdev.num_ports))
		return VHCA_SYND_QP_BAD_PORT;
	if ((mask & A_PKEY) && be16_to_cpu(a->pkey_index) >= VHCA_MAX_PKEYS)
		return VHCA_SYND_QP_BAD_PKEY_INDEX;
	if (((mask & A_MTU) &&
	     (a->path_mtu < VHCA_MTU_256 || a->path_mtu > VHCA_MTU_4096)) ||
	    ((mask & A_RETRY) && a->retry_cnt > 7) ||
	    ((mask & A_RNR_RETRY) && a->rnr_retry > 7) ||
	    ((mask & A_RNR_TIMER) && a->min_rnr_timer > 31) ||
	    ((mask & A_TIMEOUT) && a->timeout > 31) ||
	    ((mask & A_ACCESS) && (a->access & ~VHCA_ACCESS_ALL)) ||
	    ((mask & A_RD_ATOMIC) &&
	     a->max_rd_atomic > VHCA_SIM_MAX_RD_ATOMIC) ||
	    ((mask & A_DEST_RD) &&
	     a->max_dest_rd_atomic > VHCA_SIM_MAX_RD_ATOMIC) ||
	    ((mask & A_DEST_QPN) &&
	     be32_to_cpu(a->dest_qpn) > VHCA_QPN_MASK) ||
	    ((mask & A_RQ_PSN) && be32_to_cpu(a->rq_psn) > VHCA_SIM_PSN_MAX) ||
	    ((mask & A_SQ_PSN) && be32_to_cpu(a->sq_psn) > VHCA_SIM_PSN_MAX) ||
	    ((mask & A_AV) && (!a->av.dlid || a->av.sl > 15)))
		return VHCA_SYND_QP_BAD_ATTR;
	return VHCA_SYND_NONE;
}

/* copy the attributes in @mask into the QP; qp->lock held */
static void vhca_sim_qp_attr_apply(struct vhca_sim_qp *qp, u32 mask,
				   const struct vhca_qp_attr *a)
{
	struct vhca_sim_qp_attr_cpu *c = &qp->attr;

	if (mask & A_QKEY)
		c->qkey = be32_to_cpu(a->qkey);
	if (mask & A_RQ_PSN)
		c->rq_psn = be32_to_cpu(a->rq_psn);
	if (mask & A_SQ_PSN)
		c->sq_psn = be32_to_cpu(a->sq_psn);
	if (mask & A_DEST_QPN)
		c->dest_qpn = be32_to_cpu(a->dest_qpn);
	if (mask & A_PKEY)
		c->pkey_index = be16_to_cpu(a->pkey_index);
	if (mask & A_PORT)
		qp->port = a->port;
	if (mask & A_MTU)
		c->path_mtu = a->path_mtu;
	if (mask & A_TIMEOUT)
		c->timeout = a->timeout;
	if (mask & A_RETRY)
		c->retry_cnt = a->retry_cnt;
	if (mask & A_RNR_RETRY)
		c->rnr_retry = a->rnr_retry;
	if (mask & A_RNR_TIMER)
		c->min_rnr_timer = a->min_rnr_timer;
	if (mask & A_ACCESS)
		c->access = a->access;
	if (mask & A_RD_ATOMIC)
		c->max_rd_atomic = a->max_rd_atomic;
	if (mask & A_DEST_RD)
		c->max_dest_rd_atomic = a->max_dest_rd_atomic;
	if (mask & A_AV)
		c->av = a->av;
}

static struct vhca_sim_qp *vhca_sim_qp_find(struct vhca_sim_dev *sdev,
					    u32 qpn, u32 *synd)
{
	struct vhca_sim_qp *qp;

	lockdep_assert_held(&sdev->cmd.mutex);
	qp = xa_load(&sdev->res->qps, qpn);
	if (!qp)
		*synd = VHCA_SYND_BAD_QPN;
	return qp;
}

u8 vhca_sim_cmd_modify_qp(struct vhca_sim_dev *sdev, const void *in,
			  void *out, u32 *synd)
{
	const struct vhca_cmd_modify_qp_in *i = in;
	u32 mask = be32_to_cpu(i->attr_mask) | VHCA_QP_ATTR_STATE;
	u8 next = i->next_state;
	struct vhca_sim_qp *qp;
	u8 cur;

	qp = vhca_sim_qp_find(sdev, be32_to_cpu(i->qpn), synd);
	if (!qp)
		return VHCA_CMD_STAT_BAD_RESOURCE;

	/* the data path may move it to ERR: check against the real state */
	spin_lock_bh(&qp->lock);
	cur = qp->state;
	if ((mask & VHCA_QP_ATTR_CUR_STATE) && i->cur_state != cur)
		*synd = VHCA_SYND_QP_BAD_TRANSITION;
	else
		*synd = vhca_sim_qp_modify_check(qp->type, cur, next, mask);
	if (!*synd)
		*synd = vhca_sim_qp_attr_check(sdev, mask, &i->attr);
	if (*synd) {
		spin_unlock_bh(&qp->lock);
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	vhca_sim_qp_attr_apply(qp, mask, &i->attr);
	qp->state = next;
	/* a reset QP starts its receive queue over, as the driver does */
	if (next == VHCA_QPS_RESET)
		qp->rq_ci = 0;
	vhca_sim_qp_engine_modify(qp, cur, next);
	spin_unlock_bh(&qp->lock);
	return VHCA_CMD_STAT_OK;
}

u8 vhca_sim_cmd_query_qp(struct vhca_sim_dev *sdev, const void *in,
			 void *out, u32 *synd)
{
	const struct vhca_cmd_obj_in *i = in;
	struct vhca_cmd_query_qp_out *o = out;
	struct vhca_qp_ctx *ctx = &o->ctx;
	struct vhca_qp_attr *a = &o->attr;
	struct vhca_sim_qp_attr_cpu *c;
	struct vhca_sim_qp *qp;

	qp = vhca_sim_qp_find(sdev, be32_to_cpu(i->num), synd);
	if (!qp)
		return VHCA_CMD_STAT_BAD_RESOURCE;
	c = &qp->attr;
	ctx->type = qp->type;
	ctx->flags = qp->flags;
	ctx->pdn = cpu_to_be32(qp->pd->pdn);
	ctx->uar = cpu_to_be32(qp->uar);
	ctx->send_cqn = cpu_to_be32(qp->scq->cqn);
	ctx->recv_cqn = cpu_to_be32(qp->rcq->cqn);
	ctx->srqn = cpu_to_be32(qp->srq ? qp->srq->srqn : 0);
	ctx->log_sq_size = qp->log_sq_size;
	ctx->log_rq_size = qp->log_rq_size;
	ctx->log_rq_stride = qp->log_rq_stride;
	ctx->sq_addr = cpu_to_be64(qp->sq.addr);
	ctx->rq_addr = cpu_to_be64(qp->rq.addr);
	ctx->dbr_addr = cpu_to_be64(qp->dbr.addr);

	spin_lock_bh(&qp->lock);
	ctx->state = qp->state;
	ctx->port = qp->port;
	a->qkey = cpu_to_be32(c->qkey);
	a->rq_psn = cpu_to_be32(c->rq_psn);
	a->sq_psn = cpu_to_be32(c->sq_psn);
	a->dest_qpn = cpu_to_be32(c->dest_qpn);
	a->pkey_index = cpu_to_be16(c->pkey_index);
	a->port = qp->port;
	a->path_mtu = c->path_mtu;
	a->timeout = c->timeout;
	a->retry_cnt = c->retry_cnt;
	a->rnr_retry = c->rnr_retry;
	a->min_rnr_timer = c->min_rnr_timer;
	a->access = c->access;
	a->max_rd_atomic = c->max_rd_atomic;
	a->max_dest_rd_atomic = c->max_dest_rd_atomic;
	a->sq_draining = qp->state == VHCA_QPS_SQD && qp->req.cc != qp->req.ci;
	a->av = c->av;
	spin_unlock_bh(&qp->lock);
	return VHCA_CMD_STAT_OK;
}

#define VHCA_SIM_QP_FLAGS	(VHCA_QP_F_SRQ | VHCA_QP_F_NO_RQ | \
				 VHCA_QP_F_SIG_ALL | VHCA_QP_F_BLOCK_MC_LB | \
				 VHCA_QP_F_TX_MUX | VHCA_QP_F_RQ_ONLY)

/* A TX mux QP: UD, an SQ, no RQ (NO_RQ implied, no SRQ). An RQ-only QP:
 * UD, no SQ, an RQ or an SRQ. The sizes are checked by the caller.
 */
static u8 vhca_sim_qp_ctx_check_ofld(const struct vhca_qp_ctx *ctx,
				     u32 *synd)
{
	u8 f = ctx->flags;

	if (ctx->type != VHCA_QPT_UD) {
		*synd = VHCA_SYND_QP_BAD_TYPE;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	if ((f & VHCA_QP_F_TX_MUX) &&
	    (f & (VHCA_QP_F_RQ_ONLY | VHCA_QP_F_SRQ))) {
		*synd = VHCA_SYND_QP_BAD_ATTR;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	if ((f & VHCA_QP_F_RQ_ONLY) && (f & VHCA_QP_F_NO_RQ)) {
		*synd = VHCA_SYND_QP_BAD_ATTR;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	if ((f & VHCA_QP_F_TX_MUX) ? !ctx->log_sq_size : ctx->log_sq_size) {
		*synd = VHCA_SYND_BAD_SIZE;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	return VHCA_CMD_STAT_OK;
}

/* the type, port and queue sizes of a CREATE_QP context */
static u8 vhca_sim_qp_ctx_check(struct vhca_sim_dev *sdev,
				const struct vhca_qp_ctx *ctx, u32 *synd)
{
	bool special = ctx->type == VHCA_QPT_GSI || ctx->type == VHCA_QPT_SMI;
	bool has_rq = !(ctx->flags & (VHCA_QP_F_SRQ | VHCA_QP_F_NO_RQ |
				      VHCA_QP_F_TX_MUX));
	u8 st;

	if (vhca_sim_qp_class(ctx->type) < 0) {
		*synd = VHCA_SYND_QP_BAD_TYPE;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	if (special ? ctx->port < 1 || ctx->port > sdev->bdev.num_ports :
		      ctx->port) {
		*synd = VHCA_SYND_QP_BAD_PORT;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	if ((ctx->flags & ~VHCA_SIM_QP_FLAGS) ||
	    (ctx->flags & VHCA_QP_F_SRQ && ctx->flags & VHCA_QP_F_NO_RQ)) {
		*synd = VHCA_SYND_QP_BAD_ATTR;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	if (ctx->flags & (VHCA_QP_F_TX_MUX | VHCA_QP_F_RQ_ONLY)) {
		st = vhca_sim_qp_ctx_check_ofld(ctx, synd);
		if (st)
			return st;
	}
	if (ctx->log_sq_size > VHCA_SIM_LOG_MAX_QP_SZ ||
	    (has_rq && (ctx->log_rq_size > VHCA_SIM_LOG_MAX_QP_SZ ||
			ctx->log_rq_stride > VHCA_SIM_MAX_RQ_LOG_STRIDE))) {
		*synd = VHCA_SYND_BAD_SIZE;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	return VHCA_CMD_STAT_OK;
}

/* the objects a CREATE_QP context names; takes nothing yet */
static u8 vhca_sim_qp_ctx_objs(struct vhca_sim_dev *sdev,
			       const struct vhca_qp_ctx *ctx,
			       struct vhca_sim_qp *qp, u32 *synd)
{
	struct vhca_sim_res *res = sdev->res;

	qp->pd = vhca_sim_pd_find(sdev, be32_to_cpu(ctx->pdn));
	if (!qp->pd) {
		*synd = VHCA_SYND_BAD_PDN;
		return VHCA_CMD_STAT_BAD_RESOURCE;
	}
	qp->scq = xa_load(&res->cqs, be32_to_cpu(ctx->send_cqn));
	qp->rcq = xa_load(&res->cqs, be32_to_cpu(ctx->recv_cqn));
	if (!qp->scq || !qp->rcq) {
		*synd = VHCA_SYND_BAD_CQN;
		return VHCA_CMD_STAT_BAD_RESOURCE;
	}
	if (ctx->flags & VHCA_QP_F_SRQ) {
		qp->srq = xa_load(&res->srqs, be32_to_cpu(ctx->srqn));
		if (!qp->srq) {
			*synd = VHCA_SYND_BAD_SRQN;
			return VHCA_CMD_STAT_BAD_RESOURCE;
		}
	}
	if (!vhca_sim_uar_valid(sdev, be32_to_cpu(ctx->uar))) {
		*synd = VHCA_SYND_BAD_UAR;
		return VHCA_CMD_STAT_BAD_RESOURCE;
	}
	return VHCA_CMD_STAT_OK;
}

/* the rings and the doorbell record: aligned and reachable */
static bool vhca_sim_qp_windows_ok(struct vhca_sim_dev *sdev,
				   struct vhca_sim_qp *qp)
{
	if ((qp->sq.len && (!PAGE_ALIGNED(qp->sq.addr) ||
			    vhca_sim_dma_check(sdev, &qp->sq))) ||
	    (qp->rq.len && (!PAGE_ALIGNED(qp->rq.addr) ||
			    vhca_sim_dma_check(sdev, &qp->rq))))
		return false;
	return IS_ALIGNED(qp->dbr.addr, VHCA_DBR_SIZE) &&
	       !vhca_sim_dma_check(sdev, &qp->dbr);
}

u8 vhca_sim_cmd_create_qp(struct vhca_sim_dev *sdev, const void *in,
			  void *out, u32 *synd)
{
	const struct vhca_cmd_create_qp_in *i = in;
	const struct vhca_qp_ctx *ctx = &i->ctx;
	struct vhca_sim_res *res = sdev->res;
	struct vhca_cmd_obj_out *o = out;
	struct vhca_sim_qp *qp;
	bool special;
	u32 qpn;
	u8 st;

	st = vhca_sim_qp_ctx_check(sdev, ctx, synd);
	if (st)
		return st;
	special = ctx->type == VHCA_QPT_GSI || ctx->type == VHCA_QPT_SMI;
	if (special &&
	    rcu_access_pointer(res->special[ctx->port - 1]
				[ctx->type == VHCA_QPT_GSI])) {
		*synd = VHCA_SYND_IN_USE;
		return VHCA_CMD_STAT_RESOURCE_BUSY;
	}

	qp = kzalloc(sizeof(*qp), GFP_KERNEL);
	if (!qp)
		return VHCA_CMD_STAT_INT_ERR;
	st = vhca_sim_qp_ctx_objs(sdev, ctx, qp, synd);
	if (st)
		goto err_free;
	qp->sdev = sdev;
	qp->type = ctx->type;
	qp->flags = ctx->flags;
	/* a TX mux QP has no receive queue, whatever log_rq_size says */
	if (qp->flags & VHCA_QP_F_TX_MUX)
		qp->flags |= VHCA_QP_F_NO_RQ;
	qp->uar = be32_to_cpu(ctx->uar);
	qp->port = special ? ctx->port : 0;
	qp->log_sq_size = ctx->log_sq_size;
	qp->sq.addr = be64_to_cpu(ctx->sq_addr);
	qp->sq.len = ctx->log_sq_size ? VHCA_WQEBB << ctx->log_sq_size : 0;
	if (!qp->srq && !(qp->flags & VHCA_QP_F_NO_RQ)) {
		qp->log_rq_size = ctx->log_rq_size;
		qp->log_rq_stride = ctx->log_rq_stride;
		qp->rq.addr = be64_to_cpu(ctx->rq_addr);
		qp->rq.len = (size_t)(VHCA_WQE_DS << ctx->log_rq_stride) <<
			     ctx->log_rq_size;
	}
	qp->dbr.addr = be64_to_cpu(ctx->dbr_addr);
	qp->dbr.len = VHCA_DBR_SIZE;
	if (!vhca_sim_qp_windows_ok(sdev, qp)) {
		*synd = VHCA_SYND_BAD_ADDR;
		st = VHCA_CMD_STAT_BAD_PARAM;
		goto err_free;
	}
	/* reserve the QPN; the QP is stored only once it is complete */
	if (xa_alloc_cyclic(&res->qps, &qpn, NULL, VHCA_SIM_QPN_LIMIT,
			    &res->next_qpn, GFP_KERNEL) < 0) {
		*synd = VHCA_SYND_NO_RESOURCE;
		st = VHCA_CMD_STAT_EXCEED_LIM;
		goto err_free;
	}
	qp->qpn = qpn;
	refcount_set(&qp->ref, 1);
	init_completion(&qp->free_done);
	spin_lock_init(&qp->lock);
	INIT_LIST_HEAD(&qp->mcgs);
	qp->state = VHCA_QPS_RESET;
	vhca_sim_qp_engine_init(qp);

	qp->pd->users++;
	qp->scq->users++;
	qp->rcq->users++;
	if (qp->srq)
		qp->srq->users++;
	res->uar_users[qp->uar]++;
	xa_store(&res->qps, qpn, qp, GFP_KERNEL);
	if (special)
		rcu_assign_pointer(res->special[qp->port - 1]
				   [qp->type == VHCA_QPT_GSI], qp);
	o->num = cpu_to_be32(qpn);
	return VHCA_CMD_STAT_OK;

err_free:
	kfree(qp);
	return st;
}

/**
 * vhca_sim_qp_destroy - the destroy half of DESTROY_QP
 * @sdev: the device, cmd.mutex held
 * @qp: the QP
 *
 * Unpublishes the QP and its RSS table, detaches its multicast groups,
 * stops its engines, waits for the last lookup to let go, then releases
 * what it named.
 */
void vhca_sim_qp_destroy(struct vhca_sim_dev *sdev, struct vhca_sim_qp *qp)
{
	struct vhca_sim_res *res = sdev->res;

	vhca_sim_rss_clear(sdev, qp);
	xa_erase(&res->qps, qp->qpn);
	if (qp->type == VHCA_QPT_GSI || qp->type == VHCA_QPT_SMI)
		RCU_INIT_POINTER(res->special[qp->port - 1]
				 [qp->type == VHCA_QPT_GSI], NULL);
	vhca_sim_mcg_detach_qp(qp);
	vhca_sim_qp_engine_stop(qp);
	vhca_sim_qp_put(qp);
	wait_for_completion(&qp->free_done);

	res->uar_users[qp->uar]--;
	if (qp->srq)
		qp->srq->users--;
	qp->rcq->users--;
	qp->scq->users--;
	qp->pd->users--;
	kfree_rcu(qp, rcu);
}

u8 vhca_sim_cmd_destroy_qp(struct vhca_sim_dev *sdev, const void *in,
			   void *out, u32 *synd)
{
	const struct vhca_cmd_obj_in *i = in;
	struct vhca_sim_qp *qp;

	qp = vhca_sim_qp_find(sdev, be32_to_cpu(i->num), synd);
	if (!qp)
		return VHCA_CMD_STAT_BAD_RESOURCE;
	if (qp->rss_users) {
		/* an RQ-only QP an RSS table still names */
		*synd = VHCA_SYND_IN_USE;
		return VHCA_CMD_STAT_RESOURCE_BUSY;
	}
	vhca_sim_qp_destroy(sdev, qp);
	return VHCA_CMD_STAT_OK;
}

/**
 * vhca_sim_qp_event - raise an asynchronous QP event
 * @qp: the QP
 * @sub_type: VHCA_QP_EVENT_*
 *
 * Any context. The EQE goes to the EQ subscribed to VHCA_EVENT_QP.
 */
void vhca_sim_qp_event(struct vhca_sim_qp *qp, u8 sub_type)
{
	struct vhca_eqe_obj obj = { .num = cpu_to_be32(qp->qpn) };

	vhca_sim_eq_post_event(qp->sdev, VHCA_EVENT_QP, sub_type, &obj,
			       sizeof(obj));
}

/**
 * vhca_sim_qp_to_err - move a QP to ERR from the data path
 * @qp: the QP, qp->lock held
 *
 * The engines flush what is outstanding, as a MODIFY_QP to ERR would.
 */
void vhca_sim_qp_to_err(struct vhca_sim_qp *qp)
{
	u8 cur;

	lockdep_assert_held(&qp->lock);
	cur = qp->state;
	if (cur == VHCA_QPS_ERR)
		return;
	qp->state = VHCA_QPS_ERR;
	vhca_sim_qp_engine_modify(qp, cur, VHCA_QPS_ERR);
}
