/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The private provider ABI of libibverbs, PABI 34 (rdma-core 44.x), as far
 * as this provider relies on it: our own declarations of the structures
 * libibverbs shares with its providers, the verbs_context_ops table, the
 * command wrappers and the exported IBVERBS_PRIVATE_34 helpers we call.
 *
 * rdma-core does not install driver.h; these declarations are written from
 * the measured layout of rdma-core 44.0 (x86_64), and every size and offset
 * the provider depends on is checked below with static_assert, so a drift
 * fails the build instead of corrupting memory. The layouts are identical
 * from rdma-core 36 to 56 (PABI 34 throughout); rdma-core 57 moved to PABI
 * 57 and will not even look for a -rdmav34 library. The runtime checks in
 * alloc_context (vhca.c) catch what a compiler cannot: a library that was
 * built differently from what it claims.
 *
 * Public structures (ibv_device, ibv_context, verbs_context, ibv_cq, ...)
 * come from <infiniband/verbs.h>; the kernel's command structures from
 * <rdma/ib_user_verbs.h>.
 */
#ifndef VHCA_ABI34_H
#define VHCA_ABI34_H

#include <assert.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <infiniband/verbs.h>
#include <rdma/ib_user_verbs.h>

#define VHCA_PABI_VERSION	34

/* ccan/list.h's node: two pointers */
struct vhca_list_node {
	struct vhca_list_node *next, *prev;
};

/* ------------------------------------------------------------------ */
/* Device discovery and matching                                       */
/* ------------------------------------------------------------------ */

enum {
	VHCA_VERBS_MATCH_SENTINEL = 0,
	VHCA_VERBS_MATCH_PCI = 1,
	VHCA_VERBS_MATCH_MODALIAS = 2,
	VHCA_VERBS_MATCH_DRIVER_ID = 3,
};

/* verbs_match_ent */
struct vhca_verbs_match_ent {
	void *driver_data;
	union {
		const char *modalias;
		uint64_t driver_id;
	} u;
	uint16_t vendor;
	uint16_t device;
	uint8_t kind;
};

static_assert(sizeof(struct vhca_verbs_match_ent) == 24, "match_ent");
static_assert(offsetof(struct vhca_verbs_match_ent, u) == 8, "match_ent.u");
static_assert(offsetof(struct vhca_verbs_match_ent, vendor) == 16,
	      "match_ent.vendor");
static_assert(offsetof(struct vhca_verbs_match_ent, device) == 18,
	      "match_ent.device");
static_assert(offsetof(struct vhca_verbs_match_ent, kind) == 20,
	      "match_ent.kind");

/* verbs_sysfs_dev: an RDMA device libibverbs found */
struct vhca_verbs_sysfs_dev {
	struct vhca_list_node entry;
	void *provider_data;
	const struct vhca_verbs_match_ent *match;
	unsigned int flags;
	char sysfs_name[IBV_SYSFS_NAME_MAX];
	dev_t sysfs_cdev;
	char ibdev_name[IBV_SYSFS_NAME_MAX];
	char ibdev_path[IBV_SYSFS_PATH_MAX];
	char modalias[512];
	uint64_t node_guid;
	uint32_t driver_id;
	enum ibv_node_type node_type;
	int ibdev_idx;
	uint32_t num_ports;
	uint32_t abi_ver;
	struct timespec time_created;
};

static_assert(sizeof(struct vhca_verbs_sysfs_dev) == 992, "sysfs_dev");
static_assert(offsetof(struct vhca_verbs_sysfs_dev, provider_data) == 16,
	      "sysfs_dev.provider_data");
static_assert(offsetof(struct vhca_verbs_sysfs_dev, match) == 24,
	      "sysfs_dev.match");
static_assert(offsetof(struct vhca_verbs_sysfs_dev, sysfs_name) == 36,
	      "sysfs_dev.sysfs_name");
