# SPDX-License-Identifier: GPL-2.0
# vhca: out-of-tree build, VM test harness and benchmarks.
#
# The kernel we build for is Debian's 6.1, never the host's: the newest
# version with both /boot/vmlinuz-<ver> and /lib/modules/<ver>/build.
#
#   make          build vhca_sim.ko, vhca_core.ko and vhca_ib.ko
#   make check    build, boot the VM, run every kselftest (KTAP + summary)
#   make check-debug  the same plus the KUnit tests on a debug kernel (KASAN,
#                 lockdep, kmemleak, DMA-API debug), built once and cached
#   make demo     build, boot the VM, load the modules, show what vhca does
#   make bench    build, boot the VM, iperf3 over veth and vhca IPoIB, perftest
#                 on vhca and rdma_rxe, memcpy: tables
#   make provider build the rdma-core provider (tools/lib/vhca) and the test
#                 programs (uverbs_bad, memcpy_bw)
#   make install-provider  install the provider system-wide
#   make lint     checkpatch --strict, W=1 + sparse build, shellcheck
#   make deps     install missing Debian packages (done by the above)
#   make vm       interactive shell in the VM with the modules installed

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
# Recursive (=) on purpose: evaluated when a recipe runs, i.e. after deps
# has installed the kernel on a fresh machine.
KVER ?= $(shell $(TOP)/tools/testing/vhca-vm/kver.sh 2>/dev/null)
KDIR ?= /lib/modules/$(KVER)/build
VM := $(TOP)/tools/testing/vhca-vm

KCONFIG_FLAGS := CONFIG_VHCA_SIM=m CONFIG_VHCA_CORE=m CONFIG_VHCA_IB=m CONFIG_VHCA_IB_VERBS_TEST=m

.PHONY: all deps modules provider install-provider check check-debug demo \
	bench lint vm clean

all: modules

deps:
	@$(VM)/deps.sh

modules: deps
	$(MAKE) -C $(KDIR) M=$(TOP) $(KCONFIG_FLAGS) modules

# The userspace side: the verbs provider and the programs the tests and
# the benchmark run in the VM (the guest uses the host's root, so a build
# here is what the guest runs).
PROVIDER := $(TOP)/tools/lib/vhca
KSFT := $(TOP)/tools/testing/selftests/drivers/net/vhca
USER_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror

provider: deps
	$(MAKE) -C $(PROVIDER)
	$(CC) $(USER_CFLAGS) -I$(TOP)/include/uapi -I$(PROVIDER) \
		-o $(KSFT)/uverbs_bad $(KSFT)/uverbs_bad.c -libverbs
	$(CC) $(USER_CFLAGS) -o $(VM)/memcpy_bw $(VM)/memcpy_bw.c

install-provider: provider
	$(MAKE) -C $(PROVIDER) install

# The whole kselftest run in one VM; the userspace verbs tests (perftest
# over all sizes) need more than check.sh's default on a loaded 2-core host.
VHCA_CHECK_TIMEOUT ?= 2700

check: deps modules provider
	@KVER=$(KVER) VHCA_CHECK_TIMEOUT=$(VHCA_CHECK_TIMEOUT) $(VM)/check.sh

check-debug: deps provider
	@VHCA_KCONFIG="$(KCONFIG_FLAGS)" $(VM)/check-debug.sh

demo: deps modules provider
	@$(VM)/vmrun -k $(KVER) -t 300 tools/testing/vhca-vm/demo.sh

bench: deps modules provider
	@$(VM)/vmrun -k $(KVER) -t 900 tools/testing/vhca-vm/bench.sh

lint: deps
	@KVER=$(KVER) KDIR=$(KDIR) $(VM)/lint.sh

vm: deps modules
	@$(VM)/vmrun -k $(KVER) -i

clean:
	$(MAKE) -C $(KDIR) M=$(TOP) clean
	$(MAKE) -C $(PROVIDER) clean
	rm -f $(KSFT)/uverbs_bad $(VM)/memcpy_bw
