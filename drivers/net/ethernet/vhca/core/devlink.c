// SPDX-License-Identifier: GPL-2.0
/*
 * devlink: the instance (its priv is the struct vhca_core_dev), dev info,
 * params and reload (driver_reinit).
 *
 * Every devlink op runs with the instance lock held, which serializes
 * reload with param set and info. Probe registers params before the
 * instance and the instance last; remove unregisters the instance first,
 * which waits for running ops, so no op sees a half-built device.
 */

#include <linux/log2.h>
#include <linux/string.h>
#include <net/devlink.h>

#include "vhca_core.h"

#define VHCA_DEFAULT_EVENT_EQ_SIZE	256
#define VHCA_DEFAULT_IO_EQ_SIZE		1024

enum vhca_devlink_param_id {
	VHCA_DEVLINK_PARAM_ID_BASE = DEVLINK_PARAM_GENERIC_ID_MAX,
	VHCA_DEVLINK_PARAM_ID_TX_META_STORAGE,
};

static const char * const vhca_tx_meta_storage_names[] = {
	[VHCA_TX_META_CB] = "cb",
	[VHCA_TX_META_HEADER] = "header",
	[VHCA_TX_META_METADATA] = "metadata",
};

static int vhca_devlink_info_get(struct devlink *devlink,
				 struct devlink_info_req *req,
				 struct netlink_ext_ack *extack)
{
	struct vhca_core_dev *cdev = devlink_priv(devlink);
	int err;

	err = devlink_info_driver_name_put(req, VHCA_CORE_DRV_NAME);
	if (err)
		return err;
	err = devlink_info_serial_number_put(req, cdev->serial);
	if (err)
		return err;
	err = devlink_info_version_fixed_put(req,
					     DEVLINK_INFO_VERSION_GENERIC_BOARD_ID,
					     cdev->psid);
	if (err)
		return err;
	return devlink_info_version_running_put(req, "fw.version",
						cdev->fw_rev);
}

static int vhca_devlink_reload_down(struct devlink *devlink, bool netns_change,
				    enum devlink_reload_action action,
				    enum devlink_reload_limit limit,
				    struct netlink_ext_ack *extack)
{
	struct vhca_core_dev *cdev = devlink_priv(devlink);

	/* after a failed reload_up there is nothing to unload */
	vhca_core_unload(cdev);
	return 0;
}

static int vhca_devlink_reload_up(struct devlink *devlink,
				  enum devlink_reload_action action,
				  enum devlink_reload_limit limit,
				  u32 *actions_performed,
				  struct netlink_ext_ack *extack)
{
	struct vhca_core_dev *cdev = devlink_priv(devlink);
	int err;

	*actions_performed = BIT(DEVLINK_RELOAD_ACTION_DRIVER_REINIT);
	/* vhca_core_load() says what failed in extack */
	err = vhca_core_load(cdev, extack);
	if (err)
		dev_err(cdev->dev, "reload failed (%d), device unloaded until the next reload\n",
			err);
	return err;
}

/**
 * vhca_tx_meta_storage_parse() - the mode a tx_meta_storage value names
 * @name: "cb", "header" or "metadata", exactly
 *
 * Return: the enum vhca_tx_meta_storage, or -EINVAL.
 */
int vhca_tx_meta_storage_parse(const char *name)
{
	return match_string(vhca_tx_meta_storage_names,
			    ARRAY_SIZE(vhca_tx_meta_storage_names), name);
}
EXPORT_SYMBOL_IF_VHCA_CORE_TEST(vhca_tx_meta_storage_parse);

/**
 * vhca_tx_meta_storage_name() - the tx_meta_storage value of a mode
 * @mode: enum vhca_tx_meta_storage
 *
 * Return: its name, "unknown" if @mode is out of range.
 */
