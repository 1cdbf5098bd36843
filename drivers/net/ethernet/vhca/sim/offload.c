// SPDX-License-Identifier: GPL-2.0
/*
 * UD stateless offloads: header parsing, checksum fill and verification,
 * the Toeplitz hash of RSS and the header fixups of LSO, over IPoIB
 * datagrams (the 4-byte encapsulation header, then IPv4 or IPv6).
 *
 * Everything here is pure: it reads and writes only the buffer it is
 * given, so the engines can call it under a QP's lock and KUnit
 * (offload_test.c) can check it against independent computations.
 */

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/vhca/device.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>
#include <asm/unaligned.h>

#include "vhca_sim.h"
#include "offload.h"

/* the L4 header of @next is there and long enough; -EINVAL if it is cut */
static int vhca_ofld_parse_l4(const u8 *buf, u8 next,
			      struct vhca_ofld_hdrs *h)
{
	const struct tcphdr *th;
	const struct udphdr *uh;

	switch (next) {
	case IPPROTO_TCP:
		th = (const void *)(buf + h->l4_off);
		if (h->l4_len < sizeof(*th) || th->doff < 5 ||
		    th->doff * 4 > h->l4_len)
			return -EINVAL;
		break;
	case IPPROTO_UDP:
		uh = (const void *)(buf + h->l4_off);
		if (h->l4_len < sizeof(*uh) || ntohs(uh->len) != h->l4_len)
			return -EINVAL;
		break;
	default:
		return 0;	/* another protocol: IP only */
	}
	h->l4_proto = next;
	return 0;
}

/**
 * vhca_ofld_parse - find the headers of an IPoIB datagram
 * @buf: the datagram, from its encapsulation header
 * @len: its bytes; the IP packet may be shorter (the rest is ignored)
 * @h: filled
 *
 * IPv4 needs version 4, IHL >= 5 and a total length that covers its
 * header and fits @len; IPv6 version 6 and a payload length that fits.
 * TCP (data offset >= 5, within the IP length) and UDP (length field
 * equal to the IP's) are recognized, not in IPv4 fragments and not
 * behind IPv6 extension headers (those count as another protocol).
 *
 * Return: 0; -EPROTONOSUPPORT if the ethertype is neither IPv4 nor IPv6;
 * -EINVAL if the IP packet or its TCP/UDP header is malformed or cut.
 */
int vhca_ofld_parse(const u8 *buf, u32 len, struct vhca_ofld_hdrs *h)
{
	const struct ipv6hdr *ip6;
	const struct iphdr *iph;
	u32 ip_len;
	u8 next;

	memset(h, 0, sizeof(*h));
	if (len < VHCA_OFLD_ENCAP_LEN)
		return -EINVAL;
	h->l3_off = VHCA_OFLD_ENCAP_LEN;
	len -= VHCA_OFLD_ENCAP_LEN;
	switch (get_unaligned_be16(buf)) {
	case ETH_P_IP:
		iph = (const void *)(buf + h->l3_off);
		if (len < sizeof(*iph) || iph->version != 4 || iph->ihl < 5)
			return -EINVAL;
		h->l3_len = iph->ihl * 4;
		ip_len = ntohs(iph->tot_len);
		if (ip_len < h->l3_len || ip_len > len)
			return -EINVAL;
		h->frag = !!(iph->frag_off & htons(IP_MF | IP_OFFSET));
		next = iph->protocol;
		break;
	case ETH_P_IPV6:
		ip6 = (const void *)(buf + h->l3_off);
		if (len < sizeof(*ip6) || ip6->version != 6)
			return -EINVAL;
		h->v6 = true;
		h->l3_len = sizeof(*ip6);
		ip_len = sizeof(*ip6) + ntohs(ip6->payload_len);
		if (ip_len > len)
			return -EINVAL;
		next = ip6->nexthdr;
		break;
	default:
		return -EPROTONOSUPPORT;
	}
	h->l4_off = h->l3_off + h->l3_len;
	h->l4_len = ip_len - h->l3_len;
	if (h->frag)
		return 0;
	return vhca_ofld_parse_l4(buf, next, h);
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_ofld_parse);

/* the L4 checksum over the pseudo header and the L4 bytes as they are:
 * the value to store if the checksum field is zero, 0 if it is right
 */
