// SPDX-License-Identifier: GPL-2.0
/*
 * MAD_IFC: the management agents of a port, as the firmware of an HCA
 * runs them.
 *
 * The subnet management agent answers SubnGet (LID-routed and directed
 * route) of NodeDescription, NodeInfo, GUIDInfo, PortInfo and
 * P_KeyTable; the performance management agent answers Get of
 * ClassPortInfo, PortCounters and PortCountersExtended. Every request
 * gets a GetResp with the IBA MAD status of what was wrong with it; the
 * command itself fails only for a port the device does not have or a
 * MAD that is not a request at all (a response method).
 *
 * Port attributes come from the same place QUERY_PORT reads them (under
 * the fabric's lock), traffic counters from the port's lockless counters.
 */

#include <linux/minmax.h>
#include <linux/string.h>
#include <rdma/ib_mad.h>
#include <rdma/ib_pma.h>
#include <rdma/ib_smi.h>

#include "res.h"

#define VHCA_SIM_MAD_CLASS_VERSION	1
#define VHCA_SIM_NODE_TYPE_CA		1
#define VHCA_SIM_MAD_DEVICE_ID		0x0001
#define VHCA_SIM_PKEY_BLOCK		32	/* P_Keys per P_KeyTable block */
#define VHCA_SIM_GUID_BLOCK		8	/* GUIDs per GUIDInfo block */
#define VHCA_SIM_NODE_DESC_LEN		64
#define VHCA_SIM_RESP_TIME		8	/* 4.096 us << 8 */
/* PortInfo encodings the model reports */
#define VHCA_SIM_PI_WIDTH_SUPPORTED	3	/* 1x, 4x */
#define VHCA_SIM_PI_SPEED_SUPPORTED	7	/* SDR, DDR, QDR */
#define VHCA_SIM_PI_SPEED_QDR		4
#define VHCA_SIM_PI_SPEED_EXT_EDR	2
#define VHCA_SIM_PI_SPEED_EXT_SUPP	3	/* FDR, EDR */
#define VHCA_SIM_PI_LINKDOWN_POLLING	2
#define VHCA_SIM_PI_VL0			1	/* VLCap/OperationalVLs: VL0 */
/* PortInfo bytes past struct ib_port_info: LinkSpeedExt */
#define VHCA_SIM_PI_SPEED_EXT_OFF	62

#define VHCA_SIM_MAD_ST_OK		IB_MGMT_MAD_STATUS_SUCCESS
#define VHCA_SIM_MAD_ST_BAD_VERSION	IB_MGMT_MAD_STATUS_BAD_VERSION
#define VHCA_SIM_MAD_ST_BAD_METHOD	IB_MGMT_MAD_STATUS_UNSUPPORTED_METHOD
#define VHCA_SIM_MAD_ST_BAD_ATTR	\
	IB_MGMT_MAD_STATUS_UNSUPPORTED_METHOD_ATTRIB
#define VHCA_SIM_MAD_ST_BAD_VALUE	IB_MGMT_MAD_STATUS_INVALID_ATTRIB_VALUE

static_assert(sizeof(struct ib_smp) == VHCA_MAD_SIZE);
static_assert(sizeof(struct ib_pma_mad) == VHCA_MAD_SIZE);

static u64 vhca_sim_node_guid(struct vhca_sim_dev *sdev)
{
	return VHCA_SIM_GUID_BASE | (u64)sdev->bdev.id << 8;
}

/* what QUERY_PORT says of @port_num; cmd.mutex held */
static int vhca_sim_mad_port_info(struct vhca_sim_dev *sdev, u8 port_num,
				  struct vhca_port_info *info)
{
	struct vhca_cmd_port_in in = { .port = port_num };
	struct vhca_cmd_query_port_out out = {};
	u32 synd;

	if (vhca_sim_port_cmd_query(sdev, &in, &out, &synd))
		return -EINVAL;
	*info = out.info;
	return 0;
}

static u16 vhca_sim_sat16(u64 val)
{
	return min_t(u64, val, U16_MAX);
}

