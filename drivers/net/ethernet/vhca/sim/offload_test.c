// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the UD offloads of the device model (offload.c). The Toeplitz
 * hash against the verification vectors of Microsoft's RSS
 * specification (IPv4 and IPv6, with and without ports); checksums the
 * device fills, checked with a bytewise RFC 1071 sum written here; LSO
 * datagrams (lengths, IP ids, sequence numbers, flags, checksums)
 * recomputed independently from the template and the payload.
 *
 * The datagrams are built byte by byte at the offsets of RFC 791, 8200,
 * 793 and 768, not with the kernel's header structs.
 */

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/string.h>
#include <asm/unaligned.h>

#include "vhca_sim.h"
#include "offload.h"

#define T_TCP		6
#define T_UDP		17
#define T_ENCAP		4
#define T_BUF		(T_ENCAP + 40 + 60 + 10000)

/* TCP flags byte (offset 13 of the header) */
#define T_FIN		0x01
#define T_PSH		0x08
#define T_ACK		0x10
#define T_CWR		0x80

static const u8 t_key[40] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

/**
 * struct t_flow - a datagram the tests build
 * @v6: IPv6, else IPv4
 * @proto: T_TCP or T_UDP
 * @src: source address (4 or 16 bytes)
 * @dst: destination address
 * @sport: source port
 * @dport: destination port
 * @l3: the RSS hash of the addresses (a vector's expected value)
 * @l4: the RSS hash of addresses and ports
 */
struct t_flow {
	bool v6;
	u8 proto;
	u8 src[16];
	u8 dst[16];
	u16 sport;
	u16 dport;
	u32 l3;
	u32 l4;
};

/* Microsoft, "Verifying the RSS Hash Calculation" */
static const struct t_flow t_vectors[] = {
	{ /* 66.9.149.187:2794 -> 161.142.100.80:1766 */
		.src = { 0x42, 0x09, 0x95, 0xbb },
		.dst = { 0xa1, 0x8e, 0x64, 0x50 },
		.sport = 2794, .dport = 1766,
		.l3 = 0x323e8fc2, .l4 = 0x51ccc178,
	},
	{ /* 199.92.111.2:14230 -> 65.69.140.83:4739 */
		.src = { 0xc7, 0x5c, 0x6f, 0x02 },
		.dst = { 0x41, 0x45, 0x8c, 0x53 },
		.sport = 14230, .dport = 4739,
		.l3 = 0xd718262a, .l4 = 0xc626b0ea,
	},
	{ /* 24.19.198.95:12898 -> 12.22.207.184:38024 */
		.src = { 0x18, 0x13, 0xc6, 0x5f },
		.dst = { 0x0c, 0x16, 0xcf, 0xb8 },
		.sport = 12898, .dport = 38024,
		.l3 = 0xd2d0a5de, .l4 = 0x5c2b394a,
	},
	{ /* 38.27.205.30:48228 -> 209.142.163.6:2217 */
		.src = { 0x26, 0x1b, 0xcd, 0x1e },
		.dst = { 0xd1, 0x8e, 0xa3, 0x06 },
		.sport = 48228, .dport = 2217,
		.l3 = 0x82989176, .l4 = 0xafc7327f,
	},
	{ /* 153.39.163.191:44251 -> 202.188.127.2:1303 */
		.src = { 0x99, 0x27, 0xa3, 0xbf },
		.dst = { 0xca, 0xbc, 0x7f, 0x02 },
		.sport = 44251, .dport = 1303,
		.l3 = 0x5d1809c5, .l4 = 0x10e828a2,
	},
	{ /* [3ffe:2501:200:1fff::7]:2794 -> [3ffe:2501:200:3::1]:1766 */
		.v6 = true,
		.src = { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff,
			 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07 },
		.dst = { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x00, 0x03,
			 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 },
		.sport = 2794, .dport = 1766,
		.l3 = 0x2cc18cd5, .l4 = 0x40207d3d,
	},
	{ /* [3ffe:501:8::260:97ff:fe40:efab]:14230 -> [ff02::1]:4739 */
		.v6 = true,
		.src = { 0x3f, 0xfe, 0x05, 0x01, 0x00, 0x08, 0x00, 0x00,
			 0x02, 0x60, 0x97, 0xff, 0xfe, 0x40, 0xef, 0xab },
		.dst = { 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 },
		.sport = 14230, .dport = 4739,
		.l3 = 0x0f0c461c, .l4 = 0xdde51bbf,
	},
	{ /* [3ffe:1900:4545:3:200:f8ff:fe21:67cf]:44251 ->
	   * [fe80::200:f8ff:fe21:67cf]:38024
	   */
		.v6 = true,
		.src = { 0x3f, 0xfe, 0x19, 0x00, 0x45, 0x45, 0x00, 0x03,
			 0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf },
		.dst = { 0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			 0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf },
		.sport = 44251, .dport = 38024,
		.l3 = 0x4b61e985, .l4 = 0x02d1feef,
	},
};

