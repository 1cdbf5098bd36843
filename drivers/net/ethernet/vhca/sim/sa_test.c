// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the SA's record codecs (fabric/sa_rec.c) against the IBA's
 * byte layouts of PathRecord, MCMemberRecord and ClassPortInfo, the
 * broadcast MGIDs of IPoIB, and the RMPP segmentation of a GetTableResp
 * as a receiver (ib_mad's reassembly) reads it back.
 */

#include <kunit/test.h>
#include <linux/string.h>

#include "vhca_sim.h"
#include "fabric/sa_rec.h"

static const u8 vhca_sa_test_zero[8];

static void vhca_sa_test_bytes(struct kunit *test, const u8 *got,
			       const u8 *want, size_t len, size_t off)
{
	size_t i;

	for (i = 0; i < len; i++)
		KUNIT_EXPECT_EQ_MSG(test, got[off + i], want[i], "byte %zu",
				    off + i);
}

static void vhca_sa_test_gid(u8 *gid, u8 first)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		gid[i] = first + i;
}

static void vhca_sa_path_rec_layout(struct kunit *test)
{
	struct vhca_sa_path_rec a, b;
	u8 buf[64], buf2[64], gid[16];

	memset(&a, 0, sizeof(a));
	a.service_id = 0x0102030405060708ULL;
	vhca_sa_test_gid(a.dgid, 0x10);
	vhca_sa_test_gid(a.sgid, 0x30);
	a.dlid = 0x1234;
	a.slid = 0x5678;
	a.raw_traffic = true;
	a.flow_label = 0xabcde;
	a.hop_limit = 0x40;
	a.tclass = 0x55;
	a.reversible = true;
	a.numb_path = 0x7f;
	a.pkey = 0x8001;
	a.qos_class = 0xabc;
	a.sl = 0xd;
	a.mtu_sel = VHCA_SA_SEL_EQ;
	a.mtu = 5;
	a.rate_sel = VHCA_SA_SEL_LT;
	a.rate = 16;
	a.plt_sel = VHCA_SA_SEL_BEST;
	a.plt = 0x12;
	a.preference = 0x99;
	memset(buf, 0xee, sizeof(buf));
	vhca_sa_path_rec_pack(&a, buf);

	vhca_sa_test_bytes(test, buf, (u8 []){ 1, 2, 3, 4, 5, 6, 7, 8 }, 8, 0);
	vhca_sa_test_gid(gid, 0x10);
	vhca_sa_test_bytes(test, buf, gid, 16, 8);	/* DGID */
	vhca_sa_test_gid(gid, 0x30);
	vhca_sa_test_bytes(test, buf, gid, 16, 24);	/* SGID */
	vhca_sa_test_bytes(test, buf, (u8 []){ 0x12, 0x34, 0x56, 0x78 }, 4,
			   40);				/* DLID, SLID */
	/* RawTraffic 1, 3 reserved, FlowLabel 0xabcde, HopLimit 0x40 */
	vhca_sa_test_bytes(test, buf, (u8 []){ 0x8a, 0xbc, 0xde, 0x40 }, 4, 44);
	KUNIT_EXPECT_EQ(test, buf[48], 0x55);		/* TClass */
	KUNIT_EXPECT_EQ(test, buf[49], 0xff);		/* Reversible, NumbPath */
	vhca_sa_test_bytes(test, buf, (u8 []){ 0x80, 0x01 }, 2, 50); /* P_Key */
	vhca_sa_test_bytes(test, buf, (u8 []){ 0xab, 0xcd }, 2, 52); /* QoS, SL */
	KUNIT_EXPECT_EQ(test, buf[54], 0x85);		/* EQ, 4096 */
	KUNIT_EXPECT_EQ(test, buf[55], 0x50);		/* LT, 100 Gb/s */
	KUNIT_EXPECT_EQ(test, buf[56], 0xd2);		/* BEST, 18 */
	KUNIT_EXPECT_EQ(test, buf[57], 0x99);		/* Preference */
	vhca_sa_test_bytes(test, buf, vhca_sa_test_zero, 6, 58);

	vhca_sa_path_rec_unpack(buf, &b);
	KUNIT_EXPECT_EQ(test, b.service_id, a.service_id);
	KUNIT_EXPECT_EQ(test, memcmp(b.dgid, a.dgid, 16), 0);
	KUNIT_EXPECT_EQ(test, memcmp(b.sgid, a.sgid, 16), 0);
	KUNIT_EXPECT_EQ(test, b.dlid, a.dlid);
	KUNIT_EXPECT_EQ(test, b.slid, a.slid);
	KUNIT_EXPECT_EQ(test, b.raw_traffic, a.raw_traffic);
	KUNIT_EXPECT_EQ(test, b.flow_label, a.flow_label);
	KUNIT_EXPECT_EQ(test, b.hop_limit, a.hop_limit);
	KUNIT_EXPECT_EQ(test, b.tclass, a.tclass);
	KUNIT_EXPECT_EQ(test, b.reversible, a.reversible);
	KUNIT_EXPECT_EQ(test, b.numb_path, a.numb_path);
	KUNIT_EXPECT_EQ(test, b.pkey, a.pkey);
	KUNIT_EXPECT_EQ(test, b.qos_class, a.qos_class);
	KUNIT_EXPECT_EQ(test, b.sl, a.sl);
	KUNIT_EXPECT_EQ(test, b.mtu_sel, a.mtu_sel);
	KUNIT_EXPECT_EQ(test, b.mtu, a.mtu);
	KUNIT_EXPECT_EQ(test, b.rate_sel, a.rate_sel);
	KUNIT_EXPECT_EQ(test, b.rate, a.rate);
	KUNIT_EXPECT_EQ(test, b.plt_sel, a.plt_sel);
	KUNIT_EXPECT_EQ(test, b.plt, a.plt);
	KUNIT_EXPECT_EQ(test, b.preference, a.preference);
	vhca_sa_path_rec_pack(&b, buf2);
	KUNIT_EXPECT_EQ(test, memcmp(buf, buf2, sizeof(buf)), 0);
}

