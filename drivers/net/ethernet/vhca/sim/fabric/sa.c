// SPDX-License-Identifier: GPL-2.0
/*
 * The subnet administrator, on QP1 of the switch's management port (the
 * SM's LID). It answers SA MADs (class 0x03, version 2) as OpenSM would
 * for the attributes IB clients need:
 *
 *   ClassPortInfo   Get
 *   PathRecord      Get, GetTable
 *   MCMemberRecord  Set (join), Delete (leave), Get, GetTable (mcast.c)
 *
 * The switch hands packets over from any context (vhca_sa_rx()); they
 * wait on a bounded queue for a work item that parses them, answers under
 * the fabric's lock and sends the answers back through the switch once
 * the lock is dropped. A GetTableResp goes out as RMPP DATA segments, all
 * at once; the receiver's ACKs are counted and dropped.
 */

#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#include <rdma/ib_mad.h>
#include <rdma/ib_pack.h>
#include <rdma/ib_sa.h>

#include "../vhca_sim.h"
#include "fabric.h"
#include "sa_rec.h"
#include "wire.h"

/* packets waiting for the SA before it drops */
#define VHCA_SA_QUEUE_MAX	256
/* ClassPortInfo RespTimeValue: 4.096 us << 18, OpenSM's default */
#define VHCA_SA_RESP_TIME	18
/* largest GetTableResp, in RMPP segments */
#define VHCA_SA_MAX_SEGS	64
#define VHCA_SA_TABLE_BYTES	(VHCA_SA_MAX_SEGS * VHCA_SA_DATA_BYTES)
#define VHCA_SA_MAX_MCM_RECS	(VHCA_SA_TABLE_BYTES / VHCA_SA_MCM_REC_STRIDE)

/**
 * struct vhca_sa_ctx - the SA work's scratch space
 * @info: headers of the request being answered
 * @req: its MAD (copied out of the packet: aligned)
 * @resp: the MAD being sent
 * @comp_mask: the request's ComponentMask, CPU order
 * @mcm: MCMemberRecords of a query
 * @nrecs: records in @table
 * @table: records of a GetTableResp, each at a multiple of the stride
 *
 * Used by the SA work only, under &vhca_fabric.lock.
 */
struct vhca_sa_ctx {
	struct vhca_pkt_info info;
	struct ib_sa_mad req;
	struct ib_sa_mad resp;
	u64 comp_mask;
	struct vhca_sa_mcm_rec mcm[VHCA_SA_MAX_MCM_RECS];
	unsigned int nrecs;
	u8 table[VHCA_SA_TABLE_BYTES];
};

static_assert(sizeof(struct ib_sa_mad) == VHCA_MAD_BYTES);

/**
 * vhca_sa_port_gid - the GID of a port: subnet prefix, port GUID
 * @port: the port
 * @gid: 16 bytes, filled
 */
void vhca_sa_port_gid(const struct vhca_sim_port *port, u8 *gid)
{
	put_unaligned_be64(VHCA_FABRIC_SUBNET_PREFIX, gid);
	put_unaligned_be64(port->guid, gid + 8);
}

/**
 * vhca_sa_port_by_gid - the cabled port a GID names
 * @fab: the fabric, lock held
 * @gid: 16 bytes
 *
 * Return: the port, NULL if no port has the GID.
 */
struct vhca_sim_port *vhca_sa_port_by_gid(struct vhca_fabric *fab,
					  const u8 *gid)
{
	struct vhca_sim_port *port;
	u64 guid;

	lockdep_assert_held(&fab->lock);
	if (get_unaligned_be64(gid) != VHCA_FABRIC_SUBNET_PREFIX)
		return NULL;
	guid = get_unaligned_be64(gid + 8);
	list_for_each_entry(port, &fab->sw.ports, node)
		if (port->guid == guid)
			return port;
	return NULL;
}

/**
 * vhca_sa_port_pkey - a port's entry for a partition
 * @port: the port, fabric lock held
 * @pkey: a P_Key; the membership bit is ignored
 *
 * Return: the entry in the port's P_Key table with @pkey's base (with
 * its membership bit), 0 if the port is not in the partition.
 */
