# SPDX-License-Identifier: GPL-2.0
#
# minipipe — top-level Makefile.
#
#   make              build minipipe.ko against $(KDIR), and the tools
#   make modules      minipipe.ko only
#   make tools        what a user runs, in build/: libminipipe and the
#                     LD_PRELOAD shim (build/lib/), mptop (build/mptop/)
#   make check        install what is needed, boot the VM(s), run every test
#   make check-debug  the same on two debug kernels built once from
#                     linux-source-6.1: KASAN + kmemleak, and KCSAN (both with
#                     lockdep and fault injection)
#   make demo         boot a VM and show minipipe working, step by step
#   make lab          list the labs (tools/learn/labs): one classic mistake
#                     each; make lab LAB=<name> [SOLVED=1 | KEEP=1] runs one
#   make vm           interactive shell in the VM with the module loaded
#   make bench        pipe benchmark in a VM: minipipe against pipe(2) and FIFOs
#   make lint         W=1 + sparse builds (6.1, 6.12), checkpatch, kernel-doc
#   make install      minipipe.ko (+ depmod), <minipipe.h>, libminipipe, the
#                     shim, mptop, man pages; DESTDIR= and PREFIX= (/usr/local)
#   make uninstall    remove what make install put there
#   make dkms-install put the sources in /usr/src/minipipe-<version> for DKMS,
#                     then dkms add, build, install (make dkms-uninstall)
#   make clean        remove every build output
#
# KDIR defaults to the running kernel's build tree when it exists, else to
# the headers of the VM's default kernel (Debian 6.1).

KDIR ?= $(or $(wildcard /lib/modules/$(shell uname -r)/build),\
	     $(shell ls -dv /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | tail -n 1))

# KERNEL selects the VM kernel(s) for check/demo/vm: any of 6.1, 6.12 and
# 6.12-rt (Debian's PREEMPT_RT kernel), all three by default.
# bench runs 6.1 only, unless KERNEL is given.
KERNEL ?= 6.1 6.12 6.12-rt
export KERNEL KVM

# make install: see tools/user/install.sh.
PREFIX ?= /usr/local
export DESTDIR PREFIX

.PHONY: all modules tools clean check check-debug demo lab vm selftests lint bench
.PHONY: install uninstall dkms-src dkms-install dkms-uninstall

all: modules tools

modules:
	@test -n "$(KDIR)" -a -d "$(KDIR)" || { \
		echo "minipipe: no kernel build tree; install linux-headers-amd64 or pass KDIR=" >&2; \
		exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# The same directories make install builds into (tools/user/install.sh).
tools:
	$(MAKE) -C tools/user/lib OUTPUT=$(CURDIR)/build/lib
	$(MAKE) -C tools/learn/mptop OUTPUT=$(CURDIR)/build/mptop

selftests:
	$(MAKE) -C selftests

check:
	tools/project/vm/check.sh

# Both debug kernels, unless KERNEL names one of them.
check-debug:
	KERNEL="$(if $(filter file,$(origin KERNEL)),debug-kasan debug-kcsan,$(KERNEL))" \
		tools/project/vm/check-debug.sh

lint:
	tools/project/lint.sh

demo:
	tools/project/vm/demo.sh

# SOLVED=1: the reference module; KEEP=1: the copy in build/lab/<name>/src.
lab:
	SOLVED="$(SOLVED)" KEEP="$(KEEP)" tools/learn/labs/lab.sh $(if $(LAB),run "$(LAB)",list)

vm:
	tools/project/vm/shell.sh

bench:
	KERNEL="$(if $(filter file,$(origin KERNEL)),6.1,$(KERNEL))" tools/project/bench/bench.sh

install: modules
	KDIR=$(KDIR) tools/user/install.sh install

uninstall:
	KDIR=$(KDIR) tools/user/install.sh uninstall

dkms-src:
	tools/user/install.sh dkms-src $(DKMS_SRC)

dkms-install:
	KDIR=$(KDIR) tools/user/install.sh dkms-install

dkms-uninstall:
	tools/user/install.sh dkms-uninstall

clean:
	@if [ -n "$(KDIR)" ] && [ -d "$(KDIR)" ]; then \
		$(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	$(MAKE) -C selftests clean
	rm -rf build
