# SPDX-License-Identifier: GPL-2.0
# vhca: out-of-tree build, VM test harness and benchmarks.
#
# The kernel we build for is Debian's 6.1, never the host's: the newest
# version with both /boot/vmlinuz-<ver> and /lib/modules/<ver>/build.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
KVER ?= $(shell $(TOP)/tools/testing/vhca-vm/kver.sh 2>/dev/null)
KDIR ?= /lib/modules/$(KVER)/build

KCONFIG_FLAGS := CONFIG_VHCA_SIM=m CONFIG_VHCA_CORE=m

.PHONY: all modules clean

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(TOP) $(KCONFIG_FLAGS) modules

clean:
	$(MAKE) -C $(KDIR) M=$(TOP) clean