u16 vhca_sa_port_pkey(const struct vhca_sim_port *port, u16 pkey)
{
	unsigned int i;

	if (!(pkey & VHCA_PKEY_BASE_MASK))
		return 0;
	for (i = 0; i < VHCA_MAX_PKEYS; i++)
		if (port->pkeys[i] &&
		    (port->pkeys[i] & VHCA_PKEY_BASE_MASK) ==
		    (pkey & VHCA_PKEY_BASE_MASK))
			return port->pkeys[i];
	return 0;
}

static enum vhca_sa_attr_idx vhca_sa_attr_idx(u16 attr)
{
	switch (attr) {
	case IB_SA_ATTR_CLASS_PORTINFO:
		return VHCA_SA_ATTR_CPI;
	case IB_SA_ATTR_PATH_REC:
		return VHCA_SA_ATTR_PATH;
	case IB_SA_ATTR_MC_MEMBER_REC:
		return VHCA_SA_ATTR_MCM;
	default:
		return VHCA_SA_ATTR_OTHER;
	}
}

static enum vhca_sa_method_idx vhca_sa_method_idx(u8 method)
{
	switch (method) {
	case IB_MGMT_METHOD_GET:
		return VHCA_SA_METHOD_GET;
	case IB_SA_METHOD_GET_TABLE:
		return VHCA_SA_METHOD_GET_TABLE;
	case IB_MGMT_METHOD_SET:
		return VHCA_SA_METHOD_SET;
	case IB_SA_METHOD_DELETE:
		return VHCA_SA_METHOD_DELETE;
	default:
		return VHCA_SA_METHOD_OTHER;
	}
}

/* the response method of a request method */
static u8 vhca_sa_resp_method(u8 method)
{
	switch (method) {
	case IB_MGMT_METHOD_GET:
	case IB_MGMT_METHOD_SET:
		return IB_MGMT_METHOD_GET_RESP;
	case IB_SA_METHOD_GET_TABLE:
		return IB_SA_METHOD_GET_TABLE_RESP;
	case IB_SA_METHOD_DELETE:
		return IB_SA_METHOD_DELETE_RESP;
	default:
		return method | IB_MGMT_METHOD_RESP;
	}
}

static enum vhca_sa_err_idx vhca_sa_err_idx(u16 status)
{
	switch (status) {
	case IB_MGMT_MAD_STATUS_BAD_VERSION:
		return VHCA_SA_E_BAD_VERSION;
	case IB_MGMT_MAD_STATUS_UNSUPPORTED_METHOD:
		return VHCA_SA_E_METHOD;
	case IB_MGMT_MAD_STATUS_UNSUPPORTED_METHOD_ATTRIB:
		return VHCA_SA_E_METHOD_ATTR;
	default:
		return VHCA_SA_E_NO_RESOURCES + (status >> 8) - 1;
	}
}

/* queue ctx->resp to the requester, as a UD SEND from QP1 of the switch */
static void vhca_sa_send(struct vhca_fabric *fab, struct list_head *out)
{
	struct vhca_sa_ctx *ctx = fab->sa.ctx;
	const struct vhca_pkt_info *req = &ctx->info;
	struct vhca_pkt_info info = {
		.sl = req->sl,
		.dlid = req->slid,
		.slid = fab->sw.lid,
		.grh = req->grh,
		.opcode = IB_OPCODE_UD_SEND_ONLY,
		.pkey = req->pkey,
		.dqpn = req->sqpn,
		.psn = fab->sa.psn++ & VHCA_PSN_MASK,
		.qkey = VHCA_QKEY_GSI,
		.sqpn = VHCA_QPN_GSI,
		.payload = (const u8 *)&ctx->resp,
		.payload_len = VHCA_MAD_BYTES,
	};
	struct vhca_pkt *pkt;

	if (req->grh) {
		info.tclass = req->tclass;
		info.flow_label = req->flow_label;
		info.hop_limit = req->hop_limit;
		memcpy(info.sgid, req->dgid, sizeof(info.sgid));
		memcpy(info.dgid, req->sgid, sizeof(info.dgid));
	}
	pkt = vhca_wire_build(&info, GFP_KERNEL);
	if (!pkt) {
		fab->sa.stats.response_errors++;
		return;
	}
	pkt->ingress = NULL;
	list_add_tail(&pkt->list, out);
	fab->sa.stats.responses++;
}

