/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Subnet administration records as the IBA lays them out in an SA MAD
 * (IBA vol. 1, 15.2.5), and the CPU-order structs the SA works with.
 *
 * An SA MAD is the 24-byte MAD header, the 12-byte RMPP header, the
 * 20-byte SA header and 200 bytes of data (struct ib_sa_mad of
 * <rdma/ib_mad.h>). The wire structs below are the records inside the
 * data area; fields narrower than a byte are packed MSB first, as the
 * spec draws them, with the masks named next to each struct.
 *
 * Everything here is pure: sa_rec.c packs and unpacks, sa_test.c checks
 * the byte positions.
 */
#ifndef _VHCA_SIM_SA_REC_H
#define _VHCA_SIM_SA_REC_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/types.h>
#include <rdma/ib_mad.h>

#define VHCA_MAD_BYTES			IB_MGMT_MAD_SIZE	/* 256 */
#define VHCA_SA_DATA_BYTES		IB_MGMT_SA_DATA		/* 200 */
/* the part of an RMPP segment counted in PayloadLength: SA header + data */
#define VHCA_SA_SEG_PAYLOAD		IB_MGMT_RMPP_DATA	/* 220 */
#define VHCA_SA_HDR_BYTES		(VHCA_SA_SEG_PAYLOAD - \
					 VHCA_SA_DATA_BYTES)	/* 20 */
#define VHCA_SA_CLASS_VERSION		2

/* SA status codes, MAD status bits 8..15 (IBA 15.2.1.1) */
#define VHCA_SA_ERR_NO_RESOURCES	1
#define VHCA_SA_ERR_REQ_INVALID		2
#define VHCA_SA_ERR_NO_RECORDS		3
#define VHCA_SA_ERR_TOO_MANY_RECORDS	4
#define VHCA_SA_ERR_REQ_INVALID_GID	5
#define VHCA_SA_ERR_REQ_INSUFFICIENT_COMPONENTS	6
#define VHCA_SA_STATUS(err)		((u16)(err) << 8)

/* selectors of MTU, rate and packet life time (enum ib_sa_selector) */
#define VHCA_SA_SEL_GT			0
#define VHCA_SA_SEL_LT			1
#define VHCA_SA_SEL_EQ			2
#define VHCA_SA_SEL_BEST		3

/* MCMemberRecord JoinState bits */
#define VHCA_JOIN_FULL			BIT(0)
#define VHCA_JOIN_NON			BIT(1)
#define VHCA_JOIN_SENDONLY_NON		BIT(2)
#define VHCA_JOIN_SENDONLY_FULL		BIT(3)
#define VHCA_JOIN_ALL			GENMASK(3, 0)
/* members in these states receive the group's packets */
#define VHCA_JOIN_RECEIVERS		(VHCA_JOIN_FULL | VHCA_JOIN_NON)

/* byte 0 of a multicast GID */
#define VHCA_MGID_PREFIX		0xff

/* component mask bits (SA header ComponentMask, bit n = IB_SA_COMP_MASK(n)) */
#define VHCA_PR_COMP_SERVICE_ID		(BIT_ULL(0) | BIT_ULL(1))
#define VHCA_PR_COMP_DGID		BIT_ULL(2)
#define VHCA_PR_COMP_SGID		BIT_ULL(3)
#define VHCA_PR_COMP_DLID		BIT_ULL(4)
#define VHCA_PR_COMP_SLID		BIT_ULL(5)
#define VHCA_PR_COMP_RAW_TRAFFIC	BIT_ULL(6)
#define VHCA_PR_COMP_FLOW_LABEL		BIT_ULL(8)
#define VHCA_PR_COMP_HOP_LIMIT		BIT_ULL(9)
#define VHCA_PR_COMP_TCLASS		BIT_ULL(10)
#define VHCA_PR_COMP_REVERSIBLE		BIT_ULL(11)
#define VHCA_PR_COMP_NUMB_PATH		BIT_ULL(12)
#define VHCA_PR_COMP_PKEY		BIT_ULL(13)
#define VHCA_PR_COMP_QOS_CLASS		BIT_ULL(14)
#define VHCA_PR_COMP_SL			BIT_ULL(15)
#define VHCA_PR_COMP_MTU_SEL		BIT_ULL(16)
#define VHCA_PR_COMP_MTU		BIT_ULL(17)
#define VHCA_PR_COMP_RATE_SEL		BIT_ULL(18)
#define VHCA_PR_COMP_RATE		BIT_ULL(19)
#define VHCA_PR_COMP_PLT_SEL		BIT_ULL(20)
#define VHCA_PR_COMP_PLT		BIT_ULL(21)
#define VHCA_PR_COMP_PREFERENCE		BIT_ULL(22)

