// SPDX-License-Identifier: GPL-2.0
/*
 * vhca_core: the bus driver. Probe brings a device up through registers
 * and commands only:
 *
 *   check identity -> wait for INIT_STATUS -> command interface ->
 *   ENABLE_HCA -> QUERY_HCA_CAP -> QUERY_ADAPTER -> devlink params ->
 *   devlink ports -> load (INIT_HCA -> async EQ -> completion EQs ->
 *   read the ports -> auxiliary devices) -> devlink register
 *
 * and remove undoes it in reverse. "Load" is the part devlink reload
 * (driver_reinit) repeats with new driverinit values.
 */

#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/string.h>
#include <net/devlink.h>

#include "vhca_core.h"
#include "ipoib/ipoib.h"

/* VHCA_REG_FW_REV fields */
#define VHCA_FW_REV_MAJOR	GENMASK(31, 16)
#define VHCA_FW_REV_MINOR	GENMASK(15, 0)

/* debugfs: vhca_core/<bus device>/ (IPoIB uplinks' knobs) */
struct dentry *vhca_core_debugfs;

#define VHCA_INIT_POLL_US	1000
#define VHCA_INIT_TIMEOUT_US	(5 * USEC_PER_SEC)

static u32 vhca_core_read(struct vhca_core_dev *cdev, u32 reg)
{
	return cdev->bdev->ops->read32(cdev->bdev, reg);
}

static int vhca_core_check_device(struct vhca_core_dev *cdev)
{
	u32 id = vhca_core_read(cdev, VHCA_REG_DEVICE_ID);
	u32 rev = vhca_core_read(cdev, VHCA_REG_IFACE_REV);

	if (id != VHCA_DEVICE_ID) {
		dev_err(cdev->dev, "unknown device id 0x%08x (0x%08x expected)\n",
			id, VHCA_DEVICE_ID);
		return -ENODEV;
	}
	if (rev != VHCA_IFACE_REV) {
		dev_err(cdev->dev, "unsupported interface revision %u (%u expected)\n",
			rev, VHCA_IFACE_REV);
		return -ENODEV;
	}
	rev = vhca_core_read(cdev, VHCA_REG_FW_REV);
	snprintf(cdev->fw_rev, sizeof(cdev->fw_rev), "%lu.%lu.%u",
		 FIELD_GET(VHCA_FW_REV_MAJOR, rev),
		 FIELD_GET(VHCA_FW_REV_MINOR, rev),
		 vhca_core_read(cdev, VHCA_REG_FW_SUBMINOR));
	return 0;
}

static int vhca_core_wait_ready(struct vhca_core_dev *cdev)
{
	u32 status;
	int err;

	err = read_poll_timeout(vhca_core_read, status,
				!(status & VHCA_INIT_STATUS_BUSY),
				VHCA_INIT_POLL_US, VHCA_INIT_TIMEOUT_US, false,
				cdev, VHCA_REG_INIT_STATUS);
	if (err)
		dev_err(cdev->dev, "device still initializing after %lu ms (status 0x%08x)\n",
			VHCA_INIT_TIMEOUT_US / USEC_PER_MSEC, status);
	return err;
}

/* ENABLE_HCA. A device still enabled (a previous instance gave up on a
 * timed-out command the device executed later) is reset to disabled
 * first, so a new bind always starts from the same state.
 */
static int vhca_core_enable_hca(struct vhca_core_dev *cdev)
{
	struct vhca_cmd_simple_out out = {};
	struct vhca_cmd_simple_in in = {};
	int err;

	in.hdr.opcode = cpu_to_be16(VHCA_CMD_OP_ENABLE_HCA);
	err = vhca_cmd_exec(cdev, &in, sizeof(in), &out, sizeof(out));
	if (!err || out.hdr.status != VHCA_CMD_STAT_BAD_SYS_STATE ||
	    be32_to_cpu(out.hdr.syndrome) != VHCA_SYND_ALREADY)
		return err;

	dev_warn(cdev->dev, "HCA left enabled, resetting it\n");
	/* fails harmlessly if the HCA is enabled but not initialized */
	vhca_cmd_simple(cdev, VHCA_CMD_OP_TEARDOWN_HCA,
			VHCA_TEARDOWN_HCA_FORCE);
	err = vhca_cmd_simple(cdev, VHCA_CMD_OP_DISABLE_HCA, 0);
	if (err)
		return err;
	return vhca_cmd_simple(cdev, VHCA_CMD_OP_ENABLE_HCA, 0);
}