static const struct t_flow t_flow4 = {
	.src = { 10, 0, 0, 1 }, .dst = { 10, 0, 0, 2 },
	.sport = 40000, .dport = 5201,
};

static const struct t_flow t_flow6 = {
	.v6 = true,
	.src = { 0xfe, 0x80, [15] = 0x01 }, .dst = { 0xfe, 0x80, [15] = 0x02 },
	.sport = 40001, .dport = 5201,
};

static u32 t_l3_len(const struct t_flow *f)
{
	return f->v6 ? 40 : 20;
}

static u32 t_l4_hdr_len(u8 proto, u32 optw)
{
	return proto == T_TCP ? 20 + optw * 4 : 8;
}

/* Build an IPoIB datagram of @f (@proto) with @optw TCP option words and
 * @plen payload bytes; checksum fields hold junk. Return: its length.
 */
static u32 t_build(u8 *buf, const struct t_flow *f, u8 proto, u32 optw,
		   u32 plen, u8 tcp_flags)
{
	u32 l3 = t_l3_len(f), l4 = t_l4_hdr_len(proto, optw), i;
	u8 *ip = buf + T_ENCAP, *th = ip + l3;

	memset(buf, 0, T_ENCAP + l3 + l4);
	put_unaligned_be16(f->v6 ? 0x86dd : 0x0800, buf);
	if (f->v6) {
		ip[0] = 0x60;
		put_unaligned_be16(l4 + plen, ip + 4);
		ip[6] = proto;
		ip[7] = 64;
		memcpy(ip + 8, f->src, 16);
		memcpy(ip + 24, f->dst, 16);
	} else {
		ip[0] = 0x45;
		put_unaligned_be16(20 + l4 + plen, ip + 2);
		put_unaligned_be16(0xfffe, ip + 4);	/* id: wraps */
		ip[6] = 0x40;				/* DF */
		ip[8] = 64;
		ip[9] = proto;
		put_unaligned_be16(0xdead, ip + 10);
		memcpy(ip + 12, f->src, 4);
		memcpy(ip + 16, f->dst, 4);
	}
	put_unaligned_be16(f->sport, th);
	put_unaligned_be16(f->dport, th + 2);
	if (proto == T_TCP) {
		put_unaligned_be32(0xfffff000, th + 4);	/* seq: wraps */
		put_unaligned_be32(0x01020304, th + 8);
		th[12] = (5 + optw) << 4;
		th[13] = tcp_flags;
		put_unaligned_be16(512, th + 14);
		put_unaligned_be16(0xbeef, th + 16);
		for (i = 0; i < optw * 4; i++)
			th[20 + i] = 1;			/* NOP */
	} else {
		put_unaligned_be16(8 + plen, th + 4);
		put_unaligned_be16(0xbeef, th + 6);
	}
	for (i = 0; i < plen; i++)
		th[l4 + i] = i * 13 + 7;
	return T_ENCAP + l3 + l4 + plen;
}

/* RFC 1071, one byte pair at a time */
static u32 t_sum(const u8 *p, u32 len, u32 acc)
{
	u32 i;

	for (i = 0; i + 1 < len; i += 2)
		acc += p[i] << 8 | p[i + 1];
	if (len & 1)
		acc += p[len - 1] << 8;
	return acc;
}

