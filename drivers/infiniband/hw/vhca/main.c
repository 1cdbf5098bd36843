// SPDX-License-Identifier: GPL-2.0
/*
 * vhca_ib: the RDMA driver of vhca HCAs.
 *
 * An auxiliary driver on vhca_core's "vhca_core.rdma.<ID>" device: probe
 * registers an ib_device "vhca_%d" with the bus device as its DMA device,
 * names it in the ports' devlink ports and subscribes to the core's port
 * events; remove undoes that in reverse. vhca_core deletes the auxiliary
 * device before it unloads (devlink reload, unbind), so the ib_device
 * never outlives a working device.
 *
 * This first slice offers the device and its ports: query_device,
 * query_port, query_pkey, query_gid, get_port_immutable and the port
 * events. With no PD, CQ or QP verbs yet ib_core registers the device
 * with kverbs_provider false, which keeps the kernel ULPs (ib_mad,
 * ib_ipoib) away from it.
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

static int vhca_ib_query_device(struct ib_device *ibdev,
				struct ib_device_attr *props,
				struct ib_udata *udata)
{
	struct vhca_core_dev *cdev = to_vhca_ib_dev(ibdev)->cdev;
	unsigned int major, minor, sub;

	if (udata && (udata->inlen || udata->outlen))
		return -EINVAL;

	memset(props, 0, sizeof(*props));
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

static const struct ib_device_ops vhca_ib_dev_ops = {
	.owner = THIS_MODULE,
	.driver_id = RDMA_DRIVER_UNKNOWN,
	.uverbs_abi_ver = 0,

	.device_group = &vhca_ib_attr_group,
	.get_dev_fw_str = vhca_ib_get_dev_fw_str,
	.get_port_immutable = vhca_ib_get_port_immutable,
	.query_device = vhca_ib_query_device,
	.query_gid = vhca_ib_query_gid,
	.query_pkey = vhca_ib_query_pkey,
	.query_port = vhca_ib_query_port,
};

/* point the devlink ports of ports 1 .. @n at @ibdev (or at nothing) */
static void vhca_ib_set_devlink_ports(struct vhca_ib_dev *dev, unsigned int n,
				      struct ib_device *ibdev)
{
	unsigned int port;

	for (port = 1; port <= n; port++)
		vhca_core_port_set_ibdev(dev->cdev, port, ibdev);
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

	ibdev->node_type = RDMA_NODE_IB_CA;
	ibdev->node_guid = cdev->cap.node_guid;
	ibdev->phys_port_cnt = vhca_core_num_ports(cdev);
	ibdev->num_comp_vectors = vhca_core_num_comp_eqs(cdev);
	/* as mlx5: device/ is the bus device, where tools look for it */
	ibdev->dev.parent = cdev->dev;
	snprintf(ibdev->node_desc, sizeof(ibdev->node_desc),
		 "vhca%u HCA", cdev->bdev->id);
	ib_set_device_ops(ibdev, &vhca_ib_dev_ops);

	err = ib_register_device(ibdev, "vhca_%d", &cdev->bdev->dev);
	if (err) {
		dev_err(&adev->dev, "cannot register the ib_device: %d\n", err);
		goto err_dealloc;
	}

	dev->ddir = debugfs_create_dir(dev_name(cdev->dev), vhca_ib_ddir);
	vhca_ib_debugfs_init(dev, dev->ddir);
	dev->event_nb.notifier_call = vhca_ib_event;
	vhca_core_event_register(cdev, &dev->event_nb);
	vhca_ib_set_devlink_ports(dev, ibdev->phys_port_cnt, ibdev);
	auxiliary_set_drvdata(adev, dev);
	dev_info(&adev->dev, "registered %s, %u port(s)\n",
		 dev_name(&ibdev->dev), ibdev->phys_port_cnt);
	return 0;

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
	ib_unregister_device(&dev->ibdev);
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

MODULE_DESCRIPTION("vhca RDMA driver: InfiniBand device and ports");
MODULE_LICENSE("GPL");