/* DISABLE_HCA, tearing down first if the device still is initialized (a
 * TEARDOWN_HCA that timed out). Returns true once the device is disabled,
 * i.e. has no EQ left.
 */
static bool vhca_core_disable_hca(struct vhca_core_dev *cdev)
{
	struct vhca_cmd_simple_out out = {};
	struct vhca_cmd_simple_in in = {};
	int err;

	in.hdr.opcode = cpu_to_be16(VHCA_CMD_OP_DISABLE_HCA);
	err = vhca_cmd_exec(cdev, &in, sizeof(in), &out, sizeof(out));
	if (err && out.hdr.status == VHCA_CMD_STAT_BAD_SYS_STATE &&
	    be32_to_cpu(out.hdr.syndrome) == VHCA_SYND_RESOURCES_LEFT &&
	    !vhca_cmd_simple(cdev, VHCA_CMD_OP_TEARDOWN_HCA,
			     VHCA_TEARDOWN_HCA_FORCE))
		err = vhca_cmd_simple(cdev, VHCA_CMD_OP_DISABLE_HCA, 0);
	return !err;
}

static int vhca_core_query_caps(struct vhca_core_dev *cdev)
{
	struct vhca_cmd_query_hca_cap_out out = {};
	struct vhca_cmd_simple_in in = {};
	const struct vhca_hca_cap *cap = &out.cap;
	int err;

	in.hdr.opcode = cpu_to_be16(VHCA_CMD_OP_QUERY_HCA_CAP);
	err = vhca_cmd_exec(cdev, &in, sizeof(in), &out, sizeof(out));
	if (err)
		return err;

	if (cap->log_min_eq_sz > cap->log_max_eq_sz ||
	    cap->log_max_eq_sz > 24 || !cap->num_vectors) {
		dev_err(cdev->dev, "bad capabilities: EQ sizes 2^%u..2^%u, %u vectors\n",
			cap->log_min_eq_sz, cap->log_max_eq_sz,
			cap->num_vectors);
		return -EINVAL;
	}
	cdev->cap = *cap;
	return 0;
}

static int vhca_core_query_adapter(struct vhca_core_dev *cdev)
{
	struct vhca_cmd_query_adapter_out out = {};
	struct vhca_cmd_simple_in in = {};
	int err;

	in.hdr.opcode = cpu_to_be16(VHCA_CMD_OP_QUERY_ADAPTER);
	err = vhca_cmd_exec(cdev, &in, sizeof(in), &out, sizeof(out));
	if (err)
		return err;

	cdev->adapter = out.info;
	/* NUL-padded, not necessarily NUL-terminated */
	memcpy(cdev->serial, out.info.serial, sizeof(out.info.serial));
	cdev->serial[sizeof(out.info.serial)] = '\0';
	memcpy(cdev->psid, out.info.psid, sizeof(out.info.psid));
	cdev->psid[sizeof(out.info.psid)] = '\0';
	return 0;
}

static void vhca_core_teardown_hca(struct vhca_core_dev *cdev)
{
	int err;

	err = vhca_cmd_simple(cdev, VHCA_CMD_OP_TEARDOWN_HCA,
			      VHCA_TEARDOWN_HCA_GRACEFUL);
	if (err) {
		dev_warn(cdev->dev, "graceful teardown failed (%d), forcing\n",
			 err);
		err = vhca_cmd_simple(cdev, VHCA_CMD_OP_TEARDOWN_HCA,
				      VHCA_TEARDOWN_HCA_FORCE);
	}
	/* the device destroyed what it had left; orphaned rings are free */
	if (!err)
		vhca_eq_orphans_free(cdev, true);
}