static u32 vhca_sim_sat32(u64 val)
{
	return min_t(u64, val, U32_MAX);
}

static u64 vhca_sim_drops(struct vhca_sim_port *port, enum vhca_port_drop why)
{
	return atomic64_read(&port->cnt.drops[why]);
}

static u16 vhca_sim_smp_node_desc(struct vhca_sim_dev *sdev, u8 *data)
{
	snprintf(data, VHCA_SIM_NODE_DESC_LEN, "vhca%u HCA-1", sdev->bdev.id);
	return VHCA_SIM_MAD_ST_OK;
}

static u16 vhca_sim_smp_node_info(struct vhca_sim_dev *sdev, u8 port_num,
				  u8 *data)
{
	struct ib_node_info *ni = (struct ib_node_info *)data;
	u64 guid = vhca_sim_node_guid(sdev);

	ni->base_version = IB_MGMT_BASE_VERSION;
	ni->class_version = VHCA_SIM_MAD_CLASS_VERSION;
	ni->node_type = VHCA_SIM_NODE_TYPE_CA;
	ni->num_ports = sdev->bdev.num_ports;
	ni->sys_guid = cpu_to_be64(guid);
	ni->node_guid = cpu_to_be64(guid);
	ni->port_guid = cpu_to_be64(sdev->ports[port_num - 1].guid);
	ni->partition_cap = cpu_to_be16(VHCA_MAX_PKEYS);
	ni->device_id = cpu_to_be16(VHCA_SIM_MAD_DEVICE_ID);
	ni->revision = cpu_to_be32(VHCA_SIM_BOARD_REV);
	ni->local_port_num = port_num;
	ni->vendor_id[0] = (VHCA_SIM_VENDOR_ID >> 16) & 0xff;
	ni->vendor_id[1] = (VHCA_SIM_VENDOR_ID >> 8) & 0xff;
	ni->vendor_id[2] = VHCA_SIM_VENDOR_ID & 0xff;
	return VHCA_SIM_MAD_ST_OK;
}

static u16 vhca_sim_smp_guid_info(struct vhca_sim_dev *sdev, u8 port_num,
				  u32 block, u8 *data)
{
	__be64 *guids = (__be64 *)data;

	/* one GID per port: only block 0 exists */
	if (block)
		return VHCA_SIM_MAD_ST_BAD_VALUE;
	guids[0] = cpu_to_be64(sdev->ports[port_num - 1].guid);
	return VHCA_SIM_MAD_ST_OK;
}

static u16 vhca_sim_smp_port_info(struct vhca_sim_dev *sdev, u8 port_num,
				  u32 attr_mod, u8 *data)
{
	struct ib_port_info *pi = (struct ib_port_info *)data;
	struct vhca_sim_port *port;
	struct vhca_port_info info;

	/* 0 is the port the SMP came in on */
	if (attr_mod > sdev->bdev.num_ports)
		return VHCA_SIM_MAD_ST_BAD_VALUE;
	if (attr_mod)
		port_num = attr_mod;
	if (vhca_sim_mad_port_info(sdev, port_num, &info))
		return VHCA_SIM_MAD_ST_BAD_VALUE;
	port = &sdev->ports[port_num - 1];

	pi->gid_prefix = info.subnet_prefix;
	pi->lid = info.lid;
	pi->sm_lid = info.sm_lid;
	pi->cap_mask = info.capability_mask;
	pi->local_port_num = port_num;
	pi->link_width_enabled = VHCA_SIM_PI_WIDTH_SUPPORTED;
	pi->link_width_supported = VHCA_SIM_PI_WIDTH_SUPPORTED;
	pi->link_width_active = info.link_width_active;
	pi->linkspeed_portstate = VHCA_SIM_PI_SPEED_SUPPORTED << 4 |
				  (info.state & 0xf);
	pi->portphysstate_linkdown = (info.phys_state & 0xf) << 4 |
				     VHCA_SIM_PI_LINKDOWN_POLLING;
	pi->mkeyprot_resv_lmc = info.lmc & 0x7;
	pi->linkspeedactive_enabled = VHCA_SIM_PI_SPEED_QDR << 4 |
				      VHCA_SIM_PI_SPEED_SUPPORTED;
	pi->neighbormtu_mastersmsl = (info.active_mtu & 0xf) << 4 |
				     (info.sm_sl & 0xf);
	pi->vlcap_inittype = VHCA_SIM_PI_VL0 << 4;
	pi->inittypereply_mtucap = (info.init_type_reply & 0xf) << 4 |
				   (info.max_mtu & 0xf);
	pi->operationalvl_pei_peo_fpi_fpo = VHCA_SIM_PI_VL0 << 4;
	pi->pkey_violations =
		cpu_to_be16(vhca_sim_sat16(vhca_sim_drops(port,
							  VHCA_PORT_DROP_PKEY)));
	pi->qkey_violations =
		cpu_to_be16(vhca_sim_sat16(vhca_sim_drops(port,
							  VHCA_PORT_DROP_QKEY)));
	pi->guid_cap = be16_to_cpu(info.gid_tbl_len);
	pi->clientrereg_resv_subnetto = info.subnet_timeout & 0x1f;
	pi->resv_resptimevalue = VHCA_SIM_RESP_TIME;
	data[VHCA_SIM_PI_SPEED_EXT_OFF] = VHCA_SIM_PI_SPEED_EXT_EDR << 4 |
					  VHCA_SIM_PI_SPEED_EXT_SUPP;
	data[VHCA_SIM_PI_SPEED_EXT_OFF + 1] = VHCA_SIM_PI_SPEED_EXT_SUPP;
	return VHCA_SIM_MAD_ST_OK;
}

