// SPDX-License-Identifier: GPL-2.0
/*
 * What the engines read and write for a WQE: the segments of a send WQE
 * in the SQ ring (the data segments through their keys, inline data from
 * the WQE itself), completions of send WQEs, and the addressing of a
 * QP's packets (its port, P_Keys, GIDs, its path). Shared by send.c,
 * rc.c and recv.c; everything runs under qp->lock.
 */

#include <asm/unaligned.h>

#include "engine.h"
#include "fabric/fabric.h"

/* the QP's port, or NULL if it has none yet; qp->lock held */
struct vhca_sim_port *vhca_sim_qp_port(struct vhca_sim_qp *qp)
{
	if (qp->port < 1 || qp->port > qp->sdev->bdev.num_ports)
		return NULL;
	return &qp->sdev->ports[qp->port - 1];
}

/* a P_Key table entry (0 when empty or out of range), read locklessly */
u16 vhca_sim_port_pkey(struct vhca_sim_port *port, u16 index)
{
	if (index >= VHCA_MAX_PKEYS)
		return 0;
	return READ_ONCE(port->pkeys[index]);
}

/* the index of the entry @pkey matches, or -1 */
int vhca_sim_port_pkey_find(struct vhca_sim_port *port, u16 pkey)
{
	unsigned int i;

	for (i = 0; i < VHCA_MAX_PKEYS; i++)
		if (vhca_pkey_match(READ_ONCE(port->pkeys[i]), pkey))
			return i;
	return -1;
}

/* GID index 0 of a port: the subnet prefix and the port GUID */
void vhca_sim_fill_gid(struct vhca_sim_port *port, u8 *gid)
{
	put_unaligned_be64(VHCA_FABRIC_SUBNET_PREFIX, gid);
	put_unaligned_be64(port->guid, gid + 8);
}

/* LRH, GRH and BTH addressing of an RC/UC QP's packets, from its path */
void vhca_sim_qp_path_info(struct vhca_sim_qp *qp, struct vhca_sim_port *port,
			   struct vhca_pkt_info *info)
{
	const struct vhca_av *av = &qp->attr.av;

	memset(info, 0, sizeof(*info));
	info->sl = av->sl & 0xf;
	info->dlid = be16_to_cpu(av->dlid);
	info->slid = READ_ONCE(port->lid) | av->src_path_bits;
	if (av->flags & VHCA_AV_F_GRH) {
		info->grh = true;
		info->tclass = av->tclass;
		info->flow_label = be32_to_cpu(av->flow_label);
		info->hop_limit = av->hop_limit;
		vhca_sim_fill_gid(port, info->sgid);
		memcpy(info->dgid, av->dgid, sizeof(info->dgid));
	}
	info->pkey = vhca_sim_port_pkey(port, qp->attr.pkey_index);
	info->dqpn = qp->attr.dest_qpn & VHCA_QPN_MASK;
}

/* the CQE status of a vhca_sim_mem_copy() failure */
u8 vhca_sim_synd_status(u8 synd)
{
	switch (synd) {
	case VHCA_CQE_SYND_BAD_LKEY:
	case VHCA_CQE_SYND_BAD_ACCESS:
	case VHCA_CQE_SYND_BAD_RANGE:
		return VHCA_CQE_ST_LOC_PROT_ERR;
	}
	return VHCA_CQE_ST_LOC_QP_OP_ERR;
}

/**
 * vhca_sim_req_cqe - complete a send WQE
 * @qp: the QP, lock held
 * @wqe_counter: the WQE's counter
 * @wqe_opcode: its VHCA_WQE_OP_*
 * @status: VHCA_CQE_ST_*; anything but OK is a REQ_ERR CQE
 * @synd: VHCA_CQE_SYND_* of an error
 * @byte_cnt: message bytes
 */
void vhca_sim_req_cqe(struct vhca_sim_qp *qp, u16 wqe_counter, u8 wqe_opcode,
		      u8 status, u8 synd, u32 byte_cnt)
{
	struct vhca_cqe cqe = {
		.opcode = status ? VHCA_CQE_REQ_ERR : VHCA_CQE_REQ,
		.status = status,
		.wqe_opcode = wqe_opcode,
		.qpn = cpu_to_be32(qp->qpn),
		.byte_cnt = cpu_to_be32(byte_cnt),
		.wqe_counter = cpu_to_be16(wqe_counter),
		.vendor_syndrome = cpu_to_be32(synd),
	};

	vhca_sim_cq_post(qp->sdev, qp->scq, &cqe);
}

