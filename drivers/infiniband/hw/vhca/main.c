// SPDX-License-Identifier: GPL-2.0
/*
 * vhca_ib: the RDMA driver of vhca HCAs.
 *
 * An auxiliary driver on vhca_core's "vhca_core.rdma.<ID>" device: probe
 * allocates the kernel UAR, takes the completion events of the core's
 * completion EQs, registers an ib_device "vhca_%d" with the bus device as
 * its DMA device, names it in the ports' devlink ports and subscribes to
 * the core's port and object events; remove undoes that in reverse.
 * vhca_core deletes the auxiliary device before it unloads (devlink
 * reload, unbind), so the ib_device never outlives a working device.
 *
 * The device is a kernel verbs provider (ib_mad, ib_cm, ib_ipoib use it):
 * PDs, DMA MRs, AHs (pd.c), CQs (cq.c), RC/UC/UD/GSI/SMI QPs (qp.c,
 * wr.c), SRQs (srq.c), multicast attach and process_mad (mad.c). It is a
 * user verbs device too (uverbs.c): processes get contexts, user MRs and
 * CQs, QPs and SRQs whose rings they map and drive themselves, with the
 * doorbell as a driver-specific uverbs method (include/uapi/rdma/
 * vhca-abi.h; the rdma-core provider is tools/lib/vhca).
 */

#include <linux/auxiliary_bus.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/string.h>
#include <rdma/ib_verbs.h>

#include "vhca_ib.h"

/* ib_device_attr.vendor_part_id: the low half of the device ID */
#define VHCA_IB_PART_ID		(VHCA_DEVICE_ID & 0xffff)

/* debugfs: vhca_ib/<bus device>/, see port.c */
static struct dentry *vhca_ib_ddir;

static bool ipoib_enhanced = true;
module_param(ipoib_enhanced, bool, 0444);
MODULE_PARM_DESC(ipoib_enhanced,
		 "offer ib_ipoib vhca_core's rdma_netdev (enhanced IPoIB); 0: ib_ipoib uses its verbs datapath (default 1)");

/* the data-path limits and capabilities, all from QUERY_HCA_CAP */
static void vhca_ib_device_caps(struct vhca_core_dev *cdev,
				struct ib_device_attr *props)
{
	const struct vhca_hca_cap *cap = &cdev->cap;
	u32 flags = be32_to_cpu(cap->flags);

	props->max_mr_size = U64_MAX;
	/* MTT page sizes of a registered region */
	props->page_size_cap = GENMASK(30, 12);
	props->max_qp = BIT(cap->log_max_qp);
	props->max_qp_wr = BIT(cap->log_max_qp_sz);
	props->max_send_sge = cap->max_sq_sge;
	props->max_recv_sge = cap->max_rq_sge;
	props->max_sge_rd = cap->max_sq_sge;
	props->max_cq = BIT(cap->log_max_cq);
	props->max_cqe = BIT(cap->log_max_cq_sz) - 1;
	props->max_mr = BIT(cap->log_max_mkey);
	props->max_pd = BIT(cap->log_max_pd);
	props->max_ah = INT_MAX;	/* AHs live in the driver only */
	props->local_ca_ack_delay = cap->local_ca_ack_delay;
	props->atomic_cap = IB_ATOMIC_NONE;
	if (flags & VHCA_CAP_FLAG_RDMA_READ) {
		props->max_qp_rd_atom = cap->max_rd_atomic;
		props->max_qp_init_rd_atom = cap->max_rd_atomic;
		props->max_res_rd_atom = cap->max_rd_atomic * props->max_qp;
	}
	if (flags & VHCA_CAP_FLAG_SRQ) {
		props->max_srq = BIT(cap->log_max_srq);
		props->max_srq_wr = BIT(cap->log_max_srq_sz);
		props->max_srq_sge = cap->max_rq_sge;
	}
	if (flags & VHCA_CAP_FLAG_MCAST) {
		props->max_mcast_grp = BIT(cap->log_max_mcg);
		props->max_mcast_qp_attach = cap->max_qp_per_mcg;
		props->max_total_mcast_qp_attach = props->max_mcast_grp *
						   cap->max_qp_per_mcg;
	}
	/* no UD checksum or LSO: the model does neither */
	props->device_cap_flags = IB_DEVICE_SYS_IMAGE_GUID |
				  IB_DEVICE_BAD_PKEY_CNTR |
				  IB_DEVICE_BAD_QKEY_CNTR |
				  IB_DEVICE_PORT_ACTIVE_EVENT;
	if (flags & VHCA_CAP_FLAG_RC)
		props->device_cap_flags |= IB_DEVICE_RC_RNR_NAK_GEN;
	props->kernel_cap_flags = IBK_LOCAL_DMA_LKEY |
				  IBK_BLOCK_MULTICAST_LOOPBACK;
}

