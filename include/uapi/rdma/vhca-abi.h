/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause) */
/*
 * vhca userspace verbs ABI: the driver data (udata) vhca_ib and its
 * rdma-core provider (libvhca) exchange, and the driver-specific uverbs
 * methods that ring doorbells.
 *
 * The data path bypasses the kernel as on a real HCA: the kernel allocates
 * every ring (SQ, RQ, SRQ, CQ) and doorbell record in DMA-coherent memory
 * and hands the process an mmap offset for each object; the provider
 * writes WQEs and reads CQEs there in the formats of the device's
 * programmer's reference (include/linux/vhca/device.h: struct vhca_wqe_*,
 * struct vhca_cqe, doorbell records). Only the doorbell register write is
 * a system call (VHCA_IB_METHOD_QP_SQ_DOORBELL, VHCA_IB_METHOD_CQ_ARM):
 * the emulated device cannot see a store to memory.
 *
 * Rules for every struct here: fixed size, explicit padding, reserved
 * fields are written as 0 and checked by the kernel, 64-bit fields are
 * __aligned_u64. The kernel accepts a shorter request (missing fields are
 * 0) and writes min(its size, the caller's buffer) of a response. Any
 * layout change bumps VHCA_UVERBS_ABI_VERSION.
 *
 * Where each driver part sits: right after the core uverbs struct of the
 * command (struct ib_uverbs_get_context_resp, ..._create_cq_resp, ...), as
 * libibverbs' ibv_cmd_*() helpers lay it out; responses that follow a core
 * struct of 4 bytes (create_ah) have no 8-byte member, so no padding sits
 * between the two.
 */
#ifndef VHCA_ABI_USER_H
#define VHCA_ABI_USER_H

#include <linux/types.h>
#include <rdma/ib_user_ioctl_cmds.h>

/*
 * ib_device_ops.driver_id of vhca devices: a private value above
 * upstream's enum rdma_driver_id (which ends near 20), reported by
 * netlink and checked by the kernel on every uverbs ioctl. Providers
 * match it first and fall back to the device name "vhca_*" (sysfs
 * discovery reports driver_id 0).
 */
#define VHCA_DRIVER_ID			118

/* ib_device_ops.uverbs_abi_ver: this header's layout revision */
#define VHCA_UVERBS_ABI_VERSION		1

/* ------------------------------------------------------------------ */
/* Context                                                             */
/* ------------------------------------------------------------------ */

/**
 * struct vhca_alloc_ucontext_cmd - driver part of GET_CONTEXT
 * @abi_version: VHCA_UVERBS_ABI_VERSION the provider was built with;
 *	0 (or a request too short to hold it) means "not told"
 * @comp_mask: 0; the kernel refuses bits it does not know (EINVAL)
 */
struct vhca_alloc_ucontext_cmd {
	__u32 abi_version;
	__u32 comp_mask;
};

/* vhca_alloc_ucontext_resp.caps */
#define VHCA_UCTX_CAP_SQ_DOORBELL	(1U << 0) /* QP_SQ_DOORBELL method */
#define VHCA_UCTX_CAP_CQ_ARM		(1U << 1) /* CQ_ARM method */
/* ibv_cmd_req_notify_cq() works too: the kernel reads the CQ's record */
#define VHCA_UCTX_CAP_CMD_REQ_NOTIFY	(1U << 2)

/**
 * struct vhca_alloc_ucontext_resp - driver part of the GET_CONTEXT response
 * @abi_version: VHCA_UVERBS_ABI_VERSION of the kernel
 * @caps: VHCA_UCTX_CAP_*
 * @uar: the UAR (doorbell page) of this context; informational, the
 *	kernel rings every doorbell of the context's objects through it
 * @page_size: the kernel's page size; every mmap size and offset in the
 *	responses below is a multiple of it
 * @wqebb_size: send WQE basic block, 64 bytes (VHCA_WQEBB)
 * @max_send_wqe_bbs: WQEBBs one send WQE may span (VHCA_SEND_WQE_MAX_BBS)
 * @cqe_size: bytes per CQE, 64 (struct vhca_cqe)
 * @data_seg_size: bytes per data segment, 16 (struct vhca_wqe_data)
 * @invalid_lkey: the lkey that ends a receive scatter list early
 *	(VHCA_INVALID_LKEY)
 * @max_inline: the device's largest inline payload of a send WQE
 * @max_sq_sge: the device's largest gather list
 * @max_rq_sge: the device's largest scatter list
 * @reserved: 0
 */
struct vhca_alloc_ucontext_resp {
	__u32 abi_version;
	__u32 caps;
	__u32 uar;
	__u32 page_size;
	__u32 wqebb_size;
	__u32 max_send_wqe_bbs;
	__u32 cqe_size;
	__u32 data_seg_size;
	__u32 invalid_lkey;
	__u32 max_inline;
	__u16 max_sq_sge;
	__u16 max_rq_sge;
	__u32 reserved;
};