static_assert(offsetof(struct vhca_verbs_sysfs_dev, sysfs_cdev) == 104,
	      "sysfs_dev.sysfs_cdev");
static_assert(offsetof(struct vhca_verbs_sysfs_dev, ibdev_name) == 112,
	      "sysfs_dev.ibdev_name");
static_assert(offsetof(struct vhca_verbs_sysfs_dev, ibdev_path) == 176,
	      "sysfs_dev.ibdev_path");
static_assert(offsetof(struct vhca_verbs_sysfs_dev, modalias) == 432,
	      "sysfs_dev.modalias");
static_assert(offsetof(struct vhca_verbs_sysfs_dev, node_guid) == 944,
	      "sysfs_dev.node_guid");
static_assert(offsetof(struct vhca_verbs_sysfs_dev, driver_id) == 952,
	      "sysfs_dev.driver_id");
static_assert(offsetof(struct vhca_verbs_sysfs_dev, node_type) == 956,
	      "sysfs_dev.node_type");
static_assert(offsetof(struct vhca_verbs_sysfs_dev, ibdev_idx) == 960,
	      "sysfs_dev.ibdev_idx");
static_assert(offsetof(struct vhca_verbs_sysfs_dev, num_ports) == 964,
	      "sysfs_dev.num_ports");
static_assert(offsetof(struct vhca_verbs_sysfs_dev, abi_ver) == 968,
	      "sysfs_dev.abi_ver");
static_assert(offsetof(struct vhca_verbs_sysfs_dev, time_created) == 976,
	      "sysfs_dev.time_created");

struct vhca_verbs_device;

/* verbs_device_ops: what the provider registers */
struct vhca_verbs_device_ops {
	const char *name;
	uint32_t match_min_abi_version;
	uint32_t match_max_abi_version;
	const struct vhca_verbs_match_ent *match_table;
	const struct vhca_verbs_device_ops **static_providers;
	bool (*match_device)(struct vhca_verbs_sysfs_dev *sysfs_dev);
	struct verbs_context *(*alloc_context)(struct ibv_device *device,
					       int cmd_fd, void *private_data);
	struct verbs_context *(*import_context)(struct ibv_device *device,
						int cmd_fd);
	struct vhca_verbs_device *(*alloc_device)(struct vhca_verbs_sysfs_dev *s);
	void (*uninit_device)(struct vhca_verbs_device *device);
};

static_assert(sizeof(struct vhca_verbs_device_ops) == 72, "device_ops");
static_assert(offsetof(struct vhca_verbs_device_ops,
		       match_min_abi_version) == 8, "device_ops.min_abi");
static_assert(offsetof(struct vhca_verbs_device_ops,
		       match_max_abi_version) == 12, "device_ops.max_abi");
static_assert(offsetof(struct vhca_verbs_device_ops, match_table) == 16,
	      "device_ops.match_table");
static_assert(offsetof(struct vhca_verbs_device_ops, static_providers) == 24,
	      "device_ops.static_providers");
static_assert(offsetof(struct vhca_verbs_device_ops, match_device) == 32,
	      "device_ops.match_device");
static_assert(offsetof(struct vhca_verbs_device_ops, alloc_context) == 40,
	      "device_ops.alloc_context");
static_assert(offsetof(struct vhca_verbs_device_ops, import_context) == 48,
	      "device_ops.import_context");
static_assert(offsetof(struct vhca_verbs_device_ops, alloc_device) == 56,
	      "device_ops.alloc_device");
static_assert(offsetof(struct vhca_verbs_device_ops, uninit_device) == 64,
	      "device_ops.uninit_device");

/* verbs_device: the provider allocates it, libibverbs fills it in */
struct vhca_verbs_device {
	struct ibv_device device;
	const struct vhca_verbs_device_ops *ops;
	atomic_int refcount;
	struct vhca_list_node entry;
	struct vhca_verbs_sysfs_dev *sysfs;
	uint64_t core_support;
};

