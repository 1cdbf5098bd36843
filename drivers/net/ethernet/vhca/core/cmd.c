// SPDX-License-Identifier: GPL-2.0
/*
 * The command interface: a page of VHCA_CMD_NUM_SLOTS command entries
 * whose address the device is given through VHCA_REG_CMDQ_ADDR_H, one
 * input and one output mailbox per command, a doorbell bit per entry.
 * Completion is seen by polling the entry's owner bit until the async EQ
 * exists, then by a CMD EQE (event mode).
 *
 * A command that times out keeps its slot and mailboxes: the device still
 * owns them and may write the output later. Such a slot is "stale" and is
 * reclaimed once its owner bit clears, or when the interface is disabled,
 * after which the device touches none of it.
 */

#include <linux/bitfield.h>
#include <linux/bitops.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>

#include "vhca_core.h"

/* VHCA_REG_CMDQ_INFO fields */
#define VHCA_CMDQ_INFO_LOG_SIZE		GENMASK(7, 4)
#define VHCA_CMDQ_INFO_LOG_STRIDE	GENMASK(3, 0)

#define VHCA_CMD_RECLAIM_INTERVAL	msecs_to_jiffies(100)
#define VHCA_CMD_TIMEOUT_MAX_MS		600000

static unsigned int cmd_timeout_ms = 10000;

static int cmd_timeout_ms_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, VHCA_CMD_TIMEOUT_MAX_MS);
}

static const struct kernel_param_ops cmd_timeout_ms_ops = {
	.set = cmd_timeout_ms_set,
	.get = param_get_uint,
};

module_param_cb(cmd_timeout_ms, &cmd_timeout_ms_ops, &cmd_timeout_ms, 0644);
MODULE_PARM_DESC(cmd_timeout_ms,
		 "How long a firmware command may take, in ms (1..600000, default 10000)");

/* every opcode of the hardware interface, for the log */
#define VHCA_CMD_OP_NAME(op) { VHCA_CMD_OP_##op, #op }
static const struct {
	u16 opcode;
	const char *name;
} vhca_cmd_op_names[] = {
	VHCA_CMD_OP_NAME(QUERY_HCA_CAP),
	VHCA_CMD_OP_NAME(QUERY_ADAPTER),
	VHCA_CMD_OP_NAME(INIT_HCA),
	VHCA_CMD_OP_NAME(TEARDOWN_HCA),
	VHCA_CMD_OP_NAME(ENABLE_HCA),
	VHCA_CMD_OP_NAME(DISABLE_HCA),
	VHCA_CMD_OP_NAME(QUERY_PORT),
	VHCA_CMD_OP_NAME(QUERY_PKEYS),
	VHCA_CMD_OP_NAME(QUERY_PORT_COUNTERS),
	VHCA_CMD_OP_NAME(CREATE_EQ),
	VHCA_CMD_OP_NAME(DESTROY_EQ),
	VHCA_CMD_OP_NAME(QUERY_EQ),
	VHCA_CMD_OP_NAME(NOP),
	VHCA_CMD_OP_NAME(CREATE_MKEY),
	VHCA_CMD_OP_NAME(QUERY_MKEY),
	VHCA_CMD_OP_NAME(DESTROY_MKEY),
	VHCA_CMD_OP_NAME(CREATE_CQ),
	VHCA_CMD_OP_NAME(DESTROY_CQ),
	VHCA_CMD_OP_NAME(QUERY_CQ),
	VHCA_CMD_OP_NAME(CREATE_QP),
	VHCA_CMD_OP_NAME(DESTROY_QP),
	VHCA_CMD_OP_NAME(MODIFY_QP),
	VHCA_CMD_OP_NAME(QUERY_QP),
	VHCA_CMD_OP_NAME(SET_RSS),
	VHCA_CMD_OP_NAME(MAD_IFC),
	VHCA_CMD_OP_NAME(CREATE_SRQ),
	VHCA_CMD_OP_NAME(DESTROY_SRQ),
	VHCA_CMD_OP_NAME(QUERY_SRQ),
	VHCA_CMD_OP_NAME(ARM_SRQ),
	VHCA_CMD_OP_NAME(ALLOC_PD),
	VHCA_CMD_OP_NAME(DEALLOC_PD),
	VHCA_CMD_OP_NAME(ALLOC_UAR),
	VHCA_CMD_OP_NAME(DEALLOC_UAR),
	VHCA_CMD_OP_NAME(ATTACH_MCG),
	VHCA_CMD_OP_NAME(DETACH_MCG),
};

