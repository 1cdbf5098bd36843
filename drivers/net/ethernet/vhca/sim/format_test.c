// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the hardware formats of include/linux/vhca/device.h, as the
 * driver writes them and the device model reads them (and back): EQE
 * owner bits across ring wraps, EQ doorbell values, command mailbox
 * headers and command entries, all big-endian in memory.
 */

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/stddef.h>

#include "vhca_sim.h"

#define VHCA_TEST_IDX_WRAP	BIT(24)	/* the device's EQ indices wrap here */

/* compare memory byte by byte, so a failure names the byte */
static void vhca_test_expect_bytes(struct kunit *test, const void *got,
				   const u8 *want, size_t len)
{
	const u8 *g = got;
	size_t i;

	for (i = 0; i < len; i++)
		KUNIT_EXPECT_EQ_MSG(test, g[i], want[i], "byte %zu", i);
}

/* The phase is 0 on the first pass of the ring and flips on every wrap. */
static void vhca_hw_eqe_owner_phase(struct kunit *test)
{
	unsigned int log;
	u32 n;

	for (log = VHCA_SIM_LOG_MIN_EQ_SZ; log <= VHCA_SIM_LOG_MAX_EQ_SZ; log++) {
		n = BIT(log);
		KUNIT_EXPECT_EQ_MSG(test, vhca_eqe_owner(0, log), 0, "log %u", log);
		KUNIT_EXPECT_EQ_MSG(test, vhca_eqe_owner(n - 1, log), 0, "log %u", log);
		KUNIT_EXPECT_EQ_MSG(test, vhca_eqe_owner(n, log), 1, "log %u", log);
		KUNIT_EXPECT_EQ_MSG(test, vhca_eqe_owner(2 * n - 1, log), 1,
				    "log %u", log);
		KUNIT_EXPECT_EQ_MSG(test, vhca_eqe_owner(2 * n, log), 0, "log %u", log);
		KUNIT_EXPECT_EQ_MSG(test, vhca_eqe_owner(3 * n + 5, log), 1,
				    "log %u", log);
	}
}

/* The device's producer index is 24-bit, the driver's consumer index a
 * free-running u32: both must compute the same phase for the same entry,
 * also where the device's index wraps to 0 and where the driver's does.
 */
static void vhca_hw_eqe_owner_index_width(struct kunit *test)
{
	unsigned int log;
	u32 i, start;

	for (log = VHCA_SIM_LOG_MIN_EQ_SZ; log <= VHCA_SIM_LOG_MAX_EQ_SZ; log++) {
		start = VHCA_TEST_IDX_WRAP - 2 * BIT(log);
		for (i = start; i != VHCA_TEST_IDX_WRAP + 2 * BIT(log); i++)
			if (vhca_eqe_owner(i, log) !=
			    vhca_eqe_owner(i & VHCA_EQ_DB_CI, log))
				break;
		KUNIT_EXPECT_EQ_MSG(test, i, VHCA_TEST_IDX_WRAP + 2 * BIT(log),
				    "log %u: phases differ at index 0x%x",
				    log, i);
		/* the driver's u32 wraps from phase 1 to phase 0 too */
		KUNIT_EXPECT_EQ(test, vhca_eqe_owner(U32_MAX, log), 1);
		KUNIT_EXPECT_EQ(test, vhca_eqe_owner(U32_MAX + 1U, log), 0);
	}
}

struct vhca_test_ring {
	struct vhca_eqe *eqe;
	unsigned int log;
	u32 pi;		/* device: 24-bit */
	u32 ci;		/* driver: free-running */
	u32 posted;
	u32 seen;
};

/* the device model's side: write the entry, then its owner */
static void vhca_test_ring_post(struct vhca_test_ring *r, u32 seq)
{
	struct vhca_eqe *eqe = &r->eqe[r->pi & (BIT(r->log) - 1)];

	memset(eqe, 0, sizeof(*eqe));
	eqe->type = VHCA_EVENT_COMP;
	((struct vhca_eqe_comp *)eqe->data)->cqn = cpu_to_be32(seq);
	eqe->owner = vhca_eqe_owner(r->pi, r->log);
	r->pi = (r->pi + 1) & VHCA_EQ_DB_CI;
}

/* the driver's side: the entry at the consumer index, if it is new */
static struct vhca_eqe *vhca_test_ring_next(struct vhca_test_ring *r)
{
	struct vhca_eqe *eqe = &r->eqe[r->ci & (BIT(r->log) - 1)];

	if ((eqe->owner & 1) != vhca_eqe_owner(r->ci, r->log))
		return NULL;
	return eqe;
}

