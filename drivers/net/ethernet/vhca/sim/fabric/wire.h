/* SPDX-License-Identifier: GPL-2.0 */
/*
 * InfiniBand packets on the emulated wire, and how they travel.
 *
 * A packet is the bytes a real link would carry: LRH, a GRH when LNH says
 * so (multicast, global routes), BTH, the extension headers its opcode
 * needs (DETH for UD; RETH, AETH, ImmDt), the payload padded to 4 bytes,
 * ICRC and VCRC. Opcodes are the IBA's (IB_OPCODE_* of <rdma/ib_pack.h>).
 *
 *   wire.c    build and parse (ICRC/VCRC computed and checked)
 *   switch.c  forwarding by DLID, multicast by MLID, loss, counters
 *   sa.c      the subnet administrator on the SM's QP1
 *   mcast.c   multicast groups (MCMemberRecord joins)
 *
 * A port hands packets to the switch with vhca_switch_xmit(); the switch
 * hands them to the destination port's receive queue (vhca_sim_port_rx())
 * or to the SA. Nothing on this path sleeps: it runs from the engines'
 * work items, possibly under a QP's spinlock.
 */
#ifndef _VHCA_SIM_WIRE_H
#define _VHCA_SIM_WIRE_H

#include <linux/bits.h>
#include <linux/compiler_attributes.h>
#include <linux/list.h>
#include <linux/types.h>

struct vhca_fabric;
struct vhca_sim_port;

/* LRH LNH values */
#define VHCA_LNH_LOCAL		0x2	/* BTH follows the LRH */
#define VHCA_LNH_GLOBAL		0x3	/* GRH, then BTH */

#define VHCA_LRH_BYTES		8
#define VHCA_GRH_BYTES		40
#define VHCA_BTH_BYTES		12
#define VHCA_DETH_BYTES		8
#define VHCA_RETH_BYTES		16
#define VHCA_AETH_BYTES		4
#define VHCA_IMM_BYTES		4
#define VHCA_ICRC_BYTES		4
#define VHCA_VCRC_BYTES		2
/* largest header stack: LRH GRH BTH RETH/DETH ImmDt */
#define VHCA_MAX_HDR_BYTES	(VHCA_LRH_BYTES + VHCA_GRH_BYTES + \
				 VHCA_BTH_BYTES + VHCA_RETH_BYTES + \
				 VHCA_IMM_BYTES)
#define VHCA_MAX_PKT_BYTES	(VHCA_MAX_HDR_BYTES + 4096 + \
				 VHCA_ICRC_BYTES + VHCA_VCRC_BYTES)

/* multicast LIDs the SA hands out, and the permissive LID */
#define VHCA_MLID_MIN		0xc000
#define VHCA_MLID_MAX		0xfffe
#define VHCA_LID_PERMISSIVE	0xffff

/* AETH syndromes */
#define VHCA_AETH_ACK		0x00	/* low 5 bits: credits (unused) */
#define VHCA_AETH_RNR_NAK	0x20	/* low 5 bits: RNR timer */
#define VHCA_AETH_NAK		0x60	/* low 5 bits: VHCA_NAK_* */
#define VHCA_AETH_TYPE_MASK	0x60
#define VHCA_NAK_PSN_SEQ	0x0
#define VHCA_NAK_INV_REQ	0x1
#define VHCA_NAK_REM_ACCESS	0x2
#define VHCA_NAK_REM_OP		0x3

#define VHCA_PSN_MASK		0xffffff

/* an ACK's credit field: "invalid", no end-to-end flow control */
#define VHCA_AETH_NO_CREDITS	0x1f

/* The headers as the IBA lays them out (vol 1, ch. 7 and 9). They sit at
 * 4-byte aligned offsets of the packet, so the structs are packed.
 */
struct vhca_lrh {
	u8 vl_lver;		/* VL [7:4], LVer [3:0] */
	u8 sl_lnh;		/* SL [7:4], LNH [1:0] */
	__be16 dlid;
	__be16 pktlen;		/* [10:0]: 4-byte words, LRH .. ICRC */
	__be16 slid;
} __packed;