#define VHCA_MCM_COMP_MGID		BIT_ULL(0)
#define VHCA_MCM_COMP_PORT_GID		BIT_ULL(1)
#define VHCA_MCM_COMP_QKEY		BIT_ULL(2)
#define VHCA_MCM_COMP_MLID		BIT_ULL(3)
#define VHCA_MCM_COMP_MTU_SEL		BIT_ULL(4)
#define VHCA_MCM_COMP_MTU		BIT_ULL(5)
#define VHCA_MCM_COMP_TCLASS		BIT_ULL(6)
#define VHCA_MCM_COMP_PKEY		BIT_ULL(7)
#define VHCA_MCM_COMP_RATE_SEL		BIT_ULL(8)
#define VHCA_MCM_COMP_RATE		BIT_ULL(9)
#define VHCA_MCM_COMP_PLT_SEL		BIT_ULL(10)
#define VHCA_MCM_COMP_PLT		BIT_ULL(11)
#define VHCA_MCM_COMP_SL		BIT_ULL(12)
#define VHCA_MCM_COMP_FLOW_LABEL	BIT_ULL(13)
#define VHCA_MCM_COMP_HOP_LIMIT		BIT_ULL(14)
#define VHCA_MCM_COMP_SCOPE		BIT_ULL(15)
#define VHCA_MCM_COMP_JOIN_STATE	BIT_ULL(16)
#define VHCA_MCM_COMP_PROXY_JOIN	BIT_ULL(17)
/* what a join must give for the SA to create the group (RFC 4391) */
#define VHCA_MCM_COMP_CREATE		(VHCA_MCM_COMP_QKEY | VHCA_MCM_COMP_PKEY | \
					 VHCA_MCM_COMP_SL | \
					 VHCA_MCM_COMP_FLOW_LABEL | \
					 VHCA_MCM_COMP_TCLASS)

/* the values of every path and group (sa.c, mcast.c) */
#define VHCA_SA_MTU			5	/* IB_MTU_4096, the ports' */
#define VHCA_SA_RATE			16	/* IB_RATE_100_GBPS: 4x EDR */
#define VHCA_SA_PLT			16	/* 4.096 us << 16: 268 ms */
#define VHCA_SA_BCAST_QKEY		0x0b1b
#define VHCA_SA_SCOPE_LINK		2

/* PathRecord: 64 bytes */
#define VHCA_PR_RAW_TRAFFIC		BIT(31)		/* raw_fl_hop */
#define VHCA_PR_FLOW_LABEL		GENMASK(27, 8)
#define VHCA_PR_HOP_LIMIT		GENMASK(7, 0)
#define VHCA_PR_REVERSIBLE		BIT(7)		/* rev_numb */
#define VHCA_PR_NUMB_PATH		GENMASK(6, 0)
#define VHCA_PR_QOS_CLASS		GENMASK(15, 4)	/* qos_sl */
#define VHCA_PR_SL			GENMASK(3, 0)
#define VHCA_SA_SELECTOR		GENMASK(7, 6)	/* mtu, rate, plt */
#define VHCA_SA_VALUE			GENMASK(5, 0)

struct vhca_sa_path_rec_wire {
	__be64 service_id;
	u8 dgid[16];
	u8 sgid[16];
	__be16 dlid;
	__be16 slid;
	__be32 raw_fl_hop;
	u8 tclass;
	u8 rev_numb;
	__be16 pkey;
	__be16 qos_sl;
	u8 mtu;
	u8 rate;
	u8 plt;
	u8 preference;
	u8 reserved[6];
} __packed;
static_assert(sizeof(struct vhca_sa_path_rec_wire) == 64);

/* MCMemberRecord: 52 bytes */
#define VHCA_MCM_SL			GENMASK(31, 28)	/* sl_fl_hop */
#define VHCA_MCM_FLOW_LABEL		GENMASK(27, 8)
#define VHCA_MCM_HOP_LIMIT		GENMASK(7, 0)
#define VHCA_MCM_SCOPE			GENMASK(7, 4)	/* scope_join */
#define VHCA_MCM_JOIN_STATE		GENMASK(3, 0)
#define VHCA_MCM_PROXY_JOIN		BIT(7)		/* proxy */

struct vhca_sa_mcm_rec_wire {
	u8 mgid[16];
	u8 port_gid[16];
	__be32 qkey;
	__be16 mlid;
	u8 mtu;
	u8 tclass;
	__be16 pkey;
	u8 rate;
	u8 plt;
	__be32 sl_fl_hop;
	u8 scope_join;
	u8 proxy;
	u8 reserved[2];
} __packed;
static_assert(sizeof(struct vhca_sa_mcm_rec_wire) == 52);