static u16 t_fold(u32 acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return acc;
}

/* the ones' complement sum of the pseudo header and the L4 bytes of the
 * datagram in @buf: 0xffff when its L4 checksum is right
 */
static u16 t_l4_sum(const u8 *buf, bool v6, u8 proto)
{
	const u8 *ip = buf + T_ENCAP;
	u32 l4_len, acc;

	if (v6) {
		l4_len = get_unaligned_be16(ip + 4);
		acc = t_sum(ip + 8, 32, 0);
	} else {
		l4_len = get_unaligned_be16(ip + 2) - 20;
		acc = t_sum(ip + 12, 8, 0);
	}
	acc += proto + l4_len;
	return t_fold(t_sum(ip + (v6 ? 40 : 20), l4_len, acc));
}

static void t_toeplitz_vectors(struct kunit *test)
{
	const struct t_flow *v;
	u8 in[36];
	u32 i, n;

	for (i = 0; i < ARRAY_SIZE(t_vectors); i++) {
		v = &t_vectors[i];
		n = v->v6 ? 16 : 4;
		memcpy(in, v->src, n);
		memcpy(in + n, v->dst, n);
		KUNIT_EXPECT_EQ(test, vhca_ofld_toeplitz(t_key, in, 2 * n),
				v->l3);
		put_unaligned_be16(v->sport, in + 2 * n);
		put_unaligned_be16(v->dport, in + 2 * n + 2);
		KUNIT_EXPECT_EQ(test, vhca_ofld_toeplitz(t_key, in, 2 * n + 4),
				v->l4);
	}
}

/* the same vectors through datagrams: the fields the hash takes */
static void t_rss_hash_fields(struct kunit *test)
{
	static u8 buf[256];
	const struct t_flow *v;
	u8 all = VHCA_RSS_F_IPV4 | VHCA_RSS_F_IPV6 | VHCA_RSS_F_TCP |
		 VHCA_RSS_F_UDP;
	u32 i, len;
	u8 type;

	for (i = 0; i < ARRAY_SIZE(t_vectors); i++) {
		v = &t_vectors[i];
		len = t_build(buf, v, T_TCP, 0, 10, T_ACK);
		KUNIT_EXPECT_EQ(test, vhca_ofld_rss_hash(t_key, all, buf, len,
							 &type), v->l4);
		KUNIT_EXPECT_EQ(test, type, VHCA_RSS_TYPE_L4);
		/* ports only for the protocols asked for */
		KUNIT_EXPECT_EQ(test,
				vhca_ofld_rss_hash(t_key, all & ~VHCA_RSS_F_TCP,
						   buf, len, &type), v->l3);
		KUNIT_EXPECT_EQ(test, type, VHCA_RSS_TYPE_L3);
		/* an IP version not asked for: nothing */
		KUNIT_EXPECT_EQ(test,
				vhca_ofld_rss_hash(t_key, v->v6 ?
						   VHCA_RSS_F_IPV4 :
						   VHCA_RSS_F_IPV6,
						   buf, len, &type), 0);
		KUNIT_EXPECT_EQ(test, type, VHCA_RSS_TYPE_NONE);

		len = t_build(buf, v, T_UDP, 0, 10, 0);
		KUNIT_EXPECT_EQ(test, vhca_ofld_rss_hash(t_key, all, buf, len,
							 &type), v->l4);
		KUNIT_EXPECT_EQ(test, type, VHCA_RSS_TYPE_L4);
		KUNIT_EXPECT_EQ(test,
				vhca_ofld_rss_hash(t_key, all & ~VHCA_RSS_F_UDP,
						   buf, len, &type), v->l3);
		KUNIT_EXPECT_EQ(test, type, VHCA_RSS_TYPE_L3);
	}

	/* not IP (ARP): nothing */
	len = t_build(buf, &t_vectors[0], T_TCP, 0, 10, T_ACK);
	put_unaligned_be16(0x0806, buf);
	KUNIT_EXPECT_EQ(test, vhca_ofld_rss_hash(t_key, all, buf, len, &type),
			0);
	KUNIT_EXPECT_EQ(test, type, VHCA_RSS_TYPE_NONE);

	/* an IPv4 fragment: the addresses only */
	len = t_build(buf, &t_vectors[0], T_TCP, 0, 10, T_ACK);
	buf[T_ENCAP + 6] = 0x20;	/* MF */
	KUNIT_EXPECT_EQ(test, vhca_ofld_rss_hash(t_key, all, buf, len, &type),
			t_vectors[0].l3);
	KUNIT_EXPECT_EQ(test, type, VHCA_RSS_TYPE_L3);
}

