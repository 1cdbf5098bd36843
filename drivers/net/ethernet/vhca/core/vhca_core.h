/* SPDX-License-Identifier: GPL-2.0 */
/* vhca_core internals shared between its files; not for other modules. */
#ifndef _VHCA_CORE_H
#define _VHCA_CORE_H

#include <linux/vhca/driver.h>

struct devlink;
struct netlink_ext_ack;

#define VHCA_CORE_DRV_NAME	"vhca_core"

/* cmd.c */
int vhca_cmd_init(struct vhca_core_dev *cdev);
void vhca_cmd_cleanup(struct vhca_core_dev *cdev);
void vhca_cmd_use_events(struct vhca_core_dev *cdev);
void vhca_cmd_use_polling(struct vhca_core_dev *cdev);
void vhca_cmd_comp_handler(struct vhca_core_dev *cdev, u32 vector);
int vhca_cmd_simple(struct vhca_core_dev *cdev, u16 opcode, u16 op_mod);

/* eq.c */
void vhca_eq_table_init(struct vhca_core_dev *cdev);
int vhca_eqs_create(struct vhca_core_dev *cdev, struct netlink_ext_ack *extack);
void vhca_eqs_destroy(struct vhca_core_dev *cdev);
void vhca_eq_orphans_free(struct vhca_core_dev *cdev, bool device_done);

/* main.c */
int vhca_core_load(struct vhca_core_dev *cdev, struct netlink_ext_ack *extack);
void vhca_core_unload(struct vhca_core_dev *cdev);

/* devlink.c */
struct vhca_core_dev *vhca_devlink_alloc(struct device *dev);
void vhca_devlink_free(struct vhca_core_dev *cdev);
void vhca_devlink_register(struct vhca_core_dev *cdev);
void vhca_devlink_unregister(struct vhca_core_dev *cdev);
int vhca_devlink_params_register(struct vhca_core_dev *cdev);
void vhca_devlink_params_unregister(struct vhca_core_dev *cdev);
int vhca_devlink_eq_sizes_get(struct vhca_core_dev *cdev, u32 *event_eq_size,
			      u32 *io_eq_size);

#endif /* _VHCA_CORE_H */