static __sum16 vhca_ofld_l4_csum(const u8 *buf,
				 const struct vhca_ofld_hdrs *h)
{
	__wsum sum = csum_partial(buf + h->l4_off, h->l4_len, 0);
	const struct ipv6hdr *ip6;
	const struct iphdr *iph;

	if (h->v6) {
		ip6 = (const void *)(buf + h->l3_off);
		return csum_ipv6_magic(&ip6->saddr, &ip6->daddr, h->l4_len,
				       h->l4_proto, sum);
	}
	iph = (const void *)(buf + h->l3_off);
	return csum_tcpudp_magic(iph->saddr, iph->daddr, h->l4_len,
				 h->l4_proto, sum);
}

/* where the L4 checksum field is */
static __sum16 *vhca_ofld_l4_check(u8 *buf, const struct vhca_ofld_hdrs *h)
{
	u8 *l4 = buf + h->l4_off;

	if (h->l4_proto == IPPROTO_TCP)
		return &((struct tcphdr *)l4)->check;
	return &((struct udphdr *)l4)->check;
}

/**
 * vhca_ofld_csum_fill - fill the checksums of an IPoIB datagram
 *	(VHCA_WQE_F_CSUM)
 * @buf: the datagram, written in place
 * @len: its bytes
 *
 * IPv4: the header checksum. TCP and UDP (IPv4 or IPv6): the checksum
 * over the pseudo header and the L4 bytes the IP length covers; a UDP
 * checksum that comes out 0 is sent as 0xffff. Other protocols and IPv4
 * fragments get the IPv4 header checksum only.
 *
 * Return: 0, or -EINVAL if the datagram is not IP or is malformed (then
 * nothing was changed).
 */
int vhca_ofld_csum_fill(u8 *buf, u32 len)
{
	struct vhca_ofld_hdrs h;
	struct iphdr *iph;
	__sum16 *check;
	__sum16 sum;

	if (vhca_ofld_parse(buf, len, &h))
		return -EINVAL;
	if (!h.v6) {
		iph = (struct iphdr *)(buf + h.l3_off);
		iph->check = 0;
		iph->check = ip_fast_csum(iph, iph->ihl);
	}
	if (!h.l4_proto)
		return 0;
	check = vhca_ofld_l4_check(buf, &h);
	*check = 0;
	sum = vhca_ofld_l4_csum(buf, &h);
	if (!sum && h.l4_proto == IPPROTO_UDP)
		sum = CSUM_MANGLED_0;
	*check = sum;
	return 0;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_ofld_csum_fill);

/**
 * vhca_ofld_csum_check - verify the checksums of a received datagram
 * @buf: the datagram (IPoIB payload)
 * @len: its bytes
 * @bad: set if an IP datagram had a checksum that did not verify, or
 *	was malformed
 *
 * Return: VHCA_CQE_F_L3_OK if it is IPv4 with a good header checksum,
 * VHCA_CQE_F_L4_OK if it carries TCP or UDP with a good checksum (a UDP
 * checksum of 0 over IPv4 means none and counts as good; over IPv6 it is
 * bad). IPv6 has no header checksum: never L3_OK.
 */
u8 vhca_ofld_csum_check(const u8 *buf, u32 len, bool *bad)
{
	const struct udphdr *uh;
	const struct iphdr *iph;
	struct vhca_ofld_hdrs h;
	u8 flags = 0;
	int err;

	*bad = false;
	err = vhca_ofld_parse(buf, len, &h);
	if (err) {
		*bad = err == -EINVAL;
		return 0;
	}
	if (!h.v6) {
		iph = (const struct iphdr *)(buf + h.l3_off);
		if (ip_fast_csum(iph, iph->ihl))
			*bad = true;
		else
			flags |= VHCA_CQE_F_L3_OK;
	}
	if (!h.l4_proto)
		return flags;
	uh = (const struct udphdr *)(buf + h.l4_off);
	if ((h.l4_proto == IPPROTO_UDP && !h.v6 && !uh->check) ||
	    !vhca_ofld_l4_csum(buf, &h))
		flags |= VHCA_CQE_F_L4_OK;
	else
		*bad = true;
	return flags;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_ofld_csum_check);

/**
 * vhca_ofld_toeplitz - the Toeplitz hash of RSS
 * @key: VHCA_RSS_KEY_LEN bytes of key
 * @data: the input, at most VHCA_RSS_KEY_LEN - 4 bytes
 * @len: its bytes
 *
 * For each input bit set (most significant first), the 32 key bits that
 * start at its position are XORed into the result.
 *
 * Return: the hash.
 */