static void t_csum_one(struct kunit *test, const struct t_flow *f, u8 proto,
		       u32 plen)
{
	static u8 buf[T_BUF];
	u32 len = t_build(buf, f, proto, proto == T_TCP ? 3 : 0, plen, T_ACK);
	u32 l4 = T_ENCAP + t_l3_len(f);
	bool bad;
	u8 ok;

	KUNIT_ASSERT_EQ(test, vhca_ofld_csum_fill(buf, len), 0);
	if (!f->v6)
		KUNIT_EXPECT_EQ(test, t_fold(t_sum(buf + T_ENCAP, 20, 0)),
				0xffff);
	KUNIT_EXPECT_EQ(test, t_l4_sum(buf, f->v6, proto), 0xffff);
	ok = VHCA_CQE_F_L4_OK | (f->v6 ? 0 : VHCA_CQE_F_L3_OK);
	KUNIT_EXPECT_EQ(test, vhca_ofld_csum_check(buf, len, &bad), ok);
	KUNIT_EXPECT_FALSE(test, bad);

	/* a payload byte changed on the way: L4 no longer verifies */
	buf[len - 1] ^= 0x40;
	KUNIT_EXPECT_EQ(test, vhca_ofld_csum_check(buf, len, &bad),
			ok & ~VHCA_CQE_F_L4_OK);
	KUNIT_EXPECT_TRUE(test, bad);
	buf[len - 1] ^= 0x40;

	if (!f->v6) {
		/* the IPv4 header changed: L3 no longer verifies */
		buf[T_ENCAP + 8]--;
		KUNIT_EXPECT_EQ(test, vhca_ofld_csum_check(buf, len, &bad),
				ok & ~VHCA_CQE_F_L3_OK);
		KUNIT_EXPECT_TRUE(test, bad);
		buf[T_ENCAP + 8]++;
	}
	if (proto == T_UDP) {
		/* no checksum: fine over IPv4, not over IPv6 */
		put_unaligned_be16(0, buf + l4 + 6);
		KUNIT_EXPECT_EQ(test, vhca_ofld_csum_check(buf, len, &bad),
				f->v6 ? 0 : ok);
		KUNIT_EXPECT_EQ(test, bad, f->v6);
	}
}

static void t_csum_fill(struct kunit *test)
{
	t_csum_one(test, &t_flow4, T_TCP, 1000);
	t_csum_one(test, &t_flow4, T_TCP, 1);	/* odd length */
	t_csum_one(test, &t_flow4, T_UDP, 1473);
	t_csum_one(test, &t_flow6, T_TCP, 4000);
	t_csum_one(test, &t_flow6, T_UDP, 999);
}

/* a UDP checksum that comes out 0 is sent as 0xffff */
static void t_csum_udp_zero(struct kunit *test)
{
	static u8 buf[256];
	u32 len = t_build(buf, &t_flow4, T_UDP, 0, 64, 0);
	u8 *uh = buf + T_ENCAP + 20;
	u32 acc;
	u16 c;

	KUNIT_ASSERT_EQ(test, vhca_ofld_csum_fill(buf, len), 0);
	c = get_unaligned_be16(uh + 6);
	/* adding the checksum to a payload word makes the sum 0xffff */
	acc = get_unaligned_be16(uh + 8) + c;
	put_unaligned_be16(t_fold(acc), uh + 8);
	KUNIT_ASSERT_EQ(test, vhca_ofld_csum_fill(buf, len), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(uh + 6), 0xffff);
	KUNIT_EXPECT_EQ(test, t_l4_sum(buf, false, T_UDP), 0xffff);
}

