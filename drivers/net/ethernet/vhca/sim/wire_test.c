// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the packets of the emulated wire (fabric/wire.c). Packets built
 * and parsed back keep every field; a single flipped bit anywhere is
 * refused; the ICRC and VCRC equal bitwise reference implementations
 * written here from the IBA's definitions; the variant fields change the
 * VCRC but not the ICRC.
 */

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#include <rdma/ib_pack.h>

#include "vhca_sim.h"
#include "fabric/wire.h"

static const u8 vhca_test_sgid[16] = {
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x00, 0x1d, 0x1c, 0, 0, 0, 0x01, 0x01,
};

static const u8 vhca_test_mgid[16] = {
	0xff, 0x12, 0x40, 0x1b, 0xff, 0xff, 0, 0, 0, 0, 0, 0,
	0xff, 0xff, 0xff, 0xff,
};

static void vhca_test_fill(u8 *buf, u32 len, u8 seed)
{
	u32 i;

	for (i = 0; i < len; i++)
		buf[i] = seed + i * 7;
}

/* build @in, parse it back, compare every field the opcode carries */
static void vhca_test_round_trip(struct kunit *test,
				 const struct vhca_pkt_info *in)
{
	struct vhca_pkt_info out;
	struct vhca_pkt *pkt;
	u32 hdr;

	pkt = vhca_wire_build(in, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pkt);
	KUNIT_EXPECT_EQ(test, pkt->len % 4, 2U);
	KUNIT_ASSERT_EQ(test, vhca_wire_parse(pkt, &out), 0);

	KUNIT_EXPECT_EQ(test, out.vl, in->vl);
	KUNIT_EXPECT_EQ(test, out.sl, in->sl);
	KUNIT_EXPECT_EQ(test, out.dlid, in->dlid);
	KUNIT_EXPECT_EQ(test, out.slid, in->slid);
	KUNIT_EXPECT_EQ(test, out.grh, in->grh);
	if (in->grh) {
		KUNIT_EXPECT_EQ(test, out.tclass, in->tclass);
		KUNIT_EXPECT_EQ(test, out.flow_label, in->flow_label);
		KUNIT_EXPECT_EQ(test, out.hop_limit, in->hop_limit);
		KUNIT_EXPECT_EQ(test, memcmp(out.sgid, in->sgid, 16), 0);
		KUNIT_EXPECT_EQ(test, memcmp(out.dgid, in->dgid, 16), 0);
	}
	KUNIT_EXPECT_EQ(test, out.opcode, in->opcode);
	KUNIT_EXPECT_EQ(test, out.se, in->se);
	KUNIT_EXPECT_EQ(test, out.ackreq, in->ackreq);
	KUNIT_EXPECT_EQ(test, out.pkey, in->pkey);
	KUNIT_EXPECT_EQ(test, out.dqpn, in->dqpn);
	KUNIT_EXPECT_EQ(test, out.psn, in->psn);
	if (vhca_opcode_has_deth(in->opcode)) {
		KUNIT_EXPECT_EQ(test, out.qkey, in->qkey);
		KUNIT_EXPECT_EQ(test, out.sqpn, in->sqpn);
	}
	if (vhca_opcode_has_reth(in->opcode)) {
		KUNIT_EXPECT_EQ(test, out.va, in->va);
		KUNIT_EXPECT_EQ(test, out.rkey, in->rkey);
		KUNIT_EXPECT_EQ(test, out.dma_len, in->dma_len);
	}
	if (vhca_opcode_has_aeth(in->opcode)) {
		KUNIT_EXPECT_EQ(test, out.syndrome, in->syndrome);
		KUNIT_EXPECT_EQ(test, out.msn, in->msn);
	}
	if (vhca_opcode_has_imm(in->opcode))
		KUNIT_EXPECT_EQ(test, be32_to_cpu(out.imm), be32_to_cpu(in->imm));
	KUNIT_EXPECT_EQ(test, out.payload_len, in->payload_len);
	if (in->payload_len)
		KUNIT_EXPECT_EQ(test, memcmp(out.payload, in->payload,
					     in->payload_len), 0);

	/* the length is what the headers and the padded payload make */
	hdr = VHCA_LRH_BYTES + (in->grh ? VHCA_GRH_BYTES : 0) +
	      VHCA_BTH_BYTES +
	      (vhca_opcode_has_deth(in->opcode) ? VHCA_DETH_BYTES : 0) +
	      (vhca_opcode_has_reth(in->opcode) ? VHCA_RETH_BYTES : 0) +
	      (vhca_opcode_has_aeth(in->opcode) ? VHCA_AETH_BYTES : 0) +
	      (vhca_opcode_has_imm(in->opcode) ? VHCA_IMM_BYTES : 0);
	KUNIT_EXPECT_EQ(test, pkt->len, hdr + ALIGN(in->payload_len, 4) +
			VHCA_ICRC_BYTES + VHCA_VCRC_BYTES);
	kfree(pkt);
}

