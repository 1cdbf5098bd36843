// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the core driver's command interface tables, without a device:
 * command status to errno, and the names logs give opcodes, statuses and
 * delivery statuses (every defined value has its own, unknown ones read
 * "UNKNOWN").
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/module.h>
#include <linux/string.h>

#include "vhca_core.h"

static const struct {
	u8 status;
	int err;
	const char *name;
} vhca_test_statuses[] = {
	{ VHCA_CMD_STAT_OK, 0, "OK" },
	{ VHCA_CMD_STAT_INT_ERR, -EIO, "INT_ERR" },
	{ VHCA_CMD_STAT_BAD_OP, -EOPNOTSUPP, "BAD_OP" },
	{ VHCA_CMD_STAT_BAD_PARAM, -EINVAL, "BAD_PARAM" },
	{ VHCA_CMD_STAT_BAD_SYS_STATE, -EIO, "BAD_SYS_STATE" },
	{ VHCA_CMD_STAT_BAD_RESOURCE, -EINVAL, "BAD_RESOURCE" },
	{ VHCA_CMD_STAT_RESOURCE_BUSY, -EBUSY, "RESOURCE_BUSY" },
	{ VHCA_CMD_STAT_EXCEED_LIM, -ENOMEM, "EXCEED_LIM" },
	{ VHCA_CMD_STAT_BAD_INP_LEN, -EINVAL, "BAD_INP_LEN" },
	{ VHCA_CMD_STAT_BAD_OUTP_LEN, -EINVAL, "BAD_OUTP_LEN" },
};

static const struct {
	u16 opcode;
	const char *name;
} vhca_test_opcodes[] = {
	{ VHCA_CMD_OP_QUERY_HCA_CAP, "QUERY_HCA_CAP" },
	{ VHCA_CMD_OP_QUERY_ADAPTER, "QUERY_ADAPTER" },
	{ VHCA_CMD_OP_INIT_HCA, "INIT_HCA" },
	{ VHCA_CMD_OP_TEARDOWN_HCA, "TEARDOWN_HCA" },
	{ VHCA_CMD_OP_ENABLE_HCA, "ENABLE_HCA" },
	{ VHCA_CMD_OP_DISABLE_HCA, "DISABLE_HCA" },
	{ VHCA_CMD_OP_QUERY_PORT, "QUERY_PORT" },
	{ VHCA_CMD_OP_QUERY_PKEYS, "QUERY_PKEYS" },
	{ VHCA_CMD_OP_QUERY_PORT_COUNTERS, "QUERY_PORT_COUNTERS" },
	{ VHCA_CMD_OP_CREATE_EQ, "CREATE_EQ" },
	{ VHCA_CMD_OP_DESTROY_EQ, "DESTROY_EQ" },
	{ VHCA_CMD_OP_QUERY_EQ, "QUERY_EQ" },
	{ VHCA_CMD_OP_NOP, "NOP" },
	{ VHCA_CMD_OP_CREATE_MKEY, "CREATE_MKEY" },
	{ VHCA_CMD_OP_QUERY_MKEY, "QUERY_MKEY" },
	{ VHCA_CMD_OP_DESTROY_MKEY, "DESTROY_MKEY" },
	{ VHCA_CMD_OP_CREATE_CQ, "CREATE_CQ" },
	{ VHCA_CMD_OP_DESTROY_CQ, "DESTROY_CQ" },
	{ VHCA_CMD_OP_QUERY_CQ, "QUERY_CQ" },
	{ VHCA_CMD_OP_CREATE_QP, "CREATE_QP" },
	{ VHCA_CMD_OP_DESTROY_QP, "DESTROY_QP" },
	{ VHCA_CMD_OP_MODIFY_QP, "MODIFY_QP" },
	{ VHCA_CMD_OP_QUERY_QP, "QUERY_QP" },
	{ VHCA_CMD_OP_SET_RSS, "SET_RSS" },
	{ VHCA_CMD_OP_MAD_IFC, "MAD_IFC" },
	{ VHCA_CMD_OP_CREATE_SRQ, "CREATE_SRQ" },
	{ VHCA_CMD_OP_DESTROY_SRQ, "DESTROY_SRQ" },
	{ VHCA_CMD_OP_QUERY_SRQ, "QUERY_SRQ" },
	{ VHCA_CMD_OP_ARM_SRQ, "ARM_SRQ" },
	{ VHCA_CMD_OP_ALLOC_PD, "ALLOC_PD" },
	{ VHCA_CMD_OP_DEALLOC_PD, "DEALLOC_PD" },
	{ VHCA_CMD_OP_ALLOC_UAR, "ALLOC_UAR" },
	{ VHCA_CMD_OP_DEALLOC_UAR, "DEALLOC_UAR" },
	{ VHCA_CMD_OP_ATTACH_MCG, "ATTACH_MCG" },
	{ VHCA_CMD_OP_DETACH_MCG, "DETACH_MCG" },
};