/* not IP or malformed: refused, nothing changed */
static void t_csum_malformed(struct kunit *test)
{
	static u8 buf[256], copy[256];
	u32 len = t_build(buf, &t_flow4, T_TCP, 0, 100, T_ACK);

	memcpy(copy, buf, sizeof(buf));
	/* the IP length runs past the datagram */
	KUNIT_EXPECT_EQ(test, vhca_ofld_csum_fill(buf, len - 1), -EINVAL);
	/* a TCP data offset past the IP length */
	buf[T_ENCAP + 20 + 12] = 15 << 4;
	len = T_ENCAP + 20 + 40;
	put_unaligned_be16(60, buf + T_ENCAP + 2);
	KUNIT_EXPECT_EQ(test, vhca_ofld_csum_fill(buf, len), -EINVAL);
	memcpy(buf, copy, sizeof(buf));
	/* IHL below 5 */
	buf[T_ENCAP] = 0x44;
	KUNIT_EXPECT_EQ(test, vhca_ofld_csum_fill(buf, 124), -EINVAL);
	/* ARP */
	memcpy(buf, copy, sizeof(buf));
	put_unaligned_be16(0x0806, buf);
	KUNIT_EXPECT_EQ(test, vhca_ofld_csum_fill(buf, 124), -EINVAL);
	put_unaligned_be16(0x0800, buf);
	KUNIT_EXPECT_EQ(test, memcmp(buf, copy, sizeof(buf)), 0);
}

static void t_lso_check(struct kunit *test)
{
	static u8 hdr[256];
	u32 h4, h6;

	KUNIT_EXPECT_EQ(test, vhca_ofld_lso_segs(0, 1448), 1);
	KUNIT_EXPECT_EQ(test, vhca_ofld_lso_segs(1, 1448), 1);
	KUNIT_EXPECT_EQ(test, vhca_ofld_lso_segs(1448, 1448), 1);
	KUNIT_EXPECT_EQ(test, vhca_ofld_lso_segs(1449, 1448), 2);
	KUNIT_EXPECT_EQ(test, vhca_ofld_lso_segs(65536, 1), 65536);

	h4 = t_build(hdr, &t_flow4, T_TCP, 3, 0, T_ACK);
	KUNIT_EXPECT_EQ(test, h4, 4 + 20 + 32);
	KUNIT_EXPECT_EQ(test, vhca_ofld_lso_check(hdr, h4, 1448, 128, 4096), 0);
	KUNIT_EXPECT_EQ(test, vhca_ofld_lso_check(hdr, h4, 4096 - h4, 128,
						  4096), 0);
	KUNIT_EXPECT_EQ(test, vhca_ofld_lso_check(hdr, h4, 4097 - h4, 128,
						  4096), -EINVAL);
	KUNIT_EXPECT_EQ(test, vhca_ofld_lso_check(hdr, h4, 0, 128, 4096),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vhca_ofld_lso_check(hdr, h4, 1448, h4 - 1, 4096),
			-EINVAL);
	/* hdr_len must end where the TCP header does */
	KUNIT_EXPECT_EQ(test, vhca_ofld_lso_check(hdr, h4 + 4, 1448, 128,
						  4096), -EINVAL);
	KUNIT_EXPECT_EQ(test, vhca_ofld_lso_check(hdr, h4 - 4, 1448, 128,
						  4096), -EINVAL);
	/* a fragment, then UDP */
	hdr[T_ENCAP + 7] = 1;
	KUNIT_EXPECT_EQ(test, vhca_ofld_lso_check(hdr, h4, 1448, 128, 4096),
			-EINVAL);
	hdr[T_ENCAP + 7] = 0;
	h4 = t_build(hdr, &t_flow4, T_UDP, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, vhca_ofld_lso_check(hdr, h4, 1448, 128, 4096),
			-EINVAL);

	h6 = t_build(hdr, &t_flow6, T_TCP, 0, 0, T_ACK);
	KUNIT_EXPECT_EQ(test, vhca_ofld_lso_check(hdr, h6, 1448, 128, 4096), 0);
	hdr[T_ENCAP + 6] = 0;	/* a hop-by-hop header first */
	KUNIT_EXPECT_EQ(test, vhca_ofld_lso_check(hdr, h6, 1448, 128, 4096),
			-EINVAL);
}