static u16 vhca_sim_smp_pkey_table(struct vhca_sim_dev *sdev, u8 port_num,
				   u32 block, u8 *data)
{
	struct vhca_cmd_port_in in = { .port = port_num };
	struct vhca_cmd_query_pkeys_out out = {};
	__be16 *pkeys = (__be16 *)data;
	u32 synd;

	if (block >= VHCA_MAX_PKEYS / VHCA_SIM_PKEY_BLOCK)
		return VHCA_SIM_MAD_ST_BAD_VALUE;
	if (vhca_sim_port_cmd_query_pkeys(sdev, &in, &out, &synd))
		return VHCA_SIM_MAD_ST_BAD_VALUE;
	memcpy(pkeys, &out.pkeys[block * VHCA_SIM_PKEY_BLOCK],
	       VHCA_SIM_PKEY_BLOCK * sizeof(*pkeys));
	return VHCA_SIM_MAD_ST_OK;
}

/* the SMA: a Get of one attribute into smp->data */
static u16 vhca_sim_sma(struct vhca_sim_dev *sdev, u8 port_num,
			struct ib_smp *smp)
{
	u32 attr_mod = be32_to_cpu(smp->attr_mod);
	bool known = true;
	u16 st;

	memset(smp->data, 0, sizeof(smp->data));
	switch (smp->attr_id) {
	case IB_SMP_ATTR_NODE_DESC:
		st = vhca_sim_smp_node_desc(sdev, smp->data);
		break;
	case IB_SMP_ATTR_NODE_INFO:
		st = vhca_sim_smp_node_info(sdev, port_num, smp->data);
		break;
	case IB_SMP_ATTR_GUID_INFO:
		st = vhca_sim_smp_guid_info(sdev, port_num, attr_mod,
					    smp->data);
		break;
	case IB_SMP_ATTR_PORT_INFO:
		st = vhca_sim_smp_port_info(sdev, port_num, attr_mod,
					    smp->data);
		break;
	case IB_SMP_ATTR_PKEY_TABLE:
		/* the block; the upper half names a switch port */
		st = vhca_sim_smp_pkey_table(sdev, port_num, attr_mod & 0xffff,
					     smp->data);
		break;
	default:
		known = false;
		st = VHCA_SIM_MAD_ST_BAD_ATTR;
		break;
	}
	/* the agent supports Get only */
	if (known && smp->method != IB_MGMT_METHOD_GET)
		st = VHCA_SIM_MAD_ST_BAD_ATTR;
	return st;
}

