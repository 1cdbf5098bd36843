/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UD stateless offloads of the device model: what the device parses and
 * computes in an IPoIB datagram (offload.c). Pure functions over a byte
 * buffer, so KUnit (offload_test.c) can check them one by one; the
 * engines (ud.c, recv.c, rss.c) call them.
 *
 * An IPoIB datagram is the 4-byte encapsulation header (be16 ethertype,
 * 2 reserved bytes) followed by the IP packet. The device understands
 * IPv4 (with options) and IPv6 without extension headers, carrying TCP
 * or UDP.
 */
#ifndef _VHCA_SIM_OFFLOAD_H
#define _VHCA_SIM_OFFLOAD_H

#include <linux/types.h>

/* the IPoIB encapsulation header */
#define VHCA_OFLD_ENCAP_LEN	4

/**
 * struct vhca_ofld_hdrs - where the headers of an IPoIB datagram are
 * @v6: IPv6, else IPv4
 * @frag: IPv4 fragment (MF or an offset): no L4 header to trust
 * @l4_proto: IPPROTO_TCP or IPPROTO_UDP when the L4 header is there and
 *	long enough, else 0
 * @l3_off: offset of the IP header (VHCA_OFLD_ENCAP_LEN)
 * @l3_len: IP header bytes (IPv4: IHL * 4, IPv6: 40)
 * @l4_off: offset of the L4 header
 * @l4_len: L4 bytes (header and payload) as the IP header counts them
 */
struct vhca_ofld_hdrs {
	bool v6;
	bool frag;
	u8 l4_proto;
	u16 l3_off;
	u16 l3_len;
	u16 l4_off;
	u32 l4_len;
};

int vhca_ofld_parse(const u8 *buf, u32 len, struct vhca_ofld_hdrs *h);
int vhca_ofld_csum_fill(u8 *buf, u32 len);
u8 vhca_ofld_csum_check(const u8 *buf, u32 len, bool *bad);
u32 vhca_ofld_toeplitz(const u8 *key, const u8 *data, u32 len);
u32 vhca_ofld_rss_hash(const u8 *key, u8 fields, const u8 *buf, u32 len,
		       u8 *type);
int vhca_ofld_lso_check(const u8 *hdr, u32 hdr_len, u32 mss, u32 max_hdr,
			u32 mtu);
u32 vhca_ofld_lso_segs(u32 len, u32 mss);
void vhca_ofld_lso_fixup(u8 *buf, u32 hdr_len, u32 seg, u32 nsegs, u32 mss,
			 u32 seg_len);

#endif /* _VHCA_SIM_OFFLOAD_H */