const char *vhca_tx_meta_storage_name(unsigned int mode)
{
	if (mode >= ARRAY_SIZE(vhca_tx_meta_storage_names))
		return "unknown";
	return vhca_tx_meta_storage_names[mode];
}
EXPORT_SYMBOL_IF_VHCA_CORE_TEST(vhca_tx_meta_storage_name);

/**
 * vhca_devlink_eq_size_check() - is an EQ size one the device accepts?
 * @size: EQEs
 * @log_min: the device's log_min_eq_sz
 * @log_max: the device's log_max_eq_sz
 *
 * Return: 0; -ERANGE outside 2^@log_min..2^@log_max; -EINVAL if in range
 * but not a power of two (the ring is indexed by bit masks).
 */
int vhca_devlink_eq_size_check(u32 size, u8 log_min, u8 log_max)
{
	u64 min = BIT_ULL(min_t(u8, log_min, 32));
	u64 max = BIT_ULL(min_t(u8, log_max, 32));

	if (size < min || size > max)
		return -ERANGE;
	if (!is_power_of_2(size))
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_VHCA_CORE_TEST(vhca_devlink_eq_size_check);

static const struct devlink_ops vhca_devlink_ops = {
	.reload_actions = BIT(DEVLINK_RELOAD_ACTION_DRIVER_REINIT),
	.reload_down = vhca_devlink_reload_down,
	.reload_up = vhca_devlink_reload_up,
	.info_get = vhca_devlink_info_get,
};

static int vhca_devlink_eq_size_validate(struct devlink *devlink, u32 id,
					 union devlink_param_value val,
					 struct netlink_ext_ack *extack)
{
	struct vhca_core_dev *cdev = devlink_priv(devlink);
	int err;

	err = vhca_devlink_eq_size_check(val.vu32, cdev->cap.log_min_eq_sz,
					 cdev->cap.log_max_eq_sz);
	if (err == -ERANGE)
		NL_SET_ERR_MSG_MOD(extack,
				   "EQ size out of the device's range (QUERY_HCA_CAP log_min_eq_sz..log_max_eq_sz)");
	else if (err)
		NL_SET_ERR_MSG_MOD(extack, "EQ size must be a power of two");
	return err;
}

static int vhca_devlink_tx_meta_storage_get(struct devlink *devlink, u32 id,
					    struct devlink_param_gset_ctx *ctx)
{
	struct vhca_core_dev *cdev = devlink_priv(devlink);
	enum vhca_tx_meta_storage mode = READ_ONCE(cdev->tx_meta_storage);

	strscpy(ctx->val.vstr, vhca_tx_meta_storage_name(mode),
		sizeof(ctx->val.vstr));
	return 0;
}

static int vhca_devlink_tx_meta_storage_set(struct devlink *devlink, u32 id,
					    struct devlink_param_gset_ctx *ctx)
{
	struct vhca_core_dev *cdev = devlink_priv(devlink);
	int mode;

	mode = vhca_tx_meta_storage_parse(ctx->val.vstr);
	if (mode < 0)
		return mode;	/* validate refused it already */
	WRITE_ONCE(cdev->tx_meta_storage, mode);
	return 0;
}

static int
vhca_devlink_tx_meta_storage_validate(struct devlink *devlink, u32 id,
				      union devlink_param_value val,
				      struct netlink_ext_ack *extack)
{
	if (vhca_tx_meta_storage_parse(val.vstr) < 0) {
		NL_SET_ERR_MSG_MOD(extack,
				   "tx_meta_storage must be one of cb, header, metadata");
		return -EINVAL;
	}
	return 0;
}

static const struct devlink_param vhca_devlink_params[] = {
	DEVLINK_PARAM_GENERIC(EVENT_EQ_SIZE,
			      BIT(DEVLINK_PARAM_CMODE_DRIVERINIT),
			      NULL, NULL, vhca_devlink_eq_size_validate),
	DEVLINK_PARAM_GENERIC(IO_EQ_SIZE,
			      BIT(DEVLINK_PARAM_CMODE_DRIVERINIT),
			      NULL, NULL, vhca_devlink_eq_size_validate),
	DEVLINK_PARAM_DRIVER(VHCA_DEVLINK_PARAM_ID_TX_META_STORAGE,
			     "tx_meta_storage", DEVLINK_PARAM_TYPE_STRING,
			     BIT(DEVLINK_PARAM_CMODE_RUNTIME),
			     vhca_devlink_tx_meta_storage_get,
			     vhca_devlink_tx_meta_storage_set,
			     vhca_devlink_tx_meta_storage_validate),
};

/* A default the device accepts: clamped into its EQ size range. */
static u32 vhca_devlink_eq_size_default(struct vhca_core_dev *cdev, u32 size)
{
	return clamp_t(u32, size, 1U << cdev->cap.log_min_eq_sz,
		       1U << cdev->cap.log_max_eq_sz);
}

/**
 * vhca_devlink_params_register() - register the params, set defaults
 * @cdev: the device, with its capabilities read
 *
 * Return: 0 or a negative errno.
 */
int vhca_devlink_params_register(struct vhca_core_dev *cdev)
{
	union devlink_param_value val;
	int err;

	err = devlink_params_register(cdev->devlink, vhca_devlink_params,
				      ARRAY_SIZE(vhca_devlink_params));
	if (err)
		return err;

	val.vu32 = vhca_devlink_eq_size_default(cdev,
						VHCA_DEFAULT_EVENT_EQ_SIZE);
	devlink_param_driverinit_value_set(cdev->devlink,
					   DEVLINK_PARAM_GENERIC_ID_EVENT_EQ_SIZE,
					   val);
	val.vu32 = vhca_devlink_eq_size_default(cdev, VHCA_DEFAULT_IO_EQ_SIZE);
	devlink_param_driverinit_value_set(cdev->devlink,
					   DEVLINK_PARAM_GENERIC_ID_IO_EQ_SIZE,
					   val);
	return 0;
}

void vhca_devlink_params_unregister(struct vhca_core_dev *cdev)
{
	devlink_params_unregister(cdev->devlink, vhca_devlink_params,
				  ARRAY_SIZE(vhca_devlink_params));
}

/* The driverinit values load uses: what the user set, else the defaults. */
int vhca_devlink_eq_sizes_get(struct vhca_core_dev *cdev, u32 *event_eq_size,
			      u32 *io_eq_size)
{
	union devlink_param_value val;
	int err;

	err = devlink_param_driverinit_value_get(cdev->devlink,
						 DEVLINK_PARAM_GENERIC_ID_EVENT_EQ_SIZE,
						 &val);
	if (err)
		return err;
	*event_eq_size = val.vu32;
	err = devlink_param_driverinit_value_get(cdev->devlink,
						 DEVLINK_PARAM_GENERIC_ID_IO_EQ_SIZE,
						 &val);
	if (err)
		return err;
	*io_eq_size = val.vu32;
	return 0;
}

struct vhca_core_dev *vhca_devlink_alloc(struct device *dev)
{
	struct vhca_core_dev *cdev;
	struct devlink *devlink;

	devlink = devlink_alloc(&vhca_devlink_ops, sizeof(*cdev), dev);
	if (!devlink)
		return NULL;
	cdev = devlink_priv(devlink);
	cdev->devlink = devlink;
	return cdev;
}

void vhca_devlink_free(struct vhca_core_dev *cdev)
{
	devlink_free(cdev->devlink);
}

/* Last step of probe: from here on userspace can reach the device. */
void vhca_devlink_register(struct vhca_core_dev *cdev)
{
	devlink_set_features(cdev->devlink, DEVLINK_F_RELOAD);
	devlink_register(cdev->devlink);
}

/* First step of remove: waits for running devlink ops (reload). */
void vhca_devlink_unregister(struct vhca_core_dev *cdev)
{
	devlink_unregister(cdev->devlink);
}