/* ------------------------------------------------------------------ */
/* Completion queues                                                   */
/* ------------------------------------------------------------------ */

/**
 * struct vhca_create_cq_cmd - driver part of CREATE_CQ (optional)
 * @comp_mask: 0
 * @reserved: 0
 */
struct vhca_create_cq_cmd {
	__u32 comp_mask;
	__u32 reserved;
};

/**
 * struct vhca_create_cq_resp - driver part of the CREATE_CQ response
 * @mmap_offset: mmap() offset on the context's command fd of the CQ's
 *	memory: mmap(NULL, @mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
 *	cmd_fd, @mmap_offset); the size must be exact
 * @mmap_size: bytes to map, a page multiple
 * @cqn: the device's CQ number (for VHCA_IB_METHOD_CQ_ARM logs only;
 *	the method takes the CQ handle)
 * @log_size: the ring holds 1 << @log_size CQEs (one more than the
 *	core response's cqe); the ring starts at offset 0 of the mapping
 *	and every owner bit is 1 initially (nothing new at ci 0)
 * @dbr_offset: offset of the doorbell record in the mapping: a __be32
 *	consumer index (CQEs polled, low 24 bits) the provider updates after
 *	polling; the device writes a slot again only once it has been passed
 */
struct vhca_create_cq_resp {
	__aligned_u64 mmap_offset;
	__u32 mmap_size;
	__u32 cqn;
	__u32 log_size;
	__u32 dbr_offset;
};

/* ------------------------------------------------------------------ */
/* Queue pairs                                                         */
/* ------------------------------------------------------------------ */

/**
 * struct vhca_create_qp_cmd - driver part of CREATE_QP (optional)
 * @comp_mask: 0
 * @reserved: 0
 *
 * The sizes come from the core command (max_send_wr, max_send_sge,
 * max_inline_data, max_recv_wr, max_recv_sge); the kernel rounds them up
 * and reports the result in the core response.
 */
struct vhca_create_qp_cmd {
	__u32 comp_mask;
	__u32 reserved;
};

/**
 * struct vhca_create_qp_resp - driver part of the CREATE_QP response
 * @mmap_offset: mmap() offset of the QP's memory (as for CQs)
 * @mmap_size: bytes to map
 * @qpn: the device QPN; it goes into every send WQE's control segment
 *	(checked by the device) and CQEs name it. Equal to the core
 *	response's qpn for RC, UC and UD QPs.
 * @sq_offset: offset of the SQ ring in the mapping (page aligned)
 * @sq_wqebb_cnt: WQEBBs (64 bytes) in the SQ ring, a power of two; 0 for
 *	no SQ. The provider's producer counter (WQEBBs posted) goes, low 16
 *	bits, into the doorbell record's send word and the SQ doorbell.
 * @rq_offset: offset of the RQ ring in the mapping (page aligned)
 * @rq_wqe_cnt: receive WQEs in the RQ ring, a power of two; 0 without an
 *	RQ (SRQ attached, or max_recv_wr 0)
 * @rq_stride: bytes per receive WQE, a power of two >= 16: that many
 *	data segments / 16, the list ended early by a segment with
 *	invalid_lkey
 * @dbr_offset: offset of the doorbell record: __be32 [0] receive producer
 *	counter (RQ WQEs posted, low 16 bits), __be32 [1] send producer
 *	counter (WQEBBs posted, low 16 bits)
 * @sq_max_wqe_bbs: WQEBBs of the largest WQE the SQ was sized for (the
 *	core response's max_send_wr WQEs of this size fit)
 * @reserved: 0
 */
struct vhca_create_qp_resp {
	__aligned_u64 mmap_offset;
	__u32 mmap_size;
	__u32 qpn;
	__u32 sq_offset;
	__u32 sq_wqebb_cnt;
	__u32 rq_offset;
	__u32 rq_wqe_cnt;
	__u32 rq_stride;
	__u32 dbr_offset;
	__u32 sq_max_wqe_bbs;
	__u32 reserved;
};

/* ------------------------------------------------------------------ */
/* Shared receive queues                                               */
/* ------------------------------------------------------------------ */

/**
 * struct vhca_create_srq_cmd - driver part of CREATE_SRQ (optional)
 * @comp_mask: 0
 * @reserved: 0
 */
struct vhca_create_srq_cmd {
	__u32 comp_mask;
	__u32 reserved;
};

/**
 * struct vhca_create_srq_resp - driver part of the CREATE_SRQ response
 * @mmap_offset: mmap() offset of the SRQ's memory (as for CQs)
 * @mmap_size: bytes to map
 * @srqn: the device's SRQ number
 * @wqe_cnt: receive WQEs in the ring (at offset 0), a power of two. The
 *	device consumes them in ring order; a receive CQE's wqe_counter names
 *	the slot that completed.
 * @stride: bytes per WQE (as rq_stride of a QP)
 * @dbr_offset: offset of the doorbell record: __be32 producer counter
 *	(WQEs posted, low 16 bits)
 * @reserved: 0
 */
