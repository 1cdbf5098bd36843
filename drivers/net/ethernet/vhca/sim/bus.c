// SPDX-License-Identifier: GPL-2.0
/*
 * The vhca bus: devices come and go through /sys/bus/vhca/new_device and
 * del_device (synchronously, netdevsim-style), drivers bind through
 * struct vhca_driver. This file also owns the module and device lifetime.
 */

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vhca_sim.h"
#include "fabric/fabric.h"

#define VHCA_SIM_MAX_DEFAULT_DEVICES	64

static unsigned int num_devices = 2;
module_param(num_devices, uint, 0444);
MODULE_PARM_DESC(num_devices,
		 "Devices created at load, IDs 0..n-1 with one port each (default 2, max 64)");

/* All devices, by ID. vhca_sim_devs_lock protects the list and
 * vhca_sim_bus_enabled, which is true between the end of module init and
 * the start of module exit: new/del_device outside that window fail with
 * -EBUSY, so they never race with the default devices or the final sweep.
 */
static LIST_HEAD(vhca_sim_devs);
static DEFINE_MUTEX(vhca_sim_devs_lock);
static bool vhca_sim_bus_enabled;

static int vhca_sim_bus_match(struct device *dev, struct device_driver *drv)
{
	/* one kind of device: every vhca driver drives every vhca device */
	return 1;
}

static struct vhca_driver *to_vhca_driver(struct device_driver *drv)
{
	return container_of(drv, struct vhca_driver, driver);
}

static int vhca_sim_bus_probe(struct device *dev)
{
	struct vhca_driver *drv = to_vhca_driver(dev->driver);

	return drv->probe(to_vhca_bus_device(dev));
}

static void vhca_sim_bus_remove(struct device *dev)
{
	struct vhca_driver *drv = to_vhca_driver(dev->driver);

	if (drv->remove)
		drv->remove(to_vhca_bus_device(dev));
}

/* Parse up to @max unsigned decimal numbers separated by blanks, with an
 * optional trailing newline. Returns how many, or -EINVAL.
 */
static int vhca_sim_parse(const char *buf, size_t count, u32 *vals, int max)
{
	char tmp[64], *p = tmp, *tok;
	int n = 0;

	if (count >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, buf, count);
	tmp[count] = '\0';
	if (count && tmp[count - 1] == '\n')
		tmp[count - 1] = '\0';

	while ((tok = strsep(&p, " \t"))) {
		if (!*tok)
			continue;
		if (n == max || kstrtou32(tok, 10, &vals[n]))
			return -EINVAL;
		n++;
	}
	return n;
}

static struct vhca_sim_dev *vhca_sim_find(u32 id)
{
	struct vhca_sim_dev *sdev;

	lockdep_assert_held(&vhca_sim_devs_lock);
	list_for_each_entry(sdev, &vhca_sim_devs, list)
		if (sdev->bdev.id == id)
			return sdev;
	return NULL;
}

static void vhca_sim_dev_release(struct device *dev)
{
	kfree(to_vhca_sim_dev(to_vhca_bus_device(dev)));
}

static struct bus_type vhca_sim_bus;

/* create device @id and add it to the bus; vhca_sim_devs_lock held */
static int vhca_sim_dev_add(u32 id, u32 num_ports)
{
	struct vhca_sim_dev *sdev;
	struct device *dev;
	int err;

	sdev = kzalloc(sizeof(*sdev), GFP_KERNEL);
	if (!sdev)
		return -ENOMEM;
	sdev->bdev.id = id;
	sdev->bdev.num_ports = num_ports;
	vhca_sim_dev_init(sdev);
	err = vhca_sim_cmd_init(sdev);
	if (err)
		goto err_dev_uninit;
	vhca_sim_dev_debugfs_init(sdev);
	/* cabled before a driver can probe: it finds its ports connected */
	vhca_sim_ports_init(sdev);

	dev = &sdev->bdev.dev;
	device_initialize(dev);
	dev->bus = &vhca_sim_bus;
	dev->release = vhca_sim_dev_release;
	dev->dma_mask = &dev->coherent_dma_mask;
	dev->dma_parms = &sdev->dma_parms;
	err = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (err)
		goto err_put;
	/* no segment limit the model would enforce: the widest there is */
	dma_set_max_seg_size(dev, UINT_MAX);
	err = dev_set_name(dev, "vhca%u", id);
	if (err)
		goto err_put;
	/* probes a bound driver, if one is loaded */
	err = device_add(dev);
	if (err)
		goto err_put;
	list_add_tail(&sdev->list, &vhca_sim_devs);
	return 0;

err_put:
	vhca_sim_ports_uninit(sdev);
	vhca_sim_dev_debugfs_exit(sdev);
	vhca_sim_cmd_uninit(sdev);
	vhca_sim_dev_uninit(sdev);
	put_device(dev);	/* frees sdev */
	return err;

err_dev_uninit:
	vhca_sim_dev_uninit(sdev);
	kfree(sdev);
	return err;
}