static bool vhca_test_status_defined(unsigned int status)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vhca_test_statuses); i++)
		if (vhca_test_statuses[i].status == status)
			return true;
	return false;
}

static bool vhca_test_opcode_defined(unsigned int opcode)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vhca_test_opcodes); i++)
		if (vhca_test_opcodes[i].opcode == opcode)
			return true;
	return false;
}

static void vhca_core_cmd_status_errno(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vhca_test_statuses); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    vhca_cmd_status_to_errno(vhca_test_statuses[i].status),
				    vhca_test_statuses[i].err, "status %s",
				    vhca_test_statuses[i].name);
}

/* Only OK is success; a status the driver does not know is an I/O error. */
static void vhca_core_cmd_status_errno_unknown(struct kunit *test)
{
	unsigned int status;
	int err;

	for (status = 0; status < 256; status++) {
		err = vhca_cmd_status_to_errno(status);
		if (status == VHCA_CMD_STAT_OK) {
			KUNIT_EXPECT_EQ(test, err, 0);
			continue;
		}
		KUNIT_EXPECT_LT_MSG(test, err, 0, "status 0x%x", status);
		if (!vhca_test_status_defined(status))
			KUNIT_EXPECT_EQ_MSG(test, err, -EIO, "status 0x%x",
					    status);
	}
}

static void vhca_core_cmd_status_names(struct kunit *test)
{
	unsigned int status, i;

	for (i = 0; i < ARRAY_SIZE(vhca_test_statuses); i++)
		KUNIT_EXPECT_STREQ(test,
				   vhca_cmd_status_str(vhca_test_statuses[i].status),
				   vhca_test_statuses[i].name);
	for (status = 0; status < 256; status++)
		if (!vhca_test_status_defined(status))
			KUNIT_EXPECT_STREQ_MSG(test, vhca_cmd_status_str(status),
					       "UNKNOWN", "status 0x%x",
					       status);
}

static void vhca_core_cmd_opcode_names(struct kunit *test)
{
	unsigned int opcode, i, j;

	for (i = 0; i < ARRAY_SIZE(vhca_test_opcodes); i++) {
		KUNIT_EXPECT_STREQ(test,
				   vhca_cmd_opcode_str(vhca_test_opcodes[i].opcode),
				   vhca_test_opcodes[i].name);
		/* the table itself: no two opcodes share a number */
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, vhca_test_opcodes[i].opcode,
					vhca_test_opcodes[j].opcode);
	}
	for (opcode = 0; opcode <= U16_MAX; opcode++) {
		if (vhca_test_opcode_defined(opcode))
			continue;
		if (strcmp(vhca_cmd_opcode_str(opcode), "UNKNOWN"))
			break;
	}
	KUNIT_EXPECT_EQ_MSG(test, opcode, U16_MAX + 1,
			    "opcode 0x%x is not defined but named %s", opcode,
			    opcode <= U16_MAX ? vhca_cmd_opcode_str(opcode) : "");
}

static void vhca_core_cmd_delivery_names(struct kunit *test)
{
	static const struct {
		u8 delivery;
		const char *name;
	} names[] = {
		{ VHCA_CMD_DELIVERY_OK, "OK" },
		{ VHCA_CMD_DELIVERY_BAD_ENTRY, "BAD_ENTRY" },
		{ VHCA_CMD_DELIVERY_BAD_DMA, "BAD_DMA" },
		{ VHCA_CMD_DELIVERY_ABORTED, "ABORTED" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		KUNIT_EXPECT_STREQ(test, vhca_cmd_delivery_str(names[i].delivery),
				   names[i].name);
	KUNIT_EXPECT_STREQ(test, vhca_cmd_delivery_str(4), "UNKNOWN");
	KUNIT_EXPECT_STREQ(test, vhca_cmd_delivery_str(0xff), "UNKNOWN");
}

static struct kunit_case vhca_core_cmd_cases[] = {
	KUNIT_CASE(vhca_core_cmd_status_errno),
	KUNIT_CASE(vhca_core_cmd_status_errno_unknown),
	KUNIT_CASE(vhca_core_cmd_status_names),
	KUNIT_CASE(vhca_core_cmd_opcode_names),
	KUNIT_CASE(vhca_core_cmd_delivery_names),
	{}
};

static struct kunit_suite vhca_core_cmd_suite = {
	.name = "vhca_core_cmd",
	.test_cases = vhca_core_cmd_cases,
};

kunit_test_suite(vhca_core_cmd_suite);

MODULE_DESCRIPTION("KUnit tests of the vhca core driver");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