/* Post batches of EQEs (1 to a full ring, ~12 wraps of a 64-entry ring)
 * and consume each batch: the consumer must see exactly the batch, in
 * order, and then nothing until the next one.
 */
static void vhca_test_ring_run(struct kunit *test, struct vhca_test_ring *r)
{
	static const u32 batches[] = { 1, 3, 64, 17, 63, 64, 2, 64, 64, 31,
				       33, 64, 1, 64, 50, 64, 64, 64, 7 };
	u32 n = BIT(r->log), i, b, got;
	struct vhca_eqe *eqe;

	KUNIT_EXPECT_NULL(test, vhca_test_ring_next(r));
	for (b = 0; b < ARRAY_SIZE(batches); b++) {
		for (i = 0; i < batches[b]; i++)
			vhca_test_ring_post(r, r->posted++);
		for (got = 0; (eqe = vhca_test_ring_next(r)); got++) {
			KUNIT_ASSERT_LT_MSG(test, got, n, "batch %u", b);
			KUNIT_EXPECT_EQ(test, be32_to_cpu(((struct vhca_eqe_comp *)
						eqe->data)->cqn), r->seen);
			r->seen++;
			r->ci++;
		}
		KUNIT_EXPECT_EQ_MSG(test, got, batches[b], "batch %u", b);
		KUNIT_EXPECT_EQ(test, r->ci & VHCA_EQ_DB_CI, r->pi);
	}
	KUNIT_EXPECT_EQ(test, r->seen, r->posted);
}

/* A producer following the device's rule and a consumer following the
 * driver's see every entry exactly once, in order, and never an old one:
 * from a fresh EQ, and across the device's 24-bit index wrap.
 */
static void vhca_hw_eqe_ring_wraps(struct kunit *test)
{
	struct vhca_test_ring r = { .log = VHCA_SIM_LOG_MIN_EQ_SZ };
	u32 n = BIT(r.log), i, start;

	r.eqe = kunit_kcalloc(test, n, sizeof(*r.eqe), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r.eqe);

	/* after CREATE_EQ: indices 0, and the driver set every owner to 1 */
	for (i = 0; i < n; i++)
		r.eqe[i].owner = 1;
	vhca_test_ring_run(test, &r);

	/* again from just before 1 << 24, the ring as the last pass left it */
	start = VHCA_TEST_IDX_WRAP - 3 * n + 5;
	for (i = start - n; i != start; i++)
		r.eqe[i & (n - 1)].owner = vhca_eqe_owner(i, r.log);
	r.pi = start;
	r.ci = start;
	vhca_test_ring_run(test, &r);
	/* the producer's index wrapped through 0 on the way, not the driver's */
	KUNIT_EXPECT_LT(test, r.pi, start);
	KUNIT_EXPECT_GE(test, r.ci, VHCA_TEST_IDX_WRAP);
}

static void vhca_hw_eq_db_encode(struct kunit *test)
{
	static const u32 eqns[] = { 0, 1, 31, 0x80, 0xff };
	static const u32 cis[] = { 0, 1, 0x7fffff, 0xffffff, 0x1000000,
				   0x1234567, 0xffffffff };
	unsigned int e, c;
	u32 val;

	/* the layout: eqn [31:24], consumer index [23:0] */
	KUNIT_EXPECT_EQ(test, vhca_eq_db_val(0x12, 0x345678), 0x12345678U);
	KUNIT_EXPECT_EQ(test, vhca_eq_db_val(0, 0), 0U);

	for (e = 0; e < ARRAY_SIZE(eqns); e++) {
		for (c = 0; c < ARRAY_SIZE(cis); c++) {
			val = vhca_eq_db_val(eqns[e], cis[c]);
			KUNIT_EXPECT_EQ(test, vhca_eq_db_eqn(val), eqns[e]);
			KUNIT_EXPECT_EQ(test, vhca_eq_db_ci(val),
					cis[c] & 0xffffff);
		}
	}
	/* out-of-range fields are cut, never bleed into each other */
	val = vhca_eq_db_val(0x1ff, 0);
	KUNIT_EXPECT_EQ(test, vhca_eq_db_eqn(val), 0xffU);
	KUNIT_EXPECT_EQ(test, vhca_eq_db_ci(val), 0U);
	val = vhca_eq_db_val(3, 0xff000001);
	KUNIT_EXPECT_EQ(test, vhca_eq_db_eqn(val), 3U);
	KUNIT_EXPECT_EQ(test, vhca_eq_db_ci(val), 1U);
}