static int vhca_ib_query_device(struct ib_device *ibdev,
				struct ib_device_attr *props,
				struct ib_udata *udata)
{
	struct vhca_core_dev *cdev = to_vhca_ib_dev(ibdev)->cdev;
	unsigned int major, minor, sub;

	if (udata && (udata->inlen || udata->outlen))
		return -EINVAL;

	memset(props, 0, sizeof(*props));
	vhca_ib_device_caps(cdev, props);
	if (sscanf(cdev->fw_rev, "%u.%u.%u", &major, &minor, &sub) == 3)
		props->fw_ver = ((u64)major << 32) | ((minor & 0xffff) << 16) |
				(sub & 0xffff);
	props->sys_image_guid = cdev->cap.sys_image_guid;
	props->vendor_id = be16_to_cpu(cdev->adapter.vendor_id);
	props->vendor_part_id = VHCA_IB_PART_ID;
	props->hw_ver = be16_to_cpu(cdev->adapter.board_rev);
	props->max_pkeys = be16_to_cpu(cdev->cap.max_pkeys);
	return 0;
}

static void vhca_ib_get_dev_fw_str(struct ib_device *ibdev, char *str)
{
	strscpy(str, to_vhca_ib_dev(ibdev)->cdev->fw_rev,
		IB_FW_VERSION_NAME_MAX);
}

/* the board's identity, where ibstat and ibv_devinfo look for it */
static ssize_t hw_rev_show(struct device *device,
			   struct device_attribute *attr, char *buf)
{
	struct vhca_ib_dev *dev = rdma_device_to_drv_device(device,
							    struct vhca_ib_dev,
							    ibdev);

	return sysfs_emit(buf, "%u\n",
			  be16_to_cpu(dev->cdev->adapter.board_rev));
}
static DEVICE_ATTR_RO(hw_rev);

static ssize_t board_id_show(struct device *device,
			     struct device_attribute *attr, char *buf)
{
	struct vhca_ib_dev *dev = rdma_device_to_drv_device(device,
							    struct vhca_ib_dev,
							    ibdev);

	return sysfs_emit(buf, "%s\n", dev->cdev->psid);
}
static DEVICE_ATTR_RO(board_id);

static struct attribute *vhca_ib_attrs[] = {
	&dev_attr_hw_rev.attr,
	&dev_attr_board_id.attr,
	NULL,
};

static const struct attribute_group vhca_ib_attr_group = {
	.attrs = vhca_ib_attrs,
};

/*
 * Enhanced IPoIB: the netdev is vhca_core's (core/ipoib/), muxed through
 * the port's uplink; ib_ipoib only drives it. -EOPNOTSUPP makes ib_ipoib
 * fall back to its own datapath over this device's verbs.
 */
static int vhca_ib_rn_get_params(struct ib_device *ibdev, u32 port,
				 enum rdma_netdev_t type,
				 struct rdma_netdev_alloc_params *params)
{
	if (type != RDMA_NETDEV_IPOIB || !ipoib_enhanced)
		return -EOPNOTSUPP;
	return vhca_ipoib_rn_get_params(to_vhca_ib_dev(ibdev)->cdev, port,
					params);
}