/**
 * vhca_cmd_opcode_str() - name of a command opcode
 * @opcode: VHCA_CMD_OP_*
 *
 * Return: a constant string, "UNKNOWN" for opcodes the driver does not know.
 */
const char *vhca_cmd_opcode_str(u16 opcode)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vhca_cmd_op_names); i++)
		if (vhca_cmd_op_names[i].opcode == opcode)
			return vhca_cmd_op_names[i].name;
	return "UNKNOWN";
}
EXPORT_SYMBOL_GPL(vhca_cmd_opcode_str);

/**
 * vhca_cmd_status_str() - name of a command status
 * @status: VHCA_CMD_STAT_*
 *
 * Return: a constant string, "UNKNOWN" for statuses the driver does not know.
 */
const char *vhca_cmd_status_str(u8 status)
{
	switch (status) {
	case VHCA_CMD_STAT_OK:
		return "OK";
	case VHCA_CMD_STAT_INT_ERR:
		return "INT_ERR";
	case VHCA_CMD_STAT_BAD_OP:
		return "BAD_OP";
	case VHCA_CMD_STAT_BAD_PARAM:
		return "BAD_PARAM";
	case VHCA_CMD_STAT_BAD_SYS_STATE:
		return "BAD_SYS_STATE";
	case VHCA_CMD_STAT_BAD_RESOURCE:
		return "BAD_RESOURCE";
	case VHCA_CMD_STAT_RESOURCE_BUSY:
		return "RESOURCE_BUSY";
	case VHCA_CMD_STAT_EXCEED_LIM:
		return "EXCEED_LIM";
	case VHCA_CMD_STAT_BAD_INP_LEN:
		return "BAD_INP_LEN";
	case VHCA_CMD_STAT_BAD_OUTP_LEN:
		return "BAD_OUTP_LEN";
	default:
		return "UNKNOWN";
	}
}
EXPORT_SYMBOL_GPL(vhca_cmd_status_str);

/**
 * vhca_cmd_status_to_errno() - the errno a command status maps to
 * @status: VHCA_CMD_STAT_*
 *
 * Return: 0 for OK, else a negative errno; -EIO for unknown statuses.
 */
int vhca_cmd_status_to_errno(u8 status)
{
	switch (status) {
	case VHCA_CMD_STAT_OK:
		return 0;
	case VHCA_CMD_STAT_BAD_OP:
		return -EOPNOTSUPP;
	case VHCA_CMD_STAT_BAD_PARAM:
	case VHCA_CMD_STAT_BAD_RESOURCE:
	case VHCA_CMD_STAT_BAD_INP_LEN:
	case VHCA_CMD_STAT_BAD_OUTP_LEN:
		return -EINVAL;
	case VHCA_CMD_STAT_RESOURCE_BUSY:
		return -EBUSY;
	case VHCA_CMD_STAT_EXCEED_LIM:
		return -ENOMEM;
	case VHCA_CMD_STAT_BAD_SYS_STATE:
	case VHCA_CMD_STAT_INT_ERR:
	default:
		return -EIO;
	}
}
EXPORT_SYMBOL_IF_VHCA_CORE_TEST(vhca_cmd_status_to_errno);

/**
 * vhca_cmd_delivery_str() - name of a command delivery status
 * @delivery: VHCA_CMD_DELIVERY_*
 *
 * Return: a constant string, "UNKNOWN" for values the driver does not know.
 */
const char *vhca_cmd_delivery_str(u8 delivery)
{
	switch (delivery) {
	case VHCA_CMD_DELIVERY_OK:
		return "OK";
	case VHCA_CMD_DELIVERY_BAD_ENTRY:
		return "BAD_ENTRY";
	case VHCA_CMD_DELIVERY_BAD_DMA:
		return "BAD_DMA";
	case VHCA_CMD_DELIVERY_ABORTED:
		return "ABORTED";
	default:
		return "UNKNOWN";
	}
}
EXPORT_SYMBOL_IF_VHCA_CORE_TEST(vhca_cmd_delivery_str);

static struct vhca_core_dev *vhca_cmd_to_cdev(struct vhca_cmd *cmd)
{
	return container_of(cmd, struct vhca_core_dev, cmd);
}

