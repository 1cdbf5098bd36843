/* SPDX-License-Identifier: GPL-2.0 */
/* vhca_core internals shared between its files; not for other modules. */
#ifndef _VHCA_CORE_H
#define _VHCA_CORE_H

#include <linux/export.h>
#include <linux/vhca/driver.h>

struct devlink;
struct netlink_ext_ack;

#define VHCA_CORE_DRV_NAME	"vhca_core"

/* Pure helpers are exported to the KUnit test module (vhca_core_test.ko)
 * only, and only when it is built.
 */
#if IS_ENABLED(CONFIG_VHCA_CORE_KUNIT_TEST)
#define EXPORT_SYMBOL_IF_VHCA_CORE_TEST(sym) \
	EXPORT_SYMBOL_NS_GPL(sym, EXPORTED_FOR_KUNIT_TESTING)
#else
#define EXPORT_SYMBOL_IF_VHCA_CORE_TEST(sym)
#endif

/* cmd.c */
int vhca_cmd_init(struct vhca_core_dev *cdev);
void vhca_cmd_cleanup(struct vhca_core_dev *cdev);
void vhca_cmd_use_events(struct vhca_core_dev *cdev);
void vhca_cmd_use_polling(struct vhca_core_dev *cdev);
void vhca_cmd_comp_handler(struct vhca_core_dev *cdev, u32 vector);
int vhca_cmd_simple(struct vhca_core_dev *cdev, u16 opcode, u16 op_mod);
int vhca_cmd_status_to_errno(u8 status);
const char *vhca_cmd_delivery_str(u8 delivery);

/* eq.c */
void vhca_eq_table_init(struct vhca_core_dev *cdev);
int vhca_eqs_create(struct vhca_core_dev *cdev, struct netlink_ext_ack *extack);
void vhca_eqs_destroy(struct vhca_core_dev *cdev);
void vhca_eq_orphans_free(struct vhca_core_dev *cdev, bool device_done);
int vhca_core_cq_comp_add(struct vhca_core_dev *cdev, u32 cqn,
			  struct vhca_eq_comp *comp);
void vhca_core_cq_comp_del(struct vhca_core_dev *cdev, u32 cqn);

/* port.c */
int vhca_ports_register(struct vhca_core_dev *cdev);
void vhca_ports_unregister(struct vhca_core_dev *cdev);
int vhca_ports_load(struct vhca_core_dev *cdev);
void vhca_ports_unload(struct vhca_core_dev *cdev);
bool vhca_port_eqe(struct vhca_core_dev *cdev, const struct vhca_eqe *eqe);

/* aux.c */
int vhca_core_adevs_add(struct vhca_core_dev *cdev);
void vhca_core_adevs_del(struct vhca_core_dev *cdev);

/* main.c */
extern struct dentry *vhca_core_debugfs;
int vhca_core_load(struct vhca_core_dev *cdev, struct netlink_ext_ack *extack);
void vhca_core_unload(struct vhca_core_dev *cdev);

/* devlink.c */
struct vhca_core_dev *vhca_devlink_alloc(struct device *dev);
void vhca_devlink_free(struct vhca_core_dev *cdev);
void vhca_devlink_register(struct vhca_core_dev *cdev);
void vhca_devlink_unregister(struct vhca_core_dev *cdev);
int vhca_devlink_params_register(struct vhca_core_dev *cdev);
void vhca_devlink_params_unregister(struct vhca_core_dev *cdev);
int vhca_devlink_eq_size_check(u32 size, u8 log_min, u8 log_max);
int vhca_tx_meta_storage_parse(const char *name);
const char *vhca_tx_meta_storage_name(unsigned int mode);
int vhca_devlink_eq_sizes_get(struct vhca_core_dev *cdev, u32 *event_eq_size,
			      u32 *io_eq_size);

#endif /* _VHCA_CORE_H */
