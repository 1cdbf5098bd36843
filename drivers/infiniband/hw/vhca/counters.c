// SPDX-License-Identifier: GPL-2.0
/*
 * Counters, as ib_core shows them (hw_counters in sysfs, `rdma statistic`)
 * and in debugfs:
 *
 * - the device's hw_counters (/sys/class/infiniband/<dev>/hw_counters/)
 *   are the driver's own counters (enum vhca_ib_stat): refused WRs and
 *   user requests, events, doorbells;
 * - each port's hw_counters (ports/<n>/hw_counters/, `rdma statistic show
 *   link <dev>/<n>`) are what the port's hardware counted, read with
 *   QUERY_PORT_COUNTERS: packets and bytes each way and the packets it
 *   dropped, by reason (enum vhca_port_drop);
 * - debugfs vhca_ib/<bus device>/stats has the driver's counters and the
 *   CQs, QPs and SRQs that exist.
 */

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <rdma/ib_verbs.h>

#include "vhca_ib.h"

/* the driver's counters: debugfs "stats" and the device's hw_counters */
static const struct rdma_stat_desc vhca_ib_dev_descs[VHCA_IB_ST_NUM] = {
	[VHCA_IB_ST_POST_SEND_ERR].name = "post_send_err",
	[VHCA_IB_ST_POST_RECV_ERR].name = "post_recv_err",
	[VHCA_IB_ST_COMP_EVENTS].name = "comp_events",
	[VHCA_IB_ST_COMP_UNKNOWN_CQ].name = "comp_unknown_cq",
	[VHCA_IB_ST_CQE_UNKNOWN_QP].name = "cqe_unknown_qp",
	[VHCA_IB_ST_CQE_BAD].name = "cqe_bad",
	[VHCA_IB_ST_EV_COMM_EST].name = "ev_comm_est",
	[VHCA_IB_ST_EV_LAST_WQE].name = "ev_last_wqe_reached",
	[VHCA_IB_ST_EV_SQ_DRAINED].name = "ev_sq_drained",
	[VHCA_IB_ST_EV_QP_FATAL].name = "ev_qp_fatal",
	[VHCA_IB_ST_EV_CQ_ERR].name = "ev_cq_err",
	[VHCA_IB_ST_EV_SRQ_LIMIT].name = "ev_srq_limit",
	[VHCA_IB_ST_EV_UNKNOWN_OBJ].name = "ev_unknown_obj",
	[VHCA_IB_ST_U_BAD_UDATA].name = "user_bad_udata",
	[VHCA_IB_ST_U_BAD_ATTR].name = "user_bad_attr",
	[VHCA_IB_ST_U_BAD_MR].name = "user_bad_mr",
	[VHCA_IB_ST_U_MR_BOUNCE].name = "user_mr_bounce",
	[VHCA_IB_ST_U_BAD_MMAP].name = "user_bad_mmap",
	[VHCA_IB_ST_U_BAD_DOORBELL].name = "user_bad_doorbell",
	[VHCA_IB_ST_U_DOORBELLS].name = "user_doorbells",
};

/* "stats": data-path counters and the objects that exist, one a line */
static int vhca_ib_stats_show(struct seq_file *m, void *unused)
{
	struct vhca_ib_dev *dev = m->private;
	unsigned long idx, n;
	void *entry;
	unsigned int i;

	for (i = 0; i < VHCA_IB_ST_NUM; i++)
		seq_printf(m, "%s %lld\n", vhca_ib_dev_descs[i].name,
			   (long long)atomic64_read(&dev->stats[i]));
	n = 0;
	xa_for_each(&dev->cqs, idx, entry)
		n++;
	seq_printf(m, "cqs %lu\n", n);
	n = 0;
	xa_for_each(&dev->qps, idx, entry)
		n++;
	seq_printf(m, "qps %lu\n", n);
	n = 0;
	xa_for_each(&dev->srqs, idx, entry)
		n++;
	seq_printf(m, "srqs %lu\n", n);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vhca_ib_stats);

/* a port's hw_counters: the QUERY_PORT_COUNTERS fields, in their order */
enum {
	VHCA_IB_PC_TX_PACKETS,
	VHCA_IB_PC_TX_BYTES,
	VHCA_IB_PC_RX_PACKETS,
	VHCA_IB_PC_RX_BYTES,
	VHCA_IB_PC_DROPS,
	VHCA_IB_PC_NUM = VHCA_IB_PC_DROPS + VHCA_PORT_NUM_DROPS,
};

