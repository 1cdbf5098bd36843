// SPDX-License-Identifier: GPL-2.0
/*
 * InfiniBand packets as a link carries them (IBA vol 1, ch. 7 and 9):
 * LRH, a GRH when LNH says so, BTH, the extension headers the opcode
 * needs, the payload padded to 4 bytes, the ICRC and the VCRC.
 *
 * The ICRC is CRC-32 (the Ethernet polynomial, reflected, seed all ones,
 * complemented) over the packet from the LRH to the end of the padding,
 * with the fields a switch or router may rewrite taken as ones: LRH VL,
 * GRH TClass, FlowLabel and HopLmt, BTH Resv8a. The VCRC is CRC-16 with
 * the polynomial 0x100B (reflected, seed all ones, complemented) over
 * everything from the LRH to the ICRC; a switch recomputes it per hop.
 * Both are sent least significant byte first.
 */

#include <linux/bitfield.h>
#include <linux/crc32.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#include <rdma/ib_pack.h>

#include "../vhca_sim.h"
#include "wire.h"

static_assert(sizeof(struct vhca_lrh) == VHCA_LRH_BYTES);
static_assert(sizeof(struct vhca_grh) == VHCA_GRH_BYTES);
static_assert(sizeof(struct vhca_bth) == VHCA_BTH_BYTES);
static_assert(sizeof(struct vhca_deth) == VHCA_DETH_BYTES);
static_assert(sizeof(struct vhca_reth) == VHCA_RETH_BYTES);
static_assert(sizeof(struct vhca_aeth) == VHCA_AETH_BYTES);

/* what an opcode carries */
#define VHCA_OPF_VALID		BIT(0)
#define VHCA_OPF_DETH		BIT(1)
#define VHCA_OPF_RETH		BIT(2)
#define VHCA_OPF_AETH		BIT(3)
#define VHCA_OPF_IMM		BIT(4)
#define VHCA_OPF_PAYLOAD	BIT(5)

#define VHCA_OPF_DATA		(VHCA_OPF_VALID | VHCA_OPF_PAYLOAD)
#define VHCA_OPF_DATA_IMM	(VHCA_OPF_DATA | VHCA_OPF_IMM)