static void vhca_sa_mcm_rec_layout(struct kunit *test)
{
	struct vhca_sa_mcm_rec a, b;
	u8 buf[52], buf2[52], gid[16];

	memset(&a, 0, sizeof(a));
	vhca_sa_test_gid(a.mgid, 0xa0);
	vhca_sa_test_gid(a.port_gid, 0x40);
	a.qkey = 0x80010b1b;
	a.mlid = 0xc001;
	a.mtu_sel = VHCA_SA_SEL_GT;
	a.mtu = 4;
	a.tclass = 0x12;
	a.pkey = 0xffff;
	a.rate_sel = VHCA_SA_SEL_EQ;
	a.rate = 3;
	a.plt_sel = VHCA_SA_SEL_LT;
	a.plt = 0x3f;
	a.sl = 0x9;
	a.flow_label = 0x12345;
	a.hop_limit = 0xfe;
	a.scope = 2;
	a.join_state = VHCA_JOIN_SENDONLY_FULL | VHCA_JOIN_FULL;
	a.proxy_join = true;
	memset(buf, 0xee, sizeof(buf));
	vhca_sa_mcm_rec_pack(&a, buf);

	vhca_sa_test_gid(gid, 0xa0);
	vhca_sa_test_bytes(test, buf, gid, 16, 0);	/* MGID */
	vhca_sa_test_gid(gid, 0x40);
	vhca_sa_test_bytes(test, buf, gid, 16, 16);	/* PortGID */
	vhca_sa_test_bytes(test, buf, (u8 []){ 0x80, 0x01, 0x0b, 0x1b }, 4,
			   32);				/* Q_Key */
	vhca_sa_test_bytes(test, buf, (u8 []){ 0xc0, 0x01 }, 2, 36); /* MLID */
	KUNIT_EXPECT_EQ(test, buf[38], 0x04);		/* GT, 2048 */
	KUNIT_EXPECT_EQ(test, buf[39], 0x12);		/* TClass */
	vhca_sa_test_bytes(test, buf, (u8 []){ 0xff, 0xff }, 2, 40); /* P_Key */
	KUNIT_EXPECT_EQ(test, buf[42], 0x83);		/* EQ, 10 Gb/s */
	KUNIT_EXPECT_EQ(test, buf[43], 0x7f);		/* LT, 63 */
	/* SL 9, FlowLabel 0x12345, HopLimit 0xfe */
	vhca_sa_test_bytes(test, buf, (u8 []){ 0x91, 0x23, 0x45, 0xfe }, 4, 44);
	KUNIT_EXPECT_EQ(test, buf[48], 0x29);		/* Scope, JoinState */
	KUNIT_EXPECT_EQ(test, buf[49], 0x80);		/* ProxyJoin */
	vhca_sa_test_bytes(test, buf, vhca_sa_test_zero, 2, 50);

	vhca_sa_mcm_rec_unpack(buf, &b);
	KUNIT_EXPECT_EQ(test, memcmp(b.mgid, a.mgid, 16), 0);
	KUNIT_EXPECT_EQ(test, memcmp(b.port_gid, a.port_gid, 16), 0);
	KUNIT_EXPECT_EQ(test, b.qkey, a.qkey);
	KUNIT_EXPECT_EQ(test, b.mlid, a.mlid);
	KUNIT_EXPECT_EQ(test, b.mtu_sel, a.mtu_sel);
	KUNIT_EXPECT_EQ(test, b.mtu, a.mtu);
	KUNIT_EXPECT_EQ(test, b.tclass, a.tclass);
	KUNIT_EXPECT_EQ(test, b.pkey, a.pkey);
	KUNIT_EXPECT_EQ(test, b.rate_sel, a.rate_sel);
	KUNIT_EXPECT_EQ(test, b.rate, a.rate);
	KUNIT_EXPECT_EQ(test, b.plt_sel, a.plt_sel);
	KUNIT_EXPECT_EQ(test, b.plt, a.plt);
	KUNIT_EXPECT_EQ(test, b.sl, a.sl);
	KUNIT_EXPECT_EQ(test, b.flow_label, a.flow_label);
	KUNIT_EXPECT_EQ(test, b.hop_limit, a.hop_limit);
	KUNIT_EXPECT_EQ(test, b.scope, a.scope);
	KUNIT_EXPECT_EQ(test, b.join_state, a.join_state);
	KUNIT_EXPECT_EQ(test, b.proxy_join, a.proxy_join);
	vhca_sa_mcm_rec_pack(&b, buf2);
	KUNIT_EXPECT_EQ(test, memcmp(buf, buf2, sizeof(buf)), 0);
}

