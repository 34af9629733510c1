# natkeep: `make` builds the module and the userspace programs;
# `make check` runs every test tier; `make demo` shows it working in a VM.
# Both install the Debian packages they need (`make deps`, as root).
#
# A cross build, for a gateway of another architecture (packaging/README.md):
#   make ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
#        KDIR=$(tests/cross/kernel-tree.sh arm64) SYSROOT=$(tests/cross/sysroot.sh arm64)

NK_VERSION := $(shell sed -n 's/^\#define NATKEEP_VERSION "\(.*\)"/\1/p' kmod/version.h)

# The kernel to build against: the running one if it has headers, else
# Debian 12's stock kernel (tests/kernels.sh says how it is found; a build
# machine's own kernel has none: the module runs in a VM booting that one).
KDIR ?= $(shell tests/kernels.sh kdir 2>/dev/null)
KVER ?= $(patsubst linux-headers-%,%,$(notdir $(realpath $(KDIR))))

# WERROR=1 (the default in `make check` and CI) makes warnings errors in
# kernel and userspace code alike.
WERROR ?=
KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR) $(if $(WERROR),NATKEEP_WERROR=1)

DESTDIR ?=
PREFIX ?= /usr

.PHONY: all module userspace deps check demo bench style fuzz dkms-install \
	install clean help

all: module userspace

module:
	@test -z "$(ARCH)" -o "$(origin KDIR)" != file || { echo "ARCH=$(ARCH): set KDIR to a kernel tree of that architecture (tests/cross/kernel-tree.sh prepares Debian's)" >&2; exit 1; }
	@test -d "$(KDIR)" || { echo "no kernel headers: install linux-headers-amd64 (make deps) or set KDIR" >&2; exit 1; }
	$(KMAKE) modules

userspace:
	$(MAKE) -C agent $(if $(WERROR),WERROR=1)

deps:
	@tests/deps.sh

# TIERS="unit vm" runs only those tiers (tests/check.sh names them all).
check: deps
	@WERROR=1 KDIR=$(KDIR) TIERS="$(TIERS)" tests/check.sh

demo: deps
	@$(MAKE) --no-print-directory all KDIR=$(KDIR)
	@tests/vm/run.sh -k $(KVER) -- tests/demo.sh

# Timing, scale and hook cost in one VM run (tests/bench/run.sh):
# tests/bench/results/<date>.json and a table; UPDATE_README=1 also
# writes the tables to tests/bench/results/LATEST.md.
bench: deps
	@KDIR=$(KDIR) tests/bench/run.sh

style:
	@tests/style.sh

# Each libFuzzer target of the protocol code for FUZZ_SECONDS (default 600),
# then the netlink fuzzer, NLFUZZ_MESSAGES (default 1 000 000) messages to
# the module under the debug kernel (VM scenario 79), each worker keeping
# NLFUZZ_LIVE (default 4) flows firing: about two hours under TCG (the
# million messages 91 minutes, the scenario 115), where make check's short
# run keeps 24.
NLFUZZ_MESSAGES ?= 1000000
NLFUZZ_LIVE ?= 4
fuzz: deps
	@$(MAKE) -s -C tests/fuzz long
	@$(MAKE) -s -C tests/fuzz nlfuzz
	@NK_FUZZ_MESSAGES=$(NLFUZZ_MESSAGES) NK_FUZZ_LIVE=$(NLFUZZ_LIVE) \
		tests/vm/debug.sh -t 14400 79-netlink-fuzz

# The module sources as DKMS wants them: a tree that builds alone with
# `make -C <kernel> M=<tree>`, dkms.conf at its top.
dkms-install:
	install -d $(DESTDIR)/usr/src/natkeep-$(NK_VERSION)/kmod/proto \
		$(DESTDIR)/usr/src/natkeep-$(NK_VERSION)/include/uapi/linux
	install -m 0644 Kbuild $(DESTDIR)/usr/src/natkeep-$(NK_VERSION)/
	sed 's/@VERSION@/$(NK_VERSION)/' packaging/dkms/dkms.conf \
		> $(DESTDIR)/usr/src/natkeep-$(NK_VERSION)/dkms.conf
	install -m 0644 kmod/Kbuild $(filter-out %.mod.c,$(wildcard kmod/*.c)) kmod/*.h \
		$(DESTDIR)/usr/src/natkeep-$(NK_VERSION)/kmod/
	install -m 0644 kmod/proto/*.c kmod/proto/*.h \
		$(DESTDIR)/usr/src/natkeep-$(NK_VERSION)/kmod/proto/
	install -m 0644 include/uapi/linux/natkeep.h \
		$(DESTDIR)/usr/src/natkeep-$(NK_VERSION)/include/uapi/linux/

install: userspace
	$(MAKE) -C agent install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

clean:
	-$(KMAKE) clean 2>/dev/null
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod/tests clean 2>/dev/null
	$(MAKE) -C agent clean
	$(MAKE) -C tests/unit clean
	$(MAKE) -C tests/fuzz clean
	$(MAKE) -C tests/bench clean KDIR=$(KDIR)

help:
	@echo "make            build kmod/natkeep.ko and agent/ (KDIR=$(KDIR))"
	@echo "make deps       install the Debian packages the build and tests need"
	@echo "make check      every test tier; ends with 'N passed, N failed'"
	@echo "make demo       boot a VM, load the module, show live flows"
	@echo "make bench      benchmarks in a VM; UPDATE_README=1 writes results/LATEST.md"
	@echo "make style      checkpatch on the kernel code"
	@echo "make fuzz       the protocol parsers' fuzzers, FUZZ_SECONDS each (600), then"
	@echo "                NLFUZZ_MESSAGES (1000000) netlink messages under the debug kernel"
	@echo "make dkms-install DESTDIR=...   the module sources for DKMS"
