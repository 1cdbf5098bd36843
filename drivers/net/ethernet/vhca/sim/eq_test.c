// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the device model firmware's CREATE_EQ context checks, without a
 * device: EQ size range, vector range, ring address, event types and
 * their single receiver, and the order the checks run in.
 */

#include <kunit/test.h>
#include <linux/mm.h>

#include "vhca_sim.h"

#define VHCA_TEST_VECTORS	VHCA_SIM_MAX_VECTORS
#define VHCA_TEST_ASYNC		(BIT_ULL(VHCA_EVENT_CMD) | \
				 BIT_ULL(VHCA_EVENT_PORT_CHANGE) | \
				 BIT_ULL(VHCA_EVENT_INTERNAL_ERROR))

/* a context the driver would send for its async EQ */
static void vhca_test_ctx(struct vhca_eq_ctx *ctx, u8 log_size, u8 vector,
			  u64 ring, u64 events)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->log_size = log_size;
	ctx->vector = vector;
	ctx->ring_addr = cpu_to_be64(ring);
	ctx->event_bitmask = cpu_to_be64(events);
}

static u8 vhca_test_eq_check(u8 log_size, u8 vector, u64 ring, u64 events,
			     u64 owned, u32 *synd)
{
	struct vhca_eq_ctx ctx;

	vhca_test_ctx(&ctx, log_size, vector, ring, events);
	*synd = VHCA_SYND_NONE;
	return vhca_sim_eq_ctx_check(&ctx, VHCA_TEST_VECTORS, owned, synd);
}

static void vhca_test_expect(struct kunit *test, const char *what, u8 st,
			     u32 synd, u8 expect_st, u32 expect_synd)
{
	KUNIT_EXPECT_EQ_MSG(test, st, expect_st, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, synd, expect_synd, "%s", what);
}

static void vhca_sim_eq_ctx_ok(struct kunit *test)
{
	u32 synd;
	u8 st;

	st = vhca_test_eq_check(VHCA_SIM_LOG_MIN_EQ_SZ, 0, PAGE_SIZE,
				VHCA_TEST_ASYNC, 0, &synd);
	vhca_test_expect(test, "smallest EQ", st, synd,
			 VHCA_CMD_STAT_OK, VHCA_SYND_NONE);
	st = vhca_test_eq_check(VHCA_SIM_LOG_MAX_EQ_SZ, VHCA_TEST_VECTORS - 1,
				0xffffffff00000000ULL,
				BIT_ULL(VHCA_EVENT_COMP), VHCA_TEST_ASYNC,
				&synd);
	vhca_test_expect(test, "largest EQ, last vector", st, synd,
			 VHCA_CMD_STAT_OK, VHCA_SYND_NONE);
	/* an EQ may receive nothing (yet) */
	st = vhca_test_eq_check(8, 1, 16 * PAGE_SIZE, 0, VHCA_TEST_ASYNC,
				&synd);
	vhca_test_expect(test, "no events", st, synd,
			 VHCA_CMD_STAT_OK, VHCA_SYND_NONE);
}

static void vhca_sim_eq_ctx_size(struct kunit *test)
{
	unsigned int log;
	u32 synd;
	u8 st;

	for (log = 0; log < 256; log++) {
		st = vhca_test_eq_check(log, 0, PAGE_SIZE, VHCA_TEST_ASYNC, 0,
					&synd);
		if (log >= VHCA_SIM_LOG_MIN_EQ_SZ &&
		    log <= VHCA_SIM_LOG_MAX_EQ_SZ) {
			KUNIT_EXPECT_EQ_MSG(test, st, VHCA_CMD_STAT_OK,
					    "log_size %u", log);
		} else {
			KUNIT_EXPECT_EQ_MSG(test, st, VHCA_CMD_STAT_BAD_PARAM,
					    "log_size %u", log);
			KUNIT_EXPECT_EQ_MSG(test, synd, VHCA_SYND_EQ_BAD_SIZE,
					    "log_size %u", log);
		}
	}
}