/* ClassPortInfo: 72 bytes */
#define VHCA_CPI_CAP_MASK2		GENMASK(31, 5)	/* cap2_resp */
#define VHCA_CPI_RESP_TIME		GENMASK(4, 0)

struct vhca_sa_cpi_wire {
	u8 base_version;
	u8 class_version;
	__be16 cap_mask;
	__be32 cap2_resp;
	u8 redirect_gid[16];
	__be32 redirect_tc_sl_fl;
	__be16 redirect_lid;
	__be16 redirect_pkey;
	__be32 redirect_qp;
	__be32 redirect_qkey;
	u8 trap_gid[16];
	__be32 trap_tc_sl_fl;
	__be16 trap_lid;
	__be16 trap_pkey;
	__be32 trap_hl_qp;
	__be32 trap_qkey;
} __packed;
static_assert(sizeof(struct vhca_sa_cpi_wire) == 72);

/* record sizes rounded up to 8 bytes: AttributeOffset of GetTableResp */
#define VHCA_SA_PATH_REC_STRIDE		64
#define VHCA_SA_MCM_REC_STRIDE		56
#define VHCA_SA_CPI_STRIDE		72

/* A PathRecord, CPU order: the IBA's fields; mtu, rate and plt
 * (PacketLifeTime) each come with a selector (VHCA_SA_SEL_*).
 */
struct vhca_sa_path_rec {
	u64 service_id;
	u8 dgid[16];
	u8 sgid[16];
	u16 dlid;
	u16 slid;
	bool raw_traffic;
	u32 flow_label;
	u8 hop_limit;
	u8 tclass;
	bool reversible;
	u8 numb_path;
	u16 pkey;
	u16 qos_class;
	u8 sl;
	u8 mtu_sel;
	u8 mtu;
	u8 rate_sel;
	u8 rate;
	u8 plt_sel;
	u8 plt;
	u8 preference;
};

/* An MCMemberRecord, CPU order: the IBA's fields, selectors as in a
 * PathRecord, join_state in VHCA_JOIN_* bits.
 */
struct vhca_sa_mcm_rec {
	u8 mgid[16];
	u8 port_gid[16];
	u32 qkey;
	u16 mlid;
	u8 mtu_sel;
	u8 mtu;
	u8 tclass;
	u16 pkey;
	u8 rate_sel;
	u8 rate;
	u8 plt_sel;
	u8 plt;
	u8 sl;
	u32 flow_label;
	u8 hop_limit;
	u8 scope;
	u8 join_state;
	bool proxy_join;
};

/* ClassPortInfo, CPU order: CapabilityMask2 (27 bits) and RespTimeValue
 * (5 bits) apart; the redirect and trap words as the spec packs them.
 */
struct vhca_sa_cpi {
	u8 base_version;
	u8 class_version;
	u16 cap_mask;
	u32 cap_mask2;
	u8 resp_time;
	u8 redirect_gid[16];
	u32 redirect_tc_sl_fl;
	u16 redirect_lid;
	u16 redirect_pkey;
	u32 redirect_qp;
	u32 redirect_qkey;
	u8 trap_gid[16];
	u32 trap_tc_sl_fl;
	u16 trap_lid;
	u16 trap_pkey;
	u32 trap_hl_qp;
	u32 trap_qkey;
};

/* sa_rec.c */
void vhca_sa_path_rec_pack(const struct vhca_sa_path_rec *rec, void *buf);
void vhca_sa_path_rec_unpack(const void *buf, struct vhca_sa_path_rec *rec);
void vhca_sa_mcm_rec_pack(const struct vhca_sa_mcm_rec *rec, void *buf);
void vhca_sa_mcm_rec_unpack(const void *buf, struct vhca_sa_mcm_rec *rec);
void vhca_sa_cpi_pack(const struct vhca_sa_cpi *cpi, void *buf);
void vhca_sa_cpi_unpack(const void *buf, struct vhca_sa_cpi *cpi);

unsigned int vhca_sa_rmpp_segments(u32 data_len);
u32 vhca_sa_rmpp_seg_len(u32 data_len, unsigned int seg);
void vhca_sa_rmpp_data_hdr(struct ib_rmpp_hdr *hdr, u32 data_len,
			   unsigned int seg);

void vhca_sa_bcast_mgid(u16 pkey, u8 *mgid);
bool vhca_sa_mgid_is_bcast(const u8 *mgid, u16 *pkey);
u32 vhca_sa_rate_mbps(u8 rate);
bool vhca_sa_selector_ok(u8 sel, u32 want, u32 have);

#endif /* _VHCA_SIM_SA_REC_H */