static_assert(sizeof(struct ibv_device) == 664, "ibv_device");
static_assert(sizeof(struct vhca_verbs_device) == 712, "verbs_device");
static_assert(offsetof(struct vhca_verbs_device, ops) == 664,
	      "verbs_device.ops");
static_assert(offsetof(struct vhca_verbs_device, refcount) == 672,
	      "verbs_device.refcount");
static_assert(offsetof(struct vhca_verbs_device, entry) == 680,
	      "verbs_device.entry");
static_assert(offsetof(struct vhca_verbs_device, sysfs) == 696,
	      "verbs_device.sysfs");
static_assert(offsetof(struct vhca_verbs_device, core_support) == 704,
	      "verbs_device.core_support");

/* ------------------------------------------------------------------ */
/* Objects the provider allocates for libibverbs                       */
/* ------------------------------------------------------------------ */

/* verbs_mr: ibv_cmd_reg_mr() writes mr_type and access */
struct vhca_verbs_mr {
	struct ibv_mr ibv_mr;
	int mr_type;		/* enum ibv_mr_type */
	int access;
};

static_assert(sizeof(struct ibv_mr) == 48, "ibv_mr");
static_assert(sizeof(struct vhca_verbs_mr) == 56, "verbs_mr");
static_assert(offsetof(struct vhca_verbs_mr, mr_type) == 48,
	      "verbs_mr.mr_type");
static_assert(offsetof(struct vhca_verbs_mr, access) == 52,
	      "verbs_mr.access");

/* verbs_qp */
struct vhca_verbs_qp {
	union {
		struct ibv_qp qp;
		struct ibv_qp_ex qp_ex;
	};
	uint32_t comp_mask;
	void *xrcd;
};

static_assert(sizeof(struct vhca_verbs_qp) == 368, "verbs_qp");
static_assert(offsetof(struct vhca_verbs_qp, comp_mask) == 352,
	      "verbs_qp.comp_mask");
static_assert(offsetof(struct vhca_verbs_qp, xrcd) == 360, "verbs_qp.xrcd");

/* verbs_cq */
struct vhca_verbs_cq {
	union {
		struct ibv_cq cq;
		struct ibv_cq_ex cq_ex;
	};
};

static_assert(sizeof(struct vhca_verbs_cq) == 288, "verbs_cq");

/* public verbs_context: where libibverbs keeps the extended ops */
static_assert(sizeof(struct verbs_context) == 648, "verbs_context");
static_assert(offsetof(struct verbs_context, sz) == 312, "verbs_context.sz");
static_assert(offsetof(struct verbs_context, context) == 320,
	      "verbs_context.context");

/* ------------------------------------------------------------------ */
/* verbs_context_ops: 76 entries, alphabetical, 608 bytes              */
/* ------------------------------------------------------------------ */

