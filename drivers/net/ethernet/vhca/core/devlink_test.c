// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the core driver's devlink param validation, without a device:
 * the EQ size params (within the device's range, a power of two) and
 * tx_meta_storage (exactly "cb", "header" or "metadata").
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/limits.h>

#include "vhca_core.h"

static void vhca_core_devlink_eq_size(struct kunit *test)
{
	static const struct {
		u32 size;
		int err;
	} cases[] = {
		{ 64, 0 }, { 128, 0 }, { 1024, 0 }, { 4096, 0 },
		{ 0, -ERANGE }, { 1, -ERANGE }, { 32, -ERANGE }, { 63, -ERANGE },
		{ 4097, -ERANGE }, { 8192, -ERANGE }, { U32_MAX, -ERANGE },
		{ 65, -EINVAL }, { 96, -EINVAL }, { 1000, -EINVAL },
		{ 4095, -EINVAL },
	};
	unsigned int i;

	/* the model's range: 2^6..2^12 */
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    vhca_devlink_eq_size_check(cases[i].size,
							       6, 12),
				    cases[i].err, "size %u", cases[i].size);
}

static void vhca_core_devlink_eq_size_caps(struct kunit *test)
{
	u32 size;

	/* a single allowed size */
	KUNIT_EXPECT_EQ(test, vhca_devlink_eq_size_check(256, 8, 8), 0);
	KUNIT_EXPECT_EQ(test, vhca_devlink_eq_size_check(128, 8, 8), -ERANGE);
	KUNIT_EXPECT_EQ(test, vhca_devlink_eq_size_check(512, 8, 8), -ERANGE);

	/* the widest range the driver accepts from a device */
	for (size = 1; size <= BIT(24); size <<= 1)
		KUNIT_EXPECT_EQ_MSG(test, vhca_devlink_eq_size_check(size, 0, 24),
				    0, "size %u", size);
	KUNIT_EXPECT_EQ(test, vhca_devlink_eq_size_check(BIT(24) + 1, 0, 24),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, vhca_devlink_eq_size_check(3, 0, 24), -EINVAL);

	/* absurd capabilities do not overflow the shifts */
	KUNIT_EXPECT_EQ(test, vhca_devlink_eq_size_check(BIT(31), 0, 255), 0);
	KUNIT_EXPECT_EQ(test, vhca_devlink_eq_size_check(U32_MAX, 0, 255),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vhca_devlink_eq_size_check(BIT(31), 255, 255),
			-ERANGE);
}

static void vhca_core_devlink_tx_meta_storage(struct kunit *test)
{
	static const struct {
		const char *name;
		int mode;
	} good[] = {
		{ "cb", VHCA_TX_META_CB },
		{ "header", VHCA_TX_META_HEADER },
		{ "metadata", VHCA_TX_META_METADATA },
	};
	static const char * const bad[] = {
		"", "CB", "Header", "cb ", " cb", "c", "head", "headers",
		"metadata2", "meta", "none", "cb,header", "0",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		KUNIT_EXPECT_EQ_MSG(test, vhca_tx_meta_storage_parse(good[i].name),
				    good[i].mode, "\"%s\"", good[i].name);
		KUNIT_EXPECT_STREQ(test, vhca_tx_meta_storage_name(good[i].mode),
				   good[i].name);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, vhca_tx_meta_storage_parse(bad[i]),
				    -EINVAL, "\"%s\"", bad[i]);
}

/* every mode has a name that parses back to it; others read "unknown" */
static void vhca_core_devlink_tx_meta_names(struct kunit *test)
{
	unsigned int mode;

	for (mode = VHCA_TX_META_CB; mode <= VHCA_TX_META_METADATA; mode++)
		KUNIT_EXPECT_EQ(test,
				vhca_tx_meta_storage_parse(vhca_tx_meta_storage_name(mode)),
				(int)mode);
	KUNIT_EXPECT_STREQ(test,
			   vhca_tx_meta_storage_name(VHCA_TX_META_METADATA + 1),
			   "unknown");
	KUNIT_EXPECT_STREQ(test, vhca_tx_meta_storage_name(UINT_MAX),
			   "unknown");
	KUNIT_EXPECT_EQ(test, vhca_tx_meta_storage_parse("unknown"), -EINVAL);
}

static struct kunit_case vhca_core_devlink_cases[] = {
	KUNIT_CASE(vhca_core_devlink_eq_size),
	KUNIT_CASE(vhca_core_devlink_eq_size_caps),
	KUNIT_CASE(vhca_core_devlink_tx_meta_storage),
	KUNIT_CASE(vhca_core_devlink_tx_meta_names),
	{}
};

static struct kunit_suite vhca_core_devlink_suite = {
	.name = "vhca_core_devlink",
	.test_cases = vhca_core_devlink_cases,
};

kunit_test_suite(vhca_core_devlink_suite);