struct vhca_create_srq_resp {
	__aligned_u64 mmap_offset;
	__u32 mmap_size;
	__u32 srqn;
	__u32 wqe_cnt;
	__u32 stride;
	__u32 dbr_offset;
	__u32 reserved;
};

/* ------------------------------------------------------------------ */
/* Address handles                                                     */
/* ------------------------------------------------------------------ */

#define VHCA_AV_SIZE	32

/**
 * struct vhca_create_ah_resp - driver part of the CREATE_AH response
 * @av: the address vector in the device's format (struct vhca_av of
 *	device.h: dlid, sl, flags, sgid_index, hop_limit, tclass,
 *	static_rate, src_path_bits, flow_label, dgid; big-endian), to be
 *	copied verbatim into the datagram segment of UD send WQEs
 *
 * No 8-byte member: this follows the 4-byte struct ib_uverbs_create_ah_resp
 * directly.
 */
struct vhca_create_ah_resp {
	__u8 av[VHCA_AV_SIZE];
};

/* ------------------------------------------------------------------ */
/* Doorbell methods (driver-specific uverbs ioctls)                    */
/* ------------------------------------------------------------------ */

/*
 * Method and attribute IDs live in the driver namespace
 * (1 << UVERBS_ID_NS_SHIFT = 0x1000). Call them with RDMA_VERBS_IOCTL on
 * the context's command fd: struct ib_uverbs_ioctl_hdr {length, object_id,
 * method_id, num_attrs, driver_id = VHCA_DRIVER_ID} followed by struct
 * ib_uverbs_attr entries (flags UVERBS_ATTR_F_MANDATORY). An IDR
 * attribute carries the object's handle (ibv_qp.handle, ibv_cq.handle) in
 * data with len 0; a u32 attribute its value inline in data with len 4.
 */
#define VHCA_IB_ID_NS	(1U << UVERBS_ID_NS_SHIFT)

/**
 * enum vhca_ib_qp_methods - methods on UVERBS_OBJECT_QP
 * @VHCA_IB_METHOD_QP_SQ_DOORBELL: ring the SQ doorbell: the device reads
 *	the WQEs up to the given producer counter. Write the WQEs, then the
 *	doorbell record's send word, then call this. Errors: EINVAL (not a
 *	user QP of this context, no SQ, counter more than the ring size
 *	ahead of the last one rung), EPROTONOSUPPORT (unknown method).
 */
enum vhca_ib_qp_methods {
	VHCA_IB_METHOD_QP_SQ_DOORBELL = VHCA_IB_ID_NS,
};

/**
 * enum vhca_ib_qp_sq_doorbell_attrs - attributes of QP_SQ_DOORBELL
 * @VHCA_IB_ATTR_SQ_DB_QP_HANDLE: the QP (IDR, mandatory)
 * @VHCA_IB_ATTR_SQ_DB_PI: __u32, the SQ producer counter (WQEBBs posted,
 *	0..0xffff; the low 16 bits of the provider's counter), mandatory
 */
enum vhca_ib_qp_sq_doorbell_attrs {
	VHCA_IB_ATTR_SQ_DB_QP_HANDLE = VHCA_IB_ID_NS,
	VHCA_IB_ATTR_SQ_DB_PI,
};

/**
 * enum vhca_ib_cq_methods - methods on UVERBS_OBJECT_CQ
 * @VHCA_IB_METHOD_CQ_ARM: request one completion event (delivered to the
 *	CQ's completion channel as for any CQ). Errors: EINVAL (not a user CQ
 *	of this context, bad command or index).
 */
enum vhca_ib_cq_methods {
	VHCA_IB_METHOD_CQ_ARM = VHCA_IB_ID_NS + 1,
};

/* VHCA_IB_ATTR_CQ_ARM_CMD values */
#define VHCA_IB_CQ_ARM_NEXT		0 /* event on the next CQE */
#define VHCA_IB_CQ_ARM_SOLICITED	1 /* on a solicited or error CQE */

/**
 * enum vhca_ib_cq_arm_attrs - attributes of CQ_ARM
 * @VHCA_IB_ATTR_CQ_ARM_CQ_HANDLE: the CQ (IDR, mandatory)
 * @VHCA_IB_ATTR_CQ_ARM_CMD: __u32, VHCA_IB_CQ_ARM_*, mandatory
 * @VHCA_IB_ATTR_CQ_ARM_CI: __u32, the consumer index (CQEs polled, low
 *	24 bits); a CQE already past it fires the event at once, mandatory
 */
enum vhca_ib_cq_arm_attrs {
	VHCA_IB_ATTR_CQ_ARM_CQ_HANDLE = VHCA_IB_ID_NS,
	VHCA_IB_ATTR_CQ_ARM_CMD,
	VHCA_IB_ATTR_CQ_ARM_CI,
};

#endif /* VHCA_ABI_USER_H */
