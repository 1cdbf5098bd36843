// SPDX-License-Identifier: GPL-2.0
/*
 * SA record codecs: PathRecord, MCMemberRecord and ClassPortInfo to and
 * from the IBA wire layouts of sa_rec.h, the RMPP DATA headers of a
 * multi-segment GetTableResp, and the small rules the SA and the groups
 * share (broadcast MGIDs, rates, selectors). Pure functions, tested by
 * sa_test.c.
 */

#include <linux/bitfield.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <asm/byteorder.h>

#include "../vhca_sim.h"
#include "fabric.h"
#include "sa_rec.h"

static u8 vhca_sa_sel_pack(u8 sel, u8 val)
{
	return FIELD_PREP(VHCA_SA_SELECTOR, sel) |
	       FIELD_PREP(VHCA_SA_VALUE, val);
}

/**
 * vhca_sa_path_rec_pack - a PathRecord into its 64-byte wire layout
 * @rec: the record
 * @buf: 64 bytes, written in full (reserved bytes zeroed)
 */
void vhca_sa_path_rec_pack(const struct vhca_sa_path_rec *rec, void *buf)
{
	struct vhca_sa_path_rec_wire *w = buf;

	memset(w, 0, sizeof(*w));
	w->service_id = cpu_to_be64(rec->service_id);
	memcpy(w->dgid, rec->dgid, sizeof(w->dgid));
	memcpy(w->sgid, rec->sgid, sizeof(w->sgid));
	w->dlid = cpu_to_be16(rec->dlid);
	w->slid = cpu_to_be16(rec->slid);
	w->raw_fl_hop = cpu_to_be32(FIELD_PREP(VHCA_PR_RAW_TRAFFIC,
					       rec->raw_traffic) |
				    FIELD_PREP(VHCA_PR_FLOW_LABEL,
					       rec->flow_label) |
				    FIELD_PREP(VHCA_PR_HOP_LIMIT,
					       rec->hop_limit));
	w->tclass = rec->tclass;
	w->rev_numb = FIELD_PREP(VHCA_PR_REVERSIBLE, rec->reversible) |
		      FIELD_PREP(VHCA_PR_NUMB_PATH, rec->numb_path);
	w->pkey = cpu_to_be16(rec->pkey);
	w->qos_sl = cpu_to_be16(FIELD_PREP(VHCA_PR_QOS_CLASS, rec->qos_class) |
				FIELD_PREP(VHCA_PR_SL, rec->sl));
	w->mtu = vhca_sa_sel_pack(rec->mtu_sel, rec->mtu);
	w->rate = vhca_sa_sel_pack(rec->rate_sel, rec->rate);
	w->plt = vhca_sa_sel_pack(rec->plt_sel, rec->plt);
	w->preference = rec->preference;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_sa_path_rec_pack);

/**
 * vhca_sa_path_rec_unpack - a PathRecord from its wire layout
 * @buf: 64 bytes
 * @rec: filled
 */
void vhca_sa_path_rec_unpack(const void *buf, struct vhca_sa_path_rec *rec)
{
	const struct vhca_sa_path_rec_wire *w = buf;
	u32 raw_fl_hop = be32_to_cpu(w->raw_fl_hop);
	u16 qos_sl = be16_to_cpu(w->qos_sl);

	memset(rec, 0, sizeof(*rec));
	rec->service_id = be64_to_cpu(w->service_id);
	memcpy(rec->dgid, w->dgid, sizeof(rec->dgid));
	memcpy(rec->sgid, w->sgid, sizeof(rec->sgid));
	rec->dlid = be16_to_cpu(w->dlid);
	rec->slid = be16_to_cpu(w->slid);
	rec->raw_traffic = FIELD_GET(VHCA_PR_RAW_TRAFFIC, raw_fl_hop);
	rec->flow_label = FIELD_GET(VHCA_PR_FLOW_LABEL, raw_fl_hop);
	rec->hop_limit = FIELD_GET(VHCA_PR_HOP_LIMIT, raw_fl_hop);
	rec->tclass = w->tclass;
	rec->reversible = FIELD_GET(VHCA_PR_REVERSIBLE, w->rev_numb);
	rec->numb_path = FIELD_GET(VHCA_PR_NUMB_PATH, w->rev_numb);
	rec->pkey = be16_to_cpu(w->pkey);
	rec->qos_class = FIELD_GET(VHCA_PR_QOS_CLASS, qos_sl);
	rec->sl = FIELD_GET(VHCA_PR_SL, qos_sl);
	rec->mtu_sel = FIELD_GET(VHCA_SA_SELECTOR, w->mtu);
	rec->mtu = FIELD_GET(VHCA_SA_VALUE, w->mtu);
	rec->rate_sel = FIELD_GET(VHCA_SA_SELECTOR, w->rate);
	rec->rate = FIELD_GET(VHCA_SA_VALUE, w->rate);
	rec->plt_sel = FIELD_GET(VHCA_SA_SELECTOR, w->plt);
	rec->plt = FIELD_GET(VHCA_SA_VALUE, w->plt);
	rec->preference = w->preference;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_sa_path_rec_unpack);

