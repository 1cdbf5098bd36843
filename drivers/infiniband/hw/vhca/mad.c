// SPDX-License-Identifier: GPL-2.0
/*
 * process_mad: the port's own management agents live in the device
 * (MAD_IFC). ib_mad hands every MAD that reaches a port, and every SMP
 * for the local node, to process_mad first; subnet management (SMPs,
 * LID-routed or directed route) and performance management Get/Set
 * requests go to the device's SMA/PMA, which answers with a response MAD
 * carrying the IBA status. Everything else (SA, CM, replies) is passed on
 * to ib_mad's agents unchanged.
 */

#include <rdma/ib_mad.h>
#include <rdma/ib_smi.h>
#include <rdma/ib_verbs.h>

#include "vhca_ib.h"

static_assert(sizeof(struct ib_mad) == VHCA_MAD_SIZE);

/* a request the device's SMA or PMA answers */
static bool vhca_ib_mad_for_device(const struct ib_mad_hdr *hdr)
{
	switch (hdr->mgmt_class) {
	case IB_MGMT_CLASS_SUBN_LID_ROUTED:
	case IB_MGMT_CLASS_SUBN_DIRECTED_ROUTE:
	case IB_MGMT_CLASS_PERF_MGMT:
		return hdr->method == IB_MGMT_METHOD_GET ||
		       hdr->method == IB_MGMT_METHOD_SET;
	default:
		return false;
	}
}

int vhca_ib_process_mad(struct ib_device *ibdev, int mad_flags, u32 port,
			const struct ib_wc *in_wc, const struct ib_grh *in_grh,
			const struct ib_mad *in, struct ib_mad *out,
			size_t *out_mad_size, u16 *out_mad_pkey_index)
{
	struct vhca_ib_dev *dev = to_vhca_ib_dev(ibdev);
	struct vhca_cmd_mad_ifc_out *mout;
	struct vhca_cmd_mad_ifc_in *min;
	int ret;

	if (!vhca_ib_mad_for_device(&in->mad_hdr))
		return IB_MAD_RESULT_SUCCESS;
	if (!rdma_is_port_valid(ibdev, port) ||
	    *out_mad_size < sizeof(struct ib_mad))
		return IB_MAD_RESULT_FAILURE;

	/* 560 bytes together: not on the stack of ib_mad's worker */
	min = kzalloc(sizeof(*min), GFP_KERNEL);
	mout = kzalloc(sizeof(*mout), GFP_KERNEL);
	if (!min || !mout) {
		ret = IB_MAD_RESULT_FAILURE;
		goto out;
	}
	vhca_cmd_in_hdr_set(&min->hdr, VHCA_CMD_OP_MAD_IFC, 0);
	min->port = port;
	/* a local request (no WC, e.g. sysfs counters) is permissive */
	min->slid = in_wc ? cpu_to_be16(ib_lid_cpu16(in_wc->slid)) :
			    IB_LID_PERMISSIVE;
	memcpy(min->mad, in, sizeof(min->mad));
	if (vhca_cmd_exec(dev->cdev, min, sizeof(*min), mout, sizeof(*mout))) {
		ret = IB_MAD_RESULT_FAILURE;
		goto out;
	}
	memcpy(out, mout->mad, sizeof(*out));
	*out_mad_size = sizeof(*out);
	ret = IB_MAD_RESULT_SUCCESS | IB_MAD_RESULT_REPLY;
out:
	kfree(mout);
	kfree(min);
	return ret;
}