static u16 vhca_sim_pma_class_port_info(u8 *data)
{
	struct ib_class_port_info *cpi = (struct ib_class_port_info *)data;

	cpi->base_version = IB_MGMT_BASE_VERSION;
	cpi->class_version = VHCA_SIM_MAD_CLASS_VERSION;
	/* PortCountersExtended, without the unicast/multicast counters */
	cpi->capability_mask = IB_PMA_CLASS_CAP_EXT_WIDTH_NOIETF;
	cpi->cap_mask2_resp_time = cpu_to_be32(VHCA_SIM_RESP_TIME);
	return VHCA_SIM_MAD_ST_OK;
}

/* the port a PMA request selects; 0 if none of ours */
static u8 vhca_sim_pma_port(struct vhca_sim_dev *sdev, u8 port_num,
			    u8 port_select)
{
	if (!port_select)
		return port_num;
	return port_select <= sdev->bdev.num_ports ? port_select : 0;
}

static u16 vhca_sim_pma_port_counters(struct vhca_sim_dev *sdev, u8 port_num,
				      u8 *data)
{
	struct ib_pma_portcounters *pc = (struct ib_pma_portcounters *)data;
	struct vhca_sim_port_counters *cnt;
	struct vhca_sim_port *port;
	u8 sel = pc->port_select;
	__be16 counter_select = pc->counter_select;
	u64 rcv_err, discards;

	port_num = vhca_sim_pma_port(sdev, port_num, sel);
	if (!port_num)
		return VHCA_SIM_MAD_ST_BAD_VALUE;
	port = &sdev->ports[port_num - 1];
	cnt = &port->cnt;
	rcv_err = vhca_sim_drops(port, VHCA_PORT_DROP_BAD_CRC) +
		  vhca_sim_drops(port, VHCA_PORT_DROP_BAD_HDR);
	discards = vhca_sim_drops(port, VHCA_PORT_DROP_LINK_DOWN) +
		   vhca_sim_drops(port, VHCA_PORT_DROP_NO_ROUTE) +
		   vhca_sim_drops(port, VHCA_PORT_DROP_LOSS);

	memset(pc, 0, sizeof(*pc));
	pc->port_select = sel;
	pc->counter_select = counter_select;
	pc->port_rcv_errors = cpu_to_be16(vhca_sim_sat16(rcv_err));
	pc->port_xmit_discards = cpu_to_be16(vhca_sim_sat16(discards));
	/* data counters count 32-bit words */
	pc->port_xmit_data =
		cpu_to_be32(vhca_sim_sat32(atomic64_read(&cnt->tx_bytes) / 4));
	pc->port_rcv_data =
		cpu_to_be32(vhca_sim_sat32(atomic64_read(&cnt->rx_bytes) / 4));
	pc->port_xmit_packets =
		cpu_to_be32(vhca_sim_sat32(atomic64_read(&cnt->tx_packets)));
	pc->port_rcv_packets =
		cpu_to_be32(vhca_sim_sat32(atomic64_read(&cnt->rx_packets)));
	return VHCA_SIM_MAD_ST_OK;
}

static u16 vhca_sim_pma_port_counters_ext(struct vhca_sim_dev *sdev,
					  u8 port_num, u8 *data)
{
	struct ib_pma_portcounters_ext *pc =
		(struct ib_pma_portcounters_ext *)data;
	struct vhca_sim_port_counters *cnt;
	u8 sel = pc->port_select;
	__be16 counter_select = pc->counter_select;

	port_num = vhca_sim_pma_port(sdev, port_num, sel);
	if (!port_num)
		return VHCA_SIM_MAD_ST_BAD_VALUE;
	cnt = &sdev->ports[port_num - 1].cnt;

	memset(pc, 0, sizeof(*pc));
	pc->port_select = sel;
	pc->counter_select = counter_select;
	pc->port_xmit_data = cpu_to_be64(atomic64_read(&cnt->tx_bytes) / 4);
	pc->port_rcv_data = cpu_to_be64(atomic64_read(&cnt->rx_bytes) / 4);
	pc->port_xmit_packets = cpu_to_be64(atomic64_read(&cnt->tx_packets));
	pc->port_rcv_packets = cpu_to_be64(atomic64_read(&cnt->rx_packets));
	return VHCA_SIM_MAD_ST_OK;
}