static const struct rdma_stat_desc vhca_ib_port_descs[VHCA_IB_PC_NUM] = {
	[VHCA_IB_PC_TX_PACKETS].name = "tx_packets",
	[VHCA_IB_PC_TX_BYTES].name = "tx_bytes",
	[VHCA_IB_PC_RX_PACKETS].name = "rx_packets",
	[VHCA_IB_PC_RX_BYTES].name = "rx_bytes",
	[VHCA_IB_PC_DROPS + VHCA_PORT_DROP_LINK_DOWN].name = "drop_link_down",
	[VHCA_IB_PC_DROPS + VHCA_PORT_DROP_LOSS].name = "drop_loss",
	[VHCA_IB_PC_DROPS + VHCA_PORT_DROP_NO_ROUTE].name = "drop_no_route",
	[VHCA_IB_PC_DROPS + VHCA_PORT_DROP_BAD_CRC].name = "drop_bad_crc",
	[VHCA_IB_PC_DROPS + VHCA_PORT_DROP_BAD_HDR].name = "drop_bad_hdr",
	[VHCA_IB_PC_DROPS + VHCA_PORT_DROP_PKEY].name = "drop_pkey",
	[VHCA_IB_PC_DROPS + VHCA_PORT_DROP_QKEY].name = "drop_qkey",
	[VHCA_IB_PC_DROPS + VHCA_PORT_DROP_NO_QP].name = "drop_no_qp",
	[VHCA_IB_PC_DROPS + VHCA_PORT_DROP_QP_STATE].name = "drop_qp_state",
	[VHCA_IB_PC_DROPS + VHCA_PORT_DROP_NO_WQE].name = "drop_no_wqe",
	[VHCA_IB_PC_DROPS + VHCA_PORT_DROP_PSN].name = "drop_psn",
	[VHCA_IB_PC_DROPS + VHCA_PORT_DROP_OVERFLOW].name = "drop_overflow",
	[VHCA_IB_PC_DROPS + VHCA_PORT_DROP_MCAST].name = "drop_mcast",
};

/* hw_counters of the device: the driver's counters */
struct rdma_hw_stats *vhca_ib_alloc_hw_device_stats(struct ib_device *ibdev)
{
	return rdma_alloc_hw_stats_struct(vhca_ib_dev_descs, VHCA_IB_ST_NUM,
					  RDMA_HW_STATS_DEFAULT_LIFESPAN);
}

/* hw_counters of a port: QUERY_PORT_COUNTERS */
struct rdma_hw_stats *vhca_ib_alloc_hw_port_stats(struct ib_device *ibdev,
						  u32 port)
{
	return rdma_alloc_hw_stats_struct(vhca_ib_port_descs, VHCA_IB_PC_NUM,
					  RDMA_HW_STATS_DEFAULT_LIFESPAN);
}

/* read a port's counters from the device into @value */
static int vhca_ib_query_port_counters(struct vhca_ib_dev *dev, u32 port,
				       u64 *value)
{
	struct vhca_cmd_query_port_counters_out out = {};
	struct vhca_cmd_port_in in = {};
	unsigned int i;
	int err;

	if (!rdma_is_port_valid(&dev->ibdev, port))
		return -EINVAL;
	vhca_cmd_in_hdr_set(&in.hdr, VHCA_CMD_OP_QUERY_PORT_COUNTERS, 0);
	in.port = port;
	err = vhca_cmd_exec(dev->cdev, &in, sizeof(in), &out, sizeof(out));
	if (err)
		return err;
	value[VHCA_IB_PC_TX_PACKETS] = be64_to_cpu(out.tx_packets);
	value[VHCA_IB_PC_TX_BYTES] = be64_to_cpu(out.tx_bytes);
	value[VHCA_IB_PC_RX_PACKETS] = be64_to_cpu(out.rx_packets);
	value[VHCA_IB_PC_RX_BYTES] = be64_to_cpu(out.rx_bytes);
	for (i = 0; i < VHCA_PORT_NUM_DROPS; i++)
		value[VHCA_IB_PC_DROPS + i] = be64_to_cpu(out.drops[i]);
	return 0;
}

/*
 * ib_core calls this with stats->lock held, at most once per lifespan
 * (10 ms) for each reader; a port read is one command.
 */
int vhca_ib_get_hw_stats(struct ib_device *ibdev, struct rdma_hw_stats *stats,
			 u32 port, int index)
{
	struct vhca_ib_dev *dev = to_vhca_ib_dev(ibdev);
	unsigned int i;
	int err;

	if (!port) {
		if (stats->num_counters != VHCA_IB_ST_NUM)
			return -EINVAL;
		for (i = 0; i < VHCA_IB_ST_NUM; i++)
			stats->value[i] = atomic64_read(&dev->stats[i]);
		return VHCA_IB_ST_NUM;
	}
	if (stats->num_counters != VHCA_IB_PC_NUM)
		return -EINVAL;
	err = vhca_ib_query_port_counters(dev, port, stats->value);
	return err ? err : VHCA_IB_PC_NUM;
}

/**
 * vhca_ib_counters_debugfs_init() - the device's "stats" debugfs file
 * @dev: the device
 * @parent: its directory, vhca_ib/<bus device>/
 *
 * "stats" has the driver's counters and the live CQs, QPs and SRQs.
 */
void vhca_ib_counters_debugfs_init(struct vhca_ib_dev *dev,
				   struct dentry *parent)
{
	debugfs_create_file("stats", 0400, parent, dev, &vhca_ib_stats_fops);
}