/* the request echoed back with an error status */
static void vhca_sa_error(struct vhca_fabric *fab, u16 status,
			  struct list_head *out)
{
	struct vhca_sa_ctx *ctx = fab->sa.ctx;

	ctx->resp = ctx->req;
	ctx->resp.mad_hdr.method = vhca_sa_resp_method(ctx->req.mad_hdr.method);
	ctx->resp.mad_hdr.status = cpu_to_be16(status);
	memset(&ctx->resp.rmpp_hdr, 0, sizeof(ctx->resp.rmpp_hdr));
	fab->sa.stats.errors[vhca_sa_err_idx(status)]++;
	vhca_sa_send(fab, out);
}

static void vhca_sa_sa_error(struct vhca_fabric *fab, u8 err,
			     struct list_head *out)
{
	vhca_sa_error(fab, VHCA_SA_STATUS(err), out);
}

/* a successful response's headers, data area zeroed */
static void vhca_sa_resp_init(struct vhca_sa_ctx *ctx)
{
	memset(&ctx->resp, 0, sizeof(ctx->resp));
	ctx->resp.mad_hdr = ctx->req.mad_hdr;
	ctx->resp.mad_hdr.method = vhca_sa_resp_method(ctx->req.mad_hdr.method);
	ctx->resp.mad_hdr.status = 0;
	ctx->resp.mad_hdr.class_specific = 0;
	ctx->resp.sa_hdr.comp_mask = ctx->req.sa_hdr.comp_mask;
}

/* GetTableResp: ctx->nrecs records of @stride bytes in ctx->table */
static void vhca_sa_send_table(struct vhca_fabric *fab, unsigned int stride,
			       struct list_head *out)
{
	struct vhca_sa_ctx *ctx = fab->sa.ctx;
	u32 len = ctx->nrecs * stride;
	unsigned int seg, nsegs = vhca_sa_rmpp_segments(len);

	for (seg = 1; seg <= nsegs; seg++) {
		vhca_sa_resp_init(ctx);
		vhca_sa_rmpp_data_hdr(&ctx->resp.rmpp_hdr, len, seg);
		ctx->resp.sa_hdr.attr_offset = cpu_to_be16(stride / 8);
		memcpy(ctx->resp.data,
		       ctx->table + (seg - 1) * VHCA_SA_DATA_BYTES,
		       vhca_sa_rmpp_seg_len(len, seg));
		vhca_sa_send(fab, out);
	}
}

static void vhca_sa_cpi(struct vhca_fabric *fab, u8 method,
			struct list_head *out)
{
	struct vhca_sa_cpi cpi = {
		.base_version = IB_MGMT_BASE_VERSION,
		.class_version = VHCA_SA_CLASS_VERSION,
		/* join state SendOnlyFullMember is understood */
		.cap_mask2 = IB_SA_CAP_MASK2_SENDONLY_FULL_MEM_SUPPORT,
		.resp_time = VHCA_SA_RESP_TIME,
	};

	if (method != IB_MGMT_METHOD_GET) {
		vhca_sa_error(fab, IB_MGMT_MAD_STATUS_UNSUPPORTED_METHOD_ATTRIB,
			      out);
		return;
	}
	vhca_sa_resp_init(fab->sa.ctx);
	vhca_sa_cpi_pack(&cpi, fab->sa.ctx->resp.data);
	vhca_sa_send(fab, out);
}

/* the selector a component is compared with: EQ if not given */
static u8 vhca_sa_sel(u64 mask, u64 sel_bit, u8 sel)
{
	return mask & sel_bit ? sel : VHCA_SA_SEL_EQ;
}

/* The MTU of a path: any of 256 .. 4096 the selector allows, the
 * largest when it allows several. 0 if none.
 */