/* The device clears the owner bit once the output mailbox is written. */
static bool vhca_cmd_slot_done(struct vhca_cmd *cmd, unsigned int idx)
{
	return !(READ_ONCE(cmd->queue[idx].status_own) & VHCA_CMD_OWNER_HW);
}

static void vhca_cmd_mbox_free(struct vhca_cmd *cmd, struct vhca_cmd_slot *s)
{
	dma_pool_free(cmd->mbox_pool, s->out, s->out_dma);
	dma_pool_free(cmd->mbox_pool, s->in, s->in_dma);
	s->in = NULL;
	s->out = NULL;
}

/* Give back stale slots whose command the device has completed after all.
 * Returns true while stale slots remain.
 */
static bool vhca_cmd_reclaim(struct vhca_cmd *cmd)
{
	struct vhca_cmd_slot done[VHCA_CMD_NUM_SLOTS];
	unsigned int idx, n = 0;
	unsigned long flags;
	bool remaining;

	spin_lock_irqsave(&cmd->lock, flags);
	for_each_set_bit(idx, &cmd->stale, VHCA_CMD_NUM_SLOTS) {
		if (!vhca_cmd_slot_done(cmd, idx))
			continue;
		done[n++] = cmd->slot[idx];
		cmd->slot[idx].stale = false;
		__clear_bit(idx, &cmd->stale);
		__clear_bit(idx, &cmd->busy);
		cmd->stats.reclaimed++;
	}
	remaining = cmd->stale;
	spin_unlock_irqrestore(&cmd->lock, flags);

	for (idx = 0; idx < n; idx++) {
		dev_info(vhca_cmd_to_cdev(cmd)->dev,
			 "timed-out %s(0x%x) completed late, slot reclaimed\n",
			 vhca_cmd_opcode_str(done[idx].opcode), done[idx].opcode);
		vhca_cmd_mbox_free(cmd, &done[idx]);
		up(&cmd->free_slots);
	}
	return remaining;
}

static void vhca_cmd_reclaim_work(struct work_struct *work)
{
	struct vhca_cmd *cmd = container_of(to_delayed_work(work),
					    struct vhca_cmd, reclaim_work);

	if (vhca_cmd_reclaim(cmd))
		schedule_delayed_work(&cmd->reclaim_work,
				      VHCA_CMD_RECLAIM_INTERVAL);
}

/* Take a free slot (the caller holds a count of free_slots). */
static unsigned int vhca_cmd_slot_get(struct vhca_cmd *cmd, u16 opcode,
				      void *in, dma_addr_t in_dma,
				      void *out, dma_addr_t out_dma, u8 *token)
{
	struct vhca_cmd_slot *s;
	unsigned long flags;
	unsigned int idx;

	spin_lock_irqsave(&cmd->lock, flags);
	idx = find_first_zero_bit(&cmd->busy, VHCA_CMD_NUM_SLOTS);
	__set_bit(idx, &cmd->busy);
	s = &cmd->slot[idx];
	s->in = in;
	s->in_dma = in_dma;
	s->out = out;
	s->out_dma = out_dma;
	s->opcode = opcode;
	s->event = cmd->use_events;
	s->stale = false;
	reinit_completion(&s->done);
	if (!++cmd->token)
		++cmd->token;
	*token = cmd->token;
	cmd->stats.executed++;
	spin_unlock_irqrestore(&cmd->lock, flags);
	return idx;
}

static void vhca_cmd_slot_put(struct vhca_cmd *cmd, unsigned int idx,
			      bool failed)
{
	struct vhca_cmd_slot s;
	unsigned long flags;

	spin_lock_irqsave(&cmd->lock, flags);
	s = cmd->slot[idx];
	__clear_bit(idx, &cmd->busy);
	if (failed)
		cmd->stats.failed++;
	spin_unlock_irqrestore(&cmd->lock, flags);

	vhca_cmd_mbox_free(cmd, &s);
	up(&cmd->free_slots);
}

static void vhca_cmd_post(struct vhca_core_dev *cdev, unsigned int idx,
			  u8 token, size_t inlen, size_t outlen)
{
	struct vhca_cmd_entry *ent = &cdev->cmd.queue[idx];
	struct vhca_cmd_slot *s = &cdev->cmd.slot[idx];

	vhca_cmd_entry_init(ent, token, s->event ? VHCA_CMD_FLAG_EVENT : 0,
			    inlen, outlen, s->in_dma, s->out_dma);
	/* the device must see a complete entry once it sees the owner bit */
	dma_wmb();
	WRITE_ONCE(ent->status_own, VHCA_CMD_OWNER_HW);
	wmb(); /* entry visible before the doorbell */
	cdev->bdev->ops->write32(cdev->bdev, VHCA_REG_CMD_DBELL, BIT(idx));
}

