/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vhca_core enhanced IPoIB: the per-port uplink and the rdma_netdev that
 * stock ib_ipoib drives (ARCHITECTURE.md sections 7 and 8).
 *
 * Objects
 *
 *   uplink (struct vhca_ipoib_uplink, one per IB port, netdev
 *   "vhcaup<ID>p<port>"): owns the port's hardware queues. Each channel
 *   has a TX mux SQ (VHCA_QP_F_TX_MUX) with its CQ, an RQ-only QP
 *   (VHCA_QP_F_RQ_ONLY) with its CQ and page_pool, and one NAPI context
 *   serving both CQs. The uplink netdev has one TX queue per channel, so
 *   qdisc, BQL and XPS are the uplink's. It receives nothing from the
 *   stack by itself: its transmit takes only skbs an upper device handed
 *   it with TX metadata, and its receive delivers to the upper devices.
 *
 *   upper (struct vhca_ipoib_upper, the private area of an IPoIB netdev,
 *   parent or P_Key child): a queueless device with one addressed UD QP
 *   (its QPN is the IPoIB address) whose receives are spread by SET_RSS
 *   over the uplink's RQ-only QPs. rn->send attaches a handle to the skb
 *   and dev_queue_xmit()s it on the uplink.
 *
 *   handle (struct vhca_ipoib_handle): what a TX WQE's datagram segment
 *   needs (address vector copy, DQPN, Q_Key, P_Key index, source QPN =
 *   the upper's UD QP), cached per upper by content, identified on the
 *   uplink by id + generation. Each in-flight WQE holds a reference.
 *
 * TX metadata transport (devlink param tx_meta_storage, read once per
 * packet): cb (struct vhca_ipoib_cb at VHCA_IPOIB_CB_OFFSET in skb->cb),
 * header (struct vhca_ipoib_txhdr pushed in front of the IPoIB
 * encapsulation), metadata (the handle's METADATA_HW_PORT_MUX dst). The
 * uplink accepts any of them whatever the current setting, so a mode
 * switch under traffic is safe; anything it cannot trust is dropped and
 * counted in a drop_<reason> counter (enum vhca_ipoib_drop).
 *
 * Other files of this directory: uplink.c (uplink netdev, channels,
 * NAPI, moderation, channel/ring changes), tx.c (uplink xmit, WQEs,
 * TX completions), rx.c (RX buffers, CQE -> skb, demux), rn.c (the
 * rdma_netdev and its ops), meta.c (handles and the storage modes),
 * ethtool.c and health.c (ethtool ops, devlink ports and health).
 */
#ifndef _VHCA_CORE_IPOIB_H
#define _VHCA_CORE_IPOIB_H

#include <linux/atomic.h>
#include <linux/hashtable.h>
#include <linux/hrtimer.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/vhca/driver.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/dst_metadata.h>
#include <rdma/ib_verbs.h>

struct page_pool;
struct dentry;
struct vhca_ipoib_health;

/* ------------------------------------------------------------------ */
/* Limits and defaults                                                 */
/* ------------------------------------------------------------------ */

#define VHCA_IPOIB_MAX_CHANNELS		4	/* cap on comp EQs used */
#define VHCA_IPOIB_DEF_LOG_SQ		10	/* WQEBBs per SQ */
#define VHCA_IPOIB_DEF_LOG_RQ		9	/* WQEs per RQ */
#define VHCA_IPOIB_MIN_LOG_SQ		6
#define VHCA_IPOIB_MIN_LOG_RQ		6
#define VHCA_IPOIB_MAX_LOG_SQ		13
#define VHCA_IPOIB_MAX_LOG_RQ		13
#define VHCA_IPOIB_NAPI_BUDGET		64
#define VHCA_IPOIB_TX_CQ_BUDGET		256
/* a signaled TX WQE at least this often, so skbs do not linger */
#define VHCA_IPOIB_TX_SIG_EVERY		16
#define VHCA_IPOIB_WATCHDOG_TIMEO	(2 * HZ)
/* handles unused this long are released by the upper's GC */
#define VHCA_IPOIB_HANDLE_IDLE		(10 * HZ)
#define VHCA_IPOIB_HANDLE_GC_PERIOD	(5 * HZ)
#define VHCA_IPOIB_HANDLE_HASH_BITS	8
#define VHCA_IPOIB_MAX_HANDLES		4096	/* per upper */

/* the 24-byte contract with ib_ipoib (ARCHITECTURE.md section 7) */
#define VHCA_IPOIB_ENCAP_LEN		4	/* on the wire */
#define VHCA_IPOIB_PSEUDO_LEN		20	/* zeroed on RX */
#define VHCA_IPOIB_HARD_LEN		(VHCA_IPOIB_ENCAP_LEN + \
					 VHCA_IPOIB_PSEUDO_LEN)
#define VHCA_IPOIB_GRH_LEN		40
/* RX: GRH area in its own slot, the datagram in one page */
#define VHCA_IPOIB_RX_GRH_STRIDE	64
#define VHCA_IPOIB_RX_SEGS		2
/* bytes copied into the skb's linear part on RX (headers) */
#define VHCA_IPOIB_RX_COPYBREAK		256

/* ------------------------------------------------------------------ */
/* TX metadata formats                                                 */
/* ------------------------------------------------------------------ */

#define VHCA_IPOIB_HDR_MAGIC		0x76685452	/* "vhTR" */
#define VHCA_IPOIB_CB_MAGIC		0x76684342	/* "vhCB" */

/**
 * struct vhca_ipoib_txhdr - header mode: pushed in front of the IPoIB
 *	encapsulation by the upper, validated and pulled by the uplink
 * @magic: VHCA_IPOIB_HDR_MAGIC
 * @cookie: the uplink's random cookie, proves the header came from one
 *	of its uppers
 * @id: handle id
 * @gen: handle generation (ids are reused, generations are not)
 */
struct vhca_ipoib_txhdr {
	__be32 magic;
	__be32 cookie;
	__be32 id;
	__be32 gen;
};

#define VHCA_IPOIB_TXHDR_LEN		sizeof(struct vhca_ipoib_txhdr)

/* cb mode: right after struct qdisc_skb_cb (28 bytes), where tc's
 * tc_skb_cb and GSO's SKB_GSO_CB (offset 32) write too: neither GSO
 * segmentation nor an egress classifier keeps it, which the uplink
 * detects (magic or check mismatch) and counts.
 */
#define VHCA_IPOIB_CB_OFFSET		28

/**
 * struct vhca_ipoib_cb - cb mode metadata, in skb->cb at
 *	VHCA_IPOIB_CB_OFFSET
 * @magic: VHCA_IPOIB_CB_MAGIC; 0 in packets sent in another mode
 * @cookie: the uplink's cookie
 * @id: handle id
 * @gen: handle generation
 * @check: @cookie ^ @id ^ @gen ^ VHCA_IPOIB_CB_MAGIC
 */
struct vhca_ipoib_cb {
	u32 magic;
	u32 cookie;
	u32 id;
	u32 gen;
	u32 check;
};

/* ------------------------------------------------------------------ */
/* Counters. Every group is a struct of u64 (plus a syncp for the      */
/* upper's) with a name table in meta.c in field order; ethtool -S     */
/* names are "tx<q>_<name>", "rx<q>_<name>", "drop_<name>", "<name>".  */
/* ------------------------------------------------------------------ */

/**
 * struct vhca_ipoib_sq_stats - per SQ counters
 *
 * Written by the xmit path (under the uplink TX queue lock): packets,
 * bytes, lso, lso_bytes, csum_partial, csum_none, stopped, dropped,
 * doorbells, nop; by the channel's NAPI: wake, cqe_err, flushed; by
 * recovery and the watchdog: timeout, recover. Plain u64, one writer
 * each, read with READ_ONCE (64-bit machines only tear-free).
 */
struct vhca_ipoib_sq_stats {
	u64 packets;		/* datagrams sent (LSO: segments) */
	u64 bytes;		/* bytes sent, headers of each segment included */
	u64 lso;		/* LSO WQEs */
	u64 lso_bytes;		/* bytes sent by LSO WQEs */
	u64 csum_partial;	/* WQEs with the device checksumming */
	u64 csum_none;		/* WQEs sent as they are */
	u64 stopped;		/* queue stops (ring full) */
	u64 wake;		/* queue wakes */
	u64 dropped;		/* skbs dropped by the uplink (any reason) */
	u64 doorbells;		/* SQ doorbells rung */
	u64 nop;		/* NOP WQEs padding the ring end */
	u64 cqe_err;		/* error CQEs (the SQ is then recovered) */
	u64 flushed;		/* WQEs flushed or given up by recovery */
	u64 timeout;		/* watchdog timeouts on the queue */
	u64 recover;		/* successful recoveries */
};

/**
 * struct vhca_ipoib_rq_stats - per RQ counters, written by NAPI only
 */
struct vhca_ipoib_rq_stats {
	u64 packets;		/* datagrams delivered to an upper */
	u64 bytes;		/* their bytes (encapsulation included) */
	u64 csum_unnecessary;	/* CHECKSUM_UNNECESSARY from the CQE */
	u64 csum_none;		/* no checksum verdict used */
	u64 gro;		/* merged by GRO */
	u64 mcast;		/* multicast or broadcast received */
	u64 dropped;		/* receives dropped (any reason) */
	u64 alloc_fail;		/* buffer or skb allocation failures */
	u64 cqe_err;		/* error or flushed receive CQEs */
	u64 polls;		/* NAPI polls of the channel */
	u64 arms;		/* CQ arms (interrupts requested) */
	u64 recover;		/* successful RQ recoveries */
};

/* Drop reasons of an uplink (atomic64, any context). Every packet an
 * upper or the uplink drops is counted in exactly one of them.
 */
enum vhca_ipoib_drop {
	VHCA_IPOIB_DROP_META_MISSING,	/* no metadata at all */
	VHCA_IPOIB_DROP_META_BAD_TYPE,	/* a dst not METADATA_HW_PORT_MUX */
	VHCA_IPOIB_DROP_META_WRONG_LOWER, /* HW_PORT_MUX of another lower */
	VHCA_IPOIB_DROP_META_BAD_COOKIE, /* header: magic right, cookie not */
	VHCA_IPOIB_DROP_META_STALE,	/* no live handle of that id/gen/dst */
	VHCA_IPOIB_DROP_CB_CLOBBERED,	/* cb: cookie or check overwritten */
	VHCA_IPOIB_DROP_CB_GSO,		/* cb: a GSO skb not segmentable */
	VHCA_IPOIB_DROP_HANDLE_ALLOC,	/* rn->send: no handle or headroom */
	VHCA_IPOIB_DROP_UPPER_DOWN,	/* rn->send on a stopped upper */
	VHCA_IPOIB_DROP_OWN_MCAST,	/* RX: own multicast from the same QP */
	VHCA_IPOIB_DROP_NO_UPPER,	/* RX: the CQE names no open upper */
	VHCA_IPOIB_DROP_DMA_MAP,	/* TX: DMA mapping failed */
	VHCA_IPOIB_DROP_LINEARIZE,	/* TX: too many frags, no memory */
	VHCA_IPOIB_DROP_LSO_HDR,	/* TX: GSO headers the device refuses */
	VHCA_IPOIB_DROP_XMIT,		/* dev_queue_xmit() on the uplink */
	VHCA_IPOIB_DROP_BAD_LEN,	/* RX: impossible byte count */
	VHCA_IPOIB_DROP_NUM,
};

/**
 * struct vhca_ipoib_upper_stats - per upper, per CPU (u64_stats)
 * @rx_packets: datagrams received
 * @rx_bytes: their bytes
 * @tx_packets: skbs handed to the uplink
 * @tx_bytes: their bytes
 * @tx_dropped: skbs rn->send dropped or the uplink refused at once
 * @rx_dropped: receives dropped for this upper
 * @tx_meta_cb: skbs sent with cb metadata
 * @tx_meta_header: skbs sent with header metadata
 * @tx_meta_metadata: skbs sent with a metadata dst
 * @tx_gso_segmented: GSO skbs segmented by the upper (cb mode)
 * @handles_created: TX handles created
 * @handles_released: TX handles freed
 * @syncp: u64_stats sync (last: the counters are an array of u64 before)
 */
struct vhca_ipoib_upper_stats {
	u64 rx_packets;
	u64 rx_bytes;
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_dropped;
	u64 rx_dropped;
	u64 tx_meta_cb;
	u64 tx_meta_header;
	u64 tx_meta_metadata;
	u64 tx_gso_segmented;
	u64 handles_created;
	u64 handles_released;
	struct u64_stats_sync syncp;
};

#define VHCA_IPOIB_NUM_SQ_STATS \
	(sizeof(struct vhca_ipoib_sq_stats) / sizeof(u64))
#define VHCA_IPOIB_NUM_RQ_STATS \
	(sizeof(struct vhca_ipoib_rq_stats) / sizeof(u64))
#define VHCA_IPOIB_NUM_UPPER_STATS \
	(offsetof(struct vhca_ipoib_upper_stats, syncp) / sizeof(u64))

/* names, in field order (meta.c) */
extern const char * const vhca_ipoib_sq_stat_names[VHCA_IPOIB_NUM_SQ_STATS];
extern const char * const vhca_ipoib_rq_stat_names[VHCA_IPOIB_NUM_RQ_STATS];
extern const char * const vhca_ipoib_drop_names[VHCA_IPOIB_DROP_NUM];
extern const char * const
vhca_ipoib_upper_stat_names[VHCA_IPOIB_NUM_UPPER_STATS];

/* ------------------------------------------------------------------ */
/* Hardware queues                                                     */
/* ------------------------------------------------------------------ */

struct vhca_ipoib_channel;
struct vhca_ipoib_uplink;
struct vhca_ipoib_upper;
struct vhca_ipoib_handle;

/**
 * struct vhca_ipoib_cq - a completion queue of a channel
 * @comp: registered for the CQ's completion events (vhca_core_cq_*)
 * @ch: its channel
 * @ring: 1 << @log_size CQEs, DMA-coherent
 * @ring_dma: its DMA address
 * @dbr: doorbell record, dbr[0] the consumer index
 * @dbr_dma: its DMA address
 * @log_size: log2 of the CQE count
 * @cqn: the device's CQ number
 * @ci: consumer index; only the channel's NAPI touches it
 */
struct vhca_ipoib_cq {
	struct vhca_eq_comp comp;
	struct vhca_ipoib_channel *ch;
	struct vhca_cqe *ring;
	dma_addr_t ring_dma;
	__be32 *dbr;
	dma_addr_t dbr_dma;
	u8 log_size;
	u32 cqn;
	u32 ci;
};

/**
 * struct vhca_ipoib_tx_info - what one posted TX WQE owns, at the ring
 *	index of its first WQEBB
 * @skb: the skb, NULL for a NOP
 * @handle: the handle reference the WQE holds, NULL for a NOP
 * @nbb: WQEBBs of the WQE
 * @num_dma: DMA fifo entries of the WQE
 * @bytes: bytes for BQL (wire bytes of all its datagrams)
 * @packets: datagrams the WQE sends (LSO: segments)
 */
struct vhca_ipoib_tx_info {
	struct sk_buff *skb;
	struct vhca_ipoib_handle *handle;
	u8 nbb;
	u8 num_dma;
	u32 bytes;
	u32 packets;
};

/**
 * struct vhca_ipoib_tx_dma - one DMA mapping of a TX WQE
 * @addr: DMA address
 * @len: length
 * @page: mapped with dma_map_page (a fragment), else dma_map_single
 */
struct vhca_ipoib_tx_dma {
	dma_addr_t addr;
	u32 len;
	bool page;
};

/* vhca_ipoib_sq.state bits */
enum {
	VHCA_IPOIB_SQ_ENABLED,		/* xmit may post */
	VHCA_IPOIB_SQ_ERR,		/* an error CQE: needs recovery */
};

/**
 * struct vhca_ipoib_sq - the TX mux send queue of a channel
 * @ch: its channel
 * @txq: the uplink's netdev_queue of the same index
 * @buf: WQEBB ring, DMA-coherent
 * @buf_dma: its DMA address
 * @buf_size: ring bytes
 * @dbr: doorbell record (VHCA_DBR_SEND used)
 * @dbr_dma: its DMA address
 * @qpn: the device QPN of the TX mux QP
 * @cnt: WQEBBs in the ring (power of two)
 * @pc: producer counter (WQEBBs posted); under the txq lock
 * @cc: consumer counter (WQEBBs completed); written by NAPI, read by
 *	xmit with READ_ONCE
 * @unsignaled: WQEs posted since the last signaled one; under txq lock
 * @db_pc: @pc at the last doorbell; under the txq lock
 * @last: ring index of the last WQE posted; under the txq lock
 * @info: per WQEBB index, see struct vhca_ipoib_tx_info
 * @dma: DMA fifo (@dma_mask + 1 entries); @dma_pc under the txq lock,
 *	@dma_cc by NAPI
 * @dma_mask: fifo size - 1
 * @dma_pc: fifo producer
 * @dma_cc: fifo consumer
 * @state: VHCA_IPOIB_SQ_* bits
 * @cq: its completion queue
 * @stats: counters (see VHCA_IPOIB_SQ_STATS for their writers)
 * @recover_work: SQ error recovery (vhca_ipoib_sq_recover())
 */
struct vhca_ipoib_sq {
	struct vhca_ipoib_channel *ch;
	struct netdev_queue *txq;
	void *buf;
	dma_addr_t buf_dma;
	size_t buf_size;
	__be32 *dbr;
	dma_addr_t dbr_dma;
	u32 qpn;
	u32 cnt;
	u32 pc;
	u32 cc;
	u32 unsignaled;
	u32 db_pc;
	u32 last;
	struct vhca_ipoib_tx_info *info;
	struct vhca_ipoib_tx_dma *dma;
	u32 dma_mask;
	u32 dma_pc;
	u32 dma_cc;
	unsigned long state;
	struct vhca_ipoib_cq cq;
	struct vhca_ipoib_sq_stats stats;
	struct work_struct recover_work;
};

/**
 * struct vhca_ipoib_rx_info - the buffer of one RQ WQE
 * @page: a page_pool page the datagram lands in
 * @dma: its DMA address (page_pool maps)
 */
struct vhca_ipoib_rx_info {
	struct page *page;
	dma_addr_t dma;
};

/**
 * struct vhca_ipoib_rq - the RQ-only QP of a channel
 * @ch: its channel
 * @buf: WQE ring (VHCA_IPOIB_RX_SEGS data segments per WQE)
 * @buf_dma: its DMA address
 * @buf_size: ring bytes
 * @grh: GRH slots, VHCA_IPOIB_RX_GRH_STRIDE bytes per WQE, coherent
 * @grh_dma: their DMA address
 * @dbr: doorbell record (VHCA_DBR_RECV used)
 * @dbr_dma: its DMA address
 * @qpn: the device QPN of the RQ-only QP
 * @cnt: WQEs (power of two)
 * @pc: WQEs posted; NAPI only (and open, before NAPI runs)
 * @cc: WQEs completed; NAPI only
 * @pool: page_pool of the buffers
 * @info: per WQE index
 * @cq: its completion queue
 * @stats: counters, NAPI only
 */
struct vhca_ipoib_rq {
	struct vhca_ipoib_channel *ch;
	void *buf;
	dma_addr_t buf_dma;
	size_t buf_size;
	u8 *grh;
	dma_addr_t grh_dma;
	__be32 *dbr;
	dma_addr_t dbr_dma;
	u32 qpn;
	u32 cnt;
	u32 pc;
	u32 cc;
	struct page_pool *pool;
	struct vhca_ipoib_rx_info *info;
	struct vhca_ipoib_cq cq;
	struct vhca_ipoib_rq_stats stats;
};

/**
 * struct vhca_ipoib_coal - interrupt moderation of one direction
 * @usecs: after a NAPI poll ends, re-arm the CQ this much later
 *	(0: at once); completions in between raise no interrupt
 * @frames: NAPI keeps polling (no re-arm) while a poll found at least
 *	this many completions (0: the NAPI budget)
 */
struct vhca_ipoib_coal {
	u32 usecs;
	u32 frames;
};

/**
 * struct vhca_ipoib_channel - one TX/RX queue pair of the uplink
 * @up: the uplink
 * @index: its index, also the uplink TX queue and upper RX queue number
 * @eq: the completion EQ its CQs report to
 * @napi: polls both CQs; scheduled by their completion events
 * @arm_timer: deferred CQ arming (moderation), see struct vhca_ipoib_coal
 * @sq: the TX mux SQ
 * @rq: the RQ-only QP
 */
struct vhca_ipoib_channel {
	struct vhca_ipoib_uplink *up;
	unsigned int index;
	struct vhca_eq *eq;
	struct napi_struct napi;
	struct hrtimer arm_timer;
	struct vhca_ipoib_sq sq;
	struct vhca_ipoib_rq rq;
};

/**
 * struct vhca_ipoib_params - the uplink's queue configuration
 * @num_channels: channels (1 .. max_channels)
 * @log_sq_size: log2 of WQEBBs per SQ
 * @log_rq_size: log2 of WQEs per RQ
 * @rx_coal: RX moderation
 * @tx_coal: TX moderation
 */
struct vhca_ipoib_params {
	unsigned int num_channels;
	u8 log_sq_size;
	u8 log_rq_size;
	struct vhca_ipoib_coal rx_coal;
	struct vhca_ipoib_coal tx_coal;
};

/* ------------------------------------------------------------------ */
/* Handles                                                             */
/* ------------------------------------------------------------------ */

/**
 * struct vhca_ipoib_handle_key - what a handle names; compared whole
 * @av: copy of the AH's address vector (never the AH: ib_ipoib frees
 *	and reuses AH memory while packets are in flight)
 * @dqpn: destination QPN
 * @qkey: Q_Key
 * @pkey_index: P_Key index of the upper
 * @rsvd: zero
 * @src_qpn: the upper's addressed UD QP
 */
struct vhca_ipoib_handle_key {
	struct vhca_av av;
	u32 dqpn;
	u32 qkey;
	u16 pkey_index;
	u16 rsvd;
	u32 src_qpn;
};

/**
 * struct vhca_ipoib_handle - a TX destination of one upper
 * @key: the destination
 * @node: in the upper's cache (RCU hash), while @cached
 * @rcu: frees the handle after the last reader
 * @ref: one reference for the cache, one per WQE in flight
 * @id: index in &vhca_ipoib_uplink.handles
 * @gen: generation, unique per uplink
 * @last_used: jiffies of the last rn->send that used it
 * @md_dst: the preallocated METADATA_HW_PORT_MUX dst (port_id = @id,
 *	lower_dev = the uplink); the handle holds one dst reference,
 *	packets in metadata mode one each
 * @upper: the upper (the handle holds a handle count on it)
 * @cached: in the cache; cleared under the upper's @handle_lock
 */
struct vhca_ipoib_handle {
	struct vhca_ipoib_handle_key key;
	struct hlist_node node;
	struct rcu_head rcu;
	struct kref ref;
	u32 id;
	u32 gen;
	unsigned long last_used;
	struct metadata_dst *md_dst;
	struct vhca_ipoib_upper *upper;
	bool cached;
};

/* ------------------------------------------------------------------ */
/* The uplink and the upper devices                                    */
/* ------------------------------------------------------------------ */

/* Fault injection (debugfs vhca_core/<bus dev>/port<N>/meta_fault): the
 * next count packets rn->send hands the uplink carry metadata the uplink
 * must refuse.
 */
enum vhca_ipoib_fault {
	VHCA_IPOIB_FAULT_NONE,
	VHCA_IPOIB_FAULT_COOKIE,	/* header/cb: wrong cookie */
	VHCA_IPOIB_FAULT_LOWER,		/* metadata: lower_dev != uplink */
	VHCA_IPOIB_FAULT_STALE,		/* an id/generation no handle has */
	VHCA_IPOIB_FAULT_TYPE,		/* metadata: a dst of another type */
	VHCA_IPOIB_FAULT_NUM,
};

/**
 * struct vhca_ipoib_uplink - the IPoIB uplink of one IB port
 * @netdev: the uplink netdev; its priv points here
 * @cdev: the core device
 * @port: port number, 1-based
 * @pdn: kernel PD of every QP of the port's IPoIB devices
 * @uar: UAR of their doorbells
 * @lkey: the reserved lkey (DMA addresses)
 * @dbr_pool: doorbell records
 * @anchor_cq: send/recv CQ named by the uppers' addressed QPs (they have
 *	no queues, so it never gets a CQE); lives as long as the uplink,
 *	so channel changes never find a CQ in use
 * @mutex: serializes configuration: @ch/@params changes, uppers
 *	opening/closing (RSS tables), recovery. Never taken in the data
 *	path. Taken inside rtnl where rtnl is held (ndo_open/stop,
 *	ethtool), never the other way round.
 * @ch: @params.num_channels channels; replaced under @mutex with the
 *	uplink's TX queues disabled and NAPI stopped
 * @max_channels: min(comp EQs, VHCA_IPOIB_MAX_CHANNELS)
 * @params: current configuration
 * @cookie: random; header/cb metadata must carry it
 * @handles: handle id -> struct vhca_ipoib_handle; RCU readers (uplink
 *	xmit), writers take the xarray lock (BH)
 * @next_id: cyclic id allocation cursor
 * @gen: last generation given
 * @uppers: addressed QPN -> open struct vhca_ipoib_upper; RCU readers
 *	(NAPI), writers under @mutex
 * @upper_list: every upper attached (init to uninit), under @mutex
 * @open_uppers: uppers open, under @mutex
 * @refs: held by each attached upper and by the creator
 * @released: completed when @refs drops to zero
 * @drops: per-reason drop counters (enum vhca_ipoib_drop)
 * @rss_key: Toeplitz key given to SET_RSS
 * @fault: enum vhca_ipoib_fault to inject (debugfs)
 * @fault_count: packets left to corrupt
 * @ddir: debugfs directory
 * @health: health.c's state of the uplink, if any
 */
struct vhca_ipoib_uplink {
	struct net_device *netdev;
	struct vhca_core_dev *cdev;
	u8 port;
	u32 pdn;
	u32 uar;
	u32 lkey;
	struct dma_pool *dbr_pool;
	struct vhca_ipoib_cq anchor_cq;
	struct mutex mutex;	/* see above */
	struct vhca_ipoib_channel **ch;
	unsigned int max_channels;
	struct vhca_ipoib_params params;
	u32 cookie;
	struct xarray handles;
	u32 next_id;
	atomic_t gen;
	struct xarray uppers;
	struct list_head upper_list;
	unsigned int open_uppers;
	refcount_t refs;
	struct completion released;
	atomic64_t drops[VHCA_IPOIB_DROP_NUM];
	u8 rss_key[VHCA_RSS_KEY_LEN];
	atomic_t fault;
	atomic_t fault_count;
	struct dentry *ddir;
	struct vhca_ipoib_health *health;
};

/* vhca_ipoib_upper.state bits */
enum {
	VHCA_IPOIB_UPPER_OPEN,		/* rn->send and RX take packets */
};

/**
 * struct vhca_ipoib_upper - private area of an IPoIB netdev (enhanced
 *	mode), parent or P_Key child
 * @rn: ib_ipoib's view; must be first (netdev_priv() is an rdma_netdev)
 * @netdev: the IPoIB netdev
 * @up: the port's uplink (reference held from init to uninit)
 * @qpn: the addressed UD QP; also the IPoIB address' QPN
 * @dbr: the QP's doorbell record (unused: no queues, but the QP needs one)
 * @dbr_dma: its DMA address
 * @qkey: Q_Key (ib_ipoib's broadcast group Q_Key once joined)
 * @pkey_index: P_Key index (rn->set_id) used at the next open
 * @state: VHCA_IPOIB_UPPER_* bits
 * @handle_lock: serializes cache insertions/removals (BH)
 * @cache: handles by key hash (RCU readers: rn->send)
 * @num_handles: handles in @cache
 * @live_handles: handles not yet freed (cached or in flight)
 * @handles_wq: woken when @live_handles drops to zero
 * @gc_work: releases idle handles
 * @stats: per-CPU counters (VHCA_IPOIB_UPPER_STATS)
 * @node: in &vhca_ipoib_uplink.upper_list
 * @health: health.c's state (devlink port, reporters)
 */
struct vhca_ipoib_upper {
	struct rdma_netdev rn;
	struct net_device *netdev;
	struct vhca_ipoib_uplink *up;
	u32 qpn;
	__be32 *dbr;
	dma_addr_t dbr_dma;
	u32 qkey;
	u16 pkey_index;
	unsigned long state;
	spinlock_t handle_lock;	/* see above */
	DECLARE_HASHTABLE(cache, VHCA_IPOIB_HANDLE_HASH_BITS);
	unsigned int num_handles;
	atomic_t live_handles;
	wait_queue_head_t handles_wq;
	struct delayed_work gc_work;
	struct vhca_ipoib_upper_stats __percpu *stats;
	struct list_head node;
	struct vhca_ipoib_health *health;
};

static inline struct vhca_ipoib_upper *vhca_ipoib_upper(struct net_device *dev)
{
	return netdev_priv(dev);
}

/* the uplink netdev's priv is a pointer to its struct vhca_ipoib_uplink */
static inline struct vhca_ipoib_uplink *
vhca_ipoib_uplink(const struct net_device *dev)
{
	return *(struct vhca_ipoib_uplink **)netdev_priv(dev);
}

static inline void vhca_ipoib_drop(struct vhca_ipoib_uplink *up,
				   enum vhca_ipoib_drop reason)
{
	atomic64_inc(&up->drops[reason]);
}

/* ------------------------------------------------------------------ */
/* Functions                                                           */
/* ------------------------------------------------------------------ */

/* channel.c */
int vhca_ipoib_destroy_obj(struct vhca_core_dev *cdev, u16 opcode, u32 num);
int vhca_ipoib_alloc_obj(struct vhca_core_dev *cdev, u16 opcode, u32 *num);
int vhca_ipoib_cmd_modify_qp(struct vhca_ipoib_uplink *up, u32 qpn,
			     u8 cur, u8 next, u32 mask,
			     const struct vhca_qp_attr *attr);
int vhca_ipoib_qp_up(struct vhca_ipoib_uplink *up, u32 qpn, u16 pkey_index,
		     u32 qkey, bool rts);
void vhca_ipoib_qp_reset(struct vhca_ipoib_uplink *up, u32 qpn);
int vhca_ipoib_create_qp(struct vhca_ipoib_uplink *up, struct vhca_qp_ctx *ctx,
			 u32 *qpn);
int vhca_ipoib_uplink_set_rss(struct vhca_ipoib_uplink *up, u32 qpn,
			      bool enable);
int vhca_ipoib_cq_create(struct vhca_ipoib_uplink *up, struct vhca_ipoib_cq *cq,
			 struct vhca_ipoib_channel *ch, struct vhca_eq *eq,
			 u8 log_size);
void vhca_ipoib_cq_destroy(struct vhca_ipoib_uplink *up,
			   struct vhca_ipoib_cq *cq);
struct vhca_cqe *vhca_ipoib_cq_next(struct vhca_ipoib_cq *cq);
void vhca_ipoib_cq_update_ci(struct vhca_ipoib_cq *cq);
bool vhca_ipoib_cq_arm(struct vhca_ipoib_uplink *up, struct vhca_ipoib_cq *cq);
int vhca_ipoib_sq_recover(struct vhca_ipoib_uplink *up, unsigned int qidx);
void vhca_ipoib_sq_recover_work(struct work_struct *work);
int vhca_ipoib_rq_recover(struct vhca_ipoib_uplink *up, unsigned int qidx);
struct vhca_ipoib_channel *
vhca_ipoib_channel_create(struct vhca_ipoib_uplink *up, unsigned int index,
			  const struct vhca_ipoib_params *params);
void vhca_ipoib_channel_destroy(struct vhca_ipoib_channel *ch);
void vhca_ipoib_channel_activate(struct vhca_ipoib_channel *ch);
void vhca_ipoib_channel_deactivate(struct vhca_ipoib_channel *ch);

/* uplink.c */
int vhca_ipoib_uplinks_create(struct vhca_core_dev *cdev);
void vhca_ipoib_uplinks_destroy(struct vhca_core_dev *cdev);
struct vhca_ipoib_uplink *vhca_ipoib_uplink_get(struct vhca_core_dev *cdev,
						u8 port);
void vhca_ipoib_uplink_put(struct vhca_ipoib_uplink *up);
int vhca_ipoib_uplink_set_channels(struct vhca_ipoib_uplink *up,
				   unsigned int n,
				   struct netlink_ext_ack *extack);
int vhca_ipoib_uplink_set_rings(struct vhca_ipoib_uplink *up, u32 sq_size,
				u32 rq_size, struct netlink_ext_ack *extack);
void vhca_ipoib_uplink_set_coalesce(struct vhca_ipoib_uplink *up,
				    const struct vhca_ipoib_coal *rx,
				    const struct vhca_ipoib_coal *tx);
void vhca_ipoib_uplink_tx_timeout(struct vhca_ipoib_uplink *up,
				  bool stuck_only);

/* tx.c */
netdev_tx_t vhca_ipoib_uplink_xmit(struct sk_buff *skb, struct net_device *dev);
int vhca_ipoib_poll_tx(struct vhca_ipoib_sq *sq, int budget);
void vhca_ipoib_sq_free_all(struct vhca_ipoib_sq *sq);

/* rx.c */
int vhca_ipoib_poll_rx(struct vhca_ipoib_rq *rq, int budget);
int vhca_ipoib_rq_fill(struct vhca_ipoib_rq *rq, gfp_t gfp);
void vhca_ipoib_rq_free_all(struct vhca_ipoib_rq *rq);

/* rn.c; vhca_ipoib_rn_get_params() is in <linux/vhca/driver.h> */
void vhca_ipoib_upper_stats_sum(struct vhca_ipoib_upper *priv,
				struct vhca_ipoib_upper_stats *sum);

/* meta.c */
int vhca_ipoib_meta_attach(struct vhca_ipoib_upper *priv, struct sk_buff *skb,
			   const struct vhca_ipoib_handle_key *key,
			   enum vhca_tx_meta_storage mode);
struct vhca_ipoib_handle *vhca_ipoib_meta_take(struct vhca_ipoib_uplink *up,
					       struct sk_buff *skb);
void vhca_ipoib_handle_put(struct vhca_ipoib_handle *h);
void vhca_ipoib_handles_flush(struct vhca_ipoib_upper *priv, bool all);
void vhca_ipoib_handles_gc(struct work_struct *work);

/* ethtool.c (I4-tests): ethtool ops of the IPoIB netdevs (installed by
 * the rdma_netdev init over ib_ipoib's own) and of the uplink.
 */
extern const struct ethtool_ops vhca_ipoib_ethtool_ops;
extern const struct ethtool_ops vhca_uplink_ethtool_ops;

/* health.c (I4-tests): a devlink port and tx/rx health reporters per
 * IPoIB netdev; init from ndo_init (rtnl held: defers to a work item),
 * cleanup from ndo_uninit (never waits for the devlink lock).
 */
int vhca_ipoib_health_init(struct net_device *ndev);
void vhca_ipoib_health_cleanup(struct net_device *ndev);
void vhca_ipoib_health_flush(struct vhca_core_dev *cdev);

#endif /* _VHCA_CORE_IPOIB_H */
