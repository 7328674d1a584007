# SPDX-License-Identifier: GPL-2.0
#
# minipipe — top-level Makefile.
#
#   make              build minipipe.ko against $(KDIR)
#   make check        install what is needed, boot the VM(s), run every test
#   make demo         boot a VM and show minipipe working, step by step
#   make vm           interactive shell in the VM with the module loaded
#   make lint         W=1 + sparse builds (6.1, 6.12), checkpatch, kernel-doc
#   make clean        remove every build output
#
# KDIR defaults to the running kernel's build tree when it exists, else to
# the headers of the VM's default kernel (Debian 6.1).

KDIR ?= $(or $(wildcard /lib/modules/$(shell uname -r)/build),\
	     $(shell ls -dv /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | tail -n 1))

# KERNEL selects the VM kernel(s) for check/demo/vm: 6.1, 6.12 or "6.1 6.12".
KERNEL ?= 6.1 6.12
export KERNEL KVM

.PHONY: all modules clean check demo vm selftests lint

all: modules

modules:
	@test -n "$(KDIR)" -a -d "$(KDIR)" || { \
		echo "minipipe: no kernel build tree; install linux-headers-amd64 or pass KDIR=" >&2; \
		exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

selftests:
	$(MAKE) -C selftests

check:
	tools/vm/check.sh

lint:
	tools/lint.sh

demo:
	tools/vm/demo.sh

vm:
	tools/vm/shell.sh

clean:
	@if [ -n "$(KDIR)" ] && [ -d "$(KDIR)" ]; then \
		$(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	$(MAKE) -C selftests clean
	rm -rf build