static void vhca_cmd_poll(struct vhca_cmd *cmd, unsigned int idx,
			  unsigned long timeout)
{
	unsigned long end = jiffies + timeout;

	while (!vhca_cmd_slot_done(cmd, idx)) {
		if (time_after(jiffies, end))
			return;
		usleep_range(20, 100);
	}
}

/* Mark a timed-out slot stale: it stays busy until the device returns it. */
static void vhca_cmd_slot_abandon(struct vhca_cmd *cmd, unsigned int idx)
{
	unsigned long flags;

	spin_lock_irqsave(&cmd->lock, flags);
	cmd->slot[idx].stale = true;
	__set_bit(idx, &cmd->stale);
	cmd->stats.timed_out++;
	spin_unlock_irqrestore(&cmd->lock, flags);
	schedule_delayed_work(&cmd->reclaim_work, VHCA_CMD_RECLAIM_INTERVAL);
}

/* Check a completed slot's delivery and command status. */
static int vhca_cmd_check(struct vhca_core_dev *cdev, unsigned int idx,
			  void *out, size_t outlen)
{
	struct vhca_cmd_slot *s = &cdev->cmd.slot[idx];
	const struct vhca_cmd_out_hdr *hdr = s->out;
	u8 delivery, status;
	u32 syndrome;
	int err;

	/* read the output only after seeing the owner bit clear */
	dma_rmb();
	delivery = READ_ONCE(cdev->cmd.queue[idx].delivery_status);
	if (delivery != VHCA_CMD_DELIVERY_OK) {
		dev_err(cdev->dev, "%s(0x%x) not delivered, %s(0x%x)\n",
			vhca_cmd_opcode_str(s->opcode), s->opcode,
			vhca_cmd_delivery_str(delivery), delivery);
		return delivery == VHCA_CMD_DELIVERY_ABORTED ? -ECANCELED : -EIO;
	}

	memcpy(out, s->out, outlen);
	status = hdr->status;
	syndrome = vhca_cmd_out_syndrome(hdr);
	err = vhca_cmd_status_to_errno(status);
	if (err)
		dev_err(cdev->dev,
			"%s(0x%x) failed, status %s(0x%x), syndrome 0x%x\n",
			vhca_cmd_opcode_str(s->opcode), s->opcode,
			vhca_cmd_status_str(status), status, syndrome);
	return err;
}

/**
 * vhca_cmd_exec() - execute a firmware command and wait for it
 * @cdev: the device
 * @in: input mailbox, starting with a struct vhca_cmd_in_hdr
 * @inlen: its length, 16..VHCA_CMD_MBOX_MAX bytes
 * @out: output buffer, receives the output mailbox (struct
 *	vhca_cmd_out_hdr first) whenever the command was delivered
 * @outlen: its length, 16..VHCA_CMD_MBOX_MAX bytes
 *
 * Sleeps. Up to VHCA_CMD_NUM_SLOTS commands run concurrently; more wait
 * for a slot. Failures are logged with the command name, status and
 * syndrome, and counted (vhca_cmd_get_stats()).
 *
 * Return: 0 on VHCA_CMD_STAT_OK; -EINVAL for bad lengths; -ENOMEM if
 * mailboxes cannot be allocated; -ETIMEDOUT if no slot frees up or the
 * device does not complete within the cmd_timeout_ms module parameter;
 * -EIO or -ECANCELED if the entry was not delivered; otherwise the errno
 * the status maps to (BAD_OP -EOPNOTSUPP, BAD_PARAM/BAD_RESOURCE/length
 * errors -EINVAL, RESOURCE_BUSY -EBUSY, EXCEED_LIM -ENOMEM, INT_ERR and
 * BAD_SYS_STATE -EIO).
 */