#define VHCA_LRH_VL		GENMASK(7, 4)
#define VHCA_LRH_LVER		GENMASK(3, 0)
#define VHCA_LRH_SL		GENMASK(7, 4)
#define VHCA_LRH_LNH		GENMASK(1, 0)
#define VHCA_LRH_PKTLEN		GENMASK(10, 0)

struct vhca_grh {
	__be32 ver_tc_flow;	/* IPVer [31:28], TClass [27:20], Flow [19:0] */
	__be16 paylen;		/* bytes after the GRH up to the ICRC, incl. */
	u8 nxthdr;
	u8 hop_limit;
	u8 sgid[16];
	u8 dgid[16];
} __packed;

#define VHCA_GRH_IPVER		GENMASK(31, 28)
#define VHCA_GRH_TCLASS		GENMASK(27, 20)
#define VHCA_GRH_FLOW		GENMASK(19, 0)
#define VHCA_GRH_IPVER_6	6
#define VHCA_GRH_NXTHDR_IBA	0x1b

struct vhca_bth {
	u8 opcode;
	u8 flags;		/* SE [7], M [6], PadCnt [5:4], TVer [3:0] */
	__be16 pkey;
	__be32 dqpn;		/* Resv8a [31:24], DestQP [23:0] */
	__be32 apsn;		/* A [31], PSN [23:0] */
} __packed;

#define VHCA_BTH_SE		BIT(7)
#define VHCA_BTH_MIG		BIT(6)
#define VHCA_BTH_PAD		GENMASK(5, 4)
#define VHCA_BTH_TVER		GENMASK(3, 0)
#define VHCA_BTH_RESV8A		GENMASK(31, 24)
#define VHCA_BTH_QPN		GENMASK(23, 0)
#define VHCA_BTH_ACKREQ		BIT(31)
#define VHCA_BTH_PSN		GENMASK(23, 0)

struct vhca_deth {
	__be32 qkey;
	__be32 sqpn;		/* [23:0] */
} __packed;

struct vhca_reth {
	__be64 va;
	__be32 rkey;
	__be32 dma_len;
} __packed;

struct vhca_aeth {
	__be32 syn_msn;		/* Syndrome [31:24], MSN [23:0] */
} __packed;

#define VHCA_AETH_SYN		GENMASK(31, 24)
#define VHCA_AETH_MSN		GENMASK(23, 0)

/* The longest packet the wire carries: LRH, GRH, BTH, the largest
 * extension headers, 4096 payload bytes, padding, ICRC, VCRC (rounded up).
 */
#define VHCA_WIRE_MAX_BYTES	(4096 + 128)

/**
 * struct vhca_pkt - one packet in flight
 * @list: on a port's receive queue or the SA's queue
 * @ingress: the port that sent it, NULL for the SM/SA
 * @len: bytes in @data
 * @pooled: @data has room for VHCA_WIRE_MAX_BYTES; vhca_pkt_free() keeps
 *	it for the next vhca_wire_alloc()
 * @data: LRH .. VCRC
 */
struct vhca_pkt {
	struct list_head list;
	struct vhca_sim_port *ingress;
	u32 len;
	bool pooled;
	u8 data[];
};

/**
 * struct vhca_pkt_info - the fields of a packet, in CPU order
 *
 * vhca_wire_build() takes the fields below (those the opcode needs);
 * vhca_wire_parse() fills them, with @payload pointing into the packet.
 */
struct vhca_pkt_info {
	/* LRH */
	u8 vl;
	u8 sl;
	u16 dlid;
	u16 slid;
	/* GRH: present when @grh */
	bool grh;
	u8 tclass;
	u32 flow_label;
	u8 hop_limit;
	u8 sgid[16];
	u8 dgid[16];
	/* BTH */
	u8 opcode;		/* IB_OPCODE_* */
	bool se;		/* solicited event */
	bool ackreq;
	u16 pkey;
	u32 dqpn;
	u32 psn;
	/* DETH */
	u32 qkey;
	u32 sqpn;
	/* RETH */
	u64 va;
	u32 rkey;
	u32 dma_len;
	/* AETH */
	u8 syndrome;
	u32 msn;
	/* ImmDt, as on the wire */
	__be32 imm;
	/* payload */
	const u8 *payload;
	u32 payload_len;
};