struct vhca_verbs_context_ops {
	int (*advise_mr)(struct ibv_pd *pd, enum ibv_advise_mr_advice advice,
			 uint32_t flags, struct ibv_sge *sg_list,
			 uint32_t num_sges);
	struct ibv_dm *(*alloc_dm)(struct ibv_context *context,
				   struct ibv_alloc_dm_attr *attr);
	struct ibv_mw *(*alloc_mw)(struct ibv_pd *pd, enum ibv_mw_type type);
	struct ibv_mr *(*alloc_null_mr)(struct ibv_pd *pd);
	struct ibv_pd *(*alloc_parent_domain)(struct ibv_context *context,
			struct ibv_parent_domain_init_attr *attr);
	struct ibv_pd *(*alloc_pd)(struct ibv_context *context);
	struct ibv_td *(*alloc_td)(struct ibv_context *context,
				   struct ibv_td_init_attr *init_attr);
	void (*async_event)(struct ibv_context *context,
			    struct ibv_async_event *event);
	int (*attach_counters_point_flow)(struct ibv_counters *counters,
					  struct ibv_counter_attach_attr *attr,
					  struct ibv_flow *flow);
	int (*attach_mcast)(struct ibv_qp *qp, const union ibv_gid *gid,
			    uint16_t lid);
	int (*bind_mw)(struct ibv_qp *qp, struct ibv_mw *mw,
		       struct ibv_mw_bind *mw_bind);
	int (*close_xrcd)(struct ibv_xrcd *xrcd);
	void (*cq_event)(struct ibv_cq *cq);
	struct ibv_ah *(*create_ah)(struct ibv_pd *pd, struct ibv_ah_attr *attr);
	struct ibv_counters *(*create_counters)(struct ibv_context *context,
			struct ibv_counters_init_attr *init_attr);
	struct ibv_cq *(*create_cq)(struct ibv_context *context, int cqe,
				    struct ibv_comp_channel *channel,
				    int comp_vector);
	struct ibv_cq_ex *(*create_cq_ex)(struct ibv_context *context,
					  struct ibv_cq_init_attr_ex *init_attr);
	struct ibv_flow *(*create_flow)(struct ibv_qp *qp,
					struct ibv_flow_attr *flow_attr);
	struct ibv_flow_action *(*create_flow_action_esp)(
			struct ibv_context *context,
			struct ibv_flow_action_esp_attr *attr);
	struct ibv_qp *(*create_qp)(struct ibv_pd *pd,
				    struct ibv_qp_init_attr *attr);
	struct ibv_qp *(*create_qp_ex)(struct ibv_context *context,
				       struct ibv_qp_init_attr_ex *attr);
	struct ibv_rwq_ind_table *(*create_rwq_ind_table)(
			struct ibv_context *context,
			struct ibv_rwq_ind_table_init_attr *init_attr);
	struct ibv_srq *(*create_srq)(struct ibv_pd *pd,
				      struct ibv_srq_init_attr *attr);
	struct ibv_srq *(*create_srq_ex)(struct ibv_context *context,
					 struct ibv_srq_init_attr_ex *attr);
	struct ibv_wq *(*create_wq)(struct ibv_context *context,
				    struct ibv_wq_init_attr *wq_init_attr);
	int (*dealloc_mw)(struct ibv_mw *mw);
	int (*dealloc_pd)(struct ibv_pd *pd);
	int (*dealloc_td)(struct ibv_td *td);
	int (*dereg_mr)(struct vhca_verbs_mr *vmr);
	int (*destroy_ah)(struct ibv_ah *ah);
	int (*destroy_counters)(struct ibv_counters *counters);
	int (*destroy_cq)(struct ibv_cq *cq);
	int (*destroy_flow)(struct ibv_flow *flow);
	int (*destroy_flow_action)(struct ibv_flow_action *action);
	int (*destroy_qp)(struct ibv_qp *qp);
	int (*destroy_rwq_ind_table)(struct ibv_rwq_ind_table *table);
	int (*destroy_srq)(struct ibv_srq *srq);
	int (*destroy_wq)(struct ibv_wq *wq);
	int (*detach_mcast)(struct ibv_qp *qp, const union ibv_gid *gid,
			    uint16_t lid);
	void (*free_context)(struct ibv_context *context);
	int (*free_dm)(struct ibv_dm *dm);
	int (*get_srq_num)(struct ibv_srq *srq, uint32_t *srq_num);
	struct ibv_dm *(*import_dm)(struct ibv_context *context,
				    uint32_t dm_handle);
	struct ibv_mr *(*import_mr)(struct ibv_pd *pd, uint32_t mr_handle);
	struct ibv_pd *(*import_pd)(struct ibv_context *context,
				    uint32_t pd_handle);
	int (*modify_cq)(struct ibv_cq *cq, struct ibv_modify_cq_attr *attr);
	int (*modify_flow_action_esp)(struct ibv_flow_action *action,
				      struct ibv_flow_action_esp_attr *attr);
	int (*modify_qp)(struct ibv_qp *qp, struct ibv_qp_attr *attr,
			 int attr_mask);
	int (*modify_qp_rate_limit)(struct ibv_qp *qp,
				    struct ibv_qp_rate_limit_attr *attr);
	int (*modify_srq)(struct ibv_srq *srq, struct ibv_srq_attr *srq_attr,
			  int srq_attr_mask);
	int (*modify_wq)(struct ibv_wq *wq, struct ibv_wq_attr *wq_attr);
	struct ibv_qp *(*open_qp)(struct ibv_context *context,
				  struct ibv_qp_open_attr *attr);
	struct ibv_xrcd *(*open_xrcd)(struct ibv_context *context,
				      struct ibv_xrcd_init_attr *attr);
	int (*poll_cq)(struct ibv_cq *cq, int num_entries, struct ibv_wc *wc);
	int (*post_recv)(struct ibv_qp *qp, struct ibv_recv_wr *wr,
			 struct ibv_recv_wr **bad_wr);
	int (*post_send)(struct ibv_qp *qp, struct ibv_send_wr *wr,
			 struct ibv_send_wr **bad_wr);
	int (*post_srq_ops)(struct ibv_srq *srq, struct ibv_ops_wr *op,
			    struct ibv_ops_wr **bad_op);
	int (*post_srq_recv)(struct ibv_srq *srq, struct ibv_recv_wr *recv_wr,
			     struct ibv_recv_wr **bad_recv_wr);
	int (*query_device_ex)(struct ibv_context *context,
			       const struct ibv_query_device_ex_input *input,
			       struct ibv_device_attr_ex *attr,
			       size_t attr_size);
	int (*query_ece)(struct ibv_qp *qp, struct ibv_ece *ece);
	int (*query_port)(struct ibv_context *context, uint8_t port_num,
			  struct ibv_port_attr *port_attr);
	int (*query_qp)(struct ibv_qp *qp, struct ibv_qp_attr *attr,
			int attr_mask, struct ibv_qp_init_attr *init_attr);
	int (*query_qp_data_in_order)(struct ibv_qp *qp,
				      enum ibv_wr_opcode op, uint32_t flags);
	int (*query_rt_values)(struct ibv_context *context,
			       struct ibv_values_ex *values);
	int (*query_srq)(struct ibv_srq *srq, struct ibv_srq_attr *srq_attr);
	int (*read_counters)(struct ibv_counters *counters,
			     uint64_t *counters_value, uint32_t ncounters,
			     uint32_t flags);
	struct ibv_mr *(*reg_dm_mr)(struct ibv_pd *pd, struct ibv_dm *dm,
				    uint64_t dm_offset, size_t length,
				    unsigned int access);
	struct ibv_mr *(*reg_dmabuf_mr)(struct ibv_pd *pd, uint64_t offset,
					size_t length, uint64_t iova,
					int fd, int access);
	struct ibv_mr *(*reg_mr)(struct ibv_pd *pd, void *addr, size_t length,
				 uint64_t hca_va, int access);
	int (*req_notify_cq)(struct ibv_cq *cq, int solicited_only);
	int (*rereg_mr)(struct vhca_verbs_mr *vmr, int flags,
			struct ibv_pd *pd, void *addr, size_t length,
			int access);
	int (*resize_cq)(struct ibv_cq *cq, int cqe);
	int (*set_ece)(struct ibv_qp *qp, struct ibv_ece *ece);
	void (*unimport_dm)(struct ibv_dm *dm);
	void (*unimport_mr)(struct ibv_mr *mr);
	void (*unimport_pd)(struct ibv_pd *pd);
};