static void vhca_test_ud_info(struct vhca_pkt_info *info, u8 *payload,
			      u32 len, bool grh)
{
	memset(info, 0, sizeof(*info));
	info->sl = 3;
	info->dlid = grh ? 0xc001 : 0x0005;
	info->slid = 0x0002;
	info->opcode = IB_OPCODE_UD_SEND_ONLY;
	info->pkey = 0xffff;
	info->dqpn = grh ? 0xffffff : 0x000123;
	info->psn = 0xabcdef;
	info->qkey = 0x0b1b;
	info->sqpn = 0x000456;
	vhca_test_fill(payload, len, 0x11);
	info->payload = payload;
	info->payload_len = len;
	if (grh) {
		info->grh = true;
		info->tclass = 0x5a;
		info->flow_label = 0xabcde;
		info->hop_limit = 0x40;
		memcpy(info->sgid, vhca_test_sgid, 16);
		memcpy(info->dgid, vhca_test_mgid, 16);
	}
}

static void vhca_wire_ud_round_trip(struct kunit *test)
{
	static const u32 lens[] = { 0, 1, 2, 3, 4, 13, 256, 2044, 4096 };
	struct vhca_pkt_info info;
	unsigned int i;
	u8 *payload;

	payload = kunit_kmalloc(test, 4096, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, payload);
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		vhca_test_ud_info(&info, payload, lens[i], false);
		vhca_test_round_trip(test, &info);
		vhca_test_ud_info(&info, payload, lens[i], true);
		vhca_test_round_trip(test, &info);
	}
	/* with immediate data and a solicited event */
	vhca_test_ud_info(&info, payload, 100, true);
	info.opcode = IB_OPCODE_UD_SEND_ONLY_WITH_IMMEDIATE;
	info.imm = cpu_to_be32(0xdeadbeef);
	info.se = true;
	vhca_test_round_trip(test, &info);
}

static void vhca_test_rc_info(struct vhca_pkt_info *info, u8 opcode,
			      u8 *payload, u32 len)
{
	memset(info, 0, sizeof(*info));
	info->sl = 0;
	info->dlid = 0x0003;
	info->slid = 0x0002;
	info->opcode = opcode;
	info->pkey = 0x8001;
	info->dqpn = 0x000042;
	info->psn = 0xfffffe;
	vhca_test_fill(payload, len, 0x5c);
	info->payload = payload;
	info->payload_len = len;
}