/* which extension headers an IB_OPCODE_* carries */
bool vhca_opcode_has_deth(u8 opcode);
bool vhca_opcode_has_reth(u8 opcode);
bool vhca_opcode_has_aeth(u8 opcode);
bool vhca_opcode_has_imm(u8 opcode);
bool vhca_opcode_has_payload(u8 opcode);
bool vhca_opcode_valid(u8 opcode);

/* wire.c */
/**
 * vhca_wire_build - build a packet
 * @info: header fields; @info->payload/@payload_len the payload
 * @gfp: allocation flags (GFP_ATOMIC under a spinlock)
 *
 * Return: the packet, NULL on allocation failure.
 */
struct vhca_pkt *vhca_wire_build(const struct vhca_pkt_info *info, gfp_t gfp);
/**
 * vhca_wire_parse - check and decode a packet
 * @pkt: the packet
 * @info: filled
 *
 * Return: 0; -EBADMSG for a bad VCRC, ICRC, length, version or opcode.
 */
int vhca_wire_parse(const struct vhca_pkt *pkt, struct vhca_pkt_info *info);
/* vhca_wire_parse(), saying whether a CRC (rather than a header) failed */
int vhca_wire_decode(const struct vhca_pkt *pkt, struct vhca_pkt_info *info,
		     bool *bad_crc);
/* Build in two steps, so the payload is gathered straight into the
 * packet: vhca_wire_alloc() writes the headers and returns where the
 * @info->payload_len payload bytes go (@info->payload is ignored);
 * vhca_wire_seal() computes the ICRC and VCRC once they are there.
 */
struct vhca_pkt *vhca_wire_alloc(const struct vhca_pkt_info *info, gfp_t gfp,
				 u8 **payload);
void vhca_wire_seal(struct vhca_pkt *pkt);
/* a packet done with (consumed, dropped): any context but hard IRQ */
void vhca_pkt_free(struct vhca_pkt *pkt);
/* a copy of @pkt for another egress port (multicast) */
struct vhca_pkt *vhca_pkt_clone(const struct vhca_pkt *pkt, gfp_t gfp);
/* the DLID and destination QP of a packet, without checking it */
int vhca_wire_peek(const struct vhca_pkt *pkt, u16 *dlid, u32 *dqpn);
/* ICRC over LRH .. payload+pad (variant fields as ones); VCRC over len */
u32 vhca_icrc(const u8 *pkt, u32 len_without_crcs);
u16 vhca_vcrc(const u8 *pkt, u32 len);
void vhca_wire_init(void);
void vhca_wire_exit(void);

/* switch.c: forwarding */
/**
 * vhca_switch_xmit - put a packet on the wire
 * @fab: the fabric
 * @pkt: the packet; @pkt->ingress says who sent it; consumed
 *
 * Unicast goes to the port the DLID belongs to (the SA's when it is the
 * switch's LID), multicast to every port that joined the MLID's group.
 * Packets are dropped (and counted on the ingress or egress port) when a
 * link is down, the DLID is unknown, or loss injection picks them.
 */
void vhca_switch_xmit(struct vhca_fabric *fab, struct vhca_pkt *pkt);

/* port.c: queue a packet to a port's receive engine (recv.c); consumed */
void vhca_sim_port_rx(struct vhca_sim_port *port, struct vhca_pkt *pkt);

/* sa.c: a packet for QP1 of the switch; consumed */
void vhca_sa_rx(struct vhca_fabric *fab, struct vhca_pkt *pkt);

/* mcast.c: ports that joined the group of @mlid; any context, no sleep */
unsigned int vhca_mcast_fwd(struct vhca_fabric *fab, u16 mlid,
			    struct vhca_sim_port **ports, unsigned int max);

#endif /* _VHCA_SIM_WIRE_H */