/* unbind the driver, stop the model, free; vhca_sim_devs_lock held */
static void vhca_sim_dev_del(struct vhca_sim_dev *sdev)
{
	struct device *dev = &sdev->bdev.dev;

	list_del(&sdev->list);
	device_del(dev);	/* runs the driver's remove */
	/* no port event reaches the device once its ports are unplugged */
	vhca_sim_ports_uninit(sdev);
	vhca_sim_dev_debugfs_exit(sdev);
	vhca_sim_cmd_uninit(sdev);
	vhca_sim_dev_uninit(sdev);
	put_device(dev);
}

static ssize_t new_device_store(struct bus_type *bus, const char *buf,
				size_t count)
{
	u32 vals[2], ports = 1;
	int n, err;

	n = vhca_sim_parse(buf, count, vals, ARRAY_SIZE(vals));
	if (n < 1)
		return -EINVAL;
	if (n == 2)
		ports = vals[1];
	if (ports < 1 || ports > VHCA_MAX_PORTS)
		return -EINVAL;

	mutex_lock(&vhca_sim_devs_lock);
	if (!vhca_sim_bus_enabled)
		err = -EBUSY;
	else if (vhca_sim_find(vals[0]))
		err = -EEXIST;
	else
		err = vhca_sim_dev_add(vals[0], ports);
	mutex_unlock(&vhca_sim_devs_lock);
	return err ?: count;
}
static BUS_ATTR_WO(new_device);

static ssize_t del_device_store(struct bus_type *bus, const char *buf,
				size_t count)
{
	struct vhca_sim_dev *sdev;
	u32 id;
	int err = 0;

	if (vhca_sim_parse(buf, count, &id, 1) != 1)
		return -EINVAL;

	mutex_lock(&vhca_sim_devs_lock);
	sdev = vhca_sim_bus_enabled ? vhca_sim_find(id) : NULL;
	if (!vhca_sim_bus_enabled)
		err = -EBUSY;
	else if (!sdev)
		err = -ENOENT;
	else
		vhca_sim_dev_del(sdev);
	mutex_unlock(&vhca_sim_devs_lock);
	return err ?: count;
}
static BUS_ATTR_WO(del_device);

static struct attribute *vhca_sim_bus_attrs[] = {
	&bus_attr_new_device.attr,
	&bus_attr_del_device.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vhca_sim_bus);

static struct bus_type vhca_sim_bus = {
	.name = "vhca",
	.bus_groups = vhca_sim_bus_groups,
	.match = vhca_sim_bus_match,
	.probe = vhca_sim_bus_probe,
	.remove = vhca_sim_bus_remove,
};

/**
 * __vhca_driver_register - register a driver for vhca bus devices
 * @drv: the driver, with .probe, .remove and .driver.name set
 * @owner: its module (vhca_driver_register() passes THIS_MODULE)
 *
 * The driver is probed on every existing device and on each new one.
 *
 * Return: 0 or a negative errno.
 */
int __vhca_driver_register(struct vhca_driver *drv, struct module *owner)
{
	if (!drv->probe || !drv->remove)
		return -EINVAL;
	drv->driver.bus = &vhca_sim_bus;
	drv->driver.owner = owner;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL_GPL(__vhca_driver_register);

/**
 * vhca_driver_unregister - unregister a vhca driver
 * @drv: the driver given to __vhca_driver_register()
 *
 * Removes the driver from every device it is bound to first.
 */
void vhca_driver_unregister(struct vhca_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL_GPL(vhca_driver_unregister);

static void vhca_sim_del_all(void)
{
	struct vhca_sim_dev *sdev, *tmp;

	mutex_lock(&vhca_sim_devs_lock);
	vhca_sim_bus_enabled = false;
	list_for_each_entry_safe_reverse(sdev, tmp, &vhca_sim_devs, list)
		vhca_sim_dev_del(sdev);
	mutex_unlock(&vhca_sim_devs_lock);
}

static int __init vhca_sim_init(void)
{
	unsigned int i;
	int err;

	if (num_devices > VHCA_SIM_MAX_DEFAULT_DEVICES) {
		pr_err("vhca_sim: num_devices %u is over %u\n", num_devices,
		       VHCA_SIM_MAX_DEFAULT_DEVICES);
		return -EINVAL;
	}

	err = vhca_sim_debugfs_init();
	if (err)
		return err;
	err = vhca_fabric_init(vhca_sim_debugfs_root());
	if (err)
		goto err_debugfs;
	err = bus_register(&vhca_sim_bus);
	if (err)
		goto err_fabric;

	mutex_lock(&vhca_sim_devs_lock);
	for (i = 0; i < num_devices; i++) {
		err = vhca_sim_dev_add(i, 1);
		if (err)
			break;
	}
	vhca_sim_bus_enabled = !err;
	mutex_unlock(&vhca_sim_devs_lock);
	if (err)
		goto err_devs;
	return 0;

err_devs:
	vhca_sim_del_all();
	bus_unregister(&vhca_sim_bus);
err_fabric:
	vhca_fabric_exit();
err_debugfs:
	vhca_sim_debugfs_exit();
	return err;
}

static void __exit vhca_sim_exit(void)
{
	vhca_sim_del_all();
	bus_unregister(&vhca_sim_bus);
	vhca_fabric_exit();
	vhca_sim_debugfs_exit();
}

module_init(vhca_sim_init);
module_exit(vhca_sim_exit);

MODULE_DESCRIPTION("vhca emulated InfiniBand HCA: bus and device model");
MODULE_LICENSE("GPL");