/* read @len bytes at @off of the WQE at counter @idx */
int vhca_sim_sq_read(struct vhca_sim_qp *qp, u16 idx, u32 off, void *buf,
		     u32 len)
{
	u32 base = (idx & (vhca_sim_sq_size(qp) - 1)) * VHCA_WQEBB;

	return vhca_sim_dma_read(qp->sdev, &qp->sq, base + off, buf, len);
}

/* where the data segments of a send WQE begin */
u32 vhca_sim_sq_seg_start(struct vhca_sim_qp *qp, u8 opcode)
{
	u32 seg = sizeof(struct vhca_wqe_ctrl);

	switch (qp->type) {
	case VHCA_QPT_UD:
	case VHCA_QPT_GSI:
	case VHCA_QPT_SMI:
		return seg + sizeof(struct vhca_wqe_datagram);
	}
	if (opcode == VHCA_WQE_OP_RDMA_WRITE ||
	    opcode == VHCA_WQE_OP_RDMA_WRITE_IMM ||
	    opcode == VHCA_WQE_OP_RDMA_READ)
		seg += sizeof(struct vhca_wqe_raddr);
	return seg;
}

/* the message length of a WQE's segments [@seg, @end); -EINVAL if bad */
int vhca_sim_sq_len(struct vhca_sim_qp *qp, u16 idx, u32 seg, u32 end,
		    bool inline_ok, u32 *len)
{
	struct vhca_wqe_data d;
	u64 total = 0;
	u32 bc;

	while (seg < end) {
		if (seg + sizeof(d) > end ||
		    vhca_sim_sq_read(qp, idx, seg, &d, sizeof(d)))
			return -EINVAL;
		bc = be32_to_cpu(d.byte_count);
		if (bc & VHCA_WQE_INLINE) {
			bc &= ~VHCA_WQE_INLINE;
			if (!inline_ok || bc > VHCA_SIM_MAX_INLINE ||
			    seg + 4 + bc > end)
				return -EINVAL;
			seg += ALIGN(4 + bc, VHCA_WQE_DS);
		} else {
			seg += sizeof(d);
		}
		total += bc;
	}
	if (total > BIT_ULL(VHCA_SIM_LOG_MAX_MSG))
		return -EINVAL;
	*len = total;
	return 0;
}

/**
 * vhca_sim_sq_sgl - move message bytes through a send WQE's data segments
 * @qp: the QP, lock held
 * @idx: the WQE's counter
 * @seg: offset of its first data segment
 * @end: end of its segments (ds * 16)
 * @off: message offset to start at
 * @buf: device-side bytes
 * @len: how many
 * @to_mem: scatter @buf into memory (RDMA READ responses), else gather
 * @synd: VHCA_CQE_SYND_* on failure
 *
 * Gathering reads inline segments from the WQE and data segments through
 * their lkey; scattering needs local write on every key and no inline
 * segment.
 *
 * Return: 0 or -EIO.
 */
int vhca_sim_sq_sgl(struct vhca_sim_qp *qp, u16 idx, u32 seg, u32 end,
		    u32 off, u8 *buf, u32 len, bool to_mem, u8 *synd)
{
	struct vhca_wqe_data d;
	u32 bc, n;

	while (len && seg + sizeof(d) <= end) {
		if (vhca_sim_sq_read(qp, idx, seg, &d, sizeof(d)))
			goto dma;
		bc = be32_to_cpu(d.byte_count);
		if (bc & VHCA_WQE_INLINE) {
			bc &= ~VHCA_WQE_INLINE;
			if (to_mem || seg + 4 + bc > end)
				goto bad;
			if (off < bc) {
				n = min(bc - off, len);
				if (vhca_sim_sq_read(qp, idx, seg + 4 + off, buf,
						     n))
					goto dma;
				buf += n;
				len -= n;
				off = 0;
			} else {
				off -= bc;
			}
			seg += ALIGN(4 + bc, VHCA_WQE_DS);
			continue;
		}
		if (off < bc) {
			n = min(bc - off, len);
			*synd = vhca_sim_mem_copy(qp->sdev, qp->pd,
						  be32_to_cpu(d.lkey),
						  to_mem ?
						  VHCA_ACCESS_LOCAL_WRITE : 0,
						  be64_to_cpu(d.addr) + off, buf,
						  n, to_mem);
			if (*synd)
				return -EIO;
			buf += n;
			len -= n;
			off = 0;
		} else {
			off -= bc;
		}
		seg += sizeof(d);
	}
	if (!len)
		return 0;
bad:
	*synd = VHCA_CQE_SYND_BAD_WQE;
	return -EIO;
dma:
	*synd = VHCA_CQE_SYND_DMA;
	return -EIO;
}