static u8 vhca_sa_path_mtu(const struct vhca_sa_path_rec *req, u64 mask)
{
	if (!(mask & VHCA_PR_COMP_MTU))
		return VHCA_SA_MTU;
	switch (vhca_sa_sel(mask, VHCA_PR_COMP_MTU_SEL, req->mtu_sel)) {
	case VHCA_SA_SEL_GT:
		return req->mtu < VHCA_SA_MTU ? VHCA_SA_MTU : 0;
	case VHCA_SA_SEL_LT:
		return req->mtu > VHCA_MTU_256 ?
		       min_t(u8, req->mtu - 1, VHCA_SA_MTU) : 0;
	case VHCA_SA_SEL_EQ:
		return req->mtu >= VHCA_MTU_256 && req->mtu <= VHCA_SA_MTU ?
		       req->mtu : 0;
	default:
		return VHCA_SA_MTU;
	}
}

/* The path from @src to @dst if it has what the request asks for. Every
 * path is one hop through the switch: SL 0, no flow label, hop limit or
 * traffic class, MTU up to 4096, 100 Gb/s, the same packet life time.
 */
static bool vhca_sa_path_fill(struct vhca_sim_port *src,
			      struct vhca_sim_port *dst,
			      const struct vhca_sa_path_rec *req, u64 mask,
			      struct vhca_sa_path_rec *rec)
{
	u16 pkey = VHCA_PKEY_DEFAULT, a, b;
	u8 mtu;

	if (src->state != VHCA_PORT_STATE_ACTIVE ||
	    dst->state != VHCA_PORT_STATE_ACTIVE)
		return false;
	if (((mask & VHCA_PR_COMP_RAW_TRAFFIC) && req->raw_traffic) ||
	    ((mask & VHCA_PR_COMP_FLOW_LABEL) && req->flow_label) ||
	    ((mask & VHCA_PR_COMP_HOP_LIMIT) && req->hop_limit) ||
	    ((mask & VHCA_PR_COMP_TCLASS) && req->tclass) ||
	    ((mask & VHCA_PR_COMP_QOS_CLASS) && req->qos_class) ||
	    ((mask & VHCA_PR_COMP_SL) && req->sl != VHCA_FABRIC_SM_SL))
		return false;
	if (mask & VHCA_PR_COMP_PKEY) {
		pkey = req->pkey;
		a = vhca_sa_port_pkey(src, pkey);
		b = vhca_sa_port_pkey(dst, pkey);
		/* two limited members cannot talk */
		if (!a || !b || !((a | b) & VHCA_PKEY_MEMBER))
			return false;
	}
	mtu = vhca_sa_path_mtu(req, mask);
	if (!mtu)
		return false;
	if ((mask & VHCA_PR_COMP_RATE) &&
	    !vhca_sa_selector_ok(vhca_sa_sel(mask, VHCA_PR_COMP_RATE_SEL,
					     req->rate_sel),
				 vhca_sa_rate_mbps(req->rate),
				 vhca_sa_rate_mbps(VHCA_SA_RATE)))
		return false;
	if ((mask & VHCA_PR_COMP_PLT) &&
	    !vhca_sa_selector_ok(vhca_sa_sel(mask, VHCA_PR_COMP_PLT_SEL,
					     req->plt_sel),
				 req->plt, VHCA_SA_PLT))
		return false;

	memset(rec, 0, sizeof(*rec));
	if (mask & VHCA_PR_COMP_SERVICE_ID)
		rec->service_id = req->service_id;
	vhca_sa_port_gid(dst, rec->dgid);
	vhca_sa_port_gid(src, rec->sgid);
	rec->dlid = dst->lid;
	rec->slid = src->lid;
	rec->reversible = true;
	rec->numb_path = 1;
	rec->pkey = pkey;
	rec->sl = VHCA_FABRIC_SM_SL;
	rec->mtu_sel = VHCA_SA_SEL_EQ;
	rec->mtu = mtu;
	rec->rate_sel = VHCA_SA_SEL_EQ;
	rec->rate = VHCA_SA_RATE;
	rec->plt_sel = VHCA_SA_SEL_EQ;
	rec->plt = VHCA_SA_PLT;
	return true;
}