/* the PMA: a Get of one attribute into pma->data */
static u16 vhca_sim_pma(struct vhca_sim_dev *sdev, u8 port_num,
			struct ib_pma_mad *pma)
{
	bool known = true;
	u16 st;

	switch (pma->mad_hdr.attr_id) {
	case IB_PMA_CLASS_PORT_INFO:
		memset(pma->data, 0, sizeof(pma->data));
		st = vhca_sim_pma_class_port_info(pma->data);
		break;
	case IB_PMA_PORT_COUNTERS:
		st = vhca_sim_pma_port_counters(sdev, port_num, pma->data);
		break;
	case IB_PMA_PORT_COUNTERS_EXT:
		st = vhca_sim_pma_port_counters_ext(sdev, port_num,
						    pma->data);
		break;
	default:
		known = false;
		st = VHCA_SIM_MAD_ST_BAD_ATTR;
		break;
	}
	/* counters are not cleared through the PMA: Get only */
	if (known && pma->mad_hdr.method != IB_MGMT_METHOD_GET)
		st = VHCA_SIM_MAD_ST_BAD_ATTR;
	return st;
}

/* answer the request in @mad in place; returns the MAD status */
static u16 vhca_sim_mad_answer(struct vhca_sim_dev *sdev, u8 port_num,
			       u8 *mad)
{
	struct ib_mad_hdr *hdr = (struct ib_mad_hdr *)mad;
	bool smp = hdr->mgmt_class == IB_MGMT_CLASS_SUBN_LID_ROUTED ||
		   hdr->mgmt_class == IB_MGMT_CLASS_SUBN_DIRECTED_ROUTE;
	bool pma = hdr->mgmt_class == IB_MGMT_CLASS_PERF_MGMT;

	if (hdr->base_version != IB_MGMT_BASE_VERSION || (!smp && !pma) ||
	    hdr->class_version != VHCA_SIM_MAD_CLASS_VERSION)
		return VHCA_SIM_MAD_ST_BAD_VERSION;
	if (hdr->method != IB_MGMT_METHOD_GET &&
	    hdr->method != IB_MGMT_METHOD_SET)
		return VHCA_SIM_MAD_ST_BAD_METHOD;
	if (smp)
		return vhca_sim_sma(sdev, port_num, (struct ib_smp *)mad);
	return vhca_sim_pma(sdev, port_num, (struct ib_pma_mad *)mad);
}

u8 vhca_sim_cmd_mad_ifc(struct vhca_sim_dev *sdev, const void *in,
			void *out, u32 *synd)
{
	const struct vhca_cmd_mad_ifc_in *i = in;
	struct vhca_cmd_mad_ifc_out *o = out;
	struct ib_mad_hdr *hdr = (struct ib_mad_hdr *)o->mad;
	u16 status;

	if (i->port < 1 || i->port > sdev->bdev.num_ports) {
		*synd = VHCA_SYND_PORT_BAD_NUM;
		return VHCA_CMD_STAT_BAD_PARAM;
	}
	/* a response is not something an agent answers */
	if (((const struct ib_mad_hdr *)i->mad)->method & IB_MGMT_METHOD_RESP) {
		*synd = VHCA_SYND_MAD_BAD;
		return VHCA_CMD_STAT_BAD_PARAM;
	}

	memcpy(o->mad, i->mad, VHCA_MAD_SIZE);
	status = vhca_sim_mad_answer(sdev, i->port, o->mad);
	hdr->method = IB_MGMT_METHOD_GET_RESP;
	hdr->status = cpu_to_be16(status);
	/* a directed-route response travels back: the D bit */
	if (hdr->mgmt_class == IB_MGMT_CLASS_SUBN_DIRECTED_ROUTE)
		hdr->status |= IB_SMP_DIRECTION;
	return VHCA_CMD_STAT_OK;
}