/**
 * vhca_sa_mcm_rec_pack - an MCMemberRecord into its 52-byte wire layout
 * @rec: the record
 * @buf: 52 bytes, written in full
 */
void vhca_sa_mcm_rec_pack(const struct vhca_sa_mcm_rec *rec, void *buf)
{
	struct vhca_sa_mcm_rec_wire *w = buf;

	memset(w, 0, sizeof(*w));
	memcpy(w->mgid, rec->mgid, sizeof(w->mgid));
	memcpy(w->port_gid, rec->port_gid, sizeof(w->port_gid));
	w->qkey = cpu_to_be32(rec->qkey);
	w->mlid = cpu_to_be16(rec->mlid);
	w->mtu = vhca_sa_sel_pack(rec->mtu_sel, rec->mtu);
	w->tclass = rec->tclass;
	w->pkey = cpu_to_be16(rec->pkey);
	w->rate = vhca_sa_sel_pack(rec->rate_sel, rec->rate);
	w->plt = vhca_sa_sel_pack(rec->plt_sel, rec->plt);
	w->sl_fl_hop = cpu_to_be32(FIELD_PREP(VHCA_MCM_SL, rec->sl) |
				   FIELD_PREP(VHCA_MCM_FLOW_LABEL,
					      rec->flow_label) |
				   FIELD_PREP(VHCA_MCM_HOP_LIMIT,
					      rec->hop_limit));
	w->scope_join = FIELD_PREP(VHCA_MCM_SCOPE, rec->scope) |
			FIELD_PREP(VHCA_MCM_JOIN_STATE, rec->join_state);
	w->proxy = FIELD_PREP(VHCA_MCM_PROXY_JOIN, rec->proxy_join);
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_sa_mcm_rec_pack);

/**
 * vhca_sa_mcm_rec_unpack - an MCMemberRecord from its wire layout
 * @buf: 52 bytes
 * @rec: filled
 */
void vhca_sa_mcm_rec_unpack(const void *buf, struct vhca_sa_mcm_rec *rec)
{
	const struct vhca_sa_mcm_rec_wire *w = buf;
	u32 sl_fl_hop = be32_to_cpu(w->sl_fl_hop);

	memset(rec, 0, sizeof(*rec));
	memcpy(rec->mgid, w->mgid, sizeof(rec->mgid));
	memcpy(rec->port_gid, w->port_gid, sizeof(rec->port_gid));
	rec->qkey = be32_to_cpu(w->qkey);
	rec->mlid = be16_to_cpu(w->mlid);
	rec->mtu_sel = FIELD_GET(VHCA_SA_SELECTOR, w->mtu);
	rec->mtu = FIELD_GET(VHCA_SA_VALUE, w->mtu);
	rec->tclass = w->tclass;
	rec->pkey = be16_to_cpu(w->pkey);
	rec->rate_sel = FIELD_GET(VHCA_SA_SELECTOR, w->rate);
	rec->rate = FIELD_GET(VHCA_SA_VALUE, w->rate);
	rec->plt_sel = FIELD_GET(VHCA_SA_SELECTOR, w->plt);
	rec->plt = FIELD_GET(VHCA_SA_VALUE, w->plt);
	rec->sl = FIELD_GET(VHCA_MCM_SL, sl_fl_hop);
	rec->flow_label = FIELD_GET(VHCA_MCM_FLOW_LABEL, sl_fl_hop);
	rec->hop_limit = FIELD_GET(VHCA_MCM_HOP_LIMIT, sl_fl_hop);
	rec->scope = FIELD_GET(VHCA_MCM_SCOPE, w->scope_join);
	rec->join_state = FIELD_GET(VHCA_MCM_JOIN_STATE, w->scope_join);
	rec->proxy_join = FIELD_GET(VHCA_MCM_PROXY_JOIN, w->proxy);
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_sa_mcm_rec_unpack);

/**
 * vhca_sa_cpi_pack - ClassPortInfo into its 72-byte wire layout
 * @cpi: the attribute
 * @buf: 72 bytes, written in full
 */