static void vhca_sa_cpi_layout(struct kunit *test)
{
	struct vhca_sa_cpi a, b;
	u8 buf[72], buf2[72];

	memset(&a, 0, sizeof(a));
	a.base_version = 1;
	a.class_version = 2;
	a.cap_mask = 0x0203;
	a.cap_mask2 = BIT(12);
	a.resp_time = 18;
	a.redirect_lid = 0x0405;
	a.redirect_qp = 0x00060708;
	a.trap_lid = 0x090a;
	a.trap_hl_qp = 0xff000001;
	a.trap_qkey = 0x80010000;
	memset(buf, 0xee, sizeof(buf));
	vhca_sa_cpi_pack(&a, buf);

	vhca_sa_test_bytes(test, buf, (u8 []){ 1, 2, 0x02, 0x03 }, 4, 0);
	/* CapabilityMask2 bit 12 above RespTimeValue 18 */
	vhca_sa_test_bytes(test, buf, (u8 []){ 0x00, 0x02, 0x00, 0x12 }, 4, 4);
	vhca_sa_test_bytes(test, buf, (u8 []){ 0x04, 0x05 }, 2, 28);
	vhca_sa_test_bytes(test, buf, (u8 []){ 0, 0x06, 0x07, 0x08 }, 4, 32);
	vhca_sa_test_bytes(test, buf, (u8 []){ 0x09, 0x0a }, 2, 60);
	vhca_sa_test_bytes(test, buf, (u8 []){ 0xff, 0, 0, 1 }, 4, 64);
	vhca_sa_test_bytes(test, buf, (u8 []){ 0x80, 0x01, 0, 0 }, 4, 68);

	vhca_sa_cpi_unpack(buf, &b);
	KUNIT_EXPECT_EQ(test, b.base_version, 1);
	KUNIT_EXPECT_EQ(test, b.class_version, 2);
	KUNIT_EXPECT_EQ(test, b.cap_mask, a.cap_mask);
	KUNIT_EXPECT_EQ(test, b.cap_mask2, a.cap_mask2);
	KUNIT_EXPECT_EQ(test, b.resp_time, a.resp_time);
	KUNIT_EXPECT_EQ(test, b.redirect_lid, a.redirect_lid);
	KUNIT_EXPECT_EQ(test, b.redirect_qp, a.redirect_qp);
	KUNIT_EXPECT_EQ(test, b.trap_lid, a.trap_lid);
	KUNIT_EXPECT_EQ(test, b.trap_hl_qp, a.trap_hl_qp);
	KUNIT_EXPECT_EQ(test, b.trap_qkey, a.trap_qkey);
	vhca_sa_cpi_pack(&b, buf2);
	KUNIT_EXPECT_EQ(test, memcmp(buf, buf2, sizeof(buf)), 0);
}