static void vhca_wire_rc_round_trip(struct kunit *test)
{
	struct vhca_pkt_info info;
	u8 *payload;

	payload = kunit_kmalloc(test, 4096, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, payload);

	vhca_test_rc_info(&info, IB_OPCODE_RC_SEND_FIRST, payload, 2048);
	vhca_test_round_trip(test, &info);

	vhca_test_rc_info(&info, IB_OPCODE_RC_SEND_ONLY_WITH_IMMEDIATE,
			  payload, 77);
	info.imm = cpu_to_be32(0x01020304);
	info.se = true;
	info.ackreq = true;
	vhca_test_round_trip(test, &info);

	vhca_test_rc_info(&info, IB_OPCODE_RC_RDMA_WRITE_FIRST, payload, 1024);
	info.va = 0x123456789abcdef0ULL;
	info.rkey = 0x00abcd12;
	info.dma_len = 0x10000;
	vhca_test_round_trip(test, &info);

	vhca_test_rc_info(&info, IB_OPCODE_UC_RDMA_WRITE_ONLY_WITH_IMMEDIATE,
			  payload, 3);
	info.va = 0xfff0;
	info.rkey = 0x300;
	info.dma_len = 3;
	info.imm = cpu_to_be32(7);
	vhca_test_round_trip(test, &info);

	vhca_test_rc_info(&info, IB_OPCODE_RC_RDMA_READ_REQUEST, payload, 0);
	info.va = 0x1000;
	info.rkey = 0x500;
	info.dma_len = 65536;
	vhca_test_round_trip(test, &info);

	vhca_test_rc_info(&info, IB_OPCODE_RC_ACKNOWLEDGE, payload, 0);
	info.syndrome = VHCA_AETH_NAK | VHCA_NAK_PSN_SEQ;
	info.msn = 0x00beef;
	vhca_test_round_trip(test, &info);

	vhca_test_rc_info(&info, IB_OPCODE_RC_RDMA_READ_RESPONSE_ONLY,
			  payload, 4096);
	info.syndrome = VHCA_AETH_ACK | VHCA_AETH_NO_CREDITS;
	info.msn = 1;
	vhca_test_round_trip(test, &info);
}

/* opcodes the wire does not carry are refused (atomics, RD, CNP) */
static void vhca_wire_opcodes(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, vhca_opcode_valid(IB_OPCODE_UD_SEND_ONLY));
	KUNIT_EXPECT_TRUE(test, vhca_opcode_valid(IB_OPCODE_RC_ACKNOWLEDGE));
	KUNIT_EXPECT_TRUE(test, vhca_opcode_valid(IB_OPCODE_UC_SEND_MIDDLE));
	KUNIT_EXPECT_FALSE(test, vhca_opcode_valid(IB_OPCODE_RC_FETCH_ADD));
	KUNIT_EXPECT_FALSE(test, vhca_opcode_valid(IB_OPCODE_UD + IB_OPCODE_SEND_FIRST));
	KUNIT_EXPECT_FALSE(test, vhca_opcode_valid(IB_OPCODE_RD_SEND_ONLY));
	KUNIT_EXPECT_FALSE(test, vhca_opcode_valid(IB_OPCODE_CNP));
	KUNIT_EXPECT_FALSE(test,
			   vhca_opcode_valid(IB_OPCODE_UC +
					     IB_OPCODE_RDMA_READ_REQUEST));
	KUNIT_EXPECT_TRUE(test, vhca_opcode_has_deth(IB_OPCODE_UD_SEND_ONLY));
	KUNIT_EXPECT_TRUE(test,
			  vhca_opcode_has_reth(IB_OPCODE_RC_RDMA_WRITE_ONLY));
	KUNIT_EXPECT_FALSE(test,
			   vhca_opcode_has_reth(IB_OPCODE_RC_RDMA_WRITE_LAST));
	KUNIT_EXPECT_TRUE(test,
			  vhca_opcode_has_aeth(IB_OPCODE_RC_RDMA_READ_RESPONSE_LAST));
	KUNIT_EXPECT_FALSE(test,
			   vhca_opcode_has_aeth(IB_OPCODE_RC_RDMA_READ_RESPONSE_MIDDLE));
}

/* one flipped bit anywhere, CRCs included, and the packet is refused */
static void vhca_wire_bit_flips(struct kunit *test)
{
	struct vhca_pkt_info info, out;
	struct vhca_pkt *pkt;
	u8 payload[13];
	u32 bit;

	vhca_test_ud_info(&info, payload, sizeof(payload), true);
	pkt = vhca_wire_build(&info, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pkt);
	KUNIT_ASSERT_EQ(test, vhca_wire_parse(pkt, &out), 0);
	for (bit = 0; bit < pkt->len * 8; bit++) {
		pkt->data[bit / 8] ^= BIT(bit % 8);
		KUNIT_EXPECT_EQ_MSG(test, vhca_wire_parse(pkt, &out), -EBADMSG,
				    "bit %u", bit);
		pkt->data[bit / 8] ^= BIT(bit % 8);
	}
	KUNIT_EXPECT_EQ(test, vhca_wire_parse(pkt, &out), 0);

	/* a length that is not the packet's */
	pkt->len -= 4;
	KUNIT_EXPECT_EQ(test, vhca_wire_parse(pkt, &out), -EBADMSG);
	pkt->len = 10;
	KUNIT_EXPECT_EQ(test, vhca_wire_parse(pkt, &out), -EBADMSG);
	kfree(pkt);
}