#define VHCA_OPS_OFF(m) offsetof(struct vhca_verbs_context_ops, m)
static_assert(sizeof(struct vhca_verbs_context_ops) == 608, "ops size");
static_assert(VHCA_OPS_OFF(alloc_pd) == 40, "ops.alloc_pd");
static_assert(VHCA_OPS_OFF(async_event) == 56, "ops.async_event");
static_assert(VHCA_OPS_OFF(cq_event) == 96, "ops.cq_event");
static_assert(VHCA_OPS_OFF(create_ah) == 104, "ops.create_ah");
static_assert(VHCA_OPS_OFF(create_cq) == 120, "ops.create_cq");
static_assert(VHCA_OPS_OFF(create_qp) == 152, "ops.create_qp");
static_assert(VHCA_OPS_OFF(create_srq) == 176, "ops.create_srq");
static_assert(VHCA_OPS_OFF(dealloc_pd) == 208, "ops.dealloc_pd");
static_assert(VHCA_OPS_OFF(dereg_mr) == 224, "ops.dereg_mr");
static_assert(VHCA_OPS_OFF(destroy_ah) == 232, "ops.destroy_ah");
static_assert(VHCA_OPS_OFF(destroy_cq) == 248, "ops.destroy_cq");
static_assert(VHCA_OPS_OFF(destroy_qp) == 272, "ops.destroy_qp");
static_assert(VHCA_OPS_OFF(destroy_srq) == 288, "ops.destroy_srq");
static_assert(VHCA_OPS_OFF(detach_mcast) == 304, "ops.detach_mcast");
static_assert(VHCA_OPS_OFF(free_context) == 312, "ops.free_context");
static_assert(VHCA_OPS_OFF(get_srq_num) == 328, "ops.get_srq_num");
static_assert(VHCA_OPS_OFF(import_dm) == 336, "ops.import_dm");
static_assert(VHCA_OPS_OFF(modify_qp) == 376, "ops.modify_qp");
static_assert(VHCA_OPS_OFF(modify_srq) == 392, "ops.modify_srq");
static_assert(VHCA_OPS_OFF(poll_cq) == 424, "ops.poll_cq");
static_assert(VHCA_OPS_OFF(post_recv) == 432, "ops.post_recv");
static_assert(VHCA_OPS_OFF(post_send) == 440, "ops.post_send");
static_assert(VHCA_OPS_OFF(post_srq_recv) == 456, "ops.post_srq_recv");
static_assert(VHCA_OPS_OFF(query_device_ex) == 464, "ops.query_device_ex");
static_assert(VHCA_OPS_OFF(query_port) == 480, "ops.query_port");
static_assert(VHCA_OPS_OFF(query_qp) == 488, "ops.query_qp");
static_assert(VHCA_OPS_OFF(query_srq) == 512, "ops.query_srq");
static_assert(VHCA_OPS_OFF(reg_mr) == 544, "ops.reg_mr");
static_assert(VHCA_OPS_OFF(req_notify_cq) == 552, "ops.req_notify_cq");
static_assert(VHCA_OPS_OFF(resize_cq) == 568, "ops.resize_cq");
static_assert(VHCA_OPS_OFF(unimport_pd) == 600, "ops.unimport_pd");