static void vhca_sim_eq_ctx_vector(struct kunit *test)
{
	struct vhca_eq_ctx ctx;
	unsigned int v;
	u32 synd;
	u8 st;

	for (v = 0; v < 256; v++) {
		st = vhca_test_eq_check(6, v, PAGE_SIZE, 0, 0, &synd);
		if (v < VHCA_TEST_VECTORS) {
			KUNIT_EXPECT_EQ_MSG(test, st, VHCA_CMD_STAT_OK,
					    "vector %u", v);
		} else {
			KUNIT_EXPECT_EQ_MSG(test, st, VHCA_CMD_STAT_BAD_PARAM,
					    "vector %u", v);
			KUNIT_EXPECT_EQ_MSG(test, synd, VHCA_SYND_EQ_BAD_VECTOR,
					    "vector %u", v);
		}
	}
	/* the device's own vector count is the limit */
	vhca_test_ctx(&ctx, 6, 1, PAGE_SIZE, 0);
	synd = VHCA_SYND_NONE;
	KUNIT_EXPECT_EQ(test, vhca_sim_eq_ctx_check(&ctx, 2, 0, &synd),
			VHCA_CMD_STAT_OK);
	KUNIT_EXPECT_EQ(test, vhca_sim_eq_ctx_check(&ctx, 1, 0, &synd),
			VHCA_CMD_STAT_BAD_PARAM);
	KUNIT_EXPECT_EQ(test, synd, VHCA_SYND_EQ_BAD_VECTOR);
	ctx.vector = 0;
	KUNIT_EXPECT_EQ(test, vhca_sim_eq_ctx_check(&ctx, 0, 0, &synd),
			VHCA_CMD_STAT_BAD_PARAM);
	KUNIT_EXPECT_EQ(test, synd, VHCA_SYND_EQ_BAD_VECTOR);
}

static void vhca_sim_eq_ctx_ring(struct kunit *test)
{
	static const u64 bad[] = { 0, 1, 8, 64, PAGE_SIZE / 2, PAGE_SIZE + 64,
				   PAGE_SIZE - 1, U64_MAX };
	struct vhca_eq_ctx ctx;
	unsigned int i;
	u32 synd;
	u8 st;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		st = vhca_test_eq_check(6, 0, bad[i], 0, 0, &synd);
		KUNIT_EXPECT_EQ_MSG(test, st, VHCA_CMD_STAT_BAD_PARAM,
				    "ring 0x%llx", bad[i]);
		KUNIT_EXPECT_EQ_MSG(test, synd, VHCA_SYND_EQ_BAD_ADDR,
				    "ring 0x%llx", bad[i]);
	}
	/* Read big-endian: the unaligned 0x1800 written little-endian
	 * reads as the aligned 0x0018000000000000.
	 */
	vhca_test_ctx(&ctx, 6, 0, 0, 0);
	ctx.ring_addr = (__force __be64)cpu_to_le64(PAGE_SIZE + 0x800);
	synd = VHCA_SYND_NONE;
	KUNIT_EXPECT_EQ(test, vhca_sim_eq_ctx_check(&ctx, 1, 0, &synd),
			VHCA_CMD_STAT_OK);
}

static void vhca_sim_eq_ctx_events(struct kunit *test)
{
	unsigned int type;
	u64 bit;
	u32 synd;
	u8 st;

	for (type = 0; type < 64; type++) {
		bit = BIT_ULL(type);
		st = vhca_test_eq_check(6, 0, PAGE_SIZE, bit, 0, &synd);
		if (bit & VHCA_EVENT_SUPPORTED_MASK) {
			KUNIT_EXPECT_EQ_MSG(test, st, VHCA_CMD_STAT_OK,
					    "event %u", type);
		} else {
			KUNIT_EXPECT_EQ_MSG(test, st, VHCA_CMD_STAT_BAD_PARAM,
					    "event %u", type);
			KUNIT_EXPECT_EQ_MSG(test, synd, VHCA_SYND_EQ_BAD_EVENTS,
					    "event %u", type);
		}
		/* the mask is big-endian */
		if (bit & VHCA_EVENT_SUPPORTED_MASK) {
			struct vhca_eq_ctx ctx;

			vhca_test_ctx(&ctx, 6, 0, PAGE_SIZE, 0);
			ctx.event_bitmask = (__force __be64)cpu_to_le64(bit);
			KUNIT_EXPECT_EQ_MSG(test,
					    vhca_sim_eq_ctx_check(&ctx, 1, 0,
								  &synd),
					    VHCA_CMD_STAT_BAD_PARAM,
					    "event %u little-endian", type);
		}
		/* one unsupported bit spoils a good mask */
		if (!(bit & VHCA_EVENT_SUPPORTED_MASK))
			KUNIT_EXPECT_EQ_MSG(test,
					    vhca_test_eq_check(6, 0, PAGE_SIZE,
							       bit | VHCA_TEST_ASYNC,
							       0, &synd),
					    VHCA_CMD_STAT_BAD_PARAM,
					    "event %u", type);
	}
}