static void vhca_hw_cmd_in_hdr(struct kunit *test)
{
	static const u8 expect[16] = { 0x03, 0x01, 0, 0, 0, 0, 0x00, 0x01 };
	struct vhca_cmd_in_hdr hdr = {};

	vhca_cmd_in_hdr_set(&hdr, VHCA_CMD_OP_CREATE_EQ, 1);
	vhca_test_expect_bytes(test, &hdr, expect, sizeof(expect));
	KUNIT_EXPECT_EQ(test, vhca_cmd_in_opcode(&hdr), VHCA_CMD_OP_CREATE_EQ);
	KUNIT_EXPECT_EQ(test, vhca_cmd_in_op_mod(&hdr), 1);

	vhca_cmd_in_hdr_set(&hdr, 0xfedc, 0xba98);
	KUNIT_EXPECT_EQ(test, ((u8 *)&hdr)[0], 0xfe);
	KUNIT_EXPECT_EQ(test, ((u8 *)&hdr)[1], 0xdc);
	KUNIT_EXPECT_EQ(test, vhca_cmd_in_opcode(&hdr), 0xfedc);
	KUNIT_EXPECT_EQ(test, vhca_cmd_in_op_mod(&hdr), 0xba98);
	KUNIT_EXPECT_EQ(test, offsetof(struct vhca_cmd_in_hdr, op_mod), 6);
}

static void vhca_hw_cmd_out_hdr(struct kunit *test)
{
	static const u8 expect[16] = { 0x51, 0, 0, 0, 0x0b, 0x1d, 0x00, 0x03 };
	struct vhca_cmd_out_hdr hdr = {};

	vhca_cmd_out_hdr_set(&hdr, VHCA_CMD_STAT_BAD_OUTP_LEN,
			     VHCA_SYND_BAD_OUTP_LEN);
	vhca_test_expect_bytes(test, &hdr, expect, sizeof(expect));
	KUNIT_EXPECT_EQ(test, hdr.status, VHCA_CMD_STAT_BAD_OUTP_LEN);
	KUNIT_EXPECT_EQ(test, vhca_cmd_out_syndrome(&hdr),
			VHCA_SYND_BAD_OUTP_LEN);

	vhca_cmd_out_hdr_set(&hdr, VHCA_CMD_STAT_OK, VHCA_SYND_NONE);
	KUNIT_EXPECT_EQ(test, hdr.status, VHCA_CMD_STAT_OK);
	KUNIT_EXPECT_EQ(test, vhca_cmd_out_syndrome(&hdr), 0U);
}

static void vhca_hw_cmd_entry(struct kunit *test)
{
	static const u8 head[32] = {
		VHCA_CMD_TYPE_PCIE, VHCA_CMD_FLAG_EVENT, 0xab, 0,
		0, 0, 0, 0x10,				/* in_len 16 */
		0, 0, 0x10, 0x00,			/* out_len 4096 */
		0, 0, 0, 0,
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x70, 0x00,
		0x00, 0x00, 0x00, 0x01, 0x23, 0x45, 0x60, 0x00,
	};
	struct vhca_cmd_entry ent;
	u8 *raw = (u8 *)&ent;
	unsigned int i;

	memset(&ent, 0xff, sizeof(ent));
	vhca_cmd_entry_init(&ent, 0xab, VHCA_CMD_FLAG_EVENT, 16,
			    VHCA_CMD_MBOX_MAX, 0x1122334455667000ULL,
			    0x123456000ULL);
	vhca_test_expect_bytes(test, raw, head, sizeof(head));
	/* everything else is cleared, the owner byte included */
	for (i = sizeof(head); i < sizeof(ent); i++)
		KUNIT_EXPECT_EQ_MSG(test, raw[i], 0, "byte %u", i);
	KUNIT_EXPECT_EQ(test, offsetof(struct vhca_cmd_entry, delivery_status),
			59);
	KUNIT_EXPECT_EQ(test, offsetof(struct vhca_cmd_entry, status_own), 63);
	KUNIT_EXPECT_EQ(test, offsetof(struct vhca_eqe, owner), 63);
}

static struct kunit_case vhca_hw_format_cases[] = {
	KUNIT_CASE(vhca_hw_eqe_owner_phase),
	KUNIT_CASE(vhca_hw_eqe_owner_index_width),
	KUNIT_CASE(vhca_hw_eqe_ring_wraps),
	KUNIT_CASE(vhca_hw_eq_db_encode),
	KUNIT_CASE(vhca_hw_cmd_in_hdr),
	KUNIT_CASE(vhca_hw_cmd_out_hdr),
	KUNIT_CASE(vhca_hw_cmd_entry),
	{}
};

static struct kunit_suite vhca_hw_format_suite = {
	.name = "vhca_hw_format",
	.test_cases = vhca_hw_format_cases,
};

kunit_test_suite(vhca_hw_format_suite);

MODULE_DESCRIPTION("KUnit tests of the vhca hardware formats and device model");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