static void vhca_sa_bcast_mgids(struct kunit *test)
{
	static const u8 dflt[16] = {
		0xff, 0x12, 0x40, 0x1b, 0xff, 0xff, 0, 0,
		0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
	};
	static const u8 p8001[16] = {
		0xff, 0x12, 0x40, 0x1b, 0x80, 0x01, 0, 0,
		0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
	};
	u8 mgid[16];
	u16 pkey = 0;

	vhca_sa_bcast_mgid(0xffff, mgid);
	vhca_sa_test_bytes(test, mgid, dflt, 16, 0);
	vhca_sa_bcast_mgid(0x7fff, mgid);	/* a limited member's too */
	vhca_sa_test_bytes(test, mgid, dflt, 16, 0);
	vhca_sa_bcast_mgid(0x8001, mgid);
	vhca_sa_test_bytes(test, mgid, p8001, 16, 0);
	vhca_sa_bcast_mgid(0x0001, mgid);
	vhca_sa_test_bytes(test, mgid, p8001, 16, 0);

	KUNIT_EXPECT_TRUE(test, vhca_sa_mgid_is_bcast(dflt, &pkey));
	KUNIT_EXPECT_EQ(test, pkey, 0xffff);
	KUNIT_EXPECT_TRUE(test, vhca_sa_mgid_is_bcast(p8001, &pkey));
	KUNIT_EXPECT_EQ(test, pkey, 0x8001);
	memcpy(mgid, p8001, 16);
	mgid[15] = 0x01;		/* an IPv4 group of the partition */
	KUNIT_EXPECT_FALSE(test, vhca_sa_mgid_is_bcast(mgid, &pkey));
	memcpy(mgid, dflt, 16);
	mgid[3] = 0x1c;
	KUNIT_EXPECT_FALSE(test, vhca_sa_mgid_is_bcast(mgid, &pkey));
	memcpy(mgid, p8001, 16);
	mgid[4] = 0x00;			/* P_Key without the full-member bit */
	KUNIT_EXPECT_FALSE(test, vhca_sa_mgid_is_bcast(mgid, &pkey));
}