/* One end of a path: by GID, by LID, both (they must agree) or any
 * port (*port NULL). Returns 0, or an SA error; *none when the request
 * can match nothing.
 */
static u8 vhca_sa_path_end(struct vhca_fabric *fab, const u8 *gid, u16 lid,
			   bool by_gid, bool by_lid,
			   struct vhca_sim_port **port, bool *none)
{
	struct vhca_sim_port *p;

	*port = NULL;
	if (by_gid) {
		*port = vhca_sa_port_by_gid(fab, gid);
		if (!*port)
			return VHCA_SA_ERR_REQ_INVALID_GID;
	}
	if (by_lid) {
		p = xa_load(&fab->sw.lft, lid);
		if (!p || (*port && *port != p))
			*none = true;
		*port = p;
	}
	return 0;
}

static void vhca_sa_path(struct vhca_fabric *fab, u8 method,
			 struct list_head *out)
{
	struct vhca_sa_ctx *ctx = fab->sa.ctx;
	u64 mask = ctx->comp_mask;
	struct vhca_sim_port *s, *d, *src, *dst;
	struct vhca_sa_path_rec req, rec;
	bool none = false;
	u8 err;

	if (method != IB_MGMT_METHOD_GET && method != IB_SA_METHOD_GET_TABLE) {
		vhca_sa_error(fab, IB_MGMT_MAD_STATUS_UNSUPPORTED_METHOD_ATTRIB,
			      out);
		return;
	}
	vhca_sa_path_rec_unpack(ctx->req.data, &req);
	err = vhca_sa_path_end(fab, req.sgid, req.slid,
			       mask & VHCA_PR_COMP_SGID,
			       mask & VHCA_PR_COMP_SLID, &s, &none);
	if (!err)
		err = vhca_sa_path_end(fab, req.dgid, req.dlid,
				       mask & VHCA_PR_COMP_DGID,
				       mask & VHCA_PR_COMP_DLID, &d, &none);
	if (!err && method == IB_MGMT_METHOD_GET && !none && (!s || !d))
		err = VHCA_SA_ERR_REQ_INSUFFICIENT_COMPONENTS;
	if (err) {
		vhca_sa_sa_error(fab, err, out);
		return;
	}

	ctx->nrecs = 0;
	memset(ctx->table, 0, sizeof(ctx->table));
	list_for_each_entry(src, &fab->sw.ports, node) {
		if (none || (s && src != s))
			continue;
		list_for_each_entry(dst, &fab->sw.ports, node) {
			if ((d && dst != d) ||
			    !vhca_sa_path_fill(src, dst, &req, mask, &rec))
				continue;
			if ((ctx->nrecs + 1) * VHCA_SA_PATH_REC_STRIDE >
			    sizeof(ctx->table)) {
				vhca_sa_sa_error(fab, VHCA_SA_ERR_NO_RESOURCES,
						 out);
				return;
			}
			vhca_sa_path_rec_pack(&rec, ctx->table + ctx->nrecs *
					      VHCA_SA_PATH_REC_STRIDE);
			ctx->nrecs++;
		}
	}

	if (method == IB_SA_METHOD_GET_TABLE) {
		vhca_sa_send_table(fab, VHCA_SA_PATH_REC_STRIDE, out);
		return;
	}
	if (!ctx->nrecs) {
		vhca_sa_sa_error(fab, VHCA_SA_ERR_NO_RECORDS, out);
		return;
	}
	vhca_sa_resp_init(ctx);
	memcpy(ctx->resp.data, ctx->table, sizeof(struct vhca_sa_path_rec_wire));
	vhca_sa_send(fab, out);
}

static void vhca_sa_mcm(struct vhca_fabric *fab, u8 method,
			struct list_head *out)
{
	struct vhca_sa_ctx *ctx = fab->sa.ctx;
	struct vhca_sa_mcm_rec req, rec;
	struct vhca_sim_port *requester;
	unsigned int i, n;
	u8 err;