static const struct ib_device_ops vhca_ib_dev_ops = {
	.owner = THIS_MODULE,
	/* a private ID (see vhca-abi.h), checked on every uverbs ioctl */
	.driver_id = (enum rdma_driver_id)VHCA_DRIVER_ID,
	.uverbs_abi_ver = VHCA_UVERBS_ABI_VERSION,

	.device_group = &vhca_ib_attr_group,
	.alloc_hw_device_stats = vhca_ib_alloc_hw_device_stats,
	.alloc_hw_port_stats = vhca_ib_alloc_hw_port_stats,
	.alloc_pd = vhca_ib_alloc_pd,
	.alloc_ucontext = vhca_ib_alloc_ucontext,
	.attach_mcast = vhca_ib_attach_mcast,
	.create_ah = vhca_ib_create_ah,
	.create_cq = vhca_ib_create_cq,
	.create_qp = vhca_ib_create_qp,
	.create_srq = vhca_ib_create_srq,
	.create_user_ah = vhca_ib_create_ah,
	.dealloc_pd = vhca_ib_dealloc_pd,
	.dealloc_ucontext = vhca_ib_dealloc_ucontext,
	.dereg_mr = vhca_ib_dereg_mr,
	.destroy_ah = vhca_ib_destroy_ah,
	.destroy_cq = vhca_ib_destroy_cq,
	.destroy_qp = vhca_ib_destroy_qp,
	.destroy_srq = vhca_ib_destroy_srq,
	.detach_mcast = vhca_ib_detach_mcast,
	.get_dev_fw_str = vhca_ib_get_dev_fw_str,
	.get_dma_mr = vhca_ib_get_dma_mr,
	.get_hw_stats = vhca_ib_get_hw_stats,
	.get_port_immutable = vhca_ib_get_port_immutable,
	.mmap = vhca_ib_mmap,
	.mmap_free = vhca_ib_mmap_free,
	.modify_port = vhca_ib_modify_port,
	.modify_qp = vhca_ib_modify_qp,
	.modify_srq = vhca_ib_modify_srq,
	.poll_cq = vhca_ib_poll_cq,
	.post_recv = vhca_ib_post_recv,
	.post_send = vhca_ib_post_send,
	.post_srq_recv = vhca_ib_post_srq_recv,
	.process_mad = vhca_ib_process_mad,
	.query_ah = vhca_ib_query_ah,
	.query_device = vhca_ib_query_device,
	.query_gid = vhca_ib_query_gid,
	.query_pkey = vhca_ib_query_pkey,
	.query_port = vhca_ib_query_port,
	.query_qp = vhca_ib_query_qp,
	.query_srq = vhca_ib_query_srq,
	.rdma_netdev_get_params = vhca_ib_rn_get_params,
	.reg_user_mr = vhca_ib_reg_user_mr,
	.req_notify_cq = vhca_ib_req_notify_cq,

	INIT_RDMA_OBJ_SIZE(ib_ah, vhca_ah, ibah),
	INIT_RDMA_OBJ_SIZE(ib_cq, vhca_ib_cq, ibcq),
	INIT_RDMA_OBJ_SIZE(ib_pd, vhca_ib_pd, ibpd),
	INIT_RDMA_OBJ_SIZE(ib_qp, vhca_ib_qp, ibqp),
	INIT_RDMA_OBJ_SIZE(ib_srq, vhca_ib_srq, ibsrq),
	INIT_RDMA_OBJ_SIZE(ib_ucontext, vhca_ib_ucontext, ibuc),
};

/* point the devlink ports of ports 1 .. @n at @ibdev (or at nothing) */
static void vhca_ib_set_devlink_ports(struct vhca_ib_dev *dev, unsigned int n,
				      struct ib_device *ibdev)
{
	unsigned int port;

	for (port = 1; port <= n; port++)
		vhca_core_port_set_ibdev(dev->cdev, port, ibdev);
}

/* the device's data-path resources, before the ib_device exists */
static int vhca_ib_hw_init(struct vhca_ib_dev *dev)
{
	struct vhca_core_dev *cdev = dev->cdev;
	int err;

	xa_init(&dev->cqs);
	xa_init(&dev->qps);
	xa_init(&dev->srqs);
	dev->dbr_pool = dma_pool_create("vhca_ib_dbr", cdev->dev,
					VHCA_DBR_SIZE, VHCA_DBR_SIZE, 0);
	if (!dev->dbr_pool)
		return -ENOMEM;
	err = vhca_ib_uar_alloc(dev);
	if (err)
		goto err_pool;
	err = vhca_ib_comp_init(dev);
	if (err)
		goto err_uar;
	return 0;

err_uar:
	vhca_ib_uar_free(dev);
err_pool:
	dma_pool_destroy(dev->dbr_pool);
	return err;
}

static void vhca_ib_hw_cleanup(struct vhca_ib_dev *dev)
{
	vhca_ib_comp_cleanup(dev);
	vhca_ib_uar_free(dev);
	dma_pool_destroy(dev->dbr_pool);
	xa_destroy(&dev->srqs);
	xa_destroy(&dev->qps);
	xa_destroy(&dev->cqs);
}