/* ------------------------------------------------------------------ */
/* Command wrappers: uverbs header, core request, driver payload       */
/* ------------------------------------------------------------------ */

/*
 * The core part of each command as libibverbs' kern-abi.h lays it out
 * (a struct ib_uverbs_cmd_hdr, then the kernel's request). The driver's
 * udata follows the core part directly; for the ioctl path libibverbs
 * takes UVERBS_ATTR_UHW_IN/OUT from the same bytes.
 */
#define VHCA_CMD_CORE(name, kabi)			\
	struct name {					\
		struct ib_uverbs_cmd_hdr hdr;		\
		struct kabi core;			\
	}

VHCA_CMD_CORE(vhca_ibv_get_context, ib_uverbs_get_context);
VHCA_CMD_CORE(vhca_ibv_query_port, ib_uverbs_query_port);
VHCA_CMD_CORE(vhca_ibv_alloc_pd, ib_uverbs_alloc_pd);
VHCA_CMD_CORE(vhca_ibv_reg_mr, ib_uverbs_reg_mr);
VHCA_CMD_CORE(vhca_ibv_create_cq, ib_uverbs_create_cq);
VHCA_CMD_CORE(vhca_ibv_create_qp, ib_uverbs_create_qp);
VHCA_CMD_CORE(vhca_ibv_modify_qp, ib_uverbs_modify_qp);
VHCA_CMD_CORE(vhca_ibv_query_qp, ib_uverbs_query_qp);
VHCA_CMD_CORE(vhca_ibv_create_srq, ib_uverbs_create_srq);
VHCA_CMD_CORE(vhca_ibv_modify_srq, ib_uverbs_modify_srq);
VHCA_CMD_CORE(vhca_ibv_query_srq, ib_uverbs_query_srq);