void vhca_sa_cpi_pack(const struct vhca_sa_cpi *cpi, void *buf)
{
	struct vhca_sa_cpi_wire *w = buf;

	memset(w, 0, sizeof(*w));
	w->base_version = cpi->base_version;
	w->class_version = cpi->class_version;
	w->cap_mask = cpu_to_be16(cpi->cap_mask);
	w->cap2_resp = cpu_to_be32(FIELD_PREP(VHCA_CPI_CAP_MASK2,
					      cpi->cap_mask2) |
				   FIELD_PREP(VHCA_CPI_RESP_TIME,
					      cpi->resp_time));
	memcpy(w->redirect_gid, cpi->redirect_gid, sizeof(w->redirect_gid));
	w->redirect_tc_sl_fl = cpu_to_be32(cpi->redirect_tc_sl_fl);
	w->redirect_lid = cpu_to_be16(cpi->redirect_lid);
	w->redirect_pkey = cpu_to_be16(cpi->redirect_pkey);
	w->redirect_qp = cpu_to_be32(cpi->redirect_qp);
	w->redirect_qkey = cpu_to_be32(cpi->redirect_qkey);
	memcpy(w->trap_gid, cpi->trap_gid, sizeof(w->trap_gid));
	w->trap_tc_sl_fl = cpu_to_be32(cpi->trap_tc_sl_fl);
	w->trap_lid = cpu_to_be16(cpi->trap_lid);
	w->trap_pkey = cpu_to_be16(cpi->trap_pkey);
	w->trap_hl_qp = cpu_to_be32(cpi->trap_hl_qp);
	w->trap_qkey = cpu_to_be32(cpi->trap_qkey);
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_sa_cpi_pack);

/**
 * vhca_sa_cpi_unpack - ClassPortInfo from its wire layout
 * @buf: 72 bytes
 * @cpi: filled
 */
void vhca_sa_cpi_unpack(const void *buf, struct vhca_sa_cpi *cpi)
{
	const struct vhca_sa_cpi_wire *w = buf;
	u32 cap2_resp = be32_to_cpu(w->cap2_resp);

	memset(cpi, 0, sizeof(*cpi));
	cpi->base_version = w->base_version;
	cpi->class_version = w->class_version;
	cpi->cap_mask = be16_to_cpu(w->cap_mask);
	cpi->cap_mask2 = FIELD_GET(VHCA_CPI_CAP_MASK2, cap2_resp);
	cpi->resp_time = FIELD_GET(VHCA_CPI_RESP_TIME, cap2_resp);
	memcpy(cpi->redirect_gid, w->redirect_gid, sizeof(cpi->redirect_gid));
	cpi->redirect_tc_sl_fl = be32_to_cpu(w->redirect_tc_sl_fl);
	cpi->redirect_lid = be16_to_cpu(w->redirect_lid);
	cpi->redirect_pkey = be16_to_cpu(w->redirect_pkey);
	cpi->redirect_qp = be32_to_cpu(w->redirect_qp);
	cpi->redirect_qkey = be32_to_cpu(w->redirect_qkey);
	memcpy(cpi->trap_gid, w->trap_gid, sizeof(cpi->trap_gid));
	cpi->trap_tc_sl_fl = be32_to_cpu(w->trap_tc_sl_fl);
	cpi->trap_lid = be16_to_cpu(w->trap_lid);
	cpi->trap_pkey = be16_to_cpu(w->trap_pkey);
	cpi->trap_hl_qp = be32_to_cpu(w->trap_hl_qp);
	cpi->trap_qkey = be32_to_cpu(w->trap_qkey);
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_sa_cpi_unpack);

/**
 * vhca_sa_rmpp_segments - MADs an SA response with @data_len bytes takes
 * @data_len: bytes of records (SA header excluded)
 *
 * Return: at least 1: an empty table is one segment.
 */
unsigned int vhca_sa_rmpp_segments(u32 data_len)
{
	return max_t(u32, 1, DIV_ROUND_UP(data_len, VHCA_SA_DATA_BYTES));
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_sa_rmpp_segments);

/**
 * vhca_sa_rmpp_seg_len - bytes of records in one segment
 * @data_len: bytes of records in the whole response
 * @seg: segment number, 1-based
 *
 * Return: 200 for every segment but the last, the rest for the last, 0
 * past the end.
 */
u32 vhca_sa_rmpp_seg_len(u32 data_len, unsigned int seg)
{
	u32 off;

	if (!seg || seg > vhca_sa_rmpp_segments(data_len))
		return 0;
	off = (seg - 1) * VHCA_SA_DATA_BYTES;
	return min_t(u32, data_len - off, VHCA_SA_DATA_BYTES);
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_sa_rmpp_seg_len);

/**
 * vhca_sa_rmpp_data_hdr - the RMPP header of one DATA segment
 * @hdr: filled
 * @data_len: bytes of records in the whole response
 * @seg: segment number, 1-based
 *
 * Every segment carries the SA header again, so PayloadLength counts it
 * once per segment: the first segment's is the whole transfer (20 bytes
 * per segment plus the records), the last's what that segment holds (20
 * plus its records), the others' 0. A single segment is both first and
 * last. This is what a receiver (ib_mad's reassembly) derives the length
 * of the last segment from.
 */
