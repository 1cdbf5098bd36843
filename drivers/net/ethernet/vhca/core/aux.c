// SPDX-License-Identifier: GPL-2.0
/*
 * Auxiliary devices: how the drivers built on vhca_core find a device.
 *
 * A loaded device has one auxiliary device, "vhca_core.rdma.<ID>", that
 * vhca_ib binds to. Load creates it last, once the EQs exist and the ports
 * are read; unload deletes it first, so the auxiliary driver's remove runs
 * while the device still works, and a devlink reload re-creates it (and
 * with it the ib_device) with the new settings.
 */

#include <linux/auxiliary_bus.h>
#include <linux/slab.h>
#include <linux/vhca/driver.h>

#include "vhca_core.h"

static void vhca_core_adev_release(struct device *dev)
{
	struct auxiliary_device *adev = to_auxiliary_dev(dev);

	kfree(to_vhca_core_adev(adev));
}

/**
 * vhca_core_adevs_add() - create the auxiliary devices of a loaded device
 * @cdev: the device, its ports read
 *
 * A bound auxiliary driver probes before this returns.
 *
 * Return: 0 or a negative errno, with nothing left behind.
 */
int vhca_core_adevs_add(struct vhca_core_dev *cdev)
{
	struct vhca_core_adev *cadev;
	struct auxiliary_device *adev;
	int err;

	cadev = kzalloc(sizeof(*cadev), GFP_KERNEL);
	if (!cadev)
		return -ENOMEM;
	cadev->cdev = cdev;
	adev = &cadev->adev;
	adev->name = VHCA_CORE_ADEV_RDMA;
	adev->id = cdev->bdev->id;
	adev->dev.parent = cdev->dev;
	adev->dev.release = vhca_core_adev_release;

	err = auxiliary_device_init(adev);
	if (err) {
		kfree(cadev);
		goto err_log;
	}
	/* from here on the release function frees @cadev */
	err = auxiliary_device_add(adev);
	if (err) {
		auxiliary_device_uninit(adev);
		goto err_log;
	}
	cdev->rdma_adev = cadev;
	return 0;

err_log:
	dev_err(cdev->dev, "cannot add auxiliary device %s: %d\n",
		VHCA_CORE_ADEV_RDMA, err);
	return err;
}

/**
 * vhca_core_adevs_del() - delete the auxiliary devices, if there are any
 * @cdev: the device, still loaded
 *
 * A bound auxiliary driver's remove has run when this returns.
 */
void vhca_core_adevs_del(struct vhca_core_dev *cdev)
{
	struct vhca_core_adev *cadev = cdev->rdma_adev;

	if (!cadev)
		return;
	cdev->rdma_adev = NULL;
	auxiliary_device_delete(&cadev->adev);
	auxiliary_device_uninit(&cadev->adev);
}