/* INIT_HCA. A device still initialized (a TEARDOWN_HCA that timed out
 * and was executed later) is torn down first, forcibly: the driver has no
 * EQ it could know of.
 */
static int vhca_core_init_hca(struct vhca_core_dev *cdev)
{
	struct vhca_cmd_simple_out out = {};
	struct vhca_cmd_simple_in in = {};
	int err;

	in.hdr.opcode = cpu_to_be16(VHCA_CMD_OP_INIT_HCA);
	err = vhca_cmd_exec(cdev, &in, sizeof(in), &out, sizeof(out));
	if (!err || out.hdr.status != VHCA_CMD_STAT_BAD_SYS_STATE ||
	    be32_to_cpu(out.hdr.syndrome) != VHCA_SYND_ALREADY)
		return err;

	dev_warn(cdev->dev, "HCA left initialized, tearing it down\n");
	err = vhca_cmd_simple(cdev, VHCA_CMD_OP_TEARDOWN_HCA,
			      VHCA_TEARDOWN_HCA_FORCE);
	if (err)
		return err;
	vhca_eq_orphans_free(cdev, true);
	return vhca_cmd_simple(cdev, VHCA_CMD_OP_INIT_HCA, 0);
}

/**
 * vhca_core_load() - initialize the HCA and create its EQs
 * @cdev: an enabled device with capabilities read
 * @extack: where to say what failed (NULL in probe)
 *
 * Uses the devlink driverinit values of event_eq_size and io_eq_size.
 *
 * Return: 0, or a negative errno with nothing left behind.
 */
int vhca_core_load(struct vhca_core_dev *cdev, struct netlink_ext_ack *extack)
{
	int err;

	err = vhca_devlink_eq_sizes_get(cdev, &cdev->event_eq_size,
					&cdev->io_eq_size);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "Failed to read the EQ size params");
		return err;
	}

	err = vhca_core_init_hca(cdev);
	if (err) {
		dev_err(cdev->dev, "INIT_HCA failed: %d\n", err);
		NL_SET_ERR_MSG_MOD(extack, "INIT_HCA failed");
		return err;
	}

	err = vhca_eqs_create(cdev, extack);
	if (err)
		goto err_teardown;

	err = vhca_ports_load(cdev);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "Failed to read the ports");
		goto err_eqs_destroy;
	}

	err = vhca_ipoib_uplinks_create(cdev);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "Failed to create the IPoIB uplinks");
		goto err_ports_unload;
	}

	err = vhca_core_adevs_add(cdev);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "Failed to add the auxiliary devices");
		goto err_uplinks_destroy;
	}

	cdev->loaded = true;
	return 0;

err_uplinks_destroy:
	vhca_ipoib_uplinks_destroy(cdev);
err_ports_unload:
	vhca_ports_unload(cdev);
err_eqs_destroy:
	vhca_eqs_destroy(cdev);
err_teardown:
	vhca_core_teardown_hca(cdev);
	return err;
}

/**
 * vhca_core_unload() - undo vhca_core_load(), if it is loaded
 * @cdev: the device
 */
void vhca_core_unload(struct vhca_core_dev *cdev)
{
	if (!cdev->loaded)
		return;
	cdev->loaded = false;
	vhca_core_adevs_del(cdev);
	vhca_ipoib_uplinks_destroy(cdev);
	vhca_ports_unload(cdev);
	vhca_eqs_destroy(cdev);
	vhca_core_teardown_hca(cdev);
}