/* the opcodes the model sends and accepts; atomics and RD are not */
#define VHCA_OPS_SEND_WRITE(t)						\
	[IB_OPCODE_ ## t ## _SEND_FIRST] = VHCA_OPF_DATA,		\
	[IB_OPCODE_ ## t ## _SEND_MIDDLE] = VHCA_OPF_DATA,		\
	[IB_OPCODE_ ## t ## _SEND_LAST] = VHCA_OPF_DATA,		\
	[IB_OPCODE_ ## t ## _SEND_LAST_WITH_IMMEDIATE] = VHCA_OPF_DATA_IMM, \
	[IB_OPCODE_ ## t ## _SEND_ONLY] = VHCA_OPF_DATA,		\
	[IB_OPCODE_ ## t ## _SEND_ONLY_WITH_IMMEDIATE] = VHCA_OPF_DATA_IMM, \
	[IB_OPCODE_ ## t ## _RDMA_WRITE_FIRST] = VHCA_OPF_DATA | VHCA_OPF_RETH, \
	[IB_OPCODE_ ## t ## _RDMA_WRITE_MIDDLE] = VHCA_OPF_DATA,	\
	[IB_OPCODE_ ## t ## _RDMA_WRITE_LAST] = VHCA_OPF_DATA,		\
	[IB_OPCODE_ ## t ## _RDMA_WRITE_LAST_WITH_IMMEDIATE] = VHCA_OPF_DATA_IMM, \
	[IB_OPCODE_ ## t ## _RDMA_WRITE_ONLY] = VHCA_OPF_DATA | VHCA_OPF_RETH, \
	[IB_OPCODE_ ## t ## _RDMA_WRITE_ONLY_WITH_IMMEDIATE] =		\
		VHCA_OPF_DATA_IMM | VHCA_OPF_RETH

static const u8 vhca_opcode_flags[256] = {
	VHCA_OPS_SEND_WRITE(RC),
	[IB_OPCODE_RC_RDMA_READ_REQUEST] = VHCA_OPF_VALID | VHCA_OPF_RETH,
	[IB_OPCODE_RC_RDMA_READ_RESPONSE_FIRST] = VHCA_OPF_DATA | VHCA_OPF_AETH,
	[IB_OPCODE_RC_RDMA_READ_RESPONSE_MIDDLE] = VHCA_OPF_DATA,
	[IB_OPCODE_RC_RDMA_READ_RESPONSE_LAST] = VHCA_OPF_DATA | VHCA_OPF_AETH,
	[IB_OPCODE_RC_RDMA_READ_RESPONSE_ONLY] = VHCA_OPF_DATA | VHCA_OPF_AETH,
	[IB_OPCODE_RC_ACKNOWLEDGE] = VHCA_OPF_VALID | VHCA_OPF_AETH,
	VHCA_OPS_SEND_WRITE(UC),
	[IB_OPCODE_UD_SEND_ONLY] = VHCA_OPF_DATA | VHCA_OPF_DETH,
	[IB_OPCODE_UD_SEND_ONLY_WITH_IMMEDIATE] = VHCA_OPF_DATA_IMM |
						  VHCA_OPF_DETH,
};

bool vhca_opcode_valid(u8 opcode)
{
	return vhca_opcode_flags[opcode] & VHCA_OPF_VALID;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_opcode_valid);

bool vhca_opcode_has_deth(u8 opcode)
{
	return vhca_opcode_flags[opcode] & VHCA_OPF_DETH;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_opcode_has_deth);

bool vhca_opcode_has_reth(u8 opcode)
{
	return vhca_opcode_flags[opcode] & VHCA_OPF_RETH;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_opcode_has_reth);

bool vhca_opcode_has_aeth(u8 opcode)
{
	return vhca_opcode_flags[opcode] & VHCA_OPF_AETH;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_opcode_has_aeth);

bool vhca_opcode_has_imm(u8 opcode)
{
	return vhca_opcode_flags[opcode] & VHCA_OPF_IMM;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_opcode_has_imm);

bool vhca_opcode_has_payload(u8 opcode)
{
	return vhca_opcode_flags[opcode] & VHCA_OPF_PAYLOAD;
}

/* bytes of the extension headers after the BTH */
static u32 vhca_ext_bytes(u8 flags)
{
	u32 n = 0;

	if (flags & VHCA_OPF_DETH)
		n += VHCA_DETH_BYTES;
	if (flags & VHCA_OPF_RETH)
		n += VHCA_RETH_BYTES;
	if (flags & VHCA_OPF_AETH)
		n += VHCA_AETH_BYTES;
	if (flags & VHCA_OPF_IMM)
		n += VHCA_IMM_BYTES;
	return n;
}

/* CRC-16, polynomial 0x100B reflected (0xD008), one entry per byte */
static const u16 vhca_vcrc_table[256] = {
	0x0000, 0x1ba1, 0x3742, 0x2ce3, 0x6e84, 0x7525, 0x59c6, 0x4267,
	0xdd08, 0xc6a9, 0xea4a, 0xf1eb, 0xb38c, 0xa82d, 0x84ce, 0x9f6f,
	0x1a01, 0x01a0, 0x2d43, 0x36e2, 0x7485, 0x6f24, 0x43c7, 0x5866,
	0xc709, 0xdca8, 0xf04b, 0xebea, 0xa98d, 0xb22c, 0x9ecf, 0x856e,
	0x3402, 0x2fa3, 0x0340, 0x18e1, 0x5a86, 0x4127, 0x6dc4, 0x7665,
	0xe90a, 0xf2ab, 0xde48, 0xc5e9, 0x878e, 0x9c2f, 0xb0cc, 0xab6d,
	0x2e03, 0x35a2, 0x1941, 0x02e0, 0x4087, 0x5b26, 0x77c5, 0x6c64,
	0xf30b, 0xe8aa, 0xc449, 0xdfe8, 0x9d8f, 0x862e, 0xaacd, 0xb16c,
	0x6804, 0x73a5, 0x5f46, 0x44e7, 0x0680, 0x1d21, 0x31c2, 0x2a63,
	0xb50c, 0xaead, 0x824e, 0x99ef, 0xdb88, 0xc029, 0xecca, 0xf76b,
	0x7205, 0x69a4, 0x4547, 0x5ee6, 0x1c81, 0x0720, 0x2bc3, 0x3062,
	0xaf0d, 0xb4ac, 0x984f, 0x83ee, 0xc189, 0xda28, 0xf6cb, 0xed6a,
	0x5c06, 0x47a7, 0x6b44, 0x70e5, 0x3282, 0x2923, 0x05c0, 0x1e61,
	0x810e, 0x9aaf, 0xb64c, 0xaded, 0xef8a, 0xf42b, 0xd8c8, 0xc369,
	0x4607, 0x5da6, 0x7145, 0x6ae4, 0x2883, 0x3322, 0x1fc1, 0x0460,
	0x9b0f, 0x80ae, 0xac4d, 0xb7ec, 0xf58b, 0xee2a, 0xc2c9, 0xd968,
	0xd008, 0xcba9, 0xe74a, 0xfceb, 0xbe8c, 0xa52d, 0x89ce, 0x926f,
	0x0d00, 0x16a1, 0x3a42, 0x21e3, 0x6384, 0x7825, 0x54c6, 0x4f67,
	0xca09, 0xd1a8, 0xfd4b, 0xe6ea, 0xa48d, 0xbf2c, 0x93cf, 0x886e,
	0x1701, 0x0ca0, 0x2043, 0x3be2, 0x7985, 0x6224, 0x4ec7, 0x5566,
	0xe40a, 0xffab, 0xd348, 0xc8e9, 0x8a8e, 0x912f, 0xbdcc, 0xa66d,
	0x3902, 0x22a3, 0x0e40, 0x15e1, 0x5786, 0x4c27, 0x60c4, 0x7b65,
	0xfe0b, 0xe5aa, 0xc949, 0xd2e8, 0x908f, 0x8b2e, 0xa7cd, 0xbc6c,
	0x2303, 0x38a2, 0x1441, 0x0fe0, 0x4d87, 0x5626, 0x7ac5, 0x6164,
	0xb80c, 0xa3ad, 0x8f4e, 0x94ef, 0xd688, 0xcd29, 0xe1ca, 0xfa6b,
	0x6504, 0x7ea5, 0x5246, 0x49e7, 0x0b80, 0x1021, 0x3cc2, 0x2763,
	0xa20d, 0xb9ac, 0x954f, 0x8eee, 0xcc89, 0xd728, 0xfbcb, 0xe06a,
	0x7f05, 0x64a4, 0x4847, 0x53e6, 0x1181, 0x0a20, 0x26c3, 0x3d62,
	0x8c0e, 0x97af, 0xbb4c, 0xa0ed, 0xe28a, 0xf92b, 0xd5c8, 0xce69,
	0x5106, 0x4aa7, 0x6644, 0x7de5, 0x3f82, 0x2423, 0x08c0, 0x1361,
	0x960f, 0x8dae, 0xa14d, 0xbaec, 0xf88b, 0xe32a, 0xcfc9, 0xd468,
	0x4b07, 0x50a6, 0x7c45, 0x67e4, 0x2583, 0x3e22, 0x12c1, 0x0960,
};

/* Slicing by 8: vhca_vcrc_slice[k][b] is vhca_vcrc_table[b] run through k
 * more zero bytes, so eight bytes take eight independent lookups
 * (vhca_wire_init() fills it). The VCRC covers every byte of every packet
 * twice (sealed by the sender, checked by the receiver): a byte at a time
 * it was the model's costliest loop.
 */
static u16 vhca_vcrc_slice[8][256] __read_mostly;

/* fill vhca_vcrc_slice; called once, before any packet is built */
void vhca_wire_init(void)
{
	unsigned int b, k;
	u16 c;

	for (b = 0; b < 256; b++) {
		c = vhca_vcrc_table[b];
		vhca_vcrc_slice[0][b] = c;
		for (k = 1; k < 8; k++) {
			c = (c >> 8) ^ vhca_vcrc_table[c & 0xff];
			vhca_vcrc_slice[k][b] = c;
		}
	}
}

/**
 * vhca_vcrc - the VCRC of a packet
 * @pkt: the packet bytes from the LRH
 * @len: bytes to cover (LRH .. ICRC)
 *
 * Return: the VCRC, as vhca_wire_seal() stores it (little-endian).
 */
u16 vhca_vcrc(const u8 *pkt, u32 len)
{
	const u16 (*t)[256] = vhca_vcrc_slice;
	u16 crc = 0xffff;
	u64 v;

	for (; len >= 8; len -= 8, pkt += 8) {
		v = get_unaligned_le64(pkt) ^ crc;
		crc = t[7][v & 0xff] ^ t[6][(v >> 8) & 0xff] ^
		      t[5][(v >> 16) & 0xff] ^ t[4][(v >> 24) & 0xff] ^
		      t[3][(v >> 32) & 0xff] ^ t[2][(v >> 40) & 0xff] ^
		      t[1][(v >> 48) & 0xff] ^ t[0][v >> 56];
	}
	while (len--)
		crc = (crc >> 8) ^ vhca_vcrc_table[(crc ^ *pkt++) & 0xff];
	return ~crc;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_vcrc);

/**
 * vhca_icrc - the ICRC of a packet
 * @pkt: the packet bytes from the LRH
 * @len_without_crcs: bytes to cover (LRH .. padding)
 *
 * The variant fields count as ones whatever the packet holds.
 *
 * Return: the ICRC, as vhca_wire_seal() stores it (little-endian).
 */
u32 vhca_icrc(const u8 *pkt, u32 len_without_crcs)
{
	u8 hdr[VHCA_LRH_BYTES + VHCA_GRH_BYTES + VHCA_BTH_BYTES];
	u32 hlen = VHCA_LRH_BYTES + VHCA_BTH_BYTES, bth = VHCA_LRH_BYTES;
	struct vhca_grh *grh;
	u32 crc;

	if (len_without_crcs < hlen)
		return ~crc32_le(~0U, pkt, len_without_crcs);
	if (FIELD_GET(VHCA_LRH_LNH, pkt[1]) == VHCA_LNH_GLOBAL &&
	    len_without_crcs >= hlen + VHCA_GRH_BYTES) {
		hlen += VHCA_GRH_BYTES;
		bth += VHCA_GRH_BYTES;
	}
	memcpy(hdr, pkt, hlen);
	hdr[0] |= FIELD_PREP(VHCA_LRH_VL, 0xf);
	if (bth != VHCA_LRH_BYTES) {
		grh = (struct vhca_grh *)(hdr + VHCA_LRH_BYTES);
		grh->ver_tc_flow |= cpu_to_be32(VHCA_GRH_TCLASS |
						VHCA_GRH_FLOW);
		grh->hop_limit = 0xff;
	}
	((struct vhca_bth *)(hdr + bth))->dqpn |= cpu_to_be32(VHCA_BTH_RESV8A);
	crc = crc32_le(~0U, hdr, hlen);
	crc = crc32_le(crc, pkt + hlen, len_without_crcs - hlen);
	return ~crc;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_icrc);

/* Packets are recycled: a datagram is allocated by one engine and freed by
 * another, usually on the other CPU, and kmalloc's cross-CPU free path for
 * its 8 KiB objects was a fifth of the model's time under TCG. Up to
 * VHCA_PKT_POOL_MAX buffers of VHCA_WIRE_MAX_BYTES wait here for reuse.
 */
#define VHCA_PKT_POOL_MAX	256

static DEFINE_SPINLOCK(vhca_pkt_pool_lock);
static LIST_HEAD(vhca_pkt_pool);
static unsigned int vhca_pkt_pool_len;

static struct vhca_pkt *vhca_pkt_get(u32 len, gfp_t gfp)
{
	struct vhca_pkt *pkt;
	unsigned long flags;

	if (len > VHCA_WIRE_MAX_BYTES) {
		pkt = kmalloc(struct_size(pkt, data, len), gfp);
		if (pkt)
			pkt->pooled = false;
		return pkt;
	}
	spin_lock_irqsave(&vhca_pkt_pool_lock, flags);
	pkt = list_first_entry_or_null(&vhca_pkt_pool, struct vhca_pkt, list);
	if (pkt) {
		list_del(&pkt->list);
		vhca_pkt_pool_len--;
	}
	spin_unlock_irqrestore(&vhca_pkt_pool_lock, flags);
	if (!pkt)
		pkt = kmalloc(struct_size(pkt, data, VHCA_WIRE_MAX_BYTES), gfp);
	if (pkt)
		pkt->pooled = true;
	return pkt;
}

/**
 * vhca_pkt_free - release a packet
 * @pkt: the packet, on no list; may be NULL
 */
void vhca_pkt_free(struct vhca_pkt *pkt)
{
	unsigned long flags;

	if (!pkt)
		return;
	if (pkt->pooled) {
		spin_lock_irqsave(&vhca_pkt_pool_lock, flags);
		if (vhca_pkt_pool_len < VHCA_PKT_POOL_MAX) {
			list_add(&pkt->list, &vhca_pkt_pool);
			vhca_pkt_pool_len++;
			pkt = NULL;
		}
		spin_unlock_irqrestore(&vhca_pkt_pool_lock, flags);
	}
	kfree(pkt);
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_pkt_free);

/**
 * vhca_pkt_clone - copy a packet
 * @pkt: the packet
 * @gfp: allocation flags
 *
 * Return: the copy (not on any list), or NULL.
 */
struct vhca_pkt *vhca_pkt_clone(const struct vhca_pkt *pkt, gfp_t gfp)
{
	struct vhca_pkt *copy = vhca_pkt_get(pkt->len, gfp);

	if (!copy)
		return NULL;
	INIT_LIST_HEAD(&copy->list);
	copy->ingress = pkt->ingress;
	copy->len = pkt->len;
	memcpy(copy->data, pkt->data, pkt->len);
	return copy;
}

/* the pool's buffers freed; every engine has stopped */
void vhca_wire_exit(void)
{
	struct vhca_pkt *pkt, *tmp;

	list_for_each_entry_safe(pkt, tmp, &vhca_pkt_pool, list)
		kfree(pkt);
	INIT_LIST_HEAD(&vhca_pkt_pool);
	vhca_pkt_pool_len = 0;
}

/**
 * vhca_wire_alloc - allocate a packet and write its headers
 * @info: the header fields; @info->payload_len says how much payload
 * @gfp: allocation flags
 * @payload: set to where the payload goes; the padding is zeroed
 *
 * The caller fills the payload, then calls vhca_wire_seal().
 *
 * Return: the packet, NULL on allocation failure or an opcode the wire
 * does not carry.
 */
struct vhca_pkt *vhca_wire_alloc(const struct vhca_pkt_info *info, gfp_t gfp,
				 u8 **payload)
{
	u8 flags = vhca_opcode_flags[info->opcode];
	u32 pad = -info->payload_len & 3;
	struct vhca_pkt *pkt;
	struct vhca_lrh *lrh;
	struct vhca_bth *bth;
	u32 len, ext;
	u8 *p;

	if (WARN_ON_ONCE(!(flags & VHCA_OPF_VALID)) ||
	    WARN_ON_ONCE(info->payload_len > 4096 ||
			 (info->payload_len && !(flags & VHCA_OPF_PAYLOAD))))
		return NULL;
	ext = vhca_ext_bytes(flags);
	len = VHCA_LRH_BYTES + (info->grh ? VHCA_GRH_BYTES : 0) +
	      VHCA_BTH_BYTES + ext + info->payload_len + pad +
	      VHCA_ICRC_BYTES + VHCA_VCRC_BYTES;
	pkt = vhca_pkt_get(len, gfp);
	if (!pkt)
		return NULL;
	INIT_LIST_HEAD(&pkt->list);
	pkt->ingress = NULL;
	pkt->len = len;
	p = pkt->data;

	lrh = (struct vhca_lrh *)p;
	lrh->vl_lver = FIELD_PREP(VHCA_LRH_VL, info->vl);
	lrh->sl_lnh = FIELD_PREP(VHCA_LRH_SL, info->sl) |
		      (info->grh ? VHCA_LNH_GLOBAL : VHCA_LNH_LOCAL);
	lrh->dlid = cpu_to_be16(info->dlid);
	lrh->pktlen = cpu_to_be16((len - VHCA_VCRC_BYTES) / 4);
	lrh->slid = cpu_to_be16(info->slid);
	p += VHCA_LRH_BYTES;

	if (info->grh) {
		struct vhca_grh *grh = (struct vhca_grh *)p;

		grh->ver_tc_flow =
			cpu_to_be32(FIELD_PREP(VHCA_GRH_IPVER,
					       VHCA_GRH_IPVER_6) |
				    FIELD_PREP(VHCA_GRH_TCLASS, info->tclass) |
				    FIELD_PREP(VHCA_GRH_FLOW,
					       info->flow_label & VHCA_GRH_FLOW));
		grh->paylen = cpu_to_be16(len - VHCA_LRH_BYTES -
					  VHCA_GRH_BYTES - VHCA_VCRC_BYTES);
		grh->nxthdr = VHCA_GRH_NXTHDR_IBA;
		grh->hop_limit = info->hop_limit;
		memcpy(grh->sgid, info->sgid, sizeof(grh->sgid));
		memcpy(grh->dgid, info->dgid, sizeof(grh->dgid));
		p += VHCA_GRH_BYTES;
	}

	bth = (struct vhca_bth *)p;
	bth->opcode = info->opcode;
	bth->flags = (info->se ? VHCA_BTH_SE : 0) |
		     FIELD_PREP(VHCA_BTH_PAD, pad);
	bth->pkey = cpu_to_be16(info->pkey);
	bth->dqpn = cpu_to_be32(info->dqpn & VHCA_BTH_QPN);
	bth->apsn = cpu_to_be32((info->ackreq ? VHCA_BTH_ACKREQ : 0) |
				(info->psn & VHCA_BTH_PSN));
	p += VHCA_BTH_BYTES;

	if (flags & VHCA_OPF_DETH) {
		struct vhca_deth *deth = (struct vhca_deth *)p;

		deth->qkey = cpu_to_be32(info->qkey);
		deth->sqpn = cpu_to_be32(info->sqpn & VHCA_BTH_QPN);
		p += VHCA_DETH_BYTES;
	}
	if (flags & VHCA_OPF_RETH) {
		struct vhca_reth *reth = (struct vhca_reth *)p;

		reth->va = cpu_to_be64(info->va);
		reth->rkey = cpu_to_be32(info->rkey);
		reth->dma_len = cpu_to_be32(info->dma_len);
		p += VHCA_RETH_BYTES;
	}
	if (flags & VHCA_OPF_AETH) {
		struct vhca_aeth *aeth = (struct vhca_aeth *)p;

		aeth->syn_msn = cpu_to_be32(FIELD_PREP(VHCA_AETH_SYN,
						       info->syndrome) |
					    (info->msn & VHCA_AETH_MSN));
		p += VHCA_AETH_BYTES;
	}
	if (flags & VHCA_OPF_IMM) {
		memcpy(p, &info->imm, VHCA_IMM_BYTES);
		p += VHCA_IMM_BYTES;
	}
	*payload = p;
	memset(p + info->payload_len, 0, pad);
	return pkt;
}

/**
 * vhca_wire_seal - compute and store a built packet's ICRC and VCRC
 * @pkt: the packet, payload filled in
 */
void vhca_wire_seal(struct vhca_pkt *pkt)
{
	u32 icrc_off = pkt->len - VHCA_ICRC_BYTES - VHCA_VCRC_BYTES;

	put_unaligned_le32(vhca_icrc(pkt->data, icrc_off),
			   pkt->data + icrc_off);
	put_unaligned_le16(vhca_vcrc(pkt->data, pkt->len - VHCA_VCRC_BYTES),
			   pkt->data + pkt->len - VHCA_VCRC_BYTES);
}

struct vhca_pkt *vhca_wire_build(const struct vhca_pkt_info *info, gfp_t gfp)
{
	struct vhca_pkt *pkt;
	u8 *payload;

	pkt = vhca_wire_alloc(info, gfp, &payload);
	if (!pkt)
		return NULL;
	if (info->payload_len)
		memcpy(payload, info->payload, info->payload_len);
	vhca_wire_seal(pkt);
	return pkt;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_wire_build);

/**
 * vhca_wire_decode - check and decode a packet
 * @pkt: the packet
 * @info: filled; @info->payload points into @pkt
 * @bad_crc: set when the VCRC or the ICRC is what failed
 *
 * Return: 0, or -EBADMSG.
 */
int vhca_wire_decode(const struct vhca_pkt *pkt, struct vhca_pkt_info *info,
		     bool *bad_crc)
{
	const u8 *d = pkt->data, *p;
	const struct vhca_lrh *lrh = (const void *)d;
	const struct vhca_bth *bth;
	u32 len = pkt->len, hlen, total, pad;
	u8 lnh, flags;

	*bad_crc = false;
	if (len < VHCA_LRH_BYTES + VHCA_BTH_BYTES + VHCA_ICRC_BYTES +
		  VHCA_VCRC_BYTES)
		return -EBADMSG;
	lnh = FIELD_GET(VHCA_LRH_LNH, lrh->sl_lnh);
	if (FIELD_GET(VHCA_LRH_LVER, lrh->vl_lver) ||
	    (lnh != VHCA_LNH_LOCAL && lnh != VHCA_LNH_GLOBAL) ||
	    lrh->sl_lnh & GENMASK(3, 2) ||
	    (be16_to_cpu(lrh->pktlen) & ~VHCA_LRH_PKTLEN) ||
	    be16_to_cpu(lrh->pktlen) * 4 + VHCA_VCRC_BYTES != len)
		return -EBADMSG;
	if (vhca_vcrc(d, len - VHCA_VCRC_BYTES) !=
	    get_unaligned_le16(d + len - VHCA_VCRC_BYTES)) {
		*bad_crc = true;
		return -EBADMSG;
	}

	memset(info, 0, sizeof(*info));
	info->vl = FIELD_GET(VHCA_LRH_VL, lrh->vl_lver);
	info->sl = FIELD_GET(VHCA_LRH_SL, lrh->sl_lnh);
	info->dlid = be16_to_cpu(lrh->dlid);
	info->slid = be16_to_cpu(lrh->slid);
	p = d + VHCA_LRH_BYTES;
	hlen = VHCA_LRH_BYTES + VHCA_BTH_BYTES;

	if (lnh == VHCA_LNH_GLOBAL) {
		const struct vhca_grh *grh = (const void *)p;
		u32 vtf;

		hlen += VHCA_GRH_BYTES;
		if (len < hlen + VHCA_ICRC_BYTES + VHCA_VCRC_BYTES)
			return -EBADMSG;
		vtf = be32_to_cpu(grh->ver_tc_flow);
		if (FIELD_GET(VHCA_GRH_IPVER, vtf) != VHCA_GRH_IPVER_6 ||
		    grh->nxthdr != VHCA_GRH_NXTHDR_IBA ||
		    be16_to_cpu(grh->paylen) != len - VHCA_LRH_BYTES -
						VHCA_GRH_BYTES - VHCA_VCRC_BYTES)
			return -EBADMSG;
		info->grh = true;
		info->tclass = FIELD_GET(VHCA_GRH_TCLASS, vtf);
		info->flow_label = FIELD_GET(VHCA_GRH_FLOW, vtf);
		info->hop_limit = grh->hop_limit;
		memcpy(info->sgid, grh->sgid, sizeof(info->sgid));
		memcpy(info->dgid, grh->dgid, sizeof(info->dgid));
		p += VHCA_GRH_BYTES;
	}

	bth = (const void *)p;
	flags = vhca_opcode_flags[bth->opcode];
	if (!(flags & VHCA_OPF_VALID) ||
	    FIELD_GET(VHCA_BTH_TVER, bth->flags))
		return -EBADMSG;
	hlen += vhca_ext_bytes(flags);
	if (len < hlen + VHCA_ICRC_BYTES + VHCA_VCRC_BYTES)
		return -EBADMSG;
	total = len - hlen - VHCA_ICRC_BYTES - VHCA_VCRC_BYTES;
	pad = FIELD_GET(VHCA_BTH_PAD, bth->flags);
	if (pad > total || (!(flags & VHCA_OPF_PAYLOAD) && total))
		return -EBADMSG;
	if (vhca_icrc(d, len - VHCA_ICRC_BYTES - VHCA_VCRC_BYTES) !=
	    get_unaligned_le32(d + len - VHCA_ICRC_BYTES - VHCA_VCRC_BYTES)) {
		*bad_crc = true;
		return -EBADMSG;
	}

	info->opcode = bth->opcode;
	info->se = bth->flags & VHCA_BTH_SE;
	info->pkey = be16_to_cpu(bth->pkey);
	info->dqpn = be32_to_cpu(bth->dqpn) & VHCA_BTH_QPN;
	info->ackreq = be32_to_cpu(bth->apsn) & VHCA_BTH_ACKREQ;
	info->psn = be32_to_cpu(bth->apsn) & VHCA_BTH_PSN;
	p += VHCA_BTH_BYTES;

	if (flags & VHCA_OPF_DETH) {
		const struct vhca_deth *deth = (const void *)p;

		info->qkey = be32_to_cpu(deth->qkey);
		info->sqpn = be32_to_cpu(deth->sqpn) & VHCA_BTH_QPN;
		p += VHCA_DETH_BYTES;
	}
	if (flags & VHCA_OPF_RETH) {
		const struct vhca_reth *reth = (const void *)p;

		info->va = be64_to_cpu(reth->va);
		info->rkey = be32_to_cpu(reth->rkey);
		info->dma_len = be32_to_cpu(reth->dma_len);
		p += VHCA_RETH_BYTES;
	}
	if (flags & VHCA_OPF_AETH) {
		u32 v = be32_to_cpu(((const struct vhca_aeth *)p)->syn_msn);

		info->syndrome = FIELD_GET(VHCA_AETH_SYN, v);
		info->msn = v & VHCA_AETH_MSN;
		p += VHCA_AETH_BYTES;
	}
	if (flags & VHCA_OPF_IMM) {
		memcpy(&info->imm, p, VHCA_IMM_BYTES);
		p += VHCA_IMM_BYTES;
	}
	info->payload = p;
	info->payload_len = total - pad;
	return 0;
}

int vhca_wire_parse(const struct vhca_pkt *pkt, struct vhca_pkt_info *info)
{
	bool bad_crc;

	return vhca_wire_decode(pkt, info, &bad_crc);
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_wire_parse);

/**
 * vhca_wire_peek - where a packet goes, for forwarding
 * @pkt: the packet, not checked
 * @dlid: its LRH DLID
 * @dqpn: its BTH destination QP
 *
 * Return: 0, or -EBADMSG if the packet is too short to hold them.
 */
int vhca_wire_peek(const struct vhca_pkt *pkt, u16 *dlid, u32 *dqpn)
{
	const struct vhca_lrh *lrh = (const void *)pkt->data;
	const struct vhca_bth *bth;
	u32 off = VHCA_LRH_BYTES;

	if (pkt->len < VHCA_LRH_BYTES + VHCA_BTH_BYTES)
		return -EBADMSG;
	if (FIELD_GET(VHCA_LRH_LNH, lrh->sl_lnh) == VHCA_LNH_GLOBAL)
		off += VHCA_GRH_BYTES;
	if (pkt->len < off + VHCA_BTH_BYTES)
		return -EBADMSG;
	bth = (const void *)(pkt->data + off);
	*dlid = be16_to_cpu(lrh->dlid);
	*dqpn = be32_to_cpu(bth->dqpn) & VHCA_BTH_QPN;
	return 0;
}