/* segment a template of @plen payload bytes; check every datagram */
static void t_lso_one(struct kunit *test, const struct t_flow *f, u32 optw,
		      u32 plen, u32 mss, u8 flags)
{
	static u8 tmpl[T_BUF], seg[T_BUF];
	u32 l3 = t_l3_len(f), tcp = t_l4_hdr_len(T_TCP, optw);
	u32 hdr_len = T_ENCAP + l3 + tcp, nsegs, i, n, off;
	u8 *ip = seg + T_ENCAP, *th = ip + l3, want;

	t_build(tmpl, f, T_TCP, optw, plen, flags);
	KUNIT_ASSERT_EQ(test, vhca_ofld_lso_check(tmpl, hdr_len, mss, 128,
						  4096), 0);
	nsegs = vhca_ofld_lso_segs(plen, mss);
	KUNIT_EXPECT_EQ(test, nsegs, DIV_ROUND_UP(plen, mss));
	for (i = 0, off = 0; i < nsegs; i++, off += mss) {
		n = min(mss, plen - off);
		memcpy(seg, tmpl, hdr_len);
		memcpy(seg + hdr_len, tmpl + hdr_len + off, n);
		vhca_ofld_lso_fixup(seg, hdr_len, i, nsegs, mss, n);

		if (f->v6) {
			KUNIT_EXPECT_EQ(test, get_unaligned_be16(ip + 4),
					tcp + n);
		} else {
			KUNIT_EXPECT_EQ(test, get_unaligned_be16(ip + 2),
					20 + tcp + n);
			KUNIT_EXPECT_EQ(test, get_unaligned_be16(ip + 4),
					(u16)(0xfffe + i));
			KUNIT_EXPECT_EQ(test, t_fold(t_sum(ip, 20, 0)), 0xffff);
		}
		KUNIT_EXPECT_EQ(test, get_unaligned_be32(th + 4),
				(u32)(0xfffff000 + off));
		KUNIT_EXPECT_EQ(test, get_unaligned_be32(th + 8), 0x01020304);
		want = flags;
		if (i != nsegs - 1)
			want &= ~(T_FIN | T_PSH);
		if (i)
			want &= ~T_CWR;
		KUNIT_EXPECT_EQ(test, th[13], want);
		KUNIT_EXPECT_EQ(test, t_l4_sum(seg, f->v6, T_TCP), 0xffff);
		/* the rest of the headers and the payload as they were */
		KUNIT_EXPECT_EQ(test, memcmp(th + 20, tmpl + T_ENCAP + l3 + 20,
					     tcp - 20), 0);
		KUNIT_EXPECT_EQ(test, memcmp(seg + hdr_len,
					     tmpl + hdr_len + off, n), 0);
	}
}

static void t_lso_segments(struct kunit *test)
{
	u8 all = T_CWR | T_ACK | T_PSH | T_FIN;

	t_lso_one(test, &t_flow4, 3, 10000, 1448, all);
	t_lso_one(test, &t_flow4, 0, 4000, 4000, T_ACK | T_PSH);
	t_lso_one(test, &t_flow4, 0, 4001, 4000, all);
	t_lso_one(test, &t_flow6, 3, 9999, 1000, all);
	t_lso_one(test, &t_flow6, 0, 7, 3, T_ACK);
}

static struct kunit_case vhca_ofld_cases[] = {
	KUNIT_CASE(t_toeplitz_vectors),
	KUNIT_CASE(t_rss_hash_fields),
	KUNIT_CASE(t_csum_fill),
	KUNIT_CASE(t_csum_udp_zero),
	KUNIT_CASE(t_csum_malformed),
	KUNIT_CASE(t_lso_check),
	KUNIT_CASE(t_lso_segments),
	{}
};

static struct kunit_suite vhca_ofld_suite = {
	.name = "vhca_sim_offload",
	.test_cases = vhca_ofld_cases,
};

kunit_test_suite(vhca_ofld_suite);