static_assert(sizeof(struct ib_uverbs_cmd_hdr) == 8, "cmd_hdr");
static_assert(sizeof(struct vhca_ibv_get_context) == 16, "get_context");
static_assert(sizeof(struct vhca_ibv_query_port) == 24, "query_port");
static_assert(sizeof(struct vhca_ibv_alloc_pd) == 16, "alloc_pd");
static_assert(sizeof(struct vhca_ibv_reg_mr) == 48, "reg_mr");
static_assert(sizeof(struct vhca_ibv_create_cq) == 40, "create_cq");
static_assert(sizeof(struct vhca_ibv_create_qp) == 64, "create_qp");
static_assert(sizeof(struct vhca_ibv_modify_qp) == 120, "modify_qp");
static_assert(sizeof(struct vhca_ibv_query_qp) == 24, "query_qp");
static_assert(sizeof(struct vhca_ibv_create_srq) == 40, "create_srq");
static_assert(sizeof(struct vhca_ibv_modify_srq) == 24, "modify_srq");
static_assert(sizeof(struct vhca_ibv_query_srq) == 24, "query_srq");
static_assert(offsetof(struct vhca_ibv_create_qp, core) == 8,
	      "create_qp.core");

/* response cores, which the driver part follows directly */
static_assert(sizeof(struct ib_uverbs_get_context_resp) == 8, "ctx resp");
static_assert(sizeof(struct ib_uverbs_alloc_pd_resp) == 4, "pd resp");
static_assert(sizeof(struct ib_uverbs_reg_mr_resp) == 12, "mr resp");
static_assert(sizeof(struct ib_uverbs_create_cq_resp) == 8, "cq resp");
static_assert(sizeof(struct ib_uverbs_create_qp_resp) == 32, "qp resp");
static_assert(sizeof(struct ib_uverbs_create_ah_resp) == 4, "ah resp");
static_assert(sizeof(struct ib_uverbs_create_srq_resp) == 16, "srq resp");

/* ------------------------------------------------------------------ */
/* Exports of libibverbs.so.1, version IBVERBS_PRIVATE_34              */
/* ------------------------------------------------------------------ */

void verbs_register_driver_34(const struct vhca_verbs_device_ops *ops);
void *_verbs_init_and_alloc_context(struct ibv_device *device, int cmd_fd,
				    size_t alloc_size,
				    struct verbs_context *context_offset,
				    uint32_t driver_id);
void verbs_uninit_context(struct verbs_context *context);
void verbs_set_ops(struct verbs_context *vctx,
		   const struct vhca_verbs_context_ops *ops);

int ibv_cmd_get_context(struct verbs_context *context,
			struct vhca_ibv_get_context *cmd, size_t cmd_size,
			struct ib_uverbs_get_context_resp *resp,
			size_t resp_size);
int ibv_cmd_query_device_any(struct ibv_context *context,
			     const struct ibv_query_device_ex_input *input,
			     struct ibv_device_attr_ex *attr, size_t attr_size,
			     struct ib_uverbs_ex_query_device_resp *resp,
			     size_t *resp_size);