/* CRC-32 of the IBA (Ethernet's), bit by bit, least significant first */
static u32 vhca_test_crc32(const u8 *p, u32 len)
{
	u32 crc = 0xffffffff;
	int b;

	while (len--) {
		crc ^= *p++;
		for (b = 0; b < 8; b++)
			crc = (crc >> 1) ^ ((crc & 1) ? 0xedb88320 : 0);
	}
	return ~crc;
}

static u8 vhca_test_rev8(u8 v)
{
	u8 r = 0;
	int i;

	for (i = 0; i < 8; i++)
		if (v & BIT(i))
			r |= BIT(7 - i);
	return r;
}

/* The VCRC as a shift register with polynomial 0x100B fed most
 * significant bit first with each byte's bits in wire order (least
 * significant first), complemented and bit-reversed at the end: the
 * same CRC as the table-driven reflected form, computed another way.
 */
static u16 vhca_test_crc16(const u8 *p, u32 len)
{
	u16 crc = 0xffff, r = 0;
	u8 v;
	int b;

	while (len--) {
		v = vhca_test_rev8(*p++);
		for (b = 7; b >= 0; b--) {
			bool in = ((crc >> 15) ^ (v >> b)) & 1;

			crc <<= 1;
			if (in)
				crc ^= 0x100b;
		}
	}
	crc = ~crc;
	for (b = 0; b < 16; b++)
		if (crc & BIT(b))
			r |= BIT(15 - b);
	return r;
}

static void vhca_test_check_crcs(struct kunit *test, struct vhca_pkt *pkt,
				 bool grh)
{
	u32 icrc_off = pkt->len - VHCA_ICRC_BYTES - VHCA_VCRC_BYTES;
	u32 bth = VHCA_LRH_BYTES + (grh ? VHCA_GRH_BYTES : 0);
	u8 *copy;

	copy = kunit_kmalloc(test, pkt->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	memcpy(copy, pkt->data, pkt->len);
	/* the variant fields, as ones */
	copy[0] |= 0xf0;				/* LRH VL */
	if (grh) {
		copy[VHCA_LRH_BYTES] |= 0x0f;		/* TClass, Flow */
		memset(copy + VHCA_LRH_BYTES + 1, 0xff, 3);
		copy[VHCA_LRH_BYTES + 7] = 0xff;	/* HopLmt */
	}
	copy[bth + 4] = 0xff;				/* BTH Resv8a */

	KUNIT_EXPECT_EQ(test, get_unaligned_le32(pkt->data + icrc_off),
			vhca_test_crc32(copy, icrc_off));
	KUNIT_EXPECT_EQ(test, vhca_icrc(pkt->data, icrc_off),
			vhca_test_crc32(copy, icrc_off));
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(pkt->data + pkt->len - 2),
			vhca_test_crc16(pkt->data, pkt->len - 2));
	KUNIT_EXPECT_EQ(test, vhca_vcrc(pkt->data, pkt->len - 2),
			vhca_test_crc16(pkt->data, pkt->len - 2));
}

static void vhca_wire_crc_reference(struct kunit *test)
{
	static const u8 check[] = "123456789";
	struct vhca_pkt_info info;
	struct vhca_pkt *pkt;
	u8 *payload;

	/* the reference itself: CRC-32's published check value */
	KUNIT_EXPECT_EQ(test, vhca_test_crc32(check, 9), 0xcbf43926U);

	payload = kunit_kmalloc(test, 4096, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, payload);
	vhca_test_ud_info(&info, payload, 333, false);
	pkt = vhca_wire_build(&info, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pkt);
	vhca_test_check_crcs(test, pkt, false);
	kfree(pkt);

	vhca_test_ud_info(&info, payload, 4096, true);
	pkt = vhca_wire_build(&info, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pkt);
	vhca_test_check_crcs(test, pkt, true);
	kfree(pkt);

	vhca_test_rc_info(&info, IB_OPCODE_RC_RDMA_WRITE_FIRST, payload, 256);
	info.va = 42;
	info.rkey = 43;
	info.dma_len = 512;
	pkt = vhca_wire_build(&info, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pkt);
	vhca_test_check_crcs(test, pkt, false);
	kfree(pkt);
}