u32 vhca_ofld_toeplitz(const u8 *key, const u8 *data, u32 len)
{
	u32 v = get_unaligned_be32(key), hash = 0, i;
	int b;

	for (i = 0; i < len; i++) {
		for (b = 7; b >= 0; b--) {
			if (data[i] & BIT(b))
				hash ^= v;
			v <<= 1;
			if (i + 4 < VHCA_RSS_KEY_LEN && (key[i + 4] & BIT(b)))
				v |= 1;
		}
	}
	return hash;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_ofld_toeplitz);

/**
 * vhca_ofld_rss_hash - the RSS hash of a received datagram
 * @key: the Toeplitz key (VHCA_RSS_KEY_LEN bytes)
 * @fields: VHCA_RSS_F_*: which IP versions are hashed, and for which L4
 *	protocols the ports are too
 * @buf: the datagram (IPoIB payload)
 * @len: its bytes
 * @type: VHCA_RSS_TYPE_* of what was hashed
 *
 * The input is the source and destination addresses, then (TCP or UDP,
 * not a fragment, with its field set) the source and destination ports,
 * in network order, as Microsoft's RSS specification lays them out.
 *
 * Return: the hash; 0 with VHCA_RSS_TYPE_NONE if the datagram is not IP
 * or its IP version is not in @fields.
 */
u32 vhca_ofld_rss_hash(const u8 *key, u8 fields, const u8 *buf, u32 len,
		       u8 *type)
{
	u8 in[2 * sizeof(struct in6_addr) + 4];
	const struct ipv6hdr *ip6;
	const struct iphdr *iph;
	struct vhca_ofld_hdrs h;
	u32 n;

	*type = VHCA_RSS_TYPE_NONE;
	if (vhca_ofld_parse(buf, len, &h) ||
	    !(fields & (h.v6 ? VHCA_RSS_F_IPV6 : VHCA_RSS_F_IPV4)))
		return 0;
	if (h.v6) {
		ip6 = (const void *)(buf + h.l3_off);
		memcpy(in, &ip6->saddr, sizeof(ip6->saddr));
		memcpy(in + 16, &ip6->daddr, sizeof(ip6->daddr));
		n = 32;
	} else {
		iph = (const void *)(buf + h.l3_off);
		memcpy(in, &iph->saddr, sizeof(iph->saddr));
		memcpy(in + 4, &iph->daddr, sizeof(iph->daddr));
		n = 8;
	}
	*type = VHCA_RSS_TYPE_L3;
	if ((h.l4_proto == IPPROTO_TCP && (fields & VHCA_RSS_F_TCP)) ||
	    (h.l4_proto == IPPROTO_UDP && (fields & VHCA_RSS_F_UDP))) {
		/* both headers start with the source and destination ports */
		memcpy(in + n, buf + h.l4_off, 4);
		n += 4;
		*type = VHCA_RSS_TYPE_L4;
	}
	return vhca_ofld_toeplitz(key, in, n);
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_ofld_rss_hash);

/**
 * vhca_ofld_lso_check - may an LSO WQE's headers and MSS be used?
 * @hdr: the headers (struct vhca_wqe_lso.hdr)
 * @hdr_len: their bytes
 * @mss: TCP payload bytes per datagram
 * @max_hdr: the device's limit (cap.max_lso_hdr)
 * @mtu: the largest datagram payload
 *
 * The headers must be the IPoIB encapsulation header, IPv4 (not a
 * fragment) or IPv6 (no extension header) carrying TCP, and end exactly
 * where the TCP header does; @mss at least 1 and @hdr_len + @mss within
 * @mtu. Length fields of the template are not checked: the device
 * rewrites them.
 *
 * Return: 0 or -EINVAL.
 */