int vhca_cmd_exec(struct vhca_core_dev *cdev, const void *in, size_t inlen,
		  void *out, size_t outlen)
{
	const struct vhca_cmd_in_hdr *ihdr = in;
	struct vhca_cmd *cmd = &cdev->cmd;
	unsigned int idx, tmo_ms;
	dma_addr_t in_dma, out_dma;
	unsigned long timeout;
	void *min, *mout;
	u16 opcode;
	u8 token;
	int err;

	might_sleep();
	if (inlen < sizeof(struct vhca_cmd_in_hdr) ||
	    inlen > VHCA_CMD_MBOX_MAX ||
	    outlen < sizeof(struct vhca_cmd_out_hdr) ||
	    outlen > VHCA_CMD_MBOX_MAX)
		return -EINVAL;

	opcode = vhca_cmd_in_opcode(ihdr);
	tmo_ms = READ_ONCE(cmd_timeout_ms);
	timeout = msecs_to_jiffies(tmo_ms);

	min = dma_pool_zalloc(cmd->mbox_pool, GFP_KERNEL, &in_dma);
	if (!min)
		return -ENOMEM;
	mout = dma_pool_zalloc(cmd->mbox_pool, GFP_KERNEL, &out_dma);
	if (!mout) {
		err = -ENOMEM;
		goto err_free_in;
	}
	memcpy(min, in, inlen);

	vhca_cmd_reclaim(cmd);
	down_read(&cmd->mode_sem);
	if (down_timeout(&cmd->free_slots, timeout)) {
		dev_err(cdev->dev, "%s(0x%x): no free command slot in %u ms\n",
			vhca_cmd_opcode_str(opcode), opcode, tmo_ms);
		err = -ETIMEDOUT;
		goto err_unlock;
	}

	idx = vhca_cmd_slot_get(cmd, opcode, min, in_dma, mout, out_dma,
				&token);
	vhca_cmd_post(cdev, idx, token, inlen, outlen);

	if (cmd->slot[idx].event)
		wait_for_completion_timeout(&cmd->slot[idx].done, timeout);
	else
		vhca_cmd_poll(cmd, idx, timeout);

	if (!vhca_cmd_slot_done(cmd, idx)) {
		vhca_cmd_slot_abandon(cmd, idx);
		up_read(&cmd->mode_sem);
		dev_err(cdev->dev,
			"%s(0x%x) timed out after %u ms, slot %u held until the device returns it\n",
			vhca_cmd_opcode_str(opcode), opcode, tmo_ms, idx);
		return -ETIMEDOUT;
	}

	err = vhca_cmd_check(cdev, idx, out, outlen);
	vhca_cmd_slot_put(cmd, idx, err);
	up_read(&cmd->mode_sem);
	return err;

err_unlock:
	up_read(&cmd->mode_sem);
	dma_pool_free(cmd->mbox_pool, mout, out_dma);
err_free_in:
	dma_pool_free(cmd->mbox_pool, min, in_dma);
	return err;
}
EXPORT_SYMBOL_GPL(vhca_cmd_exec);

/* A command with a bare header in and out. */
int vhca_cmd_simple(struct vhca_core_dev *cdev, u16 opcode, u16 op_mod)
{
	struct vhca_cmd_simple_out out = {};
	struct vhca_cmd_simple_in in = {};

	vhca_cmd_in_hdr_set(&in.hdr, opcode, op_mod);
	return vhca_cmd_exec(cdev, &in, sizeof(in), &out, sizeof(out));
}

/**
 * vhca_cmd_get_stats() - read the command counters of a device
 * @cdev: the device
 * @stats: filled with a consistent snapshot
 */
void vhca_cmd_get_stats(struct vhca_core_dev *cdev,
			struct vhca_cmd_stats *stats)
{
	unsigned long flags;

	spin_lock_irqsave(&cdev->cmd.lock, flags);
	*stats = cdev->cmd.stats;
	spin_unlock_irqrestore(&cdev->cmd.lock, flags);
}
EXPORT_SYMBOL_GPL(vhca_cmd_get_stats);

/* CMD EQE: wake the event-mode commands whose bit is in @vector. */
void vhca_cmd_comp_handler(struct vhca_core_dev *cdev, u32 vector)
{
	struct vhca_cmd *cmd = &cdev->cmd;
	unsigned long bits = vector;
	struct vhca_cmd_slot *s;
	unsigned long flags;
	unsigned int idx;

	spin_lock_irqsave(&cmd->lock, flags);
	for_each_set_bit(idx, &bits, VHCA_CMD_NUM_SLOTS) {
		s = &cmd->slot[idx];
		/* A late EQE of a reclaimed slot must not complete the
		 * command that took the slot since: that one still has its
		 * owner bit set.
		 */
		if (!test_bit(idx, &cmd->busy) || !s->event || s->stale ||
		    !vhca_cmd_slot_done(cmd, idx))
			continue;
		complete(&s->done);
	}
	spin_unlock_irqrestore(&cmd->lock, flags);
}