int ibv_cmd_query_port(struct ibv_context *context, uint8_t port_num,
		       struct ibv_port_attr *port_attr,
		       struct vhca_ibv_query_port *cmd, size_t cmd_size);
int ibv_cmd_alloc_pd(struct ibv_context *context, struct ibv_pd *pd,
		     struct vhca_ibv_alloc_pd *cmd, size_t cmd_size,
		     struct ib_uverbs_alloc_pd_resp *resp, size_t resp_size);
int ibv_cmd_dealloc_pd(struct ibv_pd *pd);
int ibv_cmd_reg_mr(struct ibv_pd *pd, void *addr, size_t length,
		   uint64_t hca_va, int access, struct vhca_verbs_mr *vmr,
		   struct vhca_ibv_reg_mr *cmd, size_t cmd_size,
		   struct ib_uverbs_reg_mr_resp *resp, size_t resp_size);
int ibv_cmd_dereg_mr(struct vhca_verbs_mr *vmr);
int ibv_cmd_create_cq(struct ibv_context *context, int cqe,
		      struct ibv_comp_channel *channel, int comp_vector,
		      struct ibv_cq *cq, struct vhca_ibv_create_cq *cmd,
		      size_t cmd_size, struct ib_uverbs_create_cq_resp *resp,
		      size_t resp_size);
int ibv_cmd_destroy_cq(struct ibv_cq *cq);
int ibv_cmd_req_notify_cq(struct ibv_cq *cq, int solicited_only);
int ibv_cmd_create_qp(struct ibv_pd *pd, struct ibv_qp *qp,
		      struct ibv_qp_init_attr *attr,
		      struct vhca_ibv_create_qp *cmd, size_t cmd_size,
		      struct ib_uverbs_create_qp_resp *resp, size_t resp_size);
int ibv_cmd_modify_qp(struct ibv_qp *qp, struct ibv_qp_attr *attr,
		      int attr_mask, struct vhca_ibv_modify_qp *cmd,
		      size_t cmd_size);
int ibv_cmd_query_qp(struct ibv_qp *qp, struct ibv_qp_attr *qp_attr,
		     int attr_mask, struct ibv_qp_init_attr *qp_init_attr,
		     struct vhca_ibv_query_qp *cmd, size_t cmd_size);
int ibv_cmd_destroy_qp(struct ibv_qp *qp);
int ibv_cmd_create_srq(struct ibv_pd *pd, struct ibv_srq *srq,
		       struct ibv_srq_init_attr *attr,
		       struct vhca_ibv_create_srq *cmd, size_t cmd_size,
		       struct ib_uverbs_create_srq_resp *resp,
		       size_t resp_size);
int ibv_cmd_modify_srq(struct ibv_srq *srq, struct ibv_srq_attr *srq_attr,
		       int srq_attr_mask, struct vhca_ibv_modify_srq *cmd,
		       size_t cmd_size);
int ibv_cmd_query_srq(struct ibv_srq *srq, struct ibv_srq_attr *srq_attr,
		      struct vhca_ibv_query_srq *cmd, size_t cmd_size);
int ibv_cmd_destroy_srq(struct ibv_srq *srq);
int ibv_cmd_create_ah(struct ibv_pd *pd, struct ibv_ah *ah,
		      struct ibv_ah_attr *attr,
		      struct ib_uverbs_create_ah_resp *resp, size_t resp_size);
int ibv_cmd_destroy_ah(struct ibv_ah *ah);
int ibv_cmd_attach_mcast(struct ibv_qp *qp, const union ibv_gid *gid,
			 uint16_t lid);
int ibv_cmd_detach_mcast(struct ibv_qp *qp, const union ibv_gid *gid,
			 uint16_t lid);

#endif /* VHCA_ABI34_H */