int vhca_ofld_lso_check(const u8 *hdr, u32 hdr_len, u32 mss, u32 max_hdr,
			u32 mtu)
{
	const u8 *l3 = hdr + VHCA_OFLD_ENCAP_LEN;
	const struct ipv6hdr *ip6;
	const struct iphdr *iph;
	const struct tcphdr *th;
	u32 l3_len;

	if (!mss || hdr_len > max_hdr || hdr_len + mss > mtu ||
	    hdr_len < VHCA_OFLD_ENCAP_LEN)
		return -EINVAL;
	switch (get_unaligned_be16(hdr)) {
	case ETH_P_IP:
		iph = (const void *)l3;
		if (hdr_len < VHCA_OFLD_ENCAP_LEN + sizeof(*iph) ||
		    iph->version != 4 || iph->ihl < 5 ||
		    iph->protocol != IPPROTO_TCP ||
		    (iph->frag_off & htons(IP_MF | IP_OFFSET)))
			return -EINVAL;
		l3_len = iph->ihl * 4;
		break;
	case ETH_P_IPV6:
		ip6 = (const void *)l3;
		if (hdr_len < VHCA_OFLD_ENCAP_LEN + sizeof(*ip6) ||
		    ip6->version != 6 || ip6->nexthdr != IPPROTO_TCP)
			return -EINVAL;
		l3_len = sizeof(*ip6);
		break;
	default:
		return -EINVAL;
	}
	if (hdr_len < VHCA_OFLD_ENCAP_LEN + l3_len + sizeof(*th))
		return -EINVAL;
	th = (const void *)(l3 + l3_len);
	if (th->doff < 5 ||
	    hdr_len != VHCA_OFLD_ENCAP_LEN + l3_len + th->doff * 4)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_ofld_lso_check);

/**
 * vhca_ofld_lso_segs - how many datagrams an LSO payload becomes
 * @len: TCP payload bytes
 * @mss: bytes per datagram, at least 1
 *
 * Return: ceil(@len / @mss), and 1 for an empty payload (the headers
 * alone).
 */
u32 vhca_ofld_lso_segs(u32 len, u32 mss)
{
	return len ? DIV_ROUND_UP(len, mss) : 1;
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_ofld_lso_segs);

/**
 * vhca_ofld_lso_fixup - turn a copy of the LSO headers into datagram
 *	@seg's
 * @buf: the datagram: @hdr_len bytes of headers as the WQE gave them
 *	(vhca_ofld_lso_check() passed), then @seg_len payload bytes
 * @hdr_len: header bytes
 * @seg: which datagram, from 0
 * @nsegs: how many there are
 * @mss: payload bytes of every datagram but the last
 * @seg_len: payload bytes of this one
 *
 * IPv4: total length, id + @seg, header checksum; IPv6: payload length.
 * TCP: sequence number + @seg * @mss, FIN and PSH only on the last
 * datagram, CWR only on the first, the checksum over the pseudo header,
 * the TCP header and the payload.
 */
void vhca_ofld_lso_fixup(u8 *buf, u32 hdr_len, u32 seg, u32 nsegs, u32 mss,
			 u32 seg_len)
{
	u8 *l3 = buf + VHCA_OFLD_ENCAP_LEN;
	struct ipv6hdr *ip6 = NULL;
	struct iphdr *iph = NULL;
	struct tcphdr *th;
	u32 l3_len, l4_len;
	__wsum sum;

	if (get_unaligned_be16(buf) == ETH_P_IP) {
		iph = (struct iphdr *)l3;
		l3_len = iph->ihl * 4;
	} else {
		ip6 = (struct ipv6hdr *)l3;
		l3_len = sizeof(*ip6);
	}
	th = (struct tcphdr *)(l3 + l3_len);
	l4_len = hdr_len - VHCA_OFLD_ENCAP_LEN - l3_len + seg_len;
	if (iph) {
		iph->tot_len = htons(l3_len + l4_len);
		iph->id = htons(ntohs(iph->id) + seg);
		iph->check = 0;
		iph->check = ip_fast_csum(iph, iph->ihl);
	} else {
		ip6->payload_len = htons(l4_len);
	}
	th->seq = htonl(ntohl(th->seq) + seg * mss);
	if (seg != nsegs - 1) {
		th->fin = 0;
		th->psh = 0;
	}
	if (seg)
		th->cwr = 0;
	th->check = 0;
	sum = csum_partial(th, l4_len, 0);
	if (iph)
		th->check = csum_tcpudp_magic(iph->saddr, iph->daddr, l4_len,
					      IPPROTO_TCP, sum);
	else
		th->check = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, l4_len,
					    IPPROTO_TCP, sum);
}
EXPORT_SYMBOL_IF_VHCA_SIM_TEST(vhca_ofld_lso_fixup);