/* The sliced VCRC against the bitwise reference: every length up to 80
 * (tails of 0..7 bytes after 0..10 slices) at every alignment, and a
 * full-MTU packet's worth.
 */
static void vhca_wire_vcrc_slices(struct kunit *test)
{
	u32 len, off;
	u8 *buf;

	buf = kunit_kmalloc(test, 4096 + 8, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	get_random_bytes(buf, 4096 + 8);
	for (off = 0; off < 8; off++)
		for (len = 0; len <= 80; len++)
			KUNIT_EXPECT_EQ_MSG(test, vhca_vcrc(buf + off, len),
					    vhca_test_crc16(buf + off, len),
					    "len %u offset %u", len, off);
	KUNIT_EXPECT_EQ(test, vhca_vcrc(buf + 3, 4096 + 5),
			vhca_test_crc16(buf + 3, 4096 + 5));
}

/* What a switch may rewrite (VL, hop limit) leaves the ICRC alone; the
 * VCRC covers it, so the switch recomputes that one.
 */
static void vhca_wire_variant_fields(struct kunit *test)
{
	struct vhca_pkt_info info, out;
	struct vhca_pkt *pkt;
	u32 icrc_off, icrc;
	u8 payload[64];
	u16 vcrc;

	vhca_test_ud_info(&info, payload, sizeof(payload), true);
	pkt = vhca_wire_build(&info, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pkt);
	icrc_off = pkt->len - VHCA_ICRC_BYTES - VHCA_VCRC_BYTES;
	icrc = vhca_icrc(pkt->data, icrc_off);
	vcrc = vhca_vcrc(pkt->data, pkt->len - 2);

	pkt->data[0] = (pkt->data[0] & 0x0f) | 0x70;		/* VL 7 */
	KUNIT_EXPECT_EQ(test, vhca_icrc(pkt->data, icrc_off), icrc);
	KUNIT_EXPECT_NE(test, vhca_vcrc(pkt->data, pkt->len - 2), vcrc);
	pkt->data[VHCA_LRH_BYTES + 7] = 0x01;			/* HopLmt */
	KUNIT_EXPECT_EQ(test, vhca_icrc(pkt->data, icrc_off), icrc);
	pkt->data[VHCA_LRH_BYTES + 1] ^= 0xff;			/* TClass */
	KUNIT_EXPECT_EQ(test, vhca_icrc(pkt->data, icrc_off), icrc);

	/* stale VCRC: refused; recomputed as a switch would: accepted */
	KUNIT_EXPECT_EQ(test, vhca_wire_parse(pkt, &out), -EBADMSG);
	put_unaligned_le16(vhca_vcrc(pkt->data, pkt->len - 2),
			   pkt->data + pkt->len - 2);
	KUNIT_ASSERT_EQ(test, vhca_wire_parse(pkt, &out), 0);
	KUNIT_EXPECT_EQ(test, out.vl, 7);
	KUNIT_EXPECT_EQ(test, out.hop_limit, 1);

	/* an invariant field (the DLID) changes the ICRC */
	pkt->data[3] ^= 0x01;
	KUNIT_EXPECT_NE(test, vhca_icrc(pkt->data, icrc_off), icrc);
	kfree(pkt);
}

static struct kunit_case vhca_wire_cases[] = {
	KUNIT_CASE(vhca_wire_ud_round_trip),
	KUNIT_CASE(vhca_wire_rc_round_trip),
	KUNIT_CASE(vhca_wire_opcodes),
	KUNIT_CASE(vhca_wire_bit_flips),
	KUNIT_CASE(vhca_wire_crc_reference),
	KUNIT_CASE(vhca_wire_vcrc_slices),
	KUNIT_CASE(vhca_wire_variant_fields),
	{}
};

static struct kunit_suite vhca_wire_suite = {
	.name = "vhca_sim_wire",
	.test_cases = vhca_wire_cases,
};

kunit_test_suite(vhca_wire_suite);