/* every event type but COMP has a single receiving EQ */
static void vhca_sim_eq_ctx_owned(struct kunit *test)
{
	static const u8 single[] = { VHCA_EVENT_CMD, VHCA_EVENT_PORT_CHANGE,
				     VHCA_EVENT_INTERNAL_ERROR };
	unsigned int i;
	u32 synd;
	u8 st;

	for (i = 0; i < ARRAY_SIZE(single); i++) {
		st = vhca_test_eq_check(6, 0, PAGE_SIZE, BIT_ULL(single[i]),
					BIT_ULL(single[i]), &synd);
		KUNIT_EXPECT_EQ_MSG(test, st, VHCA_CMD_STAT_BAD_PARAM,
				    "event %u", single[i]);
		KUNIT_EXPECT_EQ_MSG(test, synd, VHCA_SYND_EQ_BAD_EVENTS,
				    "event %u", single[i]);
		/* owned by another EQ: everything else is still free */
		st = vhca_test_eq_check(6, 0, PAGE_SIZE,
					VHCA_TEST_ASYNC & ~BIT_ULL(single[i]),
					BIT_ULL(single[i]), &synd);
		KUNIT_EXPECT_EQ_MSG(test, st, VHCA_CMD_STAT_OK,
				    "event %u", single[i]);
	}
	/* completion EQs share COMP */
	st = vhca_test_eq_check(6, 2, PAGE_SIZE, BIT_ULL(VHCA_EVENT_COMP),
				VHCA_TEST_ASYNC | BIT_ULL(VHCA_EVENT_COMP),
				&synd);
	vhca_test_expect(test, "COMP shared", st, synd,
			 VHCA_CMD_STAT_OK, VHCA_SYND_NONE);
	/* the async EQ twice */
	st = vhca_test_eq_check(6, 0, PAGE_SIZE, VHCA_TEST_ASYNC,
				VHCA_TEST_ASYNC, &synd);
	vhca_test_expect(test, "async EQ twice", st, synd,
			 VHCA_CMD_STAT_BAD_PARAM, VHCA_SYND_EQ_BAD_EVENTS);
}

/* With several bad fields the first in size, vector, ring, events wins. */
static void vhca_sim_eq_ctx_order(struct kunit *test)
{
	u64 all_bad_events = BIT_ULL(63) | VHCA_TEST_ASYNC;
	u32 synd;
	u8 st;

	st = vhca_test_eq_check(0, 255, 1, all_bad_events, VHCA_TEST_ASYNC,
				&synd);
	vhca_test_expect(test, "order: size", st, synd,
			 VHCA_CMD_STAT_BAD_PARAM, VHCA_SYND_EQ_BAD_SIZE);
	st = vhca_test_eq_check(6, 255, 1, all_bad_events, VHCA_TEST_ASYNC,
				&synd);
	vhca_test_expect(test, "order: vector", st, synd,
			 VHCA_CMD_STAT_BAD_PARAM, VHCA_SYND_EQ_BAD_VECTOR);
	st = vhca_test_eq_check(6, 0, 1, all_bad_events, VHCA_TEST_ASYNC,
				&synd);
	vhca_test_expect(test, "order: ring", st, synd,
			 VHCA_CMD_STAT_BAD_PARAM, VHCA_SYND_EQ_BAD_ADDR);
	st = vhca_test_eq_check(6, 0, PAGE_SIZE, all_bad_events,
				VHCA_TEST_ASYNC, &synd);
	vhca_test_expect(test, "order: events", st, synd,
			 VHCA_CMD_STAT_BAD_PARAM, VHCA_SYND_EQ_BAD_EVENTS);
}

static struct kunit_case vhca_sim_eq_cases[] = {
	KUNIT_CASE(vhca_sim_eq_ctx_ok),
	KUNIT_CASE(vhca_sim_eq_ctx_size),
	KUNIT_CASE(vhca_sim_eq_ctx_vector),
	KUNIT_CASE(vhca_sim_eq_ctx_ring),
	KUNIT_CASE(vhca_sim_eq_ctx_events),
	KUNIT_CASE(vhca_sim_eq_ctx_owned),
	KUNIT_CASE(vhca_sim_eq_ctx_order),
	{}
};

static struct kunit_suite vhca_sim_eq_suite = {
	.name = "vhca_sim_eq",
	.test_cases = vhca_sim_eq_cases,
};

kunit_test_suite(vhca_sim_eq_suite);