static void vhca_cmd_set_mode(struct vhca_cmd *cmd, bool events)
{
	/* waits for every command in flight, so none misses its wakeup */
	down_write(&cmd->mode_sem);
	cmd->use_events = events;
	up_write(&cmd->mode_sem);
}

/* Complete commands by CMD EQE; call once the async EQ is armed. */
void vhca_cmd_use_events(struct vhca_core_dev *cdev)
{
	vhca_cmd_set_mode(&cdev->cmd, true);
}

/* Back to polling; call before the async EQ is destroyed. */
void vhca_cmd_use_polling(struct vhca_core_dev *cdev)
{
	vhca_cmd_set_mode(&cdev->cmd, false);
}

int vhca_cmd_init(struct vhca_core_dev *cdev)
{
	struct vhca_bus_device *bdev = cdev->bdev;
	struct vhca_cmd *cmd = &cdev->cmd;
	unsigned int i;
	u32 info;

	info = bdev->ops->read32(bdev, VHCA_REG_CMDQ_INFO);
	if (FIELD_GET(VHCA_CMDQ_INFO_LOG_SIZE, info) != VHCA_CMDQ_LOG_SIZE ||
	    FIELD_GET(VHCA_CMDQ_INFO_LOG_STRIDE, info) != VHCA_CMDQ_LOG_STRIDE) {
		dev_err(cdev->dev,
			"unsupported command queue layout 0x%x (log_size %u, log_stride %u expected)\n",
			info, VHCA_CMDQ_LOG_SIZE, VHCA_CMDQ_LOG_STRIDE);
		return -ENODEV;
	}

	spin_lock_init(&cmd->lock);
	sema_init(&cmd->free_slots, VHCA_CMD_NUM_SLOTS);
	init_rwsem(&cmd->mode_sem);
	INIT_DELAYED_WORK(&cmd->reclaim_work, vhca_cmd_reclaim_work);
	for (i = 0; i < VHCA_CMD_NUM_SLOTS; i++)
		init_completion(&cmd->slot[i].done);
	cmd->busy = 0;
	cmd->stale = 0;
	cmd->use_events = false;
	memset(&cmd->stats, 0, sizeof(cmd->stats));

	cmd->queue = dma_alloc_coherent(cdev->dev, PAGE_SIZE, &cmd->queue_dma,
					GFP_KERNEL);
	if (!cmd->queue)
		return -ENOMEM;

	cmd->mbox_pool = dma_pool_create("vhca_cmd_mbox", cdev->dev,
					 VHCA_CMD_MBOX_MAX, VHCA_CMDQ_STRIDE, 0);
	if (!cmd->mbox_pool)
		goto err_free_queue;

	bdev->ops->write64(bdev, VHCA_REG_CMDQ_ADDR_H, cmd->queue_dma);
	return 0;

err_free_queue:
	dma_free_coherent(cdev->dev, PAGE_SIZE, cmd->queue, cmd->queue_dma);
	return -ENOMEM;
}

void vhca_cmd_cleanup(struct vhca_core_dev *cdev)
{
	struct vhca_bus_device *bdev = cdev->bdev;
	struct vhca_cmd *cmd = &cdev->cmd;
	unsigned int idx;

	cancel_delayed_work_sync(&cmd->reclaim_work);
	/* the device aborts what is in flight and lets go of the page */
	bdev->ops->write64(bdev, VHCA_REG_CMDQ_ADDR_H, 0);

	/* only stale slots can be left: nobody else executes commands now */
	for_each_set_bit(idx, &cmd->busy, VHCA_CMD_NUM_SLOTS) {
		dev_warn(cdev->dev, "timed-out %s(0x%x) never completed, slot freed with the queue\n",
			 vhca_cmd_opcode_str(cmd->slot[idx].opcode),
			 cmd->slot[idx].opcode);
		vhca_cmd_mbox_free(cmd, &cmd->slot[idx]);
	}
	cmd->busy = 0;
	cmd->stale = 0;
	dma_pool_destroy(cmd->mbox_pool);
	dma_free_coherent(cdev->dev, PAGE_SIZE, cmd->queue, cmd->queue_dma);
}