	vhca_sa_mcm_rec_unpack(ctx->req.data, &req);
	requester = xa_load(&fab->sw.lft, ctx->info.slid);
	switch (method) {
	case IB_MGMT_METHOD_SET:
		err = vhca_mcast_join(fab, requester, &req, ctx->comp_mask,
				      &rec);
		break;
	case IB_SA_METHOD_DELETE:
		err = vhca_mcast_leave(fab, requester, &req, ctx->comp_mask,
				       &rec);
		break;
	case IB_MGMT_METHOD_GET:
		n = vhca_mcast_query(fab, &req, ctx->comp_mask, &rec, 1);
		err = n ? 0 : VHCA_SA_ERR_NO_RECORDS;
		break;
	case IB_SA_METHOD_GET_TABLE:
		n = vhca_mcast_query(fab, &req, ctx->comp_mask, ctx->mcm,
				     VHCA_SA_MAX_MCM_RECS);
		if (n > VHCA_SA_MAX_MCM_RECS) {
			vhca_sa_sa_error(fab, VHCA_SA_ERR_NO_RESOURCES, out);
			return;
		}
		memset(ctx->table, 0, sizeof(ctx->table));
		for (i = 0; i < n; i++)
			vhca_sa_mcm_rec_pack(&ctx->mcm[i], ctx->table +
					     i * VHCA_SA_MCM_REC_STRIDE);
		ctx->nrecs = n;
		vhca_sa_send_table(fab, VHCA_SA_MCM_REC_STRIDE, out);
		return;
	default:
		vhca_sa_error(fab, IB_MGMT_MAD_STATUS_UNSUPPORTED_METHOD_ATTRIB,
			      out);
		return;
	}
	if (err) {
		vhca_sa_sa_error(fab, err, out);
		return;
	}
	vhca_sa_resp_init(ctx);
	vhca_sa_mcm_rec_pack(&rec, ctx->resp.data);
	vhca_sa_send(fab, out);
}

/* RMPP MADs the SA does not answer: the receiver's ACKs of our table
 * segments (ib_mad sends them with the request method, GetTable), its
 * STOPs and ABORTs, and segmented requests (ours all fit in one MAD).
 * Returns true if the MAD was one of those (counted, dropped).
 */
static bool vhca_sa_rmpp_rx(struct vhca_fabric *fab)
{
	const struct ib_sa_mad *mad = &fab->sa.ctx->req;
	const struct ib_rmpp_hdr *rmpp = &mad->rmpp_hdr;
	u8 single = IB_MGMT_RMPP_FLAG_ACTIVE | IB_MGMT_RMPP_FLAG_FIRST |
		    IB_MGMT_RMPP_FLAG_LAST;

	if (mad->mad_hdr.mgmt_class != IB_MGMT_CLASS_SUBN_ADM ||
	    !(rmpp->rmpp_rtime_flags & IB_MGMT_RMPP_FLAG_ACTIVE))
		return false;
	if (rmpp->rmpp_type == IB_MGMT_RMPP_TYPE_ACK) {
		fab->sa.stats.rmpp_acks++;
		return true;
	}
	if (rmpp->rmpp_type == IB_MGMT_RMPP_TYPE_DATA &&
	    (rmpp->rmpp_rtime_flags & single) == single)
		return false;
	fab->sa.stats.rmpp_other++;
	return true;
}

/* answer one packet; the answers are queued on @out */
static void vhca_sa_handle(struct vhca_fabric *fab, const struct vhca_pkt *pkt,
			   struct list_head *out)
{
	struct vhca_sa_ctx *ctx = fab->sa.ctx;
	struct vhca_sa_stats *st = &fab->sa.stats;
	const struct ib_mad_hdr *hdr = &ctx->req.mad_hdr;
	u16 attr;

	lockdep_assert_held(&fab->lock);
	if (vhca_wire_parse(pkt, &ctx->info) ||
	    ctx->info.opcode != IB_OPCODE_UD_SEND_ONLY ||
	    ctx->info.dqpn != VHCA_QPN_GSI ||
	    ctx->info.qkey != VHCA_QKEY_GSI ||
	    ctx->info.payload_len != VHCA_MAD_BYTES) {
		st->bad_packets++;
		return;
	}
	memcpy(&ctx->req, ctx->info.payload, VHCA_MAD_BYTES);
	ctx->info.payload = NULL;

