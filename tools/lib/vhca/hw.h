/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The memory formats of the vhca HCA that userspace touches: send and
 * receive WQEs, CQEs and doorbell records. This is the userspace view of
 * the device's programmer's reference, include/linux/vhca/device.h (a
 * kernel header, which userspace cannot include); names and layouts are
 * the same, and every size is checked. Multi-byte fields are big-endian.
 */
#ifndef VHCA_HW_H
#define VHCA_HW_H

#include <assert.h>
#include <stdint.h>

typedef uint16_t vhca_be16;
typedef uint32_t vhca_be32;
typedef uint64_t vhca_be64;

/* send WQEs: 64-byte basic blocks, segments in 16-byte units */
#define VHCA_WQEBB		64
#define VHCA_SEND_WQE_MAX_BBS	16
#define VHCA_WQE_DS		16

#define VHCA_WQE_OP_NOP		0x00
#define VHCA_WQE_OP_RDMA_WRITE	0x08
#define VHCA_WQE_OP_RDMA_WRITE_IMM 0x09
#define VHCA_WQE_OP_SEND	0x0a
#define VHCA_WQE_OP_SEND_IMM	0x0b
#define VHCA_WQE_OP_RDMA_READ	0x10

#define VHCA_WQE_F_SIGNALED	(1U << 0)
#define VHCA_WQE_F_SOLICITED	(1U << 1)
#define VHCA_WQE_F_FENCE	(1U << 2)

/* control segment, first in every send WQE */
struct vhca_wqe_ctrl {
	uint8_t opcode;
	uint8_t flags;
	vhca_be16 wqe_counter;
	uint8_t ds;
	uint8_t rsvd[3];
	vhca_be32 qpn;
	vhca_be32 imm;
};

static_assert(sizeof(struct vhca_wqe_ctrl) == 16, "wqe_ctrl");

/* address vector (struct vhca_av), opaque here: create_ah returns it */
#define VHCA_HW_AV_SIZE		32

/* UD datagram segment */
struct vhca_wqe_datagram {
	vhca_be32 dqpn;
	vhca_be32 qkey;
	vhca_be16 pkey_index;
	uint8_t rsvd[6];
	uint8_t av[VHCA_HW_AV_SIZE];
};

static_assert(sizeof(struct vhca_wqe_datagram) == 48, "wqe_datagram");

/* RDMA segment */
struct vhca_wqe_raddr {
	vhca_be64 raddr;
	vhca_be32 rkey;
	vhca_be32 rsvd;
};

static_assert(sizeof(struct vhca_wqe_raddr) == 16, "wqe_raddr");

/* data segment: one gather/scatter entry */
struct vhca_wqe_data {
	vhca_be32 byte_count;
	vhca_be32 lkey;
	vhca_be64 addr;
};

static_assert(sizeof(struct vhca_wqe_data) == 16, "wqe_data");

/* inline segment: byte_count | VHCA_WQE_INLINE, then the bytes */
#define VHCA_WQE_INLINE		(1U << 31)

struct vhca_wqe_inline {
	vhca_be32 byte_count;
	uint8_t data[];
};

/* CQE opcodes */
#define VHCA_CQE_REQ		0x0
#define VHCA_CQE_RESP_WRITE_IMM	0x1
#define VHCA_CQE_RESP_SEND	0x2
#define VHCA_CQE_RESP_SEND_IMM	0x3
#define VHCA_CQE_REQ_ERR	0xd
#define VHCA_CQE_RESP_ERR	0xe

/* CQE status: the IBA completion status, in enum ibv_wc_status order */
#define VHCA_CQE_ST_OK		0
#define VHCA_CQE_ST_GENERAL_ERR	21

#define VHCA_CQE_F_GRH		(1U << 0)
#define VHCA_CQE_F_IMM		(1U << 1)

struct vhca_cqe {
	uint8_t opcode;
	uint8_t status;
	uint8_t wqe_opcode;
	uint8_t flags;
	vhca_be32 qpn;
	vhca_be32 byte_cnt;
	vhca_be32 imm;
	vhca_be32 src_qp;
	vhca_be16 slid;
	uint8_t sl;
	uint8_t path_bits;
	vhca_be16 wqe_counter;
	vhca_be16 pkey_index;
	vhca_be32 vendor_syndrome;
	uint8_t rsvd[31];
	uint8_t owner;
};

static_assert(sizeof(struct vhca_cqe) == 64, "cqe");

#define VHCA_QPN_MASK		0x00ffffffU
#define VHCA_CQ_CI_MASK		0x00ffffffU

/* doorbell record words of a QP */
#define VHCA_DBR_RECV		0
#define VHCA_DBR_SEND		1

/* a ring entry is new when its owner bit equals this */
static inline uint8_t vhca_cqe_owner(uint32_t index, unsigned int log_size)
{
	return (index >> log_size) & 1;
}

#endif /* VHCA_HW_H */