void vhca_sa_rmpp_data_hdr(struct ib_rmpp_hdr *hdr, u32 data_len,
			   unsigned int seg)
{
	unsigned int nsegs = vhca_sa_rmpp_segments(data_len);
	u8 flags = IB_MGMT_RMPP_FLAG_ACTIVE;
	u32 paylen = 0;

	if (seg == 1) {
		flags |= IB_MGMT_RMPP_FLAG_FIRST;
		paylen = nsegs * VHCA_SA_HDR_BYTES + data_len;
	}
	if (seg == nsegs) {
		flags |= IB_MGMT_RMPP_FLAG_LAST;
		paylen = VHCA_SA_HDR_BYTES + vhca_sa_rmpp_seg_len(data_len, seg);
	}
	hdr->rmpp_version = IB_MGMT_RMPP_VERSION;
	hdr->rmpp_type = IB_MGMT_RMPP_TYPE_DATA;
	hdr->rmpp_rtime_flags = (IB_MGMT_RMPP_NO_RESPTIME << 3) | flags;
	hdr->rmpp_status = 0;
	hdr->seg_num = cpu_to_be32(seg);
	hdr->paylen_newwin = cpu_to_be32(paylen);
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_sa_rmpp_data_hdr);

/**
 * vhca_sa_bcast_mgid - the IPoIB broadcast MGID of a partition
 * @pkey: the P_Key; the full-member bit is set in the MGID either way
 * @mgid: 16 bytes: ff12:401b:<pkey>::ffff:ffff
 */
void vhca_sa_bcast_mgid(u16 pkey, u8 *mgid)
{
	pkey |= VHCA_PKEY_MEMBER;
	memset(mgid, 0, 16);
	mgid[0] = VHCA_MGID_PREFIX;
	mgid[1] = 0x12;		/* transient, link-local scope */
	mgid[2] = 0x40;		/* IPv4 IPoIB signature 0x401b */
	mgid[3] = 0x1b;
	mgid[4] = pkey >> 8;
	mgid[5] = pkey & 0xff;
	memset(&mgid[12], 0xff, 4);
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_sa_bcast_mgid);

/**
 * vhca_sa_mgid_is_bcast - is @mgid a partition's IPoIB broadcast MGID?
 * @mgid: 16 bytes
 * @pkey: set to the P_Key in it (full-member bit set) when it is
 *
 * Return: true for exactly the MGIDs vhca_sa_bcast_mgid() makes.
 */
bool vhca_sa_mgid_is_bcast(const u8 *mgid, u16 *pkey)
{
	u8 want[16];
	u16 p = (mgid[4] << 8) | mgid[5];

	if (!(p & VHCA_PKEY_MEMBER))
		return false;
	vhca_sa_bcast_mgid(p, want);
	if (memcmp(want, mgid, sizeof(want)))
		return false;
	*pkey = p;
	return true;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_sa_mgid_is_bcast);

/**
 * vhca_sa_rate_mbps - the nominal speed of an IBA rate code
 * @rate: the code (IB_RATE_*: 2 is 2.5 Gb/s, 16 is 100 Gb/s, ...)
 *
 * Return: Mb/s, 0 for a code the IBA does not define.
 */
u32 vhca_sa_rate_mbps(u8 rate)
{
	static const u32 mbps[] = {
		[2] = 2500, [3] = 10000, [4] = 30000, [5] = 5000,
		[6] = 20000, [7] = 40000, [8] = 60000, [9] = 80000,
		[10] = 120000, [11] = 14000, [12] = 56000, [13] = 112000,
		[14] = 168000, [15] = 25000, [16] = 100000, [17] = 200000,
		[18] = 300000, [19] = 28000, [20] = 50000, [21] = 400000,
		[22] = 600000,
	};

	return rate < ARRAY_SIZE(mbps) ? mbps[rate] : 0;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_sa_rate_mbps);

/**
 * vhca_sa_selector_ok - does a value satisfy a component's selector?
 * @sel: VHCA_SA_SEL_*: the value must be greater than, less than or
 *	equal to @want; BEST takes anything (the SA offers its best)
 * @want: what the request asked, in an ordered unit
 * @have: what the SA has, same unit
 *
 * Return: true if @have is acceptable.
 */
bool vhca_sa_selector_ok(u8 sel, u32 want, u32 have)
{
	switch (sel) {
	case VHCA_SA_SEL_GT:
		return have > want;
	case VHCA_SA_SEL_LT:
		return have < want;
	case VHCA_SA_SEL_EQ:
		return have == want;
	default:
		return true;
	}
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_sa_selector_ok);