static int vhca_ib_probe(struct auxiliary_device *adev,
			 const struct auxiliary_device_id *id)
{
	struct vhca_core_dev *cdev = to_vhca_core_adev(adev)->cdev;
	struct vhca_ib_dev *dev;
	struct ib_device *ibdev;
	int err;

	dev = ib_alloc_device(vhca_ib_dev, ibdev);
	if (!dev)
		return -ENOMEM;
	dev->cdev = cdev;
	ibdev = &dev->ibdev;

	err = vhca_ib_hw_init(dev);
	if (err) {
		dev_err(&adev->dev, "cannot set up the data path: %d\n", err);
		goto err_dealloc;
	}

	ibdev->node_type = RDMA_NODE_IB_CA;
	ibdev->node_guid = cdev->cap.node_guid;
	ibdev->phys_port_cnt = vhca_core_num_ports(cdev);
	ibdev->num_comp_vectors = dev->num_comps;
	/* kernel PDs reach DMA addresses through the reserved lkey */
	ibdev->local_dma_lkey = be32_to_cpu(cdev->cap.reserved_lkey);
	/* as mlx5: device/ is the bus device, where tools look for it */
	ibdev->dev.parent = cdev->dev;
	snprintf(ibdev->node_desc, sizeof(ibdev->node_desc),
		 "vhca%u HCA", cdev->bdev->id);
	ib_set_device_ops(ibdev, &vhca_ib_dev_ops);
	ibdev->driver_def = vhca_ib_uapi_defs;
	/*
	 * Processes post, poll and arm through their mapped rings and the
	 * doorbell methods; of the data-path write commands only
	 * REQ_NOTIFY_CQ works on user objects (it reads the CQ's record).
	 * POST_SEND, POST_RECV, POLL_CQ and POST_SRQ_RECV stay off.
	 */
	ibdev->uverbs_cmd_mask |= BIT_ULL(IB_USER_VERBS_CMD_REQ_NOTIFY_CQ);

	err = ib_register_device(ibdev, "vhca_%d", &cdev->bdev->dev);
	if (err) {
		dev_err(&adev->dev, "cannot register the ib_device: %d\n", err);
		goto err_hw;
	}

	dev->ddir = debugfs_create_dir(dev_name(cdev->dev), vhca_ib_ddir);
	vhca_ib_port_debugfs_init(dev, dev->ddir);
	vhca_ib_counters_debugfs_init(dev, dev->ddir);
	dev->event_nb.notifier_call = vhca_ib_event;
	vhca_core_event_register(cdev, &dev->event_nb);
	vhca_ib_set_devlink_ports(dev, ibdev->phys_port_cnt, ibdev);
	auxiliary_set_drvdata(adev, dev);
	dev_info(&adev->dev, "registered %s, %u port(s)\n",
		 dev_name(&ibdev->dev), ibdev->phys_port_cnt);
	return 0;

err_hw:
	vhca_ib_hw_cleanup(dev);
err_dealloc:
	ib_dealloc_device(ibdev);
	return err;
}

static void vhca_ib_remove(struct auxiliary_device *adev)
{
	struct vhca_ib_dev *dev = auxiliary_get_drvdata(adev);

	vhca_ib_set_devlink_ports(dev, dev->ibdev.phys_port_cnt, NULL);
	/* waits for a running notifier call */
	vhca_core_event_unregister(dev->cdev, &dev->event_nb);
	debugfs_remove(dev->ddir);
	/* the ULPs destroy their objects first */
	ib_unregister_device(&dev->ibdev);
	vhca_ib_hw_cleanup(dev);
	ib_dealloc_device(&dev->ibdev);
}

static const struct auxiliary_device_id vhca_ib_id_table[] = {
	{ .name = "vhca_core." VHCA_CORE_ADEV_RDMA },
	{}
};
MODULE_DEVICE_TABLE(auxiliary, vhca_ib_id_table);

static struct auxiliary_driver vhca_ib_driver = {
	.name = VHCA_CORE_ADEV_RDMA,
	.probe = vhca_ib_probe,
	.remove = vhca_ib_remove,
	.id_table = vhca_ib_id_table,
};

static int __init vhca_ib_init(void)
{
	int err;

	vhca_ib_ddir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	err = auxiliary_driver_register(&vhca_ib_driver);
	if (err)
		debugfs_remove(vhca_ib_ddir);
	return err;
}

static void __exit vhca_ib_exit(void)
{
	auxiliary_driver_unregister(&vhca_ib_driver);
	debugfs_remove(vhca_ib_ddir);
}

module_init(vhca_ib_init);
module_exit(vhca_ib_exit);

MODULE_DESCRIPTION("vhca RDMA driver: InfiniBand verbs for kernel ULPs and processes");
MODULE_LICENSE("GPL");