	if (vhca_sa_rmpp_rx(fab))
		return;
	if (hdr->method & IB_MGMT_METHOD_RESP) {
		/* nothing the SA sent asks for an answer */
		st->resp_ignored++;
		return;
	}
	if (hdr->base_version != IB_MGMT_BASE_VERSION ||
	    hdr->mgmt_class != IB_MGMT_CLASS_SUBN_ADM ||
	    hdr->class_version != VHCA_SA_CLASS_VERSION) {
		vhca_sa_error(fab, IB_MGMT_MAD_STATUS_BAD_VERSION, out);
		return;
	}
	attr = be16_to_cpu(hdr->attr_id);
	st->requests[vhca_sa_attr_idx(attr)][vhca_sa_method_idx(hdr->method)]++;
	ctx->comp_mask = be64_to_cpu((__force __be64)ctx->req.sa_hdr.comp_mask);

	switch (hdr->method) {
	case IB_MGMT_METHOD_GET:
	case IB_MGMT_METHOD_SET:
	case IB_SA_METHOD_GET_TABLE:
	case IB_SA_METHOD_DELETE:
		break;
	case IB_MGMT_METHOD_TRAP_REPRESS:
		/* answers a trap; the SA sends none, and it has no reply */
		return;
	default:
		vhca_sa_error(fab, IB_MGMT_MAD_STATUS_UNSUPPORTED_METHOD, out);
		return;
	}
	switch (attr) {
	case IB_SA_ATTR_CLASS_PORTINFO:
		vhca_sa_cpi(fab, hdr->method, out);
		break;
	case IB_SA_ATTR_PATH_REC:
		vhca_sa_path(fab, hdr->method, out);
		break;
	case IB_SA_ATTR_MC_MEMBER_REC:
		vhca_sa_mcm(fab, hdr->method, out);
		break;
	default:
		vhca_sa_error(fab, IB_MGMT_MAD_STATUS_UNSUPPORTED_METHOD_ATTRIB,
			      out);
		break;
	}
}

static void vhca_sa_work(struct work_struct *work)
{
	struct vhca_sa *sa = container_of(work, struct vhca_sa, work);
	struct vhca_fabric *fab = container_of(sa, struct vhca_fabric, sa);
	struct vhca_pkt *pkt, *ptmp, *rsp, *rtmp;
	LIST_HEAD(todo);
	LIST_HEAD(out);

	spin_lock_irq(&sa->lock);
	list_splice_init(&sa->queue, &todo);
	sa->queued = 0;
	spin_unlock_irq(&sa->lock);

	list_for_each_entry_safe(pkt, ptmp, &todo, list) {
		list_del(&pkt->list);
		mutex_lock(&fab->lock);
		vhca_sa_handle(fab, pkt, &out);
		mutex_unlock(&fab->lock);
		vhca_pkt_free(pkt);
		/* the switch may take port locks: not under the fabric's */
		list_for_each_entry_safe(rsp, rtmp, &out, list) {
			list_del(&rsp->list);
			vhca_switch_xmit(fab, rsp);
		}
	}
}

/**
 * vhca_sa_rx - a packet for QP1 of the switch
 * @fab: the fabric
 * @pkt: the packet; consumed
 *
 * Any context but hardirq, any lock held: the packet is queued for the
 * SA's work (dropped and counted when VHCA_SA_QUEUE_MAX are waiting).
 */
void vhca_sa_rx(struct vhca_fabric *fab, struct vhca_pkt *pkt)
{
	struct vhca_sa *sa = &fab->sa;
	unsigned long flags;

	spin_lock_irqsave(&sa->lock, flags);
	if (!sa->dead && sa->queued < VHCA_SA_QUEUE_MAX) {
		list_add_tail(&pkt->list, &sa->queue);
		sa->queued++;
		sa->received++;
		queue_work(system_wq, &sa->work);
		pkt = NULL;
	} else {
		sa->queue_drops++;
	}
	spin_unlock_irqrestore(&sa->lock, flags);
	vhca_pkt_free(pkt);
}