/* how many segments N PathRecords take, and the headers they carry */
static void vhca_sa_rmpp_segmentation(struct kunit *test)
{
	static const struct {
		unsigned int recs;
		unsigned int segs;
	} cases[] = {
		{ 0, 1 }, { 1, 1 }, { 3, 1 }, { 4, 2 }, { 6, 2 }, { 7, 3 },
		{ 25, 8 }, { 200, 64 },
	};
	struct ib_rmpp_hdr hdr;
	unsigned int i, seg, nsegs;
	u32 len, sum;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		len = cases[i].recs * VHCA_SA_PATH_REC_STRIDE;
		nsegs = vhca_sa_rmpp_segments(len);
		KUNIT_EXPECT_EQ_MSG(test, nsegs, cases[i].segs, "%u records",
				    cases[i].recs);
		sum = 0;
		for (seg = 1; seg <= nsegs; seg++) {
			sum += vhca_sa_rmpp_seg_len(len, seg);
			vhca_sa_rmpp_data_hdr(&hdr, len, seg);
			KUNIT_EXPECT_EQ(test, hdr.rmpp_version, 1);
			KUNIT_EXPECT_EQ(test, hdr.rmpp_type,
					IB_MGMT_RMPP_TYPE_DATA);
			KUNIT_EXPECT_EQ(test, be32_to_cpu(hdr.seg_num), seg);
			KUNIT_EXPECT_EQ(test, hdr.rmpp_rtime_flags & 0x7,
					IB_MGMT_RMPP_FLAG_ACTIVE |
					(seg == 1 ? IB_MGMT_RMPP_FLAG_FIRST : 0) |
					(seg == nsegs ?
					 IB_MGMT_RMPP_FLAG_LAST : 0));
			if (seg == 1 && nsegs > 1)
				KUNIT_EXPECT_EQ(test,
						be32_to_cpu(hdr.paylen_newwin),
						nsegs * 20 + len);
			else if (seg > 1 && seg < nsegs)
				KUNIT_EXPECT_EQ(test,
						be32_to_cpu(hdr.paylen_newwin),
						0);
		}
		KUNIT_EXPECT_EQ(test, sum, len);
		KUNIT_EXPECT_EQ(test, vhca_sa_rmpp_seg_len(len, nsegs + 1), 0);
		/* ib_mad's reassembly: SA header + 200 per segment - pad */
		vhca_sa_rmpp_data_hdr(&hdr, len, nsegs);
		KUNIT_EXPECT_EQ_MSG(test, IB_MGMT_SA_HDR + nsegs * 200 -
				    (IB_MGMT_RMPP_DATA -
				     be32_to_cpu(hdr.paylen_newwin)),
				    IB_MGMT_SA_HDR + len, "%u records",
				    cases[i].recs);
	}

	/* one segment: first and last, the SA header and the records */
	vhca_sa_rmpp_data_hdr(&hdr, 64, 1);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(hdr.paylen_newwin), 84);
	/* MCMemberRecords are 52 bytes, 56 apart */
	KUNIT_EXPECT_EQ(test, vhca_sa_rmpp_segments(4 * VHCA_SA_MCM_REC_STRIDE),
			2);
}

static void vhca_sa_rates_selectors(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vhca_sa_rate_mbps(VHCA_SA_RATE), 100000);
	KUNIT_EXPECT_EQ(test, vhca_sa_rate_mbps(2), 2500);
	KUNIT_EXPECT_EQ(test, vhca_sa_rate_mbps(3), 10000);
	KUNIT_EXPECT_EQ(test, vhca_sa_rate_mbps(0), 0);
	KUNIT_EXPECT_EQ(test, vhca_sa_rate_mbps(1), 0);
	KUNIT_EXPECT_EQ(test, vhca_sa_rate_mbps(63), 0);

	KUNIT_EXPECT_TRUE(test, vhca_sa_selector_ok(VHCA_SA_SEL_GT, 4, 5));
	KUNIT_EXPECT_FALSE(test, vhca_sa_selector_ok(VHCA_SA_SEL_GT, 5, 5));
	KUNIT_EXPECT_TRUE(test, vhca_sa_selector_ok(VHCA_SA_SEL_LT, 6, 5));
	KUNIT_EXPECT_FALSE(test, vhca_sa_selector_ok(VHCA_SA_SEL_LT, 5, 5));
	KUNIT_EXPECT_TRUE(test, vhca_sa_selector_ok(VHCA_SA_SEL_EQ, 5, 5));
	KUNIT_EXPECT_FALSE(test, vhca_sa_selector_ok(VHCA_SA_SEL_EQ, 4, 5));
	KUNIT_EXPECT_TRUE(test, vhca_sa_selector_ok(VHCA_SA_SEL_BEST, 9, 5));
}

static struct kunit_case vhca_sa_cases[] = {
	KUNIT_CASE(vhca_sa_path_rec_layout),
	KUNIT_CASE(vhca_sa_mcm_rec_layout),
	KUNIT_CASE(vhca_sa_cpi_layout),
	KUNIT_CASE(vhca_sa_bcast_mgids),
	KUNIT_CASE(vhca_sa_rmpp_segmentation),
	KUNIT_CASE(vhca_sa_rates_selectors),
	{}
};

static struct kunit_suite vhca_sa_suite = {
	.name = "vhca_sim_sa",
	.test_cases = vhca_sa_cases,
};

kunit_test_suite(vhca_sa_suite);