static int vhca_core_probe(struct vhca_bus_device *bdev)
{
	struct vhca_core_dev *cdev;
	bool disabled = false;
	int err;

	cdev = vhca_devlink_alloc(&bdev->dev);
	if (!cdev)
		return -ENOMEM;
	cdev->bdev = bdev;
	cdev->dev = &bdev->dev;
	cdev->tx_meta_storage = VHCA_TX_META_METADATA;
	vhca_eq_table_init(cdev);
	dev_set_drvdata(&bdev->dev, cdev);

	err = vhca_core_check_device(cdev);
	if (err)
		goto err_free;
	/* A streaming mapping that bounces (swiotlb=force, or memory out of
	 * the device's reach) must fit one bounce buffer: cap scatterlist
	 * segments there, or ib_umem_get() fails on any large user MR.
	 */
	dma_set_max_seg_size(cdev->dev, min_t(size_t, UINT_MAX,
					      dma_max_mapping_size(cdev->dev)));
	err = vhca_core_wait_ready(cdev);
	if (err)
		goto err_free;

	err = vhca_cmd_init(cdev);
	if (err) {
		dev_err(cdev->dev, "command interface init failed: %d\n", err);
		goto err_free;
	}

	err = vhca_core_enable_hca(cdev);
	if (err) {
		dev_err(cdev->dev, "ENABLE_HCA failed: %d\n", err);
		goto err_cmd_cleanup;
	}

	err = vhca_core_query_caps(cdev);
	if (err) {
		dev_err(cdev->dev, "QUERY_HCA_CAP failed: %d\n", err);
		goto err_disable_hca;
	}

	err = vhca_core_query_adapter(cdev);
	if (err) {
		dev_err(cdev->dev, "QUERY_ADAPTER failed: %d\n", err);
		goto err_disable_hca;
	}

	err = vhca_devlink_params_register(cdev);
	if (err) {
		dev_err(cdev->dev, "devlink params register failed: %d\n", err);
		goto err_disable_hca;
	}

	err = vhca_ports_register(cdev);
	if (err)
		goto err_params_unregister;

	err = vhca_core_load(cdev, NULL);
	if (err)
		goto err_ports_unregister;

	vhca_devlink_register(cdev);
	dev_info(cdev->dev, "fw %s, serial %s, %u completion EQs\n",
		 cdev->fw_rev, cdev->serial, cdev->eq_table.num_comp);
	return 0;

err_ports_unregister:
	vhca_ipoib_health_flush(cdev);
	vhca_ports_unregister(cdev);
err_params_unregister:
	vhca_devlink_params_unregister(cdev);
err_disable_hca:
	disabled = vhca_core_disable_hca(cdev);
err_cmd_cleanup:
	vhca_cmd_cleanup(cdev);
	vhca_eq_orphans_free(cdev, disabled);
err_free:
	dev_set_drvdata(&bdev->dev, NULL);
	vhca_devlink_free(cdev);
	return err;
}

static void vhca_core_remove(struct vhca_bus_device *bdev)
{
	struct vhca_core_dev *cdev = dev_get_drvdata(&bdev->dev);
	bool disabled;

	/* no devlink reload can run after this */
	vhca_devlink_unregister(cdev);
	vhca_core_unload(cdev);
	/* health.c's devlink port work of the gone IPoIB netdevs */
	vhca_ipoib_health_flush(cdev);
	vhca_ports_unregister(cdev);
	vhca_devlink_params_unregister(cdev);
	disabled = vhca_core_disable_hca(cdev);
	vhca_cmd_cleanup(cdev);
	/* a disabled device with its command queue gone does no DMA */
	vhca_eq_orphans_free(cdev, disabled);
	dev_set_drvdata(&bdev->dev, NULL);
	vhca_devlink_free(cdev);
}

static struct vhca_driver vhca_core_driver = {
	.probe = vhca_core_probe,
	.remove = vhca_core_remove,
	.driver = {
		.name = VHCA_CORE_DRV_NAME,
	},
};

static int __init vhca_core_init(void)
{
	int err;

	vhca_core_debugfs = debugfs_create_dir(VHCA_CORE_DRV_NAME, NULL);
	err = vhca_driver_register(&vhca_core_driver);
	if (err)
		debugfs_remove(vhca_core_debugfs);
	return err;
}

static void __exit vhca_core_exit(void)
{
	vhca_driver_unregister(&vhca_core_driver);
	debugfs_remove(vhca_core_debugfs);
}

module_init(vhca_core_init);
module_exit(vhca_core_exit);

MODULE_DESCRIPTION("vhca core driver: command interface, EQs, devlink");
MODULE_LICENSE("GPL");