static int vhca_sa_show(struct seq_file *m, void *unused)
{
	static const char * const attrs[] = {
		"class_port_info", "path_record", "mcmember_record", "other",
	};
	static const char * const methods[] = {
		"get", "get_table", "set", "delete", "other",
	};
	static const char * const errs[] = {
		"bad_version", "unsupported_method", "unsupported_attr",
		"no_resources", "req_invalid", "no_records",
		"too_many_records", "invalid_gid", "insufficient_components",
	};
	struct vhca_fabric *fab = m->private;
	struct vhca_sa_stats *st = &fab->sa.stats;
	u64 received, drops;
	unsigned int a, i;

	static_assert(ARRAY_SIZE(attrs) == VHCA_SA_NUM_ATTRS);
	static_assert(ARRAY_SIZE(methods) == VHCA_SA_NUM_METHODS);
	static_assert(ARRAY_SIZE(errs) == VHCA_SA_NUM_ERRS);

	mutex_lock(&fab->lock);
	spin_lock_irq(&fab->sa.lock);
	received = fab->sa.received;
	drops = fab->sa.queue_drops;
	spin_unlock_irq(&fab->sa.lock);

	seq_printf(m, "received: %llu\nqueue_drops: %llu\nbad_packets: %llu\n",
		   received, drops, st->bad_packets);
	for (a = 0; a < VHCA_SA_NUM_ATTRS; a++)
		for (i = 0; i < VHCA_SA_NUM_METHODS; i++)
			seq_printf(m, "request_%s_%s: %llu\n", attrs[a],
				   methods[i], st->requests[a][i]);
	seq_printf(m, "responses: %llu\nresponse_errors: %llu\n",
		   st->responses, st->response_errors);
	for (i = 0; i < VHCA_SA_NUM_ERRS; i++)
		seq_printf(m, "error_%s: %llu\n", errs[i], st->errors[i]);
	seq_printf(m, "rmpp_acks: %llu\nrmpp_other: %llu\nresp_ignored: %llu\n",
		   st->rmpp_acks, st->rmpp_other, st->resp_ignored);
	mutex_unlock(&fab->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vhca_sa);

/**
 * vhca_sa_debugfs_init - the read-only file vhca_sim/fabric/sa
 * @fab: the fabric, its debugfs directory created
 */
void vhca_sa_debugfs_init(struct vhca_fabric *fab)
{
	debugfs_create_file("sa", 0400, fab->ddir, fab, &vhca_sa_fops);
}

/**
 * vhca_sa_init - an SA with an empty queue
 * @fab: the fabric
 *
 * Return: 0 or -ENOMEM.
 */
int vhca_sa_init(struct vhca_fabric *fab)
{
	struct vhca_sa *sa = &fab->sa;

	memset(sa, 0, sizeof(*sa));
	sa->ctx = kvzalloc(sizeof(*sa->ctx), GFP_KERNEL);
	if (!sa->ctx)
		return -ENOMEM;
	spin_lock_init(&sa->lock);
	INIT_LIST_HEAD(&sa->queue);
	INIT_WORK(&sa->work, vhca_sa_work);
	return 0;
}

/**
 * vhca_sa_uninit - stop the SA: no packet is taken or answered after this
 * @fab: the fabric
 *
 * Packets still queued are freed.
 */
void vhca_sa_uninit(struct vhca_fabric *fab)
{
	struct vhca_sa *sa = &fab->sa;
	struct vhca_pkt *pkt, *tmp;
	LIST_HEAD(todo);

	spin_lock_irq(&sa->lock);
	sa->dead = true;
	spin_unlock_irq(&sa->lock);
	cancel_work_sync(&sa->work);

	spin_lock_irq(&sa->lock);
	list_splice_init(&sa->queue, &todo);
	sa->queued = 0;
	spin_unlock_irq(&sa->lock);
	list_for_each_entry_safe(pkt, tmp, &todo, list) {
		list_del(&pkt->list);
		vhca_pkt_free(pkt);
	}
	kvfree(sa->ctx);
	sa->ctx = NULL;
}
